package format

import (
	"context"
	"fmt"
	"time"
)

// WeComStatistic reads WeCom's own customer-group statistics, responses of
// 获取「群聊数据统计」数据 (developer.work.weixin.qq.com/document/path/92133)
// saved as JSON (one a file, a JSON array of them, or one a line). WeCom
// keeps them for 180 days and never per group: either per day for the
// groups of the owners the request named (statistic_group_by_day,
// 按自然日聚合)
//
//	{"errcode": 0, "errmsg": "ok",
//	 "items": [{"stat_time": 1600272000,
//	            "data": {"new_chat_cnt": 2, "chat_total": 2, "chat_has_msg": 0,
//	                     "new_member_cnt": 0, "member_total": 6, "member_has_msg": 0,
//	                     "msg_total": 0, "migrate_trainee_chat_cnt": 3}}]}
//
// or per owner over the days the request named (statistic, 按群主聚合)
//
//	{"errcode": 0, "errmsg": "ok", "total": 2, "next_offset": 2,
//	 "items": [{"owner": "zhangsan", "data": {...}}]}
//
// Neither response repeats its request, so each item's scope or span comes
// from the request's fields saved beside the response's, in the same
// object: owner_filter.userid_list (whose groups a by-day item counts;
// without it, every group the app sees, as WeCom reads a request without
// it), day_begin_time and day_end_time (the span of a by-owner item, a
// day's midnight each, both included; without day_end_time one day). A
// by-owner response saved without day_begin_time says nothing of its days:
// its items are rejected. stat_time and day_begin_time are midnights in
// China time, the zone the loader is told (Input.TZ).
//
// Counts (data): new_chat_cnt, chat_total (at the span's end), chat_has_msg
// (groups), new_member_cnt, member_total (at the end), member_has_msg
// (members who sent a message), msg_total (messages); the education
// industry's migrate_trainee_chat_cnt is not kept.
type WeComStatistic struct{}

func (WeComStatistic) Name() string { return "wecom-statistic" }

func (WeComStatistic) Detect(_ string, head []byte) bool {
	return wecomHasKeys(head, "new_member_cnt", "msg_total")
}

func (f WeComStatistic) Parse(ctx context.Context, in Input, sink Sink) error {
	p := &wcStatParser{s: newJSONScanner(in.R, f.Name(), in.Path), sink: sink, ctx: ctx, tz: in.TZ}
	defer p.s.release()
	return wecomObjects(p.s, "a groupchat/statistic response object", p.response)
}

type wcStatParser struct {
	s    *jsonScanner
	sink Sink
	ctx  context.Context
	tz   *time.Location

	items                 []wcStatItem
	owners                []string
	dayBegin, dayEnd      int64
	errcode               int64
	errmsg                string
	hasBegin, hasEndField bool
}

type wcStatItem struct {
	owner    string
	statTime int64
	counts   [7]int64 // new_chat_cnt, chat_total, chat_has_msg, new_member_cnt, member_total, member_has_msg, msg_total
	line     int64
}

var wcStatFields = [7]string{"new_chat_cnt", "chat_total", "chat_has_msg", "new_member_cnt", "member_total", "member_has_msg", "msg_total"}

func (p *wcStatParser) response(line int64) error {
	if err := p.ctx.Err(); err != nil {
		return err
	}
	s := p.s
	s.markHere()
	p.items, p.owners = p.items[:0], p.owners[:0]
	p.dayBegin, p.dayEnd, p.hasBegin, p.hasEndField = 0, 0, false, false
	p.errcode, p.errmsg = 0, ""
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
			p.errcode, err = wecomCount(s)
		case "errmsg":
			p.errmsg, err = wecomString(s)
		case "items":
			err = p.list(p.item)
		case "day_begin_time":
			p.dayBegin, p.hasBegin, err = wecomUnix(s)
		case "day_end_time":
			p.dayEnd, p.hasEndField, err = wecomUnix(s)
		case "owner_filter":
			err = p.filter()
		default:
			err = s.skip()
		}
		if err != nil {
			return err
		}
	}
	raw := s.marked()
	s.mark = -1
	if p.errcode != 0 {
		return p.sink.Reject(line, fmt.Sprintf("WeCom error %d: %s", p.errcode, p.errmsg), raw)
	}
	for _, it := range p.items {
		if err := p.emit(it, raw); err != nil {
			return err
		}
	}
	return nil
}

func (p *wcStatParser) list(each func(line int64) error) error {
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

func (p *wcStatParser) item(line int64) error {
	s := p.s
	it := wcStatItem{line: line}
	for i := range it.counts {
		it.counts[i] = -1
	}
	for n := 0; ; {
		k, err := s.key(&n)
		if err != nil {
			return err
		}
		if k == nil {
			break
		}
		switch string(k) {
		case "owner":
			it.owner, err = wecomString(s)
		case "stat_time":
			it.statTime, _, err = wecomUnix(s)
		case "data":
			err = p.data(&it)
		default:
			err = s.skip()
		}
		if err != nil {
			return err
		}
	}
	p.items = append(p.items, it)
	return nil
}

func (p *wcStatParser) data(it *wcStatItem) error {
	s := p.s
	if s.peek() == 'n' {
		return s.literal("null")
	}
	if err := s.enter('{', "the data object"); err != nil {
		return err
	}
	for n := 0; ; {
		k, err := s.key(&n)
		if err != nil || k == nil {
			return err
		}
		i := -1
		for j, f := range wcStatFields {
			if string(k) == f {
				i = j
				break
			}
		}
		if i >= 0 {
			it.counts[i], err = wecomCount(s)
		} else {
			err = s.skip()
		}
		if err != nil {
			return err
		}
	}
}

// filter reads owner_filter: {"userid_list": [...]}.
func (p *wcStatParser) filter() error {
	s := p.s
	if s.peek() != '{' {
		return s.skip()
	}
	s.pos++
	for n := 0; ; {
		k, err := s.key(&n)
		if err != nil || k == nil {
			return err
		}
		if string(k) != "userid_list" || s.peek() != '[' {
			if err := s.skip(); err != nil {
				return err
			}
			continue
		}
		s.pos++
		for i := 0; ; {
			more, err := s.elem(&i)
			if err != nil {
				return err
			}
			if !more {
				break
			}
			uid, err := wecomString(s)
			if err != nil {
				return err
			}
			if uid != "" {
				p.owners = append(p.owners, uid)
			}
		}
	}
}

func (p *wcStatParser) emit(it wcStatItem, raw string) error {
	st := Statistic{Platform: PlatformWeCom, Line: it.line, Days: 1}
	switch {
	case it.owner != "":
		if !p.hasBegin {
			return p.sink.Reject(it.line, "a per-owner statistic without its days: save the request's day_begin_time (and day_end_time) beside the response", raw)
		}
		st.Owners = []Person{{UID: it.owner}}
		st.Day = wecomDay(p.dayBegin, p.tz)
		if p.hasEndField && p.dayEnd > p.dayBegin {
			end := wecomDay(p.dayEnd, p.tz)
			st.Days = int(end.Sub(st.Day).Hours()/24+0.5) + 1
		}
	case it.statTime > 0:
		st.Day = wecomDay(it.statTime, p.tz)
		for _, o := range p.owners {
			st.Owners = append(st.Owners, Person{UID: o})
		}
	default:
		return p.sink.Reject(it.line, "a statistic item with neither owner nor stat_time", raw)
	}
	c := it.counts
	st.NewGroups, st.Groups, st.GroupsWithMessages = c[0], c[1], c[2]
	st.NewMembers, st.Members, st.MembersWithMessages, st.Messages = c[3], c[4], c[5], c[6]
	return p.sink.Statistic(&st)
}
