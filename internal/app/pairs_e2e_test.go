package app

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/partnerbot/partnerbot/internal/slackfake"
	"github.com/partnerbot/partnerbot/internal/slackui"
	"github.com/slack-go/slack"
)

const (
	executive = "UEXEC"
	third     = "UTHIRD"
	other     = "UFRANK"
	botUser   = "UROBOT"
	gone      = "UGONE"
)

// startPairs is start with the people of the partnership tests.
func startPairs(t *testing.T) *harness {
	h := start(t)
	h.fake.AddUser(slackfake.User{ID: executive, Name: "eve", RealName: "Eve Executive", TZ: "America/New_York"})
	h.fake.AddUser(slackfake.User{ID: third, Name: "tom", RealName: "Tom Third"})
	h.fake.AddUser(slackfake.User{ID: other, Name: "frank", RealName: "Frank Other"})
	h.fake.AddUser(slackfake.User{ID: botUser, Name: "robot", IsBot: true})
	h.fake.AddUser(slackfake.User{ID: gone, Name: "gone", Deleted: true})
	return h
}

func mention(id string) string { return "<@" + id + "|someone>" }

// waitDMs waits until user has at least n DMs and returns them.
func (h *harness) waitDMs(user string, n int) []slackfake.Message {
	h.t.Helper()
	if err := h.fake.WaitFor(h.ctx(), func() bool { return len(h.fake.DMs(user)) >= n }); err != nil {
		h.t.Fatalf("%s has %d DMs, want %d: %v", user, len(h.fake.DMs(user)), n, err)
	}
	return h.fake.DMs(user)
}

// waitDM waits for a DM to user, among those after the first since, whose
// text or blocks contain want, and returns it. Waiting on content rather
// than on a count keeps a late DM from an earlier step (a result DM is sent
// after the ack) from being taken for the one awaited.
func (h *harness) waitDM(user string, since int, want string) slackfake.Message {
	h.t.Helper()
	var found slackfake.Message
	err := h.fake.WaitFor(h.ctx(), func() bool {
		dms := h.fake.DMs(user)
		for i := len(dms) - 1; i >= since && i >= 0; i-- {
			if strings.Contains(dms[i].Text, want) || strings.Contains(string(dms[i].Blocks), want) {
				found = dms[i]
				return true
			}
		}
		return false
	})
	if err != nil {
		var texts []string
		for _, m := range h.fake.DMs(user) {
			texts = append(texts, m.Text)
		}
		h.t.Fatalf("no DM to %s containing %q after #%d: %v; DMs: %q", user, want, since, err, texts)
	}
	return found
}

func lastDM(h *harness, user string) slackfake.Message {
	dms := h.fake.DMs(user)
	if len(dms) == 0 {
		return slackfake.Message{}
	}
	return dms[len(dms)-1]
}

// pairUp pairs the assistant with exec and waits for both DMs.
func (h *harness) pairUp(assistantID, exec string) {
	h.t.Helper()
	a0, e0 := len(h.fake.DMs(assistantID)), len(h.fake.DMs(exec))
	mustContain(h.t, "pair ack", h.command(assistantID, "pair "+mention(exec)).Payload, "Pairing you with <@"+exec+">")
	h.waitDM(assistantID, a0, "You paired with <@"+exec+">")
	h.waitDM(exec, e0, slackui.ActionPairLeave)
}

// waitModal waits until user's newest modal has callbackID, and returns it.
func (h *harness) waitModal(user, callbackID string) slackfake.View {
	h.t.Helper()
	err := h.fake.WaitFor(h.ctx(), func() bool {
		vs := h.fake.Views(user)
		return len(vs) > 0 && vs[len(vs)-1].CallbackID == callbackID && vs[len(vs)-1].Open
	})
	if err != nil {
		h.t.Fatalf("no %s modal for %s: %v", callbackID, user, err)
	}
	vs := h.fake.Views(user)
	return vs[len(vs)-1]
}

// assess takes the assessment as user; share ticks the share box.
func (h *harness) assess(user, ans string, share bool) map[string]any {
	h.t.Helper()
	v := h.openAssessment(user)
	values := answers(ans)
	if share {
		values[slackui.BlockShare] = map[string]slack.BlockAction{slackui.ActionShare: {
			Type: "checkboxes", SelectedOptions: []slack.OptionBlockObject{{Value: slackui.ValueShare}}}}
	}
	return h.submitValues(user, v.ID, values)
}

// button finds the first button with actionID in a message's or view's
// blocks, and returns its block_id and value.
func button(t *testing.T, blocks json.RawMessage, actionID string) (blockID, value string) {
	t.Helper()
	var bs []struct {
		Type     string `json:"type"`
		BlockID  string `json:"block_id"`
		Elements []struct {
			Type     string `json:"type"`
			ActionID string `json:"action_id"`
			Value    string `json:"value"`
		} `json:"elements"`
		Accessory *struct {
			ActionID string `json:"action_id"`
			Value    string `json:"value"`
		} `json:"accessory"`
	}
	if err := json.Unmarshal(blocks, &bs); err != nil {
		var view struct {
			Blocks json.RawMessage `json:"blocks"`
		}
		if json.Unmarshal(blocks, &view) == nil && len(view.Blocks) > 0 {
			return button(t, view.Blocks, actionID)
		}
		t.Fatalf("blocks: %v", err)
	}
	for _, b := range bs {
		for _, e := range b.Elements {
			if e.ActionID == actionID {
				return b.BlockID, e.Value
			}
		}
		if b.Accessory != nil && b.Accessory.ActionID == actionID {
			return b.BlockID, b.Accessory.Value
		}
	}
	t.Fatalf("no %s button in %s", actionID, blocks)
	return "", ""
}

func (h *harness) click(user string, m slackfake.Message, actionID string) slackfake.Ack {
	h.t.Helper()
	blockID, _ := button(h.t, m.Blocks, actionID)
	ack, err := h.fake.ClickButton(h.ctx(), user, slackfake.Container{ChannelID: m.Channel, MessageTS: m.TS}, actionID, blockID, "")
	if err != nil {
		h.t.Fatalf("%s clicks %s: %v", user, actionID, err)
	}
	return ack
}

func TestPairingRefusals(t *testing.T) {
	h := startPairs(t)
	tests := []struct {
		text     string
		ack      string
		dmReason string // refusals that need Slack's answer come by DM
	}{
		{"pair " + mention(assistant), "You cannot pair with yourself.", ""},
		{"pair bob", "Mention the person to pair with", ""},
		{"pair " + mention(botUser), "Pairing you with", "You cannot pair with a bot."},
		{"pair " + mention(gone), "Pairing you with", "That person's account is deactivated."},
		{"pair " + mention("UNOBODY"), "Pairing you with", "That link is not valid any more."},
	}
	for _, tt := range tests {
		before := len(h.fake.DMs(assistant))
		mustContain(t, tt.text, h.command(assistant, tt.text).Payload, tt.ack)
		if tt.dmReason != "" {
			h.waitDM(assistant, before, tt.dmReason)
		}
	}
	h.pairUp(assistant, executive)
	mustContain(t, "duplicate", h.command(assistant, "pair "+mention(executive)).Payload, "You are already paired with that person.")
	// From the setup modal, refusals are inline errors on the picker.
	h.command(assistant, "pair")
	setup := h.waitModal(assistant, slackui.CallbackPairSetup)
	pick := func(user string) map[string]map[string]slack.BlockAction {
		return map[string]map[string]slack.BlockAction{slackui.BlockPartner: {slackui.ActionPartner: {Type: "users_select", SelectedUser: user}}}
	}
	for user, want := range map[string]string{botUser: "You cannot pair with a bot.", executive: "You are already paired with that person.", assistant: "You cannot pair with yourself."} {
		ack := h.submitValues(assistant, setup.ID, pick(user))
		mustContain(t, "setup "+user, ack["errors"], want)
	}
	if ack := h.submitValues(assistant, setup.ID, pick(other)); ack != nil {
		t.Errorf("setup with a valid partner acked %v, want the modal closed", ack)
	}
	h.waitDM(other, 0, "<@"+assistant+">")
	h.noProblems()
}

func TestPartnershipJourney(t *testing.T) {
	h := startPairs(t)
	h.pairUp(assistant, executive)
	mustContain(t, "executive's pairing DM", lastDM(h, executive).Blocks, slackui.ActionPairLeave)

	// The executive's modal is mirrored and offers to share.
	v := h.openAssessment(executive)
	mustContain(t, "executive modal", v.JSON, "Do you trust your assistant?", "Does your assistant trust you?", "Share my answers with my partner")

	// Both answer; the assistant shares, the executive does not.
	ack := h.assess(assistant, "YYYYYYNNNN", true)
	mustContain(t, "assistant result", ack["view"], "6/10", "Respect and trust", "shared with your partner")
	if _, ok := h.fake.GroupDM(assistant, executive); ok {
		t.Error("a summary went out with one member's result")
	}
	h.submitValues(executive, v.ID, answers("YYYYYYYYNN"))
	var group string
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		g, ok := h.fake.GroupDM(assistant, executive)
		group = g
		return ok && len(h.fake.Messages(g)) == 1
	}); err != nil {
		t.Fatalf("no summary in the group DM: %v", err)
	}
	sum := h.fake.Messages(group)[0]
	mustContain(t, "summary", sum.Blocks, "6/10", "8/10", "2 questions")
	if strings.Contains(string(sum.Blocks), "Does your boss trust you?") {
		t.Errorf("summary names a question although the executive did not share:\n%s", sum.Blocks)
	}

	// Next steps: the assistant's wishes reach the executive with buttons.
	ack0 := h.command(assistant, "next-steps")
	if ack0.Payload != nil && string(ack0.Payload) != "null" {
		t.Fatalf("next-steps ack = %s", ack0.Payload)
	}
	steps := h.waitModal(assistant, slackui.CallbackNextSteps)
	mustContain(t, "next steps modal", steps.JSON, "“just right”", "List three things you wish your boss would do to improve your partnership.")
	lines := map[string]map[string]slack.BlockAction{}
	for key, text := range map[string]string{
		slackui.BlockStep(slackui.ListJustRight, 1): "I guard the calendar",
		slackui.BlockStep(slackui.ListWish, 1):      "Hold a weekly 1:1 <!channel>",
		slackui.BlockStep(slackui.ListWish, 3):      "Share the quarterly goals",
	} {
		lines[key] = map[string]slack.BlockAction{slackui.ActionStep: {Type: "plain_text_input", Value: text}}
	}
	e0 := len(h.fake.DMs(executive))
	if ack := h.submitValues(assistant, steps.ID, lines); ack != nil {
		t.Errorf("next steps ack = %v, want the modal closed", ack)
	}
	wishes := h.waitDM(executive, e0, slackui.ActionWishDone)
	mustContain(t, "wishes DM", wishes.Blocks, "Hold a weekly 1:1 &lt;!channel&gt;", "Share the quarterly goals", slackui.ActionWishDone)

	// Nobody but the addressee moves a wish: not a third user, not the author.
	for _, intruder := range []string{third, assistant} {
		before := len(h.fake.DMs(intruder))
		h.click(intruder, wishes, slackui.ActionWishDone)
		h.waitDM(intruder, before, "I could not change that wish")
	}
	mustContain(t, "wishes still open", h.command(executive, "wishes").Payload, "Hold a weekly 1:1", "Share the quarterly goals")

	// The executive acknowledges one; the assistant is told.
	a0 := len(h.fake.DMs(assistant))
	h.click(executive, wishes, slackui.ActionWishAck)
	h.waitDM(assistant, a0, "acknowledged")

	// Decline the other with a note, through the modal.
	button(t, h.command(executive, "wishes").Payload, slackui.ActionWishDecline) // the list has the buttons too
	h.click(executive, wishes, slackui.ActionWishDecline)
	decline := h.waitModal(executive, slackui.CallbackWishDecline)
	a0 = len(h.fake.DMs(assistant))
	h.submitValues(executive, decline.ID, map[string]map[string]slack.BlockAction{
		slackui.BlockWishNote: {slackui.ActionWishNote: {Type: "plain_text_input", Value: "Not this quarter"}}})
	declined := h.waitDM(assistant, a0, "Not this quarter")
	mustContain(t, "declined DM", declined.Text+string(declined.Blocks), "declined")

	// The summary on demand lists what is still open, with its age.
	mustContain(t, "summary ack", h.command(assistant, "summary").Payload, "Posting your summary")
	if err := h.fake.WaitFor(h.ctx(), func() bool { return len(h.fake.Messages(group)) == 2 }); err != nil {
		t.Fatalf("no second summary: %v", err)
	}

	// The Home tab shows the pair and the wishes to act on.
	if _, err := h.fake.OpenHome(h.ctx(), executive); err != nil {
		t.Fatal(err)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool { _, ok := h.fake.HomeView(executive); return ok }); err != nil {
		t.Fatalf("no Home tab: %v", err)
	}
	home, _ := h.fake.HomeView(executive)
	mustContain(t, "home", home.JSON, "<@"+assistant+">", "8/10", slackui.ActionHomeAssess)

	// The executive leaves; both are told and the pair is gone.
	pairing := h.fake.DMs(executive)[0]
	a0 = len(h.fake.DMs(assistant))
	h.click(executive, pairing, slackui.ActionPairLeave)
	h.waitDM(assistant, a0, "left your partnership")
	mustContain(t, "after leaving", h.command(assistant, "summary").Payload, "You are not in a partnership yet.")
	h.noProblems()
}

// A third user forging values that name someone else's pair changes nothing.
func TestThirdUserCannotActOnAPair(t *testing.T) {
	h := startPairs(t)
	h.pairUp(assistant, executive)
	h.assess(assistant, "YYYYYYYYYY", true)
	pairID := assistant + "-" + executive
	resultsKey := "pb:v1:{p:" + pairID + "}:results"
	before, _ := h.redis.List(resultsKey)

	// An assessment submitted "for" the pair.
	v := h.openAssessment(third)
	meta := `{"v":1,"p":"assistant","pair":"` + pairID + `"}`
	forged := slackfake.View{ID: v.ID, CallbackID: slackui.CallbackAssess, PrivateMetadata: meta}
	ack := h.forgedSubmit(third, forged, "NNNNNNNNNN")
	mustContain(t, "forged assessment", ack["errors"], "You are not part of that partnership.")

	// Next steps "for" the pair.
	nsMeta := `{"v":1,"pair":"` + pairID + `"}`
	payload := map[string]any{"type": "view_submission", "user": map[string]any{"id": third},
		"view": map[string]any{"id": "VFORGED", "type": "modal", "callback_id": slackui.CallbackNextSteps, "private_metadata": nsMeta,
			"state": map[string]any{"values": map[string]any{slackui.BlockStep(slackui.ListWish, 1): map[string]any{slackui.ActionStep: map[string]any{"type": "plain_text_input", "value": "give me a raise"}}}}}}
	nsAck, err := h.fake.Send(h.ctx(), slackfake.EnvelopeInteractive, payload)
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, "forged next steps", nsAck.Payload, "You are not part of that partnership.")

	// Leaving the pair, by a forged button.
	t0 := len(h.fake.DMs(third))
	leave := map[string]any{"type": "block_actions", "user": map[string]any{"id": third}, "trigger_id": "T1",
		"actions": []any{map[string]any{"type": "button", "action_id": slackui.ActionPairLeave, "block_id": "b", "value": pairID}}}
	if _, err := h.fake.Send(h.ctx(), slackfake.EnvelopeInteractive, leave); err != nil {
		t.Fatal(err)
	}
	h.waitDM(third, t0, "You are not part of that partnership.")

	after, _ := h.redis.List(resultsKey)
	if len(after) != len(before) {
		t.Errorf("pair results %d → %d after a stranger's attempts", len(before), len(after))
	}
	if ws, _ := h.redis.HKeys("pb:v1:{p:" + pairID + "}:wishes"); len(ws) != 0 {
		t.Errorf("a stranger's wish was stored: %v", ws)
	}
	mustContain(t, "pair intact", h.command(executive, "summary").Payload, "Posting your summary")
	h.noProblems()
}

// With two executives, the modal asks which partnership, redraws for the
// one picked, and remembers it.
func TestSeveralPartnerships(t *testing.T) {
	h := startPairs(t)
	h.pairUp(assistant, executive)
	h.pairUp(assistant, other)
	v := h.openAssessment(assistant)
	mustContain(t, "modal with a choice", v.JSON, "Which partnership?", "With Eve Executive", "With Frank Other")

	frank := partnershipID(assistant, other)
	if _, err := h.fake.SelectOption(h.ctx(), assistant, v.ID, slackui.BlockPair, slackui.ActionPairSelect, frank); err != nil {
		t.Fatal(err)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		got, _ := h.fake.View(v.ID)
		return strings.Contains(got.PrivateMetadata, frank)
	}); err != nil {
		t.Fatalf("modal not redrawn for the pair picked: %v", err)
	}
	h.submit(assistant, v.ID, "YYYYYNNNNN")
	if rs, _ := h.redis.List("pb:v1:{p:" + frank + "}:results"); len(rs) != 1 {
		t.Errorf("Frank's pair holds %d results, want 1", len(rs))
	}
	if rs, _ := h.redis.List("pb:v1:{p:" + partnershipID(assistant, executive) + "}:results"); len(rs) != 0 {
		t.Errorf("Eve's pair holds %d results, want 0", len(rs))
	}
	// The next modal opens on Frank's pair: remembered.
	v2 := h.openAssessment(assistant)
	if !strings.Contains(v2.PrivateMetadata, frank) {
		t.Errorf("default pair not remembered: metadata %s", v2.PrivateMetadata)
	}
	h.noProblems()
}

func partnershipID(a, e string) string { return a + "-" + e }

func TestExportAndDeleteMyData(t *testing.T) {
	h := startPairs(t)
	h.pairUp(assistant, executive)
	h.assess(assistant, "YYYYYYYYNN", false)
	h.assess(executive, "YYYYYYYYYY", false)

	mustContain(t, "export ack", h.command(assistant, "export").Payload, "Preparing your data")
	dm := slackfake.DMChannelID(assistant)
	if err := h.fake.WaitFor(h.ctx(), func() bool { return len(h.fake.Files(dm)) == 1 }); err != nil {
		t.Fatalf("no export file: %v", err)
	}
	f := h.fake.Files(dm)[0]
	var ex struct {
		User    string            `json:"user"`
		Pairs   []json.RawMessage `json:"pairs"`
		Results []struct {
			UserID string
		} `json:"results"`
	}
	if err := json.Unmarshal(f.Content, &ex); err != nil {
		t.Fatalf("export is not JSON: %v\n%s", err, f.Content)
	}
	if ex.User != assistant || len(ex.Pairs) != 1 || len(ex.Results) != 1 || ex.Results[0].UserID != assistant {
		t.Errorf("export = %s", f.Content)
	}

	h.command(assistant, "delete-my-data")
	confirm := h.waitModal(assistant, slackui.CallbackDeleteData)
	e0 := len(h.fake.DMs(executive))
	h.submitValues(assistant, confirm.ID, nil)
	mustContain(t, "partner told", h.waitDM(executive, e0, "left your partnership").Text, "<@"+assistant+">")
	mustContain(t, "history gone", h.command(assistant, "history").Payload, "You have no results yet.")
	for _, k := range h.redis.Keys() {
		if strings.Contains(k, assistant) {
			t.Errorf("key left after the assistant deleted their data: %s", k)
		}
	}
	if n, _ := h.redis.ZMembers("pb:v1:{due}:queue"); len(n) != 0 {
		t.Errorf("check-ins still queued for the ended pair: %v", n)
	}
	h.noProblems()
}
