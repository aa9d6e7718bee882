package e2e_test

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/numberport/numberport/internal/provider/telnyx/telnyxfake"
)

var _ = Describe("The manager with the Telnyx adapter", func() {
	It("ports numbers through a local fake of the Telnyx API", func() {
		fake, err := telnyxfake.Start(telnyxfake.Options{
			APIKey:       "e2e-api-key",
			PlatformSPID: "9990",
			Autopilot: &telnyxfake.Timeline{
				Review:    3 * time.Second,
				Confirm:   3 * time.Second,
				PortAfter: 40 * time.Second,
				RejectPIN: "0000",
			},
		})
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(fake.Close)

		ns := newNamespace("telnyx")
		_, err = kubectl("", "-n", ns, "create", "secret", "generic", "telnyx",
			"--from-literal=api-key=e2e-api-key")
		Expect(err).NotTo(HaveOccurred())
		manager := startManager(ns, "--provider=telnyx",
			"--telnyx-base-url="+fake.URL,
			"--telnyx-api-key-secret="+ns+"/telnyx",
			"--telnyx-platform-spids=9990",
			"--telnyx-connection-id=conn-e2e")

		_, err = kubectl(manifests, "-n", ns, "apply", "-f", "-")
		Expect(err).NotTo(HaveOccurred())

		Eventually(func(g Gomega) {
			g.Expect(jsonpath(g, ns, "portrequest/completes", "{.status.orderID}")).
				NotTo(BeEmpty())
		}).WithTimeout(time.Minute).WithPolling(time.Second).Should(Succeed())

		Eventually(func(g Gomega) {
			g.Expect(jsonpath(g, ns, "portrequest/completes", "{.status.phase}")).
				To(Equal("Completed"))
			for _, pn := range []string{"completes-a", "completes-b"} {
				g.Expect(jsonpath(g, ns, "phonenumber/"+pn, "{.status.phase}")).
					To(Equal("Active"), "PhoneNumber %s", pn)
			}
		}).WithTimeout(4 * time.Minute).WithPolling(2 * time.Second).Should(Succeed())

		Expect(manager.log.String()).NotTo(ContainSubstring("e2e-api-key"))
		Expect(manager.log.String()).NotTo(ContainSubstring("E2E-PIN-"))
	})
})
