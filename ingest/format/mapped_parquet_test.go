package format

import (
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// writeParquetFromCSV writes the rows of a CSV as Parquet with pqarrow, in
// row groups of groupRows: every column as text, or with timeCol as a
// timestamp (UTC instants of the CSV's local times in loc; unreadable ones
// null).
func writeParquetFromCSV(t testing.TB, csvPath, dst, timeCol string, loc *time.Location, groupRows int64) {
	t.Helper()
	f, err := os.Open(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header, rows := recs[0], recs[1:]
	fields := make([]arrow.Field, len(header))
	for i, h := range header {
		fields[i] = arrow.Field{Name: h, Type: arrow.BinaryTypes.String, Nullable: true}
		if h == timeCol {
			fields[i].Type = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
		}
	}
	schema := arrow.NewSchema(fields, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for _, row := range rows {
		for i, v := range row {
			switch fb := b.Field(i).(type) {
			case *array.StringBuilder:
				fb.Append(v)
			case *array.TimestampBuilder:
				if ts, err := time.ParseInLocation("2006-01-02 15:04:05", v, loc); err == nil {
					fb.Append(arrow.Timestamp(ts.UnixMicro()))
				} else {
					fb.AppendNull()
				}
			}
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	w, err := pqarrow.NewFileWriter(schema, out,
		parquet.NewWriterProperties(parquet.WithMaxRowGroupLength(groupRows), parquet.WithCompression(compress.Codecs.Snappy)),
		pqarrow.DefaultWriterProps())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestMappedParquetFixture(t *testing.T) {
	sh := slackLoc(t, "Asia/Shanghai")
	m := mustMapping(t, filepath.Join(mappedDir, "chat.csv.yaml"))
	dir := t.TempDir()

	// Every column as text, in row groups of 4 rows: read like the CSV.
	text := filepath.Join(dir, "chat.parquet")
	writeParquetFromCSV(t, filepath.Join(mappedDir, "chat.csv"), text, "", sh, 4)
	rec, err := parseMapped(t, Mapped{Kind: "parquet", Map: m}, text, sh)
	if err != nil {
		t.Fatal(err)
	}
	checkMappedCSV(t, rec, sh, true)

	// A typed time column: instants used as they are, whatever --tz says.
	typed := filepath.Join(dir, "typed.parquet")
	writeParquetFromCSV(t, filepath.Join(mappedDir, "chat.csv"), typed, "sent_at", sh, 1000)
	rec, err = parseMapped(t, Mapped{Kind: "parquet", Map: m}, typed, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	s := mappedSummarize(rec)
	if len(rec.messages) != 11 || len(rec.events) != 5 || len(rec.rejects) != 1 || !strings.Contains(rec.rejects[0].Reason, "time: empty") ||
		!strings.Contains(rec.rejects[0].Raw, "sent_at=(null)") {
		t.Fatalf("typed: %d messages %d events rejects %+v", len(rec.messages), len(rec.events), rec.rejects)
	}
	if m := s.byID["m0001"]; !m.Time.Equal(time.Date(2026, 11, 16, 9, 0, 0, 0, sh)) || m.Line != 1 {
		t.Errorf("typed first = %+v", m)
	}
}

func TestMappedParquetErrors(t *testing.T) {
	m := mustMapping(t, filepath.Join(mappedDir, "chat.csv.yaml"))
	dir := t.TempDir()
	notParquet := filepath.Join(mappedDir, "chat.csv")
	_, err := parseMapped(t, Mapped{Kind: "parquet", Map: m}, notParquet, time.UTC)
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 1 || !strings.Contains(pe.Msg, "not a readable Parquet file") || pe.Path != notParquet {
		t.Errorf("csv as parquet: %v", err)
	}
	// A file without the group_id column.
	csvPath := mappedWriteFile(t, dir, "short.csv", "conversation,sent_at,user_id,user_name,type,content\nG,2026-11-16 09:00:00,u,U,text,hi\n")
	pq := filepath.Join(dir, "short.parquet")
	writeParquetFromCSV(t, csvPath, pq, "", time.UTC, 10)
	_, err = parseMapped(t, Mapped{Kind: "parquet", Map: m}, pq, time.UTC)
	if !errors.As(err, &pe) || pe.Line != 1 || !strings.Contains(pe.Msg, `no column "conversation_id", which ../../testdata/mapped/chat.csv.yaml:5 maps to group_id; the file has: conversation, sent_at,`) {
		t.Errorf("missing column: %v", err)
	}
}

func BenchmarkMappedParquetParse(b *testing.B) {
	const n = 200000
	csvPath, _ := writeMappedBench(b, n)
	pq := filepath.Join(b.TempDir(), "chat.parquet")
	writeParquetFromCSV(b, csvPath, pq, "", time.UTC, 64<<10)
	benchMapped(b, Mapped{Kind: "parquet", Map: mustMapping(b, filepath.Join(mappedDir, "chat.csv.yaml"))}, pq, n)
}
