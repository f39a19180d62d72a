package schedule

import (
	"testing"
	"time"
)

func BenchmarkNext(b *testing.B) {
	ny := loadZone(b, "America/New_York")
	benches := []struct {
		name, spec string
		after      time.Time
	}{
		{"weekly/ordinary", DefaultSpec, time.Date(2026, 6, 1, 12, 0, 0, 0, ny)},
		{"weekly/gap", "30 2 * * SUN", time.Date(2026, 3, 7, 12, 0, 0, 0, ny)},
		{"daily/repeat", "30 1 * * *", time.Date(2026, 10, 31, 12, 0, 0, 0, ny)},
		{"every", "@every 2h", time.Date(2026, 6, 1, 12, 0, 0, 0, ny)},
	}
	for _, bb := range benches {
		b.Run(bb.name, func(b *testing.B) {
			spec := mustParse(b, bb.spec)
			b.ReportAllocs()
			for b.Loop() {
				spec.Next(ny, bb.after)
			}
		})
	}
}

func BenchmarkZonesGet(b *testing.B) {
	z := NewZones()
	z.Get("America/New_York")
	b.ReportAllocs()
	for b.Loop() {
		z.Get("America/New_York")
	}
}

func BenchmarkLoadLocation(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := time.LoadLocation("America/New_York"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(DefaultSpec); err != nil {
			b.Fatal(err)
		}
	}
}
