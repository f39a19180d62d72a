package bot

import (
	"context"
	"log/slog"

	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/slackui"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// onHomeOpened publishes the user's Home tab (after the ack).
func (b *Bot) onHomeOpened(_ context.Context, event any) (response, error) {
	ev, ok := event.(*slackevents.AppHomeOpenedEvent)
	if !ok || ev.User == "" || ev.Tab != "home" {
		return response{}, nil
	}
	return response{after: func(ctx context.Context) { b.publishHome(ctx, ev.User) }}, nil
}

func (b *Bot) publishHome(ctx context.Context, user string) {
	h := slackui.Home{UserID: user, Now: b.clock.Now()}
	c, err := b.svc.Choices(ctx, user)
	if err == nil {
		for _, p := range c.Pairs {
			sum, verr := b.svc.View(ctx, p.ID, user)
			if verr != nil {
				err = verr
				break
			}
			shares, verr := b.svc.Sharings(ctx, p.ID, user)
			if verr != nil {
				err = verr
				break
			}
			charter, verr := b.svc.CharterState(ctx, p.ID, user)
			if verr != nil {
				err = verr
				break
			}
			r, verr := b.svc.Roadmap(ctx, p.ID, user)
			if verr != nil {
				err = verr
				break
			}
			h.Pairs = append(h.Pairs, slackui.HomePair{Pair: p, Summary: sum, Sharings: shares, Charter: charter, Now: r.Column(partnership.StageNow)})
			h.CanLogWins = h.CanLogWins || p.Assistant == user
		}
	}
	if err == nil && assistantOf(c.Pairs, user) >= 2 {
		h.TaskOwnership, err = b.svc.TaskOwnership(ctx, user)
	}
	if err == nil {
		h.WishesToMe, _, err = b.svc.Wishes(ctx, user)
	}
	if err == nil {
		h.AwayUntil, err = b.checkins.Away(ctx, user)
	}
	if err == nil {
		h.InvitationsToMe, h.InvitationsByMe, err = b.svc.Invitations(ctx, user)
	}
	if err != nil {
		b.log.Error("home tab", slog.String("user", user), slog.Any("error", err))
		return
	}
	if _, err := b.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: user, View: slackui.HomeView(h)}); err != nil {
		b.log.Error("publish home", slog.String("user", user), slog.Any("error", err))
	}
}

// assistantOf counts the pairs in which user is the assistant.
func assistantOf(ps []partnership.Pair, user string) int {
	n := 0
	for _, p := range ps {
		if p.Assistant == user {
			n++
		}
	}
	return n
}
