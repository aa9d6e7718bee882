package numbers

import (
	"errors"
	"strings"
	"testing"
)

// Strings the tables repeat.
const (
	parenForm  = "(415) 555-0111"
	spacedForm = "+1 415 555 0111"
	noDigits   = "holds no digits"
	emptyList  = "number list is empty"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr string
	}{
		{in: "+14155550111", want: "+14155550111"},
		{in: spacedForm, want: "+14155550111"},
		{in: parenForm, want: "+14155550111"},
		{in: "415.555.0111", want: "+14155550111"},
		{in: "415-555-0111", want: "+14155550111"},
		{in: "4155550111", want: "+14155550111"},
		{in: "1-415-555-0111", want: "+14155550111"},
		{in: "1 (415) 555-0111", want: "+14155550111"},
		{in: "+1 (415) 555-0111", want: "+14155550111"},
		{in: "+1-416-555-0113", want: "+14165550113"},
		{in: "  415/555-0111\t", want: "+14155550111"},
		{in: "415\u00a0555\u20130111", want: "+14155550111"},
		{in: "+44 20 7946 0958", want: "+442079460958"},
		{in: "+44 (0)20 7946 0958", want: "+442079460958"},
		{in: "011 44 20 7946 0958", want: "+442079460958"},
		{in: "", wantErr: noDigits},
		{in: "   ", wantErr: noDigits},
		{in: "+", wantErr: noDigits},
		{in: "555-0111", wantErr: "has 7 digits"},
		{in: "415 555 011", wantErr: "has 9 digits"},
		{in: "+1 415 555 01111", wantErr: "has 11 digits after +1"},
		{in: "(015) 555-0111", wantErr: "area code 015"},
		{in: "(415) 155-0111", wantErr: "exchange 155"},
		{in: "415-555-0111 x12", wantErr: "letter 'x'"},
		{in: "1-800-FLOWERS", wantErr: "letter 'F'"},
		{in: "415#555#0111", wantErr: "contains '#'"},
		{in: "++14155550111", wantErr: "contains '+'"},
		{in: "415+5550111", wantErr: "contains '+'"},
		{in: "+999 1234 5678", wantErr: "known country code"},
		{in: "+44 1", wantErr: "too many or too few"},
		{in: "+0 415 555 0111", wantErr: "country code starting with 0"},
		{in: "011 1 415 555 0111", want: "+14155550111"},
		{in: "011", wantErr: "no digits after"},
		{in: "+44 20 7946 0958 1234", wantErr: "too many or too few digits for country code +44"},
		{in: "\xff4155550111", wantErr: "UTF-8"},
		{in: strings.Repeat("1", 65), wantErr: "longer than 64"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Normalize(tt.in)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("Normalize(%q) = %q, want an error containing %q",
						tt.in, got, tt.wantErr)
				}
				if !errors.Is(err, ErrInvalidNumber) {
					t.Errorf("error %v does not wrap ErrInvalidNumber", err)
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error %q does not contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Normalize(%q) failed: %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestNormalizeErrorsHideTheNumber checks that errors, which end up in
// logs, never repeat the number they are about.
func TestNormalizeErrorsHideTheNumber(t *testing.T) {
	for _, in := range []string{"415 555 011", "+1 415 555 01111", "4155550111 x5"} {
		_, err := Normalize(in)
		if err == nil {
			t.Fatalf("Normalize(%q) succeeded, want an error", in)
		}
		if strings.Contains(err.Error(), "5550") {
			t.Errorf("error %q repeats the number", err)
		}
	}
}

func TestIsNANP(t *testing.T) {
	tests := map[string]bool{
		"+14155550111":  true,
		"+12015550123":  true,
		"+18765550111":  true,
		"+4155550111":   false,
		"+141555501111": false,
		"+10155550111":  false,
		"+14151550111":  false,
		"14155550111":   false,
		"+1415555011a":  false,
		"":              false,
	}
	for in, want := range tests {
		if got := IsNANP(in); got != want {
			t.Errorf("IsNANP(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestRegion(t *testing.T) {
	tests := map[string]string{
		"+14155550111":  RegionUS,
		"+12125550111":  RegionUS,
		"+13125550114":  RegionUS,
		"+14165550113":  RegionCA,
		"+16135550111":  RegionCA,
		"+16045550111":  RegionCA,
		"+18765550111":  "", // Jamaica: NANP, but not the US or Canada
		"+17875550111":  "", // Puerto Rico has its own region code
		"+15555550111":  "", // 555 is not an assigned area code
		"+442079460958": "",
		"4155550111":    "",
		"":              "",
	}
	for in, want := range tests {
		if got := Region(in); got != want {
			t.Errorf("Region(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsValid(t *testing.T) {
	tests := map[string]bool{
		"+14155550111":  true,
		"+14165550113":  true,
		"+18765550111":  true,
		"+442079460958": true,
		"+15555550111":  false,
		"+4420":         false,
		"+04155550111":  false,
		"4155550111":    false,
		"+1 4155550111": false,
	}
	for in, want := range tests {
		if got := IsValid(in); got != want {
			t.Errorf("IsValid(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestMask(t *testing.T) {
	tests := map[string]string{
		"+14155550111":   "+1******0111",
		"+442079460958":  "+********0958",
		parenForm:        "******0111",
		"+1234":          "+****",
		"1234":           "****",
		"12345":          "*2345",
		"":               "",
		"no digits here": "",
		spacedForm:       "+*******0111",
	}
	for in, want := range tests {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkNormalize(b *testing.B) {
	inputs := []string{"+14155550111", parenForm, spacedForm, "415.555.0111"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := Normalize(inputs[i%len(inputs)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRegion(b *testing.B) {
	inputs := []string{"+14155550111", "+14165550113"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if Region(inputs[i%len(inputs)]) == "" {
			b.Fatal("no region")
		}
	}
}
