// Package app wires partnerbot's parts together — config, Redis, Slack,
// the bot and the health server — and runs them until shutdown. Production
// (cmd/partnerbot) and the end-to-end tests use the same wiring.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/gorilla/websocket"
	"github.com/partnerbot/partnerbot/internal/bot"
	"github.com/partnerbot/partnerbot/internal/checkin"
	"github.com/partnerbot/partnerbot/internal/config"
	"github.com/partnerbot/partnerbot/internal/health"
	"github.com/partnerbot/partnerbot/internal/logsafe"
	"github.com/partnerbot/partnerbot/internal/metrics"
	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/schedule"
	"github.com/partnerbot/partnerbot/internal/sender"
	"github.com/partnerbot/partnerbot/internal/store"
	"github.com/redis/go-redis/v9"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// maxFrame bounds one Socket Mode frame. Slack's largest payloads (a view
// submission of a full modal) stay well under it; a larger frame drops the
// connection, which slack-go then reopens.
const maxFrame = 4 << 20

// App is a wired partnerbot, ready to Run.
type App struct {
	cfg      config.Config
	log      *slog.Logger
	rdb      redis.UniversalClient
	embedded *miniredis.Miniredis // nil with REDIS_URL set
	bot      *bot.Bot
	checkins *checkin.Service
	store    *store.Store
	sock     *socketmode.Client
	httpSrv  *http.Server
	httpLn   net.Listener
}

// Clock tells the time; the sandbox moves it forward to show a week of
// check-ins in a minute.
type Clock interface{ Now() time.Time }

// Options are the wiring's injectable parts; zero values are production's.
type Options struct {
	Clock Clock // default: the system clock
	// Observer is told of every envelope too, besides the metrics (the
	// load tool records exact ack latencies with it); may be nil.
	Observer bot.Observer
	// SocketDialer dials the Socket Mode WebSocket (default: slack-go's);
	// the end-to-end tests break sockets mid-write through the fake's.
	SocketDialer *websocket.Dialer
}

// New connects nothing slow: it builds the clients and binds HTTP_ADDR.
func New(cfg config.Config, log *slog.Logger) (*App, error) {
	return NewWithOptions(cfg, log, Options{})
}

// NewWithOptions is New with injected parts.
func NewWithOptions(cfg config.Config, log *slog.Logger, o Options) (*App, error) {
	a := &App{cfg: cfg, log: log}
	var clock Clock = systemClock{}
	if o.Clock != nil {
		clock = o.Clock
	}
	m := metrics.New() // served on HTTP_ADDR /metrics
	if cfg.RedisURL == "" {
		mr := miniredis.NewMiniRedis()
		if err := mr.StartAddr("127.0.0.1:0"); err != nil {
			return nil, fmt.Errorf("app: start embedded redis: %w", err)
		}
		a.embedded = mr
		a.rdb = redis.NewClient(&redis.Options{Addr: mr.Addr(), ContextTimeoutEnabled: true})
		log.Warn("REDIS_URL is not set: using an EMBEDDED in-memory Redis. Nothing is persistent: all data is lost when the bot stops. Set REDIS_URL for real use.")
	} else {
		rdb, err := store.Connect(cfg.RedisURL)
		if err != nil {
			return nil, fmt.Errorf("app: %w", err)
		}
		a.rdb = rdb
	}
	a.rdb.AddHook(m.RedisHook())
	a.rdb.AddHook(store.RedactHook()) // Redis errors end in the logs
	st := store.New(a.rdb, cfg.RedisPrefix)
	a.store = st

	httpClient := &http.Client{Timeout: cfg.SlackHTTPTimeout, Transport: m.SlackTransport(http.DefaultTransport)}
	api := slack.New(cfg.SlackBotToken,
		slack.OptionAPIURL(config.NormalizeAPIURL(cfg.SlackAPIURL)),
		slack.OptionAppLevelToken(cfg.SlackAppToken),
		slack.OptionHTTPClient(httpClient),
	)
	sockOpts := []socketmode.Option{socketmode.OptionReadLimit(maxFrame)}
	if o.SocketDialer != nil {
		sockOpts = append(sockOpts, socketmode.OptionDialer(o.SocketDialer))
	}
	a.sock = socketmode.New(api, sockOpts...)
	// Interactive replies and check-ins go through rate-limited senders that
	// wait out 429s; check-ins get their own budget so that a fan-out does
	// not hold up people clicking buttons.
	// Replies keep trying through a Slack outage until the after-ack work's
	// own deadline (30 s), rather than after five quick tries, at most 2 s
	// apart: someone is waiting for them.
	interactive := sender.New(api, sender.Options{Rate: 50, Burst: 20, MaxTries: 50, MaxBackoff: 2 * time.Second})
	bulk := sender.New(api, sender.Options{Rate: cfg.SlackPostRate, Burst: max(1, int(cfg.SlackPostRate))})
	pairs := partnership.NewService(st, clock)
	delivery := bot.NewDelivery(api, bulk, clock, log).WithContents(pairs)
	reminder := cfg.CheckinReminderDelay
	if reminder == 0 {
		reminder = -1 // off
	}
	ckCfg := checkin.Config{
		MinInterval: cfg.CheckinMinInterval, ReminderDelay: reminder, Grace: cfg.CheckinGrace,
		Lease: cfg.CheckinLease, PollInterval: cfg.CheckinPollInterval,
	}
	if cfg.ScorecardChannel != "" {
		spec, _ := schedule.Parse(cfg.ScorecardSchedule) // validated with the config
		loc, _ := time.LoadLocation(cfg.ScorecardTZ)
		ckCfg.Team = &checkin.Team{Spec: spec, Location: loc, FirstWeek: cfg.ScorecardFirstWeek,
			Post: bot.TeamPoster(pairs, delivery, cfg.ScorecardChannel)}
	}
	a.checkins = checkin.New(st, delivery, delivery, clock, log, m, ckCfg)
	var observer bot.Observer = m
	if o.Observer != nil {
		observer = observers{m, o.Observer}
	}
	a.bot = bot.New(api, pairs, a.checkins, delivery, clock, log, bot.Options{
		AckBudget: cfg.AckBudget,
		Observer:  observer,
		Seen:      st,
		Views:     st,
		Poster:    interactive,
		Respond:   responder(httpClient, config.NormalizeAPIURL(cfg.SlackAPIURL)),
	})

	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		a.closeRedis()
		return nil, fmt.Errorf("app: listen on HTTP_ADDR %s: %w", cfg.HTTPAddr, err)
	}
	a.httpLn = ln
	a.httpSrv = &http.Server{
		Handler: health.Handler(
			health.Check{Name: "slack", Fn: func(context.Context) error {
				if !a.bot.Connected() {
					return errors.New("socket mode not connected")
				}
				return nil
			}},
			health.Check{Name: "redis", Fn: st.Ready},
		),
		ReadHeaderTimeout: 5 * time.Second,
	}
	// /metrics beside /healthz and /readyz.
	mux := http.NewServeMux()
	mux.Handle("/metrics", m.Handler())
	mux.Handle("/", a.httpSrv.Handler)
	a.httpSrv.Handler = mux
	return a, nil
}

// NextCheckin is when the earliest queued check-in (or reminder) is due;
// zero when none is queued.
func (a *App) NextCheckin(ctx context.Context) (time.Time, error) { return a.store.OldestDue(ctx) }

// HTTPAddr is the address the health endpoints listen on (port 0 resolved).
func (a *App) HTTPAddr() string { return a.httpLn.Addr().String() }

// Run serves until ctx ends, then shuts down in order: stop taking
// envelopes, finish in-flight ones, close Slack, HTTP and Redis.
func (a *App) Run(ctx context.Context) error {
	a.log.Info("partnerbot starting", slog.String("http", a.HTTPAddr()), slog.String("slack_api", a.cfg.SlackAPIURL))
	httpDone := make(chan error, 1)
	go func() { httpDone <- a.httpSrv.Serve(a.httpLn) }()

	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	if err := a.rdb.Ping(pctx).Err(); err != nil {
		a.log.Warn("Redis does not answer yet; the bot will keep trying", slog.Any("error", err))
	}
	cancel()

	schedDone := make(chan error, 1)
	go func() { schedDone <- a.checkins.Run(ctx) }()

	err := a.bot.Run(ctx, a.sock, a.sock.Events, a.cfg.ShutdownTimeout)
	// The scheduler's in-flight batch gets a moment to finish before Redis
	// closes; a slow Redis must not hold the exit past SIGTERM's 10 s (what
	// it leaves claimed, another replica re-runs after the lease).
	select {
	case <-schedDone:
	case <-time.After(time.Second):
		a.log.Warn("check-ins still busy at shutdown; their claims will be re-run after the lease")
	}

	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
	defer cancel()
	if herr := a.httpSrv.Shutdown(sctx); herr != nil {
		a.log.Warn("http shutdown", slog.Any("error", herr))
	}
	if herr := <-httpDone; herr != nil && !errors.Is(herr, http.ErrServerClosed) {
		err = errors.Join(err, fmt.Errorf("app: http: %w", herr))
	}
	a.closeRedis()
	if err != nil {
		return err
	}
	a.log.Info("partnerbot stopped")
	return nil
}

func (a *App) closeRedis() {
	if err := a.rdb.Close(); err != nil {
		a.log.Warn("close redis", slog.Any("error", err))
	}
	if a.embedded != nil {
		a.embedded.Close()
	}
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// NewLogger builds the process logger: JSON, or text when LOG_FORMAT asks
// for it or is auto and w is a terminal.
func NewLogger(cfg config.Config, w io.Writer) *slog.Logger {
	level, _ := cfg.Level()
	opts := &slog.HandlerOptions{Level: level}
	text := cfg.LogFormat == "text"
	if cfg.LogFormat == "auto" {
		if f, ok := w.(*os.File); ok {
			if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
				text = true
			}
		}
	}
	if text {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// RouteRedisLogs sends go-redis's own log lines (reconnects, pool errors)
// to log at warn level. go-redis keeps one process-wide logger, so only
// main calls this.
func RouteRedisLogs(log *slog.Logger) { redis.SetLogger(redisLogger{log}) }

type redisLogger struct{ log *slog.Logger }

func (l redisLogger) Printf(ctx context.Context, format string, v ...any) {
	l.log.WarnContext(ctx, "redis: "+fmt.Sprintf(format, v...))
}

// responder posts ephemeral replies to a command's response_url. The URL
// comes inside the payload, so only Slack's own hosts (or the configured
// API's, for the fake) are trusted with a request.
func responder(client *http.Client, apiURL string) func(ctx context.Context, responseURL, text string) error {
	api, _ := url.Parse(apiURL)
	return func(ctx context.Context, responseURL, text string) error {
		u, err := url.Parse(responseURL)
		if err != nil || (u.Host != api.Host && !strings.HasSuffix(u.Hostname(), ".slack.com")) || (u.Scheme != "https" && u.Scheme != api.Scheme) {
			return errors.New("response_url is not a Slack URL")
		}
		err = slack.PostWebhookCustomHTTPContext(ctx, responseURL, client, &slack.WebhookMessage{
			Text: text, ResponseType: slack.ResponseTypeEphemeral, ReplaceOriginal: false,
		})
		return logsafe.WithoutURL(err) // the URL lets anyone post the reply: not for the logs
	}
}

// observers tells several observers of each envelope.
type observers []bot.Observer

func (obs observers) Envelope(envelopeType string, outcome bot.Outcome, ackLatency time.Duration) {
	for _, o := range obs {
		o.Envelope(envelopeType, outcome, ackLatency)
	}
}
