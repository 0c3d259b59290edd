package queries

import (
	"context"
	"database/sql"
	"fmt"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" driver
)

// Open opens (creating if needed) a ckpi database file and brings its schema
// up to date. An empty path opens a private in-memory database.
func Open(ctx context.Context, path string) (*sql.DB, error) {
	db, err := sql.Open("duckdb", path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := Migrate(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := createMacros(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return db, nil
}

// createMacros (re)defines the helpers metric files use.
func createMacros(ctx context.Context, db *sql.DB) error {
	b, err := files.ReadFile("macros.sql")
	if err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, string(b)); err != nil {
		return fmt.Errorf("macros.sql: %w", err)
	}
	return nil
}
