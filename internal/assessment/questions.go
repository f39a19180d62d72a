// Package assessment holds the article's self-assessment: its ten Yes/No
// questions from both sides of the partnership, scoring, score bands and the
// comparison of two results. It is pure: no Slack, no Redis, no clock.
package assessment

// Perspective says from which side of the partnership a person answers.
type Perspective string

const (
	// Assistant is the administrative professional; the article speaks to them.
	Assistant Perspective = "assistant"
	// Executive is the boss, answering the same questions from the other side.
	Executive Perspective = "executive"
)

// Valid reports whether p is a known perspective.
func (p Perspective) Valid() bool { return p == Assistant || p == Executive }

// NumQuestions is the number of questions in the self-assessment.
const NumQuestions = 10

// Question is one of the ten Yes/No questions.
type Question struct {
	Number int    // 1-based, as in the article
	Text   string // word for word from the article (assistant) or its mirror (executive)
}

// assistantTexts are the article's questions, word for word
// ("Create a Partnership with Your Boss", Self-Assessment).
var assistantTexts = [NumQuestions]string{
	"Do you and your boss share information, stories, tasks, and so on?",
	"Do you feel like you are “playing on the same team”?",
	"Do you have a joint interest in the goals you are trying to achieve?",
	"Is there a solid alignment between you when it comes to how to achieve mutual goals?",
	"Do you associate comfortably in an informal setting?",
	"Do you “know where you stand” with your boss?",
	"Would you say you work well together?",
	"Do you trust your boss?",
	"Does your boss trust you?",
	"Would you say you are currently “partnering with your boss”?",
}

// executiveTexts mirror the article's questions from the executive's side.
var executiveTexts = [NumQuestions]string{
	"Do you and your assistant share information, stories, tasks, and so on?",
	"Do you feel like you are “playing on the same team”?",
	"Do you have a joint interest in the goals you are trying to achieve?",
	"Is there a solid alignment between you when it comes to how to achieve mutual goals?",
	"Do you associate comfortably in an informal setting?",
	"Do you “know where you stand” with your assistant?",
	"Would you say you work well together?",
	"Do you trust your assistant?",
	"Does your assistant trust you?",
	"Would you say you are currently “partnering with your assistant”?",
}

// Questions returns the ten questions in the article's order as seen from p.
// An unknown perspective gets the article's own (assistant) wording.
func Questions(p Perspective) []Question {
	texts := &assistantTexts
	if p == Executive {
		texts = &executiveTexts
	}
	qs := make([]Question, NumQuestions)
	for i, t := range texts {
		qs[i] = Question{Number: i + 1, Text: t}
	}
	return qs
}
