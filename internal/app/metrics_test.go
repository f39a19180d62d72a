package app

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The bot serves /metrics beside the health endpoints, and what it reports
// comes from the real wiring: the Observer, the Slack transport, the
// Redis hook.
func TestMetricsEndpoint(t *testing.T) {
	h := start(t)
	base := "http://" + h.app.HTTPAddr()
	h.command(assistant, "help")

	wants := []string{
		`partnerbot_envelopes_total{outcome="ok",type="slash_commands"} 1`,
		`partnerbot_slack_api_calls_total{method="apps.connections.open",status="200"} `,
		`partnerbot_ack_latency_seconds_count{type="slash_commands"} 1`,
		`go_goroutines `,
	}
	// The envelope is counted just after its ack reaches Slack: poll briefly.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	var text string
	for {
		text = scrapeMetrics(t, base+"/metrics")
		if containsLines(text, wants) {
			break
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			t.Fatalf("/metrics lacks one of %q:\n%s", wants, text)
		}
	}
	for _, secret := range []string{h.fake.BotToken(), h.fake.AppToken()} {
		if strings.Contains(text, secret) {
			t.Errorf("/metrics shows a token")
		}
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		if got := get(t, base+path); got != http.StatusOK {
			t.Errorf("GET %s = %d beside /metrics, want 200", path, got)
		}
	}
}

func scrapeMetrics(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d, want 200", url, resp.StatusCode)
	}
	return string(body)
}

// containsLines reports whether every want starts a line of text.
func containsLines(text string, wants []string) bool {
	for _, w := range wants {
		found := false
		for line := range strings.Lines(text) {
			if strings.HasPrefix(line, w) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
