package metrics_test

import (
	"context"
	"io/fs"
	"regexp"
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
		{"bad format", strings.Replace(goodHeader, "format: count", "format: percentage", 1) + goodSQL,
			`probe.sql:9: column n: format "percentage": want count, ratio, percent, minutes, currency, score, decimal, text`},
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
		{"declared column never returned", goodHeader + strings.Replace(goodSQL, "AS n", "AS n, 1 AS extra", 1) + "",
			`probe.sql:8: the SQL returns extra, which columns does not declare`},
		{"lacks declared column", goodHeader + strings.Replace(goodSQL, "AS n", "AS count", 1),
			`probe.sql:9: column n is declared but the SQL never returns it (it returns group_id, group_name, count)`},
		{"no all-groups row", goodHeader + strings.Replace(goodSQL, "GROUPING SETS ((g.group_id, g.group_name), ())", "g.group_id, g.group_name", 1),
			`probe.sql:15: no all-groups row (group_id NULL)`},
		{"UTC day", goodHeader + strings.Replace(goodSQL, "m.ts < $end", "m.ts < $end AND m.ts::DATE > DATE '2020-01-01'", 1),
			`probe.sql:14: ::DATE cuts by the UTC clock`},
		{"UTC date_trunc", goodHeader + strings.Replace(goodSQL, "count(m.message_id)", "count(DISTINCT date_trunc('day', m.ts))", 1),
			`probe.sql:12: date_trunc( cuts by the UTC clock`},
		{"UTC strftime", goodHeader + strings.Replace(goodSQL, "count(m.message_id)", "count(DISTINCT strftime(m.ts, '%Y-%m-%d'))", 1),
			`probe.sql:12: strftime( cuts by the UTC clock`},
		{"UTC cast", goodHeader + strings.Replace(goodSQL, "count(m.message_id)", "count(DISTINCT CAST(m.ts AS DATE))", 1),
			`probe.sql:12: CAST(m.ts AS DATE) cuts by the UTC clock`},
		{"local day", strings.Replace(goodHeader, "[start, end, group]", "[start, end, group, tz]", 1) +
			strings.Replace(goodSQL, "count(m.message_id)", "count(DISTINCT timezone($tz, m.ts)::DATE)", 1), ""},
		{"a date literal", goodHeader + strings.Replace(goodSQL, "m.ts < $end", "m.ts < $end AND $start > '2020-01-01'::DATE", 1), ""},
		{"UTC on purpose", goodHeader + strings.Replace(goodSQL, "m.ts < $end", "m.ts < $end AND m.ts::DATE > DATE '2020-01-01' -- ckpi: utc", 1), ""},
	}
	// A metric whose rows are accounts: declared, and kept from the places
	// made for groups.
	rowsHeader := strings.NewReplacer("[start, end, group]", "[start, end]",
		"-- columns:", "-- rows: {of: account, label: {en: Account, zh: 公众号}, all: {en: All accounts, zh: 全部公众号}}\n-- columns:").Replace(goodHeader)
	rowsSQL := `SELECT account_id AS group_id, name AS group_name, count(f.day) AS n
FROM accounts a
LEFT JOIN account_follows f USING (account_id)
WHERE f.day IS NULL OR (f.day >= $start AND f.day < $end)
GROUP BY GROUPING SETS ((account_id, name), ())
`
	cases = append(cases, []struct {
		name string
		src  string
		want string
	}{
		{"rows of accounts", rowsHeader + rowsSQL, ""},
		{"rows of groups", strings.Replace(rowsHeader, "of: account", "of: group", 1) + rowsSQL,
			`probe.sql:8: rows of "group": name what a row is`},
		{"rows without all", strings.Replace(rowsHeader, ", all: {en: All accounts, zh: 全部公众号}", "", 1) + rowsSQL,
			`probe.sql:8: rows: give label`},
		{"rows and $group", strings.Replace(rowsHeader, "[start, end]", "[start, end, group]", 1) + strings.Replace(rowsSQL, "$end", "$end AND $group IS NULL", 1),
			`probe.sql:5: rows of account: $group selects groups`},
		{"rows in the groups table", strings.Replace(rowsHeader, "all: total,", "all: total, groups: {order: 5},", 1) + rowsSQL,
			`probe.sql:10: column n: the groups table lists groups, and this metric's rows are accounts`},
		{"rows with needs", strings.Replace(rowsHeader, "all: total,", "all: total, needs: [orders],", 1) + rowsSQL,
			`probe.sql:10: column n: needs says what a group's data must hold`},
	}...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := metrics.Validate(ctx, "metrics/probe.sql", []byte(c.src), time.UTC, db)
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("valid file refused: %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("err = %v, want %q", err, c.want)
			case err != nil:
				for _, line := range strings.Split(err.Error(), "\n") {
					if !fileLine.MatchString(line) {
						t.Fatalf("%q does not start with the file and line", line)
					}
				}
			}
		})
	}
}

// TestValidateRatioOnFixture: a ratio column that is not a share (one more
// than the messages, here) is caught on the fixture database, naming the
// column's line, though on an empty database it reads 1.
func TestValidateRatioOnFixture(t *testing.T) {
	ctx := context.Background()
	empty, err := queries.Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer empty.Close()
	src := strings.Replace(goodHeader, "format: count, good: up, all: total", "format: ratio, good: up, all: pooled", 1) +
		strings.Replace(goodSQL, "count(m.message_id) AS n", "count(m.message_id) + 1.0 AS n", 1)
	if _, err := metrics.Validate(ctx, "metrics/probe.sql", []byte(src), shanghai, empty); err != nil {
		t.Fatalf("empty database: %v", err)
	}
	_, err = metrics.Validate(ctx, "metrics/probe.sql", []byte(src), shanghai, empty, communityDB(t))
	if err == nil || !strings.HasPrefix(err.Error(), "metrics/probe.sql:9: column n is a ratio but reads ") || !strings.Contains(err.Error(), "a rate lies in [0, 1]") {
		t.Fatalf("err = %v", err)
	}
	// A percent (a growth rate) may fall outside [0, 1].
	grow := strings.Replace(src, "format: ratio", "format: percent", 1)
	if _, err := metrics.Validate(ctx, "metrics/probe.sql", []byte(grow), shanghai, empty, communityDB(t)); err != nil {
		t.Errorf("percent: %v", err)
	}
	// Every built-in metric passes every check on the fixture database.
	for _, d := range builtins(t).All() {
		src, err := fs.ReadFile(queries.Metrics(), strings.TrimPrefix(d.File, "queries/metrics/"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := metrics.Validate(ctx, d.File, src, shanghai, empty, communityDB(t)); err != nil {
			t.Errorf("%v", err)
		}
	}
}

var fileLine = regexp.MustCompile(`^metrics/probe\.sql:\d+: `)

func mustTemplate(t *testing.T, name string) string {
	t.Helper()
	src, err := metrics.Template(name)
	if err != nil {
		t.Fatal(err)
	}
	return src
}
