package numbers

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// ErrInvalidNumber is wrapped by every error that Normalize returns.
var ErrInvalidNumber = errors.New("invalid phone number")

// defaultRegion is the region a number without '+' and a country code is
// read in. The platform ports US and Canadian numbers, which share the NANP
// and therefore the same national form.
const defaultRegion = "US"

// nanpDigits is the length of a national NANP number: a 3-digit area code
// (NPA), a 3-digit exchange (NXX) and a 4-digit line number.
const nanpDigits = 10

// maxInputLen bounds the input Normalize looks at, so that a hostile list
// cannot make it scan megabytes for one number.
const maxInputLen = 64

// Normalize returns s in E.164 form, such as +14155550111. It accepts the
// forms people write: "+1 415 555 0111", "(415) 555-0111", "415.555.0111",
// "1-415-555-0111" or "011 44 20 7946 0958". A number without '+' is read as
// a US or Canadian number. Normalize checks the shape of the number, not
// whether it is assigned: see Region and IsValid for that.
func Normalize(s string) (string, error) {
	if len(s) > maxInputLen {
		return "", invalid("is longer than %d characters", maxInputLen)
	}
	plus, digits, err := scan(s)
	if err != nil {
		return "", err
	}

	switch {
	case plus:
		return international(digits)
	case len(digits) == nanpDigits:
		return nanp(digits)
	case len(digits) == nanpDigits+1 && digits[0] == '1':
		return nanp(digits[1:])
	case strings.HasPrefix(digits, "011"):
		// 011 is how US and Canadian callers dial out of the country.
		return international(digits[3:])
	default:
		return "", invalid("has %d digits: a US or Canadian number has %d, area code first; "+
			"write other numbers with '+' and the country code", len(digits), nanpDigits)
	}
}

// international reads the digits that follow '+' (or 011): a country code
// and a national number.
func international(digits string) (string, error) {
	switch {
	case digits == "":
		return "", invalid("holds no digits after the international prefix")
	case digits[0] == '0':
		return "", invalid("has a country code starting with 0: write '+' and the country " +
			"code, such as +1 or +44")
	case digits[0] == '1':
		if len(digits) != 1+nanpDigits {
			return "", invalid("has %d digits after +1: a US or Canadian number has %d, "+
				"area code first", len(digits)-1, nanpDigits)
		}
		return nanp(digits[1:])
	default:
		return parseInternational("+" + digits)
	}
}

// scan reads s, dropping the separators people put in numbers, and returns
// whether it starts with '+' and its digits. It refuses letters rather than
// reading them as a keypad would: in a list they are far more often an
// extension or a typing slip than a vanity number.
func scan(s string) (plus bool, digits string, err error) {
	var buf [maxInputLen]byte
	n := 0
	seen := false
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			buf[n] = byte(r)
			n++
			seen = true
		case r == '+' && !seen && !plus:
			plus = true
			seen = true
		case isSeparator(r):
		case r == utf8.RuneError:
			return false, "", invalid("is not valid UTF-8 at byte %d", i)
		case unicode.IsLetter(r):
			return false, "", invalid("contains the letter %q: write the number with "+
				"digits only; extensions cannot be ported", r)
		default:
			return false, "", invalid("contains %q: use digits, with spaces, dashes, dots "+
				"or parentheses between them if you like", r)
		}
	}
	if n == 0 {
		return false, "", invalid("holds no digits")
	}
	return plus, string(buf[:n]), nil
}

// isSeparator reports whether r is a character people put between the
// digits of a number, including the dashes and spaces that word processors
// and spreadsheets substitute for ASCII ones.
func isSeparator(r rune) bool {
	switch r {
	case ' ', '-', '.', '(', ')', '/', '\t':
		return true
	}
	return r > utf8.RuneSelf && (unicode.Is(unicode.Pd, r) || unicode.IsSpace(r))
}

// nanp checks the shape of a 10-digit national NANP number and returns it in
// E.164 form.
func nanp(national string) (string, error) {
	if national[0] < '2' {
		return "", invalid("has area code %s: US and Canadian area codes start with 2-9",
			national[:3])
	}
	if national[3] < '2' {
		return "", invalid("has exchange %s after the area code: the three digits after "+
			"the area code start with 2-9", national[3:6])
	}
	return "+1" + national, nil
}

// parseInternational reads a number outside the NANP, which only the
// numbering plans of phonenumbers can split into country code and number.
func parseInternational(s string) (string, error) {
	num, err := phonenumbers.Parse(s, defaultRegion)
	switch {
	case errors.Is(err, phonenumbers.ErrInvalidCountryCode):
		return "", invalid("does not start with a known country code: check the digits " +
			"after '+'")
	case err != nil:
		return "", invalid("has too many or too few digits to be a phone number")
	}
	e164 := phonenumbers.Format(num, phonenumbers.E164)
	if !phonenumbers.IsPossibleNumber(num) || !isE164(e164) {
		return "", invalid("has too many or too few digits for country code +%d",
			num.GetCountryCode())
	}

	// Parsing drops a national trunk prefix such as the 0 in +44 (0)20.
	// Digits that only look like one, such as a run of zeros, would
	// shrink again on every pass; a number must read back as itself.
	again, err := phonenumbers.Parse(e164, defaultRegion)
	if err != nil || phonenumbers.Format(again, phonenumbers.E164) != e164 {
		return "", invalid("is not a number in the numbering plan of country code +%d",
			num.GetCountryCode())
	}
	return e164, nil
}

// invalid returns an error wrapping ErrInvalidNumber with the reason.
func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidNumber}, args...)...)
}
