package plugin

import (
	"fmt"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
)

// The next step is one sentence derived from the phase and the conditions.
// The most urgent matter wins: a live number that nobody answers, then
// whatever a person must fix, then what the phase asks for. When nothing is
// needed the sentence says so, and what happens next without the reader.

// portRequestNextStep says what to do now about a PortRequest.
func (p *printer) portRequestNextStep(v *portRequestView) string {
	pr := v.PortRequest
	if s := unansweredStep(v.PhoneNumbers); s != "" {
		return s
	}
	if pr.DeletionTimestamp != nil {
		return deletingStep(pr)
	}
	switch pr.Status.Phase {
	case "":
		return "Nothing to do yet: the operator has not reported on this PortRequest; if " +
			"this lasts more than a minute, check that the numberport manager is running."
	case portingv1alpha1.PortRequestActionRequired:
		return p.rejectionStep(pr)
	case portingv1alpha1.PortRequestCompleted:
		return completedStep(v)
	case portingv1alpha1.PortRequestPartiallyCompleted:
		return partialStep(pr)
	case portingv1alpha1.PortRequestCancelled:
		return cancelledStep(pr)
	case portingv1alpha1.PortRequestFailed:
		return failedStep(pr)
	}
	if c := stalled(pr.Status.Conditions); c != nil {
		return sentence(c.Message)
	}
	if c := findCondition(pr.Status.Conditions, portingv1alpha1.ConditionReady); c != nil &&
		c.Reason == portingv1alpha1.ReasonProviderUnavailable {
		return "Nothing to do: the provider answers with transient errors and the operator " +
			"retries with backoff."
	}
	switch pr.Status.Phase {
	case portingv1alpha1.PortRequestSubmitted:
		return p.submittedStep(v)
	case portingv1alpha1.PortRequestScheduled:
		return p.scheduledStep(v)
	}
	return "Nothing to do: the operator is validating the order and submitting it to the " +
		"provider."
}

// unansweredStep points at a number that is live with no call flow: calls
// to it go unanswered, which outranks anything else about its order.
func unansweredStep(pns []portingv1alpha1.PhoneNumber) string {
	var names []string
	for i := range pns {
		if c := stalled(pns[i].Status.Conditions); c != nil &&
			c.Reason == portingv1alpha1.ReasonActiveWithoutCallFlow {
			names = append(names, pns[i].Name)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return fmt.Sprintf("Set spec.callFlow on %s %s now: %s live and calls to %s are not "+
		"answered.", plural(len(names), "PhoneNumber"), listOf(names),
		pick(len(names), "its number is", "their numbers are"),
		pick(len(names), "it", "them"))
}

func pick(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func deletingStep(pr *portingv1alpha1.PortRequest) string {
	if c := stalled(pr.Status.Conditions); c != nil &&
		c.Reason == portingv1alpha1.ReasonCancelRefused {
		return sentence(c.Message)
	}
	return "Nothing to do: the order is being cancelled with the provider, then the " +
		"PortRequest is removed."
}

// rejectionStep names the field to fix and the deadline, from the
// rejection the operator recorded.
func (p *printer) rejectionStep(pr *portingv1alpha1.PortRequest) string {
	rej := pr.Status.Rejection
	if rej == nil {
		if c := stalled(pr.Status.Conditions); c != nil {
			return sentence(c.Message)
		}
		return "Correct the spec where it differs from the losing carrier's record; the " +
			"correction is sent automatically."
	}
	fix := fixFor(rej, pr)
	d := rej.CancellationDeadline
	switch {
	case d == nil:
		return fix + "; the correction is sent automatically."
	case d.After(p.now):
		return fix + " before " + p.when(d.Time) + "; the correction is sent automatically."
	}
	return fix + " at once: the cancellation deadline passed " + p.relative(d.Time) +
		", and the provider cancels the order unless the correction reaches it first."
}

// fixFor says what to change for a rejection. A wrong PIN is fixed in its
// Secret, which the plugin names but never reads.
func fixFor(rej *portingv1alpha1.Rejection, pr *portingv1alpha1.PortRequest) string {
	ref := pr.Spec.LosingCarrier.PINSecretRef
	switch {
	case rej.Code == "InvalidPIN" && ref != nil:
		return fmt.Sprintf("Put the PIN %s has on record in Secret %s, key %s,",
			carrierOf(pr), ref.Name, ref.Key)
	case rej.Field != "":
		return "Fix " + rej.Field
	}
	return "Correct the spec where it differs from " + carrierOf(pr) + "'s record"
}

func (p *printer) submittedStep(v *portRequestView) string {
	s := &v.PortRequest.Status
	w := s.EstimatedPortWindow
	if w != nil && p.now.After(w.Latest.Time) {
		return fmt.Sprintf("Ask the provider about order %s: the losing carrier has not "+
			"confirmed a port date, expected by %s.", s.OrderID, p.date(w.Latest.Time))
	}
	step := "Nothing to do: the losing carrier confirms a port date in 4 to 6 weeks"
	if w != nil {
		step += fmt.Sprintf(" (expected between %s and %s)", p.date(w.Earliest.Time),
			p.date(w.Latest.Time))
	}
	if prep := preparation(v); prep != "" {
		step += "; meanwhile, " + prep
	}
	return step + "."
}

func (p *printer) scheduledStep(v *portRequestView) string {
	s := &v.PortRequest.Status
	pd := timeOf(s.PortDate)
	if prep := preparation(v); prep != "" && p.now.Before(pd) {
		return upperFirst(prep) + " before the port date " + p.when(pd) +
			": a number without one rings nowhere once ported."
	}
	if !p.now.Before(pd) {
		return fmt.Sprintf("Nothing to do: the port date passed %s and the provider reports "+
			"the numbers ported shortly; if this lasts, ask the provider about order %s.",
			p.relative(pd), s.OrderID)
	}
	return "Nothing to do: the numbers move at " + p.when(pd) + " and their call flows go " +
		"live then."
}

// preparation lists what is missing for every number to be answered once
// ported: call flows on PhoneNumbers, and PhoneNumbers for numbers that
// have none.
func preparation(v *portRequestView) string {
	var noCallFlow, uncovered []string
	for _, r := range numberRows(v) {
		if r.order != nil && (r.order.State == portingv1alpha1.NumberPortNotPortable ||
			r.order.State == portingv1alpha1.NumberPortCancelled) {
			continue
		}
		switch {
		case r.pn == nil:
			uncovered = append(uncovered, r.number)
		case r.pn.Spec.CallFlow == "" && r.pn.Status.Phase != portingv1alpha1.PhoneNumberFailed:
			noCallFlow = append(noCallFlow, r.pn.Name)
		}
	}
	var parts []string
	if len(noCallFlow) > 0 {
		parts = append(parts, fmt.Sprintf("set spec.callFlow on %s %s",
			plural(len(noCallFlow), "PhoneNumber"), listOf(noCallFlow)))
	}
	if len(uncovered) > 0 && v.PhoneNumbersErr == nil {
		parts = append(parts, fmt.Sprintf("create a PhoneNumber with a call flow for %s",
			listOf(uncovered)))
	}
	return strings.Join(parts, " and ")
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func completedStep(v *portRequestView) string {
	carrier := carrierOf(v.PortRequest)
	if late := delayedMessaging(v.PhoneNumbers); len(late) > 0 {
		return fmt.Sprintf("Ask the provider to escalate the messaging port of %s with %s, and "+
			"confirm with %s that the numbers left the account.", listOf(late), carrier,
			carrier)
	}
	return fmt.Sprintf("Confirm with %s that the numbers left the account and that billing "+
		"for them stopped.", carrier)
}

func delayedMessaging(pns []portingv1alpha1.PhoneNumber) []string {
	var out []string
	for i := range pns {
		if m := pns[i].Status.Messaging; m != nil && m.State == portingv1alpha1.MessagingDelayed {
			out = append(out, pns[i].Spec.Number)
		}
	}
	return out
}

func partialStep(pr *portingv1alpha1.PortRequest) string {
	var left []string
	for _, n := range pr.Status.Numbers {
		if n.State != portingv1alpha1.NumberPortPorted {
			left = append(left, n.Number)
		}
	}
	carrier := carrierOf(pr)
	return fmt.Sprintf("Port %s with a new PortRequest once %s allows it, and confirm with %s "+
		"that the ported numbers left the account.", listOf(left), carrier, carrier)
}

func cancelledStep(pr *portingv1alpha1.PortRequest) string {
	if c := stalled(pr.Status.Conditions); c != nil &&
		c.Reason == portingv1alpha1.ReasonCancelledByProvider {
		return fmt.Sprintf("Create a new PortRequest to port the numbers: the provider "+
			"cancelled order %s, usually because a rejection was not corrected in time.",
			pr.Status.OrderID)
	}
	return fmt.Sprintf("Create a new PortRequest if the numbers should still move: order %s "+
		"was cancelled.", orNone(pr.Status.OrderID))
}

func failedStep(pr *portingv1alpha1.PortRequest) string {
	c := stalled(pr.Status.Conditions)
	switch {
	case c != nil && c.Reason == portingv1alpha1.ReasonOrderLost:
		return fmt.Sprintf("Ask the provider whether order %s still goes ahead; to start "+
			"over, delete this PortRequest and create a new one.", pr.Status.OrderID)
	case c != nil:
		return "Create a new PortRequest once the cause is fixed: the order cannot go on (" +
			c.Reason + ")."
	}
	return "Create a new PortRequest: the order cannot go on."
}

// phoneNumberNextStep says what to do now about a PhoneNumber.
func (p *printer) phoneNumberNextStep(v *phoneNumberView) string {
	pn := v.PhoneNumber
	conds := pn.Status.Conditions
	if c := stalled(conds); c != nil {
		return stalledNumberStep(c, v)
	}
	if c := findCondition(conds, portingv1alpha1.ConditionInService); c != nil &&
		c.Reason == portingv1alpha1.ReasonLinesDropped {
		return linesDroppedStep(v)
	}
	switch pn.Status.Phase {
	case "":
		return "Nothing to do yet: the operator has not reported on this PhoneNumber; if " +
			"this lasts more than a minute, check that the numberport manager is running."
	case portingv1alpha1.PhoneNumberPending:
		return p.pendingNumberStep(v)
	case portingv1alpha1.PhoneNumberStaged:
		return fmt.Sprintf("Nothing to do: call flow %s goes live at %s.",
			pn.Spec.CallFlow, p.when(timeOf(pn.Status.PortDate)))
	case portingv1alpha1.PhoneNumberActive:
		return p.activeNumberStep(v)
	}
	return "Port the number with a new PortRequest once the losing carrier allows it."
}

func stalledNumberStep(c *metav1.Condition, v *phoneNumberView) string {
	switch c.Reason {
	case portingv1alpha1.ReasonActiveWithoutCallFlow:
		return "Set spec.callFlow now: the number is live and calls to it are not answered."
	case portingv1alpha1.ReasonLinesDropped:
		return linesDroppedStep(v)
	case portingv1alpha1.ReasonPortFailed:
		return fmt.Sprintf("Port the number with a new PortRequest once %s allows it: %s",
			numberCarrier(v), sentence(c.Message))
	}
	return sentence(c.Message)
}

func linesDroppedStep(v *phoneNumberView) string {
	return fmt.Sprintf("Ask %s to restore the number: it was disconnected, not ported, and "+
		"the port cannot go ahead while it is out of service.", numberCarrier(v))
}

// numberCarrier names the carrier a number leaves, from its order or, when
// that is gone, from the last routing lookup.
func numberCarrier(v *phoneNumberView) string {
	if v.PortRequest != nil {
		return carrierOf(v.PortRequest)
	}
	if r := v.PhoneNumber.Status.Routing; r != nil && r.Carrier != "" &&
		r.RoutedTo != portingv1alpha1.RoutedToPlatform {
		return r.Carrier
	}
	return "the losing carrier"
}

func (p *printer) pendingNumberStep(v *phoneNumberView) string {
	pn := v.PhoneNumber
	ref := pn.Spec.PortRequestRef
	switch {
	case ref != nil && v.PortRequestMissing:
		return fmt.Sprintf("Create PortRequest %s in namespace %s, or set "+
			"spec.portRequestRef.name to the PortRequest that ports %s.", ref.Name,
			pn.Namespace, pn.Spec.Number)
	case pn.Spec.CallFlow == "" && pn.Status.PortDate != nil:
		return "Set spec.callFlow before the port date " + p.when(pn.Status.PortDate.Time) +
			": otherwise the number rings nowhere once ported."
	case pn.Spec.CallFlow == "":
		return "Set spec.callFlow, so that the call flow is staged as soon as the port date " +
			"is confirmed."
	}
	if c := findCondition(pn.Status.Conditions, portingv1alpha1.ConditionReady); c != nil &&
		c.Reason == portingv1alpha1.ReasonProviderUnavailable {
		return "Nothing to do: the platform answers with transient errors and the operator " +
			"retries with backoff."
	}
	if pr := v.PortRequest; pr != nil {
		return portRequestWaitStep(pr)
	}
	return "Nothing to do: the number is staged once its port date is confirmed."
}

// portRequestWaitStep sends the reader to the order a pending number waits
// for, when that order needs them.
func portRequestWaitStep(pr *portingv1alpha1.PortRequest) string {
	if pr.Status.Phase == portingv1alpha1.PortRequestActionRequired || stalled(
		pr.Status.Conditions) != nil {
		return fmt.Sprintf("Fix PortRequest %s first: it needs you (see kubectl numberport "+
			"status portreq %s).", pr.Name, pr.Name)
	}
	return fmt.Sprintf("Nothing to do: the call flow is staged once PortRequest %s gets a "+
		"confirmed port date (it is %s).", pr.Name, orNone(string(pr.Status.Phase)))
}

func (p *printer) activeNumberStep(v *phoneNumberView) string {
	pn := v.PhoneNumber
	s := &pn.Status
	if m := s.Messaging; m != nil && m.State == portingv1alpha1.MessagingDelayed {
		return fmt.Sprintf("Ask the provider to escalate the messaging port with %s: texts "+
			"were expected by %s.", numberCarrier(v), p.at(timeOf(m.ExpectedBy)))
	}
	if s.ActivationTrigger == portingv1alpha1.ActivationEarlyTransfer && s.PortDate != nil &&
		p.now.Before(s.PortDate.Time) {
		return fmt.Sprintf("Place a test call: the number went live early, before its port "+
			"date %s, and call flow %s should answer it.", p.at(s.PortDate.Time),
			pn.Spec.CallFlow)
	}
	if m := s.Messaging; m != nil && m.State == portingv1alpha1.MessagingPending {
		return fmt.Sprintf("Nothing to do: the number is live and texts are expected by %s.",
			p.when(timeOf(m.ExpectedBy)))
	}
	return fmt.Sprintf("Nothing to do: the number is live and call flow %s answers it.",
		pn.Spec.CallFlow)
}
