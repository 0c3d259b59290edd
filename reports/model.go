// Package reports turns metric results into the weekly report: a model built
// from the metrics package, rendered as one offline HTML file and as an Excel
// workbook. Renderers see only the model, never the database or the formats.
package reports

import (
	"time"

	"github.com/ckpi/ckpi/metrics"
)

// Weekly is everything the weekly report shows, already computed.
type Weekly struct {
	Title       string    // e.g. "Community weekly report"
	Week        string    // ISO week label, "2026-W47"
	Start, End  time.Time // local start (Monday 00:00) and exclusive end of the week
	TimeZone    string    // IANA name the week is cut in
	GeneratedAt time.Time
	Lang        string // "en" or "zh"
	// InProgress: the week is not over, its numbers will still change. The
	// page and the workbook say so wherever they name the week.
	InProgress bool
	// Notices are report-level lines about what the data can support, already
	// worded: how membership is known per group, staff or orders missing.
	Notices []string

	Cards        []Card        // headline KPIs, in display order
	Trends       []Trend       // week-by-week series for charts, oldest week first
	Heatmaps     []Heatmap     // grids coloured by value: activity rhythm, cohorts, hours
	GroupColumns []GroupColumn // the numbers of the groups table, in order
	Groups       []Group       // one row per group, ranked
	NeedTitle    string        // what orders groups by need ("Health score"), for the attention list
	Tables       []Table       // one per KPI family, for detail sections and Excel sheets

	Risk *RiskSummary // violations, ladder, pending actions, blacklist alerts (risk.go)
}

// Format says how a number is written.
type Format string

const (
	Int     Format = "int"     // 1,234
	Float   Format = "float"   // 1,234.5
	Score   Format = "score"   // 0-100 points, 61.2: changes in points, never relative
	Percent Format = "percent" // value is a ratio: 0.125 -> 12.5%
	Money   Format = "money"   // 1,234.00
	Hours   Format = "hours"   // 1.5 h
	Minutes Format = "minutes" // 12.5 min
	Text    Format = "text"
)

// Card is one headline KPI with its week-over-week comparison.
type Card struct {
	Key       string // metric name, stable, e.g. "growth.net"
	Title     string // shown to the reader
	Format    Format
	Value     *float64 // nil: not computable this week (e.g. division by zero)
	Previous  *float64 // the same KPI last week
	GoodWhen  string   // "up" or "down": which change is good news
	Sparkline []*float64
	Hint      string // what the number counts, in a sentence (shown on hover)
	Rollup    string // how the all-groups value is formed, worded ("total of groups")
	All       string // the all-row's name when the metric's rows are not groups ("All accounts")
	Note      string // what the data cannot support, worded, or ""
}

// Change is the week-over-week change of the card, by the rule of
// metrics.ChangeOf: rates in percentage points, scores and small bases as
// an absolute difference, the rest relative.
func (c Card) Change() (metrics.Change, bool) {
	return metrics.ChangeOf(catalogFormat(c.Format), c.Value, c.Previous)
}

// Trend is a chart: one or more named series over the same week labels.
type Trend struct {
	Key    string
	Title  string
	Kind   string // "line", "bar" or "stacked"
	Format Format
	Labels []string // x axis, e.g. week labels
	Series []Series
	// Section is where the page shows it: "" with the trends, "risk" in the
	// risk section.
	Section string
}

// Series is one line or bar set; nil values are gaps.
type Series struct {
	Name   string
	Values []*float64
	// Kind overrides the trend's kind for this series ("line" or "bar"), so
	// that bars and a line can share a chart.
	Kind string
	// Axis 1 puts the series on a second value axis, on the right: for a
	// series of another scale (members beside net growth).
	Axis int
}

// Heatmap is a grid of values coloured from low to high: rows (Y) by
// columns (X). Values[y][x]; nil is an empty cell (no data, or not yet
// observable).
type Heatmap struct {
	Key     string
	Title   string
	Short   string // a short name, for a sheet tab
	Note    string // how to read it: what is counted, which rows are shown
	XTitle  string // what the columns are, e.g. "Week"
	YTitle  string // what the rows are, e.g. "Group"
	XLabels []string
	YLabels []string // user text when rows are groups: escape it
	Values  [][]*float64
	Format  Format
}

// GroupColumn is one number of the groups table.
type GroupColumn struct {
	Key       string // metric.column
	Title     string
	Hint      string // what it counts
	Format    Format
	GoodWhen  string // "up", "down" or "": colours its scale on the Groups sheet
	Rank      bool   // the rank: shown first, before the group's name
	ExcelOnly bool   // on the Groups sheet, not in the page's table
	Scale     bool   // coloured bad to good on the Groups sheet
}

// Group is one row of the all-groups ranking.
type Group struct {
	ID       int64
	Name     string // user text: escape it
	Platform string
	Rank     int        // 1 first; 0 unranked
	Need     *float64   // orders groups by need, lowest first (the health score)
	Values   []*float64 // one per Weekly.GroupColumns
	Notes    []string   // one per Weekly.GroupColumns: what the group's data cannot support, or ""
	Flags    []string   // "needs attention" reasons, already worded
}

// Value is the group's number of the column keyed key, or nil.
func (g Group) Value(cols []GroupColumn, key string) *float64 {
	for i, c := range cols {
		if c.Key == key && i < len(g.Values) {
			return g.Values[i]
		}
	}
	return nil
}

// Table is a generic detail table (one per KPI family).
type Table struct {
	Key     string // sheet-safe key, e.g. "growth"
	Title   string
	Note    string // how to read it, e.g. the order of its rows
	Columns []Column
	Rows    [][]any // cells: nil, int64, float64, string, time.Time
	// AllRow: the first row is the all-groups row; each column's Rollup
	// says how its number there is formed.
	AllRow bool
	// Notes qualify cells: Notes[row][col], what the group's data cannot
	// support ("no staff known"). Nil, or rows and columns left short, mean none.
	Notes [][]string
}

// Column describes one table column.
type Column struct {
	Key    string
	Title  string
	Format Format
	Hint   string // what it counts
	Rollup string // how the all-groups row's number is formed, a word: "total", "distinct"...
	// AllFormat is the format of the all-groups row's cell when not Format:
	// an average of groups' counts is no longer a whole number.
	AllFormat Format
}

// cellFormat is the format of the cell of column col in row row.
func (t Table) cellFormat(row, col int) Format {
	c := t.Columns[col]
	if t.AllRow && row == 0 && c.AllFormat != "" {
		return c.AllFormat
	}
	return c.Format
}

// note is the qualifier of a table cell, or "".
func (t Table) note(row, col int) string {
	if row < len(t.Notes) && col < len(t.Notes[row]) {
		return t.Notes[row][col]
	}
	return ""
}
