package chart

import (
	"image/color"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// seriesStyle tells one series apart without its colour too: each has its
// own marker and dash, for readers who do not see the colours.
type seriesStyle struct {
	color  color.RGBA
	dashes []vg.Length // nil is a solid line
	marker draw.GlyphDrawer
}

// seriesStyles are the first colours of the Okabe–Ito palette, which stays
// distinct under the common colour-vision deficiencies.
var seriesStyles = [MaxSeries]seriesStyle{
	{color: rgb(0x0072B2), marker: draw.CircleGlyph{}},                                // blue
	{color: rgb(0xD55E00), dashes: []vg.Length{5, 2.5}, marker: draw.PyramidGlyph{}},  // vermillion
	{color: rgb(0x009E73), dashes: []vg.Length{1.2, 1.8}, marker: draw.BoxGlyph{}},    // bluish green
	{color: rgb(0xCC79A7), dashes: []vg.Length{6, 2, 1.2, 2}, marker: diamondGlyph{}}, // reddish purple
}

// zoneStyle is a zone's fill, light enough for the lines to stay in front,
// and the darker ink of its label.
type zoneStyle struct {
	fill, ink color.RGBA
}

// zoneStyles go from the highest zone down: green, sand, rose, then blue
// and lilac for any more; they differ in lightness as well as hue.
var zoneStyles = [...]zoneStyle{
	{fill: rgb(0xDDF1E4), ink: rgb(0x1E6B45)},
	{fill: rgb(0xFBF0D2), ink: rgb(0x7A5A00)},
	{fill: rgb(0xFBE5DF), ink: rgb(0x9A3A22)},
	{fill: rgb(0xDCE9F5), ink: rgb(0x24557F)},
	{fill: rgb(0xECE2F1), ink: rgb(0x65407A)},
}

var (
	ink       = rgb(0x222222)       // text and axes
	muted     = rgb(0x555555)       // captions
	gridColor = color.RGBA{A: 0x18} // a faint black, which shows on every zone
)

func rgb(v uint32) color.RGBA {
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xFF}
}

// diamondGlyph is a filled square standing on its corner.
type diamondGlyph struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (diamondGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius * math.Sqrt2 * 0.9 // about the area of the circle of sty.Radius
	var p vg.Path
	p.Move(vg.Point{X: pt.X, Y: pt.Y + r})
	p.Line(vg.Point{X: pt.X + r, Y: pt.Y})
	p.Line(vg.Point{X: pt.X, Y: pt.Y - r})
	p.Line(vg.Point{X: pt.X - r, Y: pt.Y})
	p.Close()
	c.Fill(p)
}
