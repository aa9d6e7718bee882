package install_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// kustomizeImage is the manager image the rendered installer is given.
const kustomizeImage = "example.com/numberport:test"

// TestKustomizeInstaller renders config/default with an image the way
// `make build-installer` renders dist/install.yaml, applies it and checks
// what it created.
func TestKustomizeInstaller(t *testing.T) {
	c := requireCluster(t)
	manifest := renderKustomize(t, "example.com/numberport", "test")
	objs := decodeObjects(t, manifest)

	// The namespace is created beforehand only to add a Pod Security warning
	// label to the one config/default declares; applying merges the two.
	createRestrictedNamespace(t, c, "numberport-system")
	applyServerSide(t, c, "install-test-kustomize", manifest)

	cli := newClient(t, c)
	assertAllExist(t, cli, objs)
	assertCRDsEstablished(t, cli, objs)

	d := liveDeployment(t, cli, "numberport-system", "numberport-controller-manager")
	assertManagerContainer(t, d, kustomizeImage,
		"--leader-elect",
		"--metrics-bind-address=:8443",
		"--health-probe-bind-address=:8081",
		"--provider=simulator")
	assertManagerRules(t, "kustomize", liveClusterRole(t, cli, "numberport-manager-role").Rules)
}

// renderKustomize renders config/default through an overlay that sets the
// manager image, like the one the Makefile writes for IMG, but in a
// temporary directory so that nothing in the checkout changes.
func renderKustomize(t *testing.T, name, tag string) []byte {
	t.Helper()
	overlay := t.TempDir()
	base, err := filepath.Rel(overlay, filepath.Join(repoRoot(t), "config", "default"))
	if err != nil {
		t.Fatalf("locating config/default from the overlay: %v", err)
	}
	kustomization := "apiVersion: kustomize.config.k8s.io/v1beta1\n" +
		"kind: Kustomization\n" +
		"resources:\n" +
		"- " + base + "\n" +
		"images:\n" +
		"- name: controller\n" +
		"  newName: " + name + "\n" +
		"  newTag: \"" + tag + "\"\n"
	err = os.WriteFile(filepath.Join(overlay, "kustomization.yaml"), []byte(kustomization), 0o600)
	if err != nil {
		t.Fatalf("writing the image overlay: %v", err)
	}
	out := run(t, 2*time.Minute, "", nil, kubectlBinary(t), "kustomize", overlay)
	return []byte(out.stdout)
}
