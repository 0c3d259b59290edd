package reports

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ckpi/ckpi/ingest"
	"github.com/ckpi/ckpi/metrics"
	"github.com/ckpi/ckpi/queries"
)

// communityDB loads the QQ fixture community (testdata/qq), its roster,
// orders and activities, into a fresh database, with 小美 (QQ 10001) as
// staff: the database the metrics' hand-checked values were worked out on.
func communityDB(t testing.TB) *sql.DB {
	t.Helper()
	ctx := context.Background()
	db, err := queries.Open(ctx, filepath.Join(t.TempDir(), "ckpi.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"qq/community.txt", "qq/members.csv", "qq/orders.csv", "activities/checkins.txt", "activities/schedule.csv"} {
		// schedule.csv has one row of an unknown activity type on purpose.
		if r := ingest.LoadFile(ctx, db, "../testdata/"+f, ingest.Options{TZ: loc, MaxRejects: 1}); r.Err != nil {
			t.Fatalf("%s: %v", f, r.Err)
		}
	}
	if err := ingest.SetStaff(ctx, db, []ingest.Staff{{Platform: "qq", UID: "10001", Role: "service"}}); err != nil {
		t.Fatal(err)
	}
	return db
}

func buildFixture(t testing.TB, db *sql.DB, lang string) *Weekly {
	t.Helper()
	cat, err := metrics.LoadCatalog("")
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Asia/Shanghai")
	week, err := metrics.ParseWeek("2026-W47", loc)
	if err != nil {
		t.Fatal(err)
	}
	r, err := BuildWeekly(context.Background(), db, BuildOptions{Week: week, Lang: lang, Catalog: cat, Now: time.Date(2026, 11, 23, 9, 0, 0, 0, loc)})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func cardByKey(t *testing.T, r *Weekly, key string) Card {
	t.Helper()
	for _, c := range r.Cards {
		if c.Key == key {
			return c
		}
	}
	t.Fatalf("no card %q", key)
	return Card{}
}

func near(v *float64, want float64) bool { return v != nil && math.Abs(*v-want) < 1e-9 }

// TestBuildWeeklyFixture builds the report of 2026-W47 from the fixture and
// checks it against the values worked out by hand in metrics/metrics_test.go.
func TestBuildWeeklyFixture(t *testing.T) {
	db := communityDB(t)
	r := buildFixture(t, db, "en")

	if r.Week != "2026-W47" || r.TimeZone != "Asia/Shanghai" || r.Start.Day() != 16 || r.End.Day() != 23 {
		t.Errorf("week %s %s %v %v", r.Week, r.TimeZone, r.Start, r.End)
	}
	// The headline KPIs, in order, each with 12 weeks of sparkline.
	var keys []string
	for _, c := range r.Cards {
		keys = append(keys, c.Key)
		if len(c.Sparkline) != TrendWeeks {
			t.Errorf("card %s: sparkline of %d weeks", c.Key, len(c.Sparkline))
		}
		if c.Hint == "" || c.Title == "" {
			t.Errorf("card %s has no title or hint", c.Key)
		}
	}
	wantKeys := "growth.members_end growth.net_growth growth.growth_rate growth.referral_share participation.active_members " +
		"participation.participation_rate engagement.dau engagement.wau engagement.stickiness participation.messages " +
		"activity_frequency.activities_per_week responsiveness.median_minutes_to_response conversion.conversion_rate " +
		"repurchase.repurchase_rate_90d health.health_score"
	if got := strings.Join(keys, " "); got != wantKeys {
		t.Errorf("cards\n %s\nwant\n %s", got, wantKeys)
	}
	// Hand-checked: 6 members at the start, 3 joins and 2 leaves: net 1, 7
	// at the end, growth 1/6; 4 of the 9 members of the week spoke (2 of
	// them left during it); 1 of the 3 joiners converted;
	// one join of three (杨磊 by 王芳's QR code) brought by a member.
	for key, want := range map[string]float64{
		"growth.members_end": 7, "growth.net_growth": 1, "growth.growth_rate": 1.0 / 6,
		"growth.referral_share": 1.0 / 3, "participation.active_members": 4,
		"participation.participation_rate": 4.0 / 9, "conversion.conversion_rate": 1.0 / 3,
	} {
		if c := cardByKey(t, r, key); !near(c.Value, want) {
			t.Errorf("card %s = %v, want %v", key, deref(c.Value), want)
		}
	}
	// W46: 陈静 joined on 10 November, so members went 5 -> 6, net 1.
	if c := cardByKey(t, r, "growth.members_end"); !near(c.Previous, 6) || !near(c.Sparkline[TrendWeeks-2], 6) {
		t.Errorf("members last week = %v, want 6", deref(c.Previous))
	}
	// The data begins on 1 November (2026-W44): the eight weeks before it
	// are gaps in every sparkline, not zeros; members are known from then.
	for _, c := range r.Cards {
		for i, v := range c.Sparkline[:TrendWeeks-4] {
			if v != nil {
				t.Errorf("card %s week %d of the sparkline = %v: want a gap before 2026-W44", c.Key, i, *v)
			}
		}
	}
	if c := cardByKey(t, r, "growth.members_end"); slices.Contains(c.Sparkline[TrendWeeks-4:], nil) {
		t.Errorf("members sparkline from 2026-W44 has a gap: %v", c.Sparkline)
	}
	if c := cardByKey(t, r, "responsiveness.median_minutes_to_response"); c.GoodWhen != "down" || c.Format != Minutes {
		t.Errorf("median response card: good when %q, format %q", c.GoodWhen, c.Format)
	}

	// Trends: the charts of the issue, each over the 12 weeks.
	var trends []string
	for _, tr := range r.Trends {
		trends = append(trends, tr.Key)
		if len(tr.Labels) != TrendWeeks || tr.Labels[TrendWeeks-1] != "2026-W47" || tr.Labels[0] != "2026-W36" {
			t.Errorf("trend %s labels %v", tr.Key, tr.Labels)
		}
	}
	if got := strings.Join(trends, " "); got != "growth.members growth.joins_by_channel engagement.dau_wau conversion.conversion_repurchase activity_frequency.activity_types" {
		t.Errorf("trends %s", got)
	}
	members := r.Trends[0]
	if members.Series[1].Axis != 1 || members.Series[1].Kind != "line" || !near(members.Series[1].Values[TrendWeeks-1], 7) || !near(members.Series[0].Values[TrendWeeks-1], 1) {
		t.Errorf("members trend %+v", members.Series)
	}
	// W47's joins by channel: QR code 1, invite link 1, Weibo 1.
	chans := map[string]*float64{}
	for _, s := range r.Trends[1].Series {
		chans[s.Name] = s.Values[TrendWeeks-1]
	}
	if !near(chans["QR code"], 1) || !near(chans["Invite link"], 1) || !near(chans["Weibo"], 1) {
		t.Errorf("joins by channel in W47: %v", r.Trends[1].Series)
	}

	// Heatmaps: rhythm, cohorts, hours.
	if len(r.Heatmaps) != 3 {
		t.Fatalf("%d heatmaps", len(r.Heatmaps))
	}
	rhythm, cohorts, hours := r.Heatmaps[0], r.Heatmaps[1], r.Heatmaps[2]
	if rhythm.Key != "activity_frequency.rhythm" || len(rhythm.YLabels) != 1 || rhythm.YLabels[0] != "星河产品交流群" || len(rhythm.Values[0]) != TrendWeeks {
		t.Fatalf("rhythm %+v", rhythm)
	}
	act := cardByKey(t, r, "activity_frequency.activities_per_week")
	if !near(rhythm.Values[0][TrendWeeks-1], *act.Value) || *act.Value == 0 {
		t.Errorf("rhythm W47 %v, activities per week %v", deref(rhythm.Values[0][TrendWeeks-1]), deref(act.Value))
	}
	if cohorts.Key != "retention.cohorts" || len(cohorts.YLabels) != CohortWeeks || len(cohorts.XLabels) != 4 {
		t.Fatalf("cohorts %+v", cohorts)
	}
	// The W46 cohort (陈静, row 8) is known one week on; later weeks are
	// not over yet; the W45 cohort had nobody.
	if !strings.HasPrefix(cohorts.YLabels[7], "2026-W46 (1)") || !near(cohorts.Values[7][0], 1) || cohorts.Values[7][1] != nil {
		t.Errorf("W46 cohort %q %v", cohorts.YLabels[7], cohorts.Values[7])
	}
	if cohorts.YLabels[6] != "2026-W45 (0)" || cohorts.Values[6][0] != nil {
		t.Errorf("W45 cohort %q %v", cohorts.YLabels[6], cohorts.Values[6])
	}
	// Messages by local hour: every member message of the week is in one
	// cell; 张伟's Monday 00:30 and Sunday 23:59:59 messages are in the
	// first and the last hour of the week.
	sum := 0.0
	for _, row := range hours.Values {
		for _, v := range row {
			sum += *v
		}
	}
	if msgs := cardByKey(t, r, "participation.messages"); !near(msgs.Value, sum) {
		t.Errorf("hours heatmap holds %v messages, the week %v", sum, deref(msgs.Value))
	}
	if *hours.Values[0][0] < 1 || *hours.Values[6][23] < 1 || hours.YLabels[0] != "Mon" || hours.XLabels[23] != "23" {
		t.Errorf("hours: Monday 00h %v, Sunday 23h %v", *hours.Values[0][0], *hours.Values[6][23])
	}

	// The group, with its health rank and flags.
	if len(r.Groups) != 1 {
		t.Fatalf("%d groups", len(r.Groups))
	}
	g := r.Groups[0]
	v := func(key string) *float64 { return g.Value(r.GroupColumns, key) }
	if g.Name != "星河产品交流群" || g.Platform != "QQ" || !near(v("growth.members_end"), 7) || !near(v("growth.net_growth"), 1) ||
		!near(v("growth.joins"), 3) || !near(v("growth.leaves"), 2) || !near(v("participation.participation_rate"), 4.0/9) ||
		g.Rank != 1 || !near(v("health.rank"), 1) || !isNumber(g.Need) || !near(v("health.health_score"), *g.Need) || *v("activity_frequency.activities") == 0 {
		t.Errorf("group %+v", g)
	}
	if !near(g.Need, *cardByKey(t, r, "health.health_score").Value) {
		t.Errorf("one group: its health score %v is the average", deref(g.Need))
	}

	// One detail table per family, all-groups row first; the cohort tables
	// of 2026-W43, a week before the data begins, say so instead of rows.
	var tables []string
	for _, tb := range r.Tables {
		tables = append(tables, tb.Key)
		if strings.Contains(tb.Title, "2026-W43") {
			if len(tb.Rows) != 0 || tb.Note != "2026-W43 ended before the data begins (2026-11-01): nothing to show for it." {
				t.Errorf("table %s: rows %v, note %q", tb.Key, tb.Rows, tb.Note)
			}
			continue
		}
		if len(tb.Rows) != 2 || tb.Rows[0][0] != "All groups" || tb.Rows[1][0] != "星河产品交流群" {
			t.Errorf("table %s rows %v", tb.Key, tb.Rows)
		}
	}
	if got := strings.Join(tables, " "); got != "growth follower_funnel participation activity_frequency retention conversion responsiveness health" {
		t.Errorf("tables %s", got)
	}
	if r.Tables[4].Title != "Retention (2026-W43 cohort)" {
		t.Errorf("retention table %q", r.Tables[4].Title)
	}

	// Both renderers take it.
	var page bytes.Buffer
	if err := RenderHTML(&page, r); err != nil {
		t.Fatal(err)
	}
	f := openXLSX(t, writeXLSX(t, r))
	if v, _ := f.GetCellValue("Summary", "B6"); v != "7" {
		t.Errorf("Summary!B6 (members) = %q", v)
	}
	want := "Summary|Groups|Growth|Funnel (2026-W43 cohort)|Participation & engagement|Activities|Retention (2026-W43 cohort)|Conversion & repurchase|" +
		"Responsiveness & onboarding|Health|Activity rhythm|Cohort retention|Messages by hour|Trends"
	if got := strings.Join(f.GetSheetList(), "|"); got != want {
		t.Errorf("sheets\n %s\nwant\n %s", got, want)
	}
	if v, _ := f.GetCellValue("Retention (2026-W43 cohort)", "A2"); !strings.HasPrefix(v, "2026-W43 ended before the data begins") {
		t.Errorf("Retention!A2 = %q", v)
	}
	if v, _ := f.GetCellValue("Health", "A3"); v != "星河产品交流群" {
		t.Errorf("Health!A3 = %q", v)
	}
}

// TestBuildWeeklyChinese checks that the Chinese report words its cards,
// charts and flags in Chinese.
func TestBuildWeeklyChinese(t *testing.T) {
	r := buildFixture(t, communityDB(t), "zh")
	if r.Title != "社群运营周报" || r.Cards[0].Title != "成员数" || r.Trends[1].Title != "各渠道入群人数" || r.Heatmaps[2].YLabels[0] != "周一" {
		t.Errorf("zh report: %q %q %q %q", r.Title, r.Cards[0].Title, r.Trends[1].Title, r.Heatmaps[2].YLabels[0])
	}
	if r.Tables[0].Title != "增长" || r.Tables[0].Columns[0].Title != "群组" || r.Tables[0].Rows[0][0] != "全部群组" {
		t.Errorf("zh table %q %q %v", r.Tables[0].Title, r.Tables[0].Columns[0].Title, r.Tables[0].Rows[0][0])
	}
	for _, f := range r.Groups[0].Flags {
		if strings.ContainsAny(f, "abcdefghijklmnopqrstuvwxyz") {
			t.Errorf("flag %q is not worded in Chinese", f)
		}
	}
}

// TestBuildWeeklyEmptyWeek builds a week with no data at all: every value
// is missing or zero, nothing fails.
func TestBuildWeeklyEmptyWeek(t *testing.T) {
	db := communityDB(t)
	cat, _ := metrics.LoadCatalog("")
	loc, _ := time.LoadLocation("Asia/Shanghai")
	week, _ := metrics.ParseWeek("2026-W20", loc)
	r, err := BuildWeekly(context.Background(), db, BuildOptions{Week: week, Catalog: cat, Parallel: 1})
	if err != nil {
		t.Fatal(err)
	}
	if c := r.Cards[5]; c.Value != nil || c.Key != "participation.participation_rate" {
		t.Errorf("participation in an empty week: %v", deref(c.Value))
	}
	if _, err := RenderXLSX(&bytes.Buffer{}, r), RenderHTML(&bytes.Buffer{}, r); err != nil {
		t.Fatal(err)
	}
}

func TestGroupFlags(t *testing.T) {
	cat, err := metrics.LoadCatalog("")
	if err != nil {
		t.Fatal(err)
	}
	w := &results{
		week:  metrics.Period{Label: "2026-W47"},
		cat:   cat,
		runs:  map[runKey]*metrics.Result{},
		names: map[int64]string{1: "a"},
		ids:   []int64{1},
		meta:  map[int64]groupMeta{},
	}
	res := func(cols []string, row ...any) *metrics.Result {
		return &metrics.Result{Columns: append([]string{"group_id", "group_name"}, cols...), Rows: [][]any{append([]any{int64(1), "a"}, row...)}}
	}
	w.runs[runKey{"participation", 0}] = res([]string{"participation_rate"}, 0.35)
	w.runs[runKey{"participation", -1}] = res([]string{"participation_rate"}, 0.5)
	w.runs[runKey{"risk_violations", 0}] = res([]string{"violations"}, int64(4))
	w.runs[runKey{"health", 0}] = res([]string{"health_score", "rank", "size_band", "attention_reason"}, 40.0, int64(1), "oversized",
		"no activity for 2+ weeks; participation below 20%; a reason of my own")
	for _, tt := range []struct {
		lang string
		want []string
	}{
		{"en", []string{"No activity for 2 weeks", "Participation below 20%", "a reason of my own", "Participation down 30% vs last week", "4 messages with violations this week"}},
		{"zh", []string{"连续 2 周没有活动", "参与率低于 20%", "a reason of my own", "参与率较上周下降 30%", "本周违规消息 4 条"}},
	} {
		w.lang, w.index = tt.lang, nil
		_, gs := buildGroupsModel(w)
		if got := strings.Join(gs[0].Flags, "|"); got != strings.Join(tt.want, "|") {
			t.Errorf("%s flags\n %s\nwant\n %s", tt.lang, got, strings.Join(tt.want, "|"))
		}
	}
	// A fall under 30%, and 3 violations, are no flags.
	w.runs[runKey{"participation", 0}] = res([]string{"participation_rate"}, 0.36)
	w.runs[runKey{"risk_violations", 0}] = res([]string{"violations"}, int64(3))
	w.runs[runKey{"health", 0}] = res([]string{"health_score", "rank", "attention_reason"}, 80.0, int64(1), nil)
	w.lang, w.index = "en", nil
	if _, gs := buildGroupsModel(w); len(gs[0].Flags) != 0 {
		t.Errorf("flags %q", gs[0].Flags)
	}
}

// TestRunJobs: every job runs once; the first error is returned and the
// jobs not started yet are skipped.
func TestRunJobs(t *testing.T) {
	var mu sync.Mutex
	ran := 0
	ok := func(context.Context) error { mu.Lock(); ran++; mu.Unlock(); return nil }
	jobs := []func(context.Context) error{ok, ok, ok, ok, ok}
	if err := runJobs(context.Background(), 3, jobs); err != nil || ran != 5 {
		t.Fatalf("err %v, %d jobs ran", err, ran)
	}
	boom := errors.New("boom")
	ran = 0
	jobs = []func(context.Context) error{func(context.Context) error { return boom }}
	for range 50 {
		jobs = append(jobs, ok)
	}
	if err := runJobs(context.Background(), 1, jobs); !errors.Is(err, boom) || ran != 0 {
		t.Fatalf("err %v, %d jobs ran after the failure", err, ran)
	}
}

// TestBuildWeeklyMetricError: a metric that fails (a user's file replacing
// a built-in) fails the report with the metric and week named.
func TestBuildWeeklyMetricError(t *testing.T) {
	dir := t.TempDir()
	bad := "-- ---\n-- name: engagement\n-- title: {en: Broken, zh: 坏的}\n-- grain: week\n-- value: stickiness\n" +
		"-- params: [start, end, group]\n-- description: {en: broken on purpose, zh: 故意写坏}\n" +
		"-- columns:\n--   - {name: stickiness, format: ratio, good: up, all: pooled, label: {en: S, zh: S}, about: {en: S, zh: S}}\n-- ---\n" +
		"SELECT group_id, group_name, 1/0 AS stickiness FROM selected_groups($group) WHERE $start < $end AND no_such_column;\n"
	if err := os.WriteFile(filepath.Join(dir, "engagement.sql"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	cat, err := metrics.LoadCatalog(dir)
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Asia/Shanghai")
	week, _ := metrics.ParseWeek("2026-W47", loc)
	_, err = BuildWeekly(context.Background(), communityDB(t), BuildOptions{Week: week, Catalog: cat})
	if err == nil || !strings.Contains(err.Error(), "engagement") || !strings.Contains(err.Error(), "no_such_column") {
		t.Fatalf("err = %v", err)
	}
}

// The report runs its queries on one DuckDB thread each. Its metrics lock
// the instance's settings (metrics.Lockdown), so the setting stays; a
// second report on the locked instance runs with the threads it finds.
func TestBuildWeeklyOneThreadEachThenLocked(t *testing.T) {
	db := communityDB(t)
	if _, err := db.Exec(`SET threads = 3`); err != nil {
		t.Fatal(err)
	}
	buildFixture(t, db, "en")
	var threads int
	var locked bool
	if err := db.QueryRow(`SELECT current_setting('threads'), current_setting('lock_configuration')`).Scan(&threads, &locked); err != nil || threads != 1 || !locked {
		t.Fatalf("after the report: threads %d, locked %v (%v), want 1, true", threads, locked, err)
	}
	buildFixture(t, db, "en")
}
