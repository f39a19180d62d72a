// Package bot connects partnerbot to Slack over Socket Mode: it routes slash
// commands, interactions and events to handlers, acks every envelope within
// Slack's 3 seconds, and runs the slow work (Web API calls) after the ack.
// It is the only package that acks.
package bot

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/slack-go/slack"
)

// SlackAPI is the part of Slack's Web API the bot calls.
type SlackAPI interface {
	OpenViewContext(ctx context.Context, triggerID string, view slack.ModalViewRequest) (*slack.ViewResponse, error)
	PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error)
}

// Results stores assessment results.
type Results interface {
	// SaveResult appends r and returns the result before it (ok false if
	// none). A retried r.ID returns an error that isDuplicate recognises.
	SaveResult(ctx context.Context, r assessment.Result) (prev assessment.Result, ok bool, err error)
	Results(ctx context.Context, userID string, limit int) ([]assessment.Result, error)
}

// Clock tells the time; tests inject a fixed one.
type Clock interface{ Now() time.Time }

// Options configure a Bot.
type Options struct {
	// AckBudget bounds the work before an ack (Redis reads and writes).
	AckBudget time.Duration
	// AfterAckTimeout bounds the Web API work done after an ack.
	AfterAckTimeout time.Duration
	// IsDuplicate recognises the store's "already saved" error.
	IsDuplicate func(error) bool
	// Observer learns how each envelope went (for metrics); may be nil.
	Observer Observer
}

// Observer learns the outcome of every envelope.
type Observer interface {
	// Envelope reports one envelope: its type (slash_commands, interactive,
	// events_api, or "unknown" for a malformed one), its outcome, and the
	// time from its arrival to its ack (0 when it was not acked).
	Envelope(envelopeType string, outcome Outcome, ackLatency time.Duration)
}

// Outcome is how the bot dealt with an envelope.
type Outcome string

// Outcomes of an envelope.
const (
	OutcomeOK        Outcome = "ok"        // handled and acked
	OutcomeDropped   Outcome = "dropped"   // not ours or of the wrong shape: acked empty
	OutcomeMalformed Outcome = "malformed" // unparseable: acked empty when it had an id
	OutcomePanic     Outcome = "panic"     // a handler panicked: acked empty
	OutcomeRefused   Outcome = "refused"   // arrived during shutdown: not acked, Slack redelivers
)

type noObserver struct{}

func (noObserver) Envelope(string, Outcome, time.Duration) {}

// Bot handles Slack envelopes. Build it with New; run it with Run.
type Bot struct {
	api     SlackAPI
	results Results
	clock   Clock
	log     *slog.Logger
	opts    Options

	commands map[string]commandFunc
	views    map[string]viewFunc

	connected atomic.Bool
}

// New returns a Bot. Zero options get defaults.
func New(api SlackAPI, results Results, clock Clock, log *slog.Logger, opts Options) *Bot {
	if opts.AckBudget <= 0 {
		opts.AckBudget = 2 * time.Second
	}
	if opts.AfterAckTimeout <= 0 {
		opts.AfterAckTimeout = 30 * time.Second
	}
	if opts.Observer == nil {
		opts.Observer = noObserver{}
	}
	if opts.IsDuplicate == nil {
		opts.IsDuplicate = func(error) bool { return false }
	}
	b := &Bot{api: api, results: results, clock: clock, log: log, opts: opts}
	b.commands = map[string]commandFunc{
		"":        b.cmdAssess,
		"history": b.cmdHistory,
		"help":    b.cmdHelp,
	}
	b.views = map[string]viewFunc{
		callbackAssess: b.onAssessSubmit,
	}
	return b
}

// Connected reports whether the Socket Mode connection is up.
func (b *Bot) Connected() bool { return b.connected.Load() }

// response is what a handler decides: the ack payload, and the work that
// calls Slack, which runs after the ack.
type response struct {
	ack   any                       // nil acks with no payload
	after func(ctx context.Context) // may be nil
}

type (
	commandFunc func(ctx context.Context, cmd slack.SlashCommand, args []string) (response, error)
	viewFunc    func(ctx context.Context, cb slack.InteractionCallback) (response, error)
)
