package schedule

import (
	"strings"
	"testing"
	"time"
)

func TestParseFriendly(t *testing.T) {
	tests := []struct {
		text     string
		wantSpec string // String(), the spec Parse gives for the same fields
		wantZone string
		wantSays string // Describe
	}{
		// The examples.
		{"monday 09:00", "0 9 * * MON", "", "Mondays at 09:00"},
		{"mondays at 9am", "0 9 * * MON", "", "Mondays at 09:00"},
		{"Mon 9:30", "30 9 * * MON", "", "Mondays at 09:30"},
		{"every monday at 9", "0 9 * * MON", "", "Mondays at 09:00"},
		{"thursday 14:15", "15 14 * * THU", "", "Thursdays at 14:15"},
		{"weekdays 8:30", "30 8 * * MON,TUE,WED,THU,FRI", "", "Weekdays at 08:30"},
		{"every day at 9", "0 9 * * *", "", "Every day at 09:00"},
		{"daily 09:00", "0 9 * * *", "", "Every day at 09:00"},
		{"mon,thu 9:00", "0 9 * * MON,THU", "", "Mondays and Thursdays at 09:00"},
		{"mondays and thursdays at 9", "0 9 * * MON,THU", "", "Mondays and Thursdays at 09:00"},

		// Case, spacing, 12-hour clocks and other ways to say it.
		{"  MONDAY   9:00  ", "0 9 * * MON", "", "Mondays at 09:00"},
		{"Monday 9 AM", "0 9 * * MON", "", "Mondays at 09:00"},
		{"friday 5pm", "0 17 * * FRI", "", "Fridays at 17:00"},
		{"friday 5:45 p.m.", "45 17 * * FRI", "", "Fridays at 17:45"},
		{"friday 9.30", "30 9 * * FRI", "", "Fridays at 09:30"},
		{"monday 12am", "0 0 * * MON", "", "Mondays at 00:00"},
		{"monday 12:30am", "30 0 * * MON", "", "Mondays at 00:30"},
		{"monday 12pm", "0 12 * * MON", "", "Mondays at 12:00"},
		{"monday 0:00", "0 0 * * MON", "", "Mondays at 00:00"},
		{"sunday 23:59", "59 23 * * SUN", "", "Sundays at 23:59"},
		{"noon on fridays", "0 12 * * FRI", "", "Fridays at 12:00"},
		{"tuesdays at midnight", "0 0 * * TUE", "", "Tuesdays at 00:00"},
		{"at 9 on mondays", "0 9 * * MON", "", "Mondays at 09:00"},
		{"9 o'clock every monday", "0 9 * * MON", "", "Mondays at 09:00"},
		{"weekly on mondays @ 9", "0 9 * * MON", "", "Mondays at 09:00"},
		{"tues & thurs 10:00", "0 10 * * TUE,THU", "", "Tuesdays and Thursdays at 10:00"},
		{"Mon. 9:00", "0 9 * * MON", "", "Mondays at 09:00"},
		{"weekend 10am", "0 10 * * SAT,SUN", "", "Weekends at 10:00"},
		{"everyday 7:15", "15 7 * * *", "", "Every day at 07:15"},
		{"mon-fri 9", "0 9 * * MON,TUE,WED,THU,FRI", "", "Weekdays at 09:00"},
		{"monday to thursday at 9", "0 9 * * MON,TUE,WED,THU", "", "Monday to Thursday at 09:00"},
		{"fri through mon 9", "0 9 * * MON,FRI,SAT,SUN", "", "Friday to Monday at 09:00"},
		{"weekdays and saturdays 8", "0 8 * * MON,TUE,WED,THU,FRI,SAT", "", "Monday to Saturday at 08:00"},
		{"mondays at 9:00 and 17:00", "0 9,17 * * MON", "", "Mondays at 09:00 and 17:00"},
		{"monday 17:00 and 9:00 and 9am", "0 17,9 * * MON", "", "Mondays at 09:00 and 17:00"},
		{"daily and mondays 9", "0 9 * * *", "", "Every day at 09:00"},

		// A zone at the end; "" means each member's own.
		{"monday 9:00 Europe/Paris", "0 9 * * MON", "Europe/Paris", "Mondays at 09:00"},
		{"monday 9:00 in America/New_York", "0 9 * * MON", "America/New_York", "Mondays at 09:00"},
		{"monday 9:00 UTC", "0 9 * * MON", "UTC", "Mondays at 09:00"},
		{"monday 9:00 utc", "0 9 * * MON", "UTC", "Mondays at 09:00"},
		{"monday 9 in europe/paris", "0 9 * * MON", "Europe/Paris", "Mondays at 09:00"},
		{"monday 9 AMERICA/NEW_YORK", "0 9 * * MON", "America/New_York", "Mondays at 09:00"},
		{"monday 9 America/Argentina/Buenos_Aires", "0 9 * * MON", "America/Argentina/Buenos_Aires", "Mondays at 09:00"},
		{"monday 9 Asia/Kolkata", "0 9 * * MON", "Asia/Kolkata", "Mondays at 09:00"},
		{"monday 9 Japan", "0 9 * * MON", "Japan", "Mondays at 09:00"},

		// Power users: anything Parse accepts, with or without a zone.
		{"0 9 * * MON", "0 9 * * MON", "", "Mondays at 09:00"},
		{"0 9 * * mon", "0 9 * * mon", "", "Mondays at 09:00"},
		{"30 8 * * 1,4 Europe/Paris", "30 8 * * 1,4", "Europe/Paris", "Mondays and Thursdays at 08:30"},
		{"0 9 * * */2", "0 9 * * */2", "", "Tuesdays, Thursdays, Saturdays and Sundays at 09:00"},
		{"0 9 1 * *", "0 9 1 * *", "", "On the 1st of each month at 09:00"},
		{"@weekly", "@weekly", "", "Sundays at 00:00"},
		{"@Weekly UTC", "@weekly", "UTC", "Sundays at 00:00"},
		{"@every 48h", "@every 48h", "", "Every 2 days"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			spec, zone, err := ParseFriendly(tt.text)
			if err != nil {
				t.Fatalf("ParseFriendly(%q) error = %v, want nil", tt.text, err)
			}
			if spec.String() != tt.wantSpec || zone != tt.wantZone {
				t.Errorf("ParseFriendly(%q) = %q, %q; want %q, %q", tt.text, spec.String(), zone, tt.wantSpec, tt.wantZone)
			}
			if !sameSchedule(spec, mustParse(t, tt.wantSpec)) {
				t.Errorf("ParseFriendly(%q) fires unlike Parse(%q)", tt.text, tt.wantSpec)
			}
			says := Describe(spec)
			if says != tt.wantSays {
				t.Errorf("Describe(ParseFriendly(%q)) = %q, want %q", tt.text, says, tt.wantSays)
			}
			if looksLikeCron(strings.Fields(tt.text)) {
				return // descriptions of power users' specs need not read back
			}
			// What a person is told reads back as the same schedule.
			again, _, err := ParseFriendly(says)
			if err != nil || !sameSchedule(again, spec) {
				t.Errorf("ParseFriendly(Describe(ParseFriendly(%q)) = %q) = %q, %v; want the same schedule", tt.text, says, again.String(), err)
			}
		})
	}
}

func TestParseFriendlyRefuses(t *testing.T) {
	tests := []struct {
		text, wantErr string // the whole message, as the user sees it
	}{
		{"blursday 9", `I could not read "blursday 9": try "monday 09:00" or "weekdays 8:30"`},
		{"", `tell me a day and a time: try "monday 09:00" or "weekdays 8:30"`},
		{" \t ", `tell me a day and a time: try "monday 09:00" or "weekdays 8:30"`},
		{"monday 25:00", `there is no "25:00": hours go from 0 to 23`},
		{"monday 24:00", `there is no "24:00": hours go from 0 to 23`},
		{"monday 9:61", `there is no "9:61": minutes go from 00 to 59`},
		{"monday 30", `there is no "30": hours go from 0 to 23`},
		{"monday 13pm", `there is no "13pm": with am or pm, hours go from 1 to 12`},
		{"monday 0 am", `there is no "0 am": with am or pm, hours go from 1 to 12`},
		{"monday 9:5", `I could not read the time "9:5": write minutes with two digits, like 9:05 or 14:30`},
		{"monday 0900", `I could not read the time "0900": try 9:00, 14:30 or 9am`},
		{"monday 9h30", `I could not read the time "9h30": try 9:00, 14:30 or 9am`},
		{"monday", `at what time? try "mondays at 9" or "weekdays 8:30"`},
		{"9am", `which days? try "mondays at 9" or "every day at 9"`},
		{"every 2 weeks", `I check in on set days at a set time, not every 2 weeks: try "mondays at 9" or "every day at 9"`},
		{"every 36 hours", `I check in on set days at a set time, not every 36 hours: try "mondays at 9" or "every day at 9"`},
		{"mondays at 9:00 and 17:30", "several times must share their minutes, like 9:00 and 17:00, not 09:00 and 17:30"},
		{"monday 9 Mars/Olympus_Mons", `I do not know the time zone "Mars/Olympus_Mons": use a name like "Europe/Paris" or "America/New_York", or leave it out for each person's own time zone`},
		{"monday 9 in Atlantis", `I do not know the time zone "Atlantis": use a name like "Europe/Paris" or "America/New_York", or leave it out for each person's own time zone`},
		{"monday 9 in Local", `I do not know the time zone "Local"`}, // the server's zone
		{"monday 9 Europe/Paris UTC", `put the time zone at the end, like "monday 09:00 Europe/Paris"`},
		{"monday Europe/Paris 9", `put the time zone at the end, like "monday 09:00 Europe/Paris"`},
		{"Europe/Paris", `tell me a day and a time: try "monday 09:00" or "weekdays 8:30"`},
		{"mondays in january at 9", `I could not read "mondays in january at 9"`},
		{"the 1st of each month at 9", `I could not read "the 1st of each month at 9"`},
		{"every hour", `I could not read "every hour"`},
		// Power users' mistakes, told without cron syntax.
		{"0 9 * * FUNDAY", `I could not read that schedule: try "monday 09:00" or "weekdays 8:30"`},
		{"0 0 9 * * MON", `I could not read that schedule: try "monday 09:00" or "weekdays 8:30"`},
		{"0 9 30 2 *", `that schedule never happens: try "monday 09:00" or "weekdays 8:30"`},
		{"@every 500ms", `an interval must be a whole number of seconds, at least one: try "monday 09:00" or "weekdays 8:30"`},
		{"@every soon", `I could not read that schedule: try "monday 09:00" or "weekdays 8:30"`},
		{"@fortnightly", `I could not read that schedule: try "monday 09:00" or "weekdays 8:30"`},
		{"CRON_TZ=Europe/Paris 0 9 * * MON", `put the time zone at the end, like "monday 09:00 Europe/Paris"`},
		{"monday 9 @every", `I could not read that schedule: try "monday 09:00" or "weekdays 8:30"`},
		{"monday at 9 and then some more words to make this long", `I could not read that schedule: try "monday 09:00" or "weekdays 8:30"`},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			spec, zone, err := ParseFriendly(tt.text)
			if err == nil {
				t.Fatalf("ParseFriendly(%q) = %q, %q, nil; want an error", tt.text, spec.String(), zone)
			}
			if !strings.HasPrefix(err.Error(), tt.wantErr) {
				t.Errorf("ParseFriendly(%q) error = %q, want %q", tt.text, err, tt.wantErr)
			}
			if !spec.IsZero() || zone != "" {
				t.Errorf("ParseFriendly(%q) returned %q, %q with its error", tt.text, spec.String(), zone)
			}
			checkFriendlyError(t, tt.text, err)
		})
	}
}

// checkFriendlyError fails on an error a person should not be shown: long,
// or with cron syntax in it.
func checkFriendlyError(t testing.TB, text string, err error) {
	t.Helper()
	msg := err.Error()
	for _, cron := range []string{"@every", "* *", "@weekly", "CRON_TZ", "day of week", "fields"} {
		if strings.Contains(msg, cron) {
			t.Errorf("ParseFriendly(%q) error = %q shows %q", text, msg, cron)
		}
	}
	if len(msg) > 160 {
		t.Errorf("ParseFriendly(%q) error = %q is %d bytes, want at most 160", text, msg, len(msg))
	}
}

// FuzzParseFriendly: whatever a person types after "/partner-assess
// schedule", ParseFriendly does not panic; an error is one they may be
// shown; an accepted schedule runs in its zone and in others, and its
// description never shows cron syntax and, if it reads back, reads back
// as the same schedule.
func FuzzParseFriendly(f *testing.F) {
	for _, seed := range []string{
		"monday 09:00", "mondays at 9am", "Mon 9:30", "every monday at 9", "thursday 14:15", "weekdays 8:30", "every day at 9",
		"daily 09:00", "mon,thu 9:00", "mondays and thursdays at 9", "monday 9:00 Europe/Paris", "monday 9:00 in America/New_York",
		"monday 9 UTC", "fri-mon 12:30pm", "blursday 9", "monday 25:00", "9:61", "every 2 weeks", "0 9 * * MON", "@weekly",
		"@every 48h", "* * @every", "0 9 30 2 *", "TZ=UTC 0 9 * * *", "monday 9 in", "in in", "9 am pm", "12:00am and noon", "mon-",
		"-mon", "monday 9 ../../etc/passwd", "monday 9 Local", "0 9 * * MON/2", "sun to sun 0",
	} {
		f.Add(seed)
	}
	paris := loadZone(f, "Europe/Paris")
	from := time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC) // the night Paris springs forward
	f.Fuzz(func(t *testing.T, text string) {
		spec, zone, err := ParseFriendly(text)
		if err != nil {
			if err.Error() == "" || !spec.IsZero() || zone != "" {
				t.Fatalf("ParseFriendly(%q) = %q, %q, %q", text, spec.String(), zone, err)
			}
			if msg := err.Error(); strings.Contains(msg, "@every") || strings.Contains(msg, "* *") {
				t.Fatalf("ParseFriendly(%q) error = %q shows cron syntax", text, msg)
			}
			return
		}
		locs := []*time.Location{time.UTC, paris}
		if zone != "" {
			loc, err := time.LoadLocation(zone)
			if err != nil || zone == "Local" {
				t.Fatalf("ParseFriendly(%q) zone = %q, which does not load: %v", text, zone, err)
			}
			locs = append(locs, loc)
		}
		for _, loc := range locs {
			if n := spec.Next(loc, from); !n.After(from) {
				t.Fatalf("ParseFriendly(%q) = %q: Next(%s, %v) = %v", text, spec.String(), loc, from, n)
			}
		}
		says := Describe(spec)
		checkReadable(t, spec.String(), says)
		if again, _, err := ParseFriendly(says); err == nil && !sameSchedule(again, spec) {
			t.Fatalf("ParseFriendly(%q) = %q, described %q, which reads back as %q", text, spec.String(), says, again.String())
		}
	})
}
