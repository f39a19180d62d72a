package sandbox

import (
	"sync"
	"time"
)

// Clock is the sandbox's time: the real time plus an offset that only
// grows, so that a week of check-ins can be seen in a minute. The bot reads
// it through app.Options.Clock; nothing else in the bot changes.
type Clock struct {
	wall func() time.Time

	mu    sync.Mutex
	steps []step // offsets in force from a real time on, oldest first
}

type step struct {
	from   time.Time // real time
	offset time.Duration
}

// NewClock is a Clock at the real time given by wall (time.Now if nil).
func NewClock(wall func() time.Time) *Clock {
	if wall == nil {
		wall = time.Now
	}
	return &Clock{wall: wall}
}

// Now is the sandbox time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.wall().Add(c.offsetLocked())
}

// Offset is how far ahead of the real time the sandbox runs.
func (c *Clock) Offset() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.offsetLocked()
}

func (c *Clock) offsetLocked() time.Duration {
	if len(c.steps) == 0 {
		return 0
	}
	return c.steps[len(c.steps)-1].offset
}

// Advance moves the sandbox time forward by d (never back: the scheduler
// and the stored history assume time does not run backwards).
func (c *Clock) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.steps = append(c.steps, step{from: c.wall(), offset: c.offsetLocked() + d})
}

// At is the sandbox time it was at the real time t: messages carry real
// timestamps (the fake Slack stamps them), the page shows sandbox times.
func (c *Clock) At(t time.Time) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	var off time.Duration
	for _, s := range c.steps {
		if t.Before(s.from) {
			break
		}
		off = s.offset
	}
	return t.Add(off)
}
