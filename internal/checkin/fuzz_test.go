package checkin_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/partnerbot/partnerbot/internal/checkin"
	"github.com/partnerbot/partnerbot/internal/partnership"
)

// FuzzParseJob: due-queue members are read back from Redis; an accepted
// member is exactly the Member of the job it decodes to (one entry per
// recurring prompt, one per one-off occurrence), or a prompt entry in the
// form older builds queued, which keeps its occurrence.
func FuzzParseJob(f *testing.F) {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for _, j := range []checkin.Job{
		{Kind: checkin.KindPrompt, Pair: partnership.NewPairID("UA", "UE"), User: "UA", At: at},
		{Kind: checkin.KindRemind, Pair: partnership.NewPairID("UA", "UE"), User: "UE", At: at.Add(24 * time.Hour)},
		{Kind: checkin.KindSnooze, Pair: partnership.NewPairID("W1", "U2"), User: "W1", At: time.UnixMilli(0)},
	} {
		f.Add(j.Member())
	}
	f.Add("prompt|UA-UE|UA|1795390363984") // as older builds queued it
	for _, s := range []string{"", "prompt|UA-UE|UA", "prompt|UA-UE|UA|x", "nudge|UA-UE|UA|1", "prompt|UA-UE||1",
		"prompt|UA-UE|UA|+1", "prompt|UA-UE|UA|007", "prompt|UA-UE|UA|-5", "prompt|UA-UE|UA|1|2", "prompt|UA-UE|UX|1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		j, err := checkin.ParseJob(s)
		if err != nil {
			return
		}
		if j.Kind == checkin.KindPrompt && !j.At.IsZero() { // the older form
			if old := j.Name() + "|" + strconv.FormatInt(j.At.UnixMilli(), 10); s != old {
				t.Fatalf("ParseJob(%q) = %+v, written as %q", s, j, old)
			}
		} else if j.Member() != s {
			t.Fatalf("ParseJob(%q) = %+v, whose Member is %q", s, j, j.Member())
		}
		want := j
		if j.Kind == checkin.KindPrompt {
			want.At = time.Time{} // the index has it
		}
		again, err := checkin.ParseJob(j.Member())
		if err != nil || again != want {
			t.Fatalf("ParseJob(Member(%+v)) = %+v, %v", j, again, err)
		}
	})
}
