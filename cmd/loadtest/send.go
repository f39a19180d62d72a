package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/partnerbot/partnerbot/internal/bot"
	"github.com/partnerbot/partnerbot/internal/checkin"
	"github.com/partnerbot/partnerbot/internal/sender"
	"github.com/partnerbot/partnerbot/internal/slackfake"
	"github.com/partnerbot/partnerbot/internal/store"
	"github.com/slack-go/slack"
)

// slackPostLimit is the rate the fake Slack enforces on chat.postMessage.
const slackPostLimit = 50

func cmdSend(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("send", flag.ExitOnError)
	dms := fs.Int("dms", 1000, "check-in DMs per run (10000 takes about 200 s per run)")
	rates := fs.String("sender-rates", "50,100", "internal/sender Rate per run, comma-separated (the fake allows 50/s)")
	redisURL := fs.String("redis-url", "", "Redis to use (default: start redis-server)")
	_ = fs.Parse(args)
	if v := os.Getenv("PARTNERBOT_LOADTEST_DMS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 2 {
			return fmt.Errorf("PARTNERBOT_LOADTEST_DMS=%q is not a number of DMs", v)
		}
		*dms = n
	}
	url, _, stopRedis, err := redisFor(ctx, *redisURL)
	if err != nil {
		return err
	}
	defer stopRedis()
	for _, r := range strings.Split(*rates, ",") {
		rate, err := strconv.ParseFloat(strings.TrimSpace(r), 64)
		if err != nil || rate <= 0 {
			return fmt.Errorf("-sender-rates: %q is not a rate", r)
		}
		res, err := runSend(ctx, url, *dms, rate, slackPostLimit)
		if err != nil {
			return err
		}
		res.report(os.Stdout)
	}
	return nil
}

type sendResult struct {
	dms, limit         int
	senderRate         float64
	elapsed            time.Duration
	delivered, refused int
	lost, doubled      int
	first, last        time.Time
	steady             int // DMs more than a second after the first
	failed             int64
}

// runSend sends dms check-in DMs (dms/2 pairs due at once) through the
// real path: checkin.Service on the real store, bot.Delivery, an
// internal/sender at senderRate, slack-go, and the fake Slack enforcing
// limit calls/s on chat.postMessage with 429 + Retry-After.
func runSend(ctx context.Context, url string, dms int, senderRate float64, limit float64) (sendResult, error) {
	res := sendResult{dms: dms, limit: int(limit), senderRate: senderRate}
	pairs := dms / 2
	fake, err := slackfake.New(slackfake.Options{RateLimit: map[string]float64{"chat.postMessage": limit}})
	if err != nil {
		return res, err
	}
	defer fake.Close()
	rdb, err := store.Connect(url)
	if err != nil {
		return res, err
	}
	defer rdb.Close()
	if err := rdb.FlushDB(ctx).Err(); err != nil {
		return res, err
	}
	st := store.New(rdb, "pbload")
	if err := seedPairs(ctx, io.Discard, rdb, st, pairs, 0); err != nil {
		return res, err
	}
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	// As internal/app wires the check-in sender: Burst = Rate.
	api := slack.New(fake.BotToken(), slack.OptionAPIURL(fake.APIURL()),
		slack.OptionHTTPClient(&http.Client{Timeout: 10 * time.Second}))
	post := sender.New(api, sender.Options{Rate: senderRate, Burst: max(1, int(senderRate))})
	clock := fixedClock(loadDue.Add(30 * time.Second))
	delivery := bot.NewDelivery(api, post, clock, log)
	var failed atomic.Int64
	svc := checkin.New(st, delivery, delivery, clock, log, failCounter{&failed}, checkin.Config{})

	start := time.Now()
	deadline := start.Add(time.Duration(float64(dms)/limit*3)*time.Second + time.Minute)
	for len(fake.Calls("chat.postMessage"))-fake.RateLimited("chat.postMessage") < dms && time.Now().Before(deadline) {
		n, err := svc.Tick(ctx)
		if err != nil {
			return res, err
		}
		if n == 0 {
			break
		}
	}
	res.elapsed = time.Since(start)
	res.failed = failed.Load()
	var ok []time.Time
	for _, c := range fake.Calls("chat.postMessage") {
		if c.Status == http.StatusOK && c.Error == "" {
			ok = append(ok, c.At)
		}
	}
	sort.Slice(ok, func(i, j int) bool { return ok[i].Before(ok[j]) })
	res.delivered, res.refused = len(ok), fake.RateLimited("chat.postMessage")
	if len(ok) > 0 {
		res.first, res.last = ok[0], ok[len(ok)-1]
		for _, at := range ok {
			if at.Sub(res.first) > time.Second {
				res.steady++
			}
		}
	}
	for i := range pairs {
		for _, u := range members(i) {
			switch n := len(fake.DMs(u)); {
			case n == 0:
				res.lost++
			case n > 1:
				res.doubled++
			}
		}
	}
	return res, nil
}

type failCounter struct{ n *atomic.Int64 }

func (failCounter) CheckinSent()                 {}
func (f failCounter) CheckinFailed()             { f.n.Add(1) }
func (failCounter) SetDueQueueLag(time.Duration) {}

func (r sendResult) report(w io.Writer) {
	span := r.last.Sub(r.first).Seconds()
	// The most the fake accepts from the first DM to the last: its burst
	// (one second's worth) plus the rate.
	allowed := float64(r.limit) + float64(r.limit)*span
	// After the first second (the bucket's burst), the steady rate.
	rate := float64(r.steady) / (span - 1)
	fmt.Fprintf(w, "sending: %d check-in DMs, sender Rate %g (Burst %g), fake Slack limit %d/s on chat.postMessage\n",
		r.dms, r.senderRate, max(1, r.senderRate), r.limit)
	fmt.Fprintf(w, "  delivered %d in %.1f s (first to last DM), whole run %s; steady rate after the first second %.1f DMs/s = %.1f%% of the allowed rate; all DMs = %.1f%% of the most the limit accepts in the span (burst + rate × span)\n",
		r.delivered, span, r.elapsed.Round(time.Millisecond), rate, 100*rate/float64(r.limit), 100*float64(r.delivered)/allowed)
	fmt.Fprintf(w, "  429s answered: %d; check-ins failed (retried after the lease): %d; lost %d, duplicated %d (DMs per recipient in the fake); target ≥ 90%% of the rate with 0 lost, 0 duplicated: %s\n",
		r.refused, r.failed, r.lost, r.doubled, metOrMissed(rate >= 0.9*float64(r.limit) && r.lost == 0 && r.doubled == 0))
}
