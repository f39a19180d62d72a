package slackui

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/slack-go/slack"
)

// Roadmap fixtures.
func goalAt(id, title string, stage partnership.Stage, status partnership.GoalStatus, owner string, created time.Time) partnership.Goal {
	return partnership.Goal{ID: id, PairID: pairAE.ID, Title: title, Stage: stage, Status: status, Owner: owner, CreatedBy: ada, CreatedAt: created, Rev: 1,
		History: []partnership.GoalEvent{{At: created, By: ada, Change: partnership.ChangeCreated, To: string(stage)}}}
}

var (
	goalOffsite = func() partnership.Goal {
		g := goalAt("g1", "Run the spring offsite end to end", partnership.StageNow, partnership.GoalOnTrack, ada, t0.Add(-20*24*time.Hour))
		g.Serves, g.Target = "Grow the team to 40 by June", partnership.Date{Year: 2026, Month: time.December, Day: 18}
		g.History[0].To = "next"
		g.History = append(g.History,
			partnership.GoalEvent{At: t0.Add(-10 * 24 * time.Hour), By: eve, Change: partnership.ChangeStage, From: "next", To: "now", Note: "Before the board meets"},
			partnership.GoalEvent{At: t0.Add(-2 * 24 * time.Hour), By: ada, Change: partnership.ChangeNote, Note: "Venue shortlisted"})
		g.Rev = 3
		return g
	}()
	goalBudget = func() partnership.Goal {
		g := goalAt("g2", "Own the travel budget", partnership.StageNow, partnership.GoalStuck, ada, t0.Add(-15*24*time.Hour))
		g.History = append(g.History, partnership.GoalEvent{At: t0.Add(-24 * time.Hour), By: ada, Change: partnership.ChangeStatus, From: "on_track", To: "stuck", Note: "Waiting on finance"})
		return g
	}()
	goalBoard = goalAt("g3", "Prepare the board pack", partnership.StageNext, partnership.GoalOnTrack, eve, t0.Add(-5*24*time.Hour))
	goalHire  = goalAt("g4", "Run interviews for the new analyst", partnership.StageLater, partnership.GoalOnTrack, ada, t0.Add(-4*24*time.Hour))
	goalDone  = func() partnership.Goal {
		g := goalAt("g5", "Clean up the shared calendar", partnership.StageNow, partnership.GoalDone, ada, t0.Add(-30*24*time.Hour))
		g.History = append(g.History, partnership.GoalEvent{At: t0.Add(-3 * 24 * time.Hour), By: ada, Change: partnership.ChangeStatus, From: "on_track", To: "done"})
		return g
	}()
	roadmapAE = partnership.Roadmap{Pair: pairAE, Goals: []partnership.Goal{goalDone, goalOffsite, goalBudget, goalBoard, goalHire}, Rev: 9}
	ideaLine  = partnership.IdeaFromDoMore(partnership.NextSteps{PairID: pairAE.ID, DoMore: partnership.List{"Say no on your behalf"}}, 1)
	ideaWish  = partnership.IdeaFromWish(wishOnes)
	owners    = []OwnerOption{{ID: ada, Label: "Ada Assistant"}, {ID: eve, Label: "Eve Exec"}}
	winVenue  = partnership.Win{ID: "n1", PairID: pairAE.ID, By: ada, Text: "Booked the venue under budget", GoalID: "g1", At: t0.Add(-time.Hour)}
	winInbox  = partnership.Win{ID: "n2", PairID: pairAE.ID, By: ada, Text: "Cleared the inbox before the trip", At: t0.Add(-2 * time.Hour)}
)

func TestRoadmapModal(t *testing.T) {
	m := RoadmapModal(RoadmapPage{Roadmap: roadmapAE, Viewer: ada, Choice: choice, Ideas: []partnership.GoalIdea{ideaLine, ideaWish}, Now: t0})
	golden(t, "roadmap_modal", m)
	empty := RoadmapModal(RoadmapPage{Roadmap: partnership.Roadmap{Pair: pairAE}, Viewer: eve, Now: t0})
	golden(t, "roadmap_modal_empty", empty)
	js := rendered(t, m)
	for _, want := range []string{
		"*Your roadmap with <@UEVE>*", "at most three goals in Now", "*Now* · 2 of 3", "*Next*", "*Later*",
		"“Run the spring offsite end to end”", ":large_green_circle: on track · <@UADA> · by <!date^1797595200^{date_short_pretty}|2026-12-18>",
		"_Serves:_ Grow the team to 40 by June", "_Latest:_ “Venue shortlisted” — <@UADA>, <!date^",
		":red_circle: stuck", "*Done and dropped*", "“Clean up the shared calendar” — :white_check_mark: done on <!date^",
		"“Say no on your behalf”", "_an acknowledged wish_", `"value":"UADA-UEVE:g1"`, ActionGoalAdd, ActionWinLog, ActionMakeGoal,
	} {
		if !strings.Contains(js, want) {
			t.Errorf("roadmap lacks %q:\n%s", want, js)
		}
	}
	if strings.Index(js, "spring offsite") > strings.Index(js, "board pack") || strings.Index(js, "board pack") > strings.Index(js, "analyst") {
		t.Error("columns are not Now, Next, Later")
	}
	if strings.Contains(rendered(t, empty), ActionWinLog) {
		t.Error("the executive is offered Log a win")
	}
	if id, err := ParseRoadmapMeta(m.PrivateMetadata); err != nil || id != pairAE.ID {
		t.Errorf("roadmap meta = %q, %v", id, err)
	}
}

func TestGoalModal(t *testing.T) {
	add := GoalModal(GoalForm{Choice: choice, Owners: owners, Stage: partnership.StageNext, Owner: ada, Back: true})
	golden(t, "goal_modal_add", add)
	edit := GoalModal(GoalForm{Pair: pairAE.ID, Goal: goalOffsite, Owners: owners})
	golden(t, "goal_modal_edit", edit)
	in := inputs(edit.Blocks.BlockSet)
	if in[BlockGoalTitle].Element.(*slack.PlainTextInputBlockElement).InitialValue != goalOffsite.Title ||
		in[BlockGoalStage].Element.(*slack.SelectBlockElement).InitialOption.Value != "now" ||
		in[BlockGoalOwner].Element.(*slack.SelectBlockElement).InitialOption.Value != ada ||
		in[BlockGoalTarget].Element.(*slack.DatePickerBlockElement).InitialDate != "2026-12-18" {
		t.Errorf("edit form not filled in:\n%s", rendered(t, edit))
	}
	if strings.Contains(rendered(t, edit), ActionPairSelect) || !strings.Contains(rendered(t, add), ActionPairSelect) {
		t.Error("the pair select belongs in the add form only")
	}
	for name, m := range map[string]slack.ModalViewRequest{"add": add, "edit": edit} {
		meta, err := ParseGoalMeta(m.PrivateMetadata)
		if err != nil || meta.Pair != pairAE.ID {
			t.Errorf("%s meta = %+v, %v", name, meta, err)
		}
	}
	if meta, _ := ParseGoalMeta(edit.PrivateMetadata); meta.GoalID != "g1" || meta.Rev != 3 || meta.Back {
		t.Errorf("edit meta = %+v", meta)
	}
	if meta, _ := ParseGoalMeta(add.PrivateMetadata); meta.GoalID != "" || !meta.Back {
		t.Errorf("add meta = %+v", meta)
	}
}

func TestGoalStatusModal(t *testing.T) {
	m := GoalStatusModal(GoalStatusForm{Goal: goalOffsite, Back: true, Now: t0})
	golden(t, "goal_status_modal", m)
	js := rendered(t, m)
	for _, want := range []string{"*History*", "<@UEVE>: moved it Next → Now — “Before the board meets”", "<@UADA>: noted — “Venue shortlisted”",
		"<@UADA>: added it to Next", ActionGoalEdit, "A done or dropped goal leaves Now."} {
		if !strings.Contains(js, want) {
			t.Errorf("status form lacks %q:\n%s", want, js)
		}
	}
	in := inputs(m.Blocks.BlockSet)
	if r := in[BlockGoalStatus].Element.(*slack.RadioButtonsBlockElement); len(r.Options) != 4 || r.InitialOption.Value != "on_track" {
		t.Errorf("status radio = %+v", r)
	}
	// A long history shows its latest entries, and says how many came before.
	long := goalOffsite
	for i := range 20 {
		long.History = append(long.History, partnership.GoalEvent{At: t0, By: ada, Change: partnership.ChangeNote, Note: fmt.Sprint("note ", i)})
	}
	js = rendered(t, GoalStatusModal(GoalStatusForm{Goal: long, Now: t0}))
	if !strings.Contains(js, "_15 entries before._") || !strings.Contains(js, "note 19") || strings.Contains(js, "note 11”") {
		t.Errorf("long history:\n%s", js)
	}
}

func TestWinModal(t *testing.T) {
	src, ok := MessageSource("acme", "CGENERAL", "1700000000.000100")
	if !ok || src.Link != "https://acme.slack.com/archives/CGENERAL/p1700000000000100" {
		t.Fatalf("MessageSource = %+v, %v", src, ok)
	}
	m := WinModal(WinForm{Choice: PairChoice{Options: []PairOption{{ID: pairAE.ID, Label: "With Eve"}}, Selected: pairAE.ID},
		Goals: roadmapAE.Goals, Source: src})
	golden(t, "win_modal", m)
	js := rendered(t, m)
	for _, want := range []string{"From <https://acme.slack.com/archives/CGENERAL/p1700000000000100|this message>", "Up to 3,000 characters",
		"Now · Run the spring offsite end to end", "Next · Prepare the board pack", "Later · Run interviews", "Other: no goal"} {
		if !strings.Contains(js, want) {
			t.Errorf("win form lacks %q:\n%s", want, js)
		}
	}
	if strings.Contains(js, "Clean up the shared calendar") {
		t.Error("a done goal is offered for a win")
	}
	meta, err := ParseWinMeta(m.PrivateMetadata)
	if err != nil || meta.Pair != pairAE.ID || meta.Source() != src || meta.Back {
		t.Errorf("win meta = %+v, %v", meta, err)
	}
	if in := inputs(m.Blocks.BlockSet)[BlockWinText].Element.(*slack.PlainTextInputBlockElement); in.MaxLength != partnership.MaxWinLen || in.InitialValue != "" {
		t.Errorf("win text input = %+v, want empty, at most %d", in, partnership.MaxWinLen)
	}
}

func TestWinMessages(t *testing.T) {
	golden(t, "win_logged_reply", WinLoggedReply(winInbox, pairAE, []partnership.Goal{goalOffsite, goalBudget}))
	golden(t, "win_logged", msg(WinLoggedMessage(winVenue, goalOffsite)))
	reply := WinLoggedReply(winInbox, pairAE, []partnership.Goal{goalOffsite, goalBudget})
	ids, values := buttons(t, reply.Blocks[len(reply.Blocks)-1])
	if !reflect.DeepEqual(ids, []string{ActionWinTie, ActionWinTie}) {
		t.Fatalf("tie buttons = %v", ids)
	}
	if p, w, g, err := ParseWinTie(values[1]); err != nil || p != pairAE.ID || w != "n2" || g != "g2" {
		t.Errorf("ParseWinTie(%q) = %q %q %q %v", values[1], p, w, g, err)
	}
	if js := rendered(t, WinLoggedReply(winInbox, pairAE, nil)); strings.Contains(js, ActionWinTie) || !strings.Contains(js, "nothing is in Now yet") {
		t.Errorf("reply with nothing in Now:\n%s", js)
	}
}

func TestHomeRoadmap(t *testing.T) {
	h := Home{UserID: ada, Now: t0, CanLogWins: true,
		Pairs: []HomePair{{Pair: pairAE, Summary: summary(false), Now: []partnership.Goal{goalOffsite, goalBudget}}}}
	v := HomeView(h)
	golden(t, "home_roadmap", v)
	ids, _ := buttons(t, v.Blocks.BlockSet[1])
	if !reflect.DeepEqual(ids, []string{ActionHomeAssess, ActionHomeNextSteps, ActionHomePair, ActionHomeAway, ActionWinLog}) {
		t.Errorf("home buttons = %v", ids)
	}
	js := rendered(t, v)
	for _, want := range []string{"“Run the spring offsite end to end”", ":red_circle: stuck", ActionGoalUpdate, `"value":"UADA-UEVE:g2"`} {
		if !strings.Contains(js, want) {
			t.Errorf("home lacks %q:\n%s", want, js)
		}
	}
	h.CanLogWins = false
	if js := rendered(t, HomeView(h)); strings.Contains(js, ActionWinLog) {
		t.Error("Log a win offered to someone who logs none")
	}
}

func progressFixture() partnership.Progress {
	goals := roadmapAE.Goals
	return partnership.NewProgress(pairAE, goals, []partnership.Win{winVenue, winInbox}, t0.Add(-7*24*time.Hour), t0)
}

func TestSummaryRoadmap(t *testing.T) {
	s := summary(true, wishOnes)
	s.Progress = progressFixture()
	golden(t, "summary_roadmap", msg(SummaryMessage(s)))
	js := rendered(t, msg(SummaryMessage(s)))
	for _, want := range []string{
		"*Roadmap* since <!date^", "• *Done:* “Clean up the shared calendar”", "• *Stuck:* “Own the travel budget”",
		"• *New:* “Prepare the board pack” (Next), “Run interviews for the new analyst” (Later)",
		"• *Now, 2 of 3:* “Run the spring offsite end to end” :large_green_circle: on track",
		"*Wins*: 2 wins logged", "“Run the spring offsite end to end” — 1 win", "◦ “Booked the venue under budget”", "_Other_ — 1 win",
	} {
		if !strings.Contains(js, want) {
			t.Errorf("summary lacks %q:\n%s", want, js)
		}
	}
	// Without a roadmap the summary is as before.
	if js := rendered(t, msg(SummaryMessage(summary(true)))); strings.Contains(js, "*Roadmap*") {
		t.Errorf("a pair without a roadmap gets a roadmap part:\n%s", js)
	}
}

func TestScorecardGoalsDone(t *testing.T) {
	c := partnership.Card{Summary: summary(false), WishesOpen: 2, WishesClosed: 1, GoalsDone: 3, CharterAgreed: t0.Add(-48 * time.Hour)}
	golden(t, "scorecard_goals", msg(ScorecardMessage(c, 4)))
	js := rendered(t, msg(ScorecardMessage(c, 4)))
	agreed := "*Charter*\\nAgreed on <!date^" + strconv.FormatInt(c.CharterAgreed.Unix(), 10)
	for _, want := range []string{"*Roadmap*\\n3 goals done this quarter", agreed} {
		if !strings.Contains(js, want) {
			t.Errorf("scorecard lacks %q:\n%s", want, js)
		}
	}
	if js := rendered(t, msg(ScorecardMessage(partnership.Card{Summary: summary(false)}, 0))); strings.Contains(js, "*Charter*") {
		t.Errorf("a pair without a charter in force shows one:\n%s", js)
	}
	for _, g := range roadmapAE.Goals {
		if strings.Contains(js, g.Title) {
			t.Errorf("scorecard shows a goal's text %q", g.Title)
		}
	}
}

func stateOf(values map[string]slack.BlockAction) *slack.ViewState {
	st := &slack.ViewState{Values: map[string]map[string]slack.BlockAction{}}
	for block, a := range values {
		st.Values[block] = map[string]slack.BlockAction{block: a}
	}
	return st
}

func text(v string) slack.BlockAction { return slack.BlockAction{Type: "plain_text_input", Value: v} }
func pick(v string) slack.BlockAction {
	return slack.BlockAction{Type: "static_select", SelectedOption: slack.OptionBlockObject{Value: v}}
}

func TestParseGoalForm(t *testing.T) {
	good := map[string]slack.BlockAction{
		BlockGoalTitle: text("  Run the offsite "), BlockGoalServes: text("Grow"), BlockGoalStage: pick("now"), BlockGoalOwner: pick(eve),
		BlockGoalTarget: {Type: "datepicker", SelectedDate: "2026-12-18"},
	}
	with := func(block string, a slack.BlockAction) map[string]slack.BlockAction {
		m := map[string]slack.BlockAction{}
		for k, v := range good {
			m[k] = v
		}
		m[block] = a
		return m
	}
	tests := []struct {
		name    string
		values  map[string]slack.BlockAction
		want    partnership.GoalDraft
		errKeys []string
	}{
		{"filled in", good, partnership.GoalDraft{Title: "Run the offsite", Serves: "Grow", Stage: partnership.StageNow, Owner: eve, Target: partnership.Date{Year: 2026, Month: 12, Day: 18}}, nil},
		{"no date", with(BlockGoalTarget, slack.BlockAction{Type: "datepicker"}), partnership.GoalDraft{Title: "Run the offsite", Serves: "Grow", Stage: partnership.StageNow, Owner: eve}, nil},
		{"empty title", with(BlockGoalTitle, text("   ")), partnership.GoalDraft{}, []string{BlockGoalTitle}},
		{"forged stage", with(BlockGoalStage, pick("tomorrow")), partnership.GoalDraft{}, []string{BlockGoalStage}},
		{"forged owner", with(BlockGoalOwner, pick("<!channel>")), partnership.GoalDraft{}, []string{BlockGoalOwner}},
		{"forged date", with(BlockGoalTarget, slack.BlockAction{Type: "datepicker", SelectedDate: "soon"}), partnership.GoalDraft{}, []string{BlockGoalTarget}},
		{"title of the wrong type", with(BlockGoalTitle, pick("x")), partnership.GoalDraft{}, []string{BlockGoalTitle}},
		{"nothing", nil, partnership.GoalDraft{}, []string{BlockGoalTitle, BlockGoalStage, BlockGoalOwner}},
	}
	for _, tt := range tests {
		got, errs := ParseGoalForm(stateOf(tt.values))
		var keys []string
		for _, k := range []string{BlockGoalTitle, BlockGoalStage, BlockGoalOwner, BlockGoalTarget} {
			if errs[k] != "" {
				keys = append(keys, k)
			}
		}
		if !reflect.DeepEqual(keys, tt.errKeys) {
			t.Errorf("%s: errors on %v, want %v (%v)", tt.name, keys, tt.errKeys, errs)
		}
		if tt.errKeys == nil && got != tt.want {
			t.Errorf("%s: draft = %+v, want %+v", tt.name, got, tt.want)
		}
	}
	long := strings.Repeat("x", 5000)
	if d, _ := ParseGoalForm(stateOf(with(BlockGoalTitle, text(long)))); len(d.Title) != partnership.MaxGoalTitle {
		t.Errorf("a forged long title kept %d characters", len(d.Title))
	}
	if _, errs := ParseGoalForm(nil); len(errs) == 0 {
		t.Error("no state, no errors")
	}
}

func TestParseGoalUpdate(t *testing.T) {
	radio := func(v string) slack.BlockAction {
		return slack.BlockAction{Type: "radio_buttons", SelectedOption: slack.OptionBlockObject{Value: v}}
	}
	u, errs := ParseGoalUpdate(stateOf(map[string]slack.BlockAction{BlockGoalStage: pick("later"), BlockGoalStatus: radio("stuck"), BlockGoalNote: text(" waiting ")}))
	if len(errs) != 0 || u != (partnership.GoalUpdate{Stage: partnership.StageLater, Status: partnership.GoalStuck, Note: "waiting"}) {
		t.Errorf("ParseGoalUpdate = %+v, %v", u, errs)
	}
	_, errs = ParseGoalUpdate(stateOf(map[string]slack.BlockAction{BlockGoalStage: pick("soon"), BlockGoalStatus: radio("finished")}))
	if errs[BlockGoalStage] == "" || errs[BlockGoalStatus] == "" {
		t.Errorf("forged stage and status: %v", errs)
	}
	u, _ = ParseGoalUpdate(stateOf(map[string]slack.BlockAction{BlockGoalStage: pick("now"), BlockGoalStatus: radio("done"), BlockGoalNote: text(strings.Repeat("n", 900))}))
	if len(u.Note) != partnership.MaxGoalNote {
		t.Errorf("a forged long note kept %d characters", len(u.Note))
	}
}

// A fourth goal in Now is an inline error on the stage; an owner outside
// the pair on the owner.
func TestGoalErrors(t *testing.T) {
	for _, tt := range []struct {
		err   error
		block string
	}{
		{partnership.ErrNowFull, BlockGoalStage},
		{fmt.Errorf("wrapped: %w", partnership.ErrNowFull), BlockGoalStage},
		{partnership.ErrGoalClosed, BlockGoalStage},
		{partnership.ErrGoalOwner, BlockGoalOwner},
		{partnership.ErrGoalTitle, BlockGoalTitle},
	} {
		if got := GoalErrors(tt.err, "msg"); got[tt.block] != "msg" || len(got) != 1 {
			t.Errorf("GoalErrors(%v) = %v, want on %s", tt.err, got, tt.block)
		}
	}
	if got := GoalErrors(partnership.ErrConflict, "msg"); got != nil {
		t.Errorf("GoalErrors(conflict) = %v, want nil (the caller picks)", got)
	}
}

// A win longer than Slack allows is an inline error saying the limit.
func TestParseWinForm(t *testing.T) {
	tests := []struct {
		name     string
		values   map[string]slack.BlockAction
		wantText string
		wantGoal string
		wantErr  map[string]string
	}{
		{"other", map[string]slack.BlockAction{BlockWinText: text(" Booked it "), BlockWinGoal: pick(ValueOther)}, "Booked it", "", nil},
		{"a goal", map[string]slack.BlockAction{BlockWinText: text("Booked it"), BlockWinGoal: pick("g1")}, "Booked it", "g1", nil},
		{"the longest", map[string]slack.BlockAction{BlockWinText: text(strings.Repeat("ü", 3000)), BlockWinGoal: pick(ValueOther)}, strings.Repeat("ü", 3000), "", nil},
		{"one too long", map[string]slack.BlockAction{BlockWinText: text(strings.Repeat("ü", 3001)), BlockWinGoal: pick(ValueOther)}, "", "",
			map[string]string{BlockWinText: "A win can be at most 3,000 characters, the most Slack shows in one message section; this one has 3,001. Shorten it and try again."}},
		{"empty", map[string]slack.BlockAction{BlockWinText: text("  "), BlockWinGoal: pick(ValueOther)}, "", "", map[string]string{BlockWinText: msgWinEmpty}},
		{"forged goal", map[string]slack.BlockAction{BlockWinText: text("x"), BlockWinGoal: pick("g1:UADA-UEVE")}, "x", "", map[string]string{BlockWinGoal: msgWinGoal}},
		{"no goal", map[string]slack.BlockAction{BlockWinText: text("x")}, "x", "", map[string]string{BlockWinGoal: msgWinGoal}},
	}
	for _, tt := range tests {
		text, goal, errs := ParseWinForm(stateOf(tt.values))
		if len(tt.wantErr) == 0 && (text != tt.wantText || goal != tt.wantGoal || len(errs) != 0) {
			t.Errorf("%s: %.20q, %q, %v", tt.name, text, goal, errs)
		}
		if len(tt.wantErr) > 0 && !reflect.DeepEqual(errs, tt.wantErr) {
			t.Errorf("%s: errors %v, want %v", tt.name, errs, tt.wantErr)
		}
	}
}

func TestRoadmapRefs(t *testing.T) {
	for _, idea := range []partnership.GoalIdea{ideaLine, ideaWish} {
		got, err := ParseIdea(EncodeIdea(idea))
		idea.Text = ""
		if err != nil || got != idea {
			t.Errorf("ParseIdea(EncodeIdea(%+v)) = %+v, %v", idea, got, err)
		}
	}
	for _, bad := range []string{"", "x", "w:UADA-UEVE", "w:UADA-UEVE:w1:x", "d:UADA-UEVE:1", "d:UADA-UEVE:4:0000abcd", "d:UADA-UEVE:01:0000abcd",
		"d:UADA-UEVE:1:ABCD0000", "d:UADA:1:0000abcd", "d:UADA-UEVE:1:0000abcd:x", "w:UADA-UEVE:" + strings.Repeat("w", 300)} {
		if _, err := ParseIdea(bad); !errors.Is(err, ErrBadRef) {
			t.Errorf("ParseIdea(%.40q) = %v, want ErrBadRef", bad, err)
		}
	}
	if p, g, err := ParseGoalRef(EncodeGoalRef(pairAE.ID, "g1")); err != nil || p != pairAE.ID || g != "g1" {
		t.Errorf("ParseGoalRef = %q %q %v", p, g, err)
	}
	for _, bad := range []string{"UADA-UEVE", "UADA-UEVE:g1:g2", "<@U1>:g1"} {
		if _, _, err := ParseGoalRef(bad); err == nil {
			t.Errorf("ParseGoalRef(%q) accepted", bad)
		}
	}
	for _, bad := range []string{"UADA-UEVE:n1", "UADA-UEVE:n1:", "UADA-UEVE:n1:g-1", "x:n1:g1"} {
		if _, _, _, err := ParseWinTie(bad); err == nil {
			t.Errorf("ParseWinTie(%q) accepted", bad)
		}
	}
	for _, bad := range []string{"", "{", `{"v":1,"pair":"nope"}`, `{"v":2,"pair":"UADA-UEVE"}`, `{"v":1,"pair":"UADA-UEVE","goal":"g/1"}`, `{"v":1,"pair":"UADA-UEVE","rev":-1}`} {
		if _, err := ParseGoalMeta(bad); !errors.Is(err, ErrBadMetadata) {
			t.Errorf("ParseGoalMeta(%q) = %v", bad, err)
		}
	}
	for _, bad := range []string{`{"v":1,"pair":"UADA-UEVE","ch":"C1"}`, `{"v":1,"pair":"UADA-UEVE","ch":"C1","ts":"1.2","link":"https://evil.test/x"}`,
		`{"v":1,"pair":"UADA-UEVE","ch":"U1","ts":"1.2","link":"https://a.slack.com/archives/U1/p12"}`} {
		if _, err := ParseWinMeta(bad); !errors.Is(err, ErrBadMetadata) {
			t.Errorf("ParseWinMeta(%q) = %v", bad, err)
		}
	}
	for _, tt := range []struct{ domain, channel, ts string }{
		{"Acme", "C1", "1.2"}, {"acme", "U1", "1.2"}, {"acme", "C1", "12"}, {"acme.evil", "C1", "1.2"}, {"acme", "C1", "1.2/../x"},
	} {
		if _, ok := MessageSource(tt.domain, tt.channel, tt.ts); ok {
			t.Errorf("MessageSource(%q, %q, %q) accepted", tt.domain, tt.channel, tt.ts)
		}
	}
}

// Goal titles, notes and wins reach Slack escaped wherever they show.
func TestRoadmapTextIsEscaped(t *testing.T) {
	evil := "Ping <!channel> & <@UEVE|boss>"
	g := goalOffsite
	g.Title, g.Serves = evil, evil
	g.History = append(g.History, partnership.GoalEvent{At: t0, By: eve, Change: partnership.ChangeNote, Note: evil})
	w := winVenue
	w.Text = evil
	r := partnership.Roadmap{Pair: pairAE, Goals: []partnership.Goal{g}}
	s := summary(false)
	s.Progress = partnership.NewProgress(pairAE, r.Goals, []partnership.Win{w}, time.Time{}, t0)
	views := map[string]any{
		"roadmap": RoadmapModal(RoadmapPage{Roadmap: r, Viewer: ada, Ideas: []partnership.GoalIdea{{Pair: pairAE.ID, WishID: "w1", Text: evil}}, Now: t0}),
		"status":  GoalStatusModal(GoalStatusForm{Goal: g, Now: t0}),
		"home":    HomeView(Home{UserID: ada, Now: t0, Pairs: []HomePair{{Pair: pairAE, Summary: s, Now: []partnership.Goal{g}}}}),
		"summary": msg(SummaryMessage(s)),
		"reply":   WinLoggedReply(w, pairAE, []partnership.Goal{g}),
		"logged":  msg(WinLoggedMessage(w, g)),
		"tied":    WinTiedText(g),
		"made":    GoalMadeText(g, true),
	}
	for name, v := range views {
		js := mrkdwnTexts(t, v) // plain_text (buttons, options) shows as typed
		if strings.Contains(js, "<!channel>") || strings.Contains(js, "<@UEVE|boss>") {
			t.Errorf("%s shows user text unescaped:\n%s", name, js)
		}
		if !strings.Contains(js, "&lt;!channel&gt; &amp; &lt;@UEVE|boss&gt;") {
			t.Errorf("%s lacks the escaped text:\n%s", name, js)
		}
	}
}

// mrkdwnTexts is every mrkdwn text in v, and a message's or reply's
// fallback text, one a line.
func mrkdwnTexts(t *testing.T, v any) string {
	t.Helper()
	if s, ok := v.(string); ok {
		return s
	}
	var doc any
	if err := json.Unmarshal([]byte(rendered(t, v)), &doc); err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	if m, ok := doc.(map[string]any); ok {
		if s, ok := m["text"].(string); ok {
			sb.WriteString(s + "\n")
		}
	}
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			if x["type"] == "mrkdwn" {
				s, _ := x["text"].(string)
				sb.WriteString(s + "\n")
			}
			for _, y := range x {
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	walk(doc)
	return sb.String()
}

// The roadmap's views stay within Slack's limits with the largest input
// the bot allows.
func TestRoadmapLimits(t *testing.T) {
	worst := strings.Repeat("&", partnership.MaxGoalTitle)
	var goals []partnership.Goal
	for i := range partnership.MaxOpenGoals + 40 {
		st := []partnership.Stage{partnership.StageNow, partnership.StageNext, partnership.StageLater}[min(i, 2)]
		status := partnership.GoalOnTrack
		if i >= partnership.MaxOpenGoals {
			status = partnership.GoalDone
		}
		g := goalAt(fmt.Sprintf("g%03d", i), worst, st, status, ada, t0.Add(-time.Duration(i)*time.Hour))
		g.Serves = strings.Repeat("&", partnership.MaxGoalServes)
		g.Target = partnership.Date{Year: 2027, Month: 1, Day: 1}
		g.History = append(g.History, partnership.GoalEvent{At: t0, By: eve, Change: partnership.ChangeNote, Note: strings.Repeat("&", partnership.MaxGoalNote)})
		for range 30 {
			g.History = append(g.History, partnership.GoalEvent{At: t0, By: eve, Change: partnership.ChangeStatus, From: "on_track", To: "stuck", Note: strings.Repeat("&", partnership.MaxGoalNote)})
		}
		goals = append(goals, g)
	}
	var ideas []partnership.GoalIdea
	for i := range 20 {
		ideas = append(ideas, partnership.GoalIdea{Pair: pairAE.ID, WishID: fmt.Sprintf("w%d", i), Text: strings.Repeat("&", partnership.MaxItemLen)})
	}
	var wins []partnership.Win
	for i := range 200 {
		wins = append(wins, partnership.Win{ID: fmt.Sprintf("n%d", i), PairID: pairAE.ID, By: ada, Text: strings.Repeat("&", partnership.MaxWinLen), GoalID: goals[i%40].ID, At: t0.Add(-time.Minute)})
	}
	r := partnership.Roadmap{Pair: pairAE, Goals: goals}
	var many []PairOption
	for i := range 150 {
		many = append(many, PairOption{ID: partnership.PairID(fmt.Sprintf("UADA-UE%03d", i)), Label: worst})
	}
	lots := PairChoice{Options: many, Selected: pairAE.ID}
	modals := map[string]slack.ModalViewRequest{
		"roadmap": RoadmapModal(RoadmapPage{Roadmap: r, Viewer: ada, Choice: lots, Ideas: ideas, Now: t0}),
		"add":     GoalModal(GoalForm{Choice: lots, Owners: owners, Stage: partnership.StageNow, Owner: ada}),
		"edit":    GoalModal(GoalForm{Pair: pairAE.ID, Goal: goals[0], Owners: owners}),
		"status":  GoalStatusModal(GoalStatusForm{Goal: goals[0], Now: t0}),
		"win":     WinModal(WinForm{Choice: lots, Goals: goals, Source: partnership.WinSource{Channel: "C1", TS: "1.2", Link: "https://a.slack.com/archives/C1/p12"}}),
	}
	for name, m := range modals {
		if n := len([]rune(m.Title.Text)); n == 0 || n > MaxTitle {
			t.Errorf("%s title %q", name, m.Title.Text)
		}
		if len(m.PrivateMetadata) > MaxMetadata {
			t.Errorf("%s private_metadata is %d bytes", name, len(m.PrivateMetadata))
		}
		checkBlocks(t, name, m.Blocks.BlockSet, MaxViewBlocks)
		checkTexts(t, name, m.Blocks.BlockSet)
	}
	if js := rendered(t, modals["roadmap"]); !strings.Contains(js, "And 35 more before.") {
		t.Errorf("roadmap does not say how many closed goals were left off")
	}
	s := summary(true)
	s.Progress = partnership.NewProgress(pairAE, goals, wins, time.Time{}, t0)
	_, sumBlocks := SummaryMessage(s)
	checkBlocks(t, "summary", sumBlocks, MaxMessageBlocks)
	checkTexts(t, "summary", sumBlocks)
	if js := rendered(t, sumBlocks); !strings.Contains(js, "And 180 more wins") {
		t.Errorf("summary does not say how many wins were left off")
	}
	_, logged := WinLoggedMessage(wins[0], goals[0])
	checkBlocks(t, "win logged", logged, MaxMessageBlocks)
	checkTexts(t, "win logged", logged)
	var whole strings.Builder
	for _, b := range logged[1 : len(logged)-1] {
		whole.WriteString(b.(*slack.SectionBlock).Text.Text)
	}
	if whole.String() != Escape(wins[0].Text) {
		t.Error("the logged win is not shown whole")
	}
	reply := WinLoggedReply(wins[0], pairAE, goals[:3])
	checkTexts(t, "win reply", reply.Blocks)
	if js, _ := json.Marshal(reply); len(js) >= 20_000 {
		t.Errorf("win reply is %d bytes; a Socket Mode ack must stay under 20 KB", len(js))
	}
	var pairs []HomePair
	for i := range 30 {
		p := partnership.Pair{ID: partnership.PairID(fmt.Sprintf("UADA-UE%03d", i)), Assistant: ada, Executive: fmt.Sprintf("UE%03d", i)}
		now := slices.Clone(goals[:3])
		for j := range now {
			now[j].PairID = p.ID
		}
		pairs = append(pairs, HomePair{Pair: p, Summary: s, Now: now})
	}
	home := HomeView(Home{UserID: ada, Now: t0, CanLogWins: true, Pairs: pairs})
	checkBlocks(t, "home", home.Blocks.BlockSet, MaxViewBlocks)
	checkTexts(t, "home", home.Blocks.BlockSet)
	if js := rendered(t, home); !strings.Contains(js, "*Now:* 3 goals.") {
		t.Errorf("a crowded Home does not count what it left off")
	}
}

// checkTexts checks the length of every text Slack bounds: sections,
// context elements, buttons, options.
func checkTexts(t *testing.T, name string, blocks []slack.Block) {
	t.Helper()
	js, err := json.Marshal(blocks)
	if err != nil {
		t.Fatal(err)
	}
	var bs []map[string]any
	if err := json.Unmarshal(js, &bs); err != nil {
		t.Fatal(err)
	}
	textOf := func(v any) string {
		m, _ := v.(map[string]any)
		s, _ := m["text"].(string)
		return s
	}
	check := func(what string, v any, limit int) {
		if n := len([]rune(textOf(v))); n > limit {
			t.Errorf("%s: %s of %d characters, over %d", name, what, n, limit)
		}
	}
	for _, b := range bs {
		check("section", b["text"], maxSectionText)
		if el, ok := b["elements"].([]any); ok {
			for _, e := range el {
				em, _ := e.(map[string]any)
				if b["type"] == "context" {
					check("context element", e, maxSectionText)
				}
				check("button", em["text"], maxButtonText)
				for _, o := range asList(em["options"]) {
					check("option", o.(map[string]any)["text"], maxOptionText)
				}
			}
		}
		if acc, ok := b["accessory"].(map[string]any); ok {
			check("accessory", acc["text"], maxButtonText)
		}
		if el, ok := b["element"].(map[string]any); ok {
			for _, o := range asList(el["options"]) {
				check("option", o.(map[string]any)["text"], maxOptionText)
			}
		}
	}
}

func asList(v any) []any { l, _ := v.([]any); return l }
