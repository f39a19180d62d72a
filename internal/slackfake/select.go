package slackfake

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"time"
)

// SelectOption sends an "interactive" envelope with the block_actions
// payload Slack sends when userID picks value in the select with actionID
// (in block blockID; "" finds it in any block) of the open view viewID (a
// modal or a Home tab), and waits for the ack. Slack sends it for a select
// in an actions block or a section accessory, and for one in an input block
// only with "dispatch_action": true.
//
// For a static_select, value must be the value of one of its options (or
// option groups' options); the action carries selected_option {text,value}.
// For a users_select, value is the selected user id; the action carries
// selected_user. The payload's view carries the view's state with every
// selection made so far (this one included), and the fake remembers it: a
// later SubmitView includes it in state.values unless values override it.
//
// It is an error if the view is not open, belongs to another user, is
// covered by a pushed modal, or has no such select, or if value is not one
// of the options.
func (s *Server) SelectOption(ctx context.Context, userID, viewID, blockID, actionID, value string) (Ack, error) {
	s.mu.Lock()
	payload, err := s.selectPayloadLocked(userID, viewID, blockID, actionID, value)
	s.mu.Unlock()
	if err != nil {
		return Ack{}, fmt.Errorf("slackfake: SelectOption: %w", err)
	}
	return s.Send(ctx, EnvelopeInteractive, payload)
}

func (s *Server) selectPayloadLocked(userID, viewID, blockID, actionID, value string) (map[string]any, error) {
	rec := s.findViewLocked(viewID)
	switch {
	case rec == nil || !rec.Open:
		return nil, fmt.Errorf("no open view %s", viewID)
	case rec.UserID != userID:
		return nil, fmt.Errorf("view %s belongs to %s, not %s", viewID, rec.UserID, userID)
	}
	if top := s.coveringModalLocked(rec); top != nil {
		return nil, fmt.Errorf("modal %s is covered by pushed modal %s", viewID, top.ID)
	}
	blocks, _ := rec.obj["blocks"].([]any)
	bid, el, ok := findElement(blocks, actionID, blockID)
	if !ok {
		return nil, fmt.Errorf("view %s has no element with action_id %q (block_id %q)", viewID, actionID, blockID)
	}
	if blk := findBlock(blocks, bid); blk["type"] == "input" {
		if d, _ := blk["dispatch_action"].(bool); !d {
			return nil, fmt.Errorf("select %q is in input block %q without dispatch_action: Slack sends no block_actions for it", actionID, bid)
		}
	}
	typ, _ := el["type"].(string)
	state := map[string]any{"type": typ}
	action := map[string]any{"type": typ, "action_id": actionID, "block_id": bid, "action_ts": actionTS()}
	switch typ {
	case "static_select":
		opt := findOption(el, value)
		if opt == nil {
			return nil, fmt.Errorf("value %q is not one of the options of static_select %q", value, actionID)
		}
		state["selected_option"] = opt
		action["selected_option"] = opt
		if ph, ok := el["placeholder"]; ok {
			action["placeholder"] = ph
		}
	case "users_select":
		if !strings.HasPrefix(value, "U") && !strings.HasPrefix(value, "W") {
			return nil, fmt.Errorf("value %q for users_select %q is not a user id", value, actionID)
		}
		state["selected_user"] = value
		action["selected_user"] = value
	default:
		return nil, fmt.Errorf("element %q is a %v, not a static_select or users_select", actionID, el["type"])
	}
	sel := s.selections[rec.ID]
	if sel == nil {
		sel = map[string]map[string]any{}
		s.selections[rec.ID] = sel
	}
	if sel[bid] == nil {
		sel[bid] = map[string]any{}
	}
	sel[bid][actionID] = state
	s.notifyLocked()

	view := s.viewPayloadLocked(rec)
	return map[string]any{
		"type":                  "block_actions",
		"user":                  s.userJSONLocked(userID),
		"api_app_id":            AppID,
		"token":                 VerificationToken,
		"team":                  s.teamJSON(),
		"enterprise":            nil,
		"is_enterprise_install": false,
		"container":             map[string]any{"type": "view", "view_id": rec.ID},
		"view":                  view,
		"state":                 view["state"],
		"actions":               []any{action},
		"trigger_id":            s.newTriggerLocked(userID),
	}, nil
}

func actionTS() string {
	now := time.Now()
	return fmt.Sprintf("%d.%06d", now.Unix(), now.Nanosecond()/1000)
}

// findViewLocked returns the modal or Home tab with id, or nil.
func (s *Server) findViewLocked(id string) *viewRec {
	if v, ok := s.views[id]; ok {
		return v
	}
	for _, h := range s.homes {
		if h.ID == id {
			return h
		}
	}
	return nil
}

// coveringModalLocked returns an open modal pushed onto rec, or nil.
func (s *Server) coveringModalLocked(rec *viewRec) *viewRec {
	for _, v := range s.views {
		if v.Open && v.PreviousViewID == rec.ID {
			return v
		}
	}
	return nil
}

// selectionsLocked returns the remembered selections of rec (block_id →
// action_id → state value) that still match an element of the same type in
// its current blocks.
func (s *Server) selectionsLocked(rec *viewRec) map[string]map[string]any {
	out := map[string]map[string]any{}
	blocks, _ := rec.obj["blocks"].([]any)
	for bid, acts := range s.selections[rec.ID] {
		for aid, st := range acts {
			_, el, ok := findElement(blocks, aid, bid)
			if !ok || el["type"] != st.(map[string]any)["type"] {
				continue
			}
			if out[bid] == nil {
				out[bid] = map[string]any{}
			}
			out[bid][aid] = st
		}
	}
	return out
}

// viewPayloadLocked is rec's view object as interaction payloads carry it,
// with state.values holding the selections made so far.
func (s *Server) viewPayloadLocked(rec *viewRec) map[string]any {
	view := maps.Clone(rec.obj)
	values := map[string]any{}
	for bid, acts := range s.selectionsLocked(rec) {
		values[bid] = acts
	}
	view["state"] = map[string]any{"values": values}
	return view
}

func findBlock(blocks []any, blockID string) map[string]any {
	for _, b := range blocks {
		if m, _ := b.(map[string]any); m["block_id"] == blockID {
			return m
		}
	}
	return nil
}

// findOption returns a copy of the option of a select (options or
// option_groups) with value, or nil.
func findOption(el map[string]any, value string) map[string]any {
	lists := []any{el["options"]}
	if groups, ok := el["option_groups"].([]any); ok {
		for _, g := range groups {
			gm, _ := g.(map[string]any)
			lists = append(lists, gm["options"])
		}
	}
	for _, l := range lists {
		opts, _ := l.([]any)
		for _, o := range opts {
			om, _ := o.(map[string]any)
			if v, _ := om["value"].(string); v == value && value != "" {
				return maps.Clone(om)
			}
		}
	}
	return nil
}
