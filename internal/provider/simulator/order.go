package simulator

import (
	"time"

	"github.com/numberport/numberport/internal/provider"
)

// Reasons reported per number. They explain the state to a person reading
// the PortRequest and carry no secret values.
const (
	reasonNotPortable       = "The losing carrier does not allow this number to be ported."
	reasonCancelled         = "The order was cancelled on request."
	reasonCancelledDeadline = "The provider cancelled the order: the rejection was not " +
		"corrected before the deadline."
)

// order is the simulator's record of one porting order. It keeps
// fingerprints of the checked details, never their values, and derives
// every state change from the instants below, so that advancing it to any
// instant gives the same result however often it is observed on the way.
type order struct {
	cfg       Config
	id        string
	key       string
	numbers   []string
	scenarios map[Scenario]bool
	carrier   string

	requestedPortDate time.Time
	first, current    fingerprints
	corrections       int

	state       provider.OrderState
	submittedAt time.Time
	reviewAt    time.Time
	rejection   *provider.Rejection

	confirmedAt time.Time
	portDate    time.Time
	// midpoint is halfway between the confirmation and the port date first
	// confirmed: the instant of early transfers and dropped lines.
	midpoint time.Time
	moveAt   time.Time
	moved    bool
	portedAt time.Time

	cancelRequestedAt   time.Time
	cancelAt            time.Time
	cancelledByProvider bool
}

// newOrder records an order submitted at now.
func newOrder(
	cfg Config, id string, req provider.OrderRequest, fp fingerprints, now time.Time,
) *order {
	o := &order{
		cfg:               cfg,
		id:                id,
		key:               req.IdempotencyKey,
		numbers:           append([]string(nil), req.Numbers...),
		scenarios:         map[Scenario]bool{},
		carrier:           req.LosingCarrier.Name,
		requestedPortDate: req.RequestedPortDate,
		first:             fp,
		state:             provider.OrderSubmitted,
		submittedAt:       now,
		reviewAt:          now.Add(cfg.ReviewDelay),
	}
	o.current = o.first
	for _, n := range o.numbers {
		o.scenarios[ScenarioOf(n)] = true
	}
	return o
}

// advance applies, in time order, every state change due by now.
func (o *order) advance(now time.Time) {
	for {
		at, step := o.next()
		if step == nil || at.After(now) {
			return
		}
		step(at)
	}
}

// next returns the next state change and when it is due; a nil step means
// the order waits for a call or is final.
func (o *order) next() (time.Time, func(time.Time)) {
	switch o.state {
	case provider.OrderSubmitted:
		return o.reviewAt, o.review
	case provider.OrderRejected:
		if o.rejection.CancellationDeadline.IsZero() {
			return time.Time{}, nil
		}
		return o.rejection.CancellationDeadline, o.cancelByProvider
	case provider.OrderConfirmed:
		if !o.moveAt.IsZero() {
			return o.moveAt, o.movePortDate
		}
		return o.portDate, o.port
	case provider.OrderCancelPending:
		return o.cancelAt, o.finishCancel
	}
	return time.Time{}, nil
}

// review ends the losing carrier's review at the given instant.
func (o *order) review(at time.Time) {
	if c, failed := failingCheck(o.scenarios, o.first, o.current); failed {
		o.reject(at, c)
		return
	}
	o.confirm(at)
}

// reject rejects the order for a failed check.
func (o *order) reject(at time.Time, c check) {
	o.state = provider.OrderRejected
	o.rejection = &provider.Rejection{
		Code:         c.code,
		ProviderCode: c.providerCode,
		Message:      c.message,
		Since:        at,
	}
	if o.cfg.CancellationDeadline > 0 {
		o.rejection.CancellationDeadline = ceilSecond(at.Add(o.cfg.CancellationDeadline))
	}
}

// confirm sets the port date: PortDelay after the confirmation, or the
// requested port date when that is later.
func (o *order) confirm(at time.Time) {
	portDate := at.Add(o.cfg.PortDelay)
	if o.requestedPortDate.After(portDate) {
		portDate = o.requestedPortDate
	}
	o.state = provider.OrderConfirmed
	o.confirmedAt = at
	o.portDate = ceilSecond(portDate)
	o.midpoint = at.Add(o.portDate.Sub(at) / 2)
	if o.scenarios[ScenarioPortDateMoved] && !o.moved {
		o.moveAt = o.midpoint
	}
}

// movePortDate postpones the port date once by the span between the
// confirmation and the date first confirmed.
func (o *order) movePortDate(time.Time) {
	o.portDate = o.portDate.Add(o.portDate.Sub(o.confirmedAt))
	o.portDate = ceilSecond(o.portDate)
	o.moveAt = time.Time{}
	o.moved = true
}

// port completes the order on its port date.
func (o *order) port(at time.Time) {
	o.state = provider.OrderPorted
	o.portedAt = at
}

// cancelByProvider cancels a rejection left uncorrected at its deadline.
func (o *order) cancelByProvider(time.Time) {
	o.state = provider.OrderCancelled
	o.cancelledByProvider = true
	o.rejection = nil
}

// finishCancel ends a pending cancellation.
func (o *order) finishCancel(time.Time) {
	o.state = provider.OrderCancelled
}

// correct replaces the checked details of a rejected order and sends it
// back for review.
func (o *order) correct(req provider.OrderRequest, fp fingerprints, now time.Time) {
	o.current = fp
	o.corrections++
	if req.LosingCarrier.Name != "" {
		o.carrier = req.LosingCarrier.Name
	}
	o.requestedPortDate = req.RequestedPortDate
	o.rejection = nil
	o.state = provider.OrderSubmitted
	o.reviewAt = now.Add(o.cfg.ReviewDelay)
}

// cancel starts a cancellation requested at now, or finishes it at once
// when CancelDelay is zero.
func (o *order) cancel(now time.Time) {
	o.cancelRequestedAt = now
	o.rejection = nil
	if o.cfg.CancelDelay <= 0 {
		o.state = provider.OrderCancelled
		return
	}
	o.state = provider.OrderCancelPending
	o.cancelAt = now.Add(o.cfg.CancelDelay)
}

// active reports whether the order still holds its numbers.
func (o *order) active() bool {
	return o.state != provider.OrderPorted && o.state != provider.OrderCancelled
}

// midpointPassedLive reports whether the order reached its midpoint before
// anyone asked to cancel it: early transfers and dropped lines happen then
// and cannot be undone.
func (o *order) midpointPassedLive(now time.Time) bool {
	if o.midpoint.IsZero() || now.Before(o.midpoint) {
		return false
	}
	return o.cancelRequestedAt.IsZero() || o.midpoint.Before(o.cancelRequestedAt)
}

// view returns the order as the provider reports it at now.
func (o *order) view(now time.Time) provider.Order {
	v := provider.Order{
		ID:                  o.id,
		IdempotencyKey:      o.key,
		State:               o.state,
		SubmittedAt:         reported(o.submittedAt),
		CancelledByProvider: o.cancelledByProvider,
		Numbers:             make([]provider.NumberState, 0, len(o.numbers)),
	}
	if o.state == provider.OrderConfirmed || o.state == provider.OrderPorted {
		v.PortDate = reported(o.portDate)
	}
	if o.rejection != nil {
		r := *o.rejection
		r.Since = reported(r.Since)
		r.CancellationDeadline = reported(r.CancellationDeadline)
		v.Rejection = &r
	}
	for _, n := range o.numbers {
		v.Numbers = append(v.Numbers, o.numberState(n, now))
	}
	return v
}

// numberState returns where one number of the order stands at now.
func (o *order) numberState(n string, now time.Time) provider.NumberState {
	ns := provider.NumberState{Number: n}
	switch {
	case ScenarioOf(n) == ScenarioNotPortable:
		ns.State, ns.Reason = provider.NumberNotPortable, reasonNotPortable
	case o.state == provider.OrderPorted:
		ns.State, ns.Messaging = provider.NumberPorted, o.messaging(n, now)
	case o.state == provider.OrderCancelled && o.cancelledByProvider:
		ns.State, ns.Reason = provider.NumberCancelled, reasonCancelledDeadline
	case o.state == provider.OrderCancelled:
		ns.State, ns.Reason = provider.NumberCancelled, reasonCancelled
	default:
		ns.State, ns.Messaging = provider.NumberPending, provider.MessagingPending
	}
	return ns
}

// messaging returns the messaging state of a ported number at now.
func (o *order) messaging(n string, now time.Time) provider.MessagingState {
	delay := o.cfg.MessagingDelay
	if ScenarioOf(n) == ScenarioMessagingDelayed {
		delay = o.cfg.DelayedMessagingDelay
	}
	if now.Before(o.portedAt.Add(delay)) {
		return provider.MessagingPending
	}
	return provider.MessagingPorted
}

// ported reports whether number n moved to the platform with this order.
func (o *order) ported(n string) bool {
	return o.state == provider.OrderPorted && ScenarioOf(n) != ScenarioNotPortable
}

// holds reports whether the order, being active, keeps number n from
// joining another order. A number the order cannot port is not held.
func (o *order) holds(n string) bool {
	return o.active() && ScenarioOf(n) != ScenarioNotPortable
}

// sameNumbers reports whether numbers are the order's numbers, in any
// order.
func (o *order) sameNumbers(numbers []string) bool {
	if len(numbers) != len(o.numbers) {
		return false
	}
	want := make(map[string]bool, len(o.numbers))
	for _, n := range o.numbers {
		want[n] = true
	}
	for _, n := range numbers {
		if !want[n] {
			return false
		}
	}
	return true
}

// ceilSecond rounds t up to a whole second, so that a reported instant is
// never earlier than the change it announces.
func ceilSecond(t time.Time) time.Time {
	r := t.Truncate(time.Second)
	if r.Before(t) {
		r = r.Add(time.Second)
	}
	return r
}

// reported returns t as a provider API reports it: in UTC, to the second.
func reported(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.Truncate(time.Second).UTC()
}
