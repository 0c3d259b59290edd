package format

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// csvTable reads a CSV export whose header names its columns, so columns
// may come in any order and unknown ones are ignored.
type csvTable struct {
	r      *csv.Reader
	format string
	path   string
	col    map[string]int
	line   int64 // of the last record's first field
	next1  int64 // the line the next record starts on
	guard  *recordGuard
}

func openCSV(in Input, format string, required, optional []string) (*csvTable, error) {
	guard := &recordGuard{r: in.R, max: int64(in.MaxMessageBytes())}
	guard.limit = guard.max + csvSlack
	r := csv.NewReader(guard)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	t := &csvTable{r: r, format: format, path: in.Path, col: map[string]int{}, next1: 1, guard: guard}
	header, err := r.Read()
	if err != nil {
		return nil, t.error(err)
	}
	t.advance(header)
	for i, h := range header {
		t.col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	var missing []string
	for _, name := range required {
		if _, ok := t.col[name]; !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return nil, &ParseError{Format: format, Path: in.Path, Line: 1,
			Msg: fmt.Sprintf("header lacks column(s) %s (needs %s; optional %s)",
				strings.Join(missing, ", "), strings.Join(required, ","), strings.Join(optional, ","))}
	}
	return t, nil
}

// next returns the next record; rows that are not valid CSV end the file
// because everything after them would be misread.
func (t *csvTable) next() ([]string, error) {
	rec, err := t.r.Read()
	if err == io.EOF {
		return nil, err
	}
	if err != nil {
		return nil, t.error(err)
	}
	t.advance(rec)
	for _, f := range rec {
		if strings.IndexByte(f, 0) >= 0 {
			return nil, &ParseError{Format: t.format, Path: t.path, Line: t.line, Msg: "binary data (NUL byte): not a text export"}
		}
	}
	return rec, nil
}

// each runs fn on every record until the end of the file. A non-empty
// reason rejects the record (kept with its line and raw text) and reading
// goes on; an error stops the file.
func (t *csvTable) each(ctx context.Context, sink Sink, fn func(rec []string) (reason string, err error)) error {
	for {
		rec, err := t.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if t.line%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		reason, err := fn(rec)
		if err != nil {
			return err
		}
		if reason != "" {
			sink.Reject(t.line, reason, t.raw(rec)) //nolint:errcheck // the loader's sink does not fail on rejects
		}
	}
}

// get returns a column's value, or "" when the column is absent or short.
func (t *csvTable) get(rec []string, name string) string {
	i, ok := t.col[name]
	if !ok || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

// raw re-creates the row text for the rejects table.
func (t *csvTable) raw(rec []string) string {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(rec) //nolint:errcheck // writes to memory
	w.Flush()
	return strings.TrimRight(b.String(), "\n")
}

// advance notes where the record just read was and where the next one
// starts, and lets the guard read one more record's worth.
func (t *csvTable) advance(rec []string) {
	line, _ := t.r.FieldPos(0)
	t.line = int64(line)
	if len(rec) > 0 {
		last, _ := t.r.FieldPos(len(rec) - 1)
		// Quoted fields keep their line breaks (as \n): the record ends
		// that many lines after its last field begins.
		t.next1 = int64(last) + int64(strings.Count(rec[len(rec)-1], "\n")) + 1
	} else {
		t.next1 = t.line + 1
	}
	if t.guard != nil {
		t.guard.limit = t.r.InputOffset() + t.guard.max + csvSlack
	}
}

// error names the line a CSV error belongs to: for a quote never closed,
// the line the record (and so the quote) began on, not the end of the
// file where encoding/csv noticed.
func (t *csvTable) error(err error) error {
	if errors.Is(err, ErrTooLong) && t.guard != nil {
		return &ParseError{Format: t.format, Path: t.path, Line: t.next1, Err: ErrTooLong,
			Msg: fmt.Sprintf("record longer than the %s message size limit (--max-message raises it)", sizeText(t.guard.max))}
	}
	if t.next1 == 0 { // a table whose reader was made elsewhere
		t.next1 = t.line + 1
	}
	return csvError(t.format, t.path, err, t.next1)
}

// csvError is a CSV reading error as a ParseError naming its line: for a
// quote never closed, the line the record (and so the quote) began on,
// not the end of the file where encoding/csv noticed; line is used when
// the error does not say.
func csvError(format, path string, err error, line int64) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, csv.ErrQuote) && pe.StartLine != pe.Line {
			return &ParseError{Format: format, Path: path, Line: int64(pe.StartLine),
				Msg: fmt.Sprintf("quoted field opened on this line is never closed (the file ends, or a stray quote, at line %d)", pe.Line)}
		}
		return &ParseError{Format: format, Path: path, Line: int64(pe.Line), Msg: pe.Err.Error()}
	}
	return &ParseError{Format: format, Path: path, Line: line, Msg: err.Error()}
}

// csvSlack is what encoding/csv may read ahead of a record (its buffer).
const csvSlack = 64 << 10

// recordGuard stops encoding/csv from holding a record larger than the
// message size limit: csv reads the whole record into memory before it
// returns, so the reader under it refuses to go more than the limit past
// the end of the last record.
type recordGuard struct {
	r          io.Reader
	read       int64
	limit, max int64
}

func (g *recordGuard) Read(p []byte) (int, error) {
	if g.read >= g.limit {
		return 0, ErrTooLong
	}
	if room := g.limit - g.read; int64(len(p)) > room {
		p = p[:room]
	}
	n, err := g.r.Read(p)
	g.read += int64(n)
	return n, err
}

// headerHas reports whether the first line of a CSV names all of cols.
func headerHas(head []byte, cols ...string) bool {
	first, _, _ := bytes.Cut(head, []byte("\n"))
	fields := map[string]bool{}
	for _, f := range strings.Split(strings.TrimRight(string(first), "\r"), ",") {
		fields[strings.ToLower(strings.Trim(strings.TrimSpace(f), `"`))] = true
	}
	for _, c := range cols {
		if !fields[c] {
			return false
		}
	}
	return true
}

// localTimeLayouts are the ways exports write a moment.
var localTimeLayouts = []string{
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006/01/02 15:04:05",
	"2006/1/2 15:04:05",
	"2006-01-02",
}

// parseTime reads RFC 3339 (its own zone) or a local layout (in tz).
func parseTime(s string, tz *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range localTimeLayouts {
		if t, err := time.ParseInLocation(layout, s, tz); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unreadable time %q (want YYYY-MM-DD HH:MM:SS or RFC 3339)", s)
}
