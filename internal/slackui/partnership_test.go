package slackui

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/slack-go/slack"
)

// Fixtures: fixed IDs and times, so that golden files are stable.
const (
	ada = "UADA"
	eve = "UEVE"
	sam = "USAM"
)

var (
	pairAE = partnership.Pair{ID: partnership.NewPairID(ada, eve), Assistant: ada, Executive: eve, CreatedBy: ada, CreatedAt: t0}
	pairAS = partnership.Pair{ID: partnership.NewPairID(ada, sam), Assistant: ada, Executive: sam, CreatedBy: ada, CreatedAt: t0}
	choice = PairChoice{
		Options:  []PairOption{{ID: pairAE.ID, Label: "Ada Assistant & Eve Exec"}, {ID: pairAS.ID, Label: "Ada Assistant & Sam Senior"}},
		Selected: pairAE.ID,
	}
)

func wish(id, from, to, text string, status partnership.WishStatus, created time.Time) partnership.Wish {
	return partnership.Wish{ID: id, PairID: pairAE.ID, From: from, To: to, Text: text, Status: status, CreatedAt: created}
}

// message is how golden files hold a (text, blocks) pair.
type message struct {
	Text   string        `json:"text"`
	Blocks []slack.Block `json:"blocks"`
}

func msg(text string, blocks []slack.Block) message { return message{text, blocks} }

// rendered is v as JSON without HTML escaping, to search for what Slack sees.
func rendered(t *testing.T, v any) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	// slack.Blocks marshals itself with HTML escaping.
	return strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(buf.String())
}

func inputs(blocks []slack.Block) map[string]*slack.InputBlock {
	out := map[string]*slack.InputBlock{}
	for _, b := range blocks {
		if in, ok := b.(*slack.InputBlock); ok {
			out[in.BlockID] = in
		}
	}
	return out
}

func TestAssessmentModalInPair(t *testing.T) {
	m := AssessmentModal(assessment.Executive, choice)
	golden(t, "assessment_modal_pair", m)
	blocks := m.Blocks.BlockSet

	act, ok := blocks[0].(*slack.ActionBlock)
	if !ok || act.BlockID != BlockPair {
		t.Fatalf("first block = %#v, want actions %s", blocks[0], BlockPair)
	}
	sel, ok := act.Elements.ElementSet[0].(*slack.SelectBlockElement)
	if !ok || sel.Type != slack.OptTypeStatic || sel.ActionID != ActionPairSelect || len(sel.Options) != 2 {
		t.Fatalf("pair select = %#v", act.Elements.ElementSet[0])
	}
	if sel.InitialOption == nil || sel.InitialOption.Value != string(pairAE.ID) || sel.Options[1].Text.Text != "Ada Assistant & Sam Senior" {
		t.Errorf("pair select initial %+v options %+v", sel.InitialOption, sel.Options)
	}
	js := rendered(t, m)
	if !strings.Contains(js, "How well do you partner with your assistant?") || !strings.Contains(js, "Do you trust your assistant?") {
		t.Errorf("executive modal does not speak of the assistant:\n%s", js)
	}

	share := inputs(blocks)[BlockShare]
	if share == nil || !share.Optional {
		t.Fatalf("share input = %#v, want an optional input %s", share, BlockShare)
	}
	cb, ok := share.Element.(*slack.CheckboxGroupsBlockElement)
	if !ok || cb.ActionID != ActionShare || len(cb.Options) != 1 {
		t.Fatalf("share element = %#v", share.Element)
	}
	if got := cb.Options[0].Text.Text; got != "Share my answers with my partner" || cb.Options[0].Value != ValueShare {
		t.Errorf("share option = %q %q, want %q", got, cb.Options[0].Value, "Share my answers with my partner")
	}
	if len(cb.InitialOptions) != 0 {
		t.Errorf("share is ticked by default: %+v", cb.InitialOptions)
	}
	if i := slices.IndexFunc(blocks, func(b slack.Block) bool { return b.ID() == BlockShare }); i < slices.IndexFunc(blocks, func(b slack.Block) bool { return b.ID() == BlockQuestion(10) }) {
		t.Errorf("share checkbox is not after the questions")
	}
	if !strings.Contains(js, "Scores and bands are always shared within the pair; your answers only if you tick the box.") {
		t.Errorf("modal lacks the sharing rule:\n%s", js)
	}

	meta, err := ParseAssessMeta(m.PrivateMetadata)
	if err != nil || meta.PairID != pairAE.ID || meta.Perspective != assessment.Executive {
		t.Errorf("ParseAssessMeta = %+v, %v", meta, err)
	}
}

func TestAssessmentModalOnePair(t *testing.T) {
	m := AssessmentModal(assessment.Assistant, PairChoice{Options: choice.Options[:1], Selected: pairAE.ID})
	if _, ok := m.Blocks.BlockSet[0].(*slack.ActionBlock); ok {
		t.Error("a single pair gets a select")
	}
	if inputs(m.Blocks.BlockSet)[BlockShare] == nil {
		t.Error("a modal for a pair lacks the share checkbox")
	}
	solo := AssessmentModal(assessment.Assistant, PairChoice{})
	if inputs(solo.Blocks.BlockSet)[BlockShare] != nil {
		t.Error("a modal outside a pair offers sharing")
	}
}

func TestParseAssessMetaPair(t *testing.T) {
	for _, tt := range []struct {
		s       string
		want    partnership.PairID
		wantErr bool
	}{
		{`{"v":1,"p":"assistant","pair":"UADA-UEVE"}`, "UADA-UEVE", false},
		{`{"v":1,"p":"assistant"}`, "", false},
		{`{"v":1,"p":"assistant","pair":"UADA"}`, "", true},
		{`{"v":1,"p":"assistant","pair":"UADA-UEVE-USAM"}`, "", true},
		{`{"v":1,"p":"assistant","pair":"<!channel>-UEVE"}`, "", true},
		{`{"v":1,"p":"assistant","pair":42}`, "", true},
		{`{"v":1,"p":"assistant","pair":"` + strings.Repeat("U", 3000) + `"}`, "", true},
	} {
		m, err := ParseAssessMeta(tt.s)
		if tt.wantErr {
			if !errors.Is(err, ErrBadMetadata) {
				t.Errorf("ParseAssessMeta(%.60s) error = %v, want ErrBadMetadata", tt.s, err)
			}
			continue
		}
		if err != nil || m.PairID != tt.want {
			t.Errorf("ParseAssessMeta(%s) = %+v, %v; want pair %q", tt.s, m, err, tt.want)
		}
	}
}

func shareState(opts ...string) *slack.ViewState {
	a := slack.BlockAction{Type: "checkboxes"}
	for _, o := range opts {
		a.SelectedOptions = append(a.SelectedOptions, slack.OptionBlockObject{Value: o})
	}
	return &slack.ViewState{Values: map[string]map[string]slack.BlockAction{BlockShare: {ActionShare: a}}}
}

func TestParseShare(t *testing.T) {
	tests := []struct {
		name  string
		state *slack.ViewState
		want  bool
	}{
		{"nil state", nil, false},
		{"no block", &slack.ViewState{}, false},
		{"unticked", shareState(), false},
		{"ticked", shareState(ValueShare), true},
		{"forged value", shareState("yes"), false},
		{"twice", shareState(ValueShare, ValueShare), false},
		{"wrong action", &slack.ViewState{Values: map[string]map[string]slack.BlockAction{BlockShare: {"other": {SelectedOptions: []slack.OptionBlockObject{{Value: ValueShare}}}}}}, false},
		{"selected_option instead", &slack.ViewState{Values: map[string]map[string]slack.BlockAction{BlockShare: {ActionShare: {SelectedOption: slack.OptionBlockObject{Value: ValueShare}}}}}, false},
	}
	for _, tt := range tests {
		if got := ParseShare(tt.state); got != tt.want {
			t.Errorf("ParseShare(%s) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func pairAction(block, action, value string) slack.InteractionCallback {
	var cb slack.InteractionCallback
	cb.Type = slack.InteractionTypeBlockActions
	cb.ActionCallback.BlockActions = []*slack.BlockAction{{BlockID: block, ActionID: action, SelectedOption: slack.OptionBlockObject{Value: value}}}
	return cb
}

func TestParsePairSelect(t *testing.T) {
	tests := []struct {
		name   string
		cb     slack.InteractionCallback
		want   partnership.PairID
		wantOK bool
	}{
		{"pick", pairAction(BlockPair, ActionPairSelect, "UADA-USAM"), "UADA-USAM", true},
		{"no actions", slack.InteractionCallback{}, "", false},
		{"nil action", slack.InteractionCallback{ActionCallback: slack.ActionCallbacks{BlockActions: []*slack.BlockAction{nil}}}, "", false},
		{"other action", pairAction(BlockPair, ActionWishAck, "UADA-USAM"), "", false},
		{"other block", pairAction("elsewhere", ActionPairSelect, "UADA-USAM"), "", false},
		{"empty value", pairAction(BlockPair, ActionPairSelect, ""), "", false},
		{"forged value", pairAction(BlockPair, ActionPairSelect, "UADA-USAM:w1"), "", false},
		{"lower case", pairAction(BlockPair, ActionPairSelect, "uada-usam"), "", false},
		{"oversized", pairAction(BlockPair, ActionPairSelect, "U"+strings.Repeat("A", 300)+"-USAM"), "", false},
	}
	for _, tt := range tests {
		got, ok := ParsePairSelect(tt.cb)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("ParsePairSelect(%s) = %q, %v; want %q, %v", tt.name, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestPairSetupModal(t *testing.T) {
	m := PairSetupModal()
	golden(t, "pair_setup_modal", m)
	in := inputs(m.Blocks.BlockSet)[BlockPartner]
	if in == nil || in.Optional || in.Label.Text != "Who do you work with?" || in.Hint == nil || !strings.Contains(in.Hint.Text, "unless they accept") {
		t.Fatalf("partner input = %#v", in)
	}
	role := inputs(m.Blocks.BlockSet)[BlockRole]
	if radio, ok := role.Element.(*slack.RadioButtonsBlockElement); !ok || len(radio.Options) != 2 || radio.InitialOption == nil || radio.InitialOption.Value != ValueTheyExec {
		t.Errorf("role input = %#v, want two choices, \"they are my executive\" first", role.Element)
	}
	if sel, ok := in.Element.(*slack.SelectBlockElement); !ok || sel.Type != slack.OptTypeUser || sel.ActionID != ActionPartner {
		t.Errorf("partner element = %#v, want users_select %s", in.Element, ActionPartner)
	}
	if m.CallbackID != CallbackPairSetup {
		t.Errorf("callback = %q", m.CallbackID)
	}
}

func userState(block, action, user string) *slack.ViewState {
	return &slack.ViewState{Values: map[string]map[string]slack.BlockAction{block: {action: {SelectedUser: user}}}}
}

func TestParsePairSetup(t *testing.T) {
	asAssistant := userState(BlockPartner, ActionPartner, "UEVE")
	asAssistant.Values[BlockRole] = map[string]slack.BlockAction{ActionRole: {SelectedOption: slack.OptionBlockObject{Value: ValueTheyAssist}}}
	tests := []struct {
		name     string
		state    *slack.ViewState
		want     string
		wantErr  string
		wantRole assessment.Perspective
	}{
		{"chosen", userState(BlockPartner, ActionPartner, "UEVE"), "UEVE", "", assessment.Assistant},
		{"they are my assistant", asAssistant, "UEVE", "", assessment.Executive},
		{"enterprise user", userState(BlockPartner, ActionPartner, "W0123"), "W0123", "", ""},
		{"nil state", nil, "", msgPartnerRequired, ""},
		{"nobody", userState(BlockPartner, ActionPartner, ""), "", msgPartnerRequired, ""},
		{"other block", userState("q1", ActionPartner, "UEVE"), "", msgPartnerRequired, ""},
		{"channel", userState(BlockPartner, ActionPartner, "C0123"), "", msgPartnerInvalid, ""},
		{"forged", userState(BlockPartner, ActionPartner, "<!channel>"), "", msgPartnerInvalid, ""},
		{"oversized", userState(BlockPartner, ActionPartner, "U"+strings.Repeat("A", 100)), "", msgPartnerInvalid, ""},
	}
	for _, tt := range tests {
		got, role, errs := ParsePairSetup(tt.state)
		if tt.wantRole == "" && tt.wantErr == "" {
			tt.wantRole = assessment.Assistant
		}
		if got != tt.want || errs[BlockPartner] != tt.wantErr || len(errs) > 1 || role != tt.wantRole {
			t.Errorf("ParsePairSetup(%s) = %q, %s, %v; want %q, %s, %q", tt.name, got, role, errs, tt.want, tt.wantRole, tt.wantErr)
		}
	}
}

func TestPairedMessage(t *testing.T) {
	golden(t, "paired_executive", msg(PairedMessage(pairAE, eve)))
	golden(t, "paired_assistant", msg(PairedMessage(pairAE, ada)))
	golden(t, "partner_left", msg(PartnerLeftMessage(pairAE, eve)))

	for _, tt := range []struct{ to, text string }{
		{eve, "You and <@UADA> are partners now: you are the executive, they are the assistant."},
		{ada, "You and <@UEVE> are partners now: you are the assistant, they are the executive."},
	} {
		text, blocks := PairedMessage(pairAE, tt.to)
		if text != tt.text {
			t.Errorf("paired text for %s = %q, want %q", tt.to, text, tt.text)
		}
		// Both accepted; either may leave.
		act, ok := blocks[len(blocks)-1].(*slack.ActionBlock)
		if !ok {
			t.Fatalf("paired message to %s ends with %#v, want the leave button", tt.to, blocks[len(blocks)-1])
		}
		btn := act.Elements.ElementSet[0].(*slack.ButtonBlockElement)
		if btn.ActionID != ActionPairLeave || btn.Value != string(pairAE.ID) || btn.Style != slack.StyleDanger || btn.Confirm == nil || btn.Text.Text != "Leave this partnership" {
			t.Errorf("leave button = %+v", btn)
		}
		if !strings.Contains(rendered(t, blocks), "private unless you tick") {
			t.Error("the paired message does not say answers are private")
		}
	}
	if text, _ := PartnerLeftMessage(pairAE, eve); text != "<@UEVE>, your executive, left your partnership." {
		t.Errorf("left text = %q", text)
	}
}

func TestInvitationMessages(t *testing.T) {
	inv := partnership.Invitation{Pair: pairAE.ID, Assistant: ada, Executive: eve, From: eve, At: t0}
	golden(t, "invitation", msg(InvitationMessage(inv)))
	answered := msg(InvitationAnsweredMessage(inv, Outcome{What: "Accepted", By: ada, At: t0.Add(time.Hour)}))
	golden(t, "invitation_accepted", answered)

	text, blocks := InvitationMessage(inv)
	if text != "<@UEVE> invites you to a partnership on partnerbot: you would be the assistant, they the executive." {
		t.Errorf("invitation text = %q", text)
	}
	js := rendered(t, blocks)
	for _, want := range []string{ActionInviteAccept, ActionInviteDecline, string(pairAE.ID), "Nothing is shared and no check-in starts unless you accept",
		"<!date^" + strconv.FormatInt(t0.Add(partnership.InvitationTTL).Unix(), 10)} {
		if !strings.Contains(js, want) {
			t.Errorf("invitation lacks %q:\n%s", want, js)
		}
	}
	// Answered: no buttons left, the outcome with who and when.
	js = rendered(t, answered)
	if strings.Contains(js, ActionInviteAccept) || !strings.Contains(js, "Accepted by <@UADA> on <!date^") {
		t.Errorf("answered invitation:\n%s", js)
	}
	if got := InvitationSentReply(inv); !strings.Contains(got, "I invited <@UADA> to be your assistant") {
		t.Errorf("sent reply = %q", got)
	}
	if got := InvitationDeclinedMessage(inv); !strings.Contains(got, "<@UADA> declined your invitation") || !strings.Contains(got, "nothing was shared") {
		t.Errorf("declined = %q", got)
	}
}

func stepsState(values map[string]slack.BlockAction) *slack.ViewState {
	st := &slack.ViewState{Values: map[string]map[string]slack.BlockAction{}}
	for block, a := range values {
		st.Values[block] = map[string]slack.BlockAction{ActionStep: a}
	}
	return st
}

func TestNextStepsModal(t *testing.T) {
	cur := partnership.NextSteps{PairID: pairAE.ID, UserID: ada,
		JustRight: partnership.List{"Prepare the weekly agenda", "", "Guard focus time"},
		DoMore:    partnership.List{"Ask about priorities every Monday"},
		Wishes:    partnership.List{"Share the board deck a day earlier", "Praise in public", ""},
		WishIDs:   [partnership.ListSize]string{"w1"},
	}
	sent := map[string]partnership.Wish{"w1": wishDeck}
	m := NextStepsModal(assessment.Assistant, cur, sent, choice)
	golden(t, "next_steps_assistant", m)
	js := rendered(t, m)
	for _, want := range []string{
		"List three things you are doing “just right” to be a great partner with your boss.",
		"List three things you could do more of or begin doing to be an exceptional partner with your boss.",
		"List three things you wish your boss would do to improve your partnership.",
	} {
		if !strings.Contains(js, want) {
			t.Errorf("assistant modal lacks %q", want)
		}
	}
	in := inputs(m.Blocks.BlockSet)
	if len(in) != 12 {
		t.Fatalf("%d inputs, want 9 lines and a choice under each wish line", len(in))
	}
	// Each wish line: kept to oneself unless sent; a sent one says so.
	for i, want := range []string{ValueSend, ValueKeep, ValueKeep} {
		radio, ok := in[BlockWishSend(i+1)].Element.(*slack.RadioButtonsBlockElement)
		if !ok || !in[BlockWishSend(i+1)].Optional || radio.InitialOption == nil || radio.InitialOption.Value != want || len(radio.Options) != 2 {
			t.Errorf("the choice under wish %d = %#v, want %s preselected", i+1, in[BlockWishSend(i+1)], want)
		}
	}
	if !strings.Contains(js, "With your boss: sent <!date^") || !strings.Contains(js, "Keep to myself") || !strings.Contains(js, "Send to my boss") {
		t.Errorf("the modal does not say where a sent wish stands, or lacks the choice:\n%s", js)
	}
	for _, l := range StepLists() {
		for i := 1; i <= 3; i++ {
			b := in[BlockStep(l, i)]
			if b == nil || !b.Optional {
				t.Fatalf("input %s = %#v, want optional", BlockStep(l, i), b)
			}
			el := b.Element.(*slack.PlainTextInputBlockElement)
			if el.ActionID != ActionStep || el.MaxLength != partnership.MaxItemLen {
				t.Errorf("%s element = %+v", BlockStep(l, i), el)
			}
		}
	}
	if got := in["just_right_3"].Element.(*slack.PlainTextInputBlockElement).InitialValue; got != "Guard focus time" {
		t.Errorf("just_right_3 initial = %q", got)
	}
	if got := in["wish_1"].Element.(*slack.PlainTextInputBlockElement).InitialValue; got != "Share the board deck a day earlier" {
		t.Errorf("wish_1 initial = %q", got)
	}
	if id, err := ParseNextStepsMeta(m.PrivateMetadata); err != nil || id != pairAE.ID {
		t.Errorf("ParseNextStepsMeta = %q, %v", id, err)
	}

	ex := rendered(t, NextStepsModal(assessment.Executive, partnership.NextSteps{}, nil, PairChoice{Selected: pairAE.ID}))
	if !strings.Contains(ex, "List three things you wish your assistant would do to improve your partnership.") || strings.Contains(ex, "boss") {
		t.Errorf("executive modal does not speak of the assistant:\n%s", ex)
	}
}

func TestParseNextSteps(t *testing.T) {
	long := strings.Repeat("é", partnership.MaxItemLen+50)
	tests := []struct {
		name                         string
		state                        *slack.ViewState
		wantJust, wantMore, wantWish partnership.List
	}{
		{"nil state", nil, partnership.List{}, partnership.List{}, partnership.List{}},
		{"filled", stepsState(map[string]slack.BlockAction{
			"just_right_1": {Type: "plain_text_input", Value: " agenda "},
			"do_more_2":    {Type: "plain_text_input", Value: "ask"},
			"wish_3":       {Value: "earlier deck"},
		}), partnership.List{"agenda"}, partnership.List{"", "ask"}, partnership.List{"", "", "earlier deck"}},
		{"oversized", stepsState(map[string]slack.BlockAction{"wish_1": {Value: long}}),
			partnership.List{}, partnership.List{}, partnership.List{long[:partnership.MaxItemLen*2]}},
		{"wrong type", stepsState(map[string]slack.BlockAction{"wish_1": {Type: "static_select", Value: "x", SelectedOption: slack.OptionBlockObject{Value: "y"}}}),
			partnership.List{}, partnership.List{}, partnership.List{}},
		{"unknown block", stepsState(map[string]slack.BlockAction{"wish_4": {Value: "x"}, "wish_0": {Value: "y"}}),
			partnership.List{}, partnership.List{}, partnership.List{}},
	}
	for _, tt := range tests {
		j, m, w, send := ParseNextSteps(tt.state)
		if j != tt.wantJust || m != tt.wantMore || w != tt.wantWish || send != ([partnership.ListSize]bool{}) {
			t.Errorf("ParseNextSteps(%s) = %q %q %.40q %v, want %q %q %.40q, nothing sent", tt.name, j, m, w, send, tt.wantJust, tt.wantMore, tt.wantWish)
		}
	}
	// The choice under each wish line: only the send option sends.
	st := &slack.ViewState{Values: map[string]map[string]slack.BlockAction{
		BlockWishSend(1): {ActionWishSend: {SelectedOption: slack.OptionBlockObject{Value: ValueSend}}},
		BlockWishSend(2): {ActionWishSend: {SelectedOption: slack.OptionBlockObject{Value: ValueKeep}}},
		BlockWishSend(3): {ActionWishSend: {SelectedOption: slack.OptionBlockObject{Value: "send it anyway"}}},
	}}
	if _, _, _, send := ParseNextSteps(st); send != [partnership.ListSize]bool{true, false, false} {
		t.Errorf("send = %v, want only the first", send)
	}
}

func TestParseNextStepsMeta(t *testing.T) {
	for _, tt := range []struct {
		s       string
		want    partnership.PairID
		wantErr bool
	}{
		{`{"v":1,"pair":"UADA-UEVE"}`, "UADA-UEVE", false},
		{`{"v":1}`, "", true},
		{`{"v":1,"pair":""}`, "", true},
		{`{"v":2,"pair":"UADA-UEVE"}`, "", true},
		{`{"v":"1","pair":"UADA-UEVE"}`, "", true},
		{`{"v":1,"pair":["UADA-UEVE"]}`, "", true},
		{`{"v":1,"pair":"UADA-UEVE:w1"}`, "", true},
		{`{"v":1,"pair":"UADA-UEVE","x":"` + strings.Repeat("x", 3000) + `"}`, "", true},
		{"", "", true},
	} {
		got, err := ParseNextStepsMeta(tt.s)
		if tt.wantErr != (err != nil) || got != tt.want || (err != nil && !errors.Is(err, ErrBadMetadata)) {
			t.Errorf("ParseNextStepsMeta(%.50s) = %q, %v; want %q, error %v", tt.s, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestWishRef(t *testing.T) {
	ref := EncodeWishRef(pairAE.ID, "w0123456789ab")
	if ref != "UADA-UEVE:w0123456789ab" {
		t.Errorf("EncodeWishRef = %q", ref)
	}
	if p, w, err := ParseWishRef(ref); err != nil || p != pairAE.ID || w != "w0123456789ab" {
		t.Errorf("ParseWishRef(%q) = %q, %q, %v", ref, p, w, err)
	}
	for _, s := range []string{
		"",
		":",
		"UADA-UEVE",
		"UADA-UEVE:",
		":w1",
		"UADA-UEVE:w1:w2",
		"UADA-UEVE::w1",
		"UADA-UEVE:w-1",
		"UADA-UEVE:w 1",
		"UADA-UEVE:w1\n",
		"UADA-UEVE:wé",
		"UADA:w1",
		"UADA-UEVE-USAM:w1",
		"uada-ueve:w1",
		"C0123-UEVE:w1",
		"<!channel>:w1",
		"UADA-UEVE:" + strings.Repeat("a", 65),
		"UADA-UEVE:" + strings.Repeat("a", 200),
	} {
		if p, w, err := ParseWishRef(s); !errors.Is(err, ErrBadWishRef) {
			t.Errorf("ParseWishRef(%.40q) = %q, %q, %v; want ErrBadWishRef", s, p, w, err)
		}
	}
}

func buttons(t *testing.T, b slack.Block) (ids []string, values []string) {
	t.Helper()
	act, ok := b.(*slack.ActionBlock)
	if !ok {
		return nil, nil
	}
	for _, e := range act.Elements.ElementSet {
		btn := e.(*slack.ButtonBlockElement)
		ids = append(ids, btn.ActionID)
		values = append(values, btn.Value)
	}
	return ids, values
}

func TestWishButtons(t *testing.T) {
	open := wish("w1", ada, eve, "Share the deck", partnership.WishOpen, t0)
	ids, values := buttons(t, WishButtons(open))
	if !reflect.DeepEqual(ids, []string{ActionWishAck, ActionWishDone, ActionWishDecline}) {
		t.Errorf("open wish buttons = %v", ids)
	}
	for _, v := range values {
		if p, w, err := ParseWishRef(v); err != nil || p != pairAE.ID || w != "w1" {
			t.Errorf("button value %q = %q %q %v", v, p, w, err)
		}
	}
	ack := open
	ack.Status = partnership.WishAcknowledged
	ids, values = buttons(t, WishButtons(ack))
	if !reflect.DeepEqual(ids, []string{ActionWishDone, ActionWishDecline, ActionMakeGoal}) {
		t.Errorf("acknowledged wish buttons = %v", ids)
	} else if idea, err := ParseIdea(values[2]); err != nil || idea.WishID != "w1" || idea.Pair != pairAE.ID {
		t.Errorf("Make it a goal names %+v, %v; want the wish", idea, err)
	}
	done := open
	done.Status = partnership.WishDone
	if _, ok := WishButtons(done).(*slack.ActionBlock); ok {
		t.Error("a done wish has buttons")
	}
	other := open
	other.PairID = pairAS.ID
	if WishButtons(open).ID() == WishButtons(other).ID() {
		t.Error("wishes of two pairs with one ID share a block_id")
	}
}

var (
	wishDeck  = wish("w1", ada, eve, "Share the board deck a day earlier", partnership.WishOpen, t0)
	wishOnes  = wish("w2", ada, eve, "Hold our one-on-one every week", partnership.WishAcknowledged, t0.Add(-3*24*time.Hour))
	wishQuiet = wish("w3", eve, ada, "Keep Friday afternoons free of meetings", partnership.WishOpen, t0.Add(-24*time.Hour))
)

func TestWishMessages(t *testing.T) {
	golden(t, "wishes_new", msg(WishCard([]partnership.Wish{wishDeck, wishOnes})))
	golden(t, "wishes_reply", WishesReply([]partnership.Wish{wishQuiet}, []partnership.Wish{wishOnes, wishDeck}))
	golden(t, "wishes_reply_empty", WishesReply(nil, nil))

	declined := wishDeck
	declined.Status, declined.Note = partnership.WishDeclined, "The deck is final only the evening before."
	golden(t, "wish_declined", msg(WishMovedMessage(declined)))
	done := wishDeck
	done.Status = partnership.WishDone
	golden(t, "wish_done", msg(WishMovedMessage(done)))
	golden(t, "wish_decline_modal", DeclineWishModal(wishDeck))

	text, _ := WishCard([]partnership.Wish{wishDeck, wishOnes})
	if !strings.HasPrefix(text, "<@UADA> wishes you would:") {
		t.Errorf("new wishes text = %q", text)
	}
	// Redrawn after the addressee moved them: who and when instead of the
	// buttons once closed; dates Slack shows relative to the reader's day.
	acked, _ := wishDeck.Move(eve, partnership.WishAcknowledged, "", t0.Add(time.Hour))
	closed, _ := wishOnes.Move(eve, partnership.WishDeclined, "Not this quarter", t0.Add(2*time.Hour))
	card := msg(WishCard([]partnership.Wish{acked, closed}))
	golden(t, "wish_card_moved", card)
	js := rendered(t, card)
	for _, want := range []string{"Acknowledged by <@UEVE> on <!date^", "Declined by <@UEVE> on <!date^", "Note: “Not this quarter”", "_added <!date^"} {
		if !strings.Contains(js, want) {
			t.Errorf("redrawn card lacks %q:\n%s", want, js)
		}
	}
	if strings.Count(js, ActionWishDone) != 1 || strings.Contains(js, "added today") {
		t.Errorf("redrawn card: buttons for the acknowledged wish only, no frozen \"today\":\n%s", js)
	}
	if got := WishStaleText(closed); !strings.Contains(got, "That wish moved already: Declined by <@UEVE>") {
		t.Errorf("stale text = %q", got)
	}
	js = rendered(t, WishesReply([]partnership.Wish{wishQuiet}, []partnership.Wish{wishOnes}))
	for _, want := range []string{"*Addressed to you*", "*Yours, waiting on your partner*", "since <!date^", "acknowledged", `"response_type":"ephemeral"`} {
		if !strings.Contains(js, want) {
			t.Errorf("wishes reply lacks %q:\n%s", want, js)
		}
	}
	if strings.Count(js, ActionWishDone) != 1 {
		t.Errorf("wishes reply should have buttons for the wish to me only:\n%s", js)
	}
	if text, _ := WishMovedMessage(declined); !strings.Contains(text, "<@UEVE> declined your wish") {
		t.Errorf("declined text = %q", text)
	}
	if js := rendered(t, msg(WishMovedMessage(declined))); !strings.Contains(js, "The deck is final only the evening before.") {
		t.Errorf("declined message lacks the note:\n%s", js)
	}
}

func TestDeclineWishModal(t *testing.T) {
	m := DeclineWishModal(wishDeck)
	if m.CallbackID != CallbackWishDecline {
		t.Errorf("callback = %q", m.CallbackID)
	}
	if p, w, err := ParseWishRef(m.PrivateMetadata); err != nil || p != pairAE.ID || w != "w1" {
		t.Errorf("metadata %q = %q %q %v", m.PrivateMetadata, p, w, err)
	}
	in := inputs(m.Blocks.BlockSet)[BlockWishNote]
	if in == nil || !in.Optional {
		t.Fatalf("note input = %#v", in)
	}
	if el := in.Element.(*slack.PlainTextInputBlockElement); el.ActionID != ActionWishNote || el.MaxLength != partnership.MaxNoteLen {
		t.Errorf("note element = %+v", el)
	}
}

func TestParseDeclineNote(t *testing.T) {
	note := func(v string) *slack.ViewState {
		return &slack.ViewState{Values: map[string]map[string]slack.BlockAction{BlockWishNote: {ActionWishNote: {Value: v}}}}
	}
	for _, tt := range []struct {
		name  string
		state *slack.ViewState
		want  string
	}{
		{"nil", nil, ""},
		{"missing", &slack.ViewState{}, ""},
		{"note", note("  Not this quarter.\n"), "Not this quarter."},
		{"oversized", note(strings.Repeat("x", 5000)), strings.Repeat("x", partnership.MaxNoteLen)},
		{"wrong action", &slack.ViewState{Values: map[string]map[string]slack.BlockAction{BlockWishNote: {"other": {Value: "x"}}}}, ""},
	} {
		if got := ParseDeclineNote(tt.state); got != tt.want {
			t.Errorf("ParseDeclineNote(%s) = %.30q, want %.30q", tt.name, got, tt.want)
		}
	}
}

func result(user string, p assessment.Perspective, at time.Time, answers string, shared bool) assessment.Result {
	a, err := assessment.ParseAnswers(answers)
	if err != nil {
		panic(err)
	}
	return assessment.Result{ID: user + at.Format("0102"), UserID: user, Perspective: p, TakenAt: at, Answers: a, PairID: string(pairAE.ID), Shared: shared}
}

func summary(shared bool, ws ...partnership.Wish) partnership.Summary {
	rs := []assessment.Result{
		result(ada, assessment.Assistant, t0.Add(-14*24*time.Hour), "YYYYNNNNNN", shared),
		result(ada, assessment.Assistant, t0.Add(-7*24*time.Hour), "YYYYYYNNNN", shared),
		result(ada, assessment.Assistant, t0, "YYYYYYYYNN", shared),
		result(eve, assessment.Executive, t0, "YYNYYYYYNN", shared),
	}
	return partnership.NewSummary(pairAE, rs, ws, t0)
}

func TestSummaryMessage(t *testing.T) {
	s := summary(true, wishDeck, wishOnes, wishQuiet)
	golden(t, "summary_shared", msg(SummaryMessage(s)))
	golden(t, "summary_private", msg(SummaryMessage(summary(false))))
	golden(t, "summary_empty", msg(SummaryMessage(partnership.NewSummary(pairAE, nil, nil, t0))))

	text, blocks := SummaryMessage(s)
	if text != "Partnership summary: assistant 8/10, executive 7/10" {
		t.Errorf("summary text = %q", text)
	}
	js := rendered(t, blocks)
	for _, want := range []string{
		`"*Assistant* <@UADA>: *8/10* (8–10 “Yes”: solid relationship and partnership) · 6/10 → 8/10 (+2)"`,
		`"*Executive* <@UEVE>: *7/10* (5–7 “Yes”: could probably be more productive and pleasant) · first result"`,
		// The trend in words, not in bars that look alike.
		`"Trend over 2 weeks: assistant 4 → 6 → 8, executive 7."`,
		"• 3. Do you have a joint interest in the goals you are trying to achieve? — assistant *Yes*, executive *No*",
		// Compared by fact, each side in its own words.
		"• Assistant: 8. Do you trust your boss? *Yes* · Executive: 9. Does your assistant trust you? *No*",
		"• Assistant: 9. Does your boss trust you? *No* · Executive: 8. Do you trust your assistant? *Yes*",
		"“Hold our one-on-one every week” — for <@UEVE> · acknowledged · since <!date^" + strconv.FormatInt(wishOnes.CreatedAt.Unix(), 10),
		"“Share the board deck a day earlier” — for <@UEVE> · open · since <!date^" + strconv.FormatInt(wishDeck.CreatedAt.Unix(), 10),
		"“Keep Friday afternoons free of meetings” — for <@UADA> · open · since <!date^",
	} {
		if !strings.Contains(js, want) {
			t.Errorf("summary lacks %q:\n%s", want, js)
		}
	}
	if strings.Index(js, "one-on-one") > strings.Index(js, "board deck") {
		t.Error("open wishes are not oldest first")
	}
	if strings.ContainsAny(js, "`▁▂▃▄▅▆▇█") {
		t.Errorf("summary still draws the trend in bars:\n%s", js)
	}

	js = rendered(t, msg(SummaryMessage(summary(false))))
	if !strings.Contains(js, "To see where your views differ, both of you tick") || strings.Contains(js, "joint interest") || strings.Contains(js, "differ on") {
		t.Errorf("private summary compares, or does not invite both to share:\n%s", js)
	}
	_, blocks = SummaryMessage(partnership.NewSummary(pairAE, nil, nil, t0))
	if js := rendered(t, blocks); strings.Count(js, "no result yet") != 2 || strings.Contains(js, "Trend") {
		t.Errorf("empty summary should say no result yet for both sides, and tell no trend:\n%s", js)
	}
	// One result each: the score lines say it all.
	first := partnership.NewSummary(pairAE, []assessment.Result{
		result(ada, assessment.Assistant, t0, "YYYYYYNNNN", false), result(eve, assessment.Executive, t0, "YYYYYYYNNN", false)}, nil, t0)
	if js := rendered(t, msg(SummaryMessage(first))); strings.Contains(js, "Trend") {
		t.Errorf("first summary tells a trend of one result each:\n%s", js)
	}
	// "I trust my boss, who does not trust me" and "I do not trust my
	// assistant, who trusts me" agree: 8 and 9 cross over.
	same := partnership.NewSummary(pairAE, []assessment.Result{
		result(ada, assessment.Assistant, t0, "YYYYYYYYNN", true), result(eve, assessment.Executive, t0, "YYYYYYYNYN", true)}, nil, t0)
	if js := rendered(t, msg(SummaryMessage(same))); !strings.Contains(js, "You see every question the same way.") {
		t.Errorf("agreeing summary:\n%s", js)
	}
}

// Two pairs whose executives gave different unshared answers with the same
// score show their assistants byte-identical summaries and Home tabs.
func TestViewsDoNotDependOnUnsharedAnswers(t *testing.T) {
	views := func(execAnswers string, assistantShared bool) string {
		s := partnership.NewSummary(pairAE, []assessment.Result{
			result(ada, assessment.Assistant, t0.Add(-time.Hour), "YYYYYNNNNN", assistantShared),
			result(eve, assessment.Executive, t0, execAnswers, false),
		}, []partnership.Wish{wishDeck}, t0)
		text, blocks := SummaryMessage(s)
		home := HomeView(Home{UserID: ada, Pairs: []HomePair{{Pair: pairAE, Summary: s}}, Now: t0})
		js, err := json.Marshal([]any{text, blocks, home})
		if err != nil {
			t.Fatal(err)
		}
		return string(js)
	}
	for _, shared := range []bool{false, true} {
		// Five "Yes" each, on different questions (the trust ones among them).
		base := views("YYYYYNNNNN", shared)
		for _, other := range []string{"NNNNNYYYYY", "YNYNYNYNYN", "NNYYYYYNNN", "YYYYNNNNNY"} {
			if got := views(other, shared); got != base {
				t.Errorf("assistant shared %v: the executive's unshared %s shows differently from YYYYYNNNNN:\n%s\n%s", shared, other, base, got)
			}
		}
	}
}

func TestHomeView(t *testing.T) {
	h := Home{UserID: ada, Now: t0,
		Pairs: []HomePair{
			{Pair: pairAE, Summary: summary(false, wishDeck, wishQuiet)},
			{Pair: pairAS, Summary: partnership.NewSummary(pairAS, nil, nil, t0)},
		},
		WishesToMe: []partnership.Wish{wishQuiet},
	}
	v := HomeView(h)
	golden(t, "home", v)
	golden(t, "home_empty", HomeView(Home{UserID: ada, Now: t0}))
	if v.Type != slack.VTHomeTab {
		t.Errorf("type = %q", v.Type)
	}
	act, ok := v.Blocks.BlockSet[1].(*slack.ActionBlock)
	if !ok {
		t.Fatalf("second block = %#v, want the buttons", v.Blocks.BlockSet[1])
	}
	ids, _ := buttons(t, act)
	if !reflect.DeepEqual(ids, []string{ActionHomeAssess, ActionHomeNextSteps, ActionHomePair, ActionHomeAway}) {
		t.Errorf("home buttons = %v", ids)
	}
	js := rendered(t, v)
	for _, want := range []string{"*With <@UEVE>* — you are the assistant", "*With <@USAM>*", "· 6/10 → 8/10 (+2) · trend 4 → 6 → 8\\n", "Keep Friday afternoons free of meetings", ActionWishAck} {
		if !strings.Contains(js, want) {
			t.Errorf("home lacks %q:\n%s", want, js)
		}
	}
	if js := rendered(t, HomeView(Home{UserID: ada, Now: t0})); !strings.Contains(js, "/partner-assess pair @your-executive") || !strings.Contains(js, "invitation") {
		t.Errorf("empty home does not explain pairing:\n%s", js)
	}
	// Invitations to answer, with their buttons; those sent, waiting.
	to := []partnership.Invitation{
		{Pair: "UADA-UEVE", Assistant: ada, Executive: eve, From: eve, At: t0},
		{Pair: "UADA-USAM", Assistant: ada, Executive: sam, From: sam, At: t0},
	}
	by := []partnership.Invitation{{Pair: "UTOM-UADA", Assistant: "UTOM", Executive: ada, From: ada, At: t0}}
	inv := HomeView(Home{UserID: ada, Now: t0, InvitationsToMe: to, InvitationsByMe: by})
	golden(t, "home_invitations", inv)
	js = rendered(t, inv)
	for _, want := range []string{"<@UEVE> invites you", "<@USAM> invites you", `"value":"UADA-USAM"`, ActionInviteDecline, "You invited <@UTOM> to be your assistant: waiting for their answer"} {
		if !strings.Contains(js, want) {
			t.Errorf("home with invitations lacks %q:\n%s", want, js)
		}
	}
	checkBlocks(t, "home with invitations", inv.Blocks.BlockSet, MaxViewBlocks)

	// Where each pair's scorecard may go, each with its Stop sharing.
	shared := HomeView(Home{UserID: ada, Now: t0, Pairs: []HomePair{{Pair: pairAE, Summary: summary(true),
		Sharings: []partnership.Sharing{{Scope: "CTEAM", Agreed: true}, {Scope: partnership.TeamScope, Waiting: eve}}}}})
	golden(t, "home_sharings", shared)
	js = rendered(t, shared)
	for _, want := range []string{"shown in <#CTEAM>: you both agreed", "in the team's anonymous scorecard waits for <@UEVE> to agree",
		`"value":"UADA-UEVE|CTEAM"`, `"value":"UADA-UEVE|team"`, ActionScorecardStop} {
		if !strings.Contains(js, want) {
			t.Errorf("home with sharings lacks %q:\n%s", want, js)
		}
	}
}

func TestDeleteData(t *testing.T) {
	m := DeleteDataModal()
	golden(t, "delete_data_modal", m)
	golden(t, "deleted", msg(DeletedMessage(partnership.Deleted{Results: 3, Lists: 1, Wishes: 2, Pairs: 1})))
	js := rendered(t, m)
	for _, want := range []string{"your self-assessment results", "your next steps", "the wishes you wrote", "your invitations", "your out-of-office date",
		"your partners are told", "cannot be undone", "What stays", "Your partners keep their own results, next steps and the wishes they wrote, without your name", "Messages already in Slack"} {
		if !strings.Contains(js, want) {
			t.Errorf("delete modal lacks %q", want)
		}
	}
	if m.CallbackID != CallbackDeleteData || m.Submit.Text != "Delete my data" {
		t.Errorf("delete modal callback %q submit %q", m.CallbackID, m.Submit.Text)
	}
	if text, _ := DeletedMessage(partnership.Deleted{Results: 1, Wishes: 0, Pairs: 2, Invitations: 1}); text != "Your data is deleted: 1 result, 0 next steps lists, 0 wishes you wrote, 1 invitation. You left 2 partnerships; your partners were told, and keep their own history without your name." {
		t.Errorf("deleted text = %q", text)
	}
	if text, _ := DeletedMessage(partnership.Deleted{Results: 1, Pairs: 1, Charters: 1}); !strings.Contains(text, "0 wishes you wrote, 1 partnership charter.") {
		t.Errorf("deleted text with a charter = %q", text)
	}
	if js := rendered(t, m); !strings.Contains(js, "the charters of your partnerships: you wrote each with your partner, so it goes with the partnership") {
		t.Error("delete modal does not say the charters go")
	}
}

func TestCoachingLines(t *testing.T) {
	r := assessment.Result{Perspective: assessment.Assistant, TakenAt: t1, Answers: mustAnswers(t, "YYYNYYYNYY")}
	want := []string{
		"• 4. *Planning and Managing*: Planning and managing your work in tandem with the boss’s — Essential skill",
		"• 4. *Decision Making*: Identifying when to make decisions and how to take action — Essential skill",
		"• 8. Respect and trust — Characteristic of successful partnerships",
	}
	if got := CoachingLines(r); !reflect.DeepEqual(got, want) {
		t.Errorf("CoachingLines = %q, want %q", got, want)
	}
	js := rendered(t, ResultBlocks(r, assessment.Result{}, false))
	for _, w := range want {
		if !strings.Contains(js, w) {
			t.Errorf("result lacks %q:\n%s", w, js)
		}
	}
	if strings.Contains(js, "• 1.") || strings.Contains(js, "Your score and band are shared") || strings.Contains(js, assessment.EveryPartnership) {
		t.Errorf("result coaches a Yes, speaks of a partner or of a perfect score:\n%s", js)
	}

	// The executive's own numbers, from the executive's side: their 8 is
	// "Do you trust your assistant?"; Productivity is the assistant's.
	ex := assessment.Result{Perspective: assessment.Executive, TakenAt: t1, Answers: mustAnswers(t, "YYYNYYNNYY")}
	want = []string{
		"• 4. *Planning and Managing*: Planning and managing your work in tandem with your assistant’s — Essential skill",
		"• 4. *Decision Making*: Identifying when to make decisions and how to take action — Essential skill",
		"• 7. *Adapting Your Work Style*: Recognizing the needs and work style of your partner and adapting as necessary — Essential skill",
		"• 8. Respect and trust — Characteristic of successful partnerships",
	}
	if got := CoachingLines(ex); !reflect.DeepEqual(got, want) {
		t.Errorf("executive CoachingLines = %q, want %q", got, want)
	}
	if js := rendered(t, ResultBlocks(ex, assessment.Result{}, false)); strings.Contains(js, "boss") {
		t.Errorf("executive result speaks of a boss:\n%s", js)
	}

	// A perfect score still hears that every partnership can be improved,
	// and gets one skill to keep building, the same for the same result.
	perfect := assessment.Result{ID: "V0PERFECT", Perspective: assessment.Assistant, TakenAt: t1, Answers: mustAnswers(t, "YYYYYYYYYY")}
	if got := CoachingLines(perfect); len(got) != 0 {
		t.Errorf("CoachingLines(all Yes) = %q", got)
	}
	js = rendered(t, ResultBlocks(perfect, assessment.Result{}, false))
	keep := assessment.KeepBuilding(perfect)
	for _, w := range []string{"*" + assessment.EveryPartnership + "* One skill to keep building:", "• *" + keep.Name + "*: " + keep.Text + " — Essential skill"} {
		if !strings.Contains(js, w) {
			t.Errorf("perfect result lacks %q:\n%s", w, js)
		}
	}
	if again := rendered(t, ResultBlocks(perfect, assessment.Result{}, false)); again != js {
		t.Errorf("perfect result renders differently twice:\n%s\n%s", js, again)
	}
	for _, tt := range []struct {
		shared bool
		want   string
	}{{true, "shared"}, {false, "private"}} {
		r.PairID, r.Shared = string(pairAE.ID), tt.shared
		js := rendered(t, ResultBlocks(r, assessment.Result{}, false))
		if !strings.Contains(js, "Your score and band are shared with your partner; your answers are "+tt.want+".") || strings.Contains(js, "Your answers are private to you.") {
			t.Errorf("paired result (shared %v) context:\n%s", tt.shared, js)
		}
	}
}

func TestHelpListsEverySubcommand(t *testing.T) {
	js := rendered(t, HelpReply("", t0))
	for _, sub := range []string{"`/partner-assess`", "pair @someone`", "next-steps`", "wishes`", "summary`", "history`", "export`", "delete-my-data`", "help`"} {
		if !strings.Contains(js, sub) {
			t.Errorf("help lacks %s", sub)
		}
	}
}

// User text in wishes and notes must reach Slack escaped wherever it shows.
func TestWishTextIsEscaped(t *testing.T) {
	evil := "Ping <!channel> & <@UEVE|boss> <https://x.test|click>"
	w := wish("w9", ada, eve, evil, partnership.WishOpen, t0)
	declined := w
	declined.Status, declined.Note = partnership.WishDeclined, "No <!here> & no"
	s := summary(false, w)
	views := map[string]any{
		"new wishes":   msg(WishCard([]partnership.Wish{w})),
		"wishes reply": WishesReply([]partnership.Wish{w}, []partnership.Wish{w}),
		"moved":        msg(WishMovedMessage(declined)),
		"decline":      DeclineWishModal(w),
		"summary":      msg(SummaryMessage(s)),
		"home":         HomeView(Home{UserID: eve, Now: t0, Pairs: []HomePair{{Pair: pairAE, Summary: s}}, WishesToMe: []partnership.Wish{w}}),
	}
	for name, v := range views {
		js := rendered(t, v)
		for _, raw := range []string{"<!channel>", "<!here>", "<https://x.test", "<@UEVE|boss>", "& "} {
			if strings.Contains(js, raw) {
				t.Errorf("%s shows %q unescaped:\n%s", name, raw, js)
			}
		}
		if !strings.Contains(js, "&lt;!channel&gt; &amp; &lt;@UEVE|boss&gt;") {
			t.Errorf("%s lacks the escaped wish text:\n%s", name, js)
		}
	}
	if js := rendered(t, views["moved"]); !strings.Contains(js, "No &lt;!here&gt; &amp; no") {
		t.Errorf("decline note not escaped:\n%s", js)
	}
}

// Views stay within Slack's limits with the largest input the bot allows.
func TestLimits(t *testing.T) {
	var many []partnership.Wish
	for i := range 40 {
		text := strings.Repeat("&", partnership.MaxItemLen) // the longest after escaping
		many = append(many, wish(fmt.Sprintf("w%02d", i), eve, ada, text, partnership.WishOpen, t0.Add(-time.Duration(i)*time.Hour)))
	}
	three := []HomePair{
		{Pair: pairAE, Summary: summary(true, many...)},
		{Pair: pairAS, Summary: partnership.NewSummary(pairAS, nil, many, t0)},
		{Pair: partnership.Pair{ID: partnership.NewPairID("UZED", ada), Assistant: "UZED", Executive: ada}, Summary: summary(false)},
	}
	modals := map[string]slack.ModalViewRequest{
		"assess":      AssessmentModal(assessment.Assistant, choice),
		"assess exec": AssessmentModal(assessment.Executive, PairChoice{}),
		"result":      ResultView(result(ada, assessment.Assistant, t0, "NNNNNNNNNN", true), result(ada, assessment.Assistant, t0.Add(-time.Hour), "YYYYYYYYYY", true), true),
		"pair setup":  PairSetupModal(),
		"next steps":  NextStepsModal(assessment.Executive, partnership.NextSteps{}, nil, choice),
		"decline":     DeclineWishModal(many[0]),
		"delete data": DeleteDataModal(),
	}
	for name, m := range modals {
		if n := len([]rune(m.Title.Text)); n == 0 || n > MaxTitle {
			t.Errorf("%s title %q has %d characters, want 1–%d", name, m.Title.Text, n, MaxTitle)
		}
		if len(m.CallbackID) > 255 || len(m.PrivateMetadata) > MaxMetadata {
			t.Errorf("%s callback_id or private_metadata too long", name)
		}
		checkBlocks(t, name, m.Blocks.BlockSet, MaxViewBlocks)
	}
	messages := map[string][]slack.Block{}
	_, messages["new wishes"] = WishCard(many)
	_, messages["summary"] = SummaryMessage(summary(true, many...))
	_, messages["paired"] = PairedMessage(pairAE, eve)
	reply := WishesReply(many, many)
	messages["wishes reply"] = reply.Blocks
	for name, blocks := range messages {
		checkBlocks(t, name, blocks, MaxMessageBlocks)
	}
	if js, _ := json.Marshal(reply); len(js) >= 20_000 {
		t.Errorf("wishes reply is %d bytes; a Socket Mode ack must stay under 20 KB", len(js))
	}
	home := HomeView(Home{UserID: ada, Now: t0, Pairs: three, WishesToMe: many})
	checkBlocks(t, "home", home.Blocks.BlockSet, MaxViewBlocks)
	var lots []HomePair
	for i := range 60 {
		hp := three[0]
		hp.Pair.Executive = fmt.Sprintf("UEX%02d", i)
		hp.Pair.ID = partnership.NewPairID(ada, hp.Pair.Executive)
		lots = append(lots, hp)
	}
	crowded := HomeView(Home{UserID: ada, Now: t0, Pairs: lots, WishesToMe: many})
	checkBlocks(t, "home with 60 pairs", crowded.Blocks.BlockSet, MaxViewBlocks)
	if js := rendered(t, crowded); !strings.Contains(js, "And 40 more partnerships.") || !strings.Contains(js, "more wishes: answer these") {
		t.Errorf("crowded home does not say what was left off:\n%s", js)
	}
	if js := rendered(t, messages["new wishes"]); !strings.Contains(js, "And 17 more wishes") {
		t.Errorf("new wishes message does not say how many were left off:\n%s", js)
	}
	if js := rendered(t, reply); !strings.Contains(js, "more wishes: answer these") || !strings.Contains(js, "more wishes.") {
		t.Errorf("wishes reply does not say what was left off:\n%s", js)
	}
}

// checkBlocks checks the block count, unique block_ids and section length.
func checkBlocks(t *testing.T, name string, blocks []slack.Block, limit int) {
	t.Helper()
	if len(blocks) > limit {
		t.Errorf("%s has %d blocks, over %d", name, len(blocks), limit)
	}
	seen := map[string]bool{}
	for _, b := range blocks {
		if id := b.ID(); id != "" {
			if seen[id] {
				t.Errorf("%s repeats block_id %q", name, id)
			}
			if len(id) > 255 {
				t.Errorf("%s block_id %q is over 255 characters", name, id)
			}
			seen[id] = true
		}
		if s, ok := b.(*slack.SectionBlock); ok && s.Text != nil && len([]rune(s.Text.Text)) > maxSectionText {
			t.Errorf("%s has a section of %d characters", name, len([]rune(s.Text.Text)))
		}
	}
}

func TestNextStepsSaved(t *testing.T) {
	w := partnership.Wish{From: "UADA", To: "UEVE"}
	for _, tt := range []struct {
		fresh []partnership.Wish
		want  string
	}{
		{nil, "Your next steps are saved."},
		{[]partnership.Wish{w}, "Your next steps are saved. 1 new wish went to <@UEVE>."},
		{[]partnership.Wish{w, w, w}, "Your next steps are saved. 3 new wishes went to <@UEVE>."},
	} {
		if got := NextStepsSaved(tt.fresh); got != tt.want {
			t.Errorf("NextStepsSaved(%d wishes) = %q, want %q", len(tt.fresh), got, tt.want)
		}
	}
}
