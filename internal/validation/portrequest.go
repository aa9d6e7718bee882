package validation

import (
	"fmt"
	"slices"
	"time"

	"github.com/numberport/numberport/api/v1alpha1"
	"github.com/numberport/numberport/internal/numbers"
)

// InvoiceMaxAgeDays is how old, in days, an invoice may be when an order is
// submitted. Losing carriers refuse older ones because the account details
// on them may have changed.
const InvoiceMaxAgeDays = 30

// invoiceFutureSlackDays tolerates an invoice dated one day ahead of the
// operator's clock: the invoice was dated where the customer is, and the
// operator may run in a time zone that is still on the day before.
const invoiceFutureSlackDays = 1

// dateLayout is the layout of the spec's YYYY-MM-DD dates.
const dateLayout = "2006-01-02"

// ValidatePortRequest runs every check of a PortRequest that CEL cannot
// make, on the resolved numbers (spec.numbers, or the list read from
// spec.numbersFrom) at the instant now. It returns nil when the order can be
// submitted.
func ValidatePortRequest(spec *v1alpha1.PortRequestSpec, list []string, now time.Time) []Problem {
	problems := ValidateNumbers(spec, list)
	problems = append(problems, ValidatePartialPort(spec, list)...)
	return append(problems, ValidateInvoice(spec, now)...)
}

// ValidateNumbers checks that every number to port, and the billing
// telephone numbers, are valid US or Canadian numbers, listed once, and that
// an order with Canadian numbers names the account at the losing carrier.
func ValidateNumbers(spec *v1alpha1.PortRequestSpec, list []string) []Problem {
	var problems []Problem
	if len(list) == 0 {
		problems = append(problems, Problem{
			Reason: listReason(spec),
			Field:  listField(spec),
			Message: listField(spec) + " holds no number: list at least one number " +
				"to port",
		})
	}

	seen := make(map[string]int, len(list))
	var canadian []string
	for i, n := range list {
		field := numberField(spec, i)
		if first, ok := seen[n]; ok {
			problems = append(problems, Problem{
				Reason: listReason(spec),
				Field:  field,
				Message: fmt.Sprintf("%s repeats %s (%s): remove one of them",
					field, numberField(spec, first), numbers.Mask(n)),
			})
			continue
		}
		seen[n] = i
		region, p := checkNumber(field, n)
		if p != nil {
			problems = append(problems, *p)
		}
		if region == numbers.RegionCA {
			canadian = append(canadian, n)
		}
	}

	problems = append(problems, accountNumber(spec, canadian)...)
	problems = append(problems, billingNumbers(spec)...)
	return problems
}

// accountNumber checks that an order with Canadian numbers names the
// account: Canadian carriers match every port against it.
func accountNumber(spec *v1alpha1.PortRequestSpec, canadian []string) []Problem {
	if len(canadian) == 0 || spec.LosingCarrier.AccountNumber != "" {
		return nil
	}
	const field = "spec.losingCarrier.accountNumber"
	return []Problem{{
		Reason: v1alpha1.ReasonAccountNumberRequired,
		Field:  field,
		Message: fmt.Sprintf("%s is required: %s, such as %s, and Canadian carriers "+
			"match every port against the account number; copy it from the invoice",
			field, countCanadian(len(canadian)), numbers.Mask(canadian[0])),
	}}
}

// countCanadian says how many numbers are Canadian, in words.
func countCanadian(n int) string {
	if n == 1 {
		return "1 number is Canadian"
	}
	return fmt.Sprintf("%d numbers are Canadian", n)
}

// billingNumbers checks the billing telephone numbers, which CEL checks for
// shape only.
func billingNumbers(spec *v1alpha1.PortRequestSpec) []Problem {
	type billingNumber struct{ field, number string }
	btns := []billingNumber{
		{"spec.losingCarrier.billingTelephoneNumber", spec.LosingCarrier.BillingTelephoneNumber},
	}
	if pp := spec.PartialPort; pp != nil {
		btns = append(btns, billingNumber{
			"spec.partialPort.newBillingTelephoneNumber", pp.NewBillingTelephoneNumber})
	}

	var problems []Problem
	for _, bn := range btns {
		if bn.number == "" {
			continue
		}
		if _, p := checkNumber(bn.field, bn.number); p != nil {
			problems = append(problems, *p)
		}
	}
	return problems
}

// checkNumber returns the region of a number, or a problem when it is not a
// valid US or Canadian number in E.164 form.
func checkNumber(field, number string) (string, *Problem) {
	if region := numbers.Region(number); region != "" {
		return region, nil
	}
	var msg string
	switch normalized, err := numbers.Normalize(number); {
	case err != nil || normalized != number:
		msg = fmt.Sprintf("%s is not in E.164 form: write it as +1 and 10 digits, "+
			"such as +14155550111", field)
	case numbers.IsValid(number):
		msg = fmt.Sprintf("%s (%s) is a number of another country: only US and "+
			"Canadian numbers can be ported, so remove it", field, numbers.Mask(number))
	default:
		msg = fmt.Sprintf("%s (%s) is not an assigned US or Canadian number: check its "+
			"area code and exchange against the losing carrier's invoice",
			field, numbers.Mask(number))
	}
	return "", &Problem{Reason: v1alpha1.ReasonInvalidNumber, Field: field, Message: msg}
}

// ValidatePartialPort checks the billing telephone number (BTN) rule of a
// partial port against the resolved numbers, which CEL can only do for an
// inline list: when the BTN leaves the account, the numbers that stay need a
// new one, and that new one must not leave too.
func ValidatePartialPort(spec *v1alpha1.PortRequestSpec, list []string) []Problem {
	pp := spec.PartialPort
	if pp == nil {
		return nil
	}
	const field = "spec.partialPort.newBillingTelephoneNumber"
	btn := spec.LosingCarrier.BillingTelephoneNumber
	switch {
	case btn != "" && pp.NewBillingTelephoneNumber == "" && slices.Contains(list, btn):
		return []Problem{{
			Reason: v1alpha1.ReasonNewBillingNumberRequired,
			Field:  field,
			Message: fmt.Sprintf("%s is required: the billing telephone number (%s) is "+
				"among the numbers to port, so name a number that stays with the losing "+
				"carrier to become the new one", field, numbers.Mask(btn)),
		}}
	case pp.NewBillingTelephoneNumber != "" && slices.Contains(list, pp.NewBillingTelephoneNumber):
		return []Problem{{
			Reason: v1alpha1.ReasonNewBillingNumberRequired,
			Field:  field,
			Message: fmt.Sprintf("%s (%s) is among the numbers to port: the new billing "+
				"number must stay with the losing carrier, so pick one that is not ported",
				field, numbers.Mask(pp.NewBillingTelephoneNumber)),
		}}
	}
	return nil
}

// ValidateInvoice checks that the invoice is at most 30 days old and not
// dated in the future, comparing calendar days in now's location. Run it
// before the order is submitted: an invoice that ages while the order waits
// for its port date is not a problem.
func ValidateInvoice(spec *v1alpha1.PortRequestSpec, now time.Time) []Problem {
	const field = "spec.documents.invoice.issueDate"
	issued, err := time.Parse(dateLayout, spec.Documents.Invoice.IssueDate)
	if err != nil {
		return []Problem{{
			Reason: v1alpha1.ReasonInvalidInvoiceDate,
			Field:  field,
			Message: fmt.Sprintf("%s %q is not a date: copy the date printed on the "+
				"invoice, written YYYY-MM-DD", field, spec.Documents.Invoice.IssueDate),
		}}
	}

	y, m, d := now.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	age := int(today.Sub(issued).Hours() / 24)
	switch {
	case age < -invoiceFutureSlackDays:
		return []Problem{{
			Reason: v1alpha1.ReasonInvalidInvoiceDate,
			Field:  field,
			Message: fmt.Sprintf("%s %s is in the future: copy the date printed on the "+
				"invoice", field, spec.Documents.Invoice.IssueDate),
		}}
	case age > InvoiceMaxAgeDays:
		return []Problem{{
			Reason: v1alpha1.ReasonInvoiceTooOld,
			Field:  field,
			Message: fmt.Sprintf("%s %s is %d days old and losing carriers accept "+
				"invoices up to %d days old: put the latest invoice in the Secret and "+
				"update issueDate", field, spec.Documents.Invoice.IssueDate, age,
				InvoiceMaxAgeDays),
		}}
	}
	return nil
}

// numberField is the path of the i-th resolved number: its index in
// spec.numbers, or spec.numbersFrom for a list read from a ConfigMap, whose
// line numbers ParseNumberList reports.
func numberField(spec *v1alpha1.PortRequestSpec, i int) string {
	if len(spec.Numbers) > 0 {
		return fmt.Sprintf("spec.numbers[%d]", i)
	}
	return "spec.numbersFrom"
}

// listField is the path of the list as a whole.
func listField(spec *v1alpha1.PortRequestSpec) string {
	if spec.NumbersFrom != nil {
		return "spec.numbersFrom"
	}
	return "spec.numbers"
}

// listReason is the reason for a problem with the list as a whole: a list
// read from a ConfigMap has its own reason, so that the condition points at
// the ConfigMap rather than the spec.
func listReason(spec *v1alpha1.PortRequestSpec) string {
	if spec.NumbersFrom != nil {
		return v1alpha1.ReasonInvalidNumberList
	}
	return v1alpha1.ReasonInvalidNumber
}
