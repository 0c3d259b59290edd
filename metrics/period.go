package metrics

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Grains a period can have.
const (
	GrainDay   = "day"
	GrainWeek  = "week"
	GrainMonth = "month"
)

// Period is a half-open span of local time [Start, End) cut in one zone.
type Period struct {
	Grain      string
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
func PeriodOf(grain string, t time.Time) Period {
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

// Period labels, whole: fmt.Sscanf and time.Parse stop at what they need,
// and "2026-W466" would run as week 46.
var (
	dayLabel   = regexp.MustCompile(`^([0-9]{4})-([0-9]{2})-([0-9]{2})$`)
	weekLabel  = regexp.MustCompile(`^([0-9]{4})-W([0-9]{2})$`)
	monthLabel = regexp.MustCompile(`^([0-9]{4})-([0-9]{2})$`)
)

// ParsePeriod reads a period label of a grain: "2026-11-23", "2026-W47" or
// "2026-11", in zone loc. The whole label must be one: no trailing text,
// no month 13, no February 30th, no week 53 in a year of 52.
func ParsePeriod(grain, s string, loc *time.Location) (Period, error) {
	switch grain {
	case GrainDay:
		m := dayLabel.FindStringSubmatch(s)
		if m == nil {
			return Period{}, fmt.Errorf("day %q: want YYYY-MM-DD, e.g. 2026-11-23", s)
		}
		y, mo, d := atoi(m[1]), atoi(m[2]), atoi(m[3])
		t := time.Date(y, time.Month(mo), d, 12, 0, 0, 0, loc)
		if mo < 1 || mo > 12 || t.Day() != d {
			return Period{}, fmt.Errorf("day %q: no such date", s)
		}
		return PeriodOf(GrainDay, t), nil
	case GrainMonth:
		m := monthLabel.FindStringSubmatch(s)
		if m == nil {
			return Period{}, fmt.Errorf("month %q: want YYYY-MM, e.g. 2026-11", s)
		}
		mo := atoi(m[2])
		if mo < 1 || mo > 12 {
			return Period{}, fmt.Errorf("month %q: no month %d", s, mo)
		}
		return PeriodOf(GrainMonth, time.Date(atoi(m[1]), time.Month(mo), 1, 12, 0, 0, 0, loc)), nil
	case GrainWeek:
		m := weekLabel.FindStringSubmatch(s)
		if m == nil {
			return Period{}, fmt.Errorf("week %q: want YYYY-Www, e.g. 2026-W47", s)
		}
		y, w := atoi(m[1]), atoi(m[2])
		// January 4th is always in week 1.
		p := Week(time.Date(y, 1, 4, 12, 0, 0, 0, loc)).Shift(w - 1)
		if w < 1 || p.Label != s {
			return Period{}, fmt.Errorf("week %q: year %d has no week %d", s, y, w)
		}
		return p, nil
	}
	return Period{}, fmt.Errorf("grain %q: want day, week or month", grain)
}

// atoi reads digits a pattern has matched.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
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
