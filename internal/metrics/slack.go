package metrics

import (
	"net/http"
	"path"
	"regexp"
	"strconv"
	"time"
)

// SlackTransport wraps next so that every Web API call is counted by method
// and HTTP status, and timed. It records only the method name from the URL
// path: never a token, a header or a body.
func (m *Metrics) SlackTransport(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return slackTransport{next: next, m: m}
}

type slackTransport struct {
	next http.RoundTripper
	m    *Metrics
}

func (t slackTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	method := slackMethod(req.URL.Path)
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	t.m.slackDuration.WithLabelValues(method).Observe(time.Since(start).Seconds())
	status := "error"
	if err == nil {
		status = strconv.Itoa(resp.StatusCode)
	}
	t.m.slackCalls.WithLabelValues(method, status).Inc()
	return resp, err
}

// methodName is the shape of a Web API method: chat.postMessage,
// apps.connections.open.
var methodName = regexp.MustCompile(`^[A-Za-z]+(\.[A-Za-z]+)+$`)

// slackMethod is the last segment of a Web API path, or "other" for
// anything that is not shaped like a method, which keeps the label's values
// few and free of whatever an odd URL might carry.
func slackMethod(p string) string {
	if base := path.Base(p); methodName.MatchString(base) {
		return base
	}
	return "other"
}
