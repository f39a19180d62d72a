package checkin_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	osexec "os/exec"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/partnerbot/partnerbot/internal/checkin"
	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/redistest"
	"github.com/partnerbot/partnerbot/internal/schedule"
	"github.com/partnerbot/partnerbot/internal/store"
	"github.com/redis/go-redis/v9"
)

// Reliability scenarios of docs/reliability.md at the check-in service
// level: several replicas (Services) over one real store, a shared
// injected clock, and a notifier that records what Slack accepted.

// occurrence is one check-in as Slack received it.
type occurrence struct {
	Pair partnership.PairID
	User string
	At   int64 // the occurrence (Unix ms)
}

// slack records every accepted check-in, with the clock's time.
type slack struct {
	clk  checkin.Clock
	mu   sync.Mutex
	got  map[occurrence]int
	when map[occurrence]time.Time // last delivery
}

func newSlack(clk checkin.Clock) *slack {
	return &slack{clk: clk, got: map[occurrence]int{}, when: map[occurrence]time.Time{}}
}

func (s *slack) accept(o occurrence) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got[o]++
	s.when[o] = s.clk.Now()
}

func (s *slack) count(o occurrence) (int, time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.got[o], s.when[o]
}

func (s *slack) total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.got {
		n += c
	}
	return n
}

var errCrashed = errors.New("replica crashed")

// sendLatency is the time between Slack accepting a post and the replica
// reading the answer: a crash inside it leaves a send in flight.
const sendLatency = 200 * time.Microsecond

// replica is one process: a Service whose store and notifier stop working
// the instant it crashes.
type replica struct {
	svc   *checkin.Service
	slack *slack
	dead  atomic.Bool
	// crashAt: crash right after Slack accepts the send that makes the
	// global count reach it (0: never).
	crashAt int64
	global  *atomic.Int64
	sends   atomic.Int64
	mu      sync.Mutex
	// unfinished: sends Slack accepted that were not recorded (completed, or marked sent):
	// at the crash, the replica's in-flight sends.
	unfinished map[occurrence]bool
}

func (r *replica) Prompt(_ context.Context, pr checkin.Prompt) error {
	if r.dead.Load() {
		return errCrashed
	}
	o := occurrence{pr.Pair.ID, pr.User, pr.At.UnixMilli()}
	r.mu.Lock()
	r.unfinished[o] = true
	r.mu.Unlock()
	r.slack.accept(o)
	r.sends.Add(1)
	if n := r.global.Add(1); r.crashAt > 0 && n >= r.crashAt && r.dead.CompareAndSwap(false, true) {
		return errCrashed // accepted by Slack, then the process died
	}
	time.Sleep(sendLatency) // Slack's answer on its way back
	if r.dead.Load() {
		return errCrashed // accepted, but the process died before the answer
	}
	return nil
}

func (r *replica) Summary(context.Context, partnership.Summary) error {
	if r.dead.Load() {
		return errCrashed
	}
	return nil
}

// crashStore fails every call once its replica crashed.
type crashStore struct {
	checkin.Store
	r *replica
}

func (c crashStore) check() error {
	if c.r.dead.Load() {
		return errCrashed
	}
	return nil
}

func (c crashStore) Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]checkin.Claimed, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	return c.Store.Claim(ctx, now, lease, limit)
}

func (c crashStore) CompleteAll(ctx context.Context, cs []checkin.Completion) ([]bool, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	ok, err := c.Store.CompleteAll(ctx, cs)
	if err != nil {
		return nil, err
	}
	// A completed job is recorded: it is never begun again.
	var js []checkin.Job
	for i, done := range ok {
		if done {
			js = append(js, cs[i].Job)
		}
	}
	c.recorded(js)
	return ok, nil
}

// recorded takes js off the replica's in-flight sends.
func (c crashStore) recorded(js []checkin.Job) {
	c.r.mu.Lock()
	defer c.r.mu.Unlock()
	for _, j := range js {
		delete(c.r.unfinished, occurrence{j.Pair, j.User, j.At.UnixMilli()})
	}
}

func (c crashStore) Begin(ctx context.Context, bs []checkin.Begin, ttl time.Duration) ([]checkin.Began, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	return c.Store.Begin(ctx, bs, ttl)
}

func (c crashStore) FinishSends(ctx context.Context, js []checkin.Job, ttl time.Duration) error {
	if err := c.check(); err != nil {
		return err
	}
	if err := c.Store.FinishSends(ctx, js, ttl); err != nil {
		return err
	}
	c.recorded(js)
	return nil
}

func (c crashStore) Views(ctx context.Context, ids []partnership.PairID) ([]checkin.View, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	return c.Store.Views(ctx, ids)
}

func (c crashStore) PutJob(ctx context.Context, j checkin.Job) error {
	if err := c.check(); err != nil {
		return err
	}
	return c.Store.PutJob(ctx, j)
}

// redisFor returns a Redis client for the fan-out test: a redis-server of
// the test's own when one is installed (FLUSHALL between seeds), else
// miniredis. It reports which.
func redisFor(t *testing.T) (*redis.Client, string) {
	if _, err := osexec.LookPath("redis-server"); err == nil || os.Getenv("CI") == "true" {
		rs := redistest.Start(t)
		rdb := redis.NewClient(&redis.Options{Addr: rs.Addr(), PoolSize: 64})
		t.Cleanup(func() { rdb.Close() })
		return rdb, "redis-server"
	}
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { rdb.Close() })
	return rdb, "miniredis"
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// fanOutResult is one seed's figures.
type fanOutResult struct {
	Seed                     uint64
	Pairs, Expected          int
	Delivered, Missing, Dups int
	CrashAt                  int64
	KilledSent, InFlight     int
	Latest                   time.Duration // last delivery after the due time
	Took                     time.Duration
}

func (r fanOutResult) String() string {
	return fmt.Sprintf("seed %2d: %d pairs, %d check-ins due; replica 2 crashed at send #%d of the fan-out having sent %d (%d in flight); delivered %d, missing %d, duplicates %d; last delivery %v after due; %v",
		r.Seed, r.Pairs, r.Expected, r.CrashAt, r.KilledSent, r.InFlight, r.Delivered, r.Missing, r.Dups, r.Latest, r.Took.Round(time.Millisecond))
}

// fanOut runs one seed: pairs due at once, three replicas, the third
// crashing at a random moment of the fan-out.
func fanOut(t *testing.T, rdb *redis.Client, pairs int, seed uint64) fanOutResult {
	t.Helper()
	ctx := context.Background()
	if err := rdb.FlushAll(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	st := store.New(rdb, "pbrel")
	monday := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) // the default spec's occurrence
	clk := &clock{t: monday}
	cfg := checkin.Config{ReminderDelay: -1, Lease: 2 * time.Minute}

	// Every pair's two check-ins are due now.
	var wg sync.WaitGroup
	work := make(chan int)
	var setupErr atomic.Value
	for range 32 {
		wg.Go(func() {
			for i := range work {
				p := partnership.Pair{ID: partnership.NewPairID(fmt.Sprintf("UA%05d", i), fmt.Sprintf("UE%05d", i)),
					Assistant: fmt.Sprintf("UA%05d", i), Executive: fmt.Sprintf("UE%05d", i), CreatedAt: monday.Add(-time.Hour)}
				if err := st.CreatePair(ctx, p); err != nil {
					setupErr.Store(err)
				}
				for _, u := range []string{p.Assistant, p.Executive} {
					if err := st.PutJob(ctx, checkin.Job{Kind: checkin.KindPrompt, Pair: p.ID, User: u, At: monday}); err != nil {
						setupErr.Store(err)
					}
				}
			}
		})
	}
	for i := range pairs {
		work <- i
	}
	close(work)
	wg.Wait()
	if err, _ := setupErr.Load().(error); err != nil {
		t.Fatal(err)
	}

	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	expected := 2 * pairs
	sl := newSlack(clk)
	var global atomic.Int64
	replicas := make([]*replica, 3)
	for i := range replicas {
		r := &replica{slack: sl, global: &global, unfinished: map[occurrence]bool{}}
		if i == 2 {
			r.crashAt = 1 + rng.Int64N(int64(expected)*3/4)
		}
		r.svc = checkin.New(crashStore{st, r}, r, zones{}, clk, quiet, nil, cfg)
		replicas[i] = r
	}

	// The fan-out: every replica ticks until nothing is due; the crashed one
	// stops at once (its context is cancelled, its calls fail).
	drain := func(rs []*replica) {
		var wg sync.WaitGroup
		for _, r := range rs {
			rctx, cancel := context.WithCancel(ctx)
			wg.Go(func() {
				defer cancel()
				for range 10000 {
					if r.dead.Load() {
						cancel()
						return
					}
					n, err := r.svc.Tick(rctx)
					if err != nil && !r.dead.Load() {
						t.Errorf("tick: %v", err)
						return
					}
					if n == 0 {
						return
					}
				}
			})
		}
		wg.Wait()
	}
	drain(replicas)
	if !replicas[2].dead.Load() {
		t.Fatalf("seed %d: replica 2 never reached send #%d", seed, replicas[2].crashAt)
	}
	replicas[2].mu.Lock()
	inflight := cloneSet(replicas[2].unfinished)
	replicas[2].mu.Unlock()
	// The dead replica's claims run out; the others take them over.
	clk.Set(monday.Add(cfg.Lease + time.Second))
	drain(replicas[:2])

	res := fanOutResult{Seed: seed, Pairs: pairs, Expected: expected, CrashAt: replicas[2].crashAt,
		KilledSent: int(replicas[2].sends.Load()), InFlight: len(inflight), Took: time.Since(began)}
	for i := range pairs {
		a, e := fmt.Sprintf("UA%05d", i), fmt.Sprintf("UE%05d", i)
		for _, u := range []string{a, e} {
			o := occurrence{partnership.NewPairID(a, e), u, monday.UnixMilli()}
			n, at := sl.count(o)
			switch {
			case n == 0:
				res.Missing++
			case n > 1:
				res.Dups += n - 1
				if !inflight[o] {
					t.Errorf("seed %d: %v sent %d times, and was not in flight at the crash", seed, o, n)
				}
			}
			if n > 0 {
				res.Delivered++
				res.Latest = max(res.Latest, at.Sub(monday))
			}
		}
	}
	return res
}

func cloneSet(m map[occurrence]bool) map[occurrence]bool {
	out := make(map[occurrence]bool, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Three replicas, pairs all due at once, one replica crashing at a random
// moment of the fan-out (right after Slack accepted one of its sends): no
// check-in is missing, all arrive within the lease plus a minute, and the
// only duplicates are sends the dead replica had in flight.
//
// CI runs 2 seeds of 1,000 pairs; PARTNERBOT_RELIABILITY_FULL=1 runs 20
// seeds of 10,000 pairs (the figures in docs/reliability.md).
func TestFanOutSurvivesAReplicaCrash(t *testing.T) {
	pairs, seeds := 1000, 2
	if os.Getenv("PARTNERBOT_RELIABILITY_FULL") == "1" {
		pairs, seeds = 10000, 20
	}
	if n, err := strconv.Atoi(os.Getenv("PARTNERBOT_RELIABILITY_PAIRS")); err == nil && n > 0 {
		pairs = n
	}
	rdb, backend := redisFor(t)
	t.Logf("store: %s", backend)
	var totalDups, totalInFlight int
	for seed := range uint64(seeds) {
		r := fanOut(t, rdb, pairs, seed+1)
		t.Log(r)
		if r.Missing != 0 || r.Delivered != r.Expected {
			t.Errorf("seed %d: %d of %d check-ins missing", r.Seed, r.Missing, r.Expected)
		}
		if r.Latest > 2*time.Minute+time.Minute {
			t.Errorf("seed %d: last check-in %v after it was due, want within the lease plus a minute", r.Seed, r.Latest)
		}
		if r.Dups > r.InFlight {
			t.Errorf("seed %d: %d duplicates, more than the %d sends in flight at the crash", r.Seed, r.Dups, r.InFlight)
		}
		totalDups += r.Dups
		totalInFlight += r.InFlight
	}
	t.Logf("total: %d duplicates over %d seeds (%d sends in flight at the crashes)", totalDups, seeds, totalInFlight)
}

// All replicas are down for two hours across many due times. When they
// come back, each occurrence missed inside the grace window goes out once,
// within five minutes; one missed by more than the grace is not sent, and
// its next occurrence is queued.
func TestTwoHourOutageCatchesUpOnce(t *testing.T) {
	for _, tt := range []struct {
		name  string
		grace time.Duration
	}{
		{"grace 24h", 24 * time.Hour},
		{"grace 90m", 90 * time.Minute},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rdb, _ := redisFor(t)
			ctx := context.Background()
			st := store.New(rdb, "pbout")
			start := time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC) // Monday
			down := start.Add(50 * time.Minute)                    // 07:50
			up := down.Add(2 * time.Hour)                          // 09:50
			clk := &clock{t: start}
			sl := newSlack(clk)
			cfg := checkin.Config{ReminderDelay: -1, Grace: tt.grace, MinInterval: time.Hour, Lease: 2 * time.Minute, PollInterval: 5 * time.Second}
			var global atomic.Int64
			var replicas []*checkin.Service
			for range 3 {
				r := &replica{slack: sl, global: &global, unfinished: map[occurrence]bool{}}
				replicas = append(replicas, checkin.New(crashStore{st, r}, r, zones{}, clk, quiet, nil, cfg))
			}
			// Weekly pairs due every 10 minutes from 07:30 to 10:10, daily and
			// hourly pairs, all read in UTC.
			specs := []string{"0 * * * *", "30 * * * *", "45 8 * * *", "@every 1h"}
			for m := 7*60 + 30; m <= 10*60+10; m += 10 {
				specs = append(specs, fmt.Sprintf("%d %d * * MON", m%60, m/60))
			}
			type member struct {
				pair partnership.PairID
				user string
				spec schedule.Spec
			}
			var members []member
			for i, text := range specs {
				a, e := fmt.Sprintf("UA%02d", i), fmt.Sprintf("UE%02d", i)
				p := partnership.Pair{ID: partnership.NewPairID(a, e), Assistant: a, Executive: e, CreatedAt: start}
				if err := st.CreatePair(ctx, p); err != nil {
					t.Fatal(err)
				}
				if err := replicas[0].Start(ctx, p); err != nil {
					t.Fatal(err)
				}
				set, err := replicas[0].SetSchedule(ctx, p.ID, a, text)
				if err != nil {
					t.Fatalf("%s: %v", text, err)
				}
				members = append(members, member{p.ID, a, set.Spec}, member{p.ID, e, set.Spec})
			}
			tick := func(at time.Time) {
				t.Helper()
				clk.Set(at)
				for _, r := range replicas {
					for range 100 {
						n, err := r.Tick(ctx)
						if err != nil {
							t.Fatalf("tick at %v: %v", at, err)
						}
						if n == 0 {
							break
						}
					}
				}
			}
			// Up until 07:50, polled every 5 s; then nothing for two hours;
			// then five minutes of polling.
			for at := start; at.Before(down); at = at.Add(5 * time.Second) {
				tick(at)
			}
			before := sl.total()
			for at := up; !at.After(up.Add(5 * time.Minute)); at = at.Add(5 * time.Second) {
				tick(at)
			}

			var fired, skipped int
			for _, m := range members {
				for o := m.spec.Next(time.UTC, start); o.Before(up); o = m.spec.Next(time.UTC, o) {
					n, at := sl.count(occurrence{m.pair, m.user, o.UnixMilli()})
					missed := !o.Before(down)
					switch {
					case !missed && n != 1:
						t.Errorf("%s %s: occurrence %v before the outage sent %d times", m.spec, m.user, o.Format("15:04"), n)
					case missed && up.Sub(o) <= tt.grace:
						fired++
						if n != 1 {
							t.Errorf("%s %s: occurrence %v missed in the outage sent %d times, want once", m.spec, m.user, o.Format("15:04"), n)
						} else if at.Sub(up) > 5*time.Minute {
							t.Errorf("%s %s: occurrence %v went out %v after the restart", m.spec, m.user, o.Format("15:04"), at.Sub(up))
						}
					case missed:
						skipped++
						if n != 0 {
							t.Errorf("%s %s: occurrence %v, %v late (over the grace), sent %d times", m.spec, m.user, o.Format("15:04"), up.Sub(o), n)
						}
					}
				}
			}
			// Nothing is left behind: each member's next occurrence is queued
			// in the future.
			queued, err := rdb.ZRangeWithScores(ctx, "pbout:v1:{due}:queue", 0, -1).Result()
			if err != nil {
				t.Fatal(err)
			}
			if len(queued) != len(members) {
				t.Errorf("%d jobs queued after the catch-up, want %d (one per member)", len(queued), len(members))
			}
			for _, z := range queued {
				if at := time.UnixMilli(int64(z.Score)); !at.After(up.Add(5 * time.Minute)) {
					t.Errorf("job %v still due at %v after the catch-up", z.Member, at.Format("15:04:05"))
				}
			}
			t.Logf("%s: %d check-ins before the outage; %d missed in it within the grace, each sent once within 5 min; %d missed beyond the grace, not sent",
				tt.name, before, fired, skipped)
		})
	}
}
