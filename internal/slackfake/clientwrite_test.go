package slackfake

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack/socketmode"
)

// A client on the fake's Dialer: a small ack goes through; the next ack of
// at least the armed size fails as slack-go's ErrorWriteFailed, carrying
// that response, and the client reconnects by itself.
func TestFailNextClientWrite(t *testing.T) {
	fake := newFake(t, Options{PingInterval: 100 * time.Millisecond})
	failed := make(chan *socketmode.ErrorWriteFailed, 1)
	big := strings.Repeat("x", 3000)
	startBot(t, fake, func(b *bot, evt socketmode.Event) {
		switch evt.Type {
		case socketmode.EventTypeErrorWriteFailed:
			if wf, ok := evt.Data.(*socketmode.ErrorWriteFailed); ok {
				failed <- wf
			}
		case socketmode.EventTypeSlashCommand:
			_ = b.sm.AckCtx(context.Background(), evt.Request.EnvelopeID, map[string]string{"text": big})
		default:
			ackAll(b, evt)
		}
	}, socketmode.OptionDialer(fake.Dialer()))
	ctx := testCtx(t)
	if err := fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := fake.SendEvent(ctx, map[string]any{"type": "app_home_opened", "user": "U1", "tab": "home"}); err != nil {
		t.Fatalf("an event before arming: %v", err)
	}
	old := fake.Sockets()[0].ID

	fake.FailNextClientWrite(len(big))
	short, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if _, err := fake.SlashCommand(short, "U1", "C1", "/cmd", "big"); err == nil {
		t.Fatal("the envelope whose ack write failed was acked")
	}
	select {
	case wf := <-failed:
		if !errors.Is(wf.Cause, ErrClientWrite) || wf.Response == nil || wf.Response.EnvelopeID == "" {
			t.Errorf("ErrorWriteFailed = %+v, want cause ErrClientWrite and the response", wf)
		}
	case <-ctx.Done():
		t.Fatal("slack-go reported no failed write")
	}
	if err := fake.WaitFor(ctx, func() bool { s := fake.Sockets(); return len(s) == 1 && s[0].ID != old }); err != nil {
		t.Fatalf("client did not reconnect: %v", err)
	}
	if len(fake.Lost()) != 1 {
		t.Errorf("lost envelopes = %v, want the one whose ack failed", fake.Lost())
	}
	// Disarmed: the next large ack goes through.
	if _, err := fake.SlashCommand(ctx, "U1", "C1", "/cmd", "big"); err != nil {
		t.Errorf("after the failed write: %v", err)
	}
}
