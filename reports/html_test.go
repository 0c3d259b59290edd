package reports

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func renderHTML(t testing.TB, r *Weekly) string {
	t.Helper()
	var buf bytes.Buffer
	if err := RenderHTML(&buf, r); err != nil {
		t.Fatalf("RenderHTML: %v", err)
	}
	return buf.String()
}

func TestRenderHTMLSafety(t *testing.T) {
	tests := []struct {
		name string
		r    *Weekly
	}{
		{"sample", sampleWeekly()},
		{"edge", edgeWeekly()},
		{"zh", func() *Weekly { r := sampleWeekly(); r.Lang = "zh"; return r }()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := renderHTML(t, tt.r)
			page := strings.Replace(out, echartsJS, "", 1)

			if n := strings.Count(out, echartsJS); n != 1 {
				t.Errorf("echarts.min.js inlined %d times, want 1", n)
			}
			for _, bad := range []string{`src="http`, `href="http`, `src='http`, `href='http`, `url(http`, `<link`, `<script src`, `@import`} {
				if strings.Contains(strings.ToLower(out), bad) {
					t.Errorf("page refers to the network: found %q", bad)
				}
			}
			if !strings.Contains(page, `<meta charset="utf-8">`) {
				t.Error("no <meta charset=\"utf-8\">")
			}
			for _, hostile := range []string{scriptName, "</script><b>x"} {
				if strings.Contains(page, hostile) {
					t.Errorf("user text %q appears unescaped", hostile)
				}
			}
			// One chart container per trend and heatmap, each with its spec.
			charts := len(tt.r.Trends) + len(tt.r.Heatmaps)
			ids := regexp.MustCompile(`<div class="item" id="(ckpi_chart_\d+)"`).FindAllStringSubmatch(page, -1)
			if len(ids) != charts {
				t.Errorf("%d chart containers, want %d (one per trend and heatmap)", len(ids), charts)
			}
			specs := chartSpecsOf(t, page)
			if len(specs) != charts {
				t.Fatalf("%d chart specs, want %d", len(specs), charts)
			}
			for i, s := range specs {
				if want := i >= len(tt.r.Trends); (s.Kind == "heatmap") != want {
					t.Errorf("spec %d kind %q", i, s.Kind)
				}
			}
			for i, id := range ids {
				if specs[i].ID != id[1] {
					t.Errorf("spec %d is for %q, container is %q", i, specs[i].ID, id[1])
				}
			}
			// Every group is a row of the ranking.
			if got := max(strings.Count(tableHTML(t, page, "ckpi_groups"), "<tr")-1, 0); got != len(tt.r.Groups) {
				t.Errorf("%d group rows, want %d", got, len(tt.r.Groups))
			}
		})
	}
}

// tableHTML is the table element with the given id ("" when there is none).
func tableHTML(t *testing.T, page, id string) string {
	t.Helper()
	i := strings.Index(page, `<table class="data sortable" id="`+id+`"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(page[i:], "</table>")
	return page[i : i+j]
}

// chartSpecsOf reads back the chart specs the page script receives.
func chartSpecsOf(t *testing.T, page string) []struct {
	ID     string         `json:"id"`
	Kind   string         `json:"kind"`
	Format string         `json:"format"`
	Option map[string]any `json:"option"`
} {
	t.Helper()
	m := regexp.MustCompile(`(?m)^var CKPI_CHARTS = (.*);$`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no CKPI_CHARTS in the page")
	}
	var specs []struct {
		ID     string         `json:"id"`
		Kind   string         `json:"kind"`
		Format string         `json:"format"`
		Option map[string]any `json:"option"`
	}
	if err := json.Unmarshal([]byte(m[1]), &specs); err != nil {
		t.Fatalf("CKPI_CHARTS is not JSON: %v", err)
	}
	return specs
}

func TestRenderHTMLContent(t *testing.T) {
	r := sampleWeekly()
	page := strings.Replace(renderHTML(t, r), echartsJS, "", 1)
	for _, want := range []string{
		`&lt;script&gt;alert(1)&lt;/script&gt;`,      // the hostile name, escaped
		`=HYPERLINK(&#34;http://x&#34;,&#34;y&#34;)`, // shown as text
		`<h1>Community weekly report</h1>`,
		`<dd>2026-11-16 – 2026-11-22</dd>`,
		`<dd>2026-11-23 08:30 &#43;08:00</dd>`,
		`<div class="card-value">12,480</div>`,
		`<div class="card-value">34.2%</div>`,
		`<div class="card-value">1.6 h</div>`,
		`<div class="card-value">18.40</div>`,
		`<span class="badge">No activity for 2 weeks</span>`,
		`上海读书会 一群`,
		`Noto Sans CJK SC`,
		`<html lang="en" data-lang="en">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}

	// Card tones follow GoodWhen.
	for key, tone := range map[string]string{
		"growth.members":        toneGood,    // up, and up is good
		"growth.net":            toneBad,     // down, and up is good
		"responsiveness.median": toneGood,    // down, and down is good
		"risk.violations":       toneBad,     // up, and down is good
		"conversion.rate":       toneNeutral, // no value this week
		"repurchase.revenue":    toneNeutral, // unchanged
	} {
		want := `<article class="card tone-` + tone + `" data-key="` + key + `">`
		if !strings.Contains(page, want) {
			t.Errorf("card %s: want tone %s", key, tone)
		}
	}

	// Nil trend values reach ECharts as "-" (a gap), never as 0.
	specs := chartSpecsOf(t, page)
	data := specs[1].Option["series"].([]any)[2].(map[string]any)["data"].([]any)
	if v := data[7].(map[string]any)["value"]; v != "-" {
		t.Errorf("nil value charted as %v, want \"-\"", v)
	}
}

func TestRenderHTMLChinese(t *testing.T) {
	r := sampleWeekly()
	r.Lang = "zh"
	r.Title = ""
	page := strings.Replace(renderHTML(t, r), echartsJS, "", 1)
	for _, want := range []string{`<html lang="zh-CN" data-lang="zh">`, `<h1>社群运营周报</h1>`, `核心指标`, `全部群组`, `1.6 小时`, `较上周`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestRenderHTMLNil(t *testing.T) {
	if err := RenderHTML(&bytes.Buffer{}, nil); !errors.Is(err, ErrNilReport) {
		t.Fatalf("RenderHTML(nil) = %v, want ErrNilReport", err)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestRenderHTMLWriteError(t *testing.T) {
	if err := RenderHTML(failWriter{}, sampleWeekly()); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("RenderHTML to a failing writer = %v", err)
	}
}

// goldenWeekly is a small fixed report for the golden file.
func goldenWeekly() *Weekly {
	loc := time.FixedZone("CST", 8*3600)
	return &Weekly{
		Title:       "Golden <weekly> & report",
		Week:        "2026-W47",
		Start:       time.Date(2026, 11, 16, 0, 0, 0, 0, loc),
		End:         time.Date(2026, 11, 23, 0, 0, 0, 0, loc),
		TimeZone:    "Asia/Shanghai",
		GeneratedAt: time.Date(2026, 11, 23, 9, 0, 0, 0, loc),
		Lang:        "en",
		Cards: []Card{
			{Key: "growth.net", Title: "Net growth", Format: Int, Value: fp(1234), Previous: fp(1000), GoodWhen: "up", Sparkline: []*float64{fp(900), nil, fp(1000), fp(1234)}},
			{Key: "reply", Title: "Median reply", Format: Hours, Value: fp(2), Previous: fp(1.5), GoodWhen: "down"},
		},
		Trends: []Trend{
			{Key: "net", Title: "Net growth", Kind: "line", Format: Int, Labels: []string{"W45", "W46", "W47"},
				Series: []Series{{Name: "Net", Values: []*float64{fp(900), nil, fp(1234)}}}},
			{Key: "ch", Title: "Joins by channel", Kind: "stacked", Format: Int, Labels: []string{"W46", "W47"},
				Series: []Series{{Name: "Referral", Values: []*float64{fp(3), fp(4)}}, {Name: "QR", Values: []*float64{fp(1), nil}}}},
		},
		Groups: []Group{
			{ID: 1, Name: "读书会", Platform: "wechat", Members: 18, Joins: 3, Leaves: 1, NetGrowth: 2, GrowthRate: fp(0.125), ActiveMembers: 9, Participation: fp(0.5), Messages: 321, Rank: 1},
			{ID: 2, Name: scriptName, Platform: "telegram", Members: 1200, Rank: 2, Flags: []string{"Size above 20", "<b>loud</b>"}},
		},
		Heatmaps: []Heatmap{{Key: "h", Title: "Hours", Short: "Hours", Note: "Messages by <hour>", XTitle: "Hour", YTitle: "Day",
			XLabels: []string{"00", "01"}, YLabels: []string{"Mon", scriptName}, Values: [][]*float64{{fp(1), nil}, {fp(0), fp(3)}}, Format: Int}},
		Tables: []Table{{Key: "t", Title: "Cohorts", Columns: []Column{{Key: "w", Title: "Week", Format: Text}, {Key: "r", Title: "Retained", Format: Percent}},
			Rows: [][]any{{"2026-W46", 0.8}, {"2026-W47", nil}}}},
	}
}

func TestRenderHTMLGolden(t *testing.T) {
	out := renderHTML(t, goldenWeekly())
	out = strings.Replace(out, echartsJS, "/* echarts.min.js "+EChartsVersion+" */", 1)
	// The page's CSS and script have their own files; keep the golden file about the page.
	out = strings.Replace(out, pageCSS, "/* report.css */", 1)
	out = strings.Replace(out, pageJS, "/* report.js */", 1)
	path := filepath.Join("testdata", "weekly_small.golden.html")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run `go test ./reports -update` to create it)", err)
	}
	if out != string(want) {
		t.Errorf("HTML differs from %s (run `go test ./reports -update` if the change is intended):\n%s", path, firstDiff(out, string(want)))
	}
	// Twice the same report gives the same bytes.
	if renderHTML(t, goldenWeekly()) != renderHTML(t, goldenWeekly()) {
		t.Error("rendering is not deterministic")
	}
}

// firstDiff describes the first line where got and want differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n got: %s\nwant: %s", i+1, gl, wl)
		}
	}
	return "same lines"
}

// The page's CSP runs no inline script but ours: script-src lists the
// sha256 of each <script> element of the page, exactly, and nothing that
// allows others ('unsafe-inline', a scheme, a host).
func TestRenderHTMLScriptsHashedInCSP(t *testing.T) {
	for _, r := range []*Weekly{sampleWeekly(), edgeWeekly(), {}} {
		out := renderHTML(t, r)
		doc, err := html.Parse(strings.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		var csp string
		var scripts []string
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode && n.Data == "meta" && attr(n, "http-equiv") == "Content-Security-Policy" {
				csp = attr(n, "content")
			}
			if n.Type == html.ElementNode && n.Data == "script" {
				if attr(n, "src") != "" {
					t.Errorf("a script with src %q", attr(n, "src"))
				}
				var text strings.Builder
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					text.WriteString(c.Data)
				}
				scripts = append(scripts, text.String())
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
		var scriptSrc []string
		for _, d := range strings.Split(csp, ";") {
			if f := strings.Fields(d); len(f) > 0 && f[0] == "script-src" {
				scriptSrc = f[1:]
			}
		}
		if len(scripts) != 3 || len(scriptSrc) != len(scripts) {
			t.Fatalf("%d scripts, script-src %q (CSP %q)", len(scripts), scriptSrc, csp)
		}
		for i, s := range scripts {
			sum := sha256.Sum256([]byte(s))
			if want := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !slices.Contains(scriptSrc, want) {
				t.Errorf("script %d (%.40q) not in script-src %q", i, s, scriptSrc)
			}
		}
		if !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("CSP %q", csp)
		}
	}
}
