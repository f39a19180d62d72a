package slackui

import (
	"github.com/partnerbot/partnerbot/internal/partnership"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

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

// mention lets Slack render the user's name. IDs reach here from the domain,
// which checked them; anything else is not put in angle brackets.
func mention(user string) string {
	if !partnership.ValidUserID(user) {
		return "someone"
	}
	return "<@" + user + ">"
}

// clip cuts s to at most n runes, marking the cut with an ellipsis.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// cut cuts s to at most n runes, without a mark: for input read back from
// Slack, which is bounded, not shortened for display.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// plural writes "1 wish", "3 wishes".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// age writes a whole number of days as "today", "1 day", "3 days".
func age(days int) string {
	if days <= 0 {
		return "today"
	}
	return plural(days, "day", "days")
}

// since says when a wish was made, as a date each reader's Slack shows in
// their own terms ("since yesterday", "since Nov 30"): a message that said
// "3 days" would keep saying it for weeks.
func since(w partnership.Wish) string { return "since " + slackDate(w.CreatedAt.Unix()) }

// Slack's limits on text.
const (
	maxSectionText = 3000
	maxOptionText  = 75
	maxHeaderText  = 150
)

// sections packs lines into as few section blocks as fit Slack's 3000
// characters per section. A line longer than that is clipped.
func sections(lines []string) []slack.Block {
	var out []slack.Block
	var sb strings.Builder
	n := 0
	flush := func() {
		if n > 0 {
			out = append(out, slack.NewSectionBlock(mrkdwn(sb.String()), nil, nil))
		}
		sb.Reset()
		n = 0
	}
	for _, l := range lines {
		l = clip(l, maxSectionText)
		c := utf8.RuneCountInString(l)
		if n > 0 && n+1+c > maxSectionText {
			flush()
		}
		if n > 0 {
			sb.WriteByte('\n')
			n++
		}
		sb.WriteString(l)
		n += c
	}
	flush()
	return out
}
