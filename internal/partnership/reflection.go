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
var ErrEmptyCheckin = errors.New("write a line about this week's reflection, or what you would change in the plan")

// SaveReflection stores a member's check-in answer for a round (replacing
// an earlier one of theirs for the same round: answers may change until
// the round closes), and counts the round as answered by them.
func (s *Service) SaveReflection(ctx context.Context, r Reflection) (Reflection, error) {
	p, err := s.member(ctx, r.Pair, r.User)
	if err != nil {
		return Reflection{}, err
	}
	r.Pair = p.ID
	r.Text = clip(strings.TrimSpace(r.Text), MaxReflectionLen)
	r.PlanChange = clip(strings.TrimSpace(r.PlanChange), MaxPlanChangeLen)
	r.Prompt = clip(strings.TrimSpace(r.Prompt), MaxItemLen)
	if r.Text == "" && r.PlanChange == "" {
		return Reflection{}, ErrEmptyCheckin
	}
	if r.Text == "" {
		r.Shared = false
	}
	r.At = s.clock.Now().UTC()
	if err := s.store.SaveReflection(ctx, r); err != nil {
		return Reflection{}, err
	}
	return r, nil
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
	slices.SortStableFunc(out, func(a, b Reflection) int { return a.At.Compare(b.At) })
	return out
}
