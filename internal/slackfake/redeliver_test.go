package slackfake

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack/socketmode"
)

// Redeliver repeats a payload with Slack's retry fields; Lost lists what
// a dropped socket lost; RemoveBot makes posting fail with not_in_channel.
func TestRedeliverAndLost(t *testing.T) {
	fake := newFake(t, Options{})
	var mu sync.Mutex
	var seen []socketmode.Request
	startBot(t, fake, func(b *bot, evt socketmode.Event) {
		if evt.Request == nil || evt.Type == socketmode.EventTypeHello {
			return
		}
		mu.Lock()
		seen = append(seen, *evt.Request)
		mu.Unlock()
		if !strings.Contains(string(evt.Request.Payload), "never-ack") {
			_ = b.sm.Ack(*evt.Request)
		}
	})
	ctx := testCtx(t)
	if err := fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	first, err := fake.SendEvent(ctx, map[string]any{"type": "app_home_opened", "user": "U1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fake.Redeliver(ctx, first.EnvelopeID, Delivery{RetryAttempt: 1, RetryReason: "timeout"}); err != nil {
		t.Fatal(err)
	}
	if _, err := fake.Redeliver(ctx, first.EnvelopeID, Delivery{EnvelopeID: first.EnvelopeID, RetryAttempt: 2, RetryReason: "timeout"}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if len(seen) != 3 {
		t.Fatalf("client saw %d envelopes, want 3", len(seen))
	}
	if seen[0].EnvelopeID != first.EnvelopeID || seen[1].EnvelopeID == first.EnvelopeID || seen[2].EnvelopeID != first.EnvelopeID {
		t.Errorf("envelope ids = %s %s %s, want original, fresh, original", seen[0].EnvelopeID, seen[1].EnvelopeID, seen[2].EnvelopeID)
	}
	if seen[1].RetryAttempt != 1 || seen[2].RetryAttempt != 2 || seen[2].RetryReason != "timeout" {
		t.Errorf("retry fields = %+v / %+v", seen[1], seen[2])
	}
	if string(seen[0].Payload) != string(seen[1].Payload) || string(seen[1].Payload) != string(seen[2].Payload) {
		t.Errorf("payloads differ:\n%s\n%s", seen[0].Payload, seen[1].Payload)
	}
	if l := fake.Lost(); len(l) != 0 {
		t.Errorf("Lost = %v after every envelope was acked", l)
	}
	mu.Unlock()
	if _, err := fake.Redeliver(ctx, "nope", Delivery{}); err == nil {
		t.Error("Redeliver of an unknown envelope succeeded")
	}

	// An envelope the client never acks is lost when its socket drops.
	sctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	lostAck := make(chan error, 1)
	go func() {
		_, err := fake.Send(sctx, EnvelopeSlashCommands, map[string]any{"command": "/x", "text": "never-ack"})
		lostAck <- err
	}()
	if err := fake.WaitFor(ctx, func() bool { mu.Lock(); defer mu.Unlock(); return len(seen) == 4 }); err != nil {
		t.Fatal(err)
	}
	fake.DropConnections()
	if l := fake.Lost(); len(l) != 1 {
		t.Errorf("Lost = %v after a drop, want the unacked envelope", l)
	}
	if err := <-lostAck; err == nil {
		t.Error("Send of a lost envelope returned no error")
	}

	fake.AddChannel("C1", "general", true)
	if !fake.RemoveBot("C1") || fake.RemoveBot("CNONE") {
		t.Error("RemoveBot reports the wrong existence")
	}
	if _, body := postRaw(t, fake, "chat.postMessage", map[string]any{"channel": "C1", "text": "hi"}); body["error"] != "not_in_channel" {
		t.Errorf("post after RemoveBot = %v, want not_in_channel", body)
	}
}
