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

// DiscordJSON reads a channel exported by DiscordChatExporter (Tyrrrz) in
// its JSON format, as written by DiscordChatExporter.Core/Exporting/
// JsonMessageWriter.cs (indented, non-ASCII written as is):
//
//	{
//	  "guild": {"id": "9000", "name": "星河社区", "iconUrl": "..."},
//	  "channel": {"id": "9100", "type": "GuildTextChat", "categoryId": "9010",
//	    "category": "社区", "name": "general", "topic": null},
//	  "dateRange": {"after": null, "before": null},
//	  "exportedAt": "2026-11-20T10:00:00.000+08:00",
//	  "messages": [
//	    {
//	      "id": "1001",
//	      "type": "Reply",
//	      "timestamp": "2026-11-16T09:45:00.123+08:00",
//	      "timestampEdited": null,
//	      "callEndedTimestamp": null,
//	      "isPinned": false,
//	      "content": "@Tom 收到",
//	      "author": {"id": "111", "name": "lina", "discriminator": "0000",
//	        "nickname": "李娜", "color": null, "isBot": false, "roles": [], "avatarUrl": "..."},
//	      "attachments": [{"id": "5", "url": "...", "fileName": "a.png", "fileSizeBytes": 1024}],
//	      "embeds": [], "stickers": [], "reactions": [],
//	      "mentions": [{"id": "222", "name": "tom", "nickname": "Tom", ...}],
//	      "reference": {"type": "Default", "messageId": "1000", "channelId": "9100", "guildId": "9000"},
//	      "inlineEmojis": []
//	    }
//	  ],
//	  "messageCount": 1
//	}
//
// The group is "guild / #channel", keyed by the channel id; a person is the
// author id with the nickname (display name) as name. Mentions are user ids.
// "type" is the Discord message kind by name: GuildMemberJoin becomes a
// join of unknown source, RecipientAdd (group DMs) a referral join of the
// first mentioned user by the author, RecipientRemove a leave when the
// author removed themself and a removal otherwise. Call, ChannelNameChange,
// ChannelIconChange, ChannelPinnedMessage and ThreadCreated are system
// messages (their "content" is the exporter's fallback text); every other
// kind, named or numbered, is a message. Attachments decide the kind by file
// extension, then stickers, then a link in the content. Whether the author is
// a bot ("isBot") has no place in Message and is not kept.
type DiscordJSON struct{}

func (DiscordJSON) Name() string { return "discord-json" }

func (DiscordJSON) Detect(_ string, head []byte) bool {
	h := bytes.TrimLeft(head, " \t\r\n")
	return len(h) > 0 && h[0] == '{' && bytes.Contains(h, []byte(`"guild"`)) &&
		bytes.Contains(h, []byte(`"channel"`)) &&
		(bytes.Contains(h, []byte(`"messages"`)) || bytes.Contains(h, []byte(`"exportedAt"`)))
}

func (DiscordJSON) Parse(ctx context.Context, in Input, sink Sink) error {
	p := &dcParser{
		s:      newJSONScanner(in.R, "discord-json", in.Path),
		sink:   sink,
		ctx:    ctx,
		tz:     in.TZ,
		base:   strings.TrimSuffix(filepath.Base(in.Path), filepath.Ext(in.Path)),
		people: map[string]*dcPerson{},
		intern: map[string]string{},
	}
	if p.tz == nil {
		p.tz = time.UTC
	}
	defer p.s.release()
	return p.run()
}

type dcPerson struct{ uid, name string }

type dcParser struct {
	s    *jsonScanner
	sink Sink
	ctx  context.Context
	tz   *time.Location
	base string

	guildID, guildName, channelID, channelName string
	group                                      Group
	sawMessages                                bool
	count                                      int

	people map[string]*dcPerson
	intern map[string]string
	arena  strArena
	bad    bool

	cur dcMessage
	msg Message
	ev  Event
}

// dcUser is an author or a mentioned user as read.
type dcUser struct{ id, name, nickname []byte }

func (u *dcUser) reset() { u.id, u.name, u.nickname = u.id[:0], u.name[:0], u.nickname[:0] }

type dcMessage struct {
	id, typ, timestamp, content []byte
	author                      dcUser
	first                       dcUser // the first mentioned user
	mentions                    []string
	attachKind                  string
	stickers                    bool
	refID, refChannel           []byte
	refForward                  bool
	tmp                         dcUser
}

func (c *dcMessage) reset() {
	c.id, c.typ, c.timestamp, c.content = c.id[:0], c.typ[:0], c.timestamp[:0], c.content[:0]
	c.author.reset()
	c.first.reset()
	c.mentions = c.mentions[:0]
	c.attachKind, c.stickers = "", false
	c.refID, c.refChannel, c.refForward = c.refID[:0], c.refChannel[:0], false
}

func (p *dcParser) run() error {
	s := p.s
	if err := s.enter('{', "a JSON object (a DiscordChatExporter export starts with '{')"); err != nil {
		return err
	}
	n := 0
	for {
		k, err := s.key(&n)
		if err != nil {
			return err
		}
		if k == nil {
			break
		}
		switch string(k) {
		case "guild":
			err = p.idName(&p.guildID, &p.guildName)
		case "channel":
			err = p.idName(&p.channelID, &p.channelName)
		case "messages":
			err = p.messages()
		default:
			err = s.skip()
		}
		if err != nil {
			return err
		}
	}
	if err := s.finish(); err != nil {
		return err
	}
	if !p.sawMessages {
		return &ParseError{Format: s.format, Path: s.path, Line: 1, Msg: `no "messages" array: not a DiscordChatExporter JSON export`}
	}
	return nil
}

// idName reads the "id" and "name" of the guild or channel object.
func (p *dcParser) idName(id, name *string) error {
	s := p.s
	if s.peek() == 'n' {
		return s.literal("null")
	}
	if err := s.enter('{', "an object"); err != nil {
		return err
	}
	for n := 0; ; {
		k, err := s.key(&n)
		if err != nil || k == nil {
			return err
		}
		var dst *string
		switch string(k) {
		case "id":
			dst = id
		case "name":
			dst = name
		default:
			if err := s.skip(); err != nil {
				return err
			}
			continue
		}
		b, _, err := s.strOrNull()
		if err != nil {
			return err
		}
		if err := s.validUTF8(b); err != nil {
			return err
		}
		*dst = string(b)
	}
}

func (p *dcParser) messages() error {
	s := p.s
	p.sawMessages = true
	p.group = Group{Platform: "discord", ExternalID: p.channelID}
	switch {
	case p.guildName != "" && p.channelName != "":
		p.group.Name = p.guildName + " / #" + p.channelName
	case p.channelName != "":
		p.group.Name = "#" + p.channelName
	default:
		p.group.Name = p.base
	}
	if p.group.ExternalID == "" {
		p.group.ExternalID = p.group.Name
	}
	if err := s.enter('[', "an array of messages"); err != nil {
		return err
	}
	for n := 0; ; {
		more, err := s.elem(&n)
		if err != nil || !more {
			return err
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

func (p *dcParser) message() error {
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
	return err
}

func (p *dcParser) str(dst []byte) ([]byte, error) {
	b, _, err := p.s.strOrNull()
	return append(dst, b...), err
}

func (p *dcParser) field(c *dcMessage, k []byte) error {
	s := p.s
	var err error
	switch string(k) {
	case "id":
		c.id, err = p.str(c.id)
	case "type":
		c.typ, err = p.str(c.typ)
	case "timestamp":
		c.timestamp, err = p.str(c.timestamp)
	case "content":
		c.content, err = p.str(c.content)
	case "author":
		err = p.user(&c.author)
	case "attachments":
		err = p.attachments(c)
	case "stickers":
		err = p.each(func() error {
			c.stickers = true
			return s.skip()
		})
	case "mentions":
		err = p.each(func() error {
			u := &c.tmp
			if len(c.mentions) == 0 {
				u = &c.first
			}
			u.reset()
			if err := p.user(u); err != nil {
				return err
			}
			if len(u.id) > 0 {
				c.mentions = append(c.mentions, p.internBytes(u.id))
			}
			return nil
		})
	case "reference":
		err = p.reference(c)
	default:
		err = s.skip()
	}
	return err
}

// each calls f for every element of an array (or nothing for null).
func (p *dcParser) each(f func() error) error {
	s := p.s
	if s.peek() == 'n' {
		return s.literal("null")
	}
	if err := s.enter('[', "an array"); err != nil {
		return err
	}
	for n := 0; ; {
		more, err := s.elem(&n)
		if err != nil || !more {
			return err
		}
		if err := f(); err != nil {
			return err
		}
	}
}

// user reads {"id", "name", "nickname", ...}.
func (p *dcParser) user(u *dcUser) error {
	s := p.s
	if s.peek() == 'n' {
		return s.literal("null")
	}
	if err := s.enter('{', "a user object"); err != nil {
		return err
	}
	for n := 0; ; {
		k, err := s.key(&n)
		if err != nil || k == nil {
			return err
		}
		switch string(k) {
		case "id":
			u.id, err = p.str(u.id)
		case "name":
			u.name, err = p.str(u.name)
		case "nickname":
			u.nickname, err = p.str(u.nickname)
		default:
			err = s.skip()
		}
		if err != nil {
			return err
		}
	}
}

func (p *dcParser) attachments(c *dcMessage) error {
	s := p.s
	return p.each(func() error {
		if err := s.enter('{', "an attachment object"); err != nil {
			return err
		}
		var name, url string
		for n := 0; ; {
			k, err := s.key(&n)
			if err != nil {
				return err
			}
			if k == nil {
				break
			}
			switch string(k) {
			case "fileName", "url":
				var b []byte
				if b, _, err = s.strOrNull(); err == nil && c.attachKind == "" {
					// Only the extension matters; no need to keep the string.
					if string(k) == "fileName" {
						name = attachmentKind(b)
					} else {
						url = attachmentKind(urlPath(b))
					}
				}
			default:
				err = s.skip()
			}
			if err != nil {
				return err
			}
		}
		if c.attachKind == "" {
			if c.attachKind = name; name == "" {
				c.attachKind = url
			}
			if c.attachKind == "" {
				c.attachKind = KindFile
			}
		}
		return nil
	})
}

func (p *dcParser) reference(c *dcMessage) error {
	s := p.s
	if s.peek() == 'n' {
		return s.literal("null")
	}
	if err := s.enter('{', "a reference object"); err != nil {
		return err
	}
	for n := 0; ; {
		k, err := s.key(&n)
		if err != nil || k == nil {
			return err
		}
		switch string(k) {
		case "messageId":
			c.refID, err = p.str(c.refID)
		case "channelId":
			c.refChannel, err = p.str(c.refChannel)
		case "type":
			var b []byte
			if b, _, err = s.strOrNull(); err == nil {
				c.refForward = string(b) == "Forward"
			}
		default:
			err = s.skip()
		}
		if err != nil {
			return err
		}
	}
}

// attachmentKind maps a file name's extension to a message kind, the way
// DiscordChatExporter's Attachment.IsImage/IsVideo/IsAudio do; "" when the
// name has no extension.
func attachmentKind(name []byte) string {
	i := bytes.LastIndexByte(name, '.')
	if i < 0 || len(name)-i > 6 {
		return ""
	}
	var ext [6]byte
	n := copy(ext[:], name[i+1:])
	for j := range n {
		if c := ext[j]; c >= 'A' && c <= 'Z' {
			ext[j] = c + 'a' - 'A'
		}
	}
	switch string(ext[:n]) {
	case "jpg", "jpeg", "png", "gif", "bmp", "webp":
		return KindImage
	case "gifv", "mp4", "webm", "mov":
		return KindVideo
	case "mp3", "wav", "ogg", "flac", "m4a":
		return KindVoice
	}
	return KindFile
}

// urlPath is the path of a URL without its query (Discord's CDN adds
// ?ex=...&is=...&hm=...).
func urlPath(u []byte) []byte {
	if i := bytes.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	return u[bytes.LastIndexByte(u, '/')+1:]
}

func (p *dcParser) internBytes(b []byte) string {
	if v, ok := p.intern[string(b)]; ok {
		return v
	}
	v := p.valid(b)
	if len(p.intern) < maxInterned && !p.bad {
		p.intern[v] = v
	}
	return v
}

func (p *dcParser) valid(b []byte) string {
	if !utf8.Valid(b) {
		p.bad = true
		return string(bytes.ToValidUTF8(b, []byte("\uFFFD")))
	}
	return string(b)
}

// person resolves a user by id, named by nickname or else name.
func (p *dcParser) person(u *dcUser) Person {
	if len(u.id) == 0 {
		return Person{}
	}
	name := u.nickname
	if len(name) == 0 {
		name = u.name
	}
	e := p.people[string(u.id)]
	switch {
	case e == nil:
		e = &dcPerson{uid: p.valid(u.id), name: p.valid(name)}
		if len(p.people) < maxInterned {
			p.people[e.uid] = e
		}
	case e.name != string(name):
		e.name = p.valid(name)
	}
	return Person{UID: e.uid, Name: e.name}
}

func (p *dcParser) keep(b []byte) string {
	if !utf8.Valid(b) {
		p.bad = true
	}
	return p.arena.str(b)
}

func (p *dcParser) emit(c *dcMessage, line int64) error {
	t, ok := parseISOTime(c.timestamp, p.tz)
	if !ok {
		reason := "message without a timestamp"
		if len(c.timestamp) > 0 {
			reason = fmt.Sprintf("unreadable timestamp %q", quote(c.timestamp))
		}
		return p.sink.Reject(line, reason, p.s.marked())
	}
	author := p.person(&c.author)
	ev := &p.ev
	*ev = Event{Group: p.group, Time: t, Line: line}
	m := &p.msg
	*m = Message{Group: p.group, Sender: author, Time: t, Line: line, Mentions: c.mentions}
	switch string(c.typ) {
	case "GuildMemberJoin":
		ev.Kind, ev.Member, ev.Source = EventJoin, author, SourceUnknown
	case "RecipientAdd", "RecipientRemove":
		if len(c.first.id) == 0 {
			m.Sender, m.Kind = Person{}, KindSystem
			break
		}
		member := p.person(&c.first)
		switch {
		case string(c.typ) == "RecipientAdd":
			ev.Kind, ev.Member, ev.Source, ev.Inviter = EventJoin, member, SourceReferral, author
		case member.UID == author.UID:
			ev.Kind, ev.Member = EventLeave, author
		default:
			ev.Kind, ev.Member = EventRemoved, member
		}
	case "Call", "ChannelNameChange", "ChannelIconChange", "ChannelPinnedMessage", "ThreadCreated":
		m.Sender, m.Kind, m.Mentions = Person{}, KindSystem, nil
	}
	if ev.Kind != "" {
		if p.bad {
			return p.badUTF8(line)
		}
		return p.sink.Event(ev)
	}
	if m.Kind == "" {
		switch {
		case c.attachKind != "":
			m.Kind = c.attachKind
		case c.stickers:
			m.Kind = KindSticker
		case bytes.Contains(c.content, []byte("http://")) || bytes.Contains(c.content, []byte("https://")):
			m.Kind = KindLink
		default:
			m.Kind = KindText
		}
	}
	m.Text = p.keep(c.content)
	m.ExternalID = p.keep(c.id)
	if len(c.refID) > 0 && !c.refForward && (len(c.refChannel) == 0 || string(c.refChannel) == p.channelID) {
		m.ReplyTo = p.keep(c.refID)
	}
	if p.bad {
		return p.badUTF8(line)
	}
	return p.sink.Message(m)
}

func (p *dcParser) badUTF8(line int64) error {
	return &ParseError{Format: "discord-json", Path: p.s.path, Line: line,
		Msg: "invalid UTF-8 in a string of this message: binary data or a damaged file"}
}
