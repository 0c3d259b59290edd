package synth

import (
	"bufio"
	"crypto/sha256"
	"encoding/base64"
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The WeCom (企业微信) export is what a company running its customer groups
// on WeCom can fetch (see ingest/format/wecom*.go for the layouts):
//
//   - wecom/archive/<NN>-<group>.jsonl: the chat archive (会话内容存档) as
//     the SDK decrypts it, one message a line, for the groups whose owner's
//     messages are archived (archiving is licensed per employee: every
//     third owner is not, so some groups have statistics only);
//   - wecom/groupchat/<NN>-<group>.json: each group's details
//     (externalcontact/groupchat/get) at the end of the history: the
//     members then, their join_time and join_scene, the owner, the admins;
//   - wecom/statistics.jsonl: each owner's daily group statistics
//     (groupchat/statistic_group_by_day), one response per owner and span
//     of at most 30 days (the API's limit) over the last 180 days (what
//     WeCom keeps), with the request's owner_filter and days beside it;
//   - wecom/customers.jsonl: the customer list (externalcontact/batch/
//     get_by_user), 100 customers a response: external_userid to unionid;
//   - wecom/orders.csv: the orders of orders.csv keyed by unionid, as a
//     WeChat mall records them (ids prefixed "WX").
//
// It is the community of the QQ export: customers are "wm" + a hash of
// their QQ number, employees (the staff) "kf" + theirs, groups "wr" + a
// hash. The archive holds no membership changes (WeCom archives only
// messages): joins come from the details, leaves are not recorded. A
// recall is a revoke naming the member's last message. A message's tolist
// (every other member of the group, in a real archive) lists at most ten,
// to keep the files small: ckpi does not read it.

// wcWorld holds the WeCom identities of the people and groups.
type wcWorld struct {
	ids      []string // per person: external_userid or employee userid
	unionids []string // per person: "" without a customer key
	rooms    []string // per group: roomid = chat_id
	owners   []int32  // per group: the owner (a person)
	archived []bool   // per group
}

func wcHash(prefix, key string, n int) string {
	s := sha256.Sum256([]byte(prefix + "\x00" + key))
	return prefix + base64.RawURLEncoding.EncodeToString(s[:])[:n]
}

func newWCWorld(w *world) *wcWorld {
	c := &wcWorld{ids: make([]string, len(w.persons)), unionids: make([]string, len(w.persons))}
	for i, p := range w.persons {
		if p.staff {
			c.ids[i] = "kf" + p.uid
		} else {
			c.ids[i] = wcHash("wm", p.uid, 30)
		}
		if p.key != "" {
			c.unionids[i] = unionID(p.key)
		}
	}
	var owners []int32
	for _, g := range w.groups {
		o := g.members[g.staff[0]].p
		c.rooms = append(c.rooms, wcHash("wr", strconv.Itoa(g.idx)+g.name, 30))
		c.owners = append(c.owners, o)
		if !slices.Contains(owners, o) {
			owners = append(owners, o)
		}
	}
	// Every third owner (the last one of two) is not archived.
	slices.Sort(owners)
	off := map[int32]bool{}
	for i, o := range owners {
		if i%3 == 2 || len(owners) == 2 && i == 1 {
			off[o] = true
		}
	}
	for _, o := range c.owners {
		c.archived = append(c.archived, !off[o])
	}
	return c
}

// unionID is the WeChat unionid of a customer key: what the mall's orders
// carry.
func unionID(key string) string { return wcHash("o", key, 27) }

// wcDay is what WeCom counts of one group on one day.
type wcDay struct {
	joins, members, speakers, messages int32
}

// wcWriter writes one group's archive.
type wcWriter struct {
	bw     *bufio.Writer
	w      *world
	g      *groupPlan
	room   string
	zone   zoneCache
	from   [][]byte // per member: `"from":"...","tolist":[`
	last   []string // per member: the msgid of their last message
	buf    []byte
	seq    int64
	tolist []int32
}

func (w *world) newWCWriter(bw *bufio.Writer, g *groupPlan) *wcWriter {
	x := &wcWriter{bw: bw, w: w, g: g, room: w.wc.rooms[g.idx], zone: zoneCache{tz: w.cfg.TZ}}
	x.from = make([][]byte, len(g.members))
	x.last = make([]string, len(g.members))
	for i, m := range g.members {
		x.from[i] = fmt.Appendf(nil, `"from":%q,"tolist":[`, w.wc.ids[m.p])
	}
	return x
}

// head writes the envelope up to the message type's body.
func (x *wcWriter) head(c *msg, present []int32, action, typ string) []byte {
	x.seq++
	ms := x.zone.unix(c.t) * 1000
	id := strconv.AppendInt(nil, 7315500000000000000+int64(x.g.idx)*100000000+x.seq, 10)
	id = append(id, '_')
	id = strconv.AppendInt(id, ms, 10)
	if !x.w.persons[x.g.members[c.m].p].staff {
		id = append(id, "_external"...)
	}
	b := append(x.buf[:0], `{"msgid":"`...)
	b = append(b, id...)
	if action == "send" {
		x.last[c.m] = string(id)
	}
	b = append(b, `","action":"`...)
	b = append(b, action...)
	b = append(b, `",`...)
	b = append(b, x.from[c.m]...)
	n := 0
	for _, m := range present {
		if m == c.m {
			continue
		}
		if n > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, x.w.wc.ids[x.g.members[m].p]...)
		b = append(b, '"')
		if n++; n == 10 {
			break
		}
	}
	b = append(b, `],"roomid":"`...)
	b = append(b, x.room...)
	b = append(b, `","msgtime":`...)
	b = strconv.AppendInt(b, ms, 10)
	b = append(b, `,"msgtype":"`...)
	b = append(b, typ...)
	return append(b, `",`...)
}

// message writes a member's message.
func (x *wcWriter) message(c *msg, present []int32) {
	var b []byte
	n := int64(x.seq + 1)
	file := func(typ string) []byte {
		b = x.head(c, present, "send", typ)
		b = append(b, '"')
		b = append(b, typ...)
		b = fmt.Appendf(b, `":{"sdkfileid":"CtYBMzA2OTAyMDEwMjA0NjIzMDYwMDIwMTAw%012d","md5sum":"%032x",`, n*7919+int64(x.g.idx), uint64(n)*0x9e3779b97f4a7c15)
		return b
	}
	switch c.media {
	case mediaPhoto:
		b = file("image")
		b = fmt.Appendf(b, `"filesize":%d}}`, 40000+n%90000)
	case mediaSticker:
		b = file("emotion")
		b = fmt.Appendf(b, `"type":%d,"width":240,"height":240,"imagesize":%d}}`, 1+n%2, 8000+n%40000)
	case mediaVoice:
		b = file("voice")
		b = fmt.Appendf(b, `"voice_size":%d,"play_length":%d}}`, 3000+n%20000, 2+n%58)
	case mediaVideo:
		b = file("video")
		b = fmt.Appendf(b, `"filesize":%d,"play_length":%d}}`, 500000+n%4000000, 5+n%110)
	case mediaFile:
		name := documentNames[n%int64(len(documentNames))][0]
		b = file("file")
		b = fmt.Appendf(b, `"filename":%q,"fileext":%q,"filesize":%d}}`, name, name[strings.LastIndexByte(name, '.')+1:], 20000+n%2000000)
	default:
		b = x.head(c, present, "send", "text")
		b = append(b, `"text":{"content":`...)
		b = appendJSONString(b, c.body)
		b = append(b, "}}"...)
	}
	x.buf = append(b, '\n')
	x.bw.Write(x.buf)
}

// recall writes the revoke of member m's last message.
func (x *wcWriter) recall(t int64, m int32, present []int32) {
	c := msg{t: t, m: m}
	pre := x.last[m]
	b := x.head(&c, present, "recall", "revoke")
	b = append(b, `"revoke":{"pre_msgid":"`...)
	b = append(b, pre...)
	x.buf = append(b, "\"}}\n"...)
	x.bw.Write(x.buf)
}

// writeWCGroupChat writes a group's details at the end of the history.
func (w *world) writeWCGroupChat(bw *bufio.Writer, g *groupPlan) error {
	wc, f := w.wc, &w.f
	z := zoneCache{tz: w.cfg.TZ}
	owner := wc.owners[g.idx]
	// The members at the end, each once (a rejoin's latest stretch).
	latest := map[int32]int{}
	created := int64(never)
	for i, m := range g.members {
		created = min(created, m.join)
		if m.join < f.end && m.leave >= f.end {
			if j, ok := latest[m.p]; !ok || g.members[j].join < m.join {
				latest[m.p] = i
			}
		}
	}
	idx := make([]int, 0, len(latest))
	for _, i := range latest {
		idx = append(idx, i)
	}
	slices.Sort(idx)
	b := fmt.Appendf(nil, "{\n  \"errcode\": 0,\n  \"errmsg\": \"ok\",\n  \"group_chat\": {\n    \"chat_id\": %q,\n    \"name\": ", wc.rooms[g.idx])
	b = appendJSONString(b, []byte(g.name))
	b = fmt.Appendf(b, ",\n    \"owner\": %q,\n    \"create_time\": %d,\n    \"notice\": \"\",\n    \"member_list\": [", wc.ids[owner], z.unix(created))
	for k, i := range idx {
		m := g.members[i]
		p := w.persons[m.p]
		if k > 0 {
			b = append(b, ',')
		}
		typ := 2
		if p.staff {
			typ = 1
		}
		b = fmt.Appendf(b, "\n      {\n        \"userid\": %q,\n        \"type\": %d,", wc.ids[m.p], typ)
		if u := wc.unionids[m.p]; u != "" && !p.staff {
			b = fmt.Appendf(b, "\n        \"unionid\": %q,", u)
		}
		// WeCom has three scenes: a direct invitation, an invitation link,
		// a QR code (a group QR code posted on the website, the official
		// account, a poster...). It names the inviter only when an
		// employee invited.
		scene, inviter := 3, int32(-1)
		switch m.channel {
		case "referral":
			scene, inviter = 1, m.inviter
		case "link":
			scene = 2
		case "qr":
			inviter = m.inviter
		case "import": // founding members, added by the owner
			scene = 1
			if m.p != owner {
				inviter = owner
			}
		}
		b = fmt.Appendf(b, "\n        \"join_time\": %d,\n        \"join_scene\": %d,", z.unix(m.join), scene)
		if inviter >= 0 && w.persons[inviter].staff {
			b = fmt.Appendf(b, "\n        \"invitor\": {\n          \"userid\": %q\n        },", wc.ids[inviter])
		}
		b = append(b, "\n        \"group_nickname\": "...)
		b = appendJSONString(b, []byte(p.nick))
		b = append(b, ",\n        \"name\": "...)
		b = appendJSONString(b, []byte(p.name))
		b = append(b, "\n      }"...)
	}
	b = append(b, "\n    ],\n    \"admin_list\": ["...)
	n := 0
	for _, s := range g.staff {
		m := g.members[s]
		if m.role != roleAdmin || m.leave < f.end {
			continue
		}
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = fmt.Appendf(b, "\n      {\n        \"userid\": %q\n      }", wc.ids[m.p])
	}
	b = fmt.Appendf(b, "\n    ],\n    \"member_version\": \"%032x\"\n  }\n}\n", uint64(len(idx))*0x9e3779b97f4a7c15+uint64(g.idx))
	_, err := bw.Write(b)
	return err
}

// writeWCStatistics writes each owner's daily statistics: the sum over
// the owner's groups of what each counted per day (members and speakers
// as WeCom counts them: employees included).
func (w *world) writeWCStatistics(bw *bufio.Writer, days [][]wcDay) error {
	wc, f := w.wc, &w.f
	z := zoneCache{tz: w.cfg.TZ}
	var owners []int32
	for _, o := range wc.owners {
		if !slices.Contains(owners, o) {
			owners = append(owners, o)
		}
	}
	slices.Sort(owners)
	first := max(0, f.days-180)
	for _, o := range owners {
		for d0 := first; d0 < f.days; d0 += 30 {
			d1 := min(d0+30, f.days) // exclusive
			b := fmt.Appendf(nil, `{"day_begin_time":%d,"day_end_time":%d,"owner_filter":{"userid_list":[%q]},"errcode":0,"errmsg":"ok","items":[`,
				z.unix(f.dayStart(d0)), z.unix(f.dayStart(d1-1)), wc.ids[o])
			for d := d0; d < d1; d++ {
				var groups, active, joins, members, speakers, msgs int64
				for gi, g := range w.groups {
					if wc.owners[gi] != o {
						continue
					}
					groups++
					s := days[g.idx][d]
					if s.messages > 0 {
						active++
					}
					joins += int64(s.joins)
					members += int64(s.members)
					speakers += int64(s.speakers)
					msgs += int64(s.messages)
				}
				if d > d0 {
					b = append(b, ',')
				}
				b = fmt.Appendf(b, `{"stat_time":%d,"data":{"new_chat_cnt":0,"chat_total":%d,"chat_has_msg":%d,"new_member_cnt":%d,"member_total":%d,"member_has_msg":%d,"msg_total":%d,"migrate_trainee_chat_cnt":0}}`,
					z.unix(f.dayStart(d)), groups, active, joins, members, speakers, msgs)
			}
			b = append(b, "]}\n"...)
			if _, err := bw.Write(b); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeWCCustomers writes the customer list: every customer who was ever
// in a group, followed by the owner of their first group, 100 a response.
func (w *world) writeWCCustomers(bw *bufio.Writer) error {
	wc := w.wc
	z := zoneCache{tz: w.cfg.TZ}
	type entry struct {
		p      int32
		follow int32
	}
	var list []entry
	for i, p := range w.persons {
		if p.staff || !p.joined || len(p.spans) == 0 {
			continue
		}
		first := p.spans[0]
		for _, s := range p.spans[1:] {
			if s.from < first.from {
				first = s
			}
		}
		list = append(list, entry{int32(i), wc.owners[first.g]})
	}
	for start := 0; start < len(list); start += 100 {
		end := min(start+100, len(list))
		b := []byte(`{"errcode":0,"errmsg":"ok","external_contact_list":[`)
		for k, e := range list[start:end] {
			p := w.persons[e.p]
			if k > 0 {
				b = append(b, ',')
			}
			b = fmt.Appendf(b, `{"external_contact":{"external_userid":%q,"name":`, wc.ids[e.p])
			b = appendJSONString(b, []byte(p.name))
			b = fmt.Appendf(b, `,"type":1,"gender":%d`, 1+int(e.p)%2)
			if u := wc.unionids[e.p]; u != "" {
				b = fmt.Appendf(b, `,"unionid":%q`, u)
			}
			b = fmt.Appendf(b, `},"follow_info":{"userid":%q,"remark":`, wc.ids[e.follow])
			b = appendJSONString(b, []byte(p.nick))
			b = fmt.Appendf(b, `,"createtime":%d,"tag_id":[],"add_way":1}}`, z.unix(p.firstJoin)-3600)
		}
		next := ""
		if end < len(list) {
			next = wcHash("c", strconv.Itoa(end), 20)
		}
		b = fmt.Appendf(b, "],\"next_cursor\":%q}\n", next)
		if _, err := bw.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// writeWCOrders writes the orders keyed by unionid.
func (w *world) writeWCOrders(bw *bufio.Writer) error {
	cw := csv.NewWriter(bw)
	if err := cw.Write([]string{"order_id", "customer_key", "ordered_at", "amount", "currency", "product", "status"}); err != nil {
		return err
	}
	z := zoneCache{tz: w.cfg.TZ}
	for _, o := range w.orders {
		amount := strconv.FormatInt(o.cents/100, 10) + "." + pad2(int(o.cents%100))
		at := time.Unix(z.unix(o.t), 0).In(w.cfg.TZ).Format(time.RFC3339)
		if err := cw.Write([]string{"WX" + o.id, unionID(o.key), at, amount, "CNY", o.product, o.status}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
