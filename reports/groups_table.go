package reports

import (
	"sort"
	"strconv"
)

// groupColumn is one column of the all-groups ranking, shared by the page
// and the workbook so both show the same columns in the same order.
type groupColumn struct {
	Label  string // dictionary key of the header
	Format Format // Text for the text columns
	Value  func(g Group) *float64
	Text   func(g Group) string // text columns only
	// ExcelOnly columns are on the Groups sheet but not in the page's
	// ranking, which must stay readable on a phone.
	ExcelOnly bool
}

func i64(v int64) *float64 { f := float64(v); return &f }

// groupColumns lists the ranking's columns, flags last.
var groupColumns = []groupColumn{
	{Label: "rank", Format: Int, Value: func(g Group) *float64 {
		if g.Rank <= 0 {
			return nil
		}
		return i64(int64(g.Rank))
	}},
	{Label: "group", Format: Text, Text: func(g Group) string { return g.Name }},
	{Label: "platform", Format: Text, Text: func(g Group) string { return g.Platform }},
	{Label: "members", Format: Int, Value: func(g Group) *float64 { return i64(g.Members) }},
	{Label: "joins", Format: Int, ExcelOnly: true, Value: func(g Group) *float64 { return i64(g.Joins) }},
	{Label: "leaves", Format: Int, ExcelOnly: true, Value: func(g Group) *float64 { return i64(g.Leaves) }},
	{Label: "netGrowth", Format: Int, Value: func(g Group) *float64 { return i64(g.NetGrowth) }},
	{Label: "growthRate", Format: Percent, Value: func(g Group) *float64 { return g.GrowthRate }},
	{Label: "activeMembers", Format: Int, ExcelOnly: true, Value: func(g Group) *float64 { return i64(g.ActiveMembers) }},
	{Label: "participation", Format: Percent, Value: func(g Group) *float64 { return g.Participation }},
	{Label: "messages", Format: Int, Value: func(g Group) *float64 { return i64(g.Messages) }},
	{Label: "activities", Format: Int, Value: func(g Group) *float64 { return i64(g.Activities) }},
	{Label: "conversion", Format: Percent, ExcelOnly: true, Value: func(g Group) *float64 { return g.Conversion }},
	{Label: "violations", Format: Int, Value: func(g Group) *float64 { return i64(g.Violations) }},
	{Label: "healthScore", Format: Float, Value: func(g Group) *float64 { return g.HealthScore }},
}

// pageGroupColumns are the columns of the page's ranking.
func pageGroupColumns() []groupColumn {
	var out []groupColumn
	for _, c := range groupColumns {
		if !c.ExcelOnly {
			out = append(out, c)
		}
	}
	return out
}

// groupsView is the all-groups ranking as the page shows it.
type groupsView struct {
	Columns   []columnView // the groupColumns, then the flags column
	Rows      []groupRow
	Attention int // groups with at least one flag
}

// groupRow is one group: its cells in groupColumns order, then its flags.
type groupRow struct {
	Cells     []cellView
	Flags     []string
	FlagCount string // sort key of the flags cell
}

func buildGroups(gs []Group, lang string) groupsView {
	v := groupsView{Rows: make([]groupRow, len(gs))}
	cols := pageGroupColumns()
	for _, c := range cols {
		v.Columns = append(v.Columns, columnView{Title: label(lang, c.Label), Num: c.Format != Text})
	}
	// Flags sort by how many a group has.
	v.Columns = append(v.Columns, columnView{Title: label(lang, "flags"), SortNum: true})
	for i, g := range gs {
		cells := make([]cellView, len(cols))
		for j, c := range cols {
			if c.Format == Text {
				s := c.Text(g)
				cells[j] = cellView{Text: s, Sort: s, Wrap: c.Label == "group"}
				continue
			}
			x := c.Value(g)
			cells[j] = cellView{Text: FormatValue(c.Format, x, lang), Num: true}
			if isNumber(x) {
				cells[j].Sort = strconv.FormatFloat(*x, 'g', 10, 64)
			}
		}
		v.Rows[i] = groupRow{Cells: cells, Flags: g.Flags, FlagCount: strconv.Itoa(len(g.Flags))}
		if len(g.Flags) > 0 {
			v.Attention++
		}
	}
	return v
}

// attentionRows is how many groups the "needs attention" panel lists.
const attentionRows = 8

// attentionView is the short list of the groups that most need attention,
// above the charts: a manager's first stop.
type attentionView struct {
	Count, Total int
	Title        string
	Rows         []attentionRow
	More         string // "and 12 more in the table below", or ""
}

type attentionRow struct {
	Name, Health string
	Flags        []string
}

// buildAttention picks the flagged groups with the lowest health score.
func buildAttention(gs []Group, lang string) attentionView {
	var flagged []Group
	for _, g := range gs {
		if len(g.Flags) > 0 {
			flagged = append(flagged, g)
		}
	}
	v := attentionView{Count: len(flagged), Total: len(gs)}
	if len(gs) == 0 {
		return v
	}
	sort.SliceStable(flagged, func(i, j int) bool {
		a, b := flagged[i].HealthScore, flagged[j].HealthScore
		if isNumber(a) != isNumber(b) {
			return isNumber(a)
		}
		if isNumber(a) && *a != *b {
			return *a < *b
		}
		return len(flagged[i].Flags) > len(flagged[j].Flags)
	})
	for _, g := range flagged[:min(len(flagged), attentionRows)] {
		v.Rows = append(v.Rows, attentionRow{Name: g.Name, Health: FormatValue(Float, g.HealthScore, lang), Flags: g.Flags})
	}
	if n := len(flagged) - len(v.Rows); n > 0 {
		v.More = fmtLabel(lang, "attentionMore", n)
	}
	return v
}
