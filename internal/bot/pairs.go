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

// parseMention reads an escaped user mention, "<@U123|name>" or "<@U123>".
func parseMention(s string) (string, bool) {
	if !strings.HasPrefix(s, "<@") || !strings.HasSuffix(s, ">") {
		return "", false
	}
	id, _, _ := strings.Cut(s[2:len(s)-1], "|")
	return id, partnership.ValidUserID(id)
}

// lookupTimeout bounds a users.info call made to answer in an ack.
const lookupTimeout = time.Second

// cmdPair pairs the caller (assistant) with the mentioned executive, or
// opens the setup modal when nobody is mentioned.
func (b *Bot) cmdPair(ctx context.Context, cmd slack.SlashCommand, args []string) (response, error) {
	if len(args) == 0 {
		return response{after: func(ctx context.Context) { b.openModal(ctx, cmd.UserID, cmd.TriggerID, slackui.PairSetupModal()) }}, nil
	}
	exec, ok := parseMention(args[0])
	if !ok {
		return response{ack: slackui.Ephemeral("Mention the person to pair with, like `" + slackui.Command + " pair @name`.")}, nil
	}
	// The rules that need no Slack call answer at once.
	if err := partnership.CheckPairing(cmd.UserID, partnership.Person{ID: exec}); err != nil {
		msg, _ := userMessage(err)
		return response{ack: slackui.Ephemeral(msg)}, nil
	}
	if _, err := b.svc.Pair(ctx, partnership.NewPairID(cmd.UserID, exec), cmd.UserID); err == nil {
		msg, _ := userMessage(partnership.ErrDuplicate)
		return response{ack: slackui.Ephemeral(msg)}, nil
	}
	return response{
		ack:   slackui.Ephemeral("Pairing you with <@" + exec + ">…"),
		after: func(ctx context.Context) { b.pair(ctx, cmd.UserID, exec) },
	}, nil
}

// pair checks the executive with Slack, creates the pair and tells both.
// Refusals go to the caller by DM.
func (b *Bot) pair(ctx context.Context, assistant, exec string) {
	p, err := b.createPair(ctx, assistant, exec)
	if err != nil {
		msg, known := userMessage(err)
		if !known {
			b.log.Error("create pair", slog.String("user", assistant), slog.Any("error", err))
		}
		b.dm(ctx, assistant, "I could not pair you with <@"+exec+">: "+msg)
		return
	}
	b.announcePair(ctx, p)
}

func (b *Bot) createPair(ctx context.Context, assistant, exec string) (partnership.Pair, error) {
	u, err := b.people.get(ctx, exec)
	if err != nil {
		if se, ok := errors.AsType[slack.SlackErrorResponse](err); ok && se.Err == "user_not_found" {
			return partnership.Pair{}, partnership.ErrBadID
		}
		return partnership.Pair{}, err
	}
	return b.svc.CreatePair(ctx, assistant, partnership.Person{ID: u.ID, IsBot: u.IsBot, Deleted: u.Deleted})
}

func (b *Bot) announcePair(ctx context.Context, p partnership.Pair) {
	b.log.Info("pair created", slog.String("pair", string(p.ID)))
	if err := b.checkins.Start(ctx, p); err != nil {
		b.log.Error("schedule check-ins", slog.String("pair", string(p.ID)), slog.Any("error", err))
	}
	for _, u := range []string{p.Assistant, p.Executive} {
		text, blocks := slackui.PairedMessage(p, u)
		b.post(ctx, u, text, blocks)
	}
}

// onPairSetup pairs from the setup modal; refusals are inline errors on
// the user picker (the users.info lookup rides on the ack, bounded).
func (b *Bot) onPairSetup(ctx context.Context, cb slack.InteractionCallback) (response, error) {
	exec, errs := slackui.ParsePairSetup(cb.View.State)
	if len(errs) > 0 {
		return response{ack: slack.NewErrorsViewSubmissionResponse(errs)}, nil
	}
	lctx, cancel := context.WithTimeout(ctx, lookupTimeout)
	defer cancel()
	p, err := b.createPair(lctx, cb.User.ID, exec)
	if err != nil {
		msg, known := userMessage(err)
		if !known {
			b.log.Error("create pair", slog.String("user", cb.User.ID), slog.Any("error", err))
		}
		return response{ack: slack.NewErrorsViewSubmissionResponse(map[string]string{slackui.BlockPartner: msg})}, nil
	}
	return response{after: func(ctx context.Context) { b.announcePair(ctx, p) }}, nil
}

// onPairLeave ends a pair from the button in the pairing DM.
func (b *Bot) onPairLeave(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction) (response, error) {
	id, _, _, err := partnership.ParsePairID(a.Value)
	if err != nil {
		return response{}, fmt.Errorf("leave with value %q: %w", truncate(a.Value, 60), err)
	}
	user := cb.User.ID
	p, err := b.svc.LeavePair(ctx, id, user)
	if err != nil {
		msg, known := userMessage(err)
		if !known {
			b.log.Error("leave pair", slog.String("user", user), slog.Any("error", err))
		}
		return response{after: func(ctx context.Context) { b.dm(ctx, user, "I could not end that partnership: "+msg) }}, nil
	}
	b.log.Info("pair ended", slog.String("pair", string(p.ID)))
	return response{after: func(ctx context.Context) {
		for _, u := range []string{p.Assistant, p.Executive} {
			text, blocks := slackui.PartnerLeftMessage(p, user)
			b.post(ctx, u, text, blocks)
		}
	}}, nil
}

func (b *Bot) onHomePair(_ context.Context, cb slack.InteractionCallback, _ *slack.BlockAction) (response, error) {
	return response{after: func(ctx context.Context) { b.openModal(ctx, cb.User.ID, cb.TriggerID, slackui.PairSetupModal()) }}, nil
}
