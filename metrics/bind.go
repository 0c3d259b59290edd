package metrics

import (
	"database/sql"
	"fmt"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/ckpi/ckpi/queries"
)

// Args binds the parameters a statement uses, by name, each with its type:
// $start and $end as TIMESTAMP holding the UTC instants of the period's
// bounds, $group as VARCHAR (NULL: every group), $tz as the VARCHAR name of
// the zone the period is cut in. Left to infer a type, DuckDB may take a
// time for TIMESTAMPTZ and read every stored timestamp in the session's
// zone, which is both wrong and about ten times slower. It is the one
// binder of metric files and of the report's own queries.
func Args(text string, p Params) ([]any, error) {
	var args []any
	for _, name := range queries.Params(text) {
		switch name {
		case "start":
			args = append(args, sql.Named("start", duckdb.Typed(p.Period.Start.UTC(), duckdb.TYPE_TIMESTAMP)))
		case "end":
			args = append(args, sql.Named("end", duckdb.Typed(p.Period.End.UTC(), duckdb.TYPE_TIMESTAMP)))
		case "group":
			var g any
			if p.Group != nil {
				g = *p.Group
			}
			args = append(args, sql.Named("group", duckdb.Typed(g, duckdb.TYPE_VARCHAR)))
		case "tz":
			args = append(args, sql.Named("tz", duckdb.Typed(ZoneName(p.Period.Start), duckdb.TYPE_VARCHAR)))
		default:
			return nil, fmt.Errorf("unknown parameter $%s (known: $start, $end, $group, $tz)", name)
		}
	}
	return args, nil
}

// ZoneName is the IANA name DuckDB knows the zone of t by. The machine's
// own zone ("Local") has none: it is taken as its offset at t, a fixed
// Etc/GMT zone (whose sign is inverted by convention) when in whole hours.
func ZoneName(t time.Time) string {
	name := t.Location().String()
	if name != "Local" && name != "" {
		return name
	}
	_, off := t.Zone()
	if off%3600 != 0 {
		return "UTC"
	}
	switch h := off / 3600; {
	case h > 0:
		return fmt.Sprintf("Etc/GMT-%d", h)
	case h < 0:
		return fmt.Sprintf("Etc/GMT+%d", -h)
	}
	return "UTC"
}
