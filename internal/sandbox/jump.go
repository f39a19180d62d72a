package sandbox

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/partnerbot/partnerbot/internal/slackfake"
	"github.com/partnerbot/partnerbot/internal/slackui"
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
	Jumped bool      `json:"jumped"`
	Due    time.Time `json:"due,omitzero"` // the check-in or reminder jumped to
	Now    time.Time `json:"now"`
	// Sent says what the bot sent once the clock moved, like "Ada's and
	// Eve's check-ins": the page says it after the time it jumped to.
	Sent    string `json:"sent,omitempty"`
	Message string `json:"message"`
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
	before := s.sentSoFar()
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
	sent := s.describeSent(before)
	return jumpResult{Jumped: true, Due: due, Now: s.clock.Now(), Sent: sent, Message: msg + " " + capitalize(sent) + "."}, nil
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

// sentSoFar is every message the bot has posted, by channel and ts.
func (s *Sandbox) sentSoFar() map[string]bool {
	seen := map[string]bool{}
	for _, c := range s.fake.Conversations() {
		for _, m := range s.fake.Messages(c.ID) {
			seen[c.ID+"/"+m.TS] = true
		}
	}
	return seen
}

// describeSent says what the bot posted since before: "Ada's and Eve's
// check-ins (2 goals in Now to review)", "Ada's reminder, the summary in
// Ada and Eve's group DM", or "nothing new (…)" when a check-in was due for
// a pair that is paused, skipping or away.
func (s *Sandbox) describeSent(before map[string]bool) string {
	names := map[string]string{}
	for _, u := range s.fake.Users() {
		first, _, _ := strings.Cut(u.RealName, " ")
		names[u.ID] = cmp.Or(first, u.Name, u.ID)
	}
	whose := map[string][]string{}         // what → whose, in conversation order
	review := map[string]map[string]bool{} // what → the goals in Now it lists
	var order, others []string
	add := func(what, who string) {
		if _, ok := whose[what]; !ok {
			order = append(order, what)
		}
		if !slices.Contains(whose[what], who) {
			whose[what] = append(whose[what], who)
		}
	}
	for _, c := range s.fake.Conversations() {
		for _, m := range s.fake.Messages(c.ID) {
			if before[c.ID+"/"+m.TS] || m.Ephemeral || m.User != s.fake.BotUserID() {
				continue // not news, or what a person wrote
			}
			switch c.Kind {
			case slackfake.KindIM:
				what := dmKind(m)
				add(what, names[c.Members[0]])
				for _, g := range goalsListed(m) {
					if review[what] == nil {
						review[what] = map[string]bool{}
					}
					review[what][g] = true
				}
			case slackfake.KindMPIM:
				if len(m.Files) == 0 { // a summary's picture is part of the summary
					people := make([]string, len(c.Members))
					for i, u := range c.Members {
						people[i] = names[u]
					}
					others = append(others, "the summary in "+joinAnd(people)+"'s group DM")
				}
			default:
				others = append(others, "a message in #"+c.Name)
			}
		}
	}
	var parts []string
	for _, what := range order {
		who := whose[what]
		for i := range who {
			who[i] += "'s"
		}
		part := joinAnd(who) + " " + what
		if len(who) > 1 {
			part += "s"
		}
		if n := len(review[what]); n == 1 {
			part += " (1 goal in Now to review)"
		} else if n > 1 {
			part += " (" + strconv.Itoa(n) + " goals in Now to review)"
		}
		parts = append(parts, part)
	}
	parts = append(parts, others...)
	if len(parts) == 0 {
		return "nothing new went out (a pair may be paused, skipping this week or away)"
	}
	return strings.Join(parts, ", ")
}

// dmKind names a DM the bot sent: "check-in", "reminder", "snoozed
// check-in" by the check-in DM's own words, "message" for any other.
func dmKind(m slackfake.Message) string {
	if !strings.Contains(string(m.Blocks), `"`+slackui.BlockCheckinRound+`"`) {
		return "message"
	}
	switch {
	case strings.HasPrefix(m.Text, "A reminder"):
		return "reminder"
	case strings.HasPrefix(m.Text, "You snoozed"):
		return "snoozed check-in"
	}
	return "check-in"
}

// goalsListed are the goals a check-in DM lists, each with its Update…
// button (valued with the pair and the goal), for the member to review.
func goalsListed(m slackfake.Message) []string {
	if dmKind(m) == "message" {
		return nil
	}
	var blocks []struct {
		Accessory struct {
			ActionID string `json:"action_id"`
			Value    string `json:"value"`
		} `json:"accessory"`
	}
	_ = json.Unmarshal(m.Blocks, &blocks) // the fake validated them
	var refs []string
	for _, b := range blocks {
		if b.Accessory.ActionID == slackui.ActionGoalUpdate {
			refs = append(refs, b.Accessory.Value)
		}
	}
	return refs
}

// joinAnd joins "Ada", "Eve" and "Tom" as "Ada, Eve and Tom".
func joinAnd(words []string) string {
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
