package main

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"time"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
)

// stormResult is the activation of many numbers at one port date.
type stormResult struct {
	Numbers int `json:"numbers"`
	Orders  int `json:"orders"`
	// PortDates are the distinct port dates the orders were given.
	PortDates             []string `json:"portDates"`
	PortDateSpreadSeconds float64  `json:"portDateSpreadSeconds"`
	StagedBeforePortDate  int      `json:"stagedBeforePortDate"`
	// LagObserved is from the port date to the moment the harness saw the
	// number Active: the manager's lag plus the status write and its
	// delivery over a watch, to the millisecond.
	LagObserved dist `json:"lagObservedSeconds"`
	// LagHistogram is numberport_activation_lag_seconds: from the port date
	// to the start of the reconcile that activated the number, as bucket
	// upper bounds.
	LagHistogram dist `json:"lagHistogramSeconds"`
	// LagActivatedAt is status.activatedAt minus status.portDate; both are
	// whole seconds, activatedAt truncated.
	LagActivatedAt       dist           `json:"lagActivatedAtSeconds"`
	AllActiveSeconds     float64        `json:"allActiveSeconds"`
	ActivationsPerSecond float64        `json:"activationsPerSecond"`
	RatioToBaseline      float64        `json:"ratioToBaseline,omitempty"`
	Triggers             map[string]int `json:"triggers"`
	// UpdatesBeforePortDate is the mean count of status writes per number
	// from its creation until a second before the port date; staging alone
	// needs two (pending, then staged).
	UpdatesBeforePortDate float64 `json:"updatesPerNumberBeforePortDate"`
	// SetupWrites are the manager's writes from its start until a second
	// before the port date, by method.
	SetupWrites         map[string]float64 `json:"setupWrites"`
	Writes              map[string]float64 `json:"writes"`
	WritesPerActivation float64            `json:"writesPerActivation"`
	// Conflicts are writes the API server refused because the manager
	// wrote from an object older than the stored one.
	Conflicts  float64            `json:"conflicts"`
	Reconciles map[string]float64 `json:"reconciles"`
	CPUSeconds float64            `json:"cpuSeconds"`
}

// timingFlags compress the simulator's timeline and poll orders at poll
// before their port date and every second after it; the routing probe
// policy and the lookup rate are the manager's defaults, as in production.
func timingFlags(poll, review, portDelay, messaging time.Duration) []string {
	return []string{
		"--order-poll-interval=" + poll.String(),
		"--order-poll-interval-near-port-date=1s",
		"--simulator-review-delay=" + review.String(),
		"--simulator-port-delay=" + portDelay.String(),
		"--simulator-messaging-delay=" + messaging.String(),
	}
}

// storm activates stormNumbers PhoneNumbers of stormOrders PortRequests at
// one port date. The PortRequests are created together, just after a
// second begins, so that the provider receives them within one second and
// their port dates (rounded up to the second) coincide; the harness checks
// that they do. Their PhoneNumbers are created while the losing carrier
// reviews the orders: created before, they would be rewritten on every
// phase change of their order, and that traffic would delay the
// submissions past the second. Texting is held back past the storm so that
// its status writes do not mix with the activations.
func (b *bench) storm(ctx context.Context) error {
	o := b.opts
	if o.stormOrders < 1 || o.stormNumbers < o.stormOrders {
		return fmt.Errorf("need at least one number per order")
	}
	const ns = phaseStorm
	e, err := b.phaseEnv(ctx, ns)
	if err != nil {
		return err
	}
	m, err := startManager(b.binary, e.cluster.KubeconfigPath(),
		filepath.Join(b.dir, "storm-manager.log"),
		timingFlags(2*time.Second, o.stormReview, o.stormPortDelay, time.Hour), b.cl)
	if err != nil {
		return err
	}
	if err := m.waitReady(ctx); err != nil {
		return err
	}
	initial, err := scrapeMetrics(ctx, m.metricsURL)
	if err != nil {
		return err
	}
	pns, err := trackPhoneNumbers(ctx, e.client, ns)
	if err != nil {
		return err
	}
	defer pns.stop()
	prs, err := trackPortRequests(ctx, e.client, ns)
	if err != nil {
		return err
	}
	defer prs.stop()

	nums, err := phoneNumbers("212", o.stormNumbers)
	if err != nil {
		return err
	}
	orderOf := func(i int) string { return fmt.Sprintf("order-%03d", i*o.stormOrders/len(nums)) }
	if err := b.submitTogether(ctx, e, ns, nums, orderOf); err != nil {
		return err
	}
	if err := prs.waitFor(ctx, "PortRequests submitted", o.stormOrders, time.Minute,
		isSubmitted, b.logf); err != nil {
		return err
	}
	b.logf("storm: creating %d PhoneNumbers", len(nums))
	err = forEach(ctx, len(nums), o.createWorkers, func(ctx context.Context, i int) error {
		return create(ctx, e.client, phoneNumber(ns, numberName(nums[i]), nums[i], orderOf(i)))
	})
	if err != nil {
		return err
	}
	if err := prs.waitFor(ctx, "port dates confirmed", o.stormOrders,
		o.stormReview+2*time.Minute, func(r *record) bool { return !r.portDate.IsZero() },
		b.logf); err != nil {
		return err
	}
	res := &stormResult{Numbers: len(nums), Orders: o.stormOrders}
	first := portDates(prs, res)
	b.logf("storm: %d port date(s), first %s, %s from now", len(res.PortDates),
		first.Format(time.TimeOnly), time.Until(first).Round(time.Second))

	// Staging is given until just before the port date; then the counters
	// are read so that they cover the activations and what follows them.
	stageBy := time.Until(first) - 1500*time.Millisecond
	if stageBy > 0 {
		if err := pns.waitFor(ctx, "PhoneNumbers staged", len(nums), stageBy,
			isPhase(string(portingv1alpha1.PhoneNumberStaged)), b.logf); err != nil {
			b.logf("storm: %v", err)
		}
	}
	if err := sleep(ctx, time.Until(first.Add(-time.Second))); err != nil {
		return err
	}
	before, err := scrapeMetrics(ctx, m.metricsURL)
	if err != nil {
		return err
	}
	p0, err := readProc(m.pid())
	if err != nil {
		return err
	}
	res.SetupWrites = writesByMethod(initial, before)
	updates := 0
	pns.each(func(_ string, r *record) { updates += r.updates })
	res.UpdatesBeforePortDate = float64(updates) / float64(len(nums))
	if err := pns.waitFor(ctx, "PhoneNumbers active", len(nums), time.Until(first)+o.stormTimeout,
		isPhase(string(portingv1alpha1.PhoneNumberActive)), b.logf); err != nil {
		return err
	}
	after, err := scrapeMetrics(ctx, m.metricsURL)
	if err != nil {
		return err
	}
	p1, err := readProc(m.pid())
	if err != nil {
		return err
	}

	activationFigures(pns, res, first)
	res.LagHistogram = histDist(histogramDelta(before, after, "numberport_activation_lag_seconds"))
	res.Writes = writesByMethod(before, after)
	res.WritesPerActivation = total(res.Writes) / float64(len(nums))
	res.Reconciles = reconcilesByController(before, after)
	res.Conflicts = conflicts(before, after)
	res.CPUSeconds = (p1.CPU - p0.CPU).Seconds()
	if b.rep.Baseline != nil {
		res.RatioToBaseline = res.ActivationsPerSecond / b.rep.Baseline.WritesPerSecond
	}
	b.rep.Storm = res
	b.stormRows(res)
	return nil
}

// submitTogether creates every PortRequest of the storm at once, just after
// a second begins.
func (b *bench) submitTogether(ctx context.Context, e *env, ns string, nums []string,
	orderOf func(int) string) error {
	groups := map[string][]string{}
	var names []string
	for i, n := range nums {
		name := orderOf(i)
		if _, ok := groups[name]; !ok {
			names = append(names, name)
		}
		groups[name] = append(groups[name], n)
	}
	now := time.Now()
	if err := sleep(ctx, now.Truncate(time.Second).Add(time.Second+20*time.Millisecond).
		Sub(now)); err != nil {
		return err
	}
	start := time.Now()
	err := forEach(ctx, len(names), len(names), func(ctx context.Context, i int) error {
		return create(ctx, e.client, portRequest(ns, names[i], groups[names[i]]))
	})
	b.logf("storm: created %d PortRequests in %s", len(names),
		time.Since(start).Round(time.Millisecond))
	return err
}

// portDates records the distinct port dates of the orders and returns the
// first.
func portDates(prs *tracker, res *stormResult) time.Time {
	var dates []time.Time
	prs.each(func(_ string, r *record) {
		if !slices.ContainsFunc(dates, r.portDate.Equal) {
			dates = append(dates, r.portDate)
		}
	})
	slices.SortFunc(dates, func(a, b time.Time) int { return a.Compare(b) })
	for _, d := range dates {
		res.PortDates = append(res.PortDates, d.UTC().Format(time.RFC3339))
	}
	res.PortDateSpreadSeconds = dates[len(dates)-1].Sub(dates[0]).Seconds()
	return dates[0]
}

// activationFigures reads the lags, the staging and the throughput from
// what the tracker saw.
func activationFigures(pns *tracker, res *stormResult, first time.Time) {
	var observed, activatedAt []float64
	var lastActive time.Time
	res.Triggers = map[string]int{}
	pns.each(func(_ string, r *record) {
		active := r.seen[string(portingv1alpha1.PhoneNumberActive)]
		if staged, ok := r.seen[string(portingv1alpha1.PhoneNumberStaged)]; ok &&
			staged.Before(r.portDate) {
			res.StagedBeforePortDate++
		}
		res.Triggers[r.trigger]++
		if active.After(lastActive) {
			lastActive = active
		}
		if r.portDate.IsZero() {
			return
		}
		observed = append(observed, active.Sub(r.portDate).Seconds())
		activatedAt = append(activatedAt, r.activatedAt.Sub(r.portDate).Seconds())
	})
	res.LagObserved = distOf(observed)
	res.LagActivatedAt = distOf(activatedAt)
	res.AllActiveSeconds = lastActive.Sub(first).Seconds()
	if res.AllActiveSeconds > 0 {
		res.ActivationsPerSecond = float64(res.Numbers) / res.AllActiveSeconds
	}
}

func (b *bench) stormRows(res *stormResult) {
	const s = phaseStorm
	n := fmt.Sprintf("%d numbers, %d orders", res.Numbers, res.Orders)
	b.add(row{Section: s, Figure: "port dates (" + n + ")",
		Value: fmt.Sprintf("%d distinct, spread %s", len(res.PortDates),
			secs(res.PortDateSpreadSeconds)),
		Target: "one instant", Met: met(len(res.PortDates) == 1)})
	b.add(row{Section: s, Figure: "staged before the port date",
		Value: fmt.Sprintf("%d of %d; %.2f status writes per number before it; manager "+
			"writes %s", res.StagedBeforePortDate, res.Numbers, res.UpdatesBeforePortDate,
			formatCounts(res.SetupWrites))})
	b.add(row{Section: s, Figure: "activation lag, seen by watch",
		Value: distString(res.LagObserved)})
	b.add(row{Section: s, Figure: "activation lag, histogram (bucket bounds)",
		Value: histString(res.LagHistogram)})
	b.add(row{Section: s, Figure: "activatedAt - portDate (1 s precision)",
		Value: distString(res.LagActivatedAt)})
	b.add(row{Section: s, Figure: "time until all Active", Value: secs(res.AllActiveSeconds)})
	r := row{Section: s, Figure: "activation throughput",
		Value: fmt.Sprintf("%.0f/s", res.ActivationsPerSecond), Target: ">= 0.50x baseline"}
	if b.rep.Baseline != nil {
		r.Ratio = ratio(res.ActivationsPerSecond, b.rep.Baseline.WritesPerSecond)
		r.Met = met(res.RatioToBaseline >= 0.5)
	}
	b.add(r)
	b.add(row{Section: s, Figure: "manager writes from 1 s before the port date",
		Value: fmt.Sprintf("%s (%.2f per activation); %.0f refused with 409 Conflict",
			formatCounts(res.Writes), res.WritesPerActivation, res.Conflicts)})
	b.add(row{Section: s, Figure: "reconciles, manager CPU",
		Value: fmt.Sprintf("%s; CPU %s", formatCounts(res.Reconciles), secs(res.CPUSeconds))})
}

func histString(d dist) string {
	return fmt.Sprintf("p50 <= %s, p95 <= %s, p99 <= %s, max <= %s (n=%d)", secs(d.P50),
		secs(d.P95), secs(d.P99), secs(d.Max), d.Count)
}
