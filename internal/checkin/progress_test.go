package checkin_test

import (
	"context"
	"testing"
	"time"

	"github.com/partnerbot/partnerbot/internal/checkin"
	"github.com/partnerbot/partnerbot/internal/partnership"
)

// The summary a round's close sends tells the roadmap's progress since
// the last summary: the wins logged and the goals moved.
func TestRoundSummaryHasProgress(t *testing.T) {
	f := newFixture(t, checkin.Config{ReminderDelay: -1}, zones{})
	ctx := context.Background()
	monday := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	f.at(monday)
	g := partnership.Goal{ID: "g1", PairID: f.pair.ID, Title: "the offsite", Stage: partnership.StageNow, Owner: asst,
		Status: partnership.GoalStuck, CreatedBy: asst, CreatedAt: monday.Add(time.Minute), Rev: 1}
	if err := f.st.SaveGoal(ctx, f.pair.ID, 0, g); err != nil {
		t.Fatal(err)
	}
	if err := f.st.AddWin(ctx, partnership.Win{ID: "n1", PairID: f.pair.ID, By: asst, Text: "booked it", GoalID: "g1", At: monday.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	f.answer(asst, monday.Add(2*time.Hour))
	f.at(monday.Add(7 * 24 * time.Hour)) // the round closes
	f.notes.mu.Lock()
	defer f.notes.mu.Unlock()
	if len(f.notes.summaries) != 1 {
		t.Fatalf("%d summaries, want 1", len(f.notes.summaries))
	}
	pr := f.notes.summaries[0].Progress
	if len(pr.Wins) != 1 || len(pr.Stuck) != 1 || len(pr.Added) != 1 || len(pr.ByGoal) != 1 || pr.ByGoal[0].Goal.ID != "g1" {
		t.Errorf("the round's summary progress = %+v", pr)
	}
}
