package sender

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/slack-go/slack"
)

// recordClock is the wall clock plus a record of every sleep. Tests run it
// inside a testing/synctest bubble, where the wall clock is fake: time moves
// on at once when every goroutine is waiting, so nothing really sleeps.
type recordClock struct {
	realClock
	mu     sync.Mutex
	sleeps []time.Duration
}

func (c *recordClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.sleeps = append(c.sleeps, d)
	c.mu.Unlock()
	return c.realClock.Sleep(ctx, d)
}

func (c *recordClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.sleeps)
}

// scriptPoster fails the calls its script says and records when each call
// started.
type scriptPoster struct {
	clk Clock
	// fail returns the error for the call numbered n (from 1); nil means
	// the call succeeds. A nil fail lets every call succeed.
	fail func(n int) error

	mu    sync.Mutex
	calls []time.Time
}

func (p *scriptPoster) PostMessageContext(ctx context.Context, channelID string, _ ...slack.MsgOption) (string, string, error) {
	p.mu.Lock()
	p.calls = append(p.calls, p.clk.Now())
	n := len(p.calls)
	p.mu.Unlock()
	if p.fail != nil {
		if err := p.fail(n); err != nil {
			return "", "", err
		}
	}
	return "D" + channelID, "1700000000.000100", nil
}

func (p *scriptPoster) Calls() []time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.calls)
}

// failFirst fails the first len(errs) calls with errs, in order.
func failFirst(errs ...error) func(int) error {
	return func(n int) error {
		if n <= len(errs) {
			return errs[n-1]
		}
		return nil
	}
}

// failAlways fails every call with err.
func failAlways(err error) func(int) error {
	return func(int) error { return err }
}

// fixedRand returns the values in turn, then the last one forever.
func fixedRand(vs ...float64) func() float64 {
	var mu sync.Mutex
	i := 0
	return func() float64 {
		mu.Lock()
		defer mu.Unlock()
		v := vs[min(i, len(vs)-1)]
		i++
		return v
	}
}
