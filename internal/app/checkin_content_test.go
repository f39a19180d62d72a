package app

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/partnerbot/partnerbot/internal/bot"
	"github.com/partnerbot/partnerbot/internal/checkin"
	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/sender"
	"github.com/slack-go/slack"
)

type contentsFunc func(ctx context.Context, p partnership.Pair, user string) (partnership.CheckinContent, error)

func (f contentsFunc) CheckinContent(ctx context.Context, p partnership.Pair, user string) (partnership.CheckinContent, error) {
	return f(ctx, p, user)
}

// The check-in DM shows what it reviews; when that cannot be read, the DM
// goes out without it, and the log says so by the pair's id alone.
func TestDeliveryCheckinContent(t *testing.T) {
	p := partnership.Pair{ID: partnership.NewPairID(assistant, executive), Assistant: assistant, Executive: executive}
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	prompt := checkin.Prompt{Pair: p, User: assistant, Round: now, At: now, Reflection: "Respect and trust"}
	goal := partnership.Goal{ID: "g1", PairID: p.ID, Title: "Run the SECRETOFFSITE", Stage: partnership.StageNow, Status: partnership.GoalOnTrack, Owner: assistant}
	for _, tt := range []struct {
		name     string
		contents contentsFunc
		want     string
		wantLog  string
	}{
		{"content", func(context.Context, partnership.Pair, string) (partnership.CheckinContent, error) {
			return partnership.CheckinContent{Now: []partnership.Goal{goal}}, nil
		}, "SECRETOFFSITE", ""},
		{"content unreadable", func(context.Context, partnership.Pair, string) (partnership.CheckinContent, error) {
			return partnership.CheckinContent{}, errors.New("redis: connection refused")
		}, "Respect and trust", `"msg":"check-in content","pair":"` + string(p.ID) + `"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFake(t)
			api := slack.New(fake.BotToken(), slack.OptionAPIURL(fake.APIURL()), slack.OptionHTTPClient(&http.Client{Timeout: 5 * time.Second}))
			var logs syncBuffer
			d := bot.NewDelivery(api, sender.New(api, sender.Options{Rate: 100, Burst: 10}), &dueClock{t: now}, slog.New(slog.NewJSONHandler(&logs, nil))).
				WithContents(tt.contents)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := d.Prompt(ctx, prompt); err != nil {
				t.Fatal(err)
			}
			dms := fake.DMs(assistant)
			if len(dms) != 1 {
				t.Fatalf("%d DMs, want the check-in", len(dms))
			}
			if !contains(dms[0].Blocks, tt.want) {
				t.Errorf("the check-in lacks %q: %s", tt.want, dms[0].Blocks)
			}
			if tt.wantLog != "" && !strings.Contains(logs.String(), tt.wantLog) {
				t.Errorf("logs lack %s:\n%s", tt.wantLog, logs.String())
			}
			if strings.Contains(logs.String(), "SECRETOFFSITE") {
				t.Errorf("a goal's title reached the logs:\n%s", logs.String())
			}
		})
	}
}
