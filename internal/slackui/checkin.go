package slackui

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/schedule"
	"github.com/slack-go/slack"
)

// Check-in buttons; their value is an EncodeCheckinRef: the pair and the
// round the check-in belongs to.
const (
	ActionCheckinAssess = "checkin_assess"
	ActionCheckinSteps  = "checkin_steps"
	ActionCheckinWishes = "checkin_wishes"
	ActionCheckinSkip   = "checkin_skip"
	ActionCheckinSnooze = "checkin_snooze"
	// ActionCheckinProgress opens the week's progress check-in.
	ActionCheckinProgress = "checkin_progress"
	BlockCheckin          = "checkin"
	BlockCheckinRound     = "checkin_round"
)

// CheckinKind says which check-in DM this is.
type CheckinKind string

// The three check-in DMs.
const (
	CheckinWeekly   CheckinKind = "prompt"
	CheckinReminder CheckinKind = "remind"
	CheckinSnoozed  CheckinKind = "snooze"
)

// Checkin is one check-in DM, as CheckinMessage draws it.
type Checkin struct {
	Pair partnership.Pair
	To   string
	Kind CheckinKind
	// Round names the round its buttons act on; At is the DM's own moment,
	// shown in the footer in the member's own time (Zone, their IANA zone,
	// for the text shown where Slack cannot draw the date; "" for UTC).
	Round, At  time.Time
	Zone       string
	Reflection string
	// Assess: the round asks for the self-assessment (the pair's cadence).
	Assess bool
	// Content is what the check-in reviews: the goals in Now, the wins,
	// the charter's review when due, the executive's digest.
	Content partnership.CheckinContent
}

// CheckinMessage is the check-in DM to one member: the week's reflection
// prompt (one of the article's characteristics of successful partnerships)
// and the buttons.
func CheckinMessage(c Checkin) (text string, blocks []slack.Block) {
	p, to := c.Pair, c.To
	partner, _ := p.Partner(to)
	head := "Time for this week's partnership check-in with " + mention(partner) + "."
	switch c.Kind {
	case CheckinReminder:
		head = "A reminder: your partnership check-in with " + mention(partner) + " is still open."
	case CheckinSnoozed:
		head = "You snoozed this check-in yesterday: here it is again, with " + mention(partner) + "."
	}
	text = strings.ReplaceAll(head, mention(partner), "your partner")
	value := EncodeCheckinRef(p.ID, c.Round)
	progress := slack.NewButtonBlockElement(ActionCheckinProgress, value, plain("Check in on progress"))
	assess := slack.NewButtonBlockElement(ActionCheckinAssess, value, plain("Take the self-assessment"))
	what := "*This week:* how your goals stand, your wins, and a line on this week’s reflection."
	first, second := progress.WithStyle(slack.StylePrimary), assess
	if c.Assess {
		what = "*This is the month’s self-assessment round:* the ten questions, then how your goals stand."
		assess.Text = plain("Take this month’s self-assessment")
		first, second = assess.WithStyle(slack.StylePrimary), progress
	}
	blocks = []slack.Block{
		slack.NewSectionBlock(mrkdwn(head+"\n"+what), nil, nil),
		slack.NewSectionBlock(mrkdwn("*This week's reflection* — a characteristic of successful partnerships:\n>"+Escape(c.Reflection)+
			"\nHow does it show up between you two this week?"), nil, nil),
	}
	blocks = append(blocks, checkinContentBlocks(c)...)
	blocks = append(blocks,
		slack.NewActionBlock(BlockCheckin,
			first, second,
			slack.NewButtonBlockElement(ActionCheckinSteps, value, plain("Update next steps")),
			slack.NewButtonBlockElement(ActionCheckinWishes, value, plain("Review open wishes")),
			slack.NewButtonBlockElement(ActionCheckinSkip, value, plain("Skip this week")),
			slack.NewButtonBlockElement(ActionCheckinSnooze, value, plain("Snooze 1 day")),
		),
		slack.NewContextBlock(BlockCheckinRound, mrkdwn("Check-in of "+WhenIn(c.At, c.Zone)+", your time. You can answer any time before the round closes, and change your answers until then.")),
	)
	return text, blocks
}

// Caps of what a check-in DM lists (a message holds 50 blocks).
const (
	maxCheckinWins     = 5
	maxCheckinDecision = 3
)

// checkinContentBlocks review the week: the goals in Now, each with its
// Update… button; the wins since the last summary; the charter's review
// in the week it is due; and, for the executive, the digest.
func checkinContentBlocks(c Checkin) []slack.Block {
	ct := c.Content
	var blocks []slack.Block
	if len(ct.Now) > 0 {
		blocks = append(blocks, slack.NewSectionBlock(mrkdwn(fmt.Sprintf("*Your goals in Now* (%d of %d): how do they stand?", len(ct.Now), partnership.MaxNow)), nil, nil))
		for _, g := range ct.Now[:min(len(ct.Now), partnership.MaxNow)] {
			blocks = append(blocks, goalSection(g, c.At))
		}
	}
	if ct.Digest == nil && len(ct.Wins) > 0 {
		lines := []string{"*Your wins since your last summary:* " + plural(len(ct.Wins), "win", "wins")}
		for _, w := range ct.Wins[:min(len(ct.Wins), maxCheckinWins)] {
			lines = append(lines, "• "+quote(clip(w.Text, wishLineRunes)))
		}
		blocks = append(blocks, sections(lines)...)
	}
	if ct.Digest != nil && !ct.Digest.Empty() {
		blocks = append(blocks, sections(digestLines(c.Pair, *ct.Digest))...)
	}
	if ct.ReviewDue {
		ref := EncodeCharterRef(c.Pair.ID, 0)
		blocks = append(blocks,
			slack.NewSectionBlock(mrkdwn("*Your charter’s quarterly review is due this week.* Does it still hold, roles, expectations and goals? Confirm it, or change it together."), nil, nil),
			slack.NewActionBlock(BlockCheckin+":charter",
				slack.NewButtonBlockElement(ActionCharterStillHolds, ref, plain("Still holds: no change")),
				slack.NewButtonBlockElement(ActionCharterOpen, ref, plain("Open charter"))))
	}
	return blocks
}

// digestLines are the executive's week on one screen: wins by goal, goals
// that are stuck, and what waits for their decision.
func digestLines(p partnership.Pair, d partnership.Digest) []string {
	lines := []string{"*Your week with " + mention(p.Assistant) + "*"}
	for _, grp := range d.ByGoal {
		name := "_Other_"
		if !grp.Other {
			name = quote(clip(grp.Goal.Title, wishLineRunes))
		}
		lines = append(lines, "• Wins toward "+name+": "+plural(len(grp.Wins), "win", "wins")+" — "+quote(clip(grp.Wins[len(grp.Wins)-1].Text, wishLineRunes)))
	}
	for _, g := range d.Stuck {
		lines = append(lines, "• Stuck: "+quote(clip(g.Title, wishLineRunes)))
	}
	var decide []string
	if d.CharterWaiting > 0 {
		decide = append(decide, "version "+strconv.Itoa(d.CharterWaiting)+" of your charter waits for your acceptance")
	}
	if d.WishesOpen > 0 {
		decide = append(decide, plural(d.WishesOpen, "wish", "wishes")+" addressed to you "+map[bool]string{true: "is", false: "are"}[d.WishesOpen == 1]+" open")
	}
	for _, r := range d.PlanChanges[:min(len(d.PlanChanges), maxCheckinDecision)] {
		decide = append(decide, mention(r.User)+" would change in the plan: "+quote(clip(r.PlanChange, wishLineRunes)))
	}
	if len(decide) > 0 {
		lines = append(lines, "*Waiting for your decision*")
		for _, x := range decide {
			lines = append(lines, "• "+Capitalize(x))
		}
	}
	return lines
}

// EncodeCheckinRef names a check-in in its buttons' values: the pair and
// the round (so that last week's Skip does not skip this week).
func EncodeCheckinRef(pair partnership.PairID, round time.Time) string {
	return string(pair) + "|" + strconv.FormatInt(round.UnixMilli(), 10)
}

// ParseCheckinRef reads what EncodeCheckinRef wrote. A bare pair ID, as
// buttons sent before rounds were named carry, has a zero round. The value
// is untrusted.
func ParseCheckinRef(s string) (partnership.PairID, time.Time, error) {
	pair, ms, tagged := strings.Cut(s, "|")
	id, _, _, err := partnership.ParsePairID(pair)
	if err != nil {
		return "", time.Time{}, err
	}
	if !tagged {
		return id, time.Time{}, nil
	}
	n, err := strconv.ParseInt(ms, 10, 64)
	if err != nil || n <= 0 || strconv.FormatInt(n, 10) != ms {
		return "", time.Time{}, partnership.ErrBadID
	}
	return id, time.UnixMilli(n).UTC(), nil
}

// The progress check-in modal.
const (
	CallbackProgress      = "progress"
	BlockReflection       = "reflection"
	ActionReflection      = "reflection"
	BlockReflectionShare  = "reflection_share"
	ActionReflectionShare = "reflection_share"
	ValueReflectionShare  = "share"
	BlockPlanChange       = "plan_change"
	ActionPlanChange      = "plan_change"
	// A goal in Now: its status and a note, the block IDs ending in the
	// goal's ID.
	blockProgressStatus  = "progress_status:"
	ActionProgressStatus = "progress_status"
	blockProgressNote    = "progress_note:"
	ActionProgressNote   = "progress_note"
)

// BlockProgressStatus is the block of goal id's status in the progress
// check-in, where an error about that goal shows.
func BlockProgressStatus(goalID string) string { return blockProgressStatus + goalID }

// progressMeta travels in the progress modal's private_metadata.
type progressMeta struct {
	Version int                `json:"v"`
	PairID  partnership.PairID `json:"pair"`
	Round   int64              `json:"round"` // Unix ms
	Goals   []shownGoal        `json:"goals,omitempty"`
}

// shownGoal is a goal the progress modal showed, with the status it showed.
type shownGoal struct {
	ID     string                 `json:"id"`
	Status partnership.GoalStatus `json:"s"`
}

// ProgressMeta is what a progress modal was opened on: the pair, the
// round, and the goals it showed with their status then.
type ProgressMeta struct {
	Pair  partnership.PairID
	Round time.Time
	Shown []partnership.GoalCheck // GoalID and Shown
}

// Progress is what the progress modal shows: the pair, the round it
// answers, its reflection prompt, and the member's answer so far.
type Progress struct {
	Pair     partnership.Pair
	User     string
	Round    time.Time
	Prompt   string
	Answered partnership.Reflection // zero when not answered yet
	// Now are the pair's goals in Now, each with a status and a note;
	// Wins, the assistant's wins since the last summary.
	Now  []partnership.Goal
	Wins []partnership.Win
}

// ProgressModal is the week's progress check-in: a status and a note for
// each goal in Now, the wins since the last summary, an answer to the
// week's reflection prompt (private unless shared) and what to change in
// the plan (for the partner).
func ProgressModal(pr Progress) slack.ModalViewRequest {
	now := pr.Now[:min(len(pr.Now), partnership.MaxNow)]
	m := progressMeta{Version: metaVersion, PairID: pr.Pair.ID, Round: pr.Round.UnixMilli()}
	for _, g := range now {
		m.Goals = append(m.Goals, shownGoal{ID: g.ID, Status: g.Status})
	}
	meta, _ := json.Marshal(m)
	partner, _ := pr.Pair.Partner(pr.User)
	reflection := slack.NewPlainTextInputBlockElement(plain("A sentence or two is plenty"), ActionReflection).
		WithMultiline(true).WithMaxLength(partnership.MaxReflectionLen)
	if pr.Answered.Text != "" {
		reflection = reflection.WithInitialValue(cut(pr.Answered.Text, partnership.MaxReflectionLen))
	}
	share := slack.NewCheckboxGroupsBlockElement(ActionReflectionShare, slack.NewOptionBlockObject(ValueReflectionShare, plain("Share it with my partner"), nil))
	if pr.Answered.Shared {
		share.InitialOptions = share.Options
	}
	plan := slack.NewPlainTextInputBlockElement(plain("A goal to add, drop or move, a decision to take together…"), ActionPlanChange).
		WithMultiline(true).WithMaxLength(partnership.MaxPlanChangeLen)
	if pr.Answered.PlanChange != "" {
		plan = plan.WithInitialValue(cut(pr.Answered.PlanChange, partnership.MaxPlanChangeLen))
	}
	blocks := []slack.Block{
		slack.NewSectionBlock(mrkdwn("*This week’s check-in with "+mention(partner)+"*"), nil, nil),
	}
	if len(now) > 0 {
		blocks = append(blocks, slack.NewSectionBlock(mrkdwn("*Your goals in Now*: how does each stand?"), nil, nil))
	}
	for _, g := range now {
		var statuses []*slack.OptionBlockObject
		for _, st := range partnership.GoalStatuses() {
			statuses = append(statuses, slack.NewOptionBlockObject(string(st), plain(goalStatusLabel(st)), nil))
		}
		sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Status"), ActionProgressStatus, statuses...)
		if o := initialOption(statuses, string(g.Status)); o != nil {
			sel = sel.WithInitialOption(o)
		}
		note := slack.NewPlainTextInputBlockElement(plain("What moved, what is in the way"), ActionProgressNote).WithMaxLength(partnership.MaxGoalNote)
		blocks = append(blocks,
			slack.NewInputBlock(BlockProgressStatus(g.ID), plain(clip(g.Title, wishLineRunes)), nil, sel).WithOptional(true),
			slack.NewInputBlock(blockProgressNote+g.ID, plain("A note on it"), plain("Dated and kept in the goal's history, for you both."), note).WithOptional(true))
	}
	if len(pr.Wins) > 0 {
		lines := []string{"*Wins since your last summary:* " + plural(len(pr.Wins), "win", "wins")}
		for _, w := range pr.Wins[:min(len(pr.Wins), maxCheckinWins)] {
			lines = append(lines, "• "+quote(clip(w.Text, wishLineRunes)))
		}
		blocks = append(blocks, sections(lines)...)
	}
	blocks = append(blocks,
		slack.NewSectionBlock(mrkdwn("This week’s reflection, a characteristic of successful partnerships:\n>"+Escape(pr.Prompt)), nil, nil),
		slack.NewInputBlock(BlockReflection, plain("How does it show up between you two this week?"), nil, reflection).WithOptional(true),
		slack.NewInputBlock(BlockReflectionShare, plain("Your reflection"), plain("It stays yours unless you tick the box."), share).WithOptional(true),
		slack.NewInputBlock(BlockPlanChange, plain("Anything to change in the plan?"), plain("Your partner sees this, in your summary together."), plan).WithOptional(true),
	)
	return slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: CallbackProgress, Title: plain("Weekly check-in"),
		Submit: plain("Check in"), Close: plain("Cancel"), PrivateMetadata: string(meta),
		Blocks: slack.Blocks{BlockSet: blocks},
	}
}

// ParseProgressMeta reads what the progress modal was opened on.
func ParseProgressMeta(s string) (ProgressMeta, error) {
	if len(s) > MaxMetadata {
		return ProgressMeta{}, fmt.Errorf("%w: %d bytes", ErrBadMetadata, len(s))
	}
	var m progressMeta
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return ProgressMeta{}, fmt.Errorf("%w: %v", ErrBadMetadata, err)
	}
	id, _, _, err := partnership.ParsePairID(string(m.PairID))
	if m.Version != metaVersion || err != nil || m.Round <= 0 || len(m.Goals) > partnership.MaxNow {
		return ProgressMeta{}, fmt.Errorf("%w: version %d pair %q round %d, %d goals", ErrBadMetadata, m.Version, m.PairID, m.Round, len(m.Goals))
	}
	out := ProgressMeta{Pair: id, Round: time.UnixMilli(m.Round).UTC()}
	for _, g := range m.Goals {
		if !validWishID(g.ID) {
			return ProgressMeta{}, fmt.Errorf("%w: goal id", ErrBadMetadata)
		}
		out.Shown = append(out.Shown, partnership.GoalCheck{GoalID: g.ID, Shown: g.Status})
	}
	return out, nil
}

// ProgressAnswer is what a member wrote in the progress check-in.
type ProgressAnswer struct {
	Reflection string
	Shared     bool
	PlanChange string
	Goals      []partnership.GoalCheck
}

// ParseProgress reads the modal opened on meta: each shown goal's status
// and note, the reflection, whether it is shared, and the plan change,
// each trimmed and bounded. A status that is none of the four is left as
// it was.
func ParseProgress(state *slack.ViewState, meta ProgressMeta) ProgressAnswer {
	var a ProgressAnswer
	if state == nil {
		return a
	}
	for _, c := range meta.Shown {
		c.Status = c.Shown
		if st := partnership.GoalStatus(state.Values[BlockProgressStatus(c.GoalID)][ActionProgressStatus].SelectedOption.Value); st.Valid() {
			c.Status = st
		}
		c.Note = cut(strings.TrimSpace(state.Values[blockProgressNote+c.GoalID][ActionProgressNote].Value), partnership.MaxGoalNote)
		a.Goals = append(a.Goals, c)
	}
	a.Reflection = cut(strings.TrimSpace(state.Values[BlockReflection][ActionReflection].Value), partnership.MaxReflectionLen)
	for _, o := range state.Values[BlockReflectionShare][ActionReflectionShare].SelectedOptions {
		a.Shared = a.Shared || o.Value == ValueReflectionShare
	}
	a.PlanChange = cut(strings.TrimSpace(state.Values[BlockPlanChange][ActionPlanChange].Value), partnership.MaxPlanChangeLen)
	return a
}

// Schedule modal IDs.
const (
	CallbackSchedule = "schedule"
	BlockDay         = "day"
	ActionDay        = "day"
	BlockTime        = "time"
	ActionTime       = "time"
	BlockPause       = "pause"
	ActionPause      = "pause"
	ValuePause       = "pause"
)

var weekdays = []struct{ cron, name string }{
	{"MON", "Monday"}, {"TUE", "Tuesday"}, {"WED", "Wednesday"}, {"THU", "Thursday"},
	{"FRI", "Friday"}, {"SAT", "Saturday"}, {"SUN", "Sunday"},
}

// ScheduleSettings is what the schedule modal shows and returns.
type ScheduleSettings struct {
	Day    string // MON … SUN
	Time   string // HH:MM
	Paused bool
	// Assess is how often the check-ins ask for the self-assessment: one
	// of the Value… cadences below (a checkin.Cadence's words).
	Assess string
	// Current describes the schedule in force, for the modal's text.
	Current string
}

// The self-assessment's cadence in the schedule modal; the values are
// checkin.Cadence's.
const (
	BlockAssess        = "assess"
	ActionAssess       = "assess"
	ValueAssessMonthly = "monthly"
	ValueAssessWeekly  = "weekly"
	ValueAssessRequest = "request"
)

// ScheduleModal lets a member set the weekly day and time, or pause.
func ScheduleModal(s ScheduleSettings, choice PairChoice) slack.ModalViewRequest {
	meta, _ := json.Marshal(stepsMeta{Version: metaVersion, PairID: choice.Selected}) // the same shape: a pair
	var opts []*slack.OptionBlockObject
	var initial *slack.OptionBlockObject
	for _, d := range weekdays {
		o := slack.NewOptionBlockObject(d.cron, plain(d.name), nil)
		opts = append(opts, o)
		if d.cron == s.Day {
			initial = o
		}
	}
	day := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Day"), ActionDay, opts...)
	if initial != nil {
		day = day.WithInitialOption(initial)
	}
	tp := slack.NewTimePickerBlockElement(ActionTime)
	if s.Time != "" {
		tp.InitialTime = s.Time
	}
	pause := slack.NewCheckboxGroupsBlockElement(ActionPause, slack.NewOptionBlockObject(ValuePause, plain("Pause our check-ins"), nil))
	if s.Paused {
		pause.InitialOptions = pause.Options
	}
	blocks := append(pairSelectBlocks(choice),
		slack.NewSectionBlock(mrkdwn("*Weekly check-in*\nNow: "+Escape(s.Current)+"\nThe day and time you pick are each member’s own: you both get the check-in at that time of your own day."), nil, nil),
		slack.NewInputBlock(BlockDay, plain("Day"), nil, day),
		slack.NewInputBlock(BlockTime, plain("Time"), nil, tp),
		slack.NewInputBlock(BlockAssess, plain("The ten-question self-assessment"), plain("The other check-ins review your goals and wins. Either of you can take it any time."), assessRadio(s.Assess)),
		slack.NewInputBlock(BlockPause, plain("Pause"), nil, pause).WithOptional(true),
		slack.NewContextBlock("", mrkdwn("Or type it: `"+Command+" schedule weekdays 8:30`, with a time zone at the end (`… Europe/Paris`) to have it at the same moment for both.")),
	)
	return slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: CallbackSchedule, Title: plain("Check-in schedule"),
		Submit: plain("Save"), Close: plain("Cancel"), PrivateMetadata: string(meta),
		Blocks: slack.Blocks{BlockSet: blocks},
	}
}

// assessRadio offers the cadences, current (monthly when unknown) preselected.
func assessRadio(current string) *slack.RadioButtonsBlockElement {
	var opts []*slack.OptionBlockObject
	var initial *slack.OptionBlockObject
	for _, o := range []struct{ value, label string }{
		{ValueAssessMonthly, "Once a month (the first check-in of the month)"},
		{ValueAssessWeekly, "In every check-in"},
		{ValueAssessRequest, "Only when one of us takes it"},
	} {
		opt := slack.NewOptionBlockObject(o.value, plain(o.label), nil)
		opts = append(opts, opt)
		if o.value == current || initial == nil && o.value == ValueAssessMonthly {
			initial = opt
		}
	}
	r := slack.NewRadioButtonsBlockElement(ActionAssess, opts...)
	r.InitialOption = initial
	return r
}

// ScheduleChoice is what the schedule modal returns.
type ScheduleChoice struct {
	Spec   string // cron fields for the day and time
	Paused bool
	Assess string // one of the Value… cadences
}

// ParseSchedule reads the modal: the cron spec for the day and time, the
// pause box and the assessment's cadence. errs has inline errors keyed by
// block_id.
func ParseSchedule(state *slack.ViewState) (c ScheduleChoice, errs map[string]string) {
	errs = map[string]string{}
	if state == nil {
		state = &slack.ViewState{}
	}
	day := state.Values[BlockDay][ActionDay].SelectedOption.Value
	okDay := false
	for _, d := range weekdays {
		okDay = okDay || d.cron == day
	}
	if !okDay {
		errs[BlockDay] = "Pick a day."
	}
	h, m, okTime := parseClock(state.Values[BlockTime][ActionTime].SelectedTime)
	if !okTime {
		errs[BlockTime] = "Pick a time."
	}
	for _, o := range state.Values[BlockPause][ActionPause].SelectedOptions {
		c.Paused = c.Paused || o.Value == ValuePause
	}
	switch a := state.Values[BlockAssess][ActionAssess].SelectedOption.Value; a {
	case ValueAssessWeekly, ValueAssessRequest:
		c.Assess = a
	default:
		c.Assess = ValueAssessMonthly
	}
	if len(errs) > 0 {
		return c, errs
	}
	c.Spec = fmt.Sprintf("%d %d * * %s", m, h, day)
	return c, nil
}

func parseClock(s string) (h, m int, ok bool) {
	hs, ms, found := strings.Cut(s, ":")
	if !found || len(hs) != 2 || len(ms) != 2 {
		return 0, 0, false
	}
	h, err1 := strconv.Atoi(hs)
	m, err2 := strconv.Atoi(ms)
	if err1 != nil || err2 != nil || h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, 0, false
	}
	return h, m, true
}

// ParseScheduleMeta reads the schedule modal's pair.
func ParseScheduleMeta(s string) (partnership.PairID, error) { return ParseNextStepsMeta(s) }

// WeeklyFields reads "M H * * DOW" back into the modal's day and time; ok
// is false for any other shape of spec.
func WeeklyFields(spec string) (day, clock string, ok bool) {
	f := strings.Fields(spec)
	if len(f) != 5 || f[2] != "*" || f[3] != "*" {
		return "", "", false
	}
	m, err1 := strconv.Atoi(f[0])
	h, err2 := strconv.Atoi(f[1])
	day = strings.ToUpper(f[4])
	if err1 != nil || err2 != nil || m < 0 || m > 59 || h < 0 || h > 23 {
		return "", "", false
	}
	for _, d := range weekdays {
		if d.cron == day {
			return day, fmt.Sprintf("%02d:%02d", h, m), true
		}
	}
	return "", "", false
}

// ScheduleWords says a schedule to people, never in cron's words:
// "Mondays at 09:00, your time" (each member's own), or "… Europe/Paris
// time" when its user named a zone.
func ScheduleWords(sp schedule.Spec, zone string) string {
	if !sp.WallClock() {
		return schedule.Describe(sp)
	}
	if zone == "" {
		return schedule.Describe(sp) + ", your time"
	}
	return schedule.Describe(sp) + ", " + zone + " time"
}

// NextCheckins says when each member's next check-in comes, to user: each
// time shown in the reader's own zone by Slack.
func NextCheckins(user string, next map[string]time.Time) string {
	var parts []string
	if at, ok := next[user]; ok {
		parts = append(parts, "yours "+When(at))
	}
	for _, u := range slices.Sorted(maps.Keys(next)) {
		if u != user {
			parts = append(parts, mention(u)+"’s "+When(next[u]))
		}
	}
	return "The next check-in: " + strings.Join(parts, "; ") + "."
}

// ScheduledText answers a schedule set by user in pair p.
func ScheduledText(p partnership.Pair, user string, sp schedule.Spec, zone string, next map[string]time.Time) string {
	partner, _ := p.Partner(user)
	who := ": each of you in your own time zone"
	switch {
	case !sp.WallClock():
		who = ""
	case zone != "":
		who = ": both of you at the same moment"
	}
	return "Check-ins with " + mention(partner) + " now come " + lowerFirst(ScheduleWords(sp, zone)) + who + ". " + NextCheckins(user, next)
}

// Interval says a duration as people do: "1 day", "12 hours", "90 minutes".
func Interval(d time.Duration) string {
	switch {
	case d >= 24*time.Hour && d%(24*time.Hour) == 0:
		return plural(int(d/(24*time.Hour)), "day", "days")
	case d >= time.Hour && d%time.Hour == 0:
		return plural(int(d/time.Hour), "hour", "hours")
	case d >= time.Minute && d%time.Minute == 0:
		return plural(int(d/time.Minute), "minute", "minutes")
	}
	return plural(int(d/time.Second), "second", "seconds")
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// Capitalize upper-cases the first letter of s.
func Capitalize(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// When writes a time in the reader's own time zone.
func When(t time.Time) string { return WhenIn(t, "") }

// WhenIn is When with the text shown where Slack cannot draw the date (a
// notification, an old client) in zone, an IANA name ("" or unknown: UTC).
func WhenIn(t time.Time, zone string) string {
	fallback := t.UTC().Format("2006-01-02 15:04 UTC")
	if loc, err := time.LoadLocation(zone); zone != "" && err == nil {
		fallback = t.In(loc).Format("2006-01-02 15:04 MST")
	}
	return "<!date^" + strconv.FormatInt(t.Unix(), 10) + "^{date_short_pretty} at {time}|" + fallback + ">"
}

// Out-of-office modal IDs.
const (
	ActionHomeAway = "home_away"
	CallbackAway   = "away"
	BlockAwayUntil = "away_until"
	ActionAwayDate = "away_date"
)

// AwayModal asks until when the user is out of office.
func AwayModal(until time.Time) slack.ModalViewRequest {
	dp := slack.NewDatePickerBlockElement(ActionAwayDate)
	if !until.IsZero() {
		dp.InitialDate = until.Format("2006-01-02")
	}
	return slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: CallbackAway, Title: plain("Out of office"),
		Submit: plain("Save"), Close: plain("Cancel"),
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			slack.NewSectionBlock(mrkdwn("While you are away your partnerships' check-ins wait for you instead of counting as missed; they start again the check-in after you are back."), nil, nil),
			slack.NewInputBlock(BlockAwayUntil, plain("Back on"), nil, dp),
		}},
	}
}

// ParseAway reads the return date ("YYYY-MM-DD"); errs is keyed by block.
func ParseAway(state *slack.ViewState) (date string, errs map[string]string) {
	if state != nil {
		date = state.Values[BlockAwayUntil][ActionAwayDate].SelectedDate
	}
	if _, err := time.Parse("2006-01-02", date); err != nil {
		return "", map[string]string{BlockAwayUntil: "Pick the day you are back."}
	}
	return date, nil
}
