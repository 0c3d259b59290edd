package reports

import (
	"fmt"
	"strings"

	"github.com/ckpi/ckpi/metrics"
)

// RhythmGroups is how many groups a per-group heatmap shows at most: with
// more, the ones most in need.
const RhythmGroups = 30

// buildHeatmapsModel is a heatmap per heatmap of the catalogue, then the
// report week's messages by hour.
func buildHeatmapsModel(w *results) []Heatmap {
	var out []Heatmap
	for _, spec := range w.cat.Heatmaps() {
		switch spec.Kind {
		case metrics.HeatmapGroups:
			if len(w.ids) > 0 && w.at(spec.Metric, 0) != nil {
				out = append(out, groupsHeatmap(w, spec))
			}
		case metrics.HeatmapCohorts:
			if w.at(spec.Metric, -1) != nil {
				out = append(out, cohortHeatmap(w, spec))
			}
		}
	}
	return append(out, hoursHeatmap(w))
}

func heatmapBase(w *results, spec metrics.HeatmapSpec) Heatmap {
	h := Heatmap{Key: spec.Metric + "." + spec.ID, Title: spec.Title.In(w.lang), Short: spec.Short.In(w.lang), Note: spec.Note.In(w.lang)}
	if spec.XTitle != nil {
		h.XTitle = spec.XTitle.In(w.lang)
	}
	if spec.YTitle != nil {
		h.YTitle = spec.YTitle.In(w.lang)
	}
	return h
}

// groupsHeatmap is one column per group per week over the trend weeks, for
// the groups most in need first.
func groupsHeatmap(w *results, spec metrics.HeatmapSpec) Heatmap {
	h := heatmapBase(w, spec)
	h.XTitle, h.YTitle = label(w.lang, "week"), label(w.lang, "group")
	h.XLabels = w.weekLabels()
	col, _ := w.cat.Get(spec.Metric)
	h.Format = reportFormat(col.Column(spec.Column).Format)
	ids := w.ids
	if len(ids) > RhythmGroups {
		ids = ids[:RhythmGroups]
		need := ""
		if p, ok := w.cat.Role(metrics.RoleNeed); ok {
			need = strings.ToLower(p.Column.Label.In(w.lang))
		}
		h.Title = fmtLabel(w.lang, "heatmapCut", h.Short, RhythmGroups, need, FormatValue(Int, i64(int64(len(w.ids))), w.lang))
	}
	for _, id := range ids {
		h.YLabels = append(h.YLabels, w.names[id])
		row := make([]*float64, TrendWeeks)
		for i := range row {
			if m := w.row(spec.Metric, i-TrendWeeks+1, &id); m != nil {
				row[i] = toFloat(m[spec.Column])
			}
		}
		h.Values = append(h.Values, row)
	}
	return h
}

// cohortHeatmap is, for each weekly cohort before the report week, the
// all-groups value of each listed column; the k-th is known k weeks after
// the cohort's week, empty before, and empty for a cohort of nobody.
func cohortHeatmap(w *results, spec metrics.HeatmapSpec) Heatmap {
	h := heatmapBase(w, spec)
	d, _ := w.cat.Get(spec.Metric)
	h.Format = reportFormat(d.Column(spec.Columns[0]).Format)
	for _, l := range spec.XLabels {
		h.XLabels = append(h.XLabels, l.In(w.lang))
	}
	for off := -CohortWeeks; off <= -1; off++ {
		size := w.total(spec.Metric, off, spec.Size)
		label := w.week.Shift(off).Label
		if isNumber(size) {
			label += fmtLabel(w.lang, "cohortSize", FormatValue(Int, size, w.lang))
		}
		h.YLabels = append(h.YLabels, label)
		row := make([]*float64, len(spec.Columns))
		for k, c := range spec.Columns {
			if off+k+1 > 0 || !isNumber(size) || *size == 0 { // not over yet, or nobody joined
				continue
			}
			row[k] = w.total(spec.Metric, off, c)
		}
		h.Values = append(h.Values, row)
	}
	return h
}

// weekdays are the rows of the hours heatmap, Monday first (ISO).
var weekdays = [7][2]string{
	{"Mon", "周一"}, {"Tue", "周二"}, {"Wed", "周三"}, {"Thu", "周四"}, {"Fri", "周五"}, {"Sat", "周六"}, {"Sun", "周日"},
}

// hoursHeatmap is the report week's member messages by local weekday and hour.
func hoursHeatmap(w *results) Heatmap {
	zh := w.lang == "zh"
	h := Heatmap{
		Key:    "messages.hours",
		Title:  fmt.Sprintf(pick(zh, "Messages by hour and weekday (%s)", "各时段消息数（%s）"), w.week.Start.Location().String()),
		Short:  pick(zh, "Messages by hour", "各时段消息"),
		Note:   pick(zh, "Members' messages in the report week by local hour of day and weekday: when the groups are awake.", "本周成员消息按当地时间的星期和小时统计：群里什么时候最活跃。"),
		XTitle: pick(zh, "Hour", "小时"),
		YTitle: pick(zh, "Weekday", "星期"),
		Format: Int,
	}
	for hr := range 24 {
		h.XLabels = append(h.XLabels, fmt.Sprintf("%02d", hr))
	}
	for d := range 7 {
		h.YLabels = append(h.YLabels, pick(zh, weekdays[d][0], weekdays[d][1]))
		row := make([]*float64, 24)
		for hr := range 24 {
			row[hr] = i64(w.hours[d][hr])
		}
		h.Values = append(h.Values, row)
	}
	return h
}
