package format

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
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
// Slack exports have no removal notice. file_share, file_comment (its
// sender in "comment"), thread_broadcast, me_message and other message
// subtypes are messages; topic/purpose/name changes, pins, archives,
// huddles, bot_add and the like are system messages; a tombstone (a
// deleted thread parent) is a recall. Files — "files", or the single
// "file" object of exports before 2019 — give the kind from the first
// file's mimetype (image/*, video/*, audio/* as voice, else file); a
// message with no text is given the file's name as text.
//
// Bots: a message is a bot's when its subtype is bot_message, when it
// carries a bot_profile, when it has a bot_id and no user, or when its
// user is a bot in users.json (unless users.json says the user is a person:
// an app posting as a member is that member). Its sender is the bot's user
// id, else its bot_id named by "username" or bot_profile.name; the bot is
// sent once as Role(bot) for every Slack group. A bot message's text, when
// empty (integrations such as GitHub's write none), is read from its
// "attachments": each one's fallback, else its pretext, title and text.
//
// users.json states roles for the whole workspace, sent as Roles of a
// Group with only Platform set: is_admin an admin, is_owner or
// is_primary_owner an owner, is_bot or is_app_user (and Slack's own
// USLACKBOT) a bot. channels.json, groups.json and mpims.json list each
// conversation's "members" as the export was taken; the export does not
// say when that was, so each member is sent as a Presence as of the latest
// message of the whole export (the moment closest to the export that the
// data proves), or, in an export without messages, the latest "created"
// of its conversations.
//
// The ZIP needs random access, so Parse opens Input.Path itself (Input.R is
// not read); ParseDir reads an unzipped folder. Both share one fs.FS core:
// the index files first, then the conversation folders in name order,
// each folder's days in date order, one day file streamed at a time through
// the shared JSON walk, then the member lists again for the presences. DM
// folders (listed in dms.json) are skipped: they are not communities.
// Folders with day files but no index entry are read as channels named
// after the folder, so an export without users.json and channels.json (a
// partial copy, or a tool that writes only the day files) is read too, as
// is a single channel's folder of day files. A link inside an export
// folder is not followed: it is rejected, naming it, and the rest is read.
// Positions in errors, rejects and Message.Line are lines of the day file,
// whose path inside the export is given as "<export>/<folder>/<date>.json".
type SlackExport struct{}

const slackFormat = "slack-export"

func (SlackExport) Name() string { return slackFormat }

// Detect recognises a ZIP archive named *.zip whose entries look like a
// Slack export: an index file (users.json, channels.json...) or a
// conversation's day file (<folder>/YYYY-MM-DD.json), at the top or inside
// one folder. The entries are read from the local headers in head and,
// when those do not tell (an archive written with data descriptors), from
// the archive's directory, when name is a file.
func (SlackExport) Detect(name string, head []byte) bool {
	if !strings.EqualFold(path.Ext(name), ".zip") || !bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return false
	}
	names, complete := zipHeadNames(head)
	for _, n := range names {
		if slackEntry(n) {
			return true
		}
	}
	if complete && len(names) > 0 {
		return false
	}
	zr, err := zip.OpenReader(name)
	if err != nil {
		return false
	}
	defer zr.Close()
	for i, f := range zr.File {
		if i == 1000 {
			break
		}
		if slackEntry(f.Name) {
			return true
		}
	}
	return false
}

// zipHeadNames lists the entry names of the local file headers in head, and
// whether they were read up to the end of head (rather than stopped by an
// entry whose size its header does not give).
func zipHeadNames(head []byte) (names []string, complete bool) {
	for len(head) >= 30 && string(head[:4]) == "PK\x03\x04" {
		flags := binary.LittleEndian.Uint16(head[6:])
		size := int(binary.LittleEndian.Uint32(head[18:]))
		nameLen := int(binary.LittleEndian.Uint16(head[26:]))
		extraLen := int(binary.LittleEndian.Uint16(head[28:]))
		if 30+nameLen > len(head) {
			return names, true
		}
		names = append(names, string(head[30:30+nameLen]))
		if flags&8 != 0 {
			return names, false // sizes follow the data
		}
		next := 30 + nameLen + extraLen + size
		if next > len(head) {
			return names, true
		}
		head = head[next:]
	}
	return names, true
}

// slackEntry tells an archive entry that belongs to a Slack export.
func slackEntry(name string) bool {
	parts := strings.Split(strings.TrimSuffix(name, "/"), "/")
	if len(parts) > 1 && slackIgnored(parts[0]) {
		return false
	}
	last := parts[len(parts)-1]
	switch {
	case len(parts) <= 2 && slices.Contains(slackIndexFiles, last):
		return true
	case len(parts) >= 2 && len(parts) <= 3 && slackDayFile(last):
		return true
	}
	return false
}

func (SlackExport) Parse(ctx context.Context, in Input, sink Sink) error {
	fsys, closer, err := OpenZip(in.Path)
	if err != nil {
		return &ParseError{Format: slackFormat, Path: in.Path, Line: 1, Msg: "not a readable ZIP archive: " + err.Error(), Err: err}
	}
	defer closer.Close()
	return parseSlack(ctx, in, fsys, in.Path, sink)
}

// DetectDir recognises an unzipped export: an index file (users.json,
// channels.json), or folders of day files, or a folder of day files itself
// whose first day file starts like Slack's (an array of objects with "ts").
func (SlackExport) DetectDir(dir string) bool {
	fsys := DirFS(dir)
	if slackHasIndex(fsys) {
		return true
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return false
	}
	if slackDayFolder(fsys, ".", entries) {
		return true
	}
	for _, e := range entries {
		if !e.IsDir() || slackIgnored(e.Name()) {
			continue
		}
		days, err := fs.ReadDir(fsys, e.Name())
		if err == nil && slackDayFolder(fsys, e.Name(), days) {
			return true
		}
	}
	return false
}

// slackDayFolder tells a conversation folder: its first day file starts
// like one of Slack's.
func slackDayFolder(fsys fs.FS, dir string, entries []fs.DirEntry) bool {
	for _, e := range entries {
		if !e.Type().IsRegular() || !slackDayFile(e.Name()) {
			continue
		}
		f, err := fsys.Open(path.Join(dir, e.Name()))
		if err != nil {
			return false
		}
		defer f.Close()
		head := make([]byte, 4096)
		n, _ := io.ReadFull(f, head)
		head = bytes.TrimLeft(head[:n], " \t\r\n")
		return len(head) > 0 && head[0] == '[' && (n < 3 || bytes.Contains(head, []byte(`"ts"`)))
	}
	return false
}

// ParseDir reads an unzipped Slack export folder. Slack times are unix
// instants, so in.TZ is not needed.
func (SlackExport) ParseDir(ctx context.Context, in Input, sink Sink) error {
	st, err := os.Stat(in.Path)
	if err != nil {
		return &ParseError{Format: slackFormat, Path: in.Path, Line: 1, Msg: err.Error()}
	}
	if !st.IsDir() {
		return &ParseError{Format: slackFormat, Path: in.Path, Line: 1, Msg: "not a folder"}
	}
	return parseSlack(ctx, in, DirFS(in.Path), strings.TrimRight(in.Path, `/\`), sink)
}

// ParseSlackDir reads an unzipped Slack export folder. tz is accepted for
// symmetry with Input: Slack times are unix instants and need no zone.
func ParseSlackDir(ctx context.Context, dir string, tz *time.Location, sink Sink) error {
	return SlackExport{}.ParseDir(ctx, Input{Path: dir, TZ: tz}, sink)
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
var slackIndexFiles = []string{"users.json", "org_users.json", "channels.json", "groups.json", "mpims.json", "dms.json"}

// slackUser is what users.json says of a person.
type slackUser struct {
	name string
	bot  bool
}

type slackParser struct {
	ctx  context.Context
	in   Input
	fsys fs.FS
	root string // the export as the user named it, for messages
	sink Sink
	w    *jsonWalk

	users    map[string]slackUser // by user id, from users.json
	channels map[string]string    // channel id -> name, for <#C..> without a label
	groups   map[string]Group     // folder -> group
	dms      map[string]bool      // folders of 1:1 DMs
	persons  map[string]Person    // by user id, with the name resolved
	bots     map[string]bool      // bots whose role was sent
	linked   map[string]bool      // links rejected
	rootDay  string               // the group of day files at the top: a channel's own folder

	file    string // file being read, relative to the export
	group   Group
	latest  time.Time // of the messages read: the presences' as-of
	created int64     // latest "created" of the index, when there is no message

	arena []byte // the current message's strings
	cur   slackMsg
	out   []byte // rendered text
	msg   Message
	ev    Event
	role  Role
}

// slackSpan is a string of the current message, as arena[lo:hi].
type slackSpan struct{ lo, hi int }

func (sp slackSpan) empty() bool { return sp.hi == sp.lo }

type slackMsg struct {
	typ, subtype, user, botID, username, text, ts, threadTS, inviter slackSpan
	profDisplay, profReal, botName, fileMime, fileName, commenter    slackSpan
	attachText                                                       slackSpan
	files                                                            int
	botProfile                                                       bool
}

func (p *slackParser) str(sp slackSpan) string   { return string(p.arena[sp.lo:sp.hi]) }
func (p *slackParser) bytes(sp slackSpan) []byte { return p.arena[sp.lo:sp.hi] }

func parseSlack(ctx context.Context, in Input, fsys fs.FS, root string, sink Sink) error {
	p := &slackParser{
		ctx: ctx, in: in, fsys: fsys, root: root, sink: sink,
		users: map[string]slackUser{}, channels: map[string]string{}, groups: map[string]Group{},
		dms: map[string]bool{}, persons: map[string]Person{}, bots: map[string]bool{}, linked: map[string]bool{},
	}
	defer func() {
		if p.w != nil {
			p.w.release()
		}
	}()
	if err := p.findRoot(); err != nil {
		return err
	}
	for _, name := range []string{"users.json", "org_users.json"} {
		if err := p.index(name, slackReader{p.user}); err != nil {
			return err
		}
	}
	for _, name := range []string{"channels.json", "groups.json", "mpims.json"} {
		if err := p.index(name, slackReader{p.channel}); err != nil {
			return err
		}
	}
	if err := p.index("dms.json", slackReader{p.dm}); err != nil {
		return err
	}
	if err := p.folders(); err != nil {
		return err
	}
	return p.presences()
}

// slackReader reads the objects of an index file.
type slackReader struct{ each func() error }

func (r slackReader) read(int64) error { return r.each() }
func (r slackReader) emit(int64) error { return nil }

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
	if slackDayFolder(p.fsys, ".", entries) {
		// A conversation's folder of day files on its own.
		p.rootDay = strings.TrimSuffix(path.Base(filepath.ToSlash(p.root)), path.Ext(p.root))
		return nil
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
	for _, d := range dirs {
		if days, err := fs.ReadDir(p.fsys, d); err == nil && slackDayFolder(p.fsys, d, days) {
			return nil // conversation folders without the index files
		}
	}
	if len(dirs) == 1 {
		sub, err := fs.Sub(p.fsys, dirs[0])
		if err == nil {
			if subEntries, err := fs.ReadDir(sub, "."); err == nil {
				for _, e := range subEntries {
					if days, err := fs.ReadDir(sub, e.Name()); e.IsDir() && err == nil && slackDayFolder(sub, e.Name(), days) {
						p.fsys, p.root = sub, p.root+"/"+dirs[0]
						return nil
					}
				}
			}
		}
	}
	return p.archiveError("not a Slack export: no users.json or channels.json, and no folder of day files (YYYY-MM-DD.json), at its top")
}

func slackHasIndex(fsys fs.FS) bool {
	for _, name := range slackIndexFiles[:3] {
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

// errLinked is open's answer for a link: rejected, and skipped.
var errLinked = errors.New("a link inside the export")

// open starts the walk on one file of the export; a link is rejected,
// naming it, and errLinked returned.
func (p *slackParser) open(name string) (io.Closer, error) {
	f, err := p.fsys.Open(name)
	if err != nil {
		if errors.Is(err, ErrArchiveLimit) {
			if rerr := p.skipLink(name); rerr != nil {
				return nil, rerr
			}
			return nil, errLinked
		}
		return nil, err
	}
	in := p.in
	in.R, in.Path = f, p.root+"/"+name
	if p.w == nil {
		p.w = newJSONWalk(p.ctx, in, slackFormat, p.sink)
	} else {
		p.w.reset(in)
	}
	p.file = name
	return f, nil
}

// skipLink rejects a link inside the export folder: its target is not the
// export's (a day file linked to /etc/passwd must not load as messages).
func (p *slackParser) skipLink(name string) error {
	if p.linked[name] { // an index file is opened again for the presences
		return nil
	}
	p.linked[name] = true
	return p.sink.Reject(0, name+": a link inside the export: not followed", "")
}

// index reads one of the top-level arrays of objects, if present.
func (p *slackParser) index(name string, r slackReader) error {
	f, err := p.open(name)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, errLinked) {
		return nil
	}
	if err != nil {
		return p.archiveError(err.Error())
	}
	defer f.Close()
	w := p.w
	w.where = name + ": "
	if w.ws() != '[' {
		return w.unexpected("a JSON array (a Slack export's " + name + " is a list)")
	}
	if err := w.records("objects", r); err != nil {
		return err
	}
	if !w.atEnd() {
		return w.errorAt(w.pos, "invalid JSON: data after the end of the array")
	}
	return nil
}

// indexObject enters an object of an index file; any other value fails
// the file (an index that is not a list of objects is not Slack's).
func (p *slackParser) indexObject() error {
	return p.w.enter('{', "an object")
}

func (p *slackParser) user() error {
	w := p.w
	if err := p.indexObject(); err != nil {
		return err
	}
	line := w.lineAt(w.pos)
	var id, name, real, display, profReal string
	var admin, owner, bot bool
	for n := 0; ; {
		k, err := w.key(&n)
		if err != nil {
			return err
		}
		if k == nil {
			break
		}
		var b bool
		switch string(k) {
		case "id":
			id, err = w.stringOf()
		case "name":
			name, err = w.stringOf()
		case "real_name":
			real, err = w.stringOf()
		case "profile":
			err = p.profile(&display, &profReal)
		case "is_admin":
			b, err = w.boolean("is_admin")
			admin = admin || b
		case "is_owner", "is_primary_owner":
			b, err = w.boolean("is_owner")
			owner = owner || b
		case "is_bot", "is_app_user":
			b, err = w.boolean("is_bot")
			bot = bot || b
		default:
			err = w.skip()
		}
		if err != nil {
			return err
		}
	}
	if id == "" {
		return nil
	}
	u := slackUser{bot: bot || id == "USLACKBOT"}
	// The name Slack shows: display name, else full name, else handle.
	for _, n := range []string{display, profReal, real, name} {
		if n = strings.TrimSpace(n); n != "" {
			u.name = n
			break
		}
	}
	p.users[id] = u
	who := Person{UID: id, Name: u.name}
	for _, r := range []struct {
		is   bool
		role string
	}{{owner, RoleOwner}, {admin, RoleAdmin}} {
		if r.is {
			p.role = Role{Group: Group{Platform: "slack"}, Person: who, Role: r.role, Line: line}
			if err := p.sink.Role(&p.role); err != nil {
				return err
			}
		}
	}
	if u.bot {
		return p.bot(who, line)
	}
	return nil
}

// profile reads a user's "profile" object for its names.
func (p *slackParser) profile(display, real *string) error {
	w := p.w
	ok, err := w.object("profile")
	if !ok || err != nil {
		return err
	}
	for n := 0; ; {
		k, err := w.key(&n)
		if err != nil || k == nil {
			return err
		}
		switch string(k) {
		case "display_name":
			*display, err = w.stringOf()
		case "real_name":
			*real, err = w.stringOf()
		default:
			err = w.skip()
		}
		if err != nil {
			return err
		}
	}
}

// bot sends once that a person is a bot, for every Slack group.
func (p *slackParser) bot(who Person, line int64) error {
	if who.UID == "" || p.bots[who.UID] {
		return nil
	}
	if len(p.bots) < maxInterned {
		p.bots[who.UID] = true
	}
	p.role = Role{Group: Group{Platform: "slack"}, Person: who, Role: RoleBot, Line: line}
	return p.sink.Role(&p.role)
}

// channel reads a conversation of channels.json, groups.json or
// mpims.json; its members are read again at the end (presences).
func (p *slackParser) channel() error {
	w := p.w
	if err := p.indexObject(); err != nil {
		return err
	}
	var id, name string
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
			id, err = w.stringOf()
		case "name":
			name, err = w.stringOf()
		case "created":
			var b []byte
			if b, err = w.appendID("created", nil); err == nil {
				if c, ok := digits(b); ok && c > p.created {
					p.created = c
				}
			}
		default:
			err = w.skip()
		}
		if err != nil {
			return err
		}
	}
	if id == "" || name == "" {
		return nil
	}
	p.channels[id] = name
	p.groups[name] = Group{Platform: "slack", ExternalID: id, Name: name}
	return nil
}

func (p *slackParser) dm() error {
	w := p.w
	if err := p.indexObject(); err != nil {
		return err
	}
	for n := 0; ; {
		k, err := w.key(&n)
		if err != nil || k == nil {
			return err
		}
		if string(k) != "id" {
			if err := w.skip(); err != nil {
				return err
			}
			continue
		}
		id, err := w.stringOf()
		if err != nil {
			return err
		}
		if id != "" {
			p.dms[id] = true
		}
	}
}

// presences reads the member lists of the conversations again, now that the
// export's latest moment is known, and sends each member as present then.
func (p *slackParser) presences() error {
	asOf := p.latest
	if asOf.IsZero() && p.created > 0 {
		asOf = time.Unix(p.created, 0).UTC()
	}
	if asOf.IsZero() {
		return nil
	}
	for _, name := range []string{"channels.json", "groups.json", "mpims.json"} {
		if err := p.index(name, slackReader{func() error { return p.members(asOf) }}); err != nil {
			return err
		}
	}
	return nil
}

// members reads one conversation's "members" as presences.
func (p *slackParser) members(asOf time.Time) error {
	w := p.w
	if err := p.indexObject(); err != nil {
		return err
	}
	var id, name string
	var listed []string
	var lines []int64
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
			id, err = w.stringOf()
		case "name":
			name, err = w.stringOf()
		case "members":
			var ok bool
			if ok, err = w.array("members"); ok && err == nil {
				for i := 0; ; {
					var more bool
					if more, err = w.elem(&i); err != nil || !more {
						break
					}
					line := w.lineAt(w.pos)
					var b []byte
					if b, err = w.strValue("members"); err != nil {
						break
					}
					if len(b) > 0 {
						listed = append(listed, w.internBytes(b))
						lines = append(lines, line)
					}
				}
			}
		default:
			err = w.skip()
		}
		if err != nil {
			return err
		}
	}
	if id == "" || name == "" || p.dms[id] || w.bad {
		return nil
	}
	g := Group{Platform: "slack", ExternalID: id, Name: name}
	for i, uid := range listed {
		pr := Presence{Group: g, Member: p.person([]byte(uid), nil), AsOf: asOf, Line: lines[i]}
		if err := p.sink.Presence(&pr); err != nil {
			return err
		}
	}
	return nil
}

// folders reads every conversation folder's day files in order.
func (p *slackParser) folders() error {
	entries, err := fs.ReadDir(p.fsys, ".")
	if err != nil {
		return p.archiveError(err.Error())
	}
	if p.rootDay != "" {
		return p.days(".", entries, Group{Platform: "slack", ExternalID: p.rootDay, Name: p.rootDay})
	}
	for _, e := range entries {
		name := e.Name()
		if slackIgnored(name) || p.dms[name] {
			continue
		}
		if e.Type()&fs.ModeSymlink != 0 {
			if err := p.skipLink(name); err != nil {
				return err
			}
			continue
		}
		if !e.IsDir() {
			continue
		}
		days, err := fs.ReadDir(p.fsys, name)
		if err != nil {
			return p.archiveError(err.Error())
		}
		g, ok := p.groups[name]
		if !ok {
			g = Group{Platform: "slack", ExternalID: name, Name: name}
		}
		if err := p.days(name, days, g); err != nil {
			return err
		}
	}
	return nil
}

// days reads the day files of one conversation folder in date order.
func (p *slackParser) days(dir string, days []fs.DirEntry, g Group) error {
	sort.Slice(days, func(i, j int) bool { return days[i].Name() < days[j].Name() })
	for _, d := range days {
		if d.IsDir() || !slackDayFile(d.Name()) {
			continue
		}
		name := path.Join(dir, d.Name())
		if d.Type()&fs.ModeSymlink != 0 {
			if err := p.skipLink(name); err != nil {
				return err
			}
			continue
		}
		if err := p.ctx.Err(); err != nil {
			return err
		}
		if err := p.day(name, g); err != nil {
			return err
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
	if errors.Is(err, errLinked) {
		return nil
	}
	if err != nil {
		return p.archiveError(err.Error())
	}
	defer f.Close()
	p.group = g
	w := p.w
	w.where = name + ": "
	if w.ws() != '[' {
		return w.unexpected("a JSON array of messages")
	}
	if err := w.records("messages", p); err != nil {
		return err
	}
	if !w.atEnd() {
		return w.errorAt(w.pos, "invalid JSON: data after the end of the array")
	}
	return nil
}

// span appends a string value to the message's arena.
func (p *slackParser) span(key string, dst *slackSpan) error {
	lo := len(p.arena)
	var err error
	p.arena, err = p.w.appendStr(key, p.arena)
	*dst = slackSpan{lo, len(p.arena)}
	return err
}

// read decodes the message object at the walk into p.cur.
func (p *slackParser) read(int64) error {
	w, m := p.w, &p.cur
	*m = slackMsg{}
	p.arena = p.arena[:0]
	if w.ws() != '{' {
		w.reject("not a message object")
		return w.skip()
	}
	w.pos++
	w.depth++
	for n := 0; ; {
		k, err := w.key(&n)
		if err != nil {
			return err
		}
		if k == nil {
			return nil
		}
		switch string(k) {
		case "type":
			err = p.span("type", &m.typ)
		case "subtype":
			err = p.span("subtype", &m.subtype)
		case "user":
			err = p.span("user", &m.user)
		case "bot_id":
			err = p.span("bot_id", &m.botID)
		case "username":
			err = p.span("username", &m.username)
		case "text":
			err = p.span("text", &m.text)
		case "ts":
			err = p.span("ts", &m.ts)
		case "thread_ts":
			err = p.span("thread_ts", &m.threadTS)
		case "inviter":
			err = p.span("inviter", &m.inviter)
		case "files":
			err = p.readFiles()
		case "file":
			err = p.readFile()
		case "attachments":
			err = p.readAttachments()
		case "comment":
			err = p.readComment()
		case "user_profile":
			if _, known := p.users[string(p.bytes(m.user))]; known {
				err = w.skip() // users.json names them already
				break
			}
			err = p.readProfile()
		case "bot_profile":
			err = p.readBotProfile()
		default:
			err = w.skip()
		}
		if err != nil {
			return err
		}
	}
}

func (p *slackParser) readProfile() error {
	w, m := p.w, &p.cur
	ok, err := w.object("user_profile")
	if !ok || err != nil {
		return err
	}
	for n := 0; ; {
		k, err := w.key(&n)
		if err != nil || k == nil {
			return err
		}
		switch string(k) {
		case "display_name":
			err = p.span("user_profile.display_name", &m.profDisplay)
		case "real_name":
			err = p.span("user_profile.real_name", &m.profReal)
		default:
			err = w.skip()
		}
		if err != nil {
			return err
		}
	}
}

func (p *slackParser) readBotProfile() error {
	w, m := p.w, &p.cur
	ok, err := w.object("bot_profile")
	if !ok || err != nil {
		return err
	}
	m.botProfile = true
	for n := 0; ; {
		k, err := w.key(&n)
		if err != nil || k == nil {
			return err
		}
		if string(k) == "name" {
			err = p.span("bot_profile.name", &m.botName)
		} else {
			err = w.skip()
		}
		if err != nil {
			return err
		}
	}
}

// readComment reads the "comment" of a file_comment: its author.
func (p *slackParser) readComment() error {
	w, m := p.w, &p.cur
	ok, err := w.object("comment")
	if !ok || err != nil {
		return err
	}
	for n := 0; ; {
		k, err := w.key(&n)
		if err != nil || k == nil {
			return err
		}
		if string(k) == "user" {
			err = p.span("comment.user", &m.commenter)
		} else {
			err = w.skip()
		}
		if err != nil {
			return err
		}
	}
}

// readFiles counts the files and keeps the first one's mimetype and name.
func (p *slackParser) readFiles() error {
	w := p.w
	ok, err := w.array("files")
	if !ok || err != nil {
		return err
	}
	for n := 0; ; {
		more, err := w.elem(&n)
		if err != nil || !more {
			return err
		}
		if p.cur.files > 0 {
			p.cur.files++
			if err := w.skip(); err != nil {
				return err
			}
			continue
		}
		if err := p.readFile(); err != nil {
			return err
		}
	}
}

// readFile reads one file object: an element of "files", or the single
// "file" of older exports.
func (p *slackParser) readFile() error {
	w, m := p.w, &p.cur
	ok, err := w.object("file")
	if !ok || err != nil {
		return err
	}
	m.files++
	for n := 0; ; {
		k, err := w.key(&n)
		if err != nil || k == nil {
			return err
		}
		switch {
		case string(k) == "mimetype":
			err = p.span("file.mimetype", &m.fileMime)
		case string(k) == "name":
			err = p.span("file.name", &m.fileName)
		case string(k) == "title" && m.fileName.empty():
			err = p.span("file.title", &m.fileName)
		default:
			err = w.skip()
		}
		if err != nil {
			return err
		}
	}
}

// readAttachments keeps the text of message attachments, one line each:
// its fallback (Slack's plain-text summary), else its pretext, title and
// text. Only bot messages use it, when they have no text of their own.
func (p *slackParser) readAttachments() error {
	w, m := p.w, &p.cur
	ok, err := w.array("attachments")
	if !ok || err != nil {
		return err
	}
	text := p.out[:0]
	for i := 0; ; {
		more, err := w.elem(&i)
		if err != nil {
			return err
		}
		if !more {
			break
		}
		if ok, err := w.object("attachments"); err != nil {
			return err
		} else if !ok {
			continue
		}
		lo := len(p.arena) // this attachment's strings, dropped after
		var fallback, pretext, title, body slackSpan
		for n := 0; ; {
			k, err := w.key(&n)
			if err != nil {
				return err
			}
			if k == nil {
				break
			}
			switch string(k) {
			case "fallback":
				err = p.span("attachments.fallback", &fallback)
			case "pretext":
				err = p.span("attachments.pretext", &pretext)
			case "title":
				err = p.span("attachments.title", &title)
			case "text":
				err = p.span("attachments.text", &body)
			default:
				err = w.skip()
			}
			if err != nil {
				return err
			}
		}
		parts := []slackSpan{fallback}
		if fallback.empty() {
			parts = []slackSpan{pretext, title, body}
		}
		for _, sp := range parts {
			if sp.empty() {
				continue
			}
			if len(text) > 0 {
				text = append(text, '\n')
			}
			text = append(text, p.bytes(sp)...)
		}
		p.arena = p.arena[:lo]
	}
	m.attachText.lo = len(p.arena)
	p.arena = append(p.arena, text...)
	m.attachText.hi = len(p.arena)
	p.out = text
	return nil
}

// emit turns the message read into a Message, an Event or a reject.
func (p *slackParser) emit(line int64) error {
	m := &p.cur
	if !utf8.Valid(p.arena) {
		return p.w.badUTF8(line)
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
	if t.After(p.latest) {
		p.latest = t
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
	if m.user.empty() && !m.commenter.empty() {
		m.user = m.commenter // file_comment: the comment's author
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
	bot := p.isBot(subtype)
	if !m.user.empty() {
		msg.Sender = p.person(p.bytes(m.user), m)
	} else {
		name := m.username
		if name.empty() {
			name = m.botName
		}
		msg.Sender = Person{UID: p.str(m.botID), Name: p.str(name)}
	}
	src := m.text
	if bot && src.empty() {
		src = m.attachText
	}
	text, link := p.render(p.bytes(src), &msg.Mentions)
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
	if err := p.sink.Message(msg); err != nil {
		return err
	}
	if bot {
		return p.bot(msg.Sender, line)
	}
	return nil
}

// isBot tells a bot's message (see SlackExport).
func (p *slackParser) isBot(subtype string) bool {
	m := &p.cur
	if !m.user.empty() {
		if u, known := p.users[string(p.bytes(m.user))]; known {
			return u.bot
		}
		if string(p.bytes(m.user)) == "USLACKBOT" {
			return true
		}
	}
	return subtype == "bot_message" || m.botProfile || m.user.empty() && !m.botID.empty()
}

func (p *slackParser) reject(line int64, reason string) {
	//nolint:errcheck // the loader's sink does not fail on rejects
	p.sink.Reject(line, p.file+": "+reason, p.w.marked())
}

// person resolves a user id to its display name: users.json first, else
// the profile the message carries.
func (p *slackParser) person(uid []byte, m *slackMsg) Person {
	if pr, ok := p.persons[string(uid)]; ok && (pr.Name != "" || m == nil || m.profDisplay.empty() && m.profReal.empty()) {
		return pr
	}
	id := string(uid)
	pr := Person{UID: id, Name: p.users[id].name}
	if pr.Name == "" && m != nil {
		for _, sp := range []slackSpan{m.profDisplay, m.profReal} {
			if !sp.empty() {
				pr.Name = p.str(sp)
				break
			}
		}
	}
	if len(p.persons) < maxInterned {
		p.persons[id] = pr
	}
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
