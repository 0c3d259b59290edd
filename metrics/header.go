package metrics

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// The enums of a metric header. Each is a string type with its known values
// listed, so a header's value is checked (with its line) when it is read.

// Grain is the period a metric is run for by default.
type Grain string

// Format says what a column's numbers are and so how every surface writes
// them: an integer, a ratio shown as a percentage, minutes, money, a 0-100
// score, any other decimal number, or words.
type Format string

// Formats of a result column.
const (
	FormatCount    Format = "count"    // people, messages, groups: an integer
	FormatRatio    Format = "ratio"    // a share, 0..1, shown as a percentage; changes in percentage points
	FormatPercent  Format = "percent"  // a fraction that may be negative or above 1 (a growth rate), shown as a percentage; changes in points
	FormatMinutes  Format = "minutes"  // a duration in minutes
	FormatCurrency Format = "currency" // an amount of money, two decimals
	FormatScore    Format = "score"    // 0..100 points; changes in points
	FormatDecimal  Format = "decimal"  // any other number, one decimal
	FormatText     Format = "text"     // words (a band, a list of reasons) or yes/no
)

var formats = []Format{FormatCount, FormatRatio, FormatPercent, FormatMinutes, FormatCurrency, FormatScore, FormatDecimal, FormatText}

// Numeric reports whether the format holds numbers.
func (f Format) Numeric() bool { return f != FormatText && f != "" }

// Direction says which change of a number is good news.
type Direction string

// Directions of a column.
const (
	Up   Direction = "up"
	Down Direction = "down"
	None Direction = "none" // neither: the number is context (members at start)
)

var directions = []Direction{Up, Down, None}

// Rollup says how a column's all-groups row (group_id NULL) is formed from
// the groups: the reader is told it beside the number.
type Rollup string

// How an all-groups row is formed.
const (
	// RollupTotal adds up the groups: a person in two groups counts twice.
	RollupTotal Rollup = "total"
	// RollupPooled computes the number once over all groups' rows together:
	// a rate of the totals, a median over every group's questions.
	RollupPooled Rollup = "pooled"
	// RollupDistinct counts each person (customer, order) once, however many
	// groups they are in.
	RollupDistinct Rollup = "distinct"
	// RollupAverage is the average of the groups' values.
	RollupAverage Rollup = "average"
	// RollupNone: the all-groups row leaves the column empty.
	RollupNone Rollup = "none"
)

var rollups = []Rollup{RollupTotal, RollupPooled, RollupDistinct, RollupAverage, RollupNone}

// Need is what a group's data must hold for a column to mean what it says;
// the report qualifies the number of a group whose data lacks it.
type Need string

// What a column may need.
const (
	NeedStaff  Need = "staff"  // staff known for the group (config or the export)
	NeedOrders Need = "orders" // orders loaded
	NeedRoster Need = "roster" // a member list: a roster or a member-list snapshot
	// NeedMessages: the group's messages were loaded (a chat export, a
	// WeCom archive): a group known from its member list and the
	// platform's statistics only has no one who spoke.
	NeedMessages Need = "messages"
	// NeedFollowers: an official account's daily followers loaded (the
	// first step of the follower -> member -> buyer funnel)
	NeedFollowers Need = "followers"
)

var needs = []Need{NeedStaff, NeedOrders, NeedRoster, NeedMessages, NeedFollowers}

// Role marks the column that orders the groups.
type Role string

// Roles of a column; at most one column of the catalogue has each.
const (
	// RoleRank is the rank of the groups table (1 first).
	RoleRank Role = "rank"
	// RoleNeed orders the groups by need, lowest value first: the rows of
	// every per-group table and heatmap, and the "needs attention" list.
	RoleNeed Role = "need"
	// RoleFlags is a text column of reasons a group needs attention,
	// separated by ";": each is a flag beside the group (worded by values).
	RoleFlags Role = "flags"
)

var roles = []Role{RoleRank, RoleNeed, RoleFlags}

// Section is where a metric's own table is shown.
type Section string

// Sections of the report.
const (
	SectionDetails Section = "details" // the Details section and a sheet (default)
	SectionRisk    Section = "risk"    // the risk section: shown once `ckpi risk scan` has run
	SectionNone    Section = "none"    // no table of its own
)

var sections = []Section{SectionDetails, SectionRisk, SectionNone}

// ChartKind is how a trend chart draws its series.
type ChartKind string

// Kinds of chart.
const (
	ChartLine    ChartKind = "line"
	ChartBar     ChartKind = "bar"
	ChartStacked ChartKind = "stacked" // stacked bars; series that are zero every week are left out
)

var chartKinds = []ChartKind{ChartLine, ChartBar, ChartStacked}

// HeatmapKind is the shape of a heatmap.
type HeatmapKind string

// Kinds of heatmap.
const (
	// HeatmapGroups: a row per group (most in need first), a column per
	// trend week, the value of one column.
	HeatmapGroups HeatmapKind = "groups"
	// HeatmapCohorts: a row per weekly cohort before the report week (the
	// all-groups row of each), a column per listed column; the k-th column
	// is known k weeks after the cohort's week, and empty before.
	HeatmapCohorts HeatmapKind = "cohorts"
)

var heatmapKinds = []HeatmapKind{HeatmapGroups, HeatmapCohorts}

// Text is a string in English and Chinese.
type Text struct {
	En string `yaml:"en"`
	Zh string `yaml:"zh"`
}

// In is the text in lang ("zh" for any Chinese tag), English otherwise.
func (t Text) In(lang string) string {
	if strings.HasPrefix(strings.ToLower(lang), "zh") && t.Zh != "" {
		return t.Zh
	}
	return t.En
}

func (t Text) empty() bool { return strings.TrimSpace(t.En) == "" || strings.TrimSpace(t.Zh) == "" }

// Column is one declared result column: everything a surface needs to show it.
type Column struct {
	Name   string          `yaml:"name"`
	Label  Text            `yaml:"label"`
	Format Format          `yaml:"format"`
	Good   Direction       `yaml:"good"`
	About  Text            `yaml:"about"` // one line: what the number counts
	All    Rollup          `yaml:"all"`
	Needs  []Need          `yaml:"needs"`
	Values map[string]Text `yaml:"values"` // text columns: the words of each code
	Role   Role            `yaml:"role"`
	Card   *CardPlace      `yaml:"card"`
	Groups *GroupsPlace    `yaml:"groups"`
	Trend  *TrendPlace     `yaml:"trend"`
	Alert  *Alert          `yaml:"alert"`

	Line int `yaml:"-"` // the line of the column's entry in its file
}

// CardPlace puts a column on a headline card (the all-groups value, with
// its week-over-week change and a sparkline).
type CardPlace struct {
	Order int   `yaml:"order"`
	Label *Text `yaml:"label"` // instead of the column's label
	About *Text `yaml:"about"` // instead of the column's explanation
}

// GroupsPlace puts a column in the groups table (page and Groups sheet).
type GroupsPlace struct {
	Order     int   `yaml:"order"`
	Label     *Text `yaml:"label"`
	ExcelOnly bool  `yaml:"excel_only"` // on the Groups sheet only: the page's table stays readable on a phone
	Scale     bool  `yaml:"scale"`      // coloured bad to good on the Groups sheet
}

// TrendPlace puts a column's all-groups value, week by week, on a chart
// declared by some metric's charts.
type TrendPlace struct {
	Chart string    `yaml:"chart"`
	Kind  ChartKind `yaml:"kind"` // line or bar, when not the chart's own
	Axis  string    `yaml:"axis"` // "right": a second axis, for a series of another scale
	Line  int       `yaml:"-"`
}

// Alert flags a group in the groups table: when the value fell by Drop or
// more (a share of last week's value), or is above Above.
type Alert struct {
	Drop  float64  `yaml:"drop"`
	Above *float64 `yaml:"above"`
	Text  Text     `yaml:"text"` // {drop} is the fall as a percentage, {value} the value
}

// RowsSpec says what a metric's rows are when they are not groups: the
// rows of another carrier (an official account) or of its parts (its
// articles). Their group_id and group_name hold the row's id and name, the
// all-groups row (group_id NULL) is over every row, and no surface mixes
// them with groups: they are in the metric's own table, its cards and
// trends, never in the groups table or a groups heatmap.
type RowsSpec struct {
	Of    string `yaml:"of"`    // what a row is: account, article...
	Label Text   `yaml:"label"` // the heading of the rows' names ("Account")
	All   Text   `yaml:"all"`   // the all-row's name ("All accounts")
	Line  int    `yaml:"-"`
}

// TableSpec is a metric's own table. Metrics naming the same id share one
// table: the one that gives its title first, then the others by name.
type TableSpec struct {
	ID    string `yaml:"id"`
	Title Text   `yaml:"title"` // {week} is the label of the table's week
	Note  Text   `yaml:"note"`
	Order int    `yaml:"order"`
	Week  int    `yaml:"week"` // the week shown, from the report week (0, or -4: the latest cohort seen for 4 weeks)
	Line  int    `yaml:"-"`
}

// ChartSpec is a trend chart; columns join it with trend: {chart: ID}.
type ChartSpec struct {
	ID       string    `yaml:"id"`
	Title    Text      `yaml:"title"`
	Kind     ChartKind `yaml:"kind"`
	Order    int       `yaml:"order"`
	Format   Format    `yaml:"format"`   // of its axis; default: its first series'
	Fallback string    `yaml:"fallback"` // stacked: the column shown when every series is zero
	Metric   string    `yaml:"-"`
	Line     int       `yaml:"-"`
}

// HeatmapSpec is a grid coloured by value.
type HeatmapSpec struct {
	ID      string      `yaml:"id"`
	Kind    HeatmapKind `yaml:"kind"`
	Order   int         `yaml:"order"`
	Title   Text        `yaml:"title"`
	Short   Text        `yaml:"short"` // a sheet tab
	Note    Text        `yaml:"note"`
	XTitle  *Text       `yaml:"x_title"`
	YTitle  *Text       `yaml:"y_title"`
	Column  string      `yaml:"column"`   // groups: the value shown
	Columns []string    `yaml:"columns"`  // cohorts: one per heatmap column
	XLabels []Text      `yaml:"x_labels"` // cohorts: their headings
	Size    string      `yaml:"size"`     // cohorts: the cohort's size, beside its week
	Metric  string      `yaml:"-"`
	Line    int         `yaml:"-"`
}

// header is the YAML front matter of a metric file.
type header struct {
	Name        string        `yaml:"name"`
	Title       Text          `yaml:"title"`
	Grain       Grain         `yaml:"grain"`
	Params      []string      `yaml:"params"`
	Value       string        `yaml:"value"`
	Cost        string        `yaml:"cost"`
	Description Text          `yaml:"description"`
	Section     Section       `yaml:"section"`
	Table       *TableSpec    `yaml:"table"`
	Rows        *RowsSpec     `yaml:"rows"`
	Charts      []ChartSpec   `yaml:"charts"`
	Heatmaps    []HeatmapSpec `yaml:"heatmaps"`
	Columns     []Column      `yaml:"columns"`
}

// headerLines maps the lines of the YAML text to the lines of the file.
type headerLines struct {
	file  string
	first int // the file line of YAML line 1
}

func (h headerLines) at(n *yaml.Node) int {
	if n == nil {
		return h.first - 1
	}
	return h.first + n.Line - 1
}

func (h headerLines) errorf(n *yaml.Node, format string, args ...any) error {
	return &HeaderError{File: h.file, Line: h.at(n), Msg: fmt.Sprintf(format, args...)}
}

// checkKeys walks a YAML node along the type it decodes into and refuses
// any mapping key the type has no field for, so a misspelt field is an
// error on its line, not a silent default.
func checkKeys(h headerLines, n *yaml.Node, t reflect.Type, where string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) > 0 {
			return checkKeys(h, n.Content[0], t, where)
		}
	case yaml.AliasNode:
		return h.errorf(n, "anchors and aliases are not allowed in a metric header")
	case yaml.SequenceNode:
		if t.Kind() != reflect.Slice {
			return h.errorf(n, "%s: a list where a %s was expected", where, kindName(t))
		}
		for _, c := range n.Content {
			if err := checkKeys(h, c, t.Elem(), where); err != nil {
				return err
			}
		}
	case yaml.MappingNode:
		switch t.Kind() {
		case reflect.Map:
			for i := 1; i < len(n.Content); i += 2 {
				if err := checkKeys(h, n.Content[i], t.Elem(), where+"."+n.Content[i-1].Value); err != nil {
					return err
				}
			}
		case reflect.Struct:
			fields := map[string]reflect.StructField{}
			var names []string
			for i := 0; i < t.NumField(); i++ {
				f := t.Field(i)
				tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
				if tag == "" || tag == "-" {
					continue
				}
				fields[tag] = f
				names = append(names, tag)
			}
			for i := 0; i+1 < len(n.Content); i += 2 {
				key := n.Content[i]
				f, ok := fields[key.Value]
				if !ok {
					return h.errorf(key, "%s: unknown field %q (fields: %s)", where, key.Value, strings.Join(names, ", "))
				}
				if err := checkKeys(h, n.Content[i+1], f.Type, where+"."+key.Value); err != nil {
					return err
				}
			}
		default:
			return h.errorf(n, "%s: a mapping where a %s was expected", where, kindName(t))
		}
	}
	return nil
}

func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Slice:
		return "list"
	case reflect.Struct, reflect.Map:
		return "mapping"
	}
	return "single value"
}

// child is the value node of key in a mapping node, or nil.
func child(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// keyNode is the key node of key in a mapping node (its line), or n.
func keyNode(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return n
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i]
		}
	}
	return n
}

// oneOf checks an enum value, naming the known ones.
func oneOf[T ~string](h headerLines, n *yaml.Node, what string, v T, known []T) error {
	if slices.Contains(known, v) {
		return nil
	}
	names := make([]string, len(known))
	for i, k := range known {
		names[i] = string(k)
	}
	if v == "" {
		return h.errorf(n, "%s missing: want %s", what, strings.Join(names, ", "))
	}
	return h.errorf(n, "%s %q: want %s", what, v, strings.Join(names, ", "))
}

// RollupWord is how an all-groups number is formed, in one word: the same
// beside the number in the page, the workbook and `metrics run`.
func RollupWord(r Rollup, lang string) string {
	w := map[Rollup]Text{
		RollupTotal:    {"total", "合计"},
		RollupPooled:   {"pooled", "合并"},
		RollupDistinct: {"distinct", "去重"},
		RollupAverage:  {"average", "平均"},
	}[r]
	return w.In(lang)
}

// RollupMeaning explains a rollup word.
func RollupMeaning(r Rollup, lang string) string {
	w := map[Rollup]Text{
		RollupTotal:    {"the groups added up (a person in two groups counts twice)", "各群相加（同在两个群的人计两次）"},
		RollupPooled:   {"worked out once over all groups together", "把所有群合在一起计算"},
		RollupDistinct: {"each person counted once", "每人只计一次"},
		RollupAverage:  {"the average of the groups", "各群的平均值"},
	}[r]
	return w.In(lang)
}
