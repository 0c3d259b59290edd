package metrics_test

import "testing"

// The cohort of 2026-W47 (Mon 16 Nov to Mon 23 Nov, Shanghai) and its four
// following weeks: W48 ends Mon 30 Nov, W49 Mon 7 Dec, W50 Mon 14 Dec, W51
// Mon 21 Dec (all 00:00 local).
func TestRetention(t *testing.T) {
	w := newWorld(t)
	w.group(1, "A")
	w.group(2, "E")
	for id := int64(1); id <= 5; id++ {
		w.member(id, "c", "")
	}
	w.member(99, "客服", "")
	w.staff(99, 0, "admin")

	// c1 stays; speaks in W48 and W50; a recall in W49 does not count.
	w.join(1, 1, "2026-11-16 10:00")
	w.say(1, 1, "2026-11-24 10:00", "W48")
	w.msg(1, 1, "2026-12-01 10:00", "recall", "")
	w.say(1, 1, "2026-12-09 10:00", "W50")
	// c2 leaves in W48 and rejoins in W49, where it speaks.
	w.join(1, 2, "2026-11-17 10:00")
	w.leave(1, 2, "2026-11-25 10:00")
	w.join(1, 2, "2026-12-02 10:00")
	w.say(1, 2, "2026-12-03 10:00", "I'm back")
	// c3 joins on Sunday 23:30 (in the cohort), speaks on Monday 00:30 (W48),
	// is removed in W50.
	w.join(1, 3, "2026-11-22 23:30")
	w.say(1, 3, "2026-11-23 00:30", "hello")
	w.event(1, 3, "2026-12-08 10:00", "removed")
	// c4 joins on Monday 00:30 (W48) and c5 on the Sunday before (W46):
	// neither is in the W47 cohort. Staff joining is not a member.
	w.join(1, 4, "2026-11-23 00:30")
	w.join(1, 5, "2026-11-15 23:30")
	w.join(1, 99, "2026-11-18 10:00")

	res := w.week("retention", "2026-W47")
	// Cohort c1, c2, c3.
	// End of W48: c1, c3 (c2 left) 2/3; spoke in W48: c1, c3 2/3.
	// End of W49: c1, c2 (rejoined), c3 = 1; spoke: c2 1/3.
	// End of W50: c1, c2 (c3 removed) 2/3; spoke: c1 1/3.
	// End of W51: c1, c2 2/3; spoke: nobody.
	want := map[string]any{
		"cohort_size": 3.0,
		"retained_w1": 2.0 / 3, "retained_w2": 1.0, "retained_w3": 2.0 / 3, "retained_w4": 2.0 / 3,
		"spoke_w1": 2.0 / 3, "spoke_w2": 1.0 / 3, "spoke_w3": 1.0 / 3, "spoke_w4": 0.0,
	}
	expect(t, res, "A", want)
	expect(t, res, "", want)
	expect(t, res, "E", map[string]any{"cohort_size": 0.0, "retained_w1": nil, "retained_w4": nil, "spoke_w1": nil})

	// W48's cohort is c4 alone, who never speaks and has not left.
	expect(t, w.week("retention", "2026-W48"), "A", map[string]any{
		"cohort_size": 1.0, "retained_w4": 1.0, "spoke_w1": 0.0,
	})
	// No joins: NULL shares, not NaN.
	expect(t, w.week("retention", "2026-W40"), "", map[string]any{"cohort_size": 0.0, "retained_w4": nil, "spoke_w4": nil})
}
