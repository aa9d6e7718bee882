package wakeup

import (
	"context"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
)

func newQueue() workqueue.TypedRateLimitingInterface[reconcile.Request] {
	return workqueue.NewTypedRateLimitingQueue(
		workqueue.DefaultTypedControllerRateLimiter[reconcile.Request]())
}

// waitLen waits for the queue to reach n items; timers fire on goroutines.
func waitLen(t *testing.T, q workqueue.TypedRateLimitingInterface[reconcile.Request], n int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for q.Len() != n {
		if time.Now().After(deadline) {
			t.Fatalf("queue holds %d items, want %d", q.Len(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestSchedulerFiresAtTheInstant(t *testing.T) {
	start := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
	clk := clocktesting.NewFakeClock(start)
	s := New(clk)
	q := newQueue()
	defer q.ShutDown()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	key := types.NamespacedName{Namespace: "ns", Name: "a"}
	s.At(key, start.Add(10*time.Second)) // before Start: kept until then
	if err := s.Start(ctx, q); err != nil {
		t.Fatal(err)
	}

	clk.Step(9 * time.Second)
	time.Sleep(20 * time.Millisecond)
	if q.Len() != 0 {
		t.Fatalf("fired %s early", time.Second)
	}
	clk.Step(time.Second)
	waitLen(t, q, 1)
	if s.Len() != 0 {
		t.Fatalf("a fired wake-up is still pending")
	}
}

func TestSchedulerReplacesAndCancels(t *testing.T) {
	start := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
	clk := clocktesting.NewFakeClock(start)
	s := New(clk)
	q := newQueue()
	defer q.ShutDown()
	if err := s.Start(context.Background(), q); err != nil {
		t.Fatal(err)
	}

	a := types.NamespacedName{Namespace: "ns", Name: "a"}
	b := types.NamespacedName{Namespace: "ns", Name: "b"}
	s.At(a, start.Add(time.Minute))
	s.At(a, start.Add(time.Hour)) // replaces the first
	s.At(b, start.Add(time.Minute))
	s.Cancel(b)

	if at, ok := s.Pending(a); !ok || !at.Equal(start.Add(time.Hour)) {
		t.Fatalf("pending wake-up of a = %v, %v; want %v", at, ok, start.Add(time.Hour))
	}
	clk.Step(time.Minute)
	time.Sleep(20 * time.Millisecond)
	if q.Len() != 0 {
		t.Fatalf("a replaced or cancelled wake-up fired")
	}
	clk.Step(time.Hour)
	waitLen(t, q, 1)
}

func TestSchedulerPastTimeEnqueuesOnce(t *testing.T) {
	start := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
	clk := clocktesting.NewFakeClock(start)
	s := New(clk)
	q := newQueue()
	defer q.ShutDown()
	if err := s.Start(context.Background(), q); err != nil {
		t.Fatal(err)
	}

	key := types.NamespacedName{Namespace: "ns", Name: "late"}
	s.At(key, start.Add(-time.Second))
	waitLen(t, q, 1)
	if s.Len() != 0 {
		t.Fatalf("a past wake-up left a timer behind")
	}
}
