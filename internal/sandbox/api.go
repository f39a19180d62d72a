package sandbox

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/partnerbot/partnerbot/internal/slackfake"
	"github.com/partnerbot/partnerbot/internal/slackui"
	"github.com/slack-go/slack"
)

//go:embed web
var webFiles embed.FS

// apiTimeout bounds one action of the page (the fake waits for the bot's
// ack, which Slack allows 3 s).
const apiTimeout = 10 * time.Second

func (s *Sandbox) routes() http.Handler {
	static, _ := fs.Sub(webFiles, "web")
	mux := http.NewServeMux()
	mux.Handle("GET /", http.FileServerFS(static))
	mux.HandleFunc("GET /api/state", s.handleState)
	mux.HandleFunc("GET /api/file", s.handleFile)
	mux.HandleFunc("POST /api/command", s.post(s.command))
	mux.HandleFunc("POST /api/say", s.post(s.say))
	mux.HandleFunc("POST /api/shortcut", s.post(s.shortcut))
	mux.HandleFunc("POST /api/submit", s.post(s.submit))
	mux.HandleFunc("POST /api/action", s.post(s.action))
	mux.HandleFunc("POST /api/close", s.post(s.closeModal))
	mux.HandleFunc("POST /api/home", s.post(s.openHome))
	mux.HandleFunc("POST /api/jump", s.post(s.jump))
	return mux
}

// request is the body of every POST: who acts, and on what.
type request struct {
	User    string `json:"user"`
	Channel string `json:"channel"`
	TS      string `json:"ts"`
	ViewID  string `json:"view_id"`
	Text    string `json:"text"`
	// Shortcut: the callback_id of a message shortcut.
	CallbackID string `json:"callback_id"`
	// Action: the element pressed or picked.
	Kind     string `json:"kind"` // "button" or "select"
	BlockID  string `json:"block_id"`
	ActionID string `json:"action_id"`
	Value    string `json:"value"`
	// Values: a modal's inputs, block_id → action_id → value.
	Values map[string]map[string]inputValue `json:"values"`
}

// inputValue is one input as the page sends it: a string (text, time,
// user id, the value of the chosen option) or a list (checkboxes).
type inputValue struct {
	Value  string   `json:"value"`
	Values []string `json:"values"`
}

// userError is a refusal the page shows as it is.
type userError struct{ msg string }

func (e userError) Error() string { return e.msg }

// post decodes a JSON POST, runs fn and answers its result as JSON. Only
// application/json from the page's own origin is taken, so that another
// site open in the browser cannot drive the sandbox.
func (s *Sandbox) post(fn func(context.Context, request) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
			writeJSON(w, http.StatusUnsupportedMediaType, map[string]string{"error": "send application/json"})
			return
		}
		if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
			writeJSON(w, http.StatusForbidden, map[string]string{"error": "cross-site request"})
			return
		}
		var req request
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "bad JSON: " + err.Error()})
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), apiTimeout)
		defer cancel()
		out, err := fn(ctx, req)
		if err != nil {
			status := http.StatusBadRequest
			if ue, ok := errors.AsType[userError](err); !ok {
				s.log.Warn("sandbox action failed", slog.String("path", r.URL.Path), slog.Any("error", err))
			} else {
				err = ue
			}
			writeJSON(w, status, map[string]string{"error": err.Error()})
			return
		}
		if out == nil {
			out = map[string]bool{"ok": true}
		}
		writeJSON(w, http.StatusOK, out)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// person checks that id is someone the page may act as.
func (s *Sandbox) person(id string) error {
	for _, u := range s.fake.Users() {
		if u.ID == id && !u.IsBot && !u.Deleted {
			return nil
		}
	}
	return userError{fmt.Sprintf("no person %q in the sandbox", id)}
}

func (s *Sandbox) handleState(w http.ResponseWriter, r *http.Request) {
	user := r.URL.Query().Get("user")
	if err := s.person(user); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, s.state(r.Context(), user, r.URL.Query().Get("since")))
}

// inlineImages are the types of the files the page shows as images.
var inlineImages = map[string]bool{"image/png": true, "image/jpeg": true, "image/gif": true}

// handleFile serves a file shared in a conversation the person sees.
func (s *Sandbox) handleFile(w http.ResponseWriter, r *http.Request) {
	user, id := r.URL.Query().Get("user"), r.URL.Query().Get("id")
	if err := s.person(user); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	for _, c := range s.workspace(user).Conversations {
		for _, m := range c.Messages {
			for _, f := range m.Files {
				if f.ID != id {
					continue
				}
				file, _ := s.fake.FileByID(id)
				// An image the page draws is served as what it is; anything
				// else only as a download, never as a page of this origin.
				if inlineImages[file.MimeType] {
					w.Header().Set("Content-Type", file.MimeType)
					w.Header().Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": file.Name}))
				} else {
					w.Header().Set("Content-Type", "application/octet-stream")
					w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": file.Name}))
				}
				w.Header().Set("X-Content-Type-Options", "nosniff")
				w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
				_, _ = w.Write(file.Content)
				return
			}
		}
	}
	http.NotFound(w, r)
}

// command runs "/partner-assess …" typed in the composer.
func (s *Sandbox) command(ctx context.Context, req request) (any, error) {
	if err := s.person(req.User); err != nil {
		return nil, err
	}
	name, text, _ := strings.Cut(strings.TrimSpace(req.Text), " ")
	if name != slackui.Command {
		return nil, userError{fmt.Sprintf("%s is not a command here: the bot answers %s (try %s help).", name, slackui.Command, slackui.Command)}
	}
	if req.Channel == "" {
		req.Channel = slackfake.DMChannelID(req.User)
	}
	_, err := s.fake.SlashCommand(ctx, req.User, req.Channel, slackui.Command, strings.TrimSpace(text))
	return nil, err
}

// maxSay is the longest message the composer posts (Slack's own limit is
// far higher; the sandbox needs no more).
const maxSay = 4000

// say posts what a person typed that is not a command, as Slack's client
// does: the bot gets no event of it, but it is a message for the message
// shortcuts to act on.
func (s *Sandbox) say(_ context.Context, req request) (any, error) {
	if err := s.sees(req.User, req.Channel); err != nil {
		return nil, err
	}
	text := strings.TrimSpace(req.Text)
	switch {
	case text == "":
		return nil, userError{"write something first"}
	case len(text) > maxSay:
		return nil, userError{fmt.Sprintf("the sandbox posts messages of up to %d characters", maxSay)}
	}
	s.fake.PostAsUser(req.User, req.Channel, text)
	return nil, nil
}

// shortcut runs a message shortcut (from the message's More actions menu)
// on the message at req.TS.
func (s *Sandbox) shortcut(ctx context.Context, req request) (any, error) {
	if err := s.sees(req.User, req.Channel); err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(shortcuts, func(sc shortcut) bool { return sc.CallbackID == req.CallbackID }) {
		return nil, userError{fmt.Sprintf("the app has no message shortcut %q", req.CallbackID)}
	}
	if _, ok := s.fake.Message(req.Channel, req.TS); !ok { // ephemeral ones are not found
		return nil, userError{"Slack offers shortcuts on messages everyone in the conversation sees, not on that one"}
	}
	_, err := s.fake.MessageShortcut(ctx, req.User, req.Channel, req.TS, req.CallbackID)
	return nil, err
}

// sees checks that user is a person of the sandbox who sees channel.
func (s *Sandbox) sees(user, channel string) error {
	if err := s.person(user); err != nil {
		return err
	}
	if !slices.ContainsFunc(s.workspace(user).Conversations, func(c conversation) bool { return c.ID == channel }) {
		return userError{fmt.Sprintf("%s is not a conversation you are in", channel)}
	}
	return nil
}

// submit sends a modal's view_submission with the person's inputs.
func (s *Sandbox) submit(ctx context.Context, req request) (any, error) {
	if err := s.person(req.User); err != nil {
		return nil, err
	}
	v, ok := s.fake.View(req.ViewID)
	if !ok {
		return nil, userError{"that modal is gone"}
	}
	values, err := blockActions(v.JSON, req.Values)
	if err != nil {
		return nil, err
	}
	_, err = s.fake.SubmitView(ctx, req.User, req.ViewID, values)
	return nil, err
}

// action sends the block_actions of a button pressed (in a message, a
// modal or the Home tab) or of an option picked in a select.
func (s *Sandbox) action(ctx context.Context, req request) (any, error) {
	if err := s.person(req.User); err != nil {
		return nil, err
	}
	switch req.Kind {
	case "button":
		c := slackfake.Container{ViewID: req.ViewID}
		if req.ViewID == "" {
			c = slackfake.Container{ChannelID: req.Channel, MessageTS: req.TS}
		}
		_, err := s.fake.ClickButton(ctx, req.User, c, req.ActionID, req.BlockID, "")
		return nil, err
	case "select":
		if req.ViewID == "" {
			return nil, userError{"the sandbox sends selects from modals and the Home tab only"}
		}
		_, err := s.fake.SelectOption(ctx, req.User, req.ViewID, req.BlockID, req.ActionID, req.Value)
		return nil, err
	}
	return nil, userError{fmt.Sprintf("unknown action kind %q", req.Kind)}
}

func (s *Sandbox) closeModal(ctx context.Context, req request) (any, error) {
	if err := s.person(req.User); err != nil {
		return nil, err
	}
	return nil, s.fake.CloseModal(ctx, req.User, req.ViewID)
}

// openHome sends app_home_opened, as Slack does when the Home tab opens.
func (s *Sandbox) openHome(ctx context.Context, req request) (any, error) {
	if err := s.person(req.User); err != nil {
		return nil, err
	}
	_, err := s.fake.OpenHome(ctx, req.User)
	return nil, err
}

// blockActions turns the page's inputs into the state values Slack would
// send: each chosen option as the view defines it.
func blockActions(view json.RawMessage, in map[string]map[string]inputValue) (map[string]map[string]slack.BlockAction, error) {
	var v struct {
		Blocks []struct {
			Type    string          `json:"type"`
			BlockID string          `json:"block_id"`
			Element json.RawMessage `json:"element"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal(view, &v); err != nil {
		return nil, fmt.Errorf("sandbox: read view: %w", err)
	}
	type element struct {
		Type         string                    `json:"type"`
		ActionID     string                    `json:"action_id"`
		Options      []slack.OptionBlockObject `json:"options"`
		OptionGroups []struct {
			Options []slack.OptionBlockObject `json:"options"`
		} `json:"option_groups"`
	}
	out := map[string]map[string]slack.BlockAction{}
	for _, b := range v.Blocks {
		actions, ok := in[b.BlockID]
		if b.Type != "input" || !ok {
			continue
		}
		var el element
		if err := json.Unmarshal(b.Element, &el); err != nil {
			return nil, fmt.Errorf("sandbox: read input %s: %w", b.BlockID, err)
		}
		val, ok := actions[el.ActionID]
		if !ok {
			continue
		}
		options := el.Options
		for _, g := range el.OptionGroups {
			options = append(options, g.Options...)
		}
		option := func(value string) (slack.OptionBlockObject, error) {
			i := slices.IndexFunc(options, func(o slack.OptionBlockObject) bool { return o.Value == value })
			if i < 0 {
				return slack.OptionBlockObject{}, userError{fmt.Sprintf("%q is not an option of %s", value, b.BlockID)}
			}
			return options[i], nil
		}
		act := slack.BlockAction{Type: slack.ActionType(el.Type)}
		switch el.Type {
		case "radio_buttons", "static_select":
			if val.Value == "" {
				continue
			}
			o, err := option(val.Value)
			if err != nil {
				return nil, err
			}
			act.SelectedOption = o
		case "checkboxes":
			for _, x := range val.Values {
				o, err := option(x)
				if err != nil {
					return nil, err
				}
				act.SelectedOptions = append(act.SelectedOptions, o)
			}
		case "users_select":
			act.SelectedUser = val.Value
		case "timepicker":
			act.SelectedTime = val.Value
		case "datepicker":
			// Slack's date picker gives a calendar date or nothing.
			if _, err := time.Parse(time.DateOnly, val.Value); val.Value != "" && err != nil {
				return nil, userError{fmt.Sprintf("%q is not a date (YYYY-MM-DD) for %s", val.Value, b.BlockID)}
			}
			act.SelectedDate = val.Value
		case "plain_text_input":
			act.Value = val.Value
		default:
			return nil, userError{fmt.Sprintf("the sandbox cannot send a %s input", el.Type)}
		}
		out[b.BlockID] = map[string]slack.BlockAction{el.ActionID: act}
	}
	return out, nil
}
