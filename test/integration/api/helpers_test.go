package api_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"
)

// portRequestYAML is a valid PortRequest that the tables below break one
// field at a time.
const portRequestYAML = `
apiVersion: porting.numberport.io/v1alpha1
kind: PortRequest
metadata:
  name: office
spec:
  numbers:
  - "+14155550151"
  - "+14155550152"
  losingCarrier:
    name: Golden Gate Telephone
    accountNumber: "4410-2231-77"
    pinSecretRef:
      name: office-port
      key: pin
    billingTelephoneNumber: "+14155550151"
  subscriber:
    name: Acme Dental Group LLC
    authorizedPerson: Dana Whitfield
    serviceAddress:
      street: 500 Harbor Street
      extendedAddress: Suite 210
      city: San Francisco
      region: CA
      postalCode: "94107"
      country: US
  documents:
    letterOfAuthorization:
      name: office-port
      key: loa.pdf
    invoice:
      secretRef:
        name: office-port
        key: invoice.pdf
      issueDate: "2026-11-20"
    customerServiceRecord:
      name: office-port
      key: csr.pdf
`

// phoneNumberYAML is a valid PhoneNumber that the tables below break one
// field at a time.
const phoneNumberYAML = `
apiVersion: porting.numberport.io/v1alpha1
kind: PhoneNumber
metadata:
  name: office-main
spec:
  number: "+14155550151"
  portRequestRef:
    name: office
  callFlow: front-desk
  messaging:
    enabled: true
  deletionPolicy: Release
`

// mutation changes a manifest before it is sent.
type mutation func(obj map[string]any)

// set sets the field at a dotted path, creating the objects on the way.
func set(path string, value any) mutation {
	return func(obj map[string]any) {
		keys := strings.Split(path, ".")
		m := obj
		for _, k := range keys[:len(keys)-1] {
			next, ok := m[k].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[k] = next
			}
			m = next
		}
		m[keys[len(keys)-1]] = value
	}
}

// del removes the field at a dotted path.
func del(path string) mutation {
	return func(obj map[string]any) {
		unstructured.RemoveNestedField(obj, strings.Split(path, ".")...)
	}
}

// manifest parses YAML into an object in namespace ns, with the mutations
// applied.
func manifest(text, ns string, mutations ...mutation) *unstructured.Unstructured {
	GinkgoHelper()
	obj := map[string]any{}
	Expect(yaml.Unmarshal([]byte(text), &obj)).To(Succeed())
	for _, m := range mutations {
		m(obj)
	}
	u := &unstructured.Unstructured{Object: obj}
	u.SetNamespace(ns)
	return u
}

// numbersList returns n distinct NANP-shaped numbers.
func numbersList(n int) []any {
	list := make([]any, n)
	for i := range list {
		list[i] = fmt.Sprintf("+1415%07d", 2000000+i)
	}
	return list
}

// expectRefused checks that err is an Invalid error from the API server
// holding a cause for field whose message contains every word.
func expectRefused(err error, field string, words ...string) {
	GinkgoHelper()
	Expect(err).To(HaveOccurred(), "the API server accepted the manifest")
	Expect(apierrors.IsInvalid(err)).To(BeTrue(), "want an Invalid error, got %v", err)
	Expect(err.Error()).To(ContainSubstring(field))

	var status *apierrors.StatusError
	Expect(errors.As(err, &status)).To(BeTrue())
	Expect(status.ErrStatus.Details).NotTo(BeNil())
	var messages []string
	for _, cause := range status.ErrStatus.Details.Causes {
		if cause.Field == field {
			messages = append(messages, cause.Message)
		}
	}
	Expect(messages).NotTo(BeEmpty(), "no cause for %s in %v", field, err)
	Expect(messages).To(ContainElement(SatisfyAll(containsAll(words)...)),
		"no message for %s says %q", field, words)
}

// containsAll returns a matcher per word.
func containsAll(words []string) []OmegaMatcher {
	matchers := make([]OmegaMatcher, len(words))
	for i, w := range words {
		matchers[i] = ContainSubstring(w)
	}
	return matchers
}

// create sends obj to the API server as a new object.
func create(ctx context.Context, obj *unstructured.Unstructured) error {
	return k8s.Create(ctx, obj)
}

// dryRunApply applies obj as kubectl apply --server-side --dry-run=server
// would, and returns the object the server would store.
func dryRunApply(ctx context.Context, obj *unstructured.Unstructured) *unstructured.Unstructured {
	GinkgoHelper()
	applied := obj.DeepCopy()
	Expect(k8s.Apply(ctx, client.ApplyConfigurationFromUnstructured(applied),
		client.FieldOwner("kubectl"), client.ForceOwnership, client.DryRunAll)).To(Succeed())
	return applied
}

// Strings the tables repeat.
const (
	fieldNumbersFrom  = "spec.numbersFrom"
	wordE164          = "E.164"
	wordLowercase     = "lowercase"
	wordSecret        = "Secret"
	requiredValue     = "Required value"
	unsupportedValue  = "Unsupported value"
	controlCharacters = "control characters"
	calendarDate      = "calendar date"
	dateLayout        = "YYYY-MM-DD"
	keep              = "Keep"
	disconnect        = "Disconnect"
	csvFormat         = "CSV"
)

// setNumbersFrom sets spec.numbersFrom to a ConfigMap key and format.
func setNumbersFrom(name, key, format string) mutation {
	return set("spec.numbersFrom", map[string]any{
		"configMapKeyRef": map[string]any{"name": name, "key": key},
		"format":          format,
	})
}

// setPartialPort sets spec.partialPort, leaving out the fields given as "".
func setPartialPort(remainingNumbers, newBillingTelephoneNumber string) mutation {
	pp := map[string]any{}
	if remainingNumbers != "" {
		pp["remainingNumbers"] = remainingNumbers
	}
	if newBillingTelephoneNumber != "" {
		pp["newBillingTelephoneNumber"] = newBillingTelephoneNumber
	}
	return set("spec.partialPort", pp)
}
