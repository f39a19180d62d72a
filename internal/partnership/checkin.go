package partnership

import (
	"context"
	"slices"
)

// CheckinContent is what a member's weekly check-in DM reviews, besides
// the week's reflection: the goals in Now, the wins since the last
// summary, and, in the week it is due, the charter's quarterly review.
// The executive also gets a one-screen Digest.
type CheckinContent struct {
	Now       []Goal
	Wins      []Win
	ReviewDue bool
	// Digest is for the executive (nil for the assistant).
	Digest *Digest
}

// Digest is the executive's one-screen view of the week: the wins by the
// goal they count toward, the goals that are stuck, and what waits for
// their decision.
type Digest struct {
	ByGoal []WinGroup
	Stuck  []Goal
	// CharterWaiting is the number of a charter draft waiting for the
	// executive's acceptance (0 when none).
	CharterWaiting int
	// WishesOpen counts the open wishes addressed to the executive.
	WishesOpen int
	// PlanChanges are what the assistant proposed changing in the plan in
	// their check-ins since the last summary.
	PlanChanges []Reflection
}

// Empty reports whether the digest holds nothing to show.
func (d Digest) Empty() bool {
	return len(d.ByGoal) == 0 && len(d.Stuck) == 0 && d.CharterWaiting == 0 && d.WishesOpen == 0 && len(d.PlanChanges) == 0
}

// CheckinContent gathers what user's check-in DM in pair p reviews. The
// pair comes from the check-in queue, not from a person: no membership to
// check beyond user being in it.
func (s *Service) CheckinContent(ctx context.Context, p Pair, user string) (CheckinContent, error) {
	if !p.Has(user) {
		return CheckinContent{}, ErrNotMember
	}
	last, err := s.store.LastSummary(ctx, p.ID)
	if err != nil {
		return CheckinContent{}, err
	}
	prog, err := s.progressAt(ctx, p, last, s.clock.Now().UTC())
	if err != nil {
		return CheckinContent{}, err
	}
	c := CheckinContent{Now: prog.Now, Wins: prog.Wins} // wins are the assistant's: both see them
	if c.ReviewDue, err = s.CharterReviewDue(ctx, p.ID); err != nil {
		return CheckinContent{}, err
	}
	if user != p.Executive {
		return c, nil
	}
	d := &Digest{ByGoal: prog.ByGoal, Stuck: prog.Stuck}
	st, err := s.CharterState(ctx, p.ID, user)
	if err != nil {
		return CheckinContent{}, err
	}
	if st.Pending > 0 && st.WaitingFor == user {
		d.CharterWaiting = st.Pending
	}
	ws, err := s.store.Wishes(ctx, p.ID)
	if err != nil {
		return CheckinContent{}, err
	}
	for _, w := range ws {
		if w.To == user && w.IsOpen() {
			d.WishesOpen++
		}
	}
	rs, err := s.store.Reflections(ctx, p.ID)
	if err != nil {
		return CheckinContent{}, err
	}
	for _, r := range sharedReflections(rs, p, last) {
		if r.User == p.Assistant && r.PlanChange != "" {
			d.PlanChanges = append(d.PlanChanges, r)
		}
	}
	slices.SortFunc(d.PlanChanges, byWritten)
	c.Digest = d
	return c, nil
}
