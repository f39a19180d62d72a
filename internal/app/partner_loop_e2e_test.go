package app

import (
	"strings"
	"testing"

	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/slackfake"
	"github.com/partnerbot/partnerbot/internal/slackui"
	"github.com/slack-go/slack"
)

// The strategic-partner loop, end to end: a charter drafted and accepted,
// goals added, one moved through the weekly check-in (and another noted),
// a win logged, and all of it in the pair's summary and on Home.
func TestStrategicPartnerLoop(t *testing.T) {
	h := startPairs(t)
	h.pairUp(assistant, executive)
	pair := partnershipID(assistant, executive)

	// The charter: drafted by the assistant, accepted by the executive.
	e0 := len(h.fake.DMs(executive))
	v := h.openCharter(assistant)
	mustContain(t, "draft", h.submitValues(assistant, v.ID, charterValues("Tell me the priorities on Monday", partnership.ExecutiveKeeps))["view"], "Saved as version 1.")
	card := h.waitDM(executive, e0, slackui.ActionCharterAccept)
	h.click(executive, card, slackui.ActionCharterAccept)
	h.waitUpdated(card, "In force: accepted by <@"+executive+">")

	// Two goals in Now.
	offsite := h.addGoal(assistant, "Run the spring offsite", "now", assistant)
	budget := h.addGoal(assistant, "Own the travel budget", "now", assistant)

	// A win, before the week's check-in.
	mustContain(t, "win", h.command(assistant, "win Booked the venue under budget").Payload, "*Win logged*")

	// The weekly check-in: it lists the goals in Now and the win, and its
	// progress check-in asks each goal's status.
	dm := h.standingCheckin(assistant)
	mustContain(t, "check-in DM", dm.Blocks, "*Your goals in Now* (2 of 3)", "“Run the spring offsite”", "“Own the travel budget”",
		slackui.ActionGoalUpdate, "Booked the venue under budget")
	h.click(assistant, dm, slackui.ActionCheckinProgress)
	modal := h.waitModal(assistant, slackui.CallbackProgress)
	mustContain(t, "progress modal", modal.JSON, slackui.BlockProgressStatus(offsite), slackui.BlockProgressStatus(budget), "Wins since your last summary")

	// A third user's forged check-in on the pair's goals: refused, nothing changed.
	goalsKey := "pb:v1:{p:" + pair + "}:goals"
	before := hashDump(h, goalsKey)
	forged := map[string]any{"type": "view_submission", "user": map[string]any{"id": third},
		"view": map[string]any{"id": "VFORGED", "type": "modal", "callback_id": slackui.CallbackProgress, "private_metadata": modal.PrivateMetadata,
			"state": map[string]any{"values": map[string]map[string]slack.BlockAction{
				slackui.BlockProgressStatus(offsite): {slackui.ActionProgressStatus: {Type: "static_select", SelectedOption: slack.OptionBlockObject{Value: "dropped"}}}}}}}
	fAck, err := h.fake.Send(h.ctx(), slackfake.EnvelopeInteractive, forged)
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, "forged check-in", fAck.Payload, "That partnership is not one of yours")
	if after := hashDump(h, goalsKey); after != before {
		t.Errorf("a third user's check-in changed the goals:\n%s\n%s", before, after)
	}

	// The assistant marks the offsite done, notes the budget, shares a reflection.
	ack := h.submitValues(assistant, modal.ID, map[string]map[string]slack.BlockAction{
		slackui.BlockProgressStatus(offsite): {slackui.ActionProgressStatus: {Type: "static_select", SelectedOption: slack.OptionBlockObject{Value: "done"}}},
		"progress_note:" + budget:            {slackui.ActionProgressNote: {Type: "plain_text_input", Value: "Finance answers on Friday"}},
		slackui.BlockReflection:              {slackui.ActionReflection: {Type: "plain_text_input", Value: "We trust each other with the calendar"}},
		slackui.BlockReflectionShare:         {slackui.ActionReflectionShare: {Type: "checkboxes", SelectedOptions: []slack.OptionBlockObject{{Value: slackui.ValueReflectionShare}}}},
	})
	mustContain(t, "checked in", ack["view"], "Checked in", "2 goals updated", "Your partner sees your reflection")
	if got := hashDump(h, goalsKey); !strings.Contains(got, `"status":"done"`) || !strings.Contains(got, "Finance answers on Friday") {
		t.Errorf("the goals after the check-in:\n%s", got)
	}

	// The summary: the goal done, the win, the shared reflection.
	mustContain(t, "summary", h.command(executive, "summary").Payload, "Posting your summary")
	var sum slackfake.Message
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		gdm, ok := h.fake.GroupDM(assistant, executive)
		if ms := h.fake.Messages(gdm); ok && len(ms) > 0 {
			sum = ms[0]
		}
		return sum.TS != ""
	}); err != nil {
		t.Fatalf("no summary: %v", err)
	}
	mustContain(t, "summary", sum.Blocks, "• *Done:* “Run the spring offsite”", "Booked the venue under budget",
		"*From your check-ins*", "We trust each other with the calendar")

	// The channel scorecard, once both allow it: the charter agreed and
	// the goals done this quarter, never their text.
	h.fake.AddChannel(team, "team", true)
	if _, err := h.fake.SlashCommand(h.ctx(), assistant, team, command, "scorecard"); err != nil {
		t.Fatal(err)
	}
	h.click(executive, h.waitDM(executive, 0, slackui.ActionScorecardAllow), slackui.ActionScorecardAllow)
	if err := h.fake.WaitFor(h.ctx(), func() bool { return len(posts(h, team)) == 1 }); err != nil {
		t.Fatalf("no scorecard in the channel: %v", err)
	}
	scorecard := posts(h, team)[0]
	mustContain(t, "scorecard", scorecard.Blocks, "*Charter*\\nAgreed on <!date^", "*Roadmap*\\n1 goal done this quarter")
	for _, text := range []string{"spring offsite", "travel budget", "Tell me the priorities", "Booked the venue"} {
		if contains(scorecard.Blocks, text) {
			t.Errorf("the scorecard shows %q", text)
		}
	}

	// Home: the charter agreed, the Now column without the done goal, Log a win.
	if _, err := h.fake.OpenHome(h.ctx(), assistant); err != nil {
		t.Fatal(err)
	}
	var home slackfake.View
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		home, _ = h.fake.HomeView(assistant)
		return contains(home.JSON, "Charter: agreed on <!date^") && contains(home.JSON, "Own the travel budget")
	}); err != nil {
		t.Fatalf("Home lacks the charter or the roadmap: %s", home.JSON)
	}
	mustContain(t, "Home", home.JSON, "Log a win", "Finance answers on Friday")
	if contains(home.JSON, "Run the spring offsite") {
		t.Error("the done goal is still in Home's Now")
	}
	for _, text := range []string{"spring offsite", "travel budget", "Finance answers", "We trust each other", "Booked the venue"} {
		if strings.Contains(h.logs.String(), text) {
			t.Errorf("the logs hold %q", text)
		}
	}
	h.noProblems()
}

// An acknowledged wish becomes a goal from its own card, once.
func TestWishCardMakesAGoal(t *testing.T) {
	h := startPairs(t)
	h.pairUp(assistant, executive)
	e0 := len(h.fake.DMs(executive))
	h.command(assistant, "next-steps")
	steps := h.waitModal(assistant, slackui.CallbackNextSteps)
	h.submitValues(assistant, steps.ID, stepValues(map[string]string{slackui.BlockStep(slackui.ListWish, 1): "Share the quarter's goals with me"}))
	card := h.waitDM(executive, e0, "Share the quarter's goals with me")
	if contains(card.Blocks, slackui.ActionMakeGoal) {
		t.Error("an open wish offers Make it a goal before it is acknowledged")
	}
	h.click(executive, card, slackui.ActionWishAck)
	card = h.waitUpdated(card, slackui.ActionMakeGoal)
	for try, want := range []string{"is on your roadmap now, in Next", "is on your roadmap already, in Next"} {
		n := len(h.fake.Ephemerals(executive))
		h.click(executive, card, slackui.ActionMakeGoal)
		if err := h.fake.WaitFor(h.ctx(), func() bool {
			eph := h.fake.Ephemerals(executive)
			return len(eph) > n && strings.Contains(eph[len(eph)-1].Text, want)
		}); err != nil {
			t.Fatalf("press %d: no %q: %+v", try+1, want, h.fake.Ephemerals(executive))
		}
	}
	if rm := h.openRoadmap(assistant); goalID(t, rm, "Share the quarter's goals with me") == "" {
		t.Error("the wish is not on the roadmap")
	}
	h.noProblems()
}
