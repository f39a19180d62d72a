package partnership

import (
	"context"
	"errors"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
)

// Card is what a scorecard shows of one pair: never answers.
type Card struct {
	Summary      Summary
	WishesOpen   int
	WishesClosed int
}

// ScorecardAsk is the outcome of asking for a pair's scorecard in a channel.
type ScorecardAsk struct {
	// Ready: both members agreed; post Card now.
	Ready bool
	Card  Card
	// Partner must agree first, when not Ready.
	Partner string
}

func (s *Service) card(ctx context.Context, p Pair) (Card, error) {
	sum, err := s.summary(ctx, p)
	if err != nil {
		return Card{}, err
	}
	ws, err := s.store.Wishes(ctx, p.ID)
	if err != nil {
		return Card{}, err
	}
	c := Card{Summary: sum}
	for _, w := range ws {
		if w.IsOpen() {
			c.WishesOpen++
		} else {
			c.WishesClosed++
		}
	}
	return c, nil
}

// RequestScorecard records by's consent and, when the partner agreed too,
// returns the card to post; otherwise it keeps the channel for when they do.
func (s *Service) RequestScorecard(ctx context.Context, id PairID, by, channel string) (ScorecardAsk, error) {
	p, err := s.member(ctx, id, by)
	if err != nil {
		return ScorecardAsk{}, err
	}
	if err := s.store.SetConsent(ctx, p.ID, by, true); err != nil {
		return ScorecardAsk{}, err
	}
	consent, err := s.store.Consent(ctx, p.ID)
	if err != nil {
		return ScorecardAsk{}, err
	}
	partner, _ := p.Partner(by)
	if !consent[partner] {
		return ScorecardAsk{Partner: partner}, s.store.SetScorecardRequest(ctx, p.ID, channel, by)
	}
	c, err := s.card(ctx, p)
	return ScorecardAsk{Ready: true, Card: c}, err
}

// ErrNoRequest reports an answer to a scorecard request that is gone.
var ErrNoRequest = errors.New("that request was answered already")

// AnswerScorecard records the partner's answer. With yes, it returns the
// card and the channel it was asked for; either way, who asked.
func (s *Service) AnswerScorecard(ctx context.Context, id PairID, by string, yes bool) (c Card, channel, requester string, err error) {
	p, err := s.member(ctx, id, by)
	if err != nil {
		return Card{}, "", "", err
	}
	channel, requester, err = s.store.ScorecardRequest(ctx, p.ID)
	if err != nil {
		return Card{}, "", "", err
	}
	if channel == "" || requester == by {
		return Card{}, "", "", ErrNoRequest
	}
	if err := s.store.SetConsent(ctx, p.ID, by, yes); err != nil {
		return Card{}, "", "", err
	}
	if err := s.store.SetScorecardRequest(ctx, p.ID, "", ""); err != nil {
		return Card{}, "", "", err
	}
	if !yes {
		return Card{}, "", requester, nil
	}
	c, err = s.card(ctx, p)
	return c, channel, requester, err
}

// MinTeamCount is the smallest count a team scorecard shows; smaller ones
// could point at a person.
const MinTeamCount = 3

// TeamCard aggregates the pairs whose members both agreed to share.
type TeamCard struct {
	Pairs int            // consenting pairs with at least one result
	Bands map[string]int // band key → pairs in it (by the mean of the two latest scores)
	// Average is the mean of every member's latest score; Previous the mean
	// of the results before those, where there is one.
	Average, Previous float64
	HasPrevious       bool
	// WishesOpened and WishesClosed count wishes made and closed since Since.
	WishesOpened, WishesClosed int
	Since                      time.Time
}

// Team builds the team scorecard over consenting pairs.
func (s *Service) Team(ctx context.Context, since time.Time) (TeamCard, error) {
	ids, err := s.store.AllPairs(ctx)
	if err != nil {
		return TeamCard{}, err
	}
	t := TeamCard{Bands: map[string]int{}, Since: since}
	var latest, previous []int
	for _, id := range ids {
		consent, err := s.store.Consent(ctx, id)
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
		if !consent[p.Assistant] || !consent[p.Executive] {
			continue
		}
		c, err := s.card(ctx, p)
		if err != nil {
			return TeamCard{}, err
		}
		var pairScores []int
		for _, side := range []Side{c.Summary.Assistant, c.Summary.Executive} {
			if r, ok := side.Latest(); ok {
				pairScores = append(pairScores, r.Score)
				latest = append(latest, r.Score)
			}
			if r, ok := side.Previous(); ok {
				previous = append(previous, r.Score)
			}
		}
		if len(pairScores) > 0 {
			t.Pairs++
			t.Bands[assessment.BandFor(roundMean(pairScores)).Key]++
		}
		ws, err := s.store.Wishes(ctx, p.ID)
		if err != nil {
			return TeamCard{}, err
		}
		for _, w := range ws {
			if !w.CreatedAt.Before(since) {
				t.WishesOpened++
			}
			if n := len(w.History); !w.IsOpen() && n > 0 && !w.History[n-1].At.Before(since) {
				t.WishesClosed++
			}
		}
	}
	t.Average = mean(latest)
	if len(previous) > 0 {
		t.Previous, t.HasPrevious = mean(previous), true
	}
	return t, nil
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
