package partnership

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
)

var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func TestParsePairID(t *testing.T) {
	tests := []struct {
		in      string
		wantErr bool
	}{
		{"UA1-UE2", false},
		{"W123-U9", false},
		{"UA1", true},
		{"UA1-", true},
		{"ua1-ue2", true},
		{"UA1-UE2-UX3", true},
		{"CA1-UE2", true},
		{"UA1-UE2\n", true},
		{"", true},
	}
	for _, tt := range tests {
		_, _, _, err := ParsePairID(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParsePairID(%q) err = %v, want error %v", tt.in, err, tt.wantErr)
		}
	}
}

func TestCheckPairing(t *testing.T) {
	tests := []struct {
		name string
		exec Person
		want error
	}{
		{"ok", Person{ID: "UE"}, nil},
		{"self", Person{ID: "UA"}, ErrSelf},
		{"bot", Person{ID: "UB", IsBot: true}, ErrBotUser},
		{"deleted", Person{ID: "UD", Deleted: true}, ErrDeletedUser},
		{"not a user", Person{ID: "C123"}, ErrBadID},
	}
	for _, tt := range tests {
		if got := CheckPairing("UA", tt.exec); !errors.Is(got, tt.want) {
			t.Errorf("%s: CheckPairing = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestWishMoves(t *testing.T) {
	w := Wish{ID: "w1", From: "UA", To: "UE", Status: WishOpen, CreatedAt: t0}
	tests := []struct {
		from WishStatus
		by   string
		to   WishStatus
		want error
	}{
		{WishOpen, "UE", WishAcknowledged, nil},
		{WishOpen, "UE", WishDone, nil},
		{WishOpen, "UE", WishDeclined, nil},
		{WishAcknowledged, "UE", WishDone, nil},
		{WishAcknowledged, "UE", WishDeclined, nil},
		{WishAcknowledged, "UE", WishOpen, ErrTransition},
		{WishDone, "UE", WishAcknowledged, ErrTransition},
		{WishDeclined, "UE", WishDone, ErrTransition},
		{WishOpen, "UE", "bogus", ErrTransition},
		{WishOpen, "UA", WishDone, ErrNotAddressee},
		{WishOpen, "UX", WishDone, ErrNotAddressee},
	}
	for _, tt := range tests {
		w.Status = tt.from
		got, err := w.Move(tt.by, tt.to, " a note ", t0.Add(time.Hour))
		if !errors.Is(err, tt.want) {
			t.Errorf("%s -(%s)-> %s: err %v, want %v", tt.from, tt.by, tt.to, err, tt.want)
			continue
		}
		if err != nil {
			if !reflect.DeepEqual(got, w) {
				t.Errorf("a refused move changed the wish: %+v", got)
			}
			continue
		}
		if got.Status != tt.to || len(got.History) != 1 || got.History[0] != (WishEvent{At: t0.Add(time.Hour), By: tt.by, From: tt.from, To: tt.to, Note: "a note"}) {
			t.Errorf("%s -> %s = %+v", tt.from, tt.to, got)
		}
		if (got.Note == "a note") != (tt.to == WishDeclined) {
			t.Errorf("note kept = %q for %s", got.Note, tt.to)
		}
		if len(w.History) != 0 {
			t.Error("Move changed the original's history")
		}
	}
}

func TestWishAge(t *testing.T) {
	w := Wish{CreatedAt: t0}
	for _, tt := range []struct {
		now  time.Time
		want int
	}{{t0, 0}, {t0.Add(23 * time.Hour), 0}, {t0.Add(49 * time.Hour), 2}, {t0.Add(-time.Hour), 0}} {
		if got := w.AgeDays(tt.now); got != tt.want {
			t.Errorf("AgeDays(%v) = %d, want %d", tt.now, got, tt.want)
		}
	}
}

// Lists saved before lines kept their wish link each line to the author's
// wish with its text, so that saving them again unchanged sends nothing,
// whatever those wishes' status.
func TestWishLinksOfOlderLists(t *testing.T) {
	mine := []Wish{
		{ID: "wdone", Text: "Weekly  1:1", Status: WishDone, CreatedAt: t0},
		{ID: "wopen", Text: "weekly 1:1", Status: WishOpen, CreatedAt: t0.Add(-time.Hour)},
		{ID: "wgoals", Text: "Share goals", Status: WishDeclined, CreatedAt: t0},
	}
	old := NextSteps{Wishes: List{"weekly 1:1", "", "share goals"}}
	if got, want := wishLinks(old, mine), [ListSize]string{"wopen", "", "wgoals"}; got != want {
		t.Errorf("wishLinks = %q, want %q (open first, then newest)", got, want)
	}
	saved := NextSteps{Wishes: List{"x", "y", ""}, WishIDs: [ListSize]string{"w1", "", ""}}
	if got := wishLinks(saved, mine); got != saved.WishIDs {
		t.Errorf("wishLinks of a list that kept its links = %q, want them as they are", got)
	}
	// The plan for the older list, saved again as it was, sending all.
	ns := old
	ns.Send = [ListSize]bool{true, true, true}
	for i, step := range planWishes(ns, wishLinks(old, mine), mine) {
		if step.send || step.edit != nil {
			t.Errorf("line %d of an unchanged older list: %+v, want nothing sent or edited", i+1, step)
		}
	}
}

func TestListClean(t *testing.T) {
	long := make([]rune, MaxItemLen+50)
	for i := range long {
		long[i] = 'é'
	}
	got := List{"  two  spaces ", "\tline\nbreak", string(long)}.Clean()
	if got[0] != "two spaces" || got[1] != "line break" || len([]rune(got[2])) != MaxItemLen {
		t.Errorf("Clean = %q", got)
	}
}

func res(id, user, pair, answers string, shared bool, at time.Time) assessment.Result {
	a, err := assessment.ParseAnswers(answers)
	if err != nil {
		panic(err)
	}
	return assessment.Result{ID: id, UserID: user, PairID: pair, Answers: a, Shared: shared, TakenAt: at}
}

func TestNewSummary(t *testing.T) {
	p := Pair{ID: NewPairID("UA", "UE"), Assistant: "UA", Executive: "UE"}
	other := NewPairID("UA", "UF")
	results := []assessment.Result{
		res("a1", "UA", string(p.ID), "YYYYYYNNNN", true, t0),
		res("e1", "UE", string(p.ID), "YYYYYYYNYN", true, t0.Add(time.Hour)), // the same facts: 8 and 9 cross over
		res("a2", "UA", string(p.ID), "YYYYYYYYNN", true, t0.Add(48*time.Hour)),
		res("x1", "UA", string(other), "NNNNNNNNNN", true, t0.Add(72*time.Hour)), // another pair
		res("s1", "UA", "", "NNNNNNNNNN", true, t0.Add(72*time.Hour)),            // solo
		res("z1", "UZ", string(p.ID), "NNNNNNNNNN", true, t0.Add(72*time.Hour)),  // not a member
	}
	wishes := []Wish{
		{ID: "w2", PairID: p.ID, From: "UA", To: "UE", Status: WishOpen, CreatedAt: t0.Add(time.Hour)},
		{ID: "w1", PairID: p.ID, From: "UE", To: "UA", Status: WishAcknowledged, CreatedAt: t0},
		{ID: "w3", PairID: p.ID, From: "UA", To: "UE", Status: WishDone, CreatedAt: t0},
		{ID: "w4", PairID: other, From: "UA", To: "UF", Status: WishOpen, CreatedAt: t0},
	}
	s := NewSummary(p, results, wishes, t0.Add(73*time.Hour))
	if got := s.Assistant.Trend(); !reflect.DeepEqual(got, []int{6, 8}) {
		t.Errorf("assistant trend = %v, want [6 8] (other pairs and solo results left out)", got)
	}
	if got := s.Executive.Trend(); !reflect.DeepEqual(got, []int{8}) {
		t.Errorf("executive trend = %v, want [8]", got)
	}
	if prev, ok := s.Assistant.Previous(); !ok || !prev.At.Equal(t0) || prev.Score != 6 {
		t.Errorf("assistant previous = %+v", prev)
	}
	if !s.Compared || len(s.Differences) != 0 {
		t.Errorf("differences = %v, compared %v; want none, compared", s.Differences, s.Compared)
	}
	if len(s.OpenWishes) != 2 || s.OpenWishes[0].ID != "w1" || s.OpenWishes[1].ID != "w2" {
		t.Errorf("open wishes = %+v, want w1, w2", s.OpenWishes)
	}

	// The executive did not share: nothing is compared, not even a count.
	results[1] = res("e1", "UE", string(p.ID), "NYYYYYYNYY", false, t0.Add(time.Hour))
	s = NewSummary(p, results, nil, t0)
	if s.Compared || s.Differences != nil || !s.BothTaken() {
		t.Errorf("unshared: differences %v compared %v; want none, not compared", s.Differences, s.Compared)
	}
	results[1].Shared = true
	s = NewSummary(p, results, nil, t0)
	want := []assessment.Difference{{Fact: assessment.Fact{Assistant: 1, Executive: 1}, Assistant: true, Executive: false},
		{Fact: assessment.Fact{Assistant: 10, Executive: 10}, Assistant: false, Executive: true}}
	if !reflect.DeepEqual(s.Differences, want) {
		t.Errorf("shared differences = %+v, want %+v", s.Differences, want)
	}
}

// What a member sees must not depend on the partner's unshared answers:
// for every pair of answer sets with the same score, unshared, the
// summaries are equal, whether or not the member themselves shared.
func TestSummaryDoesNotDependOnUnsharedAnswers(t *testing.T) {
	p := Pair{ID: NewPairID("UA", "UE"), Assistant: "UA", Executive: "UE"}
	variants := map[int][]string{}
	for bits := range 1 << assessment.NumQuestions {
		var a assessment.Answers
		for i := range a {
			a[i] = bits&(1<<i) != 0
		}
		variants[a.Score()] = append(variants[a.Score()], a.String())
	}
	for _, mine := range []bool{false, true} {
		for score, vs := range variants {
			first := NewSummary(p, []assessment.Result{
				res("a1", "UA", string(p.ID), "YYYNNNYYNN", mine, t0),
				res("e1", "UE", string(p.ID), vs[0], false, t0.Add(time.Hour)),
			}, nil, t0)
			for _, v := range vs[1:] {
				got := NewSummary(p, []assessment.Result{
					res("a1", "UA", string(p.ID), "YYYNNNYYNN", mine, t0),
					res("e1", "UE", string(p.ID), v, false, t0.Add(time.Hour)),
				}, nil, t0)
				if !reflect.DeepEqual(got, first) {
					t.Fatalf("assistant shared %v, executive's unshared %s and %s (both %d/10) give different summaries:\n%+v\n%+v", mine, vs[0], v, score, first, got)
				}
			}
		}
	}
}

func TestSummaryReady(t *testing.T) {
	p := Pair{ID: NewPairID("UA", "UE"), Assistant: "UA", Executive: "UE"}
	only := NewSummary(p, []assessment.Result{res("a1", "UA", string(p.ID), "YYYYYYYYYY", false, t0)}, nil, t0)
	if only.Ready(time.Time{}) {
		t.Error("ready with one member's result")
	}
	both := NewSummary(p, []assessment.Result{
		res("a1", "UA", string(p.ID), "YYYYYYYYYY", false, t0),
		res("e1", "UE", string(p.ID), "YYYYYYYYYY", false, t0.Add(time.Hour)),
	}, nil, t0)
	if !both.Ready(time.Time{}) || !both.Ready(t0.Add(-time.Minute)) {
		t.Error("not ready with both newer than the last summary")
	}
	if both.Ready(t0) {
		t.Error("ready although the assistant's result is not newer than the last summary")
	}
}

// A round's summary shows the check-in answers both may see, and is due
// once both members answered a check-in or took the assessment; an
// unshared reflection changes nothing in it.
func TestBuildSummaryWithCheckins(t *testing.T) {
	p := Pair{ID: NewPairID("UA", "UE"), Assistant: "UA", Executive: "UE"}
	last := t0
	reflect := func(user, text string, shared bool, plan string, at time.Time) Reflection {
		return Reflection{Pair: p.ID, User: user, Round: t0, Prompt: "Respect and trust", Text: text, Shared: shared, PlanChange: plan, At: at}
	}
	build := func(rs ...Reflection) Summary {
		return BuildSummary(p, SummaryData{Reflections: rs}, last, t0.Add(48*time.Hour))
	}
	a := reflect("UA", "we talked it through", true, "", t0.Add(time.Hour))
	if build(a).Ready(last) {
		t.Error("due with one member's check-in")
	}
	e := reflect("UE", "my private words", false, "move the 1:1", t0.Add(2*time.Hour))
	s := build(a, e)
	if !s.Ready(last) {
		t.Error("not due once both checked in")
	}
	if len(s.Reflections) != 2 || s.Reflections[0].Text != "we talked it through" || s.Reflections[1].Text != "" || s.Reflections[1].PlanChange != "move the 1:1" {
		t.Errorf("reflections = %+v; want the shared text and the plan change, not the private text", s.Reflections)
	}
	other := e
	other.Text = "other private words"
	if !reflectDeepEqual(build(a, e), build(a, other)) {
		t.Error("an unshared reflection changed the summary")
	}
	// Answers before the last summary are not news.
	old := reflect("UA", "old", true, "", t0.Add(-time.Hour))
	if got := build(old); len(got.Reflections) != 0 || got.Ready(last) {
		t.Errorf("an answer from before the last summary counts: %+v", got.Reflections)
	}
}

func reflectDeepEqual(a, b Summary) bool { return reflect.DeepEqual(a, b) }
