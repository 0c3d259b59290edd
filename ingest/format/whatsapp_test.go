package format

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestWhatsAppAndroidFixture(t *testing.T) {
	rec, err := wcParseFile(t, WhatsAppText{}, "../../testdata/whatsapp/android_12h_mdy.txt", wechatShanghai)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.rejects) != 0 {
		t.Fatalf("rejects: %+v", rec.rejects)
	}
	if len(rec.messages) != 13 || len(rec.events) != 7 {
		t.Fatalf("messages = %d, events = %d; want 13, 7", len(rec.messages), len(rec.events))
	}
	tl := wcTallyOf(rec)
	tl.check(t,
		map[string]int{KindSystem: 2, KindText: 4, KindFile: 1, KindImage: 1, KindRecall: 2, KindLink: 1, KindSticker: 1, KindVoice: 1},
		map[string]int{"join/referral": 4, "join/link": 1, "removed/": 1, "leave/": 1},
		[]string{"name:Alice Chen", "name:Bob Li", "+8613800138000", "name:Carol", "name:David Wang"})
	if len(tl.groups) != 1 || !tl.groups["android_12h_mdy"] || rec.messages[0].Group.Platform != "whatsapp" {
		t.Errorf("groups = %v", tl.groups)
	}

	m := wcFindMessage(t, rec, func(m Message) bool { return strings.HasPrefix(m.Text, "Sure") })
	if m.Text != "Sure, here's the plan:\n1. onboarding call\n2. weekly check-in\n\n周五前完成" || m.Line != 6 {
		t.Errorf("multi-line = %+v", m)
	}
	// 9:07 PM on 12/28/25 in Shanghai.
	if want := time.Date(2025, 12, 28, 13, 7, 0, 0, time.UTC); !m.Time.Equal(want) {
		t.Errorf("time = %v, want %v", m.Time, want)
	}
	// 12:05 AM is just after midnight.
	m = wcFindMessage(t, rec, func(m Message) bool { return strings.HasPrefix(m.Text, "Happy new year") })
	if want := time.Date(2025, 12, 31, 0, 5, 0, 0, wechatShanghai); !m.Time.Equal(want) {
		t.Errorf("12:05 AM = %v, want %v", m.Time, want)
	}
	m = wcFindMessage(t, rec, func(m Message) bool { return strings.HasPrefix(m.Text, "Welcome") })
	if !slices.Equal(m.Mentions, []string{"Bob Li"}) {
		t.Errorf("mentions = %q", m.Mentions)
	}
	m = wcFindMessage(t, rec, func(m Message) bool { return m.Kind == KindImage })
	if m.Sender.UID != "name:Carol" || m.Text != "IMG-20251228-WA0003.jpg (file attached)\n看看这个海报" {
		t.Errorf("image = %+v", m)
	}
	m = wcFindMessage(t, rec, func(m Message) bool { return m.Sender.UID == "+8613800138000" && m.Kind == KindText })
	if m.Text != "收到，谢谢！" || m.Sender.Name != "+86 138 0013 8000" {
		t.Errorf("edited message = %+v", m)
	}
	m = wcFindMessage(t, rec, func(m Message) bool { return m.Kind == KindSystem && strings.Contains(m.Text, "created group") })
	if m.Sender.UID != "" || m.Text != `Alice Chen created group "Growth Club 增长俱乐部"` {
		t.Errorf("system = %+v", m)
	}

	checks := []struct{ member, kind, source, inviter string }{
		{"name:Bob Li", EventJoin, SourceReferral, "name:Alice Chen"},
		{"+8613800138000", EventJoin, SourceReferral, "name:Alice Chen"},
		{"name:David Wang", EventJoin, SourceLink, ""},
		{"name:Erin Zhou", EventJoin, SourceReferral, "name:You"},
	}
	for _, c := range checks {
		evs := wcFindEvents(rec, c.member)
		if len(evs) == 0 || evs[0].Kind != c.kind || evs[0].Source != c.source || evs[0].Inviter.UID != c.inviter {
			t.Errorf("events of %s = %+v", c.member, evs)
		}
	}
	carol := wcFindEvents(rec, "name:Carol")
	if len(carol) != 2 || carol[1].Kind != EventRemoved || carol[1].Inviter.UID != "" || carol[1].Line != 18 {
		t.Errorf("Carol = %+v", carol)
	}
	david := wcFindEvents(rec, "name:David Wang")
	if len(david) != 2 || david[1].Kind != EventLeave || !david[1].Time.Equal(time.Date(2025, 12, 29, 12, 30, 0, 0, wechatShanghai)) {
		t.Errorf("David = %+v", david)
	}
}

func TestWhatsAppIOSFixture(t *testing.T) {
	rec, err := wcParseFile(t, WhatsAppText{}, "../../testdata/whatsapp/ios_24h_dmy.txt", wechatShanghai)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.rejects) != 0 {
		t.Fatalf("rejects: %+v", rec.rejects)
	}
	if len(rec.messages) != 14 || len(rec.events) != 5 {
		t.Fatalf("messages = %d, events = %d; want 14, 5", len(rec.messages), len(rec.events))
	}
	tl := wcTallyOf(rec)
	tl.check(t,
		map[string]int{KindSystem: 3, KindText: 3, KindImage: 2, KindSticker: 1, KindVoice: 1, KindVideo: 1, KindFile: 1, KindRecall: 1, KindLink: 1},
		map[string]int{"join/referral": 2, "join/link": 1, "leave/": 1, "removed/": 1},
		// The group's own name never becomes a member.
		[]string{"name:林小雨", "name:陈大文", "+447700900123"})

	m := wcFindMessage(t, rec, func(m Message) bool { return strings.HasPrefix(m.Text, "好的") })
	if m.Text != "好的\n第一次参加，请多关照\nLooking forward to it" || m.Line != 5 {
		t.Errorf("multi-line = %+v", m)
	}
	// 13/03 proves day-first; 21:05:33 in Shanghai.
	m = wcFindMessage(t, rec, func(m Message) bool { return strings.Contains(m.Text, "下次你来分享") })
	if want := time.Date(2026, 3, 13, 13, 5, 33, 0, time.UTC); !m.Time.Equal(want) || !slices.Equal(m.Mentions, []string{"陈大文"}) {
		t.Errorf("mention message = %+v, want time %v", m, want)
	}
	m = wcFindMessage(t, rec, func(m Message) bool { return m.Kind == KindRecall })
	if m.Sender.UID != "+447700900123" || m.Text != "" {
		t.Errorf("recall = %+v", m)
	}
	for _, e := range rec.events[:2] {
		if e.Kind != EventJoin || e.Source != SourceReferral || e.Inviter.UID != "name:林小雨" {
			t.Errorf("referral = %+v", e)
		}
	}
	if rec.events[1].Member.UID != "+447700900123" || rec.events[1].Line != 3 {
		t.Errorf("second referral = %+v", rec.events[1])
	}
	if e := rec.events[3]; e.Kind != EventLeave || e.Member.UID != "+447700900123" {
		t.Errorf("leave = %+v", e)
	}
}

func TestWhatsAppStamp(t *testing.T) {
	cases := []struct {
		line   string
		order  string
		want   string // time in UTC, or "" when the line is no stamp
		author string
		body   string
	}{
		{"12/31/25, 9:05 PM - Alice: hi", "mdy", "2025-12-31 21:05:00", "Alice", "hi"},
		{"12/31/25, 9:05\u202fPM - Alice: hi", "mdy", "2025-12-31 21:05:00", "Alice", "hi"},
		{"12/31/25, 12:00 AM - Alice: hi", "mdy", "2025-12-31 00:00:00", "Alice", "hi"},
		{"12/31/25, 12:00 PM - Alice: hi", "mdy", "2025-12-31 12:00:00", "Alice", "hi"},
		{"31/12/2025, 21:05 - Alice: hi", "dmy", "2025-12-31 21:05:00", "Alice", "hi"},
		{"31/12/2025, 9:05 pm - Alice: hi", "dmy", "2025-12-31 21:05:00", "Alice", "hi"},
		{"23/06/2018, 01:55 p.m. - Loris: one", "dmy", "2018-06-23 13:55:00", "Loris", "one"},
		{"[31/12/2025, 21:05:33] Alice: hi", "dmy", "2025-12-31 21:05:33", "Alice", "hi"},
		{"\u200e[31/12/2025, 21:05:33] Alice: \u200eimage omitted", "dmy", "2025-12-31 21:05:33", "Alice", "\u200eimage omitted"},
		{"[12/31/25, 9:05:33\u202fPM] Alice: hi", "mdy", "2025-12-31 21:05:33", "Alice", "hi"},
		{"[3/6/18 1:55:00 p. m.] a: m", "dmy", "2018-06-03 13:55:00", "a", "m"},
		{"31.12.25, 21:05 - Alice: hi", "dmy", "2025-12-31 21:05:00", "Alice", "hi"},
		{"13.6.2018 klo 21.25.15 - a: m", "dmy", "2018-06-13 21:25:15", "a", "m"},
		{"2025-12-31 21:05 - Alice: hi", "mdy", "2025-12-31 21:05:00", "Alice", "hi"},
		{"[2018/06/13, 21:25:15] a: m", "mdy", "2018-06-13 21:25:15", "a", "m"},
		{"2025/12/31 下午9:05 - 张三: 你好", "dmy", "2025-12-31 21:05:00", "张三", "你好"},
		{"12/31/25, 9:05 PM - Alice added Bob", "mdy", "2025-12-31 21:05:00", "", "Alice added Bob"},
		{`12/31/25, 9:05 PM - Alice changed the subject from "a: b" to "c"`, "mdy", "2025-12-31 21:05:00", "", `Alice changed the subject from "a: b" to "c"`},
		{"12/31/25, 9:05 PM - +1 (555) 010-0000: ok", "mdy", "2025-12-31 21:05:00", "+1 (555) 010-0000", "ok"},
		{"12/31/25, 9:05 PM - Alice:", "mdy", "2025-12-31 21:05:00", "Alice", ""},
		// Localised clocks and dates (locales/whatsapp.json day_periods).
		{"12/3/26, 1:05 p.\u00a0m. - a: m", "dmy", "2026-03-12 13:05:00", "a", "m"},
		{"12.3.2026 klo 1.05 ip. - a: m", "dmy", "2026-03-12 13:05:00", "a", "m"},
		{"12/3/26, 1:05 CH - a: m", "dmy", "2026-03-12 13:05:00", "a", "m"},
		{"12.03.2026 ÖS 01:05 - a: m", "dmy", "2026-03-12 13:05:00", "a", "m"},
		{"2026/03/12 午後1:05 - a: m", "dmy", "2026-03-12 13:05:00", "a", "m"},
		{"26. 3. 12. 오후 1:05 - a: m", "ymd", "2026-03-12 13:05:00", "a", "m"},
		{"12\u200f/3\u200f/2026، 1:05 م - a: m", "dmy", "2026-03-12 13:05:00", "a", "m"},
		{"[10/7/2024 上午10:50:54] Klaus:\u200e<附件：x.jpg>", "dmy", "2024-07-10 10:50:54", "Klaus", "\u200e<附件：x.jpg>"},
		{"10/7/2024, 10:51\u202f- T1: You removed T1", "dmy", "2024-07-10 10:51:00", "T1", "You removed T1"},
		{"13.06.18 21.25.15: a: m", "dmy", "2018-06-13 21:25:15", "a", "m"},
		{"06/20/2020, 00:08 a. m. - a: m", "mdy", "2020-06-20 00:08:00", "a", "m"},
		// Not stamps.
		{"2026-11-16 09:45:00 杨磊(1006)", "", "", "", ""},
		{"12/31/25 hello", "", "", "", ""},
		{"12/31/25, 9:05 PM Alice: hi", "", "", "", ""},
		{"[12/31/25, 9:05 PM Alice: hi", "", "", "", ""},
		{"12/31-25, 9:05 PM - Alice: hi", "", "", "", ""},
		{"12/31/225, 9:05 PM - Alice: hi", "", "", "", ""},
		{"time,sender,content", "", "", "", ""},
	}
	for _, c := range cases {
		st, ok := waParseStamp([]byte(c.line))
		if c.want == "" {
			if ok {
				t.Errorf("%q: parsed as a stamp %+v", c.line, st)
			}
			continue
		}
		if !ok {
			t.Errorf("%q: not a stamp", c.line)
			continue
		}
		ts, err := st.time(c.order, time.UTC)
		if err != nil || ts.Format("2006-01-02 15:04:05") != c.want {
			t.Errorf("%q: time %v %v, want %s", c.line, ts, err, c.want)
		}
		author, body := waSplitAuthor(st.rest, st.ios)
		if string(author) != c.author || string(body) != c.body {
			t.Errorf("%q: author %q body %q, want %q %q", c.line, author, body, c.author, c.body)
		}
	}
}

func TestWhatsAppDateOrder(t *testing.T) {
	cases := []struct {
		name    string
		lines   []string
		order   string
		guessed bool
	}{
		{"first field above 12", []string{"1/2/25, 10:00 - a: x", "13/2/25, 10:00 - a: x"}, "dmy", false},
		{"second field above 12", []string{"1/2/25, 10:00 - a: x", "1/13/25, 10:00 - a: x"}, "mdy", false},
		{"first decides over second", []string{"1/13/25, 10:00 - a: x", "13/1/25, 10:00 - a: x"}, "dmy", false},
		{"first goes down: day", []string{"[3/1/25, 10:00:00] a: x", "[1/2/25, 10:00:00] a: x"}, "dmy", false},
		{"second goes down: day", []string{"1/3/25, 10:00 AM - a: x", "2/1/25, 10:00 AM - a: x"}, "mdy", false},
		{"no evidence, 24-hour", []string{"1/2/25, 10:00 - a: x"}, "dmy", true},
		{"no evidence, AM/PM", []string{"1/2/25, 10:00 PM - a: x"}, "mdy", true},
		{"year first only", []string{"2025-01-02 10:00 - a: x"}, "ymd", false},
		// The date in an attached file's name tells day from month (the
		// layouts of whats_pie's testing_data: an iOS export with an AM/PM
		// clock written d/m/y, which the clock alone would read m/d/y).
		{"attachment, iOS numbered name", []string{"[10/7/2024, 10:50:54 AM] T: x",
			"\u200e[10/7/2024, 10:51:13 AM] K: \u200e<attached: 00000004-STICKER-2024-07-10-10-51-12.webp>"}, "dmy", false},
		{"attachment, Android IMG name", []string{"7/10/24, 10:51 - K: IMG-20240710-WA0003.jpg (file attached)"}, "mdy", false},
		{"attachment, day equals month", []string{"7/7/24, 10:51 - K: IMG-20240707-WA0003.jpg (file attached)"}, "dmy", true},
		{"attachment of another year", []string{"1/2/24, 10:51 PM - K: IMG-20230201-WA0003.jpg (file attached)"}, "mdy", true},
		{"attachments disagree", []string{"1/2/24, 10:51 - K: IMG-20240201-WA0003.jpg (file attached)",
			"3/4/24, 10:51 - K: IMG-20240304-WA0001.jpg (file attached)"}, "dmy", true},
	}
	for _, c := range cases {
		order, guessed := waDetectOrder([]byte(strings.Join(c.lines, "\n") + "\n"))
		if order != c.order || guessed != c.guessed {
			t.Errorf("%s: got %s guessed=%v, want %s %v", c.name, order, guessed, c.order, c.guessed)
		}
	}
}

func TestWhatsAppForcedOrder(t *testing.T) {
	text := "1/2/25, 10:00 - a: x\n"
	for _, c := range []struct {
		order string
		month time.Month
	}{{"dmy", time.February}, {"mdy", time.January}, {"", time.February}} {
		rec, err := parseString(t, WhatsAppText{DateOrder: c.order}, text)
		if err != nil || len(rec.messages) != 1 || rec.messages[0].Time.Month() != c.month {
			t.Errorf("DateOrder %q: %+v %v", c.order, rec, err)
		}
	}
	if _, err := parseString(t, WhatsAppText{DateOrder: "ymd"}, text); err == nil {
		t.Error("DateOrder ymd accepted")
	}
}

// waTestParser is a parser with the tables loaded, for testing its parts.
func waTestParser(lang string) *waParser {
	p := &waParser{tab: waLoadTables(), names: map[string]Person{}, lang: lang, max: DefaultMaxMessage}
	p.setActive()
	return p
}

func TestWhatsAppNotice(t *testing.T) {
	cases := []struct {
		text    string
		kind    string
		members []string
		actor   string
	}{
		{"Alice added Bob", waAdded, []string{"Bob"}, "Alice"},
		{"Alice added Bob, Carol and Dave", waAdded, []string{"Bob", "Carol", "Dave"}, "Alice"},
		{"Alice added Bob and Carol", waAdded, []string{"Bob", "Carol"}, "Alice"},
		{"You added \u202a+86 138 0013 8000\u202c", waAdded, []string{"\u202a+86 138 0013 8000\u202c"}, "You"},
		{"Alice added you", waAdded, []string{"You"}, "Alice"},
		{"Bob joined using this group's invite link", waJoinedLink, []string{"Bob"}, ""},
		{"Bob joined using this group’s invite link", waJoinedLink, []string{"Bob"}, ""},
		{"Bob joined from the community", waJoinedCommunity, []string{"Bob"}, ""},
		{"You were added", waAddedUnknown, []string{"You"}, ""},
		{"Bob left", waLeft, []string{"Bob"}, ""},
		{"Alice removed Bob", waRemoved, []string{"Bob"}, "Alice"},
		{"You removed Bob and Carol", waRemoved, []string{"Bob", "Carol"}, "You"},
		{"Alice changed the subject to \"x\"", waSystem, nil, "Alice"},
		{"Alice changed the subject to “x: y”", waSystem, nil, "Alice"},
		{"Alice changed this group’s settings to allow only admins to edit this group's info", waSystem, nil, "Alice"},
		{"Bob’s security code changed. Tap to learn more", waSystem, nil, "Bob"},
		{"Anna hat Bernd und Carla hinzugefügt", waAdded, []string{"Bernd", "Carla"}, "Anna"},
		{"Anna hat die Gruppe verlassen", waLeft, []string{"Anna"}, ""},
		{"Ana añadió a Beto", waAdded, []string{"Beto"}, "Ana"},
		{"林小雨 添加了 陈大文", waAdded, []string{"陈大文"}, "林小雨"},
		{"你移除了 T1", waRemoved, []string{"T1"}, "You"},
		{"left", "", nil, ""},
		{" added Bob", "", nil, ""},
		{"Bob left\nmore", "", nil, ""},
	}
	p := waTestParser("")
	for _, c := range cases {
		n, ok := p.notice(waNoticeText(c.text))
		if c.kind == "" {
			if ok {
				t.Errorf("%q: parsed as %+v", c.text, n)
			}
			continue
		}
		if !ok || n.kind != c.kind || !slices.Equal(n.members, c.members) || n.actor != c.actor {
			t.Errorf("%q: got %+v %v", c.text, n, ok)
		}
	}
}

func TestWhatsAppMediaAndPeople(t *testing.T) {
	media := []struct{ lang, text, kind string }{
		{"", "<Media omitted>", KindFile},
		{"", "<省略多媒体文件>", KindFile},
		{"", "image omitted", KindImage},
		{"", "\u200eimage omitted", KindImage},
		{"", "<video omitted>", KindVideo},
		{"", "audio omitted", KindVoice},
		{"", "sticker omitted", KindSticker},
		{"", "GIF omitted", KindImage},
		{"", "report • \u200e2 pages \u200edocument omitted", KindFile},
		{"", "imagen omitida", KindImage},
		{"", "<Medien weggelassen>", KindFile},
		{"", "<attached: 00000012-PHOTO-2023-03-17-09-05-00.jpg>", KindImage},
		{"zh-Hant", "<附件：00000010-VIDEO-2026-03-03-12-00-00.mp4>", KindVideo},
		{"", "<attached: 00000003-AUDIO-2019-01-01-12-00-00.opus>", KindVoice},
		{"", "<attached: 00000004-STICKER-2019-01-01-12-00-00.webp>", KindSticker},
		{"", "test_document • 2 pages <attached: 00000001-test_document.pdf>", KindFile},
		{"", "VID-20190101-WA0001.mp4 (file attached)\ncaption", KindVideo},
		{"", "AUD-20190101-WA0000. (file attached)", KindVoice},
		{"", "John Doe.vcf (file attached)", KindFile},
		{"de", "IMG-20190101-WA0001.jpg (Datei angehängt)", KindImage},
		{"", "the image omitted half the story", ""},
		{"", "I said <hello>", ""},
		{"", "ok", ""},
	}
	for _, c := range media {
		p := waTestParser(c.lang)
		got := ""
		if e, ok := p.tab.lookupExact(c.text); ok {
			got = e.kind
		} else if i := strings.LastIndex(c.text, "\u200e"); i > 0 {
			if e, ok := p.tab.lookupExact(c.text[i:]); ok {
				got = e.kind
			}
		}
		if got == "" {
			got = p.attachedKind(c.text)
		}
		if got != c.kind {
			t.Errorf("media %q = %q, want %q", c.text, got, c.kind)
		}
	}
	people := []struct{ raw, uid, name string }{
		{"Alice Chen", "name:Alice Chen", "Alice Chen"},
		{"\u202a+86 138 0013 8000\u202c", "+8613800138000", "+86 138 0013 8000"},
		{"+1 (777) 777\u20117777", "+17777777777", "+1 (777) 777\u20117777"},
		{"~\u202fNev", "name:Nev", "Nev"},
		{"you", "name:You", "You"},
		{"110", "name:110", "110"},
		{"Room 1024", "name:Room 1024", "Room 1024"},
	}
	for _, c := range people {
		if p := waPerson(c.raw); p.UID != c.uid || p.Name != c.name {
			t.Errorf("person %q = %+v, want %s %q", c.raw, p, c.uid, c.name)
		}
	}
	names := []struct{ path, sniffed, want string }{
		{"WhatsApp Chat with Growth Club.txt", "", "Growth Club"},
		{"WhatsApp_Chat_with_Growth_Club.txt", "", "Growth Club"},
		{"Chat de WhatsApp con Club.txt", "", "Club"},
		{"WhatsApp Chat mit Club.txt", "", "Club"},
		{"Trò chuyện WhatsApp với Nhóm.txt", "", "Nhóm"},
		{"exports/WhatsApp Chat - 深圳读书会/_chat.txt", "Other", "深圳读书会"},
		{"exports/tmp/_chat.txt", "My Group", "My Group"},
		{"exports/tmp/_chat.txt", "", "tmp"},
		{"_chat.txt", "", "_chat"},
		{"android_12h_mdy.txt", "X", "android_12h_mdy"},
	}
	for _, c := range names {
		if got := waChatName(c.path, c.sniffed); got != c.want {
			t.Errorf("chat name of %q = %q, want %q", c.path, got, c.want)
		}
	}
	if got := waMentions("hi @\u2068Bob Li\u2069 and @Carol, mail a@b.c", nil); !slices.Equal(got, []string{"Bob Li", "Carol,"}) {
		t.Errorf("mentions = %q", got)
	}
}

func TestWhatsAppIOSGroupFromChatFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "_chat.txt")
	text := "[01/03/2026, 09:00:00] My Group: \u200eMessages and calls are end-to-end encrypted.\n" +
		"[01/03/2026, 09:00:01] My Group: \u200eYou're now an admin\n" +
		"[01/03/2026, 09:00:02] My Group: Boris added you\n" + // no LRM: still the group's own line
		"[01/03/2026, 09:00:03] Boris: Boris changed this group's icon\n" +
		"[13/03/2026, 09:00:04] Boris: hi\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	rec, err := wcParseFile(t, WhatsAppText{}, path, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.messages) != 4 || len(rec.events) != 1 {
		t.Fatalf("got %+v", rec)
	}
	if g := rec.messages[0].Group; g.Name != "My Group" {
		t.Errorf("group = %+v", g)
	}
	if e := rec.events[0]; e.Member.UID != "name:You" || e.Inviter.UID != "name:Boris" {
		t.Errorf("event = %+v", e)
	}
	kinds := []string{}
	for _, m := range rec.messages {
		kinds = append(kinds, m.Kind)
	}
	if !slices.Equal(kinds, []string{KindSystem, KindSystem, KindSystem, KindText}) {
		t.Errorf("kinds = %v", kinds)
	}
}

// In a one-to-one chat the file and the iOS notices are named after the
// other person, whose messages must stay messages. (On iOS a text of theirs
// that reads exactly like a notice, "Bob left", is taken for one: iOS group
// notices do not always carry the U+200E that would tell them apart.)
func TestWhatsAppOneToOne(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"WhatsApp Chat with Alice.txt": "12/31/25, 9:05 PM - Messages and calls are end-to-end encrypted.\n" +
			"12/31/25, 9:05 PM - Alice: Bob left\n12/31/25, 9:06 PM - Alice: hello\n",
		"_chat.txt": "[31/12/2025, 21:05:00] Alice: \u200eMessages and calls are end-to-end encrypted.\n" +
			"[31/12/2025, 21:05:01] Alice: see you at 9\n[31/12/2025, 21:06:00] Alice: hello\n",
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		rec, err := wcParseFile(t, WhatsAppText{}, path, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, m := range rec.messages {
			kinds = append(kinds, m.Kind)
		}
		if !slices.Equal(kinds, []string{KindSystem, KindText, KindText}) || len(rec.events) != 0 {
			t.Errorf("%s: kinds %v, events %+v", name, kinds, rec.events)
		}
		if g := rec.messages[0].Group.Name; g != "Alice" {
			t.Errorf("%s: group %q", name, g)
		}
	}
}

func TestWhatsAppRejectsAndErrors(t *testing.T) {
	// A date impossible in the proven order is one bad entry, continuation
	// lines included.
	text := "13/01/25, 10:00 - a: ok\n02/30/25, 10:00 - a: bad\nstill bad\n14/01/25, 10:00 - a: fine\n"
	rec, err := parseString(t, WhatsAppText{}, text)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.messages) != 2 || len(rec.rejects) != 1 {
		t.Fatalf("got %+v", rec)
	}
	if r := rec.rejects[0]; r.Line != 2 || r.Raw != "02/30/25, 10:00 - a: bad\nstill bad" || !strings.Contains(r.Reason, "no such date") {
		t.Errorf("reject = %+v", r)
	}

	// Lines beyond the 256 KiB head that contradict the order guessed
	// (without evidence) from it.
	long := strings.Repeat("1/2/25, 10:00 - a: x\n", 20000)
	long12 := strings.Repeat("1/2/25, 9:05 PM - a: x\n", 20000)
	cases := []struct {
		f    WhatsAppText
		text string
		line int64
		msg  string
	}{
		{WhatsAppText{}, "", 0, "no messages found"},
		{WhatsAppText{}, "\n\n", 2, "no messages found"},
		{WhatsAppText{}, "hello\n12/31/25, 9:05 PM - a: x\n", 1, "expected a WhatsApp line"},
		{WhatsAppText{}, "12/31/25, 9:05 PM - a: x\nok\n\xff\n", 3, "invalid UTF-8"},
		{WhatsAppText{}, "12/31/25, 9:05 PM - a: x\x00\n", 1, "NUL byte"},
		// The head had no evidence, so m/d/y was a guess from the clock.
		{WhatsAppText{}, long12 + "13/2/25, 9:05 PM - a: y\n", 20001, "guessed"},
		{WhatsAppText{}, long + "13/2/25, 10:00 - a: y\n1/13/25, 10:00 - a: y\n", 20002, "guessed"},
		{WhatsAppText{DateOrder: "x"}, "1/2/25, 10:00 - a: x\n", 0, "DateOrder"},
	}
	for _, c := range cases {
		_, err := parseString(t, c.f, c.text)
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != c.line || !strings.Contains(pe.Msg, c.msg) || pe.Path != "test.txt" {
			t.Errorf("%.40q: err = %v, want line %d %q", c.text, err, c.line, c.msg)
		}
	}
}

func TestWhatsAppDetect(t *testing.T) {
	read := func(p string) []byte {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	yes := [][]byte{read("../../testdata/whatsapp/android_12h_mdy.txt"), read("../../testdata/whatsapp/ios_24h_dmy.txt"),
		[]byte("\n\u200e[1/2/25, 10:00:00] a: x\n")}
	no := [][]byte{read("../../testdata/qq/community.txt"), read("../../testdata/qq/members.csv"), read("../../testdata/qq/orders.csv"),
		read("../../testdata/wechat/plain.csv"), read("../../testdata/wechat/memotrace.csv"), []byte("hello\n1/2/25, 10:00 - a: x\n"), nil}
	for i, h := range yes {
		if !(WhatsAppText{}).Detect("x.txt", h) {
			t.Errorf("yes[%d] not detected", i)
		}
		for _, f := range Formats() {
			if f.Name() != "whatsapp-txt" && f.Detect("x.txt", h) {
				t.Errorf("yes[%d] also detected as %s", i, f.Name())
			}
		}
	}
	for i, h := range no {
		if (WhatsAppText{}).Detect("x.txt", h) {
			t.Errorf("no[%d] detected as WhatsApp", i)
		}
	}
}

func FuzzWhatsAppText(f *testing.F) {
	for _, p := range []string{"../../testdata/whatsapp/android_12h_mdy.txt", "../../testdata/whatsapp/ios_24h_dmy.txt",
		"../../testdata/whatsapp/en_android_12h_defects.txt", "../../testdata/whatsapp/de_ios_24h_dotted.txt",
		"../../testdata/whatsapp/ko_android_12h_yy.txt", "../../testdata/whatsapp/zhhant_ios_12h.txt", "../../testdata/whatsapp/fi_android_klo_12h.txt"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("1/2/25, 10:00 - a: x\n13/2/25, 10:00 - b added c, d and e\nmore\n")
	f.Add("\u200e[2025/1/2 上午12:00:00] g: \u200e@\u2068x\n")
	f.Add("2/30/25, 9:05 PM - : \n1/1/25, 12:00 AM - You removed you")
	f.Fuzz(func(t *testing.T, text string) {
		rec, err := parseString(t, WhatsAppText{}, text)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error of another kind: %v", err)
			}
			return
		}
		for _, m := range rec.messages {
			if m.Time.IsZero() || m.Group.Platform != "whatsapp" || m.Kind == "" {
				t.Fatalf("bad message %+v", m)
			}
		}
		for _, e := range rec.events {
			if e.Member.UID == "" || e.Kind == "" {
				t.Fatalf("bad event %+v", e)
			}
		}
		for _, n := range rec.notices {
			if n.Line < 1 || n.Raw == "" {
				t.Fatalf("bad unknown notice %+v", n)
			}
		}
	})
}

// writeWhatsAppBench writes an Android export of n entries: mostly text,
// some multi-line, media and membership notices.
func writeWhatsAppBench(b *testing.B, n int) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "WhatsApp Chat with Bench.txt")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		ts := start.Add(time.Duration(i) * 7 * time.Second)
		stamp := ts.Format("1/2/06, 3:04\u202fPM")
		who := fmt.Sprintf("Member %d", i%97)
		switch {
		case i%50 == 0:
			fmt.Fprintf(w, "%s - %s added New %d\n", stamp, who, i)
		case i%20 == 0:
			fmt.Fprintf(w, "%s - %s: <Media omitted>\n", stamp, who)
		case i%33 == 0:
			fmt.Fprintf(w, "%s - +86 138 0013 %04d: first line of %d\nsecond line 第二行\n", stamp, i%10000, i)
		default:
			fmt.Fprintf(w, "%s - %s: message %d 今天的活动大家记得打卡 @Member %d\n", stamp, who, i, (i+1)%97)
		}
	}
	if err := errors.Join(w.Flush(), f.Close()); err != nil {
		b.Fatal(err)
	}
	return path
}

func BenchmarkWhatsAppParse(b *testing.B) {
	const n = 200000
	wcBenchParse(b, WhatsAppText{}, writeWhatsAppBench(b, n), n)
}
