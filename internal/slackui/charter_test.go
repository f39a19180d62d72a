package slackui

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/slack-go/slack"
)

func charterTerms() partnership.CharterTerms {
	t := partnership.CharterTerms{
		AssistantExpects: []string{"Tell me the week's priorities on Monday", "Answer travel questions within a day"},
		ExecutiveExpects: []string{"Guard my focus mornings"},
		Channel:          "Slack DM; email for anything formal", Cadence: "Monday 1:1, 30 minutes",
		Decisions: []partnership.Decision{{Kind: "Travel under $500", Right: partnership.Decide}, {Kind: "Declining meetings", Right: partnership.DecideAndTell}, {Kind: "Hiring", Right: partnership.AskFirst}},
		Goals:     [partnership.NumGoals]string{"Close the Series B", "Hire a head of sales"},
	}
	for i := range t.Tasks {
		t.Tasks[i] = partnership.Ownerships()[i%5]
	}
	return t
}

func charterV(n int, by string, at time.Time, t partnership.CharterTerms, accepted ...partnership.Acceptance) partnership.CharterVersion {
	return partnership.CharterVersion{Number: n, CharterTerms: t, DraftedBy: by, DraftedAt: at,
		Accepted: append([]partnership.Acceptance{{By: by, At: at}}, accepted...)}
}

// charterFixture: version 1 agreed at t0, version 2 drafted by Eve a week
// later, waiting for Ada.
func charterFixture() partnership.Charter {
	v1 := charterV(1, ada, t0, charterTerms(), partnership.Acceptance{By: eve, At: t0.Add(time.Hour)})
	t2 := charterTerms()
	t2.ExecutiveExpects = append(t2.ExecutiveExpects, "Flag conflicts before they happen")
	t2.Tasks[6] = partnership.ChiefOfStaff
	v2 := charterV(2, eve, t1, t2)
	return partnership.Charter{Pair: pairAE.ID, Versions: []partnership.CharterVersion{v1, v2}}
}

// charterState builds the state of a charter the way State does.
func charterState(c partnership.Charter, now time.Time) partnership.CharterState {
	return c.State(pairAE, now)
}

// charterInputs builds view state for the charter form.
func charterInputs(texts map[string]string, selects map[string]string) *slack.ViewState {
	st := &slack.ViewState{Values: map[string]map[string]slack.BlockAction{}}
	for b, v := range texts {
		st.Values[b] = map[string]slack.BlockAction{ActionCharterText: {Type: "plain_text_input", Value: v}}
	}
	for b, v := range selects {
		action := ActionCharterTask
		if strings.HasPrefix(b, "charter_right_") {
			action = ActionCharterRight
		}
		st.Values[b] = map[string]slack.BlockAction{action: {Type: "static_select", SelectedOption: slack.OptionBlockObject{Value: v}}}
	}
	return st
}

func fullCharterInputs() (map[string]string, map[string]string) {
	texts := map[string]string{
		BlockCharterAssistantExpects: "Tell me the week's priorities on Monday\n\n  Answer travel questions within a day  \n",
		BlockCharterExecutiveExpects: "Guard my focus mornings",
		BlockCharterChannel:          "Slack DM; email for anything formal",
		BlockCharterCadence:          "Monday 1:1, 30 minutes",
		BlockCharterDecision(1):      "Travel under $500",
		BlockCharterDecision(2):      "Declining meetings",
		BlockCharterDecision(4):      "Hiring",
		BlockCharterGoal(1):          "Close the Series B",
		BlockCharterGoal(2):          "Hire a head of sales",
	}
	selects := map[string]string{
		BlockCharterRight(1): string(partnership.Decide),
		BlockCharterRight(2): string(partnership.DecideAndTell),
		BlockCharterRight(4): string(partnership.AskFirst),
		BlockCharterRight(6): string(partnership.AskFirst), // no kind: ignored
	}
	for i := range assessment.NumTaskAreas {
		selects[BlockCharterTask(i+1)] = string(partnership.Ownerships()[i%5])
	}
	return texts, selects
}

func TestCharterModal(t *testing.T) {
	c := charterFixture()
	pending, _ := c.Pending()
	st := charterState(c, t1)
	m := CharterModal(pairAE, ada, CharterForm{Terms: pending.CharterTerms, Base: 2, State: st}, PairChoice{})
	golden(t, "charter_modal", m)
	empty := CharterModal(pairAS, sam, CharterForm{}, choice)
	golden(t, "charter_modal_executive_pairs", empty)
	for name, v := range map[string]slack.ModalViewRequest{"pre-filled": m, "empty": empty} {
		if n := len([]rune(v.Title.Text)); n > MaxTitle {
			t.Errorf("%s: title %q over %d characters", name, v.Title.Text, MaxTitle)
		}
		checkBlocks(t, name, v.Blocks.BlockSet, MaxViewBlocks)
		for id, in := range inputs(v.Blocks.BlockSet) {
			if !in.Optional {
				t.Errorf("%s: input %s is required: Slack would refuse an empty charter without saying what is missing", name, id)
			}
		}
	}
	if _, ok := inputs(empty.Blocks.BlockSet)[BlockCharterTask(9)]; !ok {
		t.Error("the form lacks the ninth task area")
	}
	if id, base, err := ParseCharterMeta(m.PrivateMetadata); err != nil || id != pairAE.ID || base != 2 {
		t.Errorf("ParseCharterMeta = %s, %d, %v", id, base, err)
	}
	js := rendered(t, m)
	for _, want := range []string{assessment.DefineRoles, assessment.DistinctExpectations, "Finances", "Preparing and sometimes approving vouchers",
		"What you expect of your executive", "Guard my focus mornings", `"initial_value":"Tell me the week's priorities on Monday\nAnswer travel questions within a day"`,
		"Version 2, drafted by <@UEVE>, waits for you", "Save it unchanged to accept it", "Flag conflicts before they happen"} {
		if !strings.Contains(js, want) {
			t.Errorf("charter form lacks %q", want)
		}
	}
	if js := rendered(t, empty); !strings.Contains(js, "What your assistant expects of you") || !strings.Contains(js, "Which partnership?") || !strings.Contains(js, "Your top three goals") {
		t.Errorf("the executive's form with two pairs:\n%s", js)
	}
	// A save that lost a race: the version saved meanwhile above the
	// user's own edits.
	changed := CharterModal(pairAE, ada, CharterForm{Terms: charterTerms(), Base: 2, State: st, Changed: pending}, PairChoice{})
	golden(t, "charter_modal_changed", changed)
	if js := rendered(t, changed); !strings.Contains(js, "saved version 2 while you were editing") || !strings.Contains(js, "saving makes them version 3") {
		t.Errorf("the form after a lost race does not say so:\n%s", js)
	}
}

func TestParseCharter(t *testing.T) {
	texts, selects := fullCharterInputs()
	got, errs := ParseCharter(charterInputs(texts, selects))
	if errs != nil {
		t.Fatalf("full form errors = %v", errs)
	}
	want := charterTerms()
	want.Decisions = want.Decisions[:3]
	if !got.Clean().Equal(want) {
		t.Errorf("ParseCharter = %+v\nwant %+v", got, want)
	}
	keys := func(m map[string]string) []string {
		var out []string
		for k := range m {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	with := func(change func(texts, selects map[string]string)) *slack.ViewState {
		texts, selects := fullCharterInputs()
		change(texts, selects)
		return charterInputs(texts, selects)
	}
	allAreas := []string{}
	for i := range assessment.NumTaskAreas {
		allAreas = append(allAreas, BlockCharterTask(i+1))
	}
	tests := []struct {
		name  string
		state *slack.ViewState
		want  map[string]string // keys and messages
	}{
		{"empty form", charterInputs(nil, nil), nil},
		{"nil state", nil, nil},
		{"six expectations", with(func(t, _ map[string]string) { t[BlockCharterExecutiveExpects] = "a\nb\nc\nd\ne\nf" }),
			map[string]string{BlockCharterExecutiveExpects: "Up to 5 lines, one thing per line: this has 6."}},
		{"a kind without its right", with(func(t, _ map[string]string) { t[BlockCharterDecision(3)] = "Gifts" }),
			map[string]string{BlockCharterRight(3): msgCharterRight}},
		{"a forged right", with(func(_, s map[string]string) { s[BlockCharterRight(1)] = "anything" }),
			map[string]string{BlockCharterRight(1): msgCharterRight}},
		{"a task area unanswered", with(func(_, s map[string]string) { delete(s, BlockCharterTask(7)) }),
			map[string]string{BlockCharterTask(7): "Choose who has Finances: “Not part of this role” is an answer too."}},
		{"a forged task answer", with(func(_, s map[string]string) { s[BlockCharterTask(1)] = "the intern" }),
			map[string]string{BlockCharterTask(1): "Choose who has Information Flow: “Not part of this role” is an answer too."}},
		{"no way of communicating", with(func(t, _ map[string]string) { t[BlockCharterChannel], t[BlockCharterCadence] = " ", "" }),
			map[string]string{BlockCharterChannel: msgCharterCommunication}},
		{"one side's expectations are enough", with(func(t, _ map[string]string) { delete(t, BlockCharterAssistantExpects) }), map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := ParseCharter(tt.state)
			if tt.want == nil { // empty: everything required is named
				wantKeys := append([]string{BlockCharterAssistantExpects, BlockCharterChannel}, allAreas...)
				slices.Sort(wantKeys)
				if got := keys(errs); !reflect.DeepEqual(got, wantKeys) {
					t.Errorf("errors on %v, want %v", got, wantKeys)
				}
				if errs[BlockCharterAssistantExpects] != msgCharterExpectations {
					t.Errorf("expectations error = %q", errs[BlockCharterAssistantExpects])
				}
				return
			}
			if len(tt.want) == 0 && errs == nil {
				return
			}
			if !reflect.DeepEqual(errs, tt.want) {
				t.Errorf("errors = %v, want %v", errs, tt.want)
			}
		})
	}

	// Oversized text is cut to its bounds; an input of another type is ignored.
	long := strings.Repeat("🚀", 5000)
	st := with(func(t, _ map[string]string) {
		t[BlockCharterChannel], t[BlockCharterDecision(1)], t[BlockCharterGoal(3)] = long, long, long
		t[BlockCharterAssistantExpects] = long + "\n" + long
	})
	st.Values[BlockCharterCadence] = map[string]slack.BlockAction{ActionCharterText: {Type: "datepicker", Value: "2026-01-01"}}
	got, errs = ParseCharter(st)
	if errs != nil {
		t.Fatalf("long text: errors %v", errs)
	}
	for name, tt := range map[string]struct {
		s string
		n int
	}{
		"channel": {got.Channel, partnership.MaxCommunication}, "decision": {got.Decisions[0].Kind, partnership.MaxDecisionKind},
		"goal": {got.Goals[2], partnership.MaxCharterLine}, "expectation": {got.AssistantExpects[1], partnership.MaxCharterLine},
	} {
		if n := len([]rune(tt.s)); n != tt.n {
			t.Errorf("%s has %d runes, want %d", name, n, tt.n)
		}
	}
	if got.Cadence != "" {
		t.Errorf("a datepicker was read as the cadence: %q", got.Cadence)
	}
}

func TestParseCharterMetaRejects(t *testing.T) {
	for _, s := range []string{"", "{", `{"v":2,"pair":"UADA-UEVE","base":1}`, `{"v":1,"pair":"UADA-UEVE","base":-1}`,
		`{"v":1,"pair":"UADA-UEVE","base":99999999}`, `{"v":1,"pair":"UADA","base":1}`, `{"v":1,"pair":"UADA-UEVE-UX","base":1}`,
		`{"v":1,"pair":"UADA-UEVE","base":1,` + strings.Repeat(" ", 3000) + `}`} {
		if _, _, err := ParseCharterMeta(s); !errors.Is(err, ErrBadMetadata) {
			t.Errorf("ParseCharterMeta(%.40q) = %v, want ErrBadMetadata", s, err)
		}
	}
}

func TestCharterRef(t *testing.T) {
	ref := EncodeCharterRef(pairAE.ID, 12)
	if id, n, err := ParseCharterRef(ref); err != nil || id != pairAE.ID || n != 12 {
		t.Errorf("ParseCharterRef(%q) = %s, %d, %v", ref, id, n, err)
	}
	for _, bad := range []string{"", "UADA-UEVE", "UADA-UEVE|", "UADA-UEVE|-1", "UADA-UEVE|01", "UADA-UEVE|1|2", "UADA-UEVE|x",
		"UX|1", "UADA-UEVE-UX|1", "UADA-UEVE|" + strings.Repeat("9", 200)} {
		if _, _, err := ParseCharterRef(bad); !errors.Is(err, ErrBadCharterRef) {
			t.Errorf("ParseCharterRef(%.30q) = %v, want ErrBadCharterRef", bad, err)
		}
	}
}

func TestCharterCard(t *testing.T) {
	c := charterFixture()
	v1, v2 := c.Versions[0], c.Versions[1]
	card := msg(CharterCard(pairAE, v2, v1))
	golden(t, "charter_card", card)
	js := rendered(t, card)
	for _, want := range []string{"<@UEVE> drafted version 2 of your partnership charter", "Version 1 stays in force until you accept",
		"Changed: what you expect of each other; who has Finances.", `"value":"UADA-UEVE|2"`, ActionCharterAccept, ActionCharterReview,
		"• Finances: a chief of staff has it", "• Travel under $500: _decide_", "<@UEVE>’s top goals for the quarter"} {
		if !strings.Contains(js, want) {
			t.Errorf("charter card lacks %q:\n%s", want, js)
		}
	}
	answered := msg(CharterCardAnswered(pairAE, v2, Outcome{What: "In force: accepted", By: ada, At: t1.Add(time.Hour)}))
	golden(t, "charter_card_answered", answered)
	if js := rendered(t, answered); strings.Contains(js, ActionCharterAccept) || !strings.Contains(js, "In force: accepted by <@UADA> on") {
		t.Errorf("answered card:\n%s", js)
	}
	first := rendered(t, msg(CharterCard(pairAE, v1, partnership.CharterVersion{})))
	if strings.Contains(first, "stays in force") || strings.Contains(first, "Changed:") {
		t.Errorf("a first version's card speaks of a version in force:\n%s", first)
	}
	checkBlocks(t, "charter card", card.Blocks, MaxMessageBlocks)
}

func TestCharterViewAndHistory(t *testing.T) {
	c := charterFixture()
	// A quarter after version 1: its review is due; Eve confirmed.
	now := t0.AddDate(0, 3, -2)
	c.Reviews = []partnership.CharterReview{{Version: 1, Due: partnership.AddQuarter(t0.Add(time.Hour)), Confirmed: []partnership.Acceptance{{By: eve, At: now}}}}
	v := CharterView(pairAE, c, ada, now)
	golden(t, "charter_view", v)
	js := rendered(t, v)
	for _, want := range []string{"*In force: version 1*", "*Waiting: version 2*", "Accept version 2", "Review due by", "<@UEVE> confirmed it still holds",
		ActionCharterStillHolds, "*History*", "*Version 1* drafted by <@UADA>", "accepted by <@UEVE>", "in force*", "waiting to be accepted"} {
		if !strings.Contains(js, want) {
			t.Errorf("charter view lacks %q:\n%s", want, js)
		}
	}
	// Eve drafted version 2 and confirmed the review: no buttons of hers.
	if js := rendered(t, CharterView(pairAE, c, eve, now)); strings.Contains(js, ActionCharterAccept) || strings.Contains(js, ActionCharterStillHolds) {
		t.Errorf("the drafter, who confirmed, is offered buttons:\n%s", js)
	}
	none := CharterView(pairAE, partnership.Charter{Pair: pairAE.ID}, ada, now)
	golden(t, "charter_view_none", none)
	if v.Title.Text != "Partnership charter" || v.Submit != nil {
		t.Errorf("view title %q, submit %v", v.Title.Text, v.Submit)
	}
	checkBlocks(t, "charter view", v.Blocks.BlockSet, MaxViewBlocks)

	h := CharterHistoryReply(pairAE, c, eve)
	golden(t, "charter_history", h)
	js = rendered(t, h)
	for _, want := range []string{"Your partnership charter with <@UADA>: 2 versions", "*Version 2* drafted by <@UEVE>"} {
		if !strings.Contains(js, want) {
			t.Errorf("history lacks %q:\n%s", want, js)
		}
	}
	if strings.Index(js, "*Version 2*") > strings.Index(js, "*Version 1*") {
		t.Error("history is not newest first")
	}
	if js := rendered(t, CharterHistoryReply(pairAE, partnership.Charter{}, ada)); !strings.Contains(js, "has no charter yet") {
		t.Errorf("empty history:\n%s", js)
	}
}

func TestHomeCharter(t *testing.T) {
	c := charterFixture()
	draftOnly := partnership.Charter{Pair: pairAS.ID, Versions: []partnership.CharterVersion{charterV(1, sam, t0, charterTerms())}}
	pairAS := pairAS
	now := t1
	h := Home{UserID: ada, Now: now,
		Pairs: []HomePair{
			{Pair: pairAE, Summary: summary(false), Charter: charterState(c, now)},
			{Pair: pairAS, Summary: partnership.NewSummary(pairAS, nil, nil, now), Charter: draftOnly.State(pairAS, now)},
		},
		TaskOwnership: []partnership.TaskOwnership{
			{Pair: pairAE, Version: 1, Areas: c.Versions[0].Tasks},
			{Pair: pairAS},
		},
	}
	v := HomeView(h)
	golden(t, "home_charter", v)
	js := rendered(t, v)
	for _, want := range []string{"Charter: agreed on", "A change (version 2) waits for you to accept it.", "next review by",
		ActionCharterOpen, ActionCharterReview, "Accept version 2", `"value":"UADA-UEVE|2"`,
		"*Who has each task area, across your executives*", "• *Information Flow* — <@UEVE>: assistant owns · <@USAM>: —",
		"No charter in force yet with <@USAM>", "Charter: draft (version 1) waits for you to accept it.", `"value":"UADA-USAM|1"`} {
		if !strings.Contains(js, want) {
			t.Errorf("home lacks %q:\n%s", want, js)
		}
	}
	// One executive: no table. No charter: a button to draft one.
	one := rendered(t, HomeView(Home{UserID: ada, Now: now, Pairs: []HomePair{{Pair: pairAE, Summary: summary(false)}},
		TaskOwnership: []partnership.TaskOwnership{{Pair: pairAE}}}))
	if strings.Contains(one, "across your executives") || !strings.Contains(one, "Draft the charter") || !strings.Contains(one, "Charter: none yet") {
		t.Errorf("home with one pair and no charter:\n%s", one)
	}
	// A review due, confirmed by neither.
	due := charterState(partnership.Charter{Pair: pairAE.ID, Versions: c.Versions[:1]}, t0.AddDate(0, 3, 0))
	js = rendered(t, HomeView(Home{UserID: eve, Now: t0.AddDate(0, 3, 0), Pairs: []HomePair{{Pair: pairAE, Summary: summary(false), Charter: due}}}))
	if !strings.Contains(js, "*review due* by") || !strings.Contains(js, ActionCharterStillHolds) {
		t.Errorf("home with a review due:\n%s", js)
	}
}

// User text in a charter reaches Slack escaped wherever it shows.
func TestCharterTextIsEscaped(t *testing.T) {
	evil := "Ping <!channel> & <@UEVE|boss>"
	terms := charterTerms()
	terms.AssistantExpects = []string{evil}
	terms.Channel, terms.Decisions[0].Kind, terms.Goals[0] = evil, evil, evil
	v := charterV(1, ada, t0, terms)
	c := partnership.Charter{Pair: pairAE.ID, Versions: []partnership.CharterVersion{v}}
	for name, x := range map[string]any{
		"card":     msg(CharterCard(pairAE, v, partnership.CharterVersion{})),
		"answered": msg(CharterCardAnswered(pairAE, v, Outcome{What: "Accepted", By: eve, At: t0})),
		"view":     CharterView(pairAE, c, eve, t0),
		"changed":  CharterModal(pairAE, eve, CharterForm{Terms: terms, Changed: v}, PairChoice{}),
	} {
		js := rendered(t, x)
		for _, raw := range []string{"<!channel>", "<@UEVE|boss>", "& <"} {
			if strings.Contains(strings.ReplaceAll(js, `"initial_value":"Ping <!channel> & <@UEVE|boss>"`, ""), raw) {
				t.Errorf("%s shows %q unescaped", name, raw)
			}
		}
		if !strings.Contains(js, "Ping &lt;!channel&gt; &amp; &lt;@UEVE|boss&gt;") {
			t.Errorf("%s lacks the escaped text:\n%s", name, js)
		}
	}
}

// The largest charter the bot allows stays within Slack's limits.
func TestCharterLimits(t *testing.T) {
	big := func(n int) string { return strings.Repeat("&", n) } // the longest after escaping
	terms := partnership.CharterTerms{Channel: big(partnership.MaxCommunication), Cadence: big(partnership.MaxCommunication)}
	for range partnership.MaxExpectations {
		terms.AssistantExpects = append(terms.AssistantExpects, big(partnership.MaxCharterLine))
		terms.ExecutiveExpects = append(terms.ExecutiveExpects, big(partnership.MaxCharterLine))
	}
	for range partnership.MaxDecisions {
		terms.Decisions = append(terms.Decisions, partnership.Decision{Kind: big(partnership.MaxDecisionKind), Right: partnership.AskFirst})
	}
	for i := range terms.Goals {
		terms.Goals[i] = big(partnership.MaxCharterLine)
	}
	for i := range terms.Tasks {
		terms.Tasks[i] = partnership.NotThisRole
	}
	var versions []partnership.CharterVersion
	for n := 1; n <= 40; n++ {
		versions = append(versions, charterV(n, ada, t0.Add(time.Duration(n)*time.Hour), terms, partnership.Acceptance{By: eve, At: t0.Add(time.Duration(n)*time.Hour + time.Minute)}))
	}
	pend := charterV(41, eve, t1, terms)
	versions = append(versions, pend)
	c := partnership.Charter{Pair: pairAE.ID, Versions: versions}
	modals := map[string]slack.ModalViewRequest{
		"form":         CharterModal(pairAE, ada, CharterForm{Terms: terms, Base: 41, State: charterState(c, t1), Changed: pend}, choice),
		"view":         CharterView(pairAE, c, ada, t0.AddDate(0, 3, 0)),
		"view of none": CharterView(pairAE, partnership.Charter{}, ada, t0),
	}
	for name, m := range modals {
		if n := len([]rune(m.Title.Text)); n == 0 || n > MaxTitle {
			t.Errorf("%s title %q", name, m.Title.Text)
		}
		if len(m.PrivateMetadata) > MaxMetadata {
			t.Errorf("%s private_metadata is %d bytes", name, len(m.PrivateMetadata))
		}
		checkBlocks(t, name, m.Blocks.BlockSet, MaxViewBlocks)
		for _, b := range m.Blocks.BlockSet {
			if cb, ok := b.(*slack.ContextBlock); ok {
				for _, e := range cb.ContextElements.Elements {
					if tx, ok := e.(*slack.TextBlockObject); ok && len([]rune(tx.Text)) > maxContextText {
						t.Errorf("%s has a context of %d characters", name, len([]rune(tx.Text)))
					}
				}
			}
		}
	}
	_, card := CharterCard(pairAE, pend, versions[39])
	checkBlocks(t, "card", card, MaxMessageBlocks)
	_, answered := CharterCardAnswered(pairAE, pend, Outcome{What: "Accepted", By: ada, At: t1})
	checkBlocks(t, "answered card", answered, MaxMessageBlocks)
	reply := CharterHistoryReply(pairAE, c, ada)
	if js, _ := json.Marshal(reply); len(js) >= 20_000 {
		t.Errorf("history reply is %d bytes; an ack must stay under 20 KB", len(js))
	}
	if js := rendered(t, reply); !strings.Contains(js, "And 21 older versions before.") {
		t.Errorf("history does not say what was left off:\n%s", js)
	}
	// The Home tab with 20 pairs, each with a charter, and the table.
	var pairs []HomePair
	var rows []partnership.TaskOwnership
	for i := range 25 {
		p := partnership.Pair{ID: partnership.NewPairID(ada, "UEX"+string(rune('A'+i))), Assistant: ada, Executive: "UEX" + string(rune('A'+i))}
		pairs = append(pairs, HomePair{Pair: p, Summary: summary(false), Charter: c.State(p, t1)})
		rows = append(rows, partnership.TaskOwnership{Pair: p, Version: 40, Areas: terms.Tasks})
	}
	home := HomeView(Home{UserID: ada, Now: t1, Pairs: pairs, TaskOwnership: rows})
	checkBlocks(t, "home", home.Blocks.BlockSet, MaxViewBlocks)
	few := HomeView(Home{UserID: ada, Now: t1, Pairs: pairs[:3], TaskOwnership: rows})
	if js := rendered(t, few); !strings.Contains(js, "across your executives") {
		t.Error("home with three pairs lacks the task-area table")
	}
	checkBlocks(t, "home, three pairs", few.Blocks.BlockSet, MaxViewBlocks)
}
