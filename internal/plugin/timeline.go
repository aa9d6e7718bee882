package plugin

import (
	"fmt"
	"sort"
	"time"

	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
)

// The timelines are built from status first: Events expire (after an hour
// by default), status does not. Events fill in what status keeps no time
// for, such as each correction and each move of the port date.

// rejectionCodes are the Stalled reasons of a rejected order; the Warning
// Event of a rejection carries the code as its reason.
var rejectionCodes = map[string]bool{
	"InvalidPIN": true, "PostalCodeMismatch": true, "UnauthorizedRequester": true,
	"AccountNumberMismatch": true, "SubscriberNameMismatch": true,
	"BillingNumberMismatch": true, "Other": true,
}

// sameMoment is the slack allowed between a time the operator wrote and
// the time of an Event about the same change, written moments apart.
const sameMoment = time.Minute

func (p *printer) portRequestTimeline(v *portRequestView) []entry {
	pr := v.PortRequest
	s := &pr.Status
	es := []entry{{pr.CreationTimestamp.Time, "Created"}}
	if t := s.SubmittedAt; t != nil {
		es = append(es, entry{t.Time, "Submitted: the provider accepted order " + s.OrderID})
	}
	if rej := s.Rejection; rej != nil {
		es = append(es, entry{rej.Since.Time, p.rejectionText(rej)})
	}
	es = append(es, pastRejections(s.Rejection, v.Events)...)
	es = append(es, corrections(int(s.Corrections), v.Events)...)
	es = append(es, p.portDateEntries(pr, v.Events)...)
	es = append(es, p.numberEntries(v.PhoneNumbers)...)
	if t := s.CompletedAt; t != nil {
		es = append(es, entry{t.Time, endText(pr)})
	}
	if t := pr.DeletionTimestamp; t != nil {
		es = append(es, entry{t.Time, "Deletion requested: the order is cancelled first"})
	}
	return es
}

func (p *printer) rejectionText(rej *portingv1alpha1.Rejection) string {
	text := "Rejected with " + rej.Code
	if rej.Field != "" {
		text += " on " + rej.Field
	}
	if d := rej.CancellationDeadline; d != nil {
		text += "; the provider cancels the order unless it is corrected by " + p.at(d.Time)
	}
	return text
}

// pastRejections lists the rejections that Events still remember, except
// the current one, which status describes better. The current rejection's
// time is the provider's, and its Event follows when the operator next
// reads the order, so every Event of the same code from then on is about it.
func pastRejections(current *portingv1alpha1.Rejection, evs []eventsv1.Event) []entry {
	var es []entry
	for i := range evs {
		e := &evs[i]
		if e.Regarding.Kind != kindPortRequest || !rejectionCodes[e.Reason] {
			continue
		}
		at := eventFirst(e)
		if current != nil && current.Code == e.Reason &&
			!at.Before(current.Since.Add(-sameMoment)) {
			continue
		}
		es = append(es, entry{at, "Rejected with " + e.Reason})
	}
	return es
}

// corrections lists each correction an Event remembers and, when status
// counts more, how many there were in all: status keeps only the count.
func corrections(count int, evs []eventsv1.Event) []entry {
	sent := eventsWithReason(evs, kindPortRequest, portingv1alpha1.ReasonCorrectionSent)
	es := make([]entry, 0, len(sent)+1)
	for i := range sent {
		es = append(es, entry{eventFirst(&sent[i]), sent[i].Note})
	}
	switch {
	case count > len(sent) && len(sent) == 0:
		es = append(es, entry{text: fmt.Sprintf("Corrected %s (when is not recorded)",
			times(count))})
	case count > len(sent):
		es = append(es, entry{text: fmt.Sprintf("Corrected %s in all (the earlier ones are "+
			"not recorded)", times(count))})
	}
	return es
}

// portDateEntries shows when the port date was confirmed and each move of
// it. The condition's transition time is when the date was first confirmed:
// it does not move when only the reason changes.
func (p *printer) portDateEntries(pr *portingv1alpha1.PortRequest,
	evs []eventsv1.Event) []entry {
	c := findCondition(pr.Status.Conditions, portingv1alpha1.ConditionPortDateConfirmed)
	if c == nil || c.Status != metav1.ConditionTrue {
		return nil
	}
	moves := eventsWithReason(evs, kindPortRequest, portingv1alpha1.ReasonPortDateMoved)
	if c.Reason != portingv1alpha1.ReasonPortDateMoved {
		return []entry{{c.LastTransitionTime.Time,
			"Port date confirmed: " + p.at(timeOf(pr.Status.PortDate))}}
	}
	es := []entry{{c.LastTransitionTime.Time, "Port date confirmed"}}
	for i := range moves {
		es = append(es, entry{eventFirst(&moves[i]), moves[i].Note})
	}
	if len(moves) == 0 {
		es = append(es, entry{text: "Port date moved to " + p.at(timeOf(pr.Status.PortDate)) +
			" (when is not recorded)"})
	}
	return es
}

// endText describes how an order ended.
func endText(pr *portingv1alpha1.PortRequest) string {
	s := &pr.Status
	switch s.Phase {
	case portingv1alpha1.PortRequestCompleted:
		return "Completed: " + allNumbers(len(s.Numbers)) + " ported"
	case portingv1alpha1.PortRequestPartiallyCompleted:
		ported := 0
		for _, n := range s.Numbers {
			if n.State == portingv1alpha1.NumberPortPorted {
				ported++
			}
		}
		return fmt.Sprintf("Partially completed: %d of %d numbers ported", ported,
			len(s.Numbers))
	case portingv1alpha1.PortRequestCancelled:
		if c := stalled(s.Conditions); c != nil &&
			c.Reason == portingv1alpha1.ReasonCancelledByProvider {
			return "Cancelled by the provider"
		}
		return "Cancelled"
	case portingv1alpha1.PortRequestFailed:
		if c := stalled(s.Conditions); c != nil {
			return "Failed: " + c.Reason
		}
	}
	return string(s.Phase)
}

// allNumbers counts every number of an order in words.
func allNumbers(n int) string {
	switch n {
	case 1:
		return "the number"
	case 2:
		return "both numbers"
	}
	return fmt.Sprintf("all %d numbers", n)
}

// numberEntries shows the activations and messaging changes of an order's
// numbers. Numbers that changed at the same instant for the same reason
// share a line, so that an order of many numbers keeps a short timeline.
func (p *printer) numberEntries(pns []portingv1alpha1.PhoneNumber) []entry {
	type key struct {
		at   time.Time
		text string
	}
	groups := map[key][]string{}
	var order []key
	add := func(at time.Time, text, number string) {
		k := key{at, text}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], number)
	}
	for i := range pns {
		pn := &pns[i]
		for _, e := range p.numberMilestones(pn) {
			add(e.at, e.text, pn.Spec.Number)
		}
	}
	es := make([]entry, 0, len(order))
	for _, k := range order {
		numbers := groups[k]
		sort.Strings(numbers)
		es = append(es, entry{k.at, fmt.Sprintf(k.text, listOf(numbers))})
	}
	return es
}

// numberMilestones are the dated changes of one number, as format strings
// that take the number (or the numbers sharing the change).
func (p *printer) numberMilestones(pn *portingv1alpha1.PhoneNumber) []entry {
	s := &pn.Status
	var es []entry
	if t := s.ActivatedAt; t != nil {
		es = append(es, entry{t.Time, activationText(pn)})
	}
	if m := s.Messaging; m != nil {
		switch {
		case m.ReadyAt != nil:
			es = append(es, entry{m.ReadyAt.Time, "Messaging ready for %s: texts reach " +
				"the platform"})
		case m.State == portingv1alpha1.MessagingDelayed && m.ExpectedBy != nil:
			es = append(es, entry{m.ExpectedBy.Time, "Messaging delayed for %s: no " +
				"messaging route three business days after activation"})
		}
	}
	return es
}

// activationText is a format string that takes the number.
func activationText(pn *portingv1alpha1.PhoneNumber) string {
	s := &pn.Status
	switch s.ActivationTrigger {
	case portingv1alpha1.ActivationEarlyTransfer:
		if s.PortDate == nil || s.ActivatedAt == nil {
			return "Activated %s early (early transfer, before any port date was confirmed)"
		}
		lead := s.PortDate.Sub(s.ActivatedAt.Time)
		return "Activated %s early (early transfer, " + span(lead) + " before the port date)"
	case portingv1alpha1.ActivationAlreadyOnPlatform:
		return "Activated %s (already on the platform)"
	}
	return "Activated %s at the port date"
}

func (p *printer) phoneNumberTimeline(v *phoneNumberView) []entry {
	pn := v.PhoneNumber
	s := &pn.Status
	es := []entry{{pn.CreationTimestamp.Time, "Created"}}
	if pr := v.PortRequest; pr != nil {
		es = append(es, portRequestMilestones(pr)...)
	}
	if e, ok := p.stagedEntry(pn); ok {
		es = append(es, e)
	}
	if r := s.Routing; r != nil {
		es = append(es, entry{r.Since.Time, routingText(r)})
	}
	es = append(es, conditionEntries(s.Conditions)...)
	for _, e := range p.numberMilestones(pn) {
		es = append(es, entry{e.at, fmt.Sprintf(e.text, "the number")})
	}
	es = append(es, pastNumberWarnings(s.Conditions, v.Events)...)
	return es
}

// portRequestMilestones are the changes of a number's order that matter to
// the number: submission and the confirmation of its port date.
func portRequestMilestones(pr *portingv1alpha1.PortRequest) []entry {
	var es []entry
	if t := pr.Status.SubmittedAt; t != nil {
		es = append(es, entry{t.Time, "PortRequest " + pr.Name + " submitted (order " +
			pr.Status.OrderID + ")"})
	}
	c := findCondition(pr.Status.Conditions, portingv1alpha1.ConditionPortDateConfirmed)
	if c != nil && c.Status == metav1.ConditionTrue {
		es = append(es, entry{c.LastTransitionTime.Time, "PortRequest " + pr.Name +
			": port date confirmed"})
	}
	return es
}

// stagedEntry is when the call flow was first configured inactive. A
// number activated before it was ever staged has no such moment.
func (p *printer) stagedEntry(pn *portingv1alpha1.PhoneNumber) (entry, bool) {
	c := findCondition(pn.Status.Conditions, portingv1alpha1.ConditionCallFlowConfigured)
	if c == nil || c.Status != metav1.ConditionTrue {
		return entry{}, false
	}
	at := c.LastTransitionTime.Time
	if a := pn.Status.ActivatedAt; a != nil && !at.Before(a.Time) {
		return entry{}, false
	}
	text := "Call flow staged, inactive until the port date"
	if cf := pn.Status.StagedCallFlow; cf != "" {
		text = "Call flow " + cf + " staged, inactive until the port date"
	}
	return entry{at, text}, true
}

func routingText(r *portingv1alpha1.RoutingObservation) string {
	where := string(r.RoutedTo)
	switch r.RoutedTo {
	case portingv1alpha1.RoutedToLosingCarrier:
		where = "still routes to the losing carrier"
	case portingv1alpha1.RoutedToPlatform:
		where = "routes to the platform"
	case portingv1alpha1.RoutedToDisconnected:
		where = "is out of service at the losing carrier"
	}
	text := "Routing lookup: the number " + where
	if r.Carrier != "" {
		text += " (" + r.Carrier + ")"
	}
	return text + fmt.Sprintf(", %d agreeing %s", r.Observations,
		plural(int(r.Observations), "lookup"))
}

// conditionEntries are the dated problems of a number: dropped lines and a
// failed port.
func conditionEntries(conds []metav1.Condition) []entry {
	var es []entry
	if c := findCondition(conds, portingv1alpha1.ConditionInService); c != nil &&
		c.Reason == portingv1alpha1.ReasonLinesDropped {
		es = append(es, entry{c.LastTransitionTime.Time, "Lines dropped: out of service " +
			"while the losing carrier still holds the number"})
	}
	if c := findCondition(conds, portingv1alpha1.ConditionPorted); c != nil &&
		c.Reason == portingv1alpha1.ReasonPortFailed {
		es = append(es, entry{c.LastTransitionTime.Time, "Port failed: " + c.Message})
	}
	return es
}

// pastNumberWarnings lists warnings that Events remember but status no
// longer shows, such as dropped lines that were restored or texting that
// was late before it arrived.
func pastNumberWarnings(conds []metav1.Condition, evs []eventsv1.Event) []entry {
	var es []entry
	dropped := findCondition(conds, portingv1alpha1.ConditionInService)
	for _, e := range eventsWithReason(evs, kindPhoneNumber, portingv1alpha1.ReasonLinesDropped) {
		if dropped == nil {
			es = append(es, entry{eventFirst(&e), "Lines dropped (since restored)"})
		}
	}
	messaging := findCondition(conds, portingv1alpha1.ConditionMessagingReady)
	for _, e := range eventsWithReason(evs, kindPhoneNumber,
		portingv1alpha1.ReasonMessagingDelayed) {
		if messaging == nil || messaging.Reason != portingv1alpha1.ReasonMessagingDelayed {
			es = append(es, entry{eventFirst(&e), "Messaging delayed"})
		}
	}
	return es
}
