package reports

import (
	"html/template"
	"sort"
	"strconv"
	"strings"
)

func i64(v int64) *float64 { f := float64(v); return &f }

// groupsView is the all-groups ranking as the page shows it.
type groupsView struct {
	Columns   []columnView // the rank, the group and its platform, the page's GroupColumns, then the flags
	Rows      []groupRow
	Body      template.HTML // Rows as the page's <tr> elements
	Attention int           // groups with at least one flag
	Legend    []legendItem  // the marks of qualified cells
}

// groupRow is one group: its cells in Columns order, then its flags.
type groupRow struct {
	Cells     []cellView
	Flags     []string
	FlagCount string // sort key of the flags cell
}

// legendItem explains the mark beside qualified numbers.
type legendItem struct {
	Mark, Text string
}

// marks are the marks of a table's qualified cells, one per distinct
// qualifier, in order of first use.
type marks struct {
	byText map[string]string
	items  []legendItem
}

var markSymbols = []string{"†", "‡", "§", "¶", "‖", "※"}

func (m *marks) of(text string) string {
	if text == "" {
		return ""
	}
	if mk, ok := m.byText[text]; ok {
		return mk
	}
	if m.byText == nil {
		m.byText = map[string]string{}
	}
	n := len(m.items)
	mk := markSymbols[n%len(markSymbols)]
	if n >= len(markSymbols) {
		mk += strconv.Itoa(n/len(markSymbols) + 1)
	}
	m.byText[text] = mk
	m.items = append(m.items, legendItem{mk, text})
	return mk
}

// pageGroupColumns are the indexes of the GroupColumns the page shows,
// the rank first.
func pageGroupColumns(cols []GroupColumn) (rank, rest []int) {
	for i, c := range cols {
		switch {
		case c.ExcelOnly:
		case c.Rank:
			rank = append(rank, i)
		default:
			rest = append(rest, i)
		}
	}
	return rank, rest
}

func buildGroups(r *Weekly, lang string) groupsView {
	gs := r.Groups
	v := groupsView{Rows: make([]groupRow, len(gs))}
	rank, rest := pageGroupColumns(r.GroupColumns)
	numCol := func(i int) columnView {
		return columnView{Title: r.GroupColumns[i].Title, Hint: r.GroupColumns[i].Hint, Num: true}
	}
	for _, i := range rank {
		v.Columns = append(v.Columns, numCol(i))
	}
	v.Columns = append(v.Columns, columnView{Title: label(lang, "group")}, columnView{Title: label(lang, "platform")})
	for _, i := range rest {
		v.Columns = append(v.Columns, numCol(i))
	}
	// Flags sort by how many a group has.
	v.Columns = append(v.Columns, columnView{Title: label(lang, "flags"), SortNum: true})
	var mk marks
	num := func(g Group, i int) cellView {
		var x *float64
		if i < len(g.Values) {
			x = g.Values[i]
		}
		c := cellView{Text: FormatValue(r.GroupColumns[i].Format, x, lang), Num: true}
		if isNumber(x) {
			c.Sort = strconv.FormatFloat(*x, 'g', 10, 64)
			if i < len(g.Notes) && g.Notes[i] != "" {
				c.Mark, c.Note = mk.of(g.Notes[i]), g.Notes[i]
			}
		}
		return c
	}
	for n, g := range gs {
		cells := make([]cellView, 0, len(v.Columns)-1)
		for _, i := range rank {
			cells = append(cells, num(g, i))
		}
		cells = append(cells, cellView{Text: g.Name, Sort: g.Name, Wrap: true}, cellView{Text: g.Platform, Sort: g.Platform})
		for _, i := range rest {
			cells = append(cells, num(g, i))
		}
		v.Rows[n] = groupRow{Cells: cells, Flags: g.Flags, FlagCount: strconv.Itoa(len(g.Flags))}
		if len(g.Flags) > 0 {
			v.Attention++
		}
	}
	v.Legend = mk.items
	v.Body = groupRowsHTML(v.Rows)
	return v
}

// groupRowsHTML writes the ranking's rows, each cell as rowsHTML does, the
// flags last as badges.
func groupRowsHTML(rows []groupRow) template.HTML {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString("\n        <tr")
		if len(r.Flags) > 0 {
			b.WriteString(` class="flagged"`)
		}
		b.WriteByte('>')
		for _, c := range r.Cells {
			c.writeHTML(&b)
		}
		b.WriteString(`<td class="flags" data-sort="`)
		b.WriteString(r.FlagCount)
		b.WriteString(`">`)
		for _, f := range r.Flags {
			b.WriteString(`<span class="badge">`)
			b.WriteString(template.HTMLEscapeString(f))
			b.WriteString(`</span>`)
		}
		b.WriteString("</td></tr>")
	}
	return template.HTML(b.String())
}

// attentionRows is how many groups the "needs attention" panel lists.
const attentionRows = 8

// attentionView is the short list of the groups that most need attention,
// above the charts: a manager's first stop.
type attentionView struct {
	Count, Total int
	Title        string
	NeedTitle    string // the heading of the need column ("Health score")
	Rows         []attentionRow
	More         string // "and 12 more in the table below", or ""
}

type attentionRow struct {
	Name, Health string
	Flags        []string
}

// buildAttention picks the flagged groups most in need (lowest need value).
func buildAttention(gs []Group, needTitle, lang string) attentionView {
	var flagged []Group
	for _, g := range gs {
		if len(g.Flags) > 0 {
			flagged = append(flagged, g)
		}
	}
	v := attentionView{Count: len(flagged), Total: len(gs), NeedTitle: needTitle}
	if len(gs) == 0 {
		return v
	}
	sort.SliceStable(flagged, func(i, j int) bool {
		a, b := flagged[i].Need, flagged[j].Need
		if isNumber(a) != isNumber(b) {
			return isNumber(a)
		}
		if isNumber(a) && *a != *b {
			return *a < *b
		}
		return len(flagged[i].Flags) > len(flagged[j].Flags)
	})
	for _, g := range flagged[:min(len(flagged), attentionRows)] {
		v.Rows = append(v.Rows, attentionRow{Name: g.Name, Health: FormatValue(Float, g.Need, lang), Flags: g.Flags})
	}
	if n := len(flagged) - len(v.Rows); n > 0 {
		v.More = fmtLabel(lang, "attentionMore", n)
	}
	return v
}
