package simulator

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/numberport/numberport/internal/provider"
)

// Instants of the compressed timeline for an order submitted at t0.
const (
	reviewed = 20 * time.Second
	midpoint = 50 * time.Second
	portedAt = 80 * time.Second
)

func TestScenarioOf(t *testing.T) {
	tests := []struct {
		number string
		want   Scenario
	}{
		{"+14155550101", ScenarioInvalidPIN},
		{"+12045550108", ScenarioNotPortable},
		{"+18005550110", ScenarioOutage},
		{"+14155550100", ScenarioHappy},
		{"+14155550199", ScenarioHappy},
		{"+14155550201", ScenarioHappy},
		{"+14165550101x", ScenarioHappy},
		{"+441415550101", ScenarioHappy},
		{"+11235550101", ScenarioHappy},
		{"", ScenarioHappy},
	}
	for _, tt := range tests {
		if got := ScenarioOf(tt.number); got != tt.want {
			t.Errorf("ScenarioOf(%q) = %s, want %s", tt.number, got, tt.want)
		}
	}
}

func TestHappyPath(t *testing.T) {
	for _, number := range []string{happy, unlisted, "+442071838750"} {
		t.Run(number, func(t *testing.T) {
			h := newHarness(t)
			o := h.submit(request("k", number))
			wantState(t, o, provider.OrderSubmitted)
			if o.ID != "SIM-000001" || !o.SubmittedAt.Equal(t0) ||
				!o.PortDate.IsZero() {
				t.Fatalf("new order = %+v", o)
			}

			h.at(reviewed)
			o = h.get(o.ID)
			wantState(t, o, provider.OrderConfirmed)
			if want := t0.Add(portedAt); !o.PortDate.Equal(want) {
				t.Fatalf("port date %s, want %s", o.PortDate, want)
			}

			h.at(portedAt - time.Second)
			r := h.lookup(number)
			if r.OnPlatform || !r.InService || r.Carrier != "Old Telco" {
				t.Fatalf("route before the port = %+v", r)
			}

			h.at(portedAt)
			o = h.get(o.ID)
			wantState(t, o, provider.OrderPorted)
			n := numberState(t, o, number)
			if n.State != provider.NumberPorted ||
				n.Messaging != provider.MessagingPending {
				t.Fatalf("number at the port = %+v", n)
			}
			if r := h.lookup(number); !r.OnPlatform || r.SPID != PlatformSPID {
				t.Fatalf("route after the port = %+v", r)
			}

			h.at(portedAt + 10*time.Second)
			n = numberState(t, h.get(o.ID), number)
			if n.Messaging != provider.MessagingPorted {
				t.Fatalf("messaging after its delay = %s", n.Messaging)
			}
		})
	}
}

// fix returns a copy of req whose field differs from req's.
type fix func(req provider.OrderRequest) provider.OrderRequest

func TestRejectionScenarios(t *testing.T) {
	tests := []struct {
		number string
		code   provider.RejectionCode
		fix    fix
	}{
		{invalidPIN, provider.RejectionInvalidPIN,
			func(r provider.OrderRequest) provider.OrderRequest {
				r.LosingCarrier.PIN = "PIN-SECRET-9999"
				return r
			}},
		{postalCode, provider.RejectionPostalCodeMismatch,
			func(r provider.OrderRequest) provider.OrderRequest {
				r.Subscriber.Address.PostalCode = "K1A 0B1"
				return r
			}},
		{unauthorized, provider.RejectionUnauthorizedRequester,
			func(r provider.OrderRequest) provider.OrderRequest {
				r.Subscriber.AuthorizedPerson = "Grace Hopper"
				return r
			}},
		{accountNumber, provider.RejectionAccountNumberMismatch,
			func(r provider.OrderRequest) provider.OrderRequest {
				r.LosingCarrier.AccountNumber = "ACCT-SECRET-0000"
				return r
			}},
	}
	for _, tt := range tests {
		t.Run(string(tt.code), func(t *testing.T) {
			h := newHarness(t)
			req := request("k", happy, tt.number)
			o := h.submit(req)

			h.at(reviewed)
			o = h.get(o.ID)
			wantRejected(t, o, tt.code, reviewed)

			_, err := h.sim.CorrectOrder(h.ctx, o.ID, req)
			if err != nil {
				t.Fatalf("correcting with the same details: %v", err)
			}
			h.at(2 * reviewed)
			wantRejected(t, h.get(o.ID), tt.code, 2*reviewed)

			if _, err := h.sim.CorrectOrder(h.ctx, o.ID, tt.fix(req)); err != nil {
				t.Fatalf("correcting: %v", err)
			}
			h.at(3 * reviewed)
			wantState(t, h.get(o.ID), provider.OrderConfirmed)
			_, err = h.sim.CorrectOrder(h.ctx, o.ID, tt.fix(req))
			wantCode(t, err, provider.CodeInvalidRequest)
			if !provider.IsPermanent(err) {
				t.Fatalf("correcting a confirmed order: %v is not permanent", err)
			}
		})
	}
}

// wantRejected fails the test unless the order was rejected with code at
// the given instant after t0, with the compressed deadline.
func wantRejected(t *testing.T, o provider.Order, code provider.RejectionCode, at time.Duration) {
	t.Helper()
	wantState(t, o, provider.OrderRejected)
	r := o.Rejection
	if r == nil || r.Code != code || !r.Since.Equal(t0.Add(at)) ||
		!r.CancellationDeadline.Equal(t0.Add(at+5*time.Minute)) || r.Message == "" {
		t.Fatalf("rejection = %+v, want %s since %s", r, code, at)
	}
}

func TestRejectionsComeOneAtATime(t *testing.T) {
	h := newHarness(t)
	req := request("k", postalCode, invalidPIN)
	o := h.submit(req)

	h.at(reviewed)
	wantRejected(t, h.get(o.ID), provider.RejectionInvalidPIN, reviewed)

	req.LosingCarrier.PIN = "0000"
	if _, err := h.sim.CorrectOrder(h.ctx, o.ID, req); err != nil {
		t.Fatal(err)
	}
	h.at(2 * reviewed)
	wantRejected(t, h.get(o.ID), provider.RejectionPostalCodeMismatch, 2*reviewed)

	req.Subscriber.Address.PostalCode = " 6 2 7 0 1 "
	if _, err := h.sim.CorrectOrder(h.ctx, o.ID, req); err != nil {
		t.Fatal(err)
	}
	h.at(3 * reviewed)
	wantRejected(t, h.get(o.ID), provider.RejectionPostalCodeMismatch, 3*reviewed)

	req.Subscriber.Address.PostalCode = "62702"
	if _, err := h.sim.CorrectOrder(h.ctx, o.ID, req); err != nil {
		t.Fatal(err)
	}
	h.at(4 * reviewed)
	wantState(t, h.get(o.ID), provider.OrderConfirmed)
}

func TestCancellationDeadline(t *testing.T) {
	deadline := reviewed + 5*time.Minute
	t.Run("uncorrected", func(t *testing.T) {
		h := newHarness(t)
		o := h.submit(request("k", accountNumber, happy))

		h.at(deadline - time.Second)
		wantState(t, h.get(o.ID), provider.OrderRejected)

		h.at(deadline)
		o = h.get(o.ID)
		wantState(t, o, provider.OrderCancelled)
		if !o.CancelledByProvider || o.Rejection != nil {
			t.Fatalf("order cancelled at the deadline = %+v", o)
		}
		for _, n := range o.Numbers {
			if n.State != provider.NumberCancelled || n.Reason == "" {
				t.Fatalf("number after the deadline = %+v", n)
			}
		}
	})
	t.Run("corrected before", func(t *testing.T) {
		h := newHarness(t)
		req := request("k", accountNumber)
		o := h.submit(req)

		h.at(deadline - time.Second)
		req.LosingCarrier.AccountNumber = "12345"
		if _, err := h.sim.CorrectOrder(h.ctx, o.ID, req); err != nil {
			t.Fatal(err)
		}
		h.at(deadline - time.Second + reviewed)
		o = h.get(o.ID)
		wantState(t, o, provider.OrderConfirmed)
		if o.CancelledByProvider {
			t.Fatal("a corrected order is marked cancelled by the provider")
		}
	})
}

func TestEarlyTransfer(t *testing.T) {
	h := newHarness(t)
	o := h.submit(request("k", happy, early))

	h.at(midpoint - time.Second)
	if r := h.lookup(early); r.OnPlatform {
		t.Fatalf("route before the transfer = %+v", r)
	}

	h.at(midpoint)
	if r := h.lookup(early); !r.OnPlatform || !r.InService || r.Carrier != PlatformCarrier {
		t.Fatalf("route after the transfer = %+v", r)
	}
	if r := h.lookup(happy); r.OnPlatform {
		t.Fatalf("the other number moved too: %+v", r)
	}
	o = h.get(o.ID)
	wantState(t, o, provider.OrderConfirmed)
	if !o.PortDate.Equal(t0.Add(portedAt)) ||
		numberState(t, o, early).State != provider.NumberPending {
		t.Fatalf("order after an early transfer = %+v", o)
	}

	h.at(portedAt)
	wantState(t, h.get(o.ID), provider.OrderPorted)
}

func TestPortDateMoved(t *testing.T) {
	h := newHarness(t)
	o := h.submit(request("k", moved, happy))

	h.at(midpoint - time.Second)
	if o = h.get(o.ID); !o.PortDate.Equal(t0.Add(portedAt)) {
		t.Fatalf("port date before the move = %s", o.PortDate)
	}

	h.at(midpoint)
	later := t0.Add(portedAt + 60*time.Second)
	if o = h.get(o.ID); !o.PortDate.Equal(later) {
		t.Fatalf("port date after the move = %s, want %s", o.PortDate, later)
	}

	h.at(portedAt)
	wantState(t, h.get(o.ID), provider.OrderConfirmed)
	if r := h.lookup(moved); r.OnPlatform {
		t.Fatalf("route on the first port date = %+v", r)
	}

	h.clk.SetTime(later)
	wantState(t, h.get(o.ID), provider.OrderPorted)
}

func TestDroppedLines(t *testing.T) {
	h := newHarness(t)
	o := h.submit(request("k", dropped))

	h.at(midpoint - time.Second)
	if r := h.lookup(dropped); !r.InService {
		t.Fatalf("route before the drop = %+v", r)
	}

	h.at(midpoint)
	if r := h.lookup(dropped); r.InService || r.OnPlatform || r.SPID != LosingCarrierSPID {
		t.Fatalf("route after the drop = %+v", r)
	}
	wantState(t, h.get(o.ID), provider.OrderConfirmed)

	h.at(portedAt)
	wantState(t, h.get(o.ID), provider.OrderPorted)
	if r := h.lookup(dropped); !r.InService || !r.OnPlatform {
		t.Fatalf("route after the port = %+v", r)
	}
}

func TestMessagingDelayed(t *testing.T) {
	h := newHarness(t)
	o := h.submit(request("k", slowTexting, happy))

	h.at(portedAt + 10*time.Second)
	o = h.get(o.ID)
	if numberState(t, o, happy).Messaging != provider.MessagingPorted {
		t.Fatal("texting of the other number is late")
	}
	if numberState(t, o, slowTexting).Messaging != provider.MessagingPending {
		t.Fatal("texting of the delayed number is early")
	}

	h.at(portedAt + 10*time.Minute - time.Second)
	if numberState(t, h.get(o.ID), slowTexting).Messaging != provider.MessagingPending {
		t.Fatal("texting arrives before its delay")
	}
	h.at(portedAt + 10*time.Minute)
	if numberState(t, h.get(o.ID), slowTexting).Messaging != provider.MessagingPorted {
		t.Fatal("texting never arrives")
	}
}

func TestNotPortable(t *testing.T) {
	t.Run("check", func(t *testing.T) {
		h := newHarness(t)
		got, err := h.sim.CheckPortability(h.ctx, []string{happy, notPortable})
		if err != nil {
			t.Fatal(err)
		}
		if !got[0].Portable || got[1].Portable || got[1].Reason == "" {
			t.Fatalf("CheckPortability = %+v", got)
		}
	})
	t.Run("partial completion", func(t *testing.T) {
		h := newHarness(t)
		o := h.submit(request("k", happy, notPortable))
		if n := numberState(t, o, notPortable); n.State != provider.NumberNotPortable {
			t.Fatalf("not-portable number on submission = %+v", n)
		}
		h.at(portedAt)
		o = h.get(o.ID)
		wantState(t, o, provider.OrderPorted)
		if numberState(t, o, happy).State != provider.NumberPorted ||
			numberState(t, o, notPortable).State != provider.NumberNotPortable {
			t.Fatalf("numbers after the port = %+v", o.Numbers)
		}
		if r := h.lookup(notPortable); r.OnPlatform {
			t.Fatalf("the not-portable number moved: %+v", r)
		}
	})
	t.Run("nothing portable", func(t *testing.T) {
		h := newHarness(t)
		_, err := h.sim.SubmitOrder(h.ctx, request("k", notPortable, "+12125550108"))
		wantCode(t, err, provider.CodeInvalidRequest)
		if !strings.Contains(err.Error(), "ending 0108") || h.sim.OrdersCreated() != 0 {
			t.Fatalf("submitting only not-portable numbers: %v, %d orders",
				err, h.sim.OrdersCreated())
		}
	})
	t.Run("not held", func(t *testing.T) {
		h := newHarness(t)
		h.submit(request("a", happy, notPortable))
		h.submit(request("b", unlisted, notPortable))
	})
}

func TestOutageScenario(t *testing.T) {
	h := newHarness(t)
	req := request("k", happy, outage)
	_, err := h.sim.SubmitOrder(h.ctx, req)
	wantUnavailable(t, err, 5*time.Second)
	if h.sim.OrdersCreated() != 0 {
		t.Fatal("a failed submission created an order")
	}

	h.at(29*time.Second + 500*time.Millisecond)
	_, err = h.sim.Lookup(h.ctx, outage)
	wantUnavailable(t, err, time.Second)

	h.at(30 * time.Second)
	o := h.submit(req)
	for _, call := range []func() error{
		func() error { _, err := h.sim.GetOrder(h.ctx, o.ID); return err },
		func() error { _, err := h.sim.FindOrder(h.ctx, "k"); return err },
		func() error { _, err := h.sim.Lookup(h.ctx, outage); return err },
		func() error { _, err := h.sim.CancelOrder(h.ctx, o.ID); return err },
	} {
		if err := call(); err != nil {
			t.Fatalf("call after the outage: %v", err)
		}
	}
}

func TestOutageStartsAtFirstMention(t *testing.T) {
	h := newHarness(t)
	h.at(time.Hour)
	if _, err := h.sim.CheckPortability(h.ctx, []string{outage}); err != nil {
		t.Fatalf("CheckPortability is not part of the outage: %v", err)
	}
	_, err := h.sim.Lookup(h.ctx, outage)
	wantUnavailable(t, err, 5*time.Second)
	h.at(time.Hour + 30*time.Second)
	h.lookup(outage)
}

// wantUnavailable fails the test unless err is a transient outage with the
// given retry hint.
func wantUnavailable(t *testing.T, err error, retryAfter time.Duration) {
	t.Helper()
	wantCode(t, err, provider.CodeUnavailable)
	if !provider.IsTransient(err) || provider.RetryAfter(err) != retryAfter {
		t.Fatalf("error %v: transient %v, retry after %s, want %s", err,
			provider.IsTransient(err), provider.RetryAfter(err), retryAfter)
	}
}

func TestLostResponse(t *testing.T) {
	h := newHarness(t)
	req := request("k", lostResponse)
	_, err := h.sim.SubmitOrder(h.ctx, req)
	wantCode(t, err, provider.CodeUnavailable)
	if h.sim.OrdersCreatedForKey("k") != 1 {
		t.Fatal("the lost response did not create the order")
	}

	found, err := h.sim.FindOrder(h.ctx, "k")
	if err != nil {
		t.Fatalf("FindOrder after a lost response: %v", err)
	}
	if again := h.submit(req); again.ID != found.ID || h.sim.OrdersCreated() != 1 {
		t.Fatalf("resubmitting made %s, found %s", again.ID, found.ID)
	}
}

func TestNoSecretsReturned(t *testing.T) {
	numbers := []string{invalidPIN, postalCode, unauthorized, accountNumber, happy}
	h := newHarness(t)
	req := request("k", numbers...)
	o := h.submit(req)
	var seen []string
	for step := range 12 {
		h.at(time.Duration(step) * 40 * time.Second)
		o = h.get(o.ID)
		seen = append(seen, fmt.Sprintf("%+v %+v", o, o.Rejection))
		_, err := h.sim.CorrectOrder(h.ctx, o.ID, req)
		seen = append(seen, fmt.Sprint(err))
		_, err = h.sim.SubmitOrder(h.ctx, request("other", happy))
		seen = append(seen, fmt.Sprint(err))
	}
	for _, s := range seen {
		for _, secret := range []string{secretPIN, secretAccount, "SECRET-DOC"} {
			if strings.Contains(s, secret) {
				t.Fatalf("%q leaks a secret value", s)
			}
		}
	}
}
