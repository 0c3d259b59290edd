package queries

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// DefaultLockWait is how long an open waits for another process that holds
// the database file before it gives up.
const DefaultLockWait = 30 * time.Second

// OpenOptions say how a database file is opened.
type OpenOptions struct {
	// ReadOnly opens the file with DuckDB's access_mode=READ_ONLY: several
	// readers may hold it at once, a missing file is an error (nothing is
	// created) and nothing is migrated; the helpers metric files use are
	// created as temporary macros and views on every connection.
	ReadOnly bool
	// LockWait bounds the wait for a file another process holds (a writer
	// waits for readers and writers, a reader for a writer); 0 means
	// DefaultLockWait, a negative value does not wait.
	LockWait time.Duration
	// Waiting is told once, with what DuckDB says holds the file, when the
	// open has to wait.
	Waiting func(holder string)
	// Session statements run on every new connection after the helpers: a
	// read-only caller's temporary views over the data (the config's staff
	// and group tags), since a read-only file cannot be written.
	Session []Statement
}

// Statement is SQL with its bound arguments.
type Statement struct {
	SQL  string
	Args []any
}

// Open opens (creating if needed) a ckpi database file for writing, brings
// its schema up to date and removes the rows of any load that did not
// commit (recover.sql). An empty path opens a private in-memory database.
func Open(ctx context.Context, path string) (*sql.DB, error) {
	return OpenWith(ctx, path, OpenOptions{})
}

// ErrNoDatabase is wrapped by the error of a read-only open of a file that
// does not exist.
var ErrNoDatabase = errors.New("no such database")

// OpenWith opens a ckpi database file as the options say.
func OpenWith(ctx context.Context, path string, opt OpenOptions) (*sql.DB, error) {
	if opt.ReadOnly {
		if path == "" {
			return nil, errors.New("a read-only open needs a database file")
		}
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("%s: %w (ckpi ingest creates it)", path, ErrNoDatabase)
		}
	}
	connector, err := connect(ctx, path, opt)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(connector)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if opt.ReadOnly {
		if err := checkSchema(ctx, db); err != nil {
			db.Close()
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return db, nil
	}
	if err := Migrate(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := recoverLoads(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: recover: %w", path, err)
	}
	if err := createMacros(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return db, nil
}

// connect opens the DuckDB database, waiting up to opt.LockWait while
// another process holds the file.
func connect(ctx context.Context, path string, opt OpenOptions) (*duckdb.Connector, error) {
	dsn, init := path, func(driver.ExecerContext) error { return nil }
	if opt.ReadOnly {
		dsn += "?access_mode=READ_ONLY"
		macros, err := temporaryMacros()
		if err != nil {
			return nil, err
		}
		init = func(conn driver.ExecerContext) error {
			if _, err := conn.ExecContext(context.Background(), macros, nil); err != nil {
				return fmt.Errorf("macros.sql: %w", err)
			}
			for _, s := range opt.Session {
				args := make([]driver.NamedValue, len(s.Args))
				for i, a := range s.Args {
					args[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
				}
				if _, err := conn.ExecContext(context.Background(), s.SQL, args); err != nil {
					return err
				}
			}
			return nil
		}
	}
	wait := opt.LockWait
	if wait == 0 {
		wait = DefaultLockWait
	}
	deadline := time.Now().Add(wait)
	told := false
	for {
		c, err := duckdb.NewConnector(dsn, init)
		if err == nil {
			return c, nil
		}
		holder, locked := lockHolder(err)
		if !locked {
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
		if wait < 0 || time.Now().After(deadline) {
			return nil, &LockedError{Path: path, Holder: holder, Waited: max(wait, 0)}
		}
		if !told && opt.Waiting != nil {
			opt.Waiting(holder)
			told = true
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// LockedError is an open that gave up on a file another process holds.
type LockedError struct {
	Path   string
	Holder string // what DuckDB says holds it, e.g. "/usr/local/bin/ckpi (PID 4242)"; may be empty
	Waited time.Duration
}

func (e *LockedError) Error() string {
	who := "another process"
	if e.Holder != "" {
		who = e.Holder
	}
	return fmt.Sprintf("%s is in use by %s: gave up after waiting %s (--lock-wait sets how long to wait)", e.Path, who, e.Waited)
}

var lockHeldIn = regexp.MustCompile(`[Cc]onflicting lock is held in (.+? \(PID \d+\))`)

// lockHolder tells whether err is DuckDB's "Could not set lock" and, when
// it says, what holds the file.
func lockHolder(err error) (string, bool) {
	msg := err.Error()
	if !strings.Contains(msg, "Could not set lock") {
		return "", false
	}
	if m := lockHeldIn.FindStringSubmatch(msg); m != nil {
		return m[1], true
	}
	return "", true
}

// checkSchema refuses, for a read-only open, a file this ckpi cannot read
// as it is: migrations would have to write.
func checkSchema(ctx context.Context, db *sql.DB) error {
	var current int
	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("not a ckpi database: %w", err)
	}
	switch latest := SchemaVersion(); {
	case current > latest:
		return fmt.Errorf("database schema version %d is newer than this ckpi understands (%d): upgrade ckpi", current, latest)
	case current < latest:
		return fmt.Errorf("database schema version %d is older than this ckpi's (%d): run a command that writes (e.g. ckpi ingest) once to upgrade it", current, latest)
	}
	return nil
}

// recoverLoads removes the rows of loads that did not commit, in one
// transaction, before anything else writes.
func recoverLoads(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	if _, err := tx.ExecContext(ctx, Ingest("recover")); err != nil {
		return err
	}
	// Memberships are derived, rebuilt by each load for its groups: a torn
	// commit can leave its rebuilt rows beside the ones it replaced, so a
	// stretch shows twice. Those groups are derived again from the rows
	// that stand.
	var twice int
	if err := tx.QueryRowContext(ctx, twiceCounted).Scan(&twice); err != nil {
		return err
	}
	if twice > 0 {
		if err := Rederive(ctx, tx, twiceGroups); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// twiceCounted counts the membership stretches that show twice;
// twiceGroups are their groups.
const (
	twiceCounted = `SELECT count(*) FROM (SELECT group_id FROM memberships GROUP BY group_id, member_id, start_ts HAVING count(*) > 1)`
	twiceGroups  = `SELECT DISTINCT group_id FROM (SELECT group_id FROM memberships GROUP BY group_id, member_id, start_ts HAVING count(*) > 1)`
)

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

// temporaryMacros is macros.sql as temporary objects of one connection: a
// read-only file takes no new ones, and temporary objects come first in
// DuckDB's search path, ahead of those an earlier write left in the file.
func temporaryMacros() (string, error) {
	b, err := files.ReadFile("macros.sql")
	if err != nil {
		return "", err
	}
	return strings.NewReplacer(
		"CREATE OR REPLACE VIEW", "CREATE OR REPLACE TEMP VIEW",
		"CREATE OR REPLACE MACRO", "CREATE OR REPLACE TEMP MACRO",
	).Replace(string(b)), nil
}
