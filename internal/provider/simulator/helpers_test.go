package simulator

import (
	"context"
	"testing"
	"time"

	clocktesting "k8s.io/utils/clock/testing"

	"github.com/numberport/numberport/internal/provider"
)

// t0 is when every test starts: a Monday morning.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// Secret values that must never appear in anything the simulator returns.
const (
	secretPIN     = "PIN-SECRET-7731"
	secretAccount = "ACCT-SECRET-4410"
)

// Numbers used across the tests; the NPA varies to show that any area code
// selects a scenario.
const (
	happy         = "+14155550100"
	unlisted      = "+12125551234"
	invalidPIN    = "+14155550101"
	postalCode    = "+16135550102"
	unauthorized  = "+13125550103"
	early         = "+14155550104"
	moved         = "+14155550105"
	dropped       = "+14155550106"
	slowTexting   = "+14155550107"
	notPortable   = "+14155550108"
	accountNumber = "+15145550109"
	outage        = "+14155550110"
	lostResponse  = "+14155550111"
)

// harness is a simulator on a fake clock set relative to t0.
type harness struct {
	t   *testing.T
	sim *Simulator
	clk *clocktesting.FakeClock
	ctx context.Context
}

// newHarness returns a simulator with the compressed timeline at t0.
func newHarness(t *testing.T) *harness {
	return newHarnessWith(t, Compressed())
}

// newHarnessWith returns a simulator with cfg at t0.
func newHarnessWith(t *testing.T, cfg Config) *harness {
	clk := clocktesting.NewFakeClock(t0)
	return &harness{t: t, sim: New(clk, cfg), clk: clk, ctx: context.Background()}
}

// at sets the clock to d after t0.
func (h *harness) at(d time.Duration) {
	h.clk.SetTime(t0.Add(d))
}

// request returns a complete order request.
func request(key string, numbers ...string) provider.OrderRequest {
	return provider.OrderRequest{
		IdempotencyKey: key,
		Numbers:        numbers,
		LosingCarrier: provider.LosingCarrier{
			Name: "Old Telco", AccountNumber: secretAccount, PIN: secretPIN,
		},
		Subscriber: provider.Subscriber{
			Name:             "Example Corp",
			AuthorizedPerson: "Ada Lovelace",
			Address: provider.Address{
				Street: "1 Main St", City: "Springfield", Region: "IL",
				PostalCode: "62701", Country: "US",
			},
		},
		Documents: provider.Documents{
			LetterOfAuthorization: []byte("LOA-SECRET-DOC"),
			Invoice:               []byte("INVOICE-SECRET-DOC"),
			InvoiceIssueDate:      t0.AddDate(0, 0, -3),
		},
	}
}

// submit submits req and fails the test on error.
func (h *harness) submit(req provider.OrderRequest) provider.Order {
	h.t.Helper()
	o, err := h.sim.SubmitOrder(h.ctx, req)
	if err != nil {
		h.t.Fatalf("SubmitOrder: %v", err)
	}
	return o
}

// get returns an order and fails the test on error.
func (h *harness) get(id string) provider.Order {
	h.t.Helper()
	o, err := h.sim.GetOrder(h.ctx, id)
	if err != nil {
		h.t.Fatalf("GetOrder(%s): %v", id, err)
	}
	return o
}

// lookup returns a route and fails the test on error.
func (h *harness) lookup(number string) provider.Route {
	h.t.Helper()
	r, err := h.sim.Lookup(h.ctx, number)
	if err != nil {
		h.t.Fatalf("Lookup(%s): %v", number, err)
	}
	return r
}

// wantState fails the test unless the order is in state.
func wantState(t *testing.T, o provider.Order, state provider.OrderState) {
	t.Helper()
	if o.State != state {
		t.Fatalf("order %s is %s, want %s (rejection %+v)",
			o.ID, o.State, state, o.Rejection)
	}
}

// numberState returns the state of one number in an order.
func numberState(t *testing.T, o provider.Order, number string) provider.NumberState {
	t.Helper()
	for _, n := range o.Numbers {
		if n.Number == number {
			return n
		}
	}
	t.Fatalf("order %s has no number %s", o.ID, number)
	return provider.NumberState{}
}

// wantCode fails the test unless err is a provider error with code.
func wantCode(t *testing.T, err error, code provider.ErrorCode) {
	t.Helper()
	if !provider.HasCode(err, code) {
		t.Fatalf("error %v, want code %s", err, code)
	}
}
