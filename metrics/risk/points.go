package risk

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/ckpi/ckpi/queries"
)

// Standing is a member's balance in a group.
type Standing struct {
	Group       string
	Platform    string
	UID         string
	Member      string
	Balance     int64
	LastMessage *time.Time // UTC; nil when the member never spoke
	DaysSilent  *int64     // since the last message, or since joining
	Rank        int64      // within the group, by balance
	// Reasons the member is a candidate for elimination; empty when not.
	Reasons []string
}

// Board lists the members of each group at the instant at with their
// points (the rules' initial points plus the ledger), ranked within the
// group, and marks the elimination candidates: balance below the rules'
// threshold, or silent for their number of days.
func Board(ctx context.Context, db *sql.DB, rules *Rules, at time.Time, group *string) ([]Standing, error) {
	rows, err := db.QueryContext(ctx, queries.Risk("points_board"),
		sql.Named("at", tsText(at)), sql.Named("group", strArg(group)), sql.Named("initial", int64(rules.Points.Initial)))
	if err != nil {
		return nil, fmt.Errorf("queries/risk/points_board.sql: %w", err)
	}
	defer rows.Close()
	var out []Standing
	for rows.Next() {
		var s Standing
		var last sql.NullTime
		var silent sql.NullInt64
		if err := rows.Scan(&s.Group, &s.Platform, &s.UID, &s.Member, &s.Balance, &last, &silent, &s.Rank); err != nil {
			return nil, err
		}
		if last.Valid {
			s.LastMessage = &last.Time
		}
		if silent.Valid {
			s.DaysSilent = &silent.Int64
		}
		if s.Balance < int64(rules.Elimination.Below) {
			s.Reasons = append(s.Reasons, fmt.Sprintf("balance %d below %d", s.Balance, rules.Elimination.Below))
		}
		if d := rules.Elimination.SilentDays; d > 0 && s.DaysSilent != nil && *s.DaysSilent >= int64(d) {
			if s.LastMessage == nil {
				s.Reasons = append(s.Reasons, fmt.Sprintf("never spoke in %d days", *s.DaysSilent))
			} else {
				s.Reasons = append(s.Reasons, fmt.Sprintf("silent for %d days", *s.DaysSilent))
			}
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
