package main

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestSandboxCommand(t *testing.T) {
	t.Setenv("REDIS_URL", "")
	var stdout, stderr syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- runSandbox(ctx, []string{"--addr", "127.0.0.1:0"}, &stdout, &stderr) }()

	url := regexp.MustCompile(`open (http://127\.0\.0\.1:\d+/) `)
	deadline := time.Now().Add(10 * time.Second)
	for !url.MatchString(stdout.String()) {
		if time.Now().After(deadline) {
			t.Fatalf("no URL printed; stdout %q, stderr %q", stdout.String(), stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	resp, err := http.Get(url.FindStringSubmatch(stdout.String())[1])
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET the page = %d, want 200", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("sandbox stopped with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the sandbox did not stop within 10 s")
	}
}

func TestSandboxCommandArguments(t *testing.T) {
	var out syncBuffer
	if err := runSandbox(context.Background(), []string{"extra"}, &out, &out); err == nil || !strings.Contains(err.Error(), "extra") {
		t.Errorf("runSandbox(extra) = %v, want an error naming the argument", err)
	}
	if err := runSandbox(context.Background(), []string{"-h"}, &out, &out); err != nil {
		t.Errorf("runSandbox(-h) = %v, want the usage and no error", err)
	}
	if !strings.Contains(out.String(), "usage: partnerbot sandbox") {
		t.Errorf("-h printed %q, want the usage", out.String())
	}
}

// Without tokens, the bot says how to run the sandbox and how to get them.
func TestNoTokensHelp(t *testing.T) {
	t.Setenv("SLACK_BOT_TOKEN", "")
	t.Setenv("SLACK_APP_TOKEN", "")
	err := run(context.Background())
	if err == nil {
		t.Fatal("run without tokens = nil, want the help")
	}
	for _, want := range []string{"go run ./cmd/partnerbot sandbox", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the help does not say %q:\n%v", want, err)
		}
	}
}
