package health_test

import (
	"testing"

	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

// kstatusCase is what kstatus, and so Flux and kpt, compute for a fixture.
// kstatus reads only generic signals: deletion, observedGeneration, and the
// Reconciling, Stalled and Ready conditions. Where that differs from the
// Argo CD health check, divergence says why.
type kstatusCase struct {
	fixture    string
	want       status.Status
	divergence string
}

// Reasons the two views part, shared by several fixtures.
const (
	noStatusYet = "kstatus skips the generation check without status.observedGeneration " +
		"and reads an object without conditions as Current"
	readyFalse = "kstatus reads Ready=False without Stalled as InProgress, whatever the " +
		"reason; the health check reads the phase"
	noReadyNoStalled = "without Ready or Stalled kstatus has nothing to read and says Current"
	deletionBlocked  = "kstatus shows Terminating for any deletion, blocked or not"
)

var portRequestKstatus = []kstatusCase{
	{"no-status", status.CurrentStatus, noStatusYet},
	{"no-phase", status.CurrentStatus, noStatusYet},
	{"stale-generation", status.InProgressStatus, ""},
	{"pending", status.InProgressStatus, ""},
	{"pending-stalled", status.FailedStatus, ""},
	{"submitted", status.CurrentStatus, ""},
	{"submitted-provider-unavailable", status.InProgressStatus, readyFalse},
	{"action-required", status.FailedStatus, ""},
	{"action-required-without-stalled", status.CurrentStatus, noReadyNoStalled},
	{"scheduled", status.CurrentStatus, ""},
	{"completed", status.CurrentStatus, ""},
	{"partially-completed", status.CurrentStatus, ""},
	{"cancelled", status.FailedStatus, ""},
	{"cancelled-without-stalled", status.InProgressStatus, readyFalse},
	{"failed", status.FailedStatus, ""},
	{"failed-without-stalled", status.InProgressStatus, readyFalse},
	{"deleting", status.TerminatingStatus, ""},
	{"deleting-cancel-refused", status.TerminatingStatus, deletionBlocked},
	{"unknown-phase", status.CurrentStatus, "kstatus follows Ready=True; the health check " +
		"does not trust a phase it does not know"},
}

var phoneNumberKstatus = []kstatusCase{
	{"no-status", status.CurrentStatus, noStatusYet},
	{"no-phase", status.CurrentStatus, noStatusYet},
	{"stale-generation", status.InProgressStatus, ""},
	{"pending", status.InProgressStatus, readyFalse},
	{"pending-no-call-flow", status.InProgressStatus, readyFalse},
	{"pending-provider-unavailable", status.InProgressStatus, ""},
	{"staged", status.CurrentStatus, ""},
	{"lines-dropped", status.CurrentStatus, "kstatus does not read InService; the operator " +
		"reports dropped lines without Stalled"},
	{"active", status.CurrentStatus, ""},
	{"active-messaging-delayed", status.CurrentStatus, ""},
	{"active-early-transfer", status.CurrentStatus, ""},
	{"active-without-call-flow", status.FailedStatus, ""},
	{"failed", status.FailedStatus, ""},
	{"failed-without-stalled", status.InProgressStatus, readyFalse},
	{"deleting", status.TerminatingStatus, ""},
	{"deleting-release-refused", status.TerminatingStatus, deletionBlocked},
	{"deleting-retain", status.TerminatingStatus, ""},
	{"unknown-phase", status.CurrentStatus, "kstatus follows Ready=True; the health check " +
		"does not trust a phase it does not know"},
}

// kstatusCounterpart is the kstatus status that says what an Argo CD health
// status says. Argo CD has no Terminating: a deletion is Progressing there.
func kstatusCounterpart(argo string, deleting bool) status.Status {
	switch {
	case deleting && argo == "Progressing":
		return status.TerminatingStatus
	case argo == "Healthy":
		return status.CurrentStatus
	case argo == "Progressing":
		return status.InProgressStatus
	case argo == "Degraded":
		return status.FailedStatus
	}
	return status.UnknownStatus
}

func TestPortRequestKstatus(t *testing.T) {
	testKstatus(t, portRequestKind, portRequestKstatus)
}

func TestPhoneNumberKstatus(t *testing.T) {
	testKstatus(t, phoneNumberKind, phoneNumberKstatus)
}

// testKstatus asserts what kstatus computes for every fixture, and that each
// case where it disagrees with the Argo CD health check says why, so that
// the two views part only where that is known and documented.
func testKstatus(t *testing.T, k kind, cases []kstatusCase) {
	seen := map[string]bool{}
	for _, tc := range cases {
		seen[tc.fixture] = true
		t.Run(tc.fixture, func(t *testing.T) {
			u := loadUnstructured(t, k.fixturePath(tc.fixture))

			got, err := status.Compute(u)

			if err != nil {
				t.Fatal(err)
			}
			if got.Status != tc.want {
				t.Errorf("kstatus of %s: got %s (%s), want %s",
					tc.fixture, got.Status, got.Message, tc.want)
			}
			argo := evaluate(t, k, tc.fixture)
			agrees := kstatusCounterpart(argo.Status, u.GetDeletionTimestamp() != nil) == got.Status
			if agrees && tc.divergence != "" {
				t.Errorf("%s: kstatus %s now agrees with Argo CD %s; drop the divergence note",
					tc.fixture, got.Status, argo.Status)
			}
			if !agrees && tc.divergence == "" {
				t.Errorf("%s: kstatus %s disagrees with Argo CD %s; explain why or fix it",
					tc.fixture, got.Status, argo.Status)
			}
		})
	}
	for _, name := range k.fixtureNames(t) {
		if !seen[name] {
			t.Errorf("fixture %s has no kstatus case", name)
		}
	}
}
