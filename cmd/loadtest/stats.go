package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// latencies summarises durations.
type latencies []time.Duration

// quantile is the nearest-rank q-quantile (0 for none).
func (l latencies) quantile(q float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := slices.Clone(l)
	slices.Sort(s)
	i := int(math.Ceil(q*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}

func (l latencies) max() time.Duration {
	if len(l) == 0 {
		return 0
	}
	return slices.Max(l)
}

func (l latencies) summary() string {
	return fmt.Sprintf("n=%d p50=%s p99=%s p99.9=%s max=%s",
		len(l), ms(l.quantile(0.5)), ms(l.quantile(0.99)), ms(l.quantile(0.999)), ms(l.max()))
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }

// histogram is one Prometheus histogram series: cumulative counts by upper
// bound, ascending.
type histogram struct {
	le    []float64
	count []float64
}

// scrapeHistogram reads the cumulative buckets of name{labelKey="labelValue"}
// from a Prometheus text endpoint.
func scrapeHistogram(ctx context.Context, url, name, label string) (histogram, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return histogram{}, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return histogram{}, err
	}
	defer resp.Body.Close()
	return parseHistogram(resp.Body, name, label)
}

func parseHistogram(r io.Reader, name, label string) (histogram, error) {
	var h histogram
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	prefix := name + "_bucket{"
	for sc.Scan() {
		line := sc.Text()
		rest, ok := strings.CutPrefix(line, prefix)
		if !ok || !strings.Contains(rest, label) {
			continue
		}
		i := strings.Index(rest, `le="`)
		if i < 0 {
			continue
		}
		leStr, tail, _ := strings.Cut(rest[i+4:], `"`)
		le, err := strconv.ParseFloat(leStr, 64)
		if leStr == "+Inf" {
			le, err = math.Inf(1), nil
		}
		if err != nil {
			return h, fmt.Errorf("bucket bound %q: %w", leStr, err)
		}
		fields := strings.Fields(strings.TrimPrefix(tail, "}"))
		if len(fields) == 0 {
			continue
		}
		n, err := strconv.ParseFloat(fields[0], 64)
		if err != nil {
			return h, fmt.Errorf("bucket count %q: %w", fields[0], err)
		}
		h.le = append(h.le, le)
		h.count = append(h.count, n)
	}
	return h, sc.Err()
}

// minus is h with an earlier scrape of the same series taken away.
func (h histogram) minus(before histogram) histogram {
	out := histogram{le: h.le, count: slices.Clone(h.count)}
	for i := range out.count {
		if i < len(before.count) {
			out.count[i] -= before.count[i]
		}
	}
	return out
}

func (h histogram) total() float64 {
	if len(h.count) == 0 {
		return 0
	}
	return h.count[len(h.count)-1]
}

// upper is the smallest bucket bound at or below which at least q of the
// observations fall: the q-quantile is at most that.
func (h histogram) upper(q float64) float64 {
	n := h.total()
	for i, c := range h.count {
		if c >= q*n {
			return h.le[i]
		}
	}
	return math.Inf(1)
}

// within is the fraction of observations at or below bound (a bucket bound).
func (h histogram) within(bound float64) float64 {
	n := h.total()
	if n == 0 {
		return 0
	}
	for i, le := range h.le {
		if le == bound {
			return h.count[i] / n
		}
	}
	return math.NaN()
}

func (h histogram) summary() string {
	s := func(v float64) string {
		if math.IsInf(v, 1) {
			return ">3s"
		}
		return fmt.Sprintf("≤%gms", v*1000)
	}
	return fmt.Sprintf("n=%.0f p50%s p99%s p99.9%s (bucket bounds); ≤50ms: %.2f%%, ≤250ms: %.3f%%",
		h.total(), s(h.upper(0.5)), s(h.upper(0.99)), s(h.upper(0.999)), 100*h.within(0.05), 100*h.within(0.25))
}
