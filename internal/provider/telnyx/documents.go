package telnyx

import (
	"context"
	"encoding/base64"
	"net/http"

	"github.com/numberport/numberport/internal/provider"
)

// documentIDs are the Telnyx ids of the uploaded documents of one request;
// an empty id means the document was not supplied.
type documentIDs struct {
	loa, invoice, csr string
}

// uploadDocuments uploads the documents of req through the documents API.
// Telnyx deletes an upload that no service links within 30 minutes, so
// uploads are made right before the orders that link them are edited, and
// an interrupted submission simply uploads again.
func (a *Adapter) uploadDocuments(ctx context.Context, op string,
	req provider.OrderRequest) (documentIDs, error) {
	var ids documentIDs
	uploads := []struct {
		name string
		data []byte
		id   *string
	}{
		{"letter-of-authorization", req.Documents.LetterOfAuthorization, &ids.loa},
		{"invoice", req.Documents.Invoice, &ids.invoice},
		{"customer-service-record", req.Documents.CustomerServiceRecord, &ids.csr},
	}
	for _, u := range uploads {
		if len(u.data) == 0 {
			continue
		}
		id, err := a.upload(ctx, op, u.name, req.IdempotencyKey, u.data)
		if err != nil {
			return documentIDs{}, err
		}
		*u.id = id
	}
	return ids, nil
}

// upload sends one document as base64 JSON and returns its id. A repeated
// upload after a lost response only leaves an unlinked copy, which Telnyx
// deletes, so uploads are retried like idempotent calls.
func (a *Adapter) upload(ctx context.Context, op, name, ref string, data []byte) (
	string, error) {
	var env documentEnvelope
	err := a.do(ctx, call{op: op + ": upload " + name, method: http.MethodPost,
		path: "/documents", idempotent: true, body: documentUpload{
			File:              base64.StdEncoding.EncodeToString(data),
			Filename:          name,
			CustomerReference: ref,
		}}, &env)
	if err != nil {
		return "", err
	}
	if env.Data.ID == "" {
		return "", &provider.Error{Code: provider.CodeUnavailable, Op: op,
			Message: "Telnyx accepted the " + name + " upload without returning its id"}
	}
	return env.Data.ID, nil
}
