package telnyx

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-logr/logr"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/numberport/numberport/internal/provider"
)

// The seed corpora under testdata/fuzz run as ordinary test cases with go
// test; go test -fuzz=FuzzResponse (or FuzzErrorResponse, FuzzWebhook)
// explores beyond them. Nothing here opens a connection: responses come from
// an in-process transport.

// fuzzAPIKey is the adapter's API key in fuzz tests; no error may quote it.
const fuzzAPIKey = "KEY-fuzz-0c7d51"

// maxFuzzRequests bounds the requests one adapter call may make against a
// server that answers every request the same way; beyond it the transport
// answers 503, which ends any pagination.
const maxFuzzRequests = 200

// cannedTransport answers every request with one status and body.
type cannedTransport struct {
	status   int
	body     []byte
	requests atomic.Int32
}

func (c *cannedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	status, body := c.status, c.body
	if c.requests.Add(1) > maxFuzzRequests {
		status, body = http.StatusServiceUnavailable, nil
	}
	return &http.Response{
		StatusCode: status,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(bytes.NewReader(body)),
		Request:    req,
	}, nil
}

// fuzzStatus maps any int onto an HTTP status from 200 to 599, with 200
// for zero so that the seeds read naturally.
func fuzzStatus(n int) int {
	return 200 + nonNegative(n)%400
}

// FuzzResponse feeds arbitrary responses to the adapter's reads: whatever
// the server says, the adapter returns a provider error or a result that
// keeps the provider boundary's promises, and it stops asking.
func FuzzResponse(f *testing.F) {
	for _, body := range []string{
		`{"data":{"id":"order-1","customer_reference":"numberport-uid-1",` +
			`"created_at":"2026-03-02T15:00:00Z","status":{"value":"foc-date-confirmed"},` +
			`"activation_settings":{"foc_datetime_actual":"2026-04-01T14:00:00Z"},` +
			`"phone_numbers":[{"phone_number":"+14155550111"}],` +
			`"porting_phone_numbers_count":1}}`,
		`{"data":[{"id":"order-1","customer_reference":"numberport-uid-1",` +
			`"status":{"value":"exception","details":[{"code":"PASSCODE_PIN_INVALID",` +
			`"description":"The PIN does not match"}]},"phone_numbers":[]}],` +
			`"meta":{"page_number":1,"total_pages":1}}`,
		`{"data":{"phone_number":"+14155550111","valid_number":true,` +
			`"portability":{"spid":"9990","lrn":"4155550000","spid_carrier_name":"Telnyx"}}}`,
		`{"data":[{"phone_number":"+14155550111","portable":false,` +
			`"not_portable_reason":"no_coverage"}]}`,
		`{"errors":[{"code":"10015","title":"Bad request","detail":"phone_numbers is invalid"}]}`,
		`{"data":[{"id":"a","customer_reference":"numberport-uid-1","status":{"value":"draft"}}],` +
			`"meta":{"total_pages":99999}}`,
		`{"data":{"porting_phone_numbers_count":1000000,"customer_reference":"r"}}`,
		`null`, ``, `{"data":`, `[1,2,3]`, "\x00\xff",
	} {
		f.Add(0, []byte(body))
	}
	f.Add(422, []byte(`{"errors":[{"code":"10012","title":"Duplicate"}]}`))
	f.Add(429, []byte(`{}`))
	f.Add(500, []byte(`{"errors":[{"meta":{"retryable":true}}]}`))

	f.Fuzz(func(t *testing.T, status int, body []byte) {
		transport := &cannedTransport{status: fuzzStatus(status), body: body}
		a := fuzzAdapter(t, transport)
		ctx := context.Background()

		order, err := a.GetOrder(ctx, "order-1")
		checkFuzzOrder(t, "GetOrder", order, err)

		const key = "numberport-uid-1"
		order, err = a.FindOrder(ctx, key)
		checkFuzzOrder(t, "FindOrder", order, err)
		if err == nil && order.IdempotencyKey != key {
			t.Fatalf("FindOrder(%q) returned the order of key %q", key, order.IdempotencyKey)
		}

		route, err := a.Lookup(ctx, "+14155550111")
		checkFuzzError(t, "Lookup", err)
		if err == nil && route.OnPlatform && route.SPID != "9990" {
			t.Fatalf("Lookup: on the platform with SPID %q", route.SPID)
		}

		results, err := a.CheckPortability(ctx, []string{"+14155550111"})
		checkFuzzError(t, "CheckPortability", err)
		if err == nil {
			if len(results) != 1 || results[0].Number != "+14155550111" {
				t.Fatalf("CheckPortability: %+v, want one result for the number asked", results)
			}
			if results[0].Portable && results[0].Reason != "" {
				t.Fatalf("CheckPortability: portable with reason %q", results[0].Reason)
			}
		}

		if n := transport.requests.Load(); n > maxFuzzRequests+4 {
			t.Fatalf("the adapter kept asking: %d requests", n)
		}
	})
}

// FuzzErrorResponse checks that an error response never carries a secret
// value of the request into the error, whatever the server echoes.
func FuzzErrorResponse(f *testing.F) {
	f.Add(422, []byte(`{"errors":[{"code":"10015","title":"Invalid PIN",`+
		`"detail":"pin_passcode 864213 does not match account ACCT-99871"}]}`),
		"864213", "ACCT-99871")
	f.Add(400, []byte(`{"errors":[{"detail":"864213864213"}]}`), "864213", "ACCT-99871")
	f.Add(500, []byte(`{"errors":[{"code":"ACCT-","title":"99871"}]}`), "1234", "ACCT-99871")
	f.Add(409, []byte(strings.Repeat(`{"errors":[{"detail":"ACCT-99871 `, 40)), "0000",
		"ACCT-99871")
	f.Add(503, []byte("not json 864213"), "864213", "ACCT-99871")

	f.Fuzz(func(t *testing.T, status int, body []byte, pin, account string) {
		// PINs are digits and account numbers letters, digits and '-' (the
		// API refuses other characters); four characters is the shortest
		// value worth hiding.
		pin = keepOnly(pin, "0123456789")
		account = keepOnly(strings.ToUpper(account), "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
		if len(pin) < 4 || len(account) < 4 {
			return
		}
		status = 400 + nonNegative(status)%200
		c := call{op: "submit order", secrets: []string{pin, account}}
		resp := &http.Response{StatusCode: status, Header: http.Header{}}
		err := statusError(c, resp, body)

		var pe *provider.Error
		if !errors.As(err, &pe) {
			t.Fatalf("statusError returned %T, want a provider error", err)
		}
		for _, secret := range []string{pin, account} {
			if strings.Contains(err.Error(), secret) {
				t.Fatalf("the error %q holds the secret value %q", err.Error(), secret)
			}
		}
		if len(pe.Message) > 400+len("…") {
			t.Fatalf("the error message is %d bytes long", len(pe.Message))
		}
		if !knownErrorCode(pe.Code) {
			t.Fatalf("unknown error code %q", pe.Code)
		}
	})
}

// FuzzWebhook posts arbitrary deliveries to the webhook handler: an
// unsigned or badly signed one never wakes a PortRequest, and a signed one
// of any content is handled without a panic.
func FuzzWebhook(f *testing.F) {
	event := []byte(`{"data":{"event_type":"porting_order.status_changed","id":"evt-1",` +
		`"payload":{"customer_reference":"numberport-uid-7","id":"order-7"}}}`)
	split := []byte(`{"data":{"event_type":"porting_order.split","id":"evt-2",` +
		`"payload":{"from":{"id":"order-7"},"to":{"id":"order-8"}}}}`)
	now := strconv.FormatInt(epoch.Unix(), 10)
	f.Add(event, now, "", true)
	f.Add(split, now, "", true)
	f.Add(event, now, base64.StdEncoding.EncodeToString(make([]byte, 64)), false)
	f.Add(event, "", "", false)
	f.Add([]byte(`{"event_type":"porting_order.x","payload":"not an object"}`), now, "", true)
	f.Add([]byte(`{"data":null,"id":"e","event_type":"porting_order.deleted",`+
		`"payload":{"porting_order_id":"o","from":{"id":"o"},"to":{"id":"p"},"id":"q"}}`),
		now, "", true)

	pub, priv, err := ed25519.GenerateKey(bytes.NewReader(make([]byte, 64)))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte, ts, sig string, signed bool) {
		clk := clocktesting.NewFakeClock(epoch)
		var woken []string
		h, err := NewWebhookHandler(WebhookConfig{
			PublicKey: pub,
			Clock:     clk,
			Log:       logr.Discard(),
			Wake:      func(ref string) { woken = append(woken, ref) },
			Resolve: func(_ context.Context, id string) (string, error) {
				return "numberport-resolved-" + id, nil
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		if signed {
			ts = strconv.FormatInt(clk.Now().Unix(), 10)
			sig = base64.StdEncoding.EncodeToString(
				ed25519.Sign(priv, append([]byte(ts+"|"), body...)))
		}
		req := httptest.NewRequest(http.MethodPost, "/webhooks/telnyx", bytes.NewReader(body))
		req.Header.Set(TimestampHeader, ts)
		req.Header.Set(SignatureHeader, sig)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)

		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusUnauthorized,
			http.StatusRequestEntityTooLarge, http.StatusServiceUnavailable:
		default:
			t.Fatalf("unexpected status %d", rec.Code)
		}
		if len(woken) > 0 && !validDelivery(pub, clk.Now(), ts, sig, body) {
			t.Fatalf("an unsigned delivery woke %v", woken)
		}
		for _, ref := range woken {
			if ref == "" {
				t.Fatal("a delivery woke an empty reference")
			}
		}
	})
}

// fuzzAdapter returns an adapter whose every request goes to transport,
// without retries, so that a fuzz case runs in microseconds.
func fuzzAdapter(t *testing.T, transport http.RoundTripper) *Adapter {
	t.Helper()
	a, err := New(Config{
		BaseURL:       "http://telnyx.invalid/v2",
		APIKey:        fuzzAPIKey,
		PlatformSPIDs: []string{"9990"},
		ConnectionID:  "conn-platform",
		Timeout:       5 * time.Second,
		Retry:         RetryPolicy{MaxAttempts: 1},
		Clock:         clocktesting.NewFakeClock(epoch),
	}, &http.Client{Transport: transport})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// checkFuzzOrder checks what GetOrder or FindOrder returned.
func checkFuzzOrder(t *testing.T, op string, o provider.Order, err error) {
	t.Helper()
	checkFuzzError(t, op, err)
	if err != nil {
		return
	}
	switch o.State {
	case provider.OrderSubmitted, provider.OrderRejected, provider.OrderConfirmed,
		provider.OrderPorted, provider.OrderCancelPending, provider.OrderCancelled:
	default:
		t.Fatalf("%s: unknown order state %q", op, o.State)
	}
	if (o.State == provider.OrderRejected) != (o.Rejection != nil) {
		t.Fatalf("%s: state %s with rejection %+v", op, o.State, o.Rejection)
	}
	if r := o.Rejection; r != nil && (r.Code == "" || len(r.Message) > 600+len("…")) {
		t.Fatalf("%s: rejection code %q, message of %d bytes", op, r.Code, len(r.Message))
	}
	dated := o.State == provider.OrderConfirmed || o.State == provider.OrderPorted
	if !o.PortDate.IsZero() && !dated {
		t.Fatalf("%s: a port date on an order in state %s", op, o.State)
	}
	for _, n := range o.Numbers {
		switch n.State {
		case provider.NumberPending, provider.NumberPorted, provider.NumberNotPortable,
			provider.NumberCancelled:
		default:
			t.Fatalf("%s: unknown number state %q", op, n.State)
		}
		if n.Messaging != provider.MessagingPending && n.Messaging != provider.MessagingPorted {
			t.Fatalf("%s: unknown messaging state %q", op, n.Messaging)
		}
	}
}

// checkFuzzError checks that a failed call failed with a provider error of
// a known code that does not quote the API key.
func checkFuzzError(t *testing.T, op string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var pe *provider.Error
	if !errors.As(err, &pe) {
		t.Fatalf("%s: error %v (%T) is not a provider error", op, err, err)
	}
	if !knownErrorCode(pe.Code) {
		t.Fatalf("%s: unknown error code %q", op, pe.Code)
	}
	msg := err.Error()
	if strings.Contains(msg, fuzzAPIKey) {
		t.Fatalf("%s: the error quotes the API key: %.300s", op, msg)
	}
	if len(msg) > 2048 {
		t.Fatalf("%s: an error of %d bytes: %.300s", op, len(msg), msg)
	}
}

func knownErrorCode(c provider.ErrorCode) bool {
	switch c {
	case provider.CodeUnavailable, provider.CodeRateLimited, provider.CodeNotFound,
		provider.CodeInvalidRequest, provider.CodeUnauthorized, provider.CodeCancelRefused,
		provider.CodeConflict:
		return true
	}
	return false
}

// validDelivery reports whether a delivery carries a signature of the body
// by the account's key, with a timestamp within the default tolerance.
func validDelivery(pub ed25519.PublicKey, now time.Time, ts, sig string, body []byte) bool {
	secs, err := strconv.ParseInt(strings.TrimSpace(ts), 10, 64)
	if err != nil {
		return false
	}
	if age := now.Sub(time.Unix(secs, 0)); age > DefaultWebhookTolerance ||
		age < -DefaultWebhookTolerance {
		return false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(sig))
	if err != nil || len(raw) != ed25519.SignatureSize {
		return false
	}
	msg := append([]byte(strings.TrimSpace(ts)+"|"), body...)
	return ed25519.Verify(pub, msg, raw)
}

// keepOnly returns s with only the characters of allowed.
func keepOnly(s, allowed string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(allowed, r) {
			return r
		}
		return -1
	}, s)
}

// nonNegative maps any int onto a non-negative one, without overflowing
// on the smallest int.
func nonNegative(n int) int {
	if n < 0 {
		return -(n + 1)
	}
	return n
}
