package format

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// WeChatCSV reads the CSV that WeChatMsg / MemoTrace (github.com/LC044/WeChatMsg,
// app/util/exporter/exporter_csv.py) writes for one chat, as
// 聊天记录/<chat remark>/<chat remark>_utf8.csv in UTF-8 with a BOM:
//
//	localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender
//	17,5,1,0,0,1794790860,2,欢迎 @张伟 ,2026-11-16 09:01:00,王芳,王芳,wxid_wangfang
//	18,5,10000,0,0,1794790920,4,"""王芳""邀请""张伟""加入了群聊",2026-11-16 09:02:00,,,
//
// The first nine columns are the MSG table of the WeChat PC database
// (CreateTime in unix seconds, StrTime the same instant in the exporting
// machine's local time); Remark, NickName and Sender (the wxid) describe who
// sent the row: the exporting account itself when IsSender is 1, nobody for
// system rows. Older exports of private chats stop after StrTime.
//
// Type codes (MemoTrace's own table): 1 text, 3 image, 34 voice, 43 video,
// 47 sticker, 49 app message (SubType 5 link, 6 file, 57 quoted reply, ...),
// 42 contact card, 48 location, 50 call, 10000 system notice, 10002 system
// XML (recall, templates). Membership notices become Events, recalls
// become recall messages; notices name people by display name only, so their
// UID is "name:"+name, except "你" (the exporting account, resolved from the
// rows it sent) and template notices that carry wxids.
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

// wechatSelfName is how notices name the exporting account.
const wechatSelfName = "你"

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
	p := wechatParser{
		sink: sink, tz: in.TZ, self: self,
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
	self  Person // the exporting account; UID "name:你" until known
	n     int64
	err   error // a sink error, which ends the parse

	iType, iSub, iIsSend, iCreate, iStr, iText, iRemark, iNick, iSender int

	msg Message
	ev  Event
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
	content := field(rec, p.iText)

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

// notice turns a system row into events, a recall or a system message.
func (p *wechatParser) notice(m *Message, content string) error {
	text, ids := wechatNoticeText(content)
	n, ok := parseWeChatNotice(text)
	if !ok {
		m.Kind, m.Text = KindSystem, text
		return p.sink.Message(m)
	}
	if n.kind == KindRecall {
		m.Sender = p.person(n.members[0], ids)
		m.Kind = KindRecall
		return p.sink.Message(m)
	}
	ev := &p.ev
	for _, member := range n.members {
		*ev = Event{Group: p.group, Member: p.person(member, ids), Time: m.Time, Kind: n.kind, Source: n.source, Line: m.Line}
		if n.inviter != "" {
			ev.Inviter = p.person(n.inviter, ids)
		}
		if err := p.sink.Event(ev); err != nil {
			return err
		}
	}
	return nil
}

// person resolves a name from a notice: the exporting account, a wxid a
// template named, or the name itself.
func (p *wechatParser) person(name string, ids map[string]string) Person {
	if name == wechatSelfName {
		return p.self
	}
	if id := ids[name]; id != "" {
		return Person{UID: id, Name: name}
	}
	return Person{UID: "name:" + name, Name: name}
}

// wechatSelfFromHead finds the exporting account in the first rows: any row
// with IsSender=1 names it. Without one, notices about "你" use "name:你".
func wechatSelfFromHead(head []byte) Person {
	self := Person{UID: "name:" + wechatSelfName, Name: wechatSelfName}
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

// wechatNotice is a membership notice or a recall.
type wechatNotice struct {
	kind    string // EventJoin, EventLeave, EventRemoved or KindRecall
	source  string
	members []string
	inviter string
}

var (
	wxQuotes = strings.NewReplacer("“", `"`, "”", `"`)
	// A person is "name" in quotes or 你; lists join them with 、 or 和.
	wxRecallRe    = regexp.MustCompile(`^(你|".+") ?撤回了一条消息$`)
	wxRemovedYou  = regexp.MustCompile(`^你被(".+")移出(?:了)?群聊$`)
	wxRemovedRe   = regexp.MustCompile(`^(你|".+?")将(.+)移出(?:了)?群聊$`)
	wxQRScanRe    = regexp.MustCompile(`^(.+)通过扫描(你|".+")分享的二维码加入(?:了)?群聊$`)
	wxQRInviteRe  = regexp.MustCompile(`^(.+)通过(你|".+")的邀请二维码加入(?:了)?群聊$`)
	wxQRPlainRe   = regexp.MustCompile(`^(.+)通过扫描二维码加入(?:了)?群聊$`)
	wxInviteRe    = regexp.MustCompile(`^(你|".+?")邀请(.+)加入了群聊$`)
	wxJoinedRe    = regexp.MustCompile(`^(.+)加入了群聊$`)
	wxLeftRe      = regexp.MustCompile(`^(.+)退出了群聊$`)
	wxOthersIndex = "，群聊参与人还有"
)

// parseWeChatNotice reads the notices WeChat writes for membership changes
// and recalls:
//
//	"X"邀请"Y"、"Z"加入了群聊            referral by X (also 你邀请…, "X"邀请你和"Y"…)
//	"Y"通过扫描"X"分享的二维码加入群聊      QR code shared by X
//	"Y"通过"X"的邀请二维码加入群聊         QR code shared by X
//	"Y"加入了群聊                        join, no inviter known
//	"X"将"Y"移出了群聊 / 你被"X"移出群聊    removed
//	"Y"退出了群聊                        leave
//	"X" 撤回了一条消息 / 你撤回了一条消息    recall
func parseWeChatNotice(text string) (wechatNotice, bool) {
	s := strings.TrimSpace(wxQuotes.Replace(text))
	s = strings.TrimSpace(strings.TrimSuffix(s, "。"))
	if i := strings.Index(s, wxOthersIndex); i > 0 {
		s = s[:i]
	}
	if m := wxRecallRe.FindStringSubmatch(s); m != nil {
		return noticeOf(KindRecall, "", m[1], "")
	}
	if m := wxRemovedYou.FindStringSubmatch(s); m != nil {
		return noticeOf(EventRemoved, "", wechatSelfName, "")
	}
	if m := wxRemovedRe.FindStringSubmatch(s); m != nil {
		return noticeOf(EventRemoved, "", m[2], "")
	}
	if m := wxQRScanRe.FindStringSubmatch(s); m != nil {
		return noticeOf(EventJoin, SourceQR, m[1], m[2])
	}
	if m := wxQRInviteRe.FindStringSubmatch(s); m != nil {
		return noticeOf(EventJoin, SourceQR, m[1], m[2])
	}
	if m := wxQRPlainRe.FindStringSubmatch(s); m != nil {
		return noticeOf(EventJoin, SourceQR, m[1], "")
	}
	if m := wxInviteRe.FindStringSubmatch(s); m != nil {
		return noticeOf(EventJoin, SourceReferral, m[2], m[1])
	}
	if m := wxJoinedRe.FindStringSubmatch(s); m != nil {
		return noticeOf(EventJoin, SourceUnknown, m[1], "")
	}
	if m := wxLeftRe.FindStringSubmatch(s); m != nil {
		return noticeOf(EventLeave, "", m[1], "")
	}
	return wechatNotice{}, false
}

func noticeOf(kind, source, members, inviter string) (wechatNotice, bool) {
	names, ok := wechatNames(members)
	if !ok {
		return wechatNotice{}, false
	}
	n := wechatNotice{kind: kind, source: source, members: names}
	if kind == KindRecall && len(names) != 1 {
		return wechatNotice{}, false
	}
	if inviter != "" {
		inv, ok := wechatNames(inviter)
		if !ok || len(inv) != 1 {
			return wechatNotice{}, false
		}
		n.inviter = inv[0]
	}
	return n, true
}

// wechatNames splits `"A"、"B"`, `你和"B"` or `你` into names.
func wechatNames(s string) ([]string, bool) {
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
		default:
			return nil, false
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return names, true
		}
		var ok bool
		for _, sep := range []string{"、", "和", "，", ","} {
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

// wechatNoticeText turns a system row's StrContent into the sentence WeChat
// shows: CDATA wrappers, <revokemsg> and action links such as
// <a href="weixin://revoke_edit_click">重新编辑</a> are dropped, and a
// <sysmsg> XML body is rendered from its replacemsg or template. For
// templates it also returns the wxid of each name the template lists.
func wechatNoticeText(content string) (string, map[string]string) {
	s := strings.TrimSpace(content)
	if i := strings.Index(s, "<sysmsg"); i >= 0 {
		if text, ids, ok := wechatSysmsg(s[i:]); ok {
			return text, ids
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

// wechatSysmsg renders <sysmsg type="revokemsg"> and
// <sysmsg type="sysmsgtemplate"> bodies.
func wechatSysmsg(s string) (string, map[string]string, bool) {
	var x wechatSysmsgXML
	if err := xml.Unmarshal([]byte(s), &x); err != nil {
		return "", nil, false
	}
	switch x.Type {
	case "revokemsg":
		if r := strings.TrimSpace(x.Revoke.Replace); r != "" {
			return stripTags(r), nil, true
		}
	case "sysmsgtemplate":
		c := x.Template.Content
		if c.Template == "" {
			return "", nil, false
		}
		ids := map[string]string{}
		var pairs []string
		for _, l := range c.Links {
			var names []string
			for _, m := range l.Members {
				name := strings.TrimSpace(m.Nickname)
				id := strings.TrimSpace(m.Username)
				if name == "" {
					name = id
				}
				if name == "" {
					continue
				}
				names = append(names, name)
				if id != "" {
					ids[name] = id
				}
			}
			value := strings.Join(names, `"、"`)
			if len(names) == 0 {
				value = l.Plain
			}
			pairs = append(pairs, "$"+l.Name+"$", value)
		}
		text := strings.NewReplacer(pairs...).Replace(c.Template)
		return strings.TrimSpace(stripTags(text)), ids, true
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
