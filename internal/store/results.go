package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
)

// submissionTTL is how long a submission id is remembered; Slack's retries
// come within minutes.
const submissionTTL = 7 * 24 * time.Hour

// ErrDuplicate reports that a submission was stored before (a retry); the
// history is unchanged.
var ErrDuplicate = errors.New("store: submission already stored")

// resultRecord is a result as kept in Redis.
type resultRecord struct {
	ID          string `json:"id"`
	User        string `json:"user"`
	Perspective string `json:"p"`
	At          int64  `json:"at"` // Unix milliseconds
	Answers     string `json:"a"`  // Y/N letters
}

func encodeResult(r assessment.Result) ([]byte, error) {
	return json.Marshal(resultRecord{
		ID: r.ID, User: r.UserID, Perspective: string(r.Perspective),
		At: r.TakenAt.UnixMilli(), Answers: r.Answers.String(),
	})
}

func decodeResult(s string) (assessment.Result, error) {
	var rec resultRecord
	if err := json.Unmarshal([]byte(s), &rec); err != nil {
		return assessment.Result{}, fmt.Errorf("decode result: %w", err)
	}
	a, err := assessment.ParseAnswers(rec.Answers)
	if err != nil {
		return assessment.Result{}, fmt.Errorf("decode result %s: %w", rec.ID, err)
	}
	return assessment.Result{
		ID: rec.ID, UserID: rec.User, Perspective: assessment.Perspective(rec.Perspective),
		TakenAt: time.UnixMilli(rec.At).UTC(), Answers: a,
	}, nil
}

// SaveResult appends r to its user's history in one atomic round trip and
// returns the result before it, if any (ok false when r is the first). A
// second call with the same r.ID stores nothing and returns ErrDuplicate.
func (s *Store) SaveResult(ctx context.Context, r assessment.Result) (prev assessment.Result, ok bool, err error) {
	if r.ID == "" || r.UserID == "" {
		return prev, false, errors.New("store: save result: id and user are required")
	}
	enc, err := encodeResult(r)
	if err != nil {
		return prev, false, fmt.Errorf("store: save result: %w", err)
	}
	keys := []string{s.keys.results(r.UserID), s.keys.submission(r.UserID, r.ID)}
	reply, err := appendResult.Run(ctx, s.rdb, keys, enc, int(submissionTTL/time.Second)).Slice()
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

// Results returns up to limit of the user's latest results, oldest first.
func (s *Store) Results(ctx context.Context, userID string, limit int) ([]assessment.Result, error) {
	if limit <= 0 {
		return nil, nil
	}
	raw, err := s.rdb.LRange(ctx, s.keys.results(userID), int64(-limit), -1).Result()
	if err != nil {
		return nil, fmt.Errorf("store: results of %s: %w", userID, err)
	}
	out := make([]assessment.Result, 0, len(raw))
	for _, e := range raw {
		r, err := decodeResult(e)
		if err != nil {
			return nil, fmt.Errorf("store: results of %s: %w", userID, err)
		}
		out = append(out, r)
	}
	return out, nil
}
