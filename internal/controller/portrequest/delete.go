package portrequest

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/log"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
	"github.com/numberport/numberport/internal/provider"
)

// reconcileDelete cancels the order of a PortRequest deleted in flight, then
// lets the deletion finish. When the provider refuses to cancel, the
// PortRequest stays, says why and how to proceed, and is released once the
// order ends on its own.
func (r *Reconciler) reconcileDelete(ctx context.Context,
	pr *portingv1alpha1.PortRequest) (ctrl.Result, error) {
	if !controllerutil.ContainsFinalizer(pr, Finalizer) {
		return ctrl.Result{}, nil
	}

	st := newState(pr, r.Clock.Now())
	if done, next := r.cancelOrder(ctx, st); !done {
		return r.finish(ctx, st, next, nil)
	}

	patched := pr.DeepCopy()
	controllerutil.RemoveFinalizer(patched, Finalizer)
	if err := r.Client.Patch(ctx, patched, client.MergeFrom(pr)); err != nil &&
		!apierrors.IsNotFound(err) {
		return ctrl.Result{}, fmt.Errorf("removing finalizer: %w", err)
	}
	r.Wakeups.Cancel(client.ObjectKeyFromObject(pr))
	r.backoff.Delete(client.ObjectKeyFromObject(pr))
	return ctrl.Result{}, nil
}

// cancelOrder asks the provider to cancel the order, if there is one that has
// not ended. It reports done once nothing is left to cancel.
func (r *Reconciler) cancelOrder(ctx context.Context, st *state) (bool, time.Duration) {
	if st.status.Phase.IsTerminal() {
		return true, 0
	}
	order, found, err := r.currentOrder(ctx, st)
	if err != nil {
		return false, r.providerFailed(st, "find the order to cancel", err)
	}
	if !found || orderEnded(order) {
		return true, 0
	}
	if order.State == provider.OrderCancelPending {
		return false, r.Poll.NearPortDate
	}

	id := order.ID
	order, err = r.Porting.CancelOrder(ctx, id)
	switch {
	case provider.HasCode(err, provider.CodeCancelRefused):
		r.cancelRefused(st, id, err)
		return false, r.Poll.Order
	case err != nil:
		return false, r.providerFailed(st, "cancel order "+id, err)
	}
	log.FromContext(ctx).Info("Cancelled the order of a deleted PortRequest", "orderID", order.ID)
	st.event(corev1.EventTypeNormal, portingv1alpha1.ReasonCancelled, "Cancel",
		fmt.Sprintf("Cancelled order %s because the PortRequest was deleted", order.ID))
	return orderEnded(order), r.Poll.NearPortDate
}

// currentOrder returns the PortRequest's order: by its recorded ID, or by
// its idempotency key when a submission was started but its result never
// recorded.
func (r *Reconciler) currentOrder(ctx context.Context,
	st *state) (provider.Order, bool, error) {
	var order provider.Order
	var err error
	switch {
	case st.status.OrderID != "":
		order, err = r.Porting.GetOrder(ctx, st.status.OrderID)
	case st.status.SubmissionStartedAt != nil:
		order, err = r.Porting.FindOrder(ctx, idempotencyKey(st.pr))
	default:
		return order, false, nil
	}
	if provider.IsNotFound(err) {
		return order, false, nil
	}
	return order, err == nil, err
}

func (r *Reconciler) cancelRefused(st *state, orderID string, err error) {
	msg := fmt.Sprintf("The provider refused to cancel order %s (%v), usually because the "+
		"port date is too close. The port goes ahead; the PortRequest is removed once it "+
		"ends. To remove it now without cancelling, delete the finalizer %s",
		orderID, err, Finalizer)
	st.block(problem{reason: portingv1alpha1.ReasonCancelRefused, message: msg})
}

func orderEnded(o provider.Order) bool {
	return o.State == provider.OrderPorted || o.State == provider.OrderCancelled
}
