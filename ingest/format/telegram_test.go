package format

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"testing/iotest"
	"time"
)

var tgShanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// parseFile parses a fixture with the recorder, in Shanghai time.
func parseFile(t testing.TB, f Format, path string, wrap func(io.Reader) io.Reader) *recorder {
	t.Helper()
	file, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	var r io.Reader = file
	if wrap != nil {
		r = wrap(r)
	}
	rec := &recorder{}
	if err := f.Parse(context.Background(), Input{Path: path, R: r, TZ: tgShanghai}, rec); err != nil {
		t.Fatal(err)
	}
	return rec
}

// tally counts what a parse produced, for exact assertions.
type tally struct {
	kinds   map[string]int // messages by kind
	events  map[string]int // "kind/source"
	senders int            // distinct sender uids
	groups  int            // distinct groups
}

func tallyOf(rec *recorder) tally {
	t := tally{kinds: map[string]int{}, events: map[string]int{}}
	senders, groups := map[string]bool{}, map[Group]bool{}
	for _, m := range rec.messages {
		t.kinds[m.Kind]++
		if m.Sender.UID != "" {
			senders[m.Sender.UID] = true
		}
		groups[m.Group] = true
	}
	for _, e := range rec.events {
		t.events[e.Kind+"/"+e.Source]++
		groups[e.Group] = true
	}
	t.senders, t.groups = len(senders), len(groups)
	return t
}

func (got tally) check(t *testing.T, kinds, events map[string]int, senders, groups int) {
	t.Helper()
	if !mapsEqual(got.kinds, kinds) {
		t.Errorf("messages by kind = %v, want %v", got.kinds, kinds)
	}
	if !mapsEqual(got.events, events) {
		t.Errorf("events = %v, want %v", got.events, events)
	}
	if got.senders != senders || got.groups != groups {
		t.Errorf("senders = %d, groups = %d; want %d, %d", got.senders, got.groups, senders, groups)
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func findMessage(t *testing.T, rec *recorder, externalID string) Message {
	t.Helper()
	for _, m := range rec.messages {
		if m.ExternalID == externalID {
			return m
		}
	}
	t.Fatalf("no message %s", externalID)
	return Message{}
}

func findEvent(t *testing.T, rec *recorder, kind, memberName string) Event {
	t.Helper()
	for _, e := range rec.events {
		if e.Kind == kind && e.Member.Name == memberName {
			return e
		}
	}
	t.Fatalf("no %s event of %s", kind, memberName)
	return Event{}
}

func TestTelegramFixture(t *testing.T) {
	rec := parseFile(t, TelegramJSON{}, "../../testdata/telegram/result.json", nil)
	tallyOf(rec).check(t,
		map[string]int{KindText: 7, KindLink: 1, KindImage: 1, KindSticker: 1, KindVoice: 1, KindVideo: 1, KindFile: 1, KindSystem: 2},
		map[string]int{"join/unknown": 2, "join/referral": 3, "join/link": 1, "removed/": 1, "leave/": 1},
		7, 1)
	if len(rec.rejects) != 0 {
		t.Errorf("rejects: %v", rec.rejects)
	}
	g := rec.messages[0].Group
	if g != (Group{Platform: "telegram", ExternalID: "4000000001", Name: "星河产品交流群"}) {
		t.Errorf("group = %+v", g)
	}

	// A multi-line text; date_unixtime is the instant (09:15 in Shanghai).
	m := findMessage(t, rec, "5")
	if m.Text != "大家好，我是李娜\n从事产品设计\n喜欢跑步" || m.Sender != (Person{UID: "user1003", Name: "李娜"}) ||
		!m.Time.Equal(time.Date(2026, 11, 16, 1, 15, 0, 0, time.UTC)) || m.Line != 64 || m.Kind != KindText {
		t.Errorf("message 5 = %+v", m)
	}
	// Text as an array of strings and entities, concatenated.
	if m := findMessage(t, rec, "6"); m.Text != "@zhangwei 请问发票怎么开？" || !slices.Equal(m.Mentions, []string{"zhangwei"}) {
		t.Errorf("message 6 = %+v", m)
	}
	if m := findMessage(t, rec, "7"); m.Kind != KindLink || m.Text != "Release notes are here — please read before Friday." {
		t.Errorf("message 7 = %+v", m)
	}
	if m := findMessage(t, rec, "13"); !slices.Equal(m.Mentions, []string{"user1002"}) || m.Text != "王芳 thanks! Could you also share the slides?" {
		t.Errorf("message 13 = %+v", m)
	}
	if m := findMessage(t, rec, "8"); m.Kind != KindImage || m.Text != "活动现场照片" || m.ReplyTo != "5" {
		t.Errorf("message 8 = %+v", m)
	}
	if m := findMessage(t, rec, "9"); m.Kind != KindSticker || m.Text != "👍" {
		t.Errorf("message 9 = %+v", m)
	}
	if m := findMessage(t, rec, "14"); m.Kind != KindSystem || m.Text != "pin_message" || m.ReplyTo != "5" || m.Sender.UID != "" {
		t.Errorf("message 14 = %+v", m)
	}
	if m := findMessage(t, rec, "21"); m.Text != "edit_group_title: 星河产品交流群 2026" {
		t.Errorf("message 21 = %+v", m)
	}
	if m := findMessage(t, rec, "22"); m.Text != "Hi all 👋 I'm Liu Yang, a \"backend\" engineer.\tNice to meet you!" {
		t.Errorf("message 22 = %q", m.Text)
	}
	for _, m := range rec.messages {
		if m.ExternalID == "17" {
			t.Errorf("the unsupported message was kept: %+v", m)
		}
	}

	// Invited members are named only: the loader resolves the name to the
	// person seen under it in the chat.
	e := findEvent(t, rec, EventJoin, "王芳")
	if e.Source != SourceReferral || e.Member != (Person{Name: "王芳"}) || e.Inviter != (Person{UID: "user1001", Name: "张伟"}) ||
		!e.Time.Equal(time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC)) || e.Line != 6 {
		t.Errorf("join of 王芳 = %+v", e)
	}
	if e := findEvent(t, rec, EventJoin, "张伟"); e.Source != SourceUnknown || e.Inviter.UID != "" {
		t.Errorf("creator's join = %+v", e)
	}
	// The link's creator is named as the inviter.
	if e := findEvent(t, rec, EventJoin, "杨磊"); e.Source != SourceLink || e.Member.UID != "user1006" || e.Inviter != (Person{Name: "张伟"}) {
		t.Errorf("link join = %+v", e)
	}
	// The admin who removed someone is the event's actor.
	if e := findEvent(t, rec, EventRemoved, "陈静"); e.Member != (Person{Name: "陈静"}) || e.Actor != (Person{UID: "user1001", Name: "张伟"}) {
		t.Errorf("removal = %+v", e)
	}
	if e := findEvent(t, rec, EventLeave, "杨磊"); e.Member.UID != "user1006" || e.Line != 323 {
		t.Errorf("leave = %+v", e)
	}
	if e := findEvent(t, rec, EventJoin, "刘洋"); e.Source != SourceUnknown || e.Member.UID != "user1004" {
		t.Errorf("self-added join = %+v", e)
	}
}

func TestTelegramFullAccount(t *testing.T) {
	rec := parseFile(t, TelegramJSON{}, "../../testdata/telegram/full_account.json", nil)
	// The personal chat and saved messages are skipped; two chats and a
	// left supergroup remain.
	tallyOf(rec).check(t,
		map[string]int{KindText: 3, KindLink: 1, KindSystem: 1},
		map[string]int{"join/link": 1, "join/referral": 2, "leave/": 1},
		4, 3)
	ids := map[string]string{}
	for _, m := range rec.messages {
		ids[m.Group.ExternalID] = m.Group.Name
	}
	want := map[string]string{"1500000002": "Go 语言夜读", "1500000003": "星河官方频道", "1500000004": "二手交易群"}
	if len(ids) != len(want) {
		t.Fatalf("groups = %v", ids)
	}
	for id, name := range want {
		if ids[id] != name {
			t.Errorf("groups = %v, want %v", ids, want)
		}
	}
	if m := findMessage(t, rec, "4"); m.ReplyTo != "3" || m.Group.ExternalID != "1500000002" {
		t.Errorf("reply = %+v", m)
	}
	// A channel posts as itself.
	for _, m := range rec.messages {
		if m.Group.ExternalID == "1500000003" && (m.Sender.UID != "channel1500000003" || m.Kind != KindLink) {
			t.Errorf("channel post = %+v", m)
		}
	}
	if e := findEvent(t, rec, EventJoin, "Deleted Account"); e.Member.UID != "" || e.Inviter.UID != "user1001" {
		t.Errorf("deleted account = %+v", e)
	}
	if e := findEvent(t, rec, EventJoin, "Bob"); e.Member != (Person{Name: "Bob"}) {
		t.Errorf("Bob = %+v", e)
	}
}

// Reading a byte at a time crosses the scanner's buffer at every byte.
func TestTelegramOneByteReads(t *testing.T) {
	for _, path := range []string{"../../testdata/telegram/result.json", "../../testdata/telegram/full_account.json"} {
		want := parseFile(t, TelegramJSON{}, path, nil)
		got := parseFile(t, TelegramJSON{}, path, iotest.OneByteReader)
		if !slices.EqualFunc(got.messages, want.messages, messagesEqual) || !slices.Equal(got.events, want.events) {
			t.Errorf("%s: one-byte reads differ", path)
		}
	}
}

func messagesEqual(a, b Message) bool {
	return slices.Equal(a.Mentions, b.Mentions) && a.Group == b.Group && a.Sender == b.Sender && a.Time.Equal(b.Time) &&
		a.Kind == b.Kind && a.Text == b.Text && a.ExternalID == b.ExternalID && a.ReplyTo == b.ReplyTo && a.Line == b.Line
}

// tgDoc wraps messages in a single-chat export.
func tgDoc(msgs ...string) string {
	return "{\n \"name\": \"G\",\n \"type\": \"private_supergroup\",\n \"id\": 7,\n \"messages\": [\n" +
		strings.Join(msgs, ",\n") + "\n ]\n}\n"
}

func tgParse(t testing.TB, doc string) (*recorder, error) {
	t.Helper()
	rec := &recorder{}
	err := TelegramJSON{}.Parse(context.Background(), Input{Path: "result.json", R: strings.NewReader(doc), TZ: tgShanghai}, rec)
	return rec, err
}

func TestTelegramVariants(t *testing.T) {
	cases := []struct {
		name string
		msg  string
		want Message // compared on the fields set
	}{
		{"pre-2021 export: no date_unixtime, numeric from_id, local date",
			`{"id": 1, "type": "message", "date": "2019-05-01T08:30:00", "from": "A", "from_id": 42, "text": "hi"}`,
			Message{Sender: Person{UID: "user42", Name: "A"}, Time: time.Date(2019, 5, 1, 0, 30, 0, 0, time.UTC), Kind: KindText, Text: "hi"}},
		{"escapes: \\x from Telegram, surrogate pair, lone surrogate, unicode",
			`{"id": 2, "type": "message", "date_unixtime": "1700000000", "from": "A", "from_id": "user1", "text": "a\x0Bb \uD83D\uDE00 \uD800 \u00e9\/\\"}`,
			Message{Text: "a\x0bb 😀 \uFFFD é/\\", Kind: KindText}},
		{"a reply to another chat has no reply-to",
			`{"id": 3, "type": "message", "date_unixtime": "1700000000", "from": "A", "from_id": "user1", "reply_to_message_id": 9, "reply_to_peer_id": "channel5", "text": "x"}`,
			Message{ExternalID: "3", ReplyTo: "", Kind: KindText}},
		{"animation is a video", `{"id": 4, "type": "message", "date_unixtime": "1700000000", "from_id": "user1", "file": "a.mp4", "media_type": "animation", "text": ""}`,
			Message{Kind: KindVideo}},
		{"video message", `{"id": 5, "type": "message", "date_unixtime": "1700000000", "from_id": "user1", "file": "a.mp4", "media_type": "video_message", "text": ""}`,
			Message{Kind: KindVideo}},
		{"audio file is a file", `{"id": 6, "type": "message", "date_unixtime": "1700000000", "from_id": "user1", "file": "a.mp3", "media_type": "audio_file", "performer": "X", "text": ""}`,
			Message{Kind: KindFile}},
		{"a file not included in the export is still a file", `{"id": 7, "type": "message", "date_unixtime": "1700000000", "from_id": "user1", "file": "(File not included. Change data exporting settings to download.)", "text": ""}`,
			Message{Kind: KindFile}},
		{"a link entity makes a link, with no media", `{"id": 8, "type": "message", "date_unixtime": "1700000000", "from_id": "user1", "text": [{"type": "link", "text": "https://x.y"}]}`,
			Message{Kind: KindLink, Text: "https://x.y"}},
		{"a photo with a link caption is an image", `{"id": 9, "type": "message", "date_unixtime": "1700000000", "from_id": "user1", "photo": "p.jpg", "text": [{"type": "link", "text": "https://x.y"}]}`,
			Message{Kind: KindImage}},
		{"poll, location and contact are text", `{"id": 10, "type": "message", "date_unixtime": "1700000000", "from_id": "user1", "poll": {"question": "Q?", "closed": false, "total_voters": 1, "answers": [{"text": "a", "voters": 1, "chosen": true}]}, "text": ""}`,
			Message{Kind: KindText, Text: ""}},
		{"unknown fields, nulls and nesting are skipped", `{"id": 11, "type": "message", "date_unixtime": "1700000000", "from": null, "from_id": "user1", "x": [[{"a": [1, -2.5e3, true, false, null, "]}"]}]], "text": "ok"}`,
			Message{Text: "ok", Sender: Person{UID: "user1"}}},
		{"a service message of no membership is a system message", `{"id": 12, "type": "service", "date_unixtime": "1700000000", "actor": "A", "actor_id": "user1", "action": "group_call", "duration": 60, "text": ""}`,
			Message{Kind: KindSystem, Text: "group_call"}},
		{"invite_members without members is a system message", `{"id": 13, "type": "service", "date_unixtime": "1700000000", "actor": "A", "actor_id": "user1", "action": "invite_members", "members": [], "text": ""}`,
			Message{Kind: KindSystem, Text: "invite_members"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec, err := tgParse(t, tgDoc(c.msg))
			if err != nil {
				t.Fatal(err)
			}
			if len(rec.messages) != 1 || len(rec.events) != 0 {
				t.Fatalf("got %d messages, %d events", len(rec.messages), len(rec.events))
			}
			got, w := rec.messages[0], c.want
			if w.Kind != "" && got.Kind != w.Kind || w.Text != "" && got.Text != w.Text || w.Sender.UID != "" && got.Sender != w.Sender ||
				!w.Time.IsZero() && !got.Time.Equal(w.Time) || w.ExternalID != "" && (got.ExternalID != w.ExternalID || got.ReplyTo != w.ReplyTo) {
				t.Errorf("got %+v\nwant %+v", got, w)
			}
		})
	}
}

func TestTelegramMembership(t *testing.T) {
	doc := tgDoc(
		`{"id": 1, "type": "service", "date_unixtime": "1700000000", "actor": "A", "actor_id": "user1", "action": "join_group_by_request", "text": ""}`,
		`{"id": 2, "type": "service", "date_unixtime": "1700000001", "actor": null, "action": "invite_members", "members": ["B"], "text": ""}`,
		`{"id": 3, "type": "service", "date_unixtime": "1700000002", "actor": "A", "actor_id": "user1", "action": "remove_members", "members": ["C", "A"], "text": ""}`,
		`{"id": 4, "type": "message", "date_unixtime": "1700000003", "from": "C", "from_id": "user3", "text": "still here?"}`,
	)
	rec, err := tgParse(t, doc)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range rec.events {
		got[e.Kind+"/"+e.Source+" "+e.Member.UID+"|"+e.Member.Name] = e.Inviter.UID + "|" + e.Actor.UID
	}
	want := map[string]string{
		"join/unknown user1|A": "|",      // accepted join request: source not known
		"join/unknown |B":      "|",      // no actor: no inviter, no referral
		"removed/ |C":          "|user1", // named only; removed by the actor
		"leave/ user1|A":       "|",      // the actor removed themself
	}
	if len(got) != len(want) {
		t.Fatalf("events = %v, want %v", got, want)
	}
	for k, v := range want {
		if inv, ok := got[k]; !ok || inv != v {
			t.Errorf("events = %v, want %v", got, want)
		}
	}
}

func TestTelegramRejects(t *testing.T) {
	doc := tgDoc(
		`  {"id": 1, "type": "message", "from_id": "user1", "text": "no date"}`,
		`  {"id": 2, "type": "message", "date": "yesterday", "from_id": "user1", "text": "bad date"}`,
		`  {"id": 3, "type": "message", "date_unixtime": "1700000000", "from_id": "user1", "text": "fine"}`,
	)
	rec, err := tgParse(t, doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.messages) != 1 || len(rec.rejects) != 2 {
		t.Fatalf("messages %d rejects %v", len(rec.messages), rec.rejects)
	}
	r := rec.rejects[0]
	if r.Line != 6 || r.Reason != "message without a date" || !strings.Contains(r.Raw, `"text": "no date"`) {
		t.Errorf("reject = %+v", r)
	}
	if r := rec.rejects[1]; r.Line != 7 || !strings.Contains(r.Reason, `unreadable date "yesterday"`) {
		t.Errorf("reject = %+v", r)
	}
}

func TestTelegramErrors(t *testing.T) {
	good := `{"id": 1, "type": "message", "date_unixtime": "1700000000", "from_id": "user1", "text": "ok"}`
	cases := []struct {
		name string
		doc  string
		line int64
		msg  string
	}{
		{"empty", "", 1, "unexpected end of file"},
		{"not JSON", "hello\n", 1, "invalid JSON: unexpected 'h', want a JSON object"},
		{"an array", "[]", 1, "want a JSON object"},
		{"no messages", "{\n \"name\": \"x\"\n}\n", 1, `no "messages" array`},
		{"messages not an array", "{\"messages\": {}}", 1, "want an array of messages"},
		{"truncated", tgDoc(good, good)[:150], 6, "unexpected end of file (truncated JSON?)"},
		{"truncated in a string", tgDoc(good)[:strings.Index(tgDoc(good), "user1")+2], 6, "unterminated string"},
		{"NUL bytes", strings.Replace(tgDoc(good, good), "},\n{", "},\n\x00\x00{", 1), 7, "binary data (NUL byte)"},
		{"invalid UTF-8", tgDoc(good, strings.Replace(good, "ok", "o\xffk", 1)), 7, "invalid UTF-8"},
		{"garbage after the document", tgDoc(good) + "}", 9, "data after the end of the document"},
		{"missing comma", tgDoc(strings.Replace(good, `, "from_id"`, ` "from_id"`, 1)), 6, "want ',' or '}'"},
		{"bad escape", tgDoc(strings.Replace(good, "ok", `o\qk`, 1)), 6, "unknown escape"},
		{"bad \\u", tgDoc(strings.Replace(good, "ok", `\u12`, 1)), 6, `bad \u escape`},
		{"mismatched bracket in a skipped value", tgDoc(strings.Replace(good, `"text"`, `"x": [1}, "text"`, 1)), 6, "want a matching bracket"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := tgParse(t, c.doc)
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line != c.line || !strings.Contains(pe.Msg, c.msg) || pe.Path != "result.json" || pe.Format != "telegram-json" {
				t.Fatalf("err = %v, want line %d %q", err, c.line, c.msg)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
		})
	}
}

func TestTelegramCancel(t *testing.T) {
	path := writeTelegram(t, 20000)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := (TelegramJSON{}).Parse(ctx, Input{Path: path, R: f, TZ: time.UTC}, &jsonCountSink{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestTelegramDetect(t *testing.T) {
	yes := []string{"../../testdata/telegram/result.json", "../../testdata/telegram/full_account.json"}
	no := []string{"../../testdata/discord/channel.json", "../../testdata/discord/group_dm.json", "../../testdata/discord/channel.csv",
		"../../testdata/qq/community.txt", "../../testdata/qq/members.csv", "../../testdata/qq/orders.csv"}
	for _, path := range append(yes, no...) {
		head, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := (TelegramJSON{}).Detect(path, head[:min(len(head), HeadSize)]), slices.Contains(yes, path); got != want {
			t.Errorf("Detect(%s) = %v", path, got)
		}
	}
}

func FuzzTelegramJSON(f *testing.F) {
	// Small seeds: the fuzzer minimises every input that finds new paths,
	// which is slow for whole fixtures.
	f.Add(tgDoc(`  {
   "id": 5,
   "type": "message",
   "date": "2026-11-16T09:15:00",
   "date_unixtime": "1794791700",
   "from": "李娜",
   "from_id": "user1003",
   "reply_to_message_id": 4,
   "photo": "photos/p.jpg",
   "text": [
    "大家好\n",
    {
     "type": "mention",
     "text": "@zhangwei"
    },
    {
     "type": "text_link",
     "text": "here",
     "href": "https://example.com"
    }
   ],
   "text_entities": [
    {
     "type": "plain",
     "text": "大家好\n"
    }
   ]
  }`))
	f.Add(tgDoc(`{"id": 1, "type": "service", "date_unixtime": "1", "actor_id": "user1", "action": "invite_members", "members": ["a", null]}`))
	f.Add(tgDoc(`{"id": 1, "type": "message", "date": "2020-01-01T00:00:00", "from_id": 5, "text": ["a", {"type": "mention_name", "text": "b", "user_id": 7}]}`))
	f.Add(`{"chats": {"list": [{"type": "personal_chat", "messages": []}, {"messages": [{"text": "\x41\uD83D"}]}]}}`)
	f.Add("{\"messages\": [\x00]}")
	f.Add(`{"a": [[[[{"b": "\\\""}]]]], "messages": []}`)
	f.Fuzz(func(t *testing.T, doc string) {
		// With a tiny size limit, records are given up anywhere inside.
		small := &recorder{}
		err := TelegramJSON{}.Parse(context.Background(), Input{Path: "result.json", R: strings.NewReader(doc), MaxMessage: 40}, small)
		var pe *ParseError
		if err != nil && (!errors.As(err, &pe) || pe.Line < 1) {
			t.Fatalf("small limit: error of another kind: %v", err)
		}
		rec, err := tgParse(t, doc)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line < 1 {
				t.Fatalf("error of another kind: %v", err)
			}
			return
		}
		for _, m := range rec.messages {
			if m.Time.IsZero() || m.Group.Platform != "telegram" || m.Kind == "" {
				t.Fatalf("bad message %+v", m)
			}
		}
		for _, e := range rec.events {
			if e.Member.UID == "" && e.Member.Name == "" || e.Kind == "" {
				t.Fatalf("bad event %+v", e)
			}
		}
	})
}

// jsonCountSink counts what a parser emits and keeps nothing: the parser alone.
type jsonCountSink struct {
	Discard
	messages, events, rejects int64
}

func (c *jsonCountSink) Message(*Message) error             { c.messages++; return nil }
func (c *jsonCountSink) Event(*Event) error                 { c.events++; return nil }
func (c *jsonCountSink) Member(*Member) error               { return nil }
func (c *jsonCountSink) Order(*Order) error                 { return nil }
func (c *jsonCountSink) Activity(*Activity) error           { return nil }
func (c *jsonCountSink) Reject(int64, string, string) error { c.rejects++; return nil }

var tgBenchTexts = []string{
	`"大家好，今天的活动几点开始？"`,
	`"收到，谢谢管理员！"`,
	`"这个版本的新功能很好用，推荐大家试试\n有问题随时找我"`,
	`"Anyone tried the new release? It fixed the sync issue for me."`,
	`"#打卡 第12天"`,
	`"OK"`,
}

// writeTelegram writes a single-chat result.json of n records (messages and
// one service message in 50) laid out the way Telegram Desktop writes it.
func writeTelegram(t testing.TB, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), fmt.Sprintf("telegram-%d.json", n))
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprint(w, "{\n \"name\": \"压测群 Load test\",\n \"type\": \"private_supergroup\",\n \"id\": 1700000001,\n \"messages\": [")
	ts := time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		ts = ts.Add(time.Duration(1+i%7) * time.Second)
		uid := 100000 + (i*7919)%5000
		if i > 0 {
			w.WriteString(",")
		}
		fmt.Fprintf(w, "\n  {\n   \"id\": %d,\n   \"type\": \"%s\",\n   \"date\": \"%s\",\n   \"date_unixtime\": \"%d\",\n",
			i+1, map[bool]string{true: "service", false: "message"}[i%50 == 49], ts.Format("2006-01-02T15:04:05"), ts.Unix())
		switch {
		case i%50 == 49:
			fmt.Fprintf(w, "   \"actor\": \"成员%d\",\n   \"actor_id\": \"user%d\",\n   \"action\": \"invite_members\",\n   \"members\": [\n    \"新人%d\"\n   ],\n   \"text\": \"\",\n   \"text_entities\": []\n  }", uid, uid, i)
			continue
		case i%10 == 3:
			fmt.Fprintf(w, "   \"from\": \"成员%d\",\n   \"from_id\": \"user%d\",\n   \"reply_to_message_id\": %d,\n   \"text\": [\n    \"看这里 \",\n    {\n     \"type\": \"mention\",\n     \"text\": \"@member%d\"\n    },\n    \" \",\n    {\n     \"type\": \"link\",\n     \"text\": \"https://example.com/notes\"\n    }\n   ],\n   \"text_entities\": [\n    {\n     \"type\": \"plain\",\n     \"text\": \"看这里 \"\n    },\n    {\n     \"type\": \"mention\",\n     \"text\": \"@member%d\"\n    },\n    {\n     \"type\": \"plain\",\n     \"text\": \" \"\n    },\n    {\n     \"type\": \"link\",\n     \"text\": \"https://example.com/notes\"\n    }\n   ]\n  }", uid, uid, i, uid+1, uid+1)
			continue
		case i%10 == 7:
			fmt.Fprintf(w, "   \"from\": \"成员%d\",\n   \"from_id\": \"user%d\",\n   \"photo\": \"photos/photo_%d@01-09-2026_08-00-00.jpg\",\n   \"width\": 1280,\n   \"height\": 960,\n   \"text\": \"\",\n   \"text_entities\": []\n  }", uid, uid, i)
			continue
		}
		text := tgBenchTexts[i%len(tgBenchTexts)]
		fmt.Fprintf(w, "   \"from\": \"成员%d\",\n   \"from_id\": \"user%d\",\n   \"text\": %s,\n   \"text_entities\": [\n    {\n     \"type\": \"plain\",\n     \"text\": %s\n    }\n   ]\n  }", uid, uid, text, text)
	}
	fmt.Fprint(w, "\n ]\n}\n")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

const jsonBenchRecords = 200000

func BenchmarkTelegramParse(b *testing.B) {
	path := writeTelegram(b, jsonBenchRecords)
	benchParse(b, TelegramJSON{}, path, jsonBenchRecords)
}

// benchParse parses a file b.N times, reporting MB/s and records/s.
func benchParse(b *testing.B, f Format, path string, records int64) {
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		var c jsonCountSink
		if err := f.Parse(context.Background(), Input{Path: path, R: r, TZ: time.UTC}, &c); err != nil {
			b.Fatal(err)
		}
		r.Close()
		if got := c.messages + c.events; got != records || c.rejects != 0 {
			b.Fatalf("parsed %d records, %d rejects; want %d", got, c.rejects, records)
		}
	}
	b.ReportMetric(float64(records*int64(b.N))/b.Elapsed().Seconds(), "msgs/s")
	// On a shared machine wall time varies with the neighbours' load; CPU
	// time (this process, GC included) much less.
	b.ReportMetric(float64(records*int64(b.N))/(cpuTime()-cpu0).Seconds(), "msgs/cpu-s")
	b.ReportMetric(float64(st.Size())/float64(records), "bytes/msg")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru) //nolint:errcheck // cannot fail for RUSAGE_SELF
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// An empty chat is what Telegram Desktop writes for a chat with nothing in
// the range exported: detected, and loaded with nothing.
func TestTelegramEmptyChat(t *testing.T) {
	doc := "{\n \"name\": \"星河产品交流群\",\n \"type\": \"private_supergroup\",\n \"id\": 4000000001,\n \"messages\": [\n ]\n}\n"
	if !(TelegramJSON{}).Detect("result.json", []byte(doc)) {
		t.Fatal("an empty chat is not detected")
	}
	for _, other := range []string{`{"guild": {}, "channel": {}, "messages": [ ]}`, `{"type": "private_group", "messages": {}}`, `[{"type": "private_group"}]`} {
		if (TelegramJSON{}).Detect("x.json", []byte(other)) {
			t.Errorf("Detect(%s) = true", other)
		}
	}
	rec, err := tgParse(t, doc)
	if err != nil || len(rec.messages)+len(rec.events)+len(rec.rejects)+len(rec.roles) != 0 {
		t.Fatalf("err %v, rec %+v", err, rec)
	}
}

func TestTelegramUnknownType(t *testing.T) {
	rec, err := tgParse(t, tgDoc(
		`  {"id": 1, "type": "message", "date_unixtime": "1700000000", "from": "A", "from_id": "user1", "text": "a"}`,
		`  {"id": 2, "type": "sponsored", "date_unixtime": "1700000001", "from": "Ads", "from_id": "channel9", "text": "buy"}`,
		`  {"id": 3, "type": "unsupported"}`,
	))
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.messages) != 1 || len(rec.rejects) != 1 {
		t.Fatalf("messages %+v rejects %+v", rec.messages, rec.rejects)
	}
	if r := rec.rejects[0]; r.Line != 7 || r.Reason != `an entry of unknown type "sponsored": not a message` || !strings.Contains(r.Raw, `"buy"`) {
		t.Errorf("reject = %+v", r)
	}
}

func TestTelegramServiceActions(t *testing.T) {
	rec, err := tgParse(t, tgDoc(
		`{"id": 1, "type": "service", "date_unixtime": "1700000000", "actor": "A", "actor_id": "user1", "action": "create_group", "title": "G", "members": ["A", "B"]}`,
		`{"id": 2, "type": "service", "date_unixtime": "1700000001", "actor": "C", "actor_id": "user3", "action": "invite_members", "members": ["C"]}`,
		`{"id": 3, "type": "service", "date_unixtime": "1700000002", "actor": "D", "actor_id": "user4", "action": "join_group_by_link", "inviter": "A"}`,
		`{"id": 4, "type": "service", "date_unixtime": "1700000003", "actor": "E", "actor_id": "user5", "action": "join_group_by_link", "inviter": "G"}`,
		`{"id": 5, "type": "service", "date_unixtime": "1700000004", "actor": "A", "actor_id": "user1", "action": "remove_members", "members": [null]}`,
		`{"id": 6, "type": "service", "date_unixtime": "1700000005", "actor": "A", "actor_id": "user1", "action": "migrate_from_group", "title": "G old"}`,
		`{"id": 7, "type": "service", "date_unixtime": "1700000006", "actor": "A", "actor_id": "user1", "action": "topic_created", "title": "FAQ"}`,
		`{"id": 8, "type": "service", "date_unixtime": "1700000007", "actor": "A", "actor_id": "user1", "information_text": "A did something new"}`,
		`{"id": 9, "type": "service", "date_unixtime": "1700000008", "actor": "B", "actor_id": "user2", "action": "remove_members", "members": ["B"]}`,
	))
	if err != nil {
		t.Fatal(err)
	}
	type ev struct{ kind, source, member, inviter, actor string }
	var got []ev
	who := func(p Person) string { return p.UID + "|" + p.Name }
	for _, e := range rec.events {
		got = append(got, ev{e.Kind, e.Source, who(e.Member), who(e.Inviter), who(e.Actor)})
	}
	want := []ev{
		{EventJoin, SourceUnknown, "user1|A", "|", "|"},        // the creator, in the founders' list
		{EventJoin, SourceReferral, "|B", "user1|A", "|"},      // a founder added by the creator
		{EventJoin, SourceUnknown, "user3|C", "|", "|"},        // added themself: a public group's join
		{EventJoin, SourceLink, "user4|D", "|A", "|"},          // the link's creator, by name
		{EventJoin, SourceLink, "user5|E", "|", "|"},           // the chat's own link: no inviter
		{EventRemoved, "", "|Deleted Account", "|", "user1|A"}, // removed by the admin
		{EventLeave, "", "user2|B", "|", "|"},                  // removed themself: left
	}
	if !slices.Equal(got, want) {
		t.Errorf("events:\n got %v\nwant %v", got, want)
	}
	var texts []string
	for _, m := range rec.messages {
		if m.Kind != KindSystem || m.Sender.UID != "" {
			t.Errorf("not a system message: %+v", m)
		}
		texts = append(texts, m.Text)
	}
	if want := []string{"migrate_from_group: G old", "topic_created: FAQ", "A did something new"}; !slices.Equal(texts, want) {
		t.Errorf("system messages = %q, want %q", texts, want)
	}
}

func TestTelegramBots(t *testing.T) {
	rec, err := tgParse(t, tgDoc(
		`{"id": 1, "type": "message", "date_unixtime": "1700000000", "from": "A", "from_id": "user1", "via_bot": "@gif", "text": ""}`,
		`{"id": 2, "type": "message", "date_unixtime": "1700000001", "from": "Shop Bot", "from_id": "user77", "text": "Order now", "inline_bot_buttons": [[{"type": "url", "text": "Buy", "data": "https://x.y"}]]}`,
		`{"id": 3, "type": "message", "date_unixtime": "1700000002", "from": "B", "from_id": "user2", "forwarded_from": "Shop Bot", "text": "look", "inline_bot_buttons": [[{"type": "url", "text": "Buy", "data": "https://x.y"}]]}`,
		`{"id": 4, "type": "message", "date_unixtime": "1700000003", "from": "Shop Bot", "from_id": "user77", "text": "Again", "inline_bot_buttons": [[{"type": "callback", "text": "OK", "dataBase64": "b2s", "data": ""}]]}`,
		`{"id": 5, "type": "message", "date_unixtime": "1700000004", "from": "A", "from_id": "user1", "via_bot": "@gif", "text": "", "inline_bot_buttons": []}`,
	))
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.messages) != 5 {
		t.Fatalf("messages = %d", len(rec.messages))
	}
	// The message via a bot stays its sender's; the bot is named.
	if m := rec.messages[0]; m.Sender.UID != "user1" {
		t.Errorf("via bot = %+v", m)
	}
	var roles []string
	for _, r := range rec.roles {
		if r.Role != RoleBot || r.Group != (Group{Platform: "telegram"}) {
			t.Errorf("role = %+v", r)
		}
		roles = append(roles, r.Person.UID+"|"+r.Person.Name)
	}
	if want := []string{"|@gif", "user77|Shop Bot"}; !slices.Equal(roles, want) {
		t.Errorf("bots = %q, want %q", roles, want)
	}
}

func TestTelegramFullAccountBots(t *testing.T) {
	doc := `{
 "about": "x",
 "frequent_contacts": {"about": "x", "list": [
  {"id": 500, "category": "people", "type": "user", "name": "A", "rating": 1.0},
  {"id": 93372553, "category": "inline_bots", "type": "user", "name": "GIF Search", "rating": 0.5}
 ]},
 "chats": {"about": "x", "list": [
  {"name": "Weather Bot", "type": "bot_chat", "id": 777, "messages": [
   {"id": 1, "type": "message", "date_unixtime": "1700000000", "from": "Weather Bot", "from_id": "user777", "text": "Sunny"}
  ]},
  {"name": "G", "type": "private_supergroup", "id": 9, "messages": [
   {"id": 1, "type": "message", "date_unixtime": "1700000000", "from": "Weather Bot", "from_id": "user777", "text": "Rain at 5"}
  ]}
 ]}
}`
	rec, err := tgParse(t, doc)
	if err != nil {
		t.Fatal(err)
	}
	var roles []string
	for _, r := range rec.roles {
		roles = append(roles, r.Person.UID+"|"+r.Person.Name)
	}
	if want := []string{"user93372553|GIF Search", "user777|Weather Bot"}; !slices.Equal(roles, want) {
		t.Errorf("bots = %q, want %q", roles, want)
	}
	if len(rec.messages) != 1 || rec.messages[0].Group.ExternalID != "9" {
		t.Errorf("messages = %+v", rec.messages)
	}
}

// A message larger than the limit is rejected with its line, and the
// messages after it are read.
func TestTelegramMessageTooLarge(t *testing.T) {
	big := strings.Repeat("长", 400)
	doc := tgDoc(
		`  {"id": 1, "type": "message", "date_unixtime": "1700000000", "from_id": "user1", "text": "before"}`,
		"  {\"id\": 2, \"type\": \"message\", \"date_unixtime\": \"1700000001\", \"from_id\": \"user1\",\n   \"text\": \""+big+"\"}",
		"  {\"id\": 3, \"type\": \"message\", \"date_unixtime\": \"1700000001\", \"from_id\": \"user1\",\n   \"text\": [\""+big[:600]+"\", {\"type\": \"bold\", \"text\": \""+big[:600]+"\"}, \"x\"], \"y\": {\"z\": [1, [2, {}]]}}",
		"  {\"id\": 4, \"type\": \"message\", \"date_unixtime\": \"1700000001\", \"from_id\": \"user1\", \"photo\": \""+big+"\", \"text\": \"\"}",
		`  {"id": 5, "type": "message", "date_unixtime": "1700000002", "from_id": "user1", "text": "after"}`,
	)
	for _, size := range []int{1, 0} {
		rec := &recorder{}
		var r io.Reader = strings.NewReader(doc)
		if size == 1 {
			r = iotest.OneByteReader(r)
		}
		err := TelegramJSON{}.Parse(context.Background(), Input{Path: "result.json", R: r, TZ: time.UTC, MaxMessage: 1000}, rec)
		if err != nil {
			t.Fatal(err)
		}
		var texts []string
		for _, m := range rec.messages {
			texts = append(texts, m.Text)
		}
		var lines []int64
		for _, r := range rec.rejects {
			lines = append(lines, r.Line)
			if !strings.Contains(r.Reason, "larger than 1000 bytes") {
				t.Errorf("reject = %+v", r)
			}
		}
		if !slices.Equal(texts, []string{"before", "after"}) || !slices.Equal(lines, []int64{7, 9, 11}) {
			t.Errorf("reads %d: messages %q, rejects at %v", size, texts, lines)
		}
	}
}

// A date without its instant (exports before 2021) is read in the zone
// configured for its group.
func TestTelegramGroupZone(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	doc := tgDoc(`{"id": 1, "type": "message", "date": "2019-05-01T08:30:00", "from": "A", "from_id": 42, "text": "hi"}`)
	rec := &recorder{}
	in := Input{Path: "result.json", R: strings.NewReader(doc), TZ: tgShanghai, GroupTZ: map[string]*time.Location{"7": berlin}}
	if err := (TelegramJSON{}).Parse(context.Background(), in, rec); err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2019, 5, 1, 6, 30, 0, 0, time.UTC); len(rec.messages) != 1 || !rec.messages[0].Time.Equal(want) {
		t.Errorf("messages = %+v, want at %v", rec.messages, want)
	}
}
