package slackui

import (
	"strings"

	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/slack-go/slack"
)

// PairOption is one partnership a user may pick, with a label the caller
// builds from names ("Ada Assistant & Eve Exec"): a select's plain_text
// cannot render mentions.
type PairOption struct {
	ID    partnership.PairID
	Label string
}

// PairChoice is the partnerships a modal may be about and the one it is
// about now ("" when the user has none).
type PairChoice struct {
	Options  []PairOption
	Selected partnership.PairID
}

// maxPairOptions is Slack's limit of options in a static select.
const maxPairOptions = 100

// pairSelectBlocks starts a modal with the partnership select when there is
// a choice to make. It sits in an actions block so that picking a pair sends
// block_actions at once and the bot can redraw the modal for that pair.
func pairSelectBlocks(c PairChoice) []slack.Block {
	if len(c.Options) < 2 {
		return nil
	}
	var opts []*slack.OptionBlockObject
	var initial *slack.OptionBlockObject
	for _, o := range c.Options[:min(len(c.Options), maxPairOptions)] {
		label := strings.TrimSpace(o.Label)
		if label == "" {
			label = string(o.ID)
		}
		opt := slack.NewOptionBlockObject(string(o.ID), plain(clip(label, maxOptionText)), nil)
		opts = append(opts, opt)
		if o.ID == c.Selected {
			initial = opt
		}
	}
	sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Which partnership?"), ActionPairSelect, opts...)
	if initial != nil {
		sel = sel.WithInitialOption(initial)
	}
	return []slack.Block{
		slack.NewActionBlock(BlockPair, sel),
		slack.NewContextBlock("", mrkdwn("You are in more than one partnership: this is about the one chosen above.")),
	}
}

// ParsePairSelect reads the partnership picked in the select of a
// block_actions payload. ok is false when the payload holds no such pick or
// its value is not a pair ID (the value is untrusted).
func ParsePairSelect(cb slack.InteractionCallback) (partnership.PairID, bool) {
	for _, a := range cb.ActionCallback.BlockActions {
		if a == nil || a.ActionID != ActionPairSelect || a.BlockID != BlockPair {
			continue
		}
		id, _, _, err := partnership.ParsePairID(a.SelectedOption.Value)
		if err != nil {
			return "", false
		}
		return id, true
	}
	return "", false
}

// Text of the pair setup modal.
const (
	msgPartnerRequired = "Choose the executive you work with."
	msgPartnerInvalid  = "Choose a person from your workspace."
)

// PairSetupModal asks the assistant who their executive is.
func PairSetupModal() slack.ModalViewRequest {
	picker := slack.NewOptionsSelectBlockElement(slack.OptTypeUser, plain("Choose a person"), ActionPartner)
	blocks := []slack.Block{
		slack.NewSectionBlock(mrkdwn("*Start a partnership*\nPick the executive you work with. You each take the self-assessment from your own side, list your next steps, and see a summary together."), nil, nil),
		slack.NewInputBlock(BlockPartner, plain("Who is your executive?"), plain("You become the assistant in this partnership and they become the executive. They get a message and can leave at any time."), picker),
	}
	return slack.ModalViewRequest{
		Type:       slack.VTModal,
		CallbackID: CallbackPairSetup,
		Title:      plain("Pair with someone"),
		Submit:     plain("Pair"),
		Close:      plain("Cancel"),
		Blocks:     slack.Blocks{BlockSet: blocks},
	}
}

// ParsePairSetup reads the chosen executive. errs has an inline message keyed
// by BlockPartner when nobody, or something that is not a user, was chosen.
func ParsePairSetup(state *slack.ViewState) (userID string, errs map[string]string) {
	var u string
	if state != nil {
		u = state.Values[BlockPartner][ActionPartner].SelectedUser
	}
	switch {
	case u == "":
		return "", map[string]string{BlockPartner: msgPartnerRequired}
	case !partnership.ValidUserID(u):
		return "", map[string]string{BlockPartner: msgPartnerInvalid}
	}
	return u, nil
}

// PairedMessage is the DM each member gets when a pair is made: who paired
// them and what the bot will do. The executive, who did not ask for it, gets
// a button to leave.
func PairedMessage(p partnership.Pair, to string) (text string, blocks []slack.Block) {
	var head string
	if to == p.Executive {
		head = mention(p.Assistant) + " paired with you as their executive."
	} else {
		head = "You paired with " + mention(p.Executive) + ". You are the assistant, they are the executive."
	}
	what := "*What happens now*\n" +
		"• You each take the self-assessment from your own side: `" + Command + "`.\n" +
		"• You each list your next steps — three things you are doing “just right”, three you could do more of or begin doing, three you wish your partner would do: `" + Command + " next-steps`. Each wish goes to your partner to acknowledge, do or decline.\n" +
		"• When you both have a new result, you get a summary together: both scores, how they moved, where your views differ, and the open wishes.\n" +
		":lock: Scores and bands are shared within the pair. Your answers to each question stay private unless you tick “Share my answers with my partner”."
	blocks = []slack.Block{
		slack.NewSectionBlock(mrkdwn(head), nil, nil),
		slack.NewSectionBlock(mrkdwn(what), nil, nil),
	}
	if to == p.Executive {
		confirm := slack.NewConfirmationBlockObject(
			plain("Leave this partnership?"),
			plain("The partnership ends, with its results, next steps and wishes. Your partner is told."),
			plain("Leave"), plain("Stay"),
		).WithStyle(slack.StyleDanger)
		leave := slack.NewButtonBlockElement(ActionPairLeave, string(p.ID), plain("Leave this partnership")).
			WithStyle(slack.StyleDanger).WithConfirm(confirm)
		blocks = append(blocks, slack.NewActionBlock(BlockPairLeave, leave))
	}
	return head, blocks
}

// PartnerLeftMessage tells the member who stayed that leaver ended the pair.
func PartnerLeftMessage(p partnership.Pair, leaver string) (text string, blocks []slack.Block) {
	role := "partner"
	switch leaver {
	case p.Assistant:
		role = "assistant"
	case p.Executive:
		role = "executive"
	}
	text = mention(leaver) + ", your " + role + ", left your partnership."
	blocks = []slack.Block{
		slack.NewSectionBlock(mrkdwn(text+" Its results, next steps and wishes are removed."), nil, nil),
		slack.NewContextBlock("", mrkdwn("You can start a new one at any time: `"+Command+" pair @someone`.")),
	}
	return text, blocks
}
