package slackfake

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/slack-go/slack"
)

func TestUploadFile(t *testing.T) {
	tests := []struct {
		name   string
		params slack.UploadFileParameters
		// wantErr is the Slack error ("" for success).
		wantErr     string
		wantChannel string // where the file and its message land ("" = private)
		wantContent string
		wantTitle   string
		wantProblem string
	}{
		{name: "channel with comment", params: slack.UploadFileParameters{
			Filename: "report.txt", Content: "hello file", FileSize: 10, Title: "Report", Channel: "C1", InitialComment: "here it is",
		}, wantChannel: "C1", wantContent: "hello file", wantTitle: "Report"},
		{name: "reader to a thread, default title", params: slack.UploadFileParameters{
			Filename: "pic.png", Reader: bytes.NewReader([]byte{0x89, 'P', 'N', 'G', 0}), FileSize: 5, Channel: "C1", ThreadTimestamp: "1700000000.000100",
		}, wantChannel: "C1", wantContent: "\x89PNG\x00", wantTitle: "pic.png"},
		{name: "user in channels is the DM", params: slack.UploadFileParameters{
			Filename: "a.csv", Content: "a,b", FileSize: 3, Channels: []string{"U1"},
		}, wantChannel: DMChannelID("U1"), wantContent: "a,b", wantTitle: "a.csv"},
		{name: "DM channel id", params: slack.UploadFileParameters{
			Filename: "a.csv", Content: "a,b", FileSize: 3, Channel: DMChannelID("U1"),
		}, wantChannel: DMChannelID("U1"), wantContent: "a,b", wantTitle: "a.csv"},
		{name: "user id as channel_id", params: slack.UploadFileParameters{
			Filename: "a.csv", Content: "a,b", FileSize: 3, Channel: "U1",
		}, wantErr: "invalid_arguments", wantProblem: `channel_id "U1" is a user id`},
		{name: "bot not in channel", params: slack.UploadFileParameters{
			Filename: "a.csv", Content: "a,b", FileSize: 3, Channel: "C2",
		}, wantErr: "not_in_channel"},
		{name: "no channel stays private", params: slack.UploadFileParameters{
			Filename: "a.csv", Content: "a,b", FileSize: 3,
		}, wantContent: "a,b", wantTitle: "a.csv"},
		{name: "nothing uploaded", params: slack.UploadFileParameters{
			Filename: "empty.txt", FileSize: 4, Channel: "C1",
		}, wantChannel: "C1", wantTitle: "empty.txt", wantProblem: "nothing was uploaded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFake(t, Options{})
			fake.AddChannel("C1", "general", true)
			fake.AddChannel("C2", "random", false)
			api := slack.New(fake.BotToken(), slack.OptionAPIURL(fake.APIURL()))
			sum, err := api.UploadFileContext(testCtx(t), tt.params)
			if got := slackErr(err); got != tt.wantErr {
				t.Fatalf("UploadFileContext error = %v, want %q", err, tt.wantErr)
			}
			wantUploads := 1
			if tt.params.Content == "" && tt.params.Reader == nil && tt.params.File == "" {
				wantUploads = 0 // slack-go then skips the upload
			}
			if up := fake.Calls("upload"); len(up) != wantUploads || wantUploads == 1 && up[0].Status != http.StatusOK {
				t.Errorf("upload calls = %+v", up)
			}
			p := fake.Problems()
			if tt.wantProblem == "" && len(p) != 0 || tt.wantProblem != "" && !hasProblem(p, tt.wantProblem) {
				t.Errorf("problems = %q, want %q", p, tt.wantProblem)
			}
			if tt.wantErr != "" {
				if all := fake.Files(""); len(all) != 0 {
					t.Errorf("files after a failed upload = %+v", all)
				}
				return
			}
			if sum.ID == "" || sum.Title != tt.wantTitle {
				t.Errorf("summary = %+v", sum)
			}
			want := File{ID: sum.ID, Name: tt.params.Filename, Title: tt.wantTitle, Channel: tt.wantChannel, Content: []byte(tt.wantContent), Completed: true}
			all := fake.Files("")
			if len(all) != 1 || !equalFile(all[0], want) {
				t.Fatalf("Files(\"\") = %+v, want %+v", all, want)
			}
			if tt.wantChannel == "" {
				return
			}
			if in := fake.Files(tt.wantChannel); len(in) != 1 || !equalFile(in[0], want) {
				t.Errorf("Files(%q) = %+v", tt.wantChannel, in)
			}
			msgs := fake.Messages(tt.wantChannel)
			if len(msgs) != 1 || msgs[0].Text != tt.params.InitialComment || msgs[0].ThreadTS != tt.params.ThreadTimestamp ||
				len(msgs[0].Files) != 1 || msgs[0].Files[0] != sum.ID || msgs[0].User != fake.BotUserID() {
				t.Errorf("messages in %s = %+v", tt.wantChannel, msgs)
			}
		})
	}
}

func equalFile(a, b File) bool {
	return a.ID == b.ID && a.Name == b.Name && a.Title == b.Title && a.Channel == b.Channel &&
		bytes.Equal(a.Content, b.Content) && a.Completed == b.Completed
}

func TestUploadSteps(t *testing.T) {
	fake := newFake(t, Options{})
	fake.AddChannel("C1", "general", true)
	api := slack.New(fake.BotToken(), slack.OptionAPIURL(fake.APIURL()))
	ctx := testCtx(t)

	u, err := api.GetUploadURLExternalContext(ctx, slack.GetUploadURLExternalParameters{FileName: "x.txt", FileSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.TrimSuffix(fake.APIURL(), "api/") + "upload/" + u.FileID; u.UploadURL != want || !strings.HasPrefix(u.FileID, "F") {
		t.Errorf("upload URL = %q (file %q), want %q", u.UploadURL, u.FileID, want)
	}
	if f, ok := fake.FileByID(u.FileID); !ok || f.Completed || f.Name != "x.txt" {
		t.Errorf("file before upload = %+v, %v", f, ok)
	}
	if _, err := postRaw(t, fake, "files.getUploadURLExternal", map[string]any{"filename": "x.txt"}); err["error"] != "invalid_arguments" {
		t.Errorf("no length: %v", err)
	}

	// A raw (non-multipart) body is accepted too.
	resp, err := http.Post(u.UploadURL, "application/octet-stream", strings.NewReader("raw"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("raw upload: status %d", resp.StatusCode)
	}
	if f, _ := fake.FileByID(u.FileID); string(f.Content) != "raw" || f.Completed {
		t.Errorf("file after raw upload = %+v", f)
	}
	if got := fake.Files(""); len(got) != 0 {
		t.Errorf("Files lists an uncompleted upload: %+v", got)
	}

	// Uploading to an unknown file id fails with a status slack-go reports.
	err = api.UploadToURL(ctx, slack.UploadToURLParameters{UploadURL: strings.Replace(u.UploadURL, u.FileID, "F404", 1), Content: "x", Filename: "x.txt"})
	var sce slack.StatusCodeError
	if !errors.As(err, &sce) || sce.Code != http.StatusNotFound {
		t.Errorf("upload to unknown file: %v", err)
	}

	complete := func(id string) error {
		_, err := api.CompleteUploadExternalContext(ctx, slack.CompleteUploadExternalParameters{
			Files: []slack.FileSummary{{ID: id, Title: "X"}}, Channel: "C1",
		})
		return err
	}
	if err := complete("F404"); slackErr(err) != "file_not_found" {
		t.Errorf("complete unknown file: %v", err)
	}
	if err := complete(u.FileID); err != nil {
		t.Fatal(err)
	}
	if err := complete(u.FileID); slackErr(err) != "file_not_found" {
		t.Errorf("completing twice: %v", err)
	}
	if got := fake.Files("C1"); len(got) != 1 || got[0].Title != "X" || string(got[0].Content) != "raw" {
		t.Errorf("Files(C1) = %+v", got)
	}
	// The upload URL is dead once the upload is complete.
	if err := api.UploadToURL(ctx, slack.UploadToURLParameters{UploadURL: u.UploadURL, Content: "late", Filename: "x.txt"}); !errors.As(err, &sce) {
		t.Errorf("upload after completion: %v", err)
	}

	// Blocks are validated like a message's (Slack ignores them with an
	// initial_comment).
	u2, err := api.GetUploadURLExternalContext(ctx, slack.GetUploadURLExternalParameters{FileName: "y.txt", FileSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	tooMany := make([]slack.Block, 51)
	for i := range tooMany {
		tooMany[i] = slack.NewDividerBlock()
	}
	_, err = api.CompleteUploadExternalContext(ctx, slack.CompleteUploadExternalParameters{
		Files: []slack.FileSummary{{ID: u2.FileID}}, Channel: "C1", Blocks: slack.Blocks{BlockSet: tooMany},
	})
	if slackErr(err) != "invalid_blocks" || !hasProblem(fake.Problems(), "51 blocks, max 50") {
		t.Errorf("51 blocks: %v; problems %q", err, fake.Problems())
	}
	for _, c := range fake.Calls("") {
		if strings.Contains(string(c.Body), fake.BotToken()) || strings.Contains(strings.Join(mapValues(c.Params), " "), fake.BotToken()) {
			t.Errorf("call %s recorded the token", c.Method)
		}
	}
}

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// The pair summary's picture: a PNG shared in a group DM, with its alt text
// and a comment that notifications show.
func TestUploadPNGToGroupDM(t *testing.T) {
	fake := newFake(t, Options{})
	fake.AddUser(User{ID: "U1", Name: "ada"})
	fake.AddUser(User{ID: "U2", Name: "eve"})
	api := slack.New(fake.BotToken(), slack.OptionAPIURL(fake.APIURL()))
	ctx := testCtx(t)
	ch, _, _, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{"U2", "U1"}})
	if err != nil {
		t.Fatal(err)
	}
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 3, 2))); err != nil {
		t.Fatal(err)
	}
	const words = "Trend over 1 week: assistant 6 → 8, executive 7 → 9."
	sum, err := api.UploadFileContext(ctx, slack.UploadFileParameters{
		Reader: bytes.NewReader(img.Bytes()), FileSize: img.Len(), Filename: "trend.png", Title: "Partnership trend",
		Channel: ch.ID, InitialComment: words, AltTxt: words,
	})
	if err != nil {
		t.Fatalf("upload to the group DM %s: %v", ch.ID, err)
	}
	files := fake.Files(ch.ID)
	if len(files) != 1 {
		t.Fatalf("Files(%s) = %+v, want the picture", ch.ID, files)
	}
	f := files[0]
	if f.ID != sum.ID || f.Name != "trend.png" || f.Title != "Partnership trend" || !f.Completed ||
		f.MimeType != "image/png" || f.AltText != words || !bytes.Equal(f.Content, img.Bytes()) {
		t.Errorf("file = %+v", f)
	}
	if cfg, err := png.DecodeConfig(bytes.NewReader(f.Content)); err != nil || cfg.Width != 3 || cfg.Height != 2 {
		t.Errorf("stored content decodes as %+v, %v", cfg, err)
	}
	msgs := fake.Messages(ch.ID)
	if len(msgs) != 1 || msgs[0].Text != words || len(msgs[0].Files) != 1 || msgs[0].Files[0] != f.ID {
		t.Errorf("messages in the group DM = %+v", msgs)
	}
	if g, ok := fake.GroupDM("U1", "U2"); !ok || g != ch.ID {
		t.Errorf("GroupDM = %q, %v, want %q", g, ok, ch.ID)
	}
	// The file object as Slack shows it in the message.
	fake.mu.Lock()
	js := fake.fileJSON(fake.files[f.ID])
	fake.mu.Unlock()
	if js["mimetype"] != "image/png" || js["filetype"] != "png" || js["alt_txt"] != words ||
		!slices.Equal(js["groups"].([]string), []string{ch.ID}) {
		t.Errorf("file object = %v", js)
	}
	if p := fake.Problems(); len(p) != 0 {
		t.Errorf("problems = %q", p)
	}
}
