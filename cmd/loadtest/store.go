package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/store"
	"github.com/redis/go-redis/v9"
)

// storeUsers is how many users the submissions spread over: each ends the
// run with a short history, as in real use (SaveResult scans the last 200
// entries of one user's list for the previous result).
const storeUsers = 10000

// storeVariant is one way of storing a submission.
type storeVariant struct {
	name string
	// submit stores submission i of user.
	submit func(ctx context.Context, i int, user string) error
}

type storeRun struct {
	name       string
	n          int
	elapsed    time.Duration
	roundTrips int64
	errors     int64
	// CPU seconds used by this process and by redis-server during the run.
	selfCPU, redisCPU float64
}

func (r storeRun) rate() float64 { return float64(r.n) / r.elapsed.Seconds() }

func cmdStore(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("store", flag.ExitOnError)
	workers := fs.Int("workers", 50, "goroutines submitting at once")
	n := fs.Int("n", 50000, "submissions per variant and repetition")
	reps := fs.Int("reps", 5, "repetitions of each variant, interleaved")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the Go variants to this file")
	redisURL := fs.String("redis-url", "", "Redis to use (default: start redis-server)")
	quiet := fs.Duration("wait-quiet", 2*time.Minute, "first wait at most this long for other processes to go quiet")
	_ = fs.Parse(args)
	url, pid, stopRedis, err := redisFor(ctx, *redisURL)
	if err != nil {
		return err
	}
	defer stopRedis()
	fmt.Println(waitQuiet(ctx, *quiet))
	cpu := sampleCPU(redisProc(pid)...)
	err = profile(*cpuProfile, func() error { return runStore(ctx, os.Stdout, url, pid, *workers, *n, *reps, *redisURL == "") })
	fmt.Println(cpuSince(cpu))
	return err
}

// runStore measures the three Go variants, interleaved reps times, then
// redis-benchmark on the same server when withBenchmark.
func runStore(ctx context.Context, w io.Writer, url string, redisPid, workers, n, reps int, withBenchmark bool) error {
	rdb, err := store.Connect(url)
	if err != nil {
		return err
	}
	defer rdb.Close()
	rt := &roundTrips{}
	rdb.AddHook(rt)
	st := store.New(rdb, "pbload")
	script := redis.NewScript(store.AppendResultLua)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	answers, _ := assessment.ParseAnswers("YNYNYNYNYN")
	result := func(i int, user, prefix string) assessment.Result {
		return assessment.Result{ID: prefix + strconv.Itoa(i), UserID: user, Perspective: assessment.Assistant, TakenAt: at, Answers: answers}
	}
	// The same record Store writes, built once per submission like Store does.
	entry := func(r assessment.Result) string {
		return r.UserID + `|{"id":"` + r.ID + `","p":"assistant","at":` + strconv.FormatInt(r.TakenAt.UnixMilli(), 10) + `,"a":"` + r.Answers.String() + `"}`
	}
	variants := []storeVariant{
		{"Store.SaveResult (1 Lua script)", func(ctx context.Context, i int, user string) error {
			_, _, err := st.SaveResult(ctx, result(i, user, "s"))
			return err
		}},
		{"bare go-redis EVALSHA, same script", func(ctx context.Context, i int, user string) error {
			r := result(i, user, "l")
			k := "bare:v1:{u:" + user + "}"
			return script.Run(ctx, rdb, []string{k + ":results", k + ":subs"}, entry(r), r.ID, user+"|").Err()
		}},
		{"bare go-redis MULTI/EXEC (SADD, LINDEX -1, RPUSH)", func(ctx context.Context, i int, user string) error {
			r := result(i, user, "m")
			k := "bare:v1:{u:" + user + "}"
			_, err := rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
				p.SAdd(ctx, k+":subs", r.ID)
				p.LIndex(ctx, k+":results", -1)
				p.RPush(ctx, k+":results", entry(r))
				return nil
			})
			if err == redis.Nil { // LINDEX of a new user's empty list
				err = nil
			}
			return err
		}},
	}
	users := make([]string, storeUsers)
	for i := range users {
		users[i] = fmt.Sprintf("U%06d", i)
	}
	if err := rdb.FlushDB(ctx).Err(); err != nil {
		return err
	}
	// Load the script once, as a running bot has.
	if err := script.Load(ctx, rdb).Err(); err != nil {
		return err
	}
	runs := map[string][]storeRun{}
	for rep := range reps {
		for _, v := range variants {
			r, err := runVariant(ctx, v, users, workers, n, rt, rep, redisPid)
			if err != nil {
				return err
			}
			runs[v.name] = append(runs[v.name], r)
			if err := rdb.FlushDB(ctx).Err(); err != nil {
				return err
			}
			if err := script.Load(ctx, rdb).Err(); err != nil {
				return err
			}
		}
	}
	fmt.Fprintf(w, "store: %d goroutines, %d submissions per run, %d runs per variant interleaved, %d users, go-redis pool %d\n",
		workers, n, reps, storeUsers, rdb.(*redis.Client).Options().PoolSize)
	median := map[string]storeRun{}
	for _, v := range variants {
		rs := runs[v.name]
		rates := make([]string, len(rs))
		for i, r := range rs {
			rates[i] = fmt.Sprintf("%.0f", r.rate())
		}
		sorted := slices.SortedFunc(slices.Values(rs), func(a, b storeRun) int { return cmp.Compare(a.rate(), b.rate()) })
		m := sorted[len(sorted)/2]
		median[v.name] = m
		var trips, subs, errs int64
		var self, red float64
		for _, r := range rs {
			trips += r.roundTrips
			subs += int64(r.n)
			errs += r.errors
			self += r.selfCPU
			red += r.redisCPU
		}
		fmt.Fprintf(w, "  %-52s median %7.0f/s (runs: %s/s); %.3f round trips per submission; %d errors\n",
			v.name, m.rate(), strings.Join(rates, ", "), float64(trips)/float64(subs), errs)
		cpu := fmt.Sprintf("%.1f µs in this process", 1e6*self/float64(subs))
		if redisPid > 0 {
			cpu += fmt.Sprintf(" + %.1f µs in redis-server", 1e6*red/float64(subs))
		}
		fmt.Fprintf(w, "  %-52s CPU per submission: %s\n", "", cpu)
	}
	storeRate := median[variants[0].name].rate()
	// Each repetition runs the variants back to back, so the ratio within
	// a repetition compares runs under the same conditions; the median of
	// those ratios is the figure least moved by other load.
	ratio := func(other string) string {
		rs := make([]float64, reps)
		for i := range reps {
			rs[i] = runs[variants[0].name][i].rate() / runs[other][i].rate()
		}
		per := make([]string, reps)
		for i, r := range rs {
			per[i] = fmt.Sprintf("%.0f%%", 100*r)
		}
		slices.Sort(rs)
		return fmt.Sprintf("median %.1f%% (per repetition: %s); ratio of medians %.1f%%",
			100*rs[len(rs)/2], strings.Join(per, ", "), 100*storeRate/median[other].rate())
	}
	fmt.Fprintf(w, "  Store / bare EVALSHA:    %s\n", ratio(variants[1].name))
	fmt.Fprintf(w, "  Store / bare MULTI/EXEC: %s (target ≥ 80%%)\n", ratio(variants[2].name))
	if !withBenchmark {
		return nil
	}
	sha := script.Hash()
	host, port := rdb.(*redis.Client).Options().Addr, ""
	if h, p, ok := strings.Cut(host, ":"); ok {
		host, port = h, p
	}
	bench := func(label string, extra ...string) error {
		args := append([]string{"-h", host, "-p", port, "-c", strconv.Itoa(workers), "-n", strconv.Itoa(n), "--csv"}, extra...)
		out, err := exec.CommandContext(ctx, "redis-benchmark", args...).Output()
		if err != nil {
			return fmt.Errorf("redis-benchmark %s: %w", strings.Join(args, " "), err)
		}
		// "test","rps","avg_latency_ms",…,"max_latency_ms": 8 columns,
		// read from the right since a test name may hold anything.
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n")[1:] {
			f := strings.Split(strings.Trim(line, `"`), `","`)
			if len(f) < 8 {
				return fmt.Errorf("redis-benchmark output: %q", line)
			}
			name := strings.Join(f[:len(f)-7], `","`)
			if len(name) > 12 {
				name = name[:12]
			}
			rps, _ := strconv.ParseFloat(f[len(f)-7], 64)
			p99 := f[len(f)-2]
			fmt.Fprintf(w, "  redis-benchmark -c %d %-22s %-12s %7.0f/s (p99 %s ms); Store = %.1f%% of it\n", workers, label, name, rps, p99, 100*storeRate/rps)
		}
		return nil
	}
	if err := bench("-t set,lpush", "-t", "set,lpush"); err != nil {
		return err
	}
	// The same script, on random users' keys.
	return bench("EVALSHA same script", "-r", strconv.Itoa(storeUsers), "evalsha", sha, "2",
		"rb:v1:{u:__rand_int__}:results", "rb:v1:{u:__rand_int__}:subs",
		// An entry the size of a real one (no quotes: redis-benchmark would
		// split on them).
		"U1|{id:s1234567,p:assistant,at:1772442000000,a:YNYNYNYNYN}", "__rand_int__", "U1|")
}

// runVariant stores n submissions from workers goroutines.
func runVariant(ctx context.Context, v storeVariant, users []string, workers, n int, rt *roundTrips, rep, redisPid int) (storeRun, error) {
	var next, errs atomic.Int64
	trips0 := rt.n.Load()
	cpu0 := sampleCPU(redisProc(redisPid)...)
	start := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				if err := v.submit(ctx, rep*n+i, users[i%len(users)]); err != nil {
					errs.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return storeRun{}, err
	}
	cpu1 := sampleCPU(redisProc(redisPid)...)
	var redisCPU float64
	if redisPid > 0 {
		redisCPU, _ = cpu0.since(cpu1, 0)
	}
	return storeRun{
		name: v.name, n: n, elapsed: time.Since(start), roundTrips: rt.n.Load() - trips0, errors: errs.Load(),
		selfCPU: cpu1.self - cpu0.self, redisCPU: redisCPU,
	}, nil
}
