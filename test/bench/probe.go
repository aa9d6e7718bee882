package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/numberport/numberport/internal/schedule"
)

// probeResult compares routing probe policies over simulated six-week ports.
type probeResult struct {
	PortDays int            `json:"portDays"`
	Ports    int            `json:"portsPerWindow"`
	Seed     uint64         `json:"seed"`
	Policies []policyResult `json:"policies"`
}

// policyResult is one policy's cost and detection delay.
type policyResult struct {
	Name   string `json:"name"`
	Policy string `json:"policy"`
	// Lookups is the count for a port without an early transfer: the
	// budget every number spends.
	Lookups int `json:"lookupsPerPort"`
	// LookupsWithTransfer is the mean over ports with an early transfer,
	// which stop probing once it is confirmed.
	LookupsWithTransfer float64 `json:"lookupsWithTransfer"`
	// Last48h and Earlier are the delays from an early transfer to its
	// activation for transfers in the last 48 hours before the port date
	// and before that; Week and Far split Earlier at seven days.
	Last48h dist `json:"last48hSeconds"`
	Earlier dist `json:"earlierSeconds"`
	Week    dist `json:"week48hTo7dSeconds"`
	Far     dist `json:"beyond7dSeconds"`
	// Undetected counts transfers that probing did not confirm before the
	// port date, which activates them anyway.
	Undetected int `json:"undetected"`
}

const (
	portLength = 42 * 24 * time.Hour
	last48h    = 48 * time.Hour
	week       = 7 * 24 * time.Hour
)

// Targets of the probe schedule.
const (
	targetLookups = 150
	targetLast48h = 15 * time.Minute
	targetEarlier = 4 * time.Hour
)

// probe runs schedule.SimulatePort, with injected time and no cluster, for
// the default policy, a naive one that probes every 15 minutes, and one
// built to meet both delay targets, on the same seeded transfer times.
func (b *bench) probe(ctx context.Context) error {
	policies := []struct {
		name string
		p    schedule.Policy
	}{
		{"default", schedule.DefaultPolicy()},
		{"every 15 min", schedule.Policy{
			Tiers: []schedule.Tier{{Within: 15 * time.Minute, Interval: 15 * time.Minute}},
			Far:   15 * time.Minute,
		}},
		{"delay targets", schedule.Policy{
			Tiers: []schedule.Tier{{Within: last48h, Interval: 14 * time.Minute}},
			Far:   4 * time.Hour,
		}},
	}
	res := &probeResult{PortDays: int(portLength / (24 * time.Hour)), Ports: b.opts.probePorts,
		Seed: b.opts.seed}
	for _, pol := range policies {
		if err := ctx.Err(); err != nil {
			return err
		}
		r := simulatePolicy(pol.p, b.opts.probePorts, b.opts.seed)
		r.Name, r.Policy = pol.name, describePolicy(pol.p)
		res.Policies = append(res.Policies, r)
		b.logf("probe: %s: %d lookups, last 48 h p99 %s, earlier p99 %s", r.Name, r.Lookups,
			secs(r.Last48h.P99), secs(r.Earlier.P99))
	}
	b.rep.Probe = res
	b.probeRows(res)
	return nil
}

// simulatePolicy simulates ports with transfers uniformly at random in the
// last 48 hours, and as many uniformly at random before that. Every policy
// sees the same transfer times for a seed.
func simulatePolicy(p schedule.Policy, ports int, seed uint64) policyResult {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	res := policyResult{Lookups: schedule.SimulatePort(p, portLength, -1).Lookups}
	near := make([]float64, 0, ports)
	earlier := make([]float64, 0, ports)
	var wk, far []float64
	lookups := 0
	run := func(transferAt time.Duration) float64 {
		s := schedule.SimulatePort(p, portLength, transferAt)
		lookups += s.Lookups
		if !s.Detected {
			res.Undetected++
		}
		return s.Delay.Seconds()
	}
	for range ports {
		at := portLength - last48h + time.Duration(rng.Int64N(int64(last48h)))
		near = append(near, run(at))
	}
	for range ports {
		at := time.Duration(rng.Int64N(int64(portLength - last48h)))
		d := run(at)
		earlier = append(earlier, d)
		if portLength-at <= week {
			wk = append(wk, d)
		} else {
			far = append(far, d)
		}
	}
	res.LookupsWithTransfer = float64(lookups) / float64(2*ports)
	res.Last48h, res.Earlier = distOf(near), distOf(earlier)
	res.Week, res.Far = distOf(wk), distOf(far)
	return res
}

// describePolicy writes a policy the way the manager's flags take it.
func describePolicy(p schedule.Policy) string {
	tiers := make([]string, 0, len(p.Tiers))
	for _, t := range p.Tiers {
		tiers = append(tiers, fmt.Sprintf("%s=%s", short(t.Within), short(t.Interval)))
	}
	far := p.Far
	if far == 0 {
		far = 24 * time.Hour
	}
	return fmt.Sprintf("tiers %s, far %s", strings.Join(tiers, ","), short(far))
}

// short drops the zero units time.Duration.String writes ("4h0m0s").
func short(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func (b *bench) probeRows(res *probeResult) {
	const s = phaseProbe
	var naive *policyResult
	for i := range res.Policies {
		if res.Policies[i].Name == "every 15 min" {
			naive = &res.Policies[i]
		}
	}
	for _, p := range res.Policies {
		prefix := fmt.Sprintf("%s (%s): ", p.Name, p.Policy)
		lookups := row{Section: s, Figure: prefix + "lookups per number per port",
			Value: fmt.Sprintf("%d (%.0f with an early transfer)", p.Lookups,
				p.LookupsWithTransfer),
			Target: fmt.Sprintf("<= %d", targetLookups), Met: met(p.Lookups <= targetLookups)}
		nearRow := row{Section: s, Figure: prefix + "delay, transfer in the last 48 h",
			Value:  fmt.Sprintf("p50 %s, p99 %s", secs(p.Last48h.P50), secs(p.Last48h.P99)),
			Target: "p99 <= 15m", Met: met(p.Last48h.P99 <= targetLast48h.Seconds())}
		earlierRow := row{Section: s, Figure: prefix + "delay, transfer earlier",
			Value: fmt.Sprintf("p50 %s, p99 %s (48h-7d p99 %s, beyond 7d p99 %s)",
				secs(p.Earlier.P50), secs(p.Earlier.P99), secs(p.Week.P99), secs(p.Far.P99)),
			Target: "p99 <= 4h", Met: met(p.Earlier.P99 <= targetEarlier.Seconds())}
		if naive != nil && p.Name != naive.Name {
			lookups.Ratio = ratio(float64(p.Lookups), float64(naive.Lookups))
			nearRow.Ratio = ratio(p.Last48h.P99, naive.Last48h.P99)
			earlierRow.Ratio = ratio(p.Earlier.P99, naive.Earlier.P99)
		}
		b.add(lookups)
		b.add(nearRow)
		b.add(earlierRow)
	}
}
