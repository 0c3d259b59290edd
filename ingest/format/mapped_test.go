package format

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

const mappedDir = "../../testdata/mapped"

func mustMapping(t testing.TB, path string) *Mapping {
	t.Helper()
	m, err := LoadMapping(path)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func parseMapped(t testing.TB, f Mapped, path string, tz *time.Location) (*recorder, error) {
	t.Helper()
	file, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	rec := &recorder{}
	return rec, f.Parse(context.Background(), Input{Path: path, R: file, TZ: tz}, rec)
}

// mappedSummary counts what a parse produced.
type mappedSummary struct {
	kinds, events map[string]int
	senders       map[string]bool
	byID          map[string]Message
}

func mappedSummarize(rec *recorder) mappedSummary {
	s := mappedSummary{kinds: map[string]int{}, events: map[string]int{}, senders: map[string]bool{}, byID: map[string]Message{}}
	for _, m := range rec.messages {
		s.kinds[m.Kind]++
		if m.Sender.UID != "" {
			s.senders[m.Sender.UID] = true
		}
		s.byID[m.ExternalID] = m
	}
	for _, e := range rec.events {
		s.events[e.Kind+"/"+e.Source]++
	}
	return s
}

func TestMappedCSVFixture(t *testing.T) {
	m := mustMapping(t, filepath.Join(mappedDir, "chat.csv.yaml"))
	sh := slackLoc(t, "Asia/Shanghai")
	rec, err := parseMapped(t, Mapped{Kind: "csv", Map: m}, filepath.Join(mappedDir, "chat.csv"), sh)
	if err != nil {
		t.Fatal(err)
	}
	checkMappedCSV(t, rec, sh, false)
}

// checkMappedCSV holds for chat.csv read as CSV and as Parquet, where
// positions are data row numbers rather than lines.
func checkMappedCSV(t *testing.T, rec *recorder, sh *time.Location, rows bool) {
	t.Helper()
	line := func(csvLine, row int64) int64 {
		if rows {
			return row
		}
		return csvLine
	}
	s := mappedSummarize(rec)
	wantKinds := map[string]int{KindText: 3, KindLink: 1, KindImage: 1, KindVoice: 1, KindVideo: 1, KindFile: 1, KindSticker: 1, KindSystem: 1, KindRecall: 1}
	if len(rec.messages) != 11 || !slackMapsEqual(s.kinds, wantKinds) {
		t.Errorf("messages = %d %v, want 11 %v", len(rec.messages), s.kinds, wantKinds)
	}
	wantEvents := map[string]int{"join/referral": 2, "join/unknown": 1, "leave/": 1, "removed/": 1}
	if !slackMapsEqual(s.events, wantEvents) {
		t.Errorf("events = %v, want %v", s.events, wantEvents)
	}
	if len(s.senders) != 6 {
		t.Errorf("senders = %v, want 6", s.senders)
	}
	if len(rec.rejects) != 1 || rec.rejects[0].Line != line(18, 15) || !strings.Contains(rec.rejects[0].Reason, `time: "yesterday 09:15" does not match`) ||
		!strings.Contains(rec.rejects[0].Raw, "time is not readable") {
		t.Errorf("rejects = %+v", rec.rejects)
	}
	first := s.byID["m0001"]
	if first.Group != (Group{Platform: "community", ExternalID: "g1001", Name: "星河产品交流群"}) ||
		first.Sender != (Person{UID: "u1001", Name: "张伟 | 星河科技 | 杭州"}) ||
		!first.Time.Equal(time.Date(2026, 11, 16, 9, 0, 0, 0, sh)) || !slices.Equal(first.Mentions, []string{"李娜"}) || first.Line != line(2, 1) {
		t.Errorf("first = %+v", first)
	}
	if m := s.byID["m0002"]; m.Text != "谢谢邀请！\n我是李娜，做产品设计\n坐标杭州" || m.ReplyTo != "m0001" || m.Line != line(5, 4) {
		t.Errorf("multi-line reply = %+v", m)
	}
	if m := s.byID["m0004"]; m.Kind != KindLink || m.Text != `Check the guide: https://example.com/guide, it has "FAQ" too` {
		t.Errorf("link = %+v", m)
	}
	if m := s.byID["m0009"]; m.Kind != KindSystem || m.Sender.UID != "" {
		t.Errorf("system = %+v", m)
	}
	if m := s.byID["m0007"]; m.Kind != KindFile || m.Text != "spec.pdf" {
		t.Errorf("file = %+v", m)
	}
	join := rec.events[0]
	if join.Member != (Person{UID: "u1003", Name: "李娜"}) || join.Inviter.UID != "u1001" || join.Source != SourceReferral ||
		!join.Time.Equal(time.Date(2026, 11, 16, 1, 1, 0, 0, time.UTC)) || join.Line != line(3, 2) {
		t.Errorf("join = %+v", join)
	}
	for _, e := range rec.events {
		if e.Kind == EventRemoved && (e.Member.UID != "u1007" || e.Inviter.UID != "") {
			t.Errorf("removal = %+v", e)
		}
	}
}

func TestMappedJSONLFixture(t *testing.T) {
	m := mustMapping(t, filepath.Join(mappedDir, "chat.jsonl.yaml"))
	rec, err := parseMapped(t, Mapped{Kind: "jsonl", Map: m}, filepath.Join(mappedDir, "chat.jsonl"), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	s := mappedSummarize(rec)
	wantKinds := map[string]int{KindText: 2, KindImage: 1, KindVoice: 1, KindVideo: 1, KindSticker: 1, KindFile: 1, KindLink: 2, KindRecall: 1}
	if len(rec.messages) != 10 || !slackMapsEqual(s.kinds, wantKinds) {
		t.Errorf("messages = %d %v, want 10 %v", len(rec.messages), s.kinds, wantKinds)
	}
	if len(rec.events) != 0 || len(s.senders) != 5 {
		t.Errorf("events %d senders %v", len(rec.events), s.senders)
	}
	if len(rec.rejects) != 2 || rec.rejects[0].Line != 6 || !strings.Contains(rec.rejects[0].Reason, "invalid JSON") ||
		rec.rejects[1].Line != 8 || !strings.Contains(rec.rejects[1].Reason, `not a unix_ms number: "yesterday"`) {
		t.Errorf("rejects = %+v", rec.rejects)
	}
	first := s.byID["CAQQluDa4QUY0On2rYSAgAMgzPrShAE="]
	if first.Text != "大家早上好 @李娜" || !slices.Equal(first.Mentions, []string{"李娜"}) || first.Sender != (Person{UID: "ZhangWei"}) ||
		first.Group != (Group{Platform: "wecom", ExternalID: "wrOgQhDgAAcwMTB7YmDkbeBsgT_KAAAA", Name: "星河产品交流群"}) ||
		!first.Time.Equal(time.Date(2026, 11, 16, 1, 0, 0, 123e6, time.UTC)) || first.Line != 1 {
		t.Errorf("first = %+v", first)
	}
	if m := s.byID["CAQQ2e_a4QUY0On2rYSAgAMgqvX2ogE="]; m.Text != "谢谢！\n我是李娜，做产品设计" || m.Kind != KindText {
		t.Errorf("multi-line = %+v", m)
	}
	if m := s.byID["CAQQgdja4QUY0On2rYSAgAMgo6W_hAE="]; m.Kind != KindRecall || m.Sender.UID != "LiNa" {
		t.Errorf("recall = %+v", m)
	}
	if m := s.byID["CAQQendtext1"]; m.Kind != KindLink || m.Line != 13 {
		t.Errorf("last = %+v", m)
	}
}

func mappedWriteFile(t testing.TB, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadMappingErrors(t *testing.T) {
	const base = "platform: x\ngroup: g\ntime: t\ntime_format: unix\nsender_id: s\ntext: body\n"
	cases := []struct {
		name, yaml string
		line       int64
		msg        string
	}{
		{"missing time", "# comment\nplatform: x\ngroup: g\ntime_format: unix\nsender_id: s\ntext: body\n", 2, `missing key "time": the column holding each message's time`},
		{"missing text", "platform: x\ngroup: g\ntime: t\ntime_format: unix\nsender_id: s\n", 1, `missing key "text"`},
		{"missing group", "platform: x\ntime: t\ntime_format: unix\nsender_id: s\ntext: b\n", 1, `missing key "group"`},
		{"missing sender", "platform: x\ngroup: g\ntime: t\ntime_format: unix\ntext: b\n", 1, `missing key "sender_id"`},
		{"unknown key", base + "sender: who\n", 7, `unknown key "sender"; did you mean "sender_id"?`},
		{"unknown far key", base + "colour: red\n", 7, `unknown key "colour" (known: platform, group,`},
		{"bad time_format", "platform: x\ngroup: g\ntime: t\ntime_format: YYYY-MM-DD HH:mm:ss\nsender_id: s\ntext: b\n", 4, `time_format "YYYY-MM-DD HH:mm:ss": not a Go layout`},
		{"time_format without date", strings.Replace(base, "unix", `"15:04:05"`, 1), 4, "not a Go layout with a year, month and day"},
		{"duplicate", base + "group: h\n", 7, `key "group" given twice (first on line 2)`},
		{"both groups", base + "group_name: G\n", 7, `give "group" or "group_name", not both`},
		{"empty value", strings.Replace(base, "text: body", "text:", 1), 6, "text must be a non-empty value"},
		{"list value", strings.Replace(base, "text: body", "text: [a, b]", 1), 6, "text must be a non-empty value"},
		{"bad kind value", base + "kind: k\nkind_values:\n  photo: picture\n", 9, `kind_values: "picture" is not a kind`},
		{"kind_values alone", base + "kind_values:\n  photo: image\n", 8, `kind_values needs "kind"`},
		{"event subkey", base + "event:\n  column: a\n  joined: x\n", 9, `unknown key "joined" under event`},
		{"event no column", base + "event:\n  join: x\n", 7, "event needs column"},
		{"event no values", base + "event:\n  column: a\n", 7, "event needs the values"},
		{"inviter alone", base + "inviter_id: inv\n", 7, `inviter_id needs "event"`},
		{"invalid yaml", base + "kind: [a\n", 7, "invalid YAML: did not find expected ',' or ']'"},
		{"invalid yaml mid-file", "platform: x\n- group\ntime: t\n", 2, "invalid YAML: did not find expected key"},
		{"invalid yaml one line", "platform: [x\n", 1, "invalid YAML: did not find expected ',' or ']'"},
		{"unclosed quote", base + "kind: \"k\n", 7, "invalid YAML: found unexpected end of stream"},
		{"indent", "platform: x\n  group: g\n", 2, "invalid YAML: mapping values are not allowed"},
		{"empty", "# nothing yet\n", 1, "empty mapping file"},
		{"a list", "- platform: x\n", 1, "a YAML map of key: value lines"},
	}
	dir := t.TempDir()
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := mappedWriteFile(t, dir, fmt.Sprintf("map%d.yaml", i), c.yaml)
			_, err := LoadMapping(path)
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Path != path || pe.Line != c.line || !strings.Contains(pe.Msg, c.msg) {
				t.Fatalf("err = %v, want %s:%d %q", err, path, c.line, c.msg)
			}
			if !strings.Contains(err.Error(), fmt.Sprintf("%s:%d: ", path, c.line)) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error text %q", err)
			}
		})
	}
	if _, err := LoadMapping(filepath.Join(dir, "absent.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("absent file: %v", err)
	}
}

func TestLoadMappingValues(t *testing.T) {
	dir := t.TempDir()
	path := mappedWriteFile(t, dir, "m.yaml", "platform: WeCom\ngroup_name: 群\ntime: t\ntime_format: UNIX_MS\nsender_name: n\ntext: b\n"+
		"kind: k\nkind_values: {Photo: IMAGE}\nevent:\n  column: a\n  join: [In, joined]\n  removed: Kicked\ninviter_id: by\n")
	m := mustMapping(t, path)
	if m.Platform != "wecom" || m.TimeFormat != "unix_ms" || m.KindValues["photo"] != KindImage || m.GroupName != "群" ||
		!slices.Equal(m.Event.Join, []string{"in", "joined"}) || !slices.Equal(m.Event.Removed, []string{"kicked"}) || m.InviterID != "by" {
		t.Errorf("mapping = %+v %+v", m, m.Event)
	}
}

func TestMappedTime(t *testing.T) {
	sh := slackLoc(t, "Asia/Shanghai")
	cases := []struct {
		s, format string
		want      time.Time
		ok        bool
	}{
		{"1794790800", "unix", time.Unix(1794790800, 0), true},
		{"1794790800.25", "unix", time.Unix(1794790800, 250e6), true},
		{"1794790800123", "unix_ms", time.UnixMilli(1794790800123), true},
		{"1794790800123.5", "unix_ms", time.UnixMilli(1794790800123).Add(500 * time.Microsecond), true},
		{"17947908OO", "unix", time.Time{}, false},
		{"1794790800.x", "unix", time.Time{}, false},
		{"2026-11-16T09:00:00+08:00", "rfc3339", time.Date(2026, 11, 16, 1, 0, 0, 0, time.UTC), true},
		{"2026-11-16T01:00:00.5Z", "rfc3339", time.Date(2026, 11, 16, 1, 0, 0, 5e8, time.UTC), true},
		{"2026-11-16 09:00", "rfc3339", time.Time{}, false},
		{"2026-11-16 09:00:00", "2006-01-02 15:04:05", time.Date(2026, 11, 16, 9, 0, 0, 0, sh), true},
		{"16/11/2026 9:00", "02/01/2006 15:04", time.Date(2026, 11, 16, 9, 0, 0, 0, sh), true},
		{"2026/11/16 09:00", "02/01/2006 15:04", time.Time{}, false},
		{"16/11/2026 09:00", "02/01/2006 15:04", time.Date(2026, 11, 16, 9, 0, 0, 0, sh), true},
		{"", "unix", time.Time{}, false},
	}
	for _, c := range cases {
		got, err := mappedTime(c.s, c.format, sh)
		if (err == nil) != c.ok || !got.Equal(c.want) {
			t.Errorf("mappedTime(%q, %q) = %v, %v", c.s, c.format, got, err)
		}
	}
}

func TestMappedJSONObject(t *testing.T) {
	var cols [mfCount]string
	cols[mfSenderID], cols[mfText], cols[mfTime], cols[mfMentions], cols[mfKind] = "from", "text.content", "ts", "at", "a.b.c"
	j := newMappedJSON(cols, func(_ int, v []byte) string { return string(v) })
	cases := []struct {
		line   string
		vals   map[int]string
		list   []string
		reason string
	}{
		{`{"from":"u1","ts":1794790800123,"text":{"content":"hi"}}`, map[int]string{mfSenderID: "u1", mfTime: "1794790800123", mfText: "hi"}, nil, ""},
		{`{"text":{"x":[1,{"content":"no"}],"content":"\u4f60\u597d\n\"q\" \ud83d\ude00 \/"}, "from" : null}`, map[int]string{mfText: "你好\n\"q\" 😀 /"}, nil, ""},
		{`{"a":{"b":{"c":"deep"}},"at":["张伟","Tom",3]}`, map[int]string{mfKind: "deep"}, []string{"张伟", "Tom"}, ""},
		{`{"from":{"id":7},"ts":"1"}`, map[int]string{mfSenderID: `{"id":7}`, mfTime: "1"}, nil, ""},
		{`{"from":true,"other":[[]],"n":-1.5e3}`, map[int]string{mfSenderID: "true"}, nil, ""},
		{`{"from":"u1"`, nil, nil, "invalid JSON: want ',' or '}'"},
		{`{"from":"u1"} x`, nil, nil, "data after the object"},
		{`["from"]`, nil, nil, "not a JSON object"},
		{`{"from":"a\qb"}`, nil, nil, "unknown escape"},
		{`{"from":"a` + "\t" + `b"}`, map[int]string{mfSenderID: "a\tb"}, nil, ""},
		{`{"from":"a\"b\\"}`, map[int]string{mfSenderID: `a"b\`}, nil, ""},
		{`{"from":"abc`, nil, nil, "unterminated string"},
		{`{"x":[1,2}`, nil, nil, "unmatched"},
		{`{"x":tru}`, nil, nil, "unexpected 't'"},
		{`{"from":"\ud800"}`, map[int]string{mfSenderID: "\uFFFD"}, nil, ""},
	}
	for _, c := range cases {
		var r mappedRow
		reason := j.object([]byte(c.line), &r)
		if c.reason != "" {
			if !strings.Contains(reason, c.reason) {
				t.Errorf("%s: reason %q, want %q", c.line, reason, c.reason)
			}
			continue
		}
		if reason != "" {
			t.Errorf("%s: %s", c.line, reason)
			continue
		}
		for f := 0; f < mfCount; f++ {
			if r.vals[f] != c.vals[f] {
				t.Errorf("%s: field %d = %q, want %q", c.line, f, r.vals[f], c.vals[f])
			}
		}
		if !slices.Equal(r.mentions, c.list) {
			t.Errorf("%s: mentions %q", c.line, r.mentions)
		}
	}
}

func TestMappedErrors(t *testing.T) {
	dir := t.TempDir()
	csvMap := mustMapping(t, filepath.Join(mappedDir, "chat.csv.yaml"))
	jsonlMap := mustMapping(t, filepath.Join(mappedDir, "chat.jsonl.yaml"))
	cases := []struct {
		name string
		f    Mapped
		text string
		line int64
		msg  string
	}{
		{"no mapping", Mapped{Kind: "csv"}, "a,b\n", 1, "needs a mapping file"},
		{"unknown kind", Mapped{Kind: "xml", Map: csvMap}, "", 1, `unknown mapped format "xml"`},
		{"missing column", Mapped{Kind: "csv", Map: csvMap}, "conversation,sent_at,user_id,user_name,type,content\n", 1,
			`no column "conversation_id", which ../../testdata/mapped/chat.csv.yaml:5 maps to group_id; the file has: conversation, sent_at,`},
		{"missing event column", Mapped{Kind: "csv", Map: csvMap}, "conversation_id,conversation,sent_at,user_id,user_name,type,content,message_id,reply_to,invited_by\n", 1,
			"maps to event.column"},
		{"bad csv", Mapped{Kind: "csv", Map: csvMap}, "conversation_id,conversation,sent_at,user_id,user_name,type,content,message_id,reply_to,action,invited_by\n" +
			"g1,G,2026-11-16 09:00:00,u,U,text,ok,m1,,message,\ng1,\"unterminated,x\n", 3, "extraneous or missing \" in quoted-field"},
		{"empty csv", Mapped{Kind: "csv", Map: csvMap}, "", 1, "EOF"},
		{"json array", Mapped{Kind: "jsonl", Map: jsonlMap}, "[\n{\"msgid\":\"1\"}\n]\n", 1, "not JSON Lines"},
		{"csv as jsonl", Mapped{Kind: "jsonl", Map: jsonlMap}, "\nmsgid,from\n1,u\n", 2, "not JSON Lines: want one JSON object per line (not a JSON object)"},
		{"binary jsonl", Mapped{Kind: "jsonl", Map: jsonlMap}, "{\"msgid\":\"1\"}\n\x00\x01\n", 2, "binary data"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := mappedWriteFile(t, dir, fmt.Sprintf("in%d", i), c.text)
			_, err := parseMapped(t, c.f, path, time.UTC)
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Path != path || pe.Line != c.line || !strings.Contains(pe.Msg, c.msg) || pe.Format != c.f.Name() {
				t.Fatalf("err = %v, want %s:%d %q", err, path, c.line, c.msg)
			}
		})
	}
}

func TestMappedRowRejects(t *testing.T) {
	dir := t.TempDir()
	m := mustMapping(t, mappedWriteFile(t, dir, "m.yaml", "platform: p\ngroup: g\ntime: t\ntime_format: rfc3339\nsender_id: s\nsender_name: n\ntext: x\nkind: k\n"+
		"event:\n  column: e\n  join: in\n"))
	csv := "g,t,s,n,x,k,e\n" +
		",2026-11-16T09:00:00+08:00,u1,A,hi,,\n" + // no group
		"G,2026-11-16T09:00:00+08:00,,,hi,,\n" + // no sender
		"G,2026-11-16T09:00:00+08:00,u1,A,hi,gif,\n" + // unknown kind
		"G,2026-11-16T09:00:00+08:00,,,,,IN\n" + // a join without a member
		"G,2026-11-16T09:00:00+08:00,,Bo,hi @Al and @Cy,TEXT,\n" // fine: keyed by name
	rec, err := parseMapped(t, Mapped{Kind: "csv", Map: m}, mappedWriteFile(t, dir, "x.csv", csv), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"empty group (column g)", "no sender (columns s, n are empty)", `unknown kind "gif" in column k`, "join row without a member"}
	if len(rec.rejects) != len(want) {
		t.Fatalf("rejects = %+v", rec.rejects)
	}
	for i, w := range want {
		if r := rec.rejects[i]; r.Line != int64(i+2) || !strings.Contains(r.Reason, w) {
			t.Errorf("reject %d = %+v, want %q", i, r, w)
		}
	}
	if len(rec.messages) != 1 || rec.messages[0].Sender != (Person{UID: "name:Bo", Name: "Bo"}) || !slices.Equal(rec.messages[0].Mentions, []string{"Al", "Cy"}) {
		t.Errorf("messages = %+v", rec.messages)
	}
}

func TestMappedDetectAndNames(t *testing.T) {
	for _, k := range MappedKinds {
		f := Mapped{Kind: k}
		if f.Name() != "mapped-"+k || f.Detect("chat."+k, []byte("conversation,sent_at\n")) {
			t.Errorf("%s: name %q or detected", k, f.Name())
		}
	}
}

func FuzzMappedJSONL(f *testing.F) {
	b, err := os.ReadFile(filepath.Join(mappedDir, "chat.jsonl"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(b))
	f.Add(`{"msgid":"1","from":"u","roomid":"r","msgtime":1,"msgtype":"revoke","text":{"content":"\ud83d"}}`)
	f.Add("{\"a\":[{\"b\":{}}]}\n\n{")
	f.Add("[1]\n")
	f.Add("{\"msgtime\":\"1.5\",\"from\":\"x\",\"roomid\":\"\",\"msgtype\":\"TEXT\"}\r\n\x00")
	m := mustMapping(f, filepath.Join(mappedDir, "chat.jsonl.yaml"))
	f.Fuzz(func(t *testing.T, text string) {
		fuzzMapped(t, Mapped{Kind: "jsonl", Map: m}, text)
	})
}

func FuzzMappedCSV(f *testing.F) {
	b, err := os.ReadFile(filepath.Join(mappedDir, "chat.csv"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(b))
	f.Add("conversation_id,conversation,sent_at,user_id,user_name,type,content,message_id,reply_to,action,invited_by\n" +
		"g,G,2026-11-16 09:00:00,u,,photo,\"a\nb\",m,m0,MEMBER_JOINED,u2\n")
	f.Add("a,b\n\"x")
	m := mustMapping(f, filepath.Join(mappedDir, "chat.csv.yaml"))
	f.Fuzz(func(t *testing.T, text string) {
		fuzzMapped(t, Mapped{Kind: "csv", Map: m}, text)
	})
}

func fuzzMapped(t *testing.T, f Mapped, text string) {
	rec := &recorder{}
	err := f.Parse(context.Background(), Input{Path: "fuzz", R: strings.NewReader(text), TZ: time.UTC}, rec)
	if err != nil {
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("error of another kind: %v", err)
		}
		return
	}
	for _, m := range rec.messages {
		if m.Time.IsZero() || m.Group.ExternalID == "" || (m.Sender.UID == "" && m.Kind != KindSystem) {
			t.Fatalf("bad message %+v", m)
		}
	}
	for _, e := range rec.events {
		if e.Member.UID == "" || e.Group.ExternalID == "" {
			t.Fatalf("bad event %+v", e)
		}
	}
}

// writeMappedBench writes n rows like the fixtures' as CSV and JSON Lines.
func writeMappedBench(b *testing.B, n int) (csvPath, jsonlPath string) {
	b.Helper()
	dir := b.TempDir()
	var c, j bytes.Buffer
	c.WriteString("conversation_id,conversation,sent_at,user_id,user_name,type,content,message_id,reply_to,action,invited_by\n")
	t0 := time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		t := t0.Add(time.Duration(i) * time.Second)
		u := i % 500
		switch {
		case i%50 == 0:
			fmt.Fprintf(&c, "g%d,星河产品交流群 %d,%s,u%d,成员 %d,,,,,member_joined,u%d\n", i%20, i%20, t.Format("2006-01-02 15:04:05"), u, u, (u+1)%500)
		case i%10 == 0:
			fmt.Fprintf(&c, "g%d,星河产品交流群 %d,%s,u%d,成员 %d,photo,,m%d,,message,\n", i%20, i%20, t.Format("2006-01-02 15:04:05"), u, u, i)
		default:
			fmt.Fprintf(&c, "g%d,星河产品交流群 %d,%s,u%d,成员 %d,text,今天的产品例会讨论了新版本的发布计划 @成员 %d 请看一下,m%d,m%d,message,\n",
				i%20, i%20, t.Format("2006-01-02 15:04:05"), u, u, (u+7)%500, i, i-1)
		}
		fmt.Fprintf(&j, `{"msgid":"CAQQ%08dY0On2rYSAgAMg","action":"send","from":"user%d","tolist":["user%d","user%d"],"roomid":"wrOgQhDgAAcwMTB7YmDkbeBsgT_K%04d","msgtime":%d,"msgtype":"text","text":{"content":"今天的产品例会讨论了新版本的发布计划 @成员%d 请看一下"}}`+"\n",
			i, u, (u+1)%500, (u+2)%500, i%20, t.UnixMilli(), (u+7)%500)
	}
	csvPath, jsonlPath = filepath.Join(dir, "chat.csv"), filepath.Join(dir, "chat.jsonl")
	if err := os.WriteFile(csvPath, c.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(jsonlPath, j.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	return csvPath, jsonlPath
}

func BenchmarkMappedParse(b *testing.B) {
	const n = 200000
	csvPath, jsonlPath := writeMappedBench(b, n)
	cases := []struct {
		kind, path, mapping string
	}{
		{"csv", csvPath, "chat.csv.yaml"},
		{"jsonl", jsonlPath, "chat.jsonl.yaml"},
	}
	for _, c := range cases {
		b.Run(c.kind, func(b *testing.B) {
			benchMapped(b, Mapped{Kind: c.kind, Map: mustMapping(b, filepath.Join(mappedDir, c.mapping))}, c.path, n)
		})
	}
}

func benchMapped(b *testing.B, f Mapped, path string, n int64) {
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		file, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		var d slackCount
		if err := f.Parse(context.Background(), Input{Path: path, R: file, TZ: time.UTC}, &d); err != nil {
			b.Fatal(err)
		}
		file.Close()
		if d.n != n {
			b.Fatalf("parsed %d, want %d", d.n, n)
		}
	}
	b.ReportMetric(float64(n*int64(b.N))/b.Elapsed().Seconds(), "msgs/s")
}
