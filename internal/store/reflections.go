package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/partnerbot/partnerbot/internal/partnership"
)

// reflectionRecord is a check-in answer as kept in the pair's hash, under
// "<round ms>|<user>".
type reflectionRecord struct {
	Prompt     string `json:"prompt,omitempty"`
	Text       string `json:"text,omitempty"`
	Shared     bool   `json:"shared,omitempty"`
	PlanChange string `json:"plan_change,omitempty"`
	At         int64  `json:"at"`
}

func reflectionRecordOf(r partnership.Reflection) reflectionRecord {
	return reflectionRecord{Prompt: r.Prompt, Text: r.Text, Shared: r.Shared, PlanChange: r.PlanChange, At: r.At.UnixMilli()}
}

// reflection is the record as user's answer in pair id to round.
func (rec reflectionRecord) reflection(id partnership.PairID, user string, round time.Time) partnership.Reflection {
	return partnership.Reflection{Pair: id, User: user, Round: round, Prompt: rec.Prompt,
		Text: rec.Text, Shared: rec.Shared, PlanChange: rec.PlanChange, At: time.UnixMilli(rec.At).UTC()}
}

// SaveReflection stores r (replacing the member's answer of that round)
// and, in the same script, moves the member's latest answer in the pair
// (the schedule's answered:<user>, as a result does) to r.At, so that the
// round counts as answered.
func (s *Store) SaveReflection(ctx context.Context, r partnership.Reflection) error {
	id := string(r.Pair)
	b, err := json.Marshal(reflectionRecordOf(r))
	if err != nil {
		return fmt.Errorf("store: save reflection: %w", err)
	}
	field := strconv.FormatInt(r.Round.UnixMilli(), 10) + "|" + r.User
	if err := saveReflection.Run(ctx, s.rdb, []string{s.keys.reflections(id), s.keys.schedule(id)},
		field, b, answeredField+r.User, r.At.UnixMilli()).Err(); err != nil {
		return fmt.Errorf("store: save reflection %s %s: %w", id, r.User, err)
	}
	return nil
}

// Reflections are all the pair's check-in answers.
func (s *Store) Reflections(ctx context.Context, id partnership.PairID) ([]partnership.Reflection, error) {
	m, err := s.rdb.HGetAll(ctx, s.keys.reflections(string(id))).Result()
	if err != nil {
		return nil, fmt.Errorf("store: reflections %s: %w", id, err)
	}
	out := make([]partnership.Reflection, 0, len(m))
	for f, v := range m {
		round, user, ok := strings.Cut(f, "|")
		ms, err := strconv.ParseInt(round, 10, 64)
		var rec reflectionRecord
		if !ok || err != nil || json.Unmarshal([]byte(v), &rec) != nil {
			return nil, fmt.Errorf("store: reflections %s: a malformed entry", id)
		}
		out = append(out, rec.reflection(id, user, time.UnixMilli(ms).UTC()))
	}
	return out, nil
}
