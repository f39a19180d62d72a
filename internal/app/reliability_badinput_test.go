package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/sender"
	"github.com/partnerbot/partnerbot/internal/slackfake"
	"github.com/partnerbot/partnerbot/internal/slackui"
)

// The bad-input catalogue of docs/reliability.md: the cases the other
// end-to-end tests do not cover yet.

const unusual = "שלום 👋🏽 مرحبا — 日本語 <@UEXEC> *bold* &amp;"

// 10,000-character lines, emoji and right-to-left text in the Next Steps
// form (sent by a modified client: Slack's own stops at max_length): each
// line is cut to 300 characters, the unusual text reaches the partner
// intact (escaped, not interpreted).
func TestLongAndUnusualTextInNextSteps(t *testing.T) {
	h := startPairs(t)
	h.pairUp(assistant, executive)
	long := strings.Repeat("ж", 10000)
	meta := `{"v":1,"pair":"` + partnershipID(assistant, executive) + `"}`
	line := func(v string) map[string]any {
		return map[string]any{slackui.ActionStep: map[string]any{"type": "plain_text_input", "value": v}}
	}
	send := map[string]any{slackui.ActionWishSend: map[string]any{"type": "radio_buttons", "selected_option": map[string]any{"value": slackui.ValueSend}}}
	e0 := len(h.fake.DMs(executive))
	ack, err := h.fake.Send(h.ctx(), slackfake.EnvelopeInteractive, map[string]any{
		"type": "view_submission", "user": map[string]any{"id": assistant}, "trigger_id": h.fake.NewTriggerID(assistant),
		"view": map[string]any{"id": "VLONG", "type": "modal", "callback_id": slackui.CallbackNextSteps, "private_metadata": meta,
			"state": map[string]any{"values": map[string]any{
				slackui.BlockStep(slackui.ListJustRight, 1): line("🙂🙂🙂"),
				slackui.BlockStep(slackui.ListWish, 1):      line(long),
				slackui.BlockStep(slackui.ListWish, 2):      line(unusual),
				slackui.BlockWishSend(1):                    send,
				slackui.BlockWishSend(2):                    send,
			}}}})
	if err != nil || ack.Payload != nil {
		t.Fatalf("ack = %s, %v; want the modal closed", ack.Payload, err)
	}
	dm := h.waitDM(executive, e0, slackui.ActionWishDone)
	wishes := string(dm.Blocks)
	mustContain(t, "wishes DM", dm.Blocks, "שלום 👋🏽 مرحبا — 日本語 &lt;@UEXEC&gt;", strings.Repeat("ж", partnership.MaxItemLen))
	if strings.Contains(wishes, strings.Repeat("ж", partnership.MaxItemLen+1)) {
		t.Error("a 10,000-character wish reached the partner uncut")
	}
	mustContain(t, "wishes list", h.command(executive, "wishes").Payload, "שלום 👋🏽 مرحبا")
	h.noProblems()
}

// A schedule of 3,900 characters of right-to-left text and emoji (under
// the 4,000 of a command): refused with a clear answer that fits an ack.
func TestLongUnusualScheduleIsRefusedClearly(t *testing.T) {
	h := startPairs(t)
	h.pairUp(assistant, executive)
	text := "schedule " + strings.Repeat("כל יום 🕘 ", 3900/len("כל יום 🕘 "))
	ack := h.command(assistant, text)
	mustContain(t, "schedule reply", ack.Payload, "I could not read that schedule: try")
	if len(ack.Payload) >= slackfake.MaxAckSize {
		t.Errorf("reply is %d bytes", len(ack.Payload))
	}
	mustContain(t, "unchanged", h.command(assistant, "schedule @weekly").Payload, "now come sundays at 00:00, your time")
	h.noProblems()
}

// Someone Slack's users.info does not know (a guest of another workspace,
// a user created after the cache) uses the bot: it answers as for anyone.
func TestUnknownUserIsServed(t *testing.T) {
	h := start(t)
	const stranger = "UNKNOWN42"
	mustContain(t, "history", h.command(stranger, "history").Payload, "You have no results yet.")
	v := h.openAssessment(stranger)
	if ack := h.submit(stranger, v.ID, "YNYNYNYNYN"); ack["response_action"] != "update" {
		t.Fatalf("submit = %v", ack)
	}
	h.waitDMs(stranger, 1)
	mustContain(t, "pair with an unknown user", h.command(assistant, "pair "+mention("UNOBODY")).Payload, "Inviting")
	h.waitDM(assistant, 0, "That link is not valid any more.")
	h.noProblems()
}

// The bot was removed from the pair's group DM (chat.postMessage answers
// not_in_channel): the member who asked for the summary must be told, not
// left with "Posting your summary…" and nothing.
func TestBotRemovedFromGroupDM(t *testing.T) {
	h := startPairs(t)
	h.pairUp(assistant, executive)
	h.assess(assistant, "YYYYYYNNNN", false)
	h.assess(executive, "YYYYYYYYNN", false)
	var group string
	if err := h.fake.WaitFor(h.ctx(), func() bool { g, ok := h.fake.GroupDM(assistant, executive); group = g; return ok }); err != nil {
		t.Fatalf("no group DM: %v", err)
	}
	if !h.fake.RemoveBot(group) {
		t.Fatal("RemoveBot")
	}
	a0 := len(h.fake.DMs(assistant))
	mustContain(t, "summary ack", h.command(assistant, "summary").Payload, "Posting your summary")
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		for _, c := range h.fake.Calls("chat.postMessage") {
			if c.Error == "not_in_channel" {
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatalf("the summary was never posted: %v", err)
	}
	mustContain(t, "told", h.waitDM(assistant, a0, "could not post this in your group DM").Blocks, "Partnership summary")
	h.waitDMs(executive, 2)
}

// A member deactivated after pairing: chat.postMessage answers
// user_disabled, which no retry can fix. Their check-in must not be retried
// every lease for the whole grace window, and their partner's goes out.
func TestDeactivatedMemberCheckinIsNotRetriedForever(t *testing.T) {
	fake := newFake(t)
	monday := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	clk := &dueClock{t: monday.Add(-3 * time.Hour)} // before 09:00 in Paris (the assistant) and in UTC
	st, svc, lease := sendingPath(t, fake, clk, sender.Options{Rate: 100, Burst: 10})
	ctx := context.Background()
	fake.AddUser(slackfake.User{ID: executive, Name: "eve"})
	p := partnership.Pair{ID: partnership.NewPairID(assistant, executive), Assistant: assistant, Executive: executive, CreatedAt: clk.Now()}
	if err := st.CreatePair(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(ctx, p); err != nil {
		t.Fatal(err)
	}
	fake.AddUser(slackfake.User{ID: executive, Name: "eve", Deleted: true})

	// Six hours of polling, jumping from lease to lease.
	clk.Add(2 * time.Hour)
	for range 6 * 60 / 2 {
		if _, err := svc.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		clk.Add(lease + time.Second)
	}
	if got := checkins(fake, assistant); len(got) != 1 {
		t.Errorf("the active member got check-ins %v (%d DMs), want one", got, len(fake.DMs(assistant)))
	}
	tries := 0
	for _, c := range fake.Calls("chat.postMessage") {
		if c.Params["channel"] == executive {
			tries++
		}
	}
	if tries > 3 {
		t.Errorf("a check-in to a deactivated member was posted %d times in six hours; a permanent error should end that occurrence", tries)
	}
}
