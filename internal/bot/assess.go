package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/slackui"
	"github.com/slack-go/slack"
)

const callbackAssess = slackui.CallbackAssess

// historyLimit is how many results /partner-assess history shows.
const historyLimit = 20

// cmdAssess opens the assessment modal. The ack goes first; the trigger_id
// stays valid for 3 s, which leaves the views.open call ample time.
func (b *Bot) cmdAssess(_ context.Context, cmd slack.SlashCommand, _ []string) (response, error) {
	return response{after: func(ctx context.Context) {
		b.openModal(ctx, cmd.UserID, cmd.TriggerID, slackui.AssessmentModal(assessment.Assistant))
	}}, nil
}

func (b *Bot) openModal(ctx context.Context, userID, triggerID string, view slack.ModalViewRequest) {
	if _, err := b.api.OpenViewContext(ctx, triggerID, view); err != nil {
		b.log.Warn("open modal", slog.String("user", userID), slog.String("callback_id", view.CallbackID), slog.Any("error", err))
		b.dm(ctx, userID, "I could not open the form (Slack said: "+slackError(err)+"). Please run the command again.")
	}
}

func (b *Bot) cmdHelp(_ context.Context, _ slack.SlashCommand, _ []string) (response, error) {
	return response{ack: slackui.HelpReply("")}, nil
}

func (b *Bot) cmdHistory(ctx context.Context, cmd slack.SlashCommand, _ []string) (response, error) {
	rs, err := b.results.Results(ctx, cmd.UserID, historyLimit)
	if err != nil {
		b.log.Error("load history", slog.String("user", cmd.UserID), slog.Any("error", err))
		return response{ack: slackui.ErrorReply("Could not load your history just now, please try again.")}, nil
	}
	return response{ack: slackui.HistoryReply(rs)}, nil
}

// onAssessSubmit validates and stores a submitted assessment. Missing
// answers and a failed save keep the modal open with inline errors, so the
// user loses nothing; only a stored result is shown as a result.
func (b *Bot) onAssessSubmit(ctx context.Context, cb slack.InteractionCallback) (response, error) {
	meta, err := slackui.ParseAssessMeta(cb.View.PrivateMetadata)
	if err != nil {
		return response{}, fmt.Errorf("assessment submission from %s: %w", cb.User.ID, err)
	}
	answers, errs := slackui.ParseAssessment(cb.View.State)
	if len(errs) > 0 {
		return response{ack: slack.NewErrorsViewSubmissionResponse(errs)}, nil
	}
	r := assessment.Result{
		// One view is one submission: a redelivered or retried submit of the
		// same view is stored once.
		ID:          cb.View.ID,
		UserID:      cb.User.ID,
		Perspective: meta.Perspective,
		TakenAt:     b.clock.Now().UTC(),
		Answers:     answers,
	}
	prev, hasPrev, err := b.results.SaveResult(ctx, r)
	if err != nil && !b.opts.IsDuplicate(err) {
		b.log.Error("save result", slog.String("user", r.UserID), slog.Any("error", err))
		return response{ack: slack.NewErrorsViewSubmissionResponse(slackui.SaveFailedErrors())}, nil
	}
	b.log.Info("result saved", slog.String("user", r.UserID), slog.Int("score", r.Score()), slog.Bool("retry", err != nil))
	view := slackui.ResultView(r, prev, hasPrev)
	return response{
		ack: slack.NewUpdateViewSubmissionResponse(&view),
		after: func(ctx context.Context) {
			text, blocks := slackui.ResultMessage(r, prev, hasPrev)
			b.post(ctx, r.UserID, text, blocks)
		},
	}, nil
}

// dm sends a plain message to a user, from the bot.
func (b *Bot) dm(ctx context.Context, userID, text string) { b.post(ctx, userID, text, nil) }

// post sends a message; a user ID as channel opens the bot's DM with them.
func (b *Bot) post(ctx context.Context, channel, text string, blocks []slack.Block) {
	opts := []slack.MsgOption{slack.MsgOptionText(text, false)}
	if len(blocks) > 0 {
		opts = append(opts, slack.MsgOptionBlocks(blocks...))
	}
	if _, _, err := b.api.PostMessageContext(ctx, channel, opts...); err != nil {
		b.log.Error("post message", slog.String("channel", channel), slog.Any("error", err))
	}
}

// slackError is the short Slack error code of err, fit to show a user.
func slackError(err error) string {
	if se, ok := errors.AsType[slack.SlackErrorResponse](err); ok && se.Err != "" {
		return se.Err
	}
	return "no answer"
}
