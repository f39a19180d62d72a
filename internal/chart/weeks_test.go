package chart

import (
	"slices"
	"testing"
	"time"
)

func TestAxisXWeeks(t *testing.T) {
	newYork := mustLoad(t, "America/New_York")
	kiritimati := time.FixedZone("UTC+14", 14*3600)
	tests := []struct {
		name        string
		first, last time.Time
		loc         *time.Location
		labels      []string
		caption     string
	}{
		{"eight weeks", monday(0), monday(7), time.UTC,
			[]string{"Oct 5", "Oct 12", "Oct 19", "Oct 26", "Nov 2", "Nov 9", "Nov 16", "Nov 23"},
			"Week starting Monday, 2026"},
		{"one point on a Monday", monday(0), monday(0), time.UTC, []string{"Oct 5"}, "Week starting Monday, 2026"},
		{"one point late on Sunday, local", time.Date(2026, 10, 18, 23, 30, 0, 0, newYork), time.Date(2026, 10, 18, 23, 30, 0, 0, newYork),
			newYork, []string{"Oct 19"}, "Week starting Monday, 2026"},
		// The axis starts late on Sunday 11 October in UTC, which is Monday
		// morning at UTC+14: that Monday's midnight is already past there.
		{"a day ahead, at UTC+14", time.Date(2026, 10, 12, 2, 0, 0, 0, time.UTC), time.Date(2026, 10, 26, 2, 0, 0, 0, time.UTC),
			kiritimati, []string{"Oct 19", "Oct 26"}, "Week starting Monday, 2026"},
		{"the same in UTC", time.Date(2026, 10, 12, 2, 0, 0, 0, time.UTC), time.Date(2026, 10, 26, 2, 0, 0, 0, time.UTC),
			time.UTC, []string{"Oct 12", "Oct 19", "Oct 26"}, "Week starting Monday, 2026"},
		{"across the new year", time.Date(2026, 12, 29, 9, 0, 0, 0, time.UTC), time.Date(2027, 1, 12, 9, 0, 0, 0, time.UTC),
			time.UTC, []string{"Jan 4", "Jan 11"}, "Week starting Monday, 2026–2027"},
		{"across the end of DST", time.Date(2026, 10, 26, 0, 30, 0, 0, newYork), time.Date(2026, 11, 9, 0, 30, 0, 0, newYork),
			newYork, []string{"Oct 26", "Nov 2", "Nov 9"}, "Week starting Monday, 2026"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newAxisX(tt.first, tt.last, tt.loc)
			var labels []string
			for _, w := range a.weeks {
				labels = append(labels, w.label)
				at := time.Unix(0, int64(w.x*1e9)).In(tt.loc)
				if at.Weekday() != time.Monday || at.Hour() != 0 || at.Minute() != 0 {
					t.Errorf("tick %q at %v, want a Monday at midnight", w.label, at)
				}
				if w.x < a.min || w.x > a.max {
					t.Errorf("tick %q at %v, outside the axis", w.label, at)
				}
			}
			if !slices.Equal(labels, tt.labels) {
				t.Errorf("newAxisX(%v, %v).weeks = %q, want %q", tt.first, tt.last, labels, tt.labels)
			}
			if a.caption != tt.caption {
				t.Errorf("caption = %q, want %q", a.caption, tt.caption)
			}
			if first, last := seconds(tt.first), seconds(tt.last); first <= a.min || last >= a.max {
				t.Errorf("axis %v..%v does not have room around the points %v..%v", a.min, a.max, first, last)
			}
		})
	}
}

// TestAxisXWeekAcrossDST: the week in which New York's clocks go back is
// 169 hours long; the ticks follow local midnight, not 168-hour steps.
func TestAxisXWeekAcrossDST(t *testing.T) {
	newYork := mustLoad(t, "America/New_York")
	a := newAxisX(time.Date(2026, 10, 25, 20, 0, 0, 0, newYork), time.Date(2026, 11, 2, 9, 0, 0, 0, newYork), newYork)
	if len(a.weeks) != 2 {
		t.Fatalf("weeks = %v, want Oct 26 and Nov 2", a.weeks)
	}
	if got, want := a.weeks[1].x-a.weeks[0].x, (169 * time.Hour).Seconds(); got != want {
		t.Errorf("Oct 26 to Nov 2 = %v s, want %v s", got, want)
	}
}

func TestStep(t *testing.T) {
	tests := []struct{ i, want int }{{0, 1}, {1, 2}, {4, 13}, {6, 52}, {7, 104}, {8, 208}}
	for _, tt := range tests {
		if got := step(tt.i); got != tt.want {
			t.Errorf("step(%d) = %d, want %d", tt.i, got, tt.want)
		}
	}
}

// TestAxisXTicksKeepFirstWeek: thinning counts from the first point's
// Monday, not from a Monday the padding brought in before it.
func TestAxisXTicksKeepFirstWeek(t *testing.T) {
	a := newAxisX(monday(0), monday(51), time.UTC)
	if a.weeks[0].label != "Sep 28" {
		t.Fatalf("first Monday on the axis = %q, want Sep 28 (in the padding)", a.weeks[0].label)
	}
	var got []string
	for _, tk := range a.ticks(13, true).Ticks(a.min, a.max) {
		if !tk.IsMinor() {
			got = append(got, tk.Label)
		}
	}
	if want := []string{"Oct 5", "Jan 4", "Apr 5", "Jul 5", "Oct 4"}; !slices.Equal(got, want) {
		t.Errorf("labels every 13 weeks = %q, want %q", got, want)
	}
}
