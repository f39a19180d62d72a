package checkin

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/schedule"
)

// Store is the storage check-ins need.
type Store interface {
	Pair(ctx context.Context, id partnership.PairID) (partnership.Pair, error)
	PairResults(ctx context.Context, id partnership.PairID, limit int) ([]assessment.Result, error)
	Wishes(ctx context.Context, id partnership.PairID) ([]partnership.Wish, error)
	LastSummary(ctx context.Context, id partnership.PairID) (time.Time, error)
	Reflections(ctx context.Context, id partnership.PairID) ([]partnership.Reflection, error)
	// Roadmap and Wins feed the summary's progress since the last one.
	Roadmap(ctx context.Context, id partnership.PairID) ([]partnership.Goal, int64, error)
	Wins(ctx context.Context, id partnership.PairID, since time.Time) ([]partnership.Win, error)
	ClaimSummary(ctx context.Context, id partnership.PairID, notAfter, at time.Time) (bool, error)

	Schedule(ctx context.Context, id partnership.PairID) (Settings, error)
	SetSpec(ctx context.Context, id partnership.PairID, spec, tz string) error
	SetPaused(ctx context.Context, id partnership.PairID, paused bool) error
	SetCadence(ctx context.Context, id partnership.PairID, c Cadence) error
	SetTimeZone(ctx context.Context, id partnership.PairID, user, tz string) error
	Skip(ctx context.Context, id partnership.PairID, user string) error
	// Snooze records user's snooze of the round unless one is recorded for
	// it, and returns the snooze that stands (created false: an earlier one).
	Snooze(ctx context.Context, id partnership.PairID, user string, sn Snooze) (Snooze, bool, error)
	Away(ctx context.Context, user string) (time.Time, error)
	SetAway(ctx context.Context, user string, until time.Time) error

	PutJob(ctx context.Context, j Job) error
	DropJobs(ctx context.Context, id partnership.PairID, users ...string) error
	Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Claimed, error)
	OldestDue(ctx context.Context) (time.Time, error)

	// The four steps of a batch of claimed jobs, each one round trip for
	// the whole batch.

	// Views reads what the jobs need about their pairs, in the order of ids.
	Views(ctx context.Context, ids []partnership.PairID) ([]View, error)
	// Begin opens rounds and marks occurrences as being sent, in order.
	Begin(ctx context.Context, bs []Begin, ttl time.Duration) ([]Began, error)
	// FinishSends marks occurrences as sent: the team scorecard's, and a
	// sent job's that could not be completed (a completed job is never
	// begun again).
	FinishSends(ctx context.Context, js []Job, ttl time.Duration) error
	// CompleteAll ends claimed jobs; false for a job whose lease was lost.
	CompleteAll(ctx context.Context, cs []Completion) ([]bool, error)
	// TeamSince is when the last team scorecard went out (zero if never).
	TeamSince(ctx context.Context) (time.Time, error)
	SetTeamSince(ctx context.Context, at time.Time) error
}

// Prompt is one check-in DM to one member.
type Prompt struct {
	Pair partnership.Pair
	User string
	Kind Kind // prompt, remind or snooze
	// Round is when the round the DM belongs to opened (its buttons name
	// it); At is this DM's own occurrence, the member's own moment.
	Round, At time.Time
	// Reflection is the week's reflection prompt.
	Reflection string
	// Assess: the round asks for the self-assessment (the pair's cadence);
	// the others review progress.
	Assess bool
}

// Notifier delivers what the check-ins decide (the bot, over Slack).
type Notifier interface {
	// Prompt sends a member their check-in DM.
	Prompt(ctx context.Context, pr Prompt) error
	// Summary sends the pair's summary to the pair.
	Summary(ctx context.Context, s partnership.Summary) error
}

// TimeZones tells a user's IANA time zone ("" when unknown).
type TimeZones interface {
	TimeZone(ctx context.Context, user string) string
}

// Observer counts check-ins for metrics; may be nil.
type Observer interface {
	CheckinSent()
	CheckinFailed()
	SetDueQueueLag(time.Duration)
}

// Clock tells the time.
type Clock interface{ Now() time.Time }

// Config tunes check-ins. Zero values get defaults.
type Config struct {
	MinInterval   time.Duration // shortest gap a schedule may have (default 24h)
	ReminderDelay time.Duration // one reminder this long after a prompt; 0 = default 24h, <0 = none
	Grace         time.Duration // a missed occurrence older than this is skipped (default 24h)
	Lease         time.Duration // a claim not completed within it is claimed again (default 2m)
	SendTTL       time.Duration // how long an occurrence's send state is kept (default 8 days)
	PollInterval  time.Duration // how often the queue is polled (default 5s)
	Batch         int           // jobs claimed per poll (default 200)
	Workers       int           // jobs run at once (default 8)
	// Parallel is how many batches a replica runs at once when much is due
	// (default 4): while one batch waits on Redis, the others are worked on.
	Parallel int
	// Team posts the workspace's team scorecard on a schedule; nil = off.
	Team *Team
}

// Team configures the team scorecard.
type Team struct {
	Spec      schedule.Spec
	Location  *time.Location
	FirstWeek bool // only occurrences in the first 7 days of a month ("first Monday")
	// Post sends the scorecard covering what happened since since.
	Post func(ctx context.Context, since time.Time) error
}

func (c Config) withDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&c.MinInterval, 24*time.Hour)
	def(&c.ReminderDelay, 24*time.Hour)
	def(&c.Grace, 24*time.Hour)
	def(&c.Lease, 2*time.Minute)
	def(&c.SendTTL, 8*24*time.Hour)
	def(&c.PollInterval, 5*time.Second)
	if c.Batch <= 0 {
		c.Batch = 200
	}
	if c.Parallel <= 0 {
		c.Parallel = 4
	}
	if c.Workers <= 0 {
		c.Workers = 8
	}
	return c
}

// Service runs check-ins.
type Service struct {
	store  Store
	notify Notifier
	tz     TimeZones
	zones  *schedule.Zones
	specs  *specCache
	clock  Clock
	log    *slog.Logger
	obs    Observer
	cfg    Config
}

// New returns the check-in service.
func New(store Store, notify Notifier, tz TimeZones, clock Clock, log *slog.Logger, obs Observer, cfg Config) *Service {
	if obs == nil {
		obs = noObserver{}
	}
	return &Service{store: store, notify: notify, tz: tz, zones: schedule.NewZones(), specs: &specCache{m: map[string]schedule.Spec{}}, clock: clock, log: log, obs: obs, cfg: cfg.withDefaults()}
}

type noObserver struct{}

func (noObserver) CheckinSent()                 {}
func (noObserver) CheckinFailed()               {}
func (noObserver) SetDueQueueLag(time.Duration) {}

// ErrUndeliverable marks a send Slack refused for good (a deactivated
// member, a removed bot): retrying cannot help, so the occurrence is
// given up and the schedule moves on.
var ErrUndeliverable = errors.New("checkin: undeliverable")

// Errors of the check-in use cases, in words for the user.
var (
	ErrTooOften = errors.New("that schedule fires too often")
	ErrBadSpec  = errors.New("that is not a schedule I understand")
	// ErrStaleCheckin answers a button of an earlier round's check-in.
	ErrStaleCheckin = errors.New("that check-in is from an earlier round; the buttons in your latest check-in message are the ones that count")
	// ErrAnswered answers Skip or Snooze once the member answered the round.
	ErrAnswered = errors.New("you answered this round's check-in already; see you at the next one")
)

// TooOftenError says the limit a schedule broke.
type TooOftenError struct{ Gap, Limit time.Duration }

func (e TooOftenError) Error() string {
	return fmt.Sprintf("that schedule fires every %s; check-ins may come at most once every %s", e.Gap, e.Limit)
}

func (e TooOftenError) Unwrap() error { return ErrTooOften }

// member loads a pair and checks that user is in it.
func (s *Service) member(ctx context.Context, id partnership.PairID, user string) (partnership.Pair, error) {
	p, err := s.store.Pair(ctx, id)
	if err != nil {
		return p, err
	}
	if !p.Has(user) {
		return p, partnership.ErrNotMember
	}
	return p, nil
}

// spec is the pair's schedule, or the default.
func (s *Service) spec(st Settings) schedule.Spec {
	if st.Spec != "" {
		if sp, err := s.specs.parse(st.Spec); err == nil {
			return sp
		}
	}
	sp, _ := s.specs.parse(schedule.DefaultSpec)
	return sp
}

// specCache keeps parsed schedules by their text: most pairs share a few,
// and parsing one costs more than computing its next time.
type specCache struct {
	mu sync.RWMutex
	m  map[string]schedule.Spec
}

// maxSpecs bounds the cache; past it, specs are parsed each time.
const maxSpecs = 4096

func (c *specCache) parse(text string) (schedule.Spec, error) {
	c.mu.RLock()
	sp, ok := c.m[text]
	c.mu.RUnlock()
	if ok {
		return sp, nil
	}
	sp, err := schedule.Parse(text)
	if err != nil {
		return sp, err
	}
	c.mu.Lock()
	if len(c.m) < maxSpecs {
		c.m[text] = sp
	}
	c.mu.Unlock()
	return sp, nil
}

// location is where user's prompts are timed: the spec's zone when set,
// else the member's own.
func (s *Service) location(st Settings, user string) *time.Location {
	name := st.SpecTZ
	if name == "" {
		name = st.TZ[user]
	}
	loc, _ := s.zones.Get(name)
	return loc
}

// Start schedules a new pair's check-ins: the default spec, in each
// member's own time zone.
func (s *Service) Start(ctx context.Context, p partnership.Pair) error {
	for _, u := range []string{p.Assistant, p.Executive} {
		if err := s.store.SetTimeZone(ctx, p.ID, u, s.tz.TimeZone(ctx, u)); err != nil {
			return err
		}
	}
	return s.reschedule(ctx, p)
}

// reschedule puts both members' next prompts in the queue.
func (s *Service) reschedule(ctx context.Context, p partnership.Pair) error {
	st, err := s.store.Schedule(ctx, p.ID)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	sp := s.spec(st)
	for _, u := range []string{p.Assistant, p.Executive} {
		j := Job{Kind: KindPrompt, Pair: p.ID, User: u, At: sp.Next(s.location(st, u), now)}
		if err := s.store.PutJob(ctx, j); err != nil {
			return err
		}
	}
	return nil
}

// Scheduled is a schedule as set: its spec, the zone it was named in (""
// for each member's own), and each member's next check-in.
type Scheduled struct {
	Spec schedule.Spec
	Zone string
	Next map[string]time.Time
}

// SetSchedule sets the pair's schedule from text as a person types it
// ("mondays at 9", "weekdays 8:30", or a cron spec): its wall-clock times
// are each member's own local time, unless the text names a zone.
func (s *Service) SetSchedule(ctx context.Context, id partnership.PairID, by, text string) (Scheduled, error) {
	p, err := s.member(ctx, id, by)
	if err != nil {
		return Scheduled{}, err
	}
	sp, zone, err := schedule.ParseFriendly(text)
	if err != nil {
		return Scheduled{}, fmt.Errorf("%w: %w", ErrBadSpec, err)
	}
	st, err := s.store.Schedule(ctx, p.ID)
	if err != nil {
		return Scheduled{}, err
	}
	st.Spec, st.SpecTZ = sp.String(), zone
	// A daily spec is 23 h apart once a year (DST): allow that hour.
	slack := min(time.Hour, s.cfg.MinInterval/24)
	for _, u := range []string{p.Assistant, p.Executive} {
		if gap := sp.MinGap(s.location(st, u)); gap+slack < s.cfg.MinInterval {
			return Scheduled{}, TooOftenError{Gap: gap, Limit: s.cfg.MinInterval}
		}
	}
	if err := s.store.SetSpec(ctx, p.ID, sp.String(), zone); err != nil {
		return Scheduled{}, err
	}
	if err := s.reschedule(ctx, p); err != nil {
		return Scheduled{}, err
	}
	out := Scheduled{Spec: sp, Zone: zone, Next: map[string]time.Time{}}
	now := s.clock.Now()
	for _, u := range []string{p.Assistant, p.Executive} {
		out.Next[u] = sp.Next(s.location(st, u), now)
	}
	return out, nil
}

// SetCadence sets how often the pair's check-ins ask for the
// self-assessment.
func (s *Service) SetCadence(ctx context.Context, id partnership.PairID, by string, c Cadence) error {
	if !c.Valid() {
		return ErrBadSpec
	}
	p, err := s.member(ctx, id, by)
	if err != nil {
		return err
	}
	return s.store.SetCadence(ctx, p.ID, c)
}

// SetPaused pauses or resumes the pair's check-ins.
func (s *Service) SetPaused(ctx context.Context, id partnership.PairID, by string, paused bool) error {
	p, err := s.member(ctx, id, by)
	if err != nil {
		return err
	}
	if err := s.store.SetPaused(ctx, p.ID, paused); err != nil {
		return err
	}
	if paused {
		return nil
	}
	return s.reschedule(ctx, p) // resume from now, not from the past
}

// Settings are the pair's settings, for a member.
func (s *Service) Settings(ctx context.Context, id partnership.PairID, by string) (Settings, error) {
	if _, err := s.member(ctx, id, by); err != nil {
		return Settings{}, err
	}
	return s.store.Schedule(ctx, id)
}

// SetAway pauses user's check-ins until until (zero clears it).
func (s *Service) SetAway(ctx context.Context, user string, until time.Time) error {
	return s.store.SetAway(ctx, user, until)
}

// Away is when user's out-of-office ends (zero when not away).
func (s *Service) Away(ctx context.Context, user string) (time.Time, error) {
	until, err := s.store.Away(ctx, user)
	if err != nil || !until.After(s.clock.Now()) {
		return time.Time{}, err
	}
	return until, nil
}

// snoozeFor is how long "Snooze 1 day" waits.
const snoozeFor = 24 * time.Hour

// current loads the pair for by and checks that round, from a check-in's
// button, is the pair's current round and that by has not answered it.
func (s *Service) current(ctx context.Context, id partnership.PairID, by string, round time.Time) (partnership.Pair, Settings, error) {
	p, err := s.member(ctx, id, by)
	if err != nil {
		return p, Settings{}, err
	}
	st, err := s.store.Schedule(ctx, p.ID)
	if err != nil {
		return p, st, err
	}
	if round.IsZero() || !round.Equal(st.CycleAt) {
		return p, st, ErrStaleCheckin
	}
	if (View{Pair: p, Found: true, Settings: st}).answered(st.CycleAt)[by] {
		return p, st, ErrAnswered
	}
	return p, st, nil
}

// Snooze sends by the round's check-in again a day from now, once per
// round: pressing it again answers with the snooze that stands. The
// snooze replaces the round's reminder.
func (s *Service) Snooze(ctx context.Context, id partnership.PairID, by string, round time.Time) (time.Time, error) {
	p, st, err := s.current(ctx, id, by, round)
	if err != nil {
		return time.Time{}, err
	}
	if sn, ok := st.Snoozed[by]; ok && sn.Round.Equal(round) {
		return sn.At, nil
	}
	at := s.clock.Now().Add(snoozeFor).Truncate(time.Millisecond)
	// The job first: a press that loses the race below leaves a job that
	// finds another snooze recorded and sends nothing.
	if err := s.store.PutJob(ctx, Job{Kind: KindSnooze, Pair: p.ID, User: by, At: at}); err != nil {
		return time.Time{}, err
	}
	sn, _, err := s.store.Snooze(ctx, p.ID, by, Snooze{Round: round, At: at})
	return sn.At, err
}

// Skip skips round for by; if the partner has answered, the round is
// complete and its summary goes out.
func (s *Service) Skip(ctx context.Context, id partnership.PairID, by string, round time.Time) error {
	p, st, err := s.current(ctx, id, by, round)
	if err != nil {
		return err
	}
	if err := s.store.Skip(ctx, p.ID, by); err != nil {
		return err
	}
	partner, _ := p.Partner(by)
	if !(View{Pair: p, Found: true, Settings: st}).answered(st.CycleAt)[partner] {
		return nil
	}
	return s.summarise(ctx, p, st.CycleAt)
}

// summarise sends the pair's summary once for the round that opened at
// cycleAt, unless one went out since.
func (s *Service) summarise(ctx context.Context, p partnership.Pair, cycleAt time.Time) error {
	last, err := s.store.LastSummary(ctx, p.ID)
	if err != nil || !last.Before(cycleAt) && !cycleAt.IsZero() {
		return err
	}
	rs, err := s.store.PairResults(ctx, p.ID, 100)
	if err != nil {
		return err
	}
	ws, err := s.store.Wishes(ctx, p.ID)
	if err != nil {
		return err
	}
	goals, _, err := s.store.Roadmap(ctx, p.ID)
	if err != nil {
		return err
	}
	wins, err := s.store.Wins(ctx, p.ID, last)
	if err != nil {
		return err
	}
	refl, err := s.store.Reflections(ctx, p.ID)
	if err != nil {
		return err
	}
	sum := partnership.BuildSummary(p, partnership.SummaryData{Results: rs, Wishes: ws, Goals: goals, Wins: wins, Reflections: refl}, last, s.clock.Now().UTC())
	claimed, err := s.store.ClaimSummary(ctx, p.ID, last, sum.At)
	if err != nil || !claimed {
		return err
	}
	return s.notify.Summary(ctx, sum)
}

// Reflection is the week's prompt for a pair: the article's fifteen
// characteristics, from a pair-specific start, one per round, so none
// repeats until all have been used.
func Reflection(id partnership.PairID, rotation int) string {
	cs := assessment.Characteristics()
	h := fnv.New32a()
	h.Write([]byte(id))
	i := (int(h.Sum32()%uint32(len(cs))) + rotation) % len(cs)
	if i < 0 {
		i += len(cs)
	}
	return cs[i]
}

// EnsureTeam queues the team scorecard when it is on and not queued.
func (s *Service) EnsureTeam(ctx context.Context) error {
	t := s.cfg.Team
	if t == nil {
		return nil
	}
	return s.store.PutJob(ctx, Job{Kind: KindTeam, At: s.nextTeam(t.Spec.Next(t.Location, s.clock.Now()))})
}

// nextTeam skips occurrences outside the first week when asked to.
func (s *Service) nextTeam(at time.Time) time.Time {
	t := s.cfg.Team
	for i := 0; t.FirstWeek && at.In(t.Location).Day() > 7 && i < 1000; i++ {
		at = t.Spec.Next(t.Location, at)
	}
	return at
}

func (s *Service) team(ctx context.Context, j Job) (*Job, error) {
	t := s.cfg.Team
	if t == nil {
		return nil, nil // turned off: the job ends
	}
	now := s.clock.Now()
	next := &Job{Kind: KindTeam, At: s.nextTeam(following(t.Spec, t.Location, j.At, now, s.cfg.Grace))}
	if now.Sub(j.At) > s.cfg.Grace {
		return next, nil
	}
	since, err := s.store.TeamSince(ctx)
	if err != nil {
		return nil, err
	}
	if since.IsZero() {
		since = j.At.AddDate(0, -1, 0)
	}
	err = s.sendOnce(ctx, j, func(ctx context.Context) error { return t.Post(ctx, since) })
	if err != nil {
		return nil, err
	}
	return next, s.store.SetTeamSince(ctx, j.At)
}

// Run polls the due queue until ctx ends.
func (s *Service) Run(ctx context.Context) error {
	if err := s.EnsureTeam(ctx); err != nil {
		s.log.Warn("team scorecard schedule", slog.Any("error", err))
	}
	t := time.NewTicker(s.cfg.PollInterval)
	defer t.Stop()
	for {
		if _, err := s.Drain(ctx); err != nil {
			s.log.Warn("check-in tick", slog.Any("error", err))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Drain runs ticks until nothing more is due, Parallel batches at a time;
// it returns how many jobs it claimed, and the first error of a tick.
func (s *Service) Drain(ctx context.Context) (int, error) {
	var (
		claimed atomic.Int64
		mu      sync.Mutex
		first   error
		wg      sync.WaitGroup
	)
	for range s.cfg.Parallel {
		wg.Go(func() {
			for ctx.Err() == nil {
				n, err := s.Tick(ctx)
				claimed.Add(int64(n))
				if err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
					return
				}
				if n < s.cfg.Batch {
					return
				}
			}
		})
	}
	wg.Wait()
	return int(claimed.Load()), first
}

// maxCatchUp bounds the walk over missed occurrences.
const maxCatchUp = 100000

// following is the occurrence to queue after at. When the queue is behind
// (downtime, or a retry after a lost lease), it is the latest occurrence
// already due, so that it goes out once, late, if still within the grace
// window: never one per missed week, and none skipped by a short delay.
// When even that one is past the grace window, it is the next one to come.
func following(sp schedule.Spec, loc *time.Location, at, now time.Time, grace time.Duration) time.Time {
	return catchUp(sp, loc, sp.Next(loc, at), now, grace)
}

// catchUp is following, given the occurrence right after at.
func catchUp(sp schedule.Spec, loc *time.Location, next, now time.Time, grace time.Duration) time.Time {
	if next.After(now) {
		return next
	}
	for range maxCatchUp {
		n := sp.Next(loc, next)
		if n.After(now) {
			break
		}
		next = n
	}
	if now.Sub(next) > grace {
		return sp.Next(loc, now)
	}
	return next
}
