// Package checkin runs the weekly check-ins: each pair's schedule, in each
// member's own time zone; the due-queue that makes every check-in go out
// once however many replicas run; reminders, snoozes, skips, out-of-office;
// and the closing of each round with the pair summary.
package checkin

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/partnerbot/partnerbot/internal/partnership"
)

// Kind is what a due job does.
type Kind string

// Kinds of jobs.
const (
	KindPrompt Kind = "prompt" // the weekly check-in DM; recurs
	KindRemind Kind = "remind" // one reminder when a member has not answered
	KindSnooze Kind = "snooze" // the check-in again, a day later, on request
	KindTeam   Kind = "team"   // the workspace's team scorecard; recurs
)

// Job is one occurrence of work for one member of one pair.
type Job struct {
	Kind Kind
	Pair partnership.PairID
	User string
	At   time.Time // the occurrence: when it is due
	// Staged marks a reminder queued in its prompt's place: a stage of the
	// recurring prompt (it has the prompt's Name), which queues the prompt's
	// next occurrence once done, so that a member has one queue entry, not
	// one more per reminder. False for a one-off reminder, as older builds
	// queued them.
	Staged bool
}

// Name is the stable name of a recurring job ("" for one-off jobs): the
// queue holds one occurrence per name.
func (j Job) Name() string {
	switch j.Kind {
	case KindTeam:
		return string(KindTeam)
	case KindPrompt:
	case KindRemind:
		if !j.Staged {
			return ""
		}
	default:
		return ""
	}
	return string(KindPrompt) + "|" + string(j.Pair) + "|" + j.User
}

// Member is the job's entry in the due queue. A recurring prompt's (and a
// reminder staged in its place) is its Name: the queue holds one entry per
// prompt, scored with its next occurrence, which the job index also keeps
// (a lease changes the score). A one-off job's entry names its occurrence.
func (j Job) Member() string {
	if j.Kind == KindTeam {
		return "team|-|-|" + strconv.FormatInt(j.At.UnixMilli(), 10)
	}
	if name := j.Name(); name != "" {
		return name
	}
	return string(j.Kind) + "|" + string(j.Pair) + "|" + j.User + "|" + strconv.FormatInt(j.At.UnixMilli(), 10)
}

// ErrBadJob reports a queue member this version cannot read.
var ErrBadJob = errors.New("checkin: malformed job")

// ParseJob reads a Member. A prompt's comes back without its occurrence
// (At is zero): the caller has it from the job index, which also tells
// when the entry is a reminder staged in the prompt's place. A prompt
// entry with its occurrence, as builds before time-less prompts queued
// them, is read too, with it; completing it queues the time-less entry in
// its place.
func ParseJob(member string) (Job, error) {
	f := strings.Split(member, "|")
	if len(f) == 3 && Kind(f[0]) == KindPrompt {
		id, _, _, err := partnership.ParsePairID(f[1])
		if err != nil || f[2] == "" {
			return Job{}, ErrBadJob
		}
		return Job{Kind: KindPrompt, Pair: id, User: f[2]}, nil
	}
	if len(f) != 4 {
		return Job{}, ErrBadJob
	}
	k := Kind(f[0])
	if k == KindTeam && f[1] == "-" && f[2] == "-" {
		ms, err := strconv.ParseInt(f[3], 10, 64)
		if err != nil {
			return Job{}, ErrBadJob
		}
		return Job{Kind: KindTeam, At: time.UnixMilli(ms).UTC()}, nil
	}
	if k != KindPrompt && k != KindRemind && k != KindSnooze {
		return Job{}, ErrBadJob
	}
	id, _, _, err := partnership.ParsePairID(f[1])
	if err != nil {
		return Job{}, ErrBadJob
	}
	ms, err := strconv.ParseInt(f[3], 10, 64)
	// Only the canonical form: one member per occurrence.
	if err != nil || f[2] == "" || strconv.FormatInt(ms, 10) != f[3] {
		return Job{}, ErrBadJob
	}
	return Job{Kind: k, Pair: id, User: f[2], At: time.UnixMilli(ms).UTC()}, nil
}

// Claimed is a job leased by this replica until Lease.
type Claimed struct {
	Job    Job
	Member string
	Lease  time.Time
}

// Cadence is how often a pair's check-ins ask for the ten-question
// self-assessment; the other check-ins review progress. It can be taken
// on demand any time whatever the cadence.
type Cadence string

// The cadences.
const (
	AssessMonthly   Cadence = "monthly" // the first round opening in each month's first seven days (UTC): the default
	AssessWeekly    Cadence = "weekly"  // every round
	AssessOnRequest Cadence = "request" // never asked for: only when a member takes it
)

// Valid reports whether c is a known cadence.
func (c Cadence) Valid() bool { return c == AssessMonthly || c == AssessWeekly || c == AssessOnRequest }

// AssessesIn reports whether the round that opened at round asks for the
// self-assessment. Monthly is a round opening in the first seven days of
// a month, in UTC, so that both members (whatever their zones) see the
// same round as the assessment's: once a month for a weekly schedule.
func (c Cadence) AssessesIn(round time.Time) bool {
	switch c {
	case AssessWeekly:
		return true
	case AssessOnRequest:
		return false
	}
	return !round.IsZero() && round.UTC().Day() <= 7
}

// Settings are a pair's check-in settings and round state.
type Settings struct {
	Spec    string            // cron spec or descriptor; "" = the default
	SpecTZ  string            // zone the spec's user named; "" = each member's own
	Paused  bool              // a paused pair gets nothing
	Assess  Cadence           // how often check-ins ask for the self-assessment
	TZ      map[string]string // member → IANA zone, from Slack
	CycleAt time.Time         // when the current round opened (zero: none yet)
	// Rotation counts rounds; it picks the week's reflection prompt.
	Rotation int
	Skipped  map[string]bool // members who skipped the current round
	// Snoozed is each member's latest snooze: the round it was pressed in
	// and when the check-in comes again. A snooze stands in for that
	// round's reminder: one message per member per moment.
	Snoozed map[string]Snooze
	Streak  int // rounds in a row both members answered
	// Answered is each member's latest answer in the pair.
	Answered map[string]time.Time
}

// Snooze is a member's "Snooze 1 day" in one round.
type Snooze struct {
	Round time.Time // the round the check-in belongs to
	At    time.Time // when it comes again
}

// View is what running one job needs to know about its pair: the pair
// (Found false when it ended), its settings, and when each member is away
// until.
type View struct {
	Pair     partnership.Pair
	Found    bool
	Settings Settings
	Away     map[string]time.Time
}

// answered tells which members answered in the pair since since.
func (v View) answered(since time.Time) map[string]bool {
	out := map[string]bool{}
	for u, at := range v.Settings.Answered {
		if !at.Before(since) && v.Pair.Has(u) {
			out[u] = true
		}
	}
	return out
}

// The send state of an occurrence, as Store.Begin finds it.
const (
	SendNew     = "new"     // marked "sending" by this call: send it
	SendPending = "sending" // a previous attempt died mid-send: send it again
	SendDone    = "sent"    // sent already: nothing to do
	SendNone    = "none"    // a prompt the member answered or skipped: nothing to send
)

// Begin is one occurrence about to be sent, for Store.Begin. A prompt also
// opens its pair's round (Round not nil).
type Begin struct {
	Job   Job
	Round *Round
}

// Round asks to open a new round at the job's occurrence, unless one
// opened less than Half ago (then the prompt joins it).
type Round struct {
	Half time.Duration
	// Closing is the round the caller saw open (zero: none); when it is the
	// one that closes, Streak is recorded as the pair's streak.
	Closing time.Time
	Streak  int
	// Answered is the member's latest answer in the pair (zero: none): a
	// member who answered in the round gets no prompt.
	Answered time.Time
}

// Began is what Store.Begin found for one occurrence.
type Began struct {
	State    string    // SendNew, SendPending, SendDone or SendNone
	Opened   bool      // a prompt opened a new round
	Previous time.Time // the round open before (zero: none)
	Rotation int       // rounds so far: picks the reflection prompt
}

// Completion ends one claimed job, for Store.CompleteAll.
type Completion struct {
	Claimed
	// Next is what the recurring job queues in its place: its next
	// occurrence, or a reminder staged before it; nil ends the job.
	Next *Job
}
