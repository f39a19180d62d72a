package slackui

import (
	"fmt"
	"strings"

	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/slack-go/slack"
)

// Scorecard consent buttons; their value is the PairID.
const (
	ActionScorecardAllow  = "scorecard_allow"
	ActionScorecardNotNow = "scorecard_not_now"
	BlockScorecardConsent = "scorecard_consent"
)

// ScorecardMessage is the pair's card for a channel: both members, latest
// bands and scores, trend, check-in streak, wishes closed vs open. Never
// answers.
func ScorecardMessage(c partnership.Card, streak int) (text string, blocks []slack.Block) {
	p := c.Summary.Pair
	text = "Partnership scorecard"
	blocks = []slack.Block{
		slack.NewHeaderBlock(plain("Partnership scorecard")),
		slack.NewSectionBlock(mrkdwn(sideLine("Assistant", c.Summary.Assistant)+"\n"+sideLine("Executive", c.Summary.Executive)), nil, nil),
		slack.NewSectionBlock(nil, []*slack.TextBlockObject{
			mrkdwn("*Check-in streak*\n" + plural(streak, "round", "rounds") + " in a row, both answered"),
			mrkdwn(fmt.Sprintf("*Wishes*\n%d closed · %d open", c.WishesClosed, c.WishesOpen)),
		}, nil),
		slack.NewContextBlock("", mrkdwn(mention(p.Assistant)+" and "+mention(p.Executive)+" both agreed to share this card. Answers stay private.")),
	}
	return text, blocks
}

// ScorecardConsentMessage asks the partner whether the pair's card may be
// posted in a channel.
func ScorecardConsentMessage(p partnership.Pair, requester, channel string) (text string, blocks []slack.Block) {
	text = "Your partner would like to post your partnership scorecard in a channel."
	value := string(p.ID)
	blocks = []slack.Block{
		slack.NewSectionBlock(mrkdwn(mention(requester)+" would like to post your partnership scorecard in <#"+channel+">: "+
			"both your latest scores and bands, the trend, your check-in streak, and how many wishes are open and closed. "+
			"Never your answers. Your agreement also lets your pair count in the team's anonymous scorecard."), nil, nil),
		slack.NewActionBlock(BlockScorecardConsent,
			slack.NewButtonBlockElement(ActionScorecardAllow, value, plain("Allow")).WithStyle(slack.StylePrimary),
			slack.NewButtonBlockElement(ActionScorecardNotNow, value, plain("Not now")),
		),
	}
	return text, blocks
}

// TeamScorecardMessage is the workspace's periodic aggregate over
// consenting pairs. Counts under partnership.MinTeamCount are hidden.
func TeamScorecardMessage(t partnership.TeamCard) (text string, blocks []slack.Block) {
	text = "Team partnership scorecard"
	blocks = []slack.Block{slack.NewHeaderBlock(plain("Team partnership scorecard"))}
	if t.Pairs < partnership.MinTeamCount {
		blocks = append(blocks, slack.NewSectionBlock(mrkdwn(fmt.Sprintf(
			"Fewer than %d pairs have agreed to share so far, so there is nothing to show without pointing at someone. "+
				"A pair joins when both members allow their scorecard (`%s scorecard`).", partnership.MinTeamCount, Command)), nil, nil))
		return text, blocks
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "*%d pairs* agreed to share.\n", t.Pairs)
	for _, b := range assessment.Bands() {
		fmt.Fprintf(&sb, "• %s — %s\n", BandLabel(b), teamCount(t.Bands[b.Key]))
	}
	fmt.Fprintf(&sb, "*Average score* %.1f/10", t.Average)
	if t.HasPrevious {
		fmt.Fprintf(&sb, " (%+.1f since the results before)", t.Average-t.Previous)
	}
	fmt.Fprintf(&sb, "\n*Wishes* since %s: %s opened, %s closed", fallbackDate(t.Since.Unix()), teamCount(t.WishesOpened), teamCount(t.WishesClosed))
	blocks = append(blocks,
		slack.NewSectionBlock(mrkdwn(sb.String()), nil, nil),
		slack.NewContextBlock("", mrkdwn(fmt.Sprintf("Aggregates only; counts under %d are hidden. No one's answers are ever shown.", partnership.MinTeamCount))),
	)
	return text, blocks
}

func teamCount(n int) string {
	if n > 0 && n < partnership.MinTeamCount {
		return fmt.Sprintf("fewer than %d", partnership.MinTeamCount)
	}
	return fmt.Sprint(n)
}
