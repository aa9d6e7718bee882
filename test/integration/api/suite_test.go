// Package api_test checks the CRDs on a real API server: that they install,
// that admission refuses every invalid manifest with a message naming the
// field and the fix, that valid manifests and the samples are accepted, and
// that the server adds nothing to what was applied.
package api_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
)

var (
	testEnv *envtest.Environment
	k8s     client.Client
	scheme  = runtime.NewScheme()

	// crdDir and samplesDir are relative to this package's directory, where
	// go test runs it.
	crdDir     = filepath.Join("..", "..", "..", "config", "crd", "bases")
	samplesDir = filepath.Join("..", "..", "..", "config", "samples")
)

func TestAPI(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "API admission")
}

var _ = BeforeSuite(func() {
	// Failing rather than skipping: a suite that silently skips looks like a
	// suite that passed.
	assets := os.Getenv("KUBEBUILDER_ASSETS")
	Expect(assets).NotTo(BeEmpty(), "KUBEBUILDER_ASSETS is not set: run `make test`, "+
		"which builds kube-apiserver and etcd and points KUBEBUILDER_ASSETS at them")
	Expect(filepath.Join(assets, "kube-apiserver")).To(BeAnExistingFile(),
		"KUBEBUILDER_ASSETS has no kube-apiserver: run `make test` to build it")

	Expect(clientgoscheme.AddToScheme(scheme)).To(Succeed())
	Expect(apiextensionsv1.AddToScheme(scheme)).To(Succeed())
	Expect(portingv1alpha1.AddToScheme(scheme)).To(Succeed())
	testEnv = &envtest.Environment{
		CRDDirectoryPaths:     []string{crdDir},
		ErrorIfCRDPathMissing: true,
		// Never an existing cluster, whatever USE_EXISTING_CLUSTER says:
		// the suite creates and refuses objects by the dozen.
		UseExistingCluster: ptr.To(false),
	}
	cfg, err := testEnv.Start()
	Expect(err).NotTo(HaveOccurred(), "starting the API server and installing the CRDs")
	k8s, err = client.New(cfg, client.Options{Scheme: scheme})
	Expect(err).NotTo(HaveOccurred())
})

var _ = AfterSuite(func() {
	if testEnv != nil {
		Expect(testEnv.Stop()).To(Succeed())
	}
})

// newNamespace creates a namespace for one test. envtest runs no namespace
// controller, so namespaces are never deleted: each test gets a fresh one
// instead of cleaning up.
func newNamespace(ctx context.Context) string {
	GinkgoHelper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "api-"}}
	Expect(k8s.Create(ctx, ns)).To(Succeed())
	return ns.Name
}
