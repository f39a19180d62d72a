package sandbox

import (
	"context"
	"time"
)

const (
	// jumpPast is how far past the due time a jump lands, so the due job
	// is strictly in the past for the scheduler's claim.
	jumpPast = time.Second
	// settleQuiet is how long the fake Slack must stay unchanged after a
	// jump before the page is told it is over; settleMax bounds the wait.
	settleQuiet = 400 * time.Millisecond
	settleMax   = 5 * time.Second
)

// jumpResult tells the page what a jump did.
type jumpResult struct {
	Jumped  bool      `json:"jumped"`
	Due     time.Time `json:"due,omitzero"`
	Now     time.Time `json:"now"`
	Message string    `json:"message"`
}

// jump moves the clock to the next queued check-in (or reminder) and waits
// until the bot's scheduler has sent what was due.
func (s *Sandbox) jump(ctx context.Context, _ request) (any, error) {
	select {
	case s.jumps <- struct{}{}:
		defer func() { <-s.jumps }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	due, err := s.bot.NextCheckin(ctx)
	if err != nil {
		return nil, err
	}
	if due.IsZero() {
		return jumpResult{Now: s.clock.Now(), Message: "Nothing is scheduled yet: pair two people first (/partner-assess pair @Eve)."}, nil
	}
	msg := "Jumped to the next check-in."
	if d := due.Sub(s.clock.Now()); d > 0 {
		s.clock.Advance(d + jumpPast)
	} else {
		msg = "A check-in was already due: the bot is on it."
	}
	// Wait until the scheduler (polling every CHECKIN_POLL_INTERVAL) has
	// claimed everything due, then until Slack is quiet.
	for ctx.Err() == nil {
		next, err := s.bot.NextCheckin(ctx)
		if err != nil || next.IsZero() || next.After(s.clock.Now()) {
			break
		}
		select {
		case <-ctx.Done():
		case <-time.After(50 * time.Millisecond):
		}
	}
	s.settle(ctx)
	return jumpResult{Jumped: true, Due: due, Now: s.clock.Now(), Message: msg}, nil
}

// settle waits until the fake Slack has not changed for settleQuiet, or
// settleMax passed.
func (s *Sandbox) settle(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, settleMax)
	defer cancel()
	for ctx.Err() == nil {
		calls := 0
		qctx, qcancel := context.WithTimeout(ctx, settleQuiet)
		// WaitFor calls the condition once at once, then on every change.
		err := s.fake.WaitFor(qctx, func() bool { calls++; return calls > 1 })
		qcancel()
		if err != nil {
			return
		}
	}
}
