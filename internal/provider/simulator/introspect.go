package simulator

import "time"

// The methods below let tests and benchmarks see what the operator did and
// stage failures. They read the simulator's records and never change how
// an order or number behaves, except InjectOutage.

// OrdersCreated returns how many orders were created in total.
func (s *Simulator) OrdersCreated() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ordersCreated
}

// OrdersCreatedForKey returns how many orders were created with an
// idempotency key: 1 once submitted, never more.
func (s *Simulator) OrdersCreatedForKey(idempotencyKey string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.createdPerKey[idempotencyKey]
}

// SubmitCalls returns how many times SubmitOrder was called with an
// idempotency key, including calls that failed or returned an existing
// order.
func (s *Simulator) SubmitCalls(idempotencyKey string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.submitCalls[idempotencyKey]
}

// LookupCalls returns how many times Lookup was called for a number,
// including calls that failed.
func (s *Simulator) LookupCalls(number string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lookupCalls[number]
}

// TotalLookupCalls returns how many times Lookup was called in total.
func (s *Simulator) TotalLookupCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.totalLookups
}

// Platform returns what the platform holds for a number, and false when
// the number was never staged, activated or released.
func (s *Simulator) Platform(number string) (PlatformState, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.platform[number]
	if !ok {
		return PlatformState{}, false
	}
	return *p, true
}

// InjectOutage makes every call fail with a transient CodeUnavailable error
// from one instant up to, not including, another. Windows add up; an empty
// or reversed window has no effect.
func (s *Simulator) InjectOutage(from, to time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if to.After(from) {
		s.outages = append(s.outages, window{from: from, to: to})
	}
}
