package metrics

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// SQLError is a metric's SQL failing in DuckDB, pointed at its file line.
type SQLError struct {
	File string
	Line int // 0 when DuckDB did not say
	Msg  string
}

func (e *SQLError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

var (
	duckLine = regexp.MustCompile(`LINE (\d+):`)
	duckName = regexp.MustCompile(`(?:column|function|table|Table) (?:named )?"([^"]+)"`)
)

// lineNaming is the number of the first line of src, comments aside, in
// which name appears as a word; 0 if none.
func lineNaming(src, name string) int {
	word := regexp.MustCompile(`(^|[^\w])` + regexp.QuoteMeta(name) + `($|[^\w])`)
	for i, l := range strings.Split(src, "\n") {
		code, _, _ := strings.Cut(l, "--")
		if word.MatchString(code) {
			return i + 1
		}
	}
	return 0
}

// sqlError turns a DuckDB error into one line naming the metric file and,
// when DuckDB gives it, the line of the SQL (the header lines count, so it
// is the line in the file).
func sqlError(d *Definition, err error) error {
	msg := err.Error()
	line := 0
	if m := duckLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
	} else if m := duckName.FindStringSubmatch(msg); m != nil {
		// DuckDB 2.0 leaves the LINE out of some binder errors ("Table
		// "m" does not have a column named "x""): the first line of SQL
		// that names it is where to look.
		line = lineNaming(d.SQL, m[1])
	}
	if line == 0 {
		// DuckDB names no line for some errors (a file it may not read):
		// point at the statement.
		if starts := statementStarts(d.SQL); len(starts) > 0 {
			line = lineAt(d.SQL, starts[0])
		}
	}
	first, _, _ := strings.Cut(msg, "\n")
	return &SQLError{File: d.File, Line: line, Msg: strings.TrimSpace(first)}
}

// Validate checks a metric file the way the runner will use it: the header
// (every field, known parameters, used as declared), then the SQL run for
// the current week on each database given (an empty one catches SQL that
// does not parse or bind; a real one catches runtime errors), with the
// declared columns present in the result.
func Validate(ctx context.Context, file string, src []byte, loc *time.Location, dbs ...*sql.DB) (*Definition, error) {
	d, err := Parse(file, src)
	if err != nil {
		return nil, err
	}
	p := Params{Period: PeriodOf(d.Grain, time.Now().In(loc)).Previous()}
	var errs []error
	for _, db := range dbs {
		if _, err := Run(ctx, db, d, p); err != nil {
			errs = append(errs, err)
		}
	}
	return d, errors.Join(errs...)
}
