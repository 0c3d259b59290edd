package reports

import (
	"fmt"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
)

// flagSeparator joins a group's flags in one cell.
const flagSeparator = "; "

// writeGroups writes every group to the Groups sheet with a StreamWriter:
// the rank, the group and its platform, every groups column (the page's
// and the workbook's own), the flags joined by "; ", and the data notes
// (a number its data cannot fully support carries a mark, explained
// there); a frozen header row, an autofilter, number formats and column
// widths that fit CJK text.
func (wb *workbook) writeGroups() error {
	r := wb.r
	gs := r.Groups
	if len(gs)+1 > excelize.TotalRows {
		return fmt.Errorf("reports: xlsx groups: %d groups do not fit in one sheet", len(gs))
	}
	// The order of the GroupColumns on the sheet, with the group and its
	// platform (index -1, -2) after the rank.
	var order []int
	for i, c := range r.GroupColumns {
		if c.Rank {
			order = append(order, i)
		}
	}
	order = append(order, -1, -2)
	for i, c := range r.GroupColumns {
		if !c.Rank {
			order = append(order, i)
		}
	}
	header := make([]string, 0, len(order)+2)
	numeric := make([]bool, 0, len(order)+2)
	for _, i := range order {
		switch i {
		case -1:
			header, numeric = append(header, label(wb.lang, "group")), append(numeric, false)
		case -2:
			header, numeric = append(header, label(wb.lang, "platform")), append(numeric, false)
		default:
			header, numeric = append(header, r.GroupColumns[i].Title), append(numeric, !r.GroupColumns[i].Rank)
		}
	}
	header = append(header, label(wb.lang, "flags"), label(wb.lang, "notes"))
	numeric = append(numeric, false, false)

	var mk marks
	notes := make([]string, len(gs))
	for n, g := range gs {
		var parts []string
		for i, note := range g.Notes {
			if note != "" && i < len(g.Values) && isNumber(g.Values[i]) {
				m := mk.of(note)
				if !slices.Contains(parts, m+" "+note) {
					parts = append(parts, m+" "+note)
				}
			}
		}
		notes[n] = strings.Join(parts, flagSeparator)
	}
	text := func(g Group, i int) string {
		if i == -1 {
			return g.Name
		}
		return g.Platform
	}
	mark := func(g Group, i int) string {
		if i < len(g.Notes) && g.Notes[i] != "" {
			return " " + mk.of(g.Notes[i])
		}
		return ""
	}

	// Column widths must be known before the first row is streamed.
	widths := make([]int, len(header))
	for i, h := range header {
		widths[i] = displayWidth(h)
	}
	for n, g := range gs {
		for k, i := range order {
			if i < 0 {
				widths[k] = max(widths[k], displayWidth(text(g, i)))
			} else if i < len(g.Values) {
				widths[k] = max(widths[k], displayWidth(FormatValue(r.GroupColumns[i].Format, g.Values[i], wb.lang)+mark(g, i)))
			}
		}
		widths[len(order)] = max(widths[len(order)], displayWidth(strings.Join(g.Flags, flagSeparator)))
		widths[len(order)+1] = max(widths[len(order)+1], displayWidth(notes[n]))
	}

	var styleErr error
	values := func(n int, g Group) []any {
		row := make([]any, 0, len(header))
		for _, i := range order {
			if i < 0 {
				row = append(row, excelize.Cell{StyleID: wb.styles.text, Value: text(g, i)})
				continue
			}
			var v *float64
			if i < len(g.Values) {
				v = g.Values[i]
			}
			if !isNumber(v) {
				row = append(row, nil)
				continue
			}
			c := r.GroupColumns[i]
			style := wb.styles.rank
			if !c.Rank {
				var err error
				if style, err = wb.styles.withSuffix(c.Format, mark(g, i)); err != nil && styleErr == nil {
					styleErr = err
				}
			}
			row = append(row, excelize.Cell{StyleID: style, Value: *v})
		}
		for _, t := range []string{strings.Join(g.Flags, flagSeparator), notes[n]} {
			if t == "" {
				row = append(row, nil)
				continue
			}
			row = append(row, excelize.Cell{StyleID: wb.styles.textIndented, Value: t})
		}
		return row
	}
	rows := func(yield func([]any) bool) {
		for n, g := range gs {
			if !yield(values(n, g)) || styleErr != nil {
				return
			}
		}
	}
	// The columns that ask for it coloured bad (red) to good (green).
	scales := func(lastRow int) error {
		if lastRow < 2 {
			return nil
		}
		for k, i := range order {
			if i < 0 || !r.GroupColumns[i].Scale {
				continue
			}
			low, high := "F8B4B0", "B7E1C1"
			if r.GroupColumns[i].GoodWhen == "down" {
				low, high = high, low
			}
			ref := cell(k+1, 2) + ":" + cell(k+1, lastRow)
			if err := wb.f.SetConditionalFormat(SheetGroups, ref, []excelize.ConditionalFormatOptions{{
				Type: "3_color_scale", Criteria: "=",
				MinType: "min", MidType: "percentile", MidValue: "50", MaxType: "max",
				MinColor: low, MidColor: "FFF1C2", MaxColor: high,
			}}); err != nil {
				return err
			}
		}
		return nil
	}
	if err := wb.streamSheet(SheetGroups, header, numeric, widths, rows, scales); err != nil {
		return fmt.Errorf("reports: xlsx groups: %w", err)
	}
	if styleErr != nil {
		return fmt.Errorf("reports: xlsx groups: %w", styleErr)
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
