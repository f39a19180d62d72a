package health

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHandler(t *testing.T) {
	slackUp := false
	h := Handler(
		Check{"slack", func(context.Context) error {
			if !slackUp {
				return errors.New("down")
			}
			return nil
		}},
		Check{"redis", func(context.Context) error { return nil }},
	)
	get := func(path string) (int, string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		b, _ := io.ReadAll(rec.Body)
		return rec.Code, string(b)
	}
	if code, body := get("/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz = %d %q", code, body)
	}
	if code, body := get("/readyz"); code != 503 || !strings.Contains(body, "slack") || strings.Contains(body, "redis") {
		t.Errorf("/readyz with slack down = %d %q, want 503 naming slack only", code, body)
	}
	slackUp = true
	if code, body := get("/readyz"); code != 200 {
		t.Errorf("/readyz with all up = %d %q, want 200", code, body)
	}
	if code, _ := get("/nope"); code != 404 {
		t.Errorf("/nope = %d, want 404", code)
	}
}
