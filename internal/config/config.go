// Package config loads partnerbot's settings from the environment and
// validates them, naming the variable in every message.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/kelseyhightower/envconfig"
	"github.com/partnerbot/partnerbot/internal/schedule"
)

// DefaultSlackAPIURL is Slack's own Web API base URL.
const DefaultSlackAPIURL = "https://slack.com/api/"

// Config is every setting of the bot. Only the two tokens are required.
type Config struct {
	SlackBotToken string `envconfig:"SLACK_BOT_TOKEN"`
	SlackAppToken string `envconfig:"SLACK_APP_TOKEN"`
	// SlackAPIURL is the Web API base; tests and the sandbox point it at a fake.
	SlackAPIURL string `envconfig:"SLACK_API_URL" default:"https://slack.com/api/"`
	// RedisURL is redis:// or rediss://; empty means an embedded, non-persistent store.
	RedisURL string `envconfig:"REDIS_URL"`
	// RedisPrefix starts every key, so that several bots can share one Redis.
	RedisPrefix string `envconfig:"REDIS_PREFIX" default:"pb"`
	HTTPAddr    string `envconfig:"HTTP_ADDR" default:":8080"`
	LogLevel    string `envconfig:"LOG_LEVEL" default:"info"`
	// LogFormat is json, text, or auto (text on a terminal, JSON otherwise).
	LogFormat string `envconfig:"LOG_FORMAT" default:"auto"`
	// AckBudget bounds the work done before acking an envelope (Slack allows 3 s).
	AckBudget time.Duration `envconfig:"ACK_BUDGET" default:"2s"`
	// ShutdownTimeout bounds the wait for in-flight envelopes at SIGTERM.
	ShutdownTimeout time.Duration `envconfig:"SHUTDOWN_TIMEOUT" default:"8s"`
	// SlackHTTPTimeout bounds each Web API call.
	SlackHTTPTimeout time.Duration `envconfig:"SLACK_HTTP_TIMEOUT" default:"10s"`
	// SlackPostRate is how many check-in messages per second the bot sends
	// at most, shared by every check-in of this process.
	SlackPostRate float64 `envconfig:"SLACK_POST_RATE" default:"5"`

	// CheckinMinInterval is the shortest gap a check-in schedule may have.
	CheckinMinInterval time.Duration `envconfig:"CHECKIN_MIN_INTERVAL" default:"24h"`
	// CheckinReminderDelay is when one reminder follows an unanswered check-in
	// (none when the next check-in comes first); 0 turns reminders off.
	CheckinReminderDelay time.Duration `envconfig:"CHECKIN_REMINDER_DELAY" default:"24h"`
	// CheckinGrace is how late a missed check-in may still go out (after downtime).
	CheckinGrace time.Duration `envconfig:"CHECKIN_GRACE" default:"24h"`
	// CheckinPollInterval is how often each replica looks for due check-ins.
	CheckinPollInterval time.Duration `envconfig:"CHECKIN_POLL_INTERVAL" default:"5s"`
	// CheckinLease is how long a replica owns a claimed check-in before another may retry it.
	CheckinLease time.Duration `envconfig:"CHECKIN_LEASE" default:"2m"`

	// ScorecardChannel gets the periodic team scorecard (a channel ID); empty = off.
	ScorecardChannel string `envconfig:"SCORECARD_CHANNEL"`
	// ScorecardSchedule is the team scorecard's cron spec.
	ScorecardSchedule string `envconfig:"SCORECARD_SCHEDULE" default:"0 9 * * MON"`
	// ScorecardFirstWeek keeps only occurrences in the first 7 days of a month
	// (with the default spec: the first Monday of the month).
	ScorecardFirstWeek bool `envconfig:"SCORECARD_FIRST_WEEK" default:"true"`
	// ScorecardTZ is the zone the team scorecard's spec is read in.
	ScorecardTZ string `envconfig:"SCORECARD_TZ" default:"UTC"`
}

// Load reads the environment and validates the result.
func Load() (Config, error) {
	var c Config
	if err := envconfig.Process("", &c); err != nil {
		return c, fmt.Errorf("config: %w", err)
	}
	c.SlackAPIURL = NormalizeAPIURL(c.SlackAPIURL)
	return c, c.Validate()
}

// NormalizeAPIURL adds the trailing slash slack-go needs: without it
// "…/api" + "apps.connections.open" becomes a 404 that slack-go reads as
// invalid auth.
func NormalizeAPIURL(u string) string {
	u = strings.TrimSpace(u)
	if u == "" {
		return DefaultSlackAPIURL
	}
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}

// ErrNoTokens is returned (joined with any other problem) when neither Slack
// token is set, so that main can explain how to get them.
var ErrNoTokens = errors.New("SLACK_BOT_TOKEN and SLACK_APP_TOKEN are not set")

// Validate reports every problem, one line each.
func (c Config) Validate() error {
	var errs []error
	switch {
	case c.SlackBotToken == "" && c.SlackAppToken == "":
		errs = append(errs, ErrNoTokens)
	default:
		if !strings.HasPrefix(c.SlackBotToken, "xoxb-") {
			errs = append(errs, errors.New("SLACK_BOT_TOKEN must be a bot token starting with xoxb-"))
		}
		if !strings.HasPrefix(c.SlackAppToken, "xapp-") {
			errs = append(errs, errors.New("SLACK_APP_TOKEN must be an app-level token starting with xapp- (scope connections:write)"))
		}
	}
	if u, err := url.Parse(c.SlackAPIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("SLACK_API_URL must be an http(s) URL, got %q", c.SlackAPIURL))
	}
	if c.RedisURL != "" {
		if u, err := url.Parse(c.RedisURL); err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") {
			// Never echo the value: it may hold a password.
			errs = append(errs, errors.New("REDIS_URL must start with redis:// or rediss:// (or be empty for the embedded store)"))
		}
	}
	if c.RedisPrefix == "" || strings.ContainsAny(c.RedisPrefix, "{} :") {
		errs = append(errs, fmt.Errorf("REDIS_PREFIX must be non-empty without spaces, colons or braces, got %q", c.RedisPrefix))
	}
	if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		errs = append(errs, fmt.Errorf("HTTP_ADDR must be host:port or :port (port 0 picks a free one), got %q", c.HTTPAddr))
	}
	if _, err := c.Level(); err != nil {
		errs = append(errs, err)
	}
	switch c.LogFormat {
	case "auto", "json", "text":
	default:
		errs = append(errs, fmt.Errorf("LOG_FORMAT must be auto, json or text, got %q", c.LogFormat))
	}
	if c.AckBudget <= 0 || c.AckBudget > 2500*time.Millisecond {
		errs = append(errs, fmt.Errorf("ACK_BUDGET must be more than 0 and at most 2.5s (Slack drops acks after 3s), got %s", c.AckBudget))
	}
	if c.ShutdownTimeout <= 0 || c.ShutdownTimeout > 9*time.Second {
		errs = append(errs, fmt.Errorf("SHUTDOWN_TIMEOUT must be more than 0 and at most 9s, got %s", c.ShutdownTimeout))
	}
	if !(c.SlackPostRate > 0) {
		errs = append(errs, fmt.Errorf("SLACK_POST_RATE must be more than 0 messages per second, got %v", c.SlackPostRate))
	}
	for _, d := range []struct {
		name string
		v    time.Duration
		min  time.Duration
	}{
		{"CHECKIN_MIN_INTERVAL", c.CheckinMinInterval, time.Second},
		{"CHECKIN_GRACE", c.CheckinGrace, time.Second},
		{"CHECKIN_POLL_INTERVAL", c.CheckinPollInterval, 10 * time.Millisecond},
		{"CHECKIN_LEASE", c.CheckinLease, time.Second},
	} {
		if d.v < d.min {
			errs = append(errs, fmt.Errorf("%s must be at least %s, got %s", d.name, d.min, d.v))
		}
	}
	if c.ScorecardChannel != "" && !strings.HasPrefix(c.ScorecardChannel, "C") && !strings.HasPrefix(c.ScorecardChannel, "G") {
		errs = append(errs, fmt.Errorf("SCORECARD_CHANNEL must be a channel ID (C… or G…), got %q", c.ScorecardChannel))
	}
	if _, err := schedule.Parse(c.ScorecardSchedule); err != nil {
		errs = append(errs, fmt.Errorf("SCORECARD_SCHEDULE: %w", err))
	}
	if _, err := time.LoadLocation(c.ScorecardTZ); err != nil {
		errs = append(errs, fmt.Errorf("SCORECARD_TZ must be an IANA time zone like Europe/Paris, got %q", c.ScorecardTZ))
	}
	if c.CheckinReminderDelay < 0 {
		errs = append(errs, fmt.Errorf("CHECKIN_REMINDER_DELAY must be 0 (off) or more, got %s", c.CheckinReminderDelay))
	}
	if c.SlackHTTPTimeout <= 0 {
		errs = append(errs, fmt.Errorf("SLACK_HTTP_TIMEOUT must be more than 0, got %s", c.SlackHTTPTimeout))
	}
	return errors.Join(errs...)
}

// Level parses LOG_LEVEL (debug, info, warn, error).
func (c Config) Level() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return l, fmt.Errorf("LOG_LEVEL must be debug, info, warn or error, got %q", c.LogLevel)
	}
	return l, nil
}
