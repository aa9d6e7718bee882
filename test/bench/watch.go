package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
	"sigs.k8s.io/controller-runtime/pkg/client"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
)

// currentVersion returns the resource version of a collection now, so that
// a watch from it reports changes only, not every object that exists.
func currentVersion(ctx context.Context, c client.Client, list client.ObjectList,
	opts ...client.ListOption) (string, error) {
	if err := c.List(ctx, list, append(opts, client.Limit(1))...); err != nil {
		return "", fmt.Errorf("listing %T: %w", list, err)
	}
	return list.(metav1.ListInterface).GetResourceVersion(), nil
}

// watchFrom calls handle for every change to the objects of list's kind
// after resource version rv, with the instant the harness received it,
// until ctx ends. A watch the API server closes is opened again from the
// last version seen, so that no change is missed or counted twice.
func watchFrom(ctx context.Context, c client.WithWatch, list client.ObjectList, rv string,
	handle func(watch.EventType, client.Object, time.Time), opts ...client.ListOption) error {
	for ctx.Err() == nil {
		raw := &metav1.ListOptions{ResourceVersion: rv, AllowWatchBookmarks: true}
		w, err := c.Watch(ctx, list, append(opts, &client.ListOptions{Raw: raw})...)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("watching %T: %w", list, err)
		}
		for ev := range w.ResultChan() {
			at := time.Now()
			obj, ok := ev.Object.(client.Object)
			if !ok {
				if ev.Type == watch.Error {
					w.Stop()
					// Ending the watch on purpose surfaces as an error
					// event too.
					if ctx.Err() != nil {
						return nil
					}
					return fmt.Errorf("watching %T: %v", list, ev.Object)
				}
				continue
			}
			rv = obj.GetResourceVersion()
			if ev.Type != watch.Bookmark {
				handle(ev.Type, obj, at)
			}
		}
		w.Stop()
	}
	return nil
}

// writeCounter counts the changes the API server reports for the kinds a
// manager writes, so that writes are attributed to a kind: the manager's
// request metrics say how many writes, not to what.
type writeCounter struct {
	mu     sync.Mutex
	counts map[string]int
	errs   []error
	wg     sync.WaitGroup
	cancel context.CancelFunc
}

// countWrites starts counting changes to PhoneNumbers, PortRequests, Events
// and Leases in every namespace.
func countWrites(ctx context.Context, c client.WithWatch) (*writeCounter, error) {
	ctx, cancel := context.WithCancel(ctx)
	wc := &writeCounter{counts: map[string]int{}, cancel: cancel}
	kinds := []struct {
		name string
		list func() client.ObjectList
	}{
		{"PhoneNumber", func() client.ObjectList { return &portingv1alpha1.PhoneNumberList{} }},
		{"PortRequest", func() client.ObjectList { return &portingv1alpha1.PortRequestList{} }},
		{"Event", func() client.ObjectList { return &eventsv1.EventList{} }},
		{"Lease", func() client.ObjectList { return &coordinationv1.LeaseList{} }},
	}
	for _, k := range kinds {
		rv, err := currentVersion(ctx, c, k.list())
		if err != nil {
			cancel()
			return nil, err
		}
		wc.wg.Go(func() {
			err := watchFrom(ctx, c, k.list(), rv, func(t watch.EventType, _ client.Object,
				_ time.Time) {
				wc.mu.Lock()
				defer wc.mu.Unlock()
				wc.counts[k.name+" "+string(t)]++
			})
			if err != nil {
				wc.mu.Lock()
				wc.errs = append(wc.errs, err)
				wc.mu.Unlock()
			}
		})
	}
	return wc, nil
}

// snapshot returns the counts so far by "Kind EVENT".
func (wc *writeCounter) snapshot() map[string]int {
	wc.mu.Lock()
	defer wc.mu.Unlock()
	out := make(map[string]int, len(wc.counts))
	for k, v := range wc.counts {
		out[k] = v
	}
	return out
}

// stop ends the watches and returns the final counts.
func (wc *writeCounter) stop() (map[string]int, error) {
	wc.cancel()
	wc.wg.Wait()
	var err error
	if len(wc.errs) > 0 {
		err = wc.errs[0]
	}
	return wc.snapshot(), err
}

// kindTotal adds the changes of one kind.
func kindTotal(counts map[string]int, kind string) int {
	return counts[kind+" "+string(watch.Added)] + counts[kind+" "+string(watch.Modified)] +
		counts[kind+" "+string(watch.Deleted)]
}
