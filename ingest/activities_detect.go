package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ckpi/ckpi/queries"
)

// activityPattern is a row of activity_patterns, compiled.
type activityPattern struct {
	typ  string
	re   *regexp.Regexp
	src  string
	once bool
}

// detectActivities finds the activities held in the file's chat. DuckDB
// picks the candidate messages with one pass of the patterns' union over
// the file; the few candidates are classified here and go in with one
// insert, instead of one statement per pattern.
func detectActivities(ctx context.Context, conn *sql.Conn, fileID int64) error {
	patterns, err := loadActivityPatterns(ctx, conn)
	if err != nil || len(patterns) == 0 {
		return err
	}
	alternatives := make([]string, len(patterns))
	for i, p := range patterns {
		alternatives[i] = "(?:" + p.src + ")"
	}
	rows, err := conn.QueryContext(ctx, queries.Ingest("activity_candidates"),
		sql.Named("file_id", fileID), sql.Named("any", strings.Join(alternatives, "|")))
	if err != nil {
		return err
	}
	found := newBatch("stage_detected", 6)
	seen := map[int64]bool{}
	zones := map[string]*time.Location{}
	for rows.Next() {
		var id, group, line int64
		var ts time.Time
		var text, zone string
		if err := rows.Scan(&id, &group, &ts, &text, &zone, &line); err != nil {
			rows.Close()
			return err
		}
		for _, p := range patterns {
			if !p.re.MatchString(text) {
				continue
			}
			activity := id
			if p.once {
				activity = hashID(strconv.FormatInt(group, 10), p.typ, localDay(ts, zone, zones))
			}
			if !seen[activity] {
				seen[activity] = true
				found.add(activity, group, ts, p.typ, title(text), line)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || found.rows() == 0 {
		return err
	}
	if err := appendBatch(conn, found); err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, queries.Ingest("insert_detected"))
	return err
}

func loadActivityPatterns(ctx context.Context, conn *sql.Conn) ([]activityPattern, error) {
	rows, err := conn.QueryContext(ctx, `SELECT type, pattern, once_per_day FROM activity_patterns ORDER BY priority`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []activityPattern
	for rows.Next() {
		var p activityPattern
		if err := rows.Scan(&p.typ, &p.src, &p.once); err != nil {
			return nil, err
		}
		if p.re, err = regexp.Compile(p.src); err != nil {
			return nil, fmt.Errorf("activity pattern %q: %w", p.src, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// localDay is the date of an instant in the zone the export was read in.
func localDay(ts time.Time, zone string, cache map[string]*time.Location) string {
	loc, ok := cache[zone]
	if !ok {
		var err error
		if loc, err = time.LoadLocation(zone); err != nil {
			loc = time.UTC
		}
		cache[zone] = loc
	}
	return ts.In(loc).Format(time.DateOnly)
}

// title is the start of an activity's message, at most 120 characters.
func title(text string) string {
	if utf8.RuneCountInString(text) <= 120 {
		return text
	}
	return string([]rune(text)[:120])
}
