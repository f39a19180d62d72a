package store

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/partnership"
)

var day0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func newPair(a, e string, at time.Time) partnership.Pair {
	return partnership.Pair{ID: partnership.NewPairID(a, e), Assistant: a, Executive: e, CreatedBy: a, CreatedAt: at}
}

func testPairs(t *testing.T, b backend) {
	st, _ := b.open(t)
	ctx := context.Background()
	p1 := newPair("UA", "UE", day0)
	p2 := newPair("UA", "UF", day0.Add(time.Hour))
	for _, p := range []partnership.Pair{p1, p2} {
		if err := st.CreatePair(ctx, p); err != nil {
			t.Fatalf("CreatePair(%s): %v", p.ID, err)
		}
	}
	if err := st.CreatePair(ctx, p1); !errors.Is(err, partnership.ErrDuplicate) {
		t.Errorf("second CreatePair = %v, want ErrDuplicate", err)
	}
	got, err := st.Pair(ctx, p1.ID)
	if err != nil || got != p1 {
		t.Errorf("Pair = %+v, %v; want %+v", got, err, p1)
	}
	if _, err := st.Pair(ctx, "UX-UY"); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("Pair(unknown) = %v, want ErrNotFound", err)
	}
	ps, err := st.PairsOf(ctx, "UA")
	if err != nil || len(ps) != 2 || ps[0].ID != p1.ID || ps[1].ID != p2.ID {
		t.Errorf("PairsOf(UA) = %+v, %v; want p1, p2", ps, err)
	}
	if ps, _ := st.PairsOf(ctx, "UE"); len(ps) != 1 || ps[0].ID != p1.ID {
		t.Errorf("PairsOf(UE) = %+v, want p1", ps)
	}

	if err := st.SetDefaultPair(ctx, "UA", p2.ID); err != nil {
		t.Fatal(err)
	}
	if d, err := st.DefaultPair(ctx, "UA"); err != nil || d != p2.ID {
		t.Errorf("DefaultPair = %q, %v", d, err)
	}
	if d, err := st.DefaultPair(ctx, "UE"); err != nil || d != "" {
		t.Errorf("DefaultPair(none) = %q, %v", d, err)
	}

	// Deleting a pair takes its data with it, and nothing of the other pair.
	st.SaveResult(ctx, assessment.Result{ID: "r1", UserID: "UA", PairID: string(p1.ID), TakenAt: day0})
	st.SaveResult(ctx, assessment.Result{ID: "r2", UserID: "UA", PairID: string(p2.ID), TakenAt: day0})
	if err := st.DeletePair(ctx, p1); err != nil {
		t.Fatal(err)
	}
	if ps, _ := st.PairsOf(ctx, "UE"); len(ps) != 0 {
		t.Errorf("PairsOf(UE) after delete = %+v", ps)
	}
	if rs, _ := st.PairResults(ctx, p1.ID, 10); len(rs) != 0 {
		t.Errorf("p1 results after delete = %+v", rs)
	}
	if rs, _ := st.PairResults(ctx, p2.ID, 10); len(rs) != 1 {
		t.Errorf("p2 results after deleting p1 = %+v", rs)
	}
	if err := st.CreatePair(ctx, p1); err != nil {
		t.Errorf("re-pairing after a delete: %v", err)
	}

	st.SaveResult(ctx, assessment.Result{ID: "solo", UserID: "UA", TakenAt: day0})
	if err := st.DeleteUser(ctx, "UA"); err != nil {
		t.Fatal(err)
	}
	if rs, _ := st.Results(ctx, "UA", 10); len(rs) != 0 {
		t.Errorf("own results after DeleteUser = %+v", rs)
	}
	if d, _ := st.DefaultPair(ctx, "UA"); d != "" {
		t.Errorf("default pair after DeleteUser = %q", d)
	}
}

func testPairResults(t *testing.T, b backend) {
	st, rdb := b.open(t)
	ctx := context.Background()
	p := newPair("UA", "UE", day0)
	res := func(id, user, answers string, shared bool, at time.Time) assessment.Result {
		r := result(id, user, answers, at)
		r.PairID, r.Shared = string(p.ID), shared
		return r
	}
	// Interleaved members: each one's previous is their own.
	st.SaveResult(ctx, res("a1", "UA", "YYYYYNNNNN", false, day0))
	st.SaveResult(ctx, res("e1", "UE", "YYYYYYYYNN", true, day0.Add(time.Hour)))
	prev, ok, err := st.SaveResult(ctx, res("a2", "UA", "YYYYYYNNNN", true, day0.Add(2*time.Hour)))
	if err != nil || !ok || prev.ID != "a1" || prev.UserID != "UA" {
		t.Fatalf("previous of a2 = %+v ok=%v err=%v, want a1", prev, ok, err)
	}
	if _, ok, _ := st.SaveResult(ctx, res("x1", "UX", "YYYYYYNNNN", false, day0)); ok {
		t.Errorf("a newcomer got a previous result")
	}
	// A retry of a2 finds a1 as previous too.
	if prev, _, err := st.SaveResult(ctx, res("a2", "UA", "YYYYYYNNNN", true, day0.Add(2*time.Hour))); !errors.Is(err, ErrDuplicate) || prev.ID != "a1" {
		t.Errorf("retry of a2 = %+v, %v; want a1 and ErrDuplicate", prev, err)
	}
	rs, err := st.PairResults(ctx, p.ID, 10)
	if err != nil || len(rs) != 4 {
		t.Fatalf("PairResults = %d, %v; want 4", len(rs), err)
	}
	if rs[1].UserID != "UE" || !rs[1].Shared || rs[1].PairID != string(p.ID) || rs[1].Score() != 8 {
		t.Errorf("PairResults[1] = %+v", rs[1])
	}
	// Pair results stay out of the user's own history.
	if own, _ := st.Results(ctx, "UA", 10); len(own) != 0 {
		t.Errorf("own history holds pair results: %+v", own)
	}
	// One round trip for a pair submission too.
	h := &roundTrips{}
	rdb.AddHook(h)
	st.SaveResult(ctx, res("a3", "UA", "YYYYYYYYYY", false, day0.Add(3*time.Hour)))
	if h.n != 1 {
		t.Errorf("pair SaveResult took %d round trips, want 1", h.n)
	}
}

func testStepsAndWishes(t *testing.T, b backend) {
	st, _ := b.open(t)
	ctx := context.Background()
	p := newPair("UA", "UE", day0)
	if _, ok, err := st.NextSteps(ctx, p.ID, "UA"); ok || err != nil {
		t.Errorf("NextSteps before any = ok %v, %v", ok, err)
	}
	ns := partnership.NextSteps{PairID: p.ID, UserID: "UA", UpdatedAt: day0,
		JustRight: partnership.List{"prep briefings", "", "guard the calendar"},
		DoMore:    partnership.List{"say no for you", "", ""},
		Wishes:    partnership.List{"weekly 1:1", "share goals", ""},
		WishIDs:   [partnership.ListSize]string{"w1", "w2", ""}}
	w1 := partnership.Wish{ID: "w1", PairID: p.ID, From: "UA", To: "UE", Text: "weekly 1:1", Status: partnership.WishOpen, CreatedAt: day0}
	w2 := partnership.Wish{ID: "w2", PairID: p.ID, From: "UA", To: "UE", Text: "share goals ✨ <&>", Status: partnership.WishOpen, CreatedAt: day0.Add(time.Minute)}
	if err := st.SaveNextSteps(ctx, ns, []partnership.Wish{w1, w2}, nil); err != nil {
		t.Fatal(err)
	}
	got, ok, err := st.NextSteps(ctx, p.ID, "UA")
	if err != nil || !ok || got.JustRight != ns.JustRight || got.DoMore != ns.DoMore || got.Wishes != ns.Wishes || got.WishIDs != ns.WishIDs || !got.UpdatedAt.Equal(day0) {
		t.Errorf("NextSteps = %+v, %v, %v", got, ok, err)
	}
	// An edit of a sent wish is made with the lists, all or nothing: from a
	// stale wish, nothing is stored.
	edited := w1
	edited.Text = "weekly 1:1, on Mondays"
	stale := ns
	stale.JustRight[0] = "changed"
	stale1 := w1
	stale1.Text = "what it was before"
	if err := st.SaveNextSteps(ctx, stale, nil, []partnership.WishEdit{{Old: stale1, New: edited}}); !errors.Is(err, partnership.ErrConflict) {
		t.Errorf("a save editing a stale wish = %v, want ErrConflict", err)
	}
	if got, _, _ := st.NextSteps(ctx, p.ID, "UA"); got.JustRight[0] != ns.JustRight[0] {
		t.Errorf("a refused save stored the lists: %q", got.JustRight)
	}
	if err := st.SaveNextSteps(ctx, ns, nil, []partnership.WishEdit{{Old: w1, New: edited}}); err != nil {
		t.Fatalf("a save with an edit: %v", err)
	}
	if ws, _ := st.Wishes(ctx, p.ID); ws[0].Text != edited.Text {
		t.Errorf("the edit was not made: %+v", ws[0])
	}
	if err := st.SaveNextSteps(ctx, ns, nil, []partnership.WishEdit{{Old: edited, New: w1}}); err != nil {
		t.Fatal(err)
	}
	// Where each wish is shown, for redrawing its card.
	card := partnership.CardRef{Channel: "DUE", TS: "1.2"}
	if err := st.SetWishCard(ctx, p.ID, []string{"w1", "w2"}, card); err != nil {
		t.Fatal(err)
	}
	if cards, err := st.WishCards(ctx, p.ID); err != nil || len(cards) != 2 || cards["w2"] != card {
		t.Errorf("WishCards = %+v, %v", cards, err)
	}
	ws, err := st.Wishes(ctx, p.ID)
	if err != nil || len(ws) != 2 || ws[0].ID != "w1" || ws[1].Text != w2.Text || ws[1].PairID != p.ID {
		t.Fatalf("Wishes = %+v, %v", ws, err)
	}
	moved, err := ws[0].Move("UE", partnership.WishAcknowledged, "", day0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.UpdateWish(ctx, ws[0], moved); err != nil {
		t.Fatalf("UpdateWish: %v", err)
	}
	// A second writer working from the old state loses.
	done, _ := ws[0].Move("UE", partnership.WishDone, "", day0.Add(2*time.Hour))
	if err := st.UpdateWish(ctx, ws[0], done); !errors.Is(err, partnership.ErrConflict) {
		t.Errorf("stale UpdateWish = %v, want ErrConflict", err)
	}
	ws, _ = st.Wishes(ctx, p.ID)
	if ws[0].Status != partnership.WishAcknowledged || len(ws[0].History) != 1 || ws[0].History[0].By != "UE" {
		t.Errorf("wish after move = %+v", ws[0])
	}
	// Round trip through the store keeps the value a CAS can match.
	declined, _ := ws[0].Move("UE", partnership.WishDeclined, "not now", day0.Add(3*time.Hour))
	if err := st.UpdateWish(ctx, ws[0], declined); err != nil {
		t.Errorf("UpdateWish from a reloaded wish: %v", err)
	}
}

func testSummaryClaims(t *testing.T, b backend) {
	st, _ := b.open(t)
	ctx := context.Background()
	id := partnership.NewPairID("UA", "UE")
	// No pair, no claim: a summary after the pair ended leaves no key.
	if won, err := st.ClaimSummary(ctx, id, time.Time{}, day0); err != nil || won {
		t.Errorf("a claim for a pair that does not exist = %v, %v", won, err)
	}
	if err := st.CreatePair(ctx, newPair("UA", "UE", day0)); err != nil {
		t.Fatal(err)
	}
	last, err := st.LastSummary(ctx, id)
	if err != nil || !last.IsZero() {
		t.Fatalf("LastSummary before any = %v, %v", last, err)
	}
	// Many replicas race for the same round: exactly one wins.
	var wg sync.WaitGroup
	wins := make(chan bool, 10)
	for range 10 {
		wg.Go(func() {
			ok, err := st.ClaimSummary(ctx, id, last, day0)
			if err != nil {
				t.Error(err)
			}
			wins <- ok
		})
	}
	wg.Wait()
	close(wins)
	n := 0
	for ok := range wins {
		if ok {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d claims won, want 1", n)
	}
	if last, _ := st.LastSummary(ctx, id); !last.Equal(day0) {
		t.Errorf("LastSummary = %v, want %v", last, day0)
	}
	if ok, _ := st.ClaimSummary(ctx, id, day0, day0.Add(time.Hour)); !ok {
		t.Error("the next round's claim failed")
	}
}

func testInvitations(t *testing.T, b backend) {
	st, rdb := b.open(t)
	ctx := context.Background()
	inv := partnership.Invitation{Pair: partnership.NewPairID("UA", "UE"), Assistant: "UA", Executive: "UE", From: "UE", At: day0}
	if _, err := st.Invitation(ctx, inv.Pair); !errors.Is(err, partnership.ErrInvitationGone) {
		t.Errorf("Invitation(none) = %v, want ErrInvitationGone", err)
	}
	if err := st.CreateInvitation(ctx, inv); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateInvitation(ctx, inv); !errors.Is(err, partnership.ErrInvitePending) {
		t.Errorf("second CreateInvitation = %v, want ErrInvitePending", err)
	}
	if err := st.SetInvitationCard(ctx, inv, "DUE", "1.2"); err != nil {
		t.Fatal(err)
	}
	got, err := st.Invitation(ctx, inv.Pair)
	want := inv
	want.CardChannel, want.CardTS = "DUE", "1.2"
	if err != nil || got != want {
		t.Errorf("Invitation = %+v, %v; want %+v", got, err, want)
	}
	// It expires with the invitation, in Redis too.
	if ttl, err := rdb.PTTL(ctx, st.keys.invitation(string(inv.Pair))).Result(); err != nil || ttl <= 0 {
		t.Errorf("invitation TTL = %v, %v; want one", ttl, err)
	}
	for _, u := range []string{"UA", "UE"} {
		if l, err := st.InvitationsOf(ctx, u); err != nil || len(l) != 1 || l[0] != want {
			t.Errorf("InvitationsOf(%s) = %+v, %v", u, l, err)
		}
	}
	if l, _ := st.InvitationsOf(ctx, "UX"); len(l) != 0 {
		t.Errorf("InvitationsOf(UX) = %+v", l)
	}
	// An answer is taken once; a stale one (another invitation since) not.
	stale := inv
	stale.At = day0.Add(-time.Hour)
	if won, err := st.ConsumeInvitation(ctx, stale); err != nil || won {
		t.Errorf("ConsumeInvitation(stale) = %v, %v; want false", won, err)
	}
	if _, err := st.Invitation(ctx, inv.Pair); err != nil {
		t.Errorf("a stale answer removed the invitation: %v", err)
	}
	// (The stale answer dropped the index entries; a read repairs nothing,
	// so put them back the way CreateInvitation would.)
	if err := st.DeleteInvitation(ctx, inv); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateInvitation(ctx, inv); err != nil {
		t.Fatal(err)
	}
	if won, err := st.ConsumeInvitation(ctx, inv); err != nil || !won {
		t.Errorf("ConsumeInvitation = %v, %v; want true", won, err)
	}
	if won, _ := st.ConsumeInvitation(ctx, inv); won {
		t.Error("an invitation was consumed twice")
	}
	for _, u := range []string{"UA", "UE"} {
		if l, err := st.InvitationsOf(ctx, u); err != nil || len(l) != 0 {
			t.Errorf("InvitationsOf(%s) after answer = %+v, %v", u, l, err)
		}
	}
	// The SetInvitationCard of a late sender does not bring it back.
	if err := st.SetInvitationCard(ctx, inv, "DUE", "1.3"); err != nil {
		t.Fatal(err)
	}
	if n, _ := rdb.Exists(ctx, st.keys.invitation(string(inv.Pair))).Result(); n != 0 {
		t.Error("SetInvitationCard recreated an answered invitation")
	}
	// A lapsed invitation (still in Redis: its TTL counts from when it was
	// written) gives way to a new one; an open one does not.
	if err := st.CreateInvitation(ctx, inv); err != nil {
		t.Fatal(err)
	}
	early := inv
	early.At = inv.Expires().Add(-time.Millisecond)
	if err := st.CreateInvitation(ctx, early); !errors.Is(err, partnership.ErrInvitePending) {
		t.Errorf("CreateInvitation while one is open = %v, want ErrInvitePending", err)
	}
	late := inv
	late.At, late.From = inv.Expires(), "UA"
	if err := st.CreateInvitation(ctx, late); err != nil {
		t.Errorf("CreateInvitation after one lapsed = %v", err)
	}
	if got, err := st.Invitation(ctx, inv.Pair); err != nil || got != late {
		t.Errorf("Invitation = %+v, %v; want the new one %+v", got, err, late)
	}
}

// One pair between two people, whichever way round.
func testReversePair(t *testing.T, b backend) {
	st, _ := b.open(t)
	ctx := context.Background()
	ae, ea := newPair("UA", "UE", day0), newPair("UE", "UA", day0)
	if err := st.CreatePair(ctx, ae); err != nil {
		t.Fatal(err)
	}
	if err := st.CreatePair(ctx, ea); !errors.Is(err, partnership.ErrDuplicate) {
		t.Fatalf("CreatePair(reverse) = %v, want ErrDuplicate", err)
	}
	if _, err := st.Pair(ctx, ea.ID); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("the reverse pair was stored: %v", err)
	}
	// Once the pair ends, the two may pair the other way round.
	if err := st.DeletePair(ctx, ae); err != nil {
		t.Fatal(err)
	}
	if err := st.CreatePair(ctx, ea); err != nil {
		t.Errorf("CreatePair(reverse) after the pair ended = %v", err)
	}
	// Many at once, both ways round: one wins.
	st2, _ := b.open(t)
	var wg sync.WaitGroup
	errs := make([]error, 20)
	for i := range errs {
		wg.Go(func() {
			p := ae
			if i%2 == 1 {
				p = ea
			}
			errs[i] = st2.CreatePair(ctx, p)
		})
	}
	wg.Wait()
	won := map[partnership.PairID]bool{}
	for i, err := range errs {
		if err == nil {
			won[[]partnership.PairID{ae.ID, ea.ID}[i%2]] = true
		} else if !errors.Is(err, partnership.ErrDuplicate) {
			t.Errorf("CreatePair: %v", err)
		}
	}
	n := 0
	for _, id := range []partnership.PairID{ae.ID, ea.ID} {
		if _, err := st2.Pair(ctx, id); err == nil {
			n++
		}
	}
	if n != 1 || len(won) != 1 {
		t.Errorf("%d pairs stored and %d directions reported created, want 1 and 1", n, len(won))
	}
}

func testViewsOwned(t *testing.T, b backend) {
	st, _ := b.open(t)
	ctx := context.Background()
	if err := st.OpenedView(ctx, "UA", "V1", time.Hour); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		user, view string
		want       bool
	}{{"UA", "V1", true}, {"UB", "V1", false}, {"UA", "V2", false}} {
		if got, err := st.HasView(ctx, tt.user, tt.view); err != nil || got != tt.want {
			t.Errorf("HasView(%s, %s) = %v, %v; want %v", tt.user, tt.view, got, err, tt.want)
		}
	}
	// A record lapses with its TTL (here at once: no sleeping in tests).
	if err := st.OpenedView(ctx, "UA", "V3", 0); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.HasView(ctx, "UA", "V3"); got {
		t.Error("a lapsed view record still counts")
	}
}

func testFormers(t *testing.T, b backend) {
	st, rdb := b.open(t)
	ctx := context.Background()
	r := result("r1", "UE", "YYYNNNYYNN", day0)
	r.Perspective = assessment.Executive
	f := partnership.Former{Key: "123|executive", Role: assessment.Executive, Began: day0, Ended: day0.Add(time.Hour),
		Results: []assessment.Result{r}, HasSteps: true,
		Steps:  partnership.NextSteps{UserID: "UE", JustRight: partnership.List{"mine"}, UpdatedAt: day0},
		Wishes: []partnership.Wish{{ID: "w1", From: "UE", Text: "a wish", Status: partnership.WishDone, CreatedAt: day0}}}
	if err := st.AddFormer(ctx, "UE", f); err != nil {
		t.Fatal(err)
	}
	later := f
	later.Ended = day0.Add(2 * time.Hour)
	if err := st.AddFormer(ctx, "UE", later); err != nil { // the same key: kept beside it
		t.Fatal(err)
	}
	got, err := st.Formers(ctx, "UE")
	if err != nil || len(got) != 2 {
		t.Fatalf("Formers = %+v, %v; want two", got, err)
	}
	g := got[0]
	if g.Key != f.Key || g.Role != f.Role || !g.Began.Equal(f.Began) || !g.Ended.Equal(f.Ended) || len(g.Results) != 1 || g.Results[0] != r ||
		!g.HasSteps || g.Steps.JustRight[0] != "mine" || len(g.Wishes) != 1 || g.Wishes[0].Text != "a wish" || g.Wishes[0].Status != partnership.WishDone {
		t.Errorf("Formers()[0] = %+v, want %+v", g, f)
	}
	if got[1].Key == got[0].Key || !got[1].Ended.Equal(later.Ended) {
		t.Errorf("Formers()[1] = %+v", got[1])
	}
	// Deleting the user removes every key of their slot.
	st.SaveResult(ctx, result("solo", "UE", "YYYYYYYYYY", day0))
	st.SetDefaultPair(ctx, "UE", "UA-UE")
	st.SetAway(ctx, "UE", day0.Add(48*time.Hour))
	st.OpenedView(ctx, "UE", "V1", time.Hour)
	if err := st.DeleteUser(ctx, "UE"); err != nil {
		t.Fatal(err)
	}
	for _, k := range st.keys.userKeys("UE") {
		if n, err := rdb.Exists(ctx, k).Result(); err != nil || n != 0 {
			t.Errorf("%s is left after DeleteUser (%v)", k, err)
		}
	}
}

func testConsents(t *testing.T, b backend) {
	st, rdb := b.open(t)
	ctx := context.Background()
	id := partnership.PairID("UA-UE")
	// A consent kept before scopes ("<user>" → "1") counts for nothing.
	if err := rdb.HSet(ctx, st.keys.consent(string(id)), "UA", "1").Err(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		sc   partnership.Scope
		user string
	}{{"CTEAM", "UA"}, {"CTEAM", "UE"}, {partnership.TeamScope, "UA"}} {
		if err := st.SetConsent(ctx, id, c.sc, c.user, true); err != nil {
			t.Fatal(err)
		}
	}
	got, err := st.Consents(ctx, id)
	want := map[partnership.Scope]map[string]bool{"CTEAM": {"UA": true, "UE": true}, partnership.TeamScope: {"UA": true}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Consents = %v, %v; want %v", got, err, want)
	}
	if err := st.SetConsent(ctx, id, "CTEAM", "UE", false); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.Consents(ctx, id); got["CTEAM"]["UE"] {
		t.Error("a withdrawn consent still counts")
	}
	// Asks by scope; one kept before scopes (fields channel, by) is dropped.
	if err := rdb.HSet(ctx, st.keys.scorecardRequest(string(id)), "channel", "COLD", "by", "UA").Err(); err != nil {
		t.Fatal(err)
	}
	r := partnership.ScorecardRequest{By: "UA", At: day0, CardChannel: "DUE", CardTS: "1.5"}
	if err := st.SetScorecardRequest(ctx, id, "CTEAM", r); err != nil {
		t.Fatal(err)
	}
	reqs, err := st.ScorecardRequests(ctx, id)
	if err != nil || len(reqs) != 1 || reqs["CTEAM"] != r {
		t.Errorf("ScorecardRequests = %+v, %v; want %+v for CTEAM only", reqs, err, r)
	}
	if err := st.SetScorecardRequest(ctx, id, "CTEAM", partnership.ScorecardRequest{}); err != nil {
		t.Fatal(err)
	}
	if reqs, _ := st.ScorecardRequests(ctx, id); len(reqs) != 0 {
		t.Errorf("a cleared ask is still there: %+v", reqs)
	}
}

func testReflections(t *testing.T, b backend) {
	st, _ := b.open(t)
	ctx := context.Background()
	p := newPair("UA", "UE", day0)
	if err := st.CreatePair(ctx, p); err != nil {
		t.Fatal(err)
	}
	r := partnership.Reflection{Pair: p.ID, User: "UA", Round: monday, Prompt: "Respect and trust", Text: "mine ✨ <&>", PlanChange: "move the 1:1", At: monday.Add(time.Hour)}
	if err := st.SaveReflection(ctx, r); err != nil {
		t.Fatal(err)
	}
	// A second answer in the same round replaces the first.
	r.Text, r.Shared, r.At = "changed my mind", true, monday.Add(2*time.Hour)
	if err := st.SaveReflection(ctx, r); err != nil {
		t.Fatal(err)
	}
	got, err := st.Reflections(ctx, p.ID)
	if err != nil || len(got) != 1 || got[0] != r {
		t.Errorf("Reflections = %+v, %v; want %+v", got, err, r)
	}
	// It counts the round as answered, as a result does; never backwards.
	if s, _ := st.Schedule(ctx, p.ID); !s.Answered["UA"].Equal(r.At) {
		t.Errorf("answered = %v, want %v", s.Answered["UA"], r.At)
	}
	old := r
	old.Round, old.At = monday.Add(-week), monday.Add(-week)
	if err := st.SaveReflection(ctx, old); err != nil {
		t.Fatal(err)
	}
	if s, _ := st.Schedule(ctx, p.ID); !s.Answered["UA"].Equal(r.At) {
		t.Errorf("an older answer moved answered back to %v", s.Answered["UA"])
	}
	if err := st.DeletePair(ctx, p); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.Reflections(ctx, p.ID); len(got) != 0 {
		t.Errorf("reflections left after the pair ended: %+v", got)
	}
}
