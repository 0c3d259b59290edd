package risk

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/ckpi/ckpi/queries"
)

// Violation is one stored violation with its place on the ladder.
type Violation struct {
	ID       int64
	Time     time.Time // UTC
	Group    string
	Platform string
	UID      string
	Member   string // display name
	Rule     string
	Category string
	Severity string
	Strike   *int64  // nil for rules that do not climb the ladder
	Step     *string // warning | public_notice_mute | removal ...
	Acted    *bool   // removal step: was the member removed afterwards; nil otherwise
	Evidence string
	Text     string // the message, "" for nickname rules
}

// Filter chooses violations, alerts or pending actions: a time range (zero
// times are open ends) and a group (nil: all).
type Filter struct {
	Start, End time.Time
	Group      *string
}

func (f Filter) args() []any {
	return []any{sql.Named("start", timeArg(f.Start)), sql.Named("end", timeArg(f.End)), sql.Named("group", strArg(f.Group))}
}

// Report lists the violations of the filter, oldest first: one row per
// violation, with its strike, step and whether staff acted.
func Report(ctx context.Context, db *sql.DB, f Filter) ([]Violation, error) {
	rows, err := db.QueryContext(ctx, queries.Risk("report"), f.args()...)
	if err != nil {
		return nil, fmt.Errorf("queries/risk/report.sql: %w", err)
	}
	defer rows.Close()
	var out []Violation
	for rows.Next() {
		var v Violation
		var strike sql.NullInt64
		var step sql.NullString
		var acted sql.NullBool
		if err := rows.Scan(&v.ID, &v.Time, &v.Group, &v.Platform, &v.UID, &v.Member, &v.Rule, &v.Category,
			&v.Severity, &strike, &step, &acted, &v.Evidence, &v.Text); err != nil {
			return nil, err
		}
		if strike.Valid {
			v.Strike = &strike.Int64
		}
		if step.Valid {
			v.Step = &step.String
		}
		if acted.Valid {
			v.Acted = &acted.Bool
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Action is something staff still owe: a member on the removal step who is
// still in the group.
type Action struct {
	Time     time.Time // the offence, UTC
	Group    string
	Platform string
	UID      string
	Member   string
	Strike   int64
	Step     string
	Rule     string // of the offence's first violation
	Evidence string
}

// Pending lists the actions staff owe at the instant at, newest first.
func Pending(ctx context.Context, db *sql.DB, at time.Time, group *string) ([]Action, error) {
	rows, err := db.QueryContext(ctx, queries.Risk("pending"), sql.Named("at", tsText(at)), sql.Named("group", strArg(group)))
	if err != nil {
		return nil, fmt.Errorf("queries/risk/pending.sql: %w", err)
	}
	defer rows.Close()
	var out []Action
	for rows.Next() {
		var a Action
		if err := rows.Scan(&a.Time, &a.Group, &a.Platform, &a.UID, &a.Member, &a.Strike, &a.Step, &a.Rule, &a.Evidence); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// LastScan is when the last scan ran (UTC), and false when none has.
func LastScan(ctx context.Context, db *sql.DB) (time.Time, bool, error) {
	var t sql.NullTime
	if err := db.QueryRowContext(ctx, `SELECT max(finished_at) FROM risk_scans`).Scan(&t); err != nil {
		return time.Time{}, false, err
	}
	return t.Time, t.Valid, nil
}
