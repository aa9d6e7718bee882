package plugin

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
)

// portRequest writes the status of a PortRequest.
func (p *printer) portRequest(v *portRequestView) {
	pr := v.PortRequest
	p.fields(p.portRequestHeader(pr))
	p.conditions(pr.Status.Conditions)
	p.timeline(p.portRequestTimeline(v))
	p.portRequestNumbers(v)
	p.events(v.Events, v.EventsErr, true)
	p.nextStep(p.portRequestNextStep(v))
}

func (p *printer) portRequestHeader(pr *portingv1alpha1.PortRequest) []field {
	s := &pr.Status
	fs := []field{
		{"Name", pr.Name},
		{"Namespace", pr.Namespace},
		{"Kind", kindPortRequest},
		{"Phase", orNone(string(s.Phase))},
		{"Age", p.age(pr.CreationTimestamp.Time)},
		{"Losing carrier", pr.Spec.LosingCarrier.Name},
		{"Order", orNone(s.OrderID)},
		{"Numbers", numberCount(pr)},
	}
	if d := pr.Spec.RequestedPortDate; d != "" {
		fs = append(fs, field{"Requested date", d})
	}
	fs = append(fs, field{"Port date", p.portDateText(s)})
	if s.Corrections > 0 {
		fs = append(fs, field{"Corrections", strconv.Itoa(int(s.Corrections))})
	}
	if rej := s.Rejection; rej != nil {
		fs = append(fs, field{"Rejection", rej.Code + ", since " + p.when(rej.Since.Time)})
		if rej.Field != "" {
			fs = append(fs, field{"  Field", rej.Field})
		}
		if d := rej.CancellationDeadline; d != nil {
			fs = append(fs, field{"  Deadline", p.when(d.Time)})
		}
	}
	if t := pr.DeletionTimestamp; t != nil {
		fs = append(fs, field{"Deleting", "since " + p.when(t.Time)})
	}
	return fs
}

// numberCount says how many numbers an order carries. Before submission a
// list in a ConfigMap has not been read yet, and is named instead.
func numberCount(pr *portingv1alpha1.PortRequest) string {
	switch n := numberTotal(pr); {
	case n > 0:
		return strconv.Itoa(n)
	case pr.Spec.NumbersFrom != nil:
		ref := pr.Spec.NumbersFrom.ConfigMapKeyRef
		return fmt.Sprintf("listed in ConfigMap %s, key %s", ref.Name, ref.Key)
	}
	return none
}

// numberTotal is how many numbers an order carries, as far as is known: a
// list in a ConfigMap is counted once the operator has read it.
func numberTotal(pr *portingv1alpha1.PortRequest) int {
	if n := pr.Status.NumberCount; n > 0 {
		return int(n)
	}
	return len(pr.Spec.Numbers)
}

// portDateText shows the confirmed port date or, until there is one, the
// window in which it is expected and where now stands against it.
func (p *printer) portDateText(s *portingv1alpha1.PortRequestStatus) string {
	if s.PortDate != nil {
		return p.when(s.PortDate.Time)
	}
	w := s.EstimatedPortWindow
	if s.Phase.IsTerminal() {
		return "none (the order ended " + string(s.Phase) + ")"
	}
	if w == nil {
		return "not confirmed"
	}
	text := fmt.Sprintf("not confirmed, expected between %s and %s", p.date(w.Earliest.Time),
		p.date(w.Latest.Time))
	switch {
	case p.now.Before(w.Earliest.Time):
		return text + " (" + p.relative(w.Earliest.Time) + ")"
	case p.now.Before(w.Latest.Time):
		return text + " (window closes " + p.relative(w.Latest.Time) + ")"
	}
	return text + " (overdue since " + p.relative(w.Latest.Time) + ")"
}

// numberRow is one number of an order and a PhoneNumber that declares it,
// either of which may be missing.
type numberRow struct {
	number string
	order  *portingv1alpha1.NumberPortStatus
	pn     *portingv1alpha1.PhoneNumber
}

// numberRows joins the numbers of the spec, the order and the PhoneNumbers
// that reference the PortRequest, one row per PhoneNumber, sorted by number.
func numberRows(v *portRequestView) []numberRow {
	pr := v.PortRequest
	orders := map[string]*portingv1alpha1.NumberPortStatus{}
	for i := range pr.Status.Numbers {
		orders[pr.Status.Numbers[i].Number] = &pr.Status.Numbers[i]
	}
	pns := map[string][]*portingv1alpha1.PhoneNumber{}
	for i := range v.PhoneNumbers {
		pn := &v.PhoneNumbers[i]
		pns[pn.Spec.Number] = append(pns[pn.Spec.Number], pn)
	}

	seen := map[string]bool{}
	var numbers []string
	for _, list := range [][]string{pr.Spec.Numbers, keys(orders), keys(pns)} {
		for _, n := range list {
			if !seen[n] {
				seen[n] = true
				numbers = append(numbers, n)
			}
		}
	}
	sort.Strings(numbers)

	var rows []numberRow
	for _, n := range numbers {
		if len(pns[n]) == 0 {
			rows = append(rows, numberRow{number: n, order: orders[n]})
		}
		for _, pn := range pns[n] {
			rows = append(rows, numberRow{number: n, order: orders[n], pn: pn})
		}
	}
	return rows
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// portRequestNumbers writes the per-number table.
func (p *printer) portRequestNumbers(v *portRequestView) {
	rows := numberRows(v)
	if len(rows) == 0 {
		p.emptySection("Numbers", none+" (the order has not read its number list yet)")
	} else {
		p.section("Numbers")
		cells := make([][]string, 0, len(rows))
		for _, r := range rows {
			cells = append(cells, p.numberCells(r))
		}
		p.table([]string{"NUMBER", "ORDER", "PHONENUMBER", "PHASE", "CALL FLOW", "ACTIVATED",
			"MESSAGING", "NOTE"}, cells)
	}
	switch {
	case v.PhoneNumbersErr != nil:
		p.line("PhoneNumbers cannot be read: %v", v.PhoneNumbersErr)
	case len(v.PhoneNumbers) == 0:
		p.line("No PhoneNumber references this PortRequest.")
	}
}

func (p *printer) numberCells(r numberRow) []string {
	order := "-"
	if r.order != nil {
		order = string(r.order.State)
	}
	if r.pn == nil {
		return []string{r.number, order, none, "-", "-", "-", "-", rowNote(r)}
	}
	return []string{r.number, order, r.pn.Name, orNone(string(r.pn.Status.Phase)),
		orNone(r.pn.Spec.CallFlow), p.activation(r.pn), messagingText(r.pn), rowNote(r)}
}

// activation says when and why a number went live, or "-".
func (p *printer) activation(pn *portingv1alpha1.PhoneNumber) string {
	t := pn.Status.ActivatedAt
	if t == nil {
		return "-"
	}
	return p.relative(t.Time) + " (" + triggerText(pn.Status.ActivationTrigger) + ")"
}

func triggerText(t portingv1alpha1.ActivationTrigger) string {
	switch t {
	case portingv1alpha1.ActivationPortDate:
		return "port date"
	case portingv1alpha1.ActivationEarlyTransfer:
		return "early transfer"
	case portingv1alpha1.ActivationAlreadyOnPlatform:
		return "already on the platform"
	}
	return orNone(string(t))
}

// messagingText is the state of a number's texting: off, waiting for the
// number to go live, or the state of its messaging route.
func messagingText(pn *portingv1alpha1.PhoneNumber) string {
	switch {
	case pn.Spec.Messaging == nil || !pn.Spec.Messaging.Enabled:
		return "off"
	case pn.Status.Phase == portingv1alpha1.PhoneNumberFailed:
		return "-"
	case pn.Status.Messaging == nil:
		return "after activation"
	}
	return string(pn.Status.Messaging.State)
}

// rowNote says what is unusual about a number: why the order could not
// port it, why its PhoneNumber is stuck, or that it has none.
func rowNote(r numberRow) string {
	var notes []string
	if r.order != nil && r.order.Reason != "" {
		notes = append(notes, r.order.Reason)
	}
	if r.pn == nil {
		if r.order == nil || r.order.State != portingv1alpha1.NumberPortNotPortable {
			notes = append(notes, "no PhoneNumber")
		}
		return joinNotes(notes)
	}
	conds := r.pn.Status.Conditions
	if c := stalled(conds); c != nil {
		notes = append(notes, c.Reason)
	} else if c := findCondition(conds, portingv1alpha1.ConditionReady); c != nil &&
		c.Reason == portingv1alpha1.ReasonNoCallFlow {
		notes = append(notes, c.Reason)
	}
	if c := findCondition(conds, portingv1alpha1.ConditionInService); c != nil &&
		c.Reason == portingv1alpha1.ReasonLinesDropped && !slices.Contains(notes, c.Reason) {
		notes = append(notes, c.Reason)
	}
	return joinNotes(notes)
}

// joinNotes joins short notes taken from the cluster on one line.
func joinNotes(notes []string) string {
	for i, n := range notes {
		notes[i] = strings.TrimSuffix(strings.TrimSpace(n), ".")
	}
	return strings.Join(notes, "; ")
}
