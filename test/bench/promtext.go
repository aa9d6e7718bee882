package main

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// sample is one line of the Prometheus text format.
type sample struct {
	name   string
	labels map[string]string
	value  float64
}

// scrape is every sample the manager served at one instant.
type scrape struct {
	at      time.Time
	samples []sample
}

// scrapeMetrics reads the manager's metrics endpoint. The text format is
// simple enough to read here, which keeps the harness to the modules the
// operator already requires directly.
func scrapeMetrics(ctx context.Context, url string) (*scrape, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("scraping the manager's metrics: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("scraping the manager's metrics: %s", resp.Status)
	}
	s := &scrape{at: time.Now()}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if smp, ok := parseSample(sc.Text()); ok {
			s.samples = append(s.samples, smp)
		}
	}
	return s, sc.Err()
}

// parseSample reads `name{a="b",c="d"} value`; comments and blank lines are
// not samples.
func parseSample(line string) (sample, bool) {
	if line == "" || line[0] == '#' {
		return sample{}, false
	}
	smp := sample{labels: map[string]string{}}
	var rest string
	if i := strings.IndexByte(line, '{'); i >= 0 {
		j := strings.LastIndexByte(line, '}')
		if j < i {
			return sample{}, false
		}
		smp.name = line[:i]
		parseLabels(line[i+1:j], smp.labels)
		rest = strings.TrimSpace(line[j+1:])
	} else {
		name, value, ok := strings.Cut(line, " ")
		if !ok {
			return sample{}, false
		}
		smp.name, rest = name, strings.TrimSpace(value)
	}
	if f := strings.Fields(rest); len(f) > 0 {
		v, err := strconv.ParseFloat(f[0], 64)
		if err != nil {
			return sample{}, false
		}
		smp.value = v
		return smp, true
	}
	return sample{}, false
}

// parseLabels reads a="b",c="d"; the values the manager serves hold no
// escaped quotes.
func parseLabels(s string, into map[string]string) {
	for s != "" {
		key, rest, ok := strings.Cut(s, `="`)
		if !ok {
			return
		}
		value, after, _ := strings.Cut(rest, `"`)
		into[strings.TrimSpace(key)] = value
		s = strings.TrimPrefix(after, ",")
	}
}

// sum adds the samples of name whose labels include every pair of match.
func (s *scrape) sum(name string, match map[string]string) float64 {
	if s == nil {
		return 0
	}
	var total float64
	for _, smp := range s.samples {
		if smp.name == name && matches(smp.labels, match) {
			total += smp.value
		}
	}
	return total
}

func matches(labels, match map[string]string) bool {
	for k, v := range match {
		if labels[k] != v {
			return false
		}
	}
	return true
}

// byLabel sums the samples of name by the value of one label.
func (s *scrape) byLabel(name, label string) map[string]float64 {
	out := map[string]float64{}
	for _, smp := range s.samples {
		if smp.name == name {
			out[smp.labels[label]] += smp.value
		}
	}
	return out
}

// bucket is one cumulative histogram bucket.
type bucket struct {
	le    float64
	count float64
}

// histogram returns the cumulative buckets of a histogram, summed over every
// label set, sorted by bound.
func (s *scrape) histogram(name string) []bucket {
	byLE := map[float64]float64{}
	for _, smp := range s.samples {
		if smp.name != name+"_bucket" {
			continue
		}
		le, err := strconv.ParseFloat(smp.labels["le"], 64)
		if err != nil {
			continue
		}
		byLE[le] += smp.value
	}
	out := make([]bucket, 0, len(byLE))
	for le, c := range byLE {
		out = append(out, bucket{le, c})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].le < out[j].le })
	return out
}

// histogramDelta returns the buckets of after minus those of before, the
// observations made between two scrapes.
func histogramDelta(before, after *scrape, name string) []bucket {
	b := map[float64]float64{}
	if before != nil {
		for _, bk := range before.histogram(name) {
			b[bk.le] = bk.count
		}
	}
	out := after.histogram(name)
	for i := range out {
		out[i].count -= b[out[i].le]
	}
	return out
}

// quantile returns the upper bound of the bucket that holds the
// q-quantile: with the coarse buckets of a latency histogram, interpolating
// inside a bucket as histogram_quantile does invents a precision the data
// does not have, so the harness reports "at most this". It returns NaN
// without observations, and +Inf when the quantile lies above the highest
// finite bound.
func quantile(q float64, buckets []bucket) float64 {
	if len(buckets) == 0 || buckets[len(buckets)-1].count <= 0 {
		return math.NaN()
	}
	rank := q * buckets[len(buckets)-1].count
	for _, b := range buckets {
		if b.count >= rank {
			return b.le
		}
	}
	return math.Inf(1)
}
