package portrequest

import (
	"context"
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
	"github.com/numberport/numberport/internal/provider"
)

// follow reads a submitted order back from the provider, sends a correction
// when a rejected order's inputs changed, and records what it found.
func (r *Reconciler) follow(ctx context.Context, st *state, in *inputs) (time.Duration, error) {
	order, err := r.Porting.GetOrder(ctx, st.status.OrderID)
	if provider.IsNotFound(err) {
		r.orderLost(st)
		return 0, nil
	}
	if err != nil {
		return r.providerFailed(st, "return order "+st.status.OrderID, err), nil
	}
	r.backoff.Delete(client.ObjectKeyFromObject(st.pr))

	if order.State == provider.OrderRejected {
		corrected, retry, err := r.correct(ctx, st, in, order)
		if err != nil || retry > 0 {
			return retry, err
		}
		order = corrected
	}
	return r.applyOrder(st, order), nil
}

// correct sends the order again when the spec or a referenced Secret changed
// since the last submission. It returns the order as the provider now has it.
func (r *Reconciler) correct(ctx context.Context, st *state, in *inputs,
	order provider.Order) (provider.Order, time.Duration, error) {
	if p, err := r.readRequest(ctx, st.pr, in); err != nil {
		return order, 0, err
	} else if p != nil {
		st.invalid(*p)
		return order, r.Poll.NearPortDate, nil
	}
	if in.hash() == st.status.InputsHash {
		return order, 0, nil
	}

	corrected, err := r.Porting.CorrectOrder(ctx, order.ID, *in.request)
	if err != nil {
		return order, r.providerFailed(st, "take the correction", err), nil
	}
	st.status.Corrections++
	st.status.InputsHash = in.hash()
	msg := fmt.Sprintf("Sent correction %d of order %s for the %s rejection",
		st.status.Corrections, order.ID, order.Rejection.Code)
	st.event(corev1.EventTypeNormal, portingv1alpha1.ReasonCorrectionSent, "Correct", msg)
	log.FromContext(ctx).Info("Sent a correction", "orderID", order.ID,
		"rejection", order.Rejection.Code, "corrections", st.status.Corrections)
	return corrected, 0, nil
}

// applyOrder records the provider's view of the order and returns when to
// read it again.
func (r *Reconciler) applyOrder(st *state, order provider.Order) time.Duration {
	st.status.Numbers = numberStatuses(order.Numbers, order.State == provider.OrderConfirmed)
	st.status.NumberCount = int32(len(st.status.Numbers))
	if order.State != provider.OrderRejected {
		st.status.Rejection = nil
	}

	switch order.State {
	case provider.OrderRejected:
		return r.applyRejection(st, order)
	case provider.OrderConfirmed:
		return r.applyConfirmed(st, order)
	case provider.OrderPorted:
		r.applyPorted(st, order)
		return r.messagingPoll(st)
	case provider.OrderCancelled:
		r.applyCancelled(st, order)
		return 0
	case provider.OrderCancelPending:
		return r.Poll.NearPortDate
	default:
		st.status.Phase = portingv1alpha1.PortRequestSubmitted
		st.cond.False(portingv1alpha1.ConditionPortDateConfirmed,
			portingv1alpha1.ReasonAwaitingPortDate,
			"The losing carrier has not confirmed a port date yet")
		return r.Poll.Order
	}
}

func (r *Reconciler) applyRejection(st *state, order provider.Order) time.Duration {
	rej := order.Rejection
	if rej == nil {
		rej = &provider.Rejection{Code: provider.RejectionOther, Since: st.now}
	}
	field, fix := rejectionFix(rej.Code, st.pr)
	message := fmt.Sprintf("The losing carrier rejected order %s (%s", order.ID, rej.Code)
	if rej.ProviderCode != "" {
		message += ", provider code " + rej.ProviderCode
	}
	message += ")"
	if m := strings.TrimRight(rej.Message, ". "); m != "" {
		message += ": " + m
	}
	message += ". " + fix
	if !rej.CancellationDeadline.IsZero() {
		message += fmt.Sprintf(". The provider cancels the order if it is not corrected by %s",
			rej.CancellationDeadline.UTC().Format(time.RFC3339))
	}

	since := rej.Since
	if since.IsZero() {
		since = st.now
	}
	if prev := st.original.Rejection; prev != nil && prev.Code == string(rej.Code) {
		since = prev.Since.Time
	}
	st.status.Phase = portingv1alpha1.PortRequestActionRequired
	st.status.Rejection = &portingv1alpha1.Rejection{
		Code:    string(rej.Code),
		Field:   field,
		Message: message,
		Since:   *timePtr(since),
	}
	if !rej.CancellationDeadline.IsZero() {
		st.status.Rejection.CancellationDeadline = timePtr(rej.CancellationDeadline)
	}
	st.block(problem{reason: string(rej.Code), message: message})

	// Secrets are not watched: look again for a fixed one, and at the
	// deadline for the provider's cancellation.
	next := r.Poll.Order
	if d := rej.CancellationDeadline.Sub(st.now); d > 0 && d < next {
		next = d
	}
	return next
}

func (r *Reconciler) applyConfirmed(st *state, order provider.Order) time.Duration {
	portDate := order.PortDate.UTC()
	prev := st.original.PortDate
	st.status.Phase = portingv1alpha1.PortRequestScheduled
	st.status.PortDate = timePtr(portDate)
	st.status.EstimatedPortWindow = nil

	when := portDate.Format(time.RFC3339)
	switch {
	case prev == nil:
		st.cond.True(portingv1alpha1.ConditionPortDateConfirmed,
			portingv1alpha1.ReasonPortDateConfirmed, "The numbers move at "+when)
		st.event(corev1.EventTypeNormal, portingv1alpha1.ReasonPortDateConfirmed, "Schedule",
			"The losing carrier confirmed the port date "+when)
	case !prev.Time.Equal(st.status.PortDate.Time):
		msg := fmt.Sprintf("The port date moved from %s to %s",
			prev.UTC().Format(time.RFC3339), when)
		st.cond.True(portingv1alpha1.ConditionPortDateConfirmed,
			portingv1alpha1.ReasonPortDateMoved, msg)
		st.event(corev1.EventTypeWarning, portingv1alpha1.ReasonPortDateMoved, "Schedule", msg)
	}

	until := portDate.Sub(st.now)
	if until <= 0 {
		return r.Poll.NearPortDate
	}
	return min(r.Poll.Order, until)
}

func (r *Reconciler) applyPorted(st *state, order provider.Order) {
	// An order can go from submitted to ported between two polls, when
	// polls fall behind or the provider was unreachable; its numbers still
	// need the port date to activate on.
	if !order.PortDate.IsZero() {
		st.status.PortDate = timePtr(order.PortDate.UTC())
	}
	st.status.EstimatedPortWindow = nil
	var notPorted int
	for _, n := range st.status.Numbers {
		if n.State != portingv1alpha1.NumberPortPorted {
			notPorted++
		}
	}
	phase, reason := portingv1alpha1.PortRequestCompleted, portingv1alpha1.ReasonCompleted
	msg := "Every number was ported"
	if len(st.status.Numbers) > 1 {
		msg = fmt.Sprintf("All %d numbers were ported", len(st.status.Numbers))
	}
	if notPorted > 0 {
		phase, reason = portingv1alpha1.PortRequestPartiallyCompleted,
			portingv1alpha1.ReasonPartiallyCompleted
		msg = fmt.Sprintf("%d of %d numbers were ported; the others could not be, see "+
			"status.numbers. Port them with a new PortRequest once the losing carrier allows it",
			len(st.status.Numbers)-notPorted, len(st.status.Numbers))
	}
	if st.status.Phase != phase {
		eventType := corev1.EventTypeNormal
		if notPorted > 0 {
			eventType = corev1.EventTypeWarning
		}
		st.event(eventType, reason, "Complete", msg)
		st.remindLosingAccount()
	}
	st.status.Phase = phase
	if st.status.CompletedAt == nil {
		st.status.CompletedAt = timePtr(st.now)
	}
}

func (r *Reconciler) applyCancelled(st *state, order provider.Order) {
	reason := portingv1alpha1.ReasonCancelled
	msg := fmt.Sprintf("Order %s was cancelled. Create a new PortRequest to port the numbers",
		order.ID)
	if order.CancelledByProvider {
		reason = portingv1alpha1.ReasonCancelledByProvider
		msg = fmt.Sprintf("The provider cancelled order %s, usually because a rejection was "+
			"not corrected in time. Create a new PortRequest to port the numbers", order.ID)
	}
	st.status.Phase = portingv1alpha1.PortRequestCancelled
	st.status.EstimatedPortWindow = nil
	if st.status.CompletedAt == nil {
		st.status.CompletedAt = timePtr(st.now)
	}
	st.block(problem{reason: reason, message: msg})
}

// orderLost fails a PortRequest whose recorded order the provider no longer
// knows: submitting again could port the numbers twice, so a person decides.
func (r *Reconciler) orderLost(st *state) {
	msg := fmt.Sprintf("The provider no longer knows order %s. Check with the provider "+
		"whether the port goes ahead; to start over, delete this PortRequest and create a "+
		"new one", st.status.OrderID)
	st.status.Phase = portingv1alpha1.PortRequestFailed
	st.status.EstimatedPortWindow = nil
	if st.status.CompletedAt == nil {
		st.status.CompletedAt = timePtr(st.now)
	}
	st.block(problem{reason: portingv1alpha1.ReasonOrderLost, message: msg})
}

// followCompleted keeps reading a ported order while messaging routes are
// still moving, and keeps the conditions of a finished order in place.
func (r *Reconciler) followCompleted(ctx context.Context, st *state) (time.Duration, error) {
	switch st.status.Phase {
	case portingv1alpha1.PortRequestCancelled, portingv1alpha1.PortRequestFailed:
		if c := meta.FindStatusCondition(st.original.Conditions,
			portingv1alpha1.ConditionStalled); c != nil {
			st.block(problem{reason: c.Reason, message: c.Message})
		}
		return 0, nil
	}
	if r.messagingPoll(st) == 0 {
		return 0, nil
	}
	order, err := r.Porting.GetOrder(ctx, st.status.OrderID)
	if err != nil {
		return r.providerFailed(st, "return order "+st.status.OrderID, err), nil
	}
	st.status.Numbers = numberStatuses(order.Numbers, false)
	return r.messagingPoll(st), nil
}

// messagingPoll returns when to read a ported order again for its messaging
// routes: soon while some are pending, never once all moved or the
// follow-up period is over.
func (r *Reconciler) messagingPoll(st *state) time.Duration {
	for _, n := range st.status.Numbers {
		if n.State == portingv1alpha1.NumberPortPorted && !n.MessagingPorted {
			if c := st.status.CompletedAt; c != nil &&
				st.now.Sub(c.Time) > r.Poll.MessagingFollowUp {
				return 0
			}
			return r.Poll.NearPortDate
		}
	}
	return 0
}

// remindLosingAccount asks the user to check with the losing carrier that the
// numbers left the account: nothing the operator can see proves it, and a
// forgotten account keeps billing.
func (st *state) remindLosingAccount() {
	msg := fmt.Sprintf("Confirm with %s that the ported numbers left the account and that "+
		"billing for them stopped", st.pr.Spec.LosingCarrier.Name)
	st.cond.Unknown(portingv1alpha1.ConditionLosingAccountVerified,
		portingv1alpha1.ReasonVerifyWithLosingCarrier, msg)
	st.event(corev1.EventTypeNormal, portingv1alpha1.ReasonVerifyWithLosingCarrier, "Remind", msg)
}

// numberStatuses maps the provider's per-number states. A pending number of
// an order with a confirmed port date is shown as Scheduled.
func numberStatuses(in []provider.NumberState,
	confirmed bool) []portingv1alpha1.NumberPortStatus {
	out := make([]portingv1alpha1.NumberPortStatus, 0, len(in))
	for _, n := range in {
		state := numberPortState(n.State)
		if confirmed && state == portingv1alpha1.NumberPortPending {
			state = portingv1alpha1.NumberPortScheduled
		}
		out = append(out, portingv1alpha1.NumberPortStatus{
			Number:          n.Number,
			State:           state,
			Reason:          n.Reason,
			MessagingPorted: n.Messaging == provider.MessagingPorted,
		})
	}
	return out
}

func numberPortState(s provider.NumberPortState) portingv1alpha1.NumberPortState {
	switch s {
	case provider.NumberPorted:
		return portingv1alpha1.NumberPortPorted
	case provider.NumberNotPortable:
		return portingv1alpha1.NumberPortNotPortable
	case provider.NumberCancelled:
		return portingv1alpha1.NumberPortCancelled
	default:
		return portingv1alpha1.NumberPortPending
	}
}

// rejectionFix names the field behind a rejection and how to fix it.
func rejectionFix(code provider.RejectionCode, pr *portingv1alpha1.PortRequest) (string, string) {
	switch code {
	case provider.RejectionInvalidPIN:
		ref := pr.Spec.LosingCarrier.PINSecretRef
		if ref == nil {
			return "spec.losingCarrier.pinSecretRef", "The losing carrier requires a PIN: store " +
				"it in a Secret and set spec.losingCarrier.pinSecretRef"
		}
		return "spec.losingCarrier.pinSecretRef", fmt.Sprintf("Put the PIN the losing carrier "+
			"has on record in Secret %q, key %q; the correction is sent when it changes",
			ref.Name, ref.Key)
	case provider.RejectionPostalCodeMismatch:
		return "spec.subscriber.serviceAddress.postalCode", "Set " +
			"spec.subscriber.serviceAddress.postalCode to the postal code on the losing " +
			"carrier's record"
	case provider.RejectionUnauthorizedRequester:
		return "spec.subscriber.authorizedPerson", "Set spec.subscriber.authorizedPerson to a " +
			"person the losing carrier lists as authorised on the account, and have them sign " +
			"the letter of authorization"
	case provider.RejectionAccountNumberMismatch:
		return "spec.losingCarrier.accountNumber", "Set spec.losingCarrier.accountNumber to the " +
			"account number printed on the losing carrier's invoice"
	case provider.RejectionSubscriberMismatch:
		return "spec.subscriber.name", "Set spec.subscriber.name exactly as on the losing " +
			"carrier's invoice"
	case provider.RejectionBTNMismatch:
		return "spec.losingCarrier.billingTelephoneNumber", "Set " +
			"spec.losingCarrier.billingTelephoneNumber to the account's billing number on " +
			"the losing carrier's invoice"
	default:
		return "", "Compare the spec with the losing carrier's customer service record and " +
			"correct what differs"
	}
}
