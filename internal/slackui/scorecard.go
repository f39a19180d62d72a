package slackui

import (
	"fmt"
	"strings"

	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/slack-go/slack"
)

// Scorecard consent buttons (the ask's Allow and Not now, and the Home
// tab's Stop sharing); their value is an EncodeScopeRef.
const (
	ActionScorecardAllow  = "scorecard_allow"
	ActionScorecardNotNow = "scorecard_not_now"
	ActionScorecardStop   = "scorecard_stop"
	BlockScorecardConsent = "scorecard_consent"
)

// EncodeScopeRef names a pair and a scope in a button's value.
func EncodeScopeRef(pair partnership.PairID, sc partnership.Scope) string {
	return string(pair) + "|" + string(sc)
}

// ParseScopeRef reads what EncodeScopeRef wrote (untrusted). A bare pair
// ID, as asks sent before scopes carry, is refused: it names no channel
// to answer for.
func ParseScopeRef(s string) (partnership.PairID, partnership.Scope, error) {
	pair, sc, ok := strings.Cut(s, "|")
	id, _, _, err := partnership.ParsePairID(pair)
	if err != nil || !ok || !partnership.ValidScope(partnership.Scope(sc)) {
		return "", "", partnership.ErrBadID
	}
	return id, partnership.Scope(sc), nil
}

// ScopeName names a scope for people: the channel, as a mention Slack
// shows by its name, or the team scorecard.
func ScopeName(sc partnership.Scope) string {
	if sc == partnership.TeamScope {
		return "the team's anonymous scorecard"
	}
	return "<#" + string(sc) + ">"
}

// ScorecardMessage is the pair's card for a channel: both members, latest
// bands and scores, trend, check-in streak, wishes closed vs open, and how
// many roadmap goals are done this quarter, whether their charter is
// agreed. Never answers, never a goal's or the charter's text.
func ScorecardMessage(c partnership.Card, streak int) (text string, blocks []slack.Block) {
	p := c.Summary.Pair
	text = "Partnership scorecard"
	fields := []*slack.TextBlockObject{
		mrkdwn("*Check-in streak*\n" + plural(streak, "round", "rounds") + " in a row, both answered"),
		mrkdwn(fmt.Sprintf("*Wishes*\n%d closed · %d open", c.WishesClosed, c.WishesOpen)),
	}
	if c.GoalsDone > 0 {
		fields = append(fields, mrkdwn("*Roadmap*\n"+plural(c.GoalsDone, "goal", "goals")+" done this quarter"))
	}
	if !c.CharterAgreed.IsZero() {
		fields = append(fields, mrkdwn("*Charter*\nAgreed on "+slackDate(c.CharterAgreed.Unix())))
	}
	blocks = []slack.Block{
		slack.NewHeaderBlock(plain("Partnership scorecard")),
		slack.NewSectionBlock(mrkdwn(sideLine("Assistant", c.Summary.Assistant)+"\n"+sideLine("Executive", c.Summary.Executive)), nil, nil),
		slack.NewSectionBlock(nil, fields, nil),
		slack.NewContextBlock("", mrkdwn(mention(p.Assistant)+" and "+mention(p.Executive)+" both agreed to share this card. Answers stay private.")),
	}
	return text, blocks
}

// scorecardAskText says what the partner is asked to allow.
func scorecardAskText(requester string, sc partnership.Scope) string {
	if sc == partnership.TeamScope {
		return mention(requester) + " would like your pair to count in the team's anonymous scorecard: " +
			"only how many pairs are in each band, the average score and wishes opened and closed, over at least three pairs, " +
			"with any count that could point at someone hidden. Never your names, your scores on their own, or your answers."
	}
	return mention(requester) + " would like to post your partnership scorecard in " + ScopeName(sc) + ": " +
		"both your latest scores and bands, the trend, your check-in streak, how many wishes are open and closed, " +
		"how many roadmap goals are done this quarter and whether your charter is agreed. " +
		"Never your answers. Allowing it is for that channel only; either of you can stop it at any time."
}

// ScorecardConsentMessage asks the partner whether the pair's card may be
// shown in scope sc.
func ScorecardConsentMessage(p partnership.Pair, requester string, sc partnership.Scope) (text string, blocks []slack.Block) {
	text = "Your partner would like to share your partnership scorecard in " + ScopeName(sc) + "."
	value := EncodeScopeRef(p.ID, sc)
	blocks = []slack.Block{
		slack.NewSectionBlock(mrkdwn(scorecardAskText(requester, sc)), nil, nil),
		slack.NewActionBlock(BlockScorecardConsent,
			slack.NewButtonBlockElement(ActionScorecardAllow, value, plain("Allow")).WithStyle(slack.StylePrimary),
			slack.NewButtonBlockElement(ActionScorecardNotNow, value, plain("Not now")),
		),
	}
	return text, blocks
}

// ScorecardAnsweredMessage replaces an ask once answered (or withdrawn):
// its buttons give way to the outcome, who and when.
func ScorecardAnsweredMessage(requester string, sc partnership.Scope, o Outcome) (text string, blocks []slack.Block) {
	text = "Your partner asked to share your partnership scorecard in " + ScopeName(sc) + "."
	return text, []slack.Block{
		slack.NewSectionBlock(mrkdwn(scorecardAskText(requester, sc)), nil, nil),
		slack.NewContextBlock(BlockScorecardConsent, mrkdwn(o.line())),
	}
}

// TeamScorecardMessage is the workspace's periodic aggregate over
// consenting pairs. What partnership.Team withheld shows as hiddenCount,
// the same wherever it is and whatever the reason, with one footnote.
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
	hidden := false
	count := func(c partnership.Count) string {
		if c.Hidden {
			hidden = true
			return hiddenCount
		}
		return fmt.Sprint(c.N)
	}
	fmt.Fprintf(&sb, "*%d pairs* agreed to share.\n", t.Pairs)
	for _, b := range assessment.Bands() {
		fmt.Fprintf(&sb, "• %s: %s\n", teamBandLabel(b), count(t.Bands[b.Key]))
	}
	fmt.Fprintf(&sb, "*Average score* %.1f/10", t.Average)
	if t.ChangeFrom >= partnership.MinTeamCount {
		fmt.Fprintf(&sb, " (%+.1f since the results before, for those who have one)", t.Change)
	}
	fmt.Fprintf(&sb, "\n*Wishes* since %s: %s opened, %s closed", fallbackDate(t.Since.Unix()), count(t.WishesOpened), count(t.WishesClosed))
	note := "Aggregates only. No one's answers are ever shown."
	if hidden {
		note = hiddenCount + " hidden so that no count points at anyone. " + note
	}
	blocks = append(blocks,
		slack.NewSectionBlock(mrkdwn(sb.String()), nil, nil),
		slack.NewContextBlock("", mrkdwn(note)),
	)
	return text, blocks
}

// hiddenCount stands for every number the team scorecard withholds.
const hiddenCount = "—"

// teamBandLabel names a band on the team scorecard: its title and range.
func teamBandLabel(b assessment.Band) string {
	return b.Range + " “Yes” (" + b.Title + ")"
}
