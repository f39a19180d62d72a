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

// scorecardUsage is the answer to a scorecard command it cannot read.
const scorecardUsage = "`" + slackui.Command + " scorecard` in a channel posts your partnership's scorecard there once you both agree; " +
	"`" + slackui.Command + " scorecard stop` in that channel stops it. `" + slackui.Command + " scorecard team` counts your pair in the team's anonymous scorecard " +
	"(`scorecard team stop` to leave it)."

// cmdScorecard asks to share the pair's card: in the channel the command
// was typed in, or (`scorecard team`) in the team scorecard; `stop`
// withdraws the caller's consent there.
func (b *Bot) cmdScorecard(ctx context.Context, cmd slack.SlashCommand, args []string) (response, error) {
	user, channel := cmd.UserID, cmd.ChannelID
	words := strings.ToLower(strings.Join(args, " "))
	sc, stop := partnership.Scope(channel), false
	switch words {
	case "":
	case "stop":
		stop = true
	case "team":
		sc = partnership.TeamScope
	case "team stop", "stop team":
		sc, stop = partnership.TeamScope, true
	default:
		return response{ack: slackui.Ephemeral(scorecardUsage)}, nil
	}
	if sc != partnership.TeamScope && !partnership.ValidScope(sc) {
		return response{ack: slackui.Ephemeral("Run `" + slackui.Command + " scorecard` in the channel where your scorecard should go.")}, nil
	}
	p, reply, err := b.currentPair(ctx, user)
	if reply != nil || err != nil {
		return response{ack: reply}, err
	}
	if stop {
		return b.stopScorecard(ctx, p.ID, user, sc)
	}
	ask, err := b.svc.RequestScorecard(ctx, p.ID, user, sc)
	if err != nil {
		msg, known := userMessage(err)
		if !known {
			b.log.Error("scorecard", slog.String("user", user), slog.Any("error", err))
		}
		return response{ack: slackui.Ephemeral(msg)}, nil
	}
	if !ask.Ready {
		reply := "I asked <@" + ask.Partner + "> to agree to " + slackui.ScopeName(sc) + " first; you will hear when they answer."
		if !ask.Asked {
			return response{ack: slackui.Ephemeral("<@" + ask.Partner + "> has not answered your ask for " + slackui.ScopeName(sc) + " yet.")}, nil
		}
		return response{
			ack: slackui.Ephemeral(reply),
			after: func(ctx context.Context) {
				text, blocks := slackui.ScorecardConsentMessage(p, user, sc)
				if ch, ts, ok := b.postRef(ctx, ask.Partner, text, blocks); ok {
					if err := b.svc.SetScorecardCard(ctx, p.ID, sc, ch, ts); err != nil {
						b.log.Warn("remember scorecard ask", slog.String("pair", string(p.ID)), slog.Any("error", err))
					}
				}
			},
		}, nil
	}
	if sc == partnership.TeamScope {
		return response{ack: slackui.Ephemeral("You both agreed: your pair counts in the team's anonymous scorecard. `" + slackui.Command + " scorecard team stop` leaves it.")}, nil
	}
	responseURL := cmd.ResponseURL
	return response{after: func(ctx context.Context) {
		if err := b.postScorecard(ctx, ask.Card, channel, user); err != nil {
			b.tell(ctx, user, responseURL, err.Error())
		}
	}}, nil
}

// stopScorecard withdraws user's consent for sc and tells the partner.
func (b *Bot) stopScorecard(ctx context.Context, id partnership.PairID, user string, sc partnership.Scope) (response, error) {
	p, err := b.svc.Pair(ctx, id, user)
	var waiting partnership.ScorecardRequest
	if err == nil {
		waiting, err = b.svc.StopScorecard(ctx, p.ID, user, sc)
	}
	if err != nil {
		msg, known := userMessage(err)
		if !known {
			b.log.Error("stop scorecard", slog.String("user", user), slog.Any("error", err))
		}
		return response{ack: slackui.Ephemeral(msg)}, nil
	}
	b.log.Info("scorecard consent withdrawn", slog.String("pair", string(p.ID)))
	partner, _ := p.Partner(user)
	now := b.clock.Now()
	return response{
		ack: slackui.Ephemeral("Done: nothing more of your partnership is shown in " + slackui.ScopeName(sc) + ". What was posted already stays; sharing again needs you both to agree."),
		after: func(ctx context.Context) {
			if waiting.CardChannel != "" {
				text, blocks := slackui.ScorecardAnsweredMessage(waiting.By, sc, slackui.Outcome{What: "Withdrawn", By: user, At: now})
				b.update(ctx, waiting.CardChannel, waiting.CardTS, text, blocks)
			}
			b.dm(ctx, partner, "<@"+user+"> stopped sharing your partnership scorecard in "+slackui.ScopeName(sc)+": nothing more is shown there.")
		},
	}, nil
}

// onScorecardStop withdraws consent from the Home tab's button.
func (b *Bot) onScorecardStop(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction) (response, error) {
	id, sc, err := slackui.ParseScopeRef(a.Value)
	if err != nil {
		return response{}, fmt.Errorf("scorecard stop %q: %w", truncate(a.Value, 60), err)
	}
	resp, err := b.stopScorecard(ctx, id, cb.User.ID, sc)
	if err != nil {
		return resp, err
	}
	// A button's ack carries no message: the reply goes by DM.
	reply, _ := resp.ack.(*slackui.Reply)
	user, after := cb.User.ID, resp.after
	return response{after: func(ctx context.Context) {
		if reply != nil {
			b.dm(ctx, user, reply.Text)
		}
		if after != nil {
			after(ctx)
		}
		b.publishHome(ctx, user)
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

// onScorecardAnswer records the partner's Allow / Not now, and replaces
// the ask's card with the outcome.
func (b *Bot) onScorecardAnswer(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction) (response, error) {
	id, sc, err := slackui.ParseScopeRef(a.Value)
	if err != nil {
		return response{}, fmt.Errorf("scorecard answer %q: %w", truncate(a.Value, 60), err)
	}
	user, now := cb.User.ID, b.clock.Now()
	yes := a.ActionID == actionScorecardAllow
	ans, err := b.svc.AnswerScorecard(ctx, id, user, sc, yes)
	if err != nil {
		if errors.Is(err, partnership.ErrNoRequest) {
			return response{after: func(ctx context.Context) {
				b.dm(ctx, user, "That request was answered already, or withdrawn: nothing changed.")
			}}, nil
		}
		return b.refused(user, err)
	}
	requester := ans.Request.By
	outcome := slackui.Outcome{What: "Not now, said", By: user, At: now}
	if yes {
		outcome.What = "Allowed"
	}
	card := func(ctx context.Context) {
		ch, ts := ans.Request.CardChannel, ans.Request.CardTS
		if ch == "" {
			ch, ts = cb.Container.ChannelID, cb.Container.MessageTs
		}
		if ch != "" && ts != "" {
			text, blocks := slackui.ScorecardAnsweredMessage(requester, sc, outcome)
			b.update(ctx, ch, ts, text, blocks)
		}
	}
	if !yes {
		return response{after: func(ctx context.Context) {
			card(ctx)
			b.dm(ctx, user, "Understood: nothing is shared in "+slackui.ScopeName(sc)+".")
			b.dm(ctx, requester, "<@"+user+"> would rather not share your scorecard in "+slackui.ScopeName(sc)+" for now.")
		}}, nil
	}
	return response{after: func(ctx context.Context) {
		card(ctx)
		if sc == partnership.TeamScope {
			b.dm(ctx, requester, "<@"+user+"> agreed: your pair counts in the team's anonymous scorecard.")
			return
		}
		if err := b.postScorecard(ctx, ans.Card, string(sc), user); err != nil {
			b.dm(ctx, requester, err.Error()+".")
			return
		}
		b.dm(ctx, requester, "<@"+user+"> agreed: your scorecard is in "+slackui.ScopeName(sc)+".")
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
