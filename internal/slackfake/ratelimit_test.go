package slackfake

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

func TestRateLimit(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	fake := newFake(t, Options{Now: clock, RateLimit: map[string]float64{"chat.postMessage": 4}})
	api := newAPI(fake, fake.BotToken(), fake.AppToken())
	ctx := testCtx(t)
	post := func() error {
		_, _, err := api.PostMessageContext(ctx, "U1", slack.MsgOptionText("check-in", false))
		return err
	}

	// A second's worth passes at once; the next call is refused with
	// Retry-After in whole seconds, and changes nothing.
	for i := range 4 {
		if err := post(); err != nil {
			t.Fatalf("post %d within the burst: %v", i+1, err)
		}
	}
	err := post()
	rl, ok := errors.AsType[*slack.RateLimitedError](err)
	if !ok || rl.RetryAfter != time.Second {
		t.Fatalf("post over the limit: %v, want *slack.RateLimitedError with RetryAfter 1s", err)
	}
	if got := len(fake.DMs("U1")); got != 4 {
		t.Errorf("DMs = %d, want 4 (the refused call posts nothing)", got)
	}
	if got := fake.RateLimited("chat.postMessage"); got != 1 {
		t.Errorf("RateLimited = %d, want 1", got)
	}

	// The bucket refills at the rate: one call per 250 ms.
	advance(250 * time.Millisecond)
	if err := post(); err != nil {
		t.Errorf("post after one interval: %v", err)
	}
	if err := post(); err == nil {
		t.Error("second post in the same interval passed, want 429")
	}
	// Other methods are not limited.
	if _, err := api.AuthTestContext(ctx); err != nil {
		t.Errorf("auth.test: %v", err)
	}
	if got, want := len(fake.Calls("chat.postMessage")), 7; got != want {
		t.Errorf("chat.postMessage calls = %d, want %d (refused ones recorded too)", got, want)
	}
}

func TestBucketRetryAfter(t *testing.T) {
	t0 := time.Unix(0, 0)
	b := newBucket(0.5, t0) // one call every 2 s; holds one
	if ok, _ := b.take(t0); !ok {
		t.Fatal("first call refused")
	}
	ok, wait := b.take(t0.Add(500 * time.Millisecond))
	if ok || wait != 1500*time.Millisecond {
		t.Errorf("take = %v, %v, want false, 1.5s", ok, wait)
	}
}
