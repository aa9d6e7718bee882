package telnyx

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/numberport/numberport/internal/provider"
)

func TestTransportErrors(t *testing.T) {
	tests := []struct {
		name       string
		setup      func(f *fixture)
		want       provider.ErrorCode
		retryAfter time.Duration
		attempts   int
	}{
		{"rate limited", func(f *fixture) {
			f.fake.FailNext(1, http.StatusTooManyRequests, "7")
		}, provider.CodeRateLimited, 7 * time.Second, 1},
		{"outage outlasting the retries", func(f *fixture) {
			f.fake.SetOutage(true)
		}, provider.CodeUnavailable, 0, 3},
		{"outage asking for a long wait", func(f *fixture) {
			f.fake.FailNext(1, http.StatusServiceUnavailable, "120")
		}, provider.CodeUnavailable, 2 * time.Minute, 1},
		{"unknown API key", func(f *fixture) {
			f.a.cfg.APIKey = "wrong-key"
		}, provider.CodeUnauthorized, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			tt.setup(f)
			_, err := f.a.Lookup(context.Background(), "+13035550401")
			pe := mustCode(t, err, tt.want)
			if pe.RetryAfter != tt.retryAfter {
				t.Errorf("retry after %s, want %s", pe.RetryAfter, tt.retryAfter)
			}
			if n := f.countRequests(http.MethodGet, "+13035550401"); n != tt.attempts {
				t.Errorf("%d attempts, want %d", n, tt.attempts)
			}
			assertNoSecrets(t, "error", pe.Error(), f.fake.APIKey(), "wrong-key")
		})
	}
}

func TestTransientOutageIsRetried(t *testing.T) {
	f := newFixture(t)
	f.fake.FailNext(2, http.StatusServiceUnavailable, "")

	route, err := f.a.Lookup(context.Background(), "+13035550411")

	if err != nil || route.SPID == "" {
		t.Fatalf("Lookup after two 503s: %+v, %v", route, err)
	}
	if n := f.countRequests(http.MethodGet, "+13035550411"); n != 3 {
		t.Errorf("%d attempts, want 3", n)
	}
}

func TestUnreachableProvider(t *testing.T) {
	f := newFixture(t)
	f.fake.Close()

	_, err := f.a.GetOrder(context.Background(), "some-order")

	wantCode(t, err, provider.CodeUnavailable)
	if !provider.IsTransient(err) {
		t.Errorf("an unreachable provider is not transient")
	}
}

func TestErrorMessagesHideSecrets(t *testing.T) {
	env := apiErrors{}
	env.Errors = append(env.Errors, struct {
		Code   string `json:"code"`
		Title  string `json:"title"`
		Detail string `json:"detail"`
		Meta   struct {
			Retryable *bool `json:"retryable"`
		} `json:"meta"`
	}{Code: "10015", Title: "Bad Request",
		Detail: "pin_passcode " + testPIN + " does not match account " + testAccount})

	msg := errorMessage(422, env, []string{testPIN, testAccount})

	assertNoSecrets(t, "message", msg)
	if !strings.Contains(msg, "10015") || !strings.Contains(msg, "[redacted]") {
		t.Errorf("message %q lost the error's code or the redaction", msg)
	}
}

func TestRetryAfterHeader(t *testing.T) {
	now := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)
	tests := []struct {
		header string
		want   time.Duration
	}{
		{"", 0},
		{"30", 30 * time.Second},
		{"soon", 0},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},
	}
	for _, tt := range tests {
		if got := retryAfter(tt.header, now); got != tt.want {
			t.Errorf("retryAfter(%q) = %s, want %s", tt.header, got, tt.want)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Config)
		ok   bool
	}{
		{"defaults with a key", func(*Config) {}, true},
		{"no key", func(c *Config) { c.APIKey = "" }, false},
		{"relative URL", func(c *Config) { c.BaseURL = "api.telnyx.com/v2" }, false},
		{"empty SPID", func(c *Config) { c.PlatformSPIDs = []string{"9990", " "} }, false},
		{"no attempt", func(c *Config) { c.Retry.MaxAttempts = -1 }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			c.APIKey = "KEY0123456789"
			tt.edit(&c)
			err := c.Validate()
			if (err == nil) != tt.ok {
				t.Errorf("Validate() = %v, want ok %v", err, tt.ok)
			}
			if err != nil && strings.Contains(err.Error(), "KEY0123456789") {
				t.Errorf("the error quotes the API key")
			}
		})
	}
}
