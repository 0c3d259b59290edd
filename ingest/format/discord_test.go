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
	"testing/iotest"
	"time"
)

func TestDiscordFixture(t *testing.T) {
	rec := parseFile(t, DiscordJSON{}, "../../testdata/discord/channel.json", nil)
	tallyOf(rec).check(t,
		map[string]int{KindText: 7, KindLink: 1, KindImage: 1, KindVoice: 1, KindVideo: 1, KindFile: 1, KindSticker: 1, KindSystem: 2},
		map[string]int{"join/unknown": 2},
		7, 1)
	if len(rec.rejects) != 0 {
		t.Errorf("rejects: %v", rec.rejects)
	}
	g := rec.messages[0].Group
	if g != (Group{Platform: "discord", ExternalID: "910000000000000001", Name: "星河社区 / #general"}) {
		t.Errorf("group = %+v", g)
	}
	// A reply over three lines; the instant comes from the offset.
	m := findMessage(t, rec, "1300000000000000003")
	if m.Text != "谢谢！\n我是做产品设计的\n喜欢跑步" || m.ReplyTo != "1300000000000000002" ||
		m.Sender != (Person{UID: "100000000000000003", Name: "李娜"}) || m.Line != 111 ||
		!m.Time.Equal(time.Date(2026, 11, 16, 1, 15, 0, 123e6, time.UTC)) {
		t.Errorf("reply = %+v", m)
	}
	// Emoji come as surrogate pairs (System.Text.Json escapes them).
	if m := findMessage(t, rec, "1300000000000000004"); m.Kind != KindLink || !strings.HasSuffix(m.Text, "Friday 🙏") {
		t.Errorf("link = %+v", m)
	}
	if m := findMessage(t, rec, "1300000000000000010"); !slices.Equal(m.Mentions, []string{"100000000000000003"}) {
		t.Errorf("mention = %+v", m)
	}
	// The first attachment decides (a video before a text file).
	if m := findMessage(t, rec, "1300000000000000007"); m.Kind != KindVideo || m.Text != "demo" {
		t.Errorf("attachments = %+v", m)
	}
	if m := findMessage(t, rec, "1300000000000000011"); m.Kind != KindSystem || m.Sender.UID != "" || m.ReplyTo != "1300000000000000002" || m.Text != "Pinned a message." {
		t.Errorf("pin = %+v", m)
	}
	// A forward refers to another channel: no reply-to.
	if m := findMessage(t, rec, "1300000000000000014"); m.ReplyTo != "" {
		t.Errorf("forward = %+v", m)
	}
	if m := findMessage(t, rec, "1300000000000000015"); m.Text != `Thanks "team", see you at the meetup` || m.ReplyTo != "1300000000000000010" {
		t.Errorf("reply = %+v", m)
	}
	// A bot's message is kept, and the bot stated as one (isBot).
	if m := findMessage(t, rec, "1300000000000000013"); m.Sender.Name != "StarBot" || m.Kind != KindText {
		t.Errorf("bot = %+v", m)
	}
	if len(rec.roles) != 1 || rec.roles[0].Person.Name != "StarBot" || rec.roles[0].Role != RoleBot {
		t.Errorf("roles = %+v", rec.roles)
	}
	e := findEvent(t, rec, EventJoin, "刘洋")
	if e.Member.UID != "100000000000000004" || e.Source != SourceUnknown || e.Line != 532 ||
		!e.Time.Equal(time.Date(2026, 11, 17, 1, 0, 0, 123e6, time.UTC)) {
		t.Errorf("join = %+v", e)
	}
}

func TestDiscordGroupDM(t *testing.T) {
	rec := parseFile(t, DiscordJSON{}, "../../testdata/discord/group_dm.json", nil)
	tallyOf(rec).check(t,
		map[string]int{KindText: 2, KindSystem: 2},
		map[string]int{"join/referral": 1, "removed/": 1, "leave/": 1},
		2, 1)
	if g := rec.messages[0].Group; g.ExternalID != "930000000000000001" || g.Name != "Direct Messages / #张伟, 王芳, 杨磊" {
		t.Errorf("group = %+v", g)
	}
	if e := findEvent(t, rec, EventJoin, "王芳"); e.Member.UID != "100000000000000002" || e.Inviter != (Person{UID: "100000000000000001", Name: "张伟"}) {
		t.Errorf("added = %+v", e)
	}
	if e := findEvent(t, rec, EventRemoved, "杨磊"); e.Member.UID != "100000000000000006" {
		t.Errorf("removed = %+v", e)
	}
	if e := findEvent(t, rec, EventLeave, "王芳"); e.Member.UID != "100000000000000002" {
		t.Errorf("left = %+v", e)
	}
}

func TestDiscordOneByteReads(t *testing.T) {
	for _, path := range []string{"../../testdata/discord/channel.json", "../../testdata/discord/group_dm.json"} {
		want := parseFile(t, DiscordJSON{}, path, nil)
		got := parseFile(t, DiscordJSON{}, path, iotest.OneByteReader)
		if !slices.EqualFunc(got.messages, want.messages, messagesEqual) || !slices.Equal(got.events, want.events) {
			t.Errorf("%s: one-byte reads differ", path)
		}
	}
}

// dcDoc wraps messages in a channel export.
func dcDoc(msgs ...string) string {
	return "{\n  \"guild\": {\"id\": \"1\", \"name\": \"G\"},\n  \"channel\": {\"id\": \"2\", \"name\": \"c\"},\n  \"messages\": [\n" +
		strings.Join(msgs, ",\n") + "\n  ],\n  \"messageCount\": 0\n}\n"
}

func dcParse(t testing.TB, doc string) (*recorder, error) {
	t.Helper()
	rec := &recorder{}
	err := DiscordJSON{}.Parse(context.Background(), Input{Path: "c.json", R: strings.NewReader(doc), TZ: tgShanghai}, rec)
	return rec, err
}

func TestDiscordVariants(t *testing.T) {
	author := `"author": {"id": "7", "name": "u", "nickname": ""}`
	cases := []struct {
		name      string
		msg       string
		kind      string
		sender    string
		replyTo   string
		mentions  []string
		timestamp time.Time
	}{
		{"no nickname: the name", `{"id": "1", "type": "Default", "timestamp": "2026-01-01T00:00:00Z", "content": "x", ` + author + `}`,
			KindText, "u", "", nil, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"a timestamp without zone is local", `{"id": "1", "type": "Default", "timestamp": "2026-01-01T08:00:00", "content": "x", ` + author + `}`,
			KindText, "u", "", nil, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"seven fraction digits and a negative offset", `{"id": "1", "type": "Default", "timestamp": "2026-01-01T00:00:00.1234567-05:00", "content": "x", ` + author + `}`,
			KindText, "u", "", nil, time.Date(2026, 1, 1, 5, 0, 0, 123456700, time.UTC)},
		{"image by URL when the name has no extension", `{"id": "1", "timestamp": "2026-01-01T00:00:00Z", ` + author + `, "attachments": [{"url": "https://cdn/x/photo.PNG?ex=1", "fileName": "photo"}]}`,
			KindImage, "u", "", nil, time.Time{}},
		{"unknown attachment type", `{"id": "1", "timestamp": "2026-01-01T00:00:00Z", ` + author + `, "attachments": [{"url": "https://cdn/x/blob", "fileName": "blob"}]}`,
			KindFile, "u", "", nil, time.Time{}},
		{"a reply in the same channel", `{"id": "1", "type": "Reply", "timestamp": "2026-01-01T00:00:00Z", ` + author + `, "reference": {"messageId": "9", "channelId": "2", "guildId": "1"}}`,
			KindText, "u", "9", nil, time.Time{}},
		{"a reference to another channel", `{"id": "1", "type": "Reply", "timestamp": "2026-01-01T00:00:00Z", ` + author + `, "reference": {"messageId": "9", "channelId": "3", "guildId": "1"}}`,
			KindText, "u", "", nil, time.Time{}},
		{"mentions are user ids", `{"id": "1", "timestamp": "2026-01-01T00:00:00Z", ` + author + `, "mentions": [{"id": "8", "name": "a"}, {"id": "9", "name": "b"}], "content": "@a @b"}`,
			KindText, "u", "", []string{"8", "9"}, time.Time{}},
		{"nulls where exporters write them", `{"id": "1", "type": "Default", "timestamp": "2026-01-01T00:00:00Z", "timestampEdited": null, "content": "x", ` + author + `, "reference": null, "attachments": null, "mentions": null}`,
			KindText, "u", "", nil, time.Time{}},
		{"a numbered kind is a message", `{"id": "1", "type": "23", "timestamp": "2026-01-01T00:00:00Z", "content": "x", ` + author + `}`,
			KindText, "u", "", nil, time.Time{}},
		{"RecipientAdd without a mention is a system message", `{"id": "1", "type": "RecipientAdd", "timestamp": "2026-01-01T00:00:00Z", "content": "Added a recipient.", ` + author + `}`,
			KindSystem, "", "", nil, time.Time{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec, err := dcParse(t, dcDoc(c.msg))
			if err != nil {
				t.Fatal(err)
			}
			if len(rec.messages) != 1 {
				t.Fatalf("messages = %d, events %d, rejects %v", len(rec.messages), len(rec.events), rec.rejects)
			}
			m := rec.messages[0]
			if m.Kind != c.kind || m.Sender.Name != c.sender || m.ReplyTo != c.replyTo || !slices.Equal(m.Mentions, c.mentions) ||
				!c.timestamp.IsZero() && !m.Time.Equal(c.timestamp) {
				t.Errorf("got %+v", m)
			}
		})
	}
}

func TestDiscordRejectsAndErrors(t *testing.T) {
	good := `{"id": "1", "type": "Default", "timestamp": "2026-01-01T00:00:00Z", "content": "ok", "author": {"id": "7", "name": "u"}}`
	rec, err := dcParse(t, dcDoc(`{"id": "1", "content": "no time"}`, `{"id": "2", "timestamp": "soon"}`, good))
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.messages) != 1 || len(rec.rejects) != 2 || rec.rejects[0].Line != 5 || rec.rejects[1].Line != 6 ||
		rec.rejects[0].Reason != "message without a timestamp" || rec.rejects[1].Reason != `unreadable timestamp "soon"` ||
		rec.rejects[1].Raw != `{"id": "2", "timestamp": "soon"}` {
		t.Errorf("messages %d, rejects %+v", len(rec.messages), rec.rejects)
	}
	cases := []struct {
		doc  string
		line int64
		msg  string
	}{
		{"", 1, "unexpected end of file"},
		{`{"guild": {}, "channel": {}}`, 1, `no "messages" array`},
		{dcDoc(good)[:70], 3, "unexpected end of file"},
		{dcDoc(good, strings.Replace(good, "ok", "\\ud83d\xc3", 1)), 6, "invalid UTF-8"},
		{dcDoc(good) + "\x00", 9, "binary data"},
	}
	for _, c := range cases {
		_, err := dcParse(t, c.doc)
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != c.line || !strings.Contains(pe.Msg, c.msg) || pe.Format != "discord-json" {
			t.Errorf("%q: err = %v, want line %d %q", c.doc, err, c.line, c.msg)
		}
	}
}

func TestDiscordDetect(t *testing.T) {
	yes := []string{"../../testdata/discord/channel.json", "../../testdata/discord/group_dm.json"}
	no := []string{"../../testdata/telegram/result.json", "../../testdata/telegram/full_account.json", "../../testdata/discord/channel.csv",
		"../../testdata/qq/community.txt", "../../testdata/qq/members.csv", "../../testdata/qq/orders.csv"}
	for _, path := range append(yes, no...) {
		head, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := (DiscordJSON{}).Detect(path, head[:min(len(head), HeadSize)]), slices.Contains(yes, path); got != want {
			t.Errorf("Detect(%s) = %v", path, got)
		}
	}
}

func FuzzDiscordJSON(f *testing.F) {
	// Small seeds: the fuzzer minimises every input that finds new paths,
	// which is slow for whole fixtures.
	f.Add(dcDoc(`    {
      "id": "1300000000000000003",
      "type": "Reply",
      "timestamp": "2026-11-16T09:15:00.123+08:00",
      "timestampEdited": null,
      "isPinned": false,
      "content": "谢谢！\n我是做产品设计的 \uD83D\uDE4F",
      "author": {
        "id": "100000000000000003",
        "name": "lina_design",
        "discriminator": "0000",
        "nickname": "李娜",
        "color": null,
        "isBot": false,
        "roles": [{"id": "1", "name": "管理员", "color": "#E67E22", "position": 3}],
        "avatarUrl": "https://cdn.discordapp.com/embed/avatars/1.png"
      },
      "attachments": [{"id": "5", "url": "https://cdn/a.png?ex=1", "fileName": "a.png", "fileSizeBytes": 1}],
      "stickers": [],
      "mentions": [{"id": "100000000000000001", "name": "zhangwei", "nickname": "张伟"}],
      "reference": {"type": "Default", "messageId": "1300000000000000002", "channelId": "2", "guildId": "1"}
    }`))
	f.Add(dcDoc(`{"id": "1", "type": "RecipientRemove", "timestamp": "2026-01-01T00:00:00+08:00", "author": {"id": "7"}, "mentions": [{"id": "7"}]}`))
	f.Add(`{"guild": null, "channel": {"id": "\u0032"}, "messages": [{"attachments": [{"fileName": ".png"}], "timestamp": "2026-02-30T00:00:00Z"}]}`)
	f.Fuzz(func(t *testing.T, doc string) {
		// With a tiny size limit, records are given up anywhere inside.
		small := &recorder{}
		err := DiscordJSON{}.Parse(context.Background(), Input{Path: "c.json", R: strings.NewReader(doc), MaxMessage: 40}, small)
		var pe *ParseError
		if err != nil && (!errors.As(err, &pe) || pe.Line < 1) {
			t.Fatalf("small limit: error of another kind: %v", err)
		}
		rec, err := dcParse(t, doc)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line < 1 {
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

// writeDiscord writes a channel export of n records as DiscordChatExporter
// lays it out (one join in 50).
func writeDiscord(t testing.TB, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), fmt.Sprintf("discord-%d.json", n))
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprint(w, "{\n  \"guild\": {\n    \"id\": \"900000000000000001\",\n    \"name\": \"压测社区\",\n    \"iconUrl\": \"https://cdn.discordapp.com/icons/1/a.png\"\n  },\n"+
		"  \"channel\": {\n    \"id\": \"910000000000000001\",\n    \"type\": \"GuildTextChat\",\n    \"categoryId\": \"1\",\n    \"category\": \"社区\",\n    \"name\": \"general\",\n    \"topic\": null\n  },\n"+
		"  \"dateRange\": {\n    \"after\": null,\n    \"before\": null\n  },\n  \"exportedAt\": \"2026-11-20T10:00:00.1234567+08:00\",\n  \"messages\": [")
	ts := time.Date(2026, 9, 1, 8, 0, 0, 0, time.FixedZone("", 8*3600))
	for i := 0; i < n; i++ {
		ts = ts.Add(time.Duration(1+i%7) * time.Second)
		uid := 100000000000000000 + (i*7919)%5000
		if i > 0 {
			w.WriteString(",")
		}
		typ, content, attach, reference := "Default", tgBenchTexts[i%len(tgBenchTexts)], "[]", ""
		switch {
		case i%50 == 49:
			typ, content = "GuildMemberJoin", `"Joined the server."`
		case i%10 == 3:
			typ = "Reply"
			reference = fmt.Sprintf(",\n      \"reference\": {\n        \"type\": \"Default\",\n        \"messageId\": \"%d\",\n        \"channelId\": \"910000000000000001\",\n        \"guildId\": \"900000000000000001\"\n      }", 1300000000000000000+i-1)
		case i%10 == 7:
			content = `""`
			attach = fmt.Sprintf("[\n        {\n          \"id\": \"%d\",\n          \"url\": \"https://cdn.discordapp.com/attachments/910000000000000001/%d/IMG_%d.jpg?ex=6750a1b2\",\n          \"fileName\": \"IMG_%d.jpg\",\n          \"fileSizeBytes\": 482113\n        }\n      ]", 1400000000000000000+i, 1400000000000000000+i, i, i)
		}
		fmt.Fprintf(w, "\n    {\n      \"id\": \"%d\",\n      \"type\": \"%s\",\n      \"timestamp\": \"%s\",\n      \"timestampEdited\": null,\n      \"callEndedTimestamp\": null,\n      \"isPinned\": false,\n      \"content\": %s,\n"+
			"      \"author\": {\n        \"id\": \"%d\",\n        \"name\": \"member%d\",\n        \"discriminator\": \"0000\",\n        \"nickname\": \"成员%d\",\n        \"color\": null,\n        \"isBot\": false,\n        \"roles\": [],\n        \"avatarUrl\": \"https://cdn.discordapp.com/embed/avatars/%d.png\"\n      },\n"+
			"      \"attachments\": %s,\n      \"components\": [],\n      \"embeds\": [],\n      \"stickers\": [],\n      \"reactions\": [],\n      \"mentions\": []%s,\n      \"inlineEmojis\": []\n    }",
			1300000000000000000+i, typ, ts.Format("2006-01-02T15:04:05.000-07:00"), content, uid, uid, uid, uid%6, attach, reference)
	}
	fmt.Fprintf(w, "\n  ],\n  \"messageCount\": %d\n}\n", n)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func BenchmarkDiscordParse(b *testing.B) {
	path := writeDiscord(b, jsonBenchRecords)
	benchParse(b, DiscordJSON{}, path, jsonBenchRecords)
}

// A thread's export belongs to the channel it was started in, which the
// exporter writes as the thread's category.
func TestDiscordThread(t *testing.T) {
	doc := `{
  "guild": {"id": "1", "name": "G"},
  "channel": {"id": "50", "type": "GuildPublicThread", "categoryId": "2", "category": "general", "name": "活动报名", "topic": null},
  "messages": [
    {"id": "60", "type": "21", "timestamp": "2026-01-01T00:00:00Z", "content": "", "author": {"id": "7", "name": "u"}, "reference": {"type": "Default", "messageId": "40", "channelId": "2", "guildId": "1"}},
    {"id": "61", "type": "Reply", "timestamp": "2026-01-01T00:01:00Z", "content": "me too", "author": {"id": "8", "name": "v"}, "reference": {"type": "Default", "messageId": "60", "channelId": "50", "guildId": "1"}},
    {"id": "62", "type": "RecipientAdd", "timestamp": "2026-01-01T00:02:00Z", "content": "Added w to the group.", "author": {"id": "7", "name": "u"}, "mentions": [{"id": "9", "name": "w"}]}
  ]
}`
	rec, err := dcParse(t, doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.messages) != 3 || len(rec.events) != 0 {
		t.Fatalf("messages %+v events %+v", rec.messages, rec.events)
	}
	for _, m := range rec.messages {
		if m.Group != (Group{Platform: "discord", ExternalID: "2", Name: "G / #general"}) {
			t.Errorf("group = %+v", m.Group)
		}
	}
	// The starter refers to the parent's message, a reply to the thread's.
	if a, b := rec.messages[0], rec.messages[1]; a.ReplyTo != "40" || b.ReplyTo != "60" || a.Kind != KindText {
		t.Errorf("replies: %+v %+v", a, b)
	}
	// Adding someone to a thread is not a join of the channel.
	if m := rec.messages[2]; m.Kind != KindSystem || m.Sender.UID != "" {
		t.Errorf("thread member added = %+v", m)
	}
}

func TestDiscordBotsAndNotices(t *testing.T) {
	bot := `"author": {"id": "99", "name": "StarBot", "nickname": "StarBot", "isBot": true}`
	user := `"author": {"id": "7", "name": "u", "nickname": "", "isBot": false}`
	doc := dcDoc(
		`{"id": "1", "type": "Default", "timestamp": "2026-01-01T00:00:00Z", "content": "hi @StarBot", `+user+`, "mentions": [{"id": "99", "name": "StarBot", "isBot": true}, {"id": "98", "name": "Helper", "isBot": true}]}`,
		`{"id": "2", "type": "20", "timestamp": "2026-01-01T00:00:01Z", "content": "Pong!", `+bot+`}`,
		`{"id": "3", "type": "Default", "timestamp": "2026-01-01T00:00:02Z", "content": "Daily digest", `+bot+`}`,
		`{"id": "4", "type": "8", "timestamp": "2026-01-01T00:00:03Z", "content": "", `+user+`}`,
		`{"id": "5", "type": "24", "timestamp": "2026-01-01T00:00:04Z", "content": "", "author": {"id": "97", "name": "AutoMod", "isBot": false}}`,
		`{"id": "6", "type": "46", "timestamp": "2026-01-01T00:00:05Z", "content": "", `+bot+`}`,
		`{"id": "7", "type": "GuildMemberJoin", "timestamp": "2026-01-01T00:00:06Z", "content": "Joined the server.", `+bot+`}`,
		`{"id": "8", "type": "ChannelPinnedMessage", "timestamp": "2026-01-01T00:00:07Z", "content": "Pinned a message.", `+user+`}`,
	)
	rec, err := dcParse(t, doc)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, m := range rec.messages {
		kinds = append(kinds, m.ExternalID+":"+m.Kind)
	}
	if want := []string{"1:text", "2:text", "3:text", "4:system", "5:system", "6:system", "8:system"}; !slices.Equal(kinds, want) {
		t.Errorf("kinds = %v, want %v", kinds, want)
	}
	if len(rec.events) != 1 || rec.events[0].Member.UID != "99" {
		t.Errorf("events = %+v", rec.events)
	}
	var bots []string
	for _, r := range rec.roles {
		if r.Role != RoleBot || r.Group != (Group{Platform: "discord"}) {
			t.Errorf("role = %+v", r)
		}
		bots = append(bots, r.Person.UID+"|"+r.Person.Name)
	}
	if want := []string{"99|StarBot", "98|Helper"}; !slices.Equal(bots, want) {
		t.Errorf("bots = %v, want %v", bots, want)
	}
}

func TestDiscordMessageTooLarge(t *testing.T) {
	good := `{"id": "1", "type": "Default", "timestamp": "2026-01-01T00:00:00Z", "content": "ok", "author": {"id": "7", "name": "u"}}`
	big := `{"id": "2", "type": "Default", "timestamp": "2026-01-01T00:00:00Z", "content": "ok", "author": {"id": "7", "name": "u"},
  "embeds": [{"description": "` + strings.Repeat("x", 2000) + `"}]}`
	rec := &recorder{}
	err := DiscordJSON{}.Parse(context.Background(), Input{Path: "c.json", R: strings.NewReader(dcDoc(good, big, good)), MaxMessage: 1000}, rec)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.messages) != 2 || len(rec.rejects) != 1 || rec.rejects[0].Line != 6 {
		t.Errorf("messages %d rejects %+v", len(rec.messages), rec.rejects)
	}
}
