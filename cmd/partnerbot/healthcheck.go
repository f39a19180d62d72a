package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// healthcheckTimeout bounds `partnerbot healthcheck`; Docker's own timeout
// (see the Dockerfile) is longer.
const healthcheckTimeout = 2 * time.Second

// healthcheck asks the bot serving on httpAddr (HTTP_ADDR) whether it is
// alive. It exists because the runtime image has no shell and no curl:
// the Dockerfile's HEALTHCHECK runs `/partnerbot healthcheck`.
func healthcheck(ctx context.Context, httpAddr string) error {
	url, err := healthzURL(httpAddr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, healthcheckTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: GET %s = %d", url, resp.StatusCode)
	}
	return nil
}

// healthzURL is /healthz on the loopback interface when HTTP_ADDR listens
// on every interface (":8080"), or on HTTP_ADDR's own host otherwise.
func healthzURL(httpAddr string) (string, error) {
	host, port, err := net.SplitHostPort(httpAddr)
	if err != nil {
		return "", fmt.Errorf("healthcheck: HTTP_ADDR %q: %w", httpAddr, err)
	}
	if port == "0" || port == "" {
		return "", fmt.Errorf("healthcheck: HTTP_ADDR %q has no fixed port to check", httpAddr)
	}
	switch host {
	case "", "0.0.0.0", "::":
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz", nil
}
