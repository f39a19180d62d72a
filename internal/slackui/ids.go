// Package slackui builds partnerbot's Block Kit (modals, messages, the Home
// tab) from domain values and parses what Slack sends back from them. It
// holds every callback, block and action ID the bot uses.
package slackui

import (
	"strconv"

	"github.com/partnerbot/partnerbot/internal/partnership"
)

// Callback IDs of the bot's modals.
const (
	CallbackAssess      = "assess"
	CallbackPairSetup   = "pair_setup"
	CallbackNextSteps   = "next_steps"
	CallbackWishDecline = "wish_decline"
	CallbackDeleteData  = "delete_data"
)

// Block IDs that are the same wherever they appear.
const (
	BlockPair        = "pair"         // actions: the partnership select, first in a modal
	BlockShare       = "share"        // input: "Share my answers with my partner"
	BlockPartner     = "partner"      // input: the user picker of the pair setup modal
	BlockWishNote    = "wish_note"    // input: the note of a declined wish
	BlockPairLeave   = "pair_leave"   // actions: "Leave this partnership"
	BlockHomeActions = "home_actions" // actions: the Home tab's buttons
)

// Action IDs and option values inside the bot's views.
const (
	ActionAnswer = "answer"
	ValueYes     = "yes"
	ValueNo      = "no"

	// ActionPairSelect is the partnership select; its options' values are PairIDs.
	ActionPairSelect = "pair_select"
	// ActionShare is the share checkbox; ticked, it holds ValueShare.
	ActionShare = "share"
	ValueShare  = "share"
	// ActionPartner is the users_select of the pair setup modal.
	ActionPartner = "partner"
	// ActionPairLeave is the executive's "Leave this partnership" button; its
	// value is the PairID.
	ActionPairLeave = "pair_leave"
	// ActionStep is every Next Steps line; BlockStep tells them apart.
	ActionStep = "step"

	// Wish buttons; their value is an EncodeWishRef.
	ActionWishAck     = "wish_ack"
	ActionWishDone    = "wish_done"
	ActionWishDecline = "wish_decline"
	// ActionWishNote is the note input of the decline modal.
	ActionWishNote = "wish_note"

	// Home tab buttons.
	ActionHomeAssess    = "home_assess"
	ActionHomeNextSteps = "home_next_steps"
	ActionHomePair      = "home_pair"
)

// BlockQuestion is the block_id of question n (1-based) in the assessment modal.
func BlockQuestion(n int) string { return "q" + strconv.Itoa(n) }

// StepList names one of the article's three Next Steps lists.
type StepList string

// The three Next Steps lists, in the article's order.
const (
	ListJustRight StepList = "just_right"
	ListDoMore    StepList = "do_more"
	ListWish      StepList = "wish"
)

// StepLists are the three lists in the article's order.
func StepLists() []StepList { return []StepList{ListJustRight, ListDoMore, ListWish} }

// BlockStep is the block_id of line i (1-based) of a Next Steps list, like "do_more_2".
func BlockStep(list StepList, i int) string { return string(list) + "_" + strconv.Itoa(i) }

// BlockWish is the block_id of a wish's buttons: unique per wish, across
// pairs too, since the Home tab shows wishes of several pairs.
func BlockWish(w partnership.Wish) string { return "wish:" + EncodeWishRef(w.PairID, w.ID) }

// Limits that keep user text and Block Kit within Slack's bounds.
const (
	// MaxTitle is Slack's limit for a modal title.
	MaxTitle = 24
	// MaxMetadata is Slack's limit for a view's private_metadata.
	MaxMetadata = 3000
	// MaxMessageBlocks is Slack's limit of blocks in a message.
	MaxMessageBlocks = 50
	// MaxViewBlocks is Slack's limit of blocks in a modal or the Home tab.
	MaxViewBlocks = 100
	// MaxWishRef bounds a wish reference read back from Slack.
	MaxWishRef = 200
)
