package partnership

import (
	"strings"
	"time"
)

// ListSize is how many things each Next Steps list holds: the article asks
// for three.
const ListSize = 3

// MaxItemLen bounds one Next Steps line.
const MaxItemLen = 300

// List is one of the three Next Steps lists; empty lines are allowed.
type List [ListSize]string

// NextSteps is the article's exercise for one member of one pair:
//   - three things I am doing "just right",
//   - three things I could do more of or begin doing,
//   - three things I wish my boss (or assistant) would do.
type NextSteps struct {
	PairID    PairID
	UserID    string
	JustRight List
	DoMore    List
	Wishes    List
	UpdatedAt time.Time
}

// Clean trims every line and bounds its length.
func (l List) Clean() List {
	var out List
	for i, s := range l {
		out[i] = clip(strings.Join(strings.Fields(s), " "), MaxItemLen)
	}
	return out
}

// newWishTexts returns the non-empty lines of wishes that are not already
// among existing (compared without case and spacing differences).
func newWishTexts(wishes List, existing []Wish) []string {
	seen := map[string]bool{}
	for _, w := range existing {
		seen[normalize(w.Text)] = true
	}
	var out []string
	for _, t := range wishes {
		n := normalize(t)
		if n == "" || seen[n] {
			continue
		}
		seen[n] = true
		out = append(out, t)
	}
	return out
}

func normalize(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
