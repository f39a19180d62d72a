package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/slackui"
	"github.com/slack-go/slack"
)

// The roadmap opens as a modal (`roadmap`); its buttons redraw that modal
// in place as the goal, status or win form, and saving one brings the
// roadmap back. From the Home tab the same forms open on their own and
// saving republishes Home. Every button value and private_metadata is
// untrusted: the use cases check membership.

// shortcutFunc handles a message shortcut (message_action).
type shortcutFunc func(ctx context.Context, cb slack.InteractionCallback) (response, error)

// Shortcuts lists the message shortcuts the bot handles, by callback_id:
// the app manifest must declare each.
func (b *Bot) Shortcuts() []string { return slices.Sorted(maps.Keys(b.shortcuts)) }

// goalError is what to tell a user about a roadmap use case's error: the
// domain's words for a refusal (logged as such), "try again" for a
// failure (logged as one). A form says failed instead, when it failed.
func (b *Bot) goalError(what, user string, err error, failed ...string) string {
	msg, known := userMessage(err)
	if !known {
		b.log.Error(what, slog.String("user", user), slog.Any("error", err))
		if len(failed) > 0 {
			return failed[0]
		}
		return msg
	}
	b.log.Info(what+" refused", slog.String("user", user), slog.String("reason", err.Error()))
	return msg
}

// msgNotSaved is a form's answer when saving failed on our side.
const msgNotSaved = "Could not save, please try again. What you typed is still here."

// inModal reports whether an action was pressed in a modal the bot
// opened for its presser, which may be redrawn in place.
func (b *Bot) inModal(ctx context.Context, cb slack.InteractionCallback) bool {
	if cb.View.Type != slack.VTModal || cb.View.ID == "" {
		return false
	}
	own, err := b.ownsView(ctx, cb.User.ID, cb.View.ExternalID)
	if err != nil {
		b.log.Warn("modal ownership", slog.String("user", cb.User.ID), slog.Any("error", err))
	}
	return own
}

// show puts view up for user: in place of the modal viewID (keeping its
// external_id, which says whose it is), or as a new modal.
func (b *Bot) show(ctx context.Context, user, trigger, viewID, externalID string, view slack.ModalViewRequest) {
	if viewID == "" {
		b.openModal(ctx, user, trigger, view)
		return
	}
	view.ExternalID = externalID
	if _, err := b.api.UpdateViewContext(ctx, view, "", "", viewID); err != nil {
		b.log.Warn("redraw modal", slog.String("user", user), slog.String("callback_id", view.CallbackID), slog.Any("error", err))
	}
}

// place is where an action's answer goes: the modal it was pressed in,
// or a new one.
func (b *Bot) place(ctx context.Context, cb slack.InteractionCallback) (viewID, externalID string) {
	if b.inModal(ctx, cb) {
		return cb.View.ID, cb.View.ExternalID
	}
	return "", ""
}

// build shows the view built for user, or tells them why not.
func (b *Bot) build(ctx context.Context, user, trigger, viewID, externalID string, build func(ctx context.Context) (slack.ModalViewRequest, error)) {
	view, err := build(ctx)
	if err != nil {
		msg, known := userMessage(err)
		if !known {
			b.log.Error("build roadmap view", slog.String("user", user), slog.Any("error", err))
		}
		if viewID == "" && trigger != "" {
			b.openModal(ctx, user, trigger, slackui.NoticeView("Roadmap", msg))
			return
		}
		b.dm(ctx, user, "I could not open that: "+msg)
		return
	}
	b.show(ctx, user, trigger, viewID, externalID, view)
}

// cmdRoadmap opens the roadmap of the caller's partnership: the one with
// the person mentioned, or their default.
func (b *Bot) cmdRoadmap(ctx context.Context, cmd slack.SlashCommand, args []string) (response, error) {
	user := cmd.UserID
	if reply, err := b.needPair(ctx, user); reply != nil || err != nil {
		return response{ack: reply}, err
	}
	var pick partnership.PairID
	if len(args) > 0 {
		other, ok := parseMention(args[0])
		c, err := b.svc.Choices(ctx, user)
		if err != nil {
			return response{}, err
		}
		for _, p := range c.Pairs {
			if partner, _ := p.Partner(user); ok && partner == other {
				pick = p.ID
			}
		}
		if pick == "" {
			return response{ack: slackui.Ephemeral("You are not in a partnership with them. `" + slackui.Command + " roadmap` shows your current one.")}, nil
		}
	}
	return response{after: func(ctx context.Context) {
		b.build(ctx, user, cmd.TriggerID, "", "", func(ctx context.Context) (slack.ModalViewRequest, error) { return b.roadmapView(ctx, user, pick) })
	}}, nil
}

// roadmapView is the roadmap modal for user's pair pick (or their default).
func (b *Bot) roadmapView(ctx context.Context, user string, pick partnership.PairID) (slack.ModalViewRequest, error) {
	c, r, err := b.chosenRoadmap(ctx, user, pick)
	if err != nil {
		return slack.ModalViewRequest{}, err
	}
	ideas, err := b.svc.Ideas(ctx, r.Pair.ID, user)
	if err != nil {
		return slack.ModalViewRequest{}, err
	}
	return slackui.RoadmapModal(slackui.RoadmapPage{Roadmap: r, Viewer: user, Choice: c, Ideas: ideas, Now: b.clock.Now()}), nil
}

// chosenRoadmap is the roadmap of user's pair pick (or their default),
// with the choice of pairs for a modal.
func (b *Bot) chosenRoadmap(ctx context.Context, user string, pick partnership.PairID) (slackui.PairChoice, partnership.Roadmap, error) {
	c, p, err := b.choice(ctx, user, pick)
	if err != nil {
		return c, partnership.Roadmap{}, err
	}
	if p.ID == "" {
		return c, partnership.Roadmap{}, partnership.ErrNoPair
	}
	r, err := b.svc.Roadmap(ctx, p.ID, user)
	return c, r, err
}

// owners are the pair's members as the goal form offers them, the user
// first.
func (b *Bot) owners(ctx context.Context, p partnership.Pair, user string) []slackui.OwnerOption {
	partner, _ := p.Partner(user)
	return []slackui.OwnerOption{
		{ID: user, Label: "Me (" + b.people.name(ctx, user) + ")"},
		{ID: partner, Label: b.people.name(ctx, partner)},
	}
}

// goalAddView is the goal form for a new goal in user's pair pick: in Now
// while there is room, else in Next; owned by the user.
func (b *Bot) goalAddView(ctx context.Context, user string, pick partnership.PairID, back bool) (slack.ModalViewRequest, error) {
	c, r, err := b.chosenRoadmap(ctx, user, pick)
	if err != nil {
		return slack.ModalViewRequest{}, err
	}
	p := r.Pair
	stage := partnership.StageNow
	if len(r.Column(partnership.StageNow)) >= partnership.MaxNow {
		stage = partnership.StageNext
	}
	return slackui.GoalModal(slackui.GoalForm{Choice: c, Pair: p.ID, Owners: b.owners(ctx, p, user), Stage: stage, Owner: user, Back: back}), nil
}

// onGoalAdd opens the goal form (Add a goal), in place of the roadmap.
func (b *Bot) onGoalAdd(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction) (response, error) {
	user := cb.User.ID
	pick, _, _, err := partnership.ParsePairID(a.Value)
	if err != nil {
		return response{}, fmt.Errorf("add goal with value %q: %w", truncate(a.Value, 60), err)
	}
	if _, err := b.svc.Pair(ctx, pick, user); err != nil {
		msg, _ := userMessage(err)
		return response{after: func(ctx context.Context) { b.dm(ctx, user, "I could not add a goal there: "+msg) }}, nil
	}
	viewID, ext := b.place(ctx, cb)
	return response{after: func(ctx context.Context) {
		b.build(ctx, user, cb.TriggerID, viewID, ext, func(ctx context.Context) (slack.ModalViewRequest, error) {
			return b.goalAddView(ctx, user, pick, viewID != "")
		})
	}}, nil
}

// goalFromButton loads the goal a button names, for its presser.
func (b *Bot) goalFromButton(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction) (partnership.Goal, *response, error) {
	pair, goalID, err := slackui.ParseGoalRef(a.Value)
	if err != nil {
		return partnership.Goal{}, nil, fmt.Errorf("goal button %s: %w", a.ActionID, err)
	}
	user := cb.User.ID
	g, err := b.svc.Goal(ctx, pair, goalID, user)
	if err != nil {
		msg := b.goalError("goal button", user, err)
		return partnership.Goal{}, &response{after: func(ctx context.Context) { b.dm(ctx, user, "I could not open that goal: "+msg) }}, nil
	}
	return g, nil, nil
}

// onGoalUpdate opens a goal's status form (its Update… button): in place
// of the roadmap, or on its own from the Home tab.
func (b *Bot) onGoalUpdate(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction) (response, error) {
	g, refused, err := b.goalFromButton(ctx, cb, a)
	if refused != nil || err != nil {
		return deref(refused), err
	}
	viewID, ext := b.place(ctx, cb)
	view := slackui.GoalStatusModal(slackui.GoalStatusForm{Goal: g, Back: viewID != "", Now: b.clock.Now()})
	return response{after: func(ctx context.Context) { b.show(ctx, cb.User.ID, cb.TriggerID, viewID, ext, view) }}, nil
}

func deref(r *response) response {
	if r == nil {
		return response{}
	}
	return *r
}

// onGoalEdit turns the status form into the goal's edit form.
func (b *Bot) onGoalEdit(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction) (response, error) {
	g, refused, err := b.goalFromButton(ctx, cb, a)
	if refused != nil || err != nil {
		return deref(refused), err
	}
	user := cb.User.ID
	meta, _ := slackui.ParseGoalMeta(cb.View.PrivateMetadata)
	viewID, ext := b.place(ctx, cb)
	return response{after: func(ctx context.Context) {
		p, err := b.svc.Pair(ctx, g.PairID, user)
		if err != nil {
			b.dm(ctx, user, "I could not open that goal: "+b.goalError("edit goal", user, err))
			return
		}
		view := slackui.GoalModal(slackui.GoalForm{Pair: p.ID, Goal: g, Owners: b.owners(ctx, p, user), Back: meta.Back && viewID != ""})
		b.show(ctx, user, cb.TriggerID, viewID, ext, view)
	}}, nil
}

// saved closes a saved form: back to the roadmap it replaced (a short
// notice in the ack, then the roadmap by views.update: a roadmap can be
// larger than an ack may be), or closed, with the Home tab republished.
func (b *Bot) saved(ctx context.Context, cb slack.InteractionCallback, pair partnership.PairID, back bool, then func(ctx context.Context)) response {
	user := cb.User.ID
	if !back {
		return response{after: func(ctx context.Context) {
			if then != nil {
				then(ctx)
			}
			b.publishHome(ctx, user)
		}}
	}
	// The roadmap comes back in the ack itself when it fits: an ack that
	// showed a notice, followed by views.update, could be applied after
	// the update (the two travel apart) and leave the notice.
	if view, err := b.roadmapView(ctx, user, pair); err == nil {
		view.ExternalID = cb.View.ExternalID
		if js, err := json.Marshal(view); err == nil && len(js) < maxAckView {
			return response{ack: slack.NewUpdateViewSubmissionResponse(&view), after: then}
		}
	}
	notice := slackui.NoticeView("Roadmap", "Saved. Your roadmap is on its way…")
	notice.ExternalID = cb.View.ExternalID
	return response{
		ack: slack.NewUpdateViewSubmissionResponse(&notice),
		after: func(ctx context.Context) {
			if then != nil {
				then(ctx)
			}
			b.build(ctx, user, "", cb.View.ID, cb.View.ExternalID, func(ctx context.Context) (slack.ModalViewRequest, error) {
				return b.roadmapView(ctx, user, pair)
			})
		},
	}
}

// maxAckView bounds a view sent in an ack: Slack drops acks of 20 KB or
// more, with the rest of the ack around it.
const maxAckView = 16_000

// onGoalSubmit saves the goal form: a new goal, or an edit of the one it
// showed (refused if that goal changed since). A fourth goal in Now is an
// inline error on the stage.
func (b *Bot) onGoalSubmit(ctx context.Context, cb slack.InteractionCallback) (response, error) {
	meta, err := slackui.ParseGoalMeta(cb.View.PrivateMetadata)
	if err != nil {
		return response{}, fmt.Errorf("goal form from %s: %w", cb.User.ID, err)
	}
	d, errs := slackui.ParseGoalForm(cb.View.State)
	if len(errs) > 0 {
		return response{ack: slack.NewErrorsViewSubmissionResponse(errs)}, nil
	}
	user := cb.User.ID
	if meta.GoalID == "" {
		_, err = b.svc.AddGoal(ctx, meta.Pair, user, d)
	} else {
		_, err = b.svc.EditGoal(ctx, meta.Pair, meta.GoalID, user, meta.Rev, d)
	}
	if err != nil {
		msg := b.goalError("save goal", user, err, msgNotSaved)
		if errs = slackui.GoalErrors(err, msg); errs == nil {
			errs = map[string]string{slackui.BlockGoalTitle: msg}
		}
		return response{ack: slack.NewErrorsViewSubmissionResponse(errs)}, nil
	}
	b.log.Info("goal saved", slog.String("user", user), slog.String("pair", string(meta.Pair)))
	return b.saved(ctx, cb, meta.Pair, meta.Back, nil), nil
}

// onGoalStatusSubmit saves the status form: stage, status and note, if the
// goal is still as the form showed it.
func (b *Bot) onGoalStatusSubmit(ctx context.Context, cb slack.InteractionCallback) (response, error) {
	meta, err := slackui.ParseGoalMeta(cb.View.PrivateMetadata)
	if err != nil || meta.GoalID == "" {
		return response{}, fmt.Errorf("status form from %s: %w", cb.User.ID, errors.Join(err, slackui.ErrBadMetadata))
	}
	u, errs := slackui.ParseGoalUpdate(cb.View.State)
	if len(errs) > 0 {
		return response{ack: slack.NewErrorsViewSubmissionResponse(errs)}, nil
	}
	user := cb.User.ID
	if _, err := b.svc.UpdateGoal(ctx, meta.Pair, meta.GoalID, user, meta.Rev, u); err != nil {
		msg := b.goalError("update goal", user, err, msgNotSaved)
		if errs = slackui.GoalErrors(err, msg); errs == nil {
			errs = map[string]string{slackui.BlockGoalStatus: msg}
		}
		return response{ack: slack.NewErrorsViewSubmissionResponse(errs)}, nil
	}
	b.log.Info("goal updated", slog.String("user", user), slog.String("pair", string(meta.Pair)))
	return b.saved(ctx, cb, meta.Pair, meta.Back, nil), nil
}

// assistantChoice is the pairs user is the assistant of (the only ones
// they log wins in), with pick preselected, or the default, or the first.
func (b *Bot) assistantChoice(ctx context.Context, user string, pick partnership.PairID) (slackui.PairChoice, partnership.Pair, error) {
	all, _, err := b.choice(ctx, user, pick)
	if err != nil {
		return slackui.PairChoice{}, partnership.Pair{}, err
	}
	c, err := b.svc.Choices(ctx, user)
	if err != nil {
		return slackui.PairChoice{}, partnership.Pair{}, err
	}
	if len(c.Pairs) == 0 {
		return slackui.PairChoice{}, partnership.Pair{}, partnership.ErrNoPair
	}
	mine := map[partnership.PairID]partnership.Pair{}
	for _, p := range c.Pairs {
		if p.Assistant == user {
			mine[p.ID] = p
		}
	}
	if len(mine) == 0 {
		return slackui.PairChoice{}, partnership.Pair{}, partnership.ErrNotAssistant
	}
	var out slackui.PairChoice
	for _, o := range all.Options {
		if _, ok := mine[o.ID]; ok {
			out.Options = append(out.Options, o)
		}
	}
	for _, id := range []partnership.PairID{all.Selected, c.Default, out.Options[0].ID} {
		if p, ok := mine[id]; ok {
			out.Selected = id
			return out, p, nil
		}
	}
	return out, partnership.Pair{}, partnership.ErrNotAssistant
}

// winView is the win form for user, about pick (or their default pair
// they are the assistant of), from the message src (zero when typed).
func (b *Bot) winView(ctx context.Context, user string, pick partnership.PairID, src partnership.WinSource, back bool) (slack.ModalViewRequest, error) {
	c, p, err := b.assistantChoice(ctx, user, pick)
	if err != nil {
		return slack.ModalViewRequest{}, err
	}
	r, err := b.svc.Roadmap(ctx, p.ID, user)
	if err != nil {
		return slack.ModalViewRequest{}, err
	}
	return slackui.WinModal(slackui.WinForm{Choice: c, Goals: r.Goals, Source: src, Back: back}), nil
}

// onWinLog opens the win form: from the roadmap (in place, its value the
// pair) or the Home tab (value "", the default pair).
func (b *Bot) onWinLog(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction) (response, error) {
	user := cb.User.ID
	var pick partnership.PairID
	if a.Value != "" {
		id, _, _, err := partnership.ParsePairID(a.Value)
		if err != nil {
			return response{}, fmt.Errorf("log a win with value %q: %w", truncate(a.Value, 60), err)
		}
		pick = id
	}
	viewID, ext := b.place(ctx, cb)
	return response{after: func(ctx context.Context) {
		b.build(ctx, user, cb.TriggerID, viewID, ext, func(ctx context.Context) (slack.ModalViewRequest, error) {
			return b.winView(ctx, user, pick, partnership.WinSource{}, viewID != "")
		})
	}}, nil
}

// onLogWinShortcut opens the win form for a message (the "Log as a win"
// shortcut): it links to the message and copies none of its text.
func (b *Bot) onLogWinShortcut(_ context.Context, cb slack.InteractionCallback) (response, error) {
	user := cb.User.ID
	ts := cb.MessageTs
	if ts == "" {
		ts = cb.Message.Timestamp
	}
	src, ok := slackui.MessageSource(cb.Team.Domain, cb.Channel.ID, ts)
	if !ok {
		b.log.Info("shortcut without a message link", slog.String("user", user))
	}
	return response{after: func(ctx context.Context) {
		b.build(ctx, user, cb.TriggerID, "", "", func(ctx context.Context) (slack.ModalViewRequest, error) {
			return b.winView(ctx, user, "", src, false)
		})
	}}, nil
}

// onWinSubmit logs the win from the form; a win too long is an inline
// error saying the limit. A retried submission logs it once.
func (b *Bot) onWinSubmit(ctx context.Context, cb slack.InteractionCallback) (response, error) {
	meta, err := slackui.ParseWinMeta(cb.View.PrivateMetadata)
	if err != nil {
		return response{}, fmt.Errorf("win form from %s: %w", cb.User.ID, err)
	}
	text, goalID, errs := slackui.ParseWinForm(cb.View.State)
	if len(errs) > 0 {
		return response{ack: slack.NewErrorsViewSubmissionResponse(errs)}, nil
	}
	user := cb.User.ID
	w, err := b.svc.LogWin(ctx, meta.Pair, user, partnership.WinDraft{Text: text, GoalID: goalID, Source: meta.Source(), Key: cb.View.ID})
	if err != nil {
		block := slackui.BlockWinText
		if errors.Is(err, partnership.ErrGoalNotFound) {
			block = slackui.BlockWinGoal
		}
		return response{ack: slack.NewErrorsViewSubmissionResponse(map[string]string{block: b.goalError("log win", user, err, msgNotSaved)})}, nil
	}
	b.log.Info("win logged", slog.String("user", user), slog.String("pair", string(w.PairID)), slog.Bool("from_message", w.Source.TS != ""))
	return b.saved(ctx, cb, meta.Pair, meta.Back, func(ctx context.Context) {
		var g partnership.Goal
		if w.GoalID != "" {
			g, _ = b.svc.Goal(ctx, w.PairID, w.GoalID, user)
		}
		text, blocks := slackui.WinLoggedMessage(w, g)
		b.post(ctx, user, text, blocks)
	}), nil
}

// cmdWin logs `win <text>` in the caller's partnership (the default one
// they are the assistant of), tied to other; the reply offers to tie it
// to a goal in Now.
func (b *Bot) cmdWin(ctx context.Context, cmd slack.SlashCommand, _ []string) (response, error) {
	user := cmd.UserID
	raw := commandRest(cmd.Text)
	if strings.TrimSpace(raw) == "" {
		return response{ack: slackui.Ephemeral(winUsage)}, nil
	}
	text, n, err := partnership.CleanWinText(plainCommandText(raw))
	switch {
	case errors.Is(err, partnership.ErrWinTooLong):
		return response{ack: slackui.Ephemeral(slackui.WinTooLong(n))}, nil
	case err != nil:
		return response{ack: slackui.Ephemeral(winUsage)}, nil
	}
	if reply, err := b.needPair(ctx, user); reply != nil || err != nil {
		return response{ack: reply}, err
	}
	c, err := b.svc.Choices(ctx, user)
	if err != nil {
		return response{}, err
	}
	p, ok := assistantPair(c, user)
	if !ok {
		return response{ack: slackui.Ephemeral(slackui.NoWinsText)}, nil
	}
	w, err := b.svc.LogWin(ctx, p.ID, user, partnership.WinDraft{Text: text, Key: "cmd:" + cmd.TriggerID})
	if err != nil {
		return response{ack: slackui.Ephemeral(b.goalError("log win", user, err))}, nil
	}
	r, err := b.svc.Roadmap(ctx, p.ID, user)
	if err != nil {
		b.log.Warn("roadmap for a win's reply", slog.String("user", user), slog.Any("error", err))
	}
	b.log.Info("win logged", slog.String("user", user), slog.String("pair", string(p.ID)), slog.Bool("from_message", false))
	return response{ack: slackui.WinLoggedReply(w, p, r.Column(partnership.StageNow))}, nil
}

// winUsage answers `win` without a win.
const winUsage = "Say what you accomplished: `" + slackui.Command + " win Booked the offsite venue under budget`. Or use *Log as a win* on any message."

// assistantPair is the user's default pair if they are its assistant,
// else the first they are the assistant of.
func assistantPair(c partnership.Choice, user string) (partnership.Pair, bool) {
	var first partnership.Pair
	for _, p := range c.Pairs {
		if p.Assistant != user {
			continue
		}
		if p.ID == c.Default {
			return p, true
		}
		if first.ID == "" {
			first = p
		}
	}
	return first, first.ID != ""
}

// commandRest is a command's text after its sub-command, as typed.
func commandRest(text string) string {
	text = strings.TrimLeft(text, " \t\n")
	if i := strings.IndexAny(text, " \t\n"); i >= 0 {
		return text[i+1:]
	}
	return ""
}

// plainCommandText undoes what Slack does to a slash command's text: its
// mentions, channels and links back to what the user saw (@name, #name,
// the link's label), and &amp; &lt; &gt; back to & < >, so that the text
// is stored as typed (and escaped where it is shown).
func plainCommandText(s string) string {
	var sb strings.Builder
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			break
		}
		sb.WriteString(s[:i])
		inner := s[i+1 : i+j]
		target, label, hasLabel := strings.Cut(inner, "|")
		switch {
		case strings.HasPrefix(target, "@"):
			sb.WriteString("@" + orElse(label, hasLabel, "someone"))
		case strings.HasPrefix(target, "#"):
			sb.WriteString("#" + orElse(label, hasLabel, "channel"))
		case strings.HasPrefix(target, "!"):
			sb.WriteString("@" + strings.TrimPrefix(orElse(label, hasLabel, target[1:]), "@"))
		default:
			sb.WriteString(orElse(label, hasLabel, target))
		}
		s = s[i+j+1:]
	}
	sb.WriteString(s)
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(sb.String())
}

func orElse(label string, ok bool, otherwise string) string {
	if ok && label != "" {
		return label
	}
	return otherwise
}

// winTooLong answers a `win` longer than a slash command may be here.
func winTooLong(text string) *slackui.Reply {
	return slackui.Ephemeral(slackui.WinTooLong(utf8.RuneCountInString(strings.TrimSpace(plainCommandText(commandRest(text))))))
}

// onWinTie ties a win logged by command to a goal in Now.
func (b *Bot) onWinTie(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction) (response, error) {
	pair, winID, goalID, err := slackui.ParseWinTie(a.Value)
	if err != nil {
		return response{}, fmt.Errorf("tie win: %w", err)
	}
	user := cb.User.ID
	_, g, err := b.svc.TieWin(ctx, pair, winID, user, goalID)
	if err != nil {
		msg := b.goalError("tie win", user, err)
		return response{after: func(ctx context.Context) { b.tell(ctx, user, cb.ResponseURL, "I could not tie that win: "+msg) }}, nil
	}
	return response{after: func(ctx context.Context) { b.tell(ctx, user, cb.ResponseURL, slackui.WinTiedText(g)) }}, nil
}

// onMakeGoal makes a Next Steps line or an acknowledged wish a goal (Make
// it a goal): in the roadmap, which is redrawn with it; elsewhere (a wish
// card, the Next Steps message) with a word of where it went.
func (b *Bot) onMakeGoal(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction) (response, error) {
	idea, err := slackui.ParseIdea(a.Value)
	if err != nil {
		return response{}, fmt.Errorf("make goal: %w", err)
	}
	user := cb.User.ID
	g, created, err := b.svc.GoalFromIdea(ctx, user, idea)
	if err != nil {
		msg := b.goalError("make goal", user, err)
		return response{after: func(ctx context.Context) { b.tell(ctx, user, cb.ResponseURL, "I could not make that a goal: "+msg) }}, nil
	}
	b.log.Info("goal made", slog.String("user", user), slog.String("pair", string(g.PairID)), slog.Bool("created", created), slog.Bool("from_wish", idea.WishID != ""))
	viewID, ext := b.place(ctx, cb)
	return response{after: func(ctx context.Context) {
		if viewID != "" && cb.View.CallbackID == slackui.CallbackRoadmap {
			b.build(ctx, user, "", viewID, ext, func(ctx context.Context) (slack.ModalViewRequest, error) { return b.roadmapView(ctx, user, g.PairID) })
			return
		}
		b.tell(ctx, user, cb.ResponseURL, slackui.GoalMadeText(g, created))
	}}, nil
}

// repick redraws a roadmap modal for the pair just picked in it: the
// roadmap, the goal form (adding) or the win form, keeping what the form
// carries. ok is false for a modal that is not the roadmap's.
func (b *Bot) repick(ctx context.Context, user string, pick partnership.PairID, callback, metadata string) (view slack.ModalViewRequest, ok bool, err error) {
	switch callback {
	case slackui.CallbackRoadmap:
		view, err = b.roadmapView(ctx, user, pick)
	case slackui.CallbackGoal:
		meta, _ := slackui.ParseGoalMeta(metadata)
		view, err = b.goalAddView(ctx, user, pick, meta.Back)
	case slackui.CallbackWin:
		meta, _ := slackui.ParseWinMeta(metadata)
		view, err = b.winView(ctx, user, pick, meta.Source(), meta.Back)
	default:
		return view, false, nil
	}
	return view, true, err
}
