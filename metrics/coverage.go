package metrics

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ErrNoData is wrapped by the error of a period the data does not cover.
var ErrNoData = errors.New("no data")

// Coverage is the stretch of time a database's loaded data covers: the
// first and last message, membership event or member-list snapshot of any
// group.
type Coverage struct {
	First, Last time.Time // zero when the database holds no data
	Groups      int
}

// ReadCoverage reads what the data covers.
func ReadCoverage(ctx context.Context, db *sql.DB) (Coverage, error) {
	var c Coverage
	var first, last sql.NullTime
	err := db.QueryRowContext(ctx, `SELECT min(data_first), max(data_last), count(data_first) FROM groups`).Scan(&first, &last, &c.Groups)
	if err != nil {
		return c, err
	}
	if first.Valid && last.Valid {
		c.First, c.Last = first.Time, last.Time
	}
	return c, nil
}

// Empty tells a database that holds no chat data at all.
func (c Coverage) Empty() bool { return c.First.IsZero() }

// String says what the data covers, in the zone of loc.
func (c Coverage) String(loc *time.Location) string {
	if c.Empty() {
		return "the database holds no chat data: load exports with `ckpi ingest` first"
	}
	const layout = "2006-01-02 15:04"
	return fmt.Sprintf("the data covers %s to %s (%s)", c.First.In(loc).Format(layout), c.Last.In(loc).Format(layout), loc)
}

// Default is the period of a grain a report should cover when none is
// asked for: the last one that has ended and has data. When the only
// period with data is still running, that one, in progress.
func (c Coverage) Default(grain string, loc *time.Location, now time.Time) (Period, error) {
	if c.Empty() {
		return Period{}, fmt.Errorf("%w: %s", ErrNoData, c.String(loc))
	}
	last := c.Last
	if now.Before(last) {
		last = now
	}
	p := PeriodOf(grain, last.In(loc))
	if p.End.After(now) && p.Previous().End.After(c.First) {
		p = p.Previous()
	}
	return c.Check(p, now, false)
}

// Check decides whether period p can be reported on, and says how: a
// future period, or one the data does not reach, is refused (unless
// allowEmpty) with what the data covers; a period not over yet ends now
// and is marked in progress; one the data stops inside carries DataEnds.
func (c Coverage) Check(p Period, now time.Time, allowEmpty bool) (Period, error) {
	loc := p.Start.Location()
	if !p.Start.Before(now) && !allowEmpty {
		return p, fmt.Errorf("%w: %s is in the future; %s", ErrNoData, p.Label, c.String(loc))
	}
	if p.End.After(now) {
		p.End, p.InProgress = now.In(loc), true
	}
	covered := !c.Empty() && c.First.Before(p.End) && !c.Last.Before(p.Start)
	if !covered && !allowEmpty {
		return p, fmt.Errorf("%w for %s; %s (--allow-empty reports it anyway)", ErrNoData, p.Label, c.String(loc))
	}
	if covered && c.Last.Before(p.End) && !p.InProgress && p.End.Sub(c.Last) > 24*time.Hour {
		// A quiet last day is normal; data that stops earlier is not.
		p.DataEnds = c.Last
	}
	return p, nil
}

// Describe is the period as a person reads it, with its qualifiers.
func (p Period) Describe() string {
	const day = "2006-01-02"
	s := fmt.Sprintf("%s (%s to %s, %s)", p.Label, p.Start.Format(day), p.End.Add(-time.Nanosecond).Format(day), p.Start.Location())
	switch {
	case p.InProgress:
		s += ", in progress: up to " + p.End.Format("2006-01-02 15:04")
	case !p.DataEnds.IsZero():
		s += ", partial: the data ends " + p.DataEnds.In(p.Start.Location()).Format("2006-01-02 15:04")
	}
	return s
}
