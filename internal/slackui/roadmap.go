package slackui

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/slack-go/slack"
)

// IDs of the roadmap and wins.
const (
	CallbackRoadmap    = "roadmap"     // the roadmap modal (nothing to submit)
	CallbackGoal       = "goal"        // the goal form: add or edit
	CallbackGoalStatus = "goal_status" // the status form: stage, status, note
	CallbackWin        = "win"         // the win form
	// CallbackLogWin is the "Log as a win" message shortcut's callback_id
	// (deploy/slack-app-manifest.yaml).
	CallbackLogWin = "log_win"

	BlockGoalTitle      = "goal_title"
	BlockGoalServes     = "goal_serves"
	BlockGoalStage      = "goal_stage"
	BlockGoalOwner      = "goal_owner"
	BlockGoalTarget     = "goal_target"
	BlockGoalStatus     = "goal_status"
	BlockGoalNote       = "goal_note"
	BlockWinText        = "win_text"
	BlockWinGoal        = "win_goal"
	BlockRoadmapActions = "roadmap_actions"
	BlockWinTie         = "win_tie"

	// The form inputs' action IDs are their blocks'.
	ActionGoalTitle  = BlockGoalTitle
	ActionGoalServes = BlockGoalServes
	ActionGoalStage  = BlockGoalStage
	ActionGoalOwner  = BlockGoalOwner
	ActionGoalTarget = BlockGoalTarget
	ActionGoalStatus = BlockGoalStatus
	ActionGoalNote   = BlockGoalNote
	ActionWinText    = BlockWinText
	ActionWinGoal    = BlockWinGoal

	// ActionGoalAdd opens the goal form; its value is the PairID.
	ActionGoalAdd = "goal_add"
	// ActionGoalUpdate opens a goal's status form, ActionGoalEdit its goal
	// form; their value is an EncodeGoalRef.
	ActionGoalUpdate = "goal_update"
	ActionGoalEdit   = "goal_edit"
	// ActionWinLog opens the win form; its value is the PairID, or "" for
	// the user's default partnership (the Home tab).
	ActionWinLog = "win_log"
	// ActionWinTie ties a logged win to a goal; its value is an
	// EncodeWinTie.
	ActionWinTie = "win_tie"
	// ActionMakeGoal makes a Next Steps line or an acknowledged wish a
	// goal; its value is an EncodeIdea.
	ActionMakeGoal = "make_goal"

	// ValueOther is the win form's "not tied to a goal".
	ValueOther = "other"
)

// Words for stages and statuses.
func stageWord(s partnership.Stage) string {
	switch s {
	case partnership.StageNow:
		return "Now"
	case partnership.StageNext:
		return "Next"
	case partnership.StageLater:
		return "Later"
	}
	return "?"
}

// goalStatusWords are each status's emoji and its label (as a radio button
// says it, plain text).
var goalStatusWords = map[partnership.GoalStatus][2]string{
	partnership.GoalOnTrack: {":large_green_circle:", "On track"},
	partnership.GoalStuck:   {":red_circle:", "Stuck"},
	partnership.GoalDone:    {":white_check_mark:", "Done"},
	partnership.GoalDropped: {":heavy_minus_sign:", "Dropped"},
}

func goalStatusLabel(s partnership.GoalStatus) string {
	if w, ok := goalStatusWords[s]; ok {
		return w[1]
	}
	return "?"
}

// goalStatusWord is a status in mrkdwn: ":red_circle: stuck".
func goalStatusWord(s partnership.GoalStatus) string {
	if w, ok := goalStatusWords[s]; ok {
		return w[0] + " " + strings.ToLower(w[1])
	}
	return "?"
}

// nowRule is the article's reason for three in Now, as the forms say it.
const nowRule = "“By starting with small, strategic tasks you will demonstrate your value and pave the way for larger responsibilities”: at most three goals in Now."

// EncodeGoalRef names a goal in a button value.
func EncodeGoalRef(pair partnership.PairID, goalID string) string { return EncodeWishRef(pair, goalID) }

// ErrBadRef reports a button value the bot did not write.
var ErrBadRef = errors.New("slackui: malformed reference")

// ParseGoalRef reads what EncodeGoalRef wrote (untrusted).
func ParseGoalRef(s string) (partnership.PairID, string, error) {
	pair, id, err := ParseWishRef(s)
	if err != nil {
		return "", "", ErrBadRef
	}
	return pair, id, nil
}

// EncodeWinTie names a win and the goal to tie it to.
func EncodeWinTie(pair partnership.PairID, winID, goalID string) string {
	return EncodeWishRef(pair, winID) + wishRefSep + goalID
}

// ParseWinTie reads what EncodeWinTie wrote (untrusted).
func ParseWinTie(s string) (pair partnership.PairID, winID, goalID string, err error) {
	i := strings.LastIndex(s, wishRefSep)
	if i < 0 || !validWishID(s[i+1:]) {
		return "", "", "", ErrBadRef
	}
	pair, winID, err = ParseWishRef(s[:i])
	if err != nil {
		return "", "", "", ErrBadRef
	}
	return pair, winID, s[i+1:], nil
}

// EncodeIdea names an idea in a "Make it a goal" button's value:
// "w:<pair>:<wish>" or "d:<pair>:<line>:<check>".
func EncodeIdea(idea partnership.GoalIdea) string {
	if idea.WishID != "" {
		return "w:" + EncodeWishRef(idea.Pair, idea.WishID)
	}
	return "d:" + string(idea.Pair) + ":" + strconv.Itoa(idea.DoMore) + ":" + idea.Check
}

var lineCheck = regexp.MustCompile(`^[0-9a-f]{8}$`)

// ParseIdea reads what EncodeIdea wrote (untrusted). The idea's Text is
// not in the value: the service reads the line or wish itself.
func ParseIdea(s string) (partnership.GoalIdea, error) {
	if len(s) > MaxWishRef {
		return partnership.GoalIdea{}, ErrBadRef
	}
	kind, rest, _ := strings.Cut(s, ":")
	switch kind {
	case "w":
		pair, wish, err := ParseWishRef(rest)
		if err != nil {
			return partnership.GoalIdea{}, ErrBadRef
		}
		return partnership.GoalIdea{Pair: pair, WishID: wish}, nil
	case "d":
		parts := strings.Split(rest, ":")
		if len(parts) != 3 {
			return partnership.GoalIdea{}, ErrBadRef
		}
		id, _, _, err := partnership.ParsePairID(parts[0])
		n, nerr := strconv.Atoi(parts[1])
		if err != nil || nerr != nil || n < 1 || n > partnership.ListSize || parts[1] != strconv.Itoa(n) || !lineCheck.MatchString(parts[2]) {
			return partnership.GoalIdea{}, ErrBadRef
		}
		return partnership.GoalIdea{Pair: id, DoMore: n, Check: parts[2]}, nil
	}
	return partnership.GoalIdea{}, ErrBadRef
}

// MakeGoalButton is the "Make it a goal" button for an idea: a "do more
// of" line (partnership.IdeaFromDoMore) or an acknowledged wish
// (partnership.IdeaFromWish). Pressing it puts the goal in Next; pressing
// it again does nothing more.
func MakeGoalButton(idea partnership.GoalIdea) *slack.ButtonBlockElement {
	return slack.NewButtonBlockElement(ActionMakeGoal, EncodeIdea(idea), plain("Make it a goal"))
}

// GoalMeta travels in the goal and status forms' private_metadata.
type GoalMeta struct {
	Version int                `json:"v"`
	Pair    partnership.PairID `json:"pair"`
	// GoalID and Rev name the goal edited and the revision the form
	// showed; empty when adding.
	GoalID string `json:"goal,omitempty"`
	Rev    int    `json:"rev,omitempty"`
	// Back: the form replaced the roadmap modal, and goes back to it once
	// saved.
	Back bool `json:"back,omitempty"`
}

// ParseGoalMeta decodes a goal or status form's private_metadata.
func ParseGoalMeta(s string) (GoalMeta, error) {
	var m GoalMeta
	if err := decodeMeta(s, &m); err != nil {
		return GoalMeta{}, err
	}
	if _, _, _, err := partnership.ParsePairID(string(m.Pair)); err != nil || m.Version != metaVersion || (m.GoalID != "" && !validWishID(m.GoalID)) || m.Rev < 0 {
		return GoalMeta{}, fmt.Errorf("%w: goal form", ErrBadMetadata)
	}
	return m, nil
}

func decodeMeta(s string, v any) error {
	if len(s) > MaxMetadata {
		return fmt.Errorf("%w: %d bytes", ErrBadMetadata, len(s))
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return fmt.Errorf("%w: %v", ErrBadMetadata, err)
	}
	return nil
}

func encodeMeta(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// OwnerOption is a member a goal may belong to, labelled by name (a
// select's plain text cannot render a mention).
type OwnerOption struct {
	ID    string
	Label string
}

// goalLine shows a goal: its title, status, owner and target date, what
// it serves and its latest note.
func goalLine(g partnership.Goal, now time.Time) string {
	var sb strings.Builder
	sb.WriteString("*" + quote(clip(g.Title, partnership.MaxGoalTitle)) + "*\n")
	sb.WriteString(goalStatusWord(g.Status) + " · " + mention(g.Owner))
	if !g.Target.IsZero() {
		sb.WriteString(" · by " + slackDate(g.Target.Midday().Unix()))
		if g.Open() && partnership.DateOf(now.UTC()).String() > g.Target.String() {
			sb.WriteString(" (past)")
		}
	}
	if g.Serves != "" {
		sb.WriteString("\n_Serves:_ " + Escape(clip(g.Serves, 120)))
	}
	if notes := g.Notes(); len(notes) > 0 {
		n := notes[len(notes)-1]
		sb.WriteString("\n_Latest:_ " + quote(clip(n.Note, 120)) + " — " + mention(n.By) + ", " + slackDate(n.At.Unix()))
	}
	return sb.String()
}

// BlockGoal is the block_id of a goal's section: unique per goal, across
// pairs too (the Home tab shows several pairs' goals).
func BlockGoal(g partnership.Goal) string { return "goal:" + EncodeGoalRef(g.PairID, g.ID) }

// goalSection is a goal's section with its Update… button.
func goalSection(g partnership.Goal, now time.Time) slack.Block {
	ref := EncodeGoalRef(g.PairID, g.ID)
	b := slack.NewButtonBlockElement(ActionGoalUpdate, ref, plain("Update…"))
	return slack.NewSectionBlock(mrkdwn(goalLine(g, now)), nil, slack.NewAccessory(b), slack.SectionBlockOptionBlockID(BlockGoal(g)))
}

// RoadmapPage is what the roadmap modal shows one member.
type RoadmapPage struct {
	Roadmap partnership.Roadmap
	Viewer  string
	Choice  PairChoice
	// Ideas are the viewer's "do more of" lines and the pair's
	// acknowledged wishes not yet goals, each with Make it a goal.
	Ideas []partnership.GoalIdea
	Now   time.Time
}

// Caps of the roadmap modal (100 blocks): 25 open goals, 5 closed, 8
// ideas and the headings fit.
const (
	maxRoadmapClosed = 5
	maxRoadmapIdeas  = 8
)

// RoadmapModal is the pair's roadmap: Now, Next and Later, each goal with
// its Update… button; the latest goals done or dropped; the ideas that
// could become goals. The assistant also gets Log a win.
func RoadmapModal(pg RoadmapPage) slack.ModalViewRequest {
	r := pg.Roadmap
	partner, _ := r.Pair.Partner(pg.Viewer)
	blocks := pairSelectBlocks(pg.Choice)
	blocks = append(blocks, slack.NewSectionBlock(mrkdwn("*Your roadmap with "+mention(partner)+"*\n"+
		"How the two of you take on more strategic responsibilities. "+nowRule), nil, nil))
	buttons := []slack.BlockElement{slack.NewButtonBlockElement(ActionGoalAdd, string(r.Pair.ID), plain("Add a goal")).WithStyle(slack.StylePrimary)}
	if r.Pair.Assistant == pg.Viewer {
		buttons = append(buttons, slack.NewButtonBlockElement(ActionWinLog, string(r.Pair.ID), plain("Log a win")))
	}
	blocks = append(blocks, slack.NewActionBlock(BlockRoadmapActions, buttons...))
	for _, st := range partnership.Stages() {
		col := r.Column(st)
		head := "*" + stageWord(st) + "*"
		if st == partnership.StageNow {
			head += fmt.Sprintf(" · %d of %d", len(col), partnership.MaxNow)
		}
		if len(col) == 0 {
			head += "\n_Nothing here yet._"
		}
		blocks = append(blocks, slack.NewDividerBlock(), slack.NewSectionBlock(mrkdwn(head), nil, nil))
		for _, g := range col {
			blocks = append(blocks, goalSection(g, pg.Now))
		}
	}
	if closed := r.Closed(); len(closed) > 0 {
		lines := []string{"*Done and dropped*"}
		for _, g := range closed[:min(len(closed), maxRoadmapClosed)] {
			lines = append(lines, "• "+quote(clip(g.Title, wishLineRunes))+" — "+goalStatusWord(g.Status)+" on "+slackDate(g.ClosedAt().Unix()))
		}
		if n := len(closed) - maxRoadmapClosed; n > 0 {
			lines = append(lines, fmt.Sprintf("And %s before.", plural(n, "more", "more")))
		}
		blocks = append(blocks, slack.NewDividerBlock())
		blocks = append(blocks, sections(lines)...)
	}
	if len(pg.Ideas) > 0 {
		blocks = append(blocks, slack.NewDividerBlock(), slack.NewSectionBlock(mrkdwn("*Could become goals*\nFrom your next steps, and the wishes acknowledged:"), nil, nil))
		for _, idea := range pg.Ideas[:min(len(pg.Ideas), maxRoadmapIdeas)] {
			from := "_your next steps: do more of_"
			if idea.WishID != "" {
				from = "_an acknowledged wish_"
			}
			blocks = append(blocks, slack.NewSectionBlock(mrkdwn(quote(clip(idea.Text, wishLineRunes))+"\n"+from), nil, slack.NewAccessory(MakeGoalButton(idea))))
		}
	}
	blocks = append(blocks, slack.NewContextBlock("", mrkdwn("Each goal serves one of your executive's larger goals. "+
		"Wins count toward them: `"+Command+" win …`, or *Log as a win* on any message. Check-ins and summaries show how it moves.")))
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      CallbackRoadmap,
		Title:           plain("Roadmap"),
		Close:           plain("Close"),
		PrivateMetadata: encodeMeta(stepsMeta{Version: metaVersion, PairID: r.Pair.ID}),
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
}

// ParseRoadmapMeta reads the roadmap modal's private_metadata: its pair.
func ParseRoadmapMeta(s string) (partnership.PairID, error) { return ParseNextStepsMeta(s) }

// GoalForm is what the goal form shows: a new goal (Goal zero), or one to
// edit.
type GoalForm struct {
	// Choice is offered when adding, to users with several pairs.
	Choice PairChoice
	Pair   partnership.PairID
	Goal   partnership.Goal
	Owners []OwnerOption
	// Stage and Owner are a new goal's first choices.
	Stage partnership.Stage
	Owner string
	Back  bool
}

func stageOptions() []*slack.OptionBlockObject {
	var out []*slack.OptionBlockObject
	for _, st := range partnership.Stages() {
		label := stageWord(st)
		if st == partnership.StageNow {
			label += " (at most three)"
		}
		out = append(out, slack.NewOptionBlockObject(string(st), plain(label), nil))
	}
	return out
}

func initialOption(opts []*slack.OptionBlockObject, value string) *slack.OptionBlockObject {
	for _, o := range opts {
		if o.Value == value {
			return o
		}
	}
	return nil
}

// GoalModal is the goal form: title, the executive goal it serves, stage,
// owner, target date.
func GoalModal(f GoalForm) slack.ModalViewRequest {
	g, editing := f.Goal, f.Goal.ID != ""
	if !editing {
		g.Stage, g.Owner = f.Stage, f.Owner
	}
	var blocks []slack.Block
	if !editing {
		blocks = pairSelectBlocks(f.Choice)
	}
	title := slack.NewPlainTextInputBlockElement(plain("e.g. Run the quarterly offsite end to end"), ActionGoalTitle).WithMaxLength(partnership.MaxGoalTitle)
	if g.Title != "" {
		title = title.WithInitialValue(cut(g.Title, partnership.MaxGoalTitle))
	}
	serves := slack.NewPlainTextInputBlockElement(plain("e.g. Grow the team to 40 by June"), ActionGoalServes).WithMaxLength(partnership.MaxGoalServes)
	if g.Serves != "" {
		serves = serves.WithInitialValue(cut(g.Serves, partnership.MaxGoalServes))
	}
	stages := stageOptions()
	stage := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Stage"), ActionGoalStage, stages...)
	if o := initialOption(stages, string(g.Stage)); o != nil {
		stage = stage.WithInitialOption(o)
	}
	var owners []*slack.OptionBlockObject
	for _, o := range f.Owners {
		owners = append(owners, slack.NewOptionBlockObject(o.ID, plain(clip(o.Label, maxOptionText)), nil))
	}
	owner := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Who owns it"), ActionGoalOwner, owners...)
	if o := initialOption(owners, g.Owner); o != nil {
		owner = owner.WithInitialOption(o)
	}
	target := slack.NewDatePickerBlockElement(ActionGoalTarget)
	target.InitialDate = g.Target.String()
	blocks = append(blocks,
		slack.NewInputBlock(BlockGoalTitle, plain("Goal"), nil, title),
		slack.NewInputBlock(BlockGoalServes, plain("The executive goal it serves"), plain("Which of your executive's larger goals does it move forward?"), serves).WithOptional(true),
		slack.NewInputBlock(BlockGoalStage, plain("Stage"), nil, stage),
		slack.NewInputBlock(BlockGoalOwner, plain("Owner"), nil, owner),
		slack.NewInputBlock(BlockGoalTarget, plain("Target date"), nil, target).WithOptional(true),
		slack.NewContextBlock("", mrkdwn(nowRule)),
	)
	heading := "Add a goal"
	if editing {
		heading = "Edit a goal"
	}
	pair := f.Pair
	if !editing && f.Choice.Selected != "" {
		pair = f.Choice.Selected
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      CallbackGoal,
		Title:           plain(heading),
		Submit:          plain("Save"),
		Close:           plain("Cancel"),
		PrivateMetadata: encodeMeta(GoalMeta{Version: metaVersion, Pair: pair, GoalID: f.Goal.ID, Rev: f.Goal.Rev, Back: f.Back}),
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
}

// Inline errors of the roadmap's forms.
const (
	msgGoalTitle = "Give the goal a title."
	msgGoalStage = "Pick Now, Next or Later."
	msgGoalOwner = "Pick who owns it."
	msgGoalDate  = "Pick a date, or leave it empty."
	msgGoalState = "Pick how it is going."
	msgWinGoal   = "Pick a goal, or Other."
)

// input is the state of one input, if it holds an element of type typ
// ("" for any).
func input(state *slack.ViewState, block string, typ slack.ActionType) (slack.BlockAction, bool) {
	if state == nil {
		return slack.BlockAction{}, false
	}
	a, ok := state.Values[block][block]
	if !ok || (a.Type != "" && typ != "" && a.Type != typ) {
		return slack.BlockAction{}, false
	}
	return a, true
}

// ParseGoalForm reads the goal form. errs has inline errors keyed by
// block_id; the owner is checked against the pair by the use case.
func ParseGoalForm(state *slack.ViewState) (partnership.GoalDraft, map[string]string) {
	errs := map[string]string{}
	var d partnership.GoalDraft
	if a, ok := input(state, BlockGoalTitle, slack.ActionType(slack.METPlainTextInput)); ok {
		d.Title = cut(strings.TrimSpace(a.Value), partnership.MaxGoalTitle)
	}
	if d.Title == "" {
		errs[BlockGoalTitle] = msgGoalTitle
	}
	if a, ok := input(state, BlockGoalServes, slack.ActionType(slack.METPlainTextInput)); ok {
		d.Serves = cut(strings.TrimSpace(a.Value), partnership.MaxGoalServes)
	}
	if a, ok := input(state, BlockGoalStage, slack.ActionType(slack.OptTypeStatic)); ok {
		d.Stage = partnership.Stage(a.SelectedOption.Value)
	}
	if !d.Stage.Valid() {
		errs[BlockGoalStage] = msgGoalStage
	}
	if a, ok := input(state, BlockGoalOwner, slack.ActionType(slack.OptTypeStatic)); ok && partnership.ValidUserID(a.SelectedOption.Value) {
		d.Owner = a.SelectedOption.Value
	} else {
		errs[BlockGoalOwner] = msgGoalOwner
	}
	if a, ok := input(state, BlockGoalTarget, slack.ActionType(slack.METDatepicker)); ok {
		date, err := partnership.ParseDate(a.SelectedDate)
		if err != nil {
			errs[BlockGoalTarget] = msgGoalDate
		}
		d.Target = date
	}
	return d, errs
}

// GoalStatusForm is what the status form shows.
type GoalStatusForm struct {
	Goal partnership.Goal
	Back bool
	Now  time.Time
}

// maxHistoryShown is how many of a goal's events the status form lists.
const maxHistoryShown = 8

// eventLine is one event of a goal's history.
func eventLine(e partnership.GoalEvent) string {
	var what string
	switch e.Change {
	case partnership.ChangeCreated:
		what = "added it to " + stageWord(partnership.Stage(e.To))
	case partnership.ChangeEdited:
		what = "edited its " + strings.ReplaceAll(e.To, ",", ", ")
	case partnership.ChangeStage:
		what = "moved it " + stageWord(partnership.Stage(e.From)) + " → " + stageWord(partnership.Stage(e.To))
	case partnership.ChangeStatus:
		what = goalStatusLabel(partnership.GoalStatus(e.From)) + " → " + goalStatusLabel(partnership.GoalStatus(e.To))
	case partnership.ChangeNote:
		what = "noted"
	}
	line := "• " + slackDate(e.At.Unix()) + " " + mention(e.By) + ": " + what
	if e.Note != "" {
		line += " — " + quote(clip(e.Note, partnership.MaxGoalNote))
	}
	return line
}

// GoalStatusModal is the status form: where the goal goes, how it is
// going, a note, with the goal's latest history and a button to edit it.
func GoalStatusModal(f GoalStatusForm) slack.ModalViewRequest {
	g := f.Goal
	ref := EncodeGoalRef(g.PairID, g.ID)
	lines := []string{"*History*"}
	start := max(0, len(g.History)-maxHistoryShown)
	if start > 0 {
		lines = append(lines, fmt.Sprintf("_%s before._", plural(start, "entry", "entries")))
	}
	for _, e := range g.History[start:] {
		lines = append(lines, eventLine(e))
	}
	stages := stageOptions()
	stage := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Stage"), ActionGoalStage, stages...)
	if o := initialOption(stages, string(g.Stage)); o != nil {
		stage = stage.WithInitialOption(o)
	}
	var statuses []*slack.OptionBlockObject
	for _, st := range partnership.GoalStatuses() {
		statuses = append(statuses, slack.NewOptionBlockObject(string(st), plain(goalStatusLabel(st)), nil))
	}
	status := slack.NewRadioButtonsBlockElement(ActionGoalStatus, statuses...)
	status.InitialOption = initialOption(statuses, string(g.Status))
	note := slack.NewPlainTextInputBlockElement(plain("What moved, what is in the way, what you decided"), ActionGoalNote).
		WithMultiline(true).WithMaxLength(partnership.MaxGoalNote)
	blocks := []slack.Block{
		slack.NewSectionBlock(mrkdwn(goalLine(g, f.Now)), nil, slack.NewAccessory(slack.NewButtonBlockElement(ActionGoalEdit, ref, plain("Edit…")))),
	}
	blocks = append(blocks, sections(lines)...)
	blocks = append(blocks,
		slack.NewInputBlock(BlockGoalStage, plain("Stage"), plain("A done or dropped goal leaves Now."), stage),
		slack.NewInputBlock(BlockGoalStatus, plain("How is it going?"), nil, status),
		slack.NewInputBlock(BlockGoalNote, plain("A note"), plain("Dated and kept in the goal's history, for you both."), note).WithOptional(true),
	)
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      CallbackGoalStatus,
		Title:           plain("Update a goal"),
		Submit:          plain("Save"),
		Close:           plain("Cancel"),
		PrivateMetadata: encodeMeta(GoalMeta{Version: metaVersion, Pair: g.PairID, GoalID: g.ID, Rev: g.Rev, Back: f.Back}),
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
}

// ParseGoalUpdate reads the status form. errs has inline errors keyed by
// block_id.
func ParseGoalUpdate(state *slack.ViewState) (partnership.GoalUpdate, map[string]string) {
	errs := map[string]string{}
	var u partnership.GoalUpdate
	if a, ok := input(state, BlockGoalStage, slack.ActionType(slack.OptTypeStatic)); ok {
		u.Stage = partnership.Stage(a.SelectedOption.Value)
	}
	if !u.Stage.Valid() {
		errs[BlockGoalStage] = msgGoalStage
	}
	if a, ok := input(state, BlockGoalStatus, slack.ActionType(slack.METRadioButtons)); ok {
		u.Status = partnership.GoalStatus(a.SelectedOption.Value)
	}
	if !u.Status.Valid() {
		errs[BlockGoalStatus] = msgGoalState
	}
	if a, ok := input(state, BlockGoalNote, slack.ActionType(slack.METPlainTextInput)); ok {
		u.Note = cut(strings.TrimSpace(a.Value), partnership.MaxGoalNote)
	}
	return u, errs
}

// GoalErrors is where a use case's refusal of a goal form shows: the Now
// limit on the stage, an owner outside the pair on the owner, anything
// else (msg, in the use case's words) on the first input.
func GoalErrors(err error, msg string) map[string]string {
	switch {
	case errors.Is(err, partnership.ErrNowFull), errors.Is(err, partnership.ErrGoalClosed):
		return map[string]string{BlockGoalStage: msg}
	case errors.Is(err, partnership.ErrGoalOwner):
		return map[string]string{BlockGoalOwner: msg}
	case errors.Is(err, partnership.ErrGoalTitle):
		return map[string]string{BlockGoalTitle: msg}
	}
	return nil
}

// WinMeta travels in the win form's private_metadata.
type WinMeta struct {
	Version int                `json:"v"`
	Pair    partnership.PairID `json:"pair"`
	Channel string             `json:"ch,omitempty"`
	TS      string             `json:"ts,omitempty"`
	Link    string             `json:"link,omitempty"`
	Back    bool               `json:"back,omitempty"`
}

// Source is the message the win was logged from.
func (m WinMeta) Source() partnership.WinSource {
	return partnership.WinSource{Channel: m.Channel, TS: m.TS, Link: m.Link}
}

var (
	messageTS   = regexp.MustCompile(`^[0-9]{1,12}\.[0-9]{1,8}$`)
	teamDomain  = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	messageLink = regexp.MustCompile(`^https://[a-z0-9][a-z0-9-]{0,62}\.slack\.com/archives/[CGD][A-Z0-9]{1,23}/p[0-9]{1,20}$`)
)

// MessageSource is where a message is, from a shortcut's payload
// (untrusted): its channel, ts and permalink
// (https://<domain>.slack.com/archives/<channel>/p<ts without the dot>);
// false when any of them is not of Slack's shape.
func MessageSource(domain, channel, ts string) (partnership.WinSource, bool) {
	if !teamDomain.MatchString(domain) || !validChannel(channel) || !messageTS.MatchString(ts) {
		return partnership.WinSource{}, false
	}
	link := "https://" + domain + ".slack.com/archives/" + channel + "/p" + strings.Replace(ts, ".", "", 1)
	return partnership.WinSource{Channel: channel, TS: ts, Link: link}, true
}

func validChannel(id string) bool {
	return len(id) >= 2 && len(id) <= 24 && strings.ContainsRune("CGD", rune(id[0])) && strings.Trim(id[1:], "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == ""
}

// ParseWinMeta decodes the win form's private_metadata.
func ParseWinMeta(s string) (WinMeta, error) {
	var m WinMeta
	if err := decodeMeta(s, &m); err != nil {
		return WinMeta{}, err
	}
	_, _, _, err := partnership.ParsePairID(string(m.Pair))
	okSource := (m.Channel == "" && m.TS == "" && m.Link == "") ||
		(validChannel(m.Channel) && messageTS.MatchString(m.TS) && messageLink.MatchString(m.Link))
	if err != nil || m.Version != metaVersion || !okSource {
		return WinMeta{}, fmt.Errorf("%w: win form", ErrBadMetadata)
	}
	return m, nil
}

// WinForm is what the win form shows.
type WinForm struct {
	// Choice is the partnerships the user is the assistant of.
	Choice PairChoice
	// Goals are the open goals of the chosen pair, to tie the win to.
	Goals  []partnership.Goal
	Source partnership.WinSource
	Back   bool
}

// WinModal is the win form: what you accomplished, and the goal it counts
// toward (or Other). From a message, it links to the message and holds
// none of its text.
func WinModal(f WinForm) slack.ModalViewRequest {
	blocks := pairSelectBlocks(f.Choice)
	if f.Source.Link != "" {
		blocks = append(blocks, slack.NewSectionBlock(mrkdwn("From <"+f.Source.Link+"|this message>. Its text stays where it is: say in your own words what you accomplished."), nil, nil))
	}
	text := slack.NewPlainTextInputBlockElement(plain("e.g. Booked the offsite venue under budget"), ActionWinText).
		WithMultiline(true).WithMaxLength(partnership.MaxWinLen)
	other := slack.NewOptionBlockObject(ValueOther, plain("Other: no goal"), nil)
	opts := []*slack.OptionBlockObject{}
	for _, st := range partnership.Stages() {
		for _, g := range f.Goals {
			if g.Stage == st && g.Open() && len(opts) < maxPairOptions-1 {
				opts = append(opts, slack.NewOptionBlockObject(g.ID, plain(clip(stageWord(st)+" · "+oneLineText(g.Title), maxOptionText)), nil))
			}
		}
	}
	opts = append(opts, other)
	goal := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Goal"), ActionWinGoal, opts...).WithInitialOption(other)
	blocks = append(blocks,
		slack.NewInputBlock(BlockWinText, plain("What did you accomplish?"), plain(fmt.Sprintf("Up to %s characters, the most Slack shows in one message section.", thousands(partnership.MaxWinLen))), text),
		slack.NewInputBlock(BlockWinGoal, plain("It counts toward"), nil, goal),
		slack.NewContextBlock("", mrkdwn("Your executive sees your wins by goal in your summaries: how your work contributes to the larger goals.")),
	)
	return slack.ModalViewRequest{
		Type:       slack.VTModal,
		CallbackID: CallbackWin,
		Title:      plain("Log a win"),
		Submit:     plain("Log it"),
		Close:      plain("Cancel"),
		PrivateMetadata: encodeMeta(WinMeta{Version: metaVersion, Pair: f.Choice.Selected,
			Channel: f.Source.Channel, TS: f.Source.TS, Link: f.Source.Link, Back: f.Back}),
		Blocks: slack.Blocks{BlockSet: blocks},
	}
}

func oneLineText(s string) string { return strings.Join(strings.Fields(s), " ") }

// thousands writes 3000 as "3,000".
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// WinTooLong is the answer to a win over partnership.MaxWinLen, saying the
// limit and the win's length.
func WinTooLong(n int) string {
	return fmt.Sprintf("A win can be at most %s characters, the most Slack shows in one message section; this one has %s. Shorten it and try again.",
		thousands(partnership.MaxWinLen), thousands(n))
}

// msgWinEmpty asks for the win's words.
const msgWinEmpty = "Say in a few words what you accomplished."

// ParseWinForm reads the win form: its text and the goal it counts toward
// ("" for Other). errs has inline errors keyed by block_id, the limit
// said for a win too long.
func ParseWinForm(state *slack.ViewState) (text, goalID string, errs map[string]string) {
	errs = map[string]string{}
	var raw string
	if a, ok := input(state, BlockWinText, slack.ActionType(slack.METPlainTextInput)); ok {
		raw = a.Value
	}
	text, n, err := partnership.CleanWinText(raw)
	switch {
	case errors.Is(err, partnership.ErrWinTooLong):
		errs[BlockWinText] = WinTooLong(n)
	case err != nil:
		errs[BlockWinText] = msgWinEmpty
	}
	a, ok := input(state, BlockWinGoal, slack.ActionType(slack.OptTypeStatic))
	switch v := a.SelectedOption.Value; {
	case !ok:
		errs[BlockWinGoal] = msgWinGoal
	case v == ValueOther:
	case validWishID(v):
		goalID = v
	default:
		errs[BlockWinGoal] = msgWinGoal
	}
	return text, goalID, errs
}

// maxWinShown bounds a win's text in a command's reply, which travels as
// the Socket Mode ack (under 20 KB whatever the text holds).
const maxWinShown = 500

// WinLoggedReply answers `win <text>`: the win logged (tied to other),
// and buttons to tie it to a goal in Now instead.
func WinLoggedReply(w partnership.Win, p partnership.Pair, now []partnership.Goal) *Reply {
	partner, _ := p.Partner(w.By)
	blocks := []slack.Block{slack.NewSectionBlock(mrkdwn(":trophy: *Win logged* in your partnership with "+mention(partner)+":\n"+quote(clip(w.Text, maxWinShown))), nil, nil)}
	var buttons []slack.BlockElement
	for _, g := range now[:min(len(now), partnership.MaxNow)] {
		buttons = append(buttons, slack.NewButtonBlockElement(ActionWinTie, EncodeWinTie(p.ID, w.ID, g.ID), plain(clip("Counts toward "+oneLineText(g.Title), maxButtonText))))
	}
	if len(buttons) > 0 {
		blocks = append(blocks,
			slack.NewContextBlock("", mrkdwn("It counts as _other_. Does it move a goal in Now forward?")),
			slack.NewActionBlock(BlockWinTie, buttons...))
	} else {
		blocks = append(blocks, slack.NewContextBlock("", mrkdwn("It counts as _other_: nothing is in Now yet. `"+Command+" roadmap` to plan.")))
	}
	return ephemeral("Win logged: "+quote(clip(w.Text, wishLineRunes)), blocks...)
}

// maxButtonText is Slack's limit for a button's text.
const maxButtonText = 75

// WinLoggedMessage confirms a win by DM, its text whole (in as many
// sections as its escaped text needs) and the goal it counts toward.
func WinLoggedMessage(w partnership.Win, g partnership.Goal) (text string, blocks []slack.Block) {
	toward := "It counts as _other_, not tied to a goal."
	if g.ID != "" {
		toward = "It counts toward " + quote(clip(g.Title, partnership.MaxGoalTitle)) + "."
	}
	text = "Win logged: " + quote(clip(w.Text, wishLineRunes))
	blocks = append(blocks, slack.NewSectionBlock(mrkdwn(":trophy: *Win logged*"), nil, nil))
	for _, chunk := range escapedChunks(w.Text, maxSectionText) {
		blocks = append(blocks, slack.NewSectionBlock(mrkdwn(chunk), nil, nil))
	}
	blocks = append(blocks, slack.NewContextBlock("", mrkdwn(toward+" Your executive sees it in your next summary.")))
	return text, blocks
}

// escapedChunks is s escaped for mrkdwn, cut into pieces of at most n
// characters, never inside an entity.
func escapedChunks(s string, n int) []string {
	var out []string
	var sb strings.Builder
	size := 0
	for _, r := range s {
		e := Escape(string(r))
		if k := utf8.RuneCountInString(e); size+k > n {
			out, size = append(out, sb.String()), 0
			sb.Reset()
		}
		sb.WriteString(e)
		size += utf8.RuneCountInString(e)
	}
	if sb.Len() > 0 {
		out = append(out, sb.String())
	}
	return out
}

// WinTiedText tells the assistant where the win counts now.
func WinTiedText(g partnership.Goal) string {
	if g.ID == "" {
		return "Your win counts as other."
	}
	return "Your win now counts toward " + quote(clip(g.Title, wishLineRunes)) + "."
}

// GoalMadeText tells the presser of Make it a goal where the goal is.
func GoalMadeText(g partnership.Goal, created bool) string {
	if !created {
		return quote(clip(g.Title, wishLineRunes)) + " is on your roadmap already, in " + stageWord(g.Stage) + ". `" + Command + " roadmap` shows it."
	}
	return quote(clip(g.Title, wishLineRunes)) + " is on your roadmap now, in Next, owned by " + mention(g.Owner) + ". `" + Command + " roadmap` to move it or add what it serves."
}

// NoWinsText answers someone who is the assistant in none of their pairs.
const NoWinsText = "Wins are the assistant's accomplishments: only the assistant of a partnership logs them, and the executive sees them in the summaries. You are the executive in your partnerships."

// Caps of the summary's roadmap part (it shares the message's 50 blocks).
const (
	maxProgressGoals = 10 // per list: moved, stuck, done, new
	maxProgressWins  = 20
)

// progressLines say how the roadmap moved since the last summary: goals
// done, moved, stuck and new, the Now column, and the wins by goal.
func progressLines(p partnership.Progress) []string {
	head := "*Roadmap*"
	if !p.Since.IsZero() {
		head += " since " + slackDate(p.Since.Unix())
	}
	lines := []string{head}
	list := func(label string, gs []partnership.Goal, extra func(partnership.Goal) string) {
		if len(gs) == 0 {
			return
		}
		var names []string
		for _, g := range gs[:min(len(gs), maxProgressGoals)] {
			names = append(names, quote(clip(g.Title, wishLineRunes))+extra(g))
		}
		line := "• *" + label + ":* " + strings.Join(names, ", ")
		if n := len(gs) - maxProgressGoals; n > 0 {
			line += fmt.Sprintf(" and %d more", n)
		}
		lines = append(lines, line)
	}
	none := func(partnership.Goal) string { return "" }
	list("Done", p.Done, none)
	var moved []partnership.Goal
	to := map[string]string{}
	for _, m := range p.Moved {
		moved = append(moved, m.Goal)
		to[m.Goal.ID] = " (" + stageWord(m.From) + " → " + stageWord(m.To) + ")"
	}
	list("Moved", moved, func(g partnership.Goal) string { return to[g.ID] })
	list("Stuck", p.Stuck, none)
	list("New", p.Added, func(g partnership.Goal) string { return " (" + stageWord(g.Stage) + ")" })
	if len(p.Now) > 0 {
		list(fmt.Sprintf("Now, %d of %d", len(p.Now), partnership.MaxNow), p.Now, func(g partnership.Goal) string { return " " + goalStatusWord(g.Status) })
	} else if p.Open > 0 {
		lines = append(lines, "• *Now:* nothing. Move a goal in: `"+Command+" roadmap`.")
	}
	if len(p.Wins) == 0 {
		return append(lines, "*Wins*: none logged. `"+Command+" win …`, or *Log as a win* on any message.")
	}
	lines = append(lines, "*Wins*: "+plural(len(p.Wins), "win", "wins")+" logged")
	shown := 0
	for _, grp := range p.ByGoal {
		name := "_Other_"
		if !grp.Other {
			name = quote(clip(grp.Goal.Title, wishLineRunes))
		}
		lines = append(lines, name+" — "+plural(len(grp.Wins), "win", "wins"))
		for _, w := range grp.Wins {
			if shown == maxProgressWins {
				break
			}
			lines = append(lines, "    ◦ "+quote(clip(w.Text, wishLineRunes)))
			shown++
		}
	}
	if n := len(p.Wins) - shown; n > 0 {
		lines = append(lines, fmt.Sprintf("And %s: `%s roadmap` for the goals.", plural(n, "more win", "more wins"), Command))
	}
	return lines
}
