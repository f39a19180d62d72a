package app

import (
	"strings"
	"testing"

	"github.com/partnerbot/partnerbot/internal/config"
	"github.com/partnerbot/partnerbot/internal/slackfake"
	"github.com/partnerbot/partnerbot/internal/slackui"
)

const team = "CTEAM"

// The pair's scorecard goes to a channel only once both agreed; without
// the bot in the channel the user is told how to invite it.
func TestScorecardNeedsBothAndTheBot(t *testing.T) {
	h := startPairs(t)
	h.fake.AddChannel(team, "team", true)
	h.pairUp(assistant, executive)
	h.assess(assistant, "YYYYYYYYNN", false)

	inDM, err := h.fake.SlashCommand(h.ctx(), assistant, slackfake.DMChannelID(assistant), command, "scorecard")
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, "in a DM", inDM.Payload, "in the channel where your scorecard should go")
	ack, err := h.fake.SlashCommand(h.ctx(), assistant, team, command, "scorecard")
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, "first ask", ack.Payload, "I asked <@"+executive+"> to agree first")
	ask := h.waitDM(executive, 0, slackui.ActionScorecardAllow)
	mustContain(t, "consent DM", ask.Blocks, "Never your answers", slackui.ActionScorecardAllow)
	if n := len(posts(h, team)); n != 0 {
		t.Fatalf("%d messages in the channel before the partner agreed", n)
	}
	// A stranger cannot answer for the executive.
	t0 := len(h.fake.DMs(third))
	h.click(third, ask, slackui.ActionScorecardAllow)
	h.waitDMs(third, t0+1)
	if n := len(posts(h, team)); n != 0 {
		t.Fatalf("a stranger's Allow posted the card")
	}
	h.click(executive, ask, slackui.ActionScorecardAllow)
	if err := h.fake.WaitFor(h.ctx(), func() bool { return len(posts(h, team)) == 1 }); err != nil {
		t.Fatalf("no scorecard in the channel: %v", err)
	}
	card := posts(h, team)[0]
	mustContain(t, "card", card.Blocks, "Partnership scorecard", "8/10", "0 closed · 0 open")
	if strings.Contains(string(card.Blocks), "Do you trust") {
		t.Errorf("the card names a question: %s", card.Blocks)
	}
	// Both agreed: the next request posts at once.
	if ack, _ := h.fake.SlashCommand(h.ctx(), executive, team, command, "scorecard"); ack.Payload != nil && string(ack.Payload) != "null" {
		t.Errorf("second request acked %s, want the card posted at once", ack.Payload)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool { return len(posts(h, team)) == 2 }); err != nil {
		t.Fatalf("no second card: %v", err)
	}

	// In a channel the bot is not in: an ephemeral answer on inviting it.
	h.fake.AddChannel("COTHER", "other", false)
	if _, err := h.fake.SlashCommand(h.ctx(), assistant, "COTHER", command, "scorecard"); err != nil {
		t.Fatal(err)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		for _, m := range h.fake.Ephemerals(assistant) {
			if strings.Contains(m.Text, "/invite @partnerbot") {
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatalf("no ephemeral invite hint: %v (DMs %v)", err, h.fake.DMs(assistant))
	}
	h.noProblems()
}

// The team scorecard goes to the configured channel on its schedule, with
// aggregates over consenting pairs only, and nothing under three pairs.
func TestTeamScorecard(t *testing.T) {
	h := startWith(t, nil, func(c *config.Config) {
		c.ScorecardChannel, c.ScorecardSchedule, c.ScorecardFirstWeek = team, "@every 1s", false
	})
	h.fake.AddChannel(team, "team", true)
	for _, u := range []string{executive, other, third} {
		h.fake.AddUser(slackfake.User{ID: u, Name: strings.ToLower(u), RealName: u})
	}
	share := func(exec string) {
		t.Helper()
		h.pairUp(assistant, exec)
		h.assess(exec, "YYYYYYYYYY", false)
		before := len(h.fake.DMs(assistant))
		if _, err := h.fake.SlashCommand(h.ctx(), exec, team, command, "scorecard"); err != nil {
			t.Fatal(err)
		}
		h.click(assistant, h.waitDM(assistant, before, slackui.ActionScorecardAllow), slackui.ActionScorecardAllow)
	}
	share(executive)
	share(other)
	waitTeamCard(t, h, "Fewer than 3 pairs have agreed")
	share(third)
	card := waitTeamCard(t, h, "*3 pairs* agreed")
	mustContain(t, "team card", card.Blocks, "• 8–10 “Yes”: solid relationship and partnership — 3", "Average score")
	h.noProblems()
}

// waitTeamCard waits for a team scorecard holding want and returns it.
func waitTeamCard(t *testing.T, h *harness, want string) slackfake.Message {
	t.Helper()
	var found slackfake.Message
	err := h.fake.WaitFor(h.ctx(), func() bool {
		for _, m := range h.fake.Messages(team) {
			if strings.Contains(string(m.Blocks), "Team partnership scorecard") && strings.Contains(string(m.Blocks), want) {
				found = m
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatalf("no team scorecard with %q: %v", want, err)
	}
	return found
}

// posts are the channel's messages, without the ephemeral ones.
func posts(h *harness, channel string) []slackfake.Message {
	var out []slackfake.Message
	for _, m := range h.fake.Messages(channel) {
		if !m.Ephemeral {
			out = append(out, m)
		}
	}
	return out
}
