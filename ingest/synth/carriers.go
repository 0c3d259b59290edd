package synth

// The community's carriers beside its groups (Config.Carriers): a WeChat
// official account, as its backend's 用户增长 download (CSV) and the data
// API's getarticlesummary answer, and a Discourse forum, as topic pages
// (/t/{id}.json) and its /categories.json. The account's new followers
// include everyone who joined a group from it (the official_account
// channel of members.csv), so the funnel follower -> member -> buyer holds.
// Both come from a random stream of their own: the groups, members and
// orders are the same with or without them.

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// AccountName names the generated official account (its files' names).
const AccountName = "星河社区"

// carrierStats is what writeCarriers wrote.
type carrierStats struct {
	files             []string
	bytes             int64
	followDays        int64
	articles          int64
	topics, posts     int64
	forumCategories   int64
	followersAtTheEnd int64
}

// instant is the moment of civil second t in the configured zone.
func (w *world) instant(t int64) time.Time {
	u := time.Unix(t, 0).UTC()
	return time.Date(u.Year(), u.Month(), u.Day(), u.Hour(), u.Minute(), u.Second(), 0, w.cfg.TZ)
}

// oaJoinsByDay counts the joins from the official account on each day.
func (w *world) oaJoinsByDay() []int {
	n := make([]int, w.f.days)
	for _, g := range w.groups {
		for _, m := range g.members {
			if m.channel != "official_account" || m.join < w.f.start || m.join >= w.f.end {
				continue
			}
			n[(m.join-w.f.start)/day]++
		}
	}
	return n
}

// followSourceColumns are the 用户增长 download's source columns, with the
// share of new followers each brings.
var followSourceColumns = []struct {
	name  string
	share float64
}{
	{"搜一搜", 0.25}, {"扫描二维码", 0.35}, {"名片分享", 0.07}, {"文章内账号名称", 0.15},
	{"支付后关注", 0.03}, {"微信广告", 0.10}, {"其他", 0.05},
}

func (w *world) writeCarriers(dir string) (carrierStats, error) {
	var st carrierStats
	r := rand.New(rand.NewPCG(uint64(w.cfg.Seed), 0x6a09e667f3bcc909))
	oa := filepath.Join(dir, "official_account")
	forum := filepath.Join(dir, "forum")
	for _, d := range []string{oa, forum} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return st, err
		}
	}
	write := func(path string, fill func(*bufio.Writer) error) error {
		n, err := writeFile(path, fill)
		st.bytes += n
		st.files = append(st.files, path)
		return err
	}

	// The user growth download: a day's new followers are those who joined
	// a group from the account, and as many again and more who did not.
	joins := w.oaJoinsByDay()
	followers := make([]int64, w.f.days)
	cum := int64(6000)
	err := write(filepath.Join(oa, AccountName+"-用户增长.csv"), func(bw *bufio.Writer) error {
		cw := csv.NewWriter(bw)
		header := []string{"时间", "新关注人数", "取消关注人数", "净增关注人数", "累积关注人数"}
		for _, s := range followSourceColumns {
			header = append(header, s.name)
		}
		if err := cw.Write(header); err != nil {
			return err
		}
		for d := range w.f.days {
			added := 2*joins[d] + 6 + r.IntN(14)
			if weekday(d) >= 5 {
				added += 5
			}
			lost := r.IntN(added/3 + 3)
			cum += int64(added - lost)
			followers[d] = cum
			by := make([]int, len(followSourceColumns))
			for range added {
				u := r.Float64()
				k := len(by) - 1
				for i, s := range followSourceColumns {
					if u -= s.share; u < 0 {
						k = i
						break
					}
				}
				by[k]++
			}
			rec := []string{string(w.f.dates[d][:10]), strconv.Itoa(added), strconv.Itoa(lost), strconv.Itoa(added - lost), strconv.FormatInt(cum, 10)}
			for _, n := range by {
				rec = append(rec, strconv.Itoa(n))
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
			st.followDays++
		}
		cw.Flush()
		return cw.Error()
	})
	if err != nil {
		return st, err
	}
	st.followersAtTheEnd = cum

	// Articles: one on Tuesdays and Fridays at 20:30, read for four days.
	type entry struct {
		RefDate   string `json:"ref_date"`
		MsgID     string `json:"msgid"`
		Title     string `json:"title"`
		ReadUser  int    `json:"int_page_read_user"`
		ReadCount int    `json:"int_page_read_count"`
		OriUser   int    `json:"ori_page_read_user"`
		OriCount  int    `json:"ori_page_read_count"`
		ShareUser int    `json:"share_user"`
		Share     int    `json:"share_count"`
		FavUser   int    `json:"add_to_fav_user"`
		Fav       int    `json:"add_to_fav_count"`
	}
	var list []entry
	for d := range w.f.days {
		if weekday(d) != 1 && weekday(d) != 4 {
			continue
		}
		k := int(st.articles)
		st.articles++
		title := articleTitles[k%len(articleTitles)]
		if k >= len(articleTitles) {
			title += fmt.Sprintf("（%d）", k/len(articleTitles)+1)
		}
		reach := 0.10 + 0.08*r.Float64()
		for age, decay := range []float64{1, 0.35, 0.12, 0.05} {
			if d+age >= w.f.days {
				break
			}
			readers := int(float64(followers[d]) * reach * decay)
			e := entry{RefDate: string(w.f.dates[d+age][:10]), MsgID: fmt.Sprintf("22474836%02d_1", k%100), Title: title,
				ReadUser: readers, ReadCount: readers + readers/4 + r.IntN(20)}
			e.OriUser = readers * (2 + r.IntN(3)) / 100
			e.OriCount = e.OriUser + e.OriUser/10
			e.ShareUser = readers * (4 + r.IntN(5)) / 100
			e.Share = e.ShareUser + e.ShareUser/5
			e.FavUser = readers * (1 + r.IntN(3)) / 100
			e.Fav = e.FavUser
			list = append(list, e)
		}
	}
	err = write(filepath.Join(oa, AccountName+"_getarticlesummary.json"), func(bw *bufio.Writer) error {
		enc := json.NewEncoder(bw)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", " ")
		return enc.Encode(map[string]any{"list": list})
	})
	if err != nil {
		return st, err
	}
	return st, w.writeForum(forum, r, &st, write)
}

var articleTitles = []string{
	"新品发布：星河 Pro 上手体验", "用户故事：小张的第一台星河", "十个你不知道的同步技巧", "社群活动回顾：城市见面会",
	"售后常见问题一次讲清", "星河会员日福利来了", "从零开始的效率工作流", "年度更新路线图",
}

// forumCategories are the generated forum's categories.
var forumCategories = []struct {
	id   int
	name string
}{{5, "产品讨论"}, {6, "使用技巧"}, {7, "活动反馈"}}

var forumOpeners = []string{
	"新版本的同步功能怎么打开？", "导出数据在哪里设置？", "分享一下我的桌面布局", "周末的见面会有人一起吗？",
	"电池续航比上一代好多少？", "求推荐配件", "更新后卡顿怎么办？", "我的使用心得",
}

var forumReplies = []string{
	"同问", "我也遇到过", "谢谢分享！", "试了一下可以了", "顶一下", "有同样的需求", "学到了", "期待更新",
}

type dsPostOut struct {
	ID          int     `json:"id"`
	Name        string  `json:"name"`
	Username    string  `json:"username"`
	CreatedAt   string  `json:"created_at"`
	Cooked      string  `json:"cooked"`
	PostNumber  int     `json:"post_number"`
	PostType    int     `json:"post_type"`
	ReplyTo     *int    `json:"reply_to_post_number"`
	TopicID     int     `json:"topic_id"`
	Moderator   bool    `json:"moderator"`
	Admin       bool    `json:"admin"`
	Staff       bool    `json:"staff"`
	UserID      int     `json:"user_id"`
	DeletedAt   *string `json:"deleted_at"`
	UserDeleted bool    `json:"user_deleted"`
}

// writeForum writes three categories' topics: about five a week, each
// with a few replies over the next two days; questions are answered by a
// moderator or the admin within minutes to hours.
func (w *world) writeForum(dir string, r *rand.Rand, st *carrierStats, write func(string, func(*bufio.Writer) error) error) error {
	type user struct {
		id               int
		username, name   string
		moderator, admin bool
	}
	staff := []user{{1, "xinghe_admin", "星河管理员", false, true}, {2, "xinghe_mod", "星河版主", true, false}}
	var users []user
	for k := range 48 {
		users = append(users, user{id: 100 + k, username: fmt.Sprintf("xh_user%02d", k), name: fmt.Sprintf("星河用户%02d", k)})
	}
	err := write(filepath.Join(dir, "categories.json"), func(bw *bufio.Writer) error {
		var cats []map[string]any
		for _, c := range forumCategories {
			cats = append(cats, map[string]any{"id": c.id, "name": c.name, "slug": fmt.Sprintf("c%d", c.id), "read_restricted": false})
		}
		enc := json.NewEncoder(bw)
		enc.SetEscapeHTML(false)
		return enc.Encode(map[string]any{"category_list": map[string]any{"categories": cats}})
	})
	if err != nil {
		return err
	}
	st.forumCategories = int64(len(forumCategories))
	stamp := func(t int64) string { return w.instant(t).UTC().Format("2006-01-02T15:04:05.000Z") }
	postID := 10000
	for d := range w.f.days {
		for range poisson(r, 1.6) {
			topic := 200 + int(st.topics)
			cat := forumCategories[r.IntN(len(forumCategories))]
			// Users arrive over the history: a new one more often later.
			pool := users[:min(len(users), 12+d*len(users)/w.f.days)]
			op := pool[r.IntN(len(pool))]
			t := w.f.dayStart(d) + 9*3600 + r.Int64N(12*3600)
			opener := forumOpeners[r.IntN(len(forumOpeners))]
			question := strings.HasSuffix(opener, "？")
			var posts []dsPostOut
			add := func(u user, at int64, text string, replyTo *int) {
				postID++
				p := dsPostOut{ID: postID, Name: u.name, Username: u.username, CreatedAt: stamp(at), Cooked: "<p>" + text + "</p>",
					PostNumber: len(posts) + 1, PostType: 1, ReplyTo: replyTo, TopicID: topic, Moderator: u.moderator, Admin: u.admin,
					Staff: u.moderator || u.admin, UserID: u.id}
				posts = append(posts, p)
			}
			add(op, t, opener, nil)
			at := t
			if at = t + 300 + r.Int64N(3*3600); question && at < w.f.end {
				s := staff[r.IntN(len(staff))]
				one := 1
				add(s, at, fmt.Sprintf(`<a class="mention" href="/u/%s">@%s</a> 可以在设置里找到，我们也会在下个版本优化。`, op.username, op.username), &one)
			}
			for range r.IntN(8) {
				at += 600 + r.Int64N(18*3600)
				if at >= w.f.end {
					break
				}
				u := pool[r.IntN(len(pool))]
				var replyTo *int
				if len(posts) > 1 && r.IntN(3) == 0 {
					n := 1 + r.IntN(len(posts))
					replyTo = &n
				}
				add(u, at, forumReplies[r.IntN(len(forumReplies))], replyTo)
			}
			page := map[string]any{
				"post_stream": map[string]any{"posts": posts},
				"id":          topic, "title": opener, "fancy_title": opener, "posts_count": len(posts),
				"created_at": stamp(t), "archetype": "regular", "slug": fmt.Sprintf("topic-%d", topic), "category_id": cat.id,
			}
			err := write(filepath.Join(dir, fmt.Sprintf("t-%d.json", topic)), func(bw *bufio.Writer) error {
				enc := json.NewEncoder(bw)
				enc.SetEscapeHTML(false)
				enc.SetIndent("", " ")
				return enc.Encode(page)
			})
			if err != nil {
				return err
			}
			st.topics++
			st.posts += int64(len(posts))
		}
	}
	return nil
}
