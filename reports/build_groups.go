package reports

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Thresholds of the flags the report adds to health's reasons: a fall in
// participation from last week, and more violations in a week than a
// well-run group has.
const (
	participationDrop = 0.30
	violationsMax     = 3
)

// healthReasons words the reasons health.sql gives for needing attention.
// A reason not listed here (a user's own health.sql) is shown as written.
var healthReasons = map[string][2]string{
	"no members":                       {"No members", "没有成员"},
	"no activity for 2+ weeks":         {"No activity for 2 weeks", "连续 2 周没有活动"},
	"participation below 20%":          {"Participation below 20%", "参与率低于 20%"},
	"shrinking":                        {"Shrinking: lost over 5% net", "成员流失：净减少超过 5%"},
	"slow responses (>60 min)":         {"Slow responses: median over 60 min", "响应慢：中位数超过 60 分钟"},
	"unanswered questions (>20%)":      {"Over 20% of questions unanswered", "超过 20% 的问题无人回复"},
	"oversized: split into sub-groups": {"Oversized: split into sub-groups", "规模过大：建议拆分子群"},
}

// sizeBands words health's size_band.
var sizeBands = map[string][2]string{
	"empty":     {"empty", "空群"},
	"small":     {"small (<15)", "偏小（<15）"},
	"sweet":     {"sweet spot (15–20)", "最佳（15–20）"},
	"large":     {"large (21–100)", "较大（21–100）"},
	"oversized": {"oversized (>100)", "过大（>100）"},
}

// platforms are the display names of the platforms groups live on.
var platforms = map[string][2]string{
	"qq": {"QQ", "QQ"}, "wechat": {"WeChat", "微信"}, "wecom": {"WeCom", "企业微信"},
	"telegram": {"Telegram", "Telegram"}, "whatsapp": {"WhatsApp", "WhatsApp"},
	"discord": {"Discord", "Discord"}, "slack": {"Slack", "Slack"},
}

// platformName is a platform as the reader knows it.
func platformName(p, lang string) string {
	if w, ok := platforms[strings.ToLower(p)]; ok {
		return pick(lang == "zh", w[0], w[1])
	}
	return p
}

// reasonText words one of health's attention reasons.
func reasonText(reason, lang string) string {
	if w, ok := healthReasons[strings.TrimSpace(reason)]; ok {
		return pick(lang == "zh", w[0], w[1])
	}
	return strings.TrimSpace(reason)
}

// splitReasons splits health's attention_reason ("a; b") into worded flags.
func splitReasons(s any, lang string) []string {
	text, _ := s.(string)
	var out []string
	for _, r := range strings.Split(text, ";") {
		if strings.TrimSpace(r) != "" {
			out = append(out, reasonText(r, lang))
		}
	}
	return out
}

func buildGroupsModel(w *results, lang string) []Group {
	zh := lang == "zh"
	growth := w.byGroup("growth", 0)
	part, prevPart := w.byGroup("participation", 0), w.byGroup("participation", -1)
	act := w.byGroup("activity_frequency", 0)
	conv := w.byGroup("conversion", 0)
	health := w.byGroup("health", 0)
	viol := w.byGroup("risk_violations", 0)

	out := make([]Group, 0, len(w.ids))
	for _, id := range w.ids {
		g := Group{ID: id, Name: w.names[id], Platform: platformName(w.meta[id].Platform, lang)}
		if m, ok := growth[id]; ok {
			g.Members, g.Joins, g.Leaves = toInt(m["members_end"]), toInt(m["joins"]), toInt(m["leaves"])
			g.NetGrowth, g.GrowthRate = toInt(m["net_growth"]), toFloat(m["growth_rate"])
		}
		if m, ok := part[id]; ok {
			g.ActiveMembers, g.Messages = toInt(m["active_members"]), toInt(m["messages"])
			g.Participation = toFloat(m["participation_rate"])
		}
		if m, ok := act[id]; ok {
			g.Activities = toInt(m["activities"])
		}
		if m, ok := conv[id]; ok {
			g.Conversion = toFloat(m["conversion_rate"])
		}
		if m, ok := viol[id]; ok {
			g.Violations = toInt(m["violations"])
		}
		if m, ok := health[id]; ok {
			g.HealthScore = toFloat(m["health_score"])
			g.Rank = int(toInt(m["rank"]))
			band, _ := m["size_band"].(string)
			g.SizeBand = band
			g.Flags = splitReasons(m["attention_reason"], lang)
		}
		var before *float64
		if m, ok := prevPart[id]; ok {
			before = toFloat(m["participation_rate"])
		}
		if isNumber(g.Participation) && isNumber(before) && *before > 0 {
			if drop := 1 - *g.Participation / *before; drop >= participationDrop-1e-9 {
				g.Flags = append(g.Flags, fmt.Sprintf(pick(zh, "Participation down %.0f%% vs last week", "参与率较上周下降 %.0f%%"), math.Round(drop*100)))
			}
		}
		if g.Violations > violationsMax {
			g.Flags = append(g.Flags, fmt.Sprintf(pick(zh, "%d violations this week", "本周违规 %d 次"), g.Violations))
		}
		out = append(out, g)
	}
	// The ranking: health rank 1 (healthiest) first; groups without a rank
	// last, by name.
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Rank, out[j].Rank
		if (a > 0) != (b > 0) {
			return a > 0
		}
		if a != b {
			return a < b
		}
		return out[i].Name < out[j].Name
	})
	return out
}
