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
		{"2026-11-03 21:15:40 周敏(zhoumin@foxmail.com)", true, "zhoumin@foxmail.com", "周敏"},
		{"2019-09-23 8:43:38 PM 骰娘(123)", true, "123", "骰娘"},
		{"2019-09-23 下午 8:43:38 骰娘(123)", true, "123", "骰娘"},
		{"2026-11-03 21:15:40 【LV100 群主】【作者】阿林(20221117)", true, "20221117", "阿林"},
		{"2018-08-20 16:45:49 (80000000)", true, "80000000", ""}, // anonymous
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
		text                   string
		kind, source           string
		member, inviter, actor Person
	}{
		{text: "李娜(1003)加入本群", kind: EventJoin, source: SourceUnknown, member: Person{"1003", "李娜"}},
		{text: "李娜(1003)加入本群。", kind: EventJoin, source: SourceUnknown, member: Person{"1003", "李娜"}},
		{text: "李娜(1003)加入了本群", kind: EventJoin, source: SourceUnknown, member: Person{"1003", "李娜"}},
		{text: "周敏(zhoumin@foxmail.com) 加入本群", kind: EventJoin, source: SourceUnknown, member: Person{"zhoumin@foxmail.com", "周敏"}},
		{text: "周敏<zhoumin@foxmail.com>加入了本群", kind: EventJoin, source: SourceUnknown, member: Person{"zhoumin@foxmail.com", "周敏"}},
		{text: "独幕剧团加入本群。", kind: EventJoin, source: SourceUnknown, member: Person{Name: "独幕剧团"}},
		{text: "张伟(1001)邀请陈静(1005)加入本群", kind: EventJoin, source: SourceReferral, member: Person{"1005", "陈静"}, inviter: Person{"1001", "张伟"}},
		{text: "阿锤邀请123加入了本群。", kind: EventJoin, source: SourceReferral, member: Person{Name: "123"}, inviter: Person{Name: "阿锤"}},
		{text: "杨磊(1006)通过扫描王芳(1002)分享的二维码加入本群", kind: EventJoin, source: SourceQR, member: Person{"1006", "杨磊"}, inviter: Person{"1002", "王芳"}},
		{text: "周杰(1008)退出本群", kind: EventLeave, member: Person{"1008", "周杰"}},
		{text: "周杰(1008)退出了本群", kind: EventLeave, member: Person{"1008", "周杰"}},
		{text: "刘洋(1004)被管理员移出本群", kind: EventRemoved, member: Person{"1004", "刘洋"}},
		{text: "小美(10001)将刘洋(1004)移出本群", kind: EventRemoved, member: Person{"1004", "刘洋"}, actor: Person{"10001", "小美"}},
		{text: "李娜(1003)撤回了一条消息", kind: noticeRecall, member: Person{"1003", "李娜"}},
		{text: "阿锤撤回了一条消息", kind: noticeRecall, member: Person{Name: "阿锤"}},
		{text: "你撤回了一条消息 重新编辑", kind: noticeRecall},
		{text: "小美(10001)撤回了成员李娜(1003)的一条消息", kind: noticeRecall, member: Person{"1003", "李娜"}, actor: Person{"10001", "小美"}},
		{text: "小美(10001)撤回了一条成员消息", kind: noticeRecall, actor: Person{"10001", "小美"}},
		{text: "Tom(2001) recalled a message", kind: noticeRecall, member: Person{"2001", "Tom"}},
		// The exporting account is never identified: understood, no one's.
		{text: "你加入本群", kind: noticeSystem},
	}
	for _, c := range cases {
		n, ok := parseQQNotice(c.text, "")
		if !ok || n.kind != c.kind || n.source != c.source || n.member != c.member || n.inviter != c.inviter || n.actor != c.actor {
			t.Errorf("%q: got %+v ok=%v", c.text, n, ok)
		}
	}
	for _, text := range []string{"群主修改了群名称", "加入本群", "[图片]2", "3\n4", "你已经是群成员了，和大家打个招呼吧！", ""} {
		if n, ok := parseQQNotice(text, ""); ok {
			t.Errorf("%q: read as %+v, want a notice no table knows", text, n)
		}
	}
	// A forced language the table has restricts the wordings to it.
	if _, ok := parseQQNotice("Tom(2001) recalled a message", "zh-Hans"); ok {
		t.Error("--lang zh-Hans read an English notice")
	}
	if _, ok := parseQQNotice("Tom(2001) recalled a message", "de"); !ok {
		t.Error("a language QQ has no table for must leave every wording in play")
	}
}

func TestQQTwelveHourClock(t *testing.T) {
	// The layout of the real export in github.com/dkwingsmt/log-painter
	// src/step-source/parser_chat.test.ts.
	text := "消息记录（此消息记录为文本格式，不支持重新导入）\n\n" +
		"================================================================\n消息分组:我的群聊\n" +
		"================================================================\n消息对象:跑团群\n" +
		"================================================================\n\n" +
		"2019-09-23 8:43:38 PM 骰娘-Roll100(20190923)\n1\n\n" +
		"2019-09-23 12:12:29 AM 小礼(31000004)\n2\n\n" +
		"2019-09-23 12:05:00 PM 小礼(31000004)\n3\n\n" +
		"2019-09-24 下午 3:04:05 围观<onlooker@example.com>\n4\n\n" +
		"2019-09-24 上午 12:30:00 围观<onlooker@example.com>\n5\n"
	rec, err := parseString(t, QQText{}, text)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		at        string
		uid, name string
	}{
		{"2019-09-23 20:43:38", "20190923", "骰娘-Roll100"},
		{"2019-09-23 00:12:29", "31000004", "小礼"},
		{"2019-09-23 12:05:00", "31000004", "小礼"},
		{"2019-09-24 15:04:05", "onlooker@example.com", "围观"},
		{"2019-09-24 00:30:00", "onlooker@example.com", "围观"},
	}
	if len(rec.messages) != len(want) {
		t.Fatalf("messages = %d, want %d", len(rec.messages), len(want))
	}
	for i, w := range want {
		m := rec.messages[i]
		if got := m.Time.Format("2006-01-02 15:04:05"); got != w.at || m.Sender.UID != w.uid || m.Sender.Name != w.name {
			t.Errorf("message %d: %s %+v, want %s %s %s", i, got, m.Sender, w.at, w.uid, w.name)
		}
	}
	if _, err := parseString(t, QQText{}, "2019-09-23 13:43:38 PM A(1)\nx\n"); err == nil || !strings.Contains(err.Error(), "bad time") {
		t.Errorf("13 PM: err = %v, want a bad time", err)
	}
	// Once a 24-hour clock is seen, "PM " before a nick is the nick's.
	rec, err = parseString(t, QQText{}, "2026-11-16 21:00:00 A(1)\nx\n\n2026-11-16 09:00:00 PM Lee(2)\ny\n")
	if err != nil {
		t.Fatal(err)
	}
	if m := rec.messages[1]; m.Sender.Name != "PM Lee" || m.Time.Hour() != 9 {
		t.Errorf("24-hour file: %+v at %v, want PM Lee at 09:00", m.Sender, m.Time)
	}
}

func TestQQSystemSendersAndTitles(t *testing.T) {
	text := "消息对象:甲群\n\n" +
		"2026-11-16 09:00:00 【群主】老王(1)\n欢迎\n\n" +
		"2026-11-16 09:01:00 【管理员】小美(2)\n请看群公告\n\n" +
		"2026-11-16 09:02:00 【活跃】【传说】阿强(3)\n好\n\n" +
		"2026-11-16 09:03:00 【管理员】小美(2)\n再说一次\n\n" +
		"2026-11-16 09:04:00 系统消息(1000000)\n周敏(zhoumin@foxmail.com) 加入本群\n\n" +
		"2026-11-16 09:05:00 周敏<zhoumin@foxmail.com>\n大家好\n\n" +
		"2026-11-16 09:06:00 系统消息(10000)\n小美(2)将阿强(3)移出本群\n\n" +
		"2026-11-16 09:07:00 系统消息(1000000)\n3\n4\n\n" +
		"2026-11-16 09:08:00 系统消息(99)\n不是系统\n\n" +
		"================================================================\n消息对象:乙群\n" +
		"================================================================\n\n" +
		"2026-11-16 10:00:00 【管理员】小美(2)\n乙群也是我\n"
	rec, err := parseString(t, QQText{}, text)
	if err != nil {
		t.Fatal(err)
	}
	var roles []string
	for _, r := range rec.roles {
		roles = append(roles, r.Group.Name+"/"+r.Person.UID+"/"+r.Role)
	}
	if want := []string{"甲群/1/owner", "甲群/2/admin", "乙群/2/admin"}; !slices.Equal(roles, want) {
		t.Errorf("roles = %q, want %q", roles, want)
	}
	var senders []string
	for _, m := range rec.messages {
		senders = append(senders, m.Sender.UID+"="+m.Sender.Name)
	}
	want := []string{"1=老王", "2=小美", "3=阿强", "2=小美", "zhoumin@foxmail.com=周敏", "99=系统消息", "2=小美"}
	if !slices.Equal(senders, want) {
		t.Errorf("senders = %q, want %q", senders, want)
	}
	if len(rec.events) != 2 {
		t.Fatalf("events = %+v", rec.events)
	}
	if e := rec.events[0]; e.Kind != EventJoin || e.Member.UID != "zhoumin@foxmail.com" {
		t.Errorf("join = %+v", e)
	}
	if e := rec.events[1]; e.Kind != EventRemoved || e.Member.UID != "3" || e.Actor.UID != "2" {
		t.Errorf("removal = %+v", e)
	}
	if len(rec.notices) != 1 || rec.notices[0].Raw != "3\n4" || rec.notices[0].Line != 24 {
		t.Errorf("unknown notices = %+v", rec.notices)
	}
}

// A message over the size limit is rejected with its line and the rest
// loads; a single line over it refuses the file at that line, read through
// without being held (lines.go).
func TestQQMaxMessage(t *testing.T) {
	long := strings.Repeat(strings.Repeat("长", 10)+"\n", 4) // four lines of 31 bytes: 124 in all
	text := "2026-11-16 09:00:00 A(1)\n" + long + "\n2026-11-16 09:01:00 B(2)\nok\n"
	rec := &recorder{}
	err := QQText{}.Parse(context.Background(), Input{Path: "t.txt", R: strings.NewReader(text), TZ: time.UTC, MaxMessage: 64}, rec)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.messages) != 1 || rec.messages[0].Text != "ok" {
		t.Errorf("messages = %+v", rec.messages)
	}
	if len(rec.rejects) != 1 || rec.rejects[0].Line != 1 || !strings.Contains(rec.rejects[0].Reason, "larger than 64") {
		t.Errorf("rejects = %+v", rec.rejects)
	}
	oneLine := "2026-11-16 09:00:00 A(1)\n" + strings.Repeat("长", 40) + "\n"
	err = QQText{}.Parse(context.Background(), Input{Path: "t.txt", R: strings.NewReader(oneLine), TZ: time.UTC, MaxMessage: 64}, &recorder{})
	if !errors.Is(err, ErrTooLong) || !strings.Contains(err.Error(), "t.txt:2: line of 120 bytes") {
		t.Errorf("one long line: %v", err)
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
	f.Add("2019-09-23 8:43:38 PM 骰娘(20190923)\n1\n\n2019-09-23 下午 12:12:29 系统消息(1000000)\n周敏(z@foxmail.com) 加入本群\n\n2019-09-23 12:13:00 AM 系统消息(10000)\n3\n4\n")
	f.Add("2026-11-16 09:45:00 系统消息(1000000)\n小美(2)撤回了成员李娜(3)的一条消息\n\n2026-11-16 09:46:00 【LV2 管理员】【活跃】B(2)\nx\n")
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
			// The system sender never speaks as a member.
			if m.Sender.Name == qqSystemName && isQQSystemUID(m.Sender.UID) {
				t.Fatalf("system notice stored as a member's message: %+v", m)
			}
		}
		for _, e := range rec.events {
			if e.Member == (Person{}) || e.Time.IsZero() {
				t.Fatalf("bad event %+v", e)
			}
		}
		for _, r := range rec.roles {
			if r.Person.UID == "" || (r.Role != RoleOwner && r.Role != RoleAdmin) {
				t.Fatalf("bad role %+v", r)
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
