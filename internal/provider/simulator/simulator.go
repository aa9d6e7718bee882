// Package simulator is the operator's embedded porting provider: an
// in-process stand-in for the porting provider, the telephony platform and
// the number portability database. It is deterministic and driven by an
// injected clock: every state change is computed from the clock when a call
// observes it, so it runs no goroutines and no timers.
//
// Numbers in the fictional 555-01XX range of any NANP area code select a
// scenario by their last four digits, like payment test cards: a rejection
// that a correction fixes, an early transfer, a moved port date, an outage.
// docs/simulator.md lists them.
package simulator

import (
	"context"
	"fmt"
	"sync"
	"time"

	"k8s.io/utils/clock"

	"github.com/numberport/numberport/internal/provider"
)

// Carrier names and service provider ids that lookups report.
const (
	// PlatformCarrier is the carrier name of the platform, reported by
	// lookups of numbers that route to it.
	PlatformCarrier = "numberport simulated platform"
	// PlatformSPID is the platform's service provider id.
	PlatformSPID = "9990"
	// LosingCarrierSPID is the service provider id of every losing carrier.
	LosingCarrierSPID = "9991"
	// UnknownCarrier is the carrier name reported for a number that no
	// order mentions.
	UnknownCarrier = "simulated losing carrier"
)

var (
	_ provider.Porting = (*Simulator)(nil)
	_ provider.Numbers = (*Simulator)(nil)
	_ provider.Routing = (*Simulator)(nil)
)

// Simulator implements the porting, numbers and routing concerns of the
// provider boundary in memory. It is safe for concurrent use.
type Simulator struct {
	clock        clock.PassiveClock
	cfg          Config
	fingerprints fingerprinter

	mu       sync.Mutex
	lastID   int
	orders   map[string]*order
	byKey    map[string]*order
	byNumber map[string]*order
	platform map[string]*PlatformState
	outages  []window
	// outageStart is when the outage of each outage-scenario number began:
	// the first call that mentioned it.
	outageStart map[string]time.Time

	submitCalls    map[string]int
	createdPerKey  map[string]int
	lookupCalls    map[string]int
	ordersCreated  int
	totalLookups   int
	lostResponseOf map[string]bool
}

// window is an interval [from, to) during which every call fails.
type window struct {
	from, to time.Time
}

// New returns a simulator that reads time from clk and follows the
// timeline of cfg. Negative durations in cfg count as zero; call
// Config.Validate first to reject them instead.
func New(clk clock.PassiveClock, cfg Config) *Simulator {
	for _, f := range durationFields {
		if d := f.ptr(&cfg); *d < 0 {
			*d = 0
		}
	}
	return &Simulator{
		clock:          clk,
		cfg:            cfg,
		fingerprints:   newFingerprinter(),
		orders:         map[string]*order{},
		byKey:          map[string]*order{},
		byNumber:       map[string]*order{},
		platform:       map[string]*PlatformState{},
		outageStart:    map[string]time.Time{},
		submitCalls:    map[string]int{},
		createdPerKey:  map[string]int{},
		lookupCalls:    map[string]int{},
		lostResponseOf: map[string]bool{},
	}
}

// Provider returns the simulator as all three concerns of the provider
// boundary.
func (s *Simulator) Provider() provider.Provider {
	return provider.Provider{Porting: s, Numbers: s, Routing: s}
}

// Config returns the timeline the simulator follows.
func (s *Simulator) Config() Config {
	return s.cfg
}

// begin starts a call at now: it fails when the context is done or an
// injected outage covers now. Callers hold s.mu.
func (s *Simulator) begin(ctx context.Context, op string, now time.Time) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	for _, w := range s.outages {
		if !now.Before(w.from) && now.Before(w.to) {
			return s.unavailable(op, w.to.Sub(now))
		}
	}
	return nil
}

// numberOutage fails a call that mentions an outage-scenario number within
// OutageDuration of the first call that mentioned it. Callers hold s.mu.
func (s *Simulator) numberOutage(op string, numbers []string, now time.Time) error {
	var end time.Time
	for _, n := range numbers {
		if ScenarioOf(n) != ScenarioOutage {
			continue
		}
		start, seen := s.outageStart[n]
		if !seen {
			start = now
			s.outageStart[n] = now
		}
		if e := start.Add(s.cfg.OutageDuration); e.After(end) {
			end = e
		}
	}
	if now.Before(end) {
		return s.unavailable(op, end.Sub(now))
	}
	return nil
}

// unavailable returns the transient error of an outage that lasts another
// remaining, with a retry hint no longer than OutageRetryAfter.
func (s *Simulator) unavailable(op string, remaining time.Duration) error {
	hint := min(remaining, s.cfg.OutageRetryAfter)
	if hint > 0 {
		hint = (hint + time.Second - 1).Truncate(time.Second)
	}
	return &provider.Error{
		Code:       provider.CodeUnavailable,
		Op:         op,
		Message:    "the simulated provider is unavailable",
		RetryAfter: hint,
	}
}

// now reads the clock.
func (s *Simulator) now() time.Time {
	return s.clock.Now()
}

// permanent returns a permanent provider error.
func permanent(code provider.ErrorCode, op, format string, args ...any) error {
	return &provider.Error{Code: code, Op: op, Message: fmt.Sprintf(format, args...)}
}

// masked returns the last four digits of a number, the only part of it
// that errors name.
func masked(number string) string {
	if len(number) <= 4 {
		return number
	}
	return "ending " + number[len(number)-4:]
}
