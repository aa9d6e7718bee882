package api_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"
)

// crdFiles reads the generated CRDs.
func crdFiles() []*apiextensionsv1.CustomResourceDefinition {
	GinkgoHelper()
	files, err := filepath.Glob(filepath.Join(crdDir, "*.yaml"))
	Expect(err).NotTo(HaveOccurred())
	Expect(files).To(HaveLen(2))
	crds := make([]*apiextensionsv1.CustomResourceDefinition, 0, len(files))
	for _, f := range files {
		data, err := os.ReadFile(f)
		Expect(err).NotTo(HaveOccurred())
		crd := &apiextensionsv1.CustomResourceDefinition{}
		Expect(yaml.UnmarshalStrict(data, crd)).To(Succeed(), "reading %s", f)
		crds = append(crds, crd)
	}
	return crds
}

// walkSchema calls visit on every schema under s, with its path.
func walkSchema(path string, s *apiextensionsv1.JSONSchemaProps,
	visit func(string, *apiextensionsv1.JSONSchemaProps)) {
	if s == nil {
		return
	}
	visit(path, s)
	for name, p := range s.Properties {
		walkSchema(path+"."+name, &p, visit)
	}
	if s.Items != nil {
		walkSchema(path+"[]", s.Items.Schema, visit)
		for i := range s.Items.JSONSchemas {
			walkSchema(fmt.Sprintf("%s[%d]", path, i), &s.Items.JSONSchemas[i], visit)
		}
	}
	if s.AdditionalProperties != nil {
		walkSchema(path+".*", s.AdditionalProperties.Schema, visit)
	}
	for _, group := range [][]apiextensionsv1.JSONSchemaProps{s.AllOf, s.AnyOf, s.OneOf} {
		for i := range group {
			walkSchema(path, &group[i], visit)
		}
	}
}

var _ = Describe("CRDs", func() {
	It("are installed and established", func(ctx context.Context) {
		for _, want := range crdFiles() {
			crd := &apiextensionsv1.CustomResourceDefinition{}
			Expect(k8s.Get(ctx, client.ObjectKey{Name: want.Name}, crd)).To(Succeed())
			Expect(crd.Status.Conditions).To(ContainElement(SatisfyAll(
				HaveField("Type", apiextensionsv1.Established),
				HaveField("Status", apiextensionsv1.ConditionTrue),
			)), "%s is not established", crd.Name)
		}
	})

	It("carry the names, short names and category of the design", func() {
		names := map[string]apiextensionsv1.CustomResourceDefinitionNames{}
		for _, crd := range crdFiles() {
			names[crd.Spec.Names.Kind] = crd.Spec.Names
			Expect(crd.Spec.Group).To(Equal("porting.numberport.io"))
			Expect(crd.Spec.Scope).To(Equal(apiextensionsv1.NamespaceScoped))
		}
		Expect(names["PortRequest"].ShortNames).To(ConsistOf("portreq"))
		Expect(names["PhoneNumber"].ShortNames).To(ConsistOf("pn"))
		Expect(names["PortRequest"].Categories).To(ConsistOf("numberport"))
		Expect(names["PhoneNumber"].Categories).To(ConsistOf("numberport"))
	})

	// A default makes the stored object differ from the applied manifest,
	// which a GitOps tool then reports as out of sync forever.
	It("default no value anywhere", func() {
		for _, crd := range crdFiles() {
			for _, v := range crd.Spec.Versions {
				walkSchema(crd.Spec.Names.Kind, v.Schema.OpenAPIV3Schema,
					func(path string, s *apiextensionsv1.JSONSchemaProps) {
						Expect(s.Default).To(BeNil(), "%s has a default", path)
					})
			}
		}
	})

	// The API server explains a failed pattern only with the regular
	// expression, so the spec uses CEL rules, which carry messages.
	It("give every validation rule of the spec a message, and use no pattern", func() {
		rules := 0
		for _, crd := range crdFiles() {
			for _, v := range crd.Spec.Versions {
				spec := v.Schema.OpenAPIV3Schema.Properties["spec"]
				walkSchema(crd.Spec.Names.Kind+".spec", &spec,
					func(path string, s *apiextensionsv1.JSONSchemaProps) {
						Expect(s.Pattern).To(BeEmpty(), "%s uses a pattern", path)
						for _, rule := range s.XValidations {
							rules++
							Expect(rule.Message).NotTo(BeEmpty(),
								"%s: rule %q has no message", path, rule.Rule)
						}
					})
			}
		}
		Expect(rules).To(BeNumerically(">=", 40))
	})
})
