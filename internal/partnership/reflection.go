package partnership

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"
)

// A weekly check-in reviews progress: besides the goals, each member
// answers the week's reflection prompt (one of the article's fifteen
// characteristics of successful partnerships) in their own words, private
// unless they share it, and says whether anything in the plan should
// change, which is for their partner.

// Bounds of a check-in's free text.
const (
	MaxReflectionLen = 1000
	MaxPlanChangeLen = 500
)

// Reflection is one member's check-in answer in one round.
type Reflection struct {
	Pair  PairID
	User  string
	Round time.Time // the round it answers (when it opened)
	// Prompt is the characteristic the round asked about.
	Prompt string
	// Text is the member's answer to it: private unless Shared.
	Text   string
	Shared bool
	// PlanChange answers "anything to change in the plan?": for the
	// partner, always.
	PlanChange string
	At         time.Time
}

// ErrEmptyCheckin refuses a check-in with nothing in it.
var ErrEmptyCheckin = errors.New("update a goal, write a line about this week's reflection, or say what you would change in the plan")

// GoalCheck is one goal's line in a progress check-in: the status the
// member chose, the status the form showed (so that a select left as it
// was does not undo a change the partner made meanwhile), and a note.
type GoalCheck struct {
	GoalID string
	Shown  GoalStatus
	Status GoalStatus
	Note   string
}

func (c GoalCheck) moves() bool {
	return (c.Status.Valid() && c.Status != c.Shown) || strings.TrimSpace(c.Note) != ""
}

// GoalCheckError names the goal a check-in could not update.
type GoalCheckError struct {
	GoalID string
	Err    error
}

func (e *GoalCheckError) Error() string { return "goal " + e.GoalID + ": " + e.Err.Error() }
func (e *GoalCheckError) Unwrap() error { return e.Err }

// SaveReflection stores a member's check-in answer for a round (replacing
// an earlier one of theirs for the same round: answers may change until
// the round closes), and counts the round as answered by them.
func (s *Service) SaveReflection(ctx context.Context, r Reflection) (Reflection, error) {
	r, _, err := s.CheckIn(ctx, r, nil)
	return r, err
}

// CheckIn records a member's progress check-in for a round: first each
// goal's status and note (the goals a member leaves as they were are not
// touched), then their reflection, which counts the round as answered. It
// returns the goals it changed. Sending the same check-in again changes
// nothing more: a note already recorded by the member in this round is
// not added twice. A goal removed meanwhile is passed over; one that
// cannot take the update is a *GoalCheckError.
func (s *Service) CheckIn(ctx context.Context, r Reflection, checks []GoalCheck) (Reflection, []Goal, error) {
	p, err := s.member(ctx, r.Pair, r.User)
	if err != nil {
		return Reflection{}, nil, err
	}
	r.Pair = p.ID
	r.Text = clip(strings.TrimSpace(r.Text), MaxReflectionLen)
	r.PlanChange = clip(strings.TrimSpace(r.PlanChange), MaxPlanChangeLen)
	r.Prompt = clip(strings.TrimSpace(r.Prompt), MaxItemLen)
	var moves []GoalCheck
	for _, c := range checks {
		if c.moves() {
			moves = append(moves, c)
		}
	}
	if r.Text == "" && r.PlanChange == "" && len(moves) == 0 {
		return Reflection{}, nil, ErrEmptyCheckin
	}
	if r.Text == "" {
		r.Shared = false
	}
	var changed []Goal
	for _, c := range moves {
		before := 0
		g, err := s.updateGoal(ctx, p.ID, c.GoalID, r.User, 0, func(_ Pair, g Goal, now time.Time) (Goal, bool, error) {
			before = g.Rev
			u := GoalUpdate{Stage: g.Stage, Status: g.Status, Note: clip(strings.TrimSpace(c.Note), MaxGoalNote)}
			if c.Status.Valid() && c.Status != c.Shown {
				u.Status = c.Status
			}
			if u.Note != "" && g.noted(r.User, u.Note, r.Round) {
				u.Note = ""
			}
			return g.apply(r.User, u, now)
		})
		switch {
		case errors.Is(err, ErrGoalNotFound):
			continue
		case errors.Is(err, ErrGoalHistoryFull) || errors.Is(err, ErrBadInput) || errors.Is(err, ErrGoalClosed) ||
			errors.Is(err, ErrNowFull) || errors.Is(err, ErrTooManyGoals):
			return Reflection{}, changed, &GoalCheckError{GoalID: c.GoalID, Err: err}
		case err != nil:
			return Reflection{}, changed, err
		}
		if g.Rev != before {
			changed = append(changed, g)
		}
	}
	r.At = s.clock.Now().UTC()
	if err := s.store.SaveReflection(ctx, r); err != nil {
		return Reflection{}, changed, err
	}
	return r, changed, nil
}

// noted reports whether by already added note to g at or after since.
func (g Goal) noted(by, note string, since time.Time) bool {
	for _, e := range slices.Backward(g.History) {
		if e.At.Before(since) {
			break
		}
		if e.By == by && e.Note == note {
			return true
		}
	}
	return false
}

// Seen is a reflection as someone sees it: their own whole, the partner's
// text only when shared.
func (r Reflection) Seen(by string) Reflection {
	if r.User != by && !r.Shared {
		r.Text = ""
	}
	return r
}

// RoundReflections are the pair's check-in answers of one round, as by
// sees them (the partner's text only when shared), by first.
func (s *Service) RoundReflections(ctx context.Context, id PairID, by string, round time.Time) ([]Reflection, error) {
	p, err := s.member(ctx, id, by)
	if err != nil {
		return nil, err
	}
	rs, err := s.store.Reflections(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	var out []Reflection
	for _, r := range rs {
		if r.Round.Equal(round) && p.Has(r.User) {
			out = append(out, r.Seen(by))
		}
	}
	slices.SortStableFunc(out, func(a, b Reflection) int {
		switch {
		case a.User == by && b.User != by:
			return -1
		case b.User == by && a.User != by:
			return 1
		}
		return a.At.Compare(b.At)
	})
	return out, nil
}

// sharedReflections are what both members of a pair may see of its check-in
// answers given after since: the shared texts and every plan change.
func sharedReflections(rs []Reflection, p Pair, since time.Time) []Reflection {
	var out []Reflection
	for _, r := range rs {
		if !p.Has(r.User) || !r.At.After(since) {
			continue
		}
		r = r.Seen("")
		if r.Text != "" || r.PlanChange != "" {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, byWritten)
	return out
}

// byWritten orders answers by when they were written, then by round and
// member: the store's hash has no order of its own.
func byWritten(a, b Reflection) int {
	if c := a.At.Compare(b.At); c != 0 {
		return c
	}
	if c := a.Round.Compare(b.Round); c != 0 {
		return c
	}
	return strings.Compare(a.User, b.User)
}
