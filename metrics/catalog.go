package metrics

import (
	"cmp"
	"fmt"
	"os"
	"slices"
	"sort"

	"github.com/ckpi/ckpi/queries"
)

// Catalog is the set of metrics a run knows: the built-in ones, then the
// user's folder, whose files replace built-ins of the same name.
type Catalog struct {
	defs map[string]*Definition
}

// LoadCatalog reads the built-in metrics and, when userDir is not empty,
// every .sql file in it, then checks what the headers say of each other:
// every chart a column names is declared once, tables shared by several
// metrics are titled once, at most one column ranks the groups.
func LoadCatalog(userDir string) (*Catalog, error) {
	builtin, err := LoadFS(queries.Metrics(), ".")
	if err != nil {
		return nil, err
	}
	c := &Catalog{defs: map[string]*Definition{}}
	for _, d := range builtin {
		d.File = "queries/metrics/" + d.File
		c.defs[d.Name] = d
	}
	if userDir != "" {
		user, err := LoadFS(os.DirFS(userDir), ".")
		if err != nil {
			return nil, fmt.Errorf("metrics dir %s: %w", userDir, err)
		}
		for _, d := range user {
			d.File = userDir + "/" + d.File
			c.defs[d.Name] = d
		}
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	return c, nil
}

// NewCatalog is a catalogue of the given definitions, checked as LoadCatalog does.
func NewCatalog(defs ...*Definition) (*Catalog, error) {
	c := &Catalog{defs: map[string]*Definition{}}
	for _, d := range defs {
		c.defs[d.Name] = d
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Catalog) check() error {
	charts := map[string]ChartSpec{}
	for _, d := range c.All() {
		for _, ch := range d.Charts {
			if prev, dup := charts[ch.ID]; dup {
				return &HeaderError{d.File, ch.Line, fmt.Sprintf("chart %q is declared in %s too: give it another id", ch.ID, c.defs[prev.Metric].File)}
			}
			charts[ch.ID] = ch
		}
	}
	tables := map[string]*Definition{}
	roles := map[Role]*Column{}
	for _, d := range c.All() {
		for _, col := range d.Specs {
			if t := col.Trend; t != nil {
				if _, ok := charts[t.Chart]; !ok {
					return &HeaderError{d.File, t.Line, fmt.Sprintf("column %s: no metric declares chart %q", col.Name, t.Chart)}
				}
			}
			if col.Role == RoleRank || col.Role == RoleNeed {
				if prev, dup := roles[col.Role]; dup {
					return &HeaderError{d.File, col.Line, fmt.Sprintf("column %s: role %s is taken by %s", col.Name, col.Role, prev.Name)}
				}
				roles[col.Role] = col
			}
		}
		if t := d.Table; t != nil && t.Title.En != "" {
			if prev, dup := tables[t.ID]; dup {
				return &HeaderError{d.File, t.Line, fmt.Sprintf("table %q is titled in %s too: title it once, join it with table: {id: %s}", t.ID, prev.File, t.ID)}
			}
			tables[t.ID] = d
		}
	}
	for _, d := range c.All() {
		if t := d.Table; t != nil && tables[t.ID] == nil {
			return &HeaderError{d.File, t.Line, fmt.Sprintf("table %q: no metric titles it (give it a title)", t.ID)}
		}
		// A table's rows are one kind: groups, or one carrier's.
		if t := d.Table; t != nil && rowsOf(tables[t.ID]) != rowsOf(d) {
			return &HeaderError{d.File, t.Line, fmt.Sprintf("table %q lists %s and %s lists %s: a table's rows are of one kind", t.ID, rowsOf(tables[t.ID]), d.Name, rowsOf(d))}
		}
	}
	return nil
}

// rowsOf names what a metric's rows are, for messages.
func rowsOf(d *Definition) string {
	if d.Rows == nil {
		return "groups"
	}
	return d.Rows.Of + "s"
}

// Get finds a metric by name.
func (c *Catalog) Get(name string) (*Definition, error) {
	d, ok := c.defs[name]
	if !ok {
		return nil, fmt.Errorf("no metric %q: see `ckpi metrics list`", name)
	}
	return d, nil
}

// All lists the metrics by name.
func (c *Catalog) All() []*Definition {
	out := make([]*Definition, 0, len(c.defs))
	for _, d := range c.defs {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Placed is a column of a metric, where a surface shows it.
type Placed struct {
	Metric *Definition
	Column *Column
}

// placed lists the columns for which pick gives an order, by that order,
// then by metric name and column position.
func (c *Catalog) placed(pick func(*Column) (int, bool)) []Placed {
	type item struct {
		Placed
		order, pos int
	}
	var items []item
	for _, d := range c.All() {
		for i, col := range d.Specs {
			if o, ok := pick(col); ok {
				items = append(items, item{Placed{d, col}, o, i})
			}
		}
	}
	slices.SortStableFunc(items, func(a, b item) int {
		return cmp.Or(cmp.Compare(a.order, b.order), cmp.Compare(a.Metric.Name, b.Metric.Name), cmp.Compare(a.pos, b.pos))
	})
	out := make([]Placed, len(items))
	for i, it := range items {
		out[i] = it.Placed
	}
	return out
}

// Cards are the headline cards, in order.
func (c *Catalog) Cards() []Placed {
	return c.placed(func(col *Column) (int, bool) {
		if col.Card == nil {
			return 0, false
		}
		return col.Card.Order, true
	})
}

// GroupColumns are the columns of the groups table, in order.
func (c *Catalog) GroupColumns() []Placed {
	return c.placed(func(col *Column) (int, bool) {
		if col.Groups == nil {
			return 0, false
		}
		return col.Groups.Order, true
	})
}

// Alerts are the columns that flag groups, in the groups table's order.
func (c *Catalog) Alerts() []Placed {
	return c.placed(func(col *Column) (int, bool) {
		if col.Alert == nil {
			return 0, false
		}
		if col.Groups != nil {
			return col.Groups.Order, true
		}
		return defaultOrder, true
	})
}

// Role is the column with a role (rank, need, flags: the first), if any.
func (c *Catalog) Role(r Role) (Placed, bool) {
	for _, p := range c.placed(func(col *Column) (int, bool) { return 0, col.Role == r }) {
		return p, true
	}
	return Placed{}, false
}

// Chart is a trend chart with its series.
type Chart struct {
	ChartSpec
	Series []Placed // the metric declaring it first, then the others by name; columns in order
}

// Charts are the trend charts, in order.
func (c *Catalog) Charts() []Chart {
	var out []Chart
	for _, d := range c.All() {
		for _, spec := range d.Charts {
			ch := Chart{ChartSpec: spec}
			owner := func(p Placed) bool { return p.Metric.Name == spec.Metric }
			all := c.placed(func(col *Column) (int, bool) { return 0, col.Trend != nil && col.Trend.Chart == spec.ID })
			for _, p := range all {
				if owner(p) {
					ch.Series = append(ch.Series, p)
				}
			}
			for _, p := range all {
				if !owner(p) {
					ch.Series = append(ch.Series, p)
				}
			}
			out = append(out, ch)
		}
	}
	slices.SortStableFunc(out, func(a, b Chart) int { return cmp.Or(cmp.Compare(a.Order, b.Order), cmp.Compare(a.ID, b.ID)) })
	return out
}

// Heatmaps are the heatmaps, in order.
func (c *Catalog) Heatmaps() []HeatmapSpec {
	var out []HeatmapSpec
	for _, d := range c.All() {
		out = append(out, d.Heatmaps...)
	}
	slices.SortStableFunc(out, func(a, b HeatmapSpec) int {
		return cmp.Or(cmp.Compare(a.Order, b.Order), cmp.Compare(a.Metric, b.Metric), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// Table is one table of the report: the columns of one or more metrics.
type Table struct {
	TableSpec
	Section Section
	Parts   []*Definition // the metric titling it first, then the others by name
}

// Tables are the report's tables of a section, in order.
func (c *Catalog) Tables(s Section) []Table {
	byID := map[string]*Table{}
	var ids []string
	for _, d := range c.All() {
		if d.Table == nil || d.Section != s {
			continue
		}
		t, ok := byID[d.Table.ID]
		if !ok {
			t = &Table{Section: s}
			byID[d.Table.ID] = t
			ids = append(ids, d.Table.ID)
		}
		if d.Table.Title.En != "" {
			t.TableSpec = *d.Table
			t.Parts = append([]*Definition{d}, t.Parts...)
		} else {
			t.Parts = append(t.Parts, d)
		}
	}
	out := make([]Table, 0, len(ids))
	for _, id := range ids {
		out = append(out, *byID[id])
	}
	slices.SortStableFunc(out, func(a, b Table) int { return cmp.Or(cmp.Compare(a.Order, b.Order), cmp.Compare(a.ID, b.ID)) })
	return out
}
