package format

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
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
// A sender is `nick(QQ number)` or `nick<e-mail>`, optionally prefixed by a
// title such as 【管理员】. One file may hold several 消息对象 sections.
type QQText struct{}

func (QQText) Name() string { return "qq-txt" }

const (
	qqBanner     = "消息记录（此消息记录为文本格式，不支持重新导入）"
	qqTarget     = "消息对象"
	qqFolder     = "消息分组"
	qqSystemUID  = "10000"
	qqSystemName = "系统消息"
)

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
		lines:   newLineReader(in.R, "qq-txt", in.Path),
		sink:    sink,
		tz:      in.TZ,
		group:   Group{Platform: "qq"},
		senders: map[string]Person{},
	}
	base := strings.TrimSuffix(filepath.Base(in.Path), filepath.Ext(in.Path))
	p.group.ExternalID, p.group.Name = base, base
	return p.run(ctx)
}

type qqParser struct {
	lines *lineReader
	sink  Sink
	tz    *time.Location
	group Group

	msg     Message
	body    []byte
	inMsg   bool
	sawAny  bool
	pendSep int // separator lines seen since the last body line
	// senders caches parsed sender fields: members speak many times, and
	// a map lookup by the raw bytes allocates nothing.
	senders  map[string]Person
	ctxCheck int
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
			p.group.ExternalID, p.group.Name = val, val
		}
		return nil
	}
	if ts, sender, ok := p.sender(line); ok {
		if err := p.emit(); err != nil {
			return err
		}
		t, err := qqTime(ts, p.tz)
		if err != nil {
			return p.lines.errorf(line, "bad time: "+err.Error())
		}
		p.pendSep = 0
		p.inMsg, p.sawAny = true, true
		p.msg = Message{Group: p.group, Sender: sender, Time: t, Line: p.lines.n}
		p.body = p.body[:0]
		return nil
	}
	if !p.inMsg {
		if len(bytes.TrimSpace(line)) == 0 || bytes.Equal(line, []byte(qqBanner)) {
			return nil
		}
		return p.lines.errorf(line, "expected a QQ export header or a 'YYYY-MM-DD HH:MM:SS nick(QQ)' line")
	}
	// Separator lines inside a body were text after all.
	for ; p.pendSep > 0; p.pendSep-- {
		p.body = append(p.body, "================================================================\n"...)
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
	text := strings.TrimRight(string(p.body), "\n")
	m := &p.msg
	m.Group = p.group
	if m.Sender.UID == qqSystemUID && strings.HasPrefix(m.Sender.Name, qqSystemName) {
		return p.system(m, text)
	}
	m.Text = text
	m.Kind = qqKind(text)
	m.Mentions = mentions(text, m.Mentions[:0])
	return p.sink.Message(m)
}

// system turns a 系统消息 into a membership event or a recall; any other
// notice is kept as a system message.
func (p *qqParser) system(m *Message, text string) error {
	ev, recall, ok := parseQQNotice(text)
	if !ok {
		m.Sender = Person{}
		m.Kind, m.Text, m.Mentions = KindSystem, text, nil
		return p.sink.Message(m)
	}
	if recall {
		m.Sender = ev.Member
		m.Kind, m.Text, m.Mentions = KindRecall, "", nil
		return p.sink.Message(m)
	}
	ev.Group, ev.Time, ev.Line = p.group, m.Time, m.Line
	return p.sink.Event(&ev)
}

// parseQQNotice reads the notices QQ writes for membership changes:
//
//	Y(uid)加入本群                              join (no inviter known)
//	X(uid)邀请Y(uid)加入本群                     referral by X
//	Y(uid)通过扫描X(uid)分享的二维码加入本群        QR code shared by X
//	Y(uid)退出本群                              leave
//	Y(uid)被管理员移出本群 / X(uid)将Y(uid)移出本群   removed
//	Y(uid)撤回了一条消息                          recall
func parseQQNotice(text string) (ev Event, recall bool, ok bool) {
	text = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(text), "。"))
	switch {
	case strings.HasSuffix(text, "撤回了一条消息"):
		who, ok := qqPerson(strings.TrimSuffix(text, "撤回了一条消息"))
		return Event{Member: who}, true, ok
	case strings.HasSuffix(text, "分享的二维码加入本群"):
		y, x, found := strings.Cut(strings.TrimSuffix(text, "分享的二维码加入本群"), "通过扫描")
		if !found {
			return ev, false, false
		}
		return qqEvent(y, x, EventJoin, SourceQR)
	case strings.HasSuffix(text, "加入本群"):
		rest := strings.TrimSuffix(text, "加入本群")
		if x, y, found := strings.Cut(rest, "邀请"); found {
			return qqEvent(y, x, EventJoin, SourceReferral)
		}
		return qqEvent(rest, "", EventJoin, SourceUnknown)
	case strings.HasSuffix(text, "退出本群"):
		return qqEvent(strings.TrimSuffix(text, "退出本群"), "", EventLeave, "")
	case strings.HasSuffix(text, "被管理员移出本群"):
		return qqEvent(strings.TrimSuffix(text, "被管理员移出本群"), "", EventRemoved, "")
	case strings.HasSuffix(text, "移出本群"):
		// Who removed the member is not a membership fact; the member is.
		_, y, found := strings.Cut(strings.TrimSuffix(text, "移出本群"), "将")
		if !found {
			return ev, false, false
		}
		return qqEvent(y, "", EventRemoved, "")
	}
	return ev, false, false
}

func qqEvent(member, inviter, kind, source string) (Event, bool, bool) {
	m, ok := qqPerson(member)
	if !ok {
		return Event{}, false, false
	}
	ev := Event{Member: m, Kind: kind, Source: source}
	if inviter != "" {
		if ev.Inviter, ok = qqPerson(inviter); !ok {
			return Event{}, false, false
		}
	}
	return ev, false, true
}

// qqPerson reads "nick(uid)" or "nick<e-mail>"; a bare nick has no uid and
// is keyed by name.
func qqPerson(s string) (Person, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Person{}, false
	}
	if _, p, ok := splitQQSender([]byte(s)); ok {
		return p, true
	}
	return Person{UID: "name:" + s, Name: s}, true
}

// sender is parseQQSender with the cache.
func (p *qqParser) sender(line []byte) ([]byte, Person, bool) {
	ts, rest, ok := qqStamp(line)
	if !ok {
		return nil, Person{}, false
	}
	if who, ok := p.senders[string(rest)]; ok {
		return ts, who, true
	}
	_, who, ok := splitQQSender(rest)
	if ok && len(p.senders) < 1<<16 {
		p.senders[string(rest)] = who
	}
	return ts, who, ok
}

// parseQQSender reads "YYYY-MM-DD HH:MM:SS sender" and returns the time text
// and the sender. Months, days and hours may have one digit.
func parseQQSender(line []byte) ([]byte, Person, bool) {
	ts, rest, ok := qqStamp(line)
	if !ok {
		return nil, Person{}, false
	}
	_, p, ok := splitQQSender(rest)
	return ts, p, ok
}

// qqStamp splits a sender line into its time and the rest.
func qqStamp(line []byte) ([]byte, []byte, bool) {
	if len(line) < 21 || line[0] < '0' || line[0] > '9' {
		return nil, nil, false
	}
	// The date and the clock are the first two space-separated fields.
	sp1 := bytes.IndexByte(line, ' ')
	if sp1 < 8 || sp1 > 10 {
		return nil, nil, false
	}
	sp2 := bytes.IndexByte(line[sp1+1:], ' ')
	if sp2 < 7 || sp2 > 8 {
		return nil, nil, false
	}
	sp2 += sp1 + 1
	if !isDateTime(line[:sp2]) {
		return nil, nil, false
	}
	return line[:sp2], line[sp2+1:], true
}

func splitQQSender(s []byte) ([]byte, Person, bool) {
	s = bytes.TrimRight(s, " ")
	if len(s) < 3 {
		return nil, Person{}, false
	}
	var open byte
	switch s[len(s)-1] {
	case ')':
		open = '('
	case '>':
		open = '<'
	default:
		return nil, Person{}, false
	}
	i := bytes.LastIndexByte(s, open)
	if i < 0 || i == len(s)-2 {
		return nil, Person{}, false
	}
	uid := s[i+1 : len(s)-1]
	if open == '(' && !allDigits(uid) {
		return nil, Person{}, false
	}
	if open == '<' && bytes.IndexByte(uid, '@') < 0 {
		return nil, Person{}, false
	}
	name := s[:i]
	// Staff carry a title such as 【管理员】 before the nick.
	if bytes.HasPrefix(name, []byte("【")) {
		if j := bytes.Index(name, []byte("】")); j > 0 {
			name = name[j+len("】"):]
		}
	}
	return nil, Person{UID: string(uid), Name: string(name)}, true
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

// isDateTime checks the shape "Y-M-D h:m:s" with digits only.
func isDateTime(b []byte) bool {
	dashes, colons := 0, 0
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
		case c == '-':
			dashes++
		case c == ':':
			colons++
		case c == ' ':
		default:
			return false
		}
	}
	return dashes == 2 && colons == 2
}

// qqTime parses "2026-9-7 9:03:15" in the export's zone.
func qqTime(b []byte, tz *time.Location) (time.Time, error) {
	var f [6]int
	i := 0
	for _, c := range b {
		if c >= '0' && c <= '9' {
			f[i] = f[i]*10 + int(c-'0')
			continue
		}
		if i++; i >= len(f) {
			break
		}
	}
	if f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > 31 || f[3] > 23 || f[4] > 59 || f[5] > 60 {
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

// qqHeaderField reads "消息分组:X" or "消息对象:X" (either colon width).
func qqHeaderField(line []byte) (string, string, bool) {
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
