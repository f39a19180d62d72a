package sender

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/slack-go/slack"
)

// class is what a failed call tells the sender to do next.
type class int

const (
	permanent   class = iota // the same call would fail again: return it
	rateLimited              // the workspace hit Slack's limit: pause every caller, then retry
	transient                // Slack or the network failed this call: back off, then retry
)

// classify sorts an error from slack-go. wait is Slack's Retry-After when it
// sent one, else 0.
func classify(err error) (class, time.Duration) {
	if rl, ok := errors.AsType[*slack.RateLimitedError](err); ok {
		// slack-go returns this for a 429 with a Retry-After header.
		return rateLimited, rl.RetryAfter
	}
	if sc, ok := errors.AsType[slack.StatusCodeError](err); ok {
		// Any other non-200 answer; slack-go does not read its body.
		switch {
		case sc.Code == http.StatusTooManyRequests:
			return rateLimited, 0
		case sc.Code >= http.StatusInternalServerError:
			return transient, 0
		}
		return permanent, 0
	}
	if se, ok := errors.AsType[slack.SlackErrorResponse](err); ok {
		// An ok:false answer with HTTP 200.
		switch se.Err {
		case "rate_limited", "ratelimited":
			return rateLimited, 0
		case "service_unavailable", "internal_error":
			// Slack documents both as transient on its side.
			return transient, 0
		}
		return permanent, 0
	}
	if errors.Is(err, context.Canceled) {
		return permanent, 0
	}
	if isTransport(err) {
		return transient, 0
	}
	return permanent, 0
}

// isTransport reports a failure of the connection or of the HTTP client's
// own timeout. The caller's context is checked before this, so a deadline
// seen here belongs to the HTTP client.
func isTransport(err error) bool {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	// *url.Error is a net.Error whatever it wraps (an unsupported scheme
	// too), so judge what it wraps.
	if ue, ok := errors.AsType[*url.Error](err); ok {
		err = ue.Err
	}
	_, ok := errors.AsType[net.Error](err)
	return ok
}

// Retryable reports whether a failed post may succeed if sent again, and
// Slack's Retry-After when it sent one (0 otherwise: choose a backoff). Rate
// limits, 5xx and transport failures are retryable; errors that name a
// problem with the request (channel_not_found, not_in_channel,
// invalid_blocks, invalid_auth, ...) and context.Canceled are not. A
// context.DeadlineExceeded counts as retryable, since Retryable cannot tell
// an HTTP client timeout from the caller's own deadline. An error returned
// by Post after ErrGaveUp classifies by the last failure it wraps.
func Retryable(err error) (wait time.Duration, retry bool) {
	if err == nil {
		return 0, false
	}
	c, wait := classify(err)
	return wait, c != permanent
}
