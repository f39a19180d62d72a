package assessment

import (
	"fmt"
	"strings"
	"time"
)

// Answers holds the ten Yes/No answers in question order; true means "Yes".
type Answers [NumQuestions]bool

// Score is the number of "Yes" answers, 0 to 10.
func (a Answers) Score() int {
	n := 0
	for _, yes := range a {
		if yes {
			n++
		}
	}
	return n
}

// String encodes the answers as ten letters, Y or N, in question order.
func (a Answers) String() string {
	var b strings.Builder
	b.Grow(NumQuestions)
	for _, yes := range a {
		if yes {
			b.WriteByte('Y')
		} else {
			b.WriteByte('N')
		}
	}
	return b.String()
}

// ParseAnswers decodes the form written by Answers.String. Its errors do
// not quote s: they end in the logs, and s is someone's answers.
func ParseAnswers(s string) (Answers, error) {
	var a Answers
	if len(s) != NumQuestions {
		return a, fmt.Errorf("answers: %d bytes, want %d letters Y or N", len(s), NumQuestions)
	}
	for i := range NumQuestions {
		switch s[i] {
		case 'Y':
			a[i] = true
		case 'N':
		default:
			return a, fmt.Errorf("answers: letter %d is not Y or N", i+1)
		}
	}
	return a, nil
}

// Result is one completed self-assessment.
type Result struct {
	// ID identifies the submission, so that a retried submission is stored once.
	ID          string
	UserID      string
	Perspective Perspective
	TakenAt     time.Time
	Answers     Answers
	// PairID names the partnership the result is about; empty when the
	// person took the assessment before pairing.
	PairID string
	// Shared says the person chose to share the per-question answers with
	// their partner. Scores and bands are always shared within the pair.
	Shared bool
}

// Score is the result's number of "Yes" answers.
func (r Result) Score() int { return r.Answers.Score() }

// Band is the result's score band.
func (r Result) Band() Band { return BandFor(r.Score()) }

// Change is one question whose answer differs between two results.
type Change struct {
	Question int  // 1-based
	From, To bool // true means "Yes"
}

// Changes lists, in question order, the answers that differ from prev to cur.
func Changes(prev, cur Answers) []Change {
	var cs []Change
	for i := range NumQuestions {
		if prev[i] != cur[i] {
			cs = append(cs, Change{Question: i + 1, From: prev[i], To: cur[i]})
		}
	}
	return cs
}
