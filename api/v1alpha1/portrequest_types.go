package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// PortRequestSpec declares one porting order: the numbers to move from one
// losing-carrier account onto the platform, and the paperwork the losing
// carrier checks them against. The operator never writes it.
//
// The CEL rules below are the checks that need more than one field. Checks
// that need the clock, a number plan or a referenced object are made by the
// operator and reported in the Validated condition.
//
// +kubebuilder:validation:XValidation:rule="has(self.numbers) || has(self.numbersFrom)",message="spec.numbers is required: list the numbers to port, or set spec.numbersFrom to read them from a ConfigMap",fieldPath=".numbers",reason="FieldValueRequired"
// +kubebuilder:validation:XValidation:rule="!has(self.numbers) || !has(self.numbersFrom)",message="spec.numbers and spec.numbersFrom are both set: keep the inline list or the ConfigMap, not both",fieldPath=".numbersFrom"
// +kubebuilder:validation:XValidation:rule="has(self.documents)",message="spec.documents is required: reference the signed letter of authorization and the latest invoice, each stored in a Secret",fieldPath=".documents",reason="FieldValueRequired"
// +kubebuilder:validation:XValidation:rule="!has(self.requestedPortDate) || !has(self.documents) || !has(self.documents.invoice) || !has(self.documents.invoice.issueDate) || self.requestedPortDate >= self.documents.invoice.issueDate",message="spec.requestedPortDate is before spec.documents.invoice.issueDate: a port date lies after the invoice date, so check the year and month of both",fieldPath=".requestedPortDate"
// +kubebuilder:validation:XValidation:rule="!has(self.partialPort) || has(self.losingCarrier.billingTelephoneNumber)",message="spec.losingCarrier.billingTelephoneNumber is required when spec.partialPort is set: copy the account's billing telephone number (BTN) from the invoice, so that the losing carrier knows which account the remaining numbers stay on",fieldPath=".losingCarrier.billingTelephoneNumber",reason="FieldValueRequired"
// +kubebuilder:validation:XValidation:rule="!has(self.numbers) || !has(self.partialPort) || !has(self.losingCarrier.billingTelephoneNumber) || !(self.losingCarrier.billingTelephoneNumber in self.numbers) || has(self.partialPort.newBillingTelephoneNumber)",message="spec.partialPort.newBillingTelephoneNumber is required: the billing telephone number is in spec.numbers and leaves the account, so name a number that stays with the losing carrier to become the new one",fieldPath=".partialPort.newBillingTelephoneNumber",reason="FieldValueRequired"
// +kubebuilder:validation:XValidation:rule="!has(self.numbers) || !has(self.partialPort) || !has(self.partialPort.newBillingTelephoneNumber) || !(self.partialPort.newBillingTelephoneNumber in self.numbers)",message="spec.partialPort.newBillingTelephoneNumber is listed in spec.numbers: the new billing number must stay with the losing carrier, so pick one that is not ported",fieldPath=".partialPort.newBillingTelephoneNumber"
// +kubebuilder:validation:XValidation:rule="!has(self.partialPort) || !has(self.partialPort.newBillingTelephoneNumber) || !has(self.losingCarrier.billingTelephoneNumber) || self.partialPort.newBillingTelephoneNumber != self.losingCarrier.billingTelephoneNumber",message="spec.partialPort.newBillingTelephoneNumber repeats spec.losingCarrier.billingTelephoneNumber: set it only when the billing number is ported, to another number that stays with the losing carrier",fieldPath=".partialPort.newBillingTelephoneNumber"
type PortRequestSpec struct {
	// The inline list is capped at 100 numbers, which keeps the object easy
	// to read with kubectl and to diff in Git. The schema admits 200 so that
	// a list slightly over the cap reaches the CEL rule, whose message points
	// at numbersFrom; the schema's bound also keeps the quadratic duplicate
	// check within the API server's CEL cost budget.

	// numbers lists the numbers to port, in E.164 form (+14155550111). Each
	// number may appear once, and only US and Canadian numbers can be
	// ported. The list holds at most 100 numbers; longer lists belong in a
	// ConfigMap read through numbersFrom.
	// +kubebuilder:validation:MaxItems=200
	// +kubebuilder:validation:items:MaxLength=32
	// +kubebuilder:validation:items:XValidation:rule="self.matches('^[+][0-9]+$')",message="spec.numbers entries must be in E.164 form: '+', the country code and the number, digits only, without spaces, dashes or parentheses, such as +14155550111"
	// +kubebuilder:validation:items:XValidation:rule="!self.matches('^[+][0-9]+$') || self.matches('^[+]1[2-9][0-9]{2}[2-9][0-9]{6}$')",message="spec.numbers entries must be US or Canadian numbers: +1, a 3-digit area code and a 7-digit number, neither starting with 0 or 1, such as +14155550111"
	// +kubebuilder:validation:XValidation:rule="self.size() > 0",message="spec.numbers must list at least one number: add the numbers to port, or remove spec.numbers and set spec.numbersFrom"
	// +kubebuilder:validation:XValidation:rule="self.size() <= 100",message="spec.numbers holds at most 100 numbers: put longer lists in a ConfigMap and read it with spec.numbersFrom"
	// +kubebuilder:validation:XValidation:rule="self.all(n, self.exists_one(m, m == n))",messageExpression="'spec.numbers lists ' + self.filter(n, !self.exists_one(m, m == n))[0] + ' more than once: remove the duplicate entries'",message="spec.numbers lists a number more than once: remove the duplicate entries"
	// +listType=atomic
	// +optional
	Numbers []string `json:"numbers,omitempty"`

	// numbersFrom reads the numbers from a key of a ConfigMap in the same
	// namespace, for lists too long to keep inline. Set either numbers or
	// numbersFrom.
	// +optional
	NumbersFrom *NumbersSource `json:"numbersFrom,omitempty"`

	// losingCarrier identifies the account the numbers leave.
	// +required
	LosingCarrier LosingCarrier `json:"losingCarrier"`

	// subscriber is the account holder exactly as the losing carrier has
	// them on record; any difference gets the order rejected.
	// +required
	Subscriber Subscriber `json:"subscriber"`

	// documents are the signed letter of authorization, the latest invoice
	// and, optionally, the customer service record. Required.
	// +optional
	Documents Documents `json:"documents"`

	// requestedPortDate is the earliest date the numbers should move, as
	// YYYY-MM-DD. The provider confirms the actual port date, which may be
	// later. When unset the provider picks the earliest date it can.
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:XValidation:rule="self.matches('^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$') && (int(self.substring(8, 10)) <= 28 || self.substring(5, 7) in ['01', '03', '05', '07', '08', '10', '12'] || (self.substring(5, 7) in ['04', '06', '09', '11'] && self.substring(8, 10) != '31') || (self.substring(8, 10) == '29' && int(self.substring(0, 4)) % 4 == 0 && (int(self.substring(0, 4)) % 100 != 0 || int(self.substring(0, 4)) % 400 == 0)))",message="spec.requestedPortDate must be a calendar date written YYYY-MM-DD, such as 2027-01-15"
	// +optional
	RequestedPortDate string `json:"requestedPortDate,omitempty"`

	// partialPort must be set when the account keeps other numbers at the
	// losing carrier: it says what happens to them.
	// +optional
	PartialPort *PartialPort `json:"partialPort,omitempty"`
}

// NumberListFormat is the format of a number list held in a ConfigMap.
// +kubebuilder:validation:Enum=Text;CSV
type NumberListFormat string

const (
	// NumberListText is one number per line; blank lines and text after
	// '#' are ignored.
	NumberListText NumberListFormat = "Text"
	// NumberListCSV is comma-separated values whose first column holds the
	// number; a first row whose first column holds no digit is a header.
	NumberListCSV NumberListFormat = "CSV"
)

// NumbersSource points at a number list in a ConfigMap.
type NumbersSource struct {
	// configMapKeyRef names the ConfigMap and the key holding the list.
	// +required
	ConfigMapKeyRef ConfigMapKeyReference `json:"configMapKeyRef"`

	// format of the list: Text (one number per line) or CSV (number in the
	// first column, optional header row). Numbers may be written in common
	// forms such as (415) 555-0111; they are read as US numbers unless they
	// start with '+'.
	// +required
	Format NumberListFormat `json:"format"`
}

// ConfigMapKeyReference points at one key of a ConfigMap in the same
// namespace.
type ConfigMapKeyReference struct {
	// name of the ConfigMap.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:XValidation:rule="self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')",message="spec.numbersFrom.configMapKeyRef.name must be the name of a ConfigMap in the same namespace: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit"
	// +required
	Name string `json:"name"`

	// key in the ConfigMap's data, such as numbers.csv.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:XValidation:rule="self.matches('^[-._a-zA-Z0-9]+$') && self != '.' && !self.startsWith('..')",message="spec.numbersFrom.configMapKeyRef.key must be a key of the ConfigMap's data: letters, digits, '-', '_' and '.', not starting with '..', such as numbers.csv"
	// +required
	Key string `json:"key"`
}

// LosingCarrier identifies the account at the carrier the numbers leave.
//
// The rules about pin and accountNumber sit on this object rather than on
// the fields: the API server repeats the value of a field whose own rule
// fails, and these refusals must not copy a PIN or an account number into
// terminals, CI logs and GitOps dashboards.
//
// +kubebuilder:validation:XValidation:rule="!has(self.pin)",message="spec.losingCarrier.pin is not allowed: a port-out PIN is a credential and must not be written in a manifest. Remove spec.losingCarrier.pin, store the PIN in a Secret and reference it with spec.losingCarrier.pinSecretRef",fieldPath=".pin",reason="FieldValueForbidden"
// +kubebuilder:validation:XValidation:rule="!has(self.accountNumber) || self.accountNumber.matches('^[A-Za-z0-9 -]+$')",message="spec.losingCarrier.accountNumber may hold only letters, digits, spaces and '-': copy it as printed on the invoice, without other punctuation",fieldPath=".accountNumber"
// +kubebuilder:validation:XValidation:rule="!has(self.accountNumber) || self.accountNumber == self.accountNumber.trim()",message="spec.losingCarrier.accountNumber must not start or end with spaces: remove them",fieldPath=".accountNumber"
type LosingCarrier struct {
	// name of the losing carrier, as on the invoice.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=100
	// +kubebuilder:validation:XValidation:rule="!self.matches(r'[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]')",message="spec.losingCarrier.name must not contain control characters, line breaks or invisible formatting characters: write it on one line as printed on the invoice"
	// +kubebuilder:validation:XValidation:rule="self == self.trim()",message="spec.losingCarrier.name must not start or end with spaces: remove them"
	// +required
	Name string `json:"name"`

	// accountNumber is the account at the losing carrier, as on the invoice.
	// Required for Canadian numbers; recommended everywhere.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=40
	// +optional
	AccountNumber string `json:"accountNumber,omitempty"`

	// pinSecretRef points at the Secret key that holds the port-out PIN (or
	// passcode), when the losing carrier set one. US mobile numbers always
	// have one.
	// +optional
	PINSecretRef *SecretKeyReference `json:"pinSecretRef,omitempty"`

	// pin is never accepted, whatever its value: a port-out PIN is a
	// credential and would end up in Git and in every copy of this object.
	// The field exists only so that the API server refuses it with a
	// message pointing at pinSecretRef, instead of silently dropping it.
	// +optional
	PIN string `json:"pin,omitempty"`

	// billingTelephoneNumber (BTN) is the account's main number, in E.164
	// form, when the losing carrier's records have one. Required for a
	// partial port.
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:XValidation:rule="self.matches('^[+]1[2-9][0-9]{2}[2-9][0-9]{6}$')",message="spec.losingCarrier.billingTelephoneNumber must be a US or Canadian number in E.164 form: +1 and 10 digits, without spaces or punctuation, such as +14155550111"
	// +optional
	BillingTelephoneNumber string `json:"billingTelephoneNumber,omitempty"`
}

// Subscriber is the account holder as the losing carrier has them on record.
type Subscriber struct {
	// name of the business or person that holds the account.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=100
	// +kubebuilder:validation:XValidation:rule="!self.matches(r'[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]')",message="spec.subscriber.name must not contain control characters, line breaks or invisible formatting characters: write it on one line as on the losing carrier's record"
	// +kubebuilder:validation:XValidation:rule="self == self.trim()",message="spec.subscriber.name must not start or end with spaces: remove them"
	// +required
	Name string `json:"name"`

	// authorizedPerson is the person allowed to move the numbers, who
	// signed the letter of authorization.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=100
	// +kubebuilder:validation:XValidation:rule="!self.matches(r'[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]')",message="spec.subscriber.authorizedPerson must not contain control characters, line breaks or invisible formatting characters: write the name on one line as on the letter of authorization"
	// +kubebuilder:validation:XValidation:rule="self == self.trim()",message="spec.subscriber.authorizedPerson must not start or end with spaces: remove them"
	// +required
	AuthorizedPerson string `json:"authorizedPerson"`

	// serviceAddress is where the numbers are in service, as on the
	// losing carrier's record.
	// +required
	ServiceAddress ServiceAddress `json:"serviceAddress"`
}

// Country is a country the platform can port numbers in.
// +kubebuilder:validation:Enum=US;CA
type Country string

const (
	// CountryUS is the United States.
	CountryUS Country = "US"
	// CountryCA is Canada.
	CountryCA Country = "CA"
)

// ServiceAddress is a postal address in the United States or Canada. The
// region and postal code rules depend on the country, so they are written on
// the address rather than on the fields.
//
// +kubebuilder:validation:XValidation:rule="self.country != 'US' || self.region in ['AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'DC', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY', 'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND', 'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY']",message="spec.subscriber.serviceAddress.region must be the two-letter code of a US state or DC in capitals, such as CA or NY, when the country is US",fieldPath=".region"
// +kubebuilder:validation:XValidation:rule="self.country != 'CA' || self.region in ['AB', 'BC', 'MB', 'NB', 'NL', 'NS', 'NT', 'NU', 'ON', 'PE', 'QC', 'SK', 'YT']",message="spec.subscriber.serviceAddress.region must be the two-letter code of a Canadian province or territory in capitals, such as ON or QC, when the country is CA",fieldPath=".region"
// +kubebuilder:validation:XValidation:rule="self.country != 'US' || self.postalCode.matches('^[0-9]{5}(-[0-9]{4})?$')",message="spec.subscriber.serviceAddress.postalCode must be a US ZIP code of 5 digits, optionally followed by '-' and 4 more, such as 94107 or 94107-1234, when the country is US",fieldPath=".postalCode"
// +kubebuilder:validation:XValidation:rule="self.country != 'CA' || self.postalCode.matches('^[ABCEGHJ-NPRSTVXYabceghj-nprstvxy][0-9][ABCEGHJ-NPRSTV-Zabceghj-nprstv-z] ?[0-9][ABCEGHJ-NPRSTV-Zabceghj-nprstv-z][0-9]$')",message="spec.subscriber.serviceAddress.postalCode must be a Canadian postal code such as K1A 0B1 (letter, digit, letter, optional space, digit, letter, digit), when the country is CA",fieldPath=".postalCode"
type ServiceAddress struct {
	// street is the street line, with the building number.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=100
	// +kubebuilder:validation:XValidation:rule="!self.matches(r'[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]')",message="spec.subscriber.serviceAddress.street must not contain control characters, line breaks or invisible formatting characters: put the suite or unit in extendedAddress"
	// +kubebuilder:validation:XValidation:rule="self == self.trim()",message="spec.subscriber.serviceAddress.street must not start or end with spaces: remove them"
	// +required
	Street string `json:"street"`

	// extendedAddress is the suite, floor or unit, if any.
	// +kubebuilder:validation:MaxLength=100
	// +kubebuilder:validation:XValidation:rule="!self.matches(r'[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]')",message="spec.subscriber.serviceAddress.extendedAddress must not contain control characters, line breaks or invisible formatting characters: write it on one line"
	// +kubebuilder:validation:XValidation:rule="self == self.trim()",message="spec.subscriber.serviceAddress.extendedAddress must not start or end with spaces: remove them"
	// +optional
	ExtendedAddress string `json:"extendedAddress,omitempty"`

	// city, town or locality.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=60
	// +kubebuilder:validation:XValidation:rule="!self.matches(r'[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]')",message="spec.subscriber.serviceAddress.city must not contain control characters, line breaks or invisible formatting characters: write it on one line"
	// +kubebuilder:validation:XValidation:rule="self == self.trim()",message="spec.subscriber.serviceAddress.city must not start or end with spaces: remove them"
	// +required
	City string `json:"city"`

	// region is the two-letter state or province code in capitals, such as
	// CA or ON.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=32
	// +required
	Region string `json:"region"`

	// postalCode is the ZIP code (US) or postal code (Canada).
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=16
	// +required
	PostalCode string `json:"postalCode"`

	// country is US or CA.
	// +required
	Country Country `json:"country"`
}

// Documents are the paperwork the losing carrier checks an order against.
// Each is a file held in a Secret, since they carry account details. The
// required documents are enforced by CEL rules rather than by the schema, so
// that a missing one is refused with a message saying what to provide.
//
// +kubebuilder:validation:XValidation:rule="has(self.letterOfAuthorization)",message="spec.documents.letterOfAuthorization is required: store the signed letter of authorization (LOA) in a Secret and reference its name and key",fieldPath=".letterOfAuthorization",reason="FieldValueRequired"
// +kubebuilder:validation:XValidation:rule="has(self.invoice)",message="spec.documents.invoice is required: store the losing carrier's latest invoice in a Secret, reference it in secretRef and copy its date into issueDate",fieldPath=".invoice",reason="FieldValueRequired"
// +kubebuilder:validation:XValidation:rule="!has(self.letterOfAuthorization) || !has(self.invoice) || !has(self.invoice.secretRef) || self.letterOfAuthorization.name != self.invoice.secretRef.name || self.letterOfAuthorization.key != self.invoice.secretRef.key",message="spec.documents.invoice.secretRef points at the same Secret key as spec.documents.letterOfAuthorization: store each document under its own key",fieldPath=".invoice.secretRef"
// +kubebuilder:validation:XValidation:rule="!has(self.customerServiceRecord) || ((!has(self.letterOfAuthorization) || self.customerServiceRecord.name != self.letterOfAuthorization.name || self.customerServiceRecord.key != self.letterOfAuthorization.key) && (!has(self.invoice) || !has(self.invoice.secretRef) || self.customerServiceRecord.name != self.invoice.secretRef.name || self.customerServiceRecord.key != self.invoice.secretRef.key))",message="spec.documents.customerServiceRecord points at the same Secret key as another document: store each document under its own key",fieldPath=".customerServiceRecord"
type Documents struct {
	// letterOfAuthorization is the signed letter of authorization (LOA).
	// Required.
	// +optional
	LetterOfAuthorization SecretKeyReference `json:"letterOfAuthorization"`

	// invoice is the losing carrier's most recent invoice. It must be no
	// older than 30 days when the order is submitted. Required.
	// +optional
	Invoice Invoice `json:"invoice"`

	// customerServiceRecord is the losing carrier's customer service record
	// (CSR). Optional, but it avoids most mismatch rejections.
	// +optional
	CustomerServiceRecord *SecretKeyReference `json:"customerServiceRecord,omitempty"`
}

// Invoice is an invoice document and the date it was issued.
//
// +kubebuilder:validation:XValidation:rule="has(self.secretRef)",message="spec.documents.invoice.secretRef is required: store the invoice in a Secret and reference its name and key",fieldPath=".secretRef",reason="FieldValueRequired"
// +kubebuilder:validation:XValidation:rule="has(self.issueDate)",message="spec.documents.invoice.issueDate is required: copy the date printed on the invoice, as YYYY-MM-DD",fieldPath=".issueDate",reason="FieldValueRequired"
type Invoice struct {
	// secretRef points at the invoice file. Required.
	// +optional
	SecretRef SecretKeyReference `json:"secretRef"`

	// issueDate is the date printed on the invoice, as YYYY-MM-DD. The
	// operator refuses to submit an order whose invoice is older than 30
	// days or dated in the future. Required.
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:XValidation:rule="self.matches('^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$') && (int(self.substring(8, 10)) <= 28 || self.substring(5, 7) in ['01', '03', '05', '07', '08', '10', '12'] || (self.substring(5, 7) in ['04', '06', '09', '11'] && self.substring(8, 10) != '31') || (self.substring(8, 10) == '29' && int(self.substring(0, 4)) % 4 == 0 && (int(self.substring(0, 4)) % 100 != 0 || int(self.substring(0, 4)) % 400 == 0)))",message="spec.documents.invoice.issueDate must be the calendar date printed on the invoice, written YYYY-MM-DD, such as 2026-11-20"
	// +optional
	IssueDate string `json:"issueDate"`
}

// RemainingNumbersAction says what happens to an account's numbers that are
// not ported.
// +kubebuilder:validation:Enum=Keep;Disconnect
type RemainingNumbersAction string

const (
	// RemainingNumbersKeep keeps the other numbers in service at the losing
	// carrier.
	RemainingNumbersKeep RemainingNumbersAction = "Keep"
	// RemainingNumbersDisconnect asks the losing carrier to disconnect them.
	RemainingNumbersDisconnect RemainingNumbersAction = "Disconnect"
)

// PartialPort describes an order that moves only some of an account's
// numbers.
//
// +kubebuilder:validation:XValidation:rule="has(self.remainingNumbers)",message="spec.partialPort.remainingNumbers is required: say whether the losing carrier should Keep the numbers that stay in service or Disconnect them",fieldPath=".remainingNumbers",reason="FieldValueRequired"
type PartialPort struct {
	// remainingNumbers says what the losing carrier does with the numbers
	// that stay: Keep them in service or Disconnect them. Required.
	// +optional
	RemainingNumbers RemainingNumbersAction `json:"remainingNumbers"`

	// newBillingTelephoneNumber is the account's new billing telephone
	// number, required when the current one is among the ported numbers.
	// It must be a number that stays with the losing carrier.
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:XValidation:rule="self.matches('^[+]1[2-9][0-9]{2}[2-9][0-9]{6}$')",message="spec.partialPort.newBillingTelephoneNumber must be a US or Canadian number in E.164 form: +1 and 10 digits, without spaces or punctuation, such as +14155550119"
	// +optional
	NewBillingTelephoneNumber string `json:"newBillingTelephoneNumber,omitempty"`
}

// PortRequestPhase summarises where a port stands, for printer columns and
// people. Conditions carry the detail.
// +kubebuilder:validation:Enum=Pending;Submitted;ActionRequired;Scheduled;Completed;PartiallyCompleted;Cancelled;Failed
type PortRequestPhase string

const (
	// PortRequestPending means the order is not yet accepted by the provider:
	// it is being validated, waits for a referenced object or is being
	// submitted.
	PortRequestPending PortRequestPhase = "Pending"
	// PortRequestSubmitted means the provider accepted the order and the
	// losing carrier has not confirmed a port date yet.
	PortRequestSubmitted PortRequestPhase = "Submitted"
	// PortRequestActionRequired means the order was rejected and waits for
	// a corrected spec or Secret.
	PortRequestActionRequired PortRequestPhase = "ActionRequired"
	// PortRequestScheduled means the port date is confirmed.
	PortRequestScheduled PortRequestPhase = "Scheduled"
	// PortRequestCompleted means every number was ported.
	PortRequestCompleted PortRequestPhase = "Completed"
	// PortRequestPartiallyCompleted means some numbers were ported and the
	// others could not be.
	PortRequestPartiallyCompleted PortRequestPhase = "PartiallyCompleted"
	// PortRequestCancelled means the order was cancelled, by the provider or
	// on request. It needs a new PortRequest.
	PortRequestCancelled PortRequestPhase = "Cancelled"
	// PortRequestFailed means the order cannot go on. It needs a new
	// PortRequest.
	PortRequestFailed PortRequestPhase = "Failed"
)

// IsTerminal reports whether no further change is expected in this phase.
func (p PortRequestPhase) IsTerminal() bool {
	switch p {
	case PortRequestCompleted, PortRequestPartiallyCompleted, PortRequestCancelled,
		PortRequestFailed:
		return true
	}
	return false
}

// PortRequestStatus is what the operator observed of the order.
type PortRequestStatus struct {
	// observedGeneration is the spec generation this status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// phase summarises where the port stands.
	// +optional
	Phase PortRequestPhase `json:"phase,omitempty"`

	// conditions detail the state: Ready, Stalled (a person must act),
	// Validated, Submitted, PortDateConfirmed and LosingAccountVerified.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// numberCount is how many numbers the order carries.
	// +optional
	NumberCount int32 `json:"numberCount,omitempty"`

	// orderID is the provider's reference of the order. Once set it never
	// changes.
	// +optional
	OrderID string `json:"orderID,omitempty"`

	// submissionStartedAt records that a submission was started, before
	// the provider is called, so that a restart looks for the order instead
	// of creating a second one.
	// +optional
	SubmissionStartedAt *metav1.Time `json:"submissionStartedAt,omitempty"`

	// submittedAt is when the provider accepted the order.
	// +optional
	SubmittedAt *metav1.Time `json:"submittedAt,omitempty"`

	// portDate is the confirmed instant the numbers move, RFC 3339.
	// +optional
	PortDate *metav1.Time `json:"portDate,omitempty"`

	// estimatedPortWindow is when the port date is expected while none is
	// confirmed: 4 to 6 weeks after submission.
	// +optional
	EstimatedPortWindow *PortWindow `json:"estimatedPortWindow,omitempty"`

	// rejection is the provider's current rejection, while the order waits
	// for a correction.
	// +optional
	Rejection *Rejection `json:"rejection,omitempty"`

	// corrections counts the corrections sent to the provider.
	// +optional
	Corrections int32 `json:"corrections,omitempty"`

	// inputsHash fingerprints what the last submission or correction was
	// built from: the spec generation and the versions of the referenced
	// Secrets and ConfigMap. A change to any of them is sent as a
	// correction. It is made from versions only, never from values.
	// +optional
	InputsHash string `json:"inputsHash,omitempty"`

	// completedAt is when the order reached a terminal phase.
	// +optional
	CompletedAt *metav1.Time `json:"completedAt,omitempty"`

	// numbers is the state of each number in the order.
	// +listType=map
	// +listMapKey=number
	// +optional
	Numbers []NumberPortStatus `json:"numbers,omitempty"`
}

// PortWindow is a span of time in which a port date is expected.
type PortWindow struct {
	// earliest expected port date.
	Earliest metav1.Time `json:"earliest"`
	// latest expected port date.
	Latest metav1.Time `json:"latest"`
}

// Rejection is a provider's rejection of an order and what fixes it.
type Rejection struct {
	// code is the provider's rejection code, mapped onto numberport's
	// vocabulary, such as InvalidPIN or PostalCodeMismatch.
	Code string `json:"code"`

	// field is the spec field (or referenced Secret) to correct.
	// +optional
	Field string `json:"field,omitempty"`

	// message explains the rejection and how to fix it.
	Message string `json:"message"`

	// since is when the rejection was first seen.
	Since metav1.Time `json:"since"`

	// cancellationDeadline is when the provider cancels the order if it is
	// not corrected.
	// +optional
	CancellationDeadline *metav1.Time `json:"cancellationDeadline,omitempty"`
}

// NumberPortState is the state of one number within an order.
// +kubebuilder:validation:Enum=Pending;Scheduled;Ported;NotPortable;Cancelled
type NumberPortState string

const (
	// NumberPortPending means the number waits for a port date.
	NumberPortPending NumberPortState = "Pending"
	// NumberPortScheduled means the number has a confirmed port date.
	NumberPortScheduled NumberPortState = "Scheduled"
	// NumberPortPorted means the number moved to the platform.
	NumberPortPorted NumberPortState = "Ported"
	// NumberPortNotPortable means the number cannot be ported in this order.
	NumberPortNotPortable NumberPortState = "NotPortable"
	// NumberPortCancelled means the number's port was cancelled.
	NumberPortCancelled NumberPortState = "Cancelled"
)

// NumberPortStatus is one number's state within an order.
type NumberPortStatus struct {
	// number in E.164 form.
	Number string `json:"number"`
	// state of the number's port.
	State NumberPortState `json:"state"`
	// reason explains a state other than the expected one.
	// +optional
	Reason string `json:"reason,omitempty"`
	// messagingPorted is true once the losing carrier released the
	// number's messaging route to the platform.
	// +optional
	MessagingPorted bool `json:"messagingPorted,omitempty"`
}

// PortRequest is one porting order from one losing-carrier account: the
// numbers, the paperwork, and where the order stands with the provider.
//
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=portreq,categories=numberport
// +kubebuilder:printcolumn:name="Phase",type=string,JSONPath=`.status.phase`
// +kubebuilder:printcolumn:name="Numbers",type=integer,JSONPath=`.status.numberCount`
// +kubebuilder:printcolumn:name="Port Date",type=string,JSONPath=`.status.portDate`
// +kubebuilder:printcolumn:name="Action",type=string,JSONPath=`.status.conditions[?(@.type=="Stalled")].reason`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
// +kubebuilder:printcolumn:name="Carrier",type=string,JSONPath=`.spec.losingCarrier.name`,priority=1
// +kubebuilder:printcolumn:name="Order",type=string,JSONPath=`.status.orderID`,priority=1
// +kubebuilder:printcolumn:name="Message",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].message`,priority=1
type PortRequest struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec declares the order.
	// +required
	Spec PortRequestSpec `json:"spec"`

	// status is what the operator observed of the order.
	// +optional
	Status PortRequestStatus `json:"status,omitempty"`
}

// PortRequestList is a list of PortRequests.
//
// +kubebuilder:object:root=true
type PortRequestList struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`
	// items are the PortRequests.
	Items []PortRequest `json:"items"`
}
