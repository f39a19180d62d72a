package partnership

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Wins are the assistant's accomplishments, each tied to a goal of the
// roadmap or to none ("other"), so that "regularly updating your
// executive on your accomplishments and how they contribute to larger
// goals" happens by itself: the pair's summary and the executive's digest
// show them by goal. Only the assistant of a pair logs its wins; the
// executive reads them.

// MaxWinLen is the most characters a win holds: Slack's limit for the
// text of one message section (3000), so that a win shows whole.
const MaxWinLen = 3000

// Errors of wins, fit to show the user.
var (
	ErrNotAssistant = errors.New("wins are the assistant's accomplishments: your assistant logs them, and you see them in your summaries")
	ErrWinEmpty     = errors.New("a win needs a few words about what you did")
	ErrWinTooLong   = fmt.Errorf("a win can be at most %d characters, the most Slack shows in one message section", MaxWinLen)
	ErrWinNotFound  = errors.New("that win does not exist (any more)")
)

// WinSource is the message a win was logged from (the "Log as a win"
// shortcut): where it is, never what it says. Zero for a typed win.
type WinSource struct {
	Channel string // C…, G… or D…
	TS      string // the message's ts
	Link    string // its permalink
}

// Win is one accomplishment of the assistant.
type Win struct {
	ID     string
	PairID PairID
	By     string // the assistant
	Text   string
	// GoalID is the roadmap goal the win counts toward; "" is "other".
	GoalID string
	At     time.Time
	Source WinSource
}

// WinDraft is a win to log.
type WinDraft struct {
	Text   string
	GoalID string // "" for other
	Source WinSource
	// Key, when set, names the submission (a modal's view ID): logging
	// the same key again stores nothing and returns the win stored.
	Key string
}

// CleanWinText trims a win and checks its length: ErrWinEmpty, or
// ErrWinTooLong (n is then its length in characters).
func CleanWinText(s string) (text string, n int, err error) {
	text = strings.TrimSpace(s)
	n = utf8.RuneCountInString(text)
	switch {
	case n == 0:
		return "", 0, ErrWinEmpty
	case n > MaxWinLen:
		return "", n, ErrWinTooLong
	}
	return text, n, nil
}

// winID is random, or for a keyed draft derived from the key and the pair,
// so that a retried submission finds the win it stored.
func winID(pair PairID, key string) string {
	if key == "" {
		return "n" + randomHex()
	}
	sum := sha256.Sum256([]byte(string(pair) + "\x00" + key))
	return "n" + hex.EncodeToString(sum[:6])
}

// assistantOf loads the pair for by, who must be its assistant.
func (s *Service) assistantOf(ctx context.Context, id PairID, by string) (Pair, error) {
	p, err := s.member(ctx, id, by)
	if err != nil {
		return Pair{}, err
	}
	if p.Assistant != by {
		return Pair{}, ErrNotAssistant
	}
	return p, nil
}

// LogWin logs a win of by, the pair's assistant, tied to a goal of the
// pair or to none. A draft whose Key was logged before returns that win.
func (s *Service) LogWin(ctx context.Context, id PairID, by string, d WinDraft) (Win, error) {
	p, err := s.assistantOf(ctx, id, by)
	if err != nil {
		return Win{}, err
	}
	text, _, err := CleanWinText(d.Text)
	if err != nil {
		return Win{}, err
	}
	if d.GoalID != "" {
		r, err := s.roadmap(ctx, p)
		if err != nil {
			return Win{}, err
		}
		if _, ok := r.Goal(d.GoalID); !ok {
			return Win{}, ErrGoalNotFound
		}
	}
	w := Win{ID: winID(p.ID, d.Key), PairID: p.ID, By: by, Text: text, GoalID: d.GoalID, At: s.clock.Now().UTC(), Source: d.Source}
	err = s.store.AddWin(ctx, w)
	if errors.Is(err, ErrAlreadySaved) {
		return s.win(ctx, p, w.ID)
	}
	return w, err
}

func (s *Service) win(ctx context.Context, p Pair, winID string) (Win, error) {
	ws, err := s.store.Wins(ctx, p.ID, time.Time{})
	if err != nil {
		return Win{}, err
	}
	i := slices.IndexFunc(ws, func(w Win) bool { return w.ID == winID })
	if i < 0 {
		return Win{}, ErrWinNotFound
	}
	return ws[i], nil
}

// TieWin ties one of by's wins to a goal of the pair ("" for other).
func (s *Service) TieWin(ctx context.Context, id PairID, winID, by, goalID string) (Win, Goal, error) {
	p, err := s.assistantOf(ctx, id, by)
	if err != nil {
		return Win{}, Goal{}, err
	}
	old, err := s.win(ctx, p, winID)
	if err != nil {
		return Win{}, Goal{}, err
	}
	var g Goal
	if goalID != "" {
		r, err := s.roadmap(ctx, p)
		if err != nil {
			return Win{}, Goal{}, err
		}
		var ok bool
		if g, ok = r.Goal(goalID); !ok {
			return Win{}, Goal{}, ErrGoalNotFound
		}
	}
	next := old
	next.GoalID = goalID
	if next == old {
		return old, g, nil
	}
	return next, g, s.store.UpdateWin(ctx, old, next)
}

// WinsSince are the pair's wins logged at or after since, oldest first,
// for a member.
func (s *Service) WinsSince(ctx context.Context, id PairID, by string, since time.Time) ([]Win, error) {
	p, err := s.member(ctx, id, by)
	if err != nil {
		return nil, err
	}
	return s.store.Wins(ctx, p.ID, since)
}

// Progress is how the roadmap moved between Since and At: what the pair
// summary shows, what a check-in reviews (each goal in Now) and what the
// executive's digest shows (wins by goal, goals stuck).
type Progress struct {
	Since, At time.Time
	// Now is the open goals in Now, oldest first.
	Now []Goal
	// Open counts the open goals on the roadmap.
	Open int
	// Added are the goals created in the window, oldest first.
	Added []Goal
	// Moved are the goals whose stage changed in the window, with their
	// latest move, oldest move first.
	Moved []GoalMove
	// Stuck are the open goals stuck now, oldest first.
	Stuck []Goal
	// Done are the goals marked done in the window, oldest first.
	Done []Goal
	// Wins are the wins logged in the window, oldest first; ByGoal groups
	// them by the goal they count toward, the roadmap's order, "other"
	// last.
	Wins   []Win
	ByGoal []WinGroup
}

// GoalMove is a goal and its latest move.
type GoalMove struct {
	Goal     Goal
	From, To Stage
	At       time.Time
	By       string
}

// WinGroup is the wins that count toward one goal, or toward none (Other).
type WinGroup struct {
	Goal  Goal
	Other bool
	Wins  []Win
}

// Empty reports whether there is nothing to tell: no goal at all on the
// roadmap, nothing done or moved, no win.
func (p Progress) Empty() bool {
	return p.Open == 0 && len(p.Added)+len(p.Moved)+len(p.Done)+len(p.Wins) == 0
}

// within reports whether t is in (since, at].
func within(t, since, at time.Time) bool { return t.After(since) && !t.After(at) }

// NewProgress is the pair's progress between since and at, from its goals
// and wins. Goals and wins of another pair are ignored.
func NewProgress(p Pair, goals []Goal, wins []Win, since, at time.Time) Progress {
	out := Progress{Since: since, At: at}
	gs := slices.Clone(goals)
	slices.SortStableFunc(gs, func(a, b Goal) int { return a.CreatedAt.Compare(b.CreatedAt) })
	byID := map[string]int{}
	for _, g := range gs {
		if g.PairID != p.ID {
			continue
		}
		byID[g.ID] = len(out.ByGoal)
		out.ByGoal = append(out.ByGoal, WinGroup{Goal: g})
		if g.Open() {
			out.Open++
		}
		if g.InNow() {
			out.Now = append(out.Now, g)
		}
		if g.Status == GoalStuck {
			out.Stuck = append(out.Stuck, g)
		}
		if within(g.CreatedAt, since, at) {
			out.Added = append(out.Added, g)
		}
		if e, ok := g.Last(ChangeStage); ok && within(e.At, since, at) {
			out.Moved = append(out.Moved, GoalMove{Goal: g, From: Stage(e.From), To: Stage(e.To), At: e.At, By: e.By})
		}
		if g.Status == GoalDone && within(g.ClosedAt(), since, at) {
			out.Done = append(out.Done, g)
		}
	}
	slices.SortStableFunc(out.Moved, func(a, b GoalMove) int { return a.At.Compare(b.At) })
	other := WinGroup{Other: true}
	for _, w := range wins {
		if w.PairID != p.ID || !within(w.At, since, at) {
			continue
		}
		out.Wins = append(out.Wins, w)
		if i, ok := byID[w.GoalID]; ok {
			out.ByGoal[i].Wins = append(out.ByGoal[i].Wins, w)
		} else {
			other.Wins = append(other.Wins, w)
		}
	}
	slices.SortStableFunc(out.Wins, func(a, b Win) int { return a.At.Compare(b.At) })
	out.ByGoal = slices.DeleteFunc(out.ByGoal, func(g WinGroup) bool { return len(g.Wins) == 0 })
	if len(other.Wins) > 0 {
		out.ByGoal = append(out.ByGoal, other)
	}
	return out
}

// Progress is how the pair's roadmap moved since since: for the check-ins
// (each goal in Now to review) and the executive's digest (wins by goal,
// goals stuck). p comes from the store, as check-ins hold it.
func (s *Service) Progress(ctx context.Context, p Pair, since time.Time) (Progress, error) {
	return s.progressAt(ctx, p, since, s.clock.Now().UTC())
}

// QuarterStart is the first instant of t's calendar quarter, in t's
// location.
func QuarterStart(t time.Time) time.Time {
	m := time.Month((int(t.Month())-1)/3*3 + 1)
	return time.Date(t.Year(), m, 1, 0, 0, 0, 0, t.Location())
}

// DoneSince counts the goals marked done at or after since: a number a
// scorecard may show, never their text.
func DoneSince(goals []Goal, since time.Time) int {
	n := 0
	for _, g := range goals {
		if g.Status == GoalDone && !g.ClosedAt().Before(since) {
			n++
		}
	}
	return n
}
