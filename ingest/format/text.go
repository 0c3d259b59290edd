package format

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

var errBadDate = errors.New("no such date or time")

// mentions collects "@name" tokens; a name ends at whitespace or another @.
// An @ right after an ASCII letter or digit is an e-mail address, not a mention.
func mentions(text string, dst []string) []string {
	for i := 0; i < len(text); {
		j := strings.IndexByte(text[i:], '@')
		if j < 0 {
			break
		}
		at := i + j
		i = at + 1
		if at > 0 {
			if r, _ := utf8.DecodeLastRuneInString(text[:at]); r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '_') {
				continue
			}
		}
		rest := text[i:]
		end := strings.IndexFunc(rest, func(r rune) bool { return unicode.IsSpace(r) || r == '@' })
		if end < 0 {
			end = len(rest)
		}
		if end > 0 {
			dst = append(dst, rest[:end])
		}
		i += end
	}
	return dst
}
