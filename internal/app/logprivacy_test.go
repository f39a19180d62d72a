package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/slackfake"
	"github.com/partnerbot/partnerbot/internal/slackui"
	"github.com/slack-go/slack"
)

// Answers, wishes, next steps, decline notes and tokens never reach the
// logs, on any error path: a socket write that fails with a reply full of
// wishes, a socket cut mid-burst, garbage frames carrying text, Slack
// answering 5xx to views and posts, Redis down during a submission, a
// next-steps save and a decline, and a stored result Redis hands back
// garbled. The whole JSON log output is searched for each marker.
func TestLogsHoldNoAnswersWishesOrTokens(t *testing.T) {
	h := startPairs(t)
	const (
		ansA  = "YNNYNYNNYN" // the assistant's answers
		ansA2 = "NYNYNYNNYN" // the assistant's second, with the first two changed
		ansE  = "NYYNNNYYNY" // the executive's
	)
	// Every marker is text only a person typed; the logs may name people
	// and pairs by id, never quote what they wrote.
	lines := map[string]string{
		slackui.BlockStep(slackui.ListJustRight, 1): "Zqx just right: I guard the calendar",
		slackui.BlockStep(slackui.ListDoMore, 1):    "Zqx do more: draft the board replies",
		slackui.BlockStep(slackui.ListWish, 1):      "Zqx wish one: hold a weekly one-to-one " + strings.Repeat("please ", 20),
		slackui.BlockStep(slackui.ListWish, 2):      "Zqx wish two: share the quarterly goals " + strings.Repeat("early ", 20),
		slackui.BlockStep(slackui.ListWish, 3):      "Zqx wish three: copy me on travel plans " + strings.Repeat("always ", 20),
	}
	const (
		note      = "Zqx decline note: not this quarter"
		lateNote  = "Zqx late note: ask me again in spring"
		lateWish  = "Zqx late wish: tell me before you promise my time"
		frameText = "Zqx frame text"
	)
	secrets := map[string]string{
		"bot token": h.fake.BotToken(), "app token": h.fake.AppToken(),
		"assistant's answers": ansA, "assistant's second answers": ansA2, "executive's answers": ansE,
		"result view":  "one pointer for each",
		"decline note": note, "note of the decline while Redis was down": lateNote,
		"wish saved while Redis was down": lateWish, "garbage frame text": frameText,
	}
	for block, text := range lines {
		secrets["next-steps line "+block] = text[:20]
	}
	// Per-question answers: the result view names the questions whose
	// answer changed; a log line never should.
	for _, p := range []assessment.Perspective{assessment.Assistant, assessment.Executive} {
		for _, q := range assessment.Questions(p) {
			secrets[fmt.Sprintf("text of question %d (%s)", q.Number, p)] = q.Text
		}
	}

	// A partnership with results, next steps, wishes and a declined wish.
	h.pairUp(assistant, executive)
	h.assess(assistant, ansA, true)
	h.assess(executive, ansE, true)
	// The faults below each hit the next call of a method: first let the
	// result DMs and the summary and its picture (sent after the acks) go
	// out.
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		g, ok := h.fake.GroupDM(assistant, executive)
		return ok && len(summaries(h.fake, g)) == 1 && len(h.fake.Files(g)) == 1 &&
			resultDMs(h.fake, assistant) == 1 && resultDMs(h.fake, executive) == 1
	}); err != nil {
		t.Fatalf("no summary and result DMs: %v", err)
	}
	h.command(assistant, "next-steps")
	steps := h.waitModal(assistant, slackui.CallbackNextSteps)
	e0 := len(h.fake.DMs(executive))
	// Slack 5xx on posts: the wishes DM is retried through two 503s.
	h.fake.FailNext("chat.postMessage", 2, http.StatusServiceUnavailable, "", 0)
	if ack := h.submitValues(assistant, steps.ID, stepValues(lines)); ack != nil {
		t.Fatalf("next steps ack = %v, want the modal closed", ack)
	}
	wishes := h.waitDM(executive, e0, slackui.ActionWishDone)
	h.waitDM(assistant, 0, "Your next steps are saved")
	h.click(executive, wishes, slackui.ActionWishDecline)
	decline := h.waitModal(executive, slackui.CallbackWishDecline)
	// A post Slack refuses for good: the decline's DM to the wish's author.
	h.fake.FailNext("chat.postMessage", 1, 0, "msg_too_long", 0)
	h.submitValues(executive, decline.ID, noteValues(note))
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		m, _ := h.fake.Message(wishes.Channel, wishes.TS)
		return contains(m.Blocks, "Declined by <@"+executive+">")
	}); err != nil {
		t.Fatalf("the declined wish's card was not redrawn: %v", err)
	}

	// Slack 5xx on views: views.open (next steps), views.publish (Home, with
	// the wishes to act on), conversations.open (the summary, with the open
	// wishes, goes to each member instead).
	h.fake.FailNext("views.open", 1, http.StatusServiceUnavailable, "", 0)
	a0 := len(h.fake.DMs(assistant))
	h.command(assistant, "next-steps")
	h.waitDM(assistant, a0, "I could not open the form")
	h.fake.FailNext("views.publish", 1, http.StatusInternalServerError, "", 0)
	if _, err := h.fake.OpenHome(h.ctx(), executive); err != nil {
		t.Fatal(err)
	}
	h.fake.FailNext("conversations.open", 1, http.StatusServiceUnavailable, "", 0)
	a0 = len(h.fake.DMs(assistant))
	h.command(assistant, "summary")
	h.waitDM(assistant, a0, "could not post this in your group DM")

	// Redis down during an assessment, a next-steps save, a decline and a
	// wishes list (the modals were opened while it was up).
	v := h.openAssessment(assistant)
	h.command(assistant, "next-steps")
	steps = h.waitModal(assistant, slackui.CallbackNextSteps)
	wishes = lastDMWith(h, executive, slackui.ActionWishDecline)
	h.click(executive, wishes, slackui.ActionWishDecline)
	decline = h.waitModal(executive, slackui.CallbackWishDecline)
	h.redis.Close()
	if ack := h.submit(assistant, v.ID, ansA); ack["response_action"] != "errors" {
		t.Errorf("assessment with Redis down acked %v, want errors", ack)
	}
	late := map[string]string{slackui.BlockStep(slackui.ListWish, 1): lateWish}
	if ack := h.submitValues(assistant, steps.ID, stepValues(late)); ack["response_action"] != "errors" {
		t.Errorf("next steps with Redis down acked %v, want errors", ack)
	}
	h.submitValues(executive, decline.ID, noteValues(lateNote))
	h.command(executive, "wishes")
	if err := h.redis.Restart(); err != nil {
		t.Fatal(err)
	}
	h.waitReady()

	// A stored result Redis hands back garbled: one letter too many.
	garbled := "pb:v1:{u:" + assistant + "}:results"
	h.redis.RPush(garbled, assistant+`|{"id":"VBAD","p":"assistant","at":1,"a":"`+ansA+`Y"}`)
	mustContain(t, "history with a garbled result", h.command(assistant, "history").Payload, "Could not load your history")
	h.redis.Del(garbled)

	// Garbage frames carrying text.
	for _, f := range []string{
		`{"type":"` + frameText + `","envelope_id":"e-zqx-1","payload":{}}`,
		`{"type":"interactive","envelope_id":"e-zqx-2","payload":"` + frameText + `"}`,
		`{"type":"slash_commands","envelope_id":"e-zqx-3","payload":{"text":"` + frameText + `","user_id":1}}`,
		`not json ` + frameText,
	} {
		if err := h.fake.SendRaw(h.ctx(), []byte(f)); err != nil {
			t.Fatal(err)
		}
	}

	// The socket dies while the bot writes a reply: the result view of a
	// second assessment (the pointers for each "No", the questions whose
	// answer changed), then the list of wishes. slack-go reports each failed
	// write with the whole reply in it.
	const large = 1024
	v = h.openAssessment(assistant)
	h.reconnectAfter(func() {
		h.fake.FailNextClientWrite(large)
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if _, err := h.fake.SubmitView(ctx, assistant, v.ID, answers(ansA2)); err == nil {
			t.Error("the result whose write failed was acked")
		}
	})
	if reply := h.command(executive, "wishes").Payload; len(reply) < large {
		t.Fatalf("the wishes reply is %d bytes, under the %d of the failing write", len(reply), large)
	}
	h.reconnectAfter(func() {
		h.fake.FailNextClientWrite(large)
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if _, err := h.fake.SlashCommand(ctx, executive, channel, command, "wishes"); err == nil {
			t.Error("the reply whose write failed was acked")
		}
	})
	failed := h.fake.Lost() // the two envelopes whose reply was never written
	if len(failed) != 2 {
		t.Errorf("envelopes lost to the failed writes: %v, want 2", failed)
	}

	// And a socket cut in the middle of a burst of replies.
	burst, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	var sent atomic.Int64
	h.reconnectAfter(func() {
		for i := range 12 {
			if i == 6 {
				_ = h.fake.WaitFor(h.ctx(), func() bool { return sent.Load() >= 6 })
				h.fake.DropConnections()
			}
			user, text := executive, "wishes"
			if i%2 == 1 {
				user, text = assistant, "history"
			}
			wg.Go(func() {
				sent.Add(1)
				_, _ = h.fake.SlashCommand(burst, user, channel, command, text)
			})
		}
	})
	cancel()
	wg.Wait()
	mustContain(t, "after the cuts", h.command(executive, "wishes").Payload, lines[slackui.BlockStep(slackui.ListWish, 3)][:20])

	logs := h.logs.String()
	// The error paths ran: each left its line.
	var hits []string
	for _, id := range failed {
		hits = append(hits, `"envelope_id":"`+id+`"`) // the failed write's line names its envelope
	}
	for _, hit := range append(hits,
		`"type":"write_error"`, `"type":"incoming_error"`, `"msg":"malformed envelope dropped"`,
		`"msg":"open modal"`, `"msg":"publish home"`, `"msg":"post message"`, `"msg":"post to the pair's group DM; sending to each member instead"`,
		`"msg":"save result"`, `"msg":"save next steps"`, `"msg":"move wish"`, `"msg":"load wishes"`, `decode result VBAD`,
	) {
		if !strings.Contains(logs, hit) {
			t.Errorf("no log line with %s: that error path did not run", hit)
		}
	}
	var n503 int
	for _, c := range h.fake.Calls("chat.postMessage") {
		if c.Status == http.StatusServiceUnavailable {
			n503++
		}
	}
	if n503 != 2 {
		t.Errorf("Slack answered 503 to %d posts, want 2", n503)
	}

	// Nothing anyone wrote, and no token, is in any line.
	for _, line := range strings.Split(logs, "\n") {
		for what, s := range secrets {
			if i := strings.Index(line, s); i >= 0 {
				t.Errorf("a log line holds the %s (%q): …%s…", what, s, line[max(0, i-150):min(len(line), i+len(s)+50)])
			}
		}
		var rec map[string]any
		if line != "" && json.Unmarshal([]byte(line), &rec) == nil {
			if _, ok := rec["score"]; ok {
				t.Errorf("a log line holds a score:\n%s", line)
			}
		}
	}
}

func noteValues(note string) map[string]map[string]slack.BlockAction {
	return map[string]map[string]slack.BlockAction{
		slackui.BlockWishNote: {slackui.ActionWishNote: {Type: "plain_text_input", Value: note}}}
}

// lastDMWith is the newest DM to user whose blocks hold want.
func lastDMWith(h *harness, user, want string) slackfake.Message {
	h.t.Helper()
	dms := h.fake.DMs(user)
	for i := len(dms) - 1; i >= 0; i-- {
		if strings.Contains(string(dms[i].Blocks), want) {
			return dms[i]
		}
	}
	h.t.Fatalf("no DM to %s with %s", user, want)
	return slackfake.Message{}
}

// A response_url lets whoever holds it post the reply: a failed post's
// error, which the bot logs, leaves it out.
func TestResponderErrorLeavesOutTheURL(t *testing.T) {
	respond := responder(&http.Client{Timeout: time.Second}, "http://127.0.0.1:1/api/")
	err := respond(context.Background(), "http://127.0.0.1:1/commands/T1/1/Zqx-capability", "hello")
	if err == nil || strings.Contains(err.Error(), "Zqx") {
		t.Errorf("respond = %v, want an error without the URL", err)
	}
}

// waitReady waits until /readyz answers 200: Slack and Redis both up.
func (h *harness) waitReady() {
	h.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for get(h.t, "http://"+h.app.HTTPAddr()+"/readyz") != http.StatusOK {
		if time.Now().After(deadline) {
			h.t.Fatal("not ready within 5 s")
		}
		time.Sleep(20 * time.Millisecond) // bounded poll of the health endpoint
	}
}
