package partnership

import (
	"cmp"
	"slices"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
)

// Side is one member's view in a summary.
type Side struct {
	UserID      string
	Perspective assessment.Perspective
	// Results are this member's results in this pair, oldest first.
	Results []assessment.Result
}

// Latest is the member's newest result in the pair.
func (s Side) Latest() (assessment.Result, bool) {
	if len(s.Results) == 0 {
		return assessment.Result{}, false
	}
	return s.Results[len(s.Results)-1], true
}

// Previous is the result before the newest.
func (s Side) Previous() (assessment.Result, bool) {
	if len(s.Results) < 2 {
		return assessment.Result{}, false
	}
	return s.Results[len(s.Results)-2], true
}

// Trend is the member's scores, oldest first.
func (s Side) Trend() []int {
	out := make([]int, len(s.Results))
	for i, r := range s.Results {
		out[i] = r.Score()
	}
	return out
}

// Summary is what the pair sees together: both scores and their change,
// where the two views differ, and the wishes still open.
type Summary struct {
	Pair      Pair
	Assistant Side
	Executive Side
	// BothShared: both latest results were shared, so the questions where
	// the views differ may be named.
	BothShared bool
	// Disagreements are the questions (1-based) whose latest answers differ;
	// set only when BothShared.
	Disagreements []int
	// DisagreementCount is how many questions differ; -1 until both
	// members have a result.
	DisagreementCount int
	// OpenWishes are the wishes still open or acknowledged, oldest first.
	OpenWishes []Wish
	At         time.Time
}

// NewSummary builds the pair's summary from its results and wishes. Results
// or wishes of anyone outside the pair, or of another pair, are ignored.
func NewSummary(p Pair, results []assessment.Result, wishes []Wish, at time.Time) Summary {
	s := Summary{
		Pair:              p,
		Assistant:         Side{UserID: p.Assistant, Perspective: assessment.Assistant},
		Executive:         Side{UserID: p.Executive, Perspective: assessment.Executive},
		DisagreementCount: -1,
		At:                at,
	}
	rs := slices.Clone(results)
	slices.SortStableFunc(rs, func(a, b assessment.Result) int { return a.TakenAt.Compare(b.TakenAt) })
	for _, r := range rs {
		if r.PairID != string(p.ID) {
			continue
		}
		switch r.UserID {
		case p.Assistant:
			s.Assistant.Results = append(s.Assistant.Results, r)
		case p.Executive:
			s.Executive.Results = append(s.Executive.Results, r)
		}
	}
	a, okA := s.Assistant.Latest()
	e, okE := s.Executive.Latest()
	if okA && okE {
		changes := assessment.Changes(a.Answers, e.Answers)
		s.DisagreementCount = len(changes)
		s.BothShared = a.Shared && e.Shared
		if s.BothShared {
			for _, c := range changes {
				s.Disagreements = append(s.Disagreements, c.Question)
			}
		}
	}
	for _, w := range wishes {
		if w.PairID == p.ID && w.IsOpen() && p.Has(w.From) && p.Has(w.To) {
			s.OpenWishes = append(s.OpenWishes, w)
		}
	}
	slices.SortStableFunc(s.OpenWishes, func(a, b Wish) int { return cmp.Compare(a.CreatedAt.UnixNano(), b.CreatedAt.UnixNano()) })
	return s
}

// Ready reports whether both members have a result newer than last: the
// moment a summary goes out on its own.
func (s Summary) Ready(last time.Time) bool {
	a, okA := s.Assistant.Latest()
	e, okE := s.Executive.Latest()
	return okA && okE && a.TakenAt.After(last) && e.TakenAt.After(last)
}
