// Package localcluster runs a Kubernetes control plane (etcd and
// kube-apiserver) on this machine, with the CRDs installed and an admin
// kubeconfig written to disk, so that the operator, kubectl and the
// end-to-end tests can run without a cluster. It is envtest with a fixed
// working directory: the binaries come from KUBEBUILDER_ASSETS or an explicit
// directory, and nothing is downloaded.
package localcluster

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
)

// Options configure a local cluster.
type Options struct {
	// Dir holds the cluster's state: etcd data, certificates and the
	// kubeconfig. It is emptied when the cluster starts, so that every
	// start begins from a clean cluster.
	Dir string
	// AssetsDir holds kube-apiserver, etcd and kubectl. Empty means the
	// KUBEBUILDER_ASSETS environment variable.
	AssetsDir string
	// CRDPaths are directories or files of CRDs to install.
	CRDPaths []string
}

// Cluster is a running local control plane.
type Cluster struct {
	env            *envtest.Environment
	dir            string
	assetsDir      string
	kubeconfigPath string
}

// Start stops what a previous run left behind in opts.Dir, starts etcd and
// kube-apiserver, installs the CRDs and writes Dir/kubeconfig.
func Start(opts Options) (*Cluster, error) {
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("resolving cluster directory: %w", err)
	}
	assets := opts.AssetsDir
	if assets == "" {
		assets = os.Getenv("KUBEBUILDER_ASSETS")
	}
	if assets == "" {
		return nil, errors.New("no control plane binaries: set KUBEBUILDER_ASSETS " +
			"or run `make control-plane` first")
	}

	// A run killed with SIGKILL cannot stop its children; they would hold
	// the ports and the etcd data directory. They are recognised by the
	// directory on their command line.
	if err := stopLeftovers(dir); err != nil {
		return nil, err
	}
	if err := os.RemoveAll(dir); err != nil {
		return nil, fmt.Errorf("cleaning %s: %w", dir, err)
	}
	for _, sub := range []string{"etcd", "pki"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o700); err != nil {
			return nil, fmt.Errorf("creating %s: %w", sub, err)
		}
	}

	env := &envtest.Environment{
		BinaryAssetsDirectory: assets,
		CRDDirectoryPaths:     opts.CRDPaths,
		ErrorIfCRDPathMissing: len(opts.CRDPaths) > 0,
	}
	env.ControlPlane.GetAPIServer().CertDir = filepath.Join(dir, "pki")
	env.ControlPlane.Etcd = &envtest.Etcd{DataDir: filepath.Join(dir, "etcd")}
	if _, err := env.Start(); err != nil {
		return nil, fmt.Errorf("starting kube-apiserver and etcd: %w", err)
	}

	c := &Cluster{
		env:            env,
		dir:            dir,
		assetsDir:      assets,
		kubeconfigPath: filepath.Join(dir, "kubeconfig"),
	}
	if err := os.WriteFile(c.kubeconfigPath, env.KubeConfig, 0o600); err != nil {
		_ = env.Stop()
		return nil, fmt.Errorf("writing kubeconfig: %w", err)
	}
	return c, nil
}

// Stop stops kube-apiserver and etcd. The directory is kept for inspection
// until the next Start.
func (c *Cluster) Stop() error {
	return c.env.Stop()
}

// Config returns an admin client configuration.
func (c *Cluster) Config() *rest.Config { return c.env.Config }

// KubeconfigPath is the admin kubeconfig file.
func (c *Cluster) KubeconfigPath() string { return c.kubeconfigPath }

// Kubectl is the path of the kubectl built with the control plane.
func (c *Cluster) Kubectl() string { return filepath.Join(c.assetsDir, "kubectl") }

// stopLeftovers terminates processes whose command line mentions dir, and
// waits briefly for them to exit.
func stopLeftovers(dir string) error {
	pids, err := processesMentioning(dir)
	if err != nil || len(pids) == 0 {
		return err
	}
	for _, pid := range pids {
		_ = syscall.Kill(pid, syscall.SIGTERM)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		left, err := processesMentioning(dir)
		if err != nil || len(left) == 0 {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
	left, _ := processesMentioning(dir)
	for _, pid := range left {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	return nil
}

// processesMentioning lists the processes, other than this one, whose
// command line contains dir followed by a path separator.
func processesMentioning(dir string) ([]int, error) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, fmt.Errorf("listing processes: %w", err)
	}
	needle := []byte(dir + string(filepath.Separator))
	self := os.Getpid()
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == self {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil {
			continue
		}
		if bytes.Contains(cmdline, needle) && !isShell(cmdline) {
			pids = append(pids, pid)
		}
	}
	return pids, nil
}

// isShell keeps a shell or make that merely passes the directory along, such
// as the one running this program, out of the leftovers.
func isShell(cmdline []byte) bool {
	argv0 := string(cmdline)
	if i := strings.IndexByte(argv0, 0); i >= 0 {
		argv0 = argv0[:i]
	}
	switch filepath.Base(argv0) {
	case "bash", "sh", "make", "go", "runlocal":
		return true
	}
	return false
}
