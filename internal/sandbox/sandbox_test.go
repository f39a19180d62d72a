package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/slackfake"
	"github.com/partnerbot/partnerbot/internal/slackui"
	"github.com/slack-go/slack"
	"go.yaml.in/yaml/v3"
)

func TestClock(t *testing.T) {
	wall := time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)
	c := NewClock(func() time.Time { return wall })
	if got := c.Now(); !got.Equal(wall) {
		t.Fatalf("Now() = %v, want the real time %v", got, wall)
	}
	before := wall
	wall = wall.Add(time.Minute)
	c.Advance(24 * time.Hour)
	c.Advance(-time.Hour) // never back
	wall = wall.Add(time.Minute)
	tests := []struct {
		name string
		got  time.Time
		want time.Time
	}{
		{"Now after a jump", c.Now(), wall.Add(24 * time.Hour)},
		{"At before the jump", c.At(before), before},
		{"At after the jump", c.At(wall), wall.Add(24 * time.Hour)},
	}
	for _, tt := range tests {
		if !tt.got.Equal(tt.want) {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if got := c.Offset(); got != 24*time.Hour {
		t.Errorf("Offset() = %s, want 24h", got)
	}
}

func TestBlockActions(t *testing.T) {
	view := []byte(`{"blocks":[
		{"type":"input","block_id":"q1","element":{"type":"radio_buttons","action_id":"answer","options":[
			{"text":{"type":"plain_text","text":"Yes"},"value":"yes"},{"text":{"type":"plain_text","text":"No"},"value":"no"}]}},
		{"type":"input","block_id":"share","optional":true,"element":{"type":"checkboxes","action_id":"share","options":[
			{"text":{"type":"plain_text","text":"Share"},"value":"share"}]}},
		{"type":"input","block_id":"day","element":{"type":"static_select","action_id":"day","options":[
			{"text":{"type":"plain_text","text":"Friday"},"value":"FRI"}]}},
		{"type":"input","block_id":"time","element":{"type":"timepicker","action_id":"time"}},
		{"type":"input","block_id":"partner","element":{"type":"users_select","action_id":"partner"}},
		{"type":"input","block_id":"note","element":{"type":"plain_text_input","action_id":"note","multiline":true}},
		{"type":"input","block_id":"target","optional":true,"element":{"type":"datepicker","action_id":"target"}},
		{"type":"input","block_id":"goal","element":{"type":"static_select","action_id":"goal","option_groups":[
			{"label":{"type":"plain_text","text":"Now"},"options":[{"text":{"type":"plain_text","text":"Run the offsite"},"value":"g1"}]}]}}
	]}`)
	got, err := blockActions(view, map[string]map[string]inputValue{
		"q1":      {"answer": {Value: "yes"}},
		"share":   {"share": {Values: []string{"share"}}},
		"day":     {"day": {Value: "FRI"}},
		"time":    {"time": {Value: "08:30"}},
		"partner": {"partner": {Value: "UEVE"}},
		"note":    {"note": {Value: "Not this quarter"}},
		"target":  {"target": {Value: "2026-12-31"}},
		"goal":    {"goal": {Value: "g1"}},
		"nope":    {"x": {Value: "ignored: no such block"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name, got, want string
	}{
		{"radio option", got["q1"]["answer"].SelectedOption.Value, "yes"},
		{"radio option text", got["q1"]["answer"].SelectedOption.Text.Text, "Yes"},
		{"checkbox", got["share"]["share"].SelectedOptions[0].Value, "share"},
		{"select", got["day"]["day"].SelectedOption.Text.Text, "Friday"},
		{"time", got["time"]["time"].SelectedTime, "08:30"},
		{"user", got["partner"]["partner"].SelectedUser, "UEVE"},
		{"text", got["note"]["note"].Value, "Not this quarter"},
		{"type", string(got["time"]["time"].Type), "timepicker"},
		{"date", got["target"]["target"].SelectedDate, "2026-12-31"},
		{"date type", string(got["target"]["target"].Type), "datepicker"},
		{"option in a group", got["goal"]["goal"].SelectedOption.Text.Text, "Run the offsite"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if _, ok := got["nope"]; ok {
		t.Error("a block the view does not have was sent")
	}
	for _, bad := range []map[string]map[string]inputValue{
		{"q1": {"answer": {Value: "maybe"}}},
		{"goal": {"goal": {Value: "g2"}}},
		{"target": {"target": {Value: "31/12/2026"}}},
	} {
		if _, err := blockActions(view, bad); err == nil {
			t.Errorf("blockActions(%v) took a value Slack's client cannot send", bad)
		}
	}
	empty, err := blockActions(view, map[string]map[string]inputValue{"target": {"target": {}}})
	if err != nil || empty["target"]["target"].SelectedDate != "" {
		t.Errorf("an empty date = %+v, %v; want sent empty", empty["target"], err)
	}
}

// start runs a sandbox on a free port until the test ends.
func start(t *testing.T) *Sandbox {
	t.Helper()
	sb, err := New(Options{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sb.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("the sandbox did not stop within 10 s")
		}
	})
	wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
	defer wcancel()
	if err := sb.WaitReady(wctx); err != nil {
		t.Fatalf("the bot never connected: %v", err)
	}
	return sb
}

func post(t *testing.T, sb *Sandbox, path string, body any) (int, map[string]any) {
	t.Helper()
	raw, _ := json.Marshal(body)
	resp, err := http.Post(sb.URL()+"api/"+path, "application/json", bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func getState(t *testing.T, sb *Sandbox, user, since string) state {
	t.Helper()
	resp, err := http.Get(sb.URL() + "api/state?user=" + user + "&since=" + since)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st state
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

// The page's API drives the real bot: a command pairs, the jump fires the
// check-ins, and a poll with an unchanged version carries no workspace.
func TestAPI(t *testing.T) {
	sb := start(t)
	fake := sb.Slack()

	resp, err := http.Get(sb.URL())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("GET / = %d %s, want the page", resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	if code, out := post(t, sb, "jump", map[string]string{}); code != http.StatusOK || out["jumped"] != false {
		t.Errorf("jump with nothing scheduled = %d %v, want 200 and no jump", code, out)
	}
	if code, out := post(t, sb, "command", map[string]string{"user": AssistantID, "text": "/giphy cats"}); code != http.StatusBadRequest || !strings.Contains(out["error"].(string), slackui.Command) {
		t.Errorf("another command = %d %v, want 400 naming %s", code, out, slackui.Command)
	}
	if code, _ := post(t, sb, "command", map[string]string{"user": "UNOBODY", "text": "/partner-assess"}); code != http.StatusBadRequest {
		t.Errorf("a command as nobody = %d, want 400", code)
	}
	req, _ := http.NewRequest(http.MethodPost, sb.URL()+"api/jump", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "text/plain")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("a text/plain POST = %v %v, want 415", resp.StatusCode, err)
	}

	st := getState(t, sb, AssistantID, "")
	if st.Workspace == nil || st.Workspace.Conversations[0].ID != slackfake.DMChannelID(AssistantID) {
		t.Fatalf("first state = %+v, want the workspace with the DM first", st)
	}
	if st.MinInterval != "every minute" {
		t.Errorf("state says the shortest schedule is %q, want every minute", st.MinInterval)
	}
	if again := getState(t, sb, AssistantID, st.Version); again.Workspace != nil {
		t.Error("an unchanged workspace was sent again")
	}

	if code, out := post(t, sb, "command", map[string]string{"user": AssistantID, "text": "/partner-assess pair <@" + ExecutiveID + "|eve>"}); code != http.StatusOK {
		t.Fatalf("pair = %d %v", code, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := fake.WaitFor(ctx, func() bool { return len(fake.DMs(ExecutiveID)) > 0 }); err != nil {
		t.Fatalf("Eve never got the invitation: %v", err)
	}
	// Eve accepts the invitation with its button.
	card := fake.DMs(ExecutiveID)[0]
	blockID := "invitation:" + AssistantID + "-" + ExecutiveID
	if _, err := fake.ClickButton(ctx, ExecutiveID, slackfake.Container{ChannelID: card.Channel, MessageTS: card.TS}, slackui.ActionInviteAccept, blockID, ""); err != nil {
		t.Fatalf("Eve accepts: %v", err)
	}
	if err := fake.WaitFor(ctx, func() bool {
		dms := fake.DMs(ExecutiveID)
		return strings.Contains(string(dms[len(dms)-1].Blocks), slackui.ActionPairLeave)
	}); err != nil {
		t.Fatalf("Eve never heard of the pairing: %v", err)
	}
	st2 := getState(t, sb, ExecutiveID, st.Version)
	if st2.Workspace == nil || st2.Next == nil {
		t.Fatalf("after pairing: %+v, want a new workspace and a next check-in", st2)
	}

	before := sb.Clock().Now()
	code, out := post(t, sb, "jump", map[string]string{})
	if code != http.StatusOK || out["jumped"] != true {
		t.Fatalf("jump = %d %v", code, out)
	}
	// Ada (Paris) is due before Eve (New York).
	if out["sent"] != "Ada's check-in" {
		t.Errorf("the jump says it sent %q, want Ada's check-in", out["sent"])
	}
	if !sb.Clock().Now().After(st2.Next.Add(-time.Second)) || !sb.Clock().Now().After(before) {
		t.Errorf("after the jump it is %v, want past the check-in due at %v", sb.Clock().Now(), st2.Next)
	}
	got := 0
	for _, u := range []string{AssistantID, ExecutiveID} {
		for _, m := range fake.DMs(u) {
			if strings.Contains(string(m.Blocks), slackui.ActionCheckinAssess) {
				got++
			}
		}
	}
	if got == 0 {
		t.Error("the jump sent no check-in")
	}

	// Ada writes in #general, and logs it as a win with the message
	// shortcut: the bot opens the win form, linking to the message.
	if code, out := post(t, sb, "say", map[string]string{"user": AssistantID, "channel": GeneralID, "text": "The venue is booked"}); code != http.StatusOK {
		t.Fatalf("say = %d %v", code, out)
	}
	msgs := fake.Messages(GeneralID)
	if len(msgs) != 1 || msgs[0].User != AssistantID || msgs[0].Text != "The venue is booked" {
		t.Fatalf("#general after Ada wrote in it: %+v", msgs)
	}
	for _, bad := range []map[string]string{
		{"user": ThirdID, "channel": slackfake.DMChannelID(AssistantID), "text": "Hi"}, // not Tom's conversation
		{"user": AssistantID, "channel": GeneralID, "text": "  "},
	} {
		if code, _ := post(t, sb, "say", bad); code != http.StatusBadRequest {
			t.Errorf("say %v = %d, want 400", bad, code)
		}
	}
	for _, bad := range []map[string]string{
		{"user": AssistantID, "channel": GeneralID, "ts": msgs[0].TS, "callback_id": "delete_everything"},
		{"user": AssistantID, "channel": GeneralID, "ts": "1.000001", "callback_id": slackui.CallbackLogWin},
		{"user": ThirdID, "channel": slackfake.DMChannelID(AssistantID), "ts": fake.DMs(AssistantID)[0].TS, "callback_id": slackui.CallbackLogWin}, // not Tom's
	} {
		if code, _ := post(t, sb, "shortcut", bad); code != http.StatusBadRequest {
			t.Errorf("shortcut %v = %d, want 400", bad, code)
		}
	}
	if code, out := post(t, sb, "shortcut", map[string]string{"user": AssistantID, "channel": GeneralID, "ts": msgs[0].TS, "callback_id": slackui.CallbackLogWin}); code != http.StatusOK {
		t.Fatalf("Log as a win = %d %v", code, out)
	}
	var win slackfake.View
	if err := fake.WaitFor(ctx, func() bool { win, _ = fake.LastModal(AssistantID); return win.CallbackID == slackui.CallbackWin }); err != nil {
		t.Fatalf("no win form after Log as a win: %v", err)
	}
	if want := "/archives/" + GeneralID + "/p" + strings.Replace(msgs[0].TS, ".", "", 1); !strings.Contains(string(win.JSON), want) || strings.Contains(string(win.JSON), "The venue is booked") {
		t.Errorf("the win form does not link to the message (%s) or copies its text: %s", want, win.JSON)
	}
	if p := fake.Problems(); len(p) > 0 {
		t.Errorf("problems: %v", p)
	}
}

// The page offers the message shortcuts the app's manifest declares.
func TestShortcutsMatchTheManifest(t *testing.T) {
	raw, err := os.ReadFile("../../deploy/slack-app-manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	type declared struct {
		Name, Type string
		CallbackID string `yaml:"callback_id"`
	}
	var m struct {
		Features struct{ Shortcuts []declared } `yaml:"features"`
	}
	if err := yaml.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	var want []shortcut
	for _, sc := range m.Features.Shortcuts {
		if sc.Type == "message" {
			want = append(want, shortcut{CallbackID: sc.CallbackID, Name: sc.Name})
		}
	}
	if !slices.Equal(shortcuts, want) || len(want) == 0 {
		t.Errorf("the sandbox offers %v, the manifest declares %v", shortcuts, want)
	}
}

// bare is a sandbox of the fake Slack alone, with the seeded people, for
// what reads the fake without the bot.
func bare(t *testing.T) (*Sandbox, *slack.Client) {
	t.Helper()
	fake, err := slackfake.New(slackfake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fake.Close() })
	seed(fake)
	return &Sandbox{fake: fake, clock: NewClock(nil)}, slack.New(fake.BotToken(), slack.OptionAPIURL(fake.APIURL()))
}

// The jump says what went out, in the check-in DMs' own words.
func TestDescribeSent(t *testing.T) {
	sb, api := bare(t)
	ctx := context.Background()
	p := partnership.Pair{ID: partnership.NewPairID(AssistantID, ExecutiveID), Assistant: AssistantID, Executive: ExecutiveID}
	var now []partnership.Goal // the goals in Now the check-ins list
	checkin := func(user string, kind slackui.CheckinKind) {
		t.Helper()
		at := time.Now()
		text, blocks := slackui.CheckinMessage(slackui.Checkin{Pair: p, To: user, Kind: kind, Round: at, At: at, Reflection: "Trust",
			Content: partnership.CheckinContent{Now: now}})
		if _, _, err := api.PostMessageContext(ctx, user, slack.MsgOptionText(text, false), slack.MsgOptionBlocks(blocks...)); err != nil {
			t.Fatal(err)
		}
	}
	group, _, _, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{AssistantID, ExecutiveID}})
	if err != nil {
		t.Fatal(err)
	}
	checkin(ThirdID, slackui.CheckinWeekly) // before: not news
	before := sb.sentSoFar()
	if got, want := sb.describeSent(before), "nothing new went out (a pair may be paused, skipping this week or away)"; got != want {
		t.Errorf("nothing sent: %q, want %q", got, want)
	}
	// Both list the pair's two goals in Now; what Tom writes is not the
	// bot's.
	now = []partnership.Goal{
		{ID: "g1", PairID: p.ID, Title: "Run the offsite", Stage: partnership.StageNow, Owner: AssistantID},
		{ID: "g2", PairID: p.ID, Title: "Own the travel budget", Stage: partnership.StageNow, Owner: AssistantID},
	}
	checkin(AssistantID, slackui.CheckinWeekly)
	checkin(ExecutiveID, slackui.CheckinWeekly)
	sb.fake.PostAsUser(ThirdID, slackfake.DMChannelID(ThirdID), "Hello")
	if got, want := sb.describeSent(before), "Ada's and Eve's check-ins (2 goals in Now to review)"; got != want {
		t.Errorf("two check-ins: %q, want %q", got, want)
	}
	before = sb.sentSoFar()
	now = now[1:]
	checkin(ExecutiveID, slackui.CheckinReminder)
	now = nil
	checkin(AssistantID, slackui.CheckinSnoozed)
	text, blocks := slackui.SummaryMessage(partnership.NewSummary(p, nil, nil, time.Now()))
	if _, _, err := api.PostMessageContext(ctx, group.ID, slack.MsgOptionText(text, false), slack.MsgOptionBlocks(blocks...)); err != nil {
		t.Fatal(err)
	}
	if _, err := api.UploadFileContext(ctx, slack.UploadFileParameters{Content: "png", FileSize: 3, Filename: "a.png", Channel: group.ID}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := api.PostMessageContext(ctx, GeneralID, slack.MsgOptionText("Team scorecard", false)); err != nil {
		t.Fatal(err)
	}
	if got, want := sb.describeSent(before), "Ada's snoozed check-in, Eve's reminder (1 goal in Now to review), a message in #general, the summary in Ada and Eve's group DM"; got != want {
		t.Errorf("the rest: %q, want %q", got, want)
	}
}

// The page draws an image it is served as one; other files stay downloads.
func TestFileServedAsImage(t *testing.T) {
	sb, api := bare(t)
	ctx := context.Background()
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 4, 3))); err != nil {
		t.Fatal(err)
	}
	upload := func(name string, content []byte) string {
		t.Helper()
		f, err := api.UploadFileContext(ctx, slack.UploadFileParameters{
			Reader: bytes.NewReader(content), FileSize: len(content), Filename: name, Channels: []string{AssistantID}, AltTxt: "words",
		})
		if err != nil {
			t.Fatal(err)
		}
		return f.ID
	}
	pic, page := upload("trend.png", img.Bytes()), upload("page.html", []byte("<script>alert(1)</script>"))
	srv := httptest.NewServer(sb.routes())
	defer srv.Close()
	get := func(user, id string) *http.Response {
		t.Helper()
		resp, err := http.Get(srv.URL + "/api/file?user=" + user + "&id=" + id)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	r := get(AssistantID, pic)
	body, _ := io.ReadAll(r.Body)
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "inline") || !bytes.Equal(body, img.Bytes()) {
		t.Errorf("the picture: %d %v", r.StatusCode, r.Header)
	}
	if r := get(AssistantID, page); r.Header.Get("Content-Type") != "application/octet-stream" || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("an HTML file: %v, want a download", r.Header)
	}
	if r := get(ExecutiveID, pic); r.StatusCode != http.StatusNotFound {
		t.Errorf("Ada's picture for Eve: %d, want 404", r.StatusCode)
	}
	files := sb.workspace(AssistantID).Conversations[0].Messages[0].Files
	if len(files) != 1 || files[0].MimeType != "image/png" || files[0].Alt != "words" {
		t.Errorf("the picture in the page's state: %+v", files)
	}
}

func TestEvery(t *testing.T) {
	for d, want := range map[time.Duration]string{
		time.Minute: "every minute", 2 * time.Minute: "every 2 minutes", 24 * time.Hour: "every day",
		90 * time.Minute: "every 90 minutes", 30 * time.Second: "every 30 seconds", 1500 * time.Millisecond: "every 1.5s",
	} {
		if got := every(d); got != want {
			t.Errorf("every(%s) = %q, want %q", d, got, want)
		}
	}
}
