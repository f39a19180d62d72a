package slackui_test

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/slackui"
)

// FuzzRoadmapState runs the roadmap's form parsers over one state: errors
// keyed by the forms' own input blocks only, values bounded and valid.
func FuzzRoadmapState(f *testing.F) {
	for _, s := range append(stateSeeds(),
		`{"values":{"goal_title":{"goal_title":{"type":"plain_text_input","value":" Run it "}},"goal_stage":{"goal_stage":{"type":"static_select","selected_option":{"value":"now"}}},"goal_owner":{"goal_owner":{"type":"static_select","selected_option":{"value":"UE"}}},"goal_target":{"goal_target":{"type":"datepicker","selected_date":"2026-02-30"}}}}`,
		`{"values":{"goal_stage":{"goal_stage":{"type":"static_select","selected_option":{"value":"later"}}},"goal_status":{"goal_status":{"type":"radio_buttons","selected_option":{"value":"stuck"}}},"goal_note":{"goal_note":{"type":"plain_text_input","value":"`+strings.Repeat("n", 600)+`"}}}}`,
		`{"values":{"win_text":{"win_text":{"type":"plain_text_input","value":"`+strings.Repeat("w", 3001)+`"}},"win_goal":{"win_goal":{"type":"static_select","selected_option":{"value":"other"}}}}}`,
		`{"values":{"win_text":{"win_text":{"value":"x"}},"win_goal":{"win_goal":{"selected_option":{"value":"g1"}}}}}`,
	) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		st, ok := state(b)
		if !ok {
			return
		}
		only := func(what string, errs map[string]string, blocks ...string) {
			for k := range errs {
				if !strings.Contains(strings.Join(blocks, " "), k) {
					t.Fatalf("%s error keyed %q", what, k)
				}
			}
		}
		d, errs := slackui.ParseGoalForm(st)
		only("ParseGoalForm", errs, slackui.BlockGoalTitle, slackui.BlockGoalStage, slackui.BlockGoalOwner, slackui.BlockGoalTarget)
		if len(errs) == 0 && (d.Title == "" || utf8.RuneCountInString(d.Title) > partnership.MaxGoalTitle || !d.Stage.Valid() || !partnership.ValidUserID(d.Owner)) {
			t.Fatalf("ParseGoalForm accepted %+v", d)
		}
		if utf8.RuneCountInString(d.Serves) > partnership.MaxGoalServes {
			t.Fatalf("serves of %d runes", utf8.RuneCountInString(d.Serves))
		}
		u, errs := slackui.ParseGoalUpdate(st)
		only("ParseGoalUpdate", errs, slackui.BlockGoalStage, slackui.BlockGoalStatus)
		if len(errs) == 0 && (!u.Stage.Valid() || !u.Status.Valid()) || utf8.RuneCountInString(u.Note) > partnership.MaxGoalNote {
			t.Fatalf("ParseGoalUpdate accepted %+v", u)
		}
		text, goal, errs := slackui.ParseWinForm(st)
		only("ParseWinForm", errs, slackui.BlockWinText, slackui.BlockWinGoal)
		if _, isErr := errs[slackui.BlockWinText]; !isErr {
			if got, _, err := partnership.CleanWinText(text); err != nil || got != text {
				t.Fatalf("ParseWinForm accepted the win %.40q", text)
			}
		}
		if _, _, err := slackui.ParseGoalRef(slackui.EncodeGoalRef("UA-UE", goal)); goal != "" && err != nil {
			t.Fatalf("ParseWinForm accepted the goal %q", goal)
		}
	})
}

// FuzzRoadmapValues: button values and private_metadata of the roadmap
// come back untrusted; what is accepted is what the bot writes.
func FuzzRoadmapValues(f *testing.F) {
	for _, s := range []string{
		slackui.EncodeIdea(partnership.GoalIdea{Pair: "UA-UE", WishID: "w1"}), slackui.EncodeIdea(partnership.GoalIdea{Pair: "UA-UE", DoMore: 2, Check: "0123abcd"}),
		"d:UA-UE:02:0123abcd", "d:UA-UE:2:0123ABCD", "w:UA-UE:w1:x", slackui.EncodeWinTie("UA-UE", "n1", "g1"), "UA-UE:n1:",
		`{"v":1,"pair":"UA-UE","goal":"g1","rev":3,"back":true}`, `{"v":1,"pair":"UA-UE","ch":"C1","ts":"1.2","link":"https://a.slack.com/archives/C1/p12"}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if idea, err := slackui.ParseIdea(s); err == nil && slackui.EncodeIdea(idea) != s {
			t.Fatalf("ParseIdea(%q) = %+v, which encodes as %q", s, idea, slackui.EncodeIdea(idea))
		}
		if p, w, g, err := slackui.ParseWinTie(s); err == nil && slackui.EncodeWinTie(p, w, g) != s {
			t.Fatalf("ParseWinTie(%q) does not re-encode", s)
		}
		if m, err := slackui.ParseGoalMeta(s); err == nil {
			b, _ := json.Marshal(m)
			if again, err := slackui.ParseGoalMeta(string(b)); err != nil || again != m {
				t.Fatalf("ParseGoalMeta(%q) = %+v; re-encoded → %+v, %v", s, m, again, err)
			}
		}
		if m, err := slackui.ParseWinMeta(s); err == nil {
			if src := m.Source(); src.Link != "" && !strings.HasPrefix(src.Link, "https://") {
				t.Fatalf("ParseWinMeta(%q) accepted the link %q", s, src.Link)
			}
			b, _ := json.Marshal(m)
			if again, err := slackui.ParseWinMeta(string(b)); err != nil || again != m {
				t.Fatalf("ParseWinMeta(%q) = %+v; re-encoded → %+v, %v", s, m, again, err)
			}
		}
	})
}
