package format

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// lineReader yields the lines of a text export with their numbers, refusing
// bytes no text export contains so binary or truncated input fails at the
// line where it starts, and lines longer than the message size limit
// (Input.MaxMessageBytes) before they are held in memory: a 200 MB line is
// read through in 256 KiB pieces, never kept, and refused with its number.
type lineReader struct {
	r      *bufio.Reader
	format string
	path   string
	n      int64
	long   []byte // holds a line longer than the reader's buffer
	max    int    // the longest line accepted, in bytes
}

// newLineReader reads r with the default size limit, DefaultMaxMessage.
// Parsers should prefer in.lineReader, which takes the limit the loader
// was given (--max-message).
func newLineReader(r io.Reader, format, path string) *lineReader {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 256<<10)
	}
	return &lineReader{r: br, format: format, path: path, max: DefaultMaxMessage}
}

// lineReader reads r (in.R, or a reader over it) as the lines of in, with
// in's message size limit.
func (in Input) lineReader(r io.Reader, format string) *lineReader {
	return in.lineReaderAt(r, format, in.Path)
}

// lineReaderAt is lineReader for a file inside the input (a zip's entry),
// named by path in errors.
func (in Input) lineReaderAt(r io.Reader, format, path string) *lineReader {
	lr := newLineReader(r, format, path)
	lr.max = in.MaxMessageBytes()
	return lr
}

// ErrTooLong is wrapped by the error of a line or record longer than the
// message size limit.
var ErrTooLong = errors.New("longer than the message size limit")

// next returns the next line without its end-of-line bytes. The slice is
// valid until the following call. io.EOF comes after the last line.
func (lr *lineReader) next() ([]byte, error) {
	line, err := lr.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		lr.long = append(lr.long[:0], line...)
		for errors.Is(err, bufio.ErrBufferFull) {
			line, err = lr.r.ReadSlice('\n')
			if len(lr.long)+len(line) > lr.max+2 { // +2: the line's own end
				lr.n++
				return nil, lr.tooLong(lr.long, len(lr.long)+len(line), err)
			}
			lr.long = append(lr.long, line...)
		}
		line = lr.long
		if cap(lr.long) > 4<<20 {
			lr.long = nil // a long line once is no reason to keep its memory
		}
	}
	if len(line) == 0 && err != nil {
		return nil, err
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	lr.n++
	line = bytes.TrimSuffix(line, []byte{'\n'})
	line = bytes.TrimSuffix(line, []byte{'\r'})
	if len(line) > lr.max {
		return nil, lr.tooLong(line, len(line), nil)
	}
	if bytes.IndexByte(line, 0) >= 0 {
		return nil, lr.errorf(line, "binary data (NUL byte): not a text export")
	}
	if !utf8.Valid(line) {
		return nil, lr.errorf(line, "invalid UTF-8: binary data or a file cut short")
	}
	return line, nil
}

// tooLong reads the rest of an over-long line without keeping it, so its
// length can be told, and returns the error naming its line.
func (lr *lineReader) tooLong(start []byte, read int, err error) error {
	total := int64(read)
	if len(start) > 40 {
		start = start[:40]
	}
	quote := quote(bytes.ToValidUTF8(start, []byte("?")))
	for errors.Is(err, bufio.ErrBufferFull) {
		var piece []byte
		piece, err = lr.r.ReadSlice('\n')
		total += int64(len(piece))
	}
	lr.long = nil
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return &ParseError{Format: lr.format, Path: lr.path, Line: lr.n, Err: ErrTooLong, Quote: quote,
		Msg: fmt.Sprintf("line of %s is longer than the %s message size limit (--max-message raises it)", sizeText(total), sizeText(int64(lr.max)))}
}

// sizeText writes a byte count the way the flags take it.
func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

func (lr *lineReader) errorf(line []byte, msg string) *ParseError {
	return &ParseError{Format: lr.format, Path: lr.path, Line: lr.n, Msg: msg, Quote: quote(bytes.ToValidUTF8(line, []byte("?")))}
}
