package slackui

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/schedule"
	"github.com/slack-go/slack"
)

func TestCheckinMessage(t *testing.T) {
	p := partnership.Pair{ID: "UA-UE", Assistant: "UA", Executive: "UE"}
	for _, kind := range []CheckinKind{CheckinWeekly, CheckinReminder, CheckinSnoozed} {
		text, blocks := CheckinMessage(Checkin{Pair: p, To: "UE", Kind: kind, Round: t0, At: t0.Add(6 * time.Hour), Zone: "America/New_York", Reflection: "Respect and trust"})
		golden(t, "checkin_"+string(kind), map[string]any{"text": text, "blocks": blocks})
		js, _ := json.Marshal(blocks)
		ref := `"value":"UA-UE|` + strconv.FormatInt(t0.UnixMilli(), 10) + `"`
		// The buttons name the round; the footer is the member's own moment,
		// in their own time where Slack cannot draw the date.
		own := "Check-in of \\u003c!date^" + strconv.FormatInt(t0.Add(6*time.Hour).Unix(), 10) + "^{date_short_pretty} at {time}|" +
			t0.Add(6*time.Hour).In(mustZone(t, "America/New_York")).Format("2006-01-02 15:04 MST") + "\\u003e, your time"
		for _, want := range []string{"Respect and trust", ActionCheckinAssess, ActionCheckinSkip, ActionCheckinSnooze, ref, "\\u003c@UA\\u003e", own} {
			if !strings.Contains(string(js), want) {
				t.Errorf("%s check-in lacks %q", kind, want)
			}
		}
		if strings.Contains(text, "<@") {
			t.Errorf("notification text %q holds a mention", text)
		}
	}
}

func TestCheckinRef(t *testing.T) {
	for _, tt := range []struct {
		in      string
		pair    partnership.PairID
		round   time.Time
		wantErr bool
	}{
		{EncodeCheckinRef("UA-UE", t0), "UA-UE", t0, false},
		{"UA-UE", "UA-UE", time.Time{}, false}, // a button from before rounds were named
		{"UA-UE|", "", time.Time{}, true},
		{"UA-UE|-5", "", time.Time{}, true},
		{"UA-UE|0012", "", time.Time{}, true},
		{"UA-UE|12|13", "", time.Time{}, true},
		{"ua-ue|12", "", time.Time{}, true},
		{"UA-UE|99999999999999999999", "", time.Time{}, true},
	} {
		pair, round, err := ParseCheckinRef(tt.in)
		if pair != tt.pair || !round.Equal(tt.round) || (err != nil) != tt.wantErr {
			t.Errorf("ParseCheckinRef(%q) = %q, %v, %v; want %q, %v, error %v", tt.in, pair, round, err, tt.pair, tt.round, tt.wantErr)
		}
	}
}

func TestScheduleModalRoundTrip(t *testing.T) {
	m := ScheduleModal(ScheduleSettings{Day: "FRI", Time: "08:30", Paused: true, Assess: ValueAssessWeekly, Current: "Fridays 08:30"}, PairChoice{Selected: "UA-UE"})
	golden(t, "schedule_modal", m)
	if radio, ok := inputs(m.Blocks.BlockSet)[BlockAssess].Element.(*slack.RadioButtonsBlockElement); !ok || radio.InitialOption.Value != ValueAssessWeekly || len(radio.Options) != 3 {
		t.Errorf("the assessment's cadence in the modal = %#v", inputs(m.Blocks.BlockSet)[BlockAssess])
	}
	weekly := &slack.ViewState{Values: map[string]map[string]slack.BlockAction{
		BlockDay: {ActionDay: {SelectedOption: slack.OptionBlockObject{Value: "MON"}}}, BlockTime: {ActionTime: {SelectedTime: "09:00"}},
		BlockAssess: {ActionAssess: {SelectedOption: slack.OptionBlockObject{Value: ValueAssessRequest}}}}}
	if c, _ := ParseSchedule(weekly); c.Assess != ValueAssessRequest {
		t.Errorf("cadence = %q, want request", c.Assess)
	}
	if n := len([]rune(m.Title.Text)); n > MaxTitle {
		t.Errorf("title has %d characters", n)
	}
	if id, err := ParseScheduleMeta(m.PrivateMetadata); err != nil || id != "UA-UE" {
		t.Errorf("meta = %q, %v", id, err)
	}
	state := func(day, clock string, pause bool) *slack.ViewState {
		st := &slack.ViewState{Values: map[string]map[string]slack.BlockAction{
			BlockDay:  {ActionDay: {SelectedOption: slack.OptionBlockObject{Value: day}}},
			BlockTime: {ActionTime: {SelectedTime: clock}},
		}}
		if pause {
			st.Values[BlockPause] = map[string]slack.BlockAction{ActionPause: {SelectedOptions: []slack.OptionBlockObject{{Value: ValuePause}}}}
		}
		return st
	}
	tests := []struct {
		st       *slack.ViewState
		spec     string
		paused   bool
		errBlock string
	}{
		{state("FRI", "08:30", false), "30 8 * * FRI", false, ""},
		{state("MON", "00:00", true), "0 0 * * MON", true, ""},
		{state("FUNDAY", "08:30", false), "", false, BlockDay},
		{state("MON", "8:30", false), "", false, BlockTime},
		{state("MON", "24:00", false), "", false, BlockTime},
		{state("MON", "", false), "", false, BlockTime},
		{nil, "", false, BlockDay},
	}
	for _, tt := range tests {
		c, errs := ParseSchedule(tt.st)
		spec, paused := c.Spec, c.Paused
		if c.Assess != ValueAssessMonthly {
			t.Errorf("ParseSchedule cadence = %q, want monthly when none is picked", c.Assess)
		}
		if spec != tt.spec || paused != tt.paused || (tt.errBlock == "") != (len(errs) == 0) || (tt.errBlock != "" && errs[tt.errBlock] == "") {
			t.Errorf("ParseSchedule = %q %v %v, want %q %v error on %q", spec, paused, errs, tt.spec, tt.paused, tt.errBlock)
		}
		if spec != "" {
			day, clock, ok := WeeklyFields(spec)
			if !ok || day != tt.st.Values[BlockDay][ActionDay].SelectedOption.Value || clock != tt.st.Values[BlockTime][ActionTime].SelectedTime {
				t.Errorf("WeeklyFields(%q) = %s %s %v", spec, day, clock, ok)
			}
		}
	}
	for _, s := range []string{"@weekly", "0 9 1 * MON", "0 9 * * MON-FRI", "61 9 * * MON"} {
		if _, _, ok := WeeklyFields(s); ok {
			t.Errorf("WeeklyFields(%q) ok", s)
		}
	}
}

func TestAwayModal(t *testing.T) {
	m := AwayModal(t1)
	golden(t, "away_modal", m)
	for _, tt := range []struct {
		st   *slack.ViewState
		want string
		ok   bool
	}{
		{&slack.ViewState{Values: map[string]map[string]slack.BlockAction{BlockAwayUntil: {ActionAwayDate: {SelectedDate: "2026-12-28"}}}}, "2026-12-28", true},
		{&slack.ViewState{Values: map[string]map[string]slack.BlockAction{BlockAwayUntil: {ActionAwayDate: {SelectedDate: "28/12/2026"}}}}, "", false},
		{nil, "", false},
	} {
		got, errs := ParseAway(tt.st)
		if got != tt.want || (len(errs) == 0) != tt.ok {
			t.Errorf("ParseAway = %q %v, want %q ok=%v", got, errs, tt.want, tt.ok)
		}
	}
}

// What people read of schedules: words, never cron, @every or the
// operator's variable names; each member's own time unless a zone was named.
func TestScheduleWords(t *testing.T) {
	weekly, _ := schedule.Parse("0 9 * * MON")
	p := partnership.Pair{ID: "UA-UE", Assistant: "UA", Executive: "UE"}
	next := map[string]time.Time{"UA": t0, "UE": t0.Add(6 * time.Hour)}
	for _, tt := range []struct {
		got, want string
	}{
		{ScheduleWords(weekly, ""), "Mondays at 09:00, your time"},
		{ScheduleWords(weekly, "Europe/Paris"), "Mondays at 09:00, Europe/Paris time"},
		{Interval(24 * time.Hour), "1 day"},
		{Interval(36 * time.Hour), "36 hours"},
		{Interval(90 * time.Minute), "90 minutes"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
	text := ScheduledText(p, "UA", weekly, "", next)
	for _, want := range []string{"Check-ins with <@UE> now come mondays at 09:00, your time: each of you in your own time zone.",
		"yours <!date^" + strconv.FormatInt(t0.Unix(), 10), "<@UE>’s <!date^" + strconv.FormatInt(t0.Add(6*time.Hour).Unix(), 10)} {
		if !strings.Contains(text, want) {
			t.Errorf("scheduled text %q lacks %q", text, want)
		}
	}
	modal := rendered(t, ScheduleModal(ScheduleSettings{Day: "MON", Time: "09:00", Current: ScheduleWords(weekly, "")}, PairChoice{Selected: "UA-UE"}))
	for _, shown := range []string{text, modal, rendered(t, HelpReply("", t0))} {
		for _, never := range []string{"* *", "@every", "@weekly", "CHECKIN_", "MIN_INTERVAL"} {
			if strings.Contains(shown, never) {
				t.Errorf("%q shown to people in %s", never, shown)
			}
		}
	}
	// Help's example date is two weeks from today, not a date in the past.
	if help := rendered(t, HelpReply("", t0)); !strings.Contains(help, "away until "+t0.AddDate(0, 0, 14).Format("2006-01-02")) {
		t.Errorf("help does not compute its example date:\n%s", help)
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestProgressModal(t *testing.T) {
	p := partnership.Pair{ID: "UA-UE", Assistant: "UA", Executive: "UE"}
	m := ProgressModal(Progress{Pair: p, User: "UA", Round: t0, Prompt: "Respect and trust",
		Answered: partnership.Reflection{Text: "We talked it through", Shared: true, PlanChange: "Move the 1:1"}})
	golden(t, "progress_modal", m)
	if n := len([]rune(m.Title.Text)); n > MaxTitle {
		t.Errorf("title has %d characters", n)
	}
	js := rendered(t, m)
	for _, want := range []string{"Respect and trust", "with <@UE>", "It stays yours unless you tick the box", "Your partner sees this", "We talked it through", "Move the 1:1"} {
		if !strings.Contains(js, want) {
			t.Errorf("progress modal lacks %q:\n%s", want, js)
		}
	}
	meta, err := ParseProgressMeta(m.PrivateMetadata)
	if err != nil || meta.Pair != "UA-UE" || !meta.Round.Equal(t0) || len(meta.Shown) != 0 {
		t.Errorf("ParseProgressMeta = %+v %v", meta, err)
	}
	for _, bad := range []string{"", "{}", `{"v":1,"pair":"UA-UE"}`, `{"v":1,"pair":"x","round":5}`, `{"v":2,"pair":"UA-UE","round":5}`,
		`{"v":1,"pair":"UA-UE","round":5,"goals":[{"id":"g|1","s":"stuck"}]}`,
		`{"v":1,"pair":"UA-UE","round":5,"goals":[{"id":"g1"},{"id":"g2"},{"id":"g3"},{"id":"g4"}]}`} {
		if _, err := ParseProgressMeta(bad); err == nil {
			t.Errorf("ParseProgressMeta(%q) accepted", bad)
		}
	}
	st := &slack.ViewState{Values: map[string]map[string]slack.BlockAction{
		BlockReflection:      {ActionReflection: {Value: "  " + strings.Repeat("x", 2000) + " "}},
		BlockReflectionShare: {ActionReflectionShare: {SelectedOptions: []slack.OptionBlockObject{{Value: ValueReflectionShare}}}},
		BlockPlanChange:      {ActionPlanChange: {Value: " less travel "}},
	}}
	ans := ParseProgress(st, meta)
	if len(ans.Reflection) != partnership.MaxReflectionLen || !ans.Shared || ans.PlanChange != "less travel" || len(ans.Goals) != 0 {
		t.Errorf("ParseProgress = %d chars, %v, %q, %v", len(ans.Reflection), ans.Shared, ans.PlanChange, ans.Goals)
	}
	if ans := ParseProgress(nil, meta); ans.Reflection != "" || ans.Shared || ans.PlanChange != "" {
		t.Error("ParseProgress(nil) read something")
	}
	// The check-in DM: progress first, except in the month's assessment round.
	for _, assess := range []bool{false, true} {
		_, blocks := CheckinMessage(Checkin{Pair: p, To: "UA", Kind: CheckinWeekly, Round: t0, At: t0, Reflection: "Respect and trust", Assess: assess})
		ids, _ := buttons(t, blocks[2].(*slack.ActionBlock))
		want := []string{ActionCheckinProgress, ActionCheckinAssess}
		if assess {
			want = []string{ActionCheckinAssess, ActionCheckinProgress}
		}
		if ids[0] != want[0] || ids[1] != want[1] {
			t.Errorf("assess %v: buttons %v, want %v first", assess, ids, want)
		}
	}
}

// The progress check-in asks a status and a note for each goal in Now,
// each starting at the goal's status, and reads them back against what it
// showed.
func TestProgressModalGoals(t *testing.T) {
	m := ProgressModal(Progress{Pair: pairAE, User: ada, Round: t0, Prompt: "Respect and trust",
		Now: []partnership.Goal{goalOffsite, goalBudget}, Wins: []partnership.Win{winVenue, winInbox}})
	golden(t, "progress_modal_goals", m)
	js := rendered(t, m)
	for _, want := range []string{"Your goals in Now", goalOffsite.Title, goalBudget.Title, "Booked the venue under budget", "2 wins",
		`"block_id":"` + BlockProgressStatus("g1") + `"`, `"initial_option":{"text":{"type":"plain_text","text":"Stuck"`} {
		if !strings.Contains(js, want) {
			t.Errorf("progress modal lacks %q:\n%s", want, js)
		}
	}
	meta, err := ParseProgressMeta(m.PrivateMetadata)
	if err != nil || len(meta.Shown) != 2 || meta.Shown[0] != (partnership.GoalCheck{GoalID: "g1", Shown: partnership.GoalOnTrack}) ||
		meta.Shown[1] != (partnership.GoalCheck{GoalID: "g2", Shown: partnership.GoalStuck}) {
		t.Fatalf("ParseProgressMeta = %+v %v", meta, err)
	}
	for _, tt := range []struct {
		name   string
		values map[string]map[string]slack.BlockAction
		want   []partnership.GoalCheck
	}{
		{"untouched", nil, []partnership.GoalCheck{
			{GoalID: "g1", Shown: partnership.GoalOnTrack, Status: partnership.GoalOnTrack},
			{GoalID: "g2", Shown: partnership.GoalStuck, Status: partnership.GoalStuck}}},
		{"one moved, one noted", map[string]map[string]slack.BlockAction{
			BlockProgressStatus("g1"): {ActionProgressStatus: {SelectedOption: slack.OptionBlockObject{Value: "done"}}},
			BlockProgressStatus("g2"): {ActionProgressStatus: {SelectedOption: slack.OptionBlockObject{Value: "stuck"}}},
			"progress_note:g2":        {ActionProgressNote: {Value: "  finance said next week "}},
		}, []partnership.GoalCheck{
			{GoalID: "g1", Shown: partnership.GoalOnTrack, Status: partnership.GoalDone},
			{GoalID: "g2", Shown: partnership.GoalStuck, Status: partnership.GoalStuck, Note: "finance said next week"}}},
		{"a forged status is left as shown", map[string]map[string]slack.BlockAction{
			BlockProgressStatus("g1"): {ActionProgressStatus: {SelectedOption: slack.OptionBlockObject{Value: "exploded"}}},
		}, []partnership.GoalCheck{
			{GoalID: "g1", Shown: partnership.GoalOnTrack, Status: partnership.GoalOnTrack},
			{GoalID: "g2", Shown: partnership.GoalStuck, Status: partnership.GoalStuck}}},
	} {
		got := ParseProgress(&slack.ViewState{Values: tt.values}, meta).Goals
		if len(got) != len(tt.want) {
			t.Errorf("%s: goals %+v, want %+v", tt.name, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%s: goal %d = %+v, want %+v", tt.name, i, got[i], tt.want[i])
			}
		}
	}
}

// The check-in DM reviews the week: the assistant's goals in Now and wins;
// the executive's digest; the charter's review in the week it is due.
func TestCheckinContent(t *testing.T) {
	assistant := Checkin{Pair: pairAE, To: ada, Kind: CheckinWeekly, Round: t0, At: t0, Reflection: "Respect and trust",
		Content: partnership.CheckinContent{Now: []partnership.Goal{goalOffsite, goalBudget}, Wins: []partnership.Win{winVenue, winInbox}}}
	text, blocks := CheckinMessage(assistant)
	golden(t, "checkin_content_assistant", map[string]any{"text": text, "blocks": blocks})
	js, _ := json.Marshal(blocks)
	for _, want := range []string{"Your goals in Now* (2 of 3)", goalOffsite.Title, ActionGoalUpdate, "Booked the venue under budget"} {
		if !strings.Contains(string(js), want) {
			t.Errorf("assistant's check-in lacks %q", want)
		}
	}
	if strings.Contains(string(js), ActionCharterStillHolds) {
		t.Error("a check-in asks for a review that is not due")
	}
	exec := Checkin{Pair: pairAE, To: eve, Kind: CheckinWeekly, Round: t0, At: t0, Reflection: "Respect and trust",
		Content: partnership.CheckinContent{Now: []partnership.Goal{goalOffsite, goalBudget}, Wins: []partnership.Win{winVenue, winInbox}, ReviewDue: true,
			Digest: &partnership.Digest{
				ByGoal:         []partnership.WinGroup{{Goal: goalOffsite, Wins: []partnership.Win{winVenue}}, {Other: true, Wins: []partnership.Win{winInbox}}},
				Stuck:          []partnership.Goal{goalBudget},
				CharterWaiting: 2, WishesOpen: 1,
				PlanChanges: []partnership.Reflection{{User: ada, PlanChange: "Move the 1:1 to Mondays"}},
			}}}
	text, blocks = CheckinMessage(exec)
	golden(t, "checkin_content_executive", map[string]any{"text": text, "blocks": blocks})
	js, _ = json.Marshal(blocks)
	for _, want := range []string{"Wins toward", "Stuck: “Own the travel budget”", "Version 2 of your charter", "1 wish addressed to you is open",
		"Move the 1:1 to Mondays", "quarterly review is due", ActionCharterStillHolds, ActionCharterOpen} {
		if !strings.Contains(string(js), want) {
			t.Errorf("executive's check-in lacks %q:\n%s", want, js)
		}
	}
	if strings.Contains(string(js), "Your wins since") {
		t.Error("the executive's check-in lists the wins outside the digest")
	}
	if n := len(blocks); n > 50 {
		t.Errorf("check-in has %d blocks", n)
	}
}
