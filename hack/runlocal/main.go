// Command runlocal runs numberport without a cluster: it starts etcd and
// kube-apiserver on loopback, installs the CRDs, applies the samples and runs
// the manager with the simulator provider until it is interrupted. It is what
// `make run-local` runs, from the root of the repository.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/go-logr/logr"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/numberport/numberport/internal/localcluster"
)

// options are the command-line flags.
type options struct {
	dir            string
	assets         string
	crds           string
	samples        string
	manager        string
	managerCommand string
	grace          time.Duration
}

func main() {
	os.Exit(run(parseFlags()))
}

func parseFlags() options {
	var o options
	flag.StringVar(&o.dir, "dir", "bin/local",
		"directory for the control plane's state and kubeconfig; emptied on start")
	flag.StringVar(&o.assets, "assets", "",
		"directory holding kube-apiserver, etcd and kubectl (default $KUBEBUILDER_ASSETS, "+
			"else what hack/control-plane-build.sh builds)")
	flag.StringVar(&o.crds, "crds", "config/crd/bases", "directory of CRDs to install")
	flag.StringVar(&o.samples, "samples", "config/samples",
		"directory of sample objects to apply; skipped when it does not exist")
	flag.StringVar(&o.manager, "manager", "bin/manager", "manager binary to run")
	flag.StringVar(&o.managerCommand, "manager-command", os.Getenv("RUNLOCAL_MANAGER_COMMAND"),
		"shell command to run instead of the manager, with KUBECONFIG set "+
			"(default $RUNLOCAL_MANAGER_COMMAND)")
	flag.DurationVar(&o.grace, "grace-period", 15*time.Second,
		"how long the manager may take to stop after SIGTERM before it is killed")
	flag.Parse()
	return o
}

// run returns the process exit code. It returns instead of exiting so that
// the deferred stop of the control plane always runs.
func run(o options) int {
	// Signals are caught before anything starts, so that an interrupt while
	// the control plane starts still stops it on the way out.
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)

	// envtest logs through controller-runtime, which complains when no
	// logger is set; the control plane's own output is not interesting here.
	ctrllog.SetLogger(logr.Discard())

	if err := checkManager(o); err != nil {
		logf("%v", err)
		return 1
	}

	assets, err := assetsDir(o.assets)
	if err != nil {
		logf("%v", err)
		return 1
	}

	logf("starting etcd and kube-apiserver in %s", o.dir)
	cluster, stopping, err := startCluster(localcluster.Options{
		Dir:       o.dir,
		AssetsDir: assets,
		CRDPaths:  []string{o.crds},
	}, sigs)
	if err != nil {
		logf("%v", err)
		return 1
	}
	defer stopCluster(cluster)
	if stopping {
		return 0
	}

	if err := applySamples(cluster, o.samples); err != nil {
		// kubectl shares the terminal, so a Ctrl-C makes it fail too.
		if interrupted(sigs) {
			return 0
		}
		logf("%v", err)
		return 1
	}
	if interrupted(sigs) {
		return 0
	}

	mgr := managerCommand(o, cluster)
	printBanner(o, cluster)
	if err := mgr.Start(); err != nil {
		logf("starting the manager: %v", err)
		return 1
	}
	return supervise(mgr, sigs, o.grace)
}

// checkManager fails fast, before the control plane starts, when the manager
// binary has not been built.
func checkManager(o options) error {
	if o.managerCommand != "" {
		return nil
	}
	if _, err := os.Stat(o.manager); err != nil {
		return fmt.Errorf("no manager binary (build it with `make build`): %w", err)
	}
	return nil
}

// assetsDir finds the control plane binaries. Without a flag or
// KUBEBUILDER_ASSETS it asks the build script, which returns at once when they
// are built already, so that `go run ./hack/runlocal` works on its own.
func assetsDir(flagValue string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	if env := os.Getenv("KUBEBUILDER_ASSETS"); env != "" {
		return env, nil
	}

	cmd := exec.Command("hack/control-plane-build.sh")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("building the control plane: %w", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return lines[len(lines)-1], nil
}

// startCluster starts the control plane and reports whether a stop signal
// arrived meanwhile. The start cannot be cut short, so a signal is only
// acknowledged at once and acted upon when the start returns.
func startCluster(opts localcluster.Options, sigs <-chan os.Signal) (
	*localcluster.Cluster, bool, error) {
	type result struct {
		cluster *localcluster.Cluster
		err     error
	}
	done := make(chan result, 1)
	go func() {
		c, err := localcluster.Start(opts)
		done <- result{c, err}
	}()

	select {
	case r := <-done:
		return r.cluster, false, r.err
	case sig := <-sigs:
		logf("received %s: stopping as soon as the control plane has started", sig)
		r := <-done
		return r.cluster, true, r.err
	}
}

// interrupted reports whether a stop signal arrived while starting up.
func interrupted(sigs <-chan os.Signal) bool {
	select {
	case sig := <-sigs:
		logf("received %s while starting: stopping", sig)
		return true
	default:
		return false
	}
}

func stopCluster(cluster *localcluster.Cluster) {
	logf("stopping kube-apiserver and etcd")
	if err := cluster.Stop(); err != nil {
		logf("stopping the control plane: %v", err)
	}
}

// applySamples applies the sample objects with the kubectl built alongside
// the control plane. The samples carry a fixed invoice date, and the
// operator refuses invoices older than 30 days, as providers do; the local
// demo moves the dates to today so that the samples port however old the
// checkout is.
func applySamples(cluster *localcluster.Cluster, dir string) error {
	mode, err := samplesMode(dir)
	if err != nil {
		return err
	}
	if mode == "" {
		logf("no samples in %s: nothing to apply", dir)
		return nil
	}

	manifests, err := renderSamples(cluster, mode, dir)
	if err != nil {
		return err
	}
	today := time.Now().UTC().Format(time.DateOnly)
	logf("applying the samples in %s, with invoices dated today (%s)", dir, today)
	cmd := exec.Command(cluster.Kubectl(), "--kubeconfig", cluster.KubeconfigPath(),
		"apply", "-f", "-")
	cmd.Stdin = bytes.NewReader(datedToday(manifests, today))
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("applying the samples in %s: %w", dir, err)
	}
	return nil
}

// renderSamples returns the sample manifests as one YAML stream.
func renderSamples(cluster *localcluster.Cluster, mode, dir string) ([]byte, error) {
	if mode == "-k" {
		out, err := exec.Command(cluster.Kubectl(), "kustomize", dir).Output()
		if err != nil {
			return nil, fmt.Errorf("rendering the samples in %s: %w", dir, err)
		}
		return out, nil
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, fmt.Errorf("listing the samples: %w", err)
	}
	var all bytes.Buffer
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", f, err)
		}
		all.WriteString("---\n")
		all.Write(data)
		all.WriteString("\n")
	}
	return all.Bytes(), nil
}

// invoiceDate matches an issueDate field with its value.
var invoiceDate = regexp.MustCompile(`(?m)^([ \t]*issueDate:[ \t]*)"?\d{4}-\d{2}-\d{2}"?[ \t]*$`)

// datedToday sets every issueDate in the manifests to today.
func datedToday(manifests []byte, today string) []byte {
	return invoiceDate.ReplaceAll(manifests, []byte(`${1}"`+today+`"`))
}

// samplesMode returns the kubectl apply flag that fits dir: -k for a
// kustomization, -f for plain manifests, or "" when there is nothing to apply.
func samplesMode(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("reading the samples: %w", err)
	}

	manifests := false
	for _, e := range entries {
		switch e.Name() {
		case "kustomization.yaml", "kustomization.yml", "Kustomization":
			return "-k", nil
		}
		switch filepath.Ext(e.Name()) {
		case ".yaml", ".yml", ".json":
			manifests = manifests || !e.IsDir()
		}
	}
	if manifests {
		return "-f", nil
	}
	return "", nil
}

// managerCommand builds the manager process. It gets its own process group so
// that a Ctrl-C in the terminal reaches only this program, which then stops
// the manager before the control plane it depends on.
func managerCommand(o options, cluster *localcluster.Cluster) *exec.Cmd {
	var cmd *exec.Cmd
	if o.managerCommand != "" {
		cmd = exec.Command("/bin/sh", "-c", o.managerCommand)
	} else {
		// The absolute kubeconfig path on the command line also lets the next
		// run recognize and stop a manager that outlived a killed runlocal.
		cmd = exec.Command(o.manager,
			"--kubeconfig="+cluster.KubeconfigPath(),
			"--provider=simulator",
			"--leader-elect=false",
			"--metrics-bind-address=127.0.0.1:8080",
			"--metrics-secure=false",
			"--health-probe-bind-address=127.0.0.1:8081",
			"--order-poll-interval=5s",
			"--order-poll-interval-near-port-date=2s",
			// Probe routing every few seconds: the simulator's compressed
			// port takes about a minute and a half, inside the last tier.
			"--routing-probe-tiers=10m=3s",
			"--routing-probe-far=30s",
			"--routing-probe-confirm=1s",
			"--zap-devel",
		)
	}
	cmd.Env = append(os.Environ(), "KUBECONFIG="+cluster.KubeconfigPath())
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	return cmd
}

func printBanner(o options, cluster *localcluster.Cluster) {
	kubeconfig := relative(cluster.KubeconfigPath())
	fmt.Printf(`
numberport runs against a local control plane.
  kubeconfig: %[1]s
  watch:      watch -n 2 kubectl --kubeconfig %[1]s get numberport -A
              (kubectl get -w follows one kind: get pn -A -w, get portreq -A -w)
  kubectl:    any kubectl works; one was built as %[2]s
`, kubeconfig, relative(cluster.Kubectl()))
	if o.managerCommand == "" {
		fmt.Println("  metrics:    http://127.0.0.1:8080/metrics" +
			"  health: http://127.0.0.1:8081/healthz")
	}
	fmt.Print("Ctrl-C stops the manager and the control plane.\n\n")
}

// supervise waits for the manager to exit or for a stop signal. A manager that
// exits on its own is a failure: the local cluster is useless without it.
func supervise(mgr *exec.Cmd, sigs <-chan os.Signal, grace time.Duration) int {
	exited := make(chan error, 1)
	go func() { exited <- mgr.Wait() }()

	select {
	case err := <-exited:
		killGroup(mgr, syscall.SIGKILL)
		logf("the manager exited on its own (%s)", describeExit(err))
		return 1
	case sig := <-sigs:
		logf("received %s: stopping the manager", sig)
		stopManager(mgr, exited, sigs, grace)
		return 0
	}
}

// stopManager asks the manager to stop, and kills it when it takes longer than
// the grace period or when a second signal shows the user is out of patience.
func stopManager(mgr *exec.Cmd, exited <-chan error, sigs <-chan os.Signal,
	grace time.Duration) {
	killGroup(mgr, syscall.SIGTERM)
	timer := time.NewTimer(grace)
	defer timer.Stop()

	select {
	case err := <-exited:
		logf("the manager stopped (%s)", describeExit(err))
		killGroup(mgr, syscall.SIGKILL)
		return
	case <-timer.C:
		logf("the manager is still running after %s: killing it", grace)
	case sig := <-sigs:
		logf("received %s again: killing the manager", sig)
	}
	killGroup(mgr, syscall.SIGKILL)
	err := <-exited
	logf("the manager was killed (%s)", describeExit(err))
}

// killGroup signals the manager's whole process group, so that processes a
// stand-in command started go too.
func killGroup(cmd *exec.Cmd, sig syscall.Signal) {
	err := syscall.Kill(-cmd.Process.Pid, sig)
	if err != nil && !errors.Is(err, syscall.ESRCH) {
		logf("sending %s to the manager: %v", sig, err)
	}
}

func describeExit(err error) string {
	if err == nil {
		return "exit status 0"
	}
	return err.Error()
}

// relative shortens path to be relative to the working directory when it is
// inside it, for commands that can be copied from the banner.
func relative(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	rel, err := filepath.Rel(wd, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return path
	}
	return rel
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "runlocal: "+format+"\n", args...)
}
