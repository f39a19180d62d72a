// Package bot connects partnerbot to Slack over Socket Mode: it routes slash
// commands, interactions and events to handlers, acks every envelope within
// Slack's 3 seconds, and runs the slow work (Web API calls) after the ack.
// It is the only package that acks.
package bot

import (
	"context"
	"log/slog"
	"maps"
	"slices"
	"sync/atomic"
	"time"

	"github.com/partnerbot/partnerbot/internal/checkin"
	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/slackui"
	"github.com/slack-go/slack"
)

// SlackAPI is the part of Slack's Web API the bot calls (slack-go's *slack.Client).
type SlackAPI interface {
	OpenViewContext(ctx context.Context, triggerID string, view slack.ModalViewRequest) (*slack.ViewResponse, error)
	UpdateViewContext(ctx context.Context, view slack.ModalViewRequest, externalID, hash, viewID string) (*slack.ViewResponse, error)
	PublishViewContext(ctx context.Context, req slack.PublishViewContextRequest) (*slack.ViewResponse, error)
	PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error)
	UpdateMessageContext(ctx context.Context, channelID, timestamp string, options ...slack.MsgOption) (string, string, string, error)
	GetUserInfoContext(ctx context.Context, user string, options ...slack.GetUserInfoOption) (*slack.User, error)
	OpenConversationContext(ctx context.Context, params *slack.OpenConversationParameters) (*slack.Channel, bool, bool, error)
	UploadFileContext(ctx context.Context, params slack.UploadFileParameters) (*slack.FileSummary, error)
}

// Clock tells the time; tests inject a fixed one.
type Clock interface{ Now() time.Time }

// Options configure a Bot.
type Options struct {
	// AckBudget bounds the work before an ack (Redis reads and writes).
	AckBudget time.Duration
	// AfterAckTimeout bounds the Web API work done after an ack.
	AfterAckTimeout time.Duration
	// Observer learns how each envelope went (for metrics); may be nil.
	Observer Observer
	// Seen de-duplicates envelopes across replicas (Slack redelivers); may be nil.
	Seen Seen
	// SeenTTL is how long a handled envelope is remembered (default 1h).
	SeenTTL time.Duration
	// Poster sends the replies to people's actions (default: straight
	// through the Web API client).
	Poster Poster
	// Respond posts an ephemeral reply to a command's response_url; nil
	// falls back to a DM.
	Respond func(ctx context.Context, responseURL, text string) error
	// Views remembers which modals the bot opened for whom, so that an
	// action redraws only a modal its presser opened; nil checks nothing.
	Views Views
}

// Views records the modals the bot opened for each user, by the
// external_id the bot gave them.
type Views interface {
	// OpenedView records that the bot opens the view externalID for user,
	// for ttl.
	OpenedView(ctx context.Context, user, externalID string, ttl time.Duration) error
	// HasView reports whether the bot opened the view externalID for user
	// (and the record has not lapsed).
	HasView(ctx context.Context, user, externalID string) (bool, error)
}

// Seen records handled envelopes; FirstSeen is false for a redelivery.
type Seen interface {
	FirstSeen(ctx context.Context, id string, ttl time.Duration) (bool, error)
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
	OutcomeDuplicate Outcome = "duplicate" // handled before (by this or another replica): acked empty
)

type noObserver struct{}

func (noObserver) Envelope(string, Outcome, time.Duration) {}

// Bot handles Slack envelopes. Build it with New; run it with Run.
type Bot struct {
	api      SlackAPI
	svc      *partnership.Service
	checkins *checkin.Service
	delivery *Delivery
	clock    Clock
	log      *slog.Logger
	opts     Options
	people   *people

	commands  map[string]commandFunc
	views     map[string]viewFunc
	actions   map[string]actionFunc
	events    map[string]eventFunc
	shortcuts map[string]shortcutFunc

	connected atomic.Bool
}

// New returns a Bot. Zero options get defaults.
func New(api SlackAPI, svc *partnership.Service, checkins *checkin.Service, delivery *Delivery, clock Clock, log *slog.Logger, opts Options) *Bot {
	if opts.AckBudget <= 0 {
		opts.AckBudget = 2 * time.Second
	}
	if opts.AfterAckTimeout <= 0 {
		opts.AfterAckTimeout = 30 * time.Second
	}
	if opts.Observer == nil {
		opts.Observer = noObserver{}
	}
	if opts.SeenTTL <= 0 {
		opts.SeenTTL = time.Hour
	}
	if opts.Poster == nil {
		opts.Poster = apiPoster{api}
	}
	if delivery == nil {
		delivery = NewDelivery(api, opts.Poster, clock, log)
	}
	b := &Bot{api: api, svc: svc, checkins: checkins, delivery: delivery, clock: clock, log: log, opts: opts, people: delivery.people}
	b.commands = map[string]commandFunc{
		"":               b.cmdAssess,
		"help":           b.cmdHelp,
		"history":        b.cmdHistory,
		"pair":           b.cmdPair,
		"next-steps":     b.cmdNextSteps,
		"wishes":         b.cmdWishes,
		"summary":        b.cmdSummary,
		"export":         b.cmdExport,
		"delete-my-data": b.cmdDeleteMyData,
		"schedule":       b.cmdSchedule,
		"pause":          b.cmdPause,
		"resume":         b.cmdResume,
		"away":           b.cmdAway,
		"scorecard":      b.cmdScorecard,
		"charter":        b.cmdCharter,
		"roadmap":        b.cmdRoadmap,
		"win":            b.cmdWin,
	}
	b.views = map[string]viewFunc{
		callbackAssess:           b.onAssessSubmit,
		callbackPairSetup:        b.onPairSetup,
		callbackNextSteps:        b.onNextSteps,
		callbackWishDecline:      b.onWishDecline,
		callbackDeleteData:       b.onDeleteData,
		callbackSchedule:         b.onScheduleSubmit,
		slackui.CallbackAway:     b.onAwaySubmit,
		slackui.CallbackProgress: b.onProgressSubmit,
		callbackCharter:          b.onCharterSubmit,

		slackui.CallbackGoal:       b.onGoalSubmit,
		slackui.CallbackGoalStatus: b.onGoalStatusSubmit,
		slackui.CallbackWin:        b.onWinSubmit,
	}
	b.actions = map[string]actionFunc{
		actionPairSelect:              b.onPairSelect,
		actionPairLeave:               b.onPairLeave,
		actionWishAck:                 b.onWishMove,
		actionWishDone:                b.onWishMove,
		actionWishDecline:             b.onWishDeclineButton,
		actionHomeAssess:              b.onHomeAssess,
		actionHomeNextSteps:           b.onHomeNextSteps,
		actionHomePair:                b.onHomePair,
		actionCheckinAssess:           b.onCheckinAssess,
		actionCheckinSteps:            b.onCheckinSteps,
		actionCheckinWishes:           b.onCheckinWishes,
		actionCheckinSkip:             b.onCheckinSkip,
		actionCheckinSnooze:           b.onCheckinSnooze,
		slackui.ActionCheckinProgress: b.onCheckinProgress,
		slackui.ActionHomeAway:        b.onHomeAway,
		actionScorecardAllow:          b.onScorecardAnswer,
		actionScorecardNotNow:         b.onScorecardAnswer,
		slackui.ActionScorecardStop:   b.onScorecardStop,

		slackui.ActionInviteAccept:  b.onInvitationAnswer,
		slackui.ActionInviteDecline: b.onInvitationAnswer,

		slackui.ActionCharterAccept:     b.onCharterAccept,
		slackui.ActionCharterReview:     b.onCharterReview,
		slackui.ActionCharterOpen:       b.onCharterOpen,
		slackui.ActionCharterStillHolds: b.onCharterStillHolds,
		slackui.ActionGoalAdd:           b.onGoalAdd,
		slackui.ActionGoalUpdate:        b.onGoalUpdate,
		slackui.ActionGoalEdit:          b.onGoalEdit,
		slackui.ActionWinLog:            b.onWinLog,
		slackui.ActionWinTie:            b.onWinTie,
		slackui.ActionMakeGoal:          b.onMakeGoal,
	}
	b.shortcuts = map[string]shortcutFunc{
		slackui.CallbackLogWin: b.onLogWinShortcut,
	}
	b.events = map[string]eventFunc{
		"app_home_opened": b.onHomeOpened,
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
	actionFunc  func(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction) (response, error)
	eventFunc   func(ctx context.Context, event any) (response, error)
)

// Events lists the Events API event types the bot handles: the app
// manifest must subscribe to each.
func (b *Bot) Events() []string { return slices.Sorted(maps.Keys(b.events)) }

// apiPoster posts straight through the Web API client.
type apiPoster struct{ api SlackAPI }

func (a apiPoster) Post(ctx context.Context, channel string, options ...slack.MsgOption) (string, string, error) {
	return a.api.PostMessageContext(ctx, channel, options...)
}
