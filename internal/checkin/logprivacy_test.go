package checkin_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/partnerbot/partnerbot/internal/checkin"
)

// panicking panics in Prompt with a value that holds someone's text.
type panicking struct{ *notifier }

func (panicking) Prompt(context.Context, checkin.Prompt) error {
	panic("cannot send the reflection with Zqx wish: a weekly one-to-one")
}

// A panic in a job is logged by its type and stack, not its value.
func TestPanicInJobLogsNoContent(t *testing.T) {
	f := newFixture(t, checkin.Config{ReminderDelay: -1}, zones{})
	var logs bytes.Buffer
	svc := checkin.New(f.st, panicking{f.notes}, zones{}, f.clk, slog.New(slog.NewJSONHandler(&logs, nil)), nil, f.cfg)
	f.clk.Set(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	if _, err := svc.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := logs.String()
	if !strings.Contains(got, `"msg":"panic in check-in job"`) || !strings.Contains(got, `"panic":"string"`) || !strings.Contains(got, "logprivacy_test.go") {
		t.Errorf("no line with the panic's type and stack:\n%s", got)
	}
	if strings.Contains(got, "Zqx") {
		t.Errorf("the log holds the panic's value:\n%s", got)
	}
}
