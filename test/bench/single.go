package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
)

// singleResult is the activation lag of one number at a time.
type singleResult struct {
	Runs           int  `json:"runs"`
	LagObserved    dist `json:"lagObservedSeconds"`
	LagHistogram   dist `json:"lagHistogramSeconds"`
	LagActivatedAt dist `json:"lagActivatedAtSeconds"`
	// Activations counts the activations the manager's histogram observed,
	// which exceeds Runs when a number is activated more than once.
	Activations int     `json:"activations"`
	Conflicts   float64 `json:"conflicts"`
	CPUSeconds  float64 `json:"cpuSeconds"`
}

// Simulator timeline of the single activations: short, since nothing has to
// be staged at scale, but long enough for the number to be staged first.
const (
	singleReview    = 2 * time.Second
	singlePortDelay = 4 * time.Second
)

// single ports one number at a time, singleRuns times, each in its own
// PortRequest started singleInterval after the one before, so that no two
// activations share a second.
func (b *bench) single(ctx context.Context) error {
	o := b.opts
	const ns = phaseSingle
	e, err := b.phaseEnv(ctx, ns)
	if err != nil {
		return err
	}
	m, err := startManager(b.binary, e.cluster.KubeconfigPath(),
		filepath.Join(b.dir, "single-manager.log"),
		timingFlags(2*time.Second, singleReview, singlePortDelay, time.Hour), b.cl)
	if err != nil {
		return err
	}
	if err := m.waitReady(ctx); err != nil {
		return err
	}
	pns, err := trackPhoneNumbers(ctx, e.client, ns)
	if err != nil {
		return err
	}
	defer pns.stop()
	nums, err := phoneNumbers("312", o.singleRuns)
	if err != nil {
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

	b.logf("single: %d activations, one every %s", len(nums), o.singleInterval)
	for i, n := range nums {
		order := fmt.Sprintf("single-%03d", i)
		if err := create(ctx, e.client, phoneNumber(ns, numberName(n), n, order)); err != nil {
			return err
		}
		if err := create(ctx, e.client, portRequest(ns, order, []string{n})); err != nil {
			return err
		}
		if err := sleep(ctx, o.singleInterval); err != nil {
			return err
		}
	}
	if err := pns.waitFor(ctx, "PhoneNumbers active", len(nums), 2*time.Minute,
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

	var observed, activatedAt []float64
	pns.each(func(_ string, r *record) {
		active := r.seen[string(portingv1alpha1.PhoneNumberActive)]
		observed = append(observed, active.Sub(r.portDate).Seconds())
		activatedAt = append(activatedAt, r.activatedAt.Sub(r.portDate).Seconds())
	})
	lags := histogramDelta(before, after, "numberport_activation_lag_seconds")
	res := &singleResult{
		Runs:           len(nums),
		LagObserved:    distOf(observed),
		LagHistogram:   histDist(lags),
		LagActivatedAt: distOf(activatedAt),
		Conflicts:      conflicts(before, after),
		CPUSeconds:     (p1.CPU - p0.CPU).Seconds(),
	}
	res.Activations = res.LagHistogram.Count
	b.rep.Single = res
	const s = phaseSingle
	b.add(row{Section: s, Figure: "activation lag, seen by watch",
		Value: distString(res.LagObserved), Target: "p99 <= 1 s",
		Met: met(res.LagObserved.P99 <= 1)})
	b.add(row{Section: s, Figure: "activation lag, histogram (bucket bounds)",
		Value: histString(res.LagHistogram), Target: "p99 <= 1 s",
		Met: met(res.LagHistogram.P99 <= 1)})
	b.add(row{Section: s, Figure: "activatedAt - portDate (1 s precision)",
		Value: distString(res.LagActivatedAt)})
	b.add(row{Section: s, Figure: "activations observed, write conflicts",
		Value: fmt.Sprintf("%d activations for %d numbers; %.0f writes refused with 409",
			res.Activations, res.Runs, res.Conflicts)})
	return nil
}
