package main

import "testing"

// TestPhoneNumbers checks, without a cluster, that every number range the
// harness uses at full scale is valid, distinct and on the simulator's
// normal path, so that a long run does not fail at its last phase.
func TestPhoneNumbers(t *testing.T) {
	seen := map[string]bool{}
	for npa, count := range map[string]int{"617": 200, "212": 5000, "312": 1000, "415": 10000} {
		nums, err := phoneNumbers(npa, count)
		if err != nil {
			t.Fatalf("area code %s: %v", npa, err)
		}
		for _, n := range nums {
			if seen[n] {
				t.Fatalf("%s is used twice", n)
			}
			seen[n] = true
		}
	}
}

func TestQuantile(t *testing.T) {
	buckets := []bucket{{0.1, 90}, {0.5, 99}, {1, 100}}
	for _, tc := range []struct {
		q, want float64
	}{{0.5, 0.1}, {0.9, 0.1}, {0.95, 0.5}, {0.99, 0.5}, {1, 1}} {
		if got := quantile(tc.q, buckets); got != tc.want {
			t.Errorf("quantile(%v) = %v, want %v", tc.q, got, tc.want)
		}
	}
}

func TestParseSample(t *testing.T) {
	s, ok := parseSample(`rest_client_requests_total{code="200",host="127.0.0.1:6443",` +
		`method="PUT"} 42`)
	if !ok || s.name != "rest_client_requests_total" || s.labels["method"] != "PUT" ||
		s.labels["host"] != "127.0.0.1:6443" || s.value != 42 {
		t.Fatalf("parsed %+v, %v", s, ok)
	}
	if _, ok := parseSample("# HELP x y"); ok {
		t.Fatal("a comment is not a sample")
	}
}
