package reports

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// heatmapColors run from "little" to "much": the brand blue, pale at the
// bottom so that an empty week stands out as a gap in a row.
var heatmapColors = []string{"#f3f6fb", "#c6d8f5", "#7fa7ea", "#2f6fdb", "#1c4a9e"}

// Sizes of a heatmap on the page: a row's height, and the room the axis
// labels and the colour scale take.
const (
	heatmapRowHeight  = 24
	heatmapMinRow     = 30 // short grids (weekdays, cohorts) get taller rows
	heatmapChrome     = 96
	heatmapLabelLimit = 12 // columns up to which every cell shows its value
)

// heatmapHeight is the height of a heatmap with rows rows, in pixels.
func heatmapHeight(rows int) int {
	rh := heatmapRowHeight
	if rows <= 10 {
		rh = heatmapMinRow
	}
	return max(rows, 1)*rh + heatmapChrome
}

// buildHeatmap turns a Heatmap into a go-echarts heatmap with a colour
// scale (visualMap). Cells are [x, y, value]; nil values are "-" (no cell).
// Rows read top down, the first row at the top.
func buildHeatmap(id string, h Heatmap, lang string) (chartView, chartSpec, error) {
	lo, hi, known := heatmapRange(h)
	empty := known == 0 || len(h.XLabels) == 0 || len(h.YLabels) == 0
	xl, yl := h.XLabels, h.YLabels
	if xl == nil {
		xl = []string{}
	}
	if yl == nil {
		yl = []string{}
	}
	global := []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{
			ChartID: id, Width: "100%", Height: strconv.Itoa(heatmapHeight(len(yl))) + "px", Theme: "white",
		}),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "16", Top: "8", Bottom: "52", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{
			Type:      "category",
			Data:      xl, // HeatMap.Validate, unlike the other charts', does not copy SetXAxis' labels
			SplitArea: &opts.SplitArea{Show: opts.Bool(true)},
			AxisLabel: &opts.AxisLabel{Color: "#5b6675", HideOverlap: opts.Bool(true)},
			AxisTick:  &opts.AxisTick{Show: opts.Bool(false)},
			AxisLine:  &opts.AxisLine{LineStyle: &opts.LineStyle{Color: "#c9d1db"}},
		}),
		charts.WithYAxisOpts(opts.YAxis{
			Type:      "category",
			Data:      yl,
			Inverse:   opts.Bool(true),
			SplitArea: &opts.SplitArea{Show: opts.Bool(true)},
			AxisLabel: &opts.AxisLabel{Color: "#33404f"},
			AxisLine:  &opts.AxisLine{Show: opts.Bool(false)},
		}),
		charts.WithVisualMapOpts(opts.VisualMap{
			Type:       "continuous",
			Calculable: opts.Bool(false),
			Min:        float32(lo),
			Max:        float32(hi),
			Orient:     "horizontal",
			Left:       "center",
			Bottom:     "0",
			InRange:    &opts.VisualMapInRange{Color: heatmapColors},
			Text:       []string{FormatValue(h.Format, &hi, lang), FormatValue(h.Format, &lo, lang)},
			TextStyle:  &opts.TextStyle{Color: "#5b6675"},
		}),
	}
	if empty {
		global = append(global, charts.WithTitleOpts(opts.Title{
			Title: label(lang, "noData"), Left: "center", Top: "middle",
			TitleStyle: &opts.TextStyle{Color: "#8a94a3", FontSize: 14, FontWeight: "normal"},
		}))
	}
	c := charts.NewHeatMap()
	c.SetGlobalOptions(global...)
	c.SetXAxis(xl)
	data := make([]opts.HeatMapData, 0, len(yl)*len(xl))
	for y := range yl {
		for x := range xl {
			var v *float64
			if y < len(h.Values) && x < len(h.Values[y]) {
				v = h.Values[y][x]
			}
			data = append(data, opts.HeatMapData{Value: [3]any{x, y, chartValue(v)}})
		}
	}
	name := h.Title
	if h.Short != "" {
		name = h.Short
	}
	c.AddSeries(name, data, charts.WithLabelOpts(opts.Label{
		Show: opts.Bool(len(xl) <= heatmapLabelLimit && !empty), FontSize: 11,
	}))
	snip := c.RenderSnippet()
	option, err := safeJSON(snip.Option)
	if err != nil {
		return chartView{}, chartSpec{}, fmt.Errorf("reports: heatmap %q: %w", h.Key, err)
	}
	view := chartView{
		ID:      id,
		Title:   h.Title,
		Note:    h.Note,
		Element: template.HTML(strings.TrimSpace(snip.Element)), // go-echarts' html/template, from our ID and sizes
		Empty:   empty,
	}
	return view, chartSpec{ID: id, Kind: "heatmap", Format: h.Format, Option: option}, nil
}

// heatmapRange is the colour scale of a heatmap: counts from zero to their
// largest value, shares and scores between their smallest and largest.
func heatmapRange(h Heatmap) (lo, hi float64, known int) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, row := range h.Values {
		for _, v := range row {
			if !isNumber(v) {
				continue
			}
			known++
			lo, hi = min(lo, *v), max(hi, *v)
		}
	}
	if known == 0 {
		return 0, 1, 0
	}
	if h.Format == Int || h.Format == Float || h.Format == "" {
		lo = min(lo, 0)
	}
	if hi <= lo {
		hi = lo + 1
	}
	return lo, hi, known
}
