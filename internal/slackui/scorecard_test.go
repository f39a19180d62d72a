package slackui

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/partnership"
)

func TestScorecards(t *testing.T) {
	p := partnership.Pair{ID: "UA-UE", Assistant: "UA", Executive: "UE"}
	rs := []assessment.Result{
		{ID: "a", UserID: "UA", PairID: "UA-UE", TakenAt: t0, Answers: mustAnswers(t, "YYYYYYNNNN"), Shared: true},
		{ID: "b", UserID: "UA", PairID: "UA-UE", TakenAt: t1, Answers: mustAnswers(t, "YYYYYYYYNN"), Shared: true},
		{ID: "c", UserID: "UE", PairID: "UA-UE", TakenAt: t1, Answers: mustAnswers(t, "NNNNNNNNNN"), Shared: true},
	}
	card := partnership.Card{Summary: partnership.NewSummary(p, rs, nil, t1), WishesOpen: 2, WishesClosed: 5}
	text, blocks := ScorecardMessage(card, 4)
	golden(t, "scorecard", map[string]any{"text": text, "blocks": blocks})
	js, _ := json.Marshal(blocks)
	for _, want := range []string{"6/10 → 8/10 (+2)", "4 rounds in a row", "5 closed · 2 open"} {
		if !strings.Contains(string(js), want) {
			t.Errorf("scorecard lacks %q", want)
		}
	}
	// A channel card never names a question (answers are private).
	for _, q := range assessment.Questions(assessment.Assistant) {
		if strings.Contains(string(js), q.Text) {
			t.Errorf("scorecard names question %q", q.Text)
		}
	}
	text, blocks = ScorecardConsentMessage(p, "UA", "C1")
	golden(t, "scorecard_consent", map[string]any{"text": text, "blocks": blocks})
	if js := rendered(t, blocks); !strings.Contains(js, "<#C1>") || !strings.Contains(js, `"value":"UA-UE|C1"`) {
		t.Errorf("the ask does not name its channel, or its buttons do not carry it:\n%s", js)
	}
	text, blocks = ScorecardConsentMessage(p, "UA", partnership.TeamScope)
	golden(t, "scorecard_consent_team", map[string]any{"text": text, "blocks": blocks})
	text, blocks = ScorecardAnsweredMessage("UA", "C1", Outcome{What: "Allowed", By: "UE", At: t1})
	golden(t, "scorecard_consent_answered", map[string]any{"text": text, "blocks": blocks})
	if js := rendered(t, blocks); strings.Contains(js, ActionScorecardAllow) || !strings.Contains(js, "Allowed by <@UE> on <!date^") {
		t.Errorf("the answered ask:\n%s", js)
	}
}

func TestScopeRef(t *testing.T) {
	for _, tt := range []struct {
		in    string
		pair  partnership.PairID
		scope partnership.Scope
		ok    bool
	}{
		{EncodeScopeRef("UA-UE", "C1"), "UA-UE", "C1", true},
		{EncodeScopeRef("UA-UE", partnership.TeamScope), "UA-UE", partnership.TeamScope, true},
		{"UA-UE", "", "", false}, // an ask from before scopes: no channel to answer for
		{"UA-UE|UE", "", "", false},
		{"UA-UE|c1", "", "", false},
		{"UA-UE|C1|C2", "", "", false},
		{"UA|C1", "", "", false},
	} {
		pair, sc, err := ParseScopeRef(tt.in)
		if pair != tt.pair || sc != tt.scope || (err == nil) != tt.ok {
			t.Errorf("ParseScopeRef(%q) = %q, %q, %v; want %q, %q, ok %v", tt.in, pair, sc, err, tt.pair, tt.scope, tt.ok)
		}
	}

}

func TestTeamScorecard(t *testing.T) {
	hidden := partnership.Count{Hidden: true}
	small := partnership.TeamCard{Pairs: 2}
	_, blocks := TeamScorecardMessage(small)
	if js, _ := json.Marshal(blocks); !strings.Contains(string(js), "Fewer than 3 pairs") || strings.Contains(string(js), "solid relationship") {
		t.Errorf("team card with 2 pairs shows data: %s", js)
	}
	team := partnership.TeamCard{
		Pairs:   16,
		Bands:   map[string]partnership.Count{"solid": {N: 10}, "productive": hidden, "attention": hidden},
		Average: 6.5, Change: 0.5, ChangeFrom: 4,
		WishesOpened: partnership.Count{N: 9}, WishesClosed: hidden, Since: t0,
	}
	_, blocks = TeamScorecardMessage(team)
	golden(t, "team_scorecard", blocks)
	js, _ := json.Marshal(blocks)
	for _, want := range []string{"16 pairs", "8–10 “Yes” (solid relationship and partnership): 10", "5–7 “Yes” (could probably be more productive and pleasant): —", "1–4 “Yes” (needs attention and work): —",
		"6.5/10 (+0.5 since the results before", "9 opened, — closed", "— hidden so that no count points at anyone"} {
		if !strings.Contains(string(js), want) {
			t.Errorf("team card lacks %q: %s", want, js)
		}
	}

	// Nothing hidden: no footnote; a change over fewer than 3 people is
	// not shown, whatever the card holds.
	open := partnership.TeamCard{
		Pairs:   3,
		Bands:   map[string]partnership.Count{"solid": {N: 3}, "productive": {}, "attention": {}},
		Average: 9, Change: 4, ChangeFrom: 2,
		WishesOpened: partnership.Count{N: 3}, WishesClosed: partnership.Count{N: 4}, Since: t0,
	}
	_, blocks = TeamScorecardMessage(open)
	golden(t, "team_scorecard_open", blocks)
	js, _ = json.Marshal(blocks)
	for _, want := range []string{"5–7 “Yes” (could probably be more productive and pleasant): 0", "9.0/10\\n", "3 opened, 4 closed"} {
		if !strings.Contains(string(js), want) {
			t.Errorf("open team card lacks %q: %s", want, js)
		}
	}
	for _, not := range []string{"since the results before", "—", "hidden"} {
		if strings.Contains(string(js), not) {
			t.Errorf("open team card has %q: %s", not, js)
		}
	}
}
