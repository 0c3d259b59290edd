-- ---
-- name: participation
-- title: {en: "Activity participation", zh: "活动参与"}
-- grain: week
-- params: [start, end, group]
-- value: participation_rate
-- description:
--   en: >-
--     Members who sent at least one message in the period (system
--     notices and recalls do not count) over members at the period's end, and
--     messages per active member. Staff and bots are not counted. The
--     all-groups row counts memberships: a person active in two groups counts twice.
--   zh: >-
--     本期至少发过一条消息（系统通知和撤回不算）的成员占期末成员的比例，以及活跃成员的人均消息数。
--     不计工作人员和机器人。全部群组一行按成员关系计：同在两个群里发言的人计两次。
-- table: {order: 20, title: {en: "Participation & engagement", zh: "参与与活跃"}}
-- columns:
--   - {name: messages, format: count, good: up, all: total, card: {order: 100}, groups: {order: 90},
--      label: {en: "Messages", zh: "消息数"},
--      about: {en: "Members' messages in the week (system notices and recalls left out).", zh: "本周成员消息数（不含系统通知和撤回）。"}}
--   - {name: active_members, format: count, good: up, all: total,
--      card: {order: 50}, groups: {order: 70, excel_only: true},
--      label: {en: "Active members", zh: "活跃成员"},
--      about: {en: "Members who sent at least one message in the week.", zh: "本周至少发言一次的成员。"}}
--   - {name: members_end, format: count, good: none, all: total, needs: [roster],
--      label: {en: "Members at end", zh: "周末成员"},
--      about: {en: "Members at the end of the period (staff and bots left out).", zh: "期末成员数（不含工作人员和机器人）。"}}
--   - {name: participation_rate, format: ratio, good: up, all: pooled, needs: [roster],
--      card: {order: 60}, groups: {order: 80, scale: true},
--      alert: {drop: 0.30, text: {en: "Participation down {drop} vs last week", zh: "参与率较上周下降 {drop}"}},
--      label: {en: "Participation", zh: "参与率"},
--      about: {en: "Active members / members at the end of the week.", zh: "活跃成员 / 周末成员数。"}}
--   - {name: messages_per_active, format: decimal, good: up, all: pooled,
--      label: {en: "Messages per active member", zh: "人均消息"},
--      about: {en: "Messages / active members.", zh: "消息数 / 活跃成员数。"}}
-- ---
WITH sel AS (
    SELECT * FROM selected_groups($group)
),
-- Count per sender first, then leave staff out: the staff check runs once
-- per sender instead of once per message.
per_sender AS (
    SELECT m.group_id, m.member_id, count(*) AS n
    FROM messages m
    WHERE m.ts >= $start AND m.ts < $end
      AND m.member_id IS NOT NULL
      AND m.kind NOT IN ('system', 'recall')
    GROUP BY m.group_id, m.member_id
),
spoken AS (
    SELECT p.group_id, sum(p.n) AS messages, count(*) AS active
    FROM per_sender p
    WHERE NOT is_staff(p.member_id, p.group_id)
    GROUP BY p.group_id
),
at_end AS (SELECT group_id, count(*) AS n FROM members_at($end) GROUP BY group_id),
per_group AS (
    SELECT sel.group_id, sel.group_name,
           coalesce(spoken.messages, 0) AS messages,
           coalesce(spoken.active, 0)   AS active_members,
           coalesce(at_end.n, 0)        AS members_end
    FROM sel
    LEFT JOIN spoken USING (group_id)
    LEFT JOIN at_end USING (group_id)
)
SELECT group_id,
       group_name,
       sum(messages)::BIGINT                              AS messages,
       sum(active_members)::BIGINT                        AS active_members,
       sum(members_end)::BIGINT                           AS members_end,
       sum(active_members) / nullif(sum(members_end), 0)  AS participation_rate,
       sum(messages) / nullif(sum(active_members), 0)     AS messages_per_active
FROM per_group
GROUP BY GROUPING SETS ((group_id, group_name), ())
ORDER BY group_id IS NOT NULL, group_name, group_id;
