package metrics

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
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

// Validate checks a metric file the way the report will use it, each
// error naming its file and line:
//   - the header (Parse): fields, both languages, enums, parameters
//     declared and used;
//   - the SQL read for what the docs forbid: days or weeks cut in UTC
//     (lintUTC);
//   - the SQL run on each database given (an empty one catches SQL that
//     does not parse or bind; a real one runtime errors and wrong numbers),
//     for the last complete period of the metric's grain that has data
//     (the previous period when none has): every declared column
//     returned and nothing undeclared, an all-groups row (group_id NULL),
//     and every ratio in [0, 1].
func Validate(ctx context.Context, file string, src []byte, loc *time.Location, dbs ...*sql.DB) (*Definition, error) {
	d, err := Parse(file, src)
	if err != nil {
		return nil, err
	}
	errs := lintUTC(d)
	for _, db := range dbs {
		p := Params{Period: PeriodOf(d.Grain, time.Now().In(loc)).Previous()}
		if cov, err := ReadCoverage(ctx, db); err == nil && !cov.Empty() {
			if q, err := cov.Default(d.Grain, loc, time.Now()); err == nil {
				p.Period = q
			}
		}
		errs = append(errs, checkRun(ctx, db, d, p)...)
	}
	return d, errors.Join(dedupe(errs)...)
}

// dedupe drops an error already reported (the same on two databases).
func dedupe(errs []error) []error {
	var out []error
	seen := map[string]bool{}
	for _, e := range errs {
		if !seen[e.Error()] {
			seen[e.Error()] = true
			out = append(out, e)
		}
	}
	return out
}

// checkRun runs d for p on db, sandboxed as every metric run is (Run),
// and checks its result against the header.
func checkRun(ctx context.Context, db *sql.DB, d *Definition, p Params) []error {
	// Run checks that the declared columns came back, with no line to
	// point at; asked for none, it returns what came back, checked here.
	loose := *d
	loose.Columns = nil
	res, err := Run(ctx, db, &loose, p)
	if err != nil {
		return []error{err}
	}
	cols := res.Columns
	at := func(line int, format string, a ...any) error {
		return &HeaderError{File: d.File, Line: line, Msg: fmt.Sprintf(format, a...)}
	}
	var errs []error
	for _, k := range keyColumns {
		if !slices.Contains(cols, k) {
			errs = append(errs, at(d.SQLLine, "the result lacks %s: every metric returns group_id, group_name first", k))
		}
	}
	for _, c := range d.Specs {
		if !slices.Contains(cols, c.Name) {
			errs = append(errs, at(c.Line, "column %s is declared but the SQL never returns it (it returns %s)", c.Name, strings.Join(cols, ", ")))
		}
	}
	for _, c := range cols {
		if !slices.Contains(d.Columns, c) {
			errs = append(errs, at(d.ColumnsLine, "the SQL returns %s, which columns does not declare: every column needs its label, format and explanation", c))
		}
	}
	if len(errs) > 0 {
		return errs
	}
	idx := func(name string) int { return slices.Index(cols, name) }
	allRow := false
	bad := map[string]bool{}
	for _, vals := range res.Rows {
		group := "all groups"
		if vals[idx("group_id")] == nil {
			allRow = true
		} else {
			group = fmt.Sprint(vals[idx("group_name")])
		}
		for _, c := range d.Specs {
			if c.Format != FormatRatio || bad[c.Name] {
				continue
			}
			v := Number(vals[idx(c.Name)])
			if v == nil {
				continue
			}
			if math.IsNaN(*v) || *v < -1e-9 || *v > 1+1e-9 {
				bad[c.Name] = true
				errs = append(errs, at(c.Line, "column %s is a ratio but reads %v for %s in %s: a rate lies in [0, 1] (numerator and denominator must count the same people; divide with nullif(x, 0))", c.Name, *v, group, p.Period.Label))
			}
		}
	}
	if !allRow {
		errs = append(errs, at(groupByLine(d), "no all-groups row (group_id NULL): end with GROUP BY GROUPING SETS ((group_id, group_name), ())"))
	}
	return errs
}

// groupByLine is the file line of the SQL's last GROUP BY, else its first line.
func groupByLine(d *Definition) int {
	lines := strings.Split(d.SQL, "\n")
	for i := len(lines) - 1; i >= d.SQLLine-1 && i >= 0; i-- {
		code, _, _ := strings.Cut(lines[i], "--")
		if strings.Contains(strings.ToUpper(code), "GROUP BY") {
			return i + 1
		}
	}
	return d.SQLLine
}

// utcCut finds what cuts days, weeks or hours by the UTC clock of a stored
// timestamp: ts is UTC, so ts::DATE is the UTC day, not the local one.
var utcCut = regexp.MustCompile(`(?i)(::\s*date\b|\bcast\s*\(.*\bas\s+date\s*\)|\b(date_trunc|strftime|date_part|datepart|extract|hour|dayofweek|isodow|week|yearweek)\s*\()`)

// zoned marks a line that converts to the local zone first.
var zoned = regexp.MustCompile(`(?i)\btimezone\s*\(|\bat\s+time\s+zone\b`)

// lintUTC finds day, week or hour boundaries cut in UTC: ts::DATE,
// date_trunc, strftime, extract and their kin on a line that does not
// convert to the local zone first (timezone($tz, ts), AT TIME ZONE). A
// string literal cast to a date ('2026-01-01'::DATE) cuts nothing; a line
// that means it says so with "-- ckpi: utc".
func lintUTC(d *Definition) []error {
	var errs []error
	for i, line := range strings.Split(d.SQL, "\n") {
		if i+1 < d.SQLLine {
			continue
		}
		code, comment, _ := strings.Cut(line, "--")
		if strings.Contains(comment, "ckpi: utc") {
			continue
		}
		code = stringLiteral.ReplaceAllString(code, "''")
		m := utcCut.FindString(code)
		if m == "" || zoned.MatchString(code) || literalDate.MatchString(code) {
			continue
		}
		errs = append(errs, &HeaderError{File: d.File, Line: i + 1, Msg: fmt.Sprintf(
			"%s cuts by the UTC clock (ts is stored in UTC): cut local days as 24-hour steps from $start (date_diff('second', $start::TIMESTAMP, ts) / 86400), or convert first with timezone($tz, ts)", strings.TrimSpace(m))})
	}
	return errs
}

var (
	stringLiteral = regexp.MustCompile(`'[^']*'`)
	literalDate   = regexp.MustCompile(`(?i)^[^:]*''\s*::\s*date\b[^:]*$`)
)
