package reports

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"
)

// tableView is a detail Table as the page shows it.
type tableView struct {
	ID      string
	Title   string
	Note    string
	Cut     string // says that only the first rows are shown, or ""
	Columns []columnView
	Rows    [][]cellView
	Body    template.HTML // Rows as the page's <tr> elements (rowsHTML)
	Legend  []legendItem  // the marks of qualified cells
}

// pageTableRows is how many rows of a detail table the page shows: the
// all-groups row and 50 groups. The workbook has every row; the page stays
// small and readable with a thousand groups.
const pageTableRows = 51

// columnView is one header cell of a sortable table.
type columnView struct {
	Title   string
	Hint    string // what the column counts (shown on hover)
	Num     bool   // numbers: sorted numerically, right-aligned
	SortNum bool   // sorted numerically by its cells' sort keys, though not a number column
}

// cellView is one table cell: the text shown, and the key it sorts by
// ("" sorts last) when that is not the text itself.
type cellView struct {
	Text string
	Sort string
	Num  bool
	Wrap bool // long text (a group name): may wrap
	// Rollup says how an all-groups number is formed ("total"), shown small beside it.
	Rollup string
	// Mark points to the legend line saying what the data cannot support
	// (Note, also shown on hover).
	Mark, Note string
}

func buildTables(ts []Table, lang string) []tableView {
	out := make([]tableView, 0, len(ts))
	for i, t := range ts {
		v := tableView{ID: fmt.Sprintf("ckpi_table_%d", i+1), Title: t.Title, Note: t.Note}
		for _, c := range t.Columns {
			v.Columns = append(v.Columns, columnView{Title: c.Title, Hint: c.Hint, Num: c.Format != Text && c.Format != ""})
		}
		var mk marks
		rows := t.Rows
		if len(rows) > pageTableRows {
			v.Cut = fmtLabel(lang, "rowsCut", pageTableRows, len(rows))
			rows = rows[:pageTableRows]
		}
		v.Rows = make([][]cellView, len(rows))
		for r, row := range rows {
			cells := make([]cellView, len(t.Columns))
			for c := range t.Columns {
				var val any
				if c < len(row) {
					val = row[c]
				}
				cells[c] = formatCell(val, t.cellFormat(r, c), lang)
				if cells[c].Sort == "" {
					continue // no number: nothing to qualify
				}
				if t.AllRow && r == 0 {
					cells[c].Rollup = t.Columns[c].Rollup
				}
				if n := t.note(r, c); n != "" {
					cells[c].Mark, cells[c].Note = mk.of(n), n
				}
			}
			v.Rows[r] = cells
		}
		v.Legend = mk.items
		// A column declared as text that holds only numbers still sorts as numbers.
		for c := range v.Columns {
			if v.Columns[c].Num {
				continue
			}
			num, seen := true, false
			for _, row := range v.Rows {
				if row[c].Sort == "" {
					continue
				}
				seen = true
				num = num && row[c].Num
			}
			v.Columns[c].Num = num && seen
		}
		// Cells align with their column.
		for _, row := range v.Rows {
			for c := range row {
				row[c].Num = v.Columns[c].Num
			}
		}
		v.Body = rowsHTML(v.Rows)
		out = append(out, v)
	}
	return out
}

// formatCell writes one detail-table value (nil, integers, floats, strings,
// times, bools) as the page shows it.
func formatCell(v any, f Format, lang string) cellView {
	if x, ok := cellNumber(v); ok {
		if f == "" || f == Text {
			if _, isFloat := v.(float64); isFloat {
				f = Float
			} else if _, isFloat := v.(float32); isFloat {
				f = Float
			} else {
				f = Int
			}
		}
		if !isNumber(&x) {
			return cellView{Text: missing, Num: true}
		}
		return cellView{Text: FormatValue(f, &x, lang), Sort: strconv.FormatFloat(x, 'g', 10, 64), Num: true}
	}
	switch x := v.(type) {
	case nil, *float64, *int64: // numbers were handled above: these are nil pointers
		return cellView{Text: missing}
	case string:
		return cellView{Text: x, Sort: x}
	case time.Time:
		if x.IsZero() {
			return cellView{Text: missing}
		}
		return cellView{Text: formatTime(x), Sort: x.UTC().Format(time.RFC3339Nano)}
	case *time.Time:
		if x == nil {
			return cellView{Text: missing}
		}
		return formatCell(*x, f, lang)
	case *string:
		if x == nil {
			return cellView{Text: missing}
		}
		return cellView{Text: *x, Sort: *x}
	case bool:
		s := strconv.FormatBool(x)
		return cellView{Text: s, Sort: s}
	default:
		s := fmt.Sprint(x)
		return cellView{Text: s, Sort: s}
	}
}

// cellNumber returns the value of a numeric table cell.
func cellNumber(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case int32:
		return float64(x), true
	case uint64:
		return float64(x), true
	case uint32:
		return float64(x), true
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case *float64:
		if x == nil {
			return 0, false
		}
		return *x, true
	case *int64:
		if x == nil {
			return 0, false
		}
		return float64(*x), true
	}
	return 0, false
}

// formatTime writes a date, or a date and time when the time has a clock part.
func formatTime(t time.Time) string {
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t.Format("2006-01-02")
	}
	return t.Format("2006-01-02 15:04")
}

// rowsHTML writes table rows as the page shows them. It is the hot loop of
// a report of a thousand groups: written here, one Builder for the whole
// body, rather than a template call and seven reflected field lookups per
// cell. Every string is escaped with template.HTMLEscapeString (text and quoted
// attribute values alike), as html/template would.
func rowsHTML(rows [][]cellView) template.HTML {
	var b strings.Builder
	b.Grow(len(rows) * 64 * max(1, len(rowsFirst(rows))))
	for _, row := range rows {
		b.WriteString("\n        <tr>")
		for _, c := range row {
			c.writeHTML(&b)
		}
		b.WriteString("</tr>")
	}
	return template.HTML(b.String())
}

func rowsFirst(rows [][]cellView) []cellView {
	if len(rows) == 0 {
		return nil
	}
	return rows[0]
}

// writeHTML writes one <td>: its class, its sort key when not its text, the
// qualifier on hover, then the text, the mark and how an all-groups number
// is formed.
func (c cellView) writeHTML(b *strings.Builder) {
	b.WriteString("<td")
	switch {
	case c.Num:
		b.WriteString(` class="num"`)
	case c.Wrap:
		b.WriteString(` class="name"`)
	}
	if c.Sort != c.Text {
		b.WriteString(` data-sort="`)
		b.WriteString(template.HTMLEscapeString(c.Sort))
		b.WriteByte('"')
	}
	if c.Note != "" {
		b.WriteString(` title="`)
		b.WriteString(template.HTMLEscapeString(c.Note))
		b.WriteByte('"')
	}
	b.WriteByte('>')
	b.WriteString(template.HTMLEscapeString(c.Text))
	if c.Mark != "" {
		b.WriteString(`<sup class="mark">`)
		b.WriteString(template.HTMLEscapeString(c.Mark))
		b.WriteString(`</sup>`)
	}
	if c.Rollup != "" {
		b.WriteString(` <small class="rollup">`)
		b.WriteString(template.HTMLEscapeString(c.Rollup))
		b.WriteString(`</small>`)
	}
	b.WriteString("</td>")
}
