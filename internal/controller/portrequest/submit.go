package portrequest

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
	"github.com/numberport/numberport/internal/numbers"
	"github.com/numberport/numberport/internal/provider"
	"github.com/numberport/numberport/internal/schedule"
	"github.com/numberport/numberport/internal/validation"
)

// Estimated port window after submission, used until a date is confirmed:
// ports in the US and Canada typically take four to six weeks.
const (
	estimatedPortEarliest = 4 * 7 * 24 * time.Hour
	estimatedPortLatest   = 6 * 7 * 24 * time.Hour
)

// submit validates an order that was never sent and sends it, at most once.
// The intent to submit is written to status before the provider is called,
// so that after a crash at any point the next reconcile looks the order up by
// its idempotency key instead of creating another.
func (r *Reconciler) submit(ctx context.Context, st *state, in *inputs) (time.Duration, error) {
	if p, retry := r.validate(ctx, st, in); p != nil {
		st.invalid(*p)
		return retry, nil
	}
	if p, err := r.readRequest(ctx, st.pr, in); err != nil {
		return 0, err
	} else if p != nil {
		st.invalid(*p)
		return r.Poll.NearPortDate, nil
	}
	st.cond.True(portingv1alpha1.ConditionValidated, portingv1alpha1.ReasonValid,
		"The spec and the objects it references are valid")

	if st.status.SubmissionStartedAt == nil {
		st.status.Phase = portingv1alpha1.PortRequestPending
		st.status.SubmissionStartedAt = timePtr(st.now)
		st.cond.False(portingv1alpha1.ConditionSubmitted, portingv1alpha1.ReasonSubmitting,
			"Sending the order to the provider")
		if err := r.commit(ctx, st); err != nil {
			return 0, err
		}
	}

	order, err := r.findOrSubmit(ctx, *in.request)
	if err != nil {
		return r.providerFailed(st, "submit the order", err), nil
	}
	r.backoff.Delete(client.ObjectKeyFromObject(st.pr))
	r.accepted(ctx, st, in, order)
	return r.applyOrder(st, order), nil
}

// validate applies the rules the API server cannot check, and makes sure no
// other PortRequest already ports one of the numbers.
func (r *Reconciler) validate(ctx context.Context, st *state,
	in *inputs) (*problem, time.Duration) {
	if problems := validation.ValidatePortRequest(&st.pr.Spec, in.numbers, st.now); len(
		problems) > 0 {
		reason, message := validation.Summary(problems)
		return &problem{reason: reason, message: message}, 0
	}
	other, number, err := r.claimedElsewhere(ctx, st.pr, in.numbers)
	if err != nil {
		return &problem{reason: portingv1alpha1.ReasonNumberClaimed, message: err.Error()},
			r.Poll.Order
	}
	if other != "" {
		return &problem{
			reason: portingv1alpha1.ReasonNumberClaimed,
			message: fmt.Sprintf("spec.numbers: %s is already being ported by PortRequest %s; "+
				"a number can be in one order only. Remove it from this PortRequest, or delete "+
				"the other one", numbers.Mask(number), other),
		}, r.Poll.Order
	}
	return nil, 0
}

// findOrSubmit returns the order placed under the request's idempotency key,
// placing it if there is none.
func (r *Reconciler) findOrSubmit(ctx context.Context,
	req provider.OrderRequest) (provider.Order, error) {
	order, err := r.Porting.FindOrder(ctx, req.IdempotencyKey)
	if err == nil {
		log.FromContext(ctx).Info("Found the order of an earlier submission", "orderID", order.ID)
		return order, nil
	}
	if !provider.IsNotFound(err) {
		return provider.Order{}, err
	}
	return r.Porting.SubmitOrder(ctx, req)
}

// accepted records an order the provider holds.
func (r *Reconciler) accepted(ctx context.Context, st *state, in *inputs, order provider.Order) {
	submitted := order.SubmittedAt
	if submitted.IsZero() {
		submitted = st.now
	}
	st.status.OrderID = order.ID
	st.status.SubmittedAt = timePtr(submitted)
	st.status.InputsHash = in.hash()
	st.status.EstimatedPortWindow = &portingv1alpha1.PortWindow{
		Earliest: *timePtr(submitted.Add(estimatedPortEarliest)),
		Latest:   *timePtr(submitted.Add(estimatedPortLatest)),
	}
	msg := fmt.Sprintf("The provider accepted order %s for %s", order.ID,
		plural(len(in.numbers), "number"))
	st.cond.True(portingv1alpha1.ConditionSubmitted, portingv1alpha1.ReasonAccepted, msg)
	st.event(corev1.EventTypeNormal, portingv1alpha1.ReasonAccepted, "Submit", msg)
	log.FromContext(ctx).Info("Submitted port order", "orderID", order.ID,
		"numbers", len(in.numbers))
}

// providerFailed records a failed provider call and returns when to retry.
// Transient failures back off; permanent ones wait for the spec to change.
func (r *Reconciler) providerFailed(st *state, action string, err error) time.Duration {
	if provider.IsTransient(err) {
		st.unavailable = err
		attempt := 0
		key := client.ObjectKeyFromObject(st.pr)
		if v, ok := r.backoff.Load(key); ok {
			attempt = v.(int)
		}
		r.backoff.Store(key, attempt+1)
		return schedule.Backoff(attempt, provider.RetryAfter(err))
	}
	st.block(problem{
		reason: portingv1alpha1.ReasonProviderRefused,
		message: fmt.Sprintf("The provider refused to %s: %v. Correct the spec; the request "+
			"is sent again when it changes", action, err),
	})
	return 0
}

// plural spells a count with its noun, such as "1 number" or "3 numbers".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
