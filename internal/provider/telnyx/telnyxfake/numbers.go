package telnyxfake

import (
	"encoding/json"
	"net/http"
	"slices"
)

// listNumbers answers GET /phone_numbers with filter[phone_number].
func (s *Server) listNumbers(w http.ResponseWriter, r *http.Request) {
	want := r.URL.Query().Get("filter[phone_number]")
	s.mu.Lock()
	var all []any
	for _, n := range s.numbers {
		if want == "" || n.PhoneNumber == want {
			all = append(all, n.json())
		}
	}
	s.mu.Unlock()
	number, size := page(r)
	from, to, meta := paginate(len(all), number, size)
	if all == nil {
		all = []any{}
	}
	writeJSON(w, http.StatusOK, map[string]any{keyData: all[from:to], keyMeta: meta})
}

// routeNumber answers GET, PATCH and DELETE /phone_numbers/{id}.
func (s *Server) routeNumber(w http.ResponseWriter, r *http.Request, id string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.numbers[id]
	if n == nil {
		writeError(w, http.StatusNotFound, "10005", "Resource not found",
			"Phone number not found.", false)
		return
	}
	switch r.Method {
	case http.MethodGet:
		writeJSON(w, http.StatusOK, map[string]any{keyData: n.json()})
	case http.MethodPatch:
		s.patchNumber(w, n, body)
	case http.MethodDelete:
		if n.DeletionLock {
			writeError(w, http.StatusUnprocessableEntity, "10015", "Bad Request",
				"The phone number has deletion lock enabled.", false)
			return
		}
		delete(s.numbers, id)
		data := n.json()
		data[keyStatus] = "deleted"
		writeJSON(w, http.StatusOK, map[string]any{keyData: data})
	default:
		writeError(w, http.StatusNotFound, "10005", "Resource not found",
			"The requested resource or URL could not be found.", false)
	}
}

// patchNumber updates a number's connection, tags and references. Callers
// hold s.mu.
func (s *Server) patchNumber(w http.ResponseWriter, n *Number, body []byte) {
	var req struct {
		ConnectionID      *string  `json:"connection_id"`
		Tags              []string `json:"tags"`
		CustomerReference *string  `json:"customer_reference"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		writeError(w, http.StatusUnprocessableEntity, "10023", "Invalid JSON",
			"The supplied JSON is invalid.", false)
		return
	}
	set(&n.ConnectionID, req.ConnectionID)
	if req.Tags != nil {
		n.Tags = slices.Clone(req.Tags)
	}
	writeJSON(w, http.StatusOK, map[string]any{keyData: n.json()})
}

func (n *Number) json() map[string]any {
	tags := n.Tags
	if tags == nil {
		tags = []string{}
	}
	return map[string]any{
		"id": n.ID, keyRecordType: keyPhoneNumber, keyPhoneNumber: n.PhoneNumber,
		keyStatus: "active", "tags": tags, "connection_id": nullable(n.ConnectionID),
		"messaging_profile_id": nullable(n.MessagingProfileID),
		"customer_reference":   nil, keyNumberType: typeLocal,
		"deletion_lock_enabled": n.DeletionLock,
	}
}
