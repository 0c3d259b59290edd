-- name: risk_violations
-- title: Rule violations
-- unit: violations
-- grain: week
-- direction: down
-- value: violations
-- params: start, end, group
-- columns: group_id, group_name, violations, violators, abuse, advertising, political, indecent, flooding, media, nickname
-- description: Violations found by `ckpi risk scan` in the period, by
--   category (abuse and insults, advertising incl. links, contact details and
--   hit-and-run ad accounts, political and sensitive talk, indecent content,
--   flooding, oversized media, nicknames), and the members who committed them.
--   Staff are exempt from the rules that say so. Zero until a scan has run.
WITH sel AS (
    SELECT * FROM selected_groups($group)
),
v AS (
    SELECT v.group_id, v.member_id, v.category
    FROM violations v
    WHERE v.ts >= $start AND v.ts < $end
)
SELECT sel.group_id,
       sel.group_name,
       count(v.member_id)::BIGINT                                        AS violations,
       count(DISTINCT v.member_id)::BIGINT                               AS violators,
       count(v.member_id) FILTER (WHERE v.category = 'abuse')::BIGINT       AS abuse,
       count(v.member_id) FILTER (WHERE v.category = 'advertising')::BIGINT AS advertising,
       count(v.member_id) FILTER (WHERE v.category = 'political')::BIGINT   AS political,
       count(v.member_id) FILTER (WHERE v.category = 'indecent')::BIGINT    AS indecent,
       count(v.member_id) FILTER (WHERE v.category = 'flooding')::BIGINT    AS flooding,
       count(v.member_id) FILTER (WHERE v.category = 'media')::BIGINT       AS media,
       count(v.member_id) FILTER (WHERE v.category = 'nickname')::BIGINT    AS nickname
FROM sel
LEFT JOIN v ON v.group_id = sel.group_id
GROUP BY GROUPING SETS ((sel.group_id, sel.group_name), ())
ORDER BY sel.group_id IS NOT NULL, sel.group_name, sel.group_id;
