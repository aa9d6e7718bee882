package numbers

import (
	"github.com/nyaruka/phonenumbers"
)

// Region codes returned by Region.
const (
	// RegionUS is the United States.
	RegionUS = "US"
	// RegionCA is Canada.
	RegionCA = "CA"
)

// IsNANP reports whether number is in E.164 form and has the shape of a
// North American Numbering Plan number: +1, an area code and an exchange
// that start with 2-9, and a 4-digit line number. It does not say whether
// the area code is assigned, nor to which country: see Region.
func IsNANP(number string) bool {
	if len(number) != 2+nanpDigits || number[0] != '+' || number[1] != '1' {
		return false
	}
	for i := 2; i < len(number); i++ {
		if number[i] < '0' || number[i] > '9' {
			return false
		}
	}
	return number[2] >= '2' && number[5] >= '2'
}

// Region returns "US" or "CA" when number, in E.164 form, is a valid number
// of the United States or Canada, and "" otherwise: for numbers of other
// NANP countries such as Jamaica, for unassigned area codes and for anything
// that is not E.164. It asks phonenumbers' numbering plan, which knows each
// area code.
func Region(number string) string {
	if !IsNANP(number) {
		return ""
	}
	var national uint64
	for i := 2; i < len(number); i++ {
		national = national*10 + uint64(number[i]-'0')
	}
	countryCode := int32(1)
	// Building the number directly, instead of parsing the string again,
	// keeps a 10,000-number list check in the tens of milliseconds.
	num := &phonenumbers.PhoneNumber{CountryCode: &countryCode, NationalNumber: &national}
	switch region := phonenumbers.GetRegionCodeForNumber(num); region {
	case RegionUS, RegionCA:
		return region
	default:
		return ""
	}
}

// IsValid reports whether number, in E.164 form, is a valid number in its
// country's numbering plan. It accepts numbers of every country; use Region
// to restrict them to the US and Canada.
func IsValid(number string) bool {
	if !isE164(number) {
		return false
	}
	if IsNANP(number) {
		return Region(number) != "" || validNANPElsewhere(number)
	}
	num, err := phonenumbers.Parse(number, defaultRegion)
	if err != nil {
		return false
	}
	return phonenumbers.IsValidNumber(num)
}

// validNANPElsewhere reports whether a NANP number is valid in a NANP
// country other than the US and Canada, such as Jamaica.
func validNANPElsewhere(number string) bool {
	num, err := phonenumbers.Parse(number, defaultRegion)
	if err != nil {
		return false
	}
	return phonenumbers.IsValidNumber(num)
}

// isE164 reports whether s is '+' and 7 to 15 digits, the first not 0.
func isE164(s string) bool {
	if len(s) < 8 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Mask returns number with every digit but the last four replaced by '*',
// for logs and events: "+14155550111" becomes "+1******0111". The NANP
// country code 1 is kept because it says nothing about the subscriber;
// other country codes are masked with the rest. Input that is not E.164
// keeps only its digits, masked the same way, and four digits or fewer are
// masked entirely.
func Mask(number string) string {
	var digits [maxInputLen]byte
	n := 0
	for i := 0; i < len(number) && n < len(digits); i++ {
		if c := number[i]; c >= '0' && c <= '9' {
			digits[n] = c
			n++
		}
	}
	plus := len(number) > 0 && number[0] == '+'

	var b []byte
	keep := 0
	if plus {
		b = append(b, '+')
		if IsNANP(number) {
			b = append(b, '1')
			keep = 1
		}
	}
	shown := 4
	if n <= shown {
		shown = 0
	}
	for i := keep; i < n; i++ {
		if i < n-shown {
			b = append(b, '*')
		} else {
			b = append(b, digits[i])
		}
	}
	return string(b)
}
