package telnyx

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/numberport/numberport/internal/provider"
	"github.com/numberport/numberport/internal/provider/telnyx/telnyxfake"
)

func TestSubmitOrderFillsAndConfirmsEverySplitOrder(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.MessagingProfileID = "msg-profile" })
	req := request("numberport-uid-1", "+13035550101", "+13035550102", "+17205550103")

	order := f.submit(req)

	ids := f.orderIDs(req.IdempotencyKey)
	if len(ids) != 2 {
		t.Fatalf("the fake holds %d orders, want 2 (split by area code)", len(ids))
	}
	if order.ID != ids[0] || order.IdempotencyKey != req.IdempotencyKey {
		t.Errorf("order = %s/%s, want the oldest order %s and the key", order.ID,
			order.IdempotencyKey, ids[0])
	}
	if order.State != provider.OrderSubmitted || len(order.Numbers) != 3 {
		t.Errorf("order state %s with %d numbers, want Submitted with 3", order.State,
			len(order.Numbers))
	}
	for _, id := range ids {
		o, _ := f.fake.Order(id)
		checkFilled(t, f, o, req)
	}
}

// checkFilled verifies that an order of the fake carries req.
func checkFilled(t *testing.T, f *fixture, o telnyxfake.Order, req provider.OrderRequest) {
	t.Helper()
	if o.Status != "in-process" || o.Confirmations != 1 {
		t.Errorf("order %s is %s after %d confirmations, want in-process after 1", o.ID,
			o.Status, o.Confirmations)
	}
	want := telnyxfake.EndUser{EntityName: "Acme Plumbing LLC", AuthPersonName: "Dana Reyes",
		AccountNumber: testAccount, PIN: testPIN, BillingPhoneNumber: "+13035550100",
		Street: "600 Congress Avenue", Extended: "14th Floor", Locality: "Austin",
		Region: "TX", PostalCode: "78701", Country: "US"}
	if o.EndUser != want {
		t.Errorf("end user = %+v, want %+v", o.EndUser, want)
	}
	for name, id := range map[string]string{"LOA": o.LOA, "invoice": o.Invoice} {
		if _, ok := f.fake.Document(id); !ok {
			t.Errorf("the %s of order %s is not an uploaded document", name, o.ID)
		}
	}
	if loa, _ := f.fake.Document(o.LOA); string(loa) !=
		string(req.Documents.LetterOfAuthorization) {
		t.Errorf("the uploaded LOA differs from the request's")
	}
	if len(o.CSR) != 1 {
		t.Errorf("order %s has %d additional documents, want the CSR", o.ID, len(o.CSR))
	}
	if o.Misc.Type != "full" || o.FOCRequested == nil ||
		!o.FOCRequested.Equal(req.RequestedPortDate) {
		t.Errorf("misc %+v, requested FOC %v", o.Misc, o.FOCRequested)
	}
	if o.ConnectionID != "conn-platform" || o.MessagingProfileID != "msg-profile" ||
		!o.EnableMessaging {
		t.Errorf("configuration %q/%q messaging %v", o.ConnectionID, o.MessagingProfileID,
			o.EnableMessaging)
	}
}

func TestSubmitOrderIsIdempotent(t *testing.T) {
	f := newFixture(t)
	req := request("numberport-uid-2", "+13035550111")

	first := f.submit(req)
	second := f.submit(req)
	found, err := f.a.FindOrder(context.Background(), req.IdempotencyKey)

	if err != nil || found.ID != first.ID || second.ID != first.ID {
		t.Fatalf("IDs %s, %s, %s (%v): want one order", first.ID, second.ID, found.ID, err)
	}
	if n := f.countRequests(http.MethodPost, "/porting_orders"); n != 1 {
		t.Errorf("created orders %d times, want once", n)
	}
	if n := f.countRequests(http.MethodPost, "/actions/confirm"); n != 1 {
		t.Errorf("confirmed %d times, want once", n)
	}
}

func TestSubmitOrderFinishesAnInterruptedSubmission(t *testing.T) {
	f := newFixture(t)
	req := request("numberport-uid-3", "+13035550121", "+17205550122")
	// The second confirmation is lost: one order is submitted, one is
	// still a draft.
	f.fake.FailRequests(http.MethodPost, "/actions/confirm", 1, http.StatusBadGateway, "")
	ctx := context.Background()

	_, err := f.a.SubmitOrder(ctx, req)
	wantCode(t, err, provider.CodeUnavailable)
	_, err = f.a.FindOrder(ctx, req.IdempotencyKey)
	wantCode(t, err, provider.CodeNotFound)
	order := f.submit(req)

	if n := f.countRequests(http.MethodPost, "/porting_orders"); n != 1 {
		t.Errorf("created orders %d times, want once", n)
	}
	for _, o := range f.fake.Orders(req.IdempotencyKey) {
		if o.Status != "in-process" {
			t.Errorf("order %s is %s, want in-process", o.ID, o.Status)
		}
	}
	if order.State != provider.OrderSubmitted || len(order.Numbers) != 2 {
		t.Errorf("order %+v, want Submitted with both numbers", order)
	}
}

func TestSubmitOrderDoesNotRetryCreation(t *testing.T) {
	f := newFixture(t)
	f.fake.FailRequests(http.MethodPost, "/porting_orders", 1, http.StatusServiceUnavailable, "")

	_, err := f.a.SubmitOrder(context.Background(), request("numberport-uid-4", "+13035550131"))

	wantCode(t, err, provider.CodeUnavailable)
	if n := f.countRequests(http.MethodPost, "/porting_orders"); n != 1 {
		t.Errorf("sent %d creations, want 1: a lost response may hide created orders", n)
	}
}

func TestSubmitOrderRefusesIncompleteRequests(t *testing.T) {
	tests := []struct {
		name string
		edit func(*provider.OrderRequest)
		want provider.ErrorCode
	}{
		{"no key", func(r *provider.OrderRequest) { r.IdempotencyKey = "" },
			provider.CodeInvalidRequest},
		{"no numbers", func(r *provider.OrderRequest) { r.Numbers = nil },
			provider.CodeInvalidRequest},
		{"not E.164", func(r *provider.OrderRequest) { r.Numbers = []string{"3035550141"} },
			provider.CodeInvalidRequest},
		{"no letter of authorization", func(r *provider.OrderRequest) {
			r.Documents.LetterOfAuthorization = nil
		}, provider.CodeInvalidRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			req := request("numberport-uid-5", "+13035550141")
			tt.edit(&req)
			_, err := f.a.SubmitOrder(context.Background(), req)
			pe := mustCode(t, err, tt.want)
			assertNoSecrets(t, "error", pe.Error(), f.fake.APIKey())
		})
	}
}

func TestFindOrderWithoutOrder(t *testing.T) {
	f := newFixture(t)
	_, err := f.a.FindOrder(context.Background(), "numberport-none")
	if !provider.IsNotFound(err) {
		t.Fatalf("error = %v, want not found", err)
	}
}

func TestGetOrderMapsEveryStatus(t *testing.T) {
	foc := epoch.AddDate(0, 0, 14)
	tests := []struct {
		status     string
		drive      func(f *telnyxfake.Server, id string)
		want       provider.OrderState
		wantNumber provider.NumberPortState
		wantDate   bool
	}{
		{"in-process", nil, provider.OrderSubmitted, provider.NumberPending, false},
		{"submitted", func(s *telnyxfake.Server, id string) { s.SetStatus(id, "submitted") },
			provider.OrderSubmitted, provider.NumberPending, false},
		{"exception", func(s *telnyxfake.Server, id string) {
			s.Reject(id, "PASSCODE_PIN_INVALID")
		}, provider.OrderRejected, provider.NumberPending, false},
		{"foc-date-confirmed", func(s *telnyxfake.Server, id string) { s.ConfirmFOC(id, foc) },
			provider.OrderConfirmed, provider.NumberPending, true},
		{"ported", func(s *telnyxfake.Server, id string) {
			s.ConfirmFOC(id, foc)
			s.Port(id)
		}, provider.OrderPorted, provider.NumberPorted, true},
		{"cancel-pending", func(s *telnyxfake.Server, id string) {
			s.SetStatus(id, "cancel-pending")
		}, provider.OrderCancelPending, provider.NumberPending, false},
		{"cancelled", func(s *telnyxfake.Server, id string) { s.CompleteCancel(id) },
			provider.OrderCancelled, provider.NumberCancelled, false},
	}
	for _, tt := range tests {
		t.Run(tt.status, func(t *testing.T) {
			f := newFixture(t)
			order := f.submit(request("numberport-status", "+13035550151"))
			if tt.drive != nil {
				tt.drive(f.fake, order.ID)
			}
			got := f.get(order.ID)
			if got.State != tt.want || got.Numbers[0].State != tt.wantNumber {
				t.Errorf("state %s, number %s; want %s, %s", got.State, got.Numbers[0].State,
					tt.want, tt.wantNumber)
			}
			if tt.wantDate != got.PortDate.Equal(foc) {
				t.Errorf("port date %v, want it set: %v", got.PortDate, tt.wantDate)
			}
			if (got.State == provider.OrderRejected) != (got.Rejection != nil) {
				t.Errorf("rejection %+v with state %s", got.Rejection, got.State)
			}
		})
	}
}

func TestGetOrderFollowsSplitOrders(t *testing.T) {
	f := newFixture(t)
	a, b, c := "+13035550161", "+13035550162", "+13035550163"
	order := f.submit(request("numberport-split", a, b, c))
	moved := f.fake.SplitOrder(order.ID, c)
	early, late := epoch.AddDate(0, 0, 10), epoch.AddDate(0, 0, 12)

	f.fake.ConfirmFOC(order.ID, early)
	if got := f.get(order.ID); got.State != provider.OrderSubmitted {
		t.Errorf("one order confirmed: state %s, want the least advanced, Submitted",
			got.State)
	}
	f.fake.ConfirmFOC(moved, late)
	got := f.get(moved)
	if got.ID != order.ID || got.State != provider.OrderConfirmed || !got.PortDate.Equal(late) {
		t.Errorf("both confirmed, read through the split order: %s %s %v; want %s "+
			"Confirmed at the later date %v", got.ID, got.State, got.PortDate, order.ID, late)
	}
	f.fake.Port(order.ID)
	got = f.get(order.ID)
	states := map[string]provider.NumberPortState{}
	for _, n := range got.Numbers {
		states[n.Number] = n.State
	}
	want := map[string]provider.NumberPortState{a: provider.NumberPorted,
		b: provider.NumberPorted, c: provider.NumberPending}
	if got.State != provider.OrderConfirmed || !mapsEqual(states, want) {
		t.Errorf("one order ported: %s %v, want Confirmed %v", got.State, states, want)
	}
}

func TestGetOrderReadsLargeOrdersPageByPage(t *testing.T) {
	f := newFixture(t)
	numbers := make([]string, 0, 60)
	for i := range 60 {
		numbers = append(numbers, fmt.Sprintf("+1303555%04d", 1000+i))
	}
	order := f.submit(request("numberport-large", numbers...))
	if len(order.Numbers) != 60 {
		t.Fatalf("order has %d numbers, want 60", len(order.Numbers))
	}
	if f.countRequests(http.MethodGet, "/porting_phone_numbers") == 0 {
		t.Errorf("the numbers past the embedded 50 were not paged")
	}
}

func TestGetOrderUnknown(t *testing.T) {
	f := newFixture(t)
	_, err := f.a.GetOrder(context.Background(), "no-such-order")
	wantCode(t, err, provider.CodeNotFound)
}

func TestRejectionMapping(t *testing.T) {
	tests := []struct {
		codes        []string
		want         provider.RejectionCode
		providerCode string
	}{
		{[]string{"ACCOUNT_NUMBER_MISMATCH"}, provider.RejectionAccountNumberMismatch,
			"ACCOUNT_NUMBER_MISMATCH"},
		{[]string{"AUTH_PERSON_MISMATCH"}, provider.RejectionUnauthorizedRequester,
			"AUTH_PERSON_MISMATCH"},
		{[]string{"BTN_ATN_MISMATCH"}, provider.RejectionBTNMismatch, "BTN_ATN_MISMATCH"},
		{[]string{"ENTITY_NAME_MISMATCH"}, provider.RejectionSubscriberMismatch,
			"ENTITY_NAME_MISMATCH"},
		{[]string{"POSTAL_CODE_MISMATCH"}, provider.RejectionPostalCodeMismatch,
			"POSTAL_CODE_MISMATCH"},
		{[]string{"PASSCODE_PIN_INVALID"}, provider.RejectionInvalidPIN,
			"PASSCODE_PIN_INVALID"},
		{[]string{"LOCATION_MISMATCH"}, provider.RejectionOther, "LOCATION_MISMATCH"},
		{[]string{"FOC_EXPIRED"}, provider.RejectionOther, "FOC_EXPIRED"},
		{[]string{"OSP_IRRESPONSIVE", "PASSCODE_PIN_INVALID"}, provider.RejectionInvalidPIN,
			"PASSCODE_PIN_INVALID"},
		{nil, provider.RejectionOther, ""},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.codes, "+"), func(t *testing.T) {
			f := newFixture(t)
			order := f.submit(request("numberport-reject", "+13035550171"))
			f.clock.Step(time.Hour)
			f.fake.Reject(order.ID, tt.codes...)
			rej := f.get(order.ID).Rejection
			if rej == nil || rej.Code != tt.want || rej.ProviderCode != tt.providerCode {
				t.Fatalf("rejection %+v, want %s/%s", rej, tt.want, tt.providerCode)
			}
			for _, c := range tt.codes {
				if !strings.Contains(rej.Message, telnyxfake.ExceptionDescription(c)) {
					t.Errorf("message %q misses %s", rej.Message, c)
				}
			}
			if !rej.Since.Equal(epoch.Add(time.Hour)) || !rej.CancellationDeadline.IsZero() {
				t.Errorf("since %v, deadline %v", rej.Since, rej.CancellationDeadline)
			}
		})
	}
}

func TestCorrectOrderEditsAndResubmitsRejectedOrders(t *testing.T) {
	f := newFixture(t)
	req := request("numberport-correct", "+13035550181", "+17205550182")
	order := f.submit(req)
	ids := f.orderIDs(req.IdempotencyKey)
	f.fake.Reject(ids[1], "PASSCODE_PIN_INVALID")
	if got := f.get(order.ID); got.State != provider.OrderRejected {
		t.Fatalf("state %s, want Rejected", got.State)
	}

	req.LosingCarrier.PIN = "975310"
	got, err := f.a.CorrectOrder(context.Background(), order.ID, req)

	if err != nil || got.State != provider.OrderSubmitted {
		t.Fatalf("CorrectOrder: %s, %v; want Submitted", got.State, err)
	}
	fixed, _ := f.fake.Order(ids[1])
	untouched, _ := f.fake.Order(ids[0])
	if fixed.EndUser.PIN != "975310" || fixed.Status != "submitted" ||
		fixed.Confirmations != 2 {
		t.Errorf("corrected order: PIN changed %v, %s after %d confirmations",
			fixed.EndUser.PIN == "975310", fixed.Status, fixed.Confirmations)
	}
	if untouched.Confirmations != 1 {
		t.Errorf("the order that was not rejected was submitted again")
	}
}

func TestCorrectOrderRefusals(t *testing.T) {
	tests := []struct {
		name   string
		reject bool
		edit   func(*provider.OrderRequest)
	}{
		{"order not rejected", false, func(*provider.OrderRequest) {}},
		{"numbers changed", true, func(r *provider.OrderRequest) {
			r.Numbers = append(r.Numbers, "+13035550199")
		}},
		{"key changed", true, func(r *provider.OrderRequest) { r.IdempotencyKey = "other" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			req := request("numberport-refuse", "+13035550191")
			order := f.submit(req)
			if tt.reject {
				f.fake.Reject(order.ID, "ENTITY_NAME_MISMATCH")
			}
			tt.edit(&req)
			_, err := f.a.CorrectOrder(context.Background(), order.ID, req)
			pe := mustCode(t, err, provider.CodeInvalidRequest)
			assertNoSecrets(t, "error", pe.Error())
		})
	}
}

func TestCancelOrder(t *testing.T) {
	tests := []struct {
		name      string
		drive     func(s *telnyxfake.Server, ids []string)
		wantErr   provider.ErrorCode
		wantState provider.OrderState
		cancels   int
	}{
		{"submitted", nil, "", provider.OrderCancelPending, 2},
		{"port date far", func(s *telnyxfake.Server, ids []string) {
			s.ConfirmFOC(ids[0], epoch.Add(72*time.Hour))
		}, "", provider.OrderCancelPending, 2},
		{"port date within 48 hours of one split order", func(s *telnyxfake.Server,
			ids []string) {
			s.ConfirmFOC(ids[1], epoch.Add(47*time.Hour))
		}, provider.CodeCancelRefused, "", 0},
		{"ported", func(s *telnyxfake.Server, ids []string) {
			for _, id := range ids {
				s.Port(id)
			}
		}, provider.CodeCancelRefused, "", 0},
		{"already cancelled", func(s *telnyxfake.Server, ids []string) {
			for _, id := range ids {
				s.CompleteCancel(id)
			}
		}, "", provider.OrderCancelled, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			req := request("numberport-cancel", "+13035550201", "+17205550202")
			order := f.submit(req)
			if tt.drive != nil {
				tt.drive(f.fake, f.orderIDs(req.IdempotencyKey))
			}
			got, err := f.a.CancelOrder(context.Background(), order.ID)
			if tt.wantErr != "" {
				wantCode(t, err, tt.wantErr)
			} else if err != nil || got.State != tt.wantState {
				t.Errorf("CancelOrder: %s, %v; want %s", got.State, err, tt.wantState)
			}
			if n := f.countRequests(http.MethodPost, "/actions/cancel"); n != tt.cancels {
				t.Errorf("sent %d cancellations, want %d", n, tt.cancels)
			}
		})
	}
}

func TestCancelOrderRefusedByTelnyx(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.CancelCutoff = time.Hour })
	order := f.submit(request("numberport-cancel-late", "+13035550211"))
	// The adapter's cutoff is shorter than Telnyx's: Telnyx refuses.
	f.fake.ConfirmFOC(order.ID, epoch.Add(24*time.Hour))

	_, err := f.a.CancelOrder(context.Background(), order.ID)

	pe := mustCode(t, err, provider.CodeCancelRefused)
	if !strings.Contains(pe.Message, "48 hours") {
		t.Errorf("message %q does not carry Telnyx's reason", pe.Message)
	}
}

func TestMessagingStatusPerNumber(t *testing.T) {
	tests := []struct {
		status string
		want   provider.MessagingState
	}{
		{"activating", provider.MessagingPending},
		{"exception", provider.MessagingPending},
		{"partial_port_complete", provider.MessagingPending},
		{"ported", provider.MessagingPorted},
	}
	for _, tt := range tests {
		t.Run(tt.status, func(t *testing.T) {
			f := newFixture(t, func(c *Config) { c.MessagingProfileID = "msg-profile" })
			order := f.submit(request("numberport-sms", "+13035550221"))
			f.fake.ConfirmFOC(order.ID, epoch.Add(72*time.Hour))
			f.fake.Port(order.ID)
			f.fake.SetMessaging(order.ID, tt.status)
			if got := f.get(order.ID).Numbers[0].Messaging; got != tt.want {
				t.Errorf("messaging %s, want %s", got, tt.want)
			}
		})
	}
}

func TestCheckPortability(t *testing.T) {
	f := newFixture(t)
	f.fake.SetNotPortable("+13035550232", "no_coverage")
	f.fake.AddNumber("+13035550233", "")

	got, err := f.a.CheckPortability(context.Background(),
		[]string{"+13035550231", "+13035550232", "+13035550233"})

	if err != nil {
		t.Fatalf("CheckPortability: %v", err)
	}
	want := []bool{true, false, false}
	for i, p := range got {
		if p.Portable != want[i] || (p.Portable == (p.Reason != "")) {
			t.Errorf("%s: portable %v (%q), want %v", p.Number, p.Portable, p.Reason, want[i])
		}
	}
	if !strings.Contains(got[1].Reason, "no_coverage") {
		t.Errorf("reason %q does not name Telnyx's reason", got[1].Reason)
	}
}

func TestNoSecretInRequestURLs(t *testing.T) {
	f := newFixture(t)
	order := f.submit(request("numberport-secrets", "+13035550241"))
	f.fake.Reject(order.ID, "PASSCODE_PIN_INVALID")
	_, _ = f.a.CorrectOrder(context.Background(), order.ID,
		request("numberport-secrets", "+13035550241"))

	for _, r := range f.fake.Requests() {
		assertNoSecrets(t, "URL", r.Path+"?"+r.Query, f.fake.APIKey())
		if r.Authorization != "Bearer "+f.fake.APIKey() {
			t.Errorf("%s %s was not authenticated with the API key", r.Method, r.Path)
		}
	}
}

func TestMergedStateOfCancelledGroups(t *testing.T) {
	mk := func(statuses ...string) []portingOrder {
		out := make([]portingOrder, 0, len(statuses))
		for _, s := range statuses {
			out = append(out, portingOrder{Status: orderStatus{Value: s}})
		}
		return out
	}
	tests := []struct {
		statuses []string
		want     provider.OrderState
	}{
		{[]string{"ported", "cancelled"}, provider.OrderPorted},
		{[]string{"cancel-pending", "cancelled"}, provider.OrderCancelPending},
		{[]string{"cancelled", "cancelled"}, provider.OrderCancelled},
		{[]string{"exception", "foc-date-confirmed"}, provider.OrderRejected},
		{[]string{"ported", "submitted", "cancel-pending"}, provider.OrderSubmitted},
		{[]string{"draft"}, provider.OrderSubmitted},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.statuses, "+"), func(t *testing.T) {
			if got := mergedState(mk(tt.statuses...)); got != tt.want {
				t.Errorf("state %s, want %s", got, tt.want)
			}
		})
	}
}

func mapsEqual[K comparable, V comparable](a, b map[K]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
