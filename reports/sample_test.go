package reports

import (
	"fmt"
	"strings"
	"time"
)

// Test fixtures: report models built in code, deterministic.

const (
	scriptName  = `<script>alert(1)</script>`
	formulaName = `=HYPERLINK("http://x","y")`
)

func fp(v float64) *float64 { return &v }

var shanghai = time.FixedZone("CST", 8*3600)

// weekLabels returns n ISO week labels ending with 2026-W47.
func weekLabels(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("2026-W%02d", 47-n+1+i)
	}
	return out
}

// series makes n values from f; f returns nil for a gap.
func series(n int, f func(i int) *float64) []*float64 {
	out := make([]*float64, n)
	for i := range out {
		out[i] = f(i)
	}
	return out
}

// sampleWeekly is a realistic report: several cards (one not computable, one
// unchanged), 12-week trends with gaps, 30 groups with CJK names and hostile
// names, and one detail table.
func sampleWeekly() *Weekly {
	return sampleWeeklyN(30)
}

// sampleWeeklyN is sampleWeekly with n groups (n >= 8 keeps the hostile names).
func sampleWeeklyN(n int) *Weekly {
	const weeks = 12
	labels := weekLabels(weeks)
	members := series(weeks, func(i int) *float64 { return fp(9800 + float64(i)*230 + float64(i%3)*40) })
	return &Weekly{
		Title:       "Community weekly report",
		Week:        "2026-W47",
		Start:       time.Date(2026, 11, 16, 0, 0, 0, 0, shanghai),
		End:         time.Date(2026, 11, 23, 0, 0, 0, 0, shanghai),
		TimeZone:    "Asia/Shanghai",
		GeneratedAt: time.Date(2026, 11, 23, 8, 30, 0, 0, shanghai),
		Lang:        "en",
		Cards: []Card{
			{Key: "growth.members", Title: "Members at week end", Format: Int, Value: fp(12480), Previous: fp(12110), GoodWhen: "up", Sparkline: members},
			{Key: "growth.net", Title: "Net growth", Format: Int, Value: fp(370), Previous: fp(410), GoodWhen: "up",
				Sparkline: series(weeks, func(i int) *float64 { return fp(float64(200 + (i*53)%260)) })},
			{Key: "participation.rate", Title: "Participation", Format: Percent, Value: fp(0.342), Previous: fp(0.318), GoodWhen: "up",
				Sparkline: series(weeks, func(i int) *float64 {
					if i == 4 {
						return nil
					}
					return fp(0.28 + float64(i%5)*0.015)
				})},
			{Key: "responsiveness.median", Title: "Median first reply", Format: Hours, Value: fp(1.6), Previous: fp(2.1), GoodWhen: "down",
				Sparkline: series(weeks, func(i int) *float64 { return fp(3 - float64(i)*0.12) })},
			{Key: "conversion.rate", Title: "Conversion to first order", Format: Percent, Value: nil, Previous: fp(0.052), GoodWhen: "up",
				Sparkline: series(weeks, func(i int) *float64 {
					if i >= 10 {
						return nil
					}
					return fp(0.04 + float64(i)*0.001)
				})},
			{Key: "repurchase.revenue", Title: "Revenue per member", Format: Money, Value: fp(18.4), Previous: fp(18.4), GoodWhen: "up",
				Sparkline: series(weeks, func(i int) *float64 { return fp(17 + float64(i%4)*0.5) })},
			{Key: "risk.violations", Title: "Rule violations", Format: Int, Value: fp(12), Previous: fp(8), GoodWhen: "down",
				Sparkline: series(weeks, func(i int) *float64 { return fp(float64(5 + i%6)) })},
			{Key: "activity.held", Title: "Activities per group", Format: Float, Value: fp(1.8), Previous: fp(1.5), GoodWhen: "up"},
			{Key: "responsiveness.median_minutes_to_response", Title: "Median response time", Format: Minutes, Value: fp(14.5), Previous: fp(22), GoodWhen: "down",
				Hint:      "Median minutes from a member's question to the first staff message.",
				Sparkline: series(weeks, func(i int) *float64 { return fp(30 - float64(i)) })},
			{Key: "engagement.dau", Title: "DAU", Format: Float, Value: fp(2310.4), Previous: fp(2290.1), GoodWhen: "up",
				Sparkline: series(weeks, func(i int) *float64 { return fp(2100 + float64(i*17)) })},
			{Key: "engagement.wau", Title: "WAU", Format: Int, Value: fp(5120), Previous: fp(5001), GoodWhen: "up",
				Sparkline: series(weeks, func(i int) *float64 { return fp(4800 + float64(i*30)) })},
			{Key: "engagement.stickiness", Title: "Stickiness (DAU/MAU)", Format: Percent, Value: fp(0.21), Previous: fp(0.2), GoodWhen: "up",
				Sparkline: series(weeks, func(i int) *float64 { return fp(0.18 + float64(i)*0.003) })},
			{Key: "growth.referral_share", Title: "Referral share", Format: Percent, Value: fp(0.35), Previous: fp(0.33), GoodWhen: "up",
				Sparkline: series(weeks, func(i int) *float64 { return fp(0.3 + float64(i%4)*0.01) })},
			{Key: "repurchase.repurchase_rate", Title: "Repurchase rate", Format: Percent, Value: fp(0.12), Previous: fp(0.14), GoodWhen: "up",
				Sparkline: series(weeks, func(i int) *float64 { return fp(0.1 + float64(i%3)*0.01) })},
			{Key: "health.health_score", Title: "Average health score", Format: Float, Value: fp(61.2), Previous: fp(60.4), GoodWhen: "up",
				Sparkline: series(weeks, func(i int) *float64 { return fp(58 + float64(i)*0.3) })},
		},
		Trends: []Trend{
			{Key: "growth.members", Title: "Members at week end", Kind: "line", Format: Int, Labels: labels,
				Series: []Series{{Name: "Members", Values: members}}},
			{Key: "growth.channels", Title: "Joins by channel", Kind: "stacked", Format: Int, Labels: labels,
				Series: []Series{
					{Name: "Referral", Values: series(weeks, func(i int) *float64 { return fp(float64(120 + i*6)) })},
					{Name: "QR code", Values: series(weeks, func(i int) *float64 { return fp(float64(80 + (i*17)%40)) })},
					{Name: "Invite link", Values: series(weeks, func(i int) *float64 {
						if i == 7 {
							return nil
						}
						return fp(float64(40 + i*2))
					})},
					{Name: "Imported (website, offline)", Values: series(weeks, func(i int) *float64 { return fp(float64(25 + i%5*4)) })},
				}},
			{Key: "participation", Title: "Participation and stickiness", Kind: "line", Format: Percent, Labels: labels,
				Series: []Series{
					{Name: "Participation", Values: series(weeks, func(i int) *float64 {
						if i == 4 {
							return nil
						}
						return fp(0.28 + float64(i%5)*0.015)
					})},
					{Name: "Stickiness (DAU/MAU)", Values: series(weeks, func(i int) *float64 {
						if i < 2 {
							return nil
						}
						return fp(0.18 + float64(i)*0.004)
					})},
				}},
			{Key: "messages", Title: "Messages", Kind: "bar", Format: Int, Labels: labels,
				Series: []Series{{Name: "Messages", Values: series(weeks, func(i int) *float64 { return fp(float64(41000 + (i*3700)%9000)) })}}},
			{Key: "growth.members_net", Title: "Members and net growth", Kind: "bar", Format: Int, Labels: labels,
				Series: []Series{
					{Name: "Net growth", Values: series(weeks, func(i int) *float64 { return fp(float64(200 + (i*53)%260 - 120)) })},
					{Name: "Members at week end", Values: members, Kind: "line", Axis: 1},
				}},
			{Key: "risk.violations", Title: "Rule violations per week, by category", Kind: "stacked", Format: Int, Labels: labels,
				Series: []Series{
					{Name: "Advertising", Values: series(weeks, func(i int) *float64 { return fp(float64(3 + i%4)) })},
					{Name: "Flooding", Values: series(weeks, func(i int) *float64 { return fp(float64(1 + i%3)) })},
				}},
		},
		Heatmaps:     sampleHeatmaps(n),
		GroupColumns: sampleGroupColumns,
		Groups:       sampleGroups(n),
		NeedTitle:    "Health score",
		Tables: []Table{{
			Key:   "growth",
			Title: "Growth by channel",
			Columns: []Column{
				{Key: "channel", Title: "Channel", Format: Text},
				{Key: "joins", Title: "Joins", Format: Int},
				{Key: "share", Title: "Share of joins", Format: Percent},
				{Key: "first_order_days", Title: "Days to first order", Format: Float},
				{Key: "last_join", Title: "Last join", Format: Text},
			},
			Rows: [][]any{
				{"Referral", int64(186), 0.412, 3.5, time.Date(2026, 11, 22, 21, 14, 0, 0, shanghai)},
				{"QR code", int64(118), 0.261, 5.25, time.Date(2026, 11, 22, 18, 2, 0, 0, shanghai)},
				{"Invite link", int64(62), 0.137, nil, time.Date(2026, 11, 21, 0, 0, 0, 0, shanghai)},
				{"官方公众号", int64(51), 0.113, 7.0, nil},
				{"=1+2", int64(35), 0.077, 9.75, time.Date(2026, 11, 20, 9, 0, 0, 0, shanghai)},
			},
		}, familyTable(n)},
	}
}

// familyTable is a detail table the size of a real one: an all-groups row
// and one row per group, a dozen columns of counts, rates and text.
func familyTable(n int) Table {
	t := Table{Key: "participation", Title: "Participation & engagement", Note: "All groups first, then each group, lowest health score first.", AllRow: true,
		Columns: []Column{{Key: "group_name", Title: "Group", Format: Text}}}
	for _, c := range []struct {
		key string
		f   Format
	}{{"messages", Int}, {"active_members", Int}, {"members_end", Int}, {"participation_rate", Percent},
		{"messages_per_active", Float}, {"dau", Float}, {"wau", Int}, {"mau", Int}, {"stickiness", Percent},
		{"top10_share", Percent}, {"silent_members", Int}, {"silent_share", Percent}, {"median_minutes_to_response", Minutes}} {
		t.Columns = append(t.Columns, Column{Key: c.key, Title: strings.ReplaceAll(c.key, "_", " "), Format: c.f, Rollup: "total"})
	}
	names := sampleGroups(n)
	for i := -1; i < n; i++ {
		name := "All groups"
		if i >= 0 {
			name = names[i].Name
		}
		k := float64(i + 2)
		row := []any{name, int64(40 * k), int64(9 * k), int64(30 * k), 0.3, 4.4, 3.1 * k, int64(12 * k), int64(20 * k), 0.155, 0.62, int64(10 * k), 0.33, nil}
		if i%5 != 0 {
			row[len(row)-1] = 12.5 + k
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// sampleHeatmaps are the report's three heatmaps: the activity rhythm of at
// most RhythmGroups groups (hostile names among them), cohorts with weeks
// not over yet, and messages by hour.
func sampleHeatmaps(n int) []Heatmap {
	gs := sampleGroups(min(n, RhythmGroups))
	rhythm := Heatmap{Key: "activity.rhythm", Title: "Activity rhythm: the 30 groups with the lowest health score", Short: "Activity rhythm",
		Note: "Activities held per group and week.", XTitle: "Week", YTitle: "Group", XLabels: weekLabels(12), Format: Int}
	for i, g := range gs {
		rhythm.YLabels = append(rhythm.YLabels, g.Name)
		rhythm.Values = append(rhythm.Values, series(12, func(w int) *float64 { return fp(float64((i*7 + w*3) % 5)) }))
	}
	cohorts := Heatmap{Key: "retention.cohorts", Title: "Cohort retention", Short: "Cohort retention", XTitle: "Weeks after joining", YTitle: "Joined in",
		XLabels: []string{"Week 1", "Week 2", "Week 3", "Week 4"}, Format: Percent}
	for c := range 8 {
		cohorts.YLabels = append(cohorts.YLabels, fmt.Sprintf("2026-W%02d (%d)", 39+c, 100+c*7))
		cohorts.Values = append(cohorts.Values, series(4, func(k int) *float64 {
			if k+1 > 8-c {
				return nil // not over yet
			}
			return fp(0.95 - float64(k)*0.06 - float64(c%3)*0.01)
		}))
	}
	hours := Heatmap{Key: "messages.hours", Title: "Messages by hour and weekday (Asia/Shanghai)", Short: "Messages by hour", XTitle: "Hour", YTitle: "Weekday", Format: Int}
	for h := range 24 {
		hours.XLabels = append(hours.XLabels, fmt.Sprintf("%02d", h))
	}
	for d, name := range []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"} {
		hours.YLabels = append(hours.YLabels, name)
		hours.Values = append(hours.Values, series(24, func(h int) *float64 {
			return fp(float64((h*h*7 + d*31) % 900))
		}))
	}
	return []Heatmap{rhythm, cohorts, hours}
}

// sampleGroupColumns are the groups table's columns as the built-in
// catalogue gives them.
var sampleGroupColumns = []GroupColumn{
	{Key: "health.rank", Title: "Rank", Format: Int, Rank: true},
	{Key: "growth.members_end", Title: "Members", Format: Int, GoodWhen: "up"},
	{Key: "growth.joins", Title: "Joins", Format: Int, ExcelOnly: true},
	{Key: "growth.leaves", Title: "Leaves", Format: Int, ExcelOnly: true},
	{Key: "growth.net_growth", Title: "Net growth", Format: Int},
	{Key: "growth.growth_rate", Title: "Growth rate", Format: Percent},
	{Key: "participation.active_members", Title: "Active members", Format: Int, ExcelOnly: true},
	{Key: "participation.participation_rate", Title: "Participation", Format: Percent, Scale: true, GoodWhen: "up"},
	{Key: "participation.messages", Title: "Messages", Format: Int},
	{Key: "activity_frequency.activities", Title: "Activities", Format: Int},
	{Key: "conversion.conversion_rate", Title: "Conversion", Format: Percent, ExcelOnly: true},
	{Key: "risk_violations.violations", Title: "Messages with violations", Format: Int},
	{Key: "health.health_score", Title: "Health score", Format: Score, Scale: true, GoodWhen: "up"},
}

// groupValues lays out a group's numbers in sampleGroupColumns order.
func groupValues(m map[string]*float64) []*float64 {
	out := make([]*float64, len(sampleGroupColumns))
	for i, c := range sampleGroupColumns {
		out[i] = m[c.Key]
	}
	return out
}

// sampleGroups makes n groups, ranked, with CJK names and the hostile names.
func sampleGroups(n int) []Group {
	special := []string{
		"上海读书会 一群", scriptName, formulaName, "北京宝妈交流群（朝阳）", "+cmd|' /C calc'!A0",
		"-2+3", "@SUM(A1)", "Café & Co. \"VIP\"",
	}
	platforms := []string{"wechat", "telegram", "qq", "wecom"}
	cities := []string{"杭州", "深圳", "成都", "Berlin", "Shanghai", "广州"}
	gs := make([]Group, n)
	seed := uint32(7)
	rnd := func(m int) int { // small deterministic generator
		seed = seed*1664525 + 1013904223
		return int(seed>>8) % m
	}
	for i := range gs {
		name := fmt.Sprintf("%s %s群 #%d", cities[i%len(cities)], []string{"会员", "新手", "VIP", "Tech"}[i%4], i+1)
		if i < len(special) {
			name = special[i]
		}
		members := int64(15 + rnd(480))
		joins := int64(rnd(40))
		leaves := int64(rnd(20))
		active := members * int64(10+rnd(60)) / 100
		var conversion *float64
		if i%4 != 3 {
			conversion = fp(float64(rnd(120)) / 1000)
		}
		health := fp(95 - float64(i%90))
		g := Group{
			ID:       int64(1000 + i),
			Name:     name,
			Platform: platforms[i%len(platforms)],
			Rank:     i + 1,
			Need:     health,
			Values: groupValues(map[string]*float64{
				"health.rank":                      i64(int64(i + 1)),
				"growth.members_end":               i64(members),
				"growth.joins":                     i64(joins),
				"growth.leaves":                    i64(leaves),
				"growth.net_growth":                i64(joins - leaves),
				"growth.growth_rate":               fp(float64(joins-leaves) / float64(members-joins+leaves)),
				"participation.active_members":     i64(active),
				"participation.participation_rate": fp(float64(active) / float64(members)),
				"participation.messages":           i64(int64(rnd(5000))),
				"activity_frequency.activities":    i64(int64(rnd(6))),
				"conversion.conversion_rate":       conversion,
				"health.health_score":              health,
				"risk_violations.violations":       i64(int64(rnd(5))),
			}),
		}
		switch i % 7 {
		case 2:
			g.Flags = []string{"No activity for 2 weeks"}
		case 5:
			g.Flags = []string{"Size below 15", "Unanswered questions: 4"}
		}
		if name == formulaName {
			g.Flags = append(g.Flags, "=FLAG()")
		}
		gs[i] = g
	}
	return gs
}

// edgeWeekly holds what must not break a renderer: empty series, a trend with
// no labels, a trend with only gaps, cards with nothing, a ragged table.
func edgeWeekly() *Weekly {
	return &Weekly{
		Week: "2026-W01",
		Lang: "zh",
		Cards: []Card{
			{Key: "none", Title: "全是空的", Format: Percent},
			{Key: "zero", Title: "Zero before", Format: Int, Value: fp(3), Previous: fp(0), GoodWhen: "up", Sparkline: []*float64{nil, fp(1), nil}},
			{Key: "one", Title: "One point", Format: Int, Value: fp(3), Previous: fp(4), GoodWhen: "sideways", Sparkline: []*float64{fp(1)}},
		},
		Trends: []Trend{
			{Key: "no-series", Title: "No series", Kind: "line", Labels: weekLabels(3)},
			{Key: "no-labels", Title: "No labels", Kind: "bar", Series: []Series{{Name: "a"}}},
			{Key: "gaps", Title: "Only gaps", Kind: "stacked", Format: Percent, Labels: weekLabels(3),
				Series: []Series{{Name: "a", Values: []*float64{nil, nil, nil}}, {Name: "b"}}},
			{Key: "short", Title: "Shorter series than labels", Kind: "line", Format: Hours, Labels: weekLabels(4),
				Series: []Series{{Name: "a", Values: []*float64{fp(1), nil}}}},
			{Key: "odd", Title: "Unknown kind", Kind: "pie", Labels: weekLabels(2), Series: []Series{{Name: "</script><b>x", Values: []*float64{fp(1), fp(2)}}}},
		},
		Tables: []Table{
			{Key: "empty", Title: "Empty table"},
			{Key: "ragged", Title: "Ragged/rows: [x]?*", Columns: []Column{{Key: "a", Title: "A"}, {Key: "b", Title: "B", Format: Percent}},
				Rows: [][]any{{"only one"}, {int64(1), 0.5, "extra"}, {nil, nil}}},
		},
	}
}
