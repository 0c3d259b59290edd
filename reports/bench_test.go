package reports

import (
	"bytes"
	"io"
	"testing"
)

// benchGroups is the size of the benchmark report: a large operations team.
const benchGroups = 1000

func BenchmarkRenderHTML(b *testing.B) {
	r := sampleWeeklyN(benchGroups)
	var buf bytes.Buffer
	if err := RenderHTML(&buf, r); err != nil {
		b.Fatal(err)
	}
	size := buf.Len()
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		buf.Reset()
		if err := RenderHTML(&buf, r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(size), "html-bytes")
	b.ReportMetric(float64(size-len(echartsJS)), "page-bytes")
}

func BenchmarkRenderXLSX(b *testing.B) {
	r := sampleWeeklyN(benchGroups)
	var buf bytes.Buffer
	if err := RenderXLSX(&buf, r); err != nil {
		b.Fatal(err)
	}
	size := buf.Len()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := RenderXLSX(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(size), "xlsx-bytes")
	b.ReportMetric(float64(benchGroups)*float64(b.N)/b.Elapsed().Seconds(), "groups/s")
}
