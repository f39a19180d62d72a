package sender

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/slack-go/slack"
)

// postAll runs posts Posts on s from workers goroutines and fails the test
// on any error.
func postAll(t *testing.T, s *Sender, posts, workers int) {
	t.Helper()
	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	for range workers {
		wg.Go(func() {
			for range jobs {
				if _, _, err := s.Post(t.Context(), "U1"); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		})
	}
	for i := range posts {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("Post() errors: %v", err)
	}
}

// checkSpacing fails if more than burst calls start within any interval.
func checkSpacing(t *testing.T, calls []time.Time, burst int, interval time.Duration) {
	t.Helper()
	for i := 0; i+burst < len(calls); i++ {
		if gap := calls[i+burst].Sub(calls[i]); gap < interval {
			t.Fatalf("calls %d and %d start %v apart, want ≥ %v (at most %d per %v)", i, i+burst, gap, interval, burst, interval)
		}
	}
}

func TestLimiterSharedRate(t *testing.T) {
	const (
		rate    = 50
		posts   = 200
		workers = 8
	)
	interval := time.Second / rate
	for _, burst := range []int{1, 4} {
		t.Run(fmt.Sprintf("burst %d", burst), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				clk := &recordClock{}
				p := &scriptPoster{clk: clk}
				s := New(p, Options{Rate: rate, Burst: burst, Clock: clk})
				start := time.Now()

				postAll(t, s, posts, workers)

				calls := p.Calls()
				if len(calls) != posts {
					t.Fatalf("calls = %d, want %d", len(calls), posts)
				}
				slices.SortFunc(calls, time.Time.Compare)
				// The first burst goes at once, the rest one interval apart:
				// 3.98 s for 200 calls at 50/s with burst 1.
				want := time.Duration(posts-burst) * interval
				if got := calls[len(calls)-1].Sub(start); got < want || got > want+interval {
					t.Errorf("last call at %v, want %v (the full allowed rate, no faster)", got, want)
				}
				checkSpacing(t, calls, burst, interval)
			})
		})
	}
}

func TestRateLimitPausesEveryone(t *testing.T) {
	const (
		rate    = 50
		posts   = 100
		workers = 8
		failAt  = 20 // the call that is rate limited
	)
	interval := time.Second / rate
	tests := []struct {
		name      string
		err       error
		wantPause time.Duration
	}{
		{"429 with Retry-After", &slack.RateLimitedError{RetryAfter: time.Second}, time.Second},
		{"429 without Retry-After", slack.StatusCodeError{Code: 429}, 300 * time.Millisecond},
		{"rate_limited in the body", slackErr("rate_limited"), 300 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				clk := &recordClock{}
				p := &scriptPoster{clk: clk, fail: func(n int) error {
					if n == failAt {
						return tt.err
					}
					return nil
				}}
				s := New(p, Options{Rate: rate, Clock: clk, BaseBackoff: 300 * time.Millisecond})

				postAll(t, s, posts, workers)

				calls := p.Calls()
				if len(calls) != posts+1 {
					t.Fatalf("calls = %d, want %d (every post once, plus the retry)", len(calls), posts+1)
				}
				limited := calls[failAt-1]
				resume := limited.Add(tt.wantPause)
				for i, at := range calls[failAt:] {
					if at.Before(resume) {
						t.Errorf("call %d started %v after the rate-limited call, want ≥ %v", failAt+1+i, at.Sub(limited), tt.wantPause)
					}
				}
				if !calls[failAt].Equal(resume) {
					t.Errorf("first call after the pause at +%v, want +%v", calls[failAt].Sub(limited), tt.wantPause)
				}
				checkSpacing(t, calls, 1, interval)
			})
		})
	}
}
