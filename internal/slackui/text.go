package slackui

import (
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"
)

func plain(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
}

func mrkdwn(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, s, false, false)
}

// slackDate lets each reader's Slack client show the date in their own time zone.
func slackDate(unix int64) string {
	return "<!date^" + strconv.FormatInt(unix, 10) + "^{date_short_pretty}|" + fallbackDate(unix) + ">"
}

// Escape makes user text safe inside mrkdwn: Slack's three control characters.
func Escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func fallbackDate(unix int64) string { return time.Unix(unix, 0).UTC().Format("2006-01-02") }
