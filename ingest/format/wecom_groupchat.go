package format

import (
	"context"
	"fmt"
	"time"
)

// WeComGroupChat reads customer-group details: responses of
// externalcontact/groupchat/get (获取客户群详情,
// developer.work.weixin.qq.com/document/path/92122) saved as JSON, one
// group a file, a JSON array of responses, or one a line:
//
//	{"errcode": 0, "errmsg": "ok",
//	 "group_chat": {
//	  "chat_id": "wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA", "name": "星河用户杭州站",
//	  "owner": "zhangsan", "create_time": 1572505490, "notice": "...",
//	  "member_list": [
//	   {"userid": "zhangsan", "type": 1, "join_time": 1572505491, "join_scene": 1,
//	    "group_nickname": "小张|客服", "name": "张三"},
//	   {"userid": "wmOgQhDgAAuXFJGwbve4g4iXknfOAAAA", "type": 2,
//	    "unionid": "ozynqsulJFCZ2z1aYeS8h-nuasdAAA", "join_time": 1572505600,
//	    "join_scene": 3, "invitor": {"userid": "zhangsan"},
//	    "group_nickname": "王芳|杭州", "name": "王芳"}],
//	  "admin_list": [{"userid": "lisi"}],
//	  "member_version": "71217227bbd112ecfe3a49c482195cb4"}}
//
// (the bare group_chat object is read too). A group's details are a
// member-list snapshot: every member is a presence in the group, with the
// group nickname (group_nickname, else name) as their name there, which
// the nickname rules check. The response carries no time of its own: the
// snapshot is dated at the newest join_time (or create_time) it lists, a
// moment when every member listed is certainly in the group (each has been
// since their join_time, and still was when the list was fetched, later).
// The file's modification time is not used: copying a file changes it.
//
// Each member's join_time is a join, its join_scene the source: 1 (invited
// directly by a member) a referral, 2 (an invitation link) a link, 3 (the
// group's QR code) a QR join; the inviter (invitor.userid, given when an
// employee invited) is kept for referrals and QR joins. Members of type 1
// are employees of the company (企业成员): staff, with the owner's role
// for owner, admin for admin_list and for other employees (see
// wecomStaffRole). A customer's unionid (type 2, given when the company
// has bound its WeChat developer account) is the customer key: orders of
// a WeChat mall carry it, so conversion and repurchase need no mapping.
// An error response (errcode other than 0) is a rejected row.
type WeComGroupChat struct{}

func (WeComGroupChat) Name() string { return "wecom-groupchat" }

func (WeComGroupChat) Detect(_ string, head []byte) bool {
	return wecomHasKeys(head, "chat_id", "member_list")
}

func (f WeComGroupChat) Parse(ctx context.Context, in Input, sink Sink) error {
	p := &wcGroupParser{s: newJSONScanner(in.R, f.Name(), in.Path), sink: sink, ctx: ctx}
	defer p.s.release()
	return wecomObjects(p.s, "a groupchat/get response object", p.response)
}

type wcGroupParser struct {
	s    *jsonScanner
	sink Sink
	ctx  context.Context

	chatID, name, owner string
	created             int64
	members             []wcMember
	admins              []wcMember // userid and line
	ownerLine, line     int64
}

type wcMember struct {
	uid, unionid, nick, name, invitor string
	typ, scene                        int64
	joined                            int64
	line                              int64
}

// response reads one saved response (its '{' consumed): the envelope, or
// the group_chat object itself.
func (p *wcGroupParser) response(line int64) error {
	if err := p.ctx.Err(); err != nil {
		return err
	}
	s := p.s
	s.markHere()
	p.reset(line)
	errcode, errmsg := int64(0), ""
	sawGroup := false
	for n := 0; ; {
		k, err := s.key(&n)
		if err != nil {
			return err
		}
		if k == nil {
			break
		}
		switch string(k) {
		case "errcode":
			errcode, err = wecomCount(s)
		case "errmsg":
			errmsg, err = wecomString(s)
		case "group_chat":
			sawGroup = true
			if err = s.enter('{', "the group_chat object"); err == nil {
				err = p.group()
			}
		default:
			err = p.groupField(k)
		}
		if err != nil {
			return err
		}
	}
	raw := s.marked()
	s.mark = -1
	if errcode != 0 {
		return p.sink.Reject(line, fmt.Sprintf("WeCom error %d: %s", errcode, errmsg), raw)
	}
	if !sawGroup && p.chatID == "" && len(p.members) == 0 {
		return p.sink.Reject(line, "no group_chat in this response", raw)
	}
	return p.emit(raw)
}

func (p *wcGroupParser) reset(line int64) {
	p.chatID, p.name, p.owner, p.created = "", "", "", 0
	p.members, p.admins = p.members[:0], p.admins[:0]
	p.line, p.ownerLine = line, line
}

// group reads the group_chat object's fields (its '{' consumed).
func (p *wcGroupParser) group() error {
	for n := 0; ; {
		k, err := p.s.key(&n)
		if err != nil || k == nil {
			return err
		}
		if err := p.groupField(k); err != nil {
			return err
		}
	}
}

func (p *wcGroupParser) groupField(k []byte) error {
	s := p.s
	var err error
	switch string(k) {
	case "chat_id":
		p.line = s.lineAt(s.pos)
		p.chatID, err = wecomString(s)
	case "name":
		p.name, err = wecomString(s)
	case "owner":
		p.ownerLine = s.lineAt(s.pos)
		p.owner, err = wecomString(s)
	case "create_time":
		p.created, _, err = wecomUnix(s)
	case "member_list":
		err = p.list(p.member)
	case "admin_list":
		err = p.list(p.admin)
	default:
		err = s.skip()
	}
	return err
}

// list reads an array of objects, or null.
func (p *wcGroupParser) list(each func(line int64) error) error {
	s := p.s
	if s.peek() == 'n' {
		return s.literal("null")
	}
	if err := s.enter('[', "an array"); err != nil {
		return err
	}
	for n := 0; ; {
		more, err := s.elem(&n)
		if err != nil || !more {
			return err
		}
		if err := s.enter('{', "an object of the list"); err != nil {
			return err
		}
		if err := each(s.lineAt(s.pos - 1)); err != nil {
			return err
		}
	}
}

func (p *wcGroupParser) member(line int64) error {
	s := p.s
	m := wcMember{line: line}
	for n := 0; ; {
		k, err := s.key(&n)
		if err != nil {
			return err
		}
		if k == nil {
			break
		}
		switch string(k) {
		case "userid":
			m.uid, err = wecomString(s)
		case "type":
			m.typ, err = wecomCount(s)
		case "unionid":
			m.unionid, err = wecomString(s)
		case "join_time":
			m.joined, _, err = wecomUnix(s)
		case "join_scene":
			m.scene, err = wecomCount(s)
		case "invitor":
			m.invitor, err = p.userid()
		case "group_nickname":
			m.nick, err = wecomString(s)
		case "name":
			m.name, err = wecomString(s)
		default:
			err = s.skip()
		}
		if err != nil {
			return err
		}
	}
	p.members = append(p.members, m)
	return nil
}

func (p *wcGroupParser) admin(line int64) error {
	for n := 0; ; {
		k, err := p.s.key(&n)
		if err != nil || k == nil {
			return err
		}
		if string(k) == "userid" {
			var uid string
			if uid, err = wecomString(p.s); err == nil && uid != "" {
				p.admins = append(p.admins, wcMember{uid: uid, line: line})
			}
		} else {
			err = p.s.skip()
		}
		if err != nil {
			return err
		}
	}
}

// userid reads {"userid": "..."} or null.
func (p *wcGroupParser) userid() (string, error) {
	s := p.s
	if s.peek() != '{' {
		return "", s.skip()
	}
	s.pos++
	uid := ""
	for n := 0; ; {
		k, err := s.key(&n)
		if err != nil || k == nil {
			return uid, err
		}
		if string(k) == "userid" {
			uid, err = wecomString(s)
		} else {
			err = s.skip()
		}
		if err != nil {
			return "", err
		}
	}
}

// wecomJoinSource maps join_scene to a join source.
func wecomJoinSource(scene int64) string {
	switch scene {
	case 1:
		return SourceReferral
	case 2:
		return SourceLink
	case 3:
		return SourceQR
	}
	return SourceUnknown
}

// emit turns the group read into rows in the order of the file's lines
// (the coverage of a load counts them so): the owner's role, then per
// member the staff role, the customer key, the join and the presence, then
// the admins' roles.
func (p *wcGroupParser) emit(raw string) error {
	if p.chatID == "" {
		return p.sink.Reject(p.line, "group without chat_id", raw)
	}
	g := wecomGroup(p.chatID, p.name)
	asOf := p.created
	for _, m := range p.members {
		asOf = max(asOf, m.joined)
	}
	at := time.Unix(asOf, 0).UTC()
	if asOf == 0 {
		at = time.Time{}
	}
	staffed := map[string]bool{}
	role := func(uid, r string, line int64) error {
		if uid == "" || staffed[uid] {
			return nil
		}
		staffed[uid] = true
		return p.sink.Role(&Role{Group: g, Person: Person{UID: uid}, Role: r, Time: at, Line: line})
	}
	if err := role(p.owner, RoleOwner, p.ownerLine); err != nil {
		return err
	}
	admins := map[string]bool{}
	for _, a := range p.admins {
		admins[a.uid] = true
	}
	for _, m := range p.members {
		if m.uid == "" {
			if err := p.sink.Reject(m.line, "group member without userid", raw); err != nil {
				return err
			}
			continue
		}
		name := m.nick
		if name == "" {
			name = m.name
		}
		who := Person{UID: m.uid, Name: name}
		if admins[m.uid] || m.typ == 1 || m.typ != 2 && wecomKind(m.uid) == wecomStaff {
			if err := role(m.uid, wecomStaffRole, m.line); err != nil {
				return err
			}
		} else if wecomKind(m.uid) == wecomBot {
			if err := role(m.uid, RoleBot, m.line); err != nil {
				return err
			}
		}
		if m.unionid != "" {
			mem := Member{Platform: PlatformWeCom, Person: Person{UID: m.uid, Name: m.name}, CustomerKey: m.unionid}
			if m.joined > 0 {
				mem.Seen = time.Unix(m.joined, 0).UTC()
			}
			if err := p.sink.Member(&mem); err != nil {
				return err
			}
		}
		if m.joined > 0 {
			ev := Event{Group: g, Member: who, Time: time.Unix(m.joined, 0).UTC(), Kind: EventJoin,
				Source: wecomJoinSource(m.scene), Line: m.line}
			if m.invitor != "" && (ev.Source == SourceReferral || ev.Source == SourceQR) {
				ev.Inviter = Person{UID: m.invitor}
			}
			if err := p.sink.Event(&ev); err != nil {
				return err
			}
		}
		if !at.IsZero() {
			if err := p.sink.Presence(&Presence{Group: g, Member: who, AsOf: at, Line: m.line}); err != nil {
				return err
			}
		}
	}
	for _, a := range p.admins { // admins not in the member list
		if err := role(a.uid, RoleAdmin, a.line); err != nil {
			return err
		}
	}
	return nil
}
