package telnyxfake

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"
)

// embeddedNumbers is how many numbers an order embeds; the rest are read
// through the porting phone numbers list, as the API documents.
const embeddedNumbers = 50

// cancelCutoff is how close to the port date Telnyx refuses API
// cancellations.
const cancelCutoff = 48 * time.Hour

// live reports whether an order status still holds its numbers.
func live(status string) bool {
	return status != statusCancelled && status != statusPorted
}

// createOrders answers POST /porting_orders: one draft per group of the
// split rule, each carrying the customer reference.
func (s *Server) createOrders(w http.ResponseWriter, body []byte) {
	var req struct {
		PhoneNumbers      []string `json:"phone_numbers"`
		CustomerReference *string  `json:"customer_reference"`
	}
	if json.Unmarshal(body, &req) != nil || len(req.PhoneNumbers) == 0 {
		writeError(w, http.StatusUnprocessableEntity, "10004", "Missing required parameter",
			"phone_numbers is required.", false)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range req.PhoneNumbers {
		if reason := s.notPortableReason(n); reason != "" {
			writeError(w, http.StatusUnprocessableEntity, "10015", "Bad Request",
				"Phone number "+n+" is not portable: "+reason+".", false)
			return
		}
	}
	ref := ""
	if req.CustomerReference != nil {
		ref = *req.CustomerReference
	}
	var out []any
	for i, group := range s.opts.Split(req.PhoneNumbers) {
		o := s.newOrder(ref, group, i)
		out = append(out, s.orderJSON(o))
	}
	writeJSON(w, http.StatusCreated, map[string]any{keyData: out})
}

// newOrder records a draft. Callers hold s.mu.
func (s *Server) newOrder(ref string, numbers []string, i int) *Order {
	now := s.now().Add(time.Duration(i) * time.Millisecond)
	o := &Order{ID: s.nextID(), CustomerReference: ref, CreatedAt: now, UpdatedAt: now,
		Status: statusDraft, Numbers: slices.Clone(numbers),
		ActivationStatus: map[string]string{}, MessagingStatus: "not_applicable"}
	for _, n := range numbers {
		o.ActivationStatus[n] = "New"
	}
	s.orders[o.ID] = o
	return o
}

// listOrders answers GET /porting_orders with the documented filters.
func (s *Server) listOrders(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ref, hasRef := q["filter[customer_reference]"]
	contains := q.Get("filter[phone_numbers.phone_number][contains]")
	status := q.Get("filter[status]")
	s.mu.Lock()
	var match []*Order
	for _, o := range s.sortedOrders() {
		switch {
		case hasRef && o.CustomerReference != ref[0]:
		case status != "" && o.Status != status:
		case contains != "" && !slices.ContainsFunc(o.Numbers, func(n string) bool {
			return strings.Contains(n, contains)
		}):
		default:
			match = append(match, o)
		}
	}
	number, size := page(r)
	from, to, meta := paginate(len(match), number, size)
	out := make([]any, 0, to-from)
	for _, o := range match[from:to] {
		out = append(out, s.orderJSON(o))
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{keyData: out, keyMeta: meta})
}

// listPortingNumbers answers GET /porting_phone_numbers.
func (s *Server) listPortingNumbers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	orderID, number := q.Get("filter[porting_order_id]"), q.Get("filter[phone_number]")
	s.mu.Lock()
	var all []map[string]any
	for _, o := range s.sortedOrders() {
		if orderID != "" && o.ID != orderID {
			continue
		}
		for _, n := range o.Numbers {
			if number == "" || n == number {
				all = append(all, numberJSON(o, n))
			}
		}
	}
	s.mu.Unlock()
	pn, size := page(r)
	from, to, meta := paginate(len(all), pn, size)
	writeJSON(w, http.StatusOK, map[string]any{keyData: all[from:to], keyMeta: meta})
}

// editOrder answers PATCH /porting_orders/{id}. The details of the port can
// change while the order is a draft, in process or in exception; the phone
// number configuration and references while it is alive.
func (s *Server) editOrder(w http.ResponseWriter, id string, body []byte) {
	var req editRequest
	if err := json.Unmarshal(body, &req); err != nil {
		writeError(w, http.StatusUnprocessableEntity, "10023", "Invalid JSON",
			"The supplied JSON is invalid.", false)
		return
	}
	s.withOrder(w, id, func(o *Order) (int, any) {
		if !live(o.Status) || o.Status == statusCancelPending {
			return unprocessable("A " + o.Status + " porting order cannot be edited.")
		}
		editable := o.Status == statusDraft || o.Status == statusInProcess ||
			o.Status == statusException
		if req.touchesPort() && !editable {
			return unprocessable("The porting order details can only be edited in draft, " +
				"in-process or exception status.")
		}
		if req.Messaging != nil && req.Messaging.EnableMessaging && !editable {
			return unprocessable("Messaging can only be enabled in draft, in-process or " +
				"exception status.")
		}
		req.apply(o)
		o.UpdatedAt = s.now()
		return http.StatusOK, s.orderJSON(o)
	})
}

// deleteOrder answers DELETE /porting_orders/{id}, for drafts only.
func (s *Server) deleteOrder(w http.ResponseWriter, id string) {
	s.mu.Lock()
	o := s.orders[id]
	switch {
	case o == nil:
		s.mu.Unlock()
		writeError(w, http.StatusNotFound, "10005", "Resource not found",
			"Porting order not found.", false)
	case o.Status != statusDraft:
		s.mu.Unlock()
		writeError(w, http.StatusUnprocessableEntity, "10015", "Bad Request",
			"Only draft porting orders can be deleted.", false)
	default:
		delete(s.orders, id)
		s.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}
}

// confirm answers POST /porting_orders/{id}/actions/confirm. Callers hold
// s.mu.
func (s *Server) confirm(o *Order) (int, any) {
	if o.Status != statusDraft && o.Status != statusException {
		return unprocessable("Only draft porting orders or orders in exception can be " +
			"submitted; this one is " + o.Status + ".")
	}
	if missing := o.missingRequirements(); missing != "" {
		return unprocessable("The porting order is missing required information: " +
			missing + ".")
	}
	if o.Status == statusDraft {
		o.Status = statusInProcess
		o.SubmittedAt = s.now()
	} else {
		o.Status = statusSubmitted
	}
	o.Details = nil
	o.Confirmations++
	o.UpdatedAt = s.now()
	if o.EnableMessaging {
		o.MessagingStatus = pending
	}
	for _, n := range o.Numbers {
		o.ActivationStatus[n] = "Pending"
	}
	return http.StatusOK, s.orderJSON(o)
}

// missingRequirements names what an order needs before submission.
func (o *Order) missingRequirements() string {
	var missing []string
	if o.EndUser.EntityName == "" {
		missing = append(missing, "end_user.admin.entity_name")
	}
	if o.EndUser.AuthPersonName == "" {
		missing = append(missing, "end_user.admin.auth_person_name")
	}
	if o.EndUser.PostalCode == "" {
		missing = append(missing, "end_user.location.postal_code")
	}
	if o.LOA == "" {
		missing = append(missing, "documents.loa")
	}
	if o.Invoice == "" {
		missing = append(missing, "documents.invoice")
	}
	return strings.Join(missing, ", ")
}

// cancel answers POST /porting_orders/{id}/actions/cancel. Callers hold
// s.mu.
func (s *Server) cancel(o *Order) (int, any) {
	switch {
	case o.Status == statusDraft:
		return unprocessable("A draft porting order cannot be cancelled; delete it instead.")
	case !live(o.Status) || o.Status == statusCancelPending:
		return unprocessable("A " + o.Status + " porting order cannot be cancelled.")
	case o.FOCActual != nil && !s.now().Before(o.FOCActual.Add(-cancelCutoff)):
		return unprocessable("Porting orders cannot be cancelled within 48 hours of the " +
			"FOC date; contact support.")
	}
	o.Status, o.Details = statusCancelPending, nil
	o.UpdatedAt = s.now()
	for _, n := range o.Numbers {
		o.ActivationStatus[n] = "Cancel Pending"
	}
	return http.StatusOK, s.orderJSON(o)
}

// addDocuments answers POST /porting_orders/{id}/additional_documents.
func (s *Server) addDocuments(w http.ResponseWriter, id string, body []byte) {
	var req struct {
		AdditionalDocuments []struct {
			DocumentID   string `json:"document_id"`
			DocumentType string `json:"document_type"`
		} `json:"additional_documents"`
	}
	if json.Unmarshal(body, &req) != nil || len(req.AdditionalDocuments) == 0 {
		writeError(w, http.StatusUnprocessableEntity, "10004", "Missing required parameter",
			"additional_documents is required.", false)
		return
	}
	s.withOrder(w, id, func(o *Order) (int, any) {
		out := make([]any, 0, len(req.AdditionalDocuments))
		for _, d := range req.AdditionalDocuments {
			if _, ok := s.documents[d.DocumentID]; !ok {
				return unprocessable("Document " + d.DocumentID + " does not exist.")
			}
			o.CSR = append(o.CSR, d.DocumentID)
			out = append(out, map[string]any{"id": s.nextID(), "document_id": d.DocumentID,
				"document_type": d.DocumentType, "porting_order_id": o.ID,
				keyRecordType: "additional_document"})
		}
		return http.StatusCreated, out
	})
}

// autopilot moves orders along the configured timeline.
func (s *Server) autopilot() {
	t := s.opts.Autopilot
	if t == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for _, o := range s.orders {
		s.advance(o, *t, now)
	}
}

// advance moves one order along the timeline. Callers hold s.mu.
func (s *Server) advance(o *Order, t Timeline, now time.Time) {
	since := now.Sub(o.SubmittedAt)
	switch {
	case o.Status == statusInProcess && since >= t.Review:
		o.Status = statusSubmitted
		if t.RejectPIN != "" && o.EndUser.PIN == t.RejectPIN {
			o.Status = statusException
			o.Details = []Detail{{Code: "PASSCODE_PIN_INVALID",
				Description: ExceptionDescription("PASSCODE_PIN_INVALID")}}
		}
	case o.Status == statusSubmitted && since >= t.Review+t.Confirm:
		foc := o.SubmittedAt.Add(t.PortAfter)
		if o.FOCRequested != nil && o.FOCRequested.After(foc) {
			foc = *o.FOCRequested
		}
		o.FOCActual, o.Status = &foc, statusFOCConfirmed
	case o.Status == statusFOCConfirmed && o.FOCActual != nil && !now.Before(*o.FOCActual):
		s.port(o)
	case o.Status == statusPorted && o.MessagingStatus == "activating":
		o.MessagingStatus = statusPorted
	default:
		return
	}
	o.UpdatedAt = now
}

// orderJSON renders an order as the API documents it, PIN and account number
// included, as Telnyx echoes them. Callers hold s.mu.
func (s *Server) orderJSON(o *Order) map[string]any {
	embedded := make([]any, 0, min(len(o.Numbers), embeddedNumbers))
	for _, n := range o.Numbers[:min(len(o.Numbers), embeddedNumbers)] {
		embedded = append(embedded, numberJSON(o, n))
	}
	details := o.Details
	if details == nil {
		details = []Detail{}
	}
	tags := o.Tags
	if tags == nil {
		tags = []string{}
	}
	return map[string]any{
		"id": o.ID, keyRecordType: "porting_order",
		"customer_reference": nullable(o.CustomerReference),
		"created_at":         o.CreatedAt.Format(time.RFC3339Nano),
		"updated_at":         o.UpdatedAt.Format(time.RFC3339Nano),
		"support_key":        "sr_" + o.ID[len(o.ID)-6:],
		keyStatus:            map[string]any{"value": o.Status, "details": details},
		"activation_settings": map[string]any{
			"foc_datetime_requested": timeOrNil(o.FOCRequested),
			"foc_datetime_actual":    timeOrNil(o.FOCActual),
			"fast_port_eligible":     false, "activation_status": nil,
		},
		"messaging": map[string]any{"enable_messaging": o.EnableMessaging,
			"messaging_capable": true, "messaging_port_status": o.MessagingStatus,
			"messaging_port_completed": o.MessagingStatus == statusPorted},
		"phone_number_configuration": map[string]any{
			"connection_id": nullable(o.ConnectionID), "tags": tags,
			"messaging_profile_id": nullable(o.MessagingProfileID),
			"billing_group_id":     nil, "emergency_address_id": nil,
		},
		"end_user": o.EndUser.json(),
		"documents": map[string]any{"loa": nullable(o.LOA),
			"invoice": nullable(o.Invoice)},
		"misc":                        o.Misc.json(),
		"phone_numbers":               embedded,
		"porting_phone_numbers_count": len(o.Numbers),
		keyNumberType:                 typeLocal,
		"requirements_met":            o.missingRequirements() == "",
	}
}

// numberJSON renders one porting phone number.
func numberJSON(o *Order, n string) map[string]any {
	return map[string]any{
		keyPhoneNumber: n, "porting_order_id": o.ID, "porting_order_status": o.Status,
		"activation_status": nullable(o.ActivationStatus[n]), keyNumberType: typeLocal,
		"portability_status": "confirmed", "requirements_status": "approved",
		"support_key": "sr_" + o.ID[len(o.ID)-6:], keyRecordType: "porting_phone_number",
	}
}

func (e EndUser) json() map[string]any {
	return map[string]any{
		"admin": map[string]any{
			"entity_name": nullable(e.EntityName), "auth_person_name": nullable(e.AuthPersonName),
			"account_number": nullable(e.AccountNumber), "pin_passcode": nullable(e.PIN),
			"billing_phone_number": nullable(e.BillingPhoneNumber),
			"business_identifier":  nil, "tax_identifier": nil,
		},
		"location": map[string]any{
			"street_address": nullable(e.Street), "extended_address": nullable(e.Extended),
			"locality": nullable(e.Locality), "administrative_area": nullable(e.Region),
			"postal_code": nullable(e.PostalCode), "country_code": nullable(e.Country),
		},
	}
}

func (m Misc) json() any {
	if m.Type == "" {
		return nil
	}
	return map[string]any{"type": m.Type,
		"remaining_numbers_action": nullable(m.RemainingNumbersAction),
		"new_billing_phone_number": nullable(m.NewBillingPhoneNumber)}
}
