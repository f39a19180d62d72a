package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/partnerbot/partnerbot/internal/checkin"
	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/redis/go-redis/v9"
)

// Schedule loads a pair's check-in settings and round state.
func (s *Store) Schedule(ctx context.Context, id partnership.PairID) (checkin.Settings, error) {
	m, err := s.rdb.HGetAll(ctx, s.keys.schedule(string(id))).Result()
	if err != nil {
		return checkin.Settings{}, fmt.Errorf("store: schedule %s: %w", id, err)
	}
	return settingsFrom(m), nil
}

func settingsFrom(m map[string]string) checkin.Settings {
	st := checkin.Settings{Spec: m["spec"], SpecTZ: m["spec_tz"], Paused: m["paused"] == "1", TZ: map[string]string{}, Skipped: map[string]bool{}}
	for f, v := range m {
		switch {
		case strings.HasPrefix(f, "tz:"):
			st.TZ[f[3:]] = v
		case strings.HasPrefix(f, "skipped:"):
			st.Skipped[f[8:]] = true
		}
	}
	if ms, _ := strconv.ParseInt(m["cycle_at"], 10, 64); ms > 0 {
		st.CycleAt = time.UnixMilli(ms).UTC()
	}
	st.Rotation, _ = strconv.Atoi(m["rotation"])
	st.Streak, _ = strconv.Atoi(m["streak"])
	return st
}

// SetSpec stores the pair's schedule and the zone it is read in ("" for
// each member's own).
func (s *Store) SetSpec(ctx context.Context, id partnership.PairID, spec, tz string) error {
	if err := s.rdb.HSet(ctx, s.keys.schedule(string(id)), "spec", spec, "spec_tz", tz).Err(); err != nil {
		return fmt.Errorf("store: set spec %s: %w", id, err)
	}
	return nil
}

// SetPaused pauses or resumes the pair's check-ins.
func (s *Store) SetPaused(ctx context.Context, id partnership.PairID, paused bool) error {
	v := "0"
	if paused {
		v = "1"
	}
	return s.hset(ctx, id, "paused", v)
}

// SetTimeZone records a member's time zone.
func (s *Store) SetTimeZone(ctx context.Context, id partnership.PairID, user, tz string) error {
	return s.hset(ctx, id, "tz:"+user, tz)
}

// Skip records that user skips the current round (openRound forgets it).
func (s *Store) Skip(ctx context.Context, id partnership.PairID, user string) error {
	return s.hset(ctx, id, "skipped:"+user, "1")
}

// SetStreak records the pair's streak of complete rounds.
func (s *Store) SetStreak(ctx context.Context, id partnership.PairID, n int) error {
	return s.hset(ctx, id, "streak", strconv.Itoa(n))
}

func (s *Store) hset(ctx context.Context, id partnership.PairID, field, value string) error {
	if err := s.rdb.HSet(ctx, s.keys.schedule(string(id)), field, value).Err(); err != nil {
		return fmt.Errorf("store: schedule %s %s: %w", id, field, err)
	}
	return nil
}

// OpenRound opens a new round at at, unless one opened less than half
// ago; it returns whether it opened one, when the previous one opened,
// and the rotation count.
func (s *Store) OpenRound(ctx context.Context, id partnership.PairID, at time.Time, half time.Duration) (bool, time.Time, int, error) {
	r, err := openRound.Run(ctx, s.rdb, []string{s.keys.schedule(string(id))}, at.UnixMilli(), half.Milliseconds()).Int64Slice()
	if err != nil || len(r) != 3 {
		return false, time.Time{}, 0, fmt.Errorf("store: open round %s: %v %w", id, r, err)
	}
	var prev time.Time
	if r[1] > 0 {
		prev = time.UnixMilli(r[1]).UTC()
	}
	return r[0] == 1, prev, int(r[2]), nil
}

// Away is when user's out-of-office ends (zero when not set).
func (s *Store) Away(ctx context.Context, user string) (time.Time, error) {
	ms, err := s.rdb.Get(ctx, s.keys.away(user)).Int64()
	if errors.Is(err, redis.Nil) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("store: away %s: %w", user, err)
	}
	return time.UnixMilli(ms).UTC(), nil
}

// SetAway sets (or, with a zero time, clears) user's out-of-office end.
func (s *Store) SetAway(ctx context.Context, user string, until time.Time) error {
	var err error
	if until.IsZero() {
		err = s.rdb.Del(ctx, s.keys.away(user)).Err()
	} else {
		err = s.rdb.Set(ctx, s.keys.away(user), until.UnixMilli(), 0).Err()
	}
	if err != nil {
		return fmt.Errorf("store: set away %s: %w", user, err)
	}
	return nil
}

// PutJob schedules j: a recurring job replaces its current occurrence; a
// one-off job is added unless the same occurrence is queued.
func (s *Store) PutJob(ctx context.Context, j checkin.Job) error {
	var err error
	if name := j.Name(); name != "" {
		err = setJob.Run(ctx, s.rdb, []string{s.keys.dueQueue(), s.keys.dueJobs()}, name, j.Member(), j.At.UnixMilli()).Err()
	} else {
		err = s.rdb.ZAddNX(ctx, s.keys.dueQueue(), redis.Z{Score: float64(j.At.UnixMilli()), Member: j.Member()}).Err()
	}
	if err != nil {
		return fmt.Errorf("store: put job %s: %w", j.Member(), err)
	}
	return nil
}

// DropJobs removes the pair's recurring jobs for these members.
func (s *Store) DropJobs(ctx context.Context, id partnership.PairID, users ...string) error {
	for _, u := range users {
		name := checkin.Job{Kind: checkin.KindPrompt, Pair: id, User: u}.Name()
		member, err := s.rdb.HGet(ctx, s.keys.dueJobs(), name).Result()
		if errors.Is(err, redis.Nil) {
			continue
		}
		if err != nil {
			return fmt.Errorf("store: drop job %s: %w", name, err)
		}
		if _, err := completeJob.Run(ctx, s.rdb, []string{s.keys.dueQueue(), s.keys.dueJobs()}, name, member, s.score(ctx, member), "", 0).Result(); err != nil {
			return fmt.Errorf("store: drop job %s: %w", name, err)
		}
	}
	return nil
}

func (s *Store) score(ctx context.Context, member string) float64 {
	v, _ := s.rdb.ZScore(ctx, s.keys.dueQueue(), member).Result()
	return v
}

// Claim leases up to limit jobs due at now for lease.
func (s *Store) Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]checkin.Claimed, error) {
	members, err := claimJobs.Run(ctx, s.rdb, []string{s.keys.dueQueue()}, now.UnixMilli(), lease.Milliseconds(), limit).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("store: claim: %w", err)
	}
	until := time.UnixMilli(now.UnixMilli() + lease.Milliseconds()).UTC()
	out := make([]checkin.Claimed, 0, len(members))
	for _, m := range members {
		j, err := checkin.ParseJob(m)
		if err != nil {
			// Not ours to run: take it out of the queue rather than spin on it.
			s.rdb.ZRem(ctx, s.keys.dueQueue(), m)
			continue
		}
		out = append(out, checkin.Claimed{Job: j, Member: m, Lease: until})
	}
	return out, nil
}

// Complete ends a claimed job, queueing next (when not nil) in its place.
// false means the lease was lost: someone else owns the job now.
func (s *Store) Complete(ctx context.Context, c checkin.Claimed, next *checkin.Job) (bool, error) {
	nextMember, nextMs := "", int64(0)
	if next != nil {
		nextMember, nextMs = next.Member(), next.At.UnixMilli()
	}
	n, err := completeJob.Run(ctx, s.rdb, []string{s.keys.dueQueue(), s.keys.dueJobs()},
		c.Job.Name(), c.Member, c.Lease.UnixMilli(), nextMember, nextMs).Int()
	if err != nil {
		return false, fmt.Errorf("store: complete %s: %w", c.Member, err)
	}
	return n == 1, nil
}

// BeginSend marks an occurrence as being sent; it returns "new", or the
// state a previous attempt left ("sending" or "sent").
func (s *Store) BeginSend(ctx context.Context, j checkin.Job, ttl time.Duration) (string, error) {
	v, err := beginSend.Run(ctx, s.rdb, []string{s.occurrenceKey(j)}, int(ttl/time.Second)).Text()
	if err != nil {
		return "", fmt.Errorf("store: begin send %s: %w", j.Member(), err)
	}
	return v, nil
}

// FinishSend marks an occurrence as sent.
func (s *Store) FinishSend(ctx context.Context, j checkin.Job, ttl time.Duration) error {
	if err := s.rdb.Set(ctx, s.occurrenceKey(j), "sent", ttl).Err(); err != nil {
		return fmt.Errorf("store: finish send %s: %w", j.Member(), err)
	}
	return nil
}

// OldestDue is the due time of the earliest queued job (zero when empty).
func (s *Store) OldestDue(ctx context.Context) (time.Time, error) {
	zs, err := s.rdb.ZRangeWithScores(ctx, s.keys.dueQueue(), 0, 0).Result()
	if err != nil || len(zs) == 0 {
		return time.Time{}, err
	}
	return time.UnixMilli(int64(zs[0].Score)).UTC(), nil
}

// FirstSeen records id as handled and reports whether it was new.
func (s *Store) FirstSeen(ctx context.Context, id string, ttl time.Duration) (bool, error) {
	ok, err := s.rdb.SetNX(ctx, s.keys.seen(id), 1, ttl).Result()
	if err != nil {
		return true, fmt.Errorf("store: seen %s: %w", id, err)
	}
	return ok, nil
}

// TeamSince is when the last team scorecard went out (zero if never).
func (s *Store) TeamSince(ctx context.Context) (time.Time, error) {
	ms, err := s.rdb.Get(ctx, s.keys.teamSince()).Int64()
	if errors.Is(err, redis.Nil) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("store: team since: %w", err)
	}
	return time.UnixMilli(ms).UTC(), nil
}

// SetTeamSince records when the team scorecard went out.
func (s *Store) SetTeamSince(ctx context.Context, at time.Time) error {
	if err := s.rdb.Set(ctx, s.keys.teamSince(), at.UnixMilli(), 0).Err(); err != nil {
		return fmt.Errorf("store: set team since: %w", err)
	}
	return nil
}

func (s *Store) occurrenceKey(j checkin.Job) string {
	if j.Kind == checkin.KindTeam {
		return s.keys.teamOccurrence(j.Member())
	}
	return s.keys.occurrence(string(j.Pair), j.Member())
}

// View reads what a check-in job needs about a pair (its record, settings,
// both members' away dates and latest results) in one pipelined round trip.
func (s *Store) View(ctx context.Context, id partnership.PairID, resultDepth int) (checkin.View, error) {
	_, a, e, err := partnership.ParsePairID(string(id))
	if err != nil {
		return checkin.View{}, fmt.Errorf("store: view %s: %w", id, err)
	}
	var (
		rec, sched *redis.MapStringStringCmd
		away       [2]*redis.StringCmd
		results    *redis.StringSliceCmd
	)
	_, err = s.rdb.Pipelined(ctx, func(pl redis.Pipeliner) error {
		rec = pl.HGetAll(ctx, s.keys.pairRecord(string(id)))
		sched = pl.HGetAll(ctx, s.keys.schedule(string(id)))
		away[0] = pl.Get(ctx, s.keys.away(a))
		away[1] = pl.Get(ctx, s.keys.away(e))
		results = pl.LRange(ctx, s.keys.pairResults(string(id)), int64(-resultDepth), -1)
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return checkin.View{}, fmt.Errorf("store: view %s: %w", id, err)
	}
	// A missing away date is redis.Nil; anything else failing is an error.
	for _, c := range []redis.Cmder{rec, sched, results, away[0], away[1]} {
		if err := c.Err(); err != nil && !errors.Is(err, redis.Nil) {
			return checkin.View{}, fmt.Errorf("store: view %s: %w", id, err)
		}
	}
	v := checkin.View{Away: map[string]time.Time{}}
	if m := rec.Val(); len(m) > 0 {
		v.Pair, v.Found = pairFrom(id, m), true
	}
	v.Settings = settingsFrom(sched.Val())
	for i, u := range []string{a, e} {
		if ms, err := away[i].Int64(); err == nil {
			v.Away[u] = time.UnixMilli(ms).UTC()
		}
	}
	for _, raw := range results.Val() {
		r, err := decodeResult(raw)
		if err != nil {
			return checkin.View{}, fmt.Errorf("store: view %s: %w", id, err)
		}
		v.Results = append(v.Results, r)
	}
	return v, nil
}
