package slackfake

import (
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// A message shortcut reaches slack-go as a message_action interaction with
// what the bot needs: the message's place and author, and a trigger_id
// views.open takes once.
func TestMessageShortcut(t *testing.T) {
	fake := newFake(t, Options{})
	fake.AddUser(User{ID: "U1", Name: "alice"})
	fake.AddUser(User{ID: "U2", Name: "bob"})
	fake.AddChannel("C1", "general", false)
	seen := make(chan slack.InteractionCallback, 1)
	b := startBot(t, fake, func(b *bot, evt socketmode.Event) {
		if evt.Type == socketmode.EventTypeInteractive {
			seen <- evt.Data.(slack.InteractionCallback)
		}
		ackAll(b, evt)
	})
	ctx := testCtx(t)
	if err := fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	ts := fake.PostAsUser("U2", "C1", "Shipped the deck <3")
	if m, ok := fake.Message("C1", ts); !ok || m.User != "U2" || m.Text != "Shipped the deck <3" {
		t.Fatalf("the user's message = %+v, %v", m, ok)
	}
	if _, err := fake.MessageShortcut(ctx, "U1", "C1", ts, "log_win"); err != nil {
		t.Fatal(err)
	}
	cb := <-seen
	if cb.Type != slack.InteractionTypeMessageAction || cb.CallbackID != "log_win" || cb.User.ID != "U1" || cb.Channel.ID != "C1" ||
		cb.MessageTs != ts || cb.Message.Timestamp != ts || cb.Message.User != "U2" || cb.Message.Text != "Shipped the deck <3" ||
		cb.Team.Domain != TeamDomain || cb.ResponseURL == "" || cb.TriggerID == "" {
		t.Errorf("message_action = %+v", cb)
	}
	// The trigger opens one modal.
	if _, err := b.api.OpenViewContext(ctx, cb.TriggerID, testModal("Log a win")); err != nil {
		t.Errorf("views.open with the shortcut's trigger: %v", err)
	}
	if _, err := b.api.OpenViewContext(ctx, cb.TriggerID, testModal("Again")); err == nil {
		t.Error("the shortcut's trigger opened a second modal")
	}
	// No such message: nothing is sent.
	if _, err := fake.MessageShortcut(ctx, "U1", "C1", "1.000001", "log_win"); err == nil {
		t.Error("a shortcut on a message that does not exist was sent")
	}
	if _, err := fake.MessageShortcut(ctx, "U1", "C2", ts, "log_win"); err == nil {
		t.Error("a shortcut on a message of another channel was sent")
	}
	if ps := fake.Problems(); len(ps) != 1 || !strings.Contains(ps[0], "used twice") {
		t.Errorf("problems = %q, want only the second use of the trigger", ps)
	}
}
