-- name: growth
-- title: Member growth
-- unit: members
-- grain: week
-- direction: up
-- value: net_growth
-- params: start, end, group
-- columns: group_id, group_name, joins, leaves, net_growth, members_start, members_end, growth_rate, joins_referral, joins_qr, joins_link, joins_website, joins_official_account, joins_weibo, joins_offline, joins_sms, joins_import, joins_unknown, referral_share
-- description: Joins and leaves (removals included) of members in the period,
--   net growth, members at its start and end (members_end = members_start
--   + joins - leaves, exactly), and growth rate = net growth / members at
--   start; joins by source channel, and referral share = joins brought by a
--   member (invited, or by their QR code) / joins. A person seen in a group
--   with no join recorded has been a member since before its data began:
--   no join is counted for them; one who speaks again after leaving with no
--   join recorded rejoined (channel unknown). Staff and bots are not
--   counted. The all-groups row (group_id NULL) adds up group memberships.
WITH sel AS (
    SELECT * FROM selected_groups($group)
),
moves AS (
    SELECT e.group_id,
           count(*) FILTER (WHERE e.move = 'join')                         AS joins,
           count(*) FILTER (WHERE e.move IN ('leave', 'removed'))          AS leaves,
           count(*) FILTER (WHERE e.move = 'join' AND e.source = 'referral')         AS joins_referral,
           count(*) FILTER (WHERE e.move = 'join' AND e.source = 'qr')               AS joins_qr,
           count(*) FILTER (WHERE e.move = 'join' AND e.source = 'link')             AS joins_link,
           count(*) FILTER (WHERE e.move = 'join' AND e.source = 'website')          AS joins_website,
           count(*) FILTER (WHERE e.move = 'join' AND e.source = 'official_account') AS joins_official_account,
           count(*) FILTER (WHERE e.move = 'join' AND e.source = 'weibo')            AS joins_weibo,
           count(*) FILTER (WHERE e.move = 'join' AND e.source = 'offline')          AS joins_offline,
           count(*) FILTER (WHERE e.move = 'join' AND e.source = 'sms')              AS joins_sms,
           count(*) FILTER (WHERE e.move = 'join' AND e.source = 'import')           AS joins_import,
           count(*) FILTER (WHERE e.move = 'join' AND e.source IN ('unknown', 'inferred')) AS joins_unknown
    FROM membership_moves($start, $end) e
    GROUP BY e.group_id
),
at_start AS (SELECT group_id, count(*) AS n FROM members_at($start) GROUP BY group_id),
at_end   AS (SELECT group_id, count(*) AS n FROM members_at($end) GROUP BY group_id),
per_group AS (
    SELECT sel.group_id, sel.group_name,
           coalesce(moves.joins, 0)  AS joins,
           coalesce(moves.leaves, 0) AS leaves,
           coalesce(moves.joins_referral, 0) AS joins_referral,
           coalesce(moves.joins_qr, 0) AS joins_qr,
           coalesce(moves.joins_link, 0) AS joins_link,
           coalesce(moves.joins_website, 0) AS joins_website,
           coalesce(moves.joins_official_account, 0) AS joins_official_account,
           coalesce(moves.joins_weibo, 0) AS joins_weibo,
           coalesce(moves.joins_offline, 0) AS joins_offline,
           coalesce(moves.joins_sms, 0) AS joins_sms,
           coalesce(moves.joins_import, 0) AS joins_import,
           coalesce(moves.joins_unknown, 0) AS joins_unknown,
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
       (sum(joins) - sum(leaves)) / nullif(sum(members_start), 0) AS growth_rate,
       sum(joins_referral)::BIGINT                        AS joins_referral,
       sum(joins_qr)::BIGINT                              AS joins_qr,
       sum(joins_link)::BIGINT                            AS joins_link,
       sum(joins_website)::BIGINT                         AS joins_website,
       sum(joins_official_account)::BIGINT                AS joins_official_account,
       sum(joins_weibo)::BIGINT                           AS joins_weibo,
       sum(joins_offline)::BIGINT                         AS joins_offline,
       sum(joins_sms)::BIGINT                             AS joins_sms,
       sum(joins_import)::BIGINT                          AS joins_import,
       sum(joins_unknown)::BIGINT                         AS joins_unknown,
       (sum(joins_referral) + sum(joins_qr)) / nullif(sum(joins), 0) AS referral_share
FROM per_group
GROUP BY GROUPING SETS ((group_id, group_name), ())
ORDER BY group_id IS NOT NULL, group_name, group_id;
