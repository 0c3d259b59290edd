package metrics

import (
	"fmt"
	"strings"
)

// Markers of the parts of docs/metrics.md written from the catalogue (the
// docs test rewrites them with -update and fails when they are stale).
const (
	docsValuesBegin    = "<!-- BEGIN: header values, generated from metrics/header.go -->"
	docsValuesEnd      = "<!-- END: header values -->"
	docsCatalogueBegin = "<!-- BEGIN: built-in metrics, generated from the headers of queries/metrics/*.sql -->"
	docsCatalogueEnd   = "<!-- END: built-in metrics -->"
)

// UpdateDocs rewrites the generated parts of docs/metrics.md: the values a
// header field takes, and the reference of the built-in metrics.
func UpdateDocs(doc string, cat *Catalog) (string, error) {
	doc, err := replaceBetween(doc, docsValuesBegin, docsValuesEnd, headerValuesMarkdown())
	if err != nil {
		return "", err
	}
	return replaceBetween(doc, docsCatalogueBegin, docsCatalogueEnd, catalogueMarkdown(cat))
}

func replaceBetween(doc, begin, end, body string) (string, error) {
	i := strings.Index(doc, begin)
	j := strings.Index(doc, end)
	if i < 0 || j < i {
		return "", fmt.Errorf("docs: no %q ... %q block", begin, end)
	}
	return doc[:i+len(begin)] + "\n" + body + doc[j:], nil
}

// headerValuesMarkdown lists the values of the header's enums.
func headerValuesMarkdown() string {
	var b strings.Builder
	b.WriteString("| field | values |\n|---|---|\n")
	row := func(field string, vals []string) {
		fmt.Fprintf(&b, "| `%s` | %s |\n", field, strings.Join(vals, ", "))
	}
	var fs []string
	for _, f := range formats {
		fs = append(fs, "`"+string(f)+"`")
	}
	row("format", fs)
	var ds []string
	for _, d := range directions {
		ds = append(ds, "`"+string(d)+"`")
	}
	row("good", ds)
	var rs []string
	for _, r := range rollups {
		m := RollupMeaning(r, "en")
		if r == RollupNone {
			m = "no all-groups number"
		}
		rs = append(rs, fmt.Sprintf("`%s` (%s)", r, m))
	}
	row("all", rs)
	var ns []string
	for _, n := range needs {
		ns = append(ns, "`"+string(n)+"`")
	}
	row("needs", ns)
	var ros []string
	for _, r := range roles {
		ros = append(ros, "`"+string(r)+"`")
	}
	row("role", ros)
	var ss []string
	for _, s := range sections {
		ss = append(ss, "`"+string(s)+"`")
	}
	row("section", ss)
	var ks []string
	for _, k := range chartKinds {
		ks = append(ks, "`"+string(k)+"`")
	}
	row("charts: kind", ks)
	var hs []string
	for _, h := range heatmapKinds {
		hs = append(hs, "`"+string(h)+"`")
	}
	row("heatmaps: kind", hs)
	var gs []string
	for _, g := range grains {
		gs = append(gs, "`"+string(g)+"`")
	}
	row("grain", gs)
	var ps []string
	for _, p := range knownParams {
		ps = append(ps, "`"+p+"`")
	}
	row("params", ps)
	return b.String()
}

// catalogueMarkdown is the reference of the catalogue's metrics: each with
// its definition, where the report shows it, and its columns.
func catalogueMarkdown(cat *Catalog) string {
	var b strings.Builder
	defs := cat.All()
	b.WriteString("| metric | headline | good | shown in the report |\n|---|---|---|---|\n")
	for _, d := range defs {
		fmt.Fprintf(&b, "| [`%s`](#%s) | `%s` (%s) | %s | %s |\n", d.Name, anchor(d), d.Value, d.Column(d.Value).Format, d.Direction(),
			cell(strings.Join(d.Places("en"), "; ")))
	}
	for _, d := range defs {
		fmt.Fprintf(&b, "\n### %s: %s\n\n", d.Name, d.Title.En)
		fmt.Fprintf(&b, "%s / %s. `%s`, grain %s, parameters %s.\n\n", d.Title.En, d.Title.Zh, d.File, d.Grain, strings.Join(d.Params, ", "))
		b.WriteString(d.Description.En + "\n\n")
		if r := d.Rows; r != nil {
			fmt.Fprintf(&b, "Rows: one per %s, not per group (group_id and group_name hold the %s's id and name); the all-groups row is %s.\n\n", r.Of, r.Of, r.All.En)
		}
		b.WriteString("| column | label | format | good | all groups | needs | what it counts |\n|---|---|---|---|---|---|---|\n")
		for _, c := range d.Specs {
			var ns []string
			for _, n := range c.Needs {
				ns = append(ns, string(n))
			}
			all, good := string(c.All), string(c.Good)
			if !c.Format.Numeric() {
				all, good = "", ""
			}
			fmt.Fprintf(&b, "| `%s` | %s / %s | %s | %s | %s | %s | %s |\n", c.Name, cell(c.Label.En), cell(c.Label.Zh), c.Format, good, all,
				strings.Join(ns, ", "), cell(c.About.En))
		}
	}
	return b.String()
}

// anchor is the GitHub anchor of a metric's heading.
func anchor(d *Definition) string {
	s := strings.ToLower(d.Name + " " + d.Title.En)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_', r == '-':
			b.WriteRune(r)
		case r == ' ':
			b.WriteRune('-')
		}
	}
	return b.String()
}

// cell escapes text for a Markdown table cell.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
