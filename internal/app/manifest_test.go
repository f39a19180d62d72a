package app

import (
	"maps"
	"os"
	"reflect"
	"slices"
	"testing"

	"github.com/partnerbot/partnerbot/internal/bot"
	"github.com/partnerbot/partnerbot/internal/slackui"
	"go.yaml.in/yaml/v3"
)

// The Slack app manifest must match what the code uses.
func TestManifestMatchesCode(t *testing.T) {
	raw, err := os.ReadFile("../../deploy/slack-app-manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Features struct {
			AppHome struct {
				HomeTab     bool `yaml:"home_tab_enabled"`
				MessagesTab bool `yaml:"messages_tab_enabled"`
			} `yaml:"app_home"`
			SlashCommands []struct {
				Command      string `yaml:"command"`
				UsageHint    string `yaml:"usage_hint"`
				ShouldEscape bool   `yaml:"should_escape"`
				URL          string `yaml:"url"`
			} `yaml:"slash_commands"`
			Shortcuts []struct {
				Name        string `yaml:"name"`
				Type        string `yaml:"type"`
				CallbackID  string `yaml:"callback_id"`
				Description string `yaml:"description"`
			} `yaml:"shortcuts"`
		} `yaml:"features"`
		OAuth struct {
			Scopes struct {
				Bot []string `yaml:"bot"`
			} `yaml:"scopes"`
		} `yaml:"oauth_config"`
		Settings struct {
			Events struct {
				Bot []string `yaml:"bot_events"`
			} `yaml:"event_subscriptions"`
			Interactivity struct {
				Enabled    bool   `yaml:"is_enabled"`
				RequestURL string `yaml:"request_url"`
			} `yaml:"interactivity"`
			SocketMode bool `yaml:"socket_mode_enabled"`
		} `yaml:"settings"`
	}
	if err := yaml.Unmarshal(raw, &m); err != nil {
		t.Fatalf("manifest is not YAML: %v", err)
	}
	if len(m.Features.SlashCommands) != 1 {
		t.Fatalf("manifest has %d slash commands, want 1", len(m.Features.SlashCommands))
	}
	c := m.Features.SlashCommands[0]
	if c.Command != slackui.Command || !c.ShouldEscape || c.URL != "" || c.UsageHint == "" {
		t.Errorf("slash command = %+v, want %s, should_escape, a usage hint and no URL (Socket Mode)", c, slackui.Command)
	}
	if !m.Settings.SocketMode || !m.Settings.Interactivity.Enabled || m.Settings.Interactivity.RequestURL != "" {
		t.Errorf("settings = %+v, want Socket Mode and interactivity without a request URL", m.Settings)
	}
	if !m.Features.AppHome.HomeTab || !m.Features.AppHome.MessagesTab {
		t.Errorf("app_home = %+v, want the Home and Messages tabs (result DMs need the Messages tab)", m.Features.AppHome)
	}
	// Every event the bot handles is subscribed, and nothing more.
	handled := bot.New(nil, nil, nil, &bot.Delivery{}, nil, nil, bot.Options{}).Events()
	if subscribed := slices.Sorted(slices.Values(m.Settings.Events.Bot)); !slices.Equal(subscribed, handled) {
		t.Errorf("bot_events = %v, want the events the bot handles: %v", subscribed, handled)
	}
	// Every message shortcut the bot handles is declared, and nothing more
	// (a shortcut needs no scope: interactivity carries it).
	var shortcuts []string
	for _, sc := range m.Features.Shortcuts {
		if sc.Type != "message" || sc.Name == "" || len(sc.Name) > 24 || sc.Description == "" || len(sc.Description) > 150 {
			t.Errorf("shortcut %+v: want type message, a name of at most 24 characters and a description of at most 150", sc)
		}
		shortcuts = append(shortcuts, sc.CallbackID)
	}
	if handled := bot.New(nil, nil, nil, &bot.Delivery{}, nil, nil, bot.Options{}).Shortcuts(); !slices.Equal(slices.Sorted(slices.Values(shortcuts)), handled) {
		t.Errorf("shortcuts = %v, want the message shortcuts the bot handles: %v", shortcuts, handled)
	}
	// Every scope the bot's Web API calls need, and nothing more.
	need := map[string]bool{"commands": true} // the slash command
	api := reflect.TypeFor[bot.SlackAPI]()
	for i := range api.NumMethod() {
		name := api.Method(i).Name
		scopes, ok := scopesOf[name]
		if !ok {
			t.Errorf("bot.SlackAPI.%s: add its scopes to scopesOf and to the manifest", name)
		}
		for _, s := range scopes {
			need[s] = true
		}
	}
	got := slices.Sorted(slices.Values(m.OAuth.Scopes.Bot))
	want := slices.Sorted(maps.Keys(need))
	if !slices.Equal(got, want) {
		t.Errorf("bot scopes = %v, want %v", got, want)
	}
}

// scopesOf lists the bot scopes each slack-go method the bot calls needs.
var scopesOf = map[string][]string{
	"OpenViewContext":         nil,                        // views.open: no scope
	"UpdateViewContext":       nil,                        // views.update
	"PublishViewContext":      nil,                        // views.publish (Home tab)
	"PostMessageContext":      {"chat:write", "im:write"}, // chat.postMessage to a user ID opens a DM
	"UpdateMessageContext":    {"chat:write"},             // chat.update: a card answered in place
	"GetUserInfoContext":      {"users:read"},             // users.info: bots, deleted users, names
	"OpenConversationContext": {"im:write", "mpim:write"}, // conversations.open: DM, and the pair's group DM
	"UploadFileContext":       {"files:write"},            // files v2 upload (export, the summary's picture)
}
