package ingest_test

import (
	"context"
	"os"
	"runtime"
	"testing"

	"github.com/ckpi/ckpi/ingest/format"

	"github.com/ckpi/ckpi/ingest"
)

const benchMessages = 500000

// discard is a Sink that counts and keeps nothing: the parser alone.
type discard struct {
	format.Discard
	n int64
}

func (d *discard) Message(*format.Message) error      { d.n++; return nil }
func (d *discard) Event(*format.Event) error          { d.n++; return nil }
func (d *discard) Member(*format.Member) error        { return nil }
func (d *discard) Order(*format.Order) error          { return nil }
func (d *discard) Activity(*format.Activity) error    { return nil }
func (d *discard) Reject(int64, string, string) error { return nil }

func BenchmarkQQParse(b *testing.B) {
	path := writeQQ(b, benchMessages, -1)
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		var d discard
		if err := (format.QQText{}).Parse(context.Background(), format.Input{Path: path, R: f, TZ: shanghai}, &d); err != nil {
			b.Fatal(err)
		}
		f.Close()
		if d.n != benchMessages {
			b.Fatalf("parsed %d", d.n)
		}
	}
	b.ReportMetric(float64(benchMessages*b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkLoadQQ is the whole path: detect, decode, parse, stage, merge
// and commit into a fresh database file.
func BenchmarkLoadQQ(b *testing.B) {
	path := writeQQ(b, benchMessages, -1)
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	var peak uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := openDB(b)
		b.StartTimer()
		r := ingest.LoadFile(context.Background(), db, path, ingest.Options{TZ: shanghai})
		if r.Err != nil || r.Rows != benchMessages {
			b.Fatalf("%+v", r)
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse) // after the load: what it left behind
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(benchMessages*b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(peak)/(1<<20), "go-heap-inuse-MB")
}
