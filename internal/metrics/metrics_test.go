package metrics_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/partnerbot/partnerbot/internal/bot"
	"github.com/partnerbot/partnerbot/internal/metrics"
	"github.com/redis/go-redis/v9"
)

// The bot reports to *Metrics through its Observer interface.
var _ bot.Observer = (*metrics.Metrics)(nil)

// scrape returns the exposition text of m's handler.
func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics = %d, want 200", rec.Code)
	}
	return rec.Body.String()
}

// value returns the sample of series (name{labels} exactly as exposed, or a
// bare name), and whether it is there.
func value(t *testing.T, text, series string) (float64, bool) {
	t.Helper()
	for line := range strings.Lines(text) {
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), series+" ")
		if !ok {
			continue
		}
		v, err := strconv.ParseFloat(rest, 64)
		if err != nil {
			t.Fatalf("series %s: bad value %q", series, rest)
		}
		return v, true
	}
	return 0, false
}

// want checks every series against its value; a negative value means the
// series must be absent.
func want(t *testing.T, text string, series map[string]float64) {
	t.Helper()
	for s, w := range series {
		got, ok := value(t, text, s)
		switch {
		case w < 0 && ok:
			t.Errorf("%s = %v, want no such series", s, got)
		case w >= 0 && !ok:
			t.Errorf("%s is missing, want %v", s, w)
		case w >= 0 && got != w:
			t.Errorf("%s = %v, want %v", s, got, w)
		}
	}
}

func TestEnvelope(t *testing.T) {
	type call struct {
		typ     string
		outcome bot.Outcome
		latency time.Duration
	}
	tests := []struct {
		name  string
		calls []call
		want  map[string]float64
	}{
		{
			name: "nothing yet: alertable series start at zero",
			want: map[string]float64{
				`partnerbot_envelopes_total{outcome="panic",type="slash_commands"}`: 0,
				`partnerbot_envelopes_total{outcome="malformed",type="unknown"}`:    0,
				`partnerbot_ack_latency_seconds_count{type="slash_commands"}`:       -1,
			},
		},
		{
			name: "acked envelopes are counted and timed",
			calls: []call{
				{"slash_commands", bot.OutcomeOK, 4 * time.Millisecond},
				{"slash_commands", bot.OutcomeOK, 2500 * time.Millisecond},
				{"interactive", bot.OutcomePanic, time.Millisecond},
			},
			want: map[string]float64{
				`partnerbot_envelopes_total{outcome="ok",type="slash_commands"}`:          2,
				`partnerbot_envelopes_total{outcome="panic",type="interactive"}`:          1,
				`partnerbot_ack_latency_seconds_count{type="slash_commands"}`:             2,
				`partnerbot_ack_latency_seconds_bucket{type="slash_commands",le="0.005"}`: 1,
				`partnerbot_ack_latency_seconds_bucket{type="slash_commands",le="2"}`:     1,
				`partnerbot_ack_latency_seconds_bucket{type="slash_commands",le="2.5"}`:   2,
				`partnerbot_ack_latency_seconds_bucket{type="slash_commands",le="3"}`:     2,
				`partnerbot_ack_latency_seconds_count{type="interactive"}`:                1,
				`partnerbot_ack_latency_seconds_bucket{type="interactive",le="0.001"}`:    1,
			},
		},
		{
			name: "not acked: counted, latency not observed",
			calls: []call{
				{"events_api", bot.OutcomeRefused, 0},
				{"unknown", bot.OutcomeMalformed, 0},
			},
			want: map[string]float64{
				`partnerbot_envelopes_total{outcome="refused",type="events_api"}`: 1,
				`partnerbot_envelopes_total{outcome="malformed",type="unknown"}`:  1,
				`partnerbot_ack_latency_seconds_count{type="events_api"}`:         -1,
				`partnerbot_ack_latency_seconds_count{type="unknown"}`:            -1,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := metrics.New()
			for _, c := range tt.calls {
				m.Envelope(c.typ, c.outcome, c.latency)
			}
			want(t, scrape(t, m), tt.want)
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestSlackTransport(t *testing.T) {
	const token = "xoxb-1234-SECRET"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/chat.postMessage":
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
		default:
			_, _ = io.WriteString(w, `{"ok":true}`)
		}
	}))
	t.Cleanup(srv.Close)
	down := roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, errors.New("connection refused") })

	tests := []struct {
		name  string
		next  http.RoundTripper
		paths []string
		want  map[string]float64
	}{
		{
			name:  "status by method",
			next:  http.DefaultTransport,
			paths: []string{"/api/apps.connections.open", "/api/views.open", "/api/views.open"},
			want: map[string]float64{
				`partnerbot_slack_api_calls_total{method="apps.connections.open",status="200"}`: 1,
				`partnerbot_slack_api_calls_total{method="views.open",status="200"}`:            2,
				`partnerbot_slack_api_duration_seconds_count{method="views.open"}`:              2,
			},
		},
		{
			name:  "rate limited",
			next:  http.DefaultTransport,
			paths: []string{"/api/chat.postMessage", "/api/chat.postMessage"},
			want: map[string]float64{
				`partnerbot_slack_api_calls_total{method="chat.postMessage",status="429"}`: 2,
				`partnerbot_slack_api_calls_total{method="chat.postMessage",status="200"}`: -1,
			},
		},
		{
			name:  "transport error",
			next:  down,
			paths: []string{"/api/chat.postMessage"},
			want: map[string]float64{
				`partnerbot_slack_api_calls_total{method="chat.postMessage",status="error"}`: 1,
				`partnerbot_slack_api_duration_seconds_count{method="chat.postMessage"}`:     1,
			},
		},
		{
			name:  "odd paths do not become labels",
			next:  http.DefaultTransport,
			paths: []string{"/api/" + token, "/"},
			want: map[string]float64{
				`partnerbot_slack_api_calls_total{method="other",status="200"}`: 2,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := metrics.New()
			client := &http.Client{Transport: m.SlackTransport(tt.next)}
			for _, p := range tt.paths {
				req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, srv.URL+p+"?token="+token,
					strings.NewReader("token="+token+"&channel=C1"))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("Authorization", "Bearer "+token)
				resp, err := client.Do(req)
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}
			text := scrape(t, m)
			want(t, text, tt.want)
			if strings.Contains(text, "SECRET") || strings.Contains(text, "xoxb-") || strings.Contains(text, "C1") {
				t.Errorf("exposition carries a token or a body:\n%s", text)
			}
		})
	}
}

func TestRedisHook(t *testing.T) {
	tests := []struct {
		name string
		run  func(ctx context.Context, rdb *redis.Client, mr *miniredis.Miniredis)
		want map[string]float64
	}{
		{
			name: "a missing key is not an error",
			run: func(ctx context.Context, rdb *redis.Client, _ *miniredis.Miniredis) {
				_ = rdb.Get(ctx, "nothing").Err()
				_ = rdb.LIndex(ctx, "nothing", 0).Err()
			},
			want: map[string]float64{
				`partnerbot_redis_errors_total{command="get"}`:    -1,
				`partnerbot_redis_errors_total{command="lindex"}`: -1,
				// miniredis lacks CLIENT SETINFO, which go-redis sends on connect.
				`partnerbot_redis_errors_total{command="client"}`: -1,
			},
		},
		{
			name: "loading a script on first use is not an error",
			run: func(ctx context.Context, rdb *redis.Client, _ *miniredis.Miniredis) {
				_ = redis.NewScript(`return 1`).Run(ctx, rdb, nil).Err()
			},
			want: map[string]float64{
				`partnerbot_redis_errors_total{command="evalsha"}`: -1,
				`partnerbot_redis_errors_total{command="eval"}`:    -1,
			},
		},
		{
			name: "error replies are counted by command",
			run: func(ctx context.Context, rdb *redis.Client, _ *miniredis.Miniredis) {
				rdb.RPush(ctx, "list", "x")
				_ = rdb.Get(ctx, "list").Err() // WRONGTYPE
				_ = rdb.Get(ctx, "list").Err()
				_, _ = rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
					p.Incr(ctx, "list") // WRONGTYPE
					p.Set(ctx, "k", "v", 0)
					return nil
				})
			},
			want: map[string]float64{
				`partnerbot_redis_errors_total{command="get"}`:   2,
				`partnerbot_redis_errors_total{command="incr"}`:  1,
				`partnerbot_redis_errors_total{command="set"}`:   -1,
				`partnerbot_redis_errors_total{command="rpush"}`: -1,
			},
		},
		{
			name: "Redis down",
			run: func(ctx context.Context, rdb *redis.Client, mr *miniredis.Miniredis) {
				mr.Close()
				_ = rdb.Ping(ctx).Err()
			},
			want: map[string]float64{
				`partnerbot_redis_errors_total{command="ping"}`: 1,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mr := miniredis.RunT(t)
			rdb := redis.NewClient(&redis.Options{Addr: mr.Addr(), MaxRetries: -1})
			t.Cleanup(func() { rdb.Close() })
			m := metrics.New()
			rdb.AddHook(m.RedisHook())
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			tt.run(ctx, rdb, mr)
			want(t, scrape(t, m), tt.want)
		})
	}
}

func TestCheckins(t *testing.T) {
	m := metrics.New()
	want(t, scrape(t, m), map[string]float64{
		"partnerbot_checkins_sent_total":   0,
		"partnerbot_checkins_failed_total": 0,
		"partnerbot_due_queue_lag_seconds": 0,
	})
	m.CheckinSent()
	m.CheckinSent()
	m.CheckinFailed()
	m.SetDueQueueLag(90 * time.Second)
	want(t, scrape(t, m), map[string]float64{
		"partnerbot_checkins_sent_total":   2,
		"partnerbot_checkins_failed_total": 1,
		"partnerbot_due_queue_lag_seconds": 90,
	})
}

func TestRuntimeCollectors(t *testing.T) {
	text := scrape(t, metrics.New())
	for _, name := range []string{"go_goroutines", "process_start_time_seconds"} {
		if _, ok := value(t, text, name); !ok {
			t.Errorf("%s is missing from the exposition", name)
		}
	}
}

// Two Metrics do not share state: nothing is registered globally.
func TestIndependentRegistries(t *testing.T) {
	a, b := metrics.New(), metrics.New()
	a.CheckinSent()
	want(t, scrape(t, b), map[string]float64{"partnerbot_checkins_sent_total": 0})
}
