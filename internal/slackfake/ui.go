package slackfake

import (
	"cmp"
	"context"
	"fmt"
	"slices"
)

// Conversation kinds, as Conversation.Kind holds them.
const (
	KindChannel = "channel" // a C… or G… channel
	KindIM      = "im"      // the bot's DM with one person
	KindMPIM    = "mpim"    // a group DM opened with conversations.open
)

// Conversation is a channel, DM or group DM the fake knows, for a client
// (such as the sandbox's web page) that shows the workspace.
type Conversation struct {
	ID   string
	Name string
	// Kind is KindChannel, KindIM or KindMPIM.
	Kind string
	// Members are the people of a DM (the one user) or of a group DM (the
	// bot's own id left out); nil for channels, whose membership the fake
	// does not track.
	Members     []string
	BotIsMember bool
}

// Conversations returns every conversation the fake knows, ordered by
// kind (channels, DMs, group DMs) then id.
func (s *Server) Conversations() []Conversation {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Conversation, 0, len(s.channels))
	for _, c := range s.channels {
		conv := Conversation{ID: c.id, Name: c.name, Kind: KindChannel, BotIsMember: c.botIsMember}
		switch {
		case c.isIM:
			conv.Kind = KindIM
			conv.Members = []string{c.user}
		case c.isMPIM:
			conv.Kind = KindMPIM
			for _, m := range c.members {
				if m != s.opts.BotUserID {
					conv.Members = append(conv.Members, m)
				}
			}
		}
		out = append(out, conv)
	}
	rank := map[string]int{KindChannel: 0, KindIM: 1, KindMPIM: 2}
	slices.SortFunc(out, func(a, b Conversation) int {
		return cmp.Or(cmp.Compare(rank[a.Kind], rank[b.Kind]), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// Users returns the workspace members added with AddUser, ordered by id.
func (s *Server) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]User, 0, len(s.users))
	for _, u := range s.users {
		out = append(out, u)
	}
	slices.SortFunc(out, func(a, b User) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// OpenModals returns userID's open modals, bottom of each stack first: the
// last one is the modal Slack's client shows (the others are covered by a
// pushed modal or belong to an older stack).
func (s *Server) OpenModals(userID string) []View {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []View
	for _, id := range s.viewOrder {
		if v := s.views[id]; v.UserID == userID && v.Open {
			out = append(out, v.copyView())
		}
	}
	return out
}

// CloseModal closes the open modal viewID of userID as the person's
// "Cancel" (or ×) does: a pushed modal goes back to the one beneath it,
// and a modal with clear_on_close closes its whole stack. Slack sends
// view_closed only for a modal with notify_on_close, and so does the
// fake (waiting for the ack); otherwise the app hears nothing.
func (s *Server) CloseModal(ctx context.Context, userID, viewID string) error {
	s.mu.Lock()
	rec := s.views[viewID]
	switch {
	case rec == nil || !rec.Open:
		s.mu.Unlock()
		return fmt.Errorf("slackfake: CloseModal: no open modal %s", viewID)
	case rec.UserID != userID:
		s.mu.Unlock()
		return fmt.Errorf("slackfake: CloseModal: modal %s belongs to %s, not %s", viewID, rec.UserID, userID)
	}
	if top := s.coveringModalLocked(rec); top != nil {
		s.mu.Unlock()
		return fmt.Errorf("slackfake: CloseModal: modal %s is covered by pushed modal %s", viewID, top.ID)
	}
	clearAll, _ := rec.obj["clear_on_close"].(bool)
	notify, _ := rec.obj["notify_on_close"].(bool)
	var closed []*viewRec
	for _, v := range s.views {
		if v == rec || clearAll && v.Open && v.RootViewID == rec.RootViewID {
			closed = append(closed, v)
		}
	}
	for _, v := range closed {
		v.Open = false
	}
	var payload map[string]any
	if notify {
		payload = map[string]any{
			"type":                  "view_closed",
			"team":                  s.teamJSON(),
			"user":                  s.userJSONLocked(userID),
			"api_app_id":            AppID,
			"token":                 VerificationToken,
			"view":                  s.viewPayloadLocked(rec),
			"is_cleared":            clearAll,
			"is_enterprise_install": false,
			"enterprise":            nil,
		}
	}
	s.notifyLocked()
	s.mu.Unlock()
	if payload == nil {
		return nil
	}
	_, err := s.Send(ctx, EnvelopeInteractive, payload)
	return err
}
