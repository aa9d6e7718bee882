// Package portrequest reconciles PortRequests: it validates an order,
// submits it to the porting provider at most once, follows it by polling,
// sends corrections when a rejection is fixed, and cancels it when the
// PortRequest is deleted in flight.
package portrequest

import (
	"context"
	"errors"
	"fmt"
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
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
	"github.com/numberport/numberport/internal/provider"
	"github.com/numberport/numberport/internal/wakeup"
)

// Finalizer holds a PortRequest until its in-flight order is cancelled.
const Finalizer = "porting.numberport.io/cancel-order"

// PollIntervals say how often an order is read back from the provider. The
// provider's state is the source of truth: pushes, where a provider has them,
// only wake a poll early.
type PollIntervals struct {
	// Order is the interval while the order waits on the losing carrier.
	Order time.Duration
	// NearPortDate is the interval from the port date until the order
	// reports the numbers ported, and while messaging routes are pending.
	NearPortDate time.Duration
	// MessagingFollowUp is how long after completion the order is still
	// read for messaging routes.
	MessagingFollowUp time.Duration
}

// DefaultPollIntervals suit real providers: orders move in days, not
// seconds, and every read counts against a rate limit.
func DefaultPollIntervals() PollIntervals {
	return PollIntervals{
		Order:             10 * time.Minute,
		NearPortDate:      time.Minute,
		MessagingFollowUp: 14 * 24 * time.Hour,
	}
}

// Reconciler reconciles PortRequests.
type Reconciler struct {
	// Client reads PortRequests from the cache and writes status.
	Client client.Client
	// APIReader reads Secrets and ConfigMaps directly from the API server,
	// so that the manager never caches Secrets it has no business with.
	APIReader client.Reader
	// Porting is the provider's order API.
	Porting provider.Porting
	// Clock is the source of time for decisions and timestamps.
	Clock clock.Clock
	// Recorder emits Events.
	Recorder events.EventRecorder
	// Wakeups schedules the next poll.
	Wakeups *wakeup.Scheduler
	// Poll sets the polling intervals.
	Poll PollIntervals

	backoff sync.Map // types.NamespacedName -> int, consecutive transient failures
}

// SetupWithManager registers the controller and the number index it uses to
// find competing orders.
func (r *Reconciler) SetupWithManager(ctx context.Context, mgr ctrl.Manager) error {
	if err := IndexNumbers(ctx, mgr.GetFieldIndexer()); err != nil {
		return err
	}
	return ctrl.NewControllerManagedBy(mgr).
		For(&portingv1alpha1.PortRequest{},
			builder.WithPredicates(predicate.Or(
				predicate.GenerationChangedPredicate{},
				predicate.AnnotationChangedPredicate{},
				deletionPredicate(),
			))).
		WatchesRawSource(r.Wakeups).
		WithOptions(controller.Options{MaxConcurrentReconciles: 4}).
		Named("portrequest").
		Complete(r)
}

// +kubebuilder:rbac:groups=porting.numberport.io,resources=portrequests,verbs=get;list;watch;patch
// +kubebuilder:rbac:groups=porting.numberport.io,resources=portrequests/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=porting.numberport.io,resources=portrequests/finalizers,verbs=update
// +kubebuilder:rbac:groups="",resources=secrets;configmaps,verbs=get
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// Reconcile moves one PortRequest one step along its lifecycle.
//
// The operator reads Secrets and ConfigMaps by name only, never lists or
// watches them, so it cannot enumerate the cluster's Secrets.
func (r *Reconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	pr := &portingv1alpha1.PortRequest{}
	if err := r.Client.Get(ctx, req.NamespacedName, pr); err != nil {
		if apierrors.IsNotFound(err) {
			r.Wakeups.Cancel(req.NamespacedName)
			r.backoff.Delete(req.NamespacedName)
			return ctrl.Result{}, nil
		}
		return ctrl.Result{}, fmt.Errorf("reading PortRequest: %w", err)
	}
	if pr.Status.OrderID != "" {
		ctx = log.IntoContext(ctx, log.FromContext(ctx).WithValues("orderID", pr.Status.OrderID))
	}

	if !pr.DeletionTimestamp.IsZero() {
		return r.reconcileDelete(ctx, pr)
	}

	if !pr.Status.Phase.IsTerminal() && !controllerutil.ContainsFinalizer(pr, Finalizer) {
		if err := r.addFinalizer(ctx, pr); errors.Is(err, errConflict) {
			return ctrl.Result{RequeueAfter: conflictRetry}, nil
		} else if err != nil {
			return ctrl.Result{}, err
		}
	}

	st := newState(pr, r.Clock.Now())
	next, err := r.reconcileOrder(ctx, st)
	return r.finish(ctx, st, next, err)
}

// finish writes what a reconcile found and schedules the next look. A
// conflict means someone else changed the object: the reconcile is simply
// repeated with the new version.
func (r *Reconciler) finish(ctx context.Context, st *state, next time.Duration,
	err error) (ctrl.Result, error) {
	if werr := r.commit(ctx, st); werr != nil {
		if errors.Is(werr, errConflict) {
			return ctrl.Result{RequeueAfter: conflictRetry}, nil
		}
		return ctrl.Result{}, werr
	}
	if errors.Is(err, errConflict) {
		return ctrl.Result{RequeueAfter: conflictRetry}, nil
	}
	if err != nil {
		return ctrl.Result{}, err
	}
	r.schedule(client.ObjectKeyFromObject(st.pr), st.now, next)
	return ctrl.Result{}, nil
}

// addFinalizer makes deletion wait until an in-flight order is cancelled.
func (r *Reconciler) addFinalizer(ctx context.Context, pr *portingv1alpha1.PortRequest) error {
	patched := pr.DeepCopy()
	controllerutil.AddFinalizer(patched, Finalizer)
	if err := r.Client.Patch(ctx, patched, client.MergeFromWithOptions(pr,
		client.MergeFromWithOptimisticLock{})); err != nil {
		if apierrors.IsConflict(err) {
			return errConflict
		}
		return fmt.Errorf("adding finalizer: %w", err)
	}
	pr.Finalizers = patched.Finalizers
	pr.ResourceVersion = patched.ResourceVersion
	return nil
}

// reconcileOrder runs the steps of a PortRequest's life and returns when it
// wants to look again; zero means only a change to the object wakes it.
func (r *Reconciler) reconcileOrder(ctx context.Context, st *state) (time.Duration, error) {
	if st.status.Phase.IsTerminal() {
		return r.followCompleted(ctx, st)
	}

	in, prob, retry, err := r.resolveNumbers(ctx, st.pr)
	if err != nil {
		return 0, err
	}
	if st.status.Phase == "" {
		st.status.Phase = portingv1alpha1.PortRequestPending
	}
	if prob != nil {
		st.invalid(*prob)
		return retry, nil
	}

	if st.status.OrderID == "" {
		st.status.NumberCount = int32(len(in.numbers))
		return r.submit(ctx, st, &in)
	}
	st.checkNumbersUnchanged(in.numbers)
	return r.follow(ctx, st, &in)
}

// schedule sets the next wake-up; a zero delay means none is needed.
func (r *Reconciler) schedule(key types.NamespacedName, now time.Time, next time.Duration) {
	if next <= 0 {
		r.Wakeups.Cancel(key)
		return
	}
	r.Wakeups.At(key, now.Add(next))
}

// commit writes status when it changed and emits the events that describe
// the change. Events go out only after the write succeeds, so that a failed
// write retried later does not repeat them.
func (r *Reconciler) commit(ctx context.Context, st *state) error {
	if err := st.write(ctx, r.Client); err != nil {
		return err
	}
	st.emit(r.Recorder)
	return nil
}

// deletionPredicate lets a deletion through: setting deletionTimestamp does
// not change the generation when finalizers hold the object.
func deletionPredicate() predicate.Predicate {
	return predicate.Funcs{
		UpdateFunc: func(e event.UpdateEvent) bool {
			return !e.ObjectNew.GetDeletionTimestamp().IsZero()
		},
	}
}
