package e2e_test

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// The numbers pick simulator scenarios by their last four digits: 0104
// transfers early without notice, 0101 is rejected for its PIN until the PIN
// changes, and 0120 and above port normally.
var manifests = `
apiVersion: v1
kind: Secret
metadata:
  name: port-pin
stringData:
  pin: "E2E-PIN-3141"
---
apiVersion: v1
kind: Secret
metadata:
  name: port-documents
stringData:
  loa.pdf: placeholder letter of authorization
  invoice.pdf: placeholder invoice
` + portRequestYAML("completes", "+14155550120", "+14155550121") +
	phoneNumberYAML("completes-a", "+14155550120", "completes") +
	phoneNumberYAML("completes-b", "+14155550121", "completes") +
	portRequestYAML("early", "+13125550104") +
	phoneNumberYAML("early-a", "+13125550104", "early") +
	portRequestYAML("pin", "+12125550101") +
	phoneNumberYAML("pin-a", "+12125550101", "pin")

func portRequestYAML(name string, numbers ...string) string {
	return fmt.Sprintf(`---
apiVersion: porting.numberport.io/v1alpha1
kind: PortRequest
metadata:
  name: %s
spec:
  numbers: ["%s"]
  losingCarrier:
    name: Example Telco
    accountNumber: "E2E-ACCT-2718"
    pinSecretRef: {name: port-pin, key: pin}
  subscriber:
    name: Example Dental LLC
    authorizedPerson: Jordan Smith
    serviceAddress:
      street: 100 Market Street
      city: San Francisco
      region: CA
      postalCode: "94105"
      country: US
  documents:
    letterOfAuthorization: {name: port-documents, key: loa.pdf}
    invoice:
      secretRef: {name: port-documents, key: invoice.pdf}
      issueDate: "%s"
`, name, strings.Join(numbers, `", "`), time.Now().UTC().AddDate(0, 0, -2).Format(time.DateOnly))
}

func phoneNumberYAML(name, number, portRequest string) string {
	return fmt.Sprintf(`---
apiVersion: porting.numberport.io/v1alpha1
kind: PhoneNumber
metadata:
  name: %s
spec:
  number: "%s"
  portRequestRef: {name: %s}
  callFlow: main-reception
  messaging: {enabled: true}
`, name, number, portRequest)
}

var _ = Describe("The manager", func() {
	It("ports numbers, catches an early transfer and takes a fixed PIN", func() {
		ns := newNamespace("simulator")
		manager := startManager(ns, "--provider=simulator")
		_, err := kubectl(manifests, "-n", ns, "apply", "-f", "-")
		Expect(err).NotTo(HaveOccurred())

		By("reporting the PIN rejection and the field to fix")
		Eventually(func(g Gomega) {
			g.Expect(jsonpath(g, ns, "portrequest/pin", "{.status.phase}")).
				To(Equal("ActionRequired"))
			g.Expect(jsonpath(g, ns, "portrequest/pin",
				`{.status.conditions[?(@.type=="Stalled")].reason}`)).To(Equal("InvalidPIN"))
		}).WithTimeout(2 * time.Minute).WithPolling(time.Second).Should(Succeed())

		By("sending a correction once the PIN Secret is updated")
		_, err = kubectl("", "-n", ns, "patch", "secret", "port-pin", "--type=merge",
			"-p", `{"stringData":{"pin":"E2E-PIN-2718"}}`)
		Expect(err).NotTo(HaveOccurred())

		By("activating the early transfer before its port date")
		Eventually(func(g Gomega) {
			g.Expect(jsonpath(g, ns, "phonenumber/early-a", "{.status.phase}")).
				To(Equal("Active"))
		}).WithTimeout(3 * time.Minute).WithPolling(time.Second).Should(Succeed())
		Expect(jsonpath(Default, ns, "phonenumber/early-a", "{.status.activationTrigger}")).
			To(Equal("EarlyTransfer"))
		activated := parseTime(jsonpath(Default, ns, "phonenumber/early-a",
			"{.status.activatedAt}"))
		portDate := parseTime(jsonpath(Default, ns, "portrequest/early", "{.status.portDate}"))
		Expect(activated).To(BeTemporally("<", portDate))

		By("completing every port and activating every number")
		Eventually(func(g Gomega) {
			for _, pr := range []string{"completes", "early", "pin"} {
				g.Expect(jsonpath(g, ns, "portrequest/"+pr, "{.status.phase}")).
					To(Equal("Completed"), "PortRequest %s", pr)
			}
			for _, pn := range []string{"completes-a", "completes-b", "pin-a"} {
				g.Expect(jsonpath(g, ns, "phonenumber/"+pn, "{.status.phase}")).
					To(Equal("Active"), "PhoneNumber %s", pn)
			}
		}).WithTimeout(5 * time.Minute).WithPolling(2 * time.Second).Should(Succeed())

		By("showing both kinds in kubectl get numberport")
		out, err := kubectl("", "-n", ns, "get", "numberport")
		Expect(err).NotTo(HaveOccurred())
		Expect(out).To(ContainSubstring("portrequest.porting.numberport.io/completes"))
		Expect(out).To(ContainSubstring("phonenumber.porting.numberport.io/early-a"))

		By("keeping the PIN and account number out of the manager's log")
		Expect(manager.log.String()).NotTo(ContainSubstring("E2E-PIN-"))
		Expect(manager.log.String()).NotTo(ContainSubstring("E2E-ACCT-"))
	})
})

func parseTime(s string) time.Time {
	GinkgoHelper()
	t, err := time.Parse(time.RFC3339, s)
	Expect(err).NotTo(HaveOccurred())
	return t
}

// syncBuffer is a bytes.Buffer safe for a writing process and a reading
// test.
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
