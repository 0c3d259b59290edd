package reports

import (
	"fmt"
	"time"

	"github.com/xuri/excelize/v2"
)

// widthSampleRows is how many rows of a detail table are measured to size
// its columns: enough for a good fit, bounded for big tables.
const widthSampleRows = 2000

// writeTable writes one detail table to its own sheet with a StreamWriter,
// with a frozen header, an autofilter, and a number format per column.
func (wb *workbook) writeTable(sheet string, t Table) error {
	header := make([]string, len(t.Columns))
	numeric := make([]bool, len(t.Columns))
	widths := make([]int, len(t.Columns))
	for i, c := range t.Columns {
		numeric[i] = c.Format != Text && c.Format != ""
		header[i] = c.Title
		if header[i] == "" {
			header[i] = c.Key
		}
		widths[i] = displayWidth(header[i])
	}
	for r, row := range t.Rows {
		if r == widthSampleRows {
			break
		}
		for i := range t.Columns {
			if i < len(row) {
				widths[i] = max(widths[i], displayWidth(formatCell(row[i], t.Columns[i].Format, wb.lang).Text))
			}
		}
	}
	rows := func(yield func([]any) bool) {
		for _, row := range t.Rows {
			values := make([]any, len(t.Columns))
			for i, c := range t.Columns {
				if i < len(row) {
					values[i] = wb.tableCell(row[i], c.Format)
				}
			}
			if !yield(values) {
				return
			}
		}
	}
	if err := wb.streamSheet(sheet, header, numeric, widths, rows); err != nil {
		return fmt.Errorf("reports: xlsx table %q: %w", t.Key, err)
	}
	return nil
}

// tableCell is the StreamWriter value of one detail-table cell: numbers with
// the column's number format, times as Excel dates, and everything else as a
// string cell (text format), whatever it starts with.
func (wb *workbook) tableCell(v any, f Format) any {
	st := wb.styles
	if x, ok := cellNumber(v); ok {
		if !isNumber(&x) {
			return nil
		}
		style := st.numberStyle(f)
		if f == "" || f == Text {
			style = st.number[Float]
			switch v.(type) {
			case int64, int, int32, uint64, uint32, *int64:
				style = st.number[Int]
			}
		}
		return excelize.Cell{StyleID: style, Value: x}
	}
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
		return wb.tableCell(*x, f)
	case bool:
		return excelize.Cell{Value: x}
	default:
		return excelize.Cell{StyleID: st.text, Value: fmt.Sprint(x)}
	}
}
