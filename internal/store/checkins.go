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

// answeredField prefixes a member's latest answer in a pair (Unix ms) in
// the pair's schedule hash; SaveResult keeps it.
const answeredField = "answered:"

func settingsFrom(m map[string]string) checkin.Settings {
	st := checkin.Settings{Spec: m["spec"], SpecTZ: m["spec_zone"], Paused: m["paused"] == "1", Assess: checkin.Cadence(m["assess"]),
		TZ: map[string]string{}, Skipped: map[string]bool{}, Answered: map[string]time.Time{}, Snoozed: map[string]checkin.Snooze{}}
	for f, v := range m {
		switch {
		case strings.HasPrefix(f, snoozedField):
			if sn, ok := parseSnooze(v); ok {
				st.Snoozed[f[len(snoozedField):]] = sn
			}
		case strings.HasPrefix(f, "tz:"):
			st.TZ[f[3:]] = v
		case strings.HasPrefix(f, "skipped:"):
			st.Skipped[f[8:]] = true
		case strings.HasPrefix(f, answeredField):
			if ms, err := strconv.ParseInt(v, 10, 64); err == nil {
				st.Answered[f[len(answeredField):]] = time.UnixMilli(ms).UTC()
			}
		}
	}
	if !st.Assess.Valid() {
		st.Assess = checkin.AssessMonthly
	}
	if ms, _ := strconv.ParseInt(m["cycle_at"], 10, 64); ms > 0 {
		st.CycleAt = time.UnixMilli(ms).UTC()
	}
	st.Rotation, _ = strconv.Atoi(m["rotation"])
	st.Streak, _ = strconv.Atoi(m["streak"])
	return st
}

// SetSpec stores the pair's schedule and the zone its user named ("" for
// each member's own), in spec_zone. Builds before it kept the setter's own
// zone in spec_tz whether they named one or not: that field is dropped,
// so such a pair's check-ins follow each member's own time from the next
// change on, and is ignored meanwhile.
func (s *Store) SetSpec(ctx context.Context, id partnership.PairID, spec, zone string) error {
	key := s.keys.schedule(string(id))
	if _, err := s.rdb.TxPipelined(ctx, func(pl redis.Pipeliner) error {
		pl.HSet(ctx, key, "spec", spec, "spec_zone", zone)
		pl.HDel(ctx, key, "spec_tz")
		return nil
	}); err != nil {
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

// SetCadence records how often the pair's check-ins ask for the
// self-assessment.
func (s *Store) SetCadence(ctx context.Context, id partnership.PairID, c checkin.Cadence) error {
	return s.hset(ctx, id, "assess", string(c))
}

// SetTimeZone records a member's time zone.
func (s *Store) SetTimeZone(ctx context.Context, id partnership.PairID, user, tz string) error {
	return s.hset(ctx, id, "tz:"+user, tz)
}

// snoozedField prefixes a member's latest snooze in the pair's schedule
// hash: "<round ms>|<due ms>".
const snoozedField = "snoozed:"

func parseSnooze(v string) (checkin.Snooze, bool) {
	r, a, ok := strings.Cut(v, "|")
	rms, err1 := strconv.ParseInt(r, 10, 64)
	ams, err2 := strconv.ParseInt(a, 10, 64)
	if !ok || err1 != nil || err2 != nil {
		return checkin.Snooze{}, false
	}
	return checkin.Snooze{Round: time.UnixMilli(rms).UTC(), At: time.UnixMilli(ams).UTC()}, true
}

// Snooze records user's snooze unless one is recorded for the same round,
// and returns the one that stands; created is false when it was there.
func (s *Store) Snooze(ctx context.Context, id partnership.PairID, user string, sn checkin.Snooze) (checkin.Snooze, bool, error) {
	round := strconv.FormatInt(sn.Round.UnixMilli(), 10)
	v, err := snoozeOnce.Run(ctx, s.rdb, []string{s.keys.schedule(string(id))}, snoozedField+user, round+"|", round+"|"+strconv.FormatInt(sn.At.UnixMilli(), 10)).Text()
	if err != nil {
		return checkin.Snooze{}, false, fmt.Errorf("store: snooze %s %s: %w", id, user, err)
	}
	got, ok := parseSnooze(v)
	if !ok {
		return checkin.Snooze{}, false, fmt.Errorf("store: snooze %s %s: malformed %q", id, user, v)
	}
	return got, got.At.Equal(sn.At.Truncate(time.Millisecond)), nil
}

// Skip records that user skips the current round (openRound forgets it).
func (s *Store) Skip(ctx context.Context, id partnership.PairID, user string) error {
	return s.hset(ctx, id, "skipped:"+user, "1")
}

func (s *Store) hset(ctx context.Context, id partnership.PairID, field, value string) error {
	if err := s.rdb.HSet(ctx, s.keys.schedule(string(id)), field, value).Err(); err != nil {
		return fmt.Errorf("store: schedule %s %s: %w", id, field, err)
	}
	return nil
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
		err = setJob.Run(ctx, s.rdb, []string{s.keys.dueQueue(), s.keys.dueJobs()}, name, j.Member(), j.At.UnixMilli(), indexValue(j)).Err()
	} else {
		err = s.rdb.ZAddNX(ctx, s.keys.dueQueue(), redis.Z{Score: float64(j.At.UnixMilli()), Member: j.Member()}).Err()
	}
	if err != nil {
		return fmt.Errorf("store: put job %s: %w", j.Member(), err)
	}
	return nil
}

// DropJobs removes the pair's jobs for these members: their recurring
// prompts (with any reminder staged in their place) and their snoozes.
func (s *Store) DropJobs(ctx context.Context, id partnership.PairID, users ...string) error {
	if err := s.dropSnoozes(ctx, id, users); err != nil {
		return err
	}
	for _, u := range users {
		name := checkin.Job{Kind: checkin.KindPrompt, Pair: id, User: u}.Name()
		v, err := s.rdb.HGet(ctx, s.keys.dueJobs(), name).Result()
		if errors.Is(err, redis.Nil) {
			continue
		}
		if err != nil {
			return fmt.Errorf("store: drop job %s: %w", name, err)
		}
		member := name // the index holds its occurrence…
		if strings.Contains(v, "|") {
			member = v // …or, written by an older build, its member
		}
		// Completed with no next occurrence, under the lease it holds now.
		score, err := s.rdb.ZScore(ctx, s.keys.dueQueue(), member).Result()
		if errors.Is(err, redis.Nil) {
			continue
		}
		if err != nil {
			return fmt.Errorf("store: drop job %s: %w", name, err)
		}
		if err := completeJobs.Run(ctx, s.rdb, []string{s.keys.dueQueue(), s.keys.dueJobs()}, name, member, score, "", 0, "").Err(); err != nil {
			return fmt.Errorf("store: drop job %s: %w", name, err)
		}
	}
	return nil
}

// dropSnoozes removes the members' snoozed check-ins from the queue.
func (s *Store) dropSnoozes(ctx context.Context, id partnership.PairID, users []string) error {
	fields := make([]string, len(users))
	for i, u := range users {
		fields[i] = snoozedField + u
	}
	vs, err := s.rdb.HMGet(ctx, s.keys.schedule(string(id)), fields...).Result()
	if err != nil {
		return fmt.Errorf("store: drop snoozes %s: %w", id, err)
	}
	var members []any
	for i, v := range vs {
		if str, ok := v.(string); ok {
			if sn, ok := parseSnooze(str); ok {
				members = append(members, checkin.Job{Kind: checkin.KindSnooze, Pair: id, User: users[i], At: sn.At}.Member())
			}
		}
	}
	if len(members) == 0 {
		return nil
	}
	if err := s.rdb.ZRem(ctx, s.keys.dueQueue(), members...).Err(); err != nil {
		return fmt.Errorf("store: drop snoozes %s: %w", id, err)
	}
	return nil
}

// Claim leases up to limit jobs due at now for lease.
func (s *Store) Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]checkin.Claimed, error) {
	r, err := claimJobs.Run(ctx, s.rdb, []string{s.keys.dueQueue(), s.keys.dueJobs()}, now.UnixMilli(), lease.Milliseconds(), limit).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("store: claim: %w", err)
	}
	until := time.UnixMilli(now.UnixMilli() + lease.Milliseconds()).UTC()
	out := make([]checkin.Claimed, 0, len(r)/2)
	for i := 0; i+1 < len(r); i += 2 {
		m := r[i]
		j, err := checkin.ParseJob(m)
		if err == nil && j.At.IsZero() { // the member is the job's name
			j, err = fromIndex(j, r[i+1])
		}
		if err != nil {
			// Not ours to run: take it out of the queue rather than spin on it.
			s.rdb.ZRem(ctx, s.keys.dueQueue(), m)
			continue
		}
		out = append(out, checkin.Claimed{Job: j, Member: m, Lease: until})
	}
	return out, nil
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

// OpenedView records that the bot opens the view externalID for user, for
// ttl (as measured by Redis's own clock), and forgets the user's lapsed
// ones.
func (s *Store) OpenedView(ctx context.Context, user, externalID string, ttl time.Duration) error {
	if err := rememberView.Run(ctx, s.rdb, []string{s.keys.views(user)}, externalID, ttl.Milliseconds()).Err(); err != nil {
		return fmt.Errorf("store: opened view for %s: %w", user, err)
	}
	return nil
}

// HasView reports whether the bot opened the view externalID for user and
// the record has not lapsed.
func (s *Store) HasView(ctx context.Context, user, externalID string) (bool, error) {
	n, err := hasView.Run(ctx, s.rdb, []string{s.keys.views(user)}, externalID).Int()
	if err != nil {
		return false, fmt.Errorf("store: view of %s: %w", user, err)
	}
	return n == 1, nil
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

// indexValue is what the job index keeps for a job queued under its name:
// a prompt's occurrence ("<ms>", Unix ms), a reminder staged in its place
// ("+<ms>"), or, for a member that names its own occurrence (the team
// scorecard), the member. A staged reminder's value is still a number to
// builds that came before staging (they read it with strconv.ParseInt):
// they take it for the prompt, due at the reminder's time, instead of
// dropping the entry as unreadable.
func indexValue(j checkin.Job) string {
	switch {
	case j.Member() != j.Name():
		return j.Member()
	case j.Staged:
		return "+" + strconv.FormatInt(j.At.UnixMilli(), 10)
	default:
		return strconv.FormatInt(j.At.UnixMilli(), 10)
	}
}

// fromIndex completes j, read from a queue member that is its name, with
// what the job index keeps for it (indexValue, in its canonical form only).
func fromIndex(j checkin.Job, v string) (checkin.Job, error) {
	at, staged := strings.CutPrefix(v, "+")
	ms, ok := canonicalMs(at)
	if !ok || staged && ms < 0 { // "+-…" is no number to an older build
		return j, checkin.ErrBadJob
	}
	j.At = time.UnixMilli(ms).UTC()
	if staged {
		j.Kind, j.Staged = checkin.KindRemind, true
	}
	return j, nil
}

// canonicalMs reads Unix ms written by strconv.FormatInt, and nothing else.
func canonicalMs(s string) (int64, bool) {
	ms, err := strconv.ParseInt(s, 10, 64)
	return ms, err == nil && strconv.FormatInt(ms, 10) == s
}

// CompleteAll ends claimed jobs in one round trip: each is replaced by what
// it leaves queued (or removed), if it still holds its lease. It reports,
// per job, whether it did.
func (s *Store) CompleteAll(ctx context.Context, cs []checkin.Completion) ([]bool, error) {
	if len(cs) == 0 {
		return nil, nil
	}
	args := make([]any, 0, 6*len(cs))
	for _, c := range cs {
		args = append(args, c.Job.Name(), c.Member, c.Lease.UnixMilli())
		if j := c.Next; j == nil {
			args = append(args, "", 0, "")
		} else {
			args = append(args, j.Member(), j.At.UnixMilli(), indexValue(*j))
		}
	}
	r, err := completeJobs.Run(ctx, s.rdb, []string{s.keys.dueQueue(), s.keys.dueJobs()}, args...).Int64Slice()
	if err != nil {
		return nil, fmt.Errorf("store: complete %d jobs: %w", len(cs), err)
	}
	if len(r) != len(cs) {
		return nil, fmt.Errorf("store: complete %d jobs: %d answers", len(cs), len(r))
	}
	out := make([]bool, len(r))
	for i, n := range r {
		out[i] = n == 1
	}
	return out, nil
}

// Begin opens the rounds of prompts and marks every occurrence as being
// sent, in one pipelined round trip for the batch, in order (so that the
// second member's prompt of a pair joins the round the first one opened).
// The pairs' check-ins are one script call for the whole batch (one per
// pair on Redis Cluster); a team scorecard is one call of its own.
func (s *Store) Begin(ctx context.Context, bs []checkin.Begin, ttl time.Duration) ([]checkin.Began, error) {
	var calls []scriptCall
	var of [][]int // the indexes of bs each call begins
	group := map[partnership.PairID]int{}
	for i, b := range bs {
		if b.Job.Kind == checkin.KindTeam {
			calls = append(calls, scriptCall{script: beginSend, keys: []string{s.keys.teamOccurrence(b.Job.Member())}, args: []any{int64(ttl / time.Second)}})
			of = append(of, []int{i})
			continue
		}
		var g partnership.PairID // one call for every pair…
		if s.perSlot {
			g = b.Job.Pair // …or one per pair
		}
		c, ok := group[g]
		if !ok {
			c, group[g] = len(calls), len(calls)
			calls = append(calls, scriptCall{script: beginChecks})
			of = append(of, nil)
		}
		var half, closing, answered, streak int64
		if r := b.Round; r != nil {
			half, closing, answered, streak = r.Half.Milliseconds(), msOrZero(r.Closing), msOrZero(r.Answered), int64(r.Streak)
		}
		_, a, e, err := partnership.ParsePairID(string(b.Job.Pair))
		if err != nil {
			return nil, fmt.Errorf("store: begin %s: %w", b.Job.Member(), err)
		}
		partner := a
		if partner == b.Job.User {
			partner = e
		}
		calls[c].keys = append(calls[c].keys, s.keys.schedule(string(b.Job.Pair)))
		calls[c].args = append(calls[c].args, sendField(b.Job), b.Job.At.UnixMilli(), half, closing, streak, answered, "skipped:"+b.Job.User, "skipped:"+partner)
		of[c] = append(of[c], i)
	}
	if err := s.runScripts(ctx, calls); err != nil {
		return nil, fmt.Errorf("store: begin %d sends: %w", len(bs), err)
	}
	out := make([]checkin.Began, len(bs))
	for c, call := range calls {
		if call.script == beginSend {
			out[of[c][0]].State, _ = call.cmd.Val().(string)
			continue
		}
		v, _ := call.cmd.Val().([]any)
		if len(v) != 4*len(of[c]) {
			return nil, fmt.Errorf("store: begin %d sends: %d answers", len(of[c]), len(v))
		}
		for k, i := range of[c] {
			opened, _ := v[4*k].(int64)
			prev, _ := v[4*k+1].(int64)
			rot, _ := v[4*k+2].(int64)
			out[i].State, _ = v[4*k+3].(string)
			out[i].Opened, out[i].Rotation = opened == 1, int(rot)
			if prev > 0 {
				out[i].Previous = time.UnixMilli(prev).UTC()
			}
		}
	}
	for i, b := range out {
		switch b.State {
		case checkin.SendNew, checkin.SendPending, checkin.SendDone, checkin.SendNone:
		default:
			return nil, fmt.Errorf("store: begin %s: state %q", bs[i].Job.Member(), b.State)
		}
	}
	return out, nil
}

// sendField names the send state of a member's check-ins of one kind in
// the pair's schedule hash; its value is "<occurrence ms>|<state>".
func sendField(j checkin.Job) string {
	return sendFieldPrefix + string(j.Kind) + "|" + j.User
}

// sendFieldPrefix starts every send state field of a schedule hash.
const sendFieldPrefix = "send:"

// sendState is the value of j's send state field when j is in state.
func sendState(j checkin.Job, state string) string {
	return strconv.FormatInt(j.At.UnixMilli(), 10) + "|" + state
}

func msOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// FinishSends marks occurrences as sent, in one pipelined round trip. A
// pair's occurrence is marked only while its "sending" mark is there, so
// that a pair deleted meanwhile is not brought back.
func (s *Store) FinishSends(ctx context.Context, js []checkin.Job, ttl time.Duration) error {
	if len(js) == 0 {
		return nil
	}
	var calls []scriptCall
	for _, j := range js {
		if j.Kind == checkin.KindTeam {
			if err := s.rdb.Set(ctx, s.keys.teamOccurrence(j.Member()), checkin.SendDone, ttl).Err(); err != nil {
				return fmt.Errorf("store: finish %s: %w", j.Member(), err)
			}
			continue
		}
		calls = append(calls, scriptCall{script: compareAndSetField, keys: []string{s.keys.schedule(string(j.Pair))},
			args: []any{sendField(j), sendState(j, checkin.SendPending), sendState(j, checkin.SendDone)}})
	}
	if err := s.runScripts(ctx, calls); err != nil {
		return fmt.Errorf("store: finish %d sends: %w", len(js), err)
	}
	return nil
}

// scriptCall is one script run of a pipeline; cmd holds its reply.
type scriptCall struct {
	script *redis.Script
	keys   []string
	args   []any
	cmd    *redis.Cmd
}

// runScripts runs the calls in one pipeline of EVALSHAs. A call Redis
// answers NOSCRIPT (a restarted or flushed server) did not run: its script
// is loaded and those calls, and only those, run again, in order.
func (s *Store) runScripts(ctx context.Context, calls []scriptCall) error {
	if len(calls) == 0 {
		return nil
	}
	todo := make([]int, len(calls))
	for i := range todo {
		todo[i] = i
	}
	for attempt := 0; ; attempt++ {
		_, err := s.rdb.Pipelined(ctx, func(pl redis.Pipeliner) error {
			for _, i := range todo {
				calls[i].cmd = calls[i].script.EvalSha(ctx, pl, calls[i].keys, calls[i].args...)
			}
			return nil
		})
		var again []int
		missing := map[*redis.Script]bool{}
		for _, i := range todo {
			switch cerr := calls[i].cmd.Err(); {
			case cerr == nil:
			case attempt == 0 && redis.HasErrorPrefix(cerr, "NOSCRIPT"):
				again = append(again, i)
				missing[calls[i].script] = true
			default:
				return cerr
			}
		}
		if len(again) == 0 {
			return err
		}
		for sc := range missing {
			if err := sc.Load(ctx, s.rdb).Err(); err != nil {
				return err
			}
		}
		todo = again
	}
}

// Views reads what check-in jobs need about their pairs (each pair's
// record, its settings with the members' latest answers, and both members'
// away dates) in one pipelined round trip, in the order of ids.
func (s *Store) Views(ctx context.Context, ids []partnership.PairID) ([]checkin.View, error) {
	type reads struct {
		members    [2]string
		rec, sched *redis.MapStringStringCmd
		away       [2]*redis.StringCmd
	}
	rs := make([]reads, len(ids))
	for i, id := range ids {
		_, a, e, err := partnership.ParsePairID(string(id))
		if err != nil {
			return nil, fmt.Errorf("store: view %s: %w", id, err)
		}
		rs[i].members = [2]string{a, e}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	_, err := s.rdb.Pipelined(ctx, func(pl redis.Pipeliner) error {
		for i, id := range ids {
			r := &rs[i]
			r.rec = pl.HGetAll(ctx, s.keys.pairRecord(string(id)))
			r.sched = pl.HGetAll(ctx, s.keys.schedule(string(id)))
			r.away[0] = pl.Get(ctx, s.keys.away(r.members[0]))
			r.away[1] = pl.Get(ctx, s.keys.away(r.members[1]))
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("store: view %d pairs: %w", len(ids), err)
	}
	out := make([]checkin.View, len(ids))
	for i, id := range ids {
		r := rs[i]
		// A missing away date is redis.Nil; anything else failing is an error.
		for _, c := range []redis.Cmder{r.rec, r.sched, r.away[0], r.away[1]} {
			if err := c.Err(); err != nil && !errors.Is(err, redis.Nil) {
				return nil, fmt.Errorf("store: view %s: %w", id, err)
			}
		}
		v := checkin.View{Away: map[string]time.Time{}, Settings: settingsFrom(r.sched.Val())}
		if m := r.rec.Val(); len(m) > 0 {
			v.Pair, v.Found = pairFrom(id, m), true
		}
		for k, u := range r.members {
			if ms, err := r.away[k].Int64(); err == nil {
				v.Away[u] = time.UnixMilli(ms).UTC()
			}
		}
		out[i] = v
	}
	return out, nil
}
