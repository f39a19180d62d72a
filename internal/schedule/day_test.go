package schedule

import (
	"strings"
	"testing"
	"time"
)

// at returns a fixed now for ParseDay: the RFC 3339 instant s.
func at(t *testing.T, s string) time.Time {
	t.Helper()
	now, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return now
}

func TestParseDay(t *testing.T) {
	tests := []struct {
		zone, now, text string
		want            string // RFC 3339, in the zone
	}{
		// Thursday 3 December 2026 in New York.
		{"America/New_York", "2026-12-03T15:00:00-05:00", "tomorrow", "2026-12-04T00:00:00-05:00"},
		{"America/New_York", "2026-12-03T15:00:00-05:00", "Tomorrow", "2026-12-04T00:00:00-05:00"},
		{"America/New_York", "2026-12-03T15:00:00-05:00", "today", "2026-12-03T00:00:00-05:00"}, // the caller refuses it
		{"America/New_York", "2026-12-03T15:00:00-05:00", "monday", "2026-12-07T00:00:00-05:00"},
		{"America/New_York", "2026-12-03T15:00:00-05:00", "next monday", "2026-12-07T00:00:00-05:00"},
		{"America/New_York", "2026-12-03T15:00:00-05:00", "Mon", "2026-12-07T00:00:00-05:00"},
		{"America/New_York", "2026-12-03T15:00:00-05:00", "on friday", "2026-12-04T00:00:00-05:00"},
		{"America/New_York", "2026-12-03T15:00:00-05:00", "thursday", "2026-12-10T00:00:00-05:00"},
		{"America/New_York", "2026-12-03T15:00:00-05:00", "this thursday", "2026-12-10T00:00:00-05:00"},
		{"America/New_York", "2026-12-03T15:00:00-05:00", "wednesday", "2026-12-09T00:00:00-05:00"},
		{"America/New_York", "2026-12-03T15:00:00-05:00", "2027-01-04", "2027-01-04T00:00:00-05:00"},
		{"America/New_York", "2026-12-03T15:00:00-05:00", "2027/1/4", "2027-01-04T00:00:00-05:00"},
		{"America/New_York", "2026-12-03T15:00:00-05:00", "4 jan 2027", "2027-01-04T00:00:00-05:00"},
		{"America/New_York", "2026-12-03T15:00:00-05:00", "4 January 2027", "2027-01-04T00:00:00-05:00"},
		{"America/New_York", "2026-12-03T15:00:00-05:00", "jan 4, 2027", "2027-01-04T00:00:00-05:00"},
		{"America/New_York", "2026-12-03T15:00:00-05:00", "monday 4 jan 2027", "2027-01-04T00:00:00-05:00"},
		{"America/New_York", "2026-12-03T15:00:00-05:00", "jan 4", "2027-01-04T00:00:00-05:00"},
		{"America/New_York", "2026-12-03T15:00:00-05:00", "january 4", "2027-01-04T00:00:00-05:00"},
		{"America/New_York", "2026-12-03T15:00:00-05:00", "January 4th", "2027-01-04T00:00:00-05:00"},
		{"America/New_York", "2026-12-03T15:00:00-05:00", "the 4th of january", "2027-01-04T00:00:00-05:00"},
		{"America/New_York", "2026-12-03T15:00:00-05:00", "sept 1", "2027-09-01T00:00:00-04:00"},
		{"America/New_York", "2026-12-03T15:00:00-05:00", "dec 3", "2026-12-03T00:00:00-05:00"}, // today is not in the past
		{"America/New_York", "2026-12-03T15:00:00-05:00", "dec 2", "2027-12-02T00:00:00-05:00"},
		{"America/New_York", "2026-12-03T15:00:00-05:00", "25/12/2026", "2026-12-25T00:00:00-05:00"},
		{"America/New_York", "2026-12-03T15:00:00-05:00", "12/25/2026", "2026-12-25T00:00:00-05:00"},
		{"America/New_York", "2026-12-03T15:00:00-05:00", "2020-01-04", "2020-01-04T00:00:00-05:00"}, // past: the caller refuses it
		// On a Monday, "monday" and "next monday" are a week later.
		{"UTC", "2026-12-07T09:00:00Z", "monday", "2026-12-14T00:00:00Z"},
		{"UTC", "2026-12-07T09:00:00Z", "next monday", "2026-12-14T00:00:00Z"},
		{"UTC", "2026-12-07T09:00:00Z", "tuesday", "2026-12-08T00:00:00Z"},
		{"UTC", "2026-12-07T09:00:00Z", "sunday", "2026-12-13T00:00:00Z"},
		// The date is the member's: 04:00 UTC on Monday is still Sunday in New York.
		{"America/New_York", "2026-12-07T04:00:00Z", "tomorrow", "2026-12-07T00:00:00-05:00"},
		{"America/New_York", "2026-12-07T04:00:00Z", "monday", "2026-12-07T00:00:00-05:00"},

		// Daylight saving in New York and Paris changes at night, not at midnight.
		{"America/New_York", "2026-03-07T12:00:00-05:00", "tomorrow", "2026-03-08T00:00:00-05:00"},
		{"America/New_York", "2026-03-07T12:00:00-05:00", "monday", "2026-03-09T00:00:00-04:00"},
		{"America/New_York", "2026-10-31T12:00:00-04:00", "tomorrow", "2026-11-01T00:00:00-04:00"},
		{"America/New_York", "2026-10-31T12:00:00-04:00", "monday", "2026-11-02T00:00:00-05:00"},
		{"Europe/Paris", "2026-03-28T12:00:00+01:00", "tomorrow", "2026-03-29T00:00:00+01:00"},
		{"Europe/Paris", "2026-03-28T12:00:00+01:00", "2026-03-30", "2026-03-30T00:00:00+02:00"},
		{"Europe/Paris", "2026-10-24T12:00:00+02:00", "tomorrow", "2026-10-25T00:00:00+02:00"},
		{"Europe/Paris", "2026-10-24T12:00:00+02:00", "monday", "2026-10-26T00:00:00+01:00"},
		// Where midnight itself is skipped, the day starts when the gap ends;
		// where it repeats, at the first of the two.
		{"America/Havana", "2026-03-07T12:00:00-05:00", "tomorrow", "2026-03-08T01:00:00-04:00"},
		{"America/Havana", "2026-10-30T12:00:00-04:00", "sunday", "2026-11-01T00:00:00-04:00"},
		{"America/Santiago", "2026-09-01T12:00:00-04:00", "6 sep", "2026-09-06T01:00:00-03:00"},
		{"Africa/Cairo", "2026-04-20T12:00:00+02:00", "2026-04-24", "2026-04-24T01:00:00+03:00"},
		{"Asia/Beirut", "2026-03-27T12:00:00+02:00", "sunday", "2026-03-29T01:00:00+03:00"},

		// New Year in Auckland while it is still 2026 in UTC.
		{"Pacific/Auckland", "2026-12-31T11:30:00Z", "today", "2027-01-01T00:00:00+13:00"},
		{"Pacific/Auckland", "2026-12-31T11:30:00Z", "tomorrow", "2027-01-02T00:00:00+13:00"},
		{"Pacific/Auckland", "2026-12-31T11:30:00Z", "jan 1", "2027-01-01T00:00:00+13:00"},
		{"Pacific/Auckland", "2026-12-31T11:30:00Z", "dec 31", "2027-12-31T00:00:00+13:00"},
		{"Pacific/Auckland", "2026-12-31T11:30:00Z", "friday", "2027-01-08T00:00:00+13:00"},
		{"UTC", "2026-12-31T11:30:00Z", "tomorrow", "2027-01-01T00:00:00Z"},
		{"UTC", "2026-12-31T11:30:00Z", "jan 1", "2027-01-01T00:00:00Z"},
		{"UTC", "2026-12-31T11:30:00Z", "dec 31", "2026-12-31T00:00:00Z"},
		{"UTC", "2026-12-31T11:30:00Z", "friday", "2027-01-01T00:00:00Z"},

		// Leap days.
		{"UTC", "2027-03-01T12:00:00Z", "feb 29", "2028-02-29T00:00:00Z"},
		{"UTC", "2028-02-28T12:00:00Z", "tomorrow", "2028-02-29T00:00:00Z"},
		{"UTC", "2028-02-29T12:00:00Z", "feb 29", "2028-02-29T00:00:00Z"},
		{"UTC", "2028-02-29T12:00:00Z", "tomorrow", "2028-03-01T00:00:00Z"},
		{"UTC", "2028-03-01T12:00:00Z", "29 february", "2032-02-29T00:00:00Z"},
		{"UTC", "2096-03-01T12:00:00Z", "feb 29", "2104-02-29T00:00:00Z"}, // 2100 is no leap year
		{"UTC", "2027-03-01T12:00:00Z", "29 feb 2028", "2028-02-29T00:00:00Z"},
		{"Asia/Kolkata", "2028-02-28T20:00:00Z", "today", "2028-02-29T00:00:00+05:30"},
	}
	for _, tt := range tests {
		t.Run(tt.zone+" "+tt.now+" "+tt.text, func(t *testing.T) {
			loc := loadZone(t, tt.zone)
			got, err := ParseDay(tt.text, at(t, tt.now), loc)
			if err != nil {
				t.Fatalf("ParseDay(%q) error = %v, want %s", tt.text, err, tt.want)
			}
			if s := got.Format(time.RFC3339); s != tt.want {
				t.Errorf("ParseDay(%q) = %s, want %s", tt.text, s, tt.want)
			}
			if got.Location() != loc {
				t.Errorf("ParseDay(%q) location = %v, want %v", tt.text, got.Location(), loc)
			}
		})
	}
	got, err := ParseDay("tomorrow", at(t, "2026-12-03T23:30:00-05:00"), nil)
	if want := "2026-12-05T00:00:00Z"; err != nil || got.Format(time.RFC3339) != want {
		t.Errorf("ParseDay(tomorrow, nil location) = %v, %v; want %s (UTC)", got, err, want)
	}
}

func TestParseDayRefuses(t *testing.T) {
	now := at(t, "2026-12-03T15:00:00-05:00")
	const try = `: try "tomorrow", "next monday" or "2026-12-17"` // ExampleDay's date
	tests := []struct {
		text, want string // the whole message
	}{
		{"blursday", `I could not read "blursday" as a date` + try},
		{"", "tell me the day you are back" + try},
		{"next", "tell me the day you are back" + try},
		{"tomorrow monday", `I could not read "tomorrow monday" as a date` + try},
		{"monday tuesday", `I could not read "monday tuesday" as a date` + try},
		{"in two weeks", `I could not read "in two weeks" as a date` + try},
		{"4 5 jan", `I could not read "4 5 jan" as a date` + try},
		{"jan", `I need a day and a month in "jan"` + try},
		{"4th", `I need a day and a month in "4th"` + try},
		{"2027", `I need a day and a month in "2027"` + try},
		{"29 feb 2027", "there is no 29 February in 2027" + try},
		{"2027-02-30", "there is no 30 February in 2027" + try},
		{"31 apr", "April has only 30 days" + try},
		{"32 jan", "there is no day 32 in a month" + try},
		{"0 jan", "there is no day 0 in a month" + try},
		{"2027-13-01", "there is no month 13" + try},
		{"04/01/2027", `I cannot tell whether "04/01/2027" is 4 Jan or 1 Apr` + try},
		{"tuesday 4 jan 2027", "4 January 2027 is a Monday, not a Tuesday" + try},
		{"0000-01-04", `I could not read "0000-01-04" as a date` + try},
		{"@every 2h", "I could not read that as a date" + try},
		{"* * * * *", "I could not read that as a date" + try},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, err := ParseDay(tt.text, now, loadZone(t, "America/New_York"))
			if err == nil {
				t.Fatalf("ParseDay(%q) = %v, nil; want an error", tt.text, got)
			}
			if err.Error() != tt.want {
				t.Errorf("ParseDay(%q) error = %q, want %q", tt.text, err, tt.want)
			}
			if !got.IsZero() {
				t.Errorf("ParseDay(%q) = %v with its error, want the zero time", tt.text, got)
			}
		})
	}
}

func TestExampleDay(t *testing.T) {
	tests := []struct {
		zone, now, want string
	}{
		{"America/New_York", "2026-12-03T15:00:00-05:00", "2026-12-17"},
		{"Pacific/Auckland", "2026-12-31T11:30:00Z", "2027-01-15"},
		{"UTC", "2026-12-31T11:30:00Z", "2027-01-14"},
		{"America/New_York", "2026-03-01T23:30:00-05:00", "2026-03-15"},
		{"Europe/Paris", "2026-10-18T00:30:00+02:00", "2026-11-01"},
		{"UTC", "2028-02-20T00:00:00Z", "2028-03-05"},
	}
	for _, tt := range tests {
		if got := ExampleDay(at(t, tt.now), loadZone(t, tt.zone)); got != tt.want {
			t.Errorf("ExampleDay(%s, %s) = %s, want %s", tt.now, tt.zone, got, tt.want)
		}
	}
	if got := ExampleDay(at(t, "2026-12-31T23:30:00-05:00"), nil); got != "2027-01-15" {
		t.Errorf("ExampleDay(nil location) = %s, want 2027-01-15 (UTC)", got)
	}
}

// The example a help text shows is a date ParseDay accepts, in the future,
// two weeks after today, every day of two years in zones either side of UTC
// and of the date line.
func TestExampleDayReadsBack(t *testing.T) {
	for _, zone := range []string{"UTC", "America/New_York", "Europe/Paris", "Pacific/Auckland", "Pacific/Kiritimati", "Pacific/Pago_Pago", "America/Havana"} {
		loc := loadZone(t, zone)
		for now := at(t, "2026-01-01T23:59:00Z"); now.Year() < 2028; now = now.Add(24 * time.Hour) {
			example := ExampleDay(now, loc)
			got, err := ParseDay(example, now, loc)
			if err != nil || !got.After(now) {
				t.Fatalf("%s: ParseDay(ExampleDay(%v) = %s) = %v, %v; want a day after now", zone, now, example, got, err)
			}
			if days := dateIn(got, loc).Sub(dateIn(now, loc)) / (24 * time.Hour); days != exampleDays {
				t.Fatalf("%s: ExampleDay(%v) = %s, %d days ahead, want %d", zone, now, example, days, exampleDays)
			}
			if strings.ContainsAny(example, " /") || len(example) != len("2006-01-02") {
				t.Fatalf("%s: ExampleDay(%v) = %q, want YYYY-MM-DD", zone, now, example)
			}
		}
	}
}

// FuzzParseDay: whatever follows "away until", ParseDay does not panic; an
// accepted date starts a day in the member's zone and reads back from its
// ISO form; an error shows no cron syntax.
func FuzzParseDay(f *testing.F) {
	for _, seed := range []string{"tomorrow", "today", "next monday", "2027-01-04", "4 jan 2027", "jan 4", "january 4th", "feb 29",
		"29 feb 2027", "04/01/2027", "25/12/2026", "tuesday 4 jan 2027", "blursday", "@every 2h", "* * * * *", "0000-01-01", "9999-12-31", "1-1-1"} {
		f.Add(seed)
	}
	havana := loadZone(f, "America/Havana")
	now := time.Date(2026, 3, 7, 12, 0, 0, 0, havana) // the day before midnight is skipped
	f.Fuzz(func(t *testing.T, text string) {
		got, err := ParseDay(text, now, havana)
		if err != nil {
			if msg := err.Error(); !got.IsZero() || strings.Contains(msg, "@every") || strings.Contains(msg, "* *") {
				t.Fatalf("ParseDay(%q) = %v, %q", text, got, msg)
			}
			return
		}
		if got.Location() != havana || !got.Equal(instant(havana, dateIn(got, havana))) {
			t.Fatalf("ParseDay(%q) = %v, not the start of a day in %v", text, got, havana)
		}
		again, err := ParseDay(got.Format(time.DateOnly), now, havana)
		if err != nil || !again.Equal(got) {
			t.Fatalf("ParseDay(%q) = %v, but ParseDay(%q) = %v, %v", text, got, got.Format(time.DateOnly), again, err)
		}
	})
}
