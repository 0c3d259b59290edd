-- ---
-- name: responsiveness
-- title: {en: "Responsiveness to member questions", zh: "提问响应"}
-- grain: week
-- params: [start, end, group]
-- value: median_minutes_to_response
-- cost: heavy
-- description:
--   en: >-
--     A question is a member's message in the period whose text
--     contains "?" or "？", or that mentions a staff member of the group (by
--     their current display name, or its first part before "|" as in
--     "Name | Company | City"). Its response is the first message by a staff
--     member of that group (owner, admin or customer service; bots do not
--     answer) at or after the question and at most 24 hours later, whether or
--     not it is a reply to that question. median_minutes_to_response is over
--     answered questions; answered_share = answered / questions; unanswered
--     questions got no staff message within 24 hours (questions near the
--     period's end need the next day loaded). System notices and recalls are
--     neither questions nor answers. The all-groups row pools all questions.
--   zh: >-
--     提问是成员在本期发送的、含“?”或“？”、或提到本群某位工作人员（按其当前显示名，或“姓名 | 公司 | 城市”中“|”前的部分）的消息。
--     其响应是本群工作人员（群主、管理员或客服；机器人不算）在提问之后 24 小时内的第一条消息，不论是否回复该提问。
--     响应时长中位数按已回复的提问计算；回复率 = 已回复 / 提问数；未回复是 24 小时内没有工作人员发言的提问
--     （临近期末的提问需要导入下一天的数据）。系统通知和撤回既不是提问也不是回复。全部群组一行把所有提问合在一起计算。
-- table: {order: 60, title: {en: "Responsiveness & onboarding", zh: "响应与新人引导"}}
-- columns:
--   - {name: questions, format: count, good: none, all: total, needs: [messages],
--      label: {en: "Questions", zh: "提问"},
--      about: {en: "Members' questions in the period: a question mark, or a mention of staff.", zh: "本期成员的提问：含问号，或提到了工作人员。"}}
--   - {name: answered, format: count, good: up, all: total, needs: [staff, messages],
--      label: {en: "Answered", zh: "已回复"},
--      about: {en: "Questions a staff member answered within 24 hours.", zh: "24 小时内有工作人员发言的提问。"}}
--   - {name: unanswered, format: count, good: down, all: total, needs: [staff, messages],
--      label: {en: "Unanswered", zh: "未回复"},
--      about: {en: "Questions with no staff message within 24 hours.", zh: "24 小时内没有工作人员发言的提问。"}}
--   - {name: answered_share, format: ratio, good: up, all: pooled, needs: [staff, messages],
--      label: {en: "Answered share", zh: "回复率"},
--      about: {en: "Answered / questions.", zh: "已回复 / 提问数。"}}
--   - {name: median_minutes_to_response, format: minutes, good: down, all: pooled, needs: [staff, messages],
--      card: {order: 120, label: {en: "Median response time", zh: "响应时长中位数"}},
--      label: {en: "Median response", zh: "响应时长中位数"},
--      about: {en: "Median minutes from a member's question to the first staff message.", zh: "成员提问到工作人员首次发言的时长中位数（分钟）。"}}
-- ---
WITH sel AS (
    -- the cast gives $group a type, so the driver binds $start and $end as
    -- TIMESTAMP (see docs/metrics.md, "Parameters")
    SELECT * FROM selected_groups($group::VARCHAR)
),
-- Each member question of the period with the minutes to the first staff
-- answer within 24 hours (NULL: unanswered); see queries/macros.sql.
timed AS (
    SELECT group_id, minutes FROM question_responses($start, $end)
),
per_question AS (
    SELECT sel.group_id, sel.group_name, t.minutes, t.group_id IS NOT NULL AS asked
    FROM sel
    LEFT JOIN timed t USING (group_id)
)
SELECT group_id,
       group_name,
       count(*) FILTER (WHERE asked)::BIGINT                                  AS questions,
       count(minutes)::BIGINT                                                 AS answered,
       (count(*) FILTER (WHERE asked) - count(minutes))::BIGINT               AS unanswered,
       count(minutes) / nullif(count(*) FILTER (WHERE asked), 0)              AS answered_share,
       median(minutes)                                                        AS median_minutes_to_response
FROM per_question
GROUP BY GROUPING SETS ((group_id, group_name), ())
ORDER BY group_id IS NOT NULL, group_name, group_id;
