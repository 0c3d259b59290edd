package metrics

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// Result is a metric's rows for one period.
type Result struct {
	Metric  *Definition
	Period  Period
	Columns []string
	Rows    [][]any
}

// Params are what a run binds; nil Group means every group.
type Params struct {
	Period Period
	Group  *string
}

// Run executes a metric with its parameters bound by name, never spliced.
// Each is bound with its type: left to infer one, DuckDB may take a time
// for TIMESTAMPTZ and read every stored timestamp in the session's zone,
// which is both wrong and about ten times slower.
//
// The metric's SQL is analyst SQL and runs sandboxed (see sandbox.go): one
// SELECT statement, on a connection of its own in a read-only transaction
// (or database), on an instance that Run locks down the first time (no file or network
// access, no setting changed, from then on, for the whole instance).
func Run(ctx context.Context, db *sql.DB, d *Definition, p Params) (*Result, error) {
	args := []any{}
	for _, name := range d.Params {
		switch name {
		case "start":
			args = append(args, sql.Named("start", duckdb.Typed(p.Period.Start.UTC(), duckdb.TYPE_TIMESTAMP)))
		case "end":
			args = append(args, sql.Named("end", duckdb.Typed(p.Period.End.UTC(), duckdb.TYPE_TIMESTAMP)))
		case "group":
			var g any
			if p.Group != nil {
				g = *p.Group
			}
			args = append(args, sql.Named("group", duckdb.Typed(g, duckdb.TYPE_VARCHAR)))
		}
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	readOnlyDB, err := instance(ctx, db, conn)
	if err != nil {
		return nil, err
	}
	if err := gate(ctx, conn, d); err != nil {
		return nil, err
	}
	if readOnlyDB {
		return query(ctx, conn, d, p, args)
	}
	var res *Result
	err = readOnly(ctx, conn, func() (err error) {
		res, err = query(ctx, conn, d, p, args)
		return err
	})
	return res, err
}

func query(ctx context.Context, conn *sql.Conn, d *Definition, p Params, args []any) (*Result, error) {
	rows, err := conn.QueryContext(ctx, d.SQL, args...)
	if err != nil {
		return nil, sqlError(d, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	for _, want := range d.Columns {
		if !slices.Contains(cols, want) {
			return nil, &SQLError{File: d.File, Msg: fmt.Sprintf("result lacks declared column %q (the query returns %s)", want, strings.Join(cols, ", "))}
		}
	}
	res := &Result{Metric: d, Period: p.Period, Columns: cols}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, sqlError(d, err)
		}
		res.Rows = append(res.Rows, vals)
	}
	if err := rows.Err(); err != nil {
		return nil, sqlError(d, err)
	}
	return res, nil
}

// Total returns the all-groups row (group_id NULL), or nil.
func (r *Result) Total() map[string]any {
	for _, row := range r.Rows {
		if m := r.row(row); m["group_id"] == nil {
			return m
		}
	}
	return nil
}

// ByGroup returns the per-group rows keyed by column name.
func (r *Result) ByGroup() []map[string]any {
	var out []map[string]any
	for _, row := range r.Rows {
		if m := r.row(row); m["group_id"] != nil {
			out = append(out, m)
		}
	}
	return out
}

func (r *Result) row(vals []any) map[string]any {
	m := make(map[string]any, len(vals))
	for i, c := range r.Columns {
		m[c] = vals[i]
	}
	return m
}
