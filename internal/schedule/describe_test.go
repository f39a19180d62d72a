package schedule

import (
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/robfig/cron/v3"
)

func TestDescribe(t *testing.T) {
	tests := []struct {
		spec, want string
	}{
		// The examples.
		{"0 9 * * MON", "Mondays at 09:00"},
		{"30 8 * * MON,THU", "Mondays and Thursdays at 08:30"},
		{"0 9 * * MON-FRI", "Weekdays at 09:00"},
		{"0 9 * * *", "Every day at 09:00"},
		{"@weekly", "Sundays at 00:00"},
		{"@daily", "Every day at 00:00"},
		{"@midnight", "Every day at 00:00"},
		{"0 9 1 * *", "On the 1st of each month at 09:00"},
		{"0 9,17 * * MON", "Mondays at 09:00 and 17:00"},
		{"@every 48h", "Every 2 days"},
		{"@every 36h", "Every 36 hours"},
		{"@monthly", "On the 1st of each month at 00:00"},
		{"@yearly", "Every year on 1 January at 00:00"},
		{"@annually", "Every year on 1 January at 00:00"},
		{"@hourly", "Every hour on the hour"},

		// Weekdays: lists Monday first, runs round the week, names or numbers.
		{"0 9 * * 1,3,5", "Mondays, Wednesdays and Fridays at 09:00"},
		{"0 9 * * SUN,MON,WED", "Mondays, Wednesdays and Sundays at 09:00"},
		{"0 9 * * SAT,SUN", "Weekends at 09:00"},
		{"0 9 * * MON-SAT", "Monday to Saturday at 09:00"},
		{"0 9 * * 0-5", "Sunday to Friday at 09:00"},
		{"0 9 * * FRI,SAT,SUN,MON", "Friday to Monday at 09:00"},
		{"0 9 * * TUE-THU", "Tuesday to Thursday at 09:00"},
		{"0 9 * * 0-6", "Every day at 09:00"},
		{"0 9 * * */2", "Tuesdays, Thursdays, Saturdays and Sundays at 09:00"},
		{"0 9 ? * SUN", "Sundays at 09:00"},
		{"0 9 * * 1/2", "Mondays, Wednesdays and Fridays at 09:00"}, // 1-6 in steps of 2

		// Days of the month and months.
		{"0 9 1,15 * *", "On the 1st and 15th of each month at 09:00"},
		{"0 9 1-7 * *", "On the 1st to 7th of each month at 09:00"},
		{"0 9 1-3,10,21,22 * *", "On the 1st to 3rd, 10th, 21st and 22nd of each month at 09:00"},
		{"0 9 2,3,11,12,13,23,31 JAN,MAR *", "On a custom schedule"},
		{"0 9 31 * *", "On the 31st of each month (when there is one) at 09:00"},
		{"0 9 1 JAN,JUL *", "On the 1st of January and July at 09:00"},
		{"0 9 1,15 MAR-JUN *", "On the 1st and 15th of each month from March to June at 09:00"},
		{"0 9 25 DEC *", "Every year on 25 December at 09:00"},
		{"0 9 29 2 *", "Every leap year on 29 February at 09:00"},
		{"0 9 * JAN MON", "Mondays in January at 09:00"},
		{"0 9 * JAN,AUG MON-FRI", "Weekdays in January and August at 09:00"},
		{"0 9 * MAR-JUN *", "Every day from March to June at 09:00"},
		{"0 9 */2 * *", "On a custom schedule"}, // 16 days: too many to list
		// Neither day field starred: robfig fires when either matches.
		{"0 9 1 * MON", "Mondays and the 1st of each month at 09:00"},
		{"0 9 1 JAN MON", "On a custom schedule"},
		{"0 9 1-31 * MON", "Every day at 09:00"},
		{"0 9 15 * 0-6", "Every day at 09:00"},
		// A star on one side: both must match, so the other side decides.
		{"0 9 */1 * MON", "Mondays at 09:00"},

		// Times of day: listed up to four, else a pattern.
		{"0,30 9 * * *", "Every day at 09:00 and 09:30"},
		{"0 8,12,16,20 * * *", "Every day at 08:00, 12:00, 16:00 and 20:00"},
		{"0 0 * * MON", "Mondays at 00:00"},
		{"59 23 * * SUN", "Sundays at 23:59"},
		{"0 9-17 * * MON-FRI", "Weekdays, every hour from 09:00 to 17:00"},
		{"30 9-17 * * *", "Every hour from 09:30 to 17:30"},
		{"0 */2 * * *", "Every 2 hours from 00:00 to 22:00"},
		{"0 8-20/3 * * SAT", "Saturdays, every 3 hours from 08:00 to 20:00"},
		{"30 * * * *", "Every hour at 30 minutes past the hour"},
		{"1 * * * *", "Every hour at 1 minute past the hour"},
		{"*/15 * * * *", "Every 15 minutes"},
		{"* * * * *", "Every minute"},
		{"5/15 * * * *", "Every 15 minutes from 00:05 to 23:50"},
		{"*/15 9-17 * * MON-FRI", "Weekdays, every 15 minutes from 09:00 to 17:45"},
		{"0-50/10 9 * * *", "Every 10 minutes from 09:00 to 09:50"},
		{"*/10 9 * JAN *", "Every day in January, every 10 minutes from 09:00 to 09:50"},
		{"0 0,6,12,18,21 * * *", "On a custom schedule"},
		{"7,8,9 9,10 * * *", "On a custom schedule"},
		{"*/15 9,17 * * *", "On a custom schedule"},
		{"0,20 * * * *", "On a custom schedule"},

		// @every: whole weeks, days or hours, minutes under two hours.
		{"@every 24h", "Every day"},
		{"@every 168h", "Every week"},
		{"@every 336h", "Every 2 weeks"},
		{"@every 1h", "Every hour"},
		{"@every 90m", "Every 90 minutes"},
		{"@every 1m", "Every minute"},
		{"@every 2h30m", "Every 2 hours and 30 minutes"},
		{"@every 150s", "Every 2 minutes and 30 seconds"},
		{"@every 25h0m1s", "Every 25 hours and 1 second"},
		{"@every 1s", "Every second"},
		{"@every 45s", "Every 45 seconds"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			got := Describe(mustParse(t, tt.spec))
			if got != tt.want {
				t.Errorf("Describe(%q) = %q, want %q", tt.spec, got, tt.want)
			}
			checkReadable(t, tt.spec, got)
		})
	}
	if got := Describe(Spec{}); got != "Never" {
		t.Errorf("Describe(Spec{}) = %q, want %q", got, "Never")
	}
}

// checkReadable fails when a description shows cron syntax or is not a
// sentence a person can read.
func checkReadable(t *testing.T, spec, got string) {
	t.Helper()
	first, _ := utf8.DecodeRuneInString(got)
	switch {
	case strings.ContainsAny(got, "@*?/"):
		t.Errorf("Describe(%q) = %q shows cron syntax", spec, got)
	case !unicode.IsUpper(first):
		t.Errorf("Describe(%q) = %q does not start with a capital", spec, got)
	case strings.Contains(got, "  ") || strings.Contains(got, ",,") || strings.TrimSpace(got) != got:
		t.Errorf("Describe(%q) = %q has stray spaces or commas", spec, got)
	}
}

// sameSchedule reports whether a and b fire at the same wall-clock times:
// the same fields, with robfig's day rule applied to every pair of day of
// month and day of week, so that "0 9 * * 0-6" and "0 9 * * *" are the same.
func sameSchedule(a, b Spec) bool {
	if a.every != 0 || b.every != 0 || a.wall == nil || b.wall == nil {
		return a.every == b.every && (a.wall == nil) == (b.wall == nil)
	}
	const fields = ^uint64(starBit)
	x, y := a.wall, b.wall
	if x.Second&fields != y.Second&fields || x.Minute&fields != y.Minute&fields || x.Hour&fields != y.Hour&fields || x.Month&fields != y.Month&fields {
		return false
	}
	for dom := 1; dom <= 31; dom++ {
		for dow := time.Sunday; dow <= time.Saturday; dow++ {
			if firesOnDay(x, dom, dow) != firesOnDay(y, dom, dow) {
				return false
			}
		}
	}
	return true
}

func TestSameSchedule(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"0 9 * * 0-6", "0 9 * * *", true},
		{"0 9 1-31 * MON", "0 9 * * *", true},
		{"0 9 * * MON-FRI", "0 9 * * 1,2,3,4,5", true},
		{"@weekly", "0 0 * * SUN", true},
		{"0 9 1 * MON", "0 9 1 * *", false},
		{"0 9 1 * MON", "0 9 * * MON", false},
		{"0 9 * * MON", "0 10 * * MON", false},
		{"0 9 * * MON", "1 9 * * MON", false},
		{"0 9 * JAN MON", "0 9 * * MON", false},
		{"@every 2h", "0 */2 * * *", false},
		{"@every 2h", "@every 120m", true},
	}
	for _, tt := range tests {
		if got := sameSchedule(mustParse(t, tt.a), mustParse(t, tt.b)); got != tt.want {
			t.Errorf("sameSchedule(%q, %q) = %t, want %t", tt.a, tt.b, got, tt.want)
		}
	}
}

// firesOnDay is robfig/cron's day rule, written out again as the oracle: a
// star on either day field means both must match, none means either may.
func firesOnDay(w *cron.SpecSchedule, dom int, dow time.Weekday) bool {
	domOK, dowOK := w.Dom&(1<<uint(dom)) != 0, w.Dow&(1<<uint(dow)) != 0
	if w.Dom&starBit != 0 || w.Dow&starBit != 0 {
		return domOK && dowOK
	}
	return domOK || dowOK
}

// FuzzDescribe: any spec Parse accepts is described without cron syntax,
// and a description ParseFriendly reads back is the same schedule.
func FuzzDescribe(f *testing.F) {
	for _, seed := range []string{"0 9 * * MON", "@weekly", "@every 90m", "0 9 1 * MON", "*/15 9-17 * * MON-FRI", "0 9 29 2 *", "0 8-20/3 * JAN-MAR 1/2", "0 9 * * 0-6", "1-59/2 0 1 * *"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		spec, err := Parse(text)
		if err != nil {
			return
		}
		says := Describe(spec)
		checkReadable(t, text, says)
		if again, _, err := ParseFriendly(says); err == nil && !sameSchedule(again, spec) {
			t.Fatalf("Describe(%q) = %q, which reads back as %q", text, says, again.String())
		}
	})
}
