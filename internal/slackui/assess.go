package slackui

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/slack-go/slack"
)

// AssessMeta travels in the assessment modal's private_metadata. It comes
// back from Slack with the submission and is checked like any input.
type AssessMeta struct {
	Version     int                    `json:"v"`
	Perspective assessment.Perspective `json:"p"`
	// PairID is the partnership the answers are about; empty outside one.
	PairID partnership.PairID `json:"pair,omitempty"`
}

const metaVersion = 1

// Text shown to users.
const (
	msgAnswerRequired = "Please answer Yes or No."
	msgSaveFailed     = "Could not save, please try again. Your answers are still here."
)

// ShareText is the share checkbox's label, as the feature names it.
const ShareText = "Share my answers with my partner"

// AssessmentModal is the ten-question Yes/No modal, as seen from p. Inside a
// partnership (choice.Selected set) it ends with the share checkbox; with
// several partnerships it starts with the select that picks one.
func AssessmentModal(p assessment.Perspective, choice PairChoice) slack.ModalViewRequest {
	meta, _ := json.Marshal(AssessMeta{Version: metaVersion, Perspective: p, PairID: choice.Selected})
	privacy := ":lock: Your answers are private to you. Your score and its reading are saved to your history."
	if choice.Selected != "" {
		privacy = ":lock: Your score and band are shared with your partner. Your answers stay private unless you share them below."
	}
	blocks := pairSelectBlocks(choice)
	blocks = append(blocks,
		slack.NewSectionBlock(mrkdwn("*Self-Assessment: How well do you partner with your "+partnerWord(p)+"?*\n"+
			"Answer “Yes” or “No” to the following questions."), nil, nil),
		slack.NewContextBlock("", mrkdwn(privacy)),
	)
	for _, q := range assessment.Questions(p) {
		radio := slack.NewRadioButtonsBlockElement(ActionAnswer,
			slack.NewOptionBlockObject(ValueYes, plain("Yes"), nil),
			slack.NewOptionBlockObject(ValueNo, plain("No"), nil),
		)
		label := plain(strconv.Itoa(q.Number) + ". " + q.Text)
		blocks = append(blocks, slack.NewInputBlock(BlockQuestion(q.Number), label, nil, radio))
	}
	if choice.Selected != "" {
		share := slack.NewCheckboxGroupsBlockElement(ActionShare, slack.NewOptionBlockObject(ValueShare, plain(ShareText), nil))
		blocks = append(blocks,
			slack.NewInputBlock(BlockShare, plain("Your answers"), nil, share).WithOptional(true),
			slack.NewContextBlock("", mrkdwn("Scores and bands are always shared within the pair; your answers only if you tick the box.")),
		)
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      CallbackAssess,
		Title:           plain("Partnership check"),
		Submit:          plain("See my score"),
		Close:           plain("Cancel"),
		PrivateMetadata: string(meta),
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
}

// ParseShare reports whether the share checkbox was ticked. Anything but the
// one option the modal offers counts as not ticked.
func ParseShare(state *slack.ViewState) bool {
	if state == nil {
		return false
	}
	a, ok := state.Values[BlockShare][ActionShare]
	if !ok || len(a.SelectedOptions) != 1 {
		return false
	}
	return a.SelectedOptions[0].Value == ValueShare
}

func partnerWord(p assessment.Perspective) string {
	if p == assessment.Executive {
		return "assistant"
	}
	return "boss"
}

// ErrBadMetadata reports private_metadata that the bot did not write.
var ErrBadMetadata = errors.New("slackui: unrecognised private_metadata")

// ParseAssessMeta decodes and checks the modal's private_metadata.
func ParseAssessMeta(s string) (AssessMeta, error) {
	var m AssessMeta
	if len(s) > MaxMetadata {
		return m, fmt.Errorf("%w: %d bytes", ErrBadMetadata, len(s))
	}
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return m, fmt.Errorf("%w: %v", ErrBadMetadata, err)
	}
	if m.Version != metaVersion || !m.Perspective.Valid() {
		return m, fmt.Errorf("%w: version %d perspective %q", ErrBadMetadata, m.Version, m.Perspective)
	}
	if m.PairID != "" {
		if _, _, _, err := partnership.ParsePairID(string(m.PairID)); err != nil {
			return m, fmt.Errorf("%w: pair %q", ErrBadMetadata, m.PairID)
		}
	}
	return m, nil
}

// ParseAssessment reads the ten answers from a view_submission's state. For
// every question without a valid answer, errs has an inline message keyed by
// the question's block_id, ready for a response_action "errors".
func ParseAssessment(state *slack.ViewState) (answers assessment.Answers, errs map[string]string) {
	for i := range assessment.NumQuestions {
		id := BlockQuestion(i + 1)
		var value string
		if state != nil {
			if a, ok := state.Values[id][ActionAnswer]; ok {
				value = a.SelectedOption.Value
			}
		}
		switch value {
		case ValueYes:
			answers[i] = true
		case ValueNo:
		default:
			if errs == nil {
				errs = make(map[string]string)
			}
			errs[id] = msgAnswerRequired
		}
	}
	return answers, errs
}

// SaveFailedErrors keeps the modal open, with the user's answers, when the
// result could not be stored.
func SaveFailedErrors() map[string]string {
	return map[string]string{BlockQuestion(1): msgSaveFailed}
}

// ResultView replaces the modal once the result is saved.
func ResultView(r assessment.Result, prev assessment.Result, hasPrev bool) slack.ModalViewRequest {
	return slack.ModalViewRequest{
		Type:       slack.VTModal,
		CallbackID: CallbackAssess + "_done",
		Title:      plain("Your result"),
		Close:      plain("Done"),
		Blocks:     slack.Blocks{BlockSet: ResultBlocks(r, prev, hasPrev)},
	}
}

// ResultMessage is the DM that keeps the result in the conversation with the bot.
func ResultMessage(r assessment.Result, prev assessment.Result, hasPrev bool) (text string, blocks []slack.Block) {
	return "Your partnership self-assessment: " + ScoreLine(r), ResultBlocks(r, prev, hasPrev)
}

// ScoreLine is a result's score and band on one line, in the article's
// words: "6/10 (5–7 “Yes”: could probably be more productive and pleasant)".
func ScoreLine(r assessment.Result) string { return ScoreBand(r.Score()) }

// ScoreBand writes a score and its band on one line, like ScoreLine.
func ScoreBand(n int) string {
	return Score(n) + " (" + BandLabel(assessment.BandFor(n)) + ")"
}

// BandLabel names a band in the article's words: its range and the title
// taken from its reading, "5–7 “Yes”: could probably be more productive and
// pleasant". Every place that shows a band uses it.
func BandLabel(b assessment.Band) string { return b.Range + " “Yes”: " + b.Title }

// resultHeading heads a result with the score and the article's range, as
// the article heads its readings: "6/10 — 5–7 “Yes” answers". The article's
// lowest range starts at 1, so a 0 says it is read as one.
func resultHeading(r assessment.Result) string {
	b := r.Band()
	if r.Score() == 0 {
		return Score(0) + " — read as " + b.Range + " “Yes” answers"
	}
	return Score(r.Score()) + " — " + b.Range + " “Yes” answers"
}

// Score writes a score as N/10.
func Score(n int) string { return strconv.Itoa(n) + "/" + strconv.Itoa(assessment.NumQuestions) }

// ScoreChange writes the move between two scores, like "6/10 → 8/10 (+2)".
func ScoreChange(from, to int) string {
	return fmt.Sprintf("%s → %s (%+d)", Score(from), Score(to), to-from)
}

// ResultBlocks shows a result: score, band, the article's reading, the
// article's pointer for every "No", and what changed since the previous
// result.
func ResultBlocks(r assessment.Result, prev assessment.Result, hasPrev bool) []slack.Block {
	b := r.Band()
	blocks := []slack.Block{
		slack.NewHeaderBlock(plain(resultHeading(r))),
		slack.NewSectionBlock(mrkdwn(b.Reading(r.Perspective)), nil, nil),
	}
	blocks = append(blocks, coachingBlocks(r)...)
	if hasPrev {
		blocks = append(blocks, slack.NewDividerBlock(), changesBlock(r, prev))
	} else {
		blocks = append(blocks, slack.NewContextBlock("", mrkdwn("This is your first result. Take the assessment again to see how your partnership moves.")))
	}
	privacy := "Your answers are private to you."
	if r.PairID != "" {
		state := "private"
		if r.Shared {
			state = "shared"
		}
		privacy = "Your score and band are shared with your partner; your answers are " + state + "."
	}
	blocks = append(blocks, slack.NewContextBlock("",
		mrkdwn("Taken "+slackDate(r.TakenAt.Unix())+". "+privacy+" `/partner-assess history` lists your results.")))
	return blocks
}

// CoachingLines are the article's pointers for the questions answered "No",
// from the answerer's side, one line per pointer, like
// "• 8. Respect and trust — Characteristic of successful partnerships".
func CoachingLines(r assessment.Result) []string {
	var lines []string
	for i, yes := range r.Answers {
		if yes {
			continue
		}
		ps, _ := assessment.Coaching(r.Perspective, i+1)
		for _, p := range ps {
			lines = append(lines, fmt.Sprintf("• %d. %s — %s", i+1, pointerText(p), p.Source))
		}
	}
	return lines
}

func pointerText(p assessment.Pointer) string {
	if p.Text == "" {
		return p.Name
	}
	return "*" + p.Name + "*: " + p.Text
}

// coachingBlocks point from every "No"; a result without one still hears
// that every partnership can be improved, and gets one skill to keep
// building.
func coachingBlocks(r assessment.Result) []slack.Block {
	lines := CoachingLines(r)
	if len(lines) == 0 {
		p := assessment.KeepBuilding(r)
		return sections([]string{
			"*" + assessment.EveryPartnership + "* One skill to keep building:",
			"• " + pointerText(p) + " — " + p.Source,
		})
	}
	return sections(append([]string{"*Where to look, from the article*, for each “No”:"}, lines...))
}

func changesBlock(r, prev assessment.Result) slack.Block {
	var sb strings.Builder
	sb.WriteString("*Since your last result* (" + slackDate(prev.TakenAt.Unix()) + "): " + ScoreChange(prev.Score(), r.Score()))
	changes := assessment.Changes(prev.Answers, r.Answers)
	if len(changes) == 0 {
		sb.WriteString("\nNo answer changed.")
	}
	qs := assessment.Questions(r.Perspective)
	for _, c := range changes {
		fmt.Fprintf(&sb, "\n• %d. %s  %s → *%s*", c.Question, qs[c.Question-1].Text, yesNo(c.From), yesNo(c.To))
	}
	return slack.NewSectionBlock(mrkdwn(sb.String()), nil, nil)
}

func yesNo(yes bool) string {
	if yes {
		return "Yes"
	}
	return "No"
}
