package slackfake

import (
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// selectModal is a modal with a static_select in an actions block, a
// users_select in a dispatching input block, a static_select in a plain
// input block and a required text input.
func selectModal() slack.ModalViewRequest {
	opt := func(v, text string) *slack.OptionBlockObject { return slack.NewOptionBlockObject(v, plain(text), nil) }
	color := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Color"), "color", opt("red", "Red"), opt("green", "Green"))
	who := slack.NewInputBlock("who", plain("Who"), nil, slack.NewOptionsSelectBlockElement(slack.OptTypeUser, plain("Pick"), "user"))
	who.DispatchAction = true
	size := slack.NewInputBlock("size", plain("Size"), nil, slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Size"), "size_sel", opt("s", "S")))
	size.Optional = true
	m := testModal("Pick")
	m.Blocks.BlockSet = append([]slack.Block{
		slack.NewActionBlock("pick", color, slack.NewButtonBlockElement("go", "", plain("Go"))),
		who,
		size,
	}, m.Blocks.BlockSet...)
	return m
}

func TestSelectOption(t *testing.T) {
	fake := newFake(t, Options{})
	seen := make(chan slack.InteractionCallback, 1)
	b := startBot(t, fake, func(b *bot, evt socketmode.Event) {
		ackAll(b, evt)
		if evt.Type == socketmode.EventTypeInteractive {
			seen <- evt.Data.(slack.InteractionCallback)
		}
	})
	ctx := testCtx(t)
	v, err := b.api.OpenViewContext(ctx, fake.NewTriggerID("U1"), selectModal())
	if err != nil {
		t.Fatal(err)
	}

	rejected := []struct {
		name, user, block, action, value, want string
	}{
		{"not an option", "U1", "pick", "color", "blue", `value "blue" is not one of the options`},
		{"unknown action", "U1", "", "nope", "red", `no element with action_id "nope"`},
		{"wrong block", "U1", "who", "color", "red", `no element with action_id "color" (block_id "who")`},
		{"input without dispatch_action", "U1", "size", "size_sel", "s", "without dispatch_action"},
		{"a button", "U1", "pick", "go", "x", "not a static_select or users_select"},
		{"users_select with a non-user", "U1", "who", "user", "C1", "not a user id"},
		{"another user's modal", "U2", "pick", "color", "red", "belongs to U1"},
	}
	for _, tt := range rejected {
		if _, err := fake.SelectOption(ctx, tt.user, v.ID, tt.block, tt.action, tt.value); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
	if _, err := fake.SelectOption(ctx, "U1", "V404", "pick", "color", "red"); err == nil {
		t.Error("selecting in a missing view succeeded")
	}
	select {
	case cb := <-seen:
		t.Fatalf("a rejected selection reached the bot: %+v", cb)
	default:
	}

	// A static_select in an actions block.
	if _, err := fake.SelectOption(ctx, "U1", v.ID, "pick", "color", "green"); err != nil {
		t.Fatal(err)
	}
	cb := <-seen
	if cb.Type != slack.InteractionTypeBlockActions || cb.User.ID != "U1" || cb.TriggerID == "" ||
		cb.Container.Type != "view" || cb.Container.ViewID != v.ID || cb.View.ID != v.ID || cb.View.CallbackID != "pair_form" ||
		len(cb.ActionCallback.BlockActions) != 1 {
		t.Fatalf("callback = %+v", cb)
	}
	a := cb.ActionCallback.BlockActions[0]
	if a.Type != "static_select" || a.ActionID != "color" || a.BlockID != "pick" || a.ActionTs == "" ||
		a.SelectedOption.Value != "green" || a.SelectedOption.Text == nil || a.SelectedOption.Text.Text != "Green" {
		t.Errorf("action = %+v", a)
	}
	if st := cb.View.State.Values["pick"]["color"]; st.Type != "static_select" || st.SelectedOption.Value != "green" {
		t.Errorf("view state = %+v", cb.View.State.Values)
	}

	// A users_select in an input block with dispatch_action, found without
	// its block_id; the earlier selection stays in the state.
	if _, err := fake.SelectOption(ctx, "U1", v.ID, "", "user", "U7"); err != nil {
		t.Fatal(err)
	}
	cb = <-seen
	if a := cb.ActionCallback.BlockActions[0]; a.Type != "users_select" || a.SelectedUser != "U7" || a.BlockID != "who" {
		t.Errorf("users_select action = %+v", a)
	}
	if vals := cb.View.State.Values; vals["who"]["user"].SelectedUser != "U7" || vals["pick"]["color"].SelectedOption.Value != "green" {
		t.Errorf("view state = %+v", vals)
	}

	// The submission carries the selections.
	if _, err := fake.SubmitView(ctx, "U1", v.ID, map[string]map[string]slack.BlockAction{"note": {"note_input": {Value: "n"}}}); err != nil {
		t.Fatal(err)
	}
	cb = <-seen
	vals := cb.View.State.Values
	if cb.Type != slack.InteractionTypeViewSubmission || vals["who"]["user"].SelectedUser != "U7" ||
		vals["pick"]["color"].SelectedOption.Value != "green" || vals["note"]["note_input"].Value != "n" {
		t.Errorf("submission state = %+v", vals)
	}
	if _, ok := vals["size"]["size_sel"]; !ok {
		t.Errorf("optional select left out of the submission state: %+v", vals)
	}
	if p := fake.Problems(); len(p) != 0 {
		t.Errorf("problems: %q", p)
	}
}

// TestClickButtonTriggers checks that a click in the Home tab and in a
// message carries what slack-go parses, and a trigger_id views.open takes.
func TestClickButtonTriggers(t *testing.T) {
	fake := newFake(t, Options{})
	fake.AddChannel("C1", "general", true)
	type result struct {
		cb    slack.InteractionCallback
		modal *slack.ViewResponse
		err   error
	}
	results := make(chan result, 1)
	b := startBot(t, fake, func(b *bot, evt socketmode.Event) {
		ackAll(b, evt)
		if evt.Type != socketmode.EventTypeInteractive {
			return
		}
		cb := evt.Data.(slack.InteractionCallback)
		v, err := b.api.OpenView(cb.TriggerID, testModal("From click"))
		results <- result{cb, v, err}
	})
	ctx := testCtx(t)
	btn := func() slack.Block {
		return slack.NewActionBlock("acts", slack.NewButtonBlockElement("start", "go", plain("Start")))
	}
	home, err := b.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U1", View: slack.HomeTabViewRequest{
		Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: []slack.Block{btn()}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	_, ts, err := b.api.PostMessageContext(ctx, "C1", slack.MsgOptionText("Start?", false), slack.MsgOptionBlocks(btn()))
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name      string
		container Container
		check     func(cb slack.InteractionCallback) bool
	}{
		{"home tab", Container{ViewID: home.ID}, func(cb slack.InteractionCallback) bool {
			return cb.Container.Type == "view" && cb.Container.ViewID == home.ID &&
				cb.View.ID == home.ID && cb.View.Type == slack.VTHomeTab && len(cb.View.Blocks.BlockSet) == 1 &&
				cb.Message.Timestamp == "" && cb.Channel.ID == ""
		}},
		{"message", Container{ChannelID: "C1", MessageTS: ts}, func(cb slack.InteractionCallback) bool {
			return cb.Container.Type == "message" && cb.Container.ChannelID == "C1" && cb.Container.MessageTs == ts &&
				cb.Channel.ID == "C1" && cb.Channel.Name == "general" && cb.Message.Timestamp == ts && cb.Message.Text == "Start?" &&
				len(cb.Message.Blocks.BlockSet) == 1 && cb.View.ID == "" && cb.ResponseURL != ""
		}},
	}
	triggers := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := fake.ClickButton(ctx, "U1", tt.container, "start", "", ""); err != nil {
				t.Fatal(err)
			}
			r := <-results
			if r.cb.Type != slack.InteractionTypeBlockActions || r.cb.User.ID != "U1" || len(r.cb.ActionCallback.BlockActions) != 1 ||
				r.cb.ActionCallback.BlockActions[0].Value != "go" || !tt.check(r.cb) {
				t.Errorf("callback = %+v", r.cb)
			}
			if r.cb.TriggerID == "" || triggers[r.cb.TriggerID] {
				t.Errorf("trigger_id %q is not fresh", r.cb.TriggerID)
			}
			triggers[r.cb.TriggerID] = true
			if r.err != nil || r.modal == nil || r.modal.Title.Text != "From click" {
				t.Errorf("views.open with the click's trigger_id: %+v, %v", r.modal, r.err)
			}
		})
	}
	if n := len(fake.Views("U1")); n != 2 {
		t.Errorf("modals opened = %d, want 2", n)
	}
	if p := fake.Problems(); len(p) != 0 {
		t.Errorf("problems: %q", p)
	}
}
