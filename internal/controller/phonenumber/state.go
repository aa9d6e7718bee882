package phonenumber

import (
	"context"
	"errors"
	"fmt"
	"strings"
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
	"github.com/numberport/numberport/internal/numbers"
)

// errConflict means the object changed since it was read; the reconcile is
// repeated with the new version.
var errConflict = errors.New("PhoneNumber changed while it was reconciled")

// conflictRetry is how soon a reconcile that lost a write conflict runs
// again, with the object's new version in the cache by then.
const conflictRetry = time.Second

// state is one reconcile's view of a PhoneNumber: the object as read, the
// status being built, and the events that describe the change.
type state struct {
	pn       *portingv1alpha1.PhoneNumber
	status   *portingv1alpha1.PhoneNumberStatus
	original *portingv1alpha1.PhoneNumberStatus
	now      time.Time
	cond     condition.Setter

	// ready is the Ready condition the steps arrived at.
	ready readiness
	// stalled is set when a person must act.
	stalled bool

	events pending.Events
	// written runs once the status write succeeded: metrics and logs of a
	// change count it once, even when a reconcile on a stale copy of the
	// object repeats it and then loses the write.
	written []func()
}

type readiness struct {
	ok      bool
	reason  string
	message string
}

func newState(pn *portingv1alpha1.PhoneNumber, now time.Time) *state {
	return &state{
		pn:       pn,
		status:   &pn.Status,
		original: pn.Status.DeepCopy(),
		now:      now,
		cond: condition.Setter{
			Conditions: &pn.Status.Conditions,
			Generation: pn.Generation,
			Now:        now,
		},
		ready: readiness{reason: portingv1alpha1.ReasonAwaitingPortDate,
			message: "Waiting for the port date"},
	}
}

func (st *state) event(eventType, reason, action, note string) {
	st.events.Add(eventType, reason, action, note)
}

// warnOnce emits a Warning event unless the status as read already carried
// the same condition reason, so that a problem is announced once.
func (st *state) warnOnce(condType, reason, action, note string) {
	if condition.Reason(st.original.Conditions, condType) != reason {
		st.event(corev1.EventTypeWarning, reason, action, note)
	}
}

// waiting records that the number waits for something outside it.
func (st *state) waiting(reason, message string) {
	st.status.Phase = portingv1alpha1.PhoneNumberPending
	st.ready = readiness{reason: reason, message: message}
}

// block records something a person must fix.
func (st *state) block(reason, message string) {
	st.ready = readiness{reason: reason, message: message}
	st.stalled = true
}

// conflict records that another PhoneNumber owns the number.
func (st *state) conflict(other string) {
	// An owner in another namespace is not named: its namespace may belong
	// to someone else.
	owner := "PhoneNumber " + other
	if !strings.HasPrefix(other, st.pn.Namespace+"/") {
		owner = "A PhoneNumber in another namespace"
	}
	msg := fmt.Sprintf("%s already declares %s; this one is ignored. Delete one of them",
		owner, numbers.Mask(st.pn.Spec.Number))
	st.warnOnce(portingv1alpha1.ConditionStalled, portingv1alpha1.ReasonNumberConflict,
		"Reconcile", msg)
	st.block(portingv1alpha1.ReasonNumberConflict, msg)
}

// failed records that the number will not be ported.
func (st *state) failed(message string) {
	st.status.Phase = portingv1alpha1.PhoneNumberFailed
	st.cond.False(portingv1alpha1.ConditionPorted, portingv1alpha1.ReasonPortFailed, message)
	st.warnOnce(portingv1alpha1.ConditionStalled, portingv1alpha1.ReasonPortFailed, "Port",
		message)
	st.block(portingv1alpha1.ReasonPortFailed, message)
}

// summarize sets Ready and Stalled from what the steps found, once, at the
// end of the reconcile.
func (st *state) summarize() {
	r := st.ready
	if st.stalled {
		st.cond.True(portingv1alpha1.ConditionStalled, r.reason, r.message)
	} else {
		st.cond.Remove(portingv1alpha1.ConditionStalled)
	}
	if r.ok {
		st.cond.True(portingv1alpha1.ConditionReady, r.reason, r.message)
	} else {
		st.cond.False(portingv1alpha1.ConditionReady, r.reason, r.message)
	}
}

// write stores the status when it differs from what was read.
func (st *state) write(ctx context.Context, c client.Client) error {
	st.summarize()
	st.status.ObservedGeneration = st.pn.Generation
	if st.status.Phase == "" {
		st.status.Phase = portingv1alpha1.PhoneNumberPending
	}
	if equality.Semantic.DeepEqual(st.original, st.status) {
		return nil
	}
	if err := c.Status().Update(ctx, st.pn); err != nil {
		if apierrors.IsConflict(err) {
			return errConflict
		}
		return fmt.Errorf("writing PhoneNumber status: %w", err)
	}
	st.original = st.status.DeepCopy()
	return nil
}

// afterWrite runs fn once the status is written.
func (st *state) afterWrite(fn func()) {
	st.written = append(st.written, fn)
}

// emit sends the events collected since the last emit, and runs what waited
// for the status write.
func (st *state) emit(rec events.EventRecorder) {
	st.events.Emit(rec, st.pn)
	for _, fn := range st.written {
		fn()
	}
	st.written = nil
}

func timePtr(t time.Time) *metav1.Time {
	mt := metav1.NewTime(t.Truncate(time.Second))
	return &mt
}
