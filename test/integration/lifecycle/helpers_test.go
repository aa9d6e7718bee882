package lifecycle_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/config"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
	"github.com/numberport/numberport/internal/provider"
)

// Distinctive secret values, so that a leak into status or events is easy to
// spot.
const (
	testPIN           = "PIN-7f3a9c"
	testAccountNumber = "ACCT-4d2e8b"
)

func ctrlConfig() config.Controller {
	// Every test starts its own manager with the same controller names.
	return config.Controller{SkipNameValidation: ptr.To(true)}
}

// newNamespace creates a namespace for one test. envtest has no garbage
// collector, so namespaces are never waited on to disappear.
func newNamespace(ctx context.Context) string {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "lifecycle-"}}
	Expect(k8s.Create(ctx, ns)).To(Succeed())
	return ns.Name
}

// createSecrets creates the PIN and document Secrets a PortRequest refers to.
func createSecrets(ctx context.Context, ns string) {
	Expect(k8s.Create(ctx, &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "port-pin"},
		StringData: map[string]string{"pin": testPIN},
	})).To(Succeed())
	Expect(k8s.Create(ctx, &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "port-documents"},
		StringData: map[string]string{
			"loa.pdf":     "placeholder letter of authorization",
			"invoice.pdf": "placeholder invoice",
		},
	})).To(Succeed())
}

// portRequest returns a valid US PortRequest for the numbers, with an
// invoice issued the day before the fake clock's origin.
func portRequest(ns, name string, numbers ...string) *portingv1alpha1.PortRequest {
	return &portingv1alpha1.PortRequest{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: portingv1alpha1.PortRequestSpec{
			Numbers: numbers,
			LosingCarrier: portingv1alpha1.LosingCarrier{
				Name:          "Example Telco",
				AccountNumber: testAccountNumber,
				PINSecretRef: &portingv1alpha1.SecretKeyReference{
					Name: "port-pin", Key: "pin",
				},
			},
			Subscriber: portingv1alpha1.Subscriber{
				Name:             "Example Dental LLC",
				AuthorizedPerson: "Jordan Smith",
				ServiceAddress: portingv1alpha1.ServiceAddress{
					Street: "100 Market Street", City: "San Francisco", Region: "CA",
					PostalCode: "94105", Country: portingv1alpha1.CountryUS,
				},
			},
			Documents: portingv1alpha1.Documents{
				LetterOfAuthorization: portingv1alpha1.SecretKeyReference{
					Name: "port-documents", Key: "loa.pdf",
				},
				Invoice: portingv1alpha1.Invoice{
					SecretRef: portingv1alpha1.SecretKeyReference{
						Name: "port-documents", Key: "invoice.pdf",
					},
					IssueDate: start.AddDate(0, 0, -1).Format(time.DateOnly),
				},
			},
		},
	}
}

// phoneNumber returns a PhoneNumber brought in by the named PortRequest.
func phoneNumber(ns, name, number, portRequest string) *portingv1alpha1.PhoneNumber {
	return &portingv1alpha1.PhoneNumber{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: portingv1alpha1.PhoneNumberSpec{
			Number:         number,
			PortRequestRef: &portingv1alpha1.LocalObjectReference{Name: portRequest},
			CallFlow:       "main-reception",
			Messaging:      &portingv1alpha1.Messaging{Enabled: true},
		},
	}
}

// stepUntil moves the fake clock forward by step, pausing between steps so
// that the controllers handle each instant, until check passes or limit of
// simulated time has gone by.
func (h *harness) stepUntil(step, limit time.Duration, check func(Gomega)) {
	GinkgoHelper()
	deadline := h.clock.Now().Add(limit)
	Eventually(func(g Gomega) {
		if h.clock.Now().After(deadline) {
			StopTrying(fmt.Sprintf("not met within %s of simulated time", limit)).Now()
		}
		h.clock.Step(step)
		check(g)
	}).WithTimeout(90 * time.Second).WithPolling(120 * time.Millisecond).Should(Succeed())
}

// settle checks that something holds for a while of real time, with the
// clock standing still.
func settle(check func(Gomega)) {
	GinkgoHelper()
	Consistently(check).WithTimeout(time.Second).WithPolling(100 * time.Millisecond).
		Should(Succeed())
}

func getPR(ctx context.Context, g Gomega, ns, name string) *portingv1alpha1.PortRequest {
	pr := &portingv1alpha1.PortRequest{}
	g.Expect(k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, pr)).To(Succeed())
	return pr
}

func getPN(ctx context.Context, g Gomega, ns, name string) *portingv1alpha1.PhoneNumber {
	pn := &portingv1alpha1.PhoneNumber{}
	g.Expect(k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, pn)).To(Succeed())
	return pn
}

// condition returns a condition of the list, or an empty one.
func condition(conds []metav1.Condition, condType string) metav1.Condition {
	for _, c := range conds {
		if c.Type == condType {
			return c
		}
	}
	return metav1.Condition{}
}

// eventReasons lists the reasons of the Events about an object.
func eventReasons(ctx context.Context, g Gomega, ns, name string) []string {
	list := &eventsv1.EventList{}
	g.Expect(k8s.List(ctx, list, client.InNamespace(ns))).To(Succeed())
	var reasons []string
	for _, e := range list.Items {
		if e.Regarding.Name == name {
			reasons = append(reasons, e.Reason)
		}
	}
	return reasons
}

// crashingPorting passes calls through to the simulator, except that the
// first call of the chosen operation stops the manager, as a crash would at
// that point: the call's effect at the provider is kept, but the controller
// never sees its result.
type crashingPorting struct {
	provider.Porting
	// at is "find" (before the order exists) or "submit" (after the
	// provider created it).
	at    string
	crash func()
	once  sync.Once
}

func (c *crashingPorting) crashed(ctx context.Context, op string) bool {
	if op != c.at {
		return false
	}
	fired := false
	c.once.Do(func() {
		fired = true
		go c.crash()
	})
	if fired {
		<-ctx.Done()
	}
	return fired
}

func (c *crashingPorting) FindOrder(ctx context.Context, key string) (provider.Order, error) {
	if c.crashed(ctx, "find") {
		return provider.Order{}, ctx.Err()
	}
	return c.Porting.FindOrder(ctx, key)
}

func (c *crashingPorting) SubmitOrder(ctx context.Context,
	req provider.OrderRequest) (provider.Order, error) {
	order, err := c.Porting.SubmitOrder(ctx, req)
	if c.crashed(ctx, "submit") {
		return provider.Order{}, ctx.Err()
	}
	return order, err
}

func toJSON(v any) string {
	GinkgoHelper()
	data, err := json.Marshal(v)
	Expect(err).NotTo(HaveOccurred())
	return string(data)
}
