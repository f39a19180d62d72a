package schedule

import (
	"sync"
	"testing"
	"time"
)

func TestZonesGet(t *testing.T) {
	tests := []struct {
		name     string
		wantZone string // Location.String()
		wantOK   bool
	}{
		{"America/New_York", "America/New_York", true},
		{"Asia/Kolkata", "Asia/Kolkata", true},
		{"UTC", "UTC", true},
		{"", "UTC", false},
		{"Local", "UTC", false}, // the server's zone is never a member's
		{"Mars/Olympus_Mons", "UTC", false},
		{"../../etc/passwd", "UTC", false},
		{"america/new_york ", "UTC", false},
	}
	z := NewZones()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc, ok := z.Get(tt.name)
			if loc.String() != tt.wantZone || ok != tt.wantOK {
				t.Fatalf("Get(%q) = %v, %t; want %s, %t", tt.name, loc, ok, tt.wantZone, tt.wantOK)
			}
			again, okAgain := z.Get(tt.name)
			if again != loc || okAgain != ok {
				t.Errorf("second Get(%q) = %p, %t; want the same pointer %p, %t", tt.name, again, okAgain, loc, ok)
			}
		})
	}
}

func TestZonesZeroValue(t *testing.T) {
	var z Zones
	loc, ok := z.Get("Europe/Berlin")
	if !ok || loc.String() != "Europe/Berlin" {
		t.Fatalf("zero Zones: Get = %v, %t; want Europe/Berlin, true", loc, ok)
	}
	if again, _ := z.Get("Europe/Berlin"); again != loc {
		t.Errorf("zero Zones: second Get = %p, want %p", again, loc)
	}
}

// Run with -race: many goroutines loading the same names at once must all
// get one pointer per name.
func TestZonesConcurrentGet(t *testing.T) {
	names := []string{"America/New_York", "Europe/London", "Pacific/Chatham", "Australia/Lord_Howe", "Nowhere/Special", ""}
	z := NewZones()
	const workers = 16
	got := make([][]*time.Location, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			// Each worker starts at a different name, so first loads race.
			for round := range 50 {
				for j := range names {
					z.Get(names[(i+j+round)%len(names)])
				}
			}
			for _, name := range names {
				loc, _ := z.Get(name)
				got[i] = append(got[i], loc)
			}
		})
	}
	wg.Wait()
	for i := 1; i < workers; i++ {
		for j, name := range names {
			if got[i][j] != got[0][j] {
				t.Errorf("worker %d Get(%q) = %p, worker 0 got %p; want one pointer", i, name, got[i][j], got[0][j])
			}
		}
	}
	if got[0][len(names)-1] != time.UTC {
		t.Errorf("Get(\"\") = %v, want UTC", got[0][len(names)-1])
	}
}
