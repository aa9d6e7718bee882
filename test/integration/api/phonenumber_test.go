package api_test

import (
	"context"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

var _ = Describe("PhoneNumber admission", func() {
	DescribeTable("refuses an invalid PhoneNumber, naming the field and the fix",
		func(ctx context.Context, field string, words []string, mutations ...mutation) {
			ns := newNamespace(ctx)
			err := create(ctx, manifest(phoneNumberYAML, ns, mutations...))
			expectRefused(err, field, words...)
		},
		Entry("a number written the way people write it", "spec.number",
			[]string{wordE164, "without spaces, dashes or parentheses"},
			set("spec.number", "(415) 555-0151")),
		Entry("a number whose country code starts with 0", "spec.number",
			[]string{wordE164, "the country code"},
			set("spec.number", "+04155550151")),
		Entry("a number with 16 digits", "spec.number", []string{"7 to 15 digits"},
			set("spec.number", "+1415555015112345")),
		Entry("a missing number", "spec.number", []string{requiredValue},
			del("spec.number")),
		Entry("a number of another country brought in by a PortRequest", "spec.number",
			[]string{"US or Canadian number", "spec.portRequestRef", "can be ported"},
			set("spec.number", "+442079460958")),
		Entry("a call flow name with spaces and capitals", "spec.callFlow",
			[]string{"name of a call flow", "lowercase letters", "such as main-reception"},
			set("spec.callFlow", "Front Desk")),
		Entry("an empty call flow", "spec.callFlow", []string{"at least 1"},
			set("spec.callFlow", "")),
		Entry("an unknown deletion policy", "spec.deletionPolicy",
			[]string{unsupportedValue, `"Retain"`, `"Release"`},
			set("spec.deletionPolicy", "Delete")),
		Entry("a PortRequest name with an underscore", "spec.portRequestRef.name",
			[]string{"name of an object in the same namespace", wordLowercase},
			set("spec.portRequestRef.name", "office_port")),
		Entry("messaging without enabled", "spec.messaging.enabled",
			[]string{requiredValue},
			set("spec.messaging", map[string]any{})),
	)

	DescribeTable("accepts a valid PhoneNumber as written",
		func(ctx context.Context, mutations ...mutation) {
			ns := newNamespace(ctx)
			obj := manifest(phoneNumberYAML, ns, mutations...)
			want := obj.DeepCopy()
			Expect(create(ctx, obj)).To(Succeed())
			Expect(obj.Object["spec"]).To(Equal(want.Object["spec"]),
				"the API server changed the spec it was given")
		},
		Entry("the base manifest"),
		Entry("only a number", set("spec", map[string]any{"number": "+14155550151"})),
		Entry("a number of another country already on the platform",
			del("spec.portRequestRef"), set("spec.number", "+442079460958")),
		Entry("a Canadian number", set("spec.number", "+16135550151")),
		Entry("messaging disabled", set("spec.messaging", map[string]any{"enabled": false})),
	)

	Describe("updates", func() {
		var (
			ns  string
			obj *unstructured.Unstructured
		)

		BeforeEach(func(ctx context.Context) {
			ns = newNamespace(ctx)
			obj = manifest(phoneNumberYAML, ns)
			Expect(create(ctx, obj)).To(Succeed())
		})

		DescribeTable("refuses a change of spec.number",
			func(ctx context.Context, number string) {
				Expect(unstructured.SetNestedField(obj.Object, number, "spec", "number")).
					To(Succeed())
				expectRefused(k8s.Update(ctx, obj), "spec.number",
					"immutable", "create a new one")
			},
			Entry("to another valid number", "+14155550152"),
			Entry("to the same number written differently", "+1 415 555 0151"),
		)

		It("refuses a change of spec.number applied server-side", func(ctx context.Context) {
			applied := manifest(phoneNumberYAML, ns, set("spec.number", "+14155550152"))
			err := k8s.Apply(ctx, client.ApplyConfigurationFromUnstructured(applied),
				client.FieldOwner("kubectl"), client.ForceOwnership)
			expectRefused(err, "spec.number", "immutable")
		})

		It("allows changing the call flow, messaging and deletion policy",
			func(ctx context.Context) {
				Expect(unstructured.SetNestedField(obj.Object, "after-hours",
					"spec", "callFlow")).To(Succeed())
				Expect(unstructured.SetNestedField(obj.Object, false,
					"spec", "messaging", "enabled")).To(Succeed())
				Expect(unstructured.SetNestedField(obj.Object, "Retain",
					"spec", "deletionPolicy")).To(Succeed())
				Expect(k8s.Update(ctx, obj)).To(Succeed())
			})
	})
})
