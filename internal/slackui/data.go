package slackui

import (
	"strings"

	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/slack-go/slack"
)

// DeleteDataModal asks for confirmation before the caller's data is
// removed, saying what goes and what stays.
func DeleteDataModal() slack.ModalViewRequest {
	blocks := []slack.Block{
		slack.NewSectionBlock(mrkdwn("*This removes, for good:*\n"+
			"• your self-assessment results, and the history of partnerships that ended\n"+
			"• your next steps\n"+
			"• the wishes you wrote, and the notes you wrote on your partners’ wishes\n"+
			"• your partnerships’ roadmaps, their goals and notes, and the wins logged there\n"+
			"• your check-in answers: reflections and what you would change in the plan\n"+
			"• your invitations, sent and received, and your scorecard consents\n"+
			"• your out-of-office date and your remembered choices\n"+
			"• the charters of your partnerships: you wrote each with your partner, so it goes with the partnership and neither of you keeps it\n\n"+
			"You also leave your partnerships, and your partners are told.\n"+
			"*This cannot be undone.*"), nil, nil),
		slack.NewSectionBlock(mrkdwn("*What stays:*\n"+
			"• Your partners keep their own results, next steps and the wishes they wrote, without your name; the wins they logged and the goals they own, with their own words and notes only; and their own check-in answers.\n"+
			"• Messages already in Slack (DMs, summaries, scorecards posted in channels) stay in Slack: delete them there if you want them gone."), nil, nil),
		slack.NewContextBlock("", mrkdwn("Want a copy first? Cancel and type `"+Command+" export`.")),
	}
	return slack.ModalViewRequest{
		Type:       slack.VTModal,
		CallbackID: CallbackDeleteData,
		Title:      plain("Delete my data"),
		Submit:     plain("Delete my data"),
		Close:      plain("Cancel"),
		Blocks:     slack.Blocks{BlockSet: blocks},
	}
}

// DeletedMessage says what was removed.
func DeletedMessage(d partnership.Deleted) (text string, blocks []slack.Block) {
	var parts []string
	parts = append(parts, plural(d.Results, "result", "results"))
	parts = append(parts, plural(d.Lists, "next steps list", "next steps lists"))
	parts = append(parts, plural(d.Wishes, "wish you wrote", "wishes you wrote"))
	if d.Goals > 0 {
		parts = append(parts, plural(d.Goals, "roadmap goal", "roadmap goals"))
	}
	if d.Wins > 0 {
		parts = append(parts, plural(d.Wins, "win", "wins"))
	}
	if d.Invitations > 0 {
		parts = append(parts, plural(d.Invitations, "invitation", "invitations"))
	}
	if d.Charters > 0 {
		parts = append(parts, plural(d.Charters, "partnership charter", "partnership charters"))
	}
	text = "Your data is deleted: " + strings.Join(parts, ", ") + "."
	if d.Pairs > 0 {
		text += " You left " + plural(d.Pairs, "partnership", "partnerships") + "; your partners were told, and keep their own history without your name."
	}
	blocks = []slack.Block{
		slack.NewSectionBlock(mrkdwn(text), nil, nil),
		slack.NewContextBlock("", mrkdwn("You can start again at any time with `"+Command+"`.")),
	}
	return text, blocks
}

// ExportCounts says what an export holds, like "3 results, 1 partnership,
// 1 next steps list, 2 wishes".
func ExportCounts(ex partnership.Export) string {
	parts := []string{
		plural(len(ex.Results), "result", "results"),
		plural(len(ex.Pairs), "partnership", "partnerships"),
		plural(len(ex.NextSteps), "next steps list", "next steps lists"),
		plural(len(ex.Wishes), "wish", "wishes"),
	}
	if n := len(ex.Goals); n > 0 {
		parts = append(parts, plural(n, "goal", "goals"))
	}
	if n := len(ex.Wins); n > 0 {
		parts = append(parts, plural(n, "win", "wins"))
	}
	if n := len(ex.Former); n > 0 {
		parts = append(parts, plural(n, "partnership that ended", "partnerships that ended"))
	}
	if n := len(ex.Invitations); n > 0 {
		parts = append(parts, plural(n, "invitation", "invitations"))
	}
	if n := len(ex.Charters); n > 0 {
		parts = append(parts, plural(n, "partnership charter", "partnership charters"))
	}
	return strings.Join(parts, ", ")
}
