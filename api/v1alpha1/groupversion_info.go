// Package v1alpha1 contains the v1alpha1 API of the porting.numberport.io
// group: PortRequest, one porting order from one losing-carrier account, and
// PhoneNumber, one number on the platform with its call flow.
//
// The package depends on k8s.io/apimachinery only, so that clients such as
// the kubectl plugin can import it without controller-runtime.
//
// +kubebuilder:object:generate=true
// +groupName=porting.numberport.io
package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

var (
	// GroupVersion is the group and version of every kind in this package.
	GroupVersion = schema.GroupVersion{Group: "porting.numberport.io", Version: "v1alpha1"}

	// SchemeBuilder registers the kinds of this package with a scheme.
	SchemeBuilder = runtime.NewSchemeBuilder(addKnownTypes)

	// AddToScheme adds the kinds of this package to a scheme.
	AddToScheme = SchemeBuilder.AddToScheme
)

// addKnownTypes registers both kinds and their lists.
func addKnownTypes(s *runtime.Scheme) error {
	s.AddKnownTypes(GroupVersion,
		&PortRequest{}, &PortRequestList{},
		&PhoneNumber{}, &PhoneNumberList{},
	)
	metav1.AddToGroupVersion(s, GroupVersion)
	return nil
}
