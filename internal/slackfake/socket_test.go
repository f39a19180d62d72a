package slackfake

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

func TestHelloAndSlashCommand(t *testing.T) {
	fake := newFake(t, Options{})
	fake.AddUser(User{ID: "U1", Name: "alice"})
	hellos := make(chan socketmode.Request, 1)
	cmds := make(chan slack.SlashCommand, 1)
	startBot(t, fake, func(b *bot, evt socketmode.Event) {
		switch evt.Type {
		case socketmode.EventTypeHello:
			hellos <- *evt.Request
		case socketmode.EventTypeSlashCommand:
			cmd := evt.Data.(slack.SlashCommand)
			cmds <- cmd
			_ = b.sm.Ack(*evt.Request, map[string]any{"text": "got " + cmd.Text})
		}
	})
	ctx := testCtx(t)
	if err := fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	select {
	case h := <-hellos:
		if h.NumConnections != 1 || h.ConnectionInfo.AppID != AppID {
			t.Errorf("hello = %+v, want num_connections 1 and app_id %s", h, AppID)
		}
	case <-ctx.Done():
		t.Fatal("no hello")
	}

	ack, err := fake.SlashCommand(ctx, "U1", "C1", "/pair", "hello")
	if err != nil {
		t.Fatal(err)
	}
	var p struct{ Text string }
	if err := json.Unmarshal(ack.Payload, &p); err != nil || p.Text != "got hello" {
		t.Errorf("ack payload = %s (%v), want text %q", ack.Payload, err, "got hello")
	}
	if ack.EnvelopeID == "" || ack.Latency <= 0 {
		t.Errorf("ack = %+v, want an envelope id and a latency", ack)
	}
	cmd := <-cmds
	if cmd.UserID != "U1" || cmd.UserName != "alice" || cmd.ChannelID != "C1" || cmd.Command != "/pair" ||
		cmd.Text != "hello" || cmd.TeamID != DefaultTeamID || cmd.APIAppID != AppID ||
		cmd.TriggerID == "" || !strings.HasPrefix(cmd.ResponseURL, "http://127.0.0.1:") {
		t.Errorf("slash command = %+v", cmd)
	}
	eph := fake.Ephemerals("U1")
	if len(eph) != 1 || eph[0].Text != "got hello" || eph[0].Channel != "C1" || !eph[0].Ephemeral || eph[0].To != "U1" {
		t.Errorf("ephemerals = %+v, want the ack reply", eph)
	}
	if got := fake.Messages("C1"); len(got) != 1 {
		t.Errorf("messages in C1 = %+v, want the ephemeral reply", got)
	}
	if acks := fake.Acks(); len(acks) != 1 || acks[0].EnvelopeID != ack.EnvelopeID {
		t.Errorf("acks = %+v", acks)
	}
	if p := fake.Problems(); len(p) != 0 {
		t.Errorf("problems: %q", p)
	}
}

func TestDisconnectAndDropReconnect(t *testing.T) {
	tests := []struct {
		name string
		cut  func(*Server)
	}{
		{"disconnect", func(s *Server) { s.Disconnect("refresh_requested") }},
		{"drop", func(s *Server) { s.DropConnections() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFake(t, Options{})
			startBot(t, fake, ackAll)
			ctx := testCtx(t)
			if err := fake.WaitConnected(ctx, 1); err != nil {
				t.Fatal(err)
			}
			first := fake.Sockets()[0].ID
			tt.cut(fake)
			err := fake.WaitFor(ctx, func() bool {
				s := fake.Sockets()
				return len(fake.Calls("apps.connections.open")) == 2 && len(s) == 1 && s[0].ID != first
			})
			if err != nil {
				t.Fatalf("no reconnect: opens=%d sockets=%+v: %v", len(fake.Calls("apps.connections.open")), fake.Sockets(), err)
			}
			if _, err := fake.SlashCommand(ctx, "U1", "C1", "/pair", ""); err != nil {
				t.Errorf("slash command after reconnect: %v", err)
			}
			if p := fake.Problems(); len(p) != 0 {
				t.Errorf("problems: %q", p)
			}
		})
	}
}

func TestPings(t *testing.T) {
	tests := []struct {
		name          string
		serverPing    time.Duration
		clientTimeout time.Duration
		wantReconnect bool
	}{
		{"pings keep the socket", 20 * time.Millisecond, 300 * time.Millisecond, false},
		{"no pings drop it", time.Hour, 100 * time.Millisecond, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFake(t, Options{PingInterval: tt.serverPing})
			startBot(t, fake, ackAll, socketmode.OptionPingInterval(tt.clientTimeout))
			ctx := testCtx(t)
			if err := fake.WaitConnected(ctx, 1); err != nil {
				t.Fatal(err)
			}
			first := fake.Sockets()[0].ID
			if tt.wantReconnect {
				if err := fake.WaitFor(ctx, func() bool { return len(fake.Calls("apps.connections.open")) >= 2 }); err != nil {
					t.Fatalf("client never gave up on the silent socket: %v", err)
				}
				return
			}
			// 25 pings span well over the client's timeout.
			err := fake.WaitFor(ctx, func() bool {
				s := fake.Sockets()
				return len(s) != 1 || s[0].ID != first || s[0].PingsSent >= 25
			})
			if err != nil {
				t.Fatal(err)
			}
			s := fake.Sockets()
			if len(s) != 1 || s[0].ID != first {
				t.Fatalf("socket changed: %+v (first %s)", s, first)
			}
			if n := len(fake.Calls("apps.connections.open")); n != 1 {
				t.Errorf("apps.connections.open called %d times, want 1", n)
			}
			if err := fake.WaitFor(ctx, func() bool { return fake.Sockets()[0].PongsReceived > 0 }); err != nil {
				t.Errorf("no pong received: %v", err)
			}
		})
	}
}

func TestAckProblems(t *testing.T) {
	tests := []struct {
		name    string
		handle  func(b *bot, req socketmode.Request, release <-chan struct{})
		want    string
		wantAck bool
	}{
		{"double ack", func(b *bot, req socketmode.Request, _ <-chan struct{}) {
			_ = b.sm.Ack(req)
			_ = b.sm.Ack(req)
		}, "double ack", true},
		{"unknown envelope", func(b *bot, req socketmode.Request, _ <-chan struct{}) {
			_ = b.sm.Ack(socketmode.Request{EnvelopeID: "no-such-envelope"})
			_ = b.sm.Ack(req)
		}, `unknown envelope "no-such-envelope"`, true},
		{"ack late", func(b *bot, req socketmode.Request, release <-chan struct{}) {
			<-release
			_ = b.sm.Ack(req)
		}, "ack late", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFake(t, Options{AckTimeout: 100 * time.Millisecond})
			release := make(chan struct{})
			startBot(t, fake, func(b *bot, evt socketmode.Event) {
				if evt.Type == socketmode.EventTypeSlashCommand {
					tt.handle(b, *evt.Request, release)
				}
			})
			ctx := testCtx(t)
			if err := fake.WaitConnected(ctx, 1); err != nil {
				t.Fatal(err)
			}
			ackCh := make(chan error, 1)
			go func() {
				_, err := fake.SlashCommand(ctx, "U1", "C1", "/pair", "")
				ackCh <- err
			}()
			if err := fake.WaitFor(ctx, func() bool { return hasProblem(fake.Problems(), tt.want) }); err != nil {
				t.Fatalf("problem %q not recorded; problems %q", tt.want, fake.Problems())
			}
			close(release)
			if err := <-ackCh; err != nil {
				t.Errorf("SlashCommand: %v", err)
			}
		})
	}
}

func TestSendWithoutAckEndsWithContext(t *testing.T) {
	fake := newFake(t, Options{})
	startBot(t, fake, nil) // never acks
	ctx := testCtx(t)
	if err := fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	_, err := fake.OpenHome(short, "U1")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("OpenHome without ack: err = %v, want deadline exceeded", err)
	}
}

func TestRoundRobin(t *testing.T) {
	fake := newFake(t, Options{})
	got := [2]chan struct{}{make(chan struct{}, 10), make(chan struct{}, 10)}
	for i := range 2 {
		startBot(t, fake, func(b *bot, evt socketmode.Event) {
			if evt.Type == socketmode.EventTypeSlashCommand {
				got[i] <- struct{}{}
				_ = b.sm.Ack(*evt.Request)
			}
		})
	}
	ctx := testCtx(t)
	if err := fake.WaitConnected(ctx, 2); err != nil {
		t.Fatal(err)
	}
	for range 4 {
		if _, err := fake.SlashCommand(ctx, "U1", "C1", "/pair", ""); err != nil {
			t.Fatal(err)
		}
	}
	if len(got[0]) != 2 || len(got[1]) != 2 {
		t.Errorf("envelopes per socket = %d, %d; want 2, 2", len(got[0]), len(got[1]))
	}
}

func TestSendRawGarbageKeepsSocket(t *testing.T) {
	fake := newFake(t, Options{})
	startBot(t, fake, ackAll)
	ctx := testCtx(t)
	if err := fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	first := fake.Sockets()[0].ID
	for _, frame := range []string{"not json", `{"type":"what"}`, `[1,2]`} {
		if err := fake.SendRaw(ctx, []byte(frame)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := fake.SlashCommand(ctx, "U1", "C1", "/pair", ""); err != nil {
		t.Fatal(err)
	}
	if s := fake.Sockets(); len(s) != 1 || s[0].ID != first {
		t.Errorf("sockets = %+v, want still %s", s, first)
	}
}

func TestOpenHome(t *testing.T) {
	fake := newFake(t, Options{})
	events := make(chan *slackevents.AppHomeOpenedEvent, 2)
	startBot(t, fake, func(b *bot, evt socketmode.Event) {
		if evt.Type != socketmode.EventTypeEventsAPI {
			return
		}
		_ = b.sm.Ack(*evt.Request)
		outer := evt.Data.(slackevents.EventsAPIEvent)
		ev, ok := outer.InnerEvent.Data.(*slackevents.AppHomeOpenedEvent)
		if !ok {
			events <- nil
			return
		}
		events <- ev
		_, err := b.api.PublishView(ev.User, slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: []slack.Block{
			slack.NewSectionBlock(plain("Welcome"), nil, nil),
		}}}, "")
		if err != nil {
			panic(err)
		}
	})
	ctx := testCtx(t)
	if _, err := fake.OpenHome(ctx, "U1"); err != nil {
		t.Fatal(err)
	}
	ev := <-events
	if ev == nil || ev.User != "U1" || ev.Tab != "home" || ev.Channel != DMChannelID("U1") || ev.View != nil {
		t.Fatalf("first app_home_opened = %+v", ev)
	}
	if err := fake.WaitFor(ctx, func() bool { _, ok := fake.HomeView("U1"); return ok }); err != nil {
		t.Fatal(err)
	}
	home, _ := fake.HomeView("U1")
	if home.Type != "home" || !strings.Contains(string(home.JSON), "Welcome") {
		t.Errorf("home = %+v", home)
	}
	if _, err := fake.OpenHome(ctx, "U1"); err != nil {
		t.Fatal(err)
	}
	if ev := <-events; ev == nil || ev.View == nil || ev.View.ID != home.ID {
		t.Errorf("second app_home_opened = %+v, want the published view %s", ev, home.ID)
	}
}

// TestWireProtocol checks the frames on the wire with a bare WebSocket
// client: hello's shape, envelopes, one-time tickets, and acks slack-go
// itself would refuse to send.
func TestWireProtocol(t *testing.T) {
	fake := newFake(t, Options{})
	ctx := testCtx(t)
	_, open := postRawApp(t, fake)
	url, _ := open["url"].(string)
	if !strings.HasPrefix(url, "ws://127.0.0.1:") {
		t.Fatalf("apps.connections.open url = %q", url)
	}
	ws, _, err := websocket.DefaultDialer.DialContext(ctx, url, http.Header{"Origin": {"https://api.slack.com"}})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if _, resp, err := websocket.DefaultDialer.DialContext(ctx, url, nil); err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("second dial with the same ticket: err %v, want 401", err)
	}
	var hello map[string]any
	if err := ws.ReadJSON(&hello); err != nil {
		t.Fatal(err)
	}
	if hello["type"] != "hello" || hello["num_connections"] != float64(1) {
		t.Errorf("hello = %v", hello)
	}

	sent := make(chan error, 1)
	go func() {
		_, err := fake.Send(ctx, EnvelopeInteractive, json.RawMessage(`{"type":"block_actions"}`))
		sent <- err
	}()
	var env map[string]any
	if err := ws.ReadJSON(&env); err != nil {
		t.Fatal(err)
	}
	id, _ := env["envelope_id"].(string)
	if id == "" || env["type"] != EnvelopeInteractive || env["accepts_response_payload"] != true ||
		env["retry_attempt"] != float64(0) || env["retry_reason"] != "" {
		t.Errorf("envelope = %v", env)
	}
	big := `{"envelope_id":"` + id + `","payload":{"text":"` + strings.Repeat("x", MaxAckSize) + `"}}`
	for _, frame := range []string{big, `garbage`, `{"envelope_id":"` + id + `"}`} {
		if err := ws.WriteMessage(websocket.TextMessage, []byte(frame)); err != nil {
			t.Fatal(err)
		}
	}
	if err := <-sent; err != nil {
		t.Fatal(err)
	}
	p := fake.Problems()
	if !hasProblem(p, "Slack drops acks") || !hasProblem(p, "malformed message") || len(p) != 2 {
		t.Errorf("problems = %q, want the oversized ack and the garbage", p)
	}
	if acks := fake.Acks(); len(acks) != 1 || acks[0].Payload != nil {
		t.Errorf("acks = %+v, want one without payload", acks)
	}
}

func postRawApp(t *testing.T, fake *Server) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, fake.APIURL()+"apps.connections.open", nil)
	req.Header.Set("Authorization", "Bearer "+fake.AppToken())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestCloseIsIdempotentAndWakesWaiters(t *testing.T) {
	fake, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	startBot(t, fake, ackAll)
	ctx := testCtx(t)
	if err := fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	waitErr := make(chan error, 1)
	go func() { waitErr <- fake.WaitFor(ctx, func() bool { return false }) }()
	if err := fake.Close(); err != nil {
		t.Fatal(err)
	}
	if err := fake.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-waitErr; !errors.Is(err, ErrClosed) {
		t.Errorf("WaitFor after Close = %v, want ErrClosed", err)
	}
	if _, err := fake.SlashCommand(ctx, "U1", "C1", "/x", ""); !errors.Is(err, ErrClosed) {
		t.Errorf("SlashCommand after Close = %v, want ErrClosed", err)
	}
	if fake.Connections() != 0 {
		t.Errorf("connections after Close = %d", fake.Connections())
	}
}
