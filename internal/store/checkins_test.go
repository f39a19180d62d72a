package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/partnerbot/partnerbot/internal/checkin"
	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/redis/go-redis/v9"
)

// The four steps of a check-in batch, on both backends.
func TestCheckinBatchContract(t *testing.T) {
	var all []backend
	for _, b := range backends() {
		// As on Redis Cluster: one pair's keys per script call.
		perPair := backend{b.name + " one pair per call", func(t *testing.T) (*Store, redis.UniversalClient) {
			st, rdb := b.open(t)
			st.perSlot = true
			return st, rdb
		}}
		all = append(all, b, perPair)
	}
	for _, b := range all {
		t.Run(b.name, func(t *testing.T) {
			t.Run("begin opens and joins rounds", func(t *testing.T) { testBeginRounds(t, b) })
			t.Run("begin sends nothing to who answered or skipped", func(t *testing.T) { testBeginNone(t, b) })
			t.Run("begin after the scripts were flushed", func(t *testing.T) { testBeginNoScript(t, b) })
			t.Run("begin a batch of several pairs and the team scorecard", func(t *testing.T) { testBeginManyPairs(t, b) })
			t.Run("complete all", func(t *testing.T) { testCompleteAll(t, b) })
			t.Run("complete a batch larger than a Lua call takes", func(t *testing.T) { testCompleteLarge(t, b) })
			t.Run("a reminder staged in its prompt's place", func(t *testing.T) { testStagedReminder(t, b) })
			t.Run("a prompt queued by an older build", func(t *testing.T) { testLegacyPrompt(t, b) })
			t.Run("views in order, one round trip", func(t *testing.T) { testViews(t, b) })
			t.Run("a pair result records the member's latest answer", func(t *testing.T) { testAnswered(t, b) })
			t.Run("one snooze a round, dropped with the pair", func(t *testing.T) { testSnooze(t, b) })
		})
	}
}

var monday = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

const week = 7 * 24 * time.Hour

func prompt(id partnership.PairID, user string, at time.Time, r checkin.Round) checkin.Begin {
	if r.Half == 0 {
		r.Half = week / 2
	}
	return checkin.Begin{Job: checkin.Job{Kind: checkin.KindPrompt, Pair: id, User: user, At: at}, Round: &r}
}

func mustBegin(t *testing.T, st *Store, bs ...checkin.Begin) []checkin.Began {
	t.Helper()
	got, err := st.Begin(context.Background(), bs, time.Hour)
	if err != nil {
		t.Fatalf("Begin: %v", err)
	}
	if len(got) != len(bs) {
		t.Fatalf("Begin answered %d, want %d", len(got), len(bs))
	}
	return got
}

func testBeginRounds(t *testing.T, b backend) {
	st, rdb := b.open(t)
	ctx := context.Background()
	id := partnership.NewPairID("UA", "UE")

	// Both members' prompts in one batch: the first opens the round, the
	// second (five hours later, in its own time zone) joins it.
	got := mustBegin(t, st, prompt(id, "UA", monday, checkin.Round{}), prompt(id, "UE", monday.Add(5*time.Hour), checkin.Round{}))
	want := []checkin.Began{
		{State: checkin.SendNew, Opened: true, Rotation: 1},
		{State: checkin.SendNew, Previous: monday, Rotation: 1},
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("begin %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	// Run again (a retry after a lost lease): in flight, then sent.
	if got := mustBegin(t, st, prompt(id, "UA", monday, checkin.Round{})); got[0].State != checkin.SendPending || got[0].Opened {
		t.Errorf("retry = %+v, want %q and no new round", got[0], checkin.SendPending)
	}
	a := checkin.Job{Kind: checkin.KindPrompt, Pair: id, User: "UA", At: monday}
	if err := st.FinishSends(ctx, []checkin.Job{a}, time.Hour); err != nil {
		t.Fatal(err)
	}
	if got := mustBegin(t, st, prompt(id, "UA", monday, checkin.Round{})); got[0].State != checkin.SendDone {
		t.Errorf("after FinishSends = %+v, want %q", got[0], checkin.SendDone)
	}

	// A week later the round closes: the streak given is recorded only when
	// the round closing is the one the caller saw.
	next := monday.Add(week)
	got = mustBegin(t, st, prompt(id, "UA", next, checkin.Round{Closing: monday.Add(time.Hour), Streak: 9}))
	if !got[0].Opened || !got[0].Previous.Equal(monday) || got[0].Rotation != 2 {
		t.Errorf("next week = %+v, want a new round after %v, rotation 2", got[0], monday)
	}
	if s, _ := st.Schedule(ctx, id); s.Streak != 0 || !s.CycleAt.Equal(next) {
		t.Errorf("settings = %+v, want streak untouched (another round was closing) and the round at %v", s, next)
	}
	later := next.Add(week)
	mustBegin(t, st, prompt(id, "UA", later, checkin.Round{Closing: next, Streak: 4}))
	if s, _ := st.Schedule(ctx, id); s.Streak != 4 || s.Rotation != 3 {
		t.Errorf("settings = %+v, want streak 4, rotation 3", s)
	}
	// One send state per kind and member, however many rounds went by.
	var marks []string
	for _, f := range rdb.HKeys(ctx, st.keys.schedule(string(id))).Val() {
		if strings.HasPrefix(f, sendFieldPrefix) {
			marks = append(marks, f)
		}
	}
	slices.Sort(marks)
	if want := []string{"send:prompt|UA", "send:prompt|UE"}; !slices.Equal(marks, want) {
		t.Errorf("send states after three rounds = %q, want %q", marks, want)
	}
	// A retry of an occurrence older than the member's latest one begun is
	// over: nothing to send.
	if got := mustBegin(t, st, prompt(id, "UA", next, checkin.Round{})); got[0].State != checkin.SendDone || got[0].Opened {
		t.Errorf("retry of last week's prompt after this week's began = %+v, want %q and no new round", got[0], checkin.SendDone)
	}

	// Marking sent an occurrence of a pair that is gone (deleted meanwhile)
	// does not bring the pair's schedule back.
	gone := partnership.NewPairID("UG", "UH")
	if err := st.FinishSends(ctx, []checkin.Job{{Kind: checkin.KindPrompt, Pair: gone, User: "UG", At: monday}}, time.Hour); err != nil {
		t.Fatal(err)
	}
	if n := rdb.Exists(ctx, st.keys.schedule(string(gone))).Val(); n != 0 {
		t.Error("FinishSends created the schedule of a pair that is gone")
	}
}

func testBeginNone(t *testing.T, b backend) {
	st, _ := b.open(t)
	ctx := context.Background()
	id := partnership.NewPairID("UA", "UE")

	// The assistant answered early, after the round opened: no prompt, and
	// no send mark left behind.
	got := mustBegin(t, st,
		prompt(id, "UA", monday, checkin.Round{Answered: monday.Add(time.Minute)}),
		prompt(id, "UE", monday, checkin.Round{Answered: monday.Add(-time.Minute)}))
	if got[0].State != checkin.SendNone || !got[0].Opened || got[1].State != checkin.SendNew {
		t.Errorf("answered in the round / before it = %+v / %+v", got[0], got[1])
	}
	if got := mustBegin(t, st, prompt(id, "UA", monday, checkin.Round{})); got[0].State != checkin.SendNew {
		t.Errorf("a prompt decided as none left a send mark: %+v", got[0])
	}

	// A member who skipped the round gets nothing until a new one opens.
	if err := st.Skip(ctx, id, "UE"); err != nil {
		t.Fatal(err)
	}
	later := monday.Add(time.Hour)
	if got := mustBegin(t, st, prompt(id, "UE", later, checkin.Round{})); got[0].State != checkin.SendNone {
		t.Errorf("skipped member = %+v, want %q", got[0], checkin.SendNone)
	}
	if got := mustBegin(t, st, prompt(id, "UE", monday.Add(week), checkin.Round{})); got[0].State != checkin.SendNew || !got[0].Opened {
		t.Errorf("next round after a skip = %+v, want a new round and a send", got[0])
	}
	if s, _ := st.Schedule(ctx, id); s.Skipped["UE"] {
		t.Error("the skip outlived its round")
	}
	// The partner's prompt opening the next round ends a skip too.
	if err := st.Skip(ctx, id, "UA"); err != nil {
		t.Fatal(err)
	}
	if got := mustBegin(t, st, prompt(id, "UE", monday.Add(2*week), checkin.Round{})); !got[0].Opened {
		t.Fatalf("the third week = %+v, want a new round", got[0])
	}
	if s, _ := st.Schedule(ctx, id); s.Skipped["UA"] {
		t.Error("the assistant's skip outlived its round when the executive's prompt opened the next")
	}

	// A reminder's plain send mark.
	r := checkin.Begin{Job: checkin.Job{Kind: checkin.KindRemind, Pair: id, User: "UE", At: later}}
	if got := mustBegin(t, st, r, r); got[0].State != checkin.SendNew || got[1].State != checkin.SendPending || got[0].Opened {
		t.Errorf("reminder twice = %+v", got)
	}
}

// A restarted or flushed Redis has no scripts: a batch still runs each
// step once, in order.
func testBeginNoScript(t *testing.T, b backend) {
	st, rdb := b.open(t)
	ctx := context.Background()
	id := partnership.NewPairID("UA", "UE")
	mustBegin(t, st, prompt(id, "UX", monday, checkin.Round{})) // loads them
	if err := rdb.ScriptFlush(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	r := checkin.Begin{Job: checkin.Job{Kind: checkin.KindRemind, Pair: id, User: "UE", At: monday}}
	got := mustBegin(t, st, prompt(id, "UA", monday.Add(week), checkin.Round{}), r, prompt(id, "UE", monday.Add(week), checkin.Round{}))
	if !got[0].Opened || got[0].Rotation != 2 || got[2].Opened || got[2].Rotation != 2 ||
		got[0].State != checkin.SendNew || got[1].State != checkin.SendNew || got[2].State != checkin.SendNew {
		t.Errorf("after SCRIPT FLUSH = %+v", got)
	}
}

// mondayPrompts are the UA-UE pair's two prompts due on monday.
func mondayPrompts() (id partnership.PairID, a, e checkin.Job) {
	id = partnership.NewPairID("UA", "UE")
	return id, checkin.Job{Kind: checkin.KindPrompt, Pair: id, User: "UA", At: monday},
		checkin.Job{Kind: checkin.KindPrompt, Pair: id, User: "UE", At: monday}
}

func testCompleteAll(t *testing.T, b backend) {
	st, rdb := b.open(t)
	ctx := context.Background()
	id, pa, pe := mondayPrompts()
	snooze := checkin.Job{Kind: checkin.KindSnooze, Pair: id, User: "UE", At: monday}
	for _, j := range []checkin.Job{pa, pe, snooze} {
		if err := st.PutJob(ctx, j); err != nil {
			t.Fatal(err)
		}
	}
	claimed, err := st.Claim(ctx, monday, time.Minute, 10)
	if err != nil || len(claimed) != 3 {
		t.Fatalf("Claim = %d, %v", len(claimed), err)
	}
	by := map[string]checkin.Claimed{}
	for _, c := range claimed {
		by[c.Member] = c
	}
	nextA := pa
	nextA.At = monday.Add(week)
	lost := by[pe.Member()]
	lost.Lease = lost.Lease.Add(time.Second) // someone else's lease
	cs := []checkin.Completion{
		{Claimed: by[pa.Member()], Next: &nextA},
		{Claimed: lost, Next: &nextA},
		{Claimed: by[snooze.Member()]},
	}
	h := &roundTrips{}
	rdb.AddHook(h)
	ok, err := st.CompleteAll(ctx, cs)
	if err != nil || len(ok) != 3 || !ok[0] || ok[1] || !ok[2] {
		t.Fatalf("CompleteAll = %v, %v; want [true false true]", ok, err)
	}
	if h.n > 2 { // one, or two on a cold script cache
		t.Errorf("CompleteAll took %d round trips", h.n)
	}
	queue, _ := rdb.ZRangeWithScores(ctx, st.keys.dueQueue(), 0, -1).Result()
	got := map[string]int64{}
	for _, z := range queue {
		got[z.Member.(string)] = int64(z.Score)
	}
	want := map[string]int64{
		nextA.Member(): nextA.At.UnixMilli(),
		pe.Member():    by[pe.Member()].Lease.UnixMilli(), // still leased: the lease was not ours
	}
	if len(got) != len(want) {
		t.Errorf("queue = %v, want %v", got, want)
	}
	for m, at := range want {
		if got[m] != at {
			t.Errorf("queue[%s] = %d, want %d", m, got[m], at)
		}
	}
	// A prompt's queue member is its name; the index keeps its occurrence.
	if nextA.Member() != pa.Name() {
		t.Errorf("a prompt is queued as %q, want its name %q", nextA.Member(), pa.Name())
	}
	if at, _ := rdb.HGet(ctx, st.keys.dueJobs(), pa.Name()).Int64(); at != nextA.At.UnixMilli() {
		t.Errorf("job %s is at %d in the index, want %d", pa.Name(), at, nextA.At.UnixMilli())
	}
	// Claimed again after its lease, it comes back with that occurrence,
	// although the queue's score is now the lease.
	again, err := st.Claim(ctx, nextA.At, time.Minute, 10)
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, c := range again {
		if c.Member == pa.Name() {
			found = true
			if !c.Job.At.Equal(nextA.At) {
				t.Errorf("claimed %s at %v, want %v", c.Member, c.Job.At, nextA.At)
			}
		}
	}
	if !found {
		t.Errorf("claim at %v = %+v, want %s", nextA.At, again, pa.Name())
	}
	// A one-off job (a reminder as older builds queued it) is queued once
	// however often it is put.
	remindA := checkin.Job{Kind: checkin.KindRemind, Pair: id, User: "UA", At: monday.Add(24 * time.Hour)}
	for range 2 {
		if err := st.PutJob(ctx, remindA); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := rdb.ZCard(ctx, st.keys.dueQueue()).Result(); n != 3 {
		t.Errorf("%d jobs queued, want 3", n)
	}
	if ok, err := st.CompleteAll(ctx, nil); ok != nil || err != nil {
		t.Errorf("CompleteAll(nil) = %v, %v", ok, err)
	}
}

// A prompt queued by a build before time-less prompts ("…|<ms>", the index
// pointing at that member) is claimed with its occurrence; completing it
// queues the time-less entry in its place, and a new schedule replaces it.
// A reminder is queued in its prompt's place, under the prompt's name, and
// the prompt's next occurrence after it: a member has one queue entry.
func testStagedReminder(t *testing.T, b backend) {
	st, rdb := b.open(t)
	ctx := context.Background()
	id, pa, pe := mondayPrompts()
	for _, j := range []checkin.Job{pa, pe} {
		if err := st.PutJob(ctx, j); err != nil {
			t.Fatal(err)
		}
	}
	claimed, err := st.Claim(ctx, monday, time.Minute, 10)
	if err != nil || len(claimed) != 2 {
		t.Fatalf("Claim = %+v, %v; want both", claimed, err)
	}
	var cs []checkin.Completion
	for _, c := range claimed {
		r := checkin.Job{Kind: checkin.KindRemind, Pair: id, User: c.Job.User, At: monday.Add(24 * time.Hour), Staged: true}
		cs = append(cs, checkin.Completion{Claimed: c, Next: &r})
	}
	if ok, err := st.CompleteAll(ctx, cs); err != nil || !ok[0] || !ok[1] {
		t.Fatalf("CompleteAll = %v, %v", ok, err)
	}
	if n, _ := rdb.ZCard(ctx, st.keys.dueQueue()).Result(); n != 2 {
		t.Errorf("due queue holds %d entries, want 2 (one per member)", n)
	}
	// Builds from before staging read the index with strconv.ParseInt: to
	// them a staged reminder is the prompt, due at the reminder's time.
	v, _ := rdb.HGet(ctx, st.keys.dueJobs(), pa.Name()).Result()
	if ms, err := strconv.ParseInt(v, 10, 64); err != nil || ms != monday.Add(24*time.Hour).UnixMilli() {
		t.Errorf("index holds %q for a staged reminder: an older build reads %d, %v; want the reminder's time", v, ms, err)
	}
	if got, _ := st.Claim(ctx, monday.Add(24*time.Hour-time.Millisecond), time.Minute, 10); len(got) != 0 {
		t.Errorf("claimed %+v before the reminder was due", got)
	}
	claimed, err = st.Claim(ctx, monday.Add(24*time.Hour), time.Minute, 10)
	if err != nil || len(claimed) != 2 {
		t.Fatalf("Claim at the reminder = %+v, %v; want both", claimed, err)
	}
	for _, c := range claimed {
		want := checkin.Job{Kind: checkin.KindRemind, Pair: id, User: c.Job.User, At: monday.Add(24 * time.Hour), Staged: true}
		if c.Job != want || c.Member != pa.Name() && c.Member != pe.Name() {
			t.Errorf("claimed %+v, want %+v under the prompt's name", c, want)
		}
	}
	// The reminder done, the prompt is back at its next occurrence; a
	// member's prompt dropped meanwhile stays dropped.
	if err := st.DropJobs(ctx, id, "UE"); err != nil {
		t.Fatal(err)
	}
	cs = cs[:0]
	for _, c := range claimed {
		next := checkin.Job{Kind: checkin.KindPrompt, Pair: id, User: c.Job.User, At: monday.Add(week)}
		cs = append(cs, checkin.Completion{Claimed: c, Next: &next})
	}
	if ok, err := st.CompleteAll(ctx, cs); err != nil || len(ok) != 2 {
		t.Fatalf("CompleteAll = %v, %v", ok, err)
	}
	queue, _ := rdb.ZRangeWithScores(ctx, st.keys.dueQueue(), 0, -1).Result()
	if len(queue) != 1 || queue[0].Member != pa.Name() || int64(queue[0].Score) != monday.Add(week).UnixMilli() {
		t.Errorf("queue = %+v, want only %s at %v", queue, pa.Name(), monday.Add(week))
	}
	if v, _ := rdb.HGet(ctx, st.keys.dueJobs(), pa.Name()).Result(); v != strconv.FormatInt(monday.Add(week).UnixMilli(), 10) {
		t.Errorf("index holds %q for %s, want the next occurrence", v, pa.Name())
	}
	// Rescheduling replaces a staged reminder.
	r := checkin.Job{Kind: checkin.KindRemind, Pair: id, User: "UA", At: monday.Add(week + time.Hour), Staged: true}
	if err := st.PutJob(ctx, r); err != nil {
		t.Fatal(err)
	}
	moved := pa
	moved.At = monday.Add(week + 2*time.Hour)
	if err := st.PutJob(ctx, moved); err != nil {
		t.Fatal(err)
	}
	claimed, err = st.Claim(ctx, monday.Add(3*week), time.Minute, 10)
	if err != nil || len(claimed) != 1 || claimed[0].Job != moved {
		t.Errorf("Claim = %+v, %v; want only %+v", claimed, err, moved)
	}
	// An index entry this version cannot read is taken out of the queue.
	rdb.HSet(ctx, st.keys.dueJobs(), pa.Name(), "+012")
	rdb.ZAdd(ctx, st.keys.dueQueue(), redis.Z{Score: float64(monday.UnixMilli()), Member: pa.Name()})
	if got, err := st.Claim(ctx, monday.Add(3*week), time.Minute, 10); err != nil || len(got) != 0 {
		t.Errorf("Claim of a malformed index entry = %+v, %v", got, err)
	}
	if n, _ := rdb.ZCard(ctx, st.keys.dueQueue()).Result(); n != 0 {
		t.Errorf("the malformed entry is still queued (%d entries)", n)
	}
}

func testLegacyPrompt(t *testing.T, b backend) {
	st, rdb := b.open(t)
	ctx := context.Background()
	id, pa, pe := mondayPrompts()
	old := func(j checkin.Job) string { return j.Name() + "|" + strconv.FormatInt(j.At.UnixMilli(), 10) }
	for _, j := range []checkin.Job{pa, pe} {
		rdb.ZAdd(ctx, st.keys.dueQueue(), redis.Z{Score: float64(j.At.UnixMilli()), Member: old(j)})
		rdb.HSet(ctx, st.keys.dueJobs(), j.Name(), old(j))
	}
	claimed, err := st.Claim(ctx, monday, time.Minute, 10)
	if err != nil || len(claimed) != 2 {
		t.Fatalf("Claim = %+v, %v; want both", claimed, err)
	}
	for _, c := range claimed {
		if c.Member != old(c.Job) || !c.Job.At.Equal(monday) {
			t.Errorf("claimed %+v, want the old member at %v", c, monday)
		}
	}
	// The assistant's completes into the new form; the executive's schedule
	// changes while it is claimed.
	next := pa
	next.At = monday.Add(week)
	ok, err := st.CompleteAll(ctx, []checkin.Completion{{Claimed: claimed[slices.IndexFunc(claimed, func(c checkin.Claimed) bool { return c.Job.User == "UA" })], Next: &next}})
	if err != nil || !ok[0] {
		t.Fatalf("CompleteAll = %v, %v", ok, err)
	}
	moved := pe
	moved.At = monday.Add(2 * time.Hour)
	if err := st.PutJob(ctx, moved); err != nil {
		t.Fatal(err)
	}
	queue, _ := rdb.ZRangeWithScores(ctx, st.keys.dueQueue(), 0, -1).Result()
	got := map[string]int64{}
	for _, z := range queue {
		got[z.Member.(string)] = int64(z.Score)
	}
	want := map[string]int64{pa.Name(): next.At.UnixMilli(), pe.Name(): moved.At.UnixMilli()}
	if !maps.Equal(got, want) {
		t.Errorf("queue = %v, want %v (no entry in the old form left)", got, want)
	}
	idx, _ := rdb.HGetAll(ctx, st.keys.dueJobs()).Result()
	if wantIdx := map[string]string{pa.Name(): strconv.FormatInt(next.At.UnixMilli(), 10), pe.Name(): strconv.FormatInt(moved.At.UnixMilli(), 10)}; !maps.Equal(idx, wantIdx) {
		t.Errorf("job index = %v, want %v", idx, wantIdx)
	}
	// Dropping jobs queued in either form removes them.
	px := checkin.Job{Kind: checkin.KindPrompt, Pair: id, User: "UX", At: monday}
	rdb.ZAdd(ctx, st.keys.dueQueue(), redis.Z{Score: float64(px.At.UnixMilli()), Member: old(px)})
	rdb.HSet(ctx, st.keys.dueJobs(), px.Name(), old(px))
	if err := st.DropJobs(ctx, id, "UA", "UE", "UX"); err != nil {
		t.Fatal(err)
	}
	if n, _ := rdb.HLen(ctx, st.keys.dueJobs()).Result(); n != 0 {
		t.Errorf("%d jobs left in the index after DropJobs", n)
	}
	if n, _ := rdb.ZCard(ctx, st.keys.dueQueue()).Result(); n != 0 {
		t.Errorf("%d entries queued after DropJobs", n)
	}
}

func testViews(t *testing.T, b backend) {
	st, rdb := b.open(t)
	ctx := context.Background()
	p1 := partnership.Pair{ID: partnership.NewPairID("UA", "UE"), Assistant: "UA", Executive: "UE", CreatedAt: monday}
	p2 := partnership.Pair{ID: partnership.NewPairID("UB", "UE"), Assistant: "UB", Executive: "UE", CreatedAt: monday}
	gone := partnership.NewPairID("UC", "UE")
	for _, p := range []partnership.Pair{p1, p2} {
		if err := st.CreatePair(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.SetAway(ctx, "UE", monday.Add(week)); err != nil {
		t.Fatal(err)
	}
	if err := st.SetPaused(ctx, p2.ID, true); err != nil {
		t.Fatal(err)
	}
	h := &roundTrips{}
	rdb.AddHook(h)
	vs, err := st.Views(ctx, []partnership.PairID{p2.ID, gone, p1.ID})
	if err != nil || len(vs) != 3 {
		t.Fatalf("Views = %d, %v", len(vs), err)
	}
	if h.n != 1 {
		t.Errorf("Views of 3 pairs took %d round trips, want 1", h.n)
	}
	if !vs[0].Found || vs[0].Pair.Assistant != "UB" || !vs[0].Settings.Paused {
		t.Errorf("view 0 = %+v, want pair UB, paused", vs[0])
	}
	if vs[1].Found {
		t.Errorf("view of an ended pair = %+v, want not found", vs[1])
	}
	if !vs[2].Found || vs[2].Pair.Assistant != "UA" || vs[2].Settings.Paused || !vs[2].Away["UE"].Equal(monday.Add(week)) {
		t.Errorf("view 2 = %+v, want pair UA, not paused, UE away", vs[2])
	}
	if _, err := st.Views(ctx, []partnership.PairID{"not-a-pair"}); err == nil {
		t.Error("Views of a malformed pair id succeeded")
	}
}

// 4,500 jobs in one CompleteAll (9,000 arguments to one ZADD): more than one chunk of every call the
// script makes.
func testCompleteLarge(t *testing.T, b backend) {
	st, rdb := b.open(t)
	ctx := context.Background()
	const n = 4500
	for i := range n {
		id := partnership.NewPairID(fmt.Sprintf("UA%04d", i), "UE")
		if err := st.PutJob(ctx, checkin.Job{Kind: checkin.KindPrompt, Pair: id, User: "UE", At: monday}); err != nil {
			t.Fatal(err)
		}
	}
	claimed, err := st.Claim(ctx, monday, time.Minute, n)
	if err != nil || len(claimed) != n {
		t.Fatalf("Claim = %d, %v", len(claimed), err)
	}
	cs := make([]checkin.Completion, n)
	for i, c := range claimed {
		next := c.Job
		next.At = monday.Add(week)
		if i%2 == 0 { // every other one stages its reminder first
			next = checkin.Job{Kind: checkin.KindRemind, Pair: c.Job.Pair, User: "UE", At: monday.Add(time.Hour), Staged: true}
		}
		cs[i] = checkin.Completion{Claimed: c, Next: &next}
	}
	cs[n-1].Lease = cs[n-1].Lease.Add(time.Millisecond) // not ours
	ok, err := st.CompleteAll(ctx, cs)
	if err != nil || len(ok) != n {
		t.Fatalf("CompleteAll = %d answers, %v", len(ok), err)
	}
	for i, o := range ok {
		if o != (i != n-1) {
			t.Errorf("job %d completed = %v", i, o)
		}
	}
	week2 := strconv.FormatInt(monday.Add(week).UnixMilli(), 10)
	hour := strconv.FormatInt(monday.Add(time.Hour).UnixMilli(), 10)
	for _, tt := range []struct {
		min, max string
		want     int64
	}{{week2, week2, n/2 - 1}, {hour, hour, n / 2}, {"-inf", "(" + hour, 1}} {
		if got, _ := rdb.ZCount(ctx, st.keys.dueQueue(), tt.min, tt.max).Result(); got != tt.want {
			t.Errorf("jobs due in [%s, %s] = %d, want %d", tt.min, tt.max, got, tt.want)
		}
	}
	if got, _ := rdb.HLen(ctx, st.keys.dueJobs()).Result(); got != n {
		t.Errorf("job index holds %d names, want %d", got, n)
	}
}

func testAnswered(t *testing.T, b backend) {
	st, _ := b.open(t)
	ctx := context.Background()
	id := partnership.NewPairID("UA", "UE")
	in := func(sub, user string, at time.Time) assessment.Result {
		r := result(sub, user, "YYYYYNNNNN", at)
		r.PairID = string(id)
		return r
	}
	for _, r := range []assessment.Result{
		in("s1", "UA", monday.Add(2*time.Hour)),
		in("s2", "UA", monday.Add(time.Hour)), // saved later, taken earlier: not the latest
		in("s3", "UE", monday),
		result("own", "UE", "YYYYYYYYYY", monday.Add(week)), // outside the pair
	} {
		if _, _, err := st.SaveResult(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	// A retried submission changes nothing.
	if _, _, err := st.SaveResult(ctx, in("s3", "UE", monday.Add(3*time.Hour))); err == nil {
		t.Error("retry of s3 was stored")
	}
	s, err := st.Schedule(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Answered) != 2 || !s.Answered["UA"].Equal(monday.Add(2*time.Hour)) || !s.Answered["UE"].Equal(monday) {
		t.Errorf("answered = %v, want UA at 11:00 and UE at 09:00", s.Answered)
	}
}

// A batch mixes pairs (and the team scorecard): each answer goes back to
// the send it belongs to, and each pair's sends are taken in order.
func testBeginManyPairs(t *testing.T, b backend) {
	st, rdb := b.open(t)
	a := partnership.NewPairID("UA", "UE")
	c := partnership.NewPairID("UC", "UE")
	team := checkin.Begin{Job: checkin.Job{Kind: checkin.KindTeam, At: monday}}
	// Pair c already had a round a week ago, with rotation 1; so did the
	// team scorecard (which loads the scripts).
	mustBegin(t, st, prompt(c, "UC", monday.Add(-week), checkin.Round{}),
		checkin.Begin{Job: checkin.Job{Kind: checkin.KindTeam, At: monday.Add(-week)}})
	h := &roundTrips{}
	rdb.AddHook(h)
	got := mustBegin(t, st,
		prompt(a, "UA", monday, checkin.Round{}),
		prompt(c, "UC", monday, checkin.Round{Answered: monday.Add(time.Minute)}),
		team,
		prompt(a, "UE", monday, checkin.Round{}),
		checkin.Begin{Job: checkin.Job{Kind: checkin.KindSnooze, Pair: c, User: "UE", At: monday}},
		prompt(c, "UE", monday, checkin.Round{}),
		team,
	)
	if h.n != 1 {
		t.Errorf("Begin of 7 sends over 2 pairs took %d round trips, want 1", h.n)
	}
	want := []checkin.Began{
		{State: checkin.SendNew, Opened: true, Rotation: 1},
		{State: checkin.SendNone, Opened: true, Previous: monday.Add(-week), Rotation: 2},
		{State: checkin.SendNew},
		{State: checkin.SendNew, Previous: monday, Rotation: 1},
		{State: checkin.SendNew},
		{State: checkin.SendNew, Previous: monday, Rotation: 2},
		{State: checkin.SendPending},
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("begin %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func testSnooze(t *testing.T, b backend) {
	st, rdb := b.open(t)
	ctx := context.Background()
	p := newPair("UA", "UE", monday)
	if err := st.CreatePair(ctx, p); err != nil {
		t.Fatal(err)
	}
	first := checkin.Snooze{Round: monday, At: monday.Add(25 * time.Hour)}
	got, created, err := st.Snooze(ctx, p.ID, "UA", first)
	if err != nil || !created || got != first {
		t.Fatalf("Snooze = %+v, %v, %v; want it recorded", got, created, err)
	}
	second := checkin.Snooze{Round: monday, At: monday.Add(26 * time.Hour)}
	if got, created, err := st.Snooze(ctx, p.ID, "UA", second); err != nil || created || got != first {
		t.Errorf("a second Snooze in the round = %+v, %v, %v; want the first, not created", got, created, err)
	}
	next := checkin.Snooze{Round: monday.Add(week), At: monday.Add(week + 25*time.Hour)}
	if got, created, err := st.Snooze(ctx, p.ID, "UA", next); err != nil || !created || got != next {
		t.Errorf("Snooze in the next round = %+v, %v, %v; want it recorded", got, created, err)
	}
	if s, err := st.Schedule(ctx, p.ID); err != nil || s.Snoozed["UA"] != next || len(s.Snoozed) != 1 {
		t.Errorf("Schedule().Snoozed = %+v, %v; want UA's latest", s.Snoozed, err)
	}
	// Its job leaves the queue with the pair.
	j := checkin.Job{Kind: checkin.KindSnooze, Pair: p.ID, User: "UA", At: next.At}
	if err := st.PutJob(ctx, j); err != nil {
		t.Fatal(err)
	}
	if err := st.DeletePair(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := rdb.ZScore(ctx, st.keys.dueQueue(), j.Member()).Result(); err != redis.Nil {
		t.Errorf("the snoozed check-in is still queued after the pair ended: %v", err)
	}
}
