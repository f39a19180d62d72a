package partnership

import (
	"context"
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

// CardRef names a message the bot posted (channel and ts), for updating it
// in place.
type CardRef struct{ Channel, TS string }

// SetWishCard records that card shows these wishes of pair id (the
// caller posted them: no membership to check).
func (s *Service) SetWishCard(ctx context.Context, id PairID, ws []Wish, card CardRef) error {
	ids := make([]string, len(ws))
	for i, w := range ws {
		ids[i] = w.ID
	}
	return s.store.SetWishCard(ctx, id, ids, card)
}

// WishCard is the card that shows wish wishID, and every wish it shows, as
// they are now, for a member of the pair; ok is false when the wish has no
// card.
func (s *Service) WishCard(ctx context.Context, id PairID, wishID, by string) (card CardRef, shown []Wish, ok bool, err error) {
	if _, err := s.member(ctx, id, by); err != nil {
		return CardRef{}, nil, false, err
	}
	cards, err := s.store.WishCards(ctx, id)
	if err != nil {
		return CardRef{}, nil, false, err
	}
	card, ok = cards[wishID]
	if !ok {
		return CardRef{}, nil, false, nil
	}
	ws, err := s.store.Wishes(ctx, id)
	if err != nil {
		return CardRef{}, nil, false, err
	}
	for _, w := range ws {
		if cards[w.ID] == card {
			shown = append(shown, w)
		}
	}
	return card, shown, true, nil
}

// SentWishes are the wishes user wrote in pair id, by ID (for showing each
// Next Steps line with where its wish stands).
func (s *Service) SentWishes(ctx context.Context, id PairID, user string) (map[string]Wish, error) {
	p, err := s.member(ctx, id, user)
	if err != nil {
		return nil, err
	}
	ws, err := s.store.Wishes(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	out := map[string]Wish{}
	for _, w := range ws {
		if w.From == user {
			out[w.ID] = w
		}
	}
	return out, nil
}
