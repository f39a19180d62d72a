package sandbox

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/partnerbot/partnerbot/internal/slackfake"
	"github.com/partnerbot/partnerbot/internal/slackui"
)

// state is what the page shows one person: the workspace as they see it
// (Workspace) and the clock. Version is a hash of Workspace, so that the
// page redraws only what changed and a poll with the same version gets no
// Workspace back.
type state struct {
	Version   string     `json:"version"`
	Now       time.Time  `json:"now"`
	Offset    string     `json:"offset"`
	Next      *time.Time `json:"next"`
	Workspace *workspace `json:"workspace,omitempty"`

	// MinInterval is the sandbox's shortest check-in schedule, in words
	// ("every minute"): far shorter than production's.
	MinInterval string `json:"min_interval"`
	// Shortcuts are the app's message shortcuts, in every message's "More
	// actions" menu.
	Shortcuts []shortcut `json:"shortcuts"`
}

// shortcut is a message shortcut of the app, as its manifest declares it.
type shortcut struct {
	CallbackID string `json:"callback_id"`
	Name       string `json:"name"`
}

// shortcuts are deploy/slack-app-manifest.yaml's message shortcuts.
var shortcuts = []shortcut{{CallbackID: slackui.CallbackLogWin, Name: "Log as a win"}}

type workspace struct {
	Me            string         `json:"me"`
	BotID         string         `json:"bot_id"`
	Users         []person       `json:"users"`
	Conversations []conversation `json:"conversations"`
	Home          *surface       `json:"home"`
	Modal         *surface       `json:"modal"`
	Problems      []string       `json:"problems"`
}

type person struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	RealName string `json:"real_name"`
	TZ       string `json:"tz"`
	IsBot    bool   `json:"is_bot"`
}

type conversation struct {
	ID       string    `json:"id"`
	Kind     string    `json:"kind"` // "dm" (with the bot), "group" or "channel"
	Name     string    `json:"name"`
	Members  []string  `json:"members,omitempty"`
	Messages []message `json:"messages"`
}

type message struct {
	TS string `json:"ts"`
	// User wrote it: the bot, or a person typing in the composer.
	User      string          `json:"user"`
	At        time.Time       `json:"at"` // sandbox time
	Text      string          `json:"text"`
	Blocks    json.RawMessage `json:"blocks,omitempty"`
	Ephemeral bool            `json:"ephemeral,omitempty"`
	Edited    bool            `json:"edited,omitempty"`
	Files     []file          `json:"files,omitempty"`
}

type file struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// MimeType is what the fake sniffed; the page draws images.
	MimeType string `json:"mimetype,omitempty"`
	// Alt is the file's alt text, for an image.
	Alt string `json:"alt,omitempty"`
}

// surface is a modal or the Home tab.
type surface struct {
	ID     string            `json:"id"`
	View   json.RawMessage   `json:"view"`
	Errors map[string]string `json:"errors,omitempty"`
	// Depth is how many modals are open in the stack, this one included.
	Depth int `json:"depth,omitempty"`
}

// state builds user's state; an unchanged workspace (same version as
// since) is left out.
func (s *Sandbox) state(ctx context.Context, user, since string) state {
	ws := s.workspace(user)
	raw, _ := json.Marshal(ws)
	sum := sha256.Sum256(raw)
	st := state{
		Version: hex.EncodeToString(sum[:12]),
		Now:     s.clock.Now(),
		Offset:  s.clock.Offset().Round(time.Second).String(),

		MinInterval: every(s.minInterval),
		Shortcuts:   shortcuts,
	}
	if next, err := s.bot.NextCheckin(ctx); err == nil && !next.IsZero() {
		st.Next = &next
	}
	if st.Version != since {
		st.Workspace = ws
	}
	return st
}

func (s *Sandbox) workspace(user string) *workspace {
	ws := &workspace{Me: user, BotID: s.fake.BotUserID(), Problems: s.fake.Problems()}
	for _, u := range s.fake.Users() {
		if u.Deleted {
			continue
		}
		ws.Users = append(ws.Users, person{ID: u.ID, Name: u.Name, RealName: u.RealName, TZ: u.TZ, IsBot: u.IsBot})
	}
	// The bot's DM first, then the group DMs the person is in, then the
	// channels.
	dm := slackfake.DMChannelID(user)
	ws.Conversations = append(ws.Conversations, conversation{ID: dm, Kind: "dm", Name: "Partnerbot"})
	var groups, channels []conversation
	for _, c := range s.fake.Conversations() {
		switch {
		case c.Kind == slackfake.KindMPIM && slices.Contains(c.Members, user):
			groups = append(groups, conversation{ID: c.ID, Kind: "group", Name: c.Name, Members: c.Members})
		case c.Kind == slackfake.KindChannel:
			channels = append(channels, conversation{ID: c.ID, Kind: "channel", Name: c.Name})
		}
	}
	ws.Conversations = append(append(ws.Conversations, groups...), channels...)
	for i := range ws.Conversations {
		ws.Conversations[i].Messages = s.messages(ws.Conversations[i].ID, user)
	}
	if h, ok := s.fake.HomeView(user); ok {
		ws.Home = &surface{ID: h.ID, View: h.JSON}
	}
	if open := s.fake.OpenModals(user); len(open) > 0 {
		top := open[len(open)-1]
		depth := 0
		for _, v := range open {
			if v.RootViewID == top.RootViewID {
				depth++
			}
		}
		ws.Modal = &surface{ID: top.ID, View: top.JSON, Errors: top.Errors, Depth: depth}
	}
	return ws
}

// messages are the messages of channel that user sees: everyone's, and
// the ephemeral ones shown to them.
func (s *Sandbox) messages(channel, user string) []message {
	out := []message{}
	for _, m := range s.fake.Messages(channel) {
		if m.Ephemeral && m.To != user {
			continue
		}
		msg := message{TS: m.TS, User: m.User, At: s.clock.At(tsTime(m.TS)), Text: m.Text, Blocks: m.Blocks, Ephemeral: m.Ephemeral, Edited: m.Updated}
		for _, id := range m.Files {
			if f, ok := s.fake.FileByID(id); ok {
				msg.Files = append(msg.Files, file{ID: f.ID, Name: cmp.Or(f.Title, f.Name, f.ID), MimeType: f.MimeType, Alt: f.AltText})
			}
		}
		out = append(out, msg)
	}
	return out
}

// tsTime reads a Slack message timestamp ("1700000000.123456").
func tsTime(ts string) time.Time {
	sec, frac, _ := strings.Cut(ts, ".")
	s, _ := strconv.ParseInt(sec, 10, 64)
	us, _ := strconv.ParseInt((frac + "000000")[:6], 10, 64)
	return time.Unix(s, us*1000)
}

// every says a check-in interval in words: "every minute", "every 2 hours".
func every(d time.Duration) string {
	for _, u := range []struct {
		size time.Duration
		name string
	}{{24 * time.Hour, "day"}, {time.Hour, "hour"}, {time.Minute, "minute"}, {time.Second, "second"}} {
		if d >= u.size && d%u.size == 0 {
			if n := d / u.size; n > 1 {
				return "every " + strconv.FormatInt(int64(n), 10) + " " + u.name + "s"
			}
			return "every " + u.name
		}
	}
	return "every " + d.String()
}
