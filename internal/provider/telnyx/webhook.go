package telnyx

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-logr/logr"
	"k8s.io/utils/clock"

	"github.com/numberport/numberport/internal/provider"
)

// Telnyx signs every webhook with Ed25519 over "<timestamp>|<raw body>" and
// sends the signature and timestamp in these headers.
const (
	SignatureHeader = "Telnyx-Signature-Ed25519"
	TimestampHeader = "Telnyx-Timestamp"
)

// DefaultWebhookTolerance is how far a webhook's timestamp may be from now:
// older deliveries are refused as replays.
const DefaultWebhookTolerance = 5 * time.Minute

const (
	maxWebhookBytes = 1 << 20
	maxSeenEvents   = 4096
	resolveTimeout  = 10 * time.Second
)

// WebhookConfig configures the webhook handler.
type WebhookConfig struct {
	// PublicKey is the account's Ed25519 public key from the Telnyx portal.
	PublicKey ed25519.PublicKey
	// Tolerance is how old (or how far ahead) a timestamp may be;
	// zero means DefaultWebhookTolerance.
	Tolerance time.Duration
	// Clock reads now; nil means the real clock.
	Clock clock.PassiveClock
	// Wake is called with the customer reference of the porting order an
	// event concerns, which is the idempotency key of the PortRequest. It
	// must return quickly: it only wakes the PortRequest, whose next poll
	// reads the truth.
	Wake func(customerReference string)
	// Resolve returns the customer reference of an order, for events that
	// name only the order (a split, a new comment). Usually
	// (*Adapter).CustomerReference; nil drops such events.
	Resolve func(ctx context.Context, orderID string) (string, error)
	// Log receives one line per refused or failed delivery.
	Log logr.Logger
}

// ParsePublicKey reads an Ed25519 public key given in base64, as the Telnyx
// portal shows it.
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding,
		base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == ed25519.PublicKeySize {
			return ed25519.PublicKey(b), nil
		}
	}
	return nil, fmt.Errorf("the webhook public key is not a base64 Ed25519 key of %d bytes",
		ed25519.PublicKeySize)
}

// WebhookHandler verifies Telnyx porting webhooks and wakes the PortRequest
// each concerns. Events may come twice, late or out of order: a duplicate
// is acknowledged without a second wake, and order does not matter since a
// wake only triggers a poll.
type WebhookHandler struct {
	cfg WebhookConfig

	mu   sync.Mutex
	seen map[string]time.Time
}

var _ http.Handler = (*WebhookHandler)(nil)

// NewWebhookHandler returns a handler for cfg.
func NewWebhookHandler(cfg WebhookConfig) (*WebhookHandler, error) {
	if len(cfg.PublicKey) != ed25519.PublicKeySize {
		return nil, errors.New("the webhook handler needs the account's Ed25519 public key")
	}
	if cfg.Wake == nil {
		return nil, errors.New("the webhook handler needs a Wake function")
	}
	if cfg.Tolerance <= 0 {
		cfg.Tolerance = DefaultWebhookTolerance
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.RealClock{}
	}
	return &WebhookHandler{cfg: cfg, seen: map[string]time.Time{}}, nil
}

// ServeHTTP implements http.Handler.
func (h *WebhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "only POST is accepted", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxWebhookBytes+1))
	if err != nil || len(body) > maxWebhookBytes {
		http.Error(w, "the body is unreadable or too large", http.StatusRequestEntityTooLarge)
		return
	}
	if err := h.verify(r.Header, body); err != nil {
		h.cfg.Log.Info("Refused a Telnyx webhook", "reason", err.Error())
		http.Error(w, "signature verification failed", http.StatusUnauthorized)
		return
	}
	ev, err := parseEvent(body)
	if err != nil {
		http.Error(w, "the body is not a Telnyx event", http.StatusBadRequest)
		return
	}
	if err := h.handle(r.Context(), ev); err != nil {
		h.cfg.Log.Info("Could not resolve a Telnyx webhook; Telnyx will deliver it again",
			"event", ev.EventType, "reason", err.Error())
		http.Error(w, "the event could not be resolved yet", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte("{}"))
}

// verify checks the timestamp window and the signature.
func (h *WebhookHandler) verify(header http.Header, body []byte) error {
	ts := strings.TrimSpace(header.Get(TimestampHeader))
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errors.New("missing or malformed timestamp")
	}
	age := h.cfg.Clock.Now().Sub(time.Unix(secs, 0))
	if age > h.cfg.Tolerance || age < -h.cfg.Tolerance {
		return fmt.Errorf("timestamp is %s away from now, beyond the %s tolerance",
			age.Round(time.Second), h.cfg.Tolerance)
	}
	sig, err := base64.StdEncoding.DecodeString(strings.TrimSpace(header.Get(SignatureHeader)))
	if err != nil || len(sig) != ed25519.SignatureSize {
		return errors.New("missing or malformed signature")
	}
	msg := make([]byte, 0, len(ts)+1+len(body))
	msg = append(append(append(msg, ts...), '|'), body...)
	if !ed25519.Verify(h.cfg.PublicKey, msg, sig) {
		return errors.New("the signature does not match the body")
	}
	return nil
}

// handle wakes the PortRequests an event concerns, once per event id.
func (h *WebhookHandler) handle(ctx context.Context, ev eventData) error {
	if !strings.HasPrefix(ev.EventType, "porting_order.") {
		return nil
	}
	if !h.firstDelivery(ev.ID) {
		return nil
	}
	refs, err := h.references(ctx, ev)
	if err != nil {
		h.forget(ev.ID)
		return err
	}
	for _, ref := range refs {
		h.cfg.Wake(ref)
	}
	return nil
}

// references returns the distinct customer references an event concerns.
func (h *WebhookHandler) references(ctx context.Context, ev eventData) ([]string, error) {
	var p eventPayload
	if len(ev.Payload) > 0 {
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return nil, fmt.Errorf("reading the payload: %w", err)
		}
	}
	if p.CustomerReference != "" {
		return []string{p.CustomerReference}, nil
	}
	if h.cfg.Resolve == nil {
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(ctx, resolveTimeout)
	defer cancel()
	var refs []string
	for _, id := range distinct(p.PortingOrderID, p.From.ID, p.To.ID, p.ID) {
		ref, err := h.cfg.Resolve(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("finding the customer reference of order %s: %w", id, err)
		}
		refs = append(refs, ref)
	}
	return distinct(refs...), nil
}

// firstDelivery records an event id and reports whether it is new. Ids
// older than twice the tolerance are forgotten: their redelivery would fail
// the timestamp check anyway.
func (h *WebhookHandler) firstDelivery(id string) bool {
	if id == "" {
		return true
	}
	now := h.cfg.Clock.Now()
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, dup := h.seen[id]; dup {
		return false
	}
	if len(h.seen) >= maxSeenEvents {
		for k, at := range h.seen {
			if now.Sub(at) > 2*h.cfg.Tolerance {
				delete(h.seen, k)
			}
		}
		if len(h.seen) >= maxSeenEvents {
			h.seen = map[string]time.Time{}
		}
	}
	h.seen[id] = now
	return true
}

// forget drops an event id, so that a redelivery is handled.
func (h *WebhookHandler) forget(id string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.seen, id)
}

// webhookEvent accepts both envelopes Telnyx documents: the event under
// "data", and the event at the top level.
type webhookEvent struct {
	Data *eventData `json:"data"`
	eventData
}

type eventData struct {
	ID        string          `json:"id"`
	EventType string          `json:"event_type"`
	Payload   json.RawMessage `json:"payload"`
}

type eventPayload struct {
	ID                string `json:"id"`
	CustomerReference string `json:"customer_reference"`
	PortingOrderID    string `json:"porting_order_id"`
	From              struct {
		ID string `json:"id"`
	} `json:"from"`
	To struct {
		ID string `json:"id"`
	} `json:"to"`
}

func parseEvent(body []byte) (eventData, error) {
	var ev webhookEvent
	if err := json.Unmarshal(body, &ev); err != nil {
		return eventData{}, err
	}
	if ev.Data != nil {
		return *ev.Data, nil
	}
	return ev.eventData, nil
}

// distinct returns the non-empty values once each, in order.
func distinct(values ...string) []string {
	var out []string
	for _, v := range values {
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// CustomerReference returns the customer reference of a porting order, for
// WebhookConfig.Resolve. An order that no longer exists has none.
func (a *Adapter) CustomerReference(ctx context.Context, orderID string) (string, error) {
	o, err := a.getOrder(ctx, "resolve webhook", orderID)
	if err != nil {
		if provider.IsNotFound(err) {
			return "", nil
		}
		return "", err
	}
	return o.CustomerReference, nil
}
