package schedule

import (
	"fmt"
	"time"
)

// PortSimulation is the outcome of one simulated port.
type PortSimulation struct {
	// Lookups counts every lookup, confirmations and after-port checks
	// included.
	Lookups int
	// Early is true when the simulated transfer came before the port date.
	Early bool
	// Detected is true when lookups confirmed an early transfer before the
	// port date; otherwise the number was activated on the port date.
	Detected bool
	// FirstSignal is the time from an early transfer to the first lookup
	// that showed it, or to the port date when none did before it.
	FirstSignal time.Duration
	// Delay is the time from an early transfer to its activation: the
	// confirming lookup, or the port date when lookups did not confirm it
	// before then.
	Delay time.Duration
}

// simulationStart is an arbitrary instant; only distances to the port date
// matter to a policy.
var simulationStart = time.Date(2030, time.January, 7, 16, 30, 0, 0, time.UTC)

// maxSimulatedLookups stops a simulation whose policy would probe without
// end, far above any sensible budget.
const maxSimulatedLookups = 1_000_000

// SimulatePort runs policy p over a port whose probing starts duration
// before the port date, with lookups that are always right and never rate
// limited. transferAt is when the number moves, counted from the start:
// before duration it is an early transfer, at or after it a port that
// slipped, and a negative value means the number moves on the port date.
// SimulatePort panics when p is invalid, since it is meant for tests and
// benchmarks.
func SimulatePort(p Policy, duration, transferAt time.Duration) PortSimulation {
	if err := p.Validate(); err != nil {
		panic(fmt.Sprintf("simulating an invalid probing policy: %v", err))
	}
	portDate := simulationStart.Add(duration)
	transfer := portDate
	if transferAt >= 0 {
		transfer = simulationStart.Add(transferAt)
	}
	res := PortSimulation{Early: transfer.Before(portDate)}
	confirmations := p.withDefaults().Confirmations

	now, last := simulationStart, Observation{}
	signalled := false
	for {
		next := p.NextProbe(now, portDate, last)
		if next.IsZero() {
			break
		}
		stuck := !last.At.IsZero() && !next.After(last.At)
		if stuck || res.Lookups >= maxSimulatedLookups {
			panic(fmt.Sprintf("probing policy makes no progress at %s", next))
		}
		now = next
		last = lookup(now, transfer, last)
		res.Lookups++

		if !res.Early || !now.Before(portDate) || !last.OnPlatform {
			continue
		}
		if !signalled {
			signalled = true
			res.FirstSignal = now.Sub(transfer)
		}
		if last.Agreeing >= confirmations && !res.Detected {
			res.Detected = true
			res.Delay = now.Sub(transfer)
		}
	}

	if res.Early && !signalled {
		res.FirstSignal = portDate.Sub(transfer)
	}
	if res.Early && !res.Detected {
		res.Delay = portDate.Sub(transfer)
	}
	return res
}

// lookup simulates a routing lookup that always tells the truth.
func lookup(now, transfer time.Time, last Observation) Observation {
	obs := Observation{At: now, OnPlatform: !now.Before(transfer), Agreeing: 1}
	if !last.At.IsZero() && last.OnPlatform == obs.OnPlatform &&
		last.Disconnected == obs.Disconnected {
		obs.Agreeing = last.agreeing() + 1
	}
	return obs
}
