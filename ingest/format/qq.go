package format

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// QQText reads the group export of the QQ desktop message manager
// ("导出消息记录" as .txt):
//
//	消息记录（此消息记录为文本格式，不支持重新导入）
//
//	================================================================
//	消息分组:我的QQ群
//	================================================================
//	消息对象:星河产品交流群
//	================================================================
//
//	2026-09-07 09:03:15 张伟|星河科技|杭州(123456789)
//	body line 1
//	body line 2
//
//	2026-09-07 09:05:11 系统消息(10000)
//	李娜(223344556)加入本群
//
// A sender is `nick(QQ number)`, `nick(e-mail)` or `nick<e-mail>`,
// optionally prefixed by titles such as 【管理员】. One file may hold several
// 消息对象 sections.
//
// The clock follows the exporting machine's locale: 24-hour
// ("2026-09-07 21:03:15"), or 12-hour with an English or Chinese marker
// ("2019-09-23 8:43:38 PM 骰娘(20190923)", "2019-09-23 下午 8:43:38 …"), as
// in the real export quoted by github.com/dkwingsmt/log-painter
// (src/step-source/parser_chat.test.ts). The system sender is 系统消息(10000)
// or, in groups, 系统消息(1000000) (same source). Notices under it are read
// with the wordings of locales/qq.json; words no table knows go to
// sink.UnknownNotice, never to a member. Titles 【群主】 and 【管理员】 are
// roles the export states (sink.Role); honour titles such as 【活跃】 or
// 【传说】 are stripped from the name and are not staff.
type QQText struct{}

func (QQText) Name() string { return "qq-txt" }

const (
	qqBanner     = "消息记录（此消息记录为文本格式，不支持重新导入）"
	qqTarget     = "消息对象"
	qqFolder     = "消息分组"
	qqSystemName = "系统消息"
	qqSelf       = "你" // the exporting account, whose id the export never gives
)

// qqSystemUIDs are the ids of the system sender: 10000 in private chats and
// older group exports, 1000000 in group exports of later clients.
func isQQSystemUID(uid string) bool { return uid == "10000" || uid == "1000000" }

var qqRules = loadNoticeRules("qq")

func (QQText) Detect(_ string, head []byte) bool {
	if bytes.Contains(head, []byte(qqBanner)) || bytes.Contains(head, []byte(qqTarget+":")) {
		return true
	}
	// A file cut from the middle of an export: its first line is a sender line.
	first, _, _ := bytes.Cut(bytes.TrimLeft(head, "\r\n \t"), []byte("\n"))
	_, _, ok := parseQQSender(bytes.TrimRight(first, "\r"))
	return ok
}

func (QQText) Parse(ctx context.Context, in Input, sink Sink) error {
	p := qqParser{
		lines:   in.lineReader(in.R, "qq-txt"),
		sink:    sink,
		in:      in,
		max:     in.MaxMessageBytes(),
		group:   Group{Platform: "qq"},
		senders: map[string]qqSender{},
	}
	base := strings.TrimSuffix(filepath.Base(in.Path), filepath.Ext(in.Path))
	p.setGroup(base)
	return p.run(ctx)
}

// qqSender is a parsed sender field: who, and the staff role a title states.
type qqSender struct {
	who  Person
	role string
}

type qqRoleKey struct{ group, uid, role string }

type qqParser struct {
	lines *lineReader
	sink  Sink
	in    Input
	tz    *time.Location
	max   int
	group Group

	msg      Message
	role     string // the staff role the current sender's title states
	body     []byte
	head     []byte // the current sender line, for a reject
	oversize bool   // the current body passed max and was dropped
	inMsg    bool
	sawAny   bool
	pendSep  int // separator lines seen since the last body line
	// clock24 is set once a line shows a 24-hour clock (an hour of 0 or
	// past 12 without a marker): from then on "AM "/"PM " before a nick is
	// part of the nick.
	clock24 bool
	// senders caches parsed sender fields: members speak many times, and
	// a map lookup by the raw bytes allocates nothing.
	senders  map[string]qqSender
	roles    map[qqRoleKey]bool
	ctxCheck int
}

func (p *qqParser) setGroup(name string) {
	p.group.ExternalID, p.group.Name = name, name
	p.tz = p.in.Location(p.group)
}

func (p *qqParser) run(ctx context.Context) error {
	for {
		line, err := p.lines.next()
		if err == io.EOF {
			return p.finish()
		}
		if err != nil {
			return err
		}
		if p.ctxCheck++; p.ctxCheck&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := p.line(line); err != nil {
			return err
		}
	}
}

func (p *qqParser) line(line []byte) error {
	if isQQSeparator(line) {
		p.pendSep++
		return nil
	}
	if key, val, ok := qqHeaderField(line); ok && (p.pendSep > 0 || !p.inMsg) {
		if err := p.emit(); err != nil {
			return err
		}
		p.pendSep = 0
		if key == qqTarget {
			p.setGroup(val)
		}
		return nil
	}
	if st, ok := qqStamp(line, p.clock24); ok {
		who, ok := p.sender(st.rest)
		if ok {
			if err := p.emit(); err != nil {
				return err
			}
			t, err := qqClockTime(st, p.tz)
			if err != nil {
				return p.lines.errorf(line, "bad time: "+err.Error())
			}
			if st.half == 0 && !p.clock24 {
				var h [3]int
				if qqNumbers(st.clock, h[:]); h[0] == 0 || h[0] > 12 {
					p.clock24 = true
				}
			}
			p.pendSep = 0
			p.inMsg, p.sawAny, p.oversize = true, true, false
			p.msg = Message{Group: p.group, Sender: who.who, Time: t, Line: p.lines.n, Mentions: p.msg.Mentions[:0]}
			p.role = who.role
			p.body = p.body[:0]
			p.head = append(p.head[:0], line...)
			return nil
		}
	}
	if !p.inMsg {
		if len(bytes.TrimSpace(line)) == 0 || bytes.Equal(line, []byte(qqBanner)) {
			return nil
		}
		return p.lines.errorf(line, "expected a QQ export header or a 'YYYY-MM-DD HH:MM:SS nick(QQ)' line")
	}
	if p.oversize {
		return nil
	}
	// Separator lines inside a body were text after all.
	for ; p.pendSep > 0; p.pendSep-- {
		p.body = append(p.body, "================================================================\n"...)
	}
	if len(p.body)+len(line) >= p.max {
		// Keep memory flat: the message is rejected at its end, with its line.
		p.oversize, p.body = true, p.body[:0]
		return nil
	}
	p.body = append(p.body, line...)
	p.body = append(p.body, '\n')
	return nil
}

func (p *qqParser) finish() error {
	if err := p.emit(); err != nil {
		return err
	}
	if !p.sawAny {
		return &ParseError{Format: "qq-txt", Path: p.lines.path, Line: p.lines.n, Msg: "no messages found: not a QQ group export"}
	}
	return nil
}

// emit sends the message being read, if any.
func (p *qqParser) emit() error {
	if !p.inMsg {
		return nil
	}
	p.inMsg = false
	m := &p.msg
	m.Group = p.group
	if p.oversize {
		return p.sink.Reject(m.Line, "message larger than "+strconv.Itoa(p.max)+" bytes", string(p.head))
	}
	text := strings.TrimRight(string(p.body), "\n")
	if m.Sender.Name == qqSystemName && isQQSystemUID(m.Sender.UID) {
		return p.system(m, text)
	}
	if p.role != "" {
		if err := p.staff(m); err != nil {
			return err
		}
	}
	m.Text = text
	m.Kind = qqKind(text)
	m.Mentions = mentions(text, m.Mentions[:0])
	return p.sink.Message(m)
}

// staff states the sender's role in the group once.
func (p *qqParser) staff(m *Message) error {
	k := qqRoleKey{m.Group.ExternalID, m.Sender.UID, p.role}
	if p.roles[k] {
		return nil
	}
	if p.roles == nil {
		p.roles = map[qqRoleKey]bool{}
	}
	p.roles[k] = true
	return p.sink.Role(&Role{Group: m.Group, Person: m.Sender, Role: p.role, Time: m.Time, Line: m.Line})
}

// system turns a 系统消息 into a membership event, a recall or a known
// system message; words no table knows are an unknown notice.
func (p *qqParser) system(m *Message, text string) error {
	n, ok := parseQQNotice(text, p.in.Lang)
	if !ok {
		return p.sink.UnknownNotice(m.Line, text)
	}
	switch n.kind {
	case noticeRecall:
		m.Sender = n.member
		m.Kind, m.Text, m.Mentions = KindRecall, "", nil
		return p.sink.Message(m)
	case noticeJoin, noticeLeave, noticeRemoved:
		// The table's kinds are the Event and Role kinds.
		ev := Event{Group: p.group, Member: n.member, Time: m.Time, Kind: n.kind, Source: n.source,
			Inviter: n.inviter, Actor: n.actor, Line: m.Line}
		return p.sink.Event(&ev)
	case noticeOwner, noticeAdmin:
		return p.sink.Role(&Role{Group: p.group, Person: n.member, Role: n.kind, Time: m.Time, Line: m.Line})
	}
	m.Sender = Person{}
	m.Kind, m.Text, m.Mentions = KindSystem, text, nil
	return p.sink.Message(m)
}

// qqNotice is a notice read with the tables: people already parsed.
type qqNotice struct {
	kind, source           string // a notice kind; source for joins
	member, inviter, actor Person
}

// parseQQNotice reads a system notice with the wordings of locales/qq.json.
// A notice that names only the exporting account ("你…"), whom the export
// never identifies, is understood but attributed to no one: a system
// message, or a recall without a sender.
func parseQQNotice(text, lang string) (qqNotice, bool) {
	s := strings.TrimSpace(text)
	s = strings.TrimSpace(strings.TrimSuffix(s, "。"))
	if s == "" || strings.IndexByte(s, '\n') >= 0 {
		return qqNotice{}, false
	}
	m, ok := qqRules.match(s, lang)
	if !ok {
		return qqNotice{}, false
	}
	n := qqNotice{kind: m.rule.kind, source: m.rule.source}
	n.member, _ = qqPerson(m.member)
	n.inviter, _ = qqPerson(m.inviter)
	n.actor, _ = qqPerson(m.actor)
	if n.kind == noticeJoin || n.kind == noticeLeave || n.kind == noticeRemoved || n.kind == noticeOwner || n.kind == noticeAdmin {
		if n.member == (Person{}) {
			n.kind, n.source = noticeSystem, ""
		}
	}
	return n, true
}

// qqPerson reads "nick(uid)", "nick(e-mail)" or "nick<e-mail>"; a bare
// nick is named only (empty UID), for the loader to resolve to whoever
// spoke under that name in the group. 你 and empty text are no one.
func qqPerson(s string) (Person, bool) {
	s = strings.TrimSpace(s)
	if s == "" || s == qqSelf {
		return Person{}, false
	}
	if who, ok := splitQQSender([]byte(s)); ok {
		return who.who, true
	}
	return Person{Name: s}, true
}

// sender is splitQQSender with the cache.
func (p *qqParser) sender(rest []byte) (qqSender, bool) {
	if who, ok := p.senders[string(rest)]; ok {
		return who, true
	}
	who, ok := splitQQSender(rest)
	if ok && len(p.senders) < 1<<16 {
		p.senders[string(rest)] = who
	}
	return who, ok
}

// parseQQSender reads "YYYY-MM-DD HH:MM:SS sender" (or a 12-hour clock)
// and returns the time text and the sender. Months, days and hours may have
// one digit.
func parseQQSender(line []byte) ([]byte, Person, bool) {
	st, ok := qqStamp(line, false)
	if !ok {
		return nil, Person{}, false
	}
	who, ok := splitQQSender(st.rest)
	return st.date, who.who, ok
}

// qqStampFields is a sender line cut into its parts.
type qqStampFields struct {
	date, clock, rest []byte
	half              byte // 0 (24-hour), 'A' or 'P'
}

var (
	qqAM   = []byte("上午 ")
	qqPM   = []byte("下午 ")
	qqAMEn = []byte("AM ")
	qqPMEn = []byte("PM ")
)

// qqStamp splits a sender line into date, clock and the rest. A clock may
// be preceded by 上午/下午 or followed by AM/PM; clock24 (the file has shown
// a 24-hour clock) leaves a following "AM "/"PM " to the nick.
func qqStamp(line []byte, clock24 bool) (qqStampFields, bool) {
	var st qqStampFields
	if len(line) < 17 || line[0] < '0' || line[0] > '9' {
		return st, false
	}
	sp1 := bytes.IndexByte(line, ' ')
	if sp1 < 8 || sp1 > 10 {
		return st, false
	}
	st.date = line[:sp1]
	rest := line[sp1+1:]
	if len(rest) > 0 && rest[0] == qqAM[0] { // 上午 and 下午 share a first byte
		switch {
		case bytes.HasPrefix(rest, qqAM):
			st.half, rest = 'A', rest[len(qqAM):]
		case bytes.HasPrefix(rest, qqPM):
			st.half, rest = 'P', rest[len(qqPM):]
		}
	}
	sp2 := bytes.IndexByte(rest, ' ')
	if sp2 < 7 || sp2 > 8 {
		return st, false
	}
	st.clock, rest = rest[:sp2], rest[sp2+1:]
	if st.half == 0 && !clock24 && len(rest) > 3 {
		switch {
		case bytes.HasPrefix(rest, qqAMEn):
			st.half, rest = 'A', rest[len(qqAMEn):]
		case bytes.HasPrefix(rest, qqPMEn):
			st.half, rest = 'P', rest[len(qqPMEn):]
		}
	}
	if !isDate(st.date) || !isClock(st.clock) {
		return st, false
	}
	st.rest = rest
	return st, true
}

// splitQQSender reads "【title】nick(uid)" or "nick<e-mail>".
func splitQQSender(s []byte) (qqSender, bool) {
	s = bytes.TrimRight(s, " ")
	if len(s) < 3 {
		return qqSender{}, false
	}
	var open byte
	switch s[len(s)-1] {
	case ')':
		open = '('
	case '>':
		open = '<'
	default:
		return qqSender{}, false
	}
	i := bytes.LastIndexByte(s, open)
	if i < 0 || i == len(s)-2 {
		return qqSender{}, false
	}
	uid := s[i+1 : len(s)-1]
	isMail := bytes.IndexByte(uid, '@') > 0 && bytes.IndexAny(uid, " ()<>") < 0
	if !(open == '(' && allDigits(uid)) && !isMail {
		return qqSender{}, false
	}
	name := s[:i]
	// Titles come before the nick: staff 【管理员】/【群主】 and honour titles
	// (【活跃】, 【传说】, 【LV2 群友】…).
	var role string
	for bytes.HasPrefix(name, []byte("【")) {
		j := bytes.Index(name, []byte("】"))
		if j < 0 {
			break
		}
		if r := qqTitleRole(name[len("【"):j]); r != "" {
			role = r
		}
		name = name[j+len("】"):]
	}
	return qqSender{who: Person{UID: string(uid), Name: string(name)}, role: role}, true
}

// qqTitleRole is the staff role a title states: 群主 or 管理员, alone or after
// a level ("LV100 群主", as QQ shows it in a copied chat window). Any other
// title is an honour, not a role.
func qqTitleRole(title []byte) string {
	if i := bytes.LastIndexByte(title, ' '); i >= 0 {
		title = title[i+1:]
	}
	switch string(title) {
	case "群主":
		return RoleOwner
	case "管理员":
		return RoleAdmin
	}
	return ""
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

// isDate checks "Y-M-D" with digits; isClock "h:m:s".
func isDate(b []byte) bool  { return countShape(b, '-') }
func isClock(b []byte) bool { return countShape(b, ':') }

// countShape checks digits with exactly two sep bytes between them.
func countShape(b []byte, sep byte) bool {
	n := 0
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
		case c == sep:
			n++
		default:
			return false
		}
	}
	return n == 2
}

// isDateTime checks the shape "Y-M-D h:m:s" with digits only.
func isDateTime(b []byte) bool {
	d, c, ok := bytes.Cut(b, []byte(" "))
	return ok && isDate(d) && isClock(c)
}

// qqTime parses "2026-9-7 9:03:15" in the export's zone.
func qqTime(b []byte, tz *time.Location) (time.Time, error) {
	f := qqFields(b)
	return qqDate(f, tz)
}

// qqClockTime parses a sender line's date and clock, 12-hour when marked:
// 12 AM is midnight, 12 PM noon.
func qqClockTime(st qqStampFields, tz *time.Location) (time.Time, error) {
	var f [6]int
	qqNumbers(st.date, f[:3])
	qqNumbers(st.clock, f[3:])
	if st.half != 0 {
		if f[3] > 12 {
			return time.Time{}, errBadDate
		}
		f[3] %= 12
		if st.half == 'P' {
			f[3] += 12
		}
	}
	return qqDate(f, tz)
}

// qqNumbers reads the numbers of "2026-9-7" or "9:03:15" into f; the
// caller has checked the shape (digits and two separators).
func qqNumbers(b []byte, f []int) {
	i := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			i++
			continue
		}
		if f[i] < 1e6 {
			f[i] = f[i]*10 + int(c-'0')
		}
	}
}

// qqFields reads up to six numbers separated by non-digits.
func qqFields(b []byte) [6]int {
	var f [6]int
	i := 0
	for _, c := range b {
		if c >= '0' && c <= '9' {
			if f[i] < 1e6 {
				f[i] = f[i]*10 + int(c-'0')
			}
			continue
		}
		if i++; i >= len(f) {
			break
		}
	}
	return f
}

func qqDate(f [6]int, tz *time.Location) (time.Time, error) {
	// QQ began in 1999: an earlier year ("01-01-01") is no message stamp.
	if f[0] < 1999 || f[0] > 9999 || f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > 31 || f[3] > 23 || f[4] > 59 || f[5] > 60 {
		return time.Time{}, errBadDate
	}
	t := time.Date(f[0], time.Month(f[1]), f[2], f[3], f[4], f[5], 0, tz)
	if t.Day() != f[2] {
		return time.Time{}, errBadDate
	}
	return t, nil
}

func isQQSeparator(line []byte) bool {
	if len(line) < 16 {
		return false
	}
	for _, c := range line {
		if c != '=' {
			return false
		}
	}
	return true
}

// qqHeaderStart begins both header keys: most lines are told apart by it.
var qqHeaderStart = []byte("消息")

// qqHeaderField reads "消息分组:X" or "消息对象:X" (either colon width).
func qqHeaderField(line []byte) (string, string, bool) {
	if !bytes.HasPrefix(line, qqHeaderStart) {
		return "", "", false
	}
	for _, key := range []string{qqTarget, qqFolder} {
		rest, ok := bytes.CutPrefix(line, []byte(key))
		if !ok {
			continue
		}
		if v, ok := bytes.CutPrefix(rest, []byte(":")); ok {
			return key, strings.TrimSpace(string(v)), true
		}
		if v, ok := bytes.CutPrefix(rest, []byte("：")); ok {
			return key, strings.TrimSpace(string(v)), true
		}
	}
	return "", "", false
}

// qqKind classifies a body by QQ's placeholders for non-text content.
func qqKind(text string) string {
	switch text {
	case "[图片]":
		return KindImage
	case "[表情]":
		return KindSticker
	case "[语音]":
		return KindVoice
	case "[视频]":
		return KindVideo
	case "[文件]":
		return KindFile
	}
	if strings.Contains(text, "http://") || strings.Contains(text, "https://") {
		return KindLink
	}
	return KindText
}
