package ingest

import "testing"

// The line spans behind Coverage: each row owns the lines from its own to
// the next row's; the header is what comes before the first row.
func TestCoverageSpans(t *testing.T) {
	type row struct {
		line int64
		kind lineKind
	}
	for _, c := range []struct {
		name  string
		rows  []row
		total int64
		want  Coverage
	}{
		{"no rows: all header", nil, 5, Coverage{Lines: 5, LinesHeader: 5}},
		{"a rejected row owns the lines up to the next row", []row{{3, lineMessage}, {6, lineRejected}, {9, lineMessage}}, 10,
			Coverage{Lines: 10, LinesHeader: 2, LinesNeither: 3}},
		{"the last row owns the rest of the file", []row{{2, lineMessage}, {4, lineRejected}}, 10,
			Coverage{Lines: 10, LinesHeader: 1, LinesNeither: 7}},
		{"a line that gave a row and a reject is not neither", []row{{2, lineRejected}, {2, lineRecord}, {3, lineRejected}}, 3,
			Coverage{Lines: 3, LinesHeader: 1, LinesNeither: 1}},
		{"rows out of line order: lines unknown", []row{{5, lineMessage}, {2, lineRejected}}, 9, Coverage{}},
		{"not a text file: lines unknown", []row{{2, lineRecord}}, 0, Coverage{}},
		{"rows past the counted end: lines unknown", []row{{12, lineMessage}}, 9, Coverage{}},
	} {
		var s spans
		for _, r := range c.rows {
			s.at(r.line, r.kind)
		}
		var got Coverage
		s.close(c.total, &got)
		if got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}
