package lifecycle_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
	"github.com/numberport/numberport/internal/logging"
	"github.com/numberport/numberport/internal/provider/simulator"
)

// Distinctive document contents, so that a document leaked anywhere is easy
// to spot.
const (
	testLOA     = "LOA-CONTENT-8c41f2"
	testInvoice = "INVOICE-CONTENT-2b7d90"
	testCSR     = "CSR-CONTENT-6a03e5"
)

// Argo CD's marks on the objects it syncs.
const (
	argoFieldManager = "argocd-controller"
	argoInstance     = "app.kubernetes.io/instance"
	argoTrackingID   = "argocd.argoproj.io/tracking-id"
)

// operatorFieldManager names the manager's writes in managedFields, as the
// production binary's name does.
const operatorFieldManager = "numberport-manager"

var _ = Describe("Security", func() {
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

	phase := func(g Gomega, name string) portingv1alpha1.PortRequestPhase {
		return getPR(ctx, g, ns, name).Status.Phase
	}

	It("keeps secrets and full numbers out of logs, events, status and metrics", func() {
		logs := &syncBuffer{}
		requests := &requestLog{}
		run := h.startManagerWith(ns, managerOptions{logs: logs, requests: requests,
			instrument: true})
		createDocuments(ctx, ns)

		// One PortRequest per scenario, since scenarios in one order
		// combine, plus a number outside the scenario table.
		numbers := map[string]string{"normal": "+12125560600"}
		want := map[string]portingv1alpha1.PortRequestPhase{
			"normal": portingv1alpha1.PortRequestCompleted,
		}
		for s := 100; s <= 111; s++ {
			name := fmt.Sprintf("scenario-%04d", s)
			numbers[name] = fmt.Sprintf("+1212555%04d", s)
			want[name] = portingv1alpha1.PortRequestCompleted
		}
		for _, rejected := range []string{"0102", "0103", "0109"} {
			want["scenario-"+rejected] = portingv1alpha1.PortRequestCancelled
		}
		// An order of numbers that none can be ported is refused outright.
		want["scenario-0108"] = portingv1alpha1.PortRequestPending
		for name, number := range numbers {
			pr := portRequest(ns, name, number)
			pr.Spec.Documents = hygieneDocuments()
			if name == "scenario-0101" {
				pr.Spec.LosingCarrier.PINSecretRef.Name = "pin-0101"
			}
			Expect(k8s.Create(ctx, pr)).To(Succeed())
			Expect(k8s.Create(ctx, phoneNumber(ns, name+"-a", number, name))).To(Succeed())
		}
		Expect(k8s.Create(ctx, &corev1.Secret{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "pin-0101"},
			StringData: map[string]string{"pin": testPIN},
		})).To(Succeed())

		By("correcting the rejected PIN with another secret value")
		h.stepUntil(time.Second, 2*time.Minute, func(g Gomega) {
			g.Expect(phase(g, "scenario-0101")).To(Equal(portingv1alpha1.PortRequestActionRequired))
		})
		corrected := testPIN + "-corrected"
		Expect(k8s.Patch(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{
			Namespace: ns, Name: "pin-0101"}}, client.RawPatch(types.MergePatchType,
			[]byte(`{"stringData":{"pin":"`+corrected+`"}}`)))).To(Succeed())

		By("running every scenario to its end")
		h.stepUntil(2*time.Second, 15*time.Minute, func(g Gomega) {
			for name, p := range want {
				g.Expect(phase(g, name)).To(Equal(p), name)
			}
			pn := getPN(ctx, g, ns, "scenario-0107-a")
			g.Expect(pn.Status.Messaging).NotTo(BeNil())
			g.Expect(pn.Status.Messaging.State).NotTo(Equal(portingv1alpha1.MessagingPending))
		})
		refused := getPR(ctx, Default, ns, "scenario-0108")
		Expect(condition(refused.Status.Conditions, portingv1alpha1.ConditionStalled).Reason).
			To(Equal(portingv1alpha1.ReasonProviderRefused))

		log := logs.String()
		secrets := secretValues(testPIN, corrected, testAccountNumber, testLOA, testInvoice,
			testCSR)
		texts := map[string]string{
			"the manager's log": log,
			"the metrics":       metricsText(run.mgr),
		}
		for name, text := range objectTexts(ctx, ns) {
			texts[name] = text
		}
		for what, text := range texts {
			for _, s := range secrets {
				Expect(text).NotTo(ContainSubstring(s), "%s holds a secret value", what)
			}
		}

		By("finding no full number in the log")
		Expect(log).To(ContainSubstring("Activated the number"), "the log was captured")
		Expect(log).To(ContainSubstring(`"level":"debug"`), "V(1) lines were captured")
		Expect(log).To(ContainSubstring(`"msg":"Reconciling"`), "V(5) lines were captured")
		for _, number := range numbers {
			Expect(log).NotTo(ContainSubstring(number))
			Expect(log).NotTo(ContainSubstring(strings.TrimPrefix(number, "+1")),
				"the national form of %s", number)
		}
		Expect(log).To(ContainSubstring("+1******0600"), "numbers are logged masked")

		By("reading Secrets only by name")
		expectDirectGETs(requests, "/secrets", true)
		expectDirectGETs(requests, "/configmaps", false)
	})

	It("keeps secrets and full numbers out of the log at every verbosity", func() {
		logs := &syncBuffer{}
		h.startManagerWith(ns, managerOptions{logs: logs})
		number := runVerbosePort(ctx, h, ns)

		log := logs.String()
		Expect(log).To(ContainSubstring(`"msg":"Reconciling"`), "V(5) lines were captured")
		Expect(maxVerbosity(log)).To(BeNumerically("<=", logging.MaxVerbosity),
			"client-go traces API bodies, Secrets and specs included, above this verbosity")
		forbidden := append(secretValues(testPIN, testAccountNumber, testLOA, testInvoice,
			testCSR), number, strings.TrimPrefix(number, "+1"))
		for _, s := range forbidden {
			Expect(firstLineWith(log, s)).To(BeEmpty(), "the log holds %q", s)
		}
	})

	It("reads Secrets with a silent logger even where API bodies are traced", func() {
		logs := &syncBuffer{}
		h.startManagerWith(ns, managerOptions{logs: logs, unboundedLogs: true})
		runVerbosePort(ctx, h, ns)

		log := logs.String()
		Expect(log).To(ContainSubstring(`"msg":"Response Body"`),
			"client-go traced the bodies of the manager's API calls")
		// A Secret read as protobuf is traced as a hex dump that splits its
		// values across lines, so the dump itself is looked for.
		Expect(firstLineWith(log, "v1..Secr")).To(BeEmpty(),
			"the body of a Secret is logged as a hex dump")
		for _, s := range secretValues(testPIN, testLOA, testInvoice, testCSR) {
			Expect(firstLineWith(log, s)).To(BeEmpty(), "the log holds %q", s)
		}
	})

	It("grants the manager only GET on Secrets and ConfigMaps", func() {
		role := readClusterRole("role.yaml")
		Expect(role.Name).To(Equal("manager-role"))
		var secretRules int
		for _, rule := range role.Rules {
			Expect(rule.Verbs).NotTo(ContainElement("*"), "rule %v", rule)
			Expect(rule.Resources).NotTo(ContainElement("*"), "rule %v", rule)
			Expect(rule.APIGroups).NotTo(ContainElement("*"), "rule %v", rule)
			if !slices.Contains(rule.APIGroups, "") {
				continue
			}
			for _, res := range rule.Resources {
				Expect(res).To(BeElementOf("secrets", "configmaps"),
					"the manager needs no other core resource")
				Expect(rule.Verbs).To(ConsistOf("get"),
					"%s are read by name only: never listed, watched or written", res)
				secretRules++
			}
		}
		Expect(secretRules).To(BeNumerically(">", 0))
		for _, rule := range role.Rules {
			for _, res := range rule.Resources {
				switch res {
				case "portrequests", "phonenumbers":
					Expect(rule.Verbs).To(ConsistOf("get", "list", "watch", "patch"), res)
				case "portrequests/status", "phonenumbers/status":
					Expect(rule.Verbs).To(ConsistOf("get", "update", "patch"), res)
				case "portrequests/finalizers", "phonenumbers/finalizers":
					Expect(rule.Verbs).To(ConsistOf("update"), res)
				case "events":
					Expect(rule.APIGroups).To(ConsistOf("events.k8s.io"))
					Expect(rule.Verbs).To(ConsistOf("create", "patch"))
				}
			}
		}

		election := &rbacv1.Role{}
		readYAML("leader_election_role.yaml", election)
		for _, rule := range election.Rules {
			Expect(rule.Resources).To(ContainElement(BeElementOf("leases", "events")))
			Expect(rule.Resources).NotTo(ContainElement("secrets"))
		}
	})

	Describe("with hostile and large input", func() {
		var logs *syncBuffer

		BeforeEach(func() {
			logs = &syncBuffer{}
			h.startManagerWith(ns, managerOptions{logs: logs})
		})

		// expectStillReconciling checks that the manager survived: no
		// reconcile panicked, and a new PortRequest is still submitted.
		expectStillReconciling := func() {
			GinkgoHelper()
			name := "canary-" + rand.Text()[:6]
			name = strings.ToLower(name)
			Expect(k8s.Create(ctx, portRequest(ns, name, "+14155579999"))).To(Succeed())
			h.stepUntil(time.Second, time.Minute, func(g Gomega) {
				g.Expect(getPR(ctx, g, ns, name).Status.OrderID).NotTo(BeEmpty())
			})
			Expect(logs.String()).NotTo(ContainSubstring("panic"))
		}

		It("submits 10,000 numbers from a ConfigMap as one order", func() {
			var list strings.Builder
			list.WriteString("# Office numbers\n")
			for i := range 10000 {
				number := fmt.Sprintf("+1415556%04d", i)
				Expect(simulator.ScenarioOf(number)).To(Equal(simulator.ScenarioHappy))
				fmt.Fprintf(&list, "%s\n", number)
			}
			createNumberList(ctx, ns, "office", list.String())
			pr := portRequest(ns, "bulk")
			pr.Spec.NumbersFrom = numbersFrom("office")
			Expect(k8s.Create(ctx, pr)).To(Succeed())

			h.stepUntil(time.Second, 2*time.Minute, func(g Gomega) {
				g.Expect(phase(g, "bulk")).To(Equal(portingv1alpha1.PortRequestScheduled))
			})
			pr = getPR(ctx, Default, ns, "bulk")
			Expect(pr.Status.NumberCount).To(BeEquivalentTo(10000))
			Expect(pr.Status.Numbers).To(HaveLen(10000))
			Expect(pr.Status.Numbers).To(HaveEach(HaveField("State",
				portingv1alpha1.NumberPortScheduled)))
			Expect(h.sim.OrdersCreated()).To(Equal(1))
			h.stepUntil(time.Second, 2*time.Minute, func(g Gomega) {
				g.Expect(phase(g, "bulk")).To(Equal(portingv1alpha1.PortRequestCompleted))
			})
			expectStillReconciling()
		})

		It("names the line of a number list that holds garbage", func() {
			createNumberList(ctx, ns, "garbage", "+14155560001\n"+
				"call Jordan about this one\n"+
				"+14155560003\n"+
				"\x1b[2J\x00\x07\n"+
				strings.Repeat("9", 5000)+"\n")
			pr := portRequest(ns, "garbage")
			pr.Spec.NumbersFrom = numbersFrom("garbage")
			Expect(k8s.Create(ctx, pr)).To(Succeed())

			Eventually(func(g Gomega) {
				pr := getPR(ctx, g, ns, "garbage")
				stalled := condition(pr.Status.Conditions, portingv1alpha1.ConditionStalled)
				g.Expect(stalled.Reason).To(Equal(portingv1alpha1.ReasonInvalidNumberList))
				g.Expect(stalled.Message).To(ContainSubstring("line 2"))
				g.Expect(stalled.Message).To(ContainSubstring(`ConfigMap "garbage"`))
				g.Expect(len(stalled.Message)).To(BeNumerically("<", 2048),
					"a hostile line is not copied into status")
				g.Expect(stalled.Message).NotTo(ContainSubstring("\x1b"))
			}).Should(Succeed())
			Expect(h.sim.OrdersCreated()).To(BeZero())
			expectStillReconciling()
		})

		It("sends a document of nearly 1 MiB", func() {
			loa := make([]byte, 1<<20-4096)
			_, err := rand.Read(loa)
			Expect(err).NotTo(HaveOccurred())
			Expect(k8s.Create(ctx, &corev1.Secret{
				ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "large-loa"},
				Data:       map[string][]byte{"loa.pdf": loa},
			})).To(Succeed())
			pr := portRequest(ns, "large", "+14155560010")
			pr.Spec.Documents.LetterOfAuthorization.Name = "large-loa"
			Expect(k8s.Create(ctx, pr)).To(Succeed())

			h.stepUntil(time.Second, 2*time.Minute, func(g Gomega) {
				g.Expect(phase(g, "large")).To(Equal(portingv1alpha1.PortRequestScheduled))
			})
			Expect(h.sim.OrdersCreated()).To(Equal(1))
			expectStillReconciling()
		})

		DescribeTable("names the field of a document reference that leads nowhere",
			func(field string, edit func(*portingv1alpha1.Documents)) {
				pr := portRequest(ns, "docs", "+14155560011")
				edit(&pr.Spec.Documents)
				Expect(k8s.Create(ctx, pr)).To(Succeed())

				Eventually(func(g Gomega) {
					pr := getPR(ctx, g, ns, "docs")
					stalled := condition(pr.Status.Conditions, portingv1alpha1.ConditionStalled)
					g.Expect(stalled.Reason).To(Equal(portingv1alpha1.ReasonReferenceNotFound))
					g.Expect(stalled.Message).To(HavePrefix(field + ":"))
				}).Should(Succeed())
				Expect(h.sim.OrdersCreated()).To(BeZero())
				expectStillReconciling()
			},
			Entry("a key missing from the Secret", "spec.documents.invoice.secretRef",
				func(d *portingv1alpha1.Documents) { d.Invoice.SecretRef.Key = "missing.pdf" }),
			Entry("a Secret that does not exist", "spec.documents.customerServiceRecord",
				func(d *portingv1alpha1.Documents) {
					d.CustomerServiceRecord = &portingv1alpha1.SecretKeyReference{
						Name: "no-such-secret", Key: "csr.pdf"}
				}),
		)

		DescribeTable("refuses control characters and huge strings at admission",
			func(field string, edit func(*portingv1alpha1.PortRequest)) {
				pr := portRequest(ns, "hostile", "+14155560012")
				edit(pr)
				err := k8s.Create(ctx, pr)
				Expect(err).To(HaveOccurred())
				Expect(err.Error()).To(ContainSubstring(field))
				Expect(len(err.Error())).To(BeNumerically("<", 8192),
					"the refusal does not echo a huge value")
				expectStillReconciling()
			},
			Entry("a NUL byte in the subscriber name", "spec.subscriber.name",
				func(pr *portingv1alpha1.PortRequest) {
					pr.Spec.Subscriber.Name = "Example\x00Dental"
				}),
			Entry("a terminal escape in the carrier name", "spec.losingCarrier.name",
				func(pr *portingv1alpha1.PortRequest) {
					pr.Spec.LosingCarrier.Name = "Example\x1b[2J Telco"
				}),
			Entry("a right-to-left override in the city", "spec.subscriber.serviceAddress.city",
				func(pr *portingv1alpha1.PortRequest) {
					pr.Spec.Subscriber.ServiceAddress.City = "San \u202eocsicnarF"
				}),
			Entry("a street of 1 MB", "spec.subscriber.serviceAddress.street",
				func(pr *portingv1alpha1.PortRequest) {
					pr.Spec.Subscriber.ServiceAddress.Street = strings.Repeat("Market ", 150000)
				}),
			Entry("an authorized person of 101 characters", "spec.subscriber.authorizedPerson",
				func(pr *portingv1alpha1.PortRequest) {
					pr.Spec.Subscriber.AuthorizedPerson = strings.Repeat("J", 101)
				}),
		)

		It("accepts, and stays unharmed by, hostile labels and annotations", func() {
			pr := portRequest(ns, "annotated", "+14155560013")
			pr.Labels = map[string]string{"team": strings.Repeat("a", 63)}
			pr.Annotations = map[string]string{
				"example.com/note":  "line one\nline two\x1b[31m red \x00 nul \u202e",
				"example.com/large": strings.Repeat("x", 200<<10),
			}
			Expect(k8s.Create(ctx, pr)).To(Succeed())
			pn := phoneNumber(ns, "annotated-a", "+14155560013", "annotated")
			pn.Annotations = map[string]string{"example.com/note": "\x00\x1b[2J"}
			Expect(k8s.Create(ctx, pn)).To(Succeed())

			h.stepUntil(time.Second, 3*time.Minute, func(g Gomega) {
				g.Expect(phase(g, "annotated")).To(Equal(portingv1alpha1.PortRequestCompleted))
				g.Expect(getPN(ctx, g, ns, "annotated-a").Status.Phase).
					To(Equal(portingv1alpha1.PhoneNumberActive))
			})
			Expect(logs.String()).NotTo(ContainSubstring(strings.Repeat("x", 1024)),
				"the annotation is not logged")
			expectStillReconciling()
		})
	})

	It("leaves Argo CD's spec, labels and annotations alone through a whole port", func() {
		h.startManagerWith(ns, managerOptions{fieldManager: operatorFieldManager})
		number := "+14155560701"
		pr := portRequest(ns, "gitops", number)
		pn := phoneNumber(ns, "gitops-a", number, "gitops")
		pn.Spec.DeletionPolicy = portingv1alpha1.DeletionPolicyRelease
		appliedPR := argoApply(ctx, ns, "PortRequest", "gitops", pr.Spec)
		appliedPN := argoApply(ctx, ns, "PhoneNumber", "gitops-a", pn.Spec)

		h.stepUntil(time.Second, 4*time.Minute, func(g Gomega) {
			g.Expect(phase(g, "gitops")).To(Equal(portingv1alpha1.PortRequestCompleted))
			pn := getPN(ctx, g, ns, "gitops-a")
			g.Expect(pn.Status.Phase).To(Equal(portingv1alpha1.PhoneNumberActive))
			g.Expect(pn.Status.Messaging).NotTo(BeNil())
			g.Expect(pn.Status.Messaging.State).To(Equal(portingv1alpha1.MessagingReady))
		})

		for kind, applied := range map[string]*unstructured.Unstructured{
			"PortRequest": appliedPR, "PhoneNumber": appliedPN,
		} {
			live := &unstructured.Unstructured{}
			live.SetGroupVersionKind(applied.GroupVersionKind())
			Expect(k8s.Get(ctx, client.ObjectKeyFromObject(applied), live)).To(Succeed())

			Expect(toJSON(live.Object["spec"])).To(Equal(toJSON(applied.Object["spec"])),
				"the %s spec is the one applied", kind)
			Expect(live.GetLabels()).To(Equal(applied.GetLabels()), kind)
			Expect(live.GetAnnotations()).To(Equal(applied.GetAnnotations()), kind)
			Expect(live.GetFinalizers()).NotTo(BeEmpty(), "the operator added its finalizer")

			var operatorEntries int
			for _, entry := range live.GetManagedFields() {
				if entry.Manager == argoFieldManager {
					Expect(entry.Operation).To(Equal(metav1.ManagedFieldsOperationApply))
					continue
				}
				Expect(entry.Manager).To(Equal(operatorFieldManager), "%s: %v", kind, entry)
				operatorEntries++
				for _, path := range fieldPaths(entry.FieldsV1) {
					Expect(path).To(Or(HavePrefix("f:status"),
						HavePrefix("f:metadata.f:finalizers")),
						"%s: the operator owns only status and finalizers", kind)
				}
			}
			Expect(operatorEntries).To(BeNumerically(">=", 2), kind)
		}

		events := &corev1.EventList{}
		Expect(k8s.List(ctx, events, client.InNamespace(ns))).To(Succeed())
		Expect(events.Items).NotTo(BeEmpty())
		for _, e := range events.Items {
			Expect(e.Labels).NotTo(HaveKey(argoInstance), e.Name)
			Expect(e.Annotations).NotTo(HaveKey(argoTrackingID), e.Name)
		}
	})
})

// secretValues returns secret values in the forms they can leak in: as
// they are, and base64-encoded as in a Secret's data (without padding, so
// that the value is found inside a longer encoding too).
func secretValues(values ...string) []string {
	out := make([]string, 0, 2*len(values))
	for _, v := range values {
		out = append(out, v, strings.TrimRight(base64.StdEncoding.EncodeToString([]byte(v)), "="))
	}
	return out
}

// maxVerbosity returns the highest verbosity among JSON log lines.
func maxVerbosity(log string) int {
	GinkgoHelper()
	highest := 0
	for line := range strings.Lines(log) {
		var entry struct {
			Level string `json:"level"`
		}
		Expect(json.Unmarshal([]byte(line), &entry)).To(Succeed(), line)
		v := 0
		switch {
		case entry.Level == "debug":
			v = 1
		case strings.HasPrefix(entry.Level, "Level(-"):
			_, err := fmt.Sscanf(entry.Level, "Level(-%d)", &v)
			Expect(err).NotTo(HaveOccurred(), entry.Level)
		}
		highest = max(highest, v)
	}
	return highest
}

// runVerbosePort runs one port with the distinctive documents to its end
// and returns its number.
func runVerbosePort(ctx context.Context, h *harness, ns string) string {
	GinkgoHelper()
	createDocuments(ctx, ns)
	number := "+12125560601"
	pr := portRequest(ns, "verbose", number)
	pr.Spec.Documents = hygieneDocuments()
	Expect(k8s.Create(ctx, pr)).To(Succeed())
	Expect(k8s.Create(ctx, phoneNumber(ns, "verbose-a", number, "verbose"))).To(Succeed())
	h.stepUntil(time.Second, 3*time.Minute, func(g Gomega) {
		g.Expect(getPR(ctx, g, ns, "verbose").Status.Phase).
			To(Equal(portingv1alpha1.PortRequestCompleted))
		g.Expect(getPN(ctx, g, ns, "verbose-a").Status.Phase).
			To(Equal(portingv1alpha1.PhoneNumberActive))
	})
	return number
}

// firstLineWith returns the first line of log that holds s, cut to a
// readable length, or "" when none does.
func firstLineWith(log, s string) string {
	for line := range strings.Lines(log) {
		if i := strings.Index(line, s); i >= 0 {
			return line[:min(len(line), 300)] + " … " + line[max(0, i-100):min(len(line), i+100)]
		}
	}
	return ""
}

// createDocuments creates the Secret of the distinctive documents that
// hygieneDocuments references.
func createDocuments(ctx context.Context, ns string) {
	GinkgoHelper()
	Expect(k8s.Create(ctx, &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "hygiene-documents"},
		StringData: map[string]string{
			"loa.pdf": testLOA, "invoice.pdf": testInvoice, "csr.pdf": testCSR,
		},
	})).To(Succeed())
}

// hygieneDocuments references the distinctive documents.
func hygieneDocuments() portingv1alpha1.Documents {
	return portingv1alpha1.Documents{
		LetterOfAuthorization: portingv1alpha1.SecretKeyReference{
			Name: "hygiene-documents", Key: "loa.pdf"},
		Invoice: portingv1alpha1.Invoice{
			SecretRef: portingv1alpha1.SecretKeyReference{
				Name: "hygiene-documents", Key: "invoice.pdf"},
			IssueDate: start.AddDate(0, 0, -1).Format(time.DateOnly),
		},
		CustomerServiceRecord: &portingv1alpha1.SecretKeyReference{
			Name: "hygiene-documents", Key: "csr.pdf"},
	}
}

// objectTexts renders what the operator writes in a namespace, by object:
// the status and metadata of every PortRequest and PhoneNumber, and every
// Event. Specs are left out: the account number is a spec field by design.
func objectTexts(ctx context.Context, ns string) map[string]string {
	GinkgoHelper()
	out := map[string]string{}
	prs := &portingv1alpha1.PortRequestList{}
	Expect(k8s.List(ctx, prs, client.InNamespace(ns))).To(Succeed())
	for _, pr := range prs.Items {
		out["PortRequest "+pr.Name] = toJSON(pr.Status) + toJSON(pr.ObjectMeta)
	}
	pns := &portingv1alpha1.PhoneNumberList{}
	Expect(k8s.List(ctx, pns, client.InNamespace(ns))).To(Succeed())
	for _, pn := range pns.Items {
		out["PhoneNumber "+pn.Name] = toJSON(pn.Status) + toJSON(pn.ObjectMeta)
	}
	events := &corev1.EventList{}
	Expect(k8s.List(ctx, events, client.InNamespace(ns))).To(Succeed())
	Expect(events.Items).NotTo(BeEmpty())
	for _, e := range events.Items {
		out["Event "+e.Name] = toJSON(e)
	}
	return out
}

// namedResource matches the path of a request for one object by name.
var namedResource = regexp.MustCompile(`^/api/v1/namespaces/[^/]+/[a-z]+/[^/]+$`)

// expectDirectGETs checks that every request the manager made for a kind of
// resource was a GET of one object by name: no list, no watch, no write.
func expectDirectGETs(requests *requestLog, resource string, someExpected bool) {
	GinkgoHelper()
	made := requests.matching(resource)
	if someExpected {
		Expect(made).NotTo(BeEmpty(), "the manager read %s", resource)
	}
	for _, r := range made {
		Expect(r.method).To(Equal("GET"), "%s %s", r.method, r.path)
		Expect(r.watch).To(BeFalse(), "%s %s", r.method, r.path)
		Expect(r.path).To(MatchRegexp(namedResource.String()), "a GET by name")
	}
}

// readYAML reads a manifest of config/rbac into out.
func readYAML(file string, out any) {
	GinkgoHelper()
	path := filepath.Join("..", "..", "..", "config", "rbac", file)
	data, err := os.ReadFile(path)
	Expect(err).NotTo(HaveOccurred(), "%s is generated by `make manifests` from the "+
		"+kubebuilder:rbac markers of the controllers", path)
	Expect(yaml.UnmarshalStrict(data, out)).To(Succeed(), path)
}

// readClusterRole reads a ClusterRole of config/rbac.
func readClusterRole(file string) *rbacv1.ClusterRole {
	GinkgoHelper()
	role := &rbacv1.ClusterRole{}
	readYAML(file, role)
	Expect(role.Kind).To(Equal("ClusterRole"))
	return role
}

// createNumberList creates a ConfigMap holding a number list.
func createNumberList(ctx context.Context, ns, name, list string) {
	GinkgoHelper()
	Expect(k8s.Create(ctx, &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Data:       map[string]string{"numbers.txt": list},
	})).To(Succeed())
}

// numbersFrom reads a PortRequest's numbers from a ConfigMap made by
// createNumberList.
func numbersFrom(configMap string) *portingv1alpha1.NumbersSource {
	return &portingv1alpha1.NumbersSource{
		ConfigMapKeyRef: portingv1alpha1.ConfigMapKeyReference{
			Name: configMap, Key: "numbers.txt"},
		Format: portingv1alpha1.NumberListText,
	}
}

// argoApply applies an object as Argo CD does: server-side, as its field
// manager, with its tracking label and annotation. It returns what was
// applied.
func argoApply(ctx context.Context, ns, kind, name string,
	spec any) *unstructured.Unstructured {
	GinkgoHelper()
	specMap, err := runtime.DefaultUnstructuredConverter.ToUnstructured(ptrTo(spec))
	Expect(err).NotTo(HaveOccurred())
	obj := &unstructured.Unstructured{Object: map[string]any{"spec": specMap}}
	obj.SetGroupVersionKind(schema.GroupVersionKind{
		Group: portingv1alpha1.GroupVersion.Group, Version: portingv1alpha1.GroupVersion.Version,
		Kind: kind,
	})
	obj.SetNamespace(ns)
	obj.SetName(name)
	obj.SetLabels(map[string]string{argoInstance: "numberport-ports"})
	obj.SetAnnotations(map[string]string{argoTrackingID: fmt.Sprintf(
		"numberport-ports:%s/%s:%s/%s", portingv1alpha1.GroupVersion.Group, kind, ns, name)})
	data, err := json.Marshal(obj.Object)
	Expect(err).NotTo(HaveOccurred())

	target := &unstructured.Unstructured{}
	target.SetGroupVersionKind(obj.GroupVersionKind())
	target.SetNamespace(ns)
	target.SetName(name)
	Expect(k8s.Patch(ctx, target, client.RawPatch(types.ApplyPatchType, data),
		client.FieldOwner(argoFieldManager), client.ForceOwnership)).To(Succeed())
	return obj
}

// ptrTo returns a pointer to a copy of a spec, which the unstructured
// converter needs.
func ptrTo(spec any) any {
	switch s := spec.(type) {
	case portingv1alpha1.PortRequestSpec:
		return &s
	case portingv1alpha1.PhoneNumberSpec:
		return &s
	}
	Fail(fmt.Sprintf("unexpected spec %T", spec))
	return nil
}

// fieldPaths lists the leaves of a managedFields entry as dotted paths such
// as "f:status.f:phase".
func fieldPaths(fields *metav1.FieldsV1) []string {
	GinkgoHelper()
	if fields == nil {
		return nil
	}
	var tree map[string]any
	Expect(json.Unmarshal(fields.GetRawBytes(), &tree)).To(Succeed())
	var out []string
	var walk func(prefix string, node map[string]any)
	walk = func(prefix string, node map[string]any) {
		for key, child := range node {
			path := key
			if prefix != "" {
				path = prefix + "." + key
			}
			if sub, ok := child.(map[string]any); ok && len(sub) > 0 {
				walk(path, sub)
				continue
			}
			out = append(out, path)
		}
	}
	walk("", tree)
	return out
}
