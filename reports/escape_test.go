package reports

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ckpi/ckpi/ingest"
	"github.com/ckpi/ckpi/metrics"
	"github.com/ckpi/ckpi/metrics/risk"
	"github.com/ckpi/ckpi/queries"
)

// hostileExport is a QQ export whose group name and a member's nickname are
// markup and a formula. The member advertises three times in W47, so the
// risk scan puts them on the removal step: their nickname reaches the
// report's risk tables too.
const hostileExport = `消息记录（此消息记录为文本格式，不支持重新导入）

================================================================
消息分组:我的QQ群
================================================================
消息对象:<script>alert("group")</script>群
================================================================

2026-11-02 10:00:00 系统消息(10000)
<script>alert(1)</script>(2001)加入本群

2026-11-02 10:01:00 系统消息(10000)
=HYPERLINK("http://x","y")(2002)加入本群

2026-11-16 10:00:00 <script>alert(1)</script>(2001)
低价出售各类账号 <b>hi</b>

2026-11-17 10:00:00 <script>alert(1)</script>(2001)
刷单日结，私聊我领取

2026-11-18 10:00:00 <script>alert(1)</script>(2001)
高额返利 加我微信

2026-11-19 10:00:00 =HYPERLINK("http://x","y")(2002)
#打卡 第1天
`

// hostileWeekly builds the W47 report of hostileExport, after a risk scan.
func hostileWeekly(t *testing.T) *Weekly {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	export := filepath.Join(dir, "hostile.txt")
	if err := os.WriteFile(export, []byte(hostileExport), 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := queries.Open(ctx, filepath.Join(dir, "ckpi.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	loc, _ := time.LoadLocation("Asia/Shanghai")
	if r := ingest.LoadFile(ctx, db, export, ingest.Options{TZ: loc}); r.Err != nil {
		t.Fatal(r.Err)
	}
	if _, err := risk.Scan(ctx, db, risk.Default(), risk.ScanOptions{TZ: loc}); err != nil {
		t.Fatal(err)
	}
	cat, err := metrics.LoadCatalog("")
	if err != nil {
		t.Fatal(err)
	}
	week, _ := metrics.ParseWeek("2026-W47", loc)
	r, err := BuildWeekly(ctx, db, BuildOptions{Week: week, Catalog: cat})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestHostileNamesEscaped builds the report of a community whose group and
// member names are HTML and formulas, and checks that the page shows them
// as text everywhere (tables, chart labels, risk tables) and the workbook
// keeps them as text cells.
func TestHostileNamesEscaped(t *testing.T) {
	r := hostileWeekly(t)
	const group, nick = `<script>alert("group")</script>群`, `<script>alert(1)</script>`
	if len(r.Groups) != 1 || r.Groups[0].Name != group {
		t.Fatalf("groups %+v", r.Groups)
	}
	if r.Heatmaps[0].YLabels[0] != group {
		t.Fatalf("rhythm rows %q", r.Heatmaps[0].YLabels)
	}
	var page bytes.Buffer
	if err := RenderHTML(&page, r); err != nil {
		t.Fatal(err)
	}
	html := strings.Replace(page.String(), echartsJS, "", 1)
	// With the inlined ECharts cut out, the only <script> elements left are
	// our own three: the library's, the chart data's and the page script's.
	if n := strings.Count(html, "<script"); n != 3 {
		t.Errorf("%d <script in the page, want our 3", n)
	}
	if strings.Contains(html, "alert(1)</script>") || strings.Contains(html, `alert("group")</script>`) || strings.Contains(html, "<b>hi</b>") {
		t.Error("user text reached the page unescaped")
	}
	for _, want := range []string{
		`&lt;script&gt;alert(&#34;group&#34;)&lt;/script&gt;群`,   // the group, in the ranking and tables
		`\u003cscript\u003ealert(\"group\")\u003c/script\u003e群`, // the group, as a heatmap row label in the chart data
	} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if r.Risk == nil || !r.Risk.Scanned || r.Risk.Headline("risk_violations.violations") == 0 {
		t.Fatalf("risk %+v", r.Risk)
	}
	// The scan ran: the violations chart is drawn in the risk section.
	if last := r.Trends[len(r.Trends)-1]; last.Key != "risk_violations.violations" || last.Series[0].Name != "Advertising" || !near(last.Series[0].Values[TrendWeeks-1], float64(r.Risk.Headline("risk_violations.violations"))) {
		t.Errorf("violations trend %+v", last)
	}
	risky := html[strings.Index(html, `id="h-risk"`):]
	if !strings.Contains(risky[:strings.Index(risky, "</section>")], `data-chart="`+chartID(len(r.Trends)-1)+`"`) {
		t.Error("the violations chart is not in the risk section")
	}
	if !strings.Contains(html, `&lt;script&gt;alert(1)&lt;/script&gt;`) {
		t.Error("the member's nickname is not in the risk tables, escaped")
	}

	f := openXLSX(t, writeXLSX(t, r))
	if v, _ := f.GetCellValue("Groups", "B2"); v != group {
		t.Errorf("Groups!B2 = %q", v)
	}
	if v, _ := f.GetCellValue("Activity rhythm", "A5"); v != group {
		t.Errorf("Activity rhythm!A5 = %q", v)
	}
}
