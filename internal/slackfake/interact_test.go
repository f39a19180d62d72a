package slackfake

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// submissionBot answers view submissions according to the submitted note.
func submissionBot(t *testing.T, fake *Server, seen chan<- slack.InteractionCallback) *bot {
	return startBot(t, fake, func(b *bot, evt socketmode.Event) {
		if evt.Type != socketmode.EventTypeInteractive {
			ackAll(b, evt)
			return
		}
		cb := evt.Data.(slack.InteractionCallback)
		seen <- cb
		note := cb.View.State.Values["note"]["note_input"].Value
		var resp any
		switch note {
		case "errors":
			resp = slack.NewErrorsViewSubmissionResponse(map[string]string{"note": "Too short"})
		case "bad-errors":
			resp = slack.NewErrorsViewSubmissionResponse(map[string]string{"intro": "Not an input"})
		case "update":
			resp = slack.NewUpdateViewSubmissionResponse(ptr(testModal("Step 2")))
		case "update-invalid":
			resp = slack.NewUpdateViewSubmissionResponse(ptr(testModal(strings.Repeat("x", 30))))
		case "push":
			resp = slack.NewPushViewSubmissionResponse(ptr(testModal("Pushed")))
		case "clear":
			resp = slack.NewClearViewSubmissionResponse()
		}
		if resp == nil {
			_ = b.sm.Ack(*evt.Request)
		} else {
			_ = b.sm.Ack(*evt.Request, resp)
		}
	})
}

func ptr[T any](v T) *T { return &v }

func TestSubmitView(t *testing.T) {
	tests := []struct {
		note        string
		wantOpen    bool
		wantErrors  map[string]string
		wantTitle   string
		wantViews   int
		wantProblem string
	}{
		{note: "errors", wantOpen: true, wantErrors: map[string]string{"note": "Too short"}, wantTitle: "Form", wantViews: 1},
		{note: "bad-errors", wantOpen: true, wantErrors: map[string]string{"intro": "Not an input"}, wantTitle: "Form", wantViews: 1,
			wantProblem: `errors key "intro" is not the block_id of an input block`},
		{note: "update", wantOpen: true, wantTitle: "Step 2", wantViews: 1},
		{note: "update-invalid", wantOpen: true, wantTitle: "Form", wantViews: 1, wantProblem: "30 characters, max 24"},
		{note: "push", wantOpen: true, wantTitle: "Form", wantViews: 2},
		{note: "clear", wantOpen: false, wantTitle: "Form", wantViews: 1},
		{note: "fine", wantOpen: false, wantTitle: "Form", wantViews: 1},
	}
	for _, tt := range tests {
		t.Run(tt.note, func(t *testing.T) {
			fake := newFake(t, Options{})
			fake.AddUser(User{ID: "U1", Name: "alice"})
			seen := make(chan slack.InteractionCallback, 1)
			b := submissionBot(t, fake, seen)
			ctx := testCtx(t)
			v, err := b.api.OpenViewContext(ctx, fake.NewTriggerID("U1"), testModal("Form"))
			if err != nil {
				t.Fatal(err)
			}
			ack, err := fake.SubmitView(ctx, "U1", v.ID, map[string]map[string]slack.BlockAction{
				"note": {"note_input": {Value: tt.note}},
			})
			if err != nil {
				t.Fatal(err)
			}
			cb := <-seen
			if cb.Type != slack.InteractionTypeViewSubmission || cb.User.ID != "U1" || cb.User.Name != "alice" ||
				cb.Team.ID != DefaultTeamID || cb.APIAppID != AppID || cb.TriggerID == "" ||
				cb.View.ID != v.ID || cb.View.CallbackID != "pair_form" || cb.View.PrivateMetadata != "meta-1" ||
				cb.View.Hash != v.Hash || len(cb.View.Blocks.BlockSet) != 3 {
				t.Errorf("callback = %+v", cb)
			}
			if got := cb.View.State.Values["note"]["note_input"]; got.Value != tt.note || got.Type != "plain_text_input" {
				t.Errorf("note state = %+v", got)
			}
			if got, ok := cb.View.State.Values["extra"]["extra_input"]; !ok || got.Value != "" {
				t.Errorf("optional input state = %+v (present %v), want present and empty", got, ok)
			}
			if tt.note == "errors" && !strings.Contains(string(ack.Payload), `"response_action":"errors"`) {
				t.Errorf("ack payload = %s", ack.Payload)
			}
			got, _ := fake.View(v.ID)
			if got.Open != tt.wantOpen || got.Title != tt.wantTitle || !equalMaps(got.Errors, tt.wantErrors) {
				t.Errorf("view = open %v title %q errors %v; want %v %q %v", got.Open, got.Title, got.Errors, tt.wantOpen, tt.wantTitle, tt.wantErrors)
			}
			views := fake.Views("U1")
			if len(views) != tt.wantViews {
				t.Errorf("views = %d, want %d", len(views), tt.wantViews)
			}
			if tt.note == "push" && (views[1].PreviousViewID != v.ID || views[1].RootViewID != v.ID || views[1].Title != "Pushed" || !views[1].Open) {
				t.Errorf("pushed view = %+v", views[1])
			}
			if tt.note == "push" {
				if _, err := fake.SubmitView(ctx, "U1", v.ID, nil); err == nil || !strings.Contains(err.Error(), "covered by pushed modal") {
					t.Errorf("submitting the covered modal: %v", err)
				}
			}
			p := fake.Problems()
			if tt.wantProblem == "" && len(p) != 0 || tt.wantProblem != "" && !hasProblem(p, tt.wantProblem) {
				t.Errorf("problems = %q, want %q", p, tt.wantProblem)
			}
		})
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestSubmitViewRejectsImpossibleSubmissions(t *testing.T) {
	fake := newFake(t, Options{})
	seen := make(chan slack.InteractionCallback, 1)
	b := submissionBot(t, fake, seen)
	ctx := testCtx(t)
	v, err := b.api.OpenViewContext(ctx, fake.NewTriggerID("U1"), testModal("Form"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		user   string
		values map[string]map[string]slack.BlockAction
		want   string
	}{
		{"required left empty", "U1", nil, `required input block "note"`},
		{"unknown block", "U1", map[string]map[string]slack.BlockAction{"nope": {"x": {Value: "v"}}}, `no input block "nope"`},
		{"wrong action", "U1", map[string]map[string]slack.BlockAction{"note": {"x": {Value: "v"}}}, `holds action_id "note_input"`},
		{"other user", "U2", nil, "belongs to U1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := fake.SubmitView(ctx, tt.user, v.ID, tt.values); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
	if len(seen) != 0 {
		t.Error("an impossible submission reached the bot")
	}
}

func TestClickButton(t *testing.T) {
	fake := newFake(t, Options{})
	clicks := make(chan slack.InteractionCallback, 1)
	b := startBot(t, fake, func(b *bot, evt socketmode.Event) {
		ackAll(b, evt)
		if evt.Type == socketmode.EventTypeInteractive {
			clicks <- evt.Data.(slack.InteractionCallback)
		}
	})
	ctx := testCtx(t)
	btn := slack.NewButtonBlockElement("approve", "yes-42", plain("Approve"))
	ch, ts, err := b.api.PostMessageContext(ctx, "U1", slack.MsgOptionText("Approve?", false),
		slack.MsgOptionBlocks(slack.NewActionBlock("decide", btn)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fake.ClickButton(ctx, "U1", Container{ChannelID: ch, MessageTS: ts}, "approve", "", ""); err != nil {
		t.Fatal(err)
	}
	cb := <-clicks
	if cb.Type != slack.InteractionTypeBlockActions || len(cb.ActionCallback.BlockActions) != 1 || cb.TriggerID == "" ||
		cb.Container.Type != "message" || cb.Container.ChannelID != ch || cb.Container.MessageTs != ts ||
		cb.Channel.ID != ch || cb.Message.Timestamp != ts || len(cb.Message.Blocks.BlockSet) != 1 || cb.ResponseURL == "" {
		t.Fatalf("callback = %+v", cb)
	}
	if a := cb.ActionCallback.BlockActions[0]; a.ActionID != "approve" || a.BlockID != "decide" || a.Value != "yes-42" || a.Type != "button" || a.ActionTs == "" {
		t.Errorf("action = %+v", a)
	}

	// The bot replaces the message through the response_url.
	if _, _, err := b.api.PostMessageContext(ctx, "", slack.MsgOptionReplaceOriginal(cb.ResponseURL), slack.MsgOptionText("Approved", false)); err != nil {
		t.Fatal(err)
	}
	if dms := fake.DMs("U1"); len(dms) != 1 || dms[0].Text != "Approved" || !dms[0].Updated {
		t.Errorf("DMs after replace_original = %+v", dms)
	}

	// A button in a modal.
	modal := testModal("Form")
	modal.Blocks.BlockSet = append(modal.Blocks.BlockSet, slack.NewActionBlock("more", slack.NewButtonBlockElement("add", "", plain("Add"))))
	v, err := b.api.OpenViewContext(ctx, fake.NewTriggerID("U1"), modal)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fake.ClickButton(ctx, "U1", Container{ViewID: v.ID}, "add", "more", "x"); err != nil {
		t.Fatal(err)
	}
	cb = <-clicks
	if cb.Container.Type != "view" || cb.Container.ViewID != v.ID || cb.View.ID != v.ID || cb.View.CallbackID != "pair_form" ||
		cb.ActionCallback.BlockActions[0].Value != "x" {
		t.Errorf("view click = %+v", cb)
	}
	if _, err := fake.ClickButton(ctx, "U1", Container{ViewID: v.ID}, "missing", "", ""); err == nil {
		t.Error("clicking a missing button succeeded")
	}
	if p := fake.Problems(); len(p) != 0 {
		t.Errorf("problems: %q", p)
	}
}

func TestSlashCommandInChannelAndResponseURL(t *testing.T) {
	fake := newFake(t, Options{})
	startBot(t, fake, func(b *bot, evt socketmode.Event) {
		if evt.Type != socketmode.EventTypeSlashCommand {
			return
		}
		cmd := evt.Data.(slack.SlashCommand)
		switch cmd.Text {
		case "public":
			_ = b.sm.Ack(*evt.Request, map[string]any{"response_type": "in_channel", "text": "for all"})
		case "later":
			_ = b.sm.Ack(*evt.Request)
			go func() {
				_, _, _ = b.api.PostMessage("", slack.MsgOptionResponseURL(cmd.ResponseURL, slack.ResponseTypeEphemeral), slack.MsgOptionText("done", false))
			}()
		case "too many":
			blocks := make([]map[string]any, 51)
			for i := range blocks {
				blocks[i] = map[string]any{"type": "divider"}
			}
			_ = b.sm.Ack(*evt.Request, map[string]any{"blocks": blocks})
		}
	})
	ctx := testCtx(t)
	if _, err := fake.SlashCommand(ctx, "U1", "C1", "/pair", "public"); err != nil {
		t.Fatal(err)
	}
	if m := fake.Messages("C1"); len(m) != 1 || m[0].Ephemeral || m[0].Text != "for all" {
		t.Errorf("in_channel reply = %+v", m)
	}
	if _, err := fake.SlashCommand(ctx, "U1", "C1", "/pair", "later"); err != nil {
		t.Fatal(err)
	}
	if err := fake.WaitFor(ctx, func() bool { return len(fake.Ephemerals("U1")) == 1 }); err != nil {
		t.Fatal(err)
	}
	if e := fake.Ephemerals("U1"); e[0].Text != "done" || e[0].Channel != "C1" {
		t.Errorf("response_url reply = %+v", e)
	}
	ack, err := fake.SlashCommand(ctx, "U1", "C1", "/pair", "too many")
	if err != nil {
		t.Fatal(err)
	}
	var p map[string]any
	if json.Unmarshal(ack.Payload, &p) != nil || !hasProblem(fake.Problems(), "51 blocks, max 50") {
		t.Errorf("problems = %q", fake.Problems())
	}
}

// What the user did not touch is submitted with its initial value, as
// Slack's client does: a pre-filled text, a preselected radio button.
func TestSubmitViewSendsInitialValues(t *testing.T) {
	fake := newFake(t, Options{})
	fake.AddUser(User{ID: "U1", Name: "alice"})
	seen := make(chan slack.InteractionCallback, 1)
	b := submissionBot(t, fake, seen)
	ctx := testCtx(t)
	keep := slack.NewOptionBlockObject("keep", slack.NewTextBlockObject(slack.PlainTextType, "Keep", false, false), nil)
	send := slack.NewOptionBlockObject("send", slack.NewTextBlockObject(slack.PlainTextType, "Send", false, false), nil)
	radio := slack.NewRadioButtonsBlockElement("choice_input", keep, send)
	radio.InitialOption = keep
	view := testModal("Form")
	view.Blocks.BlockSet = append(view.Blocks.BlockSet,
		slack.NewInputBlock("prefilled", slack.NewTextBlockObject(slack.PlainTextType, "Prefilled", false, false), nil,
			slack.NewPlainTextInputBlockElement(nil, "prefilled_input").WithInitialValue("as it was")),
		slack.NewInputBlock("choice", slack.NewTextBlockObject(slack.PlainTextType, "Choice", false, false), nil, radio))
	v, err := b.api.OpenViewContext(ctx, fake.NewTriggerID("U1"), view)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fake.SubmitView(ctx, "U1", v.ID, map[string]map[string]slack.BlockAction{"note": {"note_input": {Value: "fine"}}}); err != nil {
		t.Fatalf("submitting with required inputs left at their initial values: %v", err)
	}
	cb := <-seen
	if got := cb.View.State.Values["prefilled"]["prefilled_input"].Value; got != "as it was" {
		t.Errorf("untouched text input submitted %q, want its initial value", got)
	}
	if got := cb.View.State.Values["choice"]["choice_input"].SelectedOption.Value; got != "keep" {
		t.Errorf("untouched radio buttons submitted %q, want the initial option", got)
	}
	// A value the user typed wins over the initial one.
	v2, _ := b.api.OpenViewContext(ctx, fake.NewTriggerID("U1"), view)
	if _, err := fake.SubmitView(ctx, "U1", v2.ID, map[string]map[string]slack.BlockAction{
		"note": {"note_input": {Value: "fine"}}, "choice": {"choice_input": {SelectedOption: *send}}}); err != nil {
		t.Fatal(err)
	}
	if got := (<-seen).View.State.Values["choice"]["choice_input"].SelectedOption.Value; got != "send" {
		t.Errorf("changed radio buttons submitted %q, want send", got)
	}
}
