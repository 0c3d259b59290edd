-- name: {{name}}
-- title: {{title}}
-- unit: members
-- grain: week
-- direction: up
-- value: share
-- params: start, end, group
-- columns: group_id, group_name, members_end, active, share
-- description: What this number means, for the reader of the report.
--   Continue long descriptions on lines starting with "--" and spaces.
--
-- How to fill this in (see docs/metrics.md):
-- * $start and $end are the period's bounds as UTC timestamps, end exclusive;
--   compare them with messages.ts, membership_events.ts, orders.ts.
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
active AS (
    SELECT DISTINCT m.group_id, m.member_id
    FROM messages m
    WHERE m.ts >= $start AND m.ts < $end
      AND m.member_id IS NOT NULL
      AND NOT is_staff(m.member_id, m.group_id)
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
