package slackfake

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func newFake(t *testing.T, opts Options) *Server {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func newAPI(fake *Server, botToken, appToken string) *slack.Client {
	return slack.New(botToken,
		slack.OptionAPIURL(fake.APIURL()),
		slack.OptionAppLevelToken(appToken),
		slack.OptionHTTPClient(&http.Client{Timeout: 5 * time.Second}))
}

// bot is a real slack-go Socket Mode client driven by a test handler.
type bot struct {
	api    *slack.Client
	sm     *socketmode.Client
	runErr chan error
}

// startBot runs a socketmode client against fake; handle sees every event
// (in one goroutine, in order).
func startBot(t *testing.T, fake *Server, handle func(b *bot, evt socketmode.Event), opts ...socketmode.Option) *bot {
	t.Helper()
	api := newAPI(fake, fake.BotToken(), fake.AppToken())
	b := &bot{api: api, sm: socketmode.New(api, opts...), runErr: make(chan error, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { b.runErr <- b.sm.RunContext(ctx) }()
	evDone := make(chan struct{})
	go func() {
		defer close(evDone)
		for {
			select {
			case <-ctx.Done():
				return
			case evt := <-b.sm.Events:
				if handle != nil {
					handle(b, evt)
				}
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-evDone
		select {
		case <-b.runErr:
		case <-time.After(5 * time.Second):
			t.Error("socketmode client did not stop")
		}
	})
	return b
}

// ackAll acks every envelope with no payload.
func ackAll(b *bot, evt socketmode.Event) {
	if evt.Request != nil && evt.Request.EnvelopeID != "" {
		_ = b.sm.Ack(*evt.Request)
	}
}

// fakeClock is a settable clock for Options.Now.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// postRaw posts body (JSON, or url.Values-encoded when form) to a Web API
// method with the bot token and decodes the answer.
func postRaw(t *testing.T, fake *Server, method string, body any) (int, map[string]any) {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, fake.APIURL()+method, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+fake.BotToken())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s: decode answer: %v", method, err)
	}
	return resp.StatusCode, out
}

func hasProblem(problems []string, substr string) bool {
	for _, p := range problems {
		if strings.Contains(p, substr) {
			return true
		}
	}
	return false
}

func plain(text string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, text, false, false)
}

// testModal is a modal with a section, a required text input "note"
// (action "note_input") and an optional one "extra".
func testModal(title string) slack.ModalViewRequest {
	note := slack.NewInputBlock("note", plain("Note"), nil, slack.NewPlainTextInputBlockElement(nil, "note_input"))
	extra := slack.NewInputBlock("extra", plain("Extra"), nil, slack.NewPlainTextInputBlockElement(nil, "extra_input"))
	extra.Optional = true
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		Title:           plain(title),
		Submit:          plain("Save"),
		Close:           plain("Cancel"),
		CallbackID:      "pair_form",
		PrivateMetadata: "meta-1",
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, "*Hello*", false, false), nil, nil, slack.SectionBlockOptionBlockID("intro")),
			note,
			extra,
		}},
	}
}
