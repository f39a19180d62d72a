package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"time"

	"github.com/partnerbot/partnerbot/internal/checkin"
	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/slackui"
	"github.com/slack-go/slack"
)

// dm sends a plain message to a user, from the bot.
func (b *Bot) dm(ctx context.Context, userID, text string) { b.post(ctx, userID, text, nil) }

// post sends a message; a user ID as channel posts in the bot's DM with them.
func (b *Bot) post(ctx context.Context, channel, text string, blocks []slack.Block) {
	b.postRef(ctx, channel, text, blocks)
}

// postRef is post that also returns where the message went (its channel
// and ts), for a card to be updated in place later; ok is false when it
// could not be sent.
func (b *Bot) postRef(ctx context.Context, channel, text string, blocks []slack.Block) (ch, ts string, ok bool) {
	ch, ts, err := b.opts.Poster.Post(ctx, channel, msgOptions(text, blocks)...)
	if err != nil {
		b.log.Error("post message", slog.String("channel", channel), slog.Any("error", err))
		return "", "", false
	}
	return ch, ts, true
}

// update replaces a message the bot posted (a card whose buttons gave way
// to their outcome).
func (b *Bot) update(ctx context.Context, channel, ts, text string, blocks []slack.Block) {
	if _, _, _, err := b.api.UpdateMessageContext(ctx, channel, ts, msgOptions(text, blocks)...); err != nil {
		b.log.Warn("update message", slog.String("channel", channel), slog.Any("error", err))
	}
}

func msgOptions(text string, blocks []slack.Block) []slack.MsgOption {
	opts := []slack.MsgOption{slack.MsgOptionText(text, false)}
	if len(blocks) > 0 {
		opts = append(opts, slack.MsgOptionBlocks(blocks...))
	}
	return opts
}

// firstTime records a one-off effect (a DM) by key and reports whether it
// is the first. Without a Seen store, yes. When Redis does not answer, no:
// the effect could not be recorded, so a retry would repeat it; the result
// it reports was shown in the modal already.
func (b *Bot) firstTime(ctx context.Context, key string) bool {
	if b.opts.Seen == nil {
		return true
	}
	first, err := b.opts.Seen.FirstSeen(ctx, key, 7*24*time.Hour)
	if err != nil {
		b.log.Warn("cannot record a one-off message; skipping it", slog.String("key", key), slog.Any("error", err))
		return false
	}
	return first
}

// postToPair sends one message to the pair's group DM and returns the
// group DM's id. When Slack will not take it there (the bot was removed
// from it), each member gets it by DM with a note, rather than nobody, and
// it returns "".
func (b *Bot) postToPair(ctx context.Context, p partnership.Pair, text string, blocks []slack.Block) (groupDM string) {
	ch, _, _, err := b.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{p.Assistant, p.Executive}})
	if err == nil {
		if _, _, err = b.opts.Poster.Post(ctx, ch.ID, msgOptions(text, blocks)...); err == nil {
			return ch.ID
		}
	}
	b.log.Warn("post to the pair's group DM; sending to each member instead", slog.String("pair", string(p.ID)), slog.Any("error", err))
	note := slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType,
		"I could not post this in your group DM (Slack said: "+slackError(err)+"), so each of you gets it here.", false, false))
	for _, u := range []string{p.Assistant, p.Executive} {
		b.post(ctx, u, text, append(append([]slack.Block(nil), blocks...), note))
	}
	return ""
}

// viewTTL is how long the bot remembers a modal it opened: longer than
// anyone keeps one open.
const viewTTL = 24 * time.Hour

// openModal opens view for userID. The view gets an external_id of the
// bot's own, recorded as the user's before it opens (so that the record
// is there by the time anyone can press anything in it): actions in a
// modal are served only for the user the bot opened it for.
func (b *Bot) openModal(ctx context.Context, userID, triggerID string, view slack.ModalViewRequest) {
	if b.opts.Views != nil {
		view.ExternalID = newExternalID()
		if err := b.opts.Views.OpenedView(ctx, userID, view.ExternalID, viewTTL); err != nil {
			b.log.Warn("remember modal", slog.String("user", userID), slog.Any("error", err))
		}
	}
	if _, err := b.api.OpenViewContext(ctx, triggerID, view); err != nil {
		b.log.Warn("open modal", slog.String("user", userID), slog.String("callback_id", view.CallbackID), slog.Any("error", err))
		b.dm(ctx, userID, "I could not open the form (Slack said: "+slackError(err)+"). Please try again.")
	}
}

func newExternalID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "pb" + hex.EncodeToString(b)
}

// ownsView reports whether user may have the view with externalID redrawn:
// the bot opened it for them. A view's IDs in a payload are untrusted like
// any value.
func (b *Bot) ownsView(ctx context.Context, user, externalID string) (bool, error) {
	if b.opts.Views == nil {
		return true, nil
	}
	if externalID == "" {
		return false, nil
	}
	return b.opts.Views.HasView(ctx, user, externalID)
}

// slackError is the short Slack error code of err, fit to show a user.
func slackError(err error) string {
	if se, ok := errors.AsType[slack.SlackErrorResponse](err); ok && se.Err != "" {
		return se.Err
	}
	return "no answer"
}

// userMessage is what to tell a user about a use case's error: the
// domain's own words for the errors it names, "try again" for the rest.
func userMessage(err error) (string, bool) {
	for _, known := range []error{
		partnership.ErrBadID, partnership.ErrNotFound, partnership.ErrNotMember, partnership.ErrSelf,
		partnership.ErrBotUser, partnership.ErrDeletedUser, partnership.ErrDuplicate, partnership.ErrNotAddressee,
		partnership.ErrTransition, partnership.ErrNoPair, partnership.ErrWishNotFound, partnership.ErrConflict,
		partnership.ErrInvitePending, partnership.ErrInvitationGone, partnership.ErrNotInvitee,
		checkin.ErrStaleCheckin, checkin.ErrAnswered, partnership.ErrEmptyCheckin,
		partnership.ErrCharterChanged, partnership.ErrCharterReplaced, partnership.ErrCharterNoSuch,
		partnership.ErrReviewNotDue, partnership.ErrNoCharter,
		partnership.ErrNowFull, partnership.ErrGoalTitle, partnership.ErrGoalOwner, partnership.ErrGoalNotFound,
		partnership.ErrGoalClosed, partnership.ErrTooManyGoals, partnership.ErrGoalHistoryFull, partnership.ErrNotAcknowledged,
		partnership.ErrLineChanged, partnership.ErrBadInput, partnership.ErrNotAssistant, partnership.ErrWinEmpty,
		partnership.ErrWinTooLong, partnership.ErrWinNotFound,
	} {
		if errors.Is(err, known) {
			return slackui.Capitalize(known.Error()) + ".", true
		}
	}
	return "Something went wrong on our side; please try again in a moment.", false
}
