package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// report is everything one run measured; it is written as JSON.
type report struct {
	Started  string          `json:"started"`
	Seconds  float64         `json:"seconds"`
	Machine  machine         `json:"machine"`
	Options  map[string]any  `json:"options"`
	Baseline *baselineResult `json:"baseline,omitempty"`
	Storm    *stormResult    `json:"storm,omitempty"`
	Single   *singleResult   `json:"single,omitempty"`
	Idle     *idleResult     `json:"idle,omitempty"`
	Memory   *memoryResult   `json:"memory,omitempty"`
	Cold     *coldResult     `json:"coldStart,omitempty"`
	Probe    *probeResult    `json:"probe,omitempty"`
	Table    []row           `json:"table"`
	Errors   []string        `json:"errors,omitempty"`
}

// machine says what the figures were measured on: absolute times mean
// little without it.
type machine struct {
	Cores       int    `json:"cores"`
	MemoryBytes int64  `json:"memoryBytes"`
	CPU         string `json:"cpu"`
	GoVersion   string `json:"goVersion"`
	Kernel      string `json:"kernel"`
}

func describeMachine() machine {
	m := machine{Cores: runtime.NumCPU(), GoVersion: runtime.Version()}
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "MemTotal:" {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				m.MemoryBytes = kb * 1024
			}
		}
	}
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if data, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(data))
	}
	return m
}

// row is one line of the printed table.
type row struct {
	Section string `json:"section"`
	Figure  string `json:"figure"`
	Value   string `json:"value"`
	// Ratio is the figure against the baseline measured in the same run.
	Ratio  string `json:"ratio,omitempty"`
	Target string `json:"target,omitempty"`
	// Met is "yes", "no" or empty when there is no target.
	Met string `json:"met,omitempty"`
}

func (b *bench) add(r row) { b.rows = append(b.rows, r) }

func (b *bench) printTable(w io.Writer) {
	m := b.rep.Machine
	fmt.Fprintf(w, "\nnumberport bench, %s: %d cores, %.1f GiB, %s, %s\n\n", b.rep.Started,
		m.Cores, float64(m.MemoryBytes)/(1<<30), m.CPU, m.GoVersion)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SECTION\tFIGURE\tVALUE\tVS BASELINE\tTARGET\tMET")
	for _, r := range b.rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Section, r.Figure, r.Value, r.Ratio,
			r.Target, r.Met)
	}
	_ = tw.Flush()
	for _, e := range b.rep.Errors {
		fmt.Fprintln(w, "error:", e)
	}
}

// dist summarises a distribution of durations, in seconds.
type dist struct {
	Count int     `json:"count"`
	P50   float64 `json:"p50"`
	P95   float64 `json:"p95"`
	P99   float64 `json:"p99"`
	Max   float64 `json:"max"`
	Mean  float64 `json:"mean"`
}

// distOf summarises values with nearest-rank percentiles.
func distOf(values []float64) dist {
	if len(values) == 0 {
		return dist{}
	}
	v := slices.Clone(values)
	slices.Sort(v)
	var sum float64
	for _, x := range v {
		sum += x
	}
	rank := func(q float64) float64 {
		i := int(math.Ceil(q*float64(len(v)))) - 1
		return v[max(0, min(i, len(v)-1))]
	}
	return dist{Count: len(v), P50: rank(0.50), P95: rank(0.95), P99: rank(0.99),
		Max: v[len(v)-1], Mean: sum / float64(len(v))}
}

// histDist summarises histogram buckets; Max is the upper bound of the
// highest bucket with observations.
func histDist(buckets []bucket) dist {
	d := dist{P50: quantile(0.5, buckets), P95: quantile(0.95, buckets),
		P99: quantile(0.99, buckets)}
	if len(buckets) > 0 {
		d.Count = int(buckets[len(buckets)-1].count)
	}
	prev := 0.0
	for _, bk := range buckets {
		if bk.count > prev {
			d.Max = bk.le
		}
		prev = bk.count
	}
	return d
}

func secs(s float64) string {
	switch {
	case math.IsNaN(s):
		return "n/a"
	case math.IsInf(s, 1):
		return "+Inf"
	case s < 1:
		return fmt.Sprintf("%.0f ms", s*1000)
	case s < 120:
		return fmt.Sprintf("%.2f s", s)
	default:
		return time.Duration(s * float64(time.Second)).Round(time.Second).String()
	}
}

func mib(bytes float64) string { return fmt.Sprintf("%.1f MiB", bytes/(1<<20)) }

func ratio(v, base float64) string {
	if base <= 0 || math.IsNaN(v) {
		return ""
	}
	return fmt.Sprintf("%.2fx", v/base)
}

func met(ok bool) string {
	if ok {
		return "yes"
	}
	return "no"
}

func distString(d dist) string {
	return fmt.Sprintf("p50 %s, p95 %s, p99 %s, max %s (n=%d)", secs(d.P50), secs(d.P95),
		secs(d.P99), secs(d.Max), d.Count)
}

// writesByMethod returns the manager's write requests between two scrapes,
// by HTTP method.
func writesByMethod(before, after *scrape) map[string]float64 {
	out := map[string]float64{}
	a := after.byLabel("rest_client_requests_total", "method")
	var bm map[string]float64
	if before != nil {
		bm = before.byLabel("rest_client_requests_total", "method")
	}
	for _, method := range []string{"POST", "PUT", "PATCH", "DELETE"} {
		if d := a[method] - bm[method]; d != 0 {
			out[method] = d
		}
	}
	return out
}

func total(m map[string]float64) float64 {
	var t float64
	for _, v := range m {
		t += v
	}
	return t
}

// reconcilesByController returns reconciles between two scrapes.
func reconcilesByController(before, after *scrape) map[string]float64 {
	out := map[string]float64{}
	a := after.byLabel("controller_runtime_reconcile_total", "controller")
	var bm map[string]float64
	if before != nil {
		bm = before.byLabel("controller_runtime_reconcile_total", "controller")
	}
	for k, v := range a {
		out[k] = v - bm[k]
	}
	return out
}

func formatCounts(m map[string]float64) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %.0f", k, m[k]))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// conflicts returns the manager's requests answered 409 Conflict between
// two scrapes.
func conflicts(before, after *scrape) float64 {
	c := map[string]string{"code": "409"}
	return after.sum("rest_client_requests_total", c) - before.sum("rest_client_requests_total", c)
}
