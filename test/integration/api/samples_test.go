package api_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// sampleFiles lists the manifests of config/samples, the files kubectl
// apply -f config/samples/ reads.
func sampleFiles() []string {
	files, err := filepath.Glob(filepath.Join(samplesDir, "*.yaml"))
	if err != nil {
		panic(err)
	}
	return files
}

// sampleObjects reads every object of a multi-document YAML file.
func sampleObjects(path string) []*unstructured.Unstructured {
	GinkgoHelper()
	data, err := os.ReadFile(path)
	Expect(err).NotTo(HaveOccurred())
	reader := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	var objs []*unstructured.Unstructured
	for {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		Expect(err).NotTo(HaveOccurred())
		obj := map[string]any{}
		Expect(yaml.Unmarshal(doc, &obj)).To(Succeed())
		if len(obj) == 0 {
			continue
		}
		objs = append(objs, &unstructured.Unstructured{Object: obj})
	}
	Expect(objs).NotTo(BeEmpty(), "%s holds no object", path)
	return objs
}

var _ = Describe("Samples", func() {
	It("are listed, every one of them, in the kustomization", func() {
		data, err := os.ReadFile(filepath.Join(samplesDir, "Kustomization"))
		Expect(err).NotTo(HaveOccurred())
		var k struct {
			Resources []string `json:"resources"`
		}
		Expect(yaml.Unmarshal(data, &k)).To(Succeed())
		files := make([]string, 0, len(k.Resources))
		for _, f := range sampleFiles() {
			files = append(files, filepath.Base(f))
		}
		slices.Sort(k.Resources)
		Expect(files).To(Equal(k.Resources))
	})

	It("leave the namespace to the one applying them", func() {
		for _, f := range sampleFiles() {
			for _, obj := range sampleObjects(f) {
				Expect(obj.GetNamespace()).To(BeEmpty(), "%s sets a namespace in %s",
					obj.GetName(), f)
			}
		}
	})

	for _, file := range sampleFiles() {
		Context(filepath.Base(file), func() {
			It("is accepted as written, and the server adds nothing to it",
				func(ctx context.Context) {
					ns := newNamespace(ctx)
					for _, obj := range sampleObjects(file) {
						expectStoredAsWritten(ctx, ns, obj)
					}
				})
		})
	}
})

// expectStoredAsWritten creates obj in ns, then server-side applies the
// same manifest in dry-run mode, as a GitOps tool does to compute its diff,
// and checks that neither changed the spec, labels or annotations: a field
// the server filled in would show the object out of sync forever.
func expectStoredAsWritten(ctx context.Context, ns string, obj *unstructured.Unstructured) {
	GinkgoHelper()
	obj.SetNamespace(ns)
	written := obj.DeepCopy()
	kindName := obj.GetKind() + " " + obj.GetName()

	created := obj.DeepCopy()
	Expect(create(ctx, created)).To(Succeed(), "creating %s", kindName)
	applied := dryRunApply(ctx, written)

	for _, got := range []*unstructured.Unstructured{created, applied} {
		Expect(got.GetLabels()).To(Equal(written.GetLabels()),
			"%s: the server changed the labels", kindName)
		Expect(got.GetAnnotations()).To(Equal(written.GetAnnotations()),
			"%s: the server changed the annotations", kindName)
	}

	// Secrets have no spec: the server turns their stringData into data,
	// which GitOps tools know to compare.
	if _, hasSpec := written.Object["spec"]; !hasSpec {
		Expect(written.GetKind()).To(Equal("Secret"), "%s has no spec", kindName)
		return
	}
	Expect(created.Object["spec"]).To(Equal(written.Object["spec"]),
		"%s: the server changed the spec when creating it", kindName)
	Expect(applied.Object["spec"]).To(Equal(created.Object["spec"]),
		"%s: applying the same manifest again would change the spec", kindName)
}
