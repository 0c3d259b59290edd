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

	"github.com/ckpi/ckpi/ingest/format"
)

// activityPattern is a row of activity_patterns, compiled.
type activityPattern struct {
	typ  string
	re   *regexp.Regexp
	src  string
	once bool
}

// activityDetector finds the activities held in chat as the messages go
// by: the prefilter passes the few messages that may match a pattern, and
// the patterns, in priority order, say which activity each one is.
type activityDetector struct {
	patterns []activityPattern
	filter   *prefilter // nil: every message is tried
	zone     *time.Location
	found    []detected
	byID     map[int64]int // activity -> index in found
}

type detected struct {
	id, group, file, line int64
	ts                    time.Time
	typ, title            string
}

// before orders sightings by time, then file and line, so files read at
// the same time give the same activities.
func (a detected) before(b detected) bool {
	if !a.ts.Equal(b.ts) {
		return a.ts.Before(b.ts)
	}
	if a.file != b.file {
		return a.file < b.file
	}
	return a.line < b.line
}

func newActivityDetector(patterns []activityPattern, zone *time.Location) *activityDetector {
	if len(patterns) == 0 {
		return nil
	}
	exprs := make([]string, len(patterns))
	for i, p := range patterns {
		exprs[i] = p.src
	}
	return &activityDetector{patterns: patterns, filter: newPrefilter(exprs), zone: zone, byID: map[int64]int{}}
}

// see looks at one member message. An activity met twice (a once-a-day
// type, or a message of overlapping exports) keeps its earliest sighting.
func (d *activityDetector) see(message, group, file int64, m *format.Message) {
	var try uint64 // the patterns worth running
	if d.filter != nil {
		if try = d.filter.candidates(m.Text); try == 0 {
			return
		}
	}
	for i, p := range d.patterns {
		if d.filter != nil && try&(1<<i) == 0 || !p.re.MatchString(m.Text) {
			continue
		}
		id := message
		if p.once {
			id = hashID(strconv.FormatInt(group, 10), p.typ, m.Time.In(d.zone).Format(time.DateOnly))
		}
		a := detected{id, group, file, m.Line, m.Time.UTC(), p.typ, ""}
		if i, ok := d.byID[id]; ok {
			if a.before(d.found[i]) {
				a.title = title(m.Text)
				d.found[i] = a
			}
			continue
		}
		a.title = title(m.Text)
		d.byID[id] = len(d.found)
		d.found = append(d.found, a)
	}
}

// batch stages what was found for insert_detected.sql.
func (d *activityDetector) batch() *batch {
	b := newBatch("stage_detected", 7)
	for _, a := range d.found {
		b.add(a.id, a.group, a.ts, a.typ, a.title, a.file, a.line)
	}
	return b
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

// title is the start of an activity's message, at most 120 characters, in
// a string of its own: the message's may share memory with a whole chunk
// of the export that the activity would otherwise keep alive.
func title(text string) string {
	if utf8.RuneCountInString(text) <= 120 {
		return strings.Clone(text)
	}
	return string([]rune(text)[:120])
}
