package metrics_test

import "testing"

// Week 2026-W47 (Mon 16 Nov to Mon 23 Nov, Shanghai). An ad with a link
// posted by a member who joined and left at once breaks three rules, but it
// is one offending message: one violation in the headline, as on the
// handling ladder, with its three rule hits kept beside it.
func TestRiskViolationsCountEachOffenceOnce(t *testing.T) {
	w := newWorld(t)
	w.group(1, "A")
	w.group(2, "B")
	w.member(1, "spam", "")
	w.member(2, "rude", "")
	w.member(3, "色情昵称", "")
	violation := func(group, member int64, message any, local, rule, category, evidence string) {
		w.exec(`INSERT INTO violations VALUES (?, ?, ?, ?, ?::TIMESTAMP, ?, ?, 'high', 1, ?, ?::TIMESTAMP)`,
			w.id(), group, member, message, w.utc(local), rule, category, evidence, w.utc(local))
	}
	// Message 501: an ad, a link and hit-and-run: three rules, one message.
	violation(1, 1, 501, "2026-11-17 10:00", "ads", "advertising", "加微信")
	violation(1, 1, 501, "2026-11-17 10:00", "links", "advertising", "http://x.example")
	violation(1, 1, 501, "2026-11-17 10:00", "churn", "advertising", "joined and left in 5 min")
	// Message 502: abuse and an indecent word in one line: two categories.
	violation(1, 2, 502, "2026-11-18 10:00", "abuse", "abuse", "傻")
	violation(1, 2, 502, "2026-11-18 10:00", "indecent", "indecent", "黄")
	// Message 503 by the same member: one more offence.
	violation(1, 2, 503, "2026-11-19 10:00", "abuse", "abuse", "滚")
	// A nickname broke two nickname rules: one offence.
	violation(2, 3, nil, "2026-11-20 10:00", "nickname", "nickname", "色情昵称")
	violation(2, 3, nil, "2026-11-20 10:00", "nickname_format", "nickname", "色情昵称")
	// The week before: not counted.
	violation(1, 2, 400, "2026-11-15 10:00", "abuse", "abuse", "滚")

	res := w.week("risk_violations", "2026-W47")
	expect(t, res, "A", map[string]any{
		"violations": 3.0, "rule_hits": 6.0, "violators": 2.0,
		"advertising": 1.0, "abuse": 2.0, "indecent": 1.0, "nickname": 0.0,
	})
	expect(t, res, "B", map[string]any{"violations": 1.0, "rule_hits": 2.0, "violators": 1.0, "nickname": 1.0})
	expect(t, res, "", map[string]any{"violations": 4.0, "rule_hits": 8.0, "violators": 3.0})
}
