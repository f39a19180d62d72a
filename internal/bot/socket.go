package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/partnerbot/partnerbot/internal/logsafe"
	"github.com/partnerbot/partnerbot/internal/slackui"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// Socket is the Socket Mode connection: slack-go's *socketmode.Client.
type Socket interface {
	RunContext(ctx context.Context) error
	AckCtx(ctx context.Context, envelopeID string, payload any) error
}

// maxCommandText bounds the slash command text we parse; Slack's own limit
// is about 4,000 characters, anything beyond is not ours.
const maxCommandText = 4000

// ackTimeout bounds the hand-over of an ack to the socket's writer.
const ackTimeout = 500 * time.Millisecond

// Run serves envelopes from the socket until ctx ends, then drains: it stops
// taking new envelopes, lets in-flight ones finish (their acks still go out
// on the open socket) for at most drain, and closes the connection. It
// returns nil after a clean shutdown, or the socket's fatal error (such as
// invalid tokens).
func (b *Bot) Run(ctx context.Context, sock Socket, events <-chan socketmode.Event, drain time.Duration) error {
	sockCtx, closeSocket := context.WithCancel(context.WithoutCancel(ctx))
	defer closeSocket()
	sockDone := make(chan error, 1)
	go func() { sockDone <- sock.RunContext(sockCtx) }()

	// Handlers outlive ctx so in-flight work finishes during the drain.
	work := context.WithoutCancel(ctx)
	var inflight sync.WaitGroup
	draining := false
	var drained <-chan struct{}
	var drainTimer <-chan time.Time
	done := ctx.Done()

	for {
		select {
		case <-done:
			done = nil
			draining = true
			b.log.Info("shutting down: no new envelopes, finishing in-flight ones")
			ch := make(chan struct{})
			go func() { inflight.Wait(); close(ch) }()
			drained = ch
			drainTimer = time.After(drain)
		case <-drained:
			b.log.Info("in-flight envelopes finished; closing the Slack connection")
			return b.closeSocket(closeSocket, sockDone)
		case <-drainTimer:
			b.log.Warn("drain timed out; closing the Slack connection with envelopes still in flight")
			return b.closeSocket(closeSocket, sockDone)
		case err := <-sockDone:
			b.connected.Store(false)
			if draining {
				return nil
			}
			if err == nil || errors.Is(err, context.Canceled) {
				return errors.New("bot: socket mode connection ended")
			}
			return fmt.Errorf("bot: socket mode: %w", err)
		case evt := <-events:
			if env := b.observe(work, sock, evt); env != nil {
				if draining {
					// Not acked: Slack delivers it again, to another connection.
					b.log.Info("envelope refused while shutting down", slog.String("type", string(evt.Type)))
					b.opts.Observer.Envelope(env.Type, OutcomeRefused, 0)
					continue
				}
				inflight.Add(1)
				arrived := time.Now()
				go func() {
					defer inflight.Done()
					b.serve(work, sock, evt, arrived)
				}()
			}
		}
	}
}

func (b *Bot) closeSocket(closeSocket context.CancelFunc, sockDone <-chan error) error {
	closeSocket()
	b.connected.Store(false)
	select {
	case <-sockDone:
	case <-time.After(time.Second):
	}
	return nil
}

// observe handles connection life-cycle events and returns the request of
// an envelope that needs a handler (nil otherwise).
func (b *Bot) observe(ctx context.Context, sock Socket, evt socketmode.Event) *socketmode.Request {
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		// Also the first sign of a reconnect: slack-go does not report
		// Slack's "disconnect" request as an event.
		b.connected.Store(false)
		b.log.Debug("connecting to Slack")
	case socketmode.EventTypeConnected, socketmode.EventTypeHello:
		if !b.connected.Swap(true) {
			b.log.Info("connected to Slack (Socket Mode)")
		}
	case socketmode.EventTypeConnectionError:
		b.connected.Store(false)
		if ce, ok := evt.Data.(*slack.ConnectionErrorEvent); ok {
			b.log.Warn("Slack connection failed; retrying", slog.Int("attempt", ce.Attempt), slog.Duration("backoff", ce.Backoff), slog.Any("error", ce.ErrorObj))
		}
	case socketmode.EventTypeDisconnect:
		b.connected.Store(false)
		b.log.Info("Slack asked to reconnect")
	case socketmode.EventTypeInvalidAuth:
		b.connected.Store(false)
		b.log.Error("Slack refused the tokens (invalid_auth): check SLACK_APP_TOKEN and SLACK_BOT_TOKEN")
	case socketmode.EventTypeIncomingError:
		// The read error of a frame may quote the frame.
		var cause error
		if ie, ok := evt.Data.(*slack.IncomingEventError); ok {
			cause = ie.ErrorObj
		}
		b.log.Warn("socket read failed", slog.String("type", string(evt.Type)), slog.String("cause", logsafe.Cause(cause)))
	case socketmode.EventTypeErrorWriteFailed:
		// slack-go hands back the whole response, reply and all: its
		// envelope id is what may be logged.
		attrs := []any{slog.String("type", string(evt.Type))}
		if wf, ok := evt.Data.(*socketmode.ErrorWriteFailed); ok {
			if wf.Response != nil {
				attrs = append(attrs, slog.String("envelope_id", truncate(wf.Response.EnvelopeID, 100)))
			}
			attrs = append(attrs, slog.String("cause", logsafe.Cause(wf.Cause)))
		}
		b.log.Warn("socket write failed", attrs...)
	case socketmode.EventTypeErrorBadMessage:
		b.dropBadMessage(ctx, sock, evt)
	case socketmode.EventTypeSlashCommand, socketmode.EventTypeInteractive, socketmode.EventTypeEventsAPI:
		if evt.Request == nil {
			b.log.Warn("envelope without request dropped", slog.String("type", string(evt.Type)))
			return nil
		}
		return evt.Request
	default:
		b.log.Debug("socket event ignored", slog.String("type", string(evt.Type)))
	}
	return nil
}

// dropBadMessage logs an envelope slack-go could not parse, without its
// content (it may hold answers), and acks it when it has an envelope id so
// that Slack does not deliver it again.
func (b *Bot) dropBadMessage(ctx context.Context, sock Socket, evt socketmode.Event) {
	bad, ok := evt.Data.(*socketmode.ErrorBadMessage)
	if !ok {
		b.log.Warn("malformed frame dropped")
		return
	}
	var head struct {
		Type       string `json:"type"`
		EnvelopeID string `json:"envelope_id"`
	}
	_ = json.Unmarshal(bad.Message, &head)
	b.opts.Observer.Envelope("unknown", OutcomeMalformed, 0)
	// The frame is whatever came: its type is logged only when it is one
	// of Slack's, and its parse error (which quotes an unknown type, and
	// may quote the JSON) only by its kind.
	typ, cause := head.Type, logsafe.Cause(bad.Cause)
	if !slackFrameType(typ) {
		typ, cause = "unknown", "unsupported envelope type"
	}
	b.log.Warn("malformed envelope dropped", slog.String("type", typ), slog.Int("bytes", len(bad.Message)), slog.String("cause", cause))
	if head.EnvelopeID == "" || len(head.EnvelopeID) > 100 {
		return
	}
	actx, cancel := context.WithTimeout(ctx, ackTimeout)
	defer cancel()
	if err := sock.AckCtx(actx, head.EnvelopeID, nil); err != nil {
		b.log.Warn("ack malformed envelope", slog.Any("error", err))
	}
}

// slackFrameType reports whether t is a type of frame Slack sends over
// Socket Mode.
func slackFrameType(t string) bool {
	switch t {
	case socketmode.RequestTypeHello, socketmode.RequestTypeDisconnect, socketmode.RequestTypeEventsAPI,
		socketmode.RequestTypeSlashCommands, socketmode.RequestTypeInteractive:
		return true
	}
	return false
}

// serve handles one envelope: decide within the ack budget, ack exactly
// once, then do the slow work. No panic escapes.
func (b *Bot) serve(ctx context.Context, sock Socket, evt socketmode.Event, arrived time.Time) {
	req := evt.Request
	acked := false
	outcome := OutcomeOK
	ack := func(payload any) {
		acked = true
		defer func() { b.opts.Observer.Envelope(req.Type, outcome, time.Since(arrived)) }()
		actx, cancel := context.WithTimeout(ctx, ackTimeout)
		defer cancel()
		if err := sock.AckCtx(actx, req.EnvelopeID, payload); err != nil {
			b.log.Error("ack", slog.String("type", req.Type), slog.Any("error", err))
			if payload != nil {
				// Too large or unsendable: an empty ack at least stops Slack's retries.
				_ = sock.AckCtx(actx, req.EnvelopeID, nil)
			}
		}
	}
	defer func() {
		if p := recover(); p != nil {
			b.log.Error("panic handling envelope", slog.String("type", req.Type), slog.String("panic", logsafe.Panic(p)), slog.String("stack", string(debug.Stack())))
			if !acked {
				outcome = OutcomePanic
				ack(nil)
			}
		}
	}()

	hctx, cancel := context.WithTimeout(ctx, b.opts.AckBudget)
	defer cancel()
	if b.duplicate(hctx, evt) {
		outcome = OutcomeDuplicate
		ack(nil)
		return
	}
	resp, err := b.route(hctx, evt)
	cancel()
	if err != nil {
		outcome = OutcomeDropped
		b.log.Warn("envelope dropped", slog.String("type", req.Type), slog.Any("error", err))
	}
	ack(resp.ack)
	if resp.after != nil {
		actx, cancel := context.WithTimeout(ctx, b.opts.AfterAckTimeout)
		defer cancel()
		resp.after(actx)
	}
}

// duplicate reports an envelope handled before, here or on another
// replica: Slack redelivers events it saw no ack for, and a reconnect can
// deliver an interaction twice. The id is stable across deliveries: the
// event_id of an event, the trigger_id of a command or interaction. When
// Redis does not answer, the envelope is handled (at most a duplicate).
func (b *Bot) duplicate(ctx context.Context, evt socketmode.Event) bool {
	if b.opts.Seen == nil {
		return false
	}
	var id string
	switch d := evt.Data.(type) {
	case slackevents.EventsAPIEvent:
		if cb, ok := d.Data.(*slackevents.EventsAPICallbackEvent); ok && cb.EventID != "" {
			id = "ev:" + cb.EventID
		}
	case slack.SlashCommand:
		if d.TriggerID != "" {
			id = "sc:" + d.TriggerID
		}
	case slack.InteractionCallback:
		if d.TriggerID != "" {
			id = "ia:" + d.TriggerID
		}
	}
	if id == "" || len(id) > 200 {
		return false
	}
	first, err := b.opts.Seen.FirstSeen(ctx, id, b.opts.SeenTTL)
	if err != nil {
		b.log.Warn("envelope de-duplication unavailable", slog.Any("error", err))
		return false
	}
	if !first {
		b.log.Info("duplicate envelope ignored", slog.String("type", evt.Request.Type))
	}
	return !first
}

// route picks the handler for an envelope. An error means the envelope is
// not ours or not well formed: it is acked empty and dropped.
func (b *Bot) route(ctx context.Context, evt socketmode.Event) (response, error) {
	switch evt.Type {
	case socketmode.EventTypeSlashCommand:
		cmd, ok := evt.Data.(slack.SlashCommand)
		if !ok {
			return response{}, errors.New("slash command of the wrong shape")
		}
		return b.onCommand(ctx, cmd)
	case socketmode.EventTypeInteractive:
		cb, ok := evt.Data.(slack.InteractionCallback)
		if !ok {
			return response{}, errors.New("interaction of the wrong shape")
		}
		return b.onInteraction(ctx, cb)
	case socketmode.EventTypeEventsAPI:
		ev, ok := evt.Data.(slackevents.EventsAPIEvent)
		if !ok {
			return response{}, errors.New("event of the wrong shape")
		}
		h, ok := b.events[ev.InnerEvent.Type]
		if !ok {
			b.log.Debug("event ignored", slog.String("type", ev.InnerEvent.Type))
			return response{}, nil
		}
		return h(ctx, ev.InnerEvent.Data)
	}
	return response{}, fmt.Errorf("unexpected envelope type %q", evt.Type)
}

func (b *Bot) onCommand(ctx context.Context, cmd slack.SlashCommand) (response, error) {
	if cmd.UserID == "" {
		return response{}, errors.New("slash command without a user")
	}
	if len(cmd.Text) > maxCommandText {
		if sub, _ := parseCommand(cmd.Text[:20]); sub == "win" {
			return response{ack: winTooLong(cmd.Text)}, nil
		}
		return response{ack: slackui.HelpReply("That command is too long.", b.clock.Now())}, nil
	}
	sub, args := parseCommand(cmd.Text)
	h, ok := b.commands[sub]
	if !ok {
		return response{ack: slackui.HelpReply("I don't know `"+slackui.Escape(truncate(sub, 40))+"`.", b.clock.Now())}, nil
	}
	return h(ctx, cmd, args)
}

func (b *Bot) onInteraction(ctx context.Context, cb slack.InteractionCallback) (response, error) {
	if cb.User.ID == "" {
		return response{}, errors.New("interaction without a user")
	}
	switch cb.Type {
	case slack.InteractionTypeViewSubmission:
		h, ok := b.views[cb.View.CallbackID]
		if !ok {
			return response{}, fmt.Errorf("view submission with unknown callback_id %q", truncate(cb.View.CallbackID, 60))
		}
		return h(ctx, cb)
	case slack.InteractionTypeBlockActions:
		if len(cb.ActionCallback.BlockActions) != 1 {
			return response{}, fmt.Errorf("block_actions with %d actions", len(cb.ActionCallback.BlockActions))
		}
		a := cb.ActionCallback.BlockActions[0]
		h, ok := b.actions[a.ActionID]
		if !ok {
			return response{}, fmt.Errorf("unknown action_id %q", truncate(a.ActionID, 60))
		}
		return h(ctx, cb, a)
	case slack.InteractionTypeViewClosed:
		return response{}, nil
	case slack.InteractionTypeMessageAction:
		h, ok := b.shortcuts[cb.CallbackID]
		if !ok {
			return response{}, fmt.Errorf("message shortcut with unknown callback_id %q", truncate(cb.CallbackID, 60))
		}
		return h(ctx, cb)
	}
	return response{}, fmt.Errorf("interaction of unknown type %q", truncate(string(cb.Type), 40))
}

// parseCommand splits "/partner-assess history" text into a lower-case
// sub-command and its arguments.
func parseCommand(text string) (sub string, args []string) {
	f := strings.Fields(text)
	if len(f) == 0 {
		return "", nil
	}
	return strings.ToLower(f[0]), f[1:]
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
