package plugin

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
)

// list writes the ports in flight, soonest port date first. An order without
// a confirmed date sorts by the start of its estimated window, and one with
// neither comes last.
func (p *printer) list(ports []portingv1alpha1.PortRequest, ns, selector string) {
	if len(ports) == 0 {
		where := "any namespace"
		if ns != "" {
			where = "namespace " + ns
		}
		if selector != "" {
			where += " with labels matching " + selector
		}
		fmt.Fprintf(p.w, "No ports in flight in %s.\n", clean(where))
		return
	}
	sortByPortDate(ports)
	rows := make([][]string, 0, len(ports)+1)
	rows = append(rows, []string{"NAMESPACE", "NAME", "PHASE", "NUMBERS", "PORT DATE", "DAYS",
		"ACTION"})
	for i := range ports {
		rows = append(rows, p.listRow(&ports[i]))
	}
	p.rows("", rows)
}

// expectedDate is the confirmed port date or the start of the estimated
// window, and whether it is only an estimate.
func expectedDate(pr *portingv1alpha1.PortRequest) (time.Time, bool) {
	if t := pr.Status.PortDate; t != nil {
		return t.Time, false
	}
	if w := pr.Status.EstimatedPortWindow; w != nil {
		return w.Earliest.Time, true
	}
	return time.Time{}, false
}

func sortByPortDate(ports []portingv1alpha1.PortRequest) {
	sort.SliceStable(ports, func(i, j int) bool {
		a, _ := expectedDate(&ports[i])
		b, _ := expectedDate(&ports[j])
		if !a.Equal(b) {
			if a.IsZero() || b.IsZero() {
				return b.IsZero()
			}
			return a.Before(b)
		}
		if ports[i].Namespace != ports[j].Namespace {
			return ports[i].Namespace < ports[j].Namespace
		}
		return ports[i].Name < ports[j].Name
	})
}

func (p *printer) listRow(pr *portingv1alpha1.PortRequest) []string {
	date, days := "-", "-"
	if t, estimated := expectedDate(pr); !t.IsZero() {
		date = t.In(p.loc).Format("2006-01-02 15:04 MST")
		days = strconv.Itoa(int(t.Sub(p.now) / (24 * time.Hour)))
		if estimated {
			date, days = "~"+p.date(t), "~"+days
		}
	}
	count := "-"
	if n := numberTotal(pr); n > 0 {
		count = strconv.Itoa(n)
	}
	return []string{pr.Namespace, pr.Name, orNone(string(pr.Status.Phase)), count, date, days,
		p.action(pr)}
}

// action is the reason a person must act on a port, with the time left
// before a rejected order is cancelled.
func (p *printer) action(pr *portingv1alpha1.PortRequest) string {
	c := stalled(pr.Status.Conditions)
	if c == nil {
		return ""
	}
	if rej := pr.Status.Rejection; rej != nil && rej.CancellationDeadline != nil {
		return c.Reason + " (deadline " + p.relative(rej.CancellationDeadline.Time) + ")"
	}
	return c.Reason
}
