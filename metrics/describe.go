package metrics

import (
	"fmt"
	"strings"
	"unicode"
)

// Describe is a metric as `ckpi metrics describe` prints it: what it
// computes, its columns with their formats, how each all-groups number is
// formed and what it needs, and where the report shows it.
func Describe(d *Definition, lang string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", d.Name, d.Title.In(lang))
	fmt.Fprintf(&b, "file:        %s\n", d.File)
	fmt.Fprintf(&b, "grain:       %s\n", d.Grain)
	fmt.Fprintf(&b, "parameters:  %s\n", strings.Join(d.Params, ", "))
	fmt.Fprintf(&b, "headline:    %s (%s, good when %s)\n", d.Value, d.Column(d.Value).Format, d.Direction())
	if r := d.Rows; r != nil {
		fmt.Fprintf(&b, "rows:        one per %s, not per group; the all-groups row is %q\n", r.Of, r.All.In(lang))
	}
	for i, p := range d.Places(lang) {
		label := "in report:  "
		if i > 0 {
			label = "            "
		}
		fmt.Fprintf(&b, "%s %s\n", label, p)
	}
	b.WriteString("\n")
	b.WriteString(wrap(d.Description.In(lang), 78, ""))
	b.WriteString("\n\ncolumns (group_id, group_name first, then):\n")
	w := 0
	for _, c := range d.Specs {
		w = max(w, len(c.Name))
	}
	for _, c := range d.Specs {
		fmt.Fprintf(&b, "  %-*s  %s\n", w, c.Name, c.Label.In(lang))
		attrs := []string{"format " + string(c.Format)}
		if c.Format.Numeric() {
			good := "good when " + string(c.Good)
			if c.Good == None {
				good = "neither way is good news"
			}
			attrs = append(attrs, good)
			if c.All == RollupNone {
				attrs = append(attrs, "no all-groups number")
			} else {
				attrs = append(attrs, "all groups: "+string(c.All)+" ("+RollupMeaning(c.All, "en")+")")
			}
		}
		if len(c.Needs) > 0 {
			var ns []string
			for _, n := range c.Needs {
				ns = append(ns, string(n))
			}
			attrs = append(attrs, "needs "+strings.Join(ns, ", "))
		}
		if c.Role != "" {
			attrs = append(attrs, "role "+string(c.Role))
		}
		indent := strings.Repeat(" ", w+4)
		b.WriteString(wrap(strings.Join(attrs, "; "), 78, indent))
		b.WriteString("\n")
		b.WriteString(wrap(c.About.In(lang), 78, indent))
		b.WriteString("\n")
	}
	return b.String()
}

// Places says where the report shows a metric: its table (or section), its
// cards, its groups-table columns, its trend charts and heatmaps.
func (d *Definition) Places(lang string) []string {
	var out []string
	switch {
	case d.Table == nil:
	case d.Section == SectionRisk:
		out = append(out, "a table in the risk section (once `ckpi risk scan` has run)")
	case d.Table.ID != d.Name:
		out = append(out, "columns of the "+d.Table.ID+" table and sheet")
	default:
		out = append(out, "its own table and sheet, "+d.Table.Title.In(lang))
	}
	for _, c := range d.Specs {
		if c.Card != nil {
			title := c.Label.In(lang)
			if c.Card.Label != nil {
				title = c.Card.Label.In(lang)
			}
			out = append(out, fmt.Sprintf("card %q (%s)", title, c.Name))
		}
	}
	var groups []string
	for _, c := range d.Specs {
		if c.Groups != nil {
			groups = append(groups, c.Name)
		}
	}
	if len(groups) > 0 {
		out = append(out, "groups table: "+strings.Join(groups, ", "))
	}
	charts := map[string][]string{}
	var ids []string
	for _, c := range d.Specs {
		if c.Trend != nil {
			if charts[c.Trend.Chart] == nil {
				ids = append(ids, c.Trend.Chart)
			}
			charts[c.Trend.Chart] = append(charts[c.Trend.Chart], c.Name)
		}
	}
	for _, id := range ids {
		out = append(out, "trend chart "+id+": "+strings.Join(charts[id], ", "))
	}
	for _, h := range d.Heatmaps {
		out = append(out, "heatmap "+h.ID)
	}
	if len(out) == 0 {
		out = append(out, "nowhere (metrics run only)")
	}
	return out
}

// wrap breaks text into lines of at most width characters, each after
// indent; a text with CJK characters, which breaks anywhere, is left whole.
func wrap(text string, width int, indent string) string {
	if hasCJK(text) {
		return indent + text
	}
	words := strings.Fields(text)
	var lines []string
	line := indent
	for _, w := range words {
		if len(line) > len(indent) && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = indent
		}
		if len(line) > len(indent) {
			line += " "
		}
		line += w
	}
	if strings.TrimSpace(line) != "" {
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

func hasCJK(s string) bool {
	for _, r := range s {
		if isCJK(r) {
			return true
		}
	}
	return false
}

// isCJK reports a Han character or CJK punctuation (full-width forms).
func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}

// joinCJK removes the spaces YAML folding puts where a Chinese text was
// broken across lines: Chinese writes no space between two CJK characters.
func joinCJK(s string) string {
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if r == ' ' && i > 0 && i+1 < len(rs) && isCJK(rs[i-1]) && isCJK(rs[i+1]) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
