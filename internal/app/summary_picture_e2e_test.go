package app

import (
	"bytes"
	"context"
	"fmt"
	"image"
	_ "image/png" // for image.Decode
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/bot"
	"github.com/partnerbot/partnerbot/internal/chart"
	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/sender"
	"github.com/partnerbot/partnerbot/internal/slackfake"
	"github.com/slack-go/slack"
)

// summaries are the summary messages in a group DM: its messages without
// a file.
func summaries(fake *slackfake.Server, group string) []slackfake.Message {
	var out []slackfake.Message
	for _, m := range fake.Messages(group) {
		if len(m.Files) == 0 {
			out = append(out, m)
		}
	}
	return out
}

// waitSummaries waits until the pair's group DM holds n summaries and
// pictures files; it returns the group DM.
func (h *harness) waitSummaries(n, pictures int) string {
	h.t.Helper()
	var group string
	err := h.fake.WaitFor(h.ctx(), func() bool {
		g, ok := h.fake.GroupDM(assistant, executive)
		group = g
		return ok && len(summaries(h.fake, g)) == n && len(h.fake.Files(g)) == pictures &&
			len(h.fake.Messages(g)) == n+pictures
	})
	if err != nil {
		h.t.Fatalf("group DM: %d summaries and %d pictures, want %d and %d: %v",
			len(summaries(h.fake, group)), len(h.fake.Files(group)), n, pictures, err)
	}
	return group
}

// describe lists messages by their text and files, for a failure.
func describe(msgs []slackfake.Message) string {
	var lines []string
	for _, m := range msgs {
		lines = append(lines, fmt.Sprintf("%q (%d files)", m.Text, len(m.Files)))
	}
	return "[" + strings.Join(lines, ", ") + "]"
}

var pictureName = regexp.MustCompile(`^partnership-trend-\d{4}-\d\d-\d\d\.png$`)

// checkPicture checks that the message m of the group DM shares one PNG
// of the chart's size, described by words (its text and its alt text).
func checkPicture(t *testing.T, fake *slackfake.Server, m slackfake.Message, words string) {
	t.Helper()
	if len(m.Files) != 1 {
		t.Fatalf("picture message shares %d files, want 1: %+v", len(m.Files), m)
	}
	f, ok := fake.FileByID(m.Files[0])
	if !ok || !f.Completed || f.Channel != m.Channel {
		t.Fatalf("file %s = %+v, %v", m.Files[0], f, ok)
	}
	img, format, err := image.Decode(bytes.NewReader(f.Content))
	if err != nil || format != "png" {
		t.Fatalf("the picture does not decode as PNG: %q, %v", format, err)
	}
	if got := img.Bounds().Size(); got != chart.Size() {
		t.Errorf("picture is %v, want %v", got, chart.Size())
	}
	if f.MimeType != "image/png" || !pictureName.MatchString(f.Name) || f.Title != "Partnership trend" {
		t.Errorf("file %q (%s) titled %q", f.Name, f.MimeType, f.Title)
	}
	if m.Text != words || f.AltText != words {
		t.Errorf("picture text %q, alt text %q, want %q", m.Text, f.AltText, words)
	}
}

// Both members answer: the group DM gets the summary, then its picture,
// and the trend in words in both. Each summary has one picture, whichever
// way it is sent: after a result, or on demand.
func TestSummaryPicture(t *testing.T) {
	h := startPairs(t)
	h.pairUp(assistant, executive)
	h.assess(assistant, "YYYYYYNNNN", false)
	if _, ok := h.fake.GroupDM(assistant, executive); ok {
		t.Fatal("a summary went out with one member's result")
	}
	h.assess(executive, "YYYYYYYNNN", false)
	group := h.waitSummaries(1, 1)
	msgs := h.fake.Messages(group)
	if len(msgs[0].Files) != 0 {
		t.Fatalf("the picture came before the summary: %s", describe(msgs))
	}
	mustContain(t, "summary", msgs[0].Blocks, "Partnership summary", "6/10", "7/10")
	checkPicture(t, h.fake, msgs[1], "Trend: assistant 6, executive 7.")

	// A second round: the trend in words replaces the bars, in the
	// summary and under the picture.
	h.assess(assistant, "YYYYYYYYNN", false)
	h.assess(executive, "YYYYYYYYYN", false)
	h.waitSummaries(2, 2)
	msgs = h.fake.Messages(group)
	const words = "Trend: assistant 6 → 8, executive 7 → 9."
	mustContain(t, "second summary", msgs[2].Blocks, "6/10 → 8/10 (+2)", "7/10 → 9/10 (+2)", words)
	if strings.Contains(string(msgs[2].Blocks), "`") {
		t.Errorf("second summary still has code spans:\n%s", msgs[2].Blocks)
	}
	checkPicture(t, h.fake, msgs[3], words)

	// On demand.
	mustContain(t, "summary ack", h.command(executive, "summary").Payload, "Posting your summary")
	h.waitSummaries(3, 3)
	checkPicture(t, h.fake, h.fake.Messages(group)[5], words)
	if n := len(h.fake.Calls("files.completeUploadExternal")); n != 3 {
		t.Errorf("%d uploads for 3 summaries", n)
	}
	h.noProblems()
}

// Slack refuses the upload (files:write not granted, or an error at any
// step): the summary still went out, alone, and the log says why without
// the upload URL or what the picture shows.
func TestSummaryPictureUploadFails(t *testing.T) {
	for _, tt := range []struct {
		name, method, slackErr string
		status                 int
	}{
		{"no files:write", "files.getUploadURLExternal", "missing_scope", 0},
		{"upload URL 503", "files.getUploadURLExternal", "", http.StatusServiceUnavailable},
		{"complete fails", "files.completeUploadExternal", "internal_error", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := startPairs(t)
			h.pairUp(assistant, executive)
			h.fake.FailNext(tt.method, 1, tt.status, tt.slackErr, 0)
			h.assess(assistant, "YYYYYYNNNN", false)
			h.assess(executive, "YYYYYYYNNN", false)
			err := h.fake.WaitFor(h.ctx(), func() bool {
				for _, c := range h.fake.Calls(tt.method) {
					if c.Error != "" || c.Status != http.StatusOK {
						return true
					}
				}
				return false
			})
			if err != nil {
				t.Fatalf("no failed %s: %v", tt.method, err)
			}
			group := h.waitSummaries(1, 0)
			mustContain(t, "summary without its picture", h.fake.Messages(group)[0].Blocks, "Partnership summary", "6/10", "7/10")
			line := waitLog(t, h, "upload summary picture")
			if !strings.Contains(line, `"pair":"`+string(partnership.NewPairID(assistant, executive))+`"`) {
				t.Errorf("the log does not name the pair: %s", line)
			}
			t.Logf("logged: %s", line)
			for _, secret := range []string{"/upload/", "Trend", "assistant 6"} {
				if strings.Contains(line, secret) {
					t.Errorf("the log quotes %q: %s", secret, line)
				}
			}
			// The next summary has its picture again.
			mustContain(t, "summary ack", h.command(assistant, "summary").Payload, "Posting your summary")
			h.waitSummaries(2, 1)
		})
	}
}

// waitLog waits for a log line containing msg and returns it.
func waitLog(t *testing.T, h *harness, msg string) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		for line := range strings.SplitSeq(h.logs.String(), "\n") {
			if strings.Contains(line, msg) {
				return line
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no log line %q in:\n%s", msg, tail(h.logs.String(), 4000))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A summary that could not go to the group DM (the bot was removed from
// it) reaches each member by DM, and no picture is uploaded anywhere.
func TestSummaryPictureNotWithoutTheGroupDM(t *testing.T) {
	h := startPairs(t)
	h.pairUp(assistant, executive)
	h.assess(assistant, "YYYYYYNNNN", false)
	h.assess(executive, "YYYYYYYNNN", false)
	group := h.waitSummaries(1, 1)
	if !h.fake.RemoveBot(group) {
		t.Fatal("RemoveBot")
	}
	a0 := len(h.fake.DMs(assistant))
	h.command(assistant, "summary")
	h.waitDM(assistant, a0, "could not post this in your group DM")
	h.waitDM(executive, 0, "could not post this in your group DM")
	if n := len(h.fake.Calls("files.getUploadURLExternal")); n != 1 {
		t.Errorf("%d uploads started, want the first summary's only", n)
	}
	if n := len(h.fake.Files("")); n != 1 {
		t.Errorf("%d files, want the first summary's picture only", n)
	}
}

// The check-ins' path (checkin → bot.Delivery → sender → slack-go): the
// summary, then its picture, in the group DM; an upload Slack refuses
// leaves the summary delivered and Summary without an error, so that the
// check-ins do not count the summary as failed.
func TestDeliverySummaryPicture(t *testing.T) {
	fake := newFake(t)
	fake.AddUser(slackfake.User{ID: executive, Name: "eve", TZ: "America/New_York"})
	api := slack.New(fake.BotToken(), slack.OptionAPIURL(fake.APIURL()), slack.OptionHTTPClient(&http.Client{Timeout: 5 * time.Second}))
	var logs syncBuffer
	// 23:30 UTC: already Tuesday in Paris (the assistant), still Monday
	// in New York (the executive).
	now := time.Date(2026, 11, 23, 23, 30, 0, 0, time.UTC)
	d := bot.NewDelivery(api, sender.New(api, sender.Options{Rate: 100, Burst: 10}), &dueClock{t: now}, slog.New(slog.NewJSONHandler(&logs, nil)))
	p := partnership.Pair{ID: partnership.NewPairID(assistant, executive), Assistant: assistant, Executive: executive}
	week := 7 * 24 * time.Hour
	taken := func(user string, side assessment.Perspective, at time.Time, answers string) assessment.Result {
		a, err := assessment.ParseAnswers(answers)
		if err != nil {
			t.Fatal(err)
		}
		return assessment.Result{ID: user + at.String(), UserID: user, Perspective: side, TakenAt: at, Answers: a, PairID: string(p.ID)}
	}
	rs := []assessment.Result{
		taken(assistant, assessment.Assistant, now.Add(-3*week), "YYYYYYNNNN"),
		taken(assistant, assessment.Assistant, now.Add(-2*week), "YYYYYYYNNN"),
		taken(assistant, assessment.Assistant, now, "YYYYYYYYNN"),
		taken(executive, assessment.Executive, now.Add(-3*week), "YYYYYYYNNN"),
		taken(executive, assessment.Executive, now, "YYYYYYYYYN"),
	}
	sum := partnership.NewSummary(p, rs, nil, now)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := d.Summary(ctx, sum); err != nil {
		t.Fatalf("Summary: %v", err)
	}
	group, _ := fake.GroupDM(assistant, executive)
	msgs := fake.Messages(group)
	if len(msgs) != 2 || len(msgs[0].Files) != 0 {
		t.Fatalf("group DM = %s, want the summary then its picture", describe(msgs))
	}
	const words = "Trend over 3 weeks: assistant 6 → 7 → 8, executive 7 → 9."
	mustContain(t, "summary", msgs[0].Blocks, words)
	checkPicture(t, fake, msgs[1], words)
	// The weeks start in the assistant's zone, so the file is named after
	// the day there.
	if f, _ := fake.FileByID(msgs[1].Files[0]); f.Name != "partnership-trend-2026-11-24.png" {
		t.Errorf("file name %q", f.Name)
	}

	fake.FailNext("files.getUploadURLExternal", 1, 0, "missing_scope", 0)
	if err := d.Summary(ctx, sum); err != nil {
		t.Fatalf("Summary with a failed upload = %v, want nil: the summary went out", err)
	}
	if msgs := fake.Messages(group); len(msgs) != 3 || len(msgs[2].Files) != 0 || len(fake.Files(group)) != 1 {
		t.Errorf("after a failed upload the group DM = %s, want one more summary and no picture", describe(msgs))
	}
	if !strings.Contains(logs.String(), "upload summary picture") || !strings.Contains(logs.String(), "missing_scope") {
		t.Errorf("the failed upload is not logged:\n%s", logs.String())
	}
	if p := fake.Problems(); len(p) != 0 {
		t.Errorf("problems: %q", p)
	}
}

// A summary without a single result has nothing to draw: no picture.
func TestDeliverySummaryWithoutResults(t *testing.T) {
	fake := newFake(t)
	api := slack.New(fake.BotToken(), slack.OptionAPIURL(fake.APIURL()))
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	d := bot.NewDelivery(api, sender.New(api, sender.Options{Rate: 100, Burst: 10}), &dueClock{t: now}, slog.New(slog.DiscardHandler))
	p := partnership.Pair{ID: partnership.NewPairID(assistant, executive), Assistant: assistant, Executive: executive}
	if err := d.Summary(context.Background(), partnership.NewSummary(p, nil, nil, now)); err != nil {
		t.Fatal(err)
	}
	group, _ := fake.GroupDM(assistant, executive)
	if msgs := fake.Messages(group); len(msgs) != 1 || len(fake.Calls("files.getUploadURLExternal")) != 0 {
		t.Errorf("group DM = %s, want the summary alone and no upload", describe(msgs))
	}
}
