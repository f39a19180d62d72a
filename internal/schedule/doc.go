// Package schedule computes when a pair's check-in is next due, from a cron
// spec and a member's own time zone.
//
// A [Spec] is a 5-field cron spec ("0 9 * * MON") or a descriptor (@weekly,
// @daily, @every 2h …) as robfig/cron/v3's standard parser accepts it. The
// spec names local wall-clock times; the zone comes from the member, never
// from the spec, so a "CRON_TZ=" or "TZ=" prefix is refused.
//
// # Daylight-saving rule
//
// robfig/cron computes occurrences directly in the zone and, around
// daylight-saving transitions, skips some and doubles others. [Spec.Next]
// instead walks wall-clock times (the cron fields are matched against the
// local date and time as if it were UTC, where no day is short or long) and
// only then maps each matching wall time to an instant:
//
//   - a wall time that exists once is that instant;
//   - a wall time inside a spring-forward gap (02:30 on a day that jumps from
//     02:00 to 03:00) fires at the first valid instant after the gap, the same
//     day: the transition itself, 03:00 local;
//   - a wall time repeated by a fall-back (01:30 on a day that goes from 02:00
//     back to 01:00) fires once, at the first of its two instants.
//
// Several wall times that map to the same instant fire once. So a daily spec
// fires exactly once on every local calendar date, and a weekly one every
// week. @every intervals are plain durations added to the previous instant;
// no wall clock is involved.
//
// time.Date cannot be used for the mapping as is: for a wall time in a gap it
// moves backwards by the gap in zones west of UTC (02:30 becomes 01:30 EST in
// New York) and forwards in zones east of it (03:30 CEST in Berlin), and for a
// repeated wall time it returns the first instant in the west and the second in
// the east. The mapping here looks at the zone's transitions around the wall
// time instead (time.Time.ZoneBounds).
//
// # Words for people
//
// People never see cron syntax. [Describe] says a Spec in words ("Mondays at
// 09:00"), [ParseFriendly] reads one as a person types it ("mondays at 9am",
// "weekdays 8:30 Europe/Paris"), and [ParseDay] and [ExampleDay] read and
// suggest the date a member is away until.
//
// [Zones] caches one *time.Location per IANA zone name.
package schedule
