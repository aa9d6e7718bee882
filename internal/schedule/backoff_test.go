package schedule

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestBackoffBounds(t *testing.T) {
	tests := []struct {
		attempt  int
		hint     time.Duration
		min, max time.Duration
	}{
		{0, 0, 500 * time.Millisecond, time.Second},
		{1, 0, 500 * time.Millisecond, time.Second},
		{2, 0, time.Second, 2 * time.Second},
		{4, 0, 4 * time.Second, 8 * time.Second},
		{9, 0, 128 * time.Second, 256 * time.Second},
		{10, 0, 150 * time.Second, 5 * time.Minute},
		{1000, 0, 150 * time.Second, 5 * time.Minute},
		{1, 30 * time.Second, 30 * time.Second, 33 * time.Second},
		{4, time.Second, 4 * time.Second, 8 * time.Second},
		{1, 10 * time.Hour, time.Hour, 66 * time.Minute},
		{1, -time.Second, 500 * time.Millisecond, time.Second},
	}
	src := rand.NewPCG(7, 11)
	for _, tt := range tests {
		for range 200 {
			got := BackoffPolicy{}.Delay(tt.attempt, tt.hint, src)
			if got < tt.min || got > tt.max {
				t.Fatalf("Delay(%d, %s) = %s, want within [%s, %s]", tt.attempt, tt.hint, got,
					tt.min, tt.max)
			}
		}
		if got := Backoff(tt.attempt, tt.hint); got < tt.min || got > tt.max {
			t.Errorf("Backoff(%d, %s) = %s, want within [%s, %s]", tt.attempt, tt.hint, got,
				tt.min, tt.max)
		}
	}
}

func TestBackoffIsReproducibleWithASeed(t *testing.T) {
	policy := BackoffPolicy{Base: 2 * time.Second, Cap: time.Minute}
	run := func() []time.Duration {
		src := rand.NewPCG(42, 42)
		var ds []time.Duration
		for attempt := 1; attempt <= 8; attempt++ {
			ds = append(ds, policy.Delay(attempt, 0, src))
		}
		return ds
	}
	first, second := run(), run()
	for i := range first {
		if first[i] != second[i] {
			t.Fatalf("attempt %d: %s then %s with the same seed", i+1, first[i], second[i])
		}
	}
	if last := first[len(first)-1]; last < 30*time.Second || last > time.Minute {
		t.Errorf("capped delay %s outside [30s, 1m]", last)
	}
}
