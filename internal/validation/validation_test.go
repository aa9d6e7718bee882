package validation

import (
	"strings"
	"testing"
	"time"

	"github.com/numberport/numberport/api/v1alpha1"
)

// Strings the tables repeat.
const (
	fieldFirstNumber   = "spec.numbers[0]"
	fieldNumbersFrom   = "spec.numbersFrom"
	fieldAccountNumber = "spec.losingCarrier.accountNumber"
	fieldNewBTN        = "spec.partialPort.newBillingTelephoneNumber"
	fieldIssueDate     = "spec.documents.invoice.issueDate"
	fieldNumber        = "spec.number"
	notAssigned        = "not an assigned"
)

// now is the instant the tests check at, a Friday morning in Toronto.
var now = time.Date(2026, time.December, 4, 15, 0, 0, 0, time.UTC)

// validSpec returns a spec that passes every check at now.
func validSpec() *v1alpha1.PortRequestSpec {
	return &v1alpha1.PortRequestSpec{
		Numbers: []string{"+14155550111", "+14155550112"},
		LosingCarrier: v1alpha1.LosingCarrier{
			Name:                   "Example Telecom",
			BillingTelephoneNumber: "+14155550111",
		},
		Documents: v1alpha1.Documents{
			Invoice: v1alpha1.Invoice{IssueDate: "2026-11-20"},
		},
	}
}

// want is a problem a test expects: its reason and field, and words its
// message must contain.
type want struct {
	reason string
	field  string
	words  []string
}

// check compares problems with the expected ones, in order.
func check(t *testing.T, got []Problem, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Fatalf("got %d problems %v, want %d", len(got), got, len(wants))
	}
	for i, w := range wants {
		p := got[i]
		if p.Reason != w.reason || p.Field != w.field {
			t.Errorf("problem %d = %s at %s, want %s at %s", i, p.Reason, p.Field,
				w.reason, w.field)
		}
		// Every message names its field, so that it stands on its own in a
		// condition.
		if !strings.Contains(p.Message, w.field) {
			t.Errorf("problem %d message %q does not name %s", i, p.Message, w.field)
		}
		for _, word := range w.words {
			if !strings.Contains(p.Message, word) {
				t.Errorf("problem %d message %q does not contain %q", i, p.Message, word)
			}
		}
	}
}

func TestValidatePortRequest(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*v1alpha1.PortRequestSpec)
		list   []string
		want   []want
	}{
		{
			name: "valid",
		},
		{
			name: "canadian numbers with an account number",
			mutate: func(s *v1alpha1.PortRequestSpec) {
				s.Numbers = []string{"+14165550113"}
				s.LosingCarrier.AccountNumber = "8812-3345"
				s.LosingCarrier.BillingTelephoneNumber = ""
			},
		},
		{
			name: "unassigned area code",
			mutate: func(s *v1alpha1.PortRequestSpec) {
				s.Numbers = []string{"+14155550111", "+15555550112"}
			},
			want: []want{{v1alpha1.ReasonInvalidNumber, "spec.numbers[1]",
				[]string{"+1******0112", "not an assigned US or Canadian number", "area code"}}},
		},
		{
			name: "number of another NANP country",
			mutate: func(s *v1alpha1.PortRequestSpec) {
				s.Numbers = []string{"+18765550111"}
				s.LosingCarrier.BillingTelephoneNumber = ""
			},
			want: []want{{v1alpha1.ReasonInvalidNumber, fieldFirstNumber,
				[]string{"another country", "remove it"}}},
		},
		{
			name: "number outside the NANP",
			mutate: func(s *v1alpha1.PortRequestSpec) {
				s.Numbers = []string{"+442079460958"}
				s.LosingCarrier.BillingTelephoneNumber = ""
			},
			want: []want{{v1alpha1.ReasonInvalidNumber, fieldFirstNumber,
				[]string{"another country"}}},
		},
		{
			name: "number not in E.164 form",
			mutate: func(s *v1alpha1.PortRequestSpec) {
				s.Numbers = []string{"(415) 555-0111"}
				s.LosingCarrier.BillingTelephoneNumber = ""
			},
			want: []want{{v1alpha1.ReasonInvalidNumber, fieldFirstNumber,
				[]string{"E.164", "+1 and 10 digits"}}},
		},
		{
			name: "duplicate inline number",
			mutate: func(s *v1alpha1.PortRequestSpec) {
				s.Numbers = []string{"+14155550111", "+14155550112", "+14155550111"}
			},
			want: []want{{v1alpha1.ReasonInvalidNumber, "spec.numbers[2]",
				[]string{"repeats spec.numbers[0]", "remove one"}}},
		},
		{
			name: "duplicate in a ConfigMap list",
			mutate: func(s *v1alpha1.PortRequestSpec) {
				s.Numbers = nil
				s.NumbersFrom = &v1alpha1.NumbersSource{}
			},
			list: []string{"+14155550111", "+14155550111"},
			want: []want{{v1alpha1.ReasonInvalidNumberList, fieldNumbersFrom,
				[]string{"repeats", "remove one"}}},
		},
		{
			name: "empty ConfigMap list",
			mutate: func(s *v1alpha1.PortRequestSpec) {
				s.Numbers = nil
				s.NumbersFrom = &v1alpha1.NumbersSource{}
			},
			list: []string{},
			want: []want{{v1alpha1.ReasonInvalidNumberList, fieldNumbersFrom,
				[]string{"holds no number"}}},
		},
		{
			name: "canadian number without an account number",
			mutate: func(s *v1alpha1.PortRequestSpec) {
				s.Numbers = []string{"+14155550111", "+14165550113", "+16135550114"}
			},
			want: []want{{v1alpha1.ReasonAccountNumberRequired,
				fieldAccountNumber,
				[]string{"2 numbers are Canadian", "+1******0113", "copy it from the invoice"}}},
		},
		{
			name: "canadian number from a ConfigMap without an account number",
			mutate: func(s *v1alpha1.PortRequestSpec) {
				s.Numbers = nil
				s.NumbersFrom = &v1alpha1.NumbersSource{}
				s.LosingCarrier.BillingTelephoneNumber = ""
			},
			list: []string{"+16045550111"},
			want: []want{{v1alpha1.ReasonAccountNumberRequired,
				fieldAccountNumber, []string{"1 number is Canadian"}}},
		},
		{
			name: "unassigned billing telephone number",
			mutate: func(s *v1alpha1.PortRequestSpec) {
				s.LosingCarrier.BillingTelephoneNumber = "+15555550119"
			},
			want: []want{{v1alpha1.ReasonInvalidNumber,
				"spec.losingCarrier.billingTelephoneNumber", []string{notAssigned}}},
		},
		{
			name: "unassigned new billing telephone number",
			mutate: func(s *v1alpha1.PortRequestSpec) {
				s.PartialPort = &v1alpha1.PartialPort{
					RemainingNumbers:          v1alpha1.RemainingNumbersKeep,
					NewBillingTelephoneNumber: "+15555550119",
				}
			},
			want: []want{{v1alpha1.ReasonInvalidNumber,
				fieldNewBTN, []string{notAssigned}}},
		},
		{
			name: "partial port moving the BTN without a new one",
			mutate: func(s *v1alpha1.PortRequestSpec) {
				s.PartialPort = &v1alpha1.PartialPort{
					RemainingNumbers: v1alpha1.RemainingNumbersKeep,
				}
			},
			want: []want{{v1alpha1.ReasonNewBillingNumberRequired,
				fieldNewBTN,
				[]string{"is required", "+1******0111", "stays with the losing carrier"}}},
		},
		{
			name: "partial port from a ConfigMap moving the BTN without a new one",
			mutate: func(s *v1alpha1.PortRequestSpec) {
				s.Numbers = nil
				s.NumbersFrom = &v1alpha1.NumbersSource{}
				s.PartialPort = &v1alpha1.PartialPort{
					RemainingNumbers: v1alpha1.RemainingNumbersDisconnect,
				}
			},
			list: []string{"+14155550112", "+14155550111"},
			want: []want{{v1alpha1.ReasonNewBillingNumberRequired,
				fieldNewBTN, []string{"is required"}}},
		},
		{
			name: "partial port porting the new BTN",
			mutate: func(s *v1alpha1.PortRequestSpec) {
				s.Numbers = nil
				s.NumbersFrom = &v1alpha1.NumbersSource{}
				s.PartialPort = &v1alpha1.PartialPort{
					RemainingNumbers:          v1alpha1.RemainingNumbersKeep,
					NewBillingTelephoneNumber: "+14155550113",
				}
			},
			list: []string{"+14155550111", "+14155550113"},
			want: []want{{v1alpha1.ReasonNewBillingNumberRequired,
				fieldNewBTN,
				[]string{"among the numbers to port", "not ported"}}},
		},
		{
			name: "partial port keeping the BTN",
			mutate: func(s *v1alpha1.PortRequestSpec) {
				s.Numbers = []string{"+14155550112"}
				s.PartialPort = &v1alpha1.PartialPort{
					RemainingNumbers: v1alpha1.RemainingNumbersKeep,
				}
			},
		},
		{
			name: "partial port with a new BTN that stays",
			mutate: func(s *v1alpha1.PortRequestSpec) {
				s.PartialPort = &v1alpha1.PartialPort{
					RemainingNumbers:          v1alpha1.RemainingNumbersKeep,
					NewBillingTelephoneNumber: "+14155550119",
				}
			},
		},
		{
			name: "invoice 30 days old",
			mutate: func(s *v1alpha1.PortRequestSpec) {
				s.Documents.Invoice.IssueDate = "2026-11-04"
			},
		},
		{
			name: "invoice 31 days old",
			mutate: func(s *v1alpha1.PortRequestSpec) {
				s.Documents.Invoice.IssueDate = "2026-11-03"
			},
			want: []want{{v1alpha1.ReasonInvoiceTooOld, fieldIssueDate,
				[]string{"31 days old", "up to 30 days", "latest invoice"}}},
		},
		{
			name: "invoice dated today",
			mutate: func(s *v1alpha1.PortRequestSpec) {
				s.Documents.Invoice.IssueDate = "2026-12-04"
			},
		},
		{
			name: "invoice dated tomorrow, within the time zone slack",
			mutate: func(s *v1alpha1.PortRequestSpec) {
				s.Documents.Invoice.IssueDate = "2026-12-05"
			},
		},
		{
			name: "invoice dated in the future",
			mutate: func(s *v1alpha1.PortRequestSpec) {
				s.Documents.Invoice.IssueDate = "2026-12-06"
			},
			want: []want{{v1alpha1.ReasonInvalidInvoiceDate,
				fieldIssueDate, []string{"in the future"}}},
		},
		{
			name: "invoice date that is not a date",
			mutate: func(s *v1alpha1.PortRequestSpec) {
				s.Documents.Invoice.IssueDate = "2026-02-30"
			},
			want: []want{{v1alpha1.ReasonInvalidInvoiceDate,
				fieldIssueDate, []string{"not a date", "YYYY-MM-DD"}}},
		},
		{
			name: "every problem at once, in order",
			mutate: func(s *v1alpha1.PortRequestSpec) {
				s.Numbers = []string{"+14165550113", "+15555550111", "+14155550111"}
				s.PartialPort = &v1alpha1.PartialPort{
					RemainingNumbers: v1alpha1.RemainingNumbersKeep,
				}
				s.Documents.Invoice.IssueDate = "2026-01-01"
			},
			want: []want{
				{v1alpha1.ReasonInvalidNumber, "spec.numbers[1]", nil},
				{v1alpha1.ReasonAccountNumberRequired, fieldAccountNumber, nil},
				{v1alpha1.ReasonNewBillingNumberRequired,
					fieldNewBTN, nil},
				{v1alpha1.ReasonInvoiceTooOld, fieldIssueDate, nil},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := validSpec()
			if tt.mutate != nil {
				tt.mutate(spec)
			}
			list := tt.list
			if list == nil {
				list = spec.Numbers
			}
			check(t, ValidatePortRequest(spec, list, now), tt.want)
		})
	}
}

// TestInvoiceUsesNowsCalendarDay checks that the age counts calendar days in
// now's location, not 24-hour periods.
func TestInvoiceUsesNowsCalendarDay(t *testing.T) {
	spec := validSpec()
	spec.Documents.Invoice.IssueDate = "2026-11-04"
	lastMinute := time.Date(2026, time.December, 4, 23, 59, 0, 0, time.UTC)
	if got := ValidateInvoice(spec, lastMinute); len(got) != 0 {
		t.Errorf("30 days old at 23:59: got %v", got)
	}
	nextDay := lastMinute.Add(2 * time.Minute)
	if got := ValidateInvoice(spec, nextDay); len(got) != 1 {
		t.Errorf("31 days old at 00:01: got %v", got)
	}
	toronto := time.FixedZone("EST", -5*60*60)
	if got := ValidateInvoice(spec, nextDay.In(toronto)); len(got) != 0 {
		t.Errorf("still day 30 in Toronto: got %v", got)
	}
}

func TestValidatePhoneNumber(t *testing.T) {
	ref := &v1alpha1.LocalObjectReference{Name: "main-office"}
	tests := []struct {
		name string
		spec v1alpha1.PhoneNumberSpec
		want []want
	}{
		{name: "ported US number", spec: v1alpha1.PhoneNumberSpec{
			Number: "+14155550111", PortRequestRef: ref}},
		{name: "ported Canadian number", spec: v1alpha1.PhoneNumberSpec{
			Number: "+14165550113", PortRequestRef: ref}},
		{name: "UK number already on the platform", spec: v1alpha1.PhoneNumberSpec{
			Number: "+442079460958"}},
		{
			name: "ported UK number",
			spec: v1alpha1.PhoneNumberSpec{Number: "+442079460958", PortRequestRef: ref},
			want: []want{{v1alpha1.ReasonInvalidNumber, fieldNumber,
				[]string{"only US and Canadian numbers can be ported"}}},
		},
		{
			name: "ported unassigned number",
			spec: v1alpha1.PhoneNumberSpec{Number: "+15555550111", PortRequestRef: ref},
			want: []want{{v1alpha1.ReasonInvalidNumber, fieldNumber,
				[]string{notAssigned}}},
		},
		{
			name: "invalid number on the platform",
			spec: v1alpha1.PhoneNumberSpec{Number: "+15555550111"},
			want: []want{{v1alpha1.ReasonInvalidNumber, fieldNumber,
				[]string{"+1******0111", "not a valid number", "country code"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check(t, ValidatePhoneNumber(&tt.spec), tt.want)
		})
	}
}

func TestParseNumberList(t *testing.T) {
	const where = `spec.numbersFrom: ConfigMap "office", key "numbers", `
	src := func(format v1alpha1.NumberListFormat) *v1alpha1.NumbersSource {
		return &v1alpha1.NumbersSource{
			ConfigMapKeyRef: v1alpha1.ConfigMapKeyReference{Name: "office", Key: "numbers"},
			Format:          format,
		}
	}
	tests := []struct {
		name     string
		src      *v1alpha1.NumbersSource
		data     string
		numbers  int
		messages []string
	}{
		{
			name:    "text",
			src:     src(v1alpha1.NumberListText),
			data:    "# office\n(415) 555-0111\n415.555.0112\n",
			numbers: 2,
		},
		{
			name:    "csv with a header",
			src:     src(v1alpha1.NumberListCSV),
			data:    "number,desk\n4155550111,front\n",
			numbers: 1,
		},
		{
			name:    "bad line and duplicate",
			src:     src(v1alpha1.NumberListText),
			data:    "4155550111\n415555011\n(415) 555-0111\n",
			numbers: 1,
			messages: []string{
				where + "line 2: invalid phone number: has 9 digits",
				where + "line 3: duplicate number: +1******0111 is already on line 1: " +
					"remove one of them",
			},
		},
		{
			name:     "empty",
			src:      src(v1alpha1.NumberListCSV),
			data:     "number\n",
			messages: []string{where + "number list is empty"},
		},
		{
			name:     "unknown format",
			src:      src("XML"),
			data:     "<numbers/>",
			messages: []string{`unknown list format "XML": use Text or CSV`},
		},
		{
			name: "more problems than kept",
			src:  src(v1alpha1.NumberListText),
			data: strings.Repeat("x\n", 120),
			messages: append(repeat(`letter 'x'`, 100),
				"20 more lines have problems; fix the ones above first"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, problems := ParseNumberList(tt.src, []byte(tt.data))
			if len(got) != tt.numbers {
				t.Errorf("got %d numbers, want %d", len(got), tt.numbers)
			}
			wants := make([]want, len(tt.messages))
			for i, m := range tt.messages {
				wants[i] = want{v1alpha1.ReasonInvalidNumberList, fieldNumbersFrom,
					[]string{m}}
			}
			check(t, problems, wants)
		})
	}
}

// repeat returns n copies of s.
func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func TestSummary(t *testing.T) {
	if r, m := Summary(nil); r != "" || m != "" {
		t.Errorf("Summary(nil) = %q, %q", r, m)
	}
	problems := []Problem{
		{Reason: "A", Message: "one"},
		{Reason: "B", Message: "two"},
		{Reason: "C", Message: "three"},
		{Reason: "D", Message: "four"},
		{Reason: "E", Message: "five"},
	}
	r, m := Summary(problems)
	if r != "A" || m != "one; two; three; and 2 more" {
		t.Errorf("Summary = %q, %q", r, m)
	}
	r, m = Summary(problems[:2])
	if r != "A" || m != "one; two" {
		t.Errorf("Summary of two = %q, %q", r, m)
	}
}
