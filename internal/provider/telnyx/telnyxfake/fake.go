// Package telnyxfake is a local fake of the parts of the Telnyx API v2 that
// the telnyx adapter uses: portability checks, porting orders and their
// phone numbers, documents, phone numbers on the account and number lookup.
// It was written from Telnyx's published API reference and answers with the
// documented JSON shapes, status codes and error envelope.
//
// Tests drive the fake through its control methods: they move orders
// through every status, raise exceptions, split orders, port them, and
// inject rate limiting (429 with Retry-After) and outages (503). With
// Options.Autopilot set, orders also move on their own as time passes, for
// end-to-end runs of the manager against the fake.
//
// The fake listens on 127.0.0.1 only.
package telnyxfake

import (
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Porting order statuses, as the API spells them.
const (
	statusDraft         = "draft"
	statusInProcess     = "in-process"
	statusSubmitted     = "submitted"
	statusException     = "exception"
	statusFOCConfirmed  = "foc-date-confirmed"
	statusPorted        = "ported"
	statusCancelPending = "cancel-pending"
	statusCancelled     = "cancelled"
	// pending is both a messaging port status and a document status.
	pending = "pending"
)

// JSON keys and values the fake writes in several places.
const (
	keyData        = "data"
	keyMeta        = "meta"
	keyRecordType  = "record_type"
	keyPhoneNumber = "phone_number"
	keyStatus      = "status"
	keyNumberType  = "phone_number_type"
	typeLocal      = "local"
)

// Options configure a fake.
type Options struct {
	// APIKey is the only bearer token the fake accepts; empty means
	// "test-api-key".
	APIKey string
	// Now reads the fake's clock; nil means time.Now.
	Now func() time.Time
	// Split groups the numbers of a new order into the orders the fake
	// creates, as Telnyx splits by carrier, number type and FastPort
	// eligibility. Nil groups them by NANP area code.
	Split func(numbers []string) [][]string
	// PlatformSPID is the SPID lookups report for numbers ported through
	// the fake; empty means "9990".
	PlatformSPID string
	// Autopilot, when set, moves submitted orders on by itself.
	Autopilot *Timeline
	// Addr is the loopback address to listen on, such as 127.0.0.1:9555;
	// empty picks a free port.
	Addr string
}

// Timeline is how an order moves when nobody drives it: review after
// submission, then a port date confirmed PortAfter after submission (or at
// the requested date when later), then the port at that date. An order
// whose PIN is RejectPIN goes to exception PASSCODE_PIN_INVALID at review.
type Timeline struct {
	Review    time.Duration
	Confirm   time.Duration
	PortAfter time.Duration
	RejectPIN string
}

// Detail is one exception of an order, as Telnyx reports it.
type Detail struct {
	Code        string `json:"code"`
	Description string `json:"description"`
}

// Lookup is what number lookup reports for a number.
type Lookup struct {
	SPID         string
	CarrierName  string
	LRN          string
	PortedStatus string
	// Valid is reported as valid_number; nil omits it.
	Valid *bool
}

// Request is one request the fake received, for tests to inspect.
type Request struct {
	Method        string
	Path          string
	Query         string
	Body          string
	Authorization string
}

// Server is a running fake.
type Server struct {
	// URL is the API root, ending in /v2, to use as the adapter's base URL.
	URL string

	opts Options
	srv  *httptest.Server

	mu         sync.Mutex
	seq        int
	orders     map[string]*Order
	documents  map[string][]byte
	numbers    map[string]*Number
	lookups    map[string]Lookup
	notPort    map[string]string
	faults     []fault
	outage     bool
	requests   []Request
	maxRecords int
}

// fault is an injected failure of the next matching request.
type fault struct {
	method, pathSuffix string
	status             int
	retryAfter         string
}

// matches reports whether the fault applies to a request.
func (f fault) matches(method, path string) bool {
	return (f.method == "" || f.method == method) && strings.HasSuffix(path, f.pathSuffix)
}

// Order is the fake's record of a porting order.
type Order struct {
	ID                 string
	CustomerReference  string
	CreatedAt          time.Time
	UpdatedAt          time.Time
	SubmittedAt        time.Time
	Status             string
	Details            []Detail
	Numbers            []string
	ActivationStatus   map[string]string
	FOCRequested       *time.Time
	FOCActual          *time.Time
	EnableMessaging    bool
	MessagingStatus    string
	ConnectionID       string
	MessagingProfileID string
	Tags               []string
	EndUser            EndUser
	LOA, Invoice       string
	CSR                []string
	Misc               Misc
	Confirmations      int
}

// EndUser is the subscriber block of an order.
type EndUser struct {
	EntityName, AuthPersonName, AccountNumber, PIN, BillingPhoneNumber string
	Street, Extended, Locality, Region, PostalCode, Country            string
}

// Misc is the misc block of an order.
type Misc struct {
	Type, RemainingNumbersAction, NewBillingPhoneNumber string
}

// Number is a phone number on the fake account.
type Number struct {
	ID                 string
	PhoneNumber        string
	ConnectionID       string
	MessagingProfileID string
	Tags               []string
	DeletionLock       bool
}

// New starts a fake on 127.0.0.1. It panics when Options.Addr cannot be
// listened on, as httptest servers do; Start returns the error instead.
func New(opts Options) *Server {
	s, err := Start(opts)
	if err != nil {
		panic(fmt.Sprintf("telnyxfake: %v", err))
	}
	return s
}

// Start starts a fake on 127.0.0.1.
func Start(opts Options) (*Server, error) {
	if opts.APIKey == "" {
		opts.APIKey = "test-api-key"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Split == nil {
		opts.Split = SplitByAreaCode
	}
	if opts.PlatformSPID == "" {
		opts.PlatformSPID = "9990"
	}
	s := &Server{
		opts:       opts,
		orders:     map[string]*Order{},
		documents:  map[string][]byte{},
		numbers:    map[string]*Number{},
		lookups:    map[string]Lookup{},
		notPort:    map[string]string{},
		maxRecords: 2000,
	}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	if opts.Addr != "" {
		ln, err := listenLoopback(opts.Addr)
		if err != nil {
			return nil, err
		}
		_ = s.srv.Listener.Close()
		s.srv.Listener = ln
	}
	s.srv.Start()
	s.URL = s.srv.URL + "/v2"
	return s, nil
}

// listenLoopback listens on addr, which must be a loopback address: the
// fake is never reachable from another host.
func listenLoopback(addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("address %q is not a loopback address", addr)
	}
	return net.Listen("tcp", addr)
}

// Close stops the fake.
func (s *Server) Close() { s.srv.Close() }

// APIKey returns the bearer token the fake accepts.
func (s *Server) APIKey() string { return s.opts.APIKey }

// SplitByAreaCode groups NANP numbers by area code and keeps the others
// together, in the order they first appear.
func SplitByAreaCode(numbers []string) [][]string {
	var keys []string
	groups := map[string][]string{}
	for _, n := range numbers {
		k := "other"
		if strings.HasPrefix(n, "+1") && len(n) >= 5 {
			k = n[:5]
		}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], n)
	}
	out := make([][]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, groups[k])
	}
	return out
}

// Sign returns the signature and timestamp headers Telnyx would send with
// body at ts, signed with priv.
func Sign(priv ed25519.PrivateKey, ts time.Time, body []byte) (signature, timestamp string) {
	timestamp = strconv.FormatInt(ts.Unix(), 10)
	msg := append([]byte(timestamp+"|"), body...)
	return base64.StdEncoding.EncodeToString(ed25519.Sign(priv, msg)), timestamp
}

// nextID returns a fresh id that sorts after every earlier one.
func (s *Server) nextID() string {
	s.seq++
	return fmt.Sprintf("%08x-0000-4000-8000-%012x", s.seq, s.seq)
}

// now reads the clock. Callers hold s.mu.
func (s *Server) now() time.Time { return s.opts.Now().UTC() }

// FailNext makes the next n requests fail with status, with a Retry-After
// header when retryAfter is not empty.
func (s *Server) FailNext(n, status int, retryAfter string) {
	s.FailRequests("", "", n, status, retryAfter)
}

// FailRequests makes the next n requests with the given method (any when
// empty) whose path ends in pathSuffix fail with status.
func (s *Server) FailRequests(method, pathSuffix string, n, status int, retryAfter string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults = append(s.faults, fault{method: method, pathSuffix: pathSuffix,
			status: status, retryAfter: retryAfter})
	}
}

// SetOutage makes every request fail with 503 until it is turned off.
func (s *Server) SetOutage(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.outage = on
}

// SetNotPortable makes portability checks and new orders refuse number.
func (s *Server) SetNotPortable(number, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notPort[number] = reason
}

// SetLookup sets what number lookup reports for number.
func (s *Server) SetLookup(number string, l Lookup) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lookups[number] = l
}

// AddNumber puts a number on the account, as if bought or ported earlier.
func (s *Server) AddNumber(number, connectionID string, tags ...string) *Number {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addNumber(number, connectionID, "", tags)
}

func (s *Server) addNumber(number, connectionID, profile string, tags []string) *Number {
	for _, n := range s.numbers {
		if n.PhoneNumber == number {
			return n
		}
	}
	n := &Number{ID: strconv.Itoa(1_000_000 + s.seq), PhoneNumber: number,
		ConnectionID: connectionID, MessagingProfileID: profile, Tags: slices.Clone(tags)}
	s.seq++
	s.numbers[n.ID] = n
	return n
}

// LockNumber turns on the deletion lock of a number on the account.
func (s *Server) LockNumber(number string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := s.numberByPhone(number); n != nil {
		n.DeletionLock = true
	}
}

// PhoneNumber returns a copy of a number on the account.
func (s *Server) PhoneNumber(number string) (Number, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.numberByPhone(number)
	if n == nil {
		return Number{}, false
	}
	c := *n
	c.Tags = slices.Clone(n.Tags)
	return c, true
}

func (s *Server) numberByPhone(number string) *Number {
	for _, n := range s.numbers {
		if n.PhoneNumber == number {
			return n
		}
	}
	return nil
}

// Order returns a copy of an order.
func (s *Server) Order(id string) (Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[id]
	if o == nil {
		return Order{}, false
	}
	return o.clone(), true
}

// Orders returns copies of every order with the customer reference ref,
// oldest first.
func (s *Server) Orders(ref string) []Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Order
	for _, o := range s.sortedOrders() {
		if o.CustomerReference == ref {
			out = append(out, o.clone())
		}
	}
	return out
}

// Document returns the bytes of an uploaded document.
func (s *Server) Document(id string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.documents[id]
	return b, ok
}

// Requests returns the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// SetStatus moves an order to status with the given exception details.
func (s *Server) SetStatus(id, status string, details ...Detail) {
	s.update(id, func(o *Order) {
		o.Status, o.Details = status, slices.Clone(details)
	})
}

// Reject puts an order in exception with the documented descriptions of
// the given exception types.
func (s *Server) Reject(id string, codes ...string) {
	details := make([]Detail, 0, len(codes))
	for _, c := range codes {
		details = append(details, Detail{Code: c, Description: ExceptionDescription(c)})
	}
	s.SetStatus(id, statusException, details...)
}

// ConfirmFOC confirms an order's port date.
func (s *Server) ConfirmFOC(id string, foc time.Time) {
	s.update(id, func(o *Order) {
		t := foc.UTC()
		o.FOCActual, o.Status, o.Details = &t, statusFOCConfirmed, nil
		if o.EnableMessaging {
			o.MessagingStatus = pending
		}
	})
}

// Port completes an order: its numbers join the account with the order's
// phone number configuration, and lookups show them on the platform.
func (s *Server) Port(id string) {
	s.update(id, func(o *Order) { s.port(o) })
}

func (s *Server) port(o *Order) {
	o.Status, o.Details = statusPorted, nil
	if o.EnableMessaging {
		o.MessagingStatus = "activating"
	}
	for _, n := range o.Numbers {
		o.ActivationStatus[n] = "Active"
		s.addNumber(n, o.ConnectionID, o.MessagingProfileID, o.Tags)
		l := s.lookups[n]
		l.SPID, l.CarrierName, l.PortedStatus = s.opts.PlatformSPID, "Telnyx", "Y"
		s.lookups[n] = l
	}
}

// SetMessaging sets an order's messaging port status.
func (s *Server) SetMessaging(id, status string) {
	s.update(id, func(o *Order) { o.MessagingStatus = status })
}

// CompleteCancel finishes the cancellation of an order, as Telnyx's porting
// operations team does after a cancel request, or cancels it outright as
// Telnyx does to an order left in exception.
func (s *Server) CompleteCancel(id string) {
	s.update(id, func(o *Order) {
		o.Status, o.Details = statusCancelled, nil
		for _, n := range o.Numbers {
			o.ActivationStatus[n] = "Cancelled"
		}
	})
}

// SplitOrder moves numbers of an order into a new order with the same
// customer reference and status, as Telnyx does when the losing carrier
// requires it, and returns the new order's id.
func (s *Server) SplitOrder(id string, numbers ...string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[id]
	if o == nil {
		return ""
	}
	n := o.clone()
	n.ID = s.nextID()
	n.CreatedAt = s.now().Add(time.Duration(s.seq))
	n.Numbers = nil
	n.ActivationStatus = map[string]string{}
	var keep []string
	for _, num := range o.Numbers {
		if slices.Contains(numbers, num) {
			n.Numbers = append(n.Numbers, num)
			n.ActivationStatus[num] = o.ActivationStatus[num]
		} else {
			keep = append(keep, num)
		}
	}
	o.Numbers = keep
	s.orders[n.ID] = &n
	return n.ID
}

// update changes an order under the lock.
func (s *Server) update(id string, change func(o *Order)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o := s.orders[id]; o != nil {
		change(o)
		o.UpdatedAt = s.now()
	}
}

func (o *Order) clone() Order {
	c := *o
	c.Details = slices.Clone(o.Details)
	c.Numbers = slices.Clone(o.Numbers)
	c.Tags = slices.Clone(o.Tags)
	c.CSR = slices.Clone(o.CSR)
	c.ActivationStatus = make(map[string]string, len(o.ActivationStatus))
	for k, v := range o.ActivationStatus {
		c.ActivationStatus[k] = v
	}
	return c
}

// sortedOrders returns the orders oldest first. Callers hold s.mu.
func (s *Server) sortedOrders() []*Order {
	out := make([]*Order, 0, len(s.orders))
	for _, o := range s.orders {
		out = append(out, o)
	}
	slices.SortFunc(out, func(a, b *Order) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// exceptionDescriptions are the descriptions Telnyx documents for its
// exception types.
var exceptionDescriptions = map[string]string{
	"ACCOUNT_NUMBER_MISMATCH":   "Account number does not match that on the CSR",
	"AUTH_PERSON_MISMATCH":      "Authorized person does not match that on the CSR",
	"BTN_ATN_MISMATCH":          "Billing telephone number does not match that on the CSR",
	"ENTITY_NAME_MISMATCH":      "Entity name does not match that on the CSR",
	"FOC_EXPIRED":               "The FOC date has expired",
	"FOC_REJECTED":              "The requested FOC date was rejected by the losing carrier",
	"LOCATION_MISMATCH":         "Service address does not match that on the CSR",
	"OSP_IRRESPONSIVE":          "The losing carrier is not responding",
	"PASSCODE_PIN_INVALID":      "Passcode/PIN is invalid or missing",
	"PHONE_NUMBER_NOT_PORTABLE": "The phone number is not portable",
	"POSTAL_CODE_MISMATCH":      "Postal code does not match that on the CSR",
	"SV_CONFLICT":               "Another porting order holds the phone number",
}

// ExceptionDescription returns the description of an exception type.
func ExceptionDescription(code string) string {
	if d, ok := exceptionDescriptions[code]; ok {
		return d
	}
	return "Exception " + code
}
