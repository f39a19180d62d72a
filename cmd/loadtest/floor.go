package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/store"
	"github.com/redis/go-redis/v9"
)

// The floor of the fan-out: the Redis reads and writes the scheduler makes
// for each check-in, as plain pipelined commands, with none of the checks
// that make it exactly-once (no lease check on completion, no round or
// send-state logic in Lua, no next time computed). What the scheduler
// spends above this is the price of those checks; what this spends is the
// price of the data itself on this machine.

// The store's key layout (internal/store/keys.go), for the prefix the
// tool uses; TestSchedFloor checks it against a seeded store.
func floorKey(name string) string { return "pbload:v1:" + name }
func pairKey(id, name string) string {
	return floorKey("{p:" + id + "}:" + name)
}
func awayKey(user string) string { return floorKey("{u:" + user + "}:away_until") }

var (
	floorQueue = floorKey("{due}:queue")
	floorIndex = floorKey("{due}:jobs")
)

// floorClaim leases up to ARGV[3] due members in one ZADD and reads their
// occurrences from the index, as the scheduler's claim does.
var floorClaim = redis.NewScript(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
if #due == 0 then return {} end
local args = {}
for k = 1, #due do args[#args+1] = ARGV[2]; args[#args+1] = due[k] end
redis.call('ZADD', KEYS[1], unpack(args))
redis.call('HMGET', KEYS[2], unpack(due))
return due
`)

// runSchedFloor seeds pairs as runSchedRedis does and fans them out with
// plain commands, batch members at a time, parallel batches at once. With
// pairData false it makes only the scheduling's own reads and writes
// (lease, index, next occurrence), not the pairs' (records, schedules,
// away dates, rounds).
func runSchedFloor(ctx context.Context, w io.Writer, url string, pairs, batch, parallel int, pairData bool, quiet time.Duration) error {
	rdb, err := store.Connect(url)
	if err != nil {
		return err
	}
	defer rdb.Close()
	if err := rdb.FlushDB(ctx).Err(); err != nil {
		return err
	}
	what := "the same Redis reads and writes as plain pipelined commands, no checks"
	if !pairData {
		what = "only the scheduling's own (lease, index, next occurrence), as plain commands; no pair read or written"
	}
	fmt.Fprintf(w, "floor: %s (batch %d, %d at once):\n", what, batch, parallel)
	if err := seedPairs(ctx, io.Discard, rdb, store.New(rdb, "pbload"), pairs, 0); err != nil {
		return err
	}
	fmt.Fprintf(w, "  %s\n", rewriteAOF(ctx, rdb))
	fmt.Fprintf(w, "  %s\n", waitQuiet(ctx, quiet))
	statsOK := rdb.ConfigResetStat(ctx).Err() == nil
	cpu0, cpuOK := redisCPU(ctx, rdb)
	now := loadDue.Add(30 * time.Second).UnixMilli()
	var done sync.WaitGroup
	errs := make(chan error, parallel)
	var mu sync.Mutex
	handled := 0
	start := time.Now()
	for range parallel {
		done.Go(func() {
			for {
				n, err := floorBatch(ctx, rdb, now, batch, pairData)
				if err != nil {
					errs <- err
					return
				}
				if n == 0 {
					return
				}
				mu.Lock()
				handled += n
				mu.Unlock()
			}
		})
	}
	done.Wait()
	elapsed := time.Since(start)
	select {
	case err := <-errs:
		return fmt.Errorf("floor: %w", err)
	default:
	}
	cpu1, _ := redisCPU(ctx, rdb)
	fmt.Fprintf(w, "  fan-out: %d check-ins in %s (%.0f/s)", handled, elapsed.Round(time.Millisecond), float64(handled)/elapsed.Seconds())
	if cpuOK && handled > 0 {
		fmt.Fprintf(w, "; Redis CPU %.2f s, %.1f µs per check-in", cpu1-cpu0, (cpu1-cpu0)/float64(handled)*1e6)
	}
	fmt.Fprintln(w)
	if n, ok := infoInt(ctx, rdb, "persistence", "aof_rewrites"); ok && statsOK {
		fmt.Fprintf(w, "  AOF rewrites that began during the fan-out: %d\n", n)
	}
	if handled != 2*pairs {
		return fmt.Errorf("floor: handled %d check-ins, want %d", handled, 2*pairs)
	}
	return nil
}

// floorBatch claims one batch and makes the scheduler's reads and writes
// for it: the pairs' records, schedules and members' away dates, and one
// write per pair opening its round and marking both sends (unless
// pairData is false); each job moved to its reminder, with the index
// saying so. It returns how many check-ins it handled (0: none left).
func floorBatch(ctx context.Context, rdb redis.UniversalClient, now int64, batch int, pairData bool) (int, error) {
	due, err := floorClaim.Run(ctx, rdb, []string{floorQueue, floorIndex}, now, now+120_000, batch).StringSlice()
	if err != nil || len(due) == 0 {
		return 0, err
	}
	var pairs []string
	seen := map[string]bool{}
	for _, m := range due {
		f := strings.Split(m, "|")
		if len(f) != 3 {
			return 0, fmt.Errorf("queue member %q is not a prompt", m)
		}
		if !seen[f[1]] {
			seen[f[1]] = true
			pairs = append(pairs, f[1])
		}
	}
	if pairData {
		if err := floorPairs(ctx, rdb, pairs); err != nil {
			return 0, err
		}
	}
	remind := loadDue.Add(24 * time.Hour).UnixMilli()
	staged := "+" + strconv.FormatInt(remind, 10) // as the store writes a staged reminder
	zs := make([]redis.Z, len(due))
	index := make([]any, 0, 2*len(due))
	for i, m := range due {
		zs[i] = redis.Z{Score: float64(remind), Member: m}
		index = append(index, m, staged)
	}
	if _, err := rdb.Pipelined(ctx, func(pl redis.Pipeliner) error {
		pl.ZAdd(ctx, floorQueue, zs...)
		pl.HSet(ctx, floorIndex, index...)
		return nil
	}); err != nil {
		return 0, err
	}
	return len(due), nil
}

// floorPairs reads the pairs' records, schedules and members' away dates,
// and writes each pair's round and both members' send marks.
func floorPairs(ctx context.Context, rdb redis.UniversalClient, pairs []string) error {
	members := make([][2]string, len(pairs))
	for i, id := range pairs {
		_, a, e, err := partnership.ParsePairID(id)
		if err != nil {
			return fmt.Errorf("queue member's pair %q: %w", id, err)
		}
		members[i] = [2]string{a, e}
	}
	if _, err := rdb.Pipelined(ctx, func(pl redis.Pipeliner) error {
		for i, id := range pairs {
			a, e := members[i][0], members[i][1]
			pl.HGetAll(ctx, pairKey(id, "pair"))
			pl.HGetAll(ctx, pairKey(id, "schedule"))
			pl.Get(ctx, awayKey(a))
			pl.Get(ctx, awayKey(e))
		}
		return nil
	}); err != nil && !errors.Is(err, redis.Nil) {
		return err
	}
	at := strconv.FormatInt(loadDue.UnixMilli(), 10)
	_, err := rdb.Pipelined(ctx, func(pl redis.Pipeliner) error {
		for i, id := range pairs {
			a, e := members[i][0], members[i][1]
			pl.HSet(ctx, pairKey(id, "schedule"), "cycle_at", at, "rotation", "1",
				"send:prompt|"+a, at+"|sending", "send:prompt|"+e, at+"|sending")
		}
		return nil
	})
	return err
}

// redisCPU is the CPU time Redis has used, in seconds (INFO cpu).
func redisCPU(ctx context.Context, rdb redis.UniversalClient) (float64, bool) {
	sys, ok1 := infoFloat(ctx, rdb, "cpu", "used_cpu_sys")
	user, ok2 := infoFloat(ctx, rdb, "cpu", "used_cpu_user")
	return sys + user, ok1 && ok2
}
