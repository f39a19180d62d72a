package slackui

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/slack-go/slack"
)

// stepsMeta travels in the Next Steps modal's private_metadata.
type stepsMeta struct {
	Version int                `json:"v"`
	PairID  partnership.PairID `json:"pair"`
}

// StepHeading is the article's instruction for a list, word for word; an
// executive reads "your assistant" where the article says "your boss".
func StepHeading(list StepList, p assessment.Perspective) string {
	var h string
	switch list {
	case ListJustRight:
		h = "List three things you are doing “just right” to be a great partner with your boss."
	case ListDoMore:
		h = "List three things you could do more of or begin doing to be an exceptional partner with your boss."
	case ListWish:
		h = "List three things you wish your boss would do to improve your partnership."
	}
	if p == assessment.Executive {
		h = strings.ReplaceAll(h, "your boss", "your assistant")
	}
	return h
}

// The choice under each wish line: kept to oneself (the default: the
// article's exercise is written for oneself) or sent to the partner.
const (
	ActionWishSend = "wish_send"
	ValueKeep      = "keep"
	ValueSend      = "send"
)

// BlockWishSend is the block_id of the choice under wish line i (1-based).
func BlockWishSend(i int) string { return "wish_send_" + strconv.Itoa(i) }

// NextStepsModal is the article's Next Steps exercise for one pair,
// pre-filled with the member's current lists. Every line is optional. Each
// wish line is the member's own unless they choose to send it; a line sent
// already says so, with where the wish stands (sent holds the member's
// wishes by ID).
func NextStepsModal(p assessment.Perspective, current partnership.NextSteps, sent map[string]partnership.Wish, choice PairChoice) slack.ModalViewRequest {
	meta, _ := json.Marshal(stepsMeta{Version: metaVersion, PairID: choice.Selected})
	blocks := pairSelectBlocks(choice)
	blocks = append(blocks, slack.NewSectionBlock(mrkdwn("*Next Steps*\nBased on the results of your self-assessment:"), nil, nil))
	lists := map[StepList]partnership.List{ListJustRight: current.JustRight, ListDoMore: current.DoMore, ListWish: current.Wishes}
	keep := slack.NewOptionBlockObject(ValueKeep, plain("Keep to myself"), nil)
	send := slack.NewOptionBlockObject(ValueSend, plain("Send to my "+partnerWord(p)), nil)
	for _, l := range StepLists() {
		blocks = append(blocks, slack.NewSectionBlock(mrkdwn("*"+StepHeading(l, p)+"*"), nil, nil))
		for i, line := range lists[l] {
			in := slack.NewPlainTextInputBlockElement(nil, ActionStep).WithMaxLength(partnership.MaxItemLen)
			if line != "" {
				in = in.WithInitialValue(cut(line, partnership.MaxItemLen))
			}
			blocks = append(blocks, slack.NewInputBlock(BlockStep(l, i+1), plain(fmt.Sprintf("%d.", i+1)), nil, in).WithOptional(true))
			if l != ListWish {
				continue
			}
			radio := slack.NewRadioButtonsBlockElement(ActionWishSend, keep, send)
			radio.InitialOption = keep
			w, isSent := sent[current.WishIDs[i]]
			if isSent {
				radio.InitialOption = send
			}
			blocks = append(blocks, slack.NewInputBlock(BlockWishSend(i+1), plain(fmt.Sprintf("Wish %d", i+1)), nil, radio).WithOptional(true))
			if isSent {
				state := "sent " + slackDate(w.CreatedAt.Unix()) + ", " + statusWord(w.Status)
				if line := wishOutcome(w); line != "" {
					state += " — " + line
				}
				blocks = append(blocks, slack.NewContextBlock("", mrkdwn("With your "+partnerWord(p)+": "+state)))
			}
		}
	}
	blocks = append(blocks, slack.NewContextBlock("", mrkdwn("A wish line stays yours unless you choose to send it; a sent wish goes to your "+partnerWord(p)+" to acknowledge, do or decline, once. Empty lines are fine.")))
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      CallbackNextSteps,
		Title:           plain("Next steps"),
		Submit:          plain("Save"),
		Close:           plain("Cancel"),
		PrivateMetadata: string(meta),
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
}

// ParseNextSteps reads the nine lines, and for each wish line whether to
// send it. A missing line, or one of another element's type, is empty;
// every line is bounded to MaxItemLen; anything but the send option keeps
// a line to oneself.
func ParseNextSteps(state *slack.ViewState) (justRight, doMore, wishes partnership.List, send [partnership.ListSize]bool) {
	read := func(l StepList) partnership.List {
		var out partnership.List
		if state == nil {
			return out
		}
		for i := range out {
			a, ok := state.Values[BlockStep(l, i+1)][ActionStep]
			if !ok || (a.Type != "" && string(a.Type) != string(slack.METPlainTextInput)) {
				continue
			}
			out[i] = cut(strings.TrimSpace(a.Value), partnership.MaxItemLen)
		}
		return out
	}
	if state != nil {
		for i := range send {
			send[i] = state.Values[BlockWishSend(i+1)][ActionWishSend].SelectedOption.Value == ValueSend
		}
	}
	return read(ListJustRight), read(ListDoMore), read(ListWish), send
}

// ParseNextStepsMeta decodes the Next Steps modal's private_metadata: the pair
// the lists belong to.
func ParseNextStepsMeta(s string) (partnership.PairID, error) {
	if len(s) > MaxMetadata {
		return "", fmt.Errorf("%w: %d bytes", ErrBadMetadata, len(s))
	}
	var m stepsMeta
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return "", fmt.Errorf("%w: %v", ErrBadMetadata, err)
	}
	if m.Version != metaVersion {
		return "", fmt.Errorf("%w: version %d", ErrBadMetadata, m.Version)
	}
	id, _, _, err := partnership.ParsePairID(string(m.PairID))
	if err != nil {
		return "", fmt.Errorf("%w: pair %q", ErrBadMetadata, m.PairID)
	}
	return id, nil
}
