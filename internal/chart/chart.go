// Package chart draws a partnership's score trend as a PNG image: each
// person's self-assessment scores over time, on the article's score bands,
// by week.
package chart

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"slices"
	"time"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// The image is small enough to sit in a Slack message unscaled.
const (
	width  = 720 // pixels
	height = 360 // pixels
	dpi    = 96  // so that one point of text is 4/3 of a pixel
)

// The score scale of the self-assessment: the number of "Yes" answers.
const (
	minScore = 0
	maxScore = 10
)

// MaxSeries is how many series one chart can tell apart by colour, marker
// and dash.
const MaxSeries = 4

var (
	// ErrNoPoints is returned for a Trend without a single point: a blank
	// chart would say nothing.
	ErrNoPoints = errors.New("chart: no points to draw")
	// ErrTooManySeries is returned for a Trend of more than MaxSeries series.
	ErrTooManySeries = errors.New("chart: too many series")
	// ErrZone is returned for a Zone whose Min is above its Max.
	ErrZone = errors.New("chart: zone min above max")
)

// Point is one score at one time.
type Point struct {
	At    time.Time
	Score int // 0..10; a score outside is drawn at the nearer end
}

// Series is one person's scores, for example the assistant's. Its points
// may come in any order; points at the same time keep their order.
type Series struct {
	Label string // shown in the legend, e.g. "Assistant"; empty leaves it out
	// Points may be empty while another series has some: the legend then
	// says the series has no scores yet.
	Points []Point
}

// Zone is a band of scores drawn as a shaded horizontal strip, for example
// the article's {8, 10, "8–10"}. Min and Max are inclusive scores: the strip
// runs half a score beyond each, so that adjacent bands meet. A zone reaching
// past 0 or 10 is cut at the scale's end; one wholly outside is left out.
type Zone struct {
	Min, Max int
	Label    string // drawn beside the strip, at the right edge
}

// Trend is what one chart shows.
type Trend struct {
	Title  string         // at the top left, cut short with "…" if it does not fit
	Series []Series       // at most MaxSeries; each gets its own colour, marker and dash
	Zones  []Zone         // where two overlap, the narrower is drawn over the wider
	Loc    *time.Location // the weeks start on Monday at midnight here; nil is UTC
}

// Size is the image's size in pixels.
func Size() image.Point { return image.Pt(width, height) }

// PNG renders t as a PNG image of Size. The same Trend always gives the same
// pixels: the fonts are embedded and nothing depends on the clock. It returns
// ErrNoPoints when no series has a point, ErrTooManySeries past MaxSeries,
// and ErrZone for a zone upside down. It is safe for concurrent use.
func PNG(t Trend) ([]byte, error) {
	tr, err := prepare(t)
	if err != nil {
		return nil, err
	}
	px := vg.Inch / dpi
	c := vgimg.NewWith(vgimg.UseWH(width*px, height*px), vgimg.UseDPI(dpi))
	render(tr, draw.New(c))
	var buf bytes.Buffer
	if err := png.Encode(&buf, c.Image()); err != nil {
		return nil, fmt.Errorf("chart: encode %q: %w", t.Title, err)
	}
	return buf.Bytes(), nil
}

// trend is a Trend checked and put in order for drawing.
type trend struct {
	title       string
	series      []Series // points sorted by time, scores clamped
	zones       []Zone   // clamped to the scale; those wholly outside dropped
	loc         *time.Location
	first, last time.Time // of all points
}

func prepare(t Trend) (trend, error) {
	if len(t.Series) > MaxSeries {
		return trend{}, fmt.Errorf("chart: %d series, at most %d: %w", len(t.Series), MaxSeries, ErrTooManySeries)
	}
	tr := trend{title: t.Title, loc: t.Loc}
	if tr.loc == nil {
		tr.loc = time.UTC
	}
	n := 0
	for _, s := range t.Series {
		pts := slices.Clone(s.Points)
		slices.SortStableFunc(pts, func(a, b Point) int { return a.At.Compare(b.At) })
		for i := range pts {
			pts[i].Score = clamp(pts[i].Score)
		}
		if len(pts) > 0 {
			if n == 0 || pts[0].At.Before(tr.first) {
				tr.first = pts[0].At
			}
			if n == 0 || pts[len(pts)-1].At.After(tr.last) {
				tr.last = pts[len(pts)-1].At
			}
		}
		n += len(pts)
		tr.series = append(tr.series, Series{Label: s.Label, Points: pts})
	}
	if n == 0 {
		return trend{}, ErrNoPoints
	}
	for _, z := range t.Zones {
		if z.Min > z.Max {
			return trend{}, fmt.Errorf("chart: zone %q (%d–%d): %w", z.Label, z.Min, z.Max, ErrZone)
		}
		if z.Max < minScore || z.Min > maxScore {
			continue
		}
		tr.zones = append(tr.zones, Zone{Min: clamp(z.Min), Max: clamp(z.Max), Label: z.Label})
	}
	return tr, nil
}

func clamp(score int) int { return min(max(score, minScore), maxScore) }
