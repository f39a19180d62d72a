package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/partnerbot/partnerbot/internal/partnership"
)

// SetConsent records whether user agrees to show the pair's scorecard in
// scope sc: field "<scope>|<user>" of the pair's consent hash.
func (s *Store) SetConsent(ctx context.Context, id partnership.PairID, sc partnership.Scope, user string, yes bool) error {
	var err error
	field := string(sc) + "|" + user
	if yes {
		err = s.rdb.HSet(ctx, s.keys.consent(string(id)), field, "1").Err()
	} else {
		err = s.rdb.HDel(ctx, s.keys.consent(string(id)), field).Err()
	}
	if err != nil {
		return fmt.Errorf("store: consent %s %s %s: %w", id, sc, user, err)
	}
	return nil
}

// Consents tells, for each scope, which members agreed. Consents kept by
// builds before scopes (field "<user>", bound to no channel) count for
// nothing: they are asked for again.
func (s *Store) Consents(ctx context.Context, id partnership.PairID) (map[partnership.Scope]map[string]bool, error) {
	m, err := s.rdb.HGetAll(ctx, s.keys.consent(string(id))).Result()
	if err != nil {
		return nil, fmt.Errorf("store: consent %s: %w", id, err)
	}
	out := map[partnership.Scope]map[string]bool{}
	for f, v := range m {
		sc, user, ok := strings.Cut(f, "|")
		if !ok || v != "1" {
			continue
		}
		if out[partnership.Scope(sc)] == nil {
			out[partnership.Scope(sc)] = map[string]bool{}
		}
		out[partnership.Scope(sc)][user] = true
	}
	return out, nil
}

type scorecardRequestRecord struct {
	By          string `json:"by"`
	At          int64  `json:"at"`
	CardChannel string `json:"card_channel,omitempty"`
	CardTS      string `json:"card_ts,omitempty"`
}

// SetScorecardRequest records the ask waiting for sc (a zero r clears it):
// field "<scope>" of the pair's request hash.
func (s *Store) SetScorecardRequest(ctx context.Context, id partnership.PairID, sc partnership.Scope, r partnership.ScorecardRequest) error {
	key := s.keys.scorecardRequest(string(id))
	var err error
	if r.By == "" {
		err = s.rdb.HDel(ctx, key, string(sc)).Err()
	} else {
		b, _ := json.Marshal(scorecardRequestRecord{By: r.By, At: r.At.UnixMilli(), CardChannel: r.CardChannel, CardTS: r.CardTS})
		err = s.rdb.HSet(ctx, key, string(sc), b).Err()
	}
	if err != nil {
		return fmt.Errorf("store: scorecard request %s %s: %w", id, sc, err)
	}
	return nil
}

// ScorecardRequests are the asks waiting, by scope. A request kept by
// builds before scopes (fields channel and by) is dropped: its card names
// no scope to answer for.
func (s *Store) ScorecardRequests(ctx context.Context, id partnership.PairID) (map[partnership.Scope]partnership.ScorecardRequest, error) {
	m, err := s.rdb.HGetAll(ctx, s.keys.scorecardRequest(string(id))).Result()
	if err != nil {
		return nil, fmt.Errorf("store: scorecard requests %s: %w", id, err)
	}
	out := map[partnership.Scope]partnership.ScorecardRequest{}
	for f, v := range m {
		var rec scorecardRequestRecord
		if json.Unmarshal([]byte(v), &rec) != nil || rec.By == "" {
			continue
		}
		out[partnership.Scope(f)] = partnership.ScorecardRequest{By: rec.By, At: time.UnixMilli(rec.At).UTC(), CardChannel: rec.CardChannel, CardTS: rec.CardTS}
	}
	return out, nil
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
