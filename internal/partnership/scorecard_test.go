package partnership_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/partnership"
)

// teamPair is one pair of a team test: its members' scores, oldest
// first, and the wishes the assistant makes of the executive (done of
// them closed).
type teamPair struct {
	assistant, exec string
	a, e            []int
	wishes, done    int
	noConsent       bool // only the assistant agreed
}

func TestTeam(t *testing.T) {
	hidden := partnership.Count{Hidden: true}
	allHidden := map[string]partnership.Count{"solid": hidden, "productive": hidden, "attention": hidden}
	solid := func(n int) map[string]partnership.Count {
		return map[string]partnership.Count{"solid": {N: n}, "productive": {}, "attention": {}}
	}
	many := func(n int, score int) []teamPair {
		var ps []teamPair
		for i := range n {
			ps = append(ps, teamPair{assistant: fmt.Sprintf("UA%d%d", score, i), exec: fmt.Sprintf("UE%d%d", score, i), e: []int{score}})
		}
		return ps
	}
	tests := []struct {
		name  string
		pairs []teamPair
		want  partnership.TeamCard // Since is set by the test
	}{
		{"fewer than three pairs: nothing but their number", many(2, 10),
			partnership.TeamCard{Pairs: 2}},
		{"a pair counts only when both agreed",
			append(many(2, 10), teamPair{assistant: "UA", exec: "UE", e: []int{10}, noConsent: true}),
			partnership.TeamCard{Pairs: 2}},
		{"a pair without a result does not count",
			append(many(2, 10), teamPair{assistant: "UA", exec: "UE"}),
			partnership.TeamCard{Pairs: 2}},
		// The attack: the change was over whoever had a previous
		// result, here one person, so it gave that result away.
		{"one person with a result before: no change",
			append(many(2, 10), teamPair{assistant: "UA", exec: "UE", e: []int{6, 10}}),
			partnership.TeamCard{Pairs: 3, Bands: solid(3), Average: 10, WishesOpened: hidden, WishesClosed: hidden}},
		// Partners see each other's results: the pair of two of the three
		// would know the third's change.
		{"three people from two pairs: no change", []teamPair{
			{assistant: "UA1", exec: "UE1", a: []int{5, 9}, e: []int{6, 10}},
			{assistant: "UA2", exec: "UE2", e: []int{4, 8}},
			{assistant: "UA3", exec: "UE3", e: []int{10}},
		}, partnership.TeamCard{Pairs: 3, Bands: solid(3), Average: 9.25, WishesOpened: hidden, WishesClosed: hidden}},
		{"one person in three pairs is one person: no change", []teamPair{
			{assistant: "UA", exec: "UE1", a: []int{5, 9}, e: []int{10}},
			{assistant: "UA", exec: "UE2", a: []int{5, 9}, e: []int{10}},
			{assistant: "UA", exec: "UE3", a: []int{5, 9}, e: []int{10}},
		}, partnership.TeamCard{Pairs: 3, Bands: solid(3), Average: 9.5, WishesOpened: hidden, WishesClosed: hidden}},
		// (10+8+10)/3 − (6+4+10)/3, not Average − (6+4+10)/3; the bands
		// (3, 0, 1) would give the 1 away from the total.
		{"the change is over the same people on both sides", []teamPair{
			{assistant: "UA1", exec: "UE1", e: []int{6, 10}},
			{assistant: "UA2", exec: "UE2", e: []int{4, 8}},
			{assistant: "UA3", exec: "UE3", e: []int{10, 10}},
			{assistant: "UA4", exec: "UE4", e: []int{2}},
		}, partnership.TeamCard{Pairs: 4, Bands: allHidden, Average: 7.5, Change: 8.0 / 3, ChangeFrom: 3, WishesOpened: hidden, WishesClosed: hidden}},
		{"a breakdown that hides two bands", append(append(many(8, 9), many(3, 6)...), many(1, 3)...),
			partnership.TeamCard{Pairs: 12, Bands: map[string]partnership.Count{"solid": {N: 8}, "productive": hidden, "attention": hidden},
				Average: 7.75, WishesOpened: hidden, WishesClosed: hidden}},
		{"wishes: 3 opened shown, 1 closed hidden", []teamPair{
			{assistant: "UA1", exec: "UE1", e: []int{10}, wishes: 2, done: 1},
			{assistant: "UA2", exec: "UE2", e: []int{10}, wishes: 1},
			{assistant: "UA3", exec: "UE3", e: []int{10}},
		}, partnership.TeamCard{Pairs: 3, Bands: solid(3), Average: 10, WishesOpened: partnership.Count{N: 3}, WishesClosed: hidden}},
		{"wishes: 4 opened and 4 closed are shown", []teamPair{
			{assistant: "UA1", exec: "UE1", e: []int{10}, wishes: 3, done: 3},
			{assistant: "UA2", exec: "UE2", e: []int{10}, wishes: 1, done: 1},
			{assistant: "UA3", exec: "UE3", e: []int{10}},
		}, partnership.TeamCard{Pairs: 3, Bands: solid(3), Average: 10, WishesOpened: partnership.Count{N: 4}, WishesClosed: partnership.Count{N: 4}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, clk := newService(t)
			ctx := context.Background()
			for _, p := range tt.pairs {
				setUpTeamPair(t, ctx, svc, clk, p)
			}
			since := clk.Now()
			for _, p := range tt.pairs {
				wish(t, ctx, svc, clk, p)
			}
			got, err := svc.Team(ctx, since)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.want
			want.Since = since
			if math.Abs(got.Change-want.Change) < 1e-9 {
				got.Change = want.Change
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Team =\n%+v\nwant\n%+v", got, want)
			}
		})
	}
}

// setUpTeamPair pairs p's members, submits their results and records
// their consent.
func setUpTeamPair(t *testing.T, ctx context.Context, svc *partnership.Service, clk *clock, p teamPair) {
	t.Helper()
	pair := pairUp(t, svc, p.assistant, p.exec)
	for who, scores := range map[string][]int{p.assistant: p.a, p.exec: p.e} {
		for i, score := range scores {
			clk.Add(time.Minute)
			r := assessment.Result{ID: fmt.Sprintf("%s-%s-%d", pair.ID, who, i), UserID: who, PairID: string(pair.ID), TakenAt: clk.Now(),
				Answers: answers(strings.Repeat("Y", score) + strings.Repeat("N", 10-score))}
			if _, err := svc.SubmitResult(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Agreeing to a channel's card is not agreeing to the team's: only the
	// team scope counts there.
	if _, err := svc.RequestScorecard(ctx, pair.ID, p.assistant, "C1"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AnswerScorecard(ctx, pair.ID, p.exec, "C1", true); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RequestScorecard(ctx, pair.ID, p.assistant, partnership.TeamScope); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AnswerScorecard(ctx, pair.ID, p.exec, partnership.TeamScope, !p.noConsent); err != nil {
		t.Fatal(err)
	}
}

// wish has p's assistant make p.wishes wishes, and the executive close
// p.done of them.
func wish(t *testing.T, ctx context.Context, svc *partnership.Service, clk *clock, p teamPair) {
	t.Helper()
	if p.wishes == 0 {
		return
	}
	id := partnership.NewPairID(p.assistant, p.exec)
	var ws partnership.List // p.wishes up to its length
	for i := range p.wishes {
		ws[i] = fmt.Sprintf("wish %d", i)
	}
	clk.Add(time.Minute)
	saved, err := svc.SaveNextSteps(ctx, partnership.NextSteps{PairID: id, UserID: p.assistant, Wishes: ws, Send: [partnership.ListSize]bool{true, true, true}})
	made := saved.Fresh
	if err != nil || len(made) != p.wishes {
		t.Fatalf("SaveNextSteps made %d wishes, %v", len(made), err)
	}
	for _, w := range made[:p.done] {
		clk.Add(time.Minute)
		if _, err := svc.MoveWish(ctx, id, w.ID, p.exec, partnership.WishDone, ""); err != nil {
			t.Fatal(err)
		}
	}
}

// Consent is per pair, per channel, from each member, and can be withdrawn.
func TestScorecardConsentIsPerChannel(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	p := pairUp(t, svc, "UA", "UE")

	ask, err := svc.RequestScorecard(ctx, p.ID, "UA", "CTEAM")
	if err != nil || ask.Ready || ask.Partner != "UE" || !ask.Asked {
		t.Fatalf("first ask = %+v, %v; want the partner asked", ask, err)
	}
	if again, _ := svc.RequestScorecard(ctx, p.ID, "UA", "CTEAM"); again.Ready || again.Asked {
		t.Errorf("asking again = %+v; want no second card while the first waits", again)
	}
	if _, err := svc.AnswerScorecard(ctx, p.ID, "UA", "CTEAM", true); !errors.Is(err, partnership.ErrNoRequest) {
		t.Errorf("the asker answered their own ask: %v", err)
	}
	ans, err := svc.AnswerScorecard(ctx, p.ID, "UE", "CTEAM", true)
	if err != nil || ans.Request.By != "UA" {
		t.Fatalf("answer = %+v, %v", ans, err)
	}
	if _, err := svc.AnswerScorecard(ctx, p.ID, "UE", "CTEAM", true); !errors.Is(err, partnership.ErrNoRequest) {
		t.Errorf("a second answer = %v, want ErrNoRequest", err)
	}
	// #team is allowed; #all-hands is not.
	if ask, _ := svc.RequestScorecard(ctx, p.ID, "UA", "CTEAM"); !ask.Ready {
		t.Error("the allowed channel is not ready")
	}
	if ask, _ := svc.RequestScorecard(ctx, p.ID, "UA", "CALLHANDS"); ask.Ready {
		t.Error("consent to #team let the card into #all-hands")
	}
	if ask, _ := svc.RequestScorecard(ctx, p.ID, "UA", partnership.TeamScope); ask.Ready {
		t.Error("consent to a channel counted the pair in the team scorecard")
	}
	sh, err := svc.Sharings(ctx, p.ID, "UE")
	if err != nil || len(sh) != 3 {
		t.Fatalf("Sharings = %+v, %v; want three", sh, err)
	}
	// Either member withdraws: nothing more there, until both agree again.
	waiting, err := svc.StopScorecard(ctx, p.ID, "UE", "CTEAM")
	if err != nil || waiting.By != "" {
		t.Fatalf("stop = %+v, %v", waiting, err)
	}
	if ask, _ := svc.RequestScorecard(ctx, p.ID, "UA", "CTEAM"); ask.Ready || !ask.Asked {
		t.Errorf("after a withdrawal the card was ready: %+v", ask)
	}
	// Withdrawing a scope with an ask waiting returns it (its card is updated).
	if waiting, _ := svc.StopScorecard(ctx, p.ID, "UA", "CALLHANDS"); waiting.By != "UA" {
		t.Errorf("stop with an ask waiting = %+v, want the ask", waiting)
	}
	// Only members; only scopes that are a channel or the team.
	if _, err := svc.RequestScorecard(ctx, p.ID, "UX", "CTEAM"); !errors.Is(err, partnership.ErrNotMember) {
		t.Errorf("a stranger asked: %v", err)
	}
	if _, err := svc.RequestScorecard(ctx, p.ID, "UA", "UE"); !errors.Is(err, partnership.ErrBadID) {
		t.Errorf("a DM as a scope: %v, want ErrBadID", err)
	}
}
