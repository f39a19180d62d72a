// Package sender posts Slack messages within Slack's rate limits, waiting
// out 429s and retrying 5xx and network failures so that no message is
// dropped silently.
package sender

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/slack-go/slack"
)

// methodPostMessage is the Slack method a Sender calls, as OnRetry names it.
const methodPostMessage = "chat.postMessage"

// ErrGaveUp is wrapped, together with the last failure, by the error Post
// returns after Options.MaxTries failed tries.
var ErrGaveUp = errors.New("gave up")

// Poster is what a Sender needs from slack-go; *slack.Client satisfies it.
type Poster interface {
	PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error)
}

// Options tunes a Sender. Zero values take the defaults noted.
type Options struct {
	// Rate is the number of chat.postMessage calls per second allowed to
	// all callers of one Sender together. Default 1; math.Inf(1) for none.
	Rate float64
	// Burst is how many calls may start at once after a quiet spell. Default 1.
	Burst int
	// MaxTries bounds the tries of one Post, the first included. Default 5.
	MaxTries int
	// BaseBackoff and MaxBackoff shape the wait after a 5xx or a network
	// failure: exponential with full jitter, uniform in
	// [0, min(MaxBackoff, BaseBackoff·2^n)] before the (n+2)th try.
	// Defaults 500ms and 30s.
	BaseBackoff, MaxBackoff time.Duration
	// Clock defaults to the wall clock.
	Clock Clock
	// Rand returns numbers in [0, 1) for the jitter; it must be safe for
	// concurrent use. Default math/rand/v2's Float64.
	Rand func() float64
	// OnRetry, if set, is called before each wait for a retry with the
	// Slack method, the number of the try that failed (from 1), the wait
	// and the failure. It is meant for metrics and logs.
	OnRetry func(method string, attempt int, wait time.Duration, cause error)
}

func (o Options) withDefaults() Options {
	if !(o.Rate > 0) {
		o.Rate = 1
	}
	if o.Burst < 1 {
		o.Burst = 1
	}
	if o.MaxTries < 1 {
		o.MaxTries = 5
	}
	if o.BaseBackoff <= 0 {
		o.BaseBackoff = 500 * time.Millisecond
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 30 * time.Second
	}
	if o.MaxBackoff < o.BaseBackoff {
		o.MaxBackoff = o.BaseBackoff
	}
	if o.Clock == nil {
		o.Clock = realClock{}
	}
	if o.Rand == nil {
		o.Rand = rand.Float64
	}
	return o
}

// Sender posts messages through one shared limiter. It is safe for
// concurrent use; share one Sender between everything that posts with the
// same bot token.
type Sender struct {
	poster Poster
	opts   Options
	limit  *limiter
}

// New returns a Sender that posts through p.
func New(p Poster, o Options) *Sender {
	o = o.withDefaults()
	return &Sender{poster: p, opts: o, limit: newLimiter(o.Rate, o.Burst)}
}

// Post sends one message with chat.postMessage (a user ID as channelID
// sends a DM) and returns the channel and ts Slack answered with.
//
// Each try first waits its turn in the shared limiter. A rate-limit answer
// pauses every caller for Slack's Retry-After (or, without one, the
// un-jittered backoff) before the retry; a 5xx, a network failure or the
// HTTP client's timeout is retried after a jittered backoff. After
// Options.MaxTries tries the error wraps ErrGaveUp and the last failure; any
// other failure returns at once. When ctx is done Post stops waiting and
// returns an error wrapping ctx.Err(). Errors name the channel, never the
// message.
func (s *Sender) Post(ctx context.Context, channelID string, options ...slack.MsgOption) (channel, ts string, err error) {
	clk := s.opts.Clock
	for attempt := 1; ; attempt++ {
		if err := s.limit.wait(ctx, clk); err != nil {
			return "", "", fmt.Errorf("sender: post to %s: %w", channelID, err)
		}
		gotChannel, gotTS, err := s.poster.PostMessageContext(ctx, channelID, options...)
		if err == nil {
			return gotChannel, gotTS, nil
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return "", "", fmt.Errorf("sender: post to %s: %w", channelID, ctxErr)
		}
		c, wait := classify(err)
		switch c {
		case permanent:
			return "", "", fmt.Errorf("sender: post to %s: %w", channelID, err)
		case rateLimited:
			// Jitter is pointless here: the limiter lines callers up
			// after the pause anyway.
			if wait <= 0 {
				wait = s.backoffCap(attempt)
			}
			s.limit.pause(clk.Now().Add(wait))
		case transient:
			wait = time.Duration(s.opts.Rand() * float64(s.backoffCap(attempt)))
		}
		if attempt >= s.opts.MaxTries {
			return "", "", fmt.Errorf("sender: post to %s: %w after %d tries: %w", channelID, ErrGaveUp, attempt, err)
		}
		if s.opts.OnRetry != nil {
			s.opts.OnRetry(methodPostMessage, attempt, wait, err)
		}
		if err := clk.Sleep(ctx, wait); err != nil {
			return "", "", fmt.Errorf("sender: post to %s: %w", channelID, err)
		}
	}
}

// backoffCap is min(MaxBackoff, BaseBackoff·2^(attempt-1)), the most the
// wait after the attempt-th try may be.
func (s *Sender) backoffCap(attempt int) time.Duration {
	d := s.opts.BaseBackoff
	for i := 1; i < attempt && d < s.opts.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, s.opts.MaxBackoff)
}
