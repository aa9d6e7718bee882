package main

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"time"
)

// idleResult is what a settled manager costs while nothing happens.
type idleResult struct {
	Numbers int `json:"numbers"`
	Orders  int `json:"orders"`
	// CreateSeconds is how long the harness took to create the objects,
	// with the manager working on them meanwhile.
	CreateSeconds float64 `json:"createSeconds"`
	// SettleSeconds runs from the first creation until every order is
	// completed and every number active with texting ready.
	SettleSeconds  float64 `json:"settleSeconds"`
	LeaderElection bool    `json:"leaderElection"`
	Note           string  `json:"note,omitempty"`
	WindowSeconds  float64 `json:"windowSeconds"`
	// Writes are the manager's write requests by method, from its client
	// metrics; WritesByKind are the changes the API server reported by kind
	// and event type, which tell lease renewals from everything else.
	Writes       map[string]float64 `json:"writes"`
	WritesByKind map[string]int     `json:"writesByKind"`
	LeaseWrites  int                `json:"leaseWrites"`
	// ExpectedLeaseRenewals is the window over the retry period.
	ExpectedLeaseRenewals int                `json:"expectedLeaseRenewals"`
	OtherWrites           int                `json:"otherWrites"`
	Reconciles            map[string]float64 `json:"reconciles"`
	Lookups               float64            `json:"lookups"`
	CPUSeconds            float64            `json:"cpuSeconds"`
	// CPUPerScrapeSeconds is the manager's CPU time to serve one scrape of
	// its metrics, which counts every object by phase from the cache.
	CPUPerScrapeSeconds float64 `json:"cpuPerScrapeSeconds"`
}

// memoryResult is the manager's memory at the idle scale.
type memoryResult struct {
	PeakRSSBytes       int64   `json:"peakRSSBytes"`
	RSSBytes           int64   `json:"rssBytes"`
	HeapAllocBytes     float64 `json:"heapAllocBytes"`
	HeapAllocPeakBytes float64 `json:"heapAllocPeakBytes"`
	Goroutines         float64 `json:"goroutines"`
}

// coldResult is a restart of the manager at the idle scale.
type coldResult struct {
	// Seconds runs from the process start until every object was
	// reconciled and the work queues are empty.
	Seconds          float64            `json:"seconds"`
	MetricsUpSeconds float64            `json:"metricsUpSeconds"`
	Reconciles       map[string]float64 `json:"reconciles"`
	Writes           map[string]float64 `json:"writes"`
	WritesByKind     map[string]int     `json:"writesByKind"`
	OtherWrites      int                `json:"otherWrites"`
	Lookups          float64            `json:"lookups"`
	ProviderCalls    float64            `json:"providerCalls"`
	CPUSeconds       float64            `json:"cpuSeconds"`
	PeakRSSBytes     int64              `json:"peakRSSBytes"`
}

// Timeline of the idle scale: ports complete about two minutes after
// creation and texting ten seconds later, so that the objects settle
// quickly. Orders are polled every 10 s: a thousand orders polled every 2 s
// are more than four workers keep up with while the objects are created,
// and an order must be seen confirmed before it ports for its numbers to be
// staged at all.
const (
	idlePoll      = 10 * time.Second
	idleReview    = 10 * time.Second
	idlePortDelay = 90 * time.Second
	idleMessaging = 10 * time.Second
	leaseRetry    = 2 * time.Second
)

// idle settles idleNumbers PhoneNumbers of idleOrders PortRequests, watches
// the manager do nothing for idleWindow, reads its memory, then restarts it
// and times how long it takes to look at every object again.
func (b *bench) idle(ctx context.Context) error {
	o := b.opts
	const ns = phaseIdle
	e, err := b.phaseEnv(ctx, ns)
	if err != nil {
		return err
	}
	res := &idleResult{Numbers: o.idleNumbers, Orders: o.idleOrders}
	flags := append(timingFlags(idlePoll, idleReview, idlePortDelay, idleMessaging),
		b.leaderFlags(res)...)
	m, err := startManager(b.binary, e.cluster.KubeconfigPath(),
		filepath.Join(b.dir, "idle-manager.log"), flags, b.cl)
	if err != nil {
		return err
	}
	if err := m.waitReady(ctx); err != nil {
		return err
	}

	mem := &memoryResult{}
	stopSampling := sampleHeap(ctx, m, mem)
	if err := b.settle(ctx, e, ns, res); err != nil {
		stopSampling()
		return err
	}
	stopSampling()
	if err := waitQuiet(ctx, m); err != nil {
		return err
	}
	if err := b.watchIdle(ctx, e, m, res, mem); err != nil {
		return err
	}
	b.rep.Idle, b.rep.Memory = res, mem
	b.idleRows(res, mem)

	cold, err := b.coldStart(ctx, e, m, flags, res)
	if err != nil {
		return err
	}
	b.rep.Cold = cold
	b.coldRows(cold, res)
	return nil
}

// leaderFlags turns leader election on when the manager can run it out of
// cluster: controller-runtime needs the Lease's namespace, which it reads
// from the service account mount inside a pod.
func (b *bench) leaderFlags(res *idleResult) []string {
	if !b.opts.leaderElect {
		res.Note = "leader election off (-leader-elect=false)"
		return []string{"--leader-elect=false"}
	}
	if !managerHasFlag(b.binary, "leader-election-namespace") {
		res.Note = "leader election off: the manager has no --leader-election-namespace " +
			"flag, and out of cluster controller-runtime cannot find the Lease's namespace"
		return []string{"--leader-elect=false"}
	}
	res.LeaderElection = true
	return []string{"--leader-elect=true", "--leader-election-namespace=" + phaseIdle,
		"--leader-election-retry-period=" + leaseRetry.String()}
}

// settle creates the orders, each after its numbers, and waits until all
// are settled.
func (b *bench) settle(ctx context.Context, e *env, ns string, res *idleResult) error {
	pns, err := trackPhoneNumbers(ctx, e.client, ns)
	if err != nil {
		return err
	}
	defer pns.stop()
	prs, err := trackPortRequests(ctx, e.client, ns)
	if err != nil {
		return err
	}
	defer prs.stop()
	nums, err := phoneNumbers("415", res.Numbers)
	if err != nil {
		return err
	}

	b.logf("idle: creating %d PhoneNumbers and %d PortRequests", res.Numbers, res.Orders)
	start := time.Now()
	err = forEach(ctx, res.Orders, b.opts.createWorkers, func(ctx context.Context, i int) error {
		name := fmt.Sprintf("order-%04d", i)
		mine := nums[i*len(nums)/res.Orders : (i+1)*len(nums)/res.Orders]
		for _, n := range mine {
			if err := create(ctx, e.client, phoneNumber(ns, numberName(n), n, name)); err != nil {
				return err
			}
		}
		return create(ctx, e.client, portRequest(ns, name, mine))
	})
	if err != nil {
		return err
	}
	res.CreateSeconds = time.Since(start).Seconds()
	b.logf("idle: created in %s", secs(res.CreateSeconds))
	if err := prs.waitFor(ctx, "PortRequests settled", res.Orders, 30*time.Minute, isSettled,
		b.logf); err != nil {
		return err
	}
	if err := pns.waitFor(ctx, "PhoneNumbers settled", res.Numbers, 30*time.Minute, isSettled,
		b.logf); err != nil {
		return err
	}
	res.SettleSeconds = time.Since(start).Seconds()
	b.logf("idle: settled after %s", secs(res.SettleSeconds))
	return nil
}

// sampleHeap records the manager's peak Go heap every 15 s until stopped.
func sampleHeap(ctx context.Context, m *manager, mem *memoryResult) func() {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			if s, err := scrapeMetrics(ctx, m.metricsURL); err == nil {
				mem.HeapAllocPeakBytes = max(mem.HeapAllocPeakBytes,
					s.sum("go_memstats_heap_alloc_bytes", nil))
			}
			if sleep(ctx, 15*time.Second) != nil {
				return
			}
		}
	})
	return func() {
		cancel()
		wg.Wait()
	}
}

// quietTimeout bounds the wait for a settled manager to go quiet.
const quietTimeout = 3 * time.Minute

// waitQuiet waits until the manager's work queues are empty and its
// reconcile counts stop moving for ten seconds.
func waitQuiet(ctx context.Context, m *manager) error {
	deadline := time.Now().Add(quietTimeout)
	last, stable := -1.0, 0
	for time.Now().Before(deadline) {
		s, err := scrapeMetrics(ctx, m.metricsURL)
		if err != nil {
			return err
		}
		reconciles := s.sum("controller_runtime_reconcile_total", nil)
		if s.sum("workqueue_depth", nil) == 0 && reconciles == last {
			stable++
		} else {
			stable = 0
		}
		if stable >= 5 {
			return nil
		}
		last = reconciles
		if err := sleep(ctx, 2*time.Second); err != nil {
			return err
		}
	}
	return fmt.Errorf("the manager was still busy after %s", quietTimeout)
}

// watchIdle measures the settled manager over the idle window. Its metrics
// are read only at the ends of the window, since serving them costs CPU.
func (b *bench) watchIdle(ctx context.Context, e *env, m *manager, res *idleResult,
	mem *memoryResult) error {
	counter, err := countWrites(ctx, e.client)
	if err != nil {
		return err
	}
	before, err := scrapeMetrics(ctx, m.metricsURL)
	if err != nil {
		return err
	}
	p0, err := readProc(m.pid())
	if err != nil {
		return err
	}
	b.logf("idle: watching the settled manager for %s", b.opts.idleWindow)
	start := time.Now()
	for time.Since(start) < b.opts.idleWindow {
		if !m.running() {
			return fmt.Errorf("the manager exited while idle: %v", m.waitErr)
		}
		if err := sleep(ctx, min(10*time.Second, b.opts.idleWindow-time.Since(start))); err != nil {
			return err
		}
	}
	p1, err := readProc(m.pid())
	if err != nil {
		return err
	}
	res.WindowSeconds = time.Since(start).Seconds()
	after, err := scrapeMetrics(ctx, m.metricsURL)
	if err != nil {
		return err
	}
	counts, err := counter.stop()
	if err != nil {
		return err
	}

	res.Writes = writesByMethod(before, after)
	res.WritesByKind = counts
	res.LeaseWrites = kindTotal(counts, "Lease")
	res.OtherWrites = kindTotal(counts, "PhoneNumber") + kindTotal(counts, "PortRequest") +
		kindTotal(counts, "Event")
	if res.LeaderElection {
		res.ExpectedLeaseRenewals = int(res.WindowSeconds / leaseRetry.Seconds())
	}
	res.Reconciles = reconcilesByController(before, after)
	res.Lookups = after.sum("numberport_routing_lookups_total", nil) -
		before.sum("numberport_routing_lookups_total", nil)
	res.CPUSeconds = (p1.CPU - p0.CPU).Seconds()

	mem.PeakRSSBytes, mem.RSSBytes = p1.HWM, p1.RSS
	mem.HeapAllocBytes = after.sum("go_memstats_heap_alloc_bytes", nil)
	mem.HeapAllocPeakBytes = max(mem.HeapAllocPeakBytes, mem.HeapAllocBytes)
	mem.Goroutines = after.sum("go_goroutines", nil)

	q0, err := readProc(m.pid())
	if err != nil {
		return err
	}
	const scrapes = 3
	for range scrapes {
		if _, err := scrapeMetrics(ctx, m.metricsURL); err != nil {
			return err
		}
	}
	q1, err := readProc(m.pid())
	if err != nil {
		return err
	}
	res.CPUPerScrapeSeconds = (q1.CPU - q0.CPU).Seconds() / scrapes
	return nil
}

// coldStart stops the settled manager as a rollout would and starts a new
// one, and measures how long the new one takes to reconcile every object
// and empty its queues, and what it writes on the way.
func (b *bench) coldStart(ctx context.Context, e *env, old *manager, flags []string,
	idle *idleResult) (*coldResult, error) {
	counter, err := countWrites(ctx, e.client)
	if err != nil {
		return nil, err
	}
	defer func() { _, _ = counter.stop() }()
	old.stop()
	b.logf("idle: restarting the manager")
	m, err := startManager(b.binary, e.cluster.KubeconfigPath(),
		filepath.Join(b.dir, "idle-manager-restart.log"), flags, b.cl)
	if err != nil {
		return nil, err
	}
	res := &coldResult{}
	deadline := m.started.Add(10 * time.Minute)
	var last *scrape
	for {
		if !m.running() {
			return nil, fmt.Errorf("the restarted manager exited: %v", m.waitErr)
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("the restarted manager did not catch up in 10 minutes")
		}
		if s, err := scrapeMetrics(ctx, m.metricsURL); err == nil {
			if res.MetricsUpSeconds == 0 {
				res.MetricsUpSeconds = s.at.Sub(m.started).Seconds()
			}
			last = s
			if caughtUp(s, idle) {
				res.Seconds = s.at.Sub(m.started).Seconds()
				break
			}
		}
		if err := sleep(ctx, 250*time.Millisecond); err != nil {
			return nil, err
		}
	}
	b.logf("idle: the restarted manager caught up in %s", secs(res.Seconds))

	// Writes that follow the catch-up closely still belong to the restart.
	if err := sleep(ctx, 5*time.Second); err != nil {
		return nil, err
	}
	p, err := readProc(m.pid())
	if err != nil {
		return nil, err
	}
	if s, err := scrapeMetrics(ctx, m.metricsURL); err == nil {
		last = s
	}
	counts, err := counter.stop()
	if err != nil {
		return nil, err
	}
	res.Reconciles = reconcilesByController(nil, last)
	res.Writes = writesByMethod(nil, last)
	res.WritesByKind = counts
	res.OtherWrites = kindTotal(counts, "PhoneNumber") + kindTotal(counts, "PortRequest") +
		kindTotal(counts, "Event")
	res.Lookups = last.sum("numberport_routing_lookups_total", nil)
	res.ProviderCalls = last.sum("numberport_provider_calls_total", nil)
	res.CPUSeconds = p.CPU.Seconds()
	res.PeakRSSBytes = p.HWM
	return res, nil
}

// caughtUp reports whether both controllers reconciled at least as many
// times as there are objects and have nothing queued.
func caughtUp(s *scrape, idle *idleResult) bool {
	pn := s.sum("controller_runtime_reconcile_total", map[string]string{
		"controller": "phonenumber"})
	pr := s.sum("controller_runtime_reconcile_total", map[string]string{
		"controller": "portrequest"})
	depth := s.sum("workqueue_depth", nil)
	return pn >= float64(idle.Numbers) && pr >= float64(idle.Orders) && depth == 0
}

func (b *bench) idleRows(res *idleResult, mem *memoryResult) {
	const s = phaseIdle
	scale := fmt.Sprintf("%d numbers, %d orders", res.Numbers, res.Orders)
	b.add(row{Section: s, Figure: "create, settle (" + scale + ")",
		Value: fmt.Sprintf("created in %s, settled after %s", secs(res.CreateSeconds),
			secs(res.SettleSeconds))})
	lease := "leader election off"
	if res.LeaderElection {
		lease = fmt.Sprintf("%d Lease writes (expected %d)", res.LeaseWrites,
			res.ExpectedLeaseRenewals)
	}
	b.add(row{Section: s, Figure: fmt.Sprintf("writes in %s idle", secs(res.WindowSeconds)),
		Value: fmt.Sprintf("%d besides leases; client: %s; %s", res.OtherWrites,
			formatCounts(res.Writes), lease),
		Target: "0 besides leases", Met: met(res.OtherWrites == 0)})
	b.add(row{Section: s, Figure: "reconciles, lookups while idle",
		Value: fmt.Sprintf("%s; %.0f lookups", formatCounts(res.Reconciles), res.Lookups)})
	b.add(row{Section: s, Figure: "manager CPU while idle",
		Value: fmt.Sprintf("%s (%.2f%% of a core); %s per metrics scrape",
			secs(res.CPUSeconds), 100*res.CPUSeconds/res.WindowSeconds,
			secs(res.CPUPerScrapeSeconds))})
	b.add(row{Section: "memory", Figure: "manager peak RSS (VmHWM)",
		Value: fmt.Sprintf("%s (now %s)", mib(float64(mem.PeakRSSBytes)),
			mib(float64(mem.RSSBytes))),
		Target: "<= 150 MiB", Met: met(mem.PeakRSSBytes <= 150<<20)})
	b.add(row{Section: "memory", Figure: "Go heap in use (heap_alloc)",
		Value: fmt.Sprintf("%s idle, %s peak sampled; %.0f goroutines",
			mib(mem.HeapAllocBytes), mib(mem.HeapAllocPeakBytes), mem.Goroutines)})
}

func (b *bench) coldRows(res *coldResult, idle *idleResult) {
	const s = "cold start"
	b.add(row{Section: s, Figure: "until every object reconciled, queues empty",
		Value: fmt.Sprintf("%s (metrics up after %s)", secs(res.Seconds),
			secs(res.MetricsUpSeconds))})
	b.add(row{Section: s, Figure: "writes on the way",
		Value: fmt.Sprintf("%d besides leases; client: %s", res.OtherWrites,
			formatCounts(res.Writes)), Target: "0", Met: met(res.OtherWrites == 0)})
	b.add(row{Section: s, Figure: "reconciles, lookups, provider calls",
		Value: fmt.Sprintf("%s; %.0f lookups; %.0f provider calls",
			formatCounts(res.Reconciles), res.Lookups, res.ProviderCalls)})
	b.add(row{Section: s, Figure: "CPU, peak RSS of the new manager",
		Value: fmt.Sprintf("%s CPU (%.2f ms per object), %s", secs(res.CPUSeconds),
			1000*res.CPUSeconds/float64(idle.Numbers+idle.Orders),
			mib(float64(res.PeakRSSBytes)))})
}
