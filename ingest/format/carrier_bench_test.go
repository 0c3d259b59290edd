package format

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"
)

// carrierCounter counts the rows of a parse.
type carrierCounter struct {
	Discard
	n int
}

func (c *carrierCounter) Follows(*Follows) error { c.n++; return nil }
func (c *carrierCounter) Content(*Content) error { c.n++; return nil }
func (c *carrierCounter) Message(*Message) error { c.n++; return nil }

func benchCarrier(b *testing.B, f Format, name string, data []byte, rows int) {
	b.Helper()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := &carrierCounter{}
		in := Input{Path: name, R: bytes.NewReader(data), TZ: time.UTC}
		if err := f.Parse(context.Background(), in, c); err != nil || c.n != rows {
			b.Fatalf("%v: %d rows, want %d", err, c.n, rows)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkWeChatOAGrowthParse: a user growth download of 20,000 days with
// seven source columns (eight rows a day).
func BenchmarkWeChatOAGrowthParse(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("时间,新关注人数,取消关注人数,净增关注人数,累积关注人数,搜一搜,扫描二维码,名片分享,文章内账号名称,支付后关注,微信广告,其他\n")
	day := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	const days = 20000
	for i := range days {
		fmt.Fprintf(&buf, "%s,\"1,204\",35,\"1,169\",%d,310,520,44,128,12,150,40\n", day.AddDate(0, 0, i).Format("2006-01-02"), 25410+i)
	}
	benchCarrier(b, WeChatOAGrowth{}, "用户增长.csv", buf.Bytes(), days*8)
}

// BenchmarkWeChatOAAPIParse: getusersummary entries of 20,000 days, five
// sources each (six rows a day with the day's total).
func BenchmarkWeChatOAAPIParse(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString(`{"list":[`)
	day := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	const days = 20000
	for i := range days {
		for k, src := range []int{0, 1, 17, 30, 57} {
			if i+k > 0 {
				buf.WriteByte(',')
			}
			fmt.Fprintf(&buf, `{"ref_date":"%s","user_source":%d,"new_user":%d,"cancel_user":%d}`, day.AddDate(0, 0, i).Format("2006-01-02"), src, 10+k, k)
		}
	}
	buf.WriteString("]}")
	benchCarrier(b, WeChatOAAPI{}, "getusersummary.json", buf.Bytes(), days*6)
}

// BenchmarkDiscourseParse: a topic page of 1,000 posts (/t/{id}.json?print=true).
func BenchmarkDiscourseParse(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString(`{"post_stream":{"posts":[`)
	const posts = 1000
	for i := 1; i <= posts; i++ {
		if i > 1 {
			buf.WriteByte(',')
		}
		fmt.Fprintf(&buf, `{"id":%d,"name":"用户%d","username":"user%d","created_at":"2026-11-16T02:%02d:00.000Z","cooked":"<p><a class=\"mention\" href=\"/u/user1\">@user1</a> 新版本的同步功能怎么打开？我试了设置里的选项，<strong>没有找到</strong>。</p>","post_number":%d,"post_type":1,"reply_to_post_number":%d,"topic_id":7,"moderator":false,"admin":false,"staff":false,"user_id":%d}`,
			i, i%50, i%50, i%60, i, (i+1)/2, 100+i%50)
	}
	buf.WriteString(`]},"id":7,"title":"t","archetype":"regular","category_id":5}`)
	benchCarrier(b, DiscourseJSON{}, "t-7.json", buf.Bytes(), posts)
}
