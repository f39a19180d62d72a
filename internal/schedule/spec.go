package schedule

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// DefaultSpec is the schedule a pair gets until it sets one: Monday 09:00.
const DefaultSpec = "0 9 * * MON"

// example is quoted in parse errors so a user sees what a valid spec looks like.
const example = `expected 5 fields like "0 9 * * MON"`

// Spec is a parsed, validated check-in schedule. The zero Spec never fires.
// A Spec is immutable and safe for concurrent use.
type Spec struct {
	text string
	// wall is set for cron fields and calendar descriptors; its Location is
	// UTC, because it is only ever run on wall-clock times relabelled as UTC.
	wall *cron.SpecSchedule
	// every is set for @every descriptors.
	every time.Duration
}

// Parse parses a 5-field cron spec or a descriptor (@yearly, @monthly,
// @weekly, @daily, @midnight, @hourly, @every <duration>). Runs of
// whitespace are collapsed. A time-zone prefix, a seconds field, an @every
// interval under one second or not in whole seconds, and a spec that never
// fires are refused. Error messages are meant to be shown to the user.
func Parse(text string) (Spec, error) {
	fields := strings.Fields(text)
	norm := strings.Join(fields, " ")
	switch {
	case norm == "":
		return Spec{}, fmt.Errorf("schedule is empty: %s", example)
	case strings.HasPrefix(norm, "CRON_TZ=") || strings.HasPrefix(norm, "TZ="):
		return Spec{}, fmt.Errorf("schedule %q: a time zone prefix is not allowed, the schedule follows your own time zone: %s", norm, example)
	case norm == "@every" || strings.HasPrefix(norm, "@every "):
		return parseEvery(norm)
	case strings.HasPrefix(norm, "@"):
		// Fall through to robfig for the calendar descriptors.
	case len(fields) == 6:
		return Spec{}, fmt.Errorf("schedule %q has 6 fields (seconds are not supported): %s", norm, example)
	case len(fields) != 5:
		return Spec{}, fmt.Errorf("schedule %q has %d fields: %s", norm, len(fields), example)
	}

	sched, err := cron.ParseStandard(norm)
	if err != nil {
		if strings.HasPrefix(norm, "@") {
			return Spec{}, fmt.Errorf("schedule %q: use @yearly, @monthly, @weekly, @daily, @hourly or @every <duration>: %w", norm, err)
		}
		return Spec{}, fmt.Errorf("schedule %q: the fields are minute, hour, day of month, month, day of week, like \"0 9 * * MON\": %w", norm, err)
	}
	parsed, ok := sched.(*cron.SpecSchedule)
	if !ok {
		return Spec{}, fmt.Errorf("schedule %q: unexpected schedule type %T", norm, sched)
	}
	wall := *parsed // our own copy: robfig's value is never shared or mutated
	wall.Location = time.UTC
	s := Spec{text: norm, wall: &wall}
	if wall.Next(referenceTime()).IsZero() {
		return Spec{}, fmt.Errorf("schedule %q never fires (no such date within five years)", norm)
	}
	return s, nil
}

func parseEvery(norm string) (Spec, error) {
	arg := strings.TrimSpace(strings.TrimPrefix(norm, "@every"))
	if arg == "" {
		return Spec{}, fmt.Errorf("schedule %q: @every needs an interval like \"@every 2h\"", norm)
	}
	d, err := time.ParseDuration(arg)
	if err != nil {
		return Spec{}, fmt.Errorf("schedule %q: @every needs an interval like \"@every 2h\": %w", norm, err)
	}
	if d < time.Second || d%time.Second != 0 {
		return Spec{}, fmt.Errorf("schedule %q: @every needs a positive interval in whole seconds, like \"@every 2h\"", norm)
	}
	// Let robfig validate the descriptor as well, so that what we accept is
	// what its standard parser accepts.
	if _, err := cron.ParseStandard(norm); err != nil {
		return Spec{}, fmt.Errorf("schedule %q: %w", norm, err)
	}
	return Spec{text: norm, every: d}, nil
}

// String returns the spec as parsed, trimmed and with single spaces; Parse
// accepts it back.
func (s Spec) String() string { return s.text }

// WallClock reports whether the spec names wall-clock times (a day, an
// hour), which each member reads in their own zone; an @every interval
// names none.
func (s Spec) WallClock() bool { return s.wall != nil }

// IsZero reports whether s is the zero Spec, which never fires.
func (s Spec) IsZero() bool { return s.wall == nil && s.every == 0 }
