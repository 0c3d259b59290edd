package metrics_test

import "testing"

// Week 2026-W47 (Mon 16 Nov to Mon 23 Nov, Shanghai).
func TestOnboarding(t *testing.T) {
	w := newWorld(t)
	w.group(1, "A")
	w.groupWithPattern(2, "B", `^[A-Z][a-z]+ - .+$`)
	w.group(3, "E")

	w.member(1, "王小|深圳科技|深圳", "")
	w.member(2, "李四", "")
	w.member(3, "Tom | Acme | Berlin", "")
	w.member(4, "赵六｜星河｜北京", "")
	w.member(5, "钱七 |  | 上海", "")
	w.member(6, "孙八", "")
	w.member(99, "小美|官方客服|上海", "")
	w.staff(99, 0, "service")

	// n1: a sticker first (skipped), then an introduction over two lines.
	w.join(1, 1, "2026-11-16 09:00")
	w.msg(1, 1, "2026-11-16 09:05", "sticker", "[表情]")
	w.say(1, 1, "2026-11-16 09:06", "大家好，\n我是小王，来自深圳")
	// n2: the first text is a thank-you; the introduction after it is not
	// the first words. Its in-group nickname compliant only after the week.
	w.join(1, 2, "2026-11-17 10:00")
	w.say(1, 2, "2026-11-17 11:00", "谢谢邀请")
	w.say(1, 2, "2026-11-17 12:00", "我是小李来自上海")
	w.nameInGroup(2, 1, "李四|公司|城市", "2026-11-24 10:00")
	// n3: joins Sunday 20:00, introduces (in any case) 23 hours before 3 days are up.
	w.join(1, 3, "2026-11-22 20:00")
	w.say(1, 3, "2026-11-25 19:00", "hi all, i'M Tom FROM Berlin")
	// n4: introduces one second after 3 days.
	w.join(1, 4, "2026-11-18 10:00")
	w.say(1, 4, "2026-11-21 10:00:01", "自我介绍一下")
	// n5 joined the week before: not a newcomer.
	w.join(1, 5, "2026-11-10 10:00")
	// n6 left and rejoined this week: a newcomer again; its name in the
	// group is compliant though its display name is not.
	w.join(1, 6, "2026-10-01 10:00")
	w.leave(1, 6, "2026-11-01 10:00")
	w.join(1, 6, "2026-11-19 10:00")
	w.say(1, 6, "2026-11-19 11:00", "Hello, based in Shanghai")
	w.nameInGroup(6, 1, "孙八", "2026-10-01 10:00")
	w.nameInGroup(6, 1, "孙八|星河|杭州", "2026-11-19 10:00")
	// Staff joining is not a newcomer.
	w.join(1, 99, "2026-11-18 10:00")

	// B: its own pattern "Name - Company".
	w.member(11, "Alice - Acme", "")
	w.member(12, "bob - x", "")
	w.member(13, "张三|公司|城市", "")
	for _, m := range []int64{11, 12, 13} {
		w.join(2, m, "2026-10-01 10:00")
	}

	res := w.week("onboarding", "2026-W47")
	// A: newcomers n1, n2, n3, n4, n6; introduced n1, n3, n6.
	// Members at the end n1..n6; compliant n1, n3 (ASCII bars with spaces),
	// n4 (full-width bars), n6 (its name in the group); n2 and n5 (an empty
	// middle part) are not.
	expect(t, res, "A", map[string]any{
		"newcomers": 5.0, "introduced": 3.0, "intro_rate": 0.6,
		"members_end": 6.0, "nickname_compliant": 4.0, "nickname_compliance": 4.0 / 6,
	})
	// B: no newcomers; only Alice matches B's pattern (张三 would match the default).
	expect(t, res, "B", map[string]any{
		"newcomers": 0.0, "intro_rate": nil, "members_end": 3.0, "nickname_compliant": 1.0, "nickname_compliance": 1.0 / 3,
	})
	expect(t, res, "E", map[string]any{"newcomers": 0.0, "intro_rate": nil, "members_end": 0.0, "nickname_compliance": nil})
	expect(t, res, "", map[string]any{
		"newcomers": 5.0, "introduced": 3.0, "intro_rate": 0.6,
		"members_end": 9.0, "nickname_compliant": 5.0, "nickname_compliance": 5.0 / 9,
	})
}
