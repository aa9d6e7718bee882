package simulator

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"regexp"
	"strings"

	"github.com/numberport/numberport/internal/provider"
)

// Scenario is the behaviour a number selects. Numbers +1 NPA 555 01XX, the
// range reserved for fictional use in every NANP area code, select a
// scenario by their last four digits; every other number is a happy path.
type Scenario string

// Scenarios, named by the last four digits that select them.
const (
	// ScenarioHappy completes on the port date.
	ScenarioHappy Scenario = "0100"
	// ScenarioInvalidPIN is rejected until the PIN differs from the one
	// first submitted.
	ScenarioInvalidPIN Scenario = "0101"
	// ScenarioPostalCodeMismatch is rejected until the postal code differs
	// from the one first submitted.
	ScenarioPostalCodeMismatch Scenario = "0102"
	// ScenarioUnauthorizedRequester is rejected until the authorized person
	// differs from the one first submitted.
	ScenarioUnauthorizedRequester Scenario = "0103"
	// ScenarioEarlyTransfer routes to the platform halfway between the
	// confirmation and the port date, unannounced.
	ScenarioEarlyTransfer Scenario = "0104"
	// ScenarioPortDateMoved has its port date moved later once.
	ScenarioPortDateMoved Scenario = "0105"
	// ScenarioDroppedLines goes out of service at the losing carrier
	// halfway between the confirmation and the port date.
	ScenarioDroppedLines Scenario = "0106"
	// ScenarioMessagingDelayed keeps texting pending for
	// Config.DelayedMessagingDelay after the port.
	ScenarioMessagingDelayed Scenario = "0107"
	// ScenarioNotPortable cannot be ported.
	ScenarioNotPortable Scenario = "0108"
	// ScenarioAccountNumberMismatch is rejected until the account number
	// differs from the one first submitted; uncorrected, the provider
	// cancels the order at the cancellation deadline.
	ScenarioAccountNumberMismatch Scenario = "0109"
	// ScenarioOutage makes every call about the number fail transiently for
	// Config.OutageDuration after the first such call.
	ScenarioOutage Scenario = "0110"
	// ScenarioLostResponse creates the order on the first submission but
	// answers it with a transient error, as if the response were lost.
	ScenarioLostResponse Scenario = "0111"
)

// scenarioNumber matches a NANP number in the fictional 555-01XX range and
// captures its last four digits.
var scenarioNumber = regexp.MustCompile(`^\+1[2-9][0-9]{2}555(01[0-9]{2})$`)

// e164 matches a number in E.164 form.
var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// scenarios lists every scenario ScenarioOf can return.
var scenarios = map[Scenario]bool{
	ScenarioHappy: true, ScenarioInvalidPIN: true, ScenarioPostalCodeMismatch: true,
	ScenarioUnauthorizedRequester: true, ScenarioEarlyTransfer: true,
	ScenarioPortDateMoved: true, ScenarioDroppedLines: true, ScenarioMessagingDelayed: true,
	ScenarioNotPortable: true, ScenarioAccountNumberMismatch: true, ScenarioOutage: true,
	ScenarioLostResponse: true,
}

// ScenarioOf returns the scenario a number selects; ScenarioHappy for any
// number outside the scenario table.
func ScenarioOf(number string) Scenario {
	m := scenarioNumber.FindStringSubmatch(number)
	if m == nil || !scenarios[Scenario(m[1])] {
		return ScenarioHappy
	}
	return Scenario(m[1])
}

// field is one detail of an order that the losing carrier checks.
type field int

const (
	fieldPIN field = iota
	fieldPostalCode
	fieldAuthorizedPerson
	fieldAccountNumber
	fieldCount
)

// check is a losing-carrier check that a rejection scenario fails.
type check struct {
	field        field
	code         provider.RejectionCode
	providerCode string
	message      string
}

// scenarioChecks maps each rejection scenario to the check it fails. The
// messages name the field to fix and never its value.
var scenarioChecks = map[Scenario]check{
	ScenarioInvalidPIN: {fieldPIN, provider.RejectionInvalidPIN, "pin_invalid",
		"The port-out PIN does not match the losing carrier's record."},
	ScenarioPostalCodeMismatch: {fieldPostalCode, provider.RejectionPostalCodeMismatch,
		"postal_code_mismatch",
		"The service address postal code does not match the losing carrier's record."},
	ScenarioUnauthorizedRequester: {fieldAuthorizedPerson,
		provider.RejectionUnauthorizedRequester, "authorized_person_mismatch",
		"The authorized person is not authorized on the losing carrier's account."},
	ScenarioAccountNumberMismatch: {fieldAccountNumber,
		provider.RejectionAccountNumberMismatch, "account_number_mismatch",
		"The account number does not match the losing carrier's record."},
}

// failingCheck returns the first check, in field order, that the order's
// scenarios fail given its current details, and false when all pass. A
// check passes once the field differs from the value first submitted: the
// losing carrier's record is whatever the first submission did not say.
func failingCheck(scenarios map[Scenario]bool, first, current fingerprints) (check, bool) {
	var found check
	ok := false
	for s, c := range scenarioChecks {
		if !scenarios[s] || current[c.field] != first[c.field] {
			continue
		}
		if !ok || c.field < found.field {
			found, ok = c, true
		}
	}
	return found, ok
}

// fingerprints holds a keyed digest of each checked field, so that an
// order can compare corrections without keeping secret values such as the
// PIN. The key is random per simulator: a plain hash of a four-digit PIN
// would be as good as the PIN.
type fingerprints [fieldCount][sha256.Size]byte

// fingerprinter digests checked fields with its key.
type fingerprinter struct {
	key []byte
}

// newFingerprinter returns a fingerprinter with a fresh random key.
func newFingerprinter() fingerprinter {
	return fingerprinter{key: []byte(rand.Text())}
}

// of digests the checked fields of req. Case and spaces are ignored, so
// that reformatting a value does not count as changing it.
func (f fingerprinter) of(req provider.OrderRequest) fingerprints {
	values := [fieldCount]string{
		fieldPIN:              req.LosingCarrier.PIN,
		fieldPostalCode:       req.Subscriber.Address.PostalCode,
		fieldAuthorizedPerson: req.Subscriber.AuthorizedPerson,
		fieldAccountNumber:    req.LosingCarrier.AccountNumber,
	}
	var fp fingerprints
	for i, v := range values {
		mac := hmac.New(sha256.New, f.key)
		mac.Write([]byte(strings.ToUpper(strings.Join(strings.Fields(v), ""))))
		copy(fp[i][:], mac.Sum(nil))
	}
	return fp
}
