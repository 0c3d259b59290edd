package reports

import (
	"context"
	"database/sql"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"time"

	"github.com/ckpi/ckpi/metrics"
)

// TrendWeeks is how many weeks the trend charts and sparklines cover.
const TrendWeeks = 12

// BuildOptions choose what a weekly report covers.
type BuildOptions struct {
	Week    metrics.Period
	Lang    string // "en" or "zh"
	Catalog *metrics.Catalog
	Now     time.Time // stamped as GeneratedAt; zero means time.Now
}

// weekly is the data of one week: each core metric's result.
type weekly map[string]*metrics.Result

// coreMetrics are the metrics the weekly report is built from.
var coreMetrics = []string{"growth", "participation", "conversion"}

// BuildWeekly runs the core metrics for the report week and the weeks before
// it, and assembles the report model.
func BuildWeekly(ctx context.Context, db *sql.DB, opt BuildOptions) (*Weekly, error) {
	if opt.Lang == "" {
		opt.Lang = "en"
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	weeks := make([]weekly, TrendWeeks)
	for i := range weeks {
		p := opt.Week.Shift(i - TrendWeeks + 1)
		w := weekly{}
		for _, name := range coreMetrics {
			def, err := opt.Catalog.Get(name)
			if err != nil {
				return nil, err
			}
			res, err := metrics.Run(ctx, db, def, metrics.Params{Period: p})
			if err != nil {
				return nil, err
			}
			w[name] = res
		}
		weeks[i] = w
	}
	this, prev := weeks[TrendWeeks-1], weeks[TrendWeeks-2]
	lang := opt.Lang
	r := &Weekly{
		Title:       labels[langKey(lang)]["report"],
		Week:        opt.Week.Label,
		Start:       opt.Week.Start,
		End:         opt.Week.End,
		TimeZone:    opt.Week.Start.Location().String(),
		GeneratedAt: opt.Now,
		Lang:        lang,
	}
	r.Cards = cardsFromWeeks(weeks, lang)
	r.Trends = trendsFromWeeks(weeks, lang)
	r.Groups = groupsFromWeeks(this, prev, lang)
	for _, name := range coreMetrics {
		r.Tables = append(r.Tables, detailTable(this[name], lang))
	}
	return r, nil
}

func langKey(lang string) string {
	if _, ok := labels[lang]; ok {
		return lang
	}
	return "en"
}

// cardSpec says which metric column a headline card shows.
type cardSpec struct {
	key, metric, column string
	format              Format
	en, zh              string
}

var cardSpecs = []cardSpec{
	{"members", "growth", "members_end", Int, "Members", "成员数"},
	{"net_growth", "growth", "net_growth", Int, "Net growth", "净增长"},
	{"growth_rate", "growth", "growth_rate", Percent, "Growth rate", "增长率"},
	{"active_members", "participation", "active_members", Int, "Active members", "活跃成员"},
	{"participation_rate", "participation", "participation_rate", Percent, "Participation", "参与率"},
	{"messages", "participation", "messages", Int, "Messages", "消息数"},
	{"conversion_rate", "conversion", "conversion_rate", Percent, "Conversion", "转化率"},
}

func (c cardSpec) title(lang string) string {
	if lang == "zh" {
		return c.zh
	}
	return c.en
}

func cardsFromWeeks(weeks []weekly, lang string) []Card {
	var cards []Card
	for _, s := range cardSpecs {
		series := totalSeries(weeks, s.metric, s.column)
		cards = append(cards, Card{
			Key:       s.metric + "." + s.column,
			Title:     s.title(lang),
			Format:    s.format,
			Value:     series[len(series)-1],
			Previous:  series[len(series)-2],
			GoodWhen:  weeks[0][s.metric].Metric.Direction,
			Sparkline: series,
		})
	}
	return cards
}

func trendsFromWeeks(weeks []weekly, lang string) []Trend {
	labels := make([]string, len(weeks))
	for i, w := range weeks {
		labels[i] = w["growth"].Period.Label
	}
	t := func(en, zh string) string {
		if lang == "zh" {
			return zh
		}
		return en
	}
	return []Trend{
		{Key: "members", Title: t("Members at week end", "周末成员数"), Kind: "line", Format: Int, Labels: labels,
			Series: []Series{{Name: t("Members", "成员数"), Values: totalSeries(weeks, "growth", "members_end")}}},
		{Key: "joins_leaves", Title: t("Joins, leaves and net growth", "入群、退群与净增长"), Kind: "bar", Format: Int, Labels: labels,
			Series: []Series{
				{Name: t("Joins", "入群"), Values: totalSeries(weeks, "growth", "joins")},
				{Name: t("Leaves", "退群"), Values: totalSeries(weeks, "growth", "leaves")},
				{Name: t("Net growth", "净增长"), Values: totalSeries(weeks, "growth", "net_growth")},
			}},
		{Key: "active", Title: t("Active members", "活跃成员"), Kind: "line", Format: Int, Labels: labels,
			Series: []Series{{Name: t("Active members", "活跃成员"), Values: totalSeries(weeks, "participation", "active_members")}}},
		{Key: "participation", Title: t("Participation and conversion", "参与率与转化率"), Kind: "line", Format: Percent, Labels: labels,
			Series: []Series{
				{Name: t("Participation", "参与率"), Values: totalSeries(weeks, "participation", "participation_rate")},
				{Name: t("Conversion", "转化率"), Values: totalSeries(weeks, "conversion", "conversion_rate")},
			}},
	}
}

// totalSeries is one column of each week's all-groups row.
func totalSeries(weeks []weekly, metric, column string) []*float64 {
	out := make([]*float64, len(weeks))
	for i, w := range weeks {
		if total := w[metric].Total(); total != nil {
			out[i] = toFloat(total[column])
		}
	}
	return out
}

func groupsFromWeeks(this, prev weekly, lang string) []Group {
	rows := map[int64]*Group{}
	var order []int64
	for _, m := range this["growth"].ByGroup() {
		id := toInt(m["group_id"])
		rows[id] = &Group{
			ID: id, Name: fmt.Sprint(m["group_name"]),
			Members: toInt(m["members_end"]), Joins: toInt(m["joins"]), Leaves: toInt(m["leaves"]),
			NetGrowth: toInt(m["net_growth"]), GrowthRate: toFloat(m["growth_rate"]),
		}
		order = append(order, id)
	}
	for _, m := range this["participation"].ByGroup() {
		if g := rows[toInt(m["group_id"])]; g != nil {
			g.ActiveMembers, g.Messages = toInt(m["active_members"]), toInt(m["messages"])
			g.Participation = toFloat(m["participation_rate"])
		}
	}
	for _, m := range this["conversion"].ByGroup() {
		if g := rows[toInt(m["group_id"])]; g != nil {
			g.Conversion = toFloat(m["conversion_rate"])
		}
	}
	prevPart := map[int64]*float64{}
	for _, m := range prev["participation"].ByGroup() {
		prevPart[toInt(m["group_id"])] = toFloat(m["participation_rate"])
	}
	out := make([]Group, 0, len(order))
	for _, id := range order {
		g := rows[id]
		g.Flags = groupFlags(g, prevPart[id], lang)
		out = append(out, *g)
	}
	// Rank by participation, then growth: the groups a manager should look
	// at first come last.
	sort.SliceStable(out, func(i, j int) bool {
		a, b := deref(out[i].Participation), deref(out[j].Participation)
		if a != b {
			return a > b
		}
		return out[i].NetGrowth > out[j].NetGrowth
	})
	for i := range out {
		out[i].Rank = i + 1
	}
	return out
}

// Thresholds that flag a group: a week-over-week fall in participation, and
// a net loss of members both large in number and in share of the group.
const (
	participationDrop = 0.30
	shrinkMin         = 3
	shrinkShare       = 0.05
)

func groupFlags(g *Group, prevPart *float64, lang string) []string {
	zh := lang == "zh"
	var flags []string
	switch {
	case g.Members == 0:
		flags = append(flags, pick(zh, "no members", "没有成员"))
	case g.Messages == 0:
		flags = append(flags, pick(zh, "silent: no member message this week", "沉默：本周无成员发言"))
	}
	if g.Participation != nil && prevPart != nil && *prevPart > 0 {
		if drop := 1 - *g.Participation / *prevPart; drop >= participationDrop {
			flags = append(flags, fmt.Sprintf(pick(zh, "participation down %.0f%% vs last week", "参与率较上周下降 %.0f%%"), drop*100))
		}
	}
	if lost := -g.NetGrowth; lost >= shrinkMin && float64(lost) >= shrinkShare*float64(g.Members+lost) {
		flags = append(flags, fmt.Sprintf(pick(zh, "shrinking: %d members net lost this week", "成员流失：本周净减少 %d 人"), lost))
	}
	return flags
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

// detailTable turns a metric result into a report table, all-groups row first.
func detailTable(res *metrics.Result, lang string) Table {
	t := Table{Key: res.Metric.Name, Title: res.Metric.Title}
	keep := []int{}
	for i, c := range res.Columns {
		if c == "group_id" {
			continue
		}
		keep = append(keep, i)
		t.Columns = append(t.Columns, Column{Key: c, Title: columnTitle(c), Format: columnFormat(c, res)})
	}
	for _, row := range res.Rows {
		cells := make([]any, 0, len(keep))
		for _, i := range keep {
			v := normalize(row[i])
			if res.Columns[i] == "group_name" && row[0] == nil {
				v = pick(lang == "zh", "All groups", "全部群组")
			}
			cells = append(cells, v)
		}
		t.Rows = append(t.Rows, cells)
	}
	return t
}

func columnTitle(c string) string {
	s := strings.ReplaceAll(c, "_", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

func columnFormat(col string, res *metrics.Result) Format {
	switch {
	case col == "group_name":
		return Text
	case strings.HasSuffix(col, "_rate") || strings.HasSuffix(col, "_share"):
		return Percent
	}
	for _, row := range res.Rows {
		for i, c := range res.Columns {
			if c != col || row[i] == nil {
				continue
			}
			if _, ok := row[i].(float64); ok {
				return Float
			}
			return Int
		}
	}
	return Int
}

// normalize maps driver values to the cell types renderers take.
func normalize(v any) any {
	switch x := v.(type) {
	case int32:
		return int64(x)
	case *big.Int:
		return x.Int64()
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
	case int64:
		f = float64(x)
	case int32:
		f = float64(x)
	case *big.Int:
		f = float64(x.Int64())
	default:
		return nil
	}
	return &f
}

func toInt(v any) int64 {
	if f := toFloat(v); f != nil {
		return int64(*f)
	}
	return 0
}
