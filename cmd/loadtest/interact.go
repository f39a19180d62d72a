package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/partnerbot/partnerbot/internal/app"
	"github.com/partnerbot/partnerbot/internal/config"
	"github.com/partnerbot/partnerbot/internal/slackfake"
	"github.com/partnerbot/partnerbot/internal/slackui"
	"github.com/partnerbot/partnerbot/internal/tcpproxy"
	"github.com/slack-go/slack"
)

const (
	loadChannel = "CLOAD"
	loadCommand = "/partner-assess"
	ackMetric   = "partnerbot_ack_latency_seconds"
	// modalWait bounds the wait for a modal after /partner-assess.
	modalWait = 10 * time.Second
)

// interactConfig is one run of the interaction path.
type interactConfig struct {
	Users  int
	Rounds int // assessments per user
	// RedisURL is the Redis the bot uses; "" = the bot's embedded one.
	RedisURL string
	// Think is each user's mean pause before each click, drawn from an
	// exponential distribution so that users act independently (their
	// clicks together are a Poisson stream); 0 clicks again at once
	// (saturation).
	Think time.Duration
	// Duration, when > 0, ends each user's rounds after this long.
	Duration time.Duration
	// Slow, when > 0, runs the slow-Redis scenario instead: every Redis
	// reply held back this long by a proxy (RedisURL must be set).
	Slow time.Duration
	// InProcess runs the bot in this process rather than in a process of
	// its own (as in production, where the bot's heap and GC are its own).
	InProcess bool
	// RedisPid is the redis-server's pid, for the CPU report (0: unknown).
	RedisPid int
}

// interactResult is what a run measured.
type interactResult struct {
	Elapsed          time.Duration
	Commands, Submit latencies // fake side: envelope written → ack read
	// BotCommands and BotSubmit are the bot's own ack latency histograms
	// (from /metrics) over the run.
	BotCommands, BotSubmit histogram
	// BotExactCommands and BotExactSubmit are the same, every ack recorded
	// (app.Options.Observer), from the bot taking the envelope off
	// slack-go's channel to the ack queued to slack-go's writer.
	BotExactCommands, BotExactSubmit latencies
	Saved, TryAgain, Other           int    // submissions by answer
	CommandTryAgain                  int    // slash commands answered "try again"
	NoModal                          int    // /partner-assess without a modal within modalWait
	DMs                              int    // result DMs delivered during the run
	Heap                             uint64 // live heap of this process at the end (fake and load generator; the bot too when in process)
	CPU                              string // where the CPU went during the measured phase
	Problems                         []string
}

func (r interactResult) acksPerSecond() float64 {
	return float64(len(r.Commands)+len(r.Submit)) / r.Elapsed.Seconds()
}

// answers is every question answered, alternating Yes and No.
func answers() map[string]map[string]slack.BlockAction {
	v := map[string]map[string]slack.BlockAction{}
	for i := 1; i <= 10; i++ {
		val := slackui.ValueYes
		if i%2 == 0 {
			val = slackui.ValueNo
		}
		v[slackui.BlockQuestion(i)] = map[string]slack.BlockAction{
			slackui.ActionAnswer: {Type: "radio_buttons", SelectedOption: slack.OptionBlockObject{Value: val}},
		}
	}
	return v
}

// botEnv is the production configuration (every default) pointed at the
// fake Slack and redisURL, as environment variables.
func botEnv(fake *slackfake.Server, redisURL, httpAddr string) []string {
	return []string{
		"SLACK_BOT_TOKEN=" + fake.BotToken(), "SLACK_APP_TOKEN=" + fake.AppToken(),
		"SLACK_API_URL=" + fake.APIURL(), "REDIS_URL=" + redisURL,
		"HTTP_ADDR=" + httpAddr, "LOG_LEVEL=info", "LOG_FORMAT=json",
		// Bounds the tool's own shutdown; does not change the measured path.
		"SHUTDOWN_TIMEOUT=2s",
	}
}

// cmdBot runs the bot as cmd/partnerbot does, configured from the
// environment; runInteract starts it in a process of its own.
func cmdBot(ctx context.Context, _ []string) error {
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	var o app.Options
	if addr := os.Getenv(botLatencyAddrEnv); addr != "" {
		rec := &botLatencies{}
		if err := rec.serve(ctx, addr); err != nil {
			return err
		}
		o.Observer = rec
	}
	a, err := app.NewWithOptions(cfg, app.NewLogger(cfg, os.Stdout), o)
	if err != nil {
		return err
	}
	return a.Run(ctx)
}

// botProcess is a bot the tool started.
type botProcess struct {
	metricsURL string
	pid        int
	stop       func() error                                                 // stops it and waits
	acks       func(ctx context.Context, since time.Time) ([]botAck, error) // its acks since a time
}

// startBot runs the bot against fake and redisURL, in this process or in
// a child process.
func startBot(ctx context.Context, fake *slackfake.Server, redisURL string, inProcess bool) (*botProcess, error) {
	if inProcess {
		for _, kv := range botEnv(fake, redisURL, "127.0.0.1:0") {
			k, v, _ := strings.Cut(kv, "=")
			if err := os.Setenv(k, v); err != nil {
				return nil, err
			}
		}
		cfg, err := config.Load()
		if err != nil {
			return nil, fmt.Errorf("config: %w", err)
		}
		// Production logs at info level; here they go nowhere.
		rec := &botLatencies{}
		a, err := app.NewWithOptions(cfg, slog.New(slog.NewJSONHandler(io.Discard, nil)), app.Options{Observer: rec})
		if err != nil {
			return nil, err
		}
		rctx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- a.Run(rctx) }()
		return &botProcess{
			metricsURL: "http://" + a.HTTPAddr() + "/metrics",
			pid:        os.Getpid(),
			stop: func() error {
				cancel()
				select {
				case err := <-done:
					return err
				case <-time.After(15 * time.Second):
					return errors.New("bot did not stop within 15 s")
				}
			},
			acks: func(_ context.Context, since time.Time) ([]botAck, error) { return rec.since(since), nil },
		}, nil
	}
	ports := make([]int, 2)
	for i := range ports {
		p, err := freePort()
		if err != nil {
			return nil, err
		}
		ports[i] = p
	}
	addr := fmt.Sprintf("127.0.0.1:%d", ports[0])
	latencyAddr := fmt.Sprintf("127.0.0.1:%d", ports[1])
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe, "bot")
	cmd.Env = append(os.Environ(), botEnv(fake, redisURL, addr)...)
	cmd.Env = append(cmd.Env, botLatencyAddrEnv+"="+latencyAddr)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr // logs (stdout) go to /dev/null, like a log shipper that keeps up
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the bot: %w", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	return &botProcess{
		metricsURL: "http://" + addr + "/metrics",
		pid:        cmd.Process.Pid,
		stop: func() error {
			_ = cmd.Process.Signal(syscall.SIGTERM)
			select {
			case err := <-done:
				if err != nil {
					return fmt.Errorf("bot: %w: %s", err, stderr.String())
				}
				return nil
			case <-time.After(15 * time.Second):
				_ = cmd.Process.Kill()
				<-done
				return errors.New("bot did not stop within 15 s of SIGTERM")
			}
		},
		acks: func(ctx context.Context, since time.Time) ([]botAck, error) {
			return fetchBotAcks(ctx, latencyAddr, since)
		},
	}, nil
}

// runInteract runs the real wiring (app.New + Run) against the fake Slack
// with cfg.Users simulated users, each running /partner-assess, waiting for
// the modal and submitting it, cfg.Rounds times, all at once.
func runInteract(ctx context.Context, cfg interactConfig) (res interactResult, err error) {
	fake, err := slackfake.New(slackfake.Options{PingInterval: 5 * time.Second})
	if err != nil {
		return res, err
	}
	defer fake.Close()
	users := make([]string, cfg.Users)
	for i := range users {
		users[i] = fmt.Sprintf("ULOAD%05d", i)
		fake.AddUser(slackfake.User{ID: users[i], Name: strings.ToLower(users[i]), RealName: users[i], TZ: "Europe/Paris"})
	}
	fake.AddChannel(loadChannel, "load", false)

	redisURL := cfg.RedisURL
	var proxy *tcpproxy.Proxy
	if cfg.Slow > 0 {
		u, err := url.Parse(cfg.RedisURL)
		if err != nil || u.Host == "" {
			return res, errors.New("the slow-Redis run needs a redis:// URL")
		}
		if proxy, err = tcpproxy.New(u.Host); err != nil {
			return res, err
		}
		defer proxy.Close()
		u.Host = proxy.Addr()
		redisURL = u.String()
	}
	bp, err := startBot(ctx, fake, redisURL, cfg.InProcess)
	if err != nil {
		return res, err
	}
	defer func() {
		if proxy != nil {
			proxy.SetDelay(0)
		}
		if serr := bp.stop(); serr != nil && err == nil {
			err = serr
		}
	}()
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	err = fake.WaitConnected(wctx, 1)
	cancel()
	if err != nil {
		return res, err
	}
	procs := redisProc(cfg.RedisPid)
	if !cfg.InProcess {
		procs = append(procs, proc{"bot", bp.pid})
	}

	sim := &simulation{fake: fake, values: answers()}
	// Warm up (not measured): every user takes one assessment, so that
	// connections are open and each has a previous result.
	sim.each(users, func(_ int, u string) {
		if v := sim.openModal(ctx, u, ""); v != "" {
			sim.submit(ctx, u, v)
		}
	})
	if cfg.Slow > 0 {
		// Modals open at full speed; then every Redis reply takes cfg.Slow.
		views := make([]string, len(users))
		sim.each(users, func(i int, u string) { views[i] = sim.openModal(ctx, u, lastModal(fake, u)) })
		proxy.SetDelay(cfg.Slow)
		res, err = sim.measure(ctx, bp, users, procs, func(i int, u string) {
			if views[i] != "" {
				sim.submit(ctx, u, views[i])
			}
			sim.command(ctx, u, "history")
		})
	} else {
		res, err = sim.measure(ctx, bp, users, procs, func(i int, u string) {
			rng := rand.New(rand.NewPCG(uint64(i), 6))
			think := func() {
				if cfg.Think > 0 {
					time.Sleep(time.Duration(min(10, rng.ExpFloat64()) * float64(cfg.Think)))
				}
			}
			if cfg.Think == 0 {
				// Spread the first clicks over 200 ms rather than one instant.
				time.Sleep(time.Duration(i) * 200 * time.Millisecond / time.Duration(len(users)))
			}
			last := lastModal(fake, u)
			start := time.Now()
			for range cfg.Rounds {
				if cfg.Duration > 0 && time.Since(start) > cfg.Duration {
					return
				}
				think()
				if last = sim.openModal(ctx, u, last); last == "" {
					return
				}
				think()
				sim.submit(ctx, u, last)
			}
		})
	}
	res.DMs = len(fake.Calls("chat.postMessage"))
	res.Heap = heapObjects()
	res.Problems = fake.Problems()
	return res, err
}

func lastModal(fake *slackfake.Server, user string) string {
	v, _ := fake.LastModal(user)
	return v.ID
}

// simulation holds what simulated users record.
type simulation struct {
	fake   *slackfake.Server
	values map[string]map[string]slack.BlockAction

	mu  sync.Mutex
	res interactResult
}

func (s *simulation) each(users []string, f func(i int, u string)) {
	var wg sync.WaitGroup
	for i, u := range users {
		wg.Go(func() { f(i, u) })
	}
	wg.Wait()
}

// measure runs f for every user at once and collects what they recorded,
// with the bot's own ack histograms over the same span.
func (s *simulation) measure(ctx context.Context, bp *botProcess, users []string, procs []proc, f func(i int, u string)) (interactResult, error) {
	metricsURL := bp.metricsURL
	cmd0, err := scrapeHistogram(ctx, metricsURL, ackMetric, `type="slash_commands"`)
	if err != nil {
		return interactResult{}, fmt.Errorf("scrape /metrics: %w", err)
	}
	sub0, _ := scrapeHistogram(ctx, metricsURL, ackMetric, `type="interactive"`)
	s.mu.Lock()
	s.res = interactResult{}
	s.mu.Unlock()
	cpu := sampleCPU(procs...)
	start := time.Now()
	s.each(users, f)
	elapsed := time.Since(start)
	cpuLine := cpuSince(cpu)
	cmd1, err := scrapeHistogram(ctx, metricsURL, ackMetric, `type="slash_commands"`)
	if err != nil {
		return interactResult{}, fmt.Errorf("scrape /metrics: %w", err)
	}
	sub1, _ := scrapeHistogram(ctx, metricsURL, ackMetric, `type="interactive"`)
	acks, err := bp.acks(ctx, start)
	if err != nil {
		return interactResult{}, fmt.Errorf("bot latencies: %w", err)
	}
	exact := byType(acks)
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.res
	r.Elapsed = elapsed
	r.BotCommands, r.BotSubmit = cmd1.minus(cmd0), sub1.minus(sub0)
	r.BotExactCommands, r.BotExactSubmit = exact["slash_commands"], exact["interactive"]
	r.CPU = cpuLine
	return r, nil
}

// command runs /partner-assess text and records its ack.
func (s *simulation) command(ctx context.Context, user, text string) bool {
	ack, err := s.fake.SlashCommand(ctx, user, loadChannel, loadCommand, text)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.res.Other++
		return false
	}
	s.res.Commands = append(s.res.Commands, ack.Latency)
	if strings.Contains(string(ack.Payload), "try again") {
		s.res.CommandTryAgain++
	}
	return true
}

// openModal runs /partner-assess and waits for a modal other than last;
// it returns its id ("" when none opened).
func (s *simulation) openModal(ctx context.Context, user, last string) string {
	if !s.command(ctx, user, "") {
		return ""
	}
	deadline := time.Now().Add(modalWait)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if v, ok := s.fake.LastModal(user); ok && v.ID != last && v.Open {
			return v.ID
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.mu.Lock()
	s.res.NoModal++
	s.mu.Unlock()
	return ""
}

// submit answers the modal and records the ack and what it said.
func (s *simulation) submit(ctx context.Context, user, viewID string) {
	ack, err := s.fake.SubmitView(ctx, user, viewID, s.values)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.res.Other++
		return
	}
	s.res.Submit = append(s.res.Submit, ack.Latency)
	switch p := string(ack.Payload); {
	case strings.Contains(p, `"response_action":"update"`):
		s.res.Saved++
	case strings.Contains(p, "try again"):
		s.res.TryAgain++
	default:
		s.res.Other++
	}
}

func (r interactResult) report(w io.Writer, title string) {
	fmt.Fprintf(w, "%s\n", title)
	fmt.Fprintf(w, "  elapsed %s, acks %d (%.0f acks/s); submissions: %d saved, %d try again, %d other; %d commands answered try again; %d without modal; %d result DMs delivered; %d fake problems; heap %.0f MB\n",
		r.Elapsed.Round(time.Millisecond), len(r.Commands)+len(r.Submit), r.acksPerSecond(), r.Saved, r.TryAgain, r.Other, r.CommandTryAgain, r.NoModal, r.DMs, len(r.Problems), float64(r.Heap)/1e6)
	all := append(append(latencies{}, r.Commands...), r.Submit...)
	fmt.Fprintf(w, "  fake-side ack latency, all:          %s\n", all.summary())
	fmt.Fprintf(w, "  fake-side ack latency, slash command: %s\n", r.Commands.summary())
	fmt.Fprintf(w, "  fake-side ack latency, submission:    %s\n", r.Submit.summary())
	fmt.Fprintf(w, "  bot-side (/metrics), slash command:   %s\n", r.BotCommands.summary())
	fmt.Fprintf(w, "  bot-side (/metrics), submission:      %s\n", r.BotSubmit.summary())
	botAll := append(append(latencies{}, r.BotExactCommands...), r.BotExactSubmit...)
	fmt.Fprintf(w, "  bot-side (exact), all:               %s\n", botAll.summary())
	fmt.Fprintf(w, "  bot-side (exact), slash command:     %s\n", r.BotExactCommands.summary())
	fmt.Fprintf(w, "  bot-side (exact), submission:        %s\n", r.BotExactSubmit.summary())
	fmt.Fprintf(w, "  %s\n", r.CPU)
	for i, p := range r.Problems {
		if i == 5 {
			fmt.Fprintf(w, "  … %d more problems\n", len(r.Problems)-5)
			break
		}
		fmt.Fprintf(w, "  problem: %s\n", p)
	}
}
