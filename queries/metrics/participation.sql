-- name: participation
-- title: Activity participation
-- unit: ratio
-- grain: week
-- direction: up
-- value: participation_rate
-- params: start, end, group
-- columns: group_id, group_name, messages, active_members, members, members_end, participation_rate, messages_per_active
-- description: Of the people who were members at some moment of the period
--   (members), those who sent at least one message in it (system notices
--   and recalls do not count): participation_rate = active_members /
--   members, never above 1, and messages per active member. members_end is
--   members at the period's end. Staff and bots are not counted. The
--   all-groups row counts memberships: a person in two groups counts twice.
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
