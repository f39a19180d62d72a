package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/redis/go-redis/v9"
)

// CreatePair stores p and adds it to both members' lists. When p exists it
// returns partnership.ErrDuplicate (and repairs the members' lists, which a
// crash between the two steps could have left behind); so it does when
// another pair of the same two people exists (the reverse one), which the
// couple key tells.
func (s *Store) CreatePair(ctx context.Context, p partnership.Pair) error {
	id := string(p.ID)
	if err := s.claimCouple(ctx, p); err != nil {
		return err
	}
	created, err := createPair.Run(ctx, s.rdb, []string{s.keys.pairRecord(id)},
		"assistant", p.Assistant, "executive", p.Executive,
		"created_by", p.CreatedBy, "created_at", p.CreatedAt.UnixMilli()).Int()
	if err != nil {
		return fmt.Errorf("store: create pair %s: %w", id, err)
	}
	// The members' lists live in their own slots: separate commands, each
	// idempotent.
	if _, err := s.rdb.Pipelined(ctx, func(pl redis.Pipeliner) error {
		pl.SAdd(ctx, s.keys.pairsOf(p.Assistant), id)
		pl.SAdd(ctx, s.keys.pairsOf(p.Executive), id)
		pl.SAdd(ctx, s.keys.allPairs(), id)
		return nil
	}); err != nil {
		return fmt.Errorf("store: index pair %s: %w", id, err)
	}
	// The pair exists: its claim on the couple key no longer lapses.
	if err := keepCouple.Run(ctx, s.rdb, []string{s.keys.couple(p.Assistant, p.Executive)}, id).Err(); err != nil {
		return fmt.Errorf("store: keep couple %s: %w", id, err)
	}
	if created == 0 {
		return partnership.ErrDuplicate
	}
	return nil
}

// coupleLease bounds a claim on the couple key while its pair is being
// created: a process that dies between the claim and the pair record
// leaves a claim that lapses, rather than one that blocks the two forever.
const coupleLease = 30 * time.Second

// claimCouple claims the couple key for p, unless another pair of the
// same two people holds it, or is being created (partnership.ErrDuplicate).
// A claim is leased until keepCouple makes it permanent; a permanent key
// whose pair is gone (a crash in DeletePair) is taken over.
func (s *Store) claimCouple(ctx context.Context, p partnership.Pair) error {
	key, id := s.keys.couple(p.Assistant, p.Executive), string(p.ID)
	for range 3 {
		set, err := s.rdb.SetNX(ctx, key, id, coupleLease).Result()
		if err != nil {
			return fmt.Errorf("store: claim couple %s: %w", id, err)
		}
		if set {
			return nil
		}
		var get *redis.StringCmd
		var ttl *redis.DurationCmd
		if _, err := s.rdb.Pipelined(ctx, func(pl redis.Pipeliner) error {
			get, ttl = pl.Get(ctx, key), pl.PTTL(ctx, key)
			return nil
		}); err != nil && !errors.Is(err, redis.Nil) {
			return fmt.Errorf("store: claim couple %s: %w", id, err)
		}
		cur := get.Val()
		switch {
		case errors.Is(get.Err(), redis.Nil):
			continue // released meanwhile: claim it again
		case cur == id:
			return nil // a retry of the same pair
		case ttl.Val() > 0:
			return partnership.ErrDuplicate // the other pair is being created
		}
		if _, err := s.Pair(ctx, partnership.PairID(cur)); err == nil {
			return partnership.ErrDuplicate
		} else if !errors.Is(err, partnership.ErrNotFound) {
			return err
		}
		n, err := takeOverCouple.Run(ctx, s.rdb, []string{key}, cur, id, coupleLease.Milliseconds()).Int()
		if err != nil {
			return fmt.Errorf("store: claim couple %s: %w", id, err)
		}
		if n == 1 {
			return nil
		}
	}
	return fmt.Errorf("store: claim couple %s: %w", id, partnership.ErrConflict)
}

// Pair loads one pair.
func (s *Store) Pair(ctx context.Context, id partnership.PairID) (partnership.Pair, error) {
	m, err := s.rdb.HGetAll(ctx, s.keys.pairRecord(string(id))).Result()
	if err != nil {
		return partnership.Pair{}, fmt.Errorf("store: pair %s: %w", id, err)
	}
	if len(m) == 0 {
		return partnership.Pair{}, partnership.ErrNotFound
	}
	return pairFrom(id, m), nil
}

func pairFrom(id partnership.PairID, m map[string]string) partnership.Pair {
	ms, _ := strconv.ParseInt(m["created_at"], 10, 64)
	return partnership.Pair{
		ID: id, Assistant: m["assistant"], Executive: m["executive"],
		CreatedBy: m["created_by"], CreatedAt: time.UnixMilli(ms).UTC(),
	}
}

// PairsOf lists the pairs user belongs to, oldest first. Index entries
// whose pair is gone are skipped.
func (s *Store) PairsOf(ctx context.Context, user string) ([]partnership.Pair, error) {
	ids, hashes, err := s.indexedHashes(ctx, s.keys.pairsOf(user), s.keys.pairRecord)
	if err != nil {
		return nil, fmt.Errorf("store: pairs of %s: %w", user, err)
	}
	var out []partnership.Pair
	for i, m := range hashes {
		if len(m) > 0 {
			p := pairFrom(partnership.PairID(ids[i]), m)
			if p.Has(user) {
				out = append(out, p)
			}
		}
	}
	slices.SortFunc(out, func(a, b partnership.Pair) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return cmpString(string(a.ID), string(b.ID))
	})
	return out, nil
}

// indexedHashes reads the ids in the set index and, in one round trip,
// the hash key(id) of each (empty where it is gone).
func (s *Store) indexedHashes(ctx context.Context, index string, key func(id string) string) ([]string, []map[string]string, error) {
	ids, err := s.rdb.SMembers(ctx, index).Result()
	if err != nil || len(ids) == 0 {
		return nil, nil, err
	}
	cmds := make([]*redis.MapStringStringCmd, len(ids))
	if _, err := s.rdb.Pipelined(ctx, func(pl redis.Pipeliner) error {
		for i, id := range ids {
			cmds[i] = pl.HGetAll(ctx, key(id))
		}
		return nil
	}); err != nil {
		return nil, nil, err
	}
	out := make([]map[string]string, len(ids))
	for i, c := range cmds {
		out[i] = c.Val()
	}
	return ids, out, nil
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// DeletePair removes the pair and all its keys (its charter too) in one
// round trip (they share a slot), then drops it from both members' lists.
func (s *Store) DeletePair(ctx context.Context, p partnership.Pair) error {
	id := string(p.ID)
	// The jobs first: dropping the snoozes reads the schedule hash.
	if err := s.DropJobs(ctx, p.ID, p.Assistant, p.Executive); err != nil {
		return err
	}
	if err := s.rdb.Del(ctx,
		s.keys.pairRecord(id), s.keys.pairResults(id), s.keys.pairSubmissions(id), s.keys.wishes(id), s.keys.wishCards(id), s.keys.reflections(id), s.keys.summaryAt(id),
		s.keys.schedule(id), s.keys.consent(id), s.keys.scorecardRequest(id), s.keys.charter(id),
		s.keys.steps(id, p.Assistant), s.keys.steps(id, p.Executive),
		s.keys.goals(id), s.keys.goalsRev(id), s.keys.wins(id), s.keys.winsAt(id),
	).Err(); err != nil {
		return fmt.Errorf("store: delete pair %s: %w", id, err)
	}
	// The couple key, and each member's remembered choice if it is this
	// pair: values that name it (and so both members).
	for _, key := range []string{s.keys.couple(p.Assistant, p.Executive), s.keys.defaultPair(p.Assistant), s.keys.defaultPair(p.Executive)} {
		if err := compareAndDelete.Run(ctx, s.rdb, []string{key}, id).Err(); err != nil {
			return fmt.Errorf("store: forget pair %s: %w", id, err)
		}
	}
	if _, err := s.rdb.Pipelined(ctx, func(pl redis.Pipeliner) error {
		pl.SRem(ctx, s.keys.pairsOf(p.Assistant), id)
		pl.SRem(ctx, s.keys.pairsOf(p.Executive), id)
		pl.SRem(ctx, s.keys.allPairs(), id)
		return nil
	}); err != nil {
		return fmt.Errorf("store: unindex pair %s: %w", id, err)
	}
	return nil
}

// DefaultPair is the pair user chose last ("" when none).
func (s *Store) DefaultPair(ctx context.Context, user string) (partnership.PairID, error) {
	v, err := s.rdb.Get(ctx, s.keys.defaultPair(user)).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: default pair of %s: %w", user, err)
	}
	return partnership.PairID(v), nil
}

// SetDefaultPair remembers id as user's choice.
func (s *Store) SetDefaultPair(ctx context.Context, user string, id partnership.PairID) error {
	if err := s.rdb.Set(ctx, s.keys.defaultPair(user), string(id), 0).Err(); err != nil {
		return fmt.Errorf("store: set default pair of %s: %w", user, err)
	}
	return nil
}

// DeleteUser removes every key of the user's slot: their own history,
// former partnerships, indexes, remembered choices and out-of-office.
func (s *Store) DeleteUser(ctx context.Context, user string) error {
	if err := s.rdb.Del(ctx, s.keys.userKeys(user)...).Err(); err != nil {
		return fmt.Errorf("store: delete user %s: %w", user, err)
	}
	return nil
}

// ClaimSummary records a summary at at, if the last one is not after notAfter.
func (s *Store) ClaimSummary(ctx context.Context, id partnership.PairID, notAfter, at time.Time) (bool, error) {
	var prev int64 // never summarised
	if !notAfter.IsZero() {
		prev = notAfter.UnixMilli()
	}
	n, err := claimSummary.Run(ctx, s.rdb, []string{s.keys.summaryAt(string(id)), s.keys.pairRecord(string(id))}, prev, at.UnixMilli()).Int()
	if err != nil {
		return false, fmt.Errorf("store: claim summary %s: %w", id, err)
	}
	return n == 1, nil
}

// LastSummary is when the pair's last summary went out (zero if never).
func (s *Store) LastSummary(ctx context.Context, id partnership.PairID) (time.Time, error) {
	ms, err := s.rdb.Get(ctx, s.keys.summaryAt(string(id))).Int64()
	if errors.Is(err, redis.Nil) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("store: last summary %s: %w", id, err)
	}
	return time.UnixMilli(ms).UTC(), nil
}
