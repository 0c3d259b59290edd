package reports

import (
	"fmt"
)

// RhythmGroups is how many groups the activity rhythm heatmap shows at most:
// with more, the ones most in need (lowest health score).
const RhythmGroups = 30

func buildHeatmapsModel(w *results, lang string) []Heatmap {
	var out []Heatmap
	if w.seen["activity_frequency"] && len(w.ids) > 0 {
		out = append(out, rhythmHeatmap(w, lang))
	}
	if w.seen["retention"] {
		out = append(out, cohortHeatmap(w, lang))
	}
	out = append(out, hoursHeatmap(w, lang))
	return out
}

// rhythmHeatmap is activities held per group per week over the trend weeks,
// for the groups most in need first.
func rhythmHeatmap(w *results, lang string) Heatmap {
	zh := lang == "zh"
	ids := w.ids
	h := Heatmap{
		Key:     "activity.rhythm",
		Short:   pick(zh, "Activity rhythm", "活动节奏"),
		XTitle:  pick(zh, "Week", "周次"),
		YTitle:  pick(zh, "Group", "群组"),
		XLabels: w.weekLabels(),
		Format:  Int,
	}
	if len(ids) > RhythmGroups {
		ids = ids[:RhythmGroups]
		h.Title = fmt.Sprintf(pick(zh, "Activity rhythm: the %d groups with the lowest health score (of %s)", "活动节奏：健康分最低的 %d 个群（共 %s 个）"),
			RhythmGroups, FormatValue(Int, i64(int64(len(w.ids))), lang))
	} else {
		h.Title = pick(zh, "Activity rhythm per group", "各群活动节奏")
	}
	h.Note = pick(zh, "Activities held per group and week; a pale row is a group without a rhythm. Lowest health score at the top.",
		"每个群每周举办的活动次数；浅色的行表示该群缺少活动节奏。健康分最低的群在最上方。")
	weeks := make([]map[int64]map[string]any, TrendWeeks)
	for i := range weeks {
		weeks[i] = w.byGroup("activity_frequency", i-TrendWeeks+1)
	}
	for _, id := range ids {
		h.YLabels = append(h.YLabels, w.names[id])
		row := make([]*float64, TrendWeeks)
		for i := range row {
			if m, ok := weeks[i][id]; ok {
				row[i] = toFloat(m["activities"])
			}
		}
		h.Values = append(h.Values, row)
	}
	return h
}

// cohortHeatmap is the share of each weekly join cohort still in its group
// 1-4 weeks later. Weeks after the report week are not known yet: empty.
func cohortHeatmap(w *results, lang string) Heatmap {
	zh := lang == "zh"
	h := Heatmap{
		Key:    "retention.cohorts",
		Title:  pick(zh, "Cohort retention: share of each week's joiners still in the group", "留存：各周入群成员此后仍在群内的比例"),
		Short:  pick(zh, "Cohort retention", "留存"),
		Note:   pick(zh, "Rows are the weeks members joined (with how many joined); columns the weeks after. Weeks not over yet are empty.", "行是入群周（括号内为入群人数），列是入群后的第几周；尚未结束的周为空。"),
		XTitle: pick(zh, "Weeks after joining", "入群后"),
		YTitle: pick(zh, "Joined in", "入群周"),
		Format: Percent,
	}
	for k := 1; k <= 4; k++ {
		h.XLabels = append(h.XLabels, fmt.Sprintf(pick(zh, "Week %d", "第 %d 周"), k))
	}
	for off := -CohortWeeks; off <= -1; off++ {
		size := w.total("retention", off, "cohort_size")
		n := ""
		if isNumber(size) {
			n = FormatValue(Int, size, lang)
		}
		label := w.week.Shift(off).Label
		if n != "" {
			label += fmt.Sprintf(pick(zh, " (%s)", "（%s 人）"), n)
		}
		h.YLabels = append(h.YLabels, label)
		row := make([]*float64, 4)
		for k := 1; k <= 4; k++ {
			if off+k > 0 || !isNumber(size) || *size == 0 { // not over yet, or nobody joined
				continue
			}
			row[k-1] = w.total("retention", off, fmt.Sprintf("retained_w%d", k))
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
func hoursHeatmap(w *results, lang string) Heatmap {
	zh := lang == "zh"
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
