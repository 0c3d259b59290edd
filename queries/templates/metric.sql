-- ---
-- # The header: YAML between the two "-- ---" lines (see docs/metrics.md).
-- name: {{name}}
-- title: {en: "{{title}}", zh: "{{title}}"}
-- grain: week                      # day, week or month: the default period
-- params: [start, end, group]      # every one used in the SQL as $name
-- value: share                     # the headline column
-- description:
--   en: >-
--     What this number means, for the reader of the report: what is
--     counted, over which time, who is left out, what an empty value means.
--   zh: >-
--     这个数字对读报告的人意味着什么：统计什么、什么时间范围、不计谁、空值表示什么。
-- # Its own section in the report and its own sheet in the workbook:
-- table: {order: 100, title: {en: "{{title}}", zh: "{{title}}"}}
-- # Every result column after group_id and group_name, in order. format:
-- # count, ratio (shown as %), minutes, currency, score, decimal or text;
-- # good: up, down or none; all: how the all-groups row is formed (total,
-- # pooled, distinct, average or none); card and groups put it on a
-- # headline card and in the groups table.
-- columns:
--   - {name: members_end, format: count, good: none, all: total, needs: [roster],
--      label: {en: "Members at end", zh: "期末成员"},
--      about: {en: "Members at the end of the period.", zh: "期末成员数。"}}
--   - {name: active, format: count, good: up, all: total,
--      label: {en: "Active members", zh: "活跃成员"},
--      about: {en: "Members at the end who sent a message in the period.", zh: "期末成员中本期发过言的人。"}}
--   - {name: share, format: ratio, good: up, all: pooled, needs: [roster],
--      card: {order: 200}, groups: {order: 200},
--      label: {en: "{{title}}", zh: "{{title}}"},
--      about: {en: "Active members / members at the end.", zh: "活跃成员 / 期末成员数。"}}
-- ---
--
-- How to fill this in (see docs/metrics.md):
-- * $start and $end are the period's bounds as UTC timestamps, end exclusive;
--   compare them with messages.ts, membership_events.ts, orders.ts. Never
--   cut days with ts::DATE or date_trunc: those are UTC days.
-- * $group is NULL for all groups, or a group's name or id: use
--   selected_groups($group) to pick the groups.
-- * Return one row per group and an all-groups row (group_id NULL) with
--   GROUPING SETS; divide with nullif(x, 0) so an empty period gives NULL.
-- * Leave staff and bots out with NOT is_staff(t.member_id, t.group_id).
-- * Check it with: ckpi metrics validate metrics/{{name}}.sql
WITH sel AS (
    SELECT * FROM selected_groups($group)
),
members AS (
    SELECT group_id, member_id FROM members_at($end)
),
-- The numerator counts the same people as the denominator (members at the
-- end who spoke), so the share never exceeds 1.
active AS (
    SELECT DISTINCT m.group_id, m.member_id
    FROM messages m
    JOIN members x ON x.group_id = m.group_id AND x.member_id = m.member_id
    WHERE m.ts >= $start AND m.ts < $end
      AND m.kind NOT IN ('system', 'recall')
),
per_group AS (
    SELECT sel.group_id, sel.group_name,
           (SELECT count(*) FROM members x WHERE x.group_id = sel.group_id) AS members_end,
           (SELECT count(*) FROM active a WHERE a.group_id = sel.group_id)  AS active
    FROM sel
)
SELECT group_id,
       group_name,
       sum(members_end)::BIGINT                     AS members_end,
       sum(active)::BIGINT                          AS active,
       sum(active) / nullif(sum(members_end), 0)    AS share
FROM per_group
GROUP BY GROUPING SETS ((group_id, group_name), ())
ORDER BY group_id IS NOT NULL, group_name, group_id;
