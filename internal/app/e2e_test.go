package app

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/partnerbot/partnerbot/internal/config"
	"github.com/partnerbot/partnerbot/internal/slackfake"
	"github.com/partnerbot/partnerbot/internal/slackui"
	"github.com/slack-go/slack"
)

const (
	assistant = "UASSIST"
	channel   = "CGENERAL"
	command   = "/partner-assess"
)

// harness is the real bot wiring running against the fake Slack and a
// Redis the test controls.
type harness struct {
	t     *testing.T
	fake  *slackfake.Server
	redis *miniredis.Miniredis
	app   *App
	logs  *syncBuffer
	stop  context.CancelFunc
	done  chan error
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newFake starts a fake Slack with the test's users and channel.
func newFake(t *testing.T) *slackfake.Server {
	t.Helper()
	fake, err := slackfake.New(slackfake.Options{PingInterval: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fake.Close() })
	fake.AddUser(slackfake.User{ID: assistant, Name: "ada", RealName: "Ada Assistant", TZ: "Europe/Paris"})
	fake.AddChannel(channel, "general", false)
	return fake
}

// testConfig points the bot at the fake and at redisAddr.
func testConfig(t *testing.T, fake *slackfake.Server, redisAddr string) config.Config {
	t.Helper()
	cfg := config.Config{
		SlackBotToken: fake.BotToken(), SlackAppToken: fake.AppToken(),
		SlackAPIURL: strings.TrimSuffix(fake.APIURL(), "/"), // the bot must add the slash itself
		RedisURL:    "redis://" + redisAddr, RedisPrefix: "pb",
		HTTPAddr: "127.0.0.1:0", LogLevel: "debug", LogFormat: "json",
		AckBudget: 1500 * time.Millisecond, ShutdownTimeout: 5 * time.Second, SlackHTTPTimeout: 5 * time.Second,
		SlackPostRate: 100, CheckinMinInterval: time.Second, CheckinReminderDelay: 0, CheckinGrace: 24 * time.Hour,
		CheckinPollInterval: 50 * time.Millisecond, CheckinLease: 5 * time.Second,
		ScorecardSchedule: "0 9 * * MON", ScorecardTZ: "UTC",
	}
	return cfg
}

func start(t *testing.T) *harness { return startVia(t, nil) }

// startVia runs the bot; via, when set, returns the address the bot should
// dial instead of miniredis's own (a proxy in front of it).
func startVia(t *testing.T, via func(redisAddr string) string) *harness {
	return startWith(t, via, nil)
}

// startWith is startVia with a change to the configuration.
func startWith(t *testing.T, via func(redisAddr string) string, change func(*config.Config)) *harness {
	t.Helper()
	fake := newFake(t)
	mr := miniredis.RunT(t)
	addr := mr.Addr()
	if via != nil {
		addr = via(addr)
	}
	h := startOn(t, fake, addr, change)
	h.redis = mr
	return h
}

// startOn runs the bot against fake and the Redis at redisAddr (the
// harness's miniredis field stays nil), tune changing the configuration.
func startOn(t *testing.T, fake *slackfake.Server, redisAddr string, tune func(*config.Config)) *harness {
	t.Helper()
	logs := &syncBuffer{}
	cfg := testConfig(t, fake, redisAddr)
	if tune != nil {
		tune(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("test config: %v", err)
	}
	a, err := NewWithOptions(cfg, slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Options{SocketDialer: fake.Dialer()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	h := &harness{t: t, fake: fake, app: a, logs: logs, stop: stop, done: make(chan error, 1)}
	go func() { h.done <- a.Run(ctx) }()
	t.Cleanup(func() {
		stop()
		select {
		case <-h.done:
		case <-time.After(10 * time.Second):
			t.Error("bot did not stop within 10 s")
		}
		if t.Failed() {
			t.Logf("bot logs (tail):\n%s", tail(logs.String(), 8000))
		}
	})
	if err := fake.WaitConnected(h.ctx(), 1); err != nil {
		t.Fatalf("bot never connected: %v", err)
	}
	return h
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}

func (h *harness) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	h.t.Cleanup(cancel)
	return ctx
}

// command runs a slash command and returns the ack payload.
func (h *harness) command(user, text string) slackfake.Ack {
	h.t.Helper()
	ack, err := h.fake.SlashCommand(h.ctx(), user, channel, command, text)
	if err != nil {
		h.t.Fatalf("%s %.40s: %v", command, text, err)
	}
	return ack
}

// openAssessment runs /partner-assess and waits for the modal.
func (h *harness) openAssessment(user string) slackfake.View {
	h.t.Helper()
	before := len(h.fake.Views(user))
	if ack := h.command(user, ""); ack.Payload != nil && string(ack.Payload) != "null" {
		h.t.Errorf("/partner-assess acked with payload %s, want an empty ack", ack.Payload)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool { return len(h.fake.Views(user)) > before }); err != nil {
		h.t.Fatalf("no modal opened: %v", err)
	}
	vs := h.fake.Views(user)
	return vs[len(vs)-1]
}

// answers builds view state: "Y", "N" or "-" (unanswered) per question.
func answers(s string) map[string]map[string]slack.BlockAction {
	v := map[string]map[string]slack.BlockAction{}
	for i, c := range s {
		var val string
		switch c {
		case 'Y':
			val = slackui.ValueYes
		case 'N':
			val = slackui.ValueNo
		default:
			continue
		}
		v[slackui.BlockQuestion(i+1)] = map[string]slack.BlockAction{
			slackui.ActionAnswer: {Type: "radio_buttons", SelectedOption: slack.OptionBlockObject{Value: val}},
		}
	}
	return v
}

func (h *harness) submit(user, viewID, ans string) map[string]any {
	h.t.Helper()
	return h.submitValues(user, viewID, answers(ans))
}

func (h *harness) submitValues(user, viewID string, values map[string]map[string]slack.BlockAction) map[string]any {
	h.t.Helper()
	ack, err := h.fake.SubmitView(h.ctx(), user, viewID, values)
	if err != nil {
		h.t.Fatalf("submit: %v", err)
	}
	if ack.Latency > 3*time.Second {
		h.t.Errorf("ack took %v, over Slack's 3 s", ack.Latency)
	}
	var m map[string]any
	if len(ack.Payload) > 0 {
		if err := json.Unmarshal(ack.Payload, &m); err != nil {
			h.t.Fatalf("ack payload %s: %v", ack.Payload, err)
		}
	}
	return m
}

// forgedSubmit sends a view_submission the fake's client would refuse to
// make (required answers missing), as a modified client could.
func (h *harness) forgedSubmit(user string, v slackfake.View, ans string) map[string]any {
	h.t.Helper()
	payload := map[string]any{
		"type": "view_submission",
		"user": map[string]any{"id": user},
		"view": map[string]any{
			"id": v.ID, "type": "modal", "callback_id": v.CallbackID, "private_metadata": v.PrivateMetadata,
			"state": map[string]any{"values": answers(ans)},
		},
	}
	ack, err := h.fake.Send(h.ctx(), slackfake.EnvelopeInteractive, payload)
	if err != nil {
		h.t.Fatalf("forged submit: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(ack.Payload, &m); err != nil {
		h.t.Fatalf("ack payload %s: %v", ack.Payload, err)
	}
	return m
}

func (h *harness) noProblems() {
	h.t.Helper()
	for _, p := range h.fake.Problems() {
		h.t.Errorf("fake Slack saw a problem: %s", p)
	}
}

func mustContain(t *testing.T, what string, v any, wants ...string) {
	t.Helper()
	if raw, ok := v.(json.RawMessage); ok {
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatalf("%s is not JSON: %s", what, raw)
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	s := buf.String()
	for _, w := range wants {
		if !strings.Contains(s, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, s)
		}
	}
}

func TestAssessmentJourney(t *testing.T) {
	h := start(t)

	// The modal: ten required Yes/No questions, word for word.
	v := h.openAssessment(assistant)
	if v.CallbackID != slackui.CallbackAssess || !v.Open {
		t.Fatalf("modal = %+v", v)
	}
	var view struct {
		Blocks []struct {
			Type     string `json:"type"`
			BlockID  string `json:"block_id"`
			Optional bool   `json:"optional"`
			Label    struct{ Text string }
			Element  struct {
				Type    string `json:"type"`
				Options []struct{ Text struct{ Text string } }
			}
		}
	}
	if err := json.Unmarshal(v.JSON, &view); err != nil {
		t.Fatal(err)
	}
	var inputs int
	for _, b := range view.Blocks {
		if b.Type != "input" {
			continue
		}
		inputs++
		if b.Optional || b.Element.Type != "radio_buttons" || len(b.Element.Options) != 2 ||
			b.Element.Options[0].Text.Text != "Yes" || b.Element.Options[1].Text.Text != "No" {
			t.Errorf("question block %s = %+v", b.BlockID, b)
		}
	}
	if inputs != 10 || !strings.HasSuffix(view.Blocks[2].Label.Text, "Do you and your boss share information, stories, tasks, and so on?") ||
		!strings.HasSuffix(view.Blocks[11].Label.Text, "Would you say you are currently “partnering with your boss”?") {
		t.Errorf("modal questions are not the article's ten, in order:\n%s", v.JSON)
	}

	// Unanswered questions (Slack's client blocks them, a forged or stale
	// client may not): inline errors keyed by their block_id; modal stays.
	ack := h.forgedSubmit(assistant, v, "YYNNYYNN--")
	if ack["response_action"] != "errors" {
		t.Fatalf("partial submit ack = %v, want response_action errors", ack)
	}
	errs, _ := ack["errors"].(map[string]any)
	if len(errs) != 2 || errs["q9"] == nil || errs["q10"] == nil {
		t.Errorf("errors = %v, want q9 and q10", errs)
	}
	if got, _ := h.fake.View(v.ID); !got.Open {
		t.Error("modal closed after a partial submit")
	}

	// Complete: stored, shown in the modal and by DM.
	ack = h.submit(assistant, v.ID, "YYNNYYNNYY")
	if ack["response_action"] != "update" {
		t.Fatalf("full submit ack = %v, want response_action update", ack)
	}
	mustContain(t, "result view", ack["view"], "6/10 — 5–7 “Yes” answers",
		"Your work together could probably be more productive and pleasant.", "This is your first result.")
	if err := h.fake.WaitFor(h.ctx(), func() bool { return len(h.fake.DMs(assistant)) == 1 }); err != nil {
		t.Fatalf("no result DM: %v", err)
	}
	dm := h.fake.DMs(assistant)[0]
	if dm.Text != "Your partnership self-assessment: 6/10 (5–7 “Yes”: could probably be more productive and pleasant)" {
		t.Errorf("DM text = %q", dm.Text)
	}

	// Again, with two answers changed: the change is shown.
	v2 := h.openAssessment(assistant)
	ack = h.submit(assistant, v2.ID, "YYYYYYNNYY")
	mustContain(t, "second result", ack["view"], "8/10 — 8–10 “Yes” answers", "6/10 → 8/10 (+2)",
		"3. Do you have a joint interest in the goals you are trying to achieve?  No → *Yes*",
		"4. Is there a solid alignment between you when it comes to how to achieve mutual goals?  No → *Yes*")
	mustContain(t, "second result", ack["view"], "Focus your attention on ways to improve it.")
	if err := h.fake.WaitFor(h.ctx(), func() bool { return len(h.fake.DMs(assistant)) == 2 }); err != nil {
		t.Fatalf("no second DM: %v", err)
	}

	// History: ephemeral, newest first, with the change.
	hist := h.command(assistant, "history")
	mustContain(t, "history", hist.Payload, `"response_type":"ephemeral"`, "*8/10* (8–10 “Yes”: solid relationship and partnership) · +2", "*6/10* (5–7 “Yes”: could probably be more productive and pleasant)")

	// Help, and unknown sub-commands answer with help.
	for _, text := range []string{"help", "HELP", "frobnicate now"} {
		mustContain(t, "help for "+text, h.command(assistant, text).Payload, "/partner-assess history", `"response_type":"ephemeral"`)
	}
	mustContain(t, "unknown", h.command(assistant, "frobnicate").Payload, "I don't know `frobnicate`.")

	// Health: ready with Slack and Redis up.
	if code := get(t, "http://"+h.app.HTTPAddr()+"/readyz"); code != 200 {
		t.Errorf("/readyz = %d, want 200", code)
	}

	h.noProblems()
	// Privacy: no token and no answer in the logs.
	logs := h.logs.String()
	for _, secret := range []string{h.fake.BotToken(), h.fake.AppToken(), "YYYYYYNNYY", "YYNNYYNNYY"} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain %q", secret)
		}
	}
}

func get(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func TestRedisDownKeepsTheAnswers(t *testing.T) {
	h := start(t)
	v := h.openAssessment(assistant)

	h.redis.Close()
	began := time.Now()
	ack := h.submit(assistant, v.ID, "YYYYYYYYYY")
	if ack["response_action"] != "errors" {
		t.Fatalf("ack with Redis down = %v, want response_action errors", ack)
	}
	mustContain(t, "errors", ack["errors"], "Could not save, please try again.")
	if took := time.Since(began); took > 2500*time.Millisecond {
		t.Errorf("ack with Redis down took %v", took)
	}
	if got, _ := h.fake.View(v.ID); !got.Open {
		t.Error("modal closed: the user's answers are lost")
	}
	if code := get(t, "http://"+h.app.HTTPAddr()+"/readyz"); code != 503 {
		t.Errorf("/readyz with Redis down = %d, want 503", code)
	}
	if n := len(h.fake.DMs(assistant)); n != 0 {
		t.Errorf("%d DMs sent for an unsaved result", n)
	}

	// Redis is back: the same modal submits, once.
	if err := h.redis.Restart(); err != nil {
		t.Fatal(err)
	}
	ack = h.submit(assistant, v.ID, "YYYYYYYYYY")
	if ack["response_action"] != "update" {
		t.Fatalf("ack after Redis is back = %v, want update", ack)
	}
	// A redelivery of the same submission stores nothing new.
	if ack := h.forgedSubmit(assistant, v, "YYYYYYYYYY"); ack["response_action"] != "update" {
		t.Errorf("redelivered submission acked %v, want the result again", ack)
	}
	mustContain(t, "history", h.command(assistant, "history").Payload, "10/10")
	if n := strings.Count(string(h.command(assistant, "history").Payload), "10/10*"); n != 1 {
		t.Errorf("history lists the result %d times, want 1", n)
	}
	h.noProblems()
}

func TestBadInputIsDropped(t *testing.T) {
	h := start(t)
	frames := []string{
		`not json at all`,
		`{"type":"slash_commands","envelope_id":"e-shape","payload":"a string"}`,
		`{"type":"interactive","envelope_id":"e-shape2","payload":[1,2,3]}`,
		`{"type":"mystery","envelope_id":"e-mystery","payload":{}}`,
		`{}`,
	}
	for _, f := range frames {
		if err := h.fake.SendRaw(h.ctx(), []byte(f)); err != nil {
			t.Fatalf("SendRaw(%s): %v", f, err)
		}
	}
	// Well-formed envelopes that are not ours are acked and dropped.
	cases := []struct {
		typ     string
		payload any
	}{
		{"interactive", map[string]any{"type": "view_submission", "user": map[string]any{"id": assistant}, "view": map[string]any{"id": "V1", "callback_id": "someone_elses"}}},
		{"interactive", map[string]any{"type": "view_submission", "user": map[string]any{"id": assistant}, "view": map[string]any{"id": "V2", "callback_id": slackui.CallbackAssess, "private_metadata": "forged"}}},
		{"interactive", map[string]any{"type": "who_knows", "user": map[string]any{"id": assistant}}},
		{"interactive", map[string]any{"type": "view_submission"}},
		{"slash_commands", map[string]any{"command": command, "text": "help"}},
		{"events_api", map[string]any{"type": "event_callback", "event": map[string]any{"type": "reaction_added"}, "event_id": "Ev1"}},
	}
	for _, c := range cases {
		ack, err := h.fake.Send(h.ctx(), c.typ, c.payload)
		if err != nil {
			t.Errorf("Send(%s %v): %v", c.typ, c.payload, err)
			continue
		}
		if len(ack.Payload) > 0 && string(ack.Payload) != "null" {
			t.Errorf("ack for %v = %s, want empty", c.payload, ack.Payload)
		}
	}
	// An oversized frame costs a reconnect, nothing more.
	// (The bot cuts the socket mid-frame, so the write itself may fail.)
	_ = h.fake.SendRaw(h.ctx(), []byte(`{"type":"slash_commands","envelope_id":"big","payload":{"text":"`+strings.Repeat("x", 5<<20)+`"}}`))
	// Oversized text answers with help; the bot is still alive afterwards.
	mustContain(t, "long", h.command(assistant, strings.Repeat("x", 10000)).Payload, "That command is too long.")
	mustContain(t, "rtl", h.command(assistant, "مرحبا 👋").Payload, "I don't know")
	mustContain(t, "still alive", h.command(assistant, "help").Payload, "/partner-assess history")
	if h.fake.Connections() != 1 {
		t.Errorf("connections = %d, want the bot still connected once", h.fake.Connections())
	}
}

func TestReconnectsWhenSlackAsks(t *testing.T) {
	h := start(t)
	h.reconnectAfter(func() { h.fake.Disconnect("refresh_requested") })
	mustContain(t, "after reconnect", h.command(assistant, "help").Payload, "/partner-assess history")
	h.reconnectAfter(h.fake.DropConnections)
	mustContain(t, "after drop", h.command(assistant, "help").Payload, "/partner-assess history")
}

// reconnectAfter runs cut and waits until the bot holds exactly one socket,
// a new one.
func (h *harness) reconnectAfter(cut func()) {
	h.t.Helper()
	old := map[string]bool{}
	for _, s := range h.fake.Sockets() {
		old[s.ID] = true
	}
	cut()
	err := h.fake.WaitFor(h.ctx(), func() bool {
		s := h.fake.Sockets()
		return len(s) == 1 && !old[s[0].ID]
	})
	if err != nil {
		h.t.Fatalf("bot did not reconnect: %v", err)
	}
}
