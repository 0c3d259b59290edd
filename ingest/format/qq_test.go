package format

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// recorder is a Sink that keeps everything, for parser tests.
type recorder struct {
	messages []Message
	events   []Event
	members  []Member
	orders   []Order
	acts     []Activity
	rejects  []Reject
	roles    []Role
	presence []Presence
	stats    []Statistic
	notices  []Reject // UnknownNotice calls
}

func (r *recorder) Message(m *Message) error {
	c := *m
	c.Mentions = slices.Clone(m.Mentions)
	r.messages = append(r.messages, c)
	return nil
}
func (r *recorder) Event(e *Event) error   { r.events = append(r.events, *e); return nil }
func (r *recorder) Member(m *Member) error { r.members = append(r.members, *m); return nil }
func (r *recorder) Order(o *Order) error   { r.orders = append(r.orders, *o); return nil }
func (r *recorder) Activity(a *Activity) error {
	r.acts = append(r.acts, *a)
	return nil
}
func (r *recorder) Reject(line int64, reason, raw string) error {
	r.rejects = append(r.rejects, Reject{line, reason, raw})
	return nil
}

func (r *recorder) Role(o *Role) error         { r.roles = append(r.roles, *o); return nil }
func (r *recorder) Presence(p *Presence) error { r.presence = append(r.presence, *p); return nil }
func (r *recorder) Statistic(s *Statistic) error {
	c := *s
	c.Owners = slices.Clone(s.Owners)
	r.stats = append(r.stats, c)
	return nil
}
func (r *recorder) UnknownNotice(line int64, raw string) error {
	r.notices = append(r.notices, Reject{Line: line, Raw: raw})
	return nil
}

func parseString(t testing.TB, f Format, text string) (*recorder, error) {
	t.Helper()
	rec := &recorder{}
	err := f.Parse(context.Background(), Input{Path: "test.txt", R: strings.NewReader(text), TZ: time.UTC}, rec)
	return rec, err
}

func TestParseQQSender(t *testing.T) {
	cases := []struct {
		line      string
		ok        bool
		uid, name string
	}{
		{"2026-11-16 09:45:00 杨磊(1006)", true, "1006", "杨磊"},
		{"2026-1-6 9:45:00 杨磊(1006)", true, "1006", "杨磊"},
		{"2026-11-16 09:46:10 【管理员】小美|官方客服|上海(10001)", true, "10001", "小美|官方客服|上海"},
		{"2026-11-03 21:15:40 孙丽<sunli@example.com>", true, "sunli@example.com", "孙丽"},
		{"2026-11-03 21:15:40 Tom (Sales)(123)", true, "123", "Tom (Sales)"},
		{"2026-11-03 21:15:40 (123)", true, "123", ""}, // a member with no nick
		{"2026-11-03 21:15:40 Tom(abc)", false, "", ""},
		{"2026-11-03 21:15:40 Tom<not-an-email>", false, "", ""},
		{"2026-11-03 21:15 Tom(123)", false, "", ""},
		{"2026/11/03 21:15:40 Tom(123)", false, "", ""},
		{"今天 21:15:40 Tom(123)", false, "", ""},
		{"2026-11-03 21:15:40", false, "", ""},
	}
	for _, c := range cases {
		_, p, ok := parseQQSender([]byte(c.line))
		if ok != c.ok || (ok && (p.UID != c.uid || p.Name != c.name)) {
			t.Errorf("%q: got %+v %v, want uid=%q name=%q %v", c.line, p, ok, c.uid, c.name, c.ok)
		}
	}
}

func TestParseQQNotice(t *testing.T) {
	cases := []struct {
		text             string
		kind, source     string
		member, inviter  string
		recall, notEvent bool
	}{
		{text: "李娜(1003)加入本群", kind: EventJoin, source: SourceUnknown, member: "1003"},
		{text: "李娜(1003)加入本群。", kind: EventJoin, source: SourceUnknown, member: "1003"},
		{text: "张伟(1001)邀请陈静(1005)加入本群", kind: EventJoin, source: SourceReferral, member: "1005", inviter: "1001"},
		{text: "杨磊(1006)通过扫描王芳(1002)分享的二维码加入本群", kind: EventJoin, source: SourceQR, member: "1006", inviter: "1002"},
		{text: "周杰(1008)退出本群", kind: EventLeave, member: "1008"},
		{text: "刘洋(1004)被管理员移出本群", kind: EventRemoved, member: "1004"},
		{text: "小美(10001)将刘洋(1004)移出本群", kind: EventRemoved, member: "1004"},
		{text: "阿强加入本群", kind: EventJoin, source: SourceUnknown, member: "name:阿强"},
		{text: "李娜(1003)撤回了一条消息", member: "1003", recall: true},
		{text: "群主修改了群名称", notEvent: true},
		{text: "加入本群", notEvent: true},
	}
	for _, c := range cases {
		ev, recall, ok := parseQQNotice(c.text)
		if c.notEvent {
			if ok {
				t.Errorf("%q: parsed as %+v, want a plain system message", c.text, ev)
			}
			continue
		}
		if !ok || recall != c.recall || ev.Kind != c.kind || ev.Source != c.source || ev.Member.UID != c.member || ev.Inviter.UID != c.inviter {
			t.Errorf("%q: got %+v recall=%v ok=%v", c.text, ev, recall, ok)
		}
	}
}

func TestQQKindAndMentions(t *testing.T) {
	cases := []struct {
		text     string
		kind     string
		mentions []string
	}{
		{"[图片]", KindImage, nil},
		{"[表情]", KindSticker, nil},
		{"[语音]", KindVoice, nil},
		{"[视频]", KindVideo, nil},
		{"[文件]", KindFile, nil},
		{"[图片]好看", KindText, nil},
		{"看这个 https://example.com/x", KindLink, nil},
		{"@李娜 下周一发布", KindText, []string{"李娜"}},
		{"欢迎@杨磊 和 @Tom!", KindText, []string{"杨磊", "Tom!"}},
		{"mail me: tom@example.com", KindText, nil},
		{"@@", KindText, nil},
	}
	for _, c := range cases {
		if k := qqKind(c.text); k != c.kind {
			t.Errorf("kind(%q) = %s, want %s", c.text, k, c.kind)
		}
		if m := mentions(c.text, nil); !slices.Equal(m, c.mentions) {
			t.Errorf("mentions(%q) = %q, want %q", c.text, m, c.mentions)
		}
	}
}

func TestQQParseSections(t *testing.T) {
	text := "消息记录（此消息记录为文本格式，不支持重新导入）\r\n\r\n" +
		"================================================================\r\n" +
		"消息分组:我的QQ群\r\n" +
		"================================================================\r\n" +
		"消息对象:甲群\r\n" +
		"================================================================\r\n\r\n" +
		"2026-11-16 09:45:00 A(1)\r\n第一行\r\n\r\n第三行\r\n\r\n" +
		"================================================================\r\n" +
		"消息对象：乙群\r\n" +
		"================================================================\r\n\r\n" +
		"2026-11-16 09:46:00 B(2)\r\n[图片]\r\n"
	rec, err := parseString(t, QQText{}, text)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.messages) != 2 {
		t.Fatalf("messages = %d, want 2", len(rec.messages))
	}
	a, b := rec.messages[0], rec.messages[1]
	if a.Group.Name != "甲群" || a.Text != "第一行\n\n第三行" || a.Line != 9 {
		t.Errorf("first = %+v", a)
	}
	if b.Group.Name != "乙群" || b.Kind != KindImage || b.Line != 18 {
		t.Errorf("second = %+v", b)
	}
}

func TestQQParseErrors(t *testing.T) {
	cases := []struct {
		text string
		line int64
		msg  string
	}{
		{"", 0, "no messages found"},
		{"消息记录（此消息记录为文本格式，不支持重新导入）\n\n", 2, "no messages found"},
		{"hello\n", 1, "expected a QQ export header"},
		{"2026-13-01 10:00:00 A(1)\nx\n", 1, "bad time"},
		{"2026-02-30 10:00:00 A(1)\nx\n", 1, "bad time"},
		{"2026-11-16 09:45:00 A(1)\nok\n\xff\xfe\n", 3, "invalid UTF-8"},
	}
	for _, c := range cases {
		_, err := parseString(t, QQText{}, c.text)
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != c.line || !strings.Contains(pe.Msg, c.msg) {
			t.Errorf("%q: err = %v, want line %d %q", c.text, err, c.line, c.msg)
		}
	}
}

func FuzzQQText(f *testing.F) {
	f.Add("消息记录（此消息记录为文本格式，不支持重新导入）\n消息对象:群\n\n2026-11-16 09:45:00 A(1)\n你好 @B\n")
	f.Add("2026-11-16 09:45:00 系统消息(10000)\nX(1)邀请Y(2)加入本群\n")
	f.Add("2026-1-1 0:00:00 【群主】A<a@b.c>\n[图片]\n================\n消息对象:\n")
	f.Fuzz(func(t *testing.T, text string) {
		rec, err := parseString(t, QQText{}, text)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error of another kind: %v", err)
			}
			return
		}
		for _, m := range rec.messages {
			if m.Time.IsZero() || m.Group.Platform != "qq" {
				t.Fatalf("bad message %+v", m)
			}
		}
	})
}

func FuzzMembersCSV(f *testing.F) {
	f.Add("group,member_id,joined_at\n群,1,2026-11-16 09:00:00\n")
	f.Add("group,member_id,joined_at\n\"群,1,2026\n")
	f.Add("group,member_id,joined_at,channel\n群,1,bad,weibo\n")
	f.Fuzz(func(t *testing.T, text string) {
		for _, format := range []Format{MembersCSV{}, OrdersCSV{}, ActivitiesCSV{}} {
			if _, err := parseString(t, format, text); err != nil {
				var pe *ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("%s: error of another kind: %v", format.Name(), err)
				}
			}
		}
	})
}
