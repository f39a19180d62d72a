package slackfake

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Defaults for Options fields left zero, and fixed identities of the fake
// workspace.
const (
	DefaultBotToken     = "xoxb-fake-bot-token"
	DefaultAppToken     = "xapp-fake-app-token"
	DefaultTeamID       = "T0FAKE"
	DefaultBotUserID    = "UBOT"
	DefaultPingInterval = 10 * time.Second
	DefaultTriggerTTL   = 3 * time.Second
	DefaultAckTimeout   = 3 * time.Second

	// AppID is the api_app_id of the fake app.
	AppID = "A0FAKE"
	// BotID is the bot_id of the fake app's bot user.
	BotID = "B0FAKE"
	// TeamDomain is the team_domain of the fake workspace.
	TeamDomain = "fake"
	// MaxAckSize is Slack's limit for a Socket Mode ack: frames of this many
	// bytes or more are dropped.
	MaxAckSize = 20 * 1024

	// VerificationToken is the (deprecated, non-secret) verification token
	// the fake puts in slash command and interaction payloads.
	VerificationToken = "fake-verification-token"

	ticketTTL = 30 * time.Second
)

// ErrClosed is returned by blocking methods once the Server is closed.
var ErrClosed = errors.New("slackfake: server closed")

// Options configures a Server. The zero value is usable.
type Options struct {
	// BotToken is the token Web API calls must carry (Authorization:
	// Bearer, or a "token" form field); otherwise they fail with
	// invalid_auth. Default DefaultBotToken.
	BotToken string
	// AppToken is the app-level token apps.connections.open requires.
	// Default DefaultAppToken.
	AppToken string
	// PingInterval is how often the server sends a WebSocket ping on every
	// Socket Mode connection. slack-go drops a connection that has not
	// been pinged for 30 s. Default DefaultPingInterval.
	PingInterval time.Duration
	// TriggerTTL is how long a trigger_id stays valid. A trigger_id works
	// once. Default DefaultTriggerTTL.
	TriggerTTL time.Duration
	// AckTimeout is how long the bot has to ack an envelope before it is
	// recorded as a problem ("ack late"). Default DefaultAckTimeout, as
	// Slack; tests may shorten it.
	AckTimeout time.Duration
	// Logger receives the fake's logs. Default: discard.
	Logger *slog.Logger
	// TeamID is the workspace id. Default DefaultTeamID.
	TeamID string
	// BotUserID is the bot's user id. Default DefaultBotUserID.
	BotUserID string
	// Now is the clock used for trigger_id and connection-ticket expiry
	// (so tests can expire triggers without sleeping), and for RateLimit.
	// Default time.Now.
	Now func() time.Time
	// RateLimit caps Web API methods (method → calls per second), as
	// Slack's rate limits do: a call over the limit answers HTTP 429 with
	// Retry-After (whole seconds, at least 1) and does nothing. Each
	// method's bucket holds one second's worth of calls (at least one), so
	// short bursts pass. Counted by RateLimited. nil: no limits.
	RateLimit map[string]float64
}

func (o Options) withDefaults() Options {
	if o.BotToken == "" {
		o.BotToken = DefaultBotToken
	}
	if o.AppToken == "" {
		o.AppToken = DefaultAppToken
	}
	if o.PingInterval <= 0 {
		o.PingInterval = DefaultPingInterval
	}
	if o.TriggerTTL <= 0 {
		o.TriggerTTL = DefaultTriggerTTL
	}
	if o.AckTimeout <= 0 {
		o.AckTimeout = DefaultAckTimeout
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.TeamID == "" {
		o.TeamID = DefaultTeamID
	}
	if o.BotUserID == "" {
		o.BotUserID = DefaultBotUserID
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// User is a workspace member, as users.info returns it.
type User struct {
	ID       string
	Name     string
	RealName string
	TZ       string
	TZLabel  string
	TZOffset int
	IsBot    bool
	Deleted  bool
}

// View is a modal or Home tab as the fake holds it.
type View struct {
	ID              string
	UserID          string
	CallbackID      string
	PrivateMetadata string
	// Type is "modal" or "home".
	Type string
	// Title is the plain text of the modal's title ("" for Home tabs).
	Title string
	// JSON is the full view object as last set (with id, hash, state,
	// generated block_ids...), as views.* answers it.
	JSON json.RawMessage
	// Errors are the errors of the last response_action "errors" ack,
	// keyed by block_id; nil after the view is updated.
	Errors map[string]string
	// Open is whether the modal is currently shown (Home tabs: always).
	Open bool
	// RootViewID and PreviousViewID place a pushed modal in its stack.
	RootViewID     string
	PreviousViewID string
	// Hash is the view's current hash (views.update's optimistic lock).
	Hash string
	// ExternalID is the view's external_id, if any.
	ExternalID string
}

// Message is a message the bot posted (or a slash-command ack reply Slack
// showed on its behalf).
type Message struct {
	Channel  string
	User     string // author: the bot user id
	Text     string
	TS       string
	ThreadTS string
	Blocks   json.RawMessage
	// Ephemeral messages are shown to one user only: To.
	Ephemeral bool
	To        string
	// Updated is set once chat.update (or a response_url
	// replace_original) changed the message.
	Updated bool
	// Files are the ids of the files shared with the message
	// (files.completeUploadExternal); Text is then the initial_comment.
	Files []string
}

// Call is one Web API call the fake received.
type Call struct {
	Method string
	// Params holds form fields (first value) or, for JSON bodies, the
	// top-level scalar fields as strings. Never contains tokens.
	Params map[string]string
	// Body is the JSON request body (without any "token" field); nil for
	// form requests.
	Body   json.RawMessage
	At     time.Time
	Status int
	// Error is the "error" of an ok:false answer ("" on success).
	Error string
}

// Ack is a Socket Mode acknowledgement received from a client.
type Ack struct {
	EnvelopeID string
	// Payload is nil when the ack had none.
	Payload json.RawMessage
	// Latency is the time from writing the envelope to reading its ack.
	Latency time.Duration
}

// Container says where a clicked button lives: in a message (ChannelID and
// MessageTS) or in a view (ViewID: a modal or a Home tab).
type Container struct {
	ChannelID string
	MessageTS string
	ViewID    string
}

// SocketInfo describes one connected Socket Mode socket.
type SocketInfo struct {
	ID            string
	ConnectedAt   time.Time
	PingsSent     int
	PongsReceived int
}

type channelRec struct {
	id, name    string
	botIsMember bool
	members     []string
	isIM        bool
	isMPIM      bool
	user        string // for IMs
}

type trigger struct {
	userID  string
	expires time.Time
	used    bool
}

type viewRec struct {
	View
	obj map[string]any // normalized view object, without state
}

type responseCtx struct {
	channel, userID, messageTS string
}

type fault struct {
	status     int
	slackErr   string
	retryAfter time.Duration
}

// Server is a running fake Slack. Create it with New; Close it when done.
type Server struct {
	opts     Options
	log      *slog.Logger
	ln       net.Listener
	srv      *http.Server
	mux      *http.ServeMux
	baseURL  string
	upgrader websocket.Upgrader
	done     chan struct{}

	closeOnce sync.Once
	closeErr  error
	wg        sync.WaitGroup

	mu           sync.Mutex
	changed      chan struct{}
	closed       bool
	seq          uint64
	lastTS       int64
	users        map[string]User
	channels     map[string]*channelRec
	conns        []*wsConn
	rr           int
	tickets      map[string]time.Time
	triggers     map[string]*trigger
	views        map[string]*viewRec
	viewOrder    []string
	homes        map[string]*viewRec
	msgs         []*Message
	calls        []Call
	problems     []string
	envelopes    map[string]*envelope
	acks         []Ack
	faults       map[string][]fault
	responseURLs map[string]responseCtx
	files        map[string]*fileRec
	fileOrder    []string
	selections   map[string]map[string]map[string]any // view id → block_id → action_id → state value
	buckets      map[string]*bucket                   // Options.RateLimit, by method
	rateLimited  map[string]int                       // calls refused by Options.RateLimit, by method
	lastModal    map[string]string                    // user → id of the modal opened for them last
	failWrite    int                                  // FailNextClientWrite's threshold; 0 = off
}

// New starts a fake Slack listening on 127.0.0.1 on an ephemeral port.
func New(opts Options) (*Server, error) {
	opts = opts.withDefaults()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("slackfake: listen: %w", err)
	}
	s := &Server{
		opts:         opts,
		log:          opts.Logger,
		ln:           ln,
		mux:          http.NewServeMux(),
		baseURL:      "http://" + ln.Addr().String(),
		done:         make(chan struct{}),
		changed:      make(chan struct{}),
		users:        map[string]User{},
		channels:     map[string]*channelRec{},
		tickets:      map[string]time.Time{},
		triggers:     map[string]*trigger{},
		views:        map[string]*viewRec{},
		homes:        map[string]*viewRec{},
		envelopes:    map[string]*envelope{},
		faults:       map[string][]fault{},
		responseURLs: map[string]responseCtx{},
		files:        map[string]*fileRec{},
		selections:   map[string]map[string]map[string]any{},
		buckets:      map[string]*bucket{},
		rateLimited:  map[string]int{},
		lastModal:    map[string]string{},
	}
	// slack-go dials with Origin: https://api.slack.com.
	s.upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	s.mux.HandleFunc("/api/", s.handleAPI)
	s.mux.HandleFunc("/ws", s.handleWS)
	s.mux.HandleFunc("/response/", s.handleResponseURL)
	s.mux.HandleFunc("/upload/", s.handleUpload)
	s.srv = &http.Server{Handler: s.mux, ReadHeaderTimeout: 10 * time.Second}
	s.wg.Go(func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("slackfake: serve", "err", err)
		}
	})
	s.log.Info("slackfake: listening", "api_url", s.APIURL())
	return s, nil
}

// APIURL is the Web API base URL with its trailing slash, for
// slack.OptionAPIURL, e.g. "http://127.0.0.1:PORT/api/".
func (s *Server) APIURL() string { return s.baseURL + "/api/" }

// BotToken is the bot token the fake accepts.
func (s *Server) BotToken() string { return s.opts.BotToken }

// AppToken is the app-level token the fake accepts.
func (s *Server) AppToken() string { return s.opts.AppToken }

// TeamID is the fake workspace's id.
func (s *Server) TeamID() string { return s.opts.TeamID }

// BotUserID is the bot's user id.
func (s *Server) BotUserID() string { return s.opts.BotUserID }

// Handler is the fake's HTTP handler (Web API under /api/, Socket Mode at
// /ws, response URLs under /response/, file upload URLs under /upload/),
// for mounting at the root of another server. apps.connections.open and
// files.getUploadURLExternal build their URLs from the request's Host.
func (s *Server) Handler() http.Handler { return s.mux }

// Close closes every socket and the listener, and wakes every waiter. It is
// idempotent.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		conns := slices.Clone(s.conns)
		s.conns = nil
		for _, env := range s.envelopes {
			env.timer.Stop()
		}
		close(s.done)
		s.notifyLocked()
		s.mu.Unlock()
		for _, c := range conns {
			c.close()
		}
		s.closeErr = s.srv.Close()
		s.wg.Wait()
		s.log.Info("slackfake: closed")
	})
	return s.closeErr
}

// notifyLocked wakes every WaitFor. s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// problemLocked records a broken rule. s.mu must be held.
func (s *Server) problemLocked(format string, args ...any) {
	p := fmt.Sprintf(format, args...)
	s.problems = append(s.problems, p)
	s.log.Warn("slackfake: problem", "problem", p)
	s.notifyLocked()
}

func (s *Server) problem(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.problemLocked(format, args...)
}

// WaitFor blocks until cond returns true, re-evaluating it on every change
// of the fake's state (calls, messages, views, acks, connections, problems).
// cond runs without the fake's lock held, so it may call any accessor. It
// returns ctx's error if ctx ends first, or ErrClosed if the server closes.
func (s *Server) WaitFor(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ch, closed := s.changed, s.closed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		if closed {
			return ErrClosed
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// AddUser adds or replaces a workspace member served by users.info.
func (s *Server) AddUser(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[u.ID] = u
	s.notifyLocked()
}

// RemoveBot takes the bot out of channel (any kind, group DMs included), as
// when someone removes the app: posting there then fails with
// not_in_channel. It reports whether the channel exists.
func (s *Server) RemoveBot(channel string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.channels[channel]
	if ok {
		c.botIsMember = false
		s.notifyLocked()
	}
	return ok
}

// AddChannel adds or replaces a channel. Posting (including ephemerals) in
// a channel the bot is not a member of fails with not_in_channel; so does
// posting in a C… or G… channel the fake does not know. DMs (D…) and group
// DMs opened with conversations.open always work.
func (s *Server) AddChannel(id, name string, botIsMember bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels[id] = &channelRec{id: id, name: name, botIsMember: botIsMember}
	s.notifyLocked()
}

// DMChannelID is the id of the bot's direct-message channel with userID, as
// the fake assigns it: "D" followed by the user id without its leading U
// or W ("U123" → "D123").
func DMChannelID(userID string) string {
	if strings.HasPrefix(userID, "U") || strings.HasPrefix(userID, "W") {
		return "D" + userID[1:]
	}
	return "D" + userID
}

// Problems returns every Block Kit or protocol rule the bot broke, in order.
func (s *Server) Problems() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.problems)
}

// Calls returns every Web API call to method ("" for all), in order.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Acks returns every ack received so far, in order, including acks of
// envelopes nobody waits for any more.
func (s *Server) Acks() []Ack {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.acks)
}

// Views returns the modals opened for userID (open or closed), oldest first.
func (s *Server) Views(userID string) []View {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []View
	for _, id := range s.viewOrder {
		if v := s.views[id]; v.UserID == userID {
			out = append(out, v.copyView())
		}
	}
	return out
}

// LastModal returns the modal opened (or pushed) for userID most recently,
// open or closed. Unlike Views it does not scan every view, so load tests
// can poll it.
func (s *Server) LastModal(userID string) (View, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.views[s.lastModal[userID]]
	if !ok {
		return View{}, false
	}
	return v.copyView(), true
}

// View returns the modal or Home tab with id viewID.
func (s *Server) View(viewID string) (View, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.views[viewID]; ok {
		return v.copyView(), true
	}
	for _, h := range s.homes {
		if h.ID == viewID {
			return h.copyView(), true
		}
	}
	return View{}, false
}

// HomeView returns the Home tab last published for userID.
func (s *Server) HomeView(userID string) (View, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h, ok := s.homes[userID]
	if !ok {
		return View{}, false
	}
	return h.copyView(), true
}

func (v *viewRec) copyView() View {
	out := v.View
	out.JSON = slices.Clone(v.JSON)
	if v.Errors != nil {
		out.Errors = make(map[string]string, len(v.Errors))
		for k, e := range v.Errors {
			out.Errors[k] = e
		}
	}
	return out
}

// Messages returns the messages in channel (by id), ephemeral ones
// included, oldest first. A chat.postMessage to a U… id lands in
// DMChannelID of that user.
func (s *Server) Messages(channel string) []Message {
	return s.filterMessages(func(m *Message) bool { return m.Channel == channel })
}

// DMs returns the messages in the bot's DM channel with userID.
func (s *Server) DMs(userID string) []Message {
	return s.Messages(DMChannelID(userID))
}

// Ephemerals returns the ephemeral messages shown to userID in any channel
// (chat.postEphemeral and slash-command ack replies).
func (s *Server) Ephemerals(userID string) []Message {
	return s.filterMessages(func(m *Message) bool { return m.Ephemeral && m.To == userID })
}

// Message returns the message at ts in channel as it is now (after any
// chat.update); ok is false when there is none.
func (s *Server) Message(channel, ts string) (Message, bool) {
	ms := s.filterMessages(func(m *Message) bool { return m.Channel == channel && m.TS == ts && !m.Ephemeral })
	if len(ms) == 0 {
		return Message{}, false
	}
	return ms[0], true
}

func (s *Server) filterMessages(keep func(*Message) bool) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.msgs {
		if keep(m) {
			c := *m
			c.Blocks = slices.Clone(m.Blocks)
			c.Files = slices.Clone(m.Files)
			out = append(out, c)
		}
	}
	return out
}

// FailNext makes the next n calls to method fail. With status 429 the
// answer carries Retry-After (whole seconds, rounded up) when retryAfter >
// 0, which slack-go reports as *slack.RateLimitedError (without it,
// slack.StatusCodeError). Another non-200 status answers that status.
// Status 0 or 200 answers 200 {"ok":false,"error":slackError}. slackError
// defaults to "ratelimited" for 429 and "internal_error" otherwise.
func (s *Server) FailNext(method string, n int, status int, slackError string, retryAfter time.Duration) {
	if status == 0 {
		status = http.StatusOK
	}
	if slackError == "" {
		slackError = "internal_error"
		if status == http.StatusTooManyRequests {
			slackError = "ratelimited"
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults[method] = append(s.faults[method], fault{status: status, slackErr: slackError, retryAfter: retryAfter})
	}
}

// NewTriggerID registers and returns a fresh trigger_id for userID, valid
// once within Options.TriggerTTL, as Slack issues with every interaction.
func (s *Server) NewTriggerID(userID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newTriggerLocked(userID)
}

func (s *Server) newTriggerLocked(userID string) string {
	s.seq++
	id := fmt.Sprintf("%d.%d.%s", s.seq, s.opts.Now().Unix(), randHex(16))
	s.triggers[id] = &trigger{userID: userID, expires: s.opts.Now().Add(s.opts.TriggerTTL)}
	return id
}

// useTriggerLocked consumes a trigger, returning its user or a Slack error.
func (s *Server) useTriggerLocked(method, id string) (string, string) {
	t, ok := s.triggers[id]
	switch {
	case id == "":
		s.problemLocked("%s: no trigger_id", method)
		return "", "invalid_arguments"
	case !ok:
		s.problemLocked("%s: unknown trigger_id %q", method, id)
		return "", "invalid_trigger_id"
	case t.used:
		s.problemLocked("%s: trigger_id %q used twice (a trigger_id works once)", method, id)
		return "", "invalid_trigger_id"
	case s.opts.Now().After(t.expires):
		s.problemLocked("%s: trigger_id %q used after it expired (%s)", method, id, s.opts.TriggerTTL)
		t.used = true
		return "", "expired_trigger_id"
	}
	t.used = true
	return t.userID, ""
}

func (s *Server) nextIDLocked(prefix string) string {
	s.seq++
	return fmt.Sprintf("%s%09d", prefix, s.seq)
}

// newTSLocked returns a unique, increasing message timestamp.
func (s *Server) newTSLocked() string {
	us := time.Now().UnixMicro()
	if us <= s.lastTS {
		us = s.lastTS + 1
	}
	s.lastTS = us
	return fmt.Sprintf("%d.%06d", us/1e6, us%1e6)
}

func randHex(n int) string {
	b := make([]byte, (n+1)/2)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)[:n]
}

func newUUID() string {
	h := randHex(32)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
