package reports

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/ckpi/ckpi/metrics"
)

// Layout of the Summary sheet.
const (
	summaryHeaderRow = 5  // KPI | This week | Last week | Change
	chartRowsTall    = 20 // rows one chart (320 px) takes, with space: LibreOffice's rows are lower than Excel's
	chartsPerRow     = 2
)

// writeSummary writes the title, the KPI table with its week-over-week
// change (green when it goes the GoodWhen way, red otherwise, as Excel
// conditional formats), and one native chart per trend that has data.
func (wb *workbook) writeSummary(blocks []trendBlock) error {
	f, s, st, r := wb.f, SheetSummary, wb.styles, wb.r
	L := func(k string) string { return label(wb.lang, k) }
	fail := func(err error) error { return fmt.Errorf("reports: xlsx summary: %w", err) }

	title := r.Title
	if strings.TrimSpace(title) == "" {
		title = L("report")
	}
	var sub []string
	if r.Week != "" {
		week := r.Week
		if r.InProgress {
			week += " (" + L("inProgress") + ")"
		}
		sub = append(sub, L("week")+": "+week)
	}
	if p := periodText(r.Start, r.End); p != "" {
		sub = append(sub, L("period")+": "+p)
	}
	if r.TimeZone != "" {
		sub = append(sub, L("timeZone")+": "+r.TimeZone)
	}
	lines := []struct {
		text  string
		style int
	}{{title, st.title}, {strings.Join(sub, "   ·   "), st.subtitle}}
	if !r.GeneratedAt.IsZero() {
		lines = append(lines, struct {
			text  string
			style int
		}{L("generatedAt") + ": " + r.GeneratedAt.Format("2006-01-02 15:04 -07:00"), st.subtitle})
	}
	for i, l := range lines {
		if err := f.SetCellStr(s, cell(1, i+1), l.text); err != nil {
			return fail(err)
		}
		if err := f.SetCellStyle(s, cell(1, i+1), cell(1, i+1), l.style); err != nil {
			return fail(err)
		}
	}
	if err := f.SetRowHeight(s, 1, 24); err != nil {
		return fail(err)
	}

	// The KPI table.
	header := []string{L("kpi"), L("thisWeek"), L("lastWeek"), L("change"), L("allGroups"), L("notes")}
	for c, h := range header {
		if err := f.SetCellStr(s, cell(c+1, summaryHeaderRow), h); err != nil {
			return fail(err)
		}
	}
	if err := f.SetCellStyle(s, cell(1, summaryHeaderRow), cell(1, summaryHeaderRow), st.header); err != nil {
		return fail(err)
	}
	if err := f.SetCellStyle(s, cell(2, summaryHeaderRow), cell(4, summaryHeaderRow), st.headerNum); err != nil {
		return fail(err)
	}
	if err := f.SetCellStyle(s, cell(5, summaryHeaderRow), cell(6, summaryHeaderRow), st.header); err != nil {
		return fail(err)
	}
	noteWidth := displayWidth(header[5])
	kpiWidth := displayWidth(header[0])
	for i, c := range r.Cards {
		row := summaryHeaderRow + 1 + i
		if err := f.SetCellStr(s, cell(1, row), c.Title); err != nil {
			return fail(err)
		}
		kpiWidth = max(kpiWidth, displayWidth(c.Title))
		if err := f.SetCellStyle(s, cell(1, row), cell(1, row), st.text); err != nil {
			return fail(err)
		}
		for col, v := range []*float64{c.Value, c.Previous} {
			if !isNumber(v) {
				continue
			}
			if err := f.SetCellFloat(s, cell(col+2, row), *v, -1, 64); err != nil {
				return fail(err)
			}
		}
		if err := f.SetCellStyle(s, cell(2, row), cell(3, row), st.numberStyle(c.Format)); err != nil {
			return fail(err)
		}
		changeStyle := st.change
		if ch, ok := c.Change(); ok {
			var err error
			v := ch.Value
			if ch.Kind == metrics.ChangeRelative {
				v /= 100 // a percentage format
			}
			if err := f.SetCellFloat(s, cell(4, row), v, -1, 64); err != nil {
				return fail(err)
			}
			if changeStyle, err = st.changeStyle(ch.Kind, c.Format, wb.lang); err != nil {
				return fail(err)
			}
		}
		if err := f.SetCellStyle(s, cell(4, row), cell(4, row), changeStyle); err != nil {
			return fail(err)
		}
		if err := wb.colourChange(cell(4, row), c.GoodWhen); err != nil {
			return fail(err)
		}
		for col, text := range []string{c.Rollup, c.Note} { // "total": how the all-groups number is formed
			if text == "" {
				continue
			}
			if err := f.SetCellStr(s, cell(5+col, row), text); err != nil {
				return fail(err)
			}
			if err := f.SetCellStyle(s, cell(5+col, row), cell(5+col, row), st.text); err != nil {
				return fail(err)
			}
		}
		noteWidth = max(noteWidth, displayWidth(c.Note))
	}
	// What the data can support, below the KPIs.
	for i, n := range r.Notices {
		ref := cell(1, summaryHeaderRow+len(r.Cards)+2+i)
		if err := f.SetCellStr(s, ref, n); err != nil {
			return fail(err)
		}
		if err := f.SetCellStyle(s, ref, ref, st.subtitle); err != nil {
			return fail(err)
		}
	}
	if err := f.SetColWidth(s, "A", "A", columnWidth(max(kpiWidth, 26))); err != nil {
		return fail(err)
	}
	if err := f.SetColWidth(s, "B", "E", 14); err != nil {
		return fail(err)
	}
	if err := f.SetColWidth(s, "F", "F", columnWidth(min(noteWidth, 60))); err != nil {
		return fail(err)
	}

	// The charts, two abreast, below the table.
	row := summaryHeaderRow + len(r.Cards) + len(r.Notices) + 3
	placed := 0
	for _, b := range blocks {
		if !b.chartable() {
			continue
		}
		if placed == 0 {
			if err := f.SetCellStr(s, cell(1, row-1), L("trends")); err != nil {
				return fail(err)
			}
			if err := f.SetCellStyle(s, cell(1, row-1), cell(1, row-1), st.section); err != nil {
				return fail(err)
			}
		}
		anchor := cell(1, row+(placed/chartsPerRow)*chartRowsTall)
		if placed%chartsPerRow == 1 {
			anchor = cell(6, row+(placed/chartsPerRow)*chartRowsTall)
		}
		main, combo := wb.chartOf(b)
		if err := f.AddChart(s, anchor, main, combo...); err != nil {
			return fail(fmt.Errorf("chart %q: %w", b.trend.Key, err))
		}
		placed++
	}
	if err := wb.fitToWidth(s); err != nil {
		return fail(err)
	}
	return f.SetSheetView(s, 0, &excelize.ViewOptions{ShowGridLines: boolPtr(false)})
}

// colourChange adds the conditional format of a change cell: green when the
// change goes the GoodWhen way, red when it goes the other; nothing when
// GoodWhen is neither "up" nor "down".
func (wb *workbook) colourChange(ref, goodWhen string) error {
	up, down := wb.styles.good, wb.styles.bad
	switch strings.ToLower(goodWhen) {
	case "up":
	case "down":
		up, down = down, up
	default:
		return nil
	}
	return wb.f.SetConditionalFormat(SheetSummary, ref, []excelize.ConditionalFormatOptions{
		{Type: "cell", Criteria: ">", Value: "0", Format: &up},
		{Type: "cell", Criteria: "<", Value: "0", Format: &down},
	})
}
