package plugin

import (
	"fmt"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
)

// phoneNumber writes the status of a PhoneNumber.
func (p *printer) phoneNumber(v *phoneNumberView) {
	pn := v.PhoneNumber
	p.fields(p.phoneNumberHeader(v))
	p.conditions(pn.Status.Conditions)
	p.timeline(p.phoneNumberTimeline(v))
	p.events(v.Events, v.EventsErr, false)
	p.nextStep(p.phoneNumberNextStep(v))
}

func (p *printer) phoneNumberHeader(v *phoneNumberView) []field {
	pn := v.PhoneNumber
	s := &pn.Status
	fs := []field{
		{"Name", pn.Name},
		{"Namespace", pn.Namespace},
		{"Kind", kindPhoneNumber},
		{"Number", pn.Spec.Number},
		{"Phase", orNone(string(s.Phase))},
		{"Age", p.age(pn.CreationTimestamp.Time)},
		{"Port request", portRequestText(v)},
	}
	if st := orderState(v); st != "" {
		fs = append(fs, field{"Order state", st})
	}
	fs = append(fs,
		field{"Port date", p.numberPortDate(v)},
		field{"Call flow", callFlowText(pn)},
		field{"Activated", p.activatedText(pn)},
		field{"Messaging", p.messagingDetail(pn)},
	)
	if r := s.Routing; r != nil {
		fs = append(fs, field{"Routing", fmt.Sprintf("%s since %s", r.RoutedTo,
			p.when(r.Since.Time))})
	}
	fs = append(fs, field{"Deletion policy", deletionPolicy(pn)})
	if t := pn.DeletionTimestamp; t != nil {
		fs = append(fs, field{"Deleting", "since " + p.when(t.Time)})
	}
	return fs
}

// portRequestText names the PortRequest that brings the number in, and
// says so when it is absent.
func portRequestText(v *phoneNumberView) string {
	ref := v.PhoneNumber.Spec.PortRequestRef
	switch {
	case ref == nil:
		return none + " (the number is already on the platform)"
	case v.PortRequestMissing:
		return ref.Name + " (not found in this namespace)"
	case v.PortRequestErr != nil:
		return ref.Name + " (cannot be read: " + v.PortRequestErr.Error() + ")"
	}
	return ref.Name + " (" + orNone(string(v.PortRequest.Status.Phase)) + ")"
}

// orderState is the state of the number within its order, with the reason
// the order gives for it.
func orderState(v *phoneNumberView) string {
	if v.PortRequest == nil {
		return ""
	}
	for _, n := range v.PortRequest.Status.Numbers {
		if n.Number != v.PhoneNumber.Spec.Number {
			continue
		}
		if n.Reason != "" {
			return string(n.State) + ": " + n.Reason
		}
		return string(n.State)
	}
	return ""
}

// numberPortDate is the port date the PhoneNumber recorded or, before it
// has one, its order's.
func (p *printer) numberPortDate(v *phoneNumberView) string {
	if t := v.PhoneNumber.Status.PortDate; t != nil {
		return p.when(t.Time)
	}
	if pr := v.PortRequest; pr != nil {
		return p.portDateText(&pr.Status)
	}
	if v.PhoneNumber.Spec.PortRequestRef == nil {
		return "-"
	}
	return "not confirmed"
}

func callFlowText(pn *portingv1alpha1.PhoneNumber) string {
	want, have := pn.Spec.CallFlow, pn.Status.StagedCallFlow
	switch {
	case want == "":
		return none + " (spec.callFlow is not set)"
	case have == "":
		return want + " (not configured on the platform yet)"
	case have != want:
		return want + " (the platform still has " + have + ")"
	case pn.Status.ActivatedAt != nil:
		return want + " (live)"
	}
	return want + " (staged, inactive)"
}

func (p *printer) activatedText(pn *portingv1alpha1.PhoneNumber) string {
	t := pn.Status.ActivatedAt
	if t == nil {
		return "-"
	}
	return p.when(t.Time) + ", " + triggerText(pn.Status.ActivationTrigger)
}

func (p *printer) messagingDetail(pn *portingv1alpha1.PhoneNumber) string {
	m := pn.Status.Messaging
	switch {
	case pn.Spec.Messaging == nil || !pn.Spec.Messaging.Enabled:
		return "off"
	case m == nil:
		return "enabled, follows once the number is active"
	case m.ReadyAt != nil:
		return string(m.State) + " since " + p.when(m.ReadyAt.Time)
	case m.ExpectedBy != nil:
		return string(m.State) + ", expected by " + p.when(m.ExpectedBy.Time)
	}
	return string(m.State)
}

func deletionPolicy(pn *portingv1alpha1.PhoneNumber) string {
	if pn.Spec.DeletionPolicy == "" {
		return string(portingv1alpha1.DeletionPolicyRetain) + " (default)"
	}
	return string(pn.Spec.DeletionPolicy)
}
