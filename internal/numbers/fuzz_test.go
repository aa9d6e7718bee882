package numbers

import (
	"errors"
	"strings"
	"testing"
)

// The seed corpora under testdata/fuzz run as ordinary test cases with
// go test; go test -fuzz=FuzzNormalize explores beyond them.

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"+14155550111", parenForm, "011 44 20 7946 0958", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Normalize(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidNumber) {
				t.Fatalf("Normalize(%q) error %v does not wrap ErrInvalidNumber", s, err)
			}
			return
		}
		if !isE164(got) {
			t.Fatalf("Normalize(%q) = %q, which is not E.164", s, got)
		}
		again, err := Normalize(got)
		if err != nil || again != got {
			t.Fatalf("Normalize(%q) = %q, %v: not idempotent on %q", got, again, err, s)
		}
		if strings.HasPrefix(got, "+1") && !IsNANP(got) {
			t.Fatalf("Normalize(%q) = %q: +1 but not NANP-shaped", s, got)
		}
		checkMasked(t, got)
	})
}

func FuzzParseList(f *testing.F) {
	f.Add([]byte("+14155550111\n(415) 555-0112 # desk\n"), false)
	f.Add([]byte("number,location\n4155550111,main\n"), true)
	f.Fuzz(func(t *testing.T, data []byte, csv bool) {
		format := FormatText
		if csv {
			format = FormatCSV
		}
		got, err := ParseList(data, format)
		if len(got) > MaxListNumbers {
			t.Fatalf("ParseList returned %d numbers, over the limit", len(got))
		}
		seen := make(map[string]bool, len(got))
		for _, n := range got {
			if again, nerr := Normalize(n); nerr != nil || again != n {
				t.Fatalf("ParseList returned %q, which is not normalized", n)
			}
			if seen[n] {
				t.Fatalf("ParseList returned %q twice", n)
			}
			seen[n] = true
		}
		if err == nil {
			if len(got) == 0 {
				t.Fatal("ParseList returned no number and no error")
			}
			return
		}
		checkListErrorLines(t, data, err)
	})
}

// checkListErrorLines checks that err is a *ListError whose line numbers
// lie within data and whose messages hide the numbers they are about.
func checkListErrorLines(t *testing.T, data []byte, err error) {
	t.Helper()
	var lerr *ListError
	if !errors.As(err, &lerr) {
		t.Fatalf("error %v is not a *ListError", err)
	}
	if len(lerr.Errors) == 0 || len(lerr.Errors) > maxReportedErrors {
		t.Fatalf("ListError holds %d problems", len(lerr.Errors))
	}
	lines := strings.Count(string(data), "\n") + 1
	for _, le := range lerr.Errors {
		if le.Line < 0 || le.Line > lines {
			t.Fatalf("problem %q names line %d of a %d-line list", le, le.Line, lines)
		}
	}
}

// checkMasked checks that Mask shows at most four digits of number.
func checkMasked(t *testing.T, number string) {
	t.Helper()
	masked := Mask(number)
	shown := 0
	for i := 0; i < len(masked); i++ {
		if masked[i] >= '0' && masked[i] <= '9' {
			shown++
		}
	}
	limit := 4
	if IsNANP(number) {
		limit = 5 // the country code 1 is kept
	}
	if shown > limit {
		t.Fatalf("Mask(%q) = %q shows %d digits", number, masked, shown)
	}
}
