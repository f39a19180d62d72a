package schedule

import (
	"math"
	"time"
)

// zoneReach bounds the distance between a wall time read as UTC and any
// instant showing that wall time: UTC offsets stay within ±14h, with margin.
const zoneReach = 26 * 60 * 60 // seconds

// referenceTime is where MinGap starts sampling and where Parse checks that a
// spec fires at all, so both are deterministic.
func referenceTime() time.Time { return time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC) }

// Next returns the first occurrence strictly after after, in loc (UTC when
// loc is nil), following the package's daylight-saving rule. It returns the
// zero time when the spec never fires again within five years, or for the
// zero Spec.
func (s Spec) Next(loc *time.Location, after time.Time) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	if s.every > 0 {
		return after.Add(s.every).In(loc)
	}
	if s.wall == nil {
		return time.Time{}
	}
	// Walk wall-clock times: after's local wall time relabelled as UTC, where
	// robfig's field matching has no daylight saving to trip over.
	a := after.In(loc)
	_, off := a.Zone()
	w := time.Unix(a.Unix()+int64(off), int64(a.Nanosecond())).UTC()
	for {
		// Occurrences fall on whole minutes. Starting robfig at second 59
		// spares it stepping through the seconds of the current minute one
		// by one, which is most of its cost for frequent specs.
		w = s.wall.Next(w.Truncate(time.Minute).Add(59 * time.Second))
		if w.IsZero() {
			return time.Time{}
		}
		// Wall times mapping to after or earlier exist only just after a
		// fall-back (their first instant has passed) or just after a gap
		// (they map to the transition already returned); skip them.
		if t := instant(loc, w); t.After(after) {
			return t
		}
	}
}

// instant maps a wall-clock time w (read as UTC) to the instant it fires at
// in loc: the instant itself when it exists once, the earlier instant when
// a fall-back repeats it, and the transition instant ending the gap when a
// spring-forward skips it.
func instant(loc *time.Location, w time.Time) time.Time {
	n := w.Unix()
	t := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, loc)
	// Fast path: no transition anywhere near, so time.Date's answer is the
	// only instant with this wall time.
	if wall(t) == n {
		start, end := t.ZoneBounds()
		if (start.IsZero() || start.Unix() <= n-zoneReach) && (end.IsZero() || end.Unix() > n+zoneReach) {
			return t
		}
	}
	return instantNearTransition(loc, n, t)
}

// instantNearTransition walks the zone's periods (spans of constant offset)
// covering every instant that could show wall time n, in time order, and
// returns the first instant showing n, or the end of the gap n falls in.
func instantNearTransition(loc *time.Location, n int64, fallback time.Time) time.Time {
	cur := time.Unix(n-zoneReach, 0).In(loc)
	for {
		_, off := cur.Zone()
		start, end := cur.ZoneBounds()
		if at := n - int64(off); (start.IsZero() || at >= start.Unix()) && (end.IsZero() || at < end.Unix()) {
			return time.Unix(at, 0).In(loc)
		}
		if end.IsZero() || end.Unix() > n+zoneReach {
			return fallback // unreachable for a well-formed zone
		}
		next := end.In(loc)
		_, nextOff := next.Zone()
		// At end the clock jumps from end+off to end+nextOff; wall times in
		// between do not exist and fire at end, the first instant after.
		if end.Unix()+int64(off) <= n && n < end.Unix()+int64(nextOff) {
			return next
		}
		cur = next
	}
}

// wall returns t's wall-clock time in its location, in seconds, read as UTC.
func wall(t time.Time) int64 {
	_, off := t.Zone()
	return t.Unix() + int64(off)
}

// MinGap returns the shortest time between consecutive occurrences starting
// within a year from 2026-01-01 00:00 UTC, sampled both in UTC and in loc, so
// callers can refuse specs that fire too often. Around daylight-saving
// transitions in loc the gap can be shorter than the spec suggests: a daily
// spec gives 23h across a spring-forward. It returns the zero duration for
// the zero Spec and math.MaxInt64 for a spec that fires only once in five
// years.
func (s Spec) MinGap(loc *time.Location) time.Duration {
	if s.every > 0 {
		return s.every
	}
	if s.wall == nil {
		return 0
	}
	gap := s.minGapIn(time.UTC)
	if loc != nil && loc != time.UTC {
		gap = min(gap, s.minGapIn(loc))
	}
	return gap
}

func (s Spec) minGapIn(loc *time.Location) time.Duration {
	until := referenceTime().AddDate(1, 0, 0)
	prev := s.Next(loc, referenceTime())
	gap := time.Duration(math.MaxInt64)
	for !prev.IsZero() {
		next := s.Next(loc, prev)
		if next.IsZero() {
			break
		}
		// Occurrences are whole minutes apart at least: stop early.
		if gap = min(gap, next.Sub(prev)); gap <= time.Minute || !next.Before(until) {
			break
		}
		prev = next
	}
	return gap
}
