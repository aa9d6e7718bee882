package plugin

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
)

// The tests below write status and Events the way the operator does, read
// them back from a real API server through the plugin's own queries, and
// compare what it prints with a golden file.

const (
	condTrue    = metav1.ConditionTrue
	condFalse   = metav1.ConditionFalse
	condUnknown = metav1.ConditionUnknown
	normal      = "Normal"
	warning     = "Warning"
)

// statusOf reads a PortRequest's status the way the status command does
// and prints it.
func (f *fixture) statusOf(name string) []byte {
	f.t.Helper()
	v, err := collectPortRequest(f.ctx, f.r, f.ns, name)
	if err != nil {
		f.t.Fatalf("collecting PortRequest %s: %v", name, err)
	}
	f.stable(v.PortRequest)
	for i := range v.PhoneNumbers {
		f.stable(&v.PhoneNumbers[i])
	}
	return render(func(p *printer) { p.portRequest(v) })
}

// numberStatusOf reads a PhoneNumber's status the way the status command
// does and prints it.
func (f *fixture) numberStatusOf(name string) []byte {
	f.t.Helper()
	v, err := collectPhoneNumber(f.ctx, f.r, f.ns, name)
	if err != nil {
		f.t.Fatalf("collecting PhoneNumber %s: %v", name, err)
	}
	f.stable(v.PhoneNumber)
	if v.PortRequest != nil {
		f.stable(v.PortRequest)
	}
	return render(func(p *printer) { p.phoneNumber(v) })
}

func phoneSpec(number, portRequest, callFlow string, texting bool) portingv1alpha1.PhoneNumberSpec {
	spec := portingv1alpha1.PhoneNumberSpec{Number: number, CallFlow: callFlow}
	if portRequest != "" {
		spec.PortRequestRef = &portingv1alpha1.LocalObjectReference{Name: portRequest}
	}
	if texting {
		spec.Messaging = &portingv1alpha1.Messaging{Enabled: true}
	}
	return spec
}

func window(submitted time.Time) *portingv1alpha1.PortWindow {
	return &portingv1alpha1.PortWindow{
		Earliest: mt(submitted.Add(4 * 7 * day)),
		Latest:   mt(submitted.Add(6 * 7 * day)),
	}
}

func orderNumbers(state portingv1alpha1.NumberPortState,
	numbers ...string) []portingv1alpha1.NumberPortStatus {
	out := make([]portingv1alpha1.NumberPortStatus, 0, len(numbers))
	for _, n := range numbers {
		out = append(out, portingv1alpha1.NumberPortStatus{Number: n, State: state})
	}
	return out
}

// submittedConditions are those of an order the provider holds and the
// losing carrier reviews.
func submittedConditions(order string, submitted time.Time,
	w *portingv1alpha1.PortWindow) []metav1.Condition {
	return []metav1.Condition{
		condition("Validated", condTrue, "Valid",
			"The spec and the objects it references are valid", submitted),
		condition("Submitted", condTrue, "Accepted",
			"The provider accepted order "+order+" for 3 numbers", submitted),
		condition("PortDateConfirmed", condFalse, "AwaitingPortDate",
			"The losing carrier has not confirmed a port date yet", submitted),
		condition("Ready", condTrue, "AwaitingPortDate",
			"Waiting for the losing carrier to confirm a port date, expected between "+
				w.Earliest.Format(time.DateOnly)+" and "+w.Latest.Format(time.DateOnly),
			submitted),
	}
}

func TestStatusSubmitted(t *testing.T) {
	f := newFixture(t, "dental")
	submitted := ago(9 * day)
	w := window(submitted)
	numbers := []string{"+14155550151", "+14155550152", "+14155550153"}
	pr := f.portRequest("acme-dental", ago(10*day), baseSpec("Golden Gate Telephone", numbers...),
		portingv1alpha1.PortRequestStatus{
			ObservedGeneration:  1,
			Phase:               portingv1alpha1.PortRequestSubmitted,
			Conditions:          submittedConditions("SIM-1001", submitted, w),
			NumberCount:         3,
			OrderID:             "SIM-1001",
			SubmissionStartedAt: mtp(submitted),
			SubmittedAt:         mtp(submitted),
			EstimatedPortWindow: w,
			Numbers:             orderNumbers(portingv1alpha1.NumberPortPending, numbers...),
		}, nil)
	waiting := portingv1alpha1.PhoneNumberStatus{
		ObservedGeneration: 1,
		Phase:              portingv1alpha1.PhoneNumberPending,
		Conditions: []metav1.Condition{condition("Ready", condTrue, "AwaitingPortDate",
			"Waiting for PortRequest acme-dental to get a confirmed port date (it is Submitted)",
			submitted)},
	}
	f.phoneNumber("acme-dental-main", ago(10*day),
		phoneSpec(numbers[0], "acme-dental", "front-desk", true), waiting)
	f.phoneNumber("acme-dental-fax", ago(10*day), phoneSpec(numbers[1], "acme-dental", "", false),
		waiting)
	f.event(pr, kindPortRequest, normal, "Accepted", "Submit",
		"The provider accepted order SIM-1001 for 3 numbers", submitted)

	golden(t, "status-portrequest-submitted", f.statusOf("acme-dental"))
}

func TestStatusActionRequired(t *testing.T) {
	f := newFixture(t, "clinic")
	submitted := ago(19 * day)
	w := window(submitted)
	numbers := []string{"+14155550102", "+14155550162", "+14155550163"}
	rejected, deadline := ago(2*day), later(5*day)
	message := "The losing carrier rejected order SIM-1002 (PostalCodeMismatch, provider code " +
		"postal_code_mismatch): the postal code does not match the account. Set " +
		"spec.subscriber.serviceAddress.postalCode to the postal code on the losing " +
		"carrier's record. The provider cancels the order if it is not corrected by " +
		deadline.Format(time.RFC3339)
	conds := submittedConditions("SIM-1002", submitted, w)[:3]
	conds = append(conds,
		condition("Stalled", condTrue, "PostalCodeMismatch", message, rejected),
		condition("Ready", condFalse, "PostalCodeMismatch", message, rejected))
	pr := f.portRequest("harbor-clinic", ago(20*day),
		baseSpec("Golden Gate Telephone", numbers...),
		portingv1alpha1.PortRequestStatus{
			ObservedGeneration:  2,
			Phase:               portingv1alpha1.PortRequestActionRequired,
			Conditions:          conds,
			NumberCount:         3,
			OrderID:             "SIM-1002",
			SubmissionStartedAt: mtp(submitted),
			SubmittedAt:         mtp(submitted),
			EstimatedPortWindow: w,
			Corrections:         1,
			Rejection: &portingv1alpha1.Rejection{
				Code:                 "PostalCodeMismatch",
				Field:                "spec.subscriber.serviceAddress.postalCode",
				Message:              message,
				Since:                mt(rejected),
				CancellationDeadline: mtp(deadline),
			},
			Numbers: orderNumbers(portingv1alpha1.NumberPortPending, numbers...),
		}, nil)
	f.phoneNumber("harbor-clinic-main", ago(20*day),
		phoneSpec(numbers[0], "harbor-clinic", "reception", false),
		portingv1alpha1.PhoneNumberStatus{
			ObservedGeneration: 1,
			Phase:              portingv1alpha1.PhoneNumberPending,
			Conditions: []metav1.Condition{condition("Ready", condTrue,
				"AwaitingPortDate", "Waiting for PortRequest harbor-clinic to get a "+
					"confirmed port date (it is ActionRequired)", submitted)},
		})
	f.event(pr, kindPortRequest, normal, "Accepted", "Submit",
		"The provider accepted order SIM-1002 for 3 numbers", submitted)
	f.event(pr, kindPortRequest, warning, "InvalidPIN", "Reconcile",
		"The losing carrier rejected order SIM-1002 (InvalidPIN, provider code pin_invalid). "+
			"Put the PIN the losing carrier has on record in Secret \"port-docs\", key "+
			"\"pin\"; the correction is sent when it changes", ago(12*day))
	f.event(pr, kindPortRequest, normal, "CorrectionSent", "Correct",
		"Sent correction 1 of order SIM-1002 for the InvalidPIN rejection", ago(11*day))
	f.event(pr, kindPortRequest, warning, "PostalCodeMismatch", "Reconcile", message, rejected)

	golden(t, "status-portrequest-actionrequired", f.statusOf("harbor-clinic"))
}

func TestStatusScheduled(t *testing.T) {
	f := newFixture(t, "northwind")
	submitted, confirmed, moved := ago(39*day), ago(5*day), ago(1*day)
	portDate := later(12*day + 3*time.Hour)
	firstDate := portDate.Add(-3 * day)
	numbers := []string{"+13125550181", "+13125550182", "+13125550183"}
	movedMsg := "The port date moved from " + firstDate.Format(time.RFC3339) + " to " +
		portDate.Format(time.RFC3339)
	pr := f.portRequest("northwind", ago(40*day), baseSpec("Lakeshore Communications",
		numbers...), portingv1alpha1.PortRequestStatus{
		ObservedGeneration: 1,
		Phase:              portingv1alpha1.PortRequestScheduled,
		Conditions: []metav1.Condition{
			condition("Validated", condTrue, "Valid",
				"The spec and the objects it references are valid", submitted),
			condition("Submitted", condTrue, "Accepted",
				"The provider accepted order SIM-1003 for 3 numbers", submitted),
			condition("PortDateConfirmed", condTrue, "PortDateMoved", movedMsg, confirmed),
			condition("Ready", condTrue, "PortDateConfirmed",
				"The numbers move at "+portDate.Format(time.RFC3339), confirmed),
		},
		NumberCount:         3,
		OrderID:             "SIM-1003",
		SubmissionStartedAt: mtp(submitted),
		SubmittedAt:         mtp(submitted),
		PortDate:            mtp(portDate),
		Numbers:             orderNumbers(portingv1alpha1.NumberPortScheduled, numbers...),
	}, nil)
	for i, name := range []string{"northwind-main", "northwind-sales"} {
		callFlow := []string{"reception", "sales-queue"}[i]
		status := stagedStatus(callFlow, portDate, confirmed)
		if i == 0 {
			status.Routing = &portingv1alpha1.RoutingObservation{
				RoutedTo:     portingv1alpha1.RoutedToLosingCarrier,
				Carrier:      "Lakeshore Communications",
				Since:        mt(ago(2 * day)),
				Observations: 2,
			}
		}
		pn := f.phoneNumber(name, ago(40*day), phoneSpec(numbers[i], "northwind", callFlow, true),
			status)
		f.event(pn, kindPhoneNumber, normal, "Staged", "Stage", "Staged call flow "+callFlow+
			", inactive until "+firstDate.Format(time.RFC3339), confirmed)
	}
	f.event(pr, kindPortRequest, normal, "PortDateConfirmed", "Schedule",
		"The losing carrier confirmed the port date "+firstDate.Format(time.RFC3339), confirmed)
	f.event(pr, kindPortRequest, warning, "PortDateMoved", "Schedule", movedMsg, moved)

	golden(t, "status-portrequest-scheduled", f.statusOf("northwind"))
	golden(t, "status-phonenumber-staged", f.numberStatusOf("northwind-main"))
}

// stagedStatus is the status of a number whose call flow waits, inactive,
// for the port date.
func stagedStatus(callFlow string, portDate,
	staged time.Time) portingv1alpha1.PhoneNumberStatus {
	msg := "Call flow " + callFlow + " is configured and goes live at " +
		portDate.Format(time.RFC3339)
	return portingv1alpha1.PhoneNumberStatus{
		ObservedGeneration: 1,
		Phase:              portingv1alpha1.PhoneNumberStaged,
		Conditions: []metav1.Condition{
			condition("CallFlowConfigured", condTrue, "Staged", msg, staged),
			condition("Ported", condFalse, "NotPorted",
				"The number still routes to the losing carrier", staged),
			condition("Ready", condTrue, "Staged", msg, staged),
		},
		PortDate:       mtp(portDate),
		StagedCallFlow: callFlow,
	}
}

func TestStatusCompletedWithEarlyTransfer(t *testing.T) {
	f := newFixture(t, "lakeside")
	submitted, confirmed := ago(49*day), ago(20*day)
	portDate := ago(3 * day) // Thursday 2027-02-26 12:00 UTC
	early := portDate.Add(-2*day - 4*time.Hour)
	completed := portDate.Add(5 * time.Minute)
	numbers := []string{"+16135550100", "+16135550104"}
	remind := "Confirm with Maple Leaf Telecom that the ported numbers left the account and " +
		"that billing for them stopped"
	spec := baseSpec("Maple Leaf Telecom", numbers...)
	spec.Subscriber.ServiceAddress = portingv1alpha1.ServiceAddress{Street: "90 Sparks Street",
		City: "Ottawa", Region: "ON", PostalCode: "K1P 5B4", Country: portingv1alpha1.CountryCA}
	ported := orderNumbers(portingv1alpha1.NumberPortPorted, numbers...)
	for i := range ported {
		ported[i].MessagingPorted = true
	}
	pr := f.portRequest("lakeside", ago(50*day), spec, portingv1alpha1.PortRequestStatus{
		ObservedGeneration: 1,
		Phase:              portingv1alpha1.PortRequestCompleted,
		Conditions: []metav1.Condition{
			condition("Validated", condTrue, "Valid",
				"The spec and the objects it references are valid", submitted),
			condition("Submitted", condTrue, "Accepted",
				"The provider accepted order SIM-1004 for 2 numbers", submitted),
			condition("PortDateConfirmed", condTrue, "PortDateConfirmed",
				"The numbers move at "+portDate.Format(time.RFC3339), confirmed),
			condition("Ready", condTrue, "Completed", "Every number was ported", confirmed),
			condition("LosingAccountVerified", condUnknown, "VerifyWithLosingCarrier", remind,
				completed),
		},
		NumberCount:         2,
		OrderID:             "SIM-1004",
		SubmissionStartedAt: mtp(submitted),
		SubmittedAt:         mtp(submitted),
		PortDate:            mtp(portDate),
		CompletedAt:         mtp(completed),
		Numbers:             ported,
	}, nil)

	main := f.phoneNumber("lakeside-main", ago(50*day),
		phoneSpec(numbers[0], "lakeside", "front-desk", true),
		activeStatus(portDate, portDate, confirmed, portingv1alpha1.ActivationPortDate,
			"front-desk", portDate.Add(20*time.Minute)))
	sales := activeStatus(portDate, early, early, portingv1alpha1.ActivationEarlyTransfer,
		"sales-queue", early.Add(26*time.Hour))
	sales.Routing = &portingv1alpha1.RoutingObservation{RoutedTo: portingv1alpha1.RoutedToPlatform,
		Carrier: "Numberport Platform", Since: mt(early.Add(-10 * time.Minute)), Observations: 2}
	salesPN := f.phoneNumber("lakeside-sales", ago(50*day),
		phoneSpec(numbers[1], "lakeside", "sales-queue", true), sales)

	f.lakesideEvents(pr, main, salesPN, portDate, early, remind)

	golden(t, "status-portrequest-completed", f.statusOf("lakeside"))
	golden(t, "status-phonenumber-earlytransfer", f.numberStatusOf("lakeside-sales"))
}

// lakesideEvents are the Events of a port completed at portDate, one of
// whose numbers moved early.
func (f *fixture) lakesideEvents(pr *portingv1alpha1.PortRequest, main,
	sales *portingv1alpha1.PhoneNumber, portDate, early time.Time, remind string) {
	completed := portDate.Add(5 * time.Minute)
	f.event(pr, kindPortRequest, normal, "PortDateConfirmed", "Schedule",
		"The losing carrier confirmed the port date "+portDate.Format(time.RFC3339),
		ago(20*day))
	f.event(sales, kindPhoneNumber, warning, "EarlyTransfer", "Activate",
		"The number routes to the platform before its port date without notice from the "+
			"losing carrier; activated at once (port date "+portDate.Format(time.RFC3339)+")",
		early)
	f.event(sales, kindPhoneNumber, normal, "MessagingReady", "Message",
		"Texts reach the platform", early.Add(26*time.Hour))
	f.event(main, kindPhoneNumber, normal, "Active", "Activate",
		"Activated the number at its port date", portDate)
	f.event(pr, kindPortRequest, normal, "Completed", "Complete", "All 2 numbers were ported",
		completed)
	f.event(pr, kindPortRequest, normal, "VerifyWithLosingCarrier", "Remind", remind, completed)
	f.event(main, kindPhoneNumber, normal, "MessagingReady", "Message",
		"Texts reach the platform", portDate.Add(20*time.Minute))
}

// activeStatus is the status of a live number whose texts arrived.
func activeStatus(portDate, activated, staged time.Time, trigger portingv1alpha1.ActivationTrigger,
	callFlow string, texts time.Time) portingv1alpha1.PhoneNumberStatus {
	live := "Call flow " + callFlow + " answers the number"
	return portingv1alpha1.PhoneNumberStatus{
		ObservedGeneration: 1,
		Phase:              portingv1alpha1.PhoneNumberActive,
		Conditions: []metav1.Condition{
			condition("CallFlowConfigured", condTrue, "Active", live, staged),
			condition("Ported", condTrue, "Active", "The number routes to the platform since "+
				activated.Format(time.RFC3339), activated),
			condition("MessagingReady", condTrue, "MessagingReady", "Texts reach the platform",
				texts),
			condition("Ready", condTrue, "Active", live, staged),
		},
		PortDate:          mtp(portDate),
		StagedCallFlow:    callFlow,
		ActivatedAt:       mtp(activated),
		ActivationTrigger: trigger,
		Messaging: &portingv1alpha1.MessagingStatus{
			State:      portingv1alpha1.MessagingReady,
			ExpectedBy: mtp(activated.Add(3 * day)),
			ReadyAt:    mtp(texts),
		},
	}
}

func TestStatusPhoneNumberWithoutPortRequest(t *testing.T) {
	f := newFixture(t, "ottawa")
	f.phoneNumber("spare-line", ago(6*time.Hour),
		phoneSpec("+16135550160", "ottawa-office", "after-hours", false),
		portingv1alpha1.PhoneNumberStatus{
			ObservedGeneration: 1,
			Phase:              portingv1alpha1.PhoneNumberPending,
			Conditions: []metav1.Condition{condition("Ready", condFalse, "AwaitingPortRequest",
				"PortRequest \"ottawa-office\" does not exist; create it or fix "+
					"spec.portRequestRef.name", ago(6*time.Hour))},
		})

	golden(t, "status-phonenumber-missing-portrequest", f.numberStatusOf("spare-line"))
}
