package plugin

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
)

// conditions writes the conditions of an object, the summary ones first.
func (p *printer) conditions(conds []metav1.Condition) {
	if len(conds) == 0 {
		p.emptySection("Conditions", none+" (the operator has not reported on it yet)")
		return
	}
	p.section("Conditions")
	rows := make([][]string, 0, len(conds))
	for _, c := range orderConditions(conds) {
		rows = append(rows, []string{c.Type, string(c.Status), c.Reason,
			p.age(c.LastTransitionTime.Time), c.Message})
	}
	p.table([]string{"TYPE", "STATUS", "REASON", "AGE", "MESSAGE"}, rows)
}

// orderConditions puts Ready and Stalled first, where a reader looks, and
// keeps the order the operator wrote the others in.
func orderConditions(conds []metav1.Condition) []metav1.Condition {
	rank := func(t string) int {
		switch t {
		case portingv1alpha1.ConditionReady:
			return 0
		case portingv1alpha1.ConditionStalled:
			return 1
		}
		return 2
	}
	out := append([]metav1.Condition(nil), conds...)
	sort.SliceStable(out, func(i, j int) bool { return rank(out[i].Type) < rank(out[j].Type) })
	return out
}

// entry is one line of a timeline. An entry without a time is something the
// status records without saying when; it is listed last.
type entry struct {
	at   time.Time
	text string
}

// timeline writes entries oldest first.
func (p *printer) timeline(entries []entry) {
	sort.SliceStable(entries, func(i, j int) bool {
		a, b := entries[i].at, entries[j].at
		if a.IsZero() || b.IsZero() {
			return !a.IsZero() && b.IsZero()
		}
		return a.Before(b)
	})
	p.section("Timeline")
	rows := make([][]string, 0, len(entries))
	for _, e := range entries {
		at, rel := "-", "-"
		if !e.at.IsZero() {
			at, rel = p.at(e.at), p.relative(e.at)
		}
		rows = append(rows, []string{at, rel, e.text})
	}
	p.rows(indent, rows)
}

// events writes the Events of a report, with the object each one regards
// when they are about several objects.
func (p *printer) events(evs []eventsv1.Event, err error, withObject bool) {
	if err != nil && len(evs) == 0 {
		p.emptySection("Events", "cannot be read: "+err.Error())
		return
	}
	if len(evs) == 0 {
		p.emptySection("Events", none)
		return
	}
	p.section("Events")
	header := []string{"TYPE", "REASON", "AGE"}
	if withObject {
		header = append(header, "OBJECT")
	}
	header = append(header, "NOTE")
	rows := make([][]string, 0, len(evs))
	for i := range evs {
		e := &evs[i]
		row := []string{e.Type, e.Reason, p.eventAge(e)}
		if withObject {
			row = append(row, e.Regarding.Kind+"/"+e.Regarding.Name)
		}
		rows = append(rows, append(row, e.Note))
	}
	p.table(header, rows)
	if err != nil {
		p.line("Some Events cannot be read: %v", err)
	}
}

// eventAge is the age of an Event's last occurrence and, for a repeated
// one, how often and over how long it was seen, as kubectl describe shows.
func (p *printer) eventAge(e *eventsv1.Event) string {
	age := p.age(eventLast(e))
	if n := eventCount(e); n > 1 {
		age += " (x" + strconv.Itoa(int(n)) + " over " + p.age(eventFirst(e)) + ")"
	}
	return age
}

// nextStep writes the one sentence that tells the reader what to do now.
func (p *printer) nextStep(s string) {
	fmt.Fprintf(p.w, "\nNext step: %s\n", clean(s))
}

// findCondition returns a condition by type, or nil.
func findCondition(conds []metav1.Condition, condType string) *metav1.Condition {
	for i := range conds {
		if conds[i].Type == condType {
			return &conds[i]
		}
	}
	return nil
}

// stalled returns the Stalled condition when it is True: a person must act.
func stalled(conds []metav1.Condition) *metav1.Condition {
	if c := findCondition(conds, portingv1alpha1.ConditionStalled); c != nil &&
		c.Status == metav1.ConditionTrue {
		return c
	}
	return nil
}

// eventsWithReason returns the Events of a reason about objects of a kind.
func eventsWithReason(evs []eventsv1.Event, kind, reason string) []eventsv1.Event {
	var out []eventsv1.Event
	for _, e := range evs {
		if e.Reason == reason && e.Regarding.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

// plural returns word, with an s unless n is one.
func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// times counts repetitions in words: "once", "twice", "3 times".
func times(n int) string {
	switch n {
	case 1:
		return "once"
	case 2:
		return "twice"
	}
	return strconv.Itoa(n) + " times"
}

// carrierOf names the losing carrier of a port for a sentence.
func carrierOf(pr *portingv1alpha1.PortRequest) string {
	if pr != nil && pr.Spec.LosingCarrier.Name != "" {
		return pr.Spec.LosingCarrier.Name
	}
	return "the losing carrier"
}
