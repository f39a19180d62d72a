package slackui

import (
	"strings"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
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
	msgPartnerRequired = "Choose the person you work with."
	msgPartnerInvalid  = "Choose a person from your workspace."
)

// The pair setup modal's role choice: the person picked is the executive
// (the caller is their assistant) or the assistant.
const (
	BlockRole       = "role"
	ActionRole      = "role"
	ValueTheyExec   = "they_executive"
	ValueTheyAssist = "they_assistant"
)

// PairSetupModal asks who the caller works with, and which of the two is
// the assistant. It sends an invitation; the pair exists once accepted.
func PairSetupModal() slack.ModalViewRequest {
	picker := slack.NewOptionsSelectBlockElement(slack.OptTypeUser, plain("Choose a person"), ActionPartner)
	theyExec := slack.NewOptionBlockObject(ValueTheyExec, plain("They are my executive: I am their assistant"), nil)
	theyAssist := slack.NewOptionBlockObject(ValueTheyAssist, plain("They are my assistant: I am their executive"), nil)
	role := slack.NewRadioButtonsBlockElement(ActionRole, theyExec, theyAssist)
	role.InitialOption = theyExec
	blocks := []slack.Block{
		slack.NewSectionBlock(mrkdwn("*Start a partnership*\nInvite the person you work with. Once they accept, you each take the self-assessment from your own side, list your next steps, and see a summary together."), nil, nil),
		slack.NewInputBlock(BlockPartner, plain("Who do you work with?"), plain("They get an invitation to accept or decline. Nothing is shared, and no check-in starts, unless they accept."), picker),
		slack.NewInputBlock(BlockRole, plain("Which of you is the assistant?"), nil, role),
	}
	return slack.ModalViewRequest{
		Type:       slack.VTModal,
		CallbackID: CallbackPairSetup,
		Title:      plain("Pair with someone"),
		Submit:     plain("Send invitation"),
		Close:      plain("Cancel"),
		Blocks:     slack.Blocks{BlockSet: blocks},
	}
}

// ParsePairSetup reads the chosen person and the caller's role in the pair
// (assessment.Assistant when the person is their executive). errs has an
// inline message keyed by BlockPartner when nobody, or something that is not
// a user, was chosen.
func ParsePairSetup(state *slack.ViewState) (userID string, callerRole assessment.Perspective, errs map[string]string) {
	var u, role string
	if state != nil {
		u = state.Values[BlockPartner][ActionPartner].SelectedUser
		role = state.Values[BlockRole][ActionRole].SelectedOption.Value
	}
	switch {
	case u == "":
		return "", "", map[string]string{BlockPartner: msgPartnerRequired}
	case !partnership.ValidUserID(u):
		return "", "", map[string]string{BlockPartner: msgPartnerInvalid}
	}
	if role == ValueTheyAssist {
		return u, assessment.Executive, nil
	}
	return u, assessment.Assistant, nil
}

// Invitation buttons; their value is the PairID the invitation would make.
const (
	ActionInviteAccept  = "invite_accept"
	ActionInviteDecline = "invite_decline"
	BlockInvitation     = "invitation"
)

// roleOf names user's role in the pair an invitation would make.
func roleOf(inv partnership.Invitation, user string) string {
	if user == inv.Executive {
		return "executive"
	}
	return "assistant"
}

// invitationText is what an invitation proposes, for its card.
func invitationText(inv partnership.Invitation) string {
	to := inv.Invitee()
	return mention(inv.From) + " invites you to a partnership on partnerbot: you would be the " + roleOf(inv, to) +
		", they the " + roleOf(inv, inv.From) + "."
}

// InvitationMessage is the card the invitee gets: what accepting means, and
// Accept / Decline.
func InvitationMessage(inv partnership.Invitation) (text string, blocks []slack.Block) {
	text = invitationText(inv)
	blocks = []slack.Block{
		slack.NewSectionBlock(mrkdwn(text), nil, nil),
		slack.NewSectionBlock(mrkdwn("*If you accept*\n"+
			"• You each take a ten-question self-assessment from your own side, and list your next steps.\n"+
			"• Your scores and bands are shared between you two. Your answers to each question stay private unless you choose to share them.\n"+
			"• You both get a short check-in each week, and a summary together."), nil, nil),
		invitationButtons(inv),
		slack.NewContextBlock("", mrkdwn("Nothing is shared and no check-in starts unless you accept. The invitation is open until "+slackDate(inv.Expires().Unix())+".")),
	}
	return text, blocks
}

// invitationButtons are the invitee's Accept and Decline.
func invitationButtons(inv partnership.Invitation) slack.Block {
	value := string(inv.Pair)
	return slack.NewActionBlock(BlockInvitation+":"+value,
		slack.NewButtonBlockElement(ActionInviteAccept, value, plain("Accept")).WithStyle(slack.StylePrimary),
		slack.NewButtonBlockElement(ActionInviteDecline, value, plain("Decline")),
	)
}

// Outcome says how an invitation, a request or a wish card was answered.
type Outcome struct {
	What string    // "Accepted", "Declined", "Expired", "No longer needed"…
	By   string    // who answered ("" when nobody did: it expired)
	At   time.Time // when
}

func (o Outcome) line() string {
	s := o.What
	if o.By != "" {
		s += " by " + mention(o.By)
	}
	return s + " on " + slackDate(o.At.Unix()) + "."
}

// InvitationAnsweredMessage replaces an invitation card once it is
// answered: the buttons give way to the outcome, who and when.
func InvitationAnsweredMessage(inv partnership.Invitation, o Outcome) (text string, blocks []slack.Block) {
	text = invitationText(inv)
	return text, []slack.Block{
		slack.NewSectionBlock(mrkdwn(text), nil, nil),
		slack.NewContextBlock(BlockInvitation, mrkdwn(o.line())),
	}
}

// InvitationSentReply tells the inviter what happens next.
func InvitationSentReply(inv partnership.Invitation) string {
	return "I invited " + mention(inv.Invitee()) + " to be your " + roleOf(inv, inv.Invitee()) +
		". You will hear from me when they answer; the invitation is open until " + slackDate(inv.Expires().Unix()) +
		". Nothing is shared until they accept."
}

// InvitationDeclinedMessage tells the inviter, kindly, that the answer was no.
func InvitationDeclinedMessage(inv partnership.Invitation) string {
	return mention(inv.Invitee()) + " declined your invitation to a partnership for now. No partnership was made and nothing was shared. " +
		"That is alright: people have many reasons. You can take the assessment on your own meanwhile (`" + Command + "`)."
}

// PairedMessage is the DM each member gets when an invitation is accepted:
// who they are partners with and what the bot will do. Either may leave.
func PairedMessage(p partnership.Pair, to string) (text string, blocks []slack.Block) {
	partner, _ := p.Partner(to)
	role, theirs := "assistant", "executive"
	if to == p.Executive {
		role, theirs = "executive", "assistant"
	}
	head := "You and " + mention(partner) + " are partners now: you are the " + role + ", they are the " + theirs + "."
	what := "*What happens now*\n" +
		"• You each take the self-assessment from your own side: `" + Command + "`.\n" +
		"• You each list your next steps — three things you are doing “just right”, three you could do more of or begin doing, three you wish your partner would do: `" + Command + " next-steps`. A wish goes to your partner only if you choose to send it.\n" +
		"• When you both have a new result, you get a summary together: both scores, how they moved, where your views differ, and the open wishes.\n" +
		":lock: Scores and bands are shared within the pair. Your answers to each question stay private unless you tick “Share my answers with my partner”."
	confirm := slack.NewConfirmationBlockObject(
		plain("Leave this partnership?"),
		plain("The partnership ends. Your partner is told."),
		plain("Leave"), plain("Stay"),
	).WithStyle(slack.StyleDanger)
	leave := slack.NewButtonBlockElement(ActionPairLeave, string(p.ID), plain("Leave this partnership")).
		WithStyle(slack.StyleDanger).WithConfirm(confirm)
	blocks = []slack.Block{
		slack.NewSectionBlock(mrkdwn(head), nil, nil),
		slack.NewSectionBlock(mrkdwn(what), nil, nil),
		slack.NewActionBlock(BlockPairLeave, leave),
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
		slack.NewSectionBlock(mrkdwn(text+" Its results, next steps and wishes are removed, and its charter with them: you wrote it together, so neither of you keeps it alone."), nil, nil),
		slack.NewContextBlock("", mrkdwn("You can start a new one at any time: `"+Command+" pair @someone`.")),
	}
	return text, blocks
}
