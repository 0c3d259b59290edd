package metrics

import (
	"fmt"
	"time"
)

// Period is a half-open span of local time [Start, End) cut in one zone.
type Period struct {
	Label      string // "2026-W47", "2026-11-23", "2026-11"
	Start, End time.Time
}

// Week returns the ISO week containing t, in t's zone.
func Week(t time.Time) Period {
	wd := (int(t.Weekday()) + 6) % 7 // Monday = 0
	start := time.Date(t.Year(), t.Month(), t.Day()-wd, 0, 0, 0, 0, t.Location())
	y, w := start.ISOWeek()
	return Period{Label: fmt.Sprintf("%04d-W%02d", y, w), Start: start, End: start.AddDate(0, 0, 7)}
}

// ParseWeek reads an ISO week such as "2026-W47" in zone loc.
func ParseWeek(s string, loc *time.Location) (Period, error) {
	var y, w int
	if n, err := fmt.Sscanf(s, "%4d-W%2d", &y, &w); n != 2 || err != nil {
		return Period{}, fmt.Errorf("week %q: want YYYY-Www, e.g. 2026-W47", s)
	}
	// January 4th is always in week 1.
	p := Week(time.Date(y, 1, 4, 12, 0, 0, 0, loc))
	p = p.Shift(w - 1)
	if p.Label != fmt.Sprintf("%04d-W%02d", y, w) {
		return Period{}, fmt.Errorf("week %q: year %d has no week %d", s, y, w)
	}
	return p, nil
}

// Shift moves a week-long period by n weeks.
func (p Period) Shift(n int) Period {
	return Week(p.Start.AddDate(0, 0, 7*n))
}

// Previous is the week before.
func (p Period) Previous() Period { return p.Shift(-1) }
