// Package tcpproxy relays TCP connections to a backend (Redis, in this
// project) with the faults a test or a load tool needs to switch on: every
// reply held back for a while (a slow server or network), and the reply
// to one matching request lost with its connection (a write whose reply
// never came back).
package tcpproxy

import (
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Proxy listens on 127.0.0.1 and relays each connection to the backend.
type Proxy struct {
	ln      net.Listener
	backend string

	delay atomic.Int64 // nanoseconds each reply chunk is held
	seen  atomic.Int64 // bytes received from clients
	wake  chan struct{}

	lose  atomic.Pointer[string] // lower-cased request text whose reply is lost
	cuts  atomic.Int64
	mu    sync.Mutex
	conns []net.Conn
}

// New starts a proxy to backend on a free loopback port.
func New(backend string) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{ln: ln, backend: backend, wake: make(chan struct{}, 1)}
	go p.accept()
	return p, nil
}

// Addr is the proxy's host:port.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// SetDelay holds every reply chunk for d (0 for none).
func (p *Proxy) SetDelay(d time.Duration) { p.delay.Store(int64(d)) }

// LoseReplyTo arms the proxy: the next request containing match (case
// insensitive) reaches the backend, but its reply does not reach the
// client, and the connection is cut.
func (p *Proxy) LoseReplyTo(match string) {
	m := strings.ToLower(match)
	p.lose.Store(&m)
}

// Cuts counts the replies lost so far.
func (p *Proxy) Cuts() int64 { return p.cuts.Load() }

// BytesFromClients counts what clients sent so far.
func (p *Proxy) BytesFromClients() int64 { return p.seen.Load() }

// WaitClientBytes waits until clients have sent more than n bytes.
func (p *Proxy) WaitClientBytes(n int64, timeout time.Duration) bool {
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

// Close stops listening and cuts every connection.
func (p *Proxy) Close() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
}

func (p *Proxy) accept() {
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
		var swallow atomic.Bool
		go p.requests(c, b, &swallow)
		go p.replies(b, c, &swallow)
	}
}

// requests relays client → backend, counting bytes and arming a lost reply.
func (p *Proxy) requests(c, b net.Conn, swallow *atomic.Bool) {
	defer b.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := c.Read(buf)
		if n > 0 {
			if m := p.lose.Load(); m != nil && strings.Contains(strings.ToLower(string(buf[:n])), *m) && p.lose.CompareAndSwap(m, nil) {
				swallow.Store(true)
			}
			p.seen.Add(int64(n))
			select {
			case p.wake <- struct{}{}:
			default:
			}
			if _, werr := b.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// replies relays backend → client, late or not at all.
func (p *Proxy) replies(b, c net.Conn, swallow *atomic.Bool) {
	defer c.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := b.Read(buf)
		if n > 0 {
			if swallow.Load() {
				p.cuts.Add(1)
				return // the reply never reaches the client
			}
			if d := time.Duration(p.delay.Load()); d > 0 {
				time.Sleep(d)
			}
			if _, werr := c.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
