package metrics

import (
	"errors"
	"testing"
	"time"
)

func TestCoverageChoosesAndChecksPeriods(t *testing.T) {
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, sh)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	now := at("2026-12-07 11:00") // a Monday
	cov := func(first, last string) Coverage { return Coverage{First: at(first), Last: at(last), Groups: 1} }
	defaults := []struct {
		name        string
		cov         Coverage
		grain, want string
		inProgress  bool
		dataEnds    bool
	}{
		{"exported on Monday morning", cov("2026-10-01 09:00", "2026-12-06 23:50"), GrainWeek, "2026-W49", false, false},
		{"data ended months ago", cov("2026-01-05 09:00", "2026-03-11 20:00"), GrainWeek, "2026-W11", false, true},
		{"exported mid-week", cov("2026-10-01 09:00", "2026-12-07 10:00"), GrainWeek, "2026-W49", false, false},
		{"only this week's data", cov("2026-12-07 08:00", "2026-12-07 10:00"), GrainWeek, "2026-W50", true, false},
		{"month: last complete", cov("2026-10-01 09:00", "2026-12-07 10:00"), GrainMonth, "2026-11", false, false},
		{"day", cov("2026-10-01 09:00", "2026-12-07 10:00"), GrainDay, "2026-12-06", false, false},
	}
	for _, d := range defaults {
		p, err := d.cov.Default(d.grain, sh, now)
		if err != nil || p.Label != d.want || p.InProgress != d.inProgress || p.DataEnds.IsZero() == d.dataEnds {
			t.Errorf("%s: %s in progress %v data ends %v (%v), want %s", d.name, p.Label, p.InProgress, p.DataEnds, err, d.want)
		}
	}
	if _, err := (Coverage{}).Default(GrainWeek, sh, now); !errors.Is(err, ErrNoData) {
		t.Errorf("empty database: %v", err)
	}

	c := cov("2026-10-01 09:00", "2026-12-07 10:00")
	checks := []struct {
		label      string
		allowEmpty bool
		err        bool
		inProgress bool
	}{
		{"2026-W45", false, false, false},
		{"2026-W39", false, true, false},  // before the data
		{"2026-W39", true, false, false},  // asked for anyway
		{"2026-W50", false, false, true},  // this week: ends now
		{"2026-W51", false, true, false},  // the future
		{"2026-W40", false, false, false}, // the data begins inside it
	}
	for _, k := range checks {
		p, err := ParsePeriod(GrainWeek, k.label, sh)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.Check(p, now, k.allowEmpty)
		if (err != nil) != k.err || got.InProgress != k.inProgress {
			t.Errorf("%s allowEmpty %v: in progress %v, err %v", k.label, k.allowEmpty, got.InProgress, err)
		}
		if got.InProgress && !got.End.Equal(now) {
			t.Errorf("%s ends %v, want now", k.label, got.End)
		}
	}
}
