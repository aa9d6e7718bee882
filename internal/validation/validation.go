// Package validation holds the checks of a PortRequest or PhoneNumber spec
// that the API server cannot make with CEL: the ones that need a numbering
// plan, the clock, or a number list read from a ConfigMap. They are pure
// functions, so that the controllers decide when to run them (a PortRequest
// is checked before it is submitted, not every time it is read) and tests can
// run them at any instant.
//
// Each Problem carries a condition reason from the API package, the field to
// fix and a message that names the field and says how to fix it. Messages
// show numbers masked to their last four digits, because condition messages
// are copied into events and logs.
package validation

import (
	"fmt"
	"strings"
)

// Problem is one reason a spec cannot be used as it is.
type Problem struct {
	// Reason is a condition reason from api/v1alpha1, such as
	// ReasonInvalidNumber.
	Reason string
	// Field is the path of the field to fix, such as spec.numbers[2].
	Field string
	// Message names the field, says what is wrong and how to fix it.
	Message string
}

// String returns the message.
func (p Problem) String() string { return p.Message }

// summaryProblems is how many problems Summary spells out; the rest are
// counted. Three fit a kubectl describe line and show whether a mistake
// repeats.
const summaryProblems = 3

// Summary condenses problems into a condition reason and message: the
// reason of the first problem, and the messages of the first three with a
// count of the others. It returns empty strings when there is no problem.
func Summary(problems []Problem) (reason, message string) {
	if len(problems) == 0 {
		return "", ""
	}
	msgs := make([]string, 0, summaryProblems+1)
	for i, p := range problems {
		if i == summaryProblems {
			msgs = append(msgs, fmt.Sprintf("and %d more", len(problems)-i))
			break
		}
		msgs = append(msgs, p.Message)
	}
	return problems[0].Reason, strings.Join(msgs, "; ")
}
