package reports

import (
	"fmt"
	"strings"

	"github.com/ckpi/ckpi/metrics"
)

// family is one detail table: the columns of one or more metrics, per group.
type family struct {
	key    string
	en, zh string
	parts  []string // metrics, in column order; a column already taken is not repeated
	offset int      // the week of the runs, from the report week
}

// families are the detail tables, one per KPI family. The risk tables come
// from the risk section (risk.go).
var families = []family{
	{key: "growth", en: "Growth", zh: "增长", parts: []string{"growth"}},
	{key: "participation", en: "Participation & engagement", zh: "参与与活跃", parts: []string{"participation", "engagement"}},
	{key: "activity", en: "Activities", zh: "活动", parts: []string{"activity_frequency"}},
	{key: "retention", en: "Retention", zh: "留存", parts: []string{"retention"}, offset: retentionTableWeek},
	{key: "conversion", en: "Conversion & repurchase", zh: "转化与复购", parts: []string{"conversion", "repurchase"}},
	{key: "service", en: "Responsiveness & onboarding", zh: "响应与新人引导", parts: []string{"responsiveness", "onboarding"}},
	{key: "health", en: "Health", zh: "健康度", parts: []string{"health"}},
}

// buildFamilyTables merges each family's metric results of the report week
// by group: the all-groups row first, then the groups most in need first.
func buildFamilyTables(w *results, lang string) []Table {
	zh := lang == "zh"
	var out []Table
	for _, f := range families {
		var parts []*metrics.Result
		for _, name := range f.parts {
			if res := w.at(name, f.offset); res != nil {
				parts = append(parts, res)
			}
		}
		if len(parts) == 0 {
			continue
		}
		t := Table{Key: f.key, Title: pick(zh, f.en, f.zh)}
		t.Note = pick(zh, "All groups first, then each group, lowest health score first.", "首行为全部群组，其余各群按健康分从低到高排列。")
		if f.key == "retention" {
			label := w.week.Shift(f.offset).Label
			t.Title = fmt.Sprintf(pick(zh, "Retention (%s cohort)", "留存（%s 入群）"), label)
			t.Note = fmt.Sprintf(pick(zh, "Members who joined in %s: the share still in the group (retained) and who spoke, in each of the 4 weeks after. ",
				"%s 入群的成员在此后 4 周每周仍在群内（留存）和发言的比例。"), label) + t.Note
		}
		t.Columns = []Column{{Key: "group_name", Title: columnLabel("group_name", lang), Format: Text}}
		type src struct {
			res *metrics.Result
			col string
		}
		var cols []src
		index := map[*metrics.Result]map[int64]map[string]any{}
		for _, res := range parts {
			index[res] = groupIndex(res)
		}
		taken := map[string]bool{"group_id": true, "group_name": true}
		for _, res := range parts {
			for _, c := range res.Columns {
				if taken[c] {
					continue
				}
				taken[c] = true
				cols = append(cols, src{res, c})
				t.Columns = append(t.Columns, Column{Key: c, Title: columnLabel(c, lang), Format: columnFormat(c, res)})
			}
		}
		// Rows: the all-groups row, then every group in need order.
		rowOf := func(id *int64) []any {
			row := make([]any, 0, len(t.Columns))
			if id == nil {
				row = append(row, pick(zh, "All groups", "全部群组"))
			} else {
				row = append(row, w.names[*id])
			}
			for _, c := range cols {
				var m map[string]any
				if id == nil {
					m = c.res.Total()
				} else {
					m = index[c.res][*id]
				}
				var v any
				if m != nil {
					v = cellValue(c.col, m[c.col], lang)
				}
				row = append(row, v)
			}
			return row
		}
		t.Rows = append(t.Rows, rowOf(nil))
		for _, id := range w.ids {
			t.Rows = append(t.Rows, rowOf(&id))
		}
		out = append(out, t)
	}
	return out
}

// groupIndex maps a result's group rows by id.
func groupIndex(res *metrics.Result) map[int64]map[string]any {
	idx := map[int64]map[string]any{}
	for _, m := range res.ByGroup() {
		idx[toInt(m["group_id"])] = m
	}
	return idx
}

// cellValue is a metric value as a table cell: numbers as int64 or float64,
// health's words in the report's language.
func cellValue(col string, v any, lang string) any {
	zh := lang == "zh"
	switch col {
	case "size_band":
		if s, ok := v.(string); ok {
			if w, ok := sizeBands[s]; ok {
				return pick(zh, w[0], w[1])
			}
		}
	case "needs_attention":
		if b, ok := v.(bool); ok {
			return pick(zh, map[bool]string{true: "yes", false: "no"}[b], map[bool]string{true: "是", false: "否"}[b])
		}
	case "attention_reason":
		if s, ok := v.(string); ok {
			return strings.Join(splitReasons(s, lang), "; ")
		}
	}
	return normalize(v)
}

// detailTable turns a metric result into a report table, all-groups row
// first, in the result's order.
func detailTable(res *metrics.Result, lang string) Table {
	t := Table{Key: res.Metric.Name, Title: res.Metric.Title.In(lang)}
	keep := []int{}
	for i, c := range res.Columns {
		if c == "group_id" {
			continue
		}
		keep = append(keep, i)
		t.Columns = append(t.Columns, Column{Key: c, Title: columnLabel(c, lang), Format: columnFormat(c, res)})
	}
	for _, row := range res.Rows {
		cells := make([]any, 0, len(keep))
		for _, i := range keep {
			v := cellValue(res.Columns[i], row[i], lang)
			if res.Columns[i] == "group_name" && row[0] == nil {
				v = pick(lang == "zh", "All groups", "全部群组")
			}
			cells = append(cells, v)
		}
		t.Rows = append(t.Rows, cells)
	}
	return t
}

// columnFormats are the formats of the catalogue's columns that are not
// plain counts.
var columnFormats = map[string]Format{
	"group_name": Text, "size_band": Text, "needs_attention": Text, "attention_reason": Text,
	"dau": Float, "messages_per_active": Float, "activities_per_week": Float, "weeks_without_activity": Float,
	"median_days_to_first_order": Float, "health_score": Float, "activities_4w": Float,
	"median_minutes_to_response": Minutes, "median_response_minutes": Minutes,
	"revenue": Money, "revenue_per_member": Money,
	"stickiness": Percent, "nickname_compliance": Percent,
}

func columnFormat(col string, res *metrics.Result) Format {
	if f, ok := columnFormats[col]; ok {
		return f
	}
	switch {
	case strings.HasSuffix(col, "_rate") || strings.HasSuffix(col, "_share") || strings.HasSuffix(col, "_cumulative"),
		strings.HasPrefix(col, "retained_w") || strings.HasPrefix(col, "spoke_w"):
		if !strings.HasPrefix(col, "buyers") && !strings.HasPrefix(col, "repeat_buyers") {
			return Percent
		}
	}
	for _, row := range res.Rows {
		for i, c := range res.Columns {
			if c != col || row[i] == nil {
				continue
			}
			switch row[i].(type) {
			case float64, float32:
				return Float
			case string, bool:
				return Text
			}
			return Int
		}
	}
	return Int
}

// columnLabel is the heading of a metric column in lang: from the
// dictionary, else the column name made readable.
func columnLabel(col, lang string) string {
	if w, ok := columnTitles[col]; ok {
		return pick(lang == "zh", w[0], w[1])
	}
	if col == "" {
		return col
	}
	s := strings.ReplaceAll(col, "_", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}
