package metrics

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ckpi/ckpi/queries"
)

// Each layer of the sandbox holds on its own: these run what the gate
// would refuse straight on the locked instance and in the read-only
// transaction.

func TestLockdownRefusesFilesNetworkExtensionsAndSettings(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	lake := filepath.Join(dir, "lake")
	if err := os.MkdirAll(lake, 0o755); err != nil {
		t.Fatal(err)
	}
	db, err := queries.Open(ctx, filepath.Join(dir, "ckpi.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("COPY (SELECT 42 AS x) TO '" + filepath.Join(lake, "x.parquet") + "'"); err != nil {
		t.Fatal(err)
	}
	// As queries.OpenLake does for its views.
	if _, err := db.Exec("SET GLOBAL allowed_directories = ['" + lake + "/']"); err != nil {
		t.Fatal(err)
	}
	if err := Lockdown(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := Lockdown(ctx, db); err != nil {
		t.Fatalf("a second lockdown: %v", err)
	}
	refused := map[string]string{
		"COPY (SELECT 1) TO '" + filepath.Join(dir, "out.csv") + "'": "disabled by configuration",
		"ATTACH '" + filepath.Join(dir, "other.db") + "'":            "disabled by configuration",
		"SELECT * FROM read_csv('/etc/passwd')":                      "disabled by configuration",
		"SELECT * FROM read_parquet('" + lake + "2/x.parquet')":      "disabled by configuration",
		"INSTALL httpfs":  "disabled by configuration",
		"LOAD httpfs":     "disabled through configuration",
		"SET threads = 1": "configuration has been locked",
		"SET GLOBAL enable_external_access = true": "configuration has been locked",
		"RESET lock_configuration":                 "configuration has been locked",
		"PRAGMA threads = 1":                       "configuration has been locked",
	}
	for stmt, want := range refused {
		if _, err := db.Exec(stmt); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", stmt, err, want)
		}
	}
	var x int
	if err := db.QueryRow("SELECT x FROM read_parquet('" + filepath.Join(lake, "*.parquet") + "')").Scan(&x); err != nil || x != 42 {
		t.Errorf("the allowed lake: %d, %v", x, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 3 { // ckpi.duckdb, its .wal, lake
		t.Errorf("files: %v", entries)
	}
}

func TestLockdownRefusesALockWithExternalAccess(t *testing.T) {
	ctx := context.Background()
	db, err := queries.Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("SET lock_configuration = true"); err != nil {
		t.Fatal(err)
	}
	d := &Definition{File: "metrics/n.sql", SQL: "SELECT 1 AS n"}
	if _, err := Run(ctx, db, d, Params{}); err == nil || !strings.Contains(err.Error(), "external access on") {
		t.Fatalf("err = %v", err)
	}
}

// DuckDB lets checkpoint() run in a read-only transaction: the gate refuses
// it (TestAnalystSQLIsSandboxed).
func TestReadOnlyTransactionRefusesWritesAndEnds(t *testing.T) {
	ctx := context.Background()
	db, err := queries.Open(ctx, filepath.Join(t.TempDir(), "ckpi.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // the connection the transaction used is the next one's
	if _, err := db.Exec("CREATE SEQUENCE s; CREATE TABLE t (x INT); INSERT INTO t VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{"DELETE FROM t", "UPDATE t SET x = 2", "INSERT INTO t VALUES (3)", "SELECT nextval('s')", "CREATE TABLE u (x INT)"} {
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		err = readOnly(ctx, conn, func() error {
			_, err := conn.ExecContext(ctx, stmt)
			return err
		})
		conn.Close()
		if err == nil || !strings.Contains(err.Error(), "read-only mode") {
			t.Errorf("%s: err = %v", stmt, err)
		}
	}
	// The transaction ended: the same connection writes again.
	if _, err := db.Exec("INSERT INTO t VALUES (4)"); err != nil {
		t.Fatalf("after the read-only transaction: %v", err)
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM t").Scan(&n); err != nil || n != 2 {
		t.Fatalf("rows = %d, %v", n, err)
	}
}

func TestStatementStarts(t *testing.T) {
	cases := map[string][]int{
		"SELECT 1":                        {0},
		"-- a; b\nSELECT ';' AS x; ":      {8},
		"SELECT 1; /* ; */ SELECT 2":      {0, 18},
		"SELECT $$a;b$$, $start;\nDELETE": {0, 24},
		`SELECT "a;b" FROM t;;`:           {0},
		"":                                nil,
	}
	for src, want := range cases {
		if got := statementStarts(src); !slices.Equal(got, want) {
			t.Errorf("%q: %v, want %v", src, got, want)
		}
	}
}
