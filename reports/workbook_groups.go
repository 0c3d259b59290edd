package reports

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// flagSeparator joins a group's flags in one cell.
const flagSeparator = "; "

// writeGroups writes every group to the Groups sheet with a StreamWriter:
// the ranking's columns, then the flags joined by "; ", a frozen header row,
// an autofilter, number formats and column widths that fit CJK text.
func (wb *workbook) writeGroups() error {
	gs := wb.r.Groups
	if len(gs)+1 > excelize.TotalRows {
		return fmt.Errorf("reports: xlsx groups: %d groups do not fit in one sheet", len(gs))
	}
	header := make([]string, 0, len(groupColumns)+1)
	numeric := make([]bool, 0, len(groupColumns)+1)
	for _, c := range groupColumns {
		header = append(header, label(wb.lang, c.Label))
		numeric = append(numeric, c.Format != Text && c.Label != "rank")
	}
	header = append(header, label(wb.lang, "flags"))
	numeric = append(numeric, false)

	// Column widths must be known before the first row is streamed.
	widths := make([]int, len(header))
	for i, h := range header {
		widths[i] = displayWidth(h)
	}
	for _, g := range gs {
		for i, c := range groupColumns {
			if c.Format == Text {
				widths[i] = max(widths[i], displayWidth(c.Text(g)))
			} else {
				widths[i] = max(widths[i], displayWidth(FormatValue(c.Format, c.Value(g), wb.lang)))
			}
		}
		widths[len(widths)-1] = max(widths[len(widths)-1], displayWidth(strings.Join(g.Flags, flagSeparator)))
	}

	values := func(g Group) []any {
		row := make([]any, 0, len(header))
		for _, c := range groupColumns {
			if c.Format == Text {
				row = append(row, excelize.Cell{StyleID: wb.styles.text, Value: c.Text(g)})
				continue
			}
			v := c.Value(g)
			if !isNumber(v) {
				row = append(row, nil)
				continue
			}
			style := wb.styles.numberStyle(c.Format)
			if c.Label == "rank" {
				style = wb.styles.rank
			}
			row = append(row, excelize.Cell{StyleID: style, Value: *v})
		}
		if len(g.Flags) == 0 {
			return append(row, nil)
		}
		return append(row, excelize.Cell{StyleID: wb.styles.textIndented, Value: strings.Join(g.Flags, flagSeparator)})
	}
	rows := func(yield func([]any) bool) {
		for _, g := range gs {
			if !yield(values(g)) {
				return
			}
		}
	}
	// Health scores and participation coloured red (low) to green (high).
	scales := func(lastRow int) error {
		if lastRow < 2 {
			return nil
		}
		for i, c := range groupColumns {
			if c.Label != "healthScore" && c.Label != "participation" {
				continue
			}
			ref := cell(i+1, 2) + ":" + cell(i+1, lastRow)
			if err := wb.f.SetConditionalFormat(SheetGroups, ref, []excelize.ConditionalFormatOptions{{
				Type: "3_color_scale", Criteria: "=",
				MinType: "min", MidType: "percentile", MidValue: "50", MaxType: "max",
				MinColor: "F8B4B0", MidColor: "FFF1C2", MaxColor: "B7E1C1",
			}}); err != nil {
				return err
			}
		}
		return nil
	}
	if err := wb.streamSheet(SheetGroups, header, numeric, widths, rows, scales); err != nil {
		return fmt.Errorf("reports: xlsx groups: %w", err)
	}
	return nil
}

// streamSheet writes a sheet with a StreamWriter: column widths, a frozen
// header row (right-aligned over numeric columns), the rows, and an
// autofilter over all of them. Every string in
// a row must be a string value (or an excelize.Cell holding one) so that it
// is written as an inline string, never as a formula.
//
// after, when given, runs once the rows are written, before the sheet is
// flushed, with the number of the last row: for conditional formats, which,
// like the autofilter, the StreamWriter writes out at Flush.
func (wb *workbook) streamSheet(sheet string, header []string, numeric []bool, widths []int, rows func(yield func([]any) bool), after ...func(lastRow int) error) error {
	if len(header) == 0 {
		return nil
	}
	if len(header) > excelize.MaxColumns {
		return fmt.Errorf("%d columns do not fit in one sheet", len(header))
	}
	if err := wb.fitToWidth(sheet); err != nil {
		return err
	}
	sw, err := wb.f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, columnWidth(w)); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return err
	}
	head := make([]any, len(header))
	for i, h := range header {
		style := wb.styles.header
		if i < len(numeric) && numeric[i] {
			style = wb.styles.headerNum
		}
		head[i] = excelize.Cell{StyleID: style, Value: h}
	}
	if err := sw.SetRow("A1", head, excelize.RowOpts{Height: 30}); err != nil {
		return err
	}
	n := 1
	var rowErr error
	rows(func(values []any) bool {
		n++
		if n > excelize.TotalRows {
			rowErr = fmt.Errorf("more than %d rows do not fit in one sheet", excelize.TotalRows-1)
			return false
		}
		rowErr = sw.SetRow(cell(1, n), values)
		return rowErr == nil
	})
	if rowErr != nil {
		return rowErr
	}
	// The autofilter is recorded on the worksheet the StreamWriter writes
	// out at Flush, so it must be set before.
	if err := wb.f.AutoFilter(sheet, cell(1, 1)+":"+cell(len(header), n), nil); err != nil {
		return err
	}
	for _, fn := range after {
		if err := fn(n); err != nil {
			return err
		}
	}
	return sw.Flush()
}
