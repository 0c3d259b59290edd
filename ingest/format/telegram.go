package format

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"
)

// TelegramJSON reads the machine-readable export of Telegram Desktop
// (Settings → Advanced → Export Telegram data, format "JSON"), as written by
// Telegram/SourceFiles/export/output/export_output_json.cpp. One chat
// exported from its menu is a file result.json:
//
//	{
//	 "name": "星河产品交流群",
//	 "type": "private_supergroup",
//	 "id": 1234567890,
//	 "messages": [
//	  {
//	   "id": 10,
//	   "type": "service",
//	   "date": "2026-11-16T09:45:00",
//	   "date_unixtime": "1763257500",
//	   "actor": "张伟",
//	   "actor_id": "user1001",
//	   "action": "invite_members",
//	   "members": ["李娜", null],
//	   "text": "",
//	   "text_entities": []
//	  },
//	  {
//	   "id": 11,
//	   "type": "message",
//	   "date": "2026-11-16T09:46:10",
//	   "date_unixtime": "1763257570",
//	   "from": "李娜",
//	   "from_id": "user1003",
//	   "reply_to_message_id": 9,
//	   "photo": "photos/photo_1@16-11-2026_09-46-10.jpg",
//	   "width": 1280, "height": 960,
//	   "text": ["谢谢 ", {"type": "mention", "text": "@zhangwei"}, "!"],
//	   "text_entities": [...]
//	  }
//	 ]
//	}
//
// "date" is the exporter's local time without a zone; "date_unixtime" (since
// 2021) is the instant and is preferred, "date" read in Input.TZ otherwise.
// "text" is a string, or an array mixing strings and entity objects
// {type, text[, user_id|href]}; it is the same content as "text_entities",
// which is skipped. Documents ("file") carry "media_type": sticker,
// voice_message, video_message, video_file, animation or audio_file. Control
// characters in strings are written as \xHH, which the scanner accepts.
//
// The full-account export (all chats) holds the same chat objects in
// "chats": {"about": ..., "list": [...]} and "left_chats": {...}, beside
// personal_information, contacts, sessions and other_data (all skipped).
// There, personal chats, bot chats, saved messages and replies are skipped
// (see telegramSkippedChats): they are not communities. A single chat
// exported on its own is read whatever its type.
//
// Service messages become membership events: invite_members by X of Y is a
// referral join by X (or a plain join when X added themself, as Telegram
// writes for joins to public groups); create_group's members likewise;
// join_group_by_link is a join via link; join_group_by_request a join of
// unknown source; remove_members is a removal, or a leave when the actor
// removed themself (Telegram writes no separate "left" action). Other
// service messages (pins, title changes, calls...) are system messages.
// Service messages name members without ids: such an event waits for the
// end of its chat and takes the user id last seen under that name (as a
// sender or actor, in this chat or an earlier one of the file), else
// "name:"+name; a deleted account (null) is "Deleted Account".
type TelegramJSON struct{}

func (TelegramJSON) Name() string { return "telegram-json" }

// telegramSkippedChats are dialog types of a full-account export that are
// not group conversations.
var telegramSkippedChats = map[string]bool{
	"personal_chat":  true,
	"bot_chat":       true,
	"saved_messages": true,
	"replies":        true,
}

var telegramKeys = [][]byte{
	[]byte(`"date_unixtime"`), []byte(`"from_id"`), []byte(`"actor_id"`),
	[]byte(`"text_entities"`), []byte(`"personal_information"`),
}

func (TelegramJSON) Detect(_ string, head []byte) bool {
	h := bytes.TrimLeft(head, " \t\r\n")
	if len(h) == 0 || h[0] != '{' {
		return false
	}
	for _, k := range telegramKeys {
		if bytes.Contains(h, k) {
			return true
		}
	}
	return false
}

func (TelegramJSON) Parse(ctx context.Context, in Input, sink Sink) error {
	p := &tgParser{
		s:      newJSONScanner(in.R, "telegram-json", in.Path),
		sink:   sink,
		ctx:    ctx,
		tz:     in.TZ,
		base:   strings.TrimSuffix(filepath.Base(in.Path), filepath.Ext(in.Path)),
		people: map[string]*tgPerson{},
		users:  map[uint64]*tgPerson{},
		names:  map[string]string{},
		intern: map[string]string{},
	}
	if p.tz == nil {
		p.tz = time.UTC
	}
	defer p.s.release()
	return p.run()
}

// maxInterned bounds the parser's maps of people and strings; past it,
// values are simply not shared.
const maxInterned = 1 << 18

type tgPerson struct{ uid, name string }

type tgParser struct {
	s    *jsonScanner
	sink Sink
	ctx  context.Context
	tz   *time.Location
	base string

	chatName, chatType, chatID string
	group                      Group
	sawMessages                bool
	count                      int

	people map[string]*tgPerson // by peer id, when not "user"+digits
	users  map[uint64]*tgPerson // by the digits of "user123"
	names  map[string]string    // display name -> user id, as last seen
	intern map[string]string
	arena  strArena

	cur     tgMessage
	pending []Event // membership events of members known by name only
	tmp     []byte
	bad     bool // a string of the message was not UTF-8
	msg     Message
	ev      Event
}

// tgMessage holds the fields of the message being read; its byte slices
// are reused from one message to the next.
type tgMessage struct {
	id, date, from, fromID, actor, actorID []byte
	title, text, emoji, replyTo, pinned    []byte
	entText, entUser                       []byte
	unix                                   int64
	hasUnix, service, unsupported          bool
	photo, file, link, replyElsewhere      bool
	media                                  string
	action                                 string
	members                                []string
	mentions                               []string
}

func (c *tgMessage) reset() {
	c.id, c.date, c.from, c.fromID = c.id[:0], c.date[:0], c.from[:0], c.fromID[:0]
	c.actor, c.actorID, c.title, c.text = c.actor[:0], c.actorID[:0], c.title[:0], c.text[:0]
	c.emoji, c.replyTo, c.pinned = c.emoji[:0], c.replyTo[:0], c.pinned[:0]
	c.unix, c.hasUnix, c.service, c.unsupported = 0, false, false, false
	c.photo, c.file, c.link, c.replyElsewhere = false, false, false, false
	c.media, c.action = "", ""
	c.members, c.mentions = c.members[:0], c.mentions[:0]
}

func (p *tgParser) run() error {
	s := p.s
	if err := s.enter('{', "a JSON object (a Telegram Desktop export starts with '{')"); err != nil {
		return err
	}
	if err := p.chat(true); err != nil {
		return err
	}
	if err := s.finish(); err != nil {
		return err
	}
	if !p.sawMessages {
		return &ParseError{Format: s.format, Path: s.path, Line: 1, Msg: `no "messages" array: not a Telegram Desktop chat export`}
	}
	return nil
}

// chat reads the members of a chat object (its '{' consumed): the root of a
// single-chat export, the root of a full export, or an entry of its lists.
func (p *tgParser) chat(root bool) error {
	s := p.s
	p.chatName, p.chatType, p.chatID = "", "", ""
	n := 0
	for {
		k, err := s.key(&n)
		if err != nil || k == nil {
			return err
		}
		switch string(k) {
		case "name":
			p.chatName, err = p.optString()
		case "type":
			p.chatType, err = p.optString()
		case "id":
			var b []byte
			if b, err = s.id(); err == nil {
				if err = s.validUTF8(b); err == nil {
					p.chatID = string(b)
				}
			}
		case "messages":
			if !root && telegramSkippedChats[p.chatType] {
				err = s.skip()
			} else {
				err = p.messages()
			}
		case "chats", "left_chats":
			if root {
				err = p.chatList()
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

// optString reads a string or null as a Go string.
func (p *tgParser) optString() (string, error) {
	b, _, err := p.s.strOrNull()
	if err != nil {
		return "", err
	}
	if err := p.s.validUTF8(b); err != nil {
		return "", err
	}
	return string(b), nil
}

// chatList reads {"about": ..., "list": [chat, ...]}.
func (p *tgParser) chatList() error {
	s := p.s
	if err := s.enter('{', `an object with a "list" of chats`); err != nil {
		return err
	}
	n := 0
	for {
		k, err := s.key(&n)
		if err != nil || k == nil {
			return err
		}
		if string(k) != "list" {
			if err := s.skip(); err != nil {
				return err
			}
			continue
		}
		if err := s.enter('[', "a list of chats"); err != nil {
			return err
		}
		for i := 0; ; {
			more, err := s.elem(&i)
			if err != nil {
				return err
			}
			if !more {
				break
			}
			if err := s.enter('{', "a chat object"); err != nil {
				return err
			}
			if err := p.chat(false); err != nil {
				return err
			}
		}
	}
}

func (p *tgParser) messages() error {
	s := p.s
	p.sawMessages = true
	p.group = Group{Platform: "telegram", ExternalID: p.chatID, Name: p.chatName}
	if p.group.ExternalID == "" {
		p.group.ExternalID = p.chatName
		if p.group.ExternalID == "" {
			p.group.ExternalID = p.base
		}
	}
	if p.group.Name == "" {
		p.group.Name = p.group.ExternalID
	}
	if err := s.enter('[', "an array of messages"); err != nil {
		return err
	}
	for n := 0; ; {
		more, err := s.elem(&n)
		if err != nil {
			return err
		}
		if !more {
			return p.flushPending()
		}
		if p.count++; p.count&4095 == 0 {
			if err := p.ctx.Err(); err != nil {
				return err
			}
		}
		if err := p.message(); err != nil {
			return err
		}
	}
}

func (p *tgParser) message() error {
	s := p.s
	if s.ws() != '{' {
		return s.unexpected("a message object")
	}
	line := s.lineAt(s.pos)
	s.markHere()
	s.pos++
	c := &p.cur
	c.reset()
	p.bad = false
	n := 0
	for {
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
	return err
}

// str reads a string field (or null) and appends it to dst. What is kept
// is checked for UTF-8 where it is turned into a Go string.
func (p *tgParser) str(dst []byte) ([]byte, error) {
	b, _, err := p.s.strOrNull()
	return append(dst, b...), err
}

// peerID reads from_id/actor_id: "user123" (since 2021) or a bare number
// (older exports), which is a user.
func (p *tgParser) peerID(dst []byte) ([]byte, error) {
	if p.s.peek() == 'n' {
		return dst, p.s.literal("null")
	}
	b, err := p.s.id()
	if err != nil {
		return dst, err
	}
	if len(b) > 0 && b[0] >= '0' && b[0] <= '9' {
		dst = append(dst, "user"...)
	}
	return append(dst, b...), nil
}

func (p *tgParser) field(c *tgMessage, k []byte) error {
	s := p.s
	var err error
	switch string(k) {
	case "id":
		var b []byte
		if b, err = s.id(); err == nil {
			c.id = append(c.id, b...)
		}
	case "type":
		var b []byte
		if b, _, err = s.strOrNull(); err == nil {
			c.service = string(b) == "service"
			c.unsupported = string(b) == "unsupported"
		}
	case "date":
		c.date, err = p.str(c.date)
	case "date_unixtime":
		var b []byte
		if b, err = s.id(); err == nil {
			c.unix, c.hasUnix = digits(b)
		}
	case "from":
		c.from, err = p.str(c.from)
	case "from_id":
		c.fromID, err = p.peerID(c.fromID)
	case "actor":
		c.actor, err = p.str(c.actor)
	case "actor_id":
		c.actorID, err = p.peerID(c.actorID)
	case "action":
		var b []byte
		if b, _, err = s.strOrNull(); err == nil {
			c.action = p.internBytes(b)
		}
	case "members":
		err = p.members(c)
	case "title":
		c.title, err = p.str(c.title)
	case "text":
		err = p.text(c)
	case "reply_to_message_id":
		var b []byte
		if b, err = s.id(); err == nil {
			c.replyTo = append(c.replyTo, b...)
		}
	case "reply_to_peer_id":
		// A reply to a message of another chat: its id means nothing here.
		c.replyElsewhere = true
		err = s.skip()
	case "message_id":
		var b []byte
		if b, err = s.id(); err == nil {
			c.pinned = append(c.pinned, b...)
		}
	case "photo":
		c.photo = true
		err = s.skip()
	case "file":
		c.file = true
		err = s.skip()
	case "media_type":
		var b []byte
		if b, _, err = s.strOrNull(); err == nil {
			c.media = telegramMediaKind(b)
		}
	case "sticker_emoji":
		c.emoji, err = p.str(c.emoji)
	default:
		err = s.skip()
	}
	return err
}

func telegramMediaKind(b []byte) string {
	switch string(b) {
	case "sticker":
		return KindSticker
	case "voice_message":
		return KindVoice
	case "video_file", "video_message", "animation":
		return KindVideo
	}
	return KindFile // audio_file and any other document
}

func (p *tgParser) members(c *tgMessage) error {
	s := p.s
	if s.peek() == 'n' {
		return s.literal("null")
	}
	if err := s.enter('[', "an array of member names"); err != nil {
		return err
	}
	for n := 0; ; {
		more, err := s.elem(&n)
		if err != nil || !more {
			return err
		}
		b, _, err := s.strOrNull()
		if err != nil {
			return err
		}
		c.members = append(c.members, p.internBytes(b))
	}
}

// text reads "text": a string, or an array of strings and entity objects.
func (p *tgParser) text(c *tgMessage) error {
	s := p.s
	switch s.peek() {
	case '"':
		var err error
		c.text, err = p.str(c.text)
		return err
	case '[':
	default:
		return s.skip()
	}
	s.pos++
	for n := 0; ; {
		more, err := s.elem(&n)
		if err != nil || !more {
			return err
		}
		switch s.peek() {
		case '"':
			c.text, err = p.str(c.text)
		case '{':
			err = p.entity(c)
		default:
			err = s.skip()
		}
		if err != nil {
			return err
		}
	}
}

// entity reads one {"type", "text", "user_id"|"href"} part of a text.
func (p *tgParser) entity(c *tgMessage) error {
	s := p.s
	s.pos++ // '{'
	var kind string
	c.entText, c.entUser = c.entText[:0], c.entUser[:0]
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
			var b []byte
			if b, _, err = s.strOrNull(); err == nil {
				switch string(b) {
				case "mention":
					kind = "mention"
				case "mention_name":
					kind = "mention_name"
				case "link", "text_link":
					kind = "link"
				}
			}
		case "text":
			c.entText, err = p.str(c.entText)
		case "user_id":
			var b []byte
			if b, err = s.id(); err == nil {
				c.entUser = append(c.entUser, b...)
			}
		default:
			err = s.skip()
		}
		if err != nil {
			return err
		}
	}
	c.text = append(c.text, c.entText...)
	switch kind {
	case "mention":
		if name := bytes.TrimPrefix(c.entText, []byte("@")); len(name) > 0 {
			c.mentions = append(c.mentions, p.internBytes(name))
		}
	case "mention_name":
		if len(c.entUser) > 0 {
			p.tmp = append(append(p.tmp[:0], "user"...), c.entUser...)
			c.mentions = append(c.mentions, p.internBytes(p.tmp))
		} else if len(c.entText) > 0 {
			c.mentions = append(c.mentions, p.internBytes(c.entText))
		}
	case "link":
		c.link = true
	}
	return nil
}

// internBytes shares the strings that recur (actions, member names,
// mentions). Invalid UTF-8 becomes U+FFFD and is flagged for an error.
func (p *tgParser) internBytes(b []byte) string {
	if v, ok := p.intern[string(b)]; ok {
		return v
	}
	v := p.valid(b)
	if len(p.intern) < maxInterned && !p.bad {
		p.intern[v] = v
	}
	return v
}

// valid returns b as a string, noting invalid UTF-8 so that the message
// fails with an error (emit checks p.bad).
func (p *tgParser) valid(b []byte) string {
	if !utf8.Valid(b) {
		p.bad = true
		return string(bytes.ToValidUTF8(b, []byte("\uFFFD")))
	}
	return string(b)
}

// person resolves a sender or actor from its id and name as written.
func (p *tgParser) person(id, name []byte) Person {
	if len(id) == 0 {
		if len(name) == 0 {
			return Person{}
		}
		return p.byName(p.internBytes(name))
	}
	var (
		e       *tgPerson
		n       int64
		numeric bool
	)
	if len(id) > 4 && string(id[:4]) == "user" && id[4] != '0' {
		n, numeric = digits(id[4:])
	}
	if numeric {
		e = p.users[uint64(n)]
	} else {
		e = p.people[string(id)]
	}
	switch {
	case e == nil:
		e = &tgPerson{uid: p.valid(id), name: p.valid(name)}
		switch {
		case len(p.users)+len(p.people) >= maxInterned:
		case numeric:
			p.users[uint64(n)] = e
		default:
			p.people[e.uid] = e
		}
		p.noteName(e)
	case e.name != string(name):
		e.name = p.valid(name)
		p.noteName(e)
	}
	return Person{UID: e.uid, Name: e.name}
}

func (p *tgParser) noteName(e *tgPerson) {
	if e.name != "" && len(p.names) < maxInterned {
		p.names[e.name] = e.uid
	}
}

// byName is a member named in a service message.
func (p *tgParser) byName(name string) Person {
	if name == "" { // Telegram writes null for deleted accounts
		name = "Deleted Account"
	}
	if uid, ok := p.names[name]; ok {
		return Person{UID: uid, Name: name}
	}
	return Person{UID: "name:" + name, Name: name}
}

// memberEvent sends an event about a member named in a service message.
// When the name has no user id yet (an invited member has not spoken yet)
// the event waits for the end of the chat, when any message of theirs has
// given the name an id.
func (p *tgParser) memberEvent(ev *Event, name string) error {
	ev.Member = p.byName(name)
	if !strings.HasPrefix(ev.Member.UID, "name:") || len(p.pending) >= maxPending {
		return p.sink.Event(ev)
	}
	p.pending = append(p.pending, *ev)
	return nil
}

// maxPending bounds the events held for the end of a chat.
const maxPending = 1 << 16

func (p *tgParser) flushPending() error {
	for i := range p.pending {
		ev := &p.pending[i]
		if uid, ok := p.names[ev.Member.Name]; ok {
			ev.Member.UID = uid
		}
		if err := p.sink.Event(ev); err != nil {
			return err
		}
	}
	p.pending = p.pending[:0]
	return nil
}

func (p *tgParser) emit(c *tgMessage, line int64) error {
	if c.unsupported {
		// Telegram writes only {"id", "type": "unsupported"} for content
		// it cannot export: no date, no sender, nothing to keep.
		return nil
	}
	var t time.Time
	switch {
	case c.hasUnix:
		t = time.Unix(c.unix, 0).UTC()
	case len(c.date) > 0:
		var ok bool
		if t, ok = parseISOTime(c.date, p.tz); !ok {
			return p.sink.Reject(line, fmt.Sprintf("unreadable date %q", quote(c.date)), p.s.marked())
		}
	default:
		return p.sink.Reject(line, "message without a date", p.s.marked())
	}
	if c.service {
		return p.service(c, t, line)
	}
	m := &p.msg
	m.Group = p.group
	m.Sender = p.person(c.fromID, c.from)
	m.Time = t
	switch {
	case c.photo:
		m.Kind = KindImage
	case c.media != "":
		m.Kind = c.media
	case c.file:
		m.Kind = KindFile
	case c.link:
		m.Kind = KindLink
	default:
		m.Kind = KindText
	}
	if len(c.text) == 0 && m.Kind == KindSticker {
		c.text = append(c.text, c.emoji...)
	}
	m.Text = p.keep(c.text)
	m.Mentions = c.mentions
	m.ExternalID = p.keep(c.id)
	m.ReplyTo = ""
	if len(c.replyTo) > 0 && !c.replyElsewhere {
		m.ReplyTo = p.keep(c.replyTo)
	}
	m.Line = line
	if p.bad {
		return p.badUTF8(line)
	}
	return p.sink.Message(m)
}

// keep makes a string the sink may keep.
func (p *tgParser) keep(b []byte) string {
	if !utf8.Valid(b) {
		p.bad = true
	}
	return p.arena.str(b)
}

func (p *tgParser) badUTF8(line int64) error {
	return &ParseError{Format: "telegram-json", Path: p.s.path, Line: line,
		Msg: "invalid UTF-8 in a string of this message: binary data or a damaged file"}
}

// service turns a service message into membership events, or else into a
// system message.
func (p *tgParser) service(c *tgMessage, t time.Time, line int64) error {
	actor := p.person(c.actorID, c.actor)
	if p.bad {
		return p.badUTF8(line)
	}
	ev := &p.ev
	*ev = Event{Group: p.group, Time: t, Line: line}
	switch c.action {
	case "invite_members", "create_group":
		if len(c.members) == 0 {
			break
		}
		for _, name := range c.members {
			ev.Kind, ev.Source, ev.Inviter = EventJoin, SourceUnknown, Person{}
			var err error
			switch {
			case actor.UID != "" && name == actor.Name:
				ev.Member = actor
				err = p.sink.Event(ev)
			case actor.UID != "":
				ev.Source, ev.Inviter = SourceReferral, actor
				err = p.memberEvent(ev, name)
			default:
				err = p.memberEvent(ev, name)
			}
			if err != nil {
				return err
			}
		}
		return nil
	case "join_group_by_link", "join_group_by_request":
		if actor.UID == "" {
			break
		}
		ev.Kind, ev.Member, ev.Source = EventJoin, actor, SourceLink
		if c.action == "join_group_by_request" {
			ev.Source = SourceUnknown
		}
		return p.sink.Event(ev)
	case "remove_members":
		if len(c.members) == 0 {
			break
		}
		for _, name := range c.members {
			var err error
			if actor.UID != "" && name == actor.Name {
				ev.Kind, ev.Member = EventLeave, actor
				err = p.sink.Event(ev)
			} else {
				ev.Kind = EventRemoved
				err = p.memberEvent(ev, name)
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
	m := &p.msg
	m.Group, m.Sender, m.Time, m.Kind, m.Line = p.group, Person{}, t, KindSystem, line
	m.Text = c.action
	if len(c.title) > 0 {
		m.Text = c.action + ": " + p.keep(c.title)
	}
	m.Mentions = nil
	m.ExternalID = p.keep(c.id)
	m.ReplyTo = p.keep(c.pinned)
	if p.bad {
		return p.badUTF8(line)
	}
	return p.sink.Message(m)
}

// parseISOTime reads "2006-01-02T15:04:05" with an optional fraction and an
// optional zone ("Z", "+08:00", "+0800"); without a zone it is local to tz.
// Years before 1970 are refused: no chat export holds them.
func parseISOTime(b []byte, tz *time.Location) (time.Time, bool) {
	if len(b) < 19 || b[4] != '-' || b[7] != '-' || (b[10] != 'T' && b[10] != ' ') || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	num := func(i, n int) int {
		v := 0
		for _, c := range b[i : i+n] {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	y, mo, d, h, mi, sec := num(0, 4), num(5, 2), num(8, 2), num(11, 2), num(14, 2), num(17, 2)
	if y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 {
		return time.Time{}, false
	}
	rest := b[19:]
	nsec := 0
	if len(rest) > 0 && rest[0] == '.' {
		i, scale := 1, 100000000
		for ; i < len(rest) && rest[i] >= '0' && rest[i] <= '9'; i++ {
			nsec += int(rest[i]-'0') * scale
			scale /= 10
		}
		if i == 1 {
			return time.Time{}, false
		}
		rest = rest[i:]
	}
	loc, offset := tz, 0
	switch {
	case len(rest) == 0:
	case len(rest) == 1 && rest[0] == 'Z':
		loc = time.UTC
	case (len(rest) == 6 && rest[3] == ':' || len(rest) == 5) && (rest[0] == '+' || rest[0] == '-'):
		oh, om := num(len(b)-len(rest)+1, 2), num(len(b)-2, 2)
		if oh < 0 || om < 0 || oh > 23 || om > 59 {
			return time.Time{}, false
		}
		offset = (oh*60 + om) * 60
		if rest[0] == '-' {
			offset = -offset
		}
		loc = time.UTC
	default:
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, nsec, loc)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t.Add(-time.Duration(offset) * time.Second), true
}
