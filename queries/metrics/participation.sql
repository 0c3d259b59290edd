-- name: participation
-- title: Activity participation
-- unit: ratio
-- grain: week
-- direction: up
-- value: participation_rate
-- params: start, end, group
-- columns: group_id, group_name, messages, active_members, members_end, participation_rate, messages_per_active
-- description: Members who sent at least one message in the period (system
--   notices and recalls do not count) over members at the period's end, and
--   messages per active member. Staff and bots are not counted. The
--   all-groups row counts memberships: a person active in two groups counts twice.
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
