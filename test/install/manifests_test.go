package install_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/wait"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/numberport/numberport/internal/localcluster"
)

// decodeObjects splits a multi-document manifest into objects, skipping
// documents that hold only comments.
func decodeObjects(t *testing.T, manifest []byte) []*unstructured.Unstructured {
	t.Helper()
	reader := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(manifest)))
	var objs []*unstructured.Unstructured
	for {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return objs
		}
		if err != nil {
			t.Fatalf("splitting the manifest into documents: %v", err)
		}
		var m map[string]any
		if err := yaml.Unmarshal(doc, &m); err != nil {
			t.Fatalf("decoding a document: %v\n%s", err, doc)
		}
		if len(m) == 0 {
			continue
		}
		objs = append(objs, &unstructured.Unstructured{Object: m})
	}
}

// find returns the rendered object of kind with name, failing when there is
// none.
func find(t *testing.T, objs []*unstructured.Unstructured, kind, name string,
	into runtime.Object) {
	t.Helper()
	for _, o := range objs {
		if o.GetKind() == kind && o.GetName() == name {
			if err := runtime.DefaultUnstructuredConverter.FromUnstructured(
				o.Object, into); err != nil {
				t.Fatalf("converting %s %s: %v", kind, name, err)
			}
			return
		}
	}
	t.Fatalf("the manifest has no %s named %s; it has:\n%s", kind, name, summary(objs))
}

// kinds counts the rendered objects of kind.
func kinds(objs []*unstructured.Unstructured, kind string) int {
	n := 0
	for _, o := range objs {
		if o.GetKind() == kind {
			n++
		}
	}
	return n
}

func summary(objs []*unstructured.Unstructured) string {
	lines := make([]string, 0, len(objs))
	for _, o := range objs {
		lines = append(lines, fmt.Sprintf("  %s %s/%s", o.GetKind(), o.GetNamespace(),
			o.GetName()))
	}
	return strings.Join(lines, "\n")
}

// newClient returns a client of the local control plane that knows the
// built-in types and CRDs; other kinds are read as unstructured objects.
func newClient(t *testing.T, c *localcluster.Cluster) client.Client {
	t.Helper()
	scheme := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(scheme); err != nil {
		t.Fatalf("building the scheme: %v", err)
	}
	if err := apiextensionsv1.AddToScheme(scheme); err != nil {
		t.Fatalf("building the scheme: %v", err)
	}
	cli, err := client.New(c.Config(), client.Options{Scheme: scheme})
	if err != nil {
		t.Fatalf("creating a client: %v", err)
	}
	return cli
}

// assertAllExist reads every rendered object back from the API server, so
// that an object kubectl skipped or a namespace it ignored shows up.
func assertAllExist(t *testing.T, cli client.Client, objs []*unstructured.Unstructured) {
	t.Helper()
	for _, o := range objs {
		got := &unstructured.Unstructured{}
		got.SetGroupVersionKind(o.GroupVersionKind())
		key := types.NamespacedName{Namespace: o.GetNamespace(), Name: o.GetName()}
		if err := cli.Get(context.Background(), key, got); err != nil {
			t.Errorf("%s %s was applied but cannot be read back: %v", o.GetKind(), key, err)
		}
	}
}

// assertCRDsEstablished waits for every rendered CRD to be served.
func assertCRDsEstablished(t *testing.T, cli client.Client,
	objs []*unstructured.Unstructured) {
	t.Helper()
	var names []string
	for _, o := range objs {
		if o.GetKind() == "CustomResourceDefinition" {
			names = append(names, o.GetName())
		}
	}
	slices.Sort(names)
	want := []string{"phonenumbers.porting.numberport.io", "portrequests.porting.numberport.io"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Fatalf("rendered CRDs differ from numberport's (-want +got):\n%s", diff)
	}
	for _, name := range names {
		waitEstablished(t, cli, name)
	}
}

func waitEstablished(t *testing.T, cli client.Client, name string) {
	t.Helper()
	var crd apiextensionsv1.CustomResourceDefinition
	err := wait.PollUntilContextTimeout(context.Background(), 100*time.Millisecond,
		30*time.Second, true, func(ctx context.Context) (bool, error) {
			if err := cli.Get(ctx, types.NamespacedName{Name: name}, &crd); err != nil {
				return false, err
			}
			for _, c := range crd.Status.Conditions {
				if c.Type == apiextensionsv1.Established {
					return c.Status == apiextensionsv1.ConditionTrue, nil
				}
			}
			return false, nil
		})
	if err != nil {
		t.Fatalf("CRD %s is not established: %v; conditions: %+v", name, err,
			crd.Status.Conditions)
	}
}

// liveClusterRole reads a ClusterRole from the API server.
func liveClusterRole(t *testing.T, cli client.Client, name string) *rbacv1.ClusterRole {
	t.Helper()
	var role rbacv1.ClusterRole
	if err := cli.Get(context.Background(), types.NamespacedName{Name: name}, &role); err != nil {
		t.Fatalf("reading ClusterRole %s: %v", name, err)
	}
	return &role
}

// liveDeployment reads a Deployment from the API server.
func liveDeployment(t *testing.T, cli client.Client, namespace, name string) *appsv1.Deployment {
	t.Helper()
	var d appsv1.Deployment
	key := types.NamespacedName{Namespace: namespace, Name: name}
	if err := cli.Get(context.Background(), key, &d); err != nil {
		t.Fatalf("reading Deployment %s: %v", key, err)
	}
	return &d
}

// generatedManagerRules are the rules of config/rbac/role.yaml, which
// controller-gen writes from the +kubebuilder:rbac markers: the one source
// both installers must agree with.
func generatedManagerRules(t *testing.T) []rbacv1.PolicyRule {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "config", "rbac", "role.yaml"))
	if err != nil {
		t.Fatalf("reading the generated ClusterRole: %v", err)
	}
	var role rbacv1.ClusterRole
	if err := yaml.Unmarshal(data, &role); err != nil {
		t.Fatalf("decoding config/rbac/role.yaml: %v", err)
	}
	return role.Rules
}

// permissions expands rules into one "group resource verb" or "url verb"
// line per permission, so that rules grouped differently but granting the
// same compare equal.
func permissions(rules []rbacv1.PolicyRule) []string {
	set := map[string]bool{}
	for _, r := range rules {
		for _, verb := range r.Verbs {
			for _, group := range r.APIGroups {
				for _, resource := range r.Resources {
					for _, name := range orAll(r.ResourceNames) {
						set[fmt.Sprintf("%q %s %s %s", group, resource, name, verb)] = true
					}
				}
			}
			for _, url := range r.NonResourceURLs {
				set[fmt.Sprintf("url %s %s", url, verb)] = true
			}
		}
	}
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// orAll stands for "every name" when a rule lists no resource names.
func orAll(names []string) []string {
	if len(names) == 0 {
		return []string{"*"}
	}
	return names
}

// assertManagerRules checks a manager ClusterRole against the generated
// one, and that it reads Secrets and ConfigMaps only one at a time.
func assertManagerRules(t *testing.T, installer string, rules []rbacv1.PolicyRule) {
	t.Helper()
	want := permissions(generatedManagerRules(t))
	if diff := cmp.Diff(want, permissions(rules)); diff != "" {
		t.Errorf("the %s manager ClusterRole differs from config/rbac/role.yaml "+
			"(-generated +%s):\n%s", installer, installer, diff)
	}
	for _, resource := range []string{"secrets", "configmaps"} {
		if verbs := coreVerbs(rules, resource); !slices.Equal(verbs, []string{"get"}) {
			t.Errorf("the %s manager ClusterRole grants %v on %s; it must grant only get, "+
				"since the manager reads them by reference and never lists or watches them",
				installer, verbs, resource)
		}
	}
}

// coreVerbs lists the verbs rules grant on a resource of the core group,
// counting wildcards.
func coreVerbs(rules []rbacv1.PolicyRule, resource string) []string {
	set := map[string]bool{}
	for _, r := range rules {
		if !slices.Contains(r.APIGroups, "") && !slices.Contains(r.APIGroups, "*") {
			continue
		}
		if !slices.Contains(r.Resources, resource) && !slices.Contains(r.Resources, "*") {
			continue
		}
		for _, v := range r.Verbs {
			set[v] = true
		}
	}
	verbs := make([]string, 0, len(set))
	for v := range set {
		verbs = append(verbs, v)
	}
	sort.Strings(verbs)
	return verbs
}

// assertManagerContainer checks the parts of the manager's pod that both
// installers must get right: the image, the flags, the probes and a
// security context that meets the "restricted" Pod Security Standard.
func assertManagerContainer(t *testing.T, d *appsv1.Deployment, image string,
	wantArgs ...string) {
	t.Helper()
	spec := d.Spec.Template.Spec
	if len(spec.Containers) != 1 || spec.Containers[0].Name != "manager" {
		t.Fatalf("Deployment %s should run one container named manager: %+v",
			d.Name, spec.Containers)
	}
	c := spec.Containers[0]
	if c.Image != image {
		t.Errorf("manager image = %q, want %q", c.Image, image)
	}
	for _, arg := range wantArgs {
		if !slices.Contains(c.Args, arg) {
			t.Errorf("manager args %q lack %q", c.Args, arg)
		}
	}
	if c.LivenessProbe == nil || c.LivenessProbe.HTTPGet == nil ||
		c.LivenessProbe.HTTPGet.Path != "/healthz" {
		t.Errorf("manager liveness probe = %+v, want GET /healthz", c.LivenessProbe)
	}
	if c.ReadinessProbe == nil || c.ReadinessProbe.HTTPGet == nil ||
		c.ReadinessProbe.HTTPGet.Path != "/readyz" {
		t.Errorf("manager readiness probe = %+v, want GET /readyz", c.ReadinessProbe)
	}
	sc := c.SecurityContext
	if sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
		t.Errorf("manager root filesystem should be read-only: %+v", sc)
	}
	if c.Resources.Limits.Memory().IsZero() {
		t.Errorf("manager has no memory limit: %+v", c.Resources)
	}
}
