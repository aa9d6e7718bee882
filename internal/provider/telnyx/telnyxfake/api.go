package telnyxfake

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// serve is the fake's entry point: it records the request, checks the
// bearer token, applies injected faults and autopilot, then routes.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	s.record(r, body)

	if status, retryAfter, fail := s.takeFault(r.Method, r.URL.Path); fail {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		if status == http.StatusTooManyRequests {
			writeError(w, status, "10011", "Too many requests",
				"You have exceeded the maximum number of allowed requests.", true)
			return
		}
		writeError(w, status, "10038", "Service unavailable",
			"The service is temporarily unavailable.", true)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+s.opts.APIKey {
		writeError(w, http.StatusUnauthorized, "10009", "Authentication failed",
			"The required authentication headers were either invalid or not included in "+
				"the request.", false)
		return
	}
	s.autopilot()
	s.route(w, r, body)
}

// route dispatches a request to its handler.
func (s *Server) route(w http.ResponseWriter, r *http.Request, body []byte) {
	path := strings.TrimPrefix(r.URL.Path, "/v2")
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case r.Method == http.MethodPost && path == "/portability_checks":
		s.portabilityChecks(w, body)
	case r.Method == http.MethodPost && path == "/documents":
		s.uploadDocument(w, body)
	case path == "/porting_orders" && r.Method == http.MethodPost:
		s.createOrders(w, body)
	case path == "/porting_orders" && r.Method == http.MethodGet:
		s.listOrders(w, r)
	case path == "/porting_phone_numbers" && r.Method == http.MethodGet:
		s.listPortingNumbers(w, r)
	case len(parts) >= 2 && parts[0] == "porting_orders":
		s.routeOrder(w, r, parts[1:], body)
	case path == "/phone_numbers" && r.Method == http.MethodGet:
		s.listNumbers(w, r)
	case len(parts) == 2 && parts[0] == "phone_numbers":
		s.routeNumber(w, r, parts[1], body)
	case len(parts) == 2 && parts[0] == "number_lookup" && r.Method == http.MethodGet:
		s.lookup(w, parts[1])
	default:
		writeError(w, http.StatusNotFound, "10005", "Resource not found",
			"The requested resource or URL could not be found.", false)
	}
}

// routeOrder dispatches requests about one porting order.
func (s *Server) routeOrder(w http.ResponseWriter, r *http.Request, parts []string,
	body []byte) {
	id := parts[0]
	rest := strings.Join(parts[1:], "/")
	switch {
	case rest == "" && r.Method == http.MethodGet:
		s.withOrder(w, id, func(o *Order) (int, any) { return http.StatusOK, s.orderJSON(o) })
	case rest == "" && r.Method == http.MethodPatch:
		s.editOrder(w, id, body)
	case rest == "" && r.Method == http.MethodDelete:
		s.deleteOrder(w, id)
	case rest == "actions/confirm" && r.Method == http.MethodPost:
		s.withOrder(w, id, s.confirm)
	case rest == "actions/cancel" && r.Method == http.MethodPost:
		s.withOrder(w, id, s.cancel)
	case rest == "additional_documents" && r.Method == http.MethodPost:
		s.addDocuments(w, id, body)
	default:
		writeError(w, http.StatusNotFound, "10005", "Resource not found",
			"The requested resource or URL could not be found.", false)
	}
}

// record keeps a request for tests.
func (s *Server) record(r *http.Request, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.requests) >= s.maxRecords {
		s.requests = s.requests[1:]
	}
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path,
		Query: r.URL.RawQuery, Body: string(body),
		Authorization: r.Header.Get("Authorization")})
}

// takeFault pops the first injected failure that matches a request.
func (s *Server) takeFault(method, path string) (int, string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.outage {
		return http.StatusServiceUnavailable, "", true
	}
	for i, f := range s.faults {
		if f.matches(method, path) {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
			return f.status, f.retryAfter, true
		}
	}
	return 0, "", false
}

// withOrder runs fn on an order under the lock and writes its answer; fn
// returns the status and the data, or an error envelope for statuses of
// 400 and above.
func (s *Server) withOrder(w http.ResponseWriter, id string, fn func(o *Order) (int, any)) {
	s.mu.Lock()
	o := s.orders[id]
	if o == nil {
		s.mu.Unlock()
		writeError(w, http.StatusNotFound, "10005", "Resource not found",
			"Porting order not found.", false)
		return
	}
	status, data := fn(o)
	s.mu.Unlock()
	if e, ok := data.(apiError); ok {
		writeError(w, status, e.code, e.title, e.detail, false)
		return
	}
	writeJSON(w, status, map[string]any{keyData: data})
}

// apiError is an error answer of a handler.
type apiError struct{ code, title, detail string }

func unprocessable(detail string) (int, any) {
	return http.StatusUnprocessableEntity, apiError{"10015", "Bad Request", detail}
}

// portabilityChecks answers POST /portability_checks.
func (s *Server) portabilityChecks(w http.ResponseWriter, body []byte) {
	var req struct {
		PhoneNumbers []string `json:"phone_numbers"`
	}
	if json.Unmarshal(body, &req) != nil || len(req.PhoneNumbers) == 0 {
		writeError(w, http.StatusUnprocessableEntity, "10004", "Missing required parameter",
			"phone_numbers is required.", false)
		return
	}
	s.mu.Lock()
	out := make([]map[string]any, 0, len(req.PhoneNumbers))
	for _, n := range req.PhoneNumbers {
		reason := s.notPortableReason(n)
		out = append(out, map[string]any{
			keyPhoneNumber: n, "portable": reason == "", "fast_portable": false,
			"messaging_capable": true, keyNumberType: typeLocal,
			"not_portable_reason": nullable(reason), keyRecordType: "portability_check_result",
		})
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]any{keyData: out})
}

// notPortableReason says why a number cannot join an order. Callers hold
// s.mu.
func (s *Server) notPortableReason(n string) string {
	if r, ok := s.notPort[n]; ok {
		return r
	}
	if !strings.HasPrefix(n, "+") || len(n) < 8 {
		return "invalid_phone_number"
	}
	if s.numberByPhone(n) != nil {
		return "telnyx_number"
	}
	for _, o := range s.orders {
		if live(o.Status) && containsNumber(o.Numbers, n) {
			return "already_being_ported"
		}
	}
	return ""
}

// uploadDocument answers POST /documents with base64 content.
func (s *Server) uploadDocument(w http.ResponseWriter, body []byte) {
	var req struct {
		File     string `json:"file"`
		Filename string `json:"filename"`
	}
	if json.Unmarshal(body, &req) != nil || req.File == "" {
		writeError(w, http.StatusUnprocessableEntity, "10004", "Missing required parameter",
			"Either file or url is required.", false)
		return
	}
	data, err := base64.StdEncoding.DecodeString(req.File)
	if err != nil {
		writeError(w, http.StatusUnprocessableEntity, "10015", "Bad Request",
			"file is not base64.", false)
		return
	}
	s.mu.Lock()
	id := s.nextID()
	s.documents[id] = data
	now := s.now()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{keyData: map[string]any{
		"id": id, keyRecordType: "document", "filename": req.Filename,
		keyStatus: pending, "av_scan_status": "scanned", "created_at": now,
		"size": map[string]any{"unit": "bytes", "amount": len(data)},
	}})
}

// lookup answers GET /number_lookup/{number}.
func (s *Server) lookup(w http.ResponseWriter, number string) {
	s.mu.Lock()
	l, ok := s.lookups[number]
	s.mu.Unlock()
	if !ok {
		l = Lookup{SPID: "5550", CarrierName: "Fake Losing Carrier", PortedStatus: "N"}
	}
	if l.LRN == "" && len(number) >= 8 {
		l.LRN = strings.TrimPrefix(number, "+1")[:6] + "0000"
	}
	data := map[string]any{
		keyRecordType: "number_lookup", keyPhoneNumber: number, "country_code": "US",
		"portability": map[string]any{
			"lrn": l.LRN, "spid": l.SPID, "spid_carrier_name": l.CarrierName,
			"ported_status": l.PortedStatus, "ported_date": "", "line_type": "voip",
			"ocn": l.SPID, "city": "", "state": "",
		},
		"carrier": map[string]any{"name": l.CarrierName, "type": "voip"},
	}
	if l.Valid != nil {
		data["valid_number"] = *l.Valid
	}
	writeJSON(w, http.StatusOK, map[string]any{keyData: data})
}

// writeJSON writes a JSON answer.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError writes Telnyx's error envelope.
func writeError(w http.ResponseWriter, status int, code, title, detail string,
	retryable bool) {
	writeJSON(w, status, map[string]any{"errors": []map[string]any{{
		"code": code, "title": title, "detail": detail,
		"source": map[string]any{"pointer": "/"},
		keyMeta: map[string]any{
			"url":       "https://developers.telnyx.com/docs/overview/errors/" + code,
			"retryable": retryable,
		},
	}}})
}

// page reads page[number] and page[size] with Telnyx's defaults and limits.
func page(r *http.Request) (number, size int) {
	number, size = 1, 20
	if v, err := strconv.Atoi(r.URL.Query().Get("page[number]")); err == nil && v > 0 {
		number = v
	}
	if v, err := strconv.Atoi(r.URL.Query().Get("page[size]")); err == nil && v > 0 {
		size = min(v, 250)
	}
	return number, size
}

// paginate cuts one page out of n items and returns its bounds and meta.
func paginate(n, number, size int) (int, int, map[string]any) {
	pages := max(1, (n+size-1)/size)
	from := min(n, (number-1)*size)
	to := min(n, from+size)
	return from, to, map[string]any{"page_number": number, "page_size": size,
		"total_pages": pages, "total_results": n}
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func timeOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}

func containsNumber(list []string, n string) bool {
	for _, x := range list {
		if x == n {
			return true
		}
	}
	return false
}
