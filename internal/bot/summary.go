package bot

import (
	"context"
	"log/slog"

	"github.com/partnerbot/partnerbot/internal/slackui"
	"github.com/slack-go/slack"
)

// cmdSummary posts the summary of the caller's current partnership to the
// pair's group DM.
func (b *Bot) cmdSummary(ctx context.Context, cmd slack.SlashCommand, _ []string) (response, error) {
	user := cmd.UserID
	_, p, err := b.choice(ctx, user, "")
	if err != nil {
		return response{}, err
	}
	if p.ID == "" {
		reply, err := b.needPair(ctx, user)
		return response{ack: reply}, err
	}
	sum, err := b.svc.Summary(ctx, p.ID, user)
	if err != nil {
		msg, known := userMessage(err)
		if !known {
			b.log.Error("summary", slog.String("user", user), slog.Any("error", err))
		}
		return response{ack: slackui.Ephemeral(msg)}, nil
	}
	partner, _ := p.Partner(user)
	return response{
		ack: slackui.Ephemeral("Posting your summary to your group DM with <@" + partner + ">."),
		after: func(ctx context.Context) {
			text, blocks := slackui.SummaryMessage(sum)
			b.postToPair(ctx, p, text, blocks)
		},
	}, nil
}
