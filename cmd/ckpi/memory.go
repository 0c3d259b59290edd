package main

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
)

var memorySize = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$`)

// limitMemory caps DuckDB's buffer memory. SET takes no parameters, so the
// value is checked against a strict pattern before it is put in the
// statement.
func limitMemory(ctx context.Context, db *sql.DB, size string) error {
	if !memorySize.MatchString(size) {
		return fmt.Errorf("--memory %q: give a size such as 256MB or 2GB", size)
	}
	_, err := db.ExecContext(ctx, "SET memory_limit = '"+size+"'")
	return err
}
