// Package install_test checks the two ways of installing numberport, the
// kustomize layout in config/default and the Helm chart in charts/numberport:
// each is rendered the way a user renders it and applied with kubectl to a
// local control plane, and both must grant the manager the same
// least-privilege rules.
//
// The tests that apply need KUBEBUILDER_ASSETS (see docs/development.md);
// the ones that only render do not. The first Helm render compiles Helm from
// Go modules, which takes a minute or two on a cold build cache.
package install_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/numberport/numberport/internal/localcluster"
)

var update = flag.Bool("update", false,
	"copy the CRDs of config/crd/bases into charts/numberport/crds instead of comparing them")

// The local control plane is shared by every test that applies, and started
// by the first one: the render-only tests then run without it.
var (
	clusterOnce sync.Once
	cluster     *localcluster.Cluster
	clusterErr  error
	clusterDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if cluster != nil {
		if err := cluster.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "stopping the local control plane:", err)
		}
	}
	if clusterDir != "" {
		_ = os.RemoveAll(clusterDir)
	}
	os.Exit(code)
}

// requireAssets returns KUBEBUILDER_ASSETS, the directory of the control
// plane and of the kubectl built with it.
func requireAssets(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("KUBEBUILDER_ASSETS")
	if dir == "" {
		t.Fatal("KUBEBUILDER_ASSETS is unset, so there is no kubectl to render config/default " +
			"and no control plane to install into. Run `make test TEST_PKGS=./test/install/`, " +
			"or export KUBEBUILDER_ASSETS=$(hack/control-plane-build.sh | tail -n 1) first")
	}
	return dir
}

// kubectlBinary is the kubectl built with the control plane, so that every
// machine renders kustomize with the same version.
func kubectlBinary(t *testing.T) string {
	t.Helper()
	return filepath.Join(requireAssets(t), "kubectl")
}

// requireCluster returns the local control plane, starting it on first use.
func requireCluster(t *testing.T) *localcluster.Cluster {
	t.Helper()
	requireAssets(t)
	clusterOnce.Do(func() {
		clusterDir, clusterErr = os.MkdirTemp("", "numberport-install-")
		if clusterErr != nil {
			return
		}
		cluster, clusterErr = localcluster.Start(localcluster.Options{
			Dir: filepath.Join(clusterDir, "cluster"),
		})
	})
	if clusterErr != nil {
		t.Fatalf("starting the local control plane: %v", clusterErr)
	}
	return cluster
}

// repoRoot is the checkout's root, two levels above this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatalf("resolving the repository root: %v", err)
	}
	return root
}

// output is what a command printed.
type output struct {
	stdout, stderr string
}

// run runs a command in dir and fails the test when it fails, showing what
// it printed.
func run(t *testing.T, timeout time.Duration, dir string, env []string, name string,
	args ...string) output {
	t.Helper()
	out, err := tryRun(timeout, dir, env, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\nstdout:\n%s\nstderr:\n%s", filepath.Base(name),
			strings.Join(args, " "), err, out.stdout, out.stderr)
	}
	return out
}

// tryRun runs a command in dir and returns its error instead of failing.
func tryRun(timeout time.Duration, dir string, env []string, name string,
	args ...string) (output, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		err = fmt.Errorf("still running after %s: %w", timeout, err)
	}
	return output{stdout: stdout.String(), stderr: stderr.String()}, err
}

// kubectl runs the kubectl built with the control plane against it.
func kubectl(t *testing.T, c *localcluster.Cluster, args ...string) output {
	t.Helper()
	args = append([]string{"--kubeconfig=" + c.KubeconfigPath()}, args...)
	return run(t, 2*time.Minute, "", nil, c.Kubectl(), args...)
}

// applyServerSide applies manifest with `kubectl apply --server-side`, the
// way docs/install.md tells users to, and fails on any warning: the API
// server warns, for example, about a pod template that breaks the Pod
// Security Standard of its namespace.
func applyServerSide(t *testing.T, c *localcluster.Cluster, fieldManager string,
	manifest []byte) {
	t.Helper()
	// Not t.TempDir: kubectl splits -f at commas, which test names may hold.
	dir, err := os.MkdirTemp("", "numberport-manifest-")
	if err != nil {
		t.Fatalf("creating a directory for the manifest: %v", err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	path := filepath.Join(dir, "manifest.yaml")
	if err := os.WriteFile(path, manifest, 0o600); err != nil {
		t.Fatalf("writing the manifest: %v", err)
	}
	out := kubectl(t, c, "apply", "--server-side", "--field-manager="+fieldManager, "-f", path)
	if strings.Contains(out.stderr, "Warning:") {
		t.Fatalf("kubectl apply succeeded with warnings:\n%s", out.stderr)
	}
}

// createRestrictedNamespace creates a namespace that enforces the
// "restricted" Pod Security Standard and warns about workloads that break
// it. Enforcement alone only checks pods, which never exist here without a
// controller manager; the warning checks the Deployment's pod template.
func createRestrictedNamespace(t *testing.T, c *localcluster.Cluster, name string) {
	t.Helper()
	ns := fmt.Sprintf(`apiVersion: v1
kind: Namespace
metadata:
  name: %s
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/enforce-version: latest
    pod-security.kubernetes.io/warn: restricted
    pod-security.kubernetes.io/warn-version: latest
`, name)
	applyServerSide(t, c, "install-test-namespace", []byte(ns))
}
