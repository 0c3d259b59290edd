package metrics_test

import (
	"context"
	"database/sql"
	"os"
	"testing"

	"github.com/ckpi/ckpi/metrics"
	"github.com/ckpi/ckpi/queries"
)

// BenchmarkCatalogWeek runs every built-in metric for one week. It uses the
// QQ fixture database, or the database named by CKPI_BENCH_DB (e.g. the
// 10M-message one `make bench` builds; it is migrated in place).
func BenchmarkCatalogWeek(b *testing.B) {
	ctx := context.Background()
	db := benchDB(b)
	cat, err := metrics.LoadCatalog("")
	if err != nil {
		b.Fatal(err)
	}
	week, _ := metrics.ParseWeek("2026-W47", shanghai)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := metrics.RunAll(ctx, db, cat.All(), metrics.Params{Period: week}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(cat.All())), "metrics")
}

func benchDB(b *testing.B) *sql.DB {
	path := os.Getenv("CKPI_BENCH_DB")
	if path == "" {
		return communityDB(b)
	}
	db, err := queries.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// BenchmarkRunSmallest is the cost of Run around the smallest metric: the
// sandbox's checks, the read-only transaction and the connection of its own.
func BenchmarkRunSmallest(b *testing.B) {
	ctx := context.Background()
	db := benchDB(b)
	d := &metrics.Definition{Name: "one", File: "metrics/one.sql", SQL: "SELECT 1 AS n"}
	week, _ := metrics.ParseWeek("2026-W47", shanghai)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := metrics.Run(ctx, db, d, metrics.Params{Period: week}); err != nil {
			b.Fatal(err)
		}
	}
}
