// Package partnership holds the use cases of a partnership between an
// assistant and an executive: pairs, next steps, wish items and the pair
// summary. It knows nothing of Slack or Redis; it declares the storage it
// needs.
package partnership

import (
	"errors"
	"strings"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
)

// PairID identifies a pair. It is derived from its two members, so a
// duplicate pair cannot be created by accident.
type PairID string

// NewPairID is the ID of the pair of this assistant and this executive.
func NewPairID(assistant, executive string) PairID {
	return PairID(assistant + "-" + executive)
}

// ParsePairID checks the shape of an ID that came back from Slack (a
// button value or private_metadata) and returns its two members.
func ParsePairID(s string) (id PairID, assistant, executive string, err error) {
	a, e, ok := strings.Cut(s, "-")
	if !ok || !ValidUserID(a) || !ValidUserID(e) {
		return "", "", "", ErrBadID
	}
	return PairID(s), a, e, nil
}

// ValidUserID accepts Slack user IDs (U… or W…, upper-case letters and digits).
func ValidUserID(s string) bool { return validSlackID(s, "UW") }

// validSlackID accepts a Slack ID: 2 to 24 upper-case letters and digits,
// the first one of firsts.
func validSlackID(s, firsts string) bool {
	if len(s) < 2 || len(s) > 24 || !strings.ContainsRune(firsts, rune(s[0])) {
		return false
	}
	for _, c := range s {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// Pair is an assistant and an executive working together. Both are equal
// owners of its data; nobody else may read or change it.
type Pair struct {
	ID        PairID
	Assistant string // Slack user ID
	Executive string // Slack user ID
	CreatedBy string
	CreatedAt time.Time
}

// Has reports whether user is one of the pair.
func (p Pair) Has(user string) bool {
	return user != "" && (user == p.Assistant || user == p.Executive)
}

// Partner is the other member, for a member of the pair.
func (p Pair) Partner(user string) (string, bool) {
	switch user {
	case p.Assistant:
		return p.Executive, true
	case p.Executive:
		return p.Assistant, true
	}
	return "", false
}

// Perspective is the side user answers from.
func (p Pair) Perspective(user string) assessment.Perspective {
	if user == p.Executive {
		return assessment.Executive
	}
	return assessment.Assistant
}

// notYours answers both a partnership that does not exist and one the
// user is not part of, in the same words: telling them apart would tell
// a stranger who is paired with whom.
const notYours = "that partnership is not one of yours (it may have ended)"

// Errors of the use cases, each with a message fit to show the user.
var (
	ErrBadID        = errors.New("that link is not valid any more")
	ErrNotFound     = errors.New(notYours)
	ErrNotMember    = errors.New(notYours)
	ErrSelf         = errors.New("you cannot pair with yourself")
	ErrBotUser      = errors.New("you cannot pair with a bot")
	ErrDeletedUser  = errors.New("that person's account is deactivated")
	ErrDuplicate    = errors.New("you are already paired with that person")
	ErrNotAddressee = errors.New("only the person the wish is addressed to can change it")
	ErrTransition   = errors.New("that wish cannot move that way")
	ErrNoPair       = errors.New("you are not in a partnership yet")
	ErrWishNotFound = errors.New("that wish does not exist (any more)")
)

// Person is what the pairing rules need to know of a Slack user.
type Person struct {
	ID      string
	IsBot   bool
	Deleted bool
}

// CheckPairing applies the rules for pairing assistant with executive.
func CheckPairing(assistant string, executive Person) error {
	switch {
	case !ValidUserID(assistant) || !ValidUserID(executive.ID):
		return ErrBadID
	case executive.ID == assistant:
		return ErrSelf
	case executive.IsBot:
		return ErrBotUser
	case executive.Deleted:
		return ErrDeletedUser
	}
	return nil
}
