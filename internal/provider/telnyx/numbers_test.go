package telnyx

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/numberport/numberport/internal/provider"
	"github.com/numberport/numberport/internal/provider/telnyx/telnyxfake"
)

func TestNumbersFollowAPortFromStagingToActivation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a, b := "+13035550301", "+13035550302"
	order := f.submit(request("numberport-numbers", a, b))

	if err := f.a.StageCallFlow(ctx, a, "sales"); err != nil {
		t.Fatalf("StageCallFlow before the port: %v", err)
	}
	if err := f.a.StageCallFlow(ctx, b, "support"); err != nil {
		t.Fatalf("StageCallFlow before the port: %v", err)
	}
	if err := f.a.StageCallFlow(ctx, a, "sales-v2"); err != nil {
		t.Fatalf("StageCallFlow again: %v", err)
	}
	o, _ := f.fake.Order(order.ID)
	wantTags := []string{CallFlowTag(b, "support"), CallFlowTag(a, "sales-v2")}
	if !slices.Equal(o.Tags, wantTags) || o.ConnectionID != "conn-platform" {
		t.Fatalf("order configuration %v on %q, want %v on conn-platform", o.Tags,
			o.ConnectionID, wantTags)
	}

	err := f.a.Activate(ctx, a)
	pe := mustCode(t, err, provider.CodeUnavailable)
	if pe.RetryAfter <= 0 {
		t.Errorf("activation before the port: no retry hint")
	}

	f.fake.ConfirmFOC(order.ID, epoch.Add(72*time.Hour))
	f.fake.Port(order.ID)
	if err := f.a.Activate(ctx, a); err != nil {
		t.Fatalf("Activate after the port: %v", err)
	}
	if err := f.a.Activate(ctx, a); err != nil {
		t.Fatalf("Activate again: %v", err)
	}
	pn, _ := f.fake.PhoneNumber(a)
	if pn.ConnectionID != "conn-platform" ||
		!slices.Equal(pn.Tags, []string{CallFlowTag(a, "sales-v2")}) {
		t.Errorf("number after activation: %q %v, want conn-platform with its own tag",
			pn.ConnectionID, pn.Tags)
	}
}

func TestStageCallFlowOnANumberAlreadyOnTheAccount(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	n := "+13035550311"
	f.fake.AddNumber(n, "", "billing:team-a")

	if err := f.a.StageCallFlow(ctx, n, "reception"); err != nil {
		t.Fatalf("StageCallFlow: %v", err)
	}
	pn, _ := f.fake.PhoneNumber(n)
	if pn.ConnectionID != "" {
		t.Errorf("staging attached connection %q: the number went live", pn.ConnectionID)
	}
	want := []string{"billing:team-a", CallFlowTag(n, "reception")}
	if !slices.Equal(pn.Tags, want) {
		t.Errorf("tags %v, want %v", pn.Tags, want)
	}
	if err := f.a.Activate(ctx, n); err != nil {
		t.Fatalf("Activate: %v", err)
	}
	if err := f.a.StageCallFlow(ctx, n, "after-hours"); err != nil {
		t.Fatalf("StageCallFlow on an active number: %v", err)
	}
	pn, _ = f.fake.PhoneNumber(n)
	if pn.ConnectionID != "conn-platform" || pn.Tags[len(pn.Tags)-1] !=
		CallFlowTag(n, "after-hours") {
		t.Errorf("active number restaged: %q %v; want it still live with the new flow",
			pn.ConnectionID, pn.Tags)
	}
}

func TestNumbersErrors(t *testing.T) {
	tests := []struct {
		name string
		run  func(f *fixture) error
		want provider.ErrorCode
	}{
		{"stage an unknown number", func(f *fixture) error {
			return f.a.StageCallFlow(context.Background(), "+13035550321", "sales")
		}, provider.CodeNotFound},
		{"stage without a call flow", func(f *fixture) error {
			return f.a.StageCallFlow(context.Background(), "+13035550321", " ")
		}, provider.CodeInvalidRequest},
		{"activate an unknown number", func(f *fixture) error {
			return f.a.Activate(context.Background(), "+13035550321")
		}, provider.CodeNotFound},
		{"activate without a connection", func(f *fixture) error {
			f.a.cfg.ConnectionID = ""
			return f.a.Activate(context.Background(), "+13035550321")
		}, provider.CodeInvalidRequest},
		{"release a locked number", func(f *fixture) error {
			f.fake.AddNumber("+13035550321", "conn-platform")
			f.fake.LockNumber("+13035550321")
			return f.a.Release(context.Background(), "+13035550321")
		}, provider.CodeInvalidRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, tt.run(newFixture(t)), tt.want)
		})
	}
}

func TestRelease(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	n := "+13035550331"
	f.fake.AddNumber(n, "conn-platform")

	if err := f.a.Release(ctx, n); err != nil {
		t.Fatalf("Release: %v", err)
	}
	if _, ok := f.fake.PhoneNumber(n); ok {
		t.Errorf("the number is still on the account")
	}
	if err := f.a.Release(ctx, n); err != nil {
		t.Errorf("Release of a released number: %v, want nil", err)
	}
}

func TestLookup(t *testing.T) {
	valid, invalid := true, false
	tests := []struct {
		name   string
		lookup *telnyxfake.Lookup
		want   provider.Route
	}{
		{"losing carrier", &telnyxfake.Lookup{SPID: "5551", CarrierName: "Old Telco",
			LRN: "3035550000", PortedStatus: "N", Valid: &valid},
			provider.Route{InService: true, Carrier: "Old Telco", SPID: "5551",
				LRN: "3035550000"}},
		{"platform", &telnyxfake.Lookup{SPID: "9990", CarrierName: "Telnyx",
			LRN: "7205550000", PortedStatus: "Y"},
			provider.Route{OnPlatform: true, InService: true, Carrier: "Telnyx",
				SPID: "9990", LRN: "7205550000"}},
		{"invalid number", &telnyxfake.Lookup{SPID: "5551", CarrierName: "Old Telco",
			LRN: "3035550000", Valid: &invalid},
			provider.Route{Carrier: "Old Telco", SPID: "5551", LRN: "3035550000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			n := "+13035550341"
			f.fake.SetLookup(n, *tt.lookup)
			got, err := f.a.Lookup(context.Background(), n)
			if err != nil || got != tt.want {
				t.Errorf("Lookup = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestLookupAfterPortShowsThePlatform(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.LookupTypes = []string{"carrier"} })
	n := "+13035550351"
	order := f.submit(request("numberport-lookup", n))
	f.fake.Port(order.ID)

	got, err := f.a.Lookup(context.Background(), n)

	if err != nil || !got.OnPlatform {
		t.Errorf("Lookup = %+v, %v; want on the platform", got, err)
	}
	if f.fake.Requests()[len(f.fake.Requests())-1].Query != "type=carrier" {
		t.Errorf("the configured lookup types were not asked for")
	}
}
