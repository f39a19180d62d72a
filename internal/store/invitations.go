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

// CreateInvitation stores inv unless an invitation for the same pair is
// stored and open at inv.At (partnership.ErrInvitePending), and indexes it
// for both people.
// Redis lets it expire when the invitation does (counted from now: the
// domain, with its own clock, says when one has lapsed).
func (s *Store) CreateInvitation(ctx context.Context, inv partnership.Invitation) error {
	id := string(inv.Pair)
	n, err := createInvitation.Run(ctx, s.rdb, []string{s.keys.invitation(id)},
		inv.Expires().Sub(inv.At).Milliseconds(), inv.At.UnixMilli(),
		"assistant", inv.Assistant, "executive", inv.Executive, "from", inv.From, "at", inv.At.UnixMilli()).Int()
	if err != nil {
		return fmt.Errorf("store: create invitation %s: %w", id, err)
	}
	if n == 0 {
		return partnership.ErrInvitePending
	}
	if _, err := s.rdb.Pipelined(ctx, func(pl redis.Pipeliner) error {
		pl.SAdd(ctx, s.keys.invitationsOf(inv.Assistant), id)
		pl.SAdd(ctx, s.keys.invitationsOf(inv.Executive), id)
		return nil
	}); err != nil {
		return fmt.Errorf("store: index invitation %s: %w", id, err)
	}
	return nil
}

// Invitation loads the invitation for a pair (partnership.ErrInvitationGone
// when there is none).
func (s *Store) Invitation(ctx context.Context, id partnership.PairID) (partnership.Invitation, error) {
	m, err := s.rdb.HGetAll(ctx, s.keys.invitation(string(id))).Result()
	if err != nil {
		return partnership.Invitation{}, fmt.Errorf("store: invitation %s: %w", id, err)
	}
	inv, ok := invitationFrom(id, m)
	if !ok {
		return partnership.Invitation{}, partnership.ErrInvitationGone
	}
	return inv, nil
}

func invitationFrom(id partnership.PairID, m map[string]string) (partnership.Invitation, bool) {
	ms, err := strconv.ParseInt(m["at"], 10, 64)
	if err != nil || m["assistant"] == "" || m["executive"] == "" {
		return partnership.Invitation{}, false
	}
	return partnership.Invitation{
		Pair: id, Assistant: m["assistant"], Executive: m["executive"], From: m["from"],
		At: time.UnixMilli(ms).UTC(), CardChannel: m["card_channel"], CardTS: m["card_ts"],
	}, true
}

// ConsumeInvitation removes inv if it is still the one stored, and drops it
// from both people's indexes; false when another answer came first.
func (s *Store) ConsumeInvitation(ctx context.Context, inv partnership.Invitation) (bool, error) {
	id := string(inv.Pair)
	n, err := consumeInvitation.Run(ctx, s.rdb, []string{s.keys.invitation(id)}, inv.From, inv.At.UnixMilli()).Int()
	if err != nil {
		return false, fmt.Errorf("store: consume invitation %s: %w", id, err)
	}
	if err := s.unindexInvitation(ctx, inv); err != nil {
		return false, err
	}
	return n == 1, nil
}

// DeleteInvitation removes inv, whatever is stored for its pair.
func (s *Store) DeleteInvitation(ctx context.Context, inv partnership.Invitation) error {
	if err := s.rdb.Del(ctx, s.keys.invitation(string(inv.Pair))).Err(); err != nil {
		return fmt.Errorf("store: delete invitation %s: %w", inv.Pair, err)
	}
	return s.unindexInvitation(ctx, inv)
}

func (s *Store) unindexInvitation(ctx context.Context, inv partnership.Invitation) error {
	id := string(inv.Pair)
	if _, err := s.rdb.Pipelined(ctx, func(pl redis.Pipeliner) error {
		pl.SRem(ctx, s.keys.invitationsOf(inv.Assistant), id)
		pl.SRem(ctx, s.keys.invitationsOf(inv.Executive), id)
		return nil
	}); err != nil {
		return fmt.Errorf("store: unindex invitation %s: %w", id, err)
	}
	return nil
}

// InvitationsOf lists the invitations user sent or received, oldest first.
// Index entries whose invitation is gone (answered, or expired out of
// Redis) are dropped.
func (s *Store) InvitationsOf(ctx context.Context, user string) ([]partnership.Invitation, error) {
	ids, hashes, err := s.indexedHashes(ctx, s.keys.invitationsOf(user), s.keys.invitation)
	if err != nil {
		return nil, fmt.Errorf("store: invitations of %s: %w", user, err)
	}
	var out []partnership.Invitation
	var stale []any
	for i, m := range hashes {
		inv, ok := invitationFrom(partnership.PairID(ids[i]), m)
		if !ok || (inv.Assistant != user && inv.Executive != user) {
			stale = append(stale, ids[i])
			continue
		}
		out = append(out, inv)
	}
	if len(stale) > 0 {
		if err := s.rdb.SRem(ctx, s.keys.invitationsOf(user), stale...).Err(); err != nil {
			return nil, fmt.Errorf("store: invitations of %s: %w", user, err)
		}
	}
	slices.SortFunc(out, func(a, b partnership.Invitation) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return cmpString(string(a.Pair), string(b.Pair))
	})
	return out, nil
}

// SetInvitationCard records where the invitation's message is, if the
// invitation is still stored.
func (s *Store) SetInvitationCard(ctx context.Context, inv partnership.Invitation, channel, ts string) error {
	err := setIfExists.Run(ctx, s.rdb, []string{s.keys.invitation(string(inv.Pair))}, "card_channel", channel, "card_ts", ts).Err()
	if err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("store: invitation card %s: %w", inv.Pair, err)
	}
	return nil
}
