package simulator

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/numberport/numberport/internal/provider"
)

func TestIdempotency(t *testing.T) {
	h := newHarness(t)
	first := h.submit(request("key-1", happy))

	h.at(reviewed)
	second := h.submit(request("key-1", happy, unlisted))
	if second.ID != first.ID || second.State != provider.OrderConfirmed {
		t.Fatalf("second submission = %+v, want order %s confirmed", second, first.ID)
	}
	found, err := h.sim.FindOrder(h.ctx, "key-1")
	if err != nil || found.ID != first.ID {
		t.Fatalf("FindOrder = %+v, %v", found, err)
	}
	if got := h.sim.OrdersCreatedForKey("key-1"); got != 1 {
		t.Fatalf("orders created for the key = %d", got)
	}
	if got := h.sim.SubmitCalls("key-1"); got != 2 {
		t.Fatalf("submit calls = %d", got)
	}

	_, err = h.sim.FindOrder(h.ctx, "key-2")
	if !provider.IsNotFound(err) || !provider.IsPermanent(err) {
		t.Fatalf("FindOrder of an unknown key: %v", err)
	}
	_, err = h.sim.GetOrder(h.ctx, "SIM-999999")
	wantCode(t, err, provider.CodeNotFound)
}

func TestConflict(t *testing.T) {
	h := newHarness(t)
	a := h.submit(request("a", happy))

	_, err := h.sim.SubmitOrder(h.ctx, request("b", unlisted, happy))
	wantCode(t, err, provider.CodeConflict)
	if !provider.IsPermanent(err) || h.sim.OrdersCreated() != 1 {
		t.Fatalf("conflicting submission: %v, %d orders", err, h.sim.OrdersCreated())
	}

	if _, err := h.sim.CancelOrder(h.ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	_, err = h.sim.SubmitOrder(h.ctx, request("b", unlisted, happy))
	wantCode(t, err, provider.CodeConflict)

	h.at(5 * time.Second)
	b := h.submit(request("b", unlisted, happy))

	h.at(5*time.Second + portedAt)
	wantState(t, h.get(b.ID), provider.OrderPorted)
	_, err = h.sim.SubmitOrder(h.ctx, request("c", happy))
	wantCode(t, err, provider.CodeConflict)

	if err := h.sim.Release(h.ctx, happy); err != nil {
		t.Fatal(err)
	}
	h.submit(request("c", happy))
}

func TestCancel(t *testing.T) {
	tests := []struct {
		name   string
		at     time.Duration
		number string
		want   provider.ErrorCode
	}{
		{"submitted", 0, happy, ""},
		{"rejected", reviewed, invalidPIN, ""},
		{"confirmed", portedAt - 16*time.Second, happy, ""},
		{"within the cutoff", portedAt - 15*time.Second, happy, provider.CodeCancelRefused},
		{"ported", portedAt, happy, provider.CodeCancelRefused},
		{"moved out of the cutoff", portedAt - time.Second, moved, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			o := h.submit(request("k", tt.number))
			h.at(tt.at)
			got, err := h.sim.CancelOrder(h.ctx, o.ID)
			if tt.want != "" {
				wantCode(t, err, tt.want)
				if !provider.IsPermanent(err) {
					t.Fatalf("refusal %v is not permanent", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("CancelOrder: %v", err)
			}
			wantState(t, got, provider.OrderCancelPending)

			h.at(tt.at + 5*time.Second)
			got, err = h.sim.CancelOrder(h.ctx, o.ID)
			if err != nil {
				t.Fatalf("cancelling again: %v", err)
			}
			wantState(t, got, provider.OrderCancelled)
			if got.CancelledByProvider || !got.PortDate.IsZero() ||
				numberState(t, got, tt.number).State != provider.NumberCancelled {
				t.Fatalf("cancelled order = %+v", got)
			}
		})
	}
}

func TestCancelAtOnce(t *testing.T) {
	cfg := Compressed()
	cfg.CancelDelay = 0
	h := newHarnessWith(t, cfg)
	o := h.submit(request("k", happy))
	got, err := h.sim.CancelOrder(h.ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantState(t, got, provider.OrderCancelled)
}

func TestCancelPendingDoesNotPort(t *testing.T) {
	cfg := Compressed()
	cfg.CancelDelay = time.Minute
	h := newHarnessWith(t, cfg)
	o := h.submit(request("k", happy))
	h.at(portedAt - 20*time.Second)
	if _, err := h.sim.CancelOrder(h.ctx, o.ID); err != nil {
		t.Fatal(err)
	}
	h.at(portedAt)
	wantState(t, h.get(o.ID), provider.OrderCancelPending)
	if r := h.lookup(happy); r.OnPlatform {
		t.Fatalf("a cancelled port happened: %+v", r)
	}
}

func TestRequestedPortDate(t *testing.T) {
	h := newHarness(t)
	req := request("k", happy)
	req.RequestedPortDate = t0.Add(time.Hour + 300*time.Millisecond)
	o := h.submit(req)
	h.at(reviewed)
	if o = h.get(o.ID); !o.PortDate.Equal(t0.Add(time.Hour + time.Second)) {
		t.Fatalf("port date %s, want the requested date rounded up", o.PortDate)
	}
}

func TestInjectedOutage(t *testing.T) {
	h := newHarness(t)
	o := h.submit(request("k", happy))
	h.sim.InjectOutage(t0.Add(time.Minute), t0.Add(time.Minute+3*time.Second))

	h.at(time.Minute)
	calls := map[string]func() error{
		"check": func() error {
			_, err := h.sim.CheckPortability(h.ctx, []string{happy})
			return err
		},
		"submit": func() error {
			_, err := h.sim.SubmitOrder(h.ctx, request("x", unlisted))
			return err
		},
		"find": func() error { _, err := h.sim.FindOrder(h.ctx, "k"); return err },
		"get":  func() error { _, err := h.sim.GetOrder(h.ctx, o.ID); return err },
		"correct": func() error {
			_, err := h.sim.CorrectOrder(h.ctx, o.ID, request("k", happy))
			return err
		},
		"cancel":   func() error { _, err := h.sim.CancelOrder(h.ctx, o.ID); return err },
		"lookup":   func() error { _, err := h.sim.Lookup(h.ctx, happy); return err },
		"stage":    func() error { return h.sim.StageCallFlow(h.ctx, happy, "main") },
		"activate": func() error { return h.sim.Activate(h.ctx, happy) },
		"release":  func() error { return h.sim.Release(h.ctx, happy) },
	}
	for name, call := range calls {
		err := call()
		if provider.RetryAfter(err) != 3*time.Second {
			t.Errorf("%s during the outage: %v, want a 3s retry hint", name, err)
		}
		wantCode(t, err, provider.CodeUnavailable)
	}

	h.at(time.Minute + 3*time.Second)
	if _, err := h.sim.GetOrder(h.ctx, o.ID); err != nil {
		t.Fatalf("after the outage: %v", err)
	}
}

func TestContextDone(t *testing.T) {
	h := newHarness(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := h.sim.SubmitOrder(ctx, request("k", happy))
	if !errors.Is(err, context.Canceled) || h.sim.OrdersCreated() != 0 {
		t.Fatalf("submitting with a done context: %v", err)
	}
}

func TestInvalidRequests(t *testing.T) {
	dup := request("k", happy, happy)
	tests := map[string]provider.OrderRequest{
		"no key":       request("", happy),
		"no numbers":   request("k"),
		"not E.164":    request("k", "4155550100"),
		"twice":        dup,
		"letters":      request("k", "+1415555CALL"),
		"empty number": request("k", ""),
	}
	for name, req := range tests {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t)
			_, err := h.sim.SubmitOrder(h.ctx, req)
			wantCode(t, err, provider.CodeInvalidRequest)
		})
	}
}

func TestCorrectionCannotChangeIdentity(t *testing.T) {
	h := newHarness(t)
	o := h.submit(request("k", invalidPIN, happy))
	h.at(reviewed)
	for name, req := range map[string]provider.OrderRequest{
		"numbers": request("k", invalidPIN),
		"key":     request("other", invalidPIN, happy),
	} {
		_, err := h.sim.CorrectOrder(h.ctx, o.ID, req)
		if !provider.HasCode(err, provider.CodeInvalidRequest) {
			t.Errorf("correction changing the %s: %v", name, err)
		}
	}
	fixed := request("", happy, invalidPIN)
	fixed.LosingCarrier.PIN = "4321"
	got, err := h.sim.CorrectOrder(h.ctx, o.ID, fixed)
	if err != nil {
		t.Fatalf("correction in another number order: %v", err)
	}
	wantState(t, got, provider.OrderSubmitted)
}
