package slackui

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/slack-go/slack"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden and testdata/summary_picture.png")

// golden compares v, as JSON, with testdata/name.golden by meaning.
func golden(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatalf("marshal %s: %v", name, err)
	}
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s (run go test ./internal/slackui -update to create it): %v", path, err)
	}
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("%s is not JSON: %v", path, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s differs from the golden file; got:\n%s", name, got)
	}
}

func mustAnswers(t *testing.T, s string) assessment.Answers {
	t.Helper()
	a, err := assessment.ParseAnswers(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

var (
	t0 = time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
	t1 = t0.Add(7 * 24 * time.Hour)
)

func TestAssessmentModal(t *testing.T) {
	for _, p := range []assessment.Perspective{assessment.Assistant, assessment.Executive} {
		m := AssessmentModal(p, PairChoice{})
		golden(t, "assessment_modal_"+string(p), m)
		if n := len([]rune(m.Title.Text)); n > MaxTitle {
			t.Errorf("title %q has %d characters, over %d", m.Title.Text, n, MaxTitle)
		}
		var inputs []*slack.InputBlock
		for _, b := range m.Blocks.BlockSet {
			if in, ok := b.(*slack.InputBlock); ok {
				inputs = append(inputs, in)
			}
		}
		if len(inputs) != assessment.NumQuestions {
			t.Fatalf("%d input blocks, want %d", len(inputs), assessment.NumQuestions)
		}
		for i, in := range inputs {
			q := assessment.Questions(p)[i]
			if in.BlockID != BlockQuestion(i+1) || in.Optional || !strings.HasSuffix(in.Label.Text, q.Text) {
				t.Errorf("input %d = %s %q optional=%v, want %s %q required", i, in.BlockID, in.Label.Text, in.Optional, BlockQuestion(i+1), q.Text)
			}
			radio, ok := in.Element.(*slack.RadioButtonsBlockElement)
			if !ok || len(radio.Options) != 2 || radio.Options[0].Text.Text != "Yes" || radio.Options[1].Text.Text != "No" {
				t.Errorf("input %d element = %#v, want radio buttons Yes, No", i, in.Element)
			}
		}
		meta, err := ParseAssessMeta(m.PrivateMetadata)
		if err != nil || meta.Perspective != p {
			t.Errorf("ParseAssessMeta = %+v, %v; want perspective %s", meta, err, p)
		}
	}
}

func TestParseAssessMetaRejects(t *testing.T) {
	for _, s := range []string{"", "{", `{"v":2,"p":"assistant"}`, `{"v":1,"p":"boss"}`, `[]`, strings.Repeat("x", 4000)} {
		if _, err := ParseAssessMeta(s); !errors.Is(err, ErrBadMetadata) {
			t.Errorf("ParseAssessMeta(%.20q) error = %v, want ErrBadMetadata", s, err)
		}
	}
}

func state(values map[int]string) *slack.ViewState {
	st := &slack.ViewState{Values: map[string]map[string]slack.BlockAction{}}
	for n, v := range values {
		st.Values[BlockQuestion(n)] = map[string]slack.BlockAction{ActionAnswer: {SelectedOption: slack.OptionBlockObject{Value: v}}}
	}
	return st
}

func TestParseAssessment(t *testing.T) {
	all := map[int]string{}
	for n := 1; n <= 10; n++ {
		all[n] = ValueNo
	}
	all[1], all[8] = ValueYes, ValueYes
	tests := []struct {
		name       string
		state      *slack.ViewState
		wantScore  int
		wantErrors []string
	}{
		{"all answered", state(all), 2, nil},
		{"nil state", nil, 0, []string{"q1", "q10", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9"}},
		{"two missing", state(map[int]string{1: "yes", 2: "yes", 3: "yes", 4: "no", 5: "no", 6: "no", 7: "no", 9: "no"}), 3, []string{"q10", "q8"}},
		{"forged value", state(map[int]string{1: "maybe", 2: "yes", 3: "yes", 4: "no", 5: "no", 6: "no", 7: "no", 8: "no", 9: "no", 10: "no"}), 2, []string{"q1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, errs := ParseAssessment(tt.state)
			var keys []string
			for k, msg := range errs {
				keys = append(keys, k)
				if msg != msgAnswerRequired {
					t.Errorf("error %s = %q", k, msg)
				}
			}
			slices.Sort(keys)
			if !reflect.DeepEqual(keys, tt.wantErrors) {
				t.Errorf("error keys = %v, want %v", keys, tt.wantErrors)
			}
			if len(tt.wantErrors) == 0 && a.Score() != tt.wantScore {
				t.Errorf("score = %d, want %d", a.Score(), tt.wantScore)
			}
		})
	}
}

func TestResultBlocks(t *testing.T) {
	prev := assessment.Result{ID: "a", UserID: "U1", Perspective: assessment.Assistant, TakenAt: t0, Answers: mustAnswers(t, "YYYYYYNNNN")}
	cur := assessment.Result{ID: "b", UserID: "U1", Perspective: assessment.Assistant, TakenAt: t1, Answers: mustAnswers(t, "YYYYYYYYNN")}
	golden(t, "result_first", ResultView(prev, assessment.Result{}, false))
	golden(t, "result_changed", ResultView(cur, prev, true))
	text, blocks := ResultMessage(cur, prev, true)
	if text != "Your partnership self-assessment: 8/10 (8–10 “Yes”: solid relationship and partnership)" {
		t.Errorf("message text = %q", text)
	}
	js, _ := json.Marshal(blocks)
	for _, want := range []string{"8/10 — 8–10 “Yes” answers", "6/10 → 8/10 (+2)", "7. Would you say you work well together?  No → *Yes*", "8. Do you trust your boss?  No → *Yes*", "Focus your attention on ways to improve it."} {
		if !strings.Contains(string(js), want) {
			t.Errorf("result blocks lack %q:\n%s", want, js)
		}
	}
	if strings.Contains(string(js), "9. Does your boss trust you?") {
		t.Errorf("result lists an unchanged answer:\n%s", js)
	}
}

func TestScoreChange(t *testing.T) {
	for _, tt := range []struct {
		from, to int
		want     string
	}{{6, 8, "6/10 → 8/10 (+2)"}, {8, 6, "8/10 → 6/10 (-2)"}, {5, 5, "5/10 → 5/10 (+0)"}} {
		if got := ScoreChange(tt.from, tt.to); got != tt.want {
			t.Errorf("ScoreChange(%d, %d) = %q, want %q", tt.from, tt.to, got, tt.want)
		}
	}
}

func TestReplies(t *testing.T) {
	results := []assessment.Result{
		{ID: "a", Perspective: assessment.Assistant, TakenAt: t0, Answers: mustAnswers(t, "YYYYNNNNNN")},
		{ID: "b", Perspective: assessment.Assistant, TakenAt: t1, Answers: mustAnswers(t, "YYYYYYYNNN")},
	}
	golden(t, "history", HistoryReply(results))
	golden(t, "history_empty", HistoryReply(nil))
	golden(t, "help", HelpReply("", t0))
	js, _ := json.Marshal(HistoryReply(results))
	for _, want := range []string{"Your last 2 results; latest 7/10 (5–7", "*7/10* (5–7 “Yes”: could probably be more productive and pleasant) · +3", "*4/10* (1–4 “Yes”: needs attention and work)", `"response_type":"ephemeral"`} {
		if !strings.Contains(string(js), want) {
			t.Errorf("history lacks %q:\n%s", want, js)
		}
	}
	if strings.Index(string(js), "7/10") > strings.Index(string(js), "4/10*") {
		t.Errorf("history is not newest first:\n%s", js)
	}
	if got := HistoryReply(results[:1]).Text; !strings.HasPrefix(got, "Your last 1 result; latest 4/10") {
		t.Errorf("history of one result = %q", got)
	}
}

// bandWords finds each band as shown: the article's range, as in
// "5–7 “Yes” answers" or "5–7 “Yes”: could probably be …", and the title
// after it, if any.
var bandWords = regexp.MustCompile(`(\d+)–(\d+) “Yes”(?: answers)?(?:(?:: | \()([a-z]+(?: [a-z]+)*))?`)

// Every band word on screen is the article's: each range heads one of its
// readings, and a title shown with a range is taken from that reading.
// assessment's TestWordingMatchesArticle checks each range and reading
// against the article itself.
func TestBandWordsMatchArticle(t *testing.T) {
	readingOf := map[string]string{} // "5–7" → its line of the article
	for _, b := range assessment.Bands() {
		readingOf[b.Range] = b.Range + " “Yes” answers: " + b.Reading(assessment.Assistant)
	}
	var shown []string
	for score := range assessment.NumQuestions + 1 {
		yes := strings.Repeat("Y", score) + strings.Repeat("N", assessment.NumQuestions-score)
		for _, p := range []assessment.Perspective{assessment.Assistant, assessment.Executive} {
			r := assessment.Result{ID: "V" + yes, Perspective: p, TakenAt: t1, Answers: mustAnswers(t, yes)}
			text, blocks := ResultMessage(r, r, true)
			shown = append(shown, text, rendered(t, blocks), ScoreLine(r), rendered(t, HistoryReply([]assessment.Result{r, r})))
		}
	}
	team := partnership.TeamCard{Pairs: 9, Bands: map[string]partnership.Count{"solid": {N: 3}, "productive": {N: 3}, "attention": {N: 3}}, Since: t0}
	_, blocks := TeamScorecardMessage(team)
	shown = append(shown, rendered(t, blocks), rendered(t, msg(SummaryMessage(summary(true)))))
	for _, s := range shown {
		ms := bandWords.FindAllStringSubmatch(s, -1)
		if len(ms) == 0 {
			t.Errorf("no band in the article's words in %s", s)
		}
		for _, m := range ms {
			line, ok := readingOf[m[1]+"–"+m[2]]
			if !ok {
				t.Errorf("range %s–%s is not the article's, in %s", m[1], m[2], s)
				continue
			}
			if m[3] != "" && !strings.Contains(line, m[3]) {
				t.Errorf("band title %q is not in the article's reading %q", m[3], line)
			}
		}
		for _, invented := range []string{"0–4", "Solid relationship", "Could be more productive", "Needs attention"} {
			if strings.Contains(s, invented) {
				t.Errorf("%q is not the article's, in %s", invented, s)
			}
		}
	}
	zero := assessment.Result{Perspective: assessment.Assistant, TakenAt: t1}
	if got := rendered(t, ResultBlocks(zero, zero, false)); !strings.Contains(got, "0/10 — read as 1–4 “Yes” answers") || !strings.Contains(got, "needs attention and work") {
		t.Errorf("a 0 does not read as 1–4:\n%s", got)
	}
}
