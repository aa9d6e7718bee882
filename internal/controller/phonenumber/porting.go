package phonenumber

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
	"github.com/numberport/numberport/internal/metrics"
	"github.com/numberport/numberport/internal/provider"
)

// reconcilePorting handles a number that is not active yet: it stages the
// call flow once the port date is confirmed, activates at the port date, and
// until then probes routing for an early transfer.
func (r *Reconciler) reconcilePorting(ctx context.Context, st *state,
	pr *portingv1alpha1.PortRequest) (time.Time, error) {
	if st.pn.Spec.PortRequestRef == nil {
		return r.activate(ctx, st, portingv1alpha1.ActivationAlreadyOnPlatform)
	}

	st.status.PortDate = pr.Status.PortDate
	portDate := pr.Status.PortDate
	due := portDate != nil && !st.now.Before(portDate.Time)
	if due || reportedPorted(pr, st.pn.Spec.Number) {
		return r.activate(ctx, st, portingv1alpha1.ActivationPortDate)
	}

	var retry time.Time
	if portDate != nil {
		retry = r.stage(ctx, st)
	} else {
		// Waiting weeks for the losing carrier is where the number should
		// be for now, so it counts as ready: GitOps tools would otherwise
		// show it progressing for weeks.
		// The message does not quote the order's phase: every phase change
		// would otherwise rewrite the status of all its numbers.
		st.waiting(portingv1alpha1.ReasonAwaitingPortDate, fmt.Sprintf(
			"Waiting for PortRequest %s to get a confirmed port date", pr.Name))
		st.ready.ok = true
	}

	// Only an order the provider holds can transfer early.
	if pr.Status.OrderID == "" {
		return retry, nil
	}
	next, activated, err := r.probe(ctx, st, portDate)
	if err != nil || activated {
		return next, err
	}
	r.checkInService(st)
	return earliest(retry, next, timeOf(portDate)), nil
}

// stage configures the call flow on the platform, inactive, and returns when
// to retry a failed attempt.
func (r *Reconciler) stage(ctx context.Context, st *state) time.Time {
	callFlow := st.pn.Spec.CallFlow
	when := st.status.PortDate.UTC().Format(time.RFC3339)
	if callFlow == "" {
		msg := "spec.callFlow is empty: the number would ring nowhere after the port date " +
			"(" + when + "). Set spec.callFlow"
		st.cond.False(portingv1alpha1.ConditionCallFlowConfigured,
			portingv1alpha1.ReasonNoCallFlow, msg)
		st.waiting(portingv1alpha1.ReasonNoCallFlow, msg)
		return time.Time{}
	}

	if st.status.StagedCallFlow != callFlow {
		if err := r.Numbers.StageCallFlow(ctx, st.pn.Spec.Number, callFlow); err != nil {
			return r.platformFailed(st, "stage the call flow", err)
		}
		r.backoff.Delete(client.ObjectKeyFromObject(st.pn))
		st.status.StagedCallFlow = callFlow
		st.event(corev1.EventTypeNormal, portingv1alpha1.ReasonStaged, "Stage",
			fmt.Sprintf("Staged call flow %s, inactive until %s", callFlow, when))
		log.FromContext(ctx).Info("Staged the call flow", "callFlow", callFlow, "portDate", when)
	}
	st.status.Phase = portingv1alpha1.PhoneNumberStaged
	msg := fmt.Sprintf("Call flow %s is configured and goes live at %s", callFlow, when)
	st.cond.True(portingv1alpha1.ConditionCallFlowConfigured, portingv1alpha1.ReasonStaged, msg)
	st.cond.False(portingv1alpha1.ConditionPorted, portingv1alpha1.ReasonNotPorted,
		"The number still routes to the losing carrier")
	st.ready = readiness{ok: true, reason: portingv1alpha1.ReasonStaged, message: msg}
	return time.Time{}
}

// activate makes the number live on the platform, staging the call flow
// first when that has not happened yet (an early transfer can come before
// the port date is even confirmed).
func (r *Reconciler) activate(ctx context.Context, st *state,
	trigger portingv1alpha1.ActivationTrigger) (time.Time, error) {
	number, callFlow := st.pn.Spec.Number, st.pn.Spec.CallFlow
	if callFlow != "" && st.status.StagedCallFlow != callFlow {
		if err := r.Numbers.StageCallFlow(ctx, number, callFlow); err != nil {
			return r.platformFailed(st, "stage the call flow", err), nil
		}
		st.status.StagedCallFlow = callFlow
	}
	if err := r.Numbers.Activate(ctx, number); err != nil {
		return r.activationFailed(st, err), nil
	}
	r.backoff.Delete(client.ObjectKeyFromObject(st.pn))

	st.status.ActivatedAt = timePtr(st.now)
	st.status.ActivationTrigger = trigger
	// Routing to the platform settles whether the lines were dropped, and a
	// lookup from before the port no longer says where the number routes.
	st.cond.Remove(portingv1alpha1.ConditionInService)
	if trigger != portingv1alpha1.ActivationEarlyTransfer {
		st.status.Routing = nil
	}
	eventType, reason, note := activationEvent(st, trigger)
	st.event(eventType, reason, "Activate", note)
	var lag time.Duration
	if pd := st.status.PortDate; pd != nil {
		lag = st.now.Sub(pd.Time)
	}
	st.afterWrite(func() {
		metrics.ObserveActivation(trigger, lag)
		log.FromContext(ctx).Info("Activated the number", "trigger", trigger,
			"callFlow", callFlow, "lagAfterPortDate", lag.String())
	})
	return r.reconcileActive(ctx, st, nil)
}

func activationEvent(st *state,
	trigger portingv1alpha1.ActivationTrigger) (eventType, reason, note string) {
	switch trigger {
	case portingv1alpha1.ActivationEarlyTransfer:
		msg := "The number routes to the platform before its port date without notice from " +
			"the losing carrier; activated at once"
		if pd := st.status.PortDate; pd != nil {
			msg += " (port date " + pd.UTC().Format(time.RFC3339) + ")"
		}
		return corev1.EventTypeWarning, portingv1alpha1.ReasonEarlyTransfer, msg
	case portingv1alpha1.ActivationAlreadyOnPlatform:
		return corev1.EventTypeNormal, portingv1alpha1.ReasonActive,
			"Activated a number already on the platform"
	default:
		return corev1.EventTypeNormal, portingv1alpha1.ReasonActive,
			"Activated the number at its port date"
	}
}

// activationRetry is the longest wait before retrying a due activation that
// failed transiently. Every second a ported number stays inactive its calls
// go unanswered, and a platform call is not billed like a lookup, so a due
// activation follows a short provider hint and otherwise retries this often,
// rather than backing off for minutes.
const activationRetry = 5 * time.Second

// activationFailed records a failed activation and returns when to retry.
func (r *Reconciler) activationFailed(st *state, err error) time.Time {
	if !isTransient(err) {
		return r.platformFailed(st, "activate the number", err)
	}
	st.ready = readiness{reason: portingv1alpha1.ReasonProviderUnavailable,
		message: fmt.Sprintf("The platform failed to activate the number: %v; retrying", err)}
	wait := activationRetry
	if hint := provider.RetryAfter(err); hint > 0 && hint < wait {
		wait = hint
	}
	return st.now.Add(wait)
}

// platformFailed records a failed platform call and returns when to retry:
// transient failures back off, permanent ones wait for a change.
func (r *Reconciler) platformFailed(st *state, action string, err error) time.Time {
	msg := fmt.Sprintf("The platform failed to %s: %v", action, err)
	if isTransient(err) {
		st.ready = readiness{reason: portingv1alpha1.ReasonProviderUnavailable,
			message: msg + "; retrying"}
		return st.now.Add(r.backoffFor(client.ObjectKeyFromObject(st.pn), err))
	}
	st.warnOnce(portingv1alpha1.ConditionStalled, portingv1alpha1.ReasonProviderRefused,
		"Configure", msg)
	st.block(portingv1alpha1.ReasonProviderRefused, msg+". Fix the spec; the call is "+
		"retried when it changes")
	return time.Time{}
}

// reportedPorted reports whether the number's order says it was ported,
// which settles activation even when no port date was ever seen.
func reportedPorted(pr *portingv1alpha1.PortRequest, number string) bool {
	for _, n := range pr.Status.Numbers {
		if n.Number == number {
			return n.State == portingv1alpha1.NumberPortPorted
		}
	}
	return false
}

// earliest returns the earliest non-zero time, or zero when all are zero.
func earliest(times ...time.Time) time.Time {
	var out time.Time
	for _, t := range times {
		if !t.IsZero() && (out.IsZero() || t.Before(out)) {
			out = t
		}
	}
	return out
}
