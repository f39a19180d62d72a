package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/partnerbot/partnerbot/internal/config"
	"github.com/partnerbot/partnerbot/internal/tcpproxy"
)

// A slow Redis never holds an ack past the budget: the user is told to try
// again, in time, and the modal keeps the answers.
func TestSlowRedisAcksWithinBudget(t *testing.T) {
	var proxy *tcpproxy.Proxy
	h := startVia(t, func(addr string) string { proxy = newSlowProxy(t, addr); return proxy.Addr() })
	v := h.openAssessment(assistant)
	proxy.SetDelay(5 * time.Second)
	began := time.Now()
	ack := h.submit(assistant, v.ID, "YYYYYYYYYY")
	took := time.Since(began)
	if ack["response_action"] != "errors" {
		t.Fatalf("ack with a 5 s Redis = %v, want errors", ack)
	}
	mustContain(t, "errors", ack["errors"], "Could not save, please try again.")
	if took > 2500*time.Millisecond {
		t.Errorf("ack took %v with a slow Redis, want at most 2.5 s", took)
	}
	h.noProblems()
}

// SIGTERM to the real binary: an envelope in flight still gets its ack and
// its result is stored; the process exits 0 within 10 s.
// buildBot builds cmd/partnerbot once per test run.
var buildBot = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "partnerbot-bin")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "partnerbot")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/partnerbot/partnerbot/cmd/partnerbot").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %w\n%s", err, out)
	}
	return bin, nil
})

// process is the real binary running against the test's fake Slack and Redis.
type process struct {
	cmd    *exec.Cmd
	exited chan error
	logs   *syncBuffer
}

func startProcess(t *testing.T, cfg config.Config, env ...string) *process {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin, err := buildBot()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(),
		"SLACK_BOT_TOKEN="+cfg.SlackBotToken, "SLACK_APP_TOKEN="+cfg.SlackAppToken,
		"SLACK_API_URL="+cfg.SlackAPIURL, "REDIS_URL="+cfg.RedisURL,
		"HTTP_ADDR=127.0.0.1:0", "LOG_FORMAT=json", "LOG_LEVEL=debug")
	cmd.Env = append(cmd.Env, env...)
	p := &process{cmd: cmd, exited: make(chan error, 1), logs: &syncBuffer{}}
	cmd.Stdout, cmd.Stderr = p.logs, p.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		if t.Failed() {
			t.Logf("logs of process %d:\n%s", cmd.Process.Pid, p.logs.String())
		}
	})
	return p
}

func TestSIGTERMFinishesInFlight(t *testing.T) {
	fake := newFake(t)
	mr := miniredis.RunT(t)
	proxy := newSlowProxy(t, mr.Addr())
	cfg := testConfig(t, fake, proxy.Addr())
	proc := startProcess(t, cfg, "ACK_BUDGET=2500ms", "SHUTDOWN_TIMEOUT=8s")
	cmd, exited, logs := proc.cmd, proc.exited, proc.logs
	h := &harness{t: t, fake: fake}
	if err := fake.WaitConnected(h.ctx(), 1); err != nil {
		t.Fatalf("binary never connected: %v", err)
	}
	// A first result loads the Lua script while Redis is fast.
	h.submit(assistant, h.openAssessment(assistant).ID, "NNNNNNNNNN")

	v := h.openAssessment(assistant)
	// Each Redis reply takes 0.8 s: the de-duplication and the save fit in
	// the 2.5 s budget, and SIGTERM lands while they run.
	proxy.SetDelay(800 * time.Millisecond)
	sent := proxy.BytesFromClients()
	acked := make(chan map[string]any, 1)
	go func() { acked <- h.submit(assistant, v.ID, "YYYYYYYYYY") }()
	if !proxy.WaitClientBytes(sent, 5*time.Second) {
		t.Fatal("the submission never reached Redis")
	}
	termAt := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case ack := <-acked:
		if ack["response_action"] != "update" {
			t.Errorf("in-flight submission acked %v, want the result (update)", ack)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the in-flight submission was never acked")
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v", err)
		}
		if took := time.Since(termAt); took > 10*time.Second {
			t.Errorf("exit took %v after SIGTERM, want under 10 s", took)
		}
	case <-time.After(12 * time.Second):
		t.Fatal("the bot did not exit within 10 s of SIGTERM")
	}
	proxy.SetDelay(0)
	n, err := mr.List("pb:v1:{u:" + assistant + "}:results")
	if err != nil || len(n) != 2 {
		t.Errorf("history after SIGTERM = %d results (%v), want 2", len(n), err)
	}
	if !strings.Contains(logs.String(), "partnerbot stopped") {
		t.Error("no clean-stop log line")
	}
	for _, line := range bytes.Split([]byte(logs.String()), []byte("\n")) {
		if len(line) > 0 && !json.Valid(line) {
			t.Errorf("log line is not JSON: %s", line)
		}
	}
}
