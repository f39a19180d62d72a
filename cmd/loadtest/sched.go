package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"runtime/metrics"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/checkin"
	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/schedule"
	"github.com/partnerbot/partnerbot/internal/store"
	"github.com/redis/go-redis/v9"
	"github.com/robfig/cron/v3"
)

// loadZones are the members' time zones, round robin: several, so that
// the schedules really are per zone.
var loadZones = []string{
	"America/New_York", "Europe/Paris", "Asia/Tokyo", "America/Los_Angeles",
	"Europe/London", "Australia/Sydney", "Asia/Kolkata", "America/Sao_Paulo",
}

// loadDue is the minute every seeded check-in is due in: a Monday.
var loadDue = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

type fixedClock time.Time

func (c fixedClock) Now() time.Time { return time.Time(c) }

// countingNotifier is a sender that sends nothing: it counts prompts per
// member, so that lost and doubled check-ins show.
type countingNotifier struct {
	mu        sync.Mutex
	perUser   map[string]int
	prompts   atomic.Int64
	summaries atomic.Int64
}

func (n *countingNotifier) Prompt(_ context.Context, pr checkin.Prompt) error {
	n.prompts.Add(1)
	n.mu.Lock()
	n.perUser[pr.User]++
	n.mu.Unlock()
	return nil
}

func (n *countingNotifier) Summary(context.Context, partnership.Summary) error {
	n.summaries.Add(1)
	return nil
}

// lostAndDoubled counts members of pairs who got no prompt, or several.
func (n *countingNotifier) lostAndDoubled(pairs int) (lost, doubled int) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for i := range pairs {
		for _, u := range members(i) {
			switch c := n.perUser[u]; {
			case c == 0:
				lost++
			case c > 1:
				doubled++
			}
		}
	}
	return lost, doubled
}

func members(i int) [2]string {
	return [2]string{fmt.Sprintf("UA%07d", i), fmt.Sprintf("UE%07d", i)}
}

type noZones struct{}

func (noZones) TimeZone(context.Context, string) string { return "" }

func cmdSched(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("sched", flag.ExitOnError)
	pairs := fs.Int("pairs", 100000, "pairs, each with two members' check-ins due in the same minute")
	configs := fs.String("configs", "200x8x4,200x8x2,200x8x1", "checkin.Config Batch x Workers x Parallel to run, comma-separated (200x8x4 is the default)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the first fan-out to this file")
	redisURL := fs.String("redis-url", "", "Redis to use (default: start redis-server)")
	quiet := fs.Duration("wait-quiet", 2*time.Minute, "before each measurement, wait at most this long for other processes to go quiet")
	history := fs.Int("history", 0, "past results per pair, stored before the fan-out (a pair a year old has about 100)")
	floor := fs.Bool("floor", true, "also run the floor: the same Redis reads and writes as plain commands (then only the scheduling's own), with the first config's batch and parallelism")
	_ = fs.Parse(args)
	url, pid, stopRedis, err := redisFor(ctx, *redisURL)
	if err != nil {
		return err
	}
	defer stopRedis()
	var cfgs []checkin.Config
	for _, c := range strings.Split(*configs, ",") {
		f := strings.Split(strings.TrimSpace(c), "x")
		n := make([]int, len(f))
		for i := range f {
			n[i], err = strconv.Atoi(f[i])
			if err != nil || n[i] < 1 {
				break
			}
		}
		if err != nil || len(f) != 3 || slices.Min(n) < 1 {
			return fmt.Errorf("-configs: %q is not BATCHxWORKERSxPARALLEL", c)
		}
		cfgs = append(cfgs, checkin.Config{Batch: n[0], Workers: n[1], Parallel: n[2]})
	}
	fmt.Printf("scheduler: %d pairs = %d check-ins due at %s, on %s (AOF everysec)\n", *pairs, 2**pairs, loadDue.Format(time.RFC3339), url)
	for i, c := range cfgs {
		prof := ""
		if i == 0 {
			prof = *cpuProfile
		}
		if err := runSchedRedis(ctx, os.Stdout, url, pid, *pairs, *history, c, prof, *quiet); err != nil {
			return err
		}
	}
	if *floor {
		for _, pairData := range []bool{true, false} {
			if err := runSchedFloor(ctx, os.Stdout, url, *pairs, cfgs[0].Batch, cfgs[0].Parallel, pairData, *quiet); err != nil {
				return err
			}
		}
	}
	fmt.Println(waitQuiet(ctx, *quiet))
	return runSchedCron(os.Stdout, *pairs)
}

// seedPairs stores pairs with both members' time zones and their check-ins
// due at loadDue, through the Store, 50 at a time; it reports Redis memory
// after each step.
func seedPairs(ctx context.Context, w io.Writer, rdb redis.UniversalClient, st *store.Store, pairs, history int) error {
	m0, memOK := usedMemory(ctx, rdb)
	step := func(name string, f func(i int) error) error {
		start := time.Now()
		var next atomic.Int64
		var wg sync.WaitGroup
		errs := make(chan error, 1)
		for range 50 {
			wg.Go(func() {
				for {
					i := int(next.Add(1)) - 1
					if i >= pairs || ctx.Err() != nil {
						return
					}
					if err := f(i); err != nil {
						select {
						case errs <- err:
						default:
						}
						return
					}
				}
			})
		}
		wg.Wait()
		select {
		case err := <-errs:
			return fmt.Errorf("seed %s: %w", name, err)
		default:
		}
		m, _ := usedMemory(ctx, rdb)
		mem := "n/a"
		if memOK {
			mem = fmt.Sprintf("%d B", (m-m0)/int64(pairs))
		}
		fmt.Fprintf(w, "  seeded %-38s in %6s; Redis used_memory since empty: %s per pair\n", name, time.Since(start).Round(time.Millisecond), mem)
		return nil
	}
	pairOf := func(i int) partnership.Pair {
		m := members(i)
		return partnership.Pair{ID: partnership.NewPairID(m[0], m[1]), Assistant: m[0], Executive: m[1], CreatedBy: m[0], CreatedAt: loadDue.AddDate(0, -1, 0)}
	}
	if err := step("pairs (record + members' indexes)", func(i int) error { return st.CreatePair(ctx, pairOf(i)) }); err != nil {
		return err
	}
	if err := step("+ both members' time zones", func(i int) error {
		p := pairOf(i)
		for j, u := range []string{p.Assistant, p.Executive} {
			if err := st.SetTimeZone(ctx, p.ID, u, loadZones[(i+j)%len(loadZones)]); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if err := step("+ both check-ins in the due queue", func(i int) error {
		p := pairOf(i)
		for _, u := range []string{p.Assistant, p.Executive} {
			if err := st.PutJob(ctx, checkin.Job{Kind: checkin.KindPrompt, Pair: p.ID, User: u, At: loadDue}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil || history == 0 {
		return err
	}
	answers, _ := assessment.ParseAnswers("YYYYYYNNYN")
	return step(fmt.Sprintf("+ %d past results per pair", history), func(i int) error {
		p := pairOf(i)
		for k := range history {
			// One member a week before the round, the other the day after:
			// answers of earlier rounds, as a pair has after months.
			at := loadDue.AddDate(0, 0, -7*(history-k)).Add(time.Duration(k%2) * 24 * time.Hour)
			r := assessment.Result{ID: fmt.Sprintf("h%d-%d", i, k), UserID: []string{p.Assistant, p.Executive}[k%2],
				Perspective: []assessment.Perspective{assessment.Assistant, assessment.Executive}[k%2],
				TakenAt:     at, Answers: answers, PairID: string(p.ID)}
			if _, _, err := st.SaveResult(ctx, r); err != nil {
				return err
			}
		}
		return nil
	})
}

// heapObjects is the live heap (bytes of objects), read without stopping
// the world.
func heapObjects() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	return heapObjects()
}

// runSchedRedis seeds pairs and fans their check-ins out through
// checkin.Service on the real store, with a notifier that sends nothing.
func runSchedRedis(ctx context.Context, w io.Writer, url string, redisPid, pairs, history int, cfg checkin.Config, cpuProfile string, quiet time.Duration) error {
	rdb, err := store.Connect(url)
	if err != nil {
		return err
	}
	defer rdb.Close()
	rt := &roundTrips{}
	rdb.AddHook(rt)
	st := store.New(rdb, "pbload")
	if err := rdb.FlushDB(ctx).Err(); err != nil {
		return err
	}
	fmt.Fprintf(w, "due-queue design, checkin.Service Batch %d Workers %d Parallel %d:\n", cfg.Batch, cfg.Workers, cfg.Parallel)
	if err := seedPairs(ctx, w, rdb, st, pairs, history); err != nil {
		return err
	}
	mSeeded, memOK := usedMemory(ctx, rdb)

	notify := &countingNotifier{perUser: make(map[string]int, 2*pairs)}
	fmt.Fprintf(w, "  %s\n", rewriteAOF(ctx, rdb))
	fmt.Fprintf(w, "  %s\n", waitQuiet(ctx, quiet))
	h0 := liveHeap()
	clock := fixedClock(loadDue.Add(30 * time.Second))
	svc := checkin.New(st, notify, noZones{}, clock, slog.New(slog.NewJSONHandler(io.Discard, nil)), nil, cfg)
	h1 := liveHeap()
	runtime.KeepAlive(svc)

	// Peak heap during the fan-out, sampled.
	var peak atomic.Uint64
	sampling, stopSampling := context.WithCancel(ctx)
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for sampling.Err() == nil {
			if h := heapObjects(); h > peak.Load() {
				peak.Store(h)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	// Redis's own account of the fan-out (a managed Redis may refuse CONFIG).
	statsOK := rdb.ConfigResetStat(ctx).Err() == nil
	trips0 := rt.n.Load()
	cpu := sampleCPU(redisProc(redisPid)...)
	var elapsed time.Duration
	var claimed int
	err = profile(cpuProfile, func() error {
		start := time.Now()
		limit := start.Add(10 * time.Minute)
		// As Run does at each poll: Drain, Parallel batches at a time.
		for notify.prompts.Load() < int64(2*pairs) && time.Now().Before(limit) {
			n, err := svc.Drain(ctx)
			claimed += n
			if err != nil {
				return err
			}
			if n == 0 {
				break
			}
		}
		elapsed = time.Since(start)
		return nil
	})
	batches := (claimed + cfg.Batch - 1) / max(cfg.Batch, 1)
	cpuLine := cpuSince(cpu)
	stopSampling()
	<-sampled
	if err != nil {
		return err
	}
	trips := rt.n.Load() - trips0
	var cmdStats []commandStat
	if statsOK {
		cmdStats, _ = commandStats(ctx, rdb)
	}
	lost, doubled := notify.lostAndDoubled(pairs)

	// Every check-in is rescheduled, after now.
	jobs, err := rdb.ZCard(ctx, "pbload:v1:{due}:queue").Result()
	if err != nil {
		return err
	}
	overdue, err := rdb.ZCount(ctx, "pbload:v1:{due}:queue", "-inf", strconv.FormatInt(clock.Now().UnixMilli(), 10)).Result()
	if err != nil {
		return err
	}
	mAfter, _ := usedMemory(ctx, rdb)
	perPair := func(m int64) string {
		if !memOK {
			return "n/a"
		}
		return fmt.Sprintf("%d B", m/int64(pairs))
	}
	fmt.Fprintf(w, "  fan-out: %d check-ins claimed, next time computed, rescheduled and handed to the sender in %s (%.0f/s; %d batches, %d at once); target 100k pairs ≤ 2 s: %s\n",
		notify.prompts.Load(), elapsed.Round(time.Millisecond), float64(notify.prompts.Load())/elapsed.Seconds(), batches, cfg.Parallel, metOrMissed(elapsed <= 2*time.Second && pairs >= 100000))
	fmt.Fprintf(w, "  %s\n", cpuLine)
	fmt.Fprintf(w, "  sent %d prompts (%d summaries); lost %d, doubled %d; due queue now %d jobs, %d of them at or before now\n",
		notify.prompts.Load(), notify.summaries.Load(), lost, doubled, jobs, overdue)
	if len(cmdStats) > 0 {
		fmt.Fprintf(w, "  %s\n", formatCommandStats(cmdStats, notify.prompts.Load(), "check-in"))
	}
	if n, ok := infoInt(ctx, rdb, "persistence", "aof_rewrites"); ok && statsOK {
		// CONFIG RESETSTAT zeroed the count when the fan-out began.
		fmt.Fprintf(w, "  AOF rewrites that began during the fan-out: %d\n", n)
	}
	fmt.Fprintf(w, "  Redis round trips: %d in all, %.2f per batch, %.3f per check-in\n", trips, float64(trips)/float64(max(batches, 1)), float64(trips)/float64(notify.prompts.Load()))
	fmt.Fprintf(w, "  Go heap held by the scheduler: %d B per scheduled pair (%d B in all); peak during the fan-out %.1f MB above idle\n",
		(int64(h1)-int64(h0))/int64(pairs), int64(h1)-int64(h0), float64(int64(peak.Load())-int64(h0))/1e6)
	fmt.Fprintf(w, "  Redis per pair: %s scheduled (everything above); %s after one round (+ occurrence records, reminders, round state)\n",
		perPair(mSeeded), perPair(mAfter))
	if lost > 0 || doubled > 0 {
		return errors.New("the scheduler lost or doubled check-ins")
	}
	return nil
}

func metOrMissed(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}

// runSchedCron measures the naive design: one robfig/cron entry per pair
// (the pair's spec with CRON_TZ), its start-up and heap, and its scheduling
// loop on one wake-up with every entry due, run the way cron.Cron.run does:
// Next for every entry, sort, start each due job in its own goroutine and
// compute its Next, sort again. Real cron waits for the minute; this calls
// the loop's steps directly, with the same due minute.
func runSchedCron(w io.Writer, pairs int) error {
	var fired atomic.Int64
	send := func(string) { fired.Add(1) } // the same no-op sender
	h0 := liveHeap()
	start := time.Now()
	c := cron.New()
	for i := range pairs {
		m := members(i)
		spec := "CRON_TZ=" + loadZones[i%len(loadZones)] + " " + schedule.DefaultSpec
		if _, err := c.AddFunc(spec, func() { send(m[0]); send(m[1]) }); err != nil {
			return fmt.Errorf("cron AddFunc %q: %w", spec, err)
		}
	}
	startup := time.Since(start)
	h1 := liveHeap()
	entries := c.Entries() // a snapshot: copies of every entry (not timed)
	ptrs := make([]*cron.Entry, len(entries))
	for i := range entries {
		ptrs[i] = &entries[i]
	}
	runtime.KeepAlive(c)

	byNext := func() {
		sort.Slice(ptrs, func(i, j int) bool { return ptrs[i].Next.Before(ptrs[j].Next) })
	}
	// One minute before the due minute the loop computes every entry's
	// Next, which is then the due minute in each entry's zone.
	before := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	t0 := time.Now()
	for _, e := range ptrs {
		e.Next = e.Schedule.Next(before)
	}
	tNext := time.Since(t0)
	t1 := time.Now()
	byNext()
	tSort := time.Since(t1)
	// Fire everything up to the last due time, as the loop does on its
	// wake-ups (each wake also re-sorts; counted once here).
	last := ptrs[len(ptrs)-1].Next
	t2 := time.Now()
	var wg sync.WaitGroup
	for _, e := range ptrs {
		if e.Next.After(last) {
			break
		}
		job := e.WrappedJob
		wg.Go(job.Run) // cron.startJob: one goroutine per job
		e.Prev = e.Next
		e.Next = e.Schedule.Next(last)
	}
	wg.Wait()
	byNext()
	tFire := time.Since(t2)
	fmt.Fprintf(w, "naive design: one robfig/cron/v3 entry per pair (CRON_TZ=<zone> %s), in memory:\n", schedule.DefaultSpec)
	fmt.Fprintf(w, "  start-up: %d AddFunc in %s (%.2f µs each); Go heap %d B per pair (%.1f MB in all); Redis 0 B per pair (the schedule lives in the process)\n",
		pairs, startup.Round(time.Millisecond), float64(startup.Microseconds())/float64(pairs), (int64(h1)-int64(h0))/int64(pairs), float64(int64(h1)-int64(h0))/1e6)
	fmt.Fprintf(w, "  scheduling loop with all due: Next for every entry %s, sort %s, fire all (goroutine each, Next again, re-sort) %s; total %s; sent %d\n",
		tNext.Round(time.Millisecond), tSort.Round(time.Millisecond), tFire.Round(time.Millisecond), (tNext + tSort + tFire).Round(time.Millisecond), fired.Load())
	if fired.Load() != int64(2*pairs) {
		return fmt.Errorf("naive design sent %d of %d", fired.Load(), 2*pairs)
	}
	return nil
}
