package schedule

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// The words shared by Describe, ParseFriendly and ParseDay: day and month
// names both ways, English lists, and quoting what a person typed back to
// them in an error.

// weekdayWord reads a weekday typed by a person: "monday", "mondays", "mon",
// "mon." and the common "tues", "weds", "thur", "thurs".
func weekdayWord(w string) (time.Weekday, bool) {
	w = strings.TrimSuffix(w, ".")
	switch w {
	case "tues":
		return time.Tuesday, true
	case "weds":
		return time.Wednesday, true
	case "thur", "thurs":
		return time.Thursday, true
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		name := strings.ToLower(d.String())
		if w == name || w == name+"s" || w == name[:3] {
			return d, true
		}
	}
	return 0, false
}

// monthWord reads a month typed by a person: "january", "jan", "jan." and
// "sept".
func monthWord(w string) (time.Month, bool) {
	w = strings.TrimSuffix(w, ".")
	if w == "sept" {
		return time.September, true
	}
	for m := time.January; m <= time.December; m++ {
		name := strings.ToLower(m.String())
		if w == name || w == name[:3] {
			return m, true
		}
	}
	return 0, false
}

// mondayFirst orders weekdays the way people list them, Sunday last.
func mondayFirst(d time.Weekday) int { return (int(d) + 6) % 7 }

// joinAnd joins items as English does: "a", "a and b", "a, b and c".
func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// plural returns "1 hour", "2 hours".
func plural(n int64, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// ordinal returns "1st", "2nd", "3rd", "4th", "11th", "21st"…
func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

// clockTime formats a wall-clock time the way the product shows it: 09:00.
func clockTime(hour, minute int) string { return fmt.Sprintf("%02d:%02d", hour, minute) }

// maxEcho bounds how much of what a person typed an error quotes back.
const maxEcho = 40

// echo quotes s for an error shown to the person who typed it, or returns
// fallback when s is long or could show cron syntax back ("@…", "*"): the
// messages promise never to.
func echo(s, fallback string) string {
	if s == "" || utf8.RuneCountInString(s) > maxEcho || strings.ContainsAny(s, "@*") {
		return fallback
	}
	return fmt.Sprintf("%q", s)
}

// runs groups sorted, distinct values into runs of consecutive ones.
func runs(vals []int) [][]int {
	var out [][]int
	for i, v := range vals {
		if i > 0 && v == vals[i-1]+1 {
			out[len(out)-1] = append(out[len(out)-1], v)
			continue
		}
		out = append(out, []int{v})
	}
	return out
}
