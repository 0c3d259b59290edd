// Package metrics reads KPI definitions (one SQL file each, with a comment
// header) and runs them against a ckpi database with bound parameters.
package metrics

import (
	"bufio"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/ckpi/ckpi/queries"
)

// Definition is one metric file.
type Definition struct {
	Name        string
	Title       string
	Unit        string
	Grain       string // day | week | month
	Direction   string // up | down: which change is good
	Value       string // the headline column
	Description string
	Params      []string
	Columns     []string
	SQL         string
	File        string // where it was read from, for error messages
}

// Parameters a metric may take; the runner binds each by name.
var knownParams = []string{"start", "end", "group"}

var requiredFields = []string{"name", "title", "unit", "grain", "direction", "value", "params", "columns", "description"}

// HeaderError points at the line of a metric file that is wrong.
type HeaderError struct {
	File string
	Line int
	Msg  string
}

func (e *HeaderError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// Parse reads a metric file: a block of "-- key: value" comment lines
// (indented "--" lines continue the previous value; an empty "--" line ends
// the block), then the SQL.
func Parse(file string, src []byte) (*Definition, error) {
	d := &Definition{File: file, SQL: string(src)}
	fields := map[string]string{}
	lineOf := map[string]int{}
	var last string
	sc := bufio.NewScanner(strings.NewReader(string(src)))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "--") {
			break
		}
		body := strings.TrimPrefix(line, "--")
		if strings.TrimSpace(body) == "" {
			break // an empty comment line ends the header; free comments follow
		}
		if strings.HasPrefix(body, "   ") && last != "" { // continuation
			fields[last] += " " + strings.TrimSpace(body)
			continue
		}
		key, val, ok := strings.Cut(strings.TrimSpace(body), ":")
		if !ok {
			continue // a plain comment
		}
		key = strings.ToLower(strings.TrimSpace(key))
		if !slices.Contains(requiredFields, key) {
			return nil, &HeaderError{file, n, fmt.Sprintf("unknown header field %q (fields: %s)", key, strings.Join(requiredFields, ", "))}
		}
		if _, dup := fields[key]; dup {
			return nil, &HeaderError{file, n, fmt.Sprintf("header field %q given twice", key)}
		}
		fields[key], lineOf[key], last = strings.TrimSpace(val), n, key
	}
	for _, k := range requiredFields {
		if strings.TrimSpace(fields[k]) == "" {
			return nil, &HeaderError{file, 1, fmt.Sprintf("header lacks %q (write '-- %s: ...' at the top)", k, k)}
		}
	}
	d.Name, d.Title, d.Unit = fields["name"], fields["title"], fields["unit"]
	d.Grain, d.Direction, d.Value = fields["grain"], fields["direction"], fields["value"]
	d.Description = fields["description"]
	d.Params = splitList(fields["params"])
	d.Columns = splitList(fields["columns"])

	if want := strings.TrimSuffix(path.Base(file), ".sql"); d.Name != want {
		return nil, &HeaderError{file, lineOf["name"], fmt.Sprintf("name %q must match the file name %q", d.Name, want)}
	}
	if !slices.Contains([]string{"day", "week", "month"}, d.Grain) {
		return nil, &HeaderError{file, lineOf["grain"], fmt.Sprintf("grain %q: want day, week or month", d.Grain)}
	}
	if d.Direction != "up" && d.Direction != "down" {
		return nil, &HeaderError{file, lineOf["direction"], fmt.Sprintf("direction %q: want up or down", d.Direction)}
	}
	for _, p := range d.Params {
		if !slices.Contains(knownParams, p) {
			return nil, &HeaderError{file, lineOf["params"], fmt.Sprintf("unknown parameter %q (known: %s)", p, strings.Join(knownParams, ", "))}
		}
	}
	if !slices.Contains(d.Columns, d.Value) {
		return nil, &HeaderError{file, lineOf["value"], fmt.Sprintf("value column %q is not in columns", d.Value)}
	}
	if err := checkParamsUsed(d, lineOf["params"]); err != nil {
		return nil, err
	}
	return d, nil
}

// checkParamsUsed makes the header and the SQL agree on parameters: every
// $name in the SQL is declared, and every declared one is used.
func checkParamsUsed(d *Definition, line int) error {
	used := queries.Params(d.SQL)
	for _, u := range used {
		if !slices.Contains(d.Params, u) {
			return &HeaderError{d.File, line, fmt.Sprintf("the SQL uses $%s, which params does not declare", u)}
		}
	}
	for _, p := range d.Params {
		if !slices.Contains(used, p) {
			return &HeaderError{d.File, line, fmt.Sprintf("params declares %q but the SQL never uses $%s", p, p)}
		}
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// LoadFS reads every .sql file of a folder as a metric definition.
func LoadFS(fsys fs.FS, dir string) ([]*Definition, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var defs []*Definition
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		p := path.Join(dir, e.Name())
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		d, err := Parse(p, src)
		if err != nil {
			return nil, err
		}
		defs = append(defs, d)
	}
	return defs, nil
}
