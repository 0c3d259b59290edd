package ingest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/zeebo/xxh3"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// headSize is how much of a file detection looks at.
const headSize = 64 << 10

// source is an opened export: the raw bytes are hashed and counted as they
// are read, then decoded to UTF-8 for the parser.
type source struct {
	file *os.File
	size int64
	read atomic.Int64 // raw bytes consumed, for progress
	sum  *xxh3.Hasher
	enc  string
	text *bufio.Reader // decoded UTF-8
}

func openSource(path string) (*source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("%s: is a directory", path)
	}
	s := &source{file: f, size: st.Size(), sum: xxh3.New()}
	raw := bufio.NewReaderSize(io.TeeReader(&countingReader{r: f, n: &s.read}, s.sum), 256<<10)
	head, _ := raw.Peek(headSize)
	enc, name := sniffEncoding(head)
	s.enc = name
	if enc == nil {
		s.text = raw
	} else {
		s.text = bufio.NewReaderSize(transform.NewReader(raw, enc.NewDecoder()), 256<<10)
	}
	return s, nil
}

// head returns the first decoded bytes without consuming them.
func (s *source) head() []byte {
	h, _ := s.text.Peek(headSize)
	return h
}

// checksum is the 128-bit XXH3 of every raw byte read so far (about ten
// times cheaper than SHA-256 on the parsing core; it names a file, it does
// not guard against forgery); after parsing it
// covers the whole file.
func (s *source) checksum() string {
	io.Copy(io.Discard, s.text) //nolint:errcheck // a parser may stop before EOF; hash the rest
	return checksumText(s.sum)
}

func (s *source) Close() error { return s.file.Close() }

// checksumFile is the checksum a source gives once the file is read through.
func checksumFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := xxh3.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return checksumText(h), nil
}

type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// sniffEncoding picks a decoder from a byte-order mark, or GB18030 when the
// start of the file is not UTF-8 but is valid GB18030 (older QQ and WeChat
// exports on Chinese Windows). nil means the bytes are UTF-8 already.
func sniffEncoding(head []byte) (encoding.Encoding, string) {
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return unicode.UTF8BOM, "utf-8-bom"
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), "utf-16le"
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), "utf-16be"
	}
	if validUTF8Prefix(head) || bytes.IndexByte(head, 0) >= 0 {
		return nil, "utf-8"
	}
	if _, err := simplifiedchinese.GB18030.NewDecoder().Bytes(trimPartial(head)); err == nil {
		return simplifiedchinese.GB18030, "gb18030"
	}
	return nil, "utf-8"
}

// validUTF8Prefix allows the head to end in the middle of a rune.
func validUTF8Prefix(b []byte) bool {
	return utf8.Valid(trimPartial(b))
}

func trimPartial(b []byte) []byte {
	for i := 1; i <= utf8.UTFMax && i <= len(b); i++ {
		if utf8.RuneStart(b[len(b)-i]) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			break
		}
	}
	return b
}

// detect finds the format of a file from its name and first bytes.
func detect(path string, head []byte) (Format, error) {
	// Archive formats (a Slack ZIP) recognise binary heads themselves.
	for _, f := range formats {
		if f.Detect(path, head) {
			return f, nil
		}
	}
	if at := binaryAt(head); at >= 0 {
		line := int64(bytes.Count(head[:at], []byte{'\n'})) + 1
		return nil, &ParseError{Path: path, Line: line, Msg: ErrUnknownFormat.Error() + ": binary content, not a text export", Err: ErrUnknownFormat}
	}
	return nil, &ParseError{Path: path, Line: 1, Msg: fmt.Sprintf("%s (tried %s); force one with --format",
		ErrUnknownFormat, strings.Join(formatNames(), ", ")), Err: ErrUnknownFormat}
}

// binaryAt is the offset of the first byte no text export contains, or -1.
func binaryAt(head []byte) int {
	if i := bytes.IndexByte(head, 0); i >= 0 {
		return i
	}
	text := trimPartial(head)
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRune(text[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}

func checksumText(h *xxh3.Hasher) string {
	b := h.Sum128().Bytes()
	return fmt.Sprintf("xxh3-128:%x", b[:])
}
