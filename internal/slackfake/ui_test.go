package slackfake

import (
	"slices"
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

func TestConversationsAndUsers(t *testing.T) {
	fake := newFake(t, Options{})
	fake.AddUser(User{ID: "U2", Name: "eve"})
	fake.AddUser(User{ID: "U1", Name: "ada"})
	fake.AddChannel("C1", "general", true)
	api := newAPI(fake, fake.BotToken(), fake.AppToken())
	ctx := testCtx(t)
	if _, _, _, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{"U1", "U2"}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := api.PostMessageContext(ctx, "U1", slack.MsgOptionText("hi", false)); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range fake.Conversations() {
		got = append(got, c.Kind+":"+c.ID+":"+c.Name+":"+strings.Join(c.Members, ","))
	}
	group, _ := fake.GroupDM("U1", "U2")
	want := []string{"channel:C1:general:", "im:D1::U1", "mpim:" + group + ":mpdm-ada--eve-1:U1,U2"}
	if !slices.Equal(got, want) {
		t.Errorf("Conversations() = %v, want %v", got, want)
	}
	var ids []string
	for _, u := range fake.Users() {
		ids = append(ids, u.ID)
	}
	if !slices.Equal(ids, []string{"U1", "U2"}) {
		t.Errorf("Users() = %v, want [U1 U2]", ids)
	}
}

func TestCloseModal(t *testing.T) {
	fake := newFake(t, Options{})
	closed := make(chan slack.InteractionCallback, 1)
	b := startBot(t, fake, func(b *bot, evt socketmode.Event) {
		if cb, ok := evt.Data.(slack.InteractionCallback); ok && cb.Type == slack.InteractionTypeViewClosed {
			closed <- cb
		}
		ackAll(b, evt)
	})
	ctx := testCtx(t)
	if err := fake.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	first, err := b.api.OpenViewContext(ctx, fake.NewTriggerID("U1"), testModal("First"))
	if err != nil {
		t.Fatal(err)
	}
	pushed := testModal("Second")
	pushed.NotifyOnClose = true
	second, err := b.api.PushViewContext(ctx, fake.NewTriggerID("U1"), pushed)
	if err != nil {
		t.Fatal(err)
	}
	open := func() []string {
		var ids []string
		for _, v := range fake.OpenModals("U1") {
			ids = append(ids, v.ID)
		}
		return ids
	}
	if got := open(); !slices.Equal(got, []string{first.ID, second.ID}) {
		t.Fatalf("OpenModals = %v, want [%s %s]", got, first.ID, second.ID)
	}
	if err := fake.CloseModal(ctx, "U1", first.ID); err == nil {
		t.Error("closing a modal covered by a pushed one worked")
	}
	if err := fake.CloseModal(ctx, "U2", second.ID); err == nil {
		t.Error("someone else closed the modal")
	}
	if err := fake.CloseModal(ctx, "U1", second.ID); err != nil {
		t.Fatal(err)
	}
	select {
	case cb := <-closed:
		if cb.View.ID != second.ID {
			t.Errorf("view_closed for %s, want %s", cb.View.ID, second.ID)
		}
	default:
		t.Error("no view_closed for a modal with notify_on_close")
	}
	if got := open(); !slices.Equal(got, []string{first.ID}) {
		t.Errorf("after closing the pushed modal: %v, want [%s]", got, first.ID)
	}
	if err := fake.CloseModal(ctx, "U1", first.ID); err != nil {
		t.Fatal(err)
	}
	if got := open(); len(got) != 0 {
		t.Errorf("after closing both: %v", got)
	}
	if p := fake.Problems(); len(p) > 0 {
		t.Errorf("problems: %v", p)
	}
}
