package sender

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/url"
	"slices"
	"strings"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/slack-go/slack"
)

var (
	errReset       = &url.Error{Op: "Post", URL: "https://slack.com/api/chat.postMessage", Err: &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}}
	errEOF         = &url.Error{Op: "Post", URL: "https://slack.com/api/chat.postMessage", Err: io.EOF}
	errClientTimer = &url.Error{Op: "Post", URL: "https://slack.com/api/chat.postMessage", Err: context.DeadlineExceeded}
	errBadScheme   = &url.Error{Op: "Post", URL: "slack.com/api/chat.postMessage", Err: errors.New(`unsupported protocol scheme ""`)}
)

func slackErr(code string) error { return slack.SlackErrorResponse{Err: code} }

func TestPost(t *testing.T) {
	tests := []struct {
		name       string
		fail       func(int) error
		wantCalls  int
		wantSleeps []time.Duration
		wantErr    string // substring; "" for success
		wantGaveUp bool
	}{
		{
			name:       "429 with Retry-After twice, then ok",
			fail:       failFirst(&slack.RateLimitedError{RetryAfter: 3 * time.Second}, &slack.RateLimitedError{RetryAfter: 3 * time.Second}),
			wantCalls:  3,
			wantSleeps: []time.Duration{3 * time.Second, 3 * time.Second},
		},
		{
			name:       "429 without Retry-After waits the backoff",
			fail:       failFirst(slack.StatusCodeError{Code: 429, Status: "429 Too Many Requests"}, slack.StatusCodeError{Code: 429, Status: "429 Too Many Requests"}),
			wantCalls:  3,
			wantSleeps: []time.Duration{100 * time.Millisecond, 200 * time.Millisecond},
		},
		{
			name:       "rate_limited in the body",
			fail:       failFirst(slackErr("rate_limited")),
			wantCalls:  2,
			wantSleeps: []time.Duration{100 * time.Millisecond},
		},
		{
			name:       "ratelimited in the body",
			fail:       failFirst(slackErr("ratelimited")),
			wantCalls:  2,
			wantSleeps: []time.Duration{100 * time.Millisecond},
		},
		{
			name:       "500, 502, 503, then ok",
			fail:       failFirst(slack.StatusCodeError{Code: 500}, slack.StatusCodeError{Code: 502}, slack.StatusCodeError{Code: 503}),
			wantCalls:  4,
			wantSleeps: []time.Duration{50 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond},
		},
		{
			name:       "service_unavailable in the body",
			fail:       failFirst(slackErr("service_unavailable")),
			wantCalls:  2,
			wantSleeps: []time.Duration{50 * time.Millisecond},
		},
		{
			name:       "connection reset",
			fail:       failFirst(errReset),
			wantCalls:  2,
			wantSleeps: []time.Duration{50 * time.Millisecond},
		},
		{
			name:       "EOF",
			fail:       failFirst(errEOF),
			wantCalls:  2,
			wantSleeps: []time.Duration{50 * time.Millisecond},
		},
		{
			name:       "truncated body",
			fail:       failFirst(fmt.Errorf("decode: %w", io.ErrUnexpectedEOF)),
			wantCalls:  2,
			wantSleeps: []time.Duration{50 * time.Millisecond},
		},
		{
			name:       "HTTP client timeout",
			fail:       failFirst(errClientTimer),
			wantCalls:  2,
			wantSleeps: []time.Duration{50 * time.Millisecond},
		},
		{
			name:       "500 every time gives up after MaxTries",
			fail:       failAlways(slack.StatusCodeError{Code: 500, Status: "500 Internal Server Error"}),
			wantCalls:  4,
			wantSleeps: []time.Duration{50 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond},
			wantErr:    "sender: post to U1: gave up after 4 tries: slack server error: 500 Internal Server Error",
			wantGaveUp: true,
		},
		{
			name:       "429 every time gives up after MaxTries",
			fail:       failAlways(&slack.RateLimitedError{RetryAfter: time.Second}),
			wantCalls:  4,
			wantSleeps: []time.Duration{time.Second, time.Second, time.Second},
			wantErr:    "gave up after 4 tries: slack rate limit exceeded",
			wantGaveUp: true,
		},
		{name: "channel_not_found", fail: failAlways(slackErr("channel_not_found")), wantCalls: 1, wantErr: "sender: post to U1: channel_not_found"},
		{name: "invalid_auth", fail: failAlways(slackErr("invalid_auth")), wantCalls: 1, wantErr: "invalid_auth"},
		{name: "not_in_channel", fail: failAlways(slackErr("not_in_channel")), wantCalls: 1, wantErr: "not_in_channel"},
		{name: "invalid_blocks", fail: failAlways(slackErr("invalid_blocks")), wantCalls: 1, wantErr: "invalid_blocks"},
		{name: "404", fail: failAlways(slack.StatusCodeError{Code: 404, Status: "404 Not Found"}), wantCalls: 1, wantErr: "404 Not Found"},
		{name: "bad URL", fail: failAlways(errBadScheme), wantCalls: 1, wantErr: "unsupported protocol scheme"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				clk := &recordClock{}
				p := &scriptPoster{clk: clk, fail: tt.fail}
				var retries int
				s := New(p, Options{
					Rate:        math.Inf(1),
					MaxTries:    4,
					BaseBackoff: 100 * time.Millisecond,
					MaxBackoff:  time.Second,
					Clock:       clk,
					Rand:        fixedRand(0.5),
					OnRetry:     func(string, int, time.Duration, error) { retries++ },
				})

				ch, ts, err := s.Post(t.Context(), "U1", slack.MsgOptionText("secret answer", false))

				if tt.wantErr == "" {
					if err != nil || ch != "DU1" || ts == "" {
						t.Fatalf("Post() = %q, %q, %v, want DU1, a ts, nil", ch, ts, err)
					}
				} else {
					if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
						t.Fatalf("Post() error = %v, want one containing %q", err, tt.wantErr)
					}
					if strings.Contains(err.Error(), "secret") {
						t.Errorf("Post() error %q shows the message text", err)
					}
				}
				if got := errors.Is(err, ErrGaveUp); got != tt.wantGaveUp {
					t.Errorf("errors.Is(%v, ErrGaveUp) = %v, want %v", err, got, tt.wantGaveUp)
				}
				if got := len(p.Calls()); got != tt.wantCalls {
					t.Errorf("calls = %d, want %d", got, tt.wantCalls)
				}
				if got := clk.Sleeps(); !slices.Equal(got, tt.wantSleeps) {
					t.Errorf("sleeps = %v, want %v", got, tt.wantSleeps)
				}
				if retries != len(tt.wantSleeps) {
					t.Errorf("OnRetry called %d times, want %d", retries, len(tt.wantSleeps))
				}
			})
		})
	}
}

// TestBackoffJitter checks full jitter: the wait before try n+2 is uniform
// in [0, min(MaxBackoff, BaseBackoff·2^n)], and the last failure survives
// in the error.
func TestBackoffJitter(t *testing.T) {
	const maxTries = 8
	base, maxWait := 100*time.Millisecond, time.Second
	caps := []time.Duration{100, 200, 400, 800, 1000, 1000, 1000}
	tests := []struct {
		name string
		rand []float64
	}{
		{"near one", []float64{0.999999}},
		{"zero", []float64{0}},
		{"mixed", []float64{0.1, 0.9, 0.5, 0.3, 0.7, 0.0, 0.99}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				clk := &recordClock{}
				p := &scriptPoster{clk: clk, fail: func(n int) error {
					return slack.StatusCodeError{Code: 500 + n%4, Status: fmt.Sprintf("%d", 500+n%4)}
				}}
				s := New(p, Options{Rate: math.Inf(1), MaxTries: maxTries, BaseBackoff: base, MaxBackoff: maxWait, Clock: clk, Rand: fixedRand(tt.rand...)})

				_, _, err := s.Post(t.Context(), "U1")

				if !errors.Is(err, ErrGaveUp) {
					t.Fatalf("Post() error = %v, want ErrGaveUp", err)
				}
				last, ok := errors.AsType[slack.StatusCodeError](err)
				if !ok || last.Code != 500+maxTries%4 {
					t.Errorf("Post() error = %v, want it to wrap the last failure, status %d", err, 500+maxTries%4)
				}
				if got := len(p.Calls()); got != maxTries {
					t.Errorf("calls = %d, want %d", got, maxTries)
				}
				sleeps := clk.Sleeps()
				if len(sleeps) != maxTries-1 {
					t.Fatalf("sleeps = %v, want %d of them", sleeps, maxTries-1)
				}
				for n, got := range sleeps {
					limit := caps[n] * time.Millisecond
					r := tt.rand[min(n, len(tt.rand)-1)]
					want := time.Duration(r * float64(limit))
					if got < 0 || got > limit || got != want {
						t.Errorf("sleep %d = %v, want %v (rand %v within [0, %v])", n, got, want, r, limit)
					}
				}
			})
		})
	}
}

func TestPostCancel(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		fail func(int) error
		// posts is how many Posts run one after the other; the last is
		// the one cancelled.
		posts int
	}{
		{
			name:  "waiting for Retry-After",
			opts:  Options{Rate: math.Inf(1)},
			fail:  failAlways(&slack.RateLimitedError{RetryAfter: 30 * time.Second}),
			posts: 1,
		},
		{
			name:  "waiting for a backoff",
			opts:  Options{Rate: math.Inf(1), BaseBackoff: time.Minute, MaxBackoff: time.Minute, Rand: fixedRand(0.5)},
			fail:  failAlways(slack.StatusCodeError{Code: 503}),
			posts: 1,
		},
		{
			name:  "waiting for the limiter",
			opts:  Options{Rate: 0.01},
			posts: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				clk := &recordClock{}
				p := &scriptPoster{clk: clk, fail: tt.fail}
				tt.opts.Clock = clk
				s := New(p, tt.opts)
				ctx, cancel := context.WithCancel(t.Context())
				for range tt.posts - 1 {
					if _, _, err := s.Post(ctx, "U1"); err != nil {
						t.Fatalf("Post() = %v", err)
					}
				}
				start := time.Now()
				time.AfterFunc(10*time.Millisecond, cancel)

				_, _, err := s.Post(ctx, "U1")

				if !errors.Is(err, context.Canceled) {
					t.Errorf("Post() error = %v, want context.Canceled", err)
				}
				if got := time.Since(start); got != 10*time.Millisecond {
					t.Errorf("Post() returned after %v, want at the cancel (10ms)", got)
				}
				if _, retry := Retryable(err); retry {
					t.Errorf("Retryable(%v) = true, want false", err)
				}
			})
		})
	}
}

func TestRetryable(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		wantWait  time.Duration
		wantRetry bool
	}{
		{"nil", nil, 0, false},
		{"429 with Retry-After", &slack.RateLimitedError{RetryAfter: 7 * time.Second}, 7 * time.Second, true},
		{"429 with Retry-After, wrapped", fmt.Errorf("post: %w", &slack.RateLimitedError{RetryAfter: 2 * time.Second}), 2 * time.Second, true},
		{"429 without Retry-After", slack.StatusCodeError{Code: 429}, 0, true},
		{"rate_limited", slackErr("rate_limited"), 0, true},
		{"500", slack.StatusCodeError{Code: 500}, 0, true},
		{"504", slack.StatusCodeError{Code: 504}, 0, true},
		{"internal_error", slackErr("internal_error"), 0, true},
		{"connection reset", errReset, 0, true},
		{"HTTP client timeout", errClientTimer, 0, true},
		{"gave up on 500", fmt.Errorf("sender: post to U1: %w after 5 tries: %w", ErrGaveUp, slack.StatusCodeError{Code: 500}), 0, true},
		{"400", slack.StatusCodeError{Code: 400}, 0, false},
		{"channel_not_found", slackErr("channel_not_found"), 0, false},
		{"messages_tab_disabled", slackErr("messages_tab_disabled"), 0, false},
		{"fatal_error", slackErr("fatal_error"), 0, false},
		{"canceled", fmt.Errorf("sender: post to U1: %w", context.Canceled), 0, false},
		{"canceled inside the transport", &url.Error{Op: "Post", URL: "u", Err: context.Canceled}, 0, false},
		{"bad URL", errBadScheme, 0, false},
		{"anything else", errors.New("boom"), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gotWait, gotRetry := Retryable(tt.err)
			if gotWait != tt.wantWait || gotRetry != tt.wantRetry {
				t.Errorf("Retryable(%v) = %v, %v, want %v, %v", tt.err, gotWait, gotRetry, tt.wantWait, tt.wantRetry)
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	s := New(&scriptPoster{clk: realClock{}}, Options{})
	o := s.opts
	if o.Rate != 1 || o.Burst != 1 || o.MaxTries != 5 || o.BaseBackoff != 500*time.Millisecond || o.MaxBackoff != 30*time.Second || o.Clock == nil || o.Rand == nil {
		t.Errorf("defaults = %+v, want Rate 1, Burst 1, MaxTries 5, backoff 500ms..30s, a clock and a rand", o)
	}
	if got := s.limit.interval; got != time.Second {
		t.Errorf("limiter interval = %v, want 1s", got)
	}
}

// okPoster succeeds at once and records nothing, so the benchmark measures
// the sender alone.
type okPoster struct{}

func (okPoster) PostMessageContext(context.Context, string, ...slack.MsgOption) (string, string, error) {
	return "D1", "1700000000.000100", nil
}

func BenchmarkPostNoLimit(b *testing.B) {
	s := New(okPoster{}, Options{Rate: math.Inf(1)})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := s.Post(ctx, "U1"); err != nil {
			b.Fatal(err)
		}
	}
}
