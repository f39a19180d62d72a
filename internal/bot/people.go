package bot

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/slack-go/slack"
)

// people caches users.info answers: Slack rate-limits it (Tier 4) and
// names change rarely.
type people struct {
	api   SlackAPI
	clock Clock
	ttl   time.Duration
	max   int

	mu    sync.Mutex
	cache map[string]cachedPerson
}

type cachedPerson struct {
	user slack.User
	at   time.Time
}

func newPeople(api SlackAPI, clock Clock) *people {
	return &people{api: api, clock: clock, ttl: time.Hour, max: 10000, cache: map[string]cachedPerson{}}
}

// get returns the user, from the cache when fresh.
func (p *people) get(ctx context.Context, id string) (slack.User, error) {
	now := p.clock.Now()
	p.mu.Lock()
	c, ok := p.cache[id]
	p.mu.Unlock()
	if ok && now.Sub(c.at) < p.ttl {
		return c.user, nil
	}
	u, err := p.api.GetUserInfoContext(ctx, id)
	if err != nil {
		return slack.User{}, fmt.Errorf("users.info %s: %w", id, err)
	}
	p.mu.Lock()
	if len(p.cache) >= p.max {
		clear(p.cache)
	}
	p.cache[id] = cachedPerson{user: *u, at: now}
	p.mu.Unlock()
	return *u, nil
}

// name is a display name for plain text (select options), falling back to
// the ID when Slack does not answer.
func (p *people) name(ctx context.Context, id string) string {
	u, err := p.get(ctx, id)
	if err != nil {
		return id
	}
	for _, n := range []string{u.RealName, u.Profile.RealName, u.Profile.DisplayName, u.Name} {
		if n != "" {
			return n
		}
	}
	return id
}
