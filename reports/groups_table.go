package reports

import (
	"strconv"
)

// groupColumn is one column of the all-groups ranking, shared by the page
// and the workbook so both show the same columns in the same order.
type groupColumn struct {
	Label  string // dictionary key of the header
	Format Format // Text for the text columns
	Value  func(g Group) *float64
	Text   func(g Group) string // text columns only
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
	{Label: "joins", Format: Int, Value: func(g Group) *float64 { return i64(g.Joins) }},
	{Label: "leaves", Format: Int, Value: func(g Group) *float64 { return i64(g.Leaves) }},
	{Label: "netGrowth", Format: Int, Value: func(g Group) *float64 { return i64(g.NetGrowth) }},
	{Label: "growthRate", Format: Percent, Value: func(g Group) *float64 { return g.GrowthRate }},
	{Label: "activeMembers", Format: Int, Value: func(g Group) *float64 { return i64(g.ActiveMembers) }},
	{Label: "participation", Format: Percent, Value: func(g Group) *float64 { return g.Participation }},
	{Label: "messages", Format: Int, Value: func(g Group) *float64 { return i64(g.Messages) }},
	{Label: "conversion", Format: Percent, Value: func(g Group) *float64 { return g.Conversion }},
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
	for _, c := range groupColumns {
		v.Columns = append(v.Columns, columnView{Title: label(lang, c.Label), Num: c.Format != Text})
	}
	// Flags sort by how many a group has.
	v.Columns = append(v.Columns, columnView{Title: label(lang, "flags"), SortNum: true})
	for i, g := range gs {
		cells := make([]cellView, len(groupColumns))
		for j, c := range groupColumns {
			if c.Format == Text {
				s := c.Text(g)
				cells[j] = cellView{Text: s, Sort: s, Wrap: c.Label == "group"}
				continue
			}
			x := c.Value(g)
			cells[j] = cellView{Text: FormatValue(c.Format, x, lang), Num: true}
			if isNumber(x) {
				cells[j].Sort = strconv.FormatFloat(*x, 'g', -1, 64)
			}
		}
		v.Rows[i] = groupRow{Cells: cells, Flags: g.Flags, FlagCount: strconv.Itoa(len(g.Flags))}
		if len(g.Flags) > 0 {
			v.Attention++
		}
	}
	return v
}
