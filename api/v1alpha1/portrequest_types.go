package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// PortRequestSpec declares one porting order: the numbers to move from one
// losing-carrier account onto the platform, and the paperwork the losing
// carrier checks them against. The operator never writes it.
//
// +kubebuilder:validation:XValidation:rule="has(self.numbers) != has(self.numbersFrom)",message="set exactly one of spec.numbers (an inline list) or spec.numbersFrom (a ConfigMap holding the list)"
// +kubebuilder:validation:XValidation:rule="!has(self.numbers) || !has(self.partialPort) || !has(self.partialPort.newBillingTelephoneNumber) || !(self.partialPort.newBillingTelephoneNumber in self.numbers)",message="spec.partialPort.newBillingTelephoneNumber must be a number that stays with the losing carrier, not one listed in spec.numbers"
// +kubebuilder:validation:XValidation:rule="!has(self.numbers) || !has(self.losingCarrier.billingTelephoneNumber) || !has(self.partialPort) || !(self.losingCarrier.billingTelephoneNumber in self.numbers) || has(self.partialPort.newBillingTelephoneNumber)",message="spec.partialPort.newBillingTelephoneNumber is required: the billing telephone number is being ported, so the losing carrier needs a new one for the numbers that stay"
type PortRequestSpec struct {
	// numbers lists the numbers to port, in E.164 form (+15555550100). Each
	// number may appear once. For long lists use numbersFrom instead.
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=100
	// +kubebuilder:validation:items:Pattern=`^\+[1-9][0-9]{6,14}$`
	// +kubebuilder:validation:items:MaxLength=16
	// +kubebuilder:validation:XValidation:rule="self.all(n, self.exists_one(m, m == n))",message="spec.numbers must not list a number twice: remove the duplicate"
	// +listType=atomic
	// +optional
	Numbers []string `json:"numbers,omitempty"`

	// numbersFrom reads the numbers from a key of a ConfigMap in the same
	// namespace, for lists too long to keep inline.
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
	// and, optionally, the customer service record.
	// +required
	Documents Documents `json:"documents"`

	// requestedPortDate is the earliest date the numbers should move, as
	// YYYY-MM-DD. The provider confirms the actual port date, which may be
	// later. When unset the provider picks the earliest date it can.
	// +kubebuilder:validation:Pattern=`^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`
	// +kubebuilder:validation:MaxLength=10
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
	// NumberListText is one number per line; blank lines and lines starting
	// with '#' are ignored.
	NumberListText NumberListFormat = "Text"
	// NumberListCSV is comma-separated values whose first column holds the
	// number; a first row whose first column is not a number is a header.
	NumberListCSV NumberListFormat = "CSV"
)

// NumbersSource points at a number list in a ConfigMap.
type NumbersSource struct {
	// configMapKeyRef names the ConfigMap and the key holding the list.
	// +required
	ConfigMapKeyRef ConfigMapKeyReference `json:"configMapKeyRef"`

	// format of the list: Text (one number per line) or CSV (number in the
	// first column, optional header row).
	// +required
	Format NumberListFormat `json:"format"`
}

// ConfigMapKeyReference points at one key of a ConfigMap in the same
// namespace.
type ConfigMapKeyReference struct {
	// name of the ConfigMap.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +required
	Name string `json:"name"`

	// key in the ConfigMap's data.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +required
	Key string `json:"key"`
}

// LosingCarrier identifies the account at the carrier the numbers leave.
type LosingCarrier struct {
	// name of the losing carrier, as on the invoice.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=100
	// +required
	Name string `json:"name"`

	// accountNumber is the account at the losing carrier, as on the invoice.
	// Required for Canadian numbers; recommended everywhere.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=40
	// +kubebuilder:validation:XValidation:rule="self.matches('^[A-Za-z0-9 -]+$')",message="spec.losingCarrier.accountNumber may hold only letters, digits, spaces and '-', as printed on the invoice"
	// +optional
	AccountNumber string `json:"accountNumber,omitempty"`

	// pinSecretRef points at the Secret key that holds the port-out PIN (or
	// passcode), when the losing carrier set one. US mobile numbers always
	// have one.
	// +optional
	PINSecretRef *SecretKeyReference `json:"pinSecretRef,omitempty"`

	// pin is not accepted: a port-out PIN is a credential and would end up
	// in Git and in every copy of this object. Store it in a Secret and
	// reference it with pinSecretRef.
	// +kubebuilder:validation:XValidation:rule="false",message="spec.losingCarrier.pin is not allowed: a PIN is a credential. Put it in a Secret and set spec.losingCarrier.pinSecretRef"
	// +optional
	PIN string `json:"pin,omitempty"`

	// billingTelephoneNumber (BTN) is the account's main number, in E.164
	// form, when the losing carrier's records have one.
	// +kubebuilder:validation:Pattern=`^\+[1-9][0-9]{6,14}$`
	// +kubebuilder:validation:MaxLength=16
	// +optional
	BillingTelephoneNumber string `json:"billingTelephoneNumber,omitempty"`
}

// Subscriber is the account holder as the losing carrier has them on record.
type Subscriber struct {
	// name of the business or person that holds the account.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=100
	// +kubebuilder:validation:XValidation:rule="!self.matches('[\\x00-\\x1f\\x7f]')",message="spec.subscriber.name must not contain control characters"
	// +required
	Name string `json:"name"`

	// authorizedPerson is the person allowed to move the numbers, who
	// signed the letter of authorization.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=100
	// +kubebuilder:validation:XValidation:rule="!self.matches('[\\x00-\\x1f\\x7f]')",message="spec.subscriber.authorizedPerson must not contain control characters"
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

// ServiceAddress is a postal address in the United States or Canada.
//
// +kubebuilder:validation:XValidation:rule="self.country != 'US' || self.postalCode.matches('^[0-9]{5}(-[0-9]{4})?$')",message="spec.subscriber.serviceAddress.postalCode must be a US ZIP code such as 94107 or 94107-1234"
// +kubebuilder:validation:XValidation:rule="self.country != 'CA' || self.postalCode.matches('^[A-Za-z][0-9][A-Za-z] ?[0-9][A-Za-z][0-9]$')",message="spec.subscriber.serviceAddress.postalCode must be a Canadian postal code such as K1A 0B1"
type ServiceAddress struct {
	// street is the street line, with the building number.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=100
	// +kubebuilder:validation:XValidation:rule="!self.matches('[\\x00-\\x1f\\x7f]')",message="spec.subscriber.serviceAddress.street must not contain control characters"
	// +required
	Street string `json:"street"`

	// extendedAddress is the suite, floor or unit, if any.
	// +kubebuilder:validation:MaxLength=100
	// +kubebuilder:validation:XValidation:rule="!self.matches('[\\x00-\\x1f\\x7f]')",message="spec.subscriber.serviceAddress.extendedAddress must not contain control characters"
	// +optional
	ExtendedAddress string `json:"extendedAddress,omitempty"`

	// city, town or locality.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=60
	// +kubebuilder:validation:XValidation:rule="!self.matches('[\\x00-\\x1f\\x7f]')",message="spec.subscriber.serviceAddress.city must not contain control characters"
	// +required
	City string `json:"city"`

	// region is the two-letter state or province code, such as CA or ON.
	// +kubebuilder:validation:Pattern=`^[A-Z]{2}$`
	// +kubebuilder:validation:MaxLength=2
	// +required
	Region string `json:"region"`

	// postalCode is the ZIP code (US) or postal code (Canada).
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=10
	// +required
	PostalCode string `json:"postalCode"`

	// country is US or CA.
	// +required
	Country Country `json:"country"`
}

// Documents are the paperwork the losing carrier checks an order against.
// Each is a file held in a Secret, since they carry account details.
type Documents struct {
	// letterOfAuthorization is the signed letter of authorization (LOA).
	// +required
	LetterOfAuthorization SecretKeyReference `json:"letterOfAuthorization"`

	// invoice is the losing carrier's most recent invoice. It must be no
	// older than 30 days when the order is submitted.
	// +required
	Invoice Invoice `json:"invoice"`

	// customerServiceRecord is the losing carrier's customer service record
	// (CSR). Optional, but it avoids most mismatch rejections.
	// +optional
	CustomerServiceRecord *SecretKeyReference `json:"customerServiceRecord,omitempty"`
}

// Invoice is an invoice document and the date it was issued.
type Invoice struct {
	// secretRef points at the invoice file.
	// +required
	SecretRef SecretKeyReference `json:"secretRef"`

	// issueDate is the date printed on the invoice, as YYYY-MM-DD.
	// +kubebuilder:validation:Pattern=`^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`
	// +kubebuilder:validation:MaxLength=10
	// +required
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
type PartialPort struct {
	// remainingNumbers says what the losing carrier does with the numbers
	// that stay: Keep them in service or Disconnect them.
	// +required
	RemainingNumbers RemainingNumbersAction `json:"remainingNumbers"`

	// newBillingTelephoneNumber is the account's new billing telephone
	// number, required when the current one is among the ported numbers.
	// +kubebuilder:validation:Pattern=`^\+[1-9][0-9]{6,14}$`
	// +kubebuilder:validation:MaxLength=16
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
	// Validated, Submitted, PortDateConfirmed, Ported and
	// LosingCarrierReleaseConfirmed.
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

func init() {
	SchemeBuilder.Register(&PortRequest{}, &PortRequestList{})
}
