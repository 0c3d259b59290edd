package format

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"
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
// author id with the nickname (display name) as name. A thread (channel
// "type" GuildPublicThread, GuildPrivateThread or GuildNewsThread) belongs
// to its parent channel's group: DiscordChatExporter writes the parent as
// the channel's "categoryId"/"category" (Channel.Parent, which for a
// thread is the channel it was started in). Mentions are user ids.
//
// "type" is the Discord message kind (MessageKind.cs), by name where the
// exporter's enum has one and as a number otherwise: GuildMemberJoin is a
// join of unknown source; RecipientAdd (a group DM) a referral join of the
// first mentioned user by the author, RecipientRemove a leave when the
// author removed themself and a removal otherwise (in a thread they add or
// remove a thread member, not a group member: system messages). Call,
// ChannelNameChange, ChannelIconChange, ChannelPinnedMessage, ThreadCreated
// and the numbered kinds Discord documents as notices (8-17 boosts and
// follows, 22, 24 AutoMod, 25-32, 36-39, 44, 46 poll results: every number
// but 20, 21 and 23, which carry a user's or an app's content) are system
// messages, their "content" the exporter's fallback text. Attachments
// decide the kind by file extension, then stickers, then a link in the
// content. An author or mentioned user with "isBot" is sent once as
// Role(bot) for every Discord group: a bot account is a bot everywhere.
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
		w:      newJSONWalk(ctx, in, "discord-json", sink),
		sink:   sink,
		in:     in,
		base:   strings.TrimSuffix(filepath.Base(in.Path), filepath.Ext(in.Path)),
		people: map[string]*dcPerson{},
		bots:   map[string]bool{},
	}
	defer p.w.release()
	return p.run()
}

type dcPerson struct{ uid, name string }

type dcParser struct {
	w    *jsonWalk
	sink Sink
	in   Input
	tz   *time.Location // of the group being read: for times without a zone
	base string

	guildID, guildName string
	channel            dcChannel
	group              Group
	thread             bool
	sawMessages        bool

	people map[string]*dcPerson
	bots   map[string]bool // bot ids whose role was sent

	cur dcMessage
	msg Message
	ev  Event
}

// dcChannel is the export's "channel" object.
type dcChannel struct{ id, typ, parentID, parent, name string }

// dcUser is an author or a mentioned user as read.
type dcUser struct {
	id, name, nickname []byte
	bot                bool
}

func (u *dcUser) reset() {
	u.id, u.name, u.nickname, u.bot = u.id[:0], u.name[:0], u.nickname[:0], false
}

type dcMessage struct {
	id, typ, timestamp, content []byte
	author                      dcUser
	first                       dcUser // the first mentioned user
	mentions                    []string
	mentionedBots               []Person
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
	c.mentions, c.mentionedBots = c.mentions[:0], c.mentionedBots[:0]
	c.attachKind, c.stickers = "", false
	c.refID, c.refChannel, c.refForward = c.refID[:0], c.refChannel[:0], false
}

// dcThreadTypes are the channel kinds of threads (ChannelKind.cs).
var dcThreadTypes = map[string]bool{"GuildPublicThread": true, "GuildPrivateThread": true, "GuildNewsThread": true}

func (p *dcParser) run() error {
	w := p.w
	if err := w.enter('{', "a JSON object (a DiscordChatExporter export starts with '{')"); err != nil {
		return err
	}
	for n := 0; ; {
		k, err := w.key(&n)
		if err != nil {
			return err
		}
		if k == nil {
			break
		}
		switch string(k) {
		case "guild":
			var ch dcChannel
			if err = p.header(&ch); err == nil {
				p.guildID, p.guildName = ch.id, ch.name
			}
		case "channel":
			err = p.header(&p.channel)
		case "messages":
			err = p.messages()
		default:
			err = w.skip()
		}
		if err != nil {
			return err
		}
	}
	if err := w.finish(); err != nil {
		return err
	}
	if !p.sawMessages {
		return &ParseError{Format: w.format, Path: w.path, Line: 1, Msg: `no "messages" array: not a DiscordChatExporter JSON export`}
	}
	return nil
}

// header reads the "guild" or "channel" object: id, type, categoryId,
// category, name (a guild has only id and name of these).
func (p *dcParser) header(ch *dcChannel) error {
	w := p.w
	if w.ws() == 'n' {
		return w.literal("null")
	}
	if err := w.enter('{', "an object"); err != nil {
		return err
	}
	for n := 0; ; {
		k, err := w.key(&n)
		if err != nil || k == nil {
			return err
		}
		switch string(k) {
		case "id":
			ch.id, err = w.idOf()
		case "type":
			ch.typ, err = w.stringOf()
		case "categoryId":
			ch.parentID, err = w.idOf()
		case "category":
			ch.parent, err = w.stringOf()
		case "name":
			ch.name, err = w.stringOf()
		default:
			err = w.skip()
		}
		if err != nil {
			return err
		}
	}
}

func (p *dcParser) messages() error {
	p.sawMessages = true
	ch := p.channel
	if dcThreadTypes[ch.typ] && ch.parentID != "" {
		// A thread's messages are its channel's conversation.
		p.thread = true
		ch.id, ch.name = ch.parentID, ch.parent
	}
	p.group = Group{Platform: "discord", ExternalID: ch.id}
	switch {
	case p.guildName != "" && ch.name != "":
		p.group.Name = p.guildName + " / #" + ch.name
	case ch.name != "":
		p.group.Name = "#" + ch.name
	default:
		p.group.Name = p.base
	}
	if p.group.ExternalID == "" {
		p.group.ExternalID = p.group.Name
	}
	p.tz = p.in.Location(p.group)
	return p.w.records("messages", p)
}

// read reads one message object.
func (p *dcParser) read(int64) error {
	w := p.w
	if w.ws() != '{' {
		w.reject("not a message object")
		return w.skip()
	}
	w.pos++
	w.depth++
	c := &p.cur
	c.reset()
	for n := 0; ; {
		k, err := w.key(&n)
		if err != nil {
			return err
		}
		if k == nil {
			return nil
		}
		if err := p.field(c, k); err != nil {
			return err
		}
	}
}

func (p *dcParser) field(c *dcMessage, k []byte) error {
	w := p.w
	var err error
	switch string(k) {
	case "id":
		c.id, err = w.appendID("id", c.id)
	case "type":
		c.typ, err = w.appendStr("type", c.typ)
	case "timestamp":
		c.timestamp, err = w.appendStr("timestamp", c.timestamp)
	case "content":
		c.content, err = w.appendStr("content", c.content)
	case "author":
		err = p.user("author", &c.author)
	case "attachments":
		err = p.attachments(c)
	case "stickers":
		var ok bool
		if ok, err = w.array("stickers"); ok && err == nil {
			for n := 0; ; {
				var more bool
				if more, err = w.elem(&n); err != nil || !more {
					break
				}
				c.stickers = true
				if err = w.skip(); err != nil {
					break
				}
			}
		}
	case "mentions":
		err = p.mentions(c)
	case "reference":
		err = p.reference(c)
	default:
		err = w.skip()
	}
	return err
}

func (p *dcParser) mentions(c *dcMessage) error {
	w := p.w
	ok, err := w.array("mentions")
	if !ok || err != nil {
		return err
	}
	for n := 0; ; {
		more, err := w.elem(&n)
		if err != nil || !more {
			return err
		}
		u := &c.tmp
		if len(c.mentions) == 0 {
			u = &c.first
		}
		u.reset()
		if err := p.user("mentions", u); err != nil {
			return err
		}
		if len(u.id) > 0 {
			c.mentions = append(c.mentions, w.internBytes(u.id))
			if u.bot {
				c.mentionedBots = append(c.mentionedBots, p.person(u))
			}
		}
	}
}

// user reads {"id", "name", "nickname", "isBot", ...}.
func (p *dcParser) user(key string, u *dcUser) error {
	w := p.w
	ok, err := w.object(key)
	if !ok || err != nil {
		return err
	}
	for n := 0; ; {
		k, err := w.key(&n)
		if err != nil || k == nil {
			return err
		}
		switch string(k) {
		case "id":
			u.id, err = w.appendID("id", u.id)
		case "name":
			u.name, err = w.appendStr("name", u.name)
		case "nickname":
			u.nickname, err = w.appendStr("nickname", u.nickname)
		case "isBot":
			u.bot, err = w.boolean("isBot")
		default:
			err = w.skip()
		}
		if err != nil {
			return err
		}
	}
}

func (p *dcParser) attachments(c *dcMessage) error {
	w := p.w
	ok, err := w.array("attachments")
	if !ok || err != nil {
		return err
	}
	for i := 0; ; {
		more, err := w.elem(&i)
		if err != nil || !more {
			return err
		}
		ok, err := w.object("attachments")
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		var name, url string
		for n := 0; ; {
			k, err := w.key(&n)
			if err != nil {
				return err
			}
			if k == nil {
				break
			}
			// Only the extension matters; no need to keep the strings.
			switch string(k) {
			case "fileName":
				var b []byte
				if b, err = w.strValue("fileName"); err == nil && c.attachKind == "" {
					name = attachmentKind(b)
				}
			case "url":
				var b []byte
				if b, err = w.strValue("url"); err == nil && c.attachKind == "" {
					url = attachmentKind(urlPath(b))
				}
			default:
				err = w.skip()
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
	}
}

func (p *dcParser) reference(c *dcMessage) error {
	w := p.w
	ok, err := w.object("reference")
	if !ok || err != nil {
		return err
	}
	for n := 0; ; {
		k, err := w.key(&n)
		if err != nil || k == nil {
			return err
		}
		switch string(k) {
		case "messageId":
			c.refID, err = w.appendID("messageId", c.refID)
		case "channelId":
			c.refChannel, err = w.appendID("channelId", c.refChannel)
		case "type":
			var b []byte
			if b, err = w.strValue("type"); err == nil {
				c.refForward = string(b) == "Forward"
			}
		default:
			err = w.skip()
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

// person resolves a user by id, named by nickname or else name.
func (p *dcParser) person(u *dcUser) Person {
	w := p.w
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
		e = &dcPerson{uid: w.valid(u.id), name: w.valid(name)}
		if len(p.people) < maxInterned {
			p.people[e.uid] = e
		}
	case e.name != string(name):
		e.name = w.valid(name)
	}
	return Person{UID: e.uid, Name: e.name}
}

// bot sends once that a user is a bot, for every Discord group.
func (p *dcParser) bot(who Person, line int64) error {
	if who.UID == "" || p.bots[who.UID] {
		return nil
	}
	if len(p.bots) < maxInterned {
		p.bots[who.UID] = true
	}
	return p.sink.Role(&Role{Group: Group{Platform: "discord"}, Person: who, Role: RoleBot, Line: line})
}

// dcSystemKind tells the message kinds that are notices, not content.
func dcSystemKind(typ []byte) bool {
	switch string(typ) {
	case "Call", "ChannelNameChange", "ChannelIconChange", "ChannelPinnedMessage", "ThreadCreated":
		return true
	case "20", "21", "23": // a slash command's reply, a thread's starter, a context-menu command's reply
		return false
	}
	_, numbered := digits(typ)
	return numbered
}

func (p *dcParser) emit(line int64) error {
	c, w := &p.cur, p.w
	t, ok := parseISOTime(c.timestamp, p.tz)
	if !ok {
		reason := "message without a timestamp"
		if len(c.timestamp) > 0 {
			reason = fmt.Sprintf("unreadable timestamp %q", quote(c.timestamp))
		}
		return p.sink.Reject(line, reason, w.marked())
	}
	author := p.person(&c.author)
	ev := &p.ev
	*ev = Event{Group: p.group, Time: t, Line: line}
	m := &p.msg
	*m = Message{Group: p.group, Sender: author, Time: t, Line: line, Mentions: c.mentions}
	switch typ := string(c.typ); {
	case typ == "GuildMemberJoin":
		ev.Kind, ev.Member, ev.Source = EventJoin, author, SourceUnknown
	case typ == "RecipientAdd" || typ == "RecipientRemove":
		if len(c.first.id) == 0 || p.thread {
			m.Sender, m.Kind, m.Mentions = Person{}, KindSystem, nil
			break
		}
		member := p.person(&c.first)
		switch {
		case typ == "RecipientAdd":
			ev.Kind, ev.Member, ev.Source, ev.Inviter = EventJoin, member, SourceReferral, author
		case member.UID == author.UID:
			ev.Kind, ev.Member = EventLeave, author
		default:
			ev.Kind, ev.Member, ev.Actor = EventRemoved, member, author
		}
	case dcSystemKind(c.typ):
		m.Sender, m.Kind, m.Mentions = Person{}, KindSystem, nil
	}
	if w.bad {
		return w.badUTF8(line)
	}
	if err := p.sendBots(line); err != nil {
		return err
	}
	if ev.Kind != "" {
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
	m.Text = w.keep(c.content)
	m.ExternalID = w.keep(c.id)
	if len(c.refID) > 0 && !c.refForward &&
		(len(c.refChannel) == 0 || string(c.refChannel) == p.channel.id || string(c.refChannel) == p.group.ExternalID) {
		m.ReplyTo = w.keep(c.refID)
	}
	if w.bad {
		return w.badUTF8(line)
	}
	return p.sink.Message(m)
}

// sendBots sends the roles of the bots the message shows: its author, the
// users it mentions.
func (p *dcParser) sendBots(line int64) error {
	c := &p.cur
	if c.author.bot {
		if err := p.bot(p.person(&c.author), line); err != nil {
			return err
		}
	}
	for _, b := range c.mentionedBots {
		if err := p.bot(b, line); err != nil {
			return err
		}
	}
	return nil
}
