package format

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// WeChatOAGrowth reads the WeChat official account backend's user growth
// download (公众号后台 → 数据 → 用户分析 → 用户增长 → 下载), saved as CSV or
// .xlsx: one row per day, Chinese headers 时间, 新关注人数, 取消关注人数,
// 净增关注人数, 累积关注人数, and, when the download breaks new follows
// down by source, a column per source (搜一搜, 扫描二维码, 名片分享,
// 文章内账号名称, 支付后关注, 微信广告, 其他...). Layout as the backend's
// help and the tools that read it name the columns: the field list of
// mp.weixin.qq.com's 用户增长 table (新关注人数, 取消关注人数, 净增关注人数,
// 累积关注人数: developers.weixin.qq.com community threads and the API's
// getusersummary page), a scraper writing the same table
// (时间, 新关注人数, 取消关注人数, 净增关注人数, 累积关注人数, 搜索公众号名称,
// 搜索微信号, 图文页右上角菜单, 名片分享, 其他) and an importer of the
// downloads that accepts 时间/日期, 新增关注/新关注人数, 累计/累积关注人数
// and numbers with thousands separators ("3,593"). The old binary .xls is
// not read: save it as .xlsx or CSV.
//
// Each day gives a Follows row for all sources, and one per source column
// with that source's new follows. A row whose 净增关注人数 is not 新关注人数
// - 取消关注人数 is rejected, as is a day that is not a date; a 合计 row is
// derived from the others and skipped. The account is named by the file's
// name before its layout word (星河科技-用户增长.csv), else the default one.
type WeChatOAGrowth struct{}

// WeChatOAContent reads a per-day article table of the backend (内容分析 /
// 图文分析 → 单篇 → 数据趋势 → 下载, or any table with the same columns):
// 标题, 日期 (or 时间), 阅读人数 and optionally 阅读次数, 分享人数, 分享次数,
// 收藏人数, 收藏次数, 阅读原文人数, 阅读原文次数, 发表时间, 链接 and 渠道.
// An article is keyed by its msgid (a column, or mid and idx in its link),
// else by its title. A table of totals per article without days is refused:
// reach is counted per day.
type WeChatOAContent struct{}

var oaGrowthSpec = func() *tableSpec {
	s := &tableSpec{
		format: "wechat-oa-growth",
		required: []tableField{
			{"date", []string{"时间", "日期", "统计日期", "ref_date"}},
			{"new", []string{"新关注人数", "新增关注人数", "新增关注", "新关注", "new_user"}},
		},
		optional: []tableField{
			{"cancel", []string{"取消关注人数", "取消关注", "cancel_user"}},
			{"net", []string{"净增关注人数", "净增关注", "净增人数", "net_user"}},
			{"cumulate", []string{"累积关注人数", "累计关注人数", "累积关注", "累计关注", "累积人数", "cumulate_user"}},
		},
	}
	for _, src := range followSources {
		s.optional = append(s.optional, tableField{"source:" + src.code, src.words})
	}
	return s
}()

var oaContentSpec = &tableSpec{
	format: "wechat-oa-content",
	required: []tableField{
		{"title", []string{"标题", "文章标题", "图文标题", "内容标题"}},
		{"read_users", []string{"阅读人数", "图文阅读人数", "图文页阅读人数", "int_page_read_user"}},
	},
	optional: []tableField{
		{"date", []string{"日期", "时间", "统计日期", "ref_date"}},
		{"reads", []string{"阅读次数", "图文阅读次数", "图文页阅读次数", "int_page_read_count"}},
		{"share_users", []string{"分享人数", "分享转发人数", "share_user"}},
		{"shares", []string{"分享次数", "分享转发次数", "share_count"}},
		{"fav_users", []string{"收藏人数", "微信收藏人数", "add_to_fav_user"}},
		{"favs", []string{"收藏次数", "微信收藏次数", "add_to_fav_count"}},
		{"ori_users", []string{"阅读原文人数", "原文页阅读人数", "ori_page_read_user"}},
		{"ori", []string{"阅读原文次数", "原文页阅读次数", "ori_page_read_count"}},
		{"published", []string{"发表时间", "发布时间", "群发时间", "发表日期"}},
		{"msgid", []string{"msgid", "文章id", "图文id"}},
		{"url", []string{"链接", "文章链接", "url"}},
		{"channel", []string{"渠道", "来源", "流量来源", "阅读来源"}},
	},
}

func (WeChatOAGrowth) Name() string  { return "wechat-oa-growth" }
func (WeChatOAContent) Name() string { return "wechat-oa-content" }

func (WeChatOAGrowth) Detect(name string, head []byte) bool {
	return detectOATable(name, head, oaGrowthSpec, func(s *tableSpec, header []string) bool {
		cols := s.matchHeader(header)
		return len(cols["date"]) > 0 && len(cols["new"]) > 0 && (len(cols["cumulate"]) > 0 || len(cols["cancel"]) > 0)
	})
}

func (WeChatOAContent) Detect(name string, head []byte) bool {
	return detectOATable(name, head, oaContentSpec, func(s *tableSpec, header []string) bool {
		cols := s.matchHeader(header)
		return len(cols["title"]) > 0 && len(cols["read_users"]) > 0 && (len(cols["date"]) > 0 || len(cols["published"]) > 0)
	})
}

// detectOATable checks the header of a CSV head, or of an .xlsx file's
// first sheet.
func detectOATable(name string, head []byte, spec *tableSpec, ok func(*tableSpec, []string) bool) bool {
	if isZip(head) {
		if !strings.EqualFold(filepath.Ext(name), ".xlsx") {
			return false
		}
		header, err := xlsxHeader(name)
		return err == nil && ok(spec, header)
	}
	header := firstRecord(head)
	return header != nil && ok(spec, header)
}

// eachOARow reads a CSV (the loader's decoded text) or an .xlsx (from its
// path: the first sheet), calling fn with each row that is not blank.
func eachOARow(ctx context.Context, in Input, sink Sink, spec *tableSpec, fn func(t *boTable, rec []string) (string, error)) error {
	if in.R != nil {
		br := bufferedInput(in.R)
		if head, _ := br.Peek(4); isZip(head) {
			return eachXLSXRow(ctx, in, sink, spec, fn)
		}
		in.R = br
		t, err := openTable(in, spec, nil)
		if err != nil {
			return err
		}
		return t.each(ctx, sink, func(rec []string) (string, error) {
			if blankRow(rec) {
				return "", nil
			}
			return fn(t, rec)
		})
	}
	return eachXLSXRow(ctx, in, sink, spec, fn)
}

// eachXLSXRow reads the first sheet of the workbook at in.Path.
func eachXLSXRow(ctx context.Context, in Input, sink Sink, spec *tableSpec, fn func(t *boTable, rec []string) (string, error)) error {
	fail := func(line int64, format string, args ...any) error {
		return &ParseError{Format: spec.format, Path: in.Path, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	x, err := openXLSX(in.Path)
	if err != nil {
		return fail(1, "not a readable .xlsx workbook: %v", err)
	}
	defer x.Close()
	sheets := x.GetSheetList()
	if len(sheets) == 0 {
		return fail(1, "a workbook without sheets")
	}
	rows, err := x.Rows(sheets[0])
	if err != nil {
		return fail(1, "sheet %s: %v", sheets[0], err)
	}
	defer rows.Close()
	if !rows.Next() {
		return fail(1, "sheet %s is empty: no header", sheets[0])
	}
	header, err := rows.Columns()
	if err != nil {
		return fail(1, "sheet %s: %v", sheets[0], err)
	}
	t, err := newTable(spec, nil, in.Path, header)
	if err != nil {
		return err
	}
	for line := int64(2); rows.Next(); line++ {
		if line%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		rec, err := rows.Columns()
		if err != nil {
			return fail(line, "sheet %s: %v", sheets[0], err)
		}
		if blankRow(rec) {
			continue
		}
		t.line = line
		reason, err := fn(t, rec)
		if err != nil {
			return err
		}
		if reason != "" {
			sink.Reject(line, reason, t.raw(rec)) //nolint:errcheck // the loader's sink does not fail on rejects
		}
	}
	return rows.Close()
}

// count reads field f of rec: NoCount when absent or empty, a reason when
// it is not a count, or is negative.
func (t *boTable) count(rec []string, f, label string) (int64, string) {
	v := t.get(rec, f)
	n, present, ok := parseCount(v)
	switch {
	case !ok || n < 0:
		return 0, fmt.Sprintf("%s %q is not a count", label, v)
	case !present:
		return NoCount, ""
	}
	return n, ""
}

// sum adds up every column of field f (a source the download splits in
// two, 搜索公众号名称 and 搜索微信号); false when none has a number.
func (t *boTable) sum(rec []string, f string) (int64, bool, string) {
	var total int64
	any := false
	for _, i := range t.cols[f] {
		if i >= len(rec) {
			continue
		}
		n, present, ok := parseCount(rec[i])
		if !ok || n < 0 {
			return 0, false, fmt.Sprintf("%s %q is not a count", t.header[i], rec[i])
		}
		if present {
			total += n
			any = true
		}
	}
	return total, any, ""
}

func (WeChatOAGrowth) Parse(ctx context.Context, in Input, sink Sink) error {
	acct := accountOf(in.Path)
	loc := in.Location(Group{})
	var f Follows
	return eachOARow(ctx, in, sink, oaGrowthSpec, func(t *boTable, rec []string) (string, error) {
		date := t.get(rec, "date")
		if totalRow(date) {
			return "", nil
		}
		day, ok := parseDay(date, loc)
		if !ok {
			return fmt.Sprintf("时间 %q is not a day (want 2026-11-16, 2026/11/16 or 2026年11月16日)", date), nil
		}
		added, why := t.count(rec, "new", "新关注人数")
		if why == "" && added == NoCount {
			why = "no 新关注人数"
		}
		cancel, why2 := t.count(rec, "cancel", "取消关注人数")
		cum, why3 := t.count(rec, "cumulate", "累积关注人数")
		netText := t.get(rec, "net")
		net, hasNet, ok := parseCount(netText)
		if !ok {
			why3 = fmt.Sprintf("净增关注人数 %q is not a count", netText)
		}
		for _, w := range []string{why, why2, why3} {
			if w != "" {
				return w, nil
			}
		}
		switch {
		case hasNet && cancel != NoCount && net != added-cancel:
			return fmt.Sprintf("净增关注人数 %d is not 新关注人数 %d - 取消关注人数 %d", net, added, cancel), nil
		case cancel == NoCount && hasNet:
			cancel = added - net
			if cancel < 0 {
				return fmt.Sprintf("净增关注人数 %d exceeds 新关注人数 %d", net, added), nil
			}
		}
		// The source rows are checked before anything is sent, so a row is
		// kept whole or rejected whole.
		var bySource [16]int64
		var has [16]bool
		for i, src := range followSources {
			n, any, why := t.sum(rec, "source:"+src.code)
			if why != "" {
				return why, nil
			}
			bySource[i], has[i] = n, any
		}
		f = Follows{Account: acct, Day: day, Source: FollowAll, New: added, Cancel: cancel, Cumulate: cum, Line: t.line}
		if err := sink.Follows(&f); err != nil {
			return "", err
		}
		for i, src := range followSources {
			if !has[i] {
				continue
			}
			f = Follows{Account: acct, Day: day, Source: src.code, New: bySource[i], Cancel: NoCount, Cumulate: NoCount, Line: t.line}
			if err := sink.Follows(&f); err != nil {
				return "", err
			}
		}
		return "", nil
	})
}

// contentChannels maps the words of a 渠道 column to the channels of
// getarticletotal's int_page_from_* fields.
var contentChannels = map[string]string{
	"公众号消息": "session", "公众号会话": "session", "会话": "session",
	"历史消息": "hist_msg", "历史消息页": "hist_msg", "公众号主页": "hist_msg",
	"朋友圈": "feed", "好友转发": "friends", "聊天会话": "friends", "朋友在看": "friends",
	"其他": "other", "全部": ContentAll, "合计": ContentAll,
}

// articleLink finds mid and idx in an article's link
// (https://mp.weixin.qq.com/s?__biz=...&mid=2247483650&idx=1&sn=...): the
// msgid the data API gives the same article ("2247483650_1").
var articleLink = regexp.MustCompile(`[?&]mid=(\d+)&(?:amp;)?idx=(\d+)`)

func (WeChatOAContent) Parse(ctx context.Context, in Input, sink Sink) error {
	acct := accountOf(in.Path)
	loc := in.Location(Group{})
	var c Content
	return eachOARow(ctx, in, sink, oaContentSpec, func(t *boTable, rec []string) (string, error) {
		if !t.has("date") {
			return "", &ParseError{Format: oaContentSpec.format, Path: in.Path, Line: 1,
				Msg: "a table of totals per article, without a day per row: download the per-day trend (数据趋势明细) of each article, or the data API's getarticlesummary"}
		}
		title, date := t.get(rec, "title"), t.get(rec, "date")
		if totalRow(title) || totalRow(date) {
			return "", nil
		}
		if title == "" {
			return "no 标题", nil
		}
		day, ok := parseDay(date, loc)
		if !ok {
			return fmt.Sprintf("日期 %q is not a day (want 2026-11-16, 2026/11/16 or 2026年11月16日)", date), nil
		}
		c = Content{Account: acct, Title: title, Day: day, Channel: ContentAll, Line: t.line}
		fields := []struct {
			name, label string
			dst         *int64
		}{
			{"read_users", "阅读人数", &c.ReadUsers}, {"reads", "阅读次数", &c.Reads},
			{"share_users", "分享人数", &c.ShareUsers}, {"shares", "分享次数", &c.Shares},
			{"fav_users", "收藏人数", &c.FavUsers}, {"favs", "收藏次数", &c.Favs},
			{"ori_users", "阅读原文人数", &c.OriginalReadUsers}, {"ori", "阅读原文次数", &c.OriginalReads},
		}
		for _, f := range fields {
			n, why := t.count(rec, f.name, f.label)
			if why != "" {
				return why, nil
			}
			*f.dst = n
		}
		if c.ReadUsers == NoCount {
			return "no 阅读人数", nil
		}
		if p := t.get(rec, "published"); p != "" {
			pt, err := parseFlexTime(p, loc)
			if err != nil {
				return fmt.Sprintf("发表时间 %q is not a time", p), nil
			}
			c.Published = pt
		}
		if ch := t.get(rec, "channel"); ch != "" {
			if code, ok := contentChannels[ch]; ok {
				c.Channel = code
			} else {
				c.Channel = strings.ToLower(ch)
			}
		}
		switch id := t.id(rec, "msgid"); {
		case id != "":
			c.ArticleID = id
		case articleLink.MatchString(t.get(rec, "url")):
			m := articleLink.FindStringSubmatch(t.get(rec, "url"))
			c.ArticleID = m[1] + "_" + m[2]
		case !c.Published.IsZero():
			c.ArticleID = "title:" + c.Published.In(loc).Format("2006-01-02") + ":" + title
		default:
			c.ArticleID = "title:" + title
		}
		return "", sink.Content(&c)
	})
}

// dayOf is the local day of t, as an instant.
func dayOf(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return dayStart(t.Year(), t.Month(), t.Day(), loc)
}
