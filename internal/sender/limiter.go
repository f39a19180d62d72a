package sender

import (
	"context"
	"sync"
	"time"
)

// limiter is a token bucket shared by every caller of one Slack method. It
// hands out start times (GCRA: one theoretical arrival time instead of a
// token count), so callers wait without polling and a fake clock sees exact
// sleeps.
type limiter struct {
	interval  time.Duration // time to earn one token: 1/rate
	tolerance time.Duration // (burst-1)·interval: how far ahead of tat a call may start

	mu          sync.Mutex
	tat         time.Time // theoretical arrival time of the next call at the steady rate
	pausedUntil time.Time // no call starts before this (set by a rate-limit answer)
}

func newLimiter(rate float64, burst int) *limiter {
	interval := time.Duration(float64(time.Second) / rate) // 0 for an infinite rate
	return &limiter{interval: interval, tolerance: time.Duration(burst-1) * interval}
}

// reserve takes the next free slot and returns how long the caller must
// wait for it. The slot is taken even if the caller then gives up: a
// cancelled wait wastes one slot rather than risk two calls in one.
func (l *limiter) reserve(now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	tat := l.tat
	if tat.Before(now) {
		tat = now
	}
	start := tat.Add(-l.tolerance)
	if start.Before(now) {
		start = now
	}
	l.tat = tat.Add(l.interval)
	return start.Sub(now)
}

// pause stops every caller until until, and empties the bucket so that
// calls resume one interval apart rather than in a burst: a rate-limit
// answer means the workspace's limit was hit, not only this caller's.
func (l *limiter) pause(until time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if until.After(l.pausedUntil) {
		l.pausedUntil = until
	}
	if empty := until.Add(l.tolerance); empty.After(l.tat) {
		l.tat = empty
	}
}

func (l *limiter) paused(now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return now.Before(l.pausedUntil)
}

// wait blocks until the caller may start one call. A caller that reserved
// its slot before a pause began and wakes inside the pause takes a new slot.
func (l *limiter) wait(ctx context.Context, clk Clock) error {
	for {
		d := l.reserve(clk.Now())
		if d <= 0 {
			return ctx.Err()
		}
		if err := clk.Sleep(ctx, d); err != nil {
			return err
		}
		if !l.paused(clk.Now()) {
			return nil
		}
	}
}
