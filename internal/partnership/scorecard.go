package partnership

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
)

// Card is what a scorecard shows of one pair: never answers.
type Card struct {
	Summary      Summary
	WishesOpen   int
	WishesClosed int
	// GoalsDone counts the goals done this quarter (UTC), never their text.
	GoalsDone int
	// CharterAgreed is when the charter in force was agreed (zero when
	// none is), never what it says.
	CharterAgreed time.Time
}

// Scope is where a pair's scorecard may be shown: one channel (its ID), or
// TeamScope, the workspace's anonymous team scorecard. Consent is per
// pair, per scope, from each member: allowing #team allows nothing in
// #all-hands.
type Scope string

// TeamScope is counting the pair in the team scorecard.
const TeamScope Scope = "team"

// ValidScope accepts TeamScope and channel IDs (C… or G…, upper-case
// letters and digits).
func ValidScope(sc Scope) bool { return sc == TeamScope || validSlackID(string(sc), "CG") }

// ScorecardRequest is one member's ask, waiting for the partner's answer.
type ScorecardRequest struct {
	By string
	At time.Time
	// CardChannel and CardTS name the ask's message to the partner, so
	// that it is updated in place once answered ("" before it went out).
	CardChannel, CardTS string
}

// Sharing is where one of a pair's scorecards may go, as a member sees it.
type Sharing struct {
	Scope Scope
	// Agreed: both members allow it. Otherwise Waiting says who has not.
	Agreed  bool
	Waiting string
}

// ScorecardAsk is the outcome of asking for a pair's scorecard in a scope.
type ScorecardAsk struct {
	// Ready: both members agreed; post Card now.
	Ready bool
	Card  Card
	// Partner must agree first, when not Ready; Asked is false when the
	// partner had been asked already (no second card).
	Partner string
	Asked   bool
}

func (s *Service) card(ctx context.Context, p Pair) (Card, error) {
	sum, err := s.summary(ctx, p)
	if err != nil {
		return Card{}, err
	}
	c := Card{Summary: sum}
	ws, err := s.store.Wishes(ctx, p.ID)
	if err != nil {
		return Card{}, err
	}
	for _, w := range ws {
		if w.IsOpen() {
			c.WishesOpen++
		} else {
			c.WishesClosed++
		}
	}
	return c, nil
}

// shownCard is the card posted in a channel: card, the goals done this
// quarter and whether a charter is agreed. (The team scorecard reads only
// the card.)
func (s *Service) shownCard(ctx context.Context, p Pair) (Card, error) {
	c, err := s.card(ctx, p)
	if err != nil {
		return Card{}, err
	}
	gs, _, err := s.store.Roadmap(ctx, p.ID)
	if err != nil {
		return Card{}, err
	}
	c.GoalsDone = DoneSince(gs, QuarterStart(c.Summary.At.UTC()))
	ch, err := s.store.Charter(ctx, p.ID)
	if err != nil {
		return Card{}, err
	}
	if st := ch.State(p, s.clock.Now()); st.InForce > 0 {
		c.CharterAgreed = st.AgreedAt
	}
	return c, nil
}

// scope loads a pair for a member about a valid scope.
func (s *Service) scope(ctx context.Context, id PairID, by string, sc Scope) (Pair, error) {
	if !ValidScope(sc) {
		return Pair{}, ErrBadID
	}
	return s.member(ctx, id, by)
}

// RequestScorecard records by's consent for sc and, when the partner
// agreed to sc too, returns the card to post; otherwise it records the ask
// for the partner to answer.
func (s *Service) RequestScorecard(ctx context.Context, id PairID, by string, sc Scope) (ScorecardAsk, error) {
	p, err := s.scope(ctx, id, by, sc)
	if err != nil {
		return ScorecardAsk{}, err
	}
	if err := s.store.SetConsent(ctx, p.ID, sc, by, true); err != nil {
		return ScorecardAsk{}, err
	}
	consents, err := s.store.Consents(ctx, p.ID)
	if err != nil {
		return ScorecardAsk{}, err
	}
	partner, _ := p.Partner(by)
	if !consents[sc][partner] {
		reqs, err := s.store.ScorecardRequests(ctx, p.ID)
		if err != nil {
			return ScorecardAsk{}, err
		}
		if r, ok := reqs[sc]; ok && r.By == by {
			return ScorecardAsk{Partner: partner}, nil // asked already: one card is enough
		}
		return ScorecardAsk{Partner: partner, Asked: true}, s.store.SetScorecardRequest(ctx, p.ID, sc, ScorecardRequest{By: by, At: s.clock.Now().UTC()})
	}
	c, err := s.shownCard(ctx, p)
	return ScorecardAsk{Ready: true, Card: c}, err
}

// SetScorecardCard remembers where the ask's message to the partner is.
func (s *Service) SetScorecardCard(ctx context.Context, id PairID, sc Scope, channel, ts string) error {
	reqs, err := s.store.ScorecardRequests(ctx, id)
	if err != nil {
		return err
	}
	r, ok := reqs[sc]
	if !ok {
		return nil
	}
	r.CardChannel, r.CardTS = channel, ts
	return s.store.SetScorecardRequest(ctx, id, sc, r)
}

// ErrNoRequest reports an answer to a scorecard request that is gone.
var ErrNoRequest = errors.New("that request was answered already")

// ScorecardAnswer is the outcome of answering an ask.
type ScorecardAnswer struct {
	Request ScorecardRequest
	// Card is the card to post, when allowed.
	Card Card
}

// AnswerScorecard records the partner's answer to the ask for sc. With
// yes, it returns the card to post there. The request is returned even
// with ErrNoRequest when one by someone else is gone, so that its card
// can be brought up to date.
func (s *Service) AnswerScorecard(ctx context.Context, id PairID, by string, sc Scope, yes bool) (ScorecardAnswer, error) {
	p, err := s.scope(ctx, id, by, sc)
	if err != nil {
		return ScorecardAnswer{}, err
	}
	reqs, err := s.store.ScorecardRequests(ctx, p.ID)
	if err != nil {
		return ScorecardAnswer{}, err
	}
	r, ok := reqs[sc]
	if !ok || r.By == by {
		return ScorecardAnswer{}, ErrNoRequest
	}
	if err := s.store.SetConsent(ctx, p.ID, sc, by, yes); err != nil {
		return ScorecardAnswer{}, err
	}
	if err := s.store.SetScorecardRequest(ctx, p.ID, sc, ScorecardRequest{}); err != nil {
		return ScorecardAnswer{}, err
	}
	out := ScorecardAnswer{Request: r}
	if yes {
		out.Card, err = s.shownCard(ctx, p)
	}
	return out, err
}

// StopScorecard withdraws by's consent for sc: nothing more is posted
// there (a card already posted stays); a new one needs both to agree
// again. A waiting ask for sc goes too, and is returned so that its card
// can be brought up to date.
func (s *Service) StopScorecard(ctx context.Context, id PairID, by string, sc Scope) (ScorecardRequest, error) {
	p, err := s.scope(ctx, id, by, sc)
	if err != nil {
		return ScorecardRequest{}, err
	}
	if err := s.store.SetConsent(ctx, p.ID, sc, by, false); err != nil {
		return ScorecardRequest{}, err
	}
	reqs, err := s.store.ScorecardRequests(ctx, p.ID)
	if err != nil {
		return ScorecardRequest{}, err
	}
	r, ok := reqs[sc]
	if !ok {
		return ScorecardRequest{}, nil
	}
	return r, s.store.SetScorecardRequest(ctx, p.ID, sc, ScorecardRequest{})
}

// Sharings lists where the pair's scorecards may go: every scope either
// member allows, agreed by both or waiting for one.
func (s *Service) Sharings(ctx context.Context, id PairID, by string) ([]Sharing, error) {
	p, err := s.member(ctx, id, by)
	if err != nil {
		return nil, err
	}
	consents, err := s.store.Consents(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	var out []Sharing
	for sc, who := range consents {
		a, e := who[p.Assistant], who[p.Executive]
		switch {
		case a && e:
			out = append(out, Sharing{Scope: sc, Agreed: true})
		case a:
			out = append(out, Sharing{Scope: sc, Waiting: p.Executive})
		case e:
			out = append(out, Sharing{Scope: sc, Waiting: p.Assistant})
		}
	}
	slices.SortFunc(out, func(x, y Sharing) int { return strings.Compare(string(x.Scope), string(y.Scope)) })
	return out, nil
}

// MinTeamCount is the smallest count a team scorecard shows; smaller ones
// could point at a person.
const MinTeamCount = 3

// TeamCard is the team scorecard as it may be published: Team has already
// withheld whatever could point at someone. Partners see each other's
// results, so a pair, not a person, is what one onlooker may know; why
// each number is safe to show, to anyone outside the pairs and to any one
// pair:
//
//   - Pairs counts the consenting pairs with at least one result. Under
//     MinTeamCount it is all Team sets, and the card shows neither it nor
//     anything else.
//   - Bands counts those pairs by band (the mean of the pair's two latest
//     scores). The counts add up to Pairs, so which to hide is Suppress's
//     choice: a count of 1 or 2 is hidden, and more with it, so that no
//     hidden count follows from Pairs and the counts shown, even to
//     someone who knows the rule; when no such choice exists, all are
//     hidden. Every shown count but 0 is at least MinTeamCount pairs, so
//     one pair in it leaves two others.
//   - Average is the mean of every latest score in those pairs: at least
//     MinTeamCount pairs, so one pair that knows its own scores is left
//     with the sum of at least two other pairs'.
//   - Change compares the same people's latest and previous results (the
//     mean of those latest minus the mean of those previous; not Average,
//     which also takes in people with one result), and is there only when
//     ChangeFrom, the people it is over, are at least MinTeamCount from at
//     least MinTeamCount pairs: one pair left with the changes of at least
//     two others, as for Average. Otherwise both are 0.
//   - WishesOpened and WishesClosed count wishes made and closed since
//     Since. They are no part of a total the card shows, so each needs
//     hiding only when small: under MinTeamCount, 0 included, it is
//     Hidden, so hidden means anything from 0 to 2.
//
// Not protected: two cards compared (a pair that joins between them shows
// in the difference), and someone who is in all but one or two of the
// pairs (an assistant with several executives knows those pairs' results).
type TeamCard struct {
	Pairs                      int
	Bands                      map[string]Count // by band key
	Average                    float64
	Change                     float64
	ChangeFrom                 int
	WishesOpened, WishesClosed Count
	Since                      time.Time
}

// Count is a number a team scorecard publishes, or Hidden: withheld so
// that no count points at anyone. N is 0 when hidden.
type Count struct {
	N      int
	Hidden bool
}

// Team builds the team scorecard over consenting pairs.
func (s *Service) Team(ctx context.Context, since time.Time) (TeamCard, error) {
	ids, err := s.store.AllPairs(ctx)
	if err != nil {
		return TeamCard{}, err
	}
	var (
		bands          = map[string]int{}
		latest         []int
		changes        []teamChange
		opened, closed int
		pairs          int
	)
	for _, id := range ids {
		consents, err := s.store.Consents(ctx, id)
		if err != nil {
			return TeamCard{}, err
		}
		p, err := s.store.Pair(ctx, id)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return TeamCard{}, err
		}
		if team := consents[TeamScope]; !team[p.Assistant] || !team[p.Executive] {
			continue
		}
		c, err := s.card(ctx, p)
		if err != nil {
			return TeamCard{}, err
		}
		var pairScores []int
		for _, side := range []Side{c.Summary.Assistant, c.Summary.Executive} {
			last, ok := side.Latest()
			if !ok {
				continue
			}
			pairScores = append(pairScores, last.Score)
			latest = append(latest, last.Score)
			if prev, ok := side.Previous(); ok {
				changes = append(changes, teamChange{pair: p.ID, user: side.UserID, latest: last.Score, previous: prev.Score})
			}
		}
		if len(pairScores) > 0 {
			pairs++
			bands[assessment.BandFor(roundMean(pairScores)).Key]++
		}
		ws, err := s.store.Wishes(ctx, p.ID)
		if err != nil {
			return TeamCard{}, err
		}
		for _, w := range ws {
			if !w.CreatedAt.Before(since) {
				opened++
			}
			if n := len(w.History); !w.IsOpen() && n > 0 && !w.History[n-1].At.Before(since) {
				closed++
			}
		}
	}
	t := TeamCard{Pairs: pairs, Since: since}
	if pairs < MinTeamCount {
		return t, nil
	}
	t.Bands = teamBands(bands)
	t.Average = mean(latest)
	t.Change, t.ChangeFrom = change(changes)
	t.WishesOpened, t.WishesClosed = teamCount(opened), teamCount(closed)
	return t, nil
}

// teamBands is the band counts with Suppress's cells hidden.
func teamBands(counts map[string]int) map[string]Count {
	bs := assessment.Bands()
	cells := make([]int, len(bs))
	for i, b := range bs {
		cells[i] = counts[b.Key]
	}
	hidden := Suppress(cells, MinTeamCount)
	out := make(map[string]Count, len(bs))
	for i, b := range bs {
		if hidden[i] {
			out[b.Key] = Count{Hidden: true}
		} else {
			out[b.Key] = Count{N: cells[i]}
		}
	}
	return out
}

// teamCount hides a count of events under MinTeamCount, 0 included.
func teamCount(n int) Count {
	if n < MinTeamCount {
		return Count{Hidden: true}
	}
	return Count{N: n}
}

// teamChange is one member's latest and previous score in one pair.
type teamChange struct {
	pair             PairID
	user             string
	latest, previous int
}

// change is the mean of the latest scores minus the mean of the previous
// ones, over the same members, and how many people that is; 0, 0 unless
// they are at least MinTeamCount people from at least MinTeamCount pairs.
// Someone in several pairs counts once.
func change(cs []teamChange) (delta float64, people int) {
	users, pairs := map[string]bool{}, map[PairID]bool{}
	var latest, previous []int
	for _, c := range cs {
		users[c.user], pairs[c.pair] = true, true
		latest, previous = append(latest, c.latest), append(previous, c.previous)
	}
	if len(users) < MinTeamCount || len(pairs) < MinTeamCount {
		return 0, 0
	}
	return mean(latest) - mean(previous), len(users)
}

func mean(xs []int) float64 {
	if len(xs) == 0 {
		return 0
	}
	sum := 0
	for _, x := range xs {
		sum += x
	}
	return float64(sum) / float64(len(xs))
}

func roundMean(xs []int) int { return int(mean(xs) + 0.5) }
