package queries_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/ckpi/ckpi/ingest"
	"github.com/ckpi/ckpi/metrics"
	"github.com/ckpi/ckpi/queries"
)

// Every metric gives the same rows from a Parquet lake as from the
// database file it was exported from.
func TestLakeRoundTrip(t *testing.T) {
	ctx := context.Background()
	sh, _ := time.LoadLocation("Asia/Shanghai")
	db, err := queries.Open(ctx, filepath.Join(t.TempDir(), "ckpi.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, f := range []string{"qq/community.txt", "qq/members.csv", "qq/orders.csv", "activities/checkins.txt", "activities/schedule.csv"} {
		r := ingest.LoadFile(ctx, db, "../testdata/"+f, ingest.Options{TZ: sh, MaxRejects: 1})
		if r.Err != nil {
			t.Fatalf("%s: %v", f, r.Err)
		}
	}
	if err := ingest.SetStaff(ctx, db, []ingest.Staff{{Platform: "qq", UID: "10001", Role: "service"}}); err != nil {
		t.Fatal(err)
	}
	lakeDir := filepath.Join(t.TempDir(), "lake")
	tables, err := queries.ExportParquet(ctx, db, lakeDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) < 10 {
		t.Fatalf("exported %v", tables)
	}
	// The big tables are hive-partitioned by platform, group and month.
	parts, _ := filepath.Glob(filepath.Join(lakeDir, "messages", "platform=qq", "group_id=*", "month=2026-11", "*.parquet"))
	if len(parts) != 1 {
		t.Fatalf("message partitions for November: %v", parts)
	}
	lake, err := queries.OpenLake(ctx, lakeDir)
	if err != nil {
		t.Fatal(err)
	}
	defer lake.Close()

	cat, err := metrics.LoadCatalog("")
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, def := range cat.All() {
		for _, week := range []string{"2026-W46", "2026-W47"} {
			p, _ := metrics.ParseWeek(week, sh)
			fromDB, err := metrics.Run(ctx, db, def, metrics.Params{Period: p})
			if err != nil {
				t.Fatalf("%s on the database: %v", def.Name, err)
			}
			fromLake, err := metrics.Run(ctx, lake, def, metrics.Params{Period: p})
			if err != nil {
				t.Fatalf("%s on the lake: %v", def.Name, err)
			}
			if !sameRows(fromDB.Rows, fromLake.Rows) {
				t.Errorf("%s %s differs:\ndatabase %v\nlake     %v", def.Name, week, fromDB.Rows, fromLake.Rows)
			}
			ran++
		}
	}
	if ran < 6 {
		t.Fatalf("only %d metric runs", ran)
	}
}

func TestOpenLakeRefusesMissingFolder(t *testing.T) {
	if _, err := queries.OpenLake(context.Background(), filepath.Join(t.TempDir(), "none")); err == nil {
		t.Fatal("a missing lake opened")
	}
	empty := t.TempDir()
	os.MkdirAll(filepath.Join(empty, "x"), 0o755)
	if _, err := queries.OpenLake(context.Background(), empty); err == nil {
		t.Fatal("a folder without the tables opened")
	}
}

func sameRows(a, b [][]any) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			x, y := a[i][j], b[i][j]
			if fx, ok := x.(float64); ok {
				fy, ok := y.(float64)
				if !ok || math.Abs(fx-fy) > 1e-9*math.Max(1, math.Abs(fx)) {
					return false
				}
				continue
			}
			if !reflect.DeepEqual(x, y) && fmt.Sprint(x) != fmt.Sprint(y) {
				return false
			}
		}
	}
	return true
}
