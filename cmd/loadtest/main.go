// Command loadtest measures partnerbot against its performance targets
// (issue 6), on this machine, with everything on 127.0.0.1:
//
//	go run ./cmd/loadtest interact [-users 50,500] [-think 2s,1s,0] [-slow 1s]   the interaction path through the fake Slack
//	go run ./cmd/loadtest store    [-workers 50] [-n 50000] [-reps 5]            Store.SaveResult vs bare go-redis vs redis-benchmark
//	go run ./cmd/loadtest sched    [-pairs 100000] [-configs 200x8,1000x64]      the due-queue scheduler vs one robfig/cron entry per pair
//	go run ./cmd/loadtest send     [-dms 1000] [-sender-rates 50,100]           check-in DMs under the fake Slack's rate limit
//
// Each starts its own redis-server (AOF, fsync every second) unless
// -redis-url names one, and prints what it measured. docs/performance.md
// records the figures and what each includes.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	run, ok := map[string]func(context.Context, []string) error{
		"interact": cmdInteract,
		"store":    cmdStore,
		"sched":    cmdSched,
		"send":     cmdSend,
		"bot":      cmdBot, // the bot alone, as `interact` starts it
	}[os.Args[1]]
	if !ok {
		usage()
		os.Exit(2)
	}
	fmt.Printf("# loadtest %s — %s, %s, %d CPUs, GOMAXPROCS %d\n",
		strings.Join(os.Args[1:], " "), time.Now().UTC().Format("2006-01-02 15:04 MST"), runtime.Version(), runtime.NumCPU(), runtime.GOMAXPROCS(0))
	if err := run(ctx, os.Args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: loadtest interact|store|sched|send [flags]   (loadtest <cmd> -h for flags)")
}

func cmdInteract(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("interact", flag.ExitOnError)
	o := interactOptions{}
	fs.StringVar(&o.users, "users", "50,500", "simulated users, comma-separated runs")
	fs.StringVar(&o.thinks, "think", "2s,1s,0", "mean pause before each click (exponential), comma-separated runs per user count (0: none, saturation)")
	fs.IntVar(&o.total, "submissions", 4000, "assessments per run without think time (rounds per user = submissions / users, at least 4)")
	fs.DurationVar(&o.duration, "duration", 30*time.Second, "length of each run with think time")
	fs.DurationVar(&o.slow, "slow", time.Second, "also run the slow-Redis scenario with every Redis reply this late (0: skip)")
	fs.IntVar(&o.slowUsers, "slow-users", 50, "users in the slow-Redis scenario")
	redisURL := fs.String("redis-url", "", "Redis to use (default: start redis-server)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	quiet := fs.Duration("wait-quiet", 2*time.Minute, "before each run, wait at most this long for other processes to go quiet")
	fs.BoolVar(&o.inProcess, "in-process", false, "run the bot in the load generator's process (default: a process of its own)")
	_ = fs.Parse(args)
	url, pid, stopRedis, err := redisFor(ctx, *redisURL)
	if err != nil {
		return err
	}
	defer stopRedis()
	o.url, o.redisPid, o.quiet = url, pid, *quiet
	return profile(*cpuProfile, func() error { return interactRuns(ctx, o) })
}

type interactOptions struct {
	url            string
	redisPid       int
	users, thinks  string
	total          int
	duration, slow time.Duration
	slowUsers      int
	quiet          time.Duration
	inProcess      bool
}

func interactRuns(ctx context.Context, o interactOptions) error {
	var thinks []time.Duration
	for _, f := range strings.Split(o.thinks, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(f))
		if err != nil || d < 0 {
			return fmt.Errorf("-think: %q is not a duration", f)
		}
		thinks = append(thinks, d)
	}
	for _, f := range strings.Split(o.users, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return fmt.Errorf("-users: %q is not a number of users", f)
		}
		for _, think := range thinks {
			c := interactConfig{Users: n, Rounds: max(4, o.total/n), RedisURL: o.url, Think: think, RedisPid: o.redisPid, InProcess: o.inProcess}
			what := fmt.Sprintf("%d assessments each", c.Rounds)
			if think > 0 {
				c.Rounds, c.Duration = 1000, o.duration
				what = fmt.Sprintf("for %s", o.duration)
			}
			q := waitQuiet(ctx, o.quiet)
			res, err := runInteract(ctx, c)
			if err != nil {
				return err
			}
			res.report(os.Stdout, fmt.Sprintf("interaction path: %d users, %s (command, modal, submit), think time %s", n, what, think))
			fmt.Printf("  before the run: %s\n", q)
			verdict(res)
		}
	}
	if o.slow > 0 {
		q := waitQuiet(ctx, o.quiet)
		res, err := runInteract(ctx, interactConfig{Users: o.slowUsers, RedisURL: o.url, Slow: o.slow, RedisPid: o.redisPid, InProcess: o.inProcess})
		if err != nil {
			return err
		}
		res.report(os.Stdout, fmt.Sprintf("slow Redis: every reply %s late; %d users each submit an open modal and run /partner-assess history at once", o.slow, o.slowUsers))
		all := append(append(latencies{}, res.Commands...), res.Submit...)
		v := "met"
		if all.max() > 2500*time.Millisecond {
			v = "MISSED"
		}
		fmt.Printf("  before the run: %s\n  longest ack %s (target ≤ 2.5 s: %s)\n", q, ms(all.max()), v)
	}
	return nil
}

// verdict prints the interaction targets, judged on the fake-side
// latencies of every ack (the stricter of the two measures).
func verdict(r interactResult) {
	all := append(append(latencies{}, r.Commands...), r.Submit...)
	p99, p999 := all.quantile(0.99), all.quantile(0.999)
	met := func(ok bool) string {
		if ok {
			return "met"
		}
		return "MISSED"
	}
	fmt.Printf("  targets (fake side, all acks): p99 %s ≤ 50ms %s; p99.9 %s ≤ 250ms %s\n",
		ms(p99), met(p99 <= 50*time.Millisecond), ms(p999), met(p999 <= 250*time.Millisecond))
}

// profile runs f with a CPU profile written to path (when path is set).
func profile(path string, f func() error) error {
	if path == "" {
		return f()
	}
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	defer out.Close()
	if err := pprof.StartCPUProfile(out); err != nil {
		return err
	}
	defer pprof.StopCPUProfile()
	return f()
}
