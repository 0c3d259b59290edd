package format

import (
	"bufio"
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

func TestDiscordCSVFixture(t *testing.T) {
	rec := parseFile(t, DiscordCSV{}, "../../testdata/discord/channel.csv", nil)
	tallyOf(rec).check(t,
		map[string]int{KindText: 5, KindLink: 1, KindImage: 1, KindVoice: 1, KindVideo: 1, KindFile: 1, KindSystem: 2},
		map[string]int{"join/unknown": 2},
		6, 1)
	if len(rec.rejects) != 0 {
		t.Errorf("rejects: %v", rec.rejects)
	}
	// No channel data in the CSV: the file name is the group.
	if g := rec.messages[0].Group; g != (Group{Platform: "discord", ExternalID: "channel", Name: "channel"}) {
		t.Errorf("group = %+v", g)
	}
	m := rec.messages[1]
	if m.Text != "谢谢！\n我是做产品设计的\n喜欢跑步" || m.Sender != (Person{UID: "100000000000000003", Name: "lina_design"}) ||
		m.Line != 4 || !m.Time.Equal(time.Date(2026, 11, 16, 1, 15, 0, 0, time.UTC)) {
		t.Errorf("multi-line = %+v", m)
	}
	// The next row starts after the three lines of that one.
	if m := rec.messages[2]; m.Line != 7 || m.Kind != KindLink || m.Sender.Name != "tomchen#4821" {
		t.Errorf("after it = %+v", m)
	}
	if m := rec.messages[7]; !slices.Equal(m.Mentions, []string{"李娜"}) {
		t.Errorf("mention = %+v", m)
	}
	if m := rec.messages[8]; m.Kind != KindSystem || m.Sender.UID != "" || m.Text != "Pinned a message." {
		t.Errorf("pin = %+v", m)
	}
	if m := rec.messages[10]; m.Text != `Thanks "team", see you at the meetup` {
		t.Errorf("quotes = %q", m.Text)
	}
	if e := rec.events[0]; e.Member != (Person{UID: "100000000000000003", Name: "lina_design"}) || e.Line != 2 {
		t.Errorf("join = %+v", e)
	}
}

func TestDiscordCSVGroupFromFileName(t *testing.T) {
	cases := []struct{ path, id, name string }{
		{"exports/星河社区 - 社区 - general [910000000000000001].csv", "910000000000000001", "星河社区 / #general"},
		{"星河社区 - general [910000000000000001] (2026-11-01 to 2026-11-20).csv", "910000000000000001", "星河社区 / #general"},
		{"Direct Messages - tom [930000000000000001] [part 2].csv", "930000000000000001", "Direct Messages / #tom"},
		{"chat.csv", "chat", "chat"},
		// Renamed without the id: keyed by the names.
		{"星河社区 - 社区 - general.csv", "星河社区 / #general", "星河社区 / #general"},
		{"星河社区 - general (after 2026-11-01).csv", "星河社区 / #general", "星河社区 / #general"},
		{"Guild - with - dashes - chan [part 3].csv", "Guild / #chan", "Guild / #chan"},
	}
	for _, c := range cases {
		if g := discordCSVGroup(c.path); g.ExternalID != c.id || g.Name != c.name || g.Platform != "discord" {
			t.Errorf("%s: %+v", c.path, g)
		}
	}
}

func TestDiscordCSVRows(t *testing.T) {
	csv := "AuthorID,Author,Date,Content,Attachments,Reactions\n" +
		`"1","a","11/16/2026 9:45 AM","older default date format","",""` + "\n" +
		`"1","a","16-Nov-26 09:46 PM","oldest default date format","",""` + "\n" +
		`"1","a","yesterday","bad date","",""` + "\n" +
		`"1","a","0001-01-01 00:00:00","zero time","",""` + "\n" +
		`"","a","2026-11-16T09:45:00+08:00","no author","",""` + "\n" +
		`"2","b","2026-11-16T09:47:00+08:00","Added 王芳 to the group.","",""` + "\n" +
		`"2","b","2026-11-16T09:48:00+08:00","Removed 杨磊 from the group.","",""` + "\n" +
		`"3","c","2026-11-16T09:49:00+08:00","Left the group.","",""` + "\n" +
		`"3","c","2026-11-16T09:50:00+08:00","Started a call that lasted 3 minutes.","",""` + "\n" +
		`"3","c","2026-11-16T09:51:00+08:00","Joined the server.","https://cdn/x/a.png",""` + "\n"
	rec := &recorder{}
	err := DiscordCSV{}.Parse(context.Background(), Input{Path: "x.csv", R: strings.NewReader(csv), TZ: tgShanghai}, rec)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.messages) != 4 || len(rec.events) != 3 || len(rec.rejects) != 3 {
		t.Fatalf("messages %d events %d rejects %v", len(rec.messages), len(rec.events), rec.rejects)
	}
	if m := rec.messages[0]; !m.Time.Equal(time.Date(2026, 11, 16, 1, 45, 0, 0, time.UTC)) {
		t.Errorf("MM/dd/yyyy h:mm tt in Shanghai = %v", m.Time.UTC())
	}
	if m := rec.messages[1]; !m.Time.Equal(time.Date(2026, 11, 16, 13, 46, 0, 0, time.UTC)) {
		t.Errorf("dd-MMM-yy hh:mm tt in Shanghai = %v", m.Time.UTC())
	}
	if r := rec.rejects[0]; r.Line != 4 || r.Reason != `unreadable date "yesterday"` || r.Raw != "1,a,yesterday,bad date,," {
		t.Errorf("reject = %+v", r)
	}
	if r := rec.rejects[2]; r.Line != 6 || r.Reason != "row without an AuthorID" {
		t.Errorf("reject = %+v", r)
	}
	want := []struct{ kind, source, member, inviter string }{
		{EventJoin, SourceReferral, "name:王芳", "2"},
		{EventRemoved, "", "name:杨磊", ""},
		{EventLeave, "", "3", ""},
	}
	for i, w := range want {
		e := rec.events[i]
		if e.Kind != w.kind || e.Source != w.source || e.Member.UID != w.member || e.Inviter.UID != w.inviter {
			t.Errorf("event %d = %+v, want %+v", i, e, w)
		}
	}
	if m := rec.messages[2]; m.Kind != KindSystem || m.Sender.UID != "" {
		t.Errorf("call = %+v", m)
	}
	// With an attachment the notice text is a message someone wrote.
	if m := rec.messages[3]; m.Kind != KindImage || m.Sender.UID != "3" {
		t.Errorf("join text with an attachment = %+v", m)
	}
}

func TestDiscordCSVErrors(t *testing.T) {
	cases := []struct {
		csv  string
		line int64
		msg  string
	}{
		{"", 1, "EOF"},
		{"AuthorID,Author,Content\n", 1, "header lacks column(s) date"},
		{"AuthorID,Author,Date,Content,Attachments,Reactions\n\"1\",\"a\",\"2026-11-16T09:45:00+08:00\",\"unterminated\n", 2, "extraneous or missing \" in quoted-field"},
		{"AuthorID,Author,Date,Content,Attachments,Reactions\n\"1\",\"a\",\"2026-11-16T09:45:00+08:00\",\"a\x00b\",\"\",\"\"\n", 2, "binary data"},
	}
	for _, c := range cases {
		err := DiscordCSV{}.Parse(context.Background(), Input{Path: "x.csv", R: strings.NewReader(c.csv), TZ: time.UTC}, &recorder{})
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != c.line || !strings.Contains(pe.Msg, c.msg) {
			t.Errorf("%q: err = %v, want line %d %q", c.csv, err, c.line, c.msg)
		}
	}
}

func TestDiscordCSVDetect(t *testing.T) {
	for path, want := range map[string]bool{
		"../../testdata/discord/channel.csv":        true,
		"../../testdata/discord/channel.json":       false,
		"../../testdata/telegram/result.json":       false,
		"../../testdata/telegram/full_account.json": false,
		"../../testdata/qq/community.txt":           false,
		"../../testdata/qq/members.csv":             false,
		"../../testdata/qq/orders.csv":              false,
	} {
		head, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := (DiscordCSV{}).Detect(path, head[:min(len(head), HeadSize)]); got != want {
			t.Errorf("Detect(%s) = %v", path, got)
		}
	}
}

func FuzzDiscordCSV(f *testing.F) {
	f.Add("AuthorID,Author,Date,Content,Attachments,Reactions\r\n" +
		"\"1\",\"lina\",\"2026-11-16T09:15:00.0000000+08:00\",\"谢谢！\n我是 @Tom\",\"https://cdn/a.png?ex=1,https://cdn/b.txt\",\"👍 (2)\"\r\n" +
		"\"2\",\"zw\",\"2026-11-16T09:16:00.0000000+08:00\",\"Joined the server.\",\"\",\"\"\r\n")
	f.Add("AuthorID,Author,Date,Content,Attachments,Reactions\n\"1\",\"a\",\"11/16/2026 9:45 AM\",\"Added  to the group.\",\"\",\"\"\n")
	f.Add("AuthorID,Date,Content,Author\n1,2026-11-16T09:45:00Z,\"x\"\"y\",a\n2,,,\n")
	f.Fuzz(func(t *testing.T, text string) {
		rec := &recorder{}
		err := DiscordCSV{}.Parse(context.Background(), Input{Path: "x.csv", R: strings.NewReader(text), TZ: time.UTC}, rec)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error of another kind: %v", err)
			}
			return
		}
		for _, m := range rec.messages {
			if m.Time.IsZero() || m.Group.Platform != "discord" || m.Kind == "" {
				t.Fatalf("bad message %+v", m)
			}
		}
	})
}

// writeDiscordCSV writes n rows as CsvMessageWriter does.
func writeDiscordCSV(t testing.TB, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "压测社区 - general [910000000000000001].csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("AuthorID,Author,Date,Content,Attachments,Reactions\r\n")
	ts := time.Date(2026, 9, 1, 8, 0, 0, 0, time.FixedZone("", 8*3600))
	for i := 0; i < n; i++ {
		ts = ts.Add(time.Duration(1+i%7) * time.Second)
		uid := 100000000000000000 + (i*7919)%5000
		content, attach := strings.ReplaceAll(strings.Trim(strings.ReplaceAll(tgBenchTexts[i%len(tgBenchTexts)], `\n`, "\n"), `"`), `"`, `""`), ""
		switch {
		case i%50 == 49:
			content = "Joined the server."
		case i%10 == 7:
			content, attach = "", fmt.Sprintf("https://cdn.discordapp.com/attachments/910000000000000001/%d/IMG_%d.jpg?ex=6750a1b2", 1400000000000000000+i, i)
		}
		fmt.Fprintf(w, "\"%d\",\"member%d\",\"%s\",\"%s\",\"%s\",\"\"\r\n", uid, uid, ts.Format("2006-01-02T15:04:05.0000000-07:00"), content, attach)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func BenchmarkDiscordCSVParse(b *testing.B) {
	path := writeDiscordCSV(b, jsonBenchRecords)
	benchParse(b, DiscordCSV{}, path, jsonBenchRecords)
}
