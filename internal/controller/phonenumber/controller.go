// Package phonenumber reconciles PhoneNumbers: it stages the call flow on the
// platform once the port date is confirmed, activates it at the port date to
// the second, probes routing to catch an unannounced early transfer, and
// follows the messaging route after activation.
package phonenumber

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
	"github.com/numberport/numberport/internal/numbers"
	"github.com/numberport/numberport/internal/provider"
	"github.com/numberport/numberport/internal/schedule"
	"github.com/numberport/numberport/internal/wakeup"
)

// Finalizer holds a PhoneNumber with deletionPolicy Release until the
// number is released on the platform.
const Finalizer = "porting.numberport.io/release-number"

// Index names of the fields PhoneNumbers are looked up by.
const (
	numberIndex      = "porting.numberport.io/spec.number"
	portRequestIndex = "porting.numberport.io/spec.portRequestRef"
)

// Reconciler reconciles PhoneNumbers.
type Reconciler struct {
	// Client reads from the cache and writes status.
	Client client.Client
	// Numbers configures numbers on the platform.
	Numbers provider.Numbers
	// Routing looks up who routes a number.
	Routing provider.Routing
	// Clock is the source of time for decisions and timestamps.
	Clock clock.Clock
	// Recorder emits Events.
	Recorder events.EventRecorder
	// Wakeups schedules activations, probes and messaging checks.
	Wakeups *wakeup.Scheduler
	// Probes decides when to look up routing.
	Probes schedule.Policy
	// Lookups limits routing lookups across all numbers.
	Lookups *schedule.RateLimiter

	// lastLookup remembers when each number was last looked up. It only
	// spaces lookups out; losing it on a restart costs one early lookup.
	lastLookup sync.Map // types.NamespacedName -> time.Time
	backoff    sync.Map // types.NamespacedName -> int
}

// SetupWithManager registers the controller, its indexes and its watches.
func (r *Reconciler) SetupWithManager(ctx context.Context, mgr ctrl.Manager) error {
	idx := mgr.GetFieldIndexer()
	if err := idx.IndexField(ctx, &portingv1alpha1.PhoneNumber{}, numberIndex,
		func(o client.Object) []string {
			return []string{o.(*portingv1alpha1.PhoneNumber).Spec.Number}
		}); err != nil {
		return fmt.Errorf("indexing PhoneNumbers by number: %w", err)
	}
	if err := idx.IndexField(ctx, &portingv1alpha1.PhoneNumber{}, portRequestIndex,
		func(o client.Object) []string {
			if ref := o.(*portingv1alpha1.PhoneNumber).Spec.PortRequestRef; ref != nil {
				return []string{ref.Name}
			}
			return nil
		}); err != nil {
		return fmt.Errorf("indexing PhoneNumbers by PortRequest: %w", err)
	}

	return ctrl.NewControllerManagedBy(mgr).
		For(&portingv1alpha1.PhoneNumber{},
			builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{},
				predicate.AnnotationChangedPredicate{}))).
		Watches(&portingv1alpha1.PortRequest{},
			handler.EnqueueRequestsFromMapFunc(r.numbersOfPortRequest)).
		WatchesRawSource(r.Wakeups).
		WithOptions(controller.Options{MaxConcurrentReconciles: 8}).
		Named("phonenumber").
		Complete(r)
}

// numbersOfPortRequest maps a PortRequest to the PhoneNumbers it brings in,
// so that a confirmed or moved port date reaches them at once.
func (r *Reconciler) numbersOfPortRequest(ctx context.Context,
	o client.Object) []reconcile.Request {
	list := &portingv1alpha1.PhoneNumberList{}
	if err := r.Client.List(ctx, list, client.InNamespace(o.GetNamespace()),
		client.MatchingFields{portRequestIndex: o.GetName()}); err != nil {
		log.FromContext(ctx).Error(err, "Listing the PhoneNumbers of a PortRequest")
		return nil
	}
	reqs := make([]reconcile.Request, 0, len(list.Items))
	for i := range list.Items {
		reqs = append(reqs, reconcile.Request{
			NamespacedName: client.ObjectKeyFromObject(&list.Items[i]),
		})
	}
	return reqs
}

// +kubebuilder:rbac:groups=porting.numberport.io,resources=phonenumbers,verbs=get;list;watch;patch
// +kubebuilder:rbac:groups=porting.numberport.io,resources=phonenumbers/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=porting.numberport.io,resources=phonenumbers/finalizers,verbs=update
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// Reconcile moves one PhoneNumber one step along its lifecycle.
func (r *Reconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	pn := &portingv1alpha1.PhoneNumber{}
	if err := r.Client.Get(ctx, req.NamespacedName, pn); err != nil {
		if apierrors.IsNotFound(err) {
			r.forget(req.NamespacedName)
			return ctrl.Result{}, nil
		}
		return ctrl.Result{}, fmt.Errorf("reading PhoneNumber: %w", err)
	}
	ctx = log.IntoContext(ctx, log.FromContext(ctx).WithValues(
		"number", numbers.Mask(pn.Spec.Number)))

	if !pn.DeletionTimestamp.IsZero() {
		return r.reconcileDelete(ctx, pn)
	}
	if err := r.syncFinalizer(ctx, pn); errors.Is(err, errConflict) {
		return ctrl.Result{RequeueAfter: conflictRetry}, nil
	} else if err != nil {
		return ctrl.Result{}, err
	}

	st := newState(pn, r.Clock.Now())
	next, err := r.reconcileNumber(ctx, st)
	return r.finish(ctx, st, next, err)
}

// reconcileNumber runs the steps of a number's life and returns the instant
// it wants to look again; zero means only a change wakes it.
func (r *Reconciler) reconcileNumber(ctx context.Context, st *state) (time.Time, error) {
	if other, err := r.declaredElsewhere(ctx, st.pn); err != nil {
		return time.Time{}, err
	} else if other != "" {
		st.conflict(other)
		return time.Time{}, nil
	}
	if st.status.ActivatedAt != nil {
		return r.reconcileActive(ctx, st, nil)
	}

	pr, err := r.portRequest(ctx, st)
	if err != nil || pr == nil {
		return time.Time{}, err
	}
	if !portsNumber(pr, st.pn.Spec.Number) {
		msg := fmt.Sprintf("PortRequest %s does not port %s: add the number to it, or fix "+
			"spec.portRequestRef", pr.Name, numbers.Mask(st.pn.Spec.Number))
		st.warnOnce(portingv1alpha1.ConditionStalled, portingv1alpha1.ReasonNotInPortRequest,
			"Reconcile", msg)
		st.block(portingv1alpha1.ReasonNotInPortRequest, msg)
		return time.Time{}, nil
	}
	if failed, reason := portFailed(pr, st.pn.Spec.Number); failed {
		st.failed(reason)
		return time.Time{}, nil
	}
	return r.reconcilePorting(ctx, st, pr)
}

// finish writes what a reconcile found and schedules the next look.
func (r *Reconciler) finish(ctx context.Context, st *state, next time.Time,
	err error) (ctrl.Result, error) {
	if werr := st.write(ctx, r.Client); werr != nil {
		if errors.Is(werr, errConflict) {
			return ctrl.Result{RequeueAfter: conflictRetry}, nil
		}
		return ctrl.Result{}, werr
	}
	st.emit(r.Recorder)
	if err != nil {
		return ctrl.Result{}, err
	}
	key := client.ObjectKeyFromObject(st.pn)
	if next.IsZero() {
		r.Wakeups.Cancel(key)
	} else {
		r.Wakeups.At(key, next)
	}
	return ctrl.Result{}, nil
}

// forget drops what is kept in memory about a deleted object.
func (r *Reconciler) forget(key types.NamespacedName) {
	r.Wakeups.Cancel(key)
	r.lastLookup.Delete(key)
	r.backoff.Delete(key)
}

// syncFinalizer keeps the finalizer exactly on numbers whose deletion must
// release them on the platform.
func (r *Reconciler) syncFinalizer(ctx context.Context, pn *portingv1alpha1.PhoneNumber) error {
	want := pn.Spec.DeletionPolicy == portingv1alpha1.DeletionPolicyRelease
	if want == controllerutil.ContainsFinalizer(pn, Finalizer) {
		return nil
	}
	patched := pn.DeepCopy()
	if want {
		controllerutil.AddFinalizer(patched, Finalizer)
	} else {
		controllerutil.RemoveFinalizer(patched, Finalizer)
	}
	if err := r.Client.Patch(ctx, patched, client.MergeFromWithOptions(pn,
		client.MergeFromWithOptimisticLock{})); err != nil {
		if apierrors.IsConflict(err) {
			return errConflict
		}
		return fmt.Errorf("updating finalizers: %w", err)
	}
	pn.Finalizers = patched.Finalizers
	pn.ResourceVersion = patched.ResourceVersion
	return nil
}

// declaredElsewhere returns another PhoneNumber that declares the same number
// and takes precedence (the older one, then by name), so that the platform
// configuration has exactly one owner.
func (r *Reconciler) declaredElsewhere(ctx context.Context,
	pn *portingv1alpha1.PhoneNumber) (string, error) {
	list := &portingv1alpha1.PhoneNumberList{}
	if err := r.Client.List(ctx, list,
		client.MatchingFields{numberIndex: pn.Spec.Number}); err != nil {
		return "", fmt.Errorf("looking up PhoneNumbers with the same number: %w", err)
	}
	for i := range list.Items {
		other := &list.Items[i]
		if other.UID == pn.UID || !other.DeletionTimestamp.IsZero() {
			continue
		}
		older := other.CreationTimestamp.Before(&pn.CreationTimestamp)
		tie := other.CreationTimestamp.Equal(&pn.CreationTimestamp) &&
			other.Namespace+"/"+other.Name < pn.Namespace+"/"+pn.Name
		if older || tie {
			return other.Namespace + "/" + other.Name, nil
		}
	}
	return "", nil
}

// portRequest returns the PortRequest that brings the number in. A number
// without one is already on the platform; a missing one leaves the number
// pending until it appears.
func (r *Reconciler) portRequest(ctx context.Context,
	st *state) (*portingv1alpha1.PortRequest, error) {
	ref := st.pn.Spec.PortRequestRef
	if ref == nil {
		return &portingv1alpha1.PortRequest{}, nil
	}
	pr := &portingv1alpha1.PortRequest{}
	key := types.NamespacedName{Namespace: st.pn.Namespace, Name: ref.Name}
	if err := r.Client.Get(ctx, key, pr); err != nil {
		if apierrors.IsNotFound(err) {
			st.waiting(portingv1alpha1.ReasonAwaitingPortRequest, fmt.Sprintf(
				"PortRequest %q does not exist; create it or fix spec.portRequestRef.name",
				ref.Name))
			return nil, nil
		}
		return nil, fmt.Errorf("reading PortRequest %s: %w", key, err)
	}
	return pr, nil
}

// portsNumber reports whether the PortRequest lists the number. A number
// list read from a ConfigMap is known only once the order is submitted; until
// then the number is given the benefit of the doubt. A PhoneNumber without a
// PortRequest needs no port.
//
// Once the order is submitted only its numbers count: a number added to the
// spec afterwards is not in the order and will not move.
func portsNumber(pr *portingv1alpha1.PortRequest, number string) bool {
	if pr.Name == "" {
		return true
	}
	for _, n := range pr.Status.Numbers {
		if n.Number == number {
			return true
		}
	}
	if pr.Status.OrderID != "" {
		return false
	}
	return slices.Contains(pr.Spec.Numbers, number) || pr.Spec.NumbersFrom != nil
}

// portFailed reports whether the number's order ended without porting it.
func portFailed(pr *portingv1alpha1.PortRequest, number string) (bool, string) {
	switch pr.Status.Phase {
	case portingv1alpha1.PortRequestCancelled, portingv1alpha1.PortRequestFailed:
		return true, fmt.Sprintf("PortRequest %s ended %s without porting the number",
			pr.Name, pr.Status.Phase)
	}
	for _, n := range pr.Status.Numbers {
		if n.Number != number {
			continue
		}
		switch n.State {
		case portingv1alpha1.NumberPortNotPortable, portingv1alpha1.NumberPortCancelled:
			msg := fmt.Sprintf("PortRequest %s reports the number %s", pr.Name, n.State)
			if n.Reason != "" {
				msg += ": " + n.Reason
			}
			return true, msg
		}
	}
	return false, ""
}

// backoffFor returns the delay before retrying a platform call that failed
// transiently, and counts the attempt.
func (r *Reconciler) backoffFor(key types.NamespacedName, err error) time.Duration {
	attempt := 0
	if v, ok := r.backoff.Load(key); ok {
		attempt = v.(int)
	}
	r.backoff.Store(key, attempt+1)
	return schedule.Backoff(attempt, provider.RetryAfter(err))
}
