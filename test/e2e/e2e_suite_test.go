// Package e2e_test runs the manager binary as a process against a local
// control plane and drives it with kubectl, as a user would: YAML in,
// status out.
package e2e_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/numberport/numberport/internal/localcluster"
)

var (
	cluster *localcluster.Cluster
	// managerBinary is the manager built for the suite.
	managerBinary string
	repoRoot      = filepath.Join("..", "..")
)

func TestE2E(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "End to end")
}

var _ = BeforeSuite(func() {
	Expect(os.Getenv("KUBEBUILDER_ASSETS")).NotTo(BeEmpty(),
		"KUBEBUILDER_ASSETS is unset: run the tests with `make test`")

	managerBinary = buildManager()
	var err error
	cluster, err = localcluster.Start(localcluster.Options{
		Dir:      filepath.Join(GinkgoT().TempDir(), "cluster"),
		CRDPaths: []string{filepath.Join(repoRoot, "config", "crd", "bases")},
	})
	Expect(err).NotTo(HaveOccurred())
})

var _ = AfterSuite(func() {
	if cluster != nil {
		Expect(cluster.Stop()).To(Succeed())
	}
})

// managerProcess is one manager binary running against the local cluster.
type managerProcess struct {
	cmd *exec.Cmd
	// log collects the manager's output, to scan and to show when a test
	// fails.
	log *syncBuffer
}

// startManager runs the manager binary for one namespace with timings
// compressed to the simulator's default timeline, plus extra flags, and
// stops it when the spec ends. Each spec has its own manager and namespace,
// so specs cannot act on each other's objects.
func startManager(namespace string, extra ...string) *managerProcess {
	GinkgoHelper()
	args := append([]string{
		"--kubeconfig=" + cluster.KubeconfigPath(),
		"--namespaces=" + namespace,
		"--leader-elect=false",
		"--metrics-bind-address=0",
		"--health-probe-bind-address=0",
		"--order-poll-interval=2s",
		"--order-poll-interval-near-port-date=1s",
		"--routing-probe-tiers=10m=3s",
		"--routing-probe-far=30s",
		"--routing-probe-confirm=1s",
		"--zap-devel",
	}, extra...)
	m := &managerProcess{cmd: exec.Command(managerBinary, args...), log: &syncBuffer{}}
	m.cmd.Stdout = m.log
	m.cmd.Stderr = m.log
	m.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	Expect(m.cmd.Start()).To(Succeed())
	DeferCleanup(m.stop)
	DeferCleanup(func() {
		if CurrentSpecReport().Failed() {
			AddReportEntry("manager log", m.log.String())
		}
	})
	return m
}

// stop asks the manager to shut down and kills it if it does not.
func (m *managerProcess) stop() {
	_ = m.cmd.Process.Signal(syscall.SIGTERM)
	// The exit status of a manager told to stop says nothing about the test.
	done := make(chan struct{})
	go func() {
		_ = m.cmd.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		_ = m.cmd.Process.Kill()
		<-done
	}
}

// newNamespace creates a namespace for one spec.
func newNamespace(prefix string) string {
	GinkgoHelper()
	ns := fmt.Sprintf("%s-%d", prefix, time.Now().UnixNano())
	_, err := kubectl("", "create", "namespace", ns)
	Expect(err).NotTo(HaveOccurred())
	return ns
}

// buildManager builds the manager binary, unless NUMBERPORT_MANAGER names
// one already built (as `make test` does).
func buildManager() string {
	if path := os.Getenv("NUMBERPORT_MANAGER"); path != "" {
		return path
	}
	out := filepath.Join(GinkgoT().TempDir(), "manager")
	cmd := exec.Command("go", "build", "-o", out, "./cmd")
	cmd.Dir = repoRoot
	output, err := cmd.CombinedOutput()
	Expect(err).NotTo(HaveOccurred(), "building the manager: %s", output)
	return out
}

// kubectl runs the control plane's kubectl against the local cluster, with
// stdin as the input, and returns its standard output.
func kubectl(stdin string, args ...string) (string, error) {
	cmd := exec.Command(cluster.Kubectl(),
		append([]string{"--kubeconfig", cluster.KubeconfigPath()}, args...)...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("kubectl %s: %w: %s",
			strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String(), nil
}

// jsonpath reads one field of an object with kubectl.
func jsonpath(g Gomega, ns, resource, path string) string {
	out, err := kubectl("", "-n", ns, "get", resource, "-o", "jsonpath="+path)
	g.Expect(err).NotTo(HaveOccurred())
	return out
}
