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
	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/chart"
	"github.com/partnerbot/partnerbot/internal/partnership"
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

func openPage(t *testing.T, url string) *page { return openPageAt(t, url, `#nav [data-pane]`) }

func openPageAt(t *testing.T, url, ready string) *page {
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
	p.run("open the page", chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(ready)))
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

// shootWhole saves a screenshot of the element sel whole, however tall: the
// window grows until the conversation shows all of it, then shrinks back.
func (p *page) shootWhole(sel, name string) {
	p.t.Helper()
	size := eval[[]int64](p, fmt.Sprintf(`[innerWidth, innerHeight, Math.ceil(document.querySelector(%q).getBoundingClientRect().height)]`, sel))
	p.run("make room for "+sel, chromedp.EmulateViewport(size[0], max(size[1], size[2]+400)),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).scrollIntoView({block: "start"})`, sel)))
	p.shoot(sel, name)
	p.run("the window as it was", chromedp.EmulateViewport(size[0], size[1]))
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

// field is the control (input, select, textarea) of the modal's input
// block blockID.
func field(blockID, control string) string {
	return fmt.Sprintf(`#modal [data-block-id=%q] %s`, blockID, control)
}

// clickText waits for the button under sel whose text holds text, and
// clicks it.
func clickText(sel, text string) chromedp.Action[chromedp.Void] {
	return waitJS(fmt.Sprintf(`(() => { const b = [...document.querySelectorAll(%q)].find((e) => e.innerText.includes(%q) && !e.disabled); if (b) b.click(); return !!b; })()`, sel, text))
}

// chosen is the text of the option chosen in the select sel.
func (p *page) chosen(sel string) string {
	p.t.Helper()
	return eval[string](p, fmt.Sprintf(`(() => { const s = document.querySelector(%q); return s && s.selectedOptions.length ? s.selectedOptions[0].text : ""; })()`, sel))
}

// noEmojiCodes fails the test if the element sel shows an emoji code the
// page could not draw (":scroll:").
func (p *page) noEmojiCodes(sel string) {
	p.t.Helper()
	if left := eval[[]string](p, fmt.Sprintf(`document.querySelector(%q).innerText.match(/:[a-z][a-z0-9_+-]*:/g) || []`, sel)); len(left) > 0 {
		p.t.Errorf("%s shows emoji codes the page does not draw: %v", sel, left)
	}
}

// draftCharter drafts the pair's charter as the person the page is: left
// without who has each task area, it is refused inline, next to each; then
// complete, saved.
func (p *page) draftCharter() {
	p.t.Helper()
	p.command("/partner-assess charter")
	expects := field(slackui.BlockCharterAssistantExpects, "textarea")
	p.run("charter form", waitText(`#modal`, "Who does what"), chromedp.WaitVisible(chromedp.CSS(field(slackui.BlockCharterTask(assessment.NumTaskAreas), "select"))))
	p.run("a charter without the task areas",
		chromedp.SendKeys(chromedp.CSS(expects), "Tell me the priorities on Monday"),
		chromedp.SendKeys(chromedp.CSS(field(slackui.BlockCharterChannel, "input")), "Slack DM"),
		chromedp.SendKeys(chromedp.CSS(field(slackui.BlockCharterCadence, "input")), "Monday 1:1"),
		chromedp.SendKeys(chromedp.CSS(field(slackui.BlockCharterDecision(1), "input")), "Travel under $500"),
		chromedp.SetValue(chromedp.CSS(field(slackui.BlockCharterRight(1), "select")), string(partnership.Decide)),
		chromedp.Click(chromedp.CSS(`#modal-submit`)),
		waitText(fmt.Sprintf(`#modal [data-block-id=%q] .bk-error`, slackui.BlockCharterTask(7)), "Choose who has Finances"))
	if got := eval[string](p, fmt.Sprintf(`document.querySelector(%q).value`, expects)); got != "Tell me the priorities on Monday" {
		p.t.Errorf("after the inline errors the expectations read %q: what was typed is lost", got)
	}
	var areas []chromedp.Action[chromedp.Void]
	for i := range assessment.NumTaskAreas {
		o := partnership.Shared
		if i == 6 { // Finances
			o = partnership.ExecutiveKeeps
		}
		areas = append(areas, chromedp.SetValue(chromedp.CSS(field(slackui.BlockCharterTask(i+1), "select")), string(o)))
	}
	areas = append(areas, chromedp.ScrollIntoView(chromedp.CSS(field(slackui.BlockCharterTask(4), "select"))))
	p.run("who has each task area", areas...)
	if got, want := p.chosen(field(slackui.BlockCharterTask(7), "select")), slackui.OwnershipLabel(partnership.ExecutiveKeeps); got != want {
		p.t.Errorf("Finances shows %q chosen, want %q", got, want)
	}
	p.screenshot("sandbox-charter.png")
	p.run("save the charter", chromedp.Click(chromedp.CSS(`#modal-submit`)), waitText(`#modal`, "Saved as version 1."))
	p.closeModal()
}

// addGoal adds a goal in Now from the open roadmap modal, with a target
// date if target is set, and waits for the roadmap to show it.
func (p *page) addGoal(title, target string) {
	p.t.Helper()
	p.click(fmt.Sprintf(`#modal button[data-action-id=%q]`, slackui.ActionGoalAdd))
	acts := []chromedp.Action[chromedp.Void]{
		chromedp.WaitVisible(chromedp.CSS(field(slackui.BlockGoalTitle, "input"))),
		chromedp.SendKeys(chromedp.CSS(field(slackui.BlockGoalTitle, "input")), title),
		chromedp.SendKeys(chromedp.CSS(field(slackui.BlockGoalServes, "input")), "Grow the team to 40 by June"),
		chromedp.SetValue(chromedp.CSS(field(slackui.BlockGoalStage, "select")), string(partnership.StageNow)),
		chromedp.SetValue(chromedp.CSS(field(slackui.BlockGoalOwner, "select")), AssistantID),
	}
	if target != "" {
		acts = append(acts, chromedp.SetValue(chromedp.CSS(field(slackui.BlockGoalTarget, `input[type="date"]`)), target))
	}
	acts = append(acts, chromedp.Click(chromedp.CSS(`#modal-submit`)), waitText(`#modal`, "Your roadmap with"), waitText(`#modal`, "“"+title+"”"))
	p.run("add the goal "+title, acts...)
}

// checkInOnProgress opens Ada's progress check-in from her check-in DM,
// sets the offsite done with a note, notes the budget, shares a reflection
// and sends it.
func (p *page) checkInOnProgress() {
	p.t.Helper()
	p.click(fmt.Sprintf(`#messages button[data-action-id=%q]`, slackui.ActionCheckinProgress))
	p.run("the progress check-in", waitText(`#modal`, "This week’s check-in with"), waitText(`#modal`, "Wins since your last summary"))
	offsite, budget := p.progressGoal("Run the spring offsite"), p.progressGoal("Own the travel budget")
	status := field(slackui.BlockProgressStatus(offsite), "select")
	if got := p.chosen(status); got != "On track" {
		p.t.Errorf("the offsite's status shows %q, want its current one, On track", got)
	}
	p.run("the offsite done, with a note",
		chromedp.SetValue(chromedp.CSS(status), string(partnership.GoalDone)),
		chromedp.SendKeys(chromedp.CSS(field("progress_note:"+offsite, "input")), "Signed the contract with the venue"),
		chromedp.SendKeys(chromedp.CSS(field("progress_note:"+budget, "input")), "Finance answers on Friday"),
		chromedp.SendKeys(chromedp.CSS(field(slackui.BlockReflection, "textarea")), "We trust each other with the calendar"),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#modal [data-block-id=%q] input[value=%q]`, slackui.BlockReflectionShare, slackui.ValueReflectionShare))),
		chromedp.ScrollIntoView(chromedp.CSS(status)))
	if got := p.chosen(status); got != "Done" {
		p.t.Errorf("the offsite's status shows %q after choosing done", got)
	}
	p.screenshot("sandbox-progress.png")
	p.run("check in", chromedp.Click(chromedp.CSS(`#modal-submit`)), waitText(`#modal`, "Checked in: thank you. 2 goals updated"),
		waitText(`#modal`, "Your partner sees your reflection"))
	p.closeModal()
}

// progressGoal is the ID of the goal titled title in the open progress
// check-in: its status block is the one labelled with the title.
func (p *page) progressGoal(title string) string {
	p.t.Helper()
	block := eval[string](p, fmt.Sprintf(`(() => { const b = [...document.querySelectorAll('#modal .bk-input[data-block-id^="progress_status:"]')].find((w) => w.innerText.includes(%q)); return b ? b.dataset.blockId : ""; })()`, title))
	goal, ok := strings.CutPrefix(block, "progress_status:")
	if !ok || goal == "" {
		p.t.Fatalf("no status for %q in the progress check-in (block %q)", title, block)
	}
	return goal
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

// The whole product in the page: pair, agree a charter, both take the
// assessment, plan two goals in Now, log wins (typed, and from a message
// with the shortcut), a wish is made and done, a week passes, the
// check-in moves a goal and both take the assessment, and the summary
// shows both scores, how they moved, the goal done and the wins; Home the
// charter agreed and what is left in Now.
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

	// Ada drafts the charter; Eve accepts it on its card, updated in place.
	p.draftCharter()
	p.as(ExecutiveID)
	p.pane(slackfake.DMChannelID(ExecutiveID))
	p.run("the charter's card", waitText(`#messages`, "@Ada Assistant drafted version 1 of your partnership charter"))
	p.click(fmt.Sprintf(`#messages button[data-action-id=%q]`, slackui.ActionCharterAccept))
	p.run("the charter accepted", waitText(`#messages`, "In force: accepted by @Eve Executive"))
	p.as(AssistantID)
	p.pane(slackfake.DMChannelID(AssistantID))

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

	// Ada plans with the roadmap: two goals in Now, one with a target date.
	p.as(AssistantID)
	p.pane(slackfake.DMChannelID(AssistantID))
	p.command("/partner-assess roadmap")
	p.run("roadmap", waitText(`#modal`, "Your roadmap with"))
	p.addGoal("Run the spring offsite", "2027-03-31")
	p.addGoal("Own the travel budget", "")
	p.run("two goals in Now", waitText(`#modal`, "Now · 2 of 3"), waitText(`#modal`, "by Mar 31, 2027"))
	p.screenshot("sandbox-roadmap.png")
	p.closeModal()

	// A win, typed and tied to the offsite; another from a message in
	// #general, with the Log as a win shortcut.
	p.command("/partner-assess win Booked the venue under budget")
	p.run("the win, tied to a goal", waitText(`#messages`, "Win logged"),
		clickText(fmt.Sprintf(`#messages button[data-action-id=%q]`, slackui.ActionWinTie), "Run the spring offsite"),
		waitText(`#messages`, "Your win now counts toward “Run the spring offsite”"))
	p.pane(GeneralID)
	p.command("The board deck went out a day early")
	p.run("a message of Ada's", waitText(`#messages .message.by-person`, "The board deck went out a day early"))
	p.run("Log as a win", chromedp.Click(chromedp.CSS(`#messages .message.by-person .more-actions summary`)),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#messages .message.by-person [data-shortcut=%q]`, slackui.CallbackLogWin))),
		waitText(`#modal`, "From this message"))
	if got := p.chosen(field(slackui.BlockWinGoal, "select")); got != "Other: no goal" {
		t.Errorf("the win form's goal shows %q, want its initial option, Other", got)
	}
	p.run("the win from a message",
		chromedp.SendKeys(chromedp.CSS(field(slackui.BlockWinText, "textarea")), "Sent the board deck a day early"),
		chromedp.Click(chromedp.CSS(`#modal-submit`)), waitJS(`!document.querySelector('#modal').open`))
	p.pane(slackfake.DMChannelID(AssistantID))
	p.run("the win confirmed", waitText(`#messages`, "Sent the board deck a day early"))

	// Ada adds a wish with next steps, and chooses to send it (a wish line
	// is hers alone otherwise).
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
	if all := strings.Join(toasts, "\n"); !strings.Contains(all, "Ada's check-in (2 goals in Now to review)") || !strings.Contains(all, "Eve's check-in (2 goals in Now to review)") {
		t.Errorf("the jumps did not say whose check-ins they sent, and the goals they review:\n%s", all)
	}
	p.screenshot("sandbox-jump.png")

	// Both take the check-in from the DM's button: 8/10 and 9/10.
	for _, c := range []struct{ user, answers, score string }{
		{AssistantID, "YYYYYYYYNN", "8/10"},
		{ExecutiveID, "YYYYYYYYYN", "9/10"},
	} {
		p.as(c.user)
		p.pane(slackfake.DMChannelID(c.user))
		p.run("check-in DM", waitText(`#messages`, checkinText), waitText(`#messages`, "Your goals in Now (2 of 3)"))
		if c.user == AssistantID {
			p.checkInOnProgress()
		}
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

	// The summary's roadmap part: the goal done, the one still in Now, the
	// wins by goal, and the reflection Ada shared.
	const summary = `#messages .message:nth-last-child(2)`
	p.run("the summary's roadmap", waitText(summary, "Done: “Run the spring offsite”"), waitText(summary, "Now, 1 of 3: “Own the travel budget”"),
		waitText(summary, "“Run the spring offsite” — 1 win"), waitText(summary, "◦ “Booked the venue under budget”"),
		waitText(summary, "Other — 1 win"), waitText(summary, "◦ “Sent the board deck a day early”"),
		waitText(summary, "From your check-ins"), waitText(summary, "We trust each other with the calendar"))
	p.noEmojiCodes(summary)
	p.shootWhole(summary, "sandbox-summary-roadmap.png")

	// The Home tab, published by the bot when it opens: no composer there.
	if !p.composerShown() {
		t.Error("no composer in the group DM")
	}
	p.pane("home")
	p.run("Home tab", waitText(`#home`, "Your partnerships"), waitText(`#home`, "8/10"),
		waitText(`#home`, "Charter: agreed on "), waitText(`#home`, "“Own the travel budget”"), waitText(`#home`, "Latest: “Finance answers on Friday”"))
	if p.composerShown() {
		t.Error("the composer shows on the Home tab")
	}
	if home := eval[string](p, `document.querySelector('#home').innerText`); strings.Contains(home, "“Run the spring offsite”") {
		t.Errorf("the goal done is still in Home's Now:\n%s", home)
	}
	p.noEmojiCodes(`#home`)
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
