package format

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// WhatsAppText reads WhatsApp's "Export chat" text file (.txt; iOS puts it
// in a zip as _chat.txt). Android writes
//
//	12/31/25, 9:05 PM - Alice Chen: Happy new year
//	second line of the same message
//	12/31/25, 9:06 PM - Alice Chen added Bob
//
// and iOS writes
//
//	[31/12/2025, 21:05:33] Alice Chen: Happy new year
//	‎[31/12/2025, 21:06:00] Reading Club: ‎Alice Chen added Bob
//
// The date is d/m/y, m/d/y or y/m/d with '/', '.' or '-' and two- or
// four-digit years, depending on the phone's locale; the clock is 24-hour or
// 12-hour (AM/PM, a.m./p.m., 上午/下午), with a space or a narrow no-break
// space (U+202F) before the AM/PM marker. U+200E marks may precede anything.
//
// A line with no "Name: " after the stamp is a system line (Android, old
// iOS). Newer iOS exports attribute system lines to the group's name or to
// the actor, with a U+200E before the text; both are recognised. Membership
// notices (English) become Events:
//
//	X added Y, Z and W                        referral by X
//	Y joined using this group's invite link   link
//	Y joined                                  unknown
//	X removed Y / Y left                      removed / leave
//
// "This message was deleted" and "You deleted this message" are recalls;
// "<Media omitted>" (Android, any media: file), "image omitted",
// "video omitted", "audio omitted", "sticker omitted", "GIF omitted",
// "document omitted" (iOS), "<attached: …>" / "<附件：…>" (iOS) and
// "NAME (file attached)" (Android) are media, typed by their file name.
//
// People are known by the name the exporting phone shows: a contact name,
// or a phone number, which becomes the UID "+8613800138000"; names become
// "name:"+name. "You" is the exporting account, whose own name the
// notices never give, so it is "name:You". The export has no group id: the
// group is the file name without "WhatsApp Chat with "; for an iOS
// _chat.txt, its "WhatsApp Chat - X" folder, else the name iOS gives the
// group as the author of the encryption notice.
type WhatsAppText struct {
	// DateOrder forces how a numeric date is read: "dmy" or "mdy". Empty
	// detects it from the first 256 KiB of the file: a first field above
	// 12 means d/m/y; else a second field above 12 means m/d/y; else a
	// first (second) field that goes down between dates of one year means
	// d/m/y (m/d/y); else d/m/y for 24-hour clocks and m/d/y for AM/PM.
	// When the file later contradicts a guess made without evidence, the
	// parse fails naming the line, so the user can force the order.
	// Dates that begin with a four-digit year are always y/m/d.
	DateOrder string
}

func (WhatsAppText) Name() string { return "whatsapp-txt" }

const (
	waFormat   = "whatsapp-txt"
	waHeadSize = 256 << 10
	waYou      = "You"
)

func (WhatsAppText) Detect(_ string, head []byte) bool {
	for len(head) > 0 {
		line, rest, _ := bytes.Cut(head, []byte("\n"))
		head = rest
		line = bytes.TrimRight(line, "\r")
		if len(bytes.TrimSpace(trimMarks(line))) == 0 {
			continue
		}
		_, ok := waParseStamp(line)
		return ok
	}
	return false
}

func (f WhatsAppText) Parse(ctx context.Context, in Input, sink Sink) error {
	br := bufferedInput(in.R)
	head := peekHead(br)
	p := waParser{
		lines: newLineReader(br, waFormat, in.Path),
		sink:  sink,
		tz:    in.TZ,
		names: map[string]Person{},
	}
	switch f.DateOrder {
	case "dmy", "mdy":
		p.order = f.DateOrder
	case "":
		p.order, p.guessed = waDetectOrder(head)
	default:
		return &ParseError{Format: waFormat, Path: in.Path, Msg: fmt.Sprintf("DateOrder %q: want dmy, mdy or empty", f.DateOrder)}
	}
	p.chatName = waSniffGroup(head)
	name := waChatName(in.Path, p.chatName)
	p.group = Group{Platform: "whatsapp", ExternalID: name, Name: name}
	return p.run(ctx)
}

type waParser struct {
	lines    *lineReader
	sink     Sink
	tz       *time.Location
	group    Group
	chatName string // the name iOS gives system lines, if the head shows it
	order    string
	guessed  bool

	msg     Message
	ev      Event
	author  []byte // "" for a system line
	body    []byte
	bad     string // why the current entry is rejected, if it is
	inMsg   bool
	sawAny  bool
	names   map[string]Person
	checked int
}

func (p *waParser) run(ctx context.Context) error {
	for {
		line, err := p.lines.next()
		if err == io.EOF {
			if err := p.emit(); err != nil {
				return err
			}
			if !p.sawAny {
				return &ParseError{Format: waFormat, Path: p.lines.path, Line: p.lines.n, Msg: "no messages found: not a WhatsApp chat export"}
			}
			return nil
		}
		if err != nil {
			return err
		}
		if p.checked++; p.checked&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := p.line(line); err != nil {
			return err
		}
	}
}

func (p *waParser) line(line []byte) error {
	st, ok := waParseStamp(line)
	if !ok {
		if !p.inMsg {
			if len(bytes.TrimSpace(trimMarks(line))) == 0 {
				return nil
			}
			return p.lines.errorf(line, "expected a WhatsApp line such as '12/31/25, 9:05 PM - Name: text' or '[31/12/2025, 21:05:33] Name: text'")
		}
		p.body = append(p.body, '\n')
		p.body = append(p.body, line...)
		return nil
	}
	if err := p.emit(); err != nil {
		return err
	}
	p.inMsg, p.sawAny, p.bad = true, true, ""
	p.msg = Message{Group: p.group, Line: p.lines.n, Mentions: p.msg.Mentions[:0]}
	t, err := st.time(p.order, p.tz)
	if err != nil {
		if _, otherErr := st.time(otherOrder(p.order), p.tz); p.guessed && otherErr == nil {
			return p.lines.errorf(line, fmt.Sprintf("%v, but the date order was guessed from the first lines: force it with --date-order dmy or mdy", err))
		}
		p.bad = err.Error()
		p.author = p.author[:0]
		p.body = append(p.body[:0], line...)
		return nil
	}
	p.msg.Time = t
	author, body := waSplitAuthor(st.rest, st.ios)
	p.author = append(p.author[:0], author...)
	p.body = append(p.body[:0], body...)
	return nil
}

// emit sends the entry being read, if any.
func (p *waParser) emit() error {
	if !p.inMsg {
		return nil
	}
	p.inMsg = false
	if p.bad != "" {
		return p.sink.Reject(p.msg.Line, p.bad, string(p.body))
	}
	body := p.body
	for len(body) > 0 && body[len(body)-1] == '\n' {
		body = body[:len(body)-1]
	}
	if len(p.author) == 0 {
		return p.system(string(trimMarks(body)))
	}
	lrm := bytes.HasPrefix(body, lrmBytes) || bytes.HasPrefix(body, rlmBytes)
	text := string(trimMarks(body))
	sender := p.person(p.author)
	m := &p.msg
	switch {
	case waIsEncryptionNotice(text):
		return p.system(text)
	case waIsRecall(text):
		m.Sender, m.Kind = sender, KindRecall
		return p.sink.Message(m)
	}
	if kind := waMediaKind(text); kind != "" {
		m.Sender, m.Kind, m.Text = sender, kind, text
		return p.sink.Message(m)
	}
	// iOS puts system lines under the group's name or the actor's, mostly
	// with a U+200E before the text. In a one-to-one chat the "group" is
	// the other person, so a plain text of theirs stays a message.
	byGroup := p.chatName != "" && sender.Name == p.chatName
	byActor := startsWithWord(text, sender.Name)
	if lrm || byGroup || byActor {
		if n, ok := waNotice(text); ok && (lrm || byGroup || n.involves(sender.Name)) {
			return p.events(n)
		}
		if (lrm && byGroup) || ((lrm || byActor) && waIsSystemPhrase(text)) {
			return p.system(text)
		}
	}
	text = waTrimEdited(text)
	m.Sender, m.Text = sender, text
	m.Kind = textOrLink(text)
	m.Mentions = waMentions(text, m.Mentions)
	return p.sink.Message(m)
}

// startsWithWord reports whether s begins with word and a space.
func startsWithWord(s, word string) bool {
	return len(s) > len(word) && s[len(word)] == ' ' && strings.HasPrefix(s, word)
}

// system handles a line without an author: membership events, or a
// system message.
func (p *waParser) system(text string) error {
	if n, ok := waNotice(text); ok {
		return p.events(n)
	}
	m := &p.msg
	m.Sender, m.Kind, m.Text = Person{}, KindSystem, text
	return p.sink.Message(m)
}

func (p *waParser) events(n waNote) error {
	ev := &p.ev
	for _, member := range n.members {
		*ev = Event{Group: p.group, Member: p.personString(member), Time: p.msg.Time, Kind: n.kind, Source: n.source, Line: p.msg.Line}
		if n.actor != "" && n.kind == EventJoin {
			ev.Inviter = p.personString(n.actor)
		}
		if err := p.sink.Event(ev); err != nil {
			return err
		}
	}
	return nil
}

// person maps an author as written to a Person, once per distinct name.
func (p *waParser) person(raw []byte) Person {
	if pe, ok := p.names[string(raw)]; ok {
		return pe
	}
	pe := waPerson(string(raw))
	p.names[string(raw)] = pe
	return pe
}

func (p *waParser) personString(raw string) Person {
	if pe, ok := p.names[raw]; ok {
		return pe
	}
	pe := waPerson(raw)
	p.names[raw] = pe
	return pe
}

// waPerson cleans a display name and keys it: a phone number by its digits,
// anything else by "name:"+name.
func waPerson(raw string) Person {
	name := waCleanName(raw)
	if strings.EqualFold(name, "you") {
		name = waYou
	}
	if uid, ok := waPhone(name); ok {
		return Person{UID: uid, Name: name}
	}
	return Person{UID: "name:" + name, Name: name}
}

// waCleanName drops direction marks and isolates around names and the "~ "
// iOS puts before names that are not in the phone's contacts.
func waCleanName(s string) string {
	if strings.ContainsAny(s, "\u200e\u200f\u202a\u202b\u202c\u2066\u2067\u2068\u2069") {
		s = strings.Map(func(r rune) rune {
			switch r {
			case '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u2066', '\u2067', '\u2068', '\u2069':
				return -1
			}
			return r
		}, s)
	}
	s = strings.TrimFunc(s, unicode.IsSpace)
	if rest, ok := strings.CutPrefix(s, "~"); ok {
		s = strings.TrimFunc(rest, unicode.IsSpace)
	}
	return s
}

// waPhone reads "+86 138 0013 8000", "+1 (777) 777‑7777" or "13800138000"
// as digits, keeping the leading +.
func waPhone(s string) (string, bool) {
	var b strings.Builder
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteByte('+')
		case r == ' ' || r == '-' || r == '(' || r == ')' || r == '.' || r == '\u00a0' || r == '\u2011' || r == '\u202f':
		default:
			return "", false
		}
	}
	if digits < 6 || digits > 15 {
		return "", false
	}
	return b.String(), true
}

// waNote is a membership notice.
type waNote struct {
	kind, source string
	members      []string
	actor        string // who added or removed them
}

func (n waNote) involves(name string) bool {
	if n.actor == name {
		return true
	}
	for _, m := range n.members {
		if m == name {
			return true
		}
	}
	return false
}

var waJoinSuffixes = []struct{ suffix, source string }{
	{" joined using this group's invite link", SourceLink},
	{" joined using this community's invite link", SourceLink},
	{" joined using a group link", SourceLink},
	{" joined using an invite link", SourceLink},
	{" joined from the community", SourceUnknown},
	{" joined", SourceUnknown},
}

// waNotice reads the English membership notices.
func waNotice(text string) (waNote, bool) {
	s := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(text), "."))
	if s == "" || strings.ContainsAny(s, "\n") {
		return waNote{}, false
	}
	switch s {
	case "You were added":
		return waNote{kind: EventJoin, source: SourceUnknown, members: []string{waYou}}, true
	case "You were removed":
		return waNote{kind: EventRemoved, members: []string{waYou}}, true
	}
	for _, j := range waJoinSuffixes {
		if who, ok := strings.CutSuffix(s, j.suffix); ok {
			return waOne(EventJoin, j.source, who)
		}
	}
	if who, ok := strings.CutSuffix(s, " left"); ok {
		return waOne(EventLeave, "", who)
	}
	if actor, list, ok := strings.Cut(s, " added "); ok {
		return waMany(EventJoin, SourceReferral, actor, list)
	}
	if actor, list, ok := strings.Cut(s, " removed "); ok {
		return waMany(EventRemoved, "", actor, list)
	}
	return waNote{}, false
}

func waOne(kind, source, who string) (waNote, bool) {
	who = strings.TrimSpace(who)
	if who == "" || strings.Contains(who, ": ") {
		return waNote{}, false
	}
	return waNote{kind: kind, source: source, members: []string{who}}, true
}

func waMany(kind, source, actor, list string) (waNote, bool) {
	actor = strings.TrimSpace(actor)
	if actor == "" || strings.Contains(actor, ": ") {
		return waNote{}, false
	}
	var members []string
	parts := strings.Split(list, ", ")
	last := parts[len(parts)-1]
	if a, b, ok := strings.Cut(last, " and "); ok {
		parts = append(parts[:len(parts)-1], a, b)
	}
	for _, m := range parts {
		if m = strings.TrimSpace(m); m == "" {
			return waNote{}, false
		}
		members = append(members, m)
	}
	return waNote{kind: kind, source: source, members: members, actor: actor}, true
}

func waIsEncryptionNotice(s string) bool {
	return strings.HasPrefix(s, "Messages and calls are end-to-end encrypted") ||
		strings.HasPrefix(s, "Messages to this group are now secured with end-to-end encryption") ||
		strings.HasPrefix(s, "Messages to this chat and calls are now secured with end-to-end encryption")
}

func waIsRecall(s string) bool {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "."))
	return s == "This message was deleted" || s == "You deleted this message"
}

// waIsSystemPhrase recognises the other English group notices.
func waIsSystemPhrase(s string) bool {
	for _, p := range []string{" created group ", " created this group", " changed the subject", " changed this group's",
		" changed the group ", " deleted this group's", " pinned a message", " changed their phone number",
		" is now an admin", " no longer an admin", " security code ", " turned on disappearing messages",
		" turned off disappearing messages", " reset this group's invite link"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return strings.HasPrefix(s, "You're now an admin") || strings.HasPrefix(s, "You created group ")
}

// waTrimEdited drops the marker Android appends to edited messages.
func waTrimEdited(s string) string {
	if t, ok := strings.CutSuffix(s, "<This message was edited>"); ok {
		return strings.TrimRightFunc(t, func(r rune) bool { return unicode.IsSpace(r) || r == '\u200e' })
	}
	return s
}

// Localised "<Media omitted>" of Android exports without media.
var waMediaOmitted = map[string]bool{
	"<media omitted>": true, "<省略多媒体文件>": true, "<忽略多媒體檔>": true, "<medien ausgeschlossen>": true,
	"<medien weggelassen>": true, "<multimedia omitido>": true, "<archivo omitido>": true, "<médias omis>": true,
	"<fichier omis>": true, "<mídia omitida>": true, "<media omessi>": true, "<без медиафайлов>": true,
}

// iOS names the omitted media.
var waOmitted = []struct{ suffix, kind string }{
	{"image omitted", KindImage},
	{"video omitted", KindVideo},
	{"audio omitted", KindVoice},
	{"sticker omitted", KindSticker},
	{"gif omitted", KindImage},
	{"document omitted", KindFile},
	{"contact card omitted", KindFile},
}

// waMediaKind returns the kind of a media placeholder, or "".
func waMediaKind(text string) string {
	first, _, _ := strings.Cut(text, "\n")
	first = strings.TrimSpace(first)
	if len(first) < 5 {
		return ""
	}
	// Every placeholder ends in '>', ')' or "omitted": skip the rest cheaply.
	if last := first[len(first)-1]; last != '>' && last != ')' && last|0x20 != 'd' {
		return ""
	}
	lower := strings.ToLower(strings.ReplaceAll(first, "\u200e", ""))
	if waMediaOmitted[lower] {
		return KindFile
	}
	for _, o := range waOmitted {
		if lower == o.suffix || lower == "<"+o.suffix+">" {
			return o.kind
		}
	}
	if strings.HasSuffix(lower, " document omitted") {
		return KindFile
	}
	if lower[len(lower)-1] == '>' {
		for _, open := range []string{"<attached: ", "<附件：", "<附件: "} {
			if i := strings.LastIndex(lower, open); i >= 0 {
				return waFileKind(strings.TrimSpace(lower[i+len(open) : len(lower)-1]))
			}
		}
	}
	if name, ok := strings.CutSuffix(lower, " (file attached)"); ok {
		return waFileKind(strings.TrimSpace(name))
	}
	return ""
}

// waFileKind types an attachment by WhatsApp's file naming:
// IMG-/VID-/PTT-/AUD-/STK- on Android, 00000012-PHOTO-… on iOS.
func waFileKind(name string) string {
	name = strings.ToLower(name)
	switch {
	case strings.HasPrefix(name, "img-") || strings.Contains(name, "-photo-") || strings.HasPrefix(name, "gif-") || strings.Contains(name, "-gif-"):
		return KindImage
	case strings.HasPrefix(name, "vid-") || strings.Contains(name, "-video-"):
		return KindVideo
	case strings.HasPrefix(name, "ptt-") || strings.HasPrefix(name, "aud-") || strings.Contains(name, "-audio-"):
		return KindVoice
	case strings.HasPrefix(name, "stk-") || strings.Contains(name, "-sticker-"):
		return KindSticker
	}
	switch filepath.Ext(name) {
	case ".jpg", ".jpeg", ".png", ".heic", ".gif":
		return KindImage
	case ".webp":
		return KindSticker
	case ".mp4", ".mov", ".3gp":
		return KindVideo
	case ".opus", ".m4a", ".mp3", ".aac", ".ogg", ".amr":
		return KindVoice
	}
	return KindFile
}

// waMentions collects "@name" tokens; newer exports wrap the name in
// U+2068…U+2069 so it may hold spaces.
func waMentions(text string, dst []string) []string {
	if !strings.Contains(text, "@\u2068") {
		return mentions(text, dst)
	}
	for i := 0; i < len(text); {
		j := strings.Index(text[i:], "@\u2068")
		if j < 0 {
			return mentions(text[i:], dst)
		}
		dst = mentions(text[i:i+j], dst)
		start := i + j + len("@\u2068")
		end := strings.Index(text[start:], "\u2069")
		if end < 0 {
			return mentions(text[start:], dst)
		}
		if name := waCleanName(text[start : start+end]); name != "" {
			dst = append(dst, name)
		}
		i = start + end + len("\u2069")
	}
	return dst
}

// waStamp is the start of a WhatsApp line.
type waStamp struct {
	f         [3]int // the date's fields as written
	w         [3]int // and their digit counts
	hour, min int
	sec       int
	ampm      byte // 'a', 'p' or 0 for a 24-hour clock
	ios       bool
	rest      []byte // after "] " or " - "
}

var (
	lrmBytes = []byte("\u200e")
	rlmBytes = []byte("\u200f")
)

// trimMarks drops leading U+200E/U+200F marks and a BOM.
func trimMarks(b []byte) []byte {
	for {
		switch {
		case bytes.HasPrefix(b, lrmBytes):
			b = b[len(lrmBytes):]
		case bytes.HasPrefix(b, rlmBytes):
			b = b[len(rlmBytes):]
		case bytes.HasPrefix(b, []byte("\ufeff")):
			b = b[3:]
		default:
			return b
		}
	}
}

// waParseStamp reads "12/31/25, 9:05 PM - " or "[31/12/2025, 21:05:33] ".
func waParseStamp(line []byte) (waStamp, bool) {
	var st waStamp
	b := trimMarks(line)
	if len(b) < 12 {
		return st, false
	}
	if b[0] == '[' {
		st.ios = true
		b = b[1:]
	}
	var sep byte
	for k := 0; k < 3; k++ {
		n, w := 0, 0
		for w < len(b) && w < 5 && b[w] >= '0' && b[w] <= '9' {
			n = n*10 + int(b[w]-'0')
			w++
		}
		if w == 0 || w > 4 {
			return st, false
		}
		st.f[k], st.w[k] = n, w
		b = b[w:]
		if k == 2 {
			break
		}
		if len(b) == 0 || (b[0] != '/' && b[0] != '.' && b[0] != '-') || (sep != 0 && b[0] != sep) {
			return st, false
		}
		sep = b[0]
		b = b[1:]
		if len(b) > 0 && b[0] == ' ' {
			b = b[1:]
		}
	}
	if st.w[2] != 2 && st.w[2] != 4 && st.w[0] != 4 {
		return st, false
	}
	if len(b) > 0 && b[0] == '.' { // "13. 6. 2018."
		b = b[1:]
	}
	if len(b) > 0 && b[0] == ',' {
		b = b[1:]
	}
	b = skipSpaces(b)
	// A word between date and time: "klo", "à", 上午/下午.
	for k := 0; k < 4 && len(b) > 0 && (b[0] < '0' || b[0] > '9'); k++ {
		var word []byte
		end := bytes.IndexAny(b, " 0123456789")
		if end < 0 || end > 12 {
			return st, false
		}
		word, b = b[:end], skipSpaces(b[end:])
		switch string(word) {
		case "上午", "凌晨", "早上":
			st.ampm = 'a'
		case "下午", "晚上", "中午":
			st.ampm = 'p'
		}
	}
	// Clock: h:mm[:ss] or h.mm[.ss].
	var t [3]int
	nt := 0
	for nt < 3 {
		n, w := 0, 0
		for w < len(b) && w < 3 && b[w] >= '0' && b[w] <= '9' {
			n = n*10 + int(b[w]-'0')
			w++
		}
		if w == 0 || w > 2 || (nt > 0 && w != 2) {
			return st, false
		}
		t[nt] = n
		nt++
		b = b[w:]
		if nt < 3 && len(b) > 1 && (b[0] == ':' || b[0] == '.') && b[1] >= '0' && b[1] <= '9' {
			b = b[1:]
			continue
		}
		break
	}
	if nt < 2 {
		return st, false
	}
	st.hour, st.min, st.sec = t[0], t[1], t[2]
	if ap, rest, ok := waAMPM(skipSpaces(b)); ok {
		st.ampm, b = ap, rest
	}
	if st.ios {
		if len(b) == 0 || b[0] != ']' {
			return st, false
		}
		b = b[1:]
		if len(b) > 0 && b[0] == ' ' {
			b = b[1:]
		}
		st.rest = b
		return st, true
	}
	rest, ok := bytes.CutPrefix(b, []byte(" - "))
	if !ok {
		return st, false
	}
	st.rest = rest
	return st, true
}

func skipSpaces(b []byte) []byte {
	for len(b) > 0 {
		switch {
		case b[0] == ' ':
			b = b[1:]
		case bytes.HasPrefix(b, []byte("\u202f")), bytes.HasPrefix(b, []byte("\u00a0")):
			_, size := utf8.DecodeRune(b)
			b = b[size:]
		default:
			return b
		}
	}
	return b
}

// waAMPM reads AM, PM, am, a.m., p. m. and the like.
func waAMPM(b []byte) (byte, []byte, bool) {
	if len(b) < 2 {
		return 0, b, false
	}
	c := b[0] | 0x20
	if c != 'a' && c != 'p' {
		return 0, b, false
	}
	r := b[1:]
	if len(r) > 0 && r[0] == '.' {
		r = r[1:]
	}
	if len(r) > 0 && r[0] == ' ' {
		r = r[1:]
	}
	if len(r) == 0 || r[0]|0x20 != 'm' {
		return 0, b, false
	}
	r = r[1:]
	if len(r) > 0 && r[0] == '.' {
		r = r[1:]
	}
	return c, r, true
}

func otherOrder(order string) string {
	if order == "mdy" {
		return "dmy"
	}
	return "mdy"
}

// time assembles the stamp in the given date order and zone.
func (st waStamp) time(order string, tz *time.Location) (time.Time, error) {
	var y, mo, d int
	switch {
	case st.w[0] == 4:
		y, mo, d = st.f[0], st.f[1], st.f[2]
	case order == "mdy":
		mo, d, y = st.f[0], st.f[1], st.f[2]
	default:
		d, mo, y = st.f[0], st.f[1], st.f[2]
	}
	if st.w[0] != 4 && st.w[2] == 2 {
		y += 2000
	}
	h := st.hour
	switch st.ampm {
	case 'a', 'p':
		if h < 1 || h > 12 {
			return time.Time{}, fmt.Errorf("hour %d is not a 12-hour clock", h)
		}
		if h == 12 {
			h = 0
		}
		if st.ampm == 'p' {
			h += 12
		}
	}
	if mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || st.min > 59 || st.sec > 59 {
		return time.Time{}, fmt.Errorf("no such date or time: %s", st.dateString(order))
	}
	t := time.Date(y, time.Month(mo), d, h, st.min, st.sec, 0, tz)
	if t.Day() != d {
		return time.Time{}, fmt.Errorf("no such date: %s", st.dateString(order))
	}
	return t, nil
}

func (st waStamp) dateString(order string) string {
	if st.w[0] == 4 {
		order = "ymd"
	}
	return fmt.Sprintf("%d/%d/%d read as %s", st.f[0], st.f[1], st.f[2], strings.Join(strings.Split(order, ""), "/"))
}

// waSplitAuthor splits "Name: text"; a system line has no author. On iOS
// the colon may be followed by U+200E, and Android system text may itself
// hold ": " (a quoted subject), so only the first ": " counts.
func waSplitAuthor(rest []byte, ios bool) ([]byte, []byte) {
	i := bytes.Index(rest, []byte(": "))
	if i <= 0 {
		if bytes.HasSuffix(rest, []byte(":")) && len(rest) > 1 { // an empty message
			return rest[:len(rest)-1], nil
		}
		return nil, rest
	}
	author := rest[:i]
	// An Android system text that quotes something with ": " is not a name.
	if !ios && bytes.ContainsAny(author, "\"“") {
		return nil, rest
	}
	return author, rest[i+2:]
}

// waDetectOrder reads the dates in the head and decides d/m/y or m/d/y;
// guessed is true when no date in the head proves it.
func waDetectOrder(head []byte) (order string, guessed bool) {
	var prev waStamp
	havePrev, twelve := false, false
	firstAbove, secondAbove := false, false
	firstDown, secondDown := false, false
	for len(head) > 0 {
		line, rest, _ := bytes.Cut(head, []byte("\n"))
		head = rest
		st, ok := waParseStamp(bytes.TrimRight(line, "\r"))
		if !ok || st.w[0] == 4 {
			continue
		}
		firstAbove = firstAbove || (st.f[0] > 12 && st.f[0] <= 31)
		secondAbove = secondAbove || (st.f[1] > 12 && st.f[1] <= 31)
		if st.ampm != 0 {
			twelve = true
		}
		if havePrev && prev.f[2] == st.f[2] {
			if st.f[0] < prev.f[0] {
				firstDown = true
			}
			if st.f[1] < prev.f[1] {
				secondDown = true
			}
		}
		prev, havePrev = st, true
	}
	switch {
	case firstAbove:
		return "dmy", false
	case secondAbove:
		return "mdy", false
	case firstDown && !secondDown:
		return "dmy", false
	case secondDown && !firstDown:
		return "mdy", false
	case twelve:
		return "mdy", true
	}
	return "dmy", true
}

// waChatName names the group after the export file: "WhatsApp Chat with
// X.txt" is X. An iOS "_chat.txt" takes the name of its folder ("WhatsApp
// Chat - X"), else the name iOS gives the group inside the file (sniffed).
func waChatName(path, sniffed string) string {
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	if base != "_chat" {
		if name, ok := waStripPrefix(base); ok {
			return name
		}
		return base
	}
	dir := filepath.Base(filepath.Dir(path))
	if name, ok := waStripPrefix(dir); ok {
		return name
	}
	if sniffed != "" {
		return sniffed
	}
	if dir != "." && dir != string(filepath.Separator) {
		return dir
	}
	return base
}

func waStripPrefix(s string) (string, bool) {
	for _, prefix := range []string{"WhatsApp Chat with ", "WhatsApp Chat - ", "WhatsApp Chat mit ", "Chat de WhatsApp con ",
		"Conversa do WhatsApp com ", "Discussion WhatsApp avec ", "Chat WhatsApp con ", "WhatsApp_Chat_with_", "WhatsApp_Chat_-_"} {
		if rest, ok := strings.CutPrefix(s, prefix); ok && strings.TrimSpace(rest) != "" {
			return strings.TrimSpace(strings.ReplaceAll(rest, "_", " ")), true
		}
	}
	return "", false
}

// waSniffGroup finds the group's name where iOS writes it: as the author of
// the end-to-end encryption notice.
func waSniffGroup(head []byte) string {
	for len(head) > 0 {
		line, rest, _ := bytes.Cut(head, []byte("\n"))
		head = rest
		st, ok := waParseStamp(bytes.TrimRight(line, "\r"))
		if !ok || !st.ios {
			continue
		}
		author, body := waSplitAuthor(st.rest, true)
		if len(author) > 0 && waIsEncryptionNotice(string(trimMarks(body))) {
			return waCleanName(string(author))
		}
	}
	return ""
}
