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

	Cards    []Card    // headline KPIs, in display order
	Trends   []Trend   // week-by-week series for charts, oldest week first
	Heatmaps []Heatmap // grids coloured by value: activity rhythm, cohorts, hours
	Groups   []Group   // one row per group, ranked
	Tables   []Table   // one per KPI family, for detail sections and Excel sheets

	Risk *RiskSummary // violations, ladder, pending actions, blacklist alerts (risk.go)
}

// Format says how a number is written.
type Format string

const (
	Int     Format = "int"     // 1,234
	Float   Format = "float"   // 1,234.5
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
	Activities    int64 // activities held in the week
	Conversion    *float64
	HealthScore   *float64 // 0-100, from the health metric
	SizeBand      string   // small, sweet, large, oversized, empty
	Violations    int64    // rule violations found in the week
	Rank          int      // health rank: 1 = healthiest
	Flags         []string // "needs attention" reasons, already worded
}

// Table is a generic detail table (one per KPI family).
type Table struct {
	Key     string // sheet-safe key, e.g. "growth"
	Title   string
	Note    string // how to read it, e.g. the order of its rows
	Columns []Column
	Rows    [][]any // cells: nil, int64, float64, string, time.Time
}

// Column describes one table column.
type Column struct {
	Key    string
	Title  string
	Format Format
}
