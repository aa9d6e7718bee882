package v1alpha1

// Condition types shared by both kinds. They follow the Kubernetes API
// conventions and kstatus: Ready summarises, Stalled is present only while a
// person must act, and waiting for a carrier is an observed state rather than
// work in progress, so that GitOps tools do not show a port as progressing for
// weeks.
const (
	// ConditionReady summarises whether the object is where it should be
	// for now: an order accepted and following its course, a number staged
	// or active.
	ConditionReady = "Ready"
	// ConditionStalled is True while the object cannot progress until a
	// person acts; its reason names what to fix. It is removed otherwise.
	ConditionStalled = "Stalled"
)

// Condition types of a PortRequest.
const (
	// ConditionValidated says whether the spec and what it references pass
	// the checks the API server cannot make.
	ConditionValidated = "Validated"
	// ConditionSubmitted says whether the provider holds the order.
	ConditionSubmitted = "Submitted"
	// ConditionPortDateConfirmed says whether the losing carrier confirmed
	// a port date.
	ConditionPortDateConfirmed = "PortDateConfirmed"
	// ConditionLosingAccountVerified reminds, once the port is over, that
	// only the losing carrier can confirm the numbers left the account. It
	// stays Unknown: the operator cannot see the losing carrier's records.
	ConditionLosingAccountVerified = "LosingAccountVerified"
)

// Condition types of a PhoneNumber.
const (
	// ConditionCallFlowConfigured says whether the call flow is configured
	// on the platform (inactive before the port date, live after).
	ConditionCallFlowConfigured = "CallFlowConfigured"
	// ConditionPorted says whether the number routes to the platform.
	ConditionPorted = "Ported"
	// ConditionMessagingReady says whether texts reach the platform.
	ConditionMessagingReady = "MessagingReady"
	// ConditionInService is False when the number stopped working while
	// the losing carrier still holds it.
	ConditionInService = "InService"
)

// Reasons of PortRequest conditions.
const (
	// ReasonValid means the spec passed validation.
	ReasonValid = "Valid"
	// ReasonInvalidNumber means a number is not a valid US or Canadian number.
	ReasonInvalidNumber = "InvalidNumber"
	// ReasonAccountNumberRequired means a Canadian number is listed without
	// an account number.
	ReasonAccountNumberRequired = "AccountNumberRequired"
	// ReasonInvoiceTooOld means the invoice is older than 30 days.
	ReasonInvoiceTooOld = "InvoiceTooOld"
	// ReasonInvalidInvoiceDate means the invoice's issue date lies in the
	// future or cannot be read as a date.
	ReasonInvalidInvoiceDate = "InvalidInvoiceDate"
	// ReasonNewBillingNumberRequired means a partial port moves the billing
	// telephone number without naming a new one.
	ReasonNewBillingNumberRequired = "NewBillingNumberRequired"
	// ReasonReferenceNotFound means a referenced Secret, ConfigMap or key
	// does not exist.
	ReasonReferenceNotFound = "ReferenceNotFound"
	// ReasonInvalidNumberList means a number list in a ConfigMap cannot be
	// read.
	ReasonInvalidNumberList = "InvalidNumberList"
	// ReasonNumbersChanged means spec.numbers differs from the numbers of
	// the submitted order, which cannot change.
	ReasonNumbersChanged = "NumbersChanged"
	// ReasonNumberClaimed means another PortRequest already ports a number.
	ReasonNumberClaimed = "NumberClaimed"

	// ReasonSubmitting means the order is being sent to the provider.
	ReasonSubmitting = "Submitting"
	// ReasonAccepted means the provider accepted the order.
	ReasonAccepted = "Accepted"
	// ReasonProviderUnavailable means the provider answers with transient
	// errors; the operator retries with backoff.
	ReasonProviderUnavailable = "ProviderUnavailable"
	// ReasonProviderRefused means the provider refused a request for good.
	ReasonProviderRefused = "ProviderRefused"
	// ReasonRejected means the losing carrier rejected the order; the
	// Stalled condition carries the specific rejection code.
	ReasonRejected = "Rejected"
	// ReasonCorrectionSent means a correction was sent and awaits review.
	ReasonCorrectionSent = "CorrectionSent"

	// ReasonAwaitingPortDate means the losing carrier has not confirmed a
	// port date yet.
	ReasonAwaitingPortDate = "AwaitingPortDate"
	// ReasonPortDateConfirmed means the port date is confirmed.
	ReasonPortDateConfirmed = "PortDateConfirmed"
	// ReasonPortDateMoved means the confirmed port date changed.
	ReasonPortDateMoved = "PortDateMoved"

	// ReasonCompleted means every number was ported.
	ReasonCompleted = "Completed"
	// ReasonPartiallyCompleted means some numbers could not be ported.
	ReasonPartiallyCompleted = "PartiallyCompleted"
	// ReasonCancelledByProvider means the provider cancelled the order,
	// usually because a rejection was not corrected in time.
	ReasonCancelledByProvider = "CancelledByProvider"
	// ReasonCancelled means the order was cancelled on request.
	ReasonCancelled = "Cancelled"
	// ReasonCancelRefused means the provider refused to cancel, usually
	// because the port date is too close.
	ReasonCancelRefused = "CancelRefused"
	// ReasonOrderLost means the provider no longer knows the recorded order.
	ReasonOrderLost = "OrderLost"
	// ReasonVerifyWithLosingCarrier reminds the user to confirm with the
	// losing carrier that the numbers left the account.
	ReasonVerifyWithLosingCarrier = "VerifyWithLosingCarrier"
)

// Reasons of PhoneNumber conditions.
const (
	// ReasonAwaitingPortRequest means the referenced PortRequest does not
	// exist.
	ReasonAwaitingPortRequest = "AwaitingPortRequest"
	// ReasonNoCallFlow means spec.callFlow is empty.
	ReasonNoCallFlow = "NoCallFlow"
	// ReasonStaged means the call flow is configured and inactive.
	ReasonStaged = "Staged"
	// ReasonActive means the call flow is live.
	ReasonActive = "Active"
	// ReasonActiveWithoutCallFlow means the number rings on the platform
	// with no call flow to answer it.
	ReasonActiveWithoutCallFlow = "ActiveWithoutCallFlow"
	// ReasonEarlyTransfer means the number routed to the platform before
	// its port date and was activated at once.
	ReasonEarlyTransfer = "EarlyTransfer"
	// ReasonNotPorted means the number routes to the losing carrier.
	ReasonNotPorted = "NotPorted"
	// ReasonPortFailed means the number's order ended without porting it.
	ReasonPortFailed = "PortFailed"
	// ReasonNotInPortRequest means the referenced PortRequest does not
	// port the number.
	ReasonNotInPortRequest = "NotInPortRequest"
	// ReasonNumberConflict means an older PhoneNumber, in any namespace,
	// already declares the number: a number has one owner on the platform.
	ReasonNumberConflict = "NumberConflict"
	// ReasonLinesDropped means the number stopped working while the losing
	// carrier still holds it.
	ReasonLinesDropped = "LinesDropped"
	// ReasonInService means the number works.
	ReasonInService = "InService"
	// ReasonMessagingPending means texting waits for the messaging route,
	// within the expected time.
	ReasonMessagingPending = "MessagingPending"
	// ReasonMessagingDelayed means the messaging route is later than three
	// business days after activation.
	ReasonMessagingDelayed = "MessagingDelayed"
	// ReasonMessagingReady means texts reach the platform.
	ReasonMessagingReady = "MessagingReady"
	// ReasonMessagingDisabled means texting is not enabled for the number.
	ReasonMessagingDisabled = "MessagingDisabled"
)
