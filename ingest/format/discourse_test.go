package format

import (
	"path/filepath"
	"slices"
	"testing"
	"time"
)

const dsFixtures = "../../testdata/discourse"

func TestDiscourseTopic(t *testing.T) {
	rec, f, err := parseDetected(t, filepath.Join(dsFixtures, "t-101.json"), Input{TZ: time.UTC})
	if err != nil || f.Name() != "discourse-json" {
		t.Fatalf("%v %v", f, err)
	}
	g := Group{Platform: "discourse", ExternalID: "5", Name: "产品讨论"}
	type row struct {
		id, replyTo, sender, name, kind, text string
		mentions                              []string
	}
	want := []row{
		{"101/1", "", "11", "lin_xia", KindText, "新版本的同步功能怎么打开？", nil},
		{"101/2", "101/1", "2", "xinghe_support", KindText, "@lin_xia 在 设置 → 同步 里打开即可。", []string{"lin_xia"}},
		{"101/3", "101/1", "12", "zhou_chen", KindImage, "", nil},
		{"101/4", "", "2", "xinghe_support", KindSystem, "pinned.enabled", nil},
		{"101/5", "101/2", "11", "lin_xia", KindRecall, "(post deleted by author)", nil},
		{"101/7", "", "-1", "system", KindSystem, "autoclosed.enabled This topic was automatically closed after 1 day.", nil},
		{"101/8", "101/2", "12", "zhou_chen", KindText, "谢谢 @xinghe_support！", []string{"xinghe_support"}},
	}
	if len(rec.messages) != len(want) {
		t.Fatalf("%d messages, want %d", len(rec.messages), len(want))
	}
	for i, m := range rec.messages {
		w := want[i]
		got := row{m.ExternalID, m.ReplyTo, m.Sender.UID, m.Sender.Name, m.Kind, m.Text, m.Mentions}
		if m.Group != g || !slices.Equal(got.mentions, w.mentions) || got.id != w.id || got.replyTo != w.replyTo ||
			got.sender != w.sender || got.name != w.name || got.kind != w.kind || got.text != w.text {
			t.Errorf("message %d:\n got %+v in %+v\nwant %+v", i, got, m.Group, w)
		}
	}
	if m := rec.messages[1]; !m.Time.Equal(time.Date(2026, 11, 16, 2, 12, 30, 0, time.UTC)) {
		t.Errorf("time %v", m.Time)
	}
	// A user's first post in the topic joins the category; the system user
	// and the post without created_at (rejected) do not.
	var joins []string
	for _, e := range rec.events {
		if e.Kind != EventJoin || e.Group != g || e.Source != "" {
			t.Errorf("event %+v", e)
		}
		joins = append(joins, e.Member.UID+"@"+e.Time.Format("15:04"))
	}
	if !slices.Equal(joins, []string{"11@02:00", "2@02:12", "12@03:00"}) {
		t.Errorf("joins %v", joins)
	}
	var roles []string
	for _, r := range rec.roles {
		if r.Group != (Group{Platform: "discourse"}) {
			t.Errorf("role of one category: %+v", r)
		}
		roles = append(roles, r.Person.Name+":"+r.Role)
	}
	if !slices.Equal(roles, []string{"xinghe_support:admin", "system:bot"}) {
		t.Errorf("roles %v", roles)
	}
	if len(rec.rejects) != 1 || rec.rejects[0].Line != 100 || rec.rejects[0].Reason != "a post without created_at" {
		t.Errorf("rejects %+v", rec.rejects)
	}
}

func TestDiscourseCategoryNames(t *testing.T) {
	rec, _, err := parseDetected(t, filepath.Join(dsFixtures, "t-102.json"), Input{TZ: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	// categories.json does not list category 7.
	if g := rec.messages[0].Group; g.Name != "category 7" || g.ExternalID != "7" {
		t.Errorf("%+v", g)
	}
	if m := rec.messages[0]; m.Text != "欢迎来到使用技巧版块！\n有问题请直接发帖。" {
		t.Errorf("%q", m.Text)
	}
	// The list itself loads nothing.
	rec, _, err = parseDetected(t, filepath.Join(dsFixtures, "categories.json"), Input{TZ: time.UTC})
	if err != nil || len(rec.messages)+len(rec.events)+len(rec.rejects) != 0 {
		t.Errorf("categories.json: %v %+v", err, rec)
	}
}
