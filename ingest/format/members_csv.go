package format

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// MembersCSV reads a roster, one row per join, under ckpi's column names
//
//	platform,group,member_id,name,joined_at,channel,inviter_id,customer_key
//
// or under the names back offices and group tools export them with (case,
// spaces and punctuation ignored): 群名/群名称, 会员ID/用户ID/QQ号/微信号,
// 昵称/群昵称/群名片, 入群时间/加群时间, 渠道/来源/入群方式, 邀请人, 手机号
// (the customer key that links a member to orders)... — see membersSpec.
// The Chinese names follow WeCom's group-member fields as SCRM tools export
// them (qwdigital/LinkWechat-Scrm WeGroupMemberEntity: 入群时间, 入群方式,
// 群昵称, 邀请者; Pumplabs/scrm CustomerGroup/GroupDetail/constants.js) and
// the QQ group member page (qun.qq.com/member.html, as bmqy/qq-group-manager
// exports it: QQ号, 群名片, 入群时间).
//
// channel is how the member came (website, official_account, weibo,
// offline, sms, referral, qr, link, import, or a Chinese or WeCom wording
// of one: 扫码/二维码, 邀请, 链接, 公众号...); inviter_id names who brought
// them; customer_key links the person to orders. A time without an offset
// is read in the group's zone. Map other column names with --mapping.
type MembersCSV struct {
	Map *TableMapping // from --mapping: names columns the aliases do not know
}

func (MembersCSV) Name() string { return "members-csv" }

var membersSpec = &tableSpec{
	format: "members-csv",
	required: []tableField{
		{"group", []string{"group_name", "群", "群名", "群名称", "群聊", "群聊名称", "所在群", "社群", "社群名称", "群组"}},
		{"member_id", []string{"会员ID", "会员编号", "用户ID", "成员ID", "群成员ID", "userid", "user_id", "uid", "QQ号", "QQ", "微信号", "wxid", "账号"}},
		{"joined_at", []string{"入群时间", "加群时间", "加入时间", "进群时间", "join_time", "joined", "join_date"}},
	},
	optional: []tableField{
		{"platform", []string{"平台"}},
		{"name", []string{"昵称", "群昵称", "群名片", "成员昵称", "用户昵称", "成员", "姓名", "名字", "nickname", "display_name"}},
		{"channel", []string{"渠道", "来源", "来源渠道", "入群方式", "入群渠道", "加入方式", "source", "join_scene"}},
		{"inviter_id", []string{"邀请人ID", "邀请人", "邀请者", "邀请人QQ", "inviter", "invited_by", "referrer"}},
		{"customer_key", []string{"客户编号", "客户ID", "手机号", "手机", "手机号码", "联系电话", "电话", "phone", "mobile", "邮箱", "email"}},
	},
}

func (MembersCSV) Detect(_ string, head []byte) bool {
	return membersSpec.detect(head, "member_id", "joined_at")
}

func (f MembersCSV) Parse(ctx context.Context, in Input, sink Sink) error {
	t, err := openTable(in, membersSpec, f.Map)
	if err != nil {
		return err
	}
	return t.each(ctx, sink, func(rec []string) (string, error) {
		ev, m, reason := f.row(t, rec, in)
		if reason != "" {
			return reason, nil
		}
		if err := sink.Member(&m); err != nil {
			return "", err
		}
		return "", sink.Event(&ev)
	})
}

func (f MembersCSV) row(t *boTable, rec []string, in Input) (Event, Member, string) {
	platform := strings.ToLower(t.get(rec, "platform"))
	if platform == "" {
		platform = f.Map.platform()
	}
	group, uid := t.get(rec, "group"), t.id(rec, "member_id")
	if group == "" || uid == "" {
		return Event{}, Member{}, "empty group or member_id"
	}
	g := Group{Platform: platform, ExternalID: group, Name: group}
	ts, err := f.Map.time(t.get(rec, "joined_at"), in.Location(g))
	if err != nil {
		return Event{}, Member{}, "joined_at: " + err.Error()
	}
	raw := t.get(rec, "channel")
	channel, ok := joinChannel(raw, f.Map.values("channel"))
	if !ok {
		return Event{}, Member{}, fmt.Sprintf("unknown channel %q (known: %s, or map it under channel_values)", raw, channelList())
	}
	person := Person{UID: uid, Name: t.get(rec, "name")}
	ev := Event{Group: g, Member: person, Time: ts, Kind: EventJoin, Source: channel, Line: t.line}
	if inviter := t.id(rec, "inviter_id"); inviter != "" {
		ev.Inviter = Person{UID: inviter}
	}
	m := Member{Platform: platform, Person: person, CustomerKey: t.id(rec, "customer_key"), Seen: ts}
	return ev, m, ""
}

func channelList() string {
	list := make([]string, 0, len(Channels))
	for c := range Channels {
		list = append(list, c)
	}
	sort.Strings(list)
	return strings.Join(list, ", ")
}
