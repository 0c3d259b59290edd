package format

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The WeCom fixtures' ids (testdata/wecom, written by /tmp/wecom_fixtures.py
// style by hand: see golden.json for the layouts they follow).
const (
	wcRoomA = "wrHZ01sQVwAAkX4pLm2e8TcYbN9Rz5Qw"
	wcRoomB = "wrHZ01sQVwAA7nFq3bVx1KdMeUo4Ws8g"
	wcA1    = "wmHZ01sQVwAAa1Fz9QxYtN2u"
	wcA2    = "wmHZ01sQVwAAa2Lk3PcVbM7e"
	wcA3    = "wmHZ01sQVwAAa3Rt8WnXsJ4q"
	wcA4    = "wmHZ01sQVwAAa4Gy5DkHfZ1o"
	wcB1    = "wmHZ01sQVwAAb1Ue6TgLrK8w"
	wcB2    = "wmHZ01sQVwAAb2Xc4VmPqS0i"
	wcBot   = "wbHZ01sQVwAAr0Bo7Tx"
)

// cst is a time of the fixtures, written in China time.
func cst(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation(time.DateTime, s, time.FixedZone("CST", 8*3600))
	if err != nil {
		t.Fatal(err)
	}
	return v.UTC()
}

func parseWeComFile(t *testing.T, f Format, path string, tz *time.Location) *recorder {
	t.Helper()
	r, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rec := &recorder{}
	if err := f.Parse(context.Background(), Input{Path: path, R: r, TZ: tz}, rec); err != nil {
		t.Fatal(err)
	}
	return rec
}

func shanghai(t testing.TB) *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestWeComArchiveFixture(t *testing.T) {
	r, err := os.Open("../../testdata/wecom/archive.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rec := &recorder{}
	p := &wcArchiveParser{s: newJSONScanner(r, "wecom-archive", "archive.jsonl"), sink: rec, ctx: context.Background(),
		max: DefaultMaxMessage, intern: map[uint64]string{}, seed: maphash.MakeSeed(), roles: map[wcRoleKey]bool{}}
	if err := p.run(); err != nil {
		t.Fatal(err)
	}
	// Two one-to-one chats and one switch record are not community
	// messages: counted, not rejected.
	if p.direct != 2 || p.switches != 1 {
		t.Errorf("skipped %d one-to-one messages and %d switches, want 2 and 1", p.direct, p.switches)
	}
	type want struct {
		room, from, kind, text string
		at                     time.Time
		mentions               []string
	}
	wants := []want{
		{wcRoomA, "zhangsan", KindText, "欢迎新朋友！本群每周三晚上有分享会 @王芳 有问题随时找我", cst(t, "2026-11-16 09:00:00"), []string{"王芳"}},
		{wcRoomA, wcA2, KindText, "谢谢！请问下周的活动在哪里看？", cst(t, "2026-11-16 09:05:12"), nil},
		{wcRoomA, "lisi", KindLink, "群公告里有链接 https://example.com/events 也可以问我", cst(t, "2026-11-16 09:07:40"), nil},
		{wcRoomA, wcA1, KindImage, "[图片]", cst(t, "2026-11-16 10:00:03"), nil},
		{wcRoomA, wcA1, KindRecall, "", cst(t, "2026-11-16 10:01:30"), nil},
		{wcRoomA, "zhangsan", KindText, "[投票] 下次分享会主题投票", cst(t, "2026-11-17 20:00:00"), nil},
		{wcRoomA, wcA3, KindText, "[投票] 下次分享会主题投票", cst(t, "2026-11-17 20:05:00"), nil},
		{wcRoomA, wcA4, KindText, "刚入群，这是我的使用截图", cst(t, "2026-11-18 13:10:00"), nil},
		{wcRoomA, wcA2, KindSticker, "[表情]", cst(t, "2026-11-18 13:12:45"), nil},
		{wcRoomA, wcA1, KindFile, "[文件] 产品手册.pdf", cst(t, "2026-11-18 15:20:00"), nil},
		{wcRoomA, wcBot, KindText, "**今日打卡提醒**：回复 #打卡 参与", cst(t, "2026-11-19 08:00:00"), nil},
		{wcRoomA, wcA3, KindLink, "[小程序] 星河商城", cst(t, "2026-11-19 09:30:00"), nil},
		{wcRoomA, "", KindSystem, "[同意会话存档]", cst(t, "2026-11-19 09:31:00"), nil},
		{wcRoomB, "lisi", KindText, "欢迎 @李强 加入，先看看群公告哦", cst(t, "2026-11-19 09:10:00"), []string{"李强"}},
		{wcRoomB, wcB1, KindText, "大家好", cst(t, "2026-11-20 10:00:00"), nil},
		{wcRoomB, wcA2, KindLink, "[链接] 星河 X2 评测 https://example.com/review/x2", cst(t, "2026-11-20 14:30:00"), nil},
		{wcRoomB, wcB2, KindSystem, "[红包] 恭喜发财，大吉大利", cst(t, "2026-11-21 12:00:00"), nil},
		{wcRoomB, wcB1, KindVoice, "[语音]", cst(t, "2026-11-21 12:01:00"), nil},
		{wcRoomB, wcB2, KindText, "[foo_bar]", cst(t, "2026-11-22 21:00:00"), nil},
		// msgtime in seconds, as some of the documentation's samples
		{wcRoomB, wcB1, KindText, "收到，谢谢", cst(t, "2026-11-22 22:00:00"), nil},
	}
	if len(rec.messages) != len(wants) {
		t.Fatalf("%d messages, want %d", len(rec.messages), len(wants))
	}
	for i, w := range wants {
		m := rec.messages[i]
		if m.Group != (Group{Platform: PlatformWeCom, ExternalID: w.room}) || m.Sender.UID != w.from || m.Kind != w.kind ||
			m.Text != w.text || !m.Time.Equal(w.at) || !slices.Equal(m.Mentions, w.mentions) {
			t.Errorf("message %d:\n got %+v\nwant %+v", i, m, w)
		}
	}
	// The recall names the message it took back.
	if rec.messages[4].ReplyTo != rec.messages[3].ExternalID || rec.messages[3].ExternalID != "7315500000000418916_1794794403000_external" {
		t.Errorf("recall ReplyTo %q, image id %q", rec.messages[4].ReplyTo, rec.messages[3].ExternalID)
	}
	if len(rec.acts) != 1 || rec.acts[0] != (Activity{Group: Group{Platform: PlatformWeCom, ExternalID: wcRoomA}, Time: cst(t, "2026-11-17 20:00:00"), Type: "vote", Title: "下次分享会主题投票", Line: 6}) {
		t.Errorf("activities %+v", rec.acts)
	}
	var roles []string
	for _, r := range rec.roles {
		roles = append(roles, r.Group.ExternalID[len(r.Group.ExternalID)-4:]+" "+r.Person.UID+" "+r.Role)
	}
	if want := []string{"z5Qw zhangsan admin", "z5Qw lisi admin", "z5Qw " + wcBot + " bot", "Ws8g lisi admin"}; !slices.Equal(roles, want) {
		t.Errorf("roles %q, want %q", roles, want)
	}
	if len(rec.rejects) != 1 || rec.rejects[0].Line != 21 || rec.rejects[0].Reason != "message without msgtime" || !strings.Contains(rec.rejects[0].Raw, "这条没有时间") {
		t.Errorf("rejects %+v", rec.rejects)
	}
}

func TestWeComArchiveRows(t *testing.T) {
	const room = `"roomid":"wrX"`
	cases := []struct {
		name, in string
		kind     string
		text     string
		reject   string
		err      string
	}{
		{"text", `{"msgid":"1","action":"send","from":"wmA","` + room[1:] + `,"msgtime":1794790800000,"msgtype":"text","text":{"content":"你好"}}`, KindText, "你好", "", ""},
		{"body before msgtype", `{"text":{"content":"先写正文"},"msgid":"1","action":"send","from":"wmA",` + room + `,"msgtime":1794790800000,"msgtype":"text"}`, KindText, "先写正文", "", ""},
		{"null fields of other types", `{"msgid":"1","action":"send","from":"wmA",` + room + `,"msgtime":1794790800000,"msgtype":"file","text":null,"image":null,"file":{"filename":"a.xls","fileext":"xls"}}`, KindFile, "[文件] a.xls", "", ""},
		{"docmsg", `{"msgid":"1","action":"send","from":"zhangsan",` + room + `,"msgtime":1794790800000,"msgtype":"docmsg","doc":{"title":"周报","link_url":"https://doc.weixin.qq.com/x","doc_creator":"zhangsan"}}`, KindLink, "[在线文档] 周报 https://doc.weixin.qq.com/x", "", ""},
		{"news", `{"msgid":"1","action":"send","from":"wbR",` + room + `,"msgtime":1794790800000,"msgtype":"news","info":{"item":[{"title":"新品","description":"d","url":"https://example.com/n","picurl":"p"}]}}`, KindLink, "[图文] 新品 https://example.com/n", "", ""},
		{"qydiskfile", `{"msgid":"1","action":"send","from":"zhangsan",` + room + `,"msgtime":1794790800000,"msgtype":"qydiskfile","info":{"filename":"合同.docx"}}`, KindFile, "[微盘文件] 合同.docx", "", ""},
		{"vote object", `{"msgid":"1","action":"send","from":"zhangsan",` + room + `,"msgtime":1794790800000,"msgtype":"vote","vote":{"votetitle":"聚餐","voteitem":["周五"],"votetype":101,"voteid":"1"}}`, KindText, "[投票] 聚餐", "", ""},
		{"mixed images only", `{"msgid":"1","action":"send","from":"wmA",` + room + `,"msgtime":1794790800000,"msgtype":"mixed","mixed":{"item":[{"type":"image","content":"{\"sdkfileid\":\"x\"}"}]}}`, KindImage, "[图片]", "", ""},
		{"unknown action", `{"msgid":"1","action":"edit","from":"wmA",` + room + `,"msgtime":1794790800000,"msgtype":"text","text":{"content":"x"}}`, "", "", `unknown action "edit"`, ""},
		{"no sender", `{"msgid":"1","action":"send",` + room + `,"msgtime":1794790800000,"msgtype":"text","text":{"content":"x"}}`, "", "", "message without a sender (from)", ""},
		{"too large", `{"msgid":"1","action":"send","from":"wmA",` + room + `,"msgtime":1794790800000,"msgtype":"text","text":{"content":"` + strings.Repeat("长", 30) + `"}}`, "", "", "message larger than 64 bytes", ""},
		{"cut short", `{"msgid":"1","action":"send","from":"wmA",` + room + `,"msgtime":17947`, "", "", "", "wecom-archive test.jsonl:2: unexpected end of file"},
		{"not an object", "[1,2]", "", "", "", `wecom-archive test.jsonl:1: invalid JSON: unexpected '[', want a message object (one per line)`},
		{"bad UTF-8", "{\"msgid\":\"1\",\"action\":\"send\",\"from\":\"wmA\"," + room + ",\"msgtime\":1794790800000,\"msgtype\":\"text\",\"text\":{\"content\":\"\xff\"}}", "", "", "", "wecom-archive test.jsonl:1: invalid UTF-8"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := &recorder{}
			err := WeComArchive{}.Parse(context.Background(), Input{Path: "test.jsonl", R: strings.NewReader(c.in + "\n"), MaxMessage: 64}, rec)
			if c.err != "" {
				var pe *ParseError
				if err == nil || !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), c.err) {
					t.Fatalf("error %v, want one starting %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.reject != "" {
				if len(rec.rejects) != 1 || rec.rejects[0].Reason != c.reject || len(rec.messages) != 0 {
					t.Fatalf("rejects %+v, messages %d; want one reject %q", rec.rejects, len(rec.messages), c.reject)
				}
				return
			}
			if len(rec.messages) != 1 || rec.messages[0].Kind != c.kind || rec.messages[0].Text != c.text || len(rec.rejects) != 0 {
				t.Fatalf("got %+v (rejects %+v), want %s %q", rec.messages, rec.rejects, c.kind, c.text)
			}
		})
	}
}

func TestWeComGroupChatFixture(t *testing.T) {
	rec := parseWeComFile(t, WeComGroupChat{}, "../../testdata/wecom/groupchat.json", time.UTC)
	type ev struct {
		room, member, name, source, inviter string
		at                                  time.Time
	}
	var got []ev
	for _, e := range rec.events {
		if e.Kind != EventJoin || e.Group.Platform != PlatformWeCom {
			t.Fatalf("event %+v", e)
		}
		got = append(got, ev{e.Group.ExternalID, e.Member.UID, e.Member.Name, e.Source, e.Inviter.UID, e.Time})
	}
	want := []ev{
		{wcRoomA, "zhangsan", "小张|星河客服", SourceReferral, "", cst(t, "2026-10-01 10:00:00")},
		{wcRoomA, "lisi", "李四|星河运营", SourceReferral, "zhangsan", cst(t, "2026-10-01 10:00:00")},
		{wcRoomA, "wangwu", "王武", SourceReferral, "zhangsan", cst(t, "2026-10-05 11:00:00")},
		{wcRoomA, wcA1, "陈晨|杭州|设计师", SourceReferral, "zhangsan", cst(t, "2026-11-02 19:30:00")},
		{wcRoomA, wcA2, "王芳", SourceQR, "zhangsan", cst(t, "2026-11-16 08:30:00")},
		{wcRoomA, wcA3, "赵磊|宁波|产品经理", SourceLink, "", cst(t, "2026-11-17 19:00:00")},
		{wcRoomA, wcA4, "Kevin", SourceReferral, "lisi", cst(t, "2026-11-18 12:00:00")},
		{wcRoomB, "lisi", "李四|星河运营", SourceReferral, "", cst(t, "2026-09-15 15:00:00")},
		{wcRoomB, wcB2, "孙丽|上海", SourceLink, "", cst(t, "2026-10-20 21:15:00")},
		{wcRoomB, wcB1, "李强|苏州|工程师", SourceQR, "", cst(t, "2026-11-19 09:00:00")},
		{wcRoomB, wcA2, "王芳|杭州", SourceReferral, "lisi", cst(t, "2026-11-20 14:00:00")},
	}
	if !slices.Equal(got, want) {
		t.Errorf("joins:\n got %+v\nwant %+v", got, want)
	}
	// The snapshot is dated at each group's newest join, its names are the
	// group nicknames (else the name).
	for _, p := range rec.presence {
		at := cst(t, "2026-11-18 12:00:00")
		if p.Group.ExternalID == wcRoomB {
			at = cst(t, "2026-11-20 14:00:00")
		}
		if !p.AsOf.Equal(at) {
			t.Errorf("presence %+v, want as of %v", p, at)
		}
	}
	if len(rec.presence) != 11 || rec.presence[6].Member != (Person{UID: wcA4, Name: "Kevin"}) || rec.presence[2].Member != (Person{UID: "wangwu", Name: "王武"}) {
		t.Errorf("presences %+v", rec.presence)
	}
	var roles []string
	for _, r := range rec.roles {
		roles = append(roles, r.Group.ExternalID[len(r.Group.ExternalID)-4:]+" "+r.Person.UID+" "+r.Role)
	}
	if want := []string{"z5Qw zhangsan owner", "z5Qw lisi admin", "z5Qw wangwu admin", "Ws8g lisi owner"}; !slices.Equal(roles, want) {
		t.Errorf("roles %q, want %q", roles, want)
	}
	wantKeys := map[string]string{wcA1: "oHZ01sQm3xYt7Vn2Lk9Pw4Rb8Ec", wcA2: "oHZ01sWp5zNc1Hs6Gd3Jf0Ta2Ku", wcA3: "oHZ01sEr8bVy4Mq2Xo7Ci5Lw9Dn",
		wcB2: "oHZ01sUc4nLa8Tg0Zb6Ve2Mi7Ws", wcB1: "oHZ01sYk7dRm2Wc5Ju9Qs1Hx3Fo"}
	if len(rec.members) != 6 {
		t.Errorf("%d members with a unionid, want 6", len(rec.members))
	}
	for _, m := range rec.members {
		if m.Platform != PlatformWeCom || wantKeys[m.Person.UID] != m.CustomerKey || m.CustomerKey == "" {
			t.Errorf("member %+v: want key %q", m, wantKeys[m.Person.UID])
		}
	}
	if len(rec.rejects) != 1 || rec.rejects[0].Line != 148 || !strings.HasPrefix(rec.rejects[0].Reason, "WeCom error 40058: invalid chat_id") {
		t.Errorf("rejects %+v", rec.rejects)
	}
}

func TestWeComGroupChatLayouts(t *testing.T) {
	member := `{"userid":"wmA","type":2,"join_time":1794790800,"join_scene":2,"group_nickname":"","name":"阿明"}`
	cases := []struct{ name, in string }{
		{"envelope", `{"errcode":0,"errmsg":"ok","group_chat":{"chat_id":"wrX","name":"","owner":"boss","member_list":[` + member + `]}}`},
		{"bare group_chat", `{"chat_id":"wrX","owner":"boss","member_list":[` + member + `],"admin_list":null}`},
		{"one a line", `{"errcode":0,"group_chat":{"chat_id":"wrX","owner":"boss","member_list":[` + member + `]}}` + "\n" +
			`{"errcode":0,"group_chat":{"chat_id":"wrY","owner":"boss","member_list":[]}}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !(WeComGroupChat{}).Detect("x.json", []byte(c.in)) {
				t.Fatal("not detected")
			}
			rec, err := parseString(t, WeComGroupChat{}, c.in)
			if err != nil {
				t.Fatal(err)
			}
			g := Group{Platform: PlatformWeCom, ExternalID: "wrX"}
			if len(rec.events) != 1 || rec.events[0] != (Event{Group: g, Member: Person{UID: "wmA", Name: "阿明"}, Time: time.Unix(1794790800, 0).UTC(), Kind: EventJoin, Source: SourceLink, Line: rec.events[0].Line}) {
				t.Errorf("events %+v", rec.events)
			}
			if len(rec.presence) != 1 || len(rec.roles) < 1 || rec.roles[0].Person.UID != "boss" || rec.roles[0].Role != RoleOwner || len(rec.rejects) != 0 {
				t.Errorf("presences %+v roles %+v rejects %+v", rec.presence, rec.roles, rec.rejects)
			}
		})
	}
}

func TestWeComStatisticFixtures(t *testing.T) {
	sh := shanghai(t)
	day := func(s string) time.Time {
		d, _ := time.ParseInLocation(time.DateOnly, s, sh)
		return d
	}
	rec := parseWeComFile(t, WeComStatistic{}, "../../testdata/wecom/statistic_by_day.json", sh)
	want := []Statistic{
		{Platform: PlatformWeCom, Owners: []Person{{UID: "wangwu"}}, Day: day("2026-11-16"), Days: 1, NewGroups: 0, Groups: 1, GroupsWithMessages: 1, NewMembers: 0, Members: 2, MembersWithMessages: 1, Messages: 4},
		{Platform: PlatformWeCom, Owners: []Person{{UID: "wangwu"}}, Day: day("2026-11-17"), Days: 1, NewGroups: 0, Groups: 1, GroupsWithMessages: 0, NewMembers: 0, Members: 2, MembersWithMessages: 0, Messages: 0},
		{Platform: PlatformWeCom, Owners: []Person{{UID: "wangwu"}}, Day: day("2026-11-18"), Days: 1, NewGroups: 0, Groups: 1, GroupsWithMessages: 1, NewMembers: 1, Members: 3, MembersWithMessages: 2, Messages: 7},
	}
	checkStats(t, rec.stats, want)

	rec = parseWeComFile(t, WeComStatistic{}, "../../testdata/wecom/statistic_by_owner.json", sh)
	want = []Statistic{
		{Platform: PlatformWeCom, Owners: []Person{{UID: "zhangsan"}}, Day: day("2026-11-16"), Days: 7, Groups: 1, GroupsWithMessages: 1, NewMembers: 3, Members: 7, MembersWithMessages: 6, Messages: 13},
		{Platform: PlatformWeCom, Owners: []Person{{UID: "lisi"}}, Day: day("2026-11-16"), Days: 7, Groups: 1, GroupsWithMessages: 1, NewMembers: 2, Members: 4, MembersWithMessages: 4, Messages: 7},
	}
	checkStats(t, rec.stats, want)

	rec = parseWeComFile(t, WeComStatistic{}, "../../testdata/wecom/statistic_without_days.json", sh)
	if len(rec.stats) != 0 || len(rec.rejects) != 1 || !strings.Contains(rec.rejects[0].Reason, "without its days") {
		t.Errorf("stats %+v rejects %+v", rec.stats, rec.rejects)
	}

	// Without owner_filter a day counts every group; a count left out is
	// -1; the day is the date of stat_time in the zone given (here UTC).
	rec, err := parseString(t, WeComStatistic{}, `{"errcode":0,"items":[{"stat_time":1794758400,"data":{"new_member_cnt":2,"msg_total":9,"member_total":null}}]}`)
	if err != nil {
		t.Fatal(err)
	}
	checkStats(t, rec.stats, []Statistic{{Platform: PlatformWeCom, Day: time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC), Days: 1,
		NewGroups: -1, Groups: -1, GroupsWithMessages: -1, NewMembers: 2, Members: -1, MembersWithMessages: -1, Messages: 9}})
}

func checkStats(t *testing.T, got, want []Statistic) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d statistics, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		g, w := got[i], want[i]
		w.Line = g.Line
		if !slices.Equal(g.Owners, w.Owners) || !g.Day.Equal(w.Day) || g.Day.Location().String() != w.Day.Location().String() {
			t.Errorf("statistic %d: got %+v, want %+v", i, g, w)
		}
		g.Owners, w.Owners, g.Day, w.Day = nil, nil, time.Time{}, time.Time{}
		if g.Platform != w.Platform || g.Days != w.Days || g.NewGroups != w.NewGroups || g.Groups != w.Groups || g.GroupsWithMessages != w.GroupsWithMessages ||
			g.NewMembers != w.NewMembers || g.Members != w.Members || g.MembersWithMessages != w.MembersWithMessages || g.Messages != w.Messages {
			t.Errorf("statistic %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestWeComCustomersFixtures(t *testing.T) {
	rec := parseWeComFile(t, WeComCustomers{}, "../../testdata/wecom/customers_batch.json", time.UTC)
	want := []Member{
		{Platform: PlatformWeCom, Person: Person{UID: wcA1, Name: "陈晨"}, CustomerKey: "oHZ01sQm3xYt7Vn2Lk9Pw4Rb8Ec", Seen: cst(t, "2026-10-28 14:00:00")},
		{Platform: PlatformWeCom, Person: Person{UID: wcA4, Name: "Kevin"}, CustomerKey: "oHZ01sTz1gKf6Bh3Sv8Ny0Pe4Ja", Seen: cst(t, "2026-11-18 11:40:00")},
		{Platform: PlatformWeCom, Person: Person{UID: wcB1, Name: "李强"}, CustomerKey: "oHZ01sYk7dRm2Wc5Ju9Qs1Hx3Fo", Seen: cst(t, "2026-11-18 20:00:00")},
		// a WeCom user of another company: no unionid, no customer key
		{Platform: PlatformWeCom, Person: Person{UID: "woHZ01sQVwAAx9Partner", Name: "刘洋"}, Seen: cst(t, "2026-09-01 10:00:00")},
	}
	if !slices.Equal(rec.members, want) {
		t.Errorf("members:\n got %+v\nwant %+v", rec.members, want)
	}
	// externalcontact/get: first seen when the first employee added them.
	rec = parseWeComFile(t, WeComCustomers{}, "../../testdata/wecom/customer_get.json", time.UTC)
	want = []Member{{Platform: PlatformWeCom, Person: Person{UID: "wmHZ01sQVwAAc2Mh2ZlWaG9p", Name: "吴昊"}, CustomerKey: "oHZ01sOb6wEs3Vj8Lc0Xf7Qk2Hu", Seen: cst(t, "2026-11-18 18:00:00")}}
	if !slices.Equal(rec.members, want) {
		t.Errorf("members:\n got %+v\nwant %+v", rec.members, want)
	}
	rec, err := parseString(t, WeComCustomers{}, `{"errcode":84061,"errmsg":"not external contact"}`)
	if err != nil || len(rec.rejects) != 1 || rec.rejects[0].Reason != "WeCom error 84061: not external contact" {
		t.Errorf("error response: %v %+v", err, rec.rejects)
	}
}

// writeWeComArchive writes n archive lines as the SDK decrypts them: group
// messages of 5,000 customers and a few employees in 40 groups, a group's
// messages in bursts of eight (the archive interleaves the company's chats
// in time order), mostly text (some with an @, a link), with images,
// stickers, files and a recall in the mix, each with the tolist of a
// 30-member group.
func writeWeComArchive(t testing.TB, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), fmt.Sprintf("wecom-%d.jsonl", n))
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	texts := []string{"大家好，今天的活动几点开始？", "收到，谢谢管理员！", "这个版本的新功能很好用，推荐大家试试\n有问题随时找我",
		"有人试过新版本吗？同步问题修好了", "#打卡 第12天", "OK"}
	tolist := make([]string, 30)
	for i := range tolist {
		tolist[i] = fmt.Sprintf(`"wmBench%08d"`, i)
	}
	to := "[" + strings.Join(tolist, ",") + "]"
	ms := time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC).UnixMilli()
	for i := 0; i < n; i++ {
		ms += int64(1+i%7) * 1000
		from := fmt.Sprintf("wmBench%08d", (i*7919)%5000)
		if i%10 == 5 {
			from = fmt.Sprintf("staff%02d", i%7)
		}
		room := fmt.Sprintf("wrBenchRoom%04d", i/8%40)
		fmt.Fprintf(w, `{"msgid":"%d_%d_external","action":"send","from":"%s","tolist":%s,"roomid":"%s","msgtime":%d,`, 7315500000000000000+i, ms, from, to, room, ms)
		switch {
		case i%50 == 49:
			fmt.Fprintf(w, `"msgtype":"image","image":{"sdkfileid":"CtYBMzA2OTAyMDEwMjA0NjIzMDYwMDIwMTAwMDQ%d","md5sum":"50de8e5ae8ffe4f1df7a93841f71993a","filesize":70961}}`, i)
		case i%50 == 23:
			fmt.Fprintf(w, `"msgtype":"emotion","emotion":{"type":1,"width":120,"height":120,"imagesize":25066,"sdkfileid":"Cs4BMzA2%d","md5sum":"00f2d1b3c8e5a2f4e6d7c8b9a0f1e2d3"}}`, i)
		case i%100 == 37:
			fmt.Fprintf(w, `"msgtype":"file","file":{"sdkfileid":"CtYBMzA2%d","md5sum":"18e93fc2ea884df23b3d2d3b8667b9f0","filename":"产品手册.pdf","fileext":"pdf","filesize":1284211}}`, i)
		case i%200 == 99:
			fmt.Fprintf(w, `"msgtype":"revoke","revoke":{"pre_msgid":"%d_%d_external"}}`, 7315500000000000000+i-1, ms-1000)
		case i%10 == 3:
			fmt.Fprintf(w, `"msgtype":"text","text":{"content":"看这里 @member%d https://example.com/notes"}}`, i%5000)
		default:
			b, _ := json.Marshal(texts[i%len(texts)])
			fmt.Fprintf(w, `"msgtype":"text","text":{"content":%s}}`, b)
		}
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// BenchmarkWeComArchiveParse is the archive's parse throughput, to compare
// with BenchmarkTelegramParse's messages per second (same record count).
func BenchmarkWeComArchiveParse(b *testing.B) {
	path := writeWeComArchive(b, jsonBenchRecords)
	benchParse(b, WeComArchive{}, path, jsonBenchRecords)
}

// A tolist is skipped whatever it holds: the fast path's answer is the
// scanner's.
func TestWeComSkipIDList(t *testing.T) {
	for _, list := range []string{`[]`, `["a","b"]`, `[ "wmA" , "zhangsan" ]`, `["a]","b"]`, `["a\"]","b"]`,
		`[["x"],"y"]`, `[{"k":"]"},"z"]`, `[{"k":1}]`, `[1,2,null]`} {
		in := `{"tolist":` + list + `,"after":1}`
		s := newJSONScanner(strings.NewReader(in), "t", "t")
		if err := s.enter('{', "an object"); err != nil {
			t.Fatal(err)
		}
		n := 0
		if k, err := s.key(&n); err != nil || string(k) != "tolist" {
			t.Fatalf("%s: %q %v", list, k, err)
		}
		if err := skipIDList(s); err != nil {
			t.Fatalf("%s: %v", list, err)
		}
		if k, err := s.key(&n); err != nil || string(k) != "after" {
			t.Errorf("%s: after the list, key %q %v", list, k, err)
		}
	}
}

// linkOrText finds what textOrLink finds.
func TestWeComLinkOrText(t *testing.T) {
	for _, s := range []string{"", "看这里", "见 https://example.com", "http://a", "xhttp://b", "https:/x", "时间：10:30", "a:b:https://c",
		"ftp://x", "http:", "://", "HTTP://x", "请看 http://例子.cn 和 https://x"} {
		if got, want := linkOrText([]byte(s)), textOrLink(s); got != want {
			t.Errorf("%q: %s, want %s", s, got, want)
		}
	}
}
