package store

import (
	"strconv"
	"testing"
	"time"

	"github.com/partnerbot/partnerbot/internal/checkin"
	"github.com/partnerbot/partnerbot/internal/partnership"
)

// FuzzFromIndex: the job index is read back from Redis; an accepted value
// is exactly what indexValue writes for the job it decodes to, a prompt or
// a reminder staged in its place, under the prompt's name; and it is a
// number to builds from before staging, which read it with ParseInt.
func FuzzFromIndex(f *testing.F) {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	named := checkin.Job{Kind: checkin.KindPrompt, Pair: partnership.NewPairID("UA", "UE"), User: "UA"}
	for _, j := range []checkin.Job{
		{Kind: checkin.KindPrompt, Pair: named.Pair, User: "UA", At: at},
		{Kind: checkin.KindRemind, Pair: named.Pair, User: "UA", At: at.Add(24 * time.Hour), Staged: true},
	} {
		f.Add(indexValue(j))
	}
	for _, s := range []string{"", "+", "++1", "+01", "+-0", "+-1", "-1", "01", "-0", " 1", "1 ", "r1:2", "1|2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		j, err := fromIndex(named, v)
		if err != nil {
			return
		}
		if j.Name() != named.Name() || j.Member() != named.Name() {
			t.Fatalf("fromIndex(%q) = %+v, queued as %q, want under %q", v, j, j.Member(), named.Name())
		}
		if got := indexValue(j); got != v {
			t.Fatalf("fromIndex(%q) = %+v, which the index keeps as %q", v, j, got)
		}
		if ms, err := strconv.ParseInt(v, 10, 64); err != nil || ms != j.At.UnixMilli() {
			t.Fatalf("fromIndex(%q) = %+v, which an older build reads as %d, %v", v, j, ms, err)
		}
	})
}
