// Command bench measures the numberport manager on this machine: the status
// write rate of the local API server as a baseline, an activation storm, a
// single activation, the idle cost, memory and cold start at scale, and the
// cost and detection delay of the routing probe schedule. It starts a local
// control plane (etcd and kube-apiserver, loopback only) and runs the
// manager binary with the simulator as a process, as a cluster would, then
// prints one table and writes the figures as JSON. Every process it starts
// is stopped when it ends, fails or is interrupted.
//
//	go run ./test/bench -out bin/bench.json
//	go run ./test/bench -quick            # small scale, a few minutes
//	go run ./test/bench -phases probe     # the probe schedule only, no cluster
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/go-logr/logr"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"
)

// options are the harness's command-line settings.
type options struct {
	out     string
	dir     string
	manager string
	phases  string
	quick   bool

	writers          int
	baselineDuration time.Duration
	createWorkers    int

	stormNumbers   int
	stormOrders    int
	stormReview    time.Duration
	stormPortDelay time.Duration
	stormTimeout   time.Duration

	singleRuns     int
	singleInterval time.Duration

	idleNumbers int
	idleOrders  int
	idleWindow  time.Duration
	leaderElect bool

	probePorts int
	seed       uint64
}

// Phase names; each is also the namespace, the working directory and the
// section of the table of its phase.
const (
	phaseBaseline = "baseline"
	phaseStorm    = "storm"
	phaseSingle   = "single"
	phaseIdle     = "idle"
	phaseProbe    = "probe"
)

// phaseNames lists the phases in the order they run.
var phaseNames = []string{phaseBaseline, phaseStorm, phaseSingle, phaseIdle, phaseProbe}

func parseFlags() options {
	var o options
	flag.StringVar(&o.out, "out", "bin/bench.json", "Where to write the figures as JSON.")
	flag.StringVar(&o.dir, "dir", "bin/bench",
		"Working directory for the control planes and the manager logs.")
	flag.StringVar(&o.manager, "manager", "",
		"Manager binary to measure; empty builds ./cmd into -dir.")
	flag.StringVar(&o.phases, "phases", strings.Join(phaseNames, ","),
		"Comma-separated phases to run: "+strings.Join(phaseNames, ", ")+
			" (idle includes memory and cold start).")
	flag.BoolVar(&o.quick, "quick", false,
		"Small scale for development: 500 storm numbers, 1,000 idle numbers, 1 minute idle.")
	flag.IntVar(&o.writers, "writers", 8,
		"Concurrent writers of the baseline; 8 is the PhoneNumber controller's worker count.")
	flag.DurationVar(&o.baselineDuration, "baseline-duration", 20*time.Second,
		"How long the baseline writes.")
	flag.IntVar(&o.createWorkers, "create-workers", 16,
		"Concurrent creations when the harness sets up objects.")
	flag.IntVar(&o.stormNumbers, "storm-numbers", 5000, "PhoneNumbers activated at one instant.")
	flag.IntVar(&o.stormOrders, "storm-orders", 50, "PortRequests the storm's numbers are in.")
	flag.DurationVar(&o.stormReview, "storm-review-delay", 30*time.Second,
		"Simulator review delay in the storm: time to create the PhoneNumbers.")
	flag.DurationVar(&o.stormPortDelay, "storm-port-delay", 120*time.Second,
		"Simulator port delay in the storm: time to stage every number before the port date.")
	flag.DurationVar(&o.stormTimeout, "storm-timeout", 15*time.Minute,
		"How long to wait for every storm number to be active.")
	flag.IntVar(&o.singleRuns, "single-runs", 40, "Single activations measured.")
	flag.DurationVar(&o.singleInterval, "single-interval", 2*time.Second,
		"Time between two single activations, so that they do not overlap.")
	flag.IntVar(&o.idleNumbers, "idle-numbers", 10000, "PhoneNumbers at the idle scale.")
	flag.IntVar(&o.idleOrders, "idle-orders", 1000, "PortRequests at the idle scale.")
	flag.DurationVar(&o.idleWindow, "idle", 5*time.Minute,
		"How long the settled manager is watched doing nothing.")
	flag.BoolVar(&o.leaderElect, "leader-elect", true,
		"Run the idle and cold start manager with leader election, when it can run out of "+
			"cluster (it needs --leader-election-namespace).")
	flag.IntVar(&o.probePorts, "probe-ports", 20000,
		"Simulated ports per window for the probe schedule.")
	flag.Uint64Var(&o.seed, "seed", 1, "Seed of the simulated transfer times.")
	flag.Parse()

	if o.quick {
		set := map[string]bool{}
		flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
		quick := map[string]func(){
			"baseline-duration":  func() { o.baselineDuration = 8 * time.Second },
			"storm-numbers":      func() { o.stormNumbers = 500 },
			"storm-orders":       func() { o.stormOrders = 5 },
			"storm-port-delay":   func() { o.stormPortDelay = 40 * time.Second },
			"storm-review-delay": func() { o.stormReview = 10 * time.Second },
			"single-runs":        func() { o.singleRuns = 10 },
			"idle-numbers":       func() { o.idleNumbers = 1000 },
			"idle-orders":        func() { o.idleOrders = 100 },
			"idle":               func() { o.idleWindow = time.Minute },
			"probe-ports":        func() { o.probePorts = 2000 },
		}
		for name, apply := range quick {
			if !set[name] {
				apply()
			}
		}
	}
	return o
}

func main() {
	opts := parseFlags()
	// envtest logs through controller-runtime; what matters to the harness
	// comes back as errors, and the manager logs to its own file.
	ctrllog.SetLogger(logr.Discard())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// A second Ctrl-C ends the harness at once, without waiting for the
	// cleanup the first one started.
	go func() {
		<-ctx.Done()
		stop()
	}()

	b := &bench{opts: opts, cl: &cleanups{}}
	err := b.runAll(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// bench is one run of the harness.
type bench struct {
	opts   options
	root   string
	dir    string
	binary string
	cl     *cleanups
	rep    report
	rows   []row
	start  time.Time
}

// runAll runs the selected phases, stops whatever they started, and prints
// and writes what was measured, even when a phase failed.
func (b *bench) runAll(ctx context.Context) (err error) {
	defer b.cl.run()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()

	b.start = time.Now()
	if err := b.setup(); err != nil {
		return err
	}
	phases := strings.Split(b.opts.phases, ",")
	for _, p := range phases {
		if !slices.Contains(phaseNames, p) {
			return fmt.Errorf("-phases: unknown phase %q; the phases are %s", p,
				strings.Join(phaseNames, ", "))
		}
	}
	steps := map[string]func(context.Context) error{
		phaseBaseline: b.baseline, phaseStorm: b.storm, phaseSingle: b.single,
		phaseIdle: b.idle, phaseProbe: b.probe,
	}
	var failed error
	for _, name := range phaseNames {
		if !slices.Contains(phases, name) {
			continue
		}
		b.logf("phase %s", name)
		if err := steps[name](ctx); err != nil {
			failed = fmt.Errorf("phase %s: %w", name, err)
			b.rep.Errors = append(b.rep.Errors, failed.Error())
			b.logf("%v", failed)
			if ctx.Err() != nil {
				break
			}
		}
		b.cl.run()
	}
	b.rep.Seconds = time.Since(b.start).Seconds()
	b.printTable(os.Stdout)
	if werr := b.writeJSON(); werr != nil && failed == nil {
		failed = werr
	}
	return failed
}

// setup finds the repository, prepares the working directory, builds the
// manager and records the machine.
func (b *bench) setup() error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	b.root = root
	b.dir, err = filepath.Abs(b.opts.dir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(b.dir, 0o755); err != nil {
		return err
	}
	b.rep.Machine = describeMachine()
	b.rep.Options = b.opts.asMap()
	b.rep.Started = b.start.UTC().Format(time.RFC3339)
	b.logf("machine: %d cores, %.1f GiB memory, %s", b.rep.Machine.Cores,
		float64(b.rep.Machine.MemoryBytes)/(1<<30), b.rep.Machine.CPU)

	needsManager := false
	for _, p := range strings.Split(b.opts.phases, ",") {
		needsManager = needsManager || (p != phaseProbe && p != phaseBaseline)
	}
	if !needsManager {
		return nil
	}
	b.binary = b.opts.manager
	if b.binary == "" {
		b.logf("building the manager")
		if b.binary, err = buildManager(root, b.dir); err != nil {
			return err
		}
	}
	return nil
}

// repoRoot returns the directory of go.mod, from the working directory up.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory: run from the repository")
		}
		dir = parent
	}
}

func (b *bench) logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%6.1fs  %s\n", time.Since(b.start).Seconds(),
		fmt.Sprintf(format, args...))
}

func (b *bench) writeJSON() error {
	if b.opts.out == "" {
		return nil
	}
	b.rep.Table = b.rows
	data, err := json.MarshalIndent(b.rep, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(b.opts.out), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(b.opts.out, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", b.opts.out, err)
	}
	b.logf("wrote %s", b.opts.out)
	return nil
}

// asMap records the options in the report, so that a figure can be read
// with the scale it was measured at.
func (o options) asMap() map[string]any {
	return map[string]any{
		"writers":          o.writers,
		"baselineDuration": o.baselineDuration.String(),
		"stormNumbers":     o.stormNumbers,
		"stormOrders":      o.stormOrders,
		"stormReviewDelay": o.stormReview.String(),
		"stormPortDelay":   o.stormPortDelay.String(),
		"singleRuns":       o.singleRuns,
		"singleInterval":   o.singleInterval.String(),
		"idleNumbers":      o.idleNumbers,
		"idleOrders":       o.idleOrders,
		"idleWindow":       o.idleWindow.String(),
		"leaderElect":      o.leaderElect,
		"probePorts":       o.probePorts,
		"seed":             o.seed,
		"goMaxProcs":       runtime.GOMAXPROCS(0),
	}
}
