package metrics

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"weak"
)

// Analyst SQL (built-in and user metric files) is untrusted: a metric file
// comes from a shared folder or a colleague, and must not be able to change
// the database, read or write files, reach the network or change DuckDB's
// settings. DuckDB 1.5 has no per-connection read-only or sandbox mode:
// access_mode, enable_external_access, lock_configuration and the extension
// settings are all GLOBAL, and a second database instance on a file that a
// writer of the same process holds is not safe. So the sandbox has three
// layers, each checked by the tests against every attack:
//
//  1. The gate: DuckDB's own parser (json_serialize_sql, which serialises
//     SELECT statements only) must find exactly one SELECT (WITH ...
//     SELECT, FROM-first and set operations included). Its tree is walked
//     for the table functions it calls: only those in safeTableFunctions or
//     defined by the database (our macros) may run, because some built-ins
//     change the instance from inside a SELECT and DuckDB's configuration
//     lock does not stop them (enable_logging() with a file storage breaks
//     every later query of the process; checkpoint() writes). Scalar
//     functions with side effects (nextval, setseed, write_log) are refused.
//  2. The transaction: on a database opened read-write (ingest, demo), the
//     statement runs on a connection of its own inside BEGIN TRANSACTION
//     READ ONLY, so any write DuckDB sees is refused. A database opened
//     read-only (access_mode) refuses every write itself.
//  3. The instance: before the first analyst statement runs, the instance is
//     locked down for good: enable_external_access = false (no file, no
//     network, no INSTALL or LOAD; ATTACH and COPY refused even if the gate
//     let one through), extension auto-install and auto-load off, and
//     lock_configuration = true (no SET, RESET or PRAGMA that sets). DuckDB
//     cannot undo either setting while the instance runs, so whatever a
//     process must write or read from files (ingest, export, settings) it
//     does before its first metric.

// safeTableFunctions are the built-in table functions analyst SQL may call:
// generators and JSON/list expanders, none of which touches a file or the
// instance.
var safeTableFunctions = map[string]bool{
	"range": true, "generate_series": true, "unnest": true,
	"json_each": true, "json_tree": true, "repeat": true, "repeat_row": true,
}

// unsafeScalarFunctions change state from inside a SELECT: a sequence
// (refused by the read-only transaction too), the connection's random
// seed (the pool hands the connection to the next query) and DuckDB's log.
var unsafeScalarFunctions = map[string]bool{
	"nextval": true, "setseed": true, "write_log": true,
}

// lockMu serialises lockdowns: RunAll starts two metrics at once, and the
// second must see the first's lock rather than try to set it again.
var lockMu sync.Mutex

// Lockdown locks the database instance behind db for analyst SQL: no file
// or network access (but for allowed_directories set before, e.g. by
// queries.OpenLake for the lake's files), no extension installed or
// loaded, no setting changed, for the rest of the instance's life. Run
// calls it before the first metric; call it first to make settings (such
// as threads) that must hold while metrics run. An instance whose
// configuration was locked with external access on is refused: analyst SQL
// would run there unsandboxed.
func Lockdown(ctx context.Context, db *sql.DB) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return lockdown(ctx, conn)
}

// lockedDBs remembers the instances found locked down, with whether they
// were opened read-only: DuckDB cannot undo the lock, so one check per
// instance is enough (it saves a query on each of the report's ~100 runs).
// The keys are weak: a closed and collected *sql.DB leaves the map.
var lockedDBs sync.Map // weak.Pointer[sql.DB] -> bool

// instance locks db's instance down (once) and says whether it was opened
// read-only, in which case DuckDB itself refuses every write.
func instance(ctx context.Context, db *sql.DB, conn *sql.Conn) (readOnly bool, err error) {
	key := weak.Make(db)
	if v, ok := lockedDBs.Load(key); ok {
		return v.(bool), nil
	}
	if err := lockdown(ctx, conn); err != nil {
		return false, err
	}
	var mode string
	if err := conn.QueryRowContext(ctx, `SELECT current_setting('access_mode')`).Scan(&mode); err != nil {
		return false, fmt.Errorf("sandbox: %w", err)
	}
	readOnly = strings.EqualFold(mode, "read_only")
	if _, loaded := lockedDBs.LoadOrStore(key, readOnly); !loaded {
		runtime.AddCleanup(db, func(k weak.Pointer[sql.DB]) { lockedDBs.Delete(k) }, key)
	}
	return readOnly, nil
}

func lockdown(ctx context.Context, conn *sql.Conn) error {
	lockMu.Lock()
	defer lockMu.Unlock()
	var locked, external bool
	if err := conn.QueryRowContext(ctx, `SELECT current_setting('lock_configuration'), current_setting('enable_external_access')`).Scan(&locked, &external); err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	if locked {
		if external {
			return errors.New("sandbox: the database's settings are locked with external access on: metrics will not run there")
		}
		return nil
	}
	for _, s := range []string{
		"SET GLOBAL enable_external_access = false",
		"SET GLOBAL autoinstall_known_extensions = false",
		"SET GLOBAL autoload_known_extensions = false",
		"SET GLOBAL allow_community_extensions = false",
		"SET GLOBAL lock_configuration = true",
	} {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("sandbox: %s: %w", s, err)
		}
	}
	return nil
}

// verdicts caches the gate's answer per SQL text: the parse is the same
// every time, and the report runs each metric for many weeks.
var verdicts sync.Map // string -> *gateVerdict

type gateVerdict struct {
	line int
	msg  string // empty: accepted
}

// builtinTables are DuckDB's own table functions (not our macros), read
// once from the first database: the same build serves every instance, and
// a locked instance loads no extension that could add one.
var builtinTables struct {
	once  sync.Once
	names map[string]bool
	err   error
}

// gate accepts one SELECT statement that calls no unsafe function; see the
// package comment above. Its refusals are one line naming the file and line.
func gate(ctx context.Context, conn *sql.Conn, d *Definition) error {
	if v, ok := verdicts.Load(d.SQL); ok {
		return v.(*gateVerdict).err(d)
	}
	builtinTables.once.Do(func() {
		builtinTables.names, builtinTables.err = loadBuiltinTables(context.WithoutCancel(ctx), conn)
	})
	if builtinTables.err != nil {
		return fmt.Errorf("sandbox: %w", builtinTables.err)
	}
	var js string
	if err := conn.QueryRowContext(ctx, `SELECT json_serialize_sql(?::VARCHAR)::VARCHAR`, d.SQL).Scan(&js); err != nil {
		return fmt.Errorf("sandbox: %s: %w", d.File, err)
	}
	v, err := judge(d.SQL, js)
	if err != nil {
		return fmt.Errorf("sandbox: %s: %w", d.File, err)
	}
	verdicts.Store(d.SQL, v)
	return v.err(d)
}

func (v *gateVerdict) err(d *Definition) error {
	if v.msg == "" {
		return nil
	}
	return &SQLError{File: d.File, Line: v.line, Msg: v.msg}
}

func loadBuiltinTables(ctx context.Context, conn *sql.Conn) (map[string]bool, error) {
	rows, err := conn.QueryContext(ctx, `SELECT DISTINCT lower(function_name) FROM duckdb_functions()
		WHERE function_type = 'table' OR (function_type = 'table_macro' AND internal)`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		out[name] = true
	}
	return out, rows.Err()
}

// serialized is what json_serialize_sql returns.
type serialized struct {
	Error        bool              `json:"error"`
	ErrorType    string            `json:"error_type"`
	ErrorMessage string            `json:"error_message"`
	Position     json.Number       `json:"position"` // a string in DuckDB 1.5
	Statements   []json.RawMessage `json:"statements"`
}

// judge reads DuckDB's parse of src (json_serialize_sql's output).
func judge(src, js string) (*gateVerdict, error) {
	var s serialized
	if err := json.Unmarshal([]byte(js), &s); err != nil {
		return nil, err
	}
	starts := statementStarts(src)
	switch {
	case s.Error && s.ErrorType == "parser":
		line := 0
		if pos, err := s.Position.Int64(); err == nil {
			line = lineAt(src, int(pos))
		}
		return &gateVerdict{line: line, msg: "Parser Error: " + s.ErrorMessage}, nil
	case s.Error && len(starts) > 1, !s.Error && len(s.Statements) > 1:
		return &gateVerdict{line: lineAt(src, second(starts)), msg: "a metric is one SELECT statement: a second statement starts here"}, nil
	case s.Error:
		// json_serialize_sql serialises SELECT statements only.
		first := 0
		if len(starts) > 0 {
			first = starts[0]
		}
		what := firstWord(src[first:])
		if what == "WITH" {
			what = "a WITH that ends in another statement"
		}
		return &gateVerdict{line: lineAt(src, first), msg: "a metric is one SELECT (or WITH ... SELECT) statement, not " + what}, nil
	case len(s.Statements) == 0:
		return &gateVerdict{line: lineAt(src, len(src)), msg: "no SQL statement after the header"}, nil
	}
	var tree any
	if err := json.Unmarshal(s.Statements[0], &tree); err != nil {
		return nil, err
	}
	if name, at, ok := unsafeCall(tree); ok {
		return &gateVerdict{line: lineAt(src, at), msg: fmt.Sprintf("a metric may not call %s(): it reads files or changes the database", name)}, nil
	}
	return &gateVerdict{}, nil
}

// unsafeCall walks a statement's tree for the first call the sandbox
// refuses: a built-in table function not in safeTableFunctions, or an
// unsafe scalar function. It returns the name and the byte offset DuckDB
// recorded (-1 when none).
func unsafeCall(node any) (name string, at int, ok bool) {
	switch n := node.(type) {
	case []any:
		for _, c := range n {
			if name, at, ok = unsafeCall(c); ok {
				return
			}
		}
	case map[string]any:
		if n["type"] == "TABLE_FUNCTION" {
			if f, _ := n["function"].(map[string]any); f != nil {
				fn, _ := f["function_name"].(string)
				fn = strings.ToLower(fn)
				if builtinTables.names[fn] && !safeTableFunctions[fn] {
					return fn, location(n, f), true
				}
			}
		}
		if n["class"] == "FUNCTION" {
			fn, _ := n["function_name"].(string)
			if fn = strings.ToLower(fn); unsafeScalarFunctions[fn] {
				return fn, location(n), true
			}
		}
		for _, c := range n {
			if name, at, ok = unsafeCall(c); ok {
				return
			}
		}
	}
	return "", -1, false
}

// location is the first query_location DuckDB gave among nodes; unknown
// locations are serialised as the largest uint64.
func location(nodes ...map[string]any) int {
	for _, n := range nodes {
		if f, ok := n["query_location"].(float64); ok && f >= 0 && f < 1<<31 {
			return int(f)
		}
	}
	return -1
}

// lineAt is the 1-based line of byte offset off in src (0 when unknown);
// an offset past the last token ("at end of input") is that token's line.
func lineAt(src string, off int) int {
	if off < 0 || off > len(src) {
		return 0
	}
	off = min(off, len(strings.TrimRight(src, " \t\r\n")))
	return strings.Count(src[:off], "\n") + 1
}

func second(starts []int) int {
	if len(starts) > 1 {
		return starts[1]
	}
	return -1
}

// firstWord is the statement's keyword, for the error message.
func firstWord(s string) string {
	end := strings.IndexFunc(s, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_') })
	if end < 0 {
		end = len(s)
	}
	if end == 0 {
		return "a SELECT"
	}
	return strings.ToUpper(s[:end])
}

// statementStarts returns the byte offset of each statement's first token,
// skipping comments, string literals, quoted names and dollar quotes, with
// statements ended by ';'. It only places error messages: what runs is
// decided by DuckDB's parser.
func statementStarts(src string) []int {
	var starts []int
	inStmt := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '-' && strings.HasPrefix(src[i:], "--"):
			if j := strings.IndexByte(src[i:], '\n'); j >= 0 {
				i += j
			} else {
				i = len(src)
			}
			continue
		case c == '/' && strings.HasPrefix(src[i:], "/*"):
			if j := strings.Index(src[i+2:], "*/"); j >= 0 {
				i += j + 3
			} else {
				i = len(src)
			}
			continue
		case c == ';':
			inStmt = false
			continue
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			continue
		}
		if !inStmt {
			starts = append(starts, i)
			inStmt = true
		}
		switch c {
		case '\'', '"':
			i = skipQuoted(src, i, c)
		case '$':
			if tag := dollarTag(src[i:]); tag != "" {
				if j := strings.Index(src[i+len(tag):], tag); j >= 0 {
					i += len(tag) + j + len(tag) - 1
				} else {
					i = len(src)
				}
			}
		}
	}
	return starts
}

// skipQuoted returns the offset of the quote closing the one at i (a
// doubled quote is part of the text).
func skipQuoted(src string, i int, q byte) int {
	for j := i + 1; j < len(src); j++ {
		if src[j] == q {
			if j+1 < len(src) && src[j+1] == q {
				j++
				continue
			}
			return j
		}
	}
	return len(src)
}

// dollarTag is the opening tag of a dollar-quoted string ($$ or $tag$) at
// the start of s, or "" ($start is a parameter, not a quote).
func dollarTag(s string) string {
	for j := 1; j < len(s); j++ {
		c := s[j]
		if c == '$' {
			return s[:j+1]
		}
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || j > 1 && c >= '0' && c <= '9') {
			return ""
		}
	}
	return ""
}

// readOnly runs f inside a read-only transaction on conn. The transaction
// is always rolled back (a SELECT has nothing to commit); a connection that
// cannot roll back is discarded rather than handed to the next query still
// inside it.
func readOnly(ctx context.Context, conn *sql.Conn, f func() error) error {
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION READ ONLY"); err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	err := f()
	if _, rbErr := conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); rbErr != nil {
		conn.Raw(func(any) error { return driver.ErrBadConn }) //nolint:errcheck // the point is to drop the connection
	}
	return err
}
