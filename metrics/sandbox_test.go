package metrics_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ckpi/ckpi/metrics"
)

// attack is analyst SQL that must not run, and where its refusal points.
type attack struct {
	name, sql string
	line      int    // line of the metric file the error names
	want      string // part of the one-line error
}

// attacks are tried as the body of a metric file whose SQL starts on line
// 3; {tmp} is a folder the test watches for files written.
var attacks = []attack{
	{"delete", "DELETE FROM messages", 3, "not DELETE"},
	{"update", "UPDATE groups SET name = 'pwned'", 3, "not UPDATE"},
	{"insert", "INSERT INTO groups (group_id, platform, external_id, name) VALUES (99, 'qq', 'x', 'x')", 3, "not INSERT"},
	{"create", "CREATE TABLE loot AS SELECT * FROM messages", 3, "not CREATE"},
	{"drop", "DROP TABLE messages", 3, "not DROP"},
	{"copy to", "COPY (SELECT 1) TO '{tmp}/copy.csv'", 3, "not COPY"},
	{"export database", "EXPORT DATABASE '{tmp}/export'", 3, "not EXPORT"},
	{"attach", "ATTACH '{tmp}/attached.db'", 3, "not ATTACH"},
	{"install", "INSTALL httpfs", 3, "not INSTALL"},
	{"load", "LOAD httpfs", 3, "not LOAD"},
	{"set", "SET threads = 1", 3, "not SET"},
	{"set variable", "SET VARIABLE x = 1", 3, "not SET"},
	{"pragma that writes", "PRAGMA force_checkpoint", 3, "not PRAGMA"},
	{"pragma that sets", "PRAGMA threads = 1", 3, "not PRAGMA"},
	{"checkpoint", "CHECKPOINT", 3, "not CHECKPOINT"},
	{"call", "CALL enable_logging()", 3, "not CALL"},
	{"with delete", "WITH x AS (SELECT 1)\nDELETE FROM messages", 3, "not a WITH that ends in another statement"},
	{"select then delete", "SELECT 1 AS n;\n-- the ; above ends it\nDELETE FROM messages", 5, "a second statement starts here"},
	{"delete then select", "DELETE FROM messages;\nSELECT 1 AS n", 4, "a second statement starts here"},
	{"two selects", "SELECT 1 AS n; SELECT 2 AS n", 3, "a second statement starts here"},
	{"read_csv", "SELECT *\nFROM read_csv('/etc/passwd')", 4, "may not call read_csv()"},
	{"read_csv quoted upper case", `SELECT * FROM "READ_CSV"('/etc/passwd')`, 3, "may not call read_csv()"},
	{"read_csv schema-qualified", "SELECT * FROM system.main.read_csv('/etc/passwd')", 3, "may not call read_csv()"},
	{"nextval quoted upper case", `SELECT main."NEXTVAL"('x') AS n`, 3, "may not call nextval()"},
	{"read_text in a subquery", "SELECT (SELECT content FROM read_text('/etc/hostname')) AS n", 3, "may not call read_text()"},
	{"glob in a CTE", "WITH f AS (SELECT * FROM glob('/*'))\nSELECT count(*) AS n FROM f", 3, "may not call glob()"},
	{"enable_logging to a file", "SELECT * FROM enable_logging(storage = 'file', storage_path = '{tmp}/log')", 3, "may not call enable_logging()"},
	{"checkpoint()", "SELECT * FROM checkpoint()", 3, "may not call checkpoint()"},
	{"query() runs a string", "SELECT * FROM query('SELECT * FROM read_csv(''/etc/passwd'')')", 3, "may not call query()"},
	{"serialized sql", "SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT 1'))", 3, "may not call json_execute_serialized_sql()"},
	{"nextval", "SELECT nextval('x') AS n", 3, "may not call nextval()"},
	{"setseed", "SELECT setseed(0.5) AS n", 3, "may not call setseed()"},
	{"write_log", "SELECT write_log('x') AS n", 3, "may not call write_log()"},
	// Replacement scans are plain table names to the parser: the locked
	// instance refuses the file, whatever its name.
	{"file as a table", "SELECT * FROM '/etc/passwd'", 3, "/etc/passwd"},
	{"url as a table", "SELECT * FROM 'https://example.com/x.csv'", 3, "https://example.com/x.csv"},
	{"parse error", "SELECT 1 AS n\nFROM messages WHERE (", 4, "Parser Error"},
	{"empty", "-- nothing here", 3, "no SQL statement"},
}

// openModes are the ways a command opens the database: read-write (ingest,
// demo) and read-only (report, metrics run).
func openModes(t *testing.T) map[string]func() *sql.DB {
	return map[string]func() *sql.DB{
		"read-write": func() *sql.DB { return communityDB(t) },
		"read-only": func() *sql.DB {
			path := filepath.Join(t.TempDir(), "ckpi.duckdb")
			communityDBAt(t, path).Close()
			ro, err := sql.Open("duckdb", path+"?access_mode=READ_ONLY")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { ro.Close() })
			return ro
		},
	}
}

func TestAnalystSQLIsSandboxed(t *testing.T) {
	ctx := context.Background()
	week47, err := metrics.ParseWeek("2026-W47", shanghai)
	if err != nil {
		t.Fatal(err)
	}
	for mode, open := range openModes(t) {
		t.Run(mode, func(t *testing.T) {
			db := open()
			before := snapshot(t, db)
			tmp := t.TempDir()
			for _, a := range attacks {
				d := &metrics.Definition{Name: "evil", File: "metrics/evil.sql", SQL: "-- name: evil\n\n" + strings.ReplaceAll(a.sql, "{tmp}", tmp) + "\n"}
				_, err := metrics.Run(ctx, db, d, metrics.Params{Period: week47})
				if err == nil {
					t.Errorf("%s: ran", a.name)
					continue
				}
				msg := err.Error()
				t.Logf("%-28s %s", a.name, msg)
				if want := "metrics/evil.sql:" + strconv.Itoa(a.line) + ": "; !strings.HasPrefix(msg, want) || !strings.Contains(msg, a.want) || strings.Contains(msg, "\n") {
					t.Errorf("%s: err = %q, want one line starting %q containing %q", a.name, msg, want, a.want)
				}
			}
			if after := snapshot(t, db); after != before {
				t.Errorf("the database changed: before %s, after %s", before, after)
			}
			if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
				t.Errorf("files written: %v", entries)
			}
			// The instance still works: no attack broke it for the next query.
			if r := run(t, db, "growth", "2026-W47"); fmt.Sprint(r["members_end"]) != "7" {
				t.Errorf("growth after the attacks = %v", r)
			}
		})
	}
}

// snapshot sums up what an attack could change.
func snapshot(t *testing.T, db *sql.DB) string {
	t.Helper()
	var s string
	err := db.QueryRow(`SELECT (SELECT count(*) FROM messages)::VARCHAR || '/' ||
		(SELECT coalesce(string_agg(name, ',' ORDER BY group_id), '') FROM groups) || '/' ||
		(SELECT count(*) FROM duckdb_tables())::VARCHAR || '/' ||
		(SELECT count(*) FROM duckdb_databases())::VARCHAR || '/' ||
		current_setting('threads')::VARCHAR || '/' || current_setting('enable_logging')::VARCHAR`).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
