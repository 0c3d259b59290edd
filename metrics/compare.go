package metrics

import (
	"context"
	"database/sql"
	"math"
	"math/big"

	duckdb "github.com/duckdb/duckdb-go/v2"
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

// SmallBase is the smallest previous value a relative change is shown
// against: from 2 to 5 is "+3", not "+150%". A rate is never compared
// relatively (it changes in percentage points) and neither is a score.
const SmallBase = 10

// ChangeKind says how a change is expressed.
type ChangeKind string

// Kinds of change.
const (
	ChangePoints   ChangeKind = "pp"  // a rate: the difference in percentage points
	ChangeRelative ChangeKind = "%"   // (now - before) / |before|, as a percentage
	ChangeAbsolute ChangeKind = "abs" // now - before, in the column's own unit
)

// Change is a period-over-period change as a reader should see it.
type Change struct {
	Kind ChangeKind
	// Value is in the unit of Kind: percentage points (2.5 for 35.1% ->
	// 37.6%), percent (7.2 for +7.2%), or the column's unit.
	Value float64
}

// ChangeOf is the change from before to now of a column of format f, false
// when either is missing. The rule, the same in the page, the workbook and
// `metrics run --compare`: a ratio changes in percentage points, a score
// and any number whose previous value is below SmallBase (in absolute
// value) by the difference, anything else by the relative change. A
// percent (a growth rate) changes in points as a ratio does.
func ChangeOf(f Format, now, before *float64) (Change, bool) {
	if !finite(now) || !finite(before) {
		return Change{}, false
	}
	d := *now - *before
	switch {
	case f == FormatRatio, f == FormatPercent:
		return Change{ChangePoints, d * 100}, true
	case f == FormatScore, math.Abs(*before) < SmallBase:
		return Change{ChangeAbsolute, d}, true
	}
	return Change{ChangeRelative, d / math.Abs(*before) * 100}, true
}

func finite(v *float64) bool { return v != nil && !math.IsNaN(*v) && !math.IsInf(*v, 0) }

// Table is the current rows with three more columns for the headline
// value: its value in the previous period, the change (ChangeOf) and the
// change's unit ("pp", "%" or "abs"); both NULL when there is none.
func (c *Comparison) Table() ([]string, [][]any) {
	value := c.Current.Metric.Value
	format := FormatDecimal
	if col := c.Current.Metric.Column(value); col != nil {
		format = col.Format
	}
	cols := append(append([]string{}, c.Current.Columns...), value+"_previous", value+"_change", value+"_change_unit")
	prevByGroup := map[any]any{}
	for _, row := range c.Previous.Rows {
		m := c.Previous.row(row)
		prevByGroup[groupKey(m["group_id"])] = m[value]
	}
	rows := make([][]any, len(c.Current.Rows))
	for i, row := range c.Current.Rows {
		m := c.Current.row(row)
		prev := prevByGroup[groupKey(m["group_id"])]
		var ch, unit any
		if x, ok := ChangeOf(format, Number(m[value]), Number(prev)); ok {
			ch, unit = x.Value, string(x.Kind)
		}
		rows[i] = append(append([]any{}, row...), prev, ch, unit)
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

// Number reads the numeric types DuckDB returns, nil for anything else.
func Number(v any) *float64 {
	var f float64
	switch x := v.(type) {
	case float64:
		f = x
	case float32:
		f = float64(x)
	case int64:
		f = float64(x)
	case int32:
		f = float64(x)
	case int16:
		f = float64(x)
	case int8:
		f = float64(x)
	case uint64:
		f = float64(x)
	case uint32:
		f = float64(x)
	case *big.Int: // HUGEINT: sum() of integers left uncast
		f, _ = new(big.Float).SetInt(x).Float64()
	case duckdb.Decimal: // 1.0 and other literals are DECIMAL
		f = x.Float64()
	default:
		return nil
	}
	return &f
}
