package partnership_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/partnerbot/partnerbot/internal/partnership"
)

const threshold = partnership.MinTeamCount

func TestSuppress(t *testing.T) {
	const all, none = "all", ""
	tests := []struct {
		name  string
		cells []int
		want  string // the hidden cells, as their positions ("02"), all or none
	}{
		{"nothing small", []int{4, 5, 6}, none},
		{"zeros alone are no one", []int{3, 0, 0}, none},
		{"no pairs", []int{0, 0, 0}, none},
		{"a small one and a larger one beside it", []int{10, 5, 1}, "12"},
		{"the smaller of the others goes with it", []int{8, 3, 1}, "12"},
		// One hidden cell: the total minus the others gives it.
		{"total minus shown would give the 1", []int{5, 1, 0}, all},
		{"the e2e attack, 4 - 3 - 0", []int{3, 1, 0}, all},
		// Two small cells of 3 together: with the rule known, (0, 3) and
		// (3, 0) would not have been hidden, so both are known to be small.
		{"two small cells protect neither", []int{4, 2, 1}, all},
		// A zero left showing: the only split the rule hides so is 2 + 2.
		{"zero shown beside hidden cells", []int{2, 2, 0}, all},
		// The complementary cell is no larger than the cells shown: the
		// last can only be 1 or 2 (a 3 there would have taken the middle).
		{"the choice of the smallest gives it away", []int{3, 3, 1}, all},
		{"hidden cells adding up to under 3", []int{1, 1, 7}, all},
		{"a total under 3 cannot be protected", []int{1, 1, 0}, all},
		{"two cells adding up to 3 cannot be protected", []int{1, 2}, all},
		{"two cells", []int{1, 5}, all},
		{"four cells", []int{6, 4, 1, 0}, "123"},
		{"one cell", []int{1}, all},
		{"no cells", nil, none},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := partnership.Suppress(tt.cells, threshold)
			if len(got) != len(tt.cells) {
				t.Fatalf("Suppress(%v) = %v: %d cells for %d", tt.cells, got, len(got), len(tt.cells))
			}
			if s := positions(got); s != tt.want {
				t.Errorf("Suppress(%v) hides %q, want %q", tt.cells, s, tt.want)
			}
		})
	}
}

// positions is the hidden positions as digits, "all" when every cell is.
func positions(hidden []bool) string {
	if len(hidden) > 0 && !slices.Contains(hidden, false) {
		return "all"
	}
	s := ""
	for i, h := range hidden {
		if h {
			s += fmt.Sprint(i)
		}
	}
	return s
}

// published is what a card shows of cells: each count, or -1 where hidden.
func published(cells []int) []int {
	out := slices.Clone(cells)
	for i, h := range partnership.Suppress(cells, threshold) {
		if h {
			out[i] = -1
		}
	}
	return out
}

// vectors calls f with every vector of k counts adding up to total.
func vectors(k, total int, f func([]int)) {
	v := make([]int, k)
	var fill func(i, left int)
	fill = func(i, left int) {
		if i == k-1 {
			v[i] = left
			f(slices.Clone(v))
			return
		}
		for n := 0; n <= left; n++ {
			v[i] = n
			fill(i+1, left-n)
		}
	}
	if k > 0 {
		fill(0, total)
	}
}

// consistent is every vector an onlooker cannot tell from cells: the same
// total, the same cells shown, any counts in the hidden ones. With aware,
// only those Suppress publishes the same way: what someone who knows the
// rule cannot tell apart.
func consistent(cells []int, aware bool) [][]int {
	view := published(cells)
	var at []int // hidden positions
	rest := 0
	for i, n := range view {
		if n < 0 {
			at, rest = append(at, i), rest+cells[i]
		}
	}
	var out [][]int
	vectors(len(at), rest, func(split []int) {
		w := slices.Clone(view)
		for j, i := range at {
			w[i] = split[j]
		}
		if !aware || slices.Equal(published(w), view) {
			out = append(out, w)
		}
	})
	return out
}

// leaks says what the published cells give away about cells, to someone
// who knows the rule (aware) or not: a small count shown, a hidden cell
// with one possible value, or with only small ones, or cells forced to
// one vector. "" when nothing.
func leaks(cells []int, aware bool) string {
	view := published(cells)
	hiddenSum := 0
	for i, n := range view {
		if n > 0 && n < threshold {
			return fmt.Sprintf("cell %d shows %d", i, n)
		}
		if n < 0 {
			hiddenSum += cells[i]
		}
	}
	if !slices.Contains(view, -1) {
		return ""
	}
	ws := consistent(cells, aware)
	if len(ws) < 2 {
		return fmt.Sprintf("forced: only %v fits %v", ws, view)
	}
	for i, n := range view {
		if n >= 0 {
			continue
		}
		values, open := map[int]bool{}, false
		for _, w := range ws {
			values[w[i]] = true
			open = open || w[i] == 0 || w[i] >= threshold
		}
		if len(values) < 2 {
			return fmt.Sprintf("hidden cell %d can only be %v (view %v)", i, values, view)
		}
		if !open {
			return fmt.Sprintf("hidden cell %d is known to be small: %v (view %v)", i, values, view)
		}
	}
	if !aware && hiddenSum < threshold {
		return fmt.Sprintf("hidden cells add up to %d (view %v)", hiddenSum, view)
	}
	return ""
}

// Every table of up to four cells, totals up to 20 (14 for four): nothing
// hidden leaks, to an onlooker or to someone who knows the rule. The one
// exception is the documented one, two cells adding up to the threshold;
// totals under it are never published.
func TestSuppressHidesEnough(t *testing.T) {
	for k := 1; k <= 4; k++ {
		maxTotal := 20
		if k == 4 {
			maxTotal = 14
		}
		for total := threshold; total <= maxTotal; total++ {
			vectors(k, total, func(cells []int) {
				for _, aware := range []bool{false, true} {
					why := leaks(cells, aware)
					if why != "" && !(k == 2 && total == threshold && aware) {
						t.Errorf("Suppress(%v) (aware %v): %s", cells, aware, why)
					}
				}
			})
		}
	}
}

// Random tables, larger: the same holds.
func TestSuppressRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		cells := make([]int, 3+r.IntN(2))
		for i := range cells {
			switch r.IntN(3) {
			case 0:
				cells[i] = r.IntN(threshold) // 0 to 2
			default:
				cells[i] = r.IntN(25)
			}
		}
		total := 0
		for _, n := range cells {
			total += n
		}
		if total < threshold {
			continue
		}
		for _, aware := range []bool{false, true} {
			if why := leaks(cells, aware); why != "" {
				t.Errorf("Suppress(%v) (aware %v): %s", cells, aware, why)
			}
		}
	}
}

func FuzzSuppress(f *testing.F) {
	for _, seed := range [][]byte{{3, 1, 0}, {5, 1, 0}, {3, 3, 1}, {2, 2, 0}, {10, 5, 1}, {1, 2}, {0, 0, 0, 0, 0, 0}, {255, 1, 254}} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 8 {
			b = b[:8]
		}
		cells := make([]int, len(b))
		total := 0
		for i, x := range b {
			cells[i] = int(x)
			total += cells[i]
		}
		hidden := partnership.Suppress(cells, threshold)
		if !slices.Equal(hidden, partnership.Suppress(slices.Clone(cells), threshold)) {
			t.Fatalf("Suppress(%v) differs between calls", cells)
		}
		n, sum := 0, 0
		for i, h := range hidden {
			if h {
				n, sum = n+1, sum+cells[i]
			} else if cells[i] > 0 && cells[i] < threshold {
				t.Fatalf("Suppress(%v) = %v shows the small cell %d", cells, hidden, i)
			}
		}
		if n > 0 && n < len(cells) && (n < 2 || sum < threshold) {
			t.Fatalf("Suppress(%v) = %v: %d hidden cells adding up to %d", cells, hidden, n, sum)
		}
		// Small enough to try every table with the same total.
		if total >= threshold && total <= 24 && len(cells) >= 3 && len(cells) <= 4 {
			for _, aware := range []bool{false, true} {
				if why := leaks(cells, aware); why != "" {
					t.Fatalf("Suppress(%v) (aware %v): %s", cells, aware, why)
				}
			}
		}
	})
}
