package store

import (
	"context"
	"fmt"

	"github.com/partnerbot/partnerbot/internal/partnership"
)

// SetConsent records whether user agrees to show the pair's scorecard.
func (s *Store) SetConsent(ctx context.Context, id partnership.PairID, user string, yes bool) error {
	var err error
	if yes {
		err = s.rdb.HSet(ctx, s.keys.consent(string(id)), user, "1").Err()
	} else {
		err = s.rdb.HDel(ctx, s.keys.consent(string(id)), user).Err()
	}
	if err != nil {
		return fmt.Errorf("store: consent %s %s: %w", id, user, err)
	}
	return nil
}

// Consent tells which members agreed.
func (s *Store) Consent(ctx context.Context, id partnership.PairID) (map[string]bool, error) {
	m, err := s.rdb.HGetAll(ctx, s.keys.consent(string(id))).Result()
	if err != nil {
		return nil, fmt.Errorf("store: consent %s: %w", id, err)
	}
	out := make(map[string]bool, len(m))
	for u, v := range m {
		out[u] = v == "1"
	}
	return out, nil
}

// SetScorecardRequest remembers where a scorecard should go once the
// partner agrees ("" channel clears it).
func (s *Store) SetScorecardRequest(ctx context.Context, id partnership.PairID, channel, by string) error {
	key := s.keys.scorecardRequest(string(id))
	var err error
	if channel == "" {
		err = s.rdb.Del(ctx, key).Err()
	} else {
		err = s.rdb.HSet(ctx, key, "channel", channel, "by", by).Err()
	}
	if err != nil {
		return fmt.Errorf("store: scorecard request %s: %w", id, err)
	}
	return nil
}

// ScorecardRequest is the waiting request ("" channel when none).
func (s *Store) ScorecardRequest(ctx context.Context, id partnership.PairID) (channel, by string, err error) {
	m, err := s.rdb.HGetAll(ctx, s.keys.scorecardRequest(string(id))).Result()
	if err != nil {
		return "", "", fmt.Errorf("store: scorecard request %s: %w", id, err)
	}
	return m["channel"], m["by"], nil
}

// AllPairs lists every pair's ID.
func (s *Store) AllPairs(ctx context.Context) ([]partnership.PairID, error) {
	var out []partnership.PairID
	iter := s.rdb.SScan(ctx, s.keys.allPairs(), 0, "", 1000).Iterator()
	for iter.Next(ctx) {
		out = append(out, partnership.PairID(iter.Val()))
	}
	if err := iter.Err(); err != nil {
		return nil, fmt.Errorf("store: all pairs: %w", err)
	}
	return out, nil
}
