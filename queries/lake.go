package queries

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// partitioned are the tables that grow with chat volume; they are written
// as hive partitions platform=/group_id=/month= so engines read only the
// groups and months a query needs. The rest are one file each.
var partitioned = map[string]bool{"messages": true, "membership_events": true}

// ExportParquet writes every canonical table of db into dir as Parquet
// (zstd): the big ones hive-partitioned by platform, group and month, the
// others one file each. DuckDB, Spark, Trino and ClickHouse read them as is.
func ExportParquet(ctx context.Context, db *sql.DB, dir string) ([]string, error) {
	tables, err := tableNames(ctx, db)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	for _, t := range tables {
		var stmt string
		if partitioned[t] {
			stmt = fmt.Sprintf(`COPY (SELECT x.*, g.platform, strftime(x.ts, '%%Y-%%m') AS month
				FROM %s x JOIN groups g USING (group_id))
				TO '%s' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (platform, group_id, month), OVERWRITE_OR_IGNORE)`,
				t, literal(filepath.Join(dir, t)))
		} else {
			stmt = fmt.Sprintf(`COPY %s TO '%s' (FORMAT parquet, COMPRESSION zstd)`, t, literal(filepath.Join(dir, t+".parquet")))
		}
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return nil, fmt.Errorf("export %s: %w", t, err)
		}
	}
	return tables, nil
}

// OpenLake opens a Parquet lake written by ExportParquet as an in-memory
// database whose canonical tables are views over the files, with the same
// columns and types, so every metric runs on it unchanged.
func OpenLake(ctx context.Context, dir string) (*sql.DB, error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("lake %s: not a folder", dir)
	}
	db, err := Open(ctx, "")
	if err != nil {
		return nil, err
	}
	// The views read the lake's files: the only ones that stay readable
	// once metrics lock the instance down (no external access). The
	// trailing separator keeps lake/ from allowing lake2/.
	abs, err := filepath.Abs(dir)
	if err == nil {
		_, err = db.ExecContext(ctx, "SET GLOBAL allowed_directories = ['"+literal(abs+string(filepath.Separator))+"']")
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("lake %s: %w", dir, err)
	}
	tables, err := tableNames(ctx, db)
	if err != nil {
		db.Close()
		return nil, err
	}
	for _, t := range tables {
		if err := lakeView(ctx, db, dir, t); err != nil {
			db.Close()
			return nil, fmt.Errorf("lake %s: %w", dir, err)
		}
	}
	if err := createMacros(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// lakeView replaces an empty canonical table by a view over its files,
// casting every column back to the table's type (hive partition values
// come back as text or integers of DuckDB's choosing).
func lakeView(ctx context.Context, db *sql.DB, dir, table string) error {
	rows, err := db.QueryContext(ctx, `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_name = ? AND table_schema = 'main' ORDER BY ordinal_position`, table)
	if err != nil {
		return err
	}
	var cols []string
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			rows.Close()
			return err
		}
		cols = append(cols, fmt.Sprintf("CAST(%s AS %s) AS %s", ident(name), typ, ident(name)))
	}
	rows.Close()
	var source string
	if partitioned[table] {
		source = fmt.Sprintf("read_parquet('%s', hive_partitioning = true)", literal(filepath.Join(dir, table, "**", "*.parquet")))
	} else {
		source = fmt.Sprintf("read_parquet('%s')", literal(filepath.Join(dir, table+".parquet")))
	}
	if _, err := db.ExecContext(ctx, "DROP TABLE "+ident(table)+" CASCADE"); err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, fmt.Sprintf("CREATE VIEW %s AS SELECT %s FROM %s", ident(table), strings.Join(cols, ", "), source))
	return err
}

// tableNames lists the canonical tables (not ckpi's bookkeeping).
func tableNames(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT table_name FROM duckdb_tables()
		WHERE schema_name = 'main' AND NOT temporary AND table_name <> 'schema_migrations' ORDER BY table_name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		if !plainName.MatchString(t) {
			return nil, fmt.Errorf("unexpected table name %q", t)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

var plainName = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// ident quotes a name of ours (tables, columns) for SQL.
func ident(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// literal quotes a path for a SQL string literal: COPY and read_parquet take
// their file names as literals, not parameters.
func literal(s string) string { return strings.ReplaceAll(s, "'", "''") }
