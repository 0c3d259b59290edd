package reports

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"strings"
	"sync"
	"time"
)

//go:embed templates/report.gohtml
var pageTemplateText string

//go:embed templates/report.css
var pageCSS string

//go:embed templates/report.js
var pageJS string

var pageTemplate = template.Must(template.New("report").Parse(pageTemplateText))

// ErrNilReport is returned when a renderer is given no report.
var ErrNilReport = errors.New("reports: nil report")

// pageData is everything the page template shows, already formatted. Every
// string in it is escaped by html/template; the template.* fields are ours
// (the embedded CSS and scripts, and JSON with <, >, & escaped).
type pageData struct {
	Lang      string
	L         map[string]string
	Title     string
	Week      string
	Period    string
	TimeZone  string
	Generated string

	Cards     []cardView
	Attention attentionView
	Charts    []chartView
	RiskChart []chartView // the risk trends, shown in the risk section
	Heatmaps  []chartView
	Groups    groupsView
	Tables    []tableView
	Risk      *riskView

	CSS     template.CSS
	ECharts template.JS
	DataJS  template.JS // the chart specs and labels of this report
	PageJS  template.JS
	CSP     template.HTMLAttr
}

// A browser hashes an inline script's text after its HTML parser has
// turned CR LF and lone CR into LF, and npm's echarts.min.js ends its lines
// with CR LF: the page carries the scripts with LF line ends, so that the
// bytes it holds are the bytes the CSP hashes cover (JavaScript reads
// either line end the same).
func init() {
	echartsJS = htmlNewlines(echartsJS)
	pageJS = htmlNewlines(pageJS)
}

func htmlNewlines(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// staticScriptHashes are the CSP sources of the scripts every report
// carries (ECharts, 1 MB, and the page's own), hashed once.
var staticScriptHashes = sync.OnceValue(func() string {
	return scriptHash(echartsJS) + " " + scriptHash(pageJS)
})

// scriptHash is the CSP source allowing one inline script whose text is
// exactly js: the page runs only the scripts we wrote, so an injected
// <script> (should escaping ever fail) is refused by the browser.
func scriptHash(js string) string {
	sum := sha256.Sum256([]byte(js))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// contentSecurityPolicy allows nothing from outside the page, and of inline
// scripts only those with these hashes. Styles stay inline (the report's own
// and ECharts' element styles): they cannot run code.
func contentSecurityPolicy(dataJS string) template.HTMLAttr {
	csp := "default-src 'none'; script-src " + staticScriptHashes() + " " + scriptHash(dataJS) +
		"; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
	return template.HTMLAttr(`content="` + csp + `"`)
}

// RenderHTML writes r as one self-contained HTML page: KPI cards with
// week-over-week change and sparklines, one ECharts chart per trend, a
// sortable ranking of all groups, and the detail tables. The page loads
// nothing from the network (ECharts is inlined once) and escapes all user
// text. Fixed UI strings follow r.Lang ("en" or "zh").
func RenderHTML(w io.Writer, r *Weekly) error {
	if r == nil {
		return ErrNilReport
	}
	data, err := buildPage(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.Grow(len(echartsJS) + 64<<10 + len(r.Groups)*600)
	if err := pageTemplate.Execute(&buf, data); err != nil {
		return fmt.Errorf("reports: html: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("reports: html: %w", err)
	}
	return nil
}

func buildPage(r *Weekly) (*pageData, error) {
	lang := normLang(r.Lang)
	d := &pageData{
		Lang:     lang,
		L:        labelsFor(lang),
		Title:    r.Title,
		Week:     r.Week,
		Period:   periodText(r.Start, r.End),
		TimeZone: r.TimeZone,
		Cards:    buildCards(r.Cards, lang),
		Groups:   buildGroups(r.Groups, lang),
		Tables:   buildTables(r.Tables, lang),
		Risk:     buildRiskView(r.Risk, lang),
		CSS:      template.CSS(pageCSS),
		ECharts:  template.JS(echartsJS),
		PageJS:   template.JS(pageJS),
	}
	if strings.TrimSpace(d.Title) == "" {
		d.Title = label(lang, "report")
	}
	if !r.GeneratedAt.IsZero() {
		d.Generated = r.GeneratedAt.Format("2006-01-02 15:04 -07:00")
	}

	d.Attention = buildAttention(r.Groups, lang)
	specs := make([]chartSpec, 0, len(r.Trends)+len(r.Heatmaps))
	for i, t := range r.Trends {
		view, spec, err := buildChart(i, t, lang)
		if err != nil {
			return nil, err
		}
		if strings.HasPrefix(t.Key, "risk.") && r.Risk != nil {
			view.Wide = true
			d.RiskChart = append(d.RiskChart, view)
		} else {
			d.Charts = append(d.Charts, view)
		}
		specs = append(specs, spec)
	}
	if n := len(d.Charts); n%2 == 1 && n > 1 { // no half-empty last row in the two-column grid
		d.Charts[n-1].Wide = true
	}
	for i, h := range r.Heatmaps {
		view, spec, err := buildHeatmap(chartID(len(r.Trends)+i), h, lang)
		if err != nil {
			return nil, err
		}
		view.Wide = len(h.YLabels) > 10 || len(r.Heatmaps) == 1
		d.Heatmaps = append(d.Heatmaps, view)
		specs = append(specs, spec)
	}
	chartSpecs, err := scriptJSON(specs)
	if err != nil {
		return nil, err
	}
	i18n, err := scriptJSON(map[string]string{"hours": label(lang, "hoursUnit"), "minutes": label(lang, "minutesUnit")})
	if err != nil {
		return nil, err
	}
	// The text of the element, byte for byte, is what the CSP hash covers.
	data := "\nvar CKPI_CHARTS = " + string(chartSpecs) + ";\nvar CKPI_I18N = " + string(i18n) + ";\n"
	d.DataJS = template.JS(data)
	d.CSP = contentSecurityPolicy(data)
	return d, nil
}

// scriptJSON marshals v for a <script> element: encoding/json escapes <, >,
// & and U+2028/9, so no string in it can end the element.
func scriptJSON(v any) (template.JS, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("reports: html: %w", err)
	}
	return template.JS(b), nil
}

// labelsFor is the dictionary of lang with English for anything missing.
func labelsFor(lang string) map[string]string {
	m := make(map[string]string, len(labels["en"]))
	for k, v := range labels["en"] {
		m[k] = v
	}
	for k, v := range labels[normLang(lang)] {
		m[k] = v
	}
	return m
}

// periodText writes the report week as its first and last day; end is
// exclusive.
func periodText(start, end time.Time) string {
	if start.IsZero() || end.IsZero() || !end.After(start) {
		return ""
	}
	return start.Format("2006-01-02") + " – " + end.Add(-time.Nanosecond).Format("2006-01-02")
}
