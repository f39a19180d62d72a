package chart

import (
	"cmp"
	"image/color"
	"slices"
	"strconv"

	stdfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Spacing, in points (at 96 dpi a point is 4/3 of a pixel).
const (
	margin      vg.Length = 6  // around the whole image
	headerGap   vg.Length = 6  // between the title row and the plot
	legendGap   vg.Length = 12 // between legend entries
	sampleWidth vg.Length = 22 // of the line drawn in a legend entry
	labelGap    vg.Length = 5  // between a zone and its label, a sample and its text
	tickGap     vg.Length = 5  // at least, between two week labels
)

// render draws tr onto c.
func render(tr trend, c draw.Canvas) {
	f := newFonts()
	top := header(tr, f, c)

	zoneWidth := vg.Length(0)
	for _, z := range tr.zones {
		zoneWidth = max(zoneWidth, f.zone.Width(z.Label))
	}
	if zoneWidth > 0 {
		zoneWidth += labelGap
	}
	area := draw.Crop(c, margin, -(margin + zoneWidth), margin, -(margin + top + headerGap))

	ax := newAxisX(tr.first, tr.last, tr.loc)
	p := newPlot(f, ax)
	radius, lineWidth := markSize(tr)
	p.Add(zones(tr.zones), grid())
	for i, s := range tr.series {
		p.Add(line{points: s.Points, style: seriesStyles[i], radius: radius, width: lineWidth})
	}
	labelWeeks(p, ax, f, area)
	p.Draw(area)
	zoneLabels(p, tr.zones, f, area)
}

// fonts are the text styles of the chart, all Liberation Sans, which
// gonum/plot embeds.
type fonts struct {
	title, legend, tick, zone, caption text.Style
}

func newFonts() fonts {
	h := text.Plain{Fonts: font.NewCache(liberation.Collection())}
	sans := font.Font{Typeface: "Liberation", Variant: "Sans"}
	bold := sans
	bold.Weight = stdfont.WeightBold
	style := func(fnt font.Font, size vg.Length, c color.Color) text.Style {
		return text.Style{Color: c, Font: font.From(fnt, size), Handler: h}
	}
	return fonts{
		title:   style(bold, 11, ink),
		legend:  style(sans, 9, ink),
		tick:    style(sans, 8.5, ink),
		zone:    style(bold, 8.5, ink),
		caption: style(sans, 8, muted),
	}
}

// header draws the title at the left and the legend at the right of the top
// row, the legend on a row of its own when both do not fit, and returns the
// height it took.
func header(tr trend, f fonts, c draw.Canvas) vg.Length {
	avail := c.Max.X - c.Min.X - 2*margin
	title := fit(tr.title, f.title, avail)
	titleW := f.title.Width(title)
	rowH := f.title.Height("Mg")
	y := c.Max.Y - margin

	var entries []int // series with a label
	for i, s := range tr.series {
		if s.Label != "" {
			entries = append(entries, i)
		}
	}
	entryW := func(label string) vg.Length { return sampleWidth + labelGap + f.legend.Width(label) }
	labels := make([]string, len(entries))
	legendW := vg.Length(0)
	for k, i := range entries {
		labels[k] = tr.series[i].Label
		if len(tr.series[i].Points) == 0 {
			labels[k] += " (no scores yet)"
		}
		legendW += entryW(labels[k])
	}
	if n := len(entries); n > 1 {
		legendW += legendGap * vg.Length(n-1)
	}
	if legendW > avail { // shorten every label to an equal share
		share := (avail-legendGap*vg.Length(len(entries)-1))/vg.Length(len(entries)) - sampleWidth - labelGap
		legendW = legendGap * vg.Length(len(entries)-1)
		for k := range labels {
			labels[k] = fit(labels[k], f.legend, share)
			legendW += entryW(labels[k])
		}
	}

	if title != "" {
		ts := f.title
		ts.YAlign = draw.YTop
		c.FillText(ts, vg.Point{X: c.Min.X + margin, Y: y}, title)
	}
	height := rowH
	legendY := y - rowH/2
	if title != "" && titleW+legendGap*2+legendW > avail {
		legendY = y - rowH - headerGap/2 - rowH/2
		height += headerGap/2 + rowH
	}
	x := c.Max.X - margin - legendW
	if height > rowH {
		x = c.Min.X + margin
	}
	for k, i := range entries {
		st := seriesStyles[i]
		mid := vg.Point{X: x + sampleWidth/2, Y: legendY}
		c.StrokeLine2(draw.LineStyle{Color: st.color, Width: 1.6, Dashes: st.dashes}, x, legendY, x+sampleWidth, legendY)
		mark(&c, st, 3, mid)
		ls := f.legend
		ls.YAlign = draw.YCenter
		c.FillText(ls, vg.Point{X: x + sampleWidth + labelGap, Y: legendY}, labels[k])
		x += entryW(labels[k]) + legendGap
	}
	return height
}

// fit shortens s with an ellipsis until it is at most w wide in sty.
func fit(s string, sty text.Style, w vg.Length) string {
	if sty.Width(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && sty.Width(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	if len(r) == 0 {
		return ""
	}
	return string(r) + "…"
}

// newPlot is the plot with its axes: scores 0–10 upward, weeks across.
func newPlot(f fonts, ax axisX) *plot.Plot {
	p := plot.New()
	p.X.Min, p.X.Max = ax.min, ax.max
	p.Y.Min, p.Y.Max = minScore-0.5, maxScore+0.5
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Padding = 0
		a.Color = ink
		a.Tick.Color = ink
		a.Tick.Length = 4
		a.Tick.Label.Font = f.tick.Font
		a.Tick.Label.Handler = f.tick.Handler
		a.Tick.Label.Color = ink
		a.Label.TextStyle.Font = f.caption.Font
		a.Label.TextStyle.Handler = f.caption.Handler
		a.Label.TextStyle.Color = muted
		a.Label.Padding = 2
	}
	p.Y.Label.Text = "Score"
	p.X.Label.Text = ax.caption
	var scores plot.ConstantTicks
	for s := minScore; s <= maxScore; s++ {
		scores = append(scores, plot.Tick{Value: float64(s), Label: strconv.Itoa(s)})
	}
	p.Y.Tick.Marker = scores
	return p
}

// labelWeeks labels as many Mondays as fit without their labels touching.
func labelWeeks(p *plot.Plot, ax axisX, f fonts, area draw.Canvas) {
	widest := vg.Length(0)
	for _, w := range ax.weeks {
		widest = max(widest, f.tick.Width(w.label))
	}
	span := ax.max - ax.min
	for i := 0; ; i++ {
		n := step(i)
		p.X.Tick.Marker = ax.ticks(n, true)
		dc := p.DataCanvas(area)
		weekW := (dc.Max.X - dc.Min.X) * vg.Length(week.Seconds()/span)
		if weekW*vg.Length(n) >= widest+tickGap || n >= len(ax.weeks) {
			p.X.Tick.Marker = ax.ticks(n, weekW >= 3)
			return
		}
	}
}

// markSize shrinks markers and lines as points crowd.
func markSize(tr trend) (radius, width vg.Length) {
	most := 0
	for _, s := range tr.series {
		most = max(most, len(s.Points))
	}
	switch {
	case most <= 30:
		return 3, 1.6
	case most <= 80:
		return 2.2, 1.3
	default:
		return 1.5, 1
	}
}

// zones shades each zone across the plot, half a score beyond its ends;
// a narrower zone is drawn over a wider one, so that each stays in sight.
type zones []Zone

// Plot implements plot.Plotter.
func (zs zones) Plot(c draw.Canvas, p *plot.Plot) {
	_, y := p.Transforms(&c)
	order := make([]int, len(zs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(zs[b].Max-zs[b].Min, zs[a].Max-zs[a].Min) })
	for _, i := range order {
		z := zs[i]
		lo, hi := y(float64(z.Min)-0.5), y(float64(z.Max)+0.5)
		c.FillPolygon(zoneStyleOf(zs, i).fill, []vg.Point{
			{X: c.Min.X, Y: lo}, {X: c.Max.X, Y: lo}, {X: c.Max.X, Y: hi}, {X: c.Min.X, Y: hi},
		})
	}
}

// zoneStyleOf is the style of zone i, chosen by how many zones lie above
// it, so that colours go by position, not by the order the zones came in.
func zoneStyleOf(zs []Zone, i int) zoneStyle {
	rank := 0
	for j, z := range zs {
		above := cmp.Or(cmp.Compare(z.Max, zs[i].Max), cmp.Compare(z.Min, zs[i].Min), cmp.Compare(i, j))
		if above > 0 {
			rank++
		}
	}
	return zoneStyles[rank%len(zoneStyles)]
}

func grid() *plotter.Grid {
	g := plotter.NewGrid()
	g.Horizontal = draw.LineStyle{Color: gridColor, Width: 0.5}
	g.Vertical = draw.LineStyle{Color: gridColor, Width: 0.5}
	return g
}

// zoneLabels writes each zone's label beside its strip, right of the plot,
// moving labels down where zones overlap so that no two labels touch.
func zoneLabels(p *plot.Plot, zs []Zone, f fonts, area draw.Canvas) {
	dc := p.DataCanvas(area)
	_, y := p.Transforms(&dc)
	type label struct {
		y    vg.Length
		text string
		ink  color.Color
	}
	var ls []label
	for i, z := range zs {
		if z.Label != "" {
			ls = append(ls, label{y: y(float64(z.Min+z.Max) / 2), text: z.Label, ink: zoneStyleOf(zs, i).ink})
		}
	}
	slices.SortStableFunc(ls, func(a, b label) int { return cmp.Compare(b.y, a.y) })
	h := f.zone.Height("0")
	sty := f.zone
	sty.YAlign = draw.YCenter
	for i := range ls {
		if i > 0 && ls[i].y > ls[i-1].y-h-1 {
			ls[i].y = ls[i-1].y - h - 1
		}
		sty.Color = ls[i].ink
		area.FillText(sty, vg.Point{X: dc.Max.X + labelGap, Y: ls[i].y}, ls[i].text)
	}
}

// line draws one series: a line through its points, and a marker on each.
type line struct {
	points []Point
	style  seriesStyle
	radius vg.Length
	width  vg.Length
}

// Plot implements plot.Plotter.
func (l line) Plot(c draw.Canvas, p *plot.Plot) {
	x, y := p.Transforms(&c)
	pts := make([]vg.Point, len(l.points))
	for i, pt := range l.points {
		pts[i] = vg.Point{X: x(seconds(pt.At)), Y: y(float64(pt.Score))}
	}
	if len(pts) > 1 {
		c.StrokeLines(draw.LineStyle{Color: l.style.color, Width: l.width, Dashes: l.style.dashes}, pts)
	}
	for _, pt := range pts {
		mark(&c, l.style, l.radius, pt)
	}
}

// mark draws a series' marker with a thin white rim, which keeps markers
// of two series apart where they meet.
func mark(c *draw.Canvas, st seriesStyle, radius vg.Length, pt vg.Point) {
	c.DrawGlyphNoClip(draw.GlyphStyle{Color: color.White, Radius: radius * 1.3, Shape: st.marker}, pt)
	c.DrawGlyphNoClip(draw.GlyphStyle{Color: st.color, Radius: radius, Shape: st.marker}, pt)
}
