package partnership

import (
	"context"
	"errors"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
)

// A pair exists only once both people agreed to it: one invites, the other
// accepts. Either side may invite: an assistant their executive, or an
// executive their assistant.

// InvitationTTL is how long an invitation waits for its answer.
const InvitationTTL = 14 * 24 * time.Hour

// Invitation is a pair one person proposed and the other has not answered.
type Invitation struct {
	// Pair is the ID of the pair it makes: NewPairID(Assistant, Executive).
	Pair      PairID
	Assistant string
	Executive string
	From      string // who invited: the assistant or the executive
	At        time.Time
	// CardChannel and CardTS name the invitation's message in the invitee's
	// DM, so that it can be updated in place once answered ("" before it
	// went out).
	CardChannel, CardTS string
}

// Invitee is the person who may accept or decline.
func (i Invitation) Invitee() string {
	if i.From == i.Executive {
		return i.Assistant
	}
	return i.Executive
}

// Expires is when the invitation lapses.
func (i Invitation) Expires() time.Time { return i.At.Add(InvitationTTL) }

// Expired reports whether the invitation lapsed at now.
func (i Invitation) Expired(now time.Time) bool { return !now.Before(i.Expires()) }

// Pairing is the pair an accepted invitation makes.
func (i Invitation) Pairing(at time.Time) Pair {
	return Pair{ID: i.Pair, Assistant: i.Assistant, Executive: i.Executive, CreatedBy: i.From, CreatedAt: at}
}

// Errors of invitations, with messages fit to show the user.
var (
	ErrInvitePending  = errors.New("there is already an invitation between you two waiting for an answer")
	ErrInvitationGone = errors.New("that invitation is no longer open")
	ErrNotInvitee     = errors.New("only the person invited can answer that invitation")
)

// Invite proposes a pair to other: by is its executive when byRole is
// assessment.Executive, its assistant otherwise. Nothing is shared and no
// check-in runs until other accepts.
func (s *Service) Invite(ctx context.Context, by string, other Person, byRole assessment.Perspective) (Invitation, error) {
	if err := CheckPairing(by, other); err != nil {
		return Invitation{}, err
	}
	mine, err := s.store.PairsOf(ctx, by)
	if err != nil {
		return Invitation{}, err
	}
	for _, p := range mine {
		if p.Has(other.ID) { // in either role: a reverse pair is a duplicate
			return Invitation{}, ErrDuplicate
		}
	}
	for _, id := range []PairID{NewPairID(by, other.ID), NewPairID(other.ID, by)} {
		pending, err := s.pendingInvitation(ctx, id)
		if err != nil {
			return Invitation{}, err
		}
		if pending {
			return Invitation{}, ErrInvitePending
		}
	}
	inv := Invitation{Assistant: by, Executive: other.ID, From: by, At: s.clock.Now().UTC()}
	if byRole == assessment.Executive {
		inv.Assistant, inv.Executive = other.ID, by
	}
	inv.Pair = NewPairID(inv.Assistant, inv.Executive)
	if err := s.store.CreateInvitation(ctx, inv); err != nil {
		return Invitation{}, err
	}
	return inv, nil
}

// pendingInvitation reports whether an invitation for id waits for its
// answer (an expired one does not).
func (s *Service) pendingInvitation(ctx context.Context, id PairID) (bool, error) {
	inv, err := s.store.Invitation(ctx, id)
	if errors.Is(err, ErrInvitationGone) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return !inv.Expired(s.clock.Now()), nil
}

// invitation loads an open invitation by may answer.
func (s *Service) invitation(ctx context.Context, id PairID, by string) (Invitation, error) {
	if _, _, _, err := ParsePairID(string(id)); err != nil {
		return Invitation{}, err
	}
	inv, err := s.store.Invitation(ctx, id)
	if err != nil {
		return Invitation{}, err
	}
	if inv.Invitee() != by {
		// The same answer whether it exists or not: an invitation between two
		// others is none of by's business.
		if inv.From == by {
			return Invitation{}, ErrNotInvitee
		}
		return Invitation{}, ErrInvitationGone
	}
	if inv.Expired(s.clock.Now()) {
		return inv, ErrInvitationGone
	}
	return inv, nil
}

// Answered is the outcome of answering an invitation.
type Answered struct {
	Invitation Invitation
	// Pair is the pair made, when accepted.
	Pair Pair
	// Reverse is an invitation in the other direction between the same
	// two, withdrawn because this one was accepted (zero when none).
	Reverse Invitation
}

// AcceptInvitation makes the pair by was invited to. Only the invitee may;
// an invitation answered, withdrawn or expired is ErrInvitationGone.
func (s *Service) AcceptInvitation(ctx context.Context, id PairID, by string) (Answered, error) {
	inv, err := s.invitation(ctx, id, by)
	if err != nil {
		return Answered{Invitation: inv}, err
	}
	// The invitee may have paired with the inviter meanwhile, the other way
	// round: one pair between two people.
	theirs, err := s.store.PairsOf(ctx, by)
	if err != nil {
		return Answered{}, err
	}
	for _, p := range theirs {
		if p.Has(inv.From) && p.ID != inv.Pair {
			_ = s.store.DeleteInvitation(ctx, inv)
			return Answered{Invitation: inv}, ErrDuplicate
		}
	}
	p := inv.Pairing(s.clock.Now().UTC())
	if err := s.store.CreatePair(ctx, p); err != nil && !errors.Is(err, ErrDuplicate) {
		return Answered{}, err
	} else if err != nil {
		// A retry after a crash finds its own pair made; any other pair
		// between the two (the reverse one) refuses this one.
		existing, lerr := s.store.Pair(ctx, p.ID)
		if lerr != nil {
			_ = s.store.DeleteInvitation(ctx, inv)
			return Answered{Invitation: inv}, ErrDuplicate
		}
		p = existing
	}
	// Deleting the invitation is the one step only one answer wins: a
	// double click announces the pair once.
	won, err := s.store.ConsumeInvitation(ctx, inv)
	if err != nil {
		return Answered{}, err
	}
	if !won {
		return Answered{Invitation: inv}, ErrInvitationGone
	}
	out := Answered{Invitation: inv, Pair: p}
	reverse, err := s.store.Invitation(ctx, NewPairID(p.Executive, p.Assistant))
	if err == nil && reverse.Pair != p.ID {
		if won, _ := s.store.ConsumeInvitation(ctx, reverse); won {
			out.Reverse = reverse
		}
	}
	return out, nil
}

// DeclineInvitation answers no: no pair is made, the inviter is told.
func (s *Service) DeclineInvitation(ctx context.Context, id PairID, by string) (Invitation, error) {
	inv, err := s.invitation(ctx, id, by)
	if err != nil {
		return inv, err
	}
	won, err := s.store.ConsumeInvitation(ctx, inv)
	if err != nil {
		return Invitation{}, err
	}
	if !won {
		return inv, ErrInvitationGone
	}
	return inv, nil
}

// Invitations are the open invitations user was sent (toMe) and sent
// (byMe), oldest first. Expired ones are left out.
func (s *Service) Invitations(ctx context.Context, user string) (toMe, byMe []Invitation, err error) {
	all, err := s.store.InvitationsOf(ctx, user)
	if err != nil {
		return nil, nil, err
	}
	now := s.clock.Now()
	for _, inv := range all {
		switch {
		case inv.Expired(now):
		case inv.Invitee() == user:
			toMe = append(toMe, inv)
		case inv.From == user:
			byMe = append(byMe, inv)
		}
	}
	return toMe, byMe, nil
}

// SetInvitationCard remembers where the invitation's message is.
func (s *Service) SetInvitationCard(ctx context.Context, inv Invitation, channel, ts string) error {
	return s.store.SetInvitationCard(ctx, inv, channel, ts)
}
