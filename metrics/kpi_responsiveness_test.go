package metrics_test

import "testing"

// Week 2026-W47 (Mon 16 Nov to Mon 23 Nov, Shanghai).
func TestResponsiveness(t *testing.T) {
	w := newWorld(t)
	w.group(1, "A")
	w.group(2, "B")
	w.group(3, "E")
	w.member(1, "张伟", "")
	w.member(2, "王芳", "")
	w.member(3, "Bob", "")
	w.member(90, "小美|官方客服|上海", "") // staff in every group
	w.member(91, "Admin Li", "")   // staff of B only: a member in A
	w.member(92, "机器人", "")        // a bot: never an answer
	w.staff(90, 0, "service")
	w.staff(91, 2, "admin")
	w.staff(92, 0, "bot")

	// Group A.
	w.say(1, 90, "2026-11-16 09:00", "大家有问题吗？")               // staff asking: not a question
	w.say(1, 1, "2026-11-16 10:00", "新版本什么时候发布？")             // q1 (full-width ？)
	w.say(1, 92, "2026-11-16 10:01", "自动回复：请稍候")              // the bot does not count
	w.say(1, 90, "2026-11-16 10:05", "下周一")                   // answers q1: 5 min
	w.msg(1, 2, "2026-11-16 11:00", "text", "@张伟 好的", "张伟")   // @ of a member: not a question
	w.msg(1, 2, "2026-11-17 09:00", "text", "@小美 帮我看看", "小美") // q2: @ of staff by the first part of the name
	w.say(1, 90, "2026-11-17 09:30", "好的")                    // answers q2: 30 min
	w.say(1, 1, "2026-11-18 12:00", "is it ready?")           // q3
	w.say(1, 91, "2026-11-18 12:10", "不知道")                   // not staff in A: no answer
	w.say(1, 90, "2026-11-19 12:00:01", "ready")              // 24 h 1 s after q3: too late
	w.msg(1, 1, "2026-11-20 10:00", "recall", "撤回了?")         // recalls are not questions
	w.say(1, 2, "2026-11-22 23:50", "最后一个问题?")                // q4: Sunday night
	w.say(1, 90, "2026-11-23 00:10", "请讲")                    // answers q4 after the week: 20 min
	w.say(1, 1, "2026-11-23 00:30", "下周见?")                   // Monday: the next week's question

	// Group B.
	w.msg(2, 3, "2026-11-20 15:00", "text", "@Admin Li", "Admin Li") // q5: @ of B's admin
	w.say(2, 91, "2026-11-20 15:00", "here")                         // the same second: 0 min
	w.say(2, 3, "2026-11-21 10:00", "thanks?")                       // q6
	w.say(2, 90, "2026-11-21 11:30", "you're welcome")               // 90 min

	res := w.week("responsiveness", "2026-W47")
	// A: q1 5 min, q2 30 min, q3 unanswered, q4 20 min.
	expect(t, res, "A", map[string]any{
		"questions": 4.0, "answered": 3.0, "unanswered": 1.0, "answered_share": 0.75, "median_minutes_to_response": 20.0,
	})
	// B: q5 0 min, q6 90 min: median 45.
	expect(t, res, "B", map[string]any{
		"questions": 2.0, "answered": 2.0, "unanswered": 0.0, "answered_share": 1.0, "median_minutes_to_response": 45.0,
	})
	expect(t, res, "E", map[string]any{
		"questions": 0.0, "answered": 0.0, "unanswered": 0.0, "answered_share": nil, "median_minutes_to_response": nil,
	})
	// All: median of 0, 5, 20, 30, 90.
	expect(t, res, "", map[string]any{
		"questions": 6.0, "answered": 5.0, "unanswered": 1.0, "answered_share": 5.0 / 6, "median_minutes_to_response": 20.0,
	})
	// W48 has one question (Monday 00:30) and no staff message after it.
	expect(t, w.week("responsiveness", "2026-W48"), "A", map[string]any{
		"questions": 1.0, "answered": 0.0, "answered_share": 0.0, "median_minutes_to_response": nil,
	})
}
