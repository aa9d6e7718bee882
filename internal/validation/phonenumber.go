package validation

import (
	"fmt"

	"github.com/numberport/numberport/api/v1alpha1"
	"github.com/numberport/numberport/internal/numbers"
)

// ValidatePhoneNumber checks what CEL cannot about a PhoneNumber: that its
// number is assigned in its country's numbering plan and, when a PortRequest
// brings it in, that it is a US or Canadian number.
func ValidatePhoneNumber(spec *v1alpha1.PhoneNumberSpec) []Problem {
	const field = "spec.number"
	if spec.PortRequestRef != nil {
		_, p := checkNumber(field, spec.Number)
		if p != nil {
			return []Problem{*p}
		}
		return nil
	}
	if numbers.IsValid(spec.Number) {
		return nil
	}
	return []Problem{{
		Reason: v1alpha1.ReasonInvalidNumber,
		Field:  field,
		Message: fmt.Sprintf("%s (%s) is not a valid number in its country's numbering "+
			"plan: check the country code and the digits, then create a PhoneNumber for "+
			"the right number", field, numbers.Mask(spec.Number)),
	}}
}
