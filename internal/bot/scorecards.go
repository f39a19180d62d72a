package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/slackui"
	"github.com/slack-go/slack"
)

const (
	actionScorecardAllow  = slackui.ActionScorecardAllow
	actionScorecardNotNow = slackui.ActionScorecardNotNow
)

// cmdScorecard posts the pair's card in the channel the command was typed
// in, once both members agreed.
func (b *Bot) cmdScorecard(ctx context.Context, cmd slack.SlashCommand, _ []string) (response, error) {
	user, channel := cmd.UserID, cmd.ChannelID
	if !strings.HasPrefix(channel, "C") && !strings.HasPrefix(channel, "G") {
		return response{ack: slackui.Ephemeral("Run `" + slackui.Command + " scorecard` in the channel where your scorecard should go.")}, nil
	}
	p, reply, err := b.currentPair(ctx, user)
	if reply != nil || err != nil {
		return response{ack: reply}, err
	}
	ask, err := b.svc.RequestScorecard(ctx, p.ID, user, channel)
	if err != nil {
		msg, known := userMessage(err)
		if !known {
			b.log.Error("scorecard", slog.String("user", user), slog.Any("error", err))
		}
		return response{ack: slackui.Ephemeral(msg)}, nil
	}
	if !ask.Ready {
		return response{
			ack: slackui.Ephemeral("I asked <@" + ask.Partner + "> to agree first; the scorecard is posted here as soon as they allow it."),
			after: func(ctx context.Context) {
				text, blocks := slackui.ScorecardConsentMessage(p, user, channel)
				b.post(ctx, ask.Partner, text, blocks)
			},
		}, nil
	}
	responseURL := cmd.ResponseURL
	return response{after: func(ctx context.Context) {
		if err := b.postScorecard(ctx, ask.Card, channel, user); err != nil {
			b.tell(ctx, user, responseURL, err.Error())
		}
	}}, nil
}

// postScorecard posts a card; the error it returns is worded for the user.
func (b *Bot) postScorecard(ctx context.Context, c partnership.Card, channel, user string) error {
	st, err := b.checkins.Settings(ctx, c.Summary.Pair.ID, user)
	if err != nil {
		b.log.Warn("scorecard streak", slog.Any("error", err))
	}
	text, blocks := slackui.ScorecardMessage(c, st.Streak)
	_, _, err = b.opts.Poster.Post(ctx, channel, slack.MsgOptionText(text, false), slack.MsgOptionBlocks(blocks...))
	if err == nil {
		return nil
	}
	switch slackError(err) {
	case "not_in_channel", "channel_not_found":
		return fmt.Errorf("I am not in <#%s>, so I cannot post your scorecard there. Invite me with `/invite @partnerbot` in that channel, then run `%s scorecard` again", channel, slackui.Command)
	}
	b.log.Error("post scorecard", slog.String("channel", channel), slog.Any("error", err))
	return errors.New("Slack did not take the scorecard just now; please try again")
}

// tell answers a user privately: through the command's response_url when
// there is one (an ephemeral reply in place), else by DM.
func (b *Bot) tell(ctx context.Context, user, responseURL, text string) {
	if responseURL != "" && b.opts.Respond != nil {
		if err := b.opts.Respond(ctx, responseURL, text); err == nil {
			return
		} else {
			b.log.Warn("response_url", slog.Any("error", err))
		}
	}
	b.dm(ctx, user, text)
}

// onScorecardAnswer records the partner's Allow / Not now.
func (b *Bot) onScorecardAnswer(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction) (response, error) {
	id, _, _, err := partnership.ParsePairID(a.Value)
	if err != nil {
		return response{}, fmt.Errorf("scorecard answer %q: %w", truncate(a.Value, 60), err)
	}
	user := cb.User.ID
	yes := a.ActionID == actionScorecardAllow
	card, channel, requester, err := b.svc.AnswerScorecard(ctx, id, user, yes)
	if err != nil {
		if errors.Is(err, partnership.ErrNoRequest) {
			return response{after: func(ctx context.Context) { b.dm(ctx, user, "That request was answered already.") }}, nil
		}
		return b.refused(user, err)
	}
	if !yes {
		return response{after: func(ctx context.Context) {
			b.dm(ctx, user, "Understood: the scorecard stays private.")
			b.dm(ctx, requester, "<@"+user+"> would rather not share your scorecard for now.")
		}}, nil
	}
	return response{after: func(ctx context.Context) {
		if err := b.postScorecard(ctx, card, channel, user); err != nil {
			b.dm(ctx, requester, err.Error()+".")
			return
		}
		b.dm(ctx, requester, "<@"+user+"> agreed: your scorecard is in <#"+channel+">.")
	}}, nil
}

// TeamPoster posts the team scorecard in channel (for checkin.Team.Post).
func TeamPoster(svc *partnership.Service, d *Delivery, channel string) func(ctx context.Context, since time.Time) error {
	return func(ctx context.Context, since time.Time) error {
		t, err := svc.Team(ctx, since)
		if err != nil {
			return err
		}
		text, blocks := slackui.TeamScorecardMessage(t)
		_, _, err = d.post.Post(ctx, channel, slack.MsgOptionText(text, false), slack.MsgOptionBlocks(blocks...))
		return err
	}
}
