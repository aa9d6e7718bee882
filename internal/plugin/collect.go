package plugin

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	eventsv1 "k8s.io/api/events/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
)

// portRequestView is everything the status of a PortRequest is printed from.
// Related objects that cannot be read are kept as errors and printed as a
// line, so that one missing permission does not hide the rest.
type portRequestView struct {
	PortRequest *portingv1alpha1.PortRequest
	// PhoneNumbers are those whose spec.portRequestRef names the
	// PortRequest, sorted by number then name.
	PhoneNumbers    []portingv1alpha1.PhoneNumber
	PhoneNumbersErr error
	// Events regard the PortRequest or one of its PhoneNumbers, oldest
	// first.
	Events    []eventsv1.Event
	EventsErr error
}

// phoneNumberView is everything the status of a PhoneNumber is printed from.
type phoneNumberView struct {
	PhoneNumber *portingv1alpha1.PhoneNumber
	// PortRequest is the referenced PortRequest; nil when there is no
	// reference, when it does not exist (PortRequestMissing) or when it
	// cannot be read (PortRequestErr).
	PortRequest        *portingv1alpha1.PortRequest
	PortRequestMissing bool
	PortRequestErr     error
	// Events regard the PhoneNumber, oldest first.
	Events    []eventsv1.Event
	EventsErr error
}

func collectPortRequest(ctx context.Context, c reader, ns,
	name string) (*portRequestView, error) {
	pr, err := c.portRequest(ctx, ns, name)
	if err != nil {
		return nil, readError(err, kindPortRequest, ns, name)
	}
	v := &portRequestView{PortRequest: pr}
	v.PhoneNumbers, v.PhoneNumbersErr = phoneNumbersOf(ctx, c, ns, name)

	uids := map[types.UID]bool{pr.UID: true}
	for i := range v.PhoneNumbers {
		uids[v.PhoneNumbers[i].UID] = true
	}
	own, err := listEvents(ctx, c, ns, kindPortRequest, name, uids)
	if err != nil {
		v.EventsErr = err
		return v, nil
	}
	v.Events = own
	if len(v.PhoneNumbers) > 0 {
		numbers, err := listEvents(ctx, c, ns, kindPhoneNumber, "", uids)
		v.Events, v.EventsErr = append(v.Events, numbers...), err
	}
	sortEvents(v.Events)
	return v, nil
}

func collectPhoneNumber(ctx context.Context, c reader, ns,
	name string) (*phoneNumberView, error) {
	pn, err := c.phoneNumber(ctx, ns, name)
	if err != nil {
		return nil, readError(err, kindPhoneNumber, ns, name)
	}
	v := &phoneNumberView{PhoneNumber: pn}
	if ref := pn.Spec.PortRequestRef; ref != nil {
		pr, err := c.portRequest(ctx, ns, ref.Name)
		switch {
		case err == nil:
			v.PortRequest = pr
		case apierrors.IsNotFound(err):
			v.PortRequestMissing = true
		default:
			v.PortRequestErr = err
		}
	}
	v.Events, v.EventsErr = listEvents(ctx, c, ns, kindPhoneNumber, name,
		map[types.UID]bool{pn.UID: true})
	sortEvents(v.Events)
	return v, nil
}

// collectInFlight returns the PortRequests that have not reached a terminal
// phase, in one namespace or, when ns is empty, in all of them.
func collectInFlight(ctx context.Context, c reader, ns,
	selector string) ([]portingv1alpha1.PortRequest, error) {
	if selector != "" {
		sel, err := labels.Parse(selector)
		if err != nil {
			return nil, fmt.Errorf("%w: reading the label selector: %v", errUsage, err)
		}
		selector = sel.String()
	}
	all, err := c.portRequests(ctx, ns, selector)
	if err != nil {
		return nil, fmt.Errorf("listing PortRequests: %w", err)
	}
	inFlight := make([]portingv1alpha1.PortRequest, 0, len(all))
	for _, pr := range all {
		if !pr.Status.Phase.IsTerminal() {
			inFlight = append(inFlight, pr)
		}
	}
	return inFlight, nil
}

// phoneNumbersOf lists the PhoneNumbers that reference a PortRequest. The
// CRD offers no field selector on spec.portRequestRef, so the namespace's
// PhoneNumbers are filtered here.
func phoneNumbersOf(ctx context.Context, c reader, ns,
	name string) ([]portingv1alpha1.PhoneNumber, error) {
	all, err := c.phoneNumbers(ctx, ns)
	if err != nil {
		return nil, err
	}
	var out []portingv1alpha1.PhoneNumber
	for _, pn := range all {
		if ref := pn.Spec.PortRequestRef; ref != nil && ref.Name == name {
			out = append(out, pn)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Spec.Number != out[j].Spec.Number {
			return out[i].Spec.Number < out[j].Spec.Number
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// listEvents returns the Events about objects of a kind in the numberport
// group, optionally of one name, keeping only those about the given UIDs: an
// Event about an earlier object of the same name is not about this one.
func listEvents(ctx context.Context, c reader, ns, kind, name string,
	uids map[types.UID]bool) ([]eventsv1.Event, error) {
	set := fields.Set{"regarding.kind": kind}
	if name != "" {
		set["regarding.name"] = name
	}
	all, err := c.events(ctx, ns, fields.SelectorFromSet(set).String())
	if err != nil {
		return nil, err
	}
	group := portingv1alpha1.GroupVersion.Group + "/"
	var out []eventsv1.Event
	for _, e := range all {
		ref := e.Regarding
		if !strings.HasPrefix(ref.APIVersion, group) {
			continue
		}
		if ref.UID != "" && !uids[ref.UID] {
			continue
		}
		out = append(out, e)
	}
	return out, nil
}

// sortEvents orders Events by when they first happened, then by name, so
// that the output is stable.
func sortEvents(evs []eventsv1.Event) {
	sort.SliceStable(evs, func(i, j int) bool {
		ti, tj := eventFirst(&evs[i]), eventFirst(&evs[j])
		if !ti.Equal(tj) {
			return ti.Before(tj)
		}
		return evs[i].Name < evs[j].Name
	})
}

// eventFirst is when an Event first happened. Events written through the
// older core/v1 API carry only the deprecated timestamps.
func eventFirst(e *eventsv1.Event) time.Time {
	switch {
	case !e.EventTime.IsZero():
		return e.EventTime.Time
	case !e.DeprecatedFirstTimestamp.IsZero():
		return e.DeprecatedFirstTimestamp.Time
	}
	return e.CreationTimestamp.Time
}

// eventLast is when an Event last happened, for an Event seen several times.
func eventLast(e *eventsv1.Event) time.Time {
	switch {
	case e.Series != nil && !e.Series.LastObservedTime.IsZero():
		return e.Series.LastObservedTime.Time
	case !e.DeprecatedLastTimestamp.IsZero():
		return e.DeprecatedLastTimestamp.Time
	}
	return eventFirst(e)
}

// eventCount is how many times an Event was seen.
func eventCount(e *eventsv1.Event) int32 {
	switch {
	case e.Series != nil:
		return e.Series.Count
	case e.DeprecatedCount > 1:
		return e.DeprecatedCount
	}
	return 1
}

// readError explains a failure to read the object the user named.
func readError(err error, kind, ns, name string) error {
	if apierrors.IsNotFound(err) {
		return fmt.Errorf("%s %q not found in namespace %q", kind, name, ns)
	}
	return fmt.Errorf("reading %s %s/%s: %w", kind, ns, name, err)
}
