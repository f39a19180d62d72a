package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/partnerbot/partnerbot/internal/partnership"
)

type acceptanceRecord struct {
	By string `json:"by"`
	At int64  `json:"at"`
}

type decisionRecord struct {
	Kind  string `json:"kind"`
	Right string `json:"right"`
}

// charterVersionRecord is one version of a charter, as stored in the
// charter hash's v:<n> field. Its number is the field's; its card is in
// card:<n>, so that recording the card never races an acceptance.
type charterVersionRecord struct {
	AssistantExpects []string           `json:"assistant_expects"`
	ExecutiveExpects []string           `json:"executive_expects"`
	Channel          string             `json:"channel"`
	Cadence          string             `json:"cadence"`
	Decisions        []decisionRecord   `json:"decisions"`
	Tasks            []string           `json:"tasks"` // in the article's order
	Goals            []string           `json:"goals"`
	DraftedBy        string             `json:"drafted_by"`
	DraftedAt        int64              `json:"drafted_at"`
	Accepted         []acceptanceRecord `json:"accepted"`
}

type charterReviewRecord struct {
	Version   int                `json:"version"`
	Due       int64              `json:"due"`
	Confirmed []acceptanceRecord `json:"confirmed"`
}

func acceptanceRecords(as []partnership.Acceptance) []acceptanceRecord {
	out := []acceptanceRecord{}
	for _, a := range as {
		out = append(out, acceptanceRecord{By: a.By, At: a.At.UnixMilli()})
	}
	return out
}

func acceptances(rs []acceptanceRecord) []partnership.Acceptance {
	out := []partnership.Acceptance{}
	for _, r := range rs {
		out = append(out, partnership.Acceptance{By: r.By, At: time.UnixMilli(r.At).UTC()})
	}
	return out
}

// nonNil keeps empty lists as [] in JSON, so that a decoded version
// encodes back to the same bytes (the compare-and-set compares them).
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// encodeCharterVersion is deterministic, so that the stored bytes of a
// decoded version can be recomputed for a compare-and-set.
func encodeCharterVersion(v partnership.CharterVersion) (string, error) {
	rec := charterVersionRecord{
		AssistantExpects: nonNil(v.AssistantExpects), ExecutiveExpects: nonNil(v.ExecutiveExpects),
		Channel: v.Channel, Cadence: v.Cadence, Decisions: []decisionRecord{}, Goals: v.Goals[:],
		DraftedBy: v.DraftedBy, DraftedAt: v.DraftedAt.UnixMilli(), Accepted: acceptanceRecords(v.Accepted),
	}
	for _, d := range v.Decisions {
		rec.Decisions = append(rec.Decisions, decisionRecord{Kind: d.Kind, Right: string(d.Right)})
	}
	for _, o := range v.Tasks {
		rec.Tasks = append(rec.Tasks, string(o))
	}
	b, err := json.Marshal(rec)
	return string(b), err
}

func decodeCharterVersion(n int, s string) (partnership.CharterVersion, error) {
	var rec charterVersionRecord
	if err := json.Unmarshal([]byte(s), &rec); err != nil {
		return partnership.CharterVersion{}, fmt.Errorf("decode charter version %d: %w", n, err)
	}
	v := partnership.CharterVersion{Number: n, DraftedBy: rec.DraftedBy, DraftedAt: time.UnixMilli(rec.DraftedAt).UTC(),
		Accepted: acceptances(rec.Accepted)}
	v.AssistantExpects, v.ExecutiveExpects = nonNil(rec.AssistantExpects), nonNil(rec.ExecutiveExpects)
	v.Channel, v.Cadence = rec.Channel, rec.Cadence
	v.Decisions = []partnership.Decision{}
	for _, d := range rec.Decisions {
		v.Decisions = append(v.Decisions, partnership.Decision{Kind: d.Kind, Right: partnership.DecisionRight(d.Right)})
	}
	for i := range min(len(rec.Tasks), len(v.Tasks)) {
		v.Tasks[i] = partnership.Ownership(rec.Tasks[i])
	}
	copy(v.Goals[:], rec.Goals)
	return v, nil
}

// encodeCharterReviews is "" for none: the field is then never written.
func encodeCharterReviews(rs []partnership.CharterReview) (string, error) {
	if len(rs) == 0 {
		return "", nil
	}
	recs := make([]charterReviewRecord, 0, len(rs))
	for _, r := range rs {
		recs = append(recs, charterReviewRecord{Version: r.Version, Due: r.Due.UnixMilli(), Confirmed: acceptanceRecords(r.Confirmed)})
	}
	b, err := json.Marshal(recs)
	return string(b), err
}

func versionField(n int) string { return "v:" + strconv.Itoa(n) }
func cardField(n int) string    { return "card:" + strconv.Itoa(n) }

// Charter loads a pair's charter: its versions, oldest first, with their
// cards, and its reviews. A pair that never drafted one has no versions.
func (s *Store) Charter(ctx context.Context, id partnership.PairID) (partnership.Charter, error) {
	m, err := s.rdb.HGetAll(ctx, s.keys.charter(string(id))).Result()
	if err != nil {
		return partnership.Charter{}, fmt.Errorf("store: charter %s: %w", id, err)
	}
	c := partnership.Charter{Pair: id}
	cards := map[int][2]string{}
	for field, val := range m {
		kind, num, _ := strings.Cut(field, ":")
		n, nerr := strconv.Atoi(num)
		switch {
		case kind == "v" && nerr == nil:
			v, err := decodeCharterVersion(n, val)
			if err != nil {
				return partnership.Charter{}, fmt.Errorf("store: charter %s: %w", id, err)
			}
			c.Versions = append(c.Versions, v)
		case kind == "card" && nerr == nil:
			ch, ts, _ := strings.Cut(val, "|")
			cards[n] = [2]string{ch, ts}
		case field == "reviews":
			var recs []charterReviewRecord
			if err := json.Unmarshal([]byte(val), &recs); err != nil {
				return partnership.Charter{}, fmt.Errorf("store: charter %s reviews: %w", id, err)
			}
			for _, r := range recs {
				c.Reviews = append(c.Reviews, partnership.CharterReview{Version: r.Version, Due: time.UnixMilli(r.Due).UTC(), Confirmed: acceptances(r.Confirmed)})
			}
		}
	}
	for i, v := range c.Versions {
		c.Versions[i].CardChannel, c.Versions[i].CardTS = cards[v.Number][0], cards[v.Number][1]
	}
	slices.SortFunc(c.Versions, func(a, b partnership.CharterVersion) int { return a.Number - b.Number })
	return c, nil
}

// AddCharterVersion stores v as version base+1, if the newest stored is
// still base: partnership.ErrConflict otherwise, partnership.ErrNotFound
// when the pair is gone. One round trip.
func (s *Store) AddCharterVersion(ctx context.Context, id partnership.PairID, base int, v partnership.CharterVersion) error {
	enc, err := encodeCharterVersion(v)
	if err != nil {
		return fmt.Errorf("store: charter version: %w", err)
	}
	n, err := addCharterVersion.Run(ctx, s.rdb, []string{s.keys.charter(string(id)), s.keys.pairRecord(string(id))}, base, enc).Int()
	if err != nil {
		return fmt.Errorf("store: add charter version %s: %w", id, err)
	}
	return swapOutcome(n)
}

// UpdateCharterVersion replaces old by next (its acceptances), if old is
// still what is stored.
func (s *Store) UpdateCharterVersion(ctx context.Context, id partnership.PairID, old, next partnership.CharterVersion) error {
	if old.Number != next.Number || old.Number < 1 {
		return fmt.Errorf("store: update charter version %s: %d to %d", id, old.Number, next.Number)
	}
	before, err := encodeCharterVersion(old)
	if err != nil {
		return fmt.Errorf("store: charter version: %w", err)
	}
	after, err := encodeCharterVersion(next)
	if err != nil {
		return fmt.Errorf("store: charter version: %w", err)
	}
	return s.swapCharter(ctx, id, versionField(old.Number), before, after)
}

// SetCharterReviews replaces the reviews old by next, if old is still what
// is stored.
func (s *Store) SetCharterReviews(ctx context.Context, id partnership.PairID, old, next []partnership.CharterReview) error {
	before, err := encodeCharterReviews(old)
	if err != nil {
		return fmt.Errorf("store: charter reviews: %w", err)
	}
	after, err := encodeCharterReviews(next)
	if err != nil {
		return fmt.Errorf("store: charter reviews: %w", err)
	}
	return s.swapCharter(ctx, id, "reviews", before, after)
}

func (s *Store) swapCharter(ctx context.Context, id partnership.PairID, field, before, after string) error {
	n, err := swapCharterField.Run(ctx, s.rdb, []string{s.keys.charter(string(id)), s.keys.pairRecord(string(id))}, field, before, after).Int()
	if err != nil {
		return fmt.Errorf("store: update charter %s %s: %w", id, field, err)
	}
	return swapOutcome(n)
}

// swapOutcome maps the charter scripts' return codes.
func swapOutcome(n int) error {
	switch n {
	case 1:
		return nil
	case -1:
		return partnership.ErrNotFound
	}
	return partnership.ErrConflict
}

// SetCharterCard records where version n's card is, if the version is
// stored (a pair deleted meanwhile gets no key back).
func (s *Store) SetCharterCard(ctx context.Context, id partnership.PairID, n int, channel, ts string) error {
	err := setCharterCard.Run(ctx, s.rdb, []string{s.keys.charter(string(id))}, versionField(n), cardField(n), channel+"|"+ts).Err()
	if err != nil {
		return fmt.Errorf("store: charter card %s: %w", id, err)
	}
	return nil
}
