// Package reports turns metric results into the weekly report: a model built
// from the metrics package, rendered as one offline HTML file and as an Excel
// workbook. Renderers see only the model, never the database or the formats.
package reports

import "time"

// Weekly is everything the weekly report shows, already computed.
type Weekly struct {
	Title       string    // e.g. "Community weekly report"
	Week        string    // ISO week label, "2026-W47"
	Start, End  time.Time // local start (Monday 00:00) and exclusive end of the week
	TimeZone    string    // IANA name the week is cut in
	GeneratedAt time.Time
	Lang        string // "en" or "zh"

	Cards  []Card  // headline KPIs, in display order
	Trends []Trend // week-by-week series for charts, oldest week first
	Groups []Group // one row per group, ranked
	Tables []Table // one per KPI family, for detail sections and Excel sheets
}

// Format says how a number is written.
type Format string

const (
	Int     Format = "int"     // 1,234
	Float   Format = "float"   // 1,234.5
	Percent Format = "percent" // value is a ratio: 0.125 -> 12.5%
	Money   Format = "money"   // 1,234.00
	Hours   Format = "hours"   // 1.5 h
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
}

// Change is Value-Previous relative to Previous, nil when either is missing or Previous is 0.
func (c Card) Change() *float64 {
	if c.Value == nil || c.Previous == nil || *c.Previous == 0 {
		return nil
	}
	v := (*c.Value - *c.Previous) / abs(*c.Previous)
	return &v
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

// Trend is a chart: one or more named series over the same week labels.
type Trend struct {
	Key    string
	Title  string
	Kind   string // "line", "bar" or "stacked"
	Format Format
	Labels []string // x axis, e.g. week labels
	Series []Series
}

// Series is one line or bar set; nil values are gaps.
type Series struct {
	Name   string
	Values []*float64
}

// Group is one row of the all-groups ranking.
type Group struct {
	ID            int64
	Name          string // user text: escape it
	Platform      string
	Members       int64
	Joins         int64
	Leaves        int64
	NetGrowth     int64
	GrowthRate    *float64
	ActiveMembers int64
	Participation *float64
	Messages      int64
	Conversion    *float64
	Rank          int
	Flags         []string // "needs attention" reasons, already worded
}

// Table is a generic detail table (one per KPI family).
type Table struct {
	Key     string // sheet-safe key, e.g. "growth"
	Title   string
	Columns []Column
	Rows    [][]any // cells: nil, int64, float64, string, time.Time
}

// Column describes one table column.
type Column struct {
	Key    string
	Title  string
	Format Format
}
