package main

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
)

// baselineResult is the status write rate of the local API server for a
// plain client, the yardstick of the manager's write-heavy figures.
type baselineResult struct {
	Writers         int     `json:"writers"`
	Objects         int     `json:"objects"`
	Seconds         float64 `json:"seconds"`
	Writes          int     `json:"writes"`
	WritesPerSecond float64 `json:"writesPerSecond"`
	Latency         dist    `json:"latencySeconds"`
	Errors          int     `json:"errors"`
}

// baselineObjectsPerWriter spreads each writer over several objects, as the
// manager's workers spread over many numbers.
const baselineObjectsPerWriter = 25

// baseline measures how many PhoneNumber status updates per second the
// local API server takes from a few concurrent writers that do nothing
// else: no reads, no decisions, each update with the resource version the
// previous one returned. The status written is the size of an active
// number's, so that it costs what the manager's activation writes cost.
func (b *bench) baseline(ctx context.Context) error {
	const ns = phaseBaseline
	e, err := b.phaseEnv(ctx, ns)
	if err != nil {
		return err
	}
	writers := b.opts.writers
	nums, err := phoneNumbers("617", writers*baselineObjectsPerWriter)
	if err != nil {
		return err
	}
	objs := make([]*portingv1alpha1.PhoneNumber, len(nums))
	err = forEach(ctx, len(nums), b.opts.createWorkers, func(ctx context.Context, i int) error {
		pn := phoneNumber(ns, numberName(nums[i]), nums[i], "")
		if err := create(ctx, e.client, pn); err != nil {
			return err
		}
		objs[i] = pn
		return nil
	})
	if err != nil {
		return err
	}

	// A short warm-up lets connections and caches settle before counting.
	if _, err := writeStatuses(ctx, e.client, objs, writers, 2*time.Second); err != nil {
		return err
	}
	res, err := writeStatuses(ctx, e.client, objs, writers, b.opts.baselineDuration)
	if err != nil {
		return err
	}
	b.rep.Baseline = res
	b.logf("baseline: %.0f status writes/s with %d writers (p99 %s)", res.WritesPerSecond,
		writers, secs(res.Latency.P99))
	b.add(row{Section: phaseBaseline, Figure: "status writes/s, plain client",
		Value: fmt.Sprintf("%.0f/s (%d writers, p50 %s, p99 %s)", res.WritesPerSecond, writers,
			secs(res.Latency.P50), secs(res.Latency.P99))})
	return nil
}

// writeStatuses updates the status of objs from writers goroutines, each
// owning its share, for d, and reports the rate.
func writeStatuses(ctx context.Context, c client.Client, objs []*portingv1alpha1.PhoneNumber,
	writers int, d time.Duration) (*baselineResult, error) {
	var mu sync.Mutex
	var latencies []float64
	errs := 0
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			var mine []float64
			failures := 0
			for round := 0; ctx.Err() == nil && time.Now().Before(deadline); round++ {
				for i := w; i < len(objs) && time.Now().Before(deadline); i += writers {
					pn := objs[i]
					pn.Status = activeStatus(pn, round)
					t := time.Now()
					if err := c.Status().Update(ctx, pn); err != nil {
						failures++
						// Read the object back so that the next write has
						// a current resource version.
						_ = c.Get(ctx, client.ObjectKeyFromObject(pn), pn)
						continue
					}
					mine = append(mine, time.Since(t).Seconds())
				}
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			errs += failures
			mu.Unlock()
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	elapsed := time.Since(start).Seconds()
	return &baselineResult{
		Writers:         writers,
		Objects:         len(objs),
		Seconds:         elapsed,
		Writes:          len(latencies),
		WritesPerSecond: float64(len(latencies)) / elapsed,
		Latency:         distOf(latencies),
		Errors:          errs,
	}, nil
}

// activeStatus is the status of an active number with texting, as the
// manager writes it; round changes one message so that every update is a
// real change the API server stores.
func activeStatus(pn *portingv1alpha1.PhoneNumber, round int) portingv1alpha1.PhoneNumberStatus {
	now := metav1.NewTime(time.Now().Truncate(time.Second))
	cond := func(t, reason, msg string) metav1.Condition {
		return metav1.Condition{Type: t, Status: metav1.ConditionTrue, Reason: reason,
			Message: msg, LastTransitionTime: now, ObservedGeneration: pn.Generation}
	}
	return portingv1alpha1.PhoneNumberStatus{
		ObservedGeneration: pn.Generation,
		Phase:              portingv1alpha1.PhoneNumberActive,
		PortDate:           &now,
		StagedCallFlow:     callFlow,
		ActivatedAt:        &now,
		ActivationTrigger:  portingv1alpha1.ActivationPortDate,
		Conditions: []metav1.Condition{
			cond(portingv1alpha1.ConditionReady, portingv1alpha1.ReasonActive,
				"Call flow main-reception answers the number (write "+strconv.Itoa(round)+")"),
			cond(portingv1alpha1.ConditionCallFlowConfigured, portingv1alpha1.ReasonActive,
				"Call flow main-reception answers the number"),
			cond(portingv1alpha1.ConditionPorted, portingv1alpha1.ReasonActive,
				"The number routes to the platform since "+now.UTC().Format(time.RFC3339)),
			cond(portingv1alpha1.ConditionMessagingReady, portingv1alpha1.ReasonMessagingReady,
				"Texts reach the platform"),
		},
		Messaging: &portingv1alpha1.MessagingStatus{
			State: portingv1alpha1.MessagingReady, ExpectedBy: &now, ReadyAt: &now},
	}
}
