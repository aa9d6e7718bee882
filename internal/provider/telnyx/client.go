package telnyx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/numberport/numberport/internal/provider"
)

// maxResponseBytes bounds what the adapter reads of one response, so that a
// misbehaving server cannot exhaust the manager's memory.
const maxResponseBytes = 8 << 20

var (
	_ provider.Porting = (*Adapter)(nil)
	_ provider.Numbers = (*Adapter)(nil)
	_ provider.Routing = (*Adapter)(nil)
)

// Adapter implements the porting, numbers and routing concerns of the
// provider boundary on the Telnyx API. It is safe for concurrent use.
type Adapter struct {
	cfg  Config
	http *http.Client
	spid map[string]bool
}

// New returns an adapter for cfg. A nil httpClient means a fresh client;
// either way each attempt is bounded by cfg.Timeout.
func New(cfg Config, httpClient *http.Client) (*Adapter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("telnyx adapter configuration: %w", err)
	}
	cfg = cfg.withDefaults()
	if httpClient == nil {
		httpClient = &http.Client{}
	}
	spids := make(map[string]bool, len(cfg.PlatformSPIDs))
	for _, s := range cfg.PlatformSPIDs {
		spids[strings.TrimSpace(s)] = true
	}
	return &Adapter{cfg: cfg, http: httpClient, spid: spids}, nil
}

// Provider returns the adapter as all three concerns of the provider
// boundary.
func (a *Adapter) Provider() provider.Provider {
	return provider.Provider{Porting: a, Numbers: a, Routing: a}
}

// call describes one API request.
type call struct {
	// op names the operation in errors, such as "submit order".
	op     string
	method string
	path   string
	query  url.Values
	body   any
	// idempotent calls are retried on server and network errors; others
	// are not, since a lost response may hide a side effect.
	idempotent bool
	// secrets are removed from any message the server sends back.
	secrets []string
}

// do performs c, retrying as the policy allows, and decodes a successful
// response into out when out is not nil.
func (a *Adapter) do(ctx context.Context, c call, out any) error {
	// A server or a proxy may echo the credentials it refused.
	c.secrets = append(slices.Clip(c.secrets), a.cfg.APIKey)
	var payload []byte
	if c.body != nil {
		var err error
		if payload, err = json.Marshal(c.body); err != nil {
			return fmt.Errorf("%s: encoding the request: %w", c.op, err)
		}
	}
	for attempt := 1; ; attempt++ {
		body, err := a.attempt(ctx, c, payload)
		if err == nil {
			return decode(c.op, body, out)
		}
		wait, retry := a.retryWait(c, err, attempt)
		if !retry {
			return err
		}
		a.cfg.Log.V(1).Info("Retrying a Telnyx call after a server or network error",
			"op", c.op, "attempt", attempt+1, "after", wait.String())
		if err := sleep(ctx, wait); err != nil {
			return fmt.Errorf("%s: %w", c.op, err)
		}
	}
}

// retryWait decides whether a failed attempt is tried again and after how
// long.
func (a *Adapter) retryWait(c call, err error, attempt int) (time.Duration, bool) {
	var pe *provider.Error
	if !c.idempotent || attempt >= a.cfg.Retry.MaxAttempts ||
		!errors.As(err, &pe) || pe.Code != provider.CodeUnavailable {
		return 0, false
	}
	wait := a.cfg.Retry.InitialBackoff << (attempt - 1)
	if wait > a.cfg.Retry.MaxBackoff || wait <= 0 {
		wait = a.cfg.Retry.MaxBackoff
	}
	if pe.RetryAfter > a.cfg.Retry.MaxBackoff {
		return 0, false
	}
	return max(wait, pe.RetryAfter), true
}

// attempt sends one request and returns the body of a successful response.
func (a *Adapter) attempt(ctx context.Context, c call, payload []byte) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, a.cfg.Timeout)
	defer cancel()

	req, err := a.newRequest(ctx, c, payload)
	if err != nil {
		return nil, err
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return nil, networkError(ctx, c.op, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return nil, networkError(ctx, c.op, err)
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return body, nil
	}
	return nil, statusError(c, resp, body)
}

// newRequest builds the HTTP request of c. The API key goes only into the
// Authorization header.
func (a *Adapter) newRequest(ctx context.Context, c call, payload []byte) (*http.Request, error) {
	u := a.cfg.BaseURL + c.path
	if len(c.query) > 0 {
		u += "?" + c.query.Encode()
	}
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, c.method, u, body)
	if err != nil {
		return nil, fmt.Errorf("%s: building the request: %w", c.op, err)
	}
	req.Header.Set("Authorization", "Bearer "+a.cfg.APIKey)
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// decode reads a JSON response into out.
func decode(op string, body []byte, out any) error {
	if out == nil || len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return &provider.Error{Code: provider.CodeUnavailable, Op: op,
			Message: "the response is not the JSON the API documents", Err: err}
	}
	return nil
}

// networkError classifies a failure to reach the API. The URL, which may
// hold a phone number, is left out of the message.
func networkError(ctx context.Context, op string, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		return fmt.Errorf("%s: %w", op, err)
	}
	return &provider.Error{Code: provider.CodeUnavailable, Op: op,
		Message: "Telnyx could not be reached", Err: err}
}

// apiErrors is the error envelope of the Telnyx API.
type apiErrors struct {
	Errors []struct {
		Code   string `json:"code"`
		Title  string `json:"title"`
		Detail string `json:"detail"`
		Meta   struct {
			Retryable *bool `json:"retryable"`
		} `json:"meta"`
	} `json:"errors"`
}

// statusError turns an unsuccessful response into a provider error.
func statusError(c call, resp *http.Response, body []byte) error {
	var env apiErrors
	_ = json.Unmarshal(body, &env)
	pe := &provider.Error{
		Code:       codeOf(resp.StatusCode, env),
		Op:         c.op,
		Message:    errorMessage(resp.StatusCode, env, c.secrets),
		RetryAfter: retryAfter(resp.Header.Get("Retry-After"), time.Now()),
	}
	return pe
}

// codeOf classifies a status code and error envelope.
func codeOf(status int, env apiErrors) provider.ErrorCode {
	switch {
	case status == http.StatusTooManyRequests:
		return provider.CodeRateLimited
	case status >= 500:
		return provider.CodeUnavailable
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return provider.CodeUnauthorized
	case status == http.StatusNotFound:
		return provider.CodeNotFound
	case status == http.StatusConflict:
		return provider.CodeConflict
	}
	for _, e := range env.Errors {
		if e.Meta.Retryable != nil && *e.Meta.Retryable {
			return provider.CodeUnavailable
		}
		// 10012 is Telnyx's "duplicate resource".
		if e.Code == "10012" {
			return provider.CodeConflict
		}
	}
	return provider.CodeInvalidRequest
}

// errorMessage summarises the error envelope without secret values.
func errorMessage(status int, env apiErrors, secrets []string) string {
	parts := make([]string, 0, len(env.Errors))
	for _, e := range env.Errors {
		p := strings.TrimSpace(e.Code + " " + e.Title)
		if e.Detail != "" {
			p += ": " + e.Detail
		}
		parts = append(parts, p)
	}
	msg := fmt.Sprintf("HTTP %d", status)
	if len(parts) > 0 {
		msg += ": " + strings.Join(parts, "; ")
	}
	return truncate(redact(msg, secrets), 400)
}

// redact replaces every secret value in s.
func redact(s string, secrets []string) string {
	for _, v := range secrets {
		if strings.TrimSpace(v) != "" {
			s = strings.ReplaceAll(s, v, "[redacted]")
		}
	}
	return s
}

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// retryAfter reads a Retry-After header given in seconds or as an HTTP date.
func retryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if s, err := strconv.Atoi(h); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return t.Sub(now).Round(time.Second)
	}
	return 0
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
