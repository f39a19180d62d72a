package partnership

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
)

// The charter is the first step of "The Role of a Strategic Partner":
// defining roles and expectations through a candid conversation. A pair
// has one charter, written in versions. Either member drafts a version; it
// is in force once both accepted it (the drafter's draft counts as their
// acceptance). A new draft does not replace the version in force: that one
// stays in force until both accept the new one. Every version is kept.
//
// A review is due a quarter after the version in force was agreed, or
// last reviewed. Both members review, as both agreed: each confirms that
// it still holds ("reviewed, no change"), and the review is done once both
// have; or they draft a change, and the new version, once agreed, starts
// the next quarter. One member alone cannot silence the other's review.

// Bounds of a charter's text, in runes: longer text is cut.
const (
	// MaxExpectations is how many things each member may expect of the other.
	MaxExpectations = 5
	// MaxCharterLine bounds one expectation or one goal.
	MaxCharterLine = 200
	// MaxCommunication bounds the channel and the cadence.
	MaxCommunication = 150
	// MaxDecisions is how many kinds of decision the decision rights list.
	MaxDecisions = 8
	// MaxDecisionKind bounds the name of a kind of decision.
	MaxDecisionKind = 100
	// NumGoals is the executive's top three goals for the quarter.
	NumGoals = 3
)

// Ownership says who has one of the article's task areas in this pair:
// the delineation of duties, a chief of staff included ("The Role of a
// Strategic Partner").
type Ownership string

// The five answers for a task area.
const (
	AssistantOwns  Ownership = "assistant_owns"  // the assistant owns it
	Shared         Ownership = "shared"          // they share it
	ExecutiveKeeps Ownership = "executive_keeps" // the executive keeps it
	ChiefOfStaff   Ownership = "chief_of_staff"  // a chief of staff has it
	NotThisRole    Ownership = "not_this_role"   // not part of this role
)

// Ownerships are the five answers in the order a form offers them.
func Ownerships() []Ownership {
	return []Ownership{AssistantOwns, Shared, ExecutiveKeeps, ChiefOfStaff, NotThisRole}
}

// Valid reports whether o is one of the five answers.
func (o Ownership) Valid() bool { return slices.Contains(Ownerships(), o) }

// DecisionRight is how far the assistant may go with a kind of decision,
// in the executive's words.
type DecisionRight string

// The three decision rights.
const (
	Decide        DecisionRight = "decide"          // decide
	DecideAndTell DecisionRight = "decide_and_tell" // decide and tell me
	AskFirst      DecisionRight = "ask_first"       // ask me first
)

// DecisionRights are the three rights, from the most room to the least.
func DecisionRights() []DecisionRight { return []DecisionRight{Decide, DecideAndTell, AskFirst} }

// Valid reports whether r is one of the three rights.
func (r DecisionRight) Valid() bool { return slices.Contains(DecisionRights(), r) }

// Decision is one kind of decision and the assistant's right over it.
type Decision struct {
	Kind  string // "Travel under $500"
	Right DecisionRight
}

// CharterTerms is what a charter says.
type CharterTerms struct {
	// AssistantExpects is what the assistant expects of the executive,
	// ExecutiveExpects what the executive expects of the assistant: at
	// most MaxExpectations lines each.
	AssistantExpects []string
	ExecutiveExpects []string
	// Channel and Cadence are how they communicate: free text.
	Channel string
	Cadence string
	// Decisions are the decision rights, at most MaxDecisions.
	Decisions []Decision
	// Tasks says who has each of the article's nine task areas, in the
	// article's order (assessment.TaskAreas).
	Tasks [assessment.NumTaskAreas]Ownership
	// Goals are the executive's top three goals for the quarter.
	Goals [NumGoals]string
}

// Clean trims every line, drops empty ones, cuts text to its bounds and
// lists to their lengths. Decisions without a kind are dropped; a kind
// whose right is not one of the three keeps it, for Missing to name.
func (t CharterTerms) Clean() CharterTerms {
	lines := func(in []string, n int) []string {
		out := []string{}
		for _, s := range in {
			if s = clip(oneLine(s), MaxCharterLine); s != "" && len(out) < n {
				out = append(out, s)
			}
		}
		return out
	}
	out := CharterTerms{
		AssistantExpects: lines(t.AssistantExpects, MaxExpectations),
		ExecutiveExpects: lines(t.ExecutiveExpects, MaxExpectations),
		Channel:          clip(oneLine(t.Channel), MaxCommunication),
		Cadence:          clip(oneLine(t.Cadence), MaxCommunication),
		Decisions:        []Decision{},
		Tasks:            t.Tasks,
	}
	for _, d := range t.Decisions {
		d.Kind = clip(oneLine(d.Kind), MaxDecisionKind)
		if d.Kind != "" && len(out.Decisions) < MaxDecisions {
			out.Decisions = append(out.Decisions, d)
		}
	}
	for i, g := range lines(t.Goals[:], NumGoals) {
		out.Goals[i] = g
	}
	return out
}

// Equal reports whether two charters say the same.
func (t CharterTerms) Equal(u CharterTerms) bool {
	return slices.Equal(t.AssistantExpects, u.AssistantExpects) && slices.Equal(t.ExecutiveExpects, u.ExecutiveExpects) &&
		t.Channel == u.Channel && t.Cadence == u.Cadence && slices.Equal(t.Decisions, u.Decisions) &&
		t.Tasks == u.Tasks && t.Goals == u.Goals
}

// CharterParts names parts of a charter: those a draft lacks, or those a
// version changed.
type CharterParts struct {
	Expectations  bool // what each expects of the other
	Communication bool // how they communicate
	Decisions     bool // the decision rights
	Goals         bool // the executive's goals
	// Areas are task areas, by their index in assessment.TaskAreas.
	Areas []int
}

// None reports whether no part is named.
func (p CharterParts) None() bool {
	return !p.Expectations && !p.Communication && !p.Decisions && !p.Goals && len(p.Areas) == 0
}

// Missing names what a charter needs and lacks: at least one thing either
// member expects of the other, how they communicate (a channel or a
// cadence), a right for every kind of decision named, and an answer for
// each of the nine task areas ("not part of this role" is one). Decision
// rights and goals are optional.
func (t CharterTerms) Missing() CharterParts {
	var m CharterParts
	m.Expectations = len(t.AssistantExpects) == 0 && len(t.ExecutiveExpects) == 0
	m.Communication = t.Channel == "" && t.Cadence == ""
	for _, d := range t.Decisions {
		m.Decisions = m.Decisions || !d.Right.Valid()
	}
	for i, o := range t.Tasks {
		if !o.Valid() {
			m.Areas = append(m.Areas, i)
		}
	}
	return m
}

// Changes names the parts in which t differs from prev.
func (t CharterTerms) Changes(prev CharterTerms) CharterParts {
	var c CharterParts
	c.Expectations = !slices.Equal(t.AssistantExpects, prev.AssistantExpects) || !slices.Equal(t.ExecutiveExpects, prev.ExecutiveExpects)
	c.Communication = t.Channel != prev.Channel || t.Cadence != prev.Cadence
	c.Decisions = !slices.Equal(t.Decisions, prev.Decisions)
	c.Goals = t.Goals != prev.Goals
	for i := range t.Tasks {
		if t.Tasks[i] != prev.Tasks[i] {
			c.Areas = append(c.Areas, i)
		}
	}
	return c
}

// ErrCharterIncomplete is what an IncompleteCharterError is.
var ErrCharterIncomplete = errors.New("the charter is incomplete")

// IncompleteCharterError refuses a draft that lacks what a charter needs,
// naming each part.
type IncompleteCharterError struct {
	Missing CharterParts
	// Empty: nothing at all was written or chosen.
	Empty bool
}

func (e *IncompleteCharterError) Error() string {
	if e.Empty {
		return "the charter is empty: write what you expect of each other, how you communicate, and who has each of the nine task areas"
	}
	var parts []string
	if e.Missing.Expectations {
		parts = append(parts, "what you expect of each other")
	}
	if e.Missing.Communication {
		parts = append(parts, "how you communicate")
	}
	if e.Missing.Decisions {
		parts = append(parts, "a right for every kind of decision named")
	}
	if n := len(e.Missing.Areas); n > 0 {
		areas := assessment.TaskAreas()
		var names []string
		for _, i := range e.Missing.Areas {
			names = append(names, areas[i].Name)
		}
		parts = append(parts, "who has "+joinAnd(names))
	}
	return "the charter lacks " + joinAnd(parts)
}

// Is makes errors.Is(err, ErrCharterIncomplete) true.
func (e *IncompleteCharterError) Is(target error) bool { return target == ErrCharterIncomplete }

func joinAnd(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// check refuses terms (cleaned) that lack what a charter needs.
func (t CharterTerms) check() error {
	m := t.Missing()
	if m.None() {
		return nil
	}
	var blank CharterTerms
	blank.Decisions = []Decision{}
	blank.AssistantExpects, blank.ExecutiveExpects = []string{}, []string{}
	return &IncompleteCharterError{Missing: m, Empty: t.Equal(blank)}
}

// Acceptance is one member's yes to a version, or to a review.
type Acceptance struct {
	By string
	At time.Time
}

// CharterVersion is one version of a pair's charter: what it says, who
// drafted it when, and who accepted it when.
type CharterVersion struct {
	Number int // from 1
	CharterTerms
	DraftedBy string
	DraftedAt time.Time
	// Accepted lists the acceptances, the drafter's (at drafting) first.
	Accepted []Acceptance
	// CardChannel and CardTS name the card that asks the partner to
	// accept it, so that it is updated in place ("" before it went out).
	CardChannel, CardTS string
}

// AcceptedBy reports whether user accepted the version, and when.
func (v CharterVersion) AcceptedBy(user string) (time.Time, bool) {
	for _, a := range v.Accepted {
		if a.By == user {
			return a.At, true
		}
	}
	return time.Time{}, false
}

// Agreed reports whether both members accepted the version. Only members
// accept (the use cases check it), so two people accepting is both.
func (v CharterVersion) Agreed() bool { _, ok := both(v.Accepted); return ok }

// AgreedAt is when the version came into force: the second acceptance
// (zero when not agreed).
func (v CharterVersion) AgreedAt() time.Time { at, _ := both(v.Accepted); return at }

// both reports whether two people said yes, and when the second did.
func both(yes []Acceptance) (time.Time, bool) {
	seen := map[string]bool{}
	var at time.Time
	for _, a := range yes {
		seen[a.By] = true
		if a.At.After(at) {
			at = a.At
		}
	}
	if len(seen) < 2 {
		return time.Time{}, false
	}
	return at, true
}

// saidYes reports whether user is among yes.
func saidYes(yes []Acceptance, user string) bool {
	return slices.ContainsFunc(yes, func(a Acceptance) bool { return a.By == user })
}

// CharterReview is one quarter's review of the version in force: who
// confirmed it still holds, and when.
type CharterReview struct {
	Version   int       // the version in force that was reviewed
	Due       time.Time // the date the review was due: one review per date
	Confirmed []Acceptance
}

// Done reports whether both members confirmed.
func (r CharterReview) Done() bool { _, ok := both(r.Confirmed); return ok }

// DoneAt is when the second member confirmed (zero when not done).
func (r CharterReview) DoneAt() time.Time { at, _ := both(r.Confirmed); return at }

// Charter is a pair's charter: every version, oldest first, and the
// reviews of the versions in force.
type Charter struct {
	Pair     PairID
	Versions []CharterVersion
	Reviews  []CharterReview
}

// Version returns version n.
func (c Charter) Version(n int) (CharterVersion, bool) {
	for _, v := range c.Versions {
		if v.Number == n {
			return v, true
		}
	}
	return CharterVersion{}, false
}

// Latest is the newest version, agreed or not.
func (c Charter) Latest() (CharterVersion, bool) {
	if len(c.Versions) == 0 {
		return CharterVersion{}, false
	}
	return c.Versions[len(c.Versions)-1], true
}

// InForce is the newest agreed version.
func (c Charter) InForce() (CharterVersion, bool) {
	for i := len(c.Versions) - 1; i >= 0; i-- {
		if c.Versions[i].Agreed() {
			return c.Versions[i], true
		}
	}
	return CharterVersion{}, false
}

// Pending is the newest version when it waits for an acceptance: a draft
// that will replace the version in force (if any) once both accept it.
// Older drafts that were never agreed are replaced by it, and can no
// longer be accepted.
func (c Charter) Pending() (CharterVersion, bool) {
	v, ok := c.Latest()
	if !ok || v.Agreed() {
		return CharterVersion{}, false
	}
	return v, true
}

// ReviewEvery is how often a charter in force is reviewed: a quarter.
const ReviewEvery = 3 // months

// ReviewLead is how early a review counts as due: the week before its
// date, so that the weekly check-in of that week asks for it whatever day
// of the week it falls on.
const ReviewLead = 7 * 24 * time.Hour

// AddQuarter is t three calendar months later, on the same day of the
// month or the last day of a shorter month (30 November → 28 February, or
// 29 in a leap year), at the same time of day, in t's location.
func AddQuarter(t time.Time) time.Time { return addMonths(t, ReviewEvery) }

func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, t.Location())
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d, last), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
}

// lastReviewed is when the version in force was agreed or, if later,
// last reviewed by both.
func (c Charter) lastReviewed() (CharterVersion, time.Time, bool) {
	v, ok := c.InForce()
	if !ok {
		return CharterVersion{}, time.Time{}, false
	}
	at := v.AgreedAt()
	for _, r := range c.Reviews {
		if r.Version == v.Number && r.Done() && r.DoneAt().After(at) {
			at = r.DoneAt()
		}
	}
	return v, at, true
}

// NextReview is the date the next review is due: a quarter after the
// version in force was agreed, or last reviewed. ok is false when no
// version is in force.
func (c Charter) NextReview() (time.Time, bool) {
	_, at, ok := c.lastReviewed()
	if !ok {
		return time.Time{}, false
	}
	return AddQuarter(at), true
}

// ReviewDue reports whether a review is due at now: from ReviewLead
// before NextReview until both confirmed it or a new version is agreed.
func (c Charter) ReviewDue(now time.Time) bool {
	due, ok := c.NextReview()
	return ok && !now.Add(ReviewLead).Before(due)
}

// review is the review record for the due date, if one was begun.
func (c Charter) review(version int, due time.Time) (CharterReview, int) {
	for i, r := range c.Reviews {
		if r.Version == version && r.Due.Equal(due) {
			return r, i
		}
	}
	return CharterReview{Version: version, Due: due}, -1
}

// CharterStatus is where a pair's charter stands.
type CharterStatus string

// Charter statuses, as Home shows them.
const (
	CharterStatusNone      CharterStatus = "none"       // nothing drafted
	CharterStatusDraft     CharterStatus = "draft"      // drafted, none agreed yet
	CharterStatusAgreed    CharterStatus = "agreed"     // a version is in force
	CharterStatusReviewDue CharterStatus = "review_due" // in force, and its review is due
)

// CharterState is a charter's state for Home and check-ins.
type CharterState struct {
	Status CharterStatus
	// InForce is the number of the version in force (0 when none),
	// AgreedAt when it was agreed, NextReview when its review is due.
	InForce    int
	AgreedAt   time.Time
	NextReview time.Time
	// Pending is the number of the draft waiting for an acceptance (0
	// when none), DraftedBy its drafter, WaitingFor the member whose
	// acceptance it waits for.
	Pending    int
	DraftedBy  string
	WaitingFor string
	// Reviewed lists who confirmed, so far, that the version in force
	// still holds, when its review is due.
	Reviewed []string
}

// State is the charter's state in pair p at now.
func (c Charter) State(p Pair, now time.Time) CharterState {
	var st CharterState
	if pv, ok := c.Pending(); ok {
		st.Pending, st.DraftedBy = pv.Number, pv.DraftedBy
		for _, u := range []string{p.Assistant, p.Executive} {
			if !saidYes(pv.Accepted, u) && st.WaitingFor == "" {
				st.WaitingFor = u
			}
		}
	}
	v, ok := c.InForce()
	switch {
	case ok:
		st.Status, st.InForce, st.AgreedAt = CharterStatusAgreed, v.Number, v.AgreedAt()
		st.NextReview, _ = c.NextReview()
		if c.ReviewDue(now) {
			st.Status = CharterStatusReviewDue
			r, _ := c.review(v.Number, st.NextReview)
			for _, a := range r.Confirmed {
				st.Reviewed = append(st.Reviewed, a.By)
			}
		}
	case st.Pending > 0:
		st.Status = CharterStatusDraft
	default:
		st.Status = CharterStatusNone
	}
	return st
}

// Errors of the charter, each with a message fit to show the user.
var (
	ErrCharterChanged  = errors.New("the charter changed while you were editing it")
	ErrCharterReplaced = errors.New("that draft of the charter was replaced by a newer one")
	ErrCharterNoSuch   = errors.New("that version of the charter does not exist")
	ErrReviewNotDue    = errors.New("your charter's review is not due yet")
	ErrNoCharter       = errors.New("your partnership has no charter in force yet")
)

// CharterChangedError refuses a draft made from a version that is no
// longer the latest: someone saved another meanwhile. Latest is it.
type CharterChangedError struct{ Latest CharterVersion }

func (e *CharterChangedError) Error() string { return ErrCharterChanged.Error() }

// Is makes errors.Is(err, ErrCharterChanged) true.
func (e *CharterChangedError) Is(target error) bool { return target == ErrCharterChanged }

// charterStore is the storage the charter needs. Every method touches only
// the pair's own keys, and changes nothing once the pair is gone
// (ErrNotFound).
type charterStore interface {
	// Charter loads the pair's charter (no versions when never drafted).
	Charter(ctx context.Context, id PairID) (Charter, error)
	// AddCharterVersion stores v as version base+1 if the latest stored
	// is still base (0: none); ErrConflict otherwise.
	AddCharterVersion(ctx context.Context, id PairID, base int, v CharterVersion) error
	// UpdateCharterVersion replaces old by next (same number) if old is
	// still what is stored; ErrConflict otherwise.
	UpdateCharterVersion(ctx context.Context, id PairID, old, next CharterVersion) error
	// SetCharterReviews replaces the reviews old by next if old is still
	// what is stored; ErrConflict otherwise.
	SetCharterReviews(ctx context.Context, id PairID, old, next []CharterReview) error
	// SetCharterCard records where version n's card is.
	SetCharterCard(ctx context.Context, id PairID, n int, channel, ts string) error
}

// charterTries bounds the retries of a compare-and-set that lost a race.
const charterTries = 3

// Charter is the pair's charter, for a member: in force, pending, history.
func (s *Service) Charter(ctx context.Context, id PairID, by string) (Pair, Charter, error) {
	p, err := s.member(ctx, id, by)
	if err != nil {
		return Pair{}, Charter{}, err
	}
	c, err := s.store.Charter(ctx, p.ID)
	return p, c, err
}

// CharterState is the pair's charter state now, for a member (Home).
func (s *Service) CharterState(ctx context.Context, id PairID, by string) (CharterState, error) {
	p, c, err := s.Charter(ctx, id, by)
	if err != nil {
		return CharterState{}, err
	}
	return c.State(p, s.clock.Now()), nil
}

// CharterReviewDue reports whether the pair's charter review is due this
// week: the check-in of the week asks both members to review it. It is
// for the check-in job, whose pair ID comes from the due-queue rather than
// from Slack: it checks no membership. A pair that is gone, or without a
// charter in force, has none due.
func (s *Service) CharterReviewDue(ctx context.Context, id PairID) (bool, error) {
	if _, _, _, err := ParsePairID(string(id)); err != nil {
		return false, err
	}
	c, err := s.store.Charter(ctx, id)
	if err != nil {
		return false, err
	}
	return c.ReviewDue(s.clock.Now()), nil
}

// CharterDraft is the outcome of drafting a charter.
type CharterDraft struct {
	Pair    Pair
	Version CharterVersion // the version stored, accepted, or unchanged
	// Created: a new version was stored; it waits for Partner.
	Created bool
	Partner string
	// Replaced is the draft that was waiting before this one and can no
	// longer be accepted (Number 0 when none).
	Replaced CharterVersion
	// Unchanged: the draft says what the version in force (or the
	// drafter's own waiting draft) says; nothing was stored.
	Unchanged bool
	// Accepted: the draft says what the partner's waiting draft says; it
	// counted as accepting it. InForce tells whether it is now in force.
	Accepted bool
	InForce  bool
	// Retry: the same draft was stored before (a redelivered submission).
	Retry bool
}

// DraftCharter stores a new version of the pair's charter drafted by by,
// made from version base (the latest when the form opened; 0 for none).
// The drafter's draft counts as their acceptance; it waits for the
// partner's. A draft that lacks what a charter needs is refused
// (IncompleteCharterError); one made from a version that is no longer the
// latest is refused with the latest (CharterChangedError), so that two
// members saving at once do not lose one silently. A draft saying what the
// version in force says stores nothing (a draft waiting meanwhile keeps
// waiting); one saying what the partner's waiting draft says accepts it; a
// retried submission of a stored draft is reported as stored (Retry).
func (s *Service) DraftCharter(ctx context.Context, id PairID, by string, base int, t CharterTerms) (CharterDraft, error) {
	p, err := s.member(ctx, id, by)
	if err != nil {
		return CharterDraft{}, err
	}
	t = t.Clean()
	if err := t.check(); err != nil {
		return CharterDraft{}, err
	}
	partner, _ := p.Partner(by)
	c, err := s.store.Charter(ctx, p.ID)
	if err != nil {
		return CharterDraft{}, err
	}
	latest, _ := c.Latest()
	out := CharterDraft{Pair: p, Partner: partner}
	if latest.Number != base {
		if latest.Number == base+1 && latest.DraftedBy == by && latest.CharterTerms.Equal(t) {
			out.Version, out.Retry, out.InForce = latest, true, latest.Agreed()
			return out, nil
		}
		return CharterDraft{}, &CharterChangedError{Latest: latest}
	}
	pending, hasPending := c.Pending()
	if hasPending && pending.CharterTerms.Equal(t) {
		if pending.DraftedBy == by {
			out.Version, out.Unchanged = pending, true
			return out, nil
		}
		acc, err := s.AcceptCharter(ctx, p.ID, by, pending.Number)
		if err != nil {
			return CharterDraft{}, err
		}
		out.Version, out.Accepted, out.InForce = acc.Version, true, acc.InForce
		return out, nil
	}
	if v, ok := c.InForce(); ok && v.CharterTerms.Equal(t) {
		out.Version, out.Unchanged, out.InForce = v, true, true
		return out, nil
	}
	now := s.clock.Now().UTC()
	v := CharterVersion{Number: base + 1, CharterTerms: t, DraftedBy: by, DraftedAt: now, Accepted: []Acceptance{{By: by, At: now}}}
	if err := s.store.AddCharterVersion(ctx, p.ID, base, v); errors.Is(err, ErrConflict) {
		if c, err = s.store.Charter(ctx, p.ID); err != nil {
			return CharterDraft{}, err
		}
		latest, _ = c.Latest()
		return CharterDraft{}, &CharterChangedError{Latest: latest}
	} else if err != nil {
		return CharterDraft{}, err
	}
	out.Version, out.Created = v, true
	if hasPending {
		out.Replaced = pending
	}
	return out, nil
}

// CharterAcceptance is the outcome of accepting a version.
type CharterAcceptance struct {
	Pair    Pair
	Version CharterVersion
	// InForce: the version is now in force (both accepted).
	InForce bool
	// Already: by had accepted it before; nothing changed.
	Already bool
}

// AcceptCharter records by's acceptance of version n of the pair's
// charter; once both accepted, it is in force. Accepting again changes
// nothing; a draft replaced by a newer one cannot be accepted
// (ErrCharterReplaced, with the version for its card).
func (s *Service) AcceptCharter(ctx context.Context, id PairID, by string, n int) (CharterAcceptance, error) {
	p, err := s.member(ctx, id, by)
	if err != nil {
		return CharterAcceptance{}, err
	}
	for range charterTries {
		c, err := s.store.Charter(ctx, p.ID)
		if err != nil {
			return CharterAcceptance{}, err
		}
		v, ok := c.Version(n)
		if !ok {
			return CharterAcceptance{}, ErrCharterNoSuch
		}
		out := CharterAcceptance{Pair: p, Version: v}
		if _, yes := v.AcceptedBy(by); yes {
			out.Already, out.InForce = true, v.Agreed()
			return out, nil
		}
		if latest, _ := c.Latest(); latest.Number != n {
			return out, ErrCharterReplaced
		}
		next := v
		next.Accepted = append(slices.Clone(v.Accepted), Acceptance{By: by, At: s.clock.Now().UTC()})
		if err := s.store.UpdateCharterVersion(ctx, p.ID, v, next); errors.Is(err, ErrConflict) {
			continue
		} else if err != nil {
			return CharterAcceptance{}, err
		}
		out.Version, out.InForce = next, next.Agreed()
		return out, nil
	}
	return CharterAcceptance{}, ErrConflict
}

// CharterReviewed is the outcome of a member confirming the charter in
// force still holds.
type CharterReviewed struct {
	Pair    Pair
	Version CharterVersion // in force
	// Done: both confirmed; Next is when the next review is due.
	Done bool
	Next time.Time
	// Waiting is the member who has not confirmed yet, when not Done.
	Waiting string
	// Already: by had confirmed this review before; nothing changed.
	Already bool
}

// ConfirmCharterReview records that by reviewed the charter in force and
// it still holds ("reviewed, no change"). The review is done once both
// members confirmed; then the next is due a quarter later. Outside a due
// review it is refused (ErrReviewNotDue), so that a confirmation always
// belongs to one quarter's review.
func (s *Service) ConfirmCharterReview(ctx context.Context, id PairID, by string) (CharterReviewed, error) {
	p, err := s.member(ctx, id, by)
	if err != nil {
		return CharterReviewed{}, err
	}
	for range charterTries {
		c, err := s.store.Charter(ctx, p.ID)
		if err != nil {
			return CharterReviewed{}, err
		}
		v, ok := c.InForce()
		if !ok {
			return CharterReviewed{}, ErrNoCharter
		}
		now := s.clock.Now().UTC()
		if !c.ReviewDue(now) {
			next, _ := c.NextReview()
			return CharterReviewed{Pair: p, Version: v, Next: next}, ErrReviewNotDue
		}
		due, _ := c.NextReview()
		r, i := c.review(v.Number, due)
		out := CharterReviewed{Pair: p, Version: v}
		if saidYes(r.Confirmed, by) {
			out.Already = true
		} else {
			r.Confirmed = append(slices.Clone(r.Confirmed), Acceptance{By: by, At: now})
			next := slices.Clone(c.Reviews)
			if i < 0 {
				next = append(next, r)
			} else {
				next[i] = r
			}
			if err := s.store.SetCharterReviews(ctx, p.ID, c.Reviews, next); errors.Is(err, ErrConflict) {
				continue
			} else if err != nil {
				return CharterReviewed{}, err
			}
			c.Reviews = next
		}
		out.Done = r.Done()
		if out.Done {
			out.Next, _ = c.NextReview()
		} else {
			out.Waiting, _ = p.Partner(by)
		}
		return out, nil
	}
	return CharterReviewed{}, ErrConflict
}

// SetCharterCard remembers where version n's card is.
func (s *Service) SetCharterCard(ctx context.Context, id PairID, n int, channel, ts string) error {
	return s.store.SetCharterCard(ctx, id, n, channel, ts)
}

// TaskOwnership is who has each task area in one of an assistant's
// partnerships, by the charter in force there.
type TaskOwnership struct {
	Pair Pair
	// Version is the charter version in force (0 when none: Areas are
	// then empty).
	Version int
	Areas   [assessment.NumTaskAreas]Ownership
}

// TaskOwnership lists, for each of the partnerships in which user is the
// assistant, who has each task area: the table an assistant with several
// executives reads across them.
func (s *Service) TaskOwnership(ctx context.Context, user string) ([]TaskOwnership, error) {
	ps, err := s.store.PairsOf(ctx, user)
	if err != nil {
		return nil, err
	}
	var out []TaskOwnership
	for _, p := range ps {
		if p.Assistant != user {
			continue
		}
		c, err := s.store.Charter(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		row := TaskOwnership{Pair: p}
		if v, ok := c.InForce(); ok {
			row.Version, row.Areas = v.Number, v.Tasks
		}
		out = append(out, row)
	}
	return out, nil
}
