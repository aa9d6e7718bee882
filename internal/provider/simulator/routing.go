package simulator

import (
	"context"
	"time"

	"github.com/numberport/numberport/internal/provider"
)

// Lookup implements provider.Routing. Every call counts, including those
// that fail, because a real lookup service bills attempts.
func (s *Simulator) Lookup(ctx context.Context, number string) (provider.Route, error) {
	const op = "lookup"
	s.mu.Lock()
	defer s.mu.Unlock()

	s.lookupCalls[number]++
	s.totalLookups++
	now := s.now()
	if err := s.beginNumber(ctx, op, number); err != nil {
		return provider.Route{}, err
	}
	if err := s.numberOutage(op, []string{number}, now); err != nil {
		return provider.Route{}, err
	}
	o := s.byNumber[number]
	if o == nil {
		return losingRoute(number, UnknownCarrier, true), nil
	}
	o.advance(now)
	return routeOf(o, number, now), nil
}

// routeOf returns how number routes at now, given the latest order that
// names it.
func routeOf(o *order, number string, now time.Time) provider.Route {
	switch sc := ScenarioOf(number); {
	case o.ported(number):
		return platformRoute(number)
	case sc == ScenarioEarlyTransfer && o.midpointPassedLive(now):
		return platformRoute(number)
	case sc == ScenarioDroppedLines && o.midpointPassedLive(now):
		return losingRoute(number, o.carrier, false)
	}
	return losingRoute(number, o.carrier, true)
}

// platformRoute is the route of a number served by the platform.
func platformRoute(number string) provider.Route {
	return provider.Route{
		OnPlatform: true,
		InService:  true,
		Carrier:    PlatformCarrier,
		SPID:       PlatformSPID,
		LRN:        lrn(number, "9990000"),
	}
}

// losingRoute is the route of a number still served by its losing carrier.
func losingRoute(number, carrier string, inService bool) provider.Route {
	if carrier == "" {
		carrier = UnknownCarrier
	}
	return provider.Route{
		InService: inService,
		Carrier:   carrier,
		SPID:      LosingCarrierSPID,
		LRN:       lrn(number, "5550000"),
	}
}

// lrn builds a location routing number in the number's area code from a
// seven-digit switch suffix; numbers outside NANP get the suffix alone.
func lrn(number, suffix string) string {
	if len(number) == 12 && number[:2] == "+1" {
		return number[2:5] + suffix
	}
	return suffix
}
