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
//
// The exercise is written for oneself: a wish line stays the member's own
// unless they choose to send it to their partner.
type NextSteps struct {
	PairID    PairID
	UserID    string
	JustRight List
	DoMore    List
	Wishes    List
	// WishIDs are, line by line, the wish each wish line was sent as (""
	// for a line kept to oneself).
	WishIDs [ListSize]string
	// Send says, line by line, to send the line to the partner, on a save.
	// A line already sent stays sent.
	Send      [ListSize]bool
	UpdatedAt time.Time
}

// Clean trims every line and bounds its length.
func (l List) Clean() List {
	var out List
	for i, s := range l {
		out[i] = clip(oneLine(s), MaxItemLen)
	}
	return out
}

// wishLinks is, line by line, the wish each of prev's wish lines was sent
// as. Lists saved before lines kept their wish have none: a line is then
// taken to be the author's wish with the same text (the newest, open ones
// first), so that saving it again unchanged sends nothing.
func wishLinks(prev NextSteps, mine []Wish) [ListSize]string {
	links := prev.WishIDs
	if links != ([ListSize]string{}) {
		return links
	}
	taken := map[string]bool{}
	for i, text := range prev.Wishes {
		n := normalize(text)
		if n == "" {
			continue
		}
		best := -1
		for j, w := range mine {
			if taken[w.ID] || normalize(w.Text) != n {
				continue
			}
			if best < 0 || w.IsOpen() && !mine[best].IsOpen() || w.IsOpen() == mine[best].IsOpen() && w.CreatedAt.After(mine[best].CreatedAt) {
				best = j
			}
		}
		if best >= 0 {
			links[i] = mine[best].ID
			taken[mine[best].ID] = true
		}
	}
	return links
}

// wishStep is what a save does with one wish line.
type wishStep struct {
	keep   string // the wish the line stays linked to ("" none)
	send   bool   // send the line as a new wish
	edit   *Wish  // the sent wish whose text the line changes…
	edited Wish   // …into this
}

// planWishes decides, line by line, what saving ns does with its wish
// lines, given the wishes the lines were linked to and the author's wishes.
func planWishes(ns NextSteps, links [ListSize]string, mine []Wish) [ListSize]wishStep {
	byID := map[string]Wish{}
	openText := map[string]string{} // normalized text → an open wish of the author's
	for _, w := range mine {
		byID[w.ID] = w
		if w.IsOpen() {
			openText[normalize(w.Text)] = w.ID
		}
	}
	linked := map[string]bool{}
	sending := map[string]bool{} // normalized texts this save sends
	var plan [ListSize]wishStep
	for i, text := range ns.Wishes {
		w, ok := byID[links[i]]
		n := normalize(text)
		switch {
		case n == "":
			// A cleared line: the wish, if any, stays as the partner has it.
		case ok && normalize(w.Text) == n:
			plan[i].keep = w.ID // unchanged: nothing to do, whatever its status
		case ok && ns.Send[i] && w.Status == WishOpen:
			nw := w
			nw.Text = text
			plan[i].edit, plan[i].edited = &w, nw
		case ns.Send[i] && openText[n] != "" && !linked[openText[n]]:
			plan[i].keep = openText[n] // the same words are with the partner already
		case ns.Send[i] && !sending[n]:
			plan[i].send = true
			sending[n] = true
		}
		linked[plan[i].keep] = true
		if plan[i].edit != nil {
			linked[plan[i].edit.ID] = true
		}
	}
	return plan
}

// oneLine folds every run of white space, line breaks included, into one
// space, and trims the ends.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func normalize(s string) string { return strings.ToLower(oneLine(s)) }
