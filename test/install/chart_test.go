package install_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// TestChartCRDsMatchConfig fails when the chart's CRDs differ from the ones
// `make manifests` generates. Helm installs CRDs only from the chart's crds/
// folder, which cannot point elsewhere, so the chart carries copies; run
// this test with -update to refresh them.
func TestChartCRDsMatchConfig(t *testing.T) {
	root := repoRoot(t)
	generated := filepath.Join(root, "config", "crd", "bases")
	chart := filepath.Join(root, "charts", "numberport", "crds")
	if *update {
		copyCRDs(t, generated, chart)
	}

	want := readYAMLFiles(t, generated)
	got := readYAMLFiles(t, chart)
	const fix = "run `go test ./test/install/ -run TestChartCRDsMatchConfig -update` " +
		"to copy config/crd/bases into charts/numberport/crds"
	for name, data := range want {
		other, ok := got[name]
		switch {
		case !ok:
			t.Errorf("charts/numberport/crds lacks %s: %s", name, fix)
		case !bytes.Equal(data, other):
			t.Errorf("charts/numberport/crds/%s differs from config/crd/bases: %s", name, fix)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("charts/numberport/crds/%s is not in config/crd/bases: %s", name, fix)
		}
	}
}

func readYAMLFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		t.Fatalf("listing %s: %v", dir, err)
	}
	files := map[string][]byte{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("reading %s: %v", p, err)
		}
		files[filepath.Base(p)] = data
	}
	return files
}

// copyCRDs replaces the YAML files of dst by those of src.
func copyCRDs(t *testing.T, src, dst string) {
	t.Helper()
	old, err := filepath.Glob(filepath.Join(dst, "*.yaml"))
	if err != nil {
		t.Fatalf("listing %s: %v", dst, err)
	}
	for _, p := range old {
		if err := os.Remove(p); err != nil {
			t.Fatalf("removing %s: %v", p, err)
		}
	}
	for name, data := range readYAMLFiles(t, src) {
		if err := os.WriteFile(filepath.Join(dst, name), data, 0o644); err != nil {
			t.Fatalf("writing %s: %v", name, err)
		}
	}
}

// TestChartManagerRules renders the chart without a cluster and compares
// the manager's ClusterRole with the generated one, which is quicker to
// read when a +kubebuilder:rbac marker changes than the install tests.
func TestChartManagerRules(t *testing.T) {
	objs := decodeObjects(t, renderHelm(t, "numberport", "numberport-system"))
	var role rbacv1.ClusterRole
	find(t, objs, "ClusterRole", "numberport-manager-role", &role)
	assertManagerRules(t, "Helm", role.Rules)
}

// TestChartImage checks how the manager image is put together from
// image.repository, image.tag, image.digest and the chart's appVersion.
func TestChartImage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{{
		name: "tag defaults to appVersion",
		want: "numberport:" + chartAppVersion(t),
	}, {
		name: "tag and a registry with a port",
		args: []string{"--set", "image.repository=registry.local:5000/numberport",
			"--set", "image.tag=v1.2.3"},
		want: "registry.local:5000/numberport:v1.2.3",
	}, {
		name: "digest wins over the tag",
		args: []string{"--set", "image.tag=v1.2.3", "--set", "image.digest=sha256:" +
			strings.Repeat("ab", 32)},
		want: "numberport@sha256:" + strings.Repeat("ab", 32),
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			objs := decodeObjects(t, renderHelm(t, "numberport", "numberport-system",
				tt.args...))
			var d appsv1.Deployment
			find(t, objs, "Deployment", "numberport-controller-manager", &d)
			if got := d.Spec.Template.Spec.Containers[0].Image; got != tt.want {
				t.Errorf("image = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestChartRejectsIncompleteValues checks that values the manager would
// refuse at start-up fail at render time instead, with a message that names
// the value to set.
func TestChartRejectsIncompleteValues(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{{
		name: "unknown provider",
		args: []string{"--set", "provider=acme"},
		want: "/provider",
	}, {
		name: "telnyx without an API key Secret",
		args: []string{"--set", "provider=telnyx"},
		want: "telnyx.apiKeySecret.name is required",
	}, {
		name: "webhooks without a public key",
		args: []string{"--set", "provider=telnyx", "--set", "telnyx.apiKeySecret.name=telnyx",
			"--set", "telnyx.webhook.enabled=true"},
		want: "telnyx.webhook.publicKey is required",
	}, {
		name: "webhooks with the simulator",
		args: []string{"--set", "telnyx.webhook.enabled=true"},
		want: "telnyx.webhook.enabled needs provider: telnyx",
	}, {
		name: "misspelt value",
		args: []string{"--set", "serviceMonitor.enable=true"},
		want: "enable",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := tryRenderHelm(t, "numberport", "numberport-system", tt.args...)
			if err == nil {
				t.Fatalf("helm template %v succeeded; want an error mentioning %q",
					tt.args, tt.want)
			}
			if !strings.Contains(out.stderr, tt.want) {
				t.Errorf("helm template %v failed with\n%s\nwhich does not mention %q",
					tt.args, out.stderr, tt.want)
			}
		})
	}
}

// TestChartObjectsMatchKustomize checks that a release named numberport
// creates the same kinds of objects, under the same names, as
// config/default, so that neither installer quietly drops a part.
func TestChartObjectsMatchKustomize(t *testing.T) {
	kustomized := decodeObjects(t, renderKustomize(t, "numberport", "latest"))
	charted := decodeObjects(t, renderHelm(t, "numberport", "numberport-system"))

	want := objectKeys(kustomized)
	// The chart installs into a namespace that Helm or the user creates:
	// a release cannot own the namespace its own records live in.
	want = slices.DeleteFunc(want, func(k string) bool {
		return strings.HasPrefix(k, "Namespace ")
	})
	got := objectKeys(charted)
	if !slices.Equal(want, got) {
		t.Errorf("the chart's objects differ from config/default's\nconfig/default:\n  %s"+
			"\nchart:\n  %s", strings.Join(want, "\n  "), strings.Join(got, "\n  "))
	}
}

// objectKeys lists objects as sorted "Kind namespace/name" lines.
func objectKeys(objs []*unstructured.Unstructured) []string {
	keys := make([]string, 0, len(objs))
	for _, o := range objs {
		keys = append(keys, o.GetKind()+" "+o.GetNamespace()+"/"+o.GetName())
	}
	slices.Sort(keys)
	return keys
}

// TestChartLint runs `helm lint --strict` with the default values and with
// every option turned on, which catches what rendering alone lets through,
// such as a Chart.yaml field Helm no longer accepts.
func TestChartLint(t *testing.T) {
	root := repoRoot(t)
	values, err := filepath.Abs(filepath.Join("testdata", "values-telnyx.yaml"))
	if err != nil {
		t.Fatalf("locating the values: %v", err)
	}
	chart := filepath.Join(root, "charts", "numberport")
	for _, args := range [][]string{{chart}, {chart, "--values", values}} {
		out, err := runHelm(t, append([]string{"lint", "--strict"}, args...)...)
		if err != nil {
			t.Errorf("helm lint --strict %v: %v\n%s%s", args[1:], err, out.stdout, out.stderr)
		}
	}
}
