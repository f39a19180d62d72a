package bot

import (
	"context"
	"log/slog"

	"github.com/partnerbot/partnerbot/internal/partnership"
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
		ack:   slackui.Ephemeral("Posting your summary to your group DM with <@" + partner + ">."),
		after: func(ctx context.Context) { b.postSummary(ctx, sum) },
	}, nil
}

// postSummary sends a summary to the pair's group DM, then its picture
// there. Drawing the picture takes some 16 ms, so it is only ever done
// after the ack. A summary that went to each member's DM instead (the
// group DM would not take it) goes without its picture.
func (b *Bot) postSummary(ctx context.Context, s partnership.Summary) {
	text, blocks := slackui.SummaryMessage(s)
	if ch := b.postToPair(ctx, s.Pair, text, blocks); ch != "" {
		b.delivery.picture(ctx, ch, s)
	}
}
