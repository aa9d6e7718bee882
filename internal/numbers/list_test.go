package numbers

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestParseList(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		data   string
		want   []string
		// wantErrs are substrings of the ListError's problems, in order.
		wantErrs []string
	}{
		{
			name:   "text with comments and blank lines",
			format: FormatText,
			data: "# numbers of the main office\n\n+14155550111\n" +
				"(415) 555-0112  # front desk\r\n   \n415.555.0113\n",
			want: []string{"+14155550111", "+14155550112", "+14155550113"},
		},
		{
			name:   "text with a byte order mark",
			format: FormatText,
			data:   "\ufeff4155550111\n",
			want:   []string{"+14155550111"},
		},
		{
			name:   "text with a bad line and a duplicate",
			format: FormatText,
			data:   "+14155550111\n415 555 011\n(415) 555-0111\n",
			want:   []string{"+14155550111"},
			wantErrs: []string{
				"line 2: invalid phone number: has 9 digits",
				"line 3: duplicate number: +1******0111 is already on line 1",
			},
		},
		{
			name:     "text holding only comments",
			format:   FormatText,
			data:     "# nothing yet\n\n",
			wantErrs: []string{emptyList},
		},
		{
			name:     "empty text",
			format:   FormatText,
			data:     "",
			wantErrs: []string{emptyList},
		},
		{
			name:   "csv with a header",
			format: FormatCSV,
			data:   "number,location\n+14155550111,front desk\n\"(415) 555-0112\",fax\n",
			want:   []string{"+14155550111", "+14155550112"},
		},
		{
			name:   "csv without a header, one column, CRLF",
			format: FormatCSV,
			data:   "4155550111\r\n4155550112\r\n",
			want:   []string{"+14155550111", "+14155550112"},
		},
		{
			name:   "csv with comments, blank lines and spaces",
			format: FormatCSV,
			data:   "# exported from the carrier portal\nPhone Number\n\n  415-555-0111 , main\n",
			want:   []string{"+14155550111"},
		},
		{
			name:     "csv whose first row is a malformed number, not a header",
			format:   FormatCSV,
			data:     "415-555-011,main\n4155550112\n",
			want:     []string{"+14155550112"},
			wantErrs: []string{"line 1: invalid phone number: has 9 digits"},
		},
		{
			name:     "csv with an empty first column",
			format:   FormatCSV,
			data:     "4155550111\n,fax\n",
			want:     []string{"+14155550111"},
			wantErrs: []string{"line 2: malformed line: the first column is empty"},
		},
		{
			name:     "csv with a broken quote",
			format:   FormatCSV,
			data:     "4155550111\n\"415\"555,x\n4155550112\n",
			want:     []string{"+14155550111", "+14155550112"},
			wantErrs: []string{"line 2: malformed line"},
		},
		{
			name:     "csv duplicate in another form",
			format:   FormatCSV,
			data:     "number\n+1 415 555 0111\n415.555.0111\n",
			want:     []string{"+14155550111"},
			wantErrs: []string{"line 3: duplicate number: +1******0111 is already on line 2"},
		},
		{
			name:     "csv holding only a header",
			format:   FormatCSV,
			data:     "number,location\n",
			wantErrs: []string{emptyList},
		},
		{
			name:     "unknown format",
			format:   Format("JSON"),
			data:     "[]",
			wantErrs: []string{`unknown list format "JSON": use Text or CSV`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseList([]byte(tt.data), tt.format)
			if !slices.Equal(got, tt.want) {
				t.Errorf("numbers = %q, want %q", got, tt.want)
			}
			checkListError(t, err, tt.wantErrs)
		})
	}
}

// checkListError checks that err is a *ListError whose problems contain
// the wanted substrings, in order, or nil when none are wanted.
func checkListError(t *testing.T, err error, want []string) {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	var lerr *ListError
	if !errors.As(err, &lerr) {
		t.Fatalf("error %v is not a *ListError", err)
	}
	if len(lerr.Errors) != len(want) {
		t.Fatalf("got %d problems (%v), want %d", len(lerr.Errors), err, len(want))
	}
	for i, w := range want {
		if got := lerr.Errors[i].Error(); !strings.Contains(got, w) {
			t.Errorf("problem %d = %q, want it to contain %q", i, got, w)
		}
	}
}

func TestParseListSentinels(t *testing.T) {
	_, err := ParseList([]byte("4155550111\n4155550111\nabc\n"), FormatText)
	if !errors.Is(err, ErrDuplicate) || !errors.Is(err, ErrInvalidNumber) {
		t.Errorf("errors.Is does not see the sentinels through %v", err)
	}
	_, err = ParseList(nil, FormatText)
	if !errors.Is(err, ErrEmptyList) {
		t.Errorf("empty list: got %v, want ErrEmptyList", err)
	}
}

func TestParseListLimits(t *testing.T) {
	t.Run("too many bytes", func(t *testing.T) {
		data := []byte(strings.Repeat("#", MaxListBytes+1))
		got, err := ParseList(data, FormatText)
		if got != nil || !errors.Is(err, ErrListTooLarge) {
			t.Fatalf("got %d numbers and %v, want ErrListTooLarge", len(got), err)
		}
		if !strings.Contains(err.Error(), "split it across several PortRequests") {
			t.Errorf("error %q does not say how to fix it", err)
		}
	})

	t.Run("exactly the limit", func(t *testing.T) {
		got, err := ParseList(list(MaxListNumbers, "\n"), FormatText)
		if err != nil || len(got) != MaxListNumbers {
			t.Fatalf("got %d numbers and %v, want %d and no error", len(got), err,
				MaxListNumbers)
		}
	})

	for _, format := range []Format{FormatText, FormatCSV} {
		t.Run("one over the limit in "+string(format), func(t *testing.T) {
			got, err := ParseList(list(MaxListNumbers+1, "\n"), format)
			if !errors.Is(err, ErrTooManyNumbers) {
				t.Fatalf("got %v, want ErrTooManyNumbers", err)
			}
			want := fmt.Sprintf("line %d: too many numbers", MaxListNumbers+1)
			if !strings.HasPrefix(err.Error(), want) {
				t.Errorf("error %q does not start with %q", err, want)
			}
			if len(got) != MaxListNumbers {
				t.Errorf("got %d numbers, want the first %d", len(got), MaxListNumbers)
			}
		})
	}

	t.Run("problems are capped", func(t *testing.T) {
		_, err := ParseList([]byte(strings.Repeat("bad\n", 250)), FormatText)
		var lerr *ListError
		if !errors.As(err, &lerr) {
			t.Fatalf("got %v, want a *ListError", err)
		}
		if len(lerr.Errors) != maxReportedErrors || lerr.Omitted != 150 {
			t.Errorf("kept %d problems and omitted %d, want %d and 150",
				len(lerr.Errors), lerr.Omitted, maxReportedErrors)
		}
		if !strings.HasSuffix(err.Error(), "; and 245 more") {
			t.Errorf("error %q does not count the problems it leaves out", err)
		}
	})
}

// list returns n distinct valid US numbers, each followed by sep.
func list(n int, sep string) []byte {
	var b strings.Builder
	for i := range n {
		// Exchanges 200 to 999 and 10,000 line numbers give distinct
		// numbers in one area code for any n used here.
		fmt.Fprintf(&b, "+1415%03d%04d%s", 200+i/10000, i%10000, sep)
	}
	return []byte(b.String())
}

func BenchmarkParseList(b *testing.B) {
	for _, format := range []Format{FormatText, FormatCSV} {
		data := list(MaxListNumbers, ",main office\n")
		if format == FormatText {
			data = list(MaxListNumbers, "\n")
		}
		b.Run(string(format), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseList(data, format); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
