package store

import (
	"context"
	"errors"
	"strings"

	"github.com/partnerbot/partnerbot/internal/logsafe"
	"github.com/redis/go-redis/v9"
)

// RedactHook returns a go-redis hook that keeps stored text out of the
// errors of commands, which end in the logs: Redis quotes the arguments of
// a command it does not know ("ERR unknown command 'x', with args beginning
// with: …", on a server older than the commands we send), and go-redis
// quotes the reply it cannot parse ("redis: can't parse …"). The message
// is cut before the quote; errors.Is and errors.As still see the original.
func RedactHook() redis.Hook { return redactHook{} }

type redactHook struct{}

func (redactHook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (redactHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		return redact(next(ctx, cmd))
	}
}

func (redactHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		err := next(ctx, cmds)
		for _, cmd := range cmds {
			if e := cmd.Err(); e != nil {
				cmd.SetErr(redact(e))
			}
		}
		return redact(err)
	}
}

func redact(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if _, fromServer := errors.AsType[redis.Error](err); fromServer {
		if head, _, quoted := strings.Cut(msg, ", with args beginning with:"); quoted {
			return logsafe.Reworded(err, head+" (arguments left out)")
		}
		return err
	}
	// go-redis's own protocol errors quote the reply with %q.
	if strings.HasPrefix(msg, "redis: ") || strings.HasPrefix(msg, "expected digit") {
		if head, _, quoted := strings.Cut(msg, `"`); quoted {
			return logsafe.Reworded(err, strings.TrimRight(head, " :")+" (reply left out)")
		}
	}
	return err
}
