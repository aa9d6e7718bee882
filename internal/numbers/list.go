package numbers

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Format is the format of a number list.
type Format string

const (
	// FormatText is one number per line. Blank lines are ignored, and so is
	// everything from a '#' to the end of its line.
	FormatText Format = "Text"
	// FormatCSV is comma-separated values with the number in the first
	// column. A first row whose first column holds no digit is a header and
	// is skipped; so are lines starting with '#'.
	FormatCSV Format = "CSV"
)

// Limits of a number list. A list is read in one piece from a ConfigMap,
// whose data is capped at 1 MiB by the API server anyway; the number limit
// keeps one order within what providers accept when they split it.
const (
	// MaxListBytes is the largest list ParseList reads.
	MaxListBytes = 1 << 20
	// MaxListNumbers is the most numbers a list may hold.
	MaxListNumbers = 10000
)

// maxReportedErrors bounds the errors a ListError keeps, so that a list of
// garbage yields a readable report instead of a megabyte of messages.
const maxReportedErrors = 100

// Errors wrapped by the LineErrors of a ListError, to tell them apart with
// errors.Is. Invalid numbers wrap ErrInvalidNumber.
var (
	// ErrListTooLarge means the list is over MaxListBytes.
	ErrListTooLarge = errors.New("number list too large")
	// ErrTooManyNumbers means the list holds more than MaxListNumbers.
	ErrTooManyNumbers = errors.New("too many numbers")
	// ErrEmptyList means the list holds no number.
	ErrEmptyList = errors.New("number list is empty")
	// ErrDuplicate means a number appears on more than one line.
	ErrDuplicate = errors.New("duplicate number")
	// ErrMalformed means a line cannot be read in the list's format.
	ErrMalformed = errors.New("malformed line")
	// ErrUnknownFormat means the format is neither Text nor CSV.
	ErrUnknownFormat = errors.New("unknown list format")
)

// LineError is a problem with one line of a number list, or with the whole
// list when Line is 0.
type LineError struct {
	// Line is the 1-based line number, 0 for the whole list.
	Line int
	// Err says what is wrong.
	Err error
}

// Error implements error.
func (e *LineError) Error() string {
	if e.Line == 0 {
		return e.Err.Error()
	}
	return fmt.Sprintf("line %d: %v", e.Line, e.Err)
}

// Unwrap returns the problem, so that errors.Is sees the sentinel errors.
func (e *LineError) Unwrap() error { return e.Err }

// ListError reports the problems of a number list, line by line.
type ListError struct {
	// Errors are the problems found, in line order, at most 100 of them.
	Errors []*LineError
	// Omitted counts the problems found beyond those kept in Errors.
	Omitted int
}

// Error implements error. It lists the first few problems, which is what
// fits in a condition message.
func (e *ListError) Error() string {
	const shown = 5
	var b strings.Builder
	for i, le := range e.Errors {
		if i == shown {
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(le.Error())
	}
	if more := len(e.Errors) - shown + e.Omitted; more > 0 {
		fmt.Fprintf(&b, "; and %d more", more)
	}
	return b.String()
}

// Unwrap returns the kept problems, so that errors.Is and errors.As look
// into them.
func (e *ListError) Unwrap() []error {
	errs := make([]error, len(e.Errors))
	for i, le := range e.Errors {
		errs[i] = le
	}
	return errs
}

// ParseList reads a number list and returns its numbers in E.164 form, in
// list order, each once. When a line cannot be used, the error is a
// *ListError naming every such line and what is wrong with it; the numbers
// returned alongside are the ones that could be read and must not be used as
// the list. Numbers without '+' are read as US or Canadian numbers.
func ParseList(data []byte, format Format) ([]string, error) {
	if len(data) > MaxListBytes {
		return nil, listError(0, fmt.Errorf("%w: %d bytes, the limit is %d: split it "+
			"across several PortRequests", ErrListTooLarge, len(data), MaxListBytes))
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))

	p := &parser{seen: make(map[string]int)}
	switch format {
	case FormatText:
		p.text(data)
	case FormatCSV:
		p.csv(data)
	default:
		return nil, listError(0, fmt.Errorf("%w %q: use Text or CSV", ErrUnknownFormat, format))
	}

	if len(p.numbers) == 0 && len(p.errs.Errors) == 0 && !p.tooMany {
		p.fail(0, fmt.Errorf("%w: add one number per line", ErrEmptyList))
	}
	if len(p.errs.Errors) > 0 {
		return p.numbers, &p.errs
	}
	return p.numbers, nil
}

// listError returns a ListError holding one problem.
func listError(line int, err error) *ListError {
	return &ListError{Errors: []*LineError{{Line: line, Err: err}}}
}

// parser collects the numbers and problems of one list.
type parser struct {
	numbers []string
	// seen maps each number read to the line it was first read on.
	seen    map[string]int
	errs    ListError
	tooMany bool
}

// add reads the number written on a line.
func (p *parser) add(line int, field string) {
	if len(p.numbers) == MaxListNumbers {
		if !p.tooMany {
			p.tooMany = true
			p.fail(line, fmt.Errorf("%w: the list holds more than %d numbers: split it "+
				"across several PortRequests", ErrTooManyNumbers, MaxListNumbers))
		}
		return
	}
	number, err := Normalize(field)
	if err != nil {
		p.fail(line, err)
		return
	}
	if first, ok := p.seen[number]; ok {
		p.fail(line, fmt.Errorf("%w: %s is already on line %d: remove one of them",
			ErrDuplicate, Mask(number), first))
		return
	}
	p.seen[number] = line
	p.numbers = append(p.numbers, number)
}

// fail records a problem.
func (p *parser) fail(line int, err error) {
	if len(p.errs.Errors) == maxReportedErrors {
		p.errs.Omitted++
		return
	}
	p.errs.Errors = append(p.errs.Errors, &LineError{Line: line, Err: err})
}

// text reads one number per line.
func (p *parser) text(data []byte) {
	line := 0
	for len(data) > 0 && !p.tooMany {
		line++
		var text []byte
		text, data, _ = bytes.Cut(data, []byte("\n"))
		if i := bytes.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		text = bytes.TrimSpace(text)
		if len(text) == 0 {
			continue
		}
		p.add(line, string(text))
	}
}

// csv reads the first column of each record.
func (p *parser) csv(data []byte) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	r.Comment = '#'
	r.ReuseRecord = true

	for first := true; !p.tooMany; first = false {
		record, err := r.Read()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			if !p.csvError(err) {
				return
			}
			continue
		}
		line, _ := r.FieldPos(0)
		field := strings.TrimSpace(record[0])
		switch {
		case first && !strings.ContainsAny(field, "0123456789"):
			// A header row, such as "number,location".
		case field == "":
			p.fail(line, fmt.Errorf("%w: the first column is empty: put the number there",
				ErrMalformed))
		default:
			p.add(line, field)
		}
	}
}

// csvError records a CSV syntax error and reports whether reading can go
// on: the reader resumes after a malformed record, but not after an error
// of the underlying reader, which cannot happen on a byte slice.
func (p *parser) csvError(err error) bool {
	var perr *csv.ParseError
	if !errors.As(err, &perr) {
		p.fail(0, fmt.Errorf("%w: %w", ErrMalformed, err))
		return false
	}
	p.fail(perr.StartLine, fmt.Errorf("%w: %w: check the quotes on this line",
		ErrMalformed, perr.Err))
	return true
}
