package reports

import (
	"context"
	"database/sql"
	"fmt"
	"math/big"
	"slices"
	"sync"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"golang.org/x/sync/errgroup"

	"github.com/ckpi/ckpi/metrics"
	"github.com/ckpi/ckpi/queries"
)

// TrendWeeks is how many weeks the trend charts and sparklines cover.
const TrendWeeks = 12

// CohortWeeks is how many weekly join cohorts the retention heatmap shows:
// the weeks before the report week, each followed for up to four weeks.
const CohortWeeks = 8

// retentionTableWeek is the cohort of the retention detail table: the
// latest one whose four following weeks are all over.
const retentionTableWeek = -4

// defaultParallel is how many queries run at once by default.
const defaultParallel = 4

// BuildOptions choose what a weekly report covers.
type BuildOptions struct {
	Week    metrics.Period
	Lang    string // "en" or "zh"
	Catalog *metrics.Catalog
	Now     time.Time // stamped as GeneratedAt; zero means time.Now
	// Parallel is how many queries run at once (0: 4). DuckDB spreads each
	// query over every core; a few side by side also fill the serial parts
	// of each other (planning, small joins, reading the result).
	Parallel int
}

// Metrics the report runs for every week of the trends, the heaviest first
// so that the last queries to start are short ones.
var trendMetrics = []string{
	"engagement", "responsiveness", "health", "participation", "repurchase",
	"growth", "conversion", "activity_frequency", "risk_violations",
}

// optionalMetrics may be missing from the catalogue (a database or build
// without the risk module); the report leaves out what needs them.
var optionalMetrics = map[string]bool{"risk_violations": true}

// runKey names one metric run: the metric and the week, as an offset from
// the report week (0 the report week, -1 the week before).
type runKey struct {
	metric string
	offset int
}

// results holds everything the queries of a report returned.
type results struct {
	week  metrics.Period
	mu    sync.Mutex
	runs  map[runKey]*metrics.Result
	hours [7][24]int64        // messages by local weekday (Monday first) and hour
	meta  map[int64]groupMeta // what the groups table says of each group
	names map[int64]string    // group names, as the metrics give them
	seen  map[string]bool     // metrics that ran
	ids   []int64             // every group, most in need first (rankGroups)
}

type groupMeta struct {
	Platform, ExternalID, Name string
}

// at is a metric's result for the week at offset, or nil when it did not run.
func (w *results) at(metric string, offset int) *metrics.Result {
	return w.runs[runKey{metric, offset}]
}

// BuildWeekly runs the catalogue's metrics for the report week and the weeks
// before it (TrendWeeks for trends and sparklines, CohortWeeks of join
// cohorts for retention), two report queries (hours of the week, group
// details), and assembles the report model. Queries run Parallel at a time.
func BuildWeekly(ctx context.Context, db *sql.DB, opt BuildOptions) (*Weekly, error) {
	if opt.Lang == "" {
		opt.Lang = "en"
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if opt.Catalog == nil {
		return nil, fmt.Errorf("reports: no metric catalogue")
	}
	lang := normLang(opt.Lang)
	res, err := runQueries(ctx, db, opt)
	if err != nil {
		return nil, err
	}
	r := &Weekly{
		Title:       label(lang, "report"),
		Week:        opt.Week.Label,
		Start:       opt.Week.Start,
		End:         opt.Week.End,
		TimeZone:    opt.Week.Start.Location().String(),
		GeneratedAt: opt.Now.In(opt.Week.Start.Location()),
		Lang:        lang,
	}
	res.rankGroups()
	r.Cards = buildCardsModel(res, lang)
	r.Trends = buildTrendsModel(res, lang)
	r.Heatmaps = buildHeatmapsModel(res, lang)
	r.Groups = buildGroupsModel(res, lang)
	r.Tables = buildFamilyTables(res, lang)
	if r.Risk, err = buildRisk(ctx, db, opt); err != nil {
		return nil, err
	}
	if r.Risk != nil && r.Risk.Scanned {
		if t, ok := violationsTrend(res, lang); ok {
			r.Trends = append(r.Trends, t)
		}
	}
	return r, nil
}

// runQueries runs every query the report needs, Parallel at a time, and
// returns their results. The first error cancels the rest.
func runQueries(ctx context.Context, db *sql.DB, opt BuildOptions) (*results, error) {
	res := &results{
		week: opt.Week,
		runs: map[runKey]*metrics.Result{},
		meta: map[int64]groupMeta{},
		seen: map[string]bool{},
	}
	var jobs []func(context.Context) error
	addRun := func(name string, offset int) error {
		def, err := opt.Catalog.Get(name)
		if err != nil {
			if optionalMetrics[name] {
				return nil
			}
			return fmt.Errorf("reports: %w", err)
		}
		res.seen[name] = true
		p := opt.Week.Shift(offset)
		jobs = append(jobs, func(ctx context.Context) error {
			out, err := metrics.Run(ctx, db, def, metrics.Params{Period: p})
			if err != nil {
				return fmt.Errorf("reports: %s for %s: %w", name, p.Label, err)
			}
			res.mu.Lock()
			res.runs[runKey{name, offset}] = out
			res.mu.Unlock()
			return nil
		})
		return nil
	}
	for _, name := range trendMetrics[:3] {
		for off := -TrendWeeks + 1; off <= 0; off++ {
			if err := addRun(name, off); err != nil {
				return nil, err
			}
		}
	}
	for off := -CohortWeeks; off <= -1; off++ {
		if err := addRun("retention", off); err != nil {
			return nil, err
		}
	}
	if err := addRun("onboarding", 0); err != nil {
		return nil, err
	}
	for _, name := range trendMetrics[3:] {
		for off := -TrendWeeks + 1; off <= 0; off++ {
			if err := addRun(name, off); err != nil {
				return nil, err
			}
		}
	}
	jobs = append(jobs,
		func(ctx context.Context) error { return res.readHours(ctx, db) },
		func(ctx context.Context) error { return res.readMeta(ctx, db) },
	)
	parallel := opt.Parallel
	if parallel <= 0 {
		parallel = defaultParallel
	}
	run := func() error { return runJobs(ctx, parallel, jobs) }
	var err error
	if parallel > 1 {
		err = oneThreadEach(ctx, db, run)
	} else {
		err = run()
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// oneThreadEach runs f with DuckDB's threads set to one: the report runs
// many small queries side by side, and each on one thread wastes less than
// each spread over the cores (1.0 s instead of 1.2 s for a report over 1M
// messages, 6.2 instead of 6.5 s over 10M). The report's metrics are
// analyst SQL, which locks the instance's settings for good
// (metrics.Lockdown), so the setting is made before the lock and stays; an
// instance locked already keeps the threads it has.
func oneThreadEach(ctx context.Context, db *sql.DB, f func() error) error {
	var locked bool
	if err := db.QueryRowContext(ctx, `SELECT current_setting('lock_configuration')`).Scan(&locked); err != nil {
		return err
	}
	if !locked {
		if _, err := db.ExecContext(ctx, `SET threads = 1`); err != nil {
			return err
		}
		if err := metrics.Lockdown(ctx, db); err != nil {
			return err
		}
	}
	return f()
}

// runJobs runs jobs on n workers in the order given. The first error
// cancels the context of the others, skips the jobs not started yet, and is
// returned.
func runJobs(ctx context.Context, n int, jobs []func(context.Context) error) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(n)
	for _, job := range jobs {
		g.Go(func() error {
			if gctx.Err() != nil {
				return nil
			}
			return job(gctx)
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return ctx.Err()
}

// reportArgs binds the parameters a report query uses ($start, $end, $tz)
// by name, each with its type, as metrics.Run does: times as TIMESTAMP
// holding the UTC instant, the zone as VARCHAR.
func reportArgs(name, text string, p metrics.Period) ([]any, error) {
	var args []any
	for _, param := range queries.Params(text) {
		switch param {
		case "start":
			args = append(args, sql.Named("start", duckdb.Typed(p.Start.UTC(), duckdb.TYPE_TIMESTAMP)))
		case "end":
			args = append(args, sql.Named("end", duckdb.Typed(p.End.UTC(), duckdb.TYPE_TIMESTAMP)))
		case "tz":
			args = append(args, sql.Named("tz", duckdb.Typed(zoneName(p.Start), duckdb.TYPE_VARCHAR)))
		default:
			return nil, fmt.Errorf("reports: queries/reports/%s.sql: unknown parameter $%s", name, param)
		}
	}
	return args, nil
}

// zoneName is the IANA name DuckDB knows the zone of t by. The machine's
// own zone ("Local") has none: it is taken as its offset at t, a fixed
// Etc/GMT zone (whose sign is inverted by convention) when in whole hours.
func zoneName(t time.Time) string {
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

// readHours counts the report week's messages by local weekday and hour.
func (w *results) readHours(ctx context.Context, db *sql.DB) error {
	text := queries.Report("hour_weekday")
	args, err := reportArgs("hour_weekday", text, w.week)
	if err != nil {
		return err
	}
	rows, err := db.QueryContext(ctx, text, args...)
	if err != nil {
		return fmt.Errorf("reports: queries/reports/hour_weekday.sql: %w", err)
	}
	defer rows.Close()
	var hours [7][24]int64
	for rows.Next() {
		var wd, h, n int64
		if err := rows.Scan(&wd, &h, &n); err != nil {
			return fmt.Errorf("reports: queries/reports/hour_weekday.sql: %w", err)
		}
		if wd >= 1 && wd <= 7 && h >= 0 && h < 24 {
			hours[wd-1][h] += n
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reports: queries/reports/hour_weekday.sql: %w", err)
	}
	w.mu.Lock()
	w.hours = hours
	w.mu.Unlock()
	return nil
}

// readMeta reads each group's platform and names.
func (w *results) readMeta(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, queries.Report("groups"))
	if err != nil {
		return fmt.Errorf("reports: queries/reports/groups.sql: %w", err)
	}
	defer rows.Close()
	meta := map[int64]groupMeta{}
	for rows.Next() {
		var id int64
		var m groupMeta
		if err := rows.Scan(&id, &m.Platform, &m.ExternalID, &m.Name); err != nil {
			return fmt.Errorf("reports: queries/reports/groups.sql: %w", err)
		}
		meta[id] = m
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reports: queries/reports/groups.sql: %w", err)
	}
	w.mu.Lock()
	w.meta = meta
	w.mu.Unlock()
	return nil
}

// rankGroups orders the report week's groups by need: lowest health score
// first (groups without one last), then by name. Rows of per-group tables
// and heatmaps follow this order.
func (w *results) rankGroups() {
	score := map[int64]*float64{}
	w.names = map[int64]string{}
	for _, name := range []string{"health", "growth"} {
		res := w.at(name, 0)
		if res == nil {
			continue
		}
		for _, m := range res.ByGroup() {
			id := toInt(m["group_id"])
			if _, ok := w.names[id]; !ok {
				w.ids = append(w.ids, id)
				w.names[id] = fmt.Sprint(m["group_name"])
			}
			if name == "health" {
				score[id] = toFloat(m["health_score"])
			}
		}
	}
	slices.SortStableFunc(w.ids, func(a, b int64) int {
		sa, sb := score[a], score[b]
		switch {
		case isNumber(sa) && isNumber(sb) && *sa != *sb:
			if *sa < *sb {
				return -1
			}
			return 1
		case isNumber(sa) != isNumber(sb):
			if isNumber(sa) {
				return -1
			}
			return 1
		}
		if w.names[a] != w.names[b] {
			if w.names[a] < w.names[b] {
				return -1
			}
			return 1
		}
		return 0
	})
}

// total is column col of the all-groups row of metric at offset, or nil.
func (w *results) total(metric string, offset int, col string) *float64 {
	res := w.at(metric, offset)
	if res == nil {
		return nil
	}
	if t := res.Total(); t != nil {
		return toFloat(t[col])
	}
	return nil
}

// series is col of the all-groups row over the TrendWeeks, oldest first.
func (w *results) series(metric, col string) []*float64 {
	out := make([]*float64, TrendWeeks)
	for i := range out {
		out[i] = w.total(metric, i-TrendWeeks+1, col)
	}
	return out
}

// weekLabels are the ISO labels of the TrendWeeks, oldest first.
func (w *results) weekLabels() []string {
	out := make([]string, TrendWeeks)
	for i := range out {
		out[i] = w.week.Shift(i - TrendWeeks + 1).Label
	}
	return out
}

// byGroup maps each group of metric at offset to its row.
func (w *results) byGroup(metric string, offset int) map[int64]map[string]any {
	out := map[int64]map[string]any{}
	if res := w.at(metric, offset); res != nil {
		for _, m := range res.ByGroup() {
			out[toInt(m["group_id"])] = m
		}
	}
	return out
}

func pick(zh bool, en, zhText string) string {
	if zh {
		return zhText
	}
	return en
}

func deref(f *float64) float64 {
	if f == nil {
		return -1
	}
	return *f
}

// normalize maps driver values to the cell types renderers take.
func normalize(v any) any {
	switch x := v.(type) {
	case int32:
		return int64(x)
	case int16:
		return int64(x)
	case int8:
		return int64(x)
	case uint32:
		return int64(x)
	case *big.Int:
		return x.Int64()
	case float32:
		return float64(x)
	}
	return v
}

func toFloat(v any) *float64 {
	var f float64
	switch x := v.(type) {
	case nil:
		return nil
	case float64:
		f = x
	case float32:
		f = float64(x)
	case int64:
		f = float64(x)
	case int32:
		f = float64(x)
	case int16:
		f = float64(x)
	case int8:
		f = float64(x)
	case uint64:
		f = float64(x)
	case uint32:
		f = float64(x)
	case *big.Int:
		f = float64(x.Int64())
	default:
		return nil
	}
	return &f
}

// toInt reads an integer column; ids are 63-bit, so integers are never
// taken through a float64.
func toInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case uint64:
		return int64(x)
	case *big.Int:
		return x.Int64()
	}
	if f := toFloat(v); f != nil {
		return int64(*f)
	}
	return 0
}
