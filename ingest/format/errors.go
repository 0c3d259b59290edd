package format

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// ErrUnknownFormat is returned when no registered format recognises a file.
var ErrUnknownFormat = errors.New("not a known export format")

// ParseError makes a whole file unreadable; it names the file and line the
// way compilers do so editors can jump to it.
type ParseError struct {
	Format string
	Path   string
	Line   int64
	Msg    string
	Quote  string // a short excerpt of the offending input
	Err    error  // a sentinel callers can test with errors.Is, if any
}

func (e *ParseError) Unwrap() error { return e.Err }

func (e *ParseError) Error() string {
	s := fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	if e.Format != "" {
		s = e.Format + " " + s
	}
	if e.Quote != "" {
		s += fmt.Sprintf(" (%q)", e.Quote)
	}
	return s
}

// quote shortens raw input for an error message without splitting a rune.
func quote(b []byte) string {
	const max = 40
	if len(b) <= max {
		return string(b)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(b[cut]) {
		cut--
	}
	return string(b[:cut]) + "…"
}
