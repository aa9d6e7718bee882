package simulator

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/numberport/numberport/internal/provider"
)

// CheckPortability implements provider.Porting. Only the not-portable
// scenario says no; the check ignores outages of single numbers, which
// affect orders and lookups.
func (s *Simulator) CheckPortability(
	ctx context.Context, numbers []string,
) ([]provider.Portability, error) {
	const op = "check portability"
	s.mu.Lock()
	defer s.mu.Unlock()

	if err := s.begin(ctx, op, s.now()); err != nil {
		return nil, err
	}
	if err := validateNumbers(op, numbers, false); err != nil {
		return nil, err
	}
	out := make([]provider.Portability, 0, len(numbers))
	for _, n := range numbers {
		p := provider.Portability{Number: n, Portable: true}
		if ScenarioOf(n) == ScenarioNotPortable {
			p.Portable, p.Reason = false, reasonNotPortable
		}
		out = append(out, p)
	}
	return out, nil
}

// SubmitOrder implements provider.Porting. A second submission with the
// same idempotency key returns the first order, whatever else it says.
func (s *Simulator) SubmitOrder(
	ctx context.Context, req provider.OrderRequest,
) (provider.Order, error) {
	const op = "submit order"
	s.mu.Lock()
	defer s.mu.Unlock()

	s.submitCalls[req.IdempotencyKey]++
	now := s.now()
	if err := s.begin(ctx, op, now); err != nil {
		return provider.Order{}, err
	}
	if err := s.numberOutage(op, req.Numbers, now); err != nil {
		return provider.Order{}, err
	}
	if o := s.byKey[req.IdempotencyKey]; o != nil {
		o.advance(now)
		return o.view(now), nil
	}
	if err := s.admit(op, req); err != nil {
		return provider.Order{}, err
	}

	o := s.create(req)
	if s.loseResponse(o) {
		return provider.Order{}, &provider.Error{
			Code:    provider.CodeUnavailable,
			Op:      op,
			Message: "no response from the provider",
		}
	}
	return o.view(now), nil
}

// admit decides whether a new order may be created for req. Callers hold
// s.mu.
func (s *Simulator) admit(op string, req provider.OrderRequest) error {
	if req.IdempotencyKey == "" {
		return permanent(provider.CodeInvalidRequest, op, "an idempotency key is required")
	}
	if err := validateNumbers(op, req.Numbers, true); err != nil {
		return err
	}
	if err := s.checkConflicts(op, req.Numbers); err != nil {
		return err
	}
	return checkSomePortable(op, req.Numbers)
}

// checkConflicts refuses numbers that another order holds. Callers hold
// s.mu.
func (s *Simulator) checkConflicts(op string, numbers []string) error {
	now := s.now()
	for _, n := range numbers {
		o := s.byNumber[n]
		if o == nil {
			continue
		}
		o.advance(now)
		if o.holds(n) {
			return permanent(provider.CodeConflict, op,
				"number %s is already in active order %s", masked(n), o.id)
		}
		if o.ported(n) && !s.releasedSince(n, o) {
			return permanent(provider.CodeConflict, op,
				"number %s was already ported to the platform by order %s",
				masked(n), o.id)
		}
	}
	return nil
}

// releasedSince reports whether number n was released from the platform
// after order o ported it, which frees it for a new port.
func (s *Simulator) releasedSince(n string, o *order) bool {
	p := s.platform[n]
	return p != nil && p.Released && !p.ReleasedAt.Before(o.portedAt)
}

// checkSomePortable refuses an order none of whose numbers can be ported:
// the provider checks portability on submission and would create an order
// with nothing to do.
func checkSomePortable(op string, numbers []string) error {
	var refused []string
	for _, n := range numbers {
		if ScenarioOf(n) != ScenarioNotPortable {
			return nil
		}
		refused = append(refused, masked(n))
	}
	return permanent(provider.CodeInvalidRequest, op,
		"no number of the order is portable (%s)", strings.Join(refused, ", "))
}

// create records a new order for req. Callers hold s.mu.
func (s *Simulator) create(req provider.OrderRequest) *order {
	s.lastID++
	id := fmt.Sprintf("SIM-%06d", s.lastID)
	o := newOrder(s.cfg, id, req, s.fingerprints.of(req), s.now())
	s.orders[o.id] = o
	s.byKey[o.key] = o
	for _, n := range o.numbers {
		s.byNumber[n] = o
	}
	s.ordersCreated++
	s.createdPerKey[o.key]++
	return o
}

// loseResponse reports whether the answer to the first submission of o is
// lost, as its scenario asks. Callers hold s.mu.
func (s *Simulator) loseResponse(o *order) bool {
	if !o.scenarios[ScenarioLostResponse] || s.lostResponseOf[o.key] {
		return false
	}
	s.lostResponseOf[o.key] = true
	return true
}

// FindOrder implements provider.Porting.
func (s *Simulator) FindOrder(
	ctx context.Context, idempotencyKey string,
) (provider.Order, error) {
	const op = "find order"
	s.mu.Lock()
	defer s.mu.Unlock()

	now := s.now()
	if err := s.begin(ctx, op, now); err != nil {
		return provider.Order{}, err
	}
	o := s.byKey[idempotencyKey]
	if o == nil || idempotencyKey == "" {
		return provider.Order{}, permanent(provider.CodeNotFound, op,
			"no order with idempotency key %q", idempotencyKey)
	}
	return s.observe(op, o, now)
}

// GetOrder implements provider.Porting.
func (s *Simulator) GetOrder(ctx context.Context, orderID string) (provider.Order, error) {
	const op = "get order"
	s.mu.Lock()
	defer s.mu.Unlock()

	o, err := s.order(ctx, op, orderID)
	if err != nil {
		return provider.Order{}, err
	}
	return s.observe(op, o, s.now())
}

// CorrectOrder implements provider.Porting. Only a rejected order can be
// corrected, and a correction cannot change the numbers of the order.
func (s *Simulator) CorrectOrder(
	ctx context.Context, orderID string, req provider.OrderRequest,
) (provider.Order, error) {
	const op = "correct order"
	s.mu.Lock()
	defer s.mu.Unlock()

	now := s.now()
	o, err := s.order(ctx, op, orderID)
	if err != nil {
		return provider.Order{}, err
	}
	if _, err := s.observe(op, o, now); err != nil {
		return provider.Order{}, err
	}
	if err := checkCorrection(op, o, req); err != nil {
		return provider.Order{}, err
	}
	o.correct(req, s.fingerprints.of(req), now)
	return o.view(now), nil
}

// checkCorrection refuses a correction of an order that is not rejected or
// that changes what identifies the order.
func checkCorrection(op string, o *order, req provider.OrderRequest) error {
	if o.state != provider.OrderRejected {
		return permanent(provider.CodeInvalidRequest, op,
			"order %s is %s: only a rejected order can be corrected", o.id, o.state)
	}
	if req.IdempotencyKey != "" && req.IdempotencyKey != o.key {
		return permanent(provider.CodeInvalidRequest, op,
			"a correction cannot change the idempotency key of order %s", o.id)
	}
	if len(req.Numbers) > 0 && !o.sameNumbers(req.Numbers) {
		return permanent(provider.CodeInvalidRequest, op,
			"a correction cannot change the numbers of order %s", o.id)
	}
	return nil
}

// CancelOrder implements provider.Porting. Cancelling a cancelled or
// cancel-pending order returns it unchanged.
func (s *Simulator) CancelOrder(ctx context.Context, orderID string) (provider.Order, error) {
	const op = "cancel order"
	s.mu.Lock()
	defer s.mu.Unlock()

	now := s.now()
	o, err := s.order(ctx, op, orderID)
	if err != nil {
		return provider.Order{}, err
	}
	if _, err := s.observe(op, o, now); err != nil {
		return provider.Order{}, err
	}
	switch {
	case o.state == provider.OrderCancelled || o.state == provider.OrderCancelPending:
		return o.view(now), nil
	case o.state == provider.OrderPorted:
		return provider.Order{}, permanent(provider.CodeCancelRefused, op,
			"order %s is already ported", o.id)
	case o.state == provider.OrderConfirmed && !now.Before(o.portDate.Add(-s.cfg.CancelCutoff)):
		return provider.Order{}, permanent(provider.CodeCancelRefused, op,
			"the port date of order %s is less than %s away", o.id, s.cfg.CancelCutoff)
	}
	o.cancel(now)
	return o.view(now), nil
}

// order finds an order by ID at the start of a call. Callers hold s.mu.
func (s *Simulator) order(ctx context.Context, op, orderID string) (*order, error) {
	if err := s.begin(ctx, op, s.now()); err != nil {
		return nil, err
	}
	o := s.orders[orderID]
	if o == nil {
		return nil, permanent(provider.CodeNotFound, op, "no order %q", orderID)
	}
	return o, nil
}

// observe advances o to now and reports it, unless an outage of one of its
// numbers hides it. Callers hold s.mu.
func (s *Simulator) observe(op string, o *order, now time.Time) (provider.Order, error) {
	if err := s.numberOutage(op, o.numbers, now); err != nil {
		return provider.Order{}, err
	}
	o.advance(now)
	return o.view(now), nil
}

// validateNumbers refuses numbers that are not in E.164 form and, when
// asked, an empty list or one that names a number twice.
func validateNumbers(op string, numbers []string, order bool) error {
	if order && len(numbers) == 0 {
		return permanent(provider.CodeInvalidRequest, op,
			"an order needs at least one number")
	}
	seen := make(map[string]bool, len(numbers))
	for _, n := range numbers {
		if !e164.MatchString(n) {
			return permanent(provider.CodeInvalidRequest, op,
				"number %q is not in E.164 form", n)
		}
		if order && seen[n] {
			return permanent(provider.CodeInvalidRequest, op,
				"number %s appears twice", masked(n))
		}
		seen[n] = true
	}
	return nil
}
