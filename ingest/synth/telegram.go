package synth

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The Telegram export is what Telegram Desktop writes with "Export chat
// history" in JSON (Telegram/SourceFiles/export/output/
// export_output_json.cpp): one result.json per chat, or with
// TelegramOneFile the full-account export, whose "chats": {"list": [...]}
// holds the same chat objects. Like Telegram Desktop it is indented with one
// space per level, and every message has its id (counting from 1 in each
// chat), local date, date_unixtime, sender, text (a string, or an array of
// strings and entities) and text_entities.
//
// It is the community of the QQ export, message for message:
//
//   - user ids are "user" + the QQ number (people known by e-mail get
//     4000000000 + their index); display names are the QQ nicks, except
//     that a nick already taken by someone else gets " 2", " 3"... as
//     service messages name members without ids;
//   - an invitation is invite_members by the inviter, a QR-code join
//     join_group_by_link with the code's owner as "inviter", any other join
//     join_group_by_link with the owner as "inviter";
//   - a leave is remove_members with the member as actor, a removal
//     remove_members by the group owner; a recall writes nothing (Telegram
//     keeps no trace of a deleted message);
//   - [图片], [表情], [语音], [视频] and [文件] are a photo, a sticker, a
//     voice message, a video file and a document; "@nick" is a mention
//     entity, URLs link entities, a leading #打卡 a hashtag;
//   - staff answers to questions reply to the question.

// Indentation of a chat object's keys: a single-chat export, and a chat of
// the full export's chats.list.
const (
	tgChatDepth     = 1
	tgListChatDepth = 4
)

// tgUserIDBase + person index is the user id of people known by e-mail;
// QQ numbers stay below it.
const tgUserIDBase = 4000000000

// tgChatIDBase + group index + 1 is a chat's id.
const tgChatIDBase = 1500000000

// tgPeople are the Telegram identities of the people of the world.
type tgPeople struct {
	ids   []int64
	names [][]byte // the display name as a JSON string, quotes included
}

func newTGPeople(w *world) *tgPeople {
	t := &tgPeople{ids: make([]int64, len(w.persons)), names: make([][]byte, len(w.persons))}
	taken := make(map[string]struct{}, len(w.persons))
	for i, p := range w.persons {
		if n, err := strconv.ParseInt(p.uid, 10, 64); err == nil && !p.email {
			t.ids[i] = n
		} else {
			t.ids[i] = tgUserIDBase + int64(i)
		}
		name := p.nick
		if _, dup := taken[name]; dup {
			for k := 2; ; k++ {
				name = p.nick + " " + strconv.Itoa(k)
				if _, dup := taken[name]; !dup {
					break
				}
			}
		}
		taken[name] = struct{}{}
		t.names[i] = appendJSONString(nil, []byte(name))
	}
	return t
}

// tgLayout holds the fixed pieces of a message object at one depth.
type tgLayout struct {
	chat, chatClose string // indentation of the chat's keys, its "}" line
	open, close     string // a message's "{" and "}" lines
	key             string // "\n" + indentation of a message's keys
	item            string // "\n" + indentation of the items of its arrays
	entKey          string // "\n" + indentation of an entity's keys
}

func newTGLayout(depth int) *tgLayout {
	ind := func(n int) string { return "\n" + strings.Repeat(" ", n) }
	return &tgLayout{
		chat:      ind(depth),
		chatClose: ind(depth - 1),
		open:      ind(depth+1) + "{",
		close:     ind(depth+1) + "}",
		key:       ind(depth + 2),
		item:      ind(depth + 3),
		entKey:    ind(depth + 4),
	}
}

var tgLayouts = map[int]*tgLayout{tgChatDepth: newTGLayout(tgChatDepth), tgListChatDepth: newTGLayout(tgListChatDepth)}

// Entity kinds of a text part.
const (
	partPlain uint8 = iota
	partMention
	partLink
	partHashtag
)

var partTypes = [...]string{partPlain: "plain", partMention: "mention", partLink: "link", partHashtag: "hashtag"}

// tgPart is a part of a text: its JSON string is esc[a:b].
type tgPart struct {
	kind uint8
	a, b int32
}

// tgWriter writes one chat of the Telegram export.
type tgWriter struct {
	bw    *bufio.Writer
	w     *world
	g     *groupPlan
	f     *frame
	p     *tgPeople
	l     *tgLayout
	n     int      // messages written
	from  [][]byte // per member: its "from" and "from_id" lines
	owner int32    // the owner (a person)
	zone  zoneCache

	buf, esc, tmp []byte
	parts         []tgPart
	media         [mediaFile + 1]int // files of each kind so far, for their names
}

func (w *world) newTGWriter(bw *bufio.Writer, g *groupPlan, depth int) *tgWriter {
	t := &tgWriter{bw: bw, w: w, g: g, f: &w.f, p: w.tg, l: tgLayouts[depth], zone: zoneCache{tz: w.cfg.TZ}}
	t.from = make([][]byte, len(g.members))
	for i, m := range g.members {
		b := append([]byte(t.l.key), `"from": `...)
		b = append(b, t.p.names[m.p]...)
		b = append(b, ',')
		b = append(b, t.l.key...)
		b = append(b, `"from_id": "user`...)
		b = strconv.AppendInt(b, t.p.ids[m.p], 10)
		t.from[i] = append(b, `",`...)
	}
	t.owner = g.members[g.staff[0]].p
	return t
}

// begin writes the chat's opening: name, type, id and the messages' "[".
func (t *tgWriter) begin() {
	b := append(t.buf[:0], '{')
	b = append(b, t.l.chat...)
	b = append(b, `"name": `...)
	b = appendJSONString(b, []byte(t.g.name))
	b = append(b, ',')
	b = append(b, t.l.chat...)
	b = append(b, `"type": "private_supergroup",`...)
	b = append(b, t.l.chat...)
	b = append(b, `"id": `...)
	b = strconv.AppendInt(b, tgChatIDBase+int64(t.g.idx)+1, 10)
	b = append(b, ',')
	b = append(b, t.l.chat...)
	b = append(b, `"messages": [`...)
	t.buf = b
	t.bw.Write(b)
}

// end closes the messages and the chat.
func (t *tgWriter) end() {
	t.bw.WriteString(t.l.chat)
	t.bw.WriteByte(']')
	t.bw.WriteString(t.l.chatClose)
	t.bw.WriteByte('}')
}

// head starts a message object: id, type, date and date_unixtime.
func (t *tgWriter) head(id uint32, ts int64, service bool) []byte {
	b := t.buf[:0]
	if t.n > 0 {
		b = append(b, ',')
	}
	t.n++
	b = append(b, t.l.open...)
	b = append(b, t.l.key...)
	b = append(b, `"id": `...)
	b = strconv.AppendUint(b, uint64(id), 10)
	b = append(b, ',')
	b = append(b, t.l.key...)
	if service {
		b = append(b, `"type": "service",`...)
	} else {
		b = append(b, `"type": "message",`...)
	}
	b = append(b, t.l.key...)
	b = append(b, `"date": "`...)
	b = t.f.appendTime(b, ts)
	b[len(b)-9] = 'T' // "YYYY-MM-DDTHH:MM:SS"
	b = append(b, `",`...)
	b = append(b, t.l.key...)
	b = append(b, `"date_unixtime": "`...)
	b = strconv.AppendInt(b, t.zone.unix(ts), 10)
	return append(b, `",`...)
}

// field starts a line `"key": `.
func (t *tgWriter) field(b []byte, key string) []byte {
	b = append(b, t.l.key...)
	b = append(b, '"')
	b = append(b, key...)
	return append(b, `": `...)
}

func (t *tgWriter) intField(b []byte, key string, v int64) []byte {
	b = t.field(b, key)
	b = strconv.AppendInt(b, v, 10)
	return append(b, ',')
}

func (t *tgWriter) strField(b []byte, key, v string) []byte {
	b = t.field(b, key)
	b = append(b, '"')
	b = append(b, v...) // v needs no escaping
	return append(b, `",`...)
}

// message writes an ordinary message.
func (t *tgWriter) message(c *msg) {
	b := t.head(c.id, c.t, false)
	b = append(b, t.from[c.m]...)
	if c.replyTo > 0 {
		b = t.intField(b, "reply_to_message_id", int64(c.replyTo))
	}
	if c.media != mediaNone {
		b = t.appendMedia(b, c)
		b = t.emptyText(b)
	} else {
		b = t.appendText(b, c)
	}
	b = append(b, t.l.close...)
	t.buf = b
	t.bw.Write(b)
}

var (
	photoSizes    = [...][2]int64{{1280, 960}, {960, 1280}, {1080, 1920}, {1920, 1080}, {1280, 720}, {800, 800}}
	stickerEmoji  = [...]string{"😄", "👍", "😂", "🎉", "❤️", "🙏", "😅", "👌"}
	documentNames = [...][2]string{
		{"星河使用手册.pdf", "application/pdf"},
		{"活动报名表.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"会议纪要.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"导出数据.zip", "application/zip"},
	}
)

// appendMedia writes the fields of a media message. Sizes, durations and
// names follow from the message id, not from the random stream.
func (t *tgWriter) appendMedia(b []byte, c *msg) []byte {
	t.media[c.media]++
	n := t.media[c.media]
	id := int64(c.id)
	switch c.media {
	case mediaPhoto:
		b = t.field(b, "photo")
		b = t.mediaName(b, "photos/photo_", n, c.t, ".jpg")
		b = append(b, `",`...)
		sz := photoSizes[id%int64(len(photoSizes))]
		b = t.intField(b, "width", sz[0])
		b = t.intField(b, "height", sz[1])
	case mediaSticker:
		b = t.field(b, "file")
		b = appendSticker(b, n, "")
		b = t.field(b, "thumbnail")
		b = appendSticker(b, n, "_thumb.jpg")
		b = t.strField(b, "media_type", "sticker")
		b = t.strField(b, "sticker_emoji", stickerEmoji[id%int64(len(stickerEmoji))])
		b = t.intField(b, "width", 512)
		b = t.intField(b, "height", 512)
	case mediaVoice:
		b = t.field(b, "file")
		b = t.mediaName(b, "voice_messages/audio_", n, c.t, ".ogg")
		b = append(b, `",`...)
		b = t.strField(b, "media_type", "voice_message")
		b = t.strField(b, "mime_type", "audio/ogg")
		b = t.intField(b, "duration_seconds", 2+id%58)
	case mediaVideo:
		b = t.field(b, "file")
		b = t.mediaName(b, "video_files/video_", n, c.t, ".mp4")
		b = append(b, `",`...)
		b = t.field(b, "thumbnail")
		b = t.mediaName(b, "video_files/video_", n, c.t, ".mp4_thumb.jpg")
		b = append(b, `",`...)
		b = t.strField(b, "media_type", "video_file")
		b = t.strField(b, "mime_type", "video/mp4")
		b = t.intField(b, "duration_seconds", 5+id%175)
		b = t.intField(b, "width", 1280)
		b = t.intField(b, "height", 720)
	case mediaFile:
		d := documentNames[id%int64(len(documentNames))]
		b = t.strField(b, "file", "files/"+d[0])
		b = t.strField(b, "mime_type", d[1])
	}
	return b
}

// appendSticker appends the n-th sticker's file name and ext as a field
// value: "stickers/sticker.webp", "stickers/sticker (2).webp"...
func appendSticker(b []byte, n int, ext string) []byte {
	b = append(b, `"stickers/sticker`...)
	if n > 1 {
		b = append(b, " ("...)
		b = strconv.AppendInt(b, int64(n), 10)
		b = append(b, ')')
	}
	b = append(b, ".webp"...)
	b = append(b, ext...)
	return append(b, `",`...)
}

// mediaName appends `"` + prefix + n + "@DD-MM-YYYY_HH-MM-SS" + ext, as
// Telegram Desktop names the files it exports.
func (t *tgWriter) mediaName(b []byte, prefix string, n int, ts int64, ext string) []byte {
	d := t.f.appendTime(t.tmp[:0], ts) // YYYY-MM-DD HH:MM:SS
	t.tmp = d
	b = append(b, '"')
	b = append(b, prefix...)
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, '@')
	b = append(b, d[8:10]...)
	b = append(b, '-')
	b = append(b, d[5:7]...)
	b = append(b, '-')
	b = append(b, d[0:4]...)
	b = append(b, '_', d[11], d[12], '-', d[14], d[15], '-', d[17], d[18])
	return append(b, ext...)
}

func (t *tgWriter) emptyText(b []byte) []byte {
	b = t.field(b, "text")
	b = append(b, `"",`...)
	b = t.field(b, "text_entities")
	return append(b, "[]"...)
}

var (
	httpsPrefix   = []byte("https://")
	hashtagPrefix = []byte("#打卡")
)

// appendText writes "text" and "text_entities": a lone plain part is a
// string, anything else an array of strings and entity objects.
func (t *tgWriter) appendText(b []byte, c *msg) []byte {
	t.split(c)
	parts, esc := t.parts, t.esc
	if len(parts) == 0 {
		return t.emptyText(b)
	}
	b = t.field(b, "text")
	if len(parts) == 1 && parts[0].kind == partPlain {
		b = append(b, esc[parts[0].a:parts[0].b]...)
	} else {
		b = append(b, '[')
		for i, p := range parts {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, t.l.item...)
			if p.kind == partPlain {
				b = append(b, esc[p.a:p.b]...)
			} else {
				b = t.entity(b, p)
			}
		}
		b = append(b, t.l.key...)
		b = append(b, ']')
	}
	b = append(b, ',')
	b = t.field(b, "text_entities")
	b = append(b, '[')
	for i, p := range parts {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, t.l.item...)
		b = t.entity(b, p)
	}
	b = append(b, t.l.key...)
	return append(b, ']')
}

// entity writes {"type": ..., "text": ...}.
func (t *tgWriter) entity(b []byte, p tgPart) []byte {
	b = append(b, '{')
	b = append(b, t.l.entKey...)
	b = append(b, `"type": "`...)
	b = append(b, partTypes[p.kind]...)
	b = append(b, `",`...)
	b = append(b, t.l.entKey...)
	b = append(b, `"text": `...)
	b = append(b, t.esc[p.a:p.b]...)
	b = append(b, t.l.item...)
	return append(b, '}')
}

// split cuts the body into parts, each escaped once into t.esc.
func (t *tgWriter) split(c *msg) {
	t.parts, t.esc = t.parts[:0], t.esc[:0]
	body := c.body
	pos := 0
	if bytes.HasPrefix(body, hashtagPrefix) {
		t.addPart(partHashtag, hashtagPrefix)
		pos = len(hashtagPrefix)
	}
	for _, m := range c.ments {
		t.plain(body[pos:m.start])
		// "@" + the Telegram name: the JSON string with '@' after its quote.
		name := t.p.names[m.p]
		a := int32(len(t.esc))
		t.esc = append(t.esc, '"', '@')
		t.esc = append(t.esc, name[1:]...)
		t.parts = append(t.parts, tgPart{kind: partMention, a: a, b: int32(len(t.esc))})
		pos = int(m.end)
	}
	t.plain(body[pos:])
}

// plain adds text, with its URLs as links.
func (t *tgWriter) plain(s []byte) {
	for len(s) > 0 {
		i := bytes.Index(s, httpsPrefix)
		if i < 0 {
			break
		}
		if i > 0 {
			t.addPart(partPlain, s[:i])
		}
		j := i + len(httpsPrefix)
		for j < len(s) && s[j] > ' ' && s[j] < 0x80 {
			j++
		}
		t.addPart(partLink, s[i:j])
		s = s[j:]
	}
	if len(s) > 0 {
		t.addPart(partPlain, s)
	}
}

func (t *tgWriter) addPart(kind uint8, s []byte) {
	a := int32(len(t.esc))
	t.esc = appendJSONString(t.esc, s)
	t.parts = append(t.parts, tgPart{kind: kind, a: a, b: int32(len(t.esc))})
}

// service writes a membership change of member m (see notice).
func (t *tgWriter) service(id uint32, ts int64, kind uint8, m int32, by int32) {
	b := t.head(id, ts, true)
	member := t.g.members[m].p
	actor, action, inviter := member, "join_group_by_link", int32(-1)
	switch kind {
	case noteInvite:
		actor, action = by, "invite_members"
	case noteQR:
		inviter = by
	case noteJoin:
		inviter = t.owner
	case noteLeave:
		action = "remove_members"
	case noteRemove:
		actor, action = t.owner, "remove_members"
	}
	b = t.field(b, "actor")
	b = append(b, t.p.names[actor]...)
	b = append(b, ',')
	b = t.field(b, "actor_id")
	b = append(b, `"user`...)
	b = strconv.AppendInt(b, t.p.ids[actor], 10)
	b = append(b, `",`...)
	b = t.strField(b, "action", action)
	if inviter >= 0 {
		b = t.field(b, "inviter")
		b = append(b, t.p.names[inviter]...)
		b = append(b, ',')
	} else {
		b = t.field(b, "members")
		b = append(b, '[')
		b = append(b, t.l.item...)
		b = append(b, t.p.names[member]...)
		b = append(b, t.l.key...)
		b = append(b, "],"...)
	}
	b = t.emptyText(b)
	b = append(b, t.l.close...)
	t.buf = b
	t.bw.Write(b)
}

// tgOneFile is the full-account export being written: the account (the
// first customer-service person), then chats.list with the chat of each
// group in order. Groups are written in parallel: the one whose chat comes
// next goes straight into the file; the others go to their part file,
// appended when their turn comes.
type tgOneFile struct {
	path  string
	f     *os.File
	parts []string // each group's part file

	mu     sync.Mutex
	n      int64  // bytes in the file
	next   int    // the group whose chat comes next
	done   []bool // the group is written (in the file or its part)
	inPart []bool
}

func (w *world) createTGOneFile(path string, parts []string) (*tgOneFile, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	o := &tgOneFile{path: path, f: f, parts: parts, done: make([]bool, len(parts)), inPart: make([]bool, len(parts))}
	acct := w.staffCN[0]
	b := []byte("{\n \"about\": \"Here is the data you requested. Remember: Telegram is ad free, it doesn't sell your data.\",\n \"personal_information\": {\n  \"user_id\": ")
	b = strconv.AppendInt(b, w.tg.ids[acct], 10)
	b = append(b, ",\n  \"first_name\": "...)
	b = append(b, w.tg.names[acct]...)
	b = append(b, ",\n  \"last_name\": \"\",\n  \"phone_number\": \"+86 138 0000 0000\"\n },\n \"chats\": {\n  \"about\": \"This page lists all chats from this export.\",\n  \"list\": ["...)
	if err := o.write(b); err != nil {
		f.Close()
		return nil, err
	}
	return o, nil
}

func (o *tgOneFile) write(b []byte) error {
	n, err := o.f.Write(b)
	o.n += int64(n)
	if err != nil {
		return fmt.Errorf("synth: %s: %w", o.path, err)
	}
	return nil
}

// claim reports whether group i's chat is the next one of the file: its
// writer then has the file until it calls finish.
func (o *tgOneFile) claim(i int) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.next == i
}

// sep is what comes before the chat of group i in chats.list.
func (o *tgOneFile) sep(i int) []byte {
	if i == 0 {
		return []byte("\n   ")
	}
	return []byte(",\n   ")
}

// finish records that group i is written, to its part file or (direct,
// holding the bytes written) into the file, and appends the parts whose
// turn has come.
func (o *tgOneFile) finish(i int, inPart bool, direct *countWriter) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.done[i], o.inPart[i] = true, inPart
	if direct != nil {
		o.n += direct.n
	}
	for ; o.next < len(o.done) && o.done[o.next]; o.next++ {
		if !o.inPart[o.next] {
			continue
		}
		if err := o.write(o.sep(o.next)); err != nil {
			return err
		}
		n, err := copyFile(o.f, o.parts[o.next])
		o.n += n
		if err != nil {
			return fmt.Errorf("synth: %s: %w", o.path, err)
		}
		os.Remove(o.parts[o.next])
	}
	return nil
}

// close ends the file after the groups are written (or failed with err)
// and returns its size.
func (o *tgOneFile) close(err error) (int64, error) {
	if err == nil && o.next != len(o.done) {
		err = fmt.Errorf("synth: %s: %d of %d chats written", o.path, o.next, len(o.done))
	}
	if err == nil {
		err = o.write([]byte("\n  ]\n }\n}"))
	}
	if cerr := o.f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("synth: %s: %w", o.path, cerr)
	}
	return o.n, err
}

// copyFile appends the file at path to dst.
func copyFile(dst *os.File, path string) (int64, error) {
	src, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer src.Close()
	return io.Copy(dst, src)
}

// zoneCache turns civil seconds into Unix time in a zone, as time.Date
// reads a local date and time (which is how the QQ export's times are
// read): one offset per day, exact conversions on days the offset changes.
type zoneCache struct {
	tz     *time.Location
	day    int64
	off    int64
	mixed  bool
	cached bool
}

func (z *zoneCache) unix(t int64) int64 {
	d := t - mod(t, day)
	if !z.cached || d != z.day {
		z.day, z.cached = d, true
		z.off = d - z.exact(d)
		z.mixed = d+day-1-z.exact(d+day-1) != z.off
	}
	if z.mixed {
		return z.exact(t)
	}
	return t - z.off
}

func (z *zoneCache) exact(t int64) int64 {
	u := time.Unix(t, 0).UTC()
	return time.Date(u.Year(), u.Month(), u.Day(), u.Hour(), u.Minute(), u.Second(), 0, z.tz).Unix()
}

// jsonPlain marks the bytes a JSON string holds as they are. 0xE2 may
// start U+2028 or U+2029, which are escaped as Telegram Desktop does.
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = true
	}
	t['"'], t['\\'], t[0xE2] = false, false, false
	return t
}()

const hexDigits = "0123456789abcdef"

// appendJSONString appends s (UTF-8) as a JSON string.
func appendJSONString(b, s []byte) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if jsonPlain[c] {
			continue
		}
		if c == 0xE2 {
			if i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9) {
				b = append(b, s[start:i]...)
				b = append(b, `\u202`...)
				b = append(b, "89"[s[i+2]-0xA8])
				i += 2
				start = i + 1
			}
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"':
			b = append(b, `\"`...)
		case '\\':
			b = append(b, `\\`...)
		case '\n':
			b = append(b, `\n`...)
		case '\r':
			b = append(b, `\r`...)
		case '\t':
			b = append(b, `\t`...)
		default:
			b = append(b, `\u00`...)
			b = append(b, hexDigits[c>>4], hexDigits[c&15])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
