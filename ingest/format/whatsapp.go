package format

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"strings"
	"time"
	"unicode"
)

// WhatsAppText reads WhatsApp's "Export chat" text file (.txt; iOS puts it
// in "WhatsApp Chat - X.zip" as _chat.txt, which is read from the zip).
// Android writes
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
// The stamp follows the phone's locale: d/m/y, m/d/y or y/m/d with '/', '.'
// or '-' and two- or four-digit years; a 24-hour or 12-hour clock whose
// day period (AM, p. m., 午後, 오후, SA/CH, ap./ip. ...) may stand before or
// after the time, after a space, U+00A0 or U+202F; Finnish "klo" between
// date and time.
//
// Structure comes before words. A line with no "Name: " after the stamp
// (Android) and a line whose text begins with U+200E (iOS marks every
// system line so, in every language) is a system line: it is never a
// member's message. Its words are read with the notice tables of
// locales/whatsapp.json: membership notices become Events (added: a join by
// referral with the Inviter; invite link: a join by link; left; removed,
// with the Actor), other notices system messages; a system line no table
// knows goes to Sink.UnknownNotice. Lines iOS and newer Android exports
// attribute to the group's own name are system lines too, and so is a line
// whose text is a notice about its author ("T1: You removed T1").
//
// The export's language is detected from the head of the file (the
// language whose notices and placeholders it contains most), or forced by
// Input.Lang. Every language's whole-message placeholders are known
// whatever the language: deleted messages ("This message was deleted",
// "Diese Nachricht wurde gelöscht") are recalls, "This message was deleted
// by admin X" a recall whose Actor is X; "<Media omitted>", "image
// omitted", "<attached: …>", "… (file attached)" are media typed by file
// name; calls ("Missed voice call") and "Waiting for this message" are
// system rows in the member's name, so they count as neither messages nor
// senders, and so is an empty "Name:" line (WhatsApp leaves the text of
// view-once and disappearing messages out); a shared location is a file,
// not a link; "POLL:" is the member's message and an Activity of type
// "vote".
//
// People are known by the name the exporting phone shows: a contact name,
// or a phone number, which becomes the UID "+8613800138000"; names become
// "name:"+name, in notices as in messages, so a notice's person and that
// person's messages are one identity. "You" (and the language's word for
// it) is the exporting account, "name:You". An author's name may hold ": ":
// of the prefixes of a line that end at ": ", the longest already known as
// a person (an earlier author, or a name a notice gave) is the author, else
// the shortest. The export has no group id: the group is the file name
// without "WhatsApp Chat with " (and the localised forms), for an iOS
// _chat.txt its "WhatsApp Chat - X" folder, else the name iOS gives the group
// as the author of the encryption notice; for a zip, the name the notices
// give, else the zip's name.
type WhatsAppText struct {
	// DateOrder forces how a numeric date is read: "dmy" or "mdy". Empty
	// detects it from the first 256 KiB of the file: a first field above
	// 12 means d/m/y; else a second field above 12 means m/d/y; else a
	// first (second) field that goes down between dates of one year means
	// d/m/y (m/d/y); else the date in the name of an attached file
	// (IMG-20240710-WA0001.jpg) that agrees with one order only; else, for a
	// Korean export with a two-digit year first ("26. 3. 12."), y/m/d; else
	// d/m/y for 24-hour clocks and m/d/y for AM/PM: a guess, which the
	// parser notes (format.Note: the load says so beside the file) and
	// which, when the file later contradicts it, fails the parse naming the
	// line, so the user can force the order. Dates that begin with a
	// four-digit year are always y/m/d.
	DateOrder string
}

func (WhatsAppText) Name() string { return "whatsapp-txt" }

const (
	waFormat   = "whatsapp-txt"
	waHeadSize = 256 << 10
	waYou      = "You"
	waRawMax   = 4 << 10 // bytes of a rejected or unknown entry kept with it
)

var zipMagic = []byte("PK\x03\x04")

func (WhatsAppText) Detect(name string, head []byte) bool {
	if bytes.HasPrefix(head, zipMagic) {
		return waZipHasChat(name, head)
	}
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

// waZipHasChat recognises an export zip from its head: a local file header
// names _chat.txt (iOS) or "WhatsApp Chat with X.txt" (Android), or the zip
// itself is named as WhatsApp names exports.
func waZipHasChat(name string, head []byte) bool {
	base := filepath.Base(name)
	if ext := filepath.Ext(base); strings.EqualFold(ext, ".zip") {
		if _, ok := waStripPrefix(strings.TrimSuffix(base, ext)); ok {
			return true
		}
	}
	for off := 0; off+30 <= len(head) && bytes.Equal(head[off:off+4], zipMagic); {
		flags := binary.LittleEndian.Uint16(head[off+6:])
		comp := int(binary.LittleEndian.Uint32(head[off+18:]))
		nameLen := int(binary.LittleEndian.Uint16(head[off+26:]))
		extra := int(binary.LittleEndian.Uint16(head[off+28:]))
		if off+30+nameLen > len(head) {
			return false
		}
		if waIsChatEntry(string(head[off+30 : off+30+nameLen])) {
			return true
		}
		if flags&8 != 0 { // sizes come after the data: the next header cannot be found
			return false
		}
		off += 30 + nameLen + extra + comp
	}
	return false
}

func waIsChatEntry(name string) bool {
	base := path.Base(name)
	if base == "_chat.txt" {
		return true
	}
	if !strings.HasSuffix(base, ".txt") {
		return false
	}
	_, ok := waStripPrefix(strings.TrimSuffix(base, ".txt"))
	return ok
}

func (f WhatsAppText) Parse(ctx context.Context, in Input, sink Sink) error {
	br := bufferedInput(in.R)
	if head, _ := br.Peek(len(zipMagic)); bytes.Equal(head, zipMagic) {
		return f.parseZip(ctx, in, sink)
	}
	return f.parseText(ctx, in, br, in.Path, "", sink)
}

// parseZip reads the chat file of an export zip.
func (f WhatsAppText) parseZip(ctx context.Context, in Input, sink Sink) error {
	fsys, closer, err := OpenZip(in.Path)
	if err != nil {
		return &ParseError{Format: waFormat, Path: in.Path, Msg: "unreadable zip: " + err.Error(), Err: err}
	}
	defer closer.Close()
	entry := ""
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if strings.Count(p, "/") >= 1 || strings.HasPrefix(path.Base(p), "__MACOSX") {
				return fs.SkipDir // the chat file sits at the top or one folder down
			}
			return nil
		}
		if waIsChatEntry(p) && (entry == "" || path.Base(p) == "_chat.txt") {
			entry = p
		}
		return nil
	})
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return &ParseError{Format: waFormat, Path: in.Path, Msg: err.Error(), Err: err}
	}
	if entry == "" {
		return &ParseError{Format: waFormat, Path: in.Path, Msg: "no _chat.txt or \"WhatsApp Chat … .txt\" in the zip: not a WhatsApp export", Err: ErrUnknownFormat}
	}
	r, err := fsys.Open(entry)
	if err != nil {
		return &ParseError{Format: waFormat, Path: in.Path, Msg: err.Error(), Err: err}
	}
	defer r.Close()
	text, _ := Decode(bufio.NewReaderSize(r, waHeadSize))
	return f.parseText(ctx, in, text, in.Path+"/"+entry, in.Path, sink)
}

// parseText reads the chat text; zipPath is the zip it came from, if any.
func (f WhatsAppText) parseText(ctx context.Context, in Input, r io.Reader, path, zipPath string, sink Sink) error {
	br := bufferedInput(r)
	head := peekHead(br)
	p := waParser{
		lines: in.lineReaderAt(br, waFormat, path),
		sink:  sink,
		tab:   waLoadTables(),
		names: map[string]Person{},
		max:   in.MaxMessageBytes(),
	}
	if in.Lang != "" {
		lang, ok := waNormLang(in.Lang)
		if !ok {
			return &ParseError{Format: waFormat, Path: path, Msg: fmt.Sprintf("language %q: want one of %s", in.Lang, strings.Join(waLangCodes(), ", "))}
		}
		p.lang = lang
	}
	p.sniffHead(head)
	switch f.DateOrder {
	case "dmy", "mdy":
		p.order = f.DateOrder
	case "":
		p.order, p.guessed = waDetectOrder(head)
		if (p.lang == "ko" || p.lang == "") && p.koShortYear {
			// "26. 3. 14.": the 26 is the year, whatever the fields allow;
			// of the CLDR short dates only Korean is written so.
			p.order, p.guessed = "ymd", false
		}
	default:
		return &ParseError{Format: waFormat, Path: path, Msg: fmt.Sprintf("DateOrder %q: want dmy, mdy or empty", f.DateOrder)}
	}
	if f.DateOrder == "" {
		order := p.order
		if p.guessed {
			order += NoteGuessed
		}
		Note(sink, NoteDateOrder, order)
	}
	if in.Lang == "" && p.lang != "" {
		Note(sink, NoteLang, p.lang)
	}
	name := waChatName(in.Path, p.chatName)
	if zipPath != "" {
		name = p.chatName
		if name == "" {
			name = waChatName(zipPath, "")
		}
	}
	p.group = Group{Platform: "whatsapp", ExternalID: name, Name: name}
	p.tz = in.Location(p.group)
	p.setActive()
	return p.run(ctx)
}

type waParser struct {
	lines    *lineReader
	sink     Sink
	tab      *waTables
	tz       *time.Location
	group    Group
	chatName string // the name iOS gives system lines, if the head shows it
	order    string
	guessed  bool
	max      int

	lang        string      // the export's language, "" when unknown
	active      []*waLocale // its table and English: for placeholders with words around them
	all         []*waLocale // active first, then the rest: for system lines
	encryption  []*waTemplate
	koShortYear bool // dates like "26. 3. 12."

	msg    Message
	ev     Event
	act    Activity
	head   []byte // the entry's first line up to its text, for rejects and unknown notices
	author []byte // "" for a system line
	body   []byte
	bad    string // why the current entry is rejected, if it is
	inMsg  bool
	sawAny bool
	names  map[string]Person
	caps   [4]string
	known  func(string) bool
	// firstBytes and lastBytes rule out, from one byte, the messages no
	// pattern with words before (after) the text can fit.
	firstBytes, lastBytes [256]bool
	ios                   bool   // the entry has the iOS layout
	sender                Person // the entry's author, when already met
	senderOK              bool
	colonNames            int                 // names met that hold ": "; preferKnown has work only then
	seen                  map[string]struct{} // cleaned names of every person met

	checked int
}

// sniffHead reads the head of the export for what the whole file needs:
// its language (unless forced), the name iOS gives the group, the Korean
// date layout, and the names notices give (so that a name holding ": " is
// known before its author's first line).
func (p *waParser) sniffHead(head []byte) {
	score := map[string]int{}
	var caps [4]string
	for n := 0; len(head) > 0; n++ {
		line, rest, _ := bytes.Cut(head, []byte("\n"))
		head = rest
		st, ok := waParseStamp(bytes.TrimRight(line, "\r"))
		if !ok {
			continue
		}
		if st.yyFirst {
			p.koShortYear = true
		}
		author, body := waSplitAuthor(st.rest, st.ios)
		lrm := bytes.HasPrefix(body, lrmBytes) || bytes.HasPrefix(body, rlmBytes)
		body = bytes.TrimSpace(trimMarks(body))
		if len(body) == 0 {
			continue
		}
		if e, ok := p.tab.lookupExact(string(body)); ok {
			score[e.lang]++
			continue
		}
		text := string(body)
		if p.tab.attachedLast[text[len(text)-1]] {
			for _, l := range p.tab.locales {
				for _, t := range l.attached {
					if _, ok := waMatchAttached(t, text); ok {
						score[l.code]++
					}
				}
			}
		}
		if len(author) > 0 && !lrm && (p.chatName != "" || n > 50) {
			// A member's message: only the encryption notice's author is
			// wanted, and that notice opens the export.
			continue
		}
		nt := waNoticeText(text)
		for _, l := range p.tab.locales {
			for _, t := range l.notices {
				if t.kind != waEncryption {
					continue
				}
				if _, ok := t.match(nt, nil, caps[:0]); ok {
					score[l.code] += 2
					if len(author) > 0 && p.chatName == "" {
						p.chatName = waCleanName(string(author))
					}
				}
			}
		}
		if len(author) > 0 && !lrm {
			continue
		}
		for _, l := range p.tab.locales {
			if n, ok := l.notice(nt, nil); ok {
				score[l.code]++
				for _, m := range n.members {
					p.personString(m)
				}
			}
		}
	}
	if p.lang != "" {
		return
	}
	best := 0
	for _, l := range p.tab.locales { // English first: it wins ties
		if score[l.code] > best {
			p.lang, best = l.code, score[l.code]
		}
	}
}

// setActive orders the tables: the export's language and English for
// what is matched on every message, then every other language for system
// lines, so that a line in another language is still understood.
func (p *waParser) setActive() {
	p.active = p.active[:0]
	if l := p.tab.byCode[p.lang]; l != nil {
		p.active = append(p.active, l)
	}
	if p.lang != "en" {
		p.active = append(p.active, p.tab.byCode["en"])
	}
	p.all = append(p.all[:0], p.active...)
	for _, l := range p.tab.locales {
		if l.code != p.lang && l.code != "en" {
			p.all = append(p.all, l)
		}
	}
	for _, l := range p.active {
		for _, t := range l.notices {
			if t.kind == waEncryption {
				p.encryption = append(p.encryption, t)
			}
		}
	}
	// First and last bytes the words matched on every message can have:
	// a message that has none of them skips those checks.
	first := func(s string, anyCase bool) {
		if s == "" {
			return
		}
		p.firstBytes[s[0]] = true
		if anyCase {
			p.firstBytes[lowerASCII(s[0])] = true
			if c := s[0]; 'a' <= c && c <= 'z' {
				p.firstBytes[c-'a'+'A'] = true
			}
		}
	}
	last := func(s string) {
		if s != "" {
			p.lastBytes[s[len(s)-1]] = true
		}
	}
	for _, t := range p.encryption {
		first(t.lits[0], false)
	}
	for _, l := range p.active {
		for _, t := range l.recallBy {
			first(t.lits[0], false)
		}
		for _, t := range l.location {
			first(t.lits[0], true) // iOS writes "Location:", Android "location:"
		}
		for _, q := range l.polls {
			first(q.poll, false)
		}
		for _, t := range l.attached {
			last(t.lits[len(t.lits)-1])
		}
		for _, e := range l.edited {
			last(e)
		}
	}
	p.known = func(name string) bool {
		if _, ok := p.names[name]; ok {
			return true
		}
		clean := waCleanName(name)
		if _, ok := p.names[clean]; ok {
			return true
		}
		_, ok := p.seen[clean]
		return ok
	}
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
		if len(p.body)+1+len(line) > p.max {
			if p.bad == "" {
				p.bad = fmt.Sprintf("message longer than %d bytes", p.max)
			}
			return nil // not held in memory
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
	t, err := st.timeIn(p.order[0], p.tz)
	if err != nil {
		if _, otherErr := st.time(otherOrder(p.order), p.tz); p.guessed && otherErr == nil {
			return p.lines.errorf(line, fmt.Sprintf("%v, but the date order was guessed from the first lines: force it with --date-order dmy or mdy", err))
		}
		p.bad = err.Error()
		p.author = p.author[:0]
		p.head = p.head[:0]
		p.body = append(p.body[:0], line[:min(len(line), p.max)]...)
		return nil
	}
	p.msg.Time = t
	author, body := waSplitAuthor(st.rest, st.ios)
	p.ios = st.ios
	p.senderOK = false
	if len(author) > 0 {
		if p.colonNames > 0 {
			author, body = p.preferKnown(st.rest, author, body)
		}
		p.sender, p.senderOK = p.names[string(author)]
		if !p.senderOK && !st.ios && bytes.IndexByte(author, ' ') > 0 && !p.knownRaw(author) {
			// An Android notice that itself holds ": " ("Ana added this
			// group to the community: Town") has no author: the words
			// before its ": " are no name (one word is, and so is a phone
			// number). Only when no name the notice gives holds ": "
			// unless known: "Alice: Bob left" is Alice's message.
			if _, phone := waPhone(waCleanName(string(author))); !phone {
				nt := waNoticeText(string(trimMarks(st.rest)))
				if n, ok := p.noticeIn(p.active, nt); ok && !p.gluedName(n, nt) {
					author, body = nil, st.rest
				}
			}
		}
	}
	p.author = append(p.author[:0], author...)
	p.head = append(p.head[:0], line[:len(line)-len(body)]...)
	if len(body) > p.max {
		p.bad = fmt.Sprintf("message longer than %d bytes", p.max)
		body = body[:p.max]
	}
	p.body = append(p.body[:0], body...)
	return nil
}

// gluedName reports whether the notice reading of text starts with a name
// "X: Y" nobody is known by: that is a sender and their text read as one
// name ("Alice: Bob left"), while in "Ana added Dr: Who" the name holding
// ": " comes after the actor.
func (p *waParser) gluedName(n waNote, text string) bool {
	for _, name := range append([]string{n.actor}, n.members...) {
		if strings.Contains(name, ": ") && strings.HasPrefix(text, name) && !p.known(name) {
			return true
		}
	}
	return false
}

// preferKnown applies the rule for names holding ": ": of the prefixes of
// rest that end at ": ", the longest one already known as a person is the
// author.
func (p *waParser) preferKnown(rest, author, body []byte) ([]byte, []byte) {
	const reach = 160 // no display name is longer
	best := -1
	for from := len(author) + 2; from < len(rest) && from < reach; {
		k := bytes.Index(rest[from:], []byte(": "))
		if k < 0 || from+k > reach {
			break
		}
		j := from + k
		if p.knownRaw(rest[:j]) {
			best = j
		}
		from = j + 2
	}
	if best < 0 {
		return author, body
	}
	return rest[:best], rest[best+2:]
}

func (p *waParser) knownRaw(name []byte) bool { return p.known(string(name)) }

// rawEntry is the entry as the file has it, cut to waRawMax bytes.
func (p *waParser) rawEntry(body []byte) string {
	n := min(len(body), max(0, waRawMax-len(p.head)))
	return string(p.head) + string(body[:n])
}

// emit sends the entry being read, if any.
func (p *waParser) emit() error {
	if !p.inMsg {
		return nil
	}
	p.inMsg = false
	body := p.body
	for len(body) > 0 && body[len(body)-1] == '\n' {
		body = body[:len(body)-1]
	}
	if p.bad != "" {
		return p.sink.Reject(p.msg.Line, p.bad, p.rawEntry(body))
	}
	if len(p.author) == 0 {
		return p.systemLine(body)
	}
	return p.authored(body)
}

// systemLine handles a line the layout marks as WhatsApp's own.
func (p *waParser) systemLine(body []byte) error {
	text := string(trimMarks(body))
	if n, ok := p.notice(waNoticeText(text)); ok {
		return p.apply(n, Person{}, strings.TrimSpace(text))
	}
	return p.sink.UnknownNotice(p.msg.Line, p.rawEntry(body))
}

// notice reads a system line's words: the export's language first, then
// English, then every other language.
func (p *waParser) notice(text string) (waNote, bool) { return p.noticeIn(p.all, text) }

func (p *waParser) noticeIn(locales []*waLocale, text string) (waNote, bool) {
	if text == "" || strings.IndexByte(text, '\n') >= 0 {
		return waNote{}, false
	}
	for _, l := range locales {
		if n, ok := l.notice(text, p.known); ok {
			return n, true
		}
	}
	return waNote{}, false
}

// authored handles a line with "Name: " after the stamp.
func (p *waParser) authored(body []byte) error {
	lrm := bytes.HasPrefix(body, lrmBytes) || bytes.HasPrefix(body, rlmBytes)
	text := strings.TrimLeft(string(trimMarks(body)), "\n")
	sender := p.sender
	if !p.senderOK {
		sender = p.person(p.author)
	}
	m := &p.msg
	m.Sender = sender
	if strings.TrimSpace(text) == "" {
		// WhatsApp leaves the text of view-once and disappearing messages
		// out: the member posted, but nothing the export can show.
		m.Kind, m.Text = KindSystem, ""
		return p.sink.Message(m)
	}
	e, ok := p.tab.lookupExact(text)
	if !ok {
		// iOS puts a U+200E before the placeholder that follows a caption
		// or a file's description: "report • ‎2 pages ‎document omitted".
		if i := strings.Index(text, "\u200e"); p.ios && i >= 0 {
			i = strings.LastIndex(text, "\u200e")
			if e, ok = p.tab.lookupExact(text[i:]); ok && e.kind != KindImage && e.kind != KindVideo && e.kind != KindVoice && e.kind != KindSticker && e.kind != KindFile {
				ok = false // only media take a description before them
			}
		}
	}
	if ok {
		switch e.kind {
		case waExactRecall:
			m.Kind, m.Text = KindRecall, ""
		case waExactCall, waExactWaiting:
			m.Kind, m.Text = KindSystem, strings.TrimSpace(text)
		case waExactLocation:
			m.Kind, m.Text = KindFile, text
		default:
			m.Kind, m.Text = e.kind, text
		}
		return p.sink.Message(m)
	}
	prefixed := p.firstBytes[text[0]]
	if prefixed && p.isEncryption(text) {
		m.Sender, m.Kind, m.Text = Person{}, KindSystem, text
		return p.sink.Message(m)
	}
	if prefixed {
		if actor, ok := p.recalledBy(text); ok {
			m.Kind, m.Text, m.Actor = KindRecall, "", p.personString(actor)
			return p.sink.Message(m)
		}
	}
	if kind := p.attachedKind(text); kind != "" {
		m.Kind, m.Text = kind, text
		return p.sink.Message(m)
	}
	if prefixed && p.isLocation(text) {
		m.Kind, m.Text = KindFile, text
		return p.sink.Message(m)
	}
	if prefixed {
		if title, ok := p.poll(text); ok {
			m.Kind, m.Text = KindText, text
			if err := p.sink.Message(m); err != nil {
				return err
			}
			p.act = Activity{Group: p.group, Time: m.Time, Type: "vote", Title: title, Line: m.Line}
			return p.sink.Activity(&p.act)
		}
	}
	// iOS marks every notice with U+200E; iOS and newer Android put
	// notices under the group's name, or under the person they are about.
	byGroup := p.chatName != "" && sender.Name == p.chatName
	if lrm || byGroup || p.aboutSender(text, sender.Name) {
		if n, ok := p.notice(waNoticeText(text)); ok && (lrm || byGroup || n.involves(sender.Name)) {
			if byGroup {
				sender = Person{}
			}
			return p.apply(n, sender, strings.TrimSpace(text))
		}
		if lrm {
			return p.sink.UnknownNotice(p.msg.Line, p.rawEntry(body))
		}
	}
	text = p.trimEdited(text)
	m.Text = text
	m.Kind = textOrLink(text)
	m.Mentions = waMentions(text, m.Mentions)
	return p.sink.Message(m)
}

// aboutSender reports whether text may be a notice about its author:
// notices begin or end with a name ("Boris changed this group's icon",
// "You removed T1", "이지은님이 퇴장하였습니다").
func (p *waParser) aboutSender(text, name string) bool {
	if len(text) > 512 || text == "" {
		return false
	}
	if c := text[len(text)-1]; c == '.' || c == ' ' || c == 0x82 { // 。 ends in 0x82
		text = strings.TrimRight(text, ".。 ")
	}
	return strings.HasPrefix(text, name) || strings.HasSuffix(text, name) || strings.HasPrefix(text, waYou+" ")
}

// apply sends a notice: membership events, or a system message.
func (p *waParser) apply(n waNote, by Person, text string) error {
	if n.isSystem() {
		m := &p.msg
		m.Sender, m.Kind, m.Text = Person{}, KindSystem, text
		return p.sink.Message(m)
	}
	var kind, source string
	switch n.kind {
	case waAdded:
		kind, source = EventJoin, SourceReferral
	case waAddedUnknown, waJoined, waJoinedCommunity:
		kind, source = EventJoin, SourceUnknown
	case waJoinedLink:
		kind, source = EventJoin, SourceLink
	case waLeft:
		kind = EventLeave
	case waRemoved, waRemovedUnknown:
		kind = EventRemoved
	}
	var actor Person
	if n.actor != "" {
		actor = p.personString(n.actor)
	}
	ev := &p.ev
	for _, member := range n.members {
		*ev = Event{Group: p.group, Member: p.personString(member), Time: p.msg.Time, Kind: kind, Source: source, Line: p.msg.Line}
		switch {
		case kind == EventJoin && source == SourceReferral:
			ev.Inviter = actor
		case kind == EventRemoved:
			ev.Actor = actor
		}
		if err := p.sink.Event(ev); err != nil {
			return err
		}
	}
	return nil
}

func (p *waParser) isEncryption(text string) bool {
	if len(text) < 12 {
		return false
	}
	nt := text
	var caps [4]string
	for _, t := range p.encryption {
		if !strings.HasPrefix(nt, t.lits[0]) {
			continue
		}
		if _, ok := t.match(waNoticeText(nt), nil, caps[:0]); ok {
			return true
		}
	}
	return false
}

// recalledBy reads "This message was deleted by admin X".
func (p *waParser) recalledBy(text string) (string, bool) {
	for _, l := range p.active {
		for _, t := range l.recallBy {
			if !strings.HasPrefix(text, t.lits[0]) {
				continue
			}
			if caps, ok := t.match(waNoticeText(text), p.known, p.caps[:0]); ok {
				return strings.TrimSpace(caps[0]), true
			}
		}
	}
	return "", false
}

// attachedKind types "IMG-….jpg (file attached)" and "<attached: …>" by
// the file's name; text may go on after the first line (a caption).
func (p *waParser) attachedKind(text string) string {
	first, _, _ := strings.Cut(text, "\n")
	first = strings.TrimRight(first, " \r")
	if len(first) < 5 || !p.lastBytes[first[len(first)-1]] {
		return ""
	}
	for _, l := range p.active {
		for _, t := range l.attached {
			if name, ok := waMatchAttached(t, first); ok {
				return waFileKind(strings.TrimSpace(strings.ReplaceAll(name, "\u200e", "")))
			}
		}
	}
	return ""
}

// waMatchAttached fits the first line of a message to "{file} (file
// attached)" or "<attached: {file}>", which iOS may put after a caption.
func waMatchAttached(t *waTemplate, first string) (string, bool) {
	if len(t.holes) != 1 {
		return "", false
	}
	pre, suf := t.lits[0], t.lits[1]
	if !strings.HasSuffix(first, suf) {
		return "", false
	}
	s := first[:len(first)-len(suf)]
	if pre == "" {
		return s, s != ""
	}
	i := strings.LastIndex(s, pre)
	if i < 0 || i+len(pre) >= len(s) {
		return "", false
	}
	return s[i+len(pre):], true
}

// isLocation reads "location: https://maps.google.com/?q=…" (any case: iOS
// writes "Location:").
func (p *waParser) isLocation(text string) bool {
	for _, l := range p.active {
		for _, t := range l.location {
			pre := t.lits[0]
			if len(text) > len(pre) && strings.EqualFold(text[:len(pre)], pre) {
				return true
			}
		}
	}
	return false
}

// poll reads "POLL:\nQuestion\nOPTION: A (2 votes)" and returns the question.
func (p *waParser) poll(text string) (string, bool) {
	for _, l := range p.active {
		for _, q := range l.polls {
			rest, ok := strings.CutPrefix(text, q.poll)
			if !ok {
				continue
			}
			rest = strings.TrimLeft(rest, " \n")
			title, _, _ := strings.Cut(rest, "\n")
			if strings.HasPrefix(title, q.option) {
				title = ""
			}
			return strings.TrimSpace(title), true
		}
	}
	return "", false
}

// trimEdited drops the marker Android appends to edited messages.
func (p *waParser) trimEdited(s string) string {
	if s == "" || !p.lastBytes[s[len(s)-1]] {
		return s
	}
	for _, l := range p.active {
		for _, e := range l.edited {
			if t, ok := strings.CutSuffix(s, e); ok {
				return strings.TrimRightFunc(t, func(r rune) bool { return unicode.IsSpace(r) || r == '\u200e' })
			}
		}
	}
	return s
}

// person maps an author as written to a Person, once per distinct name.
func (p *waParser) person(raw []byte) Person {
	if pe, ok := p.names[string(raw)]; ok {
		return pe
	}
	return p.personString(string(raw))
}

func (p *waParser) personString(raw string) Person {
	if pe, ok := p.names[raw]; ok {
		return pe
	}
	pe := waPerson(raw)
	p.names[raw] = pe
	if strings.Contains(raw, ": ") {
		p.colonNames++
	}
	if pe.Name != raw { // a name as written elsewhere, marks and all, is found by its clean form
		if p.seen == nil {
			p.seen = map[string]struct{}{}
		}
		p.seen[pe.Name] = struct{}{}
	}
	return pe
}

// waSplitAuthor splits "Name: text"; a system line has no author. On iOS
// the colon may be followed by U+200E instead of a space (zh-Hant exports
// write "Name:‎<附件：…>", WP), and Android system text may itself hold
// ": " (a quoted subject), so only the first ": " counts here.
func waSplitAuthor(rest []byte, ios bool) ([]byte, []byte) {
	i := bytes.Index(rest, []byte(": "))
	if ios {
		if j := bytes.Index(rest, []byte(":\u200e")); j > 0 && (i < 0 || j < i) {
			return rest[:j], rest[j+1:]
		}
		if i < 0 {
			if j := bytes.Index(rest, []byte(":<")); j > 0 { // "Name:<附件：…>" (WP)
				return rest[:j], rest[j+1:]
			}
		}
	}
	if i <= 0 {
		if bytes.HasSuffix(rest, []byte(":")) && len(rest) > 1 { // an empty message
			return rest[:len(rest)-1], nil
		}
		return nil, rest
	}
	author := rest[:i]
	// An Android system text that quotes something with ": " is not a name.
	if !ios && waQuoted(author) {
		return nil, rest
	}
	return author, rest[i+2:]
}

// waQuoted reports whether b holds a quotation mark a notice puts around a
// group's subject: "…", “…”, „…“, «…», 「…」.
func waQuoted(b []byte) bool {
	if bytes.IndexByte(b, '"') >= 0 {
		return true
	}
	for i := 0; i < len(b); i++ {
		if b[i] >= 0x80 {
			return bytes.ContainsAny(b[i:], "“„«「")
		}
	}
	return false
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

// waFilePrefixes are the names exports are saved under (CA's list, with
// "_" for spaces as some mail clients save them); the table's chat_file
// entries (WhatsApp's own "WhatsApp Chat with %s" per language) add to it.
var waFilePrefixes = []string{"WhatsApp Chat with ", "WhatsApp Chat - ", "Chat de WhatsApp con ", "Чат WhatsApp с ",
	"Chat WhatsApp con ", "Conversa no WhatsApp com ", "Conversa do WhatsApp com ", "WhatsApp Chat mit ", "Discussion WhatsApp avec "}

func waStripPrefix(s string) (string, bool) {
	try := func(s string) (string, bool) {
		for _, prefix := range waFilePrefixes {
			if rest, ok := strings.CutPrefix(s, prefix); ok && strings.TrimSpace(rest) != "" {
				return strings.TrimSpace(rest), true
			}
		}
		var caps [4]string
		for _, l := range waLoadTables().locales {
			for _, t := range l.chatFile {
				if c, ok := t.match(s, nil, caps[:0]); ok && len(c) == 1 {
					return strings.TrimSpace(c[0]), true
				}
			}
		}
		return "", false
	}
	if name, ok := try(s); ok {
		return name, true
	}
	if strings.Contains(s, "_") {
		if name, ok := try(strings.ReplaceAll(s, "_", " ")); ok {
			return name, true
		}
	}
	return "", false
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
