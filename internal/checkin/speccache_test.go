package checkin

import (
	"fmt"
	"testing"

	"github.com/partnerbot/partnerbot/internal/schedule"
)

func TestSpecCache(t *testing.T) {
	c := &specCache{m: map[string]schedule.Spec{}}
	if _, err := c.parse("every Monday, please"); err == nil || len(c.m) != 0 {
		t.Errorf("a bad spec: err %v, %d cached", err, len(c.m))
	}
	a, err := c.parse("0 9 * * MON")
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := c.parse("0 9 * * MON"); a.String() != b.String() || len(c.m) != 1 {
		t.Errorf("parse twice: %v, %v; %d cached", a, b, len(c.m))
	}
	// Past the bound, specs still parse but are not kept.
	for i := range maxSpecs + 10 {
		text := fmt.Sprintf("%d %d %d * *", i%60, i/60%24, i/1440%28+1)
		sp, err := c.parse(text)
		if err != nil || sp.String() == "" {
			t.Fatalf("parse(%q) = %v, %v", text, sp, err)
		}
	}
	if len(c.m) != maxSpecs {
		t.Errorf("cache holds %d specs, want the bound %d", len(c.m), maxSpecs)
	}
}
