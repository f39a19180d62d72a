package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/partnerbot/partnerbot/internal/slackfake"
	"github.com/partnerbot/partnerbot/internal/tcpproxy"
)

// publishes counts views.publish calls for user's Home tab.
func publishes(fake *slackfake.Server, user string) int {
	n := 0
	for _, c := range fake.Calls("views.publish") {
		if c.Params["user_id"] == user && c.Error == "" {
			n++
		}
	}
	return n
}

// The fake cuts the bot's socket in the middle of a burst of view
// submissions and Home-tab events (once abruptly, once with a
// refresh_requested disconnect). The bot reconnects by itself; Slack then
// delivers again what was lost (new envelope_id, retry_attempt 1) and,
// for good measure, everything else twice more: the same envelope_id
// again, and retry_attempt 2. Each submission is stored once with one DM;
// each Home event publishes the Home tab once.
func TestSocketCutMidBurstProcessesEachEnvelopeOnce(t *testing.T) {
	for _, cut := range []struct {
		name string
		do   func(*slackfake.Server)
	}{
		{"dropped", (*slackfake.Server).DropConnections},
		{"refresh_requested", func(f *slackfake.Server) { f.Disconnect("refresh_requested") }},
	} {
		t.Run(cut.name, func(t *testing.T) {
			var proxy *tcpproxy.Proxy
			h := startVia(t, func(addr string) string { proxy = newSlowProxy(t, addr); return proxy.Addr() })
			var users []string
			for i := range 16 {
				u := fmt.Sprintf("USOCK%02d", i)
				users = append(users, u)
				h.fake.AddUser(slackfake.User{ID: u, Name: strings.ToLower(u)})
			}
			views := map[string]slackfake.View{}
			for _, u := range users {
				views[u] = h.openAssessment(u)
			}
			before := map[string]bool{}
			for _, a := range h.fake.Acks() {
				before[a.EnvelopeID] = true
			}
			old := h.fake.Sockets()[0].ID
			// Redis answers in 50 ms: envelopes are in the bot's hands when
			// the socket goes.
			proxy.SetDelay(50 * time.Millisecond)

			burst, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			var wg sync.WaitGroup
			var acked, sent atomic.Int64
			for i, u := range users {
				if i == len(users)/2 {
					// Half are on their way: cut now.
					h.fake.WaitFor(h.ctx(), func() bool { return sent.Load() >= int64(i) })
					cut.do(h.fake)
				}
				for _, send := range []func() error{
					func() error { _, err := h.fake.SubmitView(burst, u, views[u].ID, answers("YYYYYYNNNN")); return err },
					func() error { _, err := h.fake.OpenHome(burst, u); return err },
				} {
					wg.Go(func() {
						sent.Add(1)
						if send() == nil {
							acked.Add(1)
						}
					})
				}
			}
			// Reconnected by itself, and every envelope is acked or lost.
			if err := h.fake.WaitFor(h.ctx(), func() bool {
				s := h.fake.Sockets()
				return len(s) == 1 && s[0].ID != old && acked.Load()+int64(len(h.fake.Lost())) == int64(2*len(users))
			}); err != nil {
				t.Fatalf("after the cut: %d sockets, %d acked, %d lost of %d: %v", len(h.fake.Sockets()), acked.Load(), len(h.fake.Lost()), 2*len(users), err)
			}
			lost := h.fake.Lost()
			cancel() // the Sends of lost envelopes stop waiting
			wg.Wait()
			proxy.SetDelay(0)
			if len(lost) == 0 {
				t.Log("this cut lost no envelope (the bot acked the in-flight ones on its new socket)")
			}

			// Slack delivers the lost ones again.
			ctx := h.ctx()
			for _, id := range lost {
				if _, err := h.fake.Redeliver(ctx, id, slackfake.Delivery{RetryAttempt: 1, RetryReason: "timeout"}); err != nil {
					t.Fatalf("redeliver %s: %v", id, err)
				}
			}
			// And everything once more: same envelope_id, then a later retry.
			var burstIDs []string
			for _, a := range h.fake.Acks() {
				if !before[a.EnvelopeID] && !slices.Contains(burstIDs, a.EnvelopeID) {
					burstIDs = append(burstIDs, a.EnvelopeID)
				}
			}
			for _, id := range burstIDs {
				for _, d := range []slackfake.Delivery{{EnvelopeID: id}, {RetryAttempt: 2, RetryReason: "timeout"}} {
					ack, err := h.fake.Redeliver(ctx, id, d)
					if err != nil {
						t.Fatalf("redeliver %s: %v", id, err)
					}
					if ack.Payload != nil {
						t.Errorf("duplicate of %s acked with %s, want an empty ack", id, ack.Payload)
					}
				}
			}

			// An envelope whose first delivery never reached the bot comes
			// with retry_attempt 1: it is new to the bot, so it is handled.
			late := "USOCKLATE"
			h.fake.AddUser(slackfake.User{ID: late, Name: "late"})
			lv := h.openAssessment(late)
			ack, err := h.fake.SendWith(ctx, slackfake.EnvelopeInteractive, map[string]any{
				"type": "view_submission", "user": map[string]any{"id": late}, "trigger_id": h.fake.NewTriggerID(late),
				"view": map[string]any{"id": lv.ID, "type": "modal", "callback_id": lv.CallbackID, "private_metadata": lv.PrivateMetadata,
					"state": map[string]any{"values": answers("YYYYYYNNNN")}},
			}, slackfake.Delivery{RetryAttempt: 1, RetryReason: "timeout"})
			if err != nil || !strings.Contains(string(ack.Payload), `"update"`) {
				t.Errorf("first-seen envelope with retry_attempt 1: ack %s, %v; want the result", ack.Payload, err)
			}
			users = append(users, late)
			if _, err := h.fake.OpenHome(ctx, late); err != nil {
				t.Fatal(err)
			}

			// Effects: one result and one DM per submission, one Home
			// publish per event.
			wctx, wcancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer wcancel()
			_ = h.fake.WaitFor(wctx, func() bool {
				for _, u := range users {
					if resultDMs(h.fake, u) < 1 || publishes(h.fake, u) < 1 {
						return false
					}
				}
				return true
			})
			for _, u := range users {
				rs, _ := h.redis.List("pb:v1:{u:" + u + "}:results")
				if len(rs) != 1 || resultDMs(h.fake, u) != 1 || publishes(h.fake, u) != 1 {
					t.Errorf("%s: %d results, %d result DMs, %d Home publishes; want 1 each", u, len(rs), resultDMs(h.fake, u), publishes(h.fake, u))
				}
			}
			h.noProblems()
			t.Logf("%s: %d envelopes, %d lost in the cut and delivered again, %d delivered twice more", cut.name, 2*len(users), len(lost), len(burstIDs))
		})
	}
}
