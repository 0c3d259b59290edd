package format

import (
	"context"
	"fmt"
	"time"
)

// WeComCustomers reads the customer list: responses of externalcontact/get
// (获取客户详情, developer.work.weixin.qq.com/document/path/92114) and of
// externalcontact/batch/get_by_user (批量获取客户详情,
// developer.work.weixin.qq.com/document/path/92994) saved as JSON, one a
// file, a JSON array of them, or one a line:
//
//	{"errcode": 0, "errmsg": "ok",
//	 "external_contact": {"external_userid": "wmAbC123", "name": "王芳",
//	   "type": 1, "gender": 2, "unionid": "oAbCdEfGhIjKlMnOpQrStUvWxYz0"},
//	 "follow_user": [{"userid": "zhangsan", "remark": "王芳|杭州",
//	   "createtime": 1525779812, "add_way": 1}],
//	 "next_cursor": ""}
//
//	{"errcode": 0, "errmsg": "ok",
//	 "external_contact_list": [
//	  {"external_contact": {...}, "follow_info": {"userid": "zhangsan", "createtime": 1525779812}}],
//	 "next_cursor": "..."}
//
// Each customer is a member row: external_userid (the id the archive and
// the group details use) with its name and its unionid as the customer
// key, the key a WeChat mall's orders carry; the earliest createtime (when
// an employee added the customer) is when they were first seen. A customer
// without a unionid (the company bound no WeChat developer account, or a
// WeCom user of another company) keeps no key. An error response (errcode
// other than 0) is a rejected row.
type WeComCustomers struct{}

func (WeComCustomers) Name() string { return "wecom-customers" }

func (WeComCustomers) Detect(_ string, head []byte) bool {
	return wecomHasKeys(head, "external_userid") &&
		(wecomHasKeys(head, "external_contact") || wecomHasKeys(head, "external_contact_list"))
}

func (f WeComCustomers) Parse(ctx context.Context, in Input, sink Sink) error {
	p := &wcCustomerParser{s: newJSONScanner(in.R, f.Name(), in.Path), sink: sink, ctx: ctx}
	defer p.s.release()
	return wecomObjects(p.s, "an externalcontact/get response object", p.response)
}

type wcCustomerParser struct {
	s    *jsonScanner
	sink Sink
	ctx  context.Context
	cur  wcCustomer
}

type wcCustomer struct {
	uid, name, unionid string
	added              int64 // earliest createtime of its followers
	line               int64
}

func (p *wcCustomerParser) response(line int64) error {
	if err := p.ctx.Err(); err != nil {
		return err
	}
	s := p.s
	s.markHere()
	errcode, errmsg := int64(0), ""
	p.cur = wcCustomer{line: line}
	single := false
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
		case "external_contact":
			single = true
			err = p.contact(&p.cur)
		case "follow_user":
			err = p.follows(&p.cur)
		case "external_contact_list":
			err = p.list()
		default:
			err = s.skip()
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
	if single {
		return p.emit(p.cur, raw)
	}
	return nil
}

// list reads external_contact_list, emitting each entry.
func (p *wcCustomerParser) list() error {
	s := p.s
	if s.peek() == 'n' {
		return s.literal("null")
	}
	if err := s.enter('[', "an array of customers"); err != nil {
		return err
	}
	for i := 0; ; {
		more, err := s.elem(&i)
		if err != nil || !more {
			return err
		}
		if s.ws() != '{' {
			return s.unexpected("a customer object")
		}
		c := wcCustomer{line: s.lineAt(s.pos)}
		s.pos++
		for n := 0; ; {
			k, err := s.key(&n)
			if err != nil {
				return err
			}
			if k == nil {
				break
			}
			switch string(k) {
			case "external_contact":
				err = p.contact(&c)
			case "follow_info":
				err = p.follow(&c)
			case "follow_user":
				err = p.follows(&c)
			default:
				err = s.skip()
			}
			if err != nil {
				return err
			}
		}
		if err := p.emit(c, ""); err != nil {
			return err
		}
	}
}

func (p *wcCustomerParser) contact(c *wcCustomer) error {
	s := p.s
	if s.peek() == 'n' {
		return s.literal("null")
	}
	if err := s.enter('{', "the external_contact object"); err != nil {
		return err
	}
	for n := 0; ; {
		k, err := s.key(&n)
		if err != nil || k == nil {
			return err
		}
		switch string(k) {
		case "external_userid":
			c.uid, err = wecomString(s)
		case "name":
			c.name, err = wecomString(s)
		case "unionid":
			c.unionid, err = wecomString(s)
		default:
			err = s.skip()
		}
		if err != nil {
			return err
		}
	}
}

// follows reads follow_user, an array of follow_info objects.
func (p *wcCustomerParser) follows(c *wcCustomer) error {
	s := p.s
	if s.peek() != '[' {
		return s.skip()
	}
	s.pos++
	for i := 0; ; {
		more, err := s.elem(&i)
		if err != nil || !more {
			return err
		}
		if err := p.follow(c); err != nil {
			return err
		}
	}
}

// follow reads one employee's relation to the customer, keeping when the
// customer was added.
func (p *wcCustomerParser) follow(c *wcCustomer) error {
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
		if string(k) == "createtime" {
			var t int64
			var ok bool
			if t, ok, err = wecomUnix(s); ok && (c.added == 0 || t < c.added) {
				c.added = t
			}
		} else {
			err = s.skip()
		}
		if err != nil {
			return err
		}
	}
}

func (p *wcCustomerParser) emit(c wcCustomer, raw string) error {
	if c.uid == "" {
		return p.sink.Reject(c.line, "customer without external_userid", raw)
	}
	m := Member{Platform: PlatformWeCom, Person: Person{UID: c.uid, Name: c.name}, CustomerKey: c.unionid}
	if c.added > 0 {
		m.Seen = time.Unix(c.added, 0).UTC()
	}
	return p.sink.Member(&m)
}
