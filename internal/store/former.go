package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/partnership"
)

// formerRecord is a Former as kept in the user's own slot. It reuses the
// records of results, lists and wishes, and names nobody but its owner.
type formerRecord struct {
	Role    string         `json:"role"`
	Began   int64          `json:"began"`
	Ended   int64          `json:"ended"`
	Results []resultRecord `json:"results"`
	Steps   *stepsRecord   `json:"steps,omitempty"`
	Wishes  []wishRecord   `json:"wishes"`
	Goals   []goalRecord   `json:"goals,omitempty"`
	Wins    []winRecord    `json:"wins,omitempty"`
	// Reflections are the owner's own check-in answers.
	Reflections []formerReflection `json:"reflections,omitempty"`
}

// formerReflection is a check-in answer kept in a Former: the record and
// the round it answered (its user is the Former's owner).
type formerReflection struct {
	reflectionRecord
	Round int64 `json:"round"`
}

// AddFormer keeps f among user's former partnerships, under f.Key, or
// f.Key with a number after it when that is taken (two pairs begun in the
// same millisecond, in the same role): nothing is lost; a retried end of
// the same pair may keep it twice.
func (s *Store) AddFormer(ctx context.Context, user string, f partnership.Former) error {
	rec := formerRecord{Role: string(f.Role), Began: f.Began.UnixMilli(), Ended: f.Ended.UnixMilli(), Results: []resultRecord{}, Wishes: []wishRecord{}}
	for _, r := range f.Results {
		rec.Results = append(rec.Results, resultRecordOf(r))
	}
	if f.HasSteps {
		st := stepsRecordOf(f.Steps)
		rec.Steps = &st
	}
	for _, w := range f.Wishes {
		rec.Wishes = append(rec.Wishes, wishRecordOf(w))
	}
	for _, g := range f.Goals {
		rec.Goals = append(rec.Goals, goalRecordOf(g))
	}
	for _, w := range f.Wins {
		rec.Wins = append(rec.Wins, winRecordOf(w))
	}
	for _, r := range f.Reflections {
		rec.Reflections = append(rec.Reflections, formerReflection{reflectionRecordOf(r), r.Round.UnixMilli()})
	}
	b, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("store: former partnership of %s: %w", user, err)
	}
	key := f.Key
	for n := 2; ; n++ {
		set, err := s.rdb.HSetNX(ctx, s.keys.former(user), key, b).Result()
		if err != nil {
			return fmt.Errorf("store: former partnership of %s: %w", user, err)
		}
		if set {
			return nil
		}
		key = f.Key + "|" + strconv.Itoa(n)
	}
}

// Formers lists user's former partnerships, oldest first.
func (s *Store) Formers(ctx context.Context, user string) ([]partnership.Former, error) {
	m, err := s.rdb.HGetAll(ctx, s.keys.former(user)).Result()
	if err != nil {
		return nil, fmt.Errorf("store: former partnerships of %s: %w", user, err)
	}
	out := make([]partnership.Former, 0, len(m))
	for key, v := range m {
		var rec formerRecord
		if err := json.Unmarshal([]byte(v), &rec); err != nil {
			return nil, fmt.Errorf("store: former partnership %s of %s: %w", key, user, err)
		}
		f := partnership.Former{Key: key, Role: assessment.Perspective(rec.Role),
			Began: time.UnixMilli(rec.Began).UTC(), Ended: time.UnixMilli(rec.Ended).UTC(), HasSteps: rec.Steps != nil}
		for _, r := range rec.Results {
			res, err := r.result(user)
			if err != nil {
				return nil, fmt.Errorf("store: former partnership %s of %s: %w", key, user, err)
			}
			f.Results = append(f.Results, res)
		}
		if rec.Steps != nil {
			f.Steps = rec.Steps.nextSteps("", user)
		}
		for _, w := range rec.Wishes {
			f.Wishes = append(f.Wishes, w.wish(""))
		}
		for _, g := range rec.Goals {
			goal, err := g.goal("")
			if err != nil {
				return nil, fmt.Errorf("store: former partnership %s of %s: %w", key, user, err)
			}
			f.Goals = append(f.Goals, goal)
		}
		for _, w := range rec.Wins {
			f.Wins = append(f.Wins, w.win(""))
		}
		for _, r := range rec.Reflections {
			f.Reflections = append(f.Reflections, r.reflection("", user, time.UnixMilli(r.Round).UTC()))
		}
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b partnership.Former) int {
		if c := a.Ended.Compare(b.Ended); c != 0 {
			return c
		}
		return cmpString(a.Key, b.Key)
	})
	return out, nil
}
