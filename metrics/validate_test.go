package metrics_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ckpi/ckpi/metrics"
	"github.com/ckpi/ckpi/queries"
)

const goodHeader = `-- name: probe
-- title: Probe
-- unit: messages
-- grain: week
-- direction: up
-- value: n
-- params: start, end, group
-- columns: group_id, group_name, n
-- description: Messages in the period.
`

const goodSQL = `SELECT g.group_id, g.group_name, count(m.message_id) AS n
FROM selected_groups($group) g
LEFT JOIN messages m ON m.group_id = g.group_id AND m.ts >= $start AND m.ts < $end
GROUP BY GROUPING SETS ((g.group_id, g.group_name), ())
`

func TestValidate(t *testing.T) {
	ctx := context.Background()
	db, err := queries.Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cases := []struct {
		name string
		src  string
		want string // "" = valid
	}{
		{"valid", goodHeader + goodSQL, ""},
		{"template", mustTemplate(t, "probe"), ""},
		{"missing field", strings.Replace(goodHeader, "-- unit: messages\n", "", 1) + goodSQL,
			`probe.sql:1: header lacks "unit"`},
		{"unknown field", strings.Replace(goodHeader, "-- grain: week\n", "-- grain: week\n-- owner: ops\n", 1) + goodSQL,
			`probe.sql:5: unknown header field "owner"`},
		{"unknown parameter", strings.Replace(goodHeader, "params: start, end, group", "params: start, end, group, city", 1) + goodSQL,
			`probe.sql:7: unknown parameter "city"`},
		{"undeclared parameter", goodHeader + strings.Replace(goodSQL, "$start", "$since", 1),
			`probe.sql:7: the SQL uses $since, which params does not declare`},
		{"declared but unused", goodHeader + strings.Replace(goodSQL, " AND m.ts >= $start", "", 1),
			`probe.sql:7: params declares "start" but the SQL never uses $start`},
		{"bad grain", strings.Replace(goodHeader, "grain: week", "grain: year", 1) + goodSQL,
			`probe.sql:4: grain "year"`},
		{"name mismatch", strings.Replace(goodHeader, "name: probe", "name: other", 1) + goodSQL,
			`probe.sql:1: name "other" must match the file name "probe"`},
		{"does not parse", goodHeader + strings.Replace(goodSQL, "LEFT JOIN", "LEFT JION", 1),
			`probe.sql:12: Parser Error`},
		{"unknown column", goodHeader + strings.Replace(goodSQL, "count(m.message_id)", "count(m.msg_id)", 1),
			`probe.sql:10: Binder Error`},
		{"lacks declared column", goodHeader + strings.Replace(goodSQL, "AS n", "AS count", 1),
			`probe.sql: result lacks declared column "n"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := metrics.Validate(ctx, "metrics/probe.sql", []byte(c.src), time.UTC, db)
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("valid file refused: %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("err = %v, want %q", err, c.want)
			case err != nil && strings.Contains(err.Error(), "\n"):
				t.Fatalf("error is not one line: %q", err)
			}
		})
	}
}

func mustTemplate(t *testing.T, name string) string {
	t.Helper()
	src, err := metrics.Template(name)
	if err != nil {
		t.Fatal(err)
	}
	return src
}
