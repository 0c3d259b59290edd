package reports

import (
	"bytes"
	"fmt"
	"io"
	"testing"
	"time"
)

// benchGroups is the size of the benchmark report: a large operations team.
const benchGroups = 1000

// Limits of the issue: the report of 1,000 groups renders in under 3
// seconds and its page stays under 5 MB.
const (
	maxRender   = 3 * time.Second
	maxHTMLSize = 5 << 20
)

// largeWeekly is a report of n groups with everything a built one has at
// that size: 15 cards, the trends, the three heatmaps, the ranking and seven
// detail tables of n+1 rows each.
func largeWeekly(n int) *Weekly {
	r := sampleWeeklyN(n)
	base := familyTable(n)
	r.Tables = r.Tables[:1]
	for i, title := range []string{"Growth", "Participation & engagement", "Activities", "Retention", "Conversion & repurchase", "Responsiveness & onboarding", "Health"} {
		t := base
		t.Key, t.Title = fmt.Sprintf("family%d", i), title
		r.Tables = append(r.Tables, t)
	}
	return r
}

// TestLargeReportLimits renders the 1,000-group report once each way and
// holds it to the limits (the benchmarks below give the figures).
func TestLargeReportLimits(t *testing.T) {
	r := largeWeekly(benchGroups)
	start := time.Now()
	var page bytes.Buffer
	if err := RenderHTML(&page, r); err != nil {
		t.Fatal(err)
	}
	htmlTime := time.Since(start)
	start = time.Now()
	var book bytes.Buffer
	if err := RenderXLSX(&book, r); err != nil {
		t.Fatal(err)
	}
	xlsxTime := time.Since(start)
	t.Logf("1,000 groups: HTML %d bytes in %s, XLSX %d bytes in %s", page.Len(), htmlTime, book.Len(), xlsxTime)
	if page.Len() > maxHTMLSize {
		t.Errorf("HTML is %d bytes, over %d", page.Len(), maxHTMLSize)
	}
	if htmlTime > maxRender || xlsxTime > maxRender {
		t.Errorf("rendering took %s (HTML) and %s (XLSX), over %s", htmlTime, xlsxTime, maxRender)
	}
}

func BenchmarkRenderHTML(b *testing.B) {
	r := largeWeekly(benchGroups)
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
	r := largeWeekly(benchGroups)
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
