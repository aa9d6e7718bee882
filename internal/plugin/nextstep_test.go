package plugin

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
)

// The golden tests show the next step of the common cases in context; these
// cover the other branches on objects built in memory.

func portView(phase portingv1alpha1.PortRequestPhase, edit func(*portingv1alpha1.PortRequest),
	pns ...portingv1alpha1.PhoneNumber) *portRequestView {
	pr := &portingv1alpha1.PortRequest{
		ObjectMeta: metav1.ObjectMeta{Name: "office", Namespace: "voice"},
		Spec:       baseSpec("Golden Gate Telephone", "+14155550151"),
		Status: portingv1alpha1.PortRequestStatus{Phase: phase, OrderID: "SIM-1",
			Numbers: orderNumbers(portingv1alpha1.NumberPortPending, "+14155550151")},
	}
	if edit != nil {
		edit(pr)
	}
	return &portRequestView{PortRequest: pr, PhoneNumbers: pns}
}

// numberNamed is a PhoneNumber for the one number of portView's order.
func numberNamed(name, callFlow string,
	edit func(*portingv1alpha1.PhoneNumber)) portingv1alpha1.PhoneNumber {
	pn := portingv1alpha1.PhoneNumber{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "voice"},
		Spec:       phoneSpec("+14155550151", "office", callFlow, true),
	}
	if edit != nil {
		edit(&pn)
	}
	return pn
}

func stalledOn(reason, message string) []metav1.Condition {
	return []metav1.Condition{condition("Stalled", condTrue, reason, message, now)}
}

func TestPortRequestNextStep(t *testing.T) {
	main := numberNamed("office-main", "desk", nil)
	tests := []struct {
		name string
		view *portRequestView
		want string
	}{{
		name: "never reconciled",
		view: portView("", nil),
		want: "Nothing to do yet: the operator has not reported on this PortRequest; if this " +
			"lasts more than a minute, check that the numberport manager is running.",
	}, {
		name: "pending and stalled",
		view: portView(portingv1alpha1.PortRequestPending, func(pr *portingv1alpha1.PortRequest) {
			pr.Status.Conditions = stalledOn("InvoiceTooOld",
				"spec.documents.invoice.issueDate is 45 days old: attach an invoice of the "+
					"last 30 days")
		}, main),
		want: "spec.documents.invoice.issueDate is 45 days old: attach an invoice of the last " +
			"30 days.",
	}, {
		name: "pending on a provider outage",
		view: portView(portingv1alpha1.PortRequestPending, func(pr *portingv1alpha1.PortRequest) {
			pr.Status.Conditions = []metav1.Condition{condition("Ready", condFalse,
				"ProviderUnavailable", "The provider answered with a transient error", now)}
		}, main),
		want: "Nothing to do: the provider answers with transient errors and the operator " +
			"retries with backoff.",
	}, {
		name: "submitted past its window",
		view: portView(portingv1alpha1.PortRequestSubmitted,
			func(pr *portingv1alpha1.PortRequest) {
				pr.Status.EstimatedPortWindow = window(ago(50 * day))
			}, main),
		want: "Ask the provider about order SIM-1: the losing carrier has not confirmed a " +
			"port date, expected by 2027-02-21.",
	}, {
		name: "rejected for the PIN",
		view: portView(portingv1alpha1.PortRequestActionRequired,
			func(pr *portingv1alpha1.PortRequest) {
				pr.Status.Rejection = &portingv1alpha1.Rejection{Code: "InvalidPIN",
					Field: "spec.losingCarrier.pinSecretRef", CancellationDeadline: mtp(
						later(26 * time.Hour))}
			}, main),
		want: "Put the PIN Golden Gate Telephone has on record in Secret port-docs, key pin, " +
			"before 2027-03-02 14:00:00 UTC (in 1d 2h); the correction is sent automatically.",
	}, {
		name: "rejected past the deadline",
		view: portView(portingv1alpha1.PortRequestActionRequired,
			func(pr *portingv1alpha1.PortRequest) {
				pr.Status.Rejection = &portingv1alpha1.Rejection{Code: "Other",
					CancellationDeadline: mtp(ago(time.Hour))}
			}, main),
		want: "Correct the spec where it differs from Golden Gate Telephone's record at once: " +
			"the cancellation deadline passed 1h ago, and the provider cancels the order " +
			"unless the correction reaches it first.",
	}, {
		name: "scheduled and prepared",
		view: portView(portingv1alpha1.PortRequestScheduled,
			func(pr *portingv1alpha1.PortRequest) {
				pr.Status.PortDate = mtp(later(2 * day))
			}, main),
		want: "Nothing to do: the numbers move at 2027-03-03 12:00:00 UTC (in 2d) and their " +
			"call flows go live then.",
	}, {
		name: "scheduled without a call flow",
		view: portView(portingv1alpha1.PortRequestScheduled,
			func(pr *portingv1alpha1.PortRequest) {
				pr.Status.PortDate = mtp(later(2 * day))
			}, numberNamed("office-main", "", nil)),
		want: "Set spec.callFlow on PhoneNumber office-main before the port date 2027-03-03 " +
			"12:00:00 UTC (in 2d): a number without one rings nowhere once ported.",
	}, {
		name: "scheduled past the port date",
		view: portView(portingv1alpha1.PortRequestScheduled,
			func(pr *portingv1alpha1.PortRequest) {
				pr.Status.PortDate = mtp(ago(10 * time.Minute))
			}, main),
		want: "Nothing to do: the port date passed 10m ago and the provider reports the " +
			"numbers ported shortly; if this lasts, ask the provider about order SIM-1.",
	}, {
		name: "a live number without a call flow outranks the reminder",
		view: portView(portingv1alpha1.PortRequestCompleted, nil,
			numberNamed("office-main", "",
				func(pn *portingv1alpha1.PhoneNumber) {
					pn.Status.Conditions = stalledOn("ActiveWithoutCallFlow", "live")
				})),
		want: "Set spec.callFlow on PhoneNumber office-main now: its number is live and calls " +
			"to it are not answered.",
	}, {
		name: "completed with late texting",
		view: portView(portingv1alpha1.PortRequestCompleted, nil,
			numberNamed("office-main", "desk",
				func(pn *portingv1alpha1.PhoneNumber) {
					pn.Status.Messaging = &portingv1alpha1.MessagingStatus{
						State: portingv1alpha1.MessagingDelayed}
				})),
		want: "Ask the provider to escalate the messaging port of +14155550151 with Golden " +
			"Gate Telephone, and confirm with Golden Gate Telephone that the numbers left " +
			"the account.",
	}, {
		name: "partially completed",
		view: portView(portingv1alpha1.PortRequestPartiallyCompleted,
			func(pr *portingv1alpha1.PortRequest) {
				pr.Status.Numbers = []portingv1alpha1.NumberPortStatus{
					{Number: "+14155550151", State: portingv1alpha1.NumberPortPorted},
					{Number: "+14155550108", State: portingv1alpha1.NumberPortNotPortable},
				}
			}, main),
		want: "Port +14155550108 with a new PortRequest once Golden Gate Telephone allows it, " +
			"and confirm with Golden Gate Telephone that the ported numbers left the account.",
	}, {
		name: "cancelled by the provider",
		view: portView(portingv1alpha1.PortRequestCancelled,
			func(pr *portingv1alpha1.PortRequest) {
				pr.Status.Conditions = stalledOn("CancelledByProvider", "cancelled")
			}),
		want: "Create a new PortRequest to port the numbers: the provider cancelled order " +
			"SIM-1, usually because a rejection was not corrected in time.",
	}, {
		name: "failed because the provider lost the order",
		view: portView(portingv1alpha1.PortRequestFailed,
			func(pr *portingv1alpha1.PortRequest) {
				pr.Status.Conditions = stalledOn("OrderLost", "lost")
			}),
		want: "Ask the provider whether order SIM-1 still goes ahead; to start over, delete " +
			"this PortRequest and create a new one.",
	}, {
		name: "being deleted",
		view: portView(portingv1alpha1.PortRequestSubmitted,
			func(pr *portingv1alpha1.PortRequest) {
				pr.DeletionTimestamp = mtp(now)
			}),
		want: "Nothing to do: the order is being cancelled with the provider, then the " +
			"PortRequest is removed.",
	}}
	p := &printer{now: now, loc: time.UTC}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.portRequestNextStep(tt.view); got != tt.want {
				t.Errorf("next step:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestPhoneNumberNextStep(t *testing.T) {
	scheduled := portView(portingv1alpha1.PortRequestScheduled, nil).PortRequest
	rejected := portView(portingv1alpha1.PortRequestActionRequired, nil).PortRequest
	tests := []struct {
		name string
		pn   portingv1alpha1.PhoneNumber
		pr   *portingv1alpha1.PortRequest
		want string
	}{{
		name: "pending without a call flow",
		pn: numberNamed("main", "", func(pn *portingv1alpha1.PhoneNumber) {
			pn.Status.Phase = portingv1alpha1.PhoneNumberPending
			pn.Status.PortDate = mtp(later(3 * day))
		}),
		pr: scheduled,
		want: "Set spec.callFlow before the port date 2027-03-04 12:00:00 UTC (in 3d): " +
			"otherwise the number rings nowhere once ported.",
	}, {
		name: "pending on a rejected order",
		pn: numberNamed("main", "desk", func(pn *portingv1alpha1.PhoneNumber) {
			pn.Status.Phase = portingv1alpha1.PhoneNumberPending
		}),
		pr: rejected,
		want: "Fix PortRequest office first: it needs you (see kubectl numberport status " +
			"portreq office).",
	}, {
		name: "live without a call flow",
		pn: numberNamed("main", "", func(pn *portingv1alpha1.PhoneNumber) {
			pn.Status.Phase = portingv1alpha1.PhoneNumberActive
			pn.Status.Conditions = stalledOn("ActiveWithoutCallFlow", "live")
		}),
		want: "Set spec.callFlow now: the number is live and calls to it are not answered.",
	}, {
		name: "lines dropped",
		pn: numberNamed("main", "desk", func(pn *portingv1alpha1.PhoneNumber) {
			pn.Status.Phase = portingv1alpha1.PhoneNumberStaged
			pn.Status.Conditions = []metav1.Condition{condition("InService", condFalse,
				"LinesDropped", "dropped", now)}
		}),
		pr: scheduled,
		want: "Ask Golden Gate Telephone to restore the number: it was disconnected, not " +
			"ported, and the port cannot go ahead while it is out of service.",
	}, {
		name: "lines dropped, stalled",
		pn: numberNamed("main", "desk", func(pn *portingv1alpha1.PhoneNumber) {
			pn.Status.Phase = portingv1alpha1.PhoneNumberStaged
			pn.Status.Conditions = stalledOn("LinesDropped", "dropped")
			pn.Status.Routing = &portingv1alpha1.RoutingObservation{
				RoutedTo: portingv1alpha1.RoutedToDisconnected, Carrier: "Bay Mobile"}
		}),
		want: "Ask Bay Mobile to restore the number: it was disconnected, not ported, and " +
			"the port cannot go ahead while it is out of service.",
	}, {
		name: "texting late",
		pn: numberNamed("main", "desk", func(pn *portingv1alpha1.PhoneNumber) {
			pn.Status.Phase = portingv1alpha1.PhoneNumberActive
			pn.Status.Messaging = &portingv1alpha1.MessagingStatus{
				State: portingv1alpha1.MessagingDelayed, ExpectedBy: mtp(ago(day))}
		}),
		pr: scheduled,
		want: "Ask the provider to escalate the messaging port with Golden Gate Telephone: " +
			"texts were expected by 2027-02-28 12:00:00 UTC.",
	}, {
		name: "live early, before the port date",
		pn: numberNamed("main", "desk", func(pn *portingv1alpha1.PhoneNumber) {
			pn.Status.Phase = portingv1alpha1.PhoneNumberActive
			pn.Status.ActivationTrigger = portingv1alpha1.ActivationEarlyTransfer
			pn.Status.PortDate = mtp(later(day))
		}),
		pr: scheduled,
		want: "Place a test call: the number went live early, before its port date " +
			"2027-03-02 12:00:00 UTC, and call flow desk should answer it.",
	}, {
		name: "failed",
		pn: numberNamed("main", "desk", func(pn *portingv1alpha1.PhoneNumber) {
			pn.Status.Phase = portingv1alpha1.PhoneNumberFailed
			pn.Status.Conditions = stalledOn("PortFailed",
				"PortRequest office ended Cancelled without porting the number")
		}),
		pr: rejected,
		want: "Port the number with a new PortRequest once Golden Gate Telephone allows it: " +
			"PortRequest office ended Cancelled without porting the number.",
	}}
	p := &printer{now: now, loc: time.UTC}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &phoneNumberView{PhoneNumber: &tt.pn, PortRequest: tt.pr}
			if got := p.phoneNumberNextStep(v); got != tt.want {
				t.Errorf("next step:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}
