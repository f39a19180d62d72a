package assessment

import "strings"

// Band is a score range with the article's reading of it.
type Band struct {
	Key      string // stable identifier, for storage and metrics
	Min, Max int    // inclusive score range
	Title    string // short name shown next to the score
	reading  string // the article's words, addressed to the assistant
}

// The three bands of the article's scoring. The article starts the lowest
// band at 1; a score of 0 reads the same, so it starts at 0 here.
var bands = [...]Band{
	{
		Key: "solid", Min: 8, Max: 10, Title: "Solid relationship",
		reading: "You have a solid relationship and partnership with your boss. " +
			"Focus your attention on ways to improve it.",
	},
	{
		Key: "productive", Min: 5, Max: 7, Title: "Could be more productive",
		reading: "Your work together could probably be more productive and pleasant. " +
			"Focus your attention on deficits in skills or differences in your work styles " +
			"and management approaches, then find answers to help you improve.",
	},
	{
		Key: "attention", Min: 0, Max: 4, Title: "Needs attention",
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
