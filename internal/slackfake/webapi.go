package slackfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

const maxRequestBody = 10 << 20

// apiRequest is a parsed Web API request.
type apiRequest struct {
	method string
	scheme string // "http" or "https", as the request came in
	host   string
	form   url.Values     // query and form fields, token removed
	obj    map[string]any // JSON body, token removed
	token  string
}

// str returns a scalar parameter from the form or the JSON body.
func (r *apiRequest) str(key string) string {
	if v := r.form.Get(key); v != "" {
		return v
	}
	switch x := r.obj[key].(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}

// jsonField returns a parameter that holds JSON: a nested value in a JSON
// body, or a JSON string (a form field, as slack-go sends blocks).
func (r *apiRequest) jsonField(key string) (v any, present bool, err error) {
	if x, ok := r.obj[key]; ok {
		if s, isStr := x.(string); isStr {
			v, err = decodeJSON([]byte(s))
			return v, true, err
		}
		return x, true, nil
	}
	if vals, ok := r.form[key]; ok && len(vals) > 0 {
		if vals[0] == "" {
			return nil, true, nil
		}
		v, err = decodeJSON([]byte(vals[0]))
		return v, true, err
	}
	return nil, false, nil
}

type apiResult struct {
	status int
	err    string
	fields map[string]any
	header http.Header
}

func okResult(fields map[string]any) apiResult {
	return apiResult{status: http.StatusOK, fields: fields}
}

func failResult(code string) apiResult {
	return apiResult{status: http.StatusOK, err: code}
}

// invalidResult answers like Slack does for arguments that break Block Kit
// rules, listing the problems in response_metadata.messages.
func invalidResult(code string, problems []string) apiResult {
	msgs := make([]string, len(problems))
	for i, p := range problems {
		msgs[i] = "[ERROR] " + p
	}
	return apiResult{status: http.StatusOK, err: code, fields: map[string]any{
		"response_metadata": map[string]any{"messages": msgs},
	}}
}

func (s *Server) handleAPI(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	call := Call{Method: method, At: time.Now(), Params: map[string]string{}}
	req, perr := parseAPIRequest(r)
	if req != nil {
		for k, v := range req.form {
			if len(v) > 0 {
				call.Params[k] = v[0]
			}
		}
		if req.obj != nil {
			call.Body = mustMarshal(req.obj)
			for k, v := range req.obj {
				switch x := v.(type) {
				case string:
					call.Params[k] = x
				case json.Number:
					call.Params[k] = x.String()
				case bool:
					call.Params[k] = strconv.FormatBool(x)
				}
			}
		}
	}
	var res apiResult
	if perr != nil {
		res = failResult("invalid_form_data")
		if req != nil && req.obj == nil && strings.Contains(r.Header.Get("Content-Type"), "json") {
			res = failResult("invalid_json")
		}
	} else {
		res = s.dispatch(req)
	}

	body := map[string]any{"ok": res.err == ""}
	maps.Copy(body, res.fields)
	if res.err != "" {
		body["error"] = res.err
	}
	for k, v := range res.header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(res.status)
	_ = json.NewEncoder(w).Encode(body)

	call.Status, call.Error = res.status, res.err
	s.log.Debug("slackfake: api call", "method", method, "status", res.status, "error", res.err)
	s.mu.Lock()
	s.calls = append(s.calls, call)
	s.notifyLocked()
	s.mu.Unlock()
}

func parseAPIRequest(r *http.Request) (*apiRequest, error) {
	req := &apiRequest{method: strings.TrimPrefix(r.URL.Path, "/api/"), scheme: "http", host: r.Host, form: url.Values{}}
	if r.TLS != nil {
		req.scheme = "https"
	}
	if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "Bearer ") {
		req.token = strings.TrimPrefix(auth, "Bearer ")
	}
	for k, v := range r.URL.Query() {
		req.form[k] = v
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody))
	if err != nil {
		return req, err
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case ct == "application/json":
		if len(bytes.TrimSpace(body)) > 0 && string(bytes.TrimSpace(body)) != "null" {
			obj, err := decodeObject(body)
			if err != nil {
				return req, err
			}
			req.obj = obj
		}
	case ct == "multipart/form-data":
		r.Body = io.NopCloser(bytes.NewReader(body))
		if err := r.ParseMultipartForm(maxRequestBody); err != nil {
			return req, err
		}
		for k, v := range r.MultipartForm.Value {
			req.form[k] = v
		}
	default:
		vals, err := url.ParseQuery(string(body))
		if err != nil {
			return req, err
		}
		for k, v := range vals {
			req.form[k] = append(req.form[k], v...)
		}
	}
	if t := req.form.Get("token"); t != "" && req.token == "" {
		req.token = t
	}
	if t, ok := req.obj["token"].(string); ok && req.token == "" {
		req.token = t
	}
	req.form.Del("token")
	delete(req.obj, "token")
	return req, nil
}

func (s *Server) dispatch(r *apiRequest) apiResult {
	handlers := map[string]func(*apiRequest) apiResult{
		"auth.test":             s.authTest,
		"apps.connections.open": s.appsConnectionsOpen,
		"views.open":            s.viewsOpen,
		"views.update":          s.viewsUpdate,
		"views.push":            s.viewsPush,
		"views.publish":         s.viewsPublish,
		"chat.postMessage":      s.chatPostMessage,
		"chat.postEphemeral":    s.chatPostEphemeral,
		"chat.update":           s.chatUpdate,
		"conversations.open":    s.conversationsOpen,
		"users.info":            s.usersInfo,

		"files.getUploadURLExternal":   s.filesGetUploadURLExternal,
		"files.completeUploadExternal": s.filesCompleteUploadExternal,
	}
	h, ok := handlers[r.method]
	if !ok {
		return apiResult{status: http.StatusNotFound, err: "unknown_method"}
	}

	s.mu.Lock()
	var f *fault
	if q := s.faults[r.method]; len(q) > 0 {
		f = &q[0]
		s.faults[r.method] = q[1:]
	}
	s.mu.Unlock()
	if f != nil {
		res := apiResult{status: f.status, err: f.slackErr}
		if f.status == http.StatusTooManyRequests && f.retryAfter > 0 {
			secs := int((f.retryAfter + time.Second - 1) / time.Second)
			res.header = http.Header{"Retry-After": {strconv.Itoa(secs)}}
		}
		return res
	}

	want := s.opts.BotToken
	if r.method == "apps.connections.open" {
		want = s.opts.AppToken
	}
	if r.token == "" || r.token != want {
		return failResult("invalid_auth")
	}
	s.mu.Lock()
	limited := s.rateLimitedLocked(r.method)
	s.mu.Unlock()
	if limited != nil {
		return *limited
	}
	return h(r)
}

func (s *Server) authTest(*apiRequest) apiResult {
	return okResult(map[string]any{
		"url":                   "https://" + TeamDomain + ".slack.com/",
		"team":                  "Fake Workspace",
		"user":                  "bot",
		"team_id":               s.opts.TeamID,
		"user_id":               s.opts.BotUserID,
		"bot_id":                BotID,
		"is_enterprise_install": false,
	})
}

func (s *Server) appsConnectionsOpen(r *apiRequest) apiResult {
	ticket := randHex(32)
	s.mu.Lock()
	s.tickets[ticket] = s.opts.Now().Add(ticketTTL)
	s.mu.Unlock()
	return okResult(map[string]any{"url": "ws://" + r.host + "/ws?ticket=" + ticket})
}

// viewParam returns the "view" argument as an object.
func viewParam(r *apiRequest) (map[string]any, apiResult, bool) {
	v, present, err := r.jsonField("view")
	if !present {
		return nil, failResult("invalid_arguments"), false
	}
	m, isObj := v.(map[string]any)
	if err != nil || !isObj {
		return nil, failResult("invalid_arguments"), false
	}
	return m, apiResult{}, true
}

func (s *Server) recordProblemsLocked(problems []string) {
	for _, p := range problems {
		s.problemLocked("%s", p)
	}
}

func (s *Server) viewsOpen(r *apiRequest) apiResult {
	view, res, ok := viewParam(r)
	if !ok {
		return res
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := validateView("views.open", "modal", view); len(p) > 0 {
		s.recordProblemsLocked(p)
		return invalidResult("invalid_arguments", p)
	}
	user, code := s.useTriggerLocked("views.open", r.str("trigger_id"))
	if code != "" {
		return failResult(code)
	}
	rec := s.newModalLocked(user, view, "", "")
	return okResult(map[string]any{"view": json.RawMessage(rec.JSON)})
}

func (s *Server) viewsPush(r *apiRequest) apiResult {
	view, res, ok := viewParam(r)
	if !ok {
		return res
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := validateView("views.push", "modal", view); len(p) > 0 {
		s.recordProblemsLocked(p)
		return invalidResult("invalid_arguments", p)
	}
	user, code := s.useTriggerLocked("views.push", r.str("trigger_id"))
	if code != "" {
		return failResult(code)
	}
	top := s.topModalLocked(user)
	if top == nil {
		s.problemLocked("views.push: user %s has no modal open to push onto (use views.open)", user)
		rec := s.newModalLocked(user, view, "", "")
		return okResult(map[string]any{"view": json.RawMessage(rec.JSON)})
	}
	if s.stackDepthLocked(top.RootViewID) >= 3 {
		return failResult("push_limit_reached")
	}
	rec := s.newModalLocked(user, view, top.RootViewID, top.ID)
	return okResult(map[string]any{"view": json.RawMessage(rec.JSON)})
}

func (s *Server) viewsUpdate(r *apiRequest) apiResult {
	view, res, ok := viewParam(r)
	if !ok {
		return res
	}
	id, ext, hash := r.str("view_id"), r.str("external_id"), r.str("hash")
	s.mu.Lock()
	defer s.mu.Unlock()
	var rec *viewRec
	for _, v := range s.allViewsLocked() {
		if (id != "" && v.ID == id) || (id == "" && ext != "" && v.ExternalID == ext) {
			rec = v
			break
		}
	}
	if rec == nil {
		return failResult("not_found")
	}
	if p := validateView("views.update", rec.Type, view); len(p) > 0 {
		s.recordProblemsLocked(p)
		return invalidResult("invalid_arguments", p)
	}
	if !rec.Open {
		return failResult("not_found")
	}
	if hash != "" && hash != rec.Hash {
		return failResult("hash_conflict")
	}
	s.setViewLocked(rec, view)
	return okResult(map[string]any{"view": json.RawMessage(rec.JSON)})
}

func (s *Server) viewsPublish(r *apiRequest) apiResult {
	view, res, ok := viewParam(r)
	if !ok {
		return res
	}
	user := r.str("user_id")
	if user == "" {
		return failResult("invalid_arguments")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := validateView("views.publish", "home", view); len(p) > 0 {
		s.recordProblemsLocked(p)
		return invalidResult("invalid_arguments", p)
	}
	rec := s.homes[user]
	if hash := r.str("hash"); hash != "" && rec != nil && hash != rec.Hash {
		return failResult("hash_conflict")
	}
	if rec == nil {
		id := s.nextIDLocked("V")
		rec = &viewRec{View: View{ID: id, UserID: user, Type: "home", Open: true, RootViewID: id}}
		s.homes[user] = rec
	}
	s.setViewLocked(rec, view)
	return okResult(map[string]any{"view": json.RawMessage(rec.JSON)})
}

func (s *Server) allViewsLocked() []*viewRec {
	out := make([]*viewRec, 0, len(s.views)+len(s.homes))
	for _, id := range s.viewOrder {
		out = append(out, s.views[id])
	}
	for _, h := range s.homes {
		out = append(out, h)
	}
	return out
}

// topModalLocked returns the newest open modal of user.
func (s *Server) topModalLocked(user string) *viewRec {
	for _, id := range slices.Backward(s.viewOrder) {
		if v := s.views[id]; v.UserID == user && v.Open {
			return v
		}
	}
	return nil
}

func (s *Server) stackDepthLocked(root string) int {
	n := 0
	for _, v := range s.views {
		if v.RootViewID == root && v.Open {
			n++
		}
	}
	return n
}

func (s *Server) newModalLocked(user string, view map[string]any, root, prev string) *viewRec {
	id := s.nextIDLocked("V")
	if root == "" {
		root = id
	}
	rec := &viewRec{View: View{ID: id, UserID: user, Type: "modal", Open: true, RootViewID: root, PreviousViewID: prev}}
	s.views[id] = rec
	s.viewOrder = append(s.viewOrder, id)
	s.lastModal[user] = id
	s.setViewLocked(rec, view)
	return rec
}

// setViewLocked replaces rec's content with view, as Slack stores it.
func (s *Server) setViewLocked(rec *viewRec, view map[string]any) {
	obj := maps.Clone(view)
	blocks, _ := obj["blocks"].([]any)
	assignIDs(blocks)
	if blocks == nil {
		obj["blocks"] = []any{}
	}
	for _, k := range []string{"private_metadata", "callback_id", "external_id"} {
		if _, ok := obj[k].(string); !ok {
			obj[k] = ""
		}
	}
	for _, k := range []string{"clear_on_close", "notify_on_close"} {
		if _, ok := obj[k].(bool); !ok {
			obj[k] = false
		}
	}
	rec.Hash = fmt.Sprintf("%d.%s", time.Now().Unix(), randHex(8))
	obj["id"] = rec.ID
	obj["team_id"] = s.opts.TeamID
	obj["type"] = rec.Type
	obj["hash"] = rec.Hash
	obj["root_view_id"] = rec.RootViewID
	if rec.PreviousViewID != "" {
		obj["previous_view_id"] = rec.PreviousViewID
	} else {
		obj["previous_view_id"] = nil
	}
	obj["app_id"] = AppID
	obj["bot_id"] = BotID
	obj["app_installed_team_id"] = s.opts.TeamID
	obj["state"] = map[string]any{"values": map[string]any{}}
	rec.obj = obj
	rec.JSON = mustMarshal(obj)
	rec.CallbackID, _ = obj["callback_id"].(string)
	rec.PrivateMetadata, _ = obj["private_metadata"].(string)
	rec.ExternalID, _ = obj["external_id"].(string)
	rec.Title = ""
	if t, ok := obj["title"].(map[string]any); ok {
		rec.Title, _ = t["text"].(string)
	}
	rec.Errors = nil
	s.notifyLocked()
}

// resolveChannelLocked maps a chat.* channel argument to the channel the
// message lands in, or a Slack error.
func (s *Server) resolveChannelLocked(ch string) (string, string) {
	switch {
	case ch == "":
		return "", "channel_not_found"
	case strings.HasPrefix(ch, "U") || strings.HasPrefix(ch, "W"):
		if u, ok := s.users[ch]; ok {
			if u.IsBot {
				return "", "cannot_dm_bot"
			}
			if u.Deleted {
				return "", "user_disabled"
			}
		}
		return s.imLocked(ch).id, ""
	case strings.HasPrefix(ch, "D"):
		return ch, ""
	}
	rec := s.channels[ch]
	if rec == nil || !rec.botIsMember {
		return "", "not_in_channel"
	}
	return ch, ""
}

// imLocked returns (creating it if needed) the bot's DM channel with user.
func (s *Server) imLocked(user string) *channelRec {
	id := DMChannelID(user)
	rec := s.channels[id]
	if rec == nil {
		rec = &channelRec{id: id, botIsMember: true, isIM: true, user: user, members: []string{s.opts.BotUserID, user}}
		s.channels[id] = rec
	}
	return rec
}

func (s *Server) messageJSON(m *Message) map[string]any {
	out := map[string]any{
		"type":    "message",
		"text":    m.Text,
		"user":    m.User,
		"bot_id":  BotID,
		"app_id":  AppID,
		"ts":      m.TS,
		"team":    s.opts.TeamID,
		"channel": m.Channel,
	}
	if m.ThreadTS != "" {
		out["thread_ts"] = m.ThreadTS
	}
	if m.Blocks != nil {
		out["blocks"] = m.Blocks
	}
	if len(m.Files) > 0 {
		files := make([]any, 0, len(m.Files))
		for _, id := range m.Files {
			if f := s.files[id]; f != nil {
				files = append(files, s.fileJSON(f))
			}
		}
		out["files"] = files
		out["upload"] = true
		out["display_as_bot"] = false
	}
	return out
}

// messageContent reads and checks text and blocks of a chat.* call.
func messageContent(method string, r *apiRequest) (text string, blocks any, hasBlocks bool, problems []string, code string) {
	text = r.str("text")
	blocks, hasBlocks, err := r.jsonField("blocks")
	if err != nil {
		return "", nil, false, []string{method + ": blocks: not valid JSON"}, "invalid_blocks_format"
	}
	_, hasAtt, _ := r.jsonField("attachments")
	problems, code = validateMessage(method, text, blocks, hasAtt)
	if code == "" {
		text, problems = truncateText(method, text)
	}
	return text, blocks, hasBlocks, problems, code
}

func (s *Server) chatPostMessage(r *apiRequest) apiResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, code := s.resolveChannelLocked(r.str("channel"))
	if code != "" {
		return failResult(code)
	}
	text, blocks, _, problems, code := messageContent("chat.postMessage", r)
	s.recordProblemsLocked(problems)
	if code != "" {
		return invalidResult(code, problems)
	}
	m := s.addMessageLocked(ch, text, blocks, false, "")
	m.ThreadTS = r.str("thread_ts")
	return okResult(map[string]any{"channel": ch, "ts": m.TS, "message": s.messageJSON(m)})
}

func (s *Server) addMessageLocked(ch, text string, blocks any, ephemeral bool, to string) *Message {
	m := &Message{Channel: ch, User: s.opts.BotUserID, Text: text, TS: s.newTSLocked(), Ephemeral: ephemeral, To: to}
	if arr, ok := blocks.([]any); ok {
		assignIDs(arr)
		m.Blocks = mustMarshal(arr)
	}
	s.msgs = append(s.msgs, m)
	s.notifyLocked()
	return m
}

func (s *Server) chatPostEphemeral(r *apiRequest) apiResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	user := r.str("user")
	if user == "" {
		return failResult("user_not_found")
	}
	ch, code := s.resolveChannelLocked(r.str("channel"))
	if code != "" {
		return failResult(code)
	}
	text, blocks, _, problems, code := messageContent("chat.postEphemeral", r)
	s.recordProblemsLocked(problems)
	if code != "" {
		return invalidResult(code, problems)
	}
	m := s.addMessageLocked(ch, text, blocks, true, user)
	m.ThreadTS = r.str("thread_ts")
	return okResult(map[string]any{"message_ts": m.TS})
}

func (s *Server) findMessageLocked(ch, ts string) *Message {
	for _, m := range s.msgs {
		if m.Channel == ch && m.TS == ts && !m.Ephemeral {
			return m
		}
	}
	return nil
}

func (s *Server) chatUpdate(r *apiRequest) apiResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, ts := r.str("channel"), r.str("ts")
	if strings.HasPrefix(ch, "U") || strings.HasPrefix(ch, "W") {
		// Slack wants the D… id chat.postMessage answered.
		return failResult("channel_not_found")
	}
	m := s.findMessageLocked(ch, ts)
	if m == nil {
		return failResult("message_not_found")
	}
	if m.User != s.opts.BotUserID {
		return failResult("cant_update_message")
	}
	text := m.Text
	if _, ok := r.form["text"]; ok || r.obj["text"] != nil {
		text = r.str("text")
	}
	var blocks any
	if m.Blocks != nil {
		blocks, _ = decodeJSON(m.Blocks)
	}
	newBlocks, hasBlocks, err := r.jsonField("blocks")
	if err != nil {
		p := []string{"chat.update: blocks: not valid JSON"}
		s.recordProblemsLocked(p)
		return invalidResult("invalid_blocks_format", p)
	}
	if hasBlocks {
		blocks = newBlocks
	}
	_, hasAtt, _ := r.jsonField("attachments")
	if problems, code := validateMessage("chat.update", text, blocks, hasAtt); code != "" {
		s.recordProblemsLocked(problems)
		return invalidResult(code, problems)
	}
	text, problems := truncateText("chat.update", text)
	s.recordProblemsLocked(problems)
	m.Text = text
	m.Blocks = nil
	if arr, ok := blocks.([]any); ok && len(arr) > 0 {
		assignIDs(arr)
		m.Blocks = mustMarshal(arr)
	}
	m.Updated = true
	s.notifyLocked()
	return okResult(map[string]any{"channel": ch, "ts": ts, "text": text, "message": s.messageJSON(m)})
}

func (s *Server) channelJSON(c *channelRec) map[string]any {
	out := map[string]any{
		"id":      c.id,
		"created": time.Now().Unix(),
		"is_open": true,
		"is_im":   c.isIM,
		"is_mpim": c.isMPIM,
	}
	switch {
	case c.isIM:
		out["user"] = c.user
		out["is_org_shared"] = false
	case c.isMPIM:
		out["name"] = c.name
		out["is_private"] = true
		out["is_group"] = false
		out["members"] = c.members
	default:
		out["name"] = c.name
		out["is_channel"] = true
		out["is_member"] = c.botIsMember
	}
	return out
}

func (s *Server) conversationsOpen(r *apiRequest) apiResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ch := r.str("channel"); ch != "" {
		c := s.channels[ch]
		if c == nil || !(c.isIM || c.isMPIM) {
			return failResult("channel_not_found")
		}
		return okResult(map[string]any{"channel": s.channelJSON(c), "no_op": true, "already_open": true})
	}
	users := s.normalizeUsers(strings.Split(r.str("users"), ","))
	switch {
	case len(users) == 0:
		return failResult("users_list_not_supplied")
	case len(users) > 8:
		return failResult("too_many_users")
	}
	for _, u := range users {
		if info, ok := s.users[u]; ok && info.Deleted {
			return failResult("user_disabled")
		}
	}
	if len(users) == 1 {
		_, existed := s.channels[DMChannelID(users[0])]
		c := s.imLocked(users[0])
		return okResult(map[string]any{"channel": s.channelJSON(c), "no_op": existed, "already_open": existed})
	}
	id := groupDMID(users)
	c, existed := s.channels[id]
	if !existed {
		names := make([]string, len(users))
		for i, u := range users {
			names[i] = strings.ToLower(u)
			if info, ok := s.users[u]; ok && info.Name != "" {
				names[i] = info.Name
			}
		}
		c = &channelRec{
			id: id, name: "mpdm-" + strings.Join(names, "--") + "-1", botIsMember: true, isMPIM: true,
			members: append([]string{s.opts.BotUserID}, users...),
		}
		s.channels[id] = c
		s.notifyLocked()
	}
	return okResult(map[string]any{"channel": s.channelJSON(c), "no_op": existed, "already_open": existed})
}

// normalizeUsers trims, dedupes and sorts a conversations.open user list,
// leaving out the bot itself.
func (s *Server) normalizeUsers(list []string) []string {
	var users []string
	for _, u := range list {
		if u = strings.TrimSpace(u); u != "" && u != s.opts.BotUserID && !slices.Contains(users, u) {
			users = append(users, u)
		}
	}
	slices.Sort(users)
	return users
}

// groupDMID is the id of the group DM of the bot with users (normalized):
// the same set gives the same id, in any order.
func groupDMID(users []string) string {
	h := fnv.New64a()
	h.Write([]byte(strings.Join(users, ",")))
	return "G" + strings.ToUpper(fmt.Sprintf("%016x", h.Sum64())[:10])
}

// GroupDM returns the id of the group DM conversations.open gave the bot
// and users (in any order; the bot's own id may be left out), and false if
// it was never opened. With a single user it returns the bot's DM with that
// user, if it exists.
func (s *Server) GroupDM(users ...string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	norm := s.normalizeUsers(users)
	var id string
	switch len(norm) {
	case 0:
		return "", false
	case 1:
		id = DMChannelID(norm[0])
	default:
		id = groupDMID(norm)
	}
	if _, ok := s.channels[id]; !ok {
		return "", false
	}
	return id, true
}

func (s *Server) usersInfo(r *apiRequest) apiResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[r.str("user")]
	if !ok {
		return failResult("user_not_found")
	}
	var tz any
	if u.TZ != "" {
		tz = u.TZ
	}
	profile := map[string]any{
		"real_name":            u.RealName,
		"real_name_normalized": u.RealName,
		"display_name":         u.Name,
		"team":                 s.opts.TeamID,
	}
	if u.IsBot {
		profile["bot_id"] = "B" + strings.TrimPrefix(strings.TrimPrefix(u.ID, "U"), "W")
		if u.ID == s.opts.BotUserID {
			profile["bot_id"] = BotID
		}
		profile["always_active"] = false
	}
	return okResult(map[string]any{"user": map[string]any{
		"id":          u.ID,
		"team_id":     s.opts.TeamID,
		"name":        u.Name,
		"deleted":     u.Deleted,
		"real_name":   u.RealName,
		"tz":          tz,
		"tz_label":    u.TZLabel,
		"tz_offset":   u.TZOffset,
		"is_bot":      u.IsBot,
		"is_app_user": false,
		"updated":     time.Now().Unix(),
		"profile":     profile,
	}})
}

// handleResponseURL serves the response_url of slash commands and block
// actions: a JSON message posted ephemerally to the user (or in the channel
// with response_type "in_channel"), or replacing / deleting the message a
// button was clicked in.
func (s *Server) handleResponseURL(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/response/")
	call := Call{Method: "response_url", At: time.Now(), Params: map[string]string{}}
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxRequestBody))
	status, errCode := http.StatusOK, ""
	defer func() {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		out := map[string]any{"ok": errCode == ""}
		if errCode != "" {
			out["error"] = errCode
		}
		_ = json.NewEncoder(w).Encode(out)
		call.Status, call.Error = status, errCode
		s.mu.Lock()
		s.calls = append(s.calls, call)
		s.notifyLocked()
		s.mu.Unlock()
	}()
	obj, err := decodeObject(body)
	if err != nil {
		status, errCode = http.StatusBadRequest, "invalid_payload"
		return
	}
	call.Body = mustMarshal(obj)
	s.mu.Lock()
	defer s.mu.Unlock()
	rc, ok := s.responseURLs[id]
	if !ok {
		status, errCode = http.StatusNotFound, "expired_url"
		return
	}
	text, _ := obj["text"].(string)
	blocks := obj["blocks"]
	if del, _ := obj["delete_original"].(bool); del {
		s.msgs = slices.DeleteFunc(s.msgs, func(m *Message) bool { return m.Channel == rc.channel && m.TS == rc.messageTS })
		s.notifyLocked()
		return
	}
	_, hasAtt := obj["attachments"]
	if problems, code := validateMessage("response_url", text, blocks, hasAtt); code != "" {
		s.recordProblemsLocked(problems)
		errCode = code
		return
	}
	if repl, _ := obj["replace_original"].(bool); repl {
		if m := s.findMessageLocked(rc.channel, rc.messageTS); m != nil {
			m.Text, m.Blocks, m.Updated = text, nil, true
			if arr, ok := blocks.([]any); ok && len(arr) > 0 {
				assignIDs(arr)
				m.Blocks = mustMarshal(arr)
			}
			s.notifyLocked()
			return
		}
	}
	if rt, _ := obj["response_type"].(string); rt == "in_channel" {
		s.addMessageLocked(rc.channel, text, blocks, false, "")
		return
	}
	s.addMessageLocked(rc.channel, text, blocks, true, rc.userID)
}

func (s *Server) newResponseURLLocked(rc responseCtx) string {
	id := randHex(24)
	s.responseURLs[id] = rc
	return s.baseURL + "/response/" + id
}
