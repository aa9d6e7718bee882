package telnyx

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/go-logr/logr"
	"k8s.io/utils/clock"
)

// DefaultBaseURL is Telnyx's production API. Tests and local runs point
// Config.BaseURL at a fake instead.
const DefaultBaseURL = "https://api.telnyx.com/v2"

// DefaultCancelCutoff is how close to the port date Telnyx stops accepting
// cancellations through the API: its documentation says 48 hours.
const DefaultCancelCutoff = 48 * time.Hour

// Config configures the adapter. Only APIKey has no usable default.
type Config struct {
	// BaseURL is the API root, including the /v2 path.
	BaseURL string
	// APIKey authenticates every call. The manager reads it from a Secret
	// and hands over the value; the adapter never logs it.
	APIKey string
	// PlatformSPIDs are the service provider ids of the platform: a number
	// whose lookup shows one of them routes to the platform.
	PlatformSPIDs []string
	// ConnectionID is the Telnyx connection (SIP or call control
	// application) that answers the platform's numbers. Staging and
	// activating numbers need it.
	ConnectionID string
	// MessagingProfileID, when set, is attached to every porting order and
	// asks Telnyx to port and track the numbers' messaging routes.
	MessagingProfileID string
	// LookupTypes are the extra data sets a routing lookup asks for, such
	// as "carrier". The base lookup already returns the portability details
	// (LRN, SPID, carrier name, ported status) of North American numbers,
	// and every extra data set is billed on its own, so none is the default.
	LookupTypes []string
	// Timeout bounds one HTTP attempt.
	Timeout time.Duration
	// Retry bounds the retries of idempotent calls on server and network
	// errors.
	Retry RetryPolicy
	// CancelCutoff is how close to the port date a cancellation is refused
	// without asking, since Telnyx would refuse it anyway.
	CancelCutoff time.Duration
	// Clock reads the time for the cancellation cutoff; nil means the real
	// clock.
	Clock clock.PassiveClock
	// Log receives retry notices at verbosity 1. It never receives secret
	// values or full numbers.
	Log logr.Logger
}

// RetryPolicy bounds retries with exponential backoff.
type RetryPolicy struct {
	// MaxAttempts is the number of attempts including the first; 1
	// disables retries.
	MaxAttempts int
	// InitialBackoff is the wait before the second attempt; each further
	// wait doubles, up to MaxBackoff.
	InitialBackoff time.Duration
	// MaxBackoff caps one wait. A server asking, through Retry-After, to
	// wait longer than this ends the retries and the hint is returned to the
	// caller instead.
	MaxBackoff time.Duration
}

// DefaultConfig returns the production defaults, without an API key.
func DefaultConfig() Config {
	return Config{
		BaseURL: DefaultBaseURL,
		Timeout: 15 * time.Second,
		Retry: RetryPolicy{
			MaxAttempts:    3,
			InitialBackoff: 500 * time.Millisecond,
			MaxBackoff:     5 * time.Second,
		},
		CancelCutoff: DefaultCancelCutoff,
	}
}

// withDefaults fills unset fields from DefaultConfig.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.BaseURL == "" {
		c.BaseURL = d.BaseURL
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.Timeout == 0 {
		c.Timeout = d.Timeout
	}
	if c.Retry.MaxAttempts == 0 {
		c.Retry.MaxAttempts = d.Retry.MaxAttempts
	}
	if c.Retry.InitialBackoff == 0 {
		c.Retry.InitialBackoff = d.Retry.InitialBackoff
	}
	if c.Retry.MaxBackoff == 0 {
		c.Retry.MaxBackoff = d.Retry.MaxBackoff
	}
	if c.CancelCutoff == 0 {
		c.CancelCutoff = d.CancelCutoff
	}
	if c.Clock == nil {
		c.Clock = clock.RealClock{}
	}
	return c
}

// Validate reports the first setting that cannot work. It never quotes the
// API key.
func (c Config) Validate() error {
	c = c.withDefaults()
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("base URL %q is not an http(s) URL", c.BaseURL)
	}
	if strings.TrimSpace(c.APIKey) == "" {
		return errors.New("the API key is empty")
	}
	if c.Timeout < 0 || c.CancelCutoff < 0 {
		return errors.New("the HTTP timeout and cancel cutoff must not be negative")
	}
	if c.Retry.MaxAttempts < 1 || c.Retry.InitialBackoff < 0 ||
		c.Retry.MaxBackoff < c.Retry.InitialBackoff {
		return errors.New("the retry policy needs at least one attempt and a maximum " +
			"backoff no shorter than the initial one")
	}
	for _, spid := range c.PlatformSPIDs {
		if strings.TrimSpace(spid) == "" {
			return errors.New("a platform SPID is empty")
		}
	}
	return nil
}
