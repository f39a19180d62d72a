package slackui_test

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/schedule"
	"github.com/partnerbot/partnerbot/internal/slackui"
	"github.com/slack-go/slack"
)

// Fuzz targets for everything that comes back from Slack: view_submission
// state, private_metadata and button values (go test -fuzz=FuzzViewState
// ./internal/slackui, and so on). The seeds run as ordinary tests.

// state decodes fuzzed bytes as a view_submission's state; false when
// they are not one (Slack would not send it, slack-go would not decode it).
func state(b []byte) (*slack.ViewState, bool) {
	var st slack.ViewState
	if json.Unmarshal(b, &st) != nil {
		return nil, false
	}
	return &st, true
}

func stateSeeds() []string {
	q := func(n int, v string) string {
		return `"` + slackui.BlockQuestion(n) + `":{"` + slackui.ActionAnswer + `":{"type":"radio_buttons","selected_option":{"value":"` + v + `"}}}`
	}
	var all []string
	for i := 1; i <= 10; i++ {
		all = append(all, q(i, slackui.ValueYes))
	}
	return []string{
		`{}`, `{"values":null}`, `{"values":{}}`,
		`{"values":{` + strings.Join(all, ",") + `}}`,
		`{"values":{` + q(1, "maybe") + `,` + q(2, slackui.ValueNo) + `}}`,
		`{"values":{"share":{"share":{"type":"checkboxes","selected_options":[{"value":"share"}]}}}}`,
		`{"values":{"share":{"share":{"type":"checkboxes","selected_options":[{"value":"share"},{"value":"share"}]}}}}`,
		`{"values":{"just_right_1":{"step":{"type":"plain_text_input","value":"  guard the calendar  "}},"wish_3":{"step":{"type":"plain_text_input","value":"` + strings.Repeat("é", 400) + `"}}}}`,
		`{"values":{"wish_1":{"step":{"type":"datepicker","value":"x"}}}}`,
		`{"values":{"partner":{"partner":{"type":"users_select","selected_user":"UEXEC"}}}}`,
		`{"values":{"partner":{"partner":{"type":"users_select","selected_user":"C123"}}}}`,
		`{"values":{"wish_note":{"wish_note":{"type":"plain_text_input","value":" مرحبا 👋 "}}}}`,
		`{"values":{"day":{"day":{"type":"static_select","selected_option":{"value":"FRI"}}},"time":{"time":{"type":"timepicker","selected_time":"08:30"}},"pause":{"pause":{"type":"checkboxes","selected_options":[{"value":"pause"}]}}}}`,
		`{"values":{"day":{"day":{"selected_option":{"value":"fri"}}},"time":{"time":{"selected_time":"24:00"}}}}`,
		`{"values":{"time":{"time":{"selected_time":"+1:-0"}}}}`,
		`{"values":{"charter_assistant_expects":{"charter_text":{"type":"plain_text_input","value":"a\nb\n\nc\nd\ne\nf"}},"charter_channel":{"charter_text":{"type":"plain_text_input","value":"  DM  "}}}}`,
		`{"values":{"charter_decision_2":{"charter_text":{"type":"plain_text_input","value":"Hiring"}},"charter_right_2":{"charter_right":{"type":"static_select","selected_option":{"value":"ask_first"}}},"charter_task_7":{"charter_task":{"type":"static_select","selected_option":{"value":"chief_of_staff"}}}}}`,
		`{"values":{"charter_right_1":{"charter_right":{"selected_option":{"value":"veto"}}},"charter_task_1":{"charter_task":{"selected_option":{"value":"intern"}}},"charter_goal_1":{"charter_text":{"type":"datepicker","value":"x"}}}}`,
	}
}

// FuzzViewState runs every view_submission state parser over one state.
func FuzzViewState(f *testing.F) {
	for _, s := range stateSeeds() {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		st, ok := state(b)
		if !ok {
			return
		}
		value := func(block, action string) slack.BlockAction { return st.Values[block][action] }

		// Assessment: an answer per question, or an inline error keyed by
		// that question's block; yes is "yes" and nothing else.
		answers, errs := slackui.ParseAssessment(st)
		for i := range assessment.NumQuestions {
			id := slackui.BlockQuestion(i + 1)
			v := value(id, slackui.ActionAnswer).SelectedOption.Value
			valid := v == slackui.ValueYes || v == slackui.ValueNo
			if _, isErr := errs[id]; isErr == valid || valid && answers[i] != (v == slackui.ValueYes) {
				t.Fatalf("question %d with %q: answer %v, error %q", i+1, v, answers[i], errs[id])
			}
		}
		if len(errs) > assessment.NumQuestions {
			t.Fatalf("%d errors", len(errs))
		}
		if len(errs) == 0 {
			if _, err := assessment.ParseAnswers(answers.String()); err != nil {
				t.Fatalf("answers %q do not re-encode: %v", answers.String(), err)
			}
		}

		// Share: ticked only with exactly the one option the modal offers.
		sel := value(slackui.BlockShare, slackui.ActionShare).SelectedOptions
		if want := len(sel) == 1 && sel[0].Value == slackui.ValueShare; slackui.ParseShare(st) != want {
			t.Fatalf("ParseShare with %+v = %v", sel, !want)
		}

		// Next steps: trimmed, bounded, only from text inputs.
		jr, dm, ws, _ := slackui.ParseNextSteps(st)
		for _, l := range []partnership.List{jr, dm, ws} {
			for _, line := range l {
				if utf8.RuneCountInString(line) > partnership.MaxItemLen || line != strings.TrimSpace(line) && utf8.ValidString(line) {
					t.Fatalf("next steps line %q: over %d runes or untrimmed", line, partnership.MaxItemLen)
				}
			}
		}

		// Pair setup: a user ID, or one inline error on the picker.
		u, role, perrs := slackui.ParsePairSetup(st)
		if (u == "") == (len(perrs) == 0) || len(perrs) > 1 || (u != "" && !role.Valid()) {
			t.Fatalf("ParsePairSetup = %q, %q, %v", u, role, perrs)
		}
		if u != "" {
			if _, _, _, err := partnership.ParsePairID(u + "-" + u); err != nil {
				t.Fatalf("ParsePairSetup accepted %q", u)
			}
		} else if _, ok := perrs[slackui.BlockPartner]; !ok {
			t.Fatalf("ParsePairSetup error keyed %v, want %s", slices.Collect(maps.Keys(perrs)), slackui.BlockPartner)
		}

		// Decline note: trimmed and bounded.
		if n := slackui.ParseDeclineNote(st); utf8.RuneCountInString(n) > partnership.MaxNoteLen || utf8.ValidString(n) && n != strings.TrimSpace(n) {
			t.Fatalf("decline note %q", n)
		}

		// Charter: bounded text, rights and task answers among the options,
		// errors keyed by the form's own input blocks only.
		terms, cerrs := slackui.ParseCharter(st)
		for _, l := range append(append(append([]string{terms.Channel, terms.Cadence}, terms.Goals[:]...), terms.AssistantExpects...), terms.ExecutiveExpects...) {
			if utf8.RuneCountInString(l) > partnership.MaxCharterLine || utf8.ValidString(l) && l != strings.TrimSpace(l) {
				t.Fatalf("charter line %q: over %d runes or untrimmed", l, partnership.MaxCharterLine)
			}
		}
		if len(terms.Decisions) > partnership.MaxDecisions {
			t.Fatalf("%d decisions", len(terms.Decisions))
		}
		for _, d := range terms.Decisions {
			if !d.Right.Valid() || d.Kind == "" || utf8.RuneCountInString(d.Kind) > partnership.MaxDecisionKind {
				t.Fatalf("decision %+v", d)
			}
		}
		for i, o := range terms.Tasks {
			if _, isErr := cerrs[slackui.BlockCharterTask(i+1)]; o != "" && !o.Valid() || (o == "") != isErr {
				t.Fatalf("task area %d = %q, error %q", i+1, o, cerrs[slackui.BlockCharterTask(i+1)])
			}
		}
		for k := range cerrs {
			if !strings.HasPrefix(k, "charter_") || k == slackui.BlockCharterCadence {
				t.Fatalf("ParseCharter error keyed %q", k)
			}
		}
		if len(cerrs) == 0 && !terms.Clean().Missing().None() {
			t.Fatalf("ParseCharter accepted a charter that lacks %+v", terms.Clean().Missing())
		}

		// Schedule: a weekly spec the scheduler accepts and the modal reads
		// back as the same day and time; else errors on day or time only.
		choice, serrs := slackui.ParseSchedule(st)
		spec := choice.Spec
		for k := range serrs {
			if k != slackui.BlockDay && k != slackui.BlockTime {
				t.Fatalf("ParseSchedule error keyed %q", k)
			}
		}
		if len(serrs) == 0 {
			sp, err := schedule.Parse(spec)
			if err != nil {
				t.Fatalf("ParseSchedule = %q, which the scheduler refuses: %v", spec, err)
			}
			day, clock, ok := slackui.WeeklyFields(sp.String())
			if !ok || day != value(slackui.BlockDay, slackui.ActionDay).SelectedOption.Value || clock != value(slackui.BlockTime, slackui.ActionTime).SelectedTime {
				t.Fatalf("ParseSchedule = %q reads back as %q %q %v", spec, day, clock, ok)
			}
		} else if spec != "" {
			t.Fatalf("ParseSchedule = %q with errors %v", spec, serrs)
		}
	})
}

// FuzzMetadata: private_metadata comes back from Slack untrusted; what is
// accepted is one of the bot's own values, and decodes the same once
// re-encoded.
func FuzzMetadata(f *testing.F) {
	for _, s := range []string{`{"v":1,"p":"assistant"}`, `{"v":1,"p":"executive","pair":"UA-UE"}`, `{"v":1,"pair":"UA-UE"}`,
		`{"v":2,"p":"assistant"}`, `{"v":1,"p":"boss"}`, `{"V":1,"P":"assistant","pair":"UA-UE","x":[1]}`,
		`{"v":1,"p":"assistant","pair":"ua-ue"}`, `{"v":1,"pair":""}`, `{"v":1,"pair":"UA-UE","base":3}`, `{"v":1,"pair":"UA-UE","base":-3}`, `{"v":1,"pair":"UA-UE","base":1.5}`, `null`, `[]`, `"x"`, ``, strings.Repeat(" ", 3001)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if m, err := slackui.ParseAssessMeta(s); err == nil {
			if len(s) > slackui.MaxMetadata || !m.Perspective.Valid() {
				t.Fatalf("ParseAssessMeta(%q) accepted %+v", s, m)
			}
			if m.PairID != "" {
				if _, _, _, err := partnership.ParsePairID(string(m.PairID)); err != nil {
					t.Fatalf("ParseAssessMeta(%q): pair %q", s, m.PairID)
				}
			}
			b, _ := json.Marshal(m)
			if again, err := slackui.ParseAssessMeta(string(b)); err != nil || again != m {
				t.Fatalf("ParseAssessMeta(%q) = %+v; re-encoded %s → %+v, %v", s, m, b, again, err)
			}
		}
		if id, base, err := slackui.ParseCharterMeta(s); err == nil {
			if _, _, _, err := partnership.ParsePairID(string(id)); err != nil || len(s) > slackui.MaxMetadata || base < 0 {
				t.Fatalf("ParseCharterMeta(%q) = %q, %d", s, id, base)
			}
			b, _ := json.Marshal(map[string]any{"v": 1, "pair": id, "base": base})
			if again, b2, err := slackui.ParseCharterMeta(string(b)); err != nil || again != id || b2 != base {
				t.Fatalf("ParseCharterMeta(%q) = %q, %d; re-encoded → %q, %d, %v", s, id, base, again, b2, err)
			}
		}
		if id, err := slackui.ParseNextStepsMeta(s); err == nil {
			if _, _, _, err := partnership.ParsePairID(string(id)); err != nil || len(s) > slackui.MaxMetadata {
				t.Fatalf("ParseNextStepsMeta(%q) = %q", s, id)
			}
			b, _ := json.Marshal(map[string]any{"v": 1, "pair": id})
			if again, err := slackui.ParseNextStepsMeta(string(b)); err != nil || again != id {
				t.Fatalf("ParseNextStepsMeta(%q) = %q; re-encoded → %q, %v", s, id, again, err)
			}
		}
	})
}

// FuzzParseWishRef: a wish button's value; accepted values are exactly
// what EncodeWishRef writes.
func FuzzParseWishRef(f *testing.F) {
	for _, s := range []string{slackui.EncodeWishRef("UA-UE", "w1"), "UA-UE:", ":w1", "UA-UE:w1:w2", "UA-UE:w 1", "UA:w1",
		"UA-UE:" + strings.Repeat("a", 65), "UA-UE:é", strings.Repeat("x", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		pair, wish, err := slackui.ParseWishRef(s)
		if err != nil {
			return
		}
		if slackui.EncodeWishRef(pair, wish) != s || len(s) > slackui.MaxWishRef {
			t.Fatalf("ParseWishRef(%q) = %q, %q: does not re-encode to the input", s, pair, wish)
		}
		if p2, w2, err := slackui.ParseWishRef(slackui.EncodeWishRef(pair, wish)); err != nil || p2 != pair || w2 != wish {
			t.Fatalf("round trip of %q: %q %q %v", s, p2, w2, err)
		}
	})
}

// FuzzParseCharterRef: a charter button's value; accepted values are
// exactly what EncodeCharterRef writes.
func FuzzParseCharterRef(f *testing.F) {
	for _, s := range []string{slackui.EncodeCharterRef("UA-UE", 3), slackui.EncodeCharterRef("UA-UE", 0), "UA-UE|", "UA-UE|-1", "UA-UE|+1",
		"UA-UE|007", "UA-UE|1|2", "UA|1", "UA-UE|9999999999999999999999", strings.Repeat("x", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		pair, n, err := slackui.ParseCharterRef(s)
		if err != nil {
			return
		}
		if slackui.EncodeCharterRef(pair, n) != s || n < 0 || len(s) > slackui.MaxCharterRef {
			t.Fatalf("ParseCharterRef(%q) = %q, %d: does not re-encode to the input", s, pair, n)
		}
	})
}
