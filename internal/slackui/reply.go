package slackui

import (
	"fmt"
	"strings"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/schedule"
	"github.com/slack-go/slack"
)

// Reply is a slash command's answer, sent as the Socket Mode ack payload:
// Slack shows it to the caller only (ephemeral), in any channel or DM,
// without the bot having to be a member.
type Reply struct {
	ResponseType string        `json:"response_type"`
	Text         string        `json:"text"`
	Blocks       []slack.Block `json:"blocks,omitempty"`
}

func ephemeral(text string, blocks ...slack.Block) *Reply {
	return &Reply{ResponseType: slack.ResponseTypeEphemeral, Text: text, Blocks: blocks}
}

// Command is the slash command the bot answers.
const Command = "/partner-assess"

// HelpReply explains the commands. prefix, when not empty, says why help is
// shown; now dates the example of "away until" (two weeks ahead).
func HelpReply(prefix string, now time.Time) *Reply {
	var sb strings.Builder
	if prefix != "" {
		sb.WriteString(prefix + "\n\n")
	}
	sb.WriteString("*partnerbot* helps you and your executive build a real partnership, with the self-assessment from “Create a Partnership with Your Boss”.\n\n")
	for _, c := range []struct{ use, what string }{
		{Command, "take the ten-question Yes/No self-assessment"},
		{Command + " pair @someone", "invite your executive to a partnership (`pair @someone as assistant` invites your assistant); it starts once they accept"},
		{Command + " next-steps", "list what you do “just right”, what you could do more of, and what you wish your partner would do"},
		{Command + " wishes", "see the open wishes addressed to you and the ones you wrote"},
		{Command + " charter", "agree with your partner on roles and expectations, decision rights, who has each task area and the quarter's goals (`charter show` to read it, `charter history` for its versions)"},
		{Command + " roadmap", "your plan for taking on strategic responsibilities: goals in Now (at most three), Next and Later"},
		{Command + " win what you did", "log an accomplishment, tied to a goal (or *Log as a win* on any message)"},
		{Command + " summary", "send your partnership's summary to you both"},
		{Command + " history", "list your past results and how your score moved"},
		{Command + " schedule", "set when check-ins come (a settings modal, or type it: `schedule mondays at 9`)"},
		{Command + " pause", "pause your partnership's check-ins (`resume` starts them again)"},
		{Command + " away until " + schedule.ExampleDay(now, time.UTC), "hold your check-ins while you are out (`away until next monday` works too; `away off` when back early)"},
		{Command + " scorecard", "post your partnership's scorecard in this channel, once you both agree to it (`scorecard stop` to stop; `scorecard team` for the team's anonymous one)"},
		{Command + " export", "get everything the bot holds about you as a file"},
		{Command + " delete-my-data", "delete everything of yours and leave your partnerships (your partners keep their own)"},
		{Command + " help", "show this help"},
	} {
		fmt.Fprintf(&sb, "• `%s` — %s\n", c.use, c.what)
	}
	return ephemeral(sb.String(), slack.NewSectionBlock(mrkdwn(sb.String()), nil, nil))
}

// maxHistoryLines keeps the history reply one readable block (and the ack small).
const maxHistoryLines = 20

// HistoryReply lists results, newest first: date, N/10, band, change.
// results come oldest first, as stored.
func HistoryReply(results []assessment.Result) *Reply {
	if len(results) == 0 {
		return ephemeral("You have no results yet. Type `" + Command + "` to take the self-assessment.")
	}
	var sb strings.Builder
	sb.WriteString("*Your self-assessment results*\n")
	first := max(0, len(results)-maxHistoryLines)
	for i := len(results) - 1; i >= first; i-- {
		r := results[i]
		fmt.Fprintf(&sb, "\n%s  *%s* (%s)", slackDate(r.TakenAt.Unix()), Score(r.Score()), BandLabel(r.Band()))
		if i > 0 {
			d := r.Score() - results[i-1].Score()
			fmt.Fprintf(&sb, " · %s", signed(d))
		}
	}
	text := sb.String()
	return ephemeral(fmt.Sprintf("Your last %s; latest %s", plural(len(results)-first, "result", "results"), ScoreLine(results[len(results)-1])),
		slack.NewSectionBlock(mrkdwn(text), nil, nil))
}

func signed(d int) string {
	if d == 0 {
		return "no change"
	}
	return fmt.Sprintf("%+d", d)
}

// Ephemeral is a short reply only the caller sees.
func Ephemeral(text string) *Reply { return ephemeral(text) }
