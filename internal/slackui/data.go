package slackui

import (
	"strings"

	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/slack-go/slack"
)

// DeleteDataModal asks for confirmation before the caller's data is removed.
func DeleteDataModal() slack.ModalViewRequest {
	blocks := []slack.Block{
		slack.NewSectionBlock(mrkdwn("*This removes, for good:*\n"+
			"• your self-assessment results\n"+
			"• your next steps\n"+
			"• the wishes you wrote\n\n"+
			"You also leave your partnerships, and your partners are told.\n"+
			"*This cannot be undone.*"), nil, nil),
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
	text = "Your data is deleted: " + strings.Join(parts, ", ") + "."
	if d.Pairs > 0 {
		text += " You left " + plural(d.Pairs, "partnership", "partnerships") + "; your partners were told."
	}
	blocks = []slack.Block{
		slack.NewSectionBlock(mrkdwn(text), nil, nil),
		slack.NewContextBlock("", mrkdwn("You can start again at any time with `"+Command+"`.")),
	}
	return text, blocks
}
