package slackui

import (
	"fmt"
	"strings"

	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/slack-go/slack"
)

// sideLine is one member's latest score, its change and trend, like
// "*Assistant* <@U1>: *8/10* (8–10 “Yes”: solid relationship and partnership) · 6/10 → 8/10 (+2) · trend 4 → 6 → 8":
// the trend in numbers, since as bars 8 and 9 looked alike, and only from
// three results: the change already tells two.
func sideLine(role string, s partnership.Side) string {
	line := scoreLine(role, s)
	if len(s.Scores) >= 3 {
		line += " · trend " + sideTrend(s)
	}
	return line
}

// scoreLine is sideLine without the trend: the summary tells both
// members' together, in words and in a picture.
func scoreLine(role string, s partnership.Side) string {
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
		slack.NewSectionBlock(mrkdwn(scoreLine("Assistant", s.Assistant)), nil, nil),
		slack.NewSectionBlock(mrkdwn(scoreLine("Executive", s.Executive)), nil, nil),
	}
	// The trend in words, which a picture of it follows; with one result
	// each, the lines above say it all.
	if len(s.Assistant.Scores) >= 2 || len(s.Executive.Scores) >= 2 {
		blocks = append(blocks, slack.NewContextBlock("", mrkdwn(TrendText(s))))
	}
	blocks = append(blocks, slack.NewDividerBlock(), slack.NewSectionBlock(mrkdwn(differenceText(s)), nil, nil))
	lines := []string{"*Open wishes*"}
	if len(s.OpenWishes) == 0 {
		lines[0] += "\nNone right now."
	}
	shown := s.OpenWishes[:min(len(s.OpenWishes), maxSummaryWishes)]
	for _, w := range shown {
		lines = append(lines, fmt.Sprintf("• %s — for %s · %s · %s", quote(clip(w.Text, wishLineRunes)), mention(w.To), statusWord(w.Status), since(w)))
	}
	if n := len(s.OpenWishes) - len(shown); n > 0 {
		lines = append(lines, fmt.Sprintf("And %s: `%s wishes` lists them all.", plural(n, "more wish", "more wishes"), Command))
	}
	blocks = append(blocks, sections(lines)...)
	if !s.Progress.Empty() {
		blocks = append(blocks, slack.NewDividerBlock())
		blocks = append(blocks, sections(progressLines(s.Progress))...)
	}
	if len(s.Reflections) > 0 {
		blocks = append(blocks, slack.NewDividerBlock())
		blocks = append(blocks, sections(reflectionLines(s.Reflections))...)
	}
	blocks = append(blocks, slack.NewContextBlock("", mrkdwn("As of "+slackDate(s.At.Unix())+". Scores and bands are shared within the pair; answers and reflections only when shared.")))
	return text, blocks
}

func latestScore(s partnership.Side) string {
	if r, ok := s.Latest(); ok {
		return Score(r.Score)
	}
	return "no result yet"
}

// maxSummaryReflections caps the check-in answers a summary lists.
const maxSummaryReflections = 8

// reflectionLines are the check-in answers both members may see: shared
// reflections, and what either would change in the plan.
func reflectionLines(rs []partnership.Reflection) []string {
	lines := []string{"*From your check-ins*"}
	for _, r := range rs[:min(len(rs), maxSummaryReflections)] {
		if r.Text != "" {
			lines = append(lines, "• "+mention(r.User)+" on “"+Escape(r.Prompt)+"”: "+quote(clip(r.Text, wishLineRunes)))
		}
		if r.PlanChange != "" {
			lines = append(lines, "• "+mention(r.User)+" would change in the plan: "+quote(clip(r.PlanChange, wishLineRunes)))
		}
	}
	return lines
}
