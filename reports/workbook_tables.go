package reports

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// widthSampleRows is how many rows of a detail table are measured to size
// its columns: enough for a good fit, bounded for big tables.
const widthSampleRows = 2000

// writeTable writes one detail table to its own sheet with a StreamWriter,
// with a frozen header, an autofilter, and a number format per column. The
// all-groups row's numbers say how they are formed (" (total)"), a number
// its group's data cannot fully support carries a mark, explained in a
// last column of data notes.
func (wb *workbook) writeTable(sheet string, t Table) error {
	var mk marks
	rowNotes := make([]string, len(t.Rows))
	for r := range t.Rows {
		var parts []string
		for c := range t.Columns {
			if n := t.note(r, c); n != "" {
				if p := mk.of(n) + " " + n; !slices.Contains(parts, p) {
					parts = append(parts, p)
				}
			}
		}
		rowNotes[r] = strings.Join(parts, flagSeparator)
	}
	withNotes := len(mk.items) > 0
	n := len(t.Columns)
	if withNotes {
		n++
	}
	header := make([]string, n)
	numeric := make([]bool, n)
	widths := make([]int, n)
	for i, c := range t.Columns {
		numeric[i] = c.Format != Text && c.Format != ""
		header[i] = c.Title
		if header[i] == "" {
			header[i] = c.Key
		}
		widths[i] = displayWidth(header[i])
	}
	if withNotes {
		header[n-1] = label(wb.lang, "notes")
		widths[n-1] = displayWidth(header[n-1])
	}
	suffix := func(r, c int) string {
		var s string
		if t.AllRow && r == 0 && t.Columns[c].Rollup != "" {
			s = fmtLabel(wb.lang, "rollupSuffix", t.Columns[c].Rollup)
		}
		if note := t.note(r, c); note != "" {
			s += " " + mk.of(note)
		}
		return s
	}
	for r, row := range t.Rows {
		if r == widthSampleRows {
			break
		}
		for i := range t.Columns {
			if i < len(row) {
				widths[i] = max(widths[i], displayWidth(formatCell(row[i], t.cellFormat(r, i), wb.lang).Text+suffix(r, i)))
			}
		}
		if withNotes {
			widths[n-1] = max(widths[n-1], displayWidth(rowNotes[r]))
		}
	}
	var styleErr error
	rows := func(yield func([]any) bool) {
		if len(t.Rows) == 0 && t.Note != "" {
			// a table with nothing to show says why, as the page does
			yield([]any{excelize.Cell{StyleID: wb.styles.textIndented, Value: t.Note}})
			return
		}
		for r, row := range t.Rows {
			values := make([]any, n)
			for i := range t.Columns {
				if i < len(row) {
					v, err := wb.tableCell(row[i], t.cellFormat(r, i), suffix(r, i))
					if err != nil {
						styleErr = err
						return
					}
					values[i] = v
				}
			}
			if withNotes && rowNotes[r] != "" {
				values[n-1] = excelize.Cell{StyleID: wb.styles.textIndented, Value: rowNotes[r]}
			}
			if !yield(values) {
				return
			}
		}
	}
	if err := wb.streamSheet(sheet, header, numeric, widths, rows); err != nil {
		return fmt.Errorf("reports: xlsx table %q: %w", t.Key, err)
	}
	if styleErr != nil {
		return fmt.Errorf("reports: xlsx table %q: %w", t.Key, styleErr)
	}
	return nil
}

// tableCell is the StreamWriter value of one detail-table cell: numbers with
// the column's number format, times as Excel dates, and everything else as a
// string cell (text format), whatever it starts with.
func (wb *workbook) tableCell(v any, f Format, suffix string) (any, error) {
	st := wb.styles
	if x, ok := cellNumber(v); ok {
		if !isNumber(&x) {
			return nil, nil
		}
		if f == "" || f == Text {
			f = Float
			switch v.(type) {
			case int64, int, int32, uint64, uint32, *int64:
				f = Int
			}
		}
		style, err := st.withSuffix(f, suffix)
		return excelize.Cell{StyleID: style, Value: x}, err
	}
	return wb.textCell(v, f), nil
}

// textCell is the StreamWriter value of a cell that is not a number.
func (wb *workbook) textCell(v any, f Format) any {
	st := wb.styles
	switch x := v.(type) {
	case nil, *float64, *int64: // numbers were handled above: these are nil pointers
		return nil
	case string:
		return excelize.Cell{StyleID: st.text, Value: x}
	case *string:
		if x == nil {
			return nil
		}
		return excelize.Cell{StyleID: st.text, Value: *x}
	case time.Time:
		if x.IsZero() {
			return nil
		}
		style := st.dateTime
		if formatTime(x) == x.Format("2006-01-02") {
			style = st.date
		}
		return excelize.Cell{StyleID: style, Value: x}
	case *time.Time:
		if x == nil {
			return nil
		}
		return wb.textCell(*x, f)
	case bool:
		return excelize.Cell{Value: x}
	default:
		return excelize.Cell{StyleID: st.text, Value: fmt.Sprint(x)}
	}
}
