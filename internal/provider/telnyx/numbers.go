package telnyx

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/numberport/numberport/internal/provider"
)

// CallFlowTagPrefix starts the Telnyx tag that names a number's call flow,
// as "numberport-call-flow:<E.164 number>:<call flow>". Telnyx attaches a
// connection to a number but knows nothing of call flows: the platform
// behind the connection reads the tag of the number it is called on. The
// number is part of the tag because tags set on a porting order reach every
// number of the order.
const CallFlowTagPrefix = "numberport-call-flow:"

// activationRetry is how soon Activate asks to be retried while the port
// has not yet put the number on the Telnyx account.
const activationRetry = 30 * time.Second

// CallFlowTag returns the tag that gives number its call flow.
func CallFlowTag(number, callFlow string) string {
	return CallFlowTagPrefix + number + ":" + callFlow
}

// StageCallFlow implements provider.Numbers. A number already on the Telnyx
// account gets the call flow tag and keeps its connection, so a number that
// is not live stays so. A number still being ported has no record on the
// account yet: the tag and the platform's connection go on its porting
// order instead, and Telnyx applies them when the number arrives.
func (a *Adapter) StageCallFlow(ctx context.Context, number, callFlow string) error {
	const op = "stage call flow"
	if strings.TrimSpace(callFlow) == "" {
		return invalid(op, "a call flow name is required")
	}
	pn, found, err := a.findNumber(ctx, op, number)
	if err != nil {
		return err
	}
	if found {
		return a.updateNumber(ctx, op, pn, pn.ConnectionID,
			numberTags(pn.Tags, number, callFlow))
	}
	o, found, err := a.orderHolding(ctx, op, number)
	if err != nil {
		return err
	}
	if !found {
		return &provider.Error{Code: provider.CodeNotFound, Op: op, Message: fmt.Sprintf(
			"number %s is neither on the Telnyx account nor in a live porting order",
			masked(number))}
	}
	return a.stageOnOrder(ctx, op, o, number, callFlow)
}

// stageOnOrder records a call flow on the porting order that brings the
// number in.
func (a *Adapter) stageOnOrder(ctx context.Context, op string, o portingOrder,
	number, callFlow string) error {
	update := updateOrderRequest{PhoneNumberConfiguration: &numberConfigUpdate{
		ConnectionID:       a.cfg.ConnectionID,
		MessagingProfileID: a.cfg.MessagingProfileID,
		Tags:               withCallFlow(o.PhoneNumberConfiguration.Tags, number, callFlow),
	}}
	err := a.do(ctx, call{op: op, method: http.MethodPatch,
		path: ordersPath + "/" + url.PathEscape(o.ID), body: update, idempotent: true}, nil)
	if provider.HasCode(err, provider.CodeInvalidRequest) {
		return invalid(op, fmt.Sprintf("Telnyx refused to record the call flow of number %s "+
			"on porting order %s: %s", masked(number), o.ID, messageOf(err)))
	}
	return err
}

// Activate implements provider.Numbers: it attaches the platform's
// connection to the number, which is what makes Telnyx route its calls to
// the platform, and keeps only the number's own call flow tag. Until the
// port puts the number on the account the error is transient.
func (a *Adapter) Activate(ctx context.Context, number string) error {
	const op = "activate"
	if a.cfg.ConnectionID == "" {
		return invalid(op, "no Telnyx connection is configured (--telnyx-connection-id): "+
			"there is nothing to route the number's calls to")
	}
	pn, found, err := a.findNumber(ctx, op, number)
	if err != nil {
		return err
	}
	if !found {
		return a.notYetArrived(ctx, op, number)
	}
	tags, err := a.ownTags(ctx, op, pn, number)
	if err != nil {
		return err
	}
	if pn.ConnectionID != nil && *pn.ConnectionID == a.cfg.ConnectionID &&
		slices.Equal(tags, pn.Tags) {
		return nil
	}
	conn := a.cfg.ConnectionID
	return a.updateNumber(ctx, op, pn, &conn, tags)
}

// notYetArrived explains why a number cannot be activated yet.
func (a *Adapter) notYetArrived(ctx context.Context, op, number string) error {
	o, found, err := a.orderHolding(ctx, op, number)
	if err != nil {
		return err
	}
	if !found {
		return &provider.Error{Code: provider.CodeNotFound, Op: op, Message: fmt.Sprintf(
			"number %s is neither on the Telnyx account nor in a live porting order",
			masked(number))}
	}
	return &provider.Error{Code: provider.CodeUnavailable, Op: op, RetryAfter: activationRetry,
		Message: fmt.Sprintf("number %s is not on the Telnyx account yet: porting order %s "+
			"is %s", masked(number), o.ID, o.Status.Value)}
}

// ownTags returns the number's tags with only its own call flow tag. A
// number that arrived through a porting order carries the tags of every
// number of the order; when it carries none of its own, its order's tag is
// looked up.
func (a *Adapter) ownTags(ctx context.Context, op string, pn phoneNumber, number string) (
	[]string, error) {
	if flow, ok := callFlowOf(pn.Tags, number); ok {
		return numberTags(pn.Tags, number, flow), nil
	}
	o, found, err := a.orderHolding(ctx, op, number)
	if err != nil || !found {
		return withoutCallFlows(pn.Tags), err
	}
	if flow, ok := callFlowOf(o.PhoneNumberConfiguration.Tags, number); ok {
		return numberTags(pn.Tags, number, flow), nil
	}
	return withoutCallFlows(pn.Tags), nil
}

// Release implements provider.Numbers by deleting the number from the Telnyx
// account. It does not cancel a porting order that still holds the number.
func (a *Adapter) Release(ctx context.Context, number string) error {
	const op = "release"
	pn, found, err := a.findNumber(ctx, op, number)
	if err != nil || !found {
		return err
	}
	err = a.do(ctx, call{op: op, method: http.MethodDelete,
		path: "/phone_numbers/" + url.PathEscape(pn.ID), idempotent: true}, nil)
	switch {
	case provider.IsNotFound(err):
		return nil
	case provider.HasCode(err, provider.CodeInvalidRequest):
		return invalid(op, fmt.Sprintf("Telnyx refused to delete number %s, for example "+
			"because its deletion lock is on: %s", masked(number), messageOf(err)))
	}
	return err
}

// findNumber returns the record of a number on the Telnyx account.
func (a *Adapter) findNumber(ctx context.Context, op, number string) (phoneNumber, bool, error) {
	q := url.Values{}
	q.Set("filter[phone_number]", number)
	var list phoneNumberList
	err := a.do(ctx, call{op: op, method: http.MethodGet, path: "/phone_numbers", query: q,
		idempotent: true}, &list)
	if err != nil {
		return phoneNumber{}, false, err
	}
	for _, pn := range list.Data {
		if pn.PhoneNumber == number && pn.Status != "deleted" {
			return pn, true, nil
		}
	}
	return phoneNumber{}, false, nil
}

// orderHolding returns the live porting order that holds number, the newest
// when several do.
func (a *Adapter) orderHolding(ctx context.Context, op, number string) (
	portingOrder, bool, error) {
	q := url.Values{}
	q.Set("filter[phone_numbers.phone_number][contains]", number)
	q.Set("page[size]", "50")
	var list orderList
	err := a.do(ctx, call{op: op, method: http.MethodGet, path: ordersPath, query: q,
		idempotent: true}, &list)
	if err != nil {
		return portingOrder{}, false, err
	}
	sortOrders(list.Data)
	for i := len(list.Data) - 1; i >= 0; i-- {
		o := list.Data[i]
		if alive(o) && o.Status.Value != statusPorted && holds(o, number) {
			return o, true, nil
		}
	}
	return portingOrder{}, false, nil
}

// holds reports whether an order lists number; an order that embeds only
// some of its numbers is trusted to match the filter.
func holds(o portingOrder, number string) bool {
	if len(o.PhoneNumbers) < o.PortingPhoneNumbersCount {
		return true
	}
	return slices.ContainsFunc(o.PhoneNumbers, func(n portingNumber) bool {
		return n.PhoneNumber == number
	})
}

// updateNumber writes the connection and tags of a number.
func (a *Adapter) updateNumber(ctx context.Context, op string, pn phoneNumber,
	connectionID *string, tags []string) error {
	err := a.do(ctx, call{op: op, method: http.MethodPatch,
		path: "/phone_numbers/" + url.PathEscape(pn.ID), idempotent: true,
		body: phoneNumberUpdate{ConnectionID: connectionID, Tags: tags}}, nil)
	return err
}

// withCallFlow returns the tags of a porting order with the call flow tag of
// number set to callFlow; the other numbers' tags stay.
func withCallFlow(tags []string, number, callFlow string) []string {
	own := CallFlowTagPrefix + number + ":"
	out := make([]string, 0, len(tags)+1)
	for _, t := range tags {
		if !strings.HasPrefix(t, own) {
			out = append(out, t)
		}
	}
	return append(out, CallFlowTag(number, callFlow))
}

// numberTags returns the tags of one number's record: its own call flow tag
// and none of the other numbers' that came with its porting order.
func numberTags(tags []string, number, callFlow string) []string {
	return append(withoutCallFlows(tags), CallFlowTag(number, callFlow))
}

// withoutCallFlows drops every call flow tag.
func withoutCallFlows(tags []string) []string {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		if !strings.HasPrefix(t, CallFlowTagPrefix) {
			out = append(out, t)
		}
	}
	return out
}

// callFlowOf reads the call flow of number from tags.
func callFlowOf(tags []string, number string) (string, bool) {
	own := CallFlowTagPrefix + number + ":"
	for _, t := range tags {
		if flow, ok := strings.CutPrefix(t, own); ok && flow != "" {
			return flow, true
		}
	}
	return "", false
}
