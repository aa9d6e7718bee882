// Package metrics defines the operator's Prometheus metrics and registers
// them with controller-runtime's registry, which the manager serves on its
// metrics endpoint. No metric carries a phone number, PIN, account number or
// any other value of a spec or Secret: labels are small fixed vocabularies.
package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
)

const namespace = "numberport"

var (
	providerCalls = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace,
		Name:      "provider_calls_total",
		Help: "Calls to the provider by operation and outcome (success, transient, " +
			"permanent).",
	}, []string{"operation", "outcome"})

	providerLatency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace,
		Name:      "provider_call_duration_seconds",
		Help:      "Latency of provider calls by operation.",
		Buckets:   prometheus.ExponentialBuckets(0.005, 2, 14),
	}, []string{"operation"})

	routingLookups = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace,
		Name:      "routing_lookups_total",
		Help: "Number portability lookups by result (losing_carrier, platform, " +
			"disconnected, error). Each lookup costs money.",
	}, []string{"result"})

	earlyTransfers = prometheus.NewCounter(prometheus.CounterOpts{
		Namespace: namespace,
		Name:      "early_transfers_detected_total",
		Help: "Numbers found routing to the platform before their port date and " +
			"activated at once.",
	})

	activationLag = prometheus.NewHistogram(prometheus.HistogramOpts{
		Namespace: namespace,
		Name:      "activation_lag_seconds",
		Help: "Time from a number's port date to its activation, for numbers " +
			"activated at their port date.",
		Buckets: []float64{0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900},
	})

	messagingDelay = prometheus.NewHistogram(prometheus.HistogramOpts{
		Namespace: namespace,
		Name:      "messaging_delay_seconds",
		Help:      "Time from a number's activation until texts reach the platform.",
		Buckets: []float64{60, 600, 3600, 4 * 3600, 12 * 3600, 24 * 3600, 2 * 86400,
			3 * 86400, 5 * 86400, 10 * 86400},
	})

	messagingDelayed = prometheus.NewCounter(prometheus.CounterOpts{
		Namespace: namespace,
		Name:      "messaging_delayed_total",
		Help:      "Numbers whose messaging route was later than three business days.",
	})
)

func init() {
	ctrlmetrics.Registry.MustRegister(providerCalls, providerLatency, routingLookups,
		earlyTransfers, activationLag, messagingDelay, messagingDelayed)
}

// ObserveProviderCall records one call to the provider.
func ObserveProviderCall(operation, outcome string, took time.Duration) {
	providerCalls.WithLabelValues(operation, outcome).Inc()
	providerLatency.WithLabelValues(operation).Observe(took.Seconds())
}

// ObserveLookup records one routing lookup and what it found.
func ObserveLookup(result string) {
	routingLookups.WithLabelValues(result).Inc()
}

// ObserveActivation records a number's activation: its lag after the port
// date when activated on it, or an early transfer.
func ObserveActivation(trigger portingv1alpha1.ActivationTrigger, lag time.Duration) {
	switch trigger {
	case portingv1alpha1.ActivationEarlyTransfer:
		earlyTransfers.Inc()
	case portingv1alpha1.ActivationPortDate:
		activationLag.Observe(lag.Seconds())
	}
}

// ObserveMessagingReady records how long texting took after activation.
func ObserveMessagingReady(sinceActivation time.Duration) {
	messagingDelay.Observe(sinceActivation.Seconds())
}

// ObserveMessagingDelayed records a messaging route reported late.
func ObserveMessagingDelayed() {
	messagingDelayed.Inc()
}

// PhaseCollector reports how many PortRequests and PhoneNumbers are in each
// phase. It counts from the manager's cache when scraped, so that the
// numbers are always consistent with the objects and cost no API call.
type PhaseCollector struct {
	Reader client.Reader

	portRequests *prometheus.Desc
	phoneNumbers *prometheus.Desc
}

// NewPhaseCollector returns a collector reading from the given cache.
func NewPhaseCollector(reader client.Reader) *PhaseCollector {
	return &PhaseCollector{
		Reader: reader,
		portRequests: prometheus.NewDesc(namespace+"_portrequests",
			"PortRequests by phase.", []string{"phase"}, nil),
		phoneNumbers: prometheus.NewDesc(namespace+"_phonenumbers",
			"PhoneNumbers by phase.", []string{"phase"}, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *PhaseCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.portRequests
	ch <- c.phoneNumbers
}

// Collect implements prometheus.Collector.
func (c *PhaseCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	prs := &portingv1alpha1.PortRequestList{}
	if err := c.Reader.List(ctx, prs, client.UnsafeDisableDeepCopy); err == nil {
		counts := map[string]int{}
		for _, phase := range []portingv1alpha1.PortRequestPhase{
			portingv1alpha1.PortRequestPending, portingv1alpha1.PortRequestSubmitted,
			portingv1alpha1.PortRequestActionRequired, portingv1alpha1.PortRequestScheduled,
			portingv1alpha1.PortRequestCompleted, portingv1alpha1.PortRequestPartiallyCompleted,
			portingv1alpha1.PortRequestCancelled, portingv1alpha1.PortRequestFailed,
		} {
			counts[string(phase)] = 0
		}
		for i := range prs.Items {
			counts[phaseOr(string(prs.Items[i].Status.Phase))]++
		}
		emit(ch, c.portRequests, counts)
	}

	pns := &portingv1alpha1.PhoneNumberList{}
	if err := c.Reader.List(ctx, pns, client.UnsafeDisableDeepCopy); err == nil {
		counts := map[string]int{}
		for _, phase := range []portingv1alpha1.PhoneNumberPhase{
			portingv1alpha1.PhoneNumberPending, portingv1alpha1.PhoneNumberStaged,
			portingv1alpha1.PhoneNumberActive, portingv1alpha1.PhoneNumberFailed,
		} {
			counts[string(phase)] = 0
		}
		for i := range pns.Items {
			counts[phaseOr(string(pns.Items[i].Status.Phase))]++
		}
		emit(ch, c.phoneNumbers, counts)
	}
}

func emit(ch chan<- prometheus.Metric, desc *prometheus.Desc, counts map[string]int) {
	for phase, n := range counts {
		ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, float64(n), phase)
	}
}

// phaseOr counts an object without a phase yet as Pending.
func phaseOr(phase string) string {
	if phase == "" {
		return string(portingv1alpha1.PortRequestPending)
	}
	return phase
}
