package plugin

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// printer writes one report. Every relative time is counted from now, and
// absolute times are shown in loc, so that a test with a fixed clock and
// zone gets the same output every time.
type printer struct {
	w   io.Writer
	now time.Time
	loc *time.Location
}

// none stands for a value that is not set, as in kubectl describe.
const none = "<none>"

// timeLayout shows instants to the second: activation is timed to the
// second, and a port date at 15:00:30 must not read as 15:00.
const timeLayout = "2006-01-02 15:04:05 MST"

// at formats an absolute instant.
func (p *printer) at(t time.Time) string {
	return t.In(p.loc).Format(timeLayout)
}

// date formats the calendar day of an instant.
func (p *printer) date(t time.Time) string {
	return t.In(p.loc).Format(time.DateOnly)
}

// when formats an instant and its distance from now, such as
// "2027-03-12 15:00:00 UTC (in 12d 3h)".
func (p *printer) when(t time.Time) string {
	return p.at(t) + " (" + p.relative(t) + ")"
}

// relative formats the distance from now to t: "in 12d 3h", "3h ago" or
// "now".
func (p *printer) relative(t time.Time) string {
	d := t.Sub(p.now)
	switch {
	case d >= time.Second:
		return "in " + span(d)
	case d <= -time.Second:
		return span(-d) + " ago"
	}
	return "now"
}

// age is how long ago t was, as in the AGE column of kubectl.
func (p *printer) age(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	d := p.now.Sub(t)
	if d < 0 {
		d = 0
	}
	return span(d)
}

// span formats a duration in its two largest units, such as "12d 3h",
// "3h 5m", "45m" or "30s". Two units are precise enough to act on and short
// enough for a table column.
func span(d time.Duration) string {
	d = d.Truncate(time.Second)
	const day = 24 * time.Hour
	days, d := d/day, d%day
	hours, d := d/time.Hour, d%time.Hour
	minutes, d := d/time.Minute, d%time.Minute
	seconds := d / time.Second
	switch {
	case days > 0:
		return units(days, "d", hours, "h")
	case hours > 0:
		return units(hours, "h", minutes, "m")
	case minutes > 0:
		return units(minutes, "m", seconds, "s")
	}
	return fmt.Sprintf("%ds", seconds)
}

func units(major time.Duration, majorUnit string, minor time.Duration, minorUnit string) string {
	if minor == 0 {
		return fmt.Sprintf("%d%s", major, majorUnit)
	}
	return fmt.Sprintf("%d%s %d%s", major, majorUnit, minor, minorUnit)
}

// timeOf returns the instant of an optional time, zero when unset.
func timeOf(t *metav1.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.Time
}

// clean makes a value from the cluster safe to print in a table: tabs and
// line breaks would break the columns, and control or invisible formatting
// characters written into a message could rewrite the user's terminal.
func clean(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteRune(' ')
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// orNone returns s, or <none> when it is empty.
func orNone(s string) string {
	if s == "" {
		return none
	}
	return s
}

// field is one "Label: value" line of a report's header.
type field struct {
	label string
	value string
}

// fields writes aligned "Label: value" lines.
func (p *printer) fields(fs []field) {
	tw := tabwriter.NewWriter(p.w, 0, 8, 1, ' ', 0)
	for _, f := range fs {
		fmt.Fprintf(tw, "%s:\t%s\n", f.label, clean(f.value))
	}
	_ = tw.Flush()
}

// section starts a titled block of the report.
func (p *printer) section(title string) {
	fmt.Fprintf(p.w, "\n%s:\n", title)
}

// emptySection writes a block that has nothing to show, on one line.
func (p *printer) emptySection(title, why string) {
	fmt.Fprintf(p.w, "\n%s:  %s\n", title, clean(why))
}

// line writes one indented line inside a section.
func (p *printer) line(format string, args ...any) {
	fmt.Fprintf(p.w, "%s%s\n", indent, clean(fmt.Sprintf(format, args...)))
}

// table writes an indented table with a header row. The last column may be
// long (messages, notes); it is never padded.
func (p *printer) table(header []string, rows [][]string) {
	p.rows(indent, append([][]string{header}, rows...))
}

// indent sets the blocks of a report off from their titles.
const indent = "  "

// rows writes aligned rows after a prefix. Every row has every cell, so that
// tabwriter aligns each column over all rows; the padding an empty last
// cell leaves behind is trimmed.
func (p *printer) rows(prefix string, rows [][]string) {
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 8, 3, ' ', 0)
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = clean(c)
		}
		fmt.Fprintf(tw, "%s%s\n", prefix, strings.Join(cells, "\t"))
	}
	_ = tw.Flush()
	for _, line := range strings.SplitAfter(buf.String(), "\n") {
		if line != "" {
			fmt.Fprintln(p.w, strings.TrimRight(line, " \n"))
		}
	}
}

// sentence ends a message taken from the cluster with a full stop, so that
// it reads as the sentence it is printed as.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasSuffix(s, ".") {
		return s
	}
	return s + "."
}

// listOf joins items for a sentence: "a", "a and b", "a, b and c", and for
// long lists the first three and how many more.
func listOf(items []string) string {
	const shown = 3
	if len(items) > shown+1 {
		return strings.Join(items[:shown], ", ") + fmt.Sprintf(" and %d more",
			len(items)-shown)
	}
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
