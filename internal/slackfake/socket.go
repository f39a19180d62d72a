package slackfake

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Envelope types Slack sends over Socket Mode.
const (
	EnvelopeEventsAPI     = "events_api"
	EnvelopeSlashCommands = "slash_commands"
	EnvelopeInteractive   = "interactive"
)

const writeTimeout = 5 * time.Second

// wsConn is one Socket Mode connection. gorilla/websocket allows one
// concurrent writer: data frames are written under wmu; control frames
// (WriteControl) and Close may be called concurrently.
type wsConn struct {
	id          string
	ws          *websocket.Conn
	connectedAt time.Time
	wmu         sync.Mutex
	done        chan struct{}
	once        sync.Once
	pings       int // guarded by Server.mu
	pongs       int // guarded by Server.mu
}

func (c *wsConn) writeText(b []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.ws.SetWriteDeadline(time.Now().Add(writeTimeout)); err != nil {
		return err
	}
	return c.ws.WriteMessage(websocket.TextMessage, b)
}

// close closes the socket abruptly (no close frame).
func (c *wsConn) close() {
	c.once.Do(func() {
		close(c.done)
		_ = c.ws.Close()
	})
}

type envelope struct {
	id      string
	typ     string
	payload json.RawMessage // kept for Redeliver
	conn    *wsConn
	sentAt  time.Time
	acked   bool
	lost    bool // its connection dropped before the ack
	late    bool
	ackCh   chan Ack
	timer   *time.Timer
}

type envelopeFrame struct {
	EnvelopeID             string          `json:"envelope_id"`
	Type                   string          `json:"type"`
	Payload                json.RawMessage `json:"payload"`
	AcceptsResponsePayload bool            `json:"accepts_response_payload"`
	RetryAttempt           int             `json:"retry_attempt"`
	RetryReason            string          `json:"retry_reason"`
}

func (s *Server) handleWS(w http.ResponseWriter, r *http.Request) {
	ticket := r.URL.Query().Get("ticket")
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		http.Error(w, "closed", http.StatusServiceUnavailable)
		return
	}
	exp, ok := s.tickets[ticket]
	delete(s.tickets, ticket)
	valid := ok && !s.opts.Now().After(exp)
	if valid {
		s.wg.Add(1) // under mu with closed == false: Close waits for us
	}
	s.mu.Unlock()
	if !valid {
		s.log.Warn("slackfake: websocket dial with an invalid or used ticket")
		http.Error(w, "invalid ticket", http.StatusUnauthorized)
		return
	}
	defer s.wg.Done()

	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		s.log.Warn("slackfake: websocket upgrade", "err", err)
		return
	}
	c := &wsConn{id: "ws-" + randHex(8), ws: ws, connectedAt: time.Now(), done: make(chan struct{})}
	ws.SetPongHandler(func(string) error {
		s.mu.Lock()
		c.pongs++
		s.mu.Unlock()
		return nil
	})

	s.mu.Lock()
	n := len(s.conns) + 1
	s.mu.Unlock()
	hello, _ := json.Marshal(map[string]any{
		"type":            "hello",
		"num_connections": n,
		"connection_info": map[string]any{"app_id": AppID},
		"debug_info":      map[string]any{"host": "fake", "approximate_connection_time": 18060},
	})
	if err := c.writeText(hello); err != nil {
		c.close()
		return
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		c.close()
		return
	}
	s.conns = append(s.conns, c)
	s.notifyLocked()
	s.mu.Unlock()
	s.log.Info("slackfake: socket connected", "conn", c.id, "num_connections", n)

	s.wg.Go(func() { s.pingLoop(c) })
	s.readLoop(c)
	c.close()
	s.removeConn(c)
	s.log.Info("slackfake: socket closed", "conn", c.id)
}

func (s *Server) pingLoop(c *wsConn) {
	t := time.NewTicker(s.opts.PingInterval)
	defer t.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-t.C:
			if err := c.ws.WriteControl(websocket.PingMessage, []byte("ping"), time.Now().Add(writeTimeout)); err != nil {
				return
			}
			s.mu.Lock()
			c.pings++
			s.notifyLocked()
			s.mu.Unlock()
		}
	}
}

func (s *Server) readLoop(c *wsConn) {
	for {
		typ, data, err := c.ws.ReadMessage()
		if err != nil {
			return
		}
		if typ != websocket.TextMessage {
			s.problem("socket: client sent a non-text frame (type %d)", typ)
			continue
		}
		s.handleAck(data)
	}
}

func (s *Server) removeConn(c *wsConn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.Index(s.conns, c)
	if i < 0 {
		return
	}
	s.conns = slices.Delete(s.conns, i, i+1)
	for _, env := range s.envelopes {
		if env.conn == c && !env.acked {
			env.lost = true
			env.timer.Stop()
		}
	}
	s.notifyLocked()
}

func (s *Server) handleAck(data []byte) {
	now := time.Now()
	var a struct {
		EnvelopeID string          `json:"envelope_id"`
		Payload    json.RawMessage `json:"payload"`
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := json.Unmarshal(data, &a); err != nil || a.EnvelopeID == "" {
		s.problemLocked("socket: malformed message from client (want an ack {\"envelope_id\",\"payload\"}): %s", truncate(data, 200))
		return
	}
	env, ok := s.envelopes[a.EnvelopeID]
	if !ok {
		s.problemLocked("socket: ack for unknown envelope %q", a.EnvelopeID)
		return
	}
	if len(data) >= MaxAckSize {
		s.problemLocked("socket: ack for %s envelope %s is %d bytes (Slack drops acks of %d bytes or more)", env.typ, env.id, len(data), MaxAckSize)
		return
	}
	if env.acked {
		s.problemLocked("socket: double ack for %s envelope %s", env.typ, env.id)
		return
	}
	latency := now.Sub(env.sentAt)
	if latency > s.opts.AckTimeout && !env.late {
		env.late = true
		s.problemLocked("socket: ack late: %s envelope %s acked after %s (limit %s)", env.typ, env.id, latency.Round(time.Millisecond), s.opts.AckTimeout)
	}
	env.acked = true
	env.timer.Stop()
	payload := bytes.TrimSpace(a.Payload)
	if len(payload) == 0 || string(payload) == "null" {
		payload = nil
	}
	ack := Ack{EnvelopeID: env.id, Latency: latency}
	if payload != nil {
		ack.Payload = json.RawMessage(slices.Clone(payload))
	}
	s.acks = append(s.acks, ack)
	select {
	case env.ackCh <- ack: // buffered 1; acked is set, so this runs once
	default:
	}
	s.notifyLocked()
}

// Connections returns the number of connected sockets that have been sent
// hello.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// Sockets describes the connected sockets, oldest first.
func (s *Server) Sockets() []SocketInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]SocketInfo, 0, len(s.conns))
	for _, c := range s.conns {
		out = append(out, SocketInfo{ID: c.id, ConnectedAt: c.connectedAt, PingsSent: c.pings, PongsReceived: c.pongs})
	}
	return out
}

// WaitConnected blocks until at least n sockets are connected and have been
// sent hello, or ctx ends.
func (s *Server) WaitConnected(ctx context.Context, n int) error {
	if err := s.WaitFor(ctx, func() bool { return s.Connections() >= n }); err != nil {
		return fmt.Errorf("slackfake: waiting for %d socket(s), have %d: %w", n, s.Connections(), err)
	}
	return nil
}

// pickConn waits for a connected socket and returns the next one round
// robin. With a non-nil env, it registers env on it before releasing the
// lock, so that an ack cannot overtake the registration.
func (s *Server) pickConn(ctx context.Context, env *envelope) (*wsConn, error) {
	for {
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			return nil, ErrClosed
		}
		if len(s.conns) > 0 {
			c := s.conns[s.rr%len(s.conns)]
			s.rr++
			if env != nil {
				env.conn = c
				env.sentAt = time.Now()
				s.envelopes[env.id] = env
				env.timer = time.AfterFunc(s.opts.AckTimeout, func() { s.ackTimedOut(env) })
			}
			s.mu.Unlock()
			return c, nil
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, fmt.Errorf("slackfake: no socket connected: %w", ctx.Err())
		}
	}
}

func (s *Server) ackTimedOut(env *envelope) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || env.acked || env.lost || env.late {
		return
	}
	env.late = true
	s.problemLocked("socket: ack late: %s envelope %s not acked within %s", env.typ, env.id, s.opts.AckTimeout)
}

// Send wraps payload (any JSON-marshalable value, or json.RawMessage) in a
// Socket Mode envelope of type envelopeType, writes it to one connected
// socket (round robin; if none is connected it waits for one), and blocks
// until that envelope's ack arrives. It returns an error if ctx ends or the
// server closes first; an envelope whose socket dropped stays unacked, so
// Send then waits for ctx. An envelope not acked within Options.AckTimeout
// is recorded as a problem (unless its socket dropped).
func (s *Server) Send(ctx context.Context, envelopeType string, payload any) (Ack, error) {
	return s.SendWith(ctx, envelopeType, payload, Delivery{})
}

// Delivery sets the envelope fields Slack varies when it delivers a payload
// again. The zero value is a first delivery with a fresh envelope_id.
type Delivery struct {
	// EnvelopeID reuses an envelope_id ("" for a fresh one).
	EnvelopeID string
	// RetryAttempt and RetryReason are sent as retry_attempt and
	// retry_reason (Slack uses "timeout" for an envelope it saw no ack for).
	RetryAttempt int
	RetryReason  string
}

// SendWith is Send with the delivery fields of d.
func (s *Server) SendWith(ctx context.Context, envelopeType string, payload any, d Delivery) (Ack, error) {
	raw, err := marshalPayload(payload)
	if err != nil {
		return Ack{}, err
	}
	id := d.EnvelopeID
	if id == "" {
		id = newUUID()
	}
	env := &envelope{id: id, typ: envelopeType, payload: raw, ackCh: make(chan Ack, 1)}
	frame, err := json.Marshal(envelopeFrame{
		EnvelopeID:             env.id,
		Type:                   envelopeType,
		Payload:                raw,
		AcceptsResponsePayload: envelopeType == EnvelopeSlashCommands || envelopeType == EnvelopeInteractive,
		RetryAttempt:           d.RetryAttempt,
		RetryReason:            d.RetryReason,
	})
	if err != nil {
		return Ack{}, fmt.Errorf("slackfake: marshal envelope: %w", err)
	}
	// A socket that fails the write is dead: drop it and deliver on another
	// (or the next one to connect), as Slack does.
	var c *wsConn
	for {
		if c, err = s.pickConn(ctx, env); err != nil {
			return Ack{}, err
		}
		if err = c.writeText(frame); err == nil {
			break
		}
		s.mu.Lock()
		env.timer.Stop()
		delete(s.envelopes, env.id)
		s.mu.Unlock()
		s.log.Debug("slackfake: write failed; socket dropped", "conn", c.id, "error", err)
		c.close()
		s.removeConn(c)
	}
	s.log.Debug("slackfake: envelope sent", "type", envelopeType, "envelope_id", env.id, "conn", c.id, "retry_attempt", d.RetryAttempt)
	select {
	case ack := <-env.ackCh:
		return ack, nil
	case <-ctx.Done():
		return Ack{}, fmt.Errorf("slackfake: %s envelope %s not acked: %w", envelopeType, env.id, ctx.Err())
	case <-s.done:
		return Ack{}, ErrClosed
	}
}

// Lost lists the envelopes whose socket dropped before their ack and that
// were not acked since (Slack would deliver them again), oldest first, for
// Redeliver.
func (s *Server) Lost() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var envs []*envelope
	for _, env := range s.envelopes {
		if env.lost && !env.acked {
			envs = append(envs, env)
		}
	}
	slices.SortFunc(envs, func(a, b *envelope) int { return a.sentAt.Compare(b.sentAt) })
	out := make([]string, len(envs))
	for i, env := range envs {
		out[i] = env.id
	}
	return out
}

// Redeliver sends the payload of envelope envelopeID again, as Slack does
// when it saw no ack (or a connection was refreshed): same type and payload
// (so the same event_id or trigger_id), with d's envelope_id (reuse
// envelopeID to repeat it) and retry fields, and waits for the ack.
func (s *Server) Redeliver(ctx context.Context, envelopeID string, d Delivery) (Ack, error) {
	s.mu.Lock()
	env, ok := s.envelopes[envelopeID]
	s.mu.Unlock()
	if !ok {
		return Ack{}, fmt.Errorf("slackfake: Redeliver: no envelope %s", envelopeID)
	}
	return s.SendWith(ctx, env.typ, env.payload, d)
}

func marshalPayload(payload any) (json.RawMessage, error) {
	switch p := payload.(type) {
	case json.RawMessage:
		if !json.Valid(p) {
			return nil, fmt.Errorf("slackfake: payload is not valid JSON")
		}
		return p, nil
	case []byte:
		if !json.Valid(p) {
			return nil, fmt.Errorf("slackfake: payload is not valid JSON")
		}
		return p, nil
	default:
		b, err := json.Marshal(payload)
		if err != nil {
			return nil, fmt.Errorf("slackfake: marshal payload: %w", err)
		}
		return b, nil
	}
}

// SendRaw writes frame as a text frame to one connected socket (round
// robin, waiting for one if none is connected), whatever it contains.
func (s *Server) SendRaw(ctx context.Context, frame []byte) error {
	c, err := s.pickConn(ctx, nil)
	if err != nil {
		return err
	}
	return c.writeText(frame)
}

// Disconnect sends {"type":"disconnect","reason":reason} to every socket,
// as Slack does before refreshing a connection; slack-go then reconnects
// through apps.connections.open. Reasons Slack uses: "warning",
// "refresh_requested", "link_disabled".
func (s *Server) Disconnect(reason string) {
	s.mu.Lock()
	conns := slices.Clone(s.conns)
	s.mu.Unlock()
	frame, _ := json.Marshal(map[string]any{
		"type":       "disconnect",
		"reason":     reason,
		"debug_info": map[string]any{"host": "fake"},
	})
	for _, c := range conns {
		if err := c.writeText(frame); err != nil {
			s.log.Warn("slackfake: write disconnect", "conn", c.id, "err", err)
		}
	}
}

// DropConnections closes every socket abruptly, without a close frame. When
// it returns, Connections() no longer counts them.
func (s *Server) DropConnections() {
	s.mu.Lock()
	conns := slices.Clone(s.conns)
	s.mu.Unlock()
	for _, c := range conns {
		c.close()
		s.removeConn(c)
	}
}

func truncate(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	return string(b[:n]) + "…"
}
