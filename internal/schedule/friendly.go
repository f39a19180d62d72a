package schedule

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/robfig/cron/v3"
)

// tryFriendly ends the errors of ParseFriendly with what would work.
const tryFriendly = `try "monday 09:00" or "weekdays 8:30"`

// zoneAtEnd is the error for a time zone anywhere but at the end.
const zoneAtEnd = `put the time zone at the end, like "monday 09:00 Europe/Paris"`

// allDays is the weekday mask of every day: bit d is time.Weekday d.
const allDays = 1<<7 - 1

// ParseFriendly parses a schedule as a person types it after
// "/partner-assess schedule": days and a time in words ("monday 09:00",
// "mondays at 9am", "weekdays 8:30", "mon,thu 9:00", "monday to thursday
// at 9", "every day at 9", "daily 9:30pm"), or, for power users, anything
// Parse accepts. Words are case-insensitive; times are 24-hour or 12-hour
// with am or pm, and several times must share their minutes ("9:00 and
// 17:00"). A time zone may end the text ("… Europe/Paris", "… in
// America/New_York", "… UTC"): zone is its IANA name, or "" when none is
// named, meaning each member's own time zone. Errors are meant to be shown
// to the user: they say what would work and never show cron syntax.
func ParseFriendly(text string) (spec Spec, zone string, err error) {
	fields, zone, err := splitZone(strings.Fields(text))
	if err != nil {
		return Spec{}, "", err
	}
	switch {
	case len(fields) == 0:
		return Spec{}, "", errors.New("tell me a day and a time: " + tryFriendly)
	case looksLikeCron(fields):
		spec, err = parseCron(fields)
	default:
		spec, err = parseWords(fields)
	}
	if err != nil {
		return Spec{}, "", err
	}
	return spec, zone, nil
}

// splitZone takes a time zone off the end of fields. The last word is a
// zone when "in" comes before it or it is shaped like "Area/Place" (then it
// must be a zone the machine knows), or when it is not a schedule word and
// the machine knows it ("UTC", "Japan").
func splitZone(fields []string) (rest []string, zone string, err error) {
	n := len(fields)
	if n == 0 {
		return fields, "", nil
	}
	last := fields[n-1]
	named := n >= 2 && strings.EqualFold(fields[n-2], "in")
	if !named && !zoneShaped(last) {
		if !startsWithLetter(last) || isScheduleWord(strings.ToLower(last)) {
			return fields, "", nil
		}
		if name, ok := zoneName(last); ok {
			return fields[:n-1], name, nil
		}
		return fields, "", nil
	}
	name, ok := zoneName(last)
	if !ok {
		return nil, "", fmt.Errorf(`I do not know the time zone %s: use a name like "Europe/Paris" or "America/New_York", or leave it out for each person's own time zone`, echo(last, "you named"))
	}
	if named {
		n--
	}
	return fields[:n-1], name, nil
}

// zoneShaped reports a word like "Europe/Paris": a letter, a slash, a
// letter. Cron fields like "*/2" or "MON/2" are not.
func zoneShaped(w string) bool {
	area, place, ok := strings.Cut(w, "/")
	return ok && startsWithLetter(area) && startsWithLetter(place)
}

func startsWithLetter(w string) bool {
	return w != "" && (w[0] >= 'a' && w[0] <= 'z' || w[0] >= 'A' && w[0] <= 'Z')
}

// zoneName returns the IANA name of the zone typed, trying it as typed and
// then in the usual capitals ("europe/paris" → "Europe/Paris", "utc" →
// "UTC"), because zone files are named case-sensitively. "Local", the
// server's zone, is never a member's.
func zoneName(typed string) (string, bool) {
	tried := make([]string, 0, 3)
	for _, name := range []string{typed, zoneCapitals(typed), strings.ToUpper(typed)} {
		if name == "" || name == "Local" || slices.Contains(tried, name) {
			continue
		}
		tried = append(tried, name)
		if loc, err := time.LoadLocation(name); err == nil {
			return loc.String(), true
		}
	}
	return "", false
}

// zoneCapitals capitalises each word of a zone name: "america/new_york" →
// "America/New_York".
func zoneCapitals(name string) string {
	out := []rune(strings.ToLower(name))
	for i := range out {
		if i == 0 || strings.ContainsRune("/_-", out[i-1]) {
			out[i] = unicode.ToUpper(out[i])
		}
	}
	return string(out)
}

// looksLikeCron reports text meant for Parse: a descriptor, a zone prefix,
// a star, or five or more fields starting with two numeric ones.
func looksLikeCron(fields []string) bool {
	first := strings.ToUpper(fields[0])
	if strings.HasPrefix(first, "@") || strings.HasPrefix(first, "TZ=") || strings.HasPrefix(first, "CRON_TZ=") {
		return true
	}
	if slices.ContainsFunc(fields, func(f string) bool { return strings.ContainsAny(f, "*?") }) {
		return true
	}
	cronNumbers := func(f string) bool { return strings.Trim(f, "0123456789,-/") == "" }
	return len(fields) >= 5 && cronNumbers(fields[0]) && cronNumbers(fields[1])
}

// parseCron parses a power user's spec, with an error of ParseFriendly's
// kind instead of Parse's, which quotes cron syntax.
func parseCron(fields []string) (Spec, error) {
	norm := strings.Join(fields, " ")
	upper := strings.ToUpper(norm)
	switch {
	case strings.HasPrefix(upper, "TZ=") || strings.HasPrefix(upper, "CRON_TZ="):
		return Spec{}, errors.New(zoneAtEnd)
	case strings.HasPrefix(norm, "@"):
		norm = strings.ToLower(norm) // robfig reads descriptors in lower case only
	}
	spec, err := Parse(norm)
	if err == nil {
		return spec, nil
	}
	if _, cronErr := cron.ParseStandard(norm); cronErr == nil {
		// robfig reads it, so Parse refused it for one of its own rules.
		if strings.HasPrefix(norm, "@") {
			return Spec{}, errors.New("an interval must be a whole number of seconds, at least one: " + tryFriendly)
		}
		return Spec{}, errors.New("that schedule never happens: " + tryFriendly)
	}
	return Spec{}, errors.New("I could not read that schedule: " + tryFriendly)
}

// clock is a time of day as a person typed it.
type clock struct{ hour, minute int }

// parseWords parses days and times in words into the Spec Parse gives for
// the same cron fields.
func parseWords(fields []string) (Spec, error) {
	typed := strings.Join(fields, " ")
	toks := strings.Fields(strings.NewReplacer(",", " ", "&", " and ").Replace(strings.ToLower(typed)))
	var days uint8 // bit d: time.Weekday d
	var times []clock
	for i := 0; i < len(toks); i++ {
		if isFiller(toks[i]) {
			continue
		}
		if mask, n := weekdayRange(toks[i:]); n > 0 {
			days |= mask
			i += n - 1
			continue
		}
		if mask, ok := dayWord(toks[i]); ok {
			days |= mask
			continue
		}
		if zoneShaped(toks[i]) {
			return Spec{}, errors.New(zoneAtEnd)
		}
		c, n, err := clockWords(toks[i:])
		if err != nil {
			return Spec{}, err
		}
		if n == 0 {
			return Spec{}, fmt.Errorf("I could not read %s: %s", echo(typed, "that schedule"), tryFriendly)
		}
		times = append(times, c)
		i += n - 1
	}
	switch {
	case days == 0 && len(times) == 0:
		return Spec{}, fmt.Errorf("I could not read %s: %s", echo(typed, "that schedule"), tryFriendly)
	case days == 0:
		return Spec{}, errors.New(`which days? try "mondays at 9" or "every day at 9"`)
	case len(times) == 0:
		return Spec{}, errors.New(`at what time? try "mondays at 9" or "weekdays 8:30"`)
	}
	var hours []string
	for _, c := range times {
		if c.minute != times[0].minute {
			return Spec{}, fmt.Errorf("several times must share their minutes, like 9:00 and 17:00, not %s and %s",
				clockTime(times[0].hour, times[0].minute), clockTime(c.hour, c.minute))
		}
		if h := strconv.Itoa(c.hour); !slices.Contains(hours, h) {
			hours = append(hours, h)
		}
	}
	spec, err := Parse(fmt.Sprintf("%d %s * * %s", times[0].minute, strings.Join(hours, ","), weekdayField(days)))
	if err != nil {
		// Unreachable: the fields are built in range. Say so without cron.
		return Spec{}, fmt.Errorf("I could not use %s: %s", echo(typed, "that schedule"), tryFriendly)
	}
	return spec, nil
}

// weekdayField writes a weekday mask as a cron day-of-week field.
func weekdayField(days uint8) string {
	if days == allDays {
		return "*"
	}
	var names []string
	for i := range 7 {
		if d := time.Weekday((i + 1) % 7); days&(1<<d) != 0 {
			names = append(names, strings.ToUpper(d.String()[:3]))
		}
	}
	return strings.Join(names, ",")
}

// isFiller reports the words a schedule may carry that add nothing:
// "every monday at 9 o'clock", "weekly on mondays @ 9".
func isFiller(w string) bool {
	switch w {
	case "every", "each", "on", "at", "@", "and", "o'clock", "oclock", "week", "weekly":
		return true
	}
	return false
}

// dayWord reads one word naming days: a weekday, "weekdays", "weekends",
// "daily", "every day".
func dayWord(w string) (mask uint8, ok bool) {
	if d, ok := weekdayWord(w); ok {
		return 1 << d, true
	}
	switch w {
	case "weekday", "weekdays":
		return allDays &^ (1<<time.Saturday | 1<<time.Sunday), true
	case "weekend", "weekends":
		return 1<<time.Saturday | 1<<time.Sunday, true
	case "day", "days", "daily", "everyday":
		return allDays, true
	}
	return 0, false
}

// weekdayRange reads "mon-fri" or "monday to friday" at the start of toks,
// wrapping round the week ("fri-mon"); n is how many tokens it took, 0 for
// none.
func weekdayRange(toks []string) (mask uint8, n int) {
	var from, to string
	if a, b, ok := strings.Cut(toks[0], "-"); ok {
		from, to, n = a, b, 1
	} else if len(toks) >= 3 && isRangeWord(toks[1]) {
		from, to, n = toks[0], toks[2], 3
	} else {
		return 0, 0
	}
	first, ok1 := weekdayWord(from)
	last, ok2 := weekdayWord(to)
	if !ok1 || !ok2 {
		return 0, 0
	}
	for d := first; ; d = (d + 1) % 7 {
		mask |= 1 << d
		if d == last {
			return mask, n
		}
	}
}

func isRangeWord(w string) bool { return w == "to" || w == "through" || w == "thru" || w == "-" }

// isMeridiem reports "am" or "pm", as a word of its own or a suffix.
func isMeridiem(w string) bool { return w == "am" || w == "pm" || w == "a.m." || w == "p.m." }

// isUnit reports the words of an interval, which a check-in schedule is not:
// "every 2 weeks".
func isUnit(w string) bool {
	switch strings.TrimSuffix(w, "s") {
	case "second", "sec", "minute", "min", "hour", "hr", "day", "week", "month", "year":
		return true
	}
	return false
}

// isScheduleWord reports a word ParseFriendly reads as part of the
// schedule, so that it is never mistaken for a time zone.
func isScheduleWord(w string) bool {
	_, day := dayWord(w)
	return day || isFiller(w) || isRangeWord(w) || isMeridiem(w) || isUnit(w) || w == "noon" || w == "midday" || w == "midnight"
}

// clockWords reads a time of day at the start of toks: "9", "09:00",
// "9.30", "9am", "9:30 pm", "noon", "midnight". n is how many tokens it
// took, 0 when toks does not start with a time; err says what is wrong with
// one that does.
func clockWords(toks []string) (c clock, n int, err error) {
	tok := toks[0]
	switch tok {
	case "noon", "midday":
		return clock{12, 0}, 1, nil
	case "midnight":
		return clock{0, 0}, 1, nil
	}
	digits := len(tok) - len(strings.TrimLeft(tok, "0123456789"))
	if digits == 0 {
		return clock{}, 0, nil
	}
	n = 1
	hourText, rest := tok[:digits], tok[digits:]
	minuteText := ""
	if rest != "" && (rest[0] == ':' || rest[0] == '.') {
		after := rest[1:]
		m := len(after) - len(strings.TrimLeft(after, "0123456789"))
		minuteText, rest = after[:m], after[m:]
		if m != 2 {
			return clock{}, 0, fmt.Errorf("I could not read the time %s: write minutes with two digits, like 9:05 or 14:30", echo(tok, "you gave"))
		}
	}
	if rest == "" && len(toks) > 1 && isMeridiem(toks[1]) {
		rest, n = toks[1], 2
	}
	shown := echo(strings.Join(toks[:n], " "), "that time")
	switch {
	case rest != "" && !isMeridiem(rest):
		return clock{}, 0, fmt.Errorf("I could not read the time %s: try 9:00, 14:30 or 9am", shown)
	case len(hourText) > 2:
		return clock{}, 0, fmt.Errorf("I could not read the time %s: try 9:00, 14:30 or 9am", shown)
	case rest == "" && minuteText == "" && len(toks) > 1 && isUnit(toks[1]):
		return clock{}, 0, fmt.Errorf(`I check in on set days at a set time, not every %s %s: try "mondays at 9" or "every day at 9"`, hourText, toks[1])
	}
	c.hour, _ = strconv.Atoi(hourText)
	c.minute, _ = strconv.Atoi(minuteText)
	switch {
	case rest != "" && (c.hour < 1 || c.hour > 12):
		return clock{}, 0, fmt.Errorf("there is no %s: with am or pm, hours go from 1 to 12", shown)
	case c.hour > 23:
		return clock{}, 0, fmt.Errorf("there is no %s: hours go from 0 to 23", shown)
	case c.minute > 59:
		return clock{}, 0, fmt.Errorf("there is no %s: minutes go from 00 to 59", shown)
	}
	if rest != "" {
		c.hour %= 12
		if rest[0] == 'p' {
			c.hour += 12
		}
	}
	return c, n, nil
}
