package simulator

import (
	"testing"
	"time"

	"github.com/numberport/numberport/internal/provider"
)

func TestPlatformState(t *testing.T) {
	h := newHarness(t)
	if _, known := h.sim.Platform(happy); known {
		t.Fatal("an untouched number has platform state")
	}

	if err := h.sim.StageCallFlow(h.ctx, happy, "reception"); err != nil {
		t.Fatal(err)
	}
	if p, _ := h.sim.Platform(happy); p.CallFlow != "reception" || p.Active {
		t.Fatalf("staged number = %+v", p)
	}

	h.at(time.Minute)
	for range 2 {
		if err := h.sim.Activate(h.ctx, happy); err != nil {
			t.Fatal(err)
		}
		h.at(2 * time.Minute)
	}
	p, _ := h.sim.Platform(happy)
	if !p.Active || !p.ActivatedAt.Equal(t0.Add(time.Minute)) || p.ActivatedWithoutCallFlow {
		t.Fatalf("active number = %+v", p)
	}

	if err := h.sim.StageCallFlow(h.ctx, happy, "night"); err != nil {
		t.Fatal(err)
	}
	if p, _ := h.sim.Platform(happy); p.CallFlow != "night" || !p.Active {
		t.Fatalf("restaged active number = %+v", p)
	}

	if err := h.sim.Release(h.ctx, happy); err != nil {
		t.Fatal(err)
	}
	p, _ = h.sim.Platform(happy)
	released := t0.Add(2 * time.Minute)
	if p.Active || p.CallFlow != "" || !p.Released || !p.ReleasedAt.Equal(released) {
		t.Fatalf("released number = %+v", p)
	}
}

func TestActivateWithoutCallFlow(t *testing.T) {
	h := newHarness(t)
	if err := h.sim.Activate(h.ctx, early); err != nil {
		t.Fatal(err)
	}
	if p, _ := h.sim.Platform(early); !p.Active || !p.ActivatedWithoutCallFlow {
		t.Fatalf("number activated without a call flow = %+v", p)
	}
}

func TestReleaseUnknown(t *testing.T) {
	h := newHarness(t)
	if err := h.sim.Release(h.ctx, unlisted); err != nil {
		t.Fatalf("releasing an unknown number: %v", err)
	}
}

func TestNumbersInvalidRequests(t *testing.T) {
	h := newHarness(t)
	wantCode(t, h.sim.StageCallFlow(h.ctx, happy, ""), provider.CodeInvalidRequest)
	wantCode(t, h.sim.StageCallFlow(h.ctx, "0100", "main"), provider.CodeInvalidRequest)
	wantCode(t, h.sim.Activate(h.ctx, "+1 415 555 0100"), provider.CodeInvalidRequest)
	_, err := h.sim.Lookup(h.ctx, "")
	wantCode(t, err, provider.CodeInvalidRequest)
}

func TestLookupCounts(t *testing.T) {
	h := newHarness(t)
	for range 3 {
		h.lookup(happy)
	}
	h.lookup(unlisted)
	_, _ = h.sim.Lookup(h.ctx, "bogus")
	if h.sim.LookupCalls(happy) != 3 || h.sim.LookupCalls("bogus") != 1 ||
		h.sim.TotalLookupCalls() != 5 {
		t.Fatalf("lookup counts: %d, %d, %d", h.sim.LookupCalls(happy),
			h.sim.LookupCalls("bogus"), h.sim.TotalLookupCalls())
	}
	if r := h.lookup(unlisted); r.Carrier != UnknownCarrier || !r.InService || r.OnPlatform {
		t.Fatalf("route of a number no order names = %+v", r)
	}
}
