package chart

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image"
	_ "image/png" // for image.Decode
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // the DST case must not depend on the machine's zoneinfo
)

var update = flag.Bool("update", false, "rewrite testdata/*.png")

// articleBands are the article's three bands, as the pair summary will pass them.
var articleBands = []Zone{{8, 10, "8–10"}, {5, 7, "5–7"}, {0, 4, "0–4"}}

// monday is 09:30 UTC on the Monday of week w after Monday 5 October 2026.
func monday(w int) time.Time { return time.Date(2026, 10, 5+7*w, 9, 30, 0, 0, time.UTC) }

// weekly is a series with one point a week from monday(0) plus offset, the
// scores in turn.
func weekly(label string, offset time.Duration, scores ...int) Series {
	s := Series{Label: label}
	for w, score := range scores {
		s.Points = append(s.Points, Point{At: monday(w).Add(offset), Score: score})
	}
	return s
}

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// goldenCases are drawn and compared with testdata/<name>.png.
func goldenCases(t *testing.T) []struct {
	name  string
	trend Trend
} {
	newYork := mustLoad(t, "America/New_York")
	var year, many Trend
	year = Trend{Title: "A year of check-ins", Zones: articleBands}
	a, e := Series{Label: "Assistant"}, Series{Label: "Executive"}
	for w := range 52 {
		a.Points = append(a.Points, Point{At: monday(w), Score: 3 + (w*7/13)%8})
		e.Points = append(e.Points, Point{At: monday(w).Add(26 * time.Hour), Score: 2 + (w*5/11)%9})
	}
	year.Series = []Series{a, e}

	many = Trend{Title: "200 scores", Zones: articleBands}
	m := Series{Label: "Assistant"}
	for i := range 200 {
		m.Points = append(m.Points, Point{At: monday(0).Add(time.Duration(i) * 20 * time.Hour), Score: (i*37/11 + i/9) % 11})
	}
	many.Series = []Series{m}

	// Points taken in reverse order, and two on the same day.
	reversed := weekly("Executive", 4*time.Hour, 4, 5, 5, 6, 8, 7, 8, 9)
	reversed.Points = append(reversed.Points, Point{At: monday(3).Add(6 * time.Hour), Score: 7})
	for i, j := 0, len(reversed.Points)-1; i < j; i, j = i+1, j-1 {
		reversed.Points[i], reversed.Points[j] = reversed.Points[j], reversed.Points[i]
	}

	// Around the end of daylight saving time in New York, 1 November 2026:
	// the assistant answers just after midnight on Mondays, the executive
	// late on Sunday evenings, which is already Monday in UTC. The week
	// ticks, at local midnight, fall between the two.
	early, late := Series{Label: "Assistant"}, Series{Label: "Executive"}
	for w := range 6 {
		early.Points = append(early.Points, Point{At: time.Date(2026, 10, 19+7*w, 0, 30, 0, 0, newYork), Score: 4 + w})
		late.Points = append(late.Points, Point{At: time.Date(2026, 10, 18+7*w, 22, 30, 0, 0, newYork), Score: 3 + w})
	}

	return []struct {
		name  string
		trend Trend
	}{
		{"two_series_8_weeks", Trend{
			Title:  "Partnership: Ana & Ben",
			Series: []Series{weekly("Assistant", 0, 6, 7, 7, 8, 6, 8, 9, 9), reversed},
			Zones:  articleBands,
		}},
		{"one_series", Trend{
			Title:  "Your scores",
			Series: []Series{weekly("Assistant", 0, 3, 4, 6, 5, 7)},
			Zones:  articleBands,
		}},
		{"executive_not_yet", Trend{
			Title:  "Partnership: Ana & Ben",
			Series: []Series{weekly("Assistant", 0, 3, 4, 6, 5, 7), {Label: "Executive"}},
			Zones:  articleBands,
		}},
		{"one_point", Trend{
			Title:  "First check-in",
			Series: []Series{{Label: "Assistant", Points: []Point{{At: monday(0), Score: 6}}}},
			Zones:  articleBands,
		}},
		{"scores_0_and_10", Trend{
			Title: "Extremes (scores outside 0–10 are clamped)",
			Series: []Series{
				weekly("Assistant", 0, 0, 10, 0, 10, -3),
				weekly("Executive", 0, 10, 0, 10, 0, 14),
			},
			Zones: articleBands,
		}},
		{"52_weeks", year},
		{"200_points", many},
		{"zone_edges", Trend{
			Title:  "Zones at the ends, overlapping, and outside the scale",
			Series: []Series{weekly("Assistant", 0, 0, 1, 5, 9, 10, 10)},
			Zones: []Zone{
				{10, 10, "10 only"}, {0, 0, "0 only"}, {-5, 2, "low"}, {2, 6, "overlap"},
				{11, 20, "never shown"}, {6, 6, ""},
			},
		}},
		{"dst_new_york", Trend{
			Title:  "New York, across the end of daylight saving time",
			Series: []Series{early, late},
			Zones:  articleBands,
			Loc:    newYork,
		}},
		{"four_series_no_title", Trend{
			Series: []Series{
				weekly("Assistant", 0, 2, 4, 6, 8, 9),
				weekly("Executive", 0, 3, 3, 5, 7, 8),
				weekly("Assistant (before)", 0, 1, 2, 2, 3, 4),
				weekly("Executive (before)", 0, 5, 5, 4, 4, 6),
			},
			Zones: articleBands,
		}},
		{"no_zones_long_labels", Trend{
			Title: "A title far too long to fit on one line of a small chart in a Slack message, so the chart cuts it short with an ellipsis at the end",
			Series: []Series{
				weekly("Alexandra Konstantinopoulou-Vasquez, executive assistant to the chief", 0, 5, 6, 7),
				weekly("Bartholomew Featherstonehaugh (executive)", 24*time.Hour, 4, 6, 8),
			},
		}},
	}
}

func TestPNGGolden(t *testing.T) {
	for _, tt := range goldenCases(t) {
		t.Run(tt.name, func(t *testing.T) {
			got, err := PNG(tt.trend)
			if err != nil {
				t.Fatalf("PNG: %v", err)
			}
			path := filepath.Join("testdata", tt.name+".png")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("read %s (run go test ./internal/chart -update to create it): %v", path, err)
			}
			if diff := comparePixels(t, got, want); diff != "" {
				out := filepath.Join(t.ArtifactDir(), tt.name+".png")
				if err := os.WriteFile(out, got, 0o644); err != nil {
					t.Error(err)
				}
				t.Errorf("%s: %s (got written to %s; keep it with -artifacts)", path, diff, out)
			}
		})
	}
}

// comparePixels decodes both images and reports how their pixels differ,
// or "" when every pixel is the same.
func comparePixels(t *testing.T, got, want []byte) string {
	t.Helper()
	g, _, err := image.Decode(bytes.NewReader(got))
	if err != nil {
		t.Fatalf("decode got: %v", err)
	}
	w, _, err := image.Decode(bytes.NewReader(want))
	if err != nil {
		t.Fatalf("decode want: %v", err)
	}
	if g.Bounds() != w.Bounds() {
		return fmt.Sprintf("bounds %v, want %v", g.Bounds(), w.Bounds())
	}
	n, first := 0, ""
	b := g.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			gr, gg, gb, ga := g.At(x, y).RGBA()
			wr, wg, wb, wa := w.At(x, y).RGBA()
			if gr != wr || gg != wg || gb != wb || ga != wa {
				if n == 0 {
					first = fmt.Sprintf("(%d,%d) = RGBA(%d,%d,%d,%d), want RGBA(%d,%d,%d,%d)",
						x, y, gr>>8, gg>>8, gb>>8, ga>>8, wr>>8, wg>>8, wb>>8, wa>>8)
				}
				n++
			}
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%d of %d pixels differ, first %s", n, b.Dx()*b.Dy(), first)
}

func typical() Trend {
	return Trend{
		Title: "Partnership: Ana & Ben",
		Series: []Series{
			weekly("Assistant", 0, 5, 6, 6, 7, 7, 8, 6, 7, 8, 8, 9, 9),
			weekly("Executive", 28*time.Hour, 4, 4, 5, 6, 7, 7, 7, 8, 7, 8, 8, 9),
		},
		Zones: articleBands,
	}
}

func TestPNGDecodesAtSize(t *testing.T) {
	b, err := PNG(typical())
	if err != nil {
		t.Fatal(err)
	}
	img, format, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	if format != "png" {
		t.Errorf("format = %q, want png", format)
	}
	if got, want := img.Bounds().Size(), Size(); got != want {
		t.Errorf("size = %v, want %v", got, want)
	}
}

func TestPNGSamePixelsTwice(t *testing.T) {
	first, err := PNG(typical())
	if err != nil {
		t.Fatal(err)
	}
	second, err := PNG(typical())
	if err != nil {
		t.Fatal(err)
	}
	if diff := comparePixels(t, second, first); diff != "" {
		t.Errorf("second rendering: %s", diff)
	}
}

// TestPNGConcurrent: the bot may draw several pairs' charts at once.
func TestPNGConcurrent(t *testing.T) {
	want, err := PNG(typical())
	if err != nil {
		t.Fatal(err)
	}
	const n = 4
	got := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { got[i], errs[i] = PNG(typical()) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("PNG in goroutine %d: %v", i, errs[i])
		}
		if diff := comparePixels(t, got[i], want); diff != "" {
			t.Errorf("PNG in goroutine %d: %s", i, diff)
		}
	}
}

// TestPNGInputChangesPixels shows that the golden comparison can fail: each
// change of the input changes the picture.
func TestPNGInputChangesPixels(t *testing.T) {
	base, err := PNG(typical())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(*Trend)
	}{
		{"one score", func(tr *Trend) { tr.Series[0].Points[5].Score-- }},
		{"title", func(tr *Trend) { tr.Title += "!" }},
		{"legend label", func(tr *Trend) { tr.Series[1].Label = "Boss" }},
		{"zone label", func(tr *Trend) { tr.Zones = []Zone{{8, 10, "8-10"}, {5, 7, "5–7"}, {0, 4, "0–4"}} }},
		{"time zone", func(tr *Trend) { tr.Loc = time.FixedZone("UTC+14", 14*3600) }},
		{"one series fewer", func(tr *Trend) { tr.Series = tr.Series[:1] }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := typical()
			tt.change(&tr)
			got, err := PNG(tr)
			if err != nil {
				t.Fatal(err)
			}
			if comparePixels(t, got, base) == "" {
				t.Errorf("PNG after changing the %s has the same pixels as before", tt.name)
			}
		})
	}
}

func TestPNGErrors(t *testing.T) {
	five := make([]Series, MaxSeries+1)
	for i := range five {
		five[i] = weekly("s", 0, 5)
	}
	tests := []struct {
		name  string
		trend Trend
		want  error
	}{
		{"no series", Trend{Title: "t", Zones: articleBands}, ErrNoPoints},
		{"series without points", Trend{Series: []Series{{Label: "Assistant"}, {Label: "Executive", Points: []Point{}}}}, ErrNoPoints},
		{"too many series", Trend{Series: five}, ErrTooManySeries},
		{"zone upside down", Trend{Series: []Series{weekly("a", 0, 5)}, Zones: []Zone{{7, 5, "5–7"}}}, ErrZone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := PNG(tt.trend)
			if !errors.Is(err, tt.want) {
				t.Errorf("PNG() error = %v, want %v", err, tt.want)
			}
			if got != nil {
				t.Errorf("PNG() = %d bytes, want none", len(got))
			}
		})
	}
}

// TestPNGLeavesInputAlone: PNG sorts and clamps copies, not the caller's points.
func TestPNGLeavesInputAlone(t *testing.T) {
	s := Series{Label: "a", Points: []Point{{At: monday(1), Score: 12}, {At: monday(0), Score: 5}}}
	if _, err := PNG(Trend{Series: []Series{s}}); err != nil {
		t.Fatal(err)
	}
	if got, want := s.Points[0], (Point{At: monday(1), Score: 12}); got != want {
		t.Errorf("Points[0] after PNG = %v, want %v", got, want)
	}
}

// BenchmarkPNG draws a typical pair summary chart: 12 weeks, two series,
// the article's bands. It also reports the size of the PNG.
func BenchmarkPNG(b *testing.B) {
	tr := typical()
	b.ReportAllocs()
	var out []byte
	for b.Loop() {
		var err error
		if out, err = PNG(tr); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(out)), "png-bytes")
}
