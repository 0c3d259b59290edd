package metrics_test

import (
	"testing"

	"github.com/ckpi/ckpi/metrics"
)

// Week 2026-W47 (Mon 16 Nov to Mon 23 Nov, Shanghai). Its days are cut at
// local midnight; WAU is the week itself; MAU the 30 days from Sat 24 Oct
// 00:00 local.
func TestEngagement(t *testing.T) {
	w := newWorld(t)
	w.group(1, "A")
	w.group(2, "E")
	for id := int64(1); id <= 8; id++ {
		w.member(id, "m", "")
		if id != 6 {
			w.join(1, id, "2026-10-01 10:00")
		}
	}
	w.member(99, "客服", "")
	w.staff(99, 0, "service")
	w.join(1, 99, "2026-10-01 10:00")

	// m1: Sunday 23:30 is the week before (in the MAU, not the WAU); then
	// Monday 00:30 and 12:00 (day 0), Wednesday (day 2), Sunday 23:59 (day 6).
	w.say(1, 1, "2026-11-15 23:30", "晚安")
	w.say(1, 1, "2026-11-16 00:30", "早")
	w.say(1, 1, "2026-11-16 12:00", "午饭")
	w.say(1, 1, "2026-11-18 09:00", "在吗")
	w.say(1, 1, "2026-11-22 23:59", "周末愉快")
	// m2: a text and a sticker on Tuesday (day 1); the recall does not count.
	w.say(1, 2, "2026-11-17 10:00", "收到")
	w.msg(1, 2, "2026-11-17 10:01", "sticker", "[表情]")
	w.msg(1, 2, "2026-11-17 10:02", "recall", "")
	// m3: 1 Nov (MAU) and 20 Oct (before it).
	w.say(1, 3, "2026-11-01 10:00", "hi")
	w.say(1, 3, "2026-10-20 10:00", "hi")
	// m4: speaks only after the week (Monday 00:30 of W48): silent.
	w.say(1, 4, "2026-11-23 00:30", "来晚了")
	// m5: speaks on Thursday, leaves on Friday.
	w.say(1, 5, "2026-11-19 10:00", "再见")
	w.leave(1, 5, "2026-11-20 10:00")
	// m6: joins on Wednesday and says nothing: silent.
	w.join(1, 6, "2026-11-18 10:00")
	// m7 spoke one second before the 30 days, m8 at their first instant.
	w.say(1, 7, "2026-10-23 23:59:59", "old")
	w.say(1, 8, "2026-10-24 00:00:00", "new")
	// Staff chatter is not counted.
	for _, at := range []string{"2026-11-16 09:00", "2026-11-17 09:00", "2026-11-18 09:00"} {
		w.say(1, 99, at, "大家好")
	}

	res := w.week("engagement", "2026-W47")
	// Speakers of the week: m1 4 messages on days 0, 2, 6; m2 2 on day 1;
	// m5 1 on day 3: 7 messages by 3, member-days 3 + 1 + 1 = 5, DAU 5/7.
	// WAU m1, m2, m5 = 3. MAU adds m3 and m8 = 5. Stickiness (5/7)/5.
	// Top 10% of 3 speakers = 1 (m1): 4 of 7 messages.
	// Members at the end: m1, m2, m3, m4, m6, m7, m8 (m5 left, staff is
	// not a member) = 7; silent m4, m6, m7.
	want := map[string]any{
		"members_end": 7.0, "messages": 7.0, "active_members": 3.0,
		"dau": 5.0 / 7, "wau": 3.0, "mau": 5.0, "stickiness": 1.0 / 7,
		"messages_per_active": 7.0 / 3, "top10_share": 4.0 / 7,
		"silent_members": 3.0, "silent_share": 3.0 / 7,
	}
	expect(t, res, "A", want)
	expect(t, res, "", want)
	expect(t, res, "E", map[string]any{
		"members_end": 0.0, "messages": 0.0, "dau": 0.0, "mau": 0.0, "stickiness": nil,
		"messages_per_active": nil, "top10_share": nil, "silent_members": 0.0, "silent_share": nil,
	})

	// An empty week (W40, to 5 Oct): the members then are all but m6, who
	// joined later, so 7; nobody had spoken in the 30 days before: all silent.
	expect(t, w.week("engagement", "2026-W40"), "", map[string]any{
		"messages": 0.0, "dau": 0.0, "mau": 0.0, "stickiness": nil, "messages_per_active": nil, "top10_share": nil,
		"members_end": 7.0, "silent_members": 7.0, "silent_share": 1.0,
	})
}

// 2026 has 53 ISO weeks: W53 runs Mon 28 Dec 2026 to Mon 4 Jan 2027, so
// New Year's Eve and New Year's Day are in the same week, and 2027-W01
// starts on 4 January. Local times decide, not UTC dates: 1 Jan 00:30 in
// Shanghai is still 31 Dec in UTC.
func TestISOYearBoundary(t *testing.T) {
	w := newWorld(t)
	w.group(1, "A")
	w.member(1, "m", "")
	w.join(1, 1, "2026-10-01 10:00")
	w.say(1, 1, "2026-12-27 23:30", "W52 Sunday night")
	w.say(1, 1, "2026-12-31 23:30", "除夕")
	w.say(1, 1, "2027-01-01 00:30", "新年快乐")
	w.say(1, 1, "2027-01-03 23:30", "W53 Sunday night")
	w.say(1, 1, "2027-01-04 00:30", "2027-W01 Monday morning")
	w.activity(1, "2027-01-01 00:30", "checkin")

	if _, err := metrics.ParseWeek("2027-W53", shanghai); err == nil {
		t.Error("2027-W53 parsed; 2027 has 52 ISO weeks")
	}
	expect(t, w.week("engagement", "2026-W52"), "A", map[string]any{"messages": 1.0, "dau": 1.0 / 7})
	// 31 Dec 23:30, 1 Jan 00:30 (both on different local days), 3 Jan 23:30.
	expect(t, w.week("engagement", "2026-W53"), "A", map[string]any{"messages": 3.0, "dau": 3.0 / 7})
	expect(t, w.week("engagement", "2027-W01"), "A", map[string]any{"messages": 1.0, "dau": 1.0 / 7})
	expect(t, w.week("activity_frequency", "2026-W53"), "A", map[string]any{"activities": 1.0, "checkins": 1.0})
	expect(t, w.week("activity_frequency", "2027-W01"), "A", map[string]any{"activities": 0.0, "weeks_without_activity": 3.0})
}
