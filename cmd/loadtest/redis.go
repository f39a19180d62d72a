package main

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisServer is a redis-server this tool started on loopback, with the
// persistence production uses (AOF, fsync every second), in a directory of
// its own that is removed when it stops.
type redisServer struct {
	addr string
	dir  string
	cmd  *exec.Cmd
}

// startRedis starts redis-server on 127.0.0.1 on a free port.
func startRedis(ctx context.Context) (*redisServer, error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, errors.New("redis-server not found: install it (apt-get install -y redis-server) or pass -redis-url")
	}
	dir, err := os.MkdirTemp("", "loadtest-redis-")
	if err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	cmd := exec.Command(bin, "--bind", "127.0.0.1", "--port", strconv.Itoa(port), "--dir", dir,
		"--save", "", "--appendonly", "yes", "--appendfsync", "everysec", "--daemonize", "no",
		"--logfile", dir+"/redis.log")
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start redis-server: %w", err)
	}
	r := &redisServer{addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), dir: dir, cmd: cmd}
	rdb := redis.NewClient(&redis.Options{Addr: r.addr})
	defer rdb.Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		pctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		err := rdb.Ping(pctx).Err()
		cancel()
		if err == nil {
			return r, nil
		}
		if time.Now().After(deadline) {
			r.stop()
			return nil, fmt.Errorf("redis-server on %s did not answer within 5 s: %w", r.addr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (r *redisServer) url() string { return "redis://" + r.addr + "/0" }

// stop ends the redis-server this tool started (by its own pid) and removes
// its directory.
func (r *redisServer) stop() {
	if r.cmd.Process != nil {
		_ = r.cmd.Process.Kill()
		_ = r.cmd.Wait()
	}
	os.RemoveAll(r.dir)
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// redisFor returns the URL of the Redis to measure: url when set, else a
// redis-server started here (stop it with the returned func; pid is its
// process id, 0 when not started here).
func redisFor(ctx context.Context, url string) (u string, pid int, stop func(), err error) {
	if url != "" {
		return url, 0, func() {}, nil
	}
	r, err := startRedis(ctx)
	if err != nil {
		return "", 0, nil, err
	}
	return r.url(), r.cmd.Process.Pid, r.stop, nil
}

// usedMemory is INFO memory's used_memory (bytes); ok is false when the
// server does not report it (miniredis).
func usedMemory(ctx context.Context, rdb redis.UniversalClient) (int64, bool) {
	return infoInt(ctx, rdb, "memory", "used_memory")
}

// infoInt reads one integer field of an INFO section.
func infoInt(ctx context.Context, rdb redis.UniversalClient, section, field string) (int64, bool) {
	v, ok := infoField(ctx, rdb, section, field)
	n, err := strconv.ParseInt(v, 10, 64)
	return n, ok && err == nil
}

// infoFloat reads one decimal field of an INFO section.
func infoFloat(ctx context.Context, rdb redis.UniversalClient, section, field string) (float64, bool) {
	v, ok := infoField(ctx, rdb, section, field)
	f, err := strconv.ParseFloat(v, 64)
	return f, ok && err == nil
}

// infoField reads one field of an INFO section.
func infoField(ctx context.Context, rdb redis.UniversalClient, section, field string) (string, bool) {
	info, err := rdb.Info(ctx, section).Result()
	if err != nil {
		return "", false
	}
	sc := bufio.NewScanner(strings.NewReader(info))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			return strings.TrimSpace(v), true
		}
	}
	return "", false
}

// rewriteAOF compacts the AOF and waits for it, so that no rewrite the
// seeding made due lands inside a measurement: a rewrite is a forked child
// that takes a core for seconds, whenever the file has doubled. It says
// what it did.
func rewriteAOF(ctx context.Context, rdb redis.UniversalClient) string {
	if on, ok := infoInt(ctx, rdb, "persistence", "aof_enabled"); !ok || on == 0 {
		return "AOF off: nothing to rewrite"
	}
	start := time.Now()
	// Refused while a rewrite runs already: then wait for that one.
	_ = rdb.BgRewriteAOF(ctx).Err()
	for time.Since(start) < 2*time.Minute {
		busy, ok1 := infoInt(ctx, rdb, "persistence", "aof_rewrite_in_progress")
		queued, ok2 := infoInt(ctx, rdb, "persistence", "aof_rewrite_scheduled")
		if !ok1 || !ok2 {
			return "AOF rewrite: INFO persistence unreadable"
		}
		if busy == 0 && queued == 0 {
			return fmt.Sprintf("AOF rewritten after seeding in %s (none left to land inside the measurement)", time.Since(start).Round(time.Millisecond))
		}
		time.Sleep(50 * time.Millisecond)
	}
	return "AOF rewrite still running after 2 minutes"
}

// roundTrips counts what go-redis sends: one per command, one per pipeline
// or MULTI/EXEC. A new connection's set-up (HELLO, CLIENT SETINFO) is not
// counted: it happens once per pooled connection, not per request.
type roundTrips struct{ n atomic.Int64 }

func (*roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if !connSetup(cmd) {
			h.n.Add(1)
		}
		return next(ctx, cmd)
	}
}

func (h *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		for _, c := range cmds {
			if !connSetup(c) {
				h.n.Add(1)
				break
			}
		}
		return next(ctx, cmds)
	}
}

func connSetup(cmd redis.Cmder) bool {
	n := cmd.Name()
	return n == "hello" || n == "client"
}

// commandStat is one line of INFO commandstats.
type commandStat struct {
	Name  string
	Calls int64
	Usec  int64
}

// commandStats reads INFO commandstats, the most time-consuming first. A
// script's own calls are counted under their names as well as in its
// EVALSHA's time.
func commandStats(ctx context.Context, rdb redis.UniversalClient) ([]commandStat, error) {
	info, err := rdb.Info(ctx, "commandstats").Result()
	if err != nil {
		return nil, err
	}
	var out []commandStat
	sc := bufio.NewScanner(strings.NewReader(info))
	for sc.Scan() {
		name, rest, ok := strings.Cut(strings.TrimPrefix(sc.Text(), "cmdstat_"), ":")
		if !ok || name == sc.Text() {
			continue
		}
		st := commandStat{Name: name}
		for _, kv := range strings.Split(rest, ",") {
			k, v, _ := strings.Cut(kv, "=")
			switch k {
			case "calls":
				st.Calls, _ = strconv.ParseInt(v, 10, 64)
			case "usec":
				st.Usec, _ = strconv.ParseInt(v, 10, 64)
			}
		}
		out = append(out, st)
	}
	slices.SortFunc(out, func(a, b commandStat) int { return cmp.Compare(b.Usec, a.Usec) })
	return out, sc.Err()
}

// formatCommandStats says, per unit of work, how often Redis ran each
// command and how long it spent in it.
func formatCommandStats(stats []commandStat, units int64, unit string) string {
	var b strings.Builder
	for _, s := range stats {
		if s.Name == "info" || s.Name == "config|resetstat" || s.Calls == 0 {
			continue
		}
		fmt.Fprintf(&b, " %s %.2f× %.2f µs;", s.Name, float64(s.Calls)/float64(units), float64(s.Usec)/float64(units))
	}
	return "Redis time per " + unit + " (calls × µs):" + strings.TrimSuffix(b.String(), ";")
}
