package store

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/partnerbot/partnerbot/internal/partnership"
)

func charterVersion(n int, by string, at time.Time) partnership.CharterVersion {
	v := partnership.CharterVersion{Number: n, DraftedBy: by, DraftedAt: at, Accepted: []partnership.Acceptance{{By: by, At: at}}}
	v.AssistantExpects = []string{"Tell me the priorities on Monday", "Decide fast"}
	v.ExecutiveExpects = []string{}
	v.Channel, v.Cadence = "Slack DM", "Daily at 9"
	v.Decisions = []partnership.Decision{{Kind: "Travel under $500", Right: partnership.Decide}}
	for i := range v.Tasks {
		v.Tasks[i] = partnership.Shared
	}
	v.Tasks[6] = partnership.ChiefOfStaff
	v.Goals = [partnership.NumGoals]string{"Close the Series B", "", ""}
	return v
}

func testCharter(t *testing.T, b backend) {
	st, rdb := b.open(t)
	ctx := context.Background()
	p := newPair("UA", "UE", day0)
	key := st.keys.charter(string(p.ID))

	// No pair: nothing stored, not even a key.
	if err := st.AddCharterVersion(ctx, p.ID, 0, charterVersion(1, "UA", day0)); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("AddCharterVersion without a pair = %v, want ErrNotFound", err)
	}
	if n, _ := rdb.Exists(ctx, key).Result(); n != 0 {
		t.Error("a charter key was written for a pair that does not exist")
	}
	if err := st.CreatePair(ctx, p); err != nil {
		t.Fatal(err)
	}
	if c, err := st.Charter(ctx, p.ID); err != nil || len(c.Versions) != 0 || c.Pair != p.ID {
		t.Errorf("Charter before any = %+v, %v", c, err)
	}
	v1 := charterVersion(1, "UA", day0)
	if err := st.AddCharterVersion(ctx, p.ID, 0, v1); err != nil {
		t.Fatal(err)
	}
	// A second draft from the same base loses: compare-and-set.
	if err := st.AddCharterVersion(ctx, p.ID, 0, charterVersion(1, "UE", day0)); !errors.Is(err, partnership.ErrConflict) {
		t.Errorf("AddCharterVersion from a stale base = %v, want ErrConflict", err)
	}
	c, err := st.Charter(ctx, p.ID)
	if err != nil || len(c.Versions) != 1 {
		t.Fatalf("Charter = %+v, %v; want one version", c, err)
	}
	if got := c.Versions[0]; !reflect.DeepEqual(got, v1) {
		t.Errorf("version 1 read back = %+v\nwant %+v", got, v1)
	}

	// Acceptance: compare-and-set on the version.
	accepted := v1
	accepted.Accepted = append(append([]partnership.Acceptance(nil), v1.Accepted...), partnership.Acceptance{By: "UE", At: day0.Add(time.Hour)})
	if err := st.UpdateCharterVersion(ctx, p.ID, c.Versions[0], accepted); err != nil {
		t.Fatal(err)
	}
	if err := st.UpdateCharterVersion(ctx, p.ID, c.Versions[0], accepted); !errors.Is(err, partnership.ErrConflict) {
		t.Errorf("UpdateCharterVersion from a stale read = %v, want ErrConflict", err)
	}
	if err := st.SetCharterCard(ctx, p.ID, 1, "DUE", "17.5"); err != nil {
		t.Fatal(err)
	}
	if err := st.SetCharterCard(ctx, p.ID, 9, "DUE", "18.5"); err != nil { // no version 9: nothing
		t.Fatal(err)
	}
	// Two drafts of version 2 at once: exactly one is stored.
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			by := "UA"
			if i%2 == 1 {
				by = "UE"
			}
			if err := st.AddCharterVersion(ctx, p.ID, 1, charterVersion(2, by, day0.Add(2*time.Hour))); err == nil {
				mu.Lock()
				won++
				mu.Unlock()
			} else if !errors.Is(err, partnership.ErrConflict) {
				t.Errorf("concurrent AddCharterVersion: %v", err)
			}
		}()
	}
	wg.Wait()
	if won != 1 {
		t.Errorf("%d of 20 concurrent drafts of version 2 were stored, want 1", won)
	}
	// Reviews: compare-and-set, from none.
	r := []partnership.CharterReview{{Version: 1, Due: day0.AddDate(0, 3, 0), Confirmed: []partnership.Acceptance{{By: "UE", At: day0.AddDate(0, 3, -2)}}}}
	if err := st.SetCharterReviews(ctx, p.ID, nil, r); err != nil {
		t.Fatal(err)
	}
	if err := st.SetCharterReviews(ctx, p.ID, nil, r); !errors.Is(err, partnership.ErrConflict) {
		t.Errorf("SetCharterReviews from a stale read = %v, want ErrConflict", err)
	}
	c, err = st.Charter(ctx, p.ID)
	if err != nil || len(c.Versions) != 2 || c.Versions[0].Number != 1 || c.Versions[1].Number != 2 {
		t.Fatalf("Charter = %+v, %v; want versions 1 and 2", c, err)
	}
	want := accepted
	want.CardChannel, want.CardTS = "DUE", "17.5"
	if !reflect.DeepEqual(c.Versions[0], want) {
		t.Errorf("version 1 = %+v\nwant %+v", c.Versions[0], want)
	}
	if c.Versions[1].CardTS != "" {
		t.Errorf("version 2 has a card: %+v", c.Versions[1])
	}
	if !reflect.DeepEqual(c.Reviews, r) {
		t.Errorf("reviews = %+v, want %+v", c.Reviews, r)
	}
	if typ, _ := rdb.Type(ctx, key).Result(); typ != "hash" {
		t.Errorf("%s is a %s, want a hash", key, typ)
	}

	// The pair ends: its charter goes with it, and nothing writes it back.
	if err := st.DeletePair(ctx, p); err != nil {
		t.Fatal(err)
	}
	if n, _ := rdb.Exists(ctx, key).Result(); n != 0 {
		t.Error("the charter is left after DeletePair")
	}
	for name, err := range map[string]error{
		"AddCharterVersion":    st.AddCharterVersion(ctx, p.ID, 0, v1),
		"UpdateCharterVersion": st.UpdateCharterVersion(ctx, p.ID, v1, accepted),
		"SetCharterReviews":    st.SetCharterReviews(ctx, p.ID, nil, r),
	} {
		if !errors.Is(err, partnership.ErrNotFound) {
			t.Errorf("%s after the pair ended = %v, want ErrNotFound", name, err)
		}
	}
	st.SetCharterCard(ctx, p.ID, 1, "DUE", "17.5")
	if n, _ := rdb.Exists(ctx, key).Result(); n != 0 {
		t.Error("a charter key came back after the pair ended")
	}
}
