// Package metrics reads KPI definitions (one SQL file each, with a YAML
// header in its leading comment) and runs them against a ckpi database with
// bound parameters.
package metrics

import (
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/ckpi/ckpi/queries"
)

// Definition is one metric file: what it computes (the SQL) and everything
// a surface needs to show it (the header).
type Definition struct {
	Name        string
	Title       Text
	Description Text
	Grain       Grain
	Value       string // the headline column
	Cost        string // "heavy": the report starts its runs first
	Params      []string
	Columns     []string  // every result column: group_id, group_name, then the declared ones
	Specs       []*Column // the declared columns, in order
	Section     Section
	Table       *TableSpec // nil when Section is none
	Rows        *RowsSpec  // nil: a row per group
	Charts      []ChartSpec
	Heatmaps    []HeatmapSpec
	SQL         string
	File        string // where it was read from, for error messages
	Line        int    // the file line of the header's first line
	ParamsLine  int    // the file line of params, for errors about them
	ValueLine   int
	ColumnsLine int // the file line of columns
	SQLLine     int // the file line the SQL starts on, after the header
}

// Keys every metric returns first: the group, NULL on the all-groups row.
var keyColumns = []string{"group_id", "group_name"}

// Parameters a metric may take; the binder (Args) binds each by name.
var knownParams = []string{"start", "end", "group", "tz"}

// Grains a metric may have.
var grains = []Grain{GrainDay, GrainWeek, GrainMonth}

// Column is the declaration of a result column, or nil.
func (d *Definition) Column(name string) *Column {
	for _, c := range d.Specs {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// GroupRows reports whether the metric's rows are groups (the default),
// not the rows its header's rows: names.
func (d *Definition) GroupRows() bool { return d.Rows == nil }

// Direction is which change of the headline value is good news.
func (d *Definition) Direction() Direction {
	if c := d.Column(d.Value); c != nil {
		return c.Good
	}
	return None
}

// HeaderError points at the line of a metric file that is wrong.
type HeaderError struct {
	File string
	Line int
	Msg  string
}

func (e *HeaderError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// headerFence opens and closes the YAML header.
const headerFence = "---"

// Parse reads a metric file: a YAML header between two "-- ---" comment
// lines at the top (every line of it a "--" comment), then the SQL.
func Parse(file string, src []byte) (*Definition, error) {
	text := string(src)
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	h := headerLines{file: file}
	if len(lines) == 0 || commentBody(lines[0]) != headerFence {
		if strings.HasPrefix(strings.TrimSpace(lines[0]), "-- name:") {
			return nil, &HeaderError{file, 1, "a header of '-- key: value' lines is the old format: the header is now YAML between '-- ---' lines (see docs/metrics.md, The header)"}
		}
		return nil, &HeaderError{file, 1, "a metric starts with its header: YAML between two '-- ---' lines (see docs/metrics.md, The header)"}
	}
	var body []string
	end := -1
	for i := 1; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], "\r")
		if !strings.HasPrefix(strings.TrimSpace(line), "--") {
			return nil, &HeaderError{file, i + 1, "the header must end with a '-- ---' line before the SQL"}
		}
		b := commentBody(line)
		if b == headerFence {
			end = i
			break
		}
		body = append(body, strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(line), "--"), " "))
	}
	if end < 0 {
		return nil, &HeaderError{file, len(lines), "the header is not closed: end it with a '-- ---' line"}
	}
	h.first = 2
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(strings.Join(body, "\n")), &root); err != nil {
		return nil, yamlError(h, err)
	}
	if len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil, &HeaderError{file, 2, "the header must be a YAML mapping (name: ..., title: ...)"}
	}
	top := root.Content[0]
	if err := checkKeys(h, top, reflect.TypeOf(header{}), "header"); err != nil {
		return nil, err
	}
	var hd header
	if err := top.Decode(&hd); err != nil {
		return nil, yamlError(h, err)
	}
	d := &Definition{
		Name: hd.Name, Title: hd.Title, Description: hd.Description, Grain: hd.Grain,
		Value: hd.Value, Cost: hd.Cost, Params: hd.Params, Section: hd.Section,
		Charts: hd.Charts, Heatmaps: hd.Heatmaps, Rows: hd.Rows,
		SQL: text, File: file, Line: 1,
		ParamsLine: h.at(keyNode(top, "params")), ValueLine: h.at(keyNode(top, "value")),
		ColumnsLine: h.at(keyNode(top, "columns")), SQLLine: end + 2,
	}
	// A Chinese text folded over several lines has a space at each fold.
	d.Description.Zh = joinCJK(d.Description.Zh)
	if err := d.check(h, top, &hd); err != nil {
		return nil, err
	}
	if err := checkParamsUsed(d, d.ParamsLine); err != nil {
		return nil, err
	}
	return d, nil
}

// commentBody is a comment line's text after "--", trimmed; "" for other lines.
func commentBody(line string) string {
	s := strings.TrimSpace(line)
	if !strings.HasPrefix(s, "--") {
		return ""
	}
	return strings.TrimSpace(s[2:])
}

// yamlError turns a YAML error ("yaml: line 3: ...") into one naming the
// file line.
func yamlError(h headerLines, err error) error {
	msg := err.Error()
	line := h.first - 1
	var n int
	if i := strings.Index(msg, "line "); i >= 0 {
		if _, scanErr := fmt.Sscanf(msg[i:], "line %d", &n); scanErr == nil {
			line = h.first + n - 1
			if j := strings.Index(msg[i:], ": "); j >= 0 {
				msg = msg[i+j+2:]
			}
		}
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	msg = strings.ReplaceAll(msg, "\n", "; ")
	return &HeaderError{File: h.file, Line: line, Msg: "header: " + msg}
}

// check validates the header beyond its shape: names, enums, both
// languages, columns and where they appear.
func (d *Definition) check(h headerLines, top *yaml.Node, hd *header) error {
	at := func(key string) *yaml.Node { return keyNode(top, key) }
	if d.Name == "" {
		return h.errorf(top, "header lacks name")
	}
	if want := strings.TrimSuffix(path.Base(d.File), ".sql"); d.Name != want {
		return h.errorf(at("name"), "name %q must match the file name %q", d.Name, want)
	}
	if d.Title.empty() {
		return h.errorf(at("title"), "title: give it in English and Chinese: {en: ..., zh: ...}")
	}
	if d.Description.empty() {
		return h.errorf(at("description"), "description: give it in English and Chinese (en: and zh:)")
	}
	if err := oneOf(h, at("grain"), "grain", d.Grain, grains); err != nil {
		return err
	}
	for _, p := range d.Params {
		if !slices.Contains(knownParams, p) {
			return h.errorf(at("params"), "unknown parameter %q (known: %s)", p, strings.Join(knownParams, ", "))
		}
	}
	if d.Cost != "" && d.Cost != "heavy" {
		return h.errorf(at("cost"), "cost %q: want heavy, or leave it out", d.Cost)
	}
	if d.Section == "" {
		d.Section = SectionDetails
	}
	if err := oneOf(h, at("section"), "section", d.Section, sections); err != nil {
		return err
	}

	colNodes := child(top, "columns")
	if len(hd.Columns) == 0 {
		return h.errorf(at("columns"), "header lacks columns: declare every result column after group_id and group_name")
	}
	d.Columns = append([]string{}, keyColumns...)
	for i := range hd.Columns {
		c := &hd.Columns[i]
		n := colNodes.Content[i]
		c.Line = h.at(n)
		if err := checkColumn(h, n, c); err != nil {
			return err
		}
		if slices.Contains(d.Columns, c.Name) {
			return h.errorf(n, "column %q declared twice (group_id and group_name are implied)", c.Name)
		}
		d.Columns = append(d.Columns, c.Name)
		d.Specs = append(d.Specs, c)
	}
	v := d.Column(d.Value)
	switch {
	case d.Value == "":
		return h.errorf(top, "header lacks value: the headline column")
	case v == nil:
		return h.errorf(at("value"), "value column %q is not in columns", d.Value)
	case !v.Format.Numeric():
		return h.errorf(at("value"), "value column %q is text: the headline must be a number", d.Value)
	}

	if d.Section != SectionNone {
		t := hd.Table
		if t == nil {
			t = &TableSpec{}
		}
		t.Line = h.at(at("table"))
		if t.ID == "" {
			t.ID = d.Name
		}
		if t.ID == d.Name && t.Title.En == "" && t.Title.Zh == "" {
			t.Title = d.Title
		}
		if (t.Title.En == "") != (t.Title.Zh == "") {
			return h.errorf(at("table"), "table title: give it in English and Chinese")
		}
		if t.Week > 0 {
			return h.errorf(at("table"), "table week %d: a week after the report's is not known yet (0 or less)", t.Week)
		}
		if t.Order == 0 {
			t.Order = defaultOrder
		}
		d.Table = t
	} else if hd.Table != nil {
		return h.errorf(at("table"), "section none: a metric without a table of its own has no table")
	}

	chartNodes := child(top, "charts")
	for i := range d.Charts {
		c := &d.Charts[i]
		n := chartNodes.Content[i]
		c.Line, c.Metric = h.at(n), d.Name
		if !metricName.MatchString(c.ID) {
			return h.errorf(n, "chart id %q: use lower-case letters, digits and _", c.ID)
		}
		if c.Title.empty() {
			return h.errorf(n, "chart %s: give its title in English and Chinese", c.ID)
		}
		if err := oneOf(h, keyNode(n, "kind"), "chart kind", c.Kind, chartKinds); err != nil {
			return err
		}
		if c.Format != "" {
			if err := oneOf(h, keyNode(n, "format"), "chart format", c.Format, formats[:7]); err != nil {
				return err
			}
		}
		if c.Fallback != "" && d.Column(c.Fallback) == nil {
			return h.errorf(keyNode(n, "fallback"), "chart %s: fallback column %q is not in columns", c.ID, c.Fallback)
		}
		if c.Order == 0 {
			c.Order = defaultOrder
		}
	}
	heatNodes := child(top, "heatmaps")
	for i := range d.Heatmaps {
		m := &d.Heatmaps[i]
		n := heatNodes.Content[i]
		m.Line, m.Metric = h.at(n), d.Name
		if err := checkHeatmap(h, n, d, m); err != nil {
			return err
		}
	}
	return d.checkRows(h, top, colNodes)
}

// checkRows checks a metric whose rows are not groups: nothing of it may
// reach a place made for groups.
func (d *Definition) checkRows(h headerLines, top, colNodes *yaml.Node) error {
	r := d.Rows
	if r == nil {
		return nil
	}
	at := keyNode(top, "rows")
	r.Line = h.at(at)
	switch {
	case !metricName.MatchString(r.Of) || r.Of == "group" || r.Of == "groups":
		return h.errorf(at, "rows of %q: name what a row is in lower-case letters (account, article); leave rows out for groups", r.Of)
	case r.Label.empty() || r.All.empty():
		return h.errorf(at, "rows: give label (the heading of the rows' names) and all (the all-row's name) in English and Chinese")
	case slices.Contains(d.Params, "group"):
		return h.errorf(keyNode(top, "params"), "rows of %s: $group selects groups, which this metric's rows are not", r.Of)
	case d.Section == SectionRisk:
		return h.errorf(keyNode(top, "section"), "rows of %s: the risk section lists groups", r.Of)
	}
	for i, c := range d.Specs {
		n := colNodes.Content[i]
		switch {
		case c.Groups != nil:
			return h.errorf(keyNode(n, "groups"), "column %s: the groups table lists groups, and this metric's rows are %ss", c.Name, r.Of)
		case c.Alert != nil:
			return h.errorf(keyNode(n, "alert"), "column %s: alerts flag groups, and this metric's rows are %ss", c.Name, r.Of)
		case c.Role != "":
			return h.errorf(keyNode(n, "role"), "column %s: a role orders groups, and this metric's rows are %ss", c.Name, r.Of)
		case len(c.Needs) > 0:
			return h.errorf(keyNode(n, "needs"), "column %s: needs says what a group's data must hold, and this metric's rows are %ss", c.Name, r.Of)
		}
	}
	for _, m := range d.Heatmaps {
		if m.Kind == HeatmapGroups {
			return &HeaderError{d.File, m.Line, fmt.Sprintf("heatmap %s: a row per group, and this metric's rows are %ss", m.ID, r.Of)}
		}
	}
	return nil
}

// defaultOrder places what gives no order after the built-ins.
const defaultOrder = 1000

func checkColumn(h headerLines, n *yaml.Node, c *Column) error {
	at := func(key string) *yaml.Node { return keyNode(n, key) }
	if !metricName.MatchString(c.Name) {
		return h.errorf(n, "column name %q: use lower-case letters, digits and _", c.Name)
	}
	if err := oneOf(h, at("format"), "column "+c.Name+": format", c.Format, formats); err != nil {
		return err
	}
	if c.Label.empty() {
		return h.errorf(n, "column %s: give its label in English and Chinese: label: {en: ..., zh: ...}", c.Name)
	}
	if c.About.empty() {
		return h.errorf(n, "column %s: give its one-line explanation in English and Chinese: about: {en: ..., zh: ...}", c.Name)
	}
	if c.Format.Numeric() {
		if c.Good == "" {
			return h.errorf(n, "column %s: say which change is good: good: up, down or none", c.Name)
		}
		if c.All == "" {
			return h.errorf(n, "column %s: say how its all-groups row is formed: all: total, pooled, distinct, average or none", c.Name)
		}
	} else {
		if c.Good == "" {
			c.Good = None
		}
		if c.All == "" {
			c.All = RollupNone
		}
	}
	if err := oneOf(h, at("good"), "column "+c.Name+": good", c.Good, directions); err != nil {
		return err
	}
	if err := oneOf(h, at("all"), "column "+c.Name+": all", c.All, rollups); err != nil {
		return err
	}
	for _, need := range c.Needs {
		if err := oneOf(h, at("needs"), "column "+c.Name+": needs", need, needs); err != nil {
			return err
		}
	}
	if c.Role != "" {
		if err := oneOf(h, at("role"), "column "+c.Name+": role", c.Role, roles); err != nil {
			return err
		}
		if (c.Role == RoleFlags) == c.Format.Numeric() {
			return h.errorf(at("role"), "column %s: role %s wants a %s column", c.Name, c.Role, map[bool]string{true: "text", false: "numeric"}[c.Role == RoleFlags])
		}
	}
	if len(c.Values) > 0 && c.Format.Numeric() {
		return h.errorf(at("values"), "column %s: values word the codes of a text column", c.Name)
	}
	for code, w := range c.Values {
		if w.empty() {
			return h.errorf(at("values"), "column %s: the words of %q in English and Chinese", c.Name, code)
		}
	}
	if !c.Format.Numeric() && (c.Card != nil || c.Groups != nil || c.Trend != nil || c.Alert != nil) {
		return h.errorf(n, "column %s: a text column has no card, groups column, trend or alert", c.Name)
	}
	if c.Card != nil {
		if c.Card.Order == 0 {
			c.Card.Order = defaultOrder
		}
		if (c.Card.Label != nil && c.Card.Label.empty()) || (c.Card.About != nil && c.Card.About.empty()) {
			return h.errorf(at("card"), "column %s: the card's label and about in English and Chinese", c.Name)
		}
	}
	if c.Groups != nil {
		if c.Groups.Order == 0 {
			c.Groups.Order = defaultOrder
		}
		if c.Groups.Label != nil && c.Groups.Label.empty() {
			return h.errorf(at("groups"), "column %s: the groups column's label in English and Chinese", c.Name)
		}
	}
	if t := c.Trend; t != nil {
		t.Line = h.at(at("trend"))
		if t.Chart == "" {
			return h.errorf(at("trend"), "column %s: trend: {chart: ID} names a chart declared in some metric's charts", c.Name)
		}
		if t.Kind != "" {
			if err := oneOf(h, at("trend"), "column "+c.Name+": trend kind", t.Kind, []ChartKind{ChartLine, ChartBar}); err != nil {
				return err
			}
		}
		if t.Axis != "" && t.Axis != "left" && t.Axis != "right" {
			return h.errorf(at("trend"), "column %s: trend axis %q: want left or right", c.Name, t.Axis)
		}
	}
	if a := c.Alert; a != nil {
		if (a.Drop > 0) == (a.Above != nil) || a.Drop < 0 || a.Drop > 1 {
			return h.errorf(at("alert"), "column %s: an alert has either drop (a share, 0-1, of last week's value) or above (a value)", c.Name)
		}
		if a.Text.empty() {
			return h.errorf(at("alert"), "column %s: the alert's text in English and Chinese", c.Name)
		}
	}
	return nil
}

func checkHeatmap(h headerLines, n *yaml.Node, d *Definition, m *HeatmapSpec) error {
	if !metricName.MatchString(m.ID) {
		return h.errorf(n, "heatmap id %q: use lower-case letters, digits and _", m.ID)
	}
	if err := oneOf(h, keyNode(n, "kind"), "heatmap kind", m.Kind, heatmapKinds); err != nil {
		return err
	}
	if m.Title.empty() || m.Short.empty() || m.Note.empty() {
		return h.errorf(n, "heatmap %s: its title, short and note in English and Chinese", m.ID)
	}
	numeric := func(col string) error {
		c := d.Column(col)
		if c == nil || !c.Format.Numeric() {
			return h.errorf(n, "heatmap %s: %q is not a numeric column of %s", m.ID, col, d.Name)
		}
		return nil
	}
	switch m.Kind {
	case HeatmapGroups:
		if err := numeric(m.Column); err != nil {
			return err
		}
	case HeatmapCohorts:
		if len(m.Columns) == 0 || len(m.XLabels) != len(m.Columns) {
			return h.errorf(n, "heatmap %s: cohorts list columns and as many x_labels", m.ID)
		}
		for _, c := range append(append([]string{}, m.Columns...), m.Size) {
			if err := numeric(c); err != nil {
				return err
			}
		}
		for _, l := range m.XLabels {
			if l.empty() {
				return h.errorf(n, "heatmap %s: x_labels in English and Chinese", m.ID)
			}
		}
	}
	if m.Order == 0 {
		m.Order = defaultOrder
	}
	return nil
}

// checkParamsUsed makes the header and the SQL agree on parameters: every
// $name in the SQL is declared, and every declared one is used.
func checkParamsUsed(d *Definition, line int) error {
	used := queries.Params(d.SQL)
	for _, u := range used {
		if !slices.Contains(d.Params, u) {
			return &HeaderError{d.File, line, fmt.Sprintf("the SQL uses $%s, which params does not declare", u)}
		}
	}
	for _, p := range d.Params {
		if !slices.Contains(used, p) {
			return &HeaderError{d.File, line, fmt.Sprintf("params declares %q but the SQL never uses $%s", p, p)}
		}
	}
	return nil
}

// LoadFS reads every .sql file of a folder as a metric definition.
func LoadFS(fsys fs.FS, dir string) ([]*Definition, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var defs []*Definition
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		p := path.Join(dir, e.Name())
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		d, err := Parse(p, src)
		if err != nil {
			return nil, err
		}
		defs = append(defs, d)
	}
	return defs, nil
}
