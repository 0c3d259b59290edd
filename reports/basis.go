package reports

import (
	"fmt"
	"strings"

	"github.com/ckpi/ckpi/metrics"
)

// What the data of a group can support, worded for the reader beside the
// numbers that need more than it has (a column's header says what it
// needs): group_basis says how each group's membership is known and
// whether staff and orders are.

// rollupWord is how an all-groups number is formed, in one word, the same
// in the page's tables, the workbook and `metrics run`.
func rollupWord(r metrics.Rollup, lang string) string {
	return metrics.RollupWord(r, lang)
}

// rollupLegend explains the words of the rollups a table uses; allName,
// when the table's rows are not groups, names its all-row ("All
// accounts"), whose numbers are formed over its rows.
func rollupLegend(rs []metrics.Rollup, lang, allName string) string {
	var parts []string
	for _, r := range []metrics.Rollup{metrics.RollupTotal, metrics.RollupPooled, metrics.RollupDistinct, metrics.RollupAverage} {
		for _, x := range rs {
			if x == r {
				meaning := metrics.RollupMeaning(r, lang)
				if allName != "" {
					meaning = label(lang, "rowsRollup_"+string(r))
				}
				parts = append(parts, metrics.RollupWord(r, lang)+label(lang, "rollupIs")+meaning)
				break
			}
		}
	}
	if len(parts) == 0 {
		return ""
	}
	head := label(lang, "allGroupsRow")
	if allName != "" {
		head = fmtLabel(lang, "allRowOf", allName)
	}
	return head + strings.Join(parts, label(lang, "listSep")) + label(lang, "sentenceEnd")
}

// lacks reports whether a group's data lacks what a column needs, and
// words it for that group.
func (m groupMeta) lacks(need metrics.Need, lang string) (string, bool) {
	switch need {
	case metrics.NeedStaff:
		if !m.StaffKnown {
			return label(lang, "noStaff"), true
		}
	case metrics.NeedOrders:
		if !m.OrdersKnown {
			return label(lang, "noOrders"), true
		}
	case metrics.NeedMessages:
		if !m.MessagesKnown {
			return label(lang, "noMessages"), true
		}
	case metrics.NeedFollowers:
		if !m.FollowersKnown {
			return label(lang, "noFollowers"), true
		}
	case metrics.NeedRoster:
		switch m.Basis {
		case "events":
			return label(lang, "basisEventsNote"), true
		case "activity":
			return label(lang, "basisActivityNote"), true
		}
	}
	return "", false
}

// groupNote is the qualifier of a group's number that needs needs, or "".
func (w *results) groupNote(id int64, needs []metrics.Need) string {
	m, ok := w.meta[id]
	if !ok || m.Basis == "" {
		return ""
	}
	var out []string
	for _, n := range needs {
		if s, lacking := m.lacks(n, w.lang); lacking {
			out = append(out, s)
		}
	}
	return strings.Join(out, label(w.lang, "listSep"))
}

// allGroupsNote is the qualifier of an all-groups number that needs
// needs: how many of the report's groups lack each need, or "".
func (w *results) allGroupsNote(needs []metrics.Need) string {
	var out []string
	for _, n := range needs {
		lacking := 0
		for _, id := range w.ids {
			if m, ok := w.meta[id]; ok && m.Basis != "" {
				if _, l := m.lacks(n, w.lang); l {
					lacking++
				}
			}
		}
		if lacking > 0 {
			out = append(out, fmtLabel(w.lang, "lacking_"+string(n), lacking, len(w.ids)))
		}
	}
	return strings.Join(out, label(w.lang, "listSep"))
}

// notices are the report-level lines: how membership is known per group,
// and no staff known at all.
func (w *results) notices() []string {
	counts := map[string]int{}
	staff, known := 0, 0
	for _, id := range w.ids {
		m, ok := w.meta[id]
		if !ok || m.Basis == "" {
			continue
		}
		known++
		counts[m.Basis]++
		if m.StaffKnown {
			staff++
		}
	}
	if known == 0 {
		return nil
	}
	var parts []string
	for _, b := range []string{"roster", "snapshot", "events", "activity"} {
		if n := counts[b]; n > 0 {
			parts = append(parts, fmtLabel(w.lang, "basis_"+b, groupCount(n, w.lang)))
		}
	}
	out := []string{label(w.lang, "membershipFrom") + strings.Join(parts, label(w.lang, "listSep")) + label(w.lang, "sentenceEnd")}
	if staff == 0 {
		out = append(out, label(w.lang, "noStaffAnywhere"))
	}
	return out
}

// fillAlert writes an alert's text: {drop} as a whole percentage, {value}
// in the column's format.
func fillAlert(text string, drop float64, value *float64, f Format, lang string) string {
	return strings.NewReplacer(
		"{drop}", fmt.Sprintf("%.0f%%", drop*100),
		"{value}", FormatValue(f, value, lang),
	).Replace(text)
}

// groupCount is "1 group", "3 groups".
func groupCount(n int, lang string) string {
	if n == 1 {
		return label(lang, "groupsOne")
	}
	return fmtLabel(lang, "groupsMany", n)
}
