package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/slackui"
	"github.com/slack-go/slack"
)

const (
	callbackAssess      = slackui.CallbackAssess
	callbackPairSetup   = slackui.CallbackPairSetup
	callbackNextSteps   = slackui.CallbackNextSteps
	callbackWishDecline = slackui.CallbackWishDecline
	callbackDeleteData  = slackui.CallbackDeleteData

	actionPairSelect    = slackui.ActionPairSelect
	actionPairLeave     = slackui.ActionPairLeave
	actionWishAck       = slackui.ActionWishAck
	actionWishDone      = slackui.ActionWishDone
	actionWishDecline   = slackui.ActionWishDecline
	actionHomeAssess    = slackui.ActionHomeAssess
	actionHomeNextSteps = slackui.ActionHomeNextSteps
	actionHomePair      = slackui.ActionHomePair
)

// historyLimit is how many results /partner-assess history shows.
const historyLimit = 20

func (b *Bot) cmdHelp(context.Context, slack.SlashCommand, []string) (response, error) {
	return response{ack: slackui.HelpReply("", b.clock.Now())}, nil
}

// cmdAssess opens the assessment modal. The ack goes first; the trigger_id
// stays valid for 3 s, ample for one Redis read and views.open.
func (b *Bot) cmdAssess(_ context.Context, cmd slack.SlashCommand, _ []string) (response, error) {
	return response{after: func(ctx context.Context) { b.openAssessment(ctx, cmd.UserID, cmd.TriggerID) }}, nil
}

func (b *Bot) openAssessment(ctx context.Context, user, trigger string) {
	b.openBuilt(ctx, user, trigger, "", b.assessmentView)
}

// viewBuilder builds a modal for user about pick ("" for their default pair).
type viewBuilder func(ctx context.Context, user string, pick partnership.PairID) (slack.ModalViewRequest, error)

// openBuilt builds a modal and opens it; a failure is told to the user.
func (b *Bot) openBuilt(ctx context.Context, user, trigger string, pick partnership.PairID, build viewBuilder) {
	view, err := build(ctx, user, pick)
	if err != nil {
		b.log.Error("build modal", slog.String("user", user), slog.Any("error", err))
		msg, _ := userMessage(err)
		b.dm(ctx, user, "I could not open that form: "+msg)
		return
	}
	b.openModal(ctx, user, trigger, view)
}

// choice lists the user's pairs for a modal, with pick preselected (or the
// remembered default when pick is empty).
func (b *Bot) choice(ctx context.Context, user string, pick partnership.PairID) (slackui.PairChoice, partnership.Pair, error) {
	c, err := b.svc.Choices(ctx, user)
	if err != nil {
		return slackui.PairChoice{}, partnership.Pair{}, err
	}
	if pick == "" {
		pick = c.Default
	}
	out := slackui.PairChoice{}
	var chosen partnership.Pair
	for _, p := range c.Pairs {
		partner, _ := p.Partner(user)
		label := "With " + b.people.name(ctx, partner)
		if len(c.Pairs) > 1 {
			label += " (you are the " + string(p.Perspective(user)) + ")"
		}
		out.Options = append(out.Options, slackui.PairOption{ID: p.ID, Label: label})
		if p.ID == pick {
			chosen = p
		}
	}
	if chosen.ID == "" && len(c.Pairs) > 0 {
		chosen = c.Pairs[0]
	}
	out.Selected = chosen.ID
	return out, chosen, nil
}

// assessmentView is the modal for user, about pick (or their default pair,
// or no pair), from their side of that pair.
func (b *Bot) assessmentView(ctx context.Context, user string, pick partnership.PairID) (slack.ModalViewRequest, error) {
	c, p, err := b.choice(ctx, user, pick)
	if err != nil {
		return slack.ModalViewRequest{}, err
	}
	perspective := assessment.Assistant
	if p.ID != "" {
		perspective = p.Perspective(user)
	}
	return slackui.AssessmentModal(perspective, c), nil
}

func (b *Bot) cmdHistory(ctx context.Context, cmd slack.SlashCommand, _ []string) (response, error) {
	rs, err := b.svc.History(ctx, cmd.UserID, historyLimit)
	if err != nil {
		b.log.Error("load history", slog.String("user", cmd.UserID), slog.Any("error", err))
		return response{ack: slackui.Ephemeral("Could not load your history just now, please try again.")}, nil
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
		PairID:      string(meta.PairID),
		Shared:      slackui.ParseShare(cb.View.State),
	}
	sub, err := b.svc.SubmitResult(ctx, r)
	if err != nil {
		if msg, known := userMessage(err); known {
			return response{ack: slack.NewErrorsViewSubmissionResponse(map[string]string{slackui.BlockQuestion(1): msg})}, nil
		}
		b.log.Error("save result", slog.String("user", r.UserID), slog.Any("error", err))
		return response{ack: slack.NewErrorsViewSubmissionResponse(slackui.SaveFailedErrors())}, nil
	}
	b.log.Info("result saved", slog.String("user", r.UserID), slog.String("pair", r.PairID), slog.Bool("retry", sub.Retry))
	view := slackui.ResultView(sub.Result, sub.Prev, sub.HasPrev)
	return response{
		ack: slack.NewUpdateViewSubmissionResponse(&view),
		after: func(ctx context.Context) {
			// A retry may follow a first attempt whose reply was lost (the
			// user saw "try again"): the DM goes out once either way.
			if b.firstTime(ctx, "result-dm:"+r.ID) {
				text, blocks := slackui.ResultMessage(sub.Result, sub.Prev, sub.HasPrev)
				b.post(ctx, r.UserID, text, blocks)
			}
			if sub.Pair.ID == "" {
				return
			}
			sum, due, err := b.svc.SummaryIfDue(ctx, sub.Pair)
			if err != nil {
				// The result is stored; the summary waits for the next
				// result, the round's close, or /partner-assess summary.
				b.log.Warn("summary after result", slog.String("pair", r.PairID), slog.Any("error", err))
			}
			if due {
				b.postSummary(ctx, sum)
			}
		},
	}, nil
}

// onPairSelect redraws the open modal for the partnership just picked, and
// remembers it as the user's default.
func (b *Bot) onPairSelect(ctx context.Context, cb slack.InteractionCallback, _ *slack.BlockAction) (response, error) {
	pick, ok := slackui.ParsePairSelect(cb)
	if !ok {
		return response{}, errors.New("pair select without a pair")
	}
	user := cb.User.ID
	viewID, hash, callback, ext, meta := cb.View.ID, cb.View.Hash, cb.View.CallbackID, cb.View.ExternalID, cb.View.PrivateMetadata
	if own, err := b.ownsView(ctx, user, ext); err != nil || !own {
		return response{}, fmt.Errorf("pair select by %s of a view the bot did not open for them (%v)", user, err)
	}
	if err := b.svc.Remember(ctx, user, pick); err != nil {
		return response{}, fmt.Errorf("pair select by %s: %w", user, err)
	}
	return response{after: func(ctx context.Context) {
		var view slack.ModalViewRequest
		var err error
		switch callback {
		case callbackAssess:
			view, err = b.assessmentView(ctx, user, pick)
		case callbackNextSteps:
			view, err = b.nextStepsView(ctx, user, pick)
		case callbackCharter:
			view, err = b.charterFormView(ctx, user, pick)
		default:
			var ok bool
			if view, ok, err = b.repick(ctx, user, pick, callback, meta); !ok {
				return
			}
		}
		if err == nil {
			view.ExternalID = ext // kept, so that the next pick is served too
			_, err = b.api.UpdateViewContext(ctx, view, "", hash, viewID)
		}
		if err != nil {
			b.log.Warn("redraw modal for another pair", slog.String("user", user), slog.Any("error", err))
		}
	}}, nil
}
