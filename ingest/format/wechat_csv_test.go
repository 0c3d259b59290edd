package format

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var wechatShanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// wcParseFile parses a fixture the way the loader does: decoded (BOM
// stripped, GB18030 converted) and with the file's own path.
func wcParseFile(t testing.TB, f Format, path string, tz *time.Location) (*recorder, error) {
	t.Helper()
	file, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	text, _ := Decode(bufio.NewReaderSize(file, HeadSize))
	rec := &recorder{}
	err = f.Parse(context.Background(), Input{Path: path, R: text, TZ: tz}, rec)
	return rec, err
}

// wcTally counts what a parse produced, for exact fixture assertions.
type wcTally struct {
	kinds   map[string]int // message kind -> count
	events  map[string]int // "kind/source" -> count
	senders map[string]bool
	groups  map[string]bool
}

func wcTallyOf(rec *recorder) wcTally {
	t := wcTally{kinds: map[string]int{}, events: map[string]int{}, senders: map[string]bool{}, groups: map[string]bool{}}
	for _, m := range rec.messages {
		t.kinds[m.Kind]++
		if k := wcKey(m.Sender); k != "" {
			t.senders[k] = true
		}
		t.groups[m.Group.ExternalID] = true
	}
	for _, e := range rec.events {
		t.events[e.Kind+"/"+e.Source]++
		t.groups[e.Group.ExternalID] = true
	}
	return t
}

func (tl wcTally) check(t *testing.T, kinds, events map[string]int, senders []string) {
	t.Helper()
	if !wcMapsEqual(tl.kinds, kinds) {
		t.Errorf("message kinds = %v, want %v", tl.kinds, kinds)
	}
	if !wcMapsEqual(tl.events, events) {
		t.Errorf("events = %v, want %v", tl.events, events)
	}
	var got []string
	for s := range tl.senders {
		got = append(got, s)
	}
	slices.Sort(got)
	slices.Sort(senders)
	if !slices.Equal(got, senders) {
		t.Errorf("senders = %q, want %q", got, senders)
	}
}

func wcMapsEqual(a, b map[string]int) bool {
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

func wcFindMessage(t *testing.T, rec *recorder, pred func(Message) bool) Message {
	t.Helper()
	for _, m := range rec.messages {
		if pred(m) {
			return m
		}
	}
	t.Fatal("no such message")
	return Message{}
}

// wcKey keys a person as the loader does: by UID, or "name:"+Name for a
// person a notice names only by display name.
func wcKey(p Person) string {
	if p.UID == "" && p.Name != "" {
		return "name:" + p.Name
	}
	return p.UID
}

func wcFindEvents(rec *recorder, member string) []Event {
	var out []Event
	for _, e := range rec.events {
		if wcKey(e.Member) == member {
			out = append(out, e)
		}
	}
	return out
}

func TestWeChatCSVFixture(t *testing.T) {
	rec, err := wcParseFile(t, WeChatCSV{}, "../../testdata/wechat/memotrace.csv", wechatShanghai)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.rejects) != 0 {
		t.Fatalf("rejects: %+v", rec.rejects)
	}
	// 21 rows: 13 members' messages, 3 recalls, 2 known system notices
	// (rename, pat), 7 membership events from 6 rows.
	if len(rec.messages) != 16 || len(rec.events) != 7 || len(rec.notices) != 0 {
		t.Fatalf("messages = %d, events = %d, notices = %d; want 16, 7, 0", len(rec.messages), len(rec.events), len(rec.notices))
	}
	tl := wcTallyOf(rec)
	tl.check(t,
		map[string]int{KindText: 4, KindImage: 1, KindSticker: 1, KindVoice: 1, KindVideo: 1, KindLink: 2, KindFile: 1, KindRecall: 3, KindSystem: 2},
		map[string]int{"join/referral": 4, "join/qr": 1, "removed/": 1, "leave/": 1},
		[]string{"wxid_wangfang88", "wxid_zhangwei01", "wxid_lina1990", "wxid_chenjing7", "wxid_ximei2026", "wxid_sunli2024",
			"name:李娜", "name:陈静"}) // recall notices name people only
	if len(tl.groups) != 1 || !tl.groups["memotrace"] {
		t.Errorf("groups = %v, want the file name without _utf8", tl.groups)
	}

	// The multi-line message, at its exact instant (CreateTime is unix).
	m := wcFindMessage(t, rec, func(m Message) bool { return m.Sender.UID == "wxid_zhangwei01" && m.Kind == KindText })
	if m.Text != "大家好，我是张伟\n在杭州做产品经理\nNice to meet you all!" {
		t.Errorf("multi-line text = %q", m.Text)
	}
	if want := time.Date(2026, 11, 16, 1, 3, 0, 0, time.UTC); !m.Time.Equal(want) || m.Sender.Name != "张伟" || m.Line != 4 {
		t.Errorf("multi-line message = %+v, want time %v line 4", m, want)
	}
	// Mentions end at WeChat's U+2005 separator.
	m = wcFindMessage(t, rec, func(m Message) bool { return strings.HasPrefix(m.Text, "欢迎新朋友") })
	if !slices.Equal(m.Mentions, []string{"张伟", "李娜"}) {
		t.Errorf("mentions = %q", m.Mentions)
	}
	m = wcFindMessage(t, rec, func(m Message) bool { return m.Sender.UID == "wxid_wangfang88" && m.Kind == KindLink })
	if m.Text != "[链接] 社群运营的十个指标 https://mp.weixin.qq.com/s/AbCdEf123" {
		t.Errorf("link text = %q", m.Text)
	}
	m = wcFindMessage(t, rec, func(m Message) bool { return m.Sender.UID == "wxid_ximei2026" && m.Kind == KindText })
	if m.Text != "收到，周五前发给大家" {
		t.Errorf("quoted reply text = %q", m.Text)
	}
	// 你撤回了一条消息 is the exporting account, known from its own rows.
	m = wcFindMessage(t, rec, func(m Message) bool { return m.Kind == KindRecall && m.Sender.UID == "wxid_ximei2026" })
	if m.Sender.Name != "小美|官方客服|上海" || m.Text != "" {
		t.Errorf("self recall = %+v", m)
	}
	m = wcFindMessage(t, rec, func(m Message) bool { return m.Kind == KindSystem && strings.Contains(m.Text, "修改群名") })
	if m.Sender.UID != "" || m.Text != `"王芳"修改群名为“星河产品交流群”` {
		t.Errorf("system message = %+v", m)
	}

	checks := []struct {
		member, kind, source, inviter string
	}{
		{"name:张伟", EventJoin, SourceReferral, "name:王芳"},
		{"name:李娜", EventJoin, SourceReferral, "name:王芳"},
		{"name:陈静", EventJoin, SourceQR, "name:王芳"},
		{"name:刘洋", EventRemoved, "", ""},
		{"name:周杰", EventLeave, "", ""},
		// A template notice carries wxids.
		{"wxid_zhaomin33", EventJoin, SourceReferral, "wxid_zhangwei01"},
		// 你邀请… : the exporting account invited.
		{"name:Sunny Li 孙丽", EventJoin, SourceReferral, "wxid_ximei2026"},
	}
	for _, c := range checks {
		evs := wcFindEvents(rec, c.member)
		if len(evs) != 1 || evs[0].Kind != c.kind || evs[0].Source != c.source || wcKey(evs[0].Inviter) != c.inviter {
			t.Errorf("events of %s = %+v, want %s/%s by %q", c.member, evs, c.kind, c.source, c.inviter)
		}
	}
	qr := wcFindEvents(rec, "name:陈静")[0]
	if want := time.Date(2026, 11, 16, 1, 10, 0, 0, time.UTC); !qr.Time.Equal(want) || qr.Line != 13 || qr.Group.Platform != "wechat" {
		t.Errorf("QR event = %+v", qr)
	}
	// Named by nickname only: no UID, for the loader to resolve.
	if qr.Member != (Person{Name: "陈静"}) || qr.Inviter != (Person{Name: "王芳"}) {
		t.Errorf("QR people = %+v / %+v, want named-only", qr.Member, qr.Inviter)
	}
	// "你将…移出了群聊": the exporting account removed him.
	if rm := wcFindEvents(rec, "name:刘洋")[0]; rm.Actor.UID != "wxid_ximei2026" {
		t.Errorf("removal actor = %+v, want the exporting account", rm.Actor)
	}
}

func TestWeChatPlainCSVFixture(t *testing.T) {
	rec, err := wcParseFile(t, WeChatPlainCSV{}, "../../testdata/wechat/plain.csv", wechatShanghai)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.rejects) != 0 {
		t.Fatalf("rejects: %+v", rec.rejects)
	}
	tl := wcTallyOf(rec)
	tl.check(t,
		map[string]int{KindText: 3, KindImage: 1, KindSticker: 1, KindVoice: 1, KindVideo: 1, KindFile: 1, KindLink: 1, KindRecall: 1, KindSystem: 1},
		map[string]int{"join/referral": 2, "join/qr": 1, "removed/": 1, "leave/": 1},
		[]string{"name:王芳", "name:张伟", "name:李娜", "name:Tom"})
	if rm := wcFindEvents(rec, "name:刘洋"); len(rm) != 1 || rm[0].Actor != (Person{Name: wechatSelfName}) {
		t.Errorf("removal = %+v, want the unknown exporting account as actor", rm)
	}
	if len(tl.groups) != 2 || !tl.groups["星河产品交流群"] || !tl.groups["深圳读书会"] {
		t.Errorf("groups = %v", tl.groups)
	}
	if len(rec.notices) != 0 {
		t.Errorf("unknown notices = %+v", rec.notices)
	}
	m := wcFindMessage(t, rec, func(m Message) bool { return strings.HasPrefix(m.Text, "大家好") })
	if m.Text != "大家好，我是张伟\n在杭州做产品经理\nNice to meet you!" || m.Line != 4 {
		t.Errorf("multi-line = %+v", m)
	}
	if want := time.Date(2026, 11, 16, 1, 2, 0, 0, time.UTC); !m.Time.Equal(want) {
		t.Errorf("time = %v, want %v", m.Time, want)
	}
	qr := wcFindEvents(rec, "name:李娜")
	if len(qr) != 1 || qr[0].Source != SourceQR || wcKey(qr[0].Inviter) != "name:王芳" {
		t.Errorf("QR join = %+v", qr)
	}
	amy := wcFindEvents(rec, "name:Amy")
	if len(amy) != 1 || wcKey(amy[0].Inviter) != "name:Tom" || amy[0].Group.Name != "深圳读书会" {
		t.Errorf("Amy = %+v", amy)
	}
}

func TestParseWeChatNotice(t *testing.T) {
	cases := []struct {
		text           string
		kind, source   string
		members        []string
		inviter, actor string
	}{
		// zh-Hans: the wordings of wechaty puppet-padlocal and puppet-padplus.
		{`"王芳"邀请"张伟"加入了群聊`, EventJoin, SourceReferral, []string{"张伟"}, "王芳", ""},
		{`"王芳"邀请"张伟"、"李娜"加入了群聊`, EventJoin, SourceReferral, []string{"张伟", "李娜"}, "王芳", ""},
		{`“王芳”邀请“张伟”加入了群聊`, EventJoin, SourceReferral, []string{"张伟"}, "王芳", ""},
		{`你邀请"张伟"加入了群聊  $revoke$`, EventJoin, SourceReferral, []string{"张伟"}, "你", ""},
		{`"王芳"邀请你加入了群聊，群聊参与人还有：张伟、李娜`, EventJoin, SourceReferral, []string{"你"}, "王芳", ""},
		{`"王芳"邀请你和"张伟"加入了群聊`, EventJoin, SourceReferral, []string{"你", "张伟"}, "王芳", ""},
		{`" 陈静"通过扫描"王芳"分享的二维码加入群聊`, EventJoin, SourceQR, []string{"陈静"}, "王芳", ""},
		{`"陈静"通过扫描你分享的二维码加入群聊  `, EventJoin, SourceQR, []string{"陈静"}, "你", ""},
		{`"王芳"将"刘洋"移出了群聊`, EventRemoved, "", []string{"刘洋"}, "", "王芳"},
		{`你将"刘洋"、"周杰"移出了群聊`, EventRemoved, "", []string{"刘洋", "周杰"}, "", "你"},
		{`你被"王芳"移出群聊`, EventRemoved, "", []string{"你"}, "", "王芳"},
		{`"李娜" 撤回了一条消息`, KindRecall, "", []string{"李娜"}, "", ""},
		{`你撤回了一条消息`, KindRecall, "", []string{"你"}, "", ""},
		{`"Tom (Sales)"邀请"A、B"加入了群聊`, EventJoin, SourceReferral, []string{"A、B"}, "Tom (Sales)", ""},
		{`"王芳"修改群名为“星河”`, noticeSystem, "", nil, "", "王芳"},
		{`"张伟" 拍了拍 "李娜"`, noticeSystem, "", nil, "", "张伟"},
		{`"Lesley Y"与群里其他人都不是朋友关系，请注意隐私安全`, noticeSystem, "", []string{"Lesley Y"}, "", ""},
		{`"王芳"已成为新群主`, noticeOwner, "", []string{"王芳"}, "", ""},
		// Inherited from ckpi's earlier parser, unverified.
		{`"周杰"退出了群聊`, EventLeave, "", []string{"周杰"}, "", ""},
		{`"陈静"加入了群聊`, EventJoin, SourceUnknown, []string{"陈静"}, "", ""},
		{`"陈静"通过扫描二维码加入群聊`, EventJoin, SourceQR, []string{"陈静"}, "", ""},
		{`"陈静"通过"王芳"的邀请二维码加入群聊`, EventJoin, SourceQR, []string{"陈静"}, "王芳", ""},
		// en: the same sources' English wordings and real payloads.
		{`林卓 invited Ming to the group chat`, EventJoin, SourceReferral, []string{"Ming"}, "林卓", ""},
		{`林卓 invited 陈佳, Ming to the group chat`, EventJoin, SourceReferral, []string{"陈佳", "Ming"}, "林卓", ""},
		{`林卓 invited you to a group chat with `, EventJoin, SourceReferral, []string{"you"}, "林卓", ""},
		{`陈佳 invited you to a group chat with 小卓、Zoe, 小助手`, EventJoin, SourceReferral, []string{"you"}, "陈佳", ""},
		{`林卓 invited you and Ming to the group chat`, EventJoin, SourceReferral, []string{"you", "Ming"}, "林卓", ""},
		{`You invited 小卓、Zoe, 陈佳, 传话_助手 to the group chat.   `, EventJoin, SourceReferral, []string{"小卓、Zoe", "陈佳", "传话_助手"}, "You", ""},
		{`"陈佳" joined group chat via the QR code you shared.  `, EventJoin, SourceQR, []string{"陈佳"}, "you", ""},
		{`"小卓、Zoe" joined the group chat via the QR Code shared by "陈佳".`, EventJoin, SourceQR, []string{"小卓、Zoe"}, "陈佳", ""},
		{`You removed "林卓" from the group chat`, EventRemoved, "", []string{"林卓"}, "", "You"},
		{`You were removed from the group chat by "林卓"`, EventRemoved, "", []string{"You"}, "", "林卓"},
		{`"陈佳" changed the group name to "哈哈"`, noticeSystem, "", nil, "", "陈佳"},
		{`"高远" recalled a message`, KindRecall, "", []string{"高远"}, "", ""},
		{`"高远" has recalled a message.`, KindRecall, "", []string{"高远"}, "", ""},
		{`You recalled a message`, KindRecall, "", []string{"You"}, "", ""},
	}
	for _, c := range cases {
		n, ok := parseWeChatNotice(c.text, "")
		if !ok || n.kind != c.kind || n.source != c.source || !slices.Equal(n.members, c.members) ||
			strings.Join(n.inviter, "") != c.inviter || strings.Join(n.actor, "") != c.actor {
			t.Errorf("%s: got %+v ok=%v", c.text, n, ok)
		}
	}
	// Malformed notices and words no table knows: not understood.
	for _, text := range []string{`加入了群聊`,
		`""邀请""加入了群聊`, `张伟邀请李娜加入了群聊`, `"A"、"B" 撤回了一条消息`, ``, `收到红包，请在手机上查看`} {
		if n, ok := parseWeChatNotice(text, ""); ok {
			t.Errorf("%s: read as %+v, want a notice no table knows", text, n)
		}
	}
	if _, ok := parseWeChatNotice(`"高远" recalled a message`, "zh-Hans"); ok {
		t.Error("--lang zh-Hans read an English notice")
	}
}

func TestWeChatNoticeText(t *testing.T) {
	cases := []struct{ in, want string }{
		{`<![CDATA[你撤回了一条消息 <a href="weixin://revoke_edit_click">重新编辑</a>]]>`, "你撤回了一条消息"},
		{`<revokemsg>"李娜" 撤回了一条消息</revokemsg>`, `"李娜" 撤回了一条消息`},
		{`"王芳"邀请"张伟"加入了群聊  <_wc_custom_link_ href="weixin://x">撤销</_wc_custom_link_>`, `"王芳"邀请"张伟"加入了群聊`},
		{`<sysmsg type="revokemsg"><revokemsg><replacemsg><![CDATA["陈静" 撤回了一条消息]]></replacemsg></revokemsg></sysmsg>`, `"陈静" 撤回了一条消息`},
		{`<sysmsg type="pat"><pat><template><![CDATA["${wxid_a}" 拍了拍我]]></template></pat></sysmsg>`, `"${wxid_a}" 拍了拍我`},
		// The older clients' XML for invites and QR joins (wechaty-puppet-padplus specs).
		{"<sysmsg type = \"delchatroommember\">\n\t<delchatroommember>\n\t\t<plain><![CDATA[\"陈佳\"通过扫描你分享的二维码加入群聊  ]]></plain>\n\t\t<text><![CDATA[\"陈佳\"通过扫描你分享的二维码加入群聊  ]]></text>\n\t\t<link>\n\t\t\t<scene>qrcode</scene>\n\t\t\t<text><![CDATA[  撤销]]></text>\n\t\t</link>\n\t</delchatroommember>\n</sysmsg>",
			`"陈佳"通过扫描你分享的二维码加入群聊`},
		{`a < b`, `a < b`},
	}
	for _, c := range cases {
		if got, _ := wechatNoticeText(c.in); got != c.want {
			t.Errorf("%s: got %q, want %q", c.in, got, c.want)
		}
	}
	text, links := wechatNoticeText(`<sysmsg type="sysmsgtemplate"><sysmsgtemplate><content_template type="tmpl_type_profile">` +
		`<template><![CDATA["$adder$"通过扫描"$from$"分享的二维码加入群聊  $revoke$]]></template><link_list>` +
		`<link name="adder" type="link_profile"><memberlist><member><username><![CDATA[wxid_a]]></username><nickname><![CDATA[阿强, "小"强]]></nickname></member></memberlist></link>` +
		`<link name="from" type="link_profile"><memberlist><member><username><![CDATA[wxid_b]]></username><nickname><![CDATA[小美]]></nickname></member></memberlist></link>` +
		`<link name="revoke" type="link_revoke" hidden="1"><title><![CDATA[撤销]]></title></link>` +
		`</link_list></content_template></sysmsgtemplate></sysmsg>`)
	if got := wechatDisplay(text, links); got != `"阿强, "小"强"通过扫描"小美"分享的二维码加入群聊` {
		t.Errorf("template = %q", got)
	}
	n, ok := parseWeChatNotice(text, "")
	p := wechatParser{self: wechatSelfUnknown}
	if !ok || n.kind != EventJoin || n.source != SourceQR {
		t.Fatalf("template notice = %+v %v", n, ok)
	}
	// A name with quotes and commas stays whole, with its wxid.
	if who := p.people(n.members, links); len(who) != 1 || who[0] != (Person{UID: "wxid_a", Name: `阿强, "小"强`}) {
		t.Errorf("member = %+v", who)
	}
	if who := p.people(n.inviter, links); len(who) != 1 || who[0].UID != "wxid_b" {
		t.Errorf("inviter = %+v", who)
	}
}

func TestWeChatContent(t *testing.T) {
	cases := []struct {
		typ, sub   int
		content    string
		kind, text string
	}{
		{1, 0, "你好", KindText, "你好"},
		{1, 0, "看 https://example.com", KindLink, "看 https://example.com"},
		{3, 0, "<msg><img/></msg>", KindImage, "[图片]"},
		{34, 0, "<msg><voicemsg/></msg>", KindVoice, "[语音]"},
		{43, 0, "<msg><videomsg/></msg>", KindVideo, "[视频]"},
		{47, 0, "<msg><emoji/></msg>", KindSticker, "[表情包]"},
		{49, 6, "", KindFile, "[文件]"},
		{49, 6, "<msg><appmsg><title>报告.pdf</title></appmsg></msg>", KindFile, "[文件] 报告.pdf"},
		{49, 5, "", KindLink, "[链接]"},
		{49, 57, "<msg><appmsg><title><![CDATA[好的]]></title></appmsg></msg>", KindText, "好的"},
		{49, 57, "好的", KindText, "好的"},
		{49, 2000, "", KindSystem, "[转账]"},
		{48, 0, "<msg><location/></msg>", KindLink, "[位置]"},
		{50, 0, "<voipmsg/>", KindVoice, "[音视频通话]"},
		{9999, 0, "<msg/>", KindText, "[消息]"},
	}
	for _, c := range cases {
		kind, text := wechatContent(c.typ, c.sub, c.content)
		if kind != c.kind || text != c.text {
			t.Errorf("%d/%d %q = %s %q, want %s %q", c.typ, c.sub, c.content, kind, text, c.kind, c.text)
		}
	}
}

const wechatHeader = "localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\n"

func TestWeChatCSVRejects(t *testing.T) {
	text := wechatHeader +
		"1,5,1,0,0,1794790800,2,ok,2026-11-16 09:00:00,A,A,wxid_a\n" +
		"2,5,x,0,0,1794790800,2,bad type,2026-11-16 09:00:00,A,A,wxid_a\n" +
		"3,5,1,0,0,,2,no time,,A,A,wxid_a\n" +
		"4,5,1,0,0,,2,str time only,2026-11-16 09:00:00,A,A,wxid_a\n" +
		"5,5,1,0,0,1794790800,2,nobody,2026-11-16 09:00:00,,,\n" +
		"6,5,1,0,0,1794790800,2,short row\n" // an old private-chat row: no sender columns
	rec, err := parseString(t, WeChatCSV{}, text)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.messages) != 2 {
		t.Fatalf("messages = %+v", rec.messages)
	}
	if want := time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC); !rec.messages[1].Time.Equal(want) {
		t.Errorf("StrTime fallback = %v, want %v (test zone UTC)", rec.messages[1].Time, want)
	}
	wantLines := []int64{3, 4, 6, 7}
	var got []int64
	for _, r := range rec.rejects {
		got = append(got, r.Line)
	}
	if !slices.Equal(got, wantLines) {
		t.Errorf("reject lines = %v, want %v (%+v)", got, wantLines, rec.rejects)
	}
	if rec.rejects[0].Reason != "Type is not a number" || !strings.HasPrefix(rec.rejects[0].Raw, "2,5,x,") {
		t.Errorf("first reject = %+v", rec.rejects[0])
	}
}

func TestWeChatCSVParseErrors(t *testing.T) {
	cases := []struct {
		f    Format
		text string
		line int64
		msg  string
	}{
		{WeChatCSV{}, "", 1, "EOF"},
		{WeChatCSV{}, "localId,Type,IsSender\n", 1, "header lacks column(s) createtime, strcontent"},
		{WeChatCSV{}, wechatHeader + "1,5,1,0,0,1794790800,2,ok,,A,A,wxid_a\n2,5,1,0,0,1794790800,2,he said \"hi\",,A,A,wxid_a\n", 3, "bare \""},
		{WeChatCSV{}, wechatHeader + "1,5,1,0,0,1794790800,2,ok,,A,A,wxid_a\n2,5,1,0,0,1794790800,2,\"never closed\n", 3, "extraneous or missing \" in quoted-field"},
		{WeChatCSV{}, wechatHeader + "1,5,1,0,0,1794790800,2,o\x00k,,A,A,wxid_a\n", 2, "NUL byte"},
		{WeChatPlainCSV{}, "time,sender\n", 1, "header lacks column(s) content"},
		{WeChatPlainCSV{}, "time,sender,content\n2026-11-16 09:00:00,A,\"x\n", 2, "extraneous or missing \" in quoted-field"},
	}
	for _, c := range cases {
		_, err := parseString(t, c.f, c.text)
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != c.line || !strings.Contains(pe.Msg, c.msg) || pe.Path != "test.txt" {
			t.Errorf("%s %q: err = %v, want line %d %q", c.f.Name(), c.text, err, c.line, c.msg)
		}
	}
}

func TestWeChatPlainCSVRejects(t *testing.T) {
	text := "time,sender,content\n" +
		"2026-11-16 09:00:00,A,ok\n" +
		"yesterday,A,bad time\n" +
		"1794790800,B,unix time\n" +
		"2026-11-16T09:00:00+08:00,系统消息,\n" +
		"2026-11-16T09:00:00+08:00,system,\"\"\"Y\"\"将\"\"Z\"\"移出了群聊\"\n"
	rec, err := parseString(t, WeChatPlainCSV{}, text)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.messages) != 2 || len(rec.events) != 1 || len(rec.rejects) != 2 {
		t.Fatalf("got %+v", rec)
	}
	if rec.rejects[0].Line != 3 || rec.rejects[1].Line != 5 {
		t.Errorf("rejects = %+v", rec.rejects)
	}
	if !rec.messages[1].Time.Equal(time.Unix(1794790800, 0)) || rec.messages[0].Group.Name != "test" {
		t.Errorf("messages = %+v", rec.messages)
	}
	if e := rec.events[0]; e.Kind != EventRemoved || e.Member != (Person{Name: "Z"}) || e.Actor != (Person{Name: "Y"}) || !e.Time.Equal(time.Unix(1794790800, 0)) {
		t.Errorf("event = %+v", e)
	}
}

func TestWeChatDetect(t *testing.T) {
	memotrace, _ := os.ReadFile("../../testdata/wechat/memotrace.csv")
	memotrace = []byte(strings.TrimPrefix(string(memotrace), "\ufeff")) // the loader strips the BOM
	plain, _ := os.ReadFile("../../testdata/wechat/plain.csv")
	qq, _ := os.ReadFile("../../testdata/qq/community.txt")
	members, _ := os.ReadFile("../../testdata/qq/members.csv")
	orders, _ := os.ReadFile("../../testdata/qq/orders.csv")
	cases := []struct {
		head        []byte
		mt, pl, oth bool
	}{
		{memotrace, true, false, false},
		{plain, false, true, false},
		{qq, false, false, true},
		{members, false, false, true},
		{orders, false, false, true},
		{[]byte("time,sender\n"), false, false, false},
	}
	for i, c := range cases {
		if got := (WeChatCSV{}).Detect("x.csv", c.head); got != c.mt {
			t.Errorf("case %d: wechat-csv detect = %v", i, got)
		}
		if got := (WeChatPlainCSV{}).Detect("x.csv", c.head); got != c.pl {
			t.Errorf("case %d: wechat-plain-csv detect = %v", i, got)
		}
		for _, f := range Formats() {
			if strings.HasPrefix(f.Name(), "wechat") {
				continue
			}
			if f.Detect("x", c.head) && !c.oth {
				t.Errorf("case %d: also detected as %s", i, f.Name())
			}
		}
	}
}

func FuzzWeChatCSV(f *testing.F) {
	seed, _ := os.ReadFile("../../testdata/wechat/memotrace.csv")
	f.Add(strings.TrimPrefix(string(seed), "\ufeff"))
	f.Add(wechatHeader + "1,5,10000,0,0,1794790800,4,\"\"\"X\"\"邀请\"\"Y\"\"、你加入了群聊\",,,,\n")
	f.Add(wechatHeader + "1,5,10002,0,0,1,4,\"<sysmsg type=\"\"sysmsgtemplate\"\"><sysmsgtemplate><content_template><template>$a$</template><link_list><link name=\"\"a\"\"/></link_list></content_template></sysmsgtemplate></sysmsg>\",,,,\n")
	f.Add(wechatHeader + "1,5,49,57,1,99999999999999,2,<title>,,,,\n2,\"")
	f.Add("time,sender,content,group\n1794790800,,\"\"\"A\"\"撤回了一条消息\",g\n")
	f.Add(wechatHeader + "1,5,10000,0,0,1794790800,4,\"You invited A, B and you to the group chat.\",,,,\n2,5,10000,0,0,1794790800,4,\"\"\"X\"\"已成为新群主\",,,,\n")
	f.Fuzz(func(t *testing.T, text string) {
		for _, format := range []Format{WeChatCSV{}, WeChatPlainCSV{}} {
			rec, err := parseString(t, format, text)
			if err != nil {
				var pe *ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("%s: error of another kind: %v", format.Name(), err)
				}
				continue
			}
			for _, m := range rec.messages {
				if m.Time.IsZero() || m.Group.Platform != "wechat" || m.Kind == "" {
					t.Fatalf("bad message %+v", m)
				}
			}
			for _, e := range rec.events {
				if e.Member == (Person{}) || e.Kind == "" {
					t.Fatalf("bad event %+v", e)
				}
			}
		}
	})
}

// writeWeChatBench writes a MemoTrace CSV of n rows: mostly text, some media
// and membership notices, in the proportions of a lively group.
func writeWeChatBench(b *testing.B, n int) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "bench_utf8.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := csv.NewWriter(f)
	w.UseCRLF = true
	w.Write(strings.Split(strings.TrimSpace(wechatHeader), ",")) //nolint:errcheck // checked at Flush
	start := int64(1794790800)
	for i := 0; i < n; i++ {
		ts := start + int64(i)*7
		str := time.Unix(ts, 0).In(wechatShanghai).Format("2006-01-02 15:04:05")
		who := i % 97
		wxid, nick := fmt.Sprintf("wxid_member%04d", who), fmt.Sprintf("成员%d", who)
		typ, content := "1", fmt.Sprintf("第%d条消息：今天的活动大家记得打卡 @成员%d\u2005", i, (i+1)%97)
		switch {
		case i%50 == 0:
			typ, content, wxid, nick = "10000", fmt.Sprintf(`"成员%d"邀请"新人%d"加入了群聊`, who, i), "", ""
		case i%20 == 0:
			typ, content = "3", `<?xml version="1.0"?><msg><img length="57667" md5="6844b812d5d514eb6878657e0bf4cdbb" /></msg>`
		case i%33 == 0:
			content = "第一行\n第二行，带逗号, and \"quotes\""
		}
		w.Write([]string{fmt.Sprint(i + 1), "5", typ, "0", "0", fmt.Sprint(ts), "2", content, str, nick, nick, wxid}) //nolint:errcheck // checked at Flush
	}
	w.Flush()
	if err := w.Error(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// wcCountSink counts rows and keeps nothing. The embedded Sink (nil) stands
// in for the row types chat parsers never emit.
type wcCountSink struct {
	Sink
	msgs, events, rejects int64
}

func (c *wcCountSink) Message(*Message) error { c.msgs++; return nil }
func (c *wcCountSink) Event(*Event) error     { c.events++; return nil }
func (c *wcCountSink) Reject(int64, string, string) error {
	c.rejects++
	return nil
}

// wcBenchParse parses path b.N times and reports rows per second.
func wcBenchParse(b *testing.B, f Format, path string, rows int64) {
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		file, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		var c wcCountSink
		err = f.Parse(context.Background(), Input{Path: path, R: file, TZ: wechatShanghai}, &c)
		file.Close()
		if err != nil {
			b.Fatal(err)
		}
		if c.msgs+c.events != rows || c.rejects != 0 {
			b.Fatalf("parsed %+v, want %d rows", c, rows)
		}
	}
	b.ReportMetric(float64(rows*int64(b.N))/b.Elapsed().Seconds(), "msgs/s")
}

func BenchmarkWeChatCSVParse(b *testing.B) {
	const n = 200000
	wcBenchParse(b, WeChatCSV{}, writeWeChatBench(b, n), n)
}

func BenchmarkWeChatPlainCSVParse(b *testing.B) {
	const n = 200000
	path := filepath.Join(b.TempDir(), "plain.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := csv.NewWriter(f)
	w.Write([]string{"time", "sender", "content", "group"}) //nolint:errcheck // checked at Flush
	for i := 0; i < n; i++ {
		ts := time.Unix(1794790800+int64(i)*7, 0).In(wechatShanghai).Format("2006-01-02 15:04:05")
		content := fmt.Sprintf("第%d条消息：今天的活动大家记得打卡 @成员%d", i, (i+1)%97)
		sender := fmt.Sprintf("成员%d", i%97)
		if i%50 == 0 {
			sender, content = "系统消息", fmt.Sprintf(`"成员%d"邀请"新人%d"加入了群聊`, i%97, i)
		}
		w.Write([]string{ts, sender, content, fmt.Sprintf("群%d", i%5)}) //nolint:errcheck // checked at Flush
	}
	w.Flush()
	if err := errors.Join(w.Error(), f.Close()); err != nil {
		b.Fatal(err)
	}
	wcBenchParse(b, WeChatPlainCSV{}, path, n)
}

func TestWeChatMaxMessage(t *testing.T) {
	big := strings.Repeat("长", 100)
	for _, c := range []struct {
		f    Format
		text string
	}{
		{WeChatCSV{}, wechatHeader + "1,5,1,0,0,1794790800,2," + big + ",,A,A,wxid_a\n2,5,1,0,0,1794790800,2,ok,,A,A,wxid_a\n"},
		{WeChatPlainCSV{}, "time,sender,content\n2026-11-16 09:00:00,A," + big + "\n2026-11-16 09:00:00,A,ok\n"},
	} {
		rec := &recorder{}
		err := c.f.Parse(context.Background(), Input{Path: "t.csv", R: strings.NewReader(c.text), TZ: time.UTC, MaxMessage: 100}, rec)
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.messages) != 1 || rec.messages[0].Text != "ok" {
			t.Errorf("%s: messages = %+v", c.f.Name(), rec.messages)
		}
		if len(rec.rejects) != 1 || rec.rejects[0].Line != 2 || !strings.Contains(rec.rejects[0].Reason, "larger than 100") || len(rec.rejects[0].Raw) > 400 {
			t.Errorf("%s: rejects = %+v", c.f.Name(), rec.rejects)
		}
	}
}

func TestWeChatCSVEarlyColumns(t *testing.T) {
	// app/DataBase/output_pc.py of the first WeChatMsg releases: pandas
	// to_csv, an unnamed index column, the nine MSG columns, no sender.
	text := ",localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime\n" +
		"0,1,5,1,0,0,1794790800,2,hello,2026-11-16 09:00:00\n"
	if !(WeChatCSV{}).Detect("x.csv", []byte(text)) {
		t.Fatal("not detected")
	}
	_, err := parseString(t, WeChatCSV{}, text)
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 1 || !strings.Contains(pe.Msg, "no Remark, NickName or Sender column") {
		t.Errorf("err = %v", err)
	}
}
