package lifecycle_test

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/retry"
	"sigs.k8s.io/controller-runtime/pkg/client"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
	"github.com/numberport/numberport/internal/provider/simulator"
)

// stepPause is how long the controllers get to handle each instant when a
// test moves the clock by hand; stepUntil polls at the same pace.
const stepPause = 120 * time.Millisecond

// outageLength is the injected outage: long against a port that takes
// about 80 seconds on the compressed timeline, and long enough for the
// backoff to reach its 5 minute cap several times.
const outageLength = 30 * time.Minute

var _ = Describe("Reliability", func() {
	var (
		ctx context.Context
		ns  string
		h   *harness
	)

	BeforeEach(func() {
		ctx = context.Background()
		ns = newNamespace(ctx)
		createSecrets(ctx, ns)
		h = newHarness()
	})

	// apply creates a PortRequest for one number and its PhoneNumber.
	apply := func(name, number string) {
		GinkgoHelper()
		Expect(k8s.Create(ctx, portRequest(ns, name, number))).To(Succeed())
		Expect(k8s.Create(ctx, phoneNumber(ns, name+"-a", number, name))).To(Succeed())
	}

	pnPhase := func(g Gomega, name string) portingv1alpha1.PhoneNumberPhase {
		return getPN(ctx, g, ns, name).Status.Phase
	}

	prReady := func(g Gomega, name string) metav1.Condition {
		return condition(getPR(ctx, g, ns, name).Status.Conditions, portingv1alpha1.ConditionReady)
	}

	DescribeTable("a crash at the moment of activation activates once, at the port date",
		func(afterCall bool, number string) {
			crashed := make(chan struct{})
			crash := &crashingNumbers{Numbers: h.sim.Provider().Numbers, afterCall: afterCall,
				crash: func() { close(crashed) }}
			first := h.startManagerWith(ns, managerOptions{numbers: crash})
			apply("crash", number)

			h.stepUntil(time.Second, 2*time.Minute, func(g Gomega) {
				g.Expect(pnPhase(g, "crash-a")).To(Equal(portingv1alpha1.PhoneNumberStaged))
			})
			portDate := getPR(ctx, Default, ns, "crash").Status.PortDate.Time

			By("crashing on the first activation")
			h.stepUntil(time.Second, 2*time.Minute, func(g Gomega) {
				g.Expect(crashed).To(BeClosed())
			})
			first.stop()
			crashedAt := h.clock.Now()
			Expect(crashedAt).NotTo(BeTemporally("<", portDate))
			Expect(getPN(ctx, Default, ns, "crash-a").Status.ActivatedAt).To(BeNil(),
				"the crash came before the status write")
			platform, _ := h.sim.Platform(number)
			Expect(platform.Active).To(Equal(afterCall))

			By("restarting")
			h.startManagerWith(ns, managerOptions{})
			h.stepUntil(time.Second, time.Minute, func(g Gomega) {
				g.Expect(pnPhase(g, "crash-a")).To(Equal(portingv1alpha1.PhoneNumberActive))
			})
			pn := getPN(ctx, Default, ns, "crash-a")
			Expect(pn.Status.ActivationTrigger).To(Equal(portingv1alpha1.ActivationPortDate))
			Expect(pn.Status.ActivatedAt.Time).NotTo(BeTemporally("<", portDate))
			// The clock stands still while the manager restarts, so the
			// new leader activates within the step that follows.
			Expect(pn.Status.ActivatedAt.Time).To(BeTemporally("<=", crashedAt.Add(2*time.Second)))
			platform, _ = h.sim.Platform(number)
			Expect(platform.Active).To(BeTrue())
			Expect(platform.ActivatedAt).NotTo(BeTemporally("<", portDate))
			Expect(h.sim.OrdersCreated()).To(Equal(1))
			Eventually(func(g Gomega) int {
				return countOf(eventReasons(ctx, g, ns, "crash-a"), portingv1alpha1.ReasonActive)
			}).Should(Equal(1), "the activation is announced once")
			AddReportEntry("activation after a crash at activation",
				fmt.Sprintf("port date %s, crash at +%s, activatedAt +%s",
					portDate.Format(time.RFC3339), crashedAt.Sub(portDate),
					pn.Status.ActivatedAt.Sub(portDate)))
		},
		Entry("before the platform call", false, "+14155560201"),
		Entry("after the platform call, before the status write", true, "+14155560202"),
	)

	Describe("a provider outage", func() {
		var calls *callLog

		// startCounting runs a manager whose every provider call is logged.
		startCounting := func() {
			calls = newCallLog(h.clock)
			h.porting = countingPorting{Porting: h.sim.Provider().Porting, log: calls}
			h.startManagerWith(ns, managerOptions{
				numbers: countingNumbers{Numbers: h.sim.Provider().Numbers, log: calls},
				routing: countingRouting{Routing: h.sim.Provider().Routing, log: calls},
			})
		}

		// expectBounded checks that an object retried a failing provider
		// with backoff, not in a loop. A reconcile that a watch event starts
		// may add a call outside the backoff chain, hence the slack of two.
		expectBounded := func(subject string, from, to time.Time) int {
			GinkgoHelper()
			during := calls.during(subject, from, to)
			Expect(during).NotTo(BeEmpty(), "the %s was retried during the outage", subject)
			for _, c := range during {
				Expect(c.failed).To(BeTrue(), "every call in the outage fails")
			}
			Expect(len(during)).To(BeNumerically("<=", maxCallsWithin(to.Sub(from))+2),
				"calls about the %s: %s", subject, describeCalls(during, from))
			return len(during)
		}

		// expectPortCompleted checks that no transition was lost.
		expectPortCompleted := func(name string) {
			GinkgoHelper()
			pr := getPR(ctx, Default, ns, name)
			Expect(pr.Status.Phase).To(Equal(portingv1alpha1.PortRequestCompleted))
			Expect(condition(pr.Status.Conditions, portingv1alpha1.ConditionReady).Reason).
				To(Equal(portingv1alpha1.ReasonCompleted))
			Expect(h.sim.OrdersCreated()).To(Equal(1))
			Eventually(func(g Gomega) []string {
				return eventReasons(ctx, g, ns, name)
			}).Should(ContainElements(portingv1alpha1.ReasonAccepted,
				portingv1alpha1.ReasonPortDateConfirmed, portingv1alpha1.ReasonCompleted))
		}

		It("around submission submits once when the provider answers again", func() {
			from, to := start.Add(-time.Minute), start.Add(outageLength)
			h.sim.InjectOutage(from, to)
			startCounting()
			apply("submit-outage", "+14155560301")

			h.stepUntil(time.Second, 30*time.Second, func(g Gomega) {
				ready := prReady(g, "submit-outage")
				g.Expect(ready.Reason).To(Equal(portingv1alpha1.ReasonProviderUnavailable))
				g.Expect(ready.Message).To(ContainSubstring("retrying with backoff"))
			})
			h.stepTo(10*time.Second, to.Add(-10*time.Second))
			pr := getPR(ctx, Default, ns, "submit-outage")
			Expect(pr.Status.Phase).To(Equal(portingv1alpha1.PortRequestPending))
			Expect(condition(pr.Status.Conditions, portingv1alpha1.ConditionReady).Reason).
				To(Equal(portingv1alpha1.ReasonProviderUnavailable))
			Expect(condition(pr.Status.Conditions, portingv1alpha1.ConditionStalled).Type).
				To(BeEmpty(), "an outage needs nobody to act")

			h.stepUntil(time.Second, 8*time.Minute, func(g Gomega) {
				g.Expect(getPR(ctx, g, ns, "submit-outage").Status.OrderID).NotTo(BeEmpty())
			})
			submittedAfter := h.clock.Now().Sub(to)
			h.stepUntil(time.Second, 3*time.Minute, func(g Gomega) {
				g.Expect(getPR(ctx, g, ns, "submit-outage").Status.Phase).
					To(Equal(portingv1alpha1.PortRequestCompleted))
				g.Expect(pnPhase(g, "submit-outage-a")).To(Equal(portingv1alpha1.PhoneNumberActive))
			})
			expectPortCompleted("submit-outage")
			n := expectBounded("order", start, to)
			Expect(submittedAfter).To(BeNumerically("<=", 5*time.Minute+30*time.Second),
				"the next retry after the outage comes within the backoff cap")
			AddReportEntry("outage around submission", fmt.Sprintf(
				"%d order calls in %s of outage (bound %d); order submitted %s after it ended",
				n, to.Sub(start), maxCallsWithin(to.Sub(start))+2, submittedAfter))
		})

		It("around the port date activates as soon as the platform answers again", func() {
			startCounting()
			number := "+14155560302"
			apply("port-outage", number)
			h.stepUntil(time.Second, 2*time.Minute, func(g Gomega) {
				g.Expect(pnPhase(g, "port-outage-a")).To(Equal(portingv1alpha1.PhoneNumberStaged))
			})
			portDate := getPR(ctx, Default, ns, "port-outage").Status.PortDate.Time
			from, to := h.clock.Now(), portDate.Add(outageLength)
			h.sim.InjectOutage(from, to)

			h.stepUntil(time.Second, 2*time.Minute, func(g Gomega) {
				g.Expect(h.clock.Now()).To(BeTemporally(">", portDate))
				pn := getPN(ctx, g, ns, "port-outage-a")
				ready := condition(pn.Status.Conditions, portingv1alpha1.ConditionReady)
				g.Expect(ready.Reason).To(Equal(portingv1alpha1.ReasonProviderUnavailable))
				g.Expect(ready.Message).To(ContainSubstring("activate"))
			})
			Expect(pnPhase(Default, "port-outage-a")).To(Equal(portingv1alpha1.PhoneNumberStaged))
			h.stepTo(10*time.Second, to.Add(-time.Second))
			Expect(pnPhase(Default, "port-outage-a")).To(Equal(portingv1alpha1.PhoneNumberStaged))
			to = h.extendOutageUntil(calls, number, to)

			h.stepUntil(time.Second, 6*time.Minute, func(g Gomega) {
				g.Expect(pnPhase(g, "port-outage-a")).To(Equal(portingv1alpha1.PhoneNumberActive))
			})
			pn := getPN(ctx, Default, ns, "port-outage-a")
			lag := pn.Status.ActivatedAt.Sub(to)
			attempts := calls.during(number, portDate, to)
			AddReportEntry("outage around the port date", fmt.Sprintf(
				"%d activation attempts in the %s from the port date to the outage end; "+
					"%d order calls in the %s of outage (bound %d); "+
					"activated %s after the outage ended",
				len(attempts), to.Sub(portDate), len(calls.during("order", from, to)),
				to.Sub(from), maxCallsWithin(to.Sub(from))+2, lag))
			Expect(pn.Status.ActivationTrigger).To(Equal(portingv1alpha1.ActivationPortDate))
			expectBounded("order", from, to)
			// A due activation is the one call worth repeating often: every
			// second the number stays inactive, calls to it go unanswered,
			// and a platform call is not billed like a lookup. It may follow
			// the provider's retry hint (5 s on the compressed timeline)
			// rather than the backoff, but no more often than that.
			Expect(len(attempts)).To(BeNumerically("<=", int(to.Sub(portDate)/(5*time.Second))+5),
				"activation attempts: %s", describeCalls(attempts, portDate))
			Expect(lag).To(BeNumerically("<=", 5*time.Second),
				"activation waits for the platform, not for the backoff: activated at %s, "+
					"the outage ended at %s; platform calls: %s",
				pn.Status.ActivatedAt.Format(time.RFC3339), to.Format(time.RFC3339),
				describeCalls(calls.during(number, portDate,
					pn.Status.ActivatedAt.Add(time.Second)), portDate))

			h.stepUntil(time.Second, 6*time.Minute, func(g Gomega) {
				g.Expect(getPR(ctx, g, ns, "port-outage").Status.Phase).
					To(Equal(portingv1alpha1.PortRequestCompleted))
			})
			expectPortCompleted("port-outage")
		})

		It("during probing still activates on the port date, to the second", func() {
			// A port date 40 minutes out leaves room for a long outage in
			// the probing period, ending within the dense last ten minutes.
			timeline := simulator.Compressed()
			timeline.PortDelay = 40 * time.Minute
			h.sim = simulator.New(h.clock, timeline)
			startCounting()
			number := "+14155560303"
			apply("probe-outage", number)
			h.stepUntil(time.Second, 2*time.Minute, func(g Gomega) {
				g.Expect(pnPhase(g, "probe-outage-a")).To(Equal(portingv1alpha1.PhoneNumberStaged))
			})
			portDate := getPR(ctx, Default, ns, "probe-outage").Status.PortDate.Time
			from := h.clock.Now().Add(time.Minute)
			to := from.Add(outageLength)
			Expect(to).To(BeTemporally("<", portDate.Add(-time.Minute)))
			h.sim.InjectOutage(from, to)

			h.stepTo(10*time.Second, from.Add(time.Minute))
			Eventually(func(g Gomega) string {
				return prReady(g, "probe-outage").Reason
			}).Should(Equal(portingv1alpha1.ReasonProviderUnavailable))
			h.stepTo(10*time.Second, to.Add(time.Minute))
			Expect(pnPhase(Default, "probe-outage-a")).To(Equal(portingv1alpha1.PhoneNumberStaged))
			h.stepTo(10*time.Second, portDate.Add(-30*time.Second))

			h.stepUntil(time.Second, time.Minute, func(g Gomega) {
				g.Expect(pnPhase(g, "probe-outage-a")).To(Equal(portingv1alpha1.PhoneNumberActive))
			})
			pn := getPN(ctx, Default, ns, "probe-outage-a")
			Expect(pn.Status.ActivationTrigger).To(Equal(portingv1alpha1.ActivationPortDate))
			Expect(pn.Status.ActivatedAt.Time).NotTo(BeTemporally("<", portDate))
			Expect(pn.Status.ActivatedAt.Time).To(BeTemporally("<=", portDate.Add(2*time.Second)))
			lookups := expectBounded(number, from, to)
			answered := 0
			for _, c := range calls.during(number, to, portDate) {
				if !c.failed {
					answered++
				}
			}
			Expect(answered).To(BeNumerically(">", 0), "probing resumes after the outage")

			h.stepUntil(time.Second, 5*time.Minute, func(g Gomega) {
				g.Expect(getPR(ctx, g, ns, "probe-outage").Status.Phase).
					To(Equal(portingv1alpha1.PortRequestCompleted))
			})
			expectPortCompleted("probe-outage")
			AddReportEntry("outage during probing", fmt.Sprintf(
				"%d lookups in %s of outage (bound %d); activated %s after the port date",
				lookups, outageLength, maxCallsWithin(outageLength)+2,
				pn.Status.ActivatedAt.Sub(portDate)))
		})
	})

	It("hands activation to the standby when the leader dies before the port date", func() {
		const lease = "numberport-leader"
		leader := h.startManagerWith(ns, managerOptions{leaseName: lease})
		Eventually(leader.isLeader).WithTimeout(20 * time.Second).Should(BeTrue())
		standby := h.startManagerWith(ns, managerOptions{leaseName: lease})
		Consistently(standby.isLeader).WithTimeout(time.Second).Should(BeFalse())

		apply("failover", "+14155560401")
		h.stepUntil(time.Second, 2*time.Minute, func(g Gomega) {
			g.Expect(pnPhase(g, "failover-a")).To(Equal(portingv1alpha1.PhoneNumberStaged))
		})
		portDate := getPR(ctx, Default, ns, "failover").Status.PortDate.Time
		h.clock.SetTime(portDate.Add(-2 * time.Second))
		settle(func(g Gomega) {
			g.Expect(pnPhase(g, "failover-a")).To(Equal(portingv1alpha1.PhoneNumberStaged))
		})

		By("stopping the leader without releasing its Lease")
		leader.stop()
		stoppedAt := time.Now()
		h.clock.SetTime(portDate)

		Eventually(func(g Gomega) {
			g.Expect(pnPhase(g, "failover-a")).To(Equal(portingv1alpha1.PhoneNumberActive))
		}).WithTimeout(testLeaseDuration + 5*time.Second).WithPolling(50 * time.Millisecond).
			Should(Succeed())
		failover := time.Since(stoppedAt)
		Expect(standby.isLeader()).To(BeTrue())
		pn := getPN(ctx, Default, ns, "failover-a")
		Expect(pn.Status.ActivationTrigger).To(Equal(portingv1alpha1.ActivationPortDate))
		Expect(pn.Status.ActivatedAt.Time).NotTo(BeTemporally("<", portDate))
		Expect(pn.Status.ActivatedAt.Time).To(BeTemporally("<=", portDate.Add(time.Second)))
		Expect(h.sim.OrdersCreated()).To(Equal(1))
		AddReportEntry("leader failover", fmt.Sprintf(
			"standby activated %s of real time after the leader stopped (lease %s); "+
				"activatedAt is the port date +%s", failover.Round(10*time.Millisecond),
			testLeaseDuration, pn.Status.ActivatedAt.Sub(portDate)))
	})

	It("keeps every edit a user makes while the controller writes status", func() {
		h.startManagerWith(ns, managerOptions{})
		apply("busy", "+14155560501")
		key := types.NamespacedName{Namespace: ns, Name: "busy"}

		stop := make(chan struct{})
		var (
			wg   sync.WaitGroup
			mu   sync.Mutex
			last int
		)
		wg.Add(1)
		go func() {
			defer GinkgoRecover()
			defer wg.Done()
			for i := 1; ; i++ {
				select {
				case <-stop:
					return
				case <-time.After(25 * time.Millisecond):
				}
				editPortRequest(ctx, key, i)
				mu.Lock()
				last = i
				mu.Unlock()
			}
		}()

		h.stepUntil(time.Second, 3*time.Minute, func(g Gomega) {
			g.Expect(getPR(ctx, g, ns, "busy").Status.Phase).
				To(Equal(portingv1alpha1.PortRequestCompleted))
		})
		close(stop)
		wg.Wait()

		pr := getPR(ctx, Default, ns, "busy")
		want := strconv.Itoa(last)
		Expect(last).To(BeNumerically(">=", 50), "the edits overlapped the whole port")
		Expect(pr.Labels).To(HaveKeyWithValue("example.com/edit", want))
		Expect(pr.Annotations).To(HaveKeyWithValue("example.com/edited-by", "user-"+want))
		Expect(pr.Spec.Subscriber.Name).To(Equal("Example Dental LLC " + want))
		Expect(pr.Finalizers).To(ContainElement("porting.numberport.io/cancel-order"))
		Expect(pr.Status.Phase).To(Equal(portingv1alpha1.PortRequestCompleted))
		Eventually(func(g Gomega) int64 {
			return getPR(ctx, g, ns, "busy").Status.ObservedGeneration
		}).Should(Equal(pr.Generation))
		Expect(h.sim.OrdersCreated()).To(Equal(1))
		AddReportEntry("concurrent edits", fmt.Sprintf("%d user edits during the port", last))
	})
})

// editPortRequest makes the i-th edit of a user to a PortRequest: a label,
// an annotation and the subscriber name. Odd edits are read-modify-write
// updates retried on conflict, as kubectl edit does; even ones are merge
// patches without a resourceVersion, as kubectl patch does.
func editPortRequest(ctx context.Context, key types.NamespacedName, i int) {
	GinkgoHelper()
	n := strconv.Itoa(i)
	if i%2 == 1 {
		Expect(retry.RetryOnConflict(retry.DefaultRetry, func() error {
			pr := &portingv1alpha1.PortRequest{}
			if err := k8s.Get(ctx, key, pr); err != nil {
				return err
			}
			if pr.Labels == nil {
				pr.Labels = map[string]string{}
			}
			if pr.Annotations == nil {
				pr.Annotations = map[string]string{}
			}
			pr.Labels["example.com/edit"] = n
			pr.Annotations["example.com/edited-by"] = "user-" + n
			pr.Spec.Subscriber.Name = "Example Dental LLC " + n
			return k8s.Update(ctx, pr)
		})).To(Succeed())
		return
	}
	patch := fmt.Sprintf(`{"metadata":{"labels":{"example.com/edit":%q},`+
		`"annotations":{"example.com/edited-by":%q}},"spec":{"subscriber":{"name":%q}}}`,
		n, "user-"+n, "Example Dental LLC "+n)
	pr := &portingv1alpha1.PortRequest{}
	pr.Namespace, pr.Name = key.Namespace, key.Name
	Expect(k8s.Patch(ctx, pr, client.RawPatch(types.MergePatchType, []byte(patch)))).
		To(Succeed())
}

// extendOutageUntil extends an injected outage that ends at end, five
// seconds at a time, until the platform has just refused to activate number
// and the order was read shortly before, and returns the new end. Ending the
// outage there makes the test independent of where the backoff's jitter put
// the retries: the next activation attempt, and the next read of the order
// (whose status change also wakes the number), are a whole backoff delay away
// unless activation is retried as soon as the platform may answer again.
func (h *harness) extendOutageUntil(calls *callLog, number string, end time.Time) time.Time {
	GinkgoHelper()
	const (
		step = 5 * time.Second
		// orderQuiet is how long after a failed read of the order the next
		// one cannot come, once the backoff is at its 5 minute cap (delays
		// are at least half of it), less a margin for the activation check.
		orderQuiet = 2 * time.Minute
		limit      = 20 * time.Minute
	)
	deadline := end.Add(limit)
	for {
		activated := calls.during(number, end.Add(-step), end)
		read := calls.during("order", end.Add(-orderQuiet), end)
		if len(activated) > 0 && len(read) > 0 {
			return end
		}
		if end.After(deadline) {
			StopTrying("no activation attempt within the extended outage").Now()
		}
		h.sim.InjectOutage(end, end.Add(step))
		end = end.Add(step)
		h.stepTo(time.Second, end.Add(-time.Second))
	}
}

// stepTo moves the fake clock forward by step until it reaches until,
// pausing between steps so that the controllers handle each instant.
func (h *harness) stepTo(step time.Duration, until time.Time) {
	for now := h.clock.Now(); now.Before(until); now = h.clock.Now() {
		h.clock.Step(min(step, until.Sub(now)))
		time.Sleep(stepPause)
	}
}

// countOf counts the occurrences of s in list.
func countOf(list []string, s string) int {
	n := 0
	for _, v := range list {
		if v == s {
			n++
		}
	}
	return n
}
