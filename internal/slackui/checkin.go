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
		slack.NewActionBlock(BlockCheckin,
			first, second,
			slack.NewButtonBlockElement(ActionCheckinSteps, value, plain("Update next steps")),
			slack.NewButtonBlockElement(ActionCheckinWishes, value, plain("Review open wishes")),
			slack.NewButtonBlockElement(ActionCheckinSkip, value, plain("Skip this week")),
			slack.NewButtonBlockElement(ActionCheckinSnooze, value, plain("Snooze 1 day")),
		),
		slack.NewContextBlock(BlockCheckinRound, mrkdwn("Check-in of "+WhenIn(c.At, c.Zone)+", your time. You can answer any time before the round closes, and change your answers until then.")),
	}
	return text, blocks
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
)

// progressMeta travels in the progress modal's private_metadata.
type progressMeta struct {
	Version int                `json:"v"`
	PairID  partnership.PairID `json:"pair"`
	Round   int64              `json:"round"` // Unix ms
}

// Progress is what the progress modal shows: the pair, the round it
// answers, its reflection prompt, and the member's answer so far.
type Progress struct {
	Pair     partnership.Pair
	User     string
	Round    time.Time
	Prompt   string
	Answered partnership.Reflection // zero when not answered yet
}

// ProgressModal is the week's progress check-in: an answer to the week's
// reflection prompt (private unless shared) and what to change in the
// plan (for the partner).
func ProgressModal(pr Progress) slack.ModalViewRequest {
	meta, _ := json.Marshal(progressMeta{Version: metaVersion, PairID: pr.Pair.ID, Round: pr.Round.UnixMilli()})
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
		slack.NewSectionBlock(mrkdwn("*This week’s check-in with "+mention(partner)+"*\nThis week’s reflection, a characteristic of successful partnerships:\n>"+Escape(pr.Prompt)), nil, nil),
		slack.NewInputBlock(BlockReflection, plain("How does it show up between you two this week?"), nil, reflection).WithOptional(true),
		slack.NewInputBlock(BlockReflectionShare, plain("Your reflection"), plain("It stays yours unless you tick the box."), share).WithOptional(true),
		slack.NewInputBlock(BlockPlanChange, plain("Anything to change in the plan?"), plain("Your partner sees this, in your summary together."), plan).WithOptional(true),
	}
	return slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: CallbackProgress, Title: plain("Weekly check-in"),
		Submit: plain("Check in"), Close: plain("Cancel"), PrivateMetadata: string(meta),
		Blocks: slack.Blocks{BlockSet: blocks},
	}
}

// ParseProgressMeta reads the progress modal's pair and round.
func ParseProgressMeta(s string) (partnership.PairID, time.Time, error) {
	if len(s) > MaxMetadata {
		return "", time.Time{}, fmt.Errorf("%w: %d bytes", ErrBadMetadata, len(s))
	}
	var m progressMeta
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return "", time.Time{}, fmt.Errorf("%w: %v", ErrBadMetadata, err)
	}
	id, _, _, err := partnership.ParsePairID(string(m.PairID))
	if m.Version != metaVersion || err != nil || m.Round <= 0 {
		return "", time.Time{}, fmt.Errorf("%w: version %d pair %q round %d", ErrBadMetadata, m.Version, m.PairID, m.Round)
	}
	return id, time.UnixMilli(m.Round).UTC(), nil
}

// ParseProgress reads the modal: the reflection, whether it is shared,
// and the plan change, each trimmed and bounded.
func ParseProgress(state *slack.ViewState) (reflection string, shared bool, planChange string) {
	if state == nil {
		return "", false, ""
	}
	reflection = cut(strings.TrimSpace(state.Values[BlockReflection][ActionReflection].Value), partnership.MaxReflectionLen)
	for _, o := range state.Values[BlockReflectionShare][ActionReflectionShare].SelectedOptions {
		shared = shared || o.Value == ValueReflectionShare
	}
	planChange = cut(strings.TrimSpace(state.Values[BlockPlanChange][ActionPlanChange].Value), partnership.MaxPlanChangeLen)
	return reflection, shared, planChange
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
