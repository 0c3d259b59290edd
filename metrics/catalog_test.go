package metrics_test

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ckpi/ckpi/metrics"
	"github.com/ckpi/ckpi/queries"
)

// This file holds the helpers of the catalogue tests (a tiny hand-made
// database per test, rows inserted with SQL) and the tests every built-in
// metric must pass: it loads, runs on an empty database, on groups without
// data and on the QQ fixture, returns one row per group plus the all-groups
// row, and never a NaN or an infinity. The kpi_*_test.go files check each
// metric's numbers, worked out by hand in their comments.

// The first-release catalogue: each metric's headline column and which way is good.
var catalogue = []struct{ name, value, direction string }{
	{"activity_frequency", "activities_per_week", "up"},
	{"conversion", "conversion_rate", "up"},
	{"engagement", "stickiness", "up"},
	{"growth", "net_growth", "up"},
	{"health", "health_score", "up"},
	{"onboarding", "intro_rate", "up"},
	{"participation", "participation_rate", "up"},
	{"repurchase", "repurchase_rate_90d", "up"},
	{"responsiveness", "median_minutes_to_response", "down"},
	{"retention", "retained_w4", "up"},
}

// kpiWorld is a fresh database that a test fills row by row. Times are
// written as local Shanghai wall time ("2026-11-16 09:30") and stored as
// UTC, the way the loader stores them.
type kpiWorld struct {
	t      *testing.T
	db     *sql.DB
	nextID int64
}

func newWorld(t *testing.T) *kpiWorld {
	t.Helper()
	db, err := queries.Open(context.Background(), filepath.Join(t.TempDir(), "kpi.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &kpiWorld{t: t, db: db}
}

func (w *kpiWorld) exec(q string, args ...any) {
	w.t.Helper()
	if _, err := w.db.Exec(q, args...); err != nil {
		w.t.Fatalf("%s: %v", q, err)
	}
}

func (w *kpiWorld) id() int64 { w.nextID++; return w.nextID }

// utc turns local Shanghai wall time into the stored UTC wall time.
func (w *kpiWorld) utc(local string) string {
	w.t.Helper()
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, local, shanghai); err == nil {
			return t.UTC().Format("2006-01-02 15:04:05")
		}
	}
	w.t.Fatalf("bad local time %q", local)
	return ""
}

func (w *kpiWorld) group(id int64, name string) {
	w.exec(`INSERT INTO groups (group_id, platform, external_id, name) VALUES (?, 'qq', ?, ?)`, id, fmt.Sprint(id), name)
}

func (w *kpiWorld) groupWithPattern(id int64, name, pattern string) {
	w.exec(`INSERT INTO groups (group_id, platform, external_id, name, name_pattern) VALUES (?, 'qq', ?, ?, ?)`, id, fmt.Sprint(id), name, pattern)
}

// member adds a person; an empty customer key stays NULL.
func (w *kpiWorld) member(id int64, name, customer string) {
	var key any
	if customer != "" {
		key = customer
	}
	w.exec(`INSERT INTO members (member_id, platform, platform_uid, display_name, customer_key) VALUES (?, 'qq', ?, ?, ?)`, id, fmt.Sprint(id), name, key)
}

// nameInGroup records a name the member was seen under in a group.
func (w *kpiWorld) nameInGroup(member, group int64, name, local string) {
	w.exec(`UPDATE member_names SET first_seen = least(first_seen, ?::TIMESTAMP) WHERE member_id = ? AND group_id = ? AND name = ?`,
		w.utc(local), member, group, name)
	w.exec(`INSERT INTO member_names (member_id, group_id, name, first_seen, last_seen) SELECT ?, ?, ?, ?::TIMESTAMP, ?::TIMESTAMP
		WHERE NOT EXISTS (SELECT 1 FROM member_names WHERE member_id = ? AND group_id = ? AND name = ?)`,
		member, group, name, w.utc(local), w.utc(local), member, group, name)
}

// event is a join, leave or removed.
func (w *kpiWorld) event(group, member int64, local, kind string) {
	w.exec(`INSERT INTO membership_events (event_id, group_id, member_id, ts, kind, source) VALUES (?, ?, ?, ?::TIMESTAMP, ?, CASE WHEN ? = 'join' THEN 'link' END)`,
		w.id(), group, member, w.utc(local), kind, kind)
}

func (w *kpiWorld) join(group, member int64, local string)  { w.event(group, member, local, "join") }
func (w *kpiWorld) leave(group, member int64, local string) { w.event(group, member, local, "leave") }

// say adds a text message; msg any kind, with mentions.
func (w *kpiWorld) say(group, member int64, local, text string) {
	w.msg(group, member, local, "text", text)
}

func (w *kpiWorld) msg(group, member int64, local, kind, text string, mentions ...string) {
	var list any
	if len(mentions) > 0 {
		list = strings.Join(mentions, "\x1f")
	}
	w.exec(`INSERT INTO messages (message_id, group_id, member_id, ts, source_tz, kind, text, mentions)
		VALUES (?, ?, ?, ?::TIMESTAMP, 'Asia/Shanghai', ?, ?, string_split(?::VARCHAR, chr(31)))`,
		w.id(), group, member, w.utc(local), kind, text, list)
	// The loader notes each sender's names in the group with when they
	// were first and last seen: a message is evidence of membership. Names
	// a test set with nameInGroup are kept; a sender without one gets their
	// display name.
	if kind != "system" && member != 0 {
		w.exec(`UPDATE member_names SET last_seen = greatest(last_seen, ?::TIMESTAMP)
			WHERE member_id = ? AND group_id = ? AND first_seen <= ?::TIMESTAMP`, w.utc(local), member, group, w.utc(local))
		w.exec(`INSERT INTO member_names (member_id, group_id, name, first_seen, last_seen) SELECT ?, ?, coalesce(display_name, ''), ?::TIMESTAMP, ?::TIMESTAMP FROM members m
			WHERE m.member_id = ? AND NOT EXISTS (SELECT 1 FROM member_names n WHERE n.member_id = ? AND n.group_id = ?)`,
			member, group, w.utc(local), w.utc(local), member, member, group)
	}
}

func (w *kpiWorld) order(id, customer, local string, amount float64, status string) {
	w.exec(`INSERT INTO orders (order_id, customer_key, ts, amount, currency, status) VALUES (?, ?, ?::TIMESTAMP, ?, 'CNY', ?)`,
		id, customer, w.utc(local), amount, status)
}

func (w *kpiWorld) activity(group int64, local, typ string) {
	w.exec(`INSERT INTO activities (activity_id, group_id, ts, type, origin) VALUES (?, ?, ?::TIMESTAMP, ?, 'schedule')`,
		w.id(), group, w.utc(local), typ)
}

// staff marks a member as staff of one group, or of every group when group is 0.
func (w *kpiWorld) staff(member, group int64, role string) {
	var g any
	if group != 0 {
		g = group
	}
	w.exec(`INSERT INTO staff (member_id, group_id, role) VALUES (?, ?, ?)`, member, g, role)
}

var loadedCatalog *metrics.Catalog

func builtins(t *testing.T) *metrics.Catalog {
	t.Helper()
	if loadedCatalog == nil {
		c, err := metrics.LoadCatalog("")
		if err != nil {
			t.Fatal(err)
		}
		loadedCatalog = c
	}
	return loadedCatalog
}

func builtin(t *testing.T, name string) *metrics.Definition {
	t.Helper()
	d, err := builtins(t).Get(name)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// runPeriod runs a built-in metric for a period label of its grain (an ISO
// week unless grain says otherwise), in Shanghai time, on every group.
func runPeriod(t *testing.T, db *sql.DB, name string, grain metrics.Grain, label string, group *string) *metrics.Result {
	t.Helper()
	p, err := metrics.ParsePeriod(grain, label, shanghai)
	if err != nil {
		t.Fatal(err)
	}
	rederive(t, db)
	res, err := metrics.Run(context.Background(), db, builtin(t, name), metrics.Params{Period: p, Group: group})
	if err != nil {
		t.Fatal(err)
	}
	checkShape(t, res)
	return res
}

// rederive derives memberships from the rows a test inserted by hand, as
// the loader does after a load.
func rederive(t *testing.T, db *sql.DB) {
	t.Helper()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := queries.Rederive(context.Background(), conn, "SELECT group_id FROM groups"); err != nil {
		t.Fatal(err)
	}
}

func (w *kpiWorld) week(name, week string) *metrics.Result {
	w.t.Helper()
	return runPeriod(w.t, w.db, name, metrics.GrainWeek, week, nil)
}

// checkShape: the declared columns in order, the all-groups row first and
// only once, and no NaN or infinity anywhere.
func checkShape(t *testing.T, res *metrics.Result) {
	t.Helper()
	if !slices.Equal(res.Columns, res.Metric.Columns) {
		t.Errorf("%s: columns %v, header declares %v", res.Metric.Name, res.Columns, res.Metric.Columns)
	}
	totals := 0
	for i, row := range res.Rows {
		if row[0] == nil {
			totals++
			if i != 0 {
				t.Errorf("%s: the all-groups row is row %d, want first", res.Metric.Name, i)
			}
		}
		for j, v := range row {
			if f, ok := v.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
				t.Errorf("%s: %s = %v in row %d", res.Metric.Name, res.Columns[j], f, i)
			}
		}
	}
	if totals != 1 {
		t.Errorf("%s: %d all-groups rows, want 1", res.Metric.Name, totals)
	}
}

// groupRow is the row of the group named name; "" is the all-groups row.
func groupRow(t *testing.T, res *metrics.Result, name string) map[string]any {
	t.Helper()
	if name == "" {
		return res.Total()
	}
	for _, r := range res.ByGroup() {
		if r["group_name"] == name {
			return r
		}
	}
	t.Fatalf("%s: no row for group %q", res.Metric.Name, name)
	return nil
}

// expect compares a row's columns: a float64 within 1e-9 (integers
// compare as numbers), nil for SQL NULL, or a string or bool as is.
func expect(t *testing.T, res *metrics.Result, group string, want map[string]any) {
	t.Helper()
	row := groupRow(t, res, group)
	label := group
	if label == "" {
		label = "all groups"
	}
	for _, col := range sortedKeys(want) {
		w := want[col]
		got, ok := row[col]
		if !ok {
			t.Errorf("%s [%s]: no column %q", res.Metric.Name, label, col)
			continue
		}
		switch wv := w.(type) {
		case nil:
			if got != nil {
				t.Errorf("%s [%s]: %s = %v, want NULL", res.Metric.Name, label, col, got)
			}
		case float64:
			if got == nil {
				t.Errorf("%s [%s]: %s = NULL, want %v", res.Metric.Name, label, col, wv)
			} else if g := number(got); math.Abs(g-wv) > 1e-9 {
				t.Errorf("%s [%s]: %s = %v, want %v", res.Metric.Name, label, col, got, wv)
			}
		default:
			if !reflect.DeepEqual(got, w) {
				t.Errorf("%s [%s]: %s = %#v, want %#v", res.Metric.Name, label, col, got, w)
			}
		}
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func TestCatalogueLoads(t *testing.T) {
	cat, err := metrics.LoadCatalog("")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range cat.All() {
		names = append(names, d.Name)
	}
	for _, c := range catalogue {
		d, err := cat.Get(c.name)
		if err != nil {
			t.Errorf("%v (have %v)", err, names)
			continue
		}
		if d.Value != c.value || string(d.Direction()) != c.direction {
			t.Errorf("%s: value %s direction %s, want %s %s", c.name, d.Value, d.Direction(), c.value, c.direction)
		}
		if !slices.Equal(d.Params, []string{"start", "end", "group"}) {
			t.Errorf("%s: params %v", c.name, d.Params)
		}
		if d.Columns[0] != "group_id" || d.Columns[1] != "group_name" {
			t.Errorf("%s: columns must start with group_id, group_name: %v", c.name, d.Columns)
		}
	}
}

// On an empty database every built-in metric runs and gives just the
// all-groups row, with ratios NULL (not NaN).
func TestEveryMetricOnEmptyDatabase(t *testing.T) {
	db, err := queries.Open(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, d := range builtins(t).All() {
		res := runPeriod(t, db, d.Name, metrics.GrainWeek, "2026-W47", nil)
		if len(res.Rows) != 1 {
			t.Errorf("%s: %d rows on an empty database, want the all-groups row", d.Name, len(res.Rows))
		}
		if v := res.Total()[d.Value]; v != nil && number(v) != 0 {
			t.Errorf("%s: %s = %v on an empty database", d.Name, d.Value, v)
		}
	}
}

// Groups with no members, messages or orders: a row each, counts zero,
// ratios NULL. Also a group filter that matches nothing.
func TestEveryMetricOnGroupsWithoutData(t *testing.T) {
	w := newWorld(t)
	w.group(1, "空群一")
	w.group(2, "空群二")
	nobody := "no such group"
	for _, d := range builtins(t).All() {
		if !d.GroupRows() {
			continue // its rows are an account's or articles (kpi_carriers_test.go)
		}
		for _, grain := range []struct {
			grain metrics.Grain
			label string
		}{{metrics.GrainWeek, "2026-W47"}, {metrics.GrainMonth, "2026-11"}, {metrics.GrainDay, "2026-11-23"}} {
			res := runPeriod(t, w.db, d.Name, grain.grain, grain.label, nil)
			if len(res.ByGroup()) != 2 {
				t.Errorf("%s %s: %d group rows, want 2", d.Name, grain.label, len(res.ByGroup()))
			}
		}
		one := "空群二"
		if res := runPeriod(t, w.db, d.Name, metrics.GrainWeek, "2026-W47", &one); len(res.ByGroup()) != 1 || res.ByGroup()[0]["group_name"] != one {
			t.Errorf("%s --group %s: %v", d.Name, one, res.Rows)
		}
		if res := runPeriod(t, w.db, d.Name, metrics.GrainWeek, "2026-W47", &nobody); len(res.Rows) != 1 {
			t.Errorf("%s --group %q: %d rows, want only the all-groups row", d.Name, nobody, len(res.Rows))
		}
	}
	// Spot checks: zero counts, NULL ratios.
	expect(t, w.week("engagement", "2026-W47"), "空群一", map[string]any{
		"members_end": 0.0, "dau": 0.0, "stickiness": nil, "top10_share": nil, "silent_share": nil})
	expect(t, w.week("retention", "2026-W47"), "", map[string]any{"cohort_size": 0.0, "retained_w1": nil, "spoke_w4": nil})
	// No order was loaded at all: buyers, revenue and conversion are
	// unknown, not 0.
	expect(t, w.week("repurchase", "2026-W47"), "空群一", map[string]any{
		"buyers": nil, "repurchase_rate": nil, "revenue": nil, "revenue_per_member": nil})
	expect(t, w.week("conversion", "2026-W47"), "", map[string]any{
		"joined": 0.0, "converted": nil, "conversion_rate": nil})
	expect(t, w.week("responsiveness", "2026-W47"), "", map[string]any{
		"questions": 0.0, "answered_share": nil, "median_minutes_to_response": nil})
	expect(t, w.week("onboarding", "2026-W47"), "空群二", map[string]any{"newcomers": 0.0, "intro_rate": nil, "nickname_compliance": nil})
	expect(t, w.week("activity_frequency", "2026-W47"), "空群一", map[string]any{"activities": 0.0, "activities_per_week": 0.0, "weeks_without_activity": 4.0})
	expect(t, w.week("health", "2026-W47"), "空群一", map[string]any{
		"size_band": "empty", "health_score": 0.0, "participation_rate": nil, "needs_attention": true,
		"attention_reason": "no members; no activity for 2+ weeks"})
}

// The QQ fixture community (one group, 2026-W47; see metrics_test.go and
// testdata/qq) through the new metrics, worked out from the export by hand.
func TestCatalogueOnQQFixture(t *testing.T) {
	db := communityDB(t)
	for _, d := range builtins(t).All() {
		res := runPeriod(t, db, d.Name, metrics.GrainWeek, "2026-W47", nil)
		if !d.GroupRows() {
			if len(res.ByGroup()) != 0 {
				t.Errorf("%s: %d rows without an official account", d.Name, len(res.ByGroup()))
			}
			continue
		}
		if len(res.ByGroup()) != 1 {
			t.Errorf("%s: %d group rows, want 1", d.Name, len(res.ByGroup()))
		}
	}
	week := func(name string) *metrics.Result { return runPeriod(t, db, name, metrics.GrainWeek, "2026-W47", nil) }

	// Speakers of the week (staff 小美 excluded, 李娜's recall not counted):
	// 张伟 4 messages on Mon 00:30, Tue (two stickers), Sun 23:59:59 = days
	// 0, 1, 6; 杨磊 2 on Mon and Wed; 李娜 1 on Tue; 周杰 1 on Wed. Member-days
	// 3 + 2 + 1 + 1 = 7 over 7 days: DAU 1. The 30 days before the end add
	// 孙丽 (3 Nov) and 陈静 (10 Nov): MAU 6. Members at the end: 张伟, 王芳,
	// 李娜, 孙丽, 陈静, 杨磊, 赵敏; silent: 王芳 (her message is on 23 Nov,
	// after the end) and 赵敏. Top 10% of 4 speakers = 1: 张伟, 4 of 8.
	expect(t, week("engagement"), "", map[string]any{
		"members_end": 7.0, "messages": 8.0, "active_members": 4.0, "dau": 1.0, "wau": 4.0, "mau": 6.0,
		"stickiness": 1.0 / 6, "messages_per_active": 2.0, "top10_share": 0.5,
		"silent_members": 2.0, "silent_share": 2.0 / 7,
	})
	// Cohort 杨磊, 赵敏, 周杰; 周杰 left on 20 Nov, before the end of W48;
	// nobody spoke in W48..W51 (there is no data after 23 Nov 07:30).
	expect(t, week("retention"), "", map[string]any{
		"cohort_size": 3.0, "retained_w1": 2.0 / 3, "retained_w4": 2.0 / 3, "spoke_w1": 0.0, "spoke_w4": 0.0,
	})
	// Members at the end with a customer key: 张伟 cA, 王芳 cB, 杨磊 cF, 赵敏
	// cG (周杰 cH left). Paid orders in the week: O1 cA 199, O2 cF 99.50, O6
	// cF 35 (O3 is refunded, O4 after the week): buyers cA, cF; repeat cF.
	expect(t, week("repurchase"), "", map[string]any{
		"buyers": 2.0, "repeat_buyers": 1.0, "repurchase_rate": 0.5,
		"buyers_cumulative": 2.0, "repeat_buyers_cumulative": 1.0, "repurchase_rate_cumulative": 0.5,
		"revenue": 333.5, "members_end": 7.0, "revenue_per_member": 333.5 / 7,
	})
	// 李娜 asks at 11:20:00 "请问新版本什么时候发布？", 小美 answers at
	// 11:22:30: 2.5 minutes. No other message has a question mark or an @ of staff.
	expect(t, week("responsiveness"), "", map[string]any{
		"questions": 1.0, "answered": 1.0, "unanswered": 0.0, "answered_share": 1.0, "median_minutes_to_response": 2.5,
	})
	// Newcomers 杨磊 (first words "大家好，我是杨磊，来自北京…": introduced),
	// 赵敏 (silent), 周杰 (a group-buy link): 1 of 3. Nicknames at the end in
	// the Name|Company|City format: 张伟, 王芳, 陈静: 3 of 7.
	expect(t, week("onboarding"), "", map[string]any{
		"newcomers": 3.0, "introduced": 1.0, "intro_rate": 1.0 / 3,
		"members_end": 7.0, "nickname_compliant": 3.0, "nickname_compliance": 3.0 / 7,
	})
}

// DuckDB reads TIMESTAMP columns against TIMESTAMPTZ parameters in the
// session's time zone. The runner binds every parameter with its type, so
// the results must not move when the session zone does. The first metric
// locks the instance's settings, so each zone has a database of its own.
func TestMetricsIgnoreSessionTimeZone(t *testing.T) {
	results := map[string][][]any{}
	for _, zone := range []string{"UTC", "America/New_York", "Asia/Shanghai"} {
		db := communityDB(t)
		if _, err := db.Exec(fmt.Sprintf("SET GLOBAL TimeZone = '%s'", zone)); err != nil {
			t.Fatal(err)
		}
		for _, d := range builtins(t).All() {
			res := runPeriod(t, db, d.Name, metrics.GrainWeek, "2026-W47", nil)
			if prev, ok := results[d.Name]; ok && !reflect.DeepEqual(prev, res.Rows) {
				t.Errorf("%s: session zone %s gives\n%v\nUTC gave\n%v", d.Name, zone, res.Rows, prev)
			}
			results[d.Name] = res.Rows
		}
	}
}
