package reports

import (
	"cmp"
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
	"github.com/ckpi/ckpi/metrics/risk"
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
	// InProgress: the week is not over yet (the caller knows the clock and
	// the data; Week.InProgress says the same); the report labels it "in
	// progress" wherever it names it. A Week.DataEnds inside the week is
	// said in a notice.
	InProgress bool
}

// runKey names one metric run: the metric and the week, as an offset from
// the report week (0 the report week, -1 the week before).
type runKey struct {
	metric string
	offset int
}

// results holds everything the queries of a report returned.
type results struct {
	week    metrics.Period
	cat     *metrics.Catalog
	lang    string
	scanned bool // a risk scan has run: the risk section and its charts show
	mu      sync.Mutex
	runs    map[runKey]*metrics.Result
	hours   [7][24]int64                        // messages by local weekday (Monday first) and hour
	meta    map[int64]groupMeta                 // what the groups table says of each group
	names   map[int64]string                    // group names, as the metrics give them
	ids     []int64                             // every group, most in need first (rankGroups)
	index   map[runKey]map[int64]map[string]any // rows by group, made once each (row)
	first   time.Time                           // when the data begins; zero for none
}

// beforeData tells a week, offset from the report week, that ended before
// the data begins: it has no numbers, not zeros.
func (w *results) beforeData(offset int) bool {
	return offset < 0 && !w.first.IsZero() && !w.week.Shift(offset).End.After(w.first)
}

// groupMeta is what the report knows of a group beside its numbers:
// where it lives and what its data can support (the group_basis view).
type groupMeta struct {
	Platform, ExternalID, Name string
	Basis                      string // roster, snapshot, events or activity; "" unknown
	StaffKnown, OrdersKnown    bool
	MessagesKnown              bool // its messages were loaded
	FollowersKnown             bool // an official account's followers loaded
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
	last, scanned, err := risk.LastScan(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("reports: risk: %w", err)
	}
	res, err := runQueries(ctx, db, opt, scanned)
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
		InProgress:  opt.InProgress || opt.Week.InProgress,
	}
	res.rankGroups()
	res.dropAbsentCarriers()
	if !opt.Week.DataEnds.IsZero() {
		r.Notices = append(r.Notices, fmtLabel(lang, "dataEnds", opt.Week.DataEnds.In(opt.Week.Start.Location()).Format("2006-01-02 15:04")))
	}
	r.Notices = append(r.Notices, res.notices()...)
	r.Cards = buildCardsModel(res)
	r.Trends = buildTrendsModel(res)
	r.Heatmaps = buildHeatmapsModel(res)
	r.GroupColumns, r.Groups = buildGroupsModel(res)
	if need, ok := opt.Catalog.Role(metrics.RoleNeed); ok {
		r.NeedTitle = need.Column.Label.In(lang)
	}
	r.Tables = buildFamilyTables(res, metrics.SectionDetails)
	if scanned {
		r.Risk = buildRisk(res, last)
		acts, hits, err := riskActions(ctx, db, opt.Week)
		if err != nil {
			return nil, err
		}
		r.Risk.Tables = append(r.Risk.Tables, pendingTable(acts, opt.Week, lang), alertsTable(hits, opt.Week, lang))
	} else {
		r.Risk = &RiskSummary{}
	}
	return r, nil
}

// plan lists the weeks each metric runs for, as offsets from the report
// week, from where its header puts it: a card, a trend chart or a
// per-group heatmap takes the TrendWeeks; an alert on a fall the week
// before; a cohort heatmap the CohortWeeks before; its table its own week;
// a groups-table column or a role the report week. Risk metrics that only
// feed the risk section wait for a scan.
func plan(cat *metrics.Catalog, scanned bool) map[string]map[int]bool {
	out := map[string]map[int]bool{}
	add := func(name string, from, to int) {
		if out[name] == nil {
			out[name] = map[int]bool{}
		}
		for off := from; off <= to; off++ {
			out[name][off] = true
		}
	}
	for _, d := range cat.All() {
		if d.Table != nil && (d.Section != metrics.SectionRisk || scanned) {
			add(d.Name, d.Table.Week, d.Table.Week)
		}
		for _, c := range d.Specs {
			switch {
			case c.Card != nil, c.Trend != nil:
				add(d.Name, -TrendWeeks+1, 0)
			case c.Alert != nil && c.Alert.Drop > 0:
				add(d.Name, -1, 0)
			case c.Groups != nil, c.Role != "", c.Alert != nil:
				add(d.Name, 0, 0)
			}
		}
		for _, h := range d.Heatmaps {
			switch h.Kind {
			case metrics.HeatmapGroups:
				add(d.Name, -TrendWeeks+1, 0)
			case metrics.HeatmapCohorts:
				add(d.Name, -CohortWeeks, -1)
			}
		}
	}
	return out
}

// runQueries runs every query the report needs, Parallel at a time, and
// returns their results. The first error cancels the rest. The runs of
// "heavy" metrics start first, so that the last to start are short ones.
func runQueries(ctx context.Context, db *sql.DB, opt BuildOptions, scanned bool) (*results, error) {
	res := &results{
		week:    opt.Week,
		cat:     opt.Catalog,
		lang:    normLang(opt.Lang),
		scanned: scanned,
		runs:    map[runKey]*metrics.Result{},
		meta:    map[int64]groupMeta{},
	}
	runs := plan(opt.Catalog, scanned)
	// A week that ended before the data begins is not run: its trend point
	// is a gap, the week after it has no comparison, its table says why.
	cov, err := metrics.ReadCoverage(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("reports: what the data covers: %w", err)
	}
	res.first = cov.First
	defs := opt.Catalog.All()
	slices.SortStableFunc(defs, func(a, b *metrics.Definition) int {
		if (a.Cost == "heavy") != (b.Cost == "heavy") {
			if a.Cost == "heavy" {
				return -1
			}
			return 1
		}
		return len(runs[b.Name]) - len(runs[a.Name])
	})
	var jobs []func(context.Context) error
	for _, def := range defs {
		offsets := make([]int, 0, len(runs[def.Name]))
		for off := range runs[def.Name] {
			offsets = append(offsets, off)
		}
		slices.Sort(offsets)
		for _, offset := range offsets {
			p := opt.Week.Shift(offset)
			if res.beforeData(offset) {
				continue
			}
			jobs = append(jobs, func(ctx context.Context) error {
				out, err := metrics.Run(ctx, db, def, metrics.Params{Period: p})
				if err != nil {
					return fmt.Errorf("reports: %s for %s: %w", def.Name, p.Label, err)
				}
				res.mu.Lock()
				res.runs[runKey{def.Name, offset}] = out
				res.mu.Unlock()
				return nil
			})
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

// readHours counts the report week's messages by local weekday and hour.
func (w *results) readHours(ctx context.Context, db *sql.DB) error {
	text := queries.Report("hour_weekday")
	args, err := metrics.Args(text, metrics.Params{Period: w.week})
	if err != nil {
		return fmt.Errorf("reports: queries/reports/hour_weekday.sql: %w", err)
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
		var basis sql.NullString
		var staff, orders, msgs, followers sql.NullBool
		if err := rows.Scan(&id, &m.Platform, &m.ExternalID, &m.Name, &basis, &staff, &orders, &msgs, &followers); err != nil {
			return fmt.Errorf("reports: queries/reports/groups.sql: %w", err)
		}
		m.Basis, m.StaffKnown, m.OrdersKnown, m.MessagesKnown = basis.String, staff.Bool, orders.Bool, msgs.Bool
		m.FollowersKnown = followers.Bool
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

// rankGroups orders the report week's groups by need: lowest value of the
// catalogue's need column (the health score) first, groups without one
// last, then by name. Rows of per-group tables and heatmaps follow this
// order.
func (w *results) rankGroups() {
	score := map[int64]*float64{}
	w.names = map[int64]string{}
	need, hasNeed := w.cat.Role(metrics.RoleNeed)
	for _, d := range w.cat.All() {
		res := w.at(d.Name, 0)
		if res == nil || !d.GroupRows() {
			continue
		}
		for _, m := range res.ByGroup() {
			id := toInt(m["group_id"])
			if _, ok := w.names[id]; !ok {
				w.ids = append(w.ids, id)
				w.names[id] = fmt.Sprint(m["group_name"])
			}
			if hasNeed && d == need.Metric {
				score[id] = toFloat(m[need.Column.Name])
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
		return cmp.Compare(a, b)
	})
}

// dropAbsentCarriers leaves out the metrics whose rows are another
// carrier's (an official account's) when the report week has none of
// them: the carrier is not loaded, and its cards, trends and table would
// be empty.
func (w *results) dropAbsentCarriers() {
	for _, d := range w.cat.All() {
		if d.GroupRows() {
			continue
		}
		if res := w.at(d.Name, 0); res != nil && len(res.ByGroup()) > 0 {
			continue
		}
		w.mu.Lock()
		for k := range w.runs {
			if k.metric == d.Name {
				delete(w.runs, k)
			}
		}
		w.mu.Unlock()
	}
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

// row is the all-groups row (id nil) or a group's row of metric at offset.
func (w *results) row(metric string, offset int, id *int64) map[string]any {
	res := w.at(metric, offset)
	if res == nil {
		return nil
	}
	if id == nil {
		return res.Total()
	}
	k := runKey{metric, offset}
	idx, ok := w.index[k]
	if !ok {
		idx = w.byGroup(metric, offset)
		if w.index == nil {
			w.index = map[runKey]map[int64]map[string]any{}
		}
		w.index[k] = idx
	}
	return idx[*id]
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
	case duckdb.Decimal:
		return x.Float64()
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
		return metrics.Number(v) // DECIMAL, and anything else numeric
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
