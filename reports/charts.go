package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/render"
)

// chartPalette is the series colour order of every chart: calm, distinct,
// and free of the red/green used for good and bad news on the cards.
var chartPalette = opts.Colors{
	"#2f6fdb", "#f2a93b", "#3bb8c9", "#8e6ad8", "#d45d9b", "#7f8c9a", "#c9a227", "#4f9d69",
}

// chartHeight is the height of every trend chart; the width follows the page.
const chartHeight = "320px"

// chartView is one trend chart placed in the page: the go-echarts element
// (a sized div with our ID) and the option the page script hands to ECharts.
type chartView struct {
	ID      string
	Title   string
	Note    string
	Element template.HTML // from go-echarts RenderSnippet: only our ID and sizes in it
	Empty   bool
	Wide    bool // takes the whole width of the grid
}

// chartSpec is what the page script needs to draw one chart; it is written
// into the page as JSON.
type chartSpec struct {
	ID     string          `json:"id"`
	Kind   string          `json:"kind,omitempty"` // "heatmap", or a trend
	Format Format          `json:"format"`
	Option json.RawMessage `json:"option"`
}

// chartID is the element ID of the i-th trend chart: fixed, so the page is
// deterministic (go-echarts would otherwise pick a random one).
func chartID(i int) string { return fmt.Sprintf("ckpi_chart_%d", i+1) }

// buildChart turns a Trend into a go-echarts chart and takes its snippet.
// Series values that are nil (or not finite) become ECharts' "-" (no data),
// drawn as a gap; a trend with no data gets a "No data" note instead of axes.
func buildChart(i int, t Trend, lang string) (chartView, chartSpec, error) {
	id := chartID(i)
	empty := trendEmpty(t)
	labels := t.Labels
	if labels == nil {
		labels = []string{}
	}

	global := []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{
			ChartID: id, Width: "100%", Height: chartHeight, Theme: "white",
		}),
		charts.WithColorsOpts(chartPalette),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{
			Show: opts.Bool(showLegend(t)), Type: "scroll", Top: "0", Left: "center",
		}),
		charts.WithGridOpts(opts.Grid{
			Left: "8", Right: "16", Top: gridTop(t), Bottom: "8", ContainLabel: opts.Bool(true),
		}),
		charts.WithXAxisOpts(opts.XAxis{
			Type:      "category",
			AxisLabel: &opts.AxisLabel{Color: "#5b6675", HideOverlap: opts.Bool(true)},
			AxisTick:  &opts.AxisTick{Show: opts.Bool(false)},
			AxisLine:  &opts.AxisLine{LineStyle: &opts.LineStyle{Color: "#c9d1db"}},
		}),
		charts.WithYAxisOpts(opts.YAxis{
			Type:        "value",
			AxisLabel:   &opts.AxisLabel{Color: "#5b6675"},
			SplitLine:   &opts.SplitLine{Show: opts.Bool(true), LineStyle: &opts.LineStyle{Color: "#edf0f4"}},
			MinInterval: countStep(t.Format),
		}),
	}
	if empty {
		global = append(global, charts.WithTitleOpts(opts.Title{
			Title: label(lang, "noData"), Left: "center", Top: "middle",
			TitleStyle: &opts.TextStyle{Color: "#8a94a3", FontSize: 14, FontWeight: "normal"},
		}))
	}

	secondary := false
	for _, s := range t.Series {
		secondary = secondary || s.Axis == 1
	}
	if secondary && !empty {
		global = append(global, charts.WithGridOpts(opts.Grid{
			Left: "8", Right: "8", Top: gridTop(t), Bottom: "8", ContainLabel: opts.Bool(true),
		}))
	}

	var r render.Renderer
	switch t.Kind {
	case "bar", "stacked":
		c := charts.NewBar()
		c.SetGlobalOptions(global...)
		c.SetXAxis(labels)
		var lines []*charts.Line
		for _, s := range t.Series {
			if s.Kind == "line" {
				l := charts.NewLine()
				l.SetXAxis(labels)
				addLine(l, s)
				lines = append(lines, l)
				continue
			}
			bo := opts.BarChart{BarCategoryGap: "35%", BarGap: "10%", YAxisIndex: s.Axis}
			if t.Kind == "stacked" {
				bo.Stack = "total"
			}
			c.AddSeries(s.Name, barData(s.Values), charts.WithBarChartOpts(bo))
		}
		for _, l := range lines {
			c.Overlap(l)
		}
		if secondary {
			c.ExtendYAxis(secondAxis())
		}
		r = c
	default: // "line" and anything unknown
		c := charts.NewLine()
		c.SetGlobalOptions(global...)
		c.SetXAxis(labels)
		var bars []*charts.Bar
		for _, s := range t.Series {
			if s.Kind == "bar" {
				b := charts.NewBar()
				b.SetXAxis(labels)
				b.AddSeries(s.Name, barData(s.Values), charts.WithBarChartOpts(opts.BarChart{BarCategoryGap: "35%", YAxisIndex: s.Axis}))
				bars = append(bars, b)
				continue
			}
			addLine(c, s)
		}
		for _, b := range bars {
			c.Overlap(b)
		}
		if secondary {
			c.ExtendYAxis(secondAxis())
		}
		r = c
	}

	snip := r.RenderSnippet()
	option, err := safeJSON(snip.Option)
	if err != nil {
		return chartView{}, chartSpec{}, fmt.Errorf("reports: chart %q: %w", t.Key, err)
	}
	view := chartView{
		ID:      id,
		Title:   t.Title,
		Element: template.HTML(strings.TrimSpace(snip.Element)), // built by go-echarts' html/template from our ID and sizes
		Empty:   empty,
	}
	return view, chartSpec{ID: id, Format: t.Format, Option: option}, nil
}

// addLine adds a series drawn as a line.
func addLine(c *charts.Line, s Series) {
	c.AddSeries(s.Name, lineData(s.Values),
		charts.WithLineChartOpts(opts.LineChart{
			ShowSymbol: opts.Bool(true), Symbol: "circle", SymbolSize: 6,
			ConnectNulls: opts.Bool(false), YAxisIndex: s.Axis,
		}),
		charts.WithLineStyleOpts(opts.LineStyle{Width: 2.5}))
}

// countStep keeps a chart of counts from ticks such as 0.5 violations.
func countStep(f Format) float64 {
	if f == Int {
		return 1
	}
	return 0
}

// secondAxis is the value axis on the right, for series of another scale.
// Its grid lines would not match the left axis': it draws none.
func secondAxis() opts.YAxis {
	return opts.YAxis{
		Type:      "value",
		Position:  "right",
		AxisLabel: &opts.AxisLabel{Color: "#5b6675"},
		SplitLine: &opts.SplitLine{Show: opts.Bool(false)},
	}
}

// showLegend says whether a chart needs a legend: when it has several
// series, or stacks series of categories (one category still needs naming).
func showLegend(t Trend) bool {
	return len(t.Series) > 1 || (t.Kind == "stacked" && len(t.Series) == 1)
}

// gridTop leaves room for the legend when there is one.
func gridTop(t Trend) string {
	if showLegend(t) {
		return "36"
	}
	return "16"
}

// trendEmpty reports whether a trend has nothing to draw.
func trendEmpty(t Trend) bool {
	if len(t.Labels) == 0 {
		return true
	}
	for _, s := range t.Series {
		for _, v := range s.Values {
			if isNumber(v) {
				return false
			}
		}
	}
	return true
}

// chartValue is the ECharts data value of v: the number, or "-" (ECharts'
// "no data", drawn as a gap) for nil, NaN and infinities, which JSON cannot
// carry anyway.
func chartValue(v *float64) any {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return "-"
	}
	return *v
}

func lineData(vs []*float64) []opts.LineData {
	d := make([]opts.LineData, len(vs))
	for i, v := range vs {
		d[i] = opts.LineData{Value: chartValue(v)}
	}
	return d
}

func barData(vs []*float64) []opts.BarData {
	d := make([]opts.BarData, len(vs))
	for i, v := range vs {
		d[i] = opts.BarData{Value: chartValue(v)}
	}
	return d
}

// safeJSON checks that a go-echarts option is plain JSON (no JavaScript
// functions spliced in) and returns it compacted, with <, >, & and the JS
// line separators escaped, so that user text in it (series names, labels)
// can never close the <script> element it is written into.
func safeJSON(option string) (json.RawMessage, error) {
	raw := []byte(strings.TrimSpace(option))
	if !json.Valid(raw) {
		return nil, fmt.Errorf("go-echarts option is not plain JSON")
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	json.HTMLEscape(&out, compact.Bytes())
	return out.Bytes(), nil
}
