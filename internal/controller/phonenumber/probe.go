package phonenumber

import (
	"context"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
	"github.com/numberport/numberport/internal/provider"
	"github.com/numberport/numberport/internal/schedule"
)

// probe looks up the number's routing when a lookup is due, and activates the
// number when agreeing lookups show it already routes to the platform. One
// lookup is a signal; only agreeing ones are evidence, since lookups are
// sometimes wrong or stale. It returns when the next lookup is due.
func (r *Reconciler) probe(ctx context.Context, st *state,
	portDate *metav1.Time) (time.Time, bool, error) {
	key := client.ObjectKeyFromObject(st.pn)
	pd := timeOf(portDate)
	due := r.Probes.NextProbe(st.now, pd, r.lastObservation(st))
	if due.IsZero() || due.After(st.now) {
		return due, false, nil
	}
	if wait := r.Lookups.Take(key.String(), st.now); wait > 0 {
		return st.now.Add(wait), false, nil
	}

	route, err := r.Routing.Lookup(ctx, st.pn.Spec.Number)
	if err != nil {
		log.FromContext(ctx).V(1).Info("Routing lookup failed", "error", err.Error())
		return st.now.Add(r.backoffFor(key, err)), false, nil
	}
	r.backoff.Delete(key)
	r.lastLookup.Store(key, st.now)
	obs := st.observe(route)

	switch {
	case obs.RoutedTo == portingv1alpha1.RoutedToPlatform && r.confirmed(obs):
		next, err := r.activate(ctx, st, portingv1alpha1.ActivationEarlyTransfer)
		return next, true, err
	case obs.RoutedTo == portingv1alpha1.RoutedToLosingCarrier:
		st.cond.Remove(portingv1alpha1.ConditionInService)
	}
	return r.Probes.NextProbe(st.now, pd, r.lastObservation(st)), false, nil
}

// confirmed reports whether enough lookups agree to act on.
func (r *Reconciler) confirmed(obs *portingv1alpha1.RoutingObservation) bool {
	return int(obs.Observations) >= max(r.Probes.Confirmations, 2)
}

// lastObservation rebuilds the probe scheduler's view of the last lookup from
// status and the in-memory time of the last lookup. After a restart that time
// is unknown, and now stands in for it: the scheduler's grid is counted from
// the port date, so the next probe lands where it would have anyway, and a
// restart at scale does not set off a burst of paid lookups.
func (r *Reconciler) lastObservation(st *state) schedule.Observation {
	obs := schedule.Observation{}
	routing := st.status.Routing
	if routing == nil {
		return obs
	}
	key := client.ObjectKeyFromObject(st.pn)
	v, ok := r.lastLookup.Load(key)
	if !ok {
		v, _ = r.lastLookup.LoadOrStore(key, st.now)
	}
	obs.At = v.(time.Time)
	obs.OnPlatform = routing.RoutedTo == portingv1alpha1.RoutedToPlatform
	obs.Disconnected = routing.RoutedTo == portingv1alpha1.RoutedToDisconnected
	obs.Agreeing = int(routing.Observations)
	return obs
}

// observe records a lookup in status. Status changes only when the result
// differs from the last one, or while agreeing lookups are still being
// counted towards evidence, so that routine lookups write nothing.
func (st *state) observe(route provider.Route) *portingv1alpha1.RoutingObservation {
	routedTo := portingv1alpha1.RoutedToLosingCarrier
	switch {
	case route.OnPlatform:
		routedTo = portingv1alpha1.RoutedToPlatform
	case !route.InService:
		routedTo = portingv1alpha1.RoutedToDisconnected
	}

	prev := st.status.Routing
	if prev == nil || prev.RoutedTo != routedTo {
		st.status.Routing = &portingv1alpha1.RoutingObservation{
			RoutedTo:     routedTo,
			Carrier:      route.Carrier,
			Since:        *timePtr(st.now),
			Observations: 1,
		}
		return st.status.Routing
	}
	if prev.Observations < 2 {
		next := prev.DeepCopy()
		next.Observations++
		st.status.Routing = next
	}
	return st.status.Routing
}

// checkInService blocks a number whose lines agreeing lookups found dropped.
// It reads status rather than the last lookup, so the warning stands between
// lookups until routing changes.
func (r *Reconciler) checkInService(st *state) {
	routing := st.status.Routing
	if routing != nil && routing.RoutedTo == portingv1alpha1.RoutedToDisconnected &&
		r.confirmed(routing) {
		st.linesDropped(routing)
	}
}

// linesDropped warns that the number stopped working while the losing
// carrier still holds it: it was disconnected, not ported, and must never be
// activated on that evidence.
func (st *state) linesDropped(obs *portingv1alpha1.RoutingObservation) {
	msg := "The number is out of service but still routes to the losing carrier " +
		"(" + obs.Carrier + "): it was disconnected, not ported. Ask the losing carrier to " +
		"restore it; the port cannot go ahead for a disconnected number"
	st.warnOnce(portingv1alpha1.ConditionInService, portingv1alpha1.ReasonLinesDropped,
		"Probe", msg)
	st.cond.False(portingv1alpha1.ConditionInService, portingv1alpha1.ReasonLinesDropped, msg)
	st.block(portingv1alpha1.ReasonLinesDropped, msg)
}

func timeOf(t *metav1.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.Time
}
