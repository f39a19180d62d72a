package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/partnerbot/partnerbot/internal/bot"
	"github.com/partnerbot/partnerbot/internal/checkin"
	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/sender"
	"github.com/partnerbot/partnerbot/internal/slackfake"
	"github.com/partnerbot/partnerbot/internal/store"
	"github.com/redis/go-redis/v9"
	"github.com/slack-go/slack"
)

type dueClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *dueClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *dueClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// sendingPath is the production path of check-ins to the fake: the
// service on a store over miniredis, bot.Delivery, a sender with opts, and
// slack-go. It returns the store, the service and its lease.
func sendingPath(t *testing.T, fake *slackfake.Server, clk checkin.Clock, opts sender.Options) (*store.Store, *checkin.Service, time.Duration) {
	t.Helper()
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { rdb.Close() })
	st := store.New(rdb, "pb")
	api := slack.New(fake.BotToken(), slack.OptionAPIURL(fake.APIURL()), slack.OptionHTTPClient(&http.Client{Timeout: 5 * time.Second}))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	delivery := bot.NewDelivery(api, sender.New(api, opts), clk, log)
	const lease = 2 * time.Minute
	return st, checkin.New(st, delivery, delivery, clk, log, nil, checkin.Config{ReminderDelay: -1, Lease: lease}), lease
}

// Slack answers 503 to the next 15 chat.postMessage calls, then 429 with
// Retry-After: 1 to the next 4, while 20 check-ins are due. The production
// sending path (check-in service → bot.Delivery → sender with the bulk
// budget, SLACK_POST_RATE 10 here → slack-go) gets every check-in through
// exactly once, never faster than the limiter allows, and pauses every
// caller after each 429 for Retry-After.
func TestSlackErrorsDropNothingAndCauseNoStorm(t *testing.T) {
	fake := newFake(t)
	const rate, burst = 10, 10 // as app.New builds the bulk sender: Burst = SLACK_POST_RATE
	monday := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	clk := &dueClock{t: monday.Add(-time.Hour)}
	st, svc, lease := sendingPath(t, fake, clk, sender.Options{Rate: rate, Burst: burst})

	ctx := context.Background()
	var users []string
	for i := range 10 {
		a, e := fmt.Sprintf("UA%02d", i), fmt.Sprintf("UE%02d", i)
		fake.AddUser(slackfake.User{ID: a, Name: a})
		fake.AddUser(slackfake.User{ID: e, Name: e})
		p := partnership.Pair{ID: partnership.NewPairID(a, e), Assistant: a, Executive: e, CreatedAt: clk.Now()}
		if err := st.CreatePair(ctx, p); err != nil {
			t.Fatal(err)
		}
		if err := svc.Start(ctx, p); err != nil {
			t.Fatal(err)
		}
		users = append(users, a, e)
	}
	clk.Add(time.Hour) // all due now

	fake.FailNext("chat.postMessage", 15, http.StatusServiceUnavailable, "", 0)
	fake.FailNext("chat.postMessage", 4, http.StatusTooManyRequests, "", time.Second)
	began := time.Now()
	delivered := func() bool {
		for _, u := range users {
			if len(checkins(fake, u)) == 0 {
				return false
			}
		}
		return true
	}
	// Poll as Run does; a job whose send gave up is claimed again once its
	// lease has run out (the clock jumps over the lease).
	ticks := 0
	for ; ticks < 50 && !delivered(); ticks++ {
		n, err := svc.Tick(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			clk.Add(lease + time.Second)
		}
	}
	took := time.Since(began)

	for _, u := range users {
		if got := checkins(fake, u); len(got) != 1 || got[0] != monday.Unix() {
			t.Errorf("%s got check-ins %v, want the one due at %d once", u, got, monday.Unix())
		}
	}
	calls := fake.Calls("chat.postMessage")
	var n503, n429, maxWindow int
	for i, c := range calls {
		switch c.Status {
		case http.StatusServiceUnavailable:
			n503++
		case http.StatusTooManyRequests:
			n429++
			// Every caller waits out Retry-After (calls already on the wire
			// when the 429 came back may land just after it).
			for _, d := range calls[i+1:] {
				if gap := d.At.Sub(c.At); gap > 50*time.Millisecond && gap < 950*time.Millisecond {
					t.Errorf("a call %v after a 429 with Retry-After 1s", gap.Round(time.Millisecond))
				}
			}
		}
		w := 0
		for _, d := range calls[i:] {
			if d.At.Sub(c.At) < time.Second {
				w++
			}
		}
		maxWindow = max(maxWindow, w)
	}
	if maxWindow > rate+burst {
		t.Errorf("%d calls within one second, want at most rate+burst = %d (no retry storm)", maxWindow, rate+burst)
	}
	if n503 != 15 || n429 != 4 {
		t.Errorf("answered 503 %d times and 429 %d times, want 15 and 4", n503, n429)
	}
	if extra := len(calls) - n503 - n429 - len(users); extra != 0 {
		t.Errorf("%d successful calls beyond the %d check-ins", extra, len(users))
	}
	t.Logf("%d check-ins through 15×503 and 4×429: %d calls in %v over %d ticks, at most %d in any second (limit %d)",
		len(users), len(calls), took.Round(time.Millisecond), ticks, maxWindow, rate+burst)
}

// Slack answers 503 to six posts in a row just as a result is saved: the
// result DM must still arrive (it is the user's copy of their result).
func TestResultDMSurvivesASlackOutage(t *testing.T) {
	h := start(t)
	v := h.openAssessment(assistant)
	h.fake.FailNext("chat.postMessage", 6, http.StatusServiceUnavailable, "", 0)
	if ack := h.submit(assistant, v.ID, "YYYYYYYYYY"); ack["response_action"] != "update" {
		t.Fatalf("ack = %v", ack)
	}
	failed := func() int {
		n := 0
		for _, c := range h.fake.Calls("chat.postMessage") {
			if c.Status == http.StatusServiceUnavailable {
				n++
			}
		}
		return n
	}
	// The sender tries 5 times (about 4 s of backoff on average); then
	// either it tries on and the DM arrives, or the bot gives up (logs it).
	wctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := h.fake.WaitFor(wctx, func() bool {
		return resultDMs(h.fake, assistant) == 1 || strings.Contains(h.logs.String(), `"msg":"post message"`)
	}); err != nil {
		t.Fatalf("%d failed posts, no DM and no give-up: %v", failed(), err)
	}
	if resultDMs(h.fake, assistant) != 1 {
		t.Errorf("the result DM was dropped after %d failed posts; it should keep trying within the after-ack deadline", failed())
	}
}
