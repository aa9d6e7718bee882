package portrequest

import (
	"context"
	"errors"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/events"
	"sigs.k8s.io/controller-runtime/pkg/client"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
	"github.com/numberport/numberport/internal/controller/condition"
	"github.com/numberport/numberport/internal/controller/pending"
)

// errConflict means the object changed since it was read; the reconcile is
// repeated with the new version.
var errConflict = errors.New("PortRequest changed while it was reconciled")

// conflictRetry is how soon a reconcile that lost a write conflict runs
// again, with the object's new version in the cache by then.
const conflictRetry = time.Second

// state is one reconcile's view of a PortRequest: the object as read, the
// status being built, and the events that describe the change.
type state struct {
	pr       *portingv1alpha1.PortRequest
	status   *portingv1alpha1.PortRequestStatus
	original *portingv1alpha1.PortRequestStatus
	now      time.Time
	cond     condition.Setter

	// blocker is what a person must fix; it becomes Stalled and Ready.
	blocker *problem
	// unavailable is set when the provider answered with a transient error.
	unavailable error

	events pending.Events
}

// problem is something wrong with an order that a person must fix.
type problem struct {
	reason  string
	message string
}

func newState(pr *portingv1alpha1.PortRequest, now time.Time) *state {
	return &state{
		pr:       pr,
		status:   &pr.Status,
		original: pr.Status.DeepCopy(),
		now:      now,
		cond: condition.Setter{
			Conditions: &pr.Status.Conditions,
			Generation: pr.Generation,
			Now:        now,
		},
	}
}

func (st *state) event(eventType, reason, action, note string) {
	st.events.Add(eventType, reason, action, note)
}

// block records what a person must fix before the order can go on.
func (st *state) block(p problem) {
	st.blocker = &p
}

// invalid records a problem with the spec or what it references.
func (st *state) invalid(p problem) {
	st.cond.False(portingv1alpha1.ConditionValidated, p.reason, p.message)
	st.block(p)
}

// stalledBefore reports whether the status as read was stalled for the same
// reason and message, so that a Warning event is emitted once per problem.
func (st *state) stalledBefore(p problem) bool {
	for _, c := range st.original.Conditions {
		if c.Type == portingv1alpha1.ConditionStalled {
			return c.Reason == p.reason && c.Message == p.message
		}
	}
	return false
}

// checkNumbersUnchanged warns when the spec's numbers differ from those of the
// submitted order: a provider cannot add or drop numbers of an order, so the
// order goes on with the numbers it was given, and status keeps reporting
// those.
func (st *state) checkNumbersUnchanged(numbers []string) {
	ordered := map[string]bool{}
	for _, n := range st.status.Numbers {
		ordered[n.Number] = true
	}
	if len(ordered) == 0 {
		return
	}
	added := 0
	for _, n := range numbers {
		if !ordered[n] {
			added++
		}
		delete(ordered, n)
	}
	removed := len(ordered)
	if added == 0 && removed == 0 {
		st.cond.True(portingv1alpha1.ConditionValidated, portingv1alpha1.ReasonValid,
			"The spec and the objects it references are valid")
		return
	}
	msg := fmt.Sprintf("spec.numbers differs from submitted order %s (%d added, %d removed): "+
		"the numbers of a submitted order cannot change. Port added numbers with a new "+
		"PortRequest, and restore spec.numbers to the order's numbers", st.status.OrderID,
		added, removed)
	if condition.Reason(st.original.Conditions, portingv1alpha1.ConditionValidated) !=
		portingv1alpha1.ReasonNumbersChanged {
		st.event(corev1.EventTypeWarning, portingv1alpha1.ReasonNumbersChanged, "Validate", msg)
	}
	st.cond.False(portingv1alpha1.ConditionValidated, portingv1alpha1.ReasonNumbersChanged, msg)
}

// summarize sets Ready and Stalled from what the steps found. They are
// derived once, at the end, so that a condition is never dropped and set
// again within one reconcile (which would move its transition time).
func (st *state) summarize() {
	if st.blocker != nil {
		st.cond.True(portingv1alpha1.ConditionStalled, st.blocker.reason, st.blocker.message)
		st.cond.False(portingv1alpha1.ConditionReady, st.blocker.reason, st.blocker.message)
		if !st.stalledBefore(*st.blocker) {
			st.event(corev1.EventTypeWarning, st.blocker.reason, "Reconcile",
				st.blocker.message)
		}
		return
	}
	st.cond.Remove(portingv1alpha1.ConditionStalled)
	if st.unavailable != nil {
		st.cond.False(portingv1alpha1.ConditionReady, portingv1alpha1.ReasonProviderUnavailable,
			"The provider answered with a transient error; retrying with backoff: "+
				st.unavailable.Error())
		return
	}
	reason, message, ready := st.phaseSummary()
	if ready {
		st.cond.True(portingv1alpha1.ConditionReady, reason, message)
	} else {
		st.cond.False(portingv1alpha1.ConditionReady, reason, message)
	}
}

// phaseSummary explains the phase in one sentence for the Ready condition.
func (st *state) phaseSummary() (reason, message string, ready bool) {
	s := st.status
	switch s.Phase {
	case portingv1alpha1.PortRequestSubmitted:
		msg := "Waiting for the losing carrier to confirm a port date"
		if w := s.EstimatedPortWindow; w != nil {
			msg += fmt.Sprintf(", expected between %s and %s",
				w.Earliest.Format(time.DateOnly), w.Latest.Format(time.DateOnly))
		}
		return portingv1alpha1.ReasonAwaitingPortDate, msg, true
	case portingv1alpha1.PortRequestScheduled:
		return portingv1alpha1.ReasonPortDateConfirmed,
			"The numbers move at " + s.PortDate.UTC().Format(time.RFC3339), true
	case portingv1alpha1.PortRequestCompleted:
		return portingv1alpha1.ReasonCompleted, "Every number was ported", true
	case portingv1alpha1.PortRequestPartiallyCompleted:
		return portingv1alpha1.ReasonPartiallyCompleted,
			"Some numbers could not be ported; see status.numbers", true
	default:
		return portingv1alpha1.ReasonSubmitting, "The order is being submitted", false
	}
}

// write stores the status when it differs from what was read. It uses the
// object's resourceVersion, so a concurrent change makes it fail rather than
// overwrite what another writer saw.
func (st *state) write(ctx context.Context, c client.Client) error {
	st.summarize()
	st.status.ObservedGeneration = st.pr.Generation
	if equality.Semantic.DeepEqual(st.original, st.status) {
		return nil
	}
	if err := c.Status().Update(ctx, st.pr); err != nil {
		if apierrors.IsConflict(err) {
			return errConflict
		}
		return fmt.Errorf("writing PortRequest status: %w", err)
	}
	st.original = st.status.DeepCopy()
	return nil
}

// emit sends the events collected since the last emit.
func (st *state) emit(rec events.EventRecorder) {
	st.events.Emit(rec, st.pr)
}

func timePtr(t time.Time) *metav1.Time {
	mt := metav1.NewTime(t.Truncate(time.Second))
	return &mt
}
