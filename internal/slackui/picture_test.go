package slackui

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/chart"
	"github.com/partnerbot/partnerbot/internal/partnership"
)

func TestSummaryPicture(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	s := summary(false)
	pic, ok := SummaryPicture(s, paris)
	if !ok {
		t.Fatal("SummaryPicture of a summary with results: not ok")
	}
	want := chart.Trend{
		Title: "Partnership scores",
		Series: []chart.Series{
			{Label: "Assistant", Points: []chart.Point{
				{At: t0.Add(-14 * 24 * time.Hour), Score: 4}, {At: t0.Add(-7 * 24 * time.Hour), Score: 6}, {At: t0, Score: 8},
			}},
			{Label: "Executive", Points: []chart.Point{{At: t0, Score: 7}}},
		},
		// The article's bands, highest first, labelled with their ranges;
		// the lowest holds 0 too.
		Zones: []chart.Zone{{Min: 8, Max: 10, Label: "8–10"}, {Min: 5, Max: 7, Label: "5–7"}, {Min: 0, Max: 4, Label: "1–4"}},
		Loc:   paris,
	}
	if !reflect.DeepEqual(pic.Trend, want) {
		t.Errorf("SummaryPicture trend =\n%+v\nwant\n%+v", pic.Trend, want)
	}
	if pic.Filename != "partnership-trend-2026-11-02.png" || pic.Title != "Partnership trend" {
		t.Errorf("file %q titled %q", pic.Filename, pic.Title)
	}
	if want := "Trend over 2 weeks: assistant 4 → 6 → 8, executive 7."; pic.Text != want {
		t.Errorf("text = %q, want %q", pic.Text, want)
	}

	// The file is named after the day in the chart's zone: 23:30 UTC is
	// already the next day in Paris.
	late := partnership.NewSummary(pairAE, []assessment.Result{result(ada, assessment.Assistant, t0, "YYYYYNNNNN", false)}, nil, t0.Add(14*time.Hour))
	if pic, _ := SummaryPicture(late, paris); pic.Filename != "partnership-trend-2026-11-03.png" {
		t.Errorf("late in the day in Paris: file %q", pic.Filename)
	}
	if pic, _ := SummaryPicture(late, nil); pic.Trend.Loc != time.UTC || pic.Filename != "partnership-trend-2026-11-02.png" {
		t.Errorf("no zone: loc %v, file %q", pic.Trend.Loc, pic.Filename)
	}

	if _, ok := SummaryPicture(partnership.NewSummary(pairAE, nil, nil, t0), paris); ok {
		t.Error("SummaryPicture of a summary without results: ok, want nothing to draw")
	}
}

func TestTrendText(t *testing.T) {
	day := 24 * time.Hour
	side := func(scores ...int) partnership.Side {
		var sc []partnership.ScoreAt
		for i, s := range scores {
			sc = append(sc, partnership.ScoreAt{At: t0.Add(time.Duration(i) * 7 * day), Score: s})
		}
		return partnership.Side{Scores: sc}
	}
	at := func(d time.Duration, score int) partnership.Side {
		return partnership.Side{Scores: []partnership.ScoreAt{{At: t0, Score: 5}, {At: t0.Add(d), Score: score}}}
	}
	tests := []struct {
		name string
		a, e partnership.Side
		want string
	}{
		{"nobody", side(), side(), "Trend: assistant no result yet, executive no result yet."},
		{"one result each, same day", side(6), side(7), "Trend: assistant 6, executive 7."},
		{"the example", side(6, 7, 8), side(7, 9), "Trend over 2 weeks: assistant 6 → 7 → 8, executive 7 → 9."},
		{"8 and 9 stay apart", side(8, 9), side(9, 8), "Trend over 1 week: assistant 8 → 9, executive 9 → 8."},
		{"executive not yet", side(3, 4, 6, 5, 7), side(), "Trend over 4 weeks: assistant 3 → 4 → 6 → 5 → 7, executive no result yet."},
		{"many results", side(3, 4, 6, 5, 7, 9), side(2), "Trend over 5 weeks: assistant 3 → 9 in 6 results, executive 2."},
		{"hours apart", at(6*time.Hour, 6), side(), "Trend: assistant 5 → 6, executive no result yet."},
		{"days apart", at(3*day, 6), side(), "Trend over 3 days: assistant 5 → 6, executive no result yet."},
		{"a day", at(20*time.Hour, 6), side(), "Trend over 1 day: assistant 5 → 6, executive no result yet."},
		{"almost a week", at(6*day+13*time.Hour, 6), side(), "Trend over 1 week: assistant 5 → 6, executive no result yet."},
		{"a year", side(), at(365*day, 9), "Trend over 52 weeks: assistant no result yet, executive 5 → 9."},
	}
	for _, tt := range tests {
		got := TrendText(partnership.Summary{Assistant: tt.a, Executive: tt.e})
		if got != tt.want {
			t.Errorf("TrendText(%s) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestSummaryPictureGolden draws the summary's picture and compares its
// pixels, decoded, with testdata/summary_picture.png (-update rewrites it).
func TestSummaryPictureGolden(t *testing.T) {
	pic, _ := SummaryPicture(summary(true), time.UTC)
	got, err := chart.PNG(pic.Trend)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "summary_picture.png")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s (run go test ./internal/slackui -update to create it): %v", path, err)
	}
	g, w := rgba(t, got), rgba(t, want)
	if g.Bounds().Size() != chart.Size() {
		t.Errorf("picture is %v, want %v", g.Bounds().Size(), chart.Size())
	}
	if diff := pixelDiff(g, w); diff != "" {
		out := filepath.Join(t.ArtifactDir(), "summary_picture.png")
		if err := os.WriteFile(out, got, 0o644); err != nil {
			t.Error(err)
		}
		t.Errorf("%s: %s (got written to %s)", path, diff, out)
	}
}

func rgba(t *testing.T, b []byte) *image.RGBA {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode PNG: %v", err)
	}
	out := image.NewRGBA(image.Rectangle{Max: img.Bounds().Size()})
	draw.Draw(out, out.Bounds(), img, img.Bounds().Min, draw.Src)
	return out
}

// pixelDiff says how many pixels of got differ from want, "" for none.
func pixelDiff(got, want *image.RGBA) string {
	if got.Bounds() != want.Bounds() {
		return fmt.Sprintf("bounds %v, want %v", got.Bounds(), want.Bounds())
	}
	n := 0
	for i := 0; i < len(got.Pix); i += 4 {
		if !bytes.Equal(got.Pix[i:i+4], want.Pix[i:i+4]) {
			n++
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%d of %d pixels differ", n, len(got.Pix)/4)
}
