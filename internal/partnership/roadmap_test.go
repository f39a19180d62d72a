package partnership_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/partnerbot/partnerbot/internal/partnership"
)

func draft(title string, stage partnership.Stage, owner string) partnership.GoalDraft {
	return partnership.GoalDraft{Title: title, Serves: "grow the team", Stage: stage, Owner: owner}
}

func mustGoal(t *testing.T, svc *partnership.Service, p partnership.Pair, by, title string, stage partnership.Stage) partnership.Goal {
	t.Helper()
	g, err := svc.AddGoal(context.Background(), p.ID, by, draft(title, stage, by))
	if err != nil {
		t.Fatalf("AddGoal(%q, %s): %v", title, stage, err)
	}
	return g
}

func titles(gs []partnership.Goal) []string {
	out := []string{}
	for _, g := range gs {
		out = append(out, g.Title)
	}
	return out
}

// At most three open goals in Now: a fourth is refused with the article's
// reason, by any way in (added, moved, reopened); a goal done or dropped
// leaves Now and frees its place.
func TestNowHoldsThree(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		// try is the fourth goal's way into Now, on a roadmap with three
		// goals in Now, one in Next ("spare") and one done in Now ("old").
		try     func(svc *partnership.Service, p partnership.Pair, spare, old partnership.Goal) error
		wantErr error
	}{
		{"added to Now", func(svc *partnership.Service, p partnership.Pair, _, _ partnership.Goal) error {
			_, err := svc.AddGoal(ctx, p.ID, "UA", draft("fourth", partnership.StageNow, "UA"))
			return err
		}, partnership.ErrNowFull},
		{"moved from Next", func(svc *partnership.Service, p partnership.Pair, spare, _ partnership.Goal) error {
			_, err := svc.MoveGoal(ctx, p.ID, spare.ID, "UE", partnership.StageNow, "")
			return err
		}, partnership.ErrNowFull},
		{"moved in the edit form", func(svc *partnership.Service, p partnership.Pair, spare, _ partnership.Goal) error {
			d := draft(spare.Title, partnership.StageNow, "UA")
			_, err := svc.EditGoal(ctx, p.ID, spare.ID, "UA", spare.Rev, d)
			return err
		}, partnership.ErrNowFull},
		{"reopened in Now", func(svc *partnership.Service, p partnership.Pair, _, old partnership.Goal) error {
			_, err := svc.SetGoalStatus(ctx, p.ID, old.ID, "UA", partnership.GoalStuck, "")
			return err
		}, partnership.ErrNowFull},
		{"added to Next", func(svc *partnership.Service, p partnership.Pair, _, _ partnership.Goal) error {
			_, err := svc.AddGoal(ctx, p.ID, "UA", draft("later on", partnership.StageNext, "UA"))
			return err
		}, nil},
		{"a goal in Now edited", func(svc *partnership.Service, p partnership.Pair, _, _ partnership.Goal) error {
			r, _ := svc.Roadmap(ctx, p.ID, "UA")
			g := r.Column(partnership.StageNow)[0]
			_, err := svc.EditGoal(ctx, p.ID, g.ID, "UA", g.Rev, draft("renamed", partnership.StageNow, "UE"))
			return err
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, clk := newService(t)
			p := pairUp(t, svc, "UA", "UE")
			old := mustGoal(t, svc, p, "UA", "old", partnership.StageNow)
			if _, err := svc.SetGoalStatus(ctx, p.ID, old.ID, "UA", partnership.GoalDone, ""); err != nil {
				t.Fatal(err)
			}
			for _, title := range []string{"one", "two", "three"} {
				clk.Add(time.Minute)
				mustGoal(t, svc, p, "UA", title, partnership.StageNow)
			}
			spare := mustGoal(t, svc, p, "UE", "spare", partnership.StageNext)
			before, _ := svc.Roadmap(ctx, p.ID, "UA")
			old, _ = before.Goal(old.ID)
			err := tt.try(svc, p, spare, old)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			after, _ := svc.Roadmap(ctx, p.ID, "UA")
			if n := len(after.Column(partnership.StageNow)); n > partnership.MaxNow {
				t.Errorf("Now holds %d goals: %v", n, titles(after.Column(partnership.StageNow)))
			}
			if tt.wantErr != nil && !reflect.DeepEqual(after, before) {
				t.Errorf("a refused change changed the roadmap:\n%+v\n%+v", before, after)
			}
			if tt.wantErr != nil && !strings.Contains(err.Error(), "start with small, strategic tasks") {
				t.Errorf("the refusal %q does not give the article's reason", err)
			}
		})
	}

	// Done or dropped leaves Now, and frees a place.
	svc, clk := newService(t)
	p := pairUp(t, svc, "UA", "UE")
	var now []partnership.Goal
	for _, title := range []string{"one", "two", "three"} {
		clk.Add(time.Minute)
		now = append(now, mustGoal(t, svc, p, "UA", title, partnership.StageNow))
	}
	if _, err := svc.SetGoalStatus(ctx, p.ID, now[1].ID, "UE", partnership.GoalDropped, "not now"); err != nil {
		t.Fatal(err)
	}
	r, _ := svc.Roadmap(ctx, p.ID, "UA")
	if got := titles(r.Column(partnership.StageNow)); !reflect.DeepEqual(got, []string{"one", "three"}) {
		t.Errorf("Now after dropping one = %v", got)
	}
	if got := titles(r.Closed()); !reflect.DeepEqual(got, []string{"two"}) {
		t.Errorf("Closed = %v", got)
	}
	mustGoal(t, svc, p, "UA", "four", partnership.StageNow)
}

// Every move, status and note is in the goal's history: who, when, from
// what to what, and the note.
func TestGoalHistory(t *testing.T) {
	svc, clk := newService(t)
	ctx := context.Background()
	p := pairUp(t, svc, "UA", "UE")
	g := mustGoal(t, svc, p, "UA", "  Run   the offsite ", partnership.StageNext)
	if g.Title != "Run the offsite" || g.Status != partnership.GoalOnTrack || g.Owner != "UA" || g.Rev != 1 || g.PairID != p.ID {
		t.Errorf("new goal = %+v", g)
	}
	t0 := clk.Now()
	steps := []struct {
		name string
		by   string
		do   func() (partnership.Goal, error)
		want partnership.GoalEvent // the goal's new last event
	}{
		{"move with a note", "UE", func() (partnership.Goal, error) {
			return svc.MoveGoal(ctx, p.ID, g.ID, "UE", partnership.StageNow, "the board meets in May")
		}, partnership.GoalEvent{By: "UE", Change: partnership.ChangeStage, From: "next", To: "now", Note: "the board meets in May"}},
		{"stuck with a note", "UA", func() (partnership.Goal, error) {
			return svc.SetGoalStatus(ctx, p.ID, g.ID, "UA", partnership.GoalStuck, "  waiting on budget  ")
		}, partnership.GoalEvent{By: "UA", Change: partnership.ChangeStatus, From: "on_track", To: "stuck", Note: "waiting on budget"}},
		{"a note alone", "UE", func() (partnership.Goal, error) {
			return svc.AddGoalNote(ctx, p.ID, g.ID, "UE", "approved")
		}, partnership.GoalEvent{By: "UE", Change: partnership.ChangeNote, Note: "approved"}},
		{"an edit", "UE", func() (partnership.Goal, error) {
			cur, _ := svc.Goal(ctx, p.ID, g.ID, "UE")
			d := partnership.GoalDraft{Title: "Run the spring offsite", Serves: cur.Serves, Stage: cur.Stage, Owner: "UA",
				Target: partnership.Date{Year: 2027, Month: time.April, Day: 30}}
			return svc.EditGoal(ctx, p.ID, g.ID, "UE", cur.Rev, d)
		}, partnership.GoalEvent{By: "UE", Change: partnership.ChangeEdited, To: "title,target"}},
		{"done", "UA", func() (partnership.Goal, error) {
			return svc.SetGoalStatus(ctx, p.ID, g.ID, "UA", partnership.GoalDone, "")
		}, partnership.GoalEvent{By: "UA", Change: partnership.ChangeStatus, From: "stuck", To: "done"}},
	}
	n := 1
	for _, s := range steps {
		clk.Add(time.Hour)
		got, err := s.do()
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		n++
		if len(got.History) != n || got.Rev != n {
			t.Fatalf("%s: %d events at rev %d, want %d", s.name, len(got.History), got.Rev, n)
		}
		want := s.want
		want.At = clk.Now()
		if last := got.History[n-1]; last != want {
			t.Errorf("%s: event %+v, want %+v", s.name, last, want)
		}
	}
	stored, _ := svc.Goal(ctx, p.ID, g.ID, "UA")
	if stored.Title != "Run the spring offsite" || stored.Target.String() != "2027-04-30" || stored.TitleBy() != "UE" || stored.ServesBy() != "UA" {
		t.Errorf("stored goal = %+v", stored)
	}
	if len(stored.Notes()) != 3 || !stored.ClosedAt().Equal(t0.Add(5*time.Hour)) {
		t.Errorf("notes %+v, closed at %v", stored.Notes(), stored.ClosedAt())
	}
	// A done goal keeps its stage until it is reopened; nothing to change
	// changes nothing.
	if _, err := svc.MoveGoal(ctx, p.ID, g.ID, "UA", partnership.StageLater, ""); !errors.Is(err, partnership.ErrGoalClosed) {
		t.Errorf("moving a done goal = %v, want ErrGoalClosed", err)
	}
	same, err := svc.UpdateGoal(ctx, p.ID, g.ID, "UA", stored.Rev, partnership.GoalUpdate{Stage: stored.Stage, Status: stored.Status})
	if err != nil || same.Rev != stored.Rev {
		t.Errorf("an update that changes nothing = rev %d, %v; want rev %d", same.Rev, err, stored.Rev)
	}
	reopened, err := svc.UpdateGoal(ctx, p.ID, g.ID, "UA", stored.Rev, partnership.GoalUpdate{Stage: partnership.StageLater, Status: partnership.GoalOnTrack, Note: "again next year"})
	if err != nil || reopened.Stage != partnership.StageLater || !reopened.Open() || len(reopened.History) != n+2 || reopened.History[n].Note != "again next year" {
		t.Errorf("reopen and move = %+v, %v", reopened, err)
	}
	// Bad input is refused: no title, an owner outside the pair, a stage
	// or status that is not one.
	for name, d := range map[string]partnership.GoalDraft{
		"no title":       draft("   ", partnership.StageNow, "UA"),
		"stranger owner": draft("x", partnership.StageNow, "UX"),
		"no stage":       draft("x", "", "UA"),
	} {
		if _, err := svc.AddGoal(ctx, p.ID, "UA", d); err == nil {
			t.Errorf("AddGoal with %s succeeded", name)
		}
	}
	if _, err := svc.SetGoalStatus(ctx, p.ID, g.ID, "UA", "finished", ""); !errors.Is(err, partnership.ErrBadInput) {
		t.Errorf("an unknown status = %v, want ErrBadInput", err)
	}
	if _, err := svc.MoveGoal(ctx, p.ID, "gnope", "UA", partnership.StageNow, ""); !errors.Is(err, partnership.ErrGoalNotFound) {
		t.Errorf("an unknown goal = %v, want ErrGoalNotFound", err)
	}
	long := strings.Repeat("é", 2*partnership.MaxGoalTitle)
	if g, _ := svc.AddGoal(ctx, p.ID, "UA", partnership.GoalDraft{Title: long, Serves: long + long, Stage: partnership.StageLater, Owner: "UE"}); len([]rune(g.Title)) != partnership.MaxGoalTitle || len([]rune(g.Serves)) != partnership.MaxGoalServes {
		t.Errorf("long title and serves kept %d and %d runes", len([]rune(g.Title)), len([]rune(g.Serves)))
	}
}

// A third user can do nothing with a pair's roadmap, and nothing changes.
func TestRoadmapThirdUserRefused(t *testing.T) {
	svc, _, st := newServiceStore(t)
	ctx := context.Background()
	p := pairUp(t, svc, "UA", "UE")
	g := mustGoal(t, svc, p, "UA", "the offsite", partnership.StageNow)
	if _, err := svc.LogWin(ctx, p.ID, "UA", partnership.WinDraft{Text: "booked it"}); err != nil {
		t.Fatal(err)
	}
	goalsBefore, revBefore, _ := st.Roadmap(ctx, p.ID)
	winsBefore, _ := st.Wins(ctx, p.ID, time.Time{})
	x := "UX"
	checks := map[string]error{}
	_, checks["Roadmap"] = svc.Roadmap(ctx, p.ID, x)
	_, checks["Goal"] = svc.Goal(ctx, p.ID, g.ID, x)
	_, checks["AddGoal"] = svc.AddGoal(ctx, p.ID, x, draft("mine", partnership.StageNext, "UA"))
	_, checks["EditGoal"] = svc.EditGoal(ctx, p.ID, g.ID, x, g.Rev, draft("forged", partnership.StageNow, "UA"))
	_, checks["UpdateGoal"] = svc.UpdateGoal(ctx, p.ID, g.ID, x, g.Rev, partnership.GoalUpdate{Stage: partnership.StageLater, Status: partnership.GoalDropped})
	_, checks["MoveGoal"] = svc.MoveGoal(ctx, p.ID, g.ID, x, partnership.StageLater, "")
	_, checks["SetGoalStatus"] = svc.SetGoalStatus(ctx, p.ID, g.ID, x, partnership.GoalDone, "")
	_, checks["AddGoalNote"] = svc.AddGoalNote(ctx, p.ID, g.ID, x, "hello")
	_, checks["Ideas"] = svc.Ideas(ctx, p.ID, x)
	_, _, checks["GoalFromWish"] = svc.GoalFromWish(ctx, p.ID, "w1", x)
	_, _, checks["GoalFromDoMore"] = svc.GoalFromDoMore(ctx, p.ID, x, 1, "00000000")
	_, checks["LogWin"] = svc.LogWin(ctx, p.ID, x, partnership.WinDraft{Text: "mine"})
	_, _, checks["TieWin"] = svc.TieWin(ctx, p.ID, "n1", x, g.ID)
	_, checks["WinsSince"] = svc.WinsSince(ctx, p.ID, x, time.Time{})
	for name, err := range checks {
		if !errors.Is(err, partnership.ErrNotMember) {
			t.Errorf("%s by a third user: %v, want ErrNotMember", name, err)
		}
	}
	goalsAfter, revAfter, _ := st.Roadmap(ctx, p.ID)
	winsAfter, _ := st.Wins(ctx, p.ID, time.Time{})
	if revAfter != revBefore || !reflect.DeepEqual(goalsAfter, goalsBefore) || !reflect.DeepEqual(winsAfter, winsBefore) {
		t.Errorf("the third user changed the roadmap: rev %d → %d", revBefore, revAfter)
	}
}

// Two edits never lose one silently: a form saved over a change made since
// it opened is refused; two changes racing both land, or one is refused,
// and Now never holds four.
func TestGoalConcurrency(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	p := pairUp(t, svc, "UA", "UE")
	g := mustGoal(t, svc, p, "UA", "the offsite", partnership.StageNext)
	if _, err := svc.EditGoal(ctx, p.ID, g.ID, "UE", g.Rev, draft("the spring offsite", partnership.StageNext, "UA")); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.EditGoal(ctx, p.ID, g.ID, "UA", g.Rev, draft("the autumn offsite", partnership.StageNext, "UA")); !errors.Is(err, partnership.ErrConflict) {
		t.Errorf("an edit from a stale form = %v, want ErrConflict", err)
	}
	if cur, _ := svc.Goal(ctx, p.ID, g.ID, "UA"); cur.Title != "the spring offsite" {
		t.Errorf("title = %q, want the first edit's", cur.Title)
	}

	// Notes on different goals, at once: every one is kept.
	var goals []partnership.Goal
	for _, title := range []string{"a", "b", "c", "d"} {
		goals = append(goals, mustGoal(t, svc, p, "UE", title, partnership.StageLater))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2*len(goals))
	for _, g := range goals {
		for _, by := range []string{"UA", "UE"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := svc.AddGoalNote(ctx, p.ID, g.ID, by, "note by "+by)
				errs <- err
			}()
		}
	}
	wg.Wait()
	close(errs)
	failed := 0
	for err := range errs {
		if err != nil {
			if !errors.Is(err, partnership.ErrConflict) {
				t.Fatalf("a racing note: %v", err)
			}
			failed++ // told to try again: not lost silently
		}
	}
	r, _ := svc.Roadmap(ctx, p.ID, "UA")
	kept := 0
	for _, g := range r.Goals {
		kept += len(g.Notes())
	}
	if kept+failed != 2*len(goals) {
		t.Errorf("%d notes kept and %d refused of %d: some were lost", kept, failed, 2*len(goals))
	}

	// Ten goals racing into a Now that has room for one.
	mustGoal(t, svc, p, "UA", "now 1", partnership.StageNow)
	mustGoal(t, svc, p, "UA", "now 2", partnership.StageNow)
	var landed sync.WaitGroup
	for i := range 10 {
		landed.Add(1)
		go func() {
			defer landed.Done()
			_, _ = svc.AddGoal(ctx, p.ID, "UA", draft("racer "+string(rune('a'+i)), partnership.StageNow, "UA"))
		}()
	}
	landed.Wait()
	r, _ = svc.Roadmap(ctx, p.ID, "UA")
	if n := len(r.Column(partnership.StageNow)); n != partnership.MaxNow {
		t.Errorf("Now holds %d goals after a race, want %d: %v", n, partnership.MaxNow, titles(r.Column(partnership.StageNow)))
	}
}

// A "do more of" line or an acknowledged wish becomes a goal with one
// button, once.
func TestGoalsFromIdeas(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	p := pairUp(t, svc, "UA", "UE")
	ns := partnership.NextSteps{PairID: p.ID, UserID: "UA", DoMore: partnership.List{"", "say no for you", ""}, Wishes: partnership.List{"weekly 1:1", "share goals"},
		Send: [partnership.ListSize]bool{true, true}}
	saved, err := svc.SaveNextSteps(ctx, ns)
	fresh := saved.Fresh
	if err != nil || len(fresh) != 2 {
		t.Fatal(err)
	}
	ideas, err := svc.Ideas(ctx, p.ID, "UA")
	if err != nil || len(ideas) != 1 || ideas[0].DoMore != 2 || ideas[0].Text != "say no for you" {
		t.Fatalf("Ideas before any wish is acknowledged = %+v, %v", ideas, err)
	}
	g, created, err := svc.GoalFromIdea(ctx, "UA", ideas[0])
	if err != nil || !created || g.Title != "say no for you" || g.Stage != partnership.StageNext || g.Owner != "UA" || g.Source.Kind != partnership.FromDoMore {
		t.Fatalf("goal from a line = %+v, %v, %v", g, created, err)
	}
	if again, created, err := svc.GoalFromIdea(ctx, "UA", ideas[0]); err != nil || created || again.ID != g.ID {
		t.Errorf("the same line again = %+v, created %v, %v; want the same goal", again, created, err)
	}
	// A button made for a line that changed since makes nothing.
	ns.DoMore[1] = "take over expenses"
	if _, err := svc.SaveNextSteps(ctx, ns); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.GoalFromIdea(ctx, "UA", ideas[0]); !errors.Is(err, partnership.ErrLineChanged) {
		t.Errorf("a changed line = %v, want ErrLineChanged", err)
	}
	if _, _, err := svc.GoalFromDoMore(ctx, p.ID, "UA", 7, ideas[0].Check); !errors.Is(err, partnership.ErrLineChanged) {
		t.Errorf("line 7 = %v, want ErrLineChanged", err)
	}
	// A wish becomes a goal once acknowledged, owned by its addressee.
	if _, _, err := svc.GoalFromWish(ctx, p.ID, fresh[0].ID, "UA"); !errors.Is(err, partnership.ErrNotAcknowledged) {
		t.Errorf("an open wish = %v, want ErrNotAcknowledged", err)
	}
	if _, err := svc.MoveWish(ctx, p.ID, fresh[0].ID, "UE", partnership.WishAcknowledged, ""); err != nil {
		t.Fatal(err)
	}
	ideas, _ = svc.Ideas(ctx, p.ID, "UE")
	if len(ideas) != 1 || ideas[0].WishID != fresh[0].ID {
		t.Fatalf("the executive's ideas = %+v, want the acknowledged wish", ideas)
	}
	w, created, err := svc.GoalFromIdea(ctx, "UE", ideas[0])
	if err != nil || !created || w.Title != "weekly 1:1" || w.Owner != "UE" || w.CreatedBy != "UE" || w.Source != (partnership.GoalSource{Kind: partnership.FromWish, Ref: fresh[0].ID}) {
		t.Errorf("goal from a wish = %+v, %v, %v", w, created, err)
	}
	if ideas, _ := svc.Ideas(ctx, p.ID, "UA"); len(ideas) != 1 || ideas[0].Text != "take over expenses" {
		t.Errorf("ideas once made goals = %+v, want only the new line", ideas)
	}
	if _, _, err := svc.GoalFromWish(ctx, p.ID, "wnope", "UA"); !errors.Is(err, partnership.ErrWishNotFound) {
		t.Errorf("an unknown wish = %v", err)
	}
}

func TestWins(t *testing.T) {
	svc, clk := newService(t)
	ctx := context.Background()
	p := pairUp(t, svc, "UA", "UE")
	g := mustGoal(t, svc, p, "UA", "the offsite", partnership.StageNow)
	for _, tt := range []struct {
		name    string
		by      string
		d       partnership.WinDraft
		wantErr error
	}{
		{"typed, other", "UA", partnership.WinDraft{Text: "  fixed the travel policy "}, nil},
		{"tied to a goal", "UA", partnership.WinDraft{Text: "booked the venue", GoalID: g.ID}, nil},
		{"the longest", "UA", partnership.WinDraft{Text: strings.Repeat("é", partnership.MaxWinLen)}, nil},
		{"one too long", "UA", partnership.WinDraft{Text: strings.Repeat("é", partnership.MaxWinLen+1)}, partnership.ErrWinTooLong},
		{"empty", "UA", partnership.WinDraft{Text: " \n "}, partnership.ErrWinEmpty},
		{"by the executive", "UE", partnership.WinDraft{Text: "great job"}, partnership.ErrNotAssistant},
		{"to an unknown goal", "UA", partnership.WinDraft{Text: "x", GoalID: "gnope"}, partnership.ErrGoalNotFound},
	} {
		clk.Add(time.Minute)
		w, err := svc.LogWin(ctx, p.ID, tt.by, tt.d)
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.wantErr)
			continue
		}
		if err == nil && (w.By != tt.by || w.PairID != p.ID || w.GoalID != tt.d.GoalID || w.Text != strings.TrimSpace(tt.d.Text) || !w.At.Equal(clk.Now())) {
			t.Errorf("%s: win = %+v", tt.name, w)
		}
	}
	ws, err := svc.WinsSince(ctx, p.ID, "UE", time.Time{})
	if err != nil || len(ws) != 3 {
		t.Fatalf("WinsSince = %d wins, %v; want 3", len(ws), err)
	}
	// A retried submission stores one win.
	src := partnership.WinSource{Channel: "C1", TS: "1.2", Link: "https://x.slack.com/archives/C1/p12"}
	a, _ := svc.LogWin(ctx, p.ID, "UA", partnership.WinDraft{Text: "from a message", Source: src, Key: "V123"})
	b, err := svc.LogWin(ctx, p.ID, "UA", partnership.WinDraft{Text: "from a message", Source: src, Key: "V123"})
	if err != nil || a != b {
		t.Errorf("a retried win = %+v, %v; want %+v", b, err, a)
	}
	if ws, _ := svc.WinsSince(ctx, p.ID, "UA", a.At); len(ws) != 1 || ws[0].Source != src {
		t.Errorf("wins since the retry = %+v", ws)
	}
	// Tied to a goal afterwards.
	tied, goal, err := svc.TieWin(ctx, p.ID, ws[0].ID, "UA", g.ID)
	if err != nil || tied.GoalID != g.ID || goal.ID != g.ID {
		t.Errorf("TieWin = %+v, %+v, %v", tied, goal, err)
	}
	if _, _, err := svc.TieWin(ctx, p.ID, ws[0].ID, "UE", ""); !errors.Is(err, partnership.ErrNotAssistant) {
		t.Errorf("the executive tied a win: %v", err)
	}
	if _, _, err := svc.TieWin(ctx, p.ID, "nnope", "UA", ""); !errors.Is(err, partnership.ErrWinNotFound) {
		t.Errorf("an unknown win: %v", err)
	}
}

func TestCleanWinText(t *testing.T) {
	for _, tt := range []struct {
		in      string
		want    string
		n       int
		wantErr error
	}{
		{" booked it \n", "booked it", 9, nil},
		{"", "", 0, partnership.ErrWinEmpty},
		{strings.Repeat("a", 3000), strings.Repeat("a", 3000), 3000, nil},
		{strings.Repeat("👍", 3001), "", 3001, partnership.ErrWinTooLong},
	} {
		got, n, err := partnership.CleanWinText(tt.in)
		if got != tt.want || n != tt.n || !errors.Is(err, tt.wantErr) {
			t.Errorf("CleanWinText(%.10q) = %.10q, %d, %v; want %.10q, %d, %v", tt.in, got, n, err, tt.want, tt.n, tt.wantErr)
		}
	}
}

// The summary tells how the roadmap moved since the last one.
func TestSummaryProgress(t *testing.T) {
	svc, clk := newService(t)
	ctx := context.Background()
	p := pairUp(t, svc, "UA", "UE")
	offsite := mustGoal(t, svc, p, "UA", "the offsite", partnership.StageNext)
	budget := mustGoal(t, svc, p, "UE", "the budget", partnership.StageNow)
	travel := mustGoal(t, svc, p, "UA", "travel policy", partnership.StageNow)
	first, err := svc.Summary(ctx, p.ID, "UA")
	if err != nil || len(first.Progress.Added) != 3 || first.Progress.Open != 3 || len(first.Progress.Now) != 2 {
		t.Fatalf("first summary progress = %+v, %v", first.Progress, err)
	}
	clk.Add(time.Hour)
	svc.MoveGoal(ctx, p.ID, offsite.ID, "UE", partnership.StageNow, "")
	svc.SetGoalStatus(ctx, p.ID, budget.ID, "UE", partnership.GoalStuck, "waiting on finance")
	svc.SetGoalStatus(ctx, p.ID, travel.ID, "UA", partnership.GoalDone, "")
	svc.LogWin(ctx, p.ID, "UA", partnership.WinDraft{Text: "booked the venue", GoalID: offsite.ID})
	svc.LogWin(ctx, p.ID, "UA", partnership.WinDraft{Text: "cleared the inbox"})
	svc.LogWin(ctx, p.ID, "UA", partnership.WinDraft{Text: "caterer signed", GoalID: offsite.ID})
	clk.Add(time.Hour)
	sum, err := svc.Summary(ctx, p.ID, "UE")
	if err != nil {
		t.Fatal(err)
	}
	pr := sum.Progress
	if len(pr.Added) != 0 || len(pr.Moved) != 1 || pr.Moved[0].Goal.ID != offsite.ID || pr.Moved[0].From != partnership.StageNext || pr.Moved[0].To != partnership.StageNow {
		t.Errorf("moved = %+v, added %+v", pr.Moved, pr.Added)
	}
	if len(pr.Stuck) != 1 || pr.Stuck[0].ID != budget.ID || len(pr.Done) != 1 || pr.Done[0].ID != travel.ID || len(pr.Wins) != 3 {
		t.Errorf("stuck %v, done %v, %d wins", titles(pr.Stuck), titles(pr.Done), len(pr.Wins))
	}
	if len(pr.ByGoal) != 2 || pr.ByGoal[0].Goal.ID != offsite.ID || len(pr.ByGoal[0].Wins) != 2 || !pr.ByGoal[1].Other || len(pr.ByGoal[1].Wins) != 1 {
		t.Errorf("wins by goal = %+v", pr.ByGoal)
	}
	if !pr.Since.Equal(first.At) {
		t.Errorf("progress since %v, want the last summary's %v", pr.Since, first.At)
	}
	// The next summary starts after this one: only what is new, and the
	// goal still stuck.
	clk.Add(time.Hour)
	next, _ := svc.Summary(ctx, p.ID, "UA")
	if len(next.Progress.Wins)+len(next.Progress.Moved)+len(next.Progress.Done) != 0 || len(next.Progress.Stuck) != 1 {
		t.Errorf("the following summary = %+v", next.Progress)
	}
	// The check-ins' view of the same.
	pg, err := svc.Progress(ctx, p, first.At)
	if err != nil || len(pg.Wins) != 3 || len(pg.Now) != 2 {
		t.Errorf("Progress since the first summary = %+v, %v", pg, err)
	}
}

func TestNewProgressIgnoresOtherPairs(t *testing.T) {
	p := partnership.Pair{ID: "UA-UE", Assistant: "UA", Executive: "UE"}
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	mine := partnership.Goal{ID: "g1", PairID: p.ID, Stage: partnership.StageNow, Status: partnership.GoalOnTrack, CreatedAt: at}
	theirs := partnership.Goal{ID: "g2", PairID: "UA-UF", Stage: partnership.StageNow, Status: partnership.GoalStuck, CreatedAt: at}
	wins := []partnership.Win{
		{ID: "n1", PairID: p.ID, GoalID: "g2", At: at}, // tied to a goal of another pair: other
		{ID: "n2", PairID: "UA-UF", GoalID: "g2", At: at},
		{ID: "n3", PairID: p.ID, At: at.Add(-2 * time.Hour)}, // before since
	}
	pr := partnership.NewProgress(p, []partnership.Goal{mine, theirs}, wins, at.Add(-time.Hour), at)
	if pr.Open != 1 || len(pr.Now) != 1 || len(pr.Stuck) != 0 || len(pr.Wins) != 1 || len(pr.ByGoal) != 1 || !pr.ByGoal[0].Other {
		t.Errorf("progress = %+v", pr)
	}
	if (partnership.Progress{}).Empty() != true || pr.Empty() {
		t.Error("Empty is wrong")
	}
}

func TestQuarters(t *testing.T) {
	for _, tt := range []struct{ at, want string }{
		{"2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"},
		{"2026-03-31T23:59:59Z", "2026-01-01T00:00:00Z"},
		{"2026-04-01T00:00:00Z", "2026-04-01T00:00:00Z"},
		{"2026-11-15T12:00:00Z", "2026-10-01T00:00:00Z"},
	} {
		at, _ := time.Parse(time.RFC3339, tt.at)
		if got := partnership.QuarterStart(at).Format(time.RFC3339); got != tt.want {
			t.Errorf("QuarterStart(%s) = %s, want %s", tt.at, got, tt.want)
		}
	}
	q := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	done := func(at time.Time) partnership.Goal {
		return partnership.Goal{Status: partnership.GoalDone, History: []partnership.GoalEvent{{At: at, Change: partnership.ChangeStatus, To: "done"}}}
	}
	goals := []partnership.Goal{done(q.Add(-time.Second)), done(q), done(q.Add(48 * time.Hour)), {Status: partnership.GoalOnTrack}}
	if n := partnership.DoneSince(goals, q); n != 2 {
		t.Errorf("DoneSince = %d, want 2", n)
	}
}

func TestParseDate(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want partnership.Date
		ok   bool
	}{
		{"", partnership.Date{}, true},
		{"2026-12-28", partnership.Date{Year: 2026, Month: time.December, Day: 28}, true},
		{"2026-02-30", partnership.Date{}, false},
		{"28/12/2026", partnership.Date{}, false},
	} {
		got, err := partnership.ParseDate(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("ParseDate(%q) = %v, %v", tt.in, got, err)
		}
		if err == nil && got.String() != tt.in {
			t.Errorf("ParseDate(%q).String() = %q", tt.in, got.String())
		}
	}
	if d := (partnership.Date{Year: 2026, Month: time.December, Day: 28}); d.Midday().Format(time.RFC3339) != "2026-12-28T12:00:00Z" {
		t.Errorf("Midday = %v", d.Midday())
	}
}

// Export covers the roadmap and wins; when a pair ends, each member keeps
// the wins they logged and the goals they own, with nothing the partner
// wrote and nothing that names them.
func TestRoadmapExportAndFormer(t *testing.T) {
	svc, clk := newService(t)
	ctx := context.Background()
	p := pairUp(t, svc, "UA", "UE")
	// A's goal, titled by A, moved by E with E's note; E's goal for A,
	// titled by E; E's own goal.
	own, _ := svc.AddGoal(ctx, p.ID, "UA", partnership.GoalDraft{Title: "AMARK the offsite", Serves: "AMARK grow", Stage: partnership.StageNext, Owner: "UA"})
	clk.Add(time.Hour)
	svc.MoveGoal(ctx, p.ID, own.ID, "UE", partnership.StageNow, "EMARK before May")
	svc.AddGoalNote(ctx, p.ID, own.ID, "UA", "AMARK venue booked")
	given, _ := svc.AddGoal(ctx, p.ID, "UE", partnership.GoalDraft{Title: "EMARK run the board pack", Serves: "EMARK the board", Stage: partnership.StageLater, Owner: "UA"})
	svc.AddGoal(ctx, p.ID, "UE", partnership.GoalDraft{Title: "EMARK my own", Stage: partnership.StageLater, Owner: "UE"})
	svc.LogWin(ctx, p.ID, "UA", partnership.WinDraft{Text: "AMARK booked the venue", GoalID: own.ID})
	// Check-ins: A's reflection unshared with a plan change; E's shared.
	round := clk.Now()
	if _, err := svc.SaveReflection(ctx, partnership.Reflection{Pair: p.ID, User: "UA", Round: round, Text: "AMARK private words", PlanChange: "AMARK less travel"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SaveReflection(ctx, partnership.Reflection{Pair: p.ID, User: "UE", Round: round, Text: "EMARK shared words", Shared: true}); err != nil {
		t.Fatal(err)
	}

	ex, err := svc.Export(ctx, "UE")
	if err != nil || len(ex.Goals) != 3 || len(ex.Wins) != 1 || ex.Goals[0].Title != "AMARK the offsite" || len(ex.Goals[0].History) != 3 {
		t.Fatalf("the executive's export = %+v, %v", ex, err)
	}
	js, _ := json.Marshal(ex)
	for _, want := range []string{`"goals":[`, `"wins":[`, `"created_by":"UA"`, `"change":"stage"`, `"note":"EMARK before May"`,
		`"reflection":"EMARK shared words"`, `"plan_change":"AMARK less travel"`} {
		if !strings.Contains(string(js), want) {
			t.Errorf("export lacks %s:\n%s", want, js)
		}
	}
	if strings.Contains(string(js), "AMARK private words") {
		t.Errorf("the executive's export holds the assistant's unshared reflection:\n%s", js)
	}
	if exA, _ := svc.Export(ctx, "UA"); len(exA.CheckIns) != 2 || exA.CheckIns[0].Reflection != "AMARK private words" || exA.CheckIns[1].Reflection != "EMARK shared words" {
		t.Errorf("the assistant's check-ins exported = %+v", exA.CheckIns)
	}

	d, _, err := svc.DeleteUser(ctx, "UE")
	if err != nil || d.Goals != 3 || d.Wins != 0 {
		t.Fatalf("DeleteUser = %+v, %v; want 3 goals and none of E's wins", d, err)
	}
	exA, err := svc.Export(ctx, "UA")
	if err != nil || len(exA.Former) != 1 || len(exA.Goals) != 0 {
		t.Fatalf("the assistant's export after = %+v, %v", exA, err)
	}
	f := exA.Former[0]
	if len(f.Goals) != 2 || len(f.Wins) != 1 || f.Wins[0].Goal != own.ID || f.Wins[0].Pair != "" {
		t.Fatalf("the assistant keeps %d goals and %+v", len(f.Goals), f.Wins)
	}
	if len(f.CheckIns) != 1 || f.CheckIns[0].Reflection != "AMARK private words" || f.CheckIns[0].PlanChange != "AMARK less travel" ||
		f.CheckIns[0].Pair != "" || !f.CheckIns[0].Round.Equal(round) {
		t.Errorf("the assistant keeps check-ins %+v, want their own, naming no pair", f.CheckIns)
	}
	kept := map[string]partnership.ExportGoal{}
	for _, g := range f.Goals {
		kept[g.ID] = g
	}
	if g := kept[own.ID]; g.Title != "AMARK the offsite" || g.Serves != "AMARK grow" || g.Stage != "now" || len(g.History) != 3 ||
		g.History[1].By != "" || g.History[1].Note != "" || g.History[1].To != "now" || g.History[2].Note != "AMARK venue booked" {
		t.Errorf("the assistant's own goal kept = %+v", g)
	}
	if g := kept[given.ID]; g.Title != "" || g.Serves != "" || g.CreatedBy != "" || g.Owner != "UA" || g.Stage != "later" {
		t.Errorf("the goal the executive named kept = %+v, want no words of theirs", g)
	}
	if js, _ := json.Marshal(f); strings.Contains(string(js), "UE") || strings.Contains(string(js), "EMARK") {
		t.Errorf("the former partnership names the executive or holds their words:\n%s", js)
	}
}

// The channel scorecard counts the goals done this quarter; the team
// scorecard reads none of it.
func TestScorecardCountsGoalsDone(t *testing.T) {
	svc, clk := newService(t)
	ctx := context.Background()
	p := pairUp(t, svc, "UA", "UE")
	for _, title := range []string{"one", "two", "three"} {
		g := mustGoal(t, svc, p, "UA", title, partnership.StageNext)
		if title != "three" {
			svc.SetGoalStatus(ctx, p.ID, g.ID, "UE", partnership.GoalDone, "")
		}
	}
	svc.RequestScorecard(ctx, p.ID, "UA", "CTEAM")
	ans, err := svc.AnswerScorecard(ctx, p.ID, "UE", "CTEAM", true)
	if err != nil || ans.Card.GoalsDone != 2 || !ans.Card.CharterAgreed.IsZero() {
		t.Fatalf("card = %+v, %v; want 2 goals done, no charter", ans.Card, err)
	}
	// A charter drafted is not agreed; once both accept, the card says when.
	if _, err := svc.DraftCharter(ctx, p.ID, "UA", 0, terms("Tell me the priorities on Monday")); err != nil {
		t.Fatal(err)
	}
	if ask, _ := svc.RequestScorecard(ctx, p.ID, "UA", "CTEAM"); !ask.Card.CharterAgreed.IsZero() {
		t.Errorf("a draft shows as agreed: %+v", ask.Card)
	}
	clk.Add(time.Hour)
	if _, err := svc.AcceptCharter(ctx, p.ID, "UE", 1); err != nil {
		t.Fatal(err)
	}
	if ask, _ := svc.RequestScorecard(ctx, p.ID, "UA", "CTEAM"); !ask.Card.CharterAgreed.Equal(clk.Now()) {
		t.Errorf("card = %+v, want the charter agreed at %v", ask.Card, clk.Now())
	}
	clk.Add(92 * 24 * time.Hour) // the next quarter
	if ask, _ := svc.RequestScorecard(ctx, p.ID, "UA", "CTEAM"); !ask.Ready || ask.Card.GoalsDone != 0 {
		t.Errorf("next quarter's card = %+v, want none done", ask.Card)
	}
}
