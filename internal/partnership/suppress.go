package partnership

import "slices"

// Suppress decides which cells of a published breakdown to hide. cells
// are counts (never negative) that add up to a total published next to
// them, like the team card's pairs split by band; threshold is the
// smallest count that points at no one (MinTeamCount). hidden[i] reports
// whether cells[i] is withheld. Wherever they are shown, hidden cells must
// all look the same, so that no one can tell why each was hidden.
//
// The rule (statistical disclosure control, for someone who knows the
// total and every cell shown):
//
//   - Primary: a count from 1 to threshold-1 points at someone; it is
//     hidden. With none, nothing is.
//   - Complementary: one hidden cell would be the total minus the cells
//     shown, and hidden cells adding up to under threshold would each be
//     under it, so the smallest cells still shown (zeros first; the first
//     one on a tie) are hidden too until the hidden cells are at least two
//     and add up to at least threshold. Each can then be anything from 0
//     to the hidden remainder.
//   - The rule is public (this bot is open source), and someone who knows
//     it learns more than the sum: a complementary cell is no larger than
//     the cells shown, and a hidden cell that no other could have been
//     hidden for is itself small. So the hiding is checked as they would
//     check it: every split of the hidden remainder that the rule would
//     have hidden the same way is tried, and unless each hidden cell keeps
//     two or more possible values, one of them 0 or at least threshold,
//     every cell is hidden: no breakdown. For (3, 3, 1) the rule hides the
//     first and the last, and the last can only be 1 or 2 (with a 3 there,
//     the middle one would have been hidden instead of the first).
//
// A total of 1 to threshold-1 cannot be protected, nor two cells adding up
// to threshold (hiding them tells both are small): every cell is hidden
// then, and whoever publishes the total must make sure of it. The team
// card withholds its total under MinTeamCount and has three bands.
func Suppress(cells []int, threshold int) (hidden []bool) {
	hidden = hideSmall(cells, threshold)
	if n := count(hidden); n > 0 && n < len(cells) && guessable(cells, hidden, threshold) {
		for i := range hidden {
			hidden[i] = true
		}
	}
	return hidden
}

// hideSmall is the primary and complementary rule, before the check.
func hideSmall(cells []int, threshold int) []bool {
	hidden := make([]bool, len(cells))
	for i, n := range cells {
		hidden[i] = small(n, threshold)
	}
	if count(hidden) == 0 {
		return hidden
	}
	for {
		sum := 0
		for i, n := range cells {
			if hidden[i] {
				sum += n
			}
		}
		if count(hidden) >= 2 && sum >= threshold {
			return hidden
		}
		next := -1
		for i, n := range cells {
			if !hidden[i] && (next < 0 || n < cells[next]) {
				next = i
			}
		}
		if next < 0 {
			return hidden
		}
		hidden[next] = true
	}
}

// maxSplits bounds the splits guessable tries; past it, it reports the
// breakdown guessable (so all is hidden) rather than take long. Three
// bands need one try per pair hidden.
const maxSplits = 100_000

// guessable reports whether someone who knows hideSmall, the total and the
// cells shown could pin a hidden cell to one value or know it is from 1 to
// threshold-1.
func guessable(cells []int, hidden []bool, threshold int) bool {
	var at []int // the hidden positions
	rest := 0
	for i, h := range hidden {
		if h {
			at, rest = append(at, i), rest+cells[i]
		}
	}
	if splits(rest, len(at)) > maxSplits {
		return true
	}
	values := make([]map[int]bool, len(at))
	open := make([]bool, len(at)) // some fitting value is 0 or ≥ threshold
	for j := range values {
		values[j] = map[int]bool{}
	}
	try := slices.Clone(cells)
	eachSplit(rest, len(at), func(split []int) {
		for j, i := range at {
			try[i] = split[j]
		}
		if !slices.Equal(hideSmall(try, threshold), hidden) {
			return
		}
		for j, v := range split {
			values[j][v] = true
			open[j] = open[j] || !small(v, threshold)
		}
	})
	for j := range at {
		if len(values[j]) < 2 || !open[j] {
			return true
		}
	}
	return false
}

// eachSplit calls f with every way of writing total as parts non-negative
// numbers, in order. f must not keep the slice.
func eachSplit(total, parts int, f func([]int)) {
	split := make([]int, parts)
	var fill func(i, left int)
	fill = func(i, left int) {
		if i == parts-1 {
			split[i] = left
			f(split)
			return
		}
		for v := 0; v <= left; v++ {
			split[i] = v
			fill(i+1, left-v)
		}
	}
	if parts > 0 {
		fill(0, total)
	}
}

// splits is how many calls eachSplit makes, C(total+parts-1, parts-1),
// or a number above maxSplits once it passes it.
func splits(total, parts int) int {
	if parts > 1 && total > maxSplits {
		return maxSplits + 1
	}
	n := 1
	for k := 1; k < parts; k++ {
		n = n * (total + k) / k
		if n > maxSplits {
			return maxSplits + 1
		}
	}
	return n
}

func small(n, threshold int) bool { return n > 0 && n < threshold }

func count(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}
