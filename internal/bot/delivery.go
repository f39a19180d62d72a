package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/partnerbot/partnerbot/internal/checkin"
	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/sender"
	"github.com/partnerbot/partnerbot/internal/slackui"
	"github.com/slack-go/slack"
)

// Poster sends one message, waiting out Slack's rate limits (internal/sender).
type Poster interface {
	Post(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error)
}

// Delivery sends what the check-ins decide, and tells them members' time
// zones. It implements checkin.Notifier and checkin.TimeZones.
type Delivery struct {
	api    SlackAPI
	post   Poster
	people *people
	log    *slog.Logger
}

// NewDelivery returns a Delivery posting through post.
func NewDelivery(api SlackAPI, post Poster, clock Clock, log *slog.Logger) *Delivery {
	return &Delivery{api: api, post: post, people: newPeople(api, clock), log: log}
}

// Prompt sends a member their check-in DM, its time in their own zone.
func (d *Delivery) Prompt(ctx context.Context, pr checkin.Prompt) error {
	text, blocks := slackui.CheckinMessage(slackui.Checkin{Pair: pr.Pair, To: pr.User, Kind: slackui.CheckinKind(pr.Kind),
		Round: pr.Round, At: pr.At, Zone: d.TimeZone(ctx, pr.User), Reflection: pr.Reflection})
	_, _, err := d.post.Post(ctx, pr.User, slack.MsgOptionText(text, false), slack.MsgOptionBlocks(blocks...))
	return undeliverable(ctx, err)
}

// undeliverable marks errors no retry can fix (user_disabled,
// channel_not_found, not_in_channel…) for the check-ins to give up on.
func undeliverable(ctx context.Context, err error) error {
	if err == nil || ctx.Err() != nil {
		return err
	}
	if _, retry := sender.Retryable(err); !retry && !errors.Is(err, sender.ErrGaveUp) {
		return fmt.Errorf("%w: %w", checkin.ErrUndeliverable, err)
	}
	return err
}

// Summary sends the pair's summary to its group DM.
func (d *Delivery) Summary(ctx context.Context, s partnership.Summary) error {
	ch, _, _, err := d.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{s.Pair.Assistant, s.Pair.Executive}})
	if err != nil {
		return err
	}
	text, blocks := slackui.SummaryMessage(s)
	_, _, err = d.post.Post(ctx, ch.ID, slack.MsgOptionText(text, false), slack.MsgOptionBlocks(blocks...))
	return undeliverable(ctx, err)
}

// TimeZone is the user's Slack time zone ("" when Slack does not say).
func (d *Delivery) TimeZone(ctx context.Context, user string) string {
	u, err := d.people.get(ctx, user)
	if err != nil {
		d.log.Warn("time zone of user", slog.String("user", user), slog.Any("error", err))
		return ""
	}
	return u.TZ
}
