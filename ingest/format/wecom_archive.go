package format

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"time"
	"unicode/utf8"
)

// WeComArchive reads WeCom's chat archive (会话内容存档) as the official
// WeWorkFinanceSdk yields it (GetChatData, then DecryptData of each
// chatdata entry): one decrypted message, a JSON object, per line. The
// layout is the "消息格式" section of 获取会话内容
// (developer.work.weixin.qq.com/document/path/91774), as the open-source
// SDK wrappers read it (e.g. github.com/wenerme/go-wecom
// WeWorkFinanceSDK/message.go):
//
//	{"msgid":"1090128373920391_1733212345678","action":"send",
//	 "from":"wmAbC123","tolist":["zhangsan","wmDeF456"],
//	 "roomid":"wrOgQhDgAAcwMTB7YmDkbeBsgT_AAAAA","msgtime":1733212345678,
//	 "msgtype":"text","text":{"content":"@张三 请问什么时候发货？"}}
//
// action is send, recall (msgtype revoke, whose revoke.pre_msgid names the
// message taken back) or switch (切换企业日志: not a message, only "time"
// and "user"; skipped). from and tolist hold userids of the company's
// employees (staff: an admin role in the group is recorded, see
// wecomStaffRole), external_userids of customers ("wo"/"wm") and of bots
// ("wb": a bot role); roomid is the group, empty for a one-to-one chat,
// which is no community and is skipped (counted, not rejected). msgtime is
// the instant in milliseconds (a value below 1e11 is read as seconds: a few
// of the documentation's samples give seconds). The body is the object
// named by msgtype (doc for docmsg, info for markdown and news, redpacket
// for external_redpacket); a vote's fields (votetitle, voteitem, votetype,
// voteid) stand beside the envelope or in a "vote" object.
//
// msgtype maps to a kind and the text WeCom shows: text and markdown are
// text (a link when they hold a URL); image, voice, video, emotion
// (sticker), file and the call types are media with their placeholder;
// link, weapp, card, location, docmsg, news and sphfeed are links;
// chatrecord, todo, vote, collect, meeting and calendar are text with
// their title; mixed is the text of its parts; redpacket, agree and
// disagree (consent to the archive) are system notices; a type this
// reader does not know is a text "[type]" so no message is lost. A vote
// started (votetype 101) is also an activity of type vote. The tolist of a
// group message repeats the whole member list at every message and is not
// read: the group details (wecom-groupchat) give members.
type WeComArchive struct{}

func (WeComArchive) Name() string { return "wecom-archive" }

func (WeComArchive) Detect(_ string, head []byte) bool {
	h := bytes.TrimLeft(head, " \t\r\n")
	if len(h) == 0 || h[0] != '{' {
		return false
	}
	if i := bytes.IndexByte(h, '\n'); i >= 0 {
		h = h[:i]
	}
	return bytes.Contains(h, []byte(`"msgid"`)) && bytes.Contains(h, []byte(`"action"`))
}

func (WeComArchive) Parse(ctx context.Context, in Input, sink Sink) error {
	p := &wcArchiveParser{
		s:      newJSONScanner(in.R, "wecom-archive", in.Path),
		sink:   sink,
		ctx:    ctx,
		max:    in.MaxMessageBytes(),
		intern: map[uint64]string{},
		seed:   maphash.MakeSeed(),
		roles:  map[wcRoleKey]bool{},
	}
	defer p.s.release()
	return p.run()
}

type wcArchiveParser struct {
	s      *jsonScanner
	sink   Sink
	ctx    context.Context
	max    int
	intern map[uint64]string // ids by their hash (seed)
	seed   maphash.Seed
	arena  strArena
	roles  map[wcRoleKey]bool // staff and bots whose role is recorded
	cur    wcMsg
	msg    Message
	count  int
	room   string // the last roomid: a group's messages come in bursts
	bad    bool   // a kept string was not UTF-8

	// Entries that are not community messages: one-to-one chats and
	// switch records. Counted, never rejected.
	direct, switches int64
}

type wcRoleKey struct{ room, uid string }

// wcMsg holds the fields of the line being read; its slices are reused.
type wcMsg struct {
	msgid, action, msgtype []byte
	from, roomid           string // interned as they are read
	msgtime                int64
	hasTime, hasBody       bool
	voteType               int64
	body                   wcBody
}

// wcBody is what the reader keeps of a message body, whatever its type.
type wcBody struct {
	content, title, filename, url, pre, extra []byte
	parts                                     []byte // mixed: the text of its text parts, one a line
	partMedia                                 bool   // mixed: an image or sticker part
}

func (c *wcMsg) reset() {
	c.msgid, c.action, c.msgtype, c.from, c.roomid = c.msgid[:0], c.action[:0], c.msgtype[:0], "", ""
	c.msgtime, c.hasTime, c.hasBody, c.voteType = 0, false, false, 0
	b := &c.body
	b.content, b.title, b.filename, b.url, b.pre, b.extra = b.content[:0], b.title[:0], b.filename[:0], b.url[:0], b.pre[:0], b.extra[:0]
	b.parts, b.partMedia = b.parts[:0], false
}

func (p *wcArchiveParser) run() error {
	s := p.s
	for {
		switch c := s.ws(); {
		case c == '{':
		case c == 0 && s.atEnd():
			return nil
		default:
			return s.unexpected("a message object (one per line)")
		}
		if p.count++; p.count&4095 == 0 {
			if err := p.ctx.Err(); err != nil {
				return err
			}
		}
		line := s.lineAt(s.pos)
		s.markHere()
		s.pos++
		c := &p.cur
		c.reset()
		p.bad = false
		for n := 0; ; {
			k, err := s.key(&n)
			if err != nil {
				return err
			}
			if k == nil {
				break
			}
			if err := p.field(c, k); err != nil {
				return err
			}
		}
		err := p.emit(c, line)
		s.mark = -1
		if err != nil {
			return err
		}
	}
}

func (p *wcArchiveParser) str(dst []byte) ([]byte, error) {
	b, _, err := p.s.strOrNull()
	return append(dst, b...), err
}

func (p *wcArchiveParser) field(c *wcMsg, k []byte) error {
	s := p.s
	var err error
	switch string(k) {
	case "msgid":
		c.msgid, err = p.str(c.msgid)
	case "action":
		c.action, err = p.str(c.action)
	case "from":
		var b []byte
		if b, _, err = s.strOrNull(); err == nil {
			c.from = p.id(b)
		}
	case "roomid":
		var b []byte
		if b, _, err = s.strOrNull(); err == nil {
			// A group's messages come in bursts: mostly the last room.
			if string(b) != p.room {
				p.room = p.id(b)
			}
			c.roomid = p.room
		}
	case "msgtype":
		c.msgtype, err = p.str(c.msgtype)
	case "msgtime":
		var n int64
		var ok bool
		if n, ok, err = wecomUnix(s); ok {
			c.msgtime, c.hasTime = n, true
		}
	case "tolist":
		err = skipIDList(s)
	case "votetitle":
		c.body.title, err = p.str(c.body.title)
	case "votetype":
		c.voteType, err = wecomCount(s)
	default:
		// The body: the one object the envelope carries beside its own
		// fields (tolist, seq...), whatever its key.
		if s.peek() == '{' && !c.hasBody {
			c.hasBody = true
			err = p.body(c, &c.body, 0)
		} else {
			err = s.skip()
		}
	}
	return err
}

// skipIDList skips a tolist, the whole member list of the group repeated
// on every message: most of an archive's bytes. Ids are strings without
// escapes, so the list ends at the first ']' when the quotes before it
// pair up (the ']' is outside every string) and no '[' opened a nested
// array; the assembly-backed bytes functions find that far faster than a
// byte-by-byte walk. Anything else (a list cut by the buffer's end, an
// escape) is skipped the usual way. Unlike skip, it does not look for NUL
// bytes inside the list: a value no one reads.
func skipIDList(s *jsonScanner) error {
	if s.ws() != '[' {
		return s.skip()
	}
	seg := s.buf[s.pos+1 : s.end]
	i := bytes.IndexByte(seg, ']')
	if i < 0 {
		return s.skip()
	}
	seg = seg[:i]
	if bytes.Count(seg, []byte{'"'})%2 != 0 || bytes.IndexByte(seg, '\\') >= 0 || bytes.IndexByte(seg, '[') >= 0 {
		return s.skip()
	}
	s.pos += i + 2
	return nil
}

// body reads a body object (its '{' not yet consumed), keeping the fields
// some type's text is made of; depth allows one nested object (the info of
// a qydiskfile).
func (p *wcArchiveParser) body(c *wcMsg, b *wcBody, depth int) error {
	s := p.s
	if err := s.enter('{', "a message body"); err != nil {
		return err
	}
	for n := 0; ; {
		k, err := s.key(&n)
		if err != nil || k == nil {
			return err
		}
		switch string(k) {
		case "content":
			if len(b.content) == 0 {
				b.content, err = p.str(b.content)
			} else {
				err = s.skip()
			}
		case "title", "votetitle":
			if len(b.title) == 0 {
				b.title, err = p.str(b.title)
			} else {
				err = s.skip()
			}
		case "filename":
			b.filename, err = p.str(b.filename)
		case "link_url", "url":
			if len(b.url) == 0 {
				b.url, err = p.str(b.url)
			} else {
				err = s.skip()
			}
		case "pre_msgid":
			b.pre, err = p.str(b.pre)
		case "wish", "topic", "feed_desc", "sph_name", "address", "displayname", "corpname":
			if len(b.extra) == 0 {
				b.extra, err = p.str(b.extra)
			} else {
				err = s.skip()
			}
		case "votetype":
			c.voteType, err = wecomCount(s)
		case "item":
			err = p.items(b)
		default:
			if s.peek() == '{' && depth == 0 {
				err = p.body(c, b, depth+1)
			} else {
				err = s.skip()
			}
		}
		if err != nil {
			return err
		}
	}
}

// items reads the parts of a mixed message ({"type": "text", "content":
// "{\"content\":\"...\"}"}: each part's body is JSON in a string) and the
// articles of a news message ({"title", "url"}).
func (p *wcArchiveParser) items(b *wcBody) error {
	s := p.s
	if s.peek() != '[' {
		return s.skip()
	}
	s.pos++
	var typ []byte
	for i := 0; ; {
		more, err := s.elem(&i)
		if err != nil || !more {
			return err
		}
		if s.peek() != '{' {
			if err := s.skip(); err != nil {
				return err
			}
			continue
		}
		s.pos++
		typ = typ[:0]
		for n := 0; ; {
			k, err := s.key(&n)
			if err != nil {
				return err
			}
			if k == nil {
				break
			}
			switch string(k) {
			case "type":
				typ, err = p.str(typ)
			case "content":
				var raw []byte
				if raw, _, err = s.strOrNull(); err == nil {
					switch string(typ) {
					case "text", "markdown":
						b.parts = appendPart(b.parts, raw)
					case "image", "emotion":
						b.partMedia = true
					}
				}
			case "title":
				if len(b.title) == 0 {
					b.title, err = p.str(b.title)
				} else {
					err = s.skip()
				}
			case "url":
				if len(b.url) == 0 {
					b.url, err = p.str(b.url)
				} else {
					err = s.skip()
				}
			default:
				err = s.skip()
			}
			if err != nil {
				return err
			}
		}
	}
}

// appendPart adds the text of a mixed part, whose content is a JSON object
// in a string ({"content": "..."}), on a line of its own. Mixed messages are
// rare: encoding/json is fast enough for them.
func appendPart(dst, raw []byte) []byte {
	var part struct {
		Content string `json:"content"`
	}
	text := string(raw) // a part written as plain text
	if json.Unmarshal(raw, &part) == nil {
		text = part.Content
	}
	if text == "" {
		return dst
	}
	if len(dst) > 0 {
		dst = append(dst, '\n')
	}
	return append(dst, text...)
}

// keep makes a string the sink may keep.
func (p *wcArchiveParser) keep(b []byte) string {
	if !utf8.Valid(b) {
		p.bad = true
	}
	return p.arena.str(b)
}

// id returns an interned id (a roomid or a sender): few, repeated often.
// The map is keyed by a hash of the id, which costs less to look up than
// the id itself; the id found is compared, so a collision is no mistake.
func (p *wcArchiveParser) id(b []byte) string {
	h := maphash.Bytes(p.seed, b)
	if v, ok := p.intern[h]; ok && v == string(b) {
		return v
	}
	if !utf8.Valid(b) {
		p.bad = true
		return string(b)
	}
	v := string(b)
	if _, taken := p.intern[h]; !taken && len(p.intern) < maxInterned {
		p.intern[h] = v
	}
	return v
}

func (p *wcArchiveParser) emit(c *wcMsg, line int64) error {
	switch string(c.action) {
	case "switch":
		p.switches++
		return nil
	case "send", "recall", "":
	default:
		return p.sink.Reject(line, fmt.Sprintf("unknown action %q", quote(c.action)), p.s.marked())
	}
	if len(c.roomid) == 0 {
		p.direct++
		return nil
	}
	if !c.hasTime {
		return p.sink.Reject(line, "message without msgtime", p.s.marked())
	}
	if len(c.from) == 0 {
		return p.sink.Reject(line, "message without a sender (from)", p.s.marked())
	}
	ms := c.msgtime
	if ms < 1e11 {
		ms *= 1000
	}
	m := &p.msg
	m.Group = Group{Platform: PlatformWeCom, ExternalID: c.roomid}
	m.Sender = Person{UID: c.from}
	m.Time = time.UnixMilli(ms).UTC()
	m.ExternalID = p.keep(c.msgid)
	m.ReplyTo = ""
	m.Line = line
	m.Mentions = m.Mentions[:0]
	var text []byte
	m.Kind, text = wecomContent(c)
	if string(c.action) == "recall" || string(c.msgtype) == "revoke" {
		m.Kind, text = KindRecall, nil
		if len(c.body.pre) > 0 {
			m.ReplyTo = p.keep(c.body.pre)
		}
	}
	if m.Kind == KindSystem && string(c.msgtype) != "redpacket" && string(c.msgtype) != "external_redpacket" {
		m.Sender = Person{} // consent to the archive: a notice, not the member's message
	}
	if len(text) > p.max {
		return p.sink.Reject(line, fmt.Sprintf("message larger than %d bytes", p.max), p.s.marked())
	}
	m.Text = p.keep(text)
	if m.Kind == KindText || m.Kind == KindLink {
		m.Mentions = mentions(m.Text, m.Mentions)
	}
	if p.bad {
		return &ParseError{Format: "wecom-archive", Path: p.s.path, Line: line,
			Msg: "invalid UTF-8 in a string of this message: binary data or a damaged file"}
	}
	if err := p.role(m, line); err != nil {
		return err
	}
	if err := p.sink.Message(m); err != nil {
		return err
	}
	if string(c.msgtype) == "vote" && c.voteType == 101 {
		return p.sink.Activity(&Activity{Group: m.Group, Time: m.Time, Type: "vote", Title: p.keep(c.body.title), Line: line})
	}
	return nil
}

// role records, once per group, that a sender is staff or a bot.
func (p *wcArchiveParser) role(m *Message, line int64) error {
	if m.Sender.UID == "" {
		return nil
	}
	var role string
	switch wecomKind(m.Sender.UID) {
	case wecomStaff:
		role = wecomStaffRole
	case wecomBot:
		role = RoleBot
	default:
		return nil
	}
	k := wcRoleKey{m.Group.ExternalID, m.Sender.UID}
	if p.roles[k] {
		return nil
	}
	if len(p.roles) < maxInterned {
		p.roles[k] = true
	}
	return p.sink.Role(&Role{Group: m.Group, Person: m.Sender, Role: role, Time: m.Time, Line: line})
}

// wecomContent is the kind and the text WeCom shows for a message.
func wecomContent(c *wcMsg) (string, []byte) {
	b := &c.body
	switch string(c.msgtype) {
	case "text", "markdown":
		return linkOrText(b.content), b.content
	case "image":
		return KindImage, []byte("[图片]")
	case "voice":
		return KindVoice, []byte("[语音]")
	case "video":
		return KindVideo, []byte("[视频]")
	case "emotion":
		return KindSticker, []byte("[表情]")
	case "file", "voip_doc_share":
		return KindFile, tagged("[文件]", b.filename, nil)
	case "qydiskfile":
		return KindFile, tagged("[微盘文件]", b.filename, nil)
	case "meeting_voice_call", "voiptext":
		return KindVoice, []byte("[音视频通话]")
	case "link":
		return KindLink, tagged("[链接]", b.title, b.url)
	case "docmsg":
		return KindLink, tagged("[在线文档]", b.title, b.url)
	case "news":
		return KindLink, tagged("[图文]", b.title, b.url)
	case "weapp":
		return KindLink, tagged("[小程序]", first(b.title, b.extra), nil)
	case "card":
		return KindLink, tagged("[名片]", b.extra, nil)
	case "location":
		return KindLink, tagged("[位置]", first(b.title, b.extra), nil)
	case "sphfeed":
		return KindLink, tagged("[视频号]", b.extra, nil)
	case "chatrecord":
		return KindText, tagged("[聊天记录]", b.title, nil)
	case "todo":
		return KindText, tagged("[待办]", first(b.title, b.content), nil)
	case "vote":
		return KindText, tagged("[投票]", b.title, nil)
	case "collect":
		return KindText, tagged("[填表]", b.title, nil)
	case "meeting":
		return KindText, tagged("[会议]", first(b.extra, b.title), nil)
	case "calendar":
		return KindText, tagged("[日程]", b.title, nil)
	case "mixed":
		if len(b.parts) > 0 {
			return linkOrText(b.parts), b.parts
		}
		if b.partMedia {
			return KindImage, []byte("[图片]")
		}
		return KindText, []byte("[混合消息]")
	case "redpacket", "external_redpacket":
		return KindSystem, tagged("[红包]", b.extra, nil)
	case "agree":
		return KindSystem, []byte("[同意会话存档]")
	case "disagree":
		return KindSystem, []byte("[不同意会话存档]")
	case "revoke":
		return KindRecall, nil
	}
	return KindText, append(append([]byte("["), c.msgtype...), ']')
}

// linkOrText is KindLink for a text holding "http://" or "https://", as
// textOrLink, found from the text's ASCII colons: Chinese text writes
// '：', so most texts have none and one IndexByte pass decides.
func linkOrText(b []byte) string {
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], ':')
		if j < 0 {
			return KindText
		}
		k := i + j
		if bytes.HasPrefix(b[k:], []byte("://")) && (bytes.HasSuffix(b[:k], []byte("http")) || bytes.HasSuffix(b[:k], []byte("https"))) {
			return KindLink
		}
		i = k + 1
	}
}

// tagged is "[tag] title url", leaving out what is empty.
func tagged(tag string, title, url []byte) []byte {
	out := []byte(tag)
	for _, s := range [][]byte{title, url} {
		if s = bytes.TrimSpace(s); len(s) > 0 {
			out = append(append(out, ' '), s...)
		}
	}
	return out
}

func first(a, b []byte) []byte {
	if len(bytes.TrimSpace(a)) > 0 {
		return a
	}
	return b
}
