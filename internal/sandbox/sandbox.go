// Package sandbox runs partnerbot without a Slack workspace: the real bot,
// wired as in production, against the fake Slack of internal/slackfake,
// with a web page that looks and works like a small Slack.
package sandbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/partnerbot/partnerbot/internal/app"
	"github.com/partnerbot/partnerbot/internal/config"
	"github.com/partnerbot/partnerbot/internal/slackfake"
)

// DefaultAddr is where the page is served unless Options.Addr says
// otherwise.
const DefaultAddr = "127.0.0.1:3000"

// The seeded workspace: the pair-to-be, a third person and #general.
const (
	AssistantID = "UADA"
	ExecutiveID = "UEVE"
	ThirdID     = "UTOM"
	GeneralID   = "C0GENERAL"
)

// seedUsers are the people of the sandbox workspace, in the order the page
// offers them.
var seedUsers = []slackfake.User{
	{ID: AssistantID, Name: "ada", RealName: "Ada Assistant", TZ: "Europe/Paris"},
	{ID: ExecutiveID, Name: "eve", RealName: "Eve Executive", TZ: "America/New_York"},
	{ID: ThirdID, Name: "tom", RealName: "Tom Teammate", TZ: "Europe/London"},
}

// Options configure a Sandbox. The zero value serves DefaultAddr with the
// embedded Redis.
type Options struct {
	// Addr is the web page's listen address; port 0 picks a free one.
	Addr string
	// RedisURL points the bot at a real Redis; empty = the embedded one.
	RedisURL string
	// Log receives the bot's and the fake Slack's logs. Default: discard.
	Log *slog.Logger
}

// Sandbox is the fake Slack, the bot and the web page, in one process.
type Sandbox struct {
	log   *slog.Logger
	fake  *slackfake.Server
	bot   *app.App
	clock *Clock
	web   *http.Server
	ln    net.Listener
	jumps chan struct{} // one jump at a time
	// minInterval is the bot's CHECKIN_MIN_INTERVAL here, which the page
	// states.
	minInterval time.Duration
}

// New starts the fake Slack and binds the page's address; Run starts the
// bot and serves the page.
func New(o Options) (*Sandbox, error) {
	if o.Addr == "" {
		o.Addr = DefaultAddr
	}
	log := o.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	fake, err := slackfake.New(slackfake.Options{Logger: log.With(slog.String("component", "slackfake"))})
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	seed(fake)
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		fake.Close()
		return nil, fmt.Errorf("sandbox: listen on %s: %w", o.Addr, err)
	}
	clock := NewClock(time.Now)
	cfg := botConfig(fake, o.RedisURL)
	if err := cfg.Validate(); err != nil {
		ln.Close()
		fake.Close()
		return nil, fmt.Errorf("sandbox: configuration:\n%w", err)
	}
	bot, err := app.NewWithOptions(cfg, log, app.Options{Clock: clock})
	if err != nil {
		ln.Close()
		fake.Close()
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	s := &Sandbox{log: log, fake: fake, bot: bot, clock: clock, ln: ln, jumps: make(chan struct{}, 1), minInterval: cfg.CheckinMinInterval}
	s.web = &http.Server{Handler: s.routes(), ReadHeaderTimeout: 5 * time.Second}
	return s, nil
}

// seed adds the workspace's people, the bot user and #general.
func seed(fake *slackfake.Server) {
	now := time.Now()
	for _, u := range seedUsers {
		if loc, err := time.LoadLocation(u.TZ); err == nil {
			name, off := now.In(loc).Zone()
			u.TZLabel, u.TZOffset = name, off
		}
		fake.AddUser(u)
	}
	fake.AddUser(slackfake.User{ID: fake.BotUserID(), Name: "partnerbot", RealName: "Partnerbot", IsBot: true})
	fake.AddChannel(GeneralID, "general", true)
}

// botConfig is production's configuration pointed at the fake, with
// check-ins polled often enough for the "jump" to show at once. Every value
// is set here: the environment's Slack tokens are not the sandbox's.
func botConfig(fake *slackfake.Server, redisURL string) config.Config {
	return config.Config{
		SlackBotToken:        fake.BotToken(),
		SlackAppToken:        fake.AppToken(),
		SlackAPIURL:          fake.APIURL(),
		RedisURL:             redisURL,
		RedisPrefix:          "sandbox", // never the production bot's keys in a shared Redis
		HTTPAddr:             "127.0.0.1:0",
		LogLevel:             "info",
		LogFormat:            "auto",
		AckBudget:            2 * time.Second,
		ShutdownTimeout:      3 * time.Second,
		SlackHTTPTimeout:     10 * time.Second,
		SlackPostRate:        50,
		CheckinMinInterval:   time.Minute,
		CheckinReminderDelay: 24 * time.Hour,
		CheckinGrace:         24 * time.Hour,
		CheckinPollInterval:  200 * time.Millisecond,
		CheckinLease:         30 * time.Second,
		ScorecardSchedule:    "0 9 * * MON",
		ScorecardFirstWeek:   true,
		ScorecardTZ:          "UTC",
	}
}

// URL is the page's address.
func (s *Sandbox) URL() string { return "http://" + s.ln.Addr().String() + "/" }

// Clock is the sandbox's clock, which the bot reads.
func (s *Sandbox) Clock() *Clock { return s.clock }

// Slack is the fake Slack the bot talks to.
func (s *Sandbox) Slack() *slackfake.Server { return s.fake }

// WaitReady blocks until the bot's Socket Mode connection is up.
func (s *Sandbox) WaitReady(ctx context.Context) error { return s.fake.WaitConnected(ctx, 1) }

// Run runs the bot and serves the page until ctx ends, then shuts both
// down and closes the fake Slack.
func (s *Sandbox) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	botDone := make(chan error, 1)
	go func() { botDone <- s.bot.Run(ctx) }()
	webDone := make(chan error, 1)
	go func() { webDone <- s.web.Serve(s.ln) }()

	var botErr, webErr error
	botStopped, webStopped := false, false
	select {
	case <-ctx.Done():
	case botErr = <-botDone:
		botStopped = true
	case webErr = <-webDone:
		webStopped = true
	}
	cancel()
	sctx, scancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
	defer scancel()
	_ = s.web.Shutdown(sctx) // the page's polls end with the process
	if !webStopped {
		webErr = <-webDone
	}
	if !botStopped {
		botErr = <-botDone
	}
	if errors.Is(webErr, http.ErrServerClosed) {
		webErr = nil
	} else if webErr != nil {
		webErr = fmt.Errorf("sandbox: serve: %w", webErr)
	}
	s.fake.Close()
	return errors.Join(botErr, webErr)
}
