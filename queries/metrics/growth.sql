-- name: growth
-- title: Member growth
-- unit: members
-- grain: week
-- direction: up
-- value: net_growth
-- params: start, end, group
-- columns: group_id, group_name, joins, leaves, net_growth, members_start, members_end, growth_rate
-- description: Joins and leaves (removals included) of members in the period,
--   net growth, members at its start and end, and growth rate = net growth /
--   members at start. Staff and bots are not counted. The all-groups row
--   (group_id NULL) adds up group memberships.
WITH sel AS (
    SELECT * FROM selected_groups($group)
),
moves AS (
    SELECT e.group_id,
           count(*) FILTER (WHERE e.kind = 'join')              AS joins,
           count(*) FILTER (WHERE e.kind IN ('leave', 'removed')) AS leaves
    FROM membership_events e
    WHERE e.ts >= $start AND e.ts < $end AND NOT is_staff(e.member_id, e.group_id)
    GROUP BY e.group_id
),
at_start AS (SELECT group_id, count(*) AS n FROM members_at($start) GROUP BY group_id),
at_end   AS (SELECT group_id, count(*) AS n FROM members_at($end) GROUP BY group_id),
per_group AS (
    SELECT sel.group_id, sel.group_name,
           coalesce(moves.joins, 0)  AS joins,
           coalesce(moves.leaves, 0) AS leaves,
           coalesce(at_start.n, 0)   AS members_start,
           coalesce(at_end.n, 0)     AS members_end
    FROM sel
    LEFT JOIN moves USING (group_id)
    LEFT JOIN at_start USING (group_id)
    LEFT JOIN at_end USING (group_id)
)
SELECT group_id,
       group_name,
       sum(joins)::BIGINT                                 AS joins,
       sum(leaves)::BIGINT                                AS leaves,
       (sum(joins) - sum(leaves))::BIGINT                 AS net_growth,
       sum(members_start)::BIGINT                         AS members_start,
       sum(members_end)::BIGINT                           AS members_end,
       (sum(joins) - sum(leaves)) / nullif(sum(members_start), 0) AS growth_rate
FROM per_group
GROUP BY GROUPING SETS ((group_id, group_name), ())
ORDER BY group_id IS NOT NULL, group_name, group_id;
