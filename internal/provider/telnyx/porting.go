package telnyx

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/numberport/numberport/internal/provider"
)

// CheckPortability implements provider.Porting with Telnyx's portability
// check, which answers at once.
func (a *Adapter) CheckPortability(
	ctx context.Context, numbers []string,
) ([]provider.Portability, error) {
	const op = "check portability"
	if len(numbers) == 0 {
		return nil, invalid(op, "no numbers to check")
	}
	var list portabilityList
	err := a.do(ctx, call{op: op, method: http.MethodPost, path: "/portability_checks",
		body: portabilityRequest{PhoneNumbers: numbers}, idempotent: true}, &list)
	if err != nil {
		return nil, err
	}
	results := make(map[string]portabilityResult, len(list.Data))
	for _, r := range list.Data {
		results[r.PhoneNumber] = r
	}
	out := make([]provider.Portability, 0, len(numbers))
	for _, n := range numbers {
		r, ok := results[n]
		p := provider.Portability{Number: n, Portable: ok && r.Portable}
		switch {
		case !ok:
			p.Reason = "Telnyx returned no result for this number"
		case !r.Portable:
			p.Reason = notPortableReason(r.NotPortableReason)
		}
		out = append(out, p)
	}
	return out, nil
}

// notPortableReason explains Telnyx's not_portable_reason values.
func notPortableReason(reason string) string {
	switch reason {
	case "no_coverage":
		return "Telnyx has no coverage for this number (no_coverage)"
	case "already_being_ported":
		return "the number is already in another porting order (already_being_ported)"
	case "telnyx_number":
		return "the number is already on Telnyx (telnyx_number)"
	case "invalid_phone_number", "lrn_data_not_found":
		return "Telnyx does not recognise this number (" + reason + ")"
	case "":
		return "Telnyx says the number is not portable"
	default:
		return "Telnyx says the number is not portable (" + reason + ")"
	}
}

// SubmitOrder implements provider.Porting. It looks for orders carrying the
// idempotency key as customer reference first, creates them only when there
// are none, and completes and confirms any left in draft: Telnyx may create
// several drafts from one request, and a crash may interrupt the sequence.
func (a *Adapter) SubmitOrder(
	ctx context.Context, req provider.OrderRequest,
) (provider.Order, error) {
	const op = "submit order"
	if err := checkRequest(op, req); err != nil {
		return provider.Order{}, err
	}
	orders, err := a.listByReference(ctx, op, req.IdempotencyKey)
	if err != nil {
		return provider.Order{}, err
	}
	if len(orders) == 0 {
		if orders, err = a.createOrders(ctx, op, req); err != nil {
			return provider.Order{}, err
		}
	}
	if err := a.completeDrafts(ctx, op, orders, req); err != nil {
		return provider.Order{}, err
	}
	if orders, err = a.reread(ctx, op, orders); err != nil {
		return provider.Order{}, err
	}
	return a.view(ctx, op, orders)
}

// FindOrder implements provider.Porting. A group with an order still in
// draft counts as not found: its submission was interrupted, and
// SubmitOrder, which the caller runs next, finishes it instead of creating
// another.
func (a *Adapter) FindOrder(ctx context.Context, idempotencyKey string) (provider.Order, error) {
	const op = "find order"
	if strings.TrimSpace(idempotencyKey) == "" {
		return provider.Order{}, invalid(op, "an idempotency key is required")
	}
	orders, err := a.listByReference(ctx, op, idempotencyKey)
	if err != nil {
		return provider.Order{}, err
	}
	if len(orders) == 0 {
		return provider.Order{}, &provider.Error{Code: provider.CodeNotFound, Op: op,
			Message: "no Telnyx porting order carries this idempotency key"}
	}
	if slices.ContainsFunc(orders, isDraft) {
		return provider.Order{}, &provider.Error{Code: provider.CodeNotFound, Op: op,
			Message: "an earlier submission under this key stopped before every Telnyx " +
				"order was confirmed; submitting again completes it"}
	}
	return a.view(ctx, op, orders)
}

// GetOrder implements provider.Porting. It follows every order sharing the
// customer reference of orderID, so that a split order reads as one.
func (a *Adapter) GetOrder(ctx context.Context, orderID string) (provider.Order, error) {
	const op = "get order"
	orders, err := a.readGroup(ctx, op, orderID)
	if err != nil {
		return provider.Order{}, err
	}
	return a.view(ctx, op, orders)
}

// CorrectOrder implements provider.Porting: it edits every order of the
// group that is in exception and submits it again.
func (a *Adapter) CorrectOrder(
	ctx context.Context, orderID string, req provider.OrderRequest,
) (provider.Order, error) {
	const op = "correct order"
	orders, err := a.readGroup(ctx, op, orderID)
	if err != nil {
		return provider.Order{}, err
	}
	if err := a.checkCorrection(ctx, op, orders, req); err != nil {
		return provider.Order{}, err
	}
	docs, err := a.uploadDocuments(ctx, op, req)
	if err != nil {
		return provider.Order{}, err
	}
	for _, o := range orders {
		if o.Status.Value != statusException && !isDraft(o) {
			continue
		}
		if err := a.fillAndConfirm(ctx, op, o.ID, req, docs); err != nil {
			return provider.Order{}, err
		}
	}
	if orders, err = a.reread(ctx, op, orders); err != nil {
		return provider.Order{}, err
	}
	return a.view(ctx, op, orders)
}

// checkCorrection refuses a correction of a group with nothing to correct,
// or one that changes what identifies the order.
func (a *Adapter) checkCorrection(ctx context.Context, op string, orders []portingOrder,
	req provider.OrderRequest) error {
	ref := orders[0].CustomerReference
	if req.IdempotencyKey != "" && ref != "" && req.IdempotencyKey != ref {
		return invalid(op, fmt.Sprintf("a correction cannot change the idempotency key of "+
			"order %s", orders[0].ID))
	}
	if !slices.ContainsFunc(orders, func(o portingOrder) bool {
		return o.Status.Value == statusException
	}) {
		return invalid(op, fmt.Sprintf("order %s is %s: only a rejected order can be "+
			"corrected", orders[0].ID, mergedState(orders)))
	}
	if len(req.Numbers) == 0 {
		return nil
	}
	current, err := a.view(ctx, op, orders)
	if err != nil {
		return err
	}
	if !sameNumbers(current.Numbers, req.Numbers) {
		return invalid(op, fmt.Sprintf("a correction cannot change the numbers of order %s",
			orders[0].ID))
	}
	return nil
}

// CancelOrder implements provider.Porting. Telnyx refuses cancellations
// within CancelCutoff of the port date; the adapter refuses them itself
// before cancelling any order of the group, so that a split order is not
// left half cancelled.
func (a *Adapter) CancelOrder(ctx context.Context, orderID string) (provider.Order, error) {
	const op = "cancel order"
	orders, err := a.readGroup(ctx, op, orderID)
	if err != nil {
		return provider.Order{}, err
	}
	if err := a.checkCancel(op, orders); err != nil {
		return provider.Order{}, err
	}
	for _, o := range orders {
		if err := a.cancelOne(ctx, op, o); err != nil {
			return provider.Order{}, err
		}
	}
	if orders, err = a.reread(ctx, op, orders); err != nil {
		return provider.Order{}, err
	}
	return a.view(ctx, op, orders)
}

// checkCancel refuses to cancel a group that has ported or whose port date
// is too close.
func (a *Adapter) checkCancel(op string, orders []portingOrder) error {
	switch mergedState(orders) {
	case provider.OrderCancelled, provider.OrderCancelPending:
		return nil
	case provider.OrderPorted:
		return refused(op, fmt.Sprintf("order %s is already ported", orders[0].ID))
	}
	now := a.cfg.Clock.Now()
	for _, o := range orders {
		foc := o.ActivationSettings.FOCDatetimeActual
		if !alive(o) || o.Status.Value == statusPorted || foc == nil {
			continue
		}
		if !now.Before(foc.Add(-a.cfg.CancelCutoff)) {
			return refused(op, fmt.Sprintf("the port date of Telnyx order %s (%s) is less "+
				"than %s away; Telnyx only cancels it through its support", o.ID,
				foc.UTC().Format(time.RFC3339), a.cfg.CancelCutoff))
		}
	}
	return nil
}

// cancelOne cancels one order of a group: a draft is deleted, since Telnyx
// only deletes drafts and only cancels submitted orders.
func (a *Adapter) cancelOne(ctx context.Context, op string, o portingOrder) error {
	path := ordersPath + "/" + url.PathEscape(o.ID)
	switch {
	case !alive(o) || o.Status.Value == statusPorted:
		return nil
	case isDraft(o):
		err := a.do(ctx, call{op: op, method: http.MethodDelete, path: path,
			idempotent: true}, nil)
		if provider.IsNotFound(err) {
			return nil
		}
		return err
	}
	err := a.do(ctx, call{op: op, method: http.MethodPost, path: path + "/actions/cancel"}, nil)
	if provider.HasCode(err, provider.CodeInvalidRequest) {
		return refused(op, fmt.Sprintf("Telnyx refused to cancel order %s: %s", o.ID,
			messageOf(err)))
	}
	return err
}

// createOrders creates the draft orders of req. Creation is not retried:
// a lost response may hide created orders, which the next SubmitOrder finds
// by their customer reference.
func (a *Adapter) createOrders(ctx context.Context, op string, req provider.OrderRequest) (
	[]portingOrder, error) {
	var list orderList
	err := a.do(ctx, call{op: op, method: http.MethodPost, path: ordersPath,
		body: createOrderRequest{PhoneNumbers: req.Numbers,
			CustomerReference: req.IdempotencyKey}}, &list)
	if err != nil {
		return nil, err
	}
	if len(list.Data) == 0 {
		return nil, &provider.Error{Code: provider.CodeUnavailable, Op: op,
			Message: "Telnyx created no porting order and reported no error"}
	}
	sortOrders(list.Data)
	return list.Data, nil
}

// completeDrafts fills and confirms every draft of a group.
func (a *Adapter) completeDrafts(ctx context.Context, op string, orders []portingOrder,
	req provider.OrderRequest) error {
	if !slices.ContainsFunc(orders, isDraft) {
		return nil
	}
	docs, err := a.uploadDocuments(ctx, op, req)
	if err != nil {
		return err
	}
	for _, o := range orders {
		if !isDraft(o) {
			continue
		}
		if err := a.fillAndConfirm(ctx, op, o.ID, req, docs); err != nil {
			return err
		}
	}
	return nil
}

// fillAndConfirm writes the details of req into an order and submits it,
// unless Telnyx moved the order on by itself when it was edited.
func (a *Adapter) fillAndConfirm(ctx context.Context, op, id string,
	req provider.OrderRequest, docs documentIDs) error {
	path := ordersPath + "/" + url.PathEscape(id)
	secrets := secretsOf(req)
	var edited orderEnvelope
	err := a.do(ctx, call{op: op, method: http.MethodPatch, path: path,
		body: a.orderUpdate(req, docs), idempotent: true, secrets: secrets}, &edited)
	if err != nil {
		return err
	}
	if docs.csr != "" {
		err := a.do(ctx, call{op: op, method: http.MethodPost,
			path: path + "/additional_documents", secrets: secrets,
			body: additionalDocuments{AdditionalDocuments: []additionalDocument{
				{DocumentID: docs.csr, DocumentType: "csr"}}}}, nil)
		if err != nil {
			return err
		}
	}
	if s := edited.Data.Status.Value; s != "" && s != statusDraft && s != statusException {
		return nil
	}
	return a.do(ctx, call{op: op, method: http.MethodPost, path: path + "/actions/confirm",
		secrets: secrets}, nil)
}

// orderUpdate is the edit that carries everything req says about the port.
func (a *Adapter) orderUpdate(req provider.OrderRequest, docs documentIDs) updateOrderRequest {
	addr := req.Subscriber.Address
	u := updateOrderRequest{
		CustomerReference: req.IdempotencyKey,
		EndUser: &endUser{
			Admin: endUserAdmin{
				EntityName:         req.Subscriber.Name,
				AuthPersonName:     req.Subscriber.AuthorizedPerson,
				AccountNumber:      req.LosingCarrier.AccountNumber,
				PINPasscode:        req.LosingCarrier.PIN,
				BillingPhoneNumber: req.LosingCarrier.BillingTelephoneNumber,
			},
			Location: endUserLocation{
				StreetAddress:      addr.Street,
				ExtendedAddress:    addr.ExtendedAddress,
				Locality:           addr.City,
				AdministrativeArea: addr.Region,
				PostalCode:         addr.PostalCode,
				CountryCode:        strings.ToUpper(addr.Country),
			},
		},
		Documents: &orderDocuments{LOA: docs.loa, Invoice: docs.invoice},
		Misc:      miscOf(req.PartialPort),
	}
	if !req.RequestedPortDate.IsZero() {
		u.ActivationSettings = &activationRequest{
			FOCDatetimeRequested: req.RequestedPortDate.UTC().Format(time.RFC3339)}
	}
	if a.cfg.ConnectionID != "" || a.cfg.MessagingProfileID != "" {
		u.PhoneNumberConfiguration = &numberConfigUpdate{ConnectionID: a.cfg.ConnectionID,
			MessagingProfileID: a.cfg.MessagingProfileID}
	}
	if a.cfg.MessagingProfileID != "" {
		u.Messaging = &messagingRequest{EnableMessaging: true}
	}
	return u
}

// miscOf says whether the port is full or partial, and what happens to the
// numbers that stay.
func miscOf(p *provider.PartialPort) *orderMisc {
	if p == nil {
		return &orderMisc{Type: "full"}
	}
	m := &orderMisc{Type: "partial", RemainingNumbersAction: "disconnect",
		NewBillingPhoneNumber: p.NewBillingTelephoneNumber}
	if p.KeepRemaining {
		m.RemainingNumbersAction = "keep"
	}
	return m
}

// checkRequest refuses a request Telnyx cannot accept.
func checkRequest(op string, req provider.OrderRequest) error {
	switch {
	case strings.TrimSpace(req.IdempotencyKey) == "":
		return invalid(op, "an idempotency key is required")
	case len(req.Numbers) == 0:
		return invalid(op, "an order needs at least one number")
	}
	for _, n := range req.Numbers {
		if !strings.HasPrefix(n, "+") || len(n) < 8 {
			return invalid(op, fmt.Sprintf("number %s is not in E.164 form", masked(n)))
		}
	}
	return nil
}

// sameNumbers reports whether an order holds exactly the wanted numbers.
func sameNumbers(have []provider.NumberState, want []string) bool {
	got := make([]string, 0, len(have))
	for _, n := range have {
		got = append(got, n.Number)
	}
	w := slices.Clone(want)
	slices.Sort(got)
	slices.Sort(w)
	return slices.Equal(slices.Compact(got), slices.Compact(w))
}

// secretsOf lists the values of req that must never appear in an error.
func secretsOf(req provider.OrderRequest) []string {
	return []string{req.LosingCarrier.PIN, req.LosingCarrier.AccountNumber}
}

func isDraft(o portingOrder) bool { return o.Status.Value == statusDraft }

// invalid returns a permanent error for a request that cannot succeed.
func invalid(op, msg string) error {
	return &provider.Error{Code: provider.CodeInvalidRequest, Op: op, Message: msg}
}

// refused returns the permanent error of a cancellation Telnyx would not
// accept.
func refused(op, msg string) error {
	return &provider.Error{Code: provider.CodeCancelRefused, Op: op, Message: msg}
}

// messageOf returns the message of a provider error, or its text.
func messageOf(err error) string {
	var pe *provider.Error
	if errors.As(err, &pe) {
		return pe.Message
	}
	return err.Error()
}

// masked returns the last four digits of a number, the only part of it
// that errors name.
func masked(number string) string {
	if len(number) <= 4 {
		return number
	}
	return "ending " + number[len(number)-4:]
}
