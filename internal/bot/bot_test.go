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

	"github.com/alicebob/miniredis/v2"
	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/checkin"
	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/slackui"
	"github.com/partnerbot/partnerbot/internal/store"
	"github.com/redis/go-redis/v9"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// These tests call the handlers directly; internal/app's end-to-end tests
// drive the same code over a real WebSocket.

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// noSlack fails the test if a handler calls Slack before its ack.
type noSlack struct{ t *testing.T }

func (n noSlack) fail(method string) error {
	n.t.Errorf("%s called before the ack", method)
	return errors.New("unexpected")
}

func (n noSlack) OpenViewContext(context.Context, string, slack.ModalViewRequest) (*slack.ViewResponse, error) {
	return nil, n.fail("views.open")
}

func (n noSlack) UpdateViewContext(context.Context, slack.ModalViewRequest, string, string, string) (*slack.ViewResponse, error) {
	return nil, n.fail("views.update")
}

func (n noSlack) PublishViewContext(context.Context, slack.PublishViewContextRequest) (*slack.ViewResponse, error) {
	return nil, n.fail("views.publish")
}

func (n noSlack) PostMessageContext(context.Context, string, ...slack.MsgOption) (string, string, error) {
	return "", "", n.fail("chat.postMessage")
}

func (n noSlack) UpdateMessageContext(context.Context, string, string, ...slack.MsgOption) (string, string, string, error) {
	return "", "", "", n.fail("chat.update")
}

func (n noSlack) GetUserInfoContext(context.Context, string, ...slack.GetUserInfoOption) (*slack.User, error) {
	return nil, n.fail("users.info")
}

func (n noSlack) OpenConversationContext(context.Context, *slack.OpenConversationParameters) (*slack.Channel, bool, bool, error) {
	return nil, false, false, n.fail("conversations.open")
}

func (n noSlack) UploadFileContext(context.Context, slack.UploadFileParameters) (*slack.FileSummary, error) {
	return nil, n.fail("files upload")
}

// newTestBot wires the bot to the real use cases and store on miniredis.
func newTestBot(t *testing.T) (*Bot, *miniredis.Miniredis) {
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr(), MaxRetries: -1, ContextTimeoutEnabled: true})
	t.Cleanup(func() { rdb.Close() })
	clk := fixedClock{time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	st := store.New(rdb, "pbtest")
	d := NewDelivery(noSlack{t}, apiPoster{noSlack{t}}, clk, log)
	ck := checkin.New(st, d, d, clk, log, nil, checkin.Config{})
	b := New(noSlack{t}, partnership.NewService(st, clk), ck, d, clk, log, Options{AckBudget: 300 * time.Millisecond, Seen: st})
	return b, mr
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
		{"frobnicate", "I don't know `frobnicate`.", false},
		{"pair", "", true},
		{"pair <@U1|me>", "You cannot pair with yourself.", false},
		{"pair bob", "Mention the person to pair with", false},
		{"pair <@C1>", "Mention the person to pair with", false},
		{"pair <@U2|eve>", "Inviting <@U2>", true},
		{"next-steps", "You are not in a partnership yet.", false},
		{"summary", "You are not in a partnership yet.", false},
		{"charter", "You are not in a partnership yet.", false},
		{"charter history", "You are not in a partnership yet.", false},
		{"charter show", "You are not in a partnership yet.", false},
		{"charter rewrite everything", "`/partner-assess charter` opens your partnership charter", false},
		{"export", "Preparing your data", true},
		{"delete-my-data", "", true},
		{"schedule", "You are not in a partnership yet.", false},
		{"schedule 0 9 * * MON", "You are not in a partnership yet.", false},
		{"pause", "You are not in a partnership yet.", false},
		{"away", "Say when you are back", false},
		{"away until 2026-12-28", "You are not in a partnership yet.", false},
		{"away off", "Welcome back", false},
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
	m := slackui.AssessmentModal(assessment.Assistant, slackui.PairChoice{})
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
	b, mr := newTestBot(t)
	ctx := context.Background()

	r, err := b.onInteraction(ctx, submission(t, "V1", "YYYYY-----"))
	if err != nil || !strings.Contains(ackJSON(t, r), `"response_action":"errors"`) || r.after != nil {
		t.Fatalf("partial: ack %s err %v", ackJSON(t, r), err)
	}

	mr.SetError("LOADING Redis is loading the dataset in memory")
	r, _ = b.onInteraction(ctx, submission(t, "V1", "YYYYYNNNNN"))
	if got := ackJSON(t, r); !strings.Contains(got, "Could not save, please try again.") || r.after != nil {
		t.Errorf("redis down: ack %s, after %v", got, r.after != nil)
	}

	mr.SetError("")
	r, _ = b.onInteraction(ctx, submission(t, "V1", "YYYYYNNNNN"))
	if got := ackJSON(t, r); !strings.Contains(got, `"response_action":"update"`) || !strings.Contains(got, "5/10") || r.after == nil {
		t.Errorf("saved: ack %s, after %v", got, r.after != nil)
	}
	// The same view again (a redelivery): shown again, stored once.
	r, _ = b.onInteraction(ctx, submission(t, "V1", "YYYYYNNNNN"))
	if got := ackJSON(t, r); !strings.Contains(got, `"response_action":"update"`) {
		t.Errorf("redelivery: ack %s", got)
	}
	if n, _ := mr.List("pbtest:v1:{u:U1}:results"); len(n) != 1 {
		t.Errorf("stored %d results, want 1", len(n))
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
		return response{ack: slackui.HelpReply("", time.Time{})}, nil
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
