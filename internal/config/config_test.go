package config

import (
	"errors"
	"strings"
	"testing"
)

func validEnv(t *testing.T) {
	t.Helper()
	t.Setenv("SLACK_BOT_TOKEN", "xoxb-1")
	t.Setenv("SLACK_APP_TOKEN", "xapp-1")
}

func TestLoadDefaults(t *testing.T) {
	validEnv(t)
	c, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if c.SlackAPIURL != DefaultSlackAPIURL || c.HTTPAddr != ":8080" || c.RedisURL != "" || c.RedisPrefix != "pb" {
		t.Errorf("defaults = %+v", c)
	}
}

func TestLoadProblems(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want []string // each must appear on its own line
	}{
		{"no tokens", map[string]string{"SLACK_BOT_TOKEN": "", "SLACK_APP_TOKEN": ""}, []string{"SLACK_BOT_TOKEN and SLACK_APP_TOKEN are not set"}},
		{"swapped tokens", map[string]string{"SLACK_BOT_TOKEN": "xapp-1", "SLACK_APP_TOKEN": "xoxb-1"},
			[]string{"SLACK_BOT_TOKEN must be a bot token starting with xoxb-", "SLACK_APP_TOKEN must be an app-level token starting with xapp-"}},
		{"bad redis", map[string]string{"REDIS_URL": "http://secret@host"}, []string{"REDIS_URL must start with redis:// or rediss://"}},
		{"bad api url", map[string]string{"SLACK_API_URL": "ftp://x"}, []string{"SLACK_API_URL must be an http(s) URL"}},
		{"bad addr", map[string]string{"HTTP_ADDR": "8080"}, []string{"HTTP_ADDR must be host:port"}},
		{"bad level", map[string]string{"LOG_LEVEL": "loud"}, []string{"LOG_LEVEL must be debug, info, warn or error"}},
		{"bad duration", map[string]string{"ACK_BUDGET": "5s"}, []string{"ACK_BUDGET must be"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			validEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			_, err := Load()
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.want) {
				t.Errorf("got %d problems %q, want %d", len(lines), lines, len(tt.want))
			}
			for i, w := range tt.want {
				if i < len(lines) && !strings.HasPrefix(lines[i], w) {
					t.Errorf("problem %d = %q, want it to start with %q", i, lines[i], w)
				}
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("error leaks the REDIS_URL credentials: %v", err)
			}
		})
	}
}

func TestNoTokensIsRecognisable(t *testing.T) {
	t.Setenv("SLACK_BOT_TOKEN", "")
	t.Setenv("SLACK_APP_TOKEN", "")
	if _, err := Load(); !errors.Is(err, ErrNoTokens) {
		t.Errorf("Load error = %v, want ErrNoTokens", err)
	}
}

func TestNormalizeAPIURL(t *testing.T) {
	for in, want := range map[string]string{
		"":                         DefaultSlackAPIURL,
		"http://127.0.0.1:9/api":   "http://127.0.0.1:9/api/",
		"http://127.0.0.1:9/api/":  "http://127.0.0.1:9/api/",
		" https://slack.com/api/ ": "https://slack.com/api/",
	} {
		if got := NormalizeAPIURL(in); got != want {
			t.Errorf("NormalizeAPIURL(%q) = %q, want %q", in, got, want)
		}
	}
}
