// Command manager runs the numberport controllers: it follows PortRequests
// through the porting provider and activates PhoneNumbers on their port date.
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"
	"sigs.k8s.io/controller-runtime/pkg/metrics/filters"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
	"github.com/numberport/numberport/internal/controller/phonenumber"
	"github.com/numberport/numberport/internal/controller/portrequest"
	"github.com/numberport/numberport/internal/logging"
	"github.com/numberport/numberport/internal/metrics"
	"github.com/numberport/numberport/internal/provider"
	"github.com/numberport/numberport/internal/provider/simulator"
	"github.com/numberport/numberport/internal/provider/telnyx"
	"github.com/numberport/numberport/internal/schedule"
	"github.com/numberport/numberport/internal/wakeup"
)

// options are the manager's command-line settings.
type options struct {
	metricsAddr          string
	metricsSecure        bool
	probeAddr            string
	leaderElect          bool
	enableHTTP2          bool
	providerName         string
	simulator            simulator.Config
	poll                 portrequest.PollIntervals
	lookupsPerSecond     float64
	probes               schedule.Policy
	telnyx               telnyx.Options
	namespaces           string
	lookupBurst          int
	leaderElectionLease  time.Duration
	leaderElectionRenew  time.Duration
	leaderElectionRetry  time.Duration
	leaderElectionTarget string
	leaderElectionNS     string
}

func main() {
	opts, zapOpts := parseFlags()
	ctrl.SetLogger(logging.Bounded(zap.New(zap.UseFlagOptions(zapOpts))))
	log := ctrl.Log.WithName("setup")

	if err := run(ctrl.SetupSignalHandler(), opts); err != nil {
		log.Error(err, "Manager stopped")
		os.Exit(1)
	}
}

func parseFlags() (*options, *zap.Options) {
	opts := &options{
		simulator: simulator.DefaultConfig(),
		probes:    schedule.DefaultPolicy(),
		poll:      portrequest.DefaultPollIntervals(),
	}
	flag.StringVar(&opts.metricsAddr, "metrics-bind-address", "0",
		"Address the metrics endpoint binds to, such as :8443; 0 disables it.")
	flag.BoolVar(&opts.metricsSecure, "metrics-secure", true,
		"Serve metrics over HTTPS with authentication and authorization.")
	flag.StringVar(&opts.probeAddr, "health-probe-bind-address", ":8081",
		"Address the health and readiness probes bind to.")
	flag.BoolVar(&opts.leaderElect, "leader-elect", false,
		"Elect a leader, so that only one manager acts at a time.")
	flag.StringVar(&opts.leaderElectionTarget, "leader-election-id",
		"numberport.porting.numberport.io", "Name of the leader election Lease.")
	flag.StringVar(&opts.leaderElectionNS, "leader-election-namespace", "",
		"Namespace of the leader election Lease; in a cluster, the manager's own.")
	flag.DurationVar(&opts.leaderElectionLease, "leader-election-lease-duration",
		15*time.Second, "How long a leader's lease lasts without renewal.")
	flag.DurationVar(&opts.leaderElectionRenew, "leader-election-renew-deadline",
		10*time.Second, "How long the leader keeps trying to renew before it steps down.")
	flag.DurationVar(&opts.leaderElectionRetry, "leader-election-retry-period",
		2*time.Second, "How often candidates try to take or renew the lease.")
	flag.BoolVar(&opts.enableHTTP2, "enable-http2", false,
		"Serve metrics over HTTP/2 as well; off because of HTTP/2 stream attacks.")
	flag.StringVar(&opts.namespaces, "namespaces", "",
		"Comma-separated namespaces to watch; empty watches all of them.")
	flag.StringVar(&opts.providerName, "provider", "simulator",
		"Porting provider: simulator (in-process, the default) or telnyx.")
	flag.DurationVar(&opts.poll.Order, "order-poll-interval", opts.poll.Order,
		"How often an order waiting on the losing carrier is read from the provider.")
	flag.DurationVar(&opts.poll.NearPortDate, "order-poll-interval-near-port-date",
		opts.poll.NearPortDate,
		"How often an order is read from its port date until it completes, and while "+
			"messaging routes or missing references are awaited.")
	flag.Float64Var(&opts.lookupsPerSecond, "routing-lookups-per-second", 5,
		"Routing lookups allowed per second across all numbers; each lookup costs money.")
	flag.IntVar(&opts.lookupBurst, "routing-lookup-burst", 10,
		"Routing lookups allowed at once above the rate.")
	flag.Var(tiersFlag{&opts.probes.Tiers}, "routing-probe-tiers",
		"Probe intervals by distance to the port date, nearest first, as "+
			"within=interval pairs such as 48h=40m,168h=4h (the default).")
	flag.DurationVar(&opts.probes.Far, "routing-probe-far", 24*time.Hour,
		"Probe interval before the outermost tier.")
	flag.DurationVar(&opts.probes.Confirm, "routing-probe-confirm", 45*time.Second,
		"How soon a lookup that showed a change is repeated to confirm it.")
	opts.simulator.RegisterFlags(flag.CommandLine)
	opts.telnyx.RegisterFlags(flag.CommandLine)

	zapOpts := &zap.Options{}
	zapOpts.BindFlags(flag.CommandLine)
	flag.Parse()
	return opts, zapOpts
}

func run(ctx context.Context, opts *options) error {
	scheme := runtime.NewScheme()
	utilruntime.Must(clientgoscheme.AddToScheme(scheme))
	utilruntime.Must(portingv1alpha1.AddToScheme(scheme))

	if err := opts.probes.Validate(); err != nil {
		return fmt.Errorf("routing probe flags: %w", err)
	}
	lookups, err := schedule.NewRateLimiter(opts.lookupsPerSecond, opts.lookupBurst)
	if err != nil {
		return fmt.Errorf("--routing-lookups-per-second: %w", err)
	}
	mgr, err := ctrl.NewManager(ctrl.GetConfigOrDie(), managerOptions(opts, scheme))
	if err != nil {
		return fmt.Errorf("creating manager: %w", err)
	}

	clk := clock.RealClock{}
	prWakeups, pnWakeups := wakeup.New(clk), wakeup.New(clk)
	prov, err := newProvider(ctx, opts, mgr, clk, prWakeups)
	if err != nil {
		return err
	}
	prov = metrics.Instrument(prov)

	prs := &portrequest.Reconciler{
		Client:    mgr.GetClient(),
		APIReader: mgr.GetAPIReader(),
		Porting:   prov.Porting,
		Clock:     clk,
		Recorder:  mgr.GetEventRecorder("portrequest-controller"),
		Wakeups:   prWakeups,
		Poll:      opts.poll,
	}
	if err := prs.SetupWithManager(ctx, mgr); err != nil {
		return fmt.Errorf("setting up the PortRequest controller: %w", err)
	}
	pns := &phonenumber.Reconciler{
		Client:   mgr.GetClient(),
		Numbers:  prov.Numbers,
		Routing:  prov.Routing,
		Clock:    clk,
		Recorder: mgr.GetEventRecorder("phonenumber-controller"),
		Wakeups:  pnWakeups,
		Probes:   opts.probes,
		Lookups:  lookups,
	}
	if err := pns.SetupWithManager(ctx, mgr); err != nil {
		return fmt.Errorf("setting up the PhoneNumber controller: %w", err)
	}
	if err := ctrlmetrics.Registry.Register(metrics.NewPhaseCollector(mgr.GetCache())); err != nil {
		return fmt.Errorf("registering phase metrics: %w", err)
	}
	if err := mgr.AddHealthzCheck("healthz", healthz.Ping); err != nil {
		return fmt.Errorf("adding health check: %w", err)
	}
	if err := mgr.AddReadyzCheck("readyz", healthz.Ping); err != nil {
		return fmt.Errorf("adding readiness check: %w", err)
	}

	ctrl.Log.WithName("setup").Info("Starting manager", "provider", opts.providerName)
	return mgr.Start(ctx)
}

// newProvider builds the configured porting provider. A provider with
// webhooks wakes the affected PortRequest through prWakeups.
func newProvider(ctx context.Context, opts *options, mgr ctrl.Manager, clk clock.Clock,
	prWakeups *wakeup.Scheduler) (provider.Provider, error) {
	switch opts.providerName {
	case "simulator":
		if err := opts.simulator.Validate(); err != nil {
			return provider.Provider{}, fmt.Errorf("simulator flags: %w", err)
		}
		return simulator.New(clk, opts.simulator).Provider(), nil
	case "telnyx":
		return newTelnyx(ctx, opts, mgr, clk, prWakeups)
	default:
		return provider.Provider{}, errors.New("--provider: unknown provider " +
			opts.providerName + "; the available ones are simulator and telnyx")
	}
}

// newTelnyx builds the Telnyx adapter with its API key read from a Secret,
// and serves its webhooks when an address is set.
func newTelnyx(ctx context.Context, opts *options, mgr ctrl.Manager, clk clock.Clock,
	prWakeups *wakeup.Scheduler) (provider.Provider, error) {
	// client-go may log response bodies at high verbosity through the
	// context's logger: the API key's Secret is read with a silent one.
	quiet := logr.NewContext(ctx, logr.Discard())
	key, err := telnyx.APIKeyFromSecret(quiet, mgr.GetAPIReader(), opts.telnyx.APIKeySecret)
	if err != nil {
		return provider.Provider{}, fmt.Errorf("--telnyx-api-key-secret: %w", err)
	}
	adapter, err := telnyx.New(opts.telnyx.Config(key), nil)
	if err != nil {
		return provider.Provider{}, fmt.Errorf("telnyx flags: %w", err)
	}
	if opts.telnyx.WebhookBindAddress == "" {
		return adapter.Provider(), nil
	}

	pub, err := telnyx.ParsePublicKey(opts.telnyx.WebhookPublicKey)
	if err != nil {
		return provider.Provider{}, fmt.Errorf("--telnyx-webhook-public-key: %w", err)
	}
	hook, err := telnyx.NewWebhookHandler(telnyx.WebhookConfig{
		PublicKey: pub,
		Tolerance: opts.telnyx.WebhookTolerance,
		Clock:     clk,
		Resolve:   adapter.CustomerReference,
		Log:       ctrl.Log.WithName("telnyx-webhook"),
		Wake:      wakeByReference(ctx, mgr.GetClient(), clk, prWakeups),
	})
	if err != nil {
		return provider.Provider{}, fmt.Errorf("telnyx webhooks: %w", err)
	}
	err = mgr.Add(&telnyx.WebhookServer{Addr: opts.telnyx.WebhookBindAddress, Handler: hook})
	if err != nil {
		return provider.Provider{}, fmt.Errorf("adding the webhook server: %w", err)
	}
	return adapter.Provider(), nil
}

// wakeByReference returns a callback that wakes the PortRequest whose
// idempotency key is the provider's customer reference. A push only moves
// the next poll forward: a lost push costs nothing but time.
func wakeByReference(ctx context.Context, c client.Reader, clk clock.PassiveClock,
	prWakeups *wakeup.Scheduler) func(string) {
	return func(ref string) {
		uid, ok := strings.CutPrefix(ref, portrequest.IdempotencyKeyPrefix)
		if !ok {
			return
		}
		list := &portingv1alpha1.PortRequestList{}
		if err := c.List(ctx, list, client.UnsafeDisableDeepCopy); err != nil {
			return
		}
		for i := range list.Items {
			if string(list.Items[i].UID) == uid {
				prWakeups.At(client.ObjectKeyFromObject(&list.Items[i]), clk.Now())
			}
		}
	}
}

func managerOptions(opts *options, scheme *runtime.Scheme) ctrl.Options {
	var tlsOpts []func(*tls.Config)
	if !opts.enableHTTP2 {
		tlsOpts = append(tlsOpts, func(c *tls.Config) { c.NextProtos = []string{"http/1.1"} })
	}
	metricsOpts := metricsserver.Options{
		BindAddress:   opts.metricsAddr,
		SecureServing: opts.metricsSecure,
		TLSOpts:       tlsOpts,
	}
	if opts.metricsSecure {
		metricsOpts.FilterProvider = filters.WithAuthenticationAndAuthorization
	}
	// Managed fields are a large share of every object and the controllers
	// never read them.
	cacheOpts := cache.Options{DefaultTransform: cache.TransformStripManagedFields()}
	if opts.namespaces != "" {
		cacheOpts.DefaultNamespaces = map[string]cache.Config{}
		for _, ns := range strings.Split(opts.namespaces, ",") {
			cacheOpts.DefaultNamespaces[strings.TrimSpace(ns)] = cache.Config{}
		}
	}
	return ctrl.Options{
		Scheme:                        scheme,
		Cache:                         cacheOpts,
		Metrics:                       metricsOpts,
		HealthProbeBindAddress:        opts.probeAddr,
		LeaderElection:                opts.leaderElect,
		LeaderElectionID:              opts.leaderElectionTarget,
		LeaderElectionNamespace:       opts.leaderElectionNS,
		LeaderElectionReleaseOnCancel: true,
		LeaseDuration:                 &opts.leaderElectionLease,
		RenewDeadline:                 &opts.leaderElectionRenew,
		RetryPeriod:                   &opts.leaderElectionRetry,
		// Secrets and ConfigMaps are read one by one, by reference, and
		// never cached: the manager has no reason to hold every Secret of
		// the cluster in memory.
		Client: client.Options{Cache: &client.CacheOptions{
			DisableFor: []client.Object{&corev1.Secret{}, &corev1.ConfigMap{}},
		}},
	}
}

// tiersFlag reads probe tiers from within=interval pairs.
type tiersFlag struct{ tiers *[]schedule.Tier }

func (f tiersFlag) String() string {
	if f.tiers == nil {
		return ""
	}
	parts := make([]string, 0, len(*f.tiers))
	for _, t := range *f.tiers {
		parts = append(parts, t.Within.String()+"="+t.Interval.String())
	}
	return strings.Join(parts, ",")
}

func (f tiersFlag) Set(s string) error {
	var tiers []schedule.Tier
	for _, pair := range strings.Split(s, ",") {
		within, interval, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if !ok {
			return fmt.Errorf("%q is not a within=interval pair, such as 48h=40m", pair)
		}
		w, err := time.ParseDuration(within)
		if err != nil {
			return fmt.Errorf("tier %q: %w", pair, err)
		}
		i, err := time.ParseDuration(interval)
		if err != nil {
			return fmt.Errorf("tier %q: %w", pair, err)
		}
		tiers = append(tiers, schedule.Tier{Within: w, Interval: i})
	}
	*f.tiers = tiers
	return nil
}
