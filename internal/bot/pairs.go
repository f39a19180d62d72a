package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
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

// pairUsage is the answer to a pair command it cannot read.
const pairUsage = "Mention the person to pair with: `" + slackui.Command + " pair @name` when they are your executive, `" +
	slackui.Command + " pair @name as assistant` when they are your assistant."

// parsePairArgs reads "@name", "@name as assistant" or "@name as
// executive": the person invited and the caller's own role.
func parsePairArgs(args []string) (other string, callerRole assessment.Perspective, ok bool) {
	if len(args) == 0 {
		return "", "", false
	}
	other, ok = parseMention(args[0])
	if !ok {
		return "", "", false
	}
	switch rest := strings.ToLower(strings.Join(args[1:], " ")); rest {
	case "", "as executive", "as my executive":
		return other, assessment.Assistant, true
	case "as assistant", "as my assistant":
		return other, assessment.Executive, true
	}
	return "", "", false
}

// cmdPair invites the mentioned person to a partnership, or opens the
// setup modal when nobody is mentioned. The pair exists once they accept.
func (b *Bot) cmdPair(ctx context.Context, cmd slack.SlashCommand, args []string) (response, error) {
	if len(args) == 0 {
		return response{after: func(ctx context.Context) { b.openModal(ctx, cmd.UserID, cmd.TriggerID, slackui.PairSetupModal()) }}, nil
	}
	other, role, ok := parsePairArgs(args)
	if !ok {
		return response{ack: slackui.Ephemeral(pairUsage)}, nil
	}
	// The rules that need no Slack call answer at once.
	if err := partnership.CheckPairing(cmd.UserID, partnership.Person{ID: other}); err != nil {
		msg, _ := userMessage(err)
		return response{ack: slackui.Ephemeral(msg)}, nil
	}
	return response{
		ack:   slackui.Ephemeral("Inviting <@" + other + ">…"),
		after: func(ctx context.Context) { b.invite(ctx, cmd.UserID, other, role) },
	}, nil
}

// invite checks the person with Slack, stores the invitation and sends its
// card; the inviter hears how it went by DM.
func (b *Bot) invite(ctx context.Context, by, other string, role assessment.Perspective) {
	inv, err := b.createInvitation(ctx, by, other, role)
	if err != nil {
		msg, known := userMessage(err)
		if !known {
			b.log.Error("invite", slog.String("user", by), slog.Any("error", err))
		}
		b.dm(ctx, by, "I could not invite <@"+other+">: "+msg)
		return
	}
	b.sendInvitation(ctx, inv)
	b.dm(ctx, by, slackui.InvitationSentReply(inv))
}

func (b *Bot) createInvitation(ctx context.Context, by, other string, role assessment.Perspective) (partnership.Invitation, error) {
	u, err := b.people.get(ctx, other)
	if err != nil {
		if se, ok := errors.AsType[slack.SlackErrorResponse](err); ok && se.Err == "user_not_found" {
			return partnership.Invitation{}, partnership.ErrBadID
		}
		return partnership.Invitation{}, err
	}
	return b.svc.Invite(ctx, by, partnership.Person{ID: u.ID, IsBot: u.IsBot, Deleted: u.Deleted}, role)
}

// sendInvitation posts the invitation's card to the invitee and remembers
// it, so that it is updated in place once answered.
func (b *Bot) sendInvitation(ctx context.Context, inv partnership.Invitation) {
	b.log.Info("invitation sent", slog.String("pair", string(inv.Pair)))
	text, blocks := slackui.InvitationMessage(inv)
	ch, ts, ok := b.postRef(ctx, inv.Invitee(), text, blocks)
	if !ok {
		return
	}
	if err := b.svc.SetInvitationCard(ctx, inv, ch, ts); err != nil {
		b.log.Warn("remember invitation card", slog.String("pair", string(inv.Pair)), slog.Any("error", err))
	}
}

// onPairSetup invites from the setup modal; refusals are inline errors on
// the user picker (the users.info lookup rides on the ack, bounded).
func (b *Bot) onPairSetup(ctx context.Context, cb slack.InteractionCallback) (response, error) {
	other, role, errs := slackui.ParsePairSetup(cb.View.State)
	if len(errs) > 0 {
		return response{ack: slack.NewErrorsViewSubmissionResponse(errs)}, nil
	}
	lctx, cancel := context.WithTimeout(ctx, lookupTimeout)
	defer cancel()
	inv, err := b.createInvitation(lctx, cb.User.ID, other, role)
	if err != nil {
		msg, known := userMessage(err)
		if !known {
			b.log.Error("invite", slog.String("user", cb.User.ID), slog.Any("error", err))
		}
		return response{ack: slack.NewErrorsViewSubmissionResponse(map[string]string{slackui.BlockPartner: msg})}, nil
	}
	view := slackui.NoticeView("Invitation sent", slackui.InvitationSentReply(inv))
	return response{ack: slack.NewUpdateViewSubmissionResponse(&view), after: func(ctx context.Context) { b.sendInvitation(ctx, inv) }}, nil
}

// onInvitationAnswer accepts or declines an invitation from its card or the
// Home tab. The value is untrusted: the service checks the presser is the
// invitee.
func (b *Bot) onInvitationAnswer(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction) (response, error) {
	id, _, _, err := partnership.ParsePairID(a.Value)
	if err != nil {
		return response{}, fmt.Errorf("invitation answer %q: %w", truncate(a.Value, 60), err)
	}
	user, now := cb.User.ID, b.clock.Now()
	fromHome := cb.View.Type == slack.VTHomeTab
	if a.ActionID == slackui.ActionInviteDecline {
		inv, err := b.svc.DeclineInvitation(ctx, id, user)
		if err != nil {
			return b.staleInvitation(user, inv, err, fromHome)
		}
		b.log.Info("invitation declined", slog.String("pair", string(inv.Pair)))
		return response{after: func(ctx context.Context) {
			b.answerCard(ctx, inv, slackui.Outcome{What: "Declined", By: user, At: now})
			b.dm(ctx, inv.From, slackui.InvitationDeclinedMessage(inv))
			if fromHome {
				b.publishHome(ctx, user)
			}
		}}, nil
	}
	ans, err := b.svc.AcceptInvitation(ctx, id, user)
	if err != nil {
		return b.staleInvitation(user, ans.Invitation, err, fromHome)
	}
	return response{after: func(ctx context.Context) {
		b.answerCard(ctx, ans.Invitation, slackui.Outcome{What: "Accepted", By: user, At: now})
		if ans.Reverse.Pair != "" {
			b.answerCard(ctx, ans.Reverse, slackui.Outcome{What: "No longer needed: you are partners now", At: now})
		}
		b.announcePair(ctx, ans.Pair)
		if fromHome {
			b.publishHome(ctx, user)
		}
	}}, nil
}

// staleInvitation answers a press on an invitation that cannot be answered
// (any more), kindly, and brings its card up to date when it lapsed.
func (b *Bot) staleInvitation(user string, inv partnership.Invitation, err error, fromHome bool) (response, error) {
	msg, known := userMessage(err)
	if !known {
		b.log.Error("answer invitation", slog.String("user", user), slog.Any("error", err))
	}
	now := b.clock.Now()
	return response{after: func(ctx context.Context) {
		if errors.Is(err, partnership.ErrInvitationGone) && inv.Invitee() == user && inv.Expired(now) {
			b.answerCard(ctx, inv, slackui.Outcome{What: "Expired", At: inv.Expires()})
			msg = "That invitation expired on " + slackui.When(inv.Expires()) + ". Ask <@" + inv.From + "> to send a new one if you would like to pair."
		}
		b.dm(ctx, user, msg)
		if fromHome {
			b.publishHome(ctx, user)
		}
	}}, nil
}

// answerCard replaces an invitation's card with its outcome.
func (b *Bot) answerCard(ctx context.Context, inv partnership.Invitation, o slackui.Outcome) {
	if inv.CardChannel == "" || inv.CardTS == "" {
		return
	}
	text, blocks := slackui.InvitationAnsweredMessage(inv, o)
	b.update(ctx, inv.CardChannel, inv.CardTS, text, blocks)
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
