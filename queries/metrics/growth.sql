-- ---
-- name: growth
-- title: {en: "Member growth", zh: "成员增长"}
-- grain: week
-- params: [start, end, group]
-- value: net_growth
-- description:
--   en: >-
--     Joins and leaves (removals included) of members in the period,
--     net growth, members at its start and end (members_end = members_start
--     + joins - leaves, exactly), and growth rate = net growth / members at
--     start; joins by source channel, and referral share = joins brought by a
--     member (invited, or by their QR code: a QR join naming no one, such as
--     a WeCom group QR code, is not counted) / joins. A person seen in a group
--     with no join recorded has been a member since before its data began:
--     no join is counted for them; one who speaks again after leaving with no
--     join recorded rejoined (channel unknown). Staff and bots are not
--     counted. The all-groups row (group_id NULL) adds up group memberships.
--   zh: >-
--     本期入群与退群（含被移出）人数、净增长、期初与期末成员数（期末 = 期初 + 入群 - 退群，严格相等），
--     增长率 = 净增长 / 期初成员数；按来源渠道统计的入群人数，以及老带新占比 = 由成员带来的入群（被邀请，或扫其二维码；未注明分享人的扫码入群，如企业微信群二维码，不计）/ 入群人数。
--     在群里出现却没有入群记录的人，在数据开始之前就已是成员：不计入群；退群后没有入群记录又发言的人算重新入群（渠道未知）。
--     不计工作人员和机器人。全部群组一行把各群成员关系相加。
-- table: {order: 10, title: {en: "Growth", zh: "增长"}}
-- charts:
--   - {id: members, order: 10, kind: bar, title: {en: "Members and net growth", zh: "成员数与净增长"}}
--   - {id: joins_by_channel, order: 20, kind: stacked, fallback: joins,
--      title: {en: "Joins by channel", zh: "各渠道入群人数"}}
-- columns:
--   - {name: joins, format: count, good: up, all: total, groups: {order: 30, excel_only: true},
--      label: {en: "Joins", zh: "入群"},
--      about: {en: "Members who joined in the period.", zh: "本期入群的成员数。"}}
--   - {name: leaves, format: count, good: down, all: total, groups: {order: 40, excel_only: true},
--      label: {en: "Leaves", zh: "退群"},
--      about: {en: "Members who left or were removed in the period.", zh: "本期退群或被移出的成员数。"}}
--   - {name: net_growth, format: count, good: up, all: total,
--      card: {order: 20}, groups: {order: 50}, trend: {chart: members},
--      label: {en: "Net growth", zh: "净增长"},
--      about: {en: "Joins minus leaves and removals in the week.", zh: "本周入群人数减去退群和被移出人数。"}}
--   - {name: members_start, format: count, good: none, all: total, needs: [roster],
--      label: {en: "Members at start", zh: "周初成员"},
--      about: {en: "Members at the start of the period (staff and bots left out).", zh: "期初成员数（不含工作人员和机器人）。"}}
--   - {name: members_end, format: count, good: up, all: total, needs: [roster],
--      card: {order: 10, label: {en: "Members", zh: "成员数"}},
--      groups: {order: 20, label: {en: "Members", zh: "成员数"}},
--      trend: {chart: members, kind: line, axis: right},
--      label: {en: "Members at end", zh: "周末成员"},
--      about: {en: "Members in all groups at the end of the week (staff and bots left out).", zh: "周末各群成员总数（不含工作人员和机器人）。"}}
--   - {name: growth_rate, format: percent, good: up, all: pooled, needs: [roster],
--      card: {order: 30}, groups: {order: 60},
--      label: {en: "Growth rate", zh: "增长率"},
--      about: {en: "Net growth / members at the start of the week.", zh: "净增长 / 周初成员数。"}}
--   - {name: joins_referral, format: count, good: up, all: total, trend: {chart: joins_by_channel},
--      label: {en: "Referral", zh: "老带新"},
--      about: {en: "Joins invited by a member.", zh: "由成员邀请的入群人数。"}}
--   - {name: joins_qr, format: count, good: up, all: total, trend: {chart: joins_by_channel},
--      label: {en: "QR code", zh: "扫码"},
--      about: {en: "Joins by a member's QR code.", zh: "扫成员二维码的入群人数。"}}
--   - {name: joins_link, format: count, good: up, all: total, trend: {chart: joins_by_channel},
--      label: {en: "Invite link", zh: "邀请链接"},
--      about: {en: "Joins by an invite link.", zh: "通过邀请链接的入群人数。"}}
--   - {name: joins_website, format: count, good: up, all: total, trend: {chart: joins_by_channel},
--      label: {en: "Website", zh: "官网"},
--      about: {en: "Joins from the website.", zh: "来自官网的入群人数。"}}
--   - {name: joins_official_account, format: count, good: up, all: total, trend: {chart: joins_by_channel},
--      label: {en: "Official account", zh: "公众号"},
--      about: {en: "Joins from the official account.", zh: "来自公众号的入群人数。"}}
--   - {name: joins_weibo, format: count, good: up, all: total, trend: {chart: joins_by_channel},
--      label: {en: "Weibo", zh: "微博"},
--      about: {en: "Joins from Weibo.", zh: "来自微博的入群人数。"}}
--   - {name: joins_offline, format: count, good: up, all: total, trend: {chart: joins_by_channel},
--      label: {en: "Offline", zh: "线下活动"},
--      about: {en: "Joins at offline events.", zh: "线下活动带来的入群人数。"}}
--   - {name: joins_sms, format: count, good: up, all: total, trend: {chart: joins_by_channel},
--      label: {en: "SMS", zh: "短信"},
--      about: {en: "Joins from text messages.", zh: "短信带来的入群人数。"}}
--   - {name: joins_import, format: count, good: none, all: total, trend: {chart: joins_by_channel},
--      label: {en: "Imported", zh: "导入"},
--      about: {en: "Members imported in bulk.", zh: "批量导入的成员数。"}}
--   - {name: joins_unknown, format: count, good: none, all: total, trend: {chart: joins_by_channel},
--      label: {en: "Unknown channel", zh: "未知渠道"},
--      about: {en: "Joins whose channel is not known.", zh: "来源渠道未知的入群人数。"}}
--   - {name: referral_share, format: ratio, good: up, all: pooled, card: {order: 40},
--      label: {en: "Referral share", zh: "老带新占比"},
--      about: {en: "Share of the week's joins brought by a member (invited, or by their QR code).", zh: "本周入群中由老成员邀请或扫其二维码加入的比例。"}}
-- ---
WITH sel AS (
    SELECT * FROM selected_groups($group)
),
moves AS (
    SELECT e.group_id,
           count(*) FILTER (WHERE e.move = 'join')                         AS joins,
           count(*) FILTER (WHERE e.move IN ('leave', 'removed'))          AS leaves,
           count(*) FILTER (WHERE e.move = 'join' AND e.source = 'referral')         AS joins_referral,
           count(*) FILTER (WHERE e.move = 'join' AND e.source = 'qr')               AS joins_qr,
           -- a QR join is brought by a member when the code was one's: a
           -- WeCom group QR code (join_scene 3) names no one
           count(*) FILTER (WHERE e.move = 'join' AND e.source = 'qr' AND e.inviter_id IS NOT NULL) AS joins_qr_member,
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
           coalesce(moves.joins_qr_member, 0) AS joins_qr_member,
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
       (sum(joins_referral) + sum(joins_qr_member)) / nullif(sum(joins), 0) AS referral_share
FROM per_group
GROUP BY GROUPING SETS ((group_id, group_name), ())
ORDER BY group_id IS NOT NULL, group_name, group_id;
