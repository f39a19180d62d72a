package partnership

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
)

// When a pair ends (a member leaves, or deletes their data), each member
// who stays keeps their own history of it: their results, their Next Steps
// lists, the wishes they wrote, the wins they logged, the goals they own
// and their own check-in answers. It is kept in their own space, as a
// Former partnership that names nobody else: not the partner, nor the
// pair (whose ID holds the partner's), nor anything the partner wrote (a
// decline note, who moved a wish). So what one person deletes leaves no
// trace in another's data, and needs no search through it.
//
// The charter is not kept in a Former: it is joint text, written and
// accepted by both, so neither keeps it alone. It goes with the pair.

// Former is one member's own history of a partnership that ended.
type Former struct {
	// Key names it among the member's former partnerships, from the pair's
	// start and the member's role: never the partner's ID.
	Key     string
	Role    assessment.Perspective
	Began   time.Time
	Ended   time.Time
	Results []assessment.Result // PairID cleared
	// Steps is the member's lists (PairID cleared); HasSteps false when
	// never written.
	Steps    NextSteps
	HasSteps bool
	// Wishes are the wishes the member wrote: text, status, when, and the
	// times of each move, without who moved them or their notes.
	Wishes []Wish
	// Goals are the roadmap goals the member owns: stage, status, target,
	// the title and what it serves when the member wrote them, their own
	// notes, and the times and moves of the rest of the history, without
	// who made them or their notes.
	Goals []Goal
	// Wins are the wins the member logged (PairID cleared), tied to a goal
	// only when it is among Goals.
	Wins []Win
	// Reflections are the member's own check-in answers (PairID cleared).
	Reflections []Reflection
}

// formerOf builds user's Former of pair p from its data.
func formerOf(p Pair, user string, results []assessment.Result, steps NextSteps, hasSteps bool, wishes []Wish, goals []Goal, wins []Win, reflections []Reflection, ended time.Time) Former {
	role := p.Perspective(user)
	f := Former{
		Key:  strconv.FormatInt(p.CreatedAt.UnixMilli(), 10) + "|" + string(role),
		Role: role, Began: p.CreatedAt, Ended: ended, HasSteps: hasSteps,
	}
	for _, r := range results {
		if r.UserID == user && r.PairID == string(p.ID) {
			r.PairID = ""
			f.Results = append(f.Results, r)
		}
	}
	if hasSteps {
		steps.PairID = ""
		f.Steps = steps
	}
	for _, w := range wishes {
		if w.From != user || w.PairID != p.ID {
			continue
		}
		kept := Wish{ID: w.ID, From: user, Text: w.Text, Status: w.Status, CreatedAt: w.CreatedAt}
		for _, e := range w.History {
			kept.History = append(kept.History, WishEvent{At: e.At, From: e.From, To: e.To})
		}
		f.Wishes = append(f.Wishes, kept)
	}
	kept := map[string]bool{}
	for _, g := range goals {
		if g.Owner != user || g.PairID != p.ID {
			continue
		}
		kept[g.ID] = true
		f.Goals = append(f.Goals, ownGoal(g, user))
	}
	for _, w := range wins {
		if w.By != user || w.PairID != p.ID {
			continue
		}
		w.PairID = ""
		if !kept[w.GoalID] {
			w.GoalID = ""
		}
		f.Wins = append(f.Wins, w)
	}
	for _, r := range reflections {
		if r.User == user && r.Pair == p.ID {
			r.Pair = ""
			f.Reflections = append(f.Reflections, r)
		}
	}
	slices.SortFunc(f.Reflections, func(a, b Reflection) int { return a.Round.Compare(b.Round) })
	return f
}

// ownGoal is g as its owner user keeps it: nothing the partner wrote,
// nothing that names them.
func ownGoal(g Goal, user string) Goal {
	kept := Goal{ID: g.ID, Stage: g.Stage, Owner: user, Target: g.Target, Status: g.Status, CreatedAt: g.CreatedAt, Rev: g.Rev}
	if g.TitleBy() == user {
		kept.Title = g.Title
	}
	if g.ServesBy() == user {
		kept.Serves = g.Serves
	}
	if g.CreatedBy == user {
		kept.CreatedBy = user
	}
	for _, e := range g.History {
		if e.By != user {
			e.By, e.Note = "", ""
		}
		kept.History = append(kept.History, e)
	}
	return kept
}

// endPair ends p: each member in keep first gets their Former of it, then
// the pair and everything in it goes.
func (s *Service) endPair(ctx context.Context, p Pair, keep ...string) error {
	if len(keep) > 0 {
		rs, err := s.store.PairResults(ctx, p.ID, exportLimit)
		if err != nil {
			return err
		}
		ws, err := s.store.Wishes(ctx, p.ID)
		if err != nil {
			return err
		}
		gs, _, err := s.store.Roadmap(ctx, p.ID)
		if err != nil {
			return err
		}
		wins, err := s.store.Wins(ctx, p.ID, time.Time{})
		if err != nil {
			return err
		}
		refl, err := s.store.Reflections(ctx, p.ID)
		if err != nil {
			return err
		}
		now := s.clock.Now().UTC()
		for _, u := range keep {
			steps, ok, err := s.store.NextSteps(ctx, p.ID, u)
			if err != nil {
				return err
			}
			if err := s.store.AddFormer(ctx, u, formerOf(p, u, rs, steps, ok, ws, gs, wins, refl, now)); err != nil {
				return err
			}
		}
	}
	return s.store.DeletePair(ctx, p)
}
