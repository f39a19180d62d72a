package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/partnerbot/partnerbot/internal/chart"
	"github.com/partnerbot/partnerbot/internal/checkin"
	"github.com/partnerbot/partnerbot/internal/logsafe"
	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/schedule"
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
	zones  *schedule.Zones
	log    *slog.Logger

	contents CheckinContents // optional: what each check-in reviews
}

// NewDelivery returns a Delivery posting through post.
func NewDelivery(api SlackAPI, post Poster, clock Clock, log *slog.Logger) *Delivery {
	return &Delivery{api: api, post: post, people: newPeople(api, clock), zones: schedule.NewZones(), log: log}
}

// WithContents makes each check-in DM show what it reviews (goals in Now,
// wins, the charter's review); it returns d.
func (d *Delivery) WithContents(c CheckinContents) *Delivery {
	d.contents = c
	return d
}

// CheckinContents tells what a member's check-in reviews (the partnership
// use cases).
type CheckinContents interface {
	CheckinContent(ctx context.Context, p partnership.Pair, user string) (partnership.CheckinContent, error)
}

// Prompt sends a member their check-in DM, its time in their own zone,
// with what it reviews (without it, when that cannot be read: the DM is
// what matters).
func (d *Delivery) Prompt(ctx context.Context, pr checkin.Prompt) error {
	var content partnership.CheckinContent
	if d.contents != nil {
		var err error
		if content, err = d.contents.CheckinContent(ctx, pr.Pair, pr.User); err != nil {
			d.log.Warn("check-in content", slog.String("pair", string(pr.Pair.ID)), slog.Any("error", err))
		}
	}
	text, blocks := slackui.CheckinMessage(slackui.Checkin{Pair: pr.Pair, To: pr.User, Kind: slackui.CheckinKind(pr.Kind),
		Round: pr.Round, At: pr.At, Zone: d.TimeZone(ctx, pr.User), Reflection: pr.Reflection, Assess: pr.Assess, Content: content})
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

// Summary sends the pair's summary to its group DM, then its picture.
func (d *Delivery) Summary(ctx context.Context, s partnership.Summary) error {
	ch, _, _, err := d.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{s.Pair.Assistant, s.Pair.Executive}})
	if err != nil {
		return err
	}
	text, blocks := slackui.SummaryMessage(s)
	if _, _, err = d.post.Post(ctx, ch.ID, slack.MsgOptionText(text, false), slack.MsgOptionBlocks(blocks...)); err != nil {
		return undeliverable(ctx, err)
	}
	d.picture(ctx, ch.ID, s)
	return nil
}

// picture uploads the chart of summary s to channel (the pair's group DM,
// where the summary went just before), with files upload v2. The summary
// comes first and stands on its own: a picture that cannot be drawn or
// uploaded (a Slack error, files:write missing) is logged, without its
// content, and the summary stays as it is: the summary was claimed once,
// so no retry sends it, or its picture, twice.
func (d *Delivery) picture(ctx context.Context, channel string, s partnership.Summary) {
	pic, ok := slackui.SummaryPicture(s, d.location(ctx, s.Pair))
	if !ok {
		return
	}
	img, err := chart.PNG(pic.Trend)
	if err != nil {
		d.log.Error("draw summary picture", slog.String("pair", string(s.Pair.ID)), slog.Any("error", err))
		return
	}
	_, err = d.api.UploadFileContext(ctx, slack.UploadFileParameters{
		Reader: bytes.NewReader(img), FileSize: len(img), Filename: pic.Filename, Title: pic.Title,
		Channel: channel, InitialComment: pic.Text, AltTxt: pic.Text,
	})
	if err != nil {
		// A failed upload's error may quote its upload URL, which takes a
		// file for the pair's group DM.
		d.log.Warn("upload summary picture; the summary went out without it",
			slog.String("pair", string(s.Pair.ID)), slog.Any("error", logsafe.WithoutURL(err)))
	}
}

// location is where the weeks of a pair's chart start: the assistant's
// time zone, or the executive's when Slack does not tell the assistant's.
// One zone for both, since both see the one picture; the assistant's,
// because an assistant keeps the executive's calendar in their own.
func (d *Delivery) location(ctx context.Context, p partnership.Pair) *time.Location {
	for _, u := range []string{p.Assistant, p.Executive} {
		if loc, ok := d.zones.Get(d.TimeZone(ctx, u)); ok {
			return loc
		}
	}
	return time.UTC
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
