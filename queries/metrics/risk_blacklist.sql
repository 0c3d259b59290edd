-- name: risk_blacklist
-- title: Blacklist alerts
-- unit: alerts
-- grain: week
-- direction: down
-- value: hits
-- params: start, end, group
-- columns: group_id, group_name, hits, people, joins
-- description: Blacklisted people (from blacklist files, `ckpi risk
--   blacklist add`, or removed violators) who appeared in a group in the
--   period: the first join or message of each person in each group after
--   they were listed. joins: appearances that were joins.
WITH sel AS (
    SELECT * FROM selected_groups($group)
),
h AS (
    SELECT DISTINCT ON (h.group_id, h.member_id) h.group_id, h.member_id, h.how
    FROM blacklist_hits h
    WHERE h.ts >= $start AND h.ts < $end
    ORDER BY h.group_id, h.member_id, h.ts
)
SELECT sel.group_id,
       sel.group_name,
       count(h.member_id)::BIGINT                               AS hits,
       count(DISTINCT h.member_id)::BIGINT                      AS people,
       count(h.member_id) FILTER (WHERE h.how = 'join')::BIGINT AS joins
FROM sel
LEFT JOIN h ON h.group_id = sel.group_id
GROUP BY GROUPING SETS ((sel.group_id, sel.group_name), ())
ORDER BY sel.group_id IS NOT NULL, sel.group_name, sel.group_id;
