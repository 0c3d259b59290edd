package format

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Mapped reads the chat export of any other tool — a CSV with a header, JSON
// Lines, or Parquet — through a mapping file that names the column of each
// field. The formats are never detected: the user picks one with
// --format mapped-csv|mapped-jsonl|mapped-parquet and --mapping map.yaml.
//
// A mapping file (YAML):
//
//	platform: wecom                # stored with each group
//	group: conversation            # column holding the group's name, or
//	group_name: "星河产品交流群"     # the name of the one group in the file
//	group_id: conversation_id      # optional column with the group's id
//	time: sent_at
//	time_format: "2006-01-02 15:04:05"   # a Go layout (read in --tz), or unix, unix_ms, rfc3339
//	sender_id: user_id             # sender_id and/or sender_name
//	sender_name: user_name
//	text: content
//	kind: type                     # optional; values text, image, sticker, voice, video,
//	kind_values: {photo: image}    #   file, link, system, recall, or mapped here
//	message_id: message_id         # optional: the platform's message id
//	reply_to: reply_to             # optional: the id of the message answered
//	mentions: mentions             # optional: a list split at , ; or ，; else the @names in the text
//	event:                         # optional: rows that are membership changes
//	  column: action
//	  join: [member_joined]        # one value or a list, matched without case
//	  leave: member_left
//	  removed: member_removed
//	inviter_id: invited_by         # optional: who added the member (a referral join)
//
// In JSON Lines a column is a key, and "a.b" reaches into nested objects
// ({"text": {"content": "..."}} is text.content); numbers are read as
// written, a mentions array of strings as the list. Parquet columns are
// top-level columns; a timestamp-typed time column is used as is (its
// time_format ignored), a date or wall-clock timestamp is read in --tz.
// A message whose kind is text but whose text holds a web address is a link.
// Rows whose event value is join/leave/removed become Events (a join with an
// inviter is a referral, else of unknown source); other rows are messages.
// Unreadable rows (bad time, no sender, unknown kind, a JSON line that does
// not parse) are rejected; for Parquet the "line" is the row number.
type Mapped struct {
	Kind string   // "csv", "jsonl" or "parquet"
	Map  *Mapping // from LoadMapping; Parse refuses to run without it
}

// MappedKinds are the kinds of Mapped format, for the registry.
var MappedKinds = []string{"csv", "jsonl", "parquet"}

func (f Mapped) Name() string { return "mapped-" + f.Kind }

// Detect is always false: a mapped format is chosen by the user.
func (Mapped) Detect(string, []byte) bool { return false }

func (f Mapped) Parse(ctx context.Context, in Input, sink Sink) error {
	if f.Map == nil {
		return &ParseError{Format: f.Name(), Path: in.Path, Line: 1, Msg: f.Name() + " needs a mapping file (--mapping map.yaml)"}
	}
	b := newMappedBuilder(f, in, sink)
	switch f.Kind {
	case "csv":
		return b.csv(ctx, in)
	case "jsonl":
		return b.jsonl(ctx, in)
	case "parquet":
		return parseMappedParquet(ctx, b, in)
	}
	return &ParseError{Format: f.Name(), Path: in.Path, Line: 1, Msg: fmt.Sprintf("unknown mapped format %q (known: %s)", f.Kind, strings.Join(MappedKinds, ", "))}
}

// Mapping says which column of a generic export holds which field.
type Mapping struct {
	Path       string // the mapping file, named in errors
	Platform   string
	Group      string // column with the group name...
	GroupName  string // ...or the name of the file's one group
	GroupID    string // optional column with the group's id
	Time       string
	TimeFormat string // Go layout, or unix, unix_ms, rfc3339
	SenderID   string
	SenderName string
	Text       string
	Kind       string
	KindValues map[string]string // lower-case column value -> kind
	MessageID  string
	ReplyTo    string
	Mentions   string
	Event      *EventMapping
	InviterID  string

	lines map[string]int // key -> line in the mapping file
}

// EventMapping names the column that marks membership rows and its values.
type EventMapping struct {
	Column               string
	Join, Leave, Removed []string
}

// Fields of a row, in the order the readers fill them.
const (
	mfGroup = iota
	mfGroupID
	mfTime
	mfSenderID
	mfSenderName
	mfText
	mfKind
	mfMessageID
	mfReplyTo
	mfMentions
	mfEvent
	mfInviter
	mfCount
)

// mappingKeys lists the keys of a mapping file: the row field each fills
// (-1 for settings), and what it is for, for error messages.
var mappingKeys = []struct {
	key   string
	field int
	help  string
}{
	{"platform", -1, "the platform of the groups, e.g. wecom"},
	{"group", mfGroup, "the column holding the group's name"},
	{"group_name", -1, "the name of the file's one group"},
	{"group_id", mfGroupID, "the column holding the group's id"},
	{"time", mfTime, "the column holding each message's time"},
	{"time_format", -1, "a Go layout such as 2006-01-02 15:04:05, or unix, unix_ms, rfc3339"},
	{"sender_id", mfSenderID, "the column holding the sender's user id"},
	{"sender_name", mfSenderName, "the column holding the sender's display name"},
	{"text", mfText, "the column holding the message text"},
	{"kind", mfKind, "the column holding the message kind"},
	{"kind_values", -1, "a map from kind column values to kinds"},
	{"message_id", mfMessageID, "the column holding the platform's message id"},
	{"reply_to", mfReplyTo, "the column holding the id of the message answered"},
	{"mentions", mfMentions, "the column holding the mentioned users"},
	{"event", mfEvent, "the column marking join/leave/removed rows and their values"},
	{"inviter_id", mfInviter, "the column holding who added the member"},
}

// mappedKinds are the kinds a message may have.
var mappedKinds = []string{KindText, KindImage, KindSticker, KindVoice, KindVideo, KindFile, KindLink, KindSystem, KindRecall}

var mappedYAMLLine = regexp.MustCompile(`line (\d+)`)

// LoadMapping reads and checks a mapping file; errors name the file and
// the line of the offending key.
func LoadMapping(path string) (*Mapping, error) {
	root, fail, err := readMappingYAML(path, "empty mapping file; it needs at least platform, group or group_name, time, time_format, sender_id or sender_name, and text")
	if err != nil {
		return nil, err
	}
	m := &Mapping{Path: path, lines: map[string]int{}}
	nodes := map[string]*yaml.Node{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, fail(k.Line, "a key must be a plain word")
		}
		if mappingHelp(k.Value) == "" {
			return nil, fail(k.Line, "unknown key %q%s (known: %s)", k.Value, mappingSuggest(k.Value), mappingKeyList())
		}
		if first, dup := m.lines[k.Value]; dup {
			return nil, fail(k.Line, "key %q given twice (first on line %d)", k.Value, first)
		}
		m.lines[k.Value] = k.Line
		nodes[k.Value] = v
	}
	scalar := func(key string, dst *string) error {
		v, ok := nodes[key]
		if !ok {
			return nil
		}
		if v.Kind != yaml.ScalarNode || v.Tag == "!!null" || strings.TrimSpace(v.Value) == "" {
			return fail(v.Line, "%s must be a non-empty value: %s", key, mappingHelp(key))
		}
		*dst = strings.TrimSpace(v.Value)
		return nil
	}
	for key, dst := range map[string]*string{
		"platform": &m.Platform, "group": &m.Group, "group_name": &m.GroupName, "group_id": &m.GroupID,
		"time": &m.Time, "time_format": &m.TimeFormat, "sender_id": &m.SenderID, "sender_name": &m.SenderName,
		"text": &m.Text, "kind": &m.Kind, "message_id": &m.MessageID, "reply_to": &m.ReplyTo,
		"mentions": &m.Mentions, "inviter_id": &m.InviterID,
	} {
		if err := scalar(key, dst); err != nil {
			return nil, err
		}
	}
	for _, key := range []string{"platform", "time", "time_format", "text"} {
		if _, ok := nodes[key]; !ok {
			return nil, fail(root.Line, "missing key %q: %s", key, mappingHelp(key))
		}
	}
	switch {
	case m.Group == "" && m.GroupName == "":
		return nil, fail(root.Line, `missing key "group" (%s) or "group_name" (%s)`, mappingHelp("group"), mappingHelp("group_name"))
	case m.Group != "" && m.GroupName != "":
		return nil, fail(m.lines["group_name"], `give "group" or "group_name", not both`)
	case m.SenderID == "" && m.SenderName == "":
		return nil, fail(root.Line, `missing key "sender_id" (%s) or "sender_name" (%s)`, mappingHelp("sender_id"), mappingHelp("sender_name"))
	}
	m.Platform = strings.ToLower(m.Platform)
	if err := checkTimeFormat(m.TimeFormat); err != nil {
		return nil, fail(nodes["time_format"].Line, "time_format %q: %v", m.TimeFormat, err)
	}
	if special := strings.ToLower(m.TimeFormat); special == "unix" || special == "unix_ms" || special == "rfc3339" {
		m.TimeFormat = special
	}
	if v, ok := nodes["kind_values"]; ok {
		if m.KindValues, err = mappingKindValues(v, fail); err != nil {
			return nil, err
		}
		if m.Kind == "" {
			return nil, fail(v.Line, `kind_values needs "kind", the column they are values of`)
		}
	}
	if v, ok := nodes["event"]; ok {
		if m.Event, err = mappingEvent(v, m.lines["event"], fail); err != nil {
			return nil, err
		}
	} else if m.InviterID != "" {
		return nil, fail(m.lines["inviter_id"], `inviter_id needs "event", the column marking join rows`)
	}
	return m, nil
}

// readMappingYAML reads a mapping file's top-level map; fail makes an
// error naming the file and a line.
func readMappingYAML(path, emptyHelp string) (*yaml.Node, func(int, string, ...any) error, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	fail := func(line int, format string, args ...any) error {
		return &ParseError{Format: "mapping", Path: path, Line: int64(max(line, 1)), Msg: fmt.Sprintf(format, args...)}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line := 1
		if m := mappedYAMLLine.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		msg = mappedYAMLLine.ReplaceAllString(msg, "")
		msg = strings.Join(strings.Fields(strings.Trim(msg, ": ")), " ")
		if strings.HasPrefix(msg, "did not find expected") {
			// yaml.v3 numbers the lines of parser (not scanner) errors from 0.
			last := bytes.Count(data, []byte("\n"))
			if len(data) > 0 && data[len(data)-1] != '\n' {
				last++
			}
			line = min(line+1, max(last, 1))
		}
		return nil, nil, fail(line, "invalid YAML: %s", msg)
	}
	if len(doc.Content) == 0 {
		return nil, nil, fail(1, "%s", emptyHelp)
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, nil, fail(root.Line, "a mapping file is a YAML map of key: value lines")
	}
	return root, fail, nil
}

// checkTimeFormat accepts unix, unix_ms, rfc3339 or a Go layout that holds
// at least a year, a month and a day.
func checkTimeFormat(f string) error {
	switch strings.ToLower(f) {
	case "unix", "unix_ms", "rfc3339":
		return nil
	}
	ref := time.Date(2021, 3, 4, 5, 6, 7, 0, time.UTC)
	t, err := time.Parse(f, ref.Format(f))
	if err != nil || t.Year() != 2021 || t.Month() != 3 || t.Day() != 4 {
		return errors.New("not a Go layout with a year, month and day: write the reference time Mon Jan 2 15:04:05 2006 the way the data shows it, e.g. \"2006-01-02 15:04:05\" or \"02/01/2006 15:04\", or use unix, unix_ms or rfc3339")
	}
	return nil
}

func mappingKindValues(v *yaml.Node, fail func(int, string, ...any) error) (map[string]string, error) {
	if v.Kind != yaml.MappingNode {
		return nil, fail(v.Line, "kind_values must be a map of column value: kind")
	}
	out := map[string]string{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		if k.Kind != yaml.ScalarNode || val.Kind != yaml.ScalarNode {
			return nil, fail(k.Line, "kind_values must be a map of column value: kind")
		}
		kind := strings.ToLower(strings.TrimSpace(val.Value))
		if !slices.Contains(mappedKinds, kind) {
			return nil, fail(val.Line, "kind_values: %q is not a kind (kinds: %s)", val.Value, strings.Join(mappedKinds, ", "))
		}
		out[strings.ToLower(strings.TrimSpace(k.Value))] = kind
	}
	return out, nil
}

func mappingEvent(v *yaml.Node, keyLine int, fail func(int, string, ...any) error) (*EventMapping, error) {
	if v.Kind != yaml.MappingNode {
		return nil, fail(v.Line, "event must be a map with column, and join, leave and/or removed values")
	}
	ev := &EventMapping{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		var dst *[]string
		switch k.Value {
		case "column":
			if val.Kind != yaml.ScalarNode || strings.TrimSpace(val.Value) == "" {
				return nil, fail(val.Line, "event.column must name a column")
			}
			ev.Column = strings.TrimSpace(val.Value)
			continue
		case "join":
			dst = &ev.Join
		case "leave":
			dst = &ev.Leave
		case "removed":
			dst = &ev.Removed
		default:
			return nil, fail(k.Line, "unknown key %q under event (known: column, join, leave, removed)", k.Value)
		}
		vals := []*yaml.Node{val}
		if val.Kind == yaml.SequenceNode {
			vals = val.Content
		}
		for _, s := range vals {
			if s.Kind != yaml.ScalarNode || strings.TrimSpace(s.Value) == "" {
				return nil, fail(s.Line, "event.%s must be a value or a list of values", k.Value)
			}
			*dst = append(*dst, strings.ToLower(strings.TrimSpace(s.Value)))
		}
	}
	if ev.Column == "" {
		return nil, fail(keyLine, "event needs column: the column marking membership rows")
	}
	if len(ev.Join)+len(ev.Leave)+len(ev.Removed) == 0 {
		return nil, fail(keyLine, "event needs the values of join, leave and/or removed rows")
	}
	return ev, nil
}

func mappingHelp(key string) string {
	for _, mk := range mappingKeys {
		if mk.key == key {
			return mk.help
		}
	}
	return ""
}

func mappingKeyList() string {
	keys := make([]string, len(mappingKeys))
	for i, mk := range mappingKeys {
		keys[i] = mk.key
	}
	return strings.Join(keys, ", ")
}

// mappingSuggest proposes the known key closest to a misspelt one.
func mappingSuggest(key string) string {
	key = strings.ToLower(key)
	best, bestD := "", 3
	for _, mk := range mappingKeys {
		d := mappedEditDistance(key, mk.key)
		if strings.HasPrefix(mk.key, key+"_") || strings.HasPrefix(key, mk.key+"_") {
			d = 1 // sender for sender_id, kind_value for kind_values...
		}
		if d < bestD {
			best, bestD = mk.key, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

func mappedEditDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// columns are the column names of the row fields, "" when unmapped.
func (m *Mapping) columns() [mfCount]string {
	var c [mfCount]string
	c[mfGroup], c[mfGroupID], c[mfTime] = m.Group, m.GroupID, m.Time
	c[mfSenderID], c[mfSenderName], c[mfText], c[mfKind] = m.SenderID, m.SenderName, m.Text, m.Kind
	c[mfMessageID], c[mfReplyTo], c[mfMentions], c[mfInviter] = m.MessageID, m.ReplyTo, m.Mentions, m.InviterID
	if m.Event != nil {
		c[mfEvent] = m.Event.Column
	}
	return c
}

// mappedKeyOf names the mapping key of a field, for messages.
func mappedKeyOf(field int) string {
	for _, mk := range mappingKeys {
		if mk.field == field {
			if field == mfEvent {
				return "event.column"
			}
			return mk.key
		}
	}
	return ""
}

// missingColumn reports a mapped column the file lacks.
func (b *mappedBuilder) missingColumn(in Input, field int, have []string) error {
	key := mappedKeyOf(field)
	line := b.m.lines[key]
	if field == mfEvent {
		line = b.m.lines["event"]
	}
	const show = 12
	list := strings.Join(have[:min(len(have), show)], ", ")
	if len(have) > show {
		list += ", …"
	}
	return &ParseError{Format: b.format, Path: in.Path, Line: 1,
		Msg: fmt.Sprintf("no column %q, which %s:%d maps to %s; the file has: %s", b.cols[field], b.m.Path, line, key, list)}
}

// mappedRow is one row's fields as text, before they are checked.
type mappedRow struct {
	vals     [mfCount]string
	time     time.Time // set when the reader has a typed time (Parquet)
	hasTime  bool
	mentions []string // set when the reader has a list
	hasList  bool
	line     int64
}

func (r *mappedRow) reset(line int64) {
	r.vals = [mfCount]string{}
	r.hasTime, r.hasList, r.mentions, r.line = false, false, r.mentions[:0], line
}

// mappedBuilder turns rows into messages and events.
type mappedBuilder struct {
	m      *Mapping
	format string
	tz     *time.Location
	in     Input // for the per-group zones
	sink   Sink
	cols   [mfCount]string
	events map[string]string // lower-case event value -> event kind
	strs   map[string]string
	count  int

	msg Message
	ev  Event
}

func newMappedBuilder(f Mapped, in Input, sink Sink) *mappedBuilder {
	b := &mappedBuilder{m: f.Map, format: f.Name(), tz: in.TZ, in: in, sink: sink, cols: f.Map.columns(), events: map[string]string{}, strs: map[string]string{}}
	if b.tz == nil {
		b.tz = time.UTC
	}
	if ev := f.Map.Event; ev != nil {
		for kind, vals := range map[string][]string{EventJoin: ev.Join, EventLeave: ev.Leave, EventRemoved: ev.Removed} {
			for _, v := range vals {
				b.events[v] = kind
			}
		}
	}
	return b
}

// mappedInternMax bounds the strings a parse shares.
const mappedInternMax = 1 << 16

// intern returns v as a string, shared for the fields that repeat from row
// to row (groups, people, kinds), so they are not allocated each time.
func (b *mappedBuilder) intern(field int, v []byte) string {
	switch field {
	case mfGroup, mfGroupID, mfSenderID, mfSenderName, mfKind, mfEvent, mfInviter:
	default:
		return string(v)
	}
	if s, ok := b.strs[string(v)]; ok {
		return s
	}
	s := string(v)
	if len(b.strs) < mappedInternMax {
		b.strs[s] = s
	}
	return s
}

func (b *mappedBuilder) tick(ctx context.Context) error {
	if b.count++; b.count&4095 == 0 {
		return ctx.Err()
	}
	return nil
}

// row checks one row and hands it on; the reason is not empty when the
// row is rejected.
func (b *mappedBuilder) row(r *mappedRow) (string, error) {
	v := &r.vals
	g := Group{Platform: b.m.Platform, Name: b.m.GroupName}
	if b.m.Group != "" {
		g.Name = strings.TrimSpace(v[mfGroup])
	}
	g.ExternalID = strings.TrimSpace(v[mfGroupID])
	if g.ExternalID == "" {
		g.ExternalID = g.Name
	}
	if g.Name == "" {
		g.Name = g.ExternalID
	}
	if g.ExternalID == "" {
		return fmt.Sprintf("empty group (column %s)", b.cols[mfGroup]), nil
	}
	t := r.time
	if !r.hasTime {
		s := strings.TrimSpace(v[mfTime])
		var err error
		loc := b.tz
		if len(b.in.GroupTZ) > 0 {
			loc = b.in.Location(g)
		}
		if t, err = mappedTime(s, b.m.TimeFormat, loc); err != nil {
			return fmt.Sprintf("time: %v (column %s, time_format %q)", err, b.cols[mfTime], b.m.TimeFormat), nil
		}
	}
	sender := Person{UID: strings.TrimSpace(v[mfSenderID]), Name: strings.TrimSpace(v[mfSenderName])}
	if sender.UID == "" && sender.Name != "" {
		sender.UID = "name:" + sender.Name
	}
	if kind, ok := b.events[strings.ToLower(strings.TrimSpace(v[mfEvent]))]; ok && b.m.Event != nil {
		if sender.UID == "" {
			return fmt.Sprintf("%s row without a member (columns %s)", kind, b.senderColumns()), nil
		}
		ev := &b.ev
		*ev = Event{Group: g, Member: sender, Time: t, Kind: kind, Line: r.line}
		if kind == EventJoin {
			ev.Source = SourceUnknown
			if inv := strings.TrimSpace(v[mfInviter]); inv != "" {
				ev.Source, ev.Inviter = SourceReferral, Person{UID: inv}
			}
		}
		return "", b.sink.Event(ev)
	}
	text := v[mfText]
	kind, reason := b.kind(strings.TrimSpace(v[mfKind]), text)
	if reason != "" {
		return reason, nil
	}
	if sender.UID == "" && kind != KindSystem {
		return fmt.Sprintf("no sender (columns %s are empty)", b.senderColumns()), nil
	}
	m := &b.msg
	m.Group, m.Sender, m.Time, m.Kind, m.Text, m.Line = g, sender, t, kind, text, r.line
	m.ExternalID, m.ReplyTo = strings.TrimSpace(v[mfMessageID]), strings.TrimSpace(v[mfReplyTo])
	switch {
	case r.hasList:
		m.Mentions = append(m.Mentions[:0], r.mentions...)
	case b.m.Mentions != "":
		m.Mentions = m.Mentions[:0]
		for _, s := range strings.FieldsFunc(v[mfMentions], func(r rune) bool { return r == ',' || r == ';' || r == '，' }) {
			if s = strings.TrimPrefix(strings.TrimSpace(s), "@"); s != "" {
				m.Mentions = append(m.Mentions, s)
			}
		}
	default:
		m.Mentions = mentions(text, m.Mentions[:0])
	}
	return "", b.sink.Message(m)
}

func (b *mappedBuilder) senderColumns() string {
	return strings.Trim(b.cols[mfSenderID]+", "+b.cols[mfSenderName], ", ")
}

// kind reads the kind column through kind_values; without one, or for
// text, a web address makes a link.
func (b *mappedBuilder) kind(raw, text string) (string, string) {
	kind := KindText
	if b.m.Kind != "" && raw != "" {
		low := strings.ToLower(raw)
		if k, ok := b.m.KindValues[low]; ok {
			kind = k
		} else if slices.Contains(mappedKinds, low) {
			kind = low
		} else {
			return "", fmt.Sprintf("unknown kind %q in column %s (map it under kind_values in %s)", raw, b.cols[mfKind], b.m.Path)
		}
	}
	if kind == KindText && (strings.Contains(text, "http://") || strings.Contains(text, "https://")) {
		kind = KindLink
	}
	return kind, ""
}

// mappedTime reads a time as the mapping's time_format says.
func mappedTime(s, format string, tz *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, errors.New("empty")
	}
	switch format {
	case "unix", "unix_ms":
		sec, frac, _ := strings.Cut(s, ".")
		n, err := strconv.ParseInt(sec, 10, 64)
		if err != nil || len(frac) > 9 || strings.Trim(frac, "0123456789") != "" {
			return time.Time{}, fmt.Errorf("not a %s number: %q", format, s)
		}
		var ns int64
		for i := 0; i < 9; i++ {
			ns *= 10
			if i < len(frac) {
				ns += int64(frac[i] - '0')
			}
		}
		if format == "unix_ms" {
			return time.UnixMilli(n).Add(time.Duration(ns / 1000)).UTC(), nil
		}
		return time.Unix(n, ns).UTC(), nil
	case "rfc3339":
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return time.Time{}, fmt.Errorf("not RFC 3339: %q", s)
		}
		return t, nil
	}
	t, err := time.ParseInLocation(format, s, tz)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q does not match", s)
	}
	return t, nil
}

// csv reads a CSV with a header through the mapping.
func (b *mappedBuilder) csv(ctx context.Context, in Input) error {
	t, err := openCSV(in, b.format, nil, nil)
	if err != nil {
		return err
	}
	var idx [mfCount]int
	have := make([]string, 0, len(t.col))
	for name := range t.col {
		have = append(have, name)
	}
	slices.SortFunc(have, func(x, y string) int { return t.col[x] - t.col[y] })
	for f, name := range b.cols {
		idx[f] = -1
		if name == "" {
			continue
		}
		i, ok := t.col[strings.ToLower(strings.TrimSpace(name))]
		if !ok {
			return b.missingColumn(in, f, have)
		}
		idx[f] = i
	}
	var r mappedRow
	for {
		rec, err := t.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := b.tick(ctx); err != nil {
			return err
		}
		r.reset(t.line)
		for f, i := range idx {
			if i >= 0 && i < len(rec) {
				r.vals[f] = rec[i]
			}
		}
		reason, err := b.row(&r)
		if err != nil {
			return err
		}
		if reason != "" {
			b.sink.Reject(t.line, reason, t.raw(rec)) //nolint:errcheck // the loader's sink does not fail on rejects
		}
	}
}

// jsonl reads one JSON object per line through the mapping.
func (b *mappedBuilder) jsonl(ctx context.Context, in Input) error {
	lines := in.lineReader(in.R, b.format)
	j := newMappedJSON(b.cols, b.intern)
	var r mappedRow
	first := true
	for {
		line, err := lines.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if err := b.tick(ctx); err != nil {
			return err
		}
		r.reset(lines.n)
		reason := j.object(line, &r)
		if first && reason != "" && bytes.TrimSpace(line)[0] != '{' {
			// Not a bad row but another kind of file (a JSON array, a CSV...).
			return lines.errorf(line, "not JSON Lines: want one JSON object per line ("+reason+")")
		}
		first = false
		if reason != "" {
			b.sink.Reject(lines.n, reason, mappedRaw(line)) //nolint:errcheck // the loader's sink does not fail on rejects
			continue
		}
		reason, err = b.row(&r)
		if err != nil {
			return err
		}
		if reason != "" {
			b.sink.Reject(lines.n, reason, mappedRaw(line)) //nolint:errcheck // the loader's sink does not fail on rejects
		}
	}
	return nil
}

func mappedNextDot(s string, i int) int {
	if j := strings.IndexByte(s[i+1:], '.'); j >= 0 {
		return i + 1 + j
	}
	return -1
}

// mappedRaw keeps a rejected line, shortened past 4 KiB.
func mappedRaw(b []byte) string {
	const max = 4 << 10
	if len(b) <= max {
		return string(b)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(b[cut]) {
		cut--
	}
	return string(b[:cut]) + "…"
}

// mappedJSON reads the mapped members of one JSON object held in memory
// (a line of JSON Lines), skipping the rest without building it.
type mappedJSON struct {
	list []mappedPath // the mapped members
	pre  []string     // paths that lead to a mapped member
	// intern turns a value into a string, sharing those that repeat.
	intern  func(field int, v []byte) string
	b       []byte
	i       int
	path    []byte
	scratch []byte
}

var errMappedJSON = errors.New("invalid JSON")

type mappedPath struct {
	path  string // dotted
	field int
}

func newMappedJSON(cols [mfCount]string, intern func(int, []byte) string) *mappedJSON {
	j := &mappedJSON{intern: intern}
	for f, name := range cols {
		if name == "" {
			continue
		}
		j.list = append(j.list, mappedPath{name, f})
		for i := strings.IndexByte(name, '.'); i > 0; i = mappedNextDot(name, i) {
			if !slices.Contains(j.pre, name[:i]) {
				j.pre = append(j.pre, name[:i])
			}
		}
	}
	return j
}

// object fills r from the line; a non-empty result says why it could not.
func (j *mappedJSON) object(line []byte, r *mappedRow) string {
	j.b, j.i, j.path = line, 0, j.path[:0]
	j.ws()
	if j.i >= len(j.b) || j.b[j.i] != '{' {
		return "not a JSON object"
	}
	if err := j.members(r); err != nil {
		return fmt.Sprintf("%v at column %d", err, j.i+1)
	}
	j.ws()
	if j.i < len(j.b) {
		return fmt.Sprintf("invalid JSON: data after the object at column %d", j.i+1)
	}
	return ""
}

func (j *mappedJSON) ws() {
	for j.i < len(j.b) && (j.b[j.i] == ' ' || j.b[j.i] == '\t' || j.b[j.i] == '\r' || j.b[j.i] == '\n') {
		j.i++
	}
}

// members reads the object at j.i (its '{'), under the current path.
func (j *mappedJSON) members(r *mappedRow) error {
	j.i++
	base := len(j.path)
	for n := 0; ; n++ {
		j.ws()
		if j.i < len(j.b) && j.b[j.i] == '}' {
			j.i++
			return nil
		}
		if n > 0 {
			if j.i >= len(j.b) || j.b[j.i] != ',' {
				return fmt.Errorf("%w: want ',' or '}'", errMappedJSON)
			}
			j.i++
			j.ws()
		}
		key, err := j.str()
		if err != nil {
			return err
		}
		j.ws()
		if j.i >= len(j.b) || j.b[j.i] != ':' {
			return fmt.Errorf("%w: want ':'", errMappedJSON)
		}
		j.i++
		j.ws()
		j.path = j.path[:base]
		if base > 0 {
			j.path = append(j.path, '.')
		}
		j.path = append(j.path, key...)
		if f, ok := j.field(); ok {
			if err := j.value(f, r); err != nil {
				return err
			}
		} else if j.i < len(j.b) && j.b[j.i] == '{' && j.prefix() {
			if err := j.members(r); err != nil {
				return err
			}
		} else if err := j.skip(); err != nil {
			return err
		}
		j.path = j.path[:base]
	}
}

// field finds the mapped field of the current path; there are few, so a
// scan beats hashing.
func (j *mappedJSON) field() (int, bool) {
	for i := range j.list {
		if j.list[i].path == string(j.path) {
			return j.list[i].field, true
		}
	}
	return 0, false
}

func (j *mappedJSON) prefix() bool {
	for _, p := range j.pre {
		if p == string(j.path) {
			return true
		}
	}
	return false
}

// value keeps the value at j.i as field f's text.
func (j *mappedJSON) value(f int, r *mappedRow) error {
	if j.i >= len(j.b) {
		return fmt.Errorf("%w: unexpected end of line", errMappedJSON)
	}
	start := j.i
	switch c := j.b[j.i]; {
	case c == '"':
		s, err := j.str()
		if err != nil {
			return err
		}
		r.vals[f] = j.intern(f, s)
		return nil
	case c == 'n':
		return j.skip()
	case c == '[' && f == mfMentions:
		j.i++
		r.hasList = true
		for n := 0; ; n++ {
			j.ws()
			if j.i < len(j.b) && j.b[j.i] == ']' {
				j.i++
				return nil
			}
			if n > 0 {
				if j.i >= len(j.b) || j.b[j.i] != ',' {
					return fmt.Errorf("%w: want ',' or ']'", errMappedJSON)
				}
				j.i++
				j.ws()
			}
			if j.i < len(j.b) && j.b[j.i] == '"' {
				s, err := j.str()
				if err != nil {
					return err
				}
				r.mentions = append(r.mentions, string(s))
				continue
			}
			if err := j.skip(); err != nil {
				return err
			}
		}
	}
	if err := j.skip(); err != nil {
		return err
	}
	r.vals[f] = string(j.b[start:j.i])
	return nil
}

// str reads a string at j.i, decoding escapes.
func (j *mappedJSON) str() ([]byte, error) {
	if j.i >= len(j.b) || j.b[j.i] != '"' {
		return nil, fmt.Errorf("%w: want a string", errMappedJSON)
	}
	start := j.i + 1
	q := bytes.IndexByte(j.b[start:], '"')
	if q < 0 {
		return nil, fmt.Errorf("%w: unterminated string", errMappedJSON)
	}
	p := start + q
	if e := bytes.IndexByte(j.b[start:p], '\\'); e < 0 {
		j.i = p + 1
		return j.b[start:p], nil
	} else {
		p = start + e
	}
	out := append(j.scratch[:0], j.b[start:p]...)
	for {
		if p >= len(j.b) {
			return nil, fmt.Errorf("%w: unterminated string", errMappedJSON)
		}
		c := j.b[p]
		switch {
		case c == '"':
			j.i, j.scratch = p+1, out
			return out, nil
		case c != '\\':
			out = append(out, c)
			p++
			continue
		}
		if p+1 >= len(j.b) {
			return nil, fmt.Errorf("%w: unterminated string", errMappedJSON)
		}
		switch e := j.b[p+1]; e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := mappedHex4(j.b[p+2:])
			if !ok {
				return nil, fmt.Errorf("%w: bad \\u escape", errMappedJSON)
			}
			p += 6
			if utf16.IsSurrogate(r) {
				if lo, ok := mappedHex4(j.b[min(p+2, len(j.b)):]); ok && j.b[p] == '\\' && j.b[p+1] == 'u' {
					if d := utf16.DecodeRune(r, lo); d != utf8.RuneError {
						out = utf8.AppendRune(out, d)
						p += 6
						continue
					}
				}
				r = utf8.RuneError
			}
			out = utf8.AppendRune(out, r)
			continue
		default:
			return nil, fmt.Errorf("%w: unknown escape \\%c", errMappedJSON, e)
		}
		p += 2
	}
}

func mappedHex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// skip passes over the value at j.i, checking only its nesting and strings.
func (j *mappedJSON) skip() error {
	if j.i >= len(j.b) {
		return fmt.Errorf("%w: unexpected end of line", errMappedJSON)
	}
	switch c := j.b[j.i]; {
	case c == '"':
		_, err := j.str()
		return err
	case c == '{' || c == '[':
		var stack []byte
		for j.i < len(j.b) {
			switch c := j.b[j.i]; c {
			case '"':
				if _, err := j.str(); err != nil {
					return err
				}
				continue
			case '{':
				stack = append(stack, '}')
			case '[':
				stack = append(stack, ']')
			case '}', ']':
				if len(stack) == 0 || stack[len(stack)-1] != c {
					return fmt.Errorf("%w: unmatched %q", errMappedJSON, c)
				}
				stack = stack[:len(stack)-1]
				if len(stack) == 0 {
					j.i++
					return nil
				}
			}
			j.i++
		}
		return fmt.Errorf("%w: unexpected end of line", errMappedJSON)
	case c == 't', c == 'f', c == 'n':
		for _, w := range []string{"true", "false", "null"} {
			if bytes.HasPrefix(j.b[j.i:], []byte(w)) {
				j.i += len(w)
				return nil
			}
		}
	case c == '-' || c >= '0' && c <= '9':
		p := j.i + 1
		for p < len(j.b) && (j.b[p] >= '0' && j.b[p] <= '9' || j.b[p] == '.' || j.b[p] == 'e' || j.b[p] == 'E' || j.b[p] == '+' || j.b[p] == '-') {
			p++
		}
		j.i = p
		return nil
	}
	return fmt.Errorf("%w: unexpected %q", errMappedJSON, j.b[j.i])
}

// TableMapping names the columns of a roster, member list or orders export
// whose header ckpi's aliases do not know (--format members-csv,
// members-snapshot, qq-members or orders-csv with --mapping map.yaml). Its
// keys are the format's fields, each naming a column; fields it leaves out
// are still found by their aliases. For orders:
//
//	order_id: 单号
//	customer_key: 会员手机
//	ordered_at: 成交时间
//	amount: 成交额
//	time_format: "2006-01-02 15:04"   # optional: a Go layout, or unix, unix_ms, rfc3339
//	default_currency: EUR             # optional: for rows without a currency (default CNY)
//	status_values: {已发货: paid}       # optional: status values to paid, refunded, cancelled...
//
// and for rosters default_platform (default qq) and channel_values.
type TableMapping struct {
	Path            string
	Columns         map[string]string // field -> column name
	TimeFormat      string            // "" reads the common layouts (see parseFlexTime)
	DefaultPlatform string
	DefaultCurrency string
	Values          map[string]map[string]string // field -> headerKey(value) -> value

	lines map[string]int
}

// tableSpecs are the formats a TableMapping can serve.
func tableSpecByFormat(name string) *tableSpec {
	for _, s := range []*tableSpec{membersSpec, ordersSpec, snapshotSpec, qqMembersSpec} {
		if s.format == name {
			return s
		}
	}
	return nil
}

// TableFormats are the formats --mapping can name the columns of besides
// the mapped-* ones.
func TableFormats() []string {
	return []string{membersSpec.format, snapshotSpec.format, qqMembersSpec.format, ordersSpec.format}
}

// valueKeys are the fields whose values a mapping may translate, and what
// they translate to.
var valueKeys = map[string]string{
	"status":  "paid, refunded, partially_refunded, cancelled, pending",
	"channel": "website, official_account, weibo, offline, sms, referral, qr, link, import",
}

// LoadTableMapping reads a mapping for a table format; errors name the
// file and line.
func LoadTableMapping(path, format string) (*TableMapping, error) {
	spec := tableSpecByFormat(format)
	if spec == nil {
		return nil, fmt.Errorf("--mapping serves mapped-csv, mapped-jsonl, mapped-parquet, %s; not %q", strings.Join(TableFormats(), ", "), format)
	}
	var fields []string
	for _, list := range [][]tableField{spec.required, spec.optional} {
		for _, f := range list {
			fields = append(fields, f.name)
		}
	}
	known := append([]string(nil), fields...)
	known = append(known, "time_format", "default_platform", "default_currency")
	for f := range valueKeys {
		if slices.Contains(fields, f) {
			known = append(known, f+"_values")
		}
	}
	root, fail, err := readMappingYAML(path, "empty mapping file; name the column of each field: "+strings.Join(fields, ", "))
	if err != nil {
		return nil, err
	}
	m := &TableMapping{Path: path, Columns: map[string]string{}, Values: map[string]map[string]string{}, lines: map[string]int{}}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, fail(k.Line, "a key must be a plain word")
		}
		key := k.Value
		if !slices.Contains(known, key) {
			return nil, fail(k.Line, "unknown key %q for %s (known: %s)", key, format, strings.Join(known, ", "))
		}
		if first, dup := m.lines[key]; dup {
			return nil, fail(k.Line, "key %q given twice (first on line %d)", key, first)
		}
		m.lines[key] = k.Line
		if field, ok := strings.CutSuffix(key, "_values"); ok {
			if v.Kind != yaml.MappingNode {
				return nil, fail(v.Line, "%s must be a map of value: %s", key, valueKeys[field])
			}
			vals := map[string]string{}
			for j := 0; j+1 < len(v.Content); j += 2 {
				from, to := v.Content[j], v.Content[j+1]
				if from.Kind != yaml.ScalarNode || to.Kind != yaml.ScalarNode || strings.TrimSpace(to.Value) == "" {
					return nil, fail(from.Line, "%s must be a map of value: %s", key, valueKeys[field])
				}
				target := strings.ToLower(strings.TrimSpace(to.Value))
				if !strings.Contains(", "+valueKeys[field]+",", ", "+target+",") {
					return nil, fail(to.Line, "%s: %q is not one of %s", key, to.Value, valueKeys[field])
				}
				vals[headerKey(from.Value)] = target
			}
			m.Values[field] = vals
			continue
		}
		if v.Kind != yaml.ScalarNode || v.Tag == "!!null" || strings.TrimSpace(v.Value) == "" {
			return nil, fail(v.Line, "%s must be a non-empty value", key)
		}
		val := strings.TrimSpace(v.Value)
		switch key {
		case "time_format":
			if err := checkTimeFormat(val); err != nil {
				return nil, fail(v.Line, "time_format %q: %v", val, err)
			}
			if special := strings.ToLower(val); special == "unix" || special == "unix_ms" || special == "rfc3339" {
				val = special
			}
			m.TimeFormat = val
		case "default_platform":
			m.DefaultPlatform = strings.ToLower(val)
		case "default_currency":
			m.DefaultCurrency = strings.ToUpper(val)
		default:
			m.Columns[key] = val
		}
	}
	return m, nil
}

// apply makes the mapped columns the fields' columns.
func (m *TableMapping) apply(path string, spec *tableSpec, header []string, cols map[string][]int) error {
	at := map[string]int{}
	for i, h := range header {
		if k := headerKey(h); k != "" {
			if _, dup := at[k]; !dup {
				at[k] = i
			}
		}
	}
	for field, col := range m.Columns {
		i, ok := at[headerKey(col)]
		if !ok {
			const show = 12
			list := strings.Join(header[:min(len(header), show)], ", ")
			if len(header) > show {
				list += ", …"
			}
			return &ParseError{Format: spec.format, Path: path, Line: 1,
				Msg: fmt.Sprintf("no column %q, which %s:%d maps to %s; the file has: %s", col, m.Path, m.lines[field], field, list)}
		}
		cols[field] = []int{i}
	}
	return nil
}

// TableFormat is the table format name configured with m.
func TableFormat(name string, m *TableMapping) Format {
	switch name {
	case membersSpec.format:
		return MembersCSV{Map: m}
	case snapshotSpec.format:
		return MembersSnapshot{Map: m}
	case qqMembersSpec.format:
		return QQMembers{Map: m}
	case ordersSpec.format:
		return OrdersCSV{Map: m}
	}
	return nil
}

// platform is the platform of rows that name none.
func (m *TableMapping) platform() string {
	if m == nil || m.DefaultPlatform == "" {
		return "qq"
	}
	return m.DefaultPlatform
}

// currency is the currency of rows that name none.
func (m *TableMapping) currency() string {
	if m == nil || m.DefaultCurrency == "" {
		return "CNY"
	}
	return m.DefaultCurrency
}

// time reads a time as the mapping's time_format says, or in any of the
// common layouts.
func (m *TableMapping) time(s string, loc *time.Location) (time.Time, error) {
	if m == nil || m.TimeFormat == "" {
		return parseFlexTime(s, loc)
	}
	t, err := mappedTime(strings.TrimSpace(s), m.TimeFormat, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("%v (time_format %q of %s)", err, m.TimeFormat, m.Path)
	}
	return t, nil
}

// values are a field's value translations, or nil.
func (m *TableMapping) values(field string) map[string]string {
	if m == nil {
		return nil
	}
	return m.Values[field]
}
