package app

import (
	"encoding/json"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/slackfake"
	"github.com/partnerbot/partnerbot/internal/slackui"
	"github.com/slack-go/slack"
)

// charterValues is a complete charter as the form's state: expectations,
// a channel, one decision right, every task area, a goal.
func charterValues(expect string, finances partnership.Ownership) map[string]map[string]slack.BlockAction {
	text := func(v string) map[string]slack.BlockAction {
		return map[string]slack.BlockAction{slackui.ActionCharterText: {Type: "plain_text_input", Value: v}}
	}
	pick := func(action, v string) map[string]slack.BlockAction {
		return map[string]slack.BlockAction{action: {Type: "static_select", SelectedOption: slack.OptionBlockObject{Value: v}}}
	}
	v := map[string]map[string]slack.BlockAction{
		slackui.BlockCharterAssistantExpects: text(expect + "\nShare the quarter's priorities <!channel>"),
		slackui.BlockCharterExecutiveExpects: text("Guard my focus mornings"),
		slackui.BlockCharterChannel:          text("Slack DM"),
		slackui.BlockCharterCadence:          text("Monday 1:1"),
		slackui.BlockCharterDecision(1):      text("Travel under $500"),
		slackui.BlockCharterRight(1):         pick(slackui.ActionCharterRight, string(partnership.Decide)),
		slackui.BlockCharterGoal(1):          text("Close the Series B"),
	}
	for i := range assessment.NumTaskAreas {
		v[slackui.BlockCharterTask(i+1)] = pick(slackui.ActionCharterTask, string(partnership.Shared))
	}
	v[slackui.BlockCharterTask(7)] = pick(slackui.ActionCharterTask, string(finances))
	return v
}

// openCharter runs `charter` as user and waits for the form.
func (h *harness) openCharter(user string) slackfake.View {
	h.t.Helper()
	if ack := h.command(user, "charter"); ack.Payload != nil && string(ack.Payload) != "null" {
		h.t.Fatalf("charter ack = %s, want empty (the form opens after it)", ack.Payload)
	}
	return h.waitModal(user, slackui.CallbackCharter)
}

// waitUpdated waits until the message m was updated in place to contain want.
func (h *harness) waitUpdated(m slackfake.Message, want string) slackfake.Message {
	h.t.Helper()
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		got, _ := h.fake.Message(m.Channel, m.TS)
		return got.Updated && contains(got.Blocks, want)
	}); err != nil {
		got, _ := h.fake.Message(m.Channel, m.TS)
		h.t.Fatalf("card not updated in place to say %q: %s", want, got.Blocks)
	}
	got, _ := h.fake.Message(m.Channel, m.TS)
	return got
}

// The whole loop: an empty charter refused inline, a draft through the
// form, accepted on its card (updated in place), a change both accept, the
// history, Home, a third user refused with nothing changed, two members
// saving at once, and Redis down on save.
func TestCharterJourney(t *testing.T) {
	h := startPairs(t)
	h.pairUp(assistant, executive)
	pairID := partnershipID(assistant, executive)
	key := "pb:v1:{p:" + pairID + "}:charter"

	// An empty charter: inline errors naming what is missing, form open.
	v := h.openCharter(assistant)
	mustContain(t, "charter form", v.JSON, assessment.DefineRoles, "What you expect of your executive", "Finances", "No charter yet: this is the first draft.")
	ack := h.submitValues(assistant, v.ID, nil)
	if ack["response_action"] != "errors" {
		t.Fatalf("empty charter ack = %v, want errors", ack)
	}
	mustContain(t, "empty charter errors", ack["errors"], "Write at least one thing one of you expects of the other.",
		"Say how you communicate", "Choose who has Staff Training: “Not part of this role” is an answer too.")
	if got, _ := h.fake.View(v.ID); !got.Open {
		t.Error("the form closed on an empty charter")
	}
	if h.redis.Exists(key) {
		t.Error("an empty charter was stored")
	}

	// The assistant drafts version 1; the executive gets its card.
	e0, a0 := len(h.fake.DMs(executive)), len(h.fake.DMs(assistant))
	ack = h.submitValues(assistant, v.ID, charterValues("Tell me the priorities on Monday", partnership.ExecutiveKeeps))
	if ack["response_action"] != "update" {
		t.Fatalf("draft ack = %v, want the form replaced", ack)
	}
	mustContain(t, "draft saved", ack["view"], "Saved as version 1.", "<@"+executive+"> gets it to accept")
	card := h.waitDM(executive, e0, slackui.ActionCharterAccept)
	mustContain(t, "charter card", card.Blocks, "<@"+assistant+"> drafted version 1 of your partnership charter", "Tell me the priorities on Monday",
		"Share the quarter's priorities &lt;!channel&gt;", "• Finances: the executive keeps it", slackui.ActionCharterReview)

	// A third user: a forged submission and a forged Accept change nothing.
	before := h.hash(key)
	forged := map[string]any{"type": "view_submission", "user": map[string]any{"id": third},
		"view": map[string]any{"id": "VFORGED", "type": "modal", "callback_id": slackui.CallbackCharter,
			"private_metadata": `{"v":1,"pair":"` + pairID + `","base":1}`,
			"state":            map[string]any{"values": charterValues("Give me a raise", partnership.AssistantOwns)}}}
	fAck, err := h.fake.Send(h.ctx(), slackfake.EnvelopeInteractive, forged)
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, "forged charter", fAck.Payload, "That partnership is not one of yours (it may have ended).")
	t0 := len(h.fake.DMs(third))
	h.pressStale(third, card, slackui.ActionCharterAccept)
	h.waitDM(third, t0, "I could not accept that charter: That partnership is not one of yours (it may have ended).")
	t0 = len(h.fake.DMs(third))
	h.pressStale(third, card, slackui.ActionCharterReview)
	h.waitDM(third, t0, "I could not open that charter: That partnership is not one of yours")
	if after := h.hash(key); !maps.Equal(before, after) {
		t.Errorf("a third user changed the charter:\nbefore %v\nafter  %v", before, after)
	}

	// The executive accepts on the card: in force, the card says so in place.
	h.click(executive, card, slackui.ActionCharterAccept)
	h.waitDM(assistant, a0, "<@"+executive+"> accepted version 1 of your partnership charter: it is in force since")
	answered := h.waitUpdated(card, "In force: accepted by <@"+executive+">")
	if contains(answered.Blocks, slackui.ActionCharterAccept) {
		t.Error("the accepted card still has its buttons")
	}
	// A second press (a stale card) changes nothing.
	e0 = len(h.fake.DMs(executive))
	h.pressStale(executive, card, slackui.ActionCharterAccept)
	h.waitDM(executive, e0, "You had accepted version 1 of your charter already.")

	// Home shows it agreed, with a date.
	if _, err := h.fake.OpenHome(h.ctx(), assistant); err != nil {
		t.Fatal(err)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		hv, ok := h.fake.HomeView(assistant)
		return ok && contains(hv.JSON, "Charter: agreed on <!date^")
	}); err != nil {
		hv, _ := h.fake.HomeView(assistant)
		t.Fatalf("Home does not show the charter agreed: %s", hv.JSON)
	}

	// The executive changes it: version 2 waits, version 1 stays in force.
	v = h.openCharter(executive)
	mustContain(t, "form pre-filled with version 1", v.JSON, "Tell me the priorities on Monday", "In force: version 1", "What you expect of your assistant")
	a0 = len(h.fake.DMs(assistant))
	ack = h.submitValues(executive, v.ID, map[string]map[string]slack.BlockAction{
		slackui.BlockCharterTask(7): {slackui.ActionCharterTask: {Type: "static_select", SelectedOption: slack.OptionBlockObject{Value: string(partnership.ChiefOfStaff)}}}})
	mustContain(t, "change saved", ack["view"], "Saved as version 2.")
	card2 := h.waitDM(assistant, a0, "drafted version 2")
	mustContain(t, "change card", card2.Blocks, "Version 1 stays in force until you accept.", "Changed: who has Finances.", "• Finances: a chief of staff has it")
	mustContain(t, "history with a change waiting", h.command(assistant, "charter history").Payload, "*Version 2* drafted by <@"+executive+">", "waiting to be accepted", "*in force*")

	// Both members save at once, from version 2: one is stored, the other
	// keeps the form, is told, and sees the latest above their edits.
	va, ve := h.openCharter(assistant), h.openCharter(executive)
	e0 = len(h.fake.DMs(executive))
	h.submitValues(assistant, va.ID, charterValues("Tell me the priorities on Friday", partnership.ChiefOfStaff))
	card3 := h.waitDM(executive, e0, "drafted version 3")
	ack = h.submitValues(executive, ve.ID, charterValues("Tell me the priorities on Sunday", partnership.ChiefOfStaff))
	if ack["response_action"] != "errors" {
		t.Fatalf("a save from a stale version acked %v, want errors", ack)
	}
	mustContain(t, "changed meanwhile", ack["errors"], "While you were editing, your partner saved version 3", "Save again to make yours version 4.")
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		got, _ := h.fake.View(ve.ID)
		return got.Open && contains(got.JSON, "saved version 3 while you were editing") && contains(got.JSON, "Tell me the priorities on Sunday")
	}); err != nil {
		got, _ := h.fake.View(ve.ID)
		t.Fatalf("the form was not redrawn with the latest above the user's edits: %s", got.JSON)
	}
	a0 = len(h.fake.DMs(assistant))
	ack = h.submitValues(executive, ve.ID, nil) // the redrawn form holds the edits
	mustContain(t, "saved again", ack["view"], "Saved as version 4.")
	card4 := h.waitDM(assistant, a0, "drafted version 4")
	h.waitUpdated(card3, "Replaced by version 4, drafted by <@"+executive+">")
	// The replaced version's old card, pressed: refused kindly.
	e0 = len(h.fake.DMs(executive))
	h.pressStale(executive, card3, slackui.ActionCharterAccept)
	h.waitDM(executive, e0, "That draft of the charter was replaced by a newer one.")

	// The assistant accepts version 4 on its card; version 2's card was
	// replaced on the way.
	h.waitUpdated(card2, "Replaced by version 3")
	h.click(assistant, card4, slackui.ActionCharterAccept)
	h.waitUpdated(card4, "In force: accepted by <@"+assistant+">")
	hist := h.command(executive, "charter history").Payload
	mustContain(t, "history", hist, "4 versions", "*Version 4* drafted by <@"+executive+">", "*in force*", "replaced by version 3 before it was accepted",
		"in force until version 4 was agreed")
	if !strings.Contains(string(hist), "*Version 1*") {
		t.Errorf("history lacks version 1:\n%s", hist)
	}

	// Redis down on save: the form stays open with what was written.
	v = h.openCharter(assistant)
	h.redis.Close()
	ack = h.submitValues(assistant, v.ID, charterValues("Written while Redis is down", partnership.Shared))
	if ack["response_action"] != "errors" {
		t.Fatalf("save with Redis down acked %v, want errors", ack)
	}
	mustContain(t, "Redis down", ack["errors"], "Could not save, please try again.")
	if got, _ := h.fake.View(v.ID); !got.Open {
		t.Error("the form closed with Redis down: the charter is lost")
	}
	if err := h.redis.Restart(); err != nil {
		t.Fatal(err)
	}
	// Charter lines are user text: never in the logs.
	for _, text := range []string{"Tell me the priorities", "Guard my focus", "Close the Series B", "Travel under", "Written while Redis is down", "Give me a raise", "Slack DM"} {
		if strings.Contains(h.logs.String(), text) {
			t.Errorf("the logs hold charter text %q", text)
		}
	}
	h.noProblems()
}

// hash reads a charter hash from miniredis, without where its cards are
// (recorded after they are posted, at any moment).
func (h *harness) hash(key string) map[string]string {
	h.t.Helper()
	out := map[string]string{}
	fields, _ := h.redis.HKeys(key)
	for _, f := range fields {
		if !strings.HasPrefix(f, "card:") {
			out[f] = h.redis.HGet(key, f)
		}
	}
	return out
}

// An assistant with two executives: each charter apart, and on Home one
// table of who has which task area across them.
func TestCharterAcrossExecutives(t *testing.T) {
	h := startPairs(t)
	h.pairUp(assistant, executive)
	h.pairUp(assistant, other)
	eve, frank := partnershipID(assistant, executive), partnershipID(assistant, other)

	v := h.openCharter(assistant)
	mustContain(t, "form with a choice", v.JSON, "Which partnership?")
	if _, err := h.fake.SelectOption(h.ctx(), assistant, v.ID, slackui.BlockPair, slackui.ActionPairSelect, frank); err != nil {
		t.Fatal(err)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool { got, _ := h.fake.View(v.ID); return strings.Contains(got.PrivateMetadata, frank) }); err != nil {
		t.Fatalf("form not redrawn for Frank's partnership: %v", err)
	}
	f0 := len(h.fake.DMs(other))
	h.submitValues(assistant, v.ID, charterValues("Frank's expectations", partnership.AssistantOwns))
	h.click(other, h.waitDM(other, f0, slackui.ActionCharterAccept), slackui.ActionCharterAccept)
	if h.redis.Exists("pb:v1:{p:" + eve + "}:charter") {
		t.Error("Frank's charter went to Eve's partnership")
	}
	mustContain(t, "Eve's history", h.command(assistant, "charter history "+mention(executive)).Payload, "has no charter yet")
	mustContain(t, "Frank's history", h.command(assistant, "charter history "+mention(other)).Payload, "*Version 1*", "*in force*")

	if _, err := h.fake.OpenHome(h.ctx(), assistant); err != nil {
		t.Fatal(err)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		hv, ok := h.fake.HomeView(assistant)
		return ok && contains(hv.JSON, "across your executives") && contains(hv.JSON, "• *Finances* — <@"+executive+">: — · <@"+other+">: assistant owns")
	}); err != nil {
		hv, _ := h.fake.HomeView(assistant)
		t.Fatalf("Home lacks the task-area table: %s", hv.JSON)
	}
	// Home's Open charter opens Frank's charter, in force.
	hv, _ := h.fake.HomeView(assistant)
	if _, err := h.fake.ClickButton(h.ctx(), assistant, slackfake.Container{ViewID: hv.ID}, slackui.ActionCharterOpen, slackui.BlockHomeCharter+":"+frank, ""); err != nil {
		t.Fatal(err)
	}
	view := h.waitModal(assistant, slackui.CallbackCharterView)
	mustContain(t, "charter view", view.JSON, "*In force: version 1*", "Frank's expectations")
	h.noProblems()
}

// A quarter after the charter was agreed, its review is due: on Home and
// in the charter, each member confirms it still holds, and it is done once
// both have.
func TestCharterReviewEachQuarter(t *testing.T) {
	h := startPairs(t)
	h.pairUp(assistant, executive)
	pairID := partnershipID(assistant, executive)
	key := "pb:v1:{p:" + pairID + "}:charter"
	e0 := len(h.fake.DMs(executive))
	h.submitValues(assistant, h.openCharter(assistant).ID, charterValues("Tell me the priorities on Monday", partnership.Shared))
	h.click(executive, h.waitDM(executive, e0, slackui.ActionCharterAccept), slackui.ActionCharterAccept)
	h.waitDM(assistant, 0, "accepted version 1")

	// It was agreed a hundred days ago.
	var v1 map[string]any
	if err := json.Unmarshal([]byte(h.redis.HGet(key, "v:1")), &v1); err != nil {
		t.Fatal(err)
	}
	past := time.Now().AddDate(0, 0, -100).UnixMilli()
	v1["drafted_at"] = past
	for _, a := range v1["accepted"].([]any) {
		a.(map[string]any)["at"] = past
	}
	b, _ := json.Marshal(v1)
	h.redis.HSet(key, "v:1", string(b))

	// The assistant confirms in the charter view; the executive is asked.
	h.command(assistant, "charter show")
	view := h.waitModal(assistant, slackui.CallbackCharterView)
	mustContain(t, "charter view", view.JSON, "Review due by", "does version 1 still hold?", slackui.ActionCharterStillHolds)
	a0, e0 := len(h.fake.DMs(assistant)), len(h.fake.DMs(executive))
	if _, err := h.fake.ClickButton(h.ctx(), assistant, slackfake.Container{ViewID: view.ID}, slackui.ActionCharterStillHolds, "", ""); err != nil {
		t.Fatal(err)
	}
	h.waitDM(assistant, a0, "Noted: version 1 still holds for you. The review is done once <@"+executive+"> confirms too.")
	ask := h.waitDM(executive, e0, "<@"+assistant+"> reviewed your partnership charter: version 1 still holds for them.")
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		got, _ := h.fake.View(view.ID)
		return contains(got.JSON, "<@"+assistant+"> confirmed it still holds") && !contains(got.JSON, slackui.ActionCharterStillHolds)
	}); err != nil {
		got, _ := h.fake.View(view.ID)
		t.Fatalf("the charter view was not redrawn after the confirmation: %s", got.JSON)
	}
	// The executive's Home says a review is due.
	if _, err := h.fake.OpenHome(h.ctx(), executive); err != nil {
		t.Fatal(err)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		hv, ok := h.fake.HomeView(executive)
		return ok && contains(hv.JSON, "*review due* by") && contains(hv.JSON, slackui.ActionCharterStillHolds)
	}); err != nil {
		hv, _ := h.fake.HomeView(executive)
		t.Fatalf("Home does not say the review is due: %s", hv.JSON)
	}

	// The executive confirms from the DM: done, both told, next quarter.
	a0, e0 = len(h.fake.DMs(assistant)), len(h.fake.DMs(executive))
	h.click(executive, ask, slackui.ActionCharterStillHolds)
	for _, u := range []string{assistant, executive} {
		since := a0
		if u == executive {
			since = e0
		}
		h.waitDM(u, since, "Your partnership charter was reviewed: version 1 still holds, no change. The next review is due by")
	}
	// A press once it is done: not due.
	e0 = len(h.fake.DMs(executive))
	h.pressStale(executive, ask, slackui.ActionCharterStillHolds)
	h.waitDM(executive, e0, "Your charter's review is not due yet. The next one is due by")
	// A third user's press changes nothing.
	t0 := len(h.fake.DMs(third))
	reviews := h.redis.HGet(key, "reviews")
	h.pressStale(third, ask, slackui.ActionCharterStillHolds)
	h.waitDM(third, t0, "That partnership is not one of yours (it may have ended).")
	if h.redis.HGet(key, "reviews") != reviews {
		t.Error("a third user's press changed the reviews")
	}
	h.noProblems()
}

// The export holds the pair's charter, in snake_case; delete-my-data takes
// it with the pair: no key or value keeps its words, nor the deleter's id;
// the partner is told it went, and keeps none of it.
func TestCharterExportAndDelete(t *testing.T) {
	h := startPairs(t)
	h.pairUp(assistant, executive)
	const mark = "CMARK"
	a0 := len(h.fake.DMs(assistant))
	h.submitValues(executive, h.openCharter(executive).ID, charterValues(mark+" weekly priorities", partnership.ChiefOfStaff))
	h.click(assistant, h.waitDM(assistant, a0, slackui.ActionCharterAccept), slackui.ActionCharterAccept)
	h.waitDM(executive, 0, "accepted version 1")

	h.command(executive, "export")
	dm := slackfake.DMChannelID(executive)
	if err := h.fake.WaitFor(h.ctx(), func() bool { return len(h.fake.Files(dm)) == 1 }); err != nil {
		t.Fatalf("no export file: %v", err)
	}
	f := h.fake.Files(dm)[0]
	var ex struct {
		Charters []struct {
			Pair     string `json:"pair"`
			InForce  int    `json:"version_in_force"`
			Versions []struct {
				Accepted  []struct{ By string } `json:"accepted"`
				Expects   []string              `json:"assistant_expects_of_executive"`
				TaskAreas []struct {
					Area  string `json:"area"`
					Owner string `json:"owner"`
				} `json:"task_areas"`
			} `json:"versions"`
		} `json:"charters"`
	}
	if err := json.Unmarshal(f.Content, &ex); err != nil {
		t.Fatalf("export is not JSON: %v", err)
	}
	if len(ex.Charters) != 1 || ex.Charters[0].InForce != 1 || len(ex.Charters[0].Versions) != 1 || len(ex.Charters[0].Versions[0].Accepted) != 2 ||
		ex.Charters[0].Versions[0].Expects[0] != mark+" weekly priorities" || ex.Charters[0].Versions[0].TaskAreas[6].Area != "Finances" ||
		ex.Charters[0].Versions[0].TaskAreas[6].Owner != string(partnership.ChiefOfStaff) {
		t.Errorf("export's charters = %+v", ex.Charters)
	}
	if k := camelKey(t, f.Content); k != "" {
		t.Errorf("export key %q is not snake_case", k)
	}
	h.waitDM(executive, 0, "1 partnership charter") // the file's comment

	h.command(assistant, "delete-my-data")
	confirm := h.waitModal(assistant, slackui.CallbackDeleteData)
	mustContain(t, "delete modal", confirm.JSON, "the charters of your partnerships")
	e0 := len(h.fake.DMs(executive))
	h.submitValues(assistant, confirm.ID, nil)
	h.waitDM(executive, e0, "and its charter with them: you wrote it together, so neither of you keeps it alone.")
	h.waitDM(assistant, a0, "1 partnership charter")
	for _, k := range h.redis.Keys() {
		if strings.Contains(k, assistant) || strings.Contains(k, ":charter") {
			t.Errorf("key left after delete-my-data: %s", k)
		}
	}
	if strings.Contains(h.redis.Dump(), mark) {
		t.Error("a value still holds the charter's words after delete-my-data")
	}
	h.noProblems()
}
