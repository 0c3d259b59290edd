package reports

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// The browser tests open rendered reports in headless Chromium with the
// network cut, and read back two things: the DOM after the scripts ran
// (--dump-dom on stdout) and Chromium's log (stderr), where every console
// message and uncaught exception of the page is a line with "CONSOLE" in it:
//
//	[123:123:1125/091408.613846:INFO:CONSOLE:2] "Uncaught Error: x", source: file:///tmp/x.html (2)
//
// Chromium logs console.log, console.warn and console.error alike at INFO
// level, so any console line at all fails the test: the report itself never
// logs, and ECharts only does to warn.

func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("chromium not installed: run `make test`, which installs it")
	return ""
}

// browse loads the page at path in headless Chromium, offline, and returns
// the DOM after its scripts ran and the console lines it logged.
func browse(t *testing.T, chromium, path string) (dom string, console []string) {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(),
		// No network: every request goes to a closed local port, no name resolves.
		"--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
		"--host-resolver-rules=MAP * ~NOTFOUND",
		"--enable-logging=stderr", "--v=0",
		"--window-size=1280,2000",
		"--virtual-time-budget=10000",
		"--dump-dom", "file://"+abs)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, tail(stderr.String(), 2000))
	}
	return stdout.String(), consoleLines(stderr.String())
}

// consoleLines picks the page's console output out of Chromium's log.
func consoleLines(log string) []string {
	var out []string
	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, "CONSOLE") || strings.Contains(line, "Uncaught") {
			out = append(out, strings.TrimSpace(line))
		}
	}
	return out
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}

// TestConsoleLinesDetector makes sure the detector sees what Chromium prints
// for a page with errors, on a canned log and on a real page.
func TestConsoleLinesDetector(t *testing.T) {
	canned := `[6455:6484:1125/091408.258787:ERROR:dbus/bus.cc:405] Failed to connect to the bus
[6455:6455:1125/091408.607554:INFO:CONSOLE:2] "boom console error", source: file:///tmp/err.html (2)
[6455:6455:1125/091408.613846:INFO:CONSOLE:2] "Uncaught Error: xyz deliberate", source: file:///tmp/err.html (2)
[6455:6455:1125/091408.621339:INFO:CONSOLE:3] "Uncaught (in promise) Error: rejected promise", source: file:///tmp/err.html (3)`
	if got := consoleLines(canned); len(got) != 3 {
		t.Errorf("canned log: %d console lines, want 3: %q", len(got), got)
	}
	if got := consoleLines("[1:1:1125/1:WARNING:sandbox_linux.cc:405] InitializeSandbox()\n"); len(got) != 0 {
		t.Errorf("noise taken for console output: %q", got)
	}

	chromium := findChromium(t)
	tests := []struct {
		name, body string
		want       []string // substrings, one console line each
	}{
		{"throw", `<script>throw new Error("deliberate-throw")</script>`, []string{"Uncaught Error: deliberate-throw"}},
		{"console.error", `<script>console.error("deliberate-console")</script>`, []string{"deliberate-console"}},
		{"rejection", `<script>Promise.reject(new Error("deliberate-reject"))</script>`, []string{"deliberate-reject"}},
		{"clean", `<p>fine</p><script>document.body.appendChild(document.createElement("canvas"))</script>`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "page.html")
			page := `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>` + tt.body + `</body></html>`
			if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
				t.Fatal(err)
			}
			dom, console := browse(t, chromium, path)
			if len(console) != len(tt.want) {
				t.Fatalf("console lines %q, want %d", console, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.Contains(console[i], w) {
					t.Errorf("console line %q lacks %q", console[i], w)
				}
			}
			if tt.want == nil && !strings.Contains(dom, "<canvas>") {
				t.Errorf("the page's script did not run: %s", dom)
			}
		})
	}
}

// TestReportInBrowser renders reports and checks that, offline, every chart
// container gets an ECharts canvas of non-zero size and nothing is logged.
func TestReportInBrowser(t *testing.T) {
	chromium := findChromium(t)
	zh := sampleWeekly()
	zh.Lang = "zh"
	tests := []struct {
		name string
		r    *Weekly
	}{
		{"sample", sampleWeekly()},
		{"zh", zh},
		{"edge", edgeWeekly()},
		{"golden", goldenWeekly()},
		{"empty", &Weekly{}},
		{"built", buildFixture(t, communityDB(t), "zh")},
		{"heatmaps only", &Weekly{Heatmaps: sampleHeatmaps(40)}},
		{"risk", hostileWeekly(t)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "weekly.html")
			var buf bytes.Buffer
			if err := RenderHTML(&buf, tt.r); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			dom, console := browse(t, chromium, path)
			if len(console) > 0 {
				t.Errorf("console output:\n%s", strings.Join(console, "\n"))
			}
			charts := chartCanvases(t, dom)
			if want := len(tt.r.Trends) + len(tt.r.Heatmaps); len(charts) != want {
				t.Errorf("%d chart containers in the DOM, want %d (trends and heatmaps)", len(charts), want)
			}
			for id, size := range charts {
				if size[0] <= 0 || size[1] <= 0 {
					t.Errorf("chart %s has no canvas (size %v)", id, size)
				}
			}
		})
	}
}

// TestCSPBlocksInjectedScriptInBrowser stands for a failure of escaping: a
// script and an inline handler put into a rendered report. The page's CSP
// lets only its own hashed scripts run: the charts still draw, the injected
// code does not run, and Chromium says it refused it.
func TestCSPBlocksInjectedScriptInBrowser(t *testing.T) {
	chromium := findChromium(t)
	r := sampleWeekly()
	var buf bytes.Buffer
	if err := RenderHTML(&buf, r); err != nil {
		t.Fatal(err)
	}
	injected := `<script>document.body.setAttribute("data-injected", "script")</script>` +
		`<svg onload="document.body.setAttribute('data-injected', 'handler')"></svg></body>`
	out := buf.String()
	end := strings.LastIndex(out, "</body>") // the first is in ECharts' source
	page := out[:end] + injected + out[end+len("</body>"):]
	path := filepath.Join(t.TempDir(), "weekly.html")
	if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	dom, console := browse(t, chromium, path)
	if ran := regexp.MustCompile(`<body[^>]*data-injected="(\w+)"`).FindStringSubmatch(dom); ran != nil {
		t.Errorf("the injected %s ran", ran[1])
	}
	refused := 0
	for _, line := range console {
		if strings.Contains(line, "Content Security Policy") {
			refused++
		} else {
			t.Errorf("console: %s", line)
		}
	}
	if refused != 2 {
		t.Errorf("%d CSP refusals logged, want 2 (the script and the handler): %q", refused, console)
	}
	charts := chartCanvases(t, dom)
	if want := len(r.Trends) + len(r.Heatmaps); len(charts) != want {
		t.Errorf("%d charts, want %d", len(charts), want)
	}
	for id, size := range charts {
		if size[0] <= 0 || size[1] <= 0 {
			t.Errorf("chart %s has no canvas", id)
		}
	}
}

// withTestScript puts a test's script at the end of a rendered page and
// lets it run: the page's CSP runs only scripts whose hash it lists, so the
// test lists its own, as the renderer does for the page's.
func withTestScript(page, script string) string {
	i := strings.LastIndex(page, "</body>") // the inlined ECharts has a "</body>" of its own
	page = page[:i] + "<script>" + script + "</script>" + page[i:]
	// The first "script-src " is the CSP's: the meta comes before any script.
	return strings.Replace(page, "script-src ", "script-src "+scriptHash(script)+" ", 1)
}

// chartCanvases maps each chart container of the DOM to the width and height
// of the first canvas inside it ({0, 0} when there is none).
func chartCanvases(t *testing.T, dom string) map[string][2]int {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(dom))
	if err != nil {
		t.Fatal(err)
	}
	isChart := regexp.MustCompile(`^ckpi_chart_\d+$`)
	out := map[string][2]int{}
	var walk func(n *html.Node, chart string)
	walk = func(n *html.Node, chart string) {
		if n.Type == html.ElementNode {
			if id := attr(n, "id"); isChart.MatchString(id) {
				chart = id
				out[chart] = [2]int{}
			}
			if n.Data == "canvas" && chart != "" && out[chart] == [2]int{} {
				w, _ := strconv.Atoi(attr(n, "width"))
				h, _ := strconv.Atoi(attr(n, "height"))
				out[chart] = [2]int{w, h}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, chart)
		}
	}
	walk(doc, "")
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// TestGroupsSortInBrowser clicks headers of the 1,000-group ranking and
// reads the row order back.
func TestGroupsSortInBrowser(t *testing.T) {
	chromium := findChromium(t)
	r := sampleWeeklyN(1000)
	var buf bytes.Buffer
	if err := RenderHTML(&buf, r); err != nil {
		t.Fatal(err)
	}
	// Click "Members" once (largest first), then "Group" once (A to Z), and
	// record the first column of each order in the page.
	click := `
(function () {
  var t = document.getElementById("ckpi_groups");
  function col(i) { return Array.prototype.map.call(t.tBodies[0].rows, function (r) { return r.cells[i].getAttribute("data-sort") || r.cells[i].textContent; }).join("\n"); }
  var start = Date.now();
  t.tHead.rows[0].cells[3].querySelector("button").click();
  var members = col(3);
  t.tHead.rows[0].cells[1].querySelector("button").click();
  var asc = col(1);
  t.tHead.rows[0].cells[1].querySelector("button").click();
  var desc = col(1);
  var pre = document.createElement("pre"); pre.id = "sorted-members"; pre.textContent = members; document.body.appendChild(pre);
  pre = document.createElement("pre"); pre.id = "sorted-names-asc"; pre.textContent = asc; document.body.appendChild(pre);
  pre = document.createElement("pre"); pre.id = "sorted-names-desc"; pre.textContent = desc; document.body.appendChild(pre);
  pre = document.createElement("pre"); pre.id = "sort-ms"; pre.textContent = String(Date.now() - start); document.body.appendChild(pre);
})();
`
	page := withTestScript(buf.String(), click)
	path := filepath.Join(t.TempDir(), "weekly.html")
	if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	dom, console := browse(t, chromium, path)
	if len(console) > 0 {
		t.Errorf("console output:\n%s", strings.Join(console, "\n"))
	}
	members := preText(t, dom, "sorted-members")
	if len(members) != len(r.Groups) {
		t.Fatalf("%d rows after sorting, want %d", len(members), len(r.Groups))
	}
	num := func(s string) float64 { f, _ := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64); return f }
	for i := 1; i < len(members); i++ {
		if num(members[i-1]) < num(members[i]) {
			t.Fatalf("members not sorted largest first at row %d: %s before %s", i, members[i-1], members[i])
		}
	}
	asc, desc := preText(t, dom, "sorted-names-asc"), preText(t, dom, "sorted-names-desc")
	if len(asc) != len(r.Groups) || len(desc) != len(r.Groups) {
		t.Fatalf("%d and %d rows after sorting by name, want %d", len(asc), len(desc), len(r.Groups))
	}
	for i := range asc {
		if asc[i] != desc[len(desc)-1-i] {
			t.Fatalf("a second click does not reverse the order: asc[%d] = %q, desc[%d] = %q", i, asc[i], len(desc)-1-i, desc[len(desc)-1-i])
		}
	}
	if asc[0] == desc[0] {
		t.Errorf("sorting by name did not change the order")
	}
	t.Logf("sorting 1,000 rows twice took %s ms (virtual time)", strings.Join(preText(t, dom, "sort-ms"), ""))
}

// preText is the lines of the <pre> element with the given id.
func preText(t *testing.T, dom, id string) []string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<pre id="` + id + `">(.*?)</pre>`).FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("no #%s in the DOM", id)
	}
	return strings.Split(html.UnescapeString(m[1]), "\n")
}

// TestChartTooltipInBrowser opens a chart's tooltip on hostile series names
// and labels: ECharts must show them as text, and no handler may run.
func TestChartTooltipInBrowser(t *testing.T) {
	chromium := findChromium(t)
	r := &Weekly{Trends: []Trend{{Key: "k", Title: "t", Kind: "line", Format: Percent, Labels: []string{"<b>W1</b>", "W2"},
		Series: []Series{
			{Name: `<img src=x onerror=console.error("xss")>`, Values: []*float64{fp(0.25), nil}},
			{Name: "ok", Values: []*float64{nil, fp(0.5)}},
		}}}}
	var buf bytes.Buffer
	if err := RenderHTML(&buf, r); err != nil {
		t.Fatal(err)
	}
	show := `setTimeout(function () {
  echarts.getInstanceByDom(document.getElementById("ckpi_chart_1")).dispatchAction({type: "showTip", seriesIndex: 0, dataIndex: 0});
}, 100);`
	path := filepath.Join(t.TempDir(), "weekly.html")
	if err := os.WriteFile(path, []byte(withTestScript(buf.String(), show)), 0o644); err != nil {
		t.Fatal(err)
	}
	dom, console := browse(t, chromium, path)
	if len(console) > 0 {
		t.Errorf("console output:\n%s", strings.Join(console, "\n"))
	}
	if !strings.Contains(dom, "&lt;b&gt;W1&lt;/b&gt;") || !strings.Contains(dom, "&lt;img src=x") {
		t.Error("the tooltip does not show the label and series name as text")
	}
	if !strings.Contains(dom, "25.0%") {
		t.Error("the tooltip does not format the value as a percentage")
	}
	if strings.Contains(dom, `<img src="x"`) {
		t.Error("a series name became an <img> element")
	}
}

// TestHeatmapTooltipInBrowser opens the tooltip of a heatmap cell whose row
// is a hostile group name: it must show as text, with the cell's week and
// formatted value, and no element may come of it.
func TestHeatmapTooltipInBrowser(t *testing.T) {
	chromium := findChromium(t)
	r := sampleWeekly()
	var buf bytes.Buffer
	if err := RenderHTML(&buf, r); err != nil {
		t.Fatal(err)
	}
	// The rhythm heatmap is the first chart after the trends; row 1 is the
	// <script> group, column 2 its third week: data index 1*12 + 2.
	show := `setTimeout(function () {
  var el = document.getElementById("` + chartID(len(r.Trends)) + `");
  echarts.getInstanceByDom(el).dispatchAction({type: "showTip", seriesIndex: 0, dataIndex: 14});
}, 100);`
	path := filepath.Join(t.TempDir(), "weekly.html")
	if err := os.WriteFile(path, []byte(withTestScript(buf.String(), show)), 0o644); err != nil {
		t.Fatal(err)
	}
	dom, console := browse(t, chromium, path)
	if len(console) > 0 {
		t.Errorf("console output:\n%s", strings.Join(console, "\n"))
	}
	if !strings.Contains(dom, "&lt;script&gt;alert(1)&lt;/script&gt;<br>2026-W38: <b>3</b>") {
		i := strings.Index(dom, "alert(1)")
		t.Errorf("the tooltip does not show the group name as text with its week and value:\n%s", dom[max(i-300, 0):min(i+600, len(dom))])
	}
	if strings.Contains(dom, "<script>alert(1)</script>") {
		t.Error("a group name became a <script> element")
	}
}
