package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"

	"github.com/partnerbot/partnerbot/internal/logsafe"
	"github.com/partnerbot/partnerbot/internal/slackui"
	"github.com/slack-go/slack"
)

// cmdExport sends the caller their data as a JSON file in a DM.
func (b *Bot) cmdExport(_ context.Context, cmd slack.SlashCommand, _ []string) (response, error) {
	user := cmd.UserID
	return response{
		ack:   slackui.Ephemeral("Preparing your data; it arrives as a file in your DM with me."),
		after: func(ctx context.Context) { b.export(ctx, user) },
	}, nil
}

func (b *Bot) export(ctx context.Context, user string) {
	ex, err := b.svc.Export(ctx, user)
	if err != nil {
		b.log.Error("export", slog.String("user", user), slog.Any("error", err))
		b.dm(ctx, user, "Could not gather your data just now, please try again.")
		return
	}
	body, err := json.MarshalIndent(ex, "", "  ")
	if err != nil {
		b.log.Error("export encode", slog.String("user", user), slog.Any("error", err))
		return
	}
	// files.completeUploadExternal wants a channel ID, not a user ID.
	ch, _, _, err := b.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{user}})
	if err == nil {
		_, err = b.api.UploadFileContext(ctx, slack.UploadFileParameters{
			Reader: bytes.NewReader(body), FileSize: len(body), Filename: "partnerbot-export-" + ex.ExportedAt.Format("2006-01-02") + ".json",
			Title: "Your partnerbot data", Channel: ch.ID,
			InitialComment: "Everything partnerbot holds that you wrote or that is about you: " + slackui.ExportCounts(ex) + ".",
		})
	}
	if err != nil {
		// A failed upload's error quotes the upload URL, which takes a file for the user's DM.
		b.log.Error("export upload", slog.String("user", user), slog.Any("error", logsafe.WithoutURL(err)))
		b.dm(ctx, user, "Could not send your data file (Slack said: "+slackError(err)+"). Please try again.")
	}
}

func (b *Bot) cmdDeleteMyData(_ context.Context, cmd slack.SlashCommand, _ []string) (response, error) {
	return response{after: func(ctx context.Context) { b.openModal(ctx, cmd.UserID, cmd.TriggerID, slackui.DeleteDataModal()) }}, nil
}

// onDeleteData removes the user's data once they confirmed in the modal,
// then tells their former partners.
func (b *Bot) onDeleteData(ctx context.Context, cb slack.InteractionCallback) (response, error) {
	user := cb.User.ID
	d, ended, err := b.svc.DeleteUser(ctx, user)
	if err != nil {
		b.log.Error("delete user data", slog.String("user", user), slog.Any("error", err))
		view := slackui.NoticeView("Not deleted", "Could not delete your data just now; nothing was removed. Please try again.")
		return response{ack: slack.NewUpdateViewSubmissionResponse(&view)}, nil
	}
	b.log.Info("user data deleted", slog.String("user", user), slog.Int("results", d.Results), slog.Int("pairs", d.Pairs))
	return response{after: func(ctx context.Context) {
		text, blocks := slackui.DeletedMessage(d)
		b.post(ctx, user, text, blocks)
		for _, p := range ended {
			partner, _ := p.Partner(user)
			text, blocks := slackui.PartnerLeftMessage(p, user)
			b.post(ctx, partner, text, blocks)
		}
	}}, nil
}
