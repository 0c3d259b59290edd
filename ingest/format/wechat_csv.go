package format

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// WeChatCSV reads the CSV that WeChatMsg / MemoTrace (github.com/LC044/WeChatMsg)
// writes for one chat, as 聊天记录/<chat remark>/<chat remark>_utf8.csv in
// UTF-8 with a BOM:
//
//	localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender
//	17,5,1,0,0,1794790860,2,欢迎 @张伟 ,2026-11-16 09:01:00,王芳,王芳,wxid_wangfang
//	18,5,10000,0,0,1794790920,4,"""王芳""邀请""张伟""加入了群聊",2026-11-16 09:02:00,,,
//
// The first nine columns are the MSG table of the WeChat PC database
// (CreateTime in unix seconds, StrTime the same instant in the exporting
// machine's local time); Remark, NickName and Sender (the wxid) describe who
// sent the row: the exporting account itself when IsSender is 1, nobody for
// system rows. The twelve columns are those of every release that wrote
// per-chat CSVs (app/DataBase/exporter_csv.py in the 0.2.x releases,
// app/util/exporter/exporter_csv.py later): 0.2.x left the exporting
// account's own Remark and NickName empty in groups (WeChatMsg issue #372)
// and wrote private-chat rows with nine fields (issue #160); both load.
// The earliest releases (app/DataBase/output_pc.py, pandas to_csv) wrote
// only the nine MSG columns, after an unnamed index column: a group's
// senders are not in such a file, which is refused with that reason rather
// than loaded as thousands of rejects.
//
// Type codes (MemoTrace's own table): 1 text, 3 image, 34 voice, 43 video,
// 47 sticker, 49 app message (SubType 5 link, 6 file, 57 quoted reply, ...),
// 42 contact card, 48 location, 50 call, 10000 system notice, 10002 system
// XML (recall, templates). System rows are read with the wordings of
// locales/wechat.json: membership notices become Events (the remover as
// Actor), recalls recall messages, "已成为新群主" the owner's Role; words no
// table knows are unknown notices, never a member's message. Notices name
// people by display name only: they are named-only Persons (empty UID) for
// the loader to resolve to the wxid seen under that name in the group,
// except "你"/"You" (the exporting account, from the rows it sent) and
// template notices that carry wxids.
//
// The CSV has no group id and no platform message id: the group is named
// after the file (without "_utf8"), and messages are keyed by content.
type WeChatCSV struct{}

func (WeChatCSV) Name() string { return "wechat-csv" }

var (
	wechatRequired = []string{"localid", "type", "issender", "createtime", "strcontent"}
	wechatOptional = []string{"talkerid", "subtype", "status", "strtime", "remark", "nickname", "sender"}
)

// WeChat message types, as in the PC database's MSG.Type.
const (
	wxText     = 1
	wxImage    = 3
	wxVoice    = 34
	wxCard     = 42
	wxVideo    = 43
	wxSticker  = 47
	wxLocation = 48
	wxApp      = 49
	wxCall     = 50
	wxSystem   = 10000
	wxSysXML   = 10002
)

// wechatSelfName is how Chinese notices name the exporting account;
// English ones say You or you.
const wechatSelfName = "你"

// wechatSelfUnknown is the exporting account before any row it sent is seen.
var wechatSelfUnknown = Person{Name: wechatSelfName}

var wechatRules = loadNoticeRules("wechat")

func (WeChatCSV) Detect(_ string, head []byte) bool {
	return headerHas(head, "localid", "talkerid", "type", "issender", "createtime", "strcontent")
}

func (f WeChatCSV) Parse(ctx context.Context, in Input, sink Sink) error {
	br := bufferedInput(in.R)
	in.R = br
	self := wechatSelfFromHead(peekHead(br))
	t, err := openCSV(in, f.Name(), wechatRequired, wechatOptional)
	if err != nil {
		return err
	}
	col := func(name string) int {
		if i, ok := t.col[name]; ok {
			return i
		}
		return -1
	}
	if col("sender") < 0 && col("nickname") < 0 && col("remark") < 0 {
		return &ParseError{Format: f.Name(), Path: in.Path, Line: 1,
			Msg: "no Remark, NickName or Sender column: an early WeChatMsg export that leaves out who sent each message; export the chat again with a later release"}
	}
	p := wechatParser{
		sink: sink, self: self, lang: in.Lang, max: in.MaxMessageBytes(),
		group:   wechatGroup(in.Path, "_utf8"),
		iType:   col("type"),
		iSub:    col("subtype"),
		iIsSend: col("issender"),
		iCreate: col("createtime"),
		iStr:    col("strtime"),
		iText:   col("strcontent"),
		iRemark: col("remark"),
		iNick:   col("nickname"),
		iSender: col("sender"),
	}
	p.tz = in.Location(p.group)
	return t.each(ctx, sink, func(rec []string) (string, error) {
		if reason := p.row(rec, t.line); reason != "" {
			return reason, nil
		}
		return "", p.err
	})
}

type wechatParser struct {
	sink  Sink
	tz    *time.Location
	group Group
	self  Person // the exporting account; named "你" only until known
	lang  string // a forced notice language
	max   int    // the largest message, in bytes
	n     int64
	err   error // a sink error, which ends the parse

	iType, iSub, iIsSend, iCreate, iStr, iText, iRemark, iNick, iSender int

	msg Message
	ev  Event
}

// cutText shortens s to at most n bytes without splitting a rune.
func cutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func field(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return rec[i]
}

// row reads one CSV record; it returns why the row is unreadable, or "".
func (p *wechatParser) row(rec []string, line int64) string {
	typ, err := strconv.Atoi(strings.TrimSpace(field(rec, p.iType)))
	if err != nil {
		return "Type is not a number"
	}
	sub, _ := strconv.Atoi(strings.TrimSpace(field(rec, p.iSub)))
	ts, ok := wechatTime(field(rec, p.iCreate), field(rec, p.iStr), p.tz)
	if !ok {
		return "unreadable CreateTime and StrTime"
	}
	content := field(rec, p.iText)
	if len(content) > p.max {
		rec[p.iText] = cutText(content, 256) // the reject keeps the row's start, not megabytes
		return "message larger than " + strconv.Itoa(p.max) + " bytes"
	}
	isSender := strings.TrimSpace(field(rec, p.iIsSend)) == "1"
	wxid := strings.TrimSpace(field(rec, p.iSender))
	name := strings.TrimSpace(field(rec, p.iNick))
	if name == "" {
		name = strings.TrimSpace(field(rec, p.iRemark))
	}
	sender := Person{UID: wxid, Name: name}
	if wxid != "" && name == "" {
		sender.Name = wxid
	}
	if isSender && wxid != "" {
		p.self = sender
	}

	m := &p.msg
	*m = Message{Group: p.group, Time: ts, Line: line, Mentions: m.Mentions[:0]}
	if typ == wxSystem || typ == wxSysXML {
		p.err = p.notice(m, content)
		return ""
	}
	if sender.UID == "" {
		switch {
		case isSender && p.self.UID != "":
			sender = p.self
		case name != "":
			sender.UID = "name:" + name
		default:
			return "no Sender (wxid) or NickName for a chat message"
		}
	}
	m.Sender = sender
	m.Kind, m.Text = wechatContent(typ, sub, content)
	if m.Kind == KindText || m.Kind == KindLink {
		m.Mentions = mentions(m.Text, m.Mentions)
	}
	p.err = p.sink.Message(m)
	return ""
}

// wechatTime prefers the unix CreateTime (an exact instant) and falls back
// to StrTime in the export's zone.
func wechatTime(create, str string, tz *time.Location) (time.Time, bool) {
	if n, err := strconv.ParseInt(strings.TrimSpace(create), 10, 64); err == nil && n > 0 {
		if n > 1e11 { // milliseconds
			return time.UnixMilli(n).In(tz), true
		}
		return time.Unix(n, 0).In(tz), true
	}
	if s := strings.TrimSpace(str); s != "" {
		if t, err := parseTime(s, tz); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// wechatContent maps a message type to a kind and a readable text: media
// rows hold XML in StrContent, which becomes the placeholder WeChat shows.
func wechatContent(typ, sub int, content string) (string, string) {
	switch typ {
	case wxText:
		return textOrLink(content), content
	case wxImage:
		return KindImage, "[图片]"
	case wxVoice:
		return KindVoice, "[语音]"
	case wxVideo:
		return KindVideo, "[视频]"
	case wxSticker:
		return KindSticker, "[表情包]"
	case wxCard:
		return KindLink, "[名片]"
	case wxLocation:
		return KindLink, "[位置]"
	case wxCall:
		return KindVoice, "[音视频通话]"
	case wxApp:
		title := xmlText(content, "title")
		switch sub {
		case 6: // file
			return KindFile, bracketed("[文件]", title)
		case 8: // animated sticker sent as an app message
			return KindSticker, "[表情包]"
		case 57: // quoted reply: the title is what the member wrote
			if title == "" && !strings.HasPrefix(strings.TrimSpace(content), "<") {
				title = content
			}
			return textOrLink(title), title
		case 19: // forwarded chat history
			return KindText, bracketed("[聊天记录]", title)
		case 2000, 2001: // transfer, red packet
			return KindSystem, bracketed("[转账]", title)
		}
		text := bracketed("[链接]", title)
		if url := xmlText(content, "url"); url != "" {
			text += " " + url
		}
		return KindLink, text
	}
	if strings.HasPrefix(strings.TrimSpace(content), "<") {
		return KindText, "[消息]"
	}
	return textOrLink(content), content
}

func textOrLink(s string) string {
	if strings.Contains(s, "http://") || strings.Contains(s, "https://") {
		return KindLink
	}
	return KindText
}

func bracketed(tag, title string) string {
	if title == "" {
		return tag
	}
	return tag + " " + title
}

// xmlText returns the text of the first <tag>…</tag> in s, CDATA unwrapped.
func xmlText(s, tag string) string {
	i := strings.Index(s, "<"+tag+">")
	if i < 0 {
		return ""
	}
	s = s[i+len(tag)+2:]
	j := strings.Index(s, "</"+tag+">")
	if j < 0 {
		return ""
	}
	s = strings.TrimSpace(s[:j])
	if c, ok := strings.CutPrefix(s, "<![CDATA["); ok {
		s = strings.TrimSuffix(c, "]]>")
	}
	return strings.TrimSpace(s)
}

// notice turns a system row into events, a recall, a role, a known system
// message, or an unknown notice.
func (p *wechatParser) notice(m *Message, content string) error {
	text, links := wechatNoticeText(content)
	n, ok := parseWeChatNotice(text, p.lang)
	if !ok {
		return p.sink.UnknownNotice(m.Line, wechatDisplay(text, links))
	}
	switch n.kind {
	case noticeRecall:
		if who := p.people(n.members, links); len(who) > 0 {
			m.Sender = who[0]
		}
		m.Kind = KindRecall
		return p.sink.Message(m)
	case noticeJoin, noticeLeave, noticeRemoved:
		ev := &p.ev
		var inviter, actor Person
		if who := p.people(n.inviter, links); len(who) > 0 {
			inviter = who[0]
		}
		if who := p.people(n.actor, links); len(who) > 0 {
			actor = who[0]
		}
		// The table's kinds are the Event kinds.
		for _, member := range p.people(n.members, links) {
			*ev = Event{Group: p.group, Member: member, Time: m.Time, Kind: n.kind, Source: n.source,
				Inviter: inviter, Actor: actor, Line: m.Line}
			if err := p.sink.Event(ev); err != nil {
				return err
			}
		}
		return nil
	case noticeOwner, noticeAdmin:
		for _, member := range p.people(n.members, links) {
			if err := p.sink.Role(&Role{Group: p.group, Person: member, Role: n.kind, Time: m.Time, Line: m.Line}); err != nil {
				return err
			}
		}
		return nil
	}
	m.Kind, m.Text = KindSystem, wechatDisplay(text, links)
	return p.sink.Message(m)
}

// people resolves the names a notice gives: the exporting account, the
// members a template listed with their wxids, or display names, which are
// named-only Persons for the loader to resolve.
func (p *wechatParser) people(names []string, links []wechatLink) []Person {
	var out []Person
	for _, name := range names {
		switch {
		case isWeChatSelf(name):
			out = append(out, p.self)
		case isLinkToken(name):
			i := int(name[1] - '0')
			if i < len(links) {
				out = append(out, links[i].members...)
			}
		default:
			out = append(out, Person{Name: name})
		}
	}
	return out
}

func isWeChatSelf(name string) bool {
	return name == wechatSelfName || name == "You" || name == "you"
}

// wechatSelfFromHead finds the exporting account in the first rows: any row
// with IsSender=1 names it. Without one, notices about "你" name "你" only.
func wechatSelfFromHead(head []byte) Person {
	self := wechatSelfUnknown
	r := csv.NewReader(bytes.NewReader(head))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return self
	}
	iSend, iSender, iNick, iRemark := -1, -1, -1, -1
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) {
		case "issender":
			iSend = i
		case "sender":
			iSender = i
		case "nickname":
			iNick = i
		case "remark":
			iRemark = i
		}
	}
	if iSend < 0 || iSender < 0 {
		return self
	}
	for {
		rec, err := r.Read()
		if err != nil {
			return self
		}
		if strings.TrimSpace(field(rec, iSend)) != "1" {
			continue
		}
		if id := strings.TrimSpace(field(rec, iSender)); id != "" {
			name := strings.TrimSpace(field(rec, iNick))
			if name == "" {
				name = strings.TrimSpace(field(rec, iRemark))
			}
			if name == "" {
				name = id
			}
			return Person{UID: id, Name: name}
		}
	}
}

// wechatGroup names the chat after the export file.
func wechatGroup(path, suffix string) Group {
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	base = strings.TrimSuffix(base, suffix)
	return Group{Platform: "wechat", ExternalID: base, Name: base}
}

// wechatNotice is a notice read with the tables, names not yet resolved.
type wechatNotice struct {
	kind, source   string // a notice kind; source for joins
	members        []string
	inviter, actor []string
}

// wechatQuotes maps the curly quotes some notices use to straight ones.
var wechatQuotes = strings.NewReplacer("“", `"`, "”", `"`)

// parseWeChatNotice reads a system row's text with the wordings of
// locales/wechat.json (see that file for the real notices each follows).
func parseWeChatNotice(text, lang string) (wechatNotice, bool) {
	s := strings.TrimSpace(wechatQuotes.Replace(text))
	s = strings.TrimSpace(strings.TrimSuffix(s, "$revoke$"))
	s = strings.TrimSpace(strings.TrimRight(s, "。."))
	if s == "" {
		return wechatNotice{}, false
	}
	m, ok := wechatRules.match(s, lang)
	if !ok {
		return wechatNotice{}, false
	}
	n := wechatNotice{kind: m.rule.kind, source: m.rule.source}
	// Chinese notices quote every name; only English ones list bare names.
	bare := m.rule.lang == "en"
	if m.hasMember {
		if n.members, ok = wechatNames(m.member, bare); !ok {
			return wechatNotice{}, false
		}
	}
	for _, who := range []struct {
		dst  *[]string
		text string
		has  bool
	}{{&n.inviter, m.inviter, m.hasInviter}, {&n.actor, m.actor, m.hasActor}} {
		if !who.has {
			continue
		}
		names, ok := wechatNames(who.text, bare)
		if !ok || len(names) != 1 {
			return wechatNotice{}, false
		}
		*who.dst = names
	}
	if n.kind == noticeRecall && len(n.members) > 1 {
		return wechatNotice{}, false
	}
	return n, true
}

// wechatNames splits the names a notice lists: quoted and joined by 、, 和
// or commas in Chinese (`"A"、"B"`, `你和"B"`), bare and joined by ", " or
// " and " in English when bare is set (`陈佳, Ming`, `you and Ming`), or a
// template's member list (a link token, quoted or not).
func wechatNames(s string, bare bool) ([]string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, false
	}
	if bare && !strings.HasPrefix(s, `"`) && !isLinkToken(s) {
		return englishNames(s), true
	}
	var names []string
	for {
		s = strings.TrimSpace(s)
		switch {
		case strings.HasPrefix(s, wechatSelfName):
			names = append(names, wechatSelfName)
			s = s[len(wechatSelfName):]
		case strings.HasPrefix(s, `"`):
			j := strings.IndexByte(s[1:], '"')
			if j < 0 {
				return nil, false
			}
			name := strings.TrimSpace(s[1 : 1+j])
			if name == "" {
				return nil, false
			}
			names = append(names, name)
			s = s[j+2:]
		case isLinkToken(s):
			names = append(names, s[:3])
			s = s[3:]
		default:
			return nil, false
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return names, true
		}
		var ok bool
		for _, sep := range []string{"、", "和", "，", ",", "and "} {
			if rest, found := strings.CutPrefix(s, sep); found {
				s, ok = rest, true
				break
			}
		}
		if !ok {
			return nil, false
		}
	}
}

// englishNames splits "A, B and C"; a name may hold 、 ("小卓、Zoe").
func englishNames(s string) []string {
	var names []string
	for _, part := range strings.Split(s, ", ") {
		for _, name := range strings.Split(part, " and ") {
			if name = strings.Trim(strings.TrimSpace(name), `"`); name != "" {
				names = append(names, name)
			}
		}
	}
	return names
}

// A template's member list stands in the notice's text as a token, "\x01"
// + index + "\x01", so that names holding quotes, commas or 、 stay whole
// and keep their wxids.
func isLinkToken(s string) bool {
	return len(s) >= 3 && s[0] == 1 && s[2] == 1 && s[1] >= '0' && s[1] <= '9'
}

// wechatLink is the member list of one template link.
type wechatLink struct {
	members []Person
}

// wechatDisplay puts the names back in place of template tokens.
func wechatDisplay(text string, links []wechatLink) string {
	if len(links) == 0 {
		return text
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(text, 1)
		if i < 0 || !isLinkToken(text[i:]) {
			b.WriteString(text)
			return b.String()
		}
		b.WriteString(text[:i])
		if k := int(text[i+1] - '0'); k < len(links) {
			for j, m := range links[k].members {
				if j > 0 {
					b.WriteString(`"、"`)
				}
				b.WriteString(m.Name)
			}
		}
		text = text[i+3:]
	}
}

// wechatNoticeText turns a system row's StrContent into the sentence WeChat
// shows: CDATA wrappers, <revokemsg> and action links such as
// <a href="weixin://revoke_edit_click">重新编辑</a> are dropped, and a
// <sysmsg> XML body is rendered from its replacemsg, template or plain
// text. A template's member lists are returned beside the text, which holds
// a token for each.
func wechatNoticeText(content string) (string, []wechatLink) {
	s := strings.TrimSpace(content)
	if i := strings.Index(s, "<sysmsg"); i >= 0 {
		if text, links, ok := wechatSysmsg(s[i:]); ok {
			return text, links
		}
	}
	if !strings.Contains(s, "<") {
		return s, nil
	}
	return strings.TrimSpace(stripTags(s)), nil
}

// stripTags removes markup; links (<a>, <_wc_custom_link_>) go with their text.
func stripTags(s string) string {
	s = strings.ReplaceAll(s, "<![CDATA[", "")
	s = strings.ReplaceAll(s, "]]>", "")
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			b.WriteString(s[i:])
			return b.String()
		}
		tag := s[i+1 : i+j]
		s = s[i+j+1:]
		name, _, _ := strings.Cut(tag, " ")
		if name == "a" || name == "_wc_custom_link_" {
			if k := strings.Index(s, "</"+name+">"); k >= 0 {
				s = s[k+len(name)+3:]
			}
		}
	}
}

type wechatSysmsgXML struct {
	Type   string `xml:"type,attr"`
	Revoke struct {
		Replace string `xml:"replacemsg"`
	} `xml:"revokemsg"`
	// delchatroommember: the English and Chinese invite/QR notices of
	// older clients (wechaty-puppet-padplus specs), whose <plain> is the
	// sentence.
	DelMember struct {
		Plain string `xml:"plain"`
	} `xml:"delchatroommember"`
	Pat struct {
		Template string `xml:"template"`
	} `xml:"pat"`
	Template struct {
		Content struct {
			Plain    string `xml:"plain"`
			Template string `xml:"template"`
			Links    []struct {
				Name    string `xml:"name,attr"`
				Members []struct {
					Username string `xml:"username"`
					Nickname string `xml:"nickname"`
				} `xml:"memberlist>member"`
				Plain string `xml:"plain"`
			} `xml:"link_list>link"`
		} `xml:"content_template"`
	} `xml:"sysmsgtemplate"`
}

// wechatSysmsg renders the <sysmsg> bodies whose words a table can read:
// revokemsg, delchatroommember, pat and sysmsgtemplate.
func wechatSysmsg(s string) (string, []wechatLink, bool) {
	var x wechatSysmsgXML
	if err := xml.Unmarshal([]byte(s), &x); err != nil {
		return "", nil, false
	}
	switch x.Type {
	case "revokemsg":
		if r := strings.TrimSpace(x.Revoke.Replace); r != "" {
			return stripTags(r), nil, true
		}
	case "delchatroommember":
		if r := strings.TrimSpace(x.DelMember.Plain); r != "" {
			return r, nil, true
		}
	case "pat":
		if r := strings.TrimSpace(x.Pat.Template); r != "" {
			return r, nil, true
		}
	case "sysmsgtemplate":
		c := x.Template.Content
		if c.Template == "" || len(c.Links) > 10 {
			return "", nil, false
		}
		var links []wechatLink
		var pairs []string
		for _, l := range c.Links {
			var members []Person
			for _, m := range l.Members {
				name := strings.TrimSpace(m.Nickname)
				id := strings.TrimSpace(m.Username)
				if name == "" {
					name = id
				}
				if name != "" {
					members = append(members, Person{UID: id, Name: name})
				}
			}
			value := l.Plain
			switch {
			case len(members) > 0:
				value = string([]byte{1, byte('0' + len(links)), 1})
				links = append(links, wechatLink{members: members})
			case l.Name == "revoke":
				// "你邀请…加入了群聊  $revoke$": the undo link is no part of the notice.
				value = ""
			}
			pairs = append(pairs, "$"+l.Name+"$", value)
		}
		text := strings.NewReplacer(pairs...).Replace(c.Template)
		return strings.TrimSpace(stripTags(text)), links, true
	}
	return "", nil, false
}

// bufferedInput gives a parser a reader it can peek at without losing bytes.
func bufferedInput(r io.Reader) *bufio.Reader {
	if br, ok := r.(*bufio.Reader); ok && br.Size() >= 64<<10 {
		return br
	}
	return bufio.NewReaderSize(r, 256<<10)
}

// peekHead returns up to the reader's buffer size of upcoming bytes, cut
// after the last complete line unless the input ends there.
func peekHead(br *bufio.Reader) []byte {
	head, err := br.Peek(br.Size())
	if err == nil || err == bufio.ErrBufferFull {
		if i := bytes.LastIndexByte(head, '\n'); i >= 0 {
			head = head[:i+1]
		}
	}
	return head
}
