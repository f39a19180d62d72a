package partnership_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/store"
	"github.com/redis/go-redis/v9"
)

// The use cases over the real store on miniredis.

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func newService(t *testing.T) (*partnership.Service, *clock) {
	svc, clk, _ := newServiceStore(t)
	return svc, clk
}

// newServiceStore is newService with the store under it.
func newServiceStore(t *testing.T) (*partnership.Service, *clock, *store.Store) {
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { rdb.Close() })
	clk := &clock{t: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
	st := store.New(rdb, "pbtest")
	return partnership.NewService(st, clk), clk, st
}

// pairUp makes a pair the way people do: the assistant invites, the
// executive accepts.
func pairUp(t *testing.T, svc *partnership.Service, assistant, executive string) partnership.Pair {
	t.Helper()
	ctx := context.Background()
	inv, err := svc.Invite(ctx, assistant, partnership.Person{ID: executive}, assessment.Assistant)
	if err != nil {
		t.Fatalf("Invite(%s, %s): %v", assistant, executive, err)
	}
	ans, err := svc.AcceptInvitation(ctx, inv.Pair, executive)
	if err != nil {
		t.Fatalf("AcceptInvitation(%s): %v", inv.Pair, err)
	}
	return ans.Pair
}

func answers(s string) assessment.Answers {
	a, err := assessment.ParseAnswers(s)
	if err != nil {
		panic(err)
	}
	return a
}

func TestPairingAndMembership(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	p := pairUp(t, svc, "UA", "UE")
	if p.Assistant != "UA" || p.Executive != "UE" || p.ID != "UA-UE" {
		t.Errorf("pair = %+v", p)
	}
	if _, err := svc.Invite(ctx, "UA", partnership.Person{ID: "UE"}, assessment.Assistant); !errors.Is(err, partnership.ErrDuplicate) {
		t.Errorf("duplicate pair: %v", err)
	}
	// A third user can do nothing with the pair.
	intruder := "UX"
	checks := map[string]error{}
	_, checks["Pair"] = svc.Pair(ctx, p.ID, intruder)
	_, checks["Summary"] = svc.Summary(ctx, p.ID, intruder)
	_, checks["View"] = svc.View(ctx, p.ID, intruder)
	_, checks["NextSteps"] = svc.NextSteps(ctx, p.ID, intruder)
	_, checks["SaveNextSteps"] = svc.SaveNextSteps(ctx, partnership.NextSteps{PairID: p.ID, UserID: intruder, Wishes: partnership.List{"x"}})
	_, checks["MoveWish"] = svc.MoveWish(ctx, p.ID, "w1", intruder, partnership.WishDone, "")
	_, checks["LeavePair"] = svc.LeavePair(ctx, p.ID, intruder)
	_, checks["SubmitResult"] = svc.SubmitResult(ctx, assessment.Result{ID: "x", UserID: intruder, PairID: string(p.ID)})
	checks["Remember"] = svc.Remember(ctx, intruder, p.ID)
	for name, err := range checks {
		if !errors.Is(err, partnership.ErrNotMember) {
			t.Errorf("%s by a non-member: %v, want ErrNotMember", name, err)
		}
	}
	if _, err := svc.Pair(ctx, "UA-UE-UX", "UA"); !errors.Is(err, partnership.ErrBadID) {
		t.Errorf("forged pair id: %v, want ErrBadID", err)
	}
	if ws, _ := svc.View(ctx, p.ID, "UA"); len(ws.OpenWishes) != 0 {
		t.Errorf("intruder's wish was stored: %+v", ws.OpenWishes)
	}
}

func TestChoicesRememberTheDefault(t *testing.T) {
	svc, clk := newService(t)
	ctx := context.Background()
	if c, err := svc.Choices(ctx, "UA"); err != nil || len(c.Pairs) != 0 || c.Default != "" {
		t.Errorf("Choices with no pair = %+v, %v", c, err)
	}
	p1 := pairUp(t, svc, "UA", "UE")
	clk.Add(time.Minute)
	p2 := pairUp(t, svc, "UA", "UF")
	c, _ := svc.Choices(ctx, "UA")
	if len(c.Pairs) != 2 || c.Default != p1.ID {
		t.Errorf("Choices = %+v, want two with p1 first", c)
	}
	if err := svc.Remember(ctx, "UA", p2.ID); err != nil {
		t.Fatal(err)
	}
	if c, _ := svc.Choices(ctx, "UA"); c.Default != p2.ID {
		t.Errorf("Default = %s, want %s", c.Default, p2.ID)
	}
	// The executive of p1 sees one pair, as executive.
	if c, _ := svc.Choices(ctx, "UE"); len(c.Pairs) != 1 || c.Pairs[0].Perspective("UE") != assessment.Executive {
		t.Errorf("executive's choices = %+v", c)
	}
}

func TestSummaryGoesOutOncePerRound(t *testing.T) {
	svc, clk := newService(t)
	ctx := context.Background()
	p := pairUp(t, svc, "UA", "UE")
	other := pairUp(t, svc, "UA", "UF")
	type submitted struct {
		partnership.Submitted
		Summary *partnership.Summary
	}
	submit := func(id, user string, pair partnership.PairID, a string, shared bool) submitted {
		t.Helper()
		clk.Add(time.Hour)
		s, err := svc.SubmitResult(ctx, assessment.Result{ID: id, UserID: user, PairID: string(pair), TakenAt: clk.Now(), Answers: answers(a), Shared: shared})
		if err != nil {
			t.Fatalf("SubmitResult %s: %v", id, err)
		}
		out := submitted{Submitted: s}
		if pair != "" && !s.Retry {
			sum, due, err := svc.SummaryIfDue(ctx, s.Pair)
			if err != nil {
				t.Fatal(err)
			}
			if due {
				out.Summary = &sum
			}
			// A second ask (another replica) never wins the same round.
			if _, again, _ := svc.SummaryIfDue(ctx, s.Pair); again {
				t.Errorf("the summary of %s was claimed twice", id)
			}
		}
		return out
	}
	if s := submit("a1", "UA", p.ID, "YYYYYYNNNN", true); s.Summary != nil || s.Result.Perspective != assessment.Assistant {
		t.Errorf("first result: summary %v perspective %s", s.Summary != nil, s.Result.Perspective)
	}
	submit("f1", "UF", other.ID, "NNNNNNNNNN", true) // another pair's result
	s := submit("e1", "UE", p.ID, "YYYYYYYYNN", true)
	if s.Result.Perspective != assessment.Executive {
		t.Errorf("executive's result perspective = %s", s.Result.Perspective)
	}
	if s.Summary == nil {
		t.Fatal("no summary once both answered")
	}
	if got := s.Summary.Assistant.Trend(); len(got) != 1 || got[0] != 6 {
		t.Errorf("summary mixes pairs: assistant trend %v", got)
	}
	if !s.Summary.Compared || len(s.Summary.Differences) != 2 {
		t.Errorf("differences = %v", s.Summary.Differences)
	}
	// A retry does not send it again, nor does one member answering again.
	if s := submit("e1", "UE", p.ID, "YYYYYYYYNN", true); s.Summary != nil || !s.Retry {
		t.Errorf("retry: summary %v retry %v", s.Summary != nil, s.Retry)
	}
	if s := submit("a2", "UA", p.ID, "YYYYYYYYYY", true); s.Summary != nil {
		t.Error("summary again with only one member newer")
	}
	if s := submit("e2", "UE", p.ID, "YYYYYYYYYY", false); s.Summary == nil || s.Summary.Compared || s.Summary.Differences != nil {
		t.Errorf("second round summary = %+v", s.Summary)
	}
	// History: own results across pairs, none of the partner's.
	h, err := svc.History(ctx, "UA", 20)
	if err != nil || len(h) != 2 || h[0].ID != "a1" || h[1].ID != "a2" {
		t.Errorf("History(UA) = %+v, %v", h, err)
	}
}

func TestNextStepsMakeWishes(t *testing.T) {
	svc, clk := newService(t)
	ctx := context.Background()
	p := pairUp(t, svc, "UA", "UE")
	sendAll := [partnership.ListSize]bool{true, true, true}
	ns := partnership.NextSteps{PairID: p.ID, UserID: "UA", JustRight: partnership.List{"calendar"}, Wishes: partnership.List{"weekly 1:1", "", " share  goals "}, Send: sendAll}
	saved, err := svc.SaveNextSteps(ctx, ns)
	if err != nil || len(saved.Fresh) != 2 || saved.Fresh[0].To != "UE" || saved.Fresh[1].Text != "share goals" {
		t.Fatalf("SaveNextSteps = %+v, %v", saved, err)
	}
	// Saving again with one new line adds one wish.
	ns.Wishes[1] = "praise in public"
	saved, _ = svc.SaveNextSteps(ctx, ns)
	if len(saved.Fresh) != 1 || saved.Fresh[0].Text != "praise in public" {
		t.Errorf("second save made %+v", saved)
	}
	got, _ := svc.NextSteps(ctx, p.ID, "UA")
	if got.Wishes[1] != "praise in public" || got.JustRight[0] != "calendar" || got.WishIDs[1] != saved.Fresh[0].ID {
		t.Errorf("NextSteps = %+v", got)
	}
	toMe, byMe, err := svc.Wishes(ctx, "UE")
	if err != nil || len(toMe) != 3 || len(byMe) != 0 {
		t.Fatalf("Wishes(UE) = %d to me, %d by me, %v", len(toMe), len(byMe), err)
	}
	weekly := toMe[slices.IndexFunc(toMe, func(w partnership.Wish) bool { return w.Text == "weekly 1:1" })]
	// Only the addressee moves a wish.
	if _, err := svc.MoveWish(ctx, p.ID, weekly.ID, "UA", partnership.WishDone, ""); !errors.Is(err, partnership.ErrNotAddressee) {
		t.Errorf("author moved their own wish: %v", err)
	}
	clk.Add(48 * time.Hour)
	w, err := svc.MoveWish(ctx, p.ID, weekly.ID, "UE", partnership.WishDeclined, "not this quarter")
	if err != nil || w.Status != partnership.WishDeclined || w.Note != "not this quarter" {
		t.Errorf("decline = %+v, %v", w, err)
	}
	if _, err := svc.MoveWish(ctx, p.ID, "nope", "UE", partnership.WishDone, ""); !errors.Is(err, partnership.ErrWishNotFound) {
		t.Errorf("unknown wish: %v", err)
	}
	toMe, _, _ = svc.Wishes(ctx, "UE")
	if len(toMe) != 2 {
		t.Errorf("open wishes after a decline = %d, want 2", len(toMe))
	}
	// The declined wish, on its line unchanged, saved again: nothing sent,
	// nothing reopened.
	if saved, _ := svc.SaveNextSteps(ctx, ns); len(saved.Fresh)+len(saved.Edited) != 0 {
		t.Errorf("re-saving unchanged lines sent %+v", saved)
	}
	if cur, _ := svc.Wish(ctx, p.ID, weekly.ID, "UA"); cur.Status != partnership.WishDeclined {
		t.Errorf("a save reopened a declined wish: %+v", cur)
	}
}

// A wish keeps its identity across saves; lines are private unless sent;
// an edit before the partner acknowledged edits the same wish.
func TestWishLinesKeepTheirWish(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	p := pairUp(t, svc, "UA", "UE")
	save := func(lines partnership.List, send [partnership.ListSize]bool) partnership.SavedSteps {
		t.Helper()
		saved, err := svc.SaveNextSteps(ctx, partnership.NextSteps{PairID: p.ID, UserID: "UA", Wishes: lines, Send: send})
		if err != nil {
			t.Fatal(err)
		}
		return saved
	}
	// Kept to myself by default: nothing reaches the partner.
	if saved := save(partnership.List{"a private reflection", "", ""}, [3]bool{}); len(saved.Fresh) != 0 {
		t.Fatalf("an unsent line was sent: %+v", saved)
	}
	if toMe, _, _ := svc.Wishes(ctx, "UE"); len(toMe) != 0 {
		t.Fatalf("the partner sees %+v", toMe)
	}
	// Sent: one wish; saved again (any number of times): still one.
	first := save(partnership.List{"a private reflection", "share the deck", ""}, [3]bool{false, true, false}).Fresh
	if len(first) != 1 || first[0].Text != "share the deck" {
		t.Fatalf("sent = %+v", first)
	}
	for range 3 {
		if saved := save(partnership.List{"a private reflection", "share the deck", ""}, [3]bool{false, true, false}); len(saved.Fresh)+len(saved.Edited) != 0 {
			t.Fatalf("re-saving sent %+v", saved)
		}
	}
	// Switched to "keep to myself" once sent: it stays with the partner.
	save(partnership.List{"a private reflection", "share the deck", ""}, [3]bool{})
	// Edited while open: the same wish, new words.
	edited := save(partnership.List{"a private reflection", "share the deck a day earlier", ""}, [3]bool{false, true, false})
	if len(edited.Edited) != 1 || edited.Edited[0].ID != first[0].ID || edited.Edited[0].Text != "share the deck a day earlier" || len(edited.Fresh) != 0 {
		t.Fatalf("edit = %+v, want the same wish with the new text", edited)
	}
	// Acknowledged, then edited: a new wish; the acknowledged one stays.
	if _, err := svc.MoveWish(ctx, p.ID, first[0].ID, "UE", partnership.WishAcknowledged, ""); err != nil {
		t.Fatal(err)
	}
	again := save(partnership.List{"a private reflection", "share the deck two days earlier", ""}, [3]bool{false, true, false})
	if len(again.Fresh) != 1 || again.Fresh[0].ID == first[0].ID || len(again.Edited) != 0 {
		t.Fatalf("edit after an acknowledgement = %+v, want a new wish", again)
	}
	if w, _ := svc.Wish(ctx, p.ID, first[0].ID, "UE"); w.Text != "share the deck a day earlier" || w.Status != partnership.WishAcknowledged {
		t.Errorf("the acknowledged wish changed: %+v", w)
	}
	// The same words on two lines are sent once.
	if dup := save(partnership.List{"call me", "call me", ""}, [3]bool{true, true, false}); len(dup.Fresh) != 1 {
		t.Errorf("two identical lines sent %d wishes, want 1", len(dup.Fresh))
	}
	// The delete count is the wishes written: 3 here, however many saves.
	d, _, err := svc.DeleteUser(ctx, "UA")
	if err != nil || d.Wishes != 3 {
		t.Errorf("deleted %d wishes (%v), want 3", d.Wishes, err)
	}
}

func TestExportAndDelete(t *testing.T) {
	svc, clk := newService(t)
	ctx := context.Background()
	p := pairUp(t, svc, "UA", "UE")
	svc.SubmitResult(ctx, assessment.Result{ID: "solo", UserID: "UA", TakenAt: clk.Now(), Answers: answers("YYYYYYYYYY")})
	svc.SubmitResult(ctx, assessment.Result{ID: "a1", UserID: "UA", PairID: string(p.ID), TakenAt: clk.Now(), Answers: answers("YYYYYNNNNN")})
	svc.SubmitResult(ctx, assessment.Result{ID: "e1", UserID: "UE", PairID: string(p.ID), TakenAt: clk.Now(), Answers: answers("NNNNNNNNNN")})
	send := [partnership.ListSize]bool{true}
	svc.SaveNextSteps(ctx, partnership.NextSteps{PairID: p.ID, UserID: "UA", JustRight: partnership.List{"the calendar"}, Wishes: partnership.List{"w"}, Send: send})
	svc.SaveNextSteps(ctx, partnership.NextSteps{PairID: p.ID, UserID: "UE", JustRight: partnership.List{"my own line"}, Wishes: partnership.List{"v"}, Send: send})
	if _, err := svc.Invite(ctx, "UA", partnership.Person{ID: "UF"}, assessment.Assistant); err != nil {
		t.Fatal(err)
	}

	ex, err := svc.Export(ctx, "UA")
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Pairs) != 1 || ex.Pairs[0].Role != "assistant" || len(ex.Results) != 2 || len(ex.NextSteps) != 1 || len(ex.Wishes) != 2 || len(ex.Invitations) != 1 {
		t.Errorf("export = %+v", ex)
	}
	// Each answer with its question, as asked.
	for _, r := range ex.Results {
		if len(r.Answers) != assessment.NumQuestions || r.Answers[7].Question != "Do you trust your boss?" || (r.Answers[0].Answer != "yes" && r.Answers[0].Answer != "no") {
			t.Errorf("exported result %+v", r)
		}
		if r.ID == "e1" {
			t.Errorf("export holds the partner's result %+v", r)
		}
	}
	d, ended, err := svc.DeleteUser(ctx, "UA")
	if err != nil {
		t.Fatal(err)
	}
	if d != (partnership.Deleted{Results: 2, Lists: 1, Wishes: 1, Pairs: 1, Invitations: 1}) || len(ended) != 1 || ended[0].ID != p.ID {
		t.Errorf("deleted = %+v, ended %+v", d, ended)
	}
	if ex, _ := svc.Export(ctx, "UA"); len(ex.Results)+len(ex.Pairs)+len(ex.NextSteps)+len(ex.Wishes)+len(ex.Former)+len(ex.Invitations) != 0 {
		t.Errorf("data left after delete: %+v", ex)
	}
	if c, _ := svc.Choices(ctx, "UE"); len(c.Pairs) != 0 {
		t.Errorf("partner still in the pair: %+v", c)
	}
	// The partner keeps their own history of it, naming nobody.
	exE, err := svc.Export(ctx, "UE")
	if err != nil {
		t.Fatal(err)
	}
	if len(exE.Former) != 1 {
		t.Fatalf("the partner's former partnerships = %+v, want one", exE.Former)
	}
	f := exE.Former[0]
	if f.Role != "executive" || len(f.Results) != 1 || f.Results[0].ID != "e1" || f.Results[0].Pair != "" ||
		f.NextSteps == nil || f.NextSteps.JustRight[0] != "my own line" || len(f.Wishes) != 1 || f.Wishes[0].Text != "v" || f.Wishes[0].To != "" {
		t.Errorf("the partner's former partnership = %+v", f)
	}
	if h, _ := svc.History(ctx, "UE", 10); len(h) != 1 || h[0].ID != "e1" {
		t.Errorf("the partner's history = %+v, want their own result", h)
	}
	// Leaving keeps both members' own history.
	q := pairUp(t, svc, "UG", "UE")
	clk.Add(time.Minute)
	svc.SubmitResult(ctx, assessment.Result{ID: "g1", UserID: "UG", PairID: string(q.ID), TakenAt: clk.Now(), Answers: answers("YYYYYNNNNN")})
	if _, err := svc.LeavePair(ctx, q.ID, "UE"); err != nil {
		t.Fatal(err)
	}
	if h, _ := svc.History(ctx, "UG", 10); len(h) != 1 || h[0].ID != "g1" {
		t.Errorf("after the partner left, history = %+v, want the result kept", h)
	}
	if exE, _ := svc.Export(ctx, "UE"); len(exE.Former) != 2 {
		t.Errorf("the leaver's former partnerships = %d, want 2", len(exE.Former))
	}
}

func TestInvitations(t *testing.T) {
	svc, clk, st := newServiceStore(t)
	ctx := context.Background()
	person := func(id string) partnership.Person { return partnership.Person{ID: id} }

	// An executive invites their assistant: the roles follow the inviter's.
	inv, err := svc.Invite(ctx, "UE", person("UA"), assessment.Executive)
	if err != nil {
		t.Fatal(err)
	}
	if inv.Assistant != "UA" || inv.Executive != "UE" || inv.From != "UE" || inv.Invitee() != "UA" || inv.Pair != "UA-UE" {
		t.Errorf("invitation = %+v", inv)
	}
	// No pair, nothing to act on, until it is accepted.
	if _, err := svc.Pair(ctx, inv.Pair, "UE"); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("the pair exists before it was accepted: %v", err)
	}
	if _, err := svc.SaveNextSteps(ctx, partnership.NextSteps{PairID: inv.Pair, UserID: "UE", Wishes: partnership.List{"a wish"}}); err == nil {
		t.Error("a wish was sent before the invitation was accepted")
	}
	// One invitation between two people, whichever way round.
	for _, again := range []struct {
		by, other string
		role      assessment.Perspective
	}{{"UE", "UA", assessment.Executive}, {"UA", "UE", assessment.Assistant}, {"UA", "UE", assessment.Executive}} {
		if _, err := svc.Invite(ctx, again.by, person(again.other), again.role); !errors.Is(err, partnership.ErrInvitePending) {
			t.Errorf("Invite(%s → %s as %s) with one pending = %v, want ErrInvitePending", again.by, again.other, again.role, err)
		}
	}
	toMe, byMe, _ := svc.Invitations(ctx, "UA")
	if len(toMe) != 1 || len(byMe) != 0 {
		t.Errorf("Invitations(UA) = %+v, %+v", toMe, byMe)
	}
	// Only the invitee answers; a third person is told it is not open.
	if _, err := svc.AcceptInvitation(ctx, inv.Pair, "UE"); !errors.Is(err, partnership.ErrNotInvitee) {
		t.Errorf("the inviter accepted: %v", err)
	}
	if _, err := svc.AcceptInvitation(ctx, inv.Pair, "UX"); !errors.Is(err, partnership.ErrInvitationGone) {
		t.Errorf("a third person accepted: %v", err)
	}
	ans, err := svc.AcceptInvitation(ctx, inv.Pair, "UA")
	if err != nil || ans.Pair.ID != "UA-UE" || ans.Pair.CreatedBy != "UE" {
		t.Fatalf("accept = %+v, %v", ans, err)
	}
	if _, err := svc.AcceptInvitation(ctx, inv.Pair, "UA"); !errors.Is(err, partnership.ErrInvitationGone) {
		t.Errorf("a second accept = %v, want ErrInvitationGone", err)
	}
	// Paired: no new invitation between them, either way round.
	if _, err := svc.Invite(ctx, "UE", person("UA"), assessment.Assistant); !errors.Is(err, partnership.ErrDuplicate) {
		t.Errorf("reverse invitation of a pair = %v, want ErrDuplicate", err)
	}

	// Declined: no pair; the invitation is gone.
	inv2, err := svc.Invite(ctx, "UA", person("UF"), assessment.Assistant)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.DeclineInvitation(ctx, inv2.Pair, "UF"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AcceptInvitation(ctx, inv2.Pair, "UF"); !errors.Is(err, partnership.ErrInvitationGone) {
		t.Errorf("accept after decline = %v", err)
	}
	if ps, _ := svc.Choices(ctx, "UF"); len(ps.Pairs) != 0 {
		t.Errorf("a declined invitation made a pair: %+v", ps)
	}

	// Expired after 14 days: not answerable, and a new one may be sent.
	inv3, err := svc.Invite(ctx, "UA", person("UG"), assessment.Assistant)
	if err != nil {
		t.Fatal(err)
	}
	clk.Add(partnership.InvitationTTL - time.Minute)
	if toMe, _, _ := svc.Invitations(ctx, "UG"); len(toMe) != 1 {
		t.Errorf("invitation gone before 14 days: %+v", toMe)
	}
	clk.Add(time.Minute)
	if _, err := svc.AcceptInvitation(ctx, inv3.Pair, "UG"); !errors.Is(err, partnership.ErrInvitationGone) {
		t.Errorf("accept after 14 days = %v, want ErrInvitationGone", err)
	}
	if toMe, _, _ := svc.Invitations(ctx, "UG"); len(toMe) != 0 {
		t.Errorf("expired invitation listed: %+v", toMe)
	}
	if _, err := svc.Invite(ctx, "UG", person("UA"), assessment.Executive); err != nil {
		t.Errorf("a new invitation after one expired: %v", err)
	}

	// Two invitations crossing (sent at once, before either saw the
	// other): accepting one withdraws the other.
	a := partnership.Invitation{Pair: "UH-UI", Assistant: "UH", Executive: "UI", From: "UH", At: clk.Now()}
	b := partnership.Invitation{Pair: "UI-UH", Assistant: "UI", Executive: "UH", From: "UI", At: clk.Now()}
	for _, i := range []partnership.Invitation{a, b} {
		if err := st.CreateInvitation(ctx, i); err != nil {
			t.Fatal(err)
		}
	}
	ans, err = svc.AcceptInvitation(ctx, a.Pair, "UI")
	if err != nil || ans.Reverse.Pair != b.Pair {
		t.Errorf("accept of crossing invitations = %+v, %v; want the reverse withdrawn", ans, err)
	}
	if _, err := svc.AcceptInvitation(ctx, b.Pair, "UH"); !errors.Is(err, partnership.ErrInvitationGone) {
		t.Errorf("the reverse invitation could still be accepted: %v", err)
	}
}

// A check-in answer: the reflection stays its writer's unless shared; the
// plan change is for the partner; a stranger can neither write nor read.
func TestReflections(t *testing.T) {
	svc, clk := newService(t)
	ctx := context.Background()
	p := pairUp(t, svc, "UA", "UE")
	round := clk.Now()
	if _, err := svc.SaveReflection(ctx, partnership.Reflection{Pair: p.ID, User: "UA", Round: round}); !errors.Is(err, partnership.ErrEmptyCheckin) {
		t.Errorf("an empty check-in = %v, want ErrEmptyCheckin", err)
	}
	if _, err := svc.SaveReflection(ctx, partnership.Reflection{Pair: p.ID, User: "UX", Round: round, Text: "x"}); !errors.Is(err, partnership.ErrNotMember) {
		t.Errorf("a stranger's check-in = %v", err)
	}
	long := strings.Repeat("é", partnership.MaxReflectionLen+10)
	saved, err := svc.SaveReflection(ctx, partnership.Reflection{Pair: p.ID, User: "UA", Round: round, Text: long, PlanChange: " move the 1:1 "})
	if err != nil || len([]rune(saved.Text)) != partnership.MaxReflectionLen || saved.PlanChange != "move the 1:1" {
		t.Fatalf("saved = %.40q %q, %v", saved.Text, saved.PlanChange, err)
	}
	if _, err := svc.SaveReflection(ctx, partnership.Reflection{Pair: p.ID, User: "UE", Round: round, Text: "shared words", Shared: true}); err != nil {
		t.Fatal(err)
	}
	seen, err := svc.RoundReflections(ctx, p.ID, "UE", round)
	if err != nil || len(seen) != 2 || seen[0].User != "UE" || seen[0].Text != "shared words" {
		t.Fatalf("the executive sees %+v, %v; their own first", seen, err)
	}
	if seen[1].User != "UA" || seen[1].Text != "" || seen[1].PlanChange != "move the 1:1" {
		t.Errorf("the executive sees the assistant's unshared reflection, or not the plan change: %+v", seen[1])
	}
	if mine, _ := svc.RoundReflections(ctx, p.ID, "UA", round); mine[0].Text != saved.Text {
		t.Errorf("the writer does not see their own reflection: %+v", mine[0])
	}
	if _, err := svc.RoundReflections(ctx, p.ID, "UX", round); !errors.Is(err, partnership.ErrNotMember) {
		t.Errorf("a stranger read the reflections: %v", err)
	}
}

// A progress check-in moves the goals the member changed, notes them once
// however often it is sent, leaves the ones they left alone (a partner's
// change made meanwhile stands), and counts even without a reflection.
func TestCheckInGoals(t *testing.T) {
	svc, clk := newService(t)
	ctx := context.Background()
	p := pairUp(t, svc, "UA", "UE")
	add := func(title string) partnership.Goal {
		t.Helper()
		g, err := svc.AddGoal(ctx, p.ID, "UA", partnership.GoalDraft{Title: title, Stage: partnership.StageNow, Owner: "UA"})
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	offsite, budget := add("Run the offsite"), add("Own the travel budget")
	round := clk.Now()
	clk.Add(time.Hour)
	// The executive marks the budget stuck after the assistant opened the check-in.
	if _, err := svc.SetGoalStatus(ctx, p.ID, budget.ID, "UE", partnership.GoalStuck, "finance is slow"); err != nil {
		t.Fatal(err)
	}
	checks := []partnership.GoalCheck{
		{GoalID: offsite.ID, Shown: partnership.GoalOnTrack, Status: partnership.GoalDone, Note: "venue booked"},
		{GoalID: budget.ID, Shown: partnership.GoalOnTrack, Status: partnership.GoalOnTrack},
		{GoalID: "gnotthere", Shown: partnership.GoalOnTrack, Status: partnership.GoalStuck},
	}
	r := partnership.Reflection{Pair: p.ID, User: "UA", Round: round}
	if _, _, err := svc.CheckIn(ctx, partnership.Reflection{Pair: p.ID, User: "UX", Round: round}, checks); !errors.Is(err, partnership.ErrNotMember) {
		t.Errorf("a stranger's check-in = %v", err)
	}
	if _, _, err := svc.CheckIn(ctx, r, checks[1:2]); !errors.Is(err, partnership.ErrEmptyCheckin) {
		t.Errorf("a check-in that changes nothing = %v, want ErrEmptyCheckin", err)
	}
	for try := 1; try <= 2; try++ {
		_, moved, err := svc.CheckIn(ctx, r, checks)
		if err != nil {
			t.Fatalf("try %d: %v", try, err)
		}
		if want := map[int]int{1: 1, 2: 0}[try]; len(moved) != want {
			t.Errorf("try %d moved %d goals, want %d", try, len(moved), want)
		}
	}
	rm, err := svc.Roadmap(ctx, p.ID, "UE")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := rm.Goal(offsite.ID)
	last := got.History[len(got.History)-1]
	if got.Status != partnership.GoalDone || last.By != "UA" || last.Note != "venue booked" || len(got.History) != 2 {
		t.Errorf("offsite = %s, history %+v; want done once, noted", got.Status, got.History)
	}
	if got, _ := rm.Goal(budget.ID); got.Status != partnership.GoalStuck {
		t.Errorf("an untouched select undid the partner's change: budget is %s", got.Status)
	}
	seen, err := svc.RoundReflections(ctx, p.ID, "UA", round)
	if err != nil || len(seen) != 1 || seen[0].User != "UA" {
		t.Errorf("a goals-only check-in was not recorded: %+v, %v", seen, err)
	}
}

// A goal that cannot take a check-in's update names itself; the
// reflection is not saved, so the member can fix it and send again.
func TestCheckInGoalErrors(t *testing.T) {
	svc, clk := newService(t)
	ctx := context.Background()
	p := pairUp(t, svc, "UA", "UE")
	g, err := svc.AddGoal(ctx, p.ID, "UA", partnership.GoalDraft{Title: "Run the offsite", Stage: partnership.StageNow, Owner: "UA"})
	if err != nil {
		t.Fatal(err)
	}
	for i := len(g.History); i < partnership.MaxGoalHistory; i++ {
		if g, err = svc.AddGoalNote(ctx, p.ID, g.ID, "UE", "note"); err != nil {
			t.Fatal(err)
		}
	}
	round := clk.Now()
	_, _, err = svc.CheckIn(ctx, partnership.Reflection{Pair: p.ID, User: "UA", Round: round, Text: "a good week"},
		[]partnership.GoalCheck{{GoalID: g.ID, Shown: partnership.GoalOnTrack, Status: partnership.GoalDone}})
	var ge *partnership.GoalCheckError
	if !errors.As(err, &ge) || ge.GoalID != g.ID || !errors.Is(err, partnership.ErrGoalHistoryFull) {
		t.Fatalf("CheckIn on a full goal = %v, want a GoalCheckError naming it", err)
	}
	if rs, _ := svc.RoundReflections(ctx, p.ID, "UA", round); len(rs) != 0 {
		t.Errorf("the refused check-in was saved: %+v", rs)
	}

	// A goal done meanwhile, reopened from a check-in while three others
	// fill Now: refused on that goal, saying why.
	done, err := svc.AddGoal(ctx, p.ID, "UA", partnership.GoalDraft{Title: "Clean the calendar", Stage: partnership.StageNow, Owner: "UA"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetGoalStatus(ctx, p.ID, g.ID, "UE", partnership.GoalDropped, ""); !errors.Is(err, partnership.ErrGoalHistoryFull) {
		t.Fatalf("dropping the full goal = %v", err)
	}
	if _, err := svc.SetGoalStatus(ctx, p.ID, done.ID, "UE", partnership.GoalDone, ""); err != nil {
		t.Fatal(err)
	}
	for _, title := range []string{"Two", "Three"} {
		if _, err := svc.AddGoal(ctx, p.ID, "UA", partnership.GoalDraft{Title: title, Stage: partnership.StageNow, Owner: "UA"}); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err = svc.CheckIn(ctx, partnership.Reflection{Pair: p.ID, User: "UA", Round: round},
		[]partnership.GoalCheck{{GoalID: done.ID, Shown: partnership.GoalOnTrack, Status: partnership.GoalOnTrack, Note: "not quite"}})
	if err != nil {
		t.Fatalf("a note on a done goal = %v", err)
	}
	_, _, err = svc.CheckIn(ctx, partnership.Reflection{Pair: p.ID, User: "UA", Round: round},
		[]partnership.GoalCheck{{GoalID: done.ID, Shown: partnership.GoalDone, Status: partnership.GoalOnTrack}})
	if !errors.As(err, &ge) || ge.GoalID != done.ID || !errors.Is(err, partnership.ErrNowFull) {
		t.Errorf("reopening into a full Now = %v, want a GoalCheckError naming it", err)
	}
}
