package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/redis/go-redis/v9"
)

type goalEventRecord struct {
	At     int64  `json:"at"`
	By     string `json:"by,omitempty"`
	Change string `json:"change"`
	From   string `json:"from,omitempty"`
	To     string `json:"to,omitempty"`
	Note   string `json:"note,omitempty"`
}

type goalRecord struct {
	ID        string            `json:"id"`
	Title     string            `json:"title"`
	Serves    string            `json:"serves,omitempty"`
	Stage     string            `json:"stage"`
	Owner     string            `json:"owner"`
	Target    string            `json:"target,omitempty"` // YYYY-MM-DD
	Status    string            `json:"status"`
	CreatedBy string            `json:"by,omitempty"`
	At        int64             `json:"at"`
	Rev       int               `json:"rev"`
	Source    string            `json:"src,omitempty"`
	SourceRef string            `json:"src_ref,omitempty"`
	History   []goalEventRecord `json:"history,omitempty"`
}

func goalRecordOf(g partnership.Goal) goalRecord {
	rec := goalRecord{ID: g.ID, Title: g.Title, Serves: g.Serves, Stage: string(g.Stage), Owner: g.Owner, Target: g.Target.String(),
		Status: string(g.Status), CreatedBy: g.CreatedBy, At: g.CreatedAt.UnixMilli(), Rev: g.Rev, Source: g.Source.Kind, SourceRef: g.Source.Ref}
	for _, e := range g.History {
		rec.History = append(rec.History, goalEventRecord{At: e.At.UnixMilli(), By: e.By, Change: string(e.Change), From: e.From, To: e.To, Note: e.Note})
	}
	return rec
}

// goal is the record as a goal of pair.
func (rec goalRecord) goal(pair partnership.PairID) (partnership.Goal, error) {
	target, err := partnership.ParseDate(rec.Target)
	if err != nil {
		return partnership.Goal{}, fmt.Errorf("goal %s: target: %w", rec.ID, err)
	}
	g := partnership.Goal{ID: rec.ID, PairID: pair, Title: rec.Title, Serves: rec.Serves, Stage: partnership.Stage(rec.Stage), Owner: rec.Owner,
		Target: target, Status: partnership.GoalStatus(rec.Status), CreatedBy: rec.CreatedBy, CreatedAt: time.UnixMilli(rec.At).UTC(),
		Rev: rec.Rev, Source: partnership.GoalSource{Kind: rec.Source, Ref: rec.SourceRef}}
	for _, e := range rec.History {
		g.History = append(g.History, partnership.GoalEvent{At: time.UnixMilli(e.At).UTC(), By: e.By, Change: partnership.GoalChange(e.Change),
			From: e.From, To: e.To, Note: e.Note})
	}
	return g, nil
}

// Roadmap loads the pair's goals and the roadmap's revision in one
// MULTI (one slot: the pair's), so that the revision is the goals'.
func (s *Store) Roadmap(ctx context.Context, id partnership.PairID) ([]partnership.Goal, int64, error) {
	var all *redis.MapStringStringCmd
	var rev *redis.StringCmd
	if _, err := s.rdb.TxPipelined(ctx, func(pl redis.Pipeliner) error {
		all, rev = pl.HGetAll(ctx, s.keys.goals(string(id))), pl.Get(ctx, s.keys.goalsRev(string(id)))
		return nil
	}); err != nil && !errors.Is(err, redis.Nil) {
		return nil, 0, fmt.Errorf("store: roadmap %s: %w", id, err)
	}
	var n int64
	if v := rev.Val(); v != "" {
		var err error
		if n, err = strconv.ParseInt(v, 10, 64); err != nil {
			return nil, 0, fmt.Errorf("store: roadmap %s: revision: %w", id, err)
		}
	}
	out := make([]partnership.Goal, 0, len(all.Val()))
	for _, v := range all.Val() {
		var rec goalRecord
		if err := json.Unmarshal([]byte(v), &rec); err != nil {
			return nil, 0, fmt.Errorf("store: roadmap %s: decode goal: %w", id, err)
		}
		g, err := rec.goal(id)
		if err != nil {
			return nil, 0, fmt.Errorf("store: roadmap %s: %w", id, err)
		}
		out = append(out, g)
	}
	return out, n, nil
}

// SaveGoal stores g if the pair's roadmap is at revision rev;
// partnership.ErrConflict otherwise.
func (s *Store) SaveGoal(ctx context.Context, id partnership.PairID, rev int64, g partnership.Goal) error {
	b, err := json.Marshal(goalRecordOf(g))
	if err != nil {
		return fmt.Errorf("store: save goal: %w", err)
	}
	n, err := saveGoal.Run(ctx, s.rdb, []string{s.keys.goals(string(id)), s.keys.goalsRev(string(id))}, rev, g.ID, b).Int64()
	if err != nil {
		return fmt.Errorf("store: save goal %s: %w", g.ID, err)
	}
	if n == 0 {
		return partnership.ErrConflict
	}
	return nil
}

type winRecord struct {
	ID      string `json:"id"`
	By      string `json:"by"`
	Text    string `json:"text"`
	Goal    string `json:"goal,omitempty"`
	At      int64  `json:"at"`
	Channel string `json:"channel,omitempty"`
	TS      string `json:"ts,omitempty"`
	Link    string `json:"link,omitempty"`
}

func winRecordOf(w partnership.Win) winRecord {
	return winRecord{ID: w.ID, By: w.By, Text: w.Text, Goal: w.GoalID, At: w.At.UnixMilli(),
		Channel: w.Source.Channel, TS: w.Source.TS, Link: w.Source.Link}
}

// win is the record as a win of pair.
func (rec winRecord) win(pair partnership.PairID) partnership.Win {
	return partnership.Win{ID: rec.ID, PairID: pair, By: rec.By, Text: rec.Text, GoalID: rec.Goal, At: time.UnixMilli(rec.At).UTC(),
		Source: partnership.WinSource{Channel: rec.Channel, TS: rec.TS, Link: rec.Link}}
}

// encodeWin is deterministic, so that a decoded win's stored bytes can be
// recomputed for a compare-and-set.
func encodeWin(w partnership.Win) (string, error) {
	b, err := json.Marshal(winRecordOf(w))
	return string(b), err
}

// AddWin stores w once per ID; partnership.ErrAlreadySaved for a retry.
func (s *Store) AddWin(ctx context.Context, w partnership.Win) error {
	enc, err := encodeWin(w)
	if err != nil {
		return fmt.Errorf("store: add win: %w", err)
	}
	id := string(w.PairID)
	n, err := addWin.Run(ctx, s.rdb, []string{s.keys.wins(id), s.keys.winsAt(id)}, w.ID, enc, w.At.UnixMilli()).Int()
	if err != nil {
		return fmt.Errorf("store: add win %s: %w", w.ID, err)
	}
	if n == 0 {
		return partnership.ErrAlreadySaved
	}
	return nil
}

// Wins are the pair's wins logged at or after since (all for a zero
// since), oldest first.
func (s *Store) Wins(ctx context.Context, id partnership.PairID, since time.Time) ([]partnership.Win, error) {
	from := "-inf"
	if !since.IsZero() {
		from = strconv.FormatInt(since.UnixMilli(), 10)
	}
	vs, err := winsSince.Run(ctx, s.rdb, []string{s.keys.wins(string(id)), s.keys.winsAt(string(id))}, from).Slice()
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("store: wins %s: %w", id, err)
	}
	out := make([]partnership.Win, 0, len(vs))
	for _, v := range vs {
		raw, ok := v.(string)
		if !ok {
			continue // indexed, gone
		}
		var rec winRecord
		if err := json.Unmarshal([]byte(raw), &rec); err != nil {
			return nil, fmt.Errorf("store: wins %s: decode: %w", id, err)
		}
		out = append(out, rec.win(id))
	}
	return out, nil
}

// UpdateWin replaces old by next if old is what is stored;
// partnership.ErrConflict otherwise.
func (s *Store) UpdateWin(ctx context.Context, old, next partnership.Win) error {
	before, err := encodeWin(old)
	if err != nil {
		return fmt.Errorf("store: update win: %w", err)
	}
	after, err := encodeWin(next)
	if err != nil {
		return fmt.Errorf("store: update win: %w", err)
	}
	if err := s.replaceField(ctx, s.keys.wins(string(old.PairID)), old.ID, before, after); err != nil {
		return fmt.Errorf("store: update win %s: %w", old.ID, err)
	}
	return nil
}
