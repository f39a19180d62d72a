// Command partnerbot runs the Slack bot. Configuration comes from the
// environment; see README.md. `partnerbot sandbox` runs it against a fake
// Slack with a web page instead, and `partnerbot healthcheck` checks a
// running bot's /healthz (for the container's HEALTHCHECK).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/partnerbot/partnerbot/internal/app"
	"github.com/partnerbot/partnerbot/internal/config"
)

func main() {
	if len(os.Args) == 2 && os.Args[1] == "healthcheck" {
		// The container's HEALTHCHECK: exit 0 when /healthz answers 200.
		cfg, err := config.Load()
		if err == nil {
			err = healthcheck(context.Background(), cfg.HTTPAddr)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "partnerbot:", err)
			os.Exit(1)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() { <-ctx.Done(); stop() }() // a second signal kills at once
	var err error
	if len(os.Args) >= 2 && os.Args[1] == "sandbox" {
		err = runSandbox(ctx, os.Args[2:], os.Stdout, os.Stderr)
	} else {
		err = run(ctx)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "partnerbot:", err)
		os.Exit(1)
	}
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
