package slackui

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/chart"
	"github.com/partnerbot/partnerbot/internal/partnership"
)

// Picture is the chart that follows a pair summary: what to draw, and the
// file around it.
type Picture struct {
	Trend    chart.Trend
	Filename string // "partnership-trend-2026-11-02.png"
	Title    string // shown above the image in Slack
	// Text describes the trend in words: the file message's text, which
	// notifications show, and the image's alt text, which screen readers
	// read.
	Text string
}

// maxTrendScores is how many of a member's scores the words list one by
// one; past it they give the first, the latest and the count.
const maxTrendScores = 5

// SummaryPicture is the chart of a pair summary: both members' scores
// over time on the article's bands, the weeks starting on Monday in loc.
// ok is false when neither member has a result: there is nothing to draw.
func SummaryPicture(s partnership.Summary, loc *time.Location) (pic Picture, ok bool) {
	if len(s.Assistant.Scores) == 0 && len(s.Executive.Scores) == 0 {
		return Picture{}, false
	}
	if loc == nil {
		loc = time.UTC
	}
	bands := assessment.Bands()
	zones := make([]chart.Zone, len(bands))
	for i, b := range bands {
		zones[i] = chart.Zone{Min: b.Min, Max: b.Max, Label: b.Range}
	}
	return Picture{
		Trend: chart.Trend{
			Title:  "Partnership scores",
			Series: []chart.Series{series("Assistant", s.Assistant), series("Executive", s.Executive)},
			Zones:  zones,
			Loc:    loc,
		},
		Filename: "partnership-trend-" + s.At.In(loc).Format("2006-01-02") + ".png",
		Title:    "Partnership trend",
		Text:     TrendText(s),
	}, true
}

func series(label string, side partnership.Side) chart.Series {
	pts := make([]chart.Point, len(side.Scores))
	for i, sc := range side.Scores {
		pts[i] = chart.Point{At: sc.At, Score: sc.Score}
	}
	return chart.Series{Label: label, Points: pts}
}

// TrendText describes both members' scores over time in words, like
// "Trend over 2 weeks: assistant 6 → 7 → 8, executive 7 → 9.": every score
// of a member when there are few, the first and the latest of many.
func TrendText(s partnership.Summary) string {
	head := "Trend"
	if span := trendSpan(s); span != "" {
		head += " over " + span
	}
	return head + ": assistant " + sideTrend(s.Assistant) + ", executive " + sideTrend(s.Executive) + "."
}

func sideTrend(side partnership.Side) string {
	scores := side.Trend()
	switch n := len(scores); {
	case n == 0:
		return "no result yet"
	case n > maxTrendScores:
		return strconv.Itoa(scores[0]) + " → " + strconv.Itoa(scores[n-1]) + " in " + strconv.Itoa(n) + " results"
	}
	words := make([]string, len(scores))
	for i, sc := range scores {
		words[i] = strconv.Itoa(sc)
	}
	return strings.Join(words, " → ")
}

// trendSpan is the time from the pair's first result to its latest, in
// whole days under a week and in weeks from then on; "" under half a day.
func trendSpan(s partnership.Summary) string {
	var first, last time.Time
	for _, side := range []partnership.Side{s.Assistant, s.Executive} {
		for _, sc := range side.Scores {
			if first.IsZero() || sc.At.Before(first) {
				first = sc.At
			}
			if sc.At.After(last) {
				last = sc.At
			}
		}
	}
	days := int(math.Round(last.Sub(first).Hours() / 24))
	switch {
	case days == 0:
		return ""
	case days < 7:
		return plural(days, "day", "days")
	}
	return plural(int(math.Round(float64(days)/7)), "week", "weeks")
}
