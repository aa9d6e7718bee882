package telnyx

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	clocktesting "k8s.io/utils/clock/testing"

	"github.com/numberport/numberport/internal/provider/telnyx/telnyxfake"
)

// Event bodies in the shapes Telnyx documents.
const (
	statusChanged = `{"data":{"event_type":"porting_order.status_changed",` +
		`"id":"evt-1","occurred_at":"2026-03-02T15:00:00Z","payload":` +
		`{"customer_reference":"numberport-uid-7","id":"order-7",` +
		`"status":{"details":[],"value":"foc-date-confirmed"}},"record_type":"event"},` +
		`"meta":{"attempt":1}}`
	splitEvent = `{"data":{"event_type":"porting_order.split","id":"evt-2",` +
		`"payload":{"from":{"id":"order-7"},"to":{"id":"order-8"}},"record_type":"event"}}`
	messagingChanged = `{"id":"evt-3","event_type":"porting_order.messaging_changed",` +
		`"format":"v2","payload":{"id":"order-9","customer_reference":"numberport-uid-9",` +
		`"messaging":{"messaging_port_status":"ported"}}}`
	portOut = `{"data":{"event_type":"portout.status_changed","id":"evt-4",` +
		`"payload":{"id":"po-1"}}}`
)

// webhookFixture is a handler with a recorded Wake and a fake clock.
type webhookFixture struct {
	h     *WebhookHandler
	priv  ed25519.PrivateKey
	clock *clocktesting.FakeClock

	mu      sync.Mutex
	woken   []string
	resolve func(ctx context.Context, id string) (string, error)
}

func newWebhookFixture(t *testing.T) *webhookFixture {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	f := &webhookFixture{priv: priv, clock: clocktesting.NewFakeClock(epoch)}
	key, err := ParsePublicKey(base64.StdEncoding.EncodeToString(pub))
	if err != nil {
		t.Fatalf("ParsePublicKey: %v", err)
	}
	f.h, err = NewWebhookHandler(WebhookConfig{
		PublicKey: key,
		Clock:     f.clock,
		Wake: func(ref string) {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.woken = append(f.woken, ref)
		},
		Resolve: func(ctx context.Context, id string) (string, error) {
			return f.resolve(ctx, id)
		},
	})
	if err != nil {
		t.Fatalf("NewWebhookHandler: %v", err)
	}
	f.resolve = func(_ context.Context, id string) (string, error) {
		return map[string]string{"order-7": "numberport-uid-7",
			"order-8": "numberport-uid-7"}[id], nil
	}
	return f
}

// deliver posts body signed at ts with priv and returns the status code.
func (f *webhookFixture) deliver(body string, ts time.Time, priv ed25519.PrivateKey) int {
	sig, stamp := telnyxfake.Sign(priv, ts, []byte(body))
	return f.post(body, sig, stamp)
}

func (f *webhookFixture) post(body, sig, stamp string) int {
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewBufferString(body))
	req.Header.Set("telnyx-signature-ed25519", sig)
	req.Header.Set("telnyx-timestamp", stamp)
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec.Code
}

func (f *webhookFixture) wakes() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.woken)
}

func TestWebhookVerification(t *testing.T) {
	_, stranger, _ := ed25519.GenerateKey(rand.Reader)
	tests := []struct {
		name      string
		send      func(f *webhookFixture) int
		wantCode  int
		wantWakes []string
	}{
		{"status change", func(f *webhookFixture) int {
			return f.deliver(statusChanged, epoch.Add(-time.Minute), f.priv)
		}, http.StatusOK, []string{"numberport-uid-7"}},
		{"messaging change in the flat envelope", func(f *webhookFixture) int {
			return f.deliver(messagingChanged, epoch, f.priv)
		}, http.StatusOK, []string{"numberport-uid-9"}},
		{"split resolved through the API", func(f *webhookFixture) int {
			return f.deliver(splitEvent, epoch, f.priv)
		}, http.StatusOK, []string{"numberport-uid-7"}},
		{"not a porting order event", func(f *webhookFixture) int {
			return f.deliver(portOut, epoch, f.priv)
		}, http.StatusOK, nil},
		{"replay older than the tolerance", func(f *webhookFixture) int {
			return f.deliver(statusChanged, epoch.Add(-6*time.Minute), f.priv)
		}, http.StatusUnauthorized, nil},
		{"timestamp from the future", func(f *webhookFixture) int {
			return f.deliver(statusChanged, epoch.Add(6*time.Minute), f.priv)
		}, http.StatusUnauthorized, nil},
		{"forged with another key", func(f *webhookFixture) int {
			return f.deliver(statusChanged, epoch, stranger)
		}, http.StatusUnauthorized, nil},
		{"body changed after signing", func(f *webhookFixture) int {
			sig, stamp := telnyxfake.Sign(f.priv, epoch, []byte(statusChanged))
			return f.post(statusChanged+" ", sig, stamp)
		}, http.StatusUnauthorized, nil},
		{"timestamp changed after signing", func(f *webhookFixture) int {
			sig, _ := telnyxfake.Sign(f.priv, epoch, []byte(statusChanged))
			return f.post(statusChanged, sig, strconv.FormatInt(epoch.Unix()+1, 10))
		}, http.StatusUnauthorized, nil},
		{"no signature", func(f *webhookFixture) int {
			return f.post(statusChanged, "", strconv.FormatInt(epoch.Unix(), 10))
		}, http.StatusUnauthorized, nil},
		{"signed garbage", func(f *webhookFixture) int {
			return f.deliver("not json", epoch, f.priv)
		}, http.StatusBadRequest, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newWebhookFixture(t)
			if got := tt.send(f); got != tt.wantCode {
				t.Errorf("status %d, want %d", got, tt.wantCode)
			}
			if got := f.wakes(); !slices.Equal(got, tt.wantWakes) {
				t.Errorf("woke %v, want %v", got, tt.wantWakes)
			}
		})
	}
}

func TestWebhookToleratesDuplicatesAndReordering(t *testing.T) {
	f := newWebhookFixture(t)
	confirmed := statusChanged
	submitted := `{"data":{"event_type":"porting_order.status_changed","id":"evt-0",` +
		`"payload":{"customer_reference":"numberport-uid-7","status":{"value":"submitted"}}}}`

	codes := []int{
		f.deliver(confirmed, epoch, f.priv),
		f.deliver(confirmed, epoch.Add(time.Second), f.priv),
		f.deliver(submitted, epoch, f.priv),
	}

	for i, c := range codes {
		if c != http.StatusOK {
			t.Errorf("delivery %d: status %d, want 200", i, c)
		}
	}
	want := []string{"numberport-uid-7", "numberport-uid-7"}
	if got := f.wakes(); !slices.Equal(got, want) {
		t.Errorf("woke %v, want one wake per distinct event %v", got, want)
	}
}

func TestWebhookAsksForRedeliveryWhenItCannotResolve(t *testing.T) {
	f := newWebhookFixture(t)
	resolve := f.resolve
	f.resolve = func(context.Context, string) (string, error) {
		return "", errors.New("telnyx unavailable")
	}

	first := f.deliver(splitEvent, epoch, f.priv)
	f.resolve = resolve
	second := f.deliver(splitEvent, epoch, f.priv)

	if first != http.StatusServiceUnavailable || second != http.StatusOK {
		t.Errorf("statuses %d then %d, want 503 then 200", first, second)
	}
	if got := f.wakes(); !slices.Equal(got, []string{"numberport-uid-7"}) {
		t.Errorf("woke %v, want the split order's PortRequest once", got)
	}
}

func TestWebhookRefusesOtherMethods(t *testing.T) {
	f := newWebhookFixture(t)
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET: status %d, want 405", rec.Code)
	}
}

func TestCustomerReferenceResolvesThroughTheAPI(t *testing.T) {
	f := newFixture(t)
	order := f.submit(request("numberport-uid-10", "+13035550501"))
	ctx := context.Background()

	ref, err := f.a.CustomerReference(ctx, order.ID)
	if err != nil || ref != "numberport-uid-10" {
		t.Errorf("CustomerReference = %q, %v", ref, err)
	}
	ref, err = f.a.CustomerReference(ctx, "deleted-order")
	if err != nil || ref != "" {
		t.Errorf("CustomerReference of a missing order = %q, %v; want none", ref, err)
	}
}

func TestParsePublicKey(t *testing.T) {
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawURLEncoding} {
		if _, err := ParsePublicKey(" " + enc.EncodeToString(pub) + "\n"); err != nil {
			t.Errorf("ParsePublicKey: %v", err)
		}
	}
	if _, err := ParsePublicKey(base64.StdEncoding.EncodeToString(pub[:16])); err == nil {
		t.Errorf("a 16-byte key was accepted")
	}
}

func TestWebhookServerServesUntilStopped(t *testing.T) {
	f := newWebhookFixture(t)
	srv := &WebhookServer{Addr: "127.0.0.1:0", Handler: f.h}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Start(ctx) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Start: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the server did not stop")
	}
}
