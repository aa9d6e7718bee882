package telnyx

import (
	"strings"
	"time"

	"github.com/numberport/numberport/internal/provider"
)

// exceptionCodes maps Telnyx's porting exception types onto numberport's
// rejection codes. Telnyx documents about twenty types; those not listed
// here (FOC_EXPIRED, LOCATION_MISMATCH, PHONE_NUMBER_NOT_PORTABLE,
// OSP_IRRESPONSIVE and the others) become RejectionOther, with the Telnyx
// code kept in ProviderCode. The support article's older spellings of the
// same mismatches are listed too, since orders opened long ago may carry
// them.
var exceptionCodes = map[string]provider.RejectionCode{
	"ACCOUNT_NUMBER_MISMATCH": provider.RejectionAccountNumberMismatch,
	"ACCOUNT_NUMBER_REQUIRED": provider.RejectionAccountNumberMismatch,
	"AUTH_PERSON_MISMATCH":    provider.RejectionUnauthorizedRequester,
	"AUTH_NAME_MISMATCH":      provider.RejectionUnauthorizedRequester,
	"BTN_ATN_MISMATCH":        provider.RejectionBTNMismatch,
	"ENTITY_NAME_MISMATCH":    provider.RejectionSubscriberMismatch,
	"BUSINESS_NAME_MISMATCH":  provider.RejectionSubscriberMismatch,
	"POSTAL_CODE_MISMATCH":    provider.RejectionPostalCodeMismatch,
	"PASSCODE_PIN_INVALID":    provider.RejectionInvalidPIN,
}

// RejectionCodeOf maps a Telnyx exception type onto a rejection code.
func RejectionCodeOf(exceptionType string) provider.RejectionCode {
	if c, ok := exceptionCodes[strings.ToUpper(strings.TrimSpace(exceptionType))]; ok {
		return c
	}
	return provider.RejectionOther
}

// rejectionOf describes why the orders of a group in exception were
// rejected. The first exception type numberport knows names the rejection,
// since it says which field to fix; every type and description is kept in
// the message.
func rejectionOf(orders []portingOrder) *provider.Rejection {
	rej := &provider.Rejection{Code: provider.RejectionOther}
	var details []statusDetail
	for _, o := range orders {
		if o.Status.Value != statusException {
			continue
		}
		if rej.Since.IsZero() || o.UpdatedAt.Before(rej.Since) {
			rej.Since = o.UpdatedAt
		}
		details = append(details, o.Status.Details...)
	}
	if len(details) == 0 {
		rej.Message = "Telnyx reports the order in exception without a reason; " +
			"read the order's comments in the Telnyx portal"
		return rej
	}
	primary := details[0]
	for _, d := range details {
		if RejectionCodeOf(d.Code) != provider.RejectionOther {
			primary = d
			break
		}
	}
	rej.Code = RejectionCodeOf(primary.Code)
	rej.ProviderCode = primary.Code
	rej.Message = describe(details)
	// Telnyx publishes no deadline after which an order left in exception
	// is cancelled, so CancellationDeadline stays zero.
	rej.Since = rej.Since.UTC().Truncate(time.Second)
	return rej
}

// describe lists each exception once, as "CODE: description".
func describe(details []statusDetail) string {
	seen := map[string]bool{}
	parts := make([]string, 0, len(details))
	for _, d := range details {
		p := d.Code
		if d.Description != "" {
			p += ": " + d.Description
		}
		if !seen[p] {
			seen[p] = true
			parts = append(parts, p)
		}
	}
	return truncate(strings.Join(parts, "; "), 600)
}
