package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ckpi/ckpi/metrics"
	"github.com/rivo/uniseg"
	"github.com/spf13/cobra"
)

// table is rows to print in the format the user chose.
type table struct {
	Columns []string
	Rows    [][]any
}

func addFormatFlag(cmd *cobra.Command, format *string) {
	cmd.Flags().StringVar(format, "format", "table", "output: table, csv or json")
}

func (t table) write(w io.Writer, format string) error {
	switch format {
	case "table":
		return t.writeAligned(w)
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write(t.Columns) //nolint:errcheck // checked by Flush
		for _, r := range t.Rows {
			cells := make([]string, len(r))
			for i, v := range r {
				cells[i] = cellText(v)
			}
			cw.Write(cells) //nolint:errcheck // checked by Flush
		}
		cw.Flush()
		return cw.Error()
	case "json":
		out := make([]map[string]any, len(t.Rows))
		for i, r := range t.Rows {
			m := make(map[string]any, len(r))
			for j, v := range r {
				m[t.Columns[j]] = jsonValue(v)
			}
			out[i] = m
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	return fmt.Errorf("--format %q: want table, csv or json", format)
}

// writeAligned pads columns by display width, so Chinese names (two
// columns wide each) line up with the rest.
func (t table) writeAligned(w io.Writer) error {
	rows := make([][]string, 0, len(t.Rows)+1)
	rows = append(rows, t.Columns)
	idCol, nameCol := slices.Index(t.Columns, "group_id"), slices.Index(t.Columns, "group_name")
	for _, r := range t.Rows {
		cells := make([]string, len(r))
		for i, v := range r {
			if f, ok := v.(float64); ok {
				cells[i] = strconv.FormatFloat(f, 'f', 4, 64)
				continue
			}
			cells[i] = strings.NewReplacer("\n", " ", "\t", " ").Replace(cellText(v))
		}
		if idCol >= 0 && nameCol >= 0 && r[idCol] == nil {
			cells[nameCol] = "(all groups)"
		}
		rows = append(rows, cells)
	}
	widths := make([]int, len(t.Columns))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], uniseg.StringWidth(c))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-uniseg.StringWidth(c)+2))
			}
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case time.Time:
		return x.Format(time.RFC3339)
	case *big.Int:
		return x.String()
	}
	return fmt.Sprint(v)
}

func jsonValue(v any) any {
	switch x := v.(type) {
	case time.Time:
		return x.Format(time.RFC3339)
	case *big.Int:
		return x.String()
	}
	return v
}

// metricTable is a metric's rows as the chosen format shows them. CSV and
// JSON keep the values as they are. On a terminal each number is written
// in its column's format (a count as an integer, never "231.0000"), each
// number of the all-groups row followed by how it is formed, "(total)" as
// in the report, and a --compare change in its unit ("+2.5 pp", "+7.2%",
// "+3").
func metricTable(d *metrics.Definition, cols []string, rows [][]any, format string) table {
	if format != "table" {
		return table{Columns: cols, Rows: rows}
	}
	idCol := slices.Index(cols, "group_id")
	changeOf := d.Value + "_change"
	unitCol := slices.Index(cols, d.Value+"_change_unit")
	out := make([][]any, len(rows))
	for r, row := range rows {
		all := idCol >= 0 && row[idCol] == nil
		cells := make([]any, len(row))
		for i, v := range row {
			cells[i] = v
			n := metrics.Number(v)
			if n == nil || cols[i] == "group_id" {
				continue
			}
			name := strings.TrimSuffix(cols[i], "_previous")
			c := d.Column(name)
			switch {
			case cols[i] == changeOf && unitCol >= 0:
				unit, _ := row[unitCol].(string)
				cells[i] = changeText(*n, unit, d.Column(d.Value))
				continue
			case c == nil:
				continue
			}
			text := numberText(*n, c, all)
			if all && cols[i] == name {
				if w := metrics.RollupWord(c.All, "en"); w != "" {
					text += " (" + w + ")"
				}
			}
			cells[i] = text
		}
		out[r] = cells
	}
	return table{Columns: cols, Rows: out}
}

// numberText writes a number in its column's format: a count as an
// integer (an average of groups' counts with one decimal), a ratio and
// anything else with up to four decimals.
func numberText(x float64, c *metrics.Column, allRow bool) string {
	switch {
	case c.Format == metrics.FormatCount && !(allRow && c.All == metrics.RollupAverage):
		return strconv.FormatFloat(math.Round(x), 'f', 0, 64)
	case c.Format == metrics.FormatCurrency:
		return strconv.FormatFloat(x, 'f', 2, 64)
	}
	return strconv.FormatFloat(x, 'f', 4, 64)
}

// changeText writes a --compare change with its sign and unit.
func changeText(x float64, unit string, c *metrics.Column) string {
	sign := "+"
	if x < 0 {
		sign, x = "-", -x
	}
	switch metrics.ChangeKind(unit) {
	case metrics.ChangePoints:
		return sign + strconv.FormatFloat(x, 'f', 1, 64) + " pp"
	case metrics.ChangeRelative:
		return sign + strconv.FormatFloat(x, 'f', 1, 64) + "%"
	}
	if c != nil && c.Format == metrics.FormatCount {
		return sign + strconv.FormatFloat(math.Round(x), 'f', 0, 64)
	}
	return sign + strconv.FormatFloat(x, 'f', 2, 64)
}
