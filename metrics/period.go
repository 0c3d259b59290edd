package metrics

import (
	"fmt"
	"time"
)

// Grains a period can have.
const (
	GrainDay   Grain = "day"
	GrainWeek  Grain = "week"
	GrainMonth Grain = "month"
)

// Period is a half-open span of local time [Start, End) cut in one zone.
type Period struct {
	Grain      Grain
	Label      string // "2026-11-23", "2026-W47", "2026-11"
	Start, End time.Time
	// InProgress: the period had not ended when it was asked for; End is
	// then that moment, not the calendar end (see Coverage.Check).
	InProgress bool
	// DataEnds is set when the loaded data stops inside the period: its
	// numbers cover only up to then.
	DataEnds time.Time
}

// PeriodOf returns the period of a grain containing t, in t's zone.
func PeriodOf(grain Grain, t time.Time) Period {
	y, m, d := t.Date()
	loc := t.Location()
	switch grain {
	case GrainDay:
		start := time.Date(y, m, d, 0, 0, 0, 0, loc)
		return Period{Grain: GrainDay, Label: start.Format("2006-01-02"), Start: start, End: start.AddDate(0, 0, 1)}
	case GrainMonth:
		start := time.Date(y, m, 1, 0, 0, 0, 0, loc)
		return Period{Grain: GrainMonth, Label: start.Format("2006-01"), Start: start, End: start.AddDate(0, 1, 0)}
	}
	return Week(t)
}

// Week returns the ISO week containing t, in t's zone.
func Week(t time.Time) Period {
	wd := (int(t.Weekday()) + 6) % 7 // Monday = 0
	start := time.Date(t.Year(), t.Month(), t.Day()-wd, 0, 0, 0, 0, t.Location())
	y, w := start.ISOWeek()
	return Period{Grain: GrainWeek, Label: fmt.Sprintf("%04d-W%02d", y, w), Start: start, End: start.AddDate(0, 0, 7)}
}

// ParseWeek reads an ISO week such as "2026-W47" in zone loc.
func ParseWeek(s string, loc *time.Location) (Period, error) {
	return ParsePeriod(GrainWeek, s, loc)
}

// ParsePeriod reads a period label of a grain: "2026-11-23", "2026-W47" or
// "2026-11", in zone loc.
func ParsePeriod(grain Grain, s string, loc *time.Location) (Period, error) {
	switch grain {
	case GrainDay:
		t, err := time.ParseInLocation("2006-01-02", s, loc)
		if err != nil {
			return Period{}, fmt.Errorf("day %q: want YYYY-MM-DD", s)
		}
		return PeriodOf(GrainDay, t), nil
	case GrainMonth:
		t, err := time.ParseInLocation("2006-01", s, loc)
		if err != nil {
			return Period{}, fmt.Errorf("month %q: want YYYY-MM", s)
		}
		return PeriodOf(GrainMonth, t), nil
	case GrainWeek:
		var y, w int
		if n, err := fmt.Sscanf(s, "%4d-W%2d", &y, &w); n != 2 || err != nil {
			return Period{}, fmt.Errorf("week %q: want YYYY-Www, e.g. 2026-W47", s)
		}
		// January 4th is always in week 1.
		p := Week(time.Date(y, 1, 4, 12, 0, 0, 0, loc)).Shift(w - 1)
		if p.Label != fmt.Sprintf("%04d-W%02d", y, w) {
			return Period{}, fmt.Errorf("week %q: year %d has no week %d", s, y, w)
		}
		return p, nil
	}
	return Period{}, fmt.Errorf("grain %q: want day, week or month", grain)
}

// Shift moves a period by n of its grain.
func (p Period) Shift(n int) Period {
	switch p.Grain {
	case GrainDay:
		return PeriodOf(GrainDay, p.Start.AddDate(0, 0, n))
	case GrainMonth:
		return PeriodOf(GrainMonth, p.Start.AddDate(0, n, 0))
	}
	return Week(p.Start.AddDate(0, 0, 7*n))
}

// Previous is the period before, of the same grain.
func (p Period) Previous() Period { return p.Shift(-1) }
