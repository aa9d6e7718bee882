package simulator

import (
	"testing"
	"time"

	"github.com/numberport/numberport/internal/provider"
)

func TestRealisticTimeline(t *testing.T) {
	const day = 24 * time.Hour
	h := newHarnessWith(t, Realistic())
	o := h.submit(request("k", happy, slowTexting))

	h.at(3 * day)
	o = h.get(o.ID)
	if want := t0.Add(35 * day); !o.PortDate.Equal(want) {
		t.Fatalf("port date %s, want %s", o.PortDate, want)
	}

	h.at(33*day + time.Second)
	_, err := h.sim.CancelOrder(h.ctx, o.ID)
	wantCode(t, err, provider.CodeCancelRefused)

	h.at(35*day + 4*time.Hour)
	o = h.get(o.ID)
	if numberState(t, o, happy).Messaging != provider.MessagingPorted ||
		numberState(t, o, slowTexting).Messaging != provider.MessagingPending {
		t.Fatalf("texting four hours after the port = %+v", o.Numbers)
	}
	h.at(49*day - time.Second)
	if numberState(t, h.get(o.ID), slowTexting).Messaging != provider.MessagingPending {
		t.Fatal("delayed texting arrives early")
	}
	h.at(49 * day)
	if numberState(t, h.get(o.ID), slowTexting).Messaging != provider.MessagingPorted {
		t.Fatal("delayed texting never arrives")
	}
}

func TestRealisticRejectionAndOutage(t *testing.T) {
	const day = 24 * time.Hour
	h := newHarnessWith(t, Realistic())
	_, err := h.sim.SubmitOrder(h.ctx, request("k", accountNumber, outage))
	wantUnavailable(t, err, 5*time.Minute)

	h.at(30 * time.Minute)
	o := h.submit(request("k", accountNumber, outage))
	h.at(30*time.Minute + 3*day)
	o = h.get(o.ID)
	wantState(t, o, provider.OrderRejected)
	if d := o.Rejection.CancellationDeadline.Sub(o.Rejection.Since); d != 14*day {
		t.Fatalf("deadline %s after the rejection", d)
	}
	h.at(30*time.Minute + 17*day)
	if o = h.get(o.ID); !o.CancelledByProvider {
		t.Fatalf("order after the deadline = %+v", o)
	}
}

func TestNoDeadline(t *testing.T) {
	cfg := Compressed()
	cfg.CancellationDeadline = 0
	h := newHarnessWith(t, cfg)
	o := h.submit(request("k", invalidPIN))
	h.at(365 * 24 * time.Hour)
	o = h.get(o.ID)
	wantState(t, o, provider.OrderRejected)
	if !o.Rejection.CancellationDeadline.IsZero() {
		t.Fatalf("rejection without a deadline = %+v", o.Rejection)
	}
}
