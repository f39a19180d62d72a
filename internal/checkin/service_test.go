package checkin_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/checkin"
	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/store"
	"github.com/redis/go-redis/v9"
)

// Check-ins over the real store on miniredis, a fake clock, and a
// notifier that records what would reach Slack.

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

type sent struct {
	User       string
	Kind       checkin.Kind
	Reflection string
	At         time.Time
}

type notifier struct {
	clk       *clock
	mu        sync.Mutex
	prompts   []sent
	summaries []partnership.Summary
	fail      error
}

func (n *notifier) Prompt(_ context.Context, pr checkin.Prompt) error {
	user, kind, reflection := pr.User, pr.Kind, pr.Reflection
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.fail != nil {
		return n.fail
	}
	n.prompts = append(n.prompts, sent{user, kind, reflection, n.clk.Now()})
	return nil
}

func (n *notifier) Summary(_ context.Context, s partnership.Summary) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.summaries = append(n.summaries, s)
	return nil
}

// promptsTo counts the DMs user got.
func (n *notifier) promptsTo(user string) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	c := 0
	for _, p := range n.prompts {
		if p.User == user {
			c++
		}
	}
	return c
}

func (n *notifier) counts() (prompts, summaries int) {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.prompts), len(n.summaries)
}

type zones map[string]string

func (z zones) TimeZone(_ context.Context, user string) string { return z[user] }

type fixture struct {
	t     *testing.T
	st    *store.Store
	clk   *clock
	notes *notifier
	svc   *checkin.Service
	pair  partnership.Pair
	cfg   checkin.Config
}

const (
	asst = "UA"
	exec = "UE"
)

// Monday 2026-11-23 is the first Monday after the start.
var start = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

func newFixture(t *testing.T, cfg checkin.Config, tz zones) *fixture {
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { rdb.Close() })
	st := store.New(rdb, "pbtest")
	clk := &clock{t: start}
	notes := &notifier{clk: clk}
	f := &fixture{t: t, st: st, clk: clk, notes: notes, cfg: cfg}
	f.svc = f.replica(tz)
	f.pair = partnership.Pair{ID: partnership.NewPairID(asst, exec), Assistant: asst, Executive: exec, CreatedAt: start}
	ctx := context.Background()
	if err := st.CreatePair(ctx, f.pair); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Start(ctx, f.pair); err != nil {
		t.Fatal(err)
	}
	return f
}

// replica is another process sharing the store, clock and Slack.
func (f *fixture) replica(tz zones) *checkin.Service {
	return checkin.New(f.st, f.notes, tz, f.clk, slog.New(slog.NewTextHandler(io.Discard, nil)), nil, f.cfg)
}

// at moves the clock and ticks.
func (f *fixture) at(t time.Time, replicas ...*checkin.Service) {
	f.t.Helper()
	f.clk.Set(t)
	if len(replicas) == 0 {
		replicas = []*checkin.Service{f.svc}
	}
	for _, r := range replicas {
		if _, err := r.Tick(context.Background()); err != nil {
			f.t.Fatalf("Tick at %v: %v", t, err)
		}
	}
}

// addPairs starts n more pairs (UA00/UE00, UA01/UE01…).
func (f *fixture) addPairs(n int) {
	f.t.Helper()
	ctx := context.Background()
	for i := range n {
		a, e := fmt.Sprintf("UA%02d", i), fmt.Sprintf("UE%02d", i)
		p := partnership.Pair{ID: partnership.NewPairID(a, e), Assistant: a, Executive: e, CreatedAt: start}
		if err := f.st.CreatePair(ctx, p); err != nil {
			f.t.Fatal(err)
		}
		if err := f.svc.Start(ctx, p); err != nil {
			f.t.Fatal(err)
		}
	}
}

func (f *fixture) answer(user string, at time.Time) {
	f.t.Helper()
	a, _ := assessment.ParseAnswers("YYYYYYYYNN")
	if _, _, err := f.st.SaveResult(context.Background(), assessment.Result{ID: user + at.String(), UserID: user, PairID: string(f.pair.ID), TakenAt: at, Answers: a}); err != nil {
		f.t.Fatal(err)
	}
}

func TestPromptsInEachMembersTimeZone(t *testing.T) {
	f := newFixture(t, checkin.Config{ReminderDelay: -1}, zones{asst: "Asia/Tokyo", exec: "America/Los_Angeles"})
	tokyo := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC) // Mon 09:00 JST
	la := time.Date(2026, 11, 23, 17, 0, 0, 0, time.UTC)   // Mon 09:00 PST
	f.at(tokyo.Add(-time.Minute))
	if p, _ := f.notes.counts(); p != 0 {
		t.Fatalf("%d prompts before the first is due", p)
	}
	f.at(tokyo)
	f.at(tokyo.Add(time.Minute))
	if f.notes.prompts == nil || len(f.notes.prompts) != 1 || f.notes.prompts[0].User != asst {
		t.Fatalf("prompts at Tokyo's 09:00 = %+v, want the assistant's only", f.notes.prompts)
	}
	f.at(la)
	if len(f.notes.prompts) != 2 || f.notes.prompts[1].User != exec {
		t.Fatalf("prompts at LA's 09:00 = %+v", f.notes.prompts)
	}
	// Same round: the same reflection prompt for both.
	if f.notes.prompts[0].Reflection != f.notes.prompts[1].Reflection || f.notes.prompts[0].Reflection == "" {
		t.Errorf("reflections = %q, %q", f.notes.prompts[0].Reflection, f.notes.prompts[1].Reflection)
	}
	// A week later: a new round, a new reflection.
	f.at(tokyo.Add(7 * 24 * time.Hour))
	if len(f.notes.prompts) != 3 || f.notes.prompts[2].Reflection == f.notes.prompts[0].Reflection {
		t.Errorf("week 2 prompts = %+v", f.notes.prompts)
	}
}

func TestReflectionsRotateWithoutRepeats(t *testing.T) {
	id := partnership.NewPairID(asst, exec)
	seen := map[string]bool{}
	for r := 1; r <= 15; r++ {
		seen[checkin.Reflection(id, r)] = true
	}
	if len(seen) != 15 {
		t.Errorf("15 rounds used %d different reflections, want 15", len(seen))
	}
	if checkin.Reflection(id, 16) != checkin.Reflection(id, 1) {
		t.Error("the 16th round does not start the cycle again")
	}
}

func TestReminderOnlyWhenUnanswered(t *testing.T) {
	f := newFixture(t, checkin.Config{ReminderDelay: 6 * time.Hour}, zones{})
	monday := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	f.at(monday)
	if p, _ := f.notes.counts(); p != 2 {
		t.Fatalf("%d prompts, want 2", p)
	}
	f.answer(exec, monday.Add(time.Hour))
	f.at(monday.Add(6 * time.Hour))
	if len(f.notes.prompts) != 3 || f.notes.prompts[2].User != asst || f.notes.prompts[2].Kind != checkin.KindRemind {
		t.Fatalf("after the delay: %+v, want one reminder to the assistant", f.notes.prompts)
	}
	f.at(monday.Add(12 * time.Hour))
	if p, _ := f.notes.counts(); p != 3 {
		t.Errorf("%d prompts: a second reminder went out", p)
	}
	// The reminder was queued in the prompt's place: the prompt still
	// comes back the next week, to both.
	f.at(monday.Add(7 * 24 * time.Hour))
	if len(f.notes.prompts) != 5 || f.notes.prompts[3].Kind != checkin.KindPrompt || f.notes.prompts[4].Kind != checkin.KindPrompt {
		t.Errorf("a week later: %+v, want both prompted again", f.notes.prompts)
	}
}

// A reminder that would fall on or after the member's next prompt is not
// queued: the next prompt asks again.
func TestNoReminderPastTheNextPrompt(t *testing.T) {
	f := newFixture(t, checkin.Config{ReminderDelay: 24 * time.Hour}, zones{})
	if err := f.st.SetSpec(context.Background(), f.pair.ID, "0 9 * * *", ""); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Start(context.Background(), f.pair); err != nil {
		t.Fatal(err)
	}
	monday := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for d := range 3 {
		f.at(monday.Add(time.Duration(d) * 24 * time.Hour))
	}
	if len(f.notes.prompts) != 6 {
		t.Fatalf("3 daily rounds sent %+v, want 6 prompts", f.notes.prompts)
	}
	for _, p := range f.notes.prompts {
		if p.Kind != checkin.KindPrompt {
			t.Errorf("sent %+v, want prompts only", p)
		}
	}
}

func TestRoundClosesWithOneSummary(t *testing.T) {
	f := newFixture(t, checkin.Config{ReminderDelay: -1}, zones{})
	monday := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	f.at(monday)
	f.answer(asst, monday.Add(time.Hour)) // only one answers
	f.at(monday.Add(7 * 24 * time.Hour))  // the next tick closes the round
	if _, s := f.notes.counts(); s != 1 {
		t.Fatalf("%d summaries when the round closed, want 1", s)
	}
	f.at(monday.Add(7*24*time.Hour + time.Minute))
	// Nobody answered in week 2: its close sends nothing.
	f.at(monday.Add(14 * 24 * time.Hour))
	if _, s := f.notes.counts(); s != 1 {
		t.Errorf("%d summaries after an empty round, want still 1", s)
	}
	// Both answer in week 3: the streak counts it at the close.
	f.answer(asst, monday.Add(14*24*time.Hour+time.Hour))
	f.answer(exec, monday.Add(14*24*time.Hour+2*time.Hour))
	f.at(monday.Add(21 * 24 * time.Hour))
	st, _ := f.st.Schedule(context.Background(), f.pair.ID)
	if st.Streak != 1 {
		t.Errorf("streak = %d, want 1", st.Streak)
	}
}

func TestPausedAndAway(t *testing.T) {
	f := newFixture(t, checkin.Config{ReminderDelay: -1}, zones{})
	ctx := context.Background()
	monday := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	if err := f.svc.SetPaused(ctx, f.pair.ID, asst, true); err != nil {
		t.Fatal(err)
	}
	f.at(monday)
	if p, _ := f.notes.counts(); p != 0 {
		t.Fatalf("a paused pair got %d prompts", p)
	}
	f.clk.Set(monday.Add(24 * time.Hour))
	if err := f.svc.SetPaused(ctx, f.pair.ID, exec, false); err != nil {
		t.Fatal(err)
	}
	// The executive is away for the next Monday: the round waits.
	if err := f.svc.SetAway(ctx, exec, monday.Add(8*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	f.at(monday.Add(7 * 24 * time.Hour))
	if p, _ := f.notes.counts(); p != 0 {
		t.Fatalf("%d prompts while a member is away", p)
	}
	f.at(monday.Add(14 * 24 * time.Hour))
	if p, _ := f.notes.counts(); p != 2 {
		t.Errorf("%d prompts the week after coming back, want 2", p)
	}
	if _, err := f.svc.SetSchedule(ctx, f.pair.ID, "UX", "@weekly"); !errors.Is(err, partnership.ErrNotMember) {
		t.Errorf("a stranger set the schedule: %v", err)
	}
	if err := f.svc.SetPaused(ctx, f.pair.ID, "UX", true); !errors.Is(err, partnership.ErrNotMember) {
		t.Errorf("a stranger paused the pair: %v", err)
	}
}

func TestScheduleLimits(t *testing.T) {
	f := newFixture(t, checkin.Config{MinInterval: 24 * time.Hour}, zones{asst: "Europe/Paris", exec: "America/New_York"})
	ctx := context.Background()
	_, err := f.svc.SetSchedule(ctx, f.pair.ID, asst, "@every 2h")
	var tooOften checkin.TooOftenError
	if !errors.As(err, &tooOften) || tooOften.Limit != 24*time.Hour || tooOften.Gap != 2*time.Hour {
		t.Errorf("@every 2h: %v, want TooOftenError 2h < 24h", err)
	}
	if _, err := f.svc.SetSchedule(ctx, f.pair.ID, asst, "@daily"); err != nil {
		t.Errorf("@daily refused with a 24h limit (its DST day is 23h): %v", err)
	}
	if _, err := f.svc.SetSchedule(ctx, f.pair.ID, asst, "0 */12 * * *"); !errors.Is(err, checkin.ErrTooOften) {
		t.Errorf("twice a day accepted with a 24h limit: %v", err)
	}
	if _, err := f.svc.SetSchedule(ctx, f.pair.ID, asst, "not a spec"); !errors.Is(err, checkin.ErrBadSpec) {
		t.Errorf("garbage spec: %v", err)
	}
}

// A schedule's wall-clock time is each member's own, as the default's is,
// unless its user names a zone: a typed "0 9 * * MON" does not send the
// executive in New York their check-in at 03:00.
func TestScheduleIsEachMembersOwnTime(t *testing.T) {
	f := newFixture(t, checkin.Config{MinInterval: 24 * time.Hour, ReminderDelay: -1}, zones{asst: "Europe/Paris", exec: "America/New_York"})
	ctx := context.Background()
	paris, _ := time.LoadLocation("Europe/Paris")
	york, _ := time.LoadLocation("America/New_York")
	for _, typed := range []string{"30 8 * * FRI", "fridays at 8:30"} {
		set, err := f.svc.SetSchedule(ctx, f.pair.ID, asst, typed)
		if err != nil {
			t.Fatal(err)
		}
		if set.Zone != "" || set.Spec.String() != "30 8 * * FRI" {
			t.Errorf("%q: spec %q zone %q, want 30 8 * * FRI in each member's own zone", typed, set.Spec, set.Zone)
		}
		if want := time.Date(2026, 11, 27, 8, 30, 0, 0, paris); !set.Next[asst].Equal(want) {
			t.Errorf("%q: the assistant's next = %v, want %v", typed, set.Next[asst], want)
		}
		if want := time.Date(2026, 11, 27, 8, 30, 0, 0, york); !set.Next[exec].Equal(want) {
			t.Errorf("%q: the executive's next = %v, want %v (their own 08:30)", typed, set.Next[exec], want)
		}
	}
	f.at(time.Date(2026, 11, 27, 8, 30, 0, 0, paris))
	if f.notes.promptsTo(asst) != 1 || f.notes.promptsTo(exec) != 0 {
		t.Errorf("at 08:30 Paris: %d prompts to the assistant, %d to the executive; want 1 and 0", f.notes.promptsTo(asst), f.notes.promptsTo(exec))
	}
	f.at(time.Date(2026, 11, 27, 8, 30, 0, 0, york))
	if f.notes.promptsTo(exec) != 1 {
		t.Errorf("at 08:30 New York: %d prompts to the executive, want 1", f.notes.promptsTo(exec))
	}
	// A zone named: the same moment for both.
	set, err := f.svc.SetSchedule(ctx, f.pair.ID, asst, "mondays at 9 Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	if set.Zone != "Europe/Paris" || !set.Next[asst].Equal(set.Next[exec]) || !set.Next[exec].Equal(time.Date(2026, 11, 30, 9, 0, 0, 0, paris)) {
		t.Errorf("named zone: %+v, want both at Monday 09:00 Paris", set)
	}
}

func TestDowntimeSendsOnceWithinGrace(t *testing.T) {
	f := newFixture(t, checkin.Config{ReminderDelay: -1, Grace: 24 * time.Hour}, zones{})
	monday := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	// Down from before Monday until Monday 11:00 (2 h late): sent once each.
	f.at(monday.Add(2 * time.Hour))
	f.at(monday.Add(2*time.Hour + time.Minute))
	if p, _ := f.notes.counts(); p != 2 {
		t.Fatalf("%d prompts after 2 h of downtime, want 2", p)
	}
	// Down for three weeks: the missed ones are past the grace; nothing
	// until the next Monday, then one each.
	f.at(monday.Add(7*24*time.Hour + 21*24*time.Hour + 30*time.Hour))
	if p, _ := f.notes.counts(); p != 2 {
		t.Errorf("%d prompts after weeks of downtime, want none of the stale ones", p)
	}
	f.at(monday.Add(35 * 24 * time.Hour))
	if p, _ := f.notes.counts(); p != 4 {
		t.Errorf("%d prompts at the next Monday, want 4", p)
	}
}

func TestExactlyOnceAcrossReplicas(t *testing.T) {
	f := newFixture(t, checkin.Config{ReminderDelay: -1, Lease: time.Minute}, zones{})
	ctx := context.Background()
	replicas := []*checkin.Service{f.svc, f.replica(zones{}), f.replica(zones{})}
	monday := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	f.clk.Set(monday)
	var wg sync.WaitGroup
	for _, r := range replicas {
		wg.Go(func() {
			if _, err := r.Tick(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if p, _ := f.notes.counts(); p != 2 {
		t.Fatalf("three replicas sent %d prompts, want 2", p)
	}

	// A replica claims next week's jobs and dies: after the lease another
	// sends them, once.
	next := monday.Add(7 * 24 * time.Hour)
	claimed, err := f.st.Claim(ctx, next, time.Minute, 10)
	if err != nil || len(claimed) != 2 {
		t.Fatalf("claim = %d, %v", len(claimed), err)
	}
	f.at(next.Add(30*time.Second), replicas[1:]...)
	if p, _ := f.notes.counts(); p != 2 {
		t.Fatalf("%d prompts while the dead replica's lease runs", p)
	}
	f.at(next.Add(61*time.Second), replicas[1:]...)
	f.at(next.Add(62*time.Second), replicas[1:]...)
	if p, _ := f.notes.counts(); p != 4 {
		t.Errorf("%d prompts after the lease, want 4", p)
	}
}

func TestFailedSendIsRetriedAfterTheLease(t *testing.T) {
	f := newFixture(t, checkin.Config{ReminderDelay: -1, Lease: time.Minute}, zones{})
	monday := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	f.notes.fail = errors.New("slack down")
	f.at(monday)
	f.notes.fail = nil
	f.at(monday.Add(30 * time.Second))
	if p, _ := f.notes.counts(); p != 0 {
		t.Fatalf("%d prompts before the lease ran out", p)
	}
	f.at(monday.Add(61 * time.Second))
	if p, _ := f.notes.counts(); p != 2 {
		t.Errorf("%d prompts after the retry, want 2", p)
	}
}

func TestSkipAndSnooze(t *testing.T) {
	f := newFixture(t, checkin.Config{ReminderDelay: 6 * time.Hour}, zones{})
	ctx := context.Background()
	monday := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	f.at(monday)
	f.answer(exec, monday.Add(time.Hour))
	f.clk.Set(monday.Add(2 * time.Hour))
	if err := f.svc.Skip(ctx, f.pair.ID, exec, monday); !errors.Is(err, checkin.ErrAnswered) {
		t.Errorf("a member who answered skipped: %v, want ErrAnswered", err)
	}
	if err := f.svc.Skip(ctx, f.pair.ID, asst, monday); err != nil {
		t.Fatal(err)
	}
	if _, s := f.notes.counts(); s != 1 {
		t.Errorf("%d summaries after a skip with the partner answered, want 1", s)
	}
	f.at(monday.Add(6 * time.Hour))
	if p, _ := f.notes.counts(); p != 2 {
		t.Errorf("%d prompts: a skipped member was reminded", p)
	}
	// Next week: last week's buttons do nothing, this week's work.
	week2 := monday.Add(7 * 24 * time.Hour)
	f.at(week2)
	f.clk.Set(week2.Add(time.Minute))
	for _, old := range []time.Time{monday, {}} {
		if err := f.svc.Skip(ctx, f.pair.ID, asst, old); !errors.Is(err, checkin.ErrStaleCheckin) {
			t.Errorf("Skip with round %v in the next round = %v, want ErrStaleCheckin", old, err)
		}
		if _, err := f.svc.Snooze(ctx, f.pair.ID, asst, old); !errors.Is(err, checkin.ErrStaleCheckin) {
			t.Errorf("Snooze with round %v in the next round = %v, want ErrStaleCheckin", old, err)
		}
	}
	// The assistant snoozes, twice (a double click, then again an hour
	// later): once, a day after the first press, and no reminder besides.
	at, err := f.svc.Snooze(ctx, f.pair.ID, asst, week2)
	if err != nil {
		t.Fatal(err)
	}
	f.clk.Set(week2.Add(time.Hour))
	again, err := f.svc.Snooze(ctx, f.pair.ID, asst, week2)
	if err != nil || !again.Equal(at) {
		t.Errorf("second snooze = %v, %v; want the first one's time %v", again, err, at)
	}
	f.at(week2.Add(6*time.Hour + time.Minute)) // the reminder's time
	f.at(week2.Add(24*time.Hour + time.Minute))
	f.at(week2.Add(25*time.Hour + time.Minute))
	snoozed, reminded := 0, 0
	for _, p := range f.notes.prompts {
		switch {
		case p.Kind == checkin.KindSnooze:
			snoozed++
			if p.User != asst || !p.At.Equal(week2.Add(24*time.Hour+time.Minute)) {
				t.Errorf("snoozed check-in = %+v", p)
			}
		case p.Kind == checkin.KindRemind && p.User == asst && p.At.After(week2):
			reminded++
		}
	}
	if snoozed != 1 || reminded != 0 {
		t.Errorf("%d snoozed check-ins and %d reminders to the snoozer, want 1 and 0: %+v", snoozed, reminded, f.notes.prompts)
	}
	if _, err := f.svc.Snooze(ctx, f.pair.ID, "UX", week2); !errors.Is(err, partnership.ErrNotMember) {
		t.Errorf("a stranger snoozed: %v", err)
	}
}

// cancelling is a notifier whose first DM goes out and then, as SIGTERM
// would, cancels the tick's context. It would send more after that: the
// service must not ask it to.
type cancelling struct {
	*notifier
	cancel context.CancelFunc
	once   sync.Once
}

func (c *cancelling) Prompt(ctx context.Context, pr checkin.Prompt) error {
	err := c.notifier.Prompt(ctx, pr)
	c.once.Do(c.cancel)
	return err
}

// A shutdown in the middle of a batch: the DM that went out is recorded
// as sent and its job completed, so that nobody sends it again; the one
// not sent yet is left for the retry after the lease.
func TestShutdownMidBatchRecordsWhatWentOut(t *testing.T) {
	f := newFixture(t, checkin.Config{ReminderDelay: -1, Lease: time.Minute, Workers: 1}, zones{})
	monday := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	ctx, cancel := context.WithCancel(context.Background())
	svc := checkin.New(f.st, &cancelling{notifier: f.notes, cancel: cancel}, zones{}, f.clk, slog.New(slog.NewTextHandler(io.Discard, nil)), nil, f.cfg)
	f.clk.Set(monday)
	if n, err := svc.Tick(ctx); n != 2 || err != nil {
		t.Fatalf("Tick = %d, %v; want both members' prompts claimed", n, err)
	}
	if p, _ := f.notes.counts(); p != 1 {
		t.Fatalf("%d prompts before the shutdown, want 1", p)
	}
	// After the lease another replica takes over what was left.
	f.at(monday.Add(61 * time.Second))
	f.at(monday.Add(2 * time.Minute))
	if len(f.notes.prompts) != 2 || f.notes.prompts[0].User == f.notes.prompts[1].User {
		t.Errorf("prompts = %+v, want each member's once", f.notes.prompts)
	}
}

// Drain runs batches side by side until nothing is due: every check-in
// goes out once, and every job is queued again for next week.
func TestDrainRunsBatchesSideBySide(t *testing.T) {
	f := newFixture(t, checkin.Config{ReminderDelay: -1, Batch: 4, Parallel: 3}, zones{})
	ctx := context.Background()
	f.addPairs(24) // 25 pairs with the fixture's
	monday := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	f.clk.Set(monday)
	n, err := f.svc.Drain(ctx)
	if err != nil || n != 50 {
		t.Fatalf("Drain = %d, %v; want all 50 check-ins claimed", n, err)
	}
	seen := map[string]int{}
	for _, p := range f.notes.prompts {
		seen[p.User]++
	}
	if len(seen) != 50 || len(f.notes.prompts) != 50 {
		t.Errorf("%d prompts to %d members, want one each to 50", len(f.notes.prompts), len(seen))
	}
	if n, err := f.svc.Drain(ctx); n != 0 || err != nil {
		t.Errorf("second Drain = %d, %v; want nothing due", n, err)
	}
	f.at(monday.Add(7 * 24 * time.Hour))
	f.svc.Drain(ctx)
	if len(f.notes.prompts) != 100 {
		t.Errorf("%d prompts after the second week, want 100", len(f.notes.prompts))
	}
}

// slowSlack takes step per DM (Slack's rate limits, Retry-After): the
// clock moves on with each send.
type slowSlack struct {
	*notifier
	step time.Duration
}

func (s slowSlack) Prompt(ctx context.Context, pr checkin.Prompt) error {
	err := s.notifier.Prompt(ctx, pr)
	s.clk.Set(s.clk.Now().Add(s.step))
	return err
}

// Sends slower than the lease: a replica starts no send in the last
// quarter of its lease (past the lease another replica may claim the job
// and send it too); what it leaves goes out with the next claims, each
// check-in once.
func TestSlowSendsStayInsideTheLease(t *testing.T) {
	f := newFixture(t, checkin.Config{ReminderDelay: -1, Lease: 2 * time.Minute, Workers: 1}, zones{})
	ctx := context.Background()
	f.addPairs(9) // 10 pairs with the fixture's
	svc := checkin.New(f.st, slowSlack{f.notes, 30 * time.Second}, zones{}, f.clk, slog.New(slog.NewTextHandler(io.Discard, nil)), nil, f.cfg)
	monday := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	f.clk.Set(monday)
	if n, err := svc.Tick(ctx); n != 20 || err != nil {
		t.Fatalf("Tick = %d, %v; want 20 claimed", n, err)
	}
	// Sends start at 0, 30 and 60 s; at 90 s only the margin is left.
	if p, _ := f.notes.counts(); p != 3 {
		t.Errorf("%d sends in a 2-minute lease at 30 s each, want 3 (none starting in its last 30 s)", p)
	}
	for range 100 {
		if p, _ := f.notes.counts(); p == 20 {
			break
		}
		f.clk.Set(f.clk.Now().Add(30 * time.Second))
		if _, err := svc.Tick(ctx); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]int{}
	for _, p := range f.notes.prompts {
		seen[p.User]++
	}
	if len(seen) != 20 || len(f.notes.prompts) != 20 {
		t.Errorf("%d prompts to %d members, want one each to 20: %v", len(f.notes.prompts), len(seen), seen)
	}
}

// stuckSlack never answers the first DM: the call ends only when its
// context does.
type stuckSlack struct {
	*notifier
	calls atomic.Int32
}

func (s *stuckSlack) Prompt(ctx context.Context, pr checkin.Prompt) error {
	if s.calls.Add(1) == 1 {
		<-ctx.Done()
		return ctx.Err()
	}
	return s.notifier.Prompt(ctx, pr)
}

// A send that never answers is cut off before the lease ends (past it,
// another replica could send the same check-in), and the batch goes on;
// the cut-off check-in goes out with the next claim, once.
func TestASendThatHangsEndsInsideTheLease(t *testing.T) {
	f := newFixture(t, checkin.Config{ReminderDelay: -1, Lease: 2 * time.Second, Workers: 1}, zones{})
	stuck := &stuckSlack{notifier: f.notes}
	svc := checkin.New(f.st, stuck, zones{}, f.clk, slog.New(slog.NewTextHandler(io.Discard, nil)), nil, f.cfg)
	monday := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	f.clk.Set(monday)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if _, err := svc.Tick(context.Background()); err != nil {
			t.Error(err)
		}
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("a send that never answers held its batch far past the 2-second lease")
	}
	if p, _ := f.notes.counts(); p != 1 {
		t.Fatalf("%d prompts after the hung send, want the other member's 1", p)
	}
	f.clk.Set(monday.Add(3 * time.Second)) // past the lease
	if _, err := svc.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(f.notes.prompts) != 2 || f.notes.prompts[0].User == f.notes.prompts[1].User {
		t.Errorf("prompts = %+v, want each member's once", f.notes.prompts)
	}
}

func TestCadence(t *testing.T) {
	mon := func(d int) time.Time { return time.Date(2026, 12, d, 8, 0, 0, 0, time.UTC) }
	for _, tt := range []struct {
		c     checkin.Cadence
		round time.Time
		want  bool
	}{
		{checkin.AssessMonthly, mon(7), true},   // the first Monday of December
		{checkin.AssessMonthly, mon(14), false}, // the others review progress
		{checkin.AssessMonthly, time.Date(2027, 1, 4, 8, 0, 0, 0, time.UTC), true},
		{checkin.AssessMonthly, time.Time{}, false},
		{checkin.AssessWeekly, mon(14), true},
		{checkin.AssessOnRequest, mon(7), false},
	} {
		if got := tt.c.AssessesIn(tt.round); got != tt.want {
			t.Errorf("%s.AssessesIn(%v) = %v, want %v", tt.c, tt.round.Format("Jan 2"), got, tt.want)
		}
	}
	// Exactly one round a month asks for it on a weekly schedule.
	n := 0
	for d := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC); d.Year() == 2026; d = d.AddDate(0, 0, 7) {
		if checkin.AssessMonthly.AssessesIn(d) {
			n++
		}
	}
	if n != 12 {
		t.Errorf("%d monthly assessment rounds in 2026 on Mondays, want 12", n)
	}
	for _, c := range []checkin.Cadence{"", "daily"} {
		if c.Valid() {
			t.Errorf("cadence %q valid", c)
		}
	}
}
