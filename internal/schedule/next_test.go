package schedule

import (
	"math/rand/v2"
	"testing"
	"time"
	_ "time/tzdata" // fallback when the machine has no zoneinfo
)

func loadZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("LoadLocation(%q): %v", name, err)
	}
	return loc
}

func mustParse(t testing.TB, text string) Spec {
	t.Helper()
	s, err := Parse(text)
	if err != nil {
		t.Fatalf("Parse(%q): %v", text, err)
	}
	return s
}

// walk returns the occurrences of spec in loc strictly after from, in order.
func walk(t *testing.T, spec Spec, loc *time.Location, from time.Time, n int) []time.Time {
	t.Helper()
	var got []time.Time
	after := from
	for range n {
		next := spec.Next(loc, after)
		if !next.After(after) {
			t.Fatalf("%q in %s: Next(%v) = %v, want strictly after", spec, loc, after, next)
		}
		got = append(got, next)
		after = next
	}
	return got
}

func assertTimes(t *testing.T, got []time.Time, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d occurrences %v, want %d", len(got), got, len(want))
	}
	for i := range want {
		w, err := time.Parse(time.RFC3339, want[i])
		if err != nil {
			t.Fatal(err)
		}
		if !got[i].Equal(w) {
			t.Errorf("occurrence %d = %s, want %s", i, got[i].Format(time.RFC3339), want[i])
		}
	}
}

// The two bugs the issue measured with robfig/cron v3.0.1 alone.
func TestNextMeasuredDSTBugs(t *testing.T) {
	ny := loadZone(t, "America/New_York")
	tests := []struct {
		name, spec string
		from       time.Time
		want       []string
	}{
		{
			name: "weekly in the spring-forward gap fires at 03:00 the same day",
			spec: "30 2 * * SUN",
			from: time.Date(2026, 3, 1, 12, 0, 0, 0, ny),
			want: []string{"2026-03-08T03:00:00-04:00", "2026-03-15T02:30:00-04:00", "2026-03-22T02:30:00-04:00"},
		},
		{
			name: "daily in the fall-back repeat fires once, the first time",
			spec: "30 1 * * *",
			from: time.Date(2026, 10, 30, 12, 0, 0, 0, ny),
			want: []string{"2026-10-31T01:30:00-04:00", "2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00", "2026-11-03T01:30:00-05:00"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := walk(t, mustParse(t, tt.spec), ny, tt.from, len(tt.want))
			assertTimes(t, got, tt.want)
		})
	}
}

// Repeated wall times: time.Date picks the first instant west of UTC and the
// second east of it; we must pick the first everywhere, and gaps must end at
// the transition everywhere.
func TestNextBothSidesOfUTC(t *testing.T) {
	tests := []struct {
		zone, spec string
		from       string
		want       []string
	}{
		{"Europe/Berlin", "30 2 * * *", "2026-10-24T12:00:00+02:00", []string{"2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"}},
		{"Europe/Berlin", "30 2 * * *", "2026-03-28T12:00:00+01:00", []string{"2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"}},
		{"Australia/Sydney", "30 2 * * *", "2026-04-04T12:00:00+11:00", []string{"2026-04-05T02:30:00+11:00", "2026-04-06T02:30:00+10:00"}},
		{"Australia/Sydney", "30 2 * * *", "2026-10-03T12:00:00+10:00", []string{"2026-10-04T03:00:00+11:00", "2026-10-05T02:30:00+11:00"}},
		{"Australia/Lord_Howe", "15 2 * * *", "2026-10-03T12:00:00+10:30", []string{"2026-10-04T02:30:00+11:00", "2026-10-05T02:15:00+11:00"}},
		{"Australia/Lord_Howe", "45 1 * * *", "2026-04-04T12:00:00+11:00", []string{"2026-04-05T01:45:00+11:00", "2026-04-06T01:45:00+10:30"}},
		{"Pacific/Chatham", "0 3 * * *", "2026-09-26T12:00:00+12:45", []string{"2026-09-27T03:45:00+13:45", "2026-09-28T03:00:00+13:45"}},
		{"America/St_Johns", "30 2 * * *", "2026-03-07T12:00:00-03:30", []string{"2026-03-08T03:00:00-02:30", "2026-03-09T02:30:00-02:30"}},
		{"Africa/Cairo", "30 0 * * *", "2026-04-23T12:00:00+02:00", []string{"2026-04-24T01:00:00+03:00", "2026-04-25T00:30:00+03:00"}},
		{"Africa/Cairo", "30 23 * * *", "2026-10-29T12:00:00+03:00", []string{"2026-10-29T23:30:00+03:00", "2026-10-30T23:30:00+02:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.zone+" "+tt.spec+" "+tt.from, func(t *testing.T) {
			from, err := time.Parse(time.RFC3339, tt.from)
			if err != nil {
				t.Fatal(err)
			}
			got := walk(t, mustParse(t, tt.spec), loadZone(t, tt.zone), from, len(tt.want))
			assertTimes(t, got, tt.want)
		})
	}
}

func TestNextFeb29(t *testing.T) {
	for _, zone := range []string{"UTC", "America/Los_Angeles", "Asia/Kolkata", "Pacific/Auckland"} {
		t.Run(zone, func(t *testing.T) {
			loc := loadZone(t, zone)
			got := mustParse(t, "0 9 29 2 *").Next(loc, time.Date(2026, 1, 1, 0, 0, 0, 0, loc))
			if want := time.Date(2028, 2, 29, 9, 0, 0, 0, loc); !got.Equal(want) {
				t.Errorf("Next = %v, want %v", got, want)
			}
			days := walk(t, mustParse(t, "0 9 * * *"), loc, time.Date(2028, 2, 27, 12, 0, 0, 0, loc), 3)
			for i, want := range []time.Time{
				time.Date(2028, 2, 28, 9, 0, 0, 0, loc),
				time.Date(2028, 2, 29, 9, 0, 0, 0, loc),
				time.Date(2028, 3, 1, 9, 0, 0, 0, loc),
			} {
				if !days[i].Equal(want) {
					t.Errorf("daily occurrence %d = %v, want %v", i, days[i], want)
				}
			}
		})
	}
}

// The same spec is a different instant in each member's zone, at the same
// local wall time.
func TestNextZonesEastAndWest(t *testing.T) {
	after := time.Date(2026, 5, 30, 0, 0, 0, 0, time.UTC) // a Saturday
	tests := []struct {
		zone    string
		wantUTC string
	}{
		{"Asia/Tokyo", "2026-06-01T00:00:00Z"},
		{"Asia/Kolkata", "2026-06-01T03:30:00Z"},
		{"Pacific/Chatham", "2026-05-31T20:15:00Z"},
		{"UTC", "2026-06-01T09:00:00Z"},
		{"America/St_Johns", "2026-06-01T11:30:00Z"},
		{"America/Los_Angeles", "2026-06-01T16:00:00Z"},
	}
	spec := mustParse(t, DefaultSpec)
	seen := make(map[time.Time]string)
	for _, tt := range tests {
		t.Run(tt.zone, func(t *testing.T) {
			loc := loadZone(t, tt.zone)
			got := spec.Next(loc, after)
			if got.Location() != loc {
				t.Errorf("Next location = %v, want %v", got.Location(), loc)
			}
			if s := got.UTC().Format(time.RFC3339); s != tt.wantUTC {
				t.Errorf("Next = %s, want %s", s, tt.wantUTC)
			}
			local := got.In(loc)
			if local.Weekday() != time.Monday || local.Hour() != 9 || local.Minute() != 0 {
				t.Errorf("Next local = %v, want Monday 09:00", local)
			}
			if other, dup := seen[got]; dup {
				t.Errorf("Next in %s = Next in %s = %v, want different instants", tt.zone, other, got)
			}
			seen[got] = tt.zone
		})
	}
}

func TestNextEvery(t *testing.T) {
	ny := loadZone(t, "America/New_York")
	// Across the spring-forward: a plain duration, not wall-clock hours.
	after := time.Date(2026, 3, 8, 1, 0, 0, 123, ny)
	got := mustParse(t, "@every 2h").Next(ny, after)
	if want := after.Add(2 * time.Hour); !got.Equal(want) {
		t.Errorf("Next = %v, want %v", got, want)
	}
	if got.In(ny).Hour() != 4 {
		t.Errorf("Next local hour = %d, want 4 (01:00 EST + 2h = 04:00 EDT)", got.In(ny).Hour())
	}
}

func TestNextZeroSpecAndNilLocation(t *testing.T) {
	after := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if got := (Spec{}).Next(time.UTC, after); !got.IsZero() {
		t.Errorf("Spec{}.Next = %v, want zero", got)
	}
	got := mustParse(t, "0 9 * * *").Next(nil, after)
	if want := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Next(nil, %v) = %v, want %v", after, got, want)
	}
}

// From any instant a, Next(a) is strictly after a and every b in
// [a, Next(a)) has the same Next: no occurrence is skipped or doubled by
// starting the walk somewhere odd (inside a repeat, a second before a gap…).
func TestNextFromArbitraryInstants(t *testing.T) {
	zones := []string{"America/New_York", "Europe/London", "Australia/Lord_Howe", "Pacific/Chatham", "America/St_Johns", "Africa/Cairo"}
	specs := []string{"30 2 * * *", "30 1 * * *", "*/15 * * * *", "0 * * * *", "45 2 * * SUN", DefaultSpec} // not @every: it has no fixed set of occurrences
	rng := rand.New(rand.NewPCG(4, 2026))
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	to := time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	checked := 0
	for _, zone := range zones {
		loc := loadZone(t, zone)
		for _, text := range specs {
			spec := mustParse(t, text)
			for range 300 {
				a := time.Unix(from+rng.Int64N(to-from), rng.Int64N(int64(time.Second)))
				next := spec.Next(loc, a)
				if !next.After(a) {
					t.Fatalf("%s %q: Next(%v) = %v, want strictly after", zone, text, a, next)
				}
				for _, b := range []time.Time{a.Add(1), a.Add(next.Sub(a) / 2), next.Add(-1)} {
					if got := spec.Next(loc, b); !got.Equal(next) {
						t.Errorf("%s %q: Next(%v) = %v but Next(%v) = %v", zone, text, a, next, b, got)
					}
				}
				checked++
			}
		}
	}
	t.Logf("checked %d random instants", checked)
}

func TestMinGap(t *testing.T) {
	const day = 24 * time.Hour
	tests := []struct {
		spec, zone string
		min, max   time.Duration // inclusive bounds on the result
	}{
		{"@every 2h", "UTC", 2 * time.Hour, 2 * time.Hour},
		{"@every 2h", "America/New_York", 2 * time.Hour, 2 * time.Hour},
		{DefaultSpec, "UTC", 7 * day, 7 * day},
		{DefaultSpec, "America/New_York", 7*day - time.Hour, 7 * day},
		{DefaultSpec, "Australia/Lord_Howe", 7*day - time.Hour, 7 * day},
		{"*/5 * * * *", "UTC", 5 * time.Minute, 5 * time.Minute},
		{"*/5 * * * *", "Europe/Berlin", 5 * time.Minute, 5 * time.Minute},
		{"@daily", "UTC", day, day},
		{"@daily", "Asia/Kolkata", day, day},
		// A spring-forward day is 23 hours long.
		{"@daily", "America/New_York", 23 * time.Hour, 23 * time.Hour},
		{"@daily", "Australia/Lord_Howe", day - 30*time.Minute, day - 30*time.Minute},
		// 01:30 EST, then 02:30 falls in the gap and fires at 03:00 EDT.
		{"30 * * * *", "America/New_York", 30 * time.Minute, 30 * time.Minute},
		{"@yearly", "UTC", 365 * day, 365 * day},
		{"0 9 29 2 *", "UTC", 4 * 365 * day, 4 * 366 * day},
	}
	for _, tt := range tests {
		t.Run(tt.spec+" "+tt.zone, func(t *testing.T) {
			got := mustParse(t, tt.spec).MinGap(loadZone(t, tt.zone))
			if got < tt.min || got > tt.max {
				t.Errorf("MinGap = %v, want in [%v, %v]", got, tt.min, tt.max)
			}
		})
	}
	if got := (Spec{}).MinGap(time.UTC); got != 0 {
		t.Errorf("Spec{}.MinGap = %v, want 0", got)
	}
}
