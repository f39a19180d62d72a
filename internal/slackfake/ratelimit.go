package slackfake

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

// bucket is one Web API method's rate limit: a token bucket that refills
// at rate tokens a second and holds one second's worth (at least one), so
// that short bursts pass, as on Slack, while the average stays at rate.
type bucket struct {
	rate   float64
	tokens float64
	last   time.Time
}

func newBucket(rate float64, now time.Time) *bucket {
	return &bucket{rate: rate, tokens: capacity(rate), last: now}
}

func capacity(rate float64) float64 { return max(1, rate) }

// take spends one token, or says how long until one is there.
func (b *bucket) take(now time.Time) (ok bool, wait time.Duration) {
	if d := now.Sub(b.last); d > 0 {
		b.tokens = min(capacity(b.rate), b.tokens+d.Seconds()*b.rate)
		b.last = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / b.rate * float64(time.Second))
}

// rateLimitedLocked applies Options.RateLimit to one call of method: nil
// when the call may go on, else the 429 answer. s.mu must be held.
func (s *Server) rateLimitedLocked(method string) *apiResult {
	rate, ok := s.opts.RateLimit[method]
	if !ok || !(rate > 0) {
		return nil
	}
	now := s.opts.Now()
	b := s.buckets[method]
	if b == nil {
		b = newBucket(rate, now)
		s.buckets[method] = b
	}
	allowed, wait := b.take(now)
	if allowed {
		return nil
	}
	s.rateLimited[method]++
	// Slack sends whole seconds; a client that waits less is refused again.
	secs := max(1, int(math.Ceil(wait.Seconds())))
	return &apiResult{
		status: http.StatusTooManyRequests,
		err:    "ratelimited",
		header: http.Header{"Retry-After": {strconv.Itoa(secs)}},
	}
}

// RateLimited returns how many calls to method Options.RateLimit refused.
func (s *Server) RateLimited(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rateLimited[method]
}
