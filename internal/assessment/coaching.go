package assessment

// Pointer is one short pointer from the article for a question answered
// "No": the essential partnering skill or the characteristic of successful
// partnerships it relates to, in the article's words.
type Pointer struct {
	// Source is "Essential skill" or "Characteristic of successful partnerships".
	Source string
	// Name is the article's name of the skill or characteristic.
	Name string
	// Text is the article's description of a skill ("" for characteristics,
	// which the article gives as a name only).
	Text string
}

const (
	skill          = "Essential skill"
	characteristic = "Characteristic of successful partnerships"
)

// coaching maps each question, in order, to the article's pointer for it.
var coaching = [NumQuestions]Pointer{
	{characteristic, "Frequently associating and communicating (face-to-face or long-distance)", ""},
	{skill, "Collaboration", "Performing as an active team player"},
	{skill, "Setting Goals", "Identifying what you and your partner want to accomplish and setting a plan"},
	{skill, "Planning and Managing", "Planning and managing your work in tandem with the boss’s"},
	{characteristic, "Sharing an important environment or setting", ""},
	{characteristic, "Establishing clear rules and expectations for each other", ""},
	{skill, "Adapting Your Work Style", "Recognizing the needs and work style of your partner and adapting as necessary"},
	{characteristic, "Respect and trust", ""},
	{characteristic, "Being dependable", ""},
	{characteristic, "Commitment to building and maintaining relationship", ""},
}

// Coaching is the pointer for question n (1-based); ok is false for an n
// outside 1–10.
func Coaching(n int) (p Pointer, ok bool) {
	if n < 1 || n > NumQuestions {
		return Pointer{}, false
	}
	return coaching[n-1], true
}

// Characteristics are the article's fifteen characteristics of successful
// partnerships, in its order.
var characteristics = [...]string{
	"Sharing joint interests, goals, and concerns",
	"Respect and trust",
	"Frequently associating and communicating (face-to-face or long-distance)",
	"Sharing an important environment or setting",
	"Sharing in risk taking",
	"Establishing clear rules and expectations for each other",
	"Agreeing to perform certain activities, tasks, roles, and so on",
	"Connecting in thought and meaning",
	"Being dependable",
	"Acting reliably",
	"Holding and affirming a belief in integrity of oneself and of others",
	"Team-player orientation",
	"Joint goals",
	"Commitment to building and maintaining relationship",
	"Connected by shared expectations",
}

// Characteristics returns the fifteen characteristics of successful partnerships.
func Characteristics() []string { return characteristics[:] }
