package schedule

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// Observation is what the last routing lookup of a number showed.
type Observation struct {
	// At is when the lookup ran, zero when the number was never looked up.
	At time.Time
	// OnPlatform is true when the number routed to the platform.
	OnPlatform bool
	// Disconnected is true when the number was out of service while the
	// losing carrier still held it.
	Disconnected bool
	// Agreeing counts the consecutive lookups, this one included, that
	// showed the same result. Zero is read as one.
	Agreeing int
}

// changed reports whether the observation differs from the quiet state of a
// number that has not moved yet.
func (o Observation) changed() bool { return o.OnPlatform || o.Disconnected }

func (o Observation) agreeing() int { return max(o.Agreeing, 1) }

// Tier is a stretch of time before the port date probed at one interval.
type Tier struct {
	// Within is the tier's outer edge: the tier covers the times at most
	// Within before the port date and more than the previous tier's Within.
	Within time.Duration
	// Interval is the time between two probes in the tier.
	Interval time.Duration
}

// Policy sets how often numbers are probed. The zero Policy, and any zero
// field of one, means the default; see DefaultPolicy and the package
// documentation for the reasoning behind the numbers.
type Policy struct {
	// Tiers are ordered nearest to the port date first.
	Tiers []Tier
	// Far is the interval before the outermost tier.
	Far time.Duration
	// Confirm is how soon a lookup that showed a change is repeated.
	Confirm time.Duration
	// Confirmations is how many agreeing lookups make evidence.
	Confirmations int
	// AfterPort are the offsets after the port date of the checks that the
	// number routes to the platform, in increasing order. Probing stops
	// after the last one, or as soon as one shows the number on the
	// platform.
	AfterPort []time.Duration
}

var (
	defaultTiers = []Tier{
		{Within: 48 * time.Hour, Interval: 40 * time.Minute},
		{Within: 7 * 24 * time.Hour, Interval: 4 * time.Hour},
	}
	defaultAfterPort = []time.Duration{30 * time.Minute, 4 * time.Hour}
)

const (
	defaultFar           = 24 * time.Hour
	defaultConfirm       = 45 * time.Second
	defaultConfirmations = 2
)

// DefaultPolicy returns the default probing policy with every field set.
func DefaultPolicy() Policy {
	return Policy{
		Tiers:         slices.Clone(defaultTiers),
		Far:           defaultFar,
		Confirm:       defaultConfirm,
		Confirmations: defaultConfirmations,
		AfterPort:     slices.Clone(defaultAfterPort),
	}
}

// withDefaults fills the zero fields without copying the default slices,
// which are never handed out and so never change.
func (p Policy) withDefaults() Policy {
	if len(p.Tiers) == 0 {
		p.Tiers = defaultTiers
	}
	if p.Far <= 0 {
		p.Far = defaultFar
	}
	if p.Confirm <= 0 {
		p.Confirm = defaultConfirm
	}
	if p.Confirmations <= 0 {
		p.Confirmations = defaultConfirmations
	}
	if len(p.AfterPort) == 0 {
		p.AfterPort = defaultAfterPort
	}
	return p
}

// Validate reports the first inconsistency of a policy's explicit fields.
func (p Policy) Validate() error {
	var within time.Duration
	for i, tier := range p.Tiers {
		if tier.Within <= within {
			return fmt.Errorf("tier %d: within %s must be longer than the tier before", i,
				tier.Within)
		}
		if tier.Interval <= 0 {
			return fmt.Errorf("tier %d: interval must be positive", i)
		}
		within = tier.Within
	}
	if p.Far < 0 || p.Confirm < 0 || p.Confirmations < 0 {
		return errors.New("far, confirm and confirmations must not be negative")
	}
	var offset time.Duration
	for i, o := range p.AfterPort {
		if o <= offset {
			return fmt.Errorf("after-port check %d: offset %s must be later than the one before", i,
				o)
		}
		offset = o
	}
	return nil
}

// NextProbe returns when to look up a number's routing next with the
// default policy; see Policy.NextProbe.
func NextProbe(now, portDate time.Time, last Observation) time.Time {
	return Policy{}.NextProbe(now, portDate, last)
}

// NextProbe returns when to look up a number's routing next, given the
// current time, the confirmed port date and the last lookup.
//
// It returns the zero time when no probe is needed any more: without a port
// date, once an early transfer is confirmed (the number is then activated),
// and after the checks that follow the port date. Any other result is never
// before now; a probe that was due in the past is due now, and the caller
// runs it once instead of requeueing with no delay.
//
// A number never looked up is probed at once, to learn where it routes. A
// lookup that showed the number on the platform or disconnected is repeated
// after Confirm until Confirmations lookups agree. Otherwise the next probe
// is the next point after the last lookup on the grid of the tier it falls
// in, counted back from the port date, and after the port date the next
// after-port check.
func (p Policy) NextProbe(now, portDate time.Time, last Observation) time.Time {
	if portDate.IsZero() {
		return time.Time{}
	}
	p = p.withDefaults()
	due, ok := p.due(now, portDate, last)
	switch {
	case !ok:
		return time.Time{}
	case due.Before(now):
		return now
	default:
		return due
	}
}

func (p *Policy) due(now, portDate time.Time, last Observation) (time.Time, bool) {
	switch {
	case last.At.IsZero() && now.Before(portDate):
		return now, true
	case last.At.IsZero():
		return p.afterPort(portDate, portDate.Add(-1))
	case !last.At.Before(portDate):
		if last.OnPlatform {
			return time.Time{}, false
		}
		return p.afterPort(portDate, last.At)
	case last.changed() && last.agreeing() < p.Confirmations:
		return last.At.Add(p.Confirm), true
	case last.OnPlatform:
		return time.Time{}, false
	}
	if before, ok := p.gridAfter(portDate.Sub(last.At)); ok {
		return portDate.Add(-before), true
	}
	return p.afterPort(portDate, last.At)
}

// afterPort returns the first after-port check later than after.
func (p *Policy) afterPort(portDate, after time.Time) (time.Time, bool) {
	for _, offset := range p.AfterPort {
		if at := portDate.Add(offset); at.After(after) {
			return at, true
		}
	}
	return time.Time{}, false
}

// gridAfter returns the first probe of any tier after a lookup made before
// the port date, as a distance before the port date, or false when no probe
// is left before the port date.
func (p *Policy) gridAfter(before time.Duration) (time.Duration, bool) {
	var best, inner time.Duration
	found := false
	consider := func(outer, interval time.Duration) {
		if c, ok := gridPoint(before, inner, outer, interval); ok && c > best {
			best, found = c, true
		}
		inner = outer
	}
	for _, tier := range p.Tiers {
		consider(tier.Within, tier.Interval)
	}
	consider(math.MaxInt64, p.Far)
	return best, found
}

// gridPoint returns the largest multiple of interval that is shorter than
// before and lies in (inner, outer].
func gridPoint(before, inner, outer, interval time.Duration) (time.Duration, bool) {
	if interval <= 0 {
		return 0, false
	}
	top := min(before-1, outer)
	if top <= inner {
		return 0, false
	}
	c := top / interval * interval
	return c, c > inner
}
