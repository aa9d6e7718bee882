// Package provider is the boundary between the operator and the outside
// world: the porting provider that carries orders to losing carriers, the
// telephony platform that answers the numbers, and the number portability
// database that says who routes a number now. Each concern is one interface,
// so that an adapter for a real provider can implement them one at a time and
// the simulator can stand in for all of them.
package provider

import (
	"context"
	"time"
)

// Porting places and follows porting orders with a porting provider.
type Porting interface {
	// CheckPortability says, for each number, whether it can be ported now.
	CheckPortability(ctx context.Context, numbers []string) ([]Portability, error)

	// SubmitOrder places an order. Submitting twice with the same
	// IdempotencyKey returns the first order instead of creating another.
	SubmitOrder(ctx context.Context, req OrderRequest) (Order, error)

	// FindOrder returns the order placed with an idempotency key, or an
	// error for which IsNotFound is true when there is none.
	FindOrder(ctx context.Context, idempotencyKey string) (Order, error)

	// GetOrder returns the order's current state.
	GetOrder(ctx context.Context, orderID string) (Order, error)

	// CorrectOrder replaces the details of a rejected order and sends it
	// back to the losing carrier for review.
	CorrectOrder(ctx context.Context, orderID string, req OrderRequest) (Order, error)

	// CancelOrder asks for the order to be cancelled. A refusal, such as a
	// port date too close, is a permanent error whose code is
	// CodeCancelRefused.
	CancelOrder(ctx context.Context, orderID string) (Order, error)
}

// Numbers configures numbers on the telephony platform.
type Numbers interface {
	// StageCallFlow attaches a call flow to a number without making it
	// live. Staging again with another call flow replaces it.
	StageCallFlow(ctx context.Context, number, callFlow string) error

	// Activate makes the staged call flow live. Activating an active
	// number is not an error.
	Activate(ctx context.Context, number string) error

	// Release gives the number up. Releasing an unknown number is not an
	// error.
	Release(ctx context.Context, number string) error
}

// Routing looks up who routes a number now. Every lookup costs money.
type Routing interface {
	// Lookup returns the number's current routing.
	Lookup(ctx context.Context, number string) (Route, error)
}

// Provider bundles the three concerns. An adapter may implement all of them
// or be combined with others.
type Provider struct {
	Porting Porting
	Numbers Numbers
	Routing Routing
}

// Portability is whether one number can be ported.
type Portability struct {
	Number   string
	Portable bool
	// Reason explains why a number is not portable.
	Reason string
}

// OrderRequest is everything a provider needs to place or correct an order.
// It carries secret values (PIN, account number, documents): adapters send
// them and never log them.
type OrderRequest struct {
	// IdempotencyKey identifies the order across retries and restarts.
	IdempotencyKey string
	// Numbers in E.164 form.
	Numbers []string

	LosingCarrier LosingCarrier
	Subscriber    Subscriber
	Documents     Documents

	// RequestedPortDate is the earliest wanted date, zero when unset.
	RequestedPortDate time.Time
	// PartialPort is set when other numbers stay on the account.
	PartialPort *PartialPort
}

// LosingCarrier identifies the account the numbers leave.
type LosingCarrier struct {
	Name                   string
	AccountNumber          string
	PIN                    string
	BillingTelephoneNumber string
}

// Subscriber is the account holder as the losing carrier has them.
type Subscriber struct {
	Name             string
	AuthorizedPerson string
	Address          Address
}

// Address is a service address.
type Address struct {
	Street          string
	ExtendedAddress string
	City            string
	Region          string
	PostalCode      string
	Country         string
}

// Documents are the files an order carries.
type Documents struct {
	LetterOfAuthorization []byte
	Invoice               []byte
	InvoiceIssueDate      time.Time
	// CustomerServiceRecord is nil when not supplied.
	CustomerServiceRecord []byte
}

// PartialPort says what happens to the numbers that stay.
type PartialPort struct {
	// KeepRemaining keeps the other numbers in service; false disconnects
	// them.
	KeepRemaining             bool
	NewBillingTelephoneNumber string
}

// OrderState is where an order stands with the provider.
type OrderState string

const (
	// OrderSubmitted means the losing carrier is reviewing the order.
	OrderSubmitted OrderState = "Submitted"
	// OrderRejected means the losing carrier rejected the order; it waits
	// for a correction until the provider's deadline.
	OrderRejected OrderState = "Rejected"
	// OrderConfirmed means the port date is confirmed.
	OrderConfirmed OrderState = "Confirmed"
	// OrderPorted means every portable number of the order was ported.
	OrderPorted OrderState = "Ported"
	// OrderCancelPending means a cancellation was requested.
	OrderCancelPending OrderState = "CancelPending"
	// OrderCancelled means the order was cancelled.
	OrderCancelled OrderState = "Cancelled"
)

// Order is a porting order as the provider reports it.
type Order struct {
	ID             string
	IdempotencyKey string
	State          OrderState
	// SubmittedAt is when the provider accepted the order.
	SubmittedAt time.Time
	// PortDate is the confirmed port instant, zero until confirmed.
	PortDate time.Time
	// Rejection is set while State is OrderRejected.
	Rejection *Rejection
	// CancelledByProvider is true when the provider, not the user,
	// cancelled the order.
	CancelledByProvider bool
	// Numbers is the state of each number.
	Numbers []NumberState
}

// RejectionCode is a rejection reason, in numberport's vocabulary.
type RejectionCode string

// Rejection codes. Adapters map their provider's codes onto these.
const (
	RejectionInvalidPIN            RejectionCode = "InvalidPIN"
	RejectionPostalCodeMismatch    RejectionCode = "PostalCodeMismatch"
	RejectionUnauthorizedRequester RejectionCode = "UnauthorizedRequester"
	RejectionAccountNumberMismatch RejectionCode = "AccountNumberMismatch"
	RejectionSubscriberMismatch    RejectionCode = "SubscriberNameMismatch"
	RejectionBTNMismatch           RejectionCode = "BillingNumberMismatch"
	RejectionOther                 RejectionCode = "Other"
)

// Rejection is why the losing carrier rejected an order.
type Rejection struct {
	Code RejectionCode
	// ProviderCode is the provider's own code, for support tickets.
	ProviderCode string
	// Message is the provider's explanation, free of secret values.
	Message string
	// Since is when the order was rejected.
	Since time.Time
	// CancellationDeadline is when the provider cancels the order if it is
	// not corrected; zero when the provider gives none.
	CancellationDeadline time.Time
}

// NumberPortState is where one number of an order stands.
type NumberPortState string

const (
	// NumberPending means the number waits for its port date.
	NumberPending NumberPortState = "Pending"
	// NumberPorted means the number moved.
	NumberPorted NumberPortState = "Ported"
	// NumberNotPortable means the number cannot be ported in this order.
	NumberNotPortable NumberPortState = "NotPortable"
	// NumberCancelled means the number's port was cancelled.
	NumberCancelled NumberPortState = "Cancelled"
)

// MessagingState is where a number's messaging route stands.
type MessagingState string

const (
	// MessagingPending means the losing carrier still holds the route.
	MessagingPending MessagingState = "Pending"
	// MessagingPorted means texts reach the platform.
	MessagingPorted MessagingState = "Ported"
)

// NumberState is one number within an order.
type NumberState struct {
	Number    string
	State     NumberPortState
	Reason    string
	Messaging MessagingState
}

// Route is what the number portability database says of a number.
type Route struct {
	// OnPlatform is true when the number routes to the platform.
	OnPlatform bool
	// InService is false when the number is disconnected.
	InService bool
	// Carrier is the serving carrier's name.
	Carrier string
	// SPID is the serving carrier's service provider id.
	SPID string
	// LRN is the location routing number.
	LRN string
}
