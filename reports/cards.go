package reports

import (
	"strconv"
	"strings"

	"github.com/ckpi/ckpi/metrics"
)

// Tones of a week-over-week change.
const (
	toneGood    = "good"
	toneBad     = "bad"
	toneNeutral = "neutral"
)

// cardView is a Card as the page shows it: every string already formatted.
type cardView struct {
	Key      string
	Title    string
	Hint     string // what the number counts
	Value    string
	Previous string // last week's value, formatted
	Arrow    string // "▲", "▼" or "" when there is no change to show
	Change   string // the unsigned change ("12.5%", "2.5 pp", "3"), or a note
	Tone     string // toneGood, toneBad or toneNeutral
	Rollup   string // "All groups: total"
	Note     string // what the data cannot support
	Spark    *sparkline
}

func buildCards(cs []Card, lang string) []cardView {
	out := make([]cardView, 0, len(cs))
	for _, c := range cs {
		v := cardView{
			Key:      c.Key,
			Title:    c.Title,
			Hint:     c.Hint,
			Value:    FormatValue(c.Format, c.Value, lang),
			Previous: FormatValue(c.Format, c.Previous, lang),
			Tone:     changeTone(c),
			Note:     c.Note,
			Spark:    newSparkline(c.Sparkline),
		}
		switch {
		case c.Rollup != "" && c.All != "":
			v.Rollup = fmtLabel(lang, "allRowIs", c.All, c.Rollup)
		case c.Rollup != "":
			v.Rollup = fmtLabel(lang, "allGroupsIs", c.Rollup)
		}
		ch, ok := c.Change()
		switch {
		case !ok:
			v.Change = label(lang, "notComparable")
		case negligible(ch, c.Format, lang):
			v.Change = label(lang, "noChange")
		case ch.Value > 0:
			v.Arrow, v.Change = "▲", formatChange(ch, c.Format, lang)
		default:
			v.Arrow, v.Change = "▼", formatChange(ch, c.Format, lang)
		}
		out = append(out, v)
	}
	return out
}

// changeTone says whether a card's change is good news (it goes the GoodWhen
// way), bad news, or neither (no change, no comparison, or GoodWhen unset).
func changeTone(c Card) string {
	ch, ok := c.Change()
	if !ok || negligible(ch, c.Format, "en") {
		return toneNeutral
	}
	switch strings.ToLower(c.GoodWhen) {
	case "up":
		if ch.Value > 0 {
			return toneGood
		}
		return toneBad
	case "down":
		if ch.Value < 0 {
			return toneGood
		}
		return toneBad
	}
	return toneNeutral
}

// negligible reports whether a change is too small to show: it would be
// written as zero, and an arrow and a colour beside it mislead.
func negligible(ch metrics.Change, f Format, lang string) bool {
	zero := metrics.Change{Kind: ch.Kind}
	return formatChange(ch, f, lang) == formatChange(zero, f, lang)
}

// sparkline is a tiny inline SVG line of a card's recent values, computed
// here so it needs no script. Nil values break the line.
type sparkline struct {
	Width, Height int
	Line          string // SVG path of the line segments
	Area          string // SVG path of the shaded area under them
	DotX, DotY    string // the latest value, when it is known
	HasDot        bool
}

const (
	sparkW   = 132
	sparkH   = 36
	sparkPad = 3.0
)

// newSparkline returns nil when there is nothing to draw.
func newSparkline(vs []*float64) *sparkline {
	lo, hi, known := 0.0, 0.0, 0
	for _, v := range vs {
		if !isNumber(v) {
			continue
		}
		if known == 0 || *v < lo {
			lo = *v
		}
		if known == 0 || *v > hi {
			hi = *v
		}
		known++
	}
	if known == 0 {
		return nil
	}
	n := len(vs)
	x := func(i int) float64 {
		if n == 1 {
			return sparkW / 2
		}
		return sparkPad + float64(i)*(sparkW-2*sparkPad)/float64(n-1)
	}
	y := func(v float64) float64 {
		if hi == lo {
			return sparkH / 2
		}
		return sparkPad + (hi-v)/(hi-lo)*(sparkH-2*sparkPad)
	}
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

	var line, area strings.Builder
	base := num(sparkH - 1)
	for i := 0; i < n; {
		if !isNumber(vs[i]) {
			i++
			continue
		}
		start := i
		line.WriteString("M" + num(x(i)) + " " + num(y(*vs[i])))
		area.WriteString("M" + num(x(i)) + " " + base + "L" + num(x(i)) + " " + num(y(*vs[i])))
		for i++; i < n && isNumber(vs[i]); i++ {
			line.WriteString("L" + num(x(i)) + " " + num(y(*vs[i])))
			area.WriteString("L" + num(x(i)) + " " + num(y(*vs[i])))
		}
		if i-start == 1 { // a lone point: a zero-length stroke shows as a dot
			line.WriteString("l0.01 0")
		}
		area.WriteString("L" + num(x(i-1)) + " " + base + "Z")
	}
	s := &sparkline{Width: sparkW, Height: sparkH, Line: line.String(), Area: area.String()}
	if last := vs[n-1]; isNumber(last) {
		s.DotX, s.DotY, s.HasDot = num(x(n-1)), num(y(*last)), true
	}
	return s
}
