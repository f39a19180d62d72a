package app

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/partnerbot/partnerbot/internal/slackfake"
	"github.com/partnerbot/partnerbot/internal/slackui"
	"github.com/redis/go-redis/v9"
	"github.com/slack-go/slack"
)

// goalValues fills the goal form.
func goalValues(title, stage, owner, target string) map[string]map[string]slack.BlockAction {
	v := map[string]map[string]slack.BlockAction{
		slackui.BlockGoalTitle:  {slackui.ActionGoalTitle: {Type: "plain_text_input", Value: title}},
		slackui.BlockGoalServes: {slackui.ActionGoalServes: {Type: "plain_text_input", Value: "Grow the team to 40 by June"}},
		slackui.BlockGoalStage:  {slackui.ActionGoalStage: {Type: "static_select", SelectedOption: slack.OptionBlockObject{Value: stage}}},
		slackui.BlockGoalOwner:  {slackui.ActionGoalOwner: {Type: "static_select", SelectedOption: slack.OptionBlockObject{Value: owner}}},
	}
	if target != "" {
		v[slackui.BlockGoalTarget] = map[string]slack.BlockAction{slackui.ActionGoalTarget: {Type: "datepicker", SelectedDate: target}}
	}
	return v
}

// statusValues fills the status form.
func statusValues(stage, status, note string) map[string]map[string]slack.BlockAction {
	return map[string]map[string]slack.BlockAction{
		slackui.BlockGoalStage:  {slackui.ActionGoalStage: {Type: "static_select", SelectedOption: slack.OptionBlockObject{Value: stage}}},
		slackui.BlockGoalStatus: {slackui.ActionGoalStatus: {Type: "radio_buttons", SelectedOption: slack.OptionBlockObject{Value: status}}},
		slackui.BlockGoalNote:   {slackui.ActionGoalNote: {Type: "plain_text_input", Value: note}},
	}
}

// buttonValued finds the button with actionID whose value holds part, in
// a view's or message's blocks; it returns its block_id and value.
func buttonValued(t *testing.T, raw json.RawMessage, actionID, part string) (blockID, value string) {
	t.Helper()
	var view struct {
		Blocks []struct {
			BlockID   string            `json:"block_id"`
			Elements  []json.RawMessage `json:"elements"`
			Accessory json.RawMessage   `json:"accessory"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal(raw, &view); err != nil || view.Blocks == nil {
		if err := json.Unmarshal(raw, &view.Blocks); err != nil {
			t.Fatalf("blocks: %v", err)
		}
	}
	for _, b := range view.Blocks {
		for _, e := range append(b.Elements, b.Accessory) {
			var el struct {
				ActionID string `json:"action_id"`
				Value    string `json:"value"`
			}
			if json.Unmarshal(e, &el) == nil && el.ActionID == actionID && strings.Contains(el.Value, part) {
				return b.BlockID, el.Value
			}
		}
	}
	t.Fatalf("no %s button with a value holding %q in %s", actionID, part, raw)
	return "", ""
}

// press clicks a button of the open view v (a modal or Home) whose value
// holds part.
func (h *harness) press(user string, v slackfake.View, actionID, part string) {
	h.t.Helper()
	blockID, _ := buttonValued(h.t, v.JSON, actionID, part)
	if _, err := h.fake.ClickButton(h.ctx(), user, slackfake.Container{ViewID: v.ID}, actionID, blockID, ""); err != nil {
		h.t.Fatalf("%s presses %s: %v", user, actionID, err)
	}
}

// roadmapAgain waits until the modal viewID is the roadmap again, holding
// want.
func (h *harness) roadmapAgain(viewID, want string) slackfake.View {
	h.t.Helper()
	var v slackfake.View
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		v, _ = h.fake.View(viewID)
		return v.CallbackID == slackui.CallbackRoadmap && contains(v.JSON, want)
	}); err != nil {
		h.t.Fatalf("the roadmap did not come back with %q: %v\n%s", want, err, v.JSON)
	}
	return v
}

// formIn waits until the modal viewID has become the form callbackID.
func (h *harness) formIn(viewID, callbackID string) slackfake.View {
	h.t.Helper()
	var v slackfake.View
	if err := h.fake.WaitFor(h.ctx(), func() bool { v, _ = h.fake.View(viewID); return v.CallbackID == callbackID && v.Open }); err != nil {
		h.t.Fatalf("modal %s did not become %s: %v", viewID, callbackID, err)
	}
	return v
}

// goalID is the ID of the goal titled title, from a view's buttons.
func goalID(t *testing.T, v slackfake.View, title string) string {
	t.Helper()
	var view struct {
		Blocks []struct {
			Text      struct{ Text string } `json:"text"`
			Accessory struct {
				ActionID string `json:"action_id"`
				Value    string `json:"value"`
			} `json:"accessory"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal(v.JSON, &view); err != nil {
		t.Fatal(err)
	}
	for _, b := range view.Blocks {
		if b.Accessory.ActionID == slackui.ActionGoalUpdate && strings.Contains(b.Text.Text, "“"+title+"”") {
			_, id, err := slackui.ParseGoalRef(b.Accessory.Value)
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
	}
	t.Fatalf("no goal %q in %s", title, v.JSON)
	return ""
}

// The whole loop: goals added through the modal (a fourth in Now refused
// inline), one moved, one stuck with a note, wins by command and by the
// message shortcut, goals from a "do more of" line and an acknowledged
// wish; all of it on Home and in the summary; a third user's forged edit
// refused with nothing changed; a win too long refused clearly.
func TestRoadmapJourney(t *testing.T) {
	h := startPairs(t)
	h.pairUp(assistant, executive)
	pair := partnershipID(assistant, executive)
	goalsKey := "pb:v1:{p:" + pair + "}:goals"

	// Next steps with a "do more of" line and a wish, which Eve
	// acknowledges: both can become goals.
	e0 := len(h.fake.DMs(executive))
	h.command(assistant, "next-steps")
	steps := h.waitModal(assistant, slackui.CallbackNextSteps)
	h.submitValues(assistant, steps.ID, stepValues(map[string]string{
		slackui.BlockStep(slackui.ListDoMore, 1): "Draft the board agendas",
		slackui.BlockStep(slackui.ListWish, 1):   "Share the quarter's goals with me",
	}))
	h.click(executive, h.waitDM(executive, e0, "Share the quarter's goals with me"), slackui.ActionWishAck)
	h.waitDM(assistant, 0, "acknowledged your wish")

	// The roadmap, empty.
	if ack := h.command(assistant, "roadmap"); ack.Payload != nil && string(ack.Payload) != "null" {
		t.Errorf("roadmap acked with %s, want an empty ack", ack.Payload)
	}
	rm := h.waitModal(assistant, slackui.CallbackRoadmap)
	mustContain(t, "empty roadmap", rm.JSON, "*Your roadmap with <@"+executive+">*", "*Now* · 0 of 3", "small, strategic tasks",
		"“Draft the board agendas”", "“Share the quarter's goals with me”", slackui.ActionWinLog)

	// Three goals into Now through the modal, each back to the roadmap.
	for i, title := range []string{"Run the spring offsite", "Own the travel budget", "Prepare the board pack"} {
		h.press(assistant, rm, slackui.ActionGoalAdd, pair)
		form := h.formIn(rm.ID, slackui.CallbackGoal)
		if ack := h.submitValues(assistant, form.ID, goalValues(title, "now", assistant, "2026-12-18")); ack["response_action"] != "update" {
			t.Fatalf("goal %q acked %v", title, ack)
		}
		rm = h.roadmapAgain(rm.ID, "“"+title+"”")
		mustContain(t, "roadmap", rm.JSON, "*Now* · "+string(rune('1'+i))+" of 3")
	}
	// A fourth in Now: an inline error on the stage; in Next it is saved.
	h.press(assistant, rm, slackui.ActionGoalAdd, pair)
	form := h.formIn(rm.ID, slackui.CallbackGoal)
	if got := initialValue(t, form, slackui.BlockGoalStage); got != "next" {
		t.Errorf("with Now full, a new goal starts in %q, want next", got)
	}
	ack := h.submitValues(assistant, form.ID, goalValues("Hire the analyst", "now", executive, ""))
	if errs, _ := ack["errors"].(map[string]any); ack["response_action"] != "errors" || !strings.Contains(errs[slackui.BlockGoalStage].(string), "At most three goals can be in Now: start with small, strategic tasks") {
		t.Fatalf("a fourth goal in Now acked %v", ack)
	}
	if v, _ := h.fake.View(form.ID); !v.Open || v.Errors[slackui.BlockGoalStage] == "" {
		t.Errorf("the form did not stay open with the error: %+v", v.Errors)
	}
	if ack := h.submitValues(assistant, form.ID, goalValues("Hire the analyst", "next", executive, "")); ack["response_action"] != "update" {
		t.Fatalf("the goal in Next acked %v", ack)
	}
	rm = h.roadmapAgain(rm.ID, "“Hire the analyst”")
	offsite, budget, analyst := goalID(t, rm, "Run the spring offsite"), goalID(t, rm, "Own the travel budget"), goalID(t, rm, "Hire the analyst")

	// Move one out of Now; set another stuck with a note.
	h.press(assistant, rm, slackui.ActionGoalUpdate, offsite)
	status := h.formIn(rm.ID, slackui.CallbackGoalStatus)
	mustContain(t, "the status form", status.JSON, "*History*", "added it to Now")
	h.submitValues(assistant, status.ID, statusValues("later", "on_track", "After the board meeting"))
	rm = h.roadmapAgain(rm.ID, "*Now* · 2 of 3")
	h.press(assistant, rm, slackui.ActionGoalUpdate, budget)
	status = h.formIn(rm.ID, slackui.CallbackGoalStatus)
	h.submitValues(assistant, status.ID, statusValues("now", "stuck", "Waiting on finance"))
	rm = h.roadmapAgain(rm.ID, "“Waiting on finance”")
	mustContain(t, "roadmap", rm.JSON, ":red_circle: stuck")
	board := goalID(t, rm, "Prepare the board pack")

	// Goals from the "do more of" line and the acknowledged wish, in Next.
	h.press(assistant, rm, slackui.ActionMakeGoal, "d:")
	rm = h.waitView(rm.ID, func(v slackfake.View) bool {
		return v.CallbackID == slackui.CallbackRoadmap && !contains(v.JSON, `"value":"d:`) && contains(v.JSON, `"value":"w:`)
	})
	h.press(assistant, rm, slackui.ActionMakeGoal, "w:")
	rm = h.waitView(rm.ID, func(v slackfake.View) bool {
		return v.CallbackID == slackui.CallbackRoadmap && !contains(v.JSON, "Make it a goal")
	})
	if id := goalID(t, rm, "Share the quarter's goals with me"); id == "" || goalID(t, rm, "Draft the board agendas") == "" {
		t.Fatal("the ideas are not goals")
	}
	mustContain(t, "roadmap with the made goals", rm.JSON, `me”*\n:large_green_circle: on track · <@`+executive+`>`)

	// A win by command, tied to a goal in Now from its reply.
	reply := h.command(assistant, "win Booked the venue & the caterer")
	mustContain(t, "win reply", reply.Payload, "*Win logged*", "Booked the venue &amp; the caterer", "Counts toward Own the travel budget")
	eph := h.fake.Ephemerals(assistant)
	blockID, _ := buttonValued(t, eph[len(eph)-1].Blocks, slackui.ActionWinTie, budget)
	if _, err := h.fake.ClickButton(h.ctx(), assistant, slackfake.Container{ChannelID: eph[len(eph)-1].Channel, MessageTS: eph[len(eph)-1].TS}, slackui.ActionWinTie, blockID, ""); err != nil {
		t.Fatal(err)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		eph := h.fake.Ephemerals(assistant)
		return strings.Contains(eph[len(eph)-1].Text, "now counts toward “Own the travel budget”")
	}); err != nil {
		t.Fatalf("no word that the win was tied: %v", err)
	}

	// A win too long is refused, saying the limit; nothing is stored.
	winsKey := "pb:v1:{p:" + pair + "}:wins"
	before, _ := h.redis.HKeys(winsKey)
	mustContain(t, "a win too long", h.command(assistant, "win "+strings.Repeat("é", 3001)).Payload,
		"A win can be at most 3,000 characters, the most Slack shows in one message section; this one has 3,001.")
	mustContain(t, "a win too long for a command", h.command(assistant, "win "+strings.Repeat("x", 4200)).Payload, "this one has 4,200.")
	if after, _ := h.redis.HKeys(winsKey); len(after) != len(before) {
		t.Errorf("a refused win was stored: %d → %d", len(before), len(after))
	}

	// A win from Eve's message, by the shortcut: the form links to it and
	// holds none of its text.
	ts := h.fake.PostAsUser(executive, channel, "Thank you Ada, SECRETMARK the board loved the pack")
	if _, err := h.fake.MessageShortcut(h.ctx(), assistant, channel, ts, slackui.CallbackLogWin); err != nil {
		t.Fatal(err)
	}
	win := h.waitModal(assistant, slackui.CallbackWin)
	link := "https://" + slackfake.TeamDomain + ".slack.com/archives/" + channel + "/p" + strings.Replace(ts, ".", "", 1)
	mustContain(t, "win form", win.JSON, link, "Now · Own the travel budget", "Other: no goal")
	if contains(win.JSON, "SECRETMARK") {
		t.Errorf("the win form copied the message's text:\n%s", win.JSON)
	}
	// Too long in the form: an inline error saying the limit.
	long := map[string]map[string]slack.BlockAction{
		slackui.BlockWinText: {slackui.ActionWinText: {Type: "plain_text_input", Value: strings.Repeat("w", 3001)}},
		slackui.BlockWinGoal: {slackui.ActionWinGoal: {Type: "static_select", SelectedOption: slack.OptionBlockObject{Value: budget}}},
	}
	if ack := h.submitValues(assistant, win.ID, long); ack["response_action"] != "errors" || !strings.Contains(string(mustJSON(t, ack)), "at most 3,000 characters") {
		t.Errorf("a win too long in the form acked %v", ack)
	}
	a0 := len(h.fake.DMs(assistant))
	long[slackui.BlockWinText] = map[string]slack.BlockAction{slackui.ActionWinText: {Type: "plain_text_input", Value: "Board pack praised by the board"}}
	if ack := h.submitValues(assistant, win.ID, long); ack != nil {
		t.Fatalf("the win acked %v", ack)
	}
	h.waitDM(assistant, a0, "Board pack praised by the board")
	stored, _ := h.redis.HKeys(winsKey)
	var fromShortcut string
	for _, id := range stored {
		v := h.redis.HGet(winsKey, id)
		if strings.Contains(v, "SECRETMARK") {
			t.Errorf("the message's text was stored: %s", v)
		}
		if strings.Contains(v, link) {
			fromShortcut = v
		}
	}
	if len(stored) != 2 || !strings.Contains(fromShortcut, `"goal":"`+budget+`"`) {
		t.Errorf("wins stored = %v; the shortcut's = %s", stored, fromShortcut)
	}

	// Home: the Now column with its buttons, and Log a win (the
	// assistant's only).
	for _, u := range []string{assistant, executive} {
		if _, err := h.fake.OpenHome(h.ctx(), u); err != nil {
			t.Fatal(err)
		}
	}
	var home slackfake.View
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		home, _ = h.fake.HomeView(assistant)
		return contains(home.JSON, "Own the travel budget")
	}); err != nil {
		t.Fatalf("no Now on Home: %v", err)
	}
	mustContain(t, "Home", home.JSON, "“Prepare the board pack”", ":red_circle: stuck", slackui.ActionGoalUpdate, "Log a win")
	if contains(home.JSON, "Run the spring offsite") {
		t.Error("a goal in Later shows in Home's Now")
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		eh, ok := h.fake.HomeView(executive)
		return ok && contains(eh.JSON, "Own the travel budget")
	}); err != nil {
		t.Fatalf("no Now on Eve's Home: %v", err)
	}
	if eh, _ := h.fake.HomeView(executive); contains(eh.JSON, "Log a win") {
		t.Error("the executive is offered Log a win")
	}
	// From Home, the board pack is done: the status form opens on its own,
	// and Home is republished once it is saved, without it.
	home, _ = h.fake.HomeView(assistant)
	h.press(assistant, home, slackui.ActionGoalUpdate, board)
	st := h.waitModal(assistant, slackui.CallbackGoalStatus)
	if ack := h.submitValues(assistant, st.ID, statusValues("now", "done", "Sent to the board")); ack != nil {
		t.Fatalf("status from Home acked %v", ack)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		home, _ = h.fake.HomeView(assistant)
		return !contains(home.JSON, "Prepare the board pack")
	}); err != nil {
		t.Errorf("Home still shows the done goal in Now: %v", err)
	}

	// A third user's forged edit, by form and by button: refused, nothing
	// changed.
	goalsBefore := hashDump(h, goalsKey)
	meta := `{"v":1,"pair":"` + pair + `","goal":"` + analyst + `","rev":1}`
	forged := map[string]any{"type": "view_submission", "user": map[string]any{"id": third}, "trigger_id": h.fake.NewTriggerID(third),
		"view": map[string]any{"id": "VFORGED", "type": "modal", "callback_id": slackui.CallbackGoal, "private_metadata": meta,
			"state": map[string]any{"values": goalValues("Mine now", "now", third, "")}}}
	fAck, err := h.fake.Send(h.ctx(), slackfake.EnvelopeInteractive, forged)
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, "forged goal edit", fAck.Payload, "That partnership is not one of yours (it may have ended).")
	t0 := len(h.fake.DMs(third))
	press := map[string]any{"type": "block_actions", "user": map[string]any{"id": third}, "trigger_id": h.fake.NewTriggerID(third),
		"actions": []any{map[string]any{"type": "button", "action_id": slackui.ActionGoalUpdate, "block_id": "b", "value": pair + ":" + analyst}}}
	if _, err := h.fake.Send(h.ctx(), slackfake.EnvelopeInteractive, press); err != nil {
		t.Fatal(err)
	}
	h.waitDM(third, t0, "That partnership is not one of yours (it may have ended).")
	if after := hashDump(h, goalsKey); after != goalsBefore {
		t.Errorf("a third user changed the goals:\n%s\n%s", goalsBefore, after)
	}
	if vs := h.fake.Views(third); slices.ContainsFunc(vs, func(v slackfake.View) bool { return v.CallbackID == slackui.CallbackGoalStatus }) {
		t.Error("a third user got a goal's status form")
	}

	// The summary in the pair's group DM: goals moved, stuck and done, and
	// the wins by goal.
	mustContain(t, "summary", h.command(executive, "summary").Payload, "Posting your summary")
	gdm := ""
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		var ok bool
		gdm, ok = h.fake.GroupDM(assistant, executive)
		return ok && len(h.fake.Messages(gdm)) > 0
	}); err != nil {
		t.Fatalf("no summary in the group DM: %v", err)
	}
	sum := h.fake.Messages(gdm)[0]
	mustContain(t, "summary", sum.Blocks, "*Roadmap*", "• *Done:* “Prepare the board pack”", "• *Stuck:* “Own the travel budget”",
		"• *Moved:* “Run the spring offsite” (Now → Later)", "“Draft the board agendas” (Next)",
		"*Wins*: 2 wins logged", "“Own the travel budget” — 2 wins", "◦ “Booked the venue &amp; the caterer”", "◦ “Board pack praised by the board”")
	if contains(sum.Blocks, "SECRETMARK") {
		t.Error("the summary holds the shortcut message's text")
	}
	// No goal, note or win in the logs.
	logs := h.logs.String()
	for _, text := range []string{"spring offsite", "travel budget", "Waiting on finance", "After the board meeting", "Booked the venue", "Board pack praised", "SECRETMARK", "Mine now"} {
		if strings.Contains(logs, text) {
			t.Errorf("the logs hold %q", text)
		}
	}
	h.noProblems()
}

// waitView waits until the view viewID meets cond, and returns it.
func (h *harness) waitView(viewID string, cond func(slackfake.View) bool) slackfake.View {
	h.t.Helper()
	var v slackfake.View
	if err := h.fake.WaitFor(h.ctx(), func() bool { v, _ = h.fake.View(viewID); return cond(v) }); err != nil {
		h.t.Fatalf("view %s: %v\n%s", viewID, err, v.JSON)
	}
	return v
}

// initialValue is the initial option's value of the select in the input
// block blockID of v.
func initialValue(t *testing.T, v slackfake.View, blockID string) string {
	t.Helper()
	var view struct {
		Blocks []struct {
			BlockID string `json:"block_id"`
			Element struct {
				InitialOption struct{ Value string } `json:"initial_option"`
			} `json:"element"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal(v.JSON, &view); err != nil {
		t.Fatal(err)
	}
	for _, b := range view.Blocks {
		if b.BlockID == blockID {
			return b.Element.InitialOption.Value
		}
	}
	return ""
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// hashDump is a hash's fields and values, sorted, as text.
func hashDump(h *harness, key string) string {
	fields, _ := h.redis.HKeys(key)
	slices.Sort(fields)
	var sb strings.Builder
	for _, f := range fields {
		sb.WriteString(f + "=" + h.redis.HGet(key, f) + "\n")
	}
	return sb.String()
}

// openRoadmap runs `roadmap` as user and waits for the new modal.
func (h *harness) openRoadmap(user string) slackfake.View {
	h.t.Helper()
	before := len(h.fake.Views(user))
	h.command(user, "roadmap")
	var v slackfake.View
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		vs := h.fake.Views(user)
		if len(vs) <= before {
			return false
		}
		v = vs[len(vs)-1]
		return v.CallbackID == slackui.CallbackRoadmap
	}); err != nil {
		h.t.Fatalf("no roadmap for %s: %v", user, err)
	}
	return v
}

// addGoal adds a goal through the roadmap's goal form, and returns its ID.
func (h *harness) addGoal(user, title, stage, owner string) string {
	h.t.Helper()
	rm := h.openRoadmap(user)
	h.press(user, rm, slackui.ActionGoalAdd, "")
	form := h.formIn(rm.ID, slackui.CallbackGoal)
	if ack := h.submitValues(user, form.ID, goalValues(title, stage, owner, "")); ack["response_action"] != "update" {
		h.t.Fatalf("goal %q acked %v", title, ack)
	}
	return goalID(h.t, h.roadmapAgain(rm.ID, "“"+title+"”"), title)
}

// delete-my-data takes the roadmap and the wins with it: nothing the
// deleter wrote is left; the partner keeps the goals they own, with their
// own words only, and the wins they logged.
func TestDeleteMyDataTakesTheRoadmap(t *testing.T) {
	h := startPairs(t)
	const (
		deleter     = executive // Eve deletes; Ada, the assistant, stays
		mark        = "DMARK"
		partnerMark = "AMARK"
	)
	h.pairUp(assistant, executive)
	h.addGoal(deleter, mark+" prepare the board", "now", deleter)
	given := h.addGoal(deleter, mark+" for Ada", "next", assistant)
	own := h.addGoal(assistant, partnerMark+" the offsite", "now", assistant)
	// Eve notes on Ada's goal; Ada logs wins.
	rm := h.openRoadmap(deleter)
	h.press(deleter, rm, slackui.ActionGoalUpdate, own)
	h.submitValues(deleter, h.formIn(rm.ID, slackui.CallbackGoalStatus).ID, statusValues("now", "stuck", mark+" needs the budget first"))
	h.roadmapAgain(rm.ID, mark+" needs the budget")
	mustContain(t, "win", h.command(assistant, "win "+partnerMark+" booked the venue").Payload, "Win logged")
	mustContain(t, "executive's win", h.command(deleter, "win "+mark+" great work").Payload, "Wins are the assistant's accomplishments")

	h.command(deleter, "delete-my-data")
	confirm := h.waitModal(deleter, slackui.CallbackDeleteData)
	mustContain(t, "confirmation", confirm.JSON, "roadmaps, their goals and notes", "the goals they own")
	a0 := len(h.fake.DMs(assistant))
	h.submitValues(deleter, confirm.ID, nil)
	h.waitDM(assistant, a0, "left your partnership")
	gone := h.waitDM(deleter, 0, "Your data is deleted")
	if !strings.Contains(gone.Text, "3 roadmap goals") {
		t.Errorf("the deletion notice = %q, want the goals counted", gone.Text)
	}

	rdb := redis.NewClient(&redis.Options{Addr: h.redis.Addr()})
	t.Cleanup(func() { rdb.Close() })
	keys, err := rdb.Keys(context.Background(), "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	kept := false
	for _, k := range keys {
		v := dump(t, rdb, k)
		for _, bad := range []string{deleter, mark} {
			if strings.Contains(k, bad) || strings.Contains(v, bad) {
				t.Errorf("%s is left after delete-my-data: key %s = %.300s", bad, k, v)
			}
		}
		kept = kept || strings.Contains(v, partnerMark+" the offsite") && strings.Contains(v, partnerMark+" booked the venue")
	}
	if !kept {
		t.Error("Ada's own goal and win are gone: a partner keeps their own")
	}
	// Ada's export: her former partnership with her goals (the one Eve
	// named, without its name) and her win.
	h.command(assistant, "export")
	dm := slackfake.DMChannelID(assistant)
	if err := h.fake.WaitFor(h.ctx(), func() bool { return len(h.fake.Files(dm)) == 1 }); err != nil {
		t.Fatalf("no export: %v", err)
	}
	var ex struct {
		Former []struct {
			Goals []struct {
				ID, Title string
				History   []struct{ By, Note string }
			} `json:"goals"`
			Wins []struct{ Text string } `json:"wins"`
		} `json:"former_partnerships"`
	}
	if err := json.Unmarshal(h.fake.Files(dm)[0].Content, &ex); err != nil || len(ex.Former) != 1 {
		t.Fatalf("export: %v, %+v", err, ex)
	}
	f := ex.Former[0]
	titles := map[string]string{}
	for _, g := range f.Goals {
		titles[g.ID] = g.Title
	}
	if len(f.Goals) != 2 || titles[own] != partnerMark+" the offsite" || titles[given] != "" || len(f.Wins) != 1 {
		t.Errorf("Ada's former partnership = %+v", f)
	}
	h.noProblems()
}
