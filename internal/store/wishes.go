package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/redis/go-redis/v9"
)

type stepsRecord struct {
	JustRight []string `json:"just_right"`
	DoMore    []string `json:"do_more"`
	Wishes    []string `json:"wishes"`
	// WishIDs link each wish line to the wish it was sent as; absent in
	// lists saved before lines kept their wish.
	WishIDs []string `json:"wish_ids,omitempty"`
	At      int64    `json:"at"`
}

type wishEventRecord struct {
	At   int64  `json:"at"`
	By   string `json:"by"`
	From string `json:"from"`
	To   string `json:"to"`
	Note string `json:"note,omitempty"`
}

type wishRecord struct {
	ID      string            `json:"id"`
	From    string            `json:"from"`
	To      string            `json:"to"`
	Text    string            `json:"text"`
	Status  string            `json:"status"`
	Note    string            `json:"note,omitempty"`
	At      int64             `json:"at"`
	History []wishEventRecord `json:"history,omitempty"`
}

func wishRecordOf(w partnership.Wish) wishRecord {
	rec := wishRecord{ID: w.ID, From: w.From, To: w.To, Text: w.Text, Status: string(w.Status), Note: w.Note, At: w.CreatedAt.UnixMilli()}
	for _, e := range w.History {
		rec.History = append(rec.History, wishEventRecord{At: e.At.UnixMilli(), By: e.By, From: string(e.From), To: string(e.To), Note: e.Note})
	}
	return rec
}

// wish is the record as a wish of pair.
func (rec wishRecord) wish(pair partnership.PairID) partnership.Wish {
	w := partnership.Wish{ID: rec.ID, PairID: pair, From: rec.From, To: rec.To, Text: rec.Text,
		Status: partnership.WishStatus(rec.Status), Note: rec.Note, CreatedAt: time.UnixMilli(rec.At).UTC()}
	for _, e := range rec.History {
		w.History = append(w.History, partnership.WishEvent{At: time.UnixMilli(e.At).UTC(), By: e.By,
			From: partnership.WishStatus(e.From), To: partnership.WishStatus(e.To), Note: e.Note})
	}
	return w
}

// encodeWish is deterministic, so that the stored bytes of a decoded wish
// can be recomputed for a compare-and-set.
func encodeWish(w partnership.Wish) (string, error) {
	b, err := json.Marshal(wishRecordOf(w))
	return string(b), err
}

func decodeWish(pair partnership.PairID, s string) (partnership.Wish, error) {
	var rec wishRecord
	if err := json.Unmarshal([]byte(s), &rec); err != nil {
		return partnership.Wish{}, fmt.Errorf("decode wish: %w", err)
	}
	return rec.wish(pair), nil
}

func stepsRecordOf(ns partnership.NextSteps) stepsRecord {
	rec := stepsRecord{JustRight: ns.JustRight[:], DoMore: ns.DoMore[:], Wishes: ns.Wishes[:], At: ns.UpdatedAt.UnixMilli()}
	if ns.WishIDs != ([partnership.ListSize]string{}) {
		rec.WishIDs = ns.WishIDs[:]
	}
	return rec
}

// nextSteps is the record as user's lists in pair.
func (rec stepsRecord) nextSteps(pair partnership.PairID, user string) partnership.NextSteps {
	ns := partnership.NextSteps{PairID: pair, UserID: user}
	copy(ns.JustRight[:], rec.JustRight)
	copy(ns.DoMore[:], rec.DoMore)
	copy(ns.Wishes[:], rec.Wishes)
	copy(ns.WishIDs[:], rec.WishIDs)
	ns.UpdatedAt = time.UnixMilli(rec.At).UTC()
	return ns
}

// NextSteps loads a member's lists in a pair.
func (s *Store) NextSteps(ctx context.Context, id partnership.PairID, user string) (partnership.NextSteps, bool, error) {
	ns := partnership.NextSteps{PairID: id, UserID: user}
	raw, err := s.rdb.Get(ctx, s.keys.steps(string(id), user)).Result()
	if errors.Is(err, redis.Nil) {
		return ns, false, nil
	}
	if err != nil {
		return ns, false, fmt.Errorf("store: next steps %s %s: %w", id, user, err)
	}
	var rec stepsRecord
	if err := json.Unmarshal([]byte(raw), &rec); err != nil {
		return ns, false, fmt.Errorf("store: next steps %s %s: %w", id, user, err)
	}
	return rec.nextSteps(id, user), true, nil
}

// SaveNextSteps stores the lists, the new wishes and the edits of sent
// ones in one script (one slot: the pair's): nothing is stored, and
// partnership.ErrConflict returned, when an edited wish changed meanwhile.
func (s *Store) SaveNextSteps(ctx context.Context, ns partnership.NextSteps, newWishes []partnership.Wish, edits []partnership.WishEdit) error {
	id := string(ns.PairID)
	steps, err := json.Marshal(stepsRecordOf(ns))
	if err != nil {
		return fmt.Errorf("store: save next steps: %w", err)
	}
	args := []any{steps, len(newWishes)}
	for _, w := range newWishes {
		enc, err := encodeWish(w)
		if err != nil {
			return fmt.Errorf("store: save wish: %w", err)
		}
		args = append(args, w.ID, enc)
	}
	for _, e := range edits {
		before, err := encodeWish(e.Old)
		if err != nil {
			return fmt.Errorf("store: save wish: %w", err)
		}
		after, err := encodeWish(e.New)
		if err != nil {
			return fmt.Errorf("store: save wish: %w", err)
		}
		args = append(args, e.Old.ID, before, after)
	}
	n, err := saveSteps.Run(ctx, s.rdb, []string{s.keys.steps(id, ns.UserID), s.keys.wishes(id)}, args...).Int()
	if err != nil {
		return fmt.Errorf("store: save next steps %s %s: %w", id, ns.UserID, err)
	}
	if n != 1 {
		return partnership.ErrConflict
	}
	return nil
}

// Wishes returns all the pair's wishes, oldest first.
func (s *Store) Wishes(ctx context.Context, id partnership.PairID) ([]partnership.Wish, error) {
	m, err := s.rdb.HGetAll(ctx, s.keys.wishes(string(id))).Result()
	if err != nil {
		return nil, fmt.Errorf("store: wishes %s: %w", id, err)
	}
	out := make([]partnership.Wish, 0, len(m))
	for _, v := range m {
		w, err := decodeWish(id, v)
		if err != nil {
			return nil, fmt.Errorf("store: wishes %s: %w", id, err)
		}
		out = append(out, w)
	}
	slices.SortFunc(out, func(a, b partnership.Wish) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return cmpString(a.ID, b.ID)
	})
	return out, nil
}

// UpdateWish replaces old by next, if old is what is stored; otherwise
// partnership.ErrConflict.
func (s *Store) UpdateWish(ctx context.Context, old, next partnership.Wish) error {
	before, err := encodeWish(old)
	if err != nil {
		return fmt.Errorf("store: update wish: %w", err)
	}
	after, err := encodeWish(next)
	if err != nil {
		return fmt.Errorf("store: update wish: %w", err)
	}
	if err := s.replaceField(ctx, s.keys.wishes(string(old.PairID)), old.ID, before, after); err != nil {
		return fmt.Errorf("store: update wish %s: %w", old.ID, err)
	}
	return nil
}

// replaceField sets a hash field to after if it still holds before;
// partnership.ErrConflict otherwise.
func (s *Store) replaceField(ctx context.Context, key, field, before, after string) error {
	n, err := compareAndSetField.Run(ctx, s.rdb, []string{key}, field, before, after).Int()
	if err != nil {
		return err
	}
	if n != 1 {
		return partnership.ErrConflict
	}
	return nil
}

// SetWishCard records that the message ts in channel shows these wishes.
func (s *Store) SetWishCard(ctx context.Context, id partnership.PairID, wishIDs []string, card partnership.CardRef) error {
	if len(wishIDs) == 0 {
		return nil
	}
	fields := make([]any, 0, 2*len(wishIDs))
	for _, w := range wishIDs {
		fields = append(fields, w, card.Channel+"|"+card.TS)
	}
	if err := s.rdb.HSet(ctx, s.keys.wishCards(string(id)), fields...).Err(); err != nil {
		return fmt.Errorf("store: wish cards %s: %w", id, err)
	}
	return nil
}

// WishCards is where each of the pair's wishes is shown, by wish id.
func (s *Store) WishCards(ctx context.Context, id partnership.PairID) (map[string]partnership.CardRef, error) {
	m, err := s.rdb.HGetAll(ctx, s.keys.wishCards(string(id))).Result()
	if err != nil {
		return nil, fmt.Errorf("store: wish cards %s: %w", id, err)
	}
	out := make(map[string]partnership.CardRef, len(m))
	for w, v := range m {
		if ch, ts, ok := strings.Cut(v, "|"); ok {
			out[w] = partnership.CardRef{Channel: ch, TS: ts}
		}
	}
	return out, nil
}
