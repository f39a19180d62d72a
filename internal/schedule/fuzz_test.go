package schedule_test

import (
	"testing"
	"time"

	"github.com/partnerbot/partnerbot/internal/schedule"
)

// FuzzParsedNext (beside FuzzParse in spec_test.go, which checks the
// round trip): `/partner-assess schedule <text>` reaches Parse as typed; an
// accepted spec's next occurrence, in UTC and across a DST change, is in
// the future and the same for its printed form.
func FuzzParsedNext(f *testing.F) {
	for _, s := range []string{"0 9 * * MON", "@weekly", "@daily", "@every 2h", "@every 90m", "30 8 * * FRI", "*/15 * * * *",
		"0 9 * * 1-5", "0 9 31 2 *", "@every 0s", "@every -1h", "60 25 * * *", "0 9 * * MON,TUE#2", "", "TZ=UTC 0 9 * * *", "@every 1000000h"} {
		f.Add(s)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	from := time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC) // the night Paris springs forward
	f.Fuzz(func(t *testing.T, text string) {
		sp, err := schedule.Parse(text)
		if err != nil {
			return
		}
		again, err := schedule.Parse(sp.String())
		if err != nil || again.String() != sp.String() {
			t.Fatalf("Parse(%q) prints %q, which parses to %q, %v", text, sp.String(), again.String(), err)
		}
		for _, loc := range []*time.Location{time.UTC, paris} {
			n := sp.Next(loc, from)
			if !n.After(from) || !again.Next(loc, from).Equal(n) {
				t.Fatalf("Parse(%q).Next(%s, %v) = %v", text, loc, from, n)
			}
		}
	})
}
