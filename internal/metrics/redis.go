package metrics

import (
	"context"
	"errors"
	"strings"

	"github.com/redis/go-redis/v9"
)

// RedisHook returns a go-redis hook that counts failed commands by name.
// Not counted: a missing key (redis.Nil), which is an answer; the NOSCRIPT
// reply that makes go-redis load a Lua script on first use; and the
// connection handshake (HELLO, CLIENT SETINFO, …), whose errors go-redis
// tolerates on servers that lack those commands — a handshake that really
// fails fails the command that needed the connection, which is counted.
func (m *Metrics) RedisHook() redis.Hook { return redisHook{m: m} }

type redisHook struct{ m *Metrics }

func (h redisHook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h redisHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		// The returned error, not cmd.Err(): go-redis may set the latter
		// only after every hook has returned.
		err := next(ctx, cmd)
		h.count(cmd.Name(), err)
		return err
	}
}

func (h redisHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		err := next(ctx, cmds)
		for _, cmd := range cmds {
			h.count(cmd.Name(), cmd.Err())
		}
		return err
	}
}

func (h redisHook) count(command string, err error) {
	switch {
	case err == nil, errors.Is(err, redis.Nil), strings.HasPrefix(err.Error(), "NOSCRIPT"):
		return
	case command == "hello" || command == "client":
		return
	}
	h.m.redisErrors.WithLabelValues(command).Inc()
}
