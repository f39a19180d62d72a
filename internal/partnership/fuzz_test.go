package partnership_test

import (
	"testing"

	"github.com/partnerbot/partnerbot/internal/partnership"
)

// FuzzParsePairID: button values and private_metadata come back from
// Slack untrusted; an accepted pair ID is exactly NewPairID of its members.
func FuzzParsePairID(f *testing.F) {
	for _, s := range []string{"UA-UE", "U1-W2", "UA-UA", "UA-", "-UE", "UA-UE-UX", "ua-ue", "UA–UE", "U" + string(make([]byte, 30)) + "-UE", "WABC123-U999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, a, e, err := partnership.ParsePairID(s)
		if err != nil {
			if id != "" || a != "" || e != "" {
				t.Fatalf("ParsePairID(%q) failed but returned %q %q %q", s, id, a, e)
			}
			return
		}
		if partnership.NewPairID(a, e) != id || string(id) != s {
			t.Fatalf("ParsePairID(%q) = %q (%q, %q): does not re-encode to the input", s, id, a, e)
		}
		if err := partnership.CheckPairing(a, partnership.Person{ID: e}); err != nil && err != partnership.ErrSelf {
			t.Fatalf("ParsePairID(%q) accepted members the pairing rules call invalid: %v", s, err)
		}
		if len(s) > 2*24+1 {
			t.Fatalf("ParsePairID accepted %d bytes", len(s))
		}
	})
}
