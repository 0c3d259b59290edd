package reports

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Layout of a heatmap sheet: title, note, then the grid with its header row.
const (
	heatmapHeaderRow = 4
	heatmapFirstRow  = heatmapHeaderRow + 1
)

// Colours of a heatmap sheet's scale, as on the page but lighter at the top
// so that black numbers stay readable on every cell.
const (
	heatmapLowColor  = "F3F6FB"
	heatmapMidColor  = "A9C4F1"
	heatmapHighColor = "4F86E3"
)

// writeHeatmap writes a heatmap as a grid of numbers, coloured by a 3-colour
// scale (a conditional format, so the colours follow edits), with the row
// labels and the header row frozen. The grids are small (at most
// RhythmGroups rows), so the sheet is written cell by cell.
func (wb *workbook) writeHeatmap(sheet string, h Heatmap) error {
	f, st := wb.f, wb.styles
	fail := func(err error) error { return fmt.Errorf("reports: xlsx heatmap %q: %w", h.Key, err) }
	if err := wb.fitToWidth(sheet); err != nil {
		return fail(err)
	}
	if err := f.SetCellStr(sheet, cell(1, 1), h.Title); err != nil {
		return fail(err)
	}
	if err := f.SetCellStyle(sheet, cell(1, 1), cell(1, 1), st.title); err != nil {
		return fail(err)
	}
	note := strings.TrimSpace(h.Note + " " + label(wb.lang, "heatmapsSheet"))
	if err := f.SetCellStr(sheet, cell(1, 2), note); err != nil {
		return fail(err)
	}
	if err := f.SetCellStyle(sheet, cell(1, 2), cell(1, 2), st.subtitle); err != nil {
		return fail(err)
	}
	corner := h.YTitle
	if h.XTitle != "" {
		corner = strings.TrimSpace(h.YTitle + " \\ " + h.XTitle)
	}
	if err := f.SetCellStr(sheet, cell(1, heatmapHeaderRow), corner); err != nil {
		return fail(err)
	}
	width0 := displayWidth(corner)
	colWidth := 8
	for x, l := range h.XLabels {
		if err := f.SetCellStr(sheet, cell(x+2, heatmapHeaderRow), l); err != nil {
			return fail(err)
		}
		colWidth = max(colWidth, displayWidth(l))
	}
	last := max(len(h.XLabels)+1, 1)
	if err := f.SetCellStyle(sheet, cell(1, heatmapHeaderRow), cell(1, heatmapHeaderRow), st.header); err != nil {
		return fail(err)
	}
	if last > 1 {
		if err := f.SetCellStyle(sheet, cell(2, heatmapHeaderRow), cell(last, heatmapHeaderRow), st.headerNum); err != nil {
			return fail(err)
		}
	}
	for y, l := range h.YLabels {
		row := heatmapFirstRow + y
		if err := f.SetCellStr(sheet, cell(1, row), l); err != nil { // user text: a string cell, never a formula
			return fail(err)
		}
		width0 = max(width0, displayWidth(l))
		for x := range h.XLabels {
			if y >= len(h.Values) || x >= len(h.Values[y]) || !isNumber(h.Values[y][x]) {
				continue
			}
			v := *h.Values[y][x]
			if err := f.SetCellFloat(sheet, cell(x+2, row), v, -1, 64); err != nil {
				return fail(err)
			}
			colWidth = max(colWidth, displayWidth(FormatValue(h.Format, &v, wb.lang)))
		}
	}
	lastRow := heatmapFirstRow + len(h.YLabels) - 1
	if len(h.YLabels) > 0 {
		if err := f.SetCellStyle(sheet, cell(1, heatmapFirstRow), cell(1, lastRow), st.text); err != nil {
			return fail(err)
		}
		if last > 1 {
			grid := cell(2, heatmapFirstRow) + ":" + cell(last, lastRow)
			if err := f.SetCellStyle(sheet, cell(2, heatmapFirstRow), cell(last, lastRow), st.numberStyle(h.Format)); err != nil {
				return fail(err)
			}
			if err := f.SetConditionalFormat(sheet, grid, []excelize.ConditionalFormatOptions{{
				Type: "3_color_scale", Criteria: "=",
				MinType: "min", MidType: "percentile", MidValue: "50", MaxType: "max",
				MinColor: heatmapLowColor, MidColor: heatmapMidColor, MaxColor: heatmapHighColor,
			}}); err != nil {
				return fail(err)
			}
		}
	}
	if err := f.SetColWidth(sheet, "A", "A", columnWidth(min(width0, 40))); err != nil {
		return fail(err)
	}
	if last > 1 {
		lastCol, _ := excelize.ColumnNumberToName(last)
		if err := f.SetColWidth(sheet, "B", lastCol, columnWidth(colWidth)); err != nil {
			return fail(err)
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{
		Freeze: true, XSplit: 1, YSplit: heatmapHeaderRow, TopLeftCell: cell(2, heatmapFirstRow), ActivePane: "bottomRight",
		Selection: []excelize.Selection{{SQRef: cell(2, heatmapFirstRow), ActiveCell: cell(2, heatmapFirstRow), Pane: "bottomRight"}},
	}); err != nil {
		return fail(err)
	}
	return f.SetSheetView(sheet, 0, &excelize.ViewOptions{ShowGridLines: boolPtr(false)})
}
