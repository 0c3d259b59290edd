package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ckpi/ckpi/metrics"
	"github.com/rivo/uniseg"
	"github.com/spf13/cobra"
)

// table is rows to print in the format the user chose.
type table struct {
	Columns []string
	Rows    [][]any
	All     string // the all-row's name on a terminal; "" is "(all groups)"
}

func addFormatFlag(cmd *cobra.Command, format *string) {
	cmd.Flags().StringVar(format, "format", "table", "output: table, csv or json")
}

func (t table) write(w io.Writer, format string) error {
	switch format {
	case "table":
		return t.writeAligned(w)
	case "csv":
		return t.writeCSV(w)
	case "json":
		return t.writeJSON(w)
	}
	return usageErrorf("--format %q: want table, csv or json", format)
}

// writeCSV writes the rows for a spreadsheet, where a cell beginning with
// =, +, -, @, tab or CR is a formula (OWASP's CSV injection rule): such a
// cell gets a leading single quote. A plain decimal number (-3, +0.5,
// -1.2e-5) is left alone, whether it came from a number or a text column:
// a spreadsheet reads it as a number, never as a formula, so negative
// values and Telegram's negative chat ids stay as they are.
func (t table) writeCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cells := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		cells[i] = csvCell(c)
	}
	cw.Write(cells) //nolint:errcheck // checked by Flush
	for _, r := range t.Rows {
		for i, v := range r {
			cells[i] = csvCell(cellText(v))
		}
		cw.Write(cells[:len(r)]) //nolint:errcheck // checked by Flush
	}
	cw.Flush()
	return cw.Error()
}

var plainNumber = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

func csvCell(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) || plainNumber.MatchString(s) {
		return s
	}
	return "'" + s
}

// writeJSON writes an array of objects whose keys keep the order of the
// columns. Ids (columns named id or ending in _id) are strings, as is any
// other integer beyond 2^53: jq and JavaScript read JSON numbers as
// doubles, which round 5505338585020822263 to 5505338585020822000.
func (t table) writeJSON(w io.Writer) error {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, r := range t.Rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('{')
		for j, v := range r {
			if j > 0 {
				b.WriteByte(',')
			}
			key, err := json.Marshal(t.Columns[j])
			if err != nil {
				return err
			}
			val, err := json.Marshal(jsonValue(t.Columns[j], v))
			if err != nil {
				return fmt.Errorf("column %s: %w", t.Columns[j], err)
			}
			b.Write(key)
			b.WriteByte(':')
			b.Write(val)
		}
		b.WriteByte('}')
	}
	b.WriteByte(']')
	var out bytes.Buffer
	if err := json.Indent(&out, b.Bytes(), "", "  "); err != nil {
		return err
	}
	out.WriteByte('\n')
	_, err := out.WriteTo(w)
	return err
}

// writeAligned pads columns by display width, so Chinese names (two
// columns wide each) line up with the rest.
func (t table) writeAligned(w io.Writer) error {
	rows := make([][]string, 0, len(t.Rows)+1)
	header := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = terminalText(c)
	}
	rows = append(rows, header)
	idCol, nameCol := slices.Index(t.Columns, "group_id"), slices.Index(t.Columns, "group_name")
	for _, r := range t.Rows {
		cells := make([]string, len(r))
		for i, v := range r {
			if f, ok := v.(float64); ok {
				cells[i] = strconv.FormatFloat(f, 'f', 4, 64)
				continue
			}
			cells[i] = terminalText(cellText(v))
		}
		if idCol >= 0 && nameCol >= 0 && r[idCol] == nil {
			cells[nameCol] = "(all groups)"
			if t.All != "" {
				cells[nameCol] = t.All
			}
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

// maxExactInt is the largest integer a double (a JSON number as most
// readers take it) holds exactly.
const maxExactInt = 1<<53 - 1

func jsonValue(column string, v any) any {
	isID := column == "id" || strings.HasSuffix(column, "_id")
	switch x := v.(type) {
	case time.Time:
		return x.Format(time.RFC3339)
	case *big.Int:
		return x.String()
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil // JSON has no such number
		}
	case int64:
		if isID || x > maxExactInt || x < -maxExactInt {
			return strconv.FormatInt(x, 10)
		}
	case int32:
		if isID {
			return strconv.FormatInt(int64(x), 10)
		}
	case int:
		if isID || x > maxExactInt || x < -maxExactInt {
			return strconv.Itoa(x)
		}
	case uint64:
		if isID || x > maxExactInt {
			return strconv.FormatUint(x, 10)
		}
	case uint32:
		if isID {
			return strconv.FormatUint(uint64(x), 10)
		}
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
	t := table{Columns: cols, Rows: out}
	if d.Rows != nil {
		t.All = "(" + strings.ToLower(d.Rows.All.En) + ")"
	}
	return t
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

// terminalText makes a cell safe to print on a terminal: escape sequences
// (ESC [ ... m, OSC titles and links, ...) are removed whole, line breaks
// and tabs become spaces, and every other control character (C0, DEL, C1)
// and the bidirectional overrides that reorder what a line shows are
// dropped; bytes that are not UTF-8 become U+FFFD. Names and messages come from exports anyone can write.
func terminalText(s string) string {
	if utf8.ValidString(s) && !strings.ContainsFunc(s, isTerminalControl) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 0x1b:
			i += escapeLen(s[i:])
			continue
		case r == '\n' || r == '\t' || r == '\r':
			b.WriteByte(' ')
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError) // a stray byte: 0x9b alone is CSI to some terminals
		case isTerminalControl(r):
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// terminalLines is terminalText for a message of several lines (-v).
func terminalLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = terminalText(l)
	}
	return strings.Join(lines, "\n")
}

func isTerminalControl(r rune) bool {
	return r < 0x20 || r >= 0x7f && r < 0xa0 || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

// escapeLen is the length of the escape sequence at the start of s (which
// begins with ESC): CSI (ESC [ params final), OSC, DCS, SOS, PM and APC
// (ended by BEL or ESC \\), or ESC and one more character.
func escapeLen(s string) int {
	if len(s) < 2 {
		return len(s)
	}
	switch s[1] {
	case '[':
		for j := 2; j < len(s); j++ {
			if s[j] >= 0x40 && s[j] <= 0x7e {
				return j + 1
			}
		}
		return len(s)
	case ']', 'P', 'X', '^', '_':
		for j := 2; j < len(s); j++ {
			if s[j] == 0x07 {
				return j + 1
			}
			if s[j] == 0x1b && j+1 < len(s) && s[j+1] == '\\' {
				return j + 2
			}
		}
		return len(s)
	}
	_, size := utf8.DecodeRuneInString(s[1:])
	return 1 + size
}
