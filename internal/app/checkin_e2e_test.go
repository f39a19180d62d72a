package app

import (
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/partnerbot/partnerbot/internal/slackfake"
	"github.com/partnerbot/partnerbot/internal/slackui"
	"github.com/slack-go/slack"
)

var roundDate = regexp.MustCompile(`Check-in of (?:<|\\u003c)!date\^(\d+)\^`)

// checkins returns the occurrences (Unix seconds) of the check-in DMs user
// received, in order.
func checkins(fake *slackfake.Server, user string) []int64 {
	var out []int64
	for _, m := range fake.DMs(user) {
		if sub := roundDate.FindSubmatch(m.Blocks); sub != nil {
			n, _ := strconv.ParseInt(string(sub[1]), 10, 64)
			out = append(out, n)
		}
	}
	return out
}

// Three bot processes share one Redis and one Slack; one is killed with
// SIGKILL mid-run. Every check-in occurrence reaches each member exactly
// once, none missing.
func TestCheckinsExactlyOnceAcrossProcesses(t *testing.T) {
	fake := newFake(t)
	fake.AddUser(slackfake.User{ID: executive, Name: "eve", RealName: "Eve Executive", TZ: "America/New_York"})
	mr := miniredis.RunT(t)
	cfg := testConfig(t, fake, mr.Addr())
	env := []string{"CHECKIN_MIN_INTERVAL=1s", "CHECKIN_POLL_INTERVAL=100ms", "CHECKIN_LEASE=1s",
		"CHECKIN_REMINDER_DELAY=0", "SLACK_POST_RATE=50", "SHUTDOWN_TIMEOUT=3s"}
	procs := []*process{startProcess(t, cfg, env...), startProcess(t, cfg, env...), startProcess(t, cfg, env...)}
	h := &harness{t: t, fake: fake}
	if err := fake.WaitConnected(h.ctx(), 3); err != nil {
		t.Fatalf("processes did not connect: %v", err)
	}
	h.pairUp(assistant, executive)
	mustContain(t, "schedule", h.command(assistant, "schedule @every 2s").Payload, "now come every 2 seconds.")

	wait := func(n int) {
		t.Helper()
		if err := fake.WaitFor(h.ctx(), func() bool {
			return len(checkins(fake, assistant)) >= n && len(checkins(fake, executive)) >= n
		}); err != nil {
			t.Fatalf("check-ins: assistant %v, executive %v; want %d each: %v", checkins(fake, assistant), checkins(fake, executive), n, err)
		}
	}
	wait(2)
	// Kill one process between two occurrences (killing right at a send
	// could cost one duplicate: chat.postMessage has no idempotency key).
	// The DM gives the occurrence in whole seconds: it lies in [last,
	// last+1), so last+1.5 s is at least half a second from it and from
	// the next one, 2 s later. (last+1 s could be a few ms after the
	// send, before it was recorded.)
	last := checkins(fake, assistant)[1]
	time.Sleep(time.Until(time.Unix(last, 0).Add(1500 * time.Millisecond)))
	if err := procs[1].cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-procs[1].exited
	wait(6)
	for _, p := range []*process{procs[0], procs[2]} {
		p.cmd.Process.Signal(syscall.SIGTERM)
	}
	for _, p := range []*process{procs[0], procs[2]} {
		select {
		case <-p.exited:
		case <-time.After(10 * time.Second):
			t.Fatal("a process did not stop within 10 s of SIGTERM")
		}
	}

	for _, user := range []string{assistant, executive} {
		got := checkins(fake, user)
		sorted := slices.Clone(got)
		slices.Sort(sorted)
		if c := slices.Compact(slices.Clone(sorted)); len(c) != len(sorted) {
			t.Errorf("%s got a check-in twice: %v", user, got)
		}
		for i := 1; i < len(sorted); i++ {
			if gap := sorted[i] - sorted[i-1]; gap != 2 && gap != 0 {
				t.Errorf("%s: occurrences %d and %d are %d s apart: one is missing (%v)", user, sorted[i-1], sorted[i], gap, sorted)
			}
		}
		t.Logf("%s: %d check-ins, every 2 s from %d", user, len(got), sorted[0])
	}
	// The DM carries the article's buttons.
	for _, a := range []string{slackui.ActionCheckinAssess, slackui.ActionCheckinSteps, slackui.ActionCheckinWishes, slackui.ActionCheckinSkip, slackui.ActionCheckinSnooze} {
		mustContain(t, "check-in DM", lastDM(h, executive).Blocks, a)
	}
	h.noProblems()
}

// Slack answers 429 with Retry-After: the check-in waits it out and
// arrives once.
func TestCheckinWaitsOutRateLimits(t *testing.T) {
	h := startPairs(t)
	h.pairUp(assistant, executive)
	mustContain(t, "schedule", h.command(assistant, "schedule @every 3s").Payload, "now come every 3 seconds.")
	h.fake.FailNext("chat.postMessage", 2, 429, "", time.Second)
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		return len(checkins(h.fake, assistant)) >= 1 && len(checkins(h.fake, executive)) >= 1
	}); err != nil {
		t.Fatalf("check-ins never arrived: %v", err)
	}
	var limited, firstOK time.Time
	n429 := 0
	for _, c := range h.fake.Calls("chat.postMessage") {
		switch {
		case c.Status == 429:
			n429++
			if limited.IsZero() {
				limited = c.At
			}
		case !limited.IsZero() && firstOK.IsZero() && c.Error == "":
			firstOK = c.At
		}
	}
	if n429 != 2 || firstOK.Sub(limited) < time.Second {
		t.Errorf("%d answers of 429; first success %v after the first 429, want 2 and at least Retry-After (1 s)", n429, firstOK.Sub(limited))
	}
	a, e := checkins(h.fake, assistant), checkins(h.fake, executive)
	if a[0] != e[0] || len(slices.Compact(slices.Clone(a))) != len(a) {
		t.Errorf("check-ins: assistant %v, executive %v; want the same round once each", a, e)
	}

	// Let a later round come, then pause, so that rounds stop moving.
	if err := h.fake.WaitFor(h.ctx(), func() bool { return len(slices.Compact(checkins(h.fake, executive))) >= 2 }); err != nil {
		t.Fatalf("no second round: %v", err)
	}
	mustContain(t, "pause", h.command(assistant, "pause").Payload, "are paused")
	var earlier, dm slackfake.Message
	for _, m := range h.fake.DMs(executive) {
		if roundDate.Match(m.Blocks) {
			if earlier.TS == "" {
				earlier = m
			}
			dm = m
		}
	}

	// The check-in's buttons, pressed by the executive.
	h.click(executive, dm, slackui.ActionCheckinSteps)
	h.waitModal(executive, slackui.CallbackNextSteps)
	h.click(executive, dm, slackui.ActionCheckinAssess)
	mustContain(t, "check-in modal", h.waitModal(executive, slackui.CallbackAssess).JSON, "Do you trust your assistant?")
	// An earlier round's Skip and Snooze do nothing to this round.
	for _, action := range []string{slackui.ActionCheckinSkip, slackui.ActionCheckinSnooze} {
		before := len(h.fake.DMs(executive))
		h.click(executive, earlier, action)
		h.waitDM(executive, before, "That check-in is from an earlier round")
	}
	// Snooze twice: one snooze, the same time both answers.
	var snoozed []string
	for range 2 {
		before := len(h.fake.DMs(executive))
		h.click(executive, dm, slackui.ActionCheckinSnooze)
		snoozed = append(snoozed, h.waitDM(executive, before, "Snoozed: I will ask again").Text)
	}
	if snoozed[0] != snoozed[1] {
		t.Errorf("two snoozes of one round: %q and %q, want the same", snoozed[0], snoozed[1])
	}
	for action, want := range map[string]string{slackui.ActionCheckinSkip: "Skipped this week", slackui.ActionCheckinWishes: "No open wishes"} {
		before := len(h.fake.DMs(executive))
		h.click(executive, dm, action)
		h.waitDM(executive, before, want)
	}
	// A stranger's press is refused.
	before := len(h.fake.DMs(third))
	h.click(third, dm, slackui.ActionCheckinSkip)
	h.waitDM(third, before, "That partnership is not one of yours (it may have ended).")
	h.noProblems()
}

// Out of office from the Home tab: a date picker, then the Home tab says so.
func TestAwayFromHomeTab(t *testing.T) {
	h := startPairs(t)
	h.pairUp(assistant, executive)
	if _, err := h.fake.OpenHome(h.ctx(), assistant); err != nil {
		t.Fatal(err)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool { _, ok := h.fake.HomeView(assistant); return ok }); err != nil {
		t.Fatal(err)
	}
	home, _ := h.fake.HomeView(assistant)
	blockID, _ := button(t, home.JSON, slackui.ActionHomeAway)
	if _, err := h.fake.ClickButton(h.ctx(), assistant, slackfake.Container{ViewID: home.ID}, slackui.ActionHomeAway, blockID, ""); err != nil {
		t.Fatal(err)
	}
	modal := h.waitModal(assistant, slackui.CallbackAway)
	pick := func(date string) map[string]any {
		return h.submitValues(assistant, modal.ID, map[string]map[string]slack.BlockAction{
			slackui.BlockAwayUntil: {slackui.ActionAwayDate: {Type: "datepicker", SelectedDate: date}}})
	}
	mustContain(t, "past date", pick("2020-01-01")["errors"], "Pick a date in the coming year.")
	back := time.Now().AddDate(0, 0, 10).Format("2006-01-02")
	mustContain(t, "saved", pick(back)["view"], "you are away until")
	if err := h.fake.WaitFor(h.ctx(), func() bool {
		v, _ := h.fake.HomeView(assistant)
		return strings.Contains(string(v.JSON), "You are away until")
	}); err != nil {
		t.Fatalf("the Home tab does not say away: %v", err)
	}
	mustContain(t, "away off", h.command(assistant, "away off").Payload, "Welcome back")
	h.noProblems()
}

// A typed schedule's wall-clock time is each member's own, and the reply
// says when each gets it, in words, never cron's; an out-of-office date
// may be words too.
func TestTypedScheduleAndAwayInWords(t *testing.T) {
	h := startPairs(t) // Ada in Europe/Paris, Eve in America/New_York
	h.pairUp(assistant, executive)
	var answer struct{ Text string }
	if err := json.Unmarshal(h.command(assistant, "schedule 0 9 * * MON").Payload, &answer); err != nil {
		t.Fatal(err)
	}
	reply := answer.Text
	mustContain(t, "schedule", reply, "now come mondays at 09:00, your time: each of you in your own time zone", "yours <!date^", "<@"+executive+">’s <!date^")
	var at []int64
	for _, m := range regexp.MustCompile(`<!date\^(\d+)\^`).FindAllStringSubmatch(reply, -1) {
		n, _ := strconv.ParseInt(m[1], 10, 64)
		at = append(at, n)
	}
	if len(at) != 2 || at[1]-at[0] != 6*3600 {
		t.Errorf("next check-ins %v, want Ada's and Eve's 09:00, 6 hours apart", at)
	}
	for _, never := range []string{"* *", "CHECKIN_"} {
		if strings.Contains(reply, never) {
			t.Errorf("the reply shows %q: %s", never, reply)
		}
	}
	mustContain(t, "named zone", h.command(assistant, "schedule mondays at 9 America/New_York").Payload, "America/New_York time: both of you at the same moment")

	mustContain(t, "away", h.command(assistant, "away until next monday").Payload, "Noted: you are away until")
	bad := string(h.command(assistant, "away until blursday").Payload)
	if !strings.Contains(bad, "next monday") || !regexp.MustCompile(`20\d\d-\d\d-\d\d`).MatchString(bad) {
		t.Errorf("a date it cannot read: %s", bad)
	}
	h.command(assistant, "away off")
	h.noProblems()
}

// standingCheckin has the check-ins come every 2 seconds until user's
// first, then pauses them, and returns the check-in DM of the round that
// stands.
func (h *harness) standingCheckin(user string) slackfake.Message {
	h.t.Helper()
	mustContain(h.t, "schedule", h.command(user, "schedule @every 2s").Payload, "now come every 2 seconds")
	latest := func() (dm slackfake.Message) {
		for _, m := range h.fake.DMs(user) {
			if contains(m.Blocks, slackui.ActionCheckinProgress) {
				dm = m
			}
		}
		return dm
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool { return latest().TS != "" }); err != nil {
		h.t.Fatalf("no check-in for %s: %v", user, err)
	}
	mustContain(h.t, "pause", h.command(user, "pause").Payload, "paused")
	return latest() // the round that stands, now that rounds stopped moving
}

// The weekly check-in reviews progress: its button opens the check-in,
// which takes the week's reflection (private unless shared) and what to
// change in the plan; a press from an earlier round answers kindly.
func TestProgressCheckin(t *testing.T) {
	h := startPairs(t)
	h.pairUp(assistant, executive)
	dm := h.standingCheckin(assistant)
	h.click(assistant, dm, slackui.ActionCheckinProgress)
	modal := h.waitModal(assistant, slackui.CallbackProgress)
	mustContain(t, "progress modal", modal.JSON, "How does it show up between you two this week?", "Anything to change in the plan?")
	// Nothing written: an inline error, the modal stays.
	mustContain(t, "empty", h.submitValues(assistant, modal.ID, nil)["errors"], "Update a goal, write a line about this week")
	ack := h.submitValues(assistant, modal.ID, map[string]map[string]slack.BlockAction{
		slackui.BlockReflection: {slackui.ActionReflection: {Type: "plain_text_input", Value: "We agreed on the board prep early"}},
		slackui.BlockPlanChange: {slackui.ActionPlanChange: {Type: "plain_text_input", Value: "Add a goal for travel planning"}},
	})
	mustContain(t, "checked in", ack["view"], "Checked in", "Your reflection stays yours.")
	// Opened again, it holds the answer (answers may change until the round closes).
	h.click(assistant, dm, slackui.ActionCheckinProgress)
	mustContain(t, "again", h.waitModal(assistant, slackui.CallbackProgress).JSON, "We agreed on the board prep early")
	// The round counts as answered: Skip says so.
	a0 := len(h.fake.DMs(assistant))
	h.click(assistant, dm, slackui.ActionCheckinSkip)
	h.waitDM(assistant, a0, "You answered this round's check-in already")
	// Someone else's press is refused.
	t0 := len(h.fake.DMs(third))
	h.click(third, dm, slackui.ActionCheckinProgress)
	h.waitDM(third, t0, "That partnership is not one of yours")
	h.noProblems()
}
