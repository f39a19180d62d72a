package main

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestHealthcheck(t *testing.T) {
	serve := func(status int) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/healthz" {
				http.NotFound(w, r)
				return
			}
			w.WriteHeader(status)
		}))
		t.Cleanup(srv.Close)
		return srv.Listener.Addr().String()
	}
	port := func(addr string) string {
		_, p, err := net.SplitHostPort(addr)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()

	tests := []struct {
		name     string
		httpAddr string
		wantErr  bool
	}{
		{"healthy, every interface", ":" + port(serve(http.StatusOK)), false},
		{"healthy, explicit host", serve(http.StatusOK), false},
		{"unhealthy", serve(http.StatusServiceUnavailable), true},
		{"nothing listening", closed, true},
		{"port 0", ":0", true},
		{"not host:port", "8080", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := healthcheck(context.Background(), tt.httpAddr)
			if (err != nil) != tt.wantErr {
				t.Errorf("healthcheck(%q) = %v, want error %v", tt.httpAddr, err, tt.wantErr)
			}
		})
	}
}
