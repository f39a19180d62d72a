package partnership

import (
	"strings"
	"time"
	"unicode/utf8"
)

// WishStatus is where a wish item stands.
type WishStatus string

// A wish is open until its addressee acknowledges it, does it, or declines it.
const (
	WishOpen         WishStatus = "open"
	WishAcknowledged WishStatus = "acknowledged"
	WishDone         WishStatus = "done"
	WishDeclined     WishStatus = "declined"
)

// Valid reports whether s is a known status.
func (s WishStatus) Valid() bool {
	switch s {
	case WishOpen, WishAcknowledged, WishDone, WishDeclined:
		return true
	}
	return false
}

// WishEvent records one change of a wish: who, when, from what to what.
type WishEvent struct {
	At   time.Time
	By   string
	From WishStatus
	To   WishStatus
	Note string
}

// Wish is one of the "three things I wish my boss would do" (or, from the
// executive, "my assistant"), addressed to the partner.
type Wish struct {
	ID        string // unique within its pair
	PairID    PairID
	From      string // author
	To        string // addressee: the only one who may move it
	Text      string
	Status    WishStatus
	Note      string // the addressee's note, when declined
	CreatedAt time.Time
	History   []WishEvent
}

// IsOpen reports whether the wish still waits for its addressee: open or
// acknowledged.
func (w Wish) IsOpen() bool { return w.Status == WishOpen || w.Status == WishAcknowledged }

// AgeDays is how many whole days the wish has existed at now.
func (w Wish) AgeDays(now time.Time) int {
	if now.Before(w.CreatedAt) {
		return 0
	}
	return int(now.Sub(w.CreatedAt) / (24 * time.Hour))
}

// MaxNoteLen bounds a decline note.
const MaxNoteLen = 500

// allowed lists the moves a wish can make.
var allowed = map[WishStatus][]WishStatus{
	WishOpen:         {WishAcknowledged, WishDone, WishDeclined},
	WishAcknowledged: {WishDone, WishDeclined},
}

// Move returns the wish after by moves it to status at, or an error:
// ErrNotAddressee when by is not its addressee, ErrTransition when the move
// is not allowed from its current status.
func (w Wish) Move(by string, to WishStatus, note string, at time.Time) (Wish, error) {
	if by != w.To {
		return w, ErrNotAddressee
	}
	ok := false
	for _, s := range allowed[w.Status] {
		ok = ok || s == to
	}
	if !ok {
		return w, ErrTransition
	}
	note = clip(strings.TrimSpace(note), MaxNoteLen)
	next := w
	next.History = append(append([]WishEvent(nil), w.History...), WishEvent{At: at, By: by, From: w.Status, To: to, Note: note})
	next.Status = to
	if to == WishDeclined {
		next.Note = note
	}
	return next, nil
}

// clip cuts s to at most n runes.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
