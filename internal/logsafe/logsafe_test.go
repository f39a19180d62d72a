package logsafe

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
	"testing"

	"github.com/gorilla/websocket"
)

const secret = "Zqx wish: a weekly one-to-one"

func jsonError(t *testing.T, doc string, v any) error {
	t.Helper()
	err := json.Unmarshal([]byte(doc), v)
	if err == nil {
		t.Fatalf("json.Unmarshal(%s) succeeded", doc)
	}
	return err
}

func TestCause(t *testing.T) {
	var text struct {
		Text int `json:"text"`
	}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"JSON syntax", fmt.Errorf("parsing: %w", jsonError(t, `{"text":"`+secret+`"`, &text)), "invalid JSON at byte"},
		{"JSON type", fmt.Errorf("parsing slash command: %w", jsonError(t, `{"text":"`+secret+`"}`, &text)), "JSON string where int belongs, at byte"},
		{"JSON number", jsonError(t, `{"text":1e400}`, &text), "JSON number where int belongs"},
		{"websocket close", &websocket.CloseError{Code: 1006, Text: secret}, "websocket closed with code 1006"},
		{"closed connection", &net.OpError{Op: "read", Net: "tcp", Err: net.ErrClosed}, "use of closed network connection"},
		{"reset", &net.OpError{Op: "write", Net: "tcp", Err: syscall.ECONNRESET}, "write: connection reset by peer"},
		{"end of stream", fmt.Errorf("%s: %w", secret, io.ErrUnexpectedEOF), "unexpected EOF"},
		{"unknown", fmt.Errorf("processing WebSocket message: encountered unsupported type %q", secret), "*errors.errorString"},
	}
	for _, tt := range tests {
		got := Cause(tt.err)
		if !strings.HasPrefix(got, tt.want) || strings.Contains(got, "Zqx") {
			t.Errorf("Cause(%s) = %q, want %q… without the content", tt.name, got, tt.want)
		}
	}
}

func TestPanic(t *testing.T) {
	var runtimeErr error
	func() {
		defer func() { runtimeErr, _ = recover().(error) }()
		var m map[string]int
		m[secret]++
	}()
	tests := []struct {
		name string
		p    any
		want string
	}{
		{"runtime error", runtimeErr, "assignment to entry in nil map"},
		{"string", "answers " + secret, "string"},
		{"error", errors.New(secret), "*errors.errorString"},
		{"value", struct{ Note string }{secret}, "struct { Note string }"},
	}
	for _, tt := range tests {
		if got := Panic(tt.p); got != tt.want {
			t.Errorf("Panic(%s) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestWithoutURL(t *testing.T) {
	hook := "https://hooks.slack.com/commands/T1/1234/Zqx-secret"
	err := fmt.Errorf("failed to post webhook: %w", &url.Error{Op: "Post", URL: hook, Err: context.DeadlineExceeded})
	got := WithoutURL(err)
	if strings.Contains(got.Error(), "Zqx") || got.Error() != "failed to post webhook: Post (URL left out): context deadline exceeded" {
		t.Errorf("WithoutURL = %q", got)
	}
	if !errors.Is(got, context.DeadlineExceeded) {
		t.Error("WithoutURL hides the cause from errors.Is")
	}
	if plain := errors.New("slack server error: 503"); WithoutURL(plain) != plain {
		t.Error("WithoutURL changed an error without a URL")
	}
}
