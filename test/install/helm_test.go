package install_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"
)

// helmTimeout covers the first render, which compiles Helm from Go modules.
const helmTimeout = 10 * time.Minute

// renderHelm runs `helm template` on charts/numberport with the CRDs
// included, as a release in namespace.
func renderHelm(t *testing.T, release, namespace string, extra ...string) []byte {
	t.Helper()
	out, err := tryRenderHelm(t, release, namespace, extra...)
	if err != nil {
		t.Fatalf("helm template: %v\n%s", err, out.stderr)
	}
	return []byte(out.stdout)
}

func tryRenderHelm(t *testing.T, release, namespace string, extra ...string) (output, error) {
	t.Helper()
	args := append([]string{
		"template", release, filepath.Join(repoRoot(t), "charts", "numberport"),
		"--namespace", namespace, "--include-crds",
	}, extra...)
	return runHelm(t, args...)
}

// runHelm runs the Helm pinned in hack/helm, the way the Makefile's HELM
// does. Helm's own directories point into the test's temporary directory,
// so that no user configuration or repository cache plays a part.
func runHelm(t *testing.T, args ...string) (output, error) {
	t.Helper()
	root := repoRoot(t)
	home := t.TempDir()
	env := []string{
		"HELM_CONFIG_HOME=" + filepath.Join(home, "config"),
		"HELM_CACHE_HOME=" + filepath.Join(home, "cache"),
		"HELM_DATA_HOME=" + filepath.Join(home, "data"),
	}
	args = append([]string{
		"tool", "-modfile=" + filepath.Join(root, "hack", "helm", "go.mod"), "helm",
	}, args...)
	return tryRun(helmTimeout, root, env, "go", args...)
}

// chartAppVersion is the appVersion of charts/numberport, which the image
// tag defaults to.
func chartAppVersion(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "charts", "numberport", "Chart.yaml"))
	if err != nil {
		t.Fatalf("reading Chart.yaml: %v", err)
	}
	var chart struct {
		AppVersion string `json:"appVersion"`
	}
	if err := yaml.Unmarshal(data, &chart); err != nil {
		t.Fatalf("decoding Chart.yaml: %v", err)
	}
	if chart.AppVersion == "" {
		t.Fatal("Chart.yaml has no appVersion")
	}
	return chart.AppVersion
}

// TestHelmChart renders the chart with its default values and with every
// optional part turned on, applies each as its own release and checks what
// it created. The releases have their own names and namespaces, so they sit
// beside each other and beside the kustomize installation.
func TestHelmChart(t *testing.T) {
	c := requireCluster(t)
	cli := newClient(t, c)

	t.Run("default values", func(t *testing.T) {
		const ns = "np-helm"
		manifest := renderHelm(t, "np", ns)
		objs := decodeObjects(t, manifest)
		for _, kind := range []string{"ServiceMonitor", "NetworkPolicy"} {
			if n := kinds(objs, kind); n != 0 {
				t.Errorf("default values render %d %s objects; it should be opt-in", n, kind)
			}
		}

		createRestrictedNamespace(t, c, ns)
		applyServerSide(t, c, "install-test-helm-default", manifest)
		assertAllExist(t, cli, objs)
		assertCRDsEstablished(t, cli, objs)

		d := liveDeployment(t, cli, ns, "np-numberport-controller-manager")
		assertManagerContainer(t, d, "numberport:"+chartAppVersion(t),
			"--leader-elect",
			"--metrics-bind-address=:8443",
			"--health-probe-bind-address=:8081",
			"--provider=simulator")
		rules := liveClusterRole(t, cli, "np-numberport-manager-role").Rules
		assertManagerRules(t, "Helm", rules)
		assertService(t, cli, ns, "np-numberport-controller-manager-metrics-service", 8443)
	})

	t.Run("telnyx with webhooks and every option", func(t *testing.T) {
		const ns = "tx-helm"
		values, err := filepath.Abs(filepath.Join("testdata", "values-telnyx.yaml"))
		if err != nil {
			t.Fatalf("locating the values: %v", err)
		}
		manifest := renderHelm(t, "tx", ns, "--values", values)
		objs := decodeObjects(t, manifest)

		// The Prometheus Operator is not part of this cluster: a minimal
		// ServiceMonitor CRD lets the API server accept the object, which
		// is all the chart controls.
		crd, err := os.ReadFile(filepath.Join("testdata", "servicemonitor-crd.yaml"))
		if err != nil {
			t.Fatalf("reading the ServiceMonitor CRD: %v", err)
		}
		applyServerSide(t, c, "install-test-prometheus", crd)
		waitEstablished(t, cli, "servicemonitors.monitoring.coreos.com")

		createRestrictedNamespace(t, c, ns)
		applyServerSide(t, c, "install-test-helm-telnyx", manifest)
		assertAllExist(t, cli, objs)
		assertCRDsEstablished(t, cli, objs)

		d := liveDeployment(t, cli, ns, "tx-numberport-controller-manager")
		assertManagerContainer(t, d, "example.com/numberport:test",
			"--leader-elect",
			"--metrics-bind-address=:8443",
			"--health-probe-bind-address=:8081",
			"--provider=telnyx",
			"--namespaces=porting,porting-staging",
			"--telnyx-api-key-secret=tx-helm/telnyx:api-key",
			"--telnyx-platform-spids=9990,9991",
			"--telnyx-connection-id=conn-1234",
			"--telnyx-webhook-bind-address=:9444",
			"--zap-log-level=debug")
		rules := liveClusterRole(t, cli, "tx-numberport-manager-role").Rules
		assertManagerRules(t, "Helm", rules)

		assertService(t, cli, ns, "tx-numberport-telnyx-webhook", 9444)
		assertContainerPort(t, d.Spec.Template.Spec.Containers[0].Ports, "webhook", 9444)
		assertNetworkPolicyPorts(t, cli, ns, "tx-numberport-allow-metrics-traffic", 8443, 9444)

		monitor := &unstructured.Unstructured{}
		monitor.SetAPIVersion("monitoring.coreos.com/v1")
		monitor.SetKind("ServiceMonitor")
		key := client.ObjectKey{Namespace: ns,
			Name: "tx-numberport-controller-manager-metrics-monitor"}
		if err := cli.Get(t.Context(), key, monitor); err != nil {
			t.Fatalf("reading the ServiceMonitor: %v", err)
		}
	})
}

// assertService checks that a Service exists and forwards port to the
// manager's pods.
func assertService(t *testing.T, cli client.Client, namespace, name string, port int32) {
	t.Helper()
	var svc corev1.Service
	if err := cli.Get(t.Context(), client.ObjectKey{Namespace: namespace, Name: name},
		&svc); err != nil {
		t.Fatalf("reading Service %s: %v", name, err)
	}
	if len(svc.Spec.Ports) != 1 || svc.Spec.Ports[0].Port != port {
		t.Errorf("Service %s ports = %+v, want %d", name, svc.Spec.Ports, port)
	}
	if svc.Spec.Selector["control-plane"] != "controller-manager" {
		t.Errorf("Service %s selects %v, not the manager's pods", name, svc.Spec.Selector)
	}
}

func assertContainerPort(t *testing.T, ports []corev1.ContainerPort, name string, port int32) {
	t.Helper()
	for _, p := range ports {
		if p.Name == name && p.ContainerPort == port {
			return
		}
	}
	t.Errorf("manager ports %+v lack %s on %d", ports, name, port)
}

// assertNetworkPolicyPorts checks that a NetworkPolicy admits traffic to
// exactly the given ports, one rule each.
func assertNetworkPolicyPorts(t *testing.T, cli client.Client, namespace, name string,
	want ...int32) {
	t.Helper()
	var np networkingv1.NetworkPolicy
	if err := cli.Get(t.Context(), client.ObjectKey{Namespace: namespace, Name: name},
		&np); err != nil {
		t.Fatalf("reading NetworkPolicy %s: %v", name, err)
	}
	var got []int32
	for _, rule := range np.Spec.Ingress {
		for _, p := range rule.Ports {
			got = append(got, p.Port.IntVal)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("NetworkPolicy %s admits ports %v, want %v", name, got, want)
	}
}
