package sender_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/partnerbot/partnerbot/internal/sender"
	"github.com/partnerbot/partnerbot/internal/slackfake"
)

// TestPostAgainstFakeSlack runs the real slack-go client and the wall clock
// against the fake Slack, so the errors are the ones slack-go really returns.
func TestPostAgainstFakeSlack(t *testing.T) {
	const user = "U0SENDER"
	tests := []struct {
		name string
		// fail arms the fake: n calls answered with status and slackError.
		n          int
		status     int
		slackError string
		retryAfter time.Duration

		wantCalls   int
		wantDMs     int
		wantErr     bool
		wantElapsed time.Duration // at least
	}{
		{name: "429 with Retry-After twice", n: 2, status: http.StatusTooManyRequests, retryAfter: time.Second, wantCalls: 3, wantDMs: 1, wantElapsed: 2 * time.Second},
		{name: "429 without Retry-After", n: 2, status: http.StatusTooManyRequests, wantCalls: 3, wantDMs: 1, wantElapsed: 30 * time.Millisecond},
		{name: "ratelimited in the body", n: 1, status: http.StatusOK, slackError: "ratelimited", wantCalls: 2, wantDMs: 1, wantElapsed: 10 * time.Millisecond},
		{name: "500 twice", n: 2, status: http.StatusInternalServerError, wantCalls: 3, wantDMs: 1},
		{name: "503 twice", n: 2, status: http.StatusServiceUnavailable, wantCalls: 3, wantDMs: 1},
		{name: "messages_tab_disabled", n: 1, status: http.StatusOK, slackError: "messages_tab_disabled", wantCalls: 1, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake, err := slackfake.New(slackfake.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = fake.Close() })
			api := slack.New(fake.BotToken(),
				slack.OptionAPIURL(fake.APIURL()),
				slack.OptionHTTPClient(&http.Client{Timeout: 5 * time.Second}))
			var retries int
			s := sender.New(api, sender.Options{
				Rate:        100,
				BaseBackoff: 10 * time.Millisecond,
				MaxBackoff:  100 * time.Millisecond,
				OnRetry:     func(string, int, time.Duration, error) { retries++ },
			})
			fake.FailNext("chat.postMessage", tt.n, tt.status, tt.slackError, tt.retryAfter)
			start := time.Now()

			ch, ts, err := s.Post(t.Context(), user, slack.MsgOptionText("Time for this week's check-in", false))

			elapsed := time.Since(start)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Post() = %q, %q, nil, want an error", ch, ts)
				}
			} else if err != nil || ch != slackfake.DMChannelID(user) || ts == "" {
				t.Fatalf("Post() = %q, %q, %v, want %q, a ts, nil", ch, ts, err, slackfake.DMChannelID(user))
			}
			if got := len(fake.DMs(user)); got != tt.wantDMs {
				t.Errorf("DMs(%s) = %d messages, want %d", user, got, tt.wantDMs)
			}
			if got := len(fake.Calls("chat.postMessage")); got != tt.wantCalls {
				t.Errorf("chat.postMessage calls = %d, want %d", got, tt.wantCalls)
			}
			if retries != tt.wantCalls-1 {
				t.Errorf("retries = %d, want %d", retries, tt.wantCalls-1)
			}
			if elapsed < tt.wantElapsed {
				t.Errorf("Post() took %v, want ≥ %v", elapsed, tt.wantElapsed)
			}
			if p := fake.Problems(); len(p) > 0 {
				t.Errorf("fake Slack problems: %v", p)
			}
		})
	}
}

// TestPostFakeSlackErrorTypes pins how slack-go v0.35 surfaces each answer,
// which the sender's classification relies on.
func TestPostFakeSlackErrorTypes(t *testing.T) {
	fake, err := slackfake.New(slackfake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fake.Close() })
	api := slack.New(fake.BotToken(), slack.OptionAPIURL(fake.APIURL()))
	post := func() error {
		_, _, err := api.PostMessageContext(t.Context(), "U1", slack.MsgOptionText("hi", false))
		return err
	}

	fake.FailNext("chat.postMessage", 1, http.StatusTooManyRequests, "", 2*time.Second)
	if rl, ok := errors.AsType[*slack.RateLimitedError](post()); !ok || rl.RetryAfter != 2*time.Second {
		t.Errorf("429 with Retry-After: got %#v, want *slack.RateLimitedError{RetryAfter: 2s}", rl)
	}
	fake.FailNext("chat.postMessage", 1, http.StatusTooManyRequests, "", 0)
	if sc, ok := errors.AsType[slack.StatusCodeError](post()); !ok || sc.Code != 429 {
		t.Errorf("429 without Retry-After: got %#v, want slack.StatusCodeError{Code: 429}", sc)
	}
	fake.FailNext("chat.postMessage", 1, http.StatusBadGateway, "", 0)
	if sc, ok := errors.AsType[slack.StatusCodeError](post()); !ok || sc.Code != 502 {
		t.Errorf("502: got %#v, want slack.StatusCodeError{Code: 502}", sc)
	}
	fake.FailNext("chat.postMessage", 1, http.StatusOK, "ratelimited", 0)
	if se, ok := errors.AsType[slack.SlackErrorResponse](post()); !ok || se.Err != "ratelimited" {
		t.Errorf("ok:false ratelimited: got %#v, want slack.SlackErrorResponse{Err: ratelimited}", se)
	}
}

// TestPostConnectionDropped checks that a connection closed before Slack
// answers, as slack-go's HTTP client reports it, is retried.
func TestPostConnectionDropped(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if calls.Add(1) == 1 {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				_ = conn.Close()
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"ok":true,"channel":"D1","ts":"1700000000.000200"}`)
	}))
	t.Cleanup(srv.Close)
	api := slack.New("xoxb-test", slack.OptionAPIURL(srv.URL+"/api/"))
	s := sender.New(api, sender.Options{Rate: 100, BaseBackoff: 10 * time.Millisecond})

	ch, ts, err := s.Post(t.Context(), "U1", slack.MsgOptionText("hi", false))

	if err != nil || ch != "D1" || ts != "1700000000.000200" {
		t.Errorf("Post() = %q, %q, %v, want D1, 1700000000.000200, nil", ch, ts, err)
	}
	if got := calls.Load(); got != 2 {
		t.Errorf("calls = %d, want 2", got)
	}
}
