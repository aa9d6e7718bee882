package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
	"github.com/numberport/numberport/internal/localcluster"
)

// cleanups holds what must be stopped before the harness exits, last started
// first, so that a failure or Ctrl-C anywhere still stops every process.
type cleanups struct {
	mu    sync.Mutex
	funcs []func()
}

func (c *cleanups) push(f func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.funcs = append(c.funcs, f)
}

// run calls every cleanup once, newest first.
func (c *cleanups) run() {
	c.mu.Lock()
	funcs := c.funcs
	c.funcs = nil
	c.mu.Unlock()
	for i := len(funcs) - 1; i >= 0; i-- {
		funcs[i]()
	}
}

// env is one local control plane and the clients of the harness.
type env struct {
	cluster *localcluster.Cluster
	cfg     *rest.Config
	client  client.WithWatch
	stopped bool
}

// phaseEnv starts the control plane of one phase, in a directory named after
// it, with a namespace of the same name to work in.
func (b *bench) phaseEnv(ctx context.Context, phase string) (*env, error) {
	e, err := startEnv(b.root, filepath.Join(b.dir, phase), b.cl)
	if err != nil {
		return nil, err
	}
	if err := createNamespace(ctx, e.client, phase); err != nil {
		return nil, err
	}
	return e, nil
}

// startEnv starts etcd and kube-apiserver in dir with the CRDs installed.
func startEnv(root, dir string, c *cleanups) (*env, error) {
	cluster, err := localcluster.Start(localcluster.Options{
		Dir:      dir,
		CRDPaths: []string{filepath.Join(root, "config", "crd", "bases")},
	})
	if err != nil {
		return nil, err
	}
	e := &env{cluster: cluster}
	c.push(e.stop)

	cfg := rest.CopyConfig(cluster.Config())
	// client-go throttles a config without a QPS to 5 requests per second;
	// the harness measures the API server, not that limiter. The manager
	// gets the same treatment from controller-runtime.
	cfg.QPS = -1
	cfg.Timeout = time.Minute
	e.cfg = cfg
	e.client, err = client.NewWithWatch(cfg, client.Options{Scheme: scheme()})
	if err != nil {
		e.stop()
		return nil, fmt.Errorf("creating the harness client: %w", err)
	}
	return e, nil
}

func (e *env) stop() {
	if e.stopped {
		return
	}
	e.stopped = true
	if err := e.cluster.Stop(); err != nil {
		fmt.Fprintf(os.Stderr, "stopping the local control plane: %v\n", err)
	}
}

func scheme() *runtime.Scheme {
	s := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(s); err != nil {
		panic(err)
	}
	if err := portingv1alpha1.AddToScheme(s); err != nil {
		panic(err)
	}
	return s
}

// manager is a running manager process.
type manager struct {
	cmd        *exec.Cmd
	metricsURL string
	started    time.Time
	done       chan struct{}
	waitErr    error
	logFile    *os.File
}

// startManager runs the manager binary against the cluster of kubeconfig,
// with its metrics on a free loopback port and its log in logPath.
func startManager(binary, kubeconfig, logPath string, flags []string,
	c *cleanups) (*manager, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("creating the manager log: %w", err)
	}
	args := append([]string{
		"--kubeconfig=" + kubeconfig,
		"--provider=simulator",
		"--metrics-bind-address=127.0.0.1:" + strconv.Itoa(port),
		"--metrics-secure=false",
		"--health-probe-bind-address=0",
	}, flags...)
	cmd := exec.Command(binary, args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// The manager dies with the harness even when the harness is killed
	// without a chance to clean up.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	m := &manager{
		cmd:        cmd,
		metricsURL: fmt.Sprintf("http://127.0.0.1:%d/metrics", port),
		done:       make(chan struct{}),
		logFile:    logFile,
	}
	m.started = time.Now()
	if err := cmd.Start(); err != nil {
		_ = logFile.Close()
		return nil, fmt.Errorf("starting the manager: %w", err)
	}
	go func() {
		m.waitErr = cmd.Wait()
		close(m.done)
	}()
	c.push(m.stop)
	return m, nil
}

func (m *manager) pid() int { return m.cmd.Process.Pid }

// running reports whether the process has not exited yet.
func (m *manager) running() bool {
	select {
	case <-m.done:
		return false
	default:
		return true
	}
}

// readyTimeout bounds the manager's start: its caches fill in seconds.
const readyTimeout = time.Minute

// waitReady waits until the metrics endpoint answers.
func (m *manager) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(readyTimeout)
	for time.Now().Before(deadline) {
		if !m.running() {
			return fmt.Errorf("the manager exited: %v; see %s", m.waitErr, m.logFile.Name())
		}
		resp, err := http.Get(m.metricsURL)
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if err := sleep(ctx, 100*time.Millisecond); err != nil {
			return err
		}
	}
	return fmt.Errorf("the manager's metrics endpoint did not answer within %s", readyTimeout)
}

// stop ends the manager with SIGTERM, as a Deployment would, and kills it if
// it does not exit in time.
func (m *manager) stop() {
	if m.running() {
		_ = m.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-m.done:
		case <-time.After(20 * time.Second):
			_ = m.cmd.Process.Kill()
			<-m.done
		}
	}
	_ = m.logFile.Close()
}

// procStats is what /proc says about a process.
type procStats struct {
	// CPU is user plus system time.
	CPU time.Duration
	// RSS is the resident set now, HWM its peak since the process started.
	RSS, HWM int64
}

// readProc reads the CPU time and memory of pid from /proc.
func readProc(pid int) (procStats, error) {
	var st procStats
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return st, err
	}
	// The command name in parentheses may hold spaces; fields are counted
	// after its closing parenthesis. utime and stime are fields 14 and 15.
	s := string(stat)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return st, errors.New("short /proc stat line")
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	// Linux reports these in clock ticks of USER_HZ, which is 100 on every
	// architecture Go supports.
	st.CPU = time.Duration(utime+stime) * 10 * time.Millisecond

	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return st, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		f := strings.Fields(value)
		if len(f) == 0 {
			continue
		}
		kb, _ := strconv.ParseInt(f[0], 10, 64)
		switch key {
		case "VmRSS":
			st.RSS = kb * 1024
		case "VmHWM":
			st.HWM = kb * 1024
		}
	}
	return st, nil
}

// freePort returns a loopback port that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("finding a free port: %w", err)
	}
	defer func() { _ = l.Close() }()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// buildManager builds the manager into dir.
func buildManager(root, dir string) (string, error) {
	out := filepath.Join(dir, "manager")
	cmd := exec.Command("go", "build", "-o", out, "./cmd")
	cmd.Dir = root
	if output, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the manager: %w: %s", err, output)
	}
	return out, nil
}

// managerHasFlag reports whether the manager binary accepts a flag.
func managerHasFlag(binary, name string) bool {
	out, _ := exec.Command(binary, "-h").CombinedOutput()
	return strings.Contains(string(out), "-"+name+" ")
}
