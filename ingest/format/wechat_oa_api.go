package format

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"time"
)

// WeChatOAAPI reads what the official account data API (数据统计, the
// datacube endpoints) returns, saved as JSON: {"list": [...]}. Layouts
// from developers.weixin.qq.com/doc/service/api/wedata/ (user/
// api_getusersummary, user/api_getusercumulate, news/api_getarticlesummary,
// news/api_getarticletotal) and wechatpy's fixtures of the same answers
// (tests/fixtures/datacube_*.json):
//
//   - getusersummary: per day and user_source (0 其他合计, 1 公众号搜索,
//     17 名片分享, 30 扫描二维码, 57 文章内账号名称, 100 微信广告...) new_user
//     and cancel_user: a Follows row per source, and one per day over all
//     sources (their sum);
//   - getusercumulate: per day cumulate_user: the day's followers;
//   - getarticlesummary: per day (ref_date) and article (msgid "10000050_1",
//     title) the day's int_page_read_user/count, ori_page_read_user/count,
//     share_user/count, add_to_fav_user/count;
//   - getarticletotal: per article published on ref_date, details by
//     stat_date with the same fields counted from publication up to that
//     day, and int_page_from_{session,hist_msg,feed,friends,other}_read_
//     user/count by channel: turned into each day's numbers (the
//     difference from the detail before); a detail whose totals fall is
//     rejected with its line.
//
// An answer that is an error ({"errcode": 40001, "errmsg": ...}) fails the
// file with the platform's words. The account is named by the file's name
// (星河科技_getusersummary.json), as for the backend's downloads.
type WeChatOAAPI struct{}

func (WeChatOAAPI) Name() string { return "wechat-oa-api" }

func (WeChatOAAPI) Detect(_ string, head []byte) bool {
	h := bytes.TrimLeft(head, " \t\r\n")
	if len(h) == 0 || h[0] != '{' {
		return false
	}
	// An error answer is claimed whoever asked (its words are the
	// platform's); a successful WeCom answer also has errcode 0 and errmsg,
	// and is left to its own parser.
	if bytes.Contains(h, []byte(`"errmsg"`)) && len(h) < 512 && oaErrorCode.Match(h) {
		return true
	}
	return bytes.Contains(h, []byte(`"list"`)) && bytes.Contains(h, []byte(`"ref_date"`)) &&
		(bytes.Contains(h, []byte(`"new_user"`)) || bytes.Contains(h, []byte(`"cancel_user"`)) ||
			bytes.Contains(h, []byte(`"cumulate_user"`)) || bytes.Contains(h, []byte(`"msgid"`)))
}

// oaErrorCode finds a non-zero errcode: an answer that is only an error.
var oaErrorCode = regexp.MustCompile(`"errcode"\s*:\s*-?[1-9]`)

// oaFields are the API's numeric fields ckpi reads, by index.
var oaFields = []string{
	"new_user", "cancel_user", "cumulate_user",
	"int_page_read_user", "int_page_read_count", "ori_page_read_user", "ori_page_read_count",
	"share_user", "share_count", "add_to_fav_user", "add_to_fav_count",
	"int_page_from_session_read_user", "int_page_from_session_read_count",
	"int_page_from_hist_msg_read_user", "int_page_from_hist_msg_read_count",
	"int_page_from_feed_read_user", "int_page_from_feed_read_count",
	"int_page_from_friends_read_user", "int_page_from_friends_read_count",
	"int_page_from_other_read_user", "int_page_from_other_read_count",
}

const (
	oaNew = iota
	oaCancel
	oaCumulate
	oaReadUser
	oaReadCount
	oaOriUser
	oaOriCount
	oaShareUser
	oaShareCount
	oaFavUser
	oaFavCount
	oaChannels // the first of the (user, count) pairs by channel
)

// oaChannelNames are the channels of the pairs from oaChannels on.
var oaChannelNames = []string{"session", "hist_msg", "feed", "friends", "other"}

var oaFieldIndex = func() map[string]int {
	m := map[string]int{}
	for i, f := range oaFields {
		m[f] = i
	}
	return m
}()

// oaNFields is len(oaFields): the pairs by channel follow the others.
const oaNFields = oaChannels + 2*5

// oaCounts are the numeric fields of an entry or a detail.
type oaCounts struct {
	v   [oaNFields]int64
	has [oaNFields]bool
}

type oaDetail struct {
	stat time.Time
	line int64
	n    oaCounts
}

type oaEntry struct {
	refDate, msgid, title []byte
	source                int
	hasSource             bool
	n                     oaCounts
	details               []oaDetail
	day                   time.Time
}

// oaDay sums a day's getusersummary rows over the sources.
type oaDay struct {
	line          int64
	added, cancel int64
}

type oaParser struct {
	w       *jsonWalk
	sink    Sink
	acct    Account
	loc     *time.Location
	cur     oaEntry
	days    map[time.Time]*oaDay
	sawList bool
}

func (WeChatOAAPI) Parse(ctx context.Context, in Input, sink Sink) error {
	p := &oaParser{w: newJSONWalk(ctx, in, "wechat-oa-api", sink), sink: sink,
		acct: accountOf(in.Path), loc: in.Location(Group{}), days: map[time.Time]*oaDay{}}
	defer p.w.release()
	return p.run()
}

func (p *oaParser) run() error {
	w := p.w
	if err := w.enter('{', "a JSON object (the data API answers {\"list\": [...]})"); err != nil {
		return err
	}
	var errcode, errmsg string
	for n := 0; ; {
		k, err := w.key(&n)
		if err != nil {
			return err
		}
		if k == nil {
			break
		}
		switch string(k) {
		case "list":
			p.sawList = true
			err = w.records("list entries", p)
		case "errcode":
			errcode, err = w.idOf()
		case "errmsg":
			errmsg, err = w.stringOf()
		default:
			err = w.skip()
		}
		if err != nil {
			return err
		}
	}
	if err := w.finish(); err != nil {
		return err
	}
	if errcode != "" && errcode != "0" {
		return &ParseError{Format: w.format, Path: w.path, Line: 1,
			Msg: fmt.Sprintf("the data API answered an error, not data: errcode %s (%s)", errcode, errmsg)}
	}
	if !p.sawList {
		return &ParseError{Format: w.format, Path: w.path, Line: 1, Msg: `no "list" array: not an answer of the data API`}
	}
	// The day totals of getusersummary, in time order.
	days := make([]time.Time, 0, len(p.days))
	for d := range p.days {
		days = append(days, d)
	}
	sort.Slice(days, func(i, j int) bool { return days[i].Before(days[j]) })
	for _, d := range days {
		s := p.days[d]
		f := Follows{Account: p.acct, Day: d, Source: FollowAll, New: s.added, Cancel: s.cancel, Cumulate: NoCount, Line: s.line}
		if err := p.sink.Follows(&f); err != nil {
			return err
		}
	}
	return nil
}

func (p *oaParser) read(line int64) error {
	w := p.w
	if w.ws() != '{' {
		w.reject("not an object")
		return w.skip()
	}
	if err := w.enter('{', "an object"); err != nil {
		return err
	}
	c := &p.cur
	c.refDate, c.msgid, c.title = c.refDate[:0], c.msgid[:0], c.title[:0]
	c.hasSource, c.n, c.details = false, oaCounts{}, c.details[:0]
	for n := 0; ; {
		k, err := w.key(&n)
		if err != nil {
			return err
		}
		if k == nil {
			break
		}
		switch key := string(k); key {
		case "ref_date":
			c.refDate, err = w.appendStr(key, c.refDate)
		case "msgid":
			c.msgid, err = w.appendID(key, c.msgid)
		case "title":
			c.title, err = w.appendStr(key, c.title)
		case "user_source":
			var v int64
			var ok bool
			if v, ok, err = p.integer(key); ok {
				c.source, c.hasSource = int(v), true
			}
		case "details":
			err = p.details()
		default:
			if i, ok := oaFieldIndex[key]; ok {
				err = p.field(key, &c.n, i)
			} else {
				err = w.skip()
			}
		}
		if err != nil {
			return err
		}
	}
	day, ok := parseDay(string(c.refDate), p.loc)
	switch {
	case len(c.refDate) == 0:
		w.reject("no ref_date")
	case !ok:
		w.reject(fmt.Sprintf("ref_date %q is not a day", c.refDate))
	}
	c.day = day
	return nil
}

// integer reads a whole number (a number, or one written as a string);
// anything else rejects the entry.
func (p *oaParser) integer(key string) (int64, bool, error) {
	w := p.w
	var b []byte
	var err error
	switch c := w.ws(); {
	case c == '"':
		b, err = w.str()
	case c == '-' || c >= '0' && c <= '9':
		b, err = w.number()
	case c == 'n':
		return 0, false, w.literal("null")
	default:
		return 0, false, w.wrongKind(key, "a number")
	}
	if err != nil {
		return 0, false, err
	}
	v, perr := strconv.ParseInt(string(b), 10, 64)
	if perr != nil || v < 0 {
		w.reject(fmt.Sprintf("%s %q is not a count", key, b))
		return 0, false, nil
	}
	return v, true, nil
}

func (p *oaParser) field(key string, n *oaCounts, i int) error {
	v, ok, err := p.integer(key)
	if ok {
		n.v[i], n.has[i] = v, true
	}
	return err
}

// details reads getarticletotal's details array.
func (p *oaParser) details() error {
	w := p.w
	ok, err := w.array("details")
	if !ok || err != nil {
		return err
	}
	for n := 0; ; {
		more, err := w.elem(&n)
		if err != nil || !more {
			return err
		}
		w.ws()
		line := w.lineAt(w.pos)
		if ok, err := w.object("details"); !ok || err != nil {
			return err
		}
		d := oaDetail{line: line}
		var stat []byte
		for m := 0; ; {
			k, err := w.key(&m)
			if err != nil {
				return err
			}
			if k == nil {
				break
			}
			key := string(k)
			if i, ok := oaFieldIndex[key]; ok {
				err = p.field(key, &d.n, i)
			} else if key == "stat_date" {
				stat, err = w.appendStr(key, stat[:0])
			} else {
				err = w.skip()
			}
			if err != nil {
				return err
			}
		}
		t, ok := parseDay(string(stat), p.loc)
		if !ok {
			w.reject(fmt.Sprintf("details stat_date %q is not a day", stat))
		}
		d.stat = t
		p.cur.details = append(p.cur.details, d)
	}
}

func (p *oaParser) emit(line int64) error {
	c := &p.cur
	switch {
	case len(c.msgid) > 0:
		return p.article(line)
	case c.n.has[oaNew] || c.n.has[oaCancel]:
		added, cancel := c.n.v[oaNew], c.n.v[oaCancel]
		d := p.days[c.day]
		if d == nil {
			d = &oaDay{line: line}
			p.days[c.day] = d
		}
		d.added += added
		d.cancel += cancel
		if !c.hasSource {
			return nil // a day's total with no source: the sum is the row
		}
		f := Follows{Account: p.acct, Day: c.day, Source: followSourceOfCode(c.source), New: added, Cancel: cancel, Cumulate: NoCount, Line: line}
		return p.sink.Follows(&f)
	case c.n.has[oaCumulate]:
		f := Follows{Account: p.acct, Day: c.day, Source: FollowAll, New: NoCount, Cancel: NoCount, Cumulate: c.n.v[oaCumulate], Line: line}
		return p.sink.Follows(&f)
	}
	return p.sink.Reject(line, "an entry with neither new_user, cancel_user, cumulate_user nor msgid", p.w.marked())
}

// article sends an article's days: the entry's own day (getarticlesummary)
// or each detail's (getarticletotal, totals turned into the day's numbers).
func (p *oaParser) article(line int64) error {
	c := &p.cur
	base := Content{Account: p.acct, ArticleID: string(c.msgid), Title: string(c.title)}
	if len(c.details) == 0 {
		return p.content(base, c.day, line, &c.n)
	}
	base.Published = c.day
	sort.SliceStable(c.details, func(i, j int) bool { return c.details[i].stat.Before(c.details[j].stat) })
	var prev oaCounts
	for _, d := range c.details {
		var day oaCounts
		fell := ""
		for i := range d.n.v {
			if !d.n.has[i] {
				continue
			}
			day.has[i] = true
			day.v[i] = d.n.v[i] - prev.v[i]
			if day.v[i] < 0 && fell == "" {
				fell = oaFields[i]
			}
		}
		if fell != "" {
			if err := p.sink.Reject(d.line, fmt.Sprintf("details of %s: %s falls from %d to %d: totals since publication never fall", d.stat.Format("2006-01-02"), fell, prev.v[oaFieldIndex[fell]], d.n.v[oaFieldIndex[fell]]), ""); err != nil {
				return err
			}
			continue
		}
		for i := range d.n.v {
			if d.n.has[i] {
				prev.v[i] = d.n.v[i]
			}
		}
		if err := p.content(base, d.stat, d.line, &day); err != nil {
			return err
		}
	}
	return nil
}

// content sends one article day: all channels, then each channel given.
func (p *oaParser) content(base Content, day time.Time, line int64, n *oaCounts) error {
	get := func(i int) int64 {
		if n.has[i] {
			return n.v[i]
		}
		return NoCount
	}
	c := base
	c.Day, c.Line, c.Channel = day, line, ContentAll
	c.ReadUsers, c.Reads = get(oaReadUser), get(oaReadCount)
	c.OriginalReadUsers, c.OriginalReads = get(oaOriUser), get(oaOriCount)
	c.ShareUsers, c.Shares = get(oaShareUser), get(oaShareCount)
	c.FavUsers, c.Favs = get(oaFavUser), get(oaFavCount)
	if c.ReadUsers == NoCount && c.Reads == NoCount {
		return p.sink.Reject(line, "an article entry without int_page_read_user or int_page_read_count", "")
	}
	if err := p.sink.Content(&c); err != nil {
		return err
	}
	for k, name := range oaChannelNames {
		u, r := get(oaChannels+2*k), get(oaChannels+2*k+1)
		if u == NoCount && r == NoCount {
			continue
		}
		ch := Content{Account: base.Account, ArticleID: base.ArticleID, Title: base.Title, Published: base.Published,
			Day: day, Channel: name, ReadUsers: u, Reads: r, Line: line,
			OriginalReadUsers: NoCount, OriginalReads: NoCount, ShareUsers: NoCount, Shares: NoCount, FavUsers: NoCount, Favs: NoCount}
		if err := p.sink.Content(&ch); err != nil {
			return err
		}
	}
	return nil
}
