package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/partnerbot/partnerbot/internal/checkin"
	"github.com/partnerbot/partnerbot/internal/partnership"
)

// The smoke tests run each measurement tiny, on miniredis, so that the
// tool keeps working; the real runs are `go run ./cmd/loadtest …`.

func TestInteractSmoke(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := runInteract(ctx, interactConfig{Users: 4, Rounds: 2, InProcess: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Saved != 8 || res.TryAgain != 0 || res.Other != 0 || res.NoModal != 0 {
		t.Errorf("saved %d, try again %d, other %d, no modal %d; want 8 saved and nothing else", res.Saved, res.TryAgain, res.Other, res.NoModal)
	}
	if len(res.Commands) != 8 || len(res.Submit) != 8 {
		t.Errorf("acks: %d commands, %d submissions, want 8 and 8", len(res.Commands), len(res.Submit))
	}
	if got := res.BotSubmit.total(); got != 8 {
		t.Errorf("bot-side histogram counted %v submissions, want 8", got)
	}
	if len(res.BotExactCommands) != 8 || len(res.BotExactSubmit) != 8 || res.BotExactSubmit.max() <= 0 {
		t.Errorf("bot-side exact latencies: %d commands, %d submissions (max %v), want 8 and 8", len(res.BotExactCommands), len(res.BotExactSubmit), res.BotExactSubmit.max())
	}
	if len(res.Problems) != 0 {
		t.Errorf("fake Slack problems: %q", res.Problems)
	}
	var out bytes.Buffer
	res.report(&out, "smoke")
	if !strings.Contains(out.String(), "p99.9=") {
		t.Errorf("report without percentiles:\n%s", out.String())
	}
}

func TestStoreSmoke(t *testing.T) {
	mr := miniredis.RunT(t)
	var out bytes.Buffer
	if err := runStore(context.Background(), &out, "redis://"+mr.Addr(), 0, 4, 200, 1, false); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(out.String(), "1.000 round trips per submission; 0 errors"); got != 3 {
		t.Errorf("want three variants with 1 round trip and no errors:\n%s", out.String())
	}
}

func TestSchedSmoke(t *testing.T) {
	mr := miniredis.RunT(t)
	var out bytes.Buffer
	if err := runSchedRedis(context.Background(), &out, "redis://"+mr.Addr(), 0, 50, 3, checkin.Config{Batch: 30, Workers: 4, Parallel: 2}, "", 0); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	// Answers of earlier rounds (the 3 past results per pair) hold back no prompt.
	if !strings.Contains(out.String(), "+ 3 past results per pair") || !strings.Contains(out.String(), "sent 100 prompts") || !strings.Contains(out.String(), "lost 0, doubled 0") {
		t.Errorf("want 3 past results per pair seeded, then 100 prompts, none lost or doubled:\n%s", out.String())
	}
	out.Reset()
	if err := runSchedCron(&out, 50); err != nil {
		t.Fatal(err)
	}
}

// The floor reads and writes the keys the store uses: its key names
// follow the store's layout.
func TestSchedFloor(t *testing.T) {
	mr := miniredis.RunT(t)
	var out bytes.Buffer
	if err := runSchedFloor(context.Background(), &out, "redis://"+mr.Addr(), 50, 30, 2, false, 0); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if err := runSchedFloor(context.Background(), &out, "redis://"+mr.Addr(), 50, 30, 2, true, 0); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if strings.Count(out.String(), "fan-out: 100 check-ins") != 2 {
		t.Errorf("want 100 check-ins handled:\n%s", out.String())
	}
	for i := range 50 {
		m := members(i)
		id := string(partnership.NewPairID(m[0], m[1]))
		if !mr.Exists(pairKey(id, "pair")) {
			t.Fatalf("no pair record at %s: the floor reads nothing", pairKey(id, "pair"))
		}
		if v := mr.HGet(pairKey(id, "schedule"), "tz:"+m[0]); v == "" {
			t.Fatalf("no time zone in %s: the floor reads another key than the store's", pairKey(id, "schedule"))
		}
		if v := mr.HGet(pairKey(id, "schedule"), "cycle_at"); v == "" {
			t.Fatalf("no round opened in %s", pairKey(id, "schedule"))
		}
		for _, u := range m {
			name := checkin.Job{Kind: checkin.KindPrompt, Pair: partnership.PairID(id), User: u}.Name()
			if v := mr.HGet(floorIndex, name); !strings.HasPrefix(v, "+") {
				t.Fatalf("index holds %q for %s, want the staged reminder", v, name)
			}
		}
	}
}

func TestSendSmoke(t *testing.T) {
	mr := miniredis.RunT(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// Twice the limit's burst, so that some calls meet the limit.
	res, err := runSend(ctx, "redis://"+mr.Addr(), 40, 40, 20)
	if err != nil {
		t.Fatal(err)
	}
	if res.delivered != 40 || res.lost != 0 || res.doubled != 0 {
		t.Errorf("delivered %d, lost %d, doubled %d; want 40, 0, 0", res.delivered, res.lost, res.doubled)
	}
}

func TestHistogram(t *testing.T) {
	text := `# TYPE partnerbot_ack_latency_seconds histogram
partnerbot_ack_latency_seconds_bucket{type="interactive",le="0.01"} 90
partnerbot_ack_latency_seconds_bucket{type="interactive",le="0.05"} 99
partnerbot_ack_latency_seconds_bucket{type="interactive",le="0.25"} 100
partnerbot_ack_latency_seconds_bucket{type="interactive",le="+Inf"} 100
partnerbot_ack_latency_seconds_bucket{type="slash_commands",le="0.01"} 7
`
	h, err := parseHistogram(strings.NewReader(text), ackMetric, `type="interactive"`)
	if err != nil {
		t.Fatal(err)
	}
	if got := h.total(); got != 100 {
		t.Errorf("total = %v, want 100", got)
	}
	if got := h.upper(0.5); got != 0.01 {
		t.Errorf("upper(0.5) = %v, want 0.01", got)
	}
	if got := h.upper(0.99); got != 0.05 {
		t.Errorf("upper(0.99) = %v, want 0.05", got)
	}
	if got := h.within(0.05); got != 0.99 {
		t.Errorf("within(0.05) = %v, want 0.99", got)
	}
	l := latencies{5 * time.Millisecond, time.Millisecond, 3 * time.Millisecond, 2 * time.Millisecond}
	if got := l.quantile(0.5); got != 2*time.Millisecond {
		t.Errorf("quantile(0.5) = %v, want 2ms", got)
	}
	if got := l.quantile(0.999); got != 5*time.Millisecond {
		t.Errorf("quantile(0.999) = %v, want 5ms", got)
	}
}
