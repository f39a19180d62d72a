package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/partnerbot/partnerbot/internal/partnership"
	"github.com/partnerbot/partnerbot/internal/slackui"
	"github.com/slack-go/slack"
)

// pairFor makes a pair UA–UE the way people do, for handler tests.
func pairFor(t *testing.T, b *Bot) partnership.Pair {
	t.Helper()
	ctx := context.Background()
	inv, err := b.svc.Invite(ctx, "UA", partnership.Person{ID: "UE"}, "assistant")
	if err != nil {
		t.Fatal(err)
	}
	ans, err := b.svc.AcceptInvitation(ctx, inv.Pair, "UE")
	if err != nil {
		t.Fatal(err)
	}
	return ans.Pair
}

func TestWinCommand(t *testing.T) {
	b, _ := newTestBot(t)
	ctx := context.Background()
	p := pairFor(t, b)
	if _, err := b.svc.AddGoal(ctx, p.ID, "UE", partnership.GoalDraft{Title: "The offsite", Stage: partnership.StageNow, Owner: "UA"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		user, text string
		wantAck    string
	}{
		{"UA", "win", "Say what you accomplished"},
		{"UA", "win    ", "Say what you accomplished"},
		{"UA", "win Booked the venue &amp; the caterer for <@UE|eve>", "“Booked the venue &amp; the caterer for @eve”"},
		{"UA", "WIN  two  spaces kept", "two  spaces kept"},
		{"UA", "win " + strings.Repeat("é", 3001), "A win can be at most 3,000 characters, the most Slack shows in one message section; this one has 3,001."},
		{"UA", "win " + strings.Repeat("x", 3999), "this one has 3,999."}, // over the command limit
		{"UE", "win great job", "Wins are the assistant's accomplishments"},
		{"UX", "win mine", "You are not in a partnership yet."},
	}
	for _, tt := range tests {
		r, err := b.onCommand(ctx, slack.SlashCommand{Command: "/partner-assess", UserID: tt.user, Text: tt.text, TriggerID: "T" + tt.user + tt.text[:min(len(tt.text), 20)]})
		if err != nil {
			t.Errorf("%.30q: %v", tt.text, err)
			continue
		}
		if got := ackJSON(t, r); !strings.Contains(got, tt.wantAck) {
			t.Errorf("%.30q by %s: ack %.400s, want %q", tt.text, tt.user, got, tt.wantAck)
		}
	}
	ws, _ := b.svc.WinsSince(ctx, p.ID, "UA", time.Time{})
	if len(ws) != 2 || ws[0].Text != "Booked the venue & the caterer for @eve" || ws[0].GoalID != "" {
		t.Errorf("wins stored = %+v", ws)
	}
	// The reply offers the goal in Now.
	r, _ := b.onCommand(ctx, slack.SlashCommand{Command: "/partner-assess", UserID: "UA", Text: "win one more", TriggerID: "T9"})
	if got := ackJSON(t, r); !strings.Contains(got, slackui.ActionWinTie) || !strings.Contains(got, "Counts toward The offsite") {
		t.Errorf("reply without the tie button: %s", got)
	}
}

func TestPlainCommandText(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain", "plain"},
		{"&lt;b&gt; &amp;amp;", "<b> &amp;"},
		{"for <@U1|eve> in <#C1|general>", "for @eve in #general"},
		{"for <@U1> and <!here>", "for @someone and @here"},
		{"see <https://x.test/a|the doc> and <https://x.test/b>", "see the doc and https://x.test/b"},
		{"a < b", "a < b"},
		{"unclosed <@U1", "unclosed <@U1"},
	} {
		if got := plainCommandText(tt.in); got != tt.want {
			t.Errorf("plainCommandText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, tt := range []struct{ in, want string }{{"win a  b", "a  b"}, {"  win\tx", "x"}, {"win", ""}} {
		if got := commandRest(tt.in); got != tt.want {
			t.Errorf("commandRest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func action(user, actionID, value string) slack.InteractionCallback {
	var cb slack.InteractionCallback
	cb.Type = slack.InteractionTypeBlockActions
	cb.User.ID = user
	cb.TriggerID = "T-" + actionID
	cb.ActionCallback.BlockActions = []*slack.BlockAction{{ActionID: actionID, Value: value}}
	return cb
}

// goalInNow pairs UA with UE and gives them one goal in Now.
func goalInNow(t *testing.T, b *Bot) (partnership.Pair, partnership.Goal) {
	t.Helper()
	p := pairFor(t, b)
	g, err := b.svc.AddGoal(context.Background(), p.ID, "UA", partnership.GoalDraft{Title: "The offsite", Stage: partnership.StageNow, Owner: "UA"})
	if err != nil {
		t.Fatal(err)
	}
	return p, g
}

// submitted is user's submission of modal m with values.
func submitted(user string, m slack.ModalViewRequest, values map[string]map[string]slack.BlockAction) slack.InteractionCallback {
	var sub slack.InteractionCallback
	sub.Type = slack.InteractionTypeViewSubmission
	sub.User.ID = user
	sub.View.CallbackID = m.CallbackID
	sub.View.PrivateMetadata = m.PrivateMetadata
	sub.View.State = &slack.ViewState{Values: values}
	return sub
}

// A third user's goal buttons and forms are refused; nothing changes.
func TestThirdUserGoalActions(t *testing.T) {
	b, _ := newTestBot(t)
	ctx := context.Background()
	p, g := goalInNow(t, b)
	before, _ := b.svc.Roadmap(ctx, p.ID, "UA")
	ref := slackui.EncodeGoalRef(p.ID, g.ID)
	for _, cb := range []slack.InteractionCallback{
		action("UX", slackui.ActionGoalUpdate, ref),
		action("UX", slackui.ActionGoalEdit, ref),
		action("UX", slackui.ActionGoalAdd, string(p.ID)),
		action("UX", slackui.ActionWinTie, slackui.EncodeWinTie(p.ID, "n1", g.ID)),
		action("UX", slackui.ActionMakeGoal, slackui.EncodeIdea(partnership.GoalIdea{Pair: p.ID, WishID: "w1"})),
	} {
		r, err := b.onInteraction(ctx, cb)
		if err != nil || r.ack != nil || r.after == nil {
			t.Errorf("%s by a third user: ack %v, after %v, err %v; want a private answer after the ack", cb.ActionCallback.BlockActions[0].ActionID, r.ack, r.after != nil, err)
		}
	}
	form := slackui.GoalStatusModal(slackui.GoalStatusForm{Goal: g})
	r, err := b.onInteraction(ctx, submitted("UX", form, map[string]map[string]slack.BlockAction{
		slackui.BlockGoalStage:  {slackui.ActionGoalStage: {Type: "static_select", SelectedOption: slack.OptionBlockObject{Value: "later"}}},
		slackui.BlockGoalStatus: {slackui.ActionGoalStatus: {Type: "radio_buttons", SelectedOption: slack.OptionBlockObject{Value: "dropped"}}},
	}))
	if got := ackJSON(t, r); err != nil || !strings.Contains(got, "That partnership is not one of yours") || !strings.Contains(got, slackui.BlockGoalStatus) {
		t.Errorf("a third user's status form: ack %s, %v", got, err)
	}
	if after, _ := b.svc.Roadmap(ctx, p.ID, "UA"); after.Rev != before.Rev {
		t.Errorf("the roadmap changed: rev %d → %d", before.Rev, after.Rev)
	}
	// Forged values are dropped before the ack.
	for _, v := range []string{"UA-UE", "UA-UE:g1:g2", "<!channel>"} {
		if _, err := b.onInteraction(ctx, action("UA", slackui.ActionGoalUpdate, v)); err == nil {
			t.Errorf("goal button with value %q accepted", v)
		}
	}
}

// A message shortcut is routed by its callback_id; an unknown one dropped.
func TestMessageShortcutRouting(t *testing.T) {
	b, _ := newTestBot(t)
	var cb slack.InteractionCallback
	cb.Type = slack.InteractionTypeMessageAction
	cb.User.ID = "UA"
	cb.CallbackID = slackui.CallbackLogWin
	cb.TriggerID = "T1"
	cb.Team.Domain = "acme"
	cb.Channel.ID = "C1"
	cb.MessageTs = "1700000000.000100"
	r, err := b.onInteraction(context.Background(), cb)
	if err != nil || r.ack != nil || r.after == nil {
		t.Errorf("log_win shortcut: ack %v, after %v, err %v; want the form opened after an empty ack", r.ack, r.after != nil, err)
	}
	cb.CallbackID = "delete_everything"
	if _, err := b.onInteraction(context.Background(), cb); err == nil {
		t.Error("an unknown shortcut was accepted")
	}
	if got := b.Shortcuts(); len(got) != 1 || got[0] != slackui.CallbackLogWin {
		t.Errorf("Shortcuts() = %v", got)
	}
}

// A progress check-in for a round that is not the current one is an
// inline error; nothing is stored. (A goal that cannot take its update:
// TestCheckInGoalErrors in internal/partnership.)
func TestProgressSubmitStaleRound(t *testing.T) {
	b, _ := newTestBot(t)
	ctx := context.Background()
	p, g := goalInNow(t, b)
	round := time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC) // no round is open: every round is stale
	m := slackui.ProgressModal(slackui.Progress{Pair: p, User: "UA", Round: round, Now: []partnership.Goal{g}})
	r, err := b.onInteraction(ctx, submitted("UA", m, map[string]map[string]slack.BlockAction{
		slackui.BlockProgressStatus(g.ID): {slackui.ActionProgressStatus: {Type: "static_select", SelectedOption: slack.OptionBlockObject{Value: "done"}}},
	}))
	if got := ackJSON(t, r); err != nil || !strings.Contains(got, "from an earlier round") || !strings.Contains(got, slackui.BlockReflection) {
		t.Errorf("a stale check-in: ack %s, %v", got, err)
	}
	rm, _ := b.svc.Roadmap(ctx, p.ID, "UA")
	if got, _ := rm.Goal(g.ID); got.Status != partnership.GoalOnTrack || got.Rev != g.Rev {
		t.Errorf("a refused check-in changed the goal: %s rev %d → %d", got.Status, g.Rev, got.Rev)
	}
}
