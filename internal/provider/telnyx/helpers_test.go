package telnyx

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	clocktesting "k8s.io/utils/clock/testing"

	"github.com/numberport/numberport/internal/provider"
	"github.com/numberport/numberport/internal/provider/telnyx/telnyxfake"
)

// Secret values of the sample request, which must never leave in a URL, an
// error or a log.
const (
	testPIN     = "864213"
	testAccount = "ACCT-99871"
)

var epoch = time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)

// fixture is an adapter wired to a fresh fake.
type fixture struct {
	t     *testing.T
	a     *Adapter
	fake  *telnyxfake.Server
	clock *clocktesting.FakeClock
}

// newFixture starts a fake and an adapter pointed at it; edit adjusts the
// adapter's configuration.
func newFixture(t *testing.T, edit ...func(*Config)) *fixture {
	t.Helper()
	clk := clocktesting.NewFakeClock(epoch)
	fake := telnyxfake.New(telnyxfake.Options{Now: clk.Now})
	t.Cleanup(fake.Close)
	cfg := Config{
		BaseURL:       fake.URL,
		APIKey:        fake.APIKey(),
		PlatformSPIDs: []string{"9990"},
		ConnectionID:  "conn-platform",
		Timeout:       5 * time.Second,
		Retry: RetryPolicy{MaxAttempts: 3, InitialBackoff: time.Millisecond,
			MaxBackoff: 20 * time.Millisecond},
		Clock: clk,
	}
	for _, e := range edit {
		e(&cfg)
	}
	a, err := New(cfg, nil)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return &fixture{t: t, a: a, fake: fake, clock: clk}
}

// request returns a complete order request for numbers.
func request(key string, numbers ...string) provider.OrderRequest {
	return provider.OrderRequest{
		IdempotencyKey: key,
		Numbers:        numbers,
		LosingCarrier: provider.LosingCarrier{Name: "Old Telco", AccountNumber: testAccount,
			PIN: testPIN, BillingTelephoneNumber: "+13035550100"},
		Subscriber: provider.Subscriber{Name: "Acme Plumbing LLC",
			AuthorizedPerson: "Dana Reyes", Address: provider.Address{
				Street: "600 Congress Avenue", ExtendedAddress: "14th Floor", City: "Austin",
				Region: "TX", PostalCode: "78701", Country: "us"}},
		Documents: provider.Documents{
			LetterOfAuthorization: []byte("%PDF-1.7 letter of authorization"),
			Invoice:               []byte("%PDF-1.7 invoice"),
			InvoiceIssueDate:      epoch.AddDate(0, 0, -5),
			CustomerServiceRecord: []byte("%PDF-1.7 customer service record"),
		},
		RequestedPortDate: epoch.AddDate(0, 0, 21),
	}
}

// submit places an order and fails the test on error.
func (f *fixture) submit(req provider.OrderRequest) provider.Order {
	f.t.Helper()
	o, err := f.a.SubmitOrder(context.Background(), req)
	if err != nil {
		f.t.Fatalf("SubmitOrder: %v", err)
	}
	return o
}

// get reads an order and fails the test on error.
func (f *fixture) get(id string) provider.Order {
	f.t.Helper()
	o, err := f.a.GetOrder(context.Background(), id)
	if err != nil {
		f.t.Fatalf("GetOrder: %v", err)
	}
	return o
}

// orderIDs returns the fake's orders of a reference, oldest first.
func (f *fixture) orderIDs(ref string) []string {
	var ids []string
	for _, o := range f.fake.Orders(ref) {
		ids = append(ids, o.ID)
	}
	return ids
}

// countRequests counts the requests with a method whose path ends in suffix.
func (f *fixture) countRequests(method, suffix string) int {
	n := 0
	for _, r := range f.fake.Requests() {
		if r.Method == method && strings.HasSuffix(r.Path, suffix) {
			n++
		}
	}
	return n
}

// wantCode fails the test unless err is a provider error with code.
func wantCode(t *testing.T, err error, code provider.ErrorCode) {
	t.Helper()
	_ = mustCode(t, err, code)
}

// mustCode is wantCode returning the provider error, to look into it.
func mustCode(t *testing.T, err error, code provider.ErrorCode) *provider.Error {
	t.Helper()
	var pe *provider.Error
	if !errors.As(err, &pe) {
		t.Fatalf("error = %v, want a provider error with code %s", err, code)
	}
	if pe.Code != code {
		t.Fatalf("error code = %s (%v), want %s", pe.Code, err, code)
	}
	return pe
}

// assertNoSecrets fails the test when s holds a secret value.
func assertNoSecrets(t *testing.T, what, s string, secrets ...string) {
	t.Helper()
	for _, v := range append(secrets, testPIN, testAccount) {
		if v != "" && strings.Contains(s, v) {
			t.Errorf("%s holds a secret value: %q", what, s)
		}
	}
}
