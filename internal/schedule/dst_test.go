package schedule

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/robfig/cron/v3"
)

// transition is a change of UTC offset found by scanning a zone.
type transition struct {
	at            time.Time // first instant with the new offset
	before, after int       // UTC offsets in seconds
}

func offsetAt(loc *time.Location, t time.Time) int {
	_, off := t.In(loc).Zone()
	return off
}

// findTransitions scans [from, to) in 15-minute steps (Lord Howe shifts by
// 30 minutes) for offset changes and bisects each to the second. It relies
// only on Time.Zone, not on ZoneBounds, which the code under test uses.
func findTransitions(loc *time.Location, from, to time.Time) []transition {
	const step = 15 * time.Minute
	var found []transition
	prev, prevOff := from, offsetAt(loc, from)
	for t := from.Add(step); t.Before(to); t = t.Add(step) {
		off := offsetAt(loc, t)
		if off != prevOff {
			lo, hi := prev, t // offset(lo) == prevOff, offset(hi) == off
			for hi.Sub(lo) > time.Second {
				mid := lo.Add(hi.Sub(lo) / 2)
				if offsetAt(loc, mid) == prevOff {
					lo = mid
				} else {
					hi = mid
				}
			}
			found = append(found, transition{at: hi.Truncate(time.Second), before: prevOff, after: off})
		}
		prev, prevOff = t, off
	}
	return found
}

func TestFindTransitions(t *testing.T) {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(1, 0, 0)
	tests := []struct {
		zone string
		want []string // "instant before→after" in UTC, seconds offsets
	}{
		{"America/New_York", []string{"2026-03-08T07:00:00Z -18000→-14400", "2026-11-01T06:00:00Z -14400→-18000"}},
		{"Australia/Lord_Howe", []string{"2026-04-04T15:00:00Z 39600→37800", "2026-10-03T15:30:00Z 37800→39600"}},
		{"Asia/Kolkata", nil},
	}
	for _, tt := range tests {
		t.Run(tt.zone, func(t *testing.T) {
			var got []string
			for _, tr := range findTransitions(loadZone(t, tt.zone), from, to) {
				got = append(got, fmt.Sprintf("%s %d→%d", tr.at.UTC().Format(time.RFC3339), tr.before, tr.after))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("findTransitions = %q, want %q", got, tt.want)
			}
		})
	}
}

// walkCase is one spec walked around one transition. match is the test's own
// oracle of which wall-clock times (seconds, read as UTC) the spec names.
type walkCase struct {
	spec  string
	daily bool
	match func(wall int64) bool
}

const daySec = 24 * 60 * 60

func weekdayOf(wall int64) int { return int((wall/daySec + 4) % 7) } // 1970-01-01 was a Thursday

func dailyAt(minuteOfDay int64) walkCase {
	h, m := minuteOfDay/60, minuteOfDay%60
	return walkCase{
		spec:  fmt.Sprintf("%d %d * * *", m, h),
		daily: true,
		match: func(w int64) bool { return w%daySec == minuteOfDay*60 },
	}
}

func weeklyAt(wall int64) walkCase {
	mod, wd := (wall%daySec)/60, weekdayOf(wall)
	return walkCase{
		spec:  fmt.Sprintf("%d %d * * %d", mod%60, mod/60, wd),
		match: func(w int64) bool { return w%daySec == mod*60 && weekdayOf(w) == wd },
	}
}

// casesFor returns the specs walked around tr: daily at the wall minutes on
// both sides of the jump, in the middle of the gap or repeat, one minute
// either side of each, at 00:00 and 12:00; weekly at the jump and in the
// middle; hourly and every 15 minutes.
func casesFor(tr transition) []walkCase {
	wBefore := tr.at.Unix() + int64(tr.before) // wall time the clock leaves
	wAfter := tr.at.Unix() + int64(tr.after)   // wall time the clock shows next
	mid := (wBefore + wAfter) / 2
	var minutes []int64
	for _, w := range []int64{wBefore, wBefore - 60, wBefore + 60, wAfter, wAfter - 60, wAfter + 60, mid, 0, 12 * 60 * 60} {
		if m := (w % daySec) / 60; !slices.Contains(minutes, m) {
			minutes = append(minutes, m)
		}
	}
	var cases []walkCase
	for _, m := range minutes {
		cases = append(cases, dailyAt(m))
	}
	cases = append(cases, weeklyAt(wBefore))
	if mid != wBefore {
		cases = append(cases, weeklyAt(mid))
	}
	return append(cases,
		walkCase{spec: "0 * * * *", match: func(w int64) bool { return w%3600 == 0 }},
		walkCase{spec: "*/15 * * * *", match: func(w int64) bool { return w%900 == 0 }},
	)
}

// expectedAt is the oracle for the DST rule, from the transition alone: the
// first instant showing wall, or the transition when wall is in its gap.
func expectedAt(tr transition, wall int64) (at int64, inGap bool) {
	t := tr.at.Unix()
	if at := wall - int64(tr.before); at < t {
		return at, false
	}
	if at := wall - int64(tr.after); at >= t {
		return at, false
	}
	return t, true
}

// checkWalk walks next from 3 days before tr to 3 days after and returns
// every way the firings differ from the rule: skipped or doubled
// occurrences, doubled wall times, daily specs not firing exactly once per
// local date, gap times not firing at the transition the same day.
func checkWalk(loc *time.Location, tr transition, c walkCase, next func(time.Time) time.Time) (problems []string, firings, gapFirings int) {
	from, to := tr.at.Add(-72*time.Hour), tr.at.Add(72*time.Hour)
	var got []time.Time
	for after := from; ; {
		f := next(after)
		if !f.After(after) {
			return append(problems, fmt.Sprintf("Next(%v) = %v, not after it", after, f)), len(got), 0
		}
		if f.After(to) {
			break
		}
		got, after = append(got, f), f
	}

	var want []int64
	var gapWalls []int64
	for w := (from.Unix()+int64(tr.before))/60*60 - daySec; w <= to.Unix()+int64(tr.after)+daySec; w += 60 {
		if !c.match(w) {
			continue
		}
		at, inGap := expectedAt(tr, w)
		if at <= from.Unix() || at > to.Unix() {
			continue
		}
		if inGap {
			gapWalls = append(gapWalls, w)
		}
		if len(want) == 0 || want[len(want)-1] != at {
			want = append(want, at) // several gap times fire once, at the transition
		}
	}

	for i := 0; i < max(len(got), len(want)); i++ {
		switch {
		case i >= len(got):
			problems = append(problems, fmt.Sprintf("skipped %v (and %d more)", time.Unix(want[i], 0).In(loc), len(want)-i-1))
		case i >= len(want):
			problems = append(problems, fmt.Sprintf("extra firing %v (and %d more)", got[i], len(got)-i-1))
		case got[i].Unix() != want[i]:
			problems = append(problems, fmt.Sprintf("firing %d = %v, want %v", i, got[i], time.Unix(want[i], 0).In(loc)))
		default:
			continue
		}
		break // one mismatch shifts all later ones: report it once
	}

	walls := make(map[int64]time.Time, len(got))
	perDate := make(map[string]int)
	for _, f := range got {
		w := wall(f.In(loc))
		if prev, dup := walls[w]; dup {
			problems = append(problems, fmt.Sprintf("wall time %s fired twice: %v and %v", f.In(loc).Format("2006-01-02 15:04"), prev, f))
		}
		walls[w] = f
		perDate[f.In(loc).Format(time.DateOnly)]++
	}
	if c.daily {
		// Every local date strictly inside the window fires exactly once.
		for d := from.In(loc).AddDate(0, 0, 1); d.Before(to.In(loc).AddDate(0, 0, -1)); d = d.AddDate(0, 0, 1) {
			if n := perDate[d.Format(time.DateOnly)]; n != 1 {
				problems = append(problems, fmt.Sprintf("local date %s fired %d times, want 1", d.Format(time.DateOnly), n))
			}
		}
	}
	for _, w := range gapWalls {
		wantDate := time.Unix(w, 0).UTC().Format(time.DateOnly)
		i := slices.IndexFunc(got, func(f time.Time) bool { return f.Equal(tr.at) })
		switch {
		case i < 0:
			problems = append(problems, fmt.Sprintf("gap wall time %s did not fire at the transition %v", time.Unix(w, 0).UTC().Format("2006-01-02 15:04"), tr.at.In(loc)))
		case got[i].In(loc).Format(time.DateOnly) != wantDate:
			problems = append(problems, fmt.Sprintf("gap wall time on %s fired on %s", wantDate, got[i].In(loc).Format(time.DateOnly)))
		}
	}
	return problems, len(got), len(gapWalls)
}

// TestNextAcrossDSTTransitions walks every transition of 2026 and 2027 in
// each zone, for specs in the gap, in the repeat and around them.
func TestNextAcrossDSTTransitions(t *testing.T) {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)
	// Both hemispheres, half-hour and 45-minute offsets, a 30-minute shift,
	// and zones without daylight saving (walked around fixed dates).
	zones := []string{
		"America/New_York", "America/Los_Angeles", "America/Sao_Paulo", "Europe/London",
		"Europe/Berlin", "Australia/Sydney", "Australia/Adelaide", "Pacific/Auckland",
		"America/St_Johns", "Asia/Kolkata", "Asia/Tehran", "Africa/Cairo",
		"Pacific/Chatham", "Australia/Lord_Howe",
	}
	var zonesWithDST, transitions, steady, cases, firings, gapCases int
	for _, zone := range zones {
		loc := loadZone(t, zone)
		trs := findTransitions(loc, from, to)
		if len(trs) > 0 {
			zonesWithDST++
			transitions += len(trs)
		} else {
			// No daylight saving: walk two ordinary dates all the same.
			for _, at := range []time.Time{time.Date(2026, 3, 8, 7, 0, 0, 0, time.UTC), time.Date(2027, 10, 31, 1, 0, 0, 0, time.UTC)} {
				off := offsetAt(loc, at)
				trs = append(trs, transition{at: at, before: off, after: off})
				steady++
			}
		}
		for _, tr := range trs {
			name := fmt.Sprintf("%s/%s", zone, tr.at.In(loc).Format("2006-01-02T15:04"))
			for _, c := range casesFor(tr) {
				spec := mustParse(t, c.spec)
				problems, n, gaps := checkWalk(loc, tr, c, func(after time.Time) time.Time { return spec.Next(loc, after) })
				for _, p := range problems {
					t.Errorf("%s %q: %s", name, c.spec, p)
				}
				cases++
				firings += n
				if gaps > 0 {
					gapCases++
				}
			}
		}
	}
	t.Logf("%d zones, %d with transitions: %d transitions and %d steady dates walked, %d cases (%d with wall times in a gap), %d firings checked",
		len(zones), zonesWithDST, transitions, steady, cases, gapCases, firings)
	if zonesWithDST < 10 {
		t.Errorf("found transitions in %d zones, want at least 10: is the scanner or the zone data broken?", zonesWithDST)
	}
}

// TestCheckWalkCatchesRobfig shows the walk is not vacuous: robfig/cron's own
// Next in the zone fails it around New York's transitions.
func TestCheckWalkCatchesRobfig(t *testing.T) {
	ny := loadZone(t, "America/New_York")
	tests := []struct {
		spec string
		at   time.Time
		want string // a problem checkWalk must report
	}{
		{"30 2 * * 0", time.Date(2026, 3, 8, 7, 0, 0, 0, time.UTC), "skipped"},
		{"30 1 * * *", time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC), "fired twice"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			trs := findTransitions(ny, tt.at.Add(-time.Hour), tt.at.Add(time.Hour))
			if len(trs) != 1 {
				t.Fatalf("found %d transitions near %v, want 1", len(trs), tt.at)
			}
			sched, err := cron.ParseStandard("CRON_TZ=America/New_York " + tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			c := walkCase{spec: tt.spec, match: mustMatch(t, tt.spec)}
			problems, _, _ := checkWalk(ny, trs[0], c, sched.Next)
			if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, tt.want) }) {
				t.Errorf("checkWalk(robfig %q) problems = %q, want one mentioning %q", tt.spec, problems, tt.want)
			}
		})
	}
}

// mustMatch builds an oracle for the two control specs above.
func mustMatch(t *testing.T, spec string) func(int64) bool {
	switch spec {
	case "30 2 * * 0":
		return func(w int64) bool { return w%daySec == (2*60+30)*60 && weekdayOf(w) == 0 }
	case "30 1 * * *":
		return func(w int64) bool { return w%daySec == (1*60+30)*60 }
	}
	t.Fatalf("no oracle for %q", spec)
	return nil
}
