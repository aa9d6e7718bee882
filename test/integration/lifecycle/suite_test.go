// Package lifecycle_test drives PortRequests and PhoneNumbers through every
// simulator scenario on a real API server, with the controllers running in a
// manager on an injected clock that the tests move forward.
package lifecycle_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	clocktesting "k8s.io/utils/clock/testing"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
	"github.com/numberport/numberport/internal/controller/phonenumber"
	"github.com/numberport/numberport/internal/controller/portrequest"
	"github.com/numberport/numberport/internal/provider"
	"github.com/numberport/numberport/internal/provider/simulator"
	"github.com/numberport/numberport/internal/schedule"
	"github.com/numberport/numberport/internal/wakeup"
)

var (
	testEnv *envtest.Environment
	cfg     *rest.Config
	k8s     client.Client
	scheme  = runtime.NewScheme()

	// start is the fake clock's origin: a Monday morning, so that business
	// days are easy to count.
	start = time.Date(2027, time.March, 1, 15, 0, 0, 0, time.UTC)
)

func TestLifecycle(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Porting lifecycle")
}

var _ = BeforeSuite(func() {
	logf.SetLogger(zap.New(zap.WriteTo(GinkgoWriter), zap.UseDevMode(true)))
	Expect(os.Getenv("KUBEBUILDER_ASSETS")).NotTo(BeEmpty(),
		"KUBEBUILDER_ASSETS is unset: run the tests with `make test`")

	Expect(clientgoscheme.AddToScheme(scheme)).To(Succeed())
	Expect(portingv1alpha1.AddToScheme(scheme)).To(Succeed())
	testEnv = &envtest.Environment{
		CRDDirectoryPaths:     []string{filepath.Join("..", "..", "..", "config", "crd", "bases")},
		ErrorIfCRDPathMissing: true,
	}
	var err error
	cfg, err = testEnv.Start()
	Expect(err).NotTo(HaveOccurred())
	k8s, err = client.New(cfg, client.Options{Scheme: scheme})
	Expect(err).NotTo(HaveOccurred())
})

var _ = AfterSuite(func() {
	if testEnv != nil {
		Expect(testEnv.Stop()).To(Succeed())
	}
})

// harness is one manager running both controllers against a simulator, on
// a fake clock. Each test gets its own, and its own namespace, so that
// scenarios cannot see each other.
type harness struct {
	clock *clocktesting.FakeClock
	sim   *simulator.Simulator
	// porting is what the PortRequest controller talks to; tests may wrap
	// the simulator to inject failures.
	porting provider.Porting

	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
}

func newHarness() *harness {
	clk := clocktesting.NewFakeClock(start)
	sim := simulator.New(clk, simulator.Compressed())
	return &harness{clock: clk, sim: sim, porting: sim.Provider().Porting}
}

// testPollIntervals and testProbePolicy shrink the production timings to the
// compressed simulator timeline, as the local demo does.
func testPollIntervals() portrequest.PollIntervals {
	return portrequest.PollIntervals{
		Order:             5 * time.Second,
		NearPortDate:      2 * time.Second,
		MessagingFollowUp: 30 * 24 * time.Hour,
	}
}

func testProbePolicy() schedule.Policy {
	return schedule.Policy{
		Tiers:         []schedule.Tier{{Within: 10 * time.Minute, Interval: 5 * time.Second}},
		Far:           time.Minute,
		Confirm:       2 * time.Second,
		Confirmations: 2,
		AfterPort:     []time.Duration{10 * time.Second},
	}
}

// startManager runs the controllers until stopManager is called. The
// manager watches only the test's namespace, so that the objects other tests
// left behind cost nothing and cannot interfere.
func (h *harness) startManager(namespace string) {
	mgr, err := ctrl.NewManager(cfg, ctrl.Options{
		Scheme: scheme,
		Cache: cache.Options{
			DefaultNamespaces: map[string]cache.Config{namespace: {}},
		},
		Metrics:                metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: "0",
		Controller:             ctrlConfig(),
	})
	Expect(err).NotTo(HaveOccurred())

	ctx, cancel := context.WithCancel(context.Background())
	lookups, err := schedule.NewRateLimiter(1000, 100)
	Expect(err).NotTo(HaveOccurred())
	prov := h.sim.Provider()
	Expect((&portrequest.Reconciler{
		Client:    mgr.GetClient(),
		APIReader: mgr.GetAPIReader(),
		Porting:   h.porting,
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

	done := make(chan struct{})
	go func() {
		defer GinkgoRecover()
		defer close(done)
		Expect(mgr.Start(ctx)).To(Succeed())
	}()
	h.mu.Lock()
	h.cancel, h.done = cancel, done
	h.mu.Unlock()
}

// stopManager stops the controllers and waits until they have stopped, as a
// crashed or replaced manager would.
func (h *harness) stopManager() {
	h.mu.Lock()
	cancel, done := h.cancel, h.done
	h.cancel = nil
	h.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	Eventually(done).WithTimeout(30 * time.Second).Should(BeClosed())
}
