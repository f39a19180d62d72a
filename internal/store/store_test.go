package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/partnerbot/partnerbot/internal/assessment"
	"github.com/redis/go-redis/v9"
)

// RealRedisEnv names the variable holding a real redis-server's URL for the
// store's contract tests; .ci/run starts one and sets it.
const RealRedisEnv = "PARTNERBOT_TEST_REDIS_URL"

// RealClusterEnv names the variable holding a real Redis Cluster's URL
// (redis://host:port?cluster=true&addr=…) for the same tests, where every
// script must keep to one slot; .ci/run starts a three-node cluster.
const RealClusterEnv = "PARTNERBOT_TEST_REDIS_CLUSTER_URL"

// backend is one Redis the contract tests run against.
type backend struct {
	name string
	open func(t *testing.T) (*Store, redis.UniversalClient)
}

func backends() []backend {
	return []backend{
		{"miniredis", func(t *testing.T) (*Store, redis.UniversalClient) {
			mr := miniredis.RunT(t)
			rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
			t.Cleanup(func() { rdb.Close() })
			return New(rdb, "pbtest"), rdb
		}},
		{"redis-server", func(t *testing.T) (*Store, redis.UniversalClient) {
			rdb := realRedis(t, RealRedisEnv)
			return New(rdb, randomPrefix(t, rdb)), rdb
		}},
		{"redis-cluster", func(t *testing.T) (*Store, redis.UniversalClient) {
			rdb := realRedis(t, RealClusterEnv)
			if _, ok := rdb.(*redis.ClusterClient); !ok {
				t.Fatalf("%s does not name a cluster (?cluster=true)", RealClusterEnv)
			}
			return New(rdb, randomPrefix(t, rdb)), rdb
		}},
	}
}

// RealRedis connects to the real redis-server named by RealRedisEnv. Locally
// the test skips when it is unset; in CI (CI=true) it fails.
func RealRedis(t *testing.T) redis.UniversalClient {
	t.Helper()
	return realRedis(t, RealRedisEnv)
}

// realRedis connects to the Redis named by the variable env.
func realRedis(t *testing.T, env string) redis.UniversalClient {
	t.Helper()
	u := os.Getenv(env)
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set in CI: .ci/run must start it", env)
		}
		t.Skipf("%s is not set; skipping this real Redis run", env)
	}
	rdb, err := Connect(u)
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

// randomPrefix keeps runs apart on a shared real Redis and removes the
// test's keys afterwards.
func randomPrefix(t *testing.T, rdb redis.UniversalClient) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	p := "pbtest" + hex.EncodeToString(b)
	t.Cleanup(func() {
		ctx := context.Background()
		clean := func(ctx context.Context, c redis.UniversalClient) error {
			iter := c.Scan(ctx, 0, p+":*", 100).Iterator()
			for iter.Next(ctx) {
				c.Del(ctx, iter.Val())
			}
			return iter.Err()
		}
		if cc, ok := rdb.(*redis.ClusterClient); ok { // each node holds its own slots' keys
			_ = cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error { return clean(ctx, c) })
			return
		}
		_ = clean(ctx, rdb)
	})
	return p
}

func result(id, user string, answers string, at time.Time) assessment.Result {
	a, err := assessment.ParseAnswers(answers)
	if err != nil {
		panic(err)
	}
	return assessment.Result{ID: id, UserID: user, Perspective: assessment.Assistant, TakenAt: at, Answers: a}
}

func TestStoreContract(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			t.Run("history is append-only and ordered", func(t *testing.T) { testHistory(t, b) })
			t.Run("a retried submission is stored once", func(t *testing.T) { testDuplicate(t, b) })
			t.Run("users are apart", func(t *testing.T) { testUsersApart(t, b) })
			t.Run("one round trip per save", func(t *testing.T) { testRoundTrips(t, b) })
			t.Run("invalid input", func(t *testing.T) { testInvalid(t, b) })
			t.Run("pairs", func(t *testing.T) { testPairs(t, b) })
			t.Run("invitations", func(t *testing.T) { testInvitations(t, b) })
			t.Run("one pair between two people", func(t *testing.T) { testReversePair(t, b) })
			t.Run("modals opened for a user", func(t *testing.T) { testViewsOwned(t, b) })
			t.Run("former partnerships, and all of a user's keys deleted", func(t *testing.T) { testFormers(t, b) })
			t.Run("scorecard consents and asks, by scope", func(t *testing.T) { testConsents(t, b) })
			t.Run("check-in answers", func(t *testing.T) { testReflections(t, b) })
			t.Run("pair results", func(t *testing.T) { testPairResults(t, b) })
			t.Run("next steps and wishes", func(t *testing.T) { testStepsAndWishes(t, b) })
			t.Run("summary claims", func(t *testing.T) { testSummaryClaims(t, b) })
			t.Run("charter versions, acceptances and reviews, compare-and-set in the pair's slot", func(t *testing.T) { testCharter(t, b) })
			t.Run("roadmap goals and wins", func(t *testing.T) { testRoadmap(t, b) })
			t.Run("former goals, wins and check-ins", func(t *testing.T) { testFormerRoadmap(t, b) })
		})
	}
}

func testHistory(t *testing.T, b backend) {
	st, _ := b.open(t)
	ctx := context.Background()
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	if _, ok, err := st.SaveResult(ctx, result("s1", "U1", "YYYYYNNNNN", t0)); err != nil || ok {
		t.Fatalf("first SaveResult: ok=%v err=%v, want no previous and no error", ok, err)
	}
	prev, ok, err := st.SaveResult(ctx, result("s2", "U1", "YYYYYYYYNN", t0.Add(7*24*time.Hour)))
	if err != nil || !ok {
		t.Fatalf("second SaveResult: ok=%v err=%v", ok, err)
	}
	if prev.ID != "s1" || prev.Score() != 5 || !prev.TakenAt.Equal(t0) {
		t.Errorf("previous = %+v, want s1 with 5 at %v", prev, t0)
	}
	got, err := st.Results(ctx, "U1", 10)
	if err != nil {
		t.Fatalf("Results: %v", err)
	}
	if len(got) != 2 || got[0].ID != "s1" || got[1].ID != "s2" || got[1].Score() != 8 {
		t.Fatalf("Results = %+v, want s1 then s2", got)
	}
	if got[1].Perspective != assessment.Assistant || got[1].UserID != "U1" {
		t.Errorf("Results[1] = %+v", got[1])
	}
	last, err := st.Results(ctx, "U1", 1)
	if err != nil || len(last) != 1 || last[0].ID != "s2" {
		t.Errorf("Results(limit 1) = %+v, %v; want s2", last, err)
	}
}

func testDuplicate(t *testing.T, b backend) {
	st, _ := b.open(t)
	ctx := context.Background()
	now := time.Now()
	st.SaveResult(ctx, result("s1", "U1", "NNNNNNNNNN", now))
	st.SaveResult(ctx, result("s2", "U1", "YYYYYYYYYY", now))
	prev, ok, err := st.SaveResult(ctx, result("s2", "U1", "YYYYYYYYYY", now))
	if !errors.Is(err, ErrDuplicate) {
		t.Fatalf("retry error = %v, want ErrDuplicate", err)
	}
	if !ok || prev.ID != "s1" {
		t.Errorf("retry previous = %+v ok=%v, want s1", prev, ok)
	}
	got, _ := st.Results(ctx, "U1", 10)
	if len(got) != 2 {
		t.Errorf("history has %d results after a retry, want 2", len(got))
	}
}

func testUsersApart(t *testing.T, b backend) {
	st, _ := b.open(t)
	ctx := context.Background()
	st.SaveResult(ctx, result("same-id", "U1", "YYYYYYYYYY", time.Now()))
	if _, _, err := st.SaveResult(ctx, result("same-id", "U2", "NNNNNNNNNN", time.Now())); err != nil {
		t.Fatalf("U2 SaveResult with U1's submission id: %v", err)
	}
	got, _ := st.Results(ctx, "U2", 10)
	if len(got) != 1 || got[0].Score() != 0 {
		t.Errorf("U2 history = %+v, want its own one result", got)
	}
	none, err := st.Results(ctx, "U3", 10)
	if err != nil || len(none) != 0 {
		t.Errorf("U3 history = %+v, %v; want empty", none, err)
	}
}

// roundTrips counts the commands go-redis sends (a script run is one; a
// NOSCRIPT fallback would be two).
type roundTrips struct{ n int }

func (h *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { h.n++; return next(ctx, cmd) }
}
func (h *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error { h.n++; return next(ctx, cmds) }
}

func testRoundTrips(t *testing.T, b backend) {
	st, rdb := b.open(t)
	ctx := context.Background()
	st.SaveResult(ctx, result("warm", "U1", "YYYYYYYYYY", time.Now())) // loads the script
	h := &roundTrips{}
	rdb.AddHook(h)
	if _, _, err := st.SaveResult(ctx, result("s1", "U1", "YYYYYYYYYY", time.Now())); err != nil {
		t.Fatal(err)
	}
	if h.n != 1 {
		t.Errorf("SaveResult took %d round trips, want 1", h.n)
	}
}

func testInvalid(t *testing.T, b backend) {
	st, _ := b.open(t)
	if _, _, err := st.SaveResult(context.Background(), result("", "U1", "YYYYYYYYYY", time.Now())); err == nil {
		t.Error("SaveResult without an id succeeded")
	}
}

func TestRedisDown(t *testing.T) {
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr(), MaxRetries: -1, ContextTimeoutEnabled: true})
	defer rdb.Close()
	st := New(rdb, "pbtest")
	mr.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	if _, _, err := st.SaveResult(ctx, result("s1", "U1", "YYYYYYYYYY", time.Now())); err == nil {
		t.Fatal("SaveResult with Redis down succeeded")
	}
	if err := st.Ready(context.Background()); err == nil {
		t.Error("Ready with Redis down succeeded")
	}
}

func TestConnect(t *testing.T) {
	tests := []struct {
		url     string
		wantErr bool
		kind    string
	}{
		{"redis://127.0.0.1:6379/0", false, "*redis.Client"},
		{"rediss://user:pw@127.0.0.1:6380", false, "*redis.Client"},
		{"redis://127.0.0.1:26379?master_name=mymaster&addr=127.0.0.1:26380", false, "*redis.Client"},
		{"redis://127.0.0.1:7000?cluster=true&addr=127.0.0.1:7001", false, "*redis.ClusterClient"},
		{"http://127.0.0.1", true, ""},
	}
	for _, tt := range tests {
		rdb, err := Connect(tt.url)
		if (err != nil) != tt.wantErr {
			t.Errorf("Connect(%q) error = %v, want error %v", tt.url, err, tt.wantErr)
			continue
		}
		if err != nil {
			continue
		}
		if got := typeName(rdb); got != tt.kind {
			t.Errorf("Connect(%q) = %s, want %s", tt.url, got, tt.kind)
		}
		rdb.Close()
	}
}

func typeName(v any) string {
	switch v.(type) {
	case *redis.ClusterClient:
		return "*redis.ClusterClient"
	case *redis.Client:
		return "*redis.Client"
	}
	return "other"
}
