package risk_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ckpi/ckpi/ingest"
	"github.com/ckpi/ckpi/ingest/synth"
	"github.com/ckpi/ckpi/metrics/risk"
	"github.com/ckpi/ckpi/queries"
)

// BenchmarkScan scans a generated community of 200,000 messages (100
// groups, 12 weeks, with the generator's ad accounts and their removals)
// with the default rules. Every iteration is a full rescan: all detectors,
// the merge, the blacklist and the points ledger.
//
// Set CKPI_RISK_BENCH_DB to the path of a database ingested earlier (e.g.
// the 10M-message community of `ckpi generate --messages 10000000`) to
// measure on it instead; it is scanned in place.
func BenchmarkScan(b *testing.B) {
	ctx := context.Background()
	path := os.Getenv("CKPI_RISK_BENCH_DB")
	if path == "" {
		path = benchCommunity(b, ctx, 200_000)
	}
	db, err := queries.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var msgs int64
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM messages`).Scan(&msgs); err != nil {
		b.Fatal(err)
	}
	rules := risk.Default()
	var res *risk.ScanResult
	b.ResetTimer()
	for b.Loop() {
		if res, err = risk.Scan(ctx, db, rules, risk.ScanOptions{TZ: shanghai}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(msgs)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(res.Violations), "violations")
	for _, s := range res.Steps {
		b.ReportMetric(s.Took.Seconds(), s.Name+"-s")
	}
}

// benchCommunity generates and ingests a community of about n messages
// with its staff, and returns the database file.
func benchCommunity(b *testing.B, ctx context.Context, n int64) string {
	b.Helper()
	dir := b.TempDir()
	end := time.Date(2026, 11, 23, 0, 0, 0, 0, shanghai)
	sum, err := synth.Generate(ctx, dir, synth.Config{Groups: 100, Weeks: 12, Messages: n, Seed: 1, End: end, TZ: shanghai})
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(dir, "ckpi.duckdb")
	db, err := queries.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for _, f := range sum.Files {
		if res := ingest.LoadFile(ctx, db, f, ingest.Options{TZ: shanghai}); res.Err != nil {
			b.Fatal(res.Err)
		}
	}
	var staff []ingest.Staff
	for _, uid := range sum.Staff {
		staff = append(staff, ingest.Staff{Platform: "qq", UID: uid, Role: "service"})
	}
	if err := ingest.SetStaff(ctx, db, staff); err != nil {
		b.Fatal(err)
	}
	return path
}
