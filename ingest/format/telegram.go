package format

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"
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
// Entries of "type" "service" are what the exporter writes for a chat
// action (export_output_json.cpp, SerializeMessage; read at tdesktop
// 929032d, September 2025). Membership actions become Events:
//
//	invite_members  X added Y, Z: referral joins of Y and Z by X; when X
//	                added themself (how Telegram writes a join of a public
//	                group), a join of unknown source
//	create_group    the founders, likewise joined at the creation
//	join_group_by_link     X joined by an invite link: a link join, with the
//	                       link's creator ("inviter", a name; null or the
//	                       chat's own name when no user made it) as Inviter
//	join_group_by_request  X's join request was approved: source unknown
//	remove_members  X removed Y: a removal with X as Actor; when X removed
//	                themself, a leave (Telegram writes no separate "left")
//
// Actors carry their id ("actor_id": "user123"); members and inviters are
// names only, written as the exporter's peer names (null for a deleted
// account, read as "Deleted Account"): they are sent as named-only Persons
// (empty UID) for the loader to resolve to whoever was seen under that name
// in the chat. Every other action (pin_message, edit_group_title,
// migrate_to_supergroup, migrate_from_group, group_call, ...) and an action
// not known yet is a system message, as is an invite or removal naming no
// one. An entry of a type other than message, service or unsupported is
// not a message: it is rejected with its line.
//
// Bots: the export marks no sender as a bot, but states three things that
// only bots produce, each sent as Role(bot) for every Telegram group: a
// message sent "via_bot" names the inline bot (by @username, so a
// named-only Person; the message stays its sender's); a message with
// "inline_bot_buttons" that is neither forwarded nor sent via a bot comes
// from a bot (only bots attach inline keyboards); and in a full-account
// export, a "bot_chat" dialog and a "frequent_contacts" entry of category
// "inline_bots" give a bot's user id.
type TelegramJSON struct{}

func (TelegramJSON) Name() string { return "telegram-json" }

// telegramSkippedChats are dialog types of a full-account export that are
// not group conversations.
var telegramSkippedChats = map[string]bool{
	"personal_chat":      true,
	"bot_chat":           true,
	"saved_messages":     true,
	"replies":            true,
	"verification_codes": true,
}

var telegramKeys = [][]byte{
	[]byte(`"date_unixtime"`), []byte(`"from_id"`), []byte(`"actor_id"`),
	[]byte(`"text_entities"`), []byte(`"personal_information"`),
}

// telegramDialogTypes are the chat types the exporter writes (TypeString
// in JsonWriter::writeDialogStart), as they appear in a file: a chat with
// no message has none of telegramKeys, only its name, type and id.
var telegramDialogTypes = [][]byte{
	[]byte(`"type": "private_group"`), []byte(`"type": "private_supergroup"`),
	[]byte(`"type": "public_supergroup"`), []byte(`"type": "private_channel"`),
	[]byte(`"type": "public_channel"`), []byte(`"type": "personal_chat"`),
	[]byte(`"type": "bot_chat"`), []byte(`"type": "saved_messages"`),
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
	if !bytes.Contains(h, []byte(`"messages": [`)) {
		return false
	}
	for _, k := range telegramDialogTypes {
		if bytes.Contains(h, k) {
			return true
		}
	}
	return false
}

func (TelegramJSON) Parse(ctx context.Context, in Input, sink Sink) error {
	p := &tgParser{
		w:      newJSONWalk(ctx, in, "telegram-json", sink),
		sink:   sink,
		in:     in,
		base:   strings.TrimSuffix(filepath.Base(in.Path), filepath.Ext(in.Path)),
		people: map[string]*tgPerson{},
		users:  map[uint64]*tgPerson{},
		bots:   map[string]bool{},
	}
	defer p.w.release()
	return p.run()
}

type tgPerson struct{ uid, name string }

type tgParser struct {
	w    *jsonWalk
	sink Sink
	in   Input
	tz   *time.Location // of the group being read: for times without a zone
	base string

	chatName, chatType, chatID string
	group                      Group
	sawMessages                bool

	people map[string]*tgPerson // by peer id, when not "user"+digits
	users  map[uint64]*tgPerson // by the digits of "user123"
	bots   map[string]bool      // bots whose role was sent

	cur tgMessage
	tmp []byte
	msg Message
	ev  Event
}

// tgMessage holds the fields of the message being read; its byte slices
// are reused from one message to the next.
type tgMessage struct {
	id, typ, date, from, fromID, actor, actorID []byte
	title, text, emoji, replyTo, pinned         []byte
	inviter, viaBot, info                       []byte
	entText, entUser                            []byte
	unix                                        int64
	hasUnix, buttons, forwarded                 bool
	photo, file, link, replyElsewhere           bool
	media                                       string
	action                                      string
	members                                     []string
	mentions                                    []string
}

func (c *tgMessage) reset() {
	c.id, c.typ, c.date, c.from, c.fromID = c.id[:0], c.typ[:0], c.date[:0], c.from[:0], c.fromID[:0]
	c.actor, c.actorID, c.title, c.text = c.actor[:0], c.actorID[:0], c.title[:0], c.text[:0]
	c.emoji, c.replyTo, c.pinned = c.emoji[:0], c.replyTo[:0], c.pinned[:0]
	c.inviter, c.viaBot, c.info = c.inviter[:0], c.viaBot[:0], c.info[:0]
	c.unix, c.hasUnix, c.buttons, c.forwarded = 0, false, false, false
	c.photo, c.file, c.link, c.replyElsewhere = false, false, false, false
	c.media, c.action = "", ""
	c.members, c.mentions = c.members[:0], c.mentions[:0]
}

func (p *tgParser) run() error {
	w := p.w
	if err := w.enter('{', "a JSON object (a Telegram Desktop export starts with '{')"); err != nil {
		return err
	}
	if err := p.chat(true); err != nil {
		return err
	}
	if err := w.finish(); err != nil {
		return err
	}
	if !p.sawMessages {
		return &ParseError{Format: w.format, Path: w.path, Line: 1, Msg: `no "messages" array: not a Telegram Desktop chat export`}
	}
	return nil
}

// chat reads the members of a chat object (its '{' consumed): the root of a
// single-chat export, the root of a full export, or an entry of its lists.
func (p *tgParser) chat(root bool) error {
	w := p.w
	p.chatName, p.chatType, p.chatID = "", "", ""
	for n := 0; ; {
		k, err := w.key(&n)
		if err != nil {
			return err
		}
		if k == nil {
			break
		}
		switch string(k) {
		case "name":
			p.chatName, err = w.stringOf()
		case "type":
			p.chatType, err = w.stringOf()
		case "id":
			p.chatID, err = w.idOf()
		case "messages":
			if !root && telegramSkippedChats[p.chatType] {
				p.sawMessages = true
				err = w.skip()
			} else {
				err = p.messages()
			}
		case "chats", "left_chats":
			if root {
				err = p.list(p.listedChat)
			} else {
				err = w.skip()
			}
		case "frequent_contacts":
			if root {
				err = p.list(p.frequentContact)
			} else {
				err = w.skip()
			}
		default:
			err = w.skip()
		}
		if err != nil {
			return err
		}
	}
	if !root && p.chatType == "bot_chat" && p.chatID != "" {
		// A dialog with a bot: its id is the bot's user id.
		return p.bot(Person{UID: "user" + p.chatID, Name: p.chatName}, 1)
	}
	return nil
}

// list reads {"about": ..., "list": [object, ...]}, calling each with every
// object of the list entered.
func (p *tgParser) list(each func() error) error {
	w := p.w
	if err := w.enter('{', `an object with a "list"`); err != nil {
		return err
	}
	for n := 0; ; {
		k, err := w.key(&n)
		if err != nil || k == nil {
			return err
		}
		if string(k) != "list" {
			if err := w.skip(); err != nil {
				return err
			}
			continue
		}
		if err := w.enter('[', "a list"); err != nil {
			return err
		}
		for i := 0; ; {
			more, err := w.elem(&i)
			if err != nil {
				return err
			}
			if !more {
				break
			}
			if err := w.enter('{', "an object"); err != nil {
				return err
			}
			if err := each(); err != nil {
				return err
			}
		}
	}
}

func (p *tgParser) listedChat() error { return p.chat(false) }

// frequentContact reads an entry of frequent_contacts: {"id", "category",
// "type", "name", "rating"}; category "inline_bots" lists bots.
func (p *tgParser) frequentContact() error {
	w := p.w
	var id, category, typ, name string
	line := w.lineAt(w.pos)
	for n := 0; ; {
		k, err := w.key(&n)
		if err != nil {
			return err
		}
		if k == nil {
			break
		}
		switch string(k) {
		case "id":
			id, err = w.idOf()
		case "category":
			category, err = w.stringOf()
		case "type":
			typ, err = w.stringOf()
		case "name":
			name, err = w.stringOf()
		default:
			err = w.skip()
		}
		if err != nil {
			return err
		}
	}
	if category == "inline_bots" && typ == "user" && id != "" {
		return p.bot(Person{UID: "user" + id, Name: name}, line)
	}
	return nil
}

// bot sends that a person is a bot, once.
func (p *tgParser) bot(who Person, line int64) error {
	key := who.UID
	if key == "" {
		key = "name:" + who.Name
	}
	if p.bots[key] {
		return nil
	}
	if len(p.bots) < maxInterned {
		p.bots[key] = true
	}
	return p.sink.Role(&Role{Group: Group{Platform: "telegram"}, Person: who, Role: RoleBot, Line: line})
}

func (p *tgParser) messages() error {
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
	p.tz = p.in.Location(p.group)
	return p.w.records("messages", p)
}

// read reads one entry of "messages".
func (p *tgParser) read(int64) error {
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

// peerID reads from_id/actor_id: "user123" (since 2021) or a bare number
// (older exports), which is a user.
func (p *tgParser) peerID(key string, dst []byte) ([]byte, error) {
	w := p.w
	if c := w.ws(); c >= '0' && c <= '9' {
		dst = append(dst, "user"...)
	}
	return w.appendID(key, dst)
}

func (p *tgParser) field(c *tgMessage, k []byte) error {
	w := p.w
	var err error
	switch string(k) {
	case "id":
		c.id, err = w.appendID("id", c.id)
	case "type":
		c.typ, err = w.appendStr("type", c.typ)
	case "date":
		c.date, err = w.appendStr("date", c.date)
	case "date_unixtime":
		var b []byte
		if b, err = w.appendID("date_unixtime", p.tmp[:0]); err == nil {
			c.unix, c.hasUnix = digits(b)
		}
		p.tmp = b
	case "from":
		c.from, err = w.appendStr("from", c.from)
	case "from_id":
		c.fromID, err = p.peerID("from_id", c.fromID)
	case "actor":
		c.actor, err = w.appendStr("actor", c.actor)
	case "actor_id":
		c.actorID, err = p.peerID("actor_id", c.actorID)
	case "action":
		var b []byte
		if b, err = w.strValue("action"); err == nil {
			c.action = w.internBytes(b)
		}
	case "members":
		err = p.members(c)
	case "inviter":
		c.inviter, err = w.appendStr("inviter", c.inviter)
	case "title":
		c.title, err = w.appendStr("title", c.title)
	case "information_text":
		c.info, err = w.appendStr("information_text", c.info)
	case "text":
		err = p.text(c)
	case "reply_to_message_id":
		c.replyTo, err = w.appendID("reply_to_message_id", c.replyTo)
	case "reply_to_peer_id":
		// A reply to a message of another chat: its id means nothing here.
		c.replyElsewhere = true
		err = w.skip()
	case "message_id":
		c.pinned, err = w.appendID("message_id", c.pinned)
	case "photo":
		c.photo = true
		err = w.skip()
	case "file":
		c.file = true
		err = w.skip()
	case "media_type":
		var b []byte
		if b, err = w.strValue("media_type"); err == nil {
			c.media = telegramMediaKind(b)
		}
	case "sticker_emoji":
		c.emoji, err = w.appendStr("sticker_emoji", c.emoji)
	case "via_bot":
		c.viaBot, err = w.appendStr("via_bot", c.viaBot)
	case "inline_bot_buttons":
		c.buttons = true
		err = w.skip()
	case "forwarded_from", "saved_from":
		c.forwarded = true
		err = w.skip()
	default:
		err = w.skip()
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
	w := p.w
	ok, err := w.array("members")
	if !ok || err != nil {
		return err
	}
	for n := 0; ; {
		more, err := w.elem(&n)
		if err != nil || !more {
			return err
		}
		b, err := w.strValue("members")
		if err != nil {
			return err
		}
		name := "Deleted Account" // the exporter writes null for one
		if b != nil {
			name = w.internBytes(b)
		}
		c.members = append(c.members, name)
	}
}

// text reads "text": a string, or an array of strings and entity objects.
func (p *tgParser) text(c *tgMessage) error {
	w := p.w
	switch w.ws() {
	case '"':
		var err error
		c.text, err = w.appendStr("text", c.text)
		return err
	case '[':
		w.pos++
		w.depth++
	default:
		return w.skip()
	}
	for n := 0; ; {
		more, err := w.elem(&n)
		if err != nil || !more {
			return err
		}
		switch w.ws() {
		case '"':
			c.text, err = w.appendStr("text", c.text)
		case '{':
			w.pos++
			w.depth++
			err = p.entity(c)
		default:
			err = w.skip()
		}
		if err != nil {
			return err
		}
	}
}

// entity reads one {"type", "text", "user_id"|"href"} part of a text, its
// '{' consumed.
func (p *tgParser) entity(c *tgMessage) error {
	w := p.w
	var kind string
	c.entText, c.entUser = c.entText[:0], c.entUser[:0]
	for n := 0; ; {
		k, err := w.key(&n)
		if err != nil {
			return err
		}
		if k == nil {
			break
		}
		switch string(k) {
		case "type":
			var b []byte
			if b, err = w.strValue("type"); err == nil {
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
			c.entText, err = w.appendStr("text", c.entText)
		case "user_id":
			c.entUser, err = w.appendID("user_id", c.entUser)
		default:
			err = w.skip()
		}
		if err != nil {
			return err
		}
	}
	c.text = append(c.text, c.entText...)
	switch kind {
	case "mention":
		if name := bytes.TrimPrefix(c.entText, []byte("@")); len(name) > 0 {
			c.mentions = append(c.mentions, w.internBytes(name))
		}
	case "mention_name":
		if len(c.entUser) > 0 {
			p.tmp = append(append(p.tmp[:0], "user"...), c.entUser...)
			c.mentions = append(c.mentions, w.internBytes(p.tmp))
		} else if len(c.entText) > 0 {
			c.mentions = append(c.mentions, w.internBytes(c.entText))
		}
	case "link":
		c.link = true
	}
	return nil
}

// person resolves a sender or actor from its id and name as written; with
// no id, the person is named only.
func (p *tgParser) person(id, name []byte) Person {
	w := p.w
	if len(id) == 0 {
		if len(name) == 0 {
			return Person{}
		}
		return Person{Name: w.internBytes(name)}
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
		e = &tgPerson{uid: w.valid(id), name: w.valid(name)}
		switch {
		case len(p.users)+len(p.people) >= maxInterned:
		case numeric:
			p.users[uint64(n)] = e
		default:
			p.people[e.uid] = e
		}
	case e.name != string(name):
		e.name = w.valid(name)
	}
	return Person{UID: e.uid, Name: e.name}
}

// emit sends the entry read.
func (p *tgParser) emit(line int64) error {
	c, w := &p.cur, p.w
	switch string(c.typ) {
	case "message", "service", "":
	case "unsupported":
		// Telegram writes only {"id", "type": "unsupported"} for content
		// it cannot export: no date, no sender, nothing to keep.
		return nil
	default:
		return p.sink.Reject(line, fmt.Sprintf("an entry of unknown type %q: not a message", quote(c.typ)), w.marked())
	}
	var t time.Time
	switch {
	case c.hasUnix:
		t = time.Unix(c.unix, 0).UTC()
	case len(c.date) > 0:
		var ok bool
		if t, ok = parseISOTime(c.date, p.tz); !ok {
			return p.sink.Reject(line, fmt.Sprintf("unreadable date %q", quote(c.date)), w.marked())
		}
	default:
		return p.sink.Reject(line, "message without a date", w.marked())
	}
	if string(c.typ) == "service" {
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
	m.Text = w.keep(c.text)
	m.Mentions = c.mentions
	m.ExternalID = w.keep(c.id)
	m.ReplyTo = ""
	if len(c.replyTo) > 0 && !c.replyElsewhere {
		m.ReplyTo = w.keep(c.replyTo)
	}
	m.Line = line
	var via string
	if len(c.viaBot) > 0 {
		via = w.internBytes(c.viaBot)
	}
	if w.bad {
		return w.badUTF8(line)
	}
	if err := p.sink.Message(m); err != nil {
		return err
	}
	switch {
	case via != "":
		return p.bot(Person{Name: via}, line)
	case c.buttons && !c.forwarded && m.Sender.UID != "":
		return p.bot(m.Sender, line)
	}
	return nil
}

// service turns a service entry into membership events, or else into a
// system message.
func (p *tgParser) service(c *tgMessage, t time.Time, line int64) error {
	w := p.w
	actor := p.person(c.actorID, c.actor)
	var inviter Person
	if len(c.inviter) > 0 && string(c.inviter) != p.chatName {
		// The link's creator; null when not a user (the chat's own link).
		inviter.Name = w.internBytes(c.inviter)
	}
	if w.bad {
		return w.badUTF8(line)
	}
	ev := &p.ev
	*ev = Event{Group: p.group, Time: t, Line: line}
	send := func() error { return p.sink.Event(ev) }
	switch c.action {
	case "invite_members", "create_group":
		if len(c.members) == 0 {
			break
		}
		for _, name := range c.members {
			ev.Kind, ev.Source, ev.Inviter, ev.Member = EventJoin, SourceUnknown, Person{}, Person{Name: name}
			switch {
			case actor.Name != "" && name == actor.Name:
				ev.Member = actor // joined by themself
			case actor.UID != "" || actor.Name != "":
				ev.Source, ev.Inviter = SourceReferral, actor
			}
			if err := send(); err != nil {
				return err
			}
		}
		return nil
	case "join_group_by_link", "join_group_by_request":
		if actor == (Person{}) {
			break
		}
		ev.Kind, ev.Member, ev.Source = EventJoin, actor, SourceLink
		if c.action == "join_group_by_request" {
			ev.Source = SourceUnknown
		} else if inviter.Name != "" && inviter.Name != actor.Name {
			ev.Inviter = inviter // who made the link
		}
		return send()
	case "remove_members":
		if len(c.members) == 0 {
			break
		}
		for _, name := range c.members {
			if actor.Name != "" && name == actor.Name {
				ev.Kind, ev.Member, ev.Actor = EventLeave, actor, Person{}
			} else {
				ev.Kind, ev.Member, ev.Actor = EventRemoved, Person{Name: name}, actor
			}
			if err := send(); err != nil {
				return err
			}
		}
		return nil
	}
	m := &p.msg
	m.Group, m.Sender, m.Time, m.Kind, m.Line = p.group, Person{}, t, KindSystem, line
	switch {
	case c.action == "" && len(c.info) > 0:
		m.Text = w.keep(c.info) // a custom action: the text Telegram showed
	case len(c.title) > 0:
		m.Text = c.action + ": " + w.keep(c.title)
	default:
		m.Text = c.action
	}
	m.Mentions = nil
	m.ExternalID = w.keep(c.id)
	m.ReplyTo = w.keep(c.pinned)
	if w.bad {
		return w.badUTF8(line)
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
