package metrics_test

import (
	"testing"

	"github.com/ckpi/ckpi/metrics"
)

// Week 2026-W47 runs Mon 16 Nov 00:00 to Mon 23 Nov 00:00, Shanghai time.
// The rhythm window is the four weeks ending there: W44 (from Mon 26 Oct
// 00:00), W45, W46, W47.
func TestActivityFrequency(t *testing.T) {
	w := newWorld(t)
	w.group(1, "A")
	w.group(2, "B")
	w.group(3, "E") // never holds anything

	w.activity(1, "2026-10-25 23:59", "event")   // W43: before the window
	w.activity(1, "2026-10-26 00:00", "event")   // W44: the window's first instant
	w.activity(1, "2026-11-05 20:00", "sharing") // W45
	w.activity(1, "2026-11-16 10:00", "checkin") // W47 ...
	w.activity(1, "2026-11-17 20:00", "sharing")
	w.activity(1, "2026-11-18 07:00", "checkin")
	w.activity(1, "2026-11-19 19:00", "talent_show")
	w.activity(1, "2026-11-22 23:30", "vote")  // Sunday 23:30 local: still W47
	w.activity(1, "2026-11-23 00:30", "event") // Monday 00:30 local: W48

	w.activity(2, "2026-10-28 12:00", "vote")    // W44
	w.activity(2, "2026-11-04 12:00", "event")   // W45
	w.activity(2, "2026-11-15 23:30", "event")   // W46 (Sunday night)
	w.activity(2, "2026-11-16 00:30", "checkin") // W47 (Monday morning)

	res := w.week("activity_frequency", "2026-W47")
	// A: check-ins 16th and 18th, sharing 17th, talent show 19th (other),
	// vote 22nd 23:30 = 5; active weeks W44, W45, W47: one week without.
	expect(t, res, "A", map[string]any{
		"activities": 5.0, "activities_per_week": 5.0, "checkins": 2.0, "sharing": 1.0, "votes": 1.0,
		"events": 0.0, "other_activities": 1.0, "weeks_without_activity": 1.0, "groups_broken_rhythm": 1.0,
	})
	// B: only the Monday 00:30 check-in is in W47; every week of the four has one.
	expect(t, res, "B", map[string]any{
		"activities": 1.0, "activities_per_week": 1.0, "checkins": 1.0, "events": 0.0,
		"weeks_without_activity": 0.0, "groups_broken_rhythm": 0.0,
	})
	expect(t, res, "E", map[string]any{
		"activities": 0.0, "activities_per_week": 0.0, "weeks_without_activity": 4.0, "groups_broken_rhythm": 1.0,
	})
	// All groups: 6 activities / 3 groups / 1 week = 2 per group per week;
	// weeks without activity (1 + 0 + 4) / 3; A and E broke the rhythm.
	expect(t, res, "", map[string]any{
		"activities": 6.0, "activities_per_week": 2.0, "checkins": 3.0, "sharing": 1.0, "votes": 1.0,
		"events": 0.0, "other_activities": 1.0, "weeks_without_activity": 5.0 / 3, "groups_broken_rhythm": 2.0,
	})

	// November as a month: A held 7 (5, 16, 17, 18, 19, 22 and the 23rd),
	// over 30 days = 30/7 weeks.
	month := runPeriod(t, w.db, "activity_frequency", metrics.GrainMonth, "2026-11", nil)
	expect(t, month, "A", map[string]any{"activities": 7.0, "activities_per_week": 7.0 / (30.0 / 7)})

	// No group selected: sums over no group are NULL (as in growth), and the
	// per-group average has nothing to divide by.
	nobody := "Z"
	expect(t, runPeriod(t, w.db, "activity_frequency", metrics.GrainWeek, "2026-W47", &nobody), "", map[string]any{
		"activities": nil, "activities_per_week": nil, "weeks_without_activity": nil, "groups_broken_rhythm": 0.0,
	})
}
