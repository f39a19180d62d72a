package schedule

import (
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// customSchedule is what Describe says of a spec too irregular to put well
// in words; the caller shows the next occurrences beside it.
const customSchedule = "On a custom schedule"

// starBit is robfig/cron's marker, in a field's top bit, that the field was
// written "*" or "?" (robfig does not export it). It matters for days only:
// when neither the day of month nor the day of week is starred, a day
// matches either of them, not both.
const starBit = 1 << 63

// maxListed bounds how many times of day, or days of the month, Describe
// lists one by one before it looks for a pattern.
const maxListed = 4

// Describe returns s in plain words for people, never in cron syntax:
// "Mondays at 09:00", "Mondays and Thursdays at 08:30", "Weekdays at 09:00",
// "Every day at 09:00", "On the 1st of each month at 09:00", "Every 2 days".
// Times are the spec's wall-clock times, 24-hour; the caller says whose
// ("your time"). A spec too irregular to say well reads "On a custom
// schedule", and the zero Spec "Never".
func Describe(s Spec) string {
	switch {
	case s.every > 0:
		return describeEvery(s.every)
	case s.wall == nil:
		return "Never"
	case s.wall.Second != 1<<0: // Parse never accepts seconds
		return customSchedule
	}
	days, everyDay, ok := describeDays(s.wall)
	if !ok {
		return customSchedule
	}
	times, at, ok := describeTimes(s.wall.Minute, s.wall.Hour)
	if !ok {
		return customSchedule
	}
	var sentence string
	switch {
	case at:
		sentence = days + " " + times
	case everyDay:
		sentence = times
	default:
		sentence = days + ", " + times
	}
	return strings.ToUpper(sentence[:1]) + sentence[1:]
}

// describeEvery says an @every interval: whole weeks, days or hours when it
// is one, minutes under two hours, and hours, minutes and seconds otherwise.
func describeEvery(d time.Duration) string {
	const day = 24 * time.Hour
	switch {
	case d%(7*day) == 0:
		return everyUnit(int64(d/(7*day)), "week")
	case d%day == 0:
		return everyUnit(int64(d/day), "day")
	case d%time.Hour == 0:
		return everyUnit(int64(d/time.Hour), "hour")
	case d%time.Minute == 0 && d < 2*time.Hour:
		return everyUnit(int64(d/time.Minute), "minute")
	case d < 2*time.Minute:
		return everyUnit(int64(d/time.Second), "second")
	}
	var parts []string
	for _, u := range []struct {
		size time.Duration
		name string
	}{{time.Hour, "hour"}, {time.Minute, "minute"}, {time.Second, "second"}} {
		if n := int64(d / u.size); n > 0 {
			parts = append(parts, plural(n, u.name))
		}
		d %= u.size
	}
	return "Every " + joinAnd(parts)
}

// everyUnit returns "Every day" for 1 and "Every 3 days" otherwise.
func everyUnit(n int64, unit string) string {
	if n == 1 {
		return "Every " + unit
	}
	return "Every " + plural(n, unit)
}

// bitsIn returns the values lo..hi set in a robfig field.
func bitsIn(field uint64, lo, hi int) []int {
	var vals []int
	for v := lo; v <= hi; v++ {
		if field&(1<<uint(v)) != 0 {
			vals = append(vals, v)
		}
	}
	return vals
}

// describeDays says on which days w fires, lower-case: "mondays", "every
// day", "on the 1st of each month". everyDay reports a plain "every day",
// which a time phrase like "every 15 minutes" can stand for alone.
func describeDays(w *cron.SpecSchedule) (phrase string, everyDay, ok bool) {
	months := bitsIn(w.Month, 1, 12)
	doms := bitsIn(w.Dom, 1, 31)
	dows := bitsIn(w.Dow, 0, 6)
	domLimited, dowLimited := len(doms) < 31, len(dows) < 7
	// robfig's dayMatches: with a star on either side both must match,
	// which leaves the other side alone; with none, either may match.
	either := w.Dom&starBit == 0 && w.Dow&starBit == 0
	if either && (!domLimited || !dowLimited) {
		domLimited, dowLimited = false, false // one side already matches every day
	}
	switch {
	case domLimited && dowLimited:
		// Mondays or the 1st: say it only for every month.
		dom, ok := domPhrase(doms)
		if !ok || len(months) < 12 {
			return "", false, false
		}
		return weekdaysPhrase(dows) + " and the " + dom + " of each month", false, true
	case domLimited:
		return monthDaysPhrase(doms, months)
	case dowLimited:
		return weekdaysPhrase(dows) + monthsPhrase(months), false, true
	}
	return "every day" + monthsPhrase(months), len(months) == 12, true
}

// weekdaysPhrase says a set of weekdays, fewer than seven: "mondays",
// "weekdays", "weekends", "Monday to Thursday", "Friday to Monday",
// "mondays and thursdays".
func weekdaysPhrase(dows []int) string {
	var set [7]bool // counted from Monday
	for _, d := range dows {
		set[mondayFirst(time.Weekday(d))] = true
	}
	name := func(i int) string { return time.Weekday((i + 1) % 7).String() }
	var names []string
	starts := 0 // days that begin a run, round the week
	first := 0
	for i := range set {
		if !set[i] {
			continue
		}
		names = append(names, name(i)+"s")
		if !set[(i+6)%7] {
			starts++
			first = i
		}
	}
	switch {
	case len(dows) == 5 && starts == 1 && first == 0:
		return "weekdays"
	case len(dows) == 2 && set[5] && set[6]:
		return "weekends"
	case len(dows) >= 3 && starts == 1:
		return name(first) + " to " + name(first+len(dows)-1)
	}
	return joinAnd(names)
}

// monthsPhrase says which months, as a suffix: "" for all of them,
// " in January and July", " from March to June".
func monthsPhrase(months []int) string {
	if len(months) == 12 {
		return ""
	}
	if r := runs(months); len(r) == 1 && len(months) >= 3 {
		return " from " + time.Month(months[0]).String() + " to " + time.Month(months[len(months)-1]).String()
	}
	names := make([]string, len(months))
	for i, m := range months {
		names[i] = time.Month(m).String()
	}
	return " in " + joinAnd(names)
}

// domPhrase says days of the month as ordinals, runs of three or more as a
// range: "1st and 15th", "1st to 7th". Too many pieces is not ok.
func domPhrase(doms []int) (string, bool) {
	var items []string
	for _, r := range runs(doms) {
		switch len(r) {
		case 1:
			items = append(items, ordinal(r[0]))
		case 2:
			items = append(items, ordinal(r[0]), ordinal(r[1]))
		default:
			items = append(items, ordinal(r[0])+" to "+ordinal(r[len(r)-1]))
		}
	}
	if len(items) > maxListed {
		return "", false
	}
	return joinAnd(items), true
}

// monthDaysPhrase says days of the month in some months: "on the 1st of
// each month", "every year on 1 January", "on the 1st of January and July".
func monthDaysPhrase(doms, months []int) (phrase string, everyDay, ok bool) {
	if len(doms) == 1 && len(months) == 1 {
		if doms[0] == 29 && time.Month(months[0]) == time.February {
			return "every leap year on 29 February", false, true
		}
		return "every year on " + strconv.Itoa(doms[0]) + " " + time.Month(months[0]).String(), false, true
	}
	days, ok := domPhrase(doms)
	if !ok {
		return "", false, false
	}
	suffix := monthsPhrase(months)
	switch {
	case len(months) == 12 && len(doms) == 1 && doms[0] > 28:
		return "on the " + days + " of each month (when there is one)", false, true
	case len(months) == 12 || strings.HasPrefix(suffix, " from "):
		return "on the " + days + " of each month" + suffix, false, true
	}
	return "on the " + days + " of" + strings.TrimPrefix(suffix, " in"), false, true
}

// describeTimes says at what times of day a spec fires: up to maxListed
// times listed ("at 09:00 and 17:00"), else a pattern ("every hour from
// 09:00 to 17:00", "every 15 minutes"). at reports the listed form.
func describeTimes(minuteField, hourField uint64) (phrase string, at, ok bool) {
	mins := bitsIn(minuteField, 0, 59)
	hours := bitsIn(hourField, 0, 23)
	if len(mins)*len(hours) <= maxListed {
		var times []string
		for _, h := range hours {
			for _, m := range mins {
				times = append(times, clockTime(h, m))
			}
		}
		return "at " + joinAnd(times), true, true
	}
	first := clockTime(hours[0], mins[0])
	last := clockTime(hours[len(hours)-1], mins[len(mins)-1])
	hourStep := step(hours)
	if len(mins) == 1 {
		switch {
		case len(hours) == 24 && mins[0] == 0:
			return "every hour on the hour", false, true
		case len(hours) == 24:
			return "every hour at " + plural(int64(mins[0]), "minute") + " past the hour", false, true
		case hourStep == 1:
			return "every hour from " + first + " to " + last, false, true
		case hourStep > 1:
			return "every " + plural(int64(hourStep), "hour") + " from " + first + " to " + last, false, true
		}
		return "", false, false
	}
	// Minutes evenly spread over each hour, in one stretch of hours, are
	// evenly spread over that whole stretch.
	minStep := step(mins)
	if minStep == 0 || 60%minStep != 0 || len(mins) != 60/minStep || !(len(hours) == 1 || hourStep == 1) {
		return "", false, false
	}
	every := "every " + plural(int64(minStep), "minute")
	if minStep == 1 {
		every = "every minute"
	}
	if len(hours) == 24 && mins[0] == 0 {
		return every, false, true
	}
	return every + " from " + first + " to " + last, false, true
}

// step returns the common difference of sorted values, 0 when they are not
// evenly spaced or fewer than two.
func step(vals []int) int {
	if len(vals) < 2 {
		return 0
	}
	d := vals[1] - vals[0]
	for i := 2; i < len(vals); i++ {
		if vals[i]-vals[i-1] != d {
			return 0
		}
	}
	return d
}
