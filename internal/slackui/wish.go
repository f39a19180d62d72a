package slackui

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/slack-go/slack"
)

// wishRefSep separates the pair from the wish in a wish reference. Neither
// a pair ID nor a wish ID contains it.
const wishRefSep = ":"

// maxWishID bounds a wish ID inside a reference.
const maxWishID = 64

// ErrBadWishRef reports a wish reference the bot did not write.
var ErrBadWishRef = errors.New("slackui: malformed wish reference")

// EncodeWishRef names a wish in a button value or private_metadata.
func EncodeWishRef(pair partnership.PairID, wishID string) string {
	return string(pair) + wishRefSep + wishID
}

// ParseWishRef reads what EncodeWishRef wrote. The value comes back from
// Slack and is untrusted: anything but a valid pair ID and a plain wish ID,
// once each, is refused.
func ParseWishRef(s string) (partnership.PairID, string, error) {
	if len(s) > MaxWishRef {
		return "", "", fmt.Errorf("%w: %d bytes", ErrBadWishRef, len(s))
	}
	pair, wish, ok := strings.Cut(s, wishRefSep)
	if !ok || !validWishID(wish) {
		return "", "", ErrBadWishRef
	}
	id, _, _, err := partnership.ParsePairID(pair)
	if err != nil {
		return "", "", ErrBadWishRef
	}
	return id, wish, nil
}

// validWishID accepts letters and digits only, as the service writes them.
func validWishID(s string) bool {
	if s == "" || len(s) > maxWishID {
		return false
	}
	for _, c := range s {
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// WishButtons are the addressee's buttons for one wish. A wish that is no
// longer open gets its status instead.
func WishButtons(w partnership.Wish) slack.Block {
	if !w.IsOpen() {
		return slack.NewContextBlock(BlockWish(w), mrkdwn(statusWord(w.Status)))
	}
	ref := EncodeWishRef(w.PairID, w.ID)
	var buttons []slack.BlockElement
	if w.Status == partnership.WishOpen {
		buttons = append(buttons, slack.NewButtonBlockElement(ActionWishAck, ref, plain("Acknowledge")))
	}
	buttons = append(buttons,
		slack.NewButtonBlockElement(ActionWishDone, ref, plain("Done")).WithStyle(slack.StylePrimary),
		slack.NewButtonBlockElement(ActionWishDecline, ref, plain("Decline…")),
	)
	if w.Status == partnership.WishAcknowledged {
		// Acknowledged, it can join the roadmap (once: a second press
		// names the goal it became).
		buttons = append(buttons, MakeGoalButton(partnership.IdeaFromWish(w)))
	}
	return slack.NewActionBlock(BlockWish(w), buttons...)
}

func statusWord(s partnership.WishStatus) string {
	switch s {
	case partnership.WishOpen:
		return "open"
	case partnership.WishAcknowledged:
		return "acknowledged"
	case partnership.WishDone:
		return "done"
	case partnership.WishDeclined:
		return "declined"
	}
	return "unknown"
}

// quote shows a wish's text, escaped.
func quote(text string) string { return "“" + Escape(text) + "”" }

// Caps that keep wish lists within Slack's block limits (and a slash
// command's reply within the 20 KB ack).
const (
	maxWishesInMessage = 23 // 1 + 2 per wish + 1 ≤ 50 blocks
	maxWishesInReply   = 10
	maxWishLines       = 20
	// wishLineRunes shortens a wish where it is only listed, not acted on.
	wishLineRunes = 150
)

// WishCard is the DM that shows the addressee wishes of one author, each
// with its buttons while it is open, and, once it was moved, who moved it
// and when. It is posted when the wishes are sent and redrawn in place
// (chat.update) whenever one of them moves, wherever that was done.
func WishCard(ws []partnership.Wish) (text string, blocks []slack.Block) {
	if len(ws) == 0 {
		return "No new wishes.", nil
	}
	from := mention(ws[0].From)
	text = from + " wishes you would: " + quote(clip(ws[0].Text, wishLineRunes))
	if len(ws) > 1 {
		text += fmt.Sprintf(" (and %s)", plural(len(ws)-1, "more wish", "more wishes"))
	}
	blocks = []slack.Block{slack.NewSectionBlock(mrkdwn(from+" wishes you would:"), nil, nil)}
	shown := ws[:min(len(ws), maxWishesInMessage)]
	for _, w := range shown {
		blocks = append(blocks, slack.NewSectionBlock(mrkdwn(quote(w.Text)+"\n_added "+slackDate(w.CreatedAt.Unix())+"_"), nil, nil))
		if line := wishOutcome(w); line != "" {
			blocks = append(blocks, slack.NewContextBlock("", mrkdwn(line)))
		}
		if w.IsOpen() {
			blocks = append(blocks, WishButtons(w))
		}
	}
	if n := len(ws) - len(shown); n > 0 {
		blocks = append(blocks, slack.NewContextBlock("", mrkdwn(fmt.Sprintf("And %s: `%s wishes` lists them all.", plural(n, "more wish", "more wishes"), Command))))
	}
	return text, blocks
}

// wishOutcome says who last moved a wish and when, like "Done by <@U1> on
// <date>." ("" for a wish nobody moved).
func wishOutcome(w partnership.Wish) string {
	if len(w.History) == 0 || w.Status == partnership.WishOpen {
		return ""
	}
	e := w.History[len(w.History)-1]
	what := map[partnership.WishStatus]string{
		partnership.WishAcknowledged: "Acknowledged", partnership.WishDone: "Done", partnership.WishDeclined: "Declined",
	}[e.To]
	if what == "" {
		return ""
	}
	line := Outcome{What: what, By: e.By, At: e.At}.line()
	if e.To == partnership.WishDeclined && strings.TrimSpace(e.Note) != "" {
		line += " Note: " + quote(clip(e.Note, wishLineRunes))
	}
	return line
}

// WishStaleText answers a press on a wish's button that no longer applies
// (it moved meanwhile, on another card or the Home tab).
func WishStaleText(w partnership.Wish) string {
	if line := wishOutcome(w); line != "" {
		return "That wish moved already: " + line + " Nothing changed."
	}
	return "That wish cannot move that way any more. Nothing changed."
}

// NextStepsSaved tells the author their lists are saved and, when they held
// new wishes, where those went: "… 1 new wish went to <@U1>.", "… 3 new
// wishes went …". The wishes come from one author to one addressee.
func NextStepsSaved(fresh []partnership.Wish) string {
	note := "Your next steps are saved."
	if len(fresh) > 0 {
		note += " " + plural(len(fresh), "new wish", "new wishes") + " went to " + mention(fresh[0].To) + "."
	}
	return note
}

// maxReplyJSON bounds the blocks of a slash command's reply, which travels
// as the Socket Mode ack: Slack drops acks of 20 KB or more.
const maxReplyJSON = 16_000

// WishesReply lists the caller's open wishes: those addressed to them, with
// their buttons, and those they wrote, still waiting on the partner. Long
// lists are cut to fit the ack, saying how many were left off.
func WishesReply(toMe, byMe []partnership.Wish) *Reply {
	if len(toMe) == 0 && len(byMe) == 0 {
		return ephemeral("No open wishes. The third Next Steps list — three things you wish your partner would do — sends wishes: `" + Command + " next-steps`.")
	}
	var blocks []slack.Block
	size := 0
	fits := func(bs ...slack.Block) bool {
		n := 0
		for _, b := range bs {
			js, _ := json.Marshal(b)
			n += len(js) + 1
		}
		if size+n > maxReplyJSON {
			return false
		}
		size += n
		blocks = append(blocks, bs...)
		return true
	}
	if len(toMe) > 0 {
		fits(slack.NewSectionBlock(mrkdwn("*Addressed to you*"), nil, nil))
		shown := 0
		for _, w := range toMe[:min(len(toMe), maxWishesInReply)] {
			text := fmt.Sprintf("%s\nfrom %s · %s · %s", quote(w.Text), mention(w.From), statusWord(w.Status), since(w))
			if !fits(slack.NewSectionBlock(mrkdwn(text), nil, nil), WishButtons(w)) {
				break
			}
			shown++
		}
		if n := len(toMe) - shown; n > 0 {
			blocks = append(blocks, slack.NewContextBlock("", mrkdwn(fmt.Sprintf("And %s: answer these, then type `%s wishes` again or open the Home tab.", plural(n, "more wish", "more wishes"), Command))))
		}
	}
	if len(byMe) > 0 {
		lines := []string{"*Yours, waiting on your partner*"}
		shown := 0
		for _, w := range byMe[:min(len(byMe), maxWishLines)] {
			line := fmt.Sprintf("• %s — for %s · %s · %s", quote(clip(w.Text, wishLineRunes)), mention(w.To), statusWord(w.Status), since(w))
			js, _ := json.Marshal(line)
			if size+len(js) > maxReplyJSON {
				break
			}
			size += len(js)
			lines = append(lines, line)
			shown++
		}
		if n := len(byMe) - shown; n > 0 {
			lines = append(lines, fmt.Sprintf("And %s.", plural(n, "more wish", "more wishes")))
		}
		blocks = append(blocks, sections(lines)...)
	}
	text := fmt.Sprintf("Open wishes: %d addressed to you, %d yours", len(toMe), len(byMe))
	return ephemeral(text, blocks...)
}

// WishMovedMessage tells a wish's author that the addressee moved it.
func WishMovedMessage(w partnership.Wish) (text string, blocks []slack.Block) {
	who := mention(w.To)
	var did string
	switch w.Status {
	case partnership.WishAcknowledged:
		did = "acknowledged your wish"
	case partnership.WishDone:
		did = "marked your wish done"
	case partnership.WishDeclined:
		did = "declined your wish"
	default:
		did = "has your wish open"
	}
	text = who + " " + did + ": " + quote(clip(w.Text, wishLineRunes))
	body := who + " " + did + ":\n" + quote(w.Text)
	blocks = []slack.Block{slack.NewSectionBlock(mrkdwn(body), nil, nil)}
	if w.Status == partnership.WishDeclined && strings.TrimSpace(w.Note) != "" {
		blocks = append(blocks, slack.NewSectionBlock(mrkdwn("*Their note:*\n"+Escape(w.Note)), nil, nil))
	}
	if w.Status == partnership.WishAcknowledged {
		blocks = append(blocks, slack.NewContextBlock("", mrkdwn("It stays open until they mark it done or decline it.")))
	}
	return text, blocks
}

// DeclineWishModal asks the addressee for an optional note before declining.
func DeclineWishModal(w partnership.Wish) slack.ModalViewRequest {
	note := slack.NewPlainTextInputBlockElement(plain("What you would do instead, or why not"), ActionWishNote).
		WithMultiline(true).WithMaxLength(partnership.MaxNoteLen)
	blocks := []slack.Block{
		slack.NewSectionBlock(mrkdwn(mention(w.From)+" wishes you would:\n"+quote(w.Text)), nil, nil),
		slack.NewInputBlock(BlockWishNote, plain("A note for your partner"), plain("They see it with the declined wish."), note).WithOptional(true),
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      CallbackWishDecline,
		Title:           plain("Decline a wish"),
		Submit:          plain("Decline"),
		Close:           plain("Cancel"),
		PrivateMetadata: EncodeWishRef(w.PairID, w.ID),
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
}

// ParseDeclineNote reads the decline note, trimmed and bounded.
func ParseDeclineNote(state *slack.ViewState) string {
	if state == nil {
		return ""
	}
	return cut(strings.TrimSpace(state.Values[BlockWishNote][ActionWishNote].Value), partnership.MaxNoteLen)
}
