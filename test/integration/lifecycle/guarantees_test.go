package lifecycle_test

import (
	"context"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
)

var _ = Describe("The operator's guarantees", func() {
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
		DeferCleanup(func() { h.stopManager() })
	})

	phase := func(g Gomega, name string) portingv1alpha1.PortRequestPhase {
		return getPR(ctx, g, ns, name).Status.Phase
	}

	DescribeTable("a crash during submission leaves exactly one order",
		func(at string) {
			h.porting = &crashingPorting{Porting: h.sim.Provider().Porting, at: at,
				crash: h.stopManager}
			h.startManager(ns)
			Expect(k8s.Create(ctx, portRequest(ns, "crash", "+15035550130"))).To(Succeed())

			By("crashing at " + at)
			Eventually(func() bool {
				h.mu.Lock()
				defer h.mu.Unlock()
				return h.cancel == nil
			}).WithTimeout(30 * time.Second).Should(BeTrue())
			pr := getPR(ctx, Default, ns, "crash")
			Expect(pr.Status.SubmissionStartedAt).NotTo(BeNil(),
				"the intent is recorded before the provider is called")
			Expect(pr.Status.OrderID).To(BeEmpty())

			By("restarting")
			h.porting = h.sim.Provider().Porting
			h.startManager(ns)
			h.stepUntil(time.Second, 2*time.Minute, func(g Gomega) {
				g.Expect(phase(g, "crash")).To(Equal(portingv1alpha1.PortRequestScheduled))
			})
			pr = getPR(ctx, Default, ns, "crash")
			Expect(h.sim.OrdersCreated()).To(Equal(1))
			Expect(h.sim.OrdersCreatedForKey("numberport-" + string(pr.UID))).To(Equal(1))
		},
		Entry("before the provider call", "find"),
		Entry("after the provider call, before the status write", "submit"),
	)

	It("finds the order when the provider's answer to a submission is lost", func() {
		h.startManager(ns)
		// 0111 makes the simulator create the order and answer with a
		// transient error, as if the response never arrived.
		Expect(k8s.Create(ctx, portRequest(ns, "lost", "+15035550111"))).To(Succeed())
		h.stepUntil(time.Second, 2*time.Minute, func(g Gomega) {
			g.Expect(phase(g, "lost")).To(Equal(portingv1alpha1.PortRequestScheduled))
		})
		Expect(h.sim.OrdersCreated()).To(Equal(1))
	})

	It("does not submit again after a restart once the order is recorded", func() {
		h.startManager(ns)
		Expect(k8s.Create(ctx, portRequest(ns, "restart", "+15035550131"))).To(Succeed())
		h.stepUntil(time.Second, time.Minute, func(g Gomega) {
			g.Expect(getPR(ctx, g, ns, "restart").Status.OrderID).NotTo(BeEmpty())
		})
		h.stopManager()
		h.startManager(ns)
		h.stepUntil(time.Second, 3*time.Minute, func(g Gomega) {
			g.Expect(phase(g, "restart")).To(Equal(portingv1alpha1.PortRequestCompleted))
		})
		Expect(h.sim.OrdersCreated()).To(Equal(1))
	})

	It("activates numbers whose order ported while the manager was away", func() {
		h.startManager(ns)
		Expect(k8s.Create(ctx, portRequest(ns, "away", "+15035550143"))).To(Succeed())
		Expect(k8s.Create(ctx, phoneNumber(ns, "away-a", "+15035550143", "away"))).
			To(Succeed())
		h.stepUntil(time.Second, time.Minute, func(g Gomega) {
			g.Expect(getPR(ctx, g, ns, "away").Status.OrderID).NotTo(BeEmpty())
		})
		h.stopManager()
		// Past review, confirmation and the port date: the next poll finds
		// the order ported without ever having seen its port date.
		h.clock.Step(5 * time.Minute)
		h.startManager(ns)
		Eventually(func(g Gomega) {
			pr := getPR(ctx, g, ns, "away")
			g.Expect(pr.Status.Phase).To(Equal(portingv1alpha1.PortRequestCompleted))
			g.Expect(pr.Status.PortDate).NotTo(BeNil())
			pn := getPN(ctx, g, ns, "away-a")
			g.Expect(pn.Status.Phase).To(Equal(portingv1alpha1.PhoneNumberActive))
			g.Expect(pn.Status.ActivationTrigger).To(Equal(portingv1alpha1.ActivationPortDate))
		}).Should(Succeed())
	})

	It("keeps a submitted order's numbers when the spec's numbers change", func() {
		h.startManager(ns)
		Expect(k8s.Create(ctx, portRequest(ns, "fixed", "+15035550144"))).To(Succeed())
		h.stepUntil(time.Second, time.Minute, func(g Gomega) {
			g.Expect(getPR(ctx, g, ns, "fixed").Status.OrderID).NotTo(BeEmpty())
		})
		pr := getPR(ctx, Default, ns, "fixed")
		pr.Spec.Numbers = append(pr.Spec.Numbers, "+15035550145")
		Expect(k8s.Update(ctx, pr)).To(Succeed())
		Expect(k8s.Create(ctx, phoneNumber(ns, "added", "+15035550145", "fixed"))).
			To(Succeed())

		Eventually(func(g Gomega) {
			pr := getPR(ctx, g, ns, "fixed")
			g.Expect(condition(pr.Status.Conditions, portingv1alpha1.ConditionValidated).Reason).
				To(Equal(portingv1alpha1.ReasonNumbersChanged))
			g.Expect(pr.Status.NumberCount).To(BeEquivalentTo(1))
			pn := getPN(ctx, g, ns, "added")
			g.Expect(condition(pn.Status.Conditions, portingv1alpha1.ConditionStalled).Reason).
				To(Equal(portingv1alpha1.ReasonNotInPortRequest))
		}).Should(Succeed())
		h.stepUntil(time.Second, 3*time.Minute, func(g Gomega) {
			g.Expect(getPR(ctx, g, ns, "fixed").Status.Phase).
				To(Equal(portingv1alpha1.PortRequestCompleted))
		})
		Expect(getPN(ctx, Default, ns, "added").Status.Phase).
			NotTo(Equal(portingv1alpha1.PhoneNumberActive))
		Expect(h.sim.OrdersCreated()).To(Equal(1))
	})

	It("fails, and never submits again, when the provider loses the order", func() {
		h.startManager(ns)
		Expect(k8s.Create(ctx, portRequest(ns, "lost-order", "+15035550142"))).To(Succeed())
		h.stepUntil(time.Second, time.Minute, func(g Gomega) {
			g.Expect(getPR(ctx, g, ns, "lost-order").Status.OrderID).NotTo(BeEmpty())
		})
		h.stopManager()
		fresh := newHarness()
		h.sim, h.porting = fresh.sim, fresh.porting
		h.startManager(ns)
		Eventually(func(g Gomega) {
			pr := getPR(ctx, g, ns, "lost-order")
			g.Expect(pr.Status.Phase).To(Equal(portingv1alpha1.PortRequestFailed))
			g.Expect(condition(pr.Status.Conditions, portingv1alpha1.ConditionStalled).Reason).
				To(Equal(portingv1alpha1.ReasonOrderLost))
		}).Should(Succeed())
		Expect(h.sim.OrdersCreated()).To(BeZero())
	})

	It("explains the rules the API server cannot check, with a Warning event", func() {
		h.startManager(ns)
		canadian := portRequest(ns, "canada", "+16135550130")
		canadian.Spec.LosingCarrier.AccountNumber = ""
		Expect(k8s.Create(ctx, canadian)).To(Succeed())
		stale := portRequest(ns, "stale", "+15035550132")
		stale.Spec.Documents.Invoice.IssueDate = start.AddDate(0, 0, -45).Format(time.DateOnly)
		Expect(k8s.Create(ctx, stale)).To(Succeed())

		for name, want := range map[string]struct{ reason, field string }{
			"canada": {portingv1alpha1.ReasonAccountNumberRequired,
				"spec.losingCarrier.accountNumber"},
			"stale": {portingv1alpha1.ReasonInvoiceTooOld, "spec.documents.invoice.issueDate"},
		} {
			Eventually(func(g Gomega) {
				pr := getPR(ctx, g, ns, name)
				stalled := condition(pr.Status.Conditions, portingv1alpha1.ConditionStalled)
				g.Expect(stalled.Reason).To(Equal(want.reason))
				g.Expect(stalled.Message).To(ContainSubstring(want.field))
				ready := condition(pr.Status.Conditions, portingv1alpha1.ConditionReady)
				g.Expect(ready.Status).To(BeEquivalentTo("False"))
				g.Expect(eventReasons(ctx, g, ns, name)).To(ContainElement(want.reason))
			}).Should(Succeed(), name)
		}
		Expect(h.sim.OrdersCreated()).To(Equal(0))
	})

	It("holds a second PortRequest for a number already being ported", func() {
		h.startManager(ns)
		Expect(k8s.Create(ctx, portRequest(ns, "first", "+15035550133"))).To(Succeed())
		h.stepUntil(time.Second, time.Minute, func(g Gomega) {
			g.Expect(getPR(ctx, g, ns, "first").Status.OrderID).NotTo(BeEmpty())
		})
		Expect(k8s.Create(ctx, portRequest(ns, "second", "+15035550134",
			"+15035550133"))).To(Succeed())
		Eventually(func(g Gomega) {
			pr := getPR(ctx, g, ns, "second")
			stalled := condition(pr.Status.Conditions, portingv1alpha1.ConditionStalled)
			g.Expect(stalled.Reason).To(Equal(portingv1alpha1.ReasonNumberClaimed))
			g.Expect(stalled.Message).To(ContainSubstring(ns + "/first"))
		}).Should(Succeed())
		Expect(h.sim.OrdersCreated()).To(Equal(1))
	})

	It("flags a second PhoneNumber for the same number", func() {
		h.startManager(ns)
		Expect(k8s.Create(ctx, portRequest(ns, "pr", "+15035550135"))).To(Succeed())
		Expect(k8s.Create(ctx, phoneNumber(ns, "one", "+15035550135", "pr"))).To(Succeed())
		time.Sleep(1100 * time.Millisecond) // creation timestamps have second precision
		Expect(k8s.Create(ctx, phoneNumber(ns, "two", "+15035550135", "pr"))).To(Succeed())
		Eventually(func(g Gomega) {
			pn := getPN(ctx, g, ns, "two")
			g.Expect(condition(pn.Status.Conditions, portingv1alpha1.ConditionStalled).Reason).
				To(Equal(portingv1alpha1.ReasonNumberConflict))
		}).Should(Succeed())
		h.stepUntil(time.Second, 3*time.Minute, func(g Gomega) {
			g.Expect(getPN(ctx, g, ns, "one").Status.Phase).
				To(Equal(portingv1alpha1.PhoneNumberActive))
		})
		Expect(getPN(ctx, Default, ns, "two").Status.Phase).
			NotTo(Equal(portingv1alpha1.PhoneNumberActive))
	})

	It("flags a PhoneNumber whose PortRequest does not port its number", func() {
		h.startManager(ns)
		Expect(k8s.Create(ctx, portRequest(ns, "pr", "+15035550140"))).To(Succeed())
		Expect(k8s.Create(ctx, phoneNumber(ns, "stray", "+15035550141", "pr"))).To(Succeed())
		Eventually(func(g Gomega) {
			pn := getPN(ctx, g, ns, "stray")
			stalled := condition(pn.Status.Conditions, portingv1alpha1.ConditionStalled)
			g.Expect(stalled.Reason).To(Equal(portingv1alpha1.ReasonNotInPortRequest))
			g.Expect(stalled.Message).To(ContainSubstring("spec.portRequestRef"))
		}).Should(Succeed())
	})

	It("cancels the order of a PortRequest deleted in flight", func() {
		h.startManager(ns)
		Expect(k8s.Create(ctx, portRequest(ns, "gone", "+15035550136"))).To(Succeed())
		h.stepUntil(time.Second, time.Minute, func(g Gomega) {
			g.Expect(getPR(ctx, g, ns, "gone").Status.OrderID).NotTo(BeEmpty())
		})
		orderID := getPR(ctx, Default, ns, "gone").Status.OrderID
		Expect(k8s.Delete(ctx, getPR(ctx, Default, ns, "gone"))).To(Succeed())
		h.stepUntil(time.Second, time.Minute, func(g Gomega) {
			err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "gone"},
				&portingv1alpha1.PortRequest{})
			g.Expect(client.IgnoreNotFound(err)).To(Succeed())
			g.Expect(err).To(HaveOccurred())
		})
		order, err := h.sim.Provider().Porting.GetOrder(ctx, orderID)
		Expect(err).NotTo(HaveOccurred())
		Expect(string(order.State)).To(Equal("Cancelled"))
	})

	It("says how to proceed when the provider refuses to cancel near the port date", func() {
		h.startManager(ns)
		Expect(k8s.Create(ctx, portRequest(ns, "late", "+15035550137"))).To(Succeed())
		h.stepUntil(time.Second, 2*time.Minute, func(g Gomega) {
			pr := getPR(ctx, g, ns, "late")
			g.Expect(pr.Status.PortDate).NotTo(BeNil())
			// The simulator refuses within 15 s of the port date.
			g.Expect(h.clock.Now()).To(BeTemporally(">", pr.Status.PortDate.Add(-10*time.Second)))
		})
		Expect(k8s.Delete(ctx, getPR(ctx, Default, ns, "late"))).To(Succeed())
		Eventually(func(g Gomega) {
			pr := getPR(ctx, g, ns, "late")
			stalled := condition(pr.Status.Conditions, portingv1alpha1.ConditionStalled)
			g.Expect(stalled.Reason).To(Equal(portingv1alpha1.ReasonCancelRefused))
			g.Expect(stalled.Message).To(ContainSubstring("finalizer"))
		}).Should(Succeed())
		By("letting the deletion finish once the port completes")
		h.stepUntil(time.Second, 2*time.Minute, func(g Gomega) {
			err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "late"},
				&portingv1alpha1.PortRequest{})
			g.Expect(err).To(HaveOccurred())
		})
	})

	It("releases a number with deletionPolicy Release and keeps one with Retain", func() {
		h.startManager(ns)
		Expect(k8s.Create(ctx, portRequest(ns, "pr", "+15035550138", "+15035550139"))).
			To(Succeed())
		release := phoneNumber(ns, "release", "+15035550138", "pr")
		release.Spec.DeletionPolicy = portingv1alpha1.DeletionPolicyRelease
		Expect(k8s.Create(ctx, release)).To(Succeed())
		Expect(k8s.Create(ctx, phoneNumber(ns, "retain", "+15035550139", "pr"))).To(Succeed())
		h.stepUntil(time.Second, 3*time.Minute, func(g Gomega) {
			for _, name := range []string{"release", "retain"} {
				g.Expect(getPN(ctx, g, ns, name).Status.Phase).
					To(Equal(portingv1alpha1.PhoneNumberActive))
			}
		})
		for _, name := range []string{"release", "retain"} {
			Expect(k8s.Delete(ctx, getPN(ctx, Default, ns, name))).To(Succeed())
		}
		Eventually(func(g Gomega) {
			released, _ := h.sim.Platform("+15035550138")
			g.Expect(released.Released).To(BeTrue())
		}).Should(Succeed())
		kept, _ := h.sim.Platform("+15035550139")
		Expect(kept.Released).To(BeFalse())
		Expect(kept.Active).To(BeTrue())
	})

	It("keeps the PIN and account number out of status and events", func() {
		h.startManager(ns)
		Expect(k8s.Create(ctx, portRequest(ns, "secret", "+15035550101"))).To(Succeed())
		Expect(k8s.Create(ctx, phoneNumber(ns, "secret-a", "+15035550101", "secret"))).
			To(Succeed())
		h.stepUntil(time.Second, 2*time.Minute, func(g Gomega) {
			g.Expect(phase(g, "secret")).To(Equal(portingv1alpha1.PortRequestActionRequired))
		})
		assertNoSecrets(ctx, ns)
	})
})

// assertNoSecrets scans the status of every object and every event in the
// namespace for the test's PIN and account number.
func assertNoSecrets(ctx context.Context, ns string) {
	GinkgoHelper()
	var texts []string
	prs := &portingv1alpha1.PortRequestList{}
	Expect(k8s.List(ctx, prs, client.InNamespace(ns))).To(Succeed())
	for _, pr := range prs.Items {
		texts = append(texts, toJSON(pr.Status))
	}
	pns := &portingv1alpha1.PhoneNumberList{}
	Expect(k8s.List(ctx, pns, client.InNamespace(ns))).To(Succeed())
	for _, pn := range pns.Items {
		texts = append(texts, toJSON(pn.Status))
	}
	events := &corev1.EventList{}
	Expect(k8s.List(ctx, events, client.InNamespace(ns))).To(Succeed())
	Expect(events.Items).NotTo(BeEmpty())
	for _, e := range events.Items {
		texts = append(texts, e.Message, e.Reason)
	}
	for _, text := range texts {
		Expect(text).NotTo(ContainSubstring(testPIN))
		Expect(text).NotTo(ContainSubstring(testAccountNumber))
	}
}
