package partnership

import (
	"context"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
)

// Export is everything the bot holds that a user wrote or that is about
// them.
type Export struct {
	UserID     string              `json:"user"`
	ExportedAt time.Time           `json:"exported_at"`
	Pairs      []ExportPair        `json:"pairs"`
	Results    []assessment.Result `json:"results"`
	NextSteps  []NextSteps         `json:"next_steps"`
	Wishes     []Wish              `json:"wishes"`
}

// ExportPair is a pair as exported.
type ExportPair struct {
	ID        PairID    `json:"id"`
	Assistant string    `json:"assistant"`
	Executive string    `json:"executive"`
	Role      string    `json:"your_role"`
	CreatedAt time.Time `json:"created_at"`
}

// exportLimit bounds the results exported per list.
const exportLimit = 10000

// Export gathers the user's data: their pairs, their own results (not the
// partner's answers), their lists, and the wishes they wrote or received.
func (s *Service) Export(ctx context.Context, user string) (Export, error) {
	out := Export{UserID: user, ExportedAt: s.clock.Now().UTC(), Pairs: []ExportPair{}, Results: []assessment.Result{}, NextSteps: []NextSteps{}, Wishes: []Wish{}}
	ps, err := s.store.PairsOf(ctx, user)
	if err != nil {
		return Export{}, err
	}
	if out.Results, err = s.History(ctx, user, exportLimit); err != nil {
		return Export{}, err
	}
	for _, p := range ps {
		out.Pairs = append(out.Pairs, ExportPair{ID: p.ID, Assistant: p.Assistant, Executive: p.Executive, Role: string(p.Perspective(user)), CreatedAt: p.CreatedAt})
		if ns, ok, err := s.store.NextSteps(ctx, p.ID, user); err != nil {
			return Export{}, err
		} else if ok {
			out.NextSteps = append(out.NextSteps, ns)
		}
		ws, err := s.store.Wishes(ctx, p.ID)
		if err != nil {
			return Export{}, err
		}
		for _, w := range ws {
			if w.From == user || w.To == user {
				out.Wishes = append(out.Wishes, w)
			}
		}
	}
	return out, nil
}

// DeleteUser removes the user's results, lists and wishes, and ends their
// pairs (whose shared history goes with them). It returns what was removed
// and the pairs that ended, so their partners can be told.
func (s *Service) DeleteUser(ctx context.Context, user string) (Deleted, []Pair, error) {
	ex, err := s.Export(ctx, user)
	if err != nil {
		return Deleted{}, nil, err
	}
	d := Deleted{Results: len(ex.Results), Lists: len(ex.NextSteps)}
	for _, w := range ex.Wishes {
		if w.From == user {
			d.Wishes++
		}
	}
	ps, err := s.store.PairsOf(ctx, user)
	if err != nil {
		return Deleted{}, nil, err
	}
	for _, p := range ps {
		if err := s.store.DeletePair(ctx, p); err != nil {
			return Deleted{}, nil, err
		}
		d.Pairs++
	}
	if err := s.store.DeleteUser(ctx, user); err != nil {
		return Deleted{}, nil, err
	}
	return d, ps, nil
}
