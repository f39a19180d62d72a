package app

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

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

// pairUp pairs the assistant with exec the way people do: the assistant
// invites, the executive accepts; it waits for both partners' DMs.
func (h *harness) pairUp(assistantID, exec string) {
	h.t.Helper()
	a0, e0 := len(h.fake.DMs(assistantID)), len(h.fake.DMs(exec))
	mustContain(h.t, "pair ack", h.command(assistantID, "pair "+mention(exec)).Payload, "Inviting <@"+exec+">")
	card := h.waitDM(exec, e0, slackui.ActionInviteAccept)
	h.waitDM(assistantID, a0, "I invited <@"+exec+">")
	h.click(exec, card, slackui.ActionInviteAccept)
	h.waitDM(assistantID, a0, "You and <@"+exec+"> are partners now")
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
		{"pair " + mention(executive) + " as boss", "Mention the person to pair with", ""},
		{"pair " + mention(botUser), "Inviting", "You cannot pair with a bot."},
		{"pair " + mention(gone), "Inviting", "That person's account is deactivated."},
		{"pair " + mention("UNOBODY"), "Inviting", "That link is not valid any more."},
	}
	for _, tt := range tests {
		before := len(h.fake.DMs(assistant))
		mustContain(t, tt.text, h.command(assistant, tt.text).Payload, tt.ack)
		if tt.dmReason != "" {
			h.waitDM(assistant, before, tt.dmReason)
		}
	}
	h.pairUp(assistant, executive)
	// Already paired, in either role, either way round: refused, by DM.
	for _, again := range []struct{ by, text string }{
		{assistant, "pair " + mention(executive)},
		{assistant, "pair " + mention(executive) + " as assistant"},
		{executive, "pair " + mention(assistant)},
		{executive, "pair " + mention(assistant) + " as assistant"},
	} {
		before := len(h.fake.DMs(again.by))
		mustContain(t, again.text, h.command(again.by, again.text).Payload, "Inviting")
		h.waitDM(again.by, before, "You are already paired with that person.")
	}
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
	ack := h.submitValues(assistant, setup.ID, pick(other))
	mustContain(t, "setup with a valid partner", ack["view"], "I invited <@"+other+"> to be your executive")
	h.waitDM(other, 0, slackui.ActionInviteAccept)
	// A second invitation while one waits: refused.
	h.command(assistant, "pair")
	setup = h.waitModal(assistant, slackui.CallbackPairSetup)
	mustContain(t, "setup twice", h.submitValues(assistant, setup.ID, pick(other))["errors"], "There is already an invitation between you two")
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
	group := h.waitSummaries(1, 1)
	sum := h.fake.Messages(group)[0]
	mustContain(t, "summary", sum.Blocks, "6/10", "8/10", "To see where your views differ, both of you tick")
	if strings.Contains(string(sum.Blocks), "Does your boss trust you?") || strings.Contains(string(sum.Blocks), "differ on") {
		t.Errorf("summary compares answers although the executive did not share:\n%s", sum.Blocks)
	}

	// Next steps: the assistant's wishes reach the executive with buttons.
	ack0 := h.command(assistant, "next-steps")
	if ack0.Payload != nil && string(ack0.Payload) != "null" {
		t.Fatalf("next-steps ack = %s", ack0.Payload)
	}
	steps := h.waitModal(assistant, slackui.CallbackNextSteps)
	mustContain(t, "next steps modal", steps.JSON, "“just right”", "List three things you wish your boss would do to improve your partnership.")
	lines := stepValues(map[string]string{
		slackui.BlockStep(slackui.ListJustRight, 1): "I guard the calendar",
		slackui.BlockStep(slackui.ListWish, 1):      "Hold a weekly 1:1 <!channel>",
		slackui.BlockStep(slackui.ListWish, 3):      "Share the quarterly goals",
	})
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
	h.waitSummaries(2, 2)

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
	pairing := h.waitDM(executive, 0, slackui.ActionPairLeave)
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
	mustContain(t, "forged assessment", ack["errors"], "That partnership is not one of yours (it may have ended).")

	// Next steps "for" the pair.
	nsMeta := `{"v":1,"pair":"` + pairID + `"}`
	payload := map[string]any{"type": "view_submission", "user": map[string]any{"id": third},
		"view": map[string]any{"id": "VFORGED", "type": "modal", "callback_id": slackui.CallbackNextSteps, "private_metadata": nsMeta,
			"state": map[string]any{"values": map[string]any{slackui.BlockStep(slackui.ListWish, 1): map[string]any{slackui.ActionStep: map[string]any{"type": "plain_text_input", "value": "give me a raise"}}}}}}
	nsAck, err := h.fake.Send(h.ctx(), slackfake.EnvelopeInteractive, payload)
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, "forged next steps", nsAck.Payload, "That partnership is not one of yours (it may have ended).")

	// Leaving the pair, by a forged button.
	t0 := len(h.fake.DMs(third))
	leave := map[string]any{"type": "block_actions", "user": map[string]any{"id": third}, "trigger_id": "T1",
		"actions": []any{map[string]any{"type": "button", "action_id": slackui.ActionPairLeave, "block_id": "b", "value": pairID}}}
	if _, err := h.fake.Send(h.ctx(), slackfake.EnvelopeInteractive, leave); err != nil {
		t.Fatal(err)
	}
	existing := h.waitDM(third, t0, "That partnership is not one of yours (it may have ended).")
	// A pair that does not exist reads the same: the answer must not tell
	// who is paired with whom.
	t0 = len(h.fake.DMs(third))
	leave["actions"] = []any{map[string]any{"type": "button", "action_id": slackui.ActionPairLeave, "block_id": "b", "value": other + "-UNOBODY"}}
	leave["trigger_id"] = "T2"
	if _, err := h.fake.Send(h.ctx(), slackfake.EnvelopeInteractive, leave); err != nil {
		t.Fatal(err)
	}
	if missing := h.waitDM(third, t0, "partnership"); missing.Text != existing.Text {
		t.Errorf("a pair of others reads %q, a pair that does not exist %q: they must read the same", existing.Text, missing.Text)
	}

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
	// The assistant picks Eve's pair again; then Frank, in a pair with the
	// assistant, forges a pick of his own pair in the assistant's modal. It
	// is not a modal the bot opened for him: it is refused before the ack,
	// and not redrawn.
	eve := partnershipID(assistant, executive)
	if _, err := h.fake.SelectOption(h.ctx(), assistant, v2.ID, slackui.BlockPair, slackui.ActionPairSelect, eve); err != nil {
		t.Fatal(err)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool { got, _ := h.fake.View(v2.ID); return strings.Contains(got.PrivateMetadata, eve) }); err != nil {
		t.Fatalf("modal not redrawn for the assistant's own pick: %v", err)
	}
	forged := map[string]any{"type": "block_actions", "user": map[string]any{"id": other}, "trigger_id": h.fake.NewTriggerID(other),
		"view": map[string]any{"id": v2.ID, "external_id": v2.ExternalID, "type": "modal", "callback_id": slackui.CallbackAssess, "hash": v2.Hash},
		"actions": []any{map[string]any{"type": "static_select", "action_id": slackui.ActionPairSelect, "block_id": slackui.BlockPair,
			"selected_option": map[string]any{"value": frank}}}}
	if _, err := h.fake.Send(h.ctx(), slackfake.EnvelopeInteractive, forged); err != nil {
		t.Fatal(err)
	}
	if v2.ExternalID == "" {
		t.Error("the bot opened the modal without an external_id of its own")
	}
	if !strings.Contains(h.logs.String(), "pair select by "+other+" of a view the bot did not open for them") {
		t.Error("the forged pick was not refused")
	}
	if got, _ := h.fake.View(v2.ID); !strings.Contains(got.PrivateMetadata, eve) {
		t.Errorf("the forged pick redrew the assistant's modal: metadata %s", got.PrivateMetadata)
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
			TakenAt string `json:"taken_at"`
			Answers []struct {
				Number   int    `json:"number"`
				Question string `json:"question"`
				Answer   string `json:"answer"`
			} `json:"answers"`
		} `json:"results"`
	}
	if err := json.Unmarshal(f.Content, &ex); err != nil {
		t.Fatalf("export is not JSON: %v\n%s", err, f.Content)
	}
	if ex.User != assistant || len(ex.Pairs) != 1 || len(ex.Results) != 1 || len(ex.Results[0].Answers) != 10 ||
		ex.Results[0].Answers[8].Question != "Does your boss trust you?" || ex.Results[0].Answers[8].Answer != "no" || ex.Results[0].TakenAt == "" {
		t.Errorf("export = %s", f.Content)
	}
	// One naming style: every key snake_case.
	if k := camelKey(t, f.Content); k != "" {
		t.Errorf("export key %q is not snake_case", k)
	}
	if want := "partnerbot-export-" + time.Now().UTC().Format("2006-01-02") + ".json"; f.Name != want {
		t.Errorf("export file is named %q, want %q", f.Name, want)
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

// A pair exists only once the person invited accepts: before that there
// is nothing to act on; a decline is told kindly; a stale card says so.
func TestPairingNeedsConsent(t *testing.T) {
	h := startPairs(t)

	// An executive invites their assistant.
	e0, a0 := len(h.fake.DMs(executive)), len(h.fake.DMs(assistant))
	mustContain(t, "invite", h.command(executive, "pair "+mention(assistant)+" as assistant").Payload, "Inviting <@"+assistant+">")
	card := h.waitDM(assistant, a0, slackui.ActionInviteAccept)
	mustContain(t, "invitation card", card.Blocks, "<@"+executive+"> invites you to a partnership on partnerbot: you would be the assistant, they the executive.")
	h.waitDM(executive, e0, "I invited <@"+assistant+"> to be your assistant")

	// Before an answer: no pair, no check-in queued, no wish possible.
	mustContain(t, "summary before", h.command(executive, "summary").Payload, "You are not in a partnership yet.")
	if next, err := h.app.NextCheckin(h.ctx()); err != nil || !next.IsZero() {
		t.Errorf("a check-in is queued before the invitation was accepted: %v, %v", next, err)
	}
	// Someone else pressing its button (a forged value) changes nothing.
	t0 := len(h.fake.DMs(third))
	h.click(third, card, slackui.ActionInviteAccept)
	h.waitDM(third, t0, "That invitation is no longer open.")

	// The assistant declines: the inviter is told kindly, the card shows it.
	e0 = len(h.fake.DMs(executive))
	h.click(assistant, card, slackui.ActionInviteDecline)
	h.waitDM(executive, e0, "<@"+assistant+"> declined your invitation to a partnership for now. No partnership was made and nothing was shared.")
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		m, _ := h.fake.Message(card.Channel, card.TS)
		return m.Updated && contains(m.Blocks, "Declined by <@"+assistant+">")
	}); err != nil {
		m, _ := h.fake.Message(card.Channel, card.TS)
		t.Fatalf("the card was not updated in place: %s", m.Blocks)
	}
	if m, _ := h.fake.Message(card.Channel, card.TS); strings.Contains(string(m.Blocks), slackui.ActionInviteAccept) {
		t.Error("the answered card still has its buttons")
	}
	// A press on the old card (a client that had not refreshed) answers kindly.
	a0 = len(h.fake.DMs(assistant))
	h.pressStale(assistant, card, slackui.ActionInviteAccept)
	h.waitDM(assistant, a0, "That invitation is no longer open.")
	mustContain(t, "summary after decline", h.command(assistant, "summary").Payload, "You are not in a partnership yet.")

	// Invited again, accepted this time: both are told, check-ins start.
	h.command(executive, "pair "+mention(assistant)+" as assistant")
	card = h.waitDM(assistant, a0, slackui.ActionInviteAccept)
	// The Home tab lists it with its buttons.
	if _, err := h.fake.OpenHome(h.ctx(), assistant); err != nil {
		t.Fatal(err)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		v, ok := h.fake.HomeView(assistant)
		return ok && strings.Contains(string(v.JSON), slackui.ActionInviteAccept)
	}); err != nil {
		t.Fatalf("the Home tab does not offer the invitation: %v", err)
	}
	h.click(assistant, card, slackui.ActionInviteAccept)
	h.waitDM(executive, e0, "You and <@"+assistant+"> are partners now: you are the executive")
	h.waitDM(assistant, a0, "You and <@"+executive+"> are partners now: you are the assistant")
	if next, err := h.app.NextCheckin(h.ctx()); err != nil || next.IsZero() {
		t.Errorf("no check-in queued once accepted: %v, %v", next, err)
	}
	// A second press (a double click) pairs nothing twice.
	a0 = len(h.fake.DMs(assistant))
	h.pressStale(assistant, card, slackui.ActionInviteAccept)
	h.waitDM(assistant, a0, "That invitation is no longer open.")
	if n := strings.Count(dmTexts(h, executive), "are partners now"); n != 1 {
		t.Errorf("the executive was told %d times of the pairing, want once", n)
	}
	h.noProblems()
}

// camelKey returns a key of the JSON document that is not snake_case
// ("" when all are).
func camelKey(t *testing.T, doc []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	var walk func(any) string
	walk = func(v any) string {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				if strings.ToLower(k) != k || strings.ContainsAny(k, " -") {
					return k
				}
				if bad := walk(c); bad != "" {
					return bad
				}
			}
		case []any:
			for _, c := range x {
				if bad := walk(c); bad != "" {
					return bad
				}
			}
		}
		return ""
	}
	return walk(v)
}

// stepValues is the state of a Next Steps modal with these lines typed
// (by block ID); each wish line among them is sent to the partner (the
// choice under it), as someone who wants it sent picks.
func stepValues(lines map[string]string) map[string]map[string]slack.BlockAction {
	v := map[string]map[string]slack.BlockAction{}
	for block, text := range lines {
		v[block] = map[string]slack.BlockAction{slackui.ActionStep: {Type: "plain_text_input", Value: text}}
		for i := 1; i <= 3; i++ {
			if block == slackui.BlockStep(slackui.ListWish, i) {
				v[slackui.BlockWishSend(i)] = map[string]slack.BlockAction{slackui.ActionWishSend: {Type: "radio_buttons", SelectedOption: slack.OptionBlockObject{Value: slackui.ValueSend}}}
			}
		}
	}
	return v
}

// pressStale presses a button of m as m was when the test read it: what a
// client that has not redrawn the message since sends (the fake's own
// ClickButton only presses buttons still there).
func (h *harness) pressStale(user string, m slackfake.Message, actionID string) {
	h.t.Helper()
	blockID, value := button(h.t, m.Blocks, actionID)
	payload := map[string]any{
		"type": "block_actions", "user": map[string]any{"id": user}, "trigger_id": h.fake.NewTriggerID(user),
		"container": map[string]any{"type": "message", "channel_id": m.Channel, "message_ts": m.TS},
		"channel":   map[string]any{"id": m.Channel}, "message": map[string]any{"ts": m.TS},
		"actions": []any{map[string]any{"type": "button", "action_id": actionID, "block_id": blockID, "value": value}},
	}
	if _, err := h.fake.Send(h.ctx(), slackfake.EnvelopeInteractive, payload); err != nil {
		h.t.Fatalf("%s presses a stale %s: %v", user, actionID, err)
	}
}

// contains reports whether JSON (blocks, as the fake holds them, with
// HTML escapes) holds want once decoded.
func contains(raw json.RawMessage, want string) bool {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return false
	}
	var buf strings.Builder
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return strings.Contains(buf.String(), want)
}

func dmTexts(h *harness, user string) string {
	var sb strings.Builder
	for _, m := range h.fake.DMs(user) {
		sb.WriteString(m.Text + "\n")
	}
	return sb.String()
}

// A wish line is private unless sent; a sent wish keeps its identity
// across saves; its card tells the truth wherever it was moved from, and a
// stale button answers kindly.
func TestWishesKeepTheirPromises(t *testing.T) {
	h := startPairs(t)
	h.pairUp(assistant, executive)
	saveSteps := func(values map[string]map[string]slack.BlockAction) {
		t.Helper()
		h.command(assistant, "next-steps")
		steps := h.waitModal(assistant, slackui.CallbackNextSteps)
		a0 := len(h.fake.DMs(assistant))
		if ack := h.submitValues(assistant, steps.ID, values); ack != nil {
			t.Fatalf("next steps ack = %v", ack)
		}
		h.waitDM(assistant, a0, "Your next steps are saved.")
	}
	// Kept to myself (the default choice, untouched): the executive gets nothing.
	e0 := len(h.fake.DMs(executive))
	saveSteps(map[string]map[string]slack.BlockAction{
		slackui.BlockStep(slackui.ListWish, 1): {slackui.ActionStep: {Type: "plain_text_input", Value: "A private reflection"}}})
	mustContain(t, "wishes", h.command(executive, "wishes").Payload, "No open wishes")

	// Sent: one card with its buttons (the first line, left as it was, stays mine).
	saveSteps(stepValues(map[string]string{slackui.BlockStep(slackui.ListWish, 2): "Share the board deck a day earlier"}))
	card := h.waitDM(executive, e0, slackui.ActionWishDone)
	if strings.Contains(string(card.Blocks), "A private reflection") {
		t.Errorf("a line kept to oneself reached the executive: %s", card.Blocks)
	}
	// Saved again and again, unchanged (the modal as it opens): no new wish.
	for range 2 {
		saveSteps(nil)
	}
	if n := len(h.fake.DMs(executive)) - e0; n != 1 {
		t.Errorf("the executive got %d wish DMs after re-saving unchanged lines, want 1", n)
	}

	// Acknowledged from the Home tab: the card in the DM says so, and keeps
	// the buttons that still apply.
	if _, err := h.fake.OpenHome(h.ctx(), executive); err != nil {
		t.Fatal(err)
	}
	var home slackfake.View
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		home, _ = h.fake.HomeView(executive)
		return strings.Contains(string(home.JSON), slackui.ActionWishAck)
	}); err != nil {
		t.Fatal(err)
	}
	blockID, _ := button(t, home.JSON, slackui.ActionWishAck)
	if _, err := h.fake.ClickButton(h.ctx(), executive, slackfake.Container{ViewID: home.ID}, slackui.ActionWishAck, blockID, ""); err != nil {
		t.Fatal(err)
	}
	cardNow := func(want string) slackfake.Message {
		t.Helper()
		var m slackfake.Message
		if err := h.fake.WaitFor(h.ctx(), func() bool {
			m, _ = h.fake.Message(card.Channel, card.TS)
			return m.Updated && contains(m.Blocks, want)
		}); err != nil {
			t.Fatalf("the wish card does not say %q: %s", want, m.Blocks)
		}
		return m
	}
	acked := cardNow("Acknowledged by <@" + executive + ">")
	if strings.Contains(string(acked.Blocks), slackui.ActionWishAck) || !strings.Contains(string(acked.Blocks), slackui.ActionWishDone) {
		t.Errorf("an acknowledged wish's card: %s", acked.Blocks)
	}
	// Done from the card: no buttons left; a press on the stale card kindly
	// says where it stands, and changes nothing.
	h.click(executive, acked, slackui.ActionWishDone)
	done := cardNow("Done by <@" + executive + ">")
	if strings.Contains(string(done.Blocks), slackui.ActionWishDone) {
		t.Errorf("a done wish's card still has buttons: %s", done.Blocks)
	}
	e1 := len(h.fake.DMs(executive))
	h.pressStale(executive, card, slackui.ActionWishAck)
	h.waitDM(executive, e1, "That wish moved already: Done by <@"+executive+">")

	// Saved once more: the done wish is not sent again, nor reopened.
	saveSteps(nil)
	if n := len(h.fake.DMs(executive)) - e1; n != 1 { // the stale answer only
		t.Errorf("%d DMs to the executive after re-saving a done wish, want 1", n)
	}
	mustContain(t, "wishes", h.command(executive, "wishes").Payload, "No open wishes")
	h.noProblems()
}
