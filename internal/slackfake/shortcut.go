package slackfake

import (
	"context"
	"fmt"
)

// PostAsUser records a message userID writes in channel, as Slack's client
// posts it (not through the bot's Web API), and returns its ts: a message
// for a message shortcut to act on.
func (s *Server) PostAsUser(userID, channel, text string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := &Message{Channel: channel, User: userID, Text: text, TS: s.newTSLocked()}
	s.msgs = append(s.msgs, m)
	s.notifyLocked()
	return m.TS
}

// MessageShortcut sends an "interactive" envelope with the message_action
// payload Slack sends when userID picks the message shortcut callbackID
// (from the message's "More actions" menu) on the message at ts in
// channel, and waits for the ack. The payload carries the message (its
// author, ts and text), the channel, the team with its domain, a fresh
// trigger_id (for views.open) and a response_url. It is an error if there
// is no such message: Slack offers shortcuts on messages people can see,
// and none on ephemeral ones.
func (s *Server) MessageShortcut(ctx context.Context, userID, channel, ts, callbackID string) (Ack, error) {
	s.mu.Lock()
	m := s.findMessageLocked(channel, ts)
	if m == nil {
		s.mu.Unlock()
		return Ack{}, fmt.Errorf("slackfake: MessageShortcut: no message %s in %s", ts, channel)
	}
	msg := s.messageJSON(m)
	delete(msg, "channel")
	if m.User != s.opts.BotUserID {
		delete(msg, "bot_id")
		delete(msg, "app_id")
	}
	payload := map[string]any{
		"type":                  "message_action",
		"token":                 VerificationToken,
		"action_ts":             actionTS(),
		"team":                  s.teamJSON(),
		"user":                  s.userJSONLocked(userID),
		"channel":               map[string]any{"id": channel, "name": s.channelNameLocked(channel)},
		"is_enterprise_install": false,
		"enterprise":            nil,
		"callback_id":           callbackID,
		"trigger_id":            s.newTriggerLocked(userID),
		"response_url":          s.newResponseURLLocked(responseCtx{channel: channel, userID: userID}),
		"message_ts":            ts,
		"message":               msg,
	}
	s.mu.Unlock()
	return s.Send(ctx, EnvelopeInteractive, payload)
}
