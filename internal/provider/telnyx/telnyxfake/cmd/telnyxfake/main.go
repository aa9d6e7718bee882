// Command telnyxfake serves the local fake of the Telnyx API on a loopback
// address, with orders moving on their own, so that the manager can run end
// to end with --provider=telnyx --telnyx-base-url pointing at it.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/numberport/numberport/internal/provider/telnyx/telnyxfake"
)

func main() {
	var (
		opts telnyxfake.Options
		tl   telnyxfake.Timeline
	)
	flag.StringVar(&opts.Addr, "addr", "127.0.0.1:9555", "Loopback address to listen on.")
	flag.StringVar(&opts.APIKey, "api-key", "test-api-key", "Bearer token the fake accepts.")
	flag.StringVar(&opts.PlatformSPID, "platform-spid", "9990",
		"SPID that lookups report for numbers ported through the fake.")
	flag.DurationVar(&tl.Review, "review", 30*time.Second,
		"Time from submission to the losing carrier's review.")
	flag.DurationVar(&tl.Confirm, "confirm", 30*time.Second,
		"Time from review to the confirmed port date.")
	flag.DurationVar(&tl.PortAfter, "port-after", 5*time.Minute,
		"Time from submission to the port date, unless a later date was requested.")
	flag.StringVar(&tl.RejectPIN, "reject-pin", "0000",
		"PIN that the losing carrier rejects with PASSCODE_PIN_INVALID.")
	flag.Parse()
	opts.Autopilot = &tl

	fake, err := telnyxfake.Start(opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "telnyxfake:", err)
		os.Exit(2)
	}
	defer fake.Close()
	fmt.Printf("Fake Telnyx API at %s (API key %q)\n", fake.URL, opts.APIKey)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
}
