package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/partnership"
)

// ErrDuplicate reports that a submission was stored before (a retry); the
// history is unchanged.
var ErrDuplicate = partnership.ErrAlreadySaved

// resultRecord is a result as kept in Redis, after "<user>|".
type resultRecord struct {
	ID          string `json:"id"`
	Perspective string `json:"p"`
	At          int64  `json:"at"` // Unix milliseconds
	Answers     string `json:"a"`  // Y/N letters
	Pair        string `json:"pair,omitempty"`
	Shared      bool   `json:"shared,omitempty"`
}

func resultRecordOf(r assessment.Result) resultRecord {
	return resultRecord{
		ID: r.ID, Perspective: string(r.Perspective), At: r.TakenAt.UnixMilli(),
		Answers: r.Answers.String(), Pair: r.PairID, Shared: r.Shared,
	}
}

// result is the record as user's result.
func (rec resultRecord) result(user string) (assessment.Result, error) {
	a, err := assessment.ParseAnswers(rec.Answers)
	if err != nil {
		return assessment.Result{}, fmt.Errorf("decode result %s: %w", rec.ID, err)
	}
	return assessment.Result{
		ID: rec.ID, UserID: user, Perspective: assessment.Perspective(rec.Perspective),
		TakenAt: time.UnixMilli(rec.At).UTC(), Answers: a, PairID: rec.Pair, Shared: rec.Shared,
	}, nil
}

func encodeResult(r assessment.Result) (string, error) {
	b, err := json.Marshal(resultRecordOf(r))
	if err != nil {
		return "", err
	}
	return r.UserID + "|" + string(b), nil
}

func decodeResult(s string) (assessment.Result, error) {
	user, body, ok := strings.Cut(s, "|")
	if !ok {
		return assessment.Result{}, errors.New("decode result: no user")
	}
	var rec resultRecord
	if err := json.Unmarshal([]byte(body), &rec); err != nil {
		return assessment.Result{}, fmt.Errorf("decode result: %w", err)
	}
	return rec.result(user)
}

// SaveResult appends r to its pair's results (or, without a pair, to the
// user's own history) in one atomic round trip and returns the same user's
// result before it there, if any. A second call with the same r.ID stores
// nothing and returns ErrDuplicate.
func (s *Store) SaveResult(ctx context.Context, r assessment.Result) (prev assessment.Result, ok bool, err error) {
	if r.ID == "" || r.UserID == "" || strings.Contains(r.UserID, "|") {
		return prev, false, errors.New("store: save result: id and a valid user are required")
	}
	enc, err := encodeResult(r)
	if err != nil {
		return prev, false, fmt.Errorf("store: save result: %w", err)
	}
	keys := []string{s.keys.results(r.UserID), s.keys.submissions(r.UserID)}
	args := []any{enc, r.ID, r.UserID + "|"}
	if r.PairID != "" {
		keys = []string{s.keys.pairResults(r.PairID), s.keys.pairSubmissions(r.PairID), s.keys.schedule(r.PairID)}
		args = append(args, answeredField+r.UserID, r.TakenAt.UnixMilli())
	}
	reply, err := appendResult.Run(ctx, s.rdb, keys, args...).Slice()
	if err != nil {
		return prev, false, fmt.Errorf("store: save result for %s: %w", r.UserID, err)
	}
	if len(reply) != 2 {
		return prev, false, fmt.Errorf("store: save result: unexpected reply of %d values", len(reply))
	}
	if p, isStr := reply[1].(string); isStr {
		if prev, err = decodeResult(p); err != nil {
			return prev, false, fmt.Errorf("store: save result for %s: %w", r.UserID, err)
		}
		ok = true
	}
	if n, _ := reply[0].(int64); n != 1 {
		return prev, ok, ErrDuplicate
	}
	return prev, ok, nil
}

// Results returns up to limit of the user's latest results outside any
// pair, oldest first.
func (s *Store) Results(ctx context.Context, userID string, limit int) ([]assessment.Result, error) {
	return s.resultList(ctx, s.keys.results(userID), limit)
}

// PairResults returns up to limit of the pair's latest results, both
// members, oldest first.
func (s *Store) PairResults(ctx context.Context, id partnership.PairID, limit int) ([]assessment.Result, error) {
	return s.resultList(ctx, s.keys.pairResults(string(id)), limit)
}

func (s *Store) resultList(ctx context.Context, key string, limit int) ([]assessment.Result, error) {
	if limit <= 0 {
		return nil, nil
	}
	raw, err := s.rdb.LRange(ctx, key, int64(-limit), -1).Result()
	if err != nil {
		return nil, fmt.Errorf("store: results %s: %w", key, err)
	}
	out := make([]assessment.Result, 0, len(raw))
	for _, e := range raw {
		r, err := decodeResult(e)
		if err != nil {
			return nil, fmt.Errorf("store: results %s: %w", key, err)
		}
		out = append(out, r)
	}
	return out, nil
}
