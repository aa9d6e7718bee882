package schedule

import (
	"strconv"
	"testing"
	"time"
)

func TestRateLimiterTake(t *testing.T) {
	l, err := NewRateLimiter(1, 2)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2030, time.March, 14, 12, 0, 0, 0, time.UTC)
	steps := []struct {
		key   string
		after time.Duration
		want  time.Duration
	}{
		{"a", 0, 0},
		{"b", 0, 0},
		{"c", 0, time.Second},
		{"d", 0, 2 * time.Second},
		{"c", 500 * time.Millisecond, 500 * time.Millisecond},
		{"c", time.Second, 0},
		{"d", 3 * time.Second, 0},
		{"e", 3 * time.Second, 0},
		{"f", 3 * time.Second, time.Second},
		{"a", 3 * time.Second, 2 * time.Second},
	}
	for i, s := range steps {
		if got := l.Take(s.key, t0.Add(s.after)); got != s.want {
			t.Errorf("step %d: Take(%q, +%s) = %s, want %s", i, s.key, s.after, got, s.want)
		}
	}
}

func TestRateLimiterSpreadsACrowd(t *testing.T) {
	l, err := NewRateLimiter(10, 5)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2030, time.March, 14, 12, 0, 0, 0, time.UTC)
	atOnce := 0
	seen := map[time.Duration]bool{}
	for i := range 100 {
		wait := l.Take(strconv.Itoa(i), now)
		if wait == 0 {
			atOnce++
			continue
		}
		if seen[wait] {
			t.Fatalf("two callers share the slot %s", wait)
		}
		seen[wait] = true
	}
	if atOnce != 5 || len(seen) != 95 || !seen[9500*time.Millisecond] {
		t.Errorf("%d callers went at once and %d got distinct slots up to 9.5s; want 5 and 95",
			atOnce, len(seen))
	}
}

func TestRateLimiterDropsStaleReservations(t *testing.T) {
	l, err := NewRateLimiter(1, 1)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2030, time.March, 14, 12, 0, 0, 0, time.UTC)
	l.Take("first", now)
	if l.Take("gone", now) == 0 {
		t.Fatal("the second caller was not made to wait")
	}
	l.Take("later", now.Add(10*time.Minute))
	if _, ok := l.slots["gone"]; ok {
		t.Error("a reservation unclaimed for ten minutes was kept")
	}
}

func TestNewRateLimiterRejectsNonsense(t *testing.T) {
	for _, c := range []struct {
		rate  float64
		burst int
	}{{0, 1}, {-1, 1}, {1, 0}} {
		if _, err := NewRateLimiter(c.rate, c.burst); err == nil {
			t.Errorf("NewRateLimiter(%g, %d) accepted", c.rate, c.burst)
		}
	}
}
