package slackfake

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// File is a file uploaded with Slack's files v2 flow
// (files.getUploadURLExternal, a POST to the upload URL,
// files.completeUploadExternal), as slack-go's UploadFileContext drives it.
type File struct {
	ID string
	// Name is the filename given to files.getUploadURLExternal.
	Name string
	// Title is the title given to files.completeUploadExternal (Name if
	// none was given).
	Title string
	// Channel is the channel the file was shared in (a U… id in "channels"
	// is resolved to the bot's DM, DMChannelID); "" for a file completed
	// without a channel, which Slack keeps private.
	Channel string
	// AltText is the alt_txt given to files.getUploadURLExternal: what a
	// screen reader reads for an image.
	AltText string
	// Content is the uploaded bytes.
	Content []byte
	// MimeType is the type of Content as sniffed once it was uploaded
	// ("image/png"), as Slack tells it in the file object's mimetype.
	MimeType string
	// Completed is set once files.completeUploadExternal finished the
	// upload.
	Completed bool
}

type fileRec struct {
	File
	length   int
	uploaded bool
	channels []string
	created  time.Time
}

func (f *fileRec) copyFile(channel string) File {
	out := f.File
	out.Content = slices.Clone(f.Content)
	out.Channel = channel
	return out
}

// Files returns the completed uploads shared in channel (by id; a file
// shared to a user lands in DMChannelID of that user), oldest first.
// channel "" returns every completed upload, shared or not, each once with
// the first channel it was shared in.
func (s *Server) Files(channel string) []File {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []File
	for _, id := range s.fileOrder {
		f := s.files[id]
		switch {
		case !f.Completed:
		case channel == "":
			first := ""
			if len(f.channels) > 0 {
				first = f.channels[0]
			}
			out = append(out, f.copyFile(first))
		case slices.Contains(f.channels, channel):
			out = append(out, f.copyFile(channel))
		}
	}
	return out
}

// FileByID returns the file with id, completed or not (e.g. uploaded but
// never completed, which Slack never shows to anyone).
func (s *Server) FileByID(id string) (File, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files[id]
	if !ok {
		return File{}, false
	}
	ch := ""
	if len(f.channels) > 0 {
		ch = f.channels[0]
	}
	return f.copyFile(ch), true
}

// fileJSON is a file object as files.completeUploadExternal and messages
// carry it. s.mu must be held.
func (s *Server) fileJSON(f *fileRec) map[string]any {
	ims, groups, chans := []string{}, []string{}, []string{}
	for _, c := range f.channels {
		switch {
		case strings.HasPrefix(c, "D"):
			ims = append(ims, c)
		case strings.HasPrefix(c, "G"):
			groups = append(groups, c)
		default:
			chans = append(chans, c)
		}
	}
	out := map[string]any{
		"id":          f.ID,
		"created":     f.created.Unix(),
		"timestamp":   f.created.Unix(),
		"name":        f.Name,
		"title":       f.Title,
		"mimetype":    f.MimeType,
		"filetype":    fileType(f.Name),
		"user":        s.opts.BotUserID,
		"user_team":   s.opts.TeamID,
		"size":        len(f.Content),
		"mode":        "hosted",
		"is_external": false,
		"is_public":   len(chans) > 0,
		"channels":    chans,
		"groups":      groups,
		"ims":         ims,
	}
	if f.AltText != "" {
		out["alt_txt"] = f.AltText
	}
	return out
}

// fileType is Slack's short file type: the name's extension ("png"),
// "binary" without one.
func fileType(name string) string {
	ext := strings.ToLower(strings.TrimPrefix(path.Ext(name), "."))
	if ext == "" {
		return "binary"
	}
	return ext
}

func (s *Server) filesGetUploadURLExternal(r *apiRequest) apiResult {
	name := r.str("filename")
	length, err := strconv.Atoi(r.str("length"))
	if name == "" || err != nil || length <= 0 {
		return failResult("invalid_arguments")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextIDLocked("F")
	s.files[id] = &fileRec{File: File{ID: id, Name: name, AltText: r.str("alt_txt")}, length: length, created: time.Now()}
	s.fileOrder = append(s.fileOrder, id)
	s.notifyLocked()
	// slack-go sends the bot token to the upload URL, and refuses to unless
	// it is an https Slack host or on the scheme and host of the API URL.
	return okResult(map[string]any{
		"upload_url": r.scheme + "://" + r.host + "/upload/" + id,
		"file_id":    id,
	})
}

// handleUpload serves the upload URLs files.getUploadURLExternal hands out:
// a POST whose body is the file, raw or as multipart/form-data (slack-go
// sends a multipart form with the file in the part "file"). It answers
// like Slack, 200 "OK - <size>" as text.
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/upload/")
	call := Call{Method: "upload", At: time.Now(), Params: map[string]string{"file_id": id}}
	status, errCode, answer := http.StatusOK, "", ""
	defer func() {
		if errCode != "" {
			answer = errCode
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, answer)
		call.Status, call.Error = status, errCode
		s.mu.Lock()
		s.calls = append(s.calls, call)
		s.notifyLocked()
		s.mu.Unlock()
	}()
	if r.Method != http.MethodPost {
		status, errCode = http.StatusMethodNotAllowed, "method_not_allowed"
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	switch {
	case err != nil:
		status, errCode = http.StatusBadRequest, "invalid_request"
		return
	case len(body) > maxRequestBody:
		status, errCode = http.StatusRequestEntityTooLarge, "file_too_large"
		return
	}
	content, filename, err := uploadContent(r.Header.Get("Content-Type"), body)
	if err != nil {
		status, errCode = http.StatusBadRequest, "invalid_form_data"
		return
	}
	call.Params["size"] = strconv.Itoa(len(content))
	if filename != "" {
		call.Params["filename"] = filename
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.files[id]
	if f == nil || f.Completed {
		status, errCode = http.StatusNotFound, "file_not_found"
		return
	}
	f.Content, f.MimeType, f.uploaded = content, mimeType(content), true
	s.notifyLocked()
	answer = fmt.Sprintf("OK - %d", len(content))
}

// mimeType sniffs the type of an upload, without the parameters
// ("text/plain", not "text/plain; charset=utf-8").
func mimeType(content []byte) string {
	mt, _, _ := mime.ParseMediaType(http.DetectContentType(content))
	return mt
}

// uploadContent extracts the file from an upload body: the part named
// "file" (or the first file part) of a multipart form, or the raw body.
func uploadContent(contentType string, body []byte) ([]byte, string, error) {
	ct, params, _ := mime.ParseMediaType(contentType)
	if ct != "multipart/form-data" {
		return body, "", nil
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var fallback []byte
	var fallbackName string
	found := false
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, "", err
		}
		b, err := io.ReadAll(p)
		if err != nil {
			return nil, "", err
		}
		if p.FormName() == "file" {
			return b, p.FileName(), nil
		}
		if p.FileName() != "" && !found {
			fallback, fallbackName, found = b, p.FileName(), true
		}
	}
	if !found {
		return nil, "", errors.New("no file part")
	}
	return fallback, fallbackName, nil
}

func (s *Server) filesCompleteUploadExternal(r *apiRequest) apiResult {
	const method = "files.completeUploadExternal"
	raw, present, err := r.jsonField("files")
	arr, isArr := raw.([]any)
	if !present || err != nil || !isArr || len(arr) == 0 {
		return failResult("invalid_arguments")
	}
	type item struct{ id, title string }
	items := make([]item, 0, len(arr))
	for _, x := range arr {
		m, _ := x.(map[string]any)
		id, _ := m["id"].(string)
		title, _ := m["title"].(string)
		if id == "" {
			return failResult("invalid_arguments")
		}
		items = append(items, item{id, title})
	}
	var targets []string
	if ch := r.str("channel_id"); ch != "" {
		if strings.HasPrefix(ch, "U") || strings.HasPrefix(ch, "W") {
			// Slack validates channel_id against ^[CGDZ][A-Z0-9]{8,}$.
			p := []string{fmt.Sprintf("%s: channel_id %q is a user id; Slack accepts only C/G/D/Z ids there (use the D… id from conversations.open, or pass the user in channels)", method, ch)}
			s.recordProblems(p)
			return invalidResult("invalid_arguments", p)
		}
		targets = append(targets, ch)
	}
	for ch := range strings.SplitSeq(r.str("channels"), ",") {
		if ch = strings.TrimSpace(ch); ch != "" {
			targets = append(targets, ch)
		}
	}
	comment := r.str("initial_comment")
	var blocks any
	if comment == "" { // Slack ignores blocks when there is an initial_comment
		b, hasBlocks, err := r.jsonField("blocks")
		if err != nil {
			p := []string{method + ": blocks: not valid JSON"}
			s.recordProblems(p)
			return invalidResult("invalid_blocks_format", p)
		}
		if hasBlocks {
			c := newChecker(method)
			c.blocks("blocks", b, MaxMessageBlocks)
			if len(c.problems) > 0 {
				s.recordProblems(c.problems)
				return invalidResult("invalid_blocks", c.problems)
			}
			blocks = b
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	recs := make([]*fileRec, len(items))
	for i, it := range items {
		f := s.files[it.id]
		if f == nil || f.Completed {
			return failResult("file_not_found")
		}
		recs[i] = f
	}
	var channels []string
	for _, t := range targets {
		ch, code := s.resolveChannelLocked(t)
		if code != "" {
			return failResult(code)
		}
		if !slices.Contains(channels, ch) {
			channels = append(channels, ch)
		}
	}
	ids := make([]string, len(recs))
	out := make([]any, len(recs))
	for i, f := range recs {
		if !f.uploaded {
			s.problemLocked("%s: file %s (%s) completed but nothing was uploaded to its upload URL (slack-go skips the upload when Content, File and Reader are all empty)", method, f.ID, f.Name)
		}
		f.Completed = true
		f.Title = items[i].title
		if f.Title == "" {
			f.Title = f.Name
		}
		f.channels = channels
		ids[i] = f.ID
		out[i] = s.fileJSON(f)
	}
	for _, ch := range channels {
		m := s.addMessageLocked(ch, comment, blocks, false, "")
		m.ThreadTS = r.str("thread_ts")
		m.Files = slices.Clone(ids)
	}
	s.notifyLocked()
	return okResult(map[string]any{"files": out})
}

func (s *Server) recordProblems(problems []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recordProblemsLocked(problems)
}
