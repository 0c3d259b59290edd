package format

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

const slackFixture = "../../testdata/slack/export"

// slackZip writes the folder dir as a ZIP at dst, its entries under prefix,
// the way Slack's export and `zip -r` lay them out.
func slackZip(t testing.TB, dir, dst, prefix string) {
	t.Helper()
	f, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	w := zip.NewWriter(f)
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		ew, err := w.Create(prefix + filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		_, err = ew.Write(b)
		return err
	})
	if err == nil {
		err = w.Close()
	}
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
}

func parseSlackZip(t testing.TB, path string) (*recorder, error) {
	t.Helper()
	rec := &recorder{}
	err := SlackExport{}.Parse(context.Background(), Input{Path: path, R: strings.NewReader(""), TZ: time.UTC}, rec)
	return rec, err
}

func TestSlackFixture(t *testing.T) {
	zipPath := filepath.Join(t.TempDir(), "星河 Slack export Nov 16 2026 - Nov 17 2026.zip")
	slackZip(t, slackFixture, zipPath, "")
	nested := filepath.Join(t.TempDir(), "nested.zip")
	slackZip(t, slackFixture, nested, "slack-export/")

	runs := map[string]func() (*recorder, error){
		"folder": func() (*recorder, error) {
			rec := &recorder{}
			return rec, ParseSlackDir(context.Background(), slackFixture, time.UTC, rec)
		},
		"zip":        func() (*recorder, error) { return parseSlackZip(t, zipPath) },
		"nested zip": func() (*recorder, error) { return parseSlackZip(t, nested) },
	}
	for name, run := range runs {
		t.Run(name, func(t *testing.T) {
			rec, err := run()
			if err != nil {
				t.Fatal(err)
			}
			checkSlackFixture(t, rec)
		})
	}
}

func checkSlackFixture(t *testing.T, rec *recorder) {
	t.Helper()
	if len(rec.rejects) != 0 {
		t.Fatalf("rejects: %+v", rec.rejects)
	}
	kinds := map[string]int{}
	senders := map[string]bool{}
	byID := map[string]Message{}
	for _, m := range rec.messages {
		kinds[m.Kind]++
		if m.Sender.UID != "" {
			senders[m.Sender.UID] = true
		}
		if m.Group.Platform != "slack" || m.ExternalID == "" {
			t.Errorf("message %+v", m)
		}
		byID[m.ExternalID] = m
	}
	wantKinds := map[string]int{KindText: 7, KindImage: 1, KindLink: 1, KindSystem: 1, KindVoice: 1, KindVideo: 1, KindFile: 1, KindRecall: 1}
	if len(rec.messages) != 14 || !slackMapsEqual(kinds, wantKinds) {
		t.Errorf("messages = %d by kind %v, want 14 by kind %v", len(rec.messages), kinds, wantKinds)
	}
	// 张伟, 王芳, Lina, Tom, 陈静, 杨磊, 周杰 and the GitHub bot.
	if len(senders) != 8 || !senders["B07ZWGH01"] {
		t.Errorf("senders = %v, want 8 with the bot", senders)
	}
	events := map[string]int{}
	for _, e := range rec.events {
		events[e.Kind+"/"+e.Source]++
		if e.Group.Platform != "slack" || e.Member.UID == "" || e.Time.IsZero() {
			t.Errorf("event %+v", e)
		}
	}
	wantEvents := map[string]int{"join/referral": 2, "join/unknown": 1, "leave/": 2}
	if !slackMapsEqual(events, wantEvents) {
		t.Errorf("events = %v, want %v", events, wantEvents)
	}

	// The welcome: two lines, mentions by id shown by display name, 09:02
	// in Shanghai, a thread parent that is not a reply itself.
	welcome := byID["1794790920.000300"]
	wantText := "欢迎 @陈静 | 星河科技 | 上海 和 @杨磊 加入!\n请先做个自我介绍：姓名 | 公司 | 城市"
	if welcome.Text != wantText || !slices.Equal(welcome.Mentions, []string{"U07ZW1005", "U07ZW1006"}) || welcome.ReplyTo != "" {
		t.Errorf("welcome = %q %q reply %q", welcome.Text, welcome.Mentions, welcome.ReplyTo)
	}
	if want := time.Date(2026, 11, 16, 9, 2, 0, 300000, slackLoc(t, "Asia/Shanghai")); !welcome.Time.Equal(want) {
		t.Errorf("welcome time = %v, want %v", welcome.Time, want)
	}
	if welcome.Group != (Group{Platform: "slack", ExternalID: "C07ZWGEN1", Name: "general"}) {
		t.Errorf("group = %+v", welcome.Group)
	}
	if welcome.Sender != (Person{UID: "U07ZW1001", Name: "张伟 | 星河科技 | 杭州"}) || welcome.Line != 17 {
		t.Errorf("sender = %+v line %d", welcome.Sender, welcome.Line)
	}
	intro := byID["1794791010.000400"]
	if intro.Text != "大家好，我是陈静\n星河科技 | 产品经理 | 上海\n喜欢跑步" || intro.ReplyTo != "1794790920.000300" {
		t.Errorf("intro = %+v", intro)
	}
	if m := byID["1794791400.000900"]; m.ReplyTo != "1794790920.000300" || m.Text != "Also sent to channel: 手册在置顶 #random" {
		t.Errorf("broadcast = %+v", m)
	}
	// display_name is empty for 王芳: her full name is used.
	if m := byID["1794791100.000500"]; m.Kind != KindImage || m.Text != "screenshot.png" || m.Sender.Name != "王芳" {
		t.Errorf("image = %+v", m)
	}
	if m := byID["1794791160.000600"]; m.Text != "Release notes: v2.3 notes (https://example.com/releases/2026-11) & changelog, see example.com" {
		t.Errorf("link text = %q", m.Text)
	}
	if m := byID["1794791280.000800"]; m.Sender != (Person{UID: "B07ZWGH01", Name: "GitHub"}) || m.Kind != KindText {
		t.Errorf("bot = %+v", m)
	}
	if m := byID["1794791220.000700"]; m.Sender.UID != "" || m.Text != "@张伟 | 星河科技 | 杭州 set the channel topic: 每周一 10:00 产品例会" {
		t.Errorf("topic = %+v", m)
	}
	if m := byID["1794880800.000100"]; m.Kind != KindVideo || m.Text != "演示视频 @here" || m.Group.Name != "general" {
		t.Errorf("video = %+v", m)
	}
	if m := byID["1794881100.000200"]; m.Kind != KindFile || !slices.Equal(m.Mentions, []string{"U07ZW1002"}) || m.Text != "Spec attached, cc @王芳" {
		t.Errorf("file = %+v", m)
	}
	if m := byID["1794882060.000500"]; m.ReplyTo != "1794882000.000400" || byID["1794882000.000400"].Kind != KindRecall {
		t.Errorf("reply to a deleted parent = %+v", m)
	}
	if m := byID["1794798060.000200"]; m.Text != "周末有人去爬山吗？" || m.Group.ExternalID != "C07ZWRND1" || m.Sender.Name != "周杰" {
		t.Errorf("escaped = %+v", m)
	}
	if m := byID["1794798120.000300"]; m.Text != "I'm in :+1: <3" {
		t.Errorf("entities = %q", m.Text)
	}

	first := rec.events[0]
	if first.Inviter != (Person{UID: "U07ZW1001", Name: "张伟 | 星河科技 | 杭州"}) || first.Member.UID != "U07ZW1005" ||
		first.Line != 2 || !first.Time.Equal(time.Unix(1794790800, 100000)) {
		t.Errorf("first join = %+v", first)
	}
	last := rec.events[len(rec.events)-1]
	if last.Kind != EventJoin && last.Kind != EventLeave {
		t.Errorf("last event %+v", last)
	}
	// Day files are read in channel then date order.
	if rec.messages[0].Group.Name != "general" || rec.messages[len(rec.messages)-1].Group.Name != "random" {
		t.Errorf("order: first %+v last %+v", rec.messages[0].Group, rec.messages[len(rec.messages)-1].Group)
	}
	var randomJoin Event
	for _, e := range rec.events {
		if e.Group.Name == "random" && e.Kind == EventJoin {
			randomJoin = e
		}
	}
	if randomJoin.Inviter.UID != "U07ZW1003" || randomJoin.Inviter.Name != "Lina" || randomJoin.Member.Name != "周杰" {
		t.Errorf("random join = %+v", randomJoin)
	}
}

func slackMapsEqual[K comparable, V comparable](a, b map[K]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func slackLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestSlackDetect(t *testing.T) {
	dir := t.TempDir()
	zipOf := func(name string, entries ...string) string {
		t.Helper()
		path := filepath.Join(dir, name)
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		w := zip.NewWriter(f)
		for _, e := range entries {
			// Store (no data descriptor) for names starting with "s:", so
			// that both ways of reading the entries are tried.
			var ew io.Writer
			data := []byte("[]")
			if strings.HasSuffix(e, "/") {
				data = nil
			}
			if rest, ok := strings.CutPrefix(e, "s:"); ok {
				ew, err = w.CreateRaw(&zip.FileHeader{Name: rest, Method: zip.Store, CompressedSize64: uint64(len(data)),
					UncompressedSize64: uint64(len(data)), CRC32: crc32.ChecksumIEEE(data)})
			} else {
				ew, err = w.Create(e)
			}
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ew.Write(data); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		f.Close()
		return path
	}
	cases := []struct {
		path string
		want bool
	}{
		{zipOf("export.zip", "channels.json", "users.json", "general/2026-11-16.json"), true},
		{zipOf("EXPORT.ZIP", "s:integration_logs.json", "s:canvases.json", "s:users.json"), true},
		{zipOf("nested.zip", "星河 Slack export/channels.json"), true},
		{zipOf("no index.zip", "s:general/", "s:general/2026-11-16.json"), true},
		{zipOf("late.zip", "a.txt", "b.txt", "general/2026-11-16.json"), true},
		// iOS WhatsApp's export: not Slack's, and not refused as such.
		{zipOf("WhatsApp Chat - 星河.zip", "_chat.txt", "00000012-PHOTO-2026-11-16-09-15-00.jpg"), false},
		{zipOf("stored.zip", "s:_chat.txt", "s:IMG-20261116-WA0001.jpg"), false},
		{zipOf("photos.zip", "2026-11-16.json", "a/b/c/2026-11-16.json", "__MACOSX/general/2026-11-16.json"), false},
		{zipOf("empty.zip"), false},
	}
	for _, c := range cases {
		head, err := os.ReadFile(c.path)
		if err != nil {
			t.Fatal(err)
		}
		if got := (SlackExport{}).Detect(c.path, head[:min(len(head), HeadSize)]); got != c.want {
			t.Errorf("Detect(%s) = %v", filepath.Base(c.path), got)
		}
	}
	for _, c := range []struct{ name, head string }{
		{"export.txt", "PK\x03\x04"},
		{"users.json", `[{"id":"U1"}]`},
		{"community.txt", "消息记录（此消息记录为文本格式，不支持重新导入）"},
		{"missing.zip", "PK\x03\x04\x14\x00\x08\x00"},
	} {
		if (SlackExport{}).Detect(c.name, []byte(c.head)) {
			t.Errorf("Detect(%q, %q) = true", c.name, c.head)
		}
	}
}

func TestSlackTime(t *testing.T) {
	cases := []struct {
		ts   string
		want time.Time
		ok   bool
	}{
		{"1794790860.000100", time.Unix(1794790860, 100000), true},
		{"1794790860", time.Unix(1794790860, 0), true},
		{"1794790860.5", time.Unix(1794790860, 500000000), true},
		{"", time.Time{}, false},
		{".5", time.Time{}, false},
		{"17947x0860.000100", time.Time{}, false},
		{"1794790860.0001x0", time.Time{}, false},
		{"-1794790860.000100", time.Time{}, false},
		{"1794790860.0000000001", time.Time{}, false},
	}
	for _, c := range cases {
		got, ok := slackTime([]byte(c.ts))
		if ok != c.ok || !got.Equal(c.want) {
			t.Errorf("slackTime(%q) = %v %v", c.ts, got, ok)
		}
	}
}

func TestSlackRender(t *testing.T) {
	p := &slackParser{
		users:    map[string]slackUser{"U1": {name: "张伟"}, "U2": {name: "Tom"}},
		channels: map[string]string{"C1": "general"},
		persons:  map[string]Person{"U9": {UID: "U9", Name: "访客"}},
	}
	cases := []struct {
		src, text string
		mentions  []string
		link      bool
	}{
		{"plain 文本", "plain 文本", nil, false},
		{"<@U1> hi <@U2|tom>", "@张伟 hi @Tom", []string{"U1", "U2"}, false},
		{"<@U7|guest> and <@U8>", "@guest and @U8", []string{"U7", "U8"}, false},
		{"<@U9> 来了", "@访客 来了", []string{"U9"}, false},
		{"see <#C1> or <#C2|random> or <#C3>", "see #general or #random or #C3", nil, false},
		{"<!here> <!channel|@channel> <!everyone>", "@here @channel @everyone", nil, false},
		{"<!subteam^S123|@ops> <!date^1392734382^{date}|Feb 18th>", "@ops Feb 18th", nil, false},
		{"<https://a.example/x?q=1&amp;r=2>", "https://a.example/x?q=1&r=2", nil, true},
		{"<https://a.example/x|文档>", "文档 (https://a.example/x)", nil, true},
		{"<http://example.com|example.com>", "example.com", nil, true},
		{"<http://example.com/|example.com>", "example.com", nil, true},
		{"<mailto:a@b.c|a@b.c> <tel:123>", "a@b.c tel:123", nil, false},
		{"1 &lt; 2 &amp;&amp; 3 &gt; 2 &nbsp;", "1 < 2 && 3 > 2 &nbsp;", nil, false},
		{"a <b unclosed", "a <b unclosed", nil, false},
		{"<weird>", "<weird>", nil, false},
		{"<@>", "<@>", nil, false},
	}
	for _, c := range cases {
		var got []string
		text, link := p.render([]byte(c.src), &got)
		if text != c.text || link != c.link || !slices.Equal(got, c.mentions) {
			t.Errorf("render(%q) = %q %v %q, want %q %v %q", c.src, text, link, got, c.text, c.link, c.mentions)
		}
	}
}

// slackFS is a minimal export around one day file.
func slackFS(day string) fstest.MapFS {
	return fstest.MapFS{
		"users.json":              {Data: []byte(`[{"id":"U1","name":"a","profile":{"display_name":"阿甲"}}]`)},
		"channels.json":           {Data: []byte(`[{"id":"C1","name":"general"}]`)},
		"general/2026-11-16.json": {Data: []byte(day)},
	}
}

func parseSlackMap(t testing.TB, fsys fs.FS) (*recorder, error) {
	t.Helper()
	rec := &recorder{}
	return rec, parseSlack(context.Background(), Input{Path: "export.zip"}, fsys, "export.zip", rec)
}

func TestSlackRejects(t *testing.T) {
	day := `[
  {"type":"message","user":"U1","text":"ok","ts":"1794790860.000100"},
  {"type":"message","user":"U1","text":"no ts"},
  {"type":"message","user":"U1","text":"bad","ts":"yesterday"},
  42,
  {"type":"message","user":"U1","text":["not","a string"],"ts":"1794790861.000100"},
  {"type":"reaction_added","user":"U1","ts":"1794790862.000100"},
  {"type":"message","subtype":"channel_join","ts":"1794790863.000100","text":"someone joined"},
  {"type":"message","user":"U1","text":"still read","ts":"1794790864.000100","thread_ts":null}
]`
	rec, err := parseSlackMap(t, slackFS(day))
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.messages) != 2 || rec.messages[1].Text != "still read" || rec.messages[1].Line != 9 {
		t.Fatalf("messages = %+v", rec.messages)
	}
	want := []struct {
		line   int64
		reason string
	}{
		{3, "message without ts"}, {4, "bad ts"}, {5, "not a message object"},
		{6, `"text" is not a string`}, {7, "not a message (type \"reaction_added\")"}, {8, "channel_join without user"},
	}
	if len(rec.rejects) != len(want) {
		t.Fatalf("rejects = %+v", rec.rejects)
	}
	for i, w := range want {
		r := rec.rejects[i]
		if r.Line != w.line || !strings.HasPrefix(r.Reason, "general/2026-11-16.json: "+w.reason) || r.Raw == "" {
			t.Errorf("reject %d = %+v, want line %d %q", i, r, w.line, w.reason)
		}
	}
	if rec.rejects[2].Raw != "42" {
		t.Errorf("raw = %q", rec.rejects[2].Raw)
	}
}

func TestSlackErrors(t *testing.T) {
	ok := slackFS(`[]`)
	cases := []struct {
		name string
		fsys fstest.MapFS
		path string
		line int64
		msg  string
	}{
		{"truncated day", slackFS("[\n {\"type\":\"message\",\n  \"text\":\"cut"), "export.zip/general/2026-11-16.json", 3, "unterminated string"},
		{"truncated array", slackFS("[\n {\"ts\":\"1.0\"},\n"), "export.zip/general/2026-11-16.json", 3, "unexpected end of file"},
		{"object day", slackFS(`{"messages":[]}`), "export.zip/general/2026-11-16.json", 1, "want a JSON array of messages"},
		{"binary day", slackFS("[\n\x00\x01\x02"), "export.zip/general/2026-11-16.json", 2, "binary data"},
		{"invalid utf-8", slackFS("[\n{\"ts\":\"1.0\",\"text\":\"\xff\xfe\"}]"), "export.zip/general/2026-11-16.json", 2, "invalid UTF-8"},
		{"trailing data", slackFS("[]\n[]"), "export.zip/general/2026-11-16.json", 2, "data after the end"},
		{"empty day", slackFS(""), "export.zip/general/2026-11-16.json", 1, "unexpected end of file"},
		{"no export", fstest.MapFS{"chat/_chat.txt": {Data: []byte("[]")}, "2026-11-16.json": {Data: []byte("{}")}}, "export.zip", 1, "not a Slack export"},
		{"bad users", func() fstest.MapFS {
			m := slackCloneFS(ok)
			m["users.json"] = &fstest.MapFile{Data: []byte("[\n{\"id\":\"U1\",\n\"name\":}\n]")}
			return m
		}(), "export.zip/users.json", 3, "invalid JSON"},
		{"users not a list", func() fstest.MapFS {
			m := slackCloneFS(ok)
			m["users.json"] = &fstest.MapFile{Data: []byte(`{"U1":{}}`)}
			return m
		}(), "export.zip/users.json", 1, "a Slack export's users.json is a list"},
		{"channels of strings", func() fstest.MapFS {
			m := slackCloneFS(ok)
			m["channels.json"] = &fstest.MapFile{Data: []byte("[\n\"general\"\n]")}
			return m
		}(), "export.zip/channels.json", 2, "want an object"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := parseSlackMap(t, c.fsys)
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Path != c.path || pe.Line != c.line || !strings.Contains(pe.Msg, c.msg) || pe.Format != slackFormat {
				t.Fatalf("err = %v, want %s:%d %q", err, c.path, c.line, c.msg)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error spans lines: %q", err)
			}
		})
	}
}

func slackCloneFS(m fstest.MapFS) fstest.MapFS {
	out := fstest.MapFS{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

func TestSlackArchiveErrors(t *testing.T) {
	dir := t.TempDir()
	notZip := filepath.Join(dir, "export.zip")
	if err := os.WriteFile(notZip, []byte("PK\x03\x04 but not really a zip"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := parseSlackZip(t, notZip)
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Path != notZip || pe.Line != 1 || !strings.Contains(pe.Msg, "not a readable ZIP archive") {
		t.Errorf("not a zip: %v", err)
	}
	other := filepath.Join(dir, "photos.zip")
	slackZip(t, "../../testdata/bad", other, "")
	if _, err := parseSlackZip(t, other); !errors.As(err, &pe) || !strings.Contains(pe.Msg, "not a Slack export") {
		t.Errorf("other zip: %v", err)
	}
	if err := ParseSlackDir(context.Background(), filepath.Join(slackFixture, "users.json"), time.UTC, &recorder{}); !errors.As(err, &pe) || pe.Msg != "not a folder" {
		t.Errorf("file as folder: %v", err)
	}
}

func TestSlackSkipsDMsAndStrays(t *testing.T) {
	fsys := slackFS(`[{"type":"message","user":"U1","text":"hi","ts":"1794790860.000100"}]`)
	fsys["dms.json"] = &fstest.MapFile{Data: []byte(`[{"id":"D1","created":1794790000,"members":["U1","U2"]}]`)}
	fsys["D1/2026-11-16.json"] = &fstest.MapFile{Data: []byte(`[{"type":"message","user":"U1","text":"private","ts":"1794790861.000100"}]`)}
	fsys["general/attachments/F1-a.json"] = &fstest.MapFile{Data: []byte(`not json`)}
	fsys["general/notes.json"] = &fstest.MapFile{Data: []byte(`not json`)}
	fsys["__MACOSX/general/._2026-11-16.json"] = &fstest.MapFile{Data: []byte("\x00\x05")}
	fsys["ops/2026-11-16.json"] = &fstest.MapFile{Data: []byte(`[{"type":"message","user":"U3","text":"orphan","ts":"1794790862.000100","user_profile":{"display_name":"","real_name":"Guest"}}]`)}
	fsys["integration_logs.json"] = &fstest.MapFile{Data: []byte(`{"logs":[]}`)}
	rec, err := parseSlackMap(t, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.messages) != 2 {
		t.Fatalf("messages = %+v", rec.messages)
	}
	if g, s := rec.messages[1].Group, rec.messages[1].Sender; g != (Group{Platform: "slack", ExternalID: "ops", Name: "ops"}) || s != (Person{UID: "U3", Name: "Guest"}) {
		t.Errorf("orphan folder = %+v %+v", g, s)
	}
}

func TestSlackCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := ParseSlackDir(ctx, slackFixture, time.UTC, &recorder{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

func FuzzSlackExport(f *testing.F) {
	// The fixture's first messages, as Slack writes them (a whole day file
	// makes each new input slow to minimise).
	b, err := os.ReadFile(filepath.Join(slackFixture, "general/2026-11-16.json"))
	if err != nil {
		f.Fatal(err)
	}
	cut := bytes.Index(b, []byte(",\n        \"blocks\""))
	f.Add(string(b[:cut]) + "\n    }\n]")
	f.Add(`[{"type":"message","user":"U1","text":"<@U1|x> <https://a|b> &amp; <#C1> <!here>","ts":"1.0","files":[{"mimetype":"image/png"}]}]`)
	f.Add(`[{"subtype":"channel_join","user":"U2","inviter":"U1","ts":"1794790860.000100"},{"subtype":"tombstone","ts":"2"}]`)
	f.Add(`[{"ts":"1.0","text":"\ud83d\ude00 \u00e9"`)
	f.Add(`[1,"x",null,[],{}]`)
	f.Add("[\x00]")
	f.Add(`[{"type":"message","subtype":"bot_message","bot_id":"B1","attachments":[{"fallback":"f"},{"pretext":"p","text":"t"}],"ts":"1.0","file":{"mimetype":"image/png"}}]`)
	f.Fuzz(func(t *testing.T, day string) {
		small := &recorder{}
		err := parseSlack(context.Background(), Input{Path: "export.zip", MaxMessage: 40}, slackFS(day), "export.zip", small)
		var pe *ParseError
		if err != nil && !errors.As(err, &pe) {
			t.Fatalf("small limit: error of another kind: %v", err)
		}
		rec, err := parseSlackMap(t, slackFS(day))
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error of another kind: %v", err)
			}
			return
		}
		for _, m := range rec.messages {
			if m.Time.IsZero() || m.ExternalID == "" || m.Group.Platform != "slack" {
				t.Fatalf("bad message %+v", m)
			}
		}
	})
}

// writeSlackBench writes an export of n messages over 4 channels and 50
// days per channel, shaped like Slack's (pretty-printed, with profiles,
// blocks and reactions), as a ZIP with deflate when zipped is true and as a
// folder otherwise. It returns the path and the byte size of the JSON.
func writeSlackBench(b *testing.B, n int, zipped bool) (string, int64) {
	b.Helper()
	dir := b.TempDir()
	files := map[string][]byte{
		"users.json":    []byte(`[{"id":"U1","name":"a","real_name":"张伟","profile":{"display_name":"张伟 | 星河 | 杭州"}},{"id":"U2","name":"b","real_name":"Tom"}]`),
		"channels.json": []byte(`[{"id":"C1","name":"c1"},{"id":"C2","name":"c2"},{"id":"C3","name":"c3"},{"id":"C4","name":"c4"}]`),
	}
	const channels, days = 4, 50
	perFile := n / (channels * days)
	var size int64
	var buf bytes.Buffer
	for c := 1; c <= channels; c++ {
		for d := 0; d < days; d++ {
			buf.Reset()
			buf.WriteString("[\n")
			day := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d)
			for i := 0; i < perFile; i++ {
				if i > 0 {
					buf.WriteString(",\n")
				}
				ts := fmt.Sprintf("%d.%06d", day.Unix()+int64(i), i)
				switch {
				case i%50 == 0:
					fmt.Fprintf(&buf, "    {\n        \"user\": \"U2\",\n        \"type\": \"message\",\n        \"subtype\": \"channel_join\",\n        \"ts\": \"%s\",\n        \"text\": \"<@U2> has joined the channel\",\n        \"inviter\": \"U1\"\n    }", ts)
				case i%10 == 0:
					fmt.Fprintf(&buf, `    {
        "user": "U1",
        "type": "message",
        "ts": "%s",
        "text": "",
        "files": [
            {
                "id": "F0%d",
                "name": "photo.jpg",
                "title": "photo.jpg",
                "mimetype": "image\/jpeg",
                "filetype": "jpg",
                "size": 123456,
                "url_private": "https:\/\/files.slack.com\/files-pri\/T1-F0\/photo.jpg"
            }
        ],
        "upload": true,
        "user_profile": {
            "display_name": "张伟 | 星河 | 杭州",
            "real_name": "张伟",
            "name": "a"
        }
    }`, ts, i)
				default:
					text := `今天的产品例会讨论了新版本的发布计划 <@U2> please review <https:\/\/example.com\/doc|the doc>`
					fmt.Fprintf(&buf, `    {
        "user": "U1",
        "type": "message",
        "ts": "%s",
        "client_msg_id": "3f1e2d4c-0000-4000-8000-%012d",
        "text": "%s",
        "team": "T1",
        "thread_ts": "%d.000000",
        "parent_user_id": "U2",
        "user_profile": {
            "avatar_hash": "g1234567890a",
            "first_name": "伟",
            "real_name": "张伟",
            "display_name": "张伟 | 星河 | 杭州",
            "team": "T1",
            "name": "a",
            "is_restricted": false,
            "is_ultra_restricted": false
        },
        "blocks": [
            {
                "type": "rich_text",
                "block_id": "Ab1C",
                "elements": [
                    {
                        "type": "rich_text_section",
                        "elements": [
                            {"type": "text", "text": "今天的产品例会讨论了新版本的发布计划 "},
                            {"type": "user", "user_id": "U2"},
                            {"type": "text", "text": " please review "},
                            {"type": "link", "url": "https:\/\/example.com\/doc", "text": "the doc"}
                        ]
                    }
                ]
            }
        ],
        "reactions": [{"name": "+1", "users": ["U2"], "count": 1}]
    }`, ts, i, text, day.Unix())
				}
			}
			buf.WriteString("\n]")
			size += int64(buf.Len())
			files[fmt.Sprintf("c%d/%s.json", c, day.Format("2006-01-02"))] = bytes.Clone(buf.Bytes())
		}
	}
	if !zipped {
		for name, data := range files {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				b.Fatal(err)
			}
		}
		return dir, size
	}
	path := filepath.Join(dir, "export.zip")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := zip.NewWriter(f)
	for name, data := range files {
		ew, err := w.Create(name)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ew.Write(data); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	return path, size
}

type slackCount struct {
	Discard
	n int64
}

func (d *slackCount) Message(*Message) error             { d.n++; return nil }
func (d *slackCount) Event(*Event) error                 { d.n++; return nil }
func (d *slackCount) Member(*Member) error               { return nil }
func (d *slackCount) Order(*Order) error                 { return nil }
func (d *slackCount) Activity(*Activity) error           { return nil }
func (d *slackCount) Reject(int64, string, string) error { return errors.New("reject") }

func BenchmarkSlackParse(b *testing.B) {
	const n = 200000
	for _, zipped := range []bool{false, true} {
		name := map[bool]string{false: "folder", true: "zip"}[zipped]
		b.Run(name, func(b *testing.B) {
			path, size := writeSlackBench(b, n, zipped)
			b.SetBytes(size)
			b.ReportAllocs()
			b.ResetTimer()
			var d slackCount
			for i := 0; i < b.N; i++ {
				d.n = 0
				var err error
				if zipped {
					err = SlackExport{}.Parse(context.Background(), Input{Path: path, R: io.LimitReader(nil, 0), TZ: time.UTC}, &d)
				} else {
					err = ParseSlackDir(context.Background(), path, time.UTC, &d)
				}
				if err != nil {
					b.Fatal(err)
				}
				if d.n != n {
					b.Fatalf("parsed %d, want %d", d.n, n)
				}
			}
			b.ReportMetric(float64(int64(n)*int64(b.N))/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}

// writeTree writes files (path -> content) under dir.
func writeTree(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// An export without users.json and channels.json: the conversation folders
// alone, or one conversation's folder.
func TestSlackWithoutIndex(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"general/2026-11-16.json": `[{"type":"message","user":"U1","text":"hi <@U2>","ts":"1794790860.000100","user_profile":{"display_name":"阿甲"}}]`,
		"general/2026-11-17.json": `[{"type":"message","user":"U2","text":"yo","ts":"1794877260.000100","user_profile":{"real_name":"Bee"}}]`,
		"random/2026-11-16.json":  `[{"type":"message","subtype":"channel_join","user":"U2","text":"<@U2> has joined the channel","ts":"1794790800.000100"}]`,
		"notes/readme.txt":        "not a channel",
	})
	for _, c := range []struct {
		dir              string
		messages, events int
		group            string
	}{{dir, 2, 1, "general"}, {filepath.Join(dir, "general"), 2, 0, "general"}} {
		if !(SlackExport{}).DetectDir(c.dir) {
			t.Fatalf("DetectDir(%s) = false", c.dir)
		}
		rec := &recorder{}
		if err := ParseSlackDir(context.Background(), c.dir, time.UTC, rec); err != nil {
			t.Fatal(err)
		}
		if len(rec.messages) != c.messages || len(rec.events) != c.events || len(rec.rejects) != 0 {
			t.Fatalf("%s: messages %+v events %+v rejects %+v", c.dir, rec.messages, rec.events, rec.rejects)
		}
		if m := rec.messages[0]; m.Group != (Group{Platform: "slack", ExternalID: c.group, Name: c.group}) ||
			m.Sender != (Person{UID: "U1", Name: "阿甲"}) || m.Text != "hi @U2" {
			t.Errorf("%s: %+v", c.dir, m)
		}
	}
	// The same as a ZIP.
	zipPath := filepath.Join(t.TempDir(), "export.zip")
	slackZip(t, dir, zipPath, "")
	head, _ := os.ReadFile(zipPath)
	if !(SlackExport{}).Detect(zipPath, head) {
		t.Error("the zip is not detected")
	}
	rec, err := parseSlackZip(t, zipPath)
	if err != nil || len(rec.messages) != 2 {
		t.Errorf("zip: %v %+v", err, rec.messages)
	}
	// Other folders are not Slack's.
	other := t.TempDir()
	writeTree(t, other, map[string]string{"2026/2026-11-16.json": `{"a": 1}`, "chats/_chat.txt": "x"})
	if (SlackExport{}).DetectDir(other) || (SlackExport{}).DetectDir(filepath.Join(other, "chats")) {
		t.Error("a folder of other files is detected")
	}
}

// An export of 2016: the single "file" object, file comments, integrations'
// messages with their text in attachments.
func TestSlackLegacyLayout(t *testing.T) {
	day := `[
{"type":"message","subtype":"file_share","text":"<@U1> uploaded a file: <https://x.slack.com/files/U1/F1/cities.js|cities>","file":{"id":"F1","name":"cities.js","title":"cities","mimetype":"text/plain","user":"U1"},"user":"U1","upload":true,"display_as_bot":false,"username":"a","bot_id":null,"ts":"1459052866.000012"},
{"type":"message","subtype":"file_comment","text":"<@U1> commented on <@U1>’s file <https://x.slack.com/files/U1/F1/cities.js|cities>: add more","file":{"id":"F1","name":"cities.js","mimetype":"text/plain"},"comment":{"id":"Fc1","user":"U1","comment":"add more"},"ts":"1459106048.000020"},
{"text":"","bot_id":"B1","attachments":[{"fallback":"[repo:master] 1 new commit by A","text":"<https://github.com/o/r/commit/1|1>: fix - A","pretext":"[repo:master] 1 new commit by A:","id":1}],"type":"message","subtype":"bot_message","ts":"1454892394.000004"},
{"text":"","bot_id":"B1","attachments":[{"pretext":"Build <https://ci/1|#1>","text":"passed"},{"title":"Coverage","text":"91%"}],"type":"message","subtype":"bot_message","ts":"1454892395.000004"},
{"type":"message","subtype":"bot_message","username":"deploy","bot_id":"B2","text":"Deployed v2","attachments":[{"fallback":"ignored: the message has text"}],"ts":"1454892396.000004"},
{"type":"message","user":"U9","bot_id":"B3","bot_profile":{"id":"B3","name":"Standup"},"text":"Time for standup","ts":"1454892397.000004"},
{"type":"message","user":"U1","text":"see <https://example.com>","attachments":[{"fallback":"Example Domain","title":"Example Domain"}],"ts":"1454892398.000004"}
]`
	rec, err := parseSlackMap(t, slackFS(day))
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.rejects) != 0 || len(rec.messages) != 7 {
		t.Fatalf("messages %+v rejects %+v", rec.messages, rec.rejects)
	}
	type row struct{ sender, kind, text string }
	var got []row
	for _, m := range rec.messages {
		got = append(got, row{m.Sender.UID, m.Kind, m.Text})
	}
	want := []row{
		{"U1", KindFile, "@阿甲 uploaded a file: cities (https://x.slack.com/files/U1/F1/cities.js)"},
		{"U1", KindFile, "@阿甲 commented on @阿甲’s file cities (https://x.slack.com/files/U1/F1/cities.js): add more"},
		{"B1", KindText, "[repo:master] 1 new commit by A"},
		{"B1", KindLink, "Build #1 (https://ci/1)\npassed\nCoverage\n91%"},
		{"B2", KindText, "Deployed v2"},
		{"U9", KindText, "Time for standup"},
		{"U1", KindLink, "see https://example.com"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("messages:\n got %q\nwant %q", got, want)
	}
	var bots []string
	for _, r := range rec.roles {
		if r.Role == RoleBot {
			bots = append(bots, r.Person.UID+"|"+r.Person.Name)
		}
	}
	if want := []string{"B1|", "B2|deploy", "U9|"}; !slices.Equal(bots, want) {
		t.Errorf("bots = %q, want %q", bots, want)
	}
}

// users.json states the workspace's staff and bots; channels.json each
// conversation's members as of the export.
func TestSlackRolesAndMembers(t *testing.T) {
	fsys := fstest.MapFS{
		"users.json": {Data: []byte(`[
{"id":"U1","name":"a","is_admin":true,"is_owner":false,"is_primary_owner":false,"is_bot":false},
{"id":"U2","name":"b","real_name":"Bee","is_admin":true,"is_owner":true,"is_primary_owner":true},
{"id":"U3","name":"c","is_admin":false,"is_bot":false,"is_app_user":false},
{"id":"U4","name":"ci","is_bot":true,"profile":{"real_name":"CI"}},
{"id":"U5","name":"app","is_app_user":true},
{"id":"USLACKBOT","name":"slackbot","is_bot":false}
]`)},
		"channels.json": {Data: []byte(`[
{"id":"C1","name":"general","created":1794700000,"members":["U1","U2","U3"]},
{"id":"C2","name":"quiet","created":1794800000,"members":["U1"]},
{"id":"C3","name":"nobody","created":1794700000}
]`)},
		"groups.json":             {Data: []byte(`[{"id":"G1","name":"staff","created":1794700000,"members":["U1","U2"]}]`)},
		"dms.json":                {Data: []byte(`[{"id":"D1","created":1794700000,"members":["U1","U3"]}]`)},
		"general/2026-11-16.json": {Data: []byte(`[{"type":"message","user":"U3","text":"hi","ts":"1794790860.000100"},{"type":"message","user":"U4","text":"build ok","ts":"1794790900.000100"}]`)},
		"staff/2026-11-17.json":   {Data: []byte(`[{"type":"message","user":"U1","text":"later","ts":"1794877260.000100"},{"type":"message","user":"USLACKBOT","text":"Reminder: standup","ts":"1794877300.000100"}]`)},
	}
	rec, err := parseSlackMap(t, fsys)
	if err != nil {
		t.Fatal(err)
	}
	var roles []string
	for _, r := range rec.roles {
		if r.Group != (Group{Platform: "slack"}) {
			t.Errorf("role of one group: %+v", r)
		}
		roles = append(roles, r.Person.UID+" "+r.Role)
	}
	if want := []string{"U1 admin", "U2 owner", "U2 admin", "U4 bot", "U5 bot", "USLACKBOT bot"}; !slices.Equal(roles, want) {
		t.Errorf("roles = %q, want %q", roles, want)
	}
	asOf := time.Unix(1794877300, 100000).UTC() // the last message of the export
	var present []string
	for _, p := range rec.presence {
		if !p.AsOf.Equal(asOf) {
			t.Errorf("presence as of %v, want %v", p.AsOf, asOf)
		}
		present = append(present, p.Group.Name+" "+p.Member.UID+" "+p.Member.Name)
	}
	want := []string{"general U1 a", "general U2 Bee", "general U3 c", "quiet U1 a", "staff U1 a", "staff U2 Bee"}
	if !slices.Equal(present, want) {
		t.Errorf("presences = %q, want %q", present, want)
	}
	if p := rec.presence[0]; p.Group != (Group{Platform: "slack", ExternalID: "C1", Name: "general"}) || p.Line != 2 {
		t.Errorf("presence = %+v", p)
	}
	// Without messages, as of the latest conversation made.
	delete(fsys, "general/2026-11-16.json")
	delete(fsys, "staff/2026-11-17.json")
	rec, err = parseSlackMap(t, fsys)
	if err != nil || len(rec.presence) != 6 || !rec.presence[0].AsOf.Equal(time.Unix(1794800000, 0)) {
		t.Errorf("err %v presences %+v", err, rec.presence)
	}
}

// A link inside an export folder is not followed: it is rejected, naming
// it, and the rest of the export loads.
func TestSlackLinksNotFollowed(t *testing.T) {
	outside := t.TempDir()
	writeTree(t, outside, map[string]string{
		"secret.json":               `[{"type":"message","user":"U6","text":"outside the export","ts":"1794790870.000100"}]`,
		"elsewhere/2026-11-18.json": `[{"type":"message","user":"U6","text":"outside too","ts":"1794790880.000100"}]`,
	})
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(slackFixture)); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{
		"general/2026-11-18.json": filepath.Join(outside, "secret.json"),
		"linked":                  filepath.Join(outside, "elsewhere"),
		"groups.json":             filepath.Join(outside, "secret.json"),
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Skip("no symlinks here:", err)
		}
	}
	rec := &recorder{}
	if err := ParseSlackDir(context.Background(), dir, time.UTC, rec); err != nil {
		t.Fatal(err)
	}
	for _, m := range rec.messages {
		if strings.Contains(m.Text, "outside") {
			t.Errorf("read through a link: %+v", m)
		}
	}
	var reasons []string
	for _, r := range rec.rejects {
		reasons = append(reasons, r.Reason)
	}
	slices.Sort(reasons)
	want := []string{
		"general/2026-11-18.json: a link inside the export: not followed",
		"groups.json: a link inside the export: not followed",
		"linked: a link inside the export: not followed",
	}
	if !slices.Equal(reasons, want) {
		t.Errorf("rejects = %q, want %q", reasons, want)
	}
	if len(rec.messages) != 14 {
		t.Errorf("messages = %d, want the fixture's 14", len(rec.messages))
	}
}

// A ZIP that expands past the cap is refused while it is read, through the
// Slack parser, with the archive's error.
func TestSlackZipBomb(t *testing.T) {
	if testing.Short() {
		t.Skip("inflates 100 MB")
	}
	path := filepath.Join(t.TempDir(), "export.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	w, _ := zw.Create("users.json")
	w.Write([]byte(`[]`))
	w, _ = zw.Create("general/2026-11-16.json")
	w.Write([]byte("["))
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for range 101 { // 101 MB of spaces: ~100 KB compressed, past 100x of 1 MB
		if _, err := w.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	w.Write([]byte("]"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = parseSlackZip(t, path)
	var pe *ParseError
	if !errors.Is(err, ErrArchiveLimit) || !errors.As(err, &pe) || !strings.HasSuffix(pe.Path, "general/2026-11-16.json") {
		t.Fatalf("err = %v", err)
	}
}

// A record larger than the message size limit is rejected with its line.
func TestSlackMessageTooLarge(t *testing.T) {
	day := "[\n{\"type\":\"message\",\"user\":\"U1\",\"text\":\"ok\",\"ts\":\"1.0\"},\n{\"type\":\"message\",\"user\":\"U1\",\"text\":\"" +
		strings.Repeat("y", 5000) + "\",\"ts\":\"2.0\"},\n{\"type\":\"message\",\"user\":\"U1\",\"text\":\"after\",\"ts\":\"3.0\"}\n]"
	rec := &recorder{}
	err := parseSlack(context.Background(), Input{Path: "export.zip", MaxMessage: 1000}, slackFS(day), "export.zip", rec)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.messages) != 2 || len(rec.rejects) != 1 || rec.rejects[0].Line != 3 ||
		!strings.HasPrefix(rec.rejects[0].Reason, "general/2026-11-16.json: a record of messages larger than 1000 bytes") {
		t.Errorf("messages %+v rejects %+v", rec.messages, rec.rejects)
	}
}
