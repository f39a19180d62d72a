package slackui

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/slack-go/slack"
)

// Callback IDs of the charter's modals.
const (
	CallbackCharter     = "charter"      // the form that drafts a version
	CallbackCharterView = "charter_view" // the charter in force, pending and history
)

// Block and action IDs of the charter form. The expectations blocks are
// named by whose expectations they hold, whoever reads the form.
const (
	BlockCharterAssistantExpects = "charter_assistant_expects"
	BlockCharterExecutiveExpects = "charter_executive_expects"
	BlockCharterChannel          = "charter_channel"
	BlockCharterCadence          = "charter_cadence"

	// ActionCharterText is every text input of the form; ActionCharterRight
	// every decision right select, ActionCharterTask every task area select.
	ActionCharterText  = "charter_text"
	ActionCharterRight = "charter_right"
	ActionCharterTask  = "charter_task"
)

// BlockCharterDecision is the block_id of decision row i's kind (1-based),
// BlockCharterRight that of its right.
func BlockCharterDecision(i int) string { return "charter_decision_" + strconv.Itoa(i) }
func BlockCharterRight(i int) string    { return "charter_right_" + strconv.Itoa(i) }

// BlockCharterTask is the block_id of task area i (1-based, the article's order).
func BlockCharterTask(i int) string { return "charter_task_" + strconv.Itoa(i) }

// BlockCharterGoal is the block_id of goal i (1-based).
func BlockCharterGoal(i int) string { return "charter_goal_" + strconv.Itoa(i) }

// Charter buttons. Their value is an EncodeCharterRef: the pair, and the
// version the button is about (0: whatever is latest).
const (
	ActionCharterAccept     = "charter_accept"      // accept that version
	ActionCharterReview     = "charter_review"      // open the form to review or change it
	ActionCharterOpen       = "charter_open"        // open the charter: in force, pending, history
	ActionCharterStillHolds = "charter_still_holds" // reviewed, no change
	// BlockCharterCard prefixes the actions block of a version's card.
	BlockCharterCard = "charter_card"
	// BlockHomeCharter prefixes the actions block of a pair's charter on Home.
	BlockHomeCharter = "charter"
)

// MaxCharterRef bounds a charter reference read back from Slack.
const MaxCharterRef = 100

// ErrBadCharterRef refuses a charter button value that EncodeCharterRef
// did not write.
var ErrBadCharterRef = errors.New("slackui: unrecognised charter reference")

// EncodeCharterRef is a charter button's value: "<pair>|<version>".
func EncodeCharterRef(pair partnership.PairID, version int) string {
	return string(pair) + "|" + strconv.Itoa(version)
}

// ParseCharterRef reads what EncodeCharterRef wrote. The value comes back
// from Slack and is untrusted.
func ParseCharterRef(s string) (partnership.PairID, int, error) {
	if len(s) > MaxCharterRef {
		return "", 0, fmt.Errorf("%w: %d bytes", ErrBadCharterRef, len(s))
	}
	pair, num, ok := strings.Cut(s, "|")
	n, err := strconv.Atoi(num)
	if !ok || err != nil || n < 0 || strconv.Itoa(n) != num {
		return "", 0, ErrBadCharterRef
	}
	id, _, _, err := partnership.ParsePairID(pair)
	if err != nil {
		return "", 0, ErrBadCharterRef
	}
	return id, n, nil
}

// ownershipWords are the answers for a task area: as the form offers
// them, and as a table cell.
var ownershipWords = map[partnership.Ownership][2]string{
	partnership.AssistantOwns:  {"The assistant owns it", "assistant owns"},
	partnership.Shared:         {"Shared between you", "shared"},
	partnership.ExecutiveKeeps: {"The executive keeps it", "executive keeps"},
	partnership.ChiefOfStaff:   {"A chief of staff has it", "chief of staff"},
	partnership.NotThisRole:    {"Not part of this role", "not this role"},
}

// OwnershipLabel is an answer for a task area, as the form offers it.
func OwnershipLabel(o partnership.Ownership) string {
	if w, ok := ownershipWords[o]; ok {
		return w[0]
	}
	return "—"
}

// ownershipShort is an answer for a task area in a table.
func ownershipShort(o partnership.Ownership) string {
	if w, ok := ownershipWords[o]; ok {
		return w[1]
	}
	return "—"
}

// RightLabel is a decision right in the executive's words.
func RightLabel(r partnership.DecisionRight) string {
	switch r {
	case partnership.Decide:
		return "Decide"
	case partnership.DecideAndTell:
		return "Decide and tell me"
	case partnership.AskFirst:
		return "Ask me first"
	}
	return "—"
}

// charterMeta travels in the charter form's private_metadata: the pair, and
// the version the form was filled from (the compare-and-set's base).
type charterMeta struct {
	Version int                `json:"v"`
	PairID  partnership.PairID `json:"pair"`
	Base    int                `json:"base"`
}

// maxCharterBase bounds the version number read back from Slack.
const maxCharterBase = 1_000_000

// ParseCharterMeta decodes the charter form's private_metadata.
func ParseCharterMeta(s string) (partnership.PairID, int, error) {
	if len(s) > MaxMetadata {
		return "", 0, fmt.Errorf("%w: %d bytes", ErrBadMetadata, len(s))
	}
	var m charterMeta
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return "", 0, fmt.Errorf("%w: %v", ErrBadMetadata, err)
	}
	if m.Version != metaVersion || m.Base < 0 || m.Base > maxCharterBase {
		return "", 0, fmt.Errorf("%w: version %d, base %d", ErrBadMetadata, m.Version, m.Base)
	}
	id, _, _, err := partnership.ParsePairID(string(m.PairID))
	if err != nil {
		return "", 0, fmt.Errorf("%w: pair %q", ErrBadMetadata, m.PairID)
	}
	return id, m.Base, nil
}

// CharterForm is what the charter form is filled with.
type CharterForm struct {
	// Terms pre-fill the inputs: the latest version's, or the user's own
	// when a save lost a race.
	Terms partnership.CharterTerms
	// Base is the number of the latest version when the form was built.
	Base int
	// State says what is in force and what waits, at the top.
	State partnership.CharterState
	// Changed is the version someone else saved while the user was
	// editing (Number 0 when none): shown above the user's own edits.
	Changed partnership.CharterVersion
}

// Inline errors and notes of the charter form.
const (
	msgCharterExpectations  = "Write at least one thing one of you expects of the other."
	msgCharterCommunication = "Say how you communicate: a channel, a cadence, or both."
	msgCharterRight         = "Choose decide, decide and tell me, or ask me first for this kind of decision."
	msgCharterSaveFailed    = "Could not save, please try again. Your charter is still here."
)

func msgCharterTooMany(n int) string {
	return fmt.Sprintf("Up to %d lines, one thing per line: this has %d.", partnership.MaxExpectations, n)
}

func msgCharterTask(name string) string {
	return "Choose who has " + name + ": “" + OwnershipLabel(partnership.NotThisRole) + "” is an answer too."
}

// expectLabels are the labels of the two expectations inputs, from the
// reader's side: the assistant's, then the executive's.
func expectLabels(role assessment.Perspective) (assistants, executives string) {
	if role == assessment.Executive {
		return "What your assistant expects of you", "What you expect of your assistant"
	}
	return "What you expect of your executive", "What your executive expects of you"
}

// CharterModal is the form that drafts a version of the pair's charter,
// pre-filled. Slack requires none of its inputs: ParseCharter and the
// domain say what is missing, inline.
func CharterModal(p partnership.Pair, viewer string, f CharterForm, choice PairChoice) slack.ModalViewRequest {
	meta, _ := json.Marshal(charterMeta{Version: metaVersion, PairID: p.ID, Base: f.Base})
	role := p.Perspective(viewer)
	t := f.Terms
	blocks := pairSelectBlocks(choice)
	blocks = append(blocks, slack.NewSectionBlock(mrkdwn("*Your partnership charter* with "+mention(partnerOf(p, viewer))+"\n"+
		"_“"+assessment.DefineRoles+"”_\n"+
		"Write it down after that conversation. It is in force once you both accept it; a change is a new version you both accept again, and the version in force stays until then."), nil, nil))
	blocks = append(blocks, slack.NewContextBlock("", mrkdwn(formStateLine(p, viewer, f.State))))
	if f.Changed.Number > 0 {
		v := f.Changed
		lines := []string{":warning: *" + mention(v.DraftedBy) + " saved version " + strconv.Itoa(v.Number) + " while you were editing* (" + slackDate(v.DraftedAt.Unix()) +
			"). Your changes are still in the form below, not saved: saving makes them version " + strconv.Itoa(v.Number+1) + ", on top of theirs. This is what version " + strconv.Itoa(v.Number) + " says:"}
		blocks = append(blocks, sections(append(lines, charterLines(p, v.CharterTerms)...))...)
		blocks = append(blocks, slack.NewDividerBlock())
	}
	text := func(block, label, hint, initial string, maxLen int, multiline bool) slack.Block {
		in := slack.NewPlainTextInputBlockElement(nil, ActionCharterText).WithMaxLength(maxLen).WithMultiline(multiline)
		if initial != "" {
			in = in.WithInitialValue(cut(initial, maxLen))
		}
		var h *slack.TextBlockObject
		if hint != "" {
			h = plain(hint)
		}
		return slack.NewInputBlock(block, plain(label), h, in).WithOptional(true)
	}
	expectMax := partnership.MaxExpectations * (partnership.MaxCharterLine + 1)
	aLabel, eLabel := expectLabels(role)
	blocks = append(blocks,
		slack.NewHeaderBlock(plain("What you expect of each other")),
		text(BlockCharterAssistantExpects, aLabel, "Up to five things, one per line.", strings.Join(t.AssistantExpects, "\n"), expectMax, true),
		text(BlockCharterExecutiveExpects, eLabel, "Up to five things, one per line.", strings.Join(t.ExecutiveExpects, "\n"), expectMax, true),
		slack.NewHeaderBlock(plain("How you communicate")),
		text(BlockCharterChannel, "Channel", "Where you reach each other: Slack DMs, a weekly 1:1, email for anything formal…", t.Channel, partnership.MaxCommunication, false),
		text(BlockCharterCadence, "Cadence", "How often: a daily stand-up at 9, a 1:1 on Mondays…", t.Cadence, partnership.MaxCommunication, false),
		slack.NewHeaderBlock(plain("Decision rights")),
		slack.NewContextBlock("", mrkdwn("Up to "+strconv.Itoa(partnership.MaxDecisions)+" kinds of decision, and how far the assistant may go with each, in the executive’s words: *decide*, *decide and tell me*, or *ask me first*. Leave the rest empty.")),
	)
	var rights []*slack.OptionBlockObject
	for _, r := range partnership.DecisionRights() {
		rights = append(rights, slack.NewOptionBlockObject(string(r), plain(RightLabel(r)), nil))
	}
	for i := range partnership.MaxDecisions {
		var d partnership.Decision
		if i < len(t.Decisions) {
			d = t.Decisions[i]
		}
		blocks = append(blocks, text(BlockCharterDecision(i+1), fmt.Sprintf("Kind of decision %d", i+1), "", d.Kind, partnership.MaxDecisionKind, false))
		sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("How far may the assistant go?"), ActionCharterRight, rights...)
		for _, o := range rights {
			if o.Value == string(d.Right) {
				sel = sel.WithInitialOption(o)
			}
		}
		blocks = append(blocks, slack.NewInputBlock(BlockCharterRight(i+1), plain(fmt.Sprintf("Decision %d: the executive says…", i+1)), nil, sel).WithOptional(true))
	}
	blocks = append(blocks,
		slack.NewHeaderBlock(plain("Who does what")),
		slack.NewContextBlock("", mrkdwn("_“"+assessment.DistinctExpectations+"”_\nFor each of the article’s nine task areas: who has it in your partnership — a chief of staff included, or none of you.")),
	)
	var owners []*slack.OptionBlockObject
	for _, o := range partnership.Ownerships() {
		owners = append(owners, slack.NewOptionBlockObject(string(o), plain(OwnershipLabel(o)), nil))
	}
	for i, a := range assessment.TaskAreas() {
		sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Who has it?"), ActionCharterTask, owners...)
		for _, o := range owners {
			if o.Value == string(t.Tasks[i]) {
				sel = sel.WithInitialOption(o)
			}
		}
		blocks = append(blocks, slack.NewInputBlock(BlockCharterTask(i+1), plain(a.Name), plain(a.Description), sel).WithOptional(true))
	}
	goalsOf := "Your top three goals for the quarter"
	if role == assessment.Assistant {
		goalsOf = "Your executive’s top three goals for the quarter"
	}
	blocks = append(blocks, slack.NewHeaderBlock(plain(goalsOf)))
	for i, g := range t.Goals {
		blocks = append(blocks, text(BlockCharterGoal(i+1), fmt.Sprintf("Goal %d", i+1), "", g, partnership.MaxCharterLine, false))
	}
	blocks = append(blocks, slack.NewContextBlock("", mrkdwn("Saving sends this version to "+mention(partnerOf(p, viewer))+" to accept. Saving a draft that waits for you, unchanged, accepts it.")))
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      CallbackCharter,
		Title:           plain("Partnership charter"),
		Submit:          plain("Save"),
		Close:           plain("Cancel"),
		PrivateMetadata: string(meta),
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
}

func partnerOf(p partnership.Pair, user string) string {
	partner, _ := p.Partner(user)
	return partner
}

// formStateLine says, at the top of the form, what is in force and what
// waits for whom.
func formStateLine(p partnership.Pair, viewer string, st partnership.CharterState) string {
	var parts []string
	switch {
	case st.InForce > 0:
		parts = append(parts, "In force: version "+strconv.Itoa(st.InForce)+", agreed on "+slackDate(st.AgreedAt.Unix())+".")
	case st.Pending == 0:
		parts = append(parts, "No charter yet: this is the first draft.")
	}
	if st.Pending > 0 {
		n := strconv.Itoa(st.Pending)
		if st.WaitingFor == viewer {
			parts = append(parts, "Version "+n+", drafted by "+mention(st.DraftedBy)+", waits for you: it is in this form. Save it unchanged to accept it, or change it.")
		} else {
			parts = append(parts, "Version "+n+" waits for "+mention(st.WaitingFor)+" to accept it: it is in this form.")
		}
	}
	return strings.Join(parts, " ")
}

// charterLines is what a version says, as mrkdwn lines, user text escaped.
func charterLines(p partnership.Pair, t partnership.CharterTerms) []string {
	list := func(head string, items []string) []string {
		out := []string{head}
		if len(items) == 0 {
			return append(out, "_Nothing written._")
		}
		for _, s := range items {
			out = append(out, "• "+Escape(s))
		}
		return out
	}
	lines := list("*What "+mention(p.Assistant)+" (assistant) expects of "+mention(p.Executive)+"*", t.AssistantExpects)
	lines = append(lines, list("*What "+mention(p.Executive)+" (executive) expects of "+mention(p.Assistant)+"*", t.ExecutiveExpects)...)
	lines = append(lines, "*How you communicate*")
	if t.Channel != "" {
		lines = append(lines, "Channel: "+Escape(t.Channel))
	}
	if t.Cadence != "" {
		lines = append(lines, "Cadence: "+Escape(t.Cadence))
	}
	if len(t.Decisions) > 0 {
		lines = append(lines, "*Decision rights* (the executive says)")
		for _, d := range t.Decisions {
			lines = append(lines, "• "+Escape(d.Kind)+": _"+strings.ToLower(RightLabel(d.Right))+"_")
		}
	}
	lines = append(lines, "*Who does what*")
	for i, a := range assessment.TaskAreas() {
		lines = append(lines, "• "+a.Name+": "+strings.ToLower(OwnershipLabel(t.Tasks[i])))
	}
	var goals []string
	for _, g := range t.Goals {
		if g != "" {
			goals = append(goals, g)
		}
	}
	if len(goals) > 0 {
		lines = append(lines, "*"+mention(p.Executive)+"’s top goals for the quarter*")
		for i, g := range goals {
			lines = append(lines, strconv.Itoa(i+1)+". "+Escape(g))
		}
	}
	return lines
}

// changedLine names the parts a version changes from the one in force.
func changedLine(c partnership.CharterParts) string {
	var parts []string
	if c.Expectations {
		parts = append(parts, "what you expect of each other")
	}
	if c.Communication {
		parts = append(parts, "how you communicate")
	}
	if c.Decisions {
		parts = append(parts, "decision rights")
	}
	if len(c.Areas) > 0 {
		areas := assessment.TaskAreas()
		var names []string
		for _, i := range c.Areas {
			names = append(names, areas[i].Name)
		}
		parts = append(parts, "who has "+strings.Join(names, ", "))
	}
	if c.Goals {
		parts = append(parts, "the goals")
	}
	if len(parts) == 0 {
		return ""
	}
	return "Changed: " + strings.Join(parts, "; ") + "."
}

// ParseCharter reads the charter form. errs holds inline messages keyed by
// input block: more than five expectations, a kind of decision without its
// right, a task area without its answer, a value that is not one of the
// options (forged), and what the domain says a charter needs. Text is cut
// to its bounds.
func ParseCharter(state *slack.ViewState) (partnership.CharterTerms, map[string]string) {
	var t partnership.CharterTerms
	errs := map[string]string{}
	value := func(block, action string) slack.BlockAction {
		if state == nil {
			return slack.BlockAction{}
		}
		return state.Values[block][action]
	}
	text := func(block string, n int) string {
		a := value(block, ActionCharterText)
		if a.Type != "" && string(a.Type) != string(slack.METPlainTextInput) {
			return ""
		}
		return strings.TrimSpace(cut(strings.TrimSpace(a.Value), n))
	}
	lines := func(block string) []string {
		var out []string
		for _, l := range strings.Split(value(block, ActionCharterText).Value, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, strings.TrimSpace(cut(l, partnership.MaxCharterLine)))
			}
		}
		if len(out) > partnership.MaxExpectations {
			errs[block] = msgCharterTooMany(len(out))
		}
		return out
	}
	t.AssistantExpects = lines(BlockCharterAssistantExpects)
	t.ExecutiveExpects = lines(BlockCharterExecutiveExpects)
	t.Channel = text(BlockCharterChannel, partnership.MaxCommunication)
	t.Cadence = text(BlockCharterCadence, partnership.MaxCommunication)
	for i := 1; i <= partnership.MaxDecisions; i++ {
		kind := text(BlockCharterDecision(i), partnership.MaxDecisionKind)
		right := partnership.DecisionRight(value(BlockCharterRight(i), ActionCharterRight).SelectedOption.Value)
		switch {
		case kind == "": // a right without a kind: a select cannot be cleared, so it is ignored
		case !right.Valid():
			errs[BlockCharterRight(i)] = msgCharterRight
		default:
			t.Decisions = append(t.Decisions, partnership.Decision{Kind: kind, Right: right})
		}
	}
	for i := range assessment.NumTaskAreas {
		o := partnership.Ownership(value(BlockCharterTask(i+1), ActionCharterTask).SelectedOption.Value)
		if o.Valid() {
			t.Tasks[i] = o
		}
	}
	for i := range t.Goals {
		t.Goals[i] = text(BlockCharterGoal(i+1), partnership.MaxCharterLine)
	}
	for k, v := range MissingCharterErrors(t.Clean().Missing()) {
		if _, ok := errs[k]; !ok {
			errs[k] = v
		}
	}
	if len(errs) == 0 {
		return t, nil
	}
	return t, errs
}

// MissingCharterErrors are the inline errors for what a charter lacks.
func MissingCharterErrors(m partnership.CharterParts) map[string]string {
	errs := map[string]string{}
	if m.Expectations {
		errs[BlockCharterAssistantExpects] = msgCharterExpectations
	}
	if m.Communication {
		errs[BlockCharterChannel] = msgCharterCommunication
	}
	if m.Decisions {
		errs[BlockCharterRight(1)] = msgCharterRight
	}
	areas := assessment.TaskAreas()
	for _, i := range m.Areas {
		errs[BlockCharterTask(i+1)] = msgCharterTask(areas[i].Name)
	}
	return errs
}

// CharterSaveFailedErrors keep the form open, with what the user wrote,
// when the charter could not be stored; msg says why ("" for a failure of
// ours: try again).
func CharterSaveFailedErrors(msg string) map[string]string {
	if msg == "" {
		msg = msgCharterSaveFailed
	}
	return map[string]string{BlockCharterAssistantExpects: msg}
}

// CharterSavedText is what the form says once a draft is handled.
func CharterSavedText(d partnership.CharterDraft) (title, text string) {
	n := strconv.Itoa(d.Version.Number)
	switch {
	case d.Accepted && d.InForce:
		return "Charter agreed", "You accepted version " + n + ", drafted by " + mention(d.Version.DraftedBy) + ": it is in force now. " + mention(d.Version.DraftedBy) + " is told."
	case d.Accepted:
		return "Charter accepted", "You accepted version " + n + "."
	case d.Unchanged && d.InForce:
		return "Nothing changed", "This is what version " + n + ", in force since " + slackDate(d.Version.AgreedAt().Unix()) + ", says: nothing was saved."
	case d.Unchanged:
		return "Nothing changed", "This is what version " + n + " says; it still waits for " + mention(d.Partner) + " to accept it."
	}
	return "Charter saved", "Saved as version " + n + ". " + mention(d.Partner) + " gets it to accept: it comes into force once they do, and nothing else changes until then."
}

// CharterCard is the message asking the partner to accept a version: what
// it says, what it changes from the version in force, Accept and Review
// first….
func CharterCard(p partnership.Pair, v partnership.CharterVersion, inForce partnership.CharterVersion) (text string, blocks []slack.Block) {
	text = cardHead(v)
	lines := []string{text}
	if inForce.Number > 0 {
		lines = append(lines, "Version "+strconv.Itoa(inForce.Number)+" stays in force until you accept. "+changedLine(v.Changes(inForce.CharterTerms)))
	}
	blocks = append(sections(lines), slack.NewDividerBlock())
	blocks = append(blocks, sections(charterLines(p, v.CharterTerms))...)
	ref := EncodeCharterRef(p.ID, v.Number)
	blocks = append(blocks,
		slack.NewActionBlock(BlockCharterCard+":"+ref,
			slack.NewButtonBlockElement(ActionCharterAccept, ref, plain("Accept")).WithStyle(slack.StylePrimary),
			slack.NewButtonBlockElement(ActionCharterReview, ref, plain("Review first…")),
		),
		slack.NewContextBlock("", mrkdwn("*Review first…* opens it in a form: what you change there becomes a new version for "+mention(v.DraftedBy)+" to accept.")),
	)
	return text, blocks
}

func cardHead(v partnership.CharterVersion) string {
	return mention(v.DraftedBy) + " drafted version " + strconv.Itoa(v.Number) + " of your partnership charter on " + slackDate(v.DraftedAt.Unix()) +
		". It comes into force once you accept it."
}

// CharterCardAnswered replaces a version's card once someone acted on it:
// the buttons give way to the outcome, who and when; what it says stays.
func CharterCardAnswered(p partnership.Pair, v partnership.CharterVersion, o Outcome) (text string, blocks []slack.Block) {
	text = cardHead(v)
	blocks = append(sections([]string{text}), slack.NewDividerBlock())
	blocks = append(blocks, sections(charterLines(p, v.CharterTerms))...)
	blocks = append(blocks, slack.NewContextBlock(BlockCharterCard, mrkdwn(o.line())))
	return text, blocks
}

// CharterAcceptedMessage tells the drafter their version was accepted.
func CharterAcceptedMessage(a partnership.CharterAcceptance, by string) string {
	return mention(by) + " accepted version " + strconv.Itoa(a.Version.Number) + " of your partnership charter: it is in force since " +
		slackDate(a.Version.AgreedAt().Unix()) + ". `" + Command + " charter history` lists every version."
}

// CharterReviewMessage tells the partner that by reviewed the charter in
// force and it still holds, with the button to confirm it too; or, once
// both did, that the review is done.
func CharterReviewMessage(r partnership.CharterReviewed, by string) (text string, blocks []slack.Block) {
	n := strconv.Itoa(r.Version.Number)
	if r.Done {
		text = "Your partnership charter was reviewed: version " + n + " still holds, no change. The next review is due by " + slackDate(r.Next.Unix()) + "."
		return text, []slack.Block{slack.NewSectionBlock(mrkdwn(text), nil, nil)}
	}
	text = mention(by) + " reviewed your partnership charter: version " + n + " still holds for them. Does it for you? Confirm, or change it."
	ref := EncodeCharterRef(r.Pair.ID, r.Version.Number)
	return text, []slack.Block{
		slack.NewSectionBlock(mrkdwn(text), nil, nil),
		slack.NewActionBlock(BlockCharterCard+":review:"+ref,
			slack.NewButtonBlockElement(ActionCharterStillHolds, ref, plain("Still holds: no change")).WithStyle(slack.StylePrimary),
			slack.NewButtonBlockElement(ActionCharterOpen, EncodeCharterRef(r.Pair.ID, 0), plain("Open charter")),
			slack.NewButtonBlockElement(ActionCharterReview, EncodeCharterRef(r.Pair.ID, 0), plain("Change it…")),
		),
	}
}

// maxCharterHistory caps the versions listed in the charter's history.
const maxCharterHistory = 20

// versionLine is one version in the history: who drafted it when, who
// accepted it when, and what became of it.
func versionLine(c partnership.Charter, v partnership.CharterVersion, inForce int) string {
	s := "*Version " + strconv.Itoa(v.Number) + "* drafted by " + mention(v.DraftedBy) + " on " + slackDate(v.DraftedAt.Unix())
	for _, a := range v.Accepted {
		if a.By != v.DraftedBy {
			s += " · accepted by " + mention(a.By) + " on " + slackDate(a.At.Unix())
		}
	}
	switch latest, _ := c.Latest(); {
	case v.Number == inForce:
		s += " · *in force*"
	case v.Agreed():
		s += " · in force until version " + strconv.Itoa(nextAgreed(c, v.Number)) + " was agreed"
	case v.Number == latest.Number:
		s += " · waiting to be accepted"
	default:
		s += " · replaced by version " + strconv.Itoa(v.Number+1) + " before it was accepted"
	}
	for _, r := range c.Reviews {
		if r.Version == v.Number && r.Done() {
			s += " · reviewed, no change, on " + slackDate(r.DoneAt().Unix())
		}
	}
	return s
}

func nextAgreed(c partnership.Charter, after int) int {
	for _, v := range c.Versions {
		if v.Number > after && v.Agreed() {
			return v.Number
		}
	}
	return after + 1
}

func historyLines(c partnership.Charter) []string {
	inForce, _ := c.InForce()
	var lines []string
	for i := len(c.Versions) - 1; i >= 0 && len(lines) < maxCharterHistory; i-- {
		lines = append(lines, versionLine(c, c.Versions[i], inForce.Number))
	}
	if n := len(c.Versions) - len(lines); n > 0 {
		lines = append(lines, fmt.Sprintf("And %s before.", plural(n, "older version", "older versions")))
	}
	return lines
}

// CharterHistoryReply lists the charter's versions, newest first.
func CharterHistoryReply(p partnership.Pair, c partnership.Charter, viewer string) *Reply {
	if len(c.Versions) == 0 {
		return ephemeral("Your partnership with " + mention(partnerOf(p, viewer)) + " has no charter yet. `" + Command + " charter` drafts one.")
	}
	head := "*Your partnership charter with " + mention(partnerOf(p, viewer)) + ": " + plural(len(c.Versions), "version", "versions") + "*"
	return ephemeral("Your partnership charter: "+plural(len(c.Versions), "version", "versions"), sections(append([]string{head}, historyLines(c)...))...)
}

// CharterView shows the pair's charter to a member: a draft waiting for
// them (with Accept), the review when due (with Still holds), the version
// in force, the draft waiting, and the history.
func CharterView(p partnership.Pair, c partnership.Charter, viewer string, now time.Time) slack.ModalViewRequest {
	st := c.State(p, now)
	blocks := []slack.Block{slack.NewSectionBlock(mrkdwn("*Your partnership charter* with "+mention(partnerOf(p, viewer))), nil, nil)}
	inForce, hasInForce := c.InForce()
	pending, hasPending := c.Pending()
	if !hasInForce && !hasPending {
		blocks = append(blocks, slack.NewSectionBlock(mrkdwn("No charter yet. _“"+assessment.DefineRoles+"”_\n`"+Command+" charter` drafts one for you both to accept."), nil, nil))
	}
	if hasPending && st.WaitingFor == viewer {
		ref := EncodeCharterRef(p.ID, pending.Number)
		blocks = append(blocks,
			slack.NewSectionBlock(mrkdwn(":inbox_tray: Version "+strconv.Itoa(pending.Number)+", drafted by "+mention(pending.DraftedBy)+", waits for you to accept it (below). To change it instead: `"+Command+" charter`."), nil, nil),
			slack.NewActionBlock(BlockCharterCard+":view:"+ref, slack.NewButtonBlockElement(ActionCharterAccept, ref, plain("Accept version "+strconv.Itoa(pending.Number))).WithStyle(slack.StylePrimary)))
	}
	if st.Status == partnership.CharterStatusReviewDue {
		text := ":calendar: *Review due by " + slackDate(st.NextReview.Unix()) + "*: does version " + strconv.Itoa(inForce.Number) + " still hold? You both confirm, or agree a change."
		if len(st.Reviewed) > 0 {
			text += " " + mention(st.Reviewed[0]) + " confirmed it still holds."
		}
		if !slices.Contains(st.Reviewed, viewer) {
			ref := EncodeCharterRef(p.ID, inForce.Number)
			blocks = append(blocks, slack.NewSectionBlock(mrkdwn(text), nil, slack.NewAccessory(
				slack.NewButtonBlockElement(ActionCharterStillHolds, ref, plain("Still holds: no change")))))
		} else {
			blocks = append(blocks, slack.NewSectionBlock(mrkdwn(text), nil, nil))
		}
	}
	if hasInForce {
		head := "*In force: version " + strconv.Itoa(inForce.Number) + "*, agreed on " + slackDate(inForce.AgreedAt().Unix())
		if !st.NextReview.IsZero() {
			head += " · next review by " + slackDate(st.NextReview.Unix())
		}
		blocks = append(blocks, slack.NewDividerBlock())
		blocks = append(blocks, sections(append([]string{head}, charterLines(p, inForce.CharterTerms)...))...)
	}
	if hasPending {
		head := "*Waiting: version " + strconv.Itoa(pending.Number) + "*, drafted by " + mention(pending.DraftedBy) + " on " + slackDate(pending.DraftedAt.Unix()) +
			", for " + mention(st.WaitingFor) + " to accept."
		if hasInForce {
			head += " " + changedLine(pending.Changes(inForce.CharterTerms))
		}
		blocks = append(blocks, slack.NewDividerBlock())
		blocks = append(blocks, sections(append([]string{head}, charterLines(p, pending.CharterTerms)...))...)
	}
	if len(c.Versions) > 0 {
		blocks = append(blocks, slack.NewDividerBlock(), slack.NewSectionBlock(mrkdwn("*History*"), nil, nil))
		blocks = append(blocks, slack.NewContextBlock("", mrkdwn(clip(strings.Join(historyLines(c), "\n"), maxContextText))))
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      CallbackCharterView,
		Title:           plain("Partnership charter"),
		Close:           plain("Close"),
		PrivateMetadata: string(p.ID),
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
}

// maxContextText is Slack's limit of a context block's text.
const maxContextText = 3000

// charterHomeLine is a pair's charter state on the Home tab.
func charterHomeLine(viewer string, st partnership.CharterState) string {
	waiting := func() string {
		if st.WaitingFor == viewer {
			return "waits for you to accept it"
		}
		return "waits for " + mention(st.WaitingFor)
	}
	switch st.Status {
	case partnership.CharterStatusDraft:
		return ":scroll: Charter: draft (version " + strconv.Itoa(st.Pending) + ") " + waiting() + "."
	case partnership.CharterStatusAgreed, partnership.CharterStatusReviewDue:
		s := ":scroll: Charter: agreed on " + slackDate(st.AgreedAt.Unix()) + " (version " + strconv.Itoa(st.InForce) + ")"
		if st.Status == partnership.CharterStatusReviewDue {
			s += " · *review due* by " + slackDate(st.NextReview.Unix())
			if len(st.Reviewed) > 0 {
				s += " (" + mention(st.Reviewed[0]) + " confirmed it still holds)"
			}
		} else {
			s += " · next review by " + slackDate(st.NextReview.Unix())
		}
		s += "."
		if st.Pending > 0 {
			s += " A change (version " + strconv.Itoa(st.Pending) + ") " + waiting() + "."
		}
		return s
	}
	return ":scroll: Charter: none yet. Agree on your roles and expectations, who has which task area, and the goals for the quarter."
}

// charterHomeButtons are a pair's charter buttons on the Home tab.
func charterHomeButtons(p partnership.Pair, viewer string, st partnership.CharterState) slack.Block {
	latest := EncodeCharterRef(p.ID, 0)
	var els []slack.BlockElement
	if st.Status == partnership.CharterStatusNone || st.Status == "" {
		els = append(els, slack.NewButtonBlockElement(ActionCharterReview, latest, plain("Draft the charter")))
	} else {
		els = append(els, slack.NewButtonBlockElement(ActionCharterOpen, latest, plain("Open charter")),
			slack.NewButtonBlockElement(ActionCharterReview, latest, plain("Review")))
	}
	if st.Pending > 0 && st.WaitingFor == viewer {
		ref := EncodeCharterRef(p.ID, st.Pending)
		els = append(els, slack.NewButtonBlockElement(ActionCharterAccept, ref, plain("Accept version "+strconv.Itoa(st.Pending))).WithStyle(slack.StylePrimary))
	}
	if st.Status == partnership.CharterStatusReviewDue && !slices.Contains(st.Reviewed, viewer) {
		els = append(els, slack.NewButtonBlockElement(ActionCharterStillHolds, EncodeCharterRef(p.ID, st.InForce), plain("Still holds: no change")))
	}
	return slack.NewActionBlock(BlockHomeCharter+":"+string(p.ID), els...)
}

// ownershipBlocks are the Home tab's table of who has each task area,
// executive by executive, for an assistant in several partnerships.
func ownershipBlocks(rows []partnership.TaskOwnership) []slack.Block {
	lines := []string{"*Who has each task area, across your executives*"}
	for i, a := range assessment.TaskAreas() {
		var cells []string
		for _, r := range rows {
			cells = append(cells, mention(r.Pair.Executive)+": "+ownershipShort(r.Areas[i]))
		}
		lines = append(lines, "• *"+a.Name+"* — "+strings.Join(cells, " · "))
	}
	var none []string
	for _, r := range rows {
		if r.Version == 0 {
			none = append(none, mention(r.Pair.Executive))
		}
	}
	blocks := sections(lines)
	if len(none) > 0 {
		blocks = append(blocks, slack.NewContextBlock("", mrkdwn("No charter in force yet with "+strings.Join(none, ", ")+": “—” until you both accept one.")))
	}
	return blocks
}
