package schedule

import (
	"errors"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Reservations not claimed this long after they fell due belong to callers
// that went away, such as a deleted PhoneNumber, and are dropped.
const (
	staleReservation = 5 * time.Minute
	sweepEvery       = time.Minute
)

// RateLimiter shares a lookup budget, in lookups per second, between all
// numbers. It never blocks: Take says how long a caller must wait, so that
// a controller can requeue the object instead of holding a worker.
//
// A caller that must wait is given a reserved slot, not a hint to try again:
// when probes of many numbers fall due together, as they do for the numbers
// of one order, each gets its own slot in order instead of all retrying at
// once and most of them failing again. RateLimiter is safe for concurrent
// use.
type RateLimiter struct {
	mu      sync.Mutex
	limiter *rate.Limiter
	// slots maps a caller's key to the time its reserved lookup may run.
	slots     map[string]time.Time
	lastSweep time.Time
}

// NewRateLimiter returns a limiter that allows perSecond lookups on average
// and up to burst at once.
func NewRateLimiter(perSecond float64, burst int) (*RateLimiter, error) {
	if perSecond <= 0 || burst < 1 {
		return nil, errors.New("lookup rate limit needs a positive rate and a burst of at least 1")
	}
	return &RateLimiter{
		limiter: rate.NewLimiter(rate.Limit(perSecond), burst),
		slots:   make(map[string]time.Time),
	}, nil
}

// Take asks for one lookup for key, usually the number, at now. Zero means
// the lookup may run now. A positive duration means a slot was reserved for
// key that far ahead: the caller should come back after it, and Take then
// returns zero without spending another token. Asking again before the slot
// returns the time left.
func (l *RateLimiter) Take(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()

	l.sweep(now)
	if slot, ok := l.slots[key]; ok {
		if now.Before(slot) {
			return slot.Sub(now)
		}
		delete(l.slots, key)
		return 0
	}

	wait := l.limiter.ReserveN(now, 1).DelayFrom(now)
	if wait > 0 {
		l.slots[key] = now.Add(wait)
	}
	return wait
}

// sweep drops stale reservations, at most once per sweepEvery so that the
// cost stays flat however many numbers wait.
func (l *RateLimiter) sweep(now time.Time) {
	if now.Sub(l.lastSweep) < sweepEvery {
		return
	}
	l.lastSweep = now
	for key, slot := range l.slots {
		if now.Sub(slot) > staleReservation {
			delete(l.slots, key)
		}
	}
}
