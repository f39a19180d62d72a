package app

import (
	"testing"

	"github.com/partnerbot/partnerbot/internal/tcpproxy"
)

// newSlowProxy puts a proxy between the bot and Redis (replies delayed,
// or lost, on demand).
func newSlowProxy(t *testing.T, backend string) *tcpproxy.Proxy {
	t.Helper()
	p, err := tcpproxy.New(backend)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}
