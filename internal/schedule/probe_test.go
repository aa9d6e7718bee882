package schedule

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

const (
	day      = 24 * time.Hour
	week     = 7 * day
	sixWeeks = 6 * week
)

var portDate = time.Date(2030, time.March, 14, 15, 30, 0, 0, time.UTC)

// before returns the instant d before the port date.
func before(d time.Duration) time.Time { return portDate.Add(-d) }

// quiet is a lookup that saw the number still with the losing carrier.
func quiet(at time.Time) Observation { return Observation{At: at, Agreeing: 3} }

func TestNextProbe(t *testing.T) {
	tests := []struct {
		name     string
		policy   Policy
		now      time.Time
		portDate time.Time
		last     Observation
		want     time.Time
	}{
		{
			name: "no port date, no probing",
			now:  before(week), last: quiet(before(week)),
			want: time.Time{},
		},
		{
			name: "never looked up: probe now",
			now:  before(30 * day), portDate: portDate,
			want: before(30 * day),
		},
		{
			name: "never looked up after the port date: first check",
			now:  portDate.Add(10 * time.Minute), portDate: portDate,
			want: portDate.Add(30 * time.Minute),
		},
		{
			name: "never looked up long after the port date: once, now",
			now:  portDate.Add(10 * time.Hour), portDate: portDate,
			want: portDate.Add(10 * time.Hour),
		},
		{
			name: "weeks out, on the grid: a day later",
			now:  before(30 * day), portDate: portDate, last: quiet(before(30 * day)),
			want: before(29 * day),
		},
		{
			name: "weeks out, off the grid: back onto it",
			now:  before(30*day + 5*time.Hour), portDate: portDate,
			last: quiet(before(30*day + 5*time.Hour)),
			want: before(30 * day),
		},
		{
			name: "the week tier starts at 7 days",
			now:  before(week + 3*time.Hour), portDate: portDate,
			last: quiet(before(week + 3*time.Hour)),
			want: before(week),
		},
		{
			name: "within a week: every 4 hours",
			now:  before(5 * day), portDate: portDate, last: quiet(before(5 * day)),
			want: before(5*day - 4*time.Hour),
		},
		{
			name: "the dense tier starts at 48 hours",
			now:  before(49 * time.Hour), portDate: portDate,
			last: quiet(before(49 * time.Hour)),
			want: before(48 * time.Hour),
		},
		{
			name: "last 48 hours: every 40 minutes",
			now:  before(10 * time.Hour), portDate: portDate,
			last: quiet(before(10 * time.Hour)),
			want: before(9*time.Hour + 20*time.Minute),
		},
		{
			name: "a late lookup does not shift the grid",
			now:  before(10*time.Hour - 7*time.Minute), portDate: portDate,
			last: quiet(before(10*time.Hour - 7*time.Minute)),
			want: before(9*time.Hour + 20*time.Minute),
		},
		{
			name: "no probe on the port date itself: first after-port check",
			now:  before(40 * time.Minute), portDate: portDate,
			last: quiet(before(40 * time.Minute)),
			want: portDate.Add(30 * time.Minute),
		},
		{
			name: "first sight on the platform: confirm quickly",
			now:  before(3 * day), portDate: portDate,
			last: Observation{At: before(3 * day), OnPlatform: true, Agreeing: 1},
			want: before(3*day - 45*time.Second),
		},
		{
			name: "zero agreeing reads as a first sight",
			now:  before(3 * day), portDate: portDate,
			last: Observation{At: before(3 * day), OnPlatform: true},
			want: before(3*day - 45*time.Second),
		},
		{
			name: "confirmed early transfer: probing ends",
			now:  before(3 * day), portDate: portDate,
			last: Observation{At: before(3 * day), OnPlatform: true, Agreeing: 2},
			want: time.Time{},
		},
		{
			name: "first sight disconnected: confirm quickly",
			now:  before(3 * day), portDate: portDate,
			last: Observation{At: before(3 * day), Disconnected: true, Agreeing: 1},
			want: before(3*day - 45*time.Second),
		},
		{
			name: "confirmed disconnection: back to the grid",
			now:  before(3 * day), portDate: portDate,
			last: Observation{At: before(3 * day), Disconnected: true, Agreeing: 2},
			want: before(3*day - 4*time.Hour),
		},
		{
			name: "a signal that did not repeat: back to the grid",
			now:  before(3*day - 45*time.Second), portDate: portDate,
			last: Observation{At: before(3*day - 45*time.Second), Agreeing: 1},
			want: before(3*day - 4*time.Hour),
		},
		{
			name: "overdue probe: now, not in the past",
			now:  before(2 * day), portDate: portDate, last: quiet(before(5 * day)),
			want: before(2 * day),
		},
		{
			name: "after-port check still on the losing carrier: last check",
			now:  portDate.Add(30 * time.Minute), portDate: portDate,
			last: quiet(portDate.Add(30 * time.Minute)),
			want: portDate.Add(4 * time.Hour),
		},
		{
			name: "after-port check on the platform: done",
			now:  portDate.Add(30 * time.Minute), portDate: portDate,
			last: Observation{At: portDate.Add(30 * time.Minute), OnPlatform: true},
			want: time.Time{},
		},
		{
			name: "after the last after-port check: done",
			now:  portDate.Add(4 * time.Hour), portDate: portDate,
			last: quiet(portDate.Add(4 * time.Hour)),
			want: time.Time{},
		},
		{
			name: "custom policy: one tier, slower confirmation",
			policy: Policy{
				Tiers:   []Tier{{Within: day, Interval: 15 * time.Minute}},
				Far:     12 * time.Hour,
				Confirm: time.Minute,
			},
			now: before(3 * day), portDate: portDate, last: quiet(before(3 * day)),
			want: before(2*day + 12*time.Hour),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.policy.NextProbe(tt.now, tt.portDate, tt.last)
			if !got.Equal(tt.want) {
				t.Errorf("NextProbe = %s, want %s", describe(got), describe(tt.want))
			}
		})
	}
}

// describe shows a time as its distance to the port date.
func describe(t time.Time) string {
	if t.IsZero() {
		return "none"
	}
	if t.Before(portDate) {
		return portDate.Sub(t).String() + " before the port date"
	}
	return t.Sub(portDate).String() + " after the port date"
}

// TestNextProbeNeverBeforeNow checks, over random inputs, that a probe is
// never due in the past and always after the last lookup, which is what
// keeps a controller out of zero-delay requeue loops.
func TestNextProbeNeverBeforeNow(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	random := func() time.Time { return before(time.Duration(rng.Int64N(int64(8*week))) - week) }
	for range 100_000 {
		last := Observation{
			At:           random(),
			OnPlatform:   rng.IntN(4) == 0,
			Disconnected: rng.IntN(4) == 0,
			Agreeing:     rng.IntN(4),
		}
		now := last.At.Add(time.Duration(rng.Int64N(int64(2 * day))))
		got := NextProbe(now, portDate, last)
		if got.IsZero() {
			continue
		}
		if got.Before(now) || !got.After(last.At) {
			t.Fatalf("NextProbe(now %s, last %+v) = %s: before now or not after the last lookup",
				describe(now), last, describe(got))
		}
	}
}

func TestPolicyValidate(t *testing.T) {
	if err := DefaultPolicy().Validate(); err != nil {
		t.Errorf("default policy: %v", err)
	}
	if err := (Policy{}).Validate(); err != nil {
		t.Errorf("zero policy: %v", err)
	}
	invalid := []Policy{
		{Tiers: []Tier{{Within: week, Interval: time.Hour}, {Within: day, Interval: time.Hour}}},
		{Tiers: []Tier{{Within: day}}},
		{Confirm: -time.Second},
		{AfterPort: []time.Duration{time.Hour, time.Minute}},
	}
	for i, p := range invalid {
		if err := p.Validate(); err == nil {
			t.Errorf("policy %d: no error for %+v", i, p)
		}
	}
}

// window is a stretch before the port date, (inner, outer].
type window struct {
	name         string
	outer, inner time.Duration
}

func (w window) holds(d time.Duration) bool { return d > w.inner && d <= w.outer }

// TestSixWeekPortBudget sums the lookups of a six-week port without an
// early transfer, window by window, and checks the worst-case detection
// delay of each window by moving the number just after each of its probes.
func TestSixWeekPortBudget(t *testing.T) {
	tests := []struct {
		window
		lookups int
		worst   time.Duration
	}{
		{window{"7 to 42 days, daily", sixWeeks, week}, 35, 24*time.Hour + 45*time.Second},
		{window{"48 hours to 7 days, every 4 hours", week, 48 * time.Hour}, 30,
			4*time.Hour + 45*time.Second},
		{window{"last 48 hours, every 40 minutes", 48 * time.Hour, 0}, 72,
			40*time.Minute + 45*time.Second},
		{window{"after the port date", 0, -sixWeeks}, 1, 0},
	}

	probes := probeTimes(t, Policy{}, sixWeeks)
	if got := SimulatePort(Policy{}, sixWeeks, -1).Lookups; got != len(probes) {
		t.Fatalf("SimulatePort counted %d lookups, the trace %d", got, len(probes))
	}

	total := 0
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lookups, worst := 0, time.Duration(0)
			for _, probe := range probes {
				if !tt.holds(portDate.Sub(probe)) {
					continue
				}
				lookups++
				if probe.Before(portDate) {
					worst = max(worst, delayAfter(t, probe))
				}
			}
			total += lookups
			if lookups != tt.lookups {
				t.Errorf("lookups = %d, want %d", lookups, tt.lookups)
			}
			// A transfer 1 ns after a probe is the worst case; it is
			// caught 1 ns short of a full interval plus the confirmation.
			if worst > tt.worst || tt.worst-worst > time.Microsecond {
				t.Errorf("worst detection delay = %s, want %s", worst, tt.worst)
			}
		})
	}
	t.Logf("six-week port: %d lookups", total)
	if total != len(probes) || total > 150 {
		t.Errorf("windows hold %d of %d lookups; the budget is 150", total, len(probes))
	}
}

// probeTimes lists the lookups of a port without an early transfer.
func probeTimes(t *testing.T, p Policy, duration time.Duration) []time.Time {
	t.Helper()
	var probes []time.Time
	now, last := portDate.Add(-duration), Observation{}
	for {
		next := p.NextProbe(now, portDate, last)
		if next.IsZero() {
			return probes
		}
		if len(probes) > 1000 {
			t.Fatalf("more than 1000 probes: %s", describe(next))
		}
		now = next
		last = lookup(now, portDate, last)
		probes = append(probes, now)
	}
}

// delayAfter returns the detection delay of a transfer 1 ns after a probe
// of a six-week port.
func delayAfter(_ *testing.T, probe time.Time) time.Duration {
	transferAt := probe.Sub(portDate.Add(-sixWeeks)) + 1
	return SimulatePort(Policy{}, sixWeeks, transferAt).Delay
}

// TestDetectionPercentiles moves the number at seeded random times and
// checks the detection delays per window and the lookups per port. The p99
// bound is 99.5% of the window's interval plus the confirmation, leaving
// room for sampling noise above the expected 99%.
func TestDetectionPercentiles(t *testing.T) {
	const runs = 2000
	tests := []struct {
		window
		p99       time.Duration
		maxDelay  time.Duration
		maxLookup int
	}{
		{window{"last 48 hours", 48 * time.Hour, 0},
			40*time.Minute + 33*time.Second, 40*time.Minute + 45*time.Second, 141},
		{window{"48 hours to 7 days", week, 48 * time.Hour},
			3*time.Hour + 59*time.Minute + 33*time.Second, 4*time.Hour + 45*time.Second, 70},
		{window{"all before 48 hours", sixWeeks, 48 * time.Hour},
			23*time.Hour + 53*time.Minute + 33*time.Second, 24*time.Hour + 45*time.Second, 70},
	}
	rng := rand.New(rand.NewPCG(20300314, 1530))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var delays, signals []time.Duration
			maxLookups := 0
			for range runs {
				dist := tt.inner + 1 + time.Duration(rng.Int64N(int64(tt.outer-tt.inner)))
				res := SimulatePort(Policy{}, sixWeeks, sixWeeks-dist)
				delays = append(delays, res.Delay)
				signals = append(signals, res.FirstSignal)
				maxLookups = max(maxLookups, res.Lookups)
			}
			p50, p99, worst := percentiles(delays)
			s50, s99, _ := percentiles(signals)
			t.Logf("detection p50 %s p99 %s max %s; first signal p50 %s p99 %s; "+
				"at most %d lookups", p50, p99, worst, s50, s99, maxLookups)
			if p99 > tt.p99 || worst > tt.maxDelay {
				t.Errorf("p99 %s, max %s; want at most %s and %s", p99, worst, tt.p99,
					tt.maxDelay)
			}
			if maxLookups > tt.maxLookup {
				t.Errorf("up to %d lookups, want at most %d", maxLookups, tt.maxLookup)
			}
		})
	}
}

func percentiles(ds []time.Duration) (p50, p99, worst time.Duration) {
	s := slices.Clone(ds)
	slices.Sort(s)
	at := func(q float64) time.Duration { return s[int(q*float64(len(s)-1))] }
	return at(0.50), at(0.99), s[len(s)-1]
}

func TestSimulatePortWithoutEarlyTransfer(t *testing.T) {
	tests := []struct {
		name       string
		transferAt time.Duration
		lookups    int
	}{
		{"moves on the port date", -1, 138},
		{"moves exactly at the port date", sixWeeks, 138},
		{"slips by an hour", sixWeeks + time.Hour, 139},
		{"slips by days", sixWeeks + 3*day, 139},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := SimulatePort(DefaultPolicy(), sixWeeks, tt.transferAt)
			want := PortSimulation{Lookups: tt.lookups}
			if res != want {
				t.Errorf("SimulatePort = %+v, want %+v", res, want)
			}
		})
	}
}

func TestSimulatePortEarlyTransfer(t *testing.T) {
	// Ten minutes after the probe 48 hours before the port date: the next
	// probe, 30 minutes later, sees it and the confirmation follows.
	transferAt := sixWeeks - 48*time.Hour + 10*time.Minute
	res := SimulatePort(Policy{}, sixWeeks, transferAt)
	want := PortSimulation{
		Lookups:     1 + 34 + 30 + 1 + 1 + 1,
		Early:       true,
		Detected:    true,
		FirstSignal: 30 * time.Minute,
		Delay:       30*time.Minute + 45*time.Second,
	}
	if res != want {
		t.Errorf("SimulatePort = %+v, want %+v", res, want)
	}
}

func BenchmarkNextProbe(b *testing.B) {
	// Lookups spread over a six-week port, some of them signals to confirm.
	var lasts [1024]Observation
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range lasts {
		lasts[i] = Observation{
			At:         before(time.Duration(rng.Int64N(int64(sixWeeks)))),
			OnPlatform: i%16 == 0,
			Agreeing:   1,
		}
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		last := lasts[i%len(lasts)]
		_ = NextProbe(last.At.Add(time.Second), portDate, last)
	}
}

func BenchmarkSimulatePort(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = SimulatePort(Policy{}, sixWeeks, sixWeeks-time.Duration(i%48)*time.Hour)
	}
}
