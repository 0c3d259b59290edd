// The Parquet reader of the mapped formats: record batch by record batch
// through arrow-go's pqarrow, never the whole file.
package format

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// mappedParquetBatch is how many rows one record batch holds: memory stays
// flat whatever the file's size.
const mappedParquetBatch = 64 << 10

// parseMappedParquet streams the mapped columns of a Parquet file, record
// batch by record batch. Parquet needs random access (its index is at the
// end), so the file is opened by path; Input.R is not read.
func parseMappedParquet(ctx context.Context, b *mappedBuilder, in Input) error {
	fail := func(line int64, format string, args ...any) error {
		return &ParseError{Format: b.format, Path: in.Path, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	f, err := os.Open(in.Path)
	if err != nil {
		return fail(1, "%v", err)
	}
	defer f.Close()
	props := parquet.NewReaderProperties(memory.DefaultAllocator)
	props.BufferedStreamEnabled = true // read pages as needed, not whole column chunks
	props.BufferSize = 1 << 20
	pf, err := file.NewParquetReader(f, file.WithReadProps(props))
	if err != nil {
		return fail(1, "not a readable Parquet file: %v", err)
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: mappedParquetBatch}, memory.DefaultAllocator)
	if err != nil {
		return fail(1, "not a readable Parquet file: %v", err)
	}
	schema := pf.MetaData().Schema
	var have []string
	for i := 0; i < schema.Root().NumFields(); i++ {
		have = append(have, schema.Root().Field(i).Name())
	}
	// The leaf columns to read, and the fields each fills.
	var leaves []int
	fields := map[string][]int{}
	for fld, name := range b.cols {
		if name == "" {
			continue
		}
		idx := schema.ColumnIndexByName(name)
		if idx < 0 {
			// A list column's leaf is name.list.element: find it by its root field.
			for i := 0; i < schema.NumColumns(); i++ {
				if schema.Column(i).ColumnPath()[0] == name {
					idx = i
					break
				}
			}
		}
		if idx < 0 {
			return b.missingColumn(in, fld, have)
		}
		if len(fields[name]) == 0 {
			leaves = append(leaves, idx)
		}
		fields[name] = append(fields[name], fld)
	}
	rr, err := fr.GetRecordReader(ctx, leaves, nil)
	if err != nil {
		return fail(1, "reading Parquet: %v", err)
	}
	defer rr.Release()

	var r mappedRow
	var k mappedKeeper
	var row int64
	for rr.Next() {
		rec := rr.RecordBatch()
		cols := make([][]int, rec.NumCols()) // record column -> fields
		for c := range cols {
			cols[c] = fields[rec.Schema().Field(c).Name]
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			row++
			if err := b.tick(ctx); err != nil {
				return err
			}
			r.reset(row)
			k.reset()
			reason := ""
			for c, flds := range cols {
				for _, fld := range flds {
					if reason == "" {
						reason = mappedParquetValue(b, &k, rec.Column(c), i, fld, &r)
					}
				}
			}
			k.finish(&r)
			if reason == "" {
				if reason, err = b.row(&r); err != nil {
					return err
				}
			}
			if reason != "" {
				b.sink.Reject(row, reason, mappedParquetRaw(rec, i)) //nolint:errcheck // the loader's sink does not fail on rejects
			}
		}
	}
	if err := rr.Err(); err != nil {
		return fail(row+1, "reading Parquet: %v", err)
	}
	return nil
}

// mappedParquetValue sets field fld of r from row i of a column.
func mappedParquetValue(b *mappedBuilder, k *mappedKeeper, col arrow.Array, i, fld int, r *mappedRow) string {
	if col.IsNull(i) {
		return ""
	}
	switch a := col.(type) {
	// Value aliases the batch's buffers, valid only until the next batch:
	// values are copied (or shared through intern) before they are kept.
	case *array.String:
		k.keep(b, fld, a.Value(i), r)
	case *array.LargeString:
		k.keep(b, fld, a.Value(i), r)
	case *array.Binary:
		v := a.Value(i)
		if !utf8.Valid(v) {
			return fmt.Sprintf("column %s is not UTF-8 text", b.cols[fld])
		}
		r.vals[fld] = b.intern(fld, v)
	case *array.Int64:
		r.vals[fld] = strconv.FormatInt(a.Value(i), 10)
	case *array.Int32:
		r.vals[fld] = strconv.FormatInt(int64(a.Value(i)), 10)
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		t := a.Value(i).ToTime(unit)
		if a.DataType().(*arrow.TimestampType).TimeZone == "" {
			// A wall-clock time (not adjusted to UTC): read it in --tz.
			t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), b.tz)
		}
		if fld == mfTime {
			r.time, r.hasTime = t, true
		} else {
			r.vals[fld] = t.Format(time.RFC3339Nano)
		}
	case *array.Date32:
		t := a.Value(i).ToTime()
		t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, b.tz)
		if fld == mfTime {
			r.time, r.hasTime = t, true
		} else {
			r.vals[fld] = t.Format("2006-01-02")
		}
	case *array.List:
		if fld != mfMentions {
			r.vals[fld] = a.ValueStr(i)
			break
		}
		r.hasList = true
		start, end := a.ValueOffsets(i)
		if s, ok := a.ListValues().(*array.String); ok {
			for j := start; j < end; j++ {
				if s.IsValid(int(j)) {
					r.mentions = append(r.mentions, strings.Clone(s.Value(int(j))))
				}
			}
		}
	default:
		r.vals[fld] = col.ValueStr(i)
	}
	return ""
}

// mappedKeeper copies the strings of a row that alias a batch (valid only
// until the next one) into one allocation per row; the values that repeat
// (groups, people, kinds) are shared through the builder's intern table.
type mappedKeeper struct {
	buf   []byte
	spans []mappedSpan
}

type mappedSpan struct{ field, lo, hi int }

func (k *mappedKeeper) reset() { k.buf, k.spans = k.buf[:0], k.spans[:0] }

func (k *mappedKeeper) keep(b *mappedBuilder, fld int, v string, r *mappedRow) {
	switch fld {
	case mfGroup, mfGroupID, mfSenderID, mfSenderName, mfKind, mfEvent, mfInviter:
		if s, ok := b.strs[v]; ok {
			r.vals[fld] = s
			return
		}
		s := strings.Clone(v)
		if len(b.strs) < mappedInternMax {
			b.strs[s] = s
		}
		r.vals[fld] = s
		return
	}
	lo := len(k.buf)
	k.buf = append(k.buf, v...)
	k.spans = append(k.spans, mappedSpan{fld, lo, len(k.buf)})
}

func (k *mappedKeeper) finish(r *mappedRow) {
	if len(k.spans) == 0 {
		return
	}
	s := string(k.buf)
	for _, sp := range k.spans {
		r.vals[sp.field] = s[sp.lo:sp.hi]
	}
}

// mappedParquetRaw renders a rejected row as name=value pairs.
func mappedParquetRaw(rec arrow.RecordBatch, i int) string {
	var out []byte
	for c := 0; c < int(rec.NumCols()); c++ {
		if c > 0 {
			out = append(out, ", "...)
		}
		out = append(out, rec.Schema().Field(c).Name...)
		out = append(out, '=')
		out = append(out, rec.Column(c).ValueStr(i)...)
	}
	return mappedRaw(out)
}
