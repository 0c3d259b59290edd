package format

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The table file itself: it compiles, every entry names a known source
// (compileWaTables refuses one that does not), and every language the
// issue asks for is there.
func TestWhatsAppLocaleTable(t *testing.T) {
	tab, err := compileWaTables(waLocalesJSON)
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"zh-Hans", "zh-Hant", "en", "es", "pt-BR", "de", "fr", "it", "id", "ru", "tr", "ar", "hi", "ja", "ko", "vi", "nl", "fi"} {
		l := tab.byCode[code]
		if l == nil {
			t.Errorf("%s: no table", code)
			continue
		}
		kinds := map[string]bool{}
		for _, n := range l.notices {
			kinds[n.kind] = true
		}
		for _, k := range []string{waAdded, waJoinedLink, waLeft, waRemoved, waSystem, waEncryption} {
			if !kinds[k] {
				t.Errorf("%s: no %s notice", code, k)
			}
		}
	}
	if _, err := compileWaTables([]byte(`{"sources":{"A":"x"},"locales":{"en":{"notices":[{"t":"{actor} left","k":"left","src":"B"}]}}}`)); err == nil {
		t.Error("an entry with an unknown source was accepted")
	}
	if _, err := compileWaTables([]byte(`{"sources":{"A":"x"},"locales":{"en":{"notices":[{"t":"{actor}{member} left","k":"left","src":"A"}]}}}`)); err == nil {
		t.Error("two holes with nothing between were accepted")
	}
	for _, c := range []struct{ in, want string }{{"de", "de"}, {"de-DE", "de"}, {"zh_CN", "zh-Hans"}, {"zh-HK", "zh-Hant"}, {"pt", "pt-BR"}, {"in", "id"}} {
		if got, ok := waNormLang(c.in); !ok || got != c.want {
			t.Errorf("lang %q = %q %v, want %q", c.in, got, ok, c.want)
		}
	}
	if _, ok := waNormLang("xx"); ok {
		t.Error("lang xx accepted")
	}
}

// Day periods and date layouts of the locales, read to the minute.
func TestWhatsAppLocalClocks(t *testing.T) {
	cases := []struct {
		file string
		line int64
		want string // local time of that line's entry
		lang string // language detected
	}{
		{"ko_android_12h_yy.txt", 6, "2026-03-14 20:00", "ko"},
		{"ko_android_12h_yy.txt", 5, "2026-03-01 13:07", "ko"},
		{"fi_android_klo_12h.txt", 5, "2026-03-01 13:07", "fi"},
		{"vi_android_12h_sa_ch.txt", 5, "2026-03-01 13:07", "vi"},
		{"zhhans_android_12h_ymd.txt", 6, "2026-03-14 20:00", "zh-Hans"},
		{"zhhant_ios_12h.txt", 6, "2026-03-01 13:07", "zh-Hant"},
		{"es_android_12h_pm.txt", 10, "2026-03-13 23:59", "es"},
		{"es_ios_12h_pm.txt", 6, "2026-03-02 19:00", "es"},
		{"ja_android_24h_ymd.txt", 6, "2026-03-01 13:07", "ja"},
		{"id_android_24h_dotted_time.txt", 7, "2026-03-14 20:00", "id"},
		{"nl_android_24h_dashed.txt", 6, "2026-03-14 20:00", "nl"},
		{"de_ios_24h_dotted.txt", 9, "2026-03-13 21:06", "de"},
		{"hi_android_12h.txt", 5, "2026-03-01 13:07", "hi"},
		{"en_ios_12h_nnbsp.txt", 11, "2026-03-02 20:00", "en"},
		{"en_android_24h_group_author.txt", 3, "2026-03-10 10:51", "en"},
		{"tr_android_24h.txt", 6, "2026-03-14 20:00", "tr"},
		{"ru_android_24h.txt", 6, "2026-03-14 20:00", "ru"},
		{"ptbr_android_24h.txt", 8, "2026-03-15 18:00", "pt-BR"},
		{"fr_android_24h.txt", 6, "2026-03-14 20:00", "fr"},
		{"it_ios_24h.txt", 6, "2026-03-14 20:00", "it"},
	}
	for _, c := range cases {
		path := filepath.Join("../../testdata/whatsapp", c.file)
		rec, err := wcParseFile(t, WhatsAppText{}, path, time.UTC)
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		var got []string
		for _, m := range rec.messages {
			if m.Line == c.line {
				got = append(got, m.Time.Format("2006-01-02 15:04"))
			}
		}
		for _, e := range rec.events {
			if e.Line == c.line {
				got = append(got, e.Time.Format("2006-01-02 15:04"))
			}
		}
		if len(got) == 0 || got[0] != c.want {
			t.Errorf("%s:%d: times %v, want %s", c.file, c.line, got, c.want)
		}
		b, _ := os.ReadFile(path)
		p := &waParser{tab: waLoadTables(), names: map[string]Person{}}
		p.sniffHead(b)
		if p.lang != c.lang {
			t.Errorf("%s: language %q, want %q", c.file, p.lang, c.lang)
		}
	}
}

// The defects of issue 13, on an English Android export: each line's
// reading, beyond the counts the corpus checks.
func TestWhatsAppDefects(t *testing.T) {
	rec, err := wcParseFile(t, WhatsAppText{}, "../../testdata/whatsapp/en_android_12h_defects.txt", time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	byLine := map[int64]Message{}
	for _, m := range rec.messages {
		byLine[m.Line] = m
	}
	checks := []struct {
		line         int64
		kind, sender string
		text         string
	}{
		{5, KindSystem, "", "Leo Park requested to join."},
		{6, KindText, "name:Dr: Who", "hello: everyone"}, // the author named by a notice, ": " and all
		{7, KindRecall, "name:Omar Haddad", ""},
		{8, KindFile, "name:Priya Nair", "location: https://maps.google.com/?q=37.77,-122.41"},
		{9, KindSystem, "name:Omar Haddad", "Waiting for this message"},
		{10, KindText, "name:Maya Lin", "POLL:\nWhich day works?\nOPTION: Saturday (2 votes)\nOPTION: Sunday (1 vote)"},
		{14, KindSystem, "name:Priya Nair", ""}, // an empty "Name: " line
		{15, KindSystem, "", "Maya Lin changed this group’s settings to allow only admins to add others to this group."},
	}
	for _, c := range checks {
		m, ok := byLine[c.line]
		if !ok || m.Kind != c.kind || m.Sender.UID != c.sender || m.Text != c.text {
			t.Errorf("line %d = %+v, want %s by %q %q", c.line, m, c.kind, c.sender, c.text)
		}
	}
	if a := byLine[7].Actor; a.UID != "name:Maya Lin" {
		t.Errorf("recall actor = %+v", a)
	}
	if len(rec.acts) != 1 || rec.acts[0].Type != "vote" || rec.acts[0].Title != "Which day works?" || rec.acts[0].Line != 10 {
		t.Errorf("activities = %+v", rec.acts)
	}
	if len(rec.notices) != 1 || rec.notices[0].Line != 16 || !strings.Contains(rec.notices[0].Raw, "changed their username") {
		t.Errorf("unknown notices = %+v", rec.notices)
	}
	var evs []string
	for _, e := range rec.events {
		evs = append(evs, e.Kind+"/"+e.Source+" "+e.Member.UID+" by "+e.Inviter.UID+e.Actor.UID)
	}
	want := []string{
		"join/referral name:Dr: Who by name:Maya Lin",
		"join/referral name:Omar Haddad by name:Maya Lin",
		"join/unknown name:Priya Nair by ",
		"leave/ name:Omar Haddad by ",
		"removed/ name:Priya Nair by name:Maya Lin",
	}
	if !slices.Equal(evs, want) {
		t.Errorf("events:\n%s\nwant\n%s", strings.Join(evs, "\n"), strings.Join(want, "\n"))
	}
}

// Notices under the group's name (newer Android, iOS) and under the person
// they are about: the group is no sender, the exporting account is "You".
func TestWhatsAppGroupAuthoredNotices(t *testing.T) {
	rec, err := wcParseFile(t, WhatsAppText{}, "../../testdata/whatsapp/en_android_24h_group_author.txt", time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range rec.messages {
		if m.Sender.Name == "Garden Crew" {
			t.Errorf("the group is a sender: %+v", m)
		}
	}
	if len(rec.events) != 2 {
		t.Fatalf("events = %+v", rec.events)
	}
	if e := rec.events[0]; e.Kind != EventRemoved || e.Member.UID != "name:Sam Ortiz" || e.Actor.UID != "name:You" || e.Line != 3 {
		t.Errorf("removal = %+v", e)
	}
	if e := rec.events[1]; e.Kind != EventJoin || e.Source != SourceReferral || e.Inviter.UID != "name:You" || e.Member.UID != "name:Sam Ortiz" {
		t.Errorf("join = %+v", e)
	}
	// One identity for the notice's person and their messages.
	last := rec.messages[len(rec.messages)-1]
	if last.Sender.UID != "name:Sam Ortiz" {
		t.Errorf("last message = %+v", last)
	}

	// German: a phone number in a notice is the same UID as its messages.
	rec, err = wcParseFile(t, WhatsAppText{}, "../../testdata/whatsapp/de_ios_24h_dotted.txt", time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	var joined, left, sent bool
	for _, e := range rec.events {
		joined = joined || (e.Kind == EventJoin && e.Member.UID == "+4915123456789" && e.Inviter.UID == "name:Jana Vogel")
		left = left || (e.Kind == EventLeave && e.Member.UID == "+4915123456789")
	}
	for _, m := range rec.messages {
		sent = sent || (m.Sender.UID == "+4915123456789" && m.Kind == KindVoice)
		if m.Sender.Name == "Lesekreis Mitte" {
			t.Errorf("the group is a sender: %+v", m)
		}
	}
	if !joined || !left || !sent {
		t.Errorf("phone identity: joined %v left %v sent %v", joined, left, sent)
	}
}

// A system line no table knows is never a member's message.
func TestWhatsAppUnknownNotices(t *testing.T) {
	text := "[3/1/26, 9:00:00\u202fAM] Club: \u200eMessages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.\n" +
		"\u200e[3/1/26, 9:00:01\u202fAM] Club: \u200eAna hat etwas Neues gemacht\n" + // an iOS system line in words no table has
		"\u200e[3/1/26, 9:00:02\u202fAM] Bob: \u200eBob did a thing nobody wrote down\n" +
		"[3/1/26, 9:00:03\u202fAM] Bob: hi\n"
	rec, err := parseString(t, WhatsAppText{}, text)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.notices) != 2 || rec.notices[0].Line != 2 || rec.notices[1].Line != 3 {
		t.Errorf("unknown notices = %+v", rec.notices)
	}
	if len(rec.messages) != 2 || rec.messages[1].Sender.UID != "name:Bob" || rec.messages[1].Text != "hi" {
		t.Errorf("messages = %+v", rec.messages)
	}
	android := "3/1/26, 9:00\u202fAM - Something WhatsApp says\n3/1/26, 9:01\u202fAM - Bob: hi\n"
	rec, err = parseString(t, WhatsAppText{}, android)
	if err != nil || len(rec.notices) != 1 || len(rec.messages) != 1 {
		t.Errorf("android: %+v %v", rec, err)
	}
}

// Input.Lang forces the language; an unknown one is an error.
func TestWhatsAppForcedLanguage(t *testing.T) {
	// "Bob saiu" is Portuguese for "Bob left"; with no evidence in the file
	// the language is unknown and every table is tried anyway.
	text := "1/2/25, 10:00 - Bob saiu\n1/2/25, 10:01 - Ana: oi\n"
	for _, lang := range []string{"", "pt-BR", "de"} {
		rec := &recorder{}
		err := WhatsAppText{}.Parse(context.Background(), Input{Path: "x.txt", R: strings.NewReader(text), TZ: time.UTC, Lang: lang}, rec)
		if err != nil || len(rec.events) != 1 || rec.events[0].Kind != EventLeave {
			t.Errorf("lang %q: %+v %v", lang, rec.events, err)
		}
	}
	err := WhatsAppText{}.Parse(context.Background(), Input{Path: "x.txt", R: strings.NewReader(text), TZ: time.UTC, Lang: "xx"}, &recorder{})
	var pe *ParseError
	if !errors.As(err, &pe) || !strings.Contains(pe.Msg, "language") {
		t.Errorf("lang xx: %v", err)
	}
	// A German placeholder in an export forced to German.
	rec := &recorder{}
	de := "01.03.26, 09:00 - Tom: Diese Nachricht wurde gelöscht\n"
	if err := (WhatsAppText{}).Parse(context.Background(), Input{Path: "x.txt", R: strings.NewReader(de), TZ: time.UTC, Lang: "de"}, rec); err != nil || rec.messages[0].Kind != KindRecall {
		t.Errorf("de recall: %+v %v", rec.messages, err)
	}
}

// The iOS "WhatsApp Chat - X.zip": detected from its head before Slack's
// zip, read with its name from the notices, else from the zip's name.
func TestWhatsAppZip(t *testing.T) {
	path := "../../testdata/whatsapp/WhatsApp Chat - Makers Club.zip"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Detect(path, b[:min(len(b), HeadSize)])
	if err != nil || f.Name() != "whatsapp-txt" {
		t.Fatalf("detected %v %v", f, err)
	}
	// The local header names _chat.txt: detected whatever the zip's name.
	if !(WhatsAppText{}).Detect("export.zip", b) {
		t.Error("a zip whose first entry is _chat.txt not detected")
	}
	dir := t.TempDir()
	write := func(name string, files map[string]string) string {
		p := filepath.Join(dir, name)
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		names := make([]string, 0, len(files))
		for n := range files {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			w, _ := zw.Create(n)
			w.Write([]byte(files[n]))
		}
		zw.Close()
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	other := write("users.zip", map[string]string{"users.json": "[]", "channels.json": "[]"})
	ob, _ := os.ReadFile(other)
	if (WhatsAppText{}).Detect(other, ob) {
		t.Error("a Slack zip detected as WhatsApp")
	}
	rec, err := wcParseFile(t, WhatsAppText{}, path, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.messages) != 3 || len(rec.events) != 2 || rec.messages[0].Group.Name != "Makers Club" {
		t.Fatalf("zip: %+v", rec)
	}
	if m := rec.messages[2]; m.Kind != KindImage || m.Sender.UID != "name:Omar Haddad" {
		t.Errorf("attachment = %+v", m)
	}
	// No notice names the group: the zip's name does.
	android := write("WhatsApp Chat - Garden Crew.zip", map[string]string{
		"WhatsApp Chat with Garden Crew.txt": "10/3/2026, 10:50 - Ana: hi\n13/3/2026, 10:51 - Bob: hey\n",
		"IMG-20260310-WA0001.jpg":            "x",
	})
	rec, err = wcParseFile(t, WhatsAppText{}, android, time.UTC)
	if err != nil || len(rec.messages) != 2 || rec.messages[0].Group.Name != "Garden Crew" {
		t.Errorf("android zip: %+v %v", rec, err)
	}
	empty := write("WhatsApp Chat - Empty.zip", map[string]string{"IMG-1.jpg": "x"})
	_, err = wcParseFile(t, WhatsAppText{}, empty, time.UTC)
	var pe *ParseError
	if !errors.As(err, &pe) || !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("zip without a chat: %v", err)
	}
}
