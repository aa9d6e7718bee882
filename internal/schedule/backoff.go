package schedule

import (
	"math/rand/v2"
	"time"
)

// BackoffPolicy bounds the retries of transient provider errors. The zero
// BackoffPolicy, and any zero field of one, means the default.
type BackoffPolicy struct {
	// Base is the longest delay before the first retry; 1 s by default.
	Base time.Duration
	// Cap bounds the exponential growth; 5 min by default.
	Cap time.Duration
	// MaxHint is the longest provider retry hint honoured, so that a
	// malformed hint cannot park an object for days; 1 h by default.
	MaxHint time.Duration
}

const (
	defaultBackoffBase = time.Second
	defaultBackoffCap  = 5 * time.Minute
	defaultMaxHint     = time.Hour
)

func (b BackoffPolicy) withDefaults() BackoffPolicy {
	if b.Base <= 0 {
		b.Base = defaultBackoffBase
	}
	if b.Cap <= 0 {
		b.Cap = defaultBackoffCap
	}
	if b.MaxHint <= 0 {
		b.MaxHint = defaultMaxHint
	}
	return b
}

// Backoff returns how long to wait before retrying a call that failed with
// a transient error, with the default policy and a shared random source; see
// BackoffPolicy.Delay.
func Backoff(attempt int, hint time.Duration) time.Duration {
	return BackoffPolicy{}.Delay(attempt, hint, nil)
}

// Delay returns how long to wait before retry number attempt, counted from
// 1 for the first retry, after a transient error that carried the provider's
// retry hint (zero when none).
//
// The ceiling doubles from Base with every attempt up to Cap, and the delay
// is drawn between half the ceiling and the ceiling: the jitter keeps objects
// that failed together from retrying together, and the lower half-bound
// keeps retries from ever coming back almost at once. A hint longer than that
// wins, because the provider knows when it will answer again; it is spread
// up to a tenth past the hint for the same reason as the jitter.
//
// Random numbers come from src, or from a shared source when src is nil; a
// seeded src makes the delays reproducible. A src is not safe for concurrent
// use.
func (b BackoffPolicy) Delay(attempt int, hint time.Duration, src rand.Source) time.Duration {
	b = b.withDefaults()

	ceiling := b.ceiling(attempt)
	delay := ceiling/2 + jitter(ceiling-ceiling/2, src)

	if hint = min(hint, b.MaxHint); hint > delay {
		delay = hint + jitter(hint/10, src)
	}
	return delay
}

// ceiling doubles Base attempt-1 times, stopping at Cap before it could
// overflow.
func (b BackoffPolicy) ceiling(attempt int) time.Duration {
	d := b.Base
	for i := 1; i < attempt && d < b.Cap; i++ {
		d *= 2
	}
	return min(d, b.Cap)
}

// jitter returns a uniformly random duration in [0, n].
func jitter(n time.Duration, src rand.Source) time.Duration {
	if n <= 0 {
		return 0
	}
	if src == nil {
		return rand.N(n + 1)
	}
	return time.Duration(rand.New(src).Int64N(int64(n) + 1))
}
