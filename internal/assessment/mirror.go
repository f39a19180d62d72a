package assessment

// The executive's ten questions mirror the assistant's, but mirroring
// changes what two of them ask: the assistant's 8 "Do you trust your
// boss?" is the same fact as the executive's 9 "Does your assistant trust
// you?", and the assistant's 9 "Does your boss trust you?" is the
// executive's 8 "Do you trust your assistant?". Two views are compared by
// the fact a question is about, never by its number.

// Fact is one thing about the partnership that both sides' assessments ask
// about: question Assistant (1-based) of the assistant's ten and question
// Executive of the executive's.
//
// Question 6 asks each side about their own standing ("Do you “know where
// you stand” with your boss?", "… with your assistant?"); a difference there
// means one of the two knows where they stand and the other does not.
type Fact struct {
	Assistant, Executive int
}

// facts is the correspondence, in the assistant's order.
var facts = [NumQuestions]Fact{
	{1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 5}, {6, 6}, {7, 7},
	{8, 9}, // the assistant trusts the executive
	{9, 8}, // the executive trusts the assistant
	{10, 10},
}

// Facts returns the ten facts in the assistant's question order.
func Facts() []Fact { return facts[:] }

// Question is the number of the fact's question as seen from p.
func (f Fact) Question(p Perspective) int {
	if p == Executive {
		return f.Executive
	}
	return f.Assistant
}

// Difference is a fact on which the two sides answered differently.
type Difference struct {
	Fact Fact
	// Assistant and Executive are the two answers (true means "Yes").
	Assistant, Executive bool
}

// Differences compares an assistant's answers with an executive's, fact by
// fact, in the assistant's question order.
func Differences(assistant, executive Answers) []Difference {
	var out []Difference
	for _, f := range facts {
		a, e := assistant[f.Assistant-1], executive[f.Executive-1]
		if a != e {
			out = append(out, Difference{Fact: f, Assistant: a, Executive: e})
		}
	}
	return out
}
