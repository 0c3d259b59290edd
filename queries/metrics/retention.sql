-- name: retention
-- title: Cohort retention (weeks 1-4)
-- unit: ratio
-- grain: week
-- direction: up
-- value: retained_w4
-- params: start, end, group
-- columns: group_id, group_name, cohort_size, retained_w1, retained_w2, retained_w3, retained_w4, spoke_w1, spoke_w2, spoke_w3, spoke_w4
-- description: The cohort is the members who joined in the period (week W).
--   For k = 1..4, retained_wk is the share of the cohort still in the group
--   at the end of week W+k (the period's end + 7k days: whoever left or was
--   removed before then and did not rejoin is gone), and spoke_wk is the
--   share who sent at least one message (system notices and recalls do not
--   count) in week W+k, the 7 days ending there. Weeks after the last
--   loaded data read as the data says: everyone who has not left yet is
--   retained and nobody has spoken, so read a cohort's week W+k only once
--   that week is over and loaded. Staff and bots are not counted. The
--   all-groups row pools the cohorts of all groups.
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
