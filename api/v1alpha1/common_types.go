package v1alpha1

// The validation rules below are CEL rules rather than OpenAPI patterns: the
// API server reports a pattern failure with the bare regular expression,
// while a CEL rule carries a message that says how to write the value. CEL
// rules on shared types cannot name the referring field, so their messages
// rely on the API server prefixing each error with the field path.

// SecretKeyReference points at one key of a Secret in the same namespace as
// the object that holds the reference. The operator reads the value when it
// needs it and never copies it into status, events, logs or metrics.
type SecretKeyReference struct {
	// name of the Secret, in the same namespace as the referring object,
	// such as port-documents.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:XValidation:rule="self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')",message="must be the name of a Secret in the same namespace: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, such as port-documents"
	// +required
	Name string `json:"name"`

	// key inside the Secret's data that holds the value, such as loa.pdf.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:XValidation:rule="self.matches('^[-._a-zA-Z0-9]+$') && self != '.' && !self.startsWith('..')",message="must be a key of the Secret's data: letters, digits, '-', '_' and '.', not starting with '..', such as loa.pdf"
	// +required
	Key string `json:"key"`
}

// LocalObjectReference names an object of a known kind in the same namespace.
type LocalObjectReference struct {
	// name of the object.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:XValidation:rule="self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')",message="must be the name of an object in the same namespace: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit"
	// +required
	Name string `json:"name"`
}
