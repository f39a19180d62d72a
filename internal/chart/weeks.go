package chart

import (
	"strconv"
	"time"

	"gonum.org/v1/plot"
)

const week = 7 * 24 * time.Hour

// weekStart is a calendar Monday, kept as midnight UTC so that adding days
// never meets a daylight saving change.
type weekStart time.Time

// mondayOf is the Monday of the week of t, in loc.
func mondayOf(t time.Time, loc *time.Location) weekStart {
	y, m, d := t.In(loc).Date()
	back := (int(t.In(loc).Weekday()) + 6) % 7 // days since Monday
	return weekStart(time.Date(y, m, d-back, 0, 0, 0, 0, time.UTC))
}

func (w weekStart) next(weeks int) weekStart {
	return weekStart(time.Time(w).AddDate(0, 0, 7*weeks))
}

// in is the instant the week starts in loc.
func (w weekStart) in(loc *time.Location) time.Time {
	y, m, d := time.Time(w).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// label names the week by its Monday's date; taken from the calendar date,
// not the instant, so that a midnight skipped by a clock change still
// shows its own day.
func (w weekStart) label() string { return time.Time(w).Format("Jan 2") }

// axisX is the time axis: its range and the Mondays inside it.
type axisX struct {
	min, max float64 // seconds since the epoch
	weeks    []tickWeek
	anchor   int    // the week of the first point: thinning keeps its label
	caption  string // the years shown, e.g. "Week starting Monday, 2026–2027"
}

type tickWeek struct {
	x     float64
	label string
}

// newAxisX spans first..last with a little room at both ends for the
// markers. A span shorter than a week is widened to a week around its
// middle, so that a single point still has a Monday labelled near it.
func newAxisX(first, last time.Time, loc *time.Location) axisX {
	lo, hi := first, last
	if span := hi.Sub(lo); span < week {
		lo = lo.Add(span/2 - week/2)
		hi = lo.Add(week)
	}
	pad := hi.Sub(lo) / 30
	lo, hi = lo.Add(-pad), hi.Add(pad)
	a := axisX{min: seconds(lo), max: seconds(hi)}
	from, to := first.In(loc).Year(), last.In(loc).Year()
	firstWeek := mondayOf(first, loc)
	for w := mondayOf(lo, loc); !w.in(loc).After(hi); w = w.next(1) {
		if w.in(loc).Before(lo) {
			continue
		}
		if w == firstWeek {
			a.anchor = len(a.weeks)
		}
		a.weeks = append(a.weeks, tickWeek{x: seconds(w.in(loc)), label: w.label()})
		from, to = min(from, time.Time(w).Year()), max(to, time.Time(w).Year())
	}
	a.caption = "Week starting Monday, " + years(from, to)
	return a
}

func years(from, to int) string {
	if from == to {
		return strconv.Itoa(from)
	}
	return strconv.Itoa(from) + "–" + strconv.Itoa(to)
}

func seconds(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

// ticks labels every step-th Monday, counting from the first point's; the
// Mondays between get an unlabelled minor tick when minor is set.
func (a axisX) ticks(step int, minor bool) plot.Ticker {
	var ts []plot.Tick
	for i, w := range a.weeks {
		switch {
		case (i-a.anchor)%step == 0:
			ts = append(ts, plot.Tick{Value: w.x, Label: w.label})
		case minor:
			ts = append(ts, plot.Tick{Value: w.x})
		}
	}
	return plot.ConstantTicks(ts)
}

// weekSteps are the spacings between labelled Mondays, tried in order; past
// the last, whole years double.
var weekSteps = [...]int{1, 2, 4, 8, 13, 26, 52}

// step is the weekSteps entry after i, going on doubling years.
func step(i int) int {
	if i < len(weekSteps) {
		return weekSteps[i]
	}
	return weekSteps[len(weekSteps)-1] << (i - len(weekSteps) + 1)
}
