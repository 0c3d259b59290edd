package metrics

import (
	"context"
	"database/sql"
)

// Comparison is a metric's result for a period beside the period before.
type Comparison struct {
	Current, Previous *Result
}

// Compare runs a metric for a period and for the one before it.
func Compare(ctx context.Context, db *sql.DB, d *Definition, p Params) (*Comparison, error) {
	cur, err := Run(ctx, db, d, p)
	if err != nil {
		return nil, err
	}
	prev := p
	prev.Period = p.Period.Previous()
	before, err := Run(ctx, db, d, prev)
	if err != nil {
		return nil, err
	}
	return &Comparison{Current: cur, Previous: before}, nil
}

// Table is the current rows with two more columns for the headline value:
// its value in the previous period and the relative change (NULL when
// either is missing or the previous value is 0).
func (c *Comparison) Table() ([]string, [][]any) {
	value := c.Current.Metric.Value
	cols := append(append([]string{}, c.Current.Columns...), value+"_previous", value+"_change")
	prevByGroup := map[any]any{}
	for _, row := range c.Previous.Rows {
		m := c.Previous.row(row)
		prevByGroup[groupKey(m["group_id"])] = m[value]
	}
	rows := make([][]any, len(c.Current.Rows))
	for i, row := range c.Current.Rows {
		m := c.Current.row(row)
		prev := prevByGroup[groupKey(m["group_id"])]
		rows[i] = append(append([]any{}, row...), prev, change(m[value], prev))
	}
	return cols, rows
}

// groupKey makes the all-groups row (NULL id) a map key of its own.
func groupKey(v any) any {
	if v == nil {
		return "all"
	}
	return v
}

// change is (now - before) / |before|, nil when it cannot be computed.
func change(now, before any) any {
	n, okN := number(now)
	b, okB := number(before)
	if !okN || !okB || b == 0 {
		return nil
	}
	if b < 0 {
		return (n - b) / -b
	}
	return (n - b) / b
}

// number reads the numeric types DuckDB returns.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	case int16:
		return float64(x), true
	case int8:
		return float64(x), true
	case uint64:
		return float64(x), true
	case uint32:
		return float64(x), true
	}
	return 0, false
}
