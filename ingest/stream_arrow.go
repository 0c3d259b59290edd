//go:build duckdb_arrow

package ingest

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	duckdb "github.com/duckdb/duckdb-go/v2"
)

// LoadPath names how messages reach DuckDB in this build.
const LoadPath = "arrow"

var streamSeq atomic.Int64

// messageSchema is the stream's Arrow schema: the columns of
// messageColumns, zero-copy for the integers.
var messageSchema = func() *arrow.Schema {
	fields := make([]arrow.Field, len(messageColumnNames))
	for i, n := range messageColumnNames {
		t := arrow.DataType(arrow.PrimitiveTypes.Int64)
		if i >= intColumns {
			t = arrow.BinaryTypes.String
		}
		fields[i] = arrow.Field{Name: n, Type: t}
	}
	return arrow.NewSchema(fields, nil)
}()

// streamMessages inserts the batches arriving on in through DuckDB's Arrow
// scan, which reads each batch's buffers directly.
func streamMessages(ctx context.Context, conn *sql.Conn, in <-chan *messageColumns, timeOrder bool) error {
	name := fmt.Sprintf("ckpi_messages_%d", streamSeq.Add(1))
	query := insertMessages(name, timeOrder)
	return conn.Raw(func(dc any) error {
		ar, err := duckdb.NewArrowFromConn(dc.(driver.Conn))
		if err != nil {
			return err
		}
		reader := &columnsReader{ctx: ctx, in: in, refs: 1}
		release, err := ar.RegisterView(reader, name)
		if err != nil {
			return err
		}
		defer release()
		exec := dc.(driver.ExecerContext)
		if _, err := exec.ExecContext(ctx, "SET preserve_insertion_order = false", nil); err != nil {
			return err
		}
		defer exec.ExecContext(context.Background(), "RESET preserve_insertion_order", nil) //nolint:errcheck // best effort
		if _, err := exec.ExecContext(ctx, query, nil); err != nil {
			return err
		}
		_, err = exec.ExecContext(ctx, `DROP VIEW IF EXISTS "`+name+`"`, nil)
		return err
	})
}

// columnsReader turns the channel of batches into an Arrow record stream.
type columnsReader struct {
	ctx  context.Context
	in   <-chan *messageColumns
	cur  arrow.RecordBatch
	err  error
	refs int64
}

func (r *columnsReader) Retain()                        { atomic.AddInt64(&r.refs, 1) }
func (r *columnsReader) Release()                       { atomic.AddInt64(&r.refs, -1) }
func (r *columnsReader) Schema() *arrow.Schema          { return messageSchema }
func (r *columnsReader) RecordBatch() arrow.RecordBatch { return r.cur }
func (r *columnsReader) Record() arrow.RecordBatch      { return r.cur }
func (r *columnsReader) Err() error                     { return r.err }

func (r *columnsReader) Next() bool {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	select {
	case b, ok := <-r.in:
		if !ok {
			return false
		}
		r.cur = toRecord(b)
		return true
	case <-r.ctx.Done():
		r.err = r.ctx.Err()
		return false
	}
}

func toRecord(b *messageColumns) arrow.RecordBatch {
	n := b.len()
	cols := make([]arrow.Array, 0, len(messageColumnNames))
	for _, vals := range b.intCols() {
		data := array.NewData(arrow.PrimitiveTypes.Int64, n,
			[]*memory.Buffer{nil, memory.NewBufferBytes(arrow.Int64Traits.CastToBytes(vals))}, nil, 0, 0)
		cols = append(cols, array.NewInt64Data(data))
		data.Release()
	}
	for _, vals := range b.textCols() {
		cols = append(cols, stringArray(vals))
	}
	rec := array.NewRecordBatch(messageSchema, cols, int64(n))
	for _, c := range cols {
		c.Release()
	}
	return rec
}

// stringArray packs strings into one Arrow string array (offsets + bytes).
func stringArray(vals []string) arrow.Array {
	size := 0
	for _, v := range vals {
		size += len(v)
	}
	offsets := make([]int32, len(vals)+1)
	bytes := make([]byte, 0, size)
	for i, v := range vals {
		bytes = append(bytes, v...)
		offsets[i+1] = int32(len(bytes))
	}
	data := array.NewData(arrow.BinaryTypes.String, len(vals), []*memory.Buffer{
		nil, memory.NewBufferBytes(arrow.Int32Traits.CastToBytes(offsets)), memory.NewBufferBytes(bytes),
	}, nil, 0, 0)
	defer data.Release()
	return array.NewStringData(data)
}
