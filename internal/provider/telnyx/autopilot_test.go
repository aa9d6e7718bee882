package telnyx

import (
	"context"
	"testing"
	"time"

	clocktesting "k8s.io/utils/clock/testing"

	"github.com/numberport/numberport/internal/provider"
	"github.com/numberport/numberport/internal/provider/telnyx/telnyxfake"
)

// TestAutopilotTimeline follows an order through the fake's autopilot, as an
// end-to-end run of the manager would: a rejected PIN, a correction, a
// confirmed port date and the port.
func TestAutopilotTimeline(t *testing.T) {
	clk := clocktesting.NewFakeClock(epoch)
	fake := telnyxfake.New(telnyxfake.Options{Now: clk.Now, Autopilot: &telnyxfake.Timeline{
		Review: time.Minute, Confirm: time.Minute, PortAfter: time.Hour, RejectPIN: "0000"}})
	t.Cleanup(fake.Close)
	a, err := New(Config{BaseURL: fake.URL, APIKey: fake.APIKey(), ConnectionID: "conn",
		PlatformSPIDs: []string{"9990"}, Clock: clk}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	req := request("numberport-autopilot", "+13035550601")
	req.LosingCarrier.PIN = "0000"
	req.RequestedPortDate = time.Time{}

	steps := []struct {
		advance time.Duration
		act     func() (provider.Order, error)
		want    provider.OrderState
	}{
		{0, func() (provider.Order, error) { return a.SubmitOrder(ctx, req) },
			provider.OrderSubmitted},
		{time.Minute, nil, provider.OrderRejected},
		{0, func() (provider.Order, error) {
			req.LosingCarrier.PIN = "1357"
			return a.CorrectOrder(ctx, mustFind(t, a, req.IdempotencyKey), req)
		}, provider.OrderSubmitted},
		{2 * time.Minute, nil, provider.OrderConfirmed},
		{time.Hour, nil, provider.OrderPorted},
	}
	for i, s := range steps {
		clk.Step(s.advance)
		act := s.act
		if act == nil {
			act = func() (provider.Order, error) {
				return a.GetOrder(ctx, mustFind(t, a, req.IdempotencyKey))
			}
		}
		o, err := act()
		if err != nil || o.State != s.want {
			t.Fatalf("step %d: %s, %v; want %s", i, o.State, err, s.want)
		}
	}
	route, err := a.Lookup(ctx, "+13035550601")
	if err != nil || !route.OnPlatform {
		t.Errorf("lookup after the port: %+v, %v", route, err)
	}
}

func mustFind(t *testing.T, a *Adapter, key string) string {
	t.Helper()
	o, err := a.FindOrder(context.Background(), key)
	if err != nil {
		t.Fatalf("FindOrder: %v", err)
	}
	return o.ID
}
