package slackui

import (
	"fmt"
	"strings"

	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/slack-go/slack"
)

// sparkBars are eight heights for the scores 0 to 10.
var sparkBars = []rune("▁▂▃▄▅▆▇█")

// maxSpark is how many of the latest scores a sparkline shows.
const maxSpark = 20

// Sparkline draws scores (0–10, oldest first) as a line of bars, the latest
// maxSpark of them.
func Sparkline(scores []int) string {
	scores = scores[max(0, len(scores)-maxSpark):]
	out := make([]rune, len(scores))
	top := len(sparkBars) - 1
	for i, s := range scores {
		s = min(max(s, 0), assessment.NumQuestions)
		out[i] = sparkBars[(s*top+assessment.NumQuestions/2)/assessment.NumQuestions]
	}
	return string(out)
}

// sideLine is one member's latest score, its change and trend, like
// "*Assistant* <@U1>: *8/10* (8–10 “Yes”: solid relationship and partnership) · 6/10 → 8/10 (+2) · trend `▅▇`".
func sideLine(role string, s partnership.Side) string {
	head := "*" + role + "* " + mention(s.UserID) + ": "
	latest, ok := s.Latest()
	if !ok {
		return head + "no result yet"
	}
	line := head + "*" + Score(latest.Score) + "* (" + BandLabel(latest.Band()) + ") · "
	if prev, ok := s.Previous(); ok {
		line += ScoreChange(prev.Score, latest.Score)
	} else {
		line += "first result"
	}
	if t := s.Trend(); len(t) >= 2 {
		line += " · trend `" + Sparkline(t) + "`"
	}
	return line
}

// shareInvite asks both members to share, the only way to see where their
// views differ: nothing is said of unshared answers, not even how many
// differ.
const shareInvite = "To see where your views differ, both of you tick “" + ShareText + "” when you next take the assessment."

// differenceText says where the two views differ, when both members shared
// their answers; otherwise it invites both to share.
func differenceText(s partnership.Summary) string {
	switch {
	case !s.BothTaken():
		return "Your views can be compared once you both have a result."
	case !s.Compared:
		return shareInvite
	case len(s.Differences) == 0:
		return "You see every question the same way."
	}
	as, ex := assessment.Questions(assessment.Assistant), assessment.Questions(assessment.Executive)
	var sb strings.Builder
	sb.WriteString("*Where your views differ*")
	for _, d := range s.Differences {
		// Each side in its own words: mirroring changes what some
		// questions ask, and the trust questions cross over.
		a, e := as[d.Fact.Assistant-1], ex[d.Fact.Executive-1]
		if a.Text == e.Text {
			fmt.Fprintf(&sb, "\n• %d. %s — assistant *%s*, executive *%s*", a.Number, a.Text, yesNo(d.Assistant), yesNo(d.Executive))
			continue
		}
		fmt.Fprintf(&sb, "\n• Assistant: %d. %s *%s* · Executive: %d. %s *%s*", a.Number, a.Text, yesNo(d.Assistant), e.Number, e.Text, yesNo(d.Executive))
	}
	return sb.String()
}

// maxSummaryWishes caps the wish list of a summary; the rest is counted.
const maxSummaryWishes = 20

// SummaryMessage is the pair summary, sent to both members together.
func SummaryMessage(s partnership.Summary) (text string, blocks []slack.Block) {
	text = "Partnership summary: assistant " + latestScore(s.Assistant) + ", executive " + latestScore(s.Executive)
	blocks = []slack.Block{
		slack.NewHeaderBlock(plain("Partnership summary")),
		slack.NewSectionBlock(mrkdwn(sideLine("Assistant", s.Assistant)), nil, nil),
		slack.NewSectionBlock(mrkdwn(sideLine("Executive", s.Executive)), nil, nil),
		slack.NewDividerBlock(),
		slack.NewSectionBlock(mrkdwn(differenceText(s)), nil, nil),
	}
	lines := []string{"*Open wishes*"}
	if len(s.OpenWishes) == 0 {
		lines[0] += "\nNone right now."
	}
	shown := s.OpenWishes[:min(len(s.OpenWishes), maxSummaryWishes)]
	for _, w := range shown {
		lines = append(lines, fmt.Sprintf("• %s — for %s · %s · %s", quote(clip(w.Text, wishLineRunes)), mention(w.To), statusWord(w.Status), age(w.AgeDays(s.At))))
	}
	if n := len(s.OpenWishes) - len(shown); n > 0 {
		lines = append(lines, fmt.Sprintf("And %s: `%s wishes` lists them all.", plural(n, "more wish", "more wishes"), Command))
	}
	blocks = append(blocks, sections(lines)...)
	if !s.Progress.Empty() {
		blocks = append(blocks, slack.NewDividerBlock())
		blocks = append(blocks, sections(progressLines(s.Progress))...)
	}
	blocks = append(blocks, slack.NewContextBlock("", mrkdwn("As of "+slackDate(s.At.Unix())+". Scores and bands are shared within the pair; answers only when both of you share them.")))
	return text, blocks
}

func latestScore(s partnership.Side) string {
	if r, ok := s.Latest(); ok {
		return Score(r.Score)
	}
	return "no result yet"
}
