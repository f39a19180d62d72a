package partnership

import (
	"cmp"
	"slices"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
)

// ScoreAt is what the pair sees of one result: when it was taken and its
// score, never its answers.
type ScoreAt struct {
	At    time.Time
	Score int
}

// Band is the score's band.
func (s ScoreAt) Band() assessment.Band { return assessment.BandFor(s.Score) }

// Side is one member's view in a summary.
type Side struct {
	UserID      string
	Perspective assessment.Perspective
	// Scores are this member's results in this pair, oldest first.
	Scores []ScoreAt
}

// Latest is the member's newest result in the pair.
func (s Side) Latest() (ScoreAt, bool) {
	if len(s.Scores) == 0 {
		return ScoreAt{}, false
	}
	return s.Scores[len(s.Scores)-1], true
}

// Previous is the result before the newest.
func (s Side) Previous() (ScoreAt, bool) {
	if len(s.Scores) < 2 {
		return ScoreAt{}, false
	}
	return s.Scores[len(s.Scores)-2], true
}

// Trend is the member's scores, oldest first.
func (s Side) Trend() []int {
	out := make([]int, len(s.Scores))
	for i, r := range s.Scores {
		out[i] = r.Score
	}
	return out
}

// Summary is what the pair sees together: both scores and their change,
// where the two views differ (only when both shared their answers), and
// the wishes still open. Nothing in it depends on an answer its member did
// not share: two pairs whose members gave different unshared answers with
// the same scores have equal summaries.
type Summary struct {
	Pair      Pair
	Assistant Side
	Executive Side
	// Compared: both members have a result in the pair and both shared its
	// answers, so Differences says where their views differ.
	Compared bool
	// Differences are the facts the two latest results answer differently,
	// each in its side's own question; set only when Compared.
	Differences []assessment.Difference
	// OpenWishes are the wishes still open or acknowledged, oldest first.
	OpenWishes []Wish
	At         time.Time
	// Progress is how the roadmap moved since the last summary: filled in
	// by BuildSummary (NewSummary knows no goals).
	Progress Progress
	// Reflections are the check-in answers given since the last summary,
	// as both members may see them: shared reflections and every plan
	// change (BuildSummary).
	Reflections []Reflection
	// checkedIn is when each member last answered a progress check-in
	// (BuildSummary): with a result, what makes a summary due.
	checkedIn map[string]time.Time
}

// SummaryData is what a pair's summary is built from, as stored.
type SummaryData struct {
	Results     []assessment.Result
	Wishes      []Wish
	Goals       []Goal
	Wins        []Win
	Reflections []Reflection
}

// BuildSummary is the pair's summary at at: both sides' scores, where the
// views differ, the open wishes, and what happened since the last summary
// (last): the roadmap's progress, the wins, the check-in answers both may
// see. The one place a summary is put together, for the summary sent after
// a result or on demand and for the one that closes a round.
func BuildSummary(p Pair, d SummaryData, last, at time.Time) Summary {
	sum := NewSummary(p, d.Results, d.Wishes, at)
	sum.Progress = NewProgress(p, d.Goals, d.Wins, last, at)
	sum.Reflections = sharedReflections(d.Reflections, p, last)
	sum.checkedIn = map[string]time.Time{}
	for _, r := range d.Reflections {
		if p.Has(r.User) && r.At.After(sum.checkedIn[r.User]) {
			sum.checkedIn[r.User] = r.At
		}
	}
	return sum
}

// BothTaken reports whether both members have a result in the pair.
func (s Summary) BothTaken() bool {
	_, a := s.Assistant.Latest()
	_, e := s.Executive.Latest()
	return a && e
}

// NewSummary builds the pair's summary from its results and wishes. Results
// or wishes of anyone outside the pair, or of another pair, are ignored.
func NewSummary(p Pair, results []assessment.Result, wishes []Wish, at time.Time) Summary {
	s := Summary{
		Pair:      p,
		Assistant: Side{UserID: p.Assistant, Perspective: assessment.Assistant},
		Executive: Side{UserID: p.Executive, Perspective: assessment.Executive},
		At:        at,
	}
	rs := slices.Clone(results)
	slices.SortStableFunc(rs, func(a, b assessment.Result) int { return a.TakenAt.Compare(b.TakenAt) })
	// The latest result of each member, for the comparison; answers go no
	// further than this function unless both members shared theirs.
	var latest [2]*assessment.Result
	for i := range rs {
		r := &rs[i]
		if r.PairID != string(p.ID) {
			continue
		}
		side, k := &s.Assistant, 0
		switch r.UserID {
		case p.Assistant:
		case p.Executive:
			side, k = &s.Executive, 1
		default:
			continue
		}
		side.Scores = append(side.Scores, ScoreAt{At: r.TakenAt, Score: r.Score()})
		latest[k] = r
	}
	if a, e := latest[0], latest[1]; a != nil && e != nil && a.Shared && e.Shared {
		s.Compared = true
		s.Differences = assessment.Differences(a.Answers, e.Answers)
	}
	for _, w := range wishes {
		if w.PairID == p.ID && w.IsOpen() && p.Has(w.From) && p.Has(w.To) {
			s.OpenWishes = append(s.OpenWishes, w)
		}
	}
	slices.SortStableFunc(s.OpenWishes, func(a, b Wish) int { return cmp.Compare(a.CreatedAt.UnixNano(), b.CreatedAt.UnixNano()) })
	return s
}

// Ready reports whether each member has, since last, a result or a
// progress check-in (BuildSummary's): the moment a summary goes out on
// its own.
func (s Summary) Ready(last time.Time) bool {
	active := func(side Side) bool {
		r, ok := side.Latest()
		return ok && r.At.After(last) || s.checkedIn[side.UserID].After(last)
	}
	return active(s.Assistant) && active(s.Executive)
}
