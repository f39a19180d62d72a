package bot

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/partnerbot/partnerbot/internal/slackui"
	"github.com/slack-go/slack"
)

func charterSubmission(meta string, values map[string]map[string]slack.BlockAction) slack.InteractionCallback {
	var cb slack.InteractionCallback
	cb.Type = slack.InteractionTypeViewSubmission
	cb.User.ID = "U1"
	cb.View.ID = "V1"
	cb.View.CallbackID = slackui.CallbackCharter
	cb.View.PrivateMetadata = meta
	cb.View.State = &slack.ViewState{Values: values}
	return cb
}

// The charter form's submission: forged metadata is dropped before the
// ack; an empty charter and a pair that is not the user's keep the form
// open with inline errors, and nothing runs after the ack.
func TestCharterSubmit(t *testing.T) {
	b, mr := newTestBot(t)
	ctx := context.Background()
	for _, meta := range []string{``, `{"v":1,"pair":"U1-U2","base":-1}`, `{"v":9,"pair":"U1-U2","base":0}`, `{"v":1,"pair":"U1-U2-U3","base":0}`} {
		if _, err := b.onInteraction(ctx, charterSubmission(meta, nil)); !errors.Is(err, slackui.ErrBadMetadata) {
			t.Errorf("metadata %q: %v, want ErrBadMetadata", meta, err)
		}
	}
	r, err := b.onInteraction(ctx, charterSubmission(`{"v":1,"pair":"U1-U2","base":0}`, nil))
	if got := ackJSON(t, r); err != nil || !strings.Contains(got, `"response_action":"errors"`) || !strings.Contains(got, "Write at least one thing") || r.after != nil {
		t.Errorf("empty charter: ack %s, err %v", got, err)
	}
	text := func(v string) map[string]slack.BlockAction {
		return map[string]slack.BlockAction{slackui.ActionCharterText: {Type: "plain_text_input", Value: v}}
	}
	full := map[string]map[string]slack.BlockAction{slackui.BlockCharterAssistantExpects: text("x"), slackui.BlockCharterChannel: text("DM")}
	for i := 1; i <= 9; i++ {
		full[slackui.BlockCharterTask(i)] = map[string]slack.BlockAction{slackui.ActionCharterTask: {SelectedOption: slack.OptionBlockObject{Value: "shared"}}}
	}
	r, _ = b.onInteraction(ctx, charterSubmission(`{"v":1,"pair":"U1-U2","base":0}`, full))
	if got := ackJSON(t, r); !strings.Contains(got, "That partnership is not one of yours") || r.after != nil {
		t.Errorf("not the user's pair: ack %s", got)
	}
	mr.SetError("LOADING Redis is loading the dataset in memory")
	r, _ = b.onInteraction(ctx, charterSubmission(`{"v":1,"pair":"U1-U2","base":0}`, full))
	if got := ackJSON(t, r); !strings.Contains(got, "Could not save, please try again. Your charter is still here.") || r.after != nil {
		t.Errorf("redis down: ack %s", got)
	}
	if keys := mr.Keys(); len(keys) != 0 {
		t.Errorf("keys written: %v", keys)
	}
}
