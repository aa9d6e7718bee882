package phonenumber

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
	"github.com/numberport/numberport/internal/metrics"
	"github.com/numberport/numberport/internal/numbers"
	"github.com/numberport/numberport/internal/provider"
	"github.com/numberport/numberport/internal/schedule"
)

// reconcileActive keeps an active number's call flow in line with the spec
// and follows its messaging route. It returns when to look again.
func (r *Reconciler) reconcileActive(ctx context.Context, st *state,
	pr *portingv1alpha1.PortRequest) (time.Time, error) {
	st.status.Phase = portingv1alpha1.PhoneNumberActive
	st.cond.True(portingv1alpha1.ConditionPorted, portingv1alpha1.ReasonActive,
		"The number routes to the platform since "+st.status.ActivatedAt.UTC().Format(time.RFC3339))

	retry := r.syncCallFlow(ctx, st)
	next, err := r.followMessaging(ctx, st, pr)
	if err != nil {
		return time.Time{}, err
	}
	return earliest(retry, next), nil
}

// syncCallFlow applies a call flow changed after activation, and flags a
// live number without one: callers would hear nothing.
func (r *Reconciler) syncCallFlow(ctx context.Context, st *state) time.Time {
	callFlow := st.pn.Spec.CallFlow
	if callFlow == "" {
		msg := "The number is live on the platform without a call flow: calls to it are " +
			"not answered. Set spec.callFlow now"
		st.warnOnce(portingv1alpha1.ConditionStalled, portingv1alpha1.ReasonActiveWithoutCallFlow,
			"Activate", msg)
		st.cond.False(portingv1alpha1.ConditionCallFlowConfigured,
			portingv1alpha1.ReasonActiveWithoutCallFlow, msg)
		st.block(portingv1alpha1.ReasonActiveWithoutCallFlow, msg)
		return time.Time{}
	}
	if st.status.StagedCallFlow != callFlow {
		if err := r.Numbers.StageCallFlow(ctx, st.pn.Spec.Number, callFlow); err != nil {
			return r.platformFailed(st, "attach the call flow", err)
		}
		if err := r.Numbers.Activate(ctx, st.pn.Spec.Number); err != nil {
			return r.platformFailed(st, "activate the call flow", err)
		}
		st.event(corev1.EventTypeNormal, portingv1alpha1.ReasonActive, "Configure",
			"Call flow "+callFlow+" is live")
		st.status.StagedCallFlow = callFlow
	}
	msg := fmt.Sprintf("Call flow %s answers the number", callFlow)
	st.cond.True(portingv1alpha1.ConditionCallFlowConfigured, portingv1alpha1.ReasonActive, msg)
	st.ready = readiness{ok: true, reason: portingv1alpha1.ReasonActive, message: msg}
	return time.Time{}
}

// followMessaging reports whether texts reach the platform yet. The route is
// expected within three business days of activation and reported delayed
// after that.
func (r *Reconciler) followMessaging(ctx context.Context, st *state,
	pr *portingv1alpha1.PortRequest) (time.Time, error) {
	if st.pn.Spec.Messaging == nil || !st.pn.Spec.Messaging.Enabled {
		st.status.Messaging = nil
		st.cond.Remove(portingv1alpha1.ConditionMessagingReady)
		return time.Time{}, nil
	}

	ported, err := r.messagingPorted(ctx, st, pr)
	if err != nil {
		return time.Time{}, err
	}
	activated := st.status.ActivatedAt.Time
	expectedBy := schedule.MessagingDeadline(activated, numbers.Region(st.pn.Spec.Number))
	ms := &portingv1alpha1.MessagingStatus{ExpectedBy: timePtr(expectedBy)}
	if prev := st.original.Messaging; prev != nil && prev.ReadyAt != nil {
		ms.ReadyAt = prev.ReadyAt
	}

	switch {
	case ported:
		ms.State = portingv1alpha1.MessagingReady
		if ms.ReadyAt == nil {
			ms.ReadyAt = timePtr(st.now)
			delay := st.now.Sub(activated)
			st.afterWrite(func() { metrics.ObserveMessagingReady(delay) })
			st.event(corev1.EventTypeNormal, portingv1alpha1.ReasonMessagingReady, "Message",
				"Texts reach the platform")
		}
		st.cond.True(portingv1alpha1.ConditionMessagingReady,
			portingv1alpha1.ReasonMessagingReady, "Texts reach the platform")
		st.status.Messaging = ms
		return time.Time{}, nil
	case st.now.Before(expectedBy):
		ms.State = portingv1alpha1.MessagingPending
		st.cond.False(portingv1alpha1.ConditionMessagingReady,
			portingv1alpha1.ReasonMessagingPending, "Waiting for the losing carrier to "+
				"release the messaging route, expected by "+expectedBy.UTC().Format(time.RFC3339))
		st.status.Messaging = ms
		return expectedBy, nil
	default:
		ms.State = portingv1alpha1.MessagingDelayed
		if prev := st.original.Messaging; prev == nil ||
			prev.State != portingv1alpha1.MessagingDelayed {
			st.afterWrite(metrics.ObserveMessagingDelayed)
		}
		msg := "The messaging route is later than three business days after activation " +
			"(expected by " + expectedBy.UTC().Format(time.RFC3339) + "). Ask the provider to " +
			"escalate the messaging port with the losing carrier"
		st.warnOnce(portingv1alpha1.ConditionMessagingReady,
			portingv1alpha1.ReasonMessagingDelayed, "Message", msg)
		st.cond.False(portingv1alpha1.ConditionMessagingReady,
			portingv1alpha1.ReasonMessagingDelayed, msg)
		st.status.Messaging = ms
		return time.Time{}, nil
	}
}

// messagingPorted reads from the number's PortRequest whether its messaging
// route moved. A number that needed no port has its route already.
func (r *Reconciler) messagingPorted(ctx context.Context, st *state,
	pr *portingv1alpha1.PortRequest) (bool, error) {
	ref := st.pn.Spec.PortRequestRef
	if ref == nil {
		return true, nil
	}
	if pr == nil {
		pr = &portingv1alpha1.PortRequest{}
		key := types.NamespacedName{Namespace: st.pn.Namespace, Name: ref.Name}
		if err := r.Client.Get(ctx, key, pr); err != nil {
			return false, client.IgnoreNotFound(err)
		}
	}
	for _, n := range pr.Status.Numbers {
		if n.Number == st.pn.Spec.Number {
			return n.MessagingPorted, nil
		}
	}
	return false, nil
}

func isTransient(err error) bool { return provider.IsTransient(err) }
