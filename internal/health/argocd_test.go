package health_test

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/numberport/numberport/internal/health"
)

// healthCase is what Argo CD shows for one fixture. In message, {Type}
// stands for the message of the fixture's condition of that type.
type healthCase struct {
	fixture string
	status  string
	message string
}

// portRequestCases cover every phase and the states that override it. Weeks
// of waiting for the losing carrier (Submitted, Scheduled) are Healthy, so
// that they do not hold back later sync waves.
var portRequestCases = []healthCase{
	{"no-status", "Progressing", "Waiting for the operator to observe generation 1"},
	{"no-phase", "Progressing", "Waiting for the operator to report a phase"},
	{"stale-generation", "Progressing", "Waiting for the operator to observe generation 2"},
	{"pending", "Progressing", "Pending: {Ready}"},
	{"pending-stalled", "Degraded", "InvoiceTooOld: {Stalled}"},
	{"submitted", "Healthy", "Submitted: {Ready}"},
	{"submitted-provider-unavailable", "Healthy",
		"Submitted: Waiting for the losing carrier to confirm a port date. " +
			"ProviderUnavailable: {Ready}"},
	{"action-required", "Degraded", "InvalidPIN: {Stalled}"},
	{"action-required-without-stalled", "Degraded",
		"ActionRequired: InvalidPIN: The losing carrier rejected order SIM-7Q2K9 (InvalidPIN): " +
			"The PIN does not match the account. Put the port-out PIN from Golden Gate " +
			"Telephone in Secret acme-dental-port, key pin. The provider cancels the order if " +
			"it is not corrected by 2026-07-15T17:00:00Z"},
	{"scheduled", "Healthy", "Scheduled: The numbers move at 2026-08-18T15:00:00Z"},
	{"completed", "Healthy", "Completed: Every number was ported. {LosingAccountVerified}"},
	{"partially-completed", "Healthy",
		"PartiallyCompleted: 1 of 3 numbers could not be ported (see status.numbers); their " +
			"PhoneNumbers show Degraded. {LosingAccountVerified}"},
	{"cancelled", "Degraded", "CancelledByProvider: {Stalled}"},
	{"cancelled-without-stalled", "Degraded",
		"Cancelled: The order was cancelled. Create a new PortRequest to port the numbers"},
	{"failed", "Degraded", "ProviderRefused: {Stalled}"},
	{"failed-without-stalled", "Degraded",
		"Failed: The order cannot go on. Create a new PortRequest to port the numbers"},
	{"deleting", "Progressing",
		"Being deleted: an order still in flight is cancelled with the provider first"},
	{"deleting-cancel-refused", "Degraded", "CancelRefused: {Stalled}"},
	{"unknown-phase", "Progressing",
		"Phase OnHold is not known to this health check, which may be older than the operator"},
}

// phoneNumberCases cover every phase and the states that override it. A
// number waiting for its port date or for a call flow is Healthy; so is an
// active number whose texting is late.
var phoneNumberCases = []healthCase{
	{"no-status", "Progressing", "Waiting for the operator to observe generation 1"},
	{"no-phase", "Progressing", "Waiting for the operator to report a phase"},
	{"stale-generation", "Progressing", "Waiting for the operator to observe generation 2"},
	{"pending", "Healthy", "Pending: {Ready}"},
	{"pending-no-call-flow", "Healthy", "Pending: {Ready}"},
	{"pending-provider-unavailable", "Progressing", "Pending: {Ready}"},
	{"staged", "Healthy", "Staged: Call flow front-desk goes live at 2026-08-18T15:00:00Z"},
	{"lines-dropped", "Degraded", "LinesDropped: {InService}"},
	{"active", "Healthy", "Active: Call flow front-desk answers the number"},
	{"active-messaging-delayed", "Healthy",
		"Active: Call flow front-desk answers the number. Texting is delayed: {MessagingReady}"},
	{"active-early-transfer", "Healthy",
		"Active: Call flow front-desk answers the number. Activated early: the number routed " +
			"to the platform before its port date"},
	{"active-without-call-flow", "Degraded", "ActiveWithoutCallFlow: {Stalled}"},
	{"failed", "Degraded", "PortFailed: {Stalled}"},
	{"failed-without-stalled", "Degraded",
		"Failed: The number will not be ported; see its PortRequest"},
	{"deleting", "Progressing", "Being deleted: the number is released on the platform first"},
	{"deleting-release-refused", "Degraded", "ProviderRefused: {Stalled}"},
	{"deleting-retain", "Progressing", "Being deleted: the number stays on the platform"},
	{"unknown-phase", "Progressing",
		"Phase Porting is not known to this health check, which may be older than the operator"},
}

func casesOf(k kind) []healthCase {
	if k.name == portRequestKind.name {
		return portRequestCases
	}
	return phoneNumberCases
}

// evaluate runs a kind's health check on one of its fixtures.
func evaluate(t *testing.T, k kind, fixture string) health.Result {
	t.Helper()
	script := string(readFile(t, k.script))
	res, err := health.Evaluate(script, loadObject(t, k.fixturePath(fixture)))
	if err != nil {
		t.Fatalf("%s: %v", fixture, err)
	}
	return res
}

func TestPortRequestHealth(t *testing.T) {
	testHealth(t, portRequestKind)
}

func TestPhoneNumberHealth(t *testing.T) {
	testHealth(t, phoneNumberKind)
}

func testHealth(t *testing.T, k kind) {
	for _, tc := range casesOf(k) {
		t.Run(tc.fixture, func(t *testing.T) {
			obj := loadObject(t, k.fixturePath(tc.fixture))
			want := health.Result{Status: tc.status, Message: expand(t, obj, tc.message)}

			got := evaluate(t, k, tc.fixture)

			if got != want {
				t.Errorf("health of %s\n got: %s %q\nwant: %s %q",
					tc.fixture, got.Status, got.Message, want.Status, want.Message)
			}
		})
	}
}

// TestEveryFixtureHasACase keeps the fixtures and the tables in step: a
// fixture nobody checks proves nothing, and a case without a fixture fails
// only when it runs.
func TestEveryFixtureHasACase(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			cased := map[string]bool{}
			for _, tc := range casesOf(k) {
				if cased[tc.fixture] {
					t.Errorf("fixture %s has two cases", tc.fixture)
				}
				cased[tc.fixture] = true
			}
			for _, name := range k.fixtureNames(t) {
				if !cased[name] {
					t.Errorf("fixture %s has no case in the %s table", name, k.name)
				}
				delete(cased, name)
			}
			for name := range cased {
				t.Errorf("case %s has no fixture in %s", name, k.fixtures)
			}
		})
	}
}

// TestEveryPhaseIsKnown reads the phases from the CRD, so that a phase added
// to the API fails here until the health check and a fixture cover it.
func TestEveryPhaseIsKnown(t *testing.T) {
	for _, k := range kinds {
		phases := phaseEnum(t, k.crd)
		if len(phases) == 0 {
			t.Fatalf("%s lists no phases", k.crd)
		}
		for _, phase := range phases {
			t.Run(k.name+"/"+phase, func(t *testing.T) {
				covered := false
				for _, tc := range casesOf(k) {
					obj := loadObject(t, k.fixturePath(tc.fixture))
					got, _, _ := unstructured.NestedString(obj, "status", "phase")
					if got != phase {
						continue
					}
					covered = true
					res := evaluate(t, k, tc.fixture)
					if strings.Contains(res.Message, "not known to this health check") {
						t.Errorf("fixture %s: the health check does not know phase %s",
							tc.fixture, phase)
					}
				}
				if !covered {
					t.Errorf("no %s fixture is in phase %s", k.name, phase)
				}
			})
		}
	}
}
