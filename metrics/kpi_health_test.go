package metrics_test

import "testing"

// Week 2026-W47 (Mon 16 Nov to Mon 23 Nov, Shanghai); the rhythm looks at
// W44..W47. Four groups: a healthy one in the sweet spot, a small shrinking
// one, an oversized one and an empty one. Scores by the weights of the
// header: 35 participation (full at 50%), 15 growth (-10%..+10%), 20
// rhythm, 15 responsiveness (answered share x (1 - minutes/120)), 15 size.
func TestHealth(t *testing.T) {
	w := newWorld(t)
	w.group(1, "S")
	w.group(2, "L")
	w.group(3, "O")
	w.group(4, "E")
	w.member(90, "小美|官方客服|上海", "")
	w.staff(90, 0, "service")

	// S: 15 members before the week, one joins: 16 (sweet), growth 1/15.
	// 8 of them speak (50%); member 1 asks and is answered in 12 minutes.
	// One activity in each of the four weeks.
	for m := int64(1); m <= 16; m++ {
		w.member(m, "s", "")
		if m <= 15 {
			w.join(1, m, "2026-10-01 10:00")
		}
	}
	w.join(1, 16, "2026-11-17 10:00")
	w.say(1, 1, "2026-11-18 10:00", "怎么用?")
	w.say(1, 90, "2026-11-18 10:12", "看公告")
	for m := int64(2); m <= 8; m++ {
		w.say(1, m, "2026-11-19 10:00", "好")
	}
	for _, at := range []string{"2026-10-27 20:00", "2026-11-03 20:00", "2026-11-10 20:00", "2026-11-17 20:00"} {
		w.activity(1, at, "checkin")
	}

	// L: 7 members, one leaves: 6 (small), growth -1/7. One of the week's 7
	// members speaks (1/7), a question nobody answers. One activity, in W44 only.
	for m := int64(101); m <= 107; m++ {
		w.member(m, "l", "")
		w.join(2, m, "2026-10-01 10:00")
	}
	w.leave(2, 107, "2026-11-18 10:00")
	w.say(2, 101, "2026-11-19 10:00", "有人吗?")
	w.activity(2, "2026-10-28 20:00", "sharing")

	// O: 101 members all along (oversized), growth 0. 30 speak; the
	// question is answered after 90 minutes. Activities in W46 and W47.
	w.exec(`INSERT INTO members (member_id, platform, platform_uid, display_name) SELECT i, 'qq', i::VARCHAR, 'o' FROM range(1001, 1102) r(i)`)
	w.exec(`INSERT INTO membership_events (event_id, group_id, member_id, ts, kind) SELECT i, 3, i, ?::TIMESTAMP, 'join' FROM range(1001, 1102) r(i)`,
		w.utc("2026-10-01 10:00"))
	w.say(3, 1001, "2026-11-18 10:00", "请问?")
	w.say(3, 90, "2026-11-18 11:30", "稍等")
	for m := int64(1002); m <= 1030; m++ {
		w.say(3, m, "2026-11-17 10:00", "好")
	}
	w.activity(3, "2026-11-12 20:00", "vote")
	w.activity(3, "2026-11-18 20:00", "event")

	res := w.week("health", "2026-W47")
	// S: 35 + 15 x (1/15 + 0.1)/0.2 = 12.5 + 20 + 15 x (1 - 12/120) = 13.5 + 15 = 96.
	expect(t, res, "S", map[string]any{
		"members_end": 16.0, "size_band": "sweet", "participation_rate": 0.5, "growth_rate": 1.0 / 15,
		"activities_4w": 4.0, "weeks_without_activity": 0.0, "answered_share": 1.0, "median_response_minutes": 12.0,
		"health_score": 96.0, "rank": 1.0, "needs_attention": false, "attention_reason": nil,
	})
	// L: 35 x (1/7)/0.5 = 10 + growth 0 (-14% is below -10%) + 20 x 1/4
	// = 5 + responsiveness 0 (nothing answered) + 15 x 6/15 = 6: 21.
	expect(t, res, "L", map[string]any{
		"members_end": 6.0, "size_band": "small", "participation_rate": 1.0 / 7, "growth_rate": -1.0 / 7,
		"activities_4w": 1.0, "weeks_without_activity": 3.0, "answered_share": 0.0, "median_response_minutes": nil,
		"health_score": 21.0, "rank": 3.0, "needs_attention": true,
		"attention_reason": "no activity for 2+ weeks; participation below 20%; shrinking; unanswered questions (>20%)",
	})
	// O: 35 x (30/101)/0.5 = 20.792 + 15 x 0.5 = 7.5 + 20 x 2/4 = 10
	// + 15 x (1 - 90/120) = 3.75 + 15 x 0.25 = 3.75: 45.792 -> 45.8.
	expect(t, res, "O", map[string]any{
		"members_end": 101.0, "size_band": "oversized", "participation_rate": 30.0 / 101, "growth_rate": 0.0,
		"activities_4w": 2.0, "weeks_without_activity": 2.0, "answered_share": 1.0, "median_response_minutes": 90.0,
		"health_score": 45.8, "rank": 2.0, "needs_attention": true,
		"attention_reason": "slow responses (>60 min); oversized: split into sub-groups",
	})
	expect(t, res, "E", map[string]any{
		"members_end": 0.0, "size_band": "empty", "participation_rate": nil, "growth_rate": nil,
		"answered_share": nil, "median_response_minutes": nil, "health_score": 0.0, "rank": 4.0,
		"needs_attention": true, "attention_reason": "no members; no activity for 2+ weeks",
	})
	// All groups: averages over the groups that have a value; no band or rank.
	expect(t, res, "", map[string]any{
		"members_end": (16 + 6 + 101 + 0) / 4.0, "size_band": nil,
		"participation_rate": (0.5 + 1.0/7 + 30.0/101) / 3, "growth_rate": (1.0/15 - 1.0/7 + 0) / 3,
		"activities_4w": 7 / 4.0, "weeks_without_activity": 9 / 4.0, "answered_share": 2 / 3.0,
		"median_response_minutes": 51.0, "health_score": (96 + 21 + 45.8 + 0) / 4,
		"rank": nil, "needs_attention": nil, "attention_reason": nil,
	})
}

// With no staff known for a group, nobody's message can be told to be an
// answer: responsiveness scores half (as with no question) and raises no
// flag, instead of "unanswered questions" over a group whose admins may
// answer everything.
func TestHealthWithoutStaff(t *testing.T) {
	w := newWorld(t)
	w.group(1, "N")
	for m := int64(1); m <= 16; m++ {
		w.member(m, "n", "")
		w.join(1, m, "2026-10-01 10:00")
	}
	for m := int64(1); m <= 8; m++ {
		w.say(1, m, "2026-11-18 10:00", "怎么用?")
	}
	for _, at := range []string{"2026-10-27 20:00", "2026-11-03 20:00", "2026-11-10 20:00", "2026-11-17 20:00"} {
		w.activity(1, at, "checkin")
	}
	// 35 (8 of 16 spoke) + 15 x 0.5 (no growth to compare: 0 of 16 is 0%,
	// so (0 + 0.1)/0.2 = 0.5) + 20 + 15 x 0.5 (no staff known) + 15 = 85.
	expect(t, w.week("health", "2026-W47"), "N", map[string]any{
		"participation_rate": 0.5, "growth_rate": 0.0, "answered_share": 0.0,
		"health_score": 85.0, "needs_attention": false, "attention_reason": nil,
	})
}
