package format

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// jsonScanner walks a JSON document a token at a time straight from a
// stream, so an export of any size is read in constant memory. It is the
// shared engine of the JSON formats (Telegram, Discord, Slack; jsonWalk
// below is their toolkit on top of it): a parser descends into the arrays
// it wants, decodes the fields it needs and skips every other value
// without building it.
//
// It is built for speed: strings, whitespace and skipped values are
// scanned eight bytes at a time (SWAR) in one buffer it refills itself, and
// nothing is allocated per token. Slices it returns (strings, numbers, keys)
// point into that buffer or a scratch one and stay valid only until the
// next call; callers check the UTF-8 of what they keep. Errors are
// *ParseError with the line of the offending byte: lines are counted lazily,
// over the bytes already read, when a line is asked for.
//
// Beyond RFC 8259 it accepts the \xHH escape Telegram Desktop writes for
// control characters and treats control characters other than NUL as
// whitespace; inside values it skips it checks only strings, bracket
// nesting and NUL bytes.
type jsonScanner struct {
	r      io.Reader
	format string
	path   string

	buf  []byte // data, then at least 8 bytes of slack for word loads
	pos  int    // next unread byte; the start of what a refill keeps
	end  int    // buf[:end] holds data
	eof  bool
	rerr error // a read error other than io.EOF

	lines   int64 // newlines in the stream before buf[linePos]
	linePos int

	// mark keeps the bytes of the record being read across refills, so a
	// rejected record can be quoted whole; -1 when unset or given up.
	mark int

	scratch []byte // strings that had escapes, decoded
	keyBuf  []byte
	stack   []byte

	// depth counts the objects and arrays entered (enter) and not yet
	// closed (key, elem): a record found too large is skipped to the depth
	// it began at, whatever the parser was reading inside it.
	depth int
	// max is the largest string or record, in bytes; limit is the index in
	// buf past which the record being read (beginRecord) exceeds it, and
	// noLimit outside a record. It moves with the buffer on refills.
	max   int
	limit int
}

const noLimit = math.MaxInt

const (
	jsonBufSize  = 1 << 20  // four times the source's buffer, so reads skip its copy
	jsonMaxToken = 64 << 20 // longest value that must be held whole
	jsonMaxMark  = 1 << 20  // longest record kept for a reject's raw text
	jsonMaxDepth = 10000
)

func newJSONScanner(r io.Reader, format, path string) *jsonScanner {
	return &jsonScanner{r: r, format: format, path: path, buf: *scanBufs.Get().(*[]byte), mark: -1,
		max: DefaultMaxMessage, limit: noLimit}
}

// scanBufs recycles scanner buffers: a load of many small exports would
// otherwise take a fresh megabyte, and its page faults, for each.
var scanBufs = sync.Pool{New: func() any {
	b := make([]byte, jsonBufSize+8)
	return &b
}}

// release gives the buffer back; the scanner is not used after.
func (s *jsonScanner) release() {
	if buf := s.buf; len(buf) == jsonBufSize+8 { // not grown for a long value
		scanBufs.Put(&buf)
	}
	s.buf = nil
}

var newline = []byte{'\n'}

// refill reads more input, first moving the bytes from s.pos (or the mark)
// to the front of the buffer. It returns by how much indexes into the buffer
// moved, and false when no byte was added (end of input or an error).
func (s *jsonScanner) refill() (shift int, ok bool) {
	if s.eof {
		return 0, false
	}
	keep := s.pos
	if s.mark >= 0 {
		if s.end-s.mark > jsonMaxMark {
			s.mark = -1
		} else if s.mark < keep {
			keep = s.mark
		}
	}
	if s.linePos <= keep {
		s.lines += int64(bytes.Count(s.buf[s.linePos:keep], newline))
	} else {
		s.lines -= int64(bytes.Count(s.buf[keep:s.linePos], newline))
	}
	s.linePos = 0
	if keep > 0 {
		s.end = copy(s.buf, s.buf[keep:s.end])
		s.pos -= keep
		if s.mark >= 0 {
			s.mark -= keep
		}
		if s.limit != noLimit {
			s.limit -= keep
		}
	}
	if s.end == len(s.buf)-8 {
		// Values longer than max are refused before this (str, number):
		// this is the backstop.
		if len(s.buf) >= max(jsonMaxToken, s.max+jsonBufSize) {
			s.rerr = errJSONTooLong
			s.eof = true
			return keep, false
		}
		nb := make([]byte, 2*len(s.buf)-8)
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for empty := 0; ; empty++ {
		n, err := s.r.Read(s.buf[s.end : len(s.buf)-8])
		s.end += n
		if err == nil && n == 0 && empty == 100 {
			err = io.ErrNoProgress // as bufio does
		}
		if err != nil {
			s.eof = true
			if !errors.Is(err, io.EOF) {
				s.rerr = err
			}
			return keep, n > 0
		}
		if n > 0 {
			return keep, true
		}
	}
}

var errJSONTooLong = fmt.Errorf("a single JSON value longer than %d MiB", jsonMaxToken>>20)

// lineAt is the 1-based line of buf[p].
func (s *jsonScanner) lineAt(p int) int64 {
	if p >= s.linePos {
		s.lines += int64(bytes.Count(s.buf[s.linePos:p], newline))
		s.linePos = p
		return s.lines + 1
	}
	return s.lines + 1 - int64(bytes.Count(s.buf[p:s.linePos], newline))
}

// errorAt builds the error for the byte at p.
func (s *jsonScanner) errorAt(p int, msg string) *ParseError {
	p = min(max(p, 0), s.end)
	q := s.buf[p:min(p+40, s.end)]
	if i := bytes.IndexByte(q, '\n'); i >= 0 {
		q = q[:i]
	}
	return &ParseError{Format: s.format, Path: s.path, Line: s.lineAt(p), Msg: msg,
		Quote: quote(bytes.ToValidUTF8(q, []byte("?")))}
}

// unexpected explains why the byte at s.pos is not what was wanted.
func (s *jsonScanner) unexpected(want string) error {
	if s.pos >= s.end {
		return s.eofError("want " + want)
	}
	c := s.buf[s.pos]
	switch {
	case c == 0:
		return s.errorAt(s.pos, "binary data (NUL byte): not a JSON export")
	case c >= utf8.RuneSelf && !startsValidRune(s.buf[s.pos:s.end]):
		return s.errorAt(s.pos, "invalid UTF-8: binary data or a damaged file")
	}
	r, _ := utf8.DecodeRune(s.buf[s.pos:s.end])
	return s.errorAt(s.pos, fmt.Sprintf("invalid JSON: unexpected %q, want %s", r, want))
}

func startsValidRune(b []byte) bool {
	r, size := utf8.DecodeRune(b)
	return !(r == utf8.RuneError && size <= 1)
}

// eofError reports input that ended (or failed) in the middle of the document.
func (s *jsonScanner) eofError(what string) error {
	if s.rerr != nil {
		e := s.errorAt(s.end, s.rerr.Error())
		e.Err = s.rerr
		return e
	}
	return s.errorAt(s.end, "unexpected end of file (truncated JSON?): "+what)
}

// ws skips whitespace and returns the next byte without consuming it, or 0
// at the end of input or at a NUL byte (see unexpected). Other control
// characters count as whitespace.
func (s *jsonScanner) ws() byte {
	if s.pos < s.end && s.buf[s.pos] > ' ' {
		return s.buf[s.pos]
	}
	return s.wsSlow()
}

func (s *jsonScanner) wsSlow() byte {
	// The one space after a colon.
	if p := s.pos + 1; p < s.end && s.buf[p-1] == ' ' && s.buf[p] > ' ' {
		s.pos = p
		return s.buf[p]
	}
	// A line break and up to seven spaces of indentation: pretty-printed
	// exports (Telegram's) have one before every key.
	if p := s.pos; p+9 <= s.end && s.buf[p] == '\n' {
		spaces := bits.TrailingZeros64(binary.LittleEndian.Uint64(s.buf[p+1:])^(ones*' ')) >> 3
		if q := p + 1 + spaces; spaces < 8 && s.buf[q] > ' ' {
			s.pos = q
			return s.buf[q]
		}
	}
	for {
		for p := s.pos; p < s.end; p += 8 {
			x := binary.LittleEndian.Uint64(s.buf[p:])
			// High bit of each byte above ' ' (bytes >= 0x80 have it already).
			m := ((x & 0x7f7f7f7f7f7f7f7f) + 0x5f5f5f5f5f5f5f5f | x) & 0x8080808080808080
			valid := min(s.end-p, 8) // bytes past the end are stale
			n := valid
			if m != 0 {
				n = min(bits.TrailingZeros64(m)>>3, valid)
			}
			if z := zeroBytes(x) & (1<<(8*n) - 1); z != 0 {
				s.pos = p + bits.TrailingZeros64(z)>>3
				return 0
			}
			if n < valid {
				s.pos = p + n
				return s.buf[p+n]
			}
		}
		s.pos = s.end
		if _, ok := s.refill(); !ok {
			return 0
		}
	}
}

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// zeroBytes has the high bit set in the lowest zero byte of x (and maybe in
// bytes above it): its lowest set bit is exact.
func zeroBytes(x uint64) uint64 { return (x - ones) &^ x & highs }

// quoteOrEscape marks '"' and '\' bytes of x, lowest exact.
func quoteOrEscape(x uint64) uint64 {
	return zeroBytes(x^(ones*'"')) | zeroBytes(x^(ones*'\\'))
}

// atEnd reports whether only whitespace is left.
func (s *jsonScanner) atEnd() bool {
	return s.ws() == 0 && s.pos >= s.end && s.rerr == nil
}

// finish checks that only whitespace follows the document.
func (s *jsonScanner) finish() error {
	switch {
	case s.atEnd():
		return nil
	case s.rerr != nil:
		return s.eofError("")
	case s.pos < s.end && s.buf[s.pos] == 0:
		return s.unexpected("the end of the document")
	}
	return s.errorAt(s.pos, "invalid JSON: data after the end of the document")
}

// enter consumes c ('{' or '[') after optional whitespace. Every object
// and array a parser reads goes through it (not s.pos++), so that depth
// stays true.
func (s *jsonScanner) enter(c byte, want string) error {
	if s.ws() != c {
		return s.unexpected(want)
	}
	s.pos++
	s.depth++
	return nil
}

// key returns the next member name of the object being read, or nil after
// its closing brace. n counts the members read so far; start it at 0.
func (s *jsonScanner) key(n *int) ([]byte, error) {
	c := s.ws()
	if s.pos > s.limit {
		return nil, s.tooLarge(s.pos)
	}
	if c == '}' {
		s.pos++
		s.depth--
		return nil, nil
	}
	if *n > 0 {
		if c != ',' {
			return nil, s.unexpected("',' or '}'")
		}
		s.pos++
	}
	*n++
	k, err := s.str()
	if err != nil {
		return nil, err
	}
	if s.pos < s.end && s.buf[s.pos] == ':' {
		s.pos++
		return k, nil
	}
	// The colon is further on and a refill may move k: keep a copy (never
	// nil, which would mean the end of the object).
	if s.keyBuf == nil {
		s.keyBuf = make([]byte, 0, 64)
	}
	s.keyBuf = append(s.keyBuf[:0], k...)
	if s.ws() != ':' {
		return nil, s.unexpected("':'")
	}
	s.pos++
	return s.keyBuf, nil
}

// elem reports whether the array being read has another element (and
// consumes the comma before it); false after the closing bracket.
func (s *jsonScanner) elem(n *int) (bool, error) {
	c := s.ws()
	if s.pos > s.limit {
		return false, s.tooLarge(s.pos)
	}
	if c == ']' {
		s.pos++
		s.depth--
		return false, nil
	}
	if *n > 0 {
		if c != ',' {
			return false, s.unexpected("',' or ']'")
		}
		s.pos++
	}
	*n++
	return true, nil
}

// peek returns the first byte of the next value: '"', '{', '[', 'n', a digit...
func (s *jsonScanner) peek() byte { return s.ws() }

// str reads a string value.
func (s *jsonScanner) str() ([]byte, error) {
	if s.ws() != '"' {
		return nil, s.unexpected("a string")
	}
	start := s.pos + 1
	p := start
	for {
		for ; p < s.end; p += 8 {
			m := quoteOrEscape(binary.LittleEndian.Uint64(s.buf[p:]))
			if m == 0 {
				continue
			}
			q := p + bits.TrailingZeros64(m)>>3
			if q >= s.end {
				break
			}
			if s.buf[q] == '"' {
				s.pos = q + 1
				if q-start > s.max {
					return nil, s.tooLarge(start)
				}
				return s.buf[start:q], nil
			}
			return s.strEscaped(start)
		}
		if s.end-start > s.max {
			return nil, s.skipLongStr(s.lineAt(start), s.end)
		}
		s.pos = start - 1
		p = s.end
		shift, ok := s.refill()
		start -= shift
		p -= shift
		if !ok {
			return nil, s.eofError("unterminated string")
		}
	}
}

// skipLongStr gives up a string longer than s.max that began on line and
// whose bytes before buf[p] (p past any escape) hold no closing quote: the
// rest is skipped, not held, and errValueTooLarge returned.
func (s *jsonScanner) skipLongStr(line int64, p int) error {
	if err := s.skipStrFrom(p); err != nil {
		return err
	}
	return s.tooLargeAt(line)
}

// strOrNull reads a string or null (nil, true).
func (s *jsonScanner) strOrNull() ([]byte, bool, error) {
	if s.ws() == 'n' {
		return nil, true, s.literal("null")
	}
	b, err := s.str()
	return b, false, err
}

// strEscaped decodes a string with escapes into s.scratch; start is the
// first byte after the opening quote.
func (s *jsonScanner) strEscaped(start int) ([]byte, error) {
	out := s.scratch[:0]
	p := start
	var line int64 // where the string began, once a refill may drop it
	for {
		if p >= s.end {
			if line == 0 {
				line = s.lineAt(start)
			}
			if len(out) > s.max {
				s.scratch = out[:0]
				return nil, s.skipLongStr(line, p)
			}
			s.pos = p
			shift, ok := s.refill()
			p -= shift
			if !ok {
				return nil, s.eofError("unterminated string")
			}
			continue
		}
		switch c := s.buf[p]; c {
		case '"':
			s.pos = p + 1
			s.scratch = out
			if len(out) > s.max {
				if line == 0 {
					line = s.lineAt(start)
				}
				return nil, s.tooLargeAt(line)
			}
			return out, nil
		case '\\':
			// The longest escape is a surrogate pair, \uD83D\uDE00.
			for s.end-p < 12 && !s.eof {
				if line == 0 {
					line = s.lineAt(start)
				}
				s.pos = p
				shift, _ := s.refill()
				p -= shift
			}
			var err error
			if out, p, err = s.unescape(out, p); err != nil {
				return nil, err
			}
		default:
			q := p + 1
			for ; q < s.end; q += 8 {
				if m := quoteOrEscape(binary.LittleEndian.Uint64(s.buf[q:])); m != 0 {
					q += bits.TrailingZeros64(m) >> 3
					break
				}
			}
			q = min(q, s.end)
			out = append(out, s.buf[p:q]...)
			p = q
		}
	}
}

// unescape decodes the escape at buf[p] (a backslash) onto out.
func (s *jsonScanner) unescape(out []byte, p int) ([]byte, int, error) {
	if p+1 >= s.end {
		s.pos = p
		return nil, p, s.eofError("unterminated string")
	}
	switch c := s.buf[p+1]; c {
	case '"', '\\', '/':
		return append(out, c), p + 2, nil
	case 'b':
		return append(out, '\b'), p + 2, nil
	case 'f':
		return append(out, '\f'), p + 2, nil
	case 'n':
		return append(out, '\n'), p + 2, nil
	case 'r':
		return append(out, '\r'), p + 2, nil
	case 't':
		return append(out, '\t'), p + 2, nil
	case 'x': // Telegram Desktop writes other control characters as \xHH
		v, ok := hexValue(s.buf[p+2 : min(p+4, s.end)])
		if !ok {
			s.pos = p
			return nil, p, s.errorAt(p, "invalid JSON: bad \\x escape")
		}
		return append(out, byte(v)), p + 4, nil
	case 'u':
		r, ok := hexValue(s.buf[p+2 : min(p+6, s.end)])
		if !ok {
			s.pos = p
			return nil, p, s.errorAt(p, "invalid JSON: bad \\u escape")
		}
		p += 6
		if utf16.IsSurrogate(rune(r)) {
			lo, ok := rune(-1), false
			if p+6 <= s.end && s.buf[p] == '\\' && s.buf[p+1] == 'u' {
				var v uint32
				if v, ok = hexValue(s.buf[p+2 : p+6]); ok {
					lo = rune(v)
				}
			}
			if d := utf16.DecodeRune(rune(r), lo); ok && d != utf8.RuneError {
				return utf8.AppendRune(out, d), p + 6, nil
			}
			return utf8.AppendRune(out, utf8.RuneError), p, nil
		}
		return utf8.AppendRune(out, rune(r)), p, nil
	}
	s.pos = p
	return nil, p, s.errorAt(p, "invalid JSON: unknown escape")
}

func hexValue(b []byte) (uint32, bool) {
	if len(b) != 2 && len(b) != 4 {
		return 0, false
	}
	var v uint32
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		v = v<<4 | uint32(c)
	}
	return v, true
}

// number reads a number token as written (digits, sign, point, exponent).
func (s *jsonScanner) number() ([]byte, error) {
	c := s.ws()
	if c != '-' && (c < '0' || c > '9') {
		return nil, s.unexpected("a number")
	}
	p := s.pos + 1
	for {
		for p < s.end {
			c := s.buf[p]
			if c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+' {
				p++
				continue
			}
			tok := s.buf[s.pos:p]
			s.pos = p
			return tok, nil
		}
		if p-s.pos > s.max {
			s.pos = p
			return nil, s.tooLarge(p)
		}
		shift, ok := s.refill()
		p -= shift
		if !ok {
			tok := s.buf[s.pos:p]
			s.pos = p
			return tok, nil
		}
	}
}

// id reads a number or a string holding an id (ids are often big numbers
// that exporters write either way) and returns its text.
func (s *jsonScanner) id() ([]byte, error) {
	if s.ws() == '"' {
		return s.str()
	}
	return s.number()
}

// literal consumes true, false or null.
func (s *jsonScanner) literal(word string) error {
	for s.end-s.pos < len(word) {
		if _, ok := s.refill(); !ok {
			break
		}
	}
	if s.end-s.pos < len(word) || string(s.buf[s.pos:s.pos+len(word)]) != word {
		return s.unexpected(word)
	}
	s.pos += len(word)
	return nil
}

// skip consumes one value of any kind.
func (s *jsonScanner) skip() error {
	switch c := s.ws(); {
	case c == '"':
		return s.skipStr()
	case c == '{' || c == '[':
		return s.skipNested()
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		_, err := s.number()
		return err
	}
	return s.unexpected("a JSON value")
}

// skipStr consumes the string at s.pos without decoding it.
func (s *jsonScanner) skipStr() error { return s.skipStrFrom(s.pos + 1) }

// skipStrFrom consumes the rest of a string from buf[p], a byte after its
// opening quote and not inside an escape.
func (s *jsonScanner) skipStrFrom(p int) error {
	for {
		for p < s.end {
			m := quoteOrEscape(binary.LittleEndian.Uint64(s.buf[p:]))
			if m == 0 {
				p = min(p+8, s.end)
				continue
			}
			q := p + bits.TrailingZeros64(m)>>3
			if q >= s.end {
				p = s.end
				break
			}
			if s.buf[q] == '"' {
				s.pos = q + 1
				return nil
			}
			p = q + 2 // a backslash and the byte it escapes
		}
		// p may stand past the end after an escape split by the buffer's end.
		s.pos = min(p, s.end)
		over := p - s.pos
		shift, ok := s.refill()
		if !ok {
			return s.eofError("unterminated string")
		}
		p = s.pos + over
		_ = shift
	}
}

// skipNested consumes the object or array at s.pos.
func (s *jsonScanner) skipNested() error { return s.scanNested(s.stack[:0]) }

// skipOut skips to the end of the objects and arrays entered since the
// depth was depth: a record given up halfway is left behind whole.
func (s *jsonScanner) skipOut(depth int) error {
	open := s.depth - depth
	if open <= 0 {
		return nil
	}
	// Brackets whose kind was not kept: 0 closes with either.
	stack := append(s.stack[:0], make([]byte, open)...)
	s.depth = depth
	if err := s.scanNested(stack); err != nil {
		return err
	}
	s.depth = depth
	return nil
}

// scanNested consumes bytes from s.pos until the brackets on stack (the
// closers wanted, 0 for either) and those opened after are closed.
func (s *jsonScanner) scanNested(stack []byte) error {
	p := s.pos
	for {
		buf := s.buf[:s.end]
		for p < len(buf) {
			x := binary.LittleEndian.Uint64(s.buf[p:])
			// '"', NUL, and (folding '[' to '{' and ']' to '}') brackets.
			y := x | ones*0x20
			if m := zeroBytes(x^(ones*'"')) | zeroBytes(x) | zeroBytes(y^(ones*'{')) | zeroBytes(y^(ones*'}')); m == 0 {
				p += 8
				continue
			} else {
				p += bits.TrailingZeros64(m) >> 3
				if p >= len(buf) {
					break
				}
			}
			c := buf[p]
			switch {
			case c == '"':
				// A string without escapes inside this buffer: skip it here.
				q := p + 1
				for ; q < len(buf); q += 8 {
					if m := quoteOrEscape(binary.LittleEndian.Uint64(s.buf[q:])); m != 0 {
						q += bits.TrailingZeros64(m) >> 3
						break
					}
				}
				if q < len(buf) && buf[q] == '"' {
					p = q + 1
					continue
				}
				s.pos = p
				if err := s.skipStr(); err != nil {
					return err
				}
				p = s.pos
				buf = s.buf[:s.end]
				continue
			case c == '{':
				stack = append(stack, '}')
			case c == '[':
				stack = append(stack, ']')
			case c == '}' || c == ']':
				if len(stack) == 0 || stack[len(stack)-1] != c && stack[len(stack)-1] != 0 {
					s.pos = p
					return s.unexpected("a matching bracket")
				}
				stack = stack[:len(stack)-1]
				if len(stack) == 0 {
					s.pos = p + 1
					s.stack = stack
					return nil
				}
			case c == 0:
				s.pos = p
				return s.unexpected("a JSON value")
			}
			p++
		}
		p = min(p, s.end)
		if len(stack) > jsonMaxDepth {
			s.pos = p
			return s.errorAt(p, "JSON nested too deeply")
		}
		s.pos = p
		shift, ok := s.refill()
		p -= shift
		if !ok {
			return s.eofError(fmt.Sprintf("%d unclosed bracket(s)", len(stack)))
		}
	}
}

// markHere starts keeping the bytes of a record from s.pos on.
func (s *jsonScanner) markHere() { s.mark = s.pos }

// marked returns the record read since markHere (shortened), for a reject.
func (s *jsonScanner) marked() string {
	if s.mark < 0 {
		return ""
	}
	raw := s.buf[s.mark:min(s.pos, s.end)]
	const max = 4 << 10
	if len(raw) > max {
		raw = append(raw[:max:max], "…"...)
	}
	return string(bytes.ToValidUTF8(raw, []byte("?")))
}

// validUTF8 checks a decoded string the caller keeps.
func (s *jsonScanner) validUTF8(b []byte) error {
	if utf8.Valid(b) {
		return nil
	}
	return s.errorAt(s.pos-1, "invalid UTF-8 in a string: binary data or a damaged file")
}

// digits parses a non-negative decimal integer.
func digits(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// strArena makes Go strings of decoded bytes without one allocation each:
// it copies them into large chunks, never written again where a string
// points, so each string stays immutable. A chunk lives as long as any of
// its strings.
type strArena struct{ buf []byte }

const arenaChunk = 64 << 10

func (a *strArena) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > cap(a.buf)-len(a.buf) {
		if len(b) > arenaChunk/8 {
			return string(b)
		}
		a.buf = make([]byte, 0, arenaChunk)
	}
	start := len(a.buf)
	a.buf = append(a.buf, b...)
	return unsafe.String(&a.buf[start], len(b))
}

// errValueTooLarge marks a string, number or record longer than the
// scanner's max (Input.MaxMessageBytes): the record holding it is rejected
// with its line and the parse goes on.
var errValueTooLarge = errors.New("larger than the message size limit")

// tooLarge is the error for a value too long, found at buf[p].
func (s *jsonScanner) tooLarge(p int) error { return s.tooLargeAt(s.lineAt(p)) }

func (s *jsonScanner) tooLargeAt(line int64) error {
	return &ParseError{Format: s.format, Path: s.path, Line: line, Err: errValueTooLarge,
		Msg: fmt.Sprintf("a JSON value larger than %d bytes (the message size limit)", s.max)}
}

// beginRecord starts a record (a message) at s.pos: its bytes are kept for
// a reject (markHere) and counted against max.
func (s *jsonScanner) beginRecord() {
	s.mark = s.pos
	s.limit = noLimit
	if s.pos <= noLimit-s.max {
		s.limit = s.pos + s.max
	}
}

func (s *jsonScanner) endRecord() { s.mark, s.limit = -1, noLimit }

// jsonWalk is the toolkit the JSON formats (Telegram, Discord, Slack)
// share on top of the scanner: the loop over an array of records with its
// rejects, size limit and cancellation; readers of typed values that
// reject the record, not the file, when a value is of the wrong kind; and
// the strings a parser keeps (interned, or copied into an arena). The hot
// path stays a plain loop over keys in each parser: no callback per key.
type jsonWalk struct {
	*jsonScanner
	ctx  context.Context
	sink Sink

	where  string // prefixed to the reasons of rejects: the file inside an export
	count  int
	reason string // why the record being read is rejected; "" when it is fine
	bad    bool   // a string of the record is not UTF-8
	intern map[string]string
	arena  strArena
}

// recordReader reads one record at the scanner (read) and then sends what
// it read to the sink (emit), unless the walk rejects it in between.
type recordReader interface {
	read(line int64) error
	emit(line int64) error
}

func newJSONWalk(ctx context.Context, in Input, format string, sink Sink) *jsonWalk {
	w := &jsonWalk{jsonScanner: newJSONScanner(in.R, format, in.Path), ctx: ctx, sink: sink,
		intern: map[string]string{}}
	w.max = in.MaxMessageBytes()
	return w
}

// reset starts the walk on another file (of a folder export), keeping the
// strings shared so far.
func (w *jsonWalk) reset(in Input) {
	w.release()
	w.jsonScanner = newJSONScanner(in.R, w.format, in.Path)
	w.max = in.MaxMessageBytes()
	w.where = ""
}

// maxInterned bounds the maps of people and strings a parser keeps; past
// it, values are simply not shared.
const maxInterned = 1 << 18

// records reads an array of records ('[' not yet consumed), calling r for
// each. A record larger than max is skipped and rejected with its line; a
// record read set a reason for is rejected with it; invalid UTF-8 fails
// the file, naming the record's line.
func (w *jsonWalk) records(what string, r recordReader) error {
	if err := w.enter('[', "an array of "+what); err != nil {
		return err
	}
	for n := 0; ; {
		more, err := w.elem(&n)
		if err != nil || !more {
			return err
		}
		if w.count++; w.count&4095 == 0 {
			if err := w.ctx.Err(); err != nil {
				return err
			}
		}
		w.ws()
		line := w.lineAt(w.pos)
		depth := w.depth
		w.beginRecord()
		w.reason, w.bad = "", false
		err = r.read(line)
		switch {
		case errors.Is(err, errValueTooLarge):
			if err := w.skipOut(depth); err != nil {
				return err
			}
			err = w.sink.Reject(line, fmt.Sprintf("%sa record of %s larger than %d bytes (the message size limit): not read", w.where, what, w.max), "")
		case err != nil:
			return err
		case w.bad:
			return w.badUTF8(line)
		case w.reason != "":
			err = w.sink.Reject(line, w.where+w.reason, w.marked())
		default:
			err = r.emit(line)
		}
		w.endRecord()
		if err != nil {
			return err
		}
	}
}

// reject notes why the record being read will be rejected (the first
// reason wins).
func (w *jsonWalk) reject(reason string) {
	if w.reason == "" {
		w.reason = reason
	}
}

// wrongKind skips a value that is not of the kind wanted, rejecting the
// record.
func (w *jsonWalk) wrongKind(key, want string) error {
	w.reject(fmt.Sprintf("%q is not %s", key, want))
	return w.skip()
}

// object enters the object that is the value of key: false for null, and
// for any other kind, which is skipped and rejects the record.
func (w *jsonWalk) object(key string) (bool, error) {
	switch w.ws() {
	case '{':
		w.pos++
		w.depth++
		return true, nil
	case 'n':
		return false, w.literal("null")
	}
	return false, w.wrongKind(key, "an object")
}

// array enters the array that is the value of key, as object does.
func (w *jsonWalk) array(key string) (bool, error) {
	switch w.ws() {
	case '[':
		w.pos++
		w.depth++
		return true, nil
	case 'n':
		return false, w.literal("null")
	}
	return false, w.wrongKind(key, "an array")
}

// appendStr appends the string value of key to dst; null appends nothing.
func (w *jsonWalk) appendStr(key string, dst []byte) ([]byte, error) {
	switch w.ws() {
	case '"':
		b, err := w.str()
		return append(dst, b...), err
	case 'n':
		return dst, w.literal("null")
	}
	return dst, w.wrongKind(key, "a string")
}

// appendID appends an id written as a string or a number.
func (w *jsonWalk) appendID(key string, dst []byte) ([]byte, error) {
	switch c := w.ws(); {
	case c == '"':
		b, err := w.str()
		return append(dst, b...), err
	case c == '-' || c >= '0' && c <= '9':
		b, err := w.number()
		return append(dst, b...), err
	case c == 'n':
		return dst, w.literal("null")
	}
	return dst, w.wrongKind(key, "an id")
}

// strValue reads a string (or null, "") the caller compares and drops.
func (w *jsonWalk) strValue(key string) ([]byte, error) {
	switch w.ws() {
	case '"':
		return w.str()
	case 'n':
		return nil, w.literal("null")
	}
	return nil, w.wrongKind(key, "a string")
}

// boolean reads true or false (null is false).
func (w *jsonWalk) boolean(key string) (bool, error) {
	switch w.ws() {
	case 't':
		return true, w.literal("true")
	case 'f':
		return false, w.literal("false")
	case 'n':
		return false, w.literal("null")
	}
	return false, w.wrongKind(key, "true or false")
}

// stringOf reads a string (or null) outside any record, for the header of
// an export (a chat's name): the wrong kind or bad UTF-8 fails the file.
func (w *jsonWalk) stringOf() (string, error) {
	b, _, err := w.strOrNull()
	if err != nil {
		return "", err
	}
	if err := w.validUTF8(b); err != nil {
		return "", err
	}
	return string(b), nil
}

// idOf reads an id (string or number) outside any record.
func (w *jsonWalk) idOf() (string, error) {
	if w.ws() == 'n' {
		return "", w.literal("null")
	}
	b, err := w.id()
	if err != nil {
		return "", err
	}
	if err := w.validUTF8(b); err != nil {
		return "", err
	}
	return string(b), nil
}

// internBytes shares the strings that recur (ids, names, actions).
// Invalid UTF-8 becomes U+FFFD and fails the record (w.bad).
func (w *jsonWalk) internBytes(b []byte) string {
	if v, ok := w.intern[string(b)]; ok {
		return v
	}
	v := w.valid(b)
	if len(w.intern) < maxInterned && !w.bad {
		w.intern[v] = v
	}
	return v
}

// valid returns b as a string, noting invalid UTF-8 in w.bad.
func (w *jsonWalk) valid(b []byte) string {
	if !utf8.Valid(b) {
		w.bad = true
		return string(bytes.ToValidUTF8(b, []byte("\uFFFD")))
	}
	return string(b)
}

// badUTF8 is the error of a record with a string that is not UTF-8: the
// input was decoded to UTF-8, so the file is damaged.
func (w *jsonWalk) badUTF8(line int64) error {
	return &ParseError{Format: w.format, Path: w.path, Line: line,
		Msg: "invalid UTF-8 in a string of this message: binary data or a damaged file"}
}

// keep makes a string the sink may keep, without an allocation each.
func (w *jsonWalk) keep(b []byte) string {
	if !utf8.Valid(b) {
		w.bad = true
	}
	return w.arena.str(b)
}
