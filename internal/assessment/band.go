package assessment

import "strings"

// Band is a score range with the article's reading of it.
type Band struct {
	Key      string // stable identifier, for storage and metrics
	Min, Max int    // inclusive score range
	// Range is the article's label of the range, like "5–7". The lowest
	// band's is "1–4" though it also holds a score of 0: the article gives
	// no reading for 0, and 0 reads as 1–4 does.
	Range string
	// Title is the band's short name, word for word from its reading.
	Title   string
	reading string // the article's words, addressed to the assistant
}

// The three bands of the article's scoring, highest first.
var bands = [...]Band{
	{
		Key: "solid", Min: 8, Max: 10, Range: "8–10", Title: "solid relationship and partnership",
		reading: "You have a solid relationship and partnership with your boss. " +
			"Focus your attention on ways to improve it.",
	},
	{
		Key: "productive", Min: 5, Max: 7, Range: "5–7", Title: "could probably be more productive and pleasant",
		reading: "Your work together could probably be more productive and pleasant. " +
			"Focus your attention on deficits in skills or differences in your work styles " +
			"and management approaches, then find answers to help you improve.",
	},
	{
		Key: "attention", Min: 0, Max: 4, Range: "1–4", Title: "needs attention and work",
		// The article's sentence ends without a full stop; one is added.
		reading: "Your partnership with your boss needs attention and work. " +
			"Focus your attention on issues of work style, trust, skills and ethics. " +
			"You will probably want to build a plan to approach your boss about resolving some issues together.",
	},
}

// Bands returns the three bands, highest first.
func Bands() []Band { return bands[:] }

// BandFor returns the band a score falls in. Scores outside 0–10 are clamped.
func BandFor(score int) Band {
	for _, b := range bands {
		if score >= b.Min {
			return b
		}
	}
	return bands[len(bands)-1]
}

// Reading is the article's reading of the band, addressed to someone who
// answered from perspective p: an executive reads "your assistant" where the
// article says "your boss".
func (b Band) Reading(p Perspective) string {
	if p == Executive {
		return strings.ReplaceAll(b.reading, "your boss", "your assistant")
	}
	return b.reading
}
