package ingest

import (
	"database/sql/driver"
	"time"
)

// batchRows is how many rows travel together to the loader: large enough
// that the per-batch cost vanishes, small enough to keep memory flat.
const batchRows = 8192

// batch is a run of rows for one staging table, flattened row after row so
// the appender can take each row as a sub-slice without copying.
type batch struct {
	table string
	width int
	vals  []driver.Value
}

func newBatch(table string, width int) *batch {
	return &batch{table: table, width: width, vals: make([]driver.Value, 0, width*batchRows)}
}

func (b *batch) add(vals ...driver.Value) { b.vals = append(b.vals, vals...) }

func (b *batch) rows() int { return len(b.vals) / b.width }

func (b *batch) full() bool { return len(b.vals) >= b.width*batchRows }

func (b *batch) row(i int) []driver.Value { return b.vals[i*b.width : (i+1)*b.width] }

func (b *batch) reset() {
	clear(b.vals) // drop references to strings so they can be collected
	b.vals = b.vals[:0]
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
