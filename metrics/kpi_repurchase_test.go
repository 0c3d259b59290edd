package metrics_test

import "testing"

// Week 2026-W47 (Mon 16 Nov to Mon 23 Nov, Shanghai).
func TestRepurchase(t *testing.T) {
	w := newWorld(t)
	w.group(1, "A")
	w.group(2, "B")
	w.group(3, "E")
	w.member(1, "p1", "k1")
	w.member(2, "p2", "k2") // in A and in B
	w.member(3, "p3", "k3") // leaves A during the week
	w.member(4, "p4", "k4") // p4 and p5: two ids of one customer, both in B
	w.member(5, "p5", "k4")
	w.member(6, "p6", "") // no customer key
	w.member(99, "客服", "ks")
	w.staff(99, 0, "service")
	for _, m := range []int64{1, 2, 3, 99} {
		w.join(1, m, "2026-10-01 10:00")
	}
	for _, m := range []int64{2, 4, 5, 6} {
		w.join(2, m, "2026-10-01 10:00")
	}
	w.leave(1, 3, "2026-11-20 10:00")

	w.order("o1", "k1", "2026-10-01 12:00", 30, "paid") // before the week
	w.order("o2", "k1", "2026-11-17 12:00", 100, "paid")
	w.order("o3", "k1", "2026-11-20 12:00", 50, "paid")
	w.order("o4", "k2", "2026-09-01 12:00", 20, "paid") // before the week
	w.order("o5", "k2", "2026-11-18 12:00", 200, "paid")
	w.order("o6", "k2", "2026-11-19 12:00", 80, "refunded")
	w.order("o7", "k2", "2026-11-23 00:30", 70, "paid")       // Monday 00:30: the next week
	w.order("o8", "k3", "2026-11-18 12:00", 500, "paid")      // p3 has left by the end
	w.order("o9", "k4", "2026-11-15 23:30", 10, "paid")       // Sunday 23:30: the week before
	w.order("o10", "k4", "2026-11-16 00:30", 10, "paid")      // Monday 00:30: this week
	w.order("o11", "ks", "2026-11-18 12:00", 999, "paid")     // staff
	w.order("o12", "k1", "2026-11-21 12:00", 40, "cancelled") // never counts
	w.order("o13", "k2", "2026-11-21 13:00", 60, "unpaid")    // nor this

	res := w.week("repurchase", "2026-W47")
	// A at the end: p1 (k1), p2 (k2). In the week k1 bought twice (o2, o3),
	// k2 once (o5; o6 refunded, o7 next week). Before the end k1 has 3
	// orders, k2 2. Revenue 100 + 50 + 200 over 2 members. In the 90 days
	// ending with the week (from 25 August) k1 ordered 3 times, k2 twice.
	expect(t, res, "A", map[string]any{
		"buyers": 2.0, "repeat_buyers": 1.0, "repurchase_rate": 0.5,
		"buyers_90d": 2.0, "repeat_buyers_90d": 2.0, "repurchase_rate_90d": 1.0,
		"buyers_cumulative": 2.0, "repeat_buyers_cumulative": 2.0, "repurchase_rate_cumulative": 1.0,
		"revenue": 350.0, "members_end": 2.0, "revenue_per_member": 175.0,
	})
	// B at the end: p2 (k2), p4 and p5 (k4), p6: customers k2, k4, one
	// order each in the week (k4's o10 counted once), two each before the
	// end. Revenue 200 + 10 over 4 members.
	expect(t, res, "B", map[string]any{
		"buyers": 2.0, "repeat_buyers": 0.0, "repurchase_rate": 0.0,
		"buyers_90d": 2.0, "repeat_buyers_90d": 2.0, "repurchase_rate_90d": 1.0,
		"buyers_cumulative": 2.0, "repeat_buyers_cumulative": 2.0, "repurchase_rate_cumulative": 1.0,
		"revenue": 210.0, "members_end": 4.0, "revenue_per_member": 52.5,
	})
	expect(t, res, "E", map[string]any{
		"buyers": 0.0, "repurchase_rate": nil, "repurchase_rate_cumulative": nil,
		"revenue": 0.0, "members_end": 0.0, "revenue_per_member": nil,
	})
	// All groups: customers k1, k2, k4 once each, members p1, p2, p4, p5,
	// p6 once each. Revenue 150 + 200 + 10.
	expect(t, res, "", map[string]any{
		"buyers": 3.0, "repeat_buyers": 1.0, "repurchase_rate": 1.0 / 3,
		"buyers_cumulative": 3.0, "repeat_buyers_cumulative": 3.0, "repurchase_rate_cumulative": 1.0,
		"revenue": 360.0, "members_end": 5.0, "revenue_per_member": 72.0,
	})
	// A week without orders: no buyers, NULL rate; the cumulative columns
	// still count the past (W45 ends 9 Nov: k1's o1 and k2's o4), and so
	// do the 90 days before its end.
	expect(t, w.week("repurchase", "2026-W45"), "", map[string]any{
		"buyers": 0.0, "repurchase_rate": nil, "buyers_cumulative": 2.0, "repeat_buyers_cumulative": 0.0,
		"buyers_90d": 2.0, "repeat_buyers_90d": 0.0, "repurchase_rate_90d": 0.0,
		"repurchase_rate_cumulative": 0.0, "revenue": 0.0,
	})
}

// A group whose members carry no customer key (a chat export without a
// roster) cannot be matched to the shop's orders: its buyers, revenue and
// conversion are unknown, not 0, and its joiners stay out of the
// all-groups conversion rate.
func TestOrdersUnmatchedGroup(t *testing.T) {
	w := newWorld(t)
	w.group(1, "名单群")
	w.group(2, "聊天群")
	w.member(1, "p1", "k1")
	w.member(2, "p2", "k2")
	w.member(3, "p3", "")
	w.member(4, "p4", "")
	w.join(1, 1, "2026-11-17 10:00")
	w.join(1, 2, "2026-11-17 11:00")
	w.join(2, 3, "2026-11-17 10:00")
	w.join(2, 4, "2026-10-01 10:00")
	w.order("o1", "k1", "2026-11-18 12:00", 100, "paid")

	conv := w.week("conversion", "2026-W47")
	expect(t, conv, "名单群", map[string]any{"joined": 2.0, "converted": 1.0, "conversion_rate": 0.5})
	expect(t, conv, "聊天群", map[string]any{"joined": 1.0, "converted": nil, "conversion_rate": nil})
	// 1 of the 2 joiners who can be matched, not 1 of 3
	expect(t, conv, "", map[string]any{"joined": 3.0, "converted": 1.0, "conversion_rate": 0.5})

	rep := w.week("repurchase", "2026-W47")
	expect(t, rep, "名单群", map[string]any{"buyers": 1.0, "revenue": 100.0})
	expect(t, rep, "聊天群", map[string]any{"buyers": nil, "repurchase_rate_90d": nil, "revenue": nil, "revenue_per_member": nil, "members_end": 2.0})
	expect(t, rep, "", map[string]any{"buyers": 1.0, "revenue": 100.0})
}
