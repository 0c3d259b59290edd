package format

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// waStamp is the start of a WhatsApp line.
type waStamp struct {
	f         [3]int // the date's fields as written
	w         [3]int // and their digit counts
	sep       byte   // the date's separator: '/', '.' or '-'
	spaced    bool   // a space after the separators: "26. 3. 12."
	yyFirst   bool   // the Korean "yy. M. d." layout, whose year can only be told by the language
	hour, min int
	sec       int
	ampm      byte // 'a', 'p' or 0 for a 24-hour clock
	ios       bool
	rest      []byte // after "] ", " - " or ": "
}

var (
	lrmBytes = []byte("\u200e")
	rlmBytes = []byte("\u200f")
	bomBytes = []byte("\ufeff")
)

// trimMarks drops leading U+200E/U+200F marks and a BOM. It runs on every
// line, so it compares bytes rather than calling bytes.HasPrefix.
func trimMarks(b []byte) []byte {
	for len(b) >= 3 {
		switch {
		case b[0] == 0xe2 && b[1] == 0x80 && (b[2] == 0x8e || b[2] == 0x8f): // U+200E, U+200F
		case b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf: // BOM
		default:
			return b
		}
		b = b[3:]
	}
	return b
}

// waParseStamp reads "12/31/25, 9:05 PM - ", "[31/12/2025, 21:05:33] ",
// "12.3.2026 klo 13.05 - ", "[2026/03/12 午後1:05:33] ", "26. 3. 12. 오후 1:05 - "
// and the older "13.06.18 21.25.15: " (layouts: PU, CM, WP and CLDR short
// date/time patterns in locales/whatsapp.json). Day-period words come from
// the table's day_periods.
func waParseStamp(line []byte) (waStamp, bool) {
	var st waStamp
	b := trimMarks(line)
	if len(b) < 12 {
		return st, false
	}
	if b[0] == '[' {
		st.ios = true
		b = b[1:]
	}
	for k := 0; k < 3; k++ {
		n, w := 0, 0
		for w < len(b) && w < 5 && b[w] >= '0' && b[w] <= '9' {
			n = n*10 + int(b[w]-'0')
			w++
		}
		if w == 0 || w > 4 {
			return st, false
		}
		st.f[k], st.w[k] = n, w
		b = b[w:]
		b = skipRLM(b) // Arabic dates put U+200F around the separators
		if k == 2 {
			break
		}
		if len(b) == 0 || (b[0] != '/' && b[0] != '.' && b[0] != '-') || (st.sep != 0 && b[0] != st.sep) {
			return st, false
		}
		st.sep = b[0]
		b = skipRLM(b[1:])
		if len(b) > 0 && b[0] == ' ' {
			b = b[1:]
			st.spaced = true
		}
	}
	if len(b) > 0 && b[0] == '.' { // "13. 6. 2018." and Korean "26. 3. 1."
		b = b[1:]
		st.yyFirst = st.spaced && st.sep == '.' && st.w[0] == 2 && st.w[2] <= 2
	}
	if st.w[2] != 2 && st.w[2] != 4 && st.w[0] != 4 && !st.yyFirst {
		return st, false
	}
	if len(b) > 0 && b[0] == ',' {
		b = b[1:]
	} else if bytes.HasPrefix(b, []byte("،")) { // Arabic comma
		b = b[len("،"):]
	}
	b = skipSpaces(b)
	// Words between date and time: "klo", "à", 上午/下午, 午後, 오후, ÖS.
	for k := 0; k < 4 && len(b) > 0 && (b[0] < '0' || b[0] > '9'); k++ {
		end := bytes.IndexAny(b, " 0123456789")
		if end < 0 || end > 12 {
			return st, false
		}
		if ap := waDayPeriodWord(b[:end]); ap != 0 {
			st.ampm = ap
		}
		b = skipSpaces(b[end:])
	}
	// Clock: h:mm[:ss] or h.mm[.ss].
	var t [3]int
	nt := 0
	for nt < 3 {
		n, w := 0, 0
		for w < len(b) && w < 3 && b[w] >= '0' && b[w] <= '9' {
			n = n*10 + int(b[w]-'0')
			w++
		}
		if w == 0 || w > 2 || (nt > 0 && w != 2) {
			return st, false
		}
		t[nt] = n
		nt++
		b = b[w:]
		if nt < 3 && len(b) > 1 && (b[0] == ':' || b[0] == '.') && b[1] >= '0' && b[1] <= '9' {
			b = b[1:]
			continue
		}
		break
	}
	if nt < 2 {
		return st, false
	}
	st.hour, st.min, st.sec = t[0], t[1], t[2]
	if ap, rest, ok := waDayPeriodAfter(skipSpaces(b)); ok {
		st.ampm, b = ap, rest
	}
	if st.ios {
		b = skipSpaces(b)
		if len(b) == 0 || b[0] != ']' {
			return st, false
		}
		b = b[1:]
		if len(b) > 0 && b[0] == ' ' {
			b = b[1:]
		}
		st.rest = b
		return st, true
	}
	// " - " after the clock; some exports put U+202F before the dash.
	s := skipSpaces(b)
	if len(s) < len(b) {
		if rest, ok := bytes.CutPrefix(s, []byte("- ")); ok {
			st.rest = rest
			return st, true
		}
	}
	// The older Android layout: "13.06.18 21.25.15: Name: text".
	if rest, ok := bytes.CutPrefix(b, []byte(": ")); ok && nt == 3 {
		st.rest = rest
		return st, true
	}
	return st, false
}

func skipRLM(b []byte) []byte {
	for len(b) >= 3 && b[0] == 0xe2 && b[1] == 0x80 && (b[2] == 0x8e || b[2] == 0x8f) {
		b = b[3:]
	}
	return b
}

// skipSpaces skips spaces, U+00A0 and U+202F.
func skipSpaces(b []byte) []byte {
	for len(b) > 0 {
		switch {
		case b[0] == ' ':
			b = b[1:]
		case len(b) >= 3 && b[0] == 0xe2 && b[1] == 0x80 && b[2] == 0xaf:
			b = b[3:]
		case len(b) >= 2 && b[0] == 0xc2 && b[1] == 0xa0:
			b = b[2:]
		default:
			return b
		}
	}
	return b
}

// waDayPeriodWord reads a day period written before the clock (上午9:05,
// 오후 1:05, ÖS 01:05, PM 1:05).
func waDayPeriodWord(w []byte) byte {
	for _, p := range waLoadTables().periods {
		if len(w) == len(p.word) && strings.EqualFold(string(w), p.word) {
			return p.ap
		}
	}
	return 0
}

// waDayPeriodAfter reads a day period after the clock: AM, pm, a.m.,
// "p. m." with any space between (CLDR writes U+00A0 or U+202F), SA/CH,
// ap./ip., ص/م.
func waDayPeriodAfter(b []byte) (byte, []byte, bool) {
	if len(b) == 0 || b[0] == '-' || b[0] == ']' || b[0] == ':' {
		return 0, b, false // the common 24-hour case, cheaply
	}
	if c := b[0] | 0x20; c == 'a' || c == 'p' { // AM, p.m., p. m.: the common 12-hour cases
		if ap, rest, ok := waAMPM(b); ok {
			return ap, rest, true
		}
	}
	for _, p := range waLoadTables().periods {
		if rest, ok := waCutWord(b, p.word); ok {
			return p.ap, rest, true
		}
	}
	return 0, b, false
}

// waCutWord cuts word from the start of b, ASCII case-insensitively, a
// space in word matching any run of spaces in b; the word must end there.
func waCutWord(b []byte, word string) ([]byte, bool) {
	for i := 0; i < len(word); {
		if word[i] == ' ' {
			s := skipSpaces(b)
			if len(s) == len(b) {
				return nil, false
			}
			b, i = s, i+1
			continue
		}
		if len(b) == 0 {
			return nil, false
		}
		c, w := b[0], word[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if 'A' <= w && w <= 'Z' {
			w += 'a' - 'A'
		}
		if c != w {
			return nil, false
		}
		b, i = b[1:], i+1
	}
	// "AM" must not be the start of a longer word ("AMy: hi").
	if len(b) > 0 {
		r, _ := utf8.DecodeRune(b)
		if r != ' ' && r != ']' && r != '-' && r != '\u202f' && r != '\u00a0' && r != ':' {
			return nil, false
		}
	}
	return b, true
}

func otherOrder(order string) string {
	if order == "mdy" {
		return "dmy"
	}
	return "mdy"
}

// time assembles the stamp in the given date order and zone. "ymd" is the
// order of Korean dates with a two-digit year ("26. 3. 12."); a date that
// begins with four digits is always y/m/d.
func (st waStamp) time(order string, tz *time.Location) (time.Time, error) {
	return st.timeIn(order[0], tz)
}

// timeIn is time with the order's first letter: 'd', 'm' or 'y'. It runs
// on every line, so it compares no strings.
func (st waStamp) timeIn(order byte, tz *time.Location) (time.Time, error) {
	var y, mo, d int
	switch {
	case st.w[0] == 4:
		y, mo, d = st.f[0], st.f[1], st.f[2]
	case order == 'y' && st.w[2] != 4:
		y, mo, d = st.f[0]+2000, st.f[1], st.f[2]
	case order == 'm':
		mo, d, y = st.f[0], st.f[1], st.f[2]
	default:
		d, mo, y = st.f[0], st.f[1], st.f[2]
	}
	if st.w[0] != 4 && st.w[2] == 2 && order != 'y' {
		y += 2000
	}
	h := st.hour
	switch st.ampm {
	case 'a', 'p':
		// Some Spanish exports write "00:08 a. m." (CM): hour 0 is midnight.
		if h > 12 {
			return time.Time{}, fmt.Errorf("hour %d is not a 12-hour clock", h)
		}
		if h == 12 {
			h = 0
		}
		if st.ampm == 'p' {
			h += 12
		}
	}
	if mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || st.min > 59 || st.sec > 59 {
		return time.Time{}, fmt.Errorf("no such date or time: %s", st.dateString(order))
	}
	t := time.Date(y, time.Month(mo), d, h, st.min, st.sec, 0, tz)
	if d > 28 && t.Day() != d { // 31 April and the like roll over
		return time.Time{}, fmt.Errorf("no such date: %s", st.dateString(order))
	}
	return t, nil
}

func (st waStamp) dateString(order byte) string {
	o := map[byte]string{'d': "d/m/y", 'm': "m/d/y", 'y': "y/m/d"}[order]
	if st.w[0] == 4 {
		o = "y/m/d"
	}
	return fmt.Sprintf("%d/%d/%d read as %s", st.f[0], st.f[1], st.f[2], o)
}

// waDetectOrder reads the dates in the head and decides d/m/y or m/d/y;
// guessed is true when no date in the head proves it.
func waDetectOrder(head []byte) (order string, guessed bool) {
	var prev waStamp
	havePrev, twelve := false, false
	firstAbove, secondAbove := false, false
	firstDown, secondDown := false, false
	namedDMY, namedMDY := 0, 0 // attachments whose file name dates agree with one order
	yearFirst, other := false, false
	for len(head) > 0 {
		line, rest, _ := bytes.Cut(head, []byte("\n"))
		head = rest
		st, ok := waParseStamp(bytes.TrimRight(line, "\r"))
		if ok && st.w[0] == 4 {
			yearFirst = true
		}
		if !ok || st.w[0] == 4 {
			continue
		}
		other = true
		firstAbove = firstAbove || (st.f[0] > 12 && st.f[0] <= 31)
		secondAbove = secondAbove || (st.f[1] > 12 && st.f[1] <= 31)
		if st.ampm != 0 {
			twelve = true
		}
		if havePrev && prev.f[2] == st.f[2] {
			if st.f[0] < prev.f[0] {
				firstDown = true
			}
			if st.f[1] < prev.f[1] {
				secondDown = true
			}
		}
		prev, havePrev = st, true
		switch waAttachmentOrder(st) {
		case "dmy":
			namedDMY++
		case "mdy":
			namedMDY++
		}
	}
	switch {
	case firstAbove:
		return "dmy", false
	case secondAbove:
		return "mdy", false
	case firstDown && !secondDown:
		return "dmy", false
	case secondDown && !firstDown:
		return "mdy", false
	case namedDMY > 0 && namedMDY == 0:
		return "dmy", false
	case namedMDY > 0 && namedDMY == 0:
		return "mdy", false
	case yearFirst && !other:
		// 2019-01-01: nothing to tell, nothing to guess
		return "ymd", false
	case twelve:
		return "mdy", true
	}
	return "dmy", true
}

// waAttachmentDate finds the date WhatsApp writes into the names of the
// media it exports: IMG-20240710-WA0001.jpg, PTT-20240710-WA0003.opus
// (Android) and 00000004-STICKER-2024-07-10-10-51-12.webp (the numbered
// names of newer exports, as in whats_pie's testing_data, Android and iOS).
var waAttachmentDate = regexp.MustCompile(`(?:IMG|VID|AUD|PTT|STK|DOC)-(20\d\d)(\d\d)(\d\d)-WA|(?:PHOTO|VIDEO|AUDIO|STICKER|GIF|DOCUMENT)-(20\d\d)-(\d\d)-(\d\d)-`)

// waAttachmentOrder tells the date order an entry's stamp must be read in
// for it to agree with the date in the name of the file it attaches, when
// exactly one order does ("" otherwise): a day and a month both 12 or
// below cannot be told apart from the stamp alone, and a file is named on
// the day it is sent.
func waAttachmentOrder(st waStamp) string {
	if st.w[0] == 4 || len(st.rest) < 16 || !bytes.Contains(st.rest, []byte("-20")) {
		return ""
	}
	m := waAttachmentDate.FindSubmatch(st.rest)
	if m == nil {
		return ""
	}
	y, mo, d := m[1], m[2], m[3]
	if y == nil {
		y, mo, d = m[4], m[5], m[6]
	}
	year, _ := strconv.Atoi(string(y))
	month, _ := strconv.Atoi(string(mo))
	day, _ := strconv.Atoi(string(d))
	if month == day || (st.f[2] != year && st.f[2] != year%100) {
		return ""
	}
	switch {
	case st.f[0] == day && st.f[1] == month:
		return "dmy"
	case st.f[0] == month && st.f[1] == day:
		return "mdy"
	}
	return ""
}

// waAMPM reads AM, PM, am, a.m., p. m. (with any space inside).
func waAMPM(b []byte) (byte, []byte, bool) {
	c := b[0] | 0x20
	r := b[1:]
	if len(r) > 0 && r[0] == '.' {
		r = r[1:]
	}
	r = skipSpaces(r)
	if len(r) == 0 || r[0]|0x20 != 'm' {
		return 0, b, false
	}
	r = r[1:]
	if len(r) > 0 && r[0] == '.' {
		r = r[1:]
	}
	if len(r) > 0 {
		if d, _ := utf8.DecodeRune(r); d != ' ' && d != ']' && d != '-' && d != '\u202f' && d != '\u00a0' && d != ':' {
			return 0, b, false
		}
	}
	return c, r, true
}
