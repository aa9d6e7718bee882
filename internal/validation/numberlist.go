package validation

import (
	"errors"
	"fmt"

	"github.com/numberport/numberport/api/v1alpha1"
	"github.com/numberport/numberport/internal/numbers"
)

// ParseNumberList reads the number list that spec.numbersFrom points at, given
// the ConfigMap value, with the same format and duplicate checks the API
// server applies to spec.numbers. It returns the numbers in E.164 form and
// one problem per line that cannot be used; when there are problems the
// numbers must not be submitted. The numbers still need the checks of
// ValidatePortRequest.
func ParseNumberList(src *v1alpha1.NumbersSource, data []byte) ([]string, []Problem) {
	const field = "spec.numbersFrom"
	where := fmt.Sprintf("%s: ConfigMap %q, key %q", field, src.ConfigMapKeyRef.Name,
		src.ConfigMapKeyRef.Key)

	list, err := numbers.ParseList(data, listFormat(src.Format))
	if err == nil {
		return list, nil
	}

	var lerr *numbers.ListError
	if !errors.As(err, &lerr) {
		return list, []Problem{{
			Reason:  v1alpha1.ReasonInvalidNumberList,
			Field:   field,
			Message: fmt.Sprintf("%s: %v", where, err),
		}}
	}
	problems := make([]Problem, 0, len(lerr.Errors)+1)
	for _, le := range lerr.Errors {
		problems = append(problems, Problem{
			Reason:  v1alpha1.ReasonInvalidNumberList,
			Field:   field,
			Message: fmt.Sprintf("%s, %v", where, le),
		})
	}
	if lerr.Omitted > 0 {
		problems = append(problems, Problem{
			Reason: v1alpha1.ReasonInvalidNumberList,
			Field:  field,
			Message: fmt.Sprintf("%s: %d more lines have problems; fix the ones above "+
				"first", where, lerr.Omitted),
		})
	}
	return list, problems
}

// listFormat maps the API's list format onto the parser's. An unknown
// format passes through, for the parser to refuse with a message.
func listFormat(f v1alpha1.NumberListFormat) numbers.Format {
	switch f {
	case v1alpha1.NumberListText:
		return numbers.FormatText
	case v1alpha1.NumberListCSV:
		return numbers.FormatCSV
	default:
		return numbers.Format(f)
	}
}
