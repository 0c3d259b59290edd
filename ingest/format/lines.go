package format

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"unicode/utf8"
)

// lineReader yields the lines of a text export with their numbers, refusing
// bytes no text export contains so binary or truncated input fails at the
// line where it starts.
type lineReader struct {
	r      *bufio.Reader
	format string
	path   string
	n      int64
	long   []byte // holds a line longer than the reader's buffer
}

func newLineReader(r io.Reader, format, path string) *lineReader {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 256<<10)
	}
	return &lineReader{r: br, format: format, path: path}
}

// next returns the next line without its end-of-line bytes. The slice is
// valid until the following call. io.EOF comes after the last line.
func (lr *lineReader) next() ([]byte, error) {
	line, err := lr.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		lr.long = append(lr.long[:0], line...)
		for errors.Is(err, bufio.ErrBufferFull) {
			line, err = lr.r.ReadSlice('\n')
			lr.long = append(lr.long, line...)
		}
		line = lr.long
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
	if bytes.IndexByte(line, 0) >= 0 {
		return nil, lr.errorf(line, "binary data (NUL byte): not a text export")
	}
	if !utf8.Valid(line) {
		return nil, lr.errorf(line, "invalid UTF-8: binary data or a file cut short")
	}
	return line, nil
}

func (lr *lineReader) errorf(line []byte, msg string) *ParseError {
	return &ParseError{Format: lr.format, Path: lr.path, Line: lr.n, Msg: msg, Quote: quote(bytes.ToValidUTF8(line, []byte("?")))}
}
