package lifecycle_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/go-logr/logr"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/prometheus/client_golang/prometheus"
	"k8s.io/client-go/rest"
	"k8s.io/utils/clock"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/numberport/numberport/internal/controller/phonenumber"
	"github.com/numberport/numberport/internal/controller/portrequest"
	"github.com/numberport/numberport/internal/logging"
	portmetrics "github.com/numberport/numberport/internal/metrics"
	"github.com/numberport/numberport/internal/provider"
	"github.com/numberport/numberport/internal/schedule"
	"github.com/numberport/numberport/internal/wakeup"
)

// managerOptions vary the manager that startManagerWith runs. The zero value
// runs the same manager as startManager.
type managerOptions struct {
	// numbers and routing replace the simulator's platform and routing
	// concerns, so that a test can count or break the calls.
	numbers provider.Numbers
	routing provider.Routing
	// instrument wraps the provider in the metrics the production manager
	// exports, so that a test can scan them.
	instrument bool
	// logs receives every line the manager logs, as JSON, from a logger
	// built as the manager's is with --zap-log-level at its highest.
	logs io.Writer
	// unboundedLogs leaves out the manager's bound on verbosity, so that
	// the lines client-go traces at high verbosity reach logs too.
	unboundedLogs bool
	// requests records every request the manager sends to the API server.
	requests *requestLog
	// fieldManager names the manager in managedFields, as the production
	// binary's name does.
	fieldManager string
	// leaseName turns on leader election with a Lease of that name in the
	// test's namespace, with short timings and without releasing the Lease
	// on stop, so that stopping the manager behaves like a crash.
	leaseName string
}

// managerRun is one manager started by startManagerWith.
type managerRun struct {
	mgr    ctrl.Manager
	cancel context.CancelFunc
	done   chan struct{}
}

// Leader election timings for failover tests: short enough that a standby
// takes over within seconds of real time.
const (
	testLeaseDuration = 3 * time.Second
	testRenewDeadline = 2 * time.Second
	testRetryPeriod   = 500 * time.Millisecond
)

// startManagerWith runs the controllers like startManager, with the
// variations of o, until the returned run is stopped. Unlike startManager
// it supports several managers at once; each is stopped when the test ends.
func (h *harness) startManagerWith(namespace string, o managerOptions) *managerRun {
	GinkgoHelper()
	mgr, err := ctrl.NewManager(managerConfig(o), managerOptionsFor(namespace, o))
	Expect(err).NotTo(HaveOccurred())

	ctx, cancel := context.WithCancel(context.Background())
	prov := h.sim.Provider()
	prov.Porting = h.porting
	if o.numbers != nil {
		prov.Numbers = o.numbers
	}
	if o.routing != nil {
		prov.Routing = o.routing
	}
	if o.instrument {
		prov = portmetrics.Instrument(prov)
	}
	h.setupControllers(ctx, mgr, prov)

	run := &managerRun{mgr: mgr, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer GinkgoRecover()
		defer close(run.done)
		err := mgr.Start(ctx)
		// A manager that holds a Lease it does not release reports the
		// lost leadership when it is stopped; that is the point.
		if o.leaseName == "" || err == nil || !strings.Contains(err.Error(), "leader") {
			Expect(err).NotTo(HaveOccurred())
		}
	}()
	DeferCleanup(run.stop)
	return run
}

// managerConfig returns the rest config of a manager: its own copy, so that
// the user agent and the request recorder touch no other client.
func managerConfig(o managerOptions) *rest.Config {
	c := rest.CopyConfig(cfg)
	if o.fieldManager != "" {
		c.UserAgent = o.fieldManager
	}
	if o.requests != nil {
		c.Wrap(o.requests.wrap)
	}
	return c
}

func managerOptionsFor(namespace string, o managerOptions) ctrl.Options {
	opts := ctrl.Options{
		Scheme: scheme,
		Cache: cache.Options{
			DefaultNamespaces: map[string]cache.Config{namespace: {}},
		},
		Metrics:                metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: "0",
		Controller:             ctrlConfig(),
	}
	if o.logs != nil {
		opts.Logger = jsonLogger(o.logs)
		if !o.unboundedLogs {
			opts.Logger = logging.Bounded(opts.Logger)
		}
	}
	if o.leaseName != "" {
		opts.LeaderElection = true
		opts.LeaderElectionNamespace = namespace
		opts.LeaderElectionID = o.leaseName
		opts.LeaderElectionReleaseOnCancel = false
		opts.LeaseDuration = ptr.To(testLeaseDuration)
		opts.RenewDeadline = ptr.To(testRenewDeadline)
		opts.RetryPeriod = ptr.To(testRetryPeriod)
	}
	return opts
}

// setupControllers registers both controllers as startManager does.
func (h *harness) setupControllers(ctx context.Context, mgr ctrl.Manager,
	prov provider.Provider) {
	GinkgoHelper()
	lookups, err := schedule.NewRateLimiter(1000, 100)
	Expect(err).NotTo(HaveOccurred())
	Expect((&portrequest.Reconciler{
		Client:    mgr.GetClient(),
		APIReader: mgr.GetAPIReader(),
		Porting:   prov.Porting,
		Clock:     h.clock,
		Recorder:  mgr.GetEventRecorder("portrequest-controller"),
		Wakeups:   wakeup.New(h.clock),
		Poll:      testPollIntervals(),
	}).SetupWithManager(ctx, mgr)).To(Succeed())
	Expect((&phonenumber.Reconciler{
		Client:   mgr.GetClient(),
		Numbers:  prov.Numbers,
		Routing:  prov.Routing,
		Clock:    h.clock,
		Recorder: mgr.GetEventRecorder("phonenumber-controller"),
		Wakeups:  wakeup.New(h.clock),
		Probes:   testProbePolicy(),
		Lookups:  lookups,
	}).SetupWithManager(ctx, mgr)).To(Succeed())
}

// stop stops the manager without releasing what it holds and waits until it
// has stopped, as a crash would leave things. Stopping twice is harmless.
func (r *managerRun) stop() {
	r.cancel()
	Eventually(r.done).WithTimeout(30 * time.Second).Should(BeClosed())
}

// isLeader reports whether the manager won the election and runs its
// controllers.
func (r *managerRun) isLeader() bool {
	select {
	case <-r.mgr.Elected():
		return true
	default:
		return false
	}
}

// jsonLogger returns a logger that writes JSON lines to w at every
// verbosity, the way the manager's --zap-log-level flag sets it up, so that
// the lines a test scans are the ones production would write. The manager
// bounds it with logging.Bounded.
func jsonLogger(w io.Writer) logr.Logger {
	GinkgoHelper()
	fs := flag.NewFlagSet("zap", flag.ContinueOnError)
	opts := zap.Options{}
	opts.BindFlags(fs)
	Expect(fs.Parse([]string{"--zap-devel=false", "--zap-encoder=json",
		"--zap-log-level=10"})).To(Succeed())
	opts.DestWriter = w
	return zap.New(zap.UseFlagOptions(&opts))
}

// syncBuffer is a buffer that the manager's goroutines write to while a
// test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// requestLog records the requests a manager sends to the API server.
type requestLog struct {
	mu       sync.Mutex
	requests []apiRequest
}

// apiRequest is one request to the API server.
type apiRequest struct {
	method string
	path   string
	watch  bool
}

func (l *requestLog) wrap(next http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		l.mu.Lock()
		l.requests = append(l.requests, apiRequest{
			method: req.Method,
			path:   req.URL.Path,
			watch:  req.URL.Query().Get("watch") == "true",
		})
		l.mu.Unlock()
		return next.RoundTrip(req)
	})
}

// matching returns the requests whose path contains part.
func (l *requestLog) matching(part string) []apiRequest {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []apiRequest
	for _, r := range l.requests {
		if strings.Contains(r.path, part) {
			out = append(out, r)
		}
	}
	return out
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

// callLog records provider calls with the instant of the fake clock they
// were made at, so that a test can count the calls made during an outage.
type callLog struct {
	clock clock.PassiveClock

	mu    sync.Mutex
	calls []providerCall
}

// providerCall is one call to the provider: the operation, what it was about
// (a number, or "order" for the order calls of the test's single
// PortRequest), when and whether it failed.
type providerCall struct {
	op, subject string
	at          time.Time
	failed      bool
}

func newCallLog(clk clock.PassiveClock) *callLog {
	return &callLog{clock: clk}
}

func (l *callLog) record(op, subject string, at time.Time, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls = append(l.calls, providerCall{op: op, subject: subject, at: at, failed: err != nil})
}

// during returns the calls about subject made in [from, to).
func (l *callLog) during(subject string, from, to time.Time) []providerCall {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []providerCall
	for _, c := range l.calls {
		if c.subject == subject && !c.at.Before(from) && c.at.Before(to) {
			out = append(out, c)
		}
	}
	return out
}

// describe lists calls compactly for failure messages and report entries.
func describeCalls(calls []providerCall, origin time.Time) string {
	parts := make([]string, 0, len(calls))
	for _, c := range calls {
		parts = append(parts, fmt.Sprintf("%s@+%s", c.op, c.at.Sub(origin)))
	}
	return strings.Join(parts, " ")
}

// countingPorting records every order call in a callLog.
type countingPorting struct {
	provider.Porting
	log *callLog
}

func (c countingPorting) FindOrder(ctx context.Context, key string) (provider.Order, error) {
	at := c.log.clock.Now()
	o, err := c.Porting.FindOrder(ctx, key)
	failed := err
	// Not finding the order is how every first submission starts.
	if provider.IsNotFound(err) {
		failed = nil
	}
	c.log.record("find", "order", at, failed)
	return o, err
}

func (c countingPorting) SubmitOrder(ctx context.Context,
	req provider.OrderRequest) (provider.Order, error) {
	at := c.log.clock.Now()
	o, err := c.Porting.SubmitOrder(ctx, req)
	c.log.record("submit", "order", at, err)
	return o, err
}

func (c countingPorting) GetOrder(ctx context.Context, id string) (provider.Order, error) {
	at := c.log.clock.Now()
	o, err := c.Porting.GetOrder(ctx, id)
	c.log.record("get", "order", at, err)
	return o, err
}

// countingNumbers records every platform call in a callLog.
type countingNumbers struct {
	provider.Numbers
	log *callLog
}

func (c countingNumbers) StageCallFlow(ctx context.Context, number, callFlow string) error {
	at := c.log.clock.Now()
	err := c.Numbers.StageCallFlow(ctx, number, callFlow)
	c.log.record("stage", number, at, err)
	return err
}

func (c countingNumbers) Activate(ctx context.Context, number string) error {
	at := c.log.clock.Now()
	err := c.Numbers.Activate(ctx, number)
	c.log.record("activate", number, at, err)
	return err
}

// countingRouting records every routing lookup in a callLog.
type countingRouting struct {
	provider.Routing
	log *callLog
}

func (c countingRouting) Lookup(ctx context.Context, number string) (provider.Route, error) {
	at := c.log.clock.Now()
	r, err := c.Routing.Lookup(ctx, number)
	c.log.record("lookup", number, at, err)
	return r, err
}

// crashingNumbers passes platform calls through, except that the first
// activation calls crash and never returns a result: the test stops the
// manager then, as a crash at that point would. With afterCall the platform
// carries out the activation first, so only the status write is lost;
// without it the call never reaches the platform.
type crashingNumbers struct {
	provider.Numbers
	afterCall bool
	crash     func()
	once      sync.Once
}

func (c *crashingNumbers) Activate(ctx context.Context, number string) error {
	if c.afterCall {
		if err := c.Numbers.Activate(ctx, number); err != nil {
			return err
		}
	}
	fired := false
	c.once.Do(func() {
		fired = true
		go c.crash()
	})
	switch {
	case fired:
		<-ctx.Done()
		return ctx.Err()
	case c.afterCall:
		return nil
	default:
		return c.Numbers.Activate(ctx, number)
	}
}

// maxCallsWithin returns the most calls one object can make to a provider
// that fails for the whole of window, by the operator's documented backoff:
// the first call, then one after each delay, where the delay before retry
// n is at least half of a ceiling that starts at 1 s and doubles up to
// 5 minutes. A provider's retry hint can only lengthen a delay.
func maxCallsWithin(window time.Duration) int {
	const (
		base       = time.Second
		backoffCap = 5 * time.Minute
	)
	calls := 1
	var elapsed time.Duration
	for attempt := 0; ; attempt++ {
		ceiling := base
		for i := 1; i < attempt && ceiling < backoffCap; i++ {
			ceiling *= 2
		}
		elapsed += min(ceiling, backoffCap) / 2
		if elapsed >= window {
			return calls
		}
		calls++
	}
}

// metricsText renders everything registered with controller-runtime's
// registry, where the manager's and the operator's metrics live, and the
// phase gauges read from the manager's cache, the way a scrape would see
// them.
func metricsText(mgr ctrl.Manager) string {
	GinkgoHelper()
	phases := prometheus.NewRegistry()
	Expect(phases.Register(portmetrics.NewPhaseCollector(mgr.GetCache()))).To(Succeed())
	families, err := prometheus.Gatherers{ctrlmetrics.Registry, phases}.Gather()
	Expect(err).NotTo(HaveOccurred())
	var b strings.Builder
	for _, mf := range families {
		fmt.Fprintln(&b, mf.String())
	}
	return b.String()
}
