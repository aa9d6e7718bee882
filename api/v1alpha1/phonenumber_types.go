package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// PhoneNumberSpec declares one number on the platform and the call flow that
// answers it. The operator never writes it.
//
// +kubebuilder:validation:XValidation:rule="!has(self.portRequestRef) || !self.number.matches('^[+][1-9][0-9]{6,14}$') || self.number.matches('^[+]1[2-9][0-9]{2}[2-9][0-9]{6}$')",message="spec.number must be a US or Canadian number (+1 and 10 digits, such as +14155550111) when spec.portRequestRef is set: only those numbers can be ported",fieldPath=".number"
type PhoneNumberSpec struct {
	// number in E.164 form, such as +14155550111. It cannot be changed:
	// create a new PhoneNumber for another number.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:XValidation:rule="self.matches('^[+][1-9][0-9]{6,14}$')",message="spec.number must be in E.164 form: '+', the country code and the number, 7 to 15 digits without spaces, dashes or parentheses, such as +14155550111"
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="spec.number is immutable: delete this PhoneNumber and create a new one for the other number"
	// +required
	Number string `json:"number"`

	// portRequestRef names the PortRequest, in the same namespace, that
	// brings the number onto the platform. Leave it unset for a number that
	// is already on the platform.
	// +optional
	PortRequestRef *LocalObjectReference `json:"portRequestRef,omitempty"`

	// callFlow is the name of the platform call flow that answers the
	// number. It is configured inactive before the port date and goes live
	// on it. A number without one rings nowhere once active.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:XValidation:rule="self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",message="spec.callFlow must be the name of a call flow: lowercase letters, digits and '-', starting and ending with a letter or digit, such as main-reception"
	// +optional
	CallFlow string `json:"callFlow,omitempty"`

	// messaging configures texting for the number. Unset means voice only.
	// +optional
	Messaging *Messaging `json:"messaging,omitempty"`

	// deletionPolicy says what happens to the number on the platform when
	// this object is deleted: Retain keeps it, Release gives it up. Unset
	// behaves as Retain; the API server does not fill it in, so that the
	// stored object stays equal to the applied manifest.
	// +optional
	DeletionPolicy DeletionPolicy `json:"deletionPolicy,omitempty"`
}

// Messaging configures texting for a number.
type Messaging struct {
	// enabled routes text messages for the number to the platform once the
	// losing carrier releases the messaging route.
	// +required
	Enabled bool `json:"enabled"`
}

// DeletionPolicy says what happens to a number on the platform when its
// PhoneNumber is deleted.
// +kubebuilder:validation:Enum=Retain;Release
type DeletionPolicy string

const (
	// DeletionPolicyRetain keeps the number on the platform.
	DeletionPolicyRetain DeletionPolicy = "Retain"
	// DeletionPolicyRelease releases the number from the platform.
	DeletionPolicyRelease DeletionPolicy = "Release"
)

// PhoneNumberPhase summarises where a number stands.
// +kubebuilder:validation:Enum=Pending;Staged;Active;Failed
type PhoneNumberPhase string

const (
	// PhoneNumberPending means there is no confirmed port date yet, or no
	// call flow configured on the platform.
	PhoneNumberPending PhoneNumberPhase = "Pending"
	// PhoneNumberStaged means the port date is confirmed and the call flow
	// is configured on the platform, inactive.
	PhoneNumberStaged PhoneNumberPhase = "Staged"
	// PhoneNumberActive means the number rings on the platform.
	PhoneNumberActive PhoneNumberPhase = "Active"
	// PhoneNumberFailed means the number will not be ported: the order was
	// cancelled or failed, or the number is not portable.
	PhoneNumberFailed PhoneNumberPhase = "Failed"
)

// ActivationTrigger says why a number was activated.
// +kubebuilder:validation:Enum=PortDate;EarlyTransfer;AlreadyOnPlatform
type ActivationTrigger string

const (
	// ActivationPortDate means the number was activated at its port date.
	ActivationPortDate ActivationTrigger = "PortDate"
	// ActivationEarlyTransfer means routing showed the number on the
	// platform before its port date.
	ActivationEarlyTransfer ActivationTrigger = "EarlyTransfer"
	// ActivationAlreadyOnPlatform means the number needed no port.
	ActivationAlreadyOnPlatform ActivationTrigger = "AlreadyOnPlatform"
)

// RoutedTo says which network the number portability database points a
// number at.
// +kubebuilder:validation:Enum=LosingCarrier;Platform;Disconnected
type RoutedTo string

const (
	// RoutedToLosingCarrier means the losing carrier still serves the number.
	RoutedToLosingCarrier RoutedTo = "LosingCarrier"
	// RoutedToPlatform means the number routes to the platform.
	RoutedToPlatform RoutedTo = "Platform"
	// RoutedToDisconnected means the number is out of service while the
	// losing carrier still holds it: it was dropped, not ported.
	RoutedToDisconnected RoutedTo = "Disconnected"
)

// MessagingState is where a number's texting stands.
// +kubebuilder:validation:Enum=Pending;Ready;Delayed
type MessagingState string

const (
	// MessagingPending means the messaging route has not reached the
	// platform yet, within the expected time.
	MessagingPending MessagingState = "Pending"
	// MessagingReady means texts reach the platform.
	MessagingReady MessagingState = "Ready"
	// MessagingDelayed means the messaging route is later than three
	// business days after activation.
	MessagingDelayed MessagingState = "Delayed"
)

// PhoneNumberStatus is what the operator observed of a number.
type PhoneNumberStatus struct {
	// observedGeneration is the spec generation this status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// phase summarises where the number stands: Pending, Staged, Active or
	// Failed.
	// +optional
	Phase PhoneNumberPhase `json:"phase,omitempty"`

	// conditions detail the state: Ready, Stalled, CallFlowConfigured,
	// Ported and MessagingReady.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// portDate is the confirmed port date of the number's order.
	// +optional
	PortDate *metav1.Time `json:"portDate,omitempty"`

	// stagedCallFlow is the call flow configured on the platform.
	// +optional
	StagedCallFlow string `json:"stagedCallFlow,omitempty"`

	// activatedAt is when the call flow went live.
	// +optional
	ActivatedAt *metav1.Time `json:"activatedAt,omitempty"`

	// activationTrigger says why the number was activated.
	// +optional
	ActivationTrigger ActivationTrigger `json:"activationTrigger,omitempty"`

	// routing is the last routing lookup result that differed from the one
	// before it. Lookups that confirm it are not recorded.
	// +optional
	Routing *RoutingObservation `json:"routing,omitempty"`

	// messaging is where texting stands, when it is enabled.
	// +optional
	Messaging *MessagingStatus `json:"messaging,omitempty"`
}

// RoutingObservation is what a number portability lookup said.
type RoutingObservation struct {
	// routedTo is the network the number routes to.
	RoutedTo RoutedTo `json:"routedTo"`
	// carrier is the name of the carrier serving the number.
	// +optional
	Carrier string `json:"carrier,omitempty"`
	// since is when the lookup first showed this result.
	Since metav1.Time `json:"since"`
	// observations counts the consecutive lookups that agreed on it.
	Observations int32 `json:"observations"`
}

// MessagingStatus is where a number's texting stands.
type MessagingStatus struct {
	// state of the messaging route.
	State MessagingState `json:"state"`
	// expectedBy is three business days after activation, the time after
	// which the route is reported delayed.
	// +optional
	ExpectedBy *metav1.Time `json:"expectedBy,omitempty"`
	// readyAt is when the route reached the platform.
	// +optional
	ReadyAt *metav1.Time `json:"readyAt,omitempty"`
}

// PhoneNumber is one number on the platform and the call flow that answers
// it. A ported number moves from Pending to Staged to Active on its port date.
//
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=pn,categories=numberport
// +kubebuilder:selectablefield:JSONPath=`.spec.number`
// +kubebuilder:selectablefield:JSONPath=`.spec.portRequestRef.name`
// +kubebuilder:printcolumn:name="Number",type=string,JSONPath=`.spec.number`
// +kubebuilder:printcolumn:name="Phase",type=string,JSONPath=`.status.phase`
// +kubebuilder:printcolumn:name="Port Date",type=string,JSONPath=`.status.portDate`
// +kubebuilder:printcolumn:name="Call Flow",type=string,JSONPath=`.spec.callFlow`
// +kubebuilder:printcolumn:name="Messaging",type=string,JSONPath=`.status.messaging.state`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
// +kubebuilder:printcolumn:name="Port Request",type=string,JSONPath=`.spec.portRequestRef.name`,priority=1
// +kubebuilder:printcolumn:name="Trigger",type=string,JSONPath=`.status.activationTrigger`,priority=1
// +kubebuilder:printcolumn:name="Routed To",type=string,JSONPath=`.status.routing.routedTo`,priority=1
// +kubebuilder:printcolumn:name="Message",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].message`,priority=1
type PhoneNumber struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec declares the number.
	// +required
	Spec PhoneNumberSpec `json:"spec"`

	// status is what the operator observed of the number.
	// +optional
	Status PhoneNumberStatus `json:"status,omitempty"`
}

// PhoneNumberList is a list of PhoneNumbers.
//
// +kubebuilder:object:root=true
type PhoneNumberList struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`
	// items are the PhoneNumbers.
	Items []PhoneNumber `json:"items"`
}
