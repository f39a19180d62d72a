package assessment

import (
	"crypto/sha256"
	"encoding/binary"
	"strconv"
	"strings"
)

// Pointer is one short pointer from the article for a question answered
// "No": an essential partnering skill or a characteristic of successful
// partnerships, in the article's words.
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

// EveryPartnership is the article's sentence for every score, a perfect one
// included.
const EveryPartnership = "No matter what your score, every partnership can be improved."

// skills are the article's nine essential skills for successful partnering,
// in its order and words, addressed to the assistant.
var skills = [...]Pointer{
	{skill, "Knowing Yourself", "Knowing who you are, including strengths and liabilities"},
	{skill, "Setting Goals", "Identifying what you and your partner want to accomplish and setting a plan"},
	{skill, "Adapting Your Work Style", "Recognizing the needs and work style of your partner and adapting as necessary"},
	{skill, "Planning and Managing", "Planning and managing your work in tandem with the boss’s"},
	{skill, "Decision Making", "Identifying when to make decisions and how to take action"},
	{skill, "Confidence", "Presenting your ideas with confidence"},
	{skill, "Collaboration", "Performing as an active team player"},
	{skill, "Being Proactive", "Acting proactively versus reactively"},
	{skill, "Productivity", "Supporting multiple bosses while maintaining high levels of personal productivity"},
}

const (
	knowingYourself = iota
	settingGoals
	adaptingWorkStyle
	planningManaging
	decisionMaking
	confidence
	collaboration
	beingProactive
	productivity
)

func char(name string) Pointer { return Pointer{characteristic, name, ""} }

// coaching maps each question, in order, to the article's pointers for a
// "No". The number is the answerer's own: the executive's questions are the
// assistant's with "your assistant" for "your boss", so one row serves both
// sides (the executive's 8, "Do you trust your assistant?", gets what the
// assistant's 8, "Do you trust your boss?", gets). Every one of the nine
// essential skills is used once.
//
//	Q   asks                            pointers                             why
//	1   share information, tasks …      Frequently associating and …         sharing needs frequent contact
//	                                    Being Proactive                      share before being asked
//	2   “playing on the same team”      Collaboration, Team-player orient.   the team, in skill and characteristic
//	3   joint interest in the goals     Setting Goals, Sharing joint …       agreeing what you both want
//	4   alignment on how to achieve     Planning and Managing                the how is planned in tandem
//	                                    Decision Making                      and is when to decide and act
//	5   comfortable in informal setting Sharing an important environment …   the setting shared
//	6   “know where you stand”          Knowing Yourself                     your strengths and liabilities
//	                                    Establishing clear rules and …       expectations said out loud
//	7   work well together              Adapting Your Work Style             meeting the partner's work style
//	                                    Productivity (assistant only)        working well while serving several bosses
//	8   you trust your partner          Respect and trust                    the article's word for it
//	9   your partner trusts you         Being dependable, Acting reliably    how trust is earned
//	10  currently “partnering”          Confidence                           a partner presents ideas, not only tasks
//	                                    Commitment to building and …         partnering is kept up on purpose
var coaching = [NumQuestions][]Pointer{
	{char("Frequently associating and communicating (face-to-face or long-distance)"), skills[beingProactive]},
	{skills[collaboration], char("Team-player orientation")},
	{skills[settingGoals], char("Sharing joint interests, goals, and concerns")},
	{skills[planningManaging], skills[decisionMaking]},
	{char("Sharing an important environment or setting")},
	{skills[knowingYourself], char("Establishing clear rules and expectations for each other")},
	{skills[adaptingWorkStyle], skills[productivity]},
	{char("Respect and trust")},
	{char("Being dependable"), char("Acting reliably")},
	{skills[confidence], char("Commitment to building and maintaining relationship")},
}

// Coaching is the article's pointers for question n (1-based) of
// perspective p answered "No"; ok is false for an n outside 1–10.
func Coaching(p Perspective, n int) (ps []Pointer, ok bool) {
	if n < 1 || n > NumQuestions {
		return nil, false
	}
	return from(p, coaching[n-1]), true
}

// Skills returns the nine essential skills as seen from p: for an executive
// without the ones that are only the assistant's (see ForExecutive).
func Skills(p Perspective) []Pointer { return from(p, skills[:]) }

// ForExecutive rewrites an article pointer from the executive's side: "the
// boss’s" reads "your assistant’s". A pointer that still speaks of bosses
// after that (Productivity: "Supporting multiple bosses …") is the
// assistant's job alone, and ok is false.
func ForExecutive(p Pointer) (_ Pointer, ok bool) {
	p.Text = strings.ReplaceAll(p.Text, "the boss’s", "your assistant’s")
	if strings.Contains(p.Name+p.Text, "boss") {
		return Pointer{}, false
	}
	return p, true
}

func from(p Perspective, ps []Pointer) []Pointer {
	out := make([]Pointer, 0, len(ps))
	for _, pt := range ps {
		if p == Executive {
			var ok bool
			if pt, ok = ForExecutive(pt); !ok {
				continue
			}
		}
		out = append(out, pt)
	}
	return out
}

// KeepBuilding is one essential skill to keep building, for a result with
// no "No" to point from. It is chosen by the result's ID (its time when it
// has none), so one result always shows the same skill and the next result
// likely another.
func KeepBuilding(r Result) Pointer {
	ss := Skills(r.Perspective)
	key := r.ID
	if key == "" {
		key = strconv.FormatInt(r.TakenAt.UnixNano(), 10)
	}
	// A cryptographic hash, for its spread: IDs differ in a letter or two.
	sum := sha256.Sum256([]byte(key))
	return ss[binary.BigEndian.Uint64(sum[:8])%uint64(len(ss))]
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
