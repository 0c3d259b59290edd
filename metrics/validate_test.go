package metrics_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ckpi/ckpi/metrics"
	"github.com/ckpi/ckpi/queries"
)

// goodHeader is 11 lines: the SQL starts on line 12.
const goodHeader = `-- ---
-- name: probe
-- title: {en: Probe, zh: 探针}
-- grain: week
-- params: [start, end, group]
-- value: n
-- description: {en: Messages in the period., zh: 本期消息数。}
-- columns:
--   - {name: n, format: count, good: up, all: total,
--      label: {en: Messages, zh: 消息数}, about: {en: Messages in the period., zh: 本期消息数。}}
-- ---
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
		{"old header", "-- name: probe\n-- title: Probe\n" + goodSQL,
			`probe.sql:1: a header of '-- key: value' lines is the old format`},
		{"no header", "SELECT 1 AS n\n", `probe.sql:1: a metric starts with its header`},
		{"not closed", strings.TrimSuffix(goodHeader, "-- ---\n"), `probe.sql:10: the header is not closed`},
		{"SQL inside the header", strings.TrimSuffix(goodHeader, "-- ---\n") + goodSQL,
			`probe.sql:11: the header must end with a '-- ---' line`},
		{"missing field", strings.Replace(goodHeader, "-- grain: week\n", "", 1) + goodSQL,
			`probe.sql:2: grain missing: want day, week, month`},
		{"unknown field", strings.Replace(goodHeader, "-- grain: week\n", "-- grain: week\n-- owner: ops\n", 1) + goodSQL,
			`probe.sql:5: header: unknown field "owner"`},
		{"misspelt column field", strings.Replace(goodHeader, "label:", "lable:", 1) + goodSQL,
			`probe.sql:10: header.columns: unknown field "lable"`},
		{"one language", strings.Replace(goodHeader, ", zh: 探针", "", 1) + goodSQL,
			`probe.sql:3: title: give it in English and Chinese`},
		{"no explanation", strings.Replace(goodHeader, ", about: {en: Messages in the period., zh: 本期消息数。}", "", 1) + goodSQL,
			`probe.sql:9: column n: give its one-line explanation in English and Chinese`},
		{"bad format", strings.Replace(goodHeader, "format: count", "format: percent", 1) + goodSQL,
			`probe.sql:9: column n: format "percent": want count, ratio, minutes, currency, score, decimal, text`},
		{"no rollup", strings.Replace(goodHeader, " all: total,", "", 1) + goodSQL,
			`probe.sql:9: column n: say how its all-groups row is formed`},
		{"bad YAML", strings.Replace(goodHeader, "[start, end, group]", "[start, end", 1) + goodSQL,
			`probe.sql:`},
		{"unknown parameter", strings.Replace(goodHeader, "[start, end, group]", "[start, end, group, city]", 1) + goodSQL,
			`probe.sql:5: unknown parameter "city"`},
		{"undeclared parameter", goodHeader + strings.Replace(goodSQL, "$start", "$since", 1),
			`probe.sql:5: the SQL uses $since, which params does not declare`},
		{"declared but unused", goodHeader + strings.Replace(goodSQL, " AND m.ts >= $start", "", 1),
			`probe.sql:5: params declares "start" but the SQL never uses $start`},
		{"bad grain", strings.Replace(goodHeader, "grain: week", "grain: year", 1) + goodSQL,
			`probe.sql:4: grain "year"`},
		{"name mismatch", strings.Replace(goodHeader, "name: probe", "name: other", 1) + goodSQL,
			`probe.sql:2: name "other" must match the file name "probe"`},
		{"value not a column", strings.Replace(goodHeader, "value: n", "value: m", 1) + goodSQL,
			`probe.sql:6: value column "m" is not in columns`},
		{"does not parse", goodHeader + strings.Replace(goodSQL, "LEFT JOIN", "LEFT JION", 1),
			`probe.sql:13: Parser Error`},
		{"unknown column", goodHeader + strings.Replace(goodSQL, "count(m.message_id)", "count(m.msg_id)", 1),
			`probe.sql:12: Binder Error`},
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
