package checkin

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/partnerbot/partnerbot/internal/logsafe"
	"github.com/partnerbot/partnerbot/internal/partnership"
)

// A tick claims a batch of due jobs and takes them through four steps, each
// one round trip to the store for the whole batch, whatever its size:
//
//  1. read: the batch's pairs (Views), then decide each job without I/O;
//  2. begin: open the rounds and mark the sends (Begin);
//  3. send: hand each send to the notifier, Workers at a time;
//  4. complete: queue each job's next occurrence (or its reminder) in its place
//     (CompleteAll): the sent jobs in groups as their sends finish, the
//     others once the sends are done.
//
// A completed job is never begun again, so completing a sent job is what
// records its send. Only a job whose lease was lost meanwhile is marked
// sent on its own (FinishSends), for the replica that now holds it.
//
// A job that fails at any step is left claimed: its lease runs out and a
// replica runs it again. Its send state makes that retry send nothing twice,
// except a send that was in flight when its process died.

// task is one claimed job on its way through a batch.
type task struct {
	c      Claimed
	view   View
	next   *Job   // the recurring job's next occurrence; nil ends it
	remind *Job   // the reminder, staged before the next occurrence once sent
	begin  *Begin // the send to begin; nil: nothing to send
	began  Began
	send   func(context.Context, Began) error // nil: nothing to send
	sent   bool                               // Slack accepted the send
	err    error                              // failed: left claimed
}

// Tick claims one batch of due jobs and runs them; it returns how many it
// claimed.
func (s *Service) Tick(ctx context.Context) (int, error) {
	now := s.clock.Now()
	if oldest, err := s.store.OldestDue(ctx); err == nil && !oldest.IsZero() && oldest.Before(now) {
		s.obs.SetDueQueueLag(now.Sub(oldest))
	} else {
		s.obs.SetDueQueueLag(0)
	}
	claimed, err := s.store.Claim(ctx, now, s.cfg.Lease, s.cfg.Batch)
	if err != nil || len(claimed) == 0 {
		return 0, err
	}
	ts := make([]*task, len(claimed))
	for i, c := range claimed {
		ts[i] = &task{c: c}
	}
	s.read(ctx, ts)
	s.closeRounds(ctx, ts)
	s.beginSends(ctx, ts)
	// Once DMs went out, recording them must not be cut short by a
	// shutdown cancelling ctx: a DM Slack accepted and not marked sent
	// would go out again after the lease.
	book, cancel := context.WithTimeout(context.WithoutCancel(ctx), bookkeepingTimeout)
	defer cancel()
	rest := s.sendAll(ctx, book, ts)
	s.complete(book, rest)
	return len(claimed), nil
}

// bookkeepingTimeout bounds the writes that record a batch's sends.
const bookkeepingTimeout = 5 * time.Second

// read loads the batch's pairs in one round trip and decides each job.
func (s *Service) read(ctx context.Context, ts []*task) {
	index := map[partnership.PairID]int{}
	var ids []partnership.PairID
	for _, t := range ts {
		if id := t.c.Job.Pair; t.c.Job.Kind != KindTeam {
			if _, ok := index[id]; !ok {
				index[id] = len(ids)
				ids = append(ids, id)
			}
		}
	}
	views, err := s.store.Views(ctx, ids)
	for _, t := range ts {
		switch {
		case t.c.Job.Kind == KindTeam:
			s.guard(t, func() { t.next, t.err = s.team(ctx, t.c.Job) })
		case err != nil:
			t.err = err
		default:
			t.view = views[index[t.c.Job.Pair]]
			s.guard(t, func() { s.decide(t) })
		}
	}
}

// decide works out, from the job's pair, its next occurrence and what to
// send, if anything.
func (s *Service) decide(t *task) {
	j, v := t.c.Job, t.view
	p, st := v.Pair, v.Settings
	if !v.Found || !p.Has(j.User) {
		return // the pair ended: its jobs end too
	}
	now := s.clock.Now()
	loc := s.location(st, j.User)
	sp := s.spec(st)
	if j.Staged {
		// A reminder staged in its prompt's place: the prompt comes next,
		// at its first occurrence after the reminder (none lies between
		// the prompt and its reminder, or it would not have been staged).
		t.next = &Job{Kind: KindPrompt, Pair: p.ID, User: j.User, At: catchUp(sp, loc, sp.Next(loc, j.At), now, s.cfg.Grace)}
	}
	var after time.Time // the occurrence after this one
	if j.Kind == KindPrompt {
		after = sp.Next(loc, j.At)
		t.next = &Job{Kind: KindPrompt, Pair: p.ID, User: j.User, At: catchUp(sp, loc, after, now, s.cfg.Grace)}
	}
	if st.Paused {
		return
	}
	if late := now.Sub(j.At); late > s.cfg.Grace {
		s.log.Info("check-in skipped: missed by more than the grace window", slog.String("job", j.Member()), slog.Duration("late", late))
		return
	}
	for _, u := range []string{p.Assistant, p.Executive} {
		if v.Away[u].After(now) {
			return // the round waits for them
		}
	}
	if j.Kind == KindPrompt {
		answered := v.answered(st.CycleAt)
		streak := 0
		if answered[p.Assistant] && answered[p.Executive] {
			streak = st.Streak + 1
		}
		half := after.Sub(j.At) / 2
		t.begin = &Begin{Job: j, Round: &Round{Half: half, Closing: st.CycleAt, Streak: streak, Answered: st.Answered[j.User]}}
		if s.cfg.ReminderDelay > 0 {
			t.remind = &Job{Kind: KindRemind, Pair: p.ID, User: j.User, At: j.At.Add(s.cfg.ReminderDelay)}
		}
		t.send = func(ctx context.Context, b Began) error {
			// The round is the one this prompt opened, or the one it joined
			// (the partner's, opened in another time zone).
			round := j.At
			if !b.Opened {
				round = b.Previous
			}
			return s.notify.Prompt(ctx, Prompt{Pair: p, User: j.User, Kind: KindPrompt, Round: round, At: j.At, Reflection: Reflection(p.ID, b.Rotation), Assess: st.Assess.AssessesIn(round)})
		}
		return
	}
	// A reminder or a snoozed check-in: not when the member answered or
	// skipped, nor when a newer round began.
	if v.answered(st.CycleAt)[j.User] || st.Skipped[j.User] || st.CycleAt.IsZero() {
		return
	}
	if j.Kind == KindRemind && st.CycleAt.After(j.At.Add(-s.cfg.ReminderDelay)) {
		return
	}
	// A snooze stands in for the round's reminder, and only the snooze
	// recorded for the current round goes out (one message per member per
	// moment; a second press, or last week's, sends nothing).
	sn, snoozed := st.Snoozed[j.User]
	snoozed = snoozed && sn.Round.Equal(st.CycleAt)
	if j.Kind == KindRemind && snoozed || j.Kind == KindSnooze && (!snoozed || !sn.At.Equal(j.At)) {
		return
	}
	t.begin = &Begin{Job: j}
	t.send = func(ctx context.Context, _ Began) error {
		return s.notify.Prompt(ctx, Prompt{Pair: p, User: j.User, Kind: j.Kind, Round: st.CycleAt, At: j.At, Reflection: Reflection(p.ID, st.Rotation), Assess: st.Assess.AssessesIn(st.CycleAt)})
	}
}

// closeRounds sends the summary of each round the batch's prompts are
// about to close, if anyone answered in it, before the new round opens: a
// summary that fails leaves the pair's prompts claimed, and the retry
// tries it again. summarise sends each round's summary once.
func (s *Service) closeRounds(ctx context.Context, ts []*task) {
	byPair := map[partnership.PairID][]*task{}
	var closing []*task // the first task of each pair
	for _, t := range ts {
		st := t.view.Settings
		if t.err != nil || t.begin == nil || t.begin.Round == nil || st.CycleAt.IsZero() ||
			t.c.Job.At.Sub(st.CycleAt) < t.begin.Round.Half || len(t.view.answered(st.CycleAt)) == 0 {
			continue
		}
		id := t.c.Job.Pair
		if byPair[id] == nil {
			closing = append(closing, t)
		}
		byPair[id] = append(byPair[id], t)
	}
	s.parallel(len(closing), func(i int) {
		t := closing[i]
		s.guard(t, func() { t.err = s.summarise(ctx, t.view.Pair, t.view.Settings.CycleAt) })
		for _, o := range byPair[t.c.Job.Pair] {
			o.err = t.err
		}
	})
}

// beginSends opens the rounds and marks the sends, in one round trip.
func (s *Service) beginSends(ctx context.Context, ts []*task) {
	var bs []Begin
	var who []*task
	for _, t := range ts {
		if t.err == nil && t.begin != nil {
			bs = append(bs, *t.begin)
			who = append(who, t)
		}
	}
	if len(bs) == 0 {
		return
	}
	began, err := s.store.Begin(ctx, bs, s.cfg.SendTTL)
	for i, t := range who {
		if err != nil {
			t.err = err
			continue
		}
		t.began = began[i]
		switch began[i].State {
		case SendNone: // answered early, or skipped: nothing to ask
			t.send, t.remind = nil, nil
		case SendDone: // a previous attempt sent it
			t.send = nil
		case SendPending:
			// Slack's chat.postMessage has no idempotency key: a send a dead
			// replica had in flight may arrive twice.
			s.log.Warn("re-sending a check-in a previous attempt may have sent", slog.String("job", t.c.Member))
		}
	}
}

// sendAll hands the batch's sends to the notifier, Workers at a time, and
// completes them in groups as they finish (a group commit: one round trip
// for whatever finished meanwhile), so that a crash leaves few sends
// unrecorded however slow the sends are. It returns the tasks it did not
// complete: those with nothing to send, or failed before.
func (s *Service) sendAll(ctx, book context.Context, ts []*task) (rest []*task) {
	var todo []*task
	for _, t := range ts {
		if t.err == nil && t.send != nil {
			todo = append(todo, t)
		} else {
			rest = append(rest, t)
		}
	}
	if len(todo) == 0 {
		return rest
	}
	done := make(chan *task, len(todo))
	go s.parallel(len(todo), func(i int) {
		t := todo[i]
		s.guard(t, func() {
			if err := ctx.Err(); err != nil {
				t.err = err // shutting down: no new DM
				return
			}
			// A send must end inside the lease: past it, another replica
			// may claim the job and send it too. Slow sends (Slack's rate
			// limits) leave the rest of the batch to the next claim.
			left := t.c.Lease.Sub(s.clock.Now()) - s.leaseMargin()
			if left <= 0 {
				t.err = errLeaseEnding
				return
			}
			sctx, cancel := context.WithTimeout(ctx, left)
			defer cancel()
			if err := t.send(sctx, t.began); err != nil {
				t.err = fmt.Errorf("send %s: %w", t.c.Member, err)
				return
			}
			t.sent = true
		})
		done <- t
	})
	for n := 0; n < len(todo); {
		group := []*task{<-done}
		n++
		for more := true; more && n < len(todo); {
			select {
			case t := <-done:
				group = append(group, t)
				n++
			default:
				more = false
			}
		}
		s.finish(book, group)
	}
	return rest
}

// errLeaseEnding leaves a job's send to whoever claims it next.
var errLeaseEnding = errors.New("checkin: lease about to end; send left for the next claim")

// leaseMargin is the part of a lease no send starts in, nor runs into:
// time to record the sends before another replica may claim the jobs.
func (s *Service) leaseMargin() time.Duration { return s.cfg.Lease / 4 }

// finish counts a group of finished sends and completes them.
func (s *Service) finish(ctx context.Context, group []*task) {
	for _, t := range group {
		switch {
		case t.err == nil:
			s.obs.CheckinSent()
		case errors.Is(t.err, ErrUndeliverable):
			// Retrying cannot help: the schedule moves on without it.
			s.obs.CheckinFailed()
			s.log.Warn("check-in undeliverable; moving on to the next occurrence", slog.String("job", t.c.Member), slog.Any("error", t.err))
			t.err, t.remind = nil, nil
		}
	}
	s.complete(ctx, group)
}

// complete queues each job's next occurrence (or its reminder) in its place, in
// one round trip; a failed job stays claimed until its lease runs out. A
// sent job that lost its lease, or could not be completed, is marked sent,
// so that whoever runs it next does not send it again.
func (s *Service) complete(ctx context.Context, ts []*task) {
	var cs []Completion
	var who []*task
	for _, t := range ts {
		switch {
		case errors.Is(t.err, errLeaseEnding):
			s.log.Info("check-in left for the next claim: the lease is about to end", slog.String("job", t.c.Member))
			continue
		case t.err != nil:
			s.obs.CheckinFailed()
			s.log.Warn("check-in job failed; it will be retried after its lease", slog.String("job", t.c.Member), slog.Any("error", t.err))
			continue
		}
		cs = append(cs, Completion{Claimed: t.c, Next: staged(t.next, t.remind)})
		who = append(who, t)
	}
	if len(cs) == 0 {
		return
	}
	ok, err := s.store.CompleteAll(ctx, cs)
	var unrecorded []Job
	for i, t := range who {
		switch {
		case err != nil:
		case !ok[i]:
			s.log.Info("check-in job lease lost; another replica owns it", slog.String("job", t.c.Member))
		default:
			continue
		}
		if t.sent {
			unrecorded = append(unrecorded, t.c.Job)
		}
	}
	if err != nil {
		s.log.Warn("complete check-in jobs; they will be retried after their lease", slog.Int("jobs", len(cs)), slog.Any("error", err))
	}
	if err := s.store.FinishSends(ctx, unrecorded, s.cfg.SendTTL); err != nil {
		s.log.Warn("mark check-ins sent", slog.Int("jobs", len(unrecorded)), slog.Any("error", err))
	}
}

// staged is what a job leaves queued in its place: its next occurrence,
// or, once a prompt went out, its reminder, which queues that occurrence
// when it is done (one queue entry per member, not one more per reminder).
// A reminder due no earlier than the next prompt is dropped: that prompt
// opens a new round, and a reminder of an older round sends nothing.
func staged(next, remind *Job) *Job {
	if next == nil || remind == nil || !remind.At.Before(next.At) {
		return next
	}
	r := *remind
	r.Staged = true
	return &r
}

// parallel runs f(0) … f(n-1), Workers at a time, and waits for them.
func (s *Service) parallel(n int, f func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(s.cfg.Workers, n) {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// guard runs f for t; a panic fails t instead of the tick.
func (s *Service) guard(t *task, f func()) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("panic in check-in job", slog.String("job", t.c.Member), slog.String("panic", logsafe.Panic(p)), slog.String("stack", string(debug.Stack())))
			t.err = fmt.Errorf("checkin: panic in job %s", t.c.Member)
		}
	}()
	f()
}

// sendOnce sends a lone occurrence (the team scorecard) unless it was
// sent, with the same send marks as a batch.
func (s *Service) sendOnce(ctx context.Context, j Job, send func(context.Context) error) error {
	began, err := s.store.Begin(ctx, []Begin{{Job: j}}, s.cfg.SendTTL)
	if err != nil {
		return err
	}
	switch began[0].State {
	case SendDone:
		return nil
	case SendPending:
		s.log.Warn("re-sending what a previous attempt may have sent", slog.String("job", j.Member()))
	}
	if err := send(ctx); err != nil {
		return fmt.Errorf("send %s: %w", j.Member(), err)
	}
	s.obs.CheckinSent()
	return s.store.FinishSends(ctx, []Job{j}, s.cfg.SendTTL)
}
