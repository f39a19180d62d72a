package tcpproxy

import (
	"bufio"
	"net"
	"testing"
	"time"
)

// echo is a backend that answers each line with the same line.
func echo(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				r := bufio.NewReader(c)
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					c.Write([]byte(line))
				}
			}()
		}
	}()
	return ln.Addr().String()
}

func roundTrip(t *testing.T, c net.Conn, r *bufio.Reader, msg string) (string, error) {
	t.Helper()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write([]byte(msg + "\n")); err != nil {
		return "", err
	}
	return r.ReadString('\n')
}

func TestDelayCountAndLostReply(t *testing.T) {
	p, err := New(echo(t))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	if got, err := roundTrip(t, c, r, "hello"); err != nil || got != "hello\n" {
		t.Fatalf("echo = %q, %v", got, err)
	}
	if n := p.BytesFromClients(); n != 6 {
		t.Errorf("BytesFromClients = %d, want 6", n)
	}
	p.SetDelay(200 * time.Millisecond)
	began := time.Now()
	if _, err := roundTrip(t, c, r, "slow"); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(began); took < 200*time.Millisecond {
		t.Errorf("a delayed reply took %v, want at least 200ms", took)
	}
	p.SetDelay(0)
	p.LoseReplyTo("EVALSHA")
	if _, err := roundTrip(t, c, r, "evalsha abc"); err == nil {
		t.Error("the armed request got its reply")
	}
	if p.Cuts() != 1 {
		t.Errorf("Cuts = %d, want 1", p.Cuts())
	}
	// Disarmed after one: a new connection works again.
	c2, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if got, err := roundTrip(t, c2, bufio.NewReader(c2), "evalsha again"); err != nil || got != "evalsha again\n" {
		t.Errorf("after the cut: %q, %v", got, err)
	}
	if !p.WaitClientBytes(0, time.Second) {
		t.Error("WaitClientBytes(0) timed out")
	}
}
