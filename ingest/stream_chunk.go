//go:build !duckdb_arrow

package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// LoadPath names how messages reach DuckDB in this build.
const LoadPath = "chunk table function"

var streamSeq atomic.Int64

// streamMessages inserts the batches arriving on in through a parallel
// table function: DuckDB pulls chunks on its own threads while the parser
// fills the channel, and no row is boxed on the way.
func streamMessages(ctx context.Context, conn *sql.Conn, in <-chan *messageColumns, timeOrder bool) error {
	src := &chunkSource{ctx: ctx, in: in}
	// A function registered again under the same name silently keeps the
	// old one, so every stream gets its own.
	name := fmt.Sprintf("ckpi_messages_%d", streamSeq.Add(1))
	err := duckdb.RegisterTableUDF(conn, name, duckdb.ParallelChunkTableFunction{
		BindArguments: func(map[string]any, ...any) (duckdb.ParallelChunkTableSource, error) { return src, nil },
	})
	if err != nil {
		return err
	}
	return withUnorderedInserts(ctx, conn, func() error {
		_, err := conn.ExecContext(ctx, insertMessages(name+"()", timeOrder))
		return err
	})
}

// withUnorderedInserts lets DuckDB use both cores for an insert; the
// setting is database-wide, so it is put back afterwards.
func withUnorderedInserts(ctx context.Context, conn *sql.Conn, f func() error) error {
	if _, err := conn.ExecContext(ctx, "SET preserve_insertion_order = false"); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), "RESET preserve_insertion_order") //nolint:errcheck // best effort
	return f()
}

// chunkSource hands out slices of the current batch to DuckDB's threads.
type chunkSource struct {
	ctx context.Context
	in  <-chan *messageColumns

	mu  sync.Mutex
	cur *messageColumns
	pos int
}

var (
	bigintInfo, _  = duckdb.NewTypeInfo(duckdb.TYPE_BIGINT)
	varcharInfo, _ = duckdb.NewTypeInfo(duckdb.TYPE_VARCHAR)
)

func (s *chunkSource) ColumnInfos() []duckdb.ColumnInfo {
	cols := make([]duckdb.ColumnInfo, len(messageColumnNames))
	for i, n := range messageColumnNames {
		t := bigintInfo
		if i >= intColumns {
			t = varcharInfo
		}
		cols[i] = duckdb.ColumnInfo{Name: n, T: t}
	}
	return cols
}

func (s *chunkSource) Cardinality() *duckdb.CardinalityInfo { return nil }

func (s *chunkSource) Init() duckdb.ParallelTableSourceInfo {
	return duckdb.ParallelTableSourceInfo{MaxThreads: 2}
}

func (s *chunkSource) NewLocalState() any { return &struct{}{} }

// next claims up to n rows: a batch and the row range within it.
func (s *chunkSource) next(n int) (*messageColumns, int, int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.cur == nil || s.pos >= s.cur.len() {
		select {
		case b, ok := <-s.in:
			if !ok {
				return nil, 0, 0, nil
			}
			s.cur, s.pos = b, 0
		case <-s.ctx.Done():
			return nil, 0, 0, s.ctx.Err()
		}
	}
	from := s.pos
	to := min(from+n, s.cur.len())
	s.pos = to
	return s.cur, from, to, nil
}

func (s *chunkSource) FillChunk(_ any, chunk duckdb.DataChunk) error {
	b, from, to, err := s.next(duckdb.GetDataChunkCapacity())
	if err != nil || b == nil {
		chunk.SetSize(0) //nolint:errcheck // ending the scan
		return err
	}
	n := to - from
	// Writers check rows against the chunk's size, so set it first.
	if err := chunk.SetSize(n); err != nil {
		return err
	}
	ints := b.intCols()
	for col, vals := range ints {
		for i := 0; i < n; i++ {
			if err := duckdb.SetChunkValue(chunk, col, i, vals[from+i]); err != nil {
				return err
			}
		}
	}
	for j, vals := range b.textCols() {
		vec, err := chunk.GetVector(len(ints) + j)
		if err != nil && strings.Contains(err.Error(), "not projected") {
			continue // the statement does not read this column
		}
		if err != nil {
			return err
		}
		w, err := duckdb.GetVectorWriter[string](vec)
		if err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			if err := w.Set(i, vals[from+i]); err != nil {
				return err
			}
		}
	}
	return nil
}
