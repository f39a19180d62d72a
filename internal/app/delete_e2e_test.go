package app

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/partnerbot/partnerbot/internal/redistest"
	"github.com/partnerbot/partnerbot/internal/slackfake"
	"github.com/partnerbot/partnerbot/internal/slackui"
	"github.com/redis/go-redis/v9"
	"github.com/slack-go/slack"
)

// What delete-my-data leaves in Redis, on a real redis-server of the
// test's own, scanned key by key and value by value: nothing that names
// the person who deleted, nor anything they wrote; their partners keep
// their own history.
func TestDeleteMyDataLeavesNoTrace(t *testing.T) {
	rs := redistest.Start(t)
	fake := newFake(t)
	for _, u := range []slackfake.User{
		{ID: executive, Name: "eve", RealName: "Eve Executive", TZ: "America/New_York"},
		{ID: third, Name: "tom", RealName: "Tom Third"},
		{ID: other, Name: "frank", RealName: "Frank Other"},
		{ID: "UNEW", Name: "nora", RealName: "Nora New"},
	} {
		fake.AddUser(u)
	}
	h := startOn(t, fake, rs.Addr(), nil)
	const (
		deleter     = assistant // the assistant of Eve, and Tom's executive
		mark        = "DMARK"   // in everything the deleter writes
		partnerMark = "EMARK"   // in what Eve writes
	)

	// The deleter's partnerships, in both roles, and Eve's other one.
	h.pairUp(deleter, executive)
	h.pairUp(third, deleter)
	h.pairUp(other, executive)
	// Invitations, sent and received, still open.
	h.command(deleter, "pair "+mention("UNEW"))
	h.waitDM("UNEW", 0, slackui.ActionInviteAccept)
	h.command(other, "pair "+mention(deleter))
	h.waitDM(deleter, 0, "<@"+other+"> invites you")

	// Eve picks her pair with the deleter in a modal: her remembered
	// choice then names it.
	eve := partnershipID(deleter, executive)
	h.assessIn(executive, eve, "YYYYYNNNNN", true)
	h.assessIn(deleter, eve, "YYYYYYYYNN", true)
	h.assessIn(deleter, partnershipID(third, deleter), "YNYNYNYNYN", false)
	h.assessIn(third, partnershipID(third, deleter), "NNYYNNYYNN", false)

	// Next steps with wishes both ways; each acts on the other's.
	e0, d0 := len(h.fake.DMs(executive)), len(h.fake.DMs(deleter))
	h.saveSteps(deleter, eve, mark+" guard the calendar", mark+" a weekly 1:1")
	wishToEve := h.waitDM(executive, e0, mark+" a weekly 1:1")
	h.saveSteps(executive, eve, partnerMark+" my own line", partnerMark+" send the deck earlier")
	wishToDeleter := h.waitDM(deleter, d0, partnerMark+" send the deck earlier")
	h.click(executive, wishToEve, slackui.ActionWishAck)
	h.click(deleter, wishToDeleter, slackui.ActionWishDecline)
	decline := h.waitModal(deleter, slackui.CallbackWishDecline)
	h.submitValues(deleter, decline.ID, map[string]map[string]slack.BlockAction{
		slackui.BlockWishNote: {slackui.ActionWishNote: {Type: "plain_text_input", Value: mark + " not this quarter"}}})
	h.waitDM(executive, e0, mark+" not this quarter")

	// Check-ins: a snooze queued, an out-of-office, a scorecard asked for.
	mustContain(t, "schedule", h.command(deleter, "schedule @every 2s").Payload, "now come")
	var checkinDM slackfake.Message
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		for _, m := range h.fake.DMs(deleter) {
			if roundDate.Match(m.Blocks) {
				checkinDM = m
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatalf("no check-in: %v", err)
	}
	mustContain(t, "pause", h.command(deleter, "pause").Payload, "paused")
	// The round of the latest check-in DM, as pausing left it.
	for _, m := range h.fake.DMs(deleter) {
		if roundDate.Match(m.Blocks) {
			checkinDM = m
		}
	}
	d0 = len(h.fake.DMs(deleter))
	h.click(deleter, checkinDM, slackui.ActionCheckinSnooze)
	h.waitDM(deleter, d0, "Snoozed")
	// …and a progress check-in, shared, with a plan change.
	h.click(deleter, checkinDM, slackui.ActionCheckinProgress)
	progress := h.waitModal(deleter, slackui.CallbackProgress)
	mustContain(t, "check-in", h.submitValues(deleter, progress.ID, map[string]map[string]slack.BlockAction{
		slackui.BlockReflection:      {slackui.ActionReflection: {Type: "plain_text_input", Value: mark + " we trust each other"}},
		slackui.BlockReflectionShare: {slackui.ActionReflectionShare: {Type: "checkboxes", SelectedOptions: []slack.OptionBlockObject{{Value: slackui.ValueReflectionShare}}}},
		slackui.BlockPlanChange:      {slackui.ActionPlanChange: {Type: "plain_text_input", Value: mark + " less travel"}},
	})["view"], "Checked in")
	mustContain(t, "away", h.command(deleter, "away until "+time.Now().AddDate(0, 0, 9).Format("2006-01-02")).Payload, "away until")
	h.command(deleter, "scorecard")

	// Delete.
	h.command(deleter, "delete-my-data")
	confirm := h.waitModal(deleter, slackui.CallbackDeleteData)
	mustContain(t, "confirmation", confirm.JSON, "What stays", "Your partners keep their own results")
	e0 = len(h.fake.DMs(executive))
	h.submitValues(deleter, confirm.ID, nil)
	h.waitDM(executive, e0, "left your partnership")
	h.waitDM(deleter, 0, "Your data is deleted")

	// Every key, every value: nothing names the deleter or holds their words.
	rdb := redis.NewClient(&redis.Options{Addr: rs.Addr()})
	t.Cleanup(func() { rdb.Close() })
	ctx := context.Background()
	keys, err := rdb.Keys(ctx, "*").Result()
	if err != nil || len(keys) == 0 {
		t.Fatalf("KEYS: %v, %d keys", err, len(keys))
	}
	partnerKept := false
	for _, k := range keys {
		v := dump(t, rdb, k)
		for _, bad := range []string{deleter, mark} {
			if strings.Contains(k, bad) || strings.Contains(v, bad) {
				t.Errorf("%s is left after delete-my-data: key %s = %.300s", bad, k, v)
			}
		}
		partnerKept = partnerKept || strings.Contains(v, partnerMark+" my own line")
	}
	if !partnerKept {
		t.Error("Eve's own next steps are gone: a partner keeps their own history")
	}

	// Eve keeps her result, and her remaining pair works as before.
	mustContain(t, "Eve's history", h.command(executive, "history").Payload, "5/10")
	mustContain(t, "Eve's other pair", h.command(executive, "summary").Payload, "Posting your summary")
	// Tom, whose executive deleted, keeps his result too.
	mustContain(t, "Tom's history", h.command(third, "history").Payload, "4/10")
	// Eve's Home tab no longer shows the deleter.
	if _, err := h.fake.OpenHome(h.ctx(), executive); err != nil {
		t.Fatal(err)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		hv, ok := h.fake.HomeView(executive)
		return ok && strings.Contains(string(hv.JSON), other)
	}); err != nil {
		t.Fatalf("no Home tab for Eve: %v", err)
	}
	if hv, _ := h.fake.HomeView(executive); strings.Contains(string(hv.JSON), deleter) || strings.Contains(string(hv.JSON), mark) {
		t.Errorf("Eve's Home tab still shows the deleter:\n%s", hv.JSON)
	}
	// And Eve's export holds her former partnership, naming nobody.
	h.command(executive, "export")
	dm := slackfake.DMChannelID(executive)
	if err := h.fake.WaitFor(h.ctx(), func() bool { return len(h.fake.Files(dm)) == 1 }); err != nil {
		t.Fatalf("no export for Eve: %v", err)
	}
	exported := string(h.fake.Files(dm)[0].Content)
	if !strings.Contains(exported, `"former_partnerships"`) || !strings.Contains(exported, partnerMark+" send the deck earlier") ||
		strings.Contains(exported, deleter) || strings.Contains(exported, mark) {
		t.Errorf("Eve's export after the deletion:\n%s", exported)
	}
	h.noProblems()
}

// dump is a key's value as text, whatever its type.
func dump(t *testing.T, rdb *redis.Client, key string) string {
	t.Helper()
	ctx := context.Background()
	typ, err := rdb.Type(ctx, key).Result()
	if err != nil {
		t.Fatal(err)
	}
	var v any
	switch typ {
	case "string":
		v, err = rdb.Get(ctx, key).Result()
	case "hash":
		v, err = rdb.HGetAll(ctx, key).Result()
	case "list":
		v, err = rdb.LRange(ctx, key, 0, -1).Result()
	case "set":
		v, err = rdb.SMembers(ctx, key).Result()
	case "zset":
		v, err = rdb.ZRangeWithScores(ctx, key, 0, -1).Result()
	case "none":
		return "" // expired meanwhile
	default:
		t.Fatalf("key %s of unexpected type %s", key, typ)
	}
	if err != nil && err != redis.Nil {
		t.Fatalf("read %s: %v", key, err)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// assessIn takes the assessment as user about pair (picking it when the
// user has several).
func (h *harness) assessIn(user, pair, ans string, share bool) {
	h.t.Helper()
	v := h.openAssessment(user)
	h.pickPair(user, v, pair)
	values := answers(ans)
	if share {
		values[slackui.BlockShare] = map[string]slack.BlockAction{slackui.ActionShare: {Type: "checkboxes", SelectedOptions: []slack.OptionBlockObject{{Value: slackui.ValueShare}}}}
	}
	if ack := h.submitValues(user, v.ID, values); ack["response_action"] != "update" {
		h.t.Fatalf("%s's assessment in %s acked %v", user, pair, ack)
	}
}

// pickPair picks pair in the modal v, unless it is about pair already, and
// waits for the redraw.
func (h *harness) pickPair(user string, v slackfake.View, pair string) {
	h.t.Helper()
	if strings.Contains(v.PrivateMetadata, pair) {
		return
	}
	if _, err := h.fake.SelectOption(h.ctx(), user, v.ID, slackui.BlockPair, slackui.ActionPairSelect, pair); err != nil {
		h.t.Fatal(err)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool { got, _ := h.fake.View(v.ID); return strings.Contains(got.PrivateMetadata, pair) }); err != nil {
		h.t.Fatalf("modal not redrawn for %s: %v", pair, err)
	}
}

// saveSteps saves user's Next Steps in pair: one "just right" line and one
// wish, sent to the partner.
func (h *harness) saveSteps(user, pair, justRight, wish string) {
	h.t.Helper()
	h.command(user, "next-steps")
	steps := h.waitModal(user, slackui.CallbackNextSteps)
	h.pickPair(user, steps, pair)
	lines := stepValues(map[string]string{
		slackui.BlockStep(slackui.ListJustRight, 1): justRight,
		slackui.BlockStep(slackui.ListWish, 1):      wish,
	})
	if ack := h.submitValues(user, steps.ID, lines); ack != nil {
		h.t.Fatalf("%s's next steps acked %v", user, ack)
	}
}
