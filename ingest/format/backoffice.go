package format

// Reading the tables back offices export — rosters, member lists and
// orders — as they come: headers in Chinese or English under many names,
// times in whatever layout the shop system writes, amounts with currency
// symbols and thousands separators. Where a value could mean two things it
// is rejected with its line, never guessed.

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// tableField is one column a table format reads, with the names exports give it,
// in order of preference: when a file has several (Taobao's 买家实际支付金额
// and 总金额), each row takes the first that is not empty.
type tableField struct {
	name    string
	aliases []string
}

// tableSpec is what a table format needs from a header.
type tableSpec struct {
	format             string
	required, optional []tableField
	// fallback, when set, may find columns the aliases did not (a name
	// that means a field only beside another column).
	fallback func(header []string, cols map[string][]int)
}

// headerKey reduces a column name to what identifies it: letters and
// digits, lower case. Case, spacing, a byte-order mark, punctuation and
// brackets do not count ("Order ID", "order_id", "订单号：" and "Email
// (Billing)" as "emailbilling").
func headerKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// matchHeader finds the columns of each field: the positions of the
// aliases the header has, in the fields' order of preference.
func (s *tableSpec) matchHeader(header []string) map[string][]int {
	at := map[string]int{}
	for i, h := range header {
		if k := headerKey(h); k != "" {
			if _, dup := at[k]; !dup {
				at[k] = i
			}
		}
	}
	cols := map[string][]int{}
	for _, list := range [][]tableField{s.required, s.optional} {
		for _, f := range list {
			for _, a := range append([]string{f.name}, f.aliases...) {
				if i, ok := at[headerKey(a)]; ok && !containsInt(cols[f.name], i) {
					cols[f.name] = append(cols[f.name], i)
				}
			}
		}
	}
	if s.fallback != nil {
		s.fallback(header, cols)
	}
	return cols
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// missingError is the one-line error of a header that lacks fields: what
// is needed, what is optional, and the names each missing field is known by.
func (s *tableSpec) missingError(path string, missing []string) error {
	names := func(list []tableField) string {
		out := make([]string, len(list))
		for i, f := range list {
			out[i] = f.name
		}
		return strings.Join(out, ", ")
	}
	var also []string
	for _, m := range missing {
		for _, f := range s.required {
			if f.name == m && len(f.aliases) > 0 {
				also = append(also, m+" also as "+strings.Join(f.aliases, "/"))
			}
		}
	}
	msg := fmt.Sprintf("header has no column for %s (expects %s; optional %s", strings.Join(missing, ", "), names(s.required), names(s.optional))
	if len(also) > 0 {
		msg += "; " + strings.Join(also, "; ")
	}
	msg += "; case, spaces and punctuation do not matter); name other columns with --mapping"
	return &ParseError{Format: s.format, Path: path, Line: 1, Msg: msg}
}

// detect reports whether the first line of head names the given fields
// under any of their names.
func (s *tableSpec) detect(head []byte, fields ...string) bool {
	header := firstRecord(head)
	if header == nil {
		return false
	}
	cols := s.matchHeader(header)
	for _, f := range fields {
		if len(cols[f]) == 0 {
			return false
		}
	}
	return true
}

// firstRecord reads the first CSV (or tab-separated) record of head.
func firstRecord(head []byte) []string {
	line, _, _ := bytes.Cut(head, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(line))
	r.Comma = sniffComma(line)
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	rec, err := r.Read()
	if err != nil {
		return nil
	}
	return rec
}

// sniffComma picks tab for a header line with tabs and no commas: a table
// copied from a web page (qun.qq.com's member list) or saved as "Unicode
// text" by Excel.
func sniffComma(line []byte) rune {
	if bytes.IndexByte(line, '\t') >= 0 && bytes.IndexByte(line, ',') < 0 {
		return '\t'
	}
	return ','
}

// boTable is a back-office CSV read through a tableSpec.
type boTable struct {
	*csvTable
	spec   *tableSpec
	cols   map[string][]int
	header []string
}

// openTable reads the header and finds each field's columns; a mapping,
// when given, names the column of some fields itself (and wins over the
// aliases for them).
func openTable(in Input, spec *tableSpec, m *TableMapping) (*boTable, error) {
	br, ok := in.R.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(in.R, HeadSize)
	}
	head, _ := br.Peek(min(HeadSize, br.Size()))
	line, _, _ := bytes.Cut(head, []byte("\n"))
	// encoding/csv holds a whole record: the guard refuses one over the
	// message size limit instead of reading it into memory.
	guard := &recordGuard{r: br, max: int64(in.MaxMessageBytes())}
	guard.limit = guard.max + csvSlack
	r := csv.NewReader(guard)
	r.Comma = sniffComma(line)
	// Spreadsheet exports write long ids as ="123" without quoting the
	// field (Taobao); read such quotes as text.
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		if err == io.EOF {
			return nil, &ParseError{Format: spec.format, Path: in.Path, Line: 1, Msg: "empty file: no header"}
		}
		if errors.Is(err, ErrTooLong) {
			return nil, &ParseError{Format: spec.format, Path: in.Path, Line: 1, Err: ErrTooLong,
				Msg: fmt.Sprintf("header longer than the %s message size limit (--max-message raises it)", sizeText(guard.max))}
		}
		return nil, csvError(spec.format, in.Path, err, 1)
	}
	t, err := newTable(spec, m, in.Path, append([]string(nil), header...))
	if err != nil {
		return nil, err
	}
	t.r, t.guard = r, guard
	t.advance(header)
	return t, nil
}

// newTable finds each field's columns in a header read by the caller.
func newTable(spec *tableSpec, m *TableMapping, path string, header []string) (*boTable, error) {
	t := &boTable{
		csvTable: &csvTable{format: spec.format, path: path, col: map[string]int{}, line: 1},
		spec:     spec, cols: spec.matchHeader(header), header: header,
	}
	if m != nil {
		if err := m.apply(path, spec, header, t.cols); err != nil {
			return nil, err
		}
	}
	var missing []string
	for _, f := range spec.required {
		if len(t.cols[f.name]) == 0 {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return nil, spec.missingError(path, missing)
	}
	return t, nil
}

// has reports whether the header gave the field a column.
func (t *boTable) has(name string) bool { return len(t.cols[name]) > 0 }

// get is the field's value in rec: the first of its columns that is not
// empty, trimmed.
func (t *boTable) get(rec []string, name string) string {
	for _, i := range t.cols[name] {
		if i < len(rec) {
			if v := strings.TrimSpace(rec[i]); v != "" {
				return v
			}
		}
	}
	return ""
}

// id is a field holding an identifier: spreadsheet exports protect long
// numbers from scientific notation with ="123", a leading ' or a tab.
func (t *boTable) id(rec []string, name string) string {
	return cleanID(t.get(rec, name))
}

func cleanID(v string) string {
	if strings.HasPrefix(v, `="`) && strings.HasSuffix(v, `"`) && len(v) >= 3 {
		v = v[2 : len(v)-1]
	}
	return strings.TrimSpace(strings.TrimPrefix(v, "'"))
}

// timeLayoutHelp says which times parseFlexTime reads, for reasons.
const timeLayoutHelp = "want a date as YYYY-MM-DD, YYYY/MM/DD or YYYY年M月D日, then HH:MM[:SS], optionally with an offset (+08:00, Z)"

var errTimeRange = errors.New("out of range")

// ParseTime reads a time in any layout parseFlexTime knows (for --as-of).
func ParseTime(s string, loc *time.Location) (time.Time, error) { return parseFlexTime(s, loc) }

// parseFlexTime reads the times back offices write:
//
//	2026-10-08 20:15:00+08:00   RFC 3339 with a space (Youzan, many MySQL dumps)
//	2026-10-08T20:15:00Z        RFC 3339
//	2026-05-01 10:00:00 +0200   Shopify's orders export
//	2026/10/08 20:15            Excel, Weidian
//	2026年10月8日 20:15          Chinese back offices
//	2026-10-08                  a date alone (midnight)
//	1791461700, 1791461700000   Unix seconds or milliseconds (10 or 13 digits)
//
// with or without seconds and fractions. A time without an offset is read
// in loc; one with an offset or as Unix time keeps its own. Days before the
// month (08/10/2026) are refused: their order cannot be told.
func parseFlexTime(s string, loc *time.Location) (time.Time, error) {
	bad := func() (time.Time, error) {
		return time.Time{}, fmt.Errorf("unreadable time %q (%s)", s, timeLayoutHelp)
	}
	in := strings.TrimSpace(s)
	if in == "" {
		return time.Time{}, errors.New("empty time")
	}
	if digitsOnly(in) && (len(in) == 10 || len(in) == 13) {
		n, _ := strconv.ParseInt(in, 10, 64)
		if len(in) == 13 {
			return time.UnixMilli(n).UTC(), nil
		}
		return time.Unix(n, 0).UTC(), nil
	}
	p := flexScanner{s: in}
	year, ok := p.digits(4, 4)
	if !ok {
		return bad()
	}
	sep := p.peek()
	if sep != '-' && sep != '/' && sep != '.' && sep != '年' {
		return bad()
	}
	p.next()
	month, ok := p.digits(1, 2)
	if !ok {
		return bad()
	}
	want := sep
	if sep == '年' {
		want = '月'
	}
	if p.next() != want {
		return bad()
	}
	day, ok := p.digits(1, 2)
	if !ok {
		return bad()
	}
	if sep == '年' && p.peek() == '日' {
		p.next()
	}
	var hour, min, sec, nsec int
	// 2026年10月8日20:15 needs no space
	if c := p.peek(); c == 'T' || c == ' ' || sep == '年' && c >= '0' && c <= '9' {
		for p.peek() == 'T' || p.peek() == ' ' {
			p.next()
		}
		if hour, ok = p.digits(1, 2); !ok {
			return bad()
		}
		if p.next() != ':' {
			return bad()
		}
		if min, ok = p.digits(2, 2); !ok {
			return bad()
		}
		if p.peek() == ':' {
			p.next()
			if sec, ok = p.digits(2, 2); !ok {
				return bad()
			}
			if p.peek() == '.' || p.peek() == ',' {
				p.next()
				start := p.i
				frac, ok := p.digits(1, 9)
				if !ok {
					return bad()
				}
				for n := p.i - start; n < 9; n++ {
					frac *= 10
				}
				nsec = frac
			}
		}
	}
	zone, hasZone, ok := p.zone()
	if !ok || !p.done() {
		return bad()
	}
	// Years before 1900 are placeholders (0000-00-00), not orders or joins.
	if year < 1900 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || min > 59 || sec > 60 {
		return time.Time{}, fmt.Errorf("unreadable time %q: %w", s, errTimeRange)
	}
	if hasZone {
		loc = zone
	} else if loc == nil {
		loc = time.UTC
	}
	return time.Date(year, time.Month(month), day, hour, min, sec, nsec, loc), nil
}

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

type flexScanner struct {
	s string
	i int
}

func (p *flexScanner) peek() rune {
	if p.i >= len(p.s) {
		return 0
	}
	r, _ := utf8.DecodeRuneInString(p.s[p.i:])
	return r
}

func (p *flexScanner) next() rune {
	if p.i >= len(p.s) {
		return 0
	}
	r, n := utf8.DecodeRuneInString(p.s[p.i:])
	p.i += n
	return r
}

func (p *flexScanner) done() bool { return p.i == len(p.s) }

// digits reads between lo and hi ASCII digits.
func (p *flexScanner) digits(lo, hi int) (int, bool) {
	n, v := 0, 0
	for p.i < len(p.s) && n < hi && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		v = v*10 + int(p.s[p.i]-'0')
		p.i++
		n++
	}
	if n < lo || (p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9') {
		return 0, false
	}
	return v, true
}

// exact reads exactly n ASCII digits, whatever follows.
func (p *flexScanner) exact(n int) (int, bool) {
	v := 0
	for k := 0; k < n; k++ {
		if p.i >= len(p.s) || p.s[p.i] < '0' || p.s[p.i] > '9' {
			return 0, false
		}
		v = v*10 + int(p.s[p.i]-'0')
		p.i++
	}
	return v, true
}

// zone reads an optional offset: Z, UTC, +08:00, +0800 or +08, after an
// optional space.
func (p *flexScanner) zone() (*time.Location, bool, bool) {
	save := p.i
	for p.peek() == ' ' {
		p.next()
	}
	rest := p.s[p.i:]
	switch {
	case rest == "":
		p.i = save
		return nil, false, true
	case rest == "Z" || rest == "UTC" || rest == "GMT":
		p.i = len(p.s)
		return time.UTC, true, true
	}
	sign := p.next()
	if sign != '+' && sign != '-' {
		return nil, false, false
	}
	h, ok := p.exact(2)
	if !ok {
		return nil, false, false
	}
	m := 0
	if p.peek() == ':' {
		p.next()
	}
	if !p.done() {
		if m, ok = p.exact(2); !ok {
			return nil, false, false
		}
	}
	if h > 14 || m > 59 {
		return nil, false, false
	}
	off := (h*60 + m) * 60
	if sign == '-' {
		off = -off
	}
	if off == 0 {
		return time.UTC, true, true
	}
	return time.FixedZone("", off), true, true
}

// currencySymbols are the signs amounts are written with, and the
// currencies each may mean. A sign of several (¥ is yuan and yen, $ a dozen
// dollars) is accepted only when the row's currency (its column, or CNY by
// default) is one of them.
var currencySymbols = []struct {
	sign  string
	codes []string
}{
	// longest first: HK$ before $
	{"US$", []string{"USD"}}, {"HK$", []string{"HKD"}}, {"NT$", []string{"TWD"}}, {"S$", []string{"SGD"}},
	{"A$", []string{"AUD"}}, {"C$", []string{"CAD"}}, {"R$", []string{"BRL"}}, {"RMB", []string{"CNY"}},
	{"CNY", []string{"CNY"}}, {"USD", []string{"USD"}}, {"EUR", []string{"EUR"}}, {"GBP", []string{"GBP"}},
	{"JPY", []string{"JPY"}}, {"HKD", []string{"HKD"}},
	{"元", []string{"CNY"}}, {"€", []string{"EUR"}}, {"£", []string{"GBP"}}, {"₩", []string{"KRW"}},
	{"₹", []string{"INR"}}, {"₽", []string{"RUB"}}, {"₺", []string{"TRY"}}, {"₫", []string{"VND"}},
	{"¥", []string{"CNY", "JPY"}}, {"￥", []string{"CNY", "JPY"}},
	{"$", []string{"USD", "CAD", "AUD", "HKD", "SGD", "TWD", "NZD", "MXN"}},
}

// decimalComma are currencies whose amounts are usually written 1.299,00:
// in them "1,299" could be 1.299 or 1299, so it is refused.
var decimalComma = map[string]bool{"EUR": true, "BRL": true, "RUB": true, "TRY": true, "IDR": true, "VND": true}

// parseAmount reads an amount as exports write it — ¥1,299.00, 1 299,00 €,
// US$12.5, -3.00 — into decimal text with at most two decimals. currency is
// the row's currency ("" when the file has no currency column: then a sign
// names it, and no sign means def). It returns the amount, the currency,
// and a reason when the amount is refused.
func parseAmount(raw, currency, def string) (amount, cur, reason string) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", "", "empty amount"
	}
	if plainAmount(s) { // most rows: 199.00
		if currency == "" {
			currency = def
		}
		return s, currency, ""
	}
	// The currency sign, before or after the number.
	var codes []string
	for _, cs := range currencySymbols {
		if rest, ok := strings.CutPrefix(s, cs.sign); ok {
			s, codes = strings.TrimSpace(rest), cs.codes
			break
		}
		if rest, ok := strings.CutSuffix(s, cs.sign); ok {
			s, codes = strings.TrimSpace(rest), cs.codes
			break
		}
	}
	neg := false
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		neg, s = true, strings.TrimSpace(rest)
	}
	cur = currency
	switch {
	case codes == nil && cur == "":
		cur = def
	case codes != nil && cur == "":
		if len(codes) == 1 {
			cur = codes[0]
		} else if containsString(codes, def) {
			cur = def
		} else {
			return "", "", fmt.Sprintf("amount %q: the sign may mean %s; add a currency column", raw, strings.Join(codes, ", "))
		}
	case codes != nil && !containsString(codes, cur):
		return "", "", fmt.Sprintf("amount %q is not in the row's currency %s", raw, cur)
	}
	num, ambiguous := normalizeNumber(s, decimalComma[cur])
	if ambiguous {
		return "", "", fmt.Sprintf("amount is ambiguous: %s (1,299 and 1.299 read as a thousand in some places, as a decimal in others; write 1299 or 1299.00)", raw)
	}
	if neg {
		num = "-" + num
	}
	if num == "" || !amountPattern.MatchString(num) {
		return "", "", "amount is not a number with at most 2 decimals: " + raw
	}
	return num, cur, ""
}

// plainAmount is amountPattern without the regexp: -?digits(.d{1,2})?.
func plainAmount(s string) bool {
	i := 0
	if s[0] == '-' {
		i++
	}
	start := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if n := i - start; n == 0 || n > 16 {
		return false
	}
	if i == len(s) {
		return true
	}
	if s[i] != '.' {
		return false
	}
	frac := len(s) - i - 1
	return frac >= 1 && frac <= 2 && digitsOnly(s[i+1:])
}

func containsString(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// normalizeNumber turns 1,299.00 / 1 299,00 / 1.299,00 / 1'299.00 / 1299
// into 1299.00. Groups of thousands must be of three digits. A lone
// separator followed by exactly three digits (1,299 or 1.299) is a
// thousands separator only where that is the custom: a comma in a currency
// written with a decimal point; anything else is ambiguous.
// It returns "" for what is not such a number.
func normalizeNumber(s string, commaDecimal bool) (num string, ambiguous bool) {
	if s == "" {
		return "", false
	}
	// Spaces (also no-break and narrow no-break) and apostrophes only group.
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f', '\'', '’':
			return '_'
		}
		return r
	}, s)
	lastDot, lastComma := strings.LastIndexByte(s, '.'), strings.LastIndexByte(s, ',')
	dec := -1 // index of the decimal separator
	switch {
	case lastDot >= 0 && lastComma >= 0:
		dec = max(lastDot, lastComma)
	case lastDot >= 0:
		if strings.Count(s, ".") == 1 {
			if len(s)-lastDot-1 == 3 && !strings.Contains(s, "_") {
				return "", true // 1.299: a thousand, or three decimals
			}
			dec = lastDot
		}
	case lastComma >= 0:
		if strings.Count(s, ",") == 1 {
			digitsAfter := len(s) - lastComma - 1
			switch {
			case digitsAfter == 3 && !strings.Contains(s, "_"):
				if commaDecimal {
					return "", true // 1,299 in a decimal-comma currency
				}
			default:
				dec = lastComma
			}
		}
	}
	intPart, frac := s, ""
	if dec >= 0 {
		intPart, frac = s[:dec], s[dec+1:]
		if frac == "" || !digitsOnly(frac) {
			return "", false
		}
	}
	// The integer part: digits, with group separators every three digits.
	var groups []string
	start := 0
	for i := 0; i < len(intPart); i++ {
		switch c := intPart[i]; {
		case c >= '0' && c <= '9':
		case c == ',' || c == '.' || c == '_':
			if dec >= 0 && c == s[dec] {
				return "", false // the decimal sign also used to group
			}
			groups = append(groups, intPart[start:i])
			start = i + 1
		default:
			return "", false
		}
	}
	groups = append(groups, intPart[start:])
	if groups[0] == "" {
		return "", false
	}
	for i, g := range groups {
		if i > 0 && len(g) != 3 || !digitsOnly(g) {
			return "", false
		}
	}
	out := strings.Join(groups, "")
	if frac != "" {
		out += "." + frac
	}
	return out, false
}

// orderStatuses maps the statuses back offices write to ckpi's: paid,
// refunded, partially_refunded, cancelled, pending. Keys are headerKey
// forms. Sources: Taobao's 订单状态 (交易成功, 买家已付款，等待卖家发货,
// 卖家已发货，等待买家确认, 交易关闭, 等待买家付款), Shopify's Financial
// Status (paid, pending, authorized, refunded, partially_refunded, voided),
// WooCommerce's Order Status (Completed, Processing, On hold, Pending
// payment, Cancelled, Refunded, Failed), and the Chinese states of
// Youzan/Weidian-style order lists (已付款, 已完成, 已退款, 已关闭...).
var orderStatuses = func() map[string]string {
	m := map[string]string{}
	for status, words := range map[string][]string{
		"paid": {"paid", "交易成功", "已完成", "交易完成", "已付款", "已支付", "支付成功", "付款成功",
			"买家已付款，等待卖家发货", "卖家已发货，等待买家确认", "卖家已发货，等待买家确认收货",
			"待发货", "已发货", "待收货", "已收货", "已签收", "completed", "complete", "processing", "success", "succeeded"},
		"refunded":           {"refunded", "已退款", "退款成功", "全额退款", "退款完成", "已全额退款"},
		"partially_refunded": {"partially_refunded", "部分退款", "partiallyrefunded"},
		"cancelled": {"cancelled", "canceled", "已关闭", "交易关闭", "订单关闭", "订单已关闭", "已取消",
			"交易取消", "订单取消", "订单已取消", "voided", "void", "failed"},
		"pending": {"pending", "等待买家付款", "待付款", "待支付", "未付款", "未支付", "pendingpayment",
			"onhold", "authorized", "partiallypaid"},
	} {
		for _, w := range words {
			m[headerKey(w)] = status
		}
	}
	return m
}()

// orderStatus maps a status an export writes to ckpi's; one no table knows
// is kept as written (lower case), empty means paid.
func orderStatus(s string, custom map[string]string) string {
	if s == "" {
		return "paid"
	}
	if v, ok := orderStatuses[s]; ok && custom == nil {
		return v // written as ckpi writes it: paid, refunded...
	}
	k := headerKey(s)
	if v, ok := custom[k]; ok {
		return v
	}
	if v, ok := orderStatuses[k]; ok {
		return v
	}
	return strings.ToLower(s)
}

// joinChannels maps how a roster says a member came to the channels of
// Channels. Keys are headerKey forms; a value is also recognised inside a
// longer one ("由群成员邀请入群（通过邀请链接入群）" is a link join). The
// WeCom strings are its join_scene texts (as Pumplabs/scrm's
// CustomerGroup/GroupDetail/constants.js and qwdigital/LinkWechat-Scrm's
// WeGroupMemberEntity name them).
var joinChannels = []struct{ word, channel string }{
	{"链接", SourceLink}, {"link", SourceLink},
	{"二维码", SourceQR}, {"扫码", SourceQR}, {"qr", SourceQR},
	{"邀请", SourceReferral}, {"推荐", SourceReferral}, {"referral", SourceReferral},
	{"公众号", "official_account"}, {"officialaccount", "official_account"},
	{"微博", "weibo"}, {"weibo", "weibo"},
	{"线下", "offline"}, {"门店", "offline"}, {"offline", "offline"},
	{"短信", "sms"}, {"sms", "sms"},
	{"官网", "website"}, {"网站", "website"}, {"website", "website"},
	{"导入", SourceImport}, {"import", SourceImport},
}

// joinChannel maps a roster's channel value; ok is false for one no table
// knows.
func joinChannel(s string, custom map[string]string) (string, bool) {
	if s == "" {
		return SourceImport, true
	}
	if Channels[strings.ToLower(s)] {
		return strings.ToLower(s), true
	}
	k := headerKey(s)
	if v, ok := custom[k]; ok {
		return v, true
	}
	for _, c := range joinChannels {
		if strings.Contains(k, c.word) {
			return c.channel, true
		}
	}
	return "", false
}
