package reports

import (
	"fmt"
	"strings"

	"github.com/ckpi/ckpi/metrics"
)

// buildFamilyTables is a table per table of the catalogue's section: the
// columns of its metrics (a column already taken by an earlier metric is
// not repeated), run for the table's week. In the details section the
// all-groups row comes first, then the groups most in need first; in the
// risk section the metric's own order is kept and, with hundreds of groups,
// only the groups with a number other than zero.
func buildFamilyTables(w *results, section metrics.Section) []Table {
	var out []Table
	for _, spec := range w.cat.Tables(section) {
		var parts []*metrics.Definition
		for _, d := range spec.Parts {
			if w.at(d.Name, spec.Week) != nil {
				parts = append(parts, d)
			}
		}
		week := w.week.Shift(spec.Week).Label
		if len(parts) == 0 {
			if w.beforeData(spec.Week) {
				first := w.first.In(w.week.Start.Location()).Format("2006-01-02")
				out = append(out, Table{Key: spec.ID, Title: strings.ReplaceAll(spec.Title.In(w.lang), "{week}", week),
					Columns: []Column{{Key: "group_name", Title: label(w.lang, "group"), Format: Text}},
					Note:    fmtLabel(w.lang, "beforeData", week, first)})
			}
			continue
		}
		t := Table{Key: spec.ID, Title: strings.ReplaceAll(spec.Title.In(w.lang), "{week}", week), AllRow: true}
		// The rows: groups, or another carrier's as the metric returns them.
		rowsOf := parts[0].Rows
		nameTitle, allName := label(w.lang, "group"), label(w.lang, "allGroups")
		ids, names := w.groupOrder(section, parts[0].Name, spec.Week), w.names
		if rowsOf != nil {
			nameTitle, allName = rowsOf.Label.In(w.lang), rowsOf.All.In(w.lang)
			ids, names = w.ownRows(parts[0].Name, spec.Week)
		}
		t.Columns = []Column{{Key: "group_name", Title: nameTitle, Format: Text}}
		type src struct {
			metric string
			col    *metrics.Column
		}
		var cols []src
		var rollups []metrics.Rollup
		taken := map[string]bool{}
		for _, d := range parts {
			for _, c := range d.Specs {
				if taken[c.Name] {
					continue
				}
				taken[c.Name] = true
				cols = append(cols, src{d.Name, c})
				rollups = append(rollups, c.All)
				t.Columns = append(t.Columns, Column{Key: c.Name, Title: c.Label.In(w.lang), Format: reportFormat(c.Format),
					Hint: c.About.In(w.lang), Rollup: rollupWord(c.All, w.lang), AllFormat: cellFormat(c, true)})
			}
		}
		var notes []string
		if n := spec.Note.In(w.lang); n != "" {
			notes = append(notes, strings.ReplaceAll(n, "{week}", week))
		}
		if section == metrics.SectionDetails && rowsOf == nil {
			notes = append(notes, w.rowsNote())
		}
		legendAll := ""
		if rowsOf != nil {
			legendAll = allName
		}
		if l := rollupLegend(rollups, w.lang, legendAll); l != "" {
			notes = append(notes, l)
		}
		t.Note = strings.Join(notes, label(w.lang, "noteSep"))

		rowOf := func(id *int64) ([]any, []string) {
			row := make([]any, 0, len(t.Columns))
			var qual []string
			if id == nil {
				row = append(row, allName)
			} else {
				row = append(row, names[*id])
			}
			for i, c := range cols {
				var v any
				if m := w.row(c.metric, spec.Week, id); m != nil {
					v = cellValue(c.col, m[c.col.Name], w.lang)
				}
				row = append(row, v)
				var q string
				switch {
				case rowsOf != nil: // needs are of groups' data
				case id == nil:
					q = w.allGroupsNote(c.col.Needs)
				default:
					q = w.groupNote(*id, c.col.Needs)
				}
				if q != "" && v != nil {
					if qual == nil {
						qual = make([]string, len(t.Columns))
					}
					qual[i+1] = q
				}
			}
			return row, qual
		}
		addRow := func(id *int64) {
			row, qual := rowOf(id)
			if id != nil && section == metrics.SectionRisk && !anyNumberNonZero(row) {
				return
			}
			t.Rows = append(t.Rows, row)
			if qual != nil {
				for len(t.Notes) < len(t.Rows)-1 {
					t.Notes = append(t.Notes, nil)
				}
				t.Notes = append(t.Notes, qual)
			}
		}
		addRow(nil)
		for _, id := range ids {
			addRow(&id)
		}
		if section == metrics.SectionDetails && !anyValue(t.Rows) {
			// Nothing to show: data only some communities have (a
			// platform's own statistics) and this one has not.
			continue
		}
		out = append(out, t)
	}
	return out
}

// anyValue reports whether any row has a value beside its group's name.
func anyValue(rows [][]any) bool {
	for _, row := range rows {
		for _, v := range row[1:] {
			if v != nil {
				return true
			}
		}
	}
	return false
}

// groupOrder is the order of a table's group rows: by need in the details
// section, as the metric returns them (by name) in the risk section.
func (w *results) groupOrder(section metrics.Section, metric string, offset int) []int64 {
	if section != metrics.SectionRisk {
		return w.ids
	}
	var ids []int64
	if res := w.at(metric, offset); res != nil {
		for _, m := range res.ByGroup() {
			ids = append(ids, toInt(m["group_id"]))
		}
	}
	return ids
}

// ownRows are the rows of a metric whose rows are not groups, in the
// order it returns them, with their names.
func (w *results) ownRows(metric string, offset int) ([]int64, map[int64]string) {
	var ids []int64
	names := map[int64]string{}
	if res := w.at(metric, offset); res != nil {
		for _, m := range res.ByGroup() {
			id := toInt(m["group_id"])
			ids = append(ids, id)
			names[id] = fmt.Sprint(m["group_name"])
		}
	}
	return ids, names
}

// rowsNote says how a per-group table's rows are ordered.
func (w *results) rowsNote() string {
	if need, ok := w.cat.Role(metrics.RoleNeed); ok {
		return fmtLabel(w.lang, "rowsByNeed", strings.ToLower(need.Column.Label.In(w.lang)))
	}
	return label(w.lang, "rowsByName")
}

// anyNumberNonZero reports whether a row has a number other than zero.
func anyNumberNonZero(row []any) bool {
	for _, v := range row {
		if f, ok := cellNumber(v); ok && f != 0 {
			return true
		}
	}
	return false
}

// cellValue is a metric value as a table cell: numbers as int64 or float64,
// text columns worded in the report's language.
func cellValue(c *metrics.Column, v any, lang string) any {
	if !c.Format.Numeric() {
		return textValue(c, v, lang)
	}
	return normalize(v)
}
