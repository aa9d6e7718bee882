package telnyx

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/numberport/numberport/internal/provider"
)

// ordersPath is the collection of porting orders.
const ordersPath = "/porting_orders"

// pageSize is the largest page the porting endpoints document.
const pageSize = 250

// maxPages bounds pagination, so that a server that keeps announcing more
// pages cannot hold a call forever.
const maxPages = 40

// getOrder reads one porting order.
func (a *Adapter) getOrder(ctx context.Context, op, id string) (portingOrder, error) {
	var env orderEnvelope
	err := a.do(ctx, call{op: op, method: http.MethodGet,
		path: ordersPath + "/" + url.PathEscape(id), idempotent: true}, &env)
	return env.Data, err
}

// listByReference returns every porting order whose customer reference is
// ref, oldest first.
func (a *Adapter) listByReference(ctx context.Context, op, ref string) ([]portingOrder, error) {
	var out []portingOrder
	for page := 1; page <= maxPages; page++ {
		q := url.Values{}
		q.Set("filter[customer_reference]", ref)
		q.Set("page[number]", strconv.Itoa(page))
		q.Set("page[size]", strconv.Itoa(pageSize))
		var list orderList
		err := a.do(ctx, call{op: op, method: http.MethodGet, path: ordersPath,
			query: q, idempotent: true}, &list)
		if err != nil {
			return nil, err
		}
		for _, o := range list.Data {
			// The filter is documented as a match on the reference; the
			// check keeps a looser server-side match from mixing orders.
			if o.CustomerReference == ref {
				out = append(out, o)
			}
		}
		if page >= list.Meta.TotalPages || len(list.Data) == 0 {
			break
		}
	}
	sortOrders(out)
	return out, nil
}

// readGroup returns the order orderID and every order sharing its customer
// reference, oldest first.
func (a *Adapter) readGroup(ctx context.Context, op, orderID string) ([]portingOrder, error) {
	first, err := a.getOrder(ctx, op, orderID)
	if err != nil {
		return nil, err
	}
	if first.CustomerReference == "" {
		return []portingOrder{first}, nil
	}
	orders, err := a.listByReference(ctx, op, first.CustomerReference)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(orders, func(o portingOrder) bool { return o.ID == first.ID }) {
		orders = append(orders, first)
		sortOrders(orders)
	}
	return orders, nil
}

// reread reads a group again after changing it.
func (a *Adapter) reread(ctx context.Context, op string, orders []portingOrder) (
	[]portingOrder, error) {
	if ref := orders[0].CustomerReference; ref != "" {
		if again, err := a.listByReference(ctx, op, ref); err != nil || len(again) > 0 {
			return again, err
		}
	}
	return a.readGroup(ctx, op, orders[0].ID)
}

// numbersOf returns the numbers of an order. The order embeds its first
// numbers; larger orders are paged through the porting phone numbers list.
func (a *Adapter) numbersOf(ctx context.Context, op string, o portingOrder) (
	[]portingNumber, error) {
	if len(o.PhoneNumbers) >= o.PortingPhoneNumbersCount {
		return o.PhoneNumbers, nil
	}
	var out []portingNumber
	for page := 1; page <= maxPages; page++ {
		q := url.Values{}
		q.Set("filter[porting_order_id]", o.ID)
		q.Set("page[number]", strconv.Itoa(page))
		q.Set("page[size]", strconv.Itoa(pageSize))
		var list portingNumberList
		err := a.do(ctx, call{op: op, method: http.MethodGet, path: "/porting_phone_numbers",
			query: q, idempotent: true}, &list)
		if err != nil {
			return nil, err
		}
		out = append(out, list.Data...)
		if page >= list.Meta.TotalPages || len(list.Data) == 0 {
			break
		}
	}
	return out, nil
}

// view merges a group into one provider order, reading the numbers of each.
func (a *Adapter) view(ctx context.Context, op string, orders []portingOrder) (
	provider.Order, error) {
	numbers := make(map[string][]portingNumber, len(orders))
	for _, o := range orders {
		ns, err := a.numbersOf(ctx, op, o)
		if err != nil {
			return provider.Order{}, err
		}
		numbers[o.ID] = ns
	}
	return merge(orders, numbers), nil
}

// sortOrders puts the oldest order first, so that the first order of a group
// is stable: it is the ID the operator records.
func sortOrders(orders []portingOrder) {
	slices.SortStableFunc(orders, func(x, y portingOrder) int {
		if c := x.CreatedAt.Compare(y.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(x.ID, y.ID)
	})
}

// merge turns a group of orders, oldest first, into one provider order: its
// state is the least advanced of the orders still alive and its numbers are
// theirs, concatenated.
func merge(orders []portingOrder, numbers map[string][]portingNumber) provider.Order {
	out := provider.Order{
		ID:             orders[0].ID,
		IdempotencyKey: orders[0].CustomerReference,
		State:          mergedState(orders),
		SubmittedAt:    orders[0].CreatedAt,
	}
	if out.State == provider.OrderConfirmed || out.State == provider.OrderPorted {
		out.PortDate = latestPortDate(orders)
	}
	if out.State == provider.OrderRejected {
		out.Rejection = rejectionOf(orders)
	}
	for _, o := range orders {
		out.Numbers = append(out.Numbers, numberStates(o, numbers[o.ID])...)
	}
	return out
}

// orderState maps a Telnyx status onto the provider's order states. A draft
// counts as submitted: the adapter confirms every draft it creates, and
// FindOrder reports an interrupted submission as not found so that
// SubmitOrder finishes it.
func orderState(status string) provider.OrderState {
	switch status {
	case statusException:
		return provider.OrderRejected
	case statusFOCDateConfirmed:
		return provider.OrderConfirmed
	case statusPorted:
		return provider.OrderPorted
	case statusCancelPending:
		return provider.OrderCancelPending
	case statusCancelled:
		return provider.OrderCancelled
	default:
		return provider.OrderSubmitted
	}
}

// progress orders the states of a live order: a rejected order is the
// least advanced, since it goes nowhere until corrected.
func progress(s provider.OrderState) int {
	switch s {
	case provider.OrderRejected:
		return 0
	case provider.OrderSubmitted:
		return 1
	case provider.OrderConfirmed:
		return 2
	default:
		return 3
	}
}

// alive reports whether an order has not been cancelled or asked to be.
func alive(o portingOrder) bool {
	s := orderState(o.Status.Value)
	return s != provider.OrderCancelled && s != provider.OrderCancelPending
}

// mergedState is the least advanced state of the live orders; a group with
// none left is cancel-pending while any cancellation is, cancelled after.
func mergedState(orders []portingOrder) provider.OrderState {
	least, live, pending := provider.OrderPorted, false, false
	for _, o := range orders {
		s := orderState(o.Status.Value)
		switch {
		case s == provider.OrderCancelPending:
			pending = true
		case s == provider.OrderCancelled:
		case progress(s) < progress(least):
			least, live = s, true
		default:
			live = true
		}
	}
	switch {
	case live:
		return least
	case pending:
		return provider.OrderCancelPending
	default:
		return provider.OrderCancelled
	}
}

// latestPortDate is the latest confirmed port instant of the live orders:
// the instant by which every number of the group has moved.
func latestPortDate(orders []portingOrder) time.Time {
	var latest time.Time
	for _, o := range orders {
		if !alive(o) || o.ActivationSettings.FOCDatetimeActual == nil {
			continue
		}
		if t := *o.ActivationSettings.FOCDatetimeActual; t.After(latest) {
			latest = t
		}
	}
	return latest
}

// numberStates reports the numbers of one order.
func numberStates(o portingOrder, numbers []portingNumber) []provider.NumberState {
	messaging := messagingPorted(o)
	out := make([]provider.NumberState, 0, len(numbers))
	for _, n := range numbers {
		status := n.PortingOrderStatus
		if status == "" {
			status = o.Status.Value
		}
		ns := provider.NumberState{
			Number:    n.PhoneNumber,
			State:     numberState(status),
			Reason:    numberReason(o, n, status),
			Messaging: provider.MessagingPending,
		}
		if ns.State == provider.NumberPorted && messaging(n.PhoneNumber) {
			ns.Messaging = provider.MessagingPorted
		}
		out = append(out, ns)
	}
	return out
}

func numberState(status string) provider.NumberPortState {
	switch status {
	case statusPorted:
		return provider.NumberPorted
	case statusCancelled:
		return provider.NumberCancelled
	default:
		return provider.NumberPending
	}
}

// numberReason explains a number that is not moving as expected.
func numberReason(o portingOrder, n portingNumber, status string) string {
	switch {
	case status == statusException && len(o.Status.Details) > 0:
		return "Telnyx order " + o.ID + " is in exception: " + o.Status.Details[0].Code
	case status == statusException:
		return "Telnyx order " + o.ID + " is in exception"
	case status == statusCancelled:
		return "Telnyx order " + o.ID + " was cancelled"
	case n.ActivationStatus != nil &&
		(*n.ActivationStatus == "Conflict" || *n.ActivationStatus == "Failed"):
		return "Telnyx reports activation status " + *n.ActivationStatus
	}
	return ""
}

// messagingPorted returns whether texts to a number of o reach Telnyx.
// Telnyx tracks messaging per order: only "ported" means every number's
// route moved. Outside North America messaging moves with voice, so an
// order that does not track it counts as moved there.
func messagingPorted(o portingOrder) func(number string) bool {
	status := ""
	if o.Messaging != nil {
		status = o.Messaging.MessagingPortStatus
	}
	return func(number string) bool {
		switch status {
		case messagingPortPorted:
			return true
		case "", "not_applicable":
			return !strings.HasPrefix(number, "+1")
		default:
			return false
		}
	}
}
