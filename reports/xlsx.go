package reports

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"
)

// Fixed sheet names of the workbook; detail tables get theirs from their titles.
const (
	SheetSummary = "Summary"
	SheetGroups  = "Groups"
	SheetTrends  = "Trends"
)

// workbook is one workbook being written.
type workbook struct {
	f      *excelize.File
	r      *Weekly
	lang   string
	styles *workbookStyles
}

// RenderXLSX writes r as an Excel workbook: a Summary sheet first (KPIs with
// week-over-week change, coloured by GoodWhen, and native charts of the
// trends), then every group on "Groups", one sheet per detail table, and the
// chart data on "Trends". Headers are frozen and filterable, numbers carry
// number formats. All user text is written as string cells, never formulas.
func RenderXLSX(w io.Writer, r *Weekly) error {
	if r == nil {
		return ErrNilReport
	}
	f := excelize.NewFile()
	defer f.Close()

	wb := &workbook{f: f, r: r, lang: normLang(r.Lang)}
	var err error
	if wb.styles, err = newWorkbookStyles(f, wb.lang); err != nil {
		return err
	}

	// Sheets in reading order: Summary (the default sheet, renamed), Groups,
	// the detail tables, the heatmaps, then the chart data.
	if err := f.SetSheetName("Sheet1", SheetSummary); err != nil {
		return fmt.Errorf("reports: xlsx: %w", err)
	}
	names := newSheetNames(SheetSummary, SheetGroups, SheetTrends)
	tables := sheetTables(r)
	tableSheets := make([]string, len(tables))
	for i, t := range tables {
		tableSheets[i] = names.safe(t.Title, t.Key)
	}
	heatmapSheets := make([]string, len(r.Heatmaps))
	for i, h := range r.Heatmaps {
		title := h.Short
		if title == "" {
			title = h.Title
		}
		heatmapSheets[i] = names.safe(title, h.Key)
	}
	sheets := append(append(append([]string{SheetGroups}, tableSheets...), heatmapSheets...), SheetTrends)
	for _, s := range sheets {
		if _, err := f.NewSheet(s); err != nil {
			return fmt.Errorf("reports: xlsx: sheet %q: %w", s, err)
		}
	}

	blocks, err := wb.writeTrends()
	if err != nil {
		return err
	}
	if err := wb.writeSummary(blocks); err != nil {
		return err
	}
	if err := wb.writeGroups(); err != nil {
		return err
	}
	for i, t := range tables {
		if err := wb.writeTable(tableSheets[i], t); err != nil {
			return err
		}
	}
	for i, h := range r.Heatmaps {
		if err := wb.writeHeatmap(heatmapSheets[i], h); err != nil {
			return err
		}
	}

	f.SetActiveSheet(0)
	props := &excelize.DocProperties{Title: r.Title, Creator: "ckpi", Subject: r.Week, Language: label(wb.lang, "htmlLang")}
	if !r.GeneratedAt.IsZero() {
		props.Created = r.GeneratedAt.UTC().Format(time.RFC3339)
		props.Modified = props.Created
	}
	if err := f.SetDocProps(props); err != nil {
		return fmt.Errorf("reports: xlsx: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("reports: xlsx: %w", err)
	}
	return nil
}

// cell is the A1 reference of column col, row row (both from 1).
func cell(col, row int) string {
	name, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		panic(err) // only reachable past Excel's 16,384 columns or 1,048,576 rows
	}
	return name
}

// absCell is cell with $ anchors, for chart references.
func absCell(col, row int) string {
	name, err := excelize.CoordinatesToCellName(col, row, true)
	if err != nil {
		panic(err)
	}
	return name
}

// fitToWidth prints a sheet landscape, as wide as one page. On a sheet
// written with a StreamWriter it must come before NewStreamWriter.
func (wb *workbook) fitToWidth(sheet string) error {
	landscape, one, zero := "landscape", 1, 0
	if err := wb.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: boolPtr(true)}); err != nil {
		return err
	}
	return wb.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &one, FitToHeight: &zero})
}
