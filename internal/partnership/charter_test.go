package partnership_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/partnership"
)

func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// terms is a complete charter: one expectation each, a channel, every
// task area answered.
func terms(expect string) partnership.CharterTerms {
	t := partnership.CharterTerms{
		AssistantExpects: []string{expect},
		ExecutiveExpects: []string{"Keep me to my priorities"},
		Channel:          "Slack DM", Cadence: "Monday 1:1",
		Decisions: []partnership.Decision{{Kind: "Travel under $500", Right: partnership.Decide}},
		Goals:     [partnership.NumGoals]string{"Close the Series B"},
	}
	for i := range t.Tasks {
		t.Tasks[i] = partnership.Shared
	}
	t.Tasks[6] = partnership.ExecutiveKeeps // Finances
	return t
}

func TestAddQuarter(t *testing.T) {
	at := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 9, 30, 0, 0, time.UTC) }
	tests := []struct {
		from, want time.Time
	}{
		{at(2026, 1, 15), at(2026, 4, 15)},
		{at(2026, 1, 31), at(2026, 4, 30)},  // April has 30 days
		{at(2026, 11, 30), at(2027, 2, 28)}, // no 30 February, nor 2 March
		{at(2027, 11, 30), at(2028, 2, 29)}, // a leap year
		{at(2027, 11, 29), at(2028, 2, 29)}, // a leap year, the 29th exists
		{at(2026, 11, 29), at(2027, 2, 28)}, // not a leap year
		{at(2028, 2, 29), at(2028, 5, 29)},  // from a leap day
		{at(2026, 12, 31), at(2027, 3, 31)}, // across the year
		{at(2026, 8, 31), at(2026, 11, 30)}, // November has 30 days
		{at(2099, 11, 30), at(2100, 2, 28)}, // 2100 is not a leap year
		{at(2099, 11, 30).In(time.FixedZone("X", 3600)), at(2100, 2, 28).In(time.FixedZone("X", 3600))},
	}
	for _, tt := range tests {
		if got := partnership.AddQuarter(tt.from); !got.Equal(tt.want) || got.Location() != tt.from.Location() {
			t.Errorf("AddQuarter(%v) = %v, want %v", tt.from, got, tt.want)
		}
	}
}

func TestCharterTermsClean(t *testing.T) {
	long := strings.Repeat("é", partnership.MaxCharterLine+50)
	in := partnership.CharterTerms{
		AssistantExpects: []string{"  one  \t two ", "", "3", "4", "5", "6", "7"},
		ExecutiveExpects: []string{long},
		Channel:          strings.Repeat("c", 500), Cadence: " weekly ",
		Goals: [partnership.NumGoals]string{"", " grow ", "hire"},
	}
	for i := range 12 {
		in.Decisions = append(in.Decisions, partnership.Decision{Kind: " kind " + string(rune('a'+i)), Right: partnership.AskFirst})
	}
	in.Decisions = append([]partnership.Decision{{Kind: "   ", Right: partnership.Decide}}, in.Decisions...)
	got := in.Clean()
	if want := []string{"one two", "3", "4", "5", "6"}; strings.Join(got.AssistantExpects, "|") != strings.Join(want, "|") {
		t.Errorf("AssistantExpects = %q, want %q (trimmed, empty dropped, five at most)", got.AssistantExpects, want)
	}
	if n := len([]rune(got.ExecutiveExpects[0])); n != partnership.MaxCharterLine {
		t.Errorf("a long expectation has %d runes, want %d", n, partnership.MaxCharterLine)
	}
	if n := len(got.Channel); n != partnership.MaxCommunication || got.Cadence != "weekly" {
		t.Errorf("channel %d long, cadence %q", n, got.Cadence)
	}
	if len(got.Decisions) != partnership.MaxDecisions || got.Decisions[0].Kind != "kind a" {
		t.Errorf("decisions = %+v, want 8, the blank one dropped", got.Decisions)
	}
	if got.Goals != [partnership.NumGoals]string{"grow", "hire", ""} {
		t.Errorf("goals = %q", got.Goals)
	}
}

func TestCharterMissing(t *testing.T) {
	full := terms("Protect my focus time").Clean()
	noAreas := full
	noAreas.Tasks[2], noAreas.Tasks[8] = "", "bogus"
	noRight := full
	noRight.Decisions = []partnership.Decision{{Kind: "Hiring", Right: ""}}
	noTalk := full
	noTalk.Channel, noTalk.Cadence = "", ""
	oneSided := full
	oneSided.AssistantExpects = nil
	tests := []struct {
		name  string
		terms partnership.CharterTerms
		want  string // "" for complete
	}{
		{"complete", full, ""},
		{"one side's expectations are enough", oneSided, ""},
		{"empty", partnership.CharterTerms{}, "the charter is empty: write what you expect of each other, how you communicate, and who has each of the nine task areas"},
		{"two task areas", noAreas, "the charter lacks who has Inventory and Staff Training"},
		{"a decision without its right", noRight, "the charter lacks a right for every kind of decision named"},
		{"how they communicate", noTalk, "the charter lacks how you communicate"},
		{"only goals", partnership.CharterTerms{Goals: [3]string{"grow"}}, "the charter lacks what you expect of each other, how you communicate and who has Information Flow, Communications, Inventory, Planning, Logistics, Office Policies, Finances, Customer Relations and Staff Training"},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, _ := newService(t)
			p := pairUp(t, svc, "UA", "UE")
			_, err := svc.DraftCharter(ctx, p.ID, "UA", 0, tt.terms)
			if tt.want == "" {
				if err != nil {
					t.Errorf("DraftCharter(%s) = %v", tt.name, err)
				}
				return
			}
			var inc *partnership.IncompleteCharterError
			if !errors.As(err, &inc) || !errors.Is(err, partnership.ErrCharterIncomplete) || err.Error() != tt.want {
				t.Fatalf("DraftCharter = %v, want %q", err, tt.want)
			}
			if _, c, _ := svc.Charter(ctx, p.ID, "UA"); len(c.Versions) != 0 {
				t.Errorf("a refused draft was stored: %+v", c.Versions)
			}
		})
	}
}

func TestCharterVersionsAndAcceptance(t *testing.T) {
	svc, clk := newService(t)
	ctx := context.Background()
	p := pairUp(t, svc, "UA", "UE")
	state := func() partnership.CharterState {
		t.Helper()
		st, err := svc.CharterState(ctx, p.ID, "UE")
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	if st := state(); st.Status != partnership.CharterStatusNone {
		t.Errorf("state before any = %+v", st)
	}

	// The assistant drafts version 1: it waits for the executive.
	clk.Add(time.Hour)
	d, err := svc.DraftCharter(ctx, p.ID, "UA", 0, terms("Tell me the priorities on Monday"))
	if err != nil || !d.Created || d.Version.Number != 1 || d.Partner != "UE" || d.InForce {
		t.Fatalf("DraftCharter = %+v, %v; want version 1 created, waiting for UE", d, err)
	}
	if st := state(); st.Status != partnership.CharterStatusDraft || st.Pending != 1 || st.WaitingFor != "UE" || st.DraftedBy != "UA" {
		t.Errorf("state after the draft = %+v, want a draft waiting for UE", st)
	}
	// The drafter's draft is their acceptance: accepting again changes nothing.
	if acc, err := svc.AcceptCharter(ctx, p.ID, "UA", 1); err != nil || !acc.Already || acc.InForce {
		t.Errorf("drafter accepts = %+v, %v; want already, not in force", acc, err)
	}
	// A retried submission of the same form stores it once.
	if d, err := svc.DraftCharter(ctx, p.ID, "UA", 0, terms("Tell me the priorities on Monday")); err != nil || !d.Retry || d.Created {
		t.Errorf("retried draft = %+v, %v; want a retry, nothing created", d, err)
	}
	// The executive accepts: in force.
	clk.Add(time.Hour)
	agreed := clk.Now()
	acc, err := svc.AcceptCharter(ctx, p.ID, "UE", 1)
	if err != nil || !acc.InForce || acc.Already {
		t.Fatalf("executive accepts = %+v, %v; want in force", acc, err)
	}
	if acc, err := svc.AcceptCharter(ctx, p.ID, "UE", 1); err != nil || !acc.Already || !acc.InForce {
		t.Errorf("a second accept = %+v, %v; want already, in force", acc, err)
	}
	if st := state(); st.Status != partnership.CharterStatusAgreed || st.InForce != 1 || !st.AgreedAt.Equal(agreed) || st.Pending != 0 ||
		!st.NextReview.Equal(partnership.AddQuarter(agreed)) {
		t.Errorf("state after agreement = %+v, want agreed on %v", st, agreed)
	}
	// A draft saying what the version in force says does nothing.
	if d, err := svc.DraftCharter(ctx, p.ID, "UE", 1, terms("Tell me the priorities on Monday")); err != nil || !d.Unchanged || d.Created {
		t.Errorf("identical draft = %+v, %v; want unchanged", d, err)
	}

	// The executive changes it: version 2 waits; version 1 stays in force.
	clk.Add(24 * time.Hour)
	d, err = svc.DraftCharter(ctx, p.ID, "UE", 1, terms("Decide, then tell me"))
	if err != nil || !d.Created || d.Version.Number != 2 || d.Partner != "UA" {
		t.Fatalf("second draft = %+v, %v", d, err)
	}
	_, c, _ := svc.Charter(ctx, p.ID, "UA")
	if v, _ := c.InForce(); v.Number != 1 {
		t.Errorf("in force during a pending change = %d, want 1", v.Number)
	}
	if st := state(); st.Status != partnership.CharterStatusAgreed || st.InForce != 1 || st.Pending != 2 || st.WaitingFor != "UA" {
		t.Errorf("state with a pending change = %+v", st)
	}
	// The assistant drafts the same change: that is accepting it.
	clk.Add(time.Hour)
	d, err = svc.DraftCharter(ctx, p.ID, "UA", 2, terms("Decide, then tell me"))
	if err != nil || !d.Accepted || !d.InForce || d.Version.Number != 2 || d.Created {
		t.Fatalf("partner's identical draft = %+v, %v; want it accepted, in force", d, err)
	}

	// A draft replaced by a newer one cannot be accepted.
	clk.Add(time.Hour)
	if _, err := svc.DraftCharter(ctx, p.ID, "UA", 2, terms("Three")); err != nil {
		t.Fatal(err)
	}
	d, err = svc.DraftCharter(ctx, p.ID, "UE", 3, terms("Four"))
	if err != nil || d.Replaced.Number != 3 || d.Version.Number != 4 {
		t.Fatalf("draft over a waiting one = %+v, %v; want version 4 replacing 3", d, err)
	}
	if _, err := svc.AcceptCharter(ctx, p.ID, "UE", 3); !errors.Is(err, partnership.ErrCharterReplaced) {
		t.Errorf("accepting a replaced draft = %v, want ErrCharterReplaced", err)
	}
	if _, err := svc.AcceptCharter(ctx, p.ID, "UA", 9); !errors.Is(err, partnership.ErrCharterNoSuch) {
		t.Errorf("accepting version 9 = %v, want ErrCharterNoSuch", err)
	}
	if acc, err := svc.AcceptCharter(ctx, p.ID, "UA", 4); err != nil || !acc.InForce {
		t.Errorf("accepting version 4 = %+v, %v", acc, err)
	}
	// History is kept: all four versions, who drafted and accepted each.
	_, c, _ = svc.Charter(ctx, p.ID, "UE")
	if len(c.Versions) != 4 {
		t.Fatalf("%d versions kept, want 4", len(c.Versions))
	}
	for i, want := range []struct {
		by     string
		agreed bool
	}{{"UA", true}, {"UE", true}, {"UA", false}, {"UE", true}} {
		v := c.Versions[i]
		if v.Number != i+1 || v.DraftedBy != want.by || v.Agreed() != want.agreed || v.DraftedAt.IsZero() {
			t.Errorf("version %d = %+v, want drafted by %s, agreed %v", i+1, v, want.by, want.agreed)
		}
	}
	if v, _ := c.InForce(); v.Number != 4 || v.AssistantExpects[0] != "Four" {
		t.Errorf("in force = %+v, want version 4", v)
	}
}

// Nobody but the two members drafts, accepts, reads or reviews a charter,
// and their attempts change nothing.
func TestCharterRefusesAThirdUser(t *testing.T) {
	svc, clk := newService(t)
	ctx := context.Background()
	p := pairUp(t, svc, "UA", "UE")
	if _, err := svc.DraftCharter(ctx, p.ID, "UA", 0, terms("Mine")); err != nil {
		t.Fatal(err)
	}
	clk.Add(100 * 24 * time.Hour)
	checks := map[string]error{}
	_, checks["DraftCharter"] = svc.DraftCharter(ctx, p.ID, "UX", 1, terms("Give me a raise"))
	_, checks["AcceptCharter"] = svc.AcceptCharter(ctx, p.ID, "UX", 1)
	_, _, checks["Charter"] = svc.Charter(ctx, p.ID, "UX")
	_, checks["CharterState"] = svc.CharterState(ctx, p.ID, "UX")
	_, checks["ConfirmCharterReview"] = svc.ConfirmCharterReview(ctx, p.ID, "UX")
	_, checks["DraftCharter (an empty one)"] = svc.DraftCharter(ctx, p.ID, "UX", 1, partnership.CharterTerms{})
	for name, err := range checks {
		if !errors.Is(err, partnership.ErrNotMember) {
			t.Errorf("%s by a third user = %v, want ErrNotMember", name, err)
		}
	}
	if _, err := svc.DraftCharter(ctx, "UA-UE-UX", "UA", 0, terms("x")); !errors.Is(err, partnership.ErrBadID) {
		t.Errorf("forged pair id: %v, want ErrBadID", err)
	}
	_, c, _ := svc.Charter(ctx, p.ID, "UE")
	if len(c.Versions) != 1 || c.Versions[0].Agreed() || len(c.Versions[0].Accepted) != 1 || len(c.Reviews) != 0 {
		t.Errorf("the charter changed after a third user's attempts: %+v", c)
	}
}

// Two members saving at once: one is stored, the other is told it changed
// meanwhile and given the latest, never lost silently.
func TestConcurrentCharterDrafts(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	for round := range 10 {
		p := pairUp(t, svc, "UA", "U"+string(rune('A'+round))+"E")
		var wg sync.WaitGroup
		results := make([]error, 2)
		drafts := make([]partnership.CharterDraft, 2)
		for i, by := range []string{p.Assistant, p.Executive} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				drafts[i], results[i] = svc.DraftCharter(ctx, p.ID, by, 0, terms("from "+by))
			}()
		}
		wg.Wait()
		created, changed := 0, 0
		for i, err := range results {
			var ch *partnership.CharterChangedError
			switch {
			case err == nil && drafts[i].Created:
				created++
			case errors.As(err, &ch) && errors.Is(err, partnership.ErrCharterChanged):
				changed++
				if ch.Latest.Number != 1 || ch.Latest.DraftedBy == []string{p.Assistant, p.Executive}[i] {
					t.Errorf("the loser was given %+v as the latest, want the winner's version 1", ch.Latest)
				}
			default:
				t.Errorf("draft %d: %+v, %v", i, drafts[i], err)
			}
		}
		if created != 1 || changed != 1 {
			t.Errorf("round %d: %d created, %d told it changed; want 1 and 1", round, created, changed)
		}
		if _, c, _ := svc.Charter(ctx, p.ID, p.Assistant); len(c.Versions) != 1 {
			t.Errorf("round %d: %d versions stored, want 1", round, len(c.Versions))
		}
	}
}

func TestCharterReview(t *testing.T) {
	svc, clk := newService(t)
	ctx := context.Background()
	p := pairUp(t, svc, "UA", "UE")
	// Agreed on 30 November 2027 at 10:00: due on 29 February 2028 (a leap
	// year), from a week before.
	clk.Set(time.Date(2027, 11, 30, 9, 0, 0, 0, time.UTC))
	if _, err := svc.DraftCharter(ctx, p.ID, "UA", 0, terms("One")); err != nil {
		t.Fatal(err)
	}
	if due, err := svc.CharterReviewDue(ctx, p.ID); err != nil || due {
		t.Errorf("review due with no charter in force: %v, %v", due, err)
	}
	clk.Set(time.Date(2027, 11, 30, 10, 0, 0, 0, time.UTC))
	if _, err := svc.AcceptCharter(ctx, p.ID, "UE", 1); err != nil {
		t.Fatal(err)
	}
	_, c, _ := svc.Charter(ctx, p.ID, "UA")
	wantDue := time.Date(2028, 2, 29, 10, 0, 0, 0, time.UTC)
	if next, ok := c.NextReview(); !ok || !next.Equal(wantDue) {
		t.Errorf("NextReview = %v, %v; want %v", next, ok, wantDue)
	}
	for _, tt := range []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2028, 2, 22, 9, 59, 0, 0, time.UTC), false},
		{time.Date(2028, 2, 22, 10, 0, 0, 0, time.UTC), true}, // the week before
		{wantDue, true},
		{time.Date(2028, 6, 1, 0, 0, 0, 0, time.UTC), true}, // overdue stays due
	} {
		if got := c.ReviewDue(tt.at); got != tt.want {
			t.Errorf("ReviewDue(%v) = %v, want %v", tt.at, got, tt.want)
		}
	}
	clk.Set(time.Date(2028, 1, 10, 9, 0, 0, 0, time.UTC))
	if _, err := svc.ConfirmCharterReview(ctx, p.ID, "UA"); !errors.Is(err, partnership.ErrReviewNotDue) {
		t.Errorf("a review before it is due = %v, want ErrReviewNotDue", err)
	}
	clk.Set(time.Date(2028, 2, 28, 9, 0, 0, 0, time.UTC))
	if due, err := svc.CharterReviewDue(ctx, p.ID); err != nil || !due {
		t.Errorf("CharterReviewDue in the week = %v, %v; want true", due, err)
	}
	// One member's confirmation is not the review: both review.
	r, err := svc.ConfirmCharterReview(ctx, p.ID, "UA")
	if err != nil || r.Done || r.Waiting != "UE" {
		t.Fatalf("assistant confirms = %+v, %v; want waiting for UE", r, err)
	}
	if r, err := svc.ConfirmCharterReview(ctx, p.ID, "UA"); err != nil || !r.Already || r.Done {
		t.Errorf("assistant confirms again = %+v, %v; want already, not done", r, err)
	}
	st, _ := svc.CharterState(ctx, p.ID, "UE")
	if st.Status != partnership.CharterStatusReviewDue || len(st.Reviewed) != 1 || st.Reviewed[0] != "UA" {
		t.Errorf("state mid-review = %+v, want review due, confirmed by UA", st)
	}
	clk.Set(time.Date(2028, 3, 2, 8, 0, 0, 0, time.UTC))
	r, err = svc.ConfirmCharterReview(ctx, p.ID, "UE")
	if err != nil || !r.Done || !r.Next.Equal(time.Date(2028, 6, 2, 8, 0, 0, 0, time.UTC)) {
		t.Fatalf("executive confirms = %+v, %v; want done, next on 2 June", r, err)
	}
	if due, _ := svc.CharterReviewDue(ctx, p.ID); due {
		t.Error("review still due after both confirmed")
	}
	if st, _ := svc.CharterState(ctx, p.ID, "UA"); st.Status != partnership.CharterStatusAgreed {
		t.Errorf("state after the review = %+v", st)
	}

	// A quarter later the review is due again; a change agreed instead
	// starts the next quarter from its agreement.
	clk.Set(time.Date(2028, 5, 31, 9, 0, 0, 0, time.UTC))
	if due, _ := svc.CharterReviewDue(ctx, p.ID); !due {
		t.Error("the next quarter's review is not due")
	}
	if _, err := svc.ConfirmCharterReview(ctx, p.ID, "UE"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.DraftCharter(ctx, p.ID, "UE", 1, terms("Two")); err != nil {
		t.Fatal(err)
	}
	clk.Set(time.Date(2028, 5, 31, 12, 0, 0, 0, time.UTC))
	if _, err := svc.AcceptCharter(ctx, p.ID, "UA", 2); err != nil {
		t.Fatal(err)
	}
	_, c, _ = svc.Charter(ctx, p.ID, "UA")
	if next, _ := c.NextReview(); !next.Equal(time.Date(2028, 8, 31, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("NextReview after a new version = %v, want 31 August", next)
	}
	if due, _ := svc.CharterReviewDue(ctx, p.ID); due {
		t.Error("review due right after a new version was agreed")
	}
	if _, err := svc.CharterReviewDue(ctx, "not-a-pair"); !errors.Is(err, partnership.ErrBadID) {
		t.Errorf("CharterReviewDue(bad id) = %v", err)
	}
}

// An assistant with several executives reads who has each task area,
// executive by executive.
func TestTaskOwnership(t *testing.T) {
	svc, clk := newService(t)
	ctx := context.Background()
	pe := pairUp(t, svc, "UA", "UE")
	clk.Add(time.Minute)
	pf := pairUp(t, svc, "UA", "UF")
	clk.Add(time.Minute)
	pairUp(t, svc, "UB", "UA") // UA is the executive here: not in UA's table
	te := terms("E")
	te.Tasks[6] = partnership.ChiefOfStaff
	if _, err := svc.DraftCharter(ctx, pe.ID, "UA", 0, te); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AcceptCharter(ctx, pe.ID, "UE", 1); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.DraftCharter(ctx, pf.ID, "UA", 0, terms("F")); err != nil { // not agreed
		t.Fatal(err)
	}
	rows, err := svc.TaskOwnership(ctx, "UA")
	if err != nil || len(rows) != 2 {
		t.Fatalf("TaskOwnership = %+v, %v; want two rows", rows, err)
	}
	if rows[0].Pair.Executive != "UE" || rows[0].Version != 1 || rows[0].Areas[6] != partnership.ChiefOfStaff || rows[0].Areas[0] != partnership.Shared {
		t.Errorf("Eve's row = %+v", rows[0])
	}
	if rows[1].Pair.Executive != "UF" || rows[1].Version != 0 || rows[1].Areas[0] != "" {
		t.Errorf("Frank's row = %+v, want no charter in force", rows[1])
	}
	if rows, _ := svc.TaskOwnership(ctx, "UE"); len(rows) != 0 {
		t.Errorf("an executive's table = %+v, want none", rows)
	}
}

// Export holds the charters; deleting one's data takes them with the
// pairs, and the partner's Former keeps none of it.
func TestCharterExportAndDelete(t *testing.T) {
	svc, clk, st := newServiceStore(t)
	ctx := context.Background()
	p := pairUp(t, svc, "UA", "UE")
	if _, err := svc.DraftCharter(ctx, p.ID, "UE", 0, terms("Joint words")); err != nil {
		t.Fatal(err)
	}
	clk.Add(time.Hour)
	if _, err := svc.AcceptCharter(ctx, p.ID, "UA", 1); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"UA", "UE"} {
		ex, err := svc.Export(ctx, u)
		if err != nil || len(ex.Charters) != 1 {
			t.Fatalf("Export(%s) charters = %+v, %v", u, ex.Charters, err)
		}
		c := ex.Charters[0]
		if c.Pair != p.ID || c.InForce != 1 || len(c.Versions) != 1 || c.Versions[0].AssistantExpects[0] != "Joint words" ||
			len(c.Versions[0].Accepted) != 2 || len(c.Versions[0].TaskAreas) != assessment.NumTaskAreas ||
			c.Versions[0].TaskAreas[6].Area != "Finances" || c.Versions[0].TaskAreas[6].Owner != string(partnership.ExecutiveKeeps) {
			t.Errorf("Export(%s) charter = %+v", u, c)
		}
	}
	d, _, err := svc.DeleteUser(ctx, "UA")
	if err != nil || d.Charters != 1 {
		t.Fatalf("DeleteUser = %+v, %v; want one charter gone", d, err)
	}
	if c, err := st.Charter(ctx, p.ID); err != nil || len(c.Versions) != 0 {
		t.Errorf("charter after the pair ended = %+v, %v", c, err)
	}
	ex, _ := svc.Export(ctx, "UE")
	if len(ex.Charters) != 0 || len(ex.Former) != 1 {
		t.Errorf("partner's export after the pair ended: %d charters, %d former; want 0 and 1", len(ex.Charters), len(ex.Former))
	}
}
