package metrics

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	cases := []struct {
		grain, label string
		start, end   string // local
		prev         string
	}{
		{GrainWeek, "2026-W47", "2026-11-16", "2026-11-23", "2026-W46"},
		// The ISO year boundary: 2026 has 53 weeks; its week 53 ends in 2027.
		{GrainWeek, "2026-W53", "2026-12-28", "2027-01-04", "2026-W52"},
		{GrainWeek, "2027-W01", "2027-01-04", "2027-01-11", "2026-W53"},
		{GrainWeek, "2026-W01", "2025-12-29", "2026-01-05", "2025-W52"},
		{GrainDay, "2026-11-23", "2026-11-23", "2026-11-24", "2026-11-22"},
		{GrainDay, "2027-01-01", "2027-01-01", "2027-01-02", "2026-12-31"},
		{GrainMonth, "2026-12", "2026-12-01", "2027-01-01", "2026-11"},
		{GrainMonth, "2027-01", "2027-01-01", "2027-02-01", "2026-12"},
	}
	for _, c := range cases {
		p, err := ParsePeriod(c.grain, c.label, sh)
		if err != nil {
			t.Fatalf("%s: %v", c.label, err)
		}
		if got := p.Start.Format("2006-01-02"); got != c.start || p.End.Format("2006-01-02") != c.end || p.Start.Hour() != 0 {
			t.Errorf("%s: [%s, %s)", c.label, p.Start, p.End)
		}
		if p.Start.Location() != sh || p.Label != c.label {
			t.Errorf("%s: label %q zone %v", c.label, p.Label, p.Start.Location())
		}
		if got := p.Previous().Label; got != c.prev {
			t.Errorf("%s: previous %s, want %s", c.label, got, c.prev)
		}
	}
	for _, bad := range []struct{ grain, label string }{
		{GrainWeek, "2025-W53"}, {GrainWeek, "2026-47"}, {GrainDay, "2026-02-30"}, {GrainMonth, "2026-13"}, {"year", "2026"},
		// Whole labels only: these ran as 2026-W46, W47, W04, W47, ...
		{GrainWeek, "2026-W466"}, {GrainWeek, "2026-W47x"}, {GrainWeek, "2026-W4"}, {GrainWeek, " 2026-W47"},
		{GrainWeek, "2026-w47"}, {GrainWeek, "2026-W00"}, {GrainWeek, "2026-W+7"}, {GrainWeek, "20260-W47"},
		{GrainDay, "2026-11-23x"}, {GrainDay, "2026-11-23T00:00"}, {GrainDay, "2026-00-10"}, {GrainDay, "2026-11-00"}, {GrainDay, "2026-1-5"},
		{GrainMonth, "2026-11-01"}, {GrainMonth, "2026-00"}, {GrainMonth, "2026-1"}, {GrainMonth, "2026-11 "},
	} {
		_, err := ParsePeriod(bad.grain, bad.label, sh)
		if err == nil {
			t.Errorf("%s %q accepted", bad.grain, bad.label)
		} else if strings.Contains(err.Error(), "\n") || bad.grain != "year" && !strings.Contains(err.Error(), fmt.Sprintf("%q", bad.label)) {
			t.Errorf("%s %q: error %q is not one line naming the label", bad.grain, bad.label, err)
		}
	}
	// A week is cut in local time: Monday 00:00 in Shanghai is Sunday 16:00 UTC.
	p, _ := ParseWeek("2026-W47", sh)
	if got := p.Start.UTC().Format(time.DateTime); got != "2026-11-15 16:00:00" {
		t.Errorf("UTC start = %s", got)
	}
}
