package reports

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// maxSheetName is Excel's limit on a sheet name, in UTF-16 code units.
const maxSheetName = 31

// sheetNames hands out sheet names that Excel accepts and that differ from
// every name already taken (Excel compares them case-insensitively).
type sheetNames struct {
	taken map[string]bool
}

func newSheetNames(reserved ...string) *sheetNames {
	n := &sheetNames{taken: map[string]bool{}}
	for _, r := range reserved {
		n.taken[strings.ToLower(r)] = true
	}
	return n
}

// safe returns a sheet name made from title (or fallback when title has
// nothing usable): the characters []:*?/\ and control characters replaced,
// no leading or trailing apostrophe, at most 31 UTF-16 units, unique.
func (n *sheetNames) safe(title, fallback string) string {
	base := cleanSheetName(title)
	if base == "" {
		base = cleanSheetName(fallback)
	}
	if base == "" {
		base = "Table"
	}
	if strings.EqualFold(base, "History") { // Excel reserves "History"
		base += " sheet"
	}
	name := truncateUTF16(base, maxSheetName)
	for i := 2; n.taken[strings.ToLower(name)]; i++ {
		suffix := fmt.Sprintf(" (%d)", i)
		name = strings.TrimSpace(truncateUTF16(base, maxSheetName-len(suffix))) + suffix
	}
	n.taken[strings.ToLower(name)] = true
	return name
}

func cleanSheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '/' || r == '\\':
			return '-'
		case strings.ContainsRune("[]:*?", r), unicode.IsControl(r), r == utf8.RuneError:
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	return strings.Trim(s, "' ")
}

// truncateUTF16 cuts s to at most n UTF-16 code units, on a rune boundary.
func truncateUTF16(s string, n int) string {
	units := 0
	for i, r := range s {
		u := 1
		if r > 0xFFFF {
			u = 2
		}
		if units+u > n {
			return strings.TrimRight(s[:i], " '")
		}
		units += u
	}
	return s
}

// displayWidth is how many columns s takes in a fixed-width view: East Asian
// wide and fullwidth characters (Chinese, Japanese, Korean) count 2.
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			w += 2
		default:
			w++
		}
	}
	return w
}

// columnWidth is an Excel column width that fits text of display width w,
// with a margin and sensible bounds.
func columnWidth(w int) float64 {
	x := float64(w) + 2.5
	if x < 8 {
		x = 8
	}
	if x > 60 {
		x = 60
	}
	return x
}
