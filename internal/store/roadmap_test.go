package store

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/partnerbot/partnerbot/internal/partnership"
)

func goal(id string, pair partnership.PairID, stage partnership.Stage, at time.Time) partnership.Goal {
	return partnership.Goal{ID: id, PairID: pair, Title: "Run the offsite ✨ <&>", Serves: "Grow the team", Stage: stage, Owner: "UA",
		Target: partnership.Date{Year: 2026, Month: time.December, Day: 18}, Status: partnership.GoalOnTrack, CreatedBy: "UA", CreatedAt: at,
		Rev: 1, Source: partnership.GoalSource{Kind: partnership.FromWish, Ref: "w1"},
		History: []partnership.GoalEvent{{At: at, By: "UA", Change: partnership.ChangeCreated, To: string(stage)}}}
}

func testRoadmap(t *testing.T, b backend) {
	st, rdb := b.open(t)
	ctx := context.Background()
	p := newPair("UA", "UE", day0)
	if err := st.CreatePair(ctx, p); err != nil {
		t.Fatal(err)
	}
	gs, rev, err := st.Roadmap(ctx, p.ID)
	if err != nil || len(gs) != 0 || rev != 0 {
		t.Fatalf("Roadmap before any goal = %+v, %d, %v", gs, rev, err)
	}
	g1 := goal("g1", p.ID, partnership.StageNow, day0)
	if err := st.SaveGoal(ctx, p.ID, 0, g1); err != nil {
		t.Fatalf("SaveGoal: %v", err)
	}
	// A save from the read before it is refused: it did not see g1.
	if err := st.SaveGoal(ctx, p.ID, 0, goal("g2", p.ID, partnership.StageNow, day0)); !errors.Is(err, partnership.ErrConflict) {
		t.Errorf("SaveGoal from a stale read = %v, want ErrConflict", err)
	}
	gs, rev, err = st.Roadmap(ctx, p.ID)
	if err != nil || len(gs) != 1 || rev != 1 {
		t.Fatalf("Roadmap = %d goals, rev %d, %v; want g1 at rev 1", len(gs), rev, err)
	}
	if !reflect.DeepEqual(gs[0], g1) {
		t.Errorf("goal read back = %+v, want %+v", gs[0], g1)
	}
	// A changed goal replaces the stored one.
	moved := g1
	moved.Stage, moved.Rev = partnership.StageNext, 2
	moved.History = append(moved.History, partnership.GoalEvent{At: day0.Add(time.Hour), By: "UE", Change: partnership.ChangeStage, From: "now", To: "next", Note: "after the board"})
	if err := st.SaveGoal(ctx, p.ID, rev, moved); err != nil {
		t.Fatal(err)
	}
	if gs, rev, _ = st.Roadmap(ctx, p.ID); len(gs) != 1 || rev != 2 || !reflect.DeepEqual(gs[0], moved) {
		t.Errorf("after the move: %+v at rev %d", gs, rev)
	}
	// Of many saves racing from one read, exactly one lands.
	var wg sync.WaitGroup
	var mu sync.Mutex
	landed := 0
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if st.SaveGoal(ctx, p.ID, rev, goal("r"+string(rune('a'+i)), p.ID, partnership.StageNow, day0)) == nil {
				mu.Lock()
				landed++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if gs, _, _ = st.Roadmap(ctx, p.ID); landed != 1 || len(gs) != 2 {
		t.Errorf("%d racing saves landed, %d goals stored; want 1 and 2", landed, len(gs))
	}

	// Wins: stored once per id, read by time, changed by compare-and-set.
	w1 := partnership.Win{ID: "n1", PairID: p.ID, By: "UA", Text: "Booked the venue ✨ <&>", GoalID: "g1", At: day0.Add(time.Hour)}
	w2 := partnership.Win{ID: "n2", PairID: p.ID, By: "UA", Text: "Fixed the travel policy", At: day0.Add(3 * time.Hour),
		Source: partnership.WinSource{Channel: "C1", TS: "1700000000.000100", Link: "https://x.slack.com/archives/C1/p1700000000000100"}}
	for _, w := range []partnership.Win{w2, w1} {
		if err := st.AddWin(ctx, w); err != nil {
			t.Fatalf("AddWin(%s): %v", w.ID, err)
		}
	}
	if err := st.AddWin(ctx, w1); !errors.Is(err, partnership.ErrAlreadySaved) {
		t.Errorf("AddWin again = %v, want ErrAlreadySaved", err)
	}
	all, err := st.Wins(ctx, p.ID, time.Time{})
	if err != nil || !reflect.DeepEqual(all, []partnership.Win{w1, w2}) {
		t.Errorf("Wins(all) = %+v, %v; want w1, w2", all, err)
	}
	if since, _ := st.Wins(ctx, p.ID, w2.At); len(since) != 1 || since[0].ID != "n2" {
		t.Errorf("Wins(since w2) = %+v, want w2 only (since is inclusive)", since)
	}
	if later, _ := st.Wins(ctx, p.ID, w2.At.Add(time.Millisecond)); len(later) != 0 {
		t.Errorf("Wins(after w2) = %+v, want none", later)
	}
	tied := w2
	tied.GoalID = "g1"
	if err := st.UpdateWin(ctx, w2, tied); err != nil {
		t.Fatal(err)
	}
	if err := st.UpdateWin(ctx, w2, w2); !errors.Is(err, partnership.ErrConflict) {
		t.Errorf("UpdateWin from a stale win = %v, want ErrConflict", err)
	}
	if all, _ = st.Wins(ctx, p.ID, time.Time{}); all[1].GoalID != "g1" {
		t.Errorf("win after UpdateWin = %+v", all[1])
	}
	// Another pair's roadmap is apart.
	q := newPair("UA", "UF", day0)
	if gs, _, _ := st.Roadmap(ctx, q.ID); len(gs) != 0 {
		t.Errorf("another pair's roadmap = %+v", gs)
	}
	if ws, _ := st.Wins(ctx, q.ID, time.Time{}); len(ws) != 0 {
		t.Errorf("another pair's wins = %+v", ws)
	}
	// Deleting the pair takes its roadmap and wins.
	if err := st.DeletePair(ctx, p); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{st.keys.goals(string(p.ID)), st.keys.goalsRev(string(p.ID)), st.keys.wins(string(p.ID)), st.keys.winsAt(string(p.ID))} {
		if n, err := rdb.Exists(ctx, k).Result(); err != nil || n != 0 {
			t.Errorf("%s is left after DeletePair (%v)", k, err)
		}
	}
}

// A former partnership keeps the member's goals, wins and check-in answers.
func testFormerRoadmap(t *testing.T, b backend) {
	st, _ := b.open(t)
	ctx := context.Background()
	g := goal("g1", "", partnership.StageNow, day0)
	g.Source = partnership.GoalSource{}
	w := partnership.Win{ID: "n1", By: "UA", Text: "Booked the venue", GoalID: "g1", At: day0}
	r := partnership.Reflection{User: "UA", Round: day0, Prompt: "Respect and trust", Text: "We talk it through", Shared: true, PlanChange: "Less travel", At: day0.Add(time.Minute)}
	f := partnership.Former{Key: "1|assistant", Role: "assistant", Began: day0, Ended: day0.Add(time.Hour), Goals: []partnership.Goal{g}, Wins: []partnership.Win{w},
		Reflections: []partnership.Reflection{r}}
	if err := st.AddFormer(ctx, "UA", f); err != nil {
		t.Fatal(err)
	}
	got, err := st.Formers(ctx, "UA")
	if err != nil || len(got) != 1 {
		t.Fatalf("Formers = %+v, %v", got, err)
	}
	if !reflect.DeepEqual(got[0].Goals, f.Goals) || !reflect.DeepEqual(got[0].Wins, f.Wins) {
		t.Errorf("former goals and wins = %+v, %+v; want %+v, %+v", got[0].Goals, got[0].Wins, f.Goals, f.Wins)
	}
	if !reflect.DeepEqual(got[0].Reflections, f.Reflections) {
		t.Errorf("former check-ins = %+v, want %+v", got[0].Reflections, f.Reflections)
	}
}
