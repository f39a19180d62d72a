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

	small := partnership.TeamCard{Pairs: 2, Bands: map[string]int{"solid": 2}}
	_, blocks = TeamScorecardMessage(small)
	if js, _ := json.Marshal(blocks); !strings.Contains(string(js), "Fewer than 3 pairs") || strings.Contains(string(js), "solid relationship") {
		t.Errorf("team card with 2 pairs shows data: %s", js)
	}
	team := partnership.TeamCard{Pairs: 7, Bands: map[string]int{"solid": 4, "productive": 2, "attention": 1}, Average: 6.5, Previous: 6, HasPrevious: true, WishesOpened: 9, WishesClosed: 1, Since: t0}
	_, blocks = TeamScorecardMessage(team)
	golden(t, "team_scorecard", blocks)
	js, _ = json.Marshal(blocks)
	for _, want := range []string{"7 pairs", "• 8–10 “Yes”: solid relationship and partnership — 4", "• 5–7 “Yes”: could probably be more productive and pleasant — fewer than 3", "• 1–4 “Yes”: needs attention and work — fewer than 3", "6.5/10 (+0.5", "9 opened, fewer than 3 closed"} {
		if !strings.Contains(string(js), want) {
			t.Errorf("team card lacks %q: %s", want, js)
		}
	}
}
