package bot

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/slackui"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// These tests call the handlers directly; internal/app's end-to-end tests
// drive the same code over a real WebSocket.

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// memResults is an in-memory Results with a switchable failure.
type memResults struct {
	mu   sync.Mutex
	byID map[string]bool
	list map[string][]assessment.Result
	fail error
}

var errDup = errors.New("dup")

func (m *memResults) SaveResult(_ context.Context, r assessment.Result) (assessment.Result, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return assessment.Result{}, false, m.fail
	}
	l := m.list[r.UserID]
	var prev assessment.Result
	if len(l) > 0 {
		prev = l[len(l)-1]
	}
	if m.byID[r.ID] {
		return prev, len(l) > 0, errDup
	}
	m.byID[r.ID] = true
	m.list[r.UserID] = append(l, r)
	return prev, len(l) > 0, nil
}

func (m *memResults) Results(_ context.Context, user string, limit int) ([]assessment.Result, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return nil, m.fail
	}
	l := m.list[user]
	return l[max(0, len(l)-limit):], nil
}

// noSlack fails the test if a handler calls Slack before its ack.
type noSlack struct{ t *testing.T }

func (n noSlack) OpenViewContext(context.Context, string, slack.ModalViewRequest) (*slack.ViewResponse, error) {
	n.t.Error("views.open called before the ack")
	return nil, errors.New("unexpected")
}

func (n noSlack) PostMessageContext(context.Context, string, ...slack.MsgOption) (string, string, error) {
	n.t.Error("chat.postMessage called before the ack")
	return "", "", errors.New("unexpected")
}

func newTestBot(t *testing.T) (*Bot, *memResults) {
	rs := &memResults{byID: map[string]bool{}, list: map[string][]assessment.Result{}}
	b := New(noSlack{t}, rs, fixedClock{time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)},
		slog.New(slog.NewTextHandler(io.Discard, nil)),
		Options{IsDuplicate: func(err error) bool { return errors.Is(err, errDup) }})
	return b, rs
}

func ackJSON(t *testing.T, r response) string {
	t.Helper()
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r.ack); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(sb.String())
}

func TestCommands(t *testing.T) {
	b, _ := newTestBot(t)
	tests := []struct {
		text      string
		wantAck   string // substring; "" means an empty ack
		wantAfter bool
	}{
		{"", "", true},
		{"   ", "", true},
		{"help", "/partner-assess history", false},
		{"Help me", "/partner-assess history", false},
		{"history", "You have no results yet.", false},
		{"pair", "I don't know `pair`.", false},
		{strings.Repeat("a", 5000), "That command is too long.", false},
		{"<script>", "I don't know `&lt;script&gt;`.", false},
	}
	for _, tt := range tests {
		r, err := b.onCommand(context.Background(), slack.SlashCommand{Command: "/partner-assess", UserID: "U1", Text: tt.text, TriggerID: "T"})
		if err != nil {
			t.Errorf("%.20q: %v", tt.text, err)
			continue
		}
		got := ackJSON(t, r)
		if tt.wantAck == "" && got != "null" || tt.wantAck != "" && !strings.Contains(got, tt.wantAck) {
			t.Errorf("%.20q ack = %.200s, want %q", tt.text, got, tt.wantAck)
		}
		if (r.after != nil) != tt.wantAfter {
			t.Errorf("%.20q after-ack work = %v, want %v", tt.text, r.after != nil, tt.wantAfter)
		}
	}
	if _, err := b.onCommand(context.Background(), slack.SlashCommand{Text: "help"}); err == nil {
		t.Error("a command without a user was accepted")
	}
}

func submission(t *testing.T, viewID, answers string) slack.InteractionCallback {
	t.Helper()
	m := slackui.AssessmentModal(assessment.Assistant)
	st := &slack.ViewState{Values: map[string]map[string]slack.BlockAction{}}
	for i, c := range answers {
		v := map[rune]string{'Y': slackui.ValueYes, 'N': slackui.ValueNo}[c]
		if v != "" {
			st.Values[slackui.BlockQuestion(i+1)] = map[string]slack.BlockAction{slackui.ActionAnswer: {SelectedOption: slack.OptionBlockObject{Value: v}}}
		}
	}
	var cb slack.InteractionCallback
	cb.Type = slack.InteractionTypeViewSubmission
	cb.User.ID = "U1"
	cb.View.ID = viewID
	cb.View.CallbackID = m.CallbackID
	cb.View.PrivateMetadata = m.PrivateMetadata
	cb.View.State = st
	return cb
}

func TestAssessSubmit(t *testing.T) {
	b, rs := newTestBot(t)
	ctx := context.Background()

	r, err := b.onInteraction(ctx, submission(t, "V1", "YYYYY-----"))
	if err != nil || !strings.Contains(ackJSON(t, r), `"response_action":"errors"`) || r.after != nil {
		t.Fatalf("partial: ack %s err %v", ackJSON(t, r), err)
	}

	rs.fail = errors.New("redis down")
	r, _ = b.onInteraction(ctx, submission(t, "V1", "YYYYYNNNNN"))
	if got := ackJSON(t, r); !strings.Contains(got, "Could not save, please try again.") || r.after != nil {
		t.Errorf("redis down: ack %s, after %v", got, r.after != nil)
	}

	rs.fail = nil
	r, _ = b.onInteraction(ctx, submission(t, "V1", "YYYYYNNNNN"))
	if got := ackJSON(t, r); !strings.Contains(got, `"response_action":"update"`) || !strings.Contains(got, "5/10") || r.after == nil {
		t.Errorf("saved: ack %s, after %v", got, r.after != nil)
	}
	// The same view again (a redelivery): shown again, stored once.
	r, _ = b.onInteraction(ctx, submission(t, "V1", "YYYYYNNNNN"))
	if got := ackJSON(t, r); !strings.Contains(got, `"response_action":"update"`) {
		t.Errorf("redelivery: ack %s", got)
	}
	if n := len(rs.list["U1"]); n != 1 {
		t.Errorf("stored %d results, want 1", n)
	}

	bad := submission(t, "V2", "YYYYYYYYYY")
	bad.View.PrivateMetadata = `{"v":1,"p":"overlord"}`
	if _, err := b.onInteraction(ctx, bad); !errors.Is(err, slackui.ErrBadMetadata) {
		t.Errorf("forged metadata: err %v, want ErrBadMetadata", err)
	}
}

// fakeSocket records acks; it stands in for slack-go's socket client.
type fakeSocket struct {
	mu   sync.Mutex
	acks map[string][]any
}

func (f *fakeSocket) RunContext(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }
func (f *fakeSocket) AckCtx(_ context.Context, id string, payload any) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.acks[id] = append(f.acks[id], payload)
	return nil
}

func TestServeRecoversFromPanic(t *testing.T) {
	b, _ := newTestBot(t)
	b.commands["boom"] = func(context.Context, slack.SlashCommand, []string) (response, error) { panic("boom") }
	sock := &fakeSocket{acks: map[string][]any{}}
	evt := socketmode.Event{
		Type:    socketmode.EventTypeSlashCommand,
		Data:    slack.SlashCommand{UserID: "U1", Text: "boom"},
		Request: &socketmode.Request{Type: "slash_commands", EnvelopeID: "E1"},
	}
	b.serve(context.Background(), sock, evt, time.Now()) // must not panic
	if got := sock.acks["E1"]; len(got) != 1 || got[0] != nil {
		t.Errorf("acks after a panic = %v, want one empty ack", got)
	}
}

func TestRunDrainsAndStops(t *testing.T) {
	b, _ := newTestBot(t)
	sock := &fakeSocket{acks: map[string][]any{}}
	events := make(chan socketmode.Event, 4)
	release := make(chan struct{})
	started := make(chan struct{})
	b.commands["slow"] = func(context.Context, slack.SlashCommand, []string) (response, error) {
		close(started)
		<-release
		return response{ack: slackui.HelpReply("")}, nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx, sock, events, 5*time.Second) }()
	events <- socketmode.Event{Type: socketmode.EventTypeConnected}
	events <- socketmode.Event{Type: socketmode.EventTypeSlashCommand, Data: slack.SlashCommand{UserID: "U1", Text: "slow"},
		Request: &socketmode.Request{Type: "slash_commands", EnvelopeID: "E1"}}
	<-started
	cancel()
	select {
	case <-done:
		t.Fatal("Run returned with an envelope in flight")
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v, want nil after a clean drain", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after the in-flight envelope finished")
	}
	if got := sock.acks["E1"]; len(got) != 1 || got[0] == nil {
		t.Errorf("in-flight envelope acks = %v, want one ack with the reply", got)
	}
}

func TestParseCommand(t *testing.T) {
	for _, tt := range []struct {
		in   string
		sub  string
		args int
	}{{"", "", 0}, {"  History  ", "history", 0}, {"pair <@U1|ann>", "pair", 1}, {"\tHELP\n me", "help", 1}} {
		sub, args := parseCommand(tt.in)
		if sub != tt.sub || len(args) != tt.args {
			t.Errorf("parseCommand(%q) = %q %v, want %q with %d args", tt.in, sub, args, tt.sub, tt.args)
		}
	}
}
