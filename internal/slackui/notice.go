package slackui

import "github.com/slack-go/slack"

// NoticeView replaces a modal with a short message (mrkdwn text; escape
// any user text in it first).
func NoticeView(title, text string) slack.ModalViewRequest {
	return slack.ModalViewRequest{
		Type:   slack.VTModal,
		Title:  plain(clip(title, MaxTitle)),
		Close:  plain("Close"),
		Blocks: slack.Blocks{BlockSet: []slack.Block{slack.NewSectionBlock(mrkdwn(text), nil, nil)}},
	}
}
