package assessment

import (
	"reflect"
	"strings"
	"testing"
)

// Each fact pairs questions that ask the same thing from each side: the
// correspondence is a permutation, and the trust questions cross over.
func TestFactsAreAPermutation(t *testing.T) {
	seenA, seenE := map[int]bool{}, map[int]bool{}
	for i, f := range Facts() {
		if f.Assistant != i+1 {
			t.Errorf("fact %d is about assistant question %d, want the assistant's order", i+1, f.Assistant)
		}
		if seenA[f.Assistant] || seenE[f.Executive] || f.Executive < 1 || f.Executive > NumQuestions {
			t.Errorf("fact %+v repeats or leaves the ten questions", f)
		}
		seenA[f.Assistant], seenE[f.Executive] = true, true
	}
	as, ex := Questions(Assistant), Questions(Executive)
	want := map[string]string{
		"Do you trust your boss?":                       "Does your assistant trust you?",
		"Does your boss trust you?":                     "Do you trust your assistant?",
		"Do you “know where you stand” with your boss?": "Do you “know where you stand” with your assistant?",
	}
	for _, f := range Facts() {
		a, e := as[f.Question(Assistant)-1].Text, ex[f.Question(Executive)-1].Text
		if w, ok := want[a]; ok && e != w {
			t.Errorf("assistant's %q is compared with the executive's %q, want %q", a, e, w)
		}
		if _, special := want[a]; !special && strings.ReplaceAll(a, "boss", "assistant") != e {
			t.Errorf("assistant's %q is compared with the executive's %q", a, e)
		}
	}
}

func TestDifferencesByFact(t *testing.T) {
	tests := []struct {
		name                 string
		assistant, executive string
		want                 []Difference
	}{
		// "I trust my boss; my boss does not trust me" and "I do not trust
		// my assistant; my assistant trusts me": they agree on both facts.
		// Compared by number, that was two differences.
		{"they agree on both trust facts", "YYYYYYYYNY", "YYYYYYYNYY", nil},
		{"the same answers everywhere", "YYYYYYYYYY", "YYYYYYYYYY", nil},
		{"the assistant does not trust the executive, who thinks they do", "YYYYYYYNYY", "YYYYYYYYYY",
			[]Difference{{Fact: Fact{8, 9}, Assistant: false, Executive: true}}},
		{"the executive does not trust the assistant, who thinks they do", "YYYYYYYYYY", "YYYYYYYNYY",
			[]Difference{{Fact: Fact{9, 8}, Assistant: true, Executive: false}}},
		{"questions 1 and 10", "NYYYYYYYYN", "YYYYYYYYYY",
			[]Difference{{Fact: Fact{1, 1}, Assistant: false, Executive: true}, {Fact: Fact{10, 10}, Assistant: false, Executive: true}}},
	}
	for _, tt := range tests {
		got := Differences(mustAnswers(t, tt.assistant), mustAnswers(t, tt.executive))
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Differences(%s, %s) = %+v, want %+v", tt.name, tt.assistant, tt.executive, got, tt.want)
		}
	}
}

func mustAnswers(t *testing.T, s string) Answers {
	t.Helper()
	a, err := ParseAnswers(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
