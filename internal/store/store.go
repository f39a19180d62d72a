// Package store keeps partnerbot's data in Redis: key schema, Lua scripts and
// one file per kind of record. It returns domain values, never Redis replies.
package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/redis/go-redis/v9"
)

// Store is the Redis-backed storage of partnerbot.
type Store struct {
	rdb  redis.UniversalClient
	keys keys
	// perSlot: a script call touches one pair's keys at most (Redis
	// Cluster), rather than a whole batch's.
	perSlot bool
}

// New returns a Store over rdb whose keys all start with prefix.
func New(rdb redis.UniversalClient, prefix string) *Store {
	_, cluster := rdb.(*redis.ClusterClient)
	return &Store{rdb: rdb, keys: keys{prefix: prefix}, perSlot: cluster}
}

// Ping reports whether Redis answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// Connect opens a client for a redis:// or rediss:// URL:
//
//	redis://[user:pass@]host:port[/db]                     one node
//	rediss://…                                             the same over TLS
//	redis://host:port?master_name=NAME&addr=host2:port…    Sentinel (host:ports are sentinels)
//	redis://host:port?cluster=true&addr=host2:port…        Redis Cluster (seed nodes)
//
// Every client honours context deadlines, so a slow Redis cannot hold an
// envelope past its ack budget.
func Connect(rawURL string) (redis.UniversalClient, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, errors.New("store: REDIS_URL is not a valid URL")
	}
	q := u.Query()
	switch {
	case q.Has("master_name"):
		o, err := redis.ParseFailoverURL(rawURL)
		if err != nil {
			return nil, fmt.Errorf("store: sentinel URL: %w", err)
		}
		o.ContextTimeoutEnabled = true
		return redis.NewFailoverClient(o), nil
	case q.Get("cluster") == "true":
		q.Del("cluster")
		u.RawQuery = q.Encode()
		o, err := redis.ParseClusterURL(u.String())
		if err != nil {
			return nil, fmt.Errorf("store: cluster URL: %w", err)
		}
		o.ContextTimeoutEnabled = true
		return redis.NewClusterClient(o), nil
	default:
		o, err := redis.ParseURL(rawURL)
		if err != nil {
			return nil, fmt.Errorf("store: redis URL: %w", err)
		}
		o.ContextTimeoutEnabled = true
		return redis.NewClient(o), nil
	}
}

// pingTimeout bounds a readiness check.
const pingTimeout = time.Second

// Ready is Ping with its own short deadline, for health endpoints.
func (s *Store) Ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	return s.Ping(ctx)
}
