package reports

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/ckpi/ckpi/metrics"
)

// imageShare is docs/metrics.md's worked example, with a trend chart of its
// own: a metric an analyst adds in a folder, with no Go change.
const imageShare = `-- ---
-- name: image_share
-- title: {en: "Share of image messages", zh: "图片消息占比"}
-- grain: week
-- params: [start, end, group]
-- value: image_share
-- description:
--   en: >-
--     Of the members' messages in the period (system notices and recalls
--     left out), the share that are images.
--   zh: >-
--     本期成员消息（不含系统通知和撤回）中图片所占的比例。
-- table: {order: 100, title: {en: "Image messages", zh: "图片消息"}}
-- charts:
--   - {id: images, order: 100, kind: bar, title: {en: "Images per week", zh: "每周图片数"}}
-- columns:
--   - {name: messages, format: count, good: up, all: total,
--      label: {en: "Messages", zh: "消息数"},
--      about: {en: "Members' messages in the period.", zh: "本期成员消息数。"}}
--   - {name: images, format: count, good: up, all: total, trend: {chart: images},
--      label: {en: "Images", zh: "图片"},
--      about: {en: "Of them, images.", zh: "其中的图片。"}}
--   - {name: image_share, format: ratio, good: up, all: pooled,
--      card: {order: 200}, groups: {order: 200},
--      label: {en: "Image share", zh: "图片占比"},
--      about: {en: "Images over messages, members only.", zh: "图片除以消息数，仅计成员。"}}
-- ---
WITH sel AS (SELECT * FROM selected_groups($group::VARCHAR)),
counts AS (
    SELECT m.group_id, count(*) AS messages, count(*) FILTER (WHERE m.kind = 'image') AS images
    FROM messages m
    WHERE m.ts >= $start AND m.ts < $end AND m.member_id IS NOT NULL
      AND m.kind NOT IN ('system', 'recall') AND NOT is_staff(m.member_id, m.group_id)
    GROUP BY m.group_id
),
per_group AS (
    SELECT sel.group_id, sel.group_name, coalesce(counts.messages, 0) AS messages, coalesce(counts.images, 0) AS images
    FROM sel LEFT JOIN counts USING (group_id)
)
SELECT group_id, group_name, sum(messages)::BIGINT AS messages, sum(images)::BIGINT AS images,
       sum(images) / nullif(sum(messages), 0) AS image_share
FROM per_group
GROUP BY GROUPING SETS ((group_id, group_name), ())
ORDER BY group_id IS NOT NULL, group_name, group_id;
`

// TestUserMetricInReport: a metric file in a folder of its own appears in
// the page (read in Chromium's DOM after its scripts ran: its card with
// the value and the explanation, its groups-table column, its section with
// the all-groups row saying how each number is formed, its chart) and in
// the workbook read back (its sheet, its Summary row, its Groups column), in
// English and in Chinese. In W47 the fixture's members wrote 13 messages
// (the worked example's 8 and 5 of testdata/activities/checkins.txt; 小美's
// are staff's), one an image: 1/13 = 7.7%, up from none in W46.
func TestUserMetricInReport(t *testing.T) {
	chromium := findChromium(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "image_share.sql"), []byte(imageShare), 0o644); err != nil {
		t.Fatal(err)
	}
	cat, err := metrics.LoadCatalog(dir)
	if err != nil {
		t.Fatal(err)
	}
	db := communityDB(t)
	loc, _ := time.LoadLocation("Asia/Shanghai")
	week, _ := metrics.ParseWeek("2026-W47", loc)
	for _, tt := range []struct {
		lang                                                 string
		title, card, hint, section, chart, allGroups, pooled string
		sheetTotal                                           string
	}{
		{"en", "Image share", "Image share", "Images over messages, members only.", "Image messages", "Images per week", "All groups", "pooled", "13 (total)"},
		{"zh", "图片占比", "图片占比", "图片除以消息数，仅计成员。", "图片消息", "每周图片数", "全部群组", "合并", "13（合计）"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			r, err := BuildWeekly(context.Background(), db, BuildOptions{Week: week, Lang: tt.lang, Catalog: cat, Now: time.Date(2026, 11, 23, 9, 0, 0, 0, loc)})
			if err != nil {
				t.Fatal(err)
			}
			var page bytes.Buffer
			if err := RenderHTML(&page, r); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "weekly.html")
			if err := os.WriteFile(path, page.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			dom, console := browse(t, chromium, path)
			if len(console) > 0 {
				t.Errorf("console output:\n%s", strings.Join(console, "\n"))
			}
			doc, err := html.Parse(strings.NewReader(dom))
			if err != nil {
				t.Fatal(err)
			}
			// The card: its title, the all-groups value, the explanation on hover.
			card := find(doc, func(n *html.Node) bool {
				return n.Data == "article" && attr(n, "data-key") == "image_share.image_share"
			})
			if card == nil {
				t.Fatal("no card of the metric in the DOM")
			}
			if got := text(card); !strings.Contains(got, tt.card) || !strings.Contains(got, "7.7%") {
				t.Errorf("card reads %q", got)
			}
			if attr(card, "title") != tt.hint {
				t.Errorf("card hint %q, want %q", attr(card, "title"), tt.hint)
			}
			// The groups table: a column headed by the label, the group's 7.7%.
			groups := find(doc, func(n *html.Node) bool { return n.Data == "table" && attr(n, "id") == "ckpi_groups" })
			head := find(groups, func(n *html.Node) bool { return n.Data == "th" && text(n) == tt.title })
			if head == nil || attr(head, "title") != tt.hint {
				t.Fatalf("groups table has no %q column with its explanation", tt.title)
			}
			if row := text(find(groups, func(n *html.Node) bool { return n.Data == "tbody" })); !strings.Contains(row, "7.7%") {
				t.Errorf("groups table rows %q lack 7.7%%", row)
			}
			// Its section: the title, and the all-groups row saying how its
			// numbers are formed.
			h3 := find(doc, func(n *html.Node) bool { return n.Data == "h3" && text(n) == tt.section })
			if h3 == nil {
				t.Fatalf("no section %q", tt.section)
			}
			all := find(h3.Parent, func(n *html.Node) bool { return n.Data == "tr" && strings.HasPrefix(text(n), tt.allGroups) })
			if got := strings.Join(strings.Fields(text(all)), " "); !strings.Contains(got, "7.7% "+tt.pooled) || !strings.Contains(got, "13 ") {
				t.Errorf("all-groups row %q", got)
			}
			// Its chart was drawn.
			if find(doc, func(n *html.Node) bool { return n.Data == "figcaption" && text(n) == tt.chart }) == nil {
				t.Errorf("no chart %q", tt.chart)
			}

			// The workbook: its sheet, its Summary row, its Groups column.
			f := openXLSX(t, writeXLSX(t, r))
			rows, err := f.GetRows(tt.section)
			if err != nil {
				t.Fatalf("no sheet %q: %v", tt.section, err)
			}
			if got := strings.Join(rows[1], "|"); !strings.HasPrefix(got, tt.allGroups+"|"+tt.sheetTotal+"|") || !strings.Contains(got, "7.7%") {
				t.Errorf("sheet's all-groups row %q", got)
			}
			summary, _ := f.GetRows(SheetSummary)
			found := false
			for _, row := range summary {
				if len(row) > 1 && row[0] == tt.card && row[1] == "7.7%" {
					found = true
				}
			}
			if !found {
				t.Errorf("Summary has no %q row reading 7.7%%", tt.card)
			}
			gs, _ := f.GetRows(SheetGroups)
			col := -1
			for i, h := range gs[0] {
				if h == tt.title {
					col = i
				}
			}
			if col < 0 || gs[1][col] != "7.7%" {
				t.Errorf("Groups sheet header %v, first row %v", gs[0], gs[1])
			}
		})
	}
}

// find is the first node under n (n included) for which ok holds, or nil.
func find(n *html.Node, ok func(*html.Node) bool) *html.Node {
	if n == nil {
		return nil
	}
	if n.Type == html.ElementNode && ok(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if m := find(c, ok); m != nil {
			return m
		}
	}
	return nil
}

// text is the text under n.
func text(n *html.Node) string {
	if n == nil {
		return ""
	}
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(text(c))
		if c.Type == html.ElementNode && (c.Data == "td" || c.Data == "th") {
			b.WriteString(" ")
		}
	}
	return strings.TrimSpace(b.String())
}
