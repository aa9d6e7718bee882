package simulator

import (
	"flag"
	"fmt"
	"time"
)

// Config holds the durations of the simulated timeline. Every instant the
// simulator reports is derived from these durations and the clock, so the
// same calls at the same instants always give the same answers.
type Config struct {
	// ReviewDelay is how long the losing carrier takes to review an order
	// after it is submitted or corrected.
	ReviewDelay time.Duration
	// PortDelay is the span from confirmation to the port date. A requested
	// port date later than that is honoured instead.
	PortDelay time.Duration
	// MessagingDelay is how long after the port the messaging route reaches
	// the platform.
	MessagingDelay time.Duration
	// DelayedMessagingDelay replaces MessagingDelay for numbers whose
	// scenario holds texting back.
	DelayedMessagingDelay time.Duration
	// CancellationDeadline is how long after a rejection the provider waits
	// for a correction before it cancels the order. Zero gives no deadline:
	// the order waits for a correction for ever.
	CancellationDeadline time.Duration
	// CancelCutoff is how close to the port date a cancellation is still
	// accepted; within it the provider refuses.
	CancelCutoff time.Duration
	// CancelDelay is how long a cancellation stays pending. Zero cancels at
	// once.
	CancelDelay time.Duration
	// OutageDuration is how long the provider is unavailable for an order
	// whose numbers select the outage scenario, counted from the first call
	// that mentions such a number.
	OutageDuration time.Duration
	// OutageRetryAfter is the longest retry hint an unavailable provider
	// gives; the hint is shorter when the outage ends sooner.
	OutageRetryAfter time.Duration
}

// Compressed returns the timeline for demos and end-to-end tests: a port
// completes about 80 seconds after submission.
func Compressed() Config {
	return Config{
		ReviewDelay:           20 * time.Second,
		PortDelay:             60 * time.Second,
		MessagingDelay:        10 * time.Second,
		DelayedMessagingDelay: 10 * time.Minute,
		CancellationDeadline:  5 * time.Minute,
		CancelCutoff:          15 * time.Second,
		CancelDelay:           5 * time.Second,
		OutageDuration:        30 * time.Second,
		OutageRetryAfter:      5 * time.Second,
	}
}

// Realistic returns a timeline shaped like real ports: review in days, a
// port date five weeks after submission, fourteen days to correct a
// rejection and no cancellation within 48 hours of the port date.
func Realistic() Config {
	const day = 24 * time.Hour
	return Config{
		ReviewDelay:           3 * day,
		PortDelay:             32 * day,
		MessagingDelay:        4 * time.Hour,
		DelayedMessagingDelay: 14 * day,
		CancellationDeadline:  14 * day,
		CancelCutoff:          48 * time.Hour,
		CancelDelay:           2 * time.Hour,
		OutageDuration:        30 * time.Minute,
		OutageRetryAfter:      5 * time.Minute,
	}
}

// DefaultConfig returns the timeline the manager uses unless told
// otherwise, the compressed one.
func DefaultConfig() Config {
	return Compressed()
}

// timelines names the presets accepted by the --simulator-timeline flag.
var timelines = map[string]func() Config{
	"compressed": Compressed,
	"realistic":  Realistic,
}

// durationField describes one Config duration and the flag that sets it.
type durationField struct {
	flag  string
	usage string
	ptr   func(*Config) *time.Duration
}

// durationFields lists every duration of Config once, so that flags,
// validation and presets cannot drift apart.
var durationFields = []durationField{
	{"simulator-review-delay", "time the losing carrier takes to review an order",
		func(c *Config) *time.Duration { return &c.ReviewDelay }},
	{"simulator-port-delay", "time from confirmation to the port date",
		func(c *Config) *time.Duration { return &c.PortDelay }},
	{"simulator-messaging-delay", "time from the port until texting works",
		func(c *Config) *time.Duration { return &c.MessagingDelay }},
	{"simulator-delayed-messaging-delay",
		"time from the port until texting works when the scenario delays it",
		func(c *Config) *time.Duration { return &c.DelayedMessagingDelay }},
	{"simulator-cancellation-deadline", "time after a rejection before the provider cancels",
		func(c *Config) *time.Duration { return &c.CancellationDeadline }},
	{"simulator-cancel-cutoff", "time before the port date within which cancelling is refused",
		func(c *Config) *time.Duration { return &c.CancelCutoff }},
	{"simulator-cancel-delay", "time a cancellation stays pending (0 cancels at once)",
		func(c *Config) *time.Duration { return &c.CancelDelay }},
	{"simulator-outage-duration", "length of the outage scenario",
		func(c *Config) *time.Duration { return &c.OutageDuration }},
	{"simulator-outage-retry-after", "longest retry hint given during an outage",
		func(c *Config) *time.Duration { return &c.OutageRetryAfter }},
}

// Validate reports the first duration that is negative.
func (c Config) Validate() error {
	for _, f := range durationFields {
		if d := *f.ptr(&c); d < 0 {
			return fmt.Errorf("--%s must not be negative, got %s", f.flag, d)
		}
	}
	return nil
}

// RegisterFlags binds c to flags on fs: --simulator-timeline picks a preset
// and one flag per duration overrides it. Flags given explicitly win over
// the preset whatever their order on the command line. The defaults shown
// are c's values when RegisterFlags is called.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	explicit := map[string]bool{}
	for _, f := range durationFields {
		v := &explicitDuration{d: f.ptr(c), set: func() { explicit[f.flag] = true }}
		fs.Var(v, f.flag, f.usage)
	}
	fs.Func("simulator-timeline", "simulator timeline preset: compressed or realistic",
		func(name string) error { return c.applyTimeline(name, explicit) })
}

// applyTimeline copies a preset's durations into c, except those set by
// their own flags.
func (c *Config) applyTimeline(name string, explicit map[string]bool) error {
	preset, ok := timelines[name]
	if !ok {
		return fmt.Errorf("unknown timeline %q: want compressed or realistic", name)
	}
	p := preset()
	for _, f := range durationFields {
		if !explicit[f.flag] {
			*f.ptr(c) = *f.ptr(&p)
		}
	}
	return nil
}

// explicitDuration is a flag.Value for a duration that remembers it was
// set, so that a preset applied later does not overwrite it.
type explicitDuration struct {
	d   *time.Duration
	set func()
}

// String implements flag.Value.
func (v *explicitDuration) String() string {
	if v == nil || v.d == nil {
		return ""
	}
	return v.d.String()
}

// Set implements flag.Value.
func (v *explicitDuration) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*v.d = d
	v.set()
	return nil
}
