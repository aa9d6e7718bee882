package plugin

import (
	"strings"
	"testing"
	"time"
)

func TestSpan(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"},
		{999 * time.Millisecond, "0s"},
		{45 * time.Second, "45s"},
		{90 * time.Second, "1m 30s"},
		{45 * time.Minute, "45m"},
		{3*time.Hour + 5*time.Minute + 59*time.Second, "3h 5m"},
		{24 * time.Hour, "1d"},
		{12*day + 3*time.Hour + 59*time.Minute, "12d 3h"},
		{400 * day, "400d"},
	}
	for _, tt := range tests {
		if got := span(tt.d); got != tt.want {
			t.Errorf("span(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestRelative(t *testing.T) {
	p := &printer{now: now, loc: time.UTC}
	tests := []struct {
		t    time.Time
		want string
	}{
		{later(12*day + 3*time.Hour), "in 12d 3h"},
		{ago(3 * time.Hour), "3h ago"},
		{now.Add(500 * time.Millisecond), "now"},
	}
	for _, tt := range tests {
		if got := p.relative(tt.t); got != tt.want {
			t.Errorf("relative(%v) = %q, want %q", tt.t, got, tt.want)
		}
	}
	if got := p.when(later(2 * day)); got != "2027-03-03 12:00:00 UTC (in 2d)" {
		t.Errorf("when = %q", got)
	}
	toronto, err := time.LoadLocation("America/Toronto")
	if err == nil {
		p.loc = toronto
		if got := p.at(now); got != "2027-03-01 07:00:00 EST" {
			t.Errorf("at in Toronto = %q", got)
		}
	}
}

func TestListOf(t *testing.T) {
	tests := []struct {
		items []string
		want  string
	}{
		{nil, ""},
		{[]string{"a"}, "a"},
		{[]string{"a", "b"}, "a and b"},
		{[]string{"a", "b", "c", "d"}, "a, b, c and d"},
		{[]string{"a", "b", "c", "d", "e"}, "a, b, c and 2 more"},
	}
	for _, tt := range tests {
		if got := listOf(tt.items); got != tt.want {
			t.Errorf("listOf(%q) = %q, want %q", tt.items, got, tt.want)
		}
	}
}

func TestCleanEscapesTerminalControl(t *testing.T) {
	got := clean("ok\x1b[31mred\tand\nnext\u202e")
	want := `ok\u001b[31mred and next\u202e`
	if got != want {
		t.Errorf("clean = %q, want %q", got, want)
	}
}

func TestStatusTarget(t *testing.T) {
	tests := []struct {
		args       []string
		kind, name string
	}{
		{[]string{"portrequest", "a"}, kindPortRequest, "a"},
		{[]string{"PortRequests", "a"}, kindPortRequest, "a"},
		{[]string{"portreq/a"}, kindPortRequest, "a"},
		{[]string{"pn", "b"}, kindPhoneNumber, "b"},
		{[]string{"phonenumber/b"}, kindPhoneNumber, "b"},
	}
	for _, tt := range tests {
		kind, name, err := statusTarget(tt.args)
		if err != nil || kind != tt.kind || name != tt.name {
			t.Errorf("statusTarget(%q) = %s, %s, %v", tt.args, kind, name, err)
		}
	}
	for _, args := range [][]string{{"pn/"}, {"pn"}, {"pn", "a", "b"}, {"secret", "s"}} {
		if _, _, err := statusTarget(args); err == nil {
			t.Errorf("statusTarget(%q) accepted", args)
		}
	}
}

func TestTableTrimsPadding(t *testing.T) {
	var b strings.Builder
	p := &printer{w: &b, now: now, loc: time.UTC}
	p.table([]string{"A", "B"}, [][]string{{"long value", ""}, {"x", "y"}})
	want := "  A            B\n  long value\n  x            y\n"
	if b.String() != want {
		t.Errorf("table:\n%q\nwant\n%q", b.String(), want)
	}
}
