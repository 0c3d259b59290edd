package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ckpi/ckpi/queries"
)

// ckpiProcess runs ckpi as its own process (the test binary, see TestMain
// in cli_test.go) and returns what it printed.
func ckpiProcess(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "CKPI_TEST_MAIN=1")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// Read commands leave the database file as it was: they used to migrate,
// re-create the helpers and write the config on every run (this fails on
// the code before they opened the file read-only).
func TestReadCommandsDoNotWrite(t *testing.T) {
	db, config := fixtureDB(t)
	before := fileSum(t, db)
	out := t.TempDir()
	for _, args := range [][]string{
		{"metrics", "run", "growth", "--week", "2026-W47"},
		{"metrics", "validate"},
		{"report", "weekly", "--week", "2026-W47", "--out", out},
		{"risk", "report", "--week", "2026-W47"},
		{"risk", "pending"},
		{"risk", "points"},
		{"risk", "blacklist", "list"},
		{"risk", "blacklist", "hits"},
		{"export", "--parquet", filepath.Join(out, "lake")},
	} {
		if o, err := ckpi(t, append([]string{"--db", db, "--config", config}, args...)...); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, o)
		}
		if fileSum(t, db) != before {
			t.Fatalf("%v changed the database file", args)
		}
		if _, err := os.Stat(db + ".wal"); err == nil {
			t.Fatalf("%v left a write-ahead log", args)
		}
	}
}

// A read command never creates a database: a missing --db is a one-line
// error naming it (the old code created an empty database and reported on it).
func TestReadCommandMissingDatabase(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.duckdb")
	for _, args := range [][]string{
		{"metrics", "run", "growth", "--week", "2026-W47"},
		{"report", "weekly", "--out", t.TempDir()},
		{"risk", "report"},
		{"export", "--parquet", t.TempDir()},
	} {
		_, err := ckpi(t, append([]string{"--db", missing}, args...)...)
		if err == nil || !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), "no such database") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: err = %v, want one line naming %s", args, err, missing)
		}
		if _, err := os.Stat(missing); err == nil {
			t.Fatalf("%v created %s", args, missing)
		}
	}
}

// Readers run side by side, also beside another process holding the file
// read-only (a BI tool); a writer waits the stated time, says what holds
// the file, then fails with one line instead of DuckDB's "Could not set
// lock". On the old code every command opened the file for writing: the
// reader beside the held file failed at once.
func TestReadersSideBySideWriterWaits(t *testing.T) {
	db, config := fixtureDB(t)
	held, err := queries.OpenWith(context.Background(), db, queries.OpenOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	var n int
	if err := held.QueryRow(`SELECT count(*) FROM messages`).Scan(&n); err != nil || n == 0 {
		t.Fatalf("held reader: %d messages, %v", n, err)
	}
	if out, err := ckpiProcess(t, "--db", db, "--config", config, "metrics", "run", "growth", "--week", "2026-W47"); err != nil {
		t.Fatalf("a second reader: %v\n%s", err, out)
	}
	start := time.Now()
	out, err := ckpiProcess(t, "--db", db, "--config", config, "--lock-wait", "1s", "ingest", "../../testdata/qq/orders.csv")
	waited := time.Since(start)
	if err == nil {
		t.Fatalf("a writer got a database another process holds:\n%s", out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	last := lines[len(lines)-1]
	if !strings.Contains(last, db+" is in use by") || !strings.Contains(last, "PID") || strings.Contains(out, "Could not set lock") {
		t.Errorf("writer's error:\n%s\nwant one line naming the file and its holder's PID", out)
	}
	if !strings.Contains(out, "waiting up to 1s") || waited < time.Second {
		t.Errorf("the writer did not wait 1s (waited %s):\n%s", waited, out)
	}
	held.Close()
	if out, err := ckpiProcess(t, "--db", db, "--config", config, "ingest", "../../testdata/qq/orders.csv"); err != nil {
		t.Fatalf("the writer once the file is free: %v\n%s", err, out)
	}
}

// Read commands see the config in effect without writing it: a report run
// with a new staff list gives what it gives once a writer has stored it.
func TestReadCommandsSeeConfig(t *testing.T) {
	db, config := fixtureDB(t)
	run := func(cfg string) string {
		out, err := ckpi(t, "--db", db, "--config", cfg, "metrics", "run", "participation", "--week", "2026-W46", "--format", "csv")
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return out
	}
	old := run(config)
	// 1001 speaks in the fixture: as staff, they leave the members' counts.
	changed := filepath.Join(t.TempDir(), "staff.yaml")
	if err := os.WriteFile(changed, []byte("timezone: Asia/Shanghai\nstaff:\n  - {platform: qq, uid: \"10001\", role: service}\n  - {platform: qq, uid: \"1001\", role: service}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sum := fileSum(t, db)
	seen := run(changed)
	if seen == old {
		t.Fatalf("the new staff list made no difference:\n%s", seen)
	}
	if fileSum(t, db) != sum {
		t.Fatal("a read command wrote the config")
	}
	if out, err := ckpi(t, "--db", db, "--config", changed, "config", "apply"); err != nil {
		t.Fatalf("config apply: %v\n%s", err, out)
	}
	if stored := run(changed); stored != seen {
		t.Fatalf("read before the config was stored:\n%s\nafter:\n%s", seen, stored)
	}
	if bytes.Equal([]byte(run(config)), []byte(seen)) {
		t.Fatal("back on the old config, still the new staff")
	}
}
