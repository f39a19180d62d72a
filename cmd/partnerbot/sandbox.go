package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/partnerbot/partnerbot/internal/app"
	"github.com/partnerbot/partnerbot/internal/config"
	"github.com/partnerbot/partnerbot/internal/sandbox"
)

// runSandbox runs `partnerbot sandbox`: the bot against a fake Slack, with
// a web page to use it as the seeded people, until ctx ends.
func runSandbox(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", envOr("SANDBOX_ADDR", sandbox.DefaultAddr), "address of the web page (env SANDBOX_ADDR)")
	redisURL := fs.String("redis", os.Getenv("REDIS_URL"), "Redis URL (env REDIS_URL); empty = an embedded, in-memory Redis")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: partnerbot sandbox [--addr host:port] [--redis redis://…]")
		fmt.Fprintln(stderr, "Runs the bot against a fake Slack workspace, with a web page to use it.")
		fs.PrintDefaults()
	}
	// The flag package has printed the error and the usage by then.
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return usageError{err: fmt.Errorf("sandbox: %w", err), shown: true}
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return usageError{err: fmt.Errorf("sandbox: unexpected argument %q", fs.Arg(0)), shown: true}
	}
	logCfg := config.Config{LogLevel: envOr("LOG_LEVEL", "warn"), LogFormat: envOr("LOG_FORMAT", "auto")}
	if _, err := logCfg.Level(); err != nil {
		return err
	}
	log := app.NewLogger(logCfg, stderr)
	app.RouteRedisLogs(log)
	sb, err := sandbox.New(sandbox.Options{Addr: *addr, RedisURL: *redisURL, Log: log})
	if err != nil {
		return err
	}
	go func() {
		if sb.WaitReady(ctx) == nil {
			fmt.Fprintf(stdout, "partnerbot sandbox: open %s in your browser (Ctrl-C stops it).\n", sb.URL())
		}
	}()
	log.Info("sandbox starting", slog.String("url", sb.URL()))
	return sb.Run(ctx)
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
