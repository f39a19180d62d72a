package app

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// slowProxy relays TCP to a backend (Redis), holding every chunk the backend
// sends for delay: a slow Redis without touching Redis.
type slowProxy struct {
	ln      net.Listener
	backend string
	delay   atomic.Int64 // nanoseconds
	seen    atomic.Int64 // bytes from clients
	wake    chan struct{}
	mu      sync.Mutex
	conns   []net.Conn
}

func newSlowProxy(t *testing.T, backend string) *slowProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &slowProxy{ln: ln, backend: backend, wake: make(chan struct{}, 1)}
	t.Cleanup(p.close)
	go p.accept()
	return p
}

func (p *slowProxy) Addr() string             { return p.ln.Addr().String() }
func (p *slowProxy) SetDelay(d time.Duration) { p.delay.Store(int64(d)) }
func (p *slowProxy) BytesFromClients() int64  { return p.seen.Load() }

func (p *slowProxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		b, err := net.Dial("tcp", p.backend)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, b)
		p.mu.Unlock()
		go func() {
			_, _ = io.Copy(b, countingReader{c, p})
			b.Close()
		}()
		go func() {
			buf := make([]byte, 32<<10)
			for {
				n, err := b.Read(buf)
				if n > 0 {
					time.Sleep(time.Duration(p.delay.Load()))
					if _, werr := c.Write(buf[:n]); werr != nil {
						break
					}
				}
				if err != nil {
					break
				}
			}
			c.Close()
		}()
	}
}

func (p *slowProxy) close() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
}

// WaitClientBytes waits until clients have sent more than n bytes.
func (p *slowProxy) WaitClientBytes(n int64, timeout time.Duration) bool {
	deadline := time.After(timeout)
	for p.seen.Load() <= n {
		select {
		case <-p.wake:
		case <-deadline:
			return false
		}
	}
	return true
}

type countingReader struct {
	r io.Reader
	p *slowProxy
}

func (c countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.p.seen.Add(int64(n))
	select {
	case c.p.wake <- struct{}{}:
	default:
	}
	return n, err
}
