package slackfake

import (
	"context"
	"errors"
	"net"
	"time"

	"github.com/gorilla/websocket"
)

// ErrClientWrite is what a client's write broken by FailNextClientWrite
// returns.
var ErrClientWrite = errors.New("slackfake: client write failed (FailNextClientWrite)")

// Dialer is a WebSocket dialer for the client under test
// (socketmode.OptionDialer), set up as slack-go's default one. Sockets
// dialed through it work as any other, except that FailNextClientWrite can
// break them while the client writes: the fake's own end of a socket cannot
// make the client's write fail without the client's reader noticing first.
func (s *Server) Dialer() *websocket.Dialer {
	return &websocket.Dialer{
		HandshakeTimeout: 10 * time.Second,
		// slack-go's default: an ack under 20 KB goes out in one write.
		WriteBufferSize: 32 << 10,
		NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return &clientConn{Conn: c, s: s}, nil
		},
	}
}

// FailNextClientWrite makes the next write of at least minBytes that a
// client makes on a socket dialed through Dialer fail with ErrClientWrite,
// and closes that socket right after, as when a connection dies while the
// client sends a large ack. slack-go then reports
// EventTypeErrorWriteFailed with the response it could not send, and
// reconnects; the envelope stays unacked (see Lost). Smaller writes (pongs,
// small acks) go through.
func (s *Server) FailNextClientWrite(minBytes int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failWrite = max(minBytes, 1)
}

// takeWriteFault reports whether a client's write of n bytes is the one
// FailNextClientWrite asked to break, and disarms it if so.
func (s *Server) takeWriteFault(n int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failWrite == 0 || n < s.failWrite {
		return false
	}
	s.failWrite = 0
	return true
}

// clientConn is the client's end of a socket dialed through Dialer.
type clientConn struct {
	net.Conn
	s *Server
}

func (c *clientConn) Write(p []byte) (int, error) {
	if c.s.takeWriteFault(len(p)) {
		// Closed a moment later: slack-go's reader would otherwise see the
		// close first, and its reconnect can swallow the write's event.
		time.AfterFunc(closeAfterFault, func() { _ = c.Conn.Close() })
		return 0, ErrClientWrite
	}
	return c.Conn.Write(p)
}

// closeAfterFault is how long a socket whose write failed stays open.
const closeAfterFault = 200 * time.Millisecond
