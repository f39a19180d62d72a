package partnership

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"slices"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
)

// Store is the storage the use cases need. Every method that names a pair
// touches only that pair's keys.
type Store interface {
	charterStore
	roadmapStore

	// CreatePair stores p; ErrDuplicate when it exists, or when another
	// pair between the same two people does (the reverse one).
	CreatePair(ctx context.Context, p Pair) error
	// DeletePair removes the pair and everything in it (results, lists,
	// wishes, goals, wins), and the pair from both members' lists.
	DeletePair(ctx context.Context, p Pair) error
	// Pair loads one pair; ErrNotFound when there is none.
	Pair(ctx context.Context, id PairID) (Pair, error)
	// PairsOf lists the pairs user is in, oldest first.
	PairsOf(ctx context.Context, user string) ([]Pair, error)

	// SaveResult appends r (to its pair's results when r.PairID is set,
	// else to the user's own) and returns the same user's result before it
	// there. A retried r.ID stores nothing and returns ErrAlreadySaved.
	SaveResult(ctx context.Context, r assessment.Result) (prev assessment.Result, ok bool, err error)
	// PairResults are the pair's latest results (both members), oldest first.
	PairResults(ctx context.Context, id PairID, limit int) ([]assessment.Result, error)
	// Results are the user's latest results outside any pair, oldest first.
	Results(ctx context.Context, user string, limit int) ([]assessment.Result, error)

	// NextSteps loads a member's lists; ok is false when never written.
	NextSteps(ctx context.Context, id PairID, user string) (s NextSteps, ok bool, err error)
	// SaveNextSteps stores the lists, adds the new wishes and makes the
	// edits, atomically; ErrConflict (nothing stored) when an edited wish
	// changed meanwhile.
	SaveNextSteps(ctx context.Context, s NextSteps, newWishes []Wish, edits []WishEdit) error
	// Wishes are all the pair's wishes.
	Wishes(ctx context.Context, id PairID) ([]Wish, error)
	// SetWishCard records the message that shows these wishes to their
	// addressee; WishCards reads where each wish is shown.
	SetWishCard(ctx context.Context, id PairID, wishIDs []string, card CardRef) error
	WishCards(ctx context.Context, id PairID) (map[string]CardRef, error)
	// UpdateWish replaces old by next if old is still what is stored;
	// ErrConflict otherwise.
	UpdateWish(ctx context.Context, old, next Wish) error

	// ClaimSummary records that a summary of the pair goes out at at, if
	// the last one went out at or before notAfter; false when another
	// claim came first.
	ClaimSummary(ctx context.Context, id PairID, notAfter, at time.Time) (bool, error)
	// LastSummary is when the pair's last summary went out (zero if never).
	LastSummary(ctx context.Context, id PairID) (time.Time, error)

	// DefaultPair is the pair user chose last; "" when none.
	DefaultPair(ctx context.Context, user string) (PairID, error)
	SetDefaultPair(ctx context.Context, user string, id PairID) error

	// DeleteUser removes what user holds outside any pair: their own
	// results, former partnerships, remembered choices and everything else
	// kept under their name. Pairs go with DeletePair.
	DeleteUser(ctx context.Context, user string) error
	// SaveReflection stores a member's check-in answer for its round (one
	// per member and round) and counts the round as answered by them;
	// Reflections are all the pair's.
	SaveReflection(ctx context.Context, r Reflection) error
	Reflections(ctx context.Context, id PairID) ([]Reflection, error)

	// AddFormer keeps f as one of user's former partnerships (once per
	// f.Key); Formers lists them, oldest first.
	AddFormer(ctx context.Context, user string, f Former) error
	Formers(ctx context.Context, user string) ([]Former, error)

	// SetConsent records whether user lets the pair's scorecard be shown
	// in scope sc.
	SetConsent(ctx context.Context, id PairID, sc Scope, user string, yes bool) error
	// Consents tells, for each scope, which members agreed.
	Consents(ctx context.Context, id PairID) (map[Scope]map[string]bool, error)
	// SetScorecardRequest records the ask waiting for sc (a zero r clears
	// it); ScorecardRequests reads them all.
	SetScorecardRequest(ctx context.Context, id PairID, sc Scope, r ScorecardRequest) error
	ScorecardRequests(ctx context.Context, id PairID) (map[Scope]ScorecardRequest, error)
	// AllPairs lists every pair.
	AllPairs(ctx context.Context) ([]PairID, error)

	// CreateInvitation stores an invitation; ErrInvitePending when one for
	// the same pair is stored.
	CreateInvitation(ctx context.Context, inv Invitation) error
	// Invitation loads the invitation for a pair; ErrInvitationGone when
	// there is none.
	Invitation(ctx context.Context, id PairID) (Invitation, error)
	// ConsumeInvitation removes inv if it is still the one stored (same
	// inviter, same time); false when it was not (answered meanwhile).
	ConsumeInvitation(ctx context.Context, inv Invitation) (bool, error)
	// DeleteInvitation removes inv, whatever is stored.
	DeleteInvitation(ctx context.Context, inv Invitation) error
	// InvitationsOf lists the invitations user sent or was sent, oldest
	// first, expired ones included.
	InvitationsOf(ctx context.Context, user string) ([]Invitation, error)
	// SetInvitationCard records where the invitation's message is.
	SetInvitationCard(ctx context.Context, inv Invitation, channel, ts string) error
}

// Errors the store returns.
var (
	ErrAlreadySaved = errors.New("already saved")
	ErrConflict     = errors.New("changed meanwhile, try again")
)

// Clock tells the time.
type Clock interface{ Now() time.Time }

// Service runs the use cases.
type Service struct {
	store Store
	clock Clock
}

// NewService returns the use cases over store.
func NewService(store Store, clock Clock) *Service { return &Service{store: store, clock: clock} }

// historyDepth bounds the results read for a summary or history.
const historyDepth = 100

// member loads a pair and checks that user belongs to it. Every use case
// that names a pair goes through here: IDs come from Slack and are
// untrusted.
func (s *Service) member(ctx context.Context, id PairID, user string) (Pair, error) {
	if _, _, _, err := ParsePairID(string(id)); err != nil {
		return Pair{}, err
	}
	p, err := s.store.Pair(ctx, id)
	if err != nil {
		return Pair{}, err
	}
	if !p.Has(user) {
		return Pair{}, ErrNotMember
	}
	return p, nil
}

// Pair returns a pair user belongs to.
func (s *Service) Pair(ctx context.Context, id PairID, user string) (Pair, error) {
	return s.member(ctx, id, user)
}

// LeavePair ends a pair; either member may leave. Each keeps their own
// history of it; the rest goes with it.
func (s *Service) LeavePair(ctx context.Context, id PairID, by string) (Pair, error) {
	p, err := s.member(ctx, id, by)
	if err != nil {
		return Pair{}, err
	}
	return p, s.endPair(ctx, p, p.Assistant, p.Executive)
}

// Choice is the pairs a user may act on and the one to preselect.
type Choice struct {
	Pairs   []Pair
	Default PairID // "" when the user has no pair
}

// Choices lists user's pairs and the remembered default (or the first).
func (s *Service) Choices(ctx context.Context, user string) (Choice, error) {
	ps, err := s.store.PairsOf(ctx, user)
	if err != nil || len(ps) == 0 {
		return Choice{}, err
	}
	c := Choice{Pairs: ps, Default: ps[0].ID}
	def, err := s.store.DefaultPair(ctx, user)
	if err != nil {
		return Choice{}, err
	}
	if slices.ContainsFunc(ps, func(p Pair) bool { return p.ID == def }) {
		c.Default = def
	}
	return c, nil
}

// Remember makes id the user's default pair, if they belong to it.
func (s *Service) Remember(ctx context.Context, user string, id PairID) error {
	if _, err := s.member(ctx, id, user); err != nil {
		return err
	}
	return s.store.SetDefaultPair(ctx, user, id)
}

// Submitted is what follows a stored result.
type Submitted struct {
	Result  assessment.Result
	Prev    assessment.Result
	HasPrev bool
	Retry   bool // the same submission was stored before
	// Pair is the pair the result is about (zero for a result outside any).
	Pair Pair
}

// SubmitResult stores a result (for r.PairID when set, after checking
// membership): three Redis round trips at most, before the user's ack.
// Whether it completes a round is SummaryIfDue's question, after the ack.
func (s *Service) SubmitResult(ctx context.Context, r assessment.Result) (Submitted, error) {
	var p Pair
	if r.PairID != "" {
		var err error
		if p, err = s.member(ctx, PairID(r.PairID), r.UserID); err != nil {
			return Submitted{}, err
		}
		r.Perspective = p.Perspective(r.UserID)
	} else {
		r.Shared = false
	}
	prev, ok, err := s.store.SaveResult(ctx, r)
	retry := errors.Is(err, ErrAlreadySaved)
	if err != nil && !retry {
		return Submitted{}, err
	}
	return Submitted{Result: r, Prev: prev, HasPrev: ok, Retry: retry, Pair: p}, nil
}

// SummaryIfDue claims the pair's summary when both members have a result
// newer than the last one; true when this call won the claim and should
// send it (once, however many replicas ask).
func (s *Service) SummaryIfDue(ctx context.Context, p Pair) (Summary, bool, error) {
	sum, last, err := s.roundSummary(ctx, p)
	if err != nil || !sum.Ready(last) {
		return Summary{}, false, err
	}
	claimed, err := s.store.ClaimSummary(ctx, p.ID, last, sum.At)
	return sum, claimed, err
}

// summaryData loads what the pair's summary is built from, the wins since
// since.
func (s *Service) summaryData(ctx context.Context, p Pair, since time.Time) (SummaryData, error) {
	var d SummaryData
	var err error
	if d.Results, err = s.store.PairResults(ctx, p.ID, historyDepth); err != nil {
		return d, err
	}
	if d.Wishes, err = s.store.Wishes(ctx, p.ID); err != nil {
		return d, err
	}
	if d.Goals, _, err = s.store.Roadmap(ctx, p.ID); err != nil {
		return d, err
	}
	if d.Wins, err = s.store.Wins(ctx, p.ID, since); err != nil {
		return d, err
	}
	d.Reflections, err = s.store.Reflections(ctx, p.ID)
	return d, err
}

// summary is the pair's summary now, without what happened since the last
// one (for the Home tab and scorecards).
func (s *Service) summary(ctx context.Context, p Pair) (Summary, error) {
	rs, err := s.store.PairResults(ctx, p.ID, historyDepth)
	if err != nil {
		return Summary{}, err
	}
	ws, err := s.store.Wishes(ctx, p.ID)
	if err != nil {
		return Summary{}, err
	}
	return NewSummary(p, rs, ws, s.clock.Now().UTC()), nil
}

// progressAt is the pair's progress between since and at.
func (s *Service) progressAt(ctx context.Context, p Pair, since, at time.Time) (Progress, error) {
	gs, _, err := s.store.Roadmap(ctx, p.ID)
	if err != nil {
		return Progress{}, err
	}
	ws, err := s.store.Wins(ctx, p.ID, since)
	if err != nil {
		return Progress{}, err
	}
	return NewProgress(p, gs, ws, since, at), nil
}

// roundSummary is the pair's whole summary now, covering what happened
// since the last one, and when that went out.
func (s *Service) roundSummary(ctx context.Context, p Pair) (Summary, time.Time, error) {
	last, err := s.store.LastSummary(ctx, p.ID)
	if err != nil {
		return Summary{}, time.Time{}, err
	}
	d, err := s.summaryData(ctx, p, last)
	if err != nil {
		return Summary{}, time.Time{}, err
	}
	return BuildSummary(p, d, last, s.clock.Now().UTC()), last, nil
}

// Summary is the pair's summary now, for a member, and records it as sent.
func (s *Service) Summary(ctx context.Context, id PairID, by string) (Summary, error) {
	p, err := s.member(ctx, id, by)
	if err != nil {
		return Summary{}, err
	}
	sum, last, err := s.roundSummary(ctx, p)
	if err != nil {
		return Summary{}, err
	}
	if _, err := s.store.ClaimSummary(ctx, p.ID, last, sum.At); err != nil {
		return Summary{}, err
	}
	return sum, nil
}

// View is the pair's summary for a member without recording anything
// (for the Home tab).
func (s *Service) View(ctx context.Context, id PairID, by string) (Summary, error) {
	p, err := s.member(ctx, id, by)
	if err != nil {
		return Summary{}, err
	}
	return s.summary(ctx, p)
}

// History is the user's results: outside any pair, in each of their
// pairs and in their former partnerships, oldest first.
func (s *Service) History(ctx context.Context, user string, limit int) ([]assessment.Result, error) {
	ps, err := s.store.PairsOf(ctx, user)
	if err != nil {
		return nil, err
	}
	return s.ownResults(ctx, user, ps, limit)
}

// NextSteps loads a member's lists in a pair.
func (s *Service) NextSteps(ctx context.Context, id PairID, user string) (NextSteps, error) {
	p, err := s.member(ctx, id, user)
	if err != nil {
		return NextSteps{}, err
	}
	ns, _, err := s.store.NextSteps(ctx, p.ID, user)
	ns.PairID, ns.UserID = p.ID, user
	return ns, err
}

// SavedSteps is what saving Next Steps did to the wishes.
type SavedSteps struct {
	// Fresh are the wishes sent to the partner by this save.
	Fresh []Wish
	// Edited are sent wishes whose text this save changed (still open,
	// not yet acknowledged: the same wish, so its card is redrawn).
	Edited []Wish
}

// SaveNextSteps stores a member's lists. A wish line is the member's own
// unless ns.Send says to send it: then it becomes a wish addressed to the
// partner, once. A line keeps its wish across saves (ns.WishIDs, as
// NextSteps loaded them): an unchanged line does nothing, whatever the
// wish's status; a closed wish is never reopened by a save; an edited line
// edits its wish while the partner has not acknowledged it, and otherwise
// (sent again) becomes a new one.
func (s *Service) SaveNextSteps(ctx context.Context, ns NextSteps) (SavedSteps, error) {
	p, err := s.member(ctx, ns.PairID, ns.UserID)
	if err != nil {
		return SavedSteps{}, err
	}
	ns.JustRight, ns.DoMore, ns.Wishes = ns.JustRight.Clean(), ns.DoMore.Clean(), ns.Wishes.Clean()
	now := s.clock.Now().UTC()
	ns.UpdatedAt = now
	prev, _, err := s.store.NextSteps(ctx, p.ID, ns.UserID)
	if err != nil {
		return SavedSteps{}, err
	}
	existing, err := s.store.Wishes(ctx, p.ID)
	if err != nil {
		return SavedSteps{}, err
	}
	var mine []Wish
	for _, w := range existing {
		if w.From == ns.UserID {
			mine = append(mine, w)
		}
	}
	partner, _ := p.Partner(ns.UserID)
	plan := planWishes(ns, wishLinks(prev, mine), mine)
	var out SavedSteps
	var edits []WishEdit
	for i := range ListSize {
		switch step := plan[i]; {
		case step.edit != nil:
			edits = append(edits, WishEdit{Old: *step.edit, New: step.edited})
			out.Edited = append(out.Edited, step.edited)
			ns.WishIDs[i] = step.edit.ID
		case step.send:
			w := Wish{ID: newWishID(), PairID: p.ID, From: ns.UserID, To: partner, Text: ns.Wishes[i], Status: WishOpen, CreatedAt: now}
			out.Fresh = append(out.Fresh, w)
			ns.WishIDs[i] = w.ID
		default:
			ns.WishIDs[i] = step.keep
		}
	}
	if err := s.store.SaveNextSteps(ctx, ns, out.Fresh, edits); err != nil {
		return SavedSteps{}, err
	}
	return out, nil
}

// WishEdit replaces a sent wish's text, if it is still Old.
type WishEdit struct{ Old, New Wish }

func newWishID() string { return "w" + randomHex() }

// randomHex is 12 random hex digits: the rest of a new ID.
func randomHex() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// MoveWish moves a wish on behalf of by, who must be its addressee.
func (s *Service) MoveWish(ctx context.Context, id PairID, wishID, by string, to WishStatus, note string) (Wish, error) {
	p, err := s.member(ctx, id, by)
	if err != nil {
		return Wish{}, err
	}
	ws, err := s.store.Wishes(ctx, p.ID)
	if err != nil {
		return Wish{}, err
	}
	i := slices.IndexFunc(ws, func(w Wish) bool { return w.ID == wishID })
	if i < 0 {
		return Wish{}, ErrWishNotFound
	}
	next, err := ws[i].Move(by, to, note, s.clock.Now().UTC())
	if err != nil {
		return Wish{}, err
	}
	if err := s.store.UpdateWish(ctx, ws[i], next); err != nil {
		return Wish{}, err
	}
	return next, nil
}

// Wishes are the open wishes addressed to user and written by user, in all
// their pairs.
func (s *Service) Wishes(ctx context.Context, user string) (toMe, byMe []Wish, err error) {
	ps, err := s.store.PairsOf(ctx, user)
	if err != nil {
		return nil, nil, err
	}
	for _, p := range ps {
		ws, err := s.store.Wishes(ctx, p.ID)
		if err != nil {
			return nil, nil, err
		}
		for _, w := range ws {
			switch {
			case !w.IsOpen():
			case w.To == user:
				toMe = append(toMe, w)
			case w.From == user:
				byMe = append(byMe, w)
			}
		}
	}
	byAge := func(a, b Wish) int { return a.CreatedAt.Compare(b.CreatedAt) }
	slices.SortStableFunc(toMe, byAge)
	slices.SortStableFunc(byMe, byAge)
	return toMe, byMe, nil
}

// Wish loads one wish of a pair the user belongs to.
func (s *Service) Wish(ctx context.Context, id PairID, wishID, user string) (Wish, error) {
	p, err := s.member(ctx, id, user)
	if err != nil {
		return Wish{}, err
	}
	ws, err := s.store.Wishes(ctx, p.ID)
	if err != nil {
		return Wish{}, err
	}
	for _, w := range ws {
		if w.ID == wishID {
			return w, nil
		}
	}
	return Wish{}, ErrWishNotFound
}
