package partnership_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/store"
	"github.com/redis/go-redis/v9"
)

// roundTrips counts the commands and pipelines go-redis sends.
type roundTrips struct{ n atomic.Int64 }

func (*roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }
func (c *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { c.n.Add(1); return next(ctx, cmd) }
}
func (c *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error { c.n.Add(1); return next(ctx, cmds) }
}

// BenchmarkCheckinContent is what each check-in DM adds to the fan-out:
// reading the executive's goals in Now, wins, charter, wishes and check-in
// answers, for a pair with 5 goals, 10 wins, a charter in force, 5 wishes
// and 4 answers. On the real redis-server named by
// PARTNERBOT_TEST_REDIS_URL when set (a private prefix), else miniredis.
func BenchmarkCheckinContent(b *testing.B) {
	var opts *redis.Options
	if url := os.Getenv("PARTNERBOT_TEST_REDIS_URL"); url != "" {
		var err error
		if opts, err = redis.ParseURL(url); err != nil {
			b.Fatal(err)
		}
	} else {
		mr := miniredis.RunT(b)
		opts = &redis.Options{Addr: mr.Addr()}
	}
	if _, _, err := net.SplitHostPort(opts.Addr); err != nil {
		b.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	b.Cleanup(func() { rdb.Close() })
	rt := &roundTrips{}
	rdb.AddHook(rt)
	prefix := fmt.Sprintf("pbbench%d", time.Now().UnixNano())
	b.Cleanup(func() {
		ctx := context.Background()
		for it := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator(); it.Next(ctx); {
			rdb.Del(ctx, it.Val())
		}
	})
	clk := &clock{t: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
	svc := partnership.NewService(store.New(rdb, prefix), clk)
	ctx := context.Background()
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	inv, err := svc.Invite(ctx, "UA", partnership.Person{ID: "UE"}, "assistant")
	must(err)
	ans, err := svc.AcceptInvitation(ctx, inv.Pair, "UE")
	must(err)
	p := ans.Pair
	for i := range 5 {
		stage := partnership.StageNow
		if i >= 3 {
			stage = partnership.StageNext
		}
		g, err := svc.AddGoal(ctx, p.ID, "UA", partnership.GoalDraft{Title: fmt.Sprintf("Goal %d", i), Stage: stage, Owner: "UA"})
		must(err)
		if i == 1 {
			_, err = svc.SetGoalStatus(ctx, p.ID, g.ID, "UE", partnership.GoalStuck, "waiting on finance")
			must(err)
		}
	}
	for i := range 10 {
		_, err := svc.LogWin(ctx, p.ID, "UA", partnership.WinDraft{Text: fmt.Sprintf("Win %d", i)})
		must(err)
	}
	_, err = svc.DraftCharter(ctx, p.ID, "UA", 0, terms("Tell me the priorities on Monday"))
	must(err)
	_, err = svc.AcceptCharter(ctx, p.ID, "UE", 1)
	must(err)
	ns := partnership.NextSteps{PairID: p.ID, UserID: "UA"}
	for i := range 3 {
		ns.Wishes[i], ns.Send[i] = fmt.Sprintf("Wish %d", i), true
	}
	_, err = svc.SaveNextSteps(ctx, ns)
	must(err)
	for i := range 4 {
		clk.Add(time.Hour)
		_, err := svc.SaveReflection(ctx, partnership.Reflection{Pair: p.ID, User: []string{"UA", "UE"}[i%2], Round: clk.Now(), Text: "words", Shared: true, PlanChange: "less travel"})
		must(err)
	}
	c, err := svc.CheckinContent(ctx, p, "UE")
	must(err)
	if len(c.Now) != 3 || len(c.Wins) != 10 || c.Digest == nil || len(c.Digest.Stuck) != 1 {
		b.Fatalf("content = %d in Now, %d wins, digest %+v", len(c.Now), len(c.Wins), c.Digest)
	}
	rt.n.Store(0)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := svc.CheckinContent(ctx, p, "UE"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rt.n.Load())/float64(b.N), "round-trips/op")
}
