-- ---
-- name: retention
-- title: {en: "Cohort retention (weeks 1-4)", zh: "留存（第 1–4 周）"}
-- grain: week
-- params: [start, end, group]
-- value: retained_w4
-- description:
--   en: >-
--     The cohort is the members who joined in the period (week W).
--     For k = 1..4, retained_wk is the share of the cohort still in the group
--     at the end of week W+k (the period's end + 7k days: whoever left or was
--     removed before then and did not rejoin is gone), and spoke_wk is the
--     share who sent at least one message (system notices and recalls do not
--     count) in week W+k, the 7 days ending there. Weeks after the last
--     loaded data read as the data says: everyone who has not left yet is
--     retained and nobody has spoken, so read a cohort's week W+k only once
--     that week is over and loaded. Staff and bots are not counted. The
--     all-groups row pools the cohorts of all groups.
--   zh: >-
--     批次是本期（第 W 周）入群的成员。对 k = 1..4，第 k 周留存是该批次在第 W+k 周末（期末 + 7k 天）仍在群内的比例
--     （在此之前退群或被移出且未重新入群的即为流失），第 k 周发言是在第 W+k 周（截至该时点的 7 天）至少发过一条消息
--     （系统通知和撤回不算）的比例。最后一次导入的数据之后的周按数据如实计算：尚未退群的都算留存、没有人发言，
--     所以要等第 W+k 周结束并导入后再看。不计工作人员和机器人。全部群组一行把各群的批次合在一起计算。
-- table:
--   order: 40
--   week: -4
--   title: {en: "Retention ({week} cohort)", zh: "留存（{week} 入群）"}
--   note: {en: "Members who joined in {week}: the share still in the group (retained) and who spoke, in each of the 4 weeks after.",
--          zh: "{week} 入群的成员在此后 4 周每周仍在群内（留存）和发言的比例。"}
-- heatmaps:
--   - id: cohorts
--     kind: cohorts
--     order: 20
--     columns: [retained_w1, retained_w2, retained_w3, retained_w4]
--     x_labels: [{en: "Week 1", zh: "第 1 周"}, {en: "Week 2", zh: "第 2 周"}, {en: "Week 3", zh: "第 3 周"}, {en: "Week 4", zh: "第 4 周"}]
--     size: cohort_size
--     title: {en: "Cohort retention: share of each week's joiners still in the group", zh: "留存：各周入群成员此后仍在群内的比例"}
--     short: {en: "Cohort retention", zh: "留存"}
--     note: {en: "Rows are the weeks members joined (with how many joined); columns the weeks after. Weeks not over yet are empty.",
--            zh: "行是入群周（括号内为入群人数），列是入群后的第几周；尚未结束的周为空。"}
--     x_title: {en: "Weeks after joining", zh: "入群后"}
--     y_title: {en: "Joined in", zh: "入群周"}
-- columns:
--   - {name: cohort_size, format: count, good: up, all: total,
--      label: {en: "Joined", zh: "入群人数"},
--      about: {en: "Members who joined in the period: the cohort.", zh: "本期入群的成员：即该批次。"}}
--   - {name: retained_w1, format: ratio, good: up, all: pooled, needs: [roster],
--      label: {en: "Retained week 1", zh: "第 1 周留存"},
--      about: {en: "Share of the cohort still in the group a week after the period.", zh: "该批次在本期之后第 1 周末仍在群内的比例。"}}
--   - {name: retained_w2, format: ratio, good: up, all: pooled, needs: [roster],
--      label: {en: "Retained week 2", zh: "第 2 周留存"},
--      about: {en: "Share of the cohort still in the group two weeks after the period.", zh: "该批次在本期之后第 2 周末仍在群内的比例。"}}
--   - {name: retained_w3, format: ratio, good: up, all: pooled, needs: [roster],
--      label: {en: "Retained week 3", zh: "第 3 周留存"},
--      about: {en: "Share of the cohort still in the group three weeks after the period.", zh: "该批次在本期之后第 3 周末仍在群内的比例。"}}
--   - {name: retained_w4, format: ratio, good: up, all: pooled, needs: [roster],
--      label: {en: "Retained week 4", zh: "第 4 周留存"},
--      about: {en: "Share of the cohort still in the group four weeks after the period.", zh: "该批次在本期之后第 4 周末仍在群内的比例。"}}
--   - {name: spoke_w1, format: ratio, good: up, all: pooled, needs: [messages],
--      label: {en: "Spoke week 1", zh: "第 1 周发言"},
--      about: {en: "Share of the cohort who sent a message in the week after the period.", zh: "该批次在本期之后第 1 周发过言的比例。"}}
--   - {name: spoke_w2, format: ratio, good: up, all: pooled, needs: [messages],
--      label: {en: "Spoke week 2", zh: "第 2 周发言"},
--      about: {en: "Share of the cohort who sent a message in the second week after the period.", zh: "该批次在本期之后第 2 周发过言的比例。"}}
--   - {name: spoke_w3, format: ratio, good: up, all: pooled, needs: [messages],
--      label: {en: "Spoke week 3", zh: "第 3 周发言"},
--      about: {en: "Share of the cohort who sent a message in the third week after the period.", zh: "该批次在本期之后第 3 周发过言的比例。"}}
--   - {name: spoke_w4, format: ratio, good: up, all: pooled, needs: [messages],
--      label: {en: "Spoke week 4", zh: "第 4 周发言"},
--      about: {en: "Share of the cohort who sent a message in the fourth week after the period.", zh: "该批次在本期之后第 4 周发过言的比例。"}}
-- ---
WITH sel AS (
    -- the cast gives $group a type, so the driver binds $start and $end as
    -- TIMESTAMP (see docs/metrics.md, "Parameters")
    SELECT * FROM selected_groups($group::VARCHAR)
),
cohort AS (
    SELECT e.group_id, e.member_id
    FROM membership_moves($start, $end) e
    WHERE e.move = 'join'
    GROUP BY e.group_id, e.member_id
),
-- Membership at the end of each of the four following weeks.
stayed AS (
    SELECT c.group_id, c.member_id,
           w1.member_id IS NOT NULL AS in_w1,
           w2.member_id IS NOT NULL AS in_w2,
           w3.member_id IS NOT NULL AS in_w3,
           w4.member_id IS NOT NULL AS in_w4
    FROM cohort c
    LEFT JOIN members_at($end::TIMESTAMP + INTERVAL 7 DAY) w1 ON w1.group_id = c.group_id AND w1.member_id = c.member_id
    LEFT JOIN members_at($end::TIMESTAMP + INTERVAL 14 DAY) w2 ON w2.group_id = c.group_id AND w2.member_id = c.member_id
    LEFT JOIN members_at($end::TIMESTAMP + INTERVAL 21 DAY) w3 ON w3.group_id = c.group_id AND w3.member_id = c.member_id
    LEFT JOIN members_at($end::TIMESTAMP + INTERVAL 28 DAY) w4 ON w4.group_id = c.group_id AND w4.member_id = c.member_id
),
-- Which of the four following weeks each cohort member spoke in: week k
-- is [end + 7(k-1) days, end + 7k days), numbered from the period's end so
-- that it ends where retained_wk is measured. Only the four weeks' messages
-- are read, and only the cohort's.
spoke AS (
    SELECT c.group_id, c.member_id,
           bool_or(m.ts <  $end::TIMESTAMP + INTERVAL 7 DAY)                                                  AS spoke_w1,
           bool_or(m.ts >= $end::TIMESTAMP + INTERVAL 7 DAY  AND m.ts < $end::TIMESTAMP + INTERVAL 14 DAY)    AS spoke_w2,
           bool_or(m.ts >= $end::TIMESTAMP + INTERVAL 14 DAY AND m.ts < $end::TIMESTAMP + INTERVAL 21 DAY)    AS spoke_w3,
           bool_or(m.ts >= $end::TIMESTAMP + INTERVAL 21 DAY)                                                 AS spoke_w4
    FROM messages m
    JOIN cohort c ON c.group_id = m.group_id AND c.member_id = m.member_id
    WHERE m.ts >= $end AND m.ts < $end::TIMESTAMP + INTERVAL 28 DAY
      AND m.kind NOT IN ('system', 'recall')
    GROUP BY c.group_id, c.member_id
),
per_member AS (
    SELECT sel.group_id, sel.group_name, s.member_id,
           s.in_w1, s.in_w2, s.in_w3, s.in_w4,
           coalesce(sp.spoke_w1, false) AS spoke_w1,
           coalesce(sp.spoke_w2, false) AS spoke_w2,
           coalesce(sp.spoke_w3, false) AS spoke_w3,
           coalesce(sp.spoke_w4, false) AS spoke_w4
    FROM sel
    LEFT JOIN stayed s USING (group_id)
    LEFT JOIN spoke sp ON sp.group_id = s.group_id AND sp.member_id = s.member_id
)
SELECT group_id,
       group_name,
       count(member_id)::BIGINT                                            AS cohort_size,
       count(member_id) FILTER (WHERE in_w1) / nullif(count(member_id), 0)    AS retained_w1,
       count(member_id) FILTER (WHERE in_w2) / nullif(count(member_id), 0)    AS retained_w2,
       count(member_id) FILTER (WHERE in_w3) / nullif(count(member_id), 0)    AS retained_w3,
       count(member_id) FILTER (WHERE in_w4) / nullif(count(member_id), 0)    AS retained_w4,
       count(member_id) FILTER (WHERE spoke_w1) / nullif(count(member_id), 0) AS spoke_w1,
       count(member_id) FILTER (WHERE spoke_w2) / nullif(count(member_id), 0) AS spoke_w2,
       count(member_id) FILTER (WHERE spoke_w3) / nullif(count(member_id), 0) AS spoke_w3,
       count(member_id) FILTER (WHERE spoke_w4) / nullif(count(member_id), 0) AS spoke_w4
FROM per_member
GROUP BY GROUPING SETS ((group_id, group_name), ())
ORDER BY group_id IS NOT NULL, group_name, group_id;
