package reports

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// trendBlock is where one trend's data sits on the Trends sheet: a title
// row, a header row (week, series names), then one row per label.
type trendBlock struct {
	trend     Trend
	headerRow int
	firstRow  int // first data row
	lastRow   int
	series    int // series columns written, from column B
}

// chartable reports whether the block has data a chart can show.
func (b trendBlock) chartable() bool {
	return b.series > 0 && b.lastRow >= b.firstRow && !trendEmpty(b.trend)
}

// writeTrends writes every trend's data to the Trends sheet, which the
// Summary charts refer to.
func (wb *workbook) writeTrends() ([]trendBlock, error) {
	f, s, st := wb.f, SheetTrends, wb.styles
	var blocks []trendBlock
	row := 1
	if err := f.SetCellStr(s, cell(1, row), label(wb.lang, "trendsSheet")); err != nil {
		return nil, fmt.Errorf("reports: xlsx trends: %w", err)
	}
	_ = f.SetCellStyle(s, cell(1, row), cell(1, row), st.subtitle)
	row += 2
	widths := map[int]int{1: displayWidth(label(wb.lang, "week"))}
	maxCols := 1
	for _, t := range wb.r.Trends {
		if err := f.SetCellStr(s, cell(1, row), t.Title); err != nil {
			return nil, fmt.Errorf("reports: xlsx trends: %w", err)
		}
		if err := f.SetCellStyle(s, cell(1, row), cell(1, row), st.section); err != nil {
			return nil, err
		}
		b := trendBlock{trend: t, headerRow: row + 1, firstRow: row + 2, series: len(t.Series)}
		b.lastRow = b.firstRow + len(t.Labels) - 1
		header := append([]string{label(wb.lang, "week")}, seriesNames(t)...)
		for c, h := range header {
			if err := f.SetCellStr(s, cell(c+1, b.headerRow), h); err != nil {
				return nil, err
			}
			widths[c+1] = max(widths[c+1], displayWidth(h))
		}
		if err := f.SetCellStyle(s, cell(1, b.headerRow), cell(len(header), b.headerRow), st.header); err != nil {
			return nil, err
		}
		maxCols = max(maxCols, len(header))
		for i, l := range t.Labels {
			r := b.firstRow + i
			if err := f.SetCellStr(s, cell(1, r), l); err != nil {
				return nil, err
			}
			widths[1] = max(widths[1], displayWidth(l))
			for j, ser := range t.Series {
				if i >= len(ser.Values) || !isNumber(ser.Values[i]) {
					continue // a blank cell: a gap in the chart
				}
				if err := f.SetCellFloat(s, cell(j+2, r), *ser.Values[i], -1, 64); err != nil {
					return nil, err
				}
			}
		}
		if len(t.Labels) > 0 && len(t.Series) > 0 {
			if err := f.SetCellStyle(s, cell(2, b.firstRow), cell(len(t.Series)+1, b.lastRow), st.numberStyle(t.Format)); err != nil {
				return nil, err
			}
		}
		if len(t.Labels) > 0 {
			_ = f.SetCellStyle(s, cell(1, b.firstRow), cell(1, b.lastRow), st.text)
		}
		blocks = append(blocks, b)
		row = max(b.lastRow, b.headerRow) + 2
	}
	for c := 1; c <= maxCols; c++ {
		col, _ := excelize.ColumnNumberToName(c)
		w := max(widths[c], 10)
		if err := f.SetColWidth(s, col, col, columnWidth(w)); err != nil {
			return nil, err
		}
	}
	return blocks, nil
}

// seriesNames are the header cells of a trend's series; an unnamed series
// gets the trend's title, so every chart legend has a name to show.
func seriesNames(t Trend) []string {
	out := make([]string, len(t.Series))
	for i, s := range t.Series {
		out[i] = s.Name
		if strings.TrimSpace(out[i]) == "" {
			out[i] = t.Title
		}
	}
	return out
}

// excelChartType maps a trend kind to a native chart type.
func excelChartType(kind string) excelize.ChartType {
	switch kind {
	case "bar":
		return excelize.Col
	case "stacked":
		return excelize.ColStacked
	}
	return excelize.Line
}

// chartOf builds the native chart of a trend block, and the charts it is
// combined with: series drawn another way (a line over bars) or on the
// second value axis. Every series name, category and value is a reference
// to the Trends sheet: no user text goes into a chart formula.
func (wb *workbook) chartOf(b trendBlock) (*excelize.Chart, []*excelize.Chart) {
	ref := func(c1, r1, c2, r2 int) string {
		return "'" + SheetTrends + "'!" + absCell(c1, r1) + ":" + absCell(c2, r2)
	}
	// One chart per kind of drawing and axis, in the order series come.
	type part struct {
		typ  excelize.ChartType
		axis int
	}
	var parts []part
	byPart := map[part]*excelize.Chart{}
	var main *excelize.Chart
	var combo []*excelize.Chart
	for j, ser := range b.trend.Series {
		typ := excelChartType(b.trend.Kind)
		switch ser.Kind {
		case "line":
			typ = excelize.Line
		case "bar":
			if typ == excelize.Line {
				typ = excelize.Col
			}
		}
		p := part{typ, min(max(ser.Axis, 0), 1)}
		c, ok := byPart[p]
		if !ok {
			c = &excelize.Chart{
				Type:  typ,
				YAxis: excelize.ChartAxis{Secondary: p.axis == 1 && main != nil, Font: excelize.Font{Color: "5B6675", Size: 9}, NumFmt: excelize.ChartNumFmt{CustomNumFmt: chartAxisFmt(b.trend.Format)}},
			}
			byPart[p] = c
			parts = append(parts, p)
			if main == nil {
				main = c
			} else {
				combo = append(combo, c)
			}
		}
		col := j + 2
		s := excelize.ChartSeries{
			Name:       "'" + SheetTrends + "'!" + absCell(col, b.headerRow),
			Categories: ref(1, b.firstRow, 1, b.lastRow),
			Values:     ref(col, b.firstRow, col, b.lastRow),
		}
		fill := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{strings.TrimPrefix(chartPalette[j%len(chartPalette)], "#")}}
		s.Fill = fill // the bar colour, or the line colour of a line chart
		if typ == excelize.Line {
			s.Line = excelize.LineOptions{Width: 2.25}
			s.Marker = excelize.ChartMarker{Symbol: "circle", Size: 5, Fill: fill}
		}
		c.Series = append(c.Series, s)
	}
	if main == nil {
		main = &excelize.Chart{Type: excelChartType(b.trend.Kind)}
	}
	main.Dimension = excelize.ChartDimension{Width: 520, Height: 320}
	main.Title = excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: b.trend.Title, Font: &excelize.Font{Bold: true, Size: 12, Color: "1D2733"}}}}
	main.Legend = excelize.ChartLegend{Position: "bottom"}
	main.ShowBlanksAs = "gap"
	main.XAxis = excelize.ChartAxis{Font: excelize.Font{Color: "5B6675", Size: 9}}
	main.YAxis.MajorGridLines = true
	main.Format = excelize.GraphicOptions{PrintObject: boolPtr(true), LockAspectRatio: false, Locked: boolPtr(false)}
	if !showLegend(b.trend) {
		main.Legend.Position = "none"
	}
	for _, c := range append([]*excelize.Chart{main}, combo...) {
		if c.Type == excelize.Line {
			continue
		}
		if trendMin(b.trend) >= 0 { // bars start at zero, or their heights mislead
			zero := 0.0
			c.YAxis.Minimum = &zero
		}
		gap := uint(60)
		c.GapWidth = &gap
		if c.Type == excelize.ColStacked {
			overlap := 100
			c.Overlap = &overlap
		}
	}
	return main, combo
}

// chartAxisFmt is the value-axis number format of a chart.
func chartAxisFmt(f Format) string {
	switch f {
	case Percent:
		return "0%"
	case Money:
		return "#,##0.00"
	case Hours:
		return `0.0" h"`
	case Minutes:
		return `#,##0" min"`
	case Float:
		return "#,##0.0"
	}
	return "#,##0"
}

func boolPtr(b bool) *bool { return &b }

// trendMin is the smallest value of a trend (0 when it has none).
func trendMin(t Trend) float64 {
	lo := 0.0
	for _, s := range t.Series {
		for _, v := range s.Values {
			if isNumber(v) && *v < lo {
				lo = *v
			}
		}
	}
	return lo
}
