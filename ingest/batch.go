package ingest

import (
	"database/sql/driver"
	"encoding/binary"
	"fmt"
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

// packedBatch is a batch waiting for the message stream to let go of the
// connection, its values written into one byte slice: a big chat export
// keeps hundreds of thousands of membership events waiting, which as boxed
// values would be millions of pointers for every garbage collection to trace.
type packedBatch struct {
	table string
	width int
	data  []byte
}

// Value tags of a packed batch.
const (
	packedNil byte = iota
	packedInt
	packedString
	packedTime
)

func (b *batch) pack() *packedBatch {
	p := &packedBatch{table: b.table, width: b.width}
	for _, v := range b.vals {
		switch v := v.(type) {
		case nil:
			p.data = append(p.data, packedNil)
		case int64:
			p.data = binary.AppendVarint(append(p.data, packedInt), v)
		case string:
			p.data = binary.AppendUvarint(append(p.data, packedString), uint64(len(v)))
			p.data = append(p.data, v...)
		case time.Time:
			p.data = binary.AppendVarint(append(p.data, packedTime), v.Unix())
			p.data = binary.AppendUvarint(p.data, uint64(v.Nanosecond()))
		default:
			panic(fmt.Sprintf("ingest: cannot pack a %T of %s", v, b.table))
		}
	}
	return p
}

func (p *packedBatch) unpack() *batch {
	b := &batch{table: p.table, width: p.width}
	for data := p.data; len(data) > 0; {
		tag := data[0]
		data = data[1:]
		switch tag {
		case packedNil:
			b.vals = append(b.vals, nil)
		case packedInt:
			v, n := binary.Varint(data)
			b.vals, data = append(b.vals, v), data[n:]
		case packedString:
			size, n := binary.Uvarint(data)
			b.vals, data = append(b.vals, string(data[n:n+int(size)])), data[n+int(size):]
		case packedTime:
			sec, n := binary.Varint(data)
			nsec, m := binary.Uvarint(data[n:])
			b.vals, data = append(b.vals, time.Unix(sec, int64(nsec)).UTC()), data[n+m:]
		}
	}
	return b
}
