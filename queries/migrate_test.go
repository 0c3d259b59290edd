package queries_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ckpi/ckpi/queries"
)

func TestMigrateCreatesReopensAndRefusesNewer(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ckpi.duckdb")
	db, err := queries.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var version int
	if err := db.QueryRow(`SELECT max(version) FROM schema_migrations`).Scan(&version); err != nil {
		t.Fatal(err)
	}
	if version != queries.SchemaVersion() || version < 1 {
		t.Fatalf("version = %d, want %d", version, queries.SchemaVersion())
	}
	for _, table := range []string{"groups", "members", "member_names", "membership_events", "messages", "orders", "activities", "staff", "ingest_log", "rejects"} {
		if _, err := db.Exec("SELECT * FROM " + table + " LIMIT 0"); err != nil {
			t.Errorf("table %s: %v", table, err)
		}
	}
	db.Close()

	// Reopening applies nothing twice.
	db, err = queries.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	db.QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&n)
	if n != len(mustMigrations(t)) {
		t.Fatalf("migrations recorded = %d", n)
	}
	// A file written by a newer ckpi is refused, not guessed at.
	if _, err := db.Exec(`INSERT INTO schema_migrations VALUES (9999, '9999_future.sql', now()::TIMESTAMP)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := queries.Open(ctx, path); err == nil || !strings.Contains(err.Error(), "newer than this ckpi understands") {
		t.Fatalf("err = %v", err)
	}
}

func TestMigrationsAreNumberedInOrder(t *testing.T) {
	ms := mustMigrations(t)
	for i, m := range ms {
		if m.Version != i+1 {
			t.Errorf("%s: version %d, want %d (no gaps)", m.Name, m.Version, i+1)
		}
	}
}

func mustMigrations(t *testing.T) []queries.Migration {
	t.Helper()
	ms, err := queries.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	return ms
}
