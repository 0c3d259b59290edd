-- name: risk_violations
-- title: Rule violations
-- unit: violations
-- grain: week
-- direction: down
-- value: violations
-- params: start, end, group
-- columns: group_id, group_name, violations, rule_hits, violators, abuse, advertising, political, indecent, flooding, media, nickname
-- description: Offending messages found by `ckpi risk scan` in the period:
--   a message that broke several rules (an ad with a link from a member who
--   joined and left) is one violation, as on the handling ladder; a nickname
--   offence counts once per member and name. rule_hits counts every rule
--   broken. By category (abuse and insults, advertising incl. links, contact
--   details and hit-and-run ad accounts, political and sensitive talk,
--   indecent content, flooding, oversized media, nicknames): offences with
--   at least one hit in it, so categories can add up to more than the
--   total. violators: the members who committed them. Staff are exempt
--   from the rules that say so. Zero until a scan has run.
WITH sel AS (
    SELECT * FROM selected_groups($group)
),
-- One row per offence: a message, or a member's nickname in a group.
v AS (
    SELECT v.group_id, v.member_id,
           coalesce(v.message_id::VARCHAR, 'name:' || v.member_id || ':' || v.evidence) AS offence,
           list(DISTINCT v.category) AS categories,
           count(*) AS hits
    FROM violations v
    WHERE v.ts >= $start AND v.ts < $end
    GROUP BY ALL
)
SELECT sel.group_id,
       sel.group_name,
       count(v.offence)::BIGINT                                                 AS violations,
       coalesce(sum(v.hits), 0)::BIGINT                                         AS rule_hits,
       count(DISTINCT v.member_id)::BIGINT                                      AS violators,
       count(v.offence) FILTER (WHERE list_contains(v.categories, 'abuse'))::BIGINT       AS abuse,
       count(v.offence) FILTER (WHERE list_contains(v.categories, 'advertising'))::BIGINT AS advertising,
       count(v.offence) FILTER (WHERE list_contains(v.categories, 'political'))::BIGINT   AS political,
       count(v.offence) FILTER (WHERE list_contains(v.categories, 'indecent'))::BIGINT    AS indecent,
       count(v.offence) FILTER (WHERE list_contains(v.categories, 'flooding'))::BIGINT    AS flooding,
       count(v.offence) FILTER (WHERE list_contains(v.categories, 'media'))::BIGINT       AS media,
       count(v.offence) FILTER (WHERE list_contains(v.categories, 'nickname'))::BIGINT    AS nickname
FROM sel
LEFT JOIN v ON v.group_id = sel.group_id
GROUP BY GROUPING SETS ((sel.group_id, sel.group_name), ())
ORDER BY sel.group_id IS NOT NULL, sel.group_name, sel.group_id;
