package app

import (
	"encoding/json"
	"regexp"
	"strconv"
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
	mustContain(t, "first ask", ack.Payload, "I asked <@"+executive+"> to agree to <#"+team+"> first")
	ask := h.waitDM(executive, 0, slackui.ActionScorecardAllow)
	// The ask names the channel as a mention Slack shows by name.
	mustContain(t, "consent DM", ask.Blocks, "Never your answers", "<#"+team+">", "for that channel only", slackui.ActionScorecardAllow)
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
	// The ask's card is updated in place: the outcome, who and when.
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		m, _ := h.fake.Message(ask.Channel, ask.TS)
		return m.Updated && contains(m.Blocks, "Allowed by <@"+executive+">")
	}); err != nil {
		t.Errorf("the ask was not updated in place: %v", err)
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

	// Allowing #team allows nothing in #all-hands, nor the team scorecard.
	h.fake.AddChannel("CALLHANDS", "all-hands", true)
	ack, _ = h.fake.SlashCommand(h.ctx(), assistant, "CALLHANDS", command, "scorecard")
	mustContain(t, "another channel", ack.Payload, "I asked <@"+executive+"> to agree to <#CALLHANDS> first")
	if n := len(posts(h, "CALLHANDS")); n != 0 {
		t.Errorf("the card went to #all-hands on #team's consent")
	}
	// The executive withdraws #team: nothing more is posted there; the
	// cards posted stay; a new one needs new consent.
	stop, _ := h.fake.SlashCommand(h.ctx(), executive, team, command, "scorecard stop")
	mustContain(t, "stop", stop.Payload, "nothing more of your partnership is shown in <#"+team+">")
	h.waitDM(assistant, 0, "stopped sharing your partnership scorecard in <#"+team+">")
	ack, _ = h.fake.SlashCommand(h.ctx(), assistant, team, command, "scorecard")
	mustContain(t, "after the withdrawal", ack.Payload, "I asked <@"+executive+"> to agree to <#"+team+"> first")
	if n := len(posts(h, team)); n != 2 {
		t.Errorf("%d cards in #team after the withdrawal, want the 2 posted before", n)
	}
	// From the Home tab too: the assistant stops #team there.
	if _, err := h.fake.OpenHome(h.ctx(), assistant); err != nil {
		t.Fatal(err)
	}
	var home slackfake.View
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		home, _ = h.fake.HomeView(assistant)
		return strings.Contains(string(home.JSON), slackui.ActionScorecardStop)
	}); err != nil {
		t.Fatalf("the Home tab has no Stop sharing: %v", err)
	}
	mustContain(t, "home sharing", home.JSON, "<#CALLHANDS>", "waits for <@"+executive+"> to agree")
	blockID, _ := button(t, home.JSON, slackui.ActionScorecardStop)
	before := len(h.fake.DMs(executive))
	if _, err := h.fake.ClickButton(h.ctx(), assistant, slackfake.Container{ViewID: home.ID}, slackui.ActionScorecardStop, blockID, ""); err != nil {
		t.Fatal(err)
	}
	h.waitDM(executive, before, "stopped sharing your partnership scorecard in")

	// In a channel the bot is not in: once allowed, the asker hears how to
	// invite it.
	h.fake.AddChannel("COTHER", "other", false)
	before = len(h.fake.DMs(executive))
	if _, err := h.fake.SlashCommand(h.ctx(), assistant, "COTHER", command, "scorecard"); err != nil {
		t.Fatal(err)
	}
	a0 := len(h.fake.DMs(assistant))
	h.click(executive, h.waitDM(executive, before, "<#COTHER>"), slackui.ActionScorecardAllow)
	h.waitDM(assistant, a0, "/invite @partnerbot")
	h.noProblems()
}

// The team scorecard goes to the configured channel on its schedule, with
// aggregates over consenting pairs only, and nothing under three pairs.
func TestTeamScorecard(t *testing.T) {
	h := startTeam(t)
	h.shareTeam(executive, "YYYYYYYYYY")
	h.shareTeam(other, "YYYYYYYYYY")
	waitTeamCard(t, h, "Fewer than 3 pairs have agreed")
	h.shareTeam(third, "YYYYYYYYYY")
	card := waitTeamCard(t, h, "*3 pairs* agreed")
	mustContain(t, "team card", card.Blocks, "8–10 “Yes” (solid relationship and partnership): 3", "Average score")
	h.noProblems()
}

// The attack of the issue: the card gives the total, so with one band
// hidden the total minus the bands shown was that band's exact count (here
// 4 − 3 − 0 = 1, the one pair that is not solid). Every hidden band must
// keep at least two possible values given the total and the bands shown.
func TestTeamScorecardHidesWhatSubtractionWouldGive(t *testing.T) {
	h := startTeam(t, fourth)
	for _, exec := range []string{executive, other, third} {
		h.shareTeam(exec, "YYYYYYYYYY")
	}
	h.shareTeam(fourth, "YYYYYYNNNN") // 6: the only pair that could be more productive
	card := teamCardText(t, waitTeamCard(t, h, "*4 pairs* agreed"))
	total, bands := teamBands(t, card)
	if total != 4 || len(bands) != 3 {
		t.Fatalf("card gives %d pairs and %d bands, want 4 and 3:\n%s", total, len(bands), card)
	}
	shown, hidden := 0, 0
	for label, n := range bands {
		switch {
		case n < 0:
			hidden++
		case n > 0 && n < 3:
			t.Errorf("%s shows %d, a count under 3", label, n)
		default:
			shown += n
		}
	}
	if hidden == 1 {
		t.Errorf("one band hidden: the total minus the others gives it (%d − %d = %d):\n%s", total, shown, total-shown, card)
	}
	if hidden > 0 && total-shown < 3 {
		t.Errorf("the hidden bands add up to %d, under 3:\n%s", total-shown, card)
	}
	h.noProblems()
}

// The other attack of the issue: the change since before was the mean of
// everyone's latest score minus the mean over whoever had a previous one,
// here one person, whose previous score it gave away (10 − 4 = 6). With
// fewer than three pairs' members having both, the card shows no change.
func TestTeamScorecardNoChangeOverOnePerson(t *testing.T) {
	h := startTeam(t)
	h.shareTeam(executive, "YYYYYYNNNN", "YYYYYYYYYY") // 6, then 10
	h.shareTeam(other, "YYYYYYYYYY")
	h.shareTeam(third, "YYYYYYYYYY")
	card := teamCardText(t, waitTeamCard(t, h, "*3 pairs* agreed"))
	if !strings.Contains(card, "10.0/10") {
		t.Errorf("card lacks the average 10.0/10:\n%s", card)
	}
	if strings.Contains(card, "since") && strings.Contains(card, "before") {
		t.Errorf("card shows a change over one person:\n%s", card)
	}
	h.noProblems()
}

// The change is over the people who have both a latest and a previous
// result, on both sides: (10+8+10)/3 − (6+4+10)/3 = +2.7, not the mean of
// all four latest scores (7.5) minus the three previous ones (+0.8).
func TestTeamScorecardChangeOverTheSamePeople(t *testing.T) {
	h := startTeam(t, fourth)
	h.shareTeam(executive, "YYYYYYNNNN", "YYYYYYYYYY") // 6 → 10
	h.shareTeam(other, "YYYYNNNNNN", "YYYYYYYYNN")     // 4 → 8
	h.shareTeam(third, "YYYYYYYYYY", "YYYYYYYYYY")     // 10 → 10
	h.shareTeam(fourth, "YYNNNNNNNN")                  // 2, no result before
	card := waitTeamCard(t, h, "*4 pairs* agreed")
	mustContain(t, "team card", card.Blocks, "7.5/10 (+2.7 ")
	h.noProblems()
}

const fourth = "UFOURTH"

// startTeam runs the bot with a team scorecard every second in team, and
// the executives of the team tests (and extra) as users.
func startTeam(t *testing.T, extra ...string) *harness {
	t.Helper()
	h := startWith(t, nil, func(c *config.Config) {
		c.ScorecardChannel, c.ScorecardSchedule, c.ScorecardFirstWeek = team, "@every 1s", false
	})
	h.fake.AddChannel(team, "team", true)
	for _, u := range append([]string{executive, other, third}, extra...) {
		h.fake.AddUser(slackfake.User{ID: u, Name: strings.ToLower(u), RealName: u})
	}
	return h
}

// shareTeam pairs the assistant with exec, has exec take the assessment
// once per answers given, and has the pair agree to share.
func (h *harness) shareTeam(exec string, answers ...string) {
	h.t.Helper()
	h.pairUp(assistant, exec)
	for _, a := range answers {
		h.assess(exec, a, false)
	}
	before := len(h.fake.DMs(assistant))
	if _, err := h.fake.SlashCommand(h.ctx(), exec, team, command, "scorecard team"); err != nil {
		h.t.Fatal(err)
	}
	h.click(assistant, h.waitDM(assistant, before, slackui.ActionScorecardAllow), slackui.ActionScorecardAllow)
}

// teamCardText is the mrkdwn of a team scorecard's sections.
func teamCardText(t *testing.T, m slackfake.Message) string {
	t.Helper()
	var blocks []struct {
		Text struct {
			Text string `json:"text"`
		} `json:"text"`
	}
	if err := json.Unmarshal(m.Blocks, &blocks); err != nil {
		t.Fatalf("team card blocks: %v", err)
	}
	var sb strings.Builder
	for _, b := range blocks {
		sb.WriteString(b.Text.Text + "\n")
	}
	return sb.String()
}

// teamBands reads what an onlooker reads off the card: the pairs total,
// and each band line's count (-1 when it is not a number).
func teamBands(t *testing.T, card string) (total int, bands map[string]int) {
	t.Helper()
	m := regexp.MustCompile(`\*(\d+) pairs\*`).FindStringSubmatch(card)
	if m == nil {
		t.Fatalf("no pairs total on the card:\n%s", card)
	}
	total, _ = strconv.Atoi(m[1])
	bands = map[string]int{}
	for _, l := range regexp.MustCompile(`(?m)^• (.+): (.+)$`).FindAllStringSubmatch(card, -1) {
		n, err := strconv.Atoi(l[2])
		if err != nil {
			n = -1
		}
		bands[l[1]] = n
	}
	return total, bands
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
