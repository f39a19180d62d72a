package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/partnerbot/partnerbot/internal/bot"
)

// botLatencyAddrEnv tells a bot started by the tool where to serve its
// recorded ack latencies.
const botLatencyAddrEnv = "PARTNERBOT_LOADTEST_LATENCY_ADDR"

// botAck is one ack the bot reported: its envelope type, when it was
// acked, and the time from the envelope's arrival to the ack.
type botAck struct {
	Type    string        `json:"t"`
	At      int64         `json:"at"` // Unix ns
	Latency time.Duration `json:"l"`
}

// botLatencies records every ack the bot reports, through app.Options'
// Observer: exact latencies where /metrics has only histogram buckets.
type botLatencies struct {
	mu   sync.Mutex
	acks []botAck
}

func (b *botLatencies) Envelope(envelopeType string, outcome bot.Outcome, ackLatency time.Duration) {
	if outcome != bot.OutcomeOK || ackLatency <= 0 {
		return
	}
	b.mu.Lock()
	b.acks = append(b.acks, botAck{Type: envelopeType, At: time.Now().UnixNano(), Latency: ackLatency})
	b.mu.Unlock()
}

// since returns the acks made at or after t.
func (b *botLatencies) since(t time.Time) []botAck {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []botAck
	for _, a := range b.acks {
		if a.At >= t.UnixNano() {
			out = append(out, a)
		}
	}
	return out
}

// ServeHTTP answers GET /?since=<Unix ns> with the acks since then, as JSON.
func (b *botLatencies) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ns, err := strconv.ParseInt(r.URL.Query().Get("since"), 10, 64)
	if err != nil {
		http.Error(w, "since: Unix nanoseconds", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(b.since(time.Unix(0, ns)))
}

// serve serves the acks on addr until ctx ends.
func (b *botLatencies) serve(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: b, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	go func() { _ = srv.Serve(ln) }()
	return nil
}

// fetchBotAcks asks a bot's latency server for its acks since t.
func fetchBotAcks(ctx context.Context, addr string, t time.Time) ([]botAck, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("http://%s/?since=%d", addr, t.UnixNano()), nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("bot latencies: %s", resp.Status)
	}
	var acks []botAck
	return acks, json.NewDecoder(resp.Body).Decode(&acks)
}

// byType splits acks into latencies by envelope type.
func byType(acks []botAck) map[string]latencies {
	out := map[string]latencies{}
	for _, a := range acks {
		out[a.Type] = append(out[a.Type], a.Latency)
	}
	return out
}
