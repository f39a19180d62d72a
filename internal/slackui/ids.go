// Package slackui builds partnerbot's Block Kit (modals, messages) from
// domain values and parses what Slack sends back from them. It holds every
// callback, block and action ID the bot uses.
package slackui

import "strconv"

// Callback IDs of the bot's modals.
const (
	CallbackAssess = "assess"
)

// Action IDs and option values inside the bot's views.
const (
	ActionAnswer = "answer"
	ValueYes     = "yes"
	ValueNo      = "no"
)

// BlockQuestion is the block_id of question n (1-based) in the assessment modal.
func BlockQuestion(n int) string { return "q" + strconv.Itoa(n) }

// Limits that keep user text and Block Kit within Slack's bounds.
const (
	// MaxTitle is Slack's limit for a modal title.
	MaxTitle = 24
	// MaxMetadata is Slack's limit for a view's private_metadata.
	MaxMetadata = 3000
)
