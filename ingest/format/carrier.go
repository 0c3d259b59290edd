package format

// Carriers beside chat groups: a WeChat official account (公众号) has
// followers and articles, not members and messages, so its exports go to
// rows of their own (Follows, Content) that the loader keeps in tables of
// their own. A forum is group-like and uses the chat rows (discourse.go).

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Account is a carrier that is not a group.
type Account struct {
	Platform   string // PlatformWeChatOA
	ExternalID string // the name the files give it, or "default"
	Name       string
}

// PlatformWeChatOA is the platform of WeChat official accounts.
const PlatformWeChatOA = "wechat-oa"

// NoCount marks a count an export does not give (getusercumulate has no
// new followers, getusersummary no cumulative ones).
const NoCount int64 = -1

// FollowAll is the Source of a day's counts over every follow source.
const FollowAll = "all"

// Follows is one day of an account's followers, for all follow sources
// (Source FollowAll) or for one.
type Follows struct {
	Account Account
	Day     time.Time // the instant the account's local day begins
	Source  string    // FollowAll or a code of followSources
	// New and Cancel are follows and unfollows of the day, Cumulate the
	// followers at its end; NoCount when the export does not give them.
	New, Cancel, Cumulate int64
	Line                  int64
}

// ContentAll is the Channel of an article's day over every channel.
const ContentAll = "all"

// Content is one day of one article: readers (人数) and reads (次数) of
// the article page and of the original ("阅读原文") page, shares and saves.
type Content struct {
	Account   Account
	ArticleID string // the platform's msgid ("2247483650_1"), else a key of the title
	Title     string
	Published time.Time // zero when the export does not say
	Day       time.Time // the instant the account's local day begins
	Channel   string    // ContentAll, or where readers came from (session, hist_msg, feed, friends, other)
	// NoCount where the export does not give the number.
	ReadUsers, Reads, OriginalReadUsers, OriginalReads int64
	ShareUsers, Shares, FavUsers, Favs                 int64
	Line                                               int64
}

// followSources are the follow sources ckpi names, with the data API's
// user_source codes and the backend's words for them. Codes and words:
// developers.weixin.qq.com/doc/service/api/wedata/user/api_getusersummary
// (0 其他合计, 1 公众号搜索, 17 名片分享, 30 扫描二维码, 57 文章内账号名称,
// 100 微信广告, 161 他人转载, 149 小程序关注, 200 视频号, 201 直播) and the
// older list of the same page (35 搜号码, 39 查询微信公众帐号, 43 图文页右上角
// 菜单, 51 支付后关注, 75 公众号文章广告, 78 朋友圈广告); the backend's 用户增长
// download names them 搜一搜, 扫描二维码, 名片分享, 文章内账号名称, 支付后关注,
// 微信广告, 其他.
var followSources = []struct {
	code  string
	api   []int
	words []string
}{
	{"search", []int{1, 35, 39}, []string{"搜一搜", "公众号搜索", "搜索公众号名称", "搜索微信号", "搜号码", "查询微信公众帐号"}},
	{"qr", []int{30}, []string{"扫描二维码", "扫二维码", "扫码"}},
	{"card_share", []int{17}, []string{"名片分享"}},
	{"article", []int{57, 43}, []string{"文章内账号名称", "图文页内公众号名称", "图文页右上角菜单"}},
	{"payment", []int{51}, []string{"支付后关注"}},
	{"ads", []int{100, 75, 78}, []string{"微信广告", "公众号文章广告", "朋友圈广告", "广告"}},
	{"repost", []int{161}, []string{"他人转载"}},
	{"mini_program", []int{149}, []string{"小程序关注", "小程序"}},
	{"channels", []int{200}, []string{"视频号"}},
	{"live", []int{201}, []string{"直播"}},
	{"other", []int{0}, []string{"其他", "其他合计"}},
}

// followSourceOfCode is the source of an API user_source code; a code no
// list names keeps its number ("code_88").
func followSourceOfCode(n int) string {
	for _, s := range followSources {
		for _, c := range s.api {
			if c == n {
				return s.code
			}
		}
	}
	return "code_" + strconv.Itoa(n)
}

// accountWords are the words a downloaded or saved file is named by after
// the account's name: 星河科技-用户增长.csv, 星河科技_getusersummary.json.
var accountWords = []string{"用户增长", "用户分析", "图文分析", "内容分析", "群发分析", "数据趋势",
	"getusersummary", "getusercumulate", "getarticlesummary", "getarticletotal", "usersummary",
	"usercumulate", "articlesummary", "articletotal", "user_growth", "user-growth", "articles", "content"}

var browserCopy = regexp.MustCompile(` ?\(\d+\)$`)

// accountOf is the account a file belongs to: the exports name none, so
// the file's name does, before the layout's word ("星河科技-用户增长.csv");
// a file named only by its layout is the default account's.
func accountOf(path string) Account {
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	base = browserCopy.ReplaceAllString(base, "")
	lower := strings.ToLower(base)
	cut := -1
	for _, w := range accountWords {
		if i := strings.Index(lower, w); i >= 0 && (cut < 0 || i < cut) {
			cut = i
		}
	}
	if cut > 0 {
		if name := strings.Trim(base[:cut], " -_.·"); name != "" {
			return Account{Platform: PlatformWeChatOA, ExternalID: name, Name: name}
		}
	}
	return Account{Platform: PlatformWeChatOA, ExternalID: "default", Name: "公众号"}
}

// parseCount reads a count as back offices write it ("3,593", "1 217
// 056", "-12"); present is false for "" and "-", ok false for anything
// that is not a whole number.
func parseCount(s string) (n int64, present, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" || s == "-" || s == "--" {
		return 0, false, true
	}
	clean := strings.Map(func(r rune) rune {
		switch r {
		case ',', ' ', '\u00a0', '，':
			return -1
		}
		return r
	}, s)
	// A spreadsheet writes a whole number cell as "12" or "12.0".
	clean = strings.TrimSuffix(clean, ".0")
	v, err := strconv.ParseInt(clean, 10, 64)
	if err != nil {
		return 0, false, false
	}
	return v, true, true
}

// dayStart is the instant day (a civil date) begins in loc.
func dayStart(y int, m time.Month, d int, loc *time.Location) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// parseDay reads a date as the exports write it: 2026-11-16, 2026/11/16,
// 2026年11月16日, 20261116, or an Excel serial day number; a time of day
// after it is refused (a day's counts have none).
func parseDay(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if digitsOnly(s) && len(s) >= 8 {
		if len(s) != 8 {
			return time.Time{}, false // Unix time: a moment, not a day
		}
		t, err := time.ParseInLocation("20060102", s, loc)
		return t, err == nil
	}
	if serial, ok := excelSerial(s); ok && !strings.ContainsAny(s, "-/年") {
		t := excelTime(serial, loc)
		if t.IsZero() || t.Hour() != 0 || t.Minute() != 0 {
			return time.Time{}, false
		}
		return t, true
	}
	t, err := parseFlexTime(s, loc)
	if err != nil {
		return time.Time{}, false
	}
	t = t.In(loc)
	if t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0 {
		return time.Time{}, false
	}
	return dayStart(t.Year(), t.Month(), t.Day(), loc), true
}

// totalRow reports whether a first cell marks a sum row a back office
// appends (合计, 总计): derived from the rows above, not data.
func totalRow(s string) bool {
	switch headerKey(s) {
	case "合计", "总计", "汇总", "total", "sum":
		return true
	}
	return false
}
