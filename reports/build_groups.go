package reports

import (
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/ckpi/ckpi/metrics"
)

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

// textValue words a text column's value: its code in the header's values,
// a yes/no, or as written.
func textValue(c *metrics.Column, v any, lang string) any {
	switch x := v.(type) {
	case string:
		if c.Role == metrics.RoleFlags {
			return strings.Join(flagWords(c, x, lang), "; ")
		}
		if w, ok := c.Values[x]; ok {
			return w.In(lang)
		}
		return x
	case bool:
		return label(lang, map[bool]string{true: "yes", false: "no"}[x])
	}
	return normalize(v)
}

// flagWords splits a flags column's reasons ("a; b") into worded flags.
func flagWords(c *metrics.Column, s string, lang string) []string {
	var out []string
	for _, r := range strings.Split(s, ";") {
		r = strings.TrimSpace(r)
		if r == "" {
			continue
		}
		if w, ok := c.Values[r]; ok {
			r = w.In(lang)
		}
		out = append(out, r)
	}
	return out
}

// buildGroupsModel is the groups table: the catalogue's groups columns (its
// rank first), a row per group with the qualifier of each number its data
// cannot support, and the group's flags: the reasons of the flags column,
// then each alert that fires. Ranked groups first, by rank, then by name.
func buildGroupsModel(w *results) ([]GroupColumn, []Group) {
	placed := w.cat.GroupColumns()
	slices.SortStableFunc(placed, func(a, b metrics.Placed) int {
		ra, rb := a.Column.Role == metrics.RoleRank, b.Column.Role == metrics.RoleRank
		if ra != rb {
			if ra {
				return -1
			}
			return 1
		}
		return 0
	})
	var cols []GroupColumn
	var srcs []metrics.Placed
	for _, p := range placed {
		if w.at(p.Metric.Name, 0) == nil {
			continue
		}
		c := p.Column
		title := c.Label.In(w.lang)
		if c.Groups.Label != nil {
			title = c.Groups.Label.In(w.lang)
		}
		cols = append(cols, GroupColumn{
			Key: p.Metric.Name + "." + c.Name, Title: title, Hint: c.About.In(w.lang), Format: reportFormat(c.Format),
			GoodWhen: goodWhen(c.Good), Rank: c.Role == metrics.RoleRank, ExcelOnly: c.Groups.ExcelOnly, Scale: c.Groups.Scale,
		})
		srcs = append(srcs, p)
	}
	rank, hasRank := w.cat.Role(metrics.RoleRank)
	need, hasNeed := w.cat.Role(metrics.RoleNeed)
	flags, hasFlags := w.cat.Role(metrics.RoleFlags)
	alerts := w.cat.Alerts()

	out := make([]Group, 0, len(w.ids))
	for _, id := range w.ids {
		g := Group{ID: id, Name: w.names[id], Platform: platformName(w.meta[id].Platform, w.lang),
			Values: make([]*float64, len(cols)), Notes: make([]string, len(cols))}
		for i, p := range srcs {
			if m := w.row(p.Metric.Name, 0, &id); m != nil {
				g.Values[i] = toFloat(m[p.Column.Name])
			}
			g.Notes[i] = w.groupNote(id, p.Column.Needs)
		}
		if hasRank {
			if m := w.row(rank.Metric.Name, 0, &id); m != nil {
				g.Rank = int(toInt(m[rank.Column.Name]))
			}
		}
		if hasNeed {
			if m := w.row(need.Metric.Name, 0, &id); m != nil {
				g.Need = toFloat(m[need.Column.Name])
			}
		}
		if hasFlags {
			if m := w.row(flags.Metric.Name, 0, &id); m != nil {
				if s, ok := m[flags.Column.Name].(string); ok {
					g.Flags = flagWords(flags.Column, s, w.lang)
				}
			}
		}
		for _, a := range alerts {
			if flag := w.alert(a, id); flag != "" {
				g.Flags = append(g.Flags, flag)
			}
		}
		out = append(out, g)
	}
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
	return cols, out
}

// alert is the flag an alert column raises for a group this week, or "".
func (w *results) alert(a metrics.Placed, id int64) string {
	al, col := a.Column.Alert, a.Column
	m := w.row(a.Metric.Name, 0, &id)
	if m == nil {
		return ""
	}
	now := toFloat(m[col.Name])
	if !isNumber(now) {
		return ""
	}
	text := al.Text.In(w.lang)
	if al.Above != nil {
		if *now > *al.Above {
			return fillAlert(text, 0, now, reportFormat(col.Format), w.lang)
		}
		return ""
	}
	prev := w.row(a.Metric.Name, -1, &id)
	if prev == nil {
		return ""
	}
	before := toFloat(prev[col.Name])
	if !isNumber(before) || *before <= 0 {
		return ""
	}
	if drop := 1 - *now / *before; drop >= al.Drop-1e-9 {
		return fillAlert(text, math.Round(drop*100)/100, now, reportFormat(col.Format), w.lang)
	}
	return ""
}
