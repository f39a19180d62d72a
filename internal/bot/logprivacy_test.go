package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// The socket's error events and a handler's panic carry what people wrote:
// slack-go's failed write holds the whole reply, a read error or a parse
// error may quote the frame, a panic value may be anything. The log lines
// they cause hold none of it, and still say what happened.
func TestSocketErrorsAndPanicsLogNoContent(t *testing.T) {
	const secret = "Zqx wish: hold a weekly one-to-one"
	reply := slack.NewUpdateViewSubmissionResponse(&slack.ModalViewRequest{Type: slack.VTModal, Title: &slack.TextBlockObject{Type: "plain_text", Text: secret}})
	frame := json.RawMessage(`{"type":"` + secret + `","envelope_id":"E9","payload":{}}`)
	var syntax *json.SyntaxError
	synErr := json.Unmarshal([]byte(`{"text":"`+secret+`"`), &struct{}{})
	if !errors.As(synErr, &syntax) {
		t.Fatalf("want a syntax error, got %v", synErr)
	}
	tests := []struct {
		name string
		evt  socketmode.Event
		want []string // in the log line
	}{
		{"failed write", socketmode.Event{Type: socketmode.EventTypeErrorWriteFailed, Data: &socketmode.ErrorWriteFailed{
			Cause: errors.New(secret), Response: &socketmode.Response{EnvelopeID: "E1", Payload: reply}}},
			[]string{`"msg":"socket write failed"`, `"envelope_id":"E1"`, `"cause":`}},
		{"failed read", socketmode.Event{Type: socketmode.EventTypeIncomingError, Data: &slack.IncomingEventError{ErrorObj: synErr}},
			[]string{`"msg":"socket read failed"`, `"cause":"invalid JSON at byte`}},
		{"unknown frame type", socketmode.Event{Type: socketmode.EventTypeErrorBadMessage, Data: &socketmode.ErrorBadMessage{
			Cause: errors.New(`processing WebSocket message: encountered unsupported type "` + secret + `"`), Message: frame}},
			[]string{`"msg":"malformed envelope dropped"`, `"type":"unknown"`}},
		{"payload of the wrong shape", socketmode.Event{Type: socketmode.EventTypeErrorBadMessage, Data: &socketmode.ErrorBadMessage{
			Cause: synErr, Message: json.RawMessage(`{"type":"interactive","envelope_id":"E2","payload":"` + secret + `"}`)}},
			[]string{`"msg":"malformed envelope dropped"`, `"type":"interactive"`, `"cause":"invalid JSON at byte`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, _ := newTestBot(t)
			var logs bytes.Buffer
			b.log = slog.New(slog.NewJSONHandler(&logs, nil))
			b.observe(context.Background(), &fakeSocket{acks: map[string][]any{}}, tt.evt)
			if strings.Contains(logs.String(), "Zqx") {
				t.Errorf("the log holds the content:\n%s", logs.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(logs.String(), w) {
					t.Errorf("the log lacks %s:\n%s", w, logs.String())
				}
			}
		})
	}

	t.Run("panic", func(t *testing.T) {
		b, _ := newTestBot(t)
		var logs bytes.Buffer
		b.log = slog.New(slog.NewJSONHandler(&logs, nil))
		b.commands["boom"] = func(context.Context, slack.SlashCommand, []string) (response, error) {
			panic("cannot save " + secret)
		}
		evt := socketmode.Event{Type: socketmode.EventTypeSlashCommand, Data: slack.SlashCommand{UserID: "U1", Text: "boom"},
			Request: &socketmode.Request{Type: "slash_commands", EnvelopeID: "E3"}}
		b.serve(context.Background(), &fakeSocket{acks: map[string][]any{}}, evt, time.Now())
		if strings.Contains(logs.String(), "Zqx") {
			t.Errorf("the log holds the panic's content:\n%s", logs.String())
		}
		if !strings.Contains(logs.String(), `"panic":"string"`) || !strings.Contains(logs.String(), "logprivacy_test.go") {
			t.Errorf("the log lacks the panic's type or its stack:\n%s", logs.String())
		}
	})
}
