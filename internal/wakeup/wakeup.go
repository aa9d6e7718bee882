// Package wakeup schedules reconciles at a given instant on an injectable
// clock. Controllers compute the next due time from status on every
// reconcile and hand it here; nothing about the schedule lives only in
// memory, since a restart reconciles every object and so sets every timer
// again. Driving the timers from a clock.Clock lets tests move time forward
// instead of waiting, and lets an activation fire on the second.
package wakeup

import (
	"context"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/utils/clock"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	"sigs.k8s.io/controller-runtime/pkg/source"
)

// Scheduler holds at most one pending wake-up per object. It is a
// controller-runtime source: register it with WatchesRawSource.
type Scheduler struct {
	clock clock.WithDelayedExecution

	mu     sync.Mutex
	queue  workqueue.TypedRateLimitingInterface[reconcile.Request]
	timers map[types.NamespacedName]entry
	// early holds wake-ups requested before the controller started.
	early map[types.NamespacedName]time.Time
}

type entry struct {
	at    time.Time
	timer clock.Timer
}

var _ source.Source = &Scheduler{}

// New returns a scheduler on the given clock.
func New(clk clock.WithDelayedExecution) *Scheduler {
	return &Scheduler{
		clock:  clk,
		timers: map[types.NamespacedName]entry{},
		early:  map[types.NamespacedName]time.Time{},
	}
}

// Start implements source.Source.
func (s *Scheduler) Start(ctx context.Context,
	queue workqueue.TypedRateLimitingInterface[reconcile.Request]) error {
	s.mu.Lock()
	s.queue = queue
	early := s.early
	s.early = nil
	s.mu.Unlock()

	for key, at := range early {
		s.At(key, at)
	}
	go func() {
		<-ctx.Done()
		s.stopAll()
	}()
	return nil
}

// At asks for the object to be reconciled at the given instant, replacing
// any earlier request for it. A time that is not after now enqueues the
// object once, right away.
func (s *Scheduler) At(key types.NamespacedName, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()

	if s.queue == nil {
		s.early[key] = at
		return
	}
	if old, ok := s.timers[key]; ok {
		if old.at.Equal(at) {
			return
		}
		old.timer.Stop()
		delete(s.timers, key)
	}

	delay := at.Sub(s.clock.Now())
	if delay <= 0 {
		s.queue.Add(reconcile.Request{NamespacedName: key})
		return
	}
	// A fake clock runs the callback while it holds its own lock, and At
	// holds s.mu when it calls into the clock: firing on a goroutine of its
	// own keeps the two locks from being taken in opposite orders.
	timer := s.clock.AfterFunc(delay, func() { go s.fire(key, at) })
	s.timers[key] = entry{at: at, timer: timer}
}

// Cancel drops the object's pending wake-up, if any.
func (s *Scheduler) Cancel(key types.NamespacedName) {
	s.mu.Lock()
	defer s.mu.Unlock()

	if s.queue == nil {
		delete(s.early, key)
		return
	}
	if old, ok := s.timers[key]; ok {
		old.timer.Stop()
		delete(s.timers, key)
	}
}

// Pending returns the instant of the object's pending wake-up.
func (s *Scheduler) Pending(key types.NamespacedName) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()

	if s.queue == nil {
		at, ok := s.early[key]
		return at, ok
	}
	e, ok := s.timers[key]
	return e.at, ok
}

// Len returns the number of pending wake-ups.
func (s *Scheduler) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.timers) + len(s.early)
}

func (s *Scheduler) fire(key types.NamespacedName, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()

	// A timer that was replaced after it fired must not enqueue twice.
	if e, ok := s.timers[key]; !ok || !e.at.Equal(at) {
		return
	}
	delete(s.timers, key)
	s.queue.Add(reconcile.Request{NamespacedName: key})
}

func (s *Scheduler) stopAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for key, e := range s.timers {
		e.timer.Stop()
		delete(s.timers, key)
	}
}
