package metrics

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
	"github.com/numberport/numberport/internal/provider/simulator"
)

func TestInstrumentCountsCallsAndLookups(t *testing.T) {
	clk := clocktesting.NewFakeClock(time.Date(2027, 3, 1, 15, 0, 0, 0, time.UTC))
	p := Instrument(simulator.New(clk, simulator.Compressed()).Provider())
	ctx := context.Background()

	before := testutil.ToFloat64(providerCalls.WithLabelValues("find_order", "success"))
	if _, err := p.Porting.FindOrder(ctx, "no-such-key"); err == nil {
		t.Fatal("FindOrder of an unknown key succeeded")
	}
	if got := testutil.ToFloat64(providerCalls.WithLabelValues("find_order", "success")); got !=
		before+1 {
		t.Errorf("find_order success = %v, want %v: not finding is the expected answer",
			got, before+1)
	}

	lookups := testutil.ToFloat64(routingLookups.WithLabelValues("losing_carrier"))
	if _, err := p.Routing.Lookup(ctx, "+14155550160"); err != nil {
		t.Fatal(err)
	}
	if got := testutil.ToFloat64(routingLookups.WithLabelValues("losing_carrier")); got !=
		lookups+1 {
		t.Errorf("losing_carrier lookups = %v, want %v", got, lookups+1)
	}
}

func TestPhaseCollectorCountsEveryPhase(t *testing.T) {
	scheme := runtime.NewScheme()
	if err := portingv1alpha1.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	pr := func(name string, phase portingv1alpha1.PortRequestPhase) *portingv1alpha1.PortRequest {
		return &portingv1alpha1.PortRequest{
			ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: name},
			Status:     portingv1alpha1.PortRequestStatus{Phase: phase},
		}
	}
	reader := fake.NewClientBuilder().WithScheme(scheme).WithObjects(
		pr("a", portingv1alpha1.PortRequestScheduled),
		pr("b", portingv1alpha1.PortRequestScheduled),
		pr("c", ""),
	).Build()

	want := `
# HELP numberport_portrequests PortRequests by phase.
# TYPE numberport_portrequests gauge
numberport_portrequests{phase="ActionRequired"} 0
numberport_portrequests{phase="Cancelled"} 0
numberport_portrequests{phase="Completed"} 0
numberport_portrequests{phase="Failed"} 0
numberport_portrequests{phase="PartiallyCompleted"} 0
numberport_portrequests{phase="Pending"} 1
numberport_portrequests{phase="Scheduled"} 2
numberport_portrequests{phase="Submitted"} 0
`
	err := testutil.CollectAndCompare(NewPhaseCollector(reader), strings.NewReader(want),
		"numberport_portrequests")
	if err != nil {
		t.Error(err)
	}
}
