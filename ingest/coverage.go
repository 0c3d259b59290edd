package ingest

import (
	"bytes"
	"io"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ckpi/ckpi/ingest/format"
)

// Coverage is what one file became, from the rows its parser reported
// (issue 13's coverage report): the loader prints it after every load and
// keeps it in ingest_log; `ckpi ingest --explain` shows it without loading.
//
// Lines are counted on the decoded text. Each row the parser reports
// carries the line it starts on; a row's span runs from its line to the
// line before the next row's (a multi-line message, the blank line after
// it, the lines a rejected row held), the last row's to the end of the file;
// lines before the first row are the header. LinesNeither are the lines of
// the spans of rejected rows: neither a message, nor a notice (understood
// or not), nor a membership event or a record. Lines a parser skips without
// reporting fall in the span of the row before them, so they are not
// counted as neither: the measure sees what parsers report, no more. Where
// rows do not come in line order (a folder export, several files in one) or
// the file is not text, Lines is 0 and the line counts are unknown.
type Coverage struct {
	Messages       int64 // member messages (system lines not included)
	System         int64 // system messages kept as messages
	Events         int64 // membership events: joins, leaves, removals
	UnknownNotices int64 // notices not understood
	Rejected       int64
	Records        int64 // roster, member-list, order, activity and role rows
	People         int64 // distinct people the file names
	Lines          int64 // text lines; 0 when unknown
	LinesHeader    int64 // before the first row
	LinesNeither   int64 // in the spans of rejected rows
}

// NoticesUnderstood are membership events and system messages.
func (c Coverage) NoticesUnderstood() int64 { return c.Events + c.System }

// NeitherShare is LinesNeither over Lines, or -1 when lines are unknown.
func (c Coverage) NeitherShare() float64 {
	if c.Lines <= 0 {
		return -1
	}
	return float64(c.LinesNeither) / float64(c.Lines)
}

// linesOrNull is a line count for ingest_log: NULL when lines are unknown.
func (c Coverage) linesOrNull(n int64) any {
	if c.Lines <= 0 {
		return nil
	}
	return n
}

// lineKind is what a line of a span was part of, in the order that wins
// when one line gave several rows (a roster line's member and join).
type lineKind uint8

const (
	lineRejected lineKind = iota
	lineRecord
	lineUnknown
	lineNotice
	lineMessage
)

// spans attributes a file's lines to the rows that start on them.
type spans struct {
	start      int64 // line of the current span's row; 0 before the first row
	kind       lineKind
	lines      [lineMessage + 1]int64
	header     int64
	disordered bool
}

// at notes a row of kind k starting on line.
func (s *spans) at(line int64, k lineKind) {
	switch {
	case line <= 0 || s.disordered:
	case line < s.start:
		s.disordered = true
	case line == s.start:
		if k > s.kind {
			s.kind = k
		}
	case s.start == 0:
		s.header = line - 1
		s.start, s.kind = line, k
	default:
		s.lines[s.kind] += line - s.start
		s.start, s.kind = line, k
	}
}

// close ends the last span at the file's last line and fills c's line
// counts; total 0 (not a text file) leaves them unknown.
func (s *spans) close(total int64, c *Coverage) {
	if total <= 0 || s.disordered || total < s.start {
		return
	}
	lines := s.lines
	header := s.header
	if s.start == 0 {
		header = total
	} else {
		lines[s.kind] += total - s.start + 1
	}
	c.Lines, c.LinesHeader, c.LinesNeither = total, header, lines[lineRejected]
}

// lineCounter counts the lines of the decoded text a parser reads, and
// notices a file that is not text (a NUL byte in its head: a workbook, a
// ZIP).
type lineCounter struct {
	r      io.Reader
	n      atomic.Int64
	read   int64
	last   byte
	binary atomic.Bool
	eof    atomic.Bool
}

func (c *lineCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		b := p[:n]
		c.n.Add(int64(bytes.Count(b, []byte{'\n'})))
		if c.read < format.HeadSize && bytes.IndexByte(b[:min(n, format.HeadSize-int(c.read))], 0) >= 0 {
			c.binary.Store(true)
		}
		c.read += int64(n)
		c.last = b[n-1]
	}
	if err == io.EOF {
		if c.read > 0 && c.last != '\n' && !c.eof.Load() {
			c.n.Add(1) // a last line without its newline
		}
		c.eof.Store(true)
	}
	return n, err
}

// lines is the text's line count once read to the end, else 0.
func (c *lineCounter) lines() int64 {
	if !c.eof.Load() || c.binary.Load() {
		return 0
	}
	return c.n.Load()
}

// zoneOf says which zone a file's local times were read in: the load's,
// or the per-group zones of the config for the groups it holds.
func zoneOf(in format.Input, groups map[int64]format.Group) string {
	def := time.UTC
	if in.TZ != nil {
		def = in.TZ
	}
	if len(in.GroupTZ) == 0 || len(groups) == 0 {
		return def.String()
	}
	byZone := map[string][]string{}
	var order []string
	for _, g := range groups {
		z := in.Location(g).String()
		if _, ok := byZone[z]; !ok {
			order = append(order, z)
		}
		byZone[z] = append(byZone[z], g.Name)
	}
	if len(order) == 1 {
		return order[0]
	}
	slices.Sort(order)
	parts := make([]string, len(order))
	for i, z := range order {
		names := byZone[z]
		slices.Sort(names)
		parts[i] = z + " (" + strings.Join(names, ", ") + ")"
	}
	return strings.Join(parts, "; ")
}
