package telnyx

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// WebhookServer serves a webhook handler on its own address. Its Start
// method makes it a controller-runtime manager Runnable.
type WebhookServer struct {
	// Addr is the listen address, such as ":9444".
	Addr    string
	Handler http.Handler
}

// Start serves until ctx is done, then shuts down gracefully.
func (s *WebhookServer) Start(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("listening for Telnyx webhooks on %s: %w", s.Addr, err)
	}
	return s.Serve(ctx, ln)
}

// Serve serves on ln until ctx is done.
func (s *WebhookServer) Serve(ctx context.Context, ln net.Listener) error {
	mux := http.NewServeMux()
	mux.Handle("/", s.Handler)
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("serving Telnyx webhooks: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("stopping the Telnyx webhook server: %w", err)
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serving Telnyx webhooks: %w", err)
	}
	return nil
}

// NeedLeaderElection reports false: every replica accepts webhooks, and a
// wake that reaches a replica that is not leading is simply lost, which
// polling covers.
func (s *WebhookServer) NeedLeaderElection() bool { return false }
