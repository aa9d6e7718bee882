package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
	"sigs.k8s.io/controller-runtime/pkg/client"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
)

// record is what the harness keeps of one object's status as it changes.
type record struct {
	phase string
	// seen holds the instant the harness first saw each phase: the write
	// plus its delivery over a watch, an upper bound of when it happened.
	seen        map[string]time.Time
	portDate    time.Time
	activatedAt time.Time
	trigger     string
	// updates counts the changes after creation: status writes, for
	// objects whose spec nobody edits.
	updates int
	// settled is true once nothing is left to happen: an active number with
	// texting ready, or a completed order whose texting moved everywhere.
	settled bool
}

// tracker follows the status of PhoneNumbers or PortRequests in one
// namespace through a watch.
type tracker struct {
	mu      sync.Mutex
	recs    map[string]*record
	changed chan struct{}
	cancel  context.CancelFunc
	done    chan struct{}
	err     error
}

// trackPhoneNumbers follows the PhoneNumbers of ns from now on.
func trackPhoneNumbers(ctx context.Context, c client.WithWatch, ns string) (*tracker, error) {
	return track(ctx, c, &portingv1alpha1.PhoneNumberList{}, ns, func(o client.Object,
		r *record) {
		pn := o.(*portingv1alpha1.PhoneNumber)
		r.phase = string(pn.Status.Phase)
		r.portDate = timeOf(pn.Status.PortDate)
		r.activatedAt = timeOf(pn.Status.ActivatedAt)
		r.trigger = string(pn.Status.ActivationTrigger)
		r.settled = pn.Status.Phase == portingv1alpha1.PhoneNumberActive &&
			(pn.Status.Messaging == nil ||
				pn.Status.Messaging.State == portingv1alpha1.MessagingReady)
	})
}

// trackPortRequests follows the PortRequests of ns from now on.
func trackPortRequests(ctx context.Context, c client.WithWatch, ns string) (*tracker, error) {
	return track(ctx, c, &portingv1alpha1.PortRequestList{}, ns, func(o client.Object,
		r *record) {
		pr := o.(*portingv1alpha1.PortRequest)
		r.phase = string(pr.Status.Phase)
		r.portDate = timeOf(pr.Status.PortDate)
		texting := len(pr.Status.Numbers) > 0
		for _, n := range pr.Status.Numbers {
			texting = texting && n.MessagingPorted
		}
		r.settled = pr.Status.Phase == portingv1alpha1.PortRequestCompleted && texting
	})
}

func track(ctx context.Context, c client.WithWatch, list client.ObjectList, ns string,
	read func(client.Object, *record)) (*tracker, error) {
	rv, err := currentVersion(ctx, c, list, client.InNamespace(ns))
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	t := &tracker{recs: map[string]*record{}, changed: make(chan struct{}, 1), cancel: cancel,
		done: make(chan struct{})}
	go func() {
		defer close(t.done)
		err := watchFrom(ctx, c, list, rv, func(typ watch.EventType, o client.Object,
			at time.Time) {
			t.mu.Lock()
			defer t.mu.Unlock()
			if typ == watch.Deleted {
				delete(t.recs, o.GetName())
				return
			}
			r := t.recs[o.GetName()]
			if r == nil {
				r = &record{seen: map[string]time.Time{}}
				t.recs[o.GetName()] = r
			}
			read(o, r)
			if typ == watch.Modified {
				r.updates++
			}
			if _, ok := r.seen[r.phase]; !ok && r.phase != "" {
				r.seen[r.phase] = at
			}
			select {
			case t.changed <- struct{}{}:
			default:
			}
		}, client.InNamespace(ns))
		t.mu.Lock()
		t.err = err
		t.mu.Unlock()
	}()
	return t, nil
}

// stop ends the watch.
func (t *tracker) stop() {
	t.cancel()
	<-t.done
}

// count returns how many objects satisfy pred.
func (t *tracker) count(pred func(*record) bool) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, r := range t.recs {
		if pred(r) {
			n++
		}
	}
	return n
}

// each calls f for every object under the tracker's lock.
func (t *tracker) each(f func(name string, r *record)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for name, r := range t.recs {
		f(name, r)
	}
}

// stallAfter is how long waitFor lets the count stand still before it
// gives up: the manager has then stopped making progress.
const stallAfter = 3 * time.Minute

// waitFor waits until at least n objects satisfy pred, and reports progress
// through logf now and then. It fails early when the count stops moving,
// naming the phases of the objects that are not there yet.
func (t *tracker) waitFor(ctx context.Context, what string, n int, timeout time.Duration,
	pred func(*record) bool, logf func(string, ...any)) error {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Second)
	defer tick.Stop()
	last, lastMove := -1, time.Now()
	for {
		got := t.count(pred)
		if got >= n {
			return nil
		}
		if got != last {
			last, lastMove = got, time.Now()
		} else if time.Since(lastMove) > stallAfter {
			return fmt.Errorf("%d of %d %s, no progress for %s; the others are %s", got, n,
				what, stallAfter, t.phasesOf(func(r *record) bool { return !pred(r) }))
		}
		t.mu.Lock()
		err := t.err
		t.mu.Unlock()
		if err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline.C:
			return fmt.Errorf("%d of %d %s after %s", got, n, what, timeout)
		case <-tick.C:
			logf("%d of %d %s", got, n, what)
		case <-t.changed:
		}
	}
}

// phasesOf counts the objects that satisfy pred by phase.
func (t *tracker) phasesOf(pred func(*record) bool) string {
	counts := map[string]float64{}
	t.each(func(_ string, r *record) {
		if pred(r) {
			counts[r.phase]++
		}
	})
	return formatCounts(counts)
}

func isPhase(phase string) func(*record) bool {
	return func(r *record) bool { return r.phase == phase }
}

func isSettled(r *record) bool { return r.settled }

// isSubmitted reports whether the provider holds the order.
func isSubmitted(r *record) bool {
	return r.phase != "" && r.phase != string(portingv1alpha1.PortRequestPending)
}

func timeOf(t *metav1.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.Time
}
