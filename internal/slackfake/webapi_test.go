package slackfake

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

func slackErr(err error) string {
	var e slack.SlackErrorResponse
	if errors.As(err, &e) {
		return e.Err
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

func TestAuth(t *testing.T) {
	fake := newFake(t, Options{})
	ctx := testCtx(t)

	res, err := newAPI(fake, fake.BotToken(), fake.AppToken()).AuthTestContext(ctx)
	if err != nil || res.UserID != DefaultBotUserID || res.TeamID != DefaultTeamID || res.BotID != BotID {
		t.Errorf("auth.test = %+v, %v", res, err)
	}
	if _, err := newAPI(fake, "xoxb-wrong", fake.AppToken()).AuthTestContext(ctx); slackErr(err) != "invalid_auth" {
		t.Errorf("auth.test with a wrong token: %v, want invalid_auth", err)
	}
	// The bot token does not open Socket Mode connections.
	if _, _, err := newAPI(fake, fake.BotToken(), fake.BotToken()).StartSocketModeContext(ctx); slackErr(err) != "invalid_auth" {
		t.Errorf("apps.connections.open with the bot token: %v, want invalid_auth", err)
	}
	// slack-go's Socket Mode client gives up on invalid_auth.
	sm := socketmode.New(newAPI(fake, fake.BotToken(), "xapp-wrong"))
	go func() {
		for {
			select {
			case <-sm.Events:
			case <-ctx.Done():
				return
			}
		}
	}()
	if err := sm.RunContext(ctx); slackErr(err) != "invalid_auth" {
		t.Errorf("socketmode with a wrong app token: %v, want invalid_auth", err)
	}
	for _, c := range fake.Calls("") {
		for k, v := range c.Params {
			if strings.Contains(v, "xoxb") || strings.Contains(v, "xapp") || k == "token" {
				t.Errorf("call %s stores a token: %s=%s", c.Method, k, v)
			}
		}
	}
	if st, body := postRaw(t, fake, "nope.nothing", map[string]any{}); st != http.StatusNotFound || body["ok"] != false || body["error"] != "unknown_method" {
		t.Errorf("unknown method: %d %v", st, body)
	}
}

func TestFailNext(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		slackError string
		retryAfter time.Duration
		check      func(error) bool
	}{
		{"429 with Retry-After", 429, "", 2 * time.Second, func(err error) bool {
			var rl *slack.RateLimitedError
			return errors.As(err, &rl) && rl.RetryAfter == 2*time.Second
		}},
		{"429 without Retry-After", 429, "", 0, func(err error) bool {
			var sc slack.StatusCodeError
			return errors.As(err, &sc) && sc.Code == 429
		}},
		{"500", 500, "", 0, func(err error) bool {
			var sc slack.StatusCodeError
			return errors.As(err, &sc) && sc.Code == 500
		}},
		{"ok false", 200, "rate_limited", 0, func(err error) bool { return slackErr(err) == "rate_limited" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFake(t, Options{})
			fake.AddUser(User{ID: "U1", Name: "alice"})
			api := newAPI(fake, fake.BotToken(), fake.AppToken())
			ctx := testCtx(t)
			fake.FailNext("users.info", 2, tt.status, tt.slackError, tt.retryAfter)
			for i := range 2 {
				if _, err := api.GetUserInfoContext(ctx, "U1"); !tt.check(err) {
					t.Errorf("call %d: err = %#v", i, err)
				}
			}
			if _, err := api.GetUserInfoContext(ctx, "U1"); err != nil {
				t.Errorf("third call: %v", err)
			}
			calls := fake.Calls("users.info")
			if len(calls) != 3 || calls[0].Status != tt.status || calls[0].Error == "" || calls[2].Status != 200 || calls[2].Params["user"] != "U1" {
				t.Errorf("calls = %+v", calls)
			}
		})
	}
}

func TestUsersInfo(t *testing.T) {
	fake := newFake(t, Options{})
	fake.AddUser(User{ID: "U1", Name: "alice", RealName: "Alice A", TZ: "Europe/Paris", TZLabel: "Central European Time", TZOffset: 3600})
	fake.AddUser(User{ID: "U2", Name: "robot", IsBot: true, Deleted: true})
	fake.AddUser(User{ID: "U3", Name: "gone", RealName: "Gone G", TZ: "UTC", Deleted: true})
	fake.AddUser(User{ID: "U4", Name: "helper", IsBot: true})
	api := newAPI(fake, fake.BotToken(), fake.AppToken())
	ctx := testCtx(t)
	u, err := api.GetUserInfoContext(ctx, "U1")
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != "U1" || u.Name != "alice" || u.RealName != "Alice A" || u.Profile.RealName != "Alice A" ||
		u.TZ != "Europe/Paris" || u.TZLabel != "Central European Time" || u.TZOffset != 3600 || u.IsBot || u.Deleted || u.TeamID != DefaultTeamID {
		t.Errorf("user = %+v", u)
	}
	tests := []struct {
		id             string
		deleted, isBot bool
		tz             string
	}{
		{id: "U2", deleted: true, isBot: true},
		{id: "U3", deleted: true, tz: "UTC"},
		{id: "U4", isBot: true},
	}
	for _, tt := range tests {
		u, err := api.GetUserInfoContext(ctx, tt.id)
		if err != nil {
			t.Errorf("%s: %v", tt.id, err)
			continue
		}
		if u.ID != tt.id || u.Deleted != tt.deleted || u.IsBot != tt.isBot || u.TZ != tt.tz || (u.Profile.BotID != "") != tt.isBot {
			t.Errorf("%s = deleted %v bot %v tz %q bot_id %q; want %v %v %q", tt.id, u.Deleted, u.IsBot, u.TZ, u.Profile.BotID, tt.deleted, tt.isBot, tt.tz)
		}
	}
	if _, err := api.GetUserInfoContext(ctx, "U404"); slackErr(err) != "user_not_found" {
		t.Errorf("unknown user: %v", err)
	}
}

func TestConversationsOpen(t *testing.T) {
	fake := newFake(t, Options{})
	api := newAPI(fake, fake.BotToken(), fake.AppToken())
	ctx := testCtx(t)
	g, _, already, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{"U2", "U1"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(g.ID, "G") || !g.IsMpIM || already || len(g.Members) != 3 {
		t.Errorf("group DM = %+v (already open %v)", g, already)
	}
	if _, ok := fake.GroupDM("U1", "U3"); ok {
		t.Error("GroupDM of a set never opened")
	}
	for _, users := range [][]string{{"U1", "U2"}, {"U2", "U1"}, {"U2", "U1", "U2", DefaultBotUserID}} {
		g2, _, already, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: users})
		if err != nil || g2.ID != g.ID || !already {
			t.Errorf("reopened group DM %v = %+v, %v (already %v), want %s", users, g2, err, already, g.ID)
		}
		if id, ok := fake.GroupDM(users...); !ok || id != g.ID {
			t.Errorf("GroupDM(%v) = %q, %v; want %s", users, id, ok, g.ID)
		}
	}
	g3, _, _, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{"U3", "U1", "U2"}})
	if err != nil || g3.ID == g.ID || !g3.IsMpIM {
		t.Errorf("group DM of three = %+v, %v (must differ from %s)", g3, err, g.ID)
	}
	if id, ok := fake.GroupDM("U2", "U3", "U1"); !ok || id != g3.ID {
		t.Errorf("GroupDM(U2,U3,U1) = %q, %v; want %s", id, ok, g3.ID)
	}
	d, _, _, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{"U1"}})
	if err != nil || d.ID != DMChannelID("U1") || !d.IsIM || d.User != "U1" {
		t.Errorf("DM = %+v, %v", d, err)
	}
	if _, _, _, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{}); slackErr(err) != "users_list_not_supplied" {
		t.Errorf("no users: %v", err)
	}
	// The group DM accepts messages.
	if ch, _, err := api.PostMessageContext(ctx, g.ID, slack.MsgOptionText("hi both", false)); err != nil || ch != g.ID {
		t.Errorf("post in group DM: %s, %v", ch, err)
	}
	if _, _, err := api.PostMessageContext(ctx, g3.ID, slack.MsgOptionText("hi all three", false)); err != nil {
		t.Errorf("post in group DM of three: %v", err)
	}
	if m := fake.Messages(g.ID); len(m) != 1 || m[0].Text != "hi both" {
		t.Errorf("group DM messages = %+v", m)
	}
	if m := fake.Messages(g3.ID); len(m) != 1 || m[0].Text != "hi all three" {
		t.Errorf("group DM of three messages = %+v", m)
	}
	if id, ok := fake.GroupDM("U1"); !ok || id != d.ID {
		t.Errorf("GroupDM(U1) = %q, %v; want the DM %s", id, ok, d.ID)
	}
}

func TestMessages(t *testing.T) {
	fake := newFake(t, Options{})
	fake.AddChannel("C1", "general", true)
	fake.AddChannel("C2", "random", false)
	api := newAPI(fake, fake.BotToken(), fake.AppToken())
	ctx := testCtx(t)

	blocks := slack.MsgOptionBlocks(slack.NewSectionBlock(plain("hello"), nil, nil))
	ch, ts, err := api.PostMessageContext(ctx, "U1", slack.MsgOptionText("hi", false), blocks)
	if err != nil {
		t.Fatal(err)
	}
	if ch != DMChannelID("U1") || !strings.HasPrefix(ch, "D") || ts == "" {
		t.Errorf("DM posted to %q ts %q", ch, ts)
	}
	dms := fake.DMs("U1")
	if len(dms) != 1 || dms[0].Text != "hi" || dms[0].TS != ts || dms[0].User != DefaultBotUserID || !strings.Contains(string(dms[0].Blocks), "hello") {
		t.Fatalf("DMs = %+v", dms)
	}
	if _, _, _, err := api.UpdateMessageContext(ctx, ch, ts, slack.MsgOptionText("hi again", false)); err != nil {
		t.Fatal(err)
	}
	if dms := fake.DMs("U1"); dms[0].Text != "hi again" || !dms[0].Updated || dms[0].Blocks == nil {
		t.Errorf("updated DM = %+v", dms[0])
	}
	if _, _, _, err := api.UpdateMessageContext(ctx, "U1", ts, slack.MsgOptionText("x", false)); slackErr(err) != "channel_not_found" {
		t.Errorf("chat.update with a user id: %v", err)
	}
	if _, _, _, err := api.UpdateMessageContext(ctx, ch, "1.000001", slack.MsgOptionText("x", false)); slackErr(err) != "message_not_found" {
		t.Errorf("chat.update of a missing message: %v", err)
	}

	tests := []struct {
		name    string
		post    func() error
		wantErr string
	}{
		{"member channel", func() error {
			_, _, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("x", false))
			return err
		}, ""},
		{"not a member", func() error {
			_, _, err := api.PostMessageContext(ctx, "C2", slack.MsgOptionText("x", false))
			return err
		}, "not_in_channel"},
		{"unknown channel", func() error {
			_, _, err := api.PostMessageContext(ctx, "C404", slack.MsgOptionText("x", false))
			return err
		}, "not_in_channel"},
		{"ephemeral in member channel", func() error {
			_, err := api.PostEphemeralContext(ctx, "C1", "U1", slack.MsgOptionText("psst", false))
			return err
		}, ""},
		{"ephemeral in DM", func() error {
			_, err := api.PostEphemeralContext(ctx, DMChannelID("U1"), "U1", slack.MsgOptionText("psst", false))
			return err
		}, ""},
		{"ephemeral not a member", func() error {
			_, err := api.PostEphemeralContext(ctx, "C2", "U1", slack.MsgOptionText("psst", false))
			return err
		}, "not_in_channel"},
		{"no content", func() error {
			_, _, err := api.PostMessageContext(ctx, "C1")
			return err
		}, "no_text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.post(); slackErr(err) != tt.wantErr {
				t.Errorf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
	if eph := fake.Ephemerals("U1"); len(eph) != 2 || eph[0].Channel != "C1" || eph[1].Channel != DMChannelID("U1") {
		t.Errorf("ephemerals = %+v", eph)
	}
	if dms := fake.DMs("U1"); len(dms) != 2 {
		t.Errorf("DM channel = %+v, want the message and the ephemeral", dms)
	}
}

func TestViewsOpenTrigger(t *testing.T) {
	clock := &fakeClock{t: time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)}
	fake := newFake(t, Options{Now: clock.Now})
	triggers := make(chan string, 1)
	b := startBot(t, fake, func(b *bot, evt socketmode.Event) {
		if evt.Type == socketmode.EventTypeSlashCommand {
			_ = b.sm.Ack(*evt.Request)
			triggers <- evt.Data.(slack.SlashCommand).TriggerID
		}
	})
	ctx := testCtx(t)
	if _, err := fake.SlashCommand(ctx, "U1", "C1", "/pair", ""); err != nil {
		t.Fatal(err)
	}
	trig := <-triggers
	v, err := b.api.OpenViewContext(ctx, trig, testModal("Pair up"))
	if err != nil {
		t.Fatal(err)
	}
	got, ok := fake.View(v.ID)
	if !ok || !got.Open || got.UserID != "U1" || got.Title != "Pair up" || got.CallbackID != "pair_form" ||
		got.PrivateMetadata != "meta-1" || got.Type != "modal" || got.Hash != v.Hash || v.ID == "" {
		t.Errorf("view = %+v (answer %+v)", got, v.View)
	}
	if len(v.Blocks.BlockSet) != 3 {
		t.Errorf("answered view has %d blocks", len(v.Blocks.BlockSet))
	}
	if views := fake.Views("U1"); len(views) != 1 || views[0].ID != v.ID {
		t.Errorf("Views(U1) = %+v", views)
	}
	if last, ok := fake.LastModal("U1"); !ok || last.ID != v.ID {
		t.Errorf("LastModal(U1) = %+v, %v, want %s", last, ok, v.ID)
	}
	if _, ok := fake.LastModal("U2"); ok {
		t.Error("LastModal(U2) found a modal; U2 opened none")
	}
	if p := fake.Problems(); len(p) != 0 {
		t.Fatalf("problems after a good views.open: %q", p)
	}

	if _, err := b.api.OpenViewContext(ctx, trig, testModal("Again")); slackErr(err) != "invalid_trigger_id" {
		t.Errorf("second use of a trigger: %v, want invalid_trigger_id", err)
	}
	late := fake.NewTriggerID("U1")
	clock.Advance(DefaultTriggerTTL + time.Millisecond)
	if _, err := b.api.OpenViewContext(ctx, late, testModal("Late")); slackErr(err) != "expired_trigger_id" {
		t.Errorf("expired trigger: %v, want expired_trigger_id", err)
	}
	if p := fake.Problems(); !hasProblem(p, "used twice") || !hasProblem(p, "expired") || len(p) != 2 {
		t.Errorf("problems = %q", p)
	}

	// views.update with the hash, then with a stale hash.
	upd := testModal("Updated")
	if _, err := b.api.UpdateViewContext(ctx, upd, "", v.Hash, v.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := fake.View(v.ID); got.Title != "Updated" {
		t.Errorf("updated title = %q", got.Title)
	}
	if _, err := b.api.UpdateViewContext(ctx, upd, "", v.Hash, v.ID); slackErr(err) != "hash_conflict" {
		t.Errorf("stale hash: %v", err)
	}
	if _, err := b.api.UpdateViewContext(ctx, upd, "", "", "V404"); slackErr(err) != "not_found" {
		t.Errorf("unknown view: %v", err)
	}
}

func TestValidation(t *testing.T) {
	modal := func(mut func(v map[string]any)) map[string]any {
		v := map[string]any{
			"type":   "modal",
			"title":  map[string]any{"type": "plain_text", "text": "Title"},
			"submit": map[string]any{"type": "plain_text", "text": "Save"},
			"blocks": []any{
				map[string]any{"type": "input", "block_id": "in", "label": map[string]any{"type": "plain_text", "text": "Label"},
					"element": map[string]any{"type": "plain_text_input", "action_id": "a"}},
			},
		}
		mut(v)
		return v
	}
	section := func(id string) map[string]any {
		return map[string]any{"type": "section", "block_id": id, "text": map[string]any{"type": "mrkdwn", "text": "x"}}
	}
	sections := func(n int) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = map[string]any{"type": "divider"}
		}
		return out
	}
	options := func(n int) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = map[string]any{"text": map[string]any{"type": "plain_text", "text": "o"}, "value": strings.Repeat("v", i+1)}
		}
		return out
	}
	input := func(v map[string]any) map[string]any { return v["blocks"].([]any)[0].(map[string]any) }
	tests := []struct {
		name   string
		method string
		body   map[string]any
		want   string // problem substring
		code   string
	}{
		{"valid modal", "views.open", map[string]any{"view": modal(func(map[string]any) {})}, "", ""},
		{"title 25", "views.open", map[string]any{"view": modal(func(v map[string]any) {
			v["title"] = map[string]any{"type": "plain_text", "text": strings.Repeat("t", 25)}
		})}, "view.title.text: 25 characters, max 24", "invalid_arguments"},
		{"submit 25", "views.open", map[string]any{"view": modal(func(v map[string]any) {
			v["submit"] = map[string]any{"type": "plain_text", "text": strings.Repeat("s", 25)}
		})}, "view.submit.text: 25 characters", "invalid_arguments"},
		{"101 blocks", "views.open", map[string]any{"view": modal(func(v map[string]any) { v["blocks"] = sections(101) })}, "101 blocks, max 100", "invalid_arguments"},
		{"duplicate block_id", "views.open", map[string]any{"view": modal(func(v map[string]any) {
			v["blocks"] = append(v["blocks"].([]any), section("s"), section("s"))
		})}, `duplicate block_id "s"`, "invalid_arguments"},
		{"callback_id 256", "views.open", map[string]any{"view": modal(func(v map[string]any) { v["callback_id"] = strings.Repeat("c", 256) })}, "view.callback_id: 256 characters", "invalid_arguments"},
		{"private_metadata 3001", "views.open", map[string]any{"view": modal(func(v map[string]any) { v["private_metadata"] = strings.Repeat("m", 3001) })}, "view.private_metadata: 3001 characters", "invalid_arguments"},
		{"label 2001", "views.open", map[string]any{"view": modal(func(v map[string]any) {
			input(v)["label"] = map[string]any{"type": "plain_text", "text": strings.Repeat("l", 2001)}
		})}, "label.text: 2001 characters", "invalid_arguments"},
		{"max_length 3001", "views.open", map[string]any{"view": modal(func(v map[string]any) {
			input(v)["element"].(map[string]any)["max_length"] = 3001
		})}, "max_length: 3001", "invalid_arguments"},
		{"11 radio buttons", "views.open", map[string]any{"view": modal(func(v map[string]any) {
			input(v)["element"] = map[string]any{"type": "radio_buttons", "action_id": "r", "options": options(11)}
		})}, "11 options, max 10", "invalid_arguments"},
		{"input without submit", "views.open", map[string]any{"view": modal(func(v map[string]any) { delete(v, "submit") })}, "view.submit: required", "invalid_arguments"},
		{"home 101 blocks", "views.publish", map[string]any{"user_id": "U1", "view": map[string]any{"type": "home", "blocks": sections(101)}}, "101 blocks", "invalid_arguments"},
		{"home as modal type", "views.publish", map[string]any{"user_id": "U1", "view": map[string]any{"type": "modal", "blocks": sections(1)}}, `view.type: must be "home"`, "invalid_arguments"},
		{"message 51 blocks", "chat.postMessage", map[string]any{"channel": "U1", "blocks": sections(51)}, "51 blocks, max 50", "invalid_blocks"},
		{"message without content", "chat.postMessage", map[string]any{"channel": "U1"}, "needs text or blocks", "no_text"},
		{"section text 3001", "chat.postMessage", map[string]any{"channel": "U1", "blocks": []any{
			map[string]any{"type": "section", "text": map[string]any{"type": "mrkdwn", "text": strings.Repeat("x", 3001)}},
		}}, "3001 characters, max 3000", "invalid_blocks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFake(t, Options{})
			if tt.method == "views.open" {
				tt.body["trigger_id"] = fake.NewTriggerID("U1")
			}
			_, ans := postRaw(t, fake, tt.method, tt.body)
			p := fake.Problems()
			if tt.want == "" {
				if ans["ok"] != true || len(p) != 0 {
					t.Errorf("answer %v, problems %q; want ok", ans, p)
				}
				return
			}
			if ans["ok"] != false || ans["error"] != tt.code {
				t.Errorf("answer = %v, want error %q", ans, tt.code)
			}
			if !hasProblem(p, tt.want) {
				t.Errorf("problems = %q, want one containing %q", p, tt.want)
			}
		})
	}
}

// The real client sending a 25-character title: rejected, and recorded.
func TestTitleTooLongViaSlackGo(t *testing.T) {
	fake := newFake(t, Options{})
	api := newAPI(fake, fake.BotToken(), fake.AppToken())
	_, err := api.OpenViewContext(testCtx(t), fake.NewTriggerID("U1"), testModal("Twenty-five characters!!!"))
	if slackErr(err) != "invalid_arguments" {
		t.Errorf("err = %v, want invalid_arguments", err)
	}
	if p := fake.Problems(); len(p) != 1 || !strings.Contains(p[0], "25 characters, max 24") {
		t.Errorf("problems = %q", p)
	}
	if c := fake.Calls("views.open"); len(c) != 1 || c[0].Error != "invalid_arguments" || !json.Valid(c[0].Body) || c[0].Params["trigger_id"] == "" {
		t.Errorf("calls = %+v", c)
	}
}

// slack-go posts most methods as forms (token as a field, blocks and views
// as JSON strings); the fake accepts both encodings for every method.
func TestFormEncoding(t *testing.T) {
	fake := newFake(t, Options{})
	view := `{"type":"modal","title":{"type":"plain_text","text":"Form"},"blocks":[{"type":"section","text":{"type":"mrkdwn","text":"hi"}}]}`
	tests := []struct {
		name      string
		method    string
		form      url.Values
		wantError string
	}{
		{"views.open as form", "views.open", url.Values{"token": {fake.BotToken()}, "trigger_id": {fake.NewTriggerID("U1")}, "view": {view}}, ""},
		{"token missing", "views.open", url.Values{"trigger_id": {fake.NewTriggerID("U1")}, "view": {view}}, "invalid_auth"},
		{"view not JSON", "views.open", url.Values{"token": {fake.BotToken()}, "trigger_id": {fake.NewTriggerID("U1")}, "view": {"{"}}, "invalid_arguments"},
		{"blocks as a JSON string", "chat.postMessage", url.Values{"token": {fake.BotToken()}, "channel": {"U1"}, "blocks": {`[{"type":"divider"}]`}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.PostForm(fake.APIURL()+tt.method, tt.form)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var ans struct {
				OK    bool   `json:"ok"`
				Error string `json:"error"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&ans); err != nil {
				t.Fatal(err)
			}
			if ans.OK != (tt.wantError == "") || ans.Error != tt.wantError {
				t.Errorf("answer = %+v, want error %q", ans, tt.wantError)
			}
		})
	}
	if v := fake.Views("U1"); len(v) != 1 || v[0].Title != "Form" {
		t.Errorf("views = %+v", v)
	}
	if d := fake.DMs("U1"); len(d) != 1 || !strings.Contains(string(d[0].Blocks), "divider") {
		t.Errorf("DMs = %+v", d)
	}
}

// Slack keeps the first 40,000 characters of a longer text and answers ok;
// the fake does the same and records a problem.
func TestLongTextIsTruncated(t *testing.T) {
	fake := newFake(t, Options{})
	api := newAPI(fake, fake.BotToken(), fake.AppToken())
	ctx := testCtx(t)
	exact := strings.Repeat("ж", MaxMessageText)
	ch, ts, err := api.PostMessageContext(ctx, "U1", slack.MsgOptionText(exact, false))
	if err != nil || len(fake.Problems()) != 0 {
		t.Fatalf("a text of exactly the limit: %v, problems %q", err, fake.Problems())
	}
	if _, _, err := api.PostMessageContext(ctx, "U1", slack.MsgOptionText(exact+"🙂🙂", false)); err != nil {
		t.Fatalf("a longer text: %v, want ok (Slack truncates)", err)
	}
	if dms := fake.DMs("U1"); len(dms) != 2 || dms[1].Text != exact {
		t.Errorf("stored text is %d characters, want the first %d", len([]rune(dms[len(dms)-1].Text)), MaxMessageText)
	}
	if _, _, _, err := api.UpdateMessageContext(ctx, ch, ts, slack.MsgOptionText(exact+"x", false)); err != nil {
		t.Fatal(err)
	}
	if got := fake.Problems(); len(got) != 2 || !strings.Contains(got[0], "40002 characters, over 40000") || !strings.Contains(got[1], "chat.update") {
		t.Errorf("problems = %q, want one per text over the limit", got)
	}
}
