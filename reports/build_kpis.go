package reports

import (
	"github.com/ckpi/ckpi/metrics"
)

// reportFormat is how the report writes a catalogue column's numbers.
func reportFormat(f metrics.Format) Format {
	switch f {
	case metrics.FormatCount:
		return Int
	case metrics.FormatRatio, metrics.FormatPercent:
		return Percent
	case metrics.FormatMinutes:
		return Minutes
	case metrics.FormatCurrency:
		return Money
	case metrics.FormatScore:
		return Score
	case metrics.FormatText:
		return Text
	}
	return Float
}

// catalogFormat is the catalogue format a report format stands for: what
// decides how its change is shown.
func catalogFormat(f Format) metrics.Format {
	switch f {
	case Int:
		return metrics.FormatCount
	case Percent:
		return metrics.FormatRatio
	case Minutes:
		return metrics.FormatMinutes
	case Money:
		return metrics.FormatCurrency
	case Score:
		return metrics.FormatScore
	case Text:
		return metrics.FormatText
	}
	return metrics.FormatDecimal
}

// goodWhen is a column's good direction as the renderers take it: "up",
// "down", or "" when neither is good news.
func goodWhen(d metrics.Direction) string {
	if d == metrics.Up || d == metrics.Down {
		return string(d)
	}
	return ""
}

// cellFormat is the format of a column's cell: a count whose all-groups
// row is an average of groups is no longer a whole number there.
func cellFormat(c *metrics.Column, allRow bool) Format {
	f := reportFormat(c.Format)
	if allRow && f == Int && c.All == metrics.RollupAverage {
		return Float
	}
	return f
}

// buildCardsModel is a card per column the catalogue puts on one, in its order.
func buildCardsModel(w *results) []Card {
	var cards []Card
	for _, p := range w.cat.Cards() {
		col := p.Column
		if w.at(p.Metric.Name, 0) == nil {
			continue
		}
		title, hint := col.Label.In(w.lang), col.About.In(w.lang)
		if col.Card.Label != nil {
			title = col.Card.Label.In(w.lang)
		}
		if col.Card.About != nil {
			hint = col.Card.About.In(w.lang)
		}
		series := w.series(p.Metric.Name, col.Name)
		cards = append(cards, Card{
			Key:       p.Metric.Name + "." + col.Name,
			Title:     title,
			Format:    cellFormat(col, true),
			Value:     series[len(series)-1],
			Previous:  series[len(series)-2],
			GoodWhen:  goodWhen(col.Good),
			Sparkline: series,
			Hint:      hint,
			Rollup:    rollupWord(col.All, w.lang),
			Note:      w.allGroupsNote(col.Needs),
		})
		if r := p.Metric.Rows; r != nil {
			cards[len(cards)-1].All = r.All.In(w.lang)
			cards[len(cards)-1].Note = ""
		}
	}
	return cards
}

// buildTrendsModel is a chart per chart of the catalogue, each series the
// all-groups value of a column week by week. A stacked chart leaves out the
// series that are zero every week, and shows its fallback column when none
// is left. Charts of risk metrics wait for a risk scan.
func buildTrendsModel(w *results) []Trend {
	labels := w.weekLabels()
	var out []Trend
	for _, ch := range w.cat.Charts() {
		owner, err := w.cat.Get(ch.Metric)
		if err != nil {
			continue
		}
		section := ""
		if owner.Section == metrics.SectionRisk {
			if !w.scanned {
				continue
			}
			section = string(metrics.SectionRisk)
		}
		t := Trend{Key: ch.Metric + "." + ch.ID, Title: ch.Title.In(w.lang), Kind: string(ch.Kind), Labels: labels, Section: section}
		var first *metrics.Column
		for _, p := range ch.Series {
			if w.at(p.Metric.Name, 0) == nil {
				continue
			}
			if first == nil {
				first = p.Column
			}
			s := Series{Name: p.Column.Label.In(w.lang), Values: w.series(p.Metric.Name, p.Column.Name), Kind: string(p.Column.Trend.Kind)}
			if p.Column.Trend.Axis == "right" {
				s.Axis = 1
			}
			if ch.Kind == metrics.ChartStacked && !anyNonZero(s.Values) {
				continue
			}
			t.Series = append(t.Series, s)
		}
		if first == nil {
			continue
		}
		if len(t.Series) == 0 && ch.Fallback != "" {
			if fb := owner.Column(ch.Fallback); fb != nil {
				t.Series = []Series{{Name: fb.Label.In(w.lang), Values: w.series(owner.Name, fb.Name)}}
			}
		}
		t.Format = reportFormat(first.Format)
		if ch.Format != "" {
			t.Format = reportFormat(ch.Format)
		}
		out = append(out, t)
	}
	return out
}

// anyNonZero reports whether a series has a value other than zero.
func anyNonZero(vs []*float64) bool {
	for _, v := range vs {
		if isNumber(v) && *v != 0 {
			return true
		}
	}
	return false
}
