// Package slackfake is a fake Slack workspace for end-to-end tests and local
// sandboxes: it serves the Slack Web API over HTTP and Socket Mode over a real
// WebSocket, on 127.0.0.1 with an ephemeral port, so that a bot built on the
// real slack-go client can run against it unchanged:
//
//	fake, err := slackfake.New(slackfake.Options{})
//	...
//	defer fake.Close()
//	api := slack.New(fake.BotToken(),
//		slack.OptionAPIURL(fake.APIURL()),
//		slack.OptionAppLevelToken(fake.AppToken()))
//	sm := socketmode.New(api)
//	go sm.RunContext(ctx)
//	_ = fake.WaitConnected(ctx, 1)
//	ack, err := fake.SlashCommand(ctx, "U1", "C1", "/pair", "help")
//
// # What it does
//
// The Web API (under /api/<method>) serves auth.test, apps.connections.open,
// views.open, views.update, views.push, views.publish, chat.postMessage,
// chat.postEphemeral, chat.update, conversations.open, users.info,
// files.getUploadURLExternal and files.completeUploadExternal. Each call
// must carry the bot token (Authorization: Bearer or a "token" form field);
// apps.connections.open must carry the app-level token. Answers use the
// JSON shapes slack-go decodes, and every ok:false answer carries an
// "error". Unknown methods answer 404 {"ok":false,"error":"unknown_method"}.
//
// Files v2 uploads (slack-go's UploadFileContext) work end to end: the
// upload URL is on the fake's own scheme and host (under /upload/<file_id>;
// slack-go sends the token only to such a URL or an https Slack host), takes
// a multipart or raw POST body, and 404s for an unknown or completed file.
// files.completeUploadExternal shares the files as one bot message per
// channel (Message.Files, Text = initial_comment). As on Slack, channel_id
// must be a C/G/D id (a U… id fails with invalid_arguments; users go in
// "channels", which lands in the bot's DM), and without any channel the
// file is completed but stays private.
//
// Socket Mode follows Slack's protocol: apps.connections.open hands out a
// one-time ws:// URL; on connect the server sends "hello", pings with
// WebSocket ping frames every Options.PingInterval, and delivers envelopes
// (Server.Send and the helpers SlashCommand, SubmitView, ClickButton,
// SelectOption, MessageShortcut, SendEvent, OpenHome) to one connection at
// a time, round robin, then waits for the envelope's ack. PostAsUser
// writes a person's message, for a message shortcut to act on.
// Interaction payloads carry a fresh trigger_id that views.open accepts
// once; SelectOption's selections stay in the view's state.values for
// later clicks and submissions.
//
// # What it checks
//
// The fake enforces the Block Kit limits and protocol rules that bite in
// production (modal title ≤ 24 characters, ≤ 100 blocks per view, ≤ 50 per
// message, unique block_ids, trigger_id used once and within its TTL, acks
// within 3 s and under 20 KB, no double acks, errors keyed by input
// block_ids, ...). Where Slack rejects a call the fake answers like Slack
// (invalid_arguments, invalid_blocks, expired_trigger_id, ...); every rule
// the bot broke is also recorded in Server.Problems, which tests should
// assert is empty.
//
// # What it records
//
// Views (View, Views, HomeView), messages (Messages, DMs, Ephemerals),
// uploaded files (Files, FileByID), group DMs (GroupDM), Web API calls
// (Calls, without tokens; uploads are recorded as method "upload") and acks
// (Acks) can be inspected at any time; WaitFor blocks until a condition over
// that state holds, waking on every change.
//
// # Faults
//
// FailNext makes the next calls to a method fail with an HTTP status (429
// with Retry-After, 500, ...) or an ok:false error; Disconnect asks clients
// to reconnect the way Slack does; DropConnections cuts sockets abruptly;
// SendRaw writes arbitrary frames. FailNextClientWrite breaks a socket while
// the client writes a large ack (for clients dialing through Dialer), so
// that slack-go reports the write as failed.
//
// A Server holds all its state itself (there is no package-level mutable
// state) and is safe for concurrent use. It never logs tokens.
package slackfake
