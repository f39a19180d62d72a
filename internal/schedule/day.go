package schedule

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// exampleDays is how far ahead ExampleDay looks: about two weeks, a
// plausible return date.
const exampleDays = 14

// ParseDay parses the date a person is away until, as typed after "away
// until", in loc (UTC when nil), where today is now's date:
//
//   - "today", "tomorrow";
//   - a weekday, "monday", "mon" or "next monday": the first such day
//     strictly after today, so on a Monday both "monday" and "next monday"
//     are a week later ("this" and "on" may come first too);
//   - a date with its year, "2027-01-04", "4 jan 2027", "jan 4, 2027",
//     "january 4th 2027", or with the day over 12, "25/12/2026";
//   - a day and month without a year, "jan 4", "4 january", "the 4th of
//     january": the next such date that is not in the past, today included;
//     29 February is the next one in a leap year.
//
// A weekday may come before a date ("monday 4 jan 2027") and must match it.
// Dates in the past and today come back like any other: refusing them is
// the caller's rule. The result is 00:00 of that date in loc, or, where a
// spring-forward skips midnight (Havana, Santiago, Cairo, Beirut), the
// first instant of that date, by the package's daylight-saving rule. Errors
// are meant to be shown to the user and suggest dates that would work.
func ParseDay(text string, now time.Time, loc *time.Location) (time.Time, error) {
	if loc == nil {
		loc = time.UTC
	}
	today := dateIn(now, loc)
	d, err := parseDate(text, today)
	if err != nil {
		return time.Time{}, fmt.Errorf(`%w: try "tomorrow", "next monday" or "%s"`, err, today.AddDate(0, 0, exampleDays).Format(time.DateOnly))
	}
	return instant(loc, d), nil
}

// ExampleDay returns the date two weeks after now's date in loc (UTC when
// nil) as YYYY-MM-DD, for help texts ("away until 2026-12-17"): never in
// the past, and what ParseDay reads back as that date.
func ExampleDay(now time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return dateIn(now, loc).AddDate(0, 0, exampleDays).Format(time.DateOnly)
}

// dateIn returns t's calendar date in loc, as 00:00 UTC of that date: a wall
// date, where adding days never meets daylight saving.
func dateIn(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// dayParts are the pieces of a date as typed, zero when not typed.
type dayParts struct {
	year, day int
	month     time.Month
	weekday   time.Weekday
	hasWD     bool
}

// parseDate reads text as a wall date (00:00 UTC), relative to today, the
// same. Its errors say what is wrong; ParseDay adds what would work.
func parseDate(text string, today time.Time) (time.Time, error) {
	typed := strings.Join(strings.Fields(text), " ")
	unreadable := fmt.Errorf("I could not read %s as a date", echo(typed, "that"))
	toks := strings.Fields(strings.ReplaceAll(strings.ToLower(typed), ",", " "))
	var p dayParts
	var words int      // tokens that are not fillers
	var rel *time.Time // today or tomorrow
	for _, tok := range toks {
		switch tok {
		case "on", "next", "this", "the", "of":
			continue
		}
		words++
		switch tok {
		case "today":
			rel = &today
			continue
		case "tomorrow":
			t := today.AddDate(0, 0, 1)
			rel = &t
			continue
		}
		if err := p.add(tok); err != nil {
			if errors.Is(err, errNotDatePart) {
				return time.Time{}, unreadable
			}
			return time.Time{}, err
		}
	}
	if rel != nil {
		if words > 1 {
			return time.Time{}, unreadable
		}
		return *rel, nil
	}
	switch {
	case words == 0:
		return time.Time{}, errors.New("tell me the day you are back")
	case p.day == 0 && p.month == 0 && p.year == 0:
		// A weekday alone: the first one after today.
		return today.AddDate(0, 0, (int(p.weekday)-int(today.Weekday())+6)%7+1), nil
	case p.day == 0 || p.month == 0:
		return time.Time{}, fmt.Errorf("I need a day and a month in %s", echo(typed, "that date"))
	}
	d, err := p.date(today)
	if err != nil {
		return time.Time{}, err
	}
	if p.hasWD && d.Weekday() != p.weekday {
		return time.Time{}, fmt.Errorf("%s is a %s, not a %s", spokenDate(d), d.Weekday(), p.weekday)
	}
	return d, nil
}

// errNotDatePart is add's answer for a word that is no part of a date.
var errNotDatePart = errors.New("not part of a date")

// add reads one word of a date: a weekday, a month, a day ("4", "4th"), a
// year ("2027"), or a whole numeric date ("2027-01-04").
func (p *dayParts) add(tok string) error {
	if wd, ok := weekdayWord(tok); ok && !p.hasWD {
		p.weekday, p.hasWD = wd, true
		return nil
	}
	if m, ok := monthWord(tok); ok && p.month == 0 {
		p.month = m
		return nil
	}
	if y, m, d, ok, err := numericDate(tok); err != nil {
		return err
	} else if ok {
		if p.year != 0 || p.month != 0 || p.day != 0 {
			return errNotDatePart
		}
		p.year, p.month, p.day = y, m, d
		return nil
	}
	digits := strings.TrimRight(tok, "stndrh") // 4th, 1st, 2nd, 3rd
	suffix := tok[len(digits):]
	n, err := strconv.Atoi(digits)
	switch {
	case err != nil || digits == "" || digits[0] < '0' || digits[0] > '9':
		return errNotDatePart
	case len(digits) == 4 && suffix == "" && p.year == 0 && n >= 1:
		p.year = n
	case len(digits) <= 2 && p.day == 0 && (suffix == "" || suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th"):
		if n < 1 || n > 31 {
			return fmt.Errorf("there is no day %d in a month", n)
		}
		p.day = n
	default:
		return errNotDatePart
	}
	return nil
}

// numericDate reads "2027-01-04" (also with / or .) and a day-first or
// month-first date with the year last when only one reading is a date
// ("25/12/2026"). ok is false for a word of another shape.
func numericDate(tok string) (year int, month time.Month, day int, ok bool, err error) {
	sep := strings.IndexAny(tok, "-/.")
	if sep < 0 {
		return 0, 0, 0, false, nil
	}
	parts := strings.Split(tok, tok[sep:sep+1])
	if len(parts) != 3 {
		return 0, 0, 0, false, nil
	}
	var n [3]int
	for i, s := range parts {
		v, err := strconv.Atoi(s)
		if err != nil || s == "" || s[0] < '0' || s[0] > '9' || len(s) > 4 {
			return 0, 0, 0, false, nil
		}
		n[i] = v
	}
	if n[0] == 0 && len(parts[0]) == 4 || n[2] == 0 && len(parts[2]) == 4 {
		return 0, 0, 0, false, nil // year 0: no one is away until then
	}
	switch {
	case len(parts[0]) == 4 && len(parts[1]) <= 2 && len(parts[2]) <= 2:
		year, month, day = n[0], time.Month(n[1]), n[2]
	case len(parts[2]) == 4 && len(parts[0]) <= 2 && len(parts[1]) <= 2:
		year = n[2]
		switch {
		case n[0] > 12 || n[0] == n[1]:
			month, day = time.Month(n[1]), n[0]
		case n[1] > 12:
			month, day = time.Month(n[0]), n[1]
		default:
			return 0, 0, 0, true, fmt.Errorf("I cannot tell whether %s is %d %s or %d %s",
				echo(tok, "that date"), n[0], shortMonth(n[1]), n[1], shortMonth(n[0]))
		}
	default:
		return 0, 0, 0, false, nil
	}
	if month < time.January || month > time.December {
		return 0, 0, 0, true, fmt.Errorf("there is no month %d", int(month))
	}
	if day < 1 || day > 31 {
		return 0, 0, 0, true, fmt.Errorf("there is no day %d in a month", day)
	}
	return year, month, day, true, nil
}

// shortMonth names a month 1-12 for people, "Jan"; "month n" otherwise.
func shortMonth(n int) string {
	if n < 1 || n > 12 {
		return fmt.Sprintf("month %d", n)
	}
	return time.Month(n).String()[:3]
}

// date returns the date p names: in p's year when it has one, else the
// first such date from today on.
func (p dayParts) date(today time.Time) (time.Time, error) {
	if p.year != 0 {
		if p.day > daysIn(p.month, p.year) {
			return time.Time{}, fmt.Errorf("there is no %d %s in %d", p.day, p.month, p.year)
		}
		return time.Date(p.year, p.month, p.day, 0, 0, 0, 0, time.UTC), nil
	}
	if p.day > daysIn(p.month, 2028) { // a leap year: February's longest
		return time.Time{}, fmt.Errorf("%s has only %d days", p.month, daysIn(p.month, 2028))
	}
	// Eight years always hold a leap year, even across a skipped one (2100).
	for y := today.Year(); y <= today.Year()+8; y++ {
		if p.day > daysIn(p.month, y) {
			continue
		}
		if d := time.Date(y, p.month, p.day, 0, 0, 0, 0, time.UTC); !d.Before(today) {
			return d, nil
		}
	}
	return time.Time{}, fmt.Errorf("there is no %d %s soon", p.day, p.month) // unreachable
}

// daysIn returns the number of days of month m in year y.
func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// spokenDate says a wall date for people: "4 January 2027".
func spokenDate(d time.Time) string { return d.Format("2 January 2006") }
