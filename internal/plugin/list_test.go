package plugin

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
)

// listFixture creates ports in every phase in two namespaces, labelled so
// that a selector finds them and nothing else on the shared API server.
type listFixture struct {
	first, second *fixture
	labels        map[string]string
}

func newListFixture(t *testing.T) *listFixture {
	lf := &listFixture{first: newFixture(t, "voice"), second: newFixture(t, "sales")}
	lf.labels = map[string]string{"numberport-test": lf.first.ns}
	lf.createPorts()
	return lf
}

// inFlightStatus is the status of an order in a phase, with the dates that
// phase carries.
func inFlightStatus(phase portingv1alpha1.PortRequestPhase, submitted time.Time,
	portDate *metav1.Time, conds ...metav1.Condition) portingv1alpha1.PortRequestStatus {
	s := portingv1alpha1.PortRequestStatus{
		ObservedGeneration: 1,
		Phase:              phase,
		Conditions:         conds,
		OrderID:            "SIM-2000",
		SubmittedAt:        mtp(submitted),
		PortDate:           portDate,
	}
	if portDate == nil {
		s.EstimatedPortWindow = window(submitted)
	}
	return s
}

func (lf *listFixture) createPorts() {
	spec := func(numbers ...string) portingv1alpha1.PortRequestSpec {
		return baseSpec("Golden Gate Telephone", numbers...)
	}
	rejected := condition("Stalled", condTrue, "PostalCodeMismatch",
		"The losing carrier rejected order SIM-2000 (PostalCodeMismatch)", ago(day))
	claimed := condition("Stalled", condTrue, "NumberClaimed",
		"spec.numbers: +14155550177 is already being ported by PortRequest alpha",
		ago(time.Hour))

	f := lf.first
	f.portRequest("alpha", ago(40*day), spec("+14155550171", "+14155550172"),
		inFlightStatus(portingv1alpha1.PortRequestScheduled, ago(39*day),
			mtp(later(12*day+3*time.Hour))), lf.labels)
	f.portRequest("bravo", ago(10*day), spec("+14155550173"),
		inFlightStatus(portingv1alpha1.PortRequestSubmitted, ago(9*day), nil), lf.labels)
	charlie := inFlightStatus(portingv1alpha1.PortRequestActionRequired, ago(5*day), nil,
		rejected)
	charlie.Rejection = &portingv1alpha1.Rejection{Code: "PostalCodeMismatch",
		Message: rejected.Message, Since: mt(ago(day)), CancellationDeadline: mtp(
			later(2*day + 4*time.Hour))}
	f.portRequest("charlie", ago(6*day), spec("+14155550174"), charlie, lf.labels)
	f.portRequest("delta", ago(60*day), spec("+14155550175"),
		inFlightStatus(portingv1alpha1.PortRequestCompleted, ago(59*day),
			mtp(ago(10*day))), lf.labels)
	f.portRequest("unlabelled", ago(60*day), spec("+14155550179"),
		inFlightStatus(portingv1alpha1.PortRequestSubmitted, ago(day), nil), nil)

	f = lf.second
	f.portRequest("echo", ago(30*day), spec("+14155550176"),
		inFlightStatus(portingv1alpha1.PortRequestScheduled, ago(29*day),
			mtp(later(3*time.Hour))), lf.labels)
	f.portRequest("foxtrot", ago(time.Hour), spec("+14155550177"),
		portingv1alpha1.PortRequestStatus{Phase: portingv1alpha1.PortRequestPending,
			Conditions: []metav1.Condition{claimed}}, lf.labels)
	f.portRequest("golf", ago(time.Minute), spec("+14155550178"),
		portingv1alpha1.PortRequestStatus{}, lf.labels)
	f.portRequest("hotel", ago(50*day), spec("+14155550180"),
		inFlightStatus(portingv1alpha1.PortRequestCancelled, ago(49*day), nil), lf.labels)
}

// list reads the ports in flight the way the list command does and
// prints them.
func (lf *listFixture) list(t *testing.T, ns, selector string) []byte {
	t.Helper()
	f := lf.first
	ports, err := collectInFlight(f.ctx, f.r, ns, selector)
	if err != nil {
		t.Fatalf("listing: %v", err)
	}
	for i := range ports {
		lf.first.stable(&ports[i])
		lf.second.stable(&ports[i])
	}
	shown := ns
	for _, fx := range []*fixture{lf.first, lf.second} {
		if ns == fx.ns {
			shown = fx.base
		}
	}
	return render(func(p *printer) { p.list(ports, shown, selector) })
}

func TestList(t *testing.T) {
	lf := newListFixture(t)
	selector := "numberport-test=" + lf.first.ns

	golden(t, "list-all-namespaces", lf.list(t, "", selector))
	golden(t, "list-namespace", lf.list(t, lf.first.ns, ""))
	golden(t, "list-empty", lf.list(t, lf.first.ns, "numberport-test=nothing"))
}
