package partnership

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"
)

// The roadmap is the article's plan for moving from a traditional to a
// strategic partnership: "develop a plan by creating a roadmap that
// outlines how you will take on more strategic responsibilities". Each
// goal serves one of the executive's goals, sits in Now, Next or Later,
// and has an owner, an optional target date and a status with a dated
// history. At most three goals are in Now: "by starting with small,
// strategic tasks you will demonstrate your value and pave the way for
// larger responsibilities."

// Stage is where a goal sits on the roadmap.
type Stage string

// The roadmap's three columns.
const (
	StageNow   Stage = "now"
	StageNext  Stage = "next"
	StageLater Stage = "later"
)

// Stages are the columns in order.
func Stages() []Stage { return []Stage{StageNow, StageNext, StageLater} }

// Valid reports whether s is one of the three columns.
func (s Stage) Valid() bool { return s == StageNow || s == StageNext || s == StageLater }

// GoalStatus is how a goal is going.
type GoalStatus string

// A goal is on track or stuck while open; done or dropped once closed.
const (
	GoalOnTrack GoalStatus = "on_track"
	GoalStuck   GoalStatus = "stuck"
	GoalDone    GoalStatus = "done"
	GoalDropped GoalStatus = "dropped"
)

// GoalStatuses are the statuses in the order they are offered.
func GoalStatuses() []GoalStatus { return []GoalStatus{GoalOnTrack, GoalStuck, GoalDone, GoalDropped} }

// Valid reports whether s is a known status.
func (s GoalStatus) Valid() bool { return slices.Contains(GoalStatuses(), s) }

// Open reports whether a goal with status s is still being worked on.
func (s GoalStatus) Open() bool { return s == GoalOnTrack || s == GoalStuck }

// Bounds of the roadmap.
const (
	// MaxNow is how many open goals Now holds: "start with small,
	// strategic tasks".
	MaxNow = 3
	// MaxOpenGoals bounds the open goals of a pair, so that the roadmap
	// fits one view.
	MaxOpenGoals = 25
	// MaxGoalTitle bounds a goal's title.
	MaxGoalTitle = 150
	// MaxGoalServes bounds the executive goal a goal serves.
	MaxGoalServes = 300
	// MaxGoalNote bounds a note on a goal.
	MaxGoalNote = 500
	// MaxGoalHistory bounds a goal's history (a weekly note for ten years).
	MaxGoalHistory = 500
)

// Errors of the roadmap, each fit to show the user.
var (
	ErrNowFull         = errors.New("at most three goals can be in Now: start with small, strategic tasks. Move one to Next, or mark one done, first")
	ErrGoalTitle       = errors.New("a goal needs a title")
	ErrGoalOwner       = errors.New("a goal's owner must be one of you two")
	ErrGoalNotFound    = errors.New("that goal does not exist (any more)")
	ErrGoalClosed      = errors.New("that goal is done or dropped: set it on track or stuck to move it")
	ErrTooManyGoals    = fmt.Errorf("your roadmap has %d open goals: mark some done or dropped first", MaxOpenGoals)
	ErrGoalHistoryFull = fmt.Errorf("that goal's history is full (%d entries): start a new goal to go on", MaxGoalHistory)
	ErrNotAcknowledged = errors.New("only an acknowledged wish can become a goal")
	ErrLineChanged     = errors.New("that line of your next steps has changed since: open next-steps to see it")
	ErrBadInput        = errors.New("that is not something the roadmap knows")
)

// Date is a calendar date, without a time or a time zone: a goal's target.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate reads "2006-01-02"; "" is the zero Date.
func ParseDate(s string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%w: date", ErrBadInput)
	}
	return DateOf(t), nil
}

// DateOf is t's calendar date where t is.
func DateOf(t time.Time) Date { y, m, d := t.Date(); return Date{y, m, d} }

// IsZero reports whether no date is set.
func (d Date) IsZero() bool { return d == Date{} }

// String is "2006-01-02", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Midday is noon UTC on d: the instant that reads as d in nearly every
// time zone, for Slack to show in each reader's own.
func (d Date) Midday() time.Time { return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC) }

// GoalChange is what one event of a goal's history did.
type GoalChange string

// The changes a goal's history records.
const (
	ChangeCreated GoalChange = "created"
	ChangeEdited  GoalChange = "edited" // To lists the fields changed: "title,serves,owner,target"
	ChangeStage   GoalChange = "stage"  // From and To are stages
	ChangeStatus  GoalChange = "status" // From and To are statuses
	ChangeNote    GoalChange = "note"
)

// GoalEvent is one dated entry of a goal's history: who, when, from what
// to what, and their note.
type GoalEvent struct {
	At       time.Time
	By       string
	Change   GoalChange
	From, To string
	Note     string
}

// Where a goal came from.
const (
	FromTyped  = ""        // added in the goal form
	FromDoMore = "do_more" // a "do more of" line of Next Steps
	FromWish   = "wish"    // an acknowledged wish
)

// GoalSource says where a goal came from, so that the same line or wish
// makes one goal however often its button is pressed.
type GoalSource struct {
	Kind string // FromTyped, FromDoMore or FromWish
	// Ref is the wish's ID, or for a line "<author>:<LineCheck>".
	Ref string
}

// Goal is one goal of a pair's roadmap.
type Goal struct {
	ID     string
	PairID PairID
	Title  string
	// Serves is the executive's goal this one serves, in the pair's words.
	Serves string
	Stage  Stage
	Owner  string // a member of the pair
	Target Date   // zero when none
	Status GoalStatus
	// CreatedBy wrote the goal first; CreatedAt is when.
	CreatedBy string
	CreatedAt time.Time
	// Rev counts the goal's changes: a form carries the Rev it showed, so
	// that saving it over a change made meanwhile is refused.
	Rev     int
	Source  GoalSource
	History []GoalEvent
}

// Open reports whether the goal is still being worked on.
func (g Goal) Open() bool { return g.Status.Open() }

// InNow reports whether the goal counts against Now's three: open, in Now.
// A done or dropped goal leaves Now.
func (g Goal) InNow() bool { return g.Open() && g.Stage == StageNow }

// Last is the goal's latest event of change c.
func (g Goal) Last(c GoalChange) (GoalEvent, bool) {
	for i := len(g.History) - 1; i >= 0; i-- {
		if g.History[i].Change == c {
			return g.History[i], true
		}
	}
	return GoalEvent{}, false
}

// ClosedAt is when the goal was marked done or dropped (zero while open).
func (g Goal) ClosedAt() time.Time {
	if g.Open() {
		return time.Time{}
	}
	if e, ok := g.Last(ChangeStatus); ok {
		return e.At
	}
	return g.CreatedAt
}

// Notes are the goal's events that carry a note, oldest first.
func (g Goal) Notes() []GoalEvent {
	var out []GoalEvent
	for _, e := range g.History {
		if e.Note != "" {
			out = append(out, e)
		}
	}
	return out
}

// TitleBy is who wrote the goal's current title: its creator, or whoever
// changed it last.
func (g Goal) TitleBy() string { return g.wroteLast("title") }

// ServesBy is who wrote what the goal serves, as TitleBy.
func (g Goal) ServesBy() string { return g.wroteLast("serves") }

func (g Goal) wroteLast(field string) string {
	for i := len(g.History) - 1; i >= 0; i-- {
		if e := g.History[i]; e.Change == ChangeEdited && slices.Contains(strings.Split(e.To, ","), field) {
			return e.By
		}
	}
	return g.CreatedBy
}

// GoalDraft is what the goal form holds: a new goal, or an edit.
type GoalDraft struct {
	Title  string
	Serves string
	Stage  Stage
	Owner  string
	Target Date
}

// clean trims and bounds the draft's text and checks it: a title, a
// stage, an owner in the pair.
func (d GoalDraft) clean(p Pair) (GoalDraft, error) {
	d.Title = clip(oneLine(d.Title), MaxGoalTitle)
	d.Serves = clip(oneLine(d.Serves), MaxGoalServes)
	switch {
	case d.Title == "":
		return d, ErrGoalTitle
	case !d.Stage.Valid():
		return d, fmt.Errorf("%w: stage", ErrBadInput)
	case !p.Has(d.Owner):
		return d, ErrGoalOwner
	}
	return d, nil
}

// GoalUpdate is what the status form holds: where the goal goes, how it is
// going, and a note.
type GoalUpdate struct {
	Stage  Stage
	Status GoalStatus
	Note   string
}

// apply returns g after by's update at at, and whether anything changed.
func (g Goal) apply(by string, u GoalUpdate, at time.Time) (Goal, bool, error) {
	next, events, err := g.changes(by, u, at)
	if err != nil || len(events) == 0 {
		return g, false, err
	}
	next, err = next.record(events)
	return next, err == nil, err
}

// changes returns g with u's stage and status, and the events that say so
// (none when nothing changes), u's note on the first of them. The status
// moves before the stage, so a done goal can be reopened and moved at
// once; a closed goal keeps its stage.
func (g Goal) changes(by string, u GoalUpdate, at time.Time) (Goal, []GoalEvent, error) {
	if !u.Stage.Valid() || !u.Status.Valid() {
		return g, nil, fmt.Errorf("%w: stage or status", ErrBadInput)
	}
	next := g
	var events []GoalEvent
	if u.Status != g.Status {
		events = append(events, GoalEvent{At: at, By: by, Change: ChangeStatus, From: string(g.Status), To: string(u.Status)})
		next.Status = u.Status
	}
	if u.Stage != g.Stage {
		if !next.Open() {
			return g, nil, ErrGoalClosed
		}
		events = append(events, GoalEvent{At: at, By: by, Change: ChangeStage, From: string(g.Stage), To: string(u.Stage)})
		next.Stage = u.Stage
	}
	if note := clip(strings.TrimSpace(u.Note), MaxGoalNote); note != "" {
		if len(events) == 0 {
			events = append(events, GoalEvent{At: at, By: by, Change: ChangeNote})
		}
		events[0].Note = note
	}
	return next, events, nil
}

// record returns g with events added to its history, one revision on.
func (g Goal) record(events []GoalEvent) (Goal, error) {
	if len(g.History)+len(events) > MaxGoalHistory {
		return g, ErrGoalHistoryFull
	}
	g.History = append(slices.Clone(g.History), events...)
	g.Rev++
	return g, nil
}

// edit returns g after by's edit at at, and whether anything changed.
func (g Goal) edit(by string, d GoalDraft, at time.Time) (Goal, bool, error) {
	next := g
	var fields []string
	if d.Title != g.Title {
		next.Title, fields = d.Title, append(fields, "title")
	}
	if d.Serves != g.Serves {
		next.Serves, fields = d.Serves, append(fields, "serves")
	}
	if d.Owner != g.Owner {
		next.Owner, fields = d.Owner, append(fields, "owner")
	}
	if d.Target != g.Target {
		next.Target, fields = d.Target, append(fields, "target")
	}
	var events []GoalEvent
	if len(fields) > 0 {
		events = append(events, GoalEvent{At: at, By: by, Change: ChangeEdited, To: strings.Join(fields, ",")})
	}
	next, moved, err := next.changes(by, GoalUpdate{Stage: d.Stage, Status: next.Status}, at)
	if err != nil {
		return g, false, err
	}
	if events = append(events, moved...); len(events) == 0 {
		return g, false, nil
	}
	next, err = next.record(events)
	return next, err == nil, err
}

// Roadmap is a pair's goals.
type Roadmap struct {
	Pair  Pair
	Goals []Goal // oldest first
	// Rev is the roadmap's revision as read: a save is refused when
	// another came first.
	Rev int64
}

// Column is the open goals in stage st, oldest first.
func (r Roadmap) Column(st Stage) []Goal {
	var out []Goal
	for _, g := range r.Goals {
		if g.Open() && g.Stage == st {
			out = append(out, g)
		}
	}
	return out
}

// Closed is the done and dropped goals, the most recently closed first.
func (r Roadmap) Closed() []Goal {
	var out []Goal
	for _, g := range r.Goals {
		if !g.Open() {
			out = append(out, g)
		}
	}
	slices.SortStableFunc(out, func(a, b Goal) int { return b.ClosedAt().Compare(a.ClosedAt()) })
	return out
}

// Goal finds a goal by ID.
func (r Roadmap) Goal(id string) (Goal, bool) {
	i := slices.IndexFunc(r.Goals, func(g Goal) bool { return g.ID == id })
	if i < 0 {
		return Goal{}, false
	}
	return r.Goals[i], true
}

// open counts the open goals other than the one named except.
func (r Roadmap) open(except string, inNow bool) int {
	n := 0
	for _, g := range r.Goals {
		if g.ID != except && g.Open() && (!inNow || g.Stage == StageNow) {
			n++
		}
	}
	return n
}

// check applies the roadmap's limits to next, the new state of one goal
// (prev its state before, zero when new): a goal entering Now finds room
// there, a goal opening finds room on the roadmap.
func (r Roadmap) check(prev, next Goal) error {
	if next.InNow() && !prev.InNow() && r.open(next.ID, true) >= MaxNow {
		return ErrNowFull
	}
	if next.Open() && (prev.ID == "" || !prev.Open()) && r.open(next.ID, false) >= MaxOpenGoals {
		return ErrTooManyGoals
	}
	return nil
}

// roadmapStore is the storage of goals and wins, in the pair's keys.
type roadmapStore interface {
	// Roadmap loads the pair's goals (in no order) and the roadmap's
	// revision (0 before the first goal), read together.
	Roadmap(ctx context.Context, id PairID) ([]Goal, int64, error)
	// SaveGoal stores g, new or changed, if the pair's roadmap is still at
	// revision rev, and moves the revision on; ErrConflict otherwise.
	SaveGoal(ctx context.Context, id PairID, rev int64, g Goal) error
	// AddWin stores w; ErrAlreadySaved when its ID is stored.
	AddWin(ctx context.Context, w Win) error
	// Wins are the pair's wins logged at or after since, oldest first.
	Wins(ctx context.Context, id PairID, since time.Time) ([]Win, error)
	// UpdateWin replaces old by next if old is still what is stored;
	// ErrConflict otherwise.
	UpdateWin(ctx context.Context, old, next Win) error
}

// saveAttempts bounds the retries of a change that lost a race to
// another change of the same roadmap.
const saveAttempts = 3

// changeGoal applies change to the pair's roadmap as it is, and saves the
// goal it returns if the roadmap is still as read; when another change
// came first, it reads again and applies change again, so that neither is
// lost. change says whether there is anything to save.
func (s *Service) changeGoal(ctx context.Context, p Pair, change func(r Roadmap) (Goal, bool, error)) (Goal, error) {
	for attempt := 1; ; attempt++ {
		r, err := s.roadmap(ctx, p)
		if err != nil {
			return Goal{}, err
		}
		g, changed, err := change(r)
		if err != nil || !changed {
			return g, err
		}
		prev, _ := r.Goal(g.ID)
		if err := r.check(prev, g); err != nil {
			return Goal{}, err
		}
		err = s.store.SaveGoal(ctx, p.ID, r.Rev, g)
		if !errors.Is(err, ErrConflict) || attempt == saveAttempts {
			return g, err
		}
	}
}

func (s *Service) roadmap(ctx context.Context, p Pair) (Roadmap, error) {
	gs, rev, err := s.store.Roadmap(ctx, p.ID)
	if err != nil {
		return Roadmap{}, err
	}
	slices.SortFunc(gs, func(a, b Goal) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return Roadmap{Pair: p, Goals: gs, Rev: rev}, nil
}

// Roadmap is the pair's roadmap, for a member.
func (s *Service) Roadmap(ctx context.Context, id PairID, by string) (Roadmap, error) {
	p, err := s.member(ctx, id, by)
	if err != nil {
		return Roadmap{}, err
	}
	return s.roadmap(ctx, p)
}

// Goal is one goal of a pair, for a member.
func (s *Service) Goal(ctx context.Context, id PairID, goalID, by string) (Goal, error) {
	r, err := s.Roadmap(ctx, id, by)
	if err != nil {
		return Goal{}, err
	}
	g, ok := r.Goal(goalID)
	if !ok {
		return Goal{}, ErrGoalNotFound
	}
	return g, nil
}

func newGoalID() string { return "g" + randomHex() }

// AddGoal adds a goal to the pair's roadmap on behalf of by.
func (s *Service) AddGoal(ctx context.Context, id PairID, by string, d GoalDraft) (Goal, error) {
	p, err := s.member(ctx, id, by)
	if err != nil {
		return Goal{}, err
	}
	d, err = d.clean(p)
	if err != nil {
		return Goal{}, err
	}
	g := s.newGoal(p, by, d, GoalSource{})
	return s.changeGoal(ctx, p, func(Roadmap) (Goal, bool, error) { return g, true, nil })
}

// newGoal is a goal by by from a clean draft: on track, at revision 1.
func (s *Service) newGoal(p Pair, by string, d GoalDraft, src GoalSource) Goal {
	now := s.clock.Now().UTC()
	return Goal{ID: newGoalID(), PairID: p.ID, Title: d.Title, Serves: d.Serves, Stage: d.Stage, Owner: d.Owner, Target: d.Target,
		Status: GoalOnTrack, CreatedBy: by, CreatedAt: now, Rev: 1, Source: src,
		History: []GoalEvent{{At: now, By: by, Change: ChangeCreated, To: string(d.Stage)}}}
}

// updateGoal loads the pair for by and changes one of its goals with f.
// rev, when not 0, is the goal's revision the caller showed: a goal
// changed since is refused with ErrConflict.
func (s *Service) updateGoal(ctx context.Context, id PairID, goalID, by string, rev int, f func(p Pair, g Goal, now time.Time) (Goal, bool, error)) (Goal, error) {
	p, err := s.member(ctx, id, by)
	if err != nil {
		return Goal{}, err
	}
	return s.changeGoal(ctx, p, func(r Roadmap) (Goal, bool, error) {
		g, ok := r.Goal(goalID)
		switch {
		case !ok:
			return Goal{}, false, ErrGoalNotFound
		case rev != 0 && g.Rev != rev:
			return Goal{}, false, ErrConflict
		}
		return f(p, g, s.clock.Now().UTC())
	})
}

// EditGoal changes a goal's title, what it serves, owner, target and
// stage, from a form that showed its revision rev.
func (s *Service) EditGoal(ctx context.Context, id PairID, goalID, by string, rev int, d GoalDraft) (Goal, error) {
	return s.updateGoal(ctx, id, goalID, by, rev, func(p Pair, g Goal, now time.Time) (Goal, bool, error) {
		d, err := d.clean(p)
		if err != nil {
			return g, false, err
		}
		return g.edit(by, d, now)
	})
}

// UpdateGoal moves a goal, sets its status and adds a note, from a form
// that showed its revision rev.
func (s *Service) UpdateGoal(ctx context.Context, id PairID, goalID, by string, rev int, u GoalUpdate) (Goal, error) {
	return s.updateGoal(ctx, id, goalID, by, rev, func(_ Pair, g Goal, now time.Time) (Goal, bool, error) {
		return g.apply(by, u, now)
	})
}

// MoveGoal moves a goal to stage to, with an optional note.
func (s *Service) MoveGoal(ctx context.Context, id PairID, goalID, by string, to Stage, note string) (Goal, error) {
	return s.updateGoal(ctx, id, goalID, by, 0, func(_ Pair, g Goal, now time.Time) (Goal, bool, error) {
		return g.apply(by, GoalUpdate{Stage: to, Status: g.Status, Note: note}, now)
	})
}

// SetGoalStatus sets a goal's status, with an optional note: what a
// check-in asks of each goal in Now.
func (s *Service) SetGoalStatus(ctx context.Context, id PairID, goalID, by string, to GoalStatus, note string) (Goal, error) {
	return s.updateGoal(ctx, id, goalID, by, 0, func(_ Pair, g Goal, now time.Time) (Goal, bool, error) {
		return g.apply(by, GoalUpdate{Stage: g.Stage, Status: to, Note: note}, now)
	})
}

// AddGoalNote adds a dated note to a goal's history.
func (s *Service) AddGoalNote(ctx context.Context, id PairID, goalID, by, note string) (Goal, error) {
	return s.updateGoal(ctx, id, goalID, by, 0, func(_ Pair, g Goal, now time.Time) (Goal, bool, error) {
		return g.apply(by, GoalUpdate{Stage: g.Stage, Status: g.Status, Note: note}, now)
	})
}

// GoalIdea is a line of Next Steps or an acknowledged wish that could
// become a goal with one button.
type GoalIdea struct {
	Pair PairID
	// WishID names an acknowledged wish; or DoMore (1-based) names a line
	// of the presser's "do more of" list, Check its text as it was.
	WishID string
	DoMore int
	Check  string
	Text   string // what the goal would be called
}

// LineCheck is a short fingerprint of a Next Steps line, so that a button
// made for one line does not make a goal of another that took its place.
func LineCheck(line string) string {
	h := fnv.New32a()
	h.Write([]byte(normalize(line)))
	return fmt.Sprintf("%08x", h.Sum32())
}

// IdeaFromWish is the idea of making w a goal.
func IdeaFromWish(w Wish) GoalIdea { return GoalIdea{Pair: w.PairID, WishID: w.ID, Text: w.Text} }

// IdeaFromDoMore is the idea of making line i (1-based) of the "do more
// of" list in ns a goal.
func IdeaFromDoMore(ns NextSteps, i int) GoalIdea {
	line := ""
	if i >= 1 && i <= ListSize {
		line = ns.DoMore[i-1]
	}
	return GoalIdea{Pair: ns.PairID, DoMore: i, Check: LineCheck(line), Text: line}
}

// Ideas are what could become goals for by: the lines of their "do more
// of" list and the pair's acknowledged wishes that are not goals yet.
func (s *Service) Ideas(ctx context.Context, id PairID, by string) ([]GoalIdea, error) {
	p, err := s.member(ctx, id, by)
	if err != nil {
		return nil, err
	}
	r, err := s.roadmap(ctx, p)
	if err != nil {
		return nil, err
	}
	made := map[GoalSource]bool{}
	for _, g := range r.Goals {
		made[g.Source] = true
	}
	ns, _, err := s.store.NextSteps(ctx, p.ID, by)
	if err != nil {
		return nil, err
	}
	ns.PairID = p.ID
	var out []GoalIdea
	for i, line := range ns.DoMore {
		if strings.TrimSpace(line) != "" && !made[doMoreSource(by, line)] {
			out = append(out, IdeaFromDoMore(ns, i+1))
		}
	}
	ws, err := s.store.Wishes(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	for _, w := range ws {
		if w.Status == WishAcknowledged && !made[GoalSource{Kind: FromWish, Ref: w.ID}] {
			out = append(out, IdeaFromWish(w))
		}
	}
	return out, nil
}

func doMoreSource(author, line string) GoalSource {
	return GoalSource{Kind: FromDoMore, Ref: author + ":" + LineCheck(line)}
}

// GoalFromIdea makes the idea a goal, in Next, on behalf of by. The same
// line or wish makes one goal: pressed again, it returns that goal with
// created false.
func (s *Service) GoalFromIdea(ctx context.Context, by string, idea GoalIdea) (g Goal, created bool, err error) {
	if idea.WishID != "" {
		return s.GoalFromWish(ctx, idea.Pair, idea.WishID, by)
	}
	return s.GoalFromDoMore(ctx, idea.Pair, by, idea.DoMore, idea.Check)
}

// GoalFromWish makes an acknowledged wish a goal in Next, owned by the one
// it was addressed to.
func (s *Service) GoalFromWish(ctx context.Context, id PairID, wishID, by string) (Goal, bool, error) {
	p, err := s.member(ctx, id, by)
	if err != nil {
		return Goal{}, false, err
	}
	ws, err := s.store.Wishes(ctx, p.ID)
	if err != nil {
		return Goal{}, false, err
	}
	i := slices.IndexFunc(ws, func(w Wish) bool { return w.ID == wishID })
	switch {
	case i < 0:
		return Goal{}, false, ErrWishNotFound
	case ws[i].Status != WishAcknowledged:
		return Goal{}, false, ErrNotAcknowledged
	}
	w := ws[i]
	return s.goalOnce(ctx, p, by, GoalDraft{Title: w.Text, Stage: StageNext, Owner: w.To}, GoalSource{Kind: FromWish, Ref: w.ID})
}

// GoalFromDoMore makes line i (1-based) of by's "do more of" list a goal
// in Next, owned by by. check is the line's LineCheck as the button saw
// it: a line changed since is refused.
func (s *Service) GoalFromDoMore(ctx context.Context, id PairID, by string, i int, check string) (Goal, bool, error) {
	p, err := s.member(ctx, id, by)
	if err != nil {
		return Goal{}, false, err
	}
	ns, _, err := s.store.NextSteps(ctx, p.ID, by)
	if err != nil {
		return Goal{}, false, err
	}
	if i < 1 || i > ListSize || strings.TrimSpace(ns.DoMore[i-1]) == "" {
		return Goal{}, false, ErrLineChanged
	}
	line := ns.DoMore[i-1]
	if LineCheck(line) != check {
		return Goal{}, false, ErrLineChanged
	}
	return s.goalOnce(ctx, p, by, GoalDraft{Title: line, Stage: StageNext, Owner: by}, doMoreSource(by, line))
}

// goalOnce adds the goal unless one from the same source exists.
func (s *Service) goalOnce(ctx context.Context, p Pair, by string, d GoalDraft, src GoalSource) (Goal, bool, error) {
	d, err := d.clean(p)
	if err != nil {
		return Goal{}, false, err
	}
	var existing Goal
	g, err := s.changeGoal(ctx, p, func(r Roadmap) (Goal, bool, error) {
		for _, g := range r.Goals {
			if g.Source == src {
				existing = g
				return g, false, nil
			}
		}
		return s.newGoal(p, by, d, src), true, nil
	})
	if err != nil {
		return Goal{}, false, err
	}
	if existing.ID != "" {
		return existing, false, nil
	}
	return g, true, nil
}
