package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/slackui"
	"github.com/slack-go/slack"
)

// needPair answers a sub-command that needs a partnership when the caller
// has none.
func (b *Bot) needPair(ctx context.Context, user string) (*slackui.Reply, error) {
	c, err := b.svc.Choices(ctx, user)
	if err != nil {
		return nil, err
	}
	if len(c.Pairs) == 0 {
		return slackui.Ephemeral("You are not in a partnership yet. Start one with `" + slackui.Command + " pair @your-executive`."), nil
	}
	return nil, nil
}

func (b *Bot) cmdNextSteps(ctx context.Context, cmd slack.SlashCommand, _ []string) (response, error) {
	if reply, err := b.needPair(ctx, cmd.UserID); reply != nil || err != nil {
		return response{ack: reply}, err
	}
	return response{after: func(ctx context.Context) { b.openNextSteps(ctx, cmd.UserID, cmd.TriggerID) }}, nil
}

func (b *Bot) openNextSteps(ctx context.Context, user, trigger string) {
	b.openBuilt(ctx, user, trigger, "", b.nextStepsView)
}

// nextStepsView is the Next Steps modal for the user's chosen pair,
// pre-filled with their current lists.
func (b *Bot) nextStepsView(ctx context.Context, user string, pick partnership.PairID) (slack.ModalViewRequest, error) {
	c, p, err := b.choice(ctx, user, pick)
	if err != nil {
		return slack.ModalViewRequest{}, err
	}
	if p.ID == "" {
		return slack.ModalViewRequest{}, partnership.ErrNoPair
	}
	ns, err := b.svc.NextSteps(ctx, p.ID, user)
	if err != nil {
		return slack.ModalViewRequest{}, err
	}
	sent, err := b.svc.SentWishes(ctx, p.ID, user)
	if err != nil {
		return slack.ModalViewRequest{}, err
	}
	return slackui.NextStepsModal(p.Perspective(user), ns, sent, c), nil
}

func (b *Bot) onHomeNextSteps(_ context.Context, cb slack.InteractionCallback, _ *slack.BlockAction) (response, error) {
	return response{after: func(ctx context.Context) { b.openNextSteps(ctx, cb.User.ID, cb.TriggerID) }}, nil
}

func (b *Bot) onHomeAssess(_ context.Context, cb slack.InteractionCallback, _ *slack.BlockAction) (response, error) {
	return response{after: func(ctx context.Context) { b.openAssessment(ctx, cb.User.ID, cb.TriggerID) }}, nil
}

// onNextSteps stores the lists; new wishes go to the partner by DM.
func (b *Bot) onNextSteps(ctx context.Context, cb slack.InteractionCallback) (response, error) {
	pair, err := slackui.ParseNextStepsMeta(cb.View.PrivateMetadata)
	if err != nil {
		return response{}, fmt.Errorf("next steps from %s: %w", cb.User.ID, err)
	}
	jr, dm, ws, send := slackui.ParseNextSteps(cb.View.State)
	user := cb.User.ID
	saved, err := b.svc.SaveNextSteps(ctx, partnership.NextSteps{PairID: pair, UserID: user, JustRight: jr, DoMore: dm, Wishes: ws, Send: send})
	if err != nil {
		msg, known := userMessage(err)
		if !known {
			b.log.Error("save next steps", slog.String("user", user), slog.Any("error", err))
			msg = "Could not save, please try again. Your lists are still here."
		}
		return response{ack: slack.NewErrorsViewSubmissionResponse(map[string]string{slackui.BlockStep(slackui.ListJustRight, 1): msg})}, nil
	}
	return response{after: func(ctx context.Context) {
		if fresh := saved.Fresh; len(fresh) > 0 {
			text, blocks := slackui.WishCard(fresh)
			if ch, ts, ok := b.postRef(ctx, fresh[0].To, text, blocks); ok {
				if err := b.svc.SetWishCard(ctx, pair, fresh, partnership.CardRef{Channel: ch, TS: ts}); err != nil {
					b.log.Warn("remember wish card", slog.String("pair", string(pair)), slog.Any("error", err))
				}
			}
		}
		for _, w := range saved.Edited {
			b.redrawWishCard(ctx, pair, w.ID, user)
		}
		b.dm(ctx, user, slackui.NextStepsSaved(saved.Fresh))
	}}, nil
}

// redrawWishCard brings the card that shows a wish up to date, after the
// wish moved or changed anywhere (its card, the Home tab, a list).
func (b *Bot) redrawWishCard(ctx context.Context, pair partnership.PairID, wishID, by string) {
	card, shown, ok, err := b.svc.WishCard(ctx, pair, wishID, by)
	if err != nil {
		b.log.Warn("wish card", slog.String("pair", string(pair)), slog.Any("error", err))
		return
	}
	if !ok || len(shown) == 0 {
		return
	}
	text, blocks := slackui.WishCard(shown)
	b.update(ctx, card.Channel, card.TS, text, blocks)
}

func (b *Bot) cmdWishes(ctx context.Context, cmd slack.SlashCommand, _ []string) (response, error) {
	toMe, byMe, err := b.svc.Wishes(ctx, cmd.UserID)
	if err != nil {
		b.log.Error("load wishes", slog.String("user", cmd.UserID), slog.Any("error", err))
		return response{ack: slackui.Ephemeral("Could not load your wishes just now, please try again.")}, nil
	}
	return response{ack: slackui.WishesReply(toMe, byMe)}, nil
}

// onWishMove acknowledges or completes a wish from its button. The value is
// untrusted: the service checks the presser is the wish's addressee.
func (b *Bot) onWishMove(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction) (response, error) {
	pair, wishID, err := slackui.ParseWishRef(a.Value)
	if err != nil {
		return response{}, fmt.Errorf("wish button %s: %w", a.ActionID, err)
	}
	to := partnership.WishAcknowledged
	if a.ActionID == actionWishDone {
		to = partnership.WishDone
	}
	return b.moveWish(ctx, cb, pair, wishID, to, "")
}

func (b *Bot) moveWish(ctx context.Context, cb slack.InteractionCallback, pair partnership.PairID, wishID string, to partnership.WishStatus, note string) (response, error) {
	user := cb.User.ID
	w, err := b.svc.MoveWish(ctx, pair, wishID, user, to, note)
	if errors.Is(err, partnership.ErrTransition) {
		// Moved meanwhile (another card, the Home tab, a double click): say
		// where it stands, and bring its card up to date.
		if cur, werr := b.svc.Wish(ctx, pair, wishID, user); werr == nil {
			return response{after: func(ctx context.Context) {
				b.dm(ctx, user, slackui.WishStaleText(cur))
				b.redrawWishCard(ctx, pair, wishID, user)
			}}, nil
		}
	}
	if err != nil {
		msg, known := userMessage(err)
		if !known {
			b.log.Error("move wish", slog.String("user", user), slog.Any("error", err))
		} else {
			b.log.Info("wish move refused", slog.String("user", user), slog.String("reason", err.Error()))
		}
		return response{after: func(ctx context.Context) { b.dm(ctx, user, "I could not change that wish: "+msg) }}, nil
	}
	return response{after: func(ctx context.Context) {
		b.redrawWishCard(ctx, pair, w.ID, user)
		text, blocks := slackui.WishMovedMessage(w)
		b.post(ctx, w.From, text, blocks)
		if cb.Container.IsEphemeral {
			// A list only the presser saw: its buttons stay as they were,
			// so say what happened (a card or the Home tab shows it).
			b.dm(ctx, user, "Marked as "+string(w.Status)+": "+slackui.Escape(w.Text))
		}
		if cb.View.Type == slack.VTHomeTab {
			b.publishHome(ctx, user)
		}
	}}, nil
}

// onWishDeclineButton asks for a note in a modal before declining.
func (b *Bot) onWishDeclineButton(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction) (response, error) {
	pair, wishID, err := slackui.ParseWishRef(a.Value)
	if err != nil {
		return response{}, fmt.Errorf("decline button: %w", err)
	}
	user := cb.User.ID
	w, err := b.svc.Wish(ctx, pair, wishID, user)
	if err == nil && w.To != user {
		err = partnership.ErrNotAddressee
	}
	if err == nil && !w.IsOpen() {
		return response{after: func(ctx context.Context) {
			b.dm(ctx, user, slackui.WishStaleText(w))
			b.redrawWishCard(ctx, pair, wishID, user)
		}}, nil
	}
	if err != nil {
		msg, _ := userMessage(err)
		return response{after: func(ctx context.Context) { b.dm(ctx, user, "I could not change that wish: "+msg) }}, nil
	}
	return response{after: func(ctx context.Context) { b.openModal(ctx, user, cb.TriggerID, slackui.DeclineWishModal(w)) }}, nil
}

func (b *Bot) onWishDecline(ctx context.Context, cb slack.InteractionCallback) (response, error) {
	pair, wishID, err := slackui.ParseWishRef(cb.View.PrivateMetadata)
	if err != nil {
		return response{}, fmt.Errorf("decline modal: %w", err)
	}
	return b.moveWish(ctx, cb, pair, wishID, partnership.WishDeclined, slackui.ParseDeclineNote(cb.View.State))
}
