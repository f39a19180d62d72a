package slackfake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/slack-go/slack"
)

func (s *Server) userJSONLocked(userID string) map[string]any {
	name := userID
	if u, ok := s.users[userID]; ok && u.Name != "" {
		name = u.Name
	}
	return map[string]any{"id": userID, "username": name, "name": name, "team_id": s.opts.TeamID}
}

func (s *Server) teamJSON() map[string]any {
	return map[string]any{"id": s.opts.TeamID, "domain": TeamDomain}
}

func (s *Server) channelNameLocked(id string) string {
	if c := s.channels[id]; c != nil && c.name != "" {
		return c.name
	}
	switch {
	case strings.HasPrefix(id, "D"):
		return "directmessage"
	case strings.HasPrefix(id, "G"):
		return "privategroup"
	}
	return strings.ToLower(id)
}

// SlashCommand sends a "slash_commands" envelope as Slack does when userID
// runs command with text in channelID, and waits for its ack. The payload
// carries a fresh trigger_id (valid for Options.TriggerTTL) and a
// response_url served by the fake. If the ack's payload is a message (has
// "text" or "blocks"), it is recorded the way Slack shows it: as an
// ephemeral message to userID in channelID, or as a channel message with
// "response_type":"in_channel".
func (s *Server) SlashCommand(ctx context.Context, userID, channelID, command, text string) (Ack, error) {
	s.mu.Lock()
	userName := s.userJSONLocked(userID)["name"]
	payload := map[string]any{
		"token":                 VerificationToken,
		"team_id":               s.opts.TeamID,
		"team_domain":           TeamDomain,
		"channel_id":            channelID,
		"channel_name":          s.channelNameLocked(channelID),
		"user_id":               userID,
		"user_name":             userName,
		"command":               command,
		"text":                  text,
		"api_app_id":            AppID,
		"is_enterprise_install": "false", // Slack sends it as a string here
		"response_url":          s.newResponseURLLocked(responseCtx{channel: channelID, userID: userID}),
		"trigger_id":            s.newTriggerLocked(userID),
	}
	s.mu.Unlock()
	ack, err := s.Send(ctx, EnvelopeSlashCommands, payload)
	if err != nil {
		return ack, err
	}
	if ack.Payload != nil {
		s.applySlashAck(userID, channelID, ack.Payload)
	}
	return ack, nil
}

func (s *Server) applySlashAck(userID, channelID string, payload json.RawMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	obj, err := decodeObject(payload)
	if err != nil {
		s.problemLocked("slash command ack: payload is not a JSON object: %s", truncate(payload, 200))
		return
	}
	text, _ := obj["text"].(string)
	blocks, hasBlocks := obj["blocks"]
	if text == "" && !hasBlocks {
		return
	}
	_, hasAtt := obj["attachments"]
	if problems, code := validateMessage("slash command ack", text, blocks, hasAtt); code != "" {
		s.recordProblemsLocked(problems)
		return
	}
	if rt, _ := obj["response_type"].(string); rt == "in_channel" {
		s.addMessageLocked(channelID, text, blocks, false, "")
		return
	}
	s.addMessageLocked(channelID, text, blocks, true, userID)
}

// SubmitView sends an "interactive" envelope with a view_submission of the
// open modal viewID by userID, with state.values built from values
// (block_id → action_id → value; Type may be left empty, and input blocks
// left out are sent empty, as Slack does; selections made with
// SelectOption are included unless values override them), and waits for
// its ack. It then applies the ack as Slack would:
//
//   - no payload (or {}) closes the modal; {"response_action":"clear"}
//     closes its whole stack;
//   - {"response_action":"errors","errors":{...}} keeps it open and records
//     the errors in View.Errors (an errors key that is not the block_id of
//     an input block is a problem);
//   - {"response_action":"update","view":{...}} replaces its content (same
//     id), validated like views.update;
//   - {"response_action":"push","view":{...}} pushes a new modal.
//
// A Go error means the submission could not be made (no such open modal,
// values naming blocks the modal does not have, a required input left
// empty, which Slack's client would not submit) or was not acked.
func (s *Server) SubmitView(ctx context.Context, userID, viewID string, values map[string]map[string]slack.BlockAction) (Ack, error) {
	s.mu.Lock()
	rec := s.views[viewID]
	switch {
	case rec == nil:
		s.mu.Unlock()
		return Ack{}, fmt.Errorf("slackfake: SubmitView: no modal %s", viewID)
	case !rec.Open:
		s.mu.Unlock()
		return Ack{}, fmt.Errorf("slackfake: SubmitView: modal %s is closed", viewID)
	case rec.UserID != userID:
		s.mu.Unlock()
		return Ack{}, fmt.Errorf("slackfake: SubmitView: modal %s belongs to %s, not %s", viewID, rec.UserID, userID)
	}
	if v := s.coveringModalLocked(rec); v != nil {
		s.mu.Unlock()
		return Ack{}, fmt.Errorf("slackfake: SubmitView: modal %s is covered by pushed modal %s", viewID, v.ID)
	}
	blocks, _ := rec.obj["blocks"].([]any)
	state, err := buildState(viewID, inputBlocks(blocks), values, s.selectionsLocked(rec))
	if err != nil {
		s.mu.Unlock()
		return Ack{}, err
	}
	view := maps.Clone(rec.obj)
	view["state"] = map[string]any{"values": state}
	payload := map[string]any{
		"type":                  "view_submission",
		"team":                  s.teamJSON(),
		"user":                  s.userJSONLocked(userID),
		"api_app_id":            AppID,
		"token":                 VerificationToken,
		"trigger_id":            s.newTriggerLocked(userID),
		"view":                  view,
		"response_urls":         []any{},
		"is_enterprise_install": false,
		"enterprise":            nil,
	}
	s.mu.Unlock()
	ack, err := s.Send(ctx, EnvelopeInteractive, payload)
	if err != nil {
		return ack, err
	}
	s.applySubmissionAck(rec, ack.Payload)
	return ack, nil
}

// buildState builds a view_submission's state.values from values, then
// the selections made with SelectOption (selected), then the initial
// values of the inputs left (what the user did not touch), then empty
// values for the optional inputs left.
func buildState(viewID string, inputs map[string]inputInfo, values map[string]map[string]slack.BlockAction, selected map[string]map[string]any) (map[string]any, error) {
	state := map[string]any{}
	for bid, actions := range values {
		info, ok := inputs[bid]
		if !ok {
			return nil, fmt.Errorf("slackfake: SubmitView: modal %s has no input block %q", viewID, bid)
		}
		for aid, act := range actions {
			if aid != info.actionID {
				return nil, fmt.Errorf("slackfake: SubmitView: input block %q of modal %s holds action_id %q, not %q", bid, viewID, info.actionID, aid)
			}
			if act.Type == "" {
				act.Type = slack.ActionType(info.elemType)
			}
			raw, err := json.Marshal(act)
			if err != nil {
				return nil, fmt.Errorf("slackfake: SubmitView: %w", err)
			}
			generic, err := decodeJSON(raw)
			if err != nil {
				return nil, err
			}
			pruned, _ := prune(generic)
			pm, _ := pruned.(map[string]any)
			if len(pm) <= 1 { // only its type: no value
				if !info.optional {
					return nil, fmt.Errorf("slackfake: SubmitView: required input block %q of modal %s has no value (Slack's client would not submit it)", bid, viewID)
				}
				pm = emptyValue(info.elemType)
			}
			state[bid] = map[string]any{aid: pm}
		}
	}
	for bid, acts := range selected {
		if _, ok := state[bid]; !ok {
			state[bid] = acts
		}
	}
	for bid, info := range inputs {
		if _, ok := state[bid]; ok {
			continue
		}
		if info.initial != nil {
			state[bid] = map[string]any{info.actionID: info.initial}
			continue
		}
		if !info.optional {
			return nil, fmt.Errorf("slackfake: SubmitView: required input block %q of modal %s has no value (Slack's client would not submit it)", bid, viewID)
		}
		state[bid] = map[string]any{info.actionID: emptyValue(info.elemType)}
	}
	return state, nil
}

// emptyValue is the state Slack sends for an input left empty.
func emptyValue(elemType string) map[string]any {
	v := map[string]any{"type": elemType}
	switch {
	case strings.HasPrefix(elemType, "multi_") || elemType == "checkboxes":
		v["selected_options"] = []any{}
	case elemType == "static_select" || elemType == "external_select" || elemType == "radio_buttons":
		v["selected_option"] = nil
	case elemType == "users_select":
		v["selected_user"] = nil
	case elemType == "conversations_select":
		v["selected_conversation"] = nil
	case elemType == "channels_select":
		v["selected_channel"] = nil
	case elemType == "datepicker":
		v["selected_date"] = nil
	case elemType == "timepicker":
		v["selected_time"] = nil
	default:
		v["value"] = nil
	}
	return v
}

func (s *Server) applySubmissionAck(rec *viewRec, payload json.RawMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	where := fmt.Sprintf("view_submission ack (modal %s)", rec.ID)
	if payload == nil {
		s.closeViewLocked(rec)
		return
	}
	obj, err := decodeObject(payload)
	if err != nil {
		s.problemLocked("%s: payload is not a JSON object: %s", where, truncate(payload, 200))
		return
	}
	ra, _ := obj["response_action"].(string)
	switch ra {
	case "":
		if len(obj) == 0 {
			s.closeViewLocked(rec)
			return
		}
		s.problemLocked("%s: payload without response_action: %s", where, truncate(payload, 200))
	case "clear":
		for _, v := range s.views {
			if v.RootViewID == rec.RootViewID && v.Open {
				s.closeViewLocked(v)
			}
		}
	case "errors":
		errs, ok := obj["errors"].(map[string]any)
		if !ok || len(errs) == 0 {
			s.problemLocked("%s: response_action errors without an errors object", where)
			return
		}
		blocks, _ := rec.obj["blocks"].([]any)
		inputs := inputBlocks(blocks)
		rec.Errors = map[string]string{}
		for k, v := range errs {
			msg, _ := v.(string)
			rec.Errors[k] = msg
			if _, ok := inputs[k]; !ok {
				s.problemLocked("%s: errors key %q is not the block_id of an input block (Slack shows a generic error instead)", where, k)
			}
		}
		s.notifyLocked()
	case "update", "push":
		v, ok := obj["view"].(map[string]any)
		if !ok {
			s.problemLocked("%s: response_action %s without a view", where, ra)
			return
		}
		if p := validateView(where+" "+ra, "modal", v); len(p) > 0 {
			s.recordProblemsLocked(p)
			return
		}
		if ra == "update" {
			s.setViewLocked(rec, v)
			return
		}
		if s.stackDepthLocked(rec.RootViewID) >= 3 {
			s.problemLocked("%s: push onto a stack of 3 modals (push_limit_reached)", where)
			return
		}
		s.newModalLocked(rec.UserID, v, rec.RootViewID, rec.ID)
	default:
		s.problemLocked("%s: unknown response_action %q", where, ra)
	}
}

func (s *Server) closeViewLocked(rec *viewRec) {
	rec.Open = false
	s.notifyLocked()
}

// ClickButton sends an "interactive" envelope with a block_actions payload,
// as Slack does when userID clicks the button with actionID (in the block
// blockID; "" finds it in any block) in container: a message (ChannelID and
// MessageTS; the payload carries the message, the channel and a
// response_url) or a view (ViewID of a modal or a Home tab; the payload
// carries the view, with the selections made so far in its state). The
// payload's trigger_id is fresh. value "" takes the button's own value. It
// waits for the ack. It is an error if the container or the button does not
// exist.
func (s *Server) ClickButton(ctx context.Context, userID string, container Container, actionID, blockID, value string) (Ack, error) {
	s.mu.Lock()
	payload := map[string]any{
		"type":                  "block_actions",
		"user":                  s.userJSONLocked(userID),
		"api_app_id":            AppID,
		"token":                 VerificationToken,
		"team":                  s.teamJSON(),
		"enterprise":            nil,
		"is_enterprise_install": false,
		"state":                 map[string]any{"values": map[string]any{}},
	}
	var blocks []any
	switch {
	case container.ViewID != "":
		rec := s.findViewLocked(container.ViewID)
		if rec == nil || !rec.Open {
			s.mu.Unlock()
			return Ack{}, fmt.Errorf("slackfake: ClickButton: no open view %s", container.ViewID)
		}
		blocks, _ = rec.obj["blocks"].([]any)
		view := s.viewPayloadLocked(rec)
		payload["container"] = map[string]any{"type": "view", "view_id": rec.ID}
		payload["view"] = view
		payload["state"] = view["state"]
	case container.ChannelID != "" && container.MessageTS != "":
		var m *Message
		for _, x := range s.msgs {
			if x.Channel == container.ChannelID && x.TS == container.MessageTS {
				m = x
			}
		}
		if m == nil {
			s.mu.Unlock()
			return Ack{}, fmt.Errorf("slackfake: ClickButton: no message %s in %s", container.MessageTS, container.ChannelID)
		}
		if m.Blocks != nil {
			v, _ := decodeJSON(m.Blocks)
			blocks, _ = v.([]any)
		}
		payload["container"] = map[string]any{
			"type": "message", "message_ts": m.TS, "channel_id": m.Channel, "is_ephemeral": m.Ephemeral,
		}
		payload["channel"] = map[string]any{"id": m.Channel, "name": s.channelNameLocked(m.Channel)}
		if !m.Ephemeral {
			msg := s.messageJSON(m)
			delete(msg, "channel")
			if blocks != nil {
				msg["blocks"] = blocks
			}
			payload["message"] = msg
		}
		payload["response_url"] = s.newResponseURLLocked(responseCtx{channel: m.Channel, userID: userID, messageTS: m.TS})
	default:
		s.mu.Unlock()
		return Ack{}, errors.New("slackfake: ClickButton: container needs ViewID or ChannelID and MessageTS")
	}
	bid, el, ok := findElement(blocks, actionID, blockID)
	if !ok {
		s.mu.Unlock()
		return Ack{}, fmt.Errorf("slackfake: ClickButton: no element with action_id %q (block_id %q) in the container", actionID, blockID)
	}
	if el["type"] != "button" {
		s.mu.Unlock()
		return Ack{}, fmt.Errorf("slackfake: ClickButton: element %q is a %v, not a button", actionID, el["type"])
	}
	if value == "" {
		value, _ = el["value"].(string)
	}
	action := map[string]any{
		"action_id": actionID,
		"block_id":  bid,
		"text":      el["text"],
		"type":      "button",
		"action_ts": actionTS(),
	}
	if value != "" {
		action["value"] = value
	}
	if st, ok := el["style"]; ok {
		action["style"] = st
	}
	payload["actions"] = []any{action}
	payload["trigger_id"] = s.newTriggerLocked(userID)
	s.mu.Unlock()
	return s.Send(ctx, EnvelopeInteractive, payload)
}

// SendEvent sends an "events_api" envelope whose payload is the full
// event_callback wrapper around event (an inner event such as
// {"type":"app_home_opened",...}), with a fresh event_id, and waits for the
// ack. slack-go needs the wrapper: a bare event decodes to nil data.
func (s *Server) SendEvent(ctx context.Context, event any) (Ack, error) {
	raw, err := marshalPayload(event)
	if err != nil {
		return Ack{}, err
	}
	payload := map[string]any{
		"token":      VerificationToken,
		"team_id":    s.opts.TeamID,
		"api_app_id": AppID,
		"event":      raw,
		"type":       "event_callback",
		"event_id":   "Ev" + strings.ToUpper(randHex(10)),
		"event_time": time.Now().Unix(),
		"authorizations": []any{map[string]any{
			"enterprise_id": nil, "team_id": s.opts.TeamID, "user_id": s.opts.BotUserID,
			"is_bot": true, "is_enterprise_install": false,
		}},
		"is_ext_shared_channel": false,
		"event_context":         "4-fake-" + randHex(12),
	}
	return s.Send(ctx, EnvelopeEventsAPI, payload)
}

// OpenHome sends the app_home_opened event Slack sends when userID opens
// the app's Home tab (with the current Home view, if one was published),
// and waits for the ack.
func (s *Server) OpenHome(ctx context.Context, userID string) (Ack, error) {
	s.mu.Lock()
	ev := map[string]any{
		"type":     "app_home_opened",
		"user":     userID,
		"channel":  DMChannelID(userID),
		"tab":      "home",
		"event_ts": s.newTSLocked(),
	}
	if h, ok := s.homes[userID]; ok {
		ev["view"] = h.obj
	}
	raw := mustMarshal(ev)
	s.mu.Unlock()
	return s.SendEvent(ctx, raw)
}
