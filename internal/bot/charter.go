package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"

	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/slackui"
	"github.com/slack-go/slack"
)

const callbackCharter = slackui.CallbackCharter

// charterUsage answers a charter command it cannot read.
const charterUsage = "`" + slackui.Command + " charter` opens your partnership charter to draft or change it; `" +
	slackui.Command + " charter show` shows it; `" + slackui.Command + " charter history` lists its versions (add `@partner` when you have several partnerships)."

// cmdCharter opens the charter form (after the ack), shows the charter,
// or lists its versions.
func (b *Bot) cmdCharter(ctx context.Context, cmd slack.SlashCommand, args []string) (response, error) {
	user := cmd.UserID
	sub := ""
	if len(args) > 0 {
		sub = args[0]
	}
	if sub != "" && sub != "show" && sub != "history" || len(args) > 2 {
		return response{ack: slackui.Ephemeral(charterUsage)}, nil
	}
	p, reply, err := b.charterPair(ctx, user, args)
	if reply != nil || err != nil {
		return response{ack: reply}, err
	}
	switch sub {
	case "history":
		_, c, err := b.svc.Charter(ctx, p.ID, user)
		if err != nil {
			return response{ack: slackui.Ephemeral(b.charterRefusal(user, "load the charter", err))}, nil
		}
		return response{ack: slackui.CharterHistoryReply(p, c, user)}, nil
	case "show":
		return response{after: func(ctx context.Context) { b.openCharterView(ctx, user, cmd.TriggerID, p.ID) }}, nil
	}
	return response{after: func(ctx context.Context) { b.openBuilt(ctx, user, cmd.TriggerID, p.ID, b.charterFormView) }}, nil
}

// charterPair is the pair a charter command is about: the one with the
// partner mentioned after the sub-command, or the user's default. reply
// answers when there is none.
func (b *Bot) charterPair(ctx context.Context, user string, args []string) (partnership.Pair, *slackui.Reply, error) {
	c, err := b.svc.Choices(ctx, user)
	if err != nil {
		return partnership.Pair{}, nil, err
	}
	if len(c.Pairs) == 0 {
		reply, err := b.needPair(ctx, user)
		return partnership.Pair{}, reply, err
	}
	if len(args) < 2 {
		for _, p := range c.Pairs {
			if p.ID == c.Default {
				return p, nil, nil
			}
		}
		return c.Pairs[0], nil, nil
	}
	partner, ok := parseMention(args[1])
	for _, p := range c.Pairs {
		if ok && p.Has(partner) && partner != user {
			return p, nil, nil
		}
	}
	return partnership.Pair{}, slackui.Ephemeral("You have no partnership with that person. " + charterUsage), nil
}

// charterFormView is the charter form for user's chosen pair, filled with
// the latest version.
func (b *Bot) charterFormView(ctx context.Context, user string, pick partnership.PairID) (slack.ModalViewRequest, error) {
	choice, p, err := b.choice(ctx, user, pick)
	if err != nil {
		return slack.ModalViewRequest{}, err
	}
	if p.ID == "" {
		return slack.ModalViewRequest{}, partnership.ErrNoPair
	}
	_, c, err := b.svc.Charter(ctx, p.ID, user)
	if err != nil {
		return slack.ModalViewRequest{}, err
	}
	latest, _ := c.Latest()
	form := slackui.CharterForm{Terms: latest.CharterTerms, Base: latest.Number, State: c.State(p, b.clock.Now())}
	return slackui.CharterModal(p, user, form, choice), nil
}

// openCharterView opens the charter as it stands, if user is in the pair.
func (b *Bot) openCharterView(ctx context.Context, user, trigger string, id partnership.PairID) {
	p, c, err := b.svc.Charter(ctx, id, user)
	if err != nil {
		b.dm(ctx, user, b.charterRefusal(user, "open the charter", err))
		return
	}
	b.openModal(ctx, user, trigger, slackui.CharterView(p, c, user, b.clock.Now()))
}

// charterRefusal is what to tell user when a charter use case refused or
// failed (a failure of ours is logged).
func (b *Bot) charterRefusal(user, what string, err error) string {
	msg, known := userMessage(err)
	if !known {
		b.log.Error(what, slog.String("user", user), slog.Any("error", err))
	} else {
		b.log.Info(what+" refused", slog.String("user", user), slog.String("reason", err.Error()))
	}
	return "I could not " + what + ": " + msg
}

// onCharterSubmit stores a draft of the charter. Parts missing, a refusal
// and a failed save keep the form open with inline errors; a version saved
// meanwhile by the partner redraws the form with it above the user's own
// edits (after the ack: the form is too large for one).
func (b *Bot) onCharterSubmit(ctx context.Context, cb slack.InteractionCallback) (response, error) {
	user := cb.User.ID
	pair, base, err := slackui.ParseCharterMeta(cb.View.PrivateMetadata)
	if err != nil {
		return response{}, fmt.Errorf("charter from %s: %w", user, err)
	}
	terms, errs := slackui.ParseCharter(cb.View.State)
	if len(errs) > 0 {
		return response{ack: slack.NewErrorsViewSubmissionResponse(errs)}, nil
	}
	d, err := b.svc.DraftCharter(ctx, pair, user, base, terms)
	var changed *partnership.CharterChangedError
	var incomplete *partnership.IncompleteCharterError
	switch {
	case errors.As(err, &changed):
		return b.charterChanged(cb, pair, terms, changed.Latest), nil
	case errors.As(err, &incomplete):
		return response{ack: slack.NewErrorsViewSubmissionResponse(slackui.MissingCharterErrors(incomplete.Missing))}, nil
	case err != nil:
		msg, known := userMessage(err)
		if !known {
			b.log.Error("save charter", slog.String("user", user), slog.String("pair", string(pair)), slog.Any("error", err))
			msg = ""
		}
		return response{ack: slack.NewErrorsViewSubmissionResponse(slackui.CharterSaveFailedErrors(msg))}, nil
	}
	b.log.Info("charter drafted", slog.String("pair", string(pair)), slog.Int("version", d.Version.Number),
		slog.Bool("created", d.Created), slog.Bool("accepted", d.Accepted), slog.Bool("retry", d.Retry))
	view := slackui.NoticeView(slackui.CharterSavedText(d))
	now := b.clock.Now()
	return response{ack: slack.NewUpdateViewSubmissionResponse(&view), after: func(ctx context.Context) {
		switch {
		case d.Created:
			b.sendCharterCard(ctx, d.Pair, d.Version)
			if r := d.Replaced; r.Number > 0 {
				b.answerCharterCard(ctx, d.Pair, r, slackui.Outcome{What: "Replaced by version " + strconv.Itoa(d.Version.Number) + ", drafted", By: user, At: now})
			}
		case d.Accepted:
			b.charterAccepted(ctx, partnership.CharterAcceptance{Pair: d.Pair, Version: d.Version, InForce: d.InForce}, user)
		}
	}}, nil
}

// charterChanged keeps the form open (an inline note on the ack) and then
// redraws it with the version saved meanwhile above the user's own edits,
// made from that version: saving again makes the user's the next one.
func (b *Bot) charterChanged(cb slack.InteractionCallback, pair partnership.PairID, mine partnership.CharterTerms, latest partnership.CharterVersion) response {
	user := cb.User.ID
	b.log.Info("charter changed meanwhile", slog.String("pair", string(pair)), slog.Int("latest", latest.Number))
	who := "your partner"
	if latest.DraftedBy == user {
		who = "you (in another form)"
	}
	note := "While you were editing, " + who + " saved version " + strconv.Itoa(latest.Number) + ": it is now shown above your changes, which are not saved yet. Save again to make yours version " +
		strconv.Itoa(latest.Number+1) + "."
	viewID, hash, ext := cb.View.ID, cb.View.Hash, cb.View.ExternalID
	return response{ack: slack.NewErrorsViewSubmissionResponse(slackui.CharterSaveFailedErrors(note)), after: func(ctx context.Context) {
		choice, p, err := b.choice(ctx, user, pair)
		if err == nil && p.ID != pair {
			err = partnership.ErrNotMember
		}
		var c partnership.Charter
		if err == nil {
			_, c, err = b.svc.Charter(ctx, pair, user)
		}
		if err != nil {
			b.log.Warn("redraw charter form", slog.String("user", user), slog.Any("error", err))
			return
		}
		form := slackui.CharterForm{Terms: mine, Base: latest.Number, State: c.State(p, b.clock.Now()), Changed: latest}
		view := slackui.CharterModal(p, user, form, choice)
		view.ExternalID = ext
		if _, err := b.api.UpdateViewContext(ctx, view, "", hash, viewID); err != nil {
			b.log.Warn("redraw charter form", slog.String("user", user), slog.Any("error", err))
		}
	}}
}

// sendCharterCard posts version v's card to the member who has not
// accepted it, and remembers where it is.
func (b *Bot) sendCharterCard(ctx context.Context, p partnership.Pair, v partnership.CharterVersion) {
	to, _ := p.Partner(v.DraftedBy)
	_, c, err := b.svc.Charter(ctx, p.ID, v.DraftedBy)
	if err != nil {
		b.log.Warn("charter card", slog.String("pair", string(p.ID)), slog.Any("error", err))
		return
	}
	inForce, _ := c.InForce()
	text, blocks := slackui.CharterCard(p, v, inForce)
	ch, ts, ok := b.postRef(ctx, to, text, blocks)
	if !ok {
		return
	}
	if err := b.svc.SetCharterCard(ctx, p.ID, v.Number, ch, ts); err != nil {
		b.log.Warn("remember charter card", slog.String("pair", string(p.ID)), slog.Any("error", err))
	}
}

// answerCharterCard replaces version v's card with its outcome.
func (b *Bot) answerCharterCard(ctx context.Context, p partnership.Pair, v partnership.CharterVersion, o slackui.Outcome) {
	if v.CardChannel == "" || v.CardTS == "" {
		return
	}
	text, blocks := slackui.CharterCardAnswered(p, v, o)
	b.update(ctx, v.CardChannel, v.CardTS, text, blocks)
}

// charterAccepted updates the card of the version by accepted and tells
// its drafter.
func (b *Bot) charterAccepted(ctx context.Context, a partnership.CharterAcceptance, by string) {
	what := "Accepted"
	if a.InForce {
		what = "In force: accepted"
	}
	o := slackui.Outcome{What: what, By: by}
	if t, ok := a.Version.AcceptedBy(by); ok {
		o.At = t
	}
	b.answerCharterCard(ctx, a.Pair, a.Version, o)
	if a.Version.DraftedBy != by {
		b.dm(ctx, a.Version.DraftedBy, slackui.CharterAcceptedMessage(a, by))
	}
}

// onCharterAccept accepts a version from its card, the charter view or
// Home. The value is untrusted: the service checks the presser is a member.
func (b *Bot) onCharterAccept(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction) (response, error) {
	pair, n, err := slackui.ParseCharterRef(a.Value)
	if err != nil {
		return response{}, fmt.Errorf("charter accept: %w", err)
	}
	user := cb.User.ID
	acc, err := b.svc.AcceptCharter(ctx, pair, user, n)
	if err != nil {
		msg := b.charterRefusal(user, "accept that charter", err)
		return response{after: func(ctx context.Context) {
			b.dm(ctx, user, msg+" `"+slackui.Command+" charter show` shows where it stands.")
			b.refreshCharter(ctx, cb, user)
		}}, nil
	}
	b.log.Info("charter accepted", slog.String("pair", string(pair)), slog.Int("version", n), slog.Bool("in_force", acc.InForce), slog.Bool("already", acc.Already))
	if acc.Version.CardTS == "" && cb.Container.Type == "message" && a.BlockID == slackui.BlockCharterCard+":"+a.Value {
		// Pressed on the card before the bot recorded where it is.
		acc.Version.CardChannel, acc.Version.CardTS = cb.Container.ChannelID, cb.Container.MessageTs
	}
	return response{after: func(ctx context.Context) {
		if acc.Already {
			b.dm(ctx, user, "You had accepted version "+strconv.Itoa(n)+" of your charter already.")
		} else {
			b.charterAccepted(ctx, acc, user)
			b.dm(ctx, user, "You accepted version "+strconv.Itoa(n)+" of your partnership charter: it is in force now.")
		}
		b.refreshCharter(ctx, cb, user)
	}}, nil
}

// refreshCharter redraws what the press came from: the Home tab, or the
// charter view.
func (b *Bot) refreshCharter(ctx context.Context, cb slack.InteractionCallback, user string) {
	switch {
	case cb.View.Type == slack.VTHomeTab:
		b.publishHome(ctx, user)
	case cb.View.CallbackID == slackui.CallbackCharterView:
		pair, _, _, err := partnership.ParsePairID(cb.View.PrivateMetadata)
		if err != nil {
			return
		}
		p, c, err := b.svc.Charter(ctx, pair, user)
		if err != nil {
			return
		}
		view := slackui.CharterView(p, c, user, b.clock.Now())
		view.ExternalID = cb.View.ExternalID
		if _, err := b.api.UpdateViewContext(ctx, view, "", cb.View.Hash, cb.View.ID); err != nil {
			b.log.Warn("redraw charter view", slog.String("user", user), slog.Any("error", err))
		}
	}
}

// onCharterReview opens the form for the pair named (Review first…,
// Review, Draft the charter), if the presser is in it.
func (b *Bot) onCharterReview(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction) (response, error) {
	pair, _, err := slackui.ParseCharterRef(a.Value)
	if err != nil {
		return response{}, fmt.Errorf("charter review: %w", err)
	}
	user := cb.User.ID
	if _, err := b.svc.Pair(ctx, pair, user); err != nil {
		msg := b.charterRefusal(user, "open that charter", err)
		return response{after: func(ctx context.Context) { b.dm(ctx, user, msg) }}, nil
	}
	return response{after: func(ctx context.Context) { b.openBuilt(ctx, user, cb.TriggerID, pair, b.charterFormView) }}, nil
}

// onCharterOpen opens the charter view for the pair named.
func (b *Bot) onCharterOpen(_ context.Context, cb slack.InteractionCallback, a *slack.BlockAction) (response, error) {
	pair, _, err := slackui.ParseCharterRef(a.Value)
	if err != nil {
		return response{}, fmt.Errorf("charter open: %w", err)
	}
	return response{after: func(ctx context.Context) { b.openCharterView(ctx, cb.User.ID, cb.TriggerID, pair) }}, nil
}

// onCharterStillHolds records that the presser reviewed the charter in
// force and it still holds; the partner is asked to confirm too, and both
// hear when the review is done.
func (b *Bot) onCharterStillHolds(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction) (response, error) {
	pair, _, err := slackui.ParseCharterRef(a.Value)
	if err != nil {
		return response{}, fmt.Errorf("charter still holds: %w", err)
	}
	user := cb.User.ID
	r, err := b.svc.ConfirmCharterReview(ctx, pair, user)
	if err != nil {
		msg := b.charterRefusal(user, "record that review", err)
		if errors.Is(err, partnership.ErrReviewNotDue) && !r.Next.IsZero() {
			msg += " The next one is due by " + slackui.When(r.Next) + "."
		}
		return response{after: func(ctx context.Context) { b.dm(ctx, user, msg); b.refreshCharter(ctx, cb, user) }}, nil
	}
	b.log.Info("charter reviewed", slog.String("pair", string(pair)), slog.Bool("done", r.Done), slog.Bool("already", r.Already))
	return response{after: func(ctx context.Context) {
		text, blocks := slackui.CharterReviewMessage(r, user)
		switch {
		case r.Done:
			for _, u := range []string{r.Pair.Assistant, r.Pair.Executive} {
				b.post(ctx, u, text, blocks)
			}
		case r.Already:
			b.dm(ctx, user, "You confirmed it already; the review waits for <@"+r.Waiting+">.")
		default:
			b.post(ctx, r.Waiting, text, blocks)
			b.dm(ctx, user, "Noted: version "+strconv.Itoa(r.Version.Number)+" still holds for you. The review is done once <@"+r.Waiting+"> confirms too.")
		}
		b.refreshCharter(ctx, cb, user)
	}}, nil
}
