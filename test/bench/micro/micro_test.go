// Package micro benchmarks the pure functions on the manager's hot paths
// that their own packages do not benchmark: what every PhoneNumber
// reconcile calls (masking for logs, the messaging deadline, the lookup
// rate limiter, the wake-up scheduler) and what every PortRequest reconcile
// calls (validating its numbers). Run them with
//
//	go test ./test/bench/micro -run '^$' -bench . -benchmem
package micro

import (
	"fmt"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/utils/clock"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
	"github.com/numberport/numberport/internal/businessday"
	"github.com/numberport/numberport/internal/numbers"
	"github.com/numberport/numberport/internal/schedule"
	"github.com/numberport/numberport/internal/validation"
	"github.com/numberport/numberport/internal/wakeup"
)

var (
	sinkString string
	sinkBool   bool
	sinkTime   time.Time
	sinkDur    time.Duration
	sinkLen    int
)

// numberList returns n distinct valid San Francisco numbers.
func numberList(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("+1415556%04d", i)
	}
	return out
}

func BenchmarkMask(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkString = numbers.Mask("+14155550111")
	}
}

func BenchmarkIsValid(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkBool = numbers.IsValid("+14155550111")
	}
}

func BenchmarkMessagingDeadline(b *testing.B) {
	activated := time.Date(2030, time.December, 23, 16, 30, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		sinkTime = schedule.MessagingDeadline(activated, numbers.RegionUS)
	}
}

func BenchmarkIsBusinessDay(b *testing.B) {
	day := time.Date(2030, time.July, 4, 12, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		sinkBool = businessday.IsBusinessDay(day, numbers.RegionCA)
	}
}

func BenchmarkBackoff(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkDur = schedule.Backoff(6, 0)
	}
}

// BenchmarkRateLimiterTake measures a lookup slot request while 10,000
// numbers hold reservations, as when the numbers of large orders are
// confirmed together.
func BenchmarkRateLimiterTake(b *testing.B) {
	l, err := schedule.NewRateLimiter(5, 10)
	if err != nil {
		b.Fatal(err)
	}
	keys := numberList(10000)
	now := time.Date(2030, time.January, 7, 16, 30, 0, 0, time.UTC)
	for _, k := range keys {
		l.Take(k, now)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		sinkDur = l.Take(keys[i%len(keys)], now)
		i++
	}
}

// BenchmarkWakeupAt measures rescheduling one of 10,000 pending wake-ups,
// which every reconcile that ends with a next due time does. It runs on the
// real clock, as the manager does: the fake clock of k8s.io/utils keeps its
// timers in a slice and would measure itself. The wake-ups are an hour
// away, so none fires during the benchmark.
func BenchmarkWakeupAt(b *testing.B) {
	now := time.Now()
	s := wakeup.New(clock.RealClock{})
	q := workqueue.NewTypedRateLimitingQueue(
		workqueue.DefaultTypedControllerRateLimiter[reconcile.Request]())
	defer q.ShutDown()
	if err := s.Start(b.Context(), q); err != nil {
		b.Fatal(err)
	}
	keys := make([]types.NamespacedName, 10000)
	for i := range keys {
		keys[i] = types.NamespacedName{Namespace: "bench", Name: fmt.Sprintf("n%05d", i)}
		s.At(keys[i], now.Add(time.Hour))
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s.At(keys[i%len(keys)], now.Add(time.Hour+time.Duration(i)*time.Millisecond))
		i++
	}
	sinkLen = s.Len()
}

// BenchmarkValidatePortRequest validates an order of 200 numbers, the most
// one PortRequest lists in its spec.
func BenchmarkValidatePortRequest(b *testing.B) {
	list := numberList(200)
	spec := &portingv1alpha1.PortRequestSpec{
		Numbers: list,
		Subscriber: portingv1alpha1.Subscriber{ServiceAddress: portingv1alpha1.ServiceAddress{
			Country: portingv1alpha1.CountryUS}},
		Documents: portingv1alpha1.Documents{Invoice: portingv1alpha1.Invoice{
			IssueDate: "2030-01-01"}},
	}
	now := time.Date(2030, time.January, 7, 16, 30, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		sinkLen = len(validation.ValidatePortRequest(spec, list, now))
	}
}
