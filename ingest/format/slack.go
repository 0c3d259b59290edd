package format

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// SlackExport reads a Slack workspace export (Workspace settings → Import/
// Export Data → Export), as the ZIP Slack mails a link to or as the folder it
// unzips to. Layout (slack.com/help/articles/220556107, and the writer of the
// same format in github.com/rusq/slackdump, internal/export):
//
//	users.json          [{"id":"U01","name":"zhang.wei","real_name":"张伟",
//	                      "deleted":false,"is_bot":false,
//	                      "profile":{"display_name":"张伟 | 星河科技","real_name":"张伟",...},...}]
//	                    (org_users.json in Enterprise Grid org exports)
//	channels.json       [{"id":"C01","name":"general","created":1794700000,
//	                      "members":["U01",...],"topic":{...},"purpose":{...},...}]
//	groups.json         private channels, same shape (optional)
//	mpims.json          group DMs, same shape (optional)
//	dms.json            1:1 DMs [{"id":"D01","members":[...]}] (optional)
//	integration_logs.json, canvases.json, ...   (not read)
//	general/2026-11-16.json     one folder per conversation, named after the
//	general/2026-11-17.json     channel (the id for DMs), one file per day:
//
//	[
//	    {
//	        "user": "U01",
//	        "type": "message",
//	        "ts": "1794790860.000100",
//	        "text": "欢迎 <@U02>! 手册见 <https:\/\/example.com\/guide|指南>",
//	        "thread_ts": "1794790800.000200",
//	        "parent_user_id": "U03",
//	        "files": [{"id":"F01","name":"a.png","mimetype":"image\/png","filetype":"png",...}],
//	        "user_profile": {"display_name":"...","real_name":"...","name":"..."},
//	        "blocks": [...], "reactions": [...]
//	    },
//	    {"type":"message","subtype":"channel_join","user":"U04","ts":"...",
//	     "text":"<@U04> has joined the channel","inviter":"U01"}
//	]
//
// ts is unix seconds with microseconds and is also the message's id within
// its channel; a reply carries its thread's ts in thread_ts (a thread parent
// carries its own ts there). Text uses Slack's markup: <@U02> and
// <@U02|name> are mentions (Message.Mentions holds the user ids, Text shows
// "@display name"), <#C01|general> channels, <!here> specials,
// <https://...|label> links, and &amp; &lt; &gt; escapes.
//
// Subtypes: channel_join/group_join become join Events (referral with the
// Inviter when "inviter" is set, otherwise unknown — Slack does not record
// how a member found the channel), channel_leave/group_leave leave Events;
// Slack exports have no removal notice. bot_message is a message from its
// bot_id; file_share, thread_broadcast, me_message and other message
// subtypes are messages; topic/purpose/name changes, pins, archives,
// huddles and the like are system messages; a tombstone (a deleted thread
// parent) is a recall. Files give the kind from the first file's mimetype
// (image/*, video/*, audio/* as voice, else file); a message with no text
// is given the file's name as text.
//
// The ZIP needs random access, so Parse opens Input.Path itself (Input.R is
// not read); ParseSlackDir reads an unzipped folder. Both share one fs.FS
// core: the index files first, then the conversation folders in name order,
// each folder's days in date order, one day file streamed at a time through
// the shared jsonScanner. DM folders (listed in dms.json) are skipped: they
// are not communities. Folders with day files but no index entry are read
// as channels named after the folder. Positions in errors, rejects and
// Message.Line are lines of the day file, whose path inside the export is
// given as "<export>/<folder>/<date>.json".
type SlackExport struct{}

const slackFormat = "slack-export"

func (SlackExport) Name() string { return slackFormat }

// Detect recognises a ZIP archive named *.zip; what is inside is checked by
// Parse, which refuses archives without users.json or channels.json.
func (SlackExport) Detect(name string, head []byte) bool {
	return strings.EqualFold(path.Ext(name), ".zip") && bytes.HasPrefix(head, []byte("PK\x03\x04"))
}

func (SlackExport) Parse(ctx context.Context, in Input, sink Sink) error {
	fsys, closer, err := OpenZip(in.Path)
	if err != nil {
		return &ParseError{Format: slackFormat, Path: in.Path, Line: 1, Msg: "not a readable ZIP archive: " + err.Error(), Err: err}
	}
	defer closer.Close()
	return parseSlackFS(ctx, fsys, in.Path, sink)
}

// DetectDir recognises an unzipped export: users.json and channels.json.
func (SlackExport) DetectDir(dir string) bool {
	for _, f := range []string{"users.json", "channels.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			return false
		}
	}
	return true
}

// ParseDir reads an unzipped Slack export folder. Slack times are unix
// instants, so in.TZ is not needed.
func (SlackExport) ParseDir(ctx context.Context, in Input, sink Sink) error {
	return ParseSlackDir(ctx, in.Path, in.TZ, sink)
}

// ParseSlackDir reads an unzipped Slack export folder. tz is accepted for
// symmetry with Input: Slack times are unix instants and need no zone.
func ParseSlackDir(ctx context.Context, dir string, tz *time.Location, sink Sink) error {
	_ = tz
	st, err := os.Stat(dir)
	if err != nil {
		return &ParseError{Format: slackFormat, Path: dir, Line: 1, Msg: err.Error()}
	}
	if !st.IsDir() {
		return &ParseError{Format: slackFormat, Path: dir, Line: 1, Msg: "not a folder"}
	}
	return parseSlackFS(ctx, DirFS(dir), strings.TrimRight(dir, `/\`), sink)
}

// slackSystemSubtypes are notices about the channel rather than messages by
// a member; they are kept as system messages without a sender.
var slackSystemSubtypes = map[string]bool{
	"channel_topic": true, "channel_purpose": true, "channel_name": true,
	"channel_archive": true, "channel_unarchive": true,
	"group_topic": true, "group_purpose": true, "group_name": true,
	"group_archive": true, "group_unarchive": true,
	"channel_convert_to_private": true, "channel_convert_to_public": true,
	"channel_posting_permissions": true, "channel_canvas_updated": true,
	"pinned_item": true, "unpinned_item": true,
	"sh_room_created": true, "huddle_thread": true,
	"bot_add": true, "bot_remove": true, "bot_enable": true, "bot_disable": true,
	"app_conversation_join": true, "app_conversation_leave": true,
	"reminder_add": true, "reminder_delete": true,
	"joiner_notification": true, "joiner_notification_for_inviter": true,
}

// slackIndexFiles name the top of an export.
var slackIndexFiles = []string{"users.json", "org_users.json", "channels.json"}

type slackParser struct {
	ctx  context.Context
	fsys fs.FS
	root string // the export as the user named it, for messages
	sink Sink
	s    *jsonScanner

	names    map[string]string // user id -> display name, from users.json
	channels map[string]string // channel id -> name, for <#C..> without a label
	groups   map[string]Group  // folder -> group
	dms      map[string]bool   // folders of 1:1 DMs
	persons  map[string]Person // by user id, with the name resolved

	file  string // day file being read, relative to the export
	group Group
	count int

	arena []byte // the current message's strings
	cur   slackMsg
	out   []byte // rendered text
	msg   Message
	ev    Event
}

// slackSpan is a string of the current message, as arena[lo:hi].
type slackSpan struct{ lo, hi int }

func (sp slackSpan) empty() bool { return sp.hi == sp.lo }

type slackMsg struct {
	typ, subtype, user, botID, username, text, ts, threadTS, inviter slackSpan
	profDisplay, profReal, botName, fileMime, fileName               slackSpan
	files                                                            int
	bad                                                              string // why the message is rejected
}

func (p *slackParser) str(sp slackSpan) string   { return string(p.arena[sp.lo:sp.hi]) }
func (p *slackParser) bytes(sp slackSpan) []byte { return p.arena[sp.lo:sp.hi] }

func parseSlackFS(ctx context.Context, fsys fs.FS, root string, sink Sink) error {
	p := &slackParser{
		ctx: ctx, fsys: fsys, root: root, sink: sink,
		names: map[string]string{}, channels: map[string]string{}, groups: map[string]Group{},
		dms: map[string]bool{}, persons: map[string]Person{},
	}
	if err := p.findRoot(); err != nil {
		return err
	}
	for _, name := range []string{"users.json", "org_users.json"} {
		if err := p.index(name, p.user); err != nil {
			return err
		}
	}
	for _, name := range []string{"channels.json", "groups.json", "mpims.json"} {
		if err := p.index(name, p.channel); err != nil {
			return err
		}
	}
	if err := p.index("dms.json", p.dm); err != nil {
		return err
	}
	return p.folders()
}

// findRoot accepts the export at the top of fsys, or inside its only folder
// (an export zipped again together with the folder it was unzipped to).
func (p *slackParser) findRoot() error {
	if slackHasIndex(p.fsys) {
		return nil
	}
	entries, err := fs.ReadDir(p.fsys, ".")
	if err != nil {
		return p.archiveError(err.Error())
	}
	var dirs []string
	for _, e := range entries {
		if e.IsDir() && !slackIgnored(e.Name()) {
			dirs = append(dirs, e.Name())
		}
	}
	if len(dirs) == 1 {
		if sub, err := fs.Sub(p.fsys, dirs[0]); err == nil && slackHasIndex(sub) {
			p.fsys, p.root = sub, p.root+"/"+dirs[0]
			return nil
		}
	}
	return p.archiveError("not a Slack export: no users.json or channels.json at its top")
}

func slackHasIndex(fsys fs.FS) bool {
	for _, name := range slackIndexFiles {
		if st, err := fs.Stat(fsys, name); err == nil && !st.IsDir() {
			return true
		}
	}
	return false
}

// slackIgnored skips what archivers and desktops add to a folder.
func slackIgnored(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "__MACOSX")
}

func (p *slackParser) archiveError(msg string) error {
	return &ParseError{Format: slackFormat, Path: p.root, Line: 1, Msg: msg}
}

// open starts a scanner on one file of the export.
func (p *slackParser) open(name string) (io.Closer, error) {
	f, err := p.fsys.Open(name)
	if err != nil {
		return nil, err
	}
	if p.s != nil {
		p.s.release()
	}
	p.s = newJSONScanner(f, slackFormat, p.root+"/"+name)
	return f, nil
}

// index reads one of the top-level arrays of objects, if present.
func (p *slackParser) index(name string, each func() error) error {
	f, err := p.open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return p.archiveError(err.Error())
	}
	defer f.Close()
	s := p.s
	if err := s.enter('[', "a JSON array (a Slack export's "+name+" is a list)"); err != nil {
		return err
	}
	n := 0
	for {
		more, err := s.elem(&n)
		if err != nil {
			return err
		}
		if !more {
			break
		}
		if s.peek() != '{' {
			return s.unexpected("an object")
		}
		if err := each(); err != nil {
			return err
		}
	}
	if !s.atEnd() {
		return s.errorAt(s.pos, "invalid JSON: data after the end of the array")
	}
	return nil
}

// fields reads the object at the scanner, keeping the named string members
// (a "profile.x" name reaches into a nested object) and skipping the rest.
func (p *slackParser) fields(want map[string]*string, prefix string) error {
	s := p.s
	if err := s.enter('{', "an object"); err != nil {
		return err
	}
	n := 0
	for {
		k, err := s.key(&n)
		if err != nil {
			return err
		}
		if k == nil {
			return nil
		}
		name := prefix + string(k)
		if dst, ok := want[name]; ok && s.peek() == '"' {
			v, err := s.str()
			if err != nil {
				return err
			}
			if err := s.validUTF8(v); err != nil {
				return err
			}
			*dst = string(v)
			continue
		}
		if name == "profile" && s.peek() == '{' {
			if err := p.fields(want, "profile."); err != nil {
				return err
			}
			continue
		}
		if err := s.skip(); err != nil {
			return err
		}
	}
}

func (p *slackParser) user() error {
	var id, name, real, display, profReal string
	if err := p.fields(map[string]*string{"id": &id, "name": &name, "real_name": &real,
		"profile.display_name": &display, "profile.real_name": &profReal}, ""); err != nil {
		return err
	}
	if id == "" {
		return nil
	}
	// The name Slack shows: display name, else full name, else handle.
	for _, n := range []string{display, profReal, real, name} {
		if n = strings.TrimSpace(n); n != "" {
			p.names[id] = n
			break
		}
	}
	return nil
}

func (p *slackParser) channel() error {
	var id, name string
	if err := p.fields(map[string]*string{"id": &id, "name": &name}, ""); err != nil {
		return err
	}
	if id == "" || name == "" {
		return nil
	}
	p.channels[id] = name
	p.groups[name] = Group{Platform: "slack", ExternalID: id, Name: name}
	return nil
}

func (p *slackParser) dm() error {
	var id string
	if err := p.fields(map[string]*string{"id": &id}, ""); err != nil {
		return err
	}
	if id != "" {
		p.dms[id] = true
	}
	return nil
}

// folders reads every conversation folder's day files in order.
func (p *slackParser) folders() error {
	entries, err := fs.ReadDir(p.fsys, ".")
	if err != nil {
		return p.archiveError(err.Error())
	}
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || slackIgnored(name) || p.dms[name] {
			continue
		}
		days, err := fs.ReadDir(p.fsys, name)
		if err != nil {
			return p.archiveError(err.Error())
		}
		sort.Slice(days, func(i, j int) bool { return days[i].Name() < days[j].Name() })
		g, ok := p.groups[name]
		if !ok {
			g = Group{Platform: "slack", ExternalID: name, Name: name}
		}
		for _, d := range days {
			if d.IsDir() || !slackDayFile(d.Name()) {
				continue
			}
			if err := p.ctx.Err(); err != nil {
				return err
			}
			if err := p.day(name+"/"+d.Name(), g); err != nil {
				return err
			}
		}
	}
	return nil
}

// slackDayFile matches YYYY-MM-DD.json.
func slackDayFile(name string) bool {
	if len(name) != len("2006-01-02.json") || !strings.HasSuffix(name, ".json") {
		return false
	}
	for i := 0; i < 10; i++ {
		c := name[i]
		if i == 4 || i == 7 {
			if c != '-' {
				return false
			}
		} else if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// day streams one day file: a JSON array of message objects.
func (p *slackParser) day(name string, g Group) error {
	f, err := p.open(name)
	if err != nil {
		return p.archiveError(err.Error())
	}
	defer f.Close()
	p.file, p.group = name, g
	s := p.s
	if err := s.enter('[', "a JSON array of messages"); err != nil {
		return err
	}
	n := 0
	for {
		more, err := s.elem(&n)
		if err != nil {
			return err
		}
		if !more {
			break
		}
		if p.count++; p.count&4095 == 0 {
			if err := p.ctx.Err(); err != nil {
				return err
			}
		}
		s.ws()
		s.markHere()
		line := s.lineAt(s.pos)
		if s.peek() != '{' {
			if err := s.skip(); err != nil {
				return err
			}
			p.reject(line, "not a message object")
			continue
		}
		if err := p.read(); err != nil {
			return err
		}
		if err := p.emit(line); err != nil {
			return err
		}
	}
	if !s.atEnd() {
		return s.errorAt(s.pos, "invalid JSON: data after the end of the array")
	}
	return nil
}

func (p *slackParser) reject(line int64, reason string) {
	//nolint:errcheck // the loader's sink does not fail on rejects
	p.sink.Reject(line, p.file+": "+reason, p.s.marked())
}

// keep copies a string of the message into the arena.
func (p *slackParser) keep(b []byte) slackSpan {
	lo := len(p.arena)
	p.arena = append(p.arena, b...)
	return slackSpan{lo, len(p.arena)}
}

// strField reads a string member into dst; null leaves it empty and any
// other value marks the message for rejection.
func (p *slackParser) strField(key string, dst *slackSpan) error {
	s := p.s
	switch s.peek() {
	case '"':
		v, err := s.str()
		if err != nil {
			return err
		}
		if err := s.validUTF8(v); err != nil {
			return err
		}
		*dst = p.keep(v)
		return nil
	case 'n':
		return s.literal("null")
	}
	if p.cur.bad == "" {
		p.cur.bad = key + " is not a string"
	}
	return s.skip()
}

// read decodes the message object at the scanner into p.cur.
func (p *slackParser) read() error {
	s, m := p.s, &p.cur
	*m = slackMsg{}
	p.arena = p.arena[:0]
	if err := s.enter('{', "a message object"); err != nil {
		return err
	}
	n := 0
	for {
		k, err := s.key(&n)
		if err != nil {
			return err
		}
		if k == nil {
			return nil
		}
		switch string(k) {
		case "type":
			err = p.strField("type", &m.typ)
		case "subtype":
			err = p.strField("subtype", &m.subtype)
		case "user":
			err = p.strField("user", &m.user)
		case "bot_id":
			err = p.strField("bot_id", &m.botID)
		case "username":
			err = p.strField("username", &m.username)
		case "text":
			err = p.strField("text", &m.text)
		case "ts":
			err = p.strField("ts", &m.ts)
		case "thread_ts":
			err = p.strField("thread_ts", &m.threadTS)
		case "inviter":
			err = p.strField("inviter", &m.inviter)
		case "files":
			err = p.readFiles()
		case "user_profile":
			if _, known := p.names[string(p.bytes(m.user))]; known {
				err = s.skip() // users.json names them already
				break
			}
			err = p.readObject(func(k []byte) (bool, error) {
				switch string(k) {
				case "display_name":
					return true, p.strField("user_profile.display_name", &m.profDisplay)
				case "real_name":
					return true, p.strField("user_profile.real_name", &m.profReal)
				}
				return false, nil
			})
		case "bot_profile":
			err = p.readObject(func(k []byte) (bool, error) {
				if string(k) == "name" {
					return true, p.strField("bot_profile.name", &m.botName)
				}
				return false, nil
			})
		default:
			err = s.skip()
		}
		if err != nil {
			return err
		}
	}
}

// readObject walks an object member, letting field read the members it
// wants (returning true) and skipping the others; anything but an object
// is skipped whole.
func (p *slackParser) readObject(field func(k []byte) (bool, error)) error {
	s := p.s
	if s.peek() != '{' {
		return s.skip()
	}
	s.pos++
	n := 0
	for {
		k, err := s.key(&n)
		if err != nil {
			return err
		}
		if k == nil {
			return nil
		}
		took, err := field(k)
		if err != nil {
			return err
		}
		if !took {
			if err := s.skip(); err != nil {
				return err
			}
		}
	}
}

// readFiles counts the files and keeps the first one's mimetype and name.
func (p *slackParser) readFiles() error {
	s, m := p.s, &p.cur
	if s.peek() != '[' {
		return s.skip()
	}
	s.pos++
	n := 0
	for {
		more, err := s.elem(&n)
		if err != nil || !more {
			return err
		}
		first := m.files == 0
		m.files++
		if !first {
			if err := s.skip(); err != nil {
				return err
			}
			continue
		}
		err = p.readObject(func(k []byte) (bool, error) {
			switch string(k) {
			case "mimetype":
				return true, p.strField("files.mimetype", &m.fileMime)
			case "name":
				return true, p.strField("files.name", &m.fileName)
			case "title":
				if m.fileName.empty() {
					return true, p.strField("files.title", &m.fileName)
				}
			}
			return false, nil
		})
		if err != nil {
			return err
		}
	}
}

// emit turns the message read into a Message, an Event or a reject.
func (p *slackParser) emit(line int64) error {
	m := &p.cur
	if m.bad != "" {
		p.reject(line, m.bad)
		return nil
	}
	if !m.typ.empty() && p.str(m.typ) != "message" {
		p.reject(line, fmt.Sprintf("not a message (type %q)", p.str(m.typ)))
		return nil
	}
	if m.ts.empty() {
		p.reject(line, "message without ts")
		return nil
	}
	t, ok := slackTime(p.bytes(m.ts))
	if !ok {
		p.reject(line, fmt.Sprintf("bad ts %q (want unix seconds such as 1794790860.000100)", p.str(m.ts)))
		return nil
	}
	subtype := p.str(m.subtype)
	switch subtype {
	case "channel_join", "group_join", "channel_leave", "group_leave":
		if m.user.empty() {
			p.reject(line, subtype+" without user")
			return nil
		}
		ev := &p.ev
		*ev = Event{Group: p.group, Member: p.person(p.bytes(m.user), m), Time: t, Kind: EventLeave, Line: line}
		if strings.HasSuffix(subtype, "_join") {
			ev.Kind, ev.Source = EventJoin, SourceUnknown
			if !m.inviter.empty() {
				ev.Source, ev.Inviter = SourceReferral, p.person(p.bytes(m.inviter), nil)
			}
		}
		return p.sink.Event(ev)
	}

	msg := &p.msg
	msg.Group, msg.Time, msg.Line = p.group, t, line
	msg.ExternalID, msg.ReplyTo = p.str(m.ts), ""
	if !m.threadTS.empty() && !bytes.Equal(p.bytes(m.threadTS), p.bytes(m.ts)) {
		msg.ReplyTo = p.str(m.threadTS)
	}
	msg.Mentions = msg.Mentions[:0]
	switch {
	case subtype == "tombstone" || subtype == "message_deleted":
		msg.Sender, msg.Kind, msg.Text = Person{}, KindRecall, ""
		return p.sink.Message(msg)
	case slackSystemSubtypes[subtype], m.user.empty() && m.botID.empty():
		msg.Sender, msg.Kind = Person{}, KindSystem
		msg.Text, _ = p.render(p.bytes(m.text), nil)
		return p.sink.Message(msg)
	}
	if !m.user.empty() {
		msg.Sender = p.person(p.bytes(m.user), m)
	} else {
		name := m.username
		if name.empty() {
			name = m.botName
		}
		msg.Sender = Person{UID: p.str(m.botID), Name: p.str(name)}
	}
	text, link := p.render(p.bytes(m.text), &msg.Mentions)
	msg.Text = text
	switch {
	case m.files > 0:
		msg.Kind = slackFileKind(p.bytes(m.fileMime))
		if text == "" {
			msg.Text = p.str(m.fileName)
		}
	case link:
		msg.Kind = KindLink
	default:
		msg.Kind = KindText
	}
	return p.sink.Message(msg)
}

// person resolves a user id to its display name: users.json first, else
// the profile the message carries.
func (p *slackParser) person(uid []byte, m *slackMsg) Person {
	if pr, ok := p.persons[string(uid)]; ok && (pr.Name != "" || m == nil || m.profDisplay.empty() && m.profReal.empty()) {
		return pr
	}
	id := string(uid)
	pr := Person{UID: id, Name: p.names[id]}
	if pr.Name == "" && m != nil {
		for _, sp := range []slackSpan{m.profDisplay, m.profReal} {
			if !sp.empty() {
				pr.Name = p.str(sp)
				break
			}
		}
	}
	p.persons[id] = pr
	return pr
}

// slackTime reads "1794790860.000100": unix seconds and a fraction.
func slackTime(b []byte) (time.Time, bool) {
	sec, frac, _ := bytes.Cut(b, []byte("."))
	if len(sec) == 0 || len(sec) > 12 || len(frac) > 9 {
		return time.Time{}, false
	}
	var s, ns int64
	for _, c := range sec {
		if c < '0' || c > '9' {
			return time.Time{}, false
		}
		s = s*10 + int64(c-'0')
	}
	for i := 0; i < 9; i++ {
		ns *= 10
		if i < len(frac) {
			c := frac[i]
			if c < '0' || c > '9' {
				return time.Time{}, false
			}
			ns += int64(c - '0')
		}
	}
	return time.Unix(s, ns).UTC(), true
}

func slackFileKind(mime []byte) string {
	switch {
	case bytes.HasPrefix(mime, []byte("image/")):
		return KindImage
	case bytes.HasPrefix(mime, []byte("video/")):
		return KindVideo
	case bytes.HasPrefix(mime, []byte("audio/")):
		return KindVoice
	}
	return KindFile
}

// render turns Slack markup into the text a reader sees, collecting the ids
// of mentioned users into mentions (when not nil); link reports a web link.
func (p *slackParser) render(src []byte, mentions *[]string) (text string, link bool) {
	if bytes.IndexByte(src, '<') < 0 && bytes.IndexByte(src, '&') < 0 {
		return string(src), false
	}
	out := p.out[:0]
	for len(src) > 0 {
		i := 0
		for i < len(src) && src[i] != '<' && src[i] != '&' {
			i++
		}
		if i == len(src) {
			out = append(out, src...)
			break
		}
		out = append(out, src[:i]...)
		src = src[i:]
		if src[0] == '&' {
			out, src = slackEntity(out, src)
			continue
		}
		j := bytes.IndexByte(src, '>')
		if j < 0 {
			out = append(out, src...)
			break
		}
		var isLink bool
		out, isLink = p.markup(out, src[1:j], mentions)
		link = link || isLink
		src = src[j+1:]
	}
	p.out = out
	return string(out), link
}

// slackEntity decodes the three escapes Slack writes in text.
func slackEntity(out, src []byte) ([]byte, []byte) {
	for _, e := range [...]struct{ from, to string }{{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}} {
		if bytes.HasPrefix(src, []byte(e.from)) {
			return append(out, e.to...), src[len(e.from):]
		}
	}
	return append(out, '&'), src[1:]
}

// markup renders the inside of one <...> element.
func (p *slackParser) markup(out, inner []byte, mentions *[]string) ([]byte, bool) {
	target, label, _ := bytes.Cut(inner, []byte("|"))
	switch {
	case len(target) > 1 && target[0] == '@':
		pr := p.person(target[1:], nil)
		if mentions != nil {
			*mentions = append(*mentions, pr.UID)
		}
		out = append(out, '@')
		switch {
		case pr.Name != "":
			return append(out, pr.Name...), false
		case len(label) > 0:
			return append(out, label...), false
		}
		return append(out, pr.UID...), false
	case len(target) > 1 && target[0] == '#':
		out = append(out, '#')
		if len(label) > 0 {
			return append(out, label...), false
		}
		if name, ok := p.channels[string(target[1:])]; ok {
			return append(out, name...), false
		}
		return append(out, target[1:]...), false
	case len(target) > 1 && target[0] == '!':
		if len(label) > 0 {
			return slackEntities(out, label), false
		}
		special, _, _ := bytes.Cut(target[1:], []byte("^"))
		return append(append(out, '@'), special...), false
	}
	if bytes.HasPrefix(target, []byte("http://")) || bytes.HasPrefix(target, []byte("https://")) {
		url := target
		_, rest, _ := bytes.Cut(url, []byte("://"))
		switch {
		case len(label) == 0 || bytes.Equal(label, url):
			out = slackEntities(out, url)
		case bytes.Equal(label, rest) || bytes.Equal(label, bytes.TrimSuffix(rest, []byte("/"))):
			// Slack links a bare domain the member typed: show what they typed.
			out = slackEntities(out, label)
		default:
			out = slackEntities(out, label)
			out = append(out, " ("...)
			out = slackEntities(out, url)
			out = append(out, ')')
		}
		return out, true
	}
	if bytes.IndexByte(target, ':') > 0 { // mailto:, tel:, slack:// ...
		if len(label) > 0 {
			return slackEntities(out, label), false
		}
		return slackEntities(out, target), false
	}
	out = append(out, '<')
	out = slackEntities(out, inner)
	return append(out, '>'), false
}

func slackEntities(out, b []byte) []byte {
	for len(b) > 0 {
		i := bytes.IndexByte(b, '&')
		if i < 0 {
			return append(out, b...)
		}
		out = append(out, b[:i]...)
		out, b = slackEntity(out, b[i:])
	}
	return out
}
