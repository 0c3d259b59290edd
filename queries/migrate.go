package queries

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// Migration is one numbered schema file, applied once per database.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations lists the schema files in the order they apply.
func Migrations() ([]Migration, error) {
	entries, err := fs.ReadDir(files, "schema")
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("schema/%s: name must start with a version number and '_'", e.Name())
		}
		b, err := files.ReadFile("schema/" + e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: e.Name(), SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// SchemaVersion is the newest schema this binary knows.
func SchemaVersion() int {
	m, err := Migrations()
	if err != nil || len(m) == 0 {
		return 0
	}
	return m[len(m)-1].Version
}

// Migrate brings a database to the newest schema, each step in its own
// transaction so an interrupted upgrade leaves the file at the last good
// version. A database written by a newer ckpi is refused rather than guessed at.
func Migrate(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var current int
	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	all, err := Migrations()
	if err != nil {
		return err
	}
	if latest := all[len(all)-1].Version; current > latest {
		return fmt.Errorf("database schema version %d is newer than this ckpi understands (%d): upgrade ckpi", current, latest)
	}
	for _, m := range all {
		if m.Version <= current {
			continue
		}
		if err := apply(ctx, db, m); err != nil {
			return fmt.Errorf("migrate %s: %w", m.Name, err)
		}
	}
	return nil
}

// rederive marks the schema versions that add derived tables (see Rederive).
var rederive = map[int]bool{4: true}

// Execer is a connection or a transaction.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Rederive recomputes what is derived from the loaded rows for the groups
// the query returns (db must be one connection: a *sql.Conn or *sql.Tx): it resolves the names notices gave to the people seen
// under them, and rebuilds the membership stretches. Both depend on
// everything loaded for a group, not only on the last load's rows.
func Rederive(ctx context.Context, db Execer, groups string) error {
	if _, err := db.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE rebuild_groups AS "+groups); err != nil {
		return err
	}
	step := func(name string) error {
		if _, err := db.ExecContext(ctx, Ingest(name)); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	}
	if err := step("resolve_names"); err != nil {
		return err
	}
	if err := step("membership_leavers"); err != nil {
		return err
	}
	var later int64
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM rebuild_later`).Scan(&later); err != nil {
		return err
	}
	if later > 0 {
		if err := step("membership_returns"); err != nil {
			return err
		}
	}
	return step("rebuild_memberships")
}

func apply(ctx context.Context, db *sql.DB, m Migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit this is a no-op
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return err
	}
	if rederive[m.Version] {
		// What this version adds is derived from the rows an older ckpi
		// loaded, for every group, as a load derives it for its own; a new
		// database has none (and saves the statements).
		var loaded bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM groups)`).Scan(&loaded); err != nil {
			return err
		}
		if loaded {
			if err := Rederive(ctx, tx, "SELECT group_id FROM groups"); err != nil {
				return err
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations VALUES (?, ?, timezone('UTC', now()))`, m.Version, m.Name); err != nil {
		return err
	}
	return tx.Commit()
}
