package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/partnerbot/partnerbot/internal/checkin"
	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/schedule"
	"github.com/partnerbot/partnerbot/internal/slackui"
	"github.com/slack-go/slack"
)

const (
	callbackSchedule    = slackui.CallbackSchedule
	actionCheckinAssess = slackui.ActionCheckinAssess
	actionCheckinSteps  = slackui.ActionCheckinSteps
	actionCheckinWishes = slackui.ActionCheckinWishes
	actionCheckinSkip   = slackui.ActionCheckinSkip
	actionCheckinSnooze = slackui.ActionCheckinSnooze
)

// currentPair is the caller's default pair, or a reply saying they have none.
func (b *Bot) currentPair(ctx context.Context, user string) (partnership.Pair, *slackui.Reply, error) {
	_, p, err := b.choice(ctx, user, "")
	if err != nil {
		return p, nil, err
	}
	if p.ID == "" {
		reply, err := b.needPair(ctx, user)
		return p, reply, err
	}
	return p, nil, nil
}

// checkinError words a check-in use case's error for the user.
func (b *Bot) checkinError(user string, err error) *slackui.Reply {
	var tooOften checkin.TooOftenError
	switch {
	case errors.As(err, &tooOften):
		return slackui.Ephemeral("That is more often than check-ins may come here: at most once every " + slackui.Interval(tooOften.Limit) + ".")
	case errors.Is(err, checkin.ErrBadSpec):
		// The schedule package's words are meant for people: what it could
		// not read, and what would work.
		_, why, _ := strings.Cut(err.Error(), ": ")
		return slackui.Ephemeral(slackui.Capitalize(slackui.Escape(why)) + ".")
	}
	msg, known := userMessage(err)
	if !known {
		b.log.Error("check-in settings", slog.String("user", user), slog.Any("error", err))
	}
	return slackui.Ephemeral(msg)
}

// cmdSchedule opens the settings modal, or sets a spec typed after it.
func (b *Bot) cmdSchedule(ctx context.Context, cmd slack.SlashCommand, args []string) (response, error) {
	user := cmd.UserID
	p, reply, err := b.currentPair(ctx, user)
	if reply != nil || err != nil {
		return response{ack: reply}, err
	}
	if len(args) == 0 {
		return response{after: func(ctx context.Context) { b.openSchedule(ctx, user, cmd.TriggerID, p.ID) }}, nil
	}
	text := strings.Join(args, " ")
	set, err := b.checkins.SetSchedule(ctx, p.ID, user, text)
	if err != nil {
		return response{ack: b.checkinError(user, err)}, nil
	}
	return response{ack: slackui.Ephemeral(slackui.ScheduledText(p, user, set.Spec, set.Zone, set.Next))}, nil
}

func (b *Bot) openSchedule(ctx context.Context, user, trigger string, pick partnership.PairID) {
	c, p, err := b.choice(ctx, user, pick)
	if err == nil && p.ID == "" {
		err = partnership.ErrNoPair
	}
	var st checkin.Settings
	if err == nil {
		st, err = b.checkins.Settings(ctx, p.ID, user)
	}
	if err != nil {
		b.log.Error("schedule modal", slog.String("user", user), slog.Any("error", err))
		b.dm(ctx, user, "Could not open the check-in settings just now, please try again.")
		return
	}
	spec := st.Spec
	if spec == "" {
		spec = schedule.DefaultSpec
	}
	sp, err := schedule.Parse(spec)
	if err != nil {
		sp, _ = schedule.Parse(schedule.DefaultSpec)
	}
	settings := slackui.ScheduleSettings{Paused: st.Paused, Assess: string(st.Assess), Current: slackui.ScheduleWords(sp, st.SpecTZ)}
	if st.Spec == "" {
		settings.Current += " (the default)"
	}
	settings.Day, settings.Time, _ = slackui.WeeklyFields(spec)
	b.openModal(ctx, user, trigger, slackui.ScheduleModal(settings, c))
}

// onScheduleSubmit saves the modal's day, time and pause.
func (b *Bot) onScheduleSubmit(ctx context.Context, cb slack.InteractionCallback) (response, error) {
	pair, err := slackui.ParseScheduleMeta(cb.View.PrivateMetadata)
	if err != nil {
		return response{}, fmt.Errorf("schedule modal from %s: %w", cb.User.ID, err)
	}
	choice, errs := slackui.ParseSchedule(cb.View.State)
	if len(errs) > 0 {
		return response{ack: slack.NewErrorsViewSubmissionResponse(errs)}, nil
	}
	user, paused := cb.User.ID, choice.Paused
	set, err := b.checkins.SetSchedule(ctx, pair, user, choice.Spec)
	if err == nil {
		err = b.checkins.SetCadence(ctx, pair, user, checkin.Cadence(choice.Assess))
	}
	if err == nil {
		err = b.checkins.SetPaused(ctx, pair, user, paused)
	}
	if err != nil {
		return response{ack: slack.NewErrorsViewSubmissionResponse(map[string]string{slackui.BlockDay: b.checkinError(user, err).Text})}, nil
	}
	text := "Saved. " + slackui.NextCheckins(user, set.Next)
	if paused {
		text = "Saved. Your check-ins are paused; `" + slackui.Command + " resume` starts them again."
	}
	view := slackui.NoticeView("Check-in schedule", text)
	return response{ack: slack.NewUpdateViewSubmissionResponse(&view)}, nil
}

func (b *Bot) cmdPause(ctx context.Context, cmd slack.SlashCommand, _ []string) (response, error) {
	return b.setPaused(ctx, cmd.UserID, true)
}

func (b *Bot) cmdResume(ctx context.Context, cmd slack.SlashCommand, _ []string) (response, error) {
	return b.setPaused(ctx, cmd.UserID, false)
}

func (b *Bot) setPaused(ctx context.Context, user string, paused bool) (response, error) {
	p, reply, err := b.currentPair(ctx, user)
	if reply != nil || err != nil {
		return response{ack: reply}, err
	}
	if err := b.checkins.SetPaused(ctx, p.ID, user, paused); err != nil {
		return response{ack: b.checkinError(user, err)}, nil
	}
	partner, _ := p.Partner(user)
	if paused {
		return response{ack: slackui.Ephemeral("Check-ins with <@" + partner + "> are paused. `" + slackui.Command + " resume` starts them again.")}, nil
	}
	return response{ack: slackui.Ephemeral("Check-ins with <@" + partner + "> are back on.")}, nil
}

// cmdAway sets an out-of-office: "away until 2026-12-28", "away until
// next monday", "away until tomorrow", or "away off".
func (b *Bot) cmdAway(ctx context.Context, cmd slack.SlashCommand, args []string) (response, error) {
	user := cmd.UserID
	if len(args) == 1 && strings.EqualFold(args[0], "off") {
		if err := b.checkins.SetAway(ctx, user, time.Time{}); err != nil {
			return response{ack: b.checkinError(user, err)}, nil
		}
		return response{ack: slackui.Ephemeral("Welcome back: your check-ins resume with the next one.")}, nil
	}
	if len(args) < 2 || !strings.EqualFold(args[0], "until") {
		p, _, err := b.currentPair(ctx, user)
		if err != nil {
			return response{}, err
		}
		return response{ack: slackui.Ephemeral(b.awayUsage(ctx, p, user))}, nil
	}
	day, msg, err := b.setAway(ctx, user, strings.Join(args[1:], " "))
	if err != nil {
		return response{}, err
	}
	if msg != "" {
		return response{ack: slackui.Ephemeral(msg)}, nil
	}
	return response{ack: slackui.Ephemeral("Noted: you are away until " + slackui.When(day) + ". Your check-ins wait until you are back.")}, nil
}

// awayLocation is the user's time zone as recorded for their pair (UTC
// when there is none, or without a pair).
func (b *Bot) awayLocation(ctx context.Context, p partnership.Pair, user string) *time.Location {
	if p.ID == "" {
		return time.UTC
	}
	st, err := b.checkins.Settings(ctx, p.ID, user)
	if err != nil {
		return time.UTC
	}
	loc, err := time.LoadLocation(st.TZ[user])
	if err != nil {
		return time.UTC
	}
	return loc
}

// awayUsage says how to set an out-of-office, with a date two weeks from
// today in the user's own time zone.
func (b *Bot) awayUsage(ctx context.Context, p partnership.Pair, user string) string {
	example := schedule.ExampleDay(b.clock.Now(), b.awayLocation(ctx, p, user))
	return "Say when you are back: `" + slackui.Command + " away until " + example + "` (or `tomorrow`, `next monday`), or `" + slackui.Command + " away off`."
}

// setAway records the user's return date (a date or words like "next
// monday", read in their time zone as recorded for their pair). msg is a
// refusal worded for the user.
func (b *Bot) setAway(ctx context.Context, user, date string) (day time.Time, msg string, err error) {
	p, reply, err := b.currentPair(ctx, user)
	if err != nil {
		return time.Time{}, "", err
	}
	if reply != nil {
		return time.Time{}, reply.Text, nil
	}
	now := b.clock.Now()
	day, err = schedule.ParseDay(date, now, b.awayLocation(ctx, p, user))
	if err != nil {
		return time.Time{}, slackui.Capitalize(slackui.Escape(err.Error())) + ".", nil
	}
	if !day.After(now) || day.After(now.AddDate(1, 0, 0)) {
		return time.Time{}, "Pick a date in the coming year.", nil
	}
	if err := b.checkins.SetAway(ctx, user, day); err != nil {
		return time.Time{}, b.checkinError(user, err).Text, nil
	}
	return day, "", nil
}

func (b *Bot) onHomeAway(ctx context.Context, cb slack.InteractionCallback, _ *slack.BlockAction) (response, error) {
	user := cb.User.ID
	until, err := b.checkins.Away(ctx, user)
	if err != nil {
		return b.refused(user, err)
	}
	return response{after: func(ctx context.Context) { b.openModal(ctx, user, cb.TriggerID, slackui.AwayModal(until)) }}, nil
}

func (b *Bot) onAwaySubmit(ctx context.Context, cb slack.InteractionCallback) (response, error) {
	date, errs := slackui.ParseAway(cb.View.State)
	if len(errs) > 0 {
		return response{ack: slack.NewErrorsViewSubmissionResponse(errs)}, nil
	}
	user := cb.User.ID
	day, msg, err := b.setAway(ctx, user, date)
	if err != nil {
		return response{}, err
	}
	if msg != "" {
		return response{ack: slack.NewErrorsViewSubmissionResponse(map[string]string{slackui.BlockAwayUntil: msg})}, nil
	}
	view := slackui.NoticeView("Out of office", "Noted: you are away until "+slackui.When(day)+". Your check-ins wait until you are back.")
	return response{ack: slack.NewUpdateViewSubmissionResponse(&view), after: func(ctx context.Context) { b.publishHome(ctx, user) }}, nil
}

// Check-in buttons: their value names a pair and a round, checked against
// the presser.

func (b *Bot) checkinPair(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction) (partnership.Pair, error) {
	p, _, err := b.checkinRound(ctx, cb, a)
	return p, err
}

// checkinRound is checkinPair with the round the button belongs to.
func (b *Bot) checkinRound(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction) (partnership.Pair, time.Time, error) {
	id, round, err := slackui.ParseCheckinRef(a.Value)
	if err != nil {
		return partnership.Pair{}, time.Time{}, fmt.Errorf("check-in button %s: %w", a.ActionID, err)
	}
	p, err := b.svc.Pair(ctx, id, cb.User.ID)
	return p, round, err
}

// refused answers a button press the use cases refused, by DM.
func (b *Bot) refused(user string, err error) (response, error) {
	msg, known := userMessage(err)
	if !known {
		b.log.Error("check-in button", slog.String("user", user), slog.Any("error", err))
	}
	return response{after: func(ctx context.Context) { b.dm(ctx, user, msg) }}, nil
}

func (b *Bot) onCheckinAssess(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction) (response, error) {
	return b.openForPair(ctx, cb, a, b.assessmentView)
}

func (b *Bot) onCheckinSteps(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction) (response, error) {
	return b.openForPair(ctx, cb, a, b.nextStepsView)
}

// openForPair opens the modal build makes for the pair a check-in button
// names, after checking the presser belongs to it.
func (b *Bot) openForPair(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction, build viewBuilder) (response, error) {
	p, err := b.checkinPair(ctx, cb, a)
	if err != nil {
		return b.refused(cb.User.ID, err)
	}
	return response{after: func(ctx context.Context) { b.openBuilt(ctx, cb.User.ID, cb.TriggerID, p.ID, build) }}, nil
}

func (b *Bot) onCheckinWishes(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction) (response, error) {
	if _, err := b.checkinPair(ctx, cb, a); err != nil {
		return b.refused(cb.User.ID, err)
	}
	user := cb.User.ID
	toMe, byMe, err := b.svc.Wishes(ctx, user)
	if err != nil {
		return b.refused(user, err)
	}
	reply := slackui.WishesReply(toMe, byMe)
	return response{after: func(ctx context.Context) { b.post(ctx, user, reply.Text, reply.Blocks) }}, nil
}

func (b *Bot) onCheckinSkip(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction) (response, error) {
	p, round, err := b.checkinRound(ctx, cb, a)
	if err == nil {
		err = b.checkins.Skip(ctx, p.ID, cb.User.ID, round)
	}
	if err != nil {
		return b.refused(cb.User.ID, err)
	}
	user := cb.User.ID
	return response{after: func(ctx context.Context) {
		b.dm(ctx, user, "Skipped this week. No reminder will follow; see you at the next check-in.")
	}}, nil
}

func (b *Bot) onCheckinSnooze(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction) (response, error) {
	p, round, err := b.checkinRound(ctx, cb, a)
	var at time.Time
	if err == nil {
		at, err = b.checkins.Snooze(ctx, p.ID, cb.User.ID, round)
	}
	if err != nil {
		return b.refused(cb.User.ID, err)
	}
	user := cb.User.ID
	return response{after: func(ctx context.Context) {
		b.dm(ctx, user, "Snoozed: I will ask again "+slackui.When(at)+".")
	}}, nil
}

// onCheckinProgress opens the week's progress check-in for the round its
// button names; a button of an earlier round answers kindly.
func (b *Bot) onCheckinProgress(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction) (response, error) {
	user := cb.User.ID
	p, round, err := b.checkinRound(ctx, cb, a)
	var st checkin.Settings
	if err == nil {
		st, err = b.checkins.Settings(ctx, p.ID, user)
	}
	if err == nil && (round.IsZero() || !round.Equal(st.CycleAt)) {
		err = checkin.ErrStaleCheckin
	}
	var mine []partnership.Reflection
	if err == nil {
		mine, err = b.svc.RoundReflections(ctx, p.ID, user, round)
	}
	var content partnership.CheckinContent
	if err == nil {
		content, err = b.svc.CheckinContent(ctx, p, user)
	}
	if err != nil {
		return b.refused(user, err)
	}
	pr := slackui.Progress{Pair: p, User: user, Round: round, Prompt: checkin.Reflection(p.ID, st.Rotation), Now: content.Now, Wins: content.Wins}
	if len(mine) > 0 && mine[0].User == user {
		pr.Answered = mine[0]
	}
	return response{after: func(ctx context.Context) { b.openModal(ctx, user, cb.TriggerID, slackui.ProgressModal(pr)) }}, nil
}

// onProgressSubmit stores the week's check-in: the goals' statuses and
// notes, then the reflection. A round that closed meanwhile, nothing
// written, or a goal that cannot take its update is an inline error that
// keeps what was written.
func (b *Bot) onProgressSubmit(ctx context.Context, cb slack.InteractionCallback) (response, error) {
	meta, err := slackui.ParseProgressMeta(cb.View.PrivateMetadata)
	if err != nil {
		return response{}, fmt.Errorf("progress check-in from %s: %w", cb.User.ID, err)
	}
	user := cb.User.ID
	ans := slackui.ParseProgress(cb.View.State, meta)
	st, err := b.checkins.Settings(ctx, meta.Pair, user)
	if err == nil && !meta.Round.Equal(st.CycleAt) {
		err = checkin.ErrStaleCheckin
	}
	var saved partnership.Reflection
	var moved []partnership.Goal
	if err == nil {
		saved, moved, err = b.svc.CheckIn(ctx, partnership.Reflection{Pair: meta.Pair, User: user, Round: meta.Round,
			Prompt: checkin.Reflection(meta.Pair, st.Rotation), Text: ans.Reflection, Shared: ans.Shared, PlanChange: ans.PlanChange}, ans.Goals)
	}
	if err != nil {
		block := slackui.BlockReflection
		var ge *partnership.GoalCheckError
		if errors.As(err, &ge) {
			block = slackui.BlockProgressStatus(ge.GoalID)
		}
		msg, known := userMessage(err)
		if !known {
			b.log.Error("save progress check-in", slog.String("user", user), slog.Any("error", err))
			msg = "Could not save, please try again. What you wrote is still here."
		}
		return response{ack: slack.NewErrorsViewSubmissionResponse(map[string]string{block: msg})}, nil
	}
	note := "Checked in: thank you."
	if len(moved) > 0 {
		goals := "One goal"
		if len(moved) > 1 {
			goals = strconv.Itoa(len(moved)) + " goals"
		}
		note += " " + goals + " updated; you both see it on the roadmap."
	}
	switch {
	case saved.Text != "" && saved.Shared:
		note += " Your partner sees your reflection in your summary together."
	case saved.Text != "":
		note += " Your reflection stays yours."
	}
	view := slackui.NoticeView("Weekly check-in", note)
	return response{ack: slack.NewUpdateViewSubmissionResponse(&view)}, nil
}
