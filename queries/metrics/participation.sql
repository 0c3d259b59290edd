-- ---
-- name: participation
-- title: {en: "Activity participation", zh: "活动参与"}
-- grain: week
-- params: [start, end, group]
-- value: participation_rate
-- description:
--   en: >-
--     Of the people who were members at some moment of the period
--     (members), those who sent at least one message in it (system notices
--     and recalls do not count): participation_rate = active_members /
--     members, never above 1, and messages per active member. members_end is
--     members at the period's end. Staff and bots are not counted. The
--     all-groups row counts memberships: a person in two groups counts twice.
--   zh: >-
--     本期任一时刻是成员的人（成员数）中，本期至少发过一条消息（系统通知和撤回不算）的人：参与率 = 活跃成员 / 成员数，
--     不会超过 1；以及活跃成员的人均消息数。期末成员是期末时的成员数。不计工作人员和机器人。全部群组一行按成员关系计：
--     同在两个群里的人计两次。
-- table: {order: 20, title: {en: "Participation & engagement", zh: "参与与活跃"}}
-- columns:
--   - {name: messages, format: count, good: up, all: total, needs: [messages], card: {order: 100}, groups: {order: 90},
--      label: {en: "Messages", zh: "消息数"},
--      about: {en: "Members' messages in the week (system notices and recalls left out).", zh: "本周成员消息数（不含系统通知和撤回）。"}}
--   - {name: active_members, format: count, good: up, all: total, needs: [messages],
--      card: {order: 50}, groups: {order: 70, excel_only: true},
--      label: {en: "Active members", zh: "活跃成员"},
--      about: {en: "Members who sent at least one message in the week.", zh: "本周至少发言一次的成员。"}}
--   - {name: members, format: count, good: none, all: total, needs: [roster],
--      label: {en: "Members in the period", zh: "本期成员"},
--      about: {en: "People who were members at some moment of the period.", zh: "本期任一时刻是成员的人。"}}
--   - {name: members_end, format: count, good: none, all: total, needs: [roster],
--      label: {en: "Members at end", zh: "周末成员"},
--      about: {en: "Members at the end of the period (staff and bots left out).", zh: "期末成员数（不含工作人员和机器人）。"}}
--   - {name: participation_rate, format: ratio, good: up, all: pooled, needs: [roster, messages],
--      card: {order: 60}, groups: {order: 80, scale: true},
--      alert: {drop: 0.30, text: {en: "Participation down {drop} vs last week", zh: "参与率较上周下降 {drop}"}},
--      label: {en: "Participation", zh: "参与率"},
--      about: {en: "Active members / members in the week.", zh: "活跃成员 / 本周成员数。"}}
--   - {name: messages_per_active, format: decimal, good: up, all: pooled, needs: [messages],
--      label: {en: "Messages per active member", zh: "人均消息"},
--      about: {en: "Messages / active members.", zh: "消息数 / 活跃成员数。"}}
-- ---
WITH sel AS (
    SELECT * FROM selected_groups($group)
),
per_group AS (
    SELECT sel.group_id, sel.group_name,
           coalesce(sum(mm.messages), 0)                       AS messages,
           count(mm.member_id) FILTER (WHERE mm.messages > 0)  AS active_members,
           count(mm.member_id)                                 AS members
    FROM sel
    LEFT JOIN member_messages($start, $end) mm USING (group_id)
    GROUP BY sel.group_id, sel.group_name
),
at_end AS (SELECT group_id, count(*) AS n FROM members_at($end) GROUP BY group_id)
SELECT p.group_id,
       p.group_name,
       sum(p.messages)::BIGINT                               AS messages,
       sum(p.active_members)::BIGINT                         AS active_members,
       sum(p.members)::BIGINT                                AS members,
       sum(coalesce(at_end.n, 0))::BIGINT                    AS members_end,
       sum(p.active_members) / nullif(sum(p.members), 0)     AS participation_rate,
       sum(p.messages) / nullif(sum(p.active_members), 0)    AS messages_per_active
FROM per_group p
LEFT JOIN at_end USING (group_id)
GROUP BY GROUPING SETS ((p.group_id, p.group_name), ())
ORDER BY p.group_id IS NOT NULL, p.group_name, p.group_id;
