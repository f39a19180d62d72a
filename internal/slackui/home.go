package slackui

import (
	"fmt"
	"strings"
	"time"

	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/slack-go/slack"
)

// HomePair is one of the user's partnerships as the Home tab shows it.
type HomePair struct {
	Pair    partnership.Pair
	Summary partnership.Summary
	// Sharings are where the pair's scorecard may go, each with a button
	// to stop it.
	Sharings []partnership.Sharing
	// Charter is where the pair's charter stands.
	Charter partnership.CharterState
	// Now is the roadmap's Now column, each goal with its Update… button.
	Now []partnership.Goal
}

// maxHomeSharings caps the scorecard consents listed for one pair; past
// maxHomeSharingBlocks blocks, none are (the wishes need the room; the
// `scorecard stop` command works for any).
const (
	maxHomeSharings      = 5
	maxHomeSharingBlocks = 60
)

// maxHomeCharterBlocks: past this many blocks, a pair's charter buttons
// are left off (its state line stays; `charter` works for any), and the
// task-area table is shown only if it ends before it.
const maxHomeCharterBlocks = 75

// maxHomeGoalBlocks is where the Now columns stop taking a block per goal
// (the wishes need the room): past it, a pair's Now is a count.
const maxHomeGoalBlocks = 50

// Home is what the Home tab shows one user.
type Home struct {
	UserID     string
	Pairs      []HomePair
	WishesToMe []partnership.Wish
	Now        time.Time
	AwayUntil  time.Time // zero when not away
	// Invitations the user may answer, and those waiting on others.
	InvitationsToMe, InvitationsByMe []partnership.Invitation
	// TaskOwnership is who has each task area in the pairs where the user
	// is the assistant; shown as one table from two such pairs on.
	TaskOwnership []partnership.TaskOwnership
	// CanLogWins: the user is the assistant of a pair, and gets Log a win.
	CanLogWins bool
}

// maxHomeInvitations caps the invitations listed on the Home tab.
const maxHomeInvitations = 5

// maxHomePairs caps the partnerships listed on the Home tab.
const maxHomePairs = 20

// HomeView is the user's Home tab: their partnerships with both latest
// scores and trends and their roadmap's Now, the open wishes addressed to
// them with their buttons, and buttons to start the assessment, next
// steps or pairing, and to log a win.
func HomeView(h Home) slack.HomeTabViewRequest {
	top := []slack.BlockElement{
		slack.NewButtonBlockElement(ActionHomeAssess, "", plain("Take the assessment")).WithStyle(slack.StylePrimary),
		slack.NewButtonBlockElement(ActionHomeNextSteps, "", plain("Next steps")),
		slack.NewButtonBlockElement(ActionHomePair, "", plain("Pair with someone")),
		slack.NewButtonBlockElement(ActionHomeAway, "", plain("Out of office…")),
	}
	if h.CanLogWins {
		top = append(top, slack.NewButtonBlockElement(ActionWinLog, "", plain("Log a win")))
	}
	blocks := []slack.Block{
		slack.NewHeaderBlock(plain("Your partnerships")),
		slack.NewActionBlock(BlockHomeActions, top...),
	}
	if !h.AwayUntil.IsZero() {
		blocks = append(blocks, slack.NewContextBlock("", mrkdwn(":palm_tree: You are away until "+When(h.AwayUntil)+": your check-ins wait. `"+Command+" away off` when you are back early.")))
	}
	blocks = append(blocks, invitationBlocks(h)...)
	if len(h.Pairs) == 0 {
		blocks = append(blocks, slack.NewSectionBlock(mrkdwn("You are not in a partnership yet. To start one, type `"+
			Command+" pair @your-executive` (or `pair @your-assistant as assistant`) or press *Pair with someone*: they get an invitation, and once they accept you each answer the self-assessment from your own side.\n"+
			"You can take the assessment on your own meanwhile."), nil, nil))
	}
	shown := h.Pairs[:min(len(h.Pairs), maxHomePairs)]
	for _, hp := range shown {
		blocks = append(blocks, slack.NewDividerBlock(), slack.NewSectionBlock(mrkdwn(homePairText(h.UserID, hp)), nil, nil))
		if len(blocks) < maxHomeCharterBlocks {
			blocks = append(blocks, charterHomeButtons(hp.Pair, h.UserID, hp.Charter))
		}
		blocks = append(blocks, homeNowBlocks(hp, h.Now, len(blocks))...)
		if len(blocks) < maxHomeSharingBlocks {
			blocks = append(blocks, sharingBlocks(hp)...)
		}
	}
	if n := len(h.Pairs) - len(shown); n > 0 {
		blocks = append(blocks, slack.NewContextBlock("", mrkdwn(fmt.Sprintf("And %s.", plural(n, "more partnership", "more partnerships")))))
	}
	if len(h.TaskOwnership) >= 2 {
		if table := ownershipBlocks(h.TaskOwnership); len(blocks)+1+len(table) <= maxHomeCharterBlocks {
			blocks = append(append(blocks, slack.NewDividerBlock()), table...)
		}
	}
	if len(h.Pairs) == 0 && len(h.WishesToMe) == 0 {
		return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}
	}
	blocks = append(blocks, slack.NewDividerBlock())
	if len(h.WishesToMe) == 0 {
		blocks = append(blocks, slack.NewSectionBlock(mrkdwn("*Wishes addressed to you*\nNone open."), nil, nil))
		return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}
	}
	blocks = append(blocks, slack.NewSectionBlock(mrkdwn("*Wishes addressed to you*"), nil, nil))
	// Two blocks a wish, and one left for the note of how many more.
	room := (MaxViewBlocks - len(blocks) - 1) / 2
	ws := h.WishesToMe[:min(len(h.WishesToMe), room)]
	for _, w := range ws {
		blocks = append(blocks,
			slack.NewSectionBlock(mrkdwn(fmt.Sprintf("%s\nfrom %s · %s · %s", quote(w.Text), mention(w.From), statusWord(w.Status), age(w.AgeDays(h.Now)))), nil, nil),
			WishButtons(w))
	}
	if n := len(h.WishesToMe) - len(ws); n > 0 {
		blocks = append(blocks, slack.NewContextBlock("", mrkdwn(fmt.Sprintf("And %s: answer these to see the rest.", plural(n, "more wish", "more wishes")))))
	}
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}
}

func homePairText(user string, hp HomePair) string {
	p, s := hp.Pair, hp.Summary
	partner, _ := p.Partner(user)
	role := "assistant"
	if user == p.Executive {
		role = "executive"
	}
	text := "*With " + mention(partner) + "* — you are the " + role + "\n" +
		sideLine("Assistant", s.Assistant) + "\n" +
		sideLine("Executive", s.Executive)
	switch {
	case s.Compared && len(s.Differences) > 0:
		text += "\nYour views differ on " + plural(len(s.Differences), "question", "questions") + "."
	case s.Compared:
		text += "\nYou see every question the same way."
	case s.BothTaken():
		text += "\n" + shareInvite
	}
	if n := len(s.OpenWishes); n > 0 {
		text += "\n" + plural(n, "open wish", "open wishes") + " between you."
	}
	return text + "\n" + charterHomeLine(user, hp.Charter)
}

// homeNowBlocks is a pair's roadmap Now column: a goal a block, each with
// its Update… button, while the Home tab has room (used blocks so far);
// then a line saying how many.
func homeNowBlocks(hp HomePair, now time.Time, used int) []slack.Block {
	if len(hp.Now) == 0 {
		return nil
	}
	if used+len(hp.Now) > maxHomeGoalBlocks {
		return []slack.Block{slack.NewContextBlock("", mrkdwn(fmt.Sprintf("*Now:* %s. `%s roadmap` shows them.", plural(len(hp.Now), "goal", "goals"), Command)))}
	}
	var blocks []slack.Block
	for _, g := range hp.Now {
		blocks = append(blocks, goalSection(g, now))
	}
	return blocks
}

// invitationBlocks lists the invitations waiting for the user's answer,
// with their buttons, and those the user sent.
func invitationBlocks(h Home) []slack.Block {
	var blocks []slack.Block
	for _, inv := range h.InvitationsToMe[:min(len(h.InvitationsToMe), maxHomeInvitations)] {
		blocks = append(blocks, slack.NewDividerBlock(), slack.NewSectionBlock(mrkdwn(invitationText(inv)), nil, nil), invitationButtons(inv))
	}
	if len(h.InvitationsByMe) > 0 {
		var lines []string
		for _, inv := range h.InvitationsByMe[:min(len(h.InvitationsByMe), maxHomeInvitations)] {
			lines = append(lines, "You invited "+mention(inv.Invitee())+" to be your "+roleOf(inv, inv.Invitee())+
				": waiting for their answer, until "+slackDate(inv.Expires().Unix())+".")
		}
		blocks = append(blocks, slack.NewContextBlock("", mrkdwn(strings.Join(lines, "\n"))))
	}
	return blocks
}

// sharingBlocks say where the pair's scorecard may go, each with its Stop
// sharing button beside it (a section's text names the channel; a button's
// plain text could not).
func sharingBlocks(hp HomePair) []slack.Block {
	var blocks []slack.Block
	for _, sh := range hp.Sharings[:min(len(hp.Sharings), maxHomeSharings)] {
		text := ":eyes: Your scorecard may be shown in " + ScopeName(sh.Scope) + ": you both agreed."
		if !sh.Agreed {
			text = ":hourglass: Your scorecard in " + ScopeName(sh.Scope) + " waits for " + mention(sh.Waiting) + " to agree."
		}
		stop := slack.NewButtonBlockElement(ActionScorecardStop, EncodeScopeRef(hp.Pair.ID, sh.Scope), plain("Stop sharing"))
		blocks = append(blocks, slack.NewSectionBlock(mrkdwn(text), nil, slack.NewAccessory(stop)))
	}
	return blocks
}
