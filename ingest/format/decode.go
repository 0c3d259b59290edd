package format

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Decode reads r as UTF-8 text, whatever encoding its start shows, and
// names that encoding. r must buffer at least HeadSize bytes.
func Decode(r *bufio.Reader) (*bufio.Reader, string) {
	head, _ := r.Peek(HeadSize)
	enc, name := sniffEncoding(head)
	if enc == nil {
		return r, name
	}
	return bufio.NewReaderSize(transform.NewReader(r, enc.NewDecoder()), 256<<10), name
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

// Detect finds the format of a file from its name and first bytes.
func Detect(path string, head []byte) (Format, error) {
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
