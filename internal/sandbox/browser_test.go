package sandbox

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/partnerbot/partnerbot/internal/chart"
	"github.com/partnerbot/partnerbot/internal/slackfake"
	"github.com/partnerbot/partnerbot/internal/slackui"
)

// chromium finds Debian's chromium; without it the browser test is
// skipped, except in CI (CI=true), where .ci/run installs it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "/usr/bin/chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no chromium in CI: .ci/run should have installed it (apt-get install -y chromium)")
	}
	t.Skip("no chromium: install it (apt-get install -y chromium) to run the browser test")
	return ""
}

// artifacts is where screenshots go: PARTNERBOT_ARTIFACTS, or a temporary
// directory.
func artifacts(t *testing.T) string {
	dir := os.Getenv("PARTNERBOT_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// page drives the sandbox's page in a headless chromium.
type page struct {
	t   *testing.T
	ctx context.Context
	dir string

	mu     sync.Mutex
	errors []string // uncaught exceptions and console errors of the page
}

func openPage(t *testing.T, url string) *page {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	p := &page{t: t, dir: artifacts(t)}
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			msg := ev.ExceptionDetails.Text
			if ex := ev.ExceptionDetails.Exception; ex != nil {
				msg += " " + ex.Description
			}
			p.fail(msg)
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				p.fail("console.error: " + strings.Join(args, " "))
			}
		}
	}))
	t.Cleanup(cancel)
	p.ctx = ctx
	// The first run starts the browser, which lives as long as that run's
	// context: no timeout on this one.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	p.run("open the page", chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(`#nav [data-pane]`)))
	return p
}

func (p *page) fail(msg string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.errors = append(p.errors, msg)
}

// run runs actions, bounded; on failure it saves a screenshot and stops
// the test.
func (p *page) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.screenshot("failure.png")
		text, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.body.innerText`))
		p.t.Fatalf("%s: %v\npage text:\n%s", what, err, text)
	}
}

func (p *page) screenshot(name string) string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Logf("screenshot %s: %v", name, err)
		return ""
	}
	path := filepath.Join(p.dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Errorf("save screenshot: %v", err)
	}
	p.t.Logf("screenshot: %s", path)
	return path
}

// waitText waits until the element sel shows text.
func waitText(sel, text string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && e.innerText.includes(%q); })()`, sel, text),
		chromedp.WithPollingTimeout(10*time.Second), chromedp.WithPollingInterval(50*time.Millisecond))
}

func waitJS(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(10*time.Second), chromedp.WithPollingInterval(50*time.Millisecond))
}

// as switches the person the page acts as, with the "You are" select.
func (p *page) as(user string) {
	p.t.Helper()
	p.run("switch to "+user,
		chromedp.SetValue(chromedp.CSS(`#whoami`), user),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#whoami').dispatchEvent(new Event('change'))`),
		waitJS(fmt.Sprintf(`location.hash === "#%s" && !!document.querySelector('#nav [aria-current="page"]')`, user)))
}

// pane opens a pane of the sidebar by its id ("home", a conversation id,
// or a prefix of one).
func (p *page) pane(prefix string) {
	p.t.Helper()
	sel := fmt.Sprintf(`#nav [data-pane^=%q]`, prefix)
	p.run("open pane "+prefix, chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.Click(chromedp.CSS(sel)),
		waitJS(fmt.Sprintf(`document.querySelector(%q).getAttribute("aria-current") === "page"`, sel)))
}

// command types a command in the composer and sends it with Enter.
func (p *page) command(text string) {
	p.t.Helper()
	p.run("type "+text, chromedp.SendKeys(chromedp.CSS(`#compose`), text+kb.Enter),
		waitJS(`document.querySelector('#compose').value === ""`))
}

// assess answers the open assessment modal (Y/N per question) and submits.
func (p *page) assess(answers, wantScore string) {
	p.t.Helper()
	p.run("assessment modal", waitText(`#modal`, "1. "), chromedp.WaitVisible(chromedp.CSS(`#modal [data-block-id="q10"]`)))
	var acts []chromedp.Action[chromedp.Void]
	for i, a := range answers {
		v := slackui.ValueNo
		if a == 'Y' {
			v = slackui.ValueYes
		}
		acts = append(acts, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#modal [data-block-id=%q] input[value=%q]`, slackui.BlockQuestion(i+1), v))))
	}
	acts = append(acts, chromedp.Click(chromedp.CSS(`#modal-submit`)), waitText(`#modal`, wantScore))
	p.run("answer "+answers, acts...)
}

func (p *page) closeModal() {
	p.t.Helper()
	p.run("close the modal", chromedp.Click(chromedp.CSS(`#modal-cancel`)), waitJS(`!document.querySelector('#modal').open`))
}

// shoot saves a screenshot of the element sel alone.
func (p *page) shoot(sel, name string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(sel)))
	if err != nil {
		p.t.Errorf("screenshot of %s: %v", sel, err)
		return
	}
	path := filepath.Join(p.dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Errorf("save screenshot: %v", err)
	}
	p.t.Logf("screenshot: %s", path)
}

// eval evaluates a JavaScript expression of type T.
func eval[T any](p *page, expr string) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		p.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// pictures waits until the conversation shows n pictures, each loaded,
// and returns their alt texts and natural widths.
func (p *page) pictures(n int) (alts []string, widths []int) {
	p.t.Helper()
	const imgs = `[...document.querySelectorAll('#messages .file-image img')]`
	p.run(fmt.Sprintf("%d pictures loaded", n), waitJS(fmt.Sprintf(`(() => { const is = %s; return is.length === %d && is.every((i) => i.complete && i.naturalWidth > 0); })()`, imgs, n)))
	return eval[[]string](p, imgs+`.map((i) => i.alt)`), eval[[]int](p, imgs+`.map((i) => i.naturalWidth)`)
}

// composerShown reports whether the composer takes up room on the page.
func (p *page) composerShown() bool {
	p.t.Helper()
	return eval[bool](p, `(() => { const c = document.querySelector('#composer'); return getComputedStyle(c).display !== 'none' && c.offsetHeight > 0; })()`)
}

func (p *page) click(sel string) {
	p.t.Helper()
	p.run("click "+sel, chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.Click(chromedp.CSS(sel)))
}

const checkinText = "Time for this week's partnership check-in"

func hasCheckin(fake *slackfake.Server, user string) bool {
	for _, m := range fake.DMs(user) {
		if strings.Contains(m.Text+string(m.Blocks), checkinText) {
			return true
		}
	}
	return false
}

// The whole product in the page: pair, both take the assessment, a wish
// is made and done, a week passes, both take the check-in and see the
// summary with both scores and how they moved.
func TestBrowserJourney(t *testing.T) {
	chromium(t)
	began := time.Now()
	sb := start(t)
	p := openPage(t, sb.URL()+"#"+AssistantID)
	fake := sb.Slack()

	// Ada invites Eve from her DM with the bot: "@Eve" becomes a mention.
	p.pane(slackfake.DMChannelID(AssistantID))
	p.command("/partner-assess pair @Eve")
	p.run("invited", waitText(`#messages`, "I invited @Eve Executive"))

	// Eve accepts the invitation in her DM; the card shows who accepted.
	p.as(ExecutiveID)
	p.pane(slackfake.DMChannelID(ExecutiveID))
	p.run("the invitation", waitText(`#messages`, "invites you to a partnership"))
	p.screenshot("sandbox-invitation.png")
	p.click(fmt.Sprintf(`#messages button[data-action-id=%q]`, slackui.ActionInviteAccept))
	p.run("accepted", waitText(`#messages`, "Accepted by @Eve Executive"), waitText(`#messages`, "You and @Ada Assistant are partners now"))
	p.as(AssistantID)
	p.pane(slackfake.DMChannelID(AssistantID))
	p.run("paired", waitText(`#messages`, "You and @Eve Executive are partners now"))

	// Ada takes the assessment: 6/10.
	p.command("/partner-assess")
	p.assess("YYYYYYNNNN", "6/10")
	p.screenshot("sandbox-result.png")
	p.closeModal()

	// Eve takes it too: 7/10.
	p.as(ExecutiveID)
	p.pane(slackfake.DMChannelID(ExecutiveID))
	p.command("/partner-assess")
	p.assess("YYYYYYYNNN", "7/10")
	p.closeModal()

	// Both have a result: the first summary, in the pair's group DM, and
	// its picture under it, described in words.
	p.pane("G")
	p.run("first summary", waitText(`#messages`, "Partnership summary"), waitText(`#messages`, "6/10"), waitText(`#messages`, "7/10"))
	alts, widths := p.pictures(1)
	if want := "Trend: assistant 6, executive 7."; alts[0] != want || widths[0] != chart.Size().X {
		t.Errorf("the first summary's picture: alt %q, %d px wide; want %q, %d px", alts[0], widths[0], want, chart.Size().X)
	}

	// Ada adds a wish with next steps, and chooses to send it (a wish line
	// is hers alone otherwise).
	p.as(AssistantID)
	p.pane(slackfake.DMChannelID(AssistantID))
	p.command("/partner-assess next-steps")
	wish := fmt.Sprintf(`#modal [data-block-id=%q] input`, slackui.BlockStep(slackui.ListWish, 1))
	send := fmt.Sprintf(`#modal [data-block-id=%q] input[value=%q]`, slackui.BlockWishSend(1), slackui.ValueSend)
	p.run("next steps", chromedp.WaitVisible(chromedp.CSS(wish)), chromedp.SendKeys(chromedp.CSS(wish), "Hold a weekly 1:1"),
		chromedp.Click(chromedp.CSS(send)))
	p.screenshot("sandbox-next-steps.png")
	p.run("save next steps", chromedp.Click(chromedp.CSS(`#modal-submit`)), waitJS(`!document.querySelector('#modal').open`))

	// Eve marks it done with the button in her DM; Ada is told.
	p.as(ExecutiveID)
	p.pane(slackfake.DMChannelID(ExecutiveID))
	p.run("the wish reaches Eve", waitText(`#messages`, "Hold a weekly 1:1"))
	p.screenshot("sandbox-wish.png")
	p.click(fmt.Sprintf(`#messages button[data-action-id=%q]`, slackui.ActionWishDone))
	p.run("the card says done", waitText(`#messages`, "Done by @Eve Executive"))
	p.as(AssistantID)
	p.pane(slackfake.DMChannelID(AssistantID))
	p.run("Ada hears the wish is done", waitText(`#messages`, "done"))

	// Tom tries to pair with himself from the setup modal: the required
	// picker is checked in the page, the refusal comes back inline.
	p.as(ThirdID)
	p.pane(slackfake.DMChannelID(ThirdID))
	p.command("/partner-assess pair")
	picker := fmt.Sprintf(`#modal [data-block-id=%q] select`, slackui.BlockPartner)
	p.run("required picker", chromedp.WaitVisible(chromedp.CSS(picker)), chromedp.Click(chromedp.CSS(`#modal-submit`)),
		waitText(`#modal`, "Please complete this required field."))
	p.run("inline error", chromedp.SetValue(chromedp.CSS(picker), ThirdID), chromedp.Click(chromedp.CSS(`#modal-submit`)),
		waitText(`#modal`, "You cannot pair with yourself."))
	p.screenshot("sandbox-inline-error.png")
	p.closeModal()

	// The page says how short a schedule may be here.
	p.run("the sandbox's minimum interval", waitText(`#min-interval-note`, "Shortest schedule here every minute"))

	// A week passes: jump until both have their check-in (they live in
	// different time zones, so their prompts are due at different times).
	// Each jump says what it jumped to.
	before := sb.Clock().Now()
	var toasts []string
	for i := 0; !(hasCheckin(fake, AssistantID) && hasCheckin(fake, ExecutiveID)); i++ {
		if i == 4 {
			t.Fatalf("no check-in for both after %d jumps (Ada %v, Eve %v)", i, hasCheckin(fake, AssistantID), hasCheckin(fake, ExecutiveID))
		}
		p.run("jump", chromedp.Click(chromedp.CSS(`#jump`)), waitText(`#toast`, "Jumped to "),
			waitJS(`!document.querySelector('#jump').disabled`))
		toasts = append(toasts, eval[string](p, `document.querySelector('#toast').innerText`))
	}
	if jumped := sb.Clock().Now().Sub(before); jumped < time.Hour {
		t.Errorf("the jumps moved the clock by %s only", jumped)
	}
	if all := strings.Join(toasts, "\n"); !strings.Contains(all, "Ada's check-in") || !strings.Contains(all, "Eve's check-in") {
		t.Errorf("the jumps did not say whose check-ins they sent:\n%s", all)
	}
	p.screenshot("sandbox-jump.png")

	// Both take the check-in from the DM's button: 8/10 and 9/10.
	for _, c := range []struct{ user, answers, score string }{
		{AssistantID, "YYYYYYYYNN", "8/10"},
		{ExecutiveID, "YYYYYYYYYN", "9/10"},
	} {
		p.as(c.user)
		p.pane(slackfake.DMChannelID(c.user))
		p.run("check-in DM", waitText(`#messages`, checkinText))
		p.click(fmt.Sprintf(`#messages button[data-action-id=%q]`, slackui.ActionCheckinAssess))
		p.assess(c.answers, c.score)
		p.closeModal()
	}

	// The summary: both scores and how they moved, in words, then the
	// picture of the trend.
	p.pane("G")
	p.run("summary with the change",
		waitText(`#messages`, "6/10 → 8/10 (+2)"), waitText(`#messages`, "7/10 → 9/10 (+2)"),
		waitText(`#messages`, "assistant 6 → 8, executive 7 → 9."))
	alts, widths = p.pictures(2)
	if !strings.HasPrefix(alts[1], "Trend over ") || !strings.HasSuffix(alts[1], ": assistant 6 → 8, executive 7 → 9.") || widths[1] != chart.Size().X {
		t.Errorf("the second summary's picture: alt %q, %d px wide", alts[1], widths[1])
	}
	p.run("scroll to the summary", chromedp.Evaluate[chromedp.Void](`document.querySelector('#messages').scrollTop = 1e9`))
	shot := p.screenshot("sandbox-summary.png")
	p.shoot(`#messages .message:last-child .file-image`, "sandbox-summary-picture.png")

	// The Home tab, published by the bot when it opens: no composer there.
	if !p.composerShown() {
		t.Error("no composer in the group DM")
	}
	p.pane("home")
	p.run("Home tab", waitText(`#home`, "Your partnerships"), waitText(`#home`, "8/10"))
	if p.composerShown() {
		t.Error("the composer shows on the Home tab")
	}
	p.screenshot("sandbox-home.png")

	// The schedule modal: a static select, a time picker and a checkbox.
	p.as(AssistantID)
	p.pane(slackfake.DMChannelID(AssistantID))
	p.command("/partner-assess schedule")
	p.run("schedule modal", waitText(`#modal`, "Weekly check-in"))
	p.screenshot("sandbox-schedule.png")
	p.run("save the schedule",
		chromedp.SetValue(chromedp.CSS(`#modal [data-block-id="day"] select`), "FRI"),
		chromedp.SetValue(chromedp.CSS(`#modal [data-block-id="time"] input`), "08:30"),
		chromedp.Click(chromedp.CSS(`#modal-submit`)), waitText(`#modal`, "Saved. The next check-in:"))
	p.closeModal()

	if problems := fake.Problems(); len(problems) > 0 {
		t.Errorf("the fake Slack caught problems:\n%s", strings.Join(problems, "\n"))
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.errors) > 0 {
		t.Errorf("the page logged errors:\n%s", strings.Join(p.errors, "\n"))
	}
	t.Logf("journey done in %s; summary screenshot: %s", time.Since(began).Round(time.Millisecond), shot)
}
