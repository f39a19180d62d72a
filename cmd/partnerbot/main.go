// Command partnerbot runs the Slack bot. Configuration comes from the
// environment; see README.md. `partnerbot sandbox` runs it against a fake
// Slack with a web page instead, `partnerbot healthcheck` checks a running
// bot's /healthz (for the container's HEALTHCHECK), and `partnerbot help`
// says so.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/partnerbot/partnerbot/internal/app"
	"github.com/partnerbot/partnerbot/internal/config"
)

func main() { os.Exit(cli(os.Args[1:], os.Stdout, os.Stderr)) }

// usage is what `partnerbot help` prints. The defaults are config's
// (TestUsageNamesRealVariables checks them).
const usage = `partnerbot: a Slack bot that helps an executive assistant and their executive build a partnership.

Usage:
  partnerbot               run the bot in your Slack workspace, configured by the environment
  partnerbot sandbox [--addr 127.0.0.1:3000] [--redis redis://…]
                           try it without a Slack workspace: the real bot against a fake
                           Slack, with a web page to use it as an assistant and an executive
  partnerbot healthcheck   exit 0 when the running bot's /healthz answers (Docker's HEALTHCHECK)
  partnerbot help          this text (also -h, --help)

Main environment variables:
  SLACK_BOT_TOKEN       the bot token, xoxb-… (required)
  SLACK_APP_TOKEN       an app-level token with connections:write, xapp-… (required)
  REDIS_URL             redis://host:port/db, rediss://… for TLS (default empty: an embedded,
                        in-memory Redis, and nothing survives a restart)
  HTTP_ADDR             where /healthz, /readyz and /metrics listen (default :8080)
  LOG_LEVEL             debug, info, warn or error (default info)
  LOG_FORMAT            json, text or auto (default auto: text on a terminal)
  CHECKIN_MIN_INTERVAL  the shortest gap a check-in schedule may have (default 24h)
  SCORECARD_CHANNEL     channel ID for the periodic team scorecard (default empty: off)
  SANDBOX_ADDR          the sandbox's web page (default 127.0.0.1:3000)

Every variable, the Slack app's setup and the sandbox: README.md, also at
https://github.com/partnerbot/partnerbot#readme
`

// usageError is a command line partnerbot does not understand: the usage
// goes with it (unless shown already, as the sandbox's flags do), and the
// exit code is 2.
type usageError struct {
	err   error
	shown bool
}

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// cli runs the mode args name and returns the exit code: 0 when it ran
// (or printed the usage asked for), 1 when it failed, 2 for a command line
// it does not understand.
func cli(args []string, stdout, stderr io.Writer) int {
	mode, rest := "", args
	if len(args) > 0 {
		mode, rest = args[0], args[1:]
	}
	var err error
	switch mode {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	case "healthcheck":
		if len(rest) > 0 {
			err = usageError{err: fmt.Errorf("healthcheck takes no arguments, got %q", rest[0])}
			break
		}
		// The container's HEALTHCHECK: exit 0 when /healthz answers 200.
		var cfg config.Config
		if cfg, err = config.Load(); err == nil {
			err = healthcheck(context.Background(), cfg.HTTPAddr)
		}
	case "sandbox", "":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		go func() { <-ctx.Done(); stop() }() // a second signal kills at once
		if mode == "sandbox" {
			err = runSandbox(ctx, rest, stdout, stderr)
		} else {
			err = run(ctx)
		}
	default:
		err = usageError{err: fmt.Errorf("unknown mode or flag %q", mode)}
	}
	if ue, ok := errors.AsType[usageError](err); ok {
		if !ue.shown {
			fmt.Fprintf(stderr, "partnerbot: %v\n\n%s", ue, usage)
		}
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "partnerbot:", err)
		return 1
	}
	return 0
}

const noTokensHelp = `To try partnerbot without a Slack workspace, run the sandbox: the bot against a fake
Slack, with a web page to use it as an assistant and an executive:
  go run ./cmd/partnerbot sandbox      (then open http://127.0.0.1:3000)

To run it in your Slack workspace, create an app from deploy/slack-app-manifest.yaml
(https://api.slack.com/apps → Create New App → From a manifest), install it, then set:
  SLACK_BOT_TOKEN  the Bot User OAuth Token (xoxb-…) from "OAuth & Permissions"
  SLACK_APP_TOKEN  an app-level token (xapp-…) with connections:write, from "Basic Information"
and run again. README.md has the details.`

func run(ctx context.Context) error {
	cfg, err := config.Load()
	if errors.Is(err, config.ErrNoTokens) {
		return fmt.Errorf("%w\n%s", err, noTokensHelp)
	}
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	log := app.NewLogger(cfg, os.Stderr)
	app.RouteRedisLogs(log)
	a, err := app.New(cfg, log)
	if err != nil {
		return err
	}
	return a.Run(ctx)
}
