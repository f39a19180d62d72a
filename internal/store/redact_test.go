package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

const secretText = "Zqx wish: a weekly one-to-one"

// A command Redis does not know (as on a server older than the commands we
// send) comes back quoting its arguments; through the hook the error keeps
// its code and loses them, alone or in a pipeline. The hook leaves the
// NOSCRIPT answer that makes go-redis load a script alone.
func TestRedactHookLeavesOutArguments(t *testing.T) {
	for _, be := range backends() {
		t.Run(be.name, func(t *testing.T) {
			st, rdb := be.open(t)
			ctx := context.Background()
			if err := rdb.Do(ctx, "pbnosuchcmd", secretText).Err(); err == nil || !strings.Contains(err.Error(), secretText) {
				t.Fatalf("without the hook: %v, want an error quoting the argument", err)
			}
			rdb.AddHook(RedactHook())

			err := rdb.Do(ctx, "pbnosuchcmd", secretText).Err()
			if err == nil || strings.Contains(err.Error(), "Zqx") || !strings.Contains(err.Error(), "unknown command") {
				t.Errorf("with the hook: %v, want the unknown command without its arguments", err)
			}
			if !redis.HasErrorPrefix(err, "unknown command") {
				t.Errorf("errors.As no longer finds the Redis error in %v", err)
			}
			cmds, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
				p.Do(ctx, "pbnosuchcmd", "{x}", secretText)
				return nil
			})
			if err == nil || strings.Contains(err.Error(), "Zqx") || len(cmds) != 1 || strings.Contains(cmds[0].Err().Error(), "Zqx") {
				t.Errorf("in a pipeline: %v, want an error without the arguments", err)
			}

			// A first script call gets NOSCRIPT and loads the script.
			if _, _, err := st.SaveResult(ctx, result("V1", "U1", "YYYYYNNNNN", time.Now())); err != nil {
				t.Errorf("a script's first call through the hook: %v", err)
			}
		})
	}
}

func TestRedactCutsQuotedReplies(t *testing.T) {
	for _, err := range []error{
		fmt.Errorf("redis: can't parse %.100q", "$12\r\n"+secretText),
		fmt.Errorf("redis: invalid reply: %q", secretText),
		fmt.Errorf("expected digit or CRLF, got %q", secretText),
	} {
		got := redact(err)
		if strings.Contains(got.Error(), "Zqx") || !strings.Contains(got.Error(), "(reply left out)") || !errors.Is(got, err) {
			t.Errorf("redact(%v) = %v", err, got)
		}
	}
	for _, err := range []error{redis.Nil, context.DeadlineExceeded, errors.New(`tls: certificate is valid for "a", not "b"`)} {
		if got := redact(err); got != err {
			t.Errorf("redact(%v) = %v, want it unchanged", err, got)
		}
	}
}
